//! Mutations of supervision and care (严管厚爱): appeals, “down” reviews, linked supervision records and leads.

use async_graphql::{Context, InputObject, Object};
use dossier_domain::{Role, appeal, down, lead, supervision};

use crate::{
    auth::{ORG, SUPERVISORS},
    schema::command::{CommandMeta, CommandResult, mirror_enum, run},
};

mirror_enum! {
    /// 受理中心层级.
    CentreLevel => appeal::CentreLevel {
        /// 区级
        District,
        /// 镇（街道）级
        Town,
    }
}

mirror_enum! {
    /// What opened a “down” review.
    DownTrigger => down::Trigger {
        /// 反向研判
        ReverseEvaluation,
        /// 年度考核不称职
        IncompetentGrade,
    }
}

mirror_enum! {
    /// 不适宜担任现职的情形 (能上能下规定 2022).
    DownSituation => down::Situation {
        WeakPoliticalAbility,
        WaveringConviction,
        LackOfDrive,
        DistortedViewOfPerformance,
        BreachingDemocraticCentralism,
        RefusingOrganizationDecisions,
        LackOfResponsibility,
        WorkLaggingForLong,
        ImproperDecisions,
        FormalismAndBureaucratism,
        LaxPartyGovernance,
        BreachingIntegrityRules,
        MoralMisconduct,
        FamilyAbroad,
        Other,
    }
}

mirror_enum! {
    /// 调整方式.
    DownMethod => down::Method {
        /// 改任职级
        ChangeToRank,
        /// 提前退出领导岗位
        EarlyExit,
        /// 逆向调整岗位
        ReverseAdjustment,
    }
}

mirror_enum! {
    /// Who records a supervision entry.
    SupervisionSource => supervision::Source {
        /// 组织部科室
        OrgSection,
        /// 纪检派驻组
        DisciplineGroup,
    }
}

mirror_enum! {
    /// How it was observed.
    SupervisionChannel => supervision::Channel {
        /// 列席会议
        Meeting,
        /// 调研
        Survey,
        /// 督查
        Inspection,
    }
}

mirror_enum! {
    /// What it is about.
    SupervisionKind => supervision::EntryKind {
        /// 日常表现
        DailyConduct,
        /// 重点工作实绩
        KeyWorkPerformance,
        /// 奖惩评价
        RewardPunishment,
    }
}

mirror_enum! {
    /// Its tone.
    SupervisionTone => supervision::Tone { Positive, Neutral, Negative }
}

mirror_enum! {
    /// 联席单位.
    PartnerAgency => lead::PartnerAgency {
        /// 纪委监委
        DisciplineCommission,
        /// 公安
        Police,
        /// 检察院
        Procuratorate,
        /// 法院
        Court,
        /// 审计
        Audit,
        /// 宣传
        Publicity,
        /// 发改
        DevelopmentReform,
        /// 应急
        Emergency,
    }
}

mirror_enum! {
    /// 线索类别.
    LeadCategory => lead::Category {
        /// 纪法
        DisciplineLaw,
        /// 司法
        Judicial,
        /// 行政
        Administrative,
        /// 社会
        Social,
    }
}

mirror_enum! {
    /// 线索办结结论.
    LeadConclusion => lead::Conclusion { Substantiated, NotSubstantiated, Transferred }
}

/// 提出诉求.
#[derive(InputObject)]
pub struct FileAppealInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub appeal_id: String,
    pub cadre_id: String,
    pub level: CentreLevel,
    pub town: Option<String>,
    #[graphql(validator(min_length = 1, max_length = 2000))]
    pub summary: String,
}

/// Open a “down” review.
#[derive(InputObject)]
pub struct OpenDownReviewInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub review_id: String,
    pub cadre_id: String,
    pub trigger: DownTrigger,
    pub grade_year: Option<i32>,
    pub reason: String,
    /// The 双考 evaluation of this cadre the review rests on (must be on their record).
    pub evaluation_id: Option<String>,
}

/// Record a supervision entry (联动记实).
#[derive(InputObject)]
pub struct RecordSupervisionInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub entry_id: String,
    pub cadre_id: String,
    pub source: SupervisionSource,
    pub source_name: String,
    pub channel: SupervisionChannel,
    pub kind: SupervisionKind,
    pub tone: SupervisionTone,
    #[graphql(validator(min_length = 1, max_length = 4000))]
    pub content: String,
    pub observed_on: crate::schema::scalars::Date,
}

/// Transfer a lead (线索移交).
#[derive(InputObject)]
pub struct TransferLeadInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub lead_id: String,
    pub cadre_id: String,
    pub agency: PartnerAgency,
    pub category: LeadCategory,
    #[graphql(validator(min_length = 1, max_length = 4000))]
    pub summary: String,
}

const ORG_OR_CADRE: &[Role] = &[Role::OrgAdmin, Role::Cadre, Role::System];

/// Supervision and care commands.
#[derive(Default)]
pub struct CareMutation;

#[Object]
impl CareMutation {
    /// 提出诉求 (the cadre themself, or the centre on their behalf).
    async fn file_appeal(
        &self,
        ctx: &Context<'_>,
        input: FileAppealInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = appeal::Command::File(appeal::File {
            appeal_id: input.appeal_id,
            cadre_id: input.cadre_id,
            level: input.level.into(),
            town: input.town,
            summary: input.summary,
        });
        run::<appeal::Aggregate>(ctx, ORG_OR_CADRE, "提出诉求", meta, cmd).await
    }

    /// 清单交办.
    async fn list_appeal(
        &self,
        ctx: &Context<'_>,
        appeal_id: String,
        assignee_unit_id: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = appeal::Command::List(appeal::List {
            appeal_id,
            assignee_unit_id,
        });
        run::<appeal::Aggregate>(ctx, ORG, "交办诉求", meta, cmd).await
    }

    /// 诉求领办.
    async fn claim_appeal(
        &self,
        ctx: &Context<'_>,
        appeal_id: String,
        handler: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = appeal::Command::Claim(appeal::Claim { appeal_id, handler });
        run::<appeal::Aggregate>(ctx, ORG, "领办诉求", meta, cmd).await
    }

    /// 协调会办.
    async fn coordinate_appeal(
        &self,
        ctx: &Context<'_>,
        appeal_id: String,
        participant_unit_ids: Vec<String>,
        outcome: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = appeal::Command::Coordinate(appeal::Coordinate {
            appeal_id,
            participant_unit_ids,
            outcome,
        });
        run::<appeal::Aggregate>(ctx, ORG, "协调会办诉求", meta, cmd).await
    }

    /// 跟踪督办.
    async fn track_appeal(
        &self,
        ctx: &Context<'_>,
        appeal_id: String,
        note: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = appeal::Command::Track(appeal::Track { appeal_id, note });
        run::<appeal::Aggregate>(ctx, ORG, "跟踪督办诉求", meta, cmd).await
    }

    /// 办结.
    async fn close_appeal(
        &self,
        ctx: &Context<'_>,
        appeal_id: String,
        resolution: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = appeal::Command::Close(appeal::Close {
            appeal_id,
            resolution,
        });
        run::<appeal::Aggregate>(ctx, ORG, "办结诉求", meta, cmd).await
    }

    /// 编入典型案例.
    async fn mark_appeal_typical(
        &self,
        ctx: &Context<'_>,
        appeal_id: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = appeal::Command::MarkTypical(appeal::MarkTypical { appeal_id, reason });
        run::<appeal::Aggregate>(ctx, ORG, "编入典型案例", meta, cmd).await
    }

    /// Open a “down” review (反向研判 or 不称职).
    async fn open_down_review(
        &self,
        ctx: &Context<'_>,
        input: OpenDownReviewInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = down::Command::Open(down::Open {
            review_id: input.review_id,
            cadre_id: input.cadre_id,
            trigger: input.trigger.into(),
            grade_year: input.grade_year,
            reason: input.reason,
            evaluation_id: input.evaluation_id,
        });
        run::<down::Aggregate>(ctx, ORG, "启动不适宜担任现职研判", meta, cmd).await
    }

    /// Record which situation applies.
    async fn record_down_findings(
        &self,
        ctx: &Context<'_>,
        review_id: String,
        situation: DownSituation,
        findings: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = down::Command::RecordFindings(down::RecordFindings {
            review_id,
            situation: situation.into(),
            findings,
        });
        run::<down::Aggregate>(ctx, ORG, "记录研判情形", meta, cmd).await
    }

    /// 区委常委会 decision: a reference and exactly one method; 逆向调整岗位 names the vacant
    /// post the cadre moves to (`toUnitId`, `toPostId`).
    #[allow(clippy::too_many_arguments)]
    async fn decide_down_review(
        &self,
        ctx: &Context<'_>,
        review_id: String,
        decision_ref: String,
        methods: Vec<DownMethod>,
        to_unit_id: Option<String>,
        to_post_id: Option<String>,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let to_post = match (to_unit_id, to_post_id) {
            (Some(unit_id), Some(post_id)) => Some(down::TargetPost { unit_id, post_id }),
            (None, None) => None,
            _ => {
                return Err(crate::error::ApiError::validation(
                    "调整到的岗位须同时写明单位 (toUnitId) 和岗位 (toPostId)",
                )
                .into_gql());
            }
        };
        let cmd = down::Command::Decide(down::Decide {
            review_id,
            decision_ref,
            methods: methods.into_iter().map(Into::into).collect(),
            to_post,
        });
        run::<down::Aggregate>(ctx, ORG, "作出调整决定", meta, cmd).await
    }

    /// Carry out the decision, on the cadre's record in the same write: 改任职级 and
    /// 提前退出领导岗位 end every leadership post; 逆向调整岗位 moves the cadre to the decided post.
    async fn execute_down_decision(
        &self,
        ctx: &Context<'_>,
        review_id: String,
        note: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = down::Command::Execute(down::Execute { review_id, note });
        run::<down::Aggregate>(ctx, ORG, "执行调整决定", meta, cmd).await
    }

    /// Close a review without action.
    async fn close_down_review(
        &self,
        ctx: &Context<'_>,
        review_id: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = down::Command::CloseWithoutAction(down::CloseWithoutAction { review_id, reason });
        run::<down::Aggregate>(ctx, ORG, "结束研判", meta, cmd).await
    }

    /// 联动记实: record a supervision entry (组织部 and 纪检监察 only).
    async fn record_supervision(
        &self,
        ctx: &Context<'_>,
        input: RecordSupervisionInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = supervision::Command::Record(supervision::Record {
            entry_id: input.entry_id,
            cadre_id: input.cadre_id,
            source: input.source.into(),
            source_name: input.source_name,
            channel: input.channel.into(),
            kind: input.kind.into(),
            tone: input.tone.into(),
            content: input.content,
            observed_on: input.observed_on.0,
        });
        run::<supervision::Aggregate>(ctx, SUPERVISORS, "记录监督信息", meta, cmd).await
    }

    /// Retract a supervision entry.
    async fn retract_supervision(
        &self,
        ctx: &Context<'_>,
        entry_id: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = supervision::Command::Retract(supervision::Retract { entry_id, reason });
        run::<supervision::Aggregate>(ctx, SUPERVISORS, "撤回监督信息", meta, cmd).await
    }

    /// 线索移交 from a partner agency.
    async fn transfer_lead(
        &self,
        ctx: &Context<'_>,
        input: TransferLeadInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = lead::Command::Transfer(lead::Transfer {
            lead_id: input.lead_id,
            cadre_id: input.cadre_id,
            agency: input.agency.into(),
            category: input.category.into(),
            summary: input.summary,
        });
        run::<lead::Aggregate>(ctx, SUPERVISORS, "移交线索", meta, cmd).await
    }

    /// 线索核查.
    async fn verify_lead(
        &self,
        ctx: &Context<'_>,
        lead_id: String,
        findings: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = lead::Command::Verify(lead::Verify { lead_id, findings });
        run::<lead::Aggregate>(ctx, SUPERVISORS, "核查线索", meta, cmd).await
    }

    /// 线索办结.
    async fn conclude_lead(
        &self,
        ctx: &Context<'_>,
        lead_id: String,
        conclusion: LeadConclusion,
        transferred_to: Option<String>,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = lead::Command::Conclude(lead::Conclude {
            lead_id,
            conclusion: conclusion.into(),
            transferred_to,
            reason,
        });
        run::<lead::Aggregate>(ctx, SUPERVISORS, "办结线索", meta, cmd).await
    }
}
