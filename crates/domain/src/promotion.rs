//! 职级晋升: the exact computation of time served toward a rank promotion, and every rule that can block one.
//!
//! # The computation
//!
//! 1. **The step.** The policy ladder names, for the target rank, the rank it is reached
//!    from (`from`), an optional equivalent leadership level, and the minimum months.
//!    The cadre must hold `from` or the equivalent level; otherwise the promotion is
//!    refused (`PROMOTION_NOT_NEXT_RANK`).
//! 2. **The counted period** starts at the earliest applicable date: when the cadre
//!    reached `from` (`rank_since`), or reached the equivalent leadership level
//!    (`level_since`), and ends on the promotion's effective date.
//!    `served_months` = whole months in that period.
//! 3. **Month slots.** Slot *i* is the month starting `start + i` months; it belongs to
//!    the calendar year in which it starts. `covered(Y)` = slots in year *Y*.
//! 4. **Years that do not count.** A year graded 基本称职, 不称职 or 不定等次 removes
//!    its `covered(Y)` months. A year without a recorded grade (typically the current
//!    year, not yet assessed) counts until it is graded.
//!    `counted_months = served_months − Σ covered(Y)` over those years.
//! 5. **优秀 credit.** Each year graded 优秀 with `covered(Y) ≥ 6` (the grade was
//!    earned mostly at the current rank) shortens the minimum by
//!    `excellent_reduction_months` (default 6).
//!    `required_months = min_months − credit` (never below 0).
//! 6. **Time rule** (`PROMOTION_MIN_YEARS`): `counted_months ≥ required_months`.
//!
//! # Other blocking rules (checked on the effective date)
//!
//! - `PROMOTION_UNDER_INVESTIGATION`: an investigation (立案审查) is open;
//! - `PROMOTION_SANCTION_PERIOD`: a sanction's effect period (影响期) runs;
//! - `PROMOTION_ADMONITION_PERIOD`: an admonition's (诫勉) effect period runs;
//! - `PROMOTION_INCOMPETENT_YEAR`: a year of the counted period is graded 不称职;
//! - `PROMOTION_PUBLIC_NOTICE`: no public notice (公示) for this rank, started after the
//!   cadre reached the current rank, has ended on or before the effective date after at
//!   least `public_notice_working_days` working days (by the working-day calendar
//!   published in the policy, `Policy::calendar`: weekends and statutory holidays are
//!   not counted, 调休 make-up Saturdays and Sundays are; both ends included) without an
//!   upheld objection.
//!
//! Each is an [`Obstacle`] with the date time alone lifts it: the time rule on the first date it
//! is met ([`time_rule_met_on`]), an effect period on the day after it ends (a following
//! period recorded before then extends it); an investigation, a 不称职 year and the public notice
//! need an act. [`obstacles`] lists them all; the command refuses with all of them.
//!
//! Meeting all of them entitles no one: a promotion is always an explicit command.

use chrono::{Datelike, NaiveDate};

use crate::{
    cadre::State,
    dates,
    error::DomainError,
    obstacle::Obstacle,
    policy::{Policy, PromotionPolicy, RankStep},
    types::{Grade, Rank},
};

/// How far a cadre is toward a promotion to one rank (the time rule only).
#[derive(Debug, Clone, PartialEq)]
pub struct Eligibility {
    pub step: RankStep,
    pub from: Option<Rank>,
    pub to: Rank,
    /// Start of the counted period.
    pub start: NaiveDate,
    pub served_months: u32,
    /// Years that do not count, with their grade (`None`: 不定等次) and the months removed.
    pub excluded_years: Vec<(i32, Option<Grade>, u32)>,
    pub counted_months: u32,
    /// 优秀 years that shortened the minimum.
    pub excellent_years: Vec<i32>,
    pub credit_months: u32,
    pub required_months: u32,
    /// 不称职 years inside the counted period.
    pub incompetent_years: Vec<i32>,
    /// Every calendar year of the counted period with its months in it (its slots), in order.
    pub years: Vec<(i32, u32)>,
}

impl Eligibility {
    /// The time rule is met.
    pub fn meets_minimum(&self) -> bool {
        self.counted_months >= self.required_months
    }

    /// Months still missing (0 when met).
    pub fn months_missing(&self) -> u32 {
        self.required_months.saturating_sub(self.counted_months)
    }
}

/// Compute the time served toward `to` on `on` (see the module documentation).
pub fn eligibility(
    state: &State,
    to: Rank,
    on: NaiveDate,
    policy: &PromotionPolicy,
) -> Result<Eligibility, DomainError> {
    let step = policy.step_to(to).ok_or_else(|| {
        DomainError::refused(
            "PROMOTION_NOT_NEXT_RANK",
            format!("晋升职级被拒绝: 职级阶梯中没有晋升至{}的规定", to.zh()),
        )
    })?;
    let by_rank = (state.rank == Some(step.from))
        .then_some(state.rank_since)
        .flatten();
    let by_level = (step.equivalent.is_some() && state.leadership_level == step.equivalent)
        .then_some(state.level_since)
        .flatten();
    let start = match (by_rank, by_level) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => {
            let equivalent = step
                .equivalent
                .map(|l| format!("或{}", l.zh()))
                .unwrap_or_default();
            let current = state.rank.map_or("无职级", Rank::zh);
            return Err(DomainError::refused(
                "PROMOTION_NOT_NEXT_RANK",
                format!(
                    "晋升职级被拒绝: 晋升{}须现任{}{equivalent}, 现任{current}",
                    to.zh(),
                    step.from.zh()
                ),
            ));
        }
    };
    let served_months = dates::months_between(start, on);
    // Slot i starts in month (start's month + i) counted from January of start's year; adding
    // months never moves a date to another year than that count says, so the slots of each
    // year are counted without visiting them.
    // Each pass covers the rest of one year, so the years come out in order, each once.
    let mut covered: Vec<(i32, u32)> = Vec::with_capacity(served_months as usize / 12 + 2);
    let first = start.month0();
    let mut i = 0;
    while i < served_months {
        let year = start.year() + ((first + i) / 12) as i32;
        let in_year = (12 - (first + i) % 12).min(served_months - i);
        covered.push((year, in_year));
        i += in_year;
    }
    let mut excluded_years = Vec::new();
    let mut excellent_years = Vec::new();
    let mut incompetent_years = Vec::new();
    for &(year, months) in &covered {
        match state.grades.get(&year) {
            Some(Some(Grade::Excellent)) if months >= 6 => excellent_years.push(year),
            Some(grade @ (Some(Grade::BasicallyCompetent | Grade::Incompetent) | None)) => {
                excluded_years.push((year, *grade, months));
                if *grade == Some(Grade::Incompetent) {
                    incompetent_years.push(year);
                }
            }
            _ => {}
        }
    }
    let removed: u32 = excluded_years.iter().map(|(_, _, m)| m).sum();
    let counted_months = served_months.saturating_sub(removed);
    let credit_months = policy
        .excellent_reduction_months
        .saturating_mul(excellent_years.len() as u32);
    let required_months = step.min_months.saturating_sub(credit_months);
    Ok(Eligibility {
        step: step.clone(),
        from: state.rank,
        to,
        start,
        served_months,
        excluded_years,
        counted_months,
        excellent_years,
        credit_months,
        required_months,
        incompetent_years,
        years: covered,
    })
}

/// The first date, on or after `from`, on which the time rule toward `to` is met, assuming the
/// grades on record stay as they are (years not yet graded count): a forecast for dashboards,
/// never an entitlement. Searched among the next 20 years' months; `None` when not reached
/// (or when `to` is not the next rank).
pub fn time_rule_met_on(
    state: &State,
    to: Rank,
    from: NaiveDate,
    policy: &PromotionPolicy,
) -> Option<NaiveDate> {
    let first = eligibility(state, to, from, policy).ok()?;
    if first.meets_minimum() {
        return Some(from);
    }
    let start = first.start;
    // Whole months are counted from the start date, so candidates are start + n months. The
    // rule, once met, stays met as the date moves on (the months counted never fall, the
    // months required never rise), so the first month it is met is found by bisection.
    let met = |n: u32| {
        let d = dates::add_months(start, n);
        d > from && eligibility(state, to, d, policy).is_ok_and(|e| e.meets_minimum())
    };
    let (mut low, mut high) = (first.served_months + 1, first.served_months + 240);
    if !met(high) {
        return None;
    }
    while low < high {
        let mid = low + (high - low) / 2;
        if met(mid) {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    Some(dates::add_months(start, low))
}

/// The obstacles of the cadre's standing on `on`, whatever the rank or post aimed at: dismissed
/// (辞退), under investigation (立案审查), within a sanction's or an admonition's effect period
/// (影响期). The first rules of [`obstacles`]; a selection case reads them at its decision and its
/// document (`selection`).
pub fn standing_obstacles(state: &State, on: NaiveDate) -> Vec<Obstacle> {
    let mut out = Vec::new();
    // 辞退 and 开除 end the cadre's service: no promotion follows them.
    if let Some((since, end)) = state.service_ended().filter(|(d, _)| *d <= on) {
        out.push(Obstacle::needs_act(
            end.code(),
            format!(
                "晋升职级被拒绝: {} 已于 {since} 被{}, 不再担任公职",
                state.who(),
                end.zh()
            ),
        ));
    }
    if let Some(case) = state.investigations_open(on).next() {
        out.push(Obstacle::needs_act(
            "PROMOTION_UNDER_INVESTIGATION",
            format!(
                "晋升职级被拒绝: 正在接受立案审查 (案件 {}, {} 立案)",
                case.case_id, case.opened_on
            ),
        ));
    }
    if let Some(s) = state.sanctions_in_effect(on).max_by_key(|s| s.effect_until) {
        let periods = state
            .sanctions
            .iter()
            .map(|s| (s.imposed_on, s.effect_until));
        out.push(Obstacle::lifts(
            "PROMOTION_SANCTION_PERIOD",
            format!(
                "晋升职级被拒绝: {} 受{}处分 ({} 起) 影响期至 {} 届满, {} 仍在影响期内",
                state.who(),
                s.kind.zh(),
                s.imposed_on,
                s.effect_until,
                on
            ),
            periods_end(periods, s.effect_until),
        ));
    }
    if let Some(a) = state
        .admonitions_in_effect(on)
        .max_by_key(|a| a.effect_until)
    {
        let periods = state
            .admonitions
            .iter()
            .map(|a| (a.issued_on, a.effect_until));
        out.push(Obstacle::lifts(
            "PROMOTION_ADMONITION_PERIOD",
            format!(
                "晋升职级被拒绝: {} 受诫勉 ({} 起, 整改期限 {}) 影响期至 {} 届满, {} 仍在影响期内",
                state.who(),
                a.issued_on,
                a.improve_by,
                a.effect_until,
                on
            ),
            periods_end(periods, a.effect_until),
        ));
    }
    out
}

/// Every rule that blocks a promotion to `to` on `on`, in the order a clerk would check them,
/// each with the date time alone would lift it (see [`Obstacle::lifts_on`]), and the time
/// served. `Err` when the target is not the next rank at all.
///
/// This is the one statement of the promotion rules: the `PromoteRank` command refuses with
/// exactly these obstacles, and every list of candidates is computed with it.
pub fn obstacles(
    state: &State,
    to: Rank,
    on: NaiveDate,
    policy: &Policy,
) -> Result<(Eligibility, Vec<Obstacle>), DomainError> {
    let e = eligibility(state, to, on, &policy.promotion)?;
    let mut out = standing_obstacles(state, on);
    if !e.incompetent_years.is_empty() {
        let years: Vec<String> = e.incompetent_years.iter().map(|y| format!("{y}")).collect();
        out.push(Obstacle::needs_act(
            "PROMOTION_INCOMPETENT_YEAR",
            format!(
                "晋升职级被拒绝: 计算任职年限的期间内 {} 年度考核为不称职",
                years.join("、")
            ),
        ));
    }
    if !e.meets_minimum() {
        let mut message = format!(
            "晋升职级被拒绝: 任现职级满 {} 年, 需满 {} 年",
            dates::years_label(e.counted_months),
            dates::years_label(e.step.min_months)
        );
        if e.credit_months > 0 {
            message.push_str(&format!(
                " (优秀年度已折抵 {} 年)",
                dates::years_label(e.credit_months)
            ));
        }
        if !e.excluded_years.is_empty() {
            let years: Vec<String> = e
                .excluded_years
                .iter()
                .map(|(y, g, _)| format!("{y} 年{}", g.map_or("不定等次", Grade::zh)))
                .collect();
            message.push_str(&format!("; 不计入任职年限: {}", years.join("、")));
        }
        out.push(Obstacle {
            code: "PROMOTION_MIN_YEARS",
            message,
            lifts_on: time_rule_met_on(state, to, on, &policy.promotion),
        });
    }
    if let Err(refusal) = public_notice(state, to, on, policy) {
        out.push(Obstacle::needs_act(refusal.code(), refusal.message()));
    }
    Ok((e, out))
}

/// The end of a run of effect periods `[from, until)` that covers `until`'s predecessor: the first
/// day no period of the record covers, starting from `until` (a second period recorded before
/// the first ends extends the run).
fn periods_end(
    periods: impl Iterator<Item = (NaiveDate, NaiveDate)> + Clone,
    until: NaiveDate,
) -> NaiveDate {
    let mut end = until;
    while let Some(next) = periods
        .clone()
        .filter(|(from, to)| *from <= end && end < *to)
        .map(|(_, to)| to)
        .max()
    {
        end = next;
    }
    end
}

/// All rules for a promotion to `to` on `on`: the eligibility, or a refusal carrying every
/// obstacle ([`DomainError::Blocked`]; its code and message are the first obstacle's).
pub fn check(
    state: &State,
    to: Rank,
    on: NaiveDate,
    policy: &Policy,
) -> Result<Eligibility, DomainError> {
    let (e, obstacles) = obstacles(state, to, on, policy)?;
    match DomainError::blocked(obstacles) {
        None => Ok(e),
        Some(refusal) => Err(refusal),
    }
}

/// The first date, on or after `on`, on which a promotion to `to` would pass every rule if
/// nothing but time changed: `on` itself when nothing blocks it, `None` when an obstacle needs
/// an act (or `to` is not the next rank). A forecast, never an entitlement.
pub fn eligible_from(state: &State, to: Rank, on: NaiveDate, policy: &Policy) -> Option<NaiveDate> {
    let (_, first) = obstacles(state, to, on, policy).ok()?;
    eligible_from_obstacles(state, to, on, &first, policy)
}

/// [`eligible_from`] when the obstacles on `on` are already known.
pub fn eligible_from_obstacles(
    state: &State,
    to: Rank,
    on: NaiveDate,
    found: &[Obstacle],
    policy: &Policy,
) -> Option<NaiveDate> {
    if found.is_empty() {
        return Some(on);
    }
    let mut date = crate::obstacle::all_lift_on(found)?;
    // Lifting one obstacle can leave another in its place (a sanction recorded to start later):
    // look again on the date found, a few times at most.
    for _ in 0..8 {
        let (_, left) = obstacles(state, to, date, policy).ok()?;
        if left.is_empty() {
            return Some(date);
        }
        let next = crate::obstacle::all_lift_on(&left)?;
        if next <= date {
            return None;
        }
        date = next;
    }
    None
}

/// The public-notice rule alone.
pub fn public_notice(
    state: &State,
    to: Rank,
    on: NaiveDate,
    policy: &Policy,
) -> Result<(), DomainError> {
    let needed = policy.promotion.public_notice_working_days;
    let since = state.rank_since.unwrap_or(NaiveDate::MIN);
    let candidates: Vec<_> = state
        .notices
        .iter()
        .filter(|n| n.target_rank == Some(to) && n.started_on >= since && n.started_on <= on)
        .collect();
    let valid = |n: &&crate::cadre::NoticeRecord| {
        n.ended_on.is_some_and(|end| {
            end <= on && policy.calendar.working_days(n.started_on, end) >= needed
        }) && !n.objection_upheld
    };
    if candidates.iter().any(valid) {
        return Ok(());
    }
    let message = match candidates.last() {
        None => format!(
            "晋升职级被拒绝: 尚未进行晋升{}的公示 (须公示不少于 {needed} 个工作日)",
            to.zh()
        ),
        Some(n) if n.objection_upheld => {
            format!(
                "晋升职级被拒绝: 公示 {} 期间反映的问题经核实成立",
                n.notice_id
            )
        }
        Some(n) => match n.ended_on {
            Some(end) if end <= on => format!(
                "晋升职级被拒绝: 公示 {} ({} 至 {end}) 仅 {} 个工作日 (不含周末和法定节假日), 须不少于 {needed} 个工作日",
                n.notice_id,
                n.started_on,
                policy.calendar.working_days(n.started_on, end)
            ),
            _ => format!(
                "晋升职级被拒绝: 公示 {} 尚未结束 ({} 起, 计划 {} 结束)",
                n.notice_id, n.started_on, n.ends_on
            ),
        },
    };
    Err(DomainError::refused("PROMOTION_PUBLIC_NOTICE", message))
}
