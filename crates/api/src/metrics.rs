//! Request counters for `/metrics` (Prometheus text format).

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters of the HTTP surface, shared by every request.
#[derive(Debug, Default)]
pub struct Metrics {
    pub requests: AtomicU64,
    pub errors: AtomicU64,
    pub mutations: AtomicU64,
    pub refused: AtomicU64,
    pub ws_connections: AtomicU64,
    /// Queries answered from the answers kept for the read models' position.
    pub answers_kept: AtomicU64,
}

impl Metrics {
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus exposition text, with the log head and the read models' lag.
    pub fn render(&self, head: u64, applied: u64) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let lines = [
            (
                "dossier_http_requests_total",
                "counter",
                "GraphQL requests received.",
                get(&self.requests),
            ),
            (
                "dossier_http_errors_total",
                "counter",
                "GraphQL responses carrying errors.",
                get(&self.errors),
            ),
            (
                "dossier_mutations_total",
                "counter",
                "Commands accepted.",
                get(&self.mutations),
            ),
            (
                "dossier_refusals_total",
                "counter",
                "Commands refused by a rule.",
                get(&self.refused),
            ),
            (
                "dossier_ws_connections_total",
                "counter",
                "WebSocket connections opened.",
                get(&self.ws_connections),
            ),
            (
                "dossier_answers_kept_total",
                "counter",
                "Read-only queries answered from an answer kept for the same position.",
                get(&self.answers_kept),
            ),
            (
                "dossier_event_log_head",
                "gauge",
                "Position of the last event in the log.",
                head,
            ),
            (
                "dossier_projection_position",
                "gauge",
                "Position the read models have applied.",
                applied,
            ),
            (
                "dossier_projection_lag",
                "gauge",
                "Events the read models have not applied yet.",
                head.saturating_sub(applied),
            ),
        ];
        let mut out = String::new();
        for (name, kind, help, value) in lines {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
            ));
        }
        out
    }
}
