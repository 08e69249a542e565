//! Awards (嘉奖, 记功 …) granted on a cadre's record, citing the cadre's own 双考 evaluation when they rest on one, and revoked.

use super::{AwardGranted, AwardRevoked, Event, State, check_cited, duplicate, happened, required};
use crate::{context::Context, error::DomainError, types::AwardKind};

pub(super) fn grant_award(
    state: &State,
    (award_id, kind, title, year, basis, source, evaluation_id): (
        &str,
        AwardKind,
        &str,
        i32,
        &Option<String>,
        &Option<String>,
        &Option<String>,
    ),
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "奖励日期")?;
    check_cited(state, evaluation_id.as_deref(), on, "奖励")?;
    required(award_id, "AWARD_ID_REQUIRED", "奖励编号")?;
    required(title, "AWARD_TITLE_REQUIRED", "奖励名称")?;
    if state.awards.iter().any(|a| a.award_id == award_id) {
        return Err(duplicate("AWARD_ALREADY_GRANTED", "奖励", award_id));
    }
    use chrono::Datelike;
    // After a dismissal or an expulsion only service before it can be recognised: an award
    // dated later for that year or after it is refused.
    if let Some((since, end)) = state
        .service_ended()
        .filter(|(d, _)| on > *d && year >= d.year())
    {
        return Err(DomainError::refused(
            end.code(),
            format!(
                "{} 已于 {since} {}, 不能在 {on} 授予 {year} 年度的奖励",
                state.who(),
                end.zh()
            ),
        ));
    }
    if year > on.year() {
        return Err(DomainError::invalid(
            "AWARD_YEAR_INVALID",
            format!("奖励年度 {year} 晚于授奖日期 {on}"),
        ));
    }
    if let Some(born) = state.birth_date.filter(|b| year < b.year()) {
        return Err(DomainError::invalid(
            "AWARD_YEAR_INVALID",
            format!(
                "奖励年度 {year} 早于 {} 的出生年份 {} (出生日期 {born})",
                state.who(),
                born.year()
            ),
        ));
    }
    // 骏马奖 and 三好 come only from their batch (`award::cadre_commands`), never alone.
    if !crate::award::is_from_batch(award_id, source.as_deref()) {
        crate::award::check_single_grant(kind)?;
    }
    Ok(vec![Event::AwardGranted(AwardGranted {
        cadre_id: state.cadre_id.clone(),
        award_id: award_id.to_owned(),
        kind,
        title: title.trim().to_owned(),
        year,
        granted_on: on,
        basis: basis.clone(),
        source: source.clone(),
        evaluation_id: evaluation_id.clone(),
    })])
}

pub(super) fn revoke_award(
    state: &State,
    award_id: &str,
    reason: &str,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "撤销日期")?;
    let award = state
        .awards
        .iter()
        .find(|a| a.award_id == award_id)
        .ok_or_else(|| DomainError::not_found("AWARD_NOT_FOUND", format!("没有奖励 {award_id}")))?;
    required(reason, "AWARD_REVOKE_REASON_REQUIRED", "撤销理由")?;
    Ok(vec![Event::AwardRevoked(AwardRevoked {
        cadre_id: state.cadre_id.clone(),
        award_id: award_id.to_owned(),
        kind: award.kind,
        reason: reason.trim().to_owned(),
        revoked_on: on,
    })])
}
