//! Excel workbooks out of the record at the API: the cadre list (by unit, rank, leaders, name),
//! the dashboards or the alerts, each as the record stood on a date, with Chinese headings.

use chrono::NaiveDate;
use dossier_projections::{Projections, profile::ProfileFilter};
use rust_xlsxwriter::{Format, Workbook};

use crate::error::ApiError;

/// The dashboards' sheet, whose value column holds numbers.
const DASHBOARDS_SHEET: &str = "统计看板";

/// One table: its sheet name, its headings and its rows.
pub struct Table {
    pub sheet: &'static str,
    pub headings: &'static [&'static str],
    pub rows: Vec<Vec<String>>,
}

/// The registered cadres on `as_of` matching `filter`, each as the record stood that day.
pub async fn cadres(
    projections: &Projections,
    filter: &ProfileFilter,
    as_of: NaiveDate,
) -> Result<Table, ApiError> {
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
            .map_err(ApiError::internal)?
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

pub async fn dashboards(projections: &Projections, as_of: NaiveDate) -> Result<Table, ApiError> {
    let answer = projections
        .dashboards(as_of, None)
        .await
        .map_err(ApiError::internal)?;
    Ok(Table {
        sheet: DASHBOARDS_SHEET,
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

pub async fn alerts(
    projections: &Projections,
    as_of: NaiveDate,
    unit: Option<&str>,
) -> Result<Table, ApiError> {
    Ok(Table {
        sheet: "预警提醒",
        headings: &["预警类型", "干部编号", "单位", "到期日", "说明"],
        rows: projections
            .alerts_as_of(as_of, None)
            .await
            .map_err(ApiError::internal)?
            .iter()
            .filter(|a| unit.is_none() || a.unit_id.as_deref() == unit)
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
    })
}

/// A table as an .xlsx workbook: the date in the first row, bold headings, numbers as numbers.
pub fn workbook(table: &Table, as_of: NaiveDate) -> Result<Vec<u8>, ApiError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    let fail = |e: rust_xlsxwriter::XlsxError| ApiError::internal(format!("写入工作簿失败：{e}"));
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
                Ok(n) if table.sheet == DASHBOARDS_SHEET && c == 3 => sheet.write_number(r, c, n),
                _ => sheet.write_string(r, c, v),
            }
            .map_err(fail)?;
        }
    }
    book.save_to_buffer().map_err(fail)
}
