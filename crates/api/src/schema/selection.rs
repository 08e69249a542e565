//! Selection (选任纪实) and post quotas (职数): the mutations of every step of a case, the case's whole record as of a date, and a unit's quota against its filled posts.

use async_graphql::{Context, InputObject, Json, Object, SimpleObject};
use chrono::NaiveDate;
use dossier_domain::{
    Aggregate as _, EventSet, reserve, selection,
    staffing::{self, Tier},
};
use dossier_store::StreamRange;

use crate::{
    auth::{self, ORG},
    error::ApiError,
    schema::{
        command::{CommandMeta, CommandResult, mirror_enum, run},
        people::{AppointmentManner, LeadershipLevel, RemovalManner},
        scalars::{Date, Position},
    },
    service::Service,
};

mirror_enum! {
    /// How a cadre was nominated to the reserve pool.
    ReserveNomination => reserve::Nomination {
        /// 民主推荐
        DemocraticRecommendation,
        /// 组织推荐
        Organization,
        /// 调研发现
        Survey,
    }
}

mirror_enum! {
    /// The meeting that moved or decided a case.
    SelectionMeeting => selection::MeetingKind {
        /// 干部工作小组会
        WorkingGroup,
        /// 常委会
        StandingCommittee,
    }
}

mirror_enum! {
    /// A round of democratic recommendation.
    RecommendationMethod => selection::RoundMethod {
        /// 会议推荐
        Meeting,
        /// 谈话推荐
        Interview,
    }
}

mirror_enum! {
    /// 廉政意见.
    IntegrityVerdict => selection::Verdict {
        /// 无不同意见
        Clear,
        /// 有影响使用的问题
        Negative,
    }
}

mirror_enum! {
    /// The finding on an objection received during the notice.
    ObjectionFinding => selection::Finding {
        /// 反映问题属实, 影响任用
        Upheld,
        /// 不属实或不影响任用
        NotUpheld,
    }
}

/// What a step records besides its own facts.
#[derive(InputObject, Default)]
pub struct StepRecordInput {
    /// 办理机构 or the meeting's name.
    #[graphql(validator(min_length = 1, max_length = 200))]
    pub body: String,
    /// 文件 / 纪要 reference.
    #[graphql(validator(max_length = 200))]
    pub document: Option<String>,
    /// Attachments' references.
    #[graphql(default)]
    pub attachments: Vec<String>,
}

impl From<StepRecordInput> for selection::Record {
    fn from(r: StepRecordInput) -> Self {
        selection::Record {
            body: r.body.trim().to_owned(),
            document: r
                .document
                .map(|d| d.trim().to_owned())
                .filter(|d| !d.is_empty()),
            attachments: r.attachments,
        }
    }
}

/// 职数核定.
#[derive(InputObject)]
pub struct PublishPostQuotaInput {
    pub unit_id: String,
    /// 正职职数.
    pub chiefs: u32,
    /// 副职职数.
    pub deputies: u32,
    /// Whether an appointment beyond the quota may be recorded as an exception with its approval.
    #[graphql(default)]
    pub exceptions_allowed: bool,
    #[graphql(validator(min_length = 1, max_length = 200))]
    pub basis: String,
}

/// 动议.
#[derive(InputObject)]
pub struct MoveSelectionInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub case_id: String,
    pub unit_id: String,
    #[graphql(validator(min_length = 1, max_length = 200))]
    pub proposer: String,
    pub meeting: SelectionMeeting,
    pub post_ids: Vec<String>,
    /// The candidate pool (cadre ids).
    pub pool: Vec<String>,
    pub quota_exception: Option<String>,
    pub record: StepRecordInput,
}

/// One candidate's votes.
#[derive(InputObject)]
pub struct CandidateVotesInput {
    pub cadre_id: String,
    pub votes: u32,
}

/// 民主推荐: one round.
#[derive(InputObject)]
pub struct RecommendInput {
    pub case_id: String,
    pub method: RecommendationMethod,
    pub participants: u32,
    pub votes: Vec<CandidateVotesInput>,
    pub carried_forward: Vec<String>,
    pub record: StepRecordInput,
}

/// 考察 of one candidate.
#[derive(InputObject)]
pub struct InspectCandidateInput {
    pub case_id: String,
    pub cadre_id: String,
    pub team: Vec<String>,
    pub interviewed: u32,
    #[graphql(validator(min_length = 1, max_length = 200))]
    pub report: String,
    pub record: StepRecordInput,
}

/// 征求纪委监委意见.
#[derive(InputObject)]
pub struct RequestIntegrityInput {
    pub case_id: String,
    pub cadre_ids: Vec<String>,
    pub record: StepRecordInput,
}

/// 廉政意见 for one candidate.
#[derive(InputObject)]
pub struct ReplyIntegrityInput {
    pub case_id: String,
    pub cadre_id: String,
    pub verdict: IntegrityVerdict,
    #[graphql(validator(max_length = 2000))]
    pub note: String,
    pub record: StepRecordInput,
}

/// One candidate's votes at the decision.
#[derive(InputObject)]
pub struct DecisionVoteInput {
    pub cadre_id: String,
    pub post_id: String,
    /// 同意
    pub approve: u32,
    /// 不同意
    pub against: u32,
    /// 弃权
    pub abstain: u32,
}

/// 讨论决定.
#[derive(InputObject)]
pub struct DecideSelectionInput {
    pub case_id: String,
    pub meeting: SelectionMeeting,
    /// 应到 (all members).
    pub members: u32,
    /// 实到.
    pub present: u32,
    pub votes: Vec<DecisionVoteInput>,
    pub record: StepRecordInput,
}

/// 任前公示 from the effective date to `endsOn`.
#[derive(InputObject)]
pub struct StartNoticeInput {
    pub case_id: String,
    pub ends_on: Date,
    pub record: StepRecordInput,
}

/// An objection received during the notice.
#[derive(InputObject)]
pub struct ReceiveObjectionInput {
    pub case_id: String,
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub objection_id: String,
    pub cadre_id: String,
    #[graphql(validator(min_length = 1, max_length = 2000))]
    pub summary: String,
}

/// An objection handled.
#[derive(InputObject)]
pub struct HandleObjectionInput {
    pub case_id: String,
    pub objection_id: String,
    pub finding: ObjectionFinding,
    #[graphql(validator(min_length = 1, max_length = 2000))]
    pub handling: String,
}

/// One 任 line of an appointment document.
#[derive(InputObject)]
pub struct AppointLineInput {
    pub cadre_id: String,
    pub post_id: String,
    pub manner: AppointmentManner,
    /// 程序, e.g. 经区委常委会研究决定.
    pub procedure: String,
}

/// One 免 line of an appointment document.
#[derive(InputObject)]
pub struct RemoveLineInput {
    pub cadre_id: String,
    pub unit_id: String,
    pub post_id: String,
    pub manner: RemovalManner,
    pub procedure: String,
}

/// 任职: the 任免文件, taking effect on the command's effective date.
#[derive(InputObject)]
pub struct IssueDocumentInput {
    pub case_id: String,
    /// 文号.
    #[graphql(validator(min_length = 1, max_length = 100))]
    pub number: String,
    /// 发文机关.
    pub issuer: String,
    pub issued_on: Date,
    pub appointments: Vec<AppointLineInput>,
    #[graphql(default)]
    pub removals: Vec<RemoveLineInput>,
    #[graphql(default)]
    pub attachments: Vec<String>,
}

/// Selection and quota commands (组织部).
#[derive(Default)]
pub struct SelectionMutation;

async fn step(
    ctx: &Context<'_>,
    what: &str,
    meta: Option<CommandMeta>,
    command: selection::Command,
) -> async_graphql::Result<CommandResult> {
    run::<selection::Aggregate>(ctx, ORG, what, meta, command).await
}

#[Object]
impl SelectionMutation {
    /// 职数核定: publish a unit's approved leadership posts, in force from the effective date.
    async fn publish_post_quota(
        &self,
        ctx: &Context<'_>,
        input: PublishPostQuotaInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = staffing::Command::Publish(staffing::Publish {
            unit_id: input.unit_id,
            chiefs: input.chiefs,
            deputies: input.deputies,
            exceptions_allowed: input.exceptions_allowed,
            basis: input.basis,
        });
        run::<staffing::Aggregate>(ctx, ORG, "核定职数", meta, cmd).await
    }

    /// 入库: nominate a cadre to the young-cadre / reserve pool (年轻干部 / 后备干部库).
    async fn nominate_reserve(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        how: ReserveNomination,
        nominated_by: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = reserve::Command::Nominate {
            cadre_id,
            how: how.into(),
            nominated_by,
        };
        run::<reserve::Aggregate>(ctx, ORG, "后备干部入库", meta, cmd).await
    }

    /// 年度研判 of a pool entry (`keep: false` removes it from the pool).
    async fn review_reserve(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        keep: bool,
        note: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = reserve::Command::Review {
            cadre_id,
            keep,
            note,
        };
        run::<reserve::Aggregate>(ctx, ORG, "后备干部年度研判", meta, cmd).await
    }

    /// 出库, with the reason.
    async fn remove_reserve(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = reserve::Command::Remove { cadre_id, reason };
        run::<reserve::Aggregate>(ctx, ORG, "后备干部出库", meta, cmd).await
    }

    /// 动议: open a selection case (refused without a vacancy within the unit's quota).
    async fn move_selection(
        &self,
        ctx: &Context<'_>,
        input: MoveSelectionInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = selection::Command::Move(selection::Move {
            case_id: input.case_id,
            unit_id: input.unit_id,
            proposer: input.proposer,
            meeting: input.meeting.into(),
            post_ids: input.post_ids,
            pool: input.pool,
            quota_exception: input.quota_exception,
            record: input.record.into(),
        });
        step(ctx, "动议", meta, cmd).await
    }

    /// 民主推荐: one round, with the candidates carried forward (差额).
    async fn recommend_candidates(
        &self,
        ctx: &Context<'_>,
        input: RecommendInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = selection::Command::Recommend(selection::Recommend {
            case_id: input.case_id,
            method: input.method.into(),
            participants: input.participants,
            votes: input
                .votes
                .into_iter()
                .map(|v| selection::CandidateVotes {
                    cadre_id: v.cadre_id,
                    votes: v.votes,
                })
                .collect(),
            carried_forward: input.carried_forward,
            record: input.record.into(),
        });
        step(ctx, "民主推荐", meta, cmd).await
    }

    /// 考察 of one candidate (grades and obstacles are attached from the record).
    async fn inspect_candidate(
        &self,
        ctx: &Context<'_>,
        input: InspectCandidateInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = selection::Command::Inspect(selection::Inspect {
            case_id: input.case_id,
            cadre_id: input.cadre_id,
            team: input.team,
            interviewed: input.interviewed,
            report: input.report,
            record: input.record.into(),
        });
        step(ctx, "考察", meta, cmd).await
    }

    /// 征求纪委监委意见.
    async fn request_integrity_opinion(
        &self,
        ctx: &Context<'_>,
        input: RequestIntegrityInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = selection::Command::RequestIntegrity(selection::RequestIntegrity {
            case_id: input.case_id,
            cadre_ids: input.cadre_ids,
            record: input.record.into(),
        });
        step(ctx, "征求廉政意见", meta, cmd).await
    }

    /// 廉政意见 received (a negative one, or an open investigation, stops the candidate).
    async fn reply_integrity_opinion(
        &self,
        ctx: &Context<'_>,
        input: ReplyIntegrityInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = selection::Command::ReplyIntegrity(selection::ReplyIntegrity {
            case_id: input.case_id,
            cadre_id: input.cadre_id,
            verdict: input.verdict.into(),
            note: input.note,
            record: input.record.into(),
        });
        step(ctx, "廉政意见", meta, cmd).await
    }

    /// 讨论决定 (two thirds present; more than half of all members in favour).
    async fn decide_selection(
        &self,
        ctx: &Context<'_>,
        input: DecideSelectionInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = selection::Command::Decide(selection::Decide {
            case_id: input.case_id,
            meeting: input.meeting.into(),
            members: input.members,
            present: input.present,
            votes: input
                .votes
                .into_iter()
                .map(|v| selection::DecisionVote {
                    cadre_id: v.cadre_id,
                    post_id: v.post_id,
                    approve: v.approve,
                    against: v.against,
                    abstain: v.abstain,
                })
                .collect(),
            record: input.record.into(),
        });
        step(ctx, "讨论决定", meta, cmd).await
    }

    /// 任前公示 (at least the policy's working days by the holiday calendar).
    async fn start_selection_notice(
        &self,
        ctx: &Context<'_>,
        input: StartNoticeInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = selection::Command::StartNotice(selection::StartNotice {
            case_id: input.case_id,
            ends_on: input.ends_on.0,
            record: input.record.into(),
        });
        step(ctx, "任前公示", meta, cmd).await
    }

    /// An objection received during the notice.
    async fn receive_selection_objection(
        &self,
        ctx: &Context<'_>,
        input: ReceiveObjectionInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = selection::Command::ReceiveObjection(selection::ReceiveObjection {
            case_id: input.case_id,
            objection_id: input.objection_id,
            cadre_id: input.cadre_id,
            summary: input.summary,
        });
        step(ctx, "公示期间反映", meta, cmd).await
    }

    /// An objection handled (upheld: the case stops for that candidate).
    async fn handle_selection_objection(
        &self,
        ctx: &Context<'_>,
        input: HandleObjectionInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = selection::Command::HandleObjection(selection::HandleObjection {
            case_id: input.case_id,
            objection_id: input.objection_id,
            finding: input.finding.into(),
            handling: input.handling,
        });
        step(ctx, "核查处理", meta, cmd).await
    }

    /// 任前公示期满.
    async fn end_selection_notice(
        &self,
        ctx: &Context<'_>,
        case_id: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = selection::Command::EndNotice(selection::EndNotice { case_id });
        step(ctx, "公示期满", meta, cmd).await
    }

    /// 任职: issue the 任免文件, carried out on every person's record in the same write.
    async fn issue_appointment_document(
        &self,
        ctx: &Context<'_>,
        input: IssueDocumentInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = selection::Command::Appoint(selection::Appoint {
            case_id: input.case_id,
            number: input.number,
            issuer: input.issuer,
            issued_on: input.issued_on.0,
            appointments: input
                .appointments
                .into_iter()
                .map(|a| selection::AppointLine {
                    cadre_id: a.cadre_id,
                    post_id: a.post_id,
                    manner: a.manner.into(),
                    procedure: a.procedure,
                })
                .collect(),
            removals: input
                .removals
                .into_iter()
                .map(|r| selection::RemoveLine {
                    cadre_id: r.cadre_id,
                    unit_id: r.unit_id,
                    post_id: r.post_id,
                    manner: r.manner.into(),
                    procedure: r.procedure,
                })
                .collect(),
            attachments: input.attachments,
        });
        step(ctx, "任职", meta, cmd).await
    }

    /// 试用期满转正.
    async fn confirm_probation(
        &self,
        ctx: &Context<'_>,
        case_id: String,
        cadre_id: String,
        document: Option<String>,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = selection::Command::ConfirmProbation {
            case_id,
            cadre_id,
            document,
        };
        step(ctx, "试用期满转正", meta, cmd).await
    }

    /// 试用期不合格.
    async fn fail_probation(
        &self,
        ctx: &Context<'_>,
        case_id: String,
        cadre_id: String,
        reason: String,
        document: Option<String>,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = selection::Command::FailProbation {
            case_id,
            cadre_id,
            reason,
            document,
        };
        step(ctx, "试用期不合格", meta, cmd).await
    }

    /// Pause a case.
    async fn pause_selection(
        &self,
        ctx: &Context<'_>,
        case_id: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        step(
            ctx,
            "暂停选任",
            meta,
            selection::Command::Pause { case_id, reason },
        )
        .await
    }

    /// Resume a paused case.
    async fn resume_selection(
        &self,
        ctx: &Context<'_>,
        case_id: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        step(
            ctx,
            "恢复选任",
            meta,
            selection::Command::Resume { case_id },
        )
        .await
    }

    /// Cancel a case, with the reason.
    async fn cancel_selection(
        &self,
        ctx: &Context<'_>,
        case_id: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        step(
            ctx,
            "终止选任",
            meta,
            selection::Command::Cancel { case_id, reason },
        )
        .await
    }

    /// Archive a finished or cancelled case.
    async fn archive_selection(
        &self,
        ctx: &Context<'_>,
        case_id: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        step(ctx, "归档", meta, selection::Command::Archive { case_id }).await
    }
}

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
    /// 考察对象 … 已任职, or 已终止.
    pub status: String,
    /// The rule that stopped the case for them.
    pub stopped_by: Option<String>,
    /// The post the decision passed them for.
    pub decided_post: Option<String>,
    pub probation_until: Option<Date>,
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
    /// `motion`, `recommendation`, `inspection`, `integrity`, `decision`, `notice`, `notice_ended`, `appointed`.
    pub stage: String,
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

/// A unit's quota (职数) against its filled leadership posts.
#[derive(SimpleObject)]
pub struct PostQuotaView {
    pub unit_id: String,
    /// 正职 or 副职.
    pub tier: String,
    pub approved: u32,
    pub filled: u32,
    /// Approved minus filled (negative beyond the quota).
    pub vacancies: i64,
    pub basis: String,
}

/// Cases in one stage on a date.
#[derive(SimpleObject)]
pub struct SelectionStageCount {
    pub stage: String,
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
    /// 正职 or 副职.
    pub tier: String,
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
    /// that had taken effect by then, in order, with its stage and candidates.
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
                    .map(|c| SelectionStageCount {
                        stage: c.stage,
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
                        tier: v.tier.zh().to_owned(),
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
                    tier: tier.zh().to_owned(),
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
    if !service.store().stream_may_exist(&stream_id) {
        return Ok(None);
    }
    let recorded = service
        .store()
        .read_stream(&stream_id, StreamRange::default())
        .await
        .map_err(ApiError::internal)?;
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
        stage: stage.code().to_owned(),
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
                status: c.status_zh().to_owned(),
                stopped_by: c.stopped.clone(),
                decided_post: c.decided_post.clone(),
                probation_until: c.probation_until.map(Date),
            })
            .collect(),
        steps,
    }))
}
