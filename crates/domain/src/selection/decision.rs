//! 讨论决定: the standing committee's meeting, its attendance (two thirds) and each candidate's votes (more than half of all members).

use super::{
    Decide, Decided, Event, Facts, MeetingKind, Stage, State,
    guards::{active, expect, missing_step, not_cancelled, record_ok, unique_keys},
    kinship, obstacles,
};
use crate::{context::Context, error::DomainError};

pub(super) fn decide_meeting(
    state: &State,
    c: &Decide,
    ctx: &Context<'_>,
    facts: &Facts,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(stage, &[Stage::Integrity], Stage::Decision)?;
    record_ok(&c.record)?;
    if c.meeting != MeetingKind::StandingCommittee {
        return Err(DomainError::refused(
            "SELECTION_DECISION_BODY",
            format!(
                "讨论决定被拒绝: 任用须由常委会集体讨论决定, 不能由{}决定",
                c.meeting.zh()
            ),
        ));
    }
    if c.members == 0 || c.present > c.members {
        return Err(DomainError::invalid(
            "SELECTION_ATTENDANCE_INVALID",
            format!(
                "讨论决定被拒绝: 应到 {} 人, 实到 {} 人, 人数不正确",
                c.members, c.present
            ),
        ));
    }
    if c.present.saturating_mul(3) < c.members.saturating_mul(2) {
        return Err(DomainError::refused(
            "SELECTION_QUORUM_NOT_MET",
            format!(
                "讨论决定被拒绝: 应到会成员 {} 人, 实到 {} 人, 不足三分之二, 不得讨论决定干部任免",
                c.members, c.present
            ),
        ));
    }
    if c.votes.is_empty() {
        return Err(DomainError::invalid("EMPTY_FIELD", "「表决结果」不能为空"));
    }
    unique_keys(c.votes.iter().map(|v| &v.cadre_id), "表决人选")?;
    unique_keys(c.votes.iter().map(|v| &v.post_id), "表决职位")?;
    for v in &c.votes {
        if !state.posts.iter().any(|p| p.post_id == v.post_id) {
            return Err(DomainError::refused(
                "SELECTION_POST_NOT_IN_CASE",
                format!(
                    "讨论决定被拒绝: 职位「{}」不在本案动议的拟任职位中",
                    v.post_id
                ),
            ));
        }
        let cand = active(state, &v.cadre_id)?;
        match cand.integrity_clear {
            Some(true) => {}
            _ => return Err(missing_step(&v.cadre_id, Stage::Integrity, Stage::Decision)),
        }
        let cast = v
            .approve
            .saturating_add(v.against)
            .saturating_add(v.abstain);
        if cast > c.present {
            return Err(DomainError::invalid(
                "SELECTION_VOTES_EXCEED_PRESENT",
                format!(
                    "讨论决定被拒绝: 干部「{}」的表决票 {cast} 张, 多于实到 {} 人",
                    v.cadre_id, c.present
                ),
            ));
        }
        if v.approve.saturating_mul(2) <= c.members {
            return Err(DomainError::refused(
                "SELECTION_VOTE_THRESHOLD",
                format!(
                    "讨论决定被拒绝: 干部「{}」同意 {} 票、不同意 {} 票、弃权 {} 票, 同意票未超过应到会成员 {} 人的半数",
                    v.cadre_id, v.approve, v.against, v.abstain, c.members
                ),
            ));
        }
    }
    // The candidates' records as they stand on the decision day: no one dismissed or under
    // investigation, no promotion within an effect period; and no two relatives the decision
    // puts in an avoidance relation by the posts it gives them.
    let mut moves = Vec::new();
    for v in &c.votes {
        let cadre = facts.cadre(&v.cadre_id)?;
        let level = state
            .posts
            .iter()
            .find(|p| p.post_id == v.post_id)
            .map(|p| p.level);
        let promotion = level.is_some_and(|l| cadre.leadership_level.is_none_or(|c| l > c));
        obstacles::standing_refusal(cadre, ctx.effective, promotion, "讨论决定")?;
        if let Some((post, _)) = facts
            .posts
            .iter()
            .find(|(p, _)| p.unit_id == state.unit_id && p.post_id == v.post_id)
        {
            moves.push((cadre, post));
        }
    }
    kinship::check_moves(&moves, &ctx.policy.tenure, ("讨论决定", "同一次讨论决定"))?;
    Ok(vec![Event::Decided(Decided {
        case_id: c.case_id.clone(),
        meeting: c.meeting,
        members: c.members,
        present: c.present,
        votes: c.votes.clone(),
        decided_on: ctx.effective,
        record: c.record.clone(),
    })])
}
