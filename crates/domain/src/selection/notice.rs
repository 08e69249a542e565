//! 任前公示: its length in working days, the objections received during it and their handling, and its end.

use super::{
    CandidateStopped, Event, Finding, HandleObjection, NoticeEnded, NoticeStarted,
    ObjectionHandled, ObjectionReceived, ReceiveObjection, Stage, StartNotice, State,
    guards::{active, expect, missing_step, not_cancelled, record_ok},
};
use crate::{context::Context, error::DomainError, practice};

pub(super) fn start_notice(
    state: &State,
    c: &StartNotice,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(stage, &[Stage::Decision], Stage::Notice)?;
    record_ok(&c.record)?;
    let starts_on = ctx.effective;
    practice::ordered_range(starts_on, c.ends_on)?;
    let needed = ctx.policy.selection.notice_working_days;
    let days = ctx.policy.calendar.working_days(starts_on, c.ends_on);
    if days < needed {
        let earliest = ctx
            .policy
            .calendar
            .nth_working_day(starts_on, needed)
            .map(|d| format!(", 最早可于 {d} 结束"))
            .unwrap_or_default();
        return Err(DomainError::refused(
            "SELECTION_NOTICE_TOO_SHORT",
            format!(
                "任前公示被拒绝: {starts_on} 至 {} 仅 {days} 个工作日, 须不少于 {needed} 个工作日{earliest}",
                c.ends_on
            ),
        ));
    }
    let cadre_ids: Vec<String> = state
        .active()
        .filter(|c| c.decided_post.is_some())
        .map(|c| c.cadre_id.clone())
        .collect();
    Ok(vec![Event::NoticeStarted(NoticeStarted {
        case_id: c.case_id.clone(),
        cadre_ids,
        starts_on,
        ends_on: c.ends_on,
        working_days: days,
        record: c.record.clone(),
    })])
}

pub(super) fn end_notice(
    state: &State,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(stage, &[Stage::Notice], Stage::NoticeEnded)?;
    let on = ctx.effective;
    let (Some(start), Some(planned)) = (state.notice_started_on, state.notice_ends_on) else {
        return Err(missing_step("", Stage::Notice, Stage::NoticeEnded));
    };
    let needed = ctx.policy.selection.notice_working_days;
    let days = ctx.policy.calendar.working_days(start, on);
    if on < planned || days < needed {
        return Err(DomainError::refused(
            "SELECTION_NOTICE_TOO_SHORT",
            format!(
                "公示结束被拒绝: 公示自 {start} 起, 计划 {planned} 结束, 至 {on} 仅 {days} 个工作日 (须不少于 {needed} 个)"
            ),
        ));
    }
    if let Some((id, o)) = state.objections.iter().find(|(_, o)| !o.handled) {
        return Err(DomainError::refused(
            "SELECTION_OBJECTION_OPEN",
            format!(
                "公示结束被拒绝: 公示期间反映「{id}」(反映干部「{}」的问题) 尚未核查处理",
                o.cadre_id
            ),
        ));
    }
    Ok(vec![Event::NoticeEnded(NoticeEnded {
        case_id: state.case_id.clone(),
        ended_on: on,
        working_days: days,
    })])
}

pub(super) fn receive_objection(
    state: &State,
    c: &ReceiveObjection,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    expect(stage, &[Stage::Notice], Stage::Notice)?;
    // Objections are received during the notice: not after its last day.
    if let Some(ends) = state.notice_ends_on
        && ctx.effective > ends
    {
        return Err(DomainError::refused(
            "SELECTION_OBJECTION_AFTER_NOTICE",
            format!(
                "公示期间反映被拒绝: 任前公示 {} 至 {ends}, {} 已在公示期之后",
                state
                    .notice_started_on
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                ctx.effective
            ),
        ));
    }
    practice::non_empty(&c.objection_id, "反映编号")?;
    practice::non_empty(&c.summary, "反映内容")?;
    if state.objections.contains_key(&c.objection_id) {
        return Err(practice::already_exists(
            "SELECTION_OBJECTION_EXISTS",
            "公示期间反映",
            &c.objection_id,
        ));
    }
    let cand = active(state, &c.cadre_id)?;
    if cand.decided_post.is_none() {
        return Err(DomainError::refused(
            "SELECTION_NOT_A_CANDIDATE",
            format!("干部「{}」不在本案公示名单中", c.cadre_id),
        ));
    }
    Ok(vec![Event::ObjectionReceived(ObjectionReceived {
        case_id: c.case_id.clone(),
        objection_id: c.objection_id.clone(),
        cadre_id: c.cadre_id.clone(),
        summary: c.summary.trim().to_owned(),
        received_on: ctx.effective,
    })])
}

pub(super) fn handle_objection(
    state: &State,
    c: &HandleObjection,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    expect(stage, &[Stage::Notice], Stage::Notice)?;
    practice::non_empty(&c.handling, "核查处理情况")?;
    let on = ctx.effective;
    let objection = state.objections.get(&c.objection_id).ok_or_else(|| {
        practice::not_started(
            "SELECTION_OBJECTION_NOT_FOUND",
            "公示期间反映",
            &c.objection_id,
        )
    })?;
    if objection.handled {
        return Err(DomainError::refused(
            "SELECTION_OBJECTION_HANDLED",
            format!("公示期间反映「{}」已核查处理", c.objection_id),
        ));
    }
    let mut out = vec![Event::ObjectionHandled(ObjectionHandled {
        case_id: c.case_id.clone(),
        objection_id: c.objection_id.clone(),
        cadre_id: objection.cadre_id.clone(),
        finding: c.finding,
        handling: c.handling.trim().to_owned(),
        handled_on: on,
    })];
    if c.finding == Finding::Upheld {
        out.push(Event::CandidateStopped(CandidateStopped {
            case_id: c.case_id.clone(),
            cadre_id: objection.cadre_id.clone(),
            code: "SELECTION_OBJECTION_UPHELD".into(),
            reason: format!("公示期间反映的问题经核查属实: {}", c.handling.trim()),
            stopped_on: on,
        }));
    }
    Ok(out)
}
