//! The checks every step of a selection case shares: the case is open, the step comes in order, the candidate is still in the case.

use chrono::NaiveDate;

use super::{Candidate, Event, Record, Stage, State};
use crate::{error::DomainError, practice};

pub(super) fn unreachable_move() -> Result<Vec<Event>, DomainError> {
    Err(DomainError::refused(
        "SELECTION_EXISTS",
        "选任案件已动议, 不能重复动议",
    ))
}

pub(super) fn trimmed(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// `DUPLICATE_ENTRY` when the same key appears twice.
pub(super) fn unique_keys<'k>(
    keys: impl Iterator<Item = &'k String>,
    field: &str,
) -> Result<(), DomainError> {
    let keys: Vec<&String> = keys.collect();
    practice::no_duplicates(&keys, field, |k| (*k).clone())
}

pub(super) fn record_ok(record: &Record) -> Result<(), DomainError> {
    practice::non_empty(&record.body, "办理机构")?;
    practice::no_duplicates(&record.attachments, "附件", Clone::clone)
}

/// The case exists and is still open (cancelled cases take only an archive).
pub(super) fn open_case(state: &State, case_id: &str) -> Result<Stage, DomainError> {
    let stage = state
        .stage
        .ok_or_else(|| practice::not_started("SELECTION_NOT_FOUND", "选任案件", case_id))?;
    if state.archived {
        return Err(DomainError::refused(
            "SELECTION_ARCHIVED",
            format!("选任案件「{case_id}」已归档, 不能再办理"),
        ));
    }
    Ok(stage)
}

/// `SELECTION_CANCELLED` for any step of a cancelled case.
pub(super) fn not_cancelled(state: &State) -> Result<(), DomainError> {
    match &state.cancelled {
        Some(reason) => Err(DomainError::refused(
            "SELECTION_CANCELLED",
            format!("选任案件已终止 ({reason}), 不能再办理"),
        )),
        None => Ok(()),
    }
}

pub(super) fn not_appointed(stage: Stage, action: &str) -> Result<(), DomainError> {
    if stage == Stage::Appointed {
        return Err(DomainError::refused(
            "SELECTION_ALREADY_APPOINTED",
            format!("{action}被拒绝: 选任案件已任职"),
        ));
    }
    Ok(())
}

pub(super) fn archive_guard(state: &State, stage: Stage) -> Result<(), DomainError> {
    if state.cancelled.is_some() {
        return Ok(());
    }
    if stage != Stage::Appointed {
        return Err(DomainError::refused(
            "SELECTION_NOT_FINISHED",
            format!(
                "归档被拒绝: 选任案件当前环节为「{}」, 须任职或终止后方可归档",
                stage.zh()
            ),
        ));
    }
    if let Some(c) = state
        .candidates
        .values()
        .find(|c| c.probation_until.is_some() && !c.probation_resolved)
    {
        return Err(DomainError::refused(
            "SELECTION_PROBATION_OPEN",
            format!(
                "归档被拒绝: 干部「{}」试用期 (至 {}) 尚未转正或结束",
                c.cadre_id,
                c.probation_until.map(|d| d.to_string()).unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// The step `wanted` may be taken in one of `allowed` stages; otherwise `SELECTION_STEP_OUT_OF_ORDER`
/// naming the step that is missing or already past.
pub(super) fn expect(current: Stage, allowed: &[Stage], wanted: Stage) -> Result<(), DomainError> {
    if allowed.contains(&current) {
        return Ok(());
    }
    let first = allowed.iter().min().copied().unwrap_or(wanted);
    let message = if current < first {
        let missing = Stage::ALL
            .iter()
            .copied()
            .find(|s| *s > current)
            .unwrap_or(first);
        format!(
            "选任程序被拒绝: 当前环节为「{}」, 尚未进行「{}」, 不能进行「{}」",
            current.zh(),
            missing.zh(),
            wanted.zh()
        )
    } else {
        format!(
            "选任程序被拒绝: 当前环节为「{}」, 「{}」已结束, 程序不能回退",
            current.zh(),
            wanted.zh()
        )
    };
    Err(DomainError::refused("SELECTION_STEP_OUT_OF_ORDER", message))
}

pub(super) fn missing_step(cadre_id: &str, missing: Stage, wanted: Stage) -> DomainError {
    DomainError::refused(
        "SELECTION_STEP_MISSING",
        format!(
            "选任程序被拒绝: 干部「{cadre_id}」尚未「{}」, 不能「{}」",
            missing.zh(),
            wanted.zh()
        ),
    )
}

/// A candidate the case still runs for.
pub(super) fn active<'s>(state: &'s State, cadre_id: &str) -> Result<&'s Candidate, DomainError> {
    let cand = state.candidates.get(cadre_id).ok_or_else(|| {
        DomainError::refused(
            "SELECTION_NOT_A_CANDIDATE",
            format!("干部「{cadre_id}」不是本案的人选"),
        )
    })?;
    if let Some(code) = &cand.stopped {
        return Err(DomainError::refused(
            "SELECTION_CANDIDATE_STOPPED",
            format!("干部「{cadre_id}」的选任程序已终止 ({code})"),
        ));
    }
    Ok(cand)
}

pub(super) fn on_probation<'s>(
    state: &'s State,
    cadre_id: &str,
    stage: Stage,
) -> Result<(&'s Candidate, NaiveDate), DomainError> {
    expect(stage, &[Stage::Appointed], Stage::Appointed)?;
    let cand = state.candidates.get(cadre_id);
    match cand.and_then(|c| c.probation_until.map(|u| (c, u))) {
        Some((c, _)) if c.probation_resolved => Err(DomainError::refused(
            "SELECTION_PROBATION_RESOLVED",
            format!("干部「{cadre_id}」的试用期已转正或结束"),
        )),
        Some(found) => Ok(found),
        None => Err(DomainError::not_found(
            "SELECTION_NO_PROBATION",
            format!("干部「{cadre_id}」在本案中未实行试用期"),
        )),
    }
}
