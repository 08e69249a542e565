//! 民主推荐: a round's participants and votes, the candidates carried forward within the 差额 limits of the policy.

use super::{
    Event, Recommend, RoundHeld, Stage, State,
    guards::{expect, not_cancelled, record_ok, unique_keys},
};
use crate::{context::Context, error::DomainError, practice};

pub(super) fn recommend(
    state: &State,
    c: &Recommend,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(
        stage,
        &[Stage::Motion, Stage::Recommendation],
        Stage::Recommendation,
    )?;
    record_ok(&c.record)?;
    if c.participants == 0 {
        return Err(DomainError::invalid(
            "SELECTION_NO_PARTICIPANTS",
            "民主推荐被拒绝: 参加推荐人数须大于 0",
        ));
    }
    unique_keys(c.votes.iter().map(|v| &v.cadre_id), "得票人选")?;
    practice::no_duplicates(&c.carried_forward, "确定的人选", Clone::clone)?;
    for v in &c.votes {
        if !state.pool.contains(&v.cadre_id) {
            return Err(DomainError::refused(
                "SELECTION_NOT_IN_POOL",
                format!(
                    "民主推荐被拒绝: 干部「{}」不在动议确定的人选范围内",
                    v.cadre_id
                ),
            ));
        }
        if v.votes > c.participants {
            return Err(DomainError::invalid(
                "SELECTION_VOTES_EXCEED_PARTICIPANTS",
                format!(
                    "民主推荐被拒绝: 干部「{}」得 {} 票, 多于参加推荐的 {} 人",
                    v.cadre_id, v.votes, c.participants
                ),
            ));
        }
    }
    // Each participant recommends at most one person per post: the round's votes together are
    // at most participants × posts.
    let posts = state.posts.len() as u32;
    let cast: u64 = c.votes.iter().map(|v| u64::from(v.votes)).sum();
    let most = u64::from(c.participants) * u64::from(posts);
    if cast > most {
        return Err(DomainError::invalid(
            "SELECTION_VOTES_EXCEED_BALLOTS",
            format!(
                "民主推荐被拒绝: 本轮得票合计 {cast} 票, 多于参加推荐 {} 人 × 拟任职位 {posts} 个 = {most} 票 (每人每个职位至多推荐 1 人)",
                c.participants
            ),
        ));
    }
    for id in &c.carried_forward {
        if !c.votes.iter().any(|v| v.cadre_id == *id && v.votes > 0) {
            return Err(DomainError::refused(
                "SELECTION_NOT_RECOMMENDED",
                format!("民主推荐被拒绝: 干部「{id}」本轮未获推荐票, 不能确定为人选"),
            ));
        }
        if state.rounds > 0 && !state.candidates.get(id).is_some_and(|c| c.carried) {
            return Err(DomainError::refused(
                "SELECTION_NOT_CARRIED",
                format!("民主推荐被拒绝: 干部「{id}」未在上一轮推荐中确定为人选"),
            ));
        }
    }
    let sel = &ctx.policy.selection;
    let carried = c.carried_forward.len() as u32;
    let min = posts + sel.min_extra_candidates;
    if carried < min {
        return Err(DomainError::refused(
            "SELECTION_NOT_COMPETITIVE",
            format!(
                "民主推荐被拒绝: 拟任职位 {posts} 个, 确定人选 {carried} 名, 差额须至少 {min} 名"
            ),
        ));
    }
    let max = posts.saturating_mul(sel.max_candidates_per_post);
    if carried > max {
        return Err(DomainError::refused(
            "SELECTION_TOO_MANY_CANDIDATES",
            format!(
                "民主推荐被拒绝: 拟任职位 {posts} 个, 确定人选 {carried} 名, 每个职位至多 {} 名 (共 {max} 名)",
                sel.max_candidates_per_post
            ),
        ));
    }
    Ok(vec![Event::RoundHeld(RoundHeld {
        case_id: c.case_id.clone(),
        round: state.rounds + 1,
        method: c.method,
        participants: c.participants,
        votes: c.votes.clone(),
        carried_forward: c.carried_forward.clone(),
        held_on: ctx.effective,
        record: c.record.clone(),
    })])
}
