//! `export-xlsx`: the cadre list (by unit, rank, leaders, name), the dashboards or the alerts as an
//! Excel workbook with Chinese headings, as the record stood on a date.

use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;
use dossier_api::exchange::xlsx;
use dossier_projections::profile::ProfileFilter;

use crate::commands::{api_error, open_existing, parse_date, start_projections, stop};
use crate::{DbArg, XlsxSheet};

pub async fn export(
    db: &DbArg,
    what: XlsxSheet,
    as_of: &str,
    filter: ProfileFilter,
    out: &Path,
) -> anyhow::Result<ExitCode> {
    let as_of = parse_date(as_of, "--as-of")?;
    if out.exists() {
        bail!("[OUTPUT_EXISTS] {} 已存在，未覆盖", out.display());
    }
    let store = open_existing(db, false).await?;
    let (projections, runner) = start_projections(&store).await?;
    let table = match what {
        XlsxSheet::Cadres => xlsx::cadres(&projections, &filter, as_of).await,
        XlsxSheet::Dashboards => xlsx::dashboards(&projections, as_of).await,
        XlsxSheet::Alerts => xlsx::alerts(&projections, as_of, None).await,
    };
    stop(store, projections, runner).await?;
    let table = table.map_err(api_error)?;
    let bytes = xlsx::workbook(&table, as_of).map_err(api_error)?;
    std::fs::write(out, bytes)
        .map_err(|e| anyhow::anyhow!("[XLSX_WRITE] 无法写入 {}：{e}", out.display()))?;
    println!(
        "export-xlsx: {} {} 行（截至 {as_of}）已写入 {}",
        table.sheet,
        table.rows.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
