//! Discipline on a cadre's record, decided by the supervisors: sanctions (处分, with the rank a
//! 降级 lowers), admonitions (诫勉) and investigations (立案审查) opened and closed.

use super::{
    AdmonitionIssued, Event, Holding, InvestigationClosed, InvestigationOpened,
    LeadershipLevelChanged, RankLowered, Removed, SanctionImposed, State, duplicate, happened,
    not_before_birth, required,
};
use crate::{
    codes::{RemovalManner, RemovalReason},
    context::Context,
    dates,
    error::DomainError,
    types::SanctionKind,
};

pub(super) fn impose_sanction(
    state: &State,
    sanction_id: &str,
    kind: SanctionKind,
    reason: &str,
    decided_by: &str,
    document_number: &str,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "处分日期")?;
    required(sanction_id, "SANCTION_ID_REQUIRED", "处分编号")?;
    required(reason, "SANCTION_REASON_REQUIRED", "处分事由")?;
    required(decided_by, "SANCTION_AUTHORITY_REQUIRED", "处分决定机关")?;
    required(document_number, "DOCUMENT_NUMBER_REQUIRED", "处分决定文号")?;
    if state.sanctions.iter().any(|s| s.sanction_id == sanction_id) {
        return Err(DomainError::refused(
            "SANCTION_EXISTS",
            format!("{} 的处分 {sanction_id} 已登记, 不能重复登记", state.who()),
        ));
    }
    not_before_birth(state, on, "处分日期")?;
    // 撤职 ends every leadership post, 开除 every post, on the day imposed.
    let ended: Vec<&Holding> = match kind {
        SanctionKind::Dismissal => state
            .posts
            .iter()
            .filter(|h| h.leadership_level.is_some())
            .collect(),
        SanctionKind::Expulsion => state.posts.iter().collect(),
        _ => vec![],
    };
    if let Some(h) = ended.iter().find(|h| on < h.since) {
        return Err(DomainError::invalid(
            "REMOVAL_BEFORE_APPOINTMENT",
            format!(
                "{}处分日期 {on} 早于 {}「{}」的任职日期 {}",
                kind.zh(),
                state.who(),
                h.title,
                h.since
            ),
        ));
    }
    let mut events = vec![Event::SanctionImposed(SanctionImposed {
        cadre_id: state.cadre_id.clone(),
        sanction_id: sanction_id.to_owned(),
        kind,
        reason: reason.trim().to_owned(),
        decided_by: decided_by.trim().to_owned(),
        document_number: document_number.trim().to_owned(),
        imposed_on: on,
        effect_until: dates::add_months(on, ctx.policy.sanctions.effect_months(kind)),
    })];
    let document = document_number.trim();
    events.extend(ended.iter().map(|h| {
        Event::Removed(Removed {
            cadre_id: state.cadre_id.clone(),
            unit_id: h.unit_id.clone(),
            post_id: h.post_id.clone(),
            post_title: h.title.clone(),
            manner: RemovalManner::Revocation,
            reason: RemovalReason::Discipline,
            approved_by: decided_by.trim().to_owned(),
            decided_on: on,
            effective_on: on,
            document_number: document.to_owned(),
            held_since: h.since,
        })
    }));
    // 撤职 lowers the 职务 with the posts: the 职务层次 they held goes with them.
    if kind == SanctionKind::Dismissal && state.leadership_level.is_some() {
        events.push(Event::LeadershipLevelChanged(LeadershipLevelChanged {
            cadre_id: state.cadre_id.clone(),
            from: state.leadership_level,
            to: None,
            effective_on: on,
            document_number: Some(document.to_owned()),
        }));
    }
    // 降级 and 撤职 lower the rank one level.
    if matches!(kind, SanctionKind::Demotion | SanctionKind::Dismissal)
        && let Some((from, to)) = state.rank.and_then(|r| r.previous().map(|p| (r, p)))
    {
        events.push(Event::RankLowered(RankLowered {
            cadre_id: state.cadre_id.clone(),
            from,
            to,
            effective_on: on,
            reason: format!("{}处分 ({})", kind.zh(), reason.trim()),
            document_number: Some(document.to_owned()),
        }));
    }
    Ok(events)
}

pub(super) fn issue_admonition(
    state: &State,
    admonition_id: &str,
    reason: &str,
    improve_months: Option<u32>,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "诫勉日期")?;
    not_before_birth(state, on, "诫勉日期")?;
    required(admonition_id, "ADMONITION_ID_REQUIRED", "诫勉编号")?;
    required(reason, "ADMONITION_REASON_REQUIRED", "诫勉事由")?;
    if state
        .admonitions
        .iter()
        .any(|a| a.admonition_id == admonition_id)
    {
        return Err(duplicate("ADMONITION_EXISTS", "诫勉", admonition_id));
    }
    let months = improve_months.unwrap_or(ctx.policy.assessment.admonition_months);
    if months == 0 {
        return Err(DomainError::invalid(
            "ADMONITION_DEADLINE_INVALID",
            "诫勉整改期限须至少 1 个月",
        ));
    }
    Ok(vec![Event::AdmonitionIssued(AdmonitionIssued {
        cadre_id: state.cadre_id.clone(),
        admonition_id: admonition_id.to_owned(),
        reason: reason.trim().to_owned(),
        issued_on: on,
        improve_by: dates::add_months(on, months),
        effect_until: dates::add_months(on, ctx.policy.sanctions.admonition_effect_months),
    })])
}

pub(super) fn open_investigation(
    state: &State,
    case_id: &str,
    authority: &str,
    reason: &str,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "立案日期")?;
    required(case_id, "CASE_ID_REQUIRED", "案件编号")?;
    required(authority, "INVESTIGATION_AUTHORITY_REQUIRED", "立案机关")?;
    required(reason, "INVESTIGATION_REASON_REQUIRED", "立案事由")?;
    if state.investigations.iter().any(|i| i.case_id == case_id) {
        return Err(duplicate("INVESTIGATION_EXISTS", "审查案件", case_id));
    }
    Ok(vec![Event::InvestigationOpened(InvestigationOpened {
        cadre_id: state.cadre_id.clone(),
        case_id: case_id.to_owned(),
        authority: authority.trim().to_owned(),
        reason: reason.trim().to_owned(),
        opened_on: on,
    })])
}

pub(super) fn close_investigation(
    state: &State,
    case_id: &str,
    outcome: &str,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "审查结束日期")?;
    let case = state
        .investigations
        .iter()
        .find(|i| i.case_id == case_id && i.closed_on.is_none())
        .ok_or_else(|| {
            DomainError::not_found(
                "INVESTIGATION_NOT_FOUND",
                format!("没有正在进行的审查案件 {case_id}"),
            )
        })?;
    required(outcome, "INVESTIGATION_OUTCOME_REQUIRED", "审查结论")?;
    if on < case.opened_on {
        return Err(DomainError::invalid(
            "DATE_ORDER",
            format!("审查结束日期 {on} 早于立案日期 {}", case.opened_on),
        ));
    }
    Ok(vec![Event::InvestigationClosed(InvestigationClosed {
        cadre_id: state.cadre_id.clone(),
        case_id: case_id.to_owned(),
        outcome: outcome.trim().to_owned(),
        closed_on: on,
    })])
}
