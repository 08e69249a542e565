//! Reading a selection case through GraphQL: its posts, candidates and steps as of a date, post quotas against filled posts, and the selection dashboard.

use async_graphql::{Context, Json, Object, SimpleObject};
use chrono::NaiveDate;
use dossier_domain::{
    Aggregate as _, EventSet, selection,
    staffing::{self, Tier},
};
use dossier_store::StreamRange;

use crate::{
    auth::{self},
    error::ApiError,
    schema::{
        command::mirror_enum,
        people::LeadershipLevel,
        scalars::{Date, Position},
    },
    service::Service,
};

/// A post the case fills.
#[derive(SimpleObject)]
pub struct SelectionPostView {
    pub post_id: String,
    pub title: String,
    pub level: LeadershipLevel,
}

/// A candidate and where they stand.
#[derive(SimpleObject)]
pub struct SelectionCandidateView {
    pub cadre_id: String,
    pub status: SelectionCandidateStatus,
    /// 未确定为人选, 考察对象 … 试用期已结束, or 已终止.
    pub status_zh: String,
    /// The rule that stopped the case for them.
    pub stopped_by: Option<String>,
    /// The post the decision passed them for.
    pub decided_post: Option<String>,
    pub probation_until: Option<Date>,
}

mirror_enum! {
    /// Where a candidate stands in a selection case: the furthest step reached, or the case
    /// stopped for them (`statusZh` beside it in words).
    SelectionCandidateStatus => selection::CandidateStatus {
        /// 未确定为人选: recommended, not carried forward by the last round.
        NotCarried,
        /// 考察对象: carried forward by the last recommendation round.
        Carried,
        /// 已考察
        Inspected,
        /// 征求廉政意见中
        IntegrityRequested,
        /// 廉政意见无异议
        IntegrityClear,
        /// 已决定任用
        Decided,
        /// 已任职
        Appointed,
        /// 试用期
        OnProbation,
        /// 试用期已结束 (confirmed or failed)
        ProbationEnded,
        /// 已终止: the case stopped for them (`stoppedBy` names the rule).
        Stopped,
    }
}

/// One recorded step of the case (the 纪实).
#[derive(SimpleObject)]
pub struct SelectionStepView {
    /// Event type, e.g. `selection.Decided`.
    #[graphql(name = "type")]
    pub event_type: String,
    /// The date the step took effect.
    pub on: Date,
    pub position: Position,
    /// Who recorded it.
    pub actor: String,
    /// The step's whole record (votes, documents, attachments…).
    pub payload: Json<serde_json::Value>,
}

/// A selection case's whole record (纪实报告), as of a date.
#[derive(SimpleObject)]
pub struct SelectionCaseView {
    pub case_id: String,
    pub unit_id: String,
    pub stage: SelectionStage,
    pub stage_zh: String,
    pub moved_on: Option<Date>,
    /// Days from the motion to the as-of date.
    pub age_days: i64,
    pub paused: Option<String>,
    pub cancelled: Option<String>,
    pub archived: bool,
    pub posts: Vec<SelectionPostView>,
    pub candidates: Vec<SelectionCandidateView>,
    pub steps: Vec<SelectionStepView>,
}

crate::schema::command::mirror_enum! {
    /// A tier of a unit's leadership posts (职数).
    PostTier => staffing::Tier {
        /// 正职
        Chief,
        /// 副职
        Deputy,
    }
}

crate::schema::command::mirror_enum! {
    /// A step of the selection procedure (选任), in order.
    SelectionStage => selection::Stage {
        /// 动议
        Motion,
        /// 民主推荐
        Recommendation,
        /// 考察
        Inspection,
        /// 征求廉政意见
        Integrity,
        /// 讨论决定
        Decision,
        /// 任前公示 (running)
        Notice,
        /// 任前公示 ended
        NoticeEnded,
        /// 任职
        Appointed,
    }
}

/// A unit's quota (职数) against its filled leadership posts.
#[derive(SimpleObject)]
pub struct PostQuotaView {
    pub unit_id: String,
    pub tier: PostTier,
    /// 正职 or 副职.
    pub tier_zh: String,
    pub approved: u32,
    pub filled: u32,
    /// Approved minus filled (negative beyond the quota).
    pub vacancies: i64,
    pub basis: String,
}

/// Cases in one stage on a date.
#[derive(SimpleObject)]
pub struct SelectionStageCount {
    pub stage: SelectionStage,
    pub stage_zh: String,
    pub cases: u32,
    /// Days since the motion of the oldest case in the stage.
    pub oldest_days: i64,
    pub mean_days: f64,
}

/// One unit's quota of one tier against its filled posts.
#[derive(SimpleObject)]
pub struct UnitVacancy {
    pub unit_id: String,
    pub unit_name: String,
    pub tier: PostTier,
    /// 正职 or 副职.
    pub tier_zh: String,
    pub approved: u32,
    pub filled: u32,
    /// Approved minus filled (negative beyond the quota).
    pub vacancies: i64,
}

/// The selection dashboard on a date.
#[derive(SimpleObject)]
pub struct SelectionDashboardView {
    pub as_of: Date,
    /// Cases under way by stage, in procedure order.
    pub by_stage: Vec<SelectionStageCount>,
    /// Every unit with a quota in force: approved against filled, by tier.
    pub vacancies: Vec<UnitVacancy>,
}

/// Selection and quota reads.
#[derive(Default)]
pub struct SelectionQuery;

#[Object]
impl SelectionQuery {
    /// A selection case's whole record (纪实) as it stood on `asOf` (default: today): the steps
    /// that had taken effect by then, in order, with its stage and candidates. Null when the
    /// case had not been moved (动议) by `asOf`; `NOT_FOUND` (`SELECTION_NOT_FOUND`) when no
    /// case has that id.
    async fn selection_case(
        &self,
        ctx: &Context<'_>,
        case_id: String,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<Option<SelectionCaseView>>> {
        crate::auth::nullable(ctx, async move {
            auth::require(ctx, selection::READERS, "查看选任纪实").map_err(ApiError::into_gql)?;
            let service = ctx.data_unchecked::<Service>();
            let as_of = as_of.map_or_else(|| service.today(), |d| d.0);
            selection_record(service, &case_id, as_of)
                .await
                .map_err(ApiError::into_gql)
        })
        .await
    }

    /// Cases by stage and age, and vacancies against quotas by unit and tier, on `asOf` (default: today).
    async fn selection_dashboard(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<SelectionDashboardView>> {
        crate::auth::nullable(ctx, async move {
            auth::require(ctx, auth::DASHBOARDS, "查看选任统计").map_err(ApiError::into_gql)?;
            let service = ctx.data_unchecked::<Service>();
            let as_of = as_of.map_or_else(|| service.today(), |d| d.0);
            let projections = service.projections();
            Ok(SelectionDashboardView {
                as_of: Date(as_of),
                by_stage: projections
                    .selection_by_stage(as_of)
                    .into_iter()
                    .filter_map(|c| {
                        // The dashboard keeps each stage by its code.
                        let stage = selection::Stage::ALL
                            .into_iter()
                            .find(|s| s.code() == c.stage)?;
                        Some((stage, c))
                    })
                    .map(|(stage, c)| SelectionStageCount {
                        stage: stage.into(),
                        stage_zh: c.stage_zh,
                        cases: c.cases,
                        oldest_days: c.oldest_days,
                        mean_days: c.mean_days,
                    })
                    .collect(),
                vacancies: projections
                    .selection_vacancies(as_of)
                    .into_iter()
                    .map(|v| UnitVacancy {
                        unit_id: v.unit_id,
                        unit_name: v.unit_name,
                        tier: v.tier.into(),
                        tier_zh: v.tier.zh().to_owned(),
                        approved: v.approved,
                        filled: v.filled,
                        vacancies: v.vacancies,
                    })
                    .collect(),
            })
        })
        .await
    }

    /// A unit's quota in force on `asOf` (default: today) against the leadership posts filled now.
    async fn post_quota(
        &self,
        ctx: &Context<'_>,
        unit_id: String,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<Vec<PostQuotaView>>> {
        crate::auth::nullable(ctx, async move {
            auth::require(ctx, auth::READ_ALL, "查看职数").map_err(ApiError::into_gql)?;
            let service = ctx.data_unchecked::<Service>();
            let as_of = as_of.map_or_else(|| service.today(), |d| d.0);
            let Some(q) = service
                .quota_fact(&unit_id, as_of)
                .await
                .map_err(ApiError::into_gql)?
            else {
                return Ok(Vec::new());
            };
            Ok(Tier::ALL
                .into_iter()
                .map(|tier| PostQuotaView {
                    unit_id: unit_id.clone(),
                    tier: tier.into(),
                    tier_zh: tier.zh().to_owned(),
                    approved: q.approved(tier),
                    filled: q.filled(tier),
                    vacancies: i64::from(q.approved(tier)) - i64::from(q.filled(tier)),
                    basis: q.basis.clone(),
                })
                .collect())
        })
        .await
    }
}

/// Read a case's stream and fold the steps that took effect by `as_of`.
pub async fn selection_record(
    service: &Service,
    case_id: &str,
    as_of: NaiveDate,
) -> Result<Option<SelectionCaseView>, ApiError> {
    let stream_id = selection::Aggregate::stream_id(case_id);
    let not_found = || ApiError::NotFound {
        rule: Some("SELECTION_NOT_FOUND"),
        message: format!("选任案件「{case_id}」不存在"),
    };
    if !service.store().stream_may_exist(&stream_id) {
        return Err(not_found());
    }
    let recorded = service
        .store()
        .read_stream(&stream_id, StreamRange::default())
        .await
        .map_err(ApiError::internal)?;
    if recorded.is_empty() {
        return Err(not_found());
    }
    let mut state = selection::State::default();
    let mut steps = Vec::new();
    for e in recorded.iter().filter(|e| e.effective_at <= as_of) {
        let event = selection::Event::decode(&e.event_type, e.schema_version, &e.payload)
            .map_err(ApiError::internal)?;
        state.apply(&event);
        steps.push(SelectionStepView {
            event_type: e.event_type.clone(),
            on: Date(e.effective_at),
            position: Position(e.position),
            actor: e.metadata.actor.clone(),
            payload: Json(serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null)),
        });
    }
    let Some(stage) = state.stage else {
        return Ok(None);
    };
    Ok(Some(SelectionCaseView {
        case_id: case_id.to_owned(),
        unit_id: state.unit_id.clone(),
        stage: stage.into(),
        stage_zh: stage.zh().to_owned(),
        moved_on: state.moved_on.map(Date),
        age_days: state.moved_on.map_or(0, |m| (as_of - m).num_days()),
        paused: state.paused.clone(),
        cancelled: state.cancelled.clone(),
        archived: state.archived,
        posts: state
            .posts
            .iter()
            .map(|p| SelectionPostView {
                post_id: p.post_id.clone(),
                title: p.title.clone(),
                level: p.level.into(),
            })
            .collect(),
        candidates: state
            .candidates
            .values()
            .map(|c| SelectionCandidateView {
                cadre_id: c.cadre_id.clone(),
                status: c.status().into(),
                status_zh: c.status_zh().to_owned(),
                stopped_by: c.stopped.clone(),
                decided_post: c.decided_post.clone(),
                probation_until: c.probation_until.map(Date),
            })
            .collect(),
        steps,
    }))
}
