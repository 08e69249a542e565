//! 花名册 (.xlsx roster) import at the API: columns found by their headings, each row checked and
//! turned into the commands that register its person, rows refused with every reason, and the
//! accepted rows entered through the command service in chunks. A row entered before (command id
//! from the file's digest and the row) is not entered again, so an import is resumed by re-running it.

use std::collections::HashMap;

use calamine::{Data, Reader as _, Xlsx};
use chrono::{Datelike, NaiveDate};
use dossier_domain::{
    Actor,
    cadre::{self, EducationRecord, Particulars, RecordParticulars, Register},
    idcard, lrmx_map, person_codes,
    types::{Gender, Rank},
};
use serde::Deserialize;

use super::{cadre_id_for, digest};
use crate::{
    error::ApiError,
    service::{Entry, EntryResult, Service},
};

/// How many rows one call of the command service enters.
pub const CHUNK: usize = 1000;

/// The heading of each field's column. `name`, `id_number` and `unit` are required.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Mapping {
    pub name: String,
    pub gender: String,
    pub birth_month: String,
    pub ethnicity: String,
    pub native_place: String,
    pub id_number: String,
    pub unit: String,
    pub post: String,
    pub rank: String,
    pub post_since: String,
    pub education: String,
}

impl Default for Mapping {
    /// The common 花名册 headings.
    fn default() -> Self {
        Mapping {
            name: "姓名".into(),
            gender: "性别".into(),
            birth_month: "出生年月".into(),
            ethnicity: "民族".into(),
            native_place: "籍贯".into(),
            id_number: "身份证号".into(),
            unit: "单位".into(),
            post: "职务".into(),
            rank: "职级".into(),
            post_since: "任职时间".into(),
            education: "学历".into(),
        }
    }
}

/// The rows of a roster read against the registered units: the entries, and the rows refused
/// (row number as Excel shows it, every reason joined).
#[derive(Debug, Default)]
pub struct RosterRows {
    pub entries: Vec<(usize, Entry)>,
    pub refused: Vec<(usize, String)>,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Default)]
pub struct RosterOutcome {
    /// Non-empty rows read.
    pub rows: usize,
    /// Cadres entered (in a dry run: that would be).
    pub created: usize,
    /// Rows entered by an earlier run of the same file.
    pub already_entered: usize,
    /// Rows refused, by row number, with why.
    pub refused: Vec<(usize, String)>,
}

fn malformed(file: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::Validation {
        rule: Some("ROSTER_MALFORMED"),
        message: format!("{file} 不是有效的 .xlsx 文件：{e}"),
    }
}

/// A roster's first sheet with its columns found: the headings checked, the rows not yet.
pub struct Sheet {
    file: String,
    file_digest: String,
    range: calamine::Range<Data>,
    at: HashMap<&'static str, usize>,
}

impl Sheet {
    /// Open a roster (`file` names it in messages and in the events' basis) and find each
    /// field's column by its heading in the first row: a malformed file or a missing required
    /// column is refused before any row is read.
    pub fn open(file: &str, bytes: &[u8], mapping: &Mapping) -> Result<Sheet, ApiError> {
        let mut workbook =
            Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| malformed(file, e))?;
        let empty = |what: &str| ApiError::Validation {
            rule: Some("ROSTER_EMPTY"),
            message: format!("{file} 没有{what}"),
        };
        let range = workbook
            .worksheet_range_at(0)
            .ok_or_else(|| empty("工作表"))?
            .map_err(|e| malformed(file, e))?;
        let headings: Vec<String> = range
            .rows()
            .next()
            .ok_or_else(|| empty("表头"))?
            .iter()
            .map(|c| cell_text(Some(c)))
            .collect();
        let mut at: HashMap<&'static str, usize> = HashMap::new();
        for (field, heading, required) in [
            ("name", &mapping.name, true),
            ("gender", &mapping.gender, false),
            ("birth_month", &mapping.birth_month, false),
            ("ethnicity", &mapping.ethnicity, false),
            ("native_place", &mapping.native_place, false),
            ("id_number", &mapping.id_number, true),
            ("unit", &mapping.unit, true),
            ("post", &mapping.post, false),
            ("rank", &mapping.rank, false),
            ("post_since", &mapping.post_since, false),
            ("education", &mapping.education, false),
        ] {
            match headings.iter().position(|h| h == heading) {
                Some(i) => {
                    at.insert(field, i);
                }
                None if required && !heading.is_empty() => {
                    return Err(ApiError::Validation {
                        rule: Some("ROSTER_COLUMN_MISSING"),
                        message: format!(
                            "{file} 的表头没有“{heading}”列（请用列映射指定列名：命令行 --mapping，GraphQL 的 mapping）"
                        ),
                    });
                }
                None => {}
            }
        }
        Ok(Sheet {
            file: file.to_owned(),
            file_digest: digest(bytes),
            range,
            at,
        })
    }

    /// Every row below the headings checked against the registered units (`units`: name → id).
    pub fn rows(&self, units: &HashMap<String, String>) -> RosterRows {
        let mut out = RosterRows::default();
        for (i, cells) in self.range.rows().skip(1).enumerate() {
            let row = i + 2;
            if cells.iter().all(|c| matches!(c, Data::Empty)) {
                continue;
            }
            match row_entry(cells, &self.at, units, row, &self.file_digest, &self.file) {
                Ok(e) => out.entries.push((row, e)),
                Err(why) => out.refused.push((row, why.join("；"))),
            }
        }
        out
    }
}

/// The registered units by name.
pub async fn units_by_name(service: &Service) -> Result<HashMap<String, String>, ApiError> {
    let streams = service
        .store()
        .list_streams("unit-")
        .await
        .map_err(ApiError::internal)?;
    let mut out = HashMap::new();
    for (stream, _) in streams {
        let id = stream.trim_start_matches("unit-");
        if let Some(unit) = service.unit_state(id).await? {
            out.insert(unit.name.clone(), unit.unit_id.clone());
        }
    }
    Ok(out)
}

/// Enter the accepted rows as `actor`, effective on `effective`, `CHUNK` rows per call;
/// `progress` hears how many rows each chunk settled.
pub async fn enter(
    service: &Service,
    actor: &Actor,
    effective: NaiveDate,
    rows: RosterRows,
    dry_run: bool,
    mut progress: impl FnMut(usize),
) -> Result<RosterOutcome, ApiError> {
    let mut out = RosterOutcome {
        rows: rows.entries.len() + rows.refused.len(),
        refused: rows.refused,
        ..RosterOutcome::default()
    };
    for chunk in rows.entries.chunks(CHUNK) {
        let results = service
            .enter_cadres(
                actor,
                effective,
                chunk.iter().map(|(_, e)| e.clone()).collect(),
                dry_run,
            )
            .await?;
        for ((row, _), result) in chunk.iter().zip(results) {
            match result {
                EntryResult::Entered { .. } => out.created += 1,
                EntryResult::AlreadyEntered { .. } => out.already_entered += 1,
                EntryResult::Refused { error, .. } => out.refused.push((
                    *row,
                    format!("[{}] {error}", error.rule().unwrap_or(error.code())),
                )),
            }
        }
        progress(chunk.len());
    }
    out.refused.sort();
    Ok(out)
}

/// The text of a cell (numbers without a trailing `.0`; dates as `YYYY-MM-DD`).
fn cell_text(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_owned(),
        Some(Data::Float(f)) if f.fract() == 0.0 => format!("{f:.0}"),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Bool(b)) => b.to_string(),
        // An Excel date: days since 1899-12-30.
        Some(Data::DateTime(d)) => NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(d.as_f64().max(0.0) as u64)))
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        Some(other) => other.to_string().trim().to_owned(),
    }
}

/// A year-month cell: `YYYYMM`, `YYYY.MM`, `YYYY-MM`, `YYYY-MM-DD` or a date cell.
fn month_of(text: &str) -> Option<NaiveDate> {
    lrmx_map::form_month(text).or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .or_else(|| NaiveDate::parse_from_str(text, "%Y.%m.%d").ok())
            .and_then(|d| d.with_day(1))
    })
}

/// One row read: its entry, or why it is refused.
fn row_entry(
    cells: &[Data],
    at: &HashMap<&'static str, usize>,
    units: &HashMap<String, String>,
    row: usize,
    file_digest: &str,
    file: &str,
) -> Result<Entry, Vec<String>> {
    let get = |field: &str| cell_text(at.get(field).and_then(|i| cells.get(*i)));
    let mut why = Vec::new();
    let name = get("name");
    if name.is_empty() {
        why.push("姓名为空".to_owned());
    }
    let id = match idcard::parse(&get("id_number")) {
        Ok(id) => Some(id),
        Err(e) => {
            why.push(format!("身份证号：{}", e.message()));
            None
        }
    };
    let unit_name = get("unit");
    let unit_id = units.get(&unit_name).cloned();
    if unit_id.is_none() {
        why.push(format!("单位“{unit_name}”未登记"));
    }
    let gender = match get("gender").as_str() {
        "" => None,
        g => match Gender::from_zh(g) {
            Some(g) => Some(g),
            None => {
                why.push(format!("性别“{g}”无法识别"));
                None
            }
        },
    };
    if let (Some(g), Some(id)) = (gender, &id)
        && g != id.gender
    {
        why.push(format!("性别“{}”与身份证号不一致", g.zh()));
    }
    let birth = get("birth_month");
    if !birth.is_empty() {
        match month_of(&birth) {
            None => why.push(format!("出生年月“{birth}”格式不正确（应为 YYYY.MM）")),
            Some(m) => {
                if let Some(id) = &id
                    && (m.year(), m.month()) != (id.birth_date.year(), id.birth_date.month())
                {
                    why.push(format!("出生年月“{birth}”与身份证号不一致"));
                }
            }
        }
    }
    let since_text = get("post_since");
    let since = match since_text.as_str() {
        "" => None,
        t => {
            let m = month_of(t);
            if m.is_none() {
                why.push(format!("任职时间“{t}”格式不正确（应为 YYYY.MM）"));
            }
            m
        }
    };
    let ethnicity = get("ethnicity");
    if !ethnicity.is_empty() && !person_codes::in_table(person_codes::ETHNICITIES, &ethnicity) {
        why.push(format!("民族“{ethnicity}”不在代码表中"));
    }
    let rank_text = get("rank");
    let rank = match rank_text.as_str() {
        "" => None,
        t => match Rank::ALL.iter().find(|r| r.zh() == t) {
            Some(r) if since.is_some() => Some(*r),
            Some(_) => {
                why.push("填写职级时须填写任职时间".to_owned());
                None
            }
            None => {
                why.push(format!("职级“{t}”无法识别"));
                None
            }
        },
    };
    let (Some(id), Some(unit_id), true) = (id, unit_id, why.is_empty()) else {
        return Err(why);
    };
    let cadre_id = cadre_id_for(&id.number);
    let register = Register {
        cadre_id: cadre_id.clone(),
        name,
        id_number: id.number,
        gender,
        birth_date: Some(id.birth_date),
        ethnicity: Some(ethnicity).filter(|e| !e.is_empty()),
        unit_id,
        rank,
        rank_since: rank.and(since),
        leadership_level: None,
        level_since: None,
        joined_work_on: None,
    };
    let particulars = Particulars {
        native_place: get("native_place"),
        full_time_education: EducationRecord {
            level: get("education"),
            ..EducationRecord::default()
        },
        current_post: format!("{unit_name}{}", get("post")),
        ..Particulars::default()
    };
    Ok(Entry {
        commands: vec![
            cadre::Command::Register(register),
            cadre::Command::RecordParticulars(RecordParticulars {
                cadre_id,
                particulars: Box::new(particulars),
            }),
        ],
        command_id: format!("roster-{}-{row}", &file_digest[..24]),
        basis: format!("花名册 {file} 第 {row} 行"),
    })
}
