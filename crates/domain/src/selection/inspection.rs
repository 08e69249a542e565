//! 考察: the team, the interviews and the report, with the candidate's grades and promotion obstacles taken from the record.

use chrono::Datelike;

use super::{
    Event, Facts, GradeEntry, Inspect, Inspected, Stage, State,
    guards::{active, expect, missing_step, not_cancelled, record_ok},
    promotion_obstacles,
};
use crate::{context::Context, error::DomainError, practice};

pub(super) fn inspect(
    state: &State,
    c: &Inspect,
    ctx: &Context<'_>,
    facts: &Facts,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(
        stage,
        &[Stage::Recommendation, Stage::Inspection],
        Stage::Inspection,
    )?;
    record_ok(&c.record)?;
    let carried = state.candidates.get(&c.cadre_id).is_some_and(|c| c.carried);
    if !carried && state.pool.contains(&c.cadre_id) {
        return Err(missing_step(
            &c.cadre_id,
            Stage::Recommendation,
            Stage::Inspection,
        ));
    }
    let cand = active(state, &c.cadre_id)?;
    if !cand.carried {
        return Err(missing_step(
            &c.cadre_id,
            Stage::Recommendation,
            Stage::Inspection,
        ));
    }
    if cand.inspected {
        return Err(DomainError::refused(
            "SELECTION_ALREADY_INSPECTED",
            format!("干部「{}」已考察", c.cadre_id),
        ));
    }
    // Each member named, once: a blank name is no member, the same name twice one member.
    let team: Vec<String> = c.team.iter().map(|t| t.trim().to_owned()).collect();
    if let Some(k) = team.iter().position(String::is_empty) {
        return Err(DomainError::invalid(
            "SELECTION_TEAM_MEMBER_BLANK",
            format!("考察被拒绝: 考察组第 {} 名成员姓名为空", k + 1),
        ));
    }
    practice::no_duplicates(&team, "考察组成员", Clone::clone)?;
    if team.len() < 2 {
        return Err(DomainError::invalid(
            "SELECTION_TEAM_TOO_SMALL",
            format!("考察被拒绝: 考察组须至少 2 人, 收到 {} 人", team.len()),
        ));
    }
    practice::non_empty(&c.report, "考察材料")?;
    if c.interviewed == 0 {
        return Err(DomainError::invalid(
            "SELECTION_NO_INTERVIEWS",
            "考察被拒绝: 个别谈话人数须大于 0",
        ));
    }
    let cadre = facts.cadre(&c.cadre_id)?;
    let on = ctx.effective;
    let grades = ((on.year() - 3)..=on.year())
        .filter_map(|year| {
            cadre
                .grades
                .get(&year)
                .map(|g| GradeEntry { year, grade: *g })
        })
        .collect();
    Ok(vec![Event::Inspected(Inspected {
        case_id: c.case_id.clone(),
        cadre_id: c.cadre_id.clone(),
        cadre_name: cadre.name.clone(),
        team,
        interviewed: c.interviewed,
        report: c.report.trim().to_owned(),
        grades,
        obstacles: promotion_obstacles(cadre, on, ctx.policy),
        inspected_on: on,
        record: c.record.clone(),
    })])
}
