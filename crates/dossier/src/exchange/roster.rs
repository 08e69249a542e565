//! `import-roster`: an Excel 花名册 (.xlsx) entered row by row as cadres through the commands. Columns
//! are found by their headings (a mapping file, or the common headings); a dry run lists every row
//! that would be refused and why; a row entered before (command id from the file's digest and the
//! row) is not entered again, so an interrupted import is resumed by running it again.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::{Datelike, NaiveDate};
use dossier_api::exchange::{cadre_id_for, digest};
use dossier_api::service::{Entry, EntryResult};
use dossier_domain::{
    cadre::{self, EducationRecord, Particulars, RecordParticulars, Register},
    idcard, lrmx_map, person_codes,
    types::{Gender, Rank},
};
use serde::Deserialize;

use super::{Session, operator};
use crate::commands::{api_error, parse_date};
use crate::lock::lock_database;
use crate::{DbArg, progress};

/// How many rows one call of the command service enters.
const CHUNK: usize = 1000;

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

/// The registered units by name.
async fn units_by_name(session: &Session) -> anyhow::Result<HashMap<String, String>> {
    let streams = session
        .store
        .list_streams("unit-")
        .await
        .context("读取单位失败")?;
    let mut out = HashMap::new();
    for (stream, _) in streams {
        let id = stream.trim_start_matches("unit-");
        if let Some(unit) = session.service.unit_state(id).await.map_err(api_error)? {
            out.insert(unit.name.clone(), unit.unit_id.clone());
        }
    }
    Ok(out)
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
    let file_digest = digest(&bytes);
    let mut workbook: Xlsx<_> = open_workbook(file).map_err(|e| {
        anyhow::anyhow!(
            "[ROSTER_MALFORMED] {} 不是有效的 .xlsx 文件：{e}",
            file.display()
        )
    })?;
    let Some(range) = workbook.worksheet_range_at(0) else {
        bail!("[ROSTER_EMPTY] {} 没有工作表", file.display());
    };
    let range = range.map_err(|e| anyhow::anyhow!("[ROSTER_MALFORMED] 无法读取工作表：{e}"))?;
    let mut rows = range.rows();
    let Some(headings) = rows.next() else {
        bail!("[ROSTER_EMPTY] {} 没有表头", file.display());
    };
    let headings: Vec<String> = headings.iter().map(|c| cell_text(Some(c))).collect();
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
            None if required && !heading.is_empty() => bail!(
                "[ROSTER_COLUMN_MISSING] {} 的表头没有“{heading}”列（用 --mapping 指定列名）",
                file.display()
            ),
            None => {}
        }
    }
    let _lock = lock_database(&db.db, "import-roster")?;
    let session = Session::open(&db.db).await?;
    let result = run(&session, rows, &at, &file_digest, file, on, dry_run).await;
    session.close().await?;
    result
}

#[allow(clippy::too_many_arguments)]
async fn run<'r>(
    session: &Session,
    rows: impl Iterator<Item = &'r [Data]>,
    at: &HashMap<&'static str, usize>,
    file_digest: &str,
    file: &Path,
    on: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let effective = match on {
        Some(d) => parse_date(d, "--on")?,
        None => session.service.today(),
    };
    let units = units_by_name(session).await?;
    let name = file.display().to_string();
    let mut refused: Vec<(usize, String)> = Vec::new();
    let mut entries: Vec<(usize, Entry)> = Vec::new();
    for (i, cells) in rows.enumerate() {
        let row = i + 2;
        if cells.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        match row_entry(cells, at, &units, row, file_digest, &name) {
            Ok(e) => entries.push((row, e)),
            Err(why) => refused.push((row, why.join("；"))),
        }
    }
    let total = entries.len() + refused.len();
    let bar = progress::bar(entries.len() as u64, "import-roster");
    let (mut created, mut skipped) = (0, 0);
    let actor = operator();
    for chunk in entries.chunks(CHUNK) {
        let results = session
            .service
            .enter_cadres(
                &actor,
                effective,
                chunk.iter().map(|(_, e)| e.clone()).collect(),
                dry_run,
            )
            .await
            .map_err(api_error)?;
        for ((row, _), result) in chunk.iter().zip(results) {
            match result {
                EntryResult::Entered { .. } => created += 1,
                EntryResult::AlreadyEntered { .. } => skipped += 1,
                EntryResult::Refused { error, .. } => refused.push((
                    *row,
                    format!("[{}] {error}", error.rule().unwrap_or(error.code())),
                )),
            }
        }
        bar.inc(chunk.len() as u64);
        if !bar.is_hidden() {
            continue;
        }
        eprintln!("import-roster: {}/{} 行", bar.position(), entries.len());
    }
    bar.finish_and_clear();
    refused.sort();
    for (row, why) in &refused {
        println!("第 {row} 行：{why}");
    }
    let verb = if dry_run { "将登记" } else { "登记" };
    println!(
        "import-roster{}: {total} 行，{verb} {created} 名干部，拒绝 {} 行，已导入过 {skipped} 行{}",
        if dry_run { " --dry-run" } else { "" },
        refused.len(),
        if dry_run {
            "；未写入任何内容 (nothing written)"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}
