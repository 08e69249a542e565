//! 职级晋升: a promotion checked against the minimum terms and, when it cites one, the year's quota, with the training make-up it leaves.

use super::{Event, Facts, RankPromoted, State, happened, required};
use crate::{context::Context, error::DomainError, promotion, types::Rank};

pub(super) fn promote_rank(
    state: &State,
    to: Rank,
    document_number: &str,
    approved_by: &str,
    quota_year: Option<i32>,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let on = happened(ctx, "晋升日期")?;
    required(document_number, "DOCUMENT_NUMBER_REQUIRED", "晋升文号")?;
    required(approved_by, "APPROVING_BODY_REQUIRED", "批准单位")?;
    let e = promotion::check(state, to, on, ctx.policy)?;
    if let Some(year) = quota_year {
        crate::quota::check_promotion(state, year, on, facts.quota_allocation.as_ref())?;
    }
    Ok(vec![Event::RankPromoted(RankPromoted {
        cadre_id: state.cadre_id.clone(),
        from: state.rank,
        to,
        effective_on: on,
        document_number: document_number.trim().to_owned(),
        approved_by: approved_by.trim().to_owned(),
        served_months: e.served_months,
        counted_months: e.counted_months,
        required_months: e.required_months,
        excellent_years: e.excellent_years,
        quota_year,
        training_makeup: facts.training_hours.as_ref().and_then(|hours| {
            crate::training_hours::makeup_on_promotion(
                state.rank,
                state.leadership_level,
                on,
                hours.iter().copied(),
                facts.training_since.clone().unwrap_or_default(),
                &ctx.policy.training,
            )
        }),
    })])
}
