//! 试用期: an appointee's probation confirmed once it has run (转正), or ended as failed (试用期不合格), which removes
//! the cadre from the post held on probation.

use super::{
    Event, ProbationConfirmed, ProbationFailed, Stage, State,
    guards::{on_probation, trimmed},
};
use crate::{context::Context, error::DomainError, practice};

pub(super) fn confirm(
    state: &State,
    cadre_id: &str,
    document: Option<&str>,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    let on = ctx.effective;
    let (cand, until) = on_probation(state, cadre_id, stage)?;
    if on < until {
        return Err(DomainError::refused(
            "SELECTION_PROBATION_RUNNING",
            format!(
                "试用期满转正被拒绝: 干部「{}」试用期至 {until} 届满, {on} 尚未期满",
                cand.cadre_id
            ),
        ));
    }
    Ok(vec![Event::ProbationConfirmed(ProbationConfirmed {
        case_id: state.case_id.clone(),
        cadre_id: cadre_id.to_owned(),
        confirmed_on: on,
        document: trimmed(document),
    })])
}

pub(super) fn fail(
    state: &State,
    cadre_id: &str,
    reason: &str,
    document: Option<&str>,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    let (cand, _) = on_probation(state, cadre_id, stage)?;
    practice::non_empty(reason, "试用期不合格的理由")?;
    let Some(document) = trimmed(document) else {
        return Err(DomainError::invalid(
            "DOCUMENT_NUMBER_REQUIRED",
            format!("试用期不合格被拒绝: 免去干部「{cadre_id}」试任职务须有任免文号, 未填写"),
        ));
    };
    Ok(vec![Event::ProbationFailed(ProbationFailed {
        case_id: state.case_id.clone(),
        cadre_id: cadre_id.to_owned(),
        reason: reason.trim().to_owned(),
        ended_on: ctx.effective,
        document: Some(document),
        unit_id: state.unit_id.clone(),
        post_id: cand.decided_post.clone().unwrap_or_default(),
        issuer: state.issuer.clone().unwrap_or_default(),
    })])
}
