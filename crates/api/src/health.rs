//! Health that tells the truth: readiness (writes, WAL checkpoint, read models, disk budget), the store's fault metrics, and the disk-budget watch.

use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use dossier_store::{DiskUsage, Store};

use crate::state::AppState;

/// Free disk space against the configured budget; says once (warn level) when it falls
/// below and once when it recovers.
#[derive(Debug, Default)]
pub struct DiskWatch {
    low: AtomicBool,
    last: Mutex<Option<DiskUsage>>,
}

impl DiskWatch {
    /// Measure now; `None` when the filesystem cannot be asked (the reason is logged).
    pub fn check(&self, store: &Store, budget_bytes: u64) -> Option<DiskUsage> {
        let usage = match store.disk_usage() {
            Ok(u) => u,
            Err(e) => {
                tracing::warn!(error = %e, "disk usage unavailable");
                return None;
            }
        };
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(usage);
        let low = budget_bytes > 0 && usage.free_bytes < budget_bytes;
        if self.low.swap(low, Ordering::AcqRel) != low {
            if low {
                tracing::warn!(
                    free_bytes = usage.free_bytes,
                    budget_bytes,
                    "free disk space below the budget: writes will fail when the disk fills"
                );
            } else {
                tracing::info!(
                    free_bytes = usage.free_bytes,
                    budget_bytes,
                    "free disk space back above the budget"
                );
            }
        }
        Some(usage)
    }

    /// Whether the last measure was below the budget.
    pub fn is_low(&self) -> bool {
        self.low.load(Ordering::Acquire)
    }
}

/// Check the disk budget every `every` until the store closes (the binary runs this beside the server).
pub async fn watch_disk(state: AppState, every: Duration) {
    loop {
        state
            .disk
            .check(&state.store, state.config.disk_warn_free_bytes);
        tokio::time::sleep(every).await;
    }
}

/// What `/readyz` answers.
#[derive(Debug, Clone)]
pub struct Readiness {
    pub ready: bool,
    /// The first line says ready or why not; the others give details and warnings.
    pub lines: Vec<String>,
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Ready when writes commit, the WAL checkpoint succeeds, the read-model runner is up and
/// has applied the whole log. A disk below its budget is a warning, not a refusal.
pub async fn readiness(state: &AppState) -> Readiness {
    let mut reasons = Vec::new();
    let mut details = Vec::new();
    let health = state.store.health();
    if let Some(f) = &health.writes {
        reasons.push(format!(
            "writes suspended since {} ({}): {}",
            f.since.format("%Y-%m-%dT%H:%M:%SZ"),
            f.code,
            f.message
        ));
    }
    if let Some(f) = &health.checkpoint {
        reasons.push(format!(
            "WAL checkpoint failing since {} ({}): {}",
            f.since.format("%Y-%m-%dT%H:%M:%SZ"),
            f.code,
            f.message
        ));
    }
    if let Some(down) = state.projections.runner_fault() {
        reasons.push(format!("read-model runner down: {down}"));
    }
    match state.store.head().await {
        Ok(head) => {
            let applied = state.projections.position();
            let line = format!("read models at {applied}, log head {head}");
            if applied < head {
                reasons.push(format!("catching up: {line}"));
            } else {
                details.push(line);
            }
        }
        Err(e) => reasons.push(format!("store unavailable: {e}")),
    }
    let budget = state.config.disk_warn_free_bytes;
    if let Some(u) = state.disk.check(&state.store, budget) {
        if state.disk.is_low() {
            details.push(format!(
                "warning: free disk space {} below the budget {}",
                mib(u.free_bytes),
                mib(budget)
            ));
        }
        details.push(format!(
            "disk: free {}, database {}, WAL {}",
            mib(u.free_bytes),
            mib(u.db_bytes),
            mib(u.wal_bytes)
        ));
    }
    let ready = reasons.is_empty();
    let mut lines = Vec::with_capacity(reasons.len() + details.len() + 1);
    if ready {
        let first = details.first().cloned().unwrap_or_default();
        lines.push(format!("ready: {first}"));
        lines.extend(details.into_iter().skip(1));
    } else {
        lines.push("not ready".to_owned());
        lines.extend(reasons);
        lines.extend(details);
    }
    Readiness { ready, lines }
}

/// Prometheus lines for the store's faults and the disk.
pub fn metrics_text(state: &AppState) -> String {
    let health = state.store.health();
    let mut out = String::new();
    let mut family = |name: &str, kind: &str, help: &str, samples: &[(String, u64)]| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for (labels, value) in samples {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
    };
    let by_cause = |m: &std::collections::BTreeMap<&'static str, u64>| {
        m.iter()
            .map(|(cause, n)| (format!("{{cause=\"{cause}\"}}"), *n))
            .collect::<Vec<_>>()
    };
    family(
        "dossier_store_failed_appends_total",
        "counter",
        "Appends refused by a fault of the database, by cause.",
        &by_cause(&health.failed_appends),
    );
    family(
        "dossier_store_failed_checkpoints_total",
        "counter",
        "WAL checkpoints that failed, by cause.",
        &by_cause(&health.failed_checkpoints),
    );
    family(
        "dossier_store_writes_ok",
        "gauge",
        "1 while appends commit, 0 while writing is suspended.",
        &[(String::new(), u64::from(health.writes.is_none()))],
    );
    family(
        "dossier_store_checkpoint_ok",
        "gauge",
        "1 while the WAL checkpoint succeeds.",
        &[(String::new(), u64::from(health.checkpoint.is_none()))],
    );
    family(
        "dossier_projection_runner_up",
        "gauge",
        "1 while the read-model runner runs.",
        &[(
            String::new(),
            u64::from(state.projections.runner_fault().is_none()),
        )],
    );
    let folds = state.projections.dated_folds();
    family(
        "dossier_dated_folds_total",
        "counter",
        "Folds of the log for dashboards or reads as of a past date or position (one at a time).",
        &[(String::new(), folds.runs)],
    );
    family(
        "dossier_dated_folds_waiting",
        "gauge",
        "Requests waiting for their turn to fold the log as of a past date or position.",
        &[(String::new(), folds.waiting)],
    );
    let budget = state.config.disk_warn_free_bytes;
    if let Some(u) = state.disk.check(&state.store, budget) {
        family(
            "dossier_disk_free_bytes",
            "gauge",
            "Bytes free on the database's filesystem.",
            &[(String::new(), u.free_bytes)],
        );
        family(
            "dossier_disk_budget_bytes",
            "gauge",
            "Free space below which the server warns.",
            &[(String::new(), budget)],
        );
        family(
            "dossier_disk_low",
            "gauge",
            "1 while free space is below the budget.",
            &[(String::new(), u64::from(state.disk.is_low()))],
        );
        family(
            "dossier_db_bytes",
            "gauge",
            "Size of the database file.",
            &[(String::new(), u.db_bytes)],
        );
        family(
            "dossier_wal_bytes",
            "gauge",
            "Size of the write-ahead log.",
            &[(String::new(), u.wal_bytes)],
        );
    }
    out
}
