//! A case's course outside the steps: paused and resumed, cancelled with reasons, archived once finished.

use super::{
    Archived, Cancelled, Event, Paused, Resumed, Stage, State,
    guards::{archive_guard, not_appointed},
};
use crate::{context::Context, error::DomainError, practice};

pub(super) fn pause(
    state: &State,
    reason: &str,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    let case_id = state.case_id.clone();
    if state.paused.is_some() {
        return Err(DomainError::refused(
            "SELECTION_PAUSED",
            format!("选任案件「{case_id}」已暂停"),
        ));
    }
    not_appointed(stage, "暂停")?;
    practice::non_empty(reason, "暂停理由")?;
    Ok(vec![Event::Paused(Paused {
        case_id,
        reason: reason.trim().to_owned(),
        paused_on: ctx.effective,
    })])
}

pub(super) fn resume(state: &State, ctx: &Context<'_>) -> Result<Vec<Event>, DomainError> {
    let case_id = state.case_id.clone();
    if state.paused.is_none() {
        return Err(DomainError::refused(
            "SELECTION_NOT_PAUSED",
            format!("选任案件「{case_id}」未暂停, 无需恢复"),
        ));
    }
    Ok(vec![Event::Resumed(Resumed {
        case_id,
        resumed_on: ctx.effective,
    })])
}

pub(super) fn cancel(
    state: &State,
    reason: &str,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_appointed(stage, "终止")?;
    practice::non_empty(reason, "终止理由")?;
    // The pool's cadres go back to the reserve pool, except those the case already stopped for
    // (they went back then).
    let released = state
        .pool
        .iter()
        .filter(|id| {
            state
                .candidates
                .get(*id)
                .is_none_or(|c| c.stopped.is_none())
        })
        .cloned()
        .collect();
    Ok(vec![Event::Cancelled(Cancelled {
        case_id: state.case_id.clone(),
        reason: reason.trim().to_owned(),
        cancelled_on: ctx.effective,
        released,
    })])
}

pub(super) fn archive(
    state: &State,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    archive_guard(state, stage)?;
    // A cancelled case released its pool when cancelled; an appointed one at its document (cases
    // appointed before that did are released now: an entry already back is left as it is).
    let released = if state.cancelled.is_some() {
        Vec::new()
    } else {
        state.unused_pool(std::iter::empty())
    };
    Ok(vec![Event::Archived(Archived {
        case_id: state.case_id.clone(),
        archived_on: ctx.effective,
        released,
    })])
}
