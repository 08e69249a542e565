//! One writing process per database file: an advisory lock on `<db>.lock`, held by `serve`, `demo`, `import` and `restore` while they run (not on PostgreSQL, which serializes writers itself).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// The lock, held until dropped (or the process ends, however it ends: the operating system
/// releases it, so a killed server leaves no stale lock behind).
#[derive(Debug)]
pub struct WriterLock {
    _file: Option<File>,
}

/// The lock file beside `db`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".lock");
    PathBuf::from(p)
}

/// Take the writer's lock on `db`, or refuse naming the process that holds it.
pub fn lock_database(db: &Path, command: &str) -> anyhow::Result<WriterLock> {
    // On PostgreSQL every append locks the log's head row: several processes (replicas) write
    // one log, each continuing the chain from the last commit.
    if dossier_store::postgres_url(db).is_some() {
        return Ok(WriterLock { _file: None });
    }
    let path = lock_path(db);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .with_context(|| format!("[LOCK_FAILED] 无法创建锁文件 {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&path).unwrap_or_default();
            let holder = holder.trim();
            bail!(
                "[DATABASE_IN_USE] 数据库 {} 正被另一个进程写入（{}）：同一数据库文件只能由一个进程写入，`{command}` 已拒绝执行。请先停止那个进程，或换用另一个数据库文件",
                db.display(),
                if holder.is_empty() {
                    "进程信息未知"
                } else {
                    holder
                }
            );
        }
        Err(TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("[LOCK_FAILED] 无法锁定 {}", path.display()));
        }
    }
    // Say who holds it, for the message another process prints.
    let _ = file.set_len(0);
    let _ = writeln!(file, "pid {} ({command})", std::process::id());
    let _ = file.sync_data();
    Ok(WriterLock { _file: Some(file) })
}
