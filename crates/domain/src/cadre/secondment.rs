//! 挂职: a cadre's secondment to a host unit and post, one at a time, started and ended.

use chrono::NaiveDate;

use super::{Event, SecondmentEnded, SecondmentStarted, State, happened, required};
use crate::{context::Context, error::DomainError};

pub(super) fn start_secondment(
    state: &State,
    secondment_id: &str,
    host_unit: &str,
    host_post: &str,
    ends_on: NaiveDate,
    document_number: &Option<String>,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "挂职开始日期")?;
    required(secondment_id, "SECONDMENT_ID_REQUIRED", "挂职编号")?;
    required(host_unit, "SECONDMENT_HOST_REQUIRED", "挂职单位")?;
    required(host_post, "SECONDMENT_HOST_REQUIRED", "挂职职务")?;
    if let Some(s) = &state.secondment {
        return Err(DomainError::refused(
            "SECONDMENT_IN_PROGRESS",
            format!(
                "{}（{}）正在{}挂职 (至 {})",
                state.name, state.cadre_id, s.host_unit, s.ends_on
            ),
        ));
    }
    if ends_on <= on {
        return Err(DomainError::invalid(
            "SECONDMENT_END_INVALID",
            format!("挂职截止日期 {ends_on} 须晚于开始日期 {on}"),
        ));
    }
    Ok(vec![Event::SecondmentStarted(SecondmentStarted {
        cadre_id: state.cadre_id.clone(),
        secondment_id: secondment_id.to_owned(),
        host_unit: host_unit.trim().to_owned(),
        host_post: host_post.trim().to_owned(),
        started_on: on,
        ends_on,
        document_number: document_number.clone(),
    })])
}

pub(super) fn end_secondment(
    state: &State,
    secondment_id: &str,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "挂职结束日期")?;
    if state
        .secondment
        .as_ref()
        .is_none_or(|s| s.secondment_id != secondment_id)
    {
        return Err(DomainError::not_found(
            "SECONDMENT_NOT_FOUND",
            format!("没有进行中的挂职 {secondment_id}"),
        ));
    }
    Ok(vec![Event::SecondmentEnded(SecondmentEnded {
        cadre_id: state.cadre_id.clone(),
        secondment_id: secondment_id.to_owned(),
        ended_on: on,
    })])
}
