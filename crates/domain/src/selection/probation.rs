//! 试用期: an appointee's probation confirmed once it has run (转正), or ended as failed (试用期不合格), which removes
//! the cadre from the post held on probation.

use super::{
    Candidate, Event, Facts, LevelBack, ProbationConfirmed, ProbationFailed, Stage, State,
    guards::{on_probation, trimmed},
};
use crate::{cadre, context::Context, error::DomainError, practice};

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

/// 试用期不合格的, 免去试任职务, 按试任前职务层次安排: the level held the day before the trial began,
/// when the post held on trial raised the cadre to the level they hold now.
fn level_back(cadre: &cadre::State, cand: &Candidate) -> Option<LevelBack> {
    let post_id = cand.decided_post.as_deref()?;
    let trial = cadre.holding(post_id)?.leadership_level;
    if trial.is_none() || cadre.leadership_level != trial {
        return None;
    }
    let started = cadre
        .probation
        .as_ref()
        .filter(|p| p.post_id == post_id)
        .map(|p| p.started_on)
        .or(cand.appointed_on)?;
    let before = cadre
        .level_history
        .iter()
        .rfind(|s| s.from < started && s.to.is_none_or(|t| t >= started))
        .map(|s| s.level);
    (before != cadre.leadership_level).then_some(LevelBack {
        from: cadre.leadership_level,
        to: before,
    })
}

pub(super) fn fail(
    state: &State,
    cadre_id: &str,
    reason: &str,
    document: Option<&str>,
    (ctx, facts): (&Context<'_>, &Facts),
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    let (cand, _) = on_probation(state, cadre_id, stage)?;
    let cadre = facts.cadre(cadre_id)?;
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
        level_back: level_back(cadre, cand),
    })])
}
