//! 年度考核等次 on a cadre's record: the checks an annual grade must pass and the consequences it
//! writes to the cadre's own stream (嘉奖, 三等功, 诫勉, the pending rank lowering, a down review, 辞退).

use super::{
    AdmonitionIssued, AwardGranted, DismissalCaseOpened, DownReviewRequired, Event, GradeRecorded,
    RankLoweringPending, State, check_cited, required,
};
use crate::{
    codes::{AssessmentCategory, AssessmentConclusion},
    context::Context,
    dates,
    error::DomainError,
    types::{AwardKind, Grade, SanctionKind},
};

/// The consequences of an annual grade in the cadre's own stream (公务员考核规定):
/// 优秀 → 嘉奖, and 三等功 at every `merit_after_excellent_years` consecutive 优秀 years;
/// 基本称职 → 诫勉 with a deadline of `admonition_months`;
/// 不称职 → rank lowered one level (pending a decision; each year's lowering on its own) and a
/// “down” review; `dismissal_after_incompetent_years`
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
            // Lowerings still pending for earlier years come first: this one takes the rank one
            // level below where they leave it.
            let after_pending = state
                .pending_rank_lowerings
                .iter()
                .fold(state.rank, |rank, _| rank.and_then(|r| r.previous()));
            if let Some((from, to)) = after_pending.and_then(|r| r.previous().map(|p| (r, p))) {
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
    // The year-end assessment is held from December of the year on: a year whose December has
    // not begun on the effective date has not been served yet.
    let on = ctx.effective;
    let last = if on.month() == 12 {
        on.year()
    } else {
        on.year() - 1
    };
    if year > last || year > ctx.today.year() {
        return Err(DomainError::invalid(
            "ASSESSMENT_YEAR_INVALID",
            format!(
                "考核年度 {year} 无效: 确定等次的日期 {on} 时该年度尚未结束 (年度考核自当年 12 月起进行, 最晚可确定 {last} 年度)"
            ),
        ));
    }
    // Not a year before the cadre's working life: the year they joined work when the record has
    // it, else the year they turned 16.
    let first = state
        .joined_work_on
        .map(|d| d.year())
        .or(state.birth_date.map(|b| b.year() + 16))
        .unwrap_or(1950)
        .max(1950);
    if year < first {
        return Err(DomainError::invalid(
            "ASSESSMENT_YEAR_INVALID",
            format!(
                "考核年度 {year} 无效: 早于 {} 的{} ({first} 年)",
                state.who(),
                if state.joined_work_on.is_some() {
                    "参加工作年度"
                } else {
                    "年满 16 周岁的年度"
                }
            ),
        ));
    }
    // Service ended with a dismissal or an expulsion: no year-end assessment for that year or
    // any later one.
    if let Some((since, end)) = state.service_ended().filter(|(d, _)| year >= d.year()) {
        let how = end.zh();
        return Err(DomainError::refused(
            end.code(),
            format!(
                "{} 已于 {since} {how}, 不参加 {year} 年度考核 ({how}当年及以后各年不定等次)",
                state.who()
            ),
        ));
    }
    if let Some(existing) = state.grades.get(&year) {
        return Err(DomainError::invalid(
            "ASSESSMENT_ALREADY_GRADED",
            format!(
                "{} {year} 年度已确定等次 “{}”, 不能重复确定",
                state.who(),
                existing.map_or("不定等次", Grade::zh)
            ),
        ));
    }
    match (state.sanction_bearing_on_year(year), grade) {
        (Some(SanctionKind::Warning), Some(Grade::Excellent)) => Err(DomainError::refused(
            "ASSESSMENT_WARNING_BARS_EXCELLENT",
            format!("{} {year} 年受警告处分, 当年不得确定为优秀", state.who()),
        )),
        (Some(kind), Some(g)) if kind > SanctionKind::Warning => Err(DomainError::refused(
            "ASSESSMENT_SANCTION_NO_GRADE",
            format!(
                "{} {year} 年在{}处分期间, 只写评语不定等次 (不能确定为{})",
                state.who(),
                kind.zh(),
                g.zh()
            ),
        )),
        _ => Ok(()),
    }
}

/// Whether the cadre belongs to `unit_id` for the assessment of `year`: it is the unit they
/// serve in now (`State::unit_id`: the unit registered, then the unit of each appointment other
/// than a 兼任 and of each rotation — the profile's `unitId`), or they held a post in it at some
/// time in `year` (a post held now since before the year's end, or a past post overlapping it).
pub fn in_unit_for_year(state: &State, unit_id: &str, year: i32) -> bool {
    let (start, end) = (dates::year_start(year), dates::year_end(year));
    state.unit_id == unit_id
        || state
            .posts
            .iter()
            .any(|h| h.unit_id == unit_id && h.since <= end)
        || state
            .past_posts
            .iter()
            .any(|p| p.unit_id == unit_id && p.from <= end && p.to >= start)
}

/// A unit grades only its own cadres ([`in_unit_for_year`]); `unit` names the unit in the
/// refusal (单位名（id） when known).
pub fn check_in_unit(
    state: &State,
    unit_id: &str,
    unit: &str,
    year: i32,
) -> Result<(), DomainError> {
    if in_unit_for_year(state, unit_id, year) {
        return Ok(());
    }
    let own = state
        .posts
        .iter()
        .find(|h| h.unit_id == state.unit_id)
        .map_or_else(
            || state.unit_id.clone(),
            |h| format!("{}（{}）", h.unit_name, h.unit_id),
        );
    Err(DomainError::refused(
        "ASSESSMENT_CADRE_NOT_IN_UNIT",
        format!(
            "{} 不属于{unit}: 现所在单位为 {own}, {year} 年度也未在{unit}任职, 不能由{unit}确定其 {year} 年度考核等次",
            state.who()
        ),
    ))
}

pub(super) fn record_grade(
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
    check_in_unit(state, unit_id, unit_id, year)?;
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
