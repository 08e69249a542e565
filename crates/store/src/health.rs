//! Whether the store can write: the writer's and the checkpointer's faults, failed appends by cause, disk usage, and the fault-injection hook.
//!
//! A fault of the database itself (a full disk, an I/O error, a read-only file) is a state,
//! not a crash: the writer rolls the group back, reports the failure to every caller with the
//! error's cause, reconnects, and probes the disk until a write commits again. This module
//! keeps that state for readiness and metrics, and writes one error-level log line when
//! writing stops and one when it resumes.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};

use chrono::{DateTime, Utc};

use crate::error::StoreError;

/// A fault in force: what failed, since when, and the last error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The store error's code (`disk_full`, `io`, `read_only`, `database`…).
    pub code: &'static str,
    /// The last error's text (Chinese, with SQLite's own words).
    pub message: String,
    /// When it started.
    pub since: DateTime<Utc>,
}

/// A snapshot of the store's health.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreHealth {
    /// Set while appends fail: every append is refused with this cause until a write commits.
    pub writes: Option<Fault>,
    /// Set while the WAL checkpoint fails (the WAL grows until it succeeds again).
    pub checkpoint: Option<Fault>,
    /// Appends refused by a fault of the database, by cause code, since the store opened.
    pub failed_appends: BTreeMap<&'static str, u64>,
    /// Checkpoints that failed, by cause code, since the store opened.
    pub failed_checkpoints: BTreeMap<&'static str, u64>,
}

/// The database's footprint on disk and the space left beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskUsage {
    /// Bytes available to this process on the database's filesystem.
    pub free_bytes: u64,
    /// Size of the database file.
    pub db_bytes: u64,
    /// Size of the write-ahead log (`-wal` file), 0 when absent.
    pub wal_bytes: u64,
}

/// A failure the store can be told to simulate at its boundary (tests and drills).
///
/// While one is set, every commit of the writer and every WAL checkpoint fails the way the
/// operating system makes SQLite fail: SQLite rolls the open transaction back on its own (as
/// it does when a write of the WAL fails), then the commit reports this error. Nothing of
/// the failed group is written; the real database and connection are used throughout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InjectedFault {
    /// `SQLITE_FULL`: the disk is full.
    DiskFull,
    /// `SQLITE_IOERR`: the volume failed a write.
    Io,
}

impl InjectedFault {
    pub(crate) fn error(self) -> StoreError {
        match self {
            InjectedFault::DiskFull => {
                StoreError::from_sqlite(13, "database or disk is full (injected)".into())
            }
            InjectedFault::Io => StoreError::from_sqlite(10, "disk I/O error (injected)".into()),
        }
    }
}

/// Shared between the store handle, the writer and the checkpointer.
#[derive(Debug, Default)]
pub(crate) struct Health {
    state: Mutex<StoreHealth>,
    /// 0 none, 1 disk full, 2 I/O error.
    injected: AtomicU8,
}

impl Health {
    pub fn snapshot(&self) -> StoreHealth {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, StoreHealth> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn writing(&self) -> bool {
        self.lock().writes.is_none()
    }

    /// A group failed for `err`: `appends` appends were refused because of it.
    pub fn write_failed(&self, err: &StoreError, appends: usize) {
        let mut s = self.lock();
        *s.failed_appends.entry(err.code()).or_insert(0) += appends as u64;
        match &mut s.writes {
            Some(fault) => fault.message = err.to_string(),
            None => {
                tracing::error!(cause = err.code(), error = %err, "writing stopped: appends are refused until the database takes writes again");
                s.writes = Some(Fault {
                    code: err.code(),
                    message: err.to_string(),
                    since: Utc::now(),
                });
            }
        }
    }

    /// A write committed.
    pub fn write_ok(&self) {
        let mut s = self.lock();
        if let Some(fault) = s.writes.take() {
            let secs = (Utc::now() - fault.since).num_milliseconds() as f64 / 1000.0;
            tracing::error!(cause = fault.code, stopped_for_s = secs, "writing resumed");
        }
    }

    pub fn checkpoint_failed(&self, err: &StoreError) {
        let mut s = self.lock();
        *s.failed_checkpoints.entry(err.code()).or_insert(0) += 1;
        match &mut s.checkpoint {
            Some(fault) => fault.message = err.to_string(),
            None => {
                tracing::error!(cause = err.code(), error = %err, "WAL checkpoint failing: the write-ahead log grows until it succeeds");
                s.checkpoint = Some(Fault {
                    code: err.code(),
                    message: err.to_string(),
                    since: Utc::now(),
                });
            }
        }
    }

    pub fn checkpoint_ok(&self) {
        let mut s = self.lock();
        if let Some(fault) = s.checkpoint.take() {
            tracing::error!(cause = fault.code, "WAL checkpoint resumed");
        }
    }

    pub fn inject(&self, fault: Option<InjectedFault>) {
        let v = match fault {
            None => 0,
            Some(InjectedFault::DiskFull) => 1,
            Some(InjectedFault::Io) => 2,
        };
        self.injected.store(v, Ordering::Release);
    }

    pub fn injected(&self) -> Option<InjectedFault> {
        match self.injected.load(Ordering::Acquire) {
            1 => Some(InjectedFault::DiskFull),
            2 => Some(InjectedFault::Io),
            _ => None,
        }
    }
}

/// Free space on the filesystem of `path` and the sizes of the database and its WAL.
pub(crate) fn disk_usage(path: &Path) -> Result<DiskUsage, StoreError> {
    let io = |e: std::io::Error| StoreError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let vfs = rustix::fs::statvfs(dir).map_err(|e| io(e.into()))?;
    let db_bytes = std::fs::metadata(path).map_err(io)?.len();
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let wal_bytes = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    Ok(DiskUsage {
        free_bytes: vfs.f_bavail.saturating_mul(vfs.f_frsize),
        db_bytes,
        wal_bytes,
    })
}
