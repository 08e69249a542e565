//! Loading the demo district: `demo`, and `serve --demo`'s first start, into a file moved into place only when whole.

use super::*;

pub(super) async fn demo_cmd(db: &DbArg, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    demo::check_size(args.cadres)?;
    refuse_demo_on_postgres(&db.db)?;
    let _lock = lock_database(&db.db, "demo")?;
    let head = events_in(&db.db).await?;
    if head != 0 {
        bail!(
            "[DEMO_TARGET_NOT_EMPTY] 数据库 {} 已有 {head} 个事件：演示数据只能写入空数据库",
            db.db.display()
        );
    }
    let started = Instant::now();
    let Some(report) = load_demo(&db.db, args).await? else {
        return Ok(ExitCode::from(130));
    };
    println!(
        "demo: {} commands, {} events, {} cadres in {:.1}s (seed {}) into {}",
        report.commands,
        report.events,
        report.cadres,
        started.elapsed().as_secs_f64(),
        args.seed,
        db.db.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// How many events the log at `path` holds (0 when there is no file yet).
pub(super) async fn events_in(path: &Path) -> anyhow::Result<u64> {
    if !path.exists() {
        return Ok(0);
    }
    let store = open_writable(path, Durability::Normal).await?;
    let head = store.head().await.context("读取事件日志失败");
    store.close().await;
    head
}

/// How long a closed database may take to fold its WAL in and remove its side files.
pub(super) const SIDE_FILES_LIMIT: Duration = Duration::from_secs(15);

/// The file a demo district is built in before it is moved into place.
pub(super) fn loading_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".demo-loading");
    db.with_file_name(name)
}

/// SQLite's side files of a database file.
pub(super) fn side_files(db: &Path) -> [PathBuf; 2] {
    ["-wal", "-shm"].map(|suffix| {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    })
}

pub(super) fn remove_file_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("删除 {} 失败", path.display())),
    }
}

/// Remove a database file and its side files, if present.
pub(super) fn remove_database(db: &Path) -> anyhow::Result<()> {
    remove_file_if_present(db)?;
    for side in side_files(db) {
        remove_file_if_present(&side)?;
    }
    Ok(())
}

/// Build the demo district into a fresh file beside `db`, then move it into place: `db`
/// never holds a half-built demo. A file left by a load that was killed is detected,
/// reported and discarded, and the load starts afresh. Ctrl-C or SIGTERM during the load
/// stops it, removes the partial file and returns `None`.
pub(super) async fn load_demo(db: &Path, args: &DemoArgs) -> anyhow::Result<Option<demo::Report>> {
    let partial = loading_path(db);
    if partial.exists() {
        let message = format!(
            "[DEMO_LOAD_INTERRUPTED] 发现上次未完成的演示数据加载 {}（加载中进程被中断），已丢弃，重新加载 (an interrupted demo load was found and discarded; loading afresh)",
            partial.display()
        );
        eprintln!("{message}");
    }
    remove_database(&partial)?;
    let store = open_writable(&partial, Durability::Normal).await?;
    let built = tokio::select! {
        built = build_demo(&store, args) => Some(built),
        () = shutdown_signal() => None,
    };
    store.close().await;
    let Some(built) = built else {
        remove_database(&partial)?;
        let message = format!(
            "[DEMO_LOAD_INTERRUPTED] 演示数据加载被中断，{} 未被改动；再次运行即重新加载 (demo load interrupted; nothing was written to the database)",
            db.display()
        );
        eprintln!("{message}");
        return Ok(None);
    };
    let report = match built {
        Ok(report) => report,
        Err(e) => {
            remove_database(&partial)?;
            return Err(e);
        }
    };
    // A cleanly closed SQLite file carries everything itself: once its last connection
    // (the store's background checkpointer closes a moment after the store) has folded the
    // WAL in, no side file remains.
    let deadline = Instant::now() + SIDE_FILES_LIMIT;
    while side_files(&partial).iter().any(|p| p.exists()) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    if let Some(side) = side_files(&partial).iter().find(|p| p.exists()) {
        bail!(
            "[DEMO_LOAD_UNFINISHED] 演示数据文件关闭后仍有 {}，未移入 {}",
            side.display(),
            db.display()
        );
    }
    // An empty database file in the way is replaced whole (its side files first, so that
    // SQLite never pairs them with the new file).
    for side in side_files(db) {
        remove_file_if_present(&side)?;
    }
    std::fs::rename(&partial, db)
        .with_context(|| format!("将 {} 移为 {} 失败", partial.display(), db.display()))?;
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir) = std::fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
    Ok(Some(report))
}

/// The demo district through the command service over `store`, with its read models.
pub(super) async fn build_demo(store: &Store, args: &DemoArgs) -> anyhow::Result<demo::Report> {
    let (projections, runner) = start_projections(store).await?;
    let config = ApiConfig::default();
    let state = AppState::new(store.clone(), projections.clone(), config.clone());
    let report = demo::build(&state.service, args.seed, args.cadres).await;
    let saved = projections.shutdown().await;
    match runner.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "read-model runner ended with an error"),
        Err(e) => tracing::warn!(error = %e, "read-model runner panicked"),
    }
    let report = report?;
    saved.context("保存读模型快照失败")?;
    Ok(report)
}
