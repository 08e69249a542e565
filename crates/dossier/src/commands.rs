//! What each subcommand does: open the log, wire the read models and the API, and report in words a clerk understands.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::NaiveDate;
use dossier_api::{ApiConfig, ApiError, AppState, app, tokens};
use dossier_projections::{ProjectionOptions, Projections, export::Format};
use dossier_store::{AnchorCheck, Durability, Store, StoreOptions, VerifyReport};
use tokio::task::JoinHandle;

use crate::config::{DurabilitySetting, Settings};
use crate::lock::lock_database;
use crate::{
    Cli, Command, DbArg, DemoArgs, DurabilityArg, FormatArg, TokenAction, demo, demo_token,
    progress, transfer,
};

/// How long a shutdown waits for open connections (requests, subscriptions) to finish.
const DRAIN_LIMIT: Duration = Duration::from_secs(10);

pub(crate) type Runner = JoinHandle<Result<(), dossier_projections::ProjectionError>>;

pub async fn run(cli: Cli, settings: Option<Settings>) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve {
            db,
            listen,
            config: _,
            demo,
            demo_args,
            durability,
        } => {
            // Flags win over the configuration file and the environment.
            let mut settings = settings.unwrap_or_default();
            if let Some(listen) = listen {
                settings.listen = listen;
            }
            if let Some(d) = durability {
                settings.durability = match d {
                    DurabilityArg::Full => DurabilitySetting::Full,
                    DurabilityArg::Normal => DurabilitySetting::Normal,
                };
            }
            serve(&db, &settings, demo.then_some(demo_args)).await
        }
        Command::Backup { db, out } => crate::backup::backup(&db.db, &out).await,
        Command::Restore {
            db,
            from,
            anchor,
            force,
        } => crate::backup::restore(&from, &db.db, anchor.as_deref(), force).await,
        Command::Demo { db, demo_args } => demo_cmd(&db, &demo_args).await,
        Command::Verify { db, anchor } => verify(&db, anchor.as_deref()).await,
        Command::Rebuild { db } => rebuild(&db).await,
        Command::Replay {
            db,
            stream,
            as_of,
            known_at,
        } => replay(&db, &stream, &as_of, known_at).await,
        Command::Export { db, out, force } => export(&db, &out, force).await,
        Command::Import { db, input, anchor } => import(&db, &input, anchor.as_deref()).await,
        Command::Token { db, action } => token(&db, action).await,
        Command::Migrate { db } => migrate(&db).await,
        Command::ExportDashboards {
            db,
            format,
            as_of,
            known_at,
        } => export_dashboards(&db, format, as_of.as_deref(), known_at).await,
        Command::ImportLrmx {
            db,
            paths,
            unit,
            on,
            dry_run,
        } => crate::exchange::lrmx::import(&db, &paths, &unit, on.as_deref(), dry_run).await,
        Command::ImportRoster {
            db,
            file,
            mapping,
            on,
            dry_run,
        } => {
            crate::exchange::roster::import(&db, &file, mapping.as_deref(), on.as_deref(), dry_run)
                .await
        }
        Command::ExportXlsx {
            db,
            sheet,
            as_of,
            unit,
            leaders,
            name,
            out,
        } => {
            let filter = dossier_projections::profile::ProfileFilter {
                unit_id: unit,
                rank: None,
                leader: leaders.then_some(true),
                name_contains: name,
            };
            crate::exchange::xlsx_out::export(&db, sheet, &as_of, filter, &out).await
        }
        Command::ExportLrmx {
            db,
            cadre,
            as_of,
            out,
        } => crate::exchange::lrmx::export(&db, &cadre, &as_of, out.as_deref()).await,
    }
}

/// An API refusal as one line: `[CODE/RULE] message`.
pub fn api_error(e: ApiError) -> anyhow::Error {
    match e.rule() {
        Some(rule) => anyhow::anyhow!("[{}/{rule}] {e}", e.code()),
        None => anyhow::anyhow!("[{}] {e}", e.code()),
    }
}

pub(crate) fn parse_date(text: &str, what: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        anyhow::anyhow!(
            "[INVALID_DATE] {what}「{text}」不是有效日期，应为 YYYY-MM-DD，例如 2025-06-30"
        )
    })
}

/// The database as messages show it: the file, or the PostgreSQL URL without its password.
pub fn shown(db: &Path) -> String {
    dossier_store::redact_url(&db.to_string_lossy())
}

/// `demo` and `serve --demo` build the district into a SQLite file only.
fn refuse_demo_on_postgres(db: &Path) -> anyhow::Result<()> {
    if dossier_store::postgres_url(db).is_some() {
        bail!(
            "[DEMO_SQLITE_ONLY] 演示区县只建在 SQLite 文件中（收到 {}）：先 `dossier demo --db dossier.db`，再 `dossier export` / `dossier import --db postgres://…` 移入 PostgreSQL",
            shown(db)
        );
    }
    Ok(())
}

/// Create or bring up to date the schema of the database (`dossier migrate`).
async fn migrate(db: &DbArg) -> anyhow::Result<ExitCode> {
    if let Some(url) = dossier_store::postgres_url(&db.db) {
        let applied = dossier_store::migrate_postgres(url)
            .await
            .with_context(|| format!("迁移 {} 失败", shown(&db.db)))?;
        println!(
            "schema of {} up to date ({} migrations applied now) (数据库结构已是最新)",
            shown(&db.db),
            applied.len()
        );
    } else {
        let _lock = lock_database(&db.db, "migrate")?;
        let store = open_writable(&db.db, Durability::Full).await?;
        store.close().await;
        println!(
            "schema of {} up to date (数据库结构已是最新)",
            db.db.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Open an existing log (never creating one) for reading.
pub(crate) async fn open_existing(db: &DbArg, read_only: bool) -> anyhow::Result<Store> {
    require_existing(&db.db)?;
    let options = StoreOptions {
        create_if_missing: false,
        read_only,
        read_connections: 2,
        ..StoreOptions::default()
    };
    Store::open(&db.db, options)
        .await
        .with_context(|| format!("打开 {} 失败", shown(&db.db)))
}

/// Refuse a database file that does not exist (a mistyped path must not become a new log).
pub(crate) fn require_existing(path: &Path) -> anyhow::Result<()> {
    if dossier_store::postgres_url(path).is_none() && !path.exists() {
        bail!(
            "[DATABASE_NOT_FOUND] 数据库文件 {} 不存在（先运行 `dossier serve` 或 `dossier demo` 创建）",
            path.display()
        );
    }
    Ok(())
}

/// Open (creating and migrating it if missing) a log for writing.
pub(crate) async fn open_writable(path: &Path, durability: Durability) -> anyhow::Result<Store> {
    let options = StoreOptions {
        durability,
        read_connections: 4,
        ..StoreOptions::default()
    };
    Store::open(path, options)
        .await
        .with_context(|| format!("打开 {} 失败", shown(path)))
}

/// Start the read models and wait until they have folded the whole log.
pub(crate) async fn start_projections(store: &Store) -> anyhow::Result<(Projections, Runner)> {
    let (projections, runner) = Projections::start(store.clone(), ProjectionOptions::default());
    let head = store.head().await.context("读取事件日志失败")?;
    projections
        .wait_for(head, Duration::from_secs(600))
        .await
        .context("读模型未能追上事件日志")?;
    Ok((projections, runner))
}

/// Save snapshots, stop the runner, flush the writer.
pub(crate) async fn stop(
    store: Store,
    projections: Projections,
    runner: Runner,
) -> anyhow::Result<()> {
    let saved = projections.shutdown().await;
    match runner.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "read-model runner ended with an error"),
        Err(e) => tracing::warn!(error = %e, "read-model runner panicked"),
    }
    store.close().await;
    saved.map(|_| ()).context("保存读模型快照失败")
}

async fn serve(
    db: &DbArg,
    settings: &Settings,
    demo_args: Option<DemoArgs>,
) -> anyhow::Result<ExitCode> {
    let listen = settings.listen;
    let durability = match settings.durability {
        DurabilitySetting::Full => Durability::Full,
        DurabilitySetting::Normal => Durability::Normal,
    };
    let api_config = settings.api_config()?;
    let _lock = lock_database(&db.db, "serve")?;
    if demo_args.is_some() {
        refuse_demo_on_postgres(&db.db)?;
    }
    if let Some(args) = &demo_args {
        demo::check_size(args.cadres)?;
    }
    // Bind first: a busy port is refused before any work is done.
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("[LISTEN_FAILED] 无法监听 {listen}"))?;
    let addr = listener.local_addr().context("读取监听地址失败")?;
    let mut loaded_demo = false;
    if let Some(args) = &demo_args {
        match events_in(&db.db).await? {
            0 => match load_demo(&db.db, args).await? {
                Some(report) => {
                    loaded_demo = true;
                    tracing::info!(
                        events = report.events,
                        commands = report.commands,
                        "demo district loaded"
                    )
                }
                None => return Ok(ExitCode::from(130)),
            },
            head => tracing::info!(events = head, "log not empty: demo not loaded"),
        }
    }
    let store = open_writable(&db.db, durability).await?;
    let (projections, runner) = start_projections(&store).await?;
    let state = AppState::new(store.clone(), projections.clone(), api_config);
    let config = (*state.config).clone();
    // The disk of a PostgreSQL log is the database server's: it is watched there.
    if dossier_store::postgres_url(&db.db).is_none() {
        tokio::spawn(dossier_api::health::watch_disk(
            state.clone(),
            Duration::from_secs(30),
        ));
    }
    // Fold the cross-stream facts (ID numbers, kinship, open reviews) in the background,
    // so that the first registration or appointment does not wait for a whole-log read.
    let service = state.service.clone();
    tokio::spawn(async move {
        if let Err(e) = service.fact_index().await {
            tracing::warn!(error = %e, "fact index not prepared at start");
        }
    });

    let admin_token = match (&demo_args, loaded_demo) {
        (None, _) => None,
        (Some(_), true) => Some(demo_token::mint(&store, &db.db).await?),
        // A district built by `dossier demo` has no kept token yet: mint it once and keep it.
        // A kept token that was revoked or expired is not replaced.
        (Some(_), false) if !demo_token::path(&db.db).exists() => {
            Some(demo_token::mint(&store, &db.db).await?)
        }
        (Some(_), false) => demo_token::kept(&store, &db.db).await,
    };

    // Listen for Ctrl-C and SIGTERM before announcing the address: whoever reads the banner may
    // stop the server at once.
    let shutdown = shutdown_signal();
    tracing::info!(%addr, db = %shown(&db.db), "listening");
    // The banner goes to standard output, which a supervisor or a test may close
    // once it has read what it needs: a closed pipe must not bring the server down,
    // so write errors are ignored here (`println!` would panic on them).
    {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "Dossier listening on http://{addr}  (GraphiQL: http://{addr}/graphql)"
        );
        if let Some(token) = &admin_token {
            let _ = writeln!(out, "admin token (org_admin): {token}");
            let _ = writeln!(
                out,
                "In GraphiQL, set the header:  {{\"Authorization\": \"Bearer {token}\"}}"
            );
        } else if demo_args.is_some() {
            let _ = writeln!(
                out,
                "demo already loaded; its admin token is no longer valid or was not kept: create one with `dossier token create --db {} --role org_admin` (演示数据已加载，需要令牌请用 token create 创建)",
                db.db.display()
            );
        }
        let _ = out.flush();
    }

    let router = app(state);
    let requested = std::sync::Arc::new(tokio::sync::Notify::new());
    let notify = requested.clone();
    let server = dossier_api::serve(listener, router, &config, async move {
        shutdown.await;
        notify.notify_one();
    });
    // In-flight requests get DRAIN_LIMIT to finish; long-lived subscriptions are then cut.
    tokio::select! {
        served = server => served.context("服务器异常退出")?,
        () = async {
            requested.notified().await;
            tokio::time::sleep(DRAIN_LIMIT).await;
        } => tracing::warn!("connections still open after {DRAIN_LIMIT:?}: closing them"),
    }
    tracing::info!("stopped accepting; in-flight requests drained; saving snapshots");
    stop(store, projections, runner).await?;
    tracing::info!("shut down cleanly");
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C or SIGTERM. It listens from the moment it is called, not from its first
/// poll: a signal that arrives in between (say, right after the server printed that it listens)
/// is a shutdown request, not the default action that kills the process.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let [interrupt, terminate] = {
        use tokio::signal::unix::{SignalKind, signal};
        [SignalKind::interrupt(), SignalKind::terminate()].map(|kind| {
            signal(kind)
                .map_err(|e| tracing::warn!(error = %e, ?kind, "cannot listen for the signal"))
                .ok()
        })
    };
    async move {
        #[cfg(unix)]
        tokio::select! {
            () = next_signal(interrupt) => {},
            () = next_signal(terminate) => {},
        }
        #[cfg(not(unix))]
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutdown requested");
    }
}

/// The next delivery of a signal listened for (never, if it could not be listened for).
#[cfg(unix)]
async fn next_signal(signal: Option<tokio::signal::unix::Signal>) {
    match signal {
        Some(mut s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

async fn demo_cmd(db: &DbArg, args: &DemoArgs) -> anyhow::Result<ExitCode> {
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
async fn events_in(path: &Path) -> anyhow::Result<u64> {
    if !path.exists() {
        return Ok(0);
    }
    let store = open_writable(path, Durability::Normal).await?;
    let head = store.head().await.context("读取事件日志失败");
    store.close().await;
    head
}

/// How long a closed database may take to fold its WAL in and remove its side files.
const SIDE_FILES_LIMIT: Duration = Duration::from_secs(15);

/// The file a demo district is built in before it is moved into place.
fn loading_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".demo-loading");
    db.with_file_name(name)
}

/// SQLite's side files of a database file.
fn side_files(db: &Path) -> [PathBuf; 2] {
    ["-wal", "-shm"].map(|suffix| {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    })
}

fn remove_file_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("删除 {} 失败", path.display())),
    }
}

/// Remove a database file and its side files, if present.
fn remove_database(db: &Path) -> anyhow::Result<()> {
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
async fn load_demo(db: &Path, args: &DemoArgs) -> anyhow::Result<Option<demo::Report>> {
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
async fn build_demo(store: &Store, args: &DemoArgs) -> anyhow::Result<demo::Report> {
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

async fn verify(db: &DbArg, anchor: Option<&str>) -> anyhow::Result<ExitCode> {
    let expected = match anchor {
        None => None,
        Some(a) => match transfer::parse_anchor(a) {
            Some(pair) => Some(pair),
            None => bail!(
                "[ANCHOR_MALFORMED] 锚点应为「位置:64 位十六进制哈希」，如 verify 所打印；收到「{a}」"
            ),
        },
    };
    let store = open_existing(db, true).await?;
    let report = store.verify().await.context("校验失败");
    let head = store.anchor().await.context("读取锚点失败");
    let checked_anchor = match &expected {
        Some((p, h)) => Some(store.check_anchor(*p, h).await.context("核对锚点失败")),
        None => None,
    };
    let side = store
        .verify_side_tables()
        .await
        .context("核对快照与命令表失败");
    store.close().await;
    let (report, head, side) = (report?, head?, side?);
    // A failed anchor means the log is not the one recorded: say so, and nothing "intact".
    let anchor_broken = match checked_anchor.transpose()? {
        None | Some(AnchorCheck::Matches) => None,
        Some(AnchorCheck::Missing { position }) => Some(format!(
            "anchor broken: the log no longer reaches position {position}; events were cut off its end (锚点不符：日志已不含位置 {position}，末尾事件被删除)"
        )),
        Some(AnchorCheck::Differs { position, stored }) => Some(format!(
            "anchor broken: position {position} now has hash {stored}; the log was rewritten (锚点不符：位置 {position} 的哈希已变，日志被改写)"
        )),
    };
    let mut code = ExitCode::SUCCESS;
    match report {
        VerifyReport::Ok { checked } if anchor_broken.is_none() => {
            println!(
                "ok: {checked} events checked, hash chain intact (已校验 {checked} 个事件，哈希链完整)"
            );
            if let Some((p, _)) = &expected {
                println!("anchor {p} matches (锚点相符)");
            }
            if let Some((position, hash)) = head {
                println!("anchor: {position}:{hash} (锚点：请记录，日后以 --anchor 核对)");
            }
        }
        VerifyReport::Ok { checked } => {
            println!("{checked} events checked (已校验 {checked} 个事件)");
            code = ExitCode::from(2);
        }
        VerifyReport::Broken {
            position,
            reason,
            checked,
        } => {
            println!(
                "broken at position {position}: {reason} ({checked} events before it intact) (哈希链在位置 {position} 断裂)"
            );
            code = ExitCode::from(2);
        }
    }
    if let Some(line) = anchor_broken {
        println!("{line}");
    }
    for problem in &side {
        println!("{problem}");
        code = ExitCode::from(2);
    }
    Ok(code)
}

async fn rebuild(db: &DbArg) -> anyhow::Result<ExitCode> {
    let store = open_existing(db, false).await?;
    let head = store.head().await.context("读取事件日志失败")?;
    store.delete_snapshots().await.context("删除旧快照失败")?;
    let started = Instant::now();
    let options = ProjectionOptions {
        use_snapshots: false,
        ..ProjectionOptions::default()
    };
    let (projections, runner) = Projections::start(store.clone(), options);
    let bar = progress::bar(head, "rebuild");
    loop {
        let reached = projections.position();
        bar.set_position(reached.min(head));
        if reached >= head {
            break;
        }
        if runner.is_finished() {
            break;
        }
        if projections
            .wait_for(head, Duration::from_millis(200))
            .await
            .is_ok()
        {
            bar.set_position(head);
            break;
        }
    }
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    let status = projections.status();
    let saved = projections.snapshot().await;
    stop(store, projections, runner).await?;
    let saved = saved.context("保存快照失败")?;
    let secs = elapsed.as_secs_f64().max(1e-9);
    println!(
        "rebuilt every read model from {head} events in {:.2}s ({:.0} events/s); {} events replayed, {} undecodable; snapshots saved at position {saved}",
        secs,
        head as f64 / secs,
        status.replayed,
        status.undecodable
    );
    Ok(ExitCode::SUCCESS)
}

async fn replay(
    db: &DbArg,
    stream: &str,
    as_of: &str,
    known_at: Option<u64>,
) -> anyhow::Result<ExitCode> {
    let effective = parse_date(as_of, "--as-of")?;
    let store = open_existing(db, false).await?;
    let version = store
        .stream_version(stream)
        .await
        .context("读取事件日志失败")?;
    if version == 0 {
        store.close().await;
        bail!("[STREAM_NOT_FOUND] 流「{stream}」不存在（例如 cadre-c0001、unit-u01）");
    }
    let (projections, runner) = start_projections(&store).await?;
    let result = replay_json(&projections, stream, effective, known_at).await;
    stop(store, projections, runner).await?;
    let json = result?;
    println!("{}", serde_json::to_string_pretty(&json)?);
    Ok(ExitCode::SUCCESS)
}

async fn replay_json(
    projections: &Projections,
    stream: &str,
    effective: NaiveDate,
    known_at: Option<u64>,
) -> anyhow::Result<serde_json::Value> {
    let trail = projections
        .audit_trail(stream)
        .await
        .context("读取流失败")?;
    let events: Vec<serde_json::Value> = serde_json::to_value(&trail)?
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| {
            let eff = e
                .get("effective_at")
                .and_then(|v| v.as_str())
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
            let pos = e.get("position").and_then(serde_json::Value::as_u64);
            eff.is_none_or(|d| d <= effective)
                && known_at.is_none_or(|k| pos.is_none_or(|p| p <= k))
        })
        .collect();
    let state = if let Some(cadre_id) = stream.strip_prefix("cadre-") {
        let profile = projections
            .profile_as_of(cadre_id, effective, known_at)
            .await
            .context("回放失败")?;
        serde_json::to_value(profile)?
    } else if let Some(unit_id) = stream.strip_prefix("unit-") {
        let unit = projections
            .unit_as_of(unit_id, effective, known_at)
            .await
            .context("回放失败")?;
        serde_json::to_value(unit)?
    } else {
        serde_json::Value::Null
    };
    Ok(serde_json::json!({
        "stream": stream,
        "as_of": effective,
        "known_at": known_at,
        "state": state,
        "events": events,
    }))
}

async fn export(db: &DbArg, out: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db, true).await?;
    let written = match transfer::open_output(out, force) {
        Ok(w) => transfer::export(&store, w).await,
        Err(e) => Err(e),
    };
    store.close().await;
    let (written, anchor) = written?;
    // On standard output the file is the output: the summary goes to standard error.
    let summary = format!(
        "exported {written} events to {} (已导出 {written} 个事件)\nanchor: {anchor} (锚点，导入时以 --anchor 核对)",
        out.display()
    );
    if out.as_os_str() == "-" {
        eprintln!("{summary}");
    } else {
        println!("{summary}");
    }
    Ok(ExitCode::SUCCESS)
}

async fn import(db: &DbArg, input: &Path, anchor: Option<&str>) -> anyhow::Result<ExitCode> {
    let _lock = lock_database(&db.db, "import")?;
    let anchor = match anchor {
        None => None,
        Some(a) => Some(transfer::parse_anchor(a).ok_or_else(|| {
            anyhow::anyhow!(
                "[ANCHOR_MALFORMED] 锚点应为「位置:64 位十六进制哈希」，如 verify 所打印；收到「{a}」"
            )
        })?),
    };
    let count = transfer::verify_file(input, anchor.as_ref())?;
    let postgres = dossier_store::postgres_url(&db.db).is_some();
    if !postgres && db.db.exists() {
        let store = open_existing(db, true).await?;
        let head = store.head().await.context("读取目标数据库失败")?;
        store.close().await;
        if head != 0 {
            bail!(
                "[IMPORT_TARGET_NOT_EMPTY] 目标数据库 {} 已有 {head} 个事件：只能导入到空数据库",
                db.db.display()
            );
        }
    }
    let store = open_writable(&db.db, Durability::Normal).await?;
    if postgres {
        let head = store.head().await.context("读取目标数据库失败")?;
        if head != 0 {
            store.close().await;
            bail!(
                "[IMPORT_TARGET_NOT_EMPTY] 目标数据库 {} 已有 {head} 个事件：只能导入到空数据库",
                shown(&db.db)
            );
        }
    }
    let result = transfer::import(&store, input, count).await;
    let verified = store.verify().await;
    store.close().await;
    let appended = result?;
    match verified.context("校验失败")? {
        VerifyReport::Ok { checked } => println!(
            "imported {appended} events from {} (chain verified: {checked} events) (已导入 {appended} 个事件)",
            input.display()
        ),
        VerifyReport::Broken {
            position, reason, ..
        } => {
            bail!("[IMPORT_CHAIN_BROKEN] 导入后哈希链在位置 {position} 断裂：{reason}")
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn token(db: &DbArg, action: TokenAction) -> anyhow::Result<ExitCode> {
    match action {
        TokenAction::Create {
            role,
            scope,
            label,
            expires,
        } => {
            let expires_at = match expires.as_deref() {
                None => None,
                Some(text) => Some(parse_expiry(text, chrono::Utc::now())?),
            };
            let Some(parsed) = tokens::parse_role(role.trim()) else {
                bail!(
                    "[UNKNOWN_ROLE] 角色「{role}」不存在：可选 org_admin, discipline_inspector, unit_head, cadre, auditor, analyst"
                );
            };
            if parsed == dossier_domain::Role::System {
                bail!("[ROLE_NOT_ISSUABLE] 不能为“系统”角色签发令牌");
            }
            // Like every command but serve and demo: a mistyped path is refused, not created.
            let store = open_existing(db, false).await?;
            let created = match tokens::check_scope(&store, parsed, scope.as_deref()).await {
                Ok(()) => tokens::create_until(&store, parsed, scope, &label, expires_at).await,
                Err(e) => Err(e),
            };
            store.close().await;
            let plaintext = created.map_err(api_error)?;
            println!("{plaintext}");
            eprintln!(
                "token created for role {} (hash prefix {}); it is shown this once only",
                tokens::role_name(parsed),
                &tokens::hash(&plaintext)[..12]
            );
        }
        TokenAction::Revoke { prefix } => {
            let store = open_existing(db, false).await?;
            let revoked = tokens::revoke(&store, &prefix).await;
            store.close().await;
            if revoked.map_err(api_error)? {
                println!("revoked (已吊销)");
            } else {
                bail!("[TOKEN_NOT_FOUND] 没有与「{prefix}」匹配的有效令牌（或已吊销）");
            }
        }
        TokenAction::List => {
            let store = open_existing(db, true).await?;
            let list = tokens::list(&store).await;
            store.close().await;
            let list = list.map_err(api_error)?;
            println!(
                "{:<14} {:<22} {:<12} {:<20} {:<20} {:<20} revoked",
                "hash", "role", "scope", "label", "created", "expires"
            );
            for t in list {
                println!(
                    "{:<14} {:<22} {:<12} {:<20} {:<20} {:<20} {}",
                    &t.hash[..t.hash.len().min(12)],
                    t.role,
                    t.scope.as_deref().unwrap_or("-"),
                    t.label.as_deref().unwrap_or("-"),
                    t.created_at.format("%Y-%m-%d %H:%M:%S"),
                    t.expires_at.map_or_else(
                        || "-".to_owned(),
                        |e| e.format("%Y-%m-%d %H:%M:%S").to_string()
                    ),
                    t.revoked_at.map_or_else(
                        || "-".to_owned(),
                        |r| r.format("%Y-%m-%d %H:%M:%S").to_string()
                    )
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// When a token created at `now` with `--expires text` stops working: `90d`, `12h`, `4w`, or a
/// date (the end of that day, UTC).
fn parse_expiry(
    text: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    let t = text.trim();
    let malformed = || {
        anyhow::anyhow!(
            "[EXPIRES_MALFORMED] 有效期应为天数、小时或周数（如 90d、12h、4w）或日期（如 2027-03-31）；收到「{text}」"
        )
    };
    let unit = t.chars().last().ok_or_else(malformed)?;
    let hours_per = match unit {
        'h' => Some(1),
        'd' => Some(24),
        'w' => Some(24 * 7),
        _ => None,
    };
    if let Some(per) = hours_per {
        let n: i64 = t[..t.len() - 1].parse().map_err(|_| malformed())?;
        if !(1..=365 * 100).contains(&(n * per / 24).max(1)) || n <= 0 {
            return Err(malformed());
        }
        return Ok(now + chrono::Duration::hours(n * per));
    }
    let day = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| malformed())?;
    let end = day.and_hms_opt(23, 59, 59).ok_or_else(malformed)?.and_utc();
    if end <= now {
        bail!("[EXPIRES_IN_PAST] 有效期 {text} 已过");
    }
    Ok(end)
}

async fn export_dashboards(
    db: &DbArg,
    format: FormatArg,
    as_of: Option<&str>,
    known_at: Option<u64>,
) -> anyhow::Result<ExitCode> {
    let as_of = match as_of {
        Some(text) => parse_date(text, "--as-of")?,
        None => chrono::Local::now().date_naive(),
    };
    let store = open_existing(db, false).await?;
    let (projections, runner) = start_projections(&store).await?;
    let format = match format {
        FormatArg::Csv => Format::Csv,
        FormatArg::Ndjson => Format::Ndjson,
    };
    let mut out = std::io::stdout().lock();
    let written = projections
        .export_dashboards(as_of, known_at, format, &mut out)
        .await;
    drop(out);
    stop(store, projections, runner).await?;
    let written = written.context("导出看板失败")?;
    match known_at {
        Some(p) => eprintln!("{written} figures as of {as_of}, as known at position {p}"),
        None => eprintln!("{written} figures as of {as_of}"),
    }
    Ok(ExitCode::SUCCESS)
}
