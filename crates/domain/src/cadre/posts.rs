//! 任免: appointment to a post, removal from it and rotation between posts, the 职务层次 that
//! follows a post or is changed by decision, and the 试用期 of a post taken.

use chrono::NaiveDate;

use super::{
    Appoint, Appointed, Event, Facts, Holding, LeadershipLevelChanged, ProbationEnded,
    ProbationStarted, Remove, Removed, Rotate, Rotated, State, happened, not_future, required,
};
use crate::{
    avoidance,
    codes::ChangeCategory,
    context::Context,
    error::DomainError,
    staffing::Tier,
    tenure,
    types::LeadershipLevel,
    unit::{self, PostFact, PostRef},
};

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

/// `POST_NOT_HELD`, naming the post by its title and the unit 单位名（id） when they are known
/// (the post of the unit named, from `Facts::post`, or a post the cadre held before).
fn not_held(
    state: &State,
    known: Option<&PostFact>,
    unit_id: Option<&str>,
    post_id: &str,
) -> DomainError {
    let named = known
        .filter(|p| p.post_id == post_id && unit_id.is_none_or(|u| u == p.unit_id))
        .map(|p| (p.unit_name.as_str(), p.unit_id.as_str(), p.title.as_str()))
        .or_else(|| {
            state
                .past_posts
                .iter()
                .rev()
                .find(|p| p.post_id == post_id && unit_id.is_none_or(|u| u == p.unit_id))
                .map(|p| (p.unit_name.as_str(), p.unit_id.as_str(), p.title.as_str()))
        });
    let unit = match (named, unit_id) {
        (Some((name, id, _)), _) => format!("{name}（{id}）的"),
        (None, Some(u)) => format!("单位「{u}」的"),
        (None, None) => String::new(),
    };
    let post = named.map_or_else(
        || format!("岗位「{post_id}」"),
        |(_, _, t)| format!("「{t}」"),
    );
    DomainError::not_found(
        "POST_NOT_HELD",
        format!("{} 未担任{unit}{post}, 不能免职或交流", state.who()),
    )
}

/// The checks every move onto `post` runs, whichever path takes the cadre there (任职, 交流, a
/// 逆向调整岗位 decided or carried out): a leadership post is held by no one else (`POST_TAKEN`,
/// [`unit::vacant_post`], the holders from `Facts::post_holders`); 回避 beside the relatives'
/// posts; the reappointment bars; and the unit's 职数 (`Facts::post_quota`) for the leadership
/// post the move adds — none when the cadre holds that post already or leaves, by the same move,
/// a post of the same tier in that unit (`leaving`) — beyond it only on `document` where the
/// quota allows exceptions.
///
/// A move dated before today is judged on every date from its effective date to today
/// (`Facts::unit_history`): no one else held the post on any of them (a holder since removed
/// whose tenure reaches past the date, or one appointed after it, refuses it too), and the
/// unit's places of the tier, with the quota in force on each date, had room for it every day.
pub(super) fn check_move(
    state: &State,
    post: &PostFact,
    facts: &Facts,
    leaving: &[&Holding],
    (document, on, action): (&str, NaiveDate, &str),
    ctx: &Context<'_>,
) -> Result<(), DomainError> {
    let target = PostRef {
        unit_id: post.unit_id.clone(),
        post_id: post.post_id.clone(),
    };
    unit::vacant_post(
        &target,
        Some(post),
        &facts.post_holders,
        &state.cadre_id,
        action,
    )?;
    let history = facts.unit_history.as_ref().filter(|_| on < ctx.today);
    if let (Some(history), Some(_)) = (history, post.leadership_level)
        && let Some(spell) = history.other_holder(&post.post_id, &state.cadre_id, on)
    {
        return Err(DomainError::refused(
            "POST_TAKEN",
            format!(
                "{action}被拒绝: {}（{}）的岗位「{}」自 {} 起由 干部「{}」担任{}, 与 {on} 起的{action}重叠, 该岗位在此期间不是空缺岗位",
                post.unit_name,
                post.unit_id,
                post.title,
                spell.from,
                spell.cadre_id,
                spell
                    .to
                    .map_or(String::from("至今"), |to| format!("至 {to}")),
            ),
        ));
    }
    avoidance::check_for(&state.who(), post, &facts.relatives, &ctx.policy.tenure)?;
    tenure::reappointment(state, post, on, &ctx.policy.tenure)?;
    let Some(level) = post.leadership_level else {
        return Ok(());
    };
    let tier = Tier::of(level);
    let in_unit =
        |unit_id: &str, post_id: &str| state.holding(post_id).is_some_and(|h| h.unit_id == unit_id);
    let frees = leaving
        .iter()
        .any(|h| h.unit_id == post.unit_id && h.leadership_level.map(Tier::of) == Some(tier));
    if frees || in_unit(&post.unit_id, &post.post_id) {
        return Ok(());
    }
    // Beyond the quota only as an exception the unit's quota allows, on this document.
    match history {
        Some(history) => {
            for day in history.dates_from(on, ctx.today) {
                if let Some(quota) = history.quota_on(&post.unit_id, day) {
                    quota.check_at(
                        tier,
                        1,
                        Some(document),
                        action,
                        Some(&post.unit_name),
                        Some(day),
                    )?;
                }
            }
        }
        None => {
            if let Some(quota) = facts
                .post_quota
                .as_ref()
                .filter(|q| q.unit_id == post.unit_id)
            {
                quota.check_at(tier, 1, Some(document), action, Some(&post.unit_name), None)?;
            }
        }
    }
    Ok(())
}

pub(super) fn appoint(
    state: &State,
    c: &Appoint,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "任职日期")?;
    if let Some((since, end)) = state.service_ended() {
        return Err(DomainError::refused(
            end.code(),
            format!("{} 已于 {since} {}, 不能再任职", state.who(), end.zh()),
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
                state.who(),
                post.title
            ),
        ));
    }
    if let Some(until) = c.probation_until.filter(|u| *u <= on) {
        return Err(DomainError::invalid(
            "PROBATION_END_INVALID",
            format!("试用期截止日期 {until} 须晚于任职日期 {on}"),
        ));
    }
    check_move(
        state,
        post,
        facts,
        &[],
        (&c.document_number, on, "任职"),
        ctx,
    )?;
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

pub(super) fn remove(
    state: &State,
    c: &Remove,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "免职日期")?;
    let held = state
        .holding(&c.post_id)
        .filter(|h| h.unit_id == c.unit_id)
        .ok_or_else(|| not_held(state, facts.post.as_ref(), Some(&c.unit_id), &c.post_id))?;
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

pub(super) fn rotate(
    state: &State,
    c: &Rotate,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "交流日期")?;
    let from = state
        .holding(&c.from_post_id)
        .ok_or_else(|| not_held(state, None, None, &c.from_post_id))?;
    if on < from.since {
        return Err(DomainError::invalid(
            "REMOVAL_BEFORE_APPOINTMENT",
            format!(
                "交流日期 {on} 早于 {} 任{}（{}）「{}」的日期 {}: 不能从尚未担任的岗位交流",
                state.who(),
                from.unit_name,
                from.unit_id,
                from.title,
                from.since
            ),
        ));
    }
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
            format!("{} 已担任「{}」", state.who(), to.title),
        ));
    }
    check_move(
        state,
        to,
        facts,
        &[from],
        (&c.document_number, on, "交流"),
        ctx,
    )?;
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

pub(super) fn change_leadership_level(
    state: &State,
    level: Option<LeadershipLevel>,
    document_number: &Option<String>,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "职务层次变更日期")?;
    if state.leadership_level == level {
        return Err(DomainError::refused(
            "LEVEL_UNCHANGED",
            format!(
                "{} 现职务层次已是 {}",
                state.who(),
                level.map_or("无", |l| l.zh())
            ),
        ));
    }
    Ok(vec![Event::LeadershipLevelChanged(
        LeadershipLevelChanged {
            cadre_id: state.cadre_id.clone(),
            from: state.leadership_level,
            to: level,
            effective_on: on,
            document_number: document_number.clone(),
        },
    )])
}

pub(super) fn start_probation(
    state: &State,
    post_id: &str,
    ends_on: NaiveDate,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "试用期开始日期")?;
    let held = state
        .holding(post_id)
        .ok_or_else(|| not_held(state, None, None, post_id))?;
    if state.probation.is_some() {
        return Err(DomainError::refused(
            "PROBATION_IN_PROGRESS",
            format!("{} 正处于试用期", state.who()),
        ));
    }
    if ends_on <= on {
        return Err(DomainError::invalid(
            "PROBATION_END_INVALID",
            format!("试用期截止日期 {ends_on} 须晚于开始日期 {on}"),
        ));
    }
    Ok(vec![Event::ProbationStarted(ProbationStarted {
        cadre_id: state.cadre_id.clone(),
        unit_id: held.unit_id.clone(),
        post_id: post_id.to_owned(),
        started_on: on,
        ends_on,
    })])
}

pub(super) fn end_probation(
    state: &State,
    passed: bool,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "试用期结束日期")?;
    let p = state.probation.as_ref().ok_or_else(|| {
        DomainError::not_found("PROBATION_NOT_FOUND", format!("{} 不在试用期", state.who()))
    })?;
    Ok(vec![Event::ProbationEnded(ProbationEnded {
        cadre_id: state.cadre_id.clone(),
        post_id: p.post_id.clone(),
        ended_on: on,
        passed,
    })])
}
