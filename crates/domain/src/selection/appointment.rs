//! 任职: the appointment document (任免文件) checked against the decision, the posts and the quota, with each appointee's probation.

use std::collections::BTreeMap;

use super::{
    Appoint, Appointed, AppointmentDocument, DocumentEntry, Event, Facts, PostAction, Stage, State,
    guards::{active, expect, not_cancelled, unique_keys},
    kinship, obstacles,
};
use crate::{context::Context, dates, error::DomainError, practice, staffing::Tier};

pub(super) fn appoint(
    state: &State,
    c: &Appoint,
    ctx: &Context<'_>,
    facts: &Facts,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(stage, &[Stage::NoticeEnded], Stage::Appointed)?;
    practice::non_empty(&c.number, "任免文号")?;
    practice::non_empty(&c.issuer, "发文机关")?;
    practice::no_duplicates(&c.attachments, "附件", Clone::clone)?;
    let effective_on = ctx.effective;
    practice::not_future(c.issued_on, ctx, "发文日期")?;
    if c.issued_on > effective_on {
        return Err(DomainError::invalid(
            "APPOINTMENT_DATES_ORDER",
            format!("发文日期 {} 晚于任职日期 {effective_on}", c.issued_on),
        ));
    }
    // Issued after the notice ended: the day it ended is still a day of the notice.
    if let Some(ended) = state.notice_ended_on.max(state.notice_ends_on)
        && c.issued_on <= ended
    {
        return Err(DomainError::refused(
            "SELECTION_DOCUMENT_BEFORE_NOTICE_END",
            format!(
                "任职被拒绝: 发文日期 {} 不晚于任前公示结束日期 {ended}, 任免文件须在公示期满后印发 (最早 {})",
                c.issued_on,
                ended.succ_opt().unwrap_or(ended)
            ),
        ));
    }
    if c.appointments.is_empty() {
        return Err(DomainError::invalid("EMPTY_FIELD", "「任职人员」不能为空"));
    }
    unique_keys(c.appointments.iter().map(|a| &a.cadre_id), "任职人员")?;
    let decided_on = state.decided_on.unwrap_or(effective_on);
    let mut entries = Vec::new();
    for r in &c.removals {
        let cadre = facts.cadre(&r.cadre_id)?;
        let held = cadre
            .holding(&r.post_id)
            .filter(|h| h.unit_id == r.unit_id)
            .ok_or_else(|| {
                DomainError::refused(
                    "POST_NOT_HELD",
                    format!(
                        "任免文件被拒绝: {}（{}）未担任单位 {} 的岗位 {}",
                        cadre.name, cadre.cadre_id, r.unit_id, r.post_id
                    ),
                )
            })?;
        entries.push(DocumentEntry {
            cadre_id: r.cadre_id.clone(),
            cadre_name: cadre.name.clone(),
            unit_id: held.unit_id.clone(),
            post_id: held.post_id.clone(),
            post_title: held.title.clone(),
            action: PostAction::Remove { manner: r.manner },
            procedure: r.procedure.trim().to_owned(),
        });
    }
    let mut adding: BTreeMap<Tier, u32> = BTreeMap::new();
    let mut moves = Vec::new();
    for a in &c.appointments {
        let cand = active(state, &a.cadre_id)?;
        if cand.decided_post.as_deref() != Some(a.post_id.as_str()) {
            return Err(DomainError::refused(
                "SELECTION_NOT_DECIDED",
                format!(
                    "任职被拒绝: 常委会未决定干部「{}」任职位「{}」",
                    a.cadre_id, a.post_id
                ),
            ));
        }
        practice::non_empty(&a.procedure, "任职程序")?;
        let cadre = facts.cadre(&a.cadre_id)?;
        let post = facts.post(&state.unit_id, &a.post_id, &a.cadre_id, "任职")?;
        let level = post.leadership_level;
        let promotion = level.is_some_and(|l| cadre.leadership_level.is_none_or(|c| l > c));
        if let Some(l) = level {
            *adding.entry(Tier::of(l)).or_default() += 1;
        }
        obstacles::standing_refusal(cadre, effective_on, promotion, "任职")?;
        moves.push((cadre, post));
        let probation = promotion && a.manner != crate::codes::AppointmentManner::Election;
        let probation_until = probation
            .then(|| dates::add_months(effective_on, ctx.policy.selection.probation_months));
        entries.push(DocumentEntry {
            cadre_id: a.cadre_id.clone(),
            cadre_name: cadre.name.clone(),
            unit_id: post.unit_id.clone(),
            post_id: post.post_id.clone(),
            post_title: post.title.clone(),
            action: PostAction::Appoint {
                manner: a.manner,
                probation_until,
                promotion,
            },
            procedure: a.procedure.trim().to_owned(),
        });
    }
    kinship::check_moves(&moves, &ctx.policy.tenure, ("任职", "同一任免文件"))?;
    if let Some(quota) = &facts.quota {
        for (tier, n) in adding {
            // Posts of the case's unit the same document frees count back.
            let freed = c
                .removals
                .iter()
                .filter(|r| r.unit_id == state.unit_id)
                .filter_map(|r| facts.cadres.get(&r.cadre_id)?.holding(&r.post_id))
                .filter(|h| h.leadership_level.map(Tier::of) == Some(tier))
                .count() as u32;
            let mut q = quota.clone();
            match tier {
                Tier::Chief => q.filled_chiefs = q.filled_chiefs.saturating_sub(freed),
                Tier::Deputy => q.filled_deputies = q.filled_deputies.saturating_sub(freed),
            }
            q.check(tier, n, None, "任职")?;
        }
    }
    Ok(vec![Event::Appointed(Appointed {
        case_id: c.case_id.clone(),
        unit_id: state.unit_id.clone(),
        document: AppointmentDocument {
            number: c.number.trim().to_owned(),
            issuer: c.issuer.trim().to_owned(),
            issued_on: c.issued_on,
            effective_on,
            entries,
        },
        decided_on,
        attachments: c.attachments.clone(),
        released: state.unused_pool(c.appointments.iter().map(|a| a.cadre_id.as_str())),
    })])
}
