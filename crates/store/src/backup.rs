//! Online backup: a consistent copy of the live database (`VACUUM INTO` on a connection of its own), written beside the target and moved into place when complete.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sqlx::{ConnectOptions, Connection};

use crate::{Store, StoreError};

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    /// The copy.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// How long the copy took.
    pub elapsed: Duration,
}

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

impl Store {
    /// Copy the database to `out` while the store keeps serving (appends are not blocked:
    /// the copy reads one snapshot of the log, so it holds every event committed before it
    /// began and none half-written). The copy is written to `out` + `.partial`, synced, and
    /// renamed into place, so `out` is either absent or complete. An existing `out` is
    /// refused. The copy is in rollback-journal mode (one self-contained file).
    ///
    /// The copy is not verified here: open it read-only and [`Store::verify`] it.
    pub async fn backup(&self, out: &Path) -> Result<BackupReport, StoreError> {
        if let crate::Readers::Postgres(_) = &self.inner.readers {
            return Err(StoreError::Unsupported {
                what: "PostgreSQL 上的事件日志请用 pg_dump 备份，并以 `dossier verify --anchor` 核对（见 docs/operations.md）".into(),
            });
        }
        if out.exists() {
            return Err(io(
                out,
                std::io::Error::new(std::io::ErrorKind::AlreadyExists, "目标文件已存在"),
            ));
        }
        let mut partial = out.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        // A partial copy left by a backup that was killed is stale.
        let _ = std::fs::remove_file(&partial);
        let started = Instant::now();
        let result = self.copy_into(&partial).await;
        if let Err(e) = result {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        let sync = std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(|e| io(&partial, e));
        if let Err(e) = sync.and_then(|()| std::fs::rename(&partial, out).map_err(|e| io(out, e))) {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        let bytes = std::fs::metadata(out).map_err(|e| io(out, e))?.len();
        Ok(BackupReport {
            path: out.to_path_buf(),
            bytes,
            elapsed: started.elapsed(),
        })
    }

    async fn copy_into(&self, partial: &Path) -> Result<(), StoreError> {
        let target = partial
            .to_str()
            .ok_or_else(|| io(partial, std::io::Error::other("路径不是 UTF-8")))?;
        let mut conn = self.inner.backup_options.connect().await?;
        let copied = sqlx::query("VACUUM INTO ?1")
            .bind(target)
            .execute(&mut conn)
            .await;
        let _ = conn.close().await;
        copied?;
        // One self-contained file: no WAL beside the copy.
        let mut copy = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(partial)
            .connect()
            .await?;
        sqlx::query("PRAGMA journal_mode = DELETE")
            .execute(&mut copy)
            .await?;
        copy.close().await?;
        Ok(())
    }
}
