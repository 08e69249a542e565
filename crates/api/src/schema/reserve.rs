//! The reserve pool (年轻干部 / 后备干部库) on a date: counts by status, age band and education, and every entry with its status then.

use async_graphql::{Context, Object, SimpleObject};
use dossier_domain::{reserve, selection};

use crate::{auth, error::ApiError, schema::scalars::Date, service::Service};

/// A count under a label (a status, an age band, an education band).
#[derive(SimpleObject)]
pub struct ReserveBand {
    pub band: String,
    pub count: u32,
}

crate::schema::command::mirror_enum! {
    /// Where a reserve pool entry stands.
    ReserveStatus => reserve::Status {
        /// 在库
        InPool,
        /// 考察中 (a selection case drew the cadre)
        UnderInspection,
        /// 已使用 (appointed by a case)
        Used,
        /// 已出库
        Removed,
    }
}

/// One pool entry on the date.
#[derive(SimpleObject)]
pub struct ReserveEntryView {
    pub cadre_id: String,
    pub name: String,
    pub unit_id: Option<String>,
    pub status: ReserveStatus,
    /// 在库, 考察中, 已使用 or 已出库.
    pub status_zh: String,
    pub nominated_on: Option<Date>,
    /// Full years of age on the date (absent when the birth date is not recorded).
    pub age: Option<u32>,
    pub age_band: String,
    /// The band of the highest 学历 recorded.
    pub education: String,
}

/// The reserve pool on a date.
#[derive(SimpleObject)]
pub struct ReservePoolView {
    pub as_of: Date,
    /// Cadres in the pool on the date (在库 and 考察中).
    pub in_pool: u32,
    /// Every entry by status on the date (used and removed ones included).
    pub by_status: Vec<ReserveBand>,
    /// Cadres in the pool by age band (35岁及以下, 36至40岁, 41至45岁, 46岁及以上; 未登记 when any).
    pub by_age_band: Vec<ReserveBand>,
    /// Cadres in the pool by highest 学历 (研究生, 大学本科, 大学专科, 中专及以下; 未登记 when any).
    pub by_education: Vec<ReserveBand>,
    /// Every entry nominated by the date, with its status then.
    pub entries: Vec<ReserveEntryView>,
}

/// Reserve pool reads.
#[derive(Default)]
pub struct ReserveQuery;

fn bands(list: Vec<dossier_projections::dashboards::reserve::BandCount>) -> Vec<ReserveBand> {
    list.into_iter()
        .map(|b| ReserveBand {
            band: b.band,
            count: b.count,
        })
        .collect()
}

#[Object]
impl ReserveQuery {
    /// The reserve pool on `asOf` (default: today): by status, age band and education, with every
    /// entry's status then (a cancelled case's candidates are back 在库 from its cancellation).
    async fn reserve_pool(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<ReservePoolView>> {
        crate::auth::nullable(ctx, async move {
            auth::require(ctx, selection::READERS, "查看后备干部库").map_err(ApiError::into_gql)?;
            let service = ctx.data_unchecked::<Service>();
            let as_of = as_of.map_or_else(|| service.today(), |d| d.0);
            let pool = service.projections().reserve_pool(as_of);
            Ok(ReservePoolView {
                as_of: Date(pool.as_of),
                in_pool: pool.in_pool,
                by_status: bands(pool.by_status),
                by_age_band: bands(pool.by_age_band),
                by_education: bands(pool.by_education),
                entries: pool
                    .entries
                    .into_iter()
                    .map(|e| ReserveEntryView {
                        cadre_id: e.cadre_id,
                        name: e.name,
                        unit_id: e.unit_id,
                        status: e.status.into(),
                        status_zh: e.status.zh().to_owned(),
                        nominated_on: e.nominated_on.map(Date),
                        age: e.age,
                        age_band: e.age_band.to_owned(),
                        education: e.education.to_owned(),
                    })
                    .collect(),
            })
        })
        .await
    }
}
