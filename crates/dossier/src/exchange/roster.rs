//! `import-roster`: an Excel 花名册 (.xlsx) entered row by row as cadres through the commands. Columns
//! are found by their headings (a mapping file, or the common headings); a dry run lists every row
//! that would be refused and why; a row entered before (command id from the file's digest and the
//! row) is not entered again, so an interrupted import is resumed by running it again.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use dossier_api::exchange::roster::{self, Mapping};
use serde::Deserialize;

use super::{Session, operator};
use crate::commands::{api_error, parse_date};
use crate::{DbArg, progress};

/// A mapping file: `[columns]` with `field = "heading"` (TOML).
#[derive(Debug, Deserialize)]
struct MappingFile {
    columns: Mapping,
}

fn load_mapping(path: Option<&Path>) -> anyhow::Result<Mapping> {
    let Some(path) = path else {
        return Ok(Mapping::default());
    };
    use figment::providers::Format as _;
    let file: MappingFile = figment::Figment::new()
        .merge(figment::providers::Toml::file_exact(path))
        .extract()
        .map_err(|e| anyhow::anyhow!("[ROSTER_MAPPING] 列映射文件 {} 无效：{e}", path.display()))?;
    Ok(file.columns)
}

pub async fn import(
    db: &DbArg,
    file: &Path,
    mapping: Option<&Path>,
    on: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let mapping = load_mapping(mapping)?;
    let bytes = std::fs::read(file)
        .with_context(|| format!("[ROSTER_UNREADABLE] 无法读取 {}", file.display()))?;
    let sheet =
        roster::Sheet::open(&file.display().to_string(), &bytes, &mapping).map_err(api_error)?;
    let session = Session::open(&db.db, "import-roster").await?;
    let result = run(&session, &sheet, on, dry_run).await;
    session.close().await?;
    result
}

async fn run(
    session: &Session,
    sheet: &roster::Sheet,
    on: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let effective = match on {
        Some(d) => parse_date(d, "--on")?,
        None => session.service.today(),
    };
    let units = roster::units_by_name(&session.service)
        .await
        .map_err(api_error)?;
    let rows = sheet.rows(&units);
    let bar = progress::bar(rows.entries.len() as u64, "import-roster");
    let accepted = rows.entries.len();
    let outcome = roster::enter(
        &session.service,
        &operator(),
        effective,
        rows,
        dry_run,
        |n| {
            bar.inc(n as u64);
            if bar.is_hidden() {
                eprintln!("import-roster: {}/{accepted} 行", bar.position());
            }
        },
    )
    .await
    .map_err(api_error)?;
    bar.finish_and_clear();
    for (row, why) in &outcome.refused {
        println!("第 {row} 行：{why}");
    }
    let verb = if dry_run { "将登记" } else { "登记" };
    println!(
        "import-roster{}: {} 行，{verb} {} 名干部，拒绝 {} 行，已导入过 {} 行{}",
        if dry_run { " --dry-run" } else { "" },
        outcome.rows,
        outcome.created,
        outcome.refused.len(),
        outcome.already_entered,
        if dry_run {
            "；未写入任何内容 (nothing written)"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}
