//! The ranges every value must fall in before it is recorded: identifiers (a documented character set), years and dates (1900–2100; a record's effective date from 1950), hours and counts; checked once for every payload a command appends.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use crate::error::DomainError;

/// The rule code of every refusal here.
pub const RULE: &str = "INPUT_OUT_OF_RANGE";
/// The words every refusal here carries (out of range).
pub const OUT_OF_RANGE: &str = "超出范围";
/// Earliest year a record may name.
pub const MIN_YEAR: i32 = 1900;
/// Latest year a record may name.
pub const MAX_YEAR: i32 = 2100;
/// Earliest year a dated step of the district's record may take effect in (an appeal, a
/// supervision entry, an award batch …): the assessment years start there too.
pub const MIN_RECORD_YEAR: i32 = 1950;
/// Longest identifier, in characters.
pub const MAX_ID_LEN: usize = 64;
/// Most hours one record may credit (a class, a study session, a yearly requirement).
pub const MAX_HOURS: f64 = 10_000.0;
/// Largest count one record may hold (lead counts, class sizes…).
pub const MAX_COUNT: u64 = 100_000;

/// An identifier (cadre, unit, post, record ids): 1 to 64 characters, each an ASCII letter,
/// digit, `-`, `_`, `.` or `:`, starting with a letter or digit.
pub fn id(what: &str, value: &str) -> Result<(), DomainError> {
    let chars_ok = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    let first_ok = value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if chars_ok && first_ok && value.chars().count() <= MAX_ID_LEN {
        return Ok(());
    }
    Err(DomainError::invalid(
        RULE,
        format!(
            "{what}「{}」超出范围：编号须为 1 至 {MAX_ID_LEN} 个字符，由英文字母、数字和 - _ . : 组成，且以字母或数字开头",
            value.escape_debug()
        ),
    ))
}

/// A year between [`MIN_YEAR`] and [`MAX_YEAR`].
pub fn year(what: &str, value: i64) -> Result<(), DomainError> {
    if (i64::from(MIN_YEAR)..=i64::from(MAX_YEAR)).contains(&value) {
        return Ok(());
    }
    Err(DomainError::invalid(
        RULE,
        format!("{what} {value} 超出范围：年份须在 {MIN_YEAR} 至 {MAX_YEAR} 之间"),
    ))
}

/// A date in the years [`MIN_YEAR`]–[`MAX_YEAR`].
pub fn date(what: &str, value: NaiveDate) -> Result<(), DomainError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&value.year()) {
        return Ok(());
    }
    Err(DomainError::invalid(
        RULE,
        format!("{what} {value} 超出范围：日期须在 {MIN_YEAR}-01-01 至 {MAX_YEAR}-12-31 之间"),
    ))
}

/// A dated step of the record (an effective date): not before [`MIN_RECORD_YEAR`]-01-01 and
/// not after [`MAX_YEAR`]-12-31.
pub fn record_date(what: &str, value: NaiveDate) -> Result<(), DomainError> {
    if (MIN_RECORD_YEAR..=MAX_YEAR).contains(&value.year()) {
        return Ok(());
    }
    Err(DomainError::invalid(
        RULE,
        format!(
            "{what} {value} 超出范围：日期须在 {MIN_RECORD_YEAR}-01-01 至 {MAX_YEAR}-12-31 之间"
        ),
    ))
}

/// Hours: a finite number from 0 to [`MAX_HOURS`].
pub fn hours(what: &str, value: f64) -> Result<(), DomainError> {
    if value.is_finite() && (0.0..=MAX_HOURS).contains(&value) {
        return Ok(());
    }
    Err(DomainError::invalid(
        RULE,
        format!("{what} {value} 超出范围：学时须在 0 至 {MAX_HOURS} 之间"),
    ))
}

/// A count from 0 to [`MAX_COUNT`].
pub fn count(what: &str, value: f64) -> Result<(), DomainError> {
    if value.is_finite() && value >= 0.0 && value <= MAX_COUNT as f64 {
        return Ok(());
    }
    Err(DomainError::invalid(
        RULE,
        format!("{what} {value} 超出范围：数量须在 0 至 {MAX_COUNT} 之间"),
    ))
}

/// Chinese names of the fields most often refused, by their GraphQL (camelCase) name.
const FIELD_NAMES: &[(&str, &str)] = &[
    ("year", "年度"),
    ("gradeYear", "考核年度"),
    ("quotaYear", "职级数年度"),
    ("hours", "学时"),
    ("scheduledHours", "计划学时"),
    ("improveBy", "整改期限"),
    ("improveMonths", "整改期限（月）"),
    ("ordinal", "批次序号"),
    ("votes", "票数"),
    ("participants", "参加人数"),
    ("present", "出席人数"),
    ("members", "应到人数"),
    ("size", "名额"),
    ("leadCount", "线索数"),
    ("effective", "生效日期"),
    ("observedOn", "记实日期"),
    ("startDate", "开始日期"),
    ("endDate", "结束日期"),
    ("name", "名称"),
    ("title", "名称"),
    ("cadreId", "干部编号"),
    ("unitId", "单位编号"),
    ("postId", "岗位编号"),
    ("classId", "班次编号"),
    ("entryId", "记实编号"),
    ("appealId", "诉求编号"),
    ("batchId", "批次编号"),
    ("awardId", "奖励编号"),
    ("caseId", "案件编号"),
    ("probationMonths", "试用期（月）"),
    ("probationUntil", "试用期至"),
    ("effectUntil", "影响期至"),
    ("dueOn", "期限"),
    ("minExtraCandidates", "差额最少人数"),
    ("maxCandidatesPerPost", "每岗最多人选"),
    ("noticeWorkingDays", "任前公示工作日"),
    ("completionAttendancePercent", "结业出勤比例（%）"),
    ("listDays", "清单交办时限（天）"),
    ("assignDays", "诉求领办时限（天）"),
    ("claimDays", "协调会办时限（天）"),
    ("coordinateDays", "跟踪督办时限（天）"),
    ("trackDays", "办结时限（天）"),
];

/// A field's GraphQL name (camelCase) from a payload or input key in either case:
/// `scheduled_hours` → `scheduledHours`.
pub fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// How a refusal names a field: its Chinese name with the GraphQL name, `计划学时（scheduledHours）`,
/// or the GraphQL name alone when no Chinese name is at hand.
pub fn field_name(key: &str) -> String {
    let camel = camel_case(key);
    match FIELD_NAMES.iter().find(|(k, _)| *k == camel) {
        Some((_, zh)) => format!("{zh}（{camel}）"),
        None => camel,
    }
}

/// What a payload field holds, by the naming convention every event payload follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    Ids,
    Year,
    Hours,
    Count,
    Other,
}

fn field(key: &str) -> Field {
    if key == "id" || key.ends_with("_id") {
        Field::Id
    } else if key.ends_with("_ids") {
        Field::Ids
    } else if key.contains("hours") {
        Field::Hours
    } else if key == "year" || (key.ends_with("_year") && !key.ends_with("_per_year")) {
        Field::Year
    } else if key == "size" || key == "count" || key.ends_with("_count") {
        Field::Count
    } else {
        Field::Other
    }
}

/// Check every field of an event payload against its range, by field name: `id`, `*_id` and
/// `*_ids` are identifiers, any name with `hours` in it hours, `year` and `*_year` (not
/// `*_per_year`) years, `size`, `count` and `*_count` counts, and any text that reads as a date
/// (`YYYY-MM-DD`) a date. Nested objects and lists are checked too. Absent values (`null`)
/// pass.
pub fn check_payload(payload: &Value) -> Result<(), DomainError> {
    check_value(None, payload)
}

fn check_value(key: Option<&str>, value: &Value) -> Result<(), DomainError> {
    let kind = key.map_or(Field::Other, field);
    let named = key.map(field_name);
    let what = named.as_deref().unwrap_or("值");
    match value {
        Value::Object(map) => map.iter().try_for_each(|(k, v)| check_value(Some(k), v)),
        Value::Array(items) => {
            let item_key = match kind {
                Field::Ids => Some("id"),
                _ => key,
            };
            items.iter().try_for_each(|v| check_value(item_key, v))
        }
        Value::String(s) => {
            if kind == Field::Id {
                id(what, s)?;
            }
            match date_year(s) {
                Some(y) if !(i64::from(MIN_YEAR)..=i64::from(MAX_YEAR)).contains(&y) => {
                    Err(DomainError::invalid(
                        RULE,
                        format!(
                            "{what} {s} 超出范围：日期须在 {MIN_YEAR}-01-01 至 {MAX_YEAR}-12-31 之间"
                        ),
                    ))
                }
                _ => Ok(()),
            }
        }
        Value::Number(n) => {
            let Some(v) = n.as_f64() else { return Ok(()) };
            match kind {
                Field::Year => year(what, n.as_i64().unwrap_or(i64::MAX)),
                Field::Hours => hours(what, v),
                Field::Count => count(what, v),
                _ => Ok(()),
            }
        }
        Value::Null | Value::Bool(_) => Ok(()),
    }
}

/// The year of a text that reads as a date (`YYYY-MM-DD`, including signed years beyond four
/// digits such as `+262142-12-31`).
fn date_year(s: &str) -> Option<i64> {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (year, rest) = unsigned.split_once('-')?;
    let (month, day) = rest.split_once('-')?;
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    if year.len() < 4
        || !year.bytes().all(|b| b.is_ascii_digit())
        || !digits(month, 2)
        || !digits(day, 2)
    {
        return None;
    }
    let year: i64 = year.parse().unwrap_or(i64::MAX);
    Some(if s.starts_with('-') { -year } else { year })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn identifiers_keep_to_the_documented_characters() {
        for ok in ["c001", "fgw", "sv-tour-1", "three-good-2025", "a.b:c_d"] {
            assert!(id("编号", ok).is_ok(), "{ok}");
        }
        for bad in ["", "c\u{0}1", "c 1", "干部", "-x", &"x".repeat(65), "a\nb"] {
            assert!(id("编号", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn years_dates_hours_and_counts_have_ranges() {
        assert!(year("年度", 2025).is_ok());
        assert!(year("年度", -2_839_294).is_err());
        assert!(year("年度", 0).is_err());
        assert!(hours("学时", 5.47e237).is_err());
        assert!(hours("学时", -1.0).is_err());
        assert!(hours("学时", 40.0).is_ok());
        assert!(count("数量", 1e9).is_err());
        let d = NaiveDate::from_ymd_opt(1899, 12, 31).unwrap();
        assert!(date("日期", d).is_err());
        let d = NaiveDate::from_ymd_opt(1901, 1, 1).unwrap();
        assert!(date("日期", d).is_ok());
        let err = record_date("受理日期", d).unwrap_err();
        assert_eq!(err.code(), RULE);
        assert!(err.to_string().contains("1950-01-01"), "{err}");
        assert!(record_date("受理日期", NaiveDate::from_ymd_opt(1950, 1, 1).unwrap()).is_ok());
    }

    #[test]
    fn a_refusal_names_the_field_by_its_graphql_name_and_in_chinese() {
        assert_eq!(camel_case("scheduled_hours"), "scheduledHours");
        assert_eq!(camel_case("improveBy"), "improveBy");
        let err = check_payload(&json!({"scheduled_hours": 10001.0})).unwrap_err();
        assert!(
            err.to_string()
                .contains("计划学时（scheduledHours） 10001 超出范围"),
            "{err}"
        );
        let err = check_payload(&json!({"improve_by": "2193-08-01"})).unwrap_err();
        assert!(
            err.to_string()
                .contains("整改期限（improveBy） 2193-08-01 超出范围"),
            "{err}"
        );
        let err = check_payload(&json!({"some_odd_count": 1e9})).unwrap_err();
        assert!(
            err.to_string().contains("someOddCount 1000000000 超出范围"),
            "{err}"
        );
    }

    #[test]
    fn a_payload_is_checked_field_by_field_by_name() {
        let ok = json!({"class_id": "c1", "year": 2025, "scheduled_hours": 40.0,
            "attendee_ids": ["c001", "c002"], "on": "2025-06-30", "note": "任意文字 2025",
            "seniority_points_per_year": 0.5, "front_line_per_year": 3});
        assert!(check_payload(&ok).is_ok());
        for bad in [
            json!({"year": -2_839_294}),
            json!({"scheduled_hours": 5.47e237}),
            json!({"cadre_id": "c\u{1}"}),
            json!({"cadre_ids": ["c001", "c 2"]}),
            json!({"lead_count": 4_000_000_000u64}),
            json!({"items": [{"on": "+262142-12-31"}]}),
            json!({"grade_year": 0}),
            json!({"township_hours_per_year": 1e12}),
        ] {
            let err = check_payload(&bad).expect_err(&bad.to_string());
            assert_eq!(err.code(), RULE);
        }
    }
}
