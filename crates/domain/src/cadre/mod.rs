//! Stream kind `cadre` (`cadre-<id>`): one cadre's registration, family, posts (任免), rank, grades, awards,
//! sanctions, admonitions, investigations, public notices, probation, secondment, rotation and dismissal.

mod commands;
mod consequences;
mod down;
mod evaluation;
mod events;
mod particulars;
mod state;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use commands::*;
pub use consequences::{DismissalCase, DismissalCaseClosed, DismissalDecided, RankLoweringPending};
pub use evaluation::{
    EvaluationRecord, EvaluationRecorded, Evaluator, RecordEvaluation, SCORE_MAX, Scores, TaskKind,
    check_cited,
};
pub use events::*;
pub use particulars::*;
pub use state::*;

use crate::{
    aggregate,
    avoidance::{self, RelativeFact},
    codes::{AssessmentCategory, AssessmentConclusion, ChangeCategory},
    context::{Context, ORG, SUPERVISORS},
    dates,
    error::DomainError,
    idcard, promotion, tenure,
    types::{AwardKind, Grade, SanctionKind},
    unit::PostFact,
};

/// The unit a registration names, when it exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitFact {
    pub unit_id: String,
    pub name: String,
}

/// Facts from other streams a cadre decision may need, loaded by the application.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// The unit named by `Register` (from its unit stream), if registered.
    pub unit: Option<UnitFact>,
    /// The post named by `Appoint` / `Rotate` (from its unit stream), if it exists.
    pub post: Option<PostFact>,
    /// Relatives on either side of the family record, with the posts they hold.
    pub relatives: Vec<RelativeFact>,
    /// For `Register`: the cadre already registered with the same ID number, if any.
    #[serde(default)]
    pub id_number_holder: Option<String>,
    /// For `CarryOutDown`: the cadres holding the post `Facts::post` now.
    #[serde(default)]
    pub post_holders: Vec<String>,
    /// For `Appoint`: the quota (职数) in force for the post's unit, with its filled posts
    /// (`None` when the unit has no published quota).
    #[serde(default)]
    pub post_quota: Option<crate::staffing::QuotaFact>,
    /// For `PromoteRank` citing a quota year: that year's front-line quota as it concerns the cadre.
    #[serde(default)]
    pub quota_allocation: Option<crate::quota::AllocationFact>,
    /// For `PromoteRank`: the training hours credited to the cadre by calendar year (`None`
    /// when not loaded: the promotion then decides no make-up).
    #[serde(default)]
    pub training_hours: Option<Vec<(i32, f64)>>,
}

/// The `cadre` aggregate.
pub struct Aggregate;

fn required(value: &str, code: &'static str, what: &str) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        Err(DomainError::invalid(code, format!("{what}不能为空")))
    } else {
        Ok(())
    }
}

fn not_future(date: NaiveDate, ctx: &Context<'_>, what: &str) -> Result<(), DomainError> {
    if date > ctx.today {
        Err(DomainError::invalid(
            "DATE_IN_FUTURE",
            format!(
                "{what} {date} 晚于今天 {}, 不能登记尚未发生的事项",
                ctx.today
            ),
        ))
    } else {
        Ok(())
    }
}

/// The effective date, which must not lie in the future (the fact has happened).
fn happened(ctx: &Context<'_>, what: &str) -> Result<NaiveDate, DomainError> {
    not_future(ctx.effective, ctx, what)?;
    Ok(ctx.effective)
}

fn post_fact<'f>(
    facts: &'f Facts,
    unit_id: &str,
    post_id: &str,
) -> Result<&'f PostFact, DomainError> {
    let post = facts
        .post
        .as_ref()
        .filter(|p| p.unit_id == unit_id && p.post_id == post_id)
        .ok_or_else(|| {
            DomainError::not_found(
                "POST_NOT_FOUND",
                format!("单位 {unit_id} 没有岗位 {post_id}"),
            )
        })?;
    if !post.open {
        return Err(DomainError::refused(
            "POST_CLOSED",
            format!("岗位「{}」已撤销, 不能任职", post.title),
        ));
    }
    Ok(post)
}

fn not_held(state: &State, post_id: &str) -> DomainError {
    DomainError::not_found(
        "POST_NOT_HELD",
        format!("{} 未担任岗位 {post_id}, 不能免职或交流", state.name),
    )
}

fn duplicate(code: &'static str, what: &str, id: &str) -> DomainError {
    DomainError::refused(code, format!("{what} {id} 已登记, 不能重复登记"))
}

fn register(
    state: &State,
    c: &Register,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    if state.registered {
        return Err(DomainError::refused(
            "CADRE_ALREADY_REGISTERED",
            format!("干部「{}（{}）」已登记", state.name, c.cadre_id),
        ));
    }
    required(&c.cadre_id, "CADRE_ID_REQUIRED", "干部编号")?;
    happened(ctx, "登记日期")?;
    required(&c.name, "CADRE_NAME_REQUIRED", "姓名")?;
    if c.name.trim().chars().count() > 40 {
        return Err(DomainError::invalid(
            "CADRE_NAME_TOO_LONG",
            "姓名不能超过 40 个字",
        ));
    }
    let id = idcard::parse(&c.id_number)?;
    if let Some(holder) = facts
        .id_number_holder
        .as_deref()
        .filter(|h| *h != c.cadre_id)
    {
        return Err(DomainError::refused(
            "ID_NUMBER_ALREADY_REGISTERED",
            format!(
                "身份证号 {} 已登记为干部 {holder}, 同一人不能重复登记",
                id.number
            ),
        ));
    }
    if let Some(birth) = c.birth_date.filter(|b| *b != id.birth_date) {
        return Err(DomainError::invalid(
            "ID_NUMBER_BIRTH_MISMATCH",
            format!(
                "出生日期 {birth} 与身份证号中的出生日期 {} 不一致",
                id.birth_date
            ),
        ));
    }
    if let Some(gender) = c.gender.filter(|g| *g != id.gender) {
        return Err(DomainError::invalid(
            "ID_NUMBER_GENDER_MISMATCH",
            format!(
                "性别“{}”与身份证号所示性别“{}”不一致",
                gender.zh(),
                id.gender.zh()
            ),
        ));
    }
    not_future(id.birth_date, ctx, "出生日期")?;
    let unit = facts
        .unit
        .as_ref()
        .filter(|u| u.unit_id == c.unit_id)
        .ok_or_else(|| {
            DomainError::not_found("UNIT_NOT_FOUND", format!("单位 {} 尚未登记", c.unit_id))
        })?;
    if c.rank.is_some() != c.rank_since.is_some() {
        return Err(DomainError::invalid(
            "RANK_SINCE_REQUIRED",
            "职级与任现职级时间须同时填写",
        ));
    }
    if c.leadership_level.is_some() != c.level_since.is_some() {
        return Err(DomainError::invalid(
            "LEVEL_SINCE_REQUIRED",
            "职务层次与任该层次时间须同时填写",
        ));
    }
    for (date, what) in [
        (c.rank_since, "任现职级时间"),
        (c.level_since, "任现职务层次时间"),
        (c.joined_work_on, "参加工作时间"),
    ] {
        if let Some(date) = date {
            not_future(date, ctx, what)?;
            if date <= id.birth_date {
                return Err(DomainError::invalid(
                    "DATE_BEFORE_BIRTH",
                    format!("{what} {date} 早于出生日期 {}", id.birth_date),
                ));
            }
        }
    }
    Ok(vec![Event::Registered(Registered {
        cadre_id: c.cadre_id.clone(),
        name: c.name.trim().to_owned(),
        id_number: id.number,
        gender: id.gender,
        birth_date: id.birth_date,
        ethnicity: c
            .ethnicity
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(String::from),
        unit_id: unit.unit_id.clone(),
        rank: c.rank,
        rank_since: c.rank_since,
        leadership_level: c.leadership_level,
        level_since: c.level_since,
        joined_work_on: c.joined_work_on,
        registered_on: ctx.effective,
    })])
}

fn add_family_member(
    state: &State,
    c: &AddFamilyMember,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    required(&c.member_id, "FAMILY_MEMBER_ID_REQUIRED", "家庭成员编号")?;
    required(&c.name, "FAMILY_MEMBER_NAME_REQUIRED", "家庭成员姓名")?;
    required(&c.appellation, "FAMILY_MEMBER_APPELLATION_REQUIRED", "称谓")?;
    if state.family.iter().any(|m| m.member_id == c.member_id) {
        return Err(duplicate("FAMILY_MEMBER_EXISTS", "家庭成员", &c.member_id));
    }
    if c.relative_cadre_id.as_deref() == Some(state.cadre_id.as_str()) {
        return Err(DomainError::invalid(
            "FAMILY_MEMBER_SELF",
            "家庭成员不能是本人",
        ));
    }
    let id_number = match c
        .id_number
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(number) => {
            let id = idcard::parse(number)?;
            if let Some(birth) = c.birth_date.filter(|b| *b != id.birth_date) {
                return Err(DomainError::invalid(
                    "ID_NUMBER_BIRTH_MISMATCH",
                    format!(
                        "出生日期 {birth} 与身份证号中的出生日期 {} 不一致",
                        id.birth_date
                    ),
                ));
            }
            Some(id.number)
        }
        None => None,
    };
    if let Some(birth) = c.birth_date {
        not_future(birth, ctx, "家庭成员出生日期")?;
    }
    Ok(vec![Event::FamilyMemberAdded(FamilyMemberAdded {
        cadre_id: state.cadre_id.clone(),
        member_id: c.member_id.clone(),
        relation: c.relation,
        appellation: c.appellation.trim().to_owned(),
        name: c.name.trim().to_owned(),
        birth_date: c.birth_date.or_else(|| {
            id_number
                .as_deref()
                .and_then(|n| idcard::parse(n).ok())
                .map(|i| i.birth_date)
        }),
        id_number,
        political_status: c.political_status.clone(),
        work_unit_and_post: c.work_unit_and_post.clone(),
        relative_cadre_id: c.relative_cadre_id.clone(),
    })])
}

fn appointment_checks(
    state: &State,
    post: &PostFact,
    on: NaiveDate,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<(), DomainError> {
    avoidance::check(post, &facts.relatives, &ctx.policy.tenure)?;
    tenure::reappointment(state, post, on, &ctx.policy.tenure)
}

fn appoint(
    state: &State,
    c: &Appoint,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "任职日期")?;
    if let Some(since) = state.dismissed_on {
        return Err(DomainError::refused(
            "CADRE_DISMISSED",
            format!(
                "{}（{}）已于 {since} 辞退, 不能再任职",
                state.name, state.cadre_id
            ),
        ));
    }
    required(&c.document_number, "DOCUMENT_NUMBER_REQUIRED", "任免文号")?;
    required(&c.approved_by, "APPROVING_BODY_REQUIRED", "批准单位")?;
    required(&c.nominated_by, "NOMINATING_BODY_REQUIRED", "提名单位")?;
    not_future(c.decided_on, ctx, "批准日期")?;
    if c.decided_on > on {
        return Err(DomainError::invalid(
            "APPOINTMENT_DATES_ORDER",
            format!("批准日期 {} 晚于任职日期 {on}", c.decided_on),
        ));
    }
    let post = post_fact(facts, &c.unit_id, &c.post_id)?;
    let held = state
        .holding(&c.post_id)
        .is_some_and(|h| h.unit_id == c.unit_id);
    if held && c.change_category != ChangeCategory::Reappointed {
        return Err(DomainError::refused(
            "APPOINTMENT_ALREADY_HELD",
            format!(
                "{} 已担任「{}」, 不能重复任职 (连任请选择变动类别“连任”)",
                state.name, post.title
            ),
        ));
    }
    if let Some(until) = c.probation_until.filter(|u| *u <= on) {
        return Err(DomainError::invalid(
            "PROBATION_END_INVALID",
            format!("试用期截止日期 {until} 须晚于任职日期 {on}"),
        ));
    }
    appointment_checks(state, post, on, ctx, facts)?;
    if let (Some(quota), Some(level), false) = (&facts.post_quota, post.leadership_level, held) {
        // Beyond the quota only as an exception the unit's quota allows, on this document.
        quota.check(
            crate::staffing::Tier::of(level),
            1,
            Some(&c.document_number),
            "任职",
        )?;
    }
    let level = level_follows_post(state, post, on, &c.document_number);
    let mut events = vec![Event::Appointed(Appointed {
        cadre_id: state.cadre_id.clone(),
        unit_id: post.unit_id.clone(),
        unit_name: post.unit_name.clone(),
        post_id: post.post_id.clone(),
        post_title: post.title.clone(),
        category: post.category,
        leadership_level: post.leadership_level,
        heads_unit: post.heads_unit,
        manner: c.manner,
        reason: c.reason,
        change_category: c.change_category,
        status: c.status,
        nominated_by: c.nominated_by.trim().to_owned(),
        approved_by: c.approved_by.trim().to_owned(),
        decided_on: c.decided_on,
        effective_on: on,
        document_number: c.document_number.trim().to_owned(),
        probation_until: c.probation_until,
    })];
    events.extend(level);
    Ok(events)
}

/// 职务层次 follows the post: a leadership post above the cadre's level (or a first one) sets
/// the level from the day the cadre takes it, so the years at that level count from then.
fn level_follows_post(
    state: &State,
    post: &PostFact,
    on: NaiveDate,
    document_number: &str,
) -> Option<Event> {
    let level = post.leadership_level?;
    if state.leadership_level.is_some_and(|l| l >= level) {
        return None;
    }
    Some(Event::LeadershipLevelChanged(LeadershipLevelChanged {
        cadre_id: state.cadre_id.clone(),
        from: state.leadership_level,
        to: Some(level),
        effective_on: on,
        document_number: Some(document_number.trim().to_owned()),
    }))
}

fn remove(state: &State, c: &Remove, ctx: &Context<'_>) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "免职日期")?;
    let held = state
        .holding(&c.post_id)
        .filter(|h| h.unit_id == c.unit_id)
        .ok_or_else(|| not_held(state, &c.post_id))?;
    required(&c.document_number, "DOCUMENT_NUMBER_REQUIRED", "任免文号")?;
    required(&c.approved_by, "APPROVING_BODY_REQUIRED", "批准单位")?;
    not_future(c.decided_on, ctx, "批准日期")?;
    if on < held.since {
        return Err(DomainError::invalid(
            "REMOVAL_BEFORE_APPOINTMENT",
            format!("免职日期 {on} 早于任职日期 {}", held.since),
        ));
    }
    Ok(vec![Event::Removed(Removed {
        cadre_id: state.cadre_id.clone(),
        unit_id: held.unit_id.clone(),
        post_id: held.post_id.clone(),
        post_title: held.title.clone(),
        manner: c.manner,
        reason: c.reason,
        approved_by: c.approved_by.trim().to_owned(),
        decided_on: c.decided_on,
        effective_on: on,
        document_number: c.document_number.trim().to_owned(),
        held_since: held.since,
    })])
}

fn rotate(
    state: &State,
    c: &Rotate,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "交流日期")?;
    let from = state
        .holding(&c.from_post_id)
        .ok_or_else(|| not_held(state, &c.from_post_id))?;
    required(&c.reason, "ROTATION_REASON_REQUIRED", "交流理由")?;
    required(&c.document_number, "DOCUMENT_NUMBER_REQUIRED", "任免文号")?;
    required(&c.approved_by, "APPROVING_BODY_REQUIRED", "批准单位")?;
    let to = post_fact(facts, &c.to_unit_id, &c.to_post_id)?;
    if to.unit_id == from.unit_id && to.post_id == from.post_id {
        return Err(DomainError::invalid(
            "ROTATION_SAME_POST",
            format!("交流的目标岗位「{}」与原岗位相同", to.title),
        ));
    }
    if state
        .holding(&to.post_id)
        .is_some_and(|h| h.unit_id == to.unit_id)
    {
        return Err(DomainError::refused(
            "APPOINTMENT_ALREADY_HELD",
            format!("{} 已担任「{}」", state.name, to.title),
        ));
    }
    appointment_checks(state, to, on, ctx, facts)?;
    let level = level_follows_post(state, to, on, &c.document_number);
    let mut events = vec![Event::Rotated(Rotated {
        cadre_id: state.cadre_id.clone(),
        kind: c.kind,
        reason: c.reason.trim().to_owned(),
        from_unit_id: from.unit_id.clone(),
        from_post_id: from.post_id.clone(),
        from_post_title: from.title.clone(),
        held_since: from.since,
        to_unit_id: to.unit_id.clone(),
        to_unit_name: to.unit_name.clone(),
        to_post_id: to.post_id.clone(),
        to_post_title: to.title.clone(),
        to_category: to.category,
        to_leadership_level: to.leadership_level,
        to_heads_unit: to.heads_unit,
        effective_on: on,
        document_number: c.document_number.trim().to_owned(),
        approved_by: c.approved_by.trim().to_owned(),
    })];
    events.extend(level);
    Ok(events)
}

/// The consequences of an annual grade in the cadre's own stream (公务员考核规定):
/// 优秀 → 嘉奖, and 三等功 at every `merit_after_excellent_years` consecutive 优秀 years;
/// 基本称职 → 诫勉 with a deadline of `admonition_months`;
/// 不称职 → rank lowered one level and a “down” review; `dismissal_after_incompetent_years`
/// consecutive 不称职 years → a dismissal (辞退) case.
pub fn grade_consequences(
    state: &State,
    year: i32,
    grade: Option<Grade>,
    source: Option<&str>,
    ctx: &Context<'_>,
) -> Vec<Event> {
    let a = &ctx.policy.assessment;
    let on = ctx.effective;
    let cadre_id = state.cadre_id.clone();
    let mut out = Vec::new();
    match grade {
        Some(Grade::Excellent) => {
            out.push(Event::AwardGranted(AwardGranted {
                cadre_id: cadre_id.clone(),
                award_id: format!("{year}-commendation"),
                kind: AwardKind::Commendation,
                title: format!("{year} 年度考核优秀嘉奖"),
                year,
                granted_on: on,
                basis: Some("公务员考核规定 第十八条".into()),
                source: source.map(String::from),
                evaluation_id: None,
            }));
            let run = state.consecutive_years(year - 1, Grade::Excellent) + 1;
            if a.merit_after_excellent_years > 0
                && run.is_multiple_of(a.merit_after_excellent_years)
            {
                out.push(Event::AwardGranted(AwardGranted {
                    cadre_id,
                    award_id: format!("{year}-merit"),
                    kind: AwardKind::Merit,
                    title: format!("连续 {run} 年年度考核优秀记三等功"),
                    year,
                    granted_on: on,
                    basis: Some("公务员考核规定 第十八条".into()),
                    source: source.map(String::from),
                    evaluation_id: None,
                }));
            }
        }
        Some(Grade::BasicallyCompetent) => out.push(Event::AdmonitionIssued(AdmonitionIssued {
            cadre_id,
            admonition_id: format!("{year}-admonition"),
            reason: format!("{year} 年度考核基本称职, 限期改进"),
            issued_on: on,
            improve_by: dates::add_months(on, a.admonition_months),
            effect_until: dates::add_months(on, ctx.policy.sanctions.admonition_effect_months),
        })),
        Some(Grade::Incompetent) => {
            // The lowering waits for the decision that carries it out (`LowerRank`, on a 文号).
            if let Some((from, to)) = state.rank.and_then(|r| r.previous().map(|p| (r, p))) {
                out.push(Event::RankLoweringPending(RankLoweringPending {
                    cadre_id: cadre_id.clone(),
                    year,
                    from,
                    to,
                    raised_on: on,
                }));
            }
            out.push(Event::DownReviewRequired(DownReviewRequired {
                cadre_id: cadre_id.clone(),
                year,
                reason: format!("{year} 年度考核不称职, 须研判是否不适宜担任现职"),
                raised_on: on,
            }));
            let run = state.consecutive_years(year - 1, Grade::Incompetent) + 1;
            if run >= a.dismissal_after_incompetent_years && state.dismissal_case.is_none() {
                out.push(Event::DismissalCaseOpened(DismissalCaseOpened {
                    cadre_id,
                    case_id: format!("{year}-dismissal"),
                    reason: format!("连续 {run} 年年度考核不称职"),
                    opened_on: on,
                    grounds_years: ((year + 1 - run as i32)..=year).collect(),
                }));
            }
        }
        Some(Grade::Competent) | None => {}
    }
    out
}

/// Check one annual grade against the cadre's own record (the year, and the sanctions bearing on it).
pub fn check_grade(
    state: &State,
    year: i32,
    grade: Option<Grade>,
    ctx: &Context<'_>,
) -> Result<(), DomainError> {
    use chrono::Datelike;
    if year > ctx.today.year() || year < 1950 {
        return Err(DomainError::invalid(
            "ASSESSMENT_YEAR_INVALID",
            format!("考核年度 {year} 无效 (不能晚于今年 {})", ctx.today.year()),
        ));
    }
    if let Some(existing) = state.grades.get(&year) {
        return Err(DomainError::invalid(
            "ASSESSMENT_ALREADY_GRADED",
            format!(
                "{} {year} 年度已确定等次 “{}”, 不能重复确定",
                state.name,
                existing.map_or("不定等次", Grade::zh)
            ),
        ));
    }
    match (state.sanction_bearing_on_year(year), grade) {
        (Some(SanctionKind::Warning), Some(Grade::Excellent)) => Err(DomainError::refused(
            "ASSESSMENT_WARNING_BARS_EXCELLENT",
            format!("{} {year} 年受警告处分, 当年不得确定为优秀", state.name),
        )),
        (Some(kind), Some(g)) if kind > SanctionKind::Warning => Err(DomainError::refused(
            "ASSESSMENT_SANCTION_NO_GRADE",
            format!(
                "{} {year} 年在{}处分期间, 只写评语不定等次 (不能确定为{})",
                state.name,
                kind.zh(),
                g.zh()
            ),
        )),
        _ => Ok(()),
    }
}

fn record_grade(
    state: &State,
    (unit_id, year, grade, category, basis, evaluation_id): (
        &str,
        i32,
        Option<Grade>,
        AssessmentCategory,
        &Option<String>,
        &Option<String>,
    ),
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    check_grade(state, year, grade, ctx)?;
    required(unit_id, "UNIT_ID_REQUIRED", "考核单位")?;
    check_cited(state, evaluation_id.as_deref(), ctx.effective, "考核等次")?;
    let source = format!("assessment-{unit_id}-{year}");
    let mut events = vec![Event::GradeRecorded(GradeRecorded {
        cadre_id: state.cadre_id.clone(),
        unit_id: unit_id.to_owned(),
        year,
        grade,
        category,
        conclusion: AssessmentConclusion::of(grade),
        recorded_on: ctx.effective,
        basis: basis.clone(),
        evaluation_id: evaluation_id.clone(),
    })];
    // Consequences read the grades of earlier years; this year's grade is the one just recorded.
    events.extend(grade_consequences(state, year, grade, Some(&source), ctx));
    Ok(events)
}

fn decide(
    state: &State,
    command: &Command,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let supervision = matches!(
        command,
        Command::ImposeSanction { .. }
            | Command::IssueAdmonition { .. }
            | Command::OpenInvestigation { .. }
            | Command::CloseInvestigation { .. }
    );
    ctx.require_role(
        if supervision { SUPERVISORS } else { ORG },
        command.action(),
    )?;
    if let Command::Register(c) = command {
        return register(state, c, ctx, facts);
    }
    if !state.registered {
        return Err(DomainError::not_found(
            "CADRE_NOT_FOUND",
            format!("干部「{}」尚未登记", command.cadre_id()),
        ));
    }
    let cadre_id = state.cadre_id.clone();
    match command {
        Command::Register(_) => Ok(vec![]),
        Command::AddFamilyMember(c) => add_family_member(state, c, ctx),
        Command::CarryOutDown(c) => down::carry_out(state, c, ctx, facts),
        Command::RecordParticulars(c) => particulars::record(state, c, ctx),
        Command::RecordEvaluation(c) => evaluation::record(state, c, ctx),
        Command::RemoveFamilyMember {
            member_id, reason, ..
        } => {
            if !state.family.iter().any(|m| &m.member_id == member_id) {
                return Err(DomainError::not_found(
                    "FAMILY_MEMBER_NOT_FOUND",
                    format!("没有家庭成员 {member_id}"),
                ));
            }
            required(reason, "FAMILY_MEMBER_REMOVAL_REASON_REQUIRED", "删除理由")?;
            Ok(vec![Event::FamilyMemberRemoved(FamilyMemberRemoved {
                cadre_id,
                member_id: member_id.clone(),
                reason: reason.trim().to_owned(),
                removed_on: ctx.effective,
            })])
        }
        Command::Appoint(c) => appoint(state, c, ctx, facts),
        Command::Remove(c) => remove(state, c, ctx),
        Command::Rotate(c) => rotate(state, c, ctx, facts),
        Command::ChangeLeadershipLevel {
            level,
            document_number,
            ..
        } => {
            let on = happened(ctx, "职务层次变更日期")?;
            if state.leadership_level == *level {
                return Err(DomainError::refused(
                    "LEVEL_UNCHANGED",
                    format!(
                        "{} 现职务层次已是 {}",
                        state.name,
                        level.map_or("无", |l| l.zh())
                    ),
                ));
            }
            Ok(vec![Event::LeadershipLevelChanged(
                LeadershipLevelChanged {
                    cadre_id,
                    from: state.leadership_level,
                    to: *level,
                    effective_on: on,
                    document_number: document_number.clone(),
                },
            )])
        }
        Command::PromoteRank {
            to,
            document_number,
            approved_by,
            quota_year,
            ..
        } => {
            let on = happened(ctx, "晋升日期")?;
            required(document_number, "DOCUMENT_NUMBER_REQUIRED", "晋升文号")?;
            required(approved_by, "APPROVING_BODY_REQUIRED", "批准单位")?;
            let e = promotion::check(state, *to, on, ctx.policy)?;
            if let Some(year) = quota_year {
                crate::quota::check_promotion(state, *year, facts.quota_allocation.as_ref())?;
            }
            Ok(vec![Event::RankPromoted(RankPromoted {
                cadre_id,
                from: state.rank,
                to: *to,
                effective_on: on,
                document_number: document_number.trim().to_owned(),
                approved_by: approved_by.trim().to_owned(),
                served_months: e.served_months,
                counted_months: e.counted_months,
                required_months: e.required_months,
                excellent_years: e.excellent_years,
                quota_year: *quota_year,
                training_makeup: facts.training_hours.as_ref().and_then(|hours| {
                    crate::training_hours::makeup_on_promotion(
                        state.rank,
                        state.leadership_level,
                        on,
                        hours.iter().copied(),
                        &ctx.policy.training,
                    )
                }),
            })])
        }
        Command::LowerRank {
            reason,
            document_number,
            ..
        } => {
            let on = happened(ctx, "降级日期")?;
            consequences::lower_rank(state, on, reason, document_number.as_deref())
        }
        Command::DecideDismissal {
            case_id,
            dismissed,
            document_number,
            reasons,
            ..
        } => {
            let on = happened(ctx, "辞退决定日期")?;
            consequences::decide(
                state,
                case_id,
                *dismissed,
                document_number.as_deref(),
                reasons,
                on,
            )
        }
        Command::CloseDismissalCase { case_id, note, .. } => {
            let on = happened(ctx, "结案日期")?;
            consequences::close(state, case_id, note, on)
        }
        Command::RecordGrade {
            unit_id,
            year,
            grade,
            category,
            basis,
            evaluation_id,
            ..
        } => record_grade(
            state,
            (unit_id, *year, *grade, *category, basis, evaluation_id),
            ctx,
        ),
        Command::GrantAward {
            award_id,
            kind,
            title,
            year,
            basis,
            source,
            evaluation_id,
            ..
        } => {
            let on = happened(ctx, "奖励日期")?;
            check_cited(state, evaluation_id.as_deref(), on, "奖励")?;
            required(award_id, "AWARD_ID_REQUIRED", "奖励编号")?;
            required(title, "AWARD_TITLE_REQUIRED", "奖励名称")?;
            if state.awards.iter().any(|a| &a.award_id == award_id) {
                return Err(duplicate("AWARD_ALREADY_GRANTED", "奖励", award_id));
            }
            use chrono::Datelike;
            if *year > on.year() {
                return Err(DomainError::invalid(
                    "AWARD_YEAR_INVALID",
                    format!("奖励年度 {year} 晚于授奖日期 {on}"),
                ));
            }
            Ok(vec![Event::AwardGranted(AwardGranted {
                cadre_id,
                award_id: award_id.clone(),
                kind: *kind,
                title: title.trim().to_owned(),
                year: *year,
                granted_on: on,
                basis: basis.clone(),
                source: source.clone(),
                evaluation_id: evaluation_id.clone(),
            })])
        }
        Command::RevokeAward {
            award_id, reason, ..
        } => {
            let on = happened(ctx, "撤销日期")?;
            let award = state
                .awards
                .iter()
                .find(|a| &a.award_id == award_id)
                .ok_or_else(|| {
                    DomainError::not_found("AWARD_NOT_FOUND", format!("没有奖励 {award_id}"))
                })?;
            required(reason, "AWARD_REVOKE_REASON_REQUIRED", "撤销理由")?;
            Ok(vec![Event::AwardRevoked(AwardRevoked {
                cadre_id,
                award_id: award_id.clone(),
                kind: award.kind,
                reason: reason.trim().to_owned(),
                revoked_on: on,
            })])
        }
        Command::ImposeSanction {
            sanction_id,
            kind,
            reason,
            decided_by,
            document_number,
            ..
        } => {
            let on = happened(ctx, "处分日期")?;
            required(sanction_id, "SANCTION_ID_REQUIRED", "处分编号")?;
            required(reason, "SANCTION_REASON_REQUIRED", "处分事由")?;
            required(decided_by, "SANCTION_AUTHORITY_REQUIRED", "处分决定机关")?;
            required(document_number, "DOCUMENT_NUMBER_REQUIRED", "处分决定文号")?;
            if state
                .sanctions
                .iter()
                .any(|s| &s.sanction_id == sanction_id)
            {
                return Err(duplicate("SANCTION_EXISTS", "处分", sanction_id));
            }
            let mut events = vec![Event::SanctionImposed(SanctionImposed {
                cadre_id: cadre_id.clone(),
                sanction_id: sanction_id.clone(),
                kind: *kind,
                reason: reason.trim().to_owned(),
                decided_by: decided_by.trim().to_owned(),
                document_number: document_number.trim().to_owned(),
                imposed_on: on,
                effect_until: dates::add_months(on, ctx.policy.sanctions.effect_months(*kind)),
            })];
            if *kind == SanctionKind::Demotion
                && let Some((from, to)) = state.rank.and_then(|r| r.previous().map(|p| (r, p)))
            {
                events.push(Event::RankLowered(RankLowered {
                    cadre_id,
                    from,
                    to,
                    effective_on: on,
                    reason: format!("降级处分 ({})", reason.trim()),
                    document_number: Some(document_number.trim().to_owned()),
                }));
            }
            Ok(events)
        }
        Command::IssueAdmonition {
            admonition_id,
            reason,
            improve_months,
            ..
        } => {
            let on = happened(ctx, "诫勉日期")?;
            required(admonition_id, "ADMONITION_ID_REQUIRED", "诫勉编号")?;
            required(reason, "ADMONITION_REASON_REQUIRED", "诫勉事由")?;
            if state
                .admonitions
                .iter()
                .any(|a| &a.admonition_id == admonition_id)
            {
                return Err(duplicate("ADMONITION_EXISTS", "诫勉", admonition_id));
            }
            let months = improve_months.unwrap_or(ctx.policy.assessment.admonition_months);
            if months == 0 {
                return Err(DomainError::invalid(
                    "ADMONITION_DEADLINE_INVALID",
                    "诫勉整改期限须至少 1 个月",
                ));
            }
            Ok(vec![Event::AdmonitionIssued(AdmonitionIssued {
                cadre_id,
                admonition_id: admonition_id.clone(),
                reason: reason.trim().to_owned(),
                issued_on: on,
                improve_by: dates::add_months(on, months),
                effect_until: dates::add_months(on, ctx.policy.sanctions.admonition_effect_months),
            })])
        }
        Command::OpenInvestigation {
            case_id,
            authority,
            reason,
            ..
        } => {
            let on = happened(ctx, "立案日期")?;
            required(case_id, "CASE_ID_REQUIRED", "案件编号")?;
            required(authority, "INVESTIGATION_AUTHORITY_REQUIRED", "立案机关")?;
            required(reason, "INVESTIGATION_REASON_REQUIRED", "立案事由")?;
            if state.investigations.iter().any(|i| &i.case_id == case_id) {
                return Err(duplicate("INVESTIGATION_EXISTS", "审查案件", case_id));
            }
            Ok(vec![Event::InvestigationOpened(InvestigationOpened {
                cadre_id,
                case_id: case_id.clone(),
                authority: authority.trim().to_owned(),
                reason: reason.trim().to_owned(),
                opened_on: on,
            })])
        }
        Command::CloseInvestigation {
            case_id, outcome, ..
        } => {
            let on = happened(ctx, "审查结束日期")?;
            let case = state
                .investigations
                .iter()
                .find(|i| &i.case_id == case_id && i.closed_on.is_none())
                .ok_or_else(|| {
                    DomainError::not_found(
                        "INVESTIGATION_NOT_FOUND",
                        format!("没有正在进行的审查案件 {case_id}"),
                    )
                })?;
            required(outcome, "INVESTIGATION_OUTCOME_REQUIRED", "审查结论")?;
            if on < case.opened_on {
                return Err(DomainError::invalid(
                    "DATE_ORDER",
                    format!("审查结束日期 {on} 早于立案日期 {}", case.opened_on),
                ));
            }
            Ok(vec![Event::InvestigationClosed(InvestigationClosed {
                cadre_id,
                case_id: case_id.clone(),
                outcome: outcome.trim().to_owned(),
                closed_on: on,
            })])
        }
        Command::StartPublicNotice {
            notice_id,
            purpose,
            target_rank,
            ends_on,
            ..
        } => {
            let on = happened(ctx, "公示开始日期")?;
            required(notice_id, "NOTICE_ID_REQUIRED", "公示编号")?;
            required(purpose, "NOTICE_PURPOSE_REQUIRED", "公示事项")?;
            if state.notices.iter().any(|n| &n.notice_id == notice_id) {
                return Err(duplicate("NOTICE_EXISTS", "公示", notice_id));
            }
            let days = ctx.policy.calendar.working_days(on, *ends_on);
            let needed = ctx.policy.promotion.public_notice_working_days;
            if days < needed {
                return Err(DomainError::refused(
                    "PUBLIC_NOTICE_TOO_SHORT",
                    format!(
                        "公示期 {on} 至 {ends_on} 仅 {days} 个工作日, 须不少于 {needed} 个工作日 (不含周末和法定节假日)"
                    ),
                ));
            }
            Ok(vec![Event::PublicNoticeStarted(PublicNoticeStarted {
                cadre_id,
                notice_id: notice_id.clone(),
                purpose: purpose.trim().to_owned(),
                target_rank: *target_rank,
                started_on: on,
                ends_on: *ends_on,
                working_days: days,
            })])
        }
        Command::EndPublicNotice {
            notice_id,
            objection_upheld,
            note,
            ..
        } => {
            let on = happened(ctx, "公示结束日期")?;
            let notice = state
                .notices
                .iter()
                .find(|n| &n.notice_id == notice_id && n.ended_on.is_none())
                .ok_or_else(|| {
                    DomainError::not_found(
                        "NOTICE_NOT_FOUND",
                        format!("没有进行中的公示 {notice_id}"),
                    )
                })?;
            if on < notice.started_on {
                return Err(DomainError::invalid(
                    "DATE_ORDER",
                    format!("公示结束日期 {on} 早于开始日期 {}", notice.started_on),
                ));
            }
            Ok(vec![Event::PublicNoticeEnded(PublicNoticeEnded {
                cadre_id,
                notice_id: notice_id.clone(),
                ended_on: on,
                objection_upheld: *objection_upheld,
                note: note.clone(),
            })])
        }
        Command::StartProbation {
            post_id, ends_on, ..
        } => {
            let on = happened(ctx, "试用期开始日期")?;
            let held = state
                .holding(post_id)
                .ok_or_else(|| not_held(state, post_id))?;
            if state.probation.is_some() {
                return Err(DomainError::refused(
                    "PROBATION_IN_PROGRESS",
                    format!("{} 正处于试用期", state.name),
                ));
            }
            if *ends_on <= on {
                return Err(DomainError::invalid(
                    "PROBATION_END_INVALID",
                    format!("试用期截止日期 {ends_on} 须晚于开始日期 {on}"),
                ));
            }
            Ok(vec![Event::ProbationStarted(ProbationStarted {
                cadre_id,
                unit_id: held.unit_id.clone(),
                post_id: post_id.clone(),
                started_on: on,
                ends_on: *ends_on,
            })])
        }
        Command::EndProbation { passed, .. } => {
            let on = happened(ctx, "试用期结束日期")?;
            let p = state.probation.as_ref().ok_or_else(|| {
                DomainError::not_found("PROBATION_NOT_FOUND", format!("{} 不在试用期", state.name))
            })?;
            Ok(vec![Event::ProbationEnded(ProbationEnded {
                cadre_id,
                post_id: p.post_id.clone(),
                ended_on: on,
                passed: *passed,
            })])
        }
        Command::StartSecondment {
            secondment_id,
            host_unit,
            host_post,
            ends_on,
            document_number,
            ..
        } => {
            let on = happened(ctx, "挂职开始日期")?;
            required(secondment_id, "SECONDMENT_ID_REQUIRED", "挂职编号")?;
            required(host_unit, "SECONDMENT_HOST_REQUIRED", "挂职单位")?;
            required(host_post, "SECONDMENT_HOST_REQUIRED", "挂职职务")?;
            if let Some(s) = &state.secondment {
                return Err(DomainError::refused(
                    "SECONDMENT_IN_PROGRESS",
                    format!("{} 正在{}挂职 (至 {})", state.name, s.host_unit, s.ends_on),
                ));
            }
            if *ends_on <= on {
                return Err(DomainError::invalid(
                    "SECONDMENT_END_INVALID",
                    format!("挂职截止日期 {ends_on} 须晚于开始日期 {on}"),
                ));
            }
            Ok(vec![Event::SecondmentStarted(SecondmentStarted {
                cadre_id,
                secondment_id: secondment_id.clone(),
                host_unit: host_unit.trim().to_owned(),
                host_post: host_post.trim().to_owned(),
                started_on: on,
                ends_on: *ends_on,
                document_number: document_number.clone(),
            })])
        }
        Command::EndSecondment { secondment_id, .. } => {
            let on = happened(ctx, "挂职结束日期")?;
            if state
                .secondment
                .as_ref()
                .is_none_or(|s| &s.secondment_id != secondment_id)
            {
                return Err(DomainError::not_found(
                    "SECONDMENT_NOT_FOUND",
                    format!("没有进行中的挂职 {secondment_id}"),
                ));
            }
            Ok(vec![Event::SecondmentEnded(SecondmentEnded {
                cadre_id,
                secondment_id: secondment_id.clone(),
                ended_on: on,
            })])
        }
        Command::OpenDismissalCase {
            case_id, reason, ..
        } => {
            let on = happened(ctx, "辞退立案日期")?;
            required(case_id, "CASE_ID_REQUIRED", "案件编号")?;
            required(reason, "DISMISSAL_REASON_REQUIRED", "辞退事由")?;
            if let Some(open) = &state.dismissal_case {
                return Err(DomainError::refused(
                    "DISMISSAL_CASE_OPEN",
                    format!("{} 已有辞退案件 {open}", state.name),
                ));
            }
            Ok(vec![Event::DismissalCaseOpened(DismissalCaseOpened {
                cadre_id,
                case_id: case_id.clone(),
                reason: reason.trim().to_owned(),
                opened_on: on,
                grounds_years: vec![],
            })])
        }
    }
}

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "cadre";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Facts;

    fn id_of(command: &Command) -> &str {
        command.cadre_id()
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        facts: &Facts,
    ) -> Result<Vec<Event>, DomainError> {
        decide(state, command, ctx, facts)
    }

    fn evolve(state: &mut State, event: &Event) {
        state.apply(event);
    }
}
