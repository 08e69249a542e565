//! Carrying out a “down” decision (能上能下) on a cadre's record: the posts it ends, the post it moves the cadre to, the level that follows.

use super::{
    Appointed, CarryOutDown, Event, Facts, LeadershipLevelChanged, MovedDown, Removed, State,
};
use crate::{
    codes::{
        AppointmentManner, AppointmentReason, AppointmentStatus, ChangeCategory, RemovalManner,
        RemovalReason,
    },
    context::Context,
    error::DomainError,
    types::DownMethod,
    unit,
};

/// The body that decides “down” adjustments (区委常委会).
const DECIDING_BODY: &str = "区委常委会";
/// The body that nominates the post a 逆向调整岗位 moves the cadre to.
const NOMINATING_BODY: &str = "区委组织部";

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
    let target = match (c.method, &c.to_post) {
        (DownMethod::ReverseAdjustment, Some(to)) => Some(unit::vacant_post(
            to,
            facts.post.as_ref(),
            &facts.post_holders,
            &state.cadre_id,
            "逆向调整岗位",
        )?),
        (DownMethod::ReverseAdjustment, None) => {
            return Err(DomainError::invalid(
                "DOWN_TARGET_POST_REQUIRED",
                "逆向调整岗位的决定必须写明调整到的单位和岗位",
            ));
        }
        (_, _) => None,
    };
    let ended: Vec<_> = state
        .posts
        .iter()
        .filter(|h| h.leadership_level.is_some())
        .filter(|h| target.is_none_or(|t| !(t.unit_id == h.unit_id && t.post_id == h.post_id)))
        .collect();
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
    if let Some(post) = target.filter(|t| {
        state
            .holding(&t.post_id)
            .is_none_or(|h| h.unit_id != t.unit_id)
    }) {
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
