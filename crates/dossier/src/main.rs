//! The `dossier` binary: command-line interface, configuration and wiring.

mod backup;
mod commands;
mod config;
mod demo;
mod demo_token;
mod exchange;
mod lock;
mod progress;
mod transfer;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// mimalloc: rebuilds and request handling allocate many small, short-lived values on several
/// threads, where it is markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(name = "dossier", version, about = "干部选育管用事件档案 (Dossier)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the event log lives (every subcommand takes it).
#[derive(Debug, Clone, clap::Args)]
struct DbArg {
    /// The database file (created and migrated by `serve`, `demo` and `import`), or a
    /// PostgreSQL database as `postgres://user@host:port/name` (several `serve` may share it).
    #[arg(long, env = "DOSSIER_DB", default_value = "dossier.db", global = true)]
    db: PathBuf,
}

/// How hard a commit waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DurabilityArg {
    /// synchronous=NORMAL: the last commits may be lost on power failure (never corrupted).
    Normal,
    /// synchronous=FULL: an acknowledged command is on disk (default).
    Full,
}

/// Size and seed of the demo district.
#[derive(Debug, Clone, clap::Args)]
struct DemoArgs {
    /// Seed of the scenario's random choices (same seed, same district).
    #[arg(long, default_value_t = 2024)]
    seed: u64,
    /// How many cadres the district has (at least the scenario's minimum; scale up for benchmarks).
    #[arg(long, default_value_t = demo::DEFAULT_CADRES)]
    cadres: usize,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the GraphQL server (GraphiQL at /graphql).
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Address to listen on (default 127.0.0.1:8080, or `listen` in the configuration).
        #[arg(long, env = "DOSSIER_LISTEN")]
        listen: Option<SocketAddr>,
        /// The configuration file (default: ./dossier.toml if it exists); see docs/operations.md.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Load the Jiangyan demo district first if the log is empty, and print its admin token
        /// (minted when the district is loaded, kept in `<db>.demo-token`, shown again while valid).
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        demo_args: DemoArgs,
        /// Commit durability (default full, or `durability` in the configuration).
        #[arg(long, value_enum, env = "DOSSIER_DURABILITY")]
        durability: Option<DurabilityArg>,
    },
    /// Build the Jiangyan demo district through the public commands (into an empty log).
    Demo {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        demo_args: DemoArgs,
    },
    /// Recompute the event log's hash chain; print the count checked and the log's anchor
    /// (last position and its hash, to be written down), or the first bad position.
    Verify {
        #[command(flatten)]
        db: DbArg,
        /// An anchor printed by an earlier `verify` (`POSITION:HASH`): the log must still
        /// reach that position with that hash (detects events cut off the end, or a rewrite).
        #[arg(long)]
        anchor: Option<String>,
    },
    /// Rebuild every read model from the log and save fresh snapshots.
    Rebuild {
        #[command(flatten)]
        db: DbArg,
    },
    /// Print a stream as it stood on a date (and as known at a log position), as JSON.
    Replay {
        #[command(flatten)]
        db: DbArg,
        /// The stream, e.g. `cadre-c0001` or `unit-u01`.
        #[arg(long)]
        stream: String,
        /// The effective date (YYYY-MM-DD): facts effective on or before it.
        #[arg(long)]
        as_of: String,
        /// Only what the log knew at this position.
        #[arg(long)]
        known_at: Option<u64>,
    },
    /// Write the whole event log as NDJSON (one event a line, with its hash), ending with the
    /// log's anchor.
    Export {
        #[command(flatten)]
        db: DbArg,
        /// The file to write (`-`: standard output). An existing file is not overwritten.
        #[arg(long)]
        out: PathBuf,
        /// Overwrite the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Load an NDJSON export into an empty database, refusing a file whose hash chain is
    /// broken or whose anchor (last line) is missing or does not match.
    Import {
        #[command(flatten)]
        db: DbArg,
        /// The file to read.
        #[arg(long = "in")]
        input: PathBuf,
        /// An anchor written down earlier (`POSITION:HASH`): the file must reach that position
        /// with that hash.
        #[arg(long)]
        anchor: Option<String>,
    },
    /// Create or bring up to date the database's schema (a SQLite file, or a PostgreSQL
    /// database given as `--db postgres://…`); `serve` and `import` do it too.
    Migrate {
        #[command(flatten)]
        db: DbArg,
    },
    /// Create, revoke and list API tokens.
    Token {
        #[command(flatten)]
        db: DbArg,
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Copy the database while the server runs (one consistent snapshot), verify the copy's
    /// hash chain and print its anchor. An existing file is never overwritten.
    Backup {
        #[command(flatten)]
        db: DbArg,
        /// The copy to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Put a backup in place of the database (no process may be writing it), refusing a copy
    /// whose hash chain, or a recorded anchor, does not verify.
    Restore {
        #[command(flatten)]
        db: DbArg,
        /// The backup to restore.
        #[arg(long)]
        from: PathBuf,
        /// The anchor written down when the backup was taken (`POSITION:HASH`).
        #[arg(long)]
        anchor: Option<String>,
        /// Replace an existing database.
        #[arg(long)]
        force: bool,
    },
    /// Write every dashboard figure as CSV or NDJSON to standard output.
    ExportDashboards {
        #[command(flatten)]
        db: DbArg,
        /// Output format.
        #[arg(long, value_enum, default_value = "csv")]
        format: FormatArg,
        /// The effective date the figures are for: only facts effective on or before it count
        /// (1900-01-01 to 2100-12-31; default: today in China Standard Time, as GraphQL's `dashboards`).
        #[arg(long)]
        as_of: Option<String>,
        /// As the log knew it at this position: only facts recorded at or before it count (default:
        /// all; a position beyond the log's head reads the log as known now, and the position reported is the head).
        #[arg(long)]
        known_at: Option<u64>,
    },
    /// Enter the persons of 任免审批表 files (.lrmx, or folders of them) as cadres through the
    /// commands, all or nothing: any problem in any file (named by file and field) writes nothing.
    ImportLrmx {
        #[command(flatten)]
        db: DbArg,
        /// The .lrmx files and folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The unit the cadres are registered in (e.g. u01).
        #[arg(long)]
        unit: String,
        /// The date the registrations take effect (YYYY-MM-DD, default: today).
        #[arg(long)]
        on: Option<String>,
        /// Report what would be created and every problem; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Enter the rows of an Excel 花名册 (.xlsx) as cadres through the commands; a row refused is
    /// listed with why; a row entered before is not entered again (run again to resume).
    ImportRoster {
        #[command(flatten)]
        db: DbArg,
        /// The .xlsx file (its first sheet, headings in the first row).
        file: PathBuf,
        /// A TOML file mapping fields to headings (`[columns] name = "姓名"` …); default: the
        /// common headings 姓名 性别 出生年月 民族 籍贯 身份证号 单位 职务 职级 任职时间 学历.
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// The date the registrations take effect (YYYY-MM-DD, default: today).
        #[arg(long)]
        on: Option<String>,
        /// List every row that would be refused and why; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the cadre list, the dashboards or the alerts as an Excel workbook (.xlsx) with
    /// Chinese headings, as the record stood on a date.
    ExportXlsx {
        #[command(flatten)]
        db: DbArg,
        /// What to write.
        #[arg(long, value_enum)]
        sheet: XlsxSheet,
        /// The date (YYYY-MM-DD): facts effective on or before it.
        #[arg(long)]
        as_of: String,
        /// Cadres of this unit only.
        #[arg(long)]
        unit: Option<String>,
        /// Leaders only.
        #[arg(long)]
        leaders: bool,
        /// Cadres whose name contains this text.
        #[arg(long)]
        name: Option<String>,
        /// The workbook to write (an existing file is not overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a cadre's 任免审批表 (.lrmx) as the record stood on a date.
    ExportLrmx {
        #[command(flatten)]
        db: DbArg,
        /// The cadre id.
        #[arg(long)]
        cadre: String,
        /// The date (YYYY-MM-DD): facts effective on or before it.
        #[arg(long)]
        as_of: String,
        /// The file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// What `export-xlsx` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum XlsxSheet {
    /// 干部名册
    Cadres,
    /// 统计看板
    Dashboards,
    /// 预警提醒
    Alerts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Csv,
    Ndjson,
}

#[derive(Debug, Subcommand)]
enum TokenAction {
    /// Create a token and print it (it is shown this once only).
    Create {
        /// org_admin, discipline_inspector, unit_head, cadre, auditor or analyst.
        #[arg(long)]
        role: String,
        /// A unit id (unit_head) or cadre id (cadre), registered in the log.
        #[arg(long)]
        scope: Option<String>,
        /// Who holds it or what it is for.
        #[arg(long, default_value = "cli")]
        label: String,
        /// When it stops working: a duration (`90d`, `12h`, `4w`) or a date (`2027-03-31`,
        /// end of that day UTC). Default: until revoked.
        #[arg(long)]
        expires: Option<String>,
    },
    /// Revoke a token: the token itself, its hash or a unique hash prefix (at least 8 hex digits).
    Revoke {
        /// The token (`dos_…`), its hash or a prefix of the hash, as `token list` shows it.
        prefix: String,
    },
    /// List tokens (hash prefix, role, scope, label, created, expires, revoked).
    List,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Only `serve` reads the configuration (file, then environment, then flags).
    let settings = match &cli.command {
        Command::Serve { config, .. } => match config::load(config.as_deref()) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("错误：{e:#}");
                return ExitCode::FAILURE;
            }
        },
        _ => None,
    };
    init_logging(
        settings.is_some(),
        settings.as_ref().map(|s| s.log_format).unwrap_or_default(),
    );
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli, settings)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Structured logs on standard error; `RUST_LOG` overrides the level (info for `serve`, warn
/// otherwise). Colour codes only when standard error is a terminal (never in a file or a
/// journal); JSON lines with `log_format = "json"`.
fn init_logging(serving: bool, format: config::LogFormat) {
    use std::io::IsTerminal as _;
    use tracing_subscriber::EnvFilter;
    let default = if serving { "info" } else { "warn" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = match format {
        config::LogFormat::Text => builder.try_init(),
        config::LogFormat::Json => builder.json().try_init(),
    };
}
