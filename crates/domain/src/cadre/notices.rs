//! 公示 on a cadre's record: a public notice of at least the policy's working days, and its end with any objection upheld.

use chrono::NaiveDate;

use super::{Event, PublicNoticeEnded, PublicNoticeStarted, State, duplicate, happened, required};
use crate::{context::Context, error::DomainError, types::Rank};

pub(super) fn start_public_notice(
    state: &State,
    notice_id: &str,
    purpose: &str,
    target_rank: Option<Rank>,
    ends_on: NaiveDate,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "公示开始日期")?;
    required(notice_id, "NOTICE_ID_REQUIRED", "公示编号")?;
    required(purpose, "NOTICE_PURPOSE_REQUIRED", "公示事项")?;
    if state.notices.iter().any(|n| n.notice_id == notice_id) {
        return Err(duplicate("NOTICE_EXISTS", "公示", notice_id));
    }
    let days = ctx.policy.calendar.working_days(on, ends_on);
    let needed = ctx.policy.promotion.public_notice_working_days;
    if days < needed {
        return Err(DomainError::refused(
            "PUBLIC_NOTICE_TOO_SHORT",
            format!(
                "公示期 {on} 至 {ends_on} 仅 {days} 个工作日, 须不少于 {needed} 个工作日 (不含周末和法定节假日)"
            ),
        ));
    }
    Ok(vec![Event::PublicNoticeStarted(PublicNoticeStarted {
        cadre_id: state.cadre_id.clone(),
        notice_id: notice_id.to_owned(),
        purpose: purpose.trim().to_owned(),
        target_rank,
        started_on: on,
        ends_on,
        working_days: days,
    })])
}

pub(super) fn end_public_notice(
    state: &State,
    notice_id: &str,
    objection_upheld: bool,
    note: &Option<String>,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "公示结束日期")?;
    let notice = state
        .notices
        .iter()
        .find(|n| n.notice_id == notice_id && n.ended_on.is_none())
        .ok_or_else(|| {
            DomainError::not_found("NOTICE_NOT_FOUND", format!("没有进行中的公示 {notice_id}"))
        })?;
    if on < notice.started_on {
        return Err(DomainError::invalid(
            "DATE_ORDER",
            format!("公示结束日期 {on} 早于开始日期 {}", notice.started_on),
        ));
    }
    Ok(vec![Event::PublicNoticeEnded(PublicNoticeEnded {
        cadre_id: state.cadre_id.clone(),
        notice_id: notice_id.to_owned(),
        ended_on: on,
        objection_upheld,
        note: note.clone(),
    })])
}
