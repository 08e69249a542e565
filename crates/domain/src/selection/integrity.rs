//! 征求纪委监委意见 (廉政意见): the request and the reply; a negative reply or an open investigation stops the case for that candidate.

use super::{
    CandidateStopped, Event, Facts, IntegrityReplied, IntegrityRequested, ReplyIntegrity,
    RequestIntegrity, Stage, State, Verdict,
    guards::{active, expect, missing_step, not_cancelled, record_ok},
};
use crate::{context::Context, error::DomainError, practice};

pub(super) fn request_integrity(
    state: &State,
    c: &RequestIntegrity,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    expect(
        stage,
        &[Stage::Inspection, Stage::Integrity],
        Stage::Integrity,
    )?;
    record_ok(&c.record)?;
    if c.cadre_ids.is_empty() {
        return Err(DomainError::invalid(
            "EMPTY_FIELD",
            "「征求意见的人选」不能为空",
        ));
    }
    practice::no_duplicates(&c.cadre_ids, "征求意见的人选", Clone::clone)?;
    for id in &c.cadre_ids {
        let cand = active(state, id)?;
        if !cand.inspected {
            return Err(missing_step(id, Stage::Inspection, Stage::Integrity));
        }
    }
    Ok(vec![Event::IntegrityRequested(IntegrityRequested {
        case_id: c.case_id.clone(),
        cadre_ids: c.cadre_ids.clone(),
        requested_on: ctx.effective,
        record: c.record.clone(),
    })])
}

pub(super) fn reply_integrity(
    state: &State,
    c: &ReplyIntegrity,
    ctx: &Context<'_>,
    facts: &Facts,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(stage, &[Stage::Integrity], Stage::Integrity)?;
    record_ok(&c.record)?;
    let cand = active(state, &c.cadre_id)?;
    if !cand.integrity_requested {
        return Err(DomainError::refused(
            "SELECTION_INTEGRITY_NOT_REQUESTED",
            format!(
                "廉政意见被拒绝: 尚未就干部「{}」征求纪委监委意见",
                c.cadre_id
            ),
        ));
    }
    if cand.integrity_clear.is_some() {
        return Err(DomainError::refused(
            "SELECTION_INTEGRITY_REPLIED",
            format!("干部「{}」的廉政意见已回复", c.cadre_id),
        ));
    }
    let on = ctx.effective;
    let cadre = facts.cadre(&c.cadre_id)?;
    let open = cadre
        .investigations_open(on)
        .next()
        .map(|i| i.case_id.clone());
    let mut out = vec![Event::IntegrityReplied(IntegrityReplied {
        case_id: c.case_id.clone(),
        cadre_id: c.cadre_id.clone(),
        verdict: c.verdict,
        open_investigation: open.clone(),
        note: c.note.trim().to_owned(),
        replied_on: on,
        record: c.record.clone(),
    })];
    let stop = match (&open, c.verdict) {
        (Some(case), _) => Some((
            "SELECTION_UNDER_INVESTIGATION",
            format!("正在接受立案审查 (案件 {case}), 选任程序对其终止"),
        )),
        (None, Verdict::Negative) => Some((
            "SELECTION_INTEGRITY_NEGATIVE",
            format!("纪委监委廉政意见认为有影响使用的问题: {}", c.note.trim()),
        )),
        (None, Verdict::Clear) => None,
    };
    if let Some((code, reason)) = stop {
        out.push(Event::CandidateStopped(CandidateStopped {
            case_id: c.case_id.clone(),
            cadre_id: c.cadre_id.clone(),
            code: code.into(),
            reason,
            stopped_on: on,
        }));
    }
    Ok(out)
}
