//! Carrying out a “down” decision (能上能下) on a cadre's record: the posts it ends, the post it moves the cadre to, the level that follows.

use super::{
    Appointed, CarryOutDown, Event, Facts, Holding, LeadershipLevelChanged, MovedDown, Removed,
    State,
};
use crate::{
    codes::{
        AppointmentManner, AppointmentReason, AppointmentStatus, ChangeCategory, RemovalManner,
        RemovalReason,
    },
    context::Context,
    error::DomainError,
    types::DownMethod,
    unit::{self, PostFact, PostRef},
};

/// The body that decides “down” adjustments (区委常委会).
const DECIDING_BODY: &str = "区委常委会";
/// The body that nominates the post a 逆向调整岗位 moves the cadre to.
const NOMINATING_BODY: &str = "区委组织部";

/// The leadership posts the cadre holds: every one ends when a “down” decision is carried out.
fn leadership_posts(state: &State) -> Vec<&Holding> {
    state
        .posts
        .iter()
        .filter(|h| h.leadership_level.is_some())
        .collect()
}

/// What a “down” decision must leave the cadre with, checked on the cadre's record when the
/// committee decides and again when the decision is carried out (the `down` stream's decision and
/// execution, and [`carry_out`]): the rules in one place.
///
/// - 改任职级 leaves the cadre in a rank-only position: the cadre must hold a 职级 to keep
///   (`DOWN_RANK_REQUIRED`), else the record would be left with neither post nor rank.
/// - 逆向调整岗位 names the post the cadre moves to (`DOWN_TARGET_POST_REQUIRED`): it exists, is
///   open and — a leadership post — held by no one else (`POST_TAKEN`); it is not a post the cadre
///   already holds (`DOWN_TARGET_SAME_POST`); its 职务层次 is not above the cadre's current one
///   (`DOWN_TARGET_ABOVE_LEVEL`: a reverse adjustment moves down, or sideways to a lesser post at
///   the same level; a non-leadership post is below every level); and it passes what an
///   appointment to it would (回避, the reappointment bars, the unit's 职数, the cadre's own
///   leadership posts in that unit counting back, since they end by the same decision).
///
/// Returns the post a 逆向调整岗位 moves the cadre to.
pub fn check_down<'f>(
    state: &State,
    method: DownMethod,
    to_post: Option<&PostRef>,
    facts: &'f Facts,
    decision_ref: &str,
    ctx: &Context<'_>,
) -> Result<Option<&'f PostFact>, DomainError> {
    const ACTION: &str = "逆向调整岗位";
    match (method, to_post) {
        (DownMethod::ChangeToRank, _) if state.rank.is_none() => Err(DomainError::refused(
            "DOWN_RANK_REQUIRED",
            format!(
                "改任职级被拒绝: {}（{}）没有登记职级, 改任职级后将既无领导职务也无职级; 请先登记其职级, 或选择其他调整方式",
                state.name, state.cadre_id
            ),
        )),
        (DownMethod::ReverseAdjustment, None) => Err(DomainError::invalid(
            "DOWN_TARGET_POST_REQUIRED",
            "逆向调整岗位的决定必须写明调整到的单位和岗位",
        )),
        (DownMethod::ReverseAdjustment, Some(to)) => {
            let post = unit::vacant_post(
                to,
                facts.post.as_ref(),
                &facts.post_holders,
                &state.cadre_id,
                ACTION,
            )?;
            if state
                .holding(&post.post_id)
                .is_some_and(|h| h.unit_id == post.unit_id)
            {
                return Err(DomainError::refused(
                    "DOWN_TARGET_SAME_POST",
                    format!(
                        "{ACTION}被拒绝: {}（{}）现任{}（{}）「{}」, 调整到的岗位不能是其现任岗位",
                        state.name, state.cadre_id, post.unit_name, post.unit_id, post.title
                    ),
                ));
            }
            if post.leadership_level > state.leadership_level {
                return Err(DomainError::refused(
                    "DOWN_TARGET_ABOVE_LEVEL",
                    format!(
                        "{ACTION}被拒绝: {}（{}）「{}」为{}, 高于{}（{}）现职务层次「{}」; 逆向调整只能降低或平级调整",
                        post.unit_name,
                        post.unit_id,
                        post.title,
                        post.leadership_level.map_or("非领导职务", |l| l.zh()),
                        state.name,
                        state.cadre_id,
                        state.leadership_level.map_or("无", |l| l.zh()),
                    ),
                ));
            }
            super::posts::check_move(
                state,
                post,
                facts,
                &leadership_posts(state),
                (decision_ref.trim(), ctx.effective, ACTION),
                ctx,
            )?;
            Ok(Some(post))
        }
        (_, _) => Ok(None),
    }
}

/// The events a carried-out decision writes to the cadre's stream, all in one append with the
/// review's `down.Executed`: every leadership post ended on the effective date (免职, 不适宜担任现职,
/// on the decision's 文号); for 逆向调整岗位 the appointment to the named post (降任); the
/// leadership level that follows (none for 改任职级 and 提前退出领导岗位); and the `MovedDown` record.
pub(super) fn carry_out(
    state: &State,
    c: &CarryOutDown,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let on = ctx.effective;
    if c.decision_ref.trim().is_empty() {
        return Err(DomainError::invalid(
            "DOWN_DECISION_REF_REQUIRED",
            "区委常委会调整决定必须写明文号",
        ));
    }
    if state.moved_down.contains(&c.review_id) {
        return Err(DomainError::refused(
            "DOWN_ALREADY_CARRIED_OUT",
            format!(
                "{}（{}）的调整决定 {} 已执行, 不能重复执行",
                state.name, state.cadre_id, c.review_id
            ),
        ));
    }
    let target = check_down(
        state,
        c.method,
        c.to_post.as_ref(),
        facts,
        &c.decision_ref,
        ctx,
    )?;
    let ended: Vec<_> = leadership_posts(state);
    if let Some(h) = ended.iter().find(|h| on < h.since) {
        return Err(DomainError::invalid(
            "REMOVAL_BEFORE_APPOINTMENT",
            format!("执行日期 {on} 早于「{}」的任职日期 {}", h.title, h.since),
        ));
    }
    let mut events: Vec<Event> = ended
        .iter()
        .map(|h| {
            Event::Removed(Removed {
                cadre_id: state.cadre_id.clone(),
                unit_id: h.unit_id.clone(),
                post_id: h.post_id.clone(),
                post_title: h.title.clone(),
                manner: RemovalManner::Removal,
                reason: RemovalReason::Unfit,
                approved_by: DECIDING_BODY.to_owned(),
                decided_on: c.decided_on,
                effective_on: on,
                document_number: c.decision_ref.trim().to_owned(),
                held_since: h.since,
            })
        })
        .collect();
    if let Some(post) = target {
        events.push(Event::Appointed(Appointed {
            cadre_id: state.cadre_id.clone(),
            unit_id: post.unit_id.clone(),
            unit_name: post.unit_name.clone(),
            post_id: post.post_id.clone(),
            post_title: post.title.clone(),
            category: post.category,
            leadership_level: post.leadership_level,
            heads_unit: post.heads_unit,
            manner: AppointmentManner::Commission,
            reason: AppointmentReason::WorkNeeds,
            change_category: ChangeCategory::Demoted,
            status: AppointmentStatus::Serving,
            nominated_by: NOMINATING_BODY.to_owned(),
            approved_by: DECIDING_BODY.to_owned(),
            decided_on: c.decided_on,
            effective_on: on,
            document_number: c.decision_ref.trim().to_owned(),
            probation_until: None,
        }));
    }
    let level_after = target.and_then(|t| t.leadership_level);
    if state.leadership_level != level_after {
        events.push(Event::LeadershipLevelChanged(LeadershipLevelChanged {
            cadre_id: state.cadre_id.clone(),
            from: state.leadership_level,
            to: level_after,
            effective_on: on,
            document_number: Some(c.decision_ref.trim().to_owned()),
        }));
    }
    events.push(Event::MovedDown(MovedDown {
        cadre_id: state.cadre_id.clone(),
        review_id: c.review_id.clone(),
        method: c.method,
        decision_ref: c.decision_ref.trim().to_owned(),
        decided_on: c.decided_on,
        effective_on: on,
        posts_ended: ended
            .iter()
            .map(|h| format!("{}/{}", h.unit_id, h.post_id))
            .collect(),
        to_unit_id: target.map(|t| t.unit_id.clone()),
        to_post_id: target.map(|t| t.post_id.clone()),
        level_before: state.leadership_level,
        level_after,
    }));
    Ok(events)
}
