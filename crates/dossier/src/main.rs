//! The `dossier` binary: command-line interface, configuration and wiring.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use dossier_store::{Store, StoreOptions, VerifyReport};

#[derive(Debug, Parser)]
#[command(name = "dossier", version, about = "干部选育管用事件档案 (Dossier)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Recompute the event log's hash chain; print the count checked or the first bad position.
    Verify {
        /// The database file.
        #[arg(long, env = "DOSSIER_DB", default_value = "dossier.db")]
        db: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Verify { db } => verify(db).await,
    }
}

async fn verify(db: PathBuf) -> anyhow::Result<ExitCode> {
    let options = StoreOptions {
        create_if_missing: false,
        read_only: true,
        read_connections: 1,
        ..StoreOptions::default()
    };
    let store = Store::open(&db, options)
        .await
        .with_context(|| format!("打开 {} 失败", db.display()))?;
    let report = store.verify().await.context("校验失败")?;
    store.close().await;
    Ok(match report {
        VerifyReport::Ok { checked } => {
            println!(
                "ok: {checked} events checked, hash chain intact (已校验 {checked} 个事件，哈希链完整)"
            );
            ExitCode::SUCCESS
        }
        VerifyReport::Broken {
            position,
            reason,
            checked,
        } => {
            println!("broken at position {position}: {reason} ({checked} events before it intact)");
            ExitCode::from(2)
        }
    })
}
