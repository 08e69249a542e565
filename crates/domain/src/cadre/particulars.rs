//! 干部基本情况 beyond registration (籍贯, 出生地, 入党时间, education, 简历, 承报单位 …): what a
//! 任免审批表 carries that no other event records, kept so that the form can be written back whole.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Event, State};
use crate::{context::Context, error::DomainError};

/// 学历学位 of one kind of education (全日制教育 or 在职教育).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EducationRecord {
    /// 学历
    pub level: String,
    /// 学位
    pub degree: String,
    /// 毕业院校系及专业
    pub school: String,
}

/// One period of the 简历: `from--to  text`, an open end while it lasts, with its 其间 items.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumePeriod {
    /// First month (the first day of it).
    pub from: NaiveDate,
    /// Last month (the first day of it); `None` while the period lasts.
    pub to: Option<NaiveDate>,
    /// What the cadre did (unit and post, or study).
    pub text: String,
    /// The `（其间：…）` items under the period, without the brackets and the 其间 prefix.
    pub during: Vec<String>,
}

/// A tag of the form Dossier does not interpret, kept with its text so an export writes it back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptTag {
    pub tag: String,
    pub text: String,
}

/// The particulars as a 任免审批表 states them. Text keeps the form's wording; empty when absent.
/// Dates keep the form's writing (`YYYYMM`, `YYYYMMDD`), checked when the form was read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Particulars {
    /// 籍贯
    pub native_place: String,
    /// 出生地
    pub birth_place: String,
    /// 入党时间
    pub party_joined: String,
    /// 健康状况
    pub health: String,
    /// 专业技术职务
    pub professional_title: String,
    /// 熟悉专业有何专长
    pub specialty: String,
    /// 全日制教育
    pub full_time_education: EducationRecord,
    /// 在职教育
    pub in_service_education: EducationRecord,
    /// 现任职务 as written on the form
    pub current_post: String,
    /// 拟任职务
    pub proposed_post: String,
    /// 拟免职务
    pub proposed_removal: String,
    /// 简历
    pub resume: Vec<ResumePeriod>,
    /// 奖惩情况 as written on the form
    pub rewards_and_punishments: String,
    /// 年度考核结果 as written on the form
    pub annual_assessments: String,
    /// 任免理由
    pub reason: String,
    /// 呈报单位
    pub reporting_unit: String,
    /// 计算年龄时间 (YYYYMMDD)
    pub age_computed_on: String,
    /// 填表时间 (YYYYMMDD)
    pub filled_on: String,
    /// 填表人
    pub filled_by: String,
    /// 照片 (base64 JPEG)
    pub photo: String,
    /// The form's Version.
    pub version: String,
    /// The newer layout (with 改革前任职年龄界限 and 到龄年月).
    pub newer_layout: bool,
    /// 改革前任职年龄界限 (newer layout)
    pub reform_age_limit: String,
    /// 到龄年月 (newer layout, YYYYMM)
    pub retirement_month: String,
    /// Tags the form carried that Dossier does not interpret.
    pub kept_tags: Vec<KeptTag>,
}

/// 登记干部基本情况: replaces the particulars on record.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordParticulars {
    pub cadre_id: String,
    pub particulars: Box<Particulars>,
}

/// 干部基本情况已登记.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticularsRecorded {
    pub cadre_id: String,
    pub particulars: Box<Particulars>,
    pub recorded_on: NaiveDate,
}

/// Decide `RecordParticulars`: the resume's periods must each end after they begin and not lie
/// in the future.
pub(super) fn record(
    state: &State,
    c: &RecordParticulars,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    for (i, p) in c.particulars.resume.iter().enumerate() {
        if p.to.is_some_and(|to| to < p.from) {
            return Err(DomainError::invalid(
                "RESUME_PERIOD_REVERSED",
                format!(
                    "简历第 {} 段的结束年月 {} 早于开始年月 {}",
                    i + 1,
                    p.to.map(|d| d.format("%Y.%m").to_string())
                        .unwrap_or_default(),
                    p.from.format("%Y.%m")
                ),
            ));
        }
        if p.from > ctx.today {
            return Err(DomainError::invalid(
                "DATE_IN_FUTURE",
                format!(
                    "简历第 {} 段的开始年月 {} 晚于今天 {}",
                    i + 1,
                    p.from.format("%Y.%m"),
                    ctx.today
                ),
            ));
        }
    }
    if c.particulars
        .kept_tags
        .iter()
        .any(|t| t.tag.trim().is_empty())
    {
        return Err(DomainError::invalid(
            "KEPT_TAG_UNNAMED",
            "保留的表格字段必须有名称",
        ));
    }
    Ok(vec![Event::ParticularsRecorded(ParticularsRecorded {
        cadre_id: state.cadre_id.clone(),
        particulars: c.particulars.clone(),
        recorded_on: ctx.effective,
    })])
}
