//! `export-xlsx`: the cadre list (by unit, rank, leaders, name), the dashboards or the alerts as an
//! Excel workbook with Chinese headings, as the record stood on a date.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use dossier_projections::{Projections, profile::ProfileFilter};
use rust_xlsxwriter::{Format, Workbook};

use crate::commands::{open_existing, parse_date, start_projections, stop};
use crate::{DbArg, XlsxSheet};

/// One table: its sheet name, its headings and its rows.
struct Table {
    sheet: &'static str,
    headings: &'static [&'static str],
    rows: Vec<Vec<String>>,
}

/// The registered cadres on `as_of` matching `filter`, each as the record stood that day.
async fn cadres(
    projections: &Projections,
    filter: &ProfileFilter,
    as_of: NaiveDate,
) -> anyhow::Result<Table> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = projections.profiles(filter, cursor.as_deref(), 500);
        ids.extend(page.items.into_iter().map(|p| p.cadre_id));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let mut rows = Vec::new();
    for id in ids {
        let Some(p) = projections
            .profile_as_of(&id, as_of, None)
            .await
            .context("读取干部失败")?
            .filter(|p| p.registered)
        else {
            continue;
        };
        if filter.unit_id.is_some() && p.unit_id != filter.unit_id {
            continue;
        }
        let text = |o: Option<String>| o.unwrap_or_default();
        rows.push(vec![
            p.cadre_id.clone(),
            p.name.clone(),
            text(p.gender.map(|g| g.zh().to_owned())),
            text(p.birth_date.map(|d| d.format("%Y.%m").to_string())),
            text(p.unit_id.clone()),
            p.posts
                .iter()
                .map(|h| h.title.clone())
                .collect::<Vec<_>>()
                .join("、"),
            text(p.rank.map(|r| r.zh().to_owned())),
            text(p.rank_since.map(|d| d.format("%Y.%m").to_string())),
            text(p.leadership_level.map(|l| l.zh().to_owned())),
            if p.is_leader { "是" } else { "否" }.to_owned(),
        ]);
    }
    Ok(Table {
        sheet: "干部名册",
        headings: &[
            "干部编号",
            "姓名",
            "性别",
            "出生年月",
            "单位",
            "现任职务",
            "职级",
            "任现职级时间",
            "职务层次",
            "领导干部",
        ],
        rows,
    })
}

async fn dashboards(projections: &Projections, as_of: NaiveDate) -> anyhow::Result<Table> {
    let answer = projections
        .dashboards(as_of, None)
        .await
        .context("读取看板失败")?;
    Ok(Table {
        sheet: "统计看板",
        headings: &["看板", "指标", "分项", "数值"],
        rows: answer
            .figures
            .iter()
            .map(|f| {
                vec![
                    f.dashboard.to_owned(),
                    f.metric.to_owned(),
                    f.key.clone(),
                    f.value.to_string(),
                ]
            })
            .collect(),
    })
}

fn alerts(projections: &Projections, as_of: NaiveDate) -> Table {
    Table {
        sheet: "预警提醒",
        headings: &["预警类型", "干部编号", "单位", "到期日", "说明"],
        rows: projections
            .alerts(as_of)
            .iter()
            .map(|a| {
                vec![
                    a.kind.zh().to_owned(),
                    a.cadre_id.clone().unwrap_or_default(),
                    a.unit_id.clone().unwrap_or_default(),
                    a.due.to_string(),
                    a.message.clone(),
                ]
            })
            .collect(),
    }
}

/// Write a table as a workbook: bold headings, numbers as numbers.
fn write(table: &Table, as_of: NaiveDate, out: &Path) -> anyhow::Result<()> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    let fail = |e: rust_xlsxwriter::XlsxError| anyhow::anyhow!("[XLSX_WRITE] 写入工作簿失败：{e}");
    sheet.set_name(table.sheet).map_err(fail)?;
    sheet
        .write_string_with_format(0, 0, format!("截至 {as_of}"), &bold)
        .map_err(fail)?;
    for (c, h) in table.headings.iter().enumerate() {
        sheet
            .write_string_with_format(1, c as u16, *h, &bold)
            .map_err(fail)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = (r + 2) as u32;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v.parse::<f64>() {
                Ok(n) if table.sheet == "统计看板" && c == 3 => sheet.write_number(r, c, n),
                _ => sheet.write_string(r, c, v),
            }
            .map_err(fail)?;
        }
    }
    book.save(out)
        .map_err(|e| anyhow::anyhow!("[XLSX_WRITE] 无法写入 {}：{e}", out.display()))
}

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
        XlsxSheet::Cadres => cadres(&projections, &filter, as_of).await,
        XlsxSheet::Dashboards => dashboards(&projections, as_of).await,
        XlsxSheet::Alerts => Ok(alerts(&projections, as_of)),
    };
    stop(store, projections, runner).await?;
    let table = table?;
    write(&table, as_of, out)?;
    println!(
        "export-xlsx: {} {} 行（截至 {as_of}）已写入 {}",
        table.sheet,
        table.rows.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
