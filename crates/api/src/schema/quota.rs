//! The front-line quota's points ranking (一线职级晋升积分排名) as recorded on the year's quota stream: every ranked cadre's place, points, eligibility and where they stand (allocated, passed over with the reason, revoked, waiting).

use async_graphql::{Context, Enum, Object, SimpleObject};
use dossier_domain::{Aggregate as _, quota};

use crate::{
    auth,
    error::ApiError,
    schema::{decisions::FrontLineField, scalars::Date},
    service::Service,
};

/// Where a ranked cadre stands in the year's allocation.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum QuotaStanding {
    /// Holds a place.
    Allocated,
    /// Passed over by an allocation further down, with its reason.
    PassedOver,
    /// Held a place that was taken back.
    Revoked,
    /// Not yet considered.
    Waiting,
}

/// One line of the year's ranking.
#[derive(SimpleObject)]
pub struct QuotaRankLine {
    pub place: u32,
    pub cadre_id: String,
    pub name: String,
    pub unit_id: String,
    pub field: FrontLineField,
    pub points: f64,
    /// Nothing but the 公示 stands between the cadre and their next rank.
    pub eligible: bool,
    /// The first rule in the way when not eligible.
    pub blocked_by: Option<String>,
    pub standing: QuotaStanding,
    /// For a cadre passed over: the reason the allocation recorded.
    pub skip_reason: Option<String>,
}

/// The year's quota and its ranking.
#[derive(SimpleObject)]
pub struct QuotaRanking {
    pub year: i32,
    pub size: u32,
    pub used: u32,
    /// The date the ranking in force was computed (null: none published).
    pub ranked_on: Option<Date>,
    pub lines: Vec<QuotaRankLine>,
}

#[derive(Default)]
pub struct QuotaQuery;

#[Object]
impl QuotaQuery {
    /// The year's front-line quota with its published points ranking (null when no quota was
    /// opened for the year; a year outside 1900–2100 is `VALIDATION`, `INPUT_OUT_OF_RANGE`).
    async fn quota_ranking(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> async_graphql::Result<Option<Option<QuotaRanking>>> {
        auth::nullable(ctx, async move {
            auth::require(ctx, auth::READ_ALL, "查看一线职级晋升积分排名")
                .map_err(ApiError::into_gql)?;
            // The years every command accepts: no quota can exist outside them.
            dossier_domain::bounds::year("年度", i64::from(year))
                .map_err(|e| ApiError::from(e).into_gql())?;
            let service = ctx.data_unchecked::<Service>();
            ranking(service, year).await.map_err(ApiError::into_gql)
        })
        .await
    }
}

async fn ranking(service: &Service, year: i32) -> Result<Option<QuotaRanking>, ApiError> {
    let stream = quota::Aggregate::stream_id(&year.to_string());
    let (state, version) = service.load::<quota::Aggregate>(&stream).await?;
    if version == 0 || !state.open {
        return Ok(None);
    }
    let lines = state
        .ranking
        .iter()
        .map(|e| {
            let standing = if state.allocations.contains_key(&e.cadre_id) {
                QuotaStanding::Allocated
            } else if state.revoked.contains(&e.cadre_id) {
                QuotaStanding::Revoked
            } else if state.passed_over.contains_key(&e.cadre_id) {
                QuotaStanding::PassedOver
            } else {
                QuotaStanding::Waiting
            };
            QuotaRankLine {
                place: e.place,
                cadre_id: e.cadre_id.clone(),
                name: e.cadre_name.clone(),
                unit_id: e.unit_id.clone(),
                field: e.field.into(),
                points: e.points,
                eligible: e.eligible,
                blocked_by: e.blocked_by.clone(),
                standing,
                skip_reason: state.passed_over.get(&e.cadre_id).cloned(),
            }
        })
        .collect();
    Ok(Some(QuotaRanking {
        year,
        size: state.size,
        used: state.used(),
        ranked_on: state.ranked_on.map(Date),
        lines,
    }))
}
