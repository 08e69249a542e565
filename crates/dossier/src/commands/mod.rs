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

mod demo_load;
mod log;
mod token;

use demo_load::*;
use log::*;
use token::*;

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

/// A date option: `YYYY-MM-DD`, within the years the API accepts (the `Date` scalar's own
/// check, [`dossier_api::schema::scalars::Date::checked`]), refused otherwise as GraphQL refuses it.
pub(crate) fn parse_date(text: &str, what: &str) -> anyhow::Result<NaiveDate> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        anyhow::anyhow!(
            "[INVALID_DATE] {what}「{text}」不是有效日期，应为 YYYY-MM-DD，例如 2025-06-30"
        )
    })?;
    dossier_api::schema::scalars::Date::checked(what, date)
        .map(|d| d.0)
        .map_err(|e| api_error(e.into()))
}

/// Today as the API reads it when a date is left out: the date in China Standard Time,
/// whatever the machine's time zone ([`dossier_api::service::Clock::System`]).
pub(crate) fn today() -> NaiveDate {
    dossier_api::service::Clock::System.today()
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

async fn export_dashboards(
    db: &DbArg,
    format: FormatArg,
    as_of: Option<&str>,
    known_at: Option<u64>,
) -> anyhow::Result<ExitCode> {
    let as_of = match as_of {
        Some(text) => parse_date(text, "--as-of")?,
        None => today(),
    };
    let store = open_existing(db, false).await?;
    let (projections, runner) = start_projections(&store).await?;
    let format = match format {
        FormatArg::Csv => Format::Csv,
        FormatArg::Ndjson => Format::Ndjson,
    };
    // The same answer GraphQL's `dashboards` gives: a `--known-at` beyond the log's head reads
    // the log as known now, and the position reported is the one the figures take into account.
    let answer = projections.dashboards(as_of, known_at).await;
    let written = answer.map_err(anyhow::Error::from).and_then(|answer| {
        let mut out = std::io::stdout().lock();
        let written =
            dossier_projections::export::export_figures(&answer.figures, format, &mut out)?;
        Ok((written, answer.position))
    });
    stop(store, projections, runner).await?;
    let (written, position) = written.context("导出看板失败")?;
    match known_at {
        Some(p) if p > position => eprintln!(
            "{written} figures as of {as_of}, as known at position {position} (the log's head; --known-at {p} is beyond it)"
        ),
        Some(_) => eprintln!("{written} figures as of {as_of}, as known at position {position}"),
        None => eprintln!("{written} figures as of {as_of}"),
    }
    Ok(ExitCode::SUCCESS)
}
