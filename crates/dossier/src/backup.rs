//! `dossier backup` (an online, verified copy with its anchor) and `dossier restore` (only a copy that verifies).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use dossier_store::{AnchorCheck, Store, StoreOptions, VerifyReport};

use crate::lock::lock_database;

/// A PostgreSQL log is backed up with pg_dump, not copied to a file by this command.
fn refuse_postgres(db: &Path) -> anyhow::Result<()> {
    if dossier_store::postgres_url(db).is_some() {
        bail!(
            "[BACKUP_USE_PG_DUMP] {} 是 PostgreSQL 数据库：请用 pg_dump / pg_restore 备份与恢复，并以 `dossier verify --anchor` 核对（见 docs/operations.md）",
            crate::commands::shown(db)
        );
    }
    Ok(())
}

/// Open `path` read-only, recompute its chain, and check `anchor` (`POSITION:HASH`) if given.
/// The number of events and the anchor, or a refusal naming what is wrong.
async fn verified(
    path: &Path,
    anchor: Option<&str>,
) -> anyhow::Result<(u64, Option<(u64, String)>)> {
    if !path.exists() {
        bail!("[BACKUP_NOT_FOUND] 备份文件 {} 不存在", path.display());
    }
    let options = StoreOptions {
        create_if_missing: false,
        read_only: true,
        read_connections: 1,
        ..StoreOptions::default()
    };
    let store = Store::open(path, options)
        .await
        .with_context(|| format!("[BACKUP_UNREADABLE] 无法打开 {}", path.display()))?;
    let result = async {
        let checked = match store.verify().await? {
            VerifyReport::Ok { checked } => checked,
            VerifyReport::Broken { position, reason, .. } => bail!(
                "[BACKUP_CHAIN_BROKEN] {} 的哈希链在位置 {position} 断开：{reason}",
                path.display()
            ),
        };
        if let Some(text) = anchor {
            let (position, hash) = parse_anchor(text)?;
            match store.check_anchor(position, hash).await? {
                AnchorCheck::Matches => {}
                AnchorCheck::Missing { position } => bail!(
                    "[BACKUP_ANCHOR_MISSING] {} 中没有位置 {position}：副本比记录的锚点短",
                    path.display()
                ),
                AnchorCheck::Differs { position, stored } => bail!(
                    "[BACKUP_ANCHOR_MISMATCH] {} 位置 {position} 的哈希为 {stored}，与记录的锚点不符",
                    path.display()
                ),
            }
        }
        Ok((checked, store.anchor().await?))
    }
    .await;
    store.close().await;
    result
}

/// `POSITION:HASH` as `verify` prints it.
fn parse_anchor(text: &str) -> anyhow::Result<(u64, &str)> {
    let parsed = text.trim().split_once(':').and_then(|(p, h)| {
        let p: u64 = p.trim().parse().ok()?;
        let h = h.trim();
        (h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit())).then_some((p, h))
    });
    parsed.ok_or_else(|| {
        anyhow::anyhow!(
            "[ANCHOR_MALFORMED] 锚点应为「位置:64 位十六进制哈希」，如 verify 或 backup 所打印；收到「{text}」"
        )
    })
}

fn anchor_text(anchor: &Option<(u64, String)>) -> String {
    match anchor {
        Some((p, h)) => format!("{p}:{h}"),
        None => "（空日志，无锚点）".to_owned(),
    }
}

/// Copy the live database to `out`, verify the copy, print its anchor.
pub async fn backup(db: &Path, out: &Path) -> anyhow::Result<ExitCode> {
    refuse_postgres(db)?;
    if !db.exists() {
        bail!("[DATABASE_NOT_FOUND] 数据库文件 {} 不存在", db.display());
    }
    if out.exists() {
        bail!(
            "[BACKUP_TARGET_EXISTS] {} 已存在：备份不覆盖已有文件，请换一个文件名",
            out.display()
        );
    }
    let options = StoreOptions {
        create_if_missing: false,
        read_only: true,
        read_connections: 1,
        ..StoreOptions::default()
    };
    let store = Store::open(db, options)
        .await
        .with_context(|| format!("打开 {} 失败", db.display()))?;
    let copied = store.backup(out).await;
    store.close().await;
    let report =
        copied.with_context(|| format!("[BACKUP_FAILED] 备份到 {} 失败", out.display()))?;
    let (events, anchor) = match verified(out, None).await {
        Ok(v) => v,
        Err(e) => {
            let _ = std::fs::remove_file(out);
            return Err(e.context("[BACKUP_UNVERIFIED] 备份副本未通过校验，已删除"));
        }
    };
    let secs = report.elapsed.as_secs_f64().max(1e-6);
    println!(
        "backup: {} ({events} events, {:.1} MiB in {:.2}s, {:.0} events/s, {:.1} MiB/s), hash chain verified",
        out.display(),
        report.bytes as f64 / 1048576.0,
        secs,
        events as f64 / secs,
        report.bytes as f64 / 1048576.0 / secs,
    );
    println!("anchor: {}", anchor_text(&anchor));
    Ok(ExitCode::SUCCESS)
}

/// Put a verified copy in place of `db` (which no process may be writing).
pub async fn restore(
    from: &Path,
    db: &Path,
    anchor: Option<&str>,
    force: bool,
) -> anyhow::Result<ExitCode> {
    refuse_postgres(db)?;
    let (events, found) = verified(from, anchor)
        .await
        .context("[RESTORE_REFUSED] 备份未通过校验，未做任何改动")?;
    let _lock = lock_database(db, "restore")?;
    if db.exists() && !force {
        bail!(
            "[RESTORE_TARGET_EXISTS] {} 已存在：恢复会替换它，确认后加 --force",
            db.display()
        );
    }
    let mut partial = db.as_os_str().to_owned();
    partial.push(".restoring");
    let partial = PathBuf::from(partial);
    std::fs::copy(from, &partial)
        .and_then(|_| std::fs::File::open(&partial)?.sync_all())
        .with_context(|| format!("[RESTORE_FAILED] 无法写入 {}", partial.display()))?;
    // The old database's WAL and shared memory belong to it, not to the copy.
    for suffix in ["-wal", "-shm"] {
        let mut side = db.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(PathBuf::from(side)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e).context("[RESTORE_FAILED] 无法删除旧数据库的日志文件");
            }
        }
    }
    std::fs::rename(&partial, db)
        .with_context(|| format!("[RESTORE_FAILED] 无法替换 {}", db.display()))?;
    println!(
        "restore: {} → {} ({events} events, hash chain verified); read models catch up at the next start",
        from.display(),
        db.display()
    );
    println!("anchor: {}", anchor_text(&found));
    Ok(ExitCode::SUCCESS)
}
