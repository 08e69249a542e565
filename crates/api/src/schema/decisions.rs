//! Mutations of assessment, reward and tolerance: annual grade batches, 双考 evaluations, award batches, the front-line quota, prior risk reports, the trial-and-error list, accountability, joint bulletins and policy publication.

use async_graphql::{Context, InputObject, Object};
use dossier_domain::{
    Role, accountability, assessment, award, bulletin, cadre, policy_stream, quota, risk,
    trial_list, types,
};

use crate::{
    auth::{ORG, SUPERVISORS},
    error::ApiError,
    schema::{
        care::{LeadCategory, PartnerAgency},
        command::{CommandMeta, CommandResult, mirror_enum, run},
        people::{AssessmentCategory, Grade},
        policy::Policy as PolicyInput,
        scalars::Date,
    },
};

type R = async_graphql::Result<CommandResult>;

/// A front-line candidate named for the year's points ranking.
#[derive(InputObject)]
pub struct QuotaCandidateInput {
    pub cadre_id: String,
    pub field: FrontLineField,
}

mirror_enum! {
    /// 三好评选类别.
    ThreeGoodCategory => types::ThreeGoodCategory {
        /// 好班子
        Team,
        /// 好班长
        Leader,
        /// 好班副
        Deputy,
    }
}

mirror_enum! {
    /// 一线领域.
    FrontLineField => types::FrontLineField {
        /// 双招双引
        InvestmentAndTalent,
        /// 项目建设
        ProjectConstruction,
        /// 社会治理
        SocialGovernance,
    }
}

mirror_enum! {
    /// 三个区分开来 (1): 缺乏经验先行先试 vs 明知故犯.
    Pioneering => accountability::Pioneering { Inexperience, KnowingViolation }
}

mirror_enum! {
    /// 三个区分开来 (2): 尚无明确限制的探索性试验 vs 明令禁止后依然我行我素.
    TrialRule => accountability::TrialRule { NotYetProhibited, ExplicitViolation }
}

mirror_enum! {
    /// 三个区分开来 (3): 为推动发展的无意过失 vs 为谋取私利的违纪违法.
    Motive => accountability::Motive { ForDevelopment, SelfServing }
}

mirror_enum! {
    /// 双考: the kind of key task an evaluation is tied to.
    EvaluationTask => cadre::TaskKind {
        /// 区级重大产业项目
        IndustrialProject,
        /// 重点工程项目
        KeyProject,
    }
}

mirror_enum! {
    /// 双考: the embedded evaluator.
    Evaluator => cadre::Evaluator {
        /// 考核办
        AssessmentOffice,
        /// 督考办
        InspectionOffice,
    }
}

/// 双考 (考察考核“双考”融合): an evaluation of a cadre on a key task by an embedded evaluator,
/// each score from 0 to 100.
#[derive(InputObject)]
pub struct RecordEvaluationInput {
    pub cadre_id: String,
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub evaluation_id: String,
    pub task_kind: EvaluationTask,
    /// The task's name, e.g. “新能源电池产业园项目”.
    pub task_name: String,
    pub evaluator: Evaluator,
    /// 工作态度.
    pub attitude: f64,
    /// 担当精神.
    pub responsibility: f64,
    /// 能力水平.
    pub competence: f64,
    /// 评价意见.
    pub remarks: Option<String>,
}

/// One cadre's grade in a unit's batch (null grade: 不定等次).
#[derive(InputObject)]
pub struct GradeEntryInput {
    pub cadre_id: String,
    pub grade: Option<Grade>,
    /// The 双考 evaluation of this cadre the grade rests on (must be on their record).
    pub evaluation_id: Option<String>,
}

/// A unit's annual grades, one batch (the 优秀 share cap applies).
#[derive(InputObject)]
pub struct RecordGradesInput {
    pub unit_id: String,
    pub year: i32,
    #[graphql(default_with = "AssessmentCategory::Annual")]
    pub category: AssessmentCategory,
    #[graphql(validator(min_items = 1, max_items = 500))]
    pub entries: Vec<GradeEntryInput>,
}

/// One awardee of a 骏马奖 batch.
#[derive(InputObject)]
pub struct AwardeeInput {
    pub cadre_id: String,
    pub citation: String,
}

/// A 骏马奖 batch.
#[derive(InputObject)]
pub struct SteedBatchInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub batch_id: String,
    /// The batch's ordinal (第 N 批).
    pub ordinal: u32,
    pub year: i32,
    pub title: String,
    #[graphql(validator(min_items = 1, max_items = 200))]
    pub awardees: Vec<AwardeeInput>,
}

/// One winner of the three-good contest.
#[derive(InputObject)]
pub struct ThreeGoodWinnerInput {
    pub category: ThreeGoodCategory,
    pub unit_id: String,
    /// The cadre (好班长, 好班副); none for a team.
    pub cadre_id: Option<String>,
    pub citation: String,
}

/// A prior risk report (重大风险事项事前报备).
#[derive(InputObject)]
pub struct FileRiskReportInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub report_id: String,
    pub cadre_id: String,
    #[graphql(validator(min_length = 1, max_length = 2000))]
    pub matter: String,
    #[graphql(validator(min_length = 1, max_length = 4000))]
    pub risks: String,
    #[graphql(validator(min_length = 1, max_length = 4000))]
    pub measures: String,
    pub planned_decision_on: Date,
}

/// The judgement of the three distinctions.
#[derive(InputObject)]
pub struct ThreeDistinctionsInput {
    pub pioneering: Pioneering,
    pub trial: TrialRule,
    pub motive: Motive,
}

/// What an exemption cites: a prior risk report or a trial-list entry (one of them).
#[derive(InputObject)]
pub struct ExemptionBasisInput {
    pub risk_report_id: Option<String>,
    pub trial_entry_id: Option<String>,
}

/// One item of a monthly joint bulletin.
#[derive(InputObject)]
pub struct BulletinItemInput {
    /// The month, `YYYY-MM`.
    pub month: String,
    pub agency: PartnerAgency,
    pub category: Option<LeadCategory>,
    pub summary: String,
    #[graphql(default)]
    pub lead_count: u32,
    #[graphql(default)]
    pub cadre_ids: Vec<String>,
}

/// An area put on the trial-and-error list (试错清单).
#[derive(InputObject)]
pub struct ListTrialInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub entry_id: String,
    pub area: String,
    pub description: String,
    #[graphql(default)]
    pub cadre_ids: Vec<String>,
    pub valid_until: Option<Date>,
}

const ORG_OR_CADRE: &[Role] = &[Role::OrgAdmin, Role::Cadre, Role::System];

fn basis_of(meta: &Option<CommandMeta>) -> Option<String> {
    meta.as_ref()
        .and_then(|m| m.basis.clone())
        .filter(|b| !b.trim().is_empty())
}

/// Assessment, reward and tolerance commands.
#[derive(Default)]
pub struct DecisionMutation;

#[Object]
impl DecisionMutation {
    /// 年度考核: a unit's grades for a year, as one batch; each cadre's grade and its
    /// consequences are written to their streams in the same atomic write.
    async fn record_grades(
        &self,
        ctx: &Context<'_>,
        input: RecordGradesInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = assessment::Command::RecordGrades {
            key: assessment::stream_key(&input.unit_id, input.year),
            unit_id: input.unit_id,
            year: input.year,
            category: input.category.into(),
            entries: input
                .entries
                .into_iter()
                .map(|e| assessment::GradeEntry {
                    cadre_id: e.cadre_id,
                    grade: e.grade.map(Into::into),
                    evaluation_id: e.evaluation_id,
                })
                .collect(),
            basis: basis_of(&meta),
        };
        run::<assessment::Aggregate>(ctx, ORG, "登记年度考核", meta, cmd).await
    }

    /// 双考: record an evaluation of a cadre on a key task (区级重大产业项目 or 重点工程项目) by
    /// 考核办 or 督考办, scored on 工作态度, 担当精神 and 能力水平 (0–100). It shows on the
    /// cadre's profile and the assessment dashboard, and a grade, an award or a down review
    /// may cite it (`evaluationId`).
    async fn record_evaluation(
        &self,
        ctx: &Context<'_>,
        input: RecordEvaluationInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::RecordEvaluation(cadre::RecordEvaluation {
            cadre_id: input.cadre_id,
            evaluation_id: input.evaluation_id,
            task_kind: input.task_kind.into(),
            task_name: input.task_name,
            evaluator: input.evaluator.into(),
            scores: cadre::Scores {
                attitude: input.attitude,
                responsibility: input.responsibility,
                competence: input.competence,
            },
            remarks: input.remarks,
        });
        run::<cadre::Aggregate>(ctx, ORG, "登记双考评价", meta, cmd).await
    }

    /// 骏马奖: announce a batch; each awardee's award is written to their stream in the same write.
    async fn announce_steed_batch(
        &self,
        ctx: &Context<'_>,
        input: SteedBatchInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = award::Command::AnnounceSteedBatch {
            batch_id: input.batch_id,
            ordinal: input.ordinal,
            year: input.year,
            title: input.title,
            awardees: input
                .awardees
                .into_iter()
                .map(|a| award::Awardee {
                    cadre_id: a.cadre_id,
                    citation: a.citation,
                })
                .collect(),
            basis: basis_of(&meta),
        };
        run::<award::Aggregate>(ctx, ORG, "公布骏马奖", meta, cmd).await
    }

    /// 好班子、好班长、好班副: announce a year's winners.
    async fn announce_three_good(
        &self,
        ctx: &Context<'_>,
        batch_id: String,
        year: i32,
        winners: Vec<ThreeGoodWinnerInput>,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = award::Command::AnnounceThreeGood {
            batch_id,
            year,
            winners: winners
                .into_iter()
                .map(|w| award::ThreeGoodWinner {
                    category: w.category.into(),
                    unit_id: w.unit_id,
                    cadre_id: w.cadre_id,
                    citation: w.citation,
                })
                .collect(),
            basis: basis_of(&meta),
        };
        run::<award::Aggregate>(ctx, ORG, "公布三好评选", meta, cmd).await
    }

    /// Revoke an award of a batch (a cadre id or a unit id).
    async fn revoke_award(
        &self,
        ctx: &Context<'_>,
        batch_id: String,
        recipient: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = award::Command::Revoke {
            batch_id,
            recipient,
            reason,
        };
        run::<award::Aggregate>(ctx, ORG, "撤销奖励", meta, cmd).await
    }

    /// 一线职级数: open a year's front-line quota (size from the policy unless given).
    async fn open_quota(
        &self,
        ctx: &Context<'_>,
        year: i32,
        size: Option<u32>,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = quota::Command::Open {
            key: year.to_string(),
            year,
            size,
            basis: basis_of(&meta),
        };
        run::<quota::Aggregate>(ctx, ORG, "设立一线职级数", meta, cmd).await
    }

    /// Publish the year's 积分排名 of the named front-line candidates (points by the domain's own
    /// rule on the effective date; each candidate marked eligible or with the rule in the way).
    async fn rank_quota(
        &self,
        ctx: &Context<'_>,
        year: i32,
        candidates: Vec<QuotaCandidateInput>,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = quota::Command::Rank {
            key: year.to_string(),
            candidates: candidates
                .into_iter()
                .map(|c| quota::RankCandidate {
                    cadre_id: c.cadre_id,
                    field: c.field.into(),
                })
                .collect(),
        };
        run::<quota::Aggregate>(ctx, ORG, "公布一线职级晋升积分排名", meta, cmd).await
    }

    /// Allocate one front-line quota place to the cadre at `place` of the year's ranking (never
    /// beyond the quota). Eligible cadres ranked higher and not yet considered are passed over
    /// only with `skipReason`.
    #[allow(clippy::too_many_arguments)]
    async fn allocate_quota(
        &self,
        ctx: &Context<'_>,
        year: i32,
        cadre_id: String,
        field: FrontLineField,
        place: u32,
        skip_reason: Option<String>,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = quota::Command::Allocate {
            key: year.to_string(),
            cadre_id,
            field: field.into(),
            place,
            skip_reason,
        };
        run::<quota::Aggregate>(ctx, ORG, "分配一线职级数", meta, cmd).await
    }

    /// Take back an allocation.
    async fn revoke_quota(
        &self,
        ctx: &Context<'_>,
        year: i32,
        cadre_id: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = quota::Command::Revoke {
            key: year.to_string(),
            cadre_id,
            reason,
        };
        run::<quota::Aggregate>(ctx, ORG, "收回一线职级数", meta, cmd).await
    }

    /// 重大风险事项事前报备 (by the cadre themself, or the department on their behalf).
    async fn file_risk_report(
        &self,
        ctx: &Context<'_>,
        input: FileRiskReportInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = risk::Command::File(risk::File {
            report_id: input.report_id,
            cadre_id: input.cadre_id,
            matter: input.matter,
            risks: input.risks,
            measures: input.measures,
            planned_decision_on: input.planned_decision_on.0,
        });
        run::<risk::Aggregate>(ctx, ORG_OR_CADRE, "报备重大风险事项", meta, cmd).await
    }

    /// Acknowledge a risk report.
    async fn acknowledge_risk_report(
        &self,
        ctx: &Context<'_>,
        report_id: String,
        note: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = risk::Command::Acknowledge(risk::Acknowledge { report_id, note });
        run::<risk::Aggregate>(ctx, ORG, "确认风险报备", meta, cmd).await
    }

    /// 试错清单: list an area where trial is encouraged.
    async fn list_trial_area(
        &self,
        ctx: &Context<'_>,
        input: ListTrialInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = trial_list::Command::List(trial_list::List {
            entry_id: input.entry_id,
            area: input.area,
            description: input.description,
            cadre_ids: input.cadre_ids,
            valid_until: input.valid_until.map(|d| d.0),
        });
        run::<trial_list::Aggregate>(ctx, ORG, "列入试错清单", meta, cmd).await
    }

    /// Withdraw a trial-list entry.
    async fn withdraw_trial_area(
        &self,
        ctx: &Context<'_>,
        entry_id: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = trial_list::Command::Withdraw(trial_list::Withdraw { entry_id, reason });
        run::<trial_list::Aggregate>(ctx, ORG, "撤出试错清单", meta, cmd).await
    }

    /// Open an accountability case (组织部 and 纪检监察).
    async fn open_accountability_case(
        &self,
        ctx: &Context<'_>,
        case_id: String,
        cadre_id: String,
        summary: String,
        act_on: Date,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = accountability::Command::Open(accountability::Open {
            case_id,
            cadre_id,
            summary,
            act_on: act_on.0,
        });
        run::<accountability::Aggregate>(ctx, SUPERVISORS, "启动问责", meta, cmd).await
    }

    /// Record the three-distinctions judgement (三个区分开来).
    async fn record_judgement(
        &self,
        ctx: &Context<'_>,
        case_id: String,
        judgement: ThreeDistinctionsInput,
        reasons: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = accountability::Command::RecordJudgement(accountability::RecordJudgement {
            case_id,
            judgement: accountability::ThreeDistinctions {
                pioneering: judgement.pioneering.into(),
                trial: judgement.trial.into(),
                motive: judgement.motive.into(),
            },
            reasons,
        });
        run::<accountability::Aggregate>(ctx, SUPERVISORS, "记录三个区分开来研判", meta, cmd).await
    }

    /// 容错免责: grant or refuse an exemption, citing a risk report or a trial-list entry.
    async fn decide_exemption(
        &self,
        ctx: &Context<'_>,
        case_id: String,
        grant: bool,
        reasons: String,
        basis: Option<ExemptionBasisInput>,
        meta: Option<CommandMeta>,
    ) -> R {
        let basis = match basis {
            None => None,
            Some(ExemptionBasisInput {
                risk_report_id: Some(report_id),
                trial_entry_id: None,
            }) => Some(accountability::Basis::RiskReport { report_id }),
            Some(ExemptionBasisInput {
                risk_report_id: None,
                trial_entry_id: Some(entry_id),
            }) => Some(accountability::Basis::TrialListEntry { entry_id }),
            Some(_) => {
                return Err(ApiError::validation(
                    "免责依据须且只能填一项：风险报备编号或试错清单编号",
                )
                .into_gql());
            }
        };
        let cmd = accountability::Command::DecideExemption(accountability::DecideExemption {
            case_id,
            grant,
            reasons,
            basis,
        });
        run::<accountability::Aggregate>(ctx, SUPERVISORS, "作出免责决定", meta, cmd).await
    }

    /// 联席通报: open a month's bulletin (`YYYY-MM`).
    async fn open_bulletin(
        &self,
        ctx: &Context<'_>,
        month: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = bulletin::Command::Open(bulletin::Open { month });
        run::<bulletin::Aggregate>(ctx, SUPERVISORS, "开启联席通报", meta, cmd).await
    }

    /// Add an item from a partner agency.
    async fn add_bulletin_item(
        &self,
        ctx: &Context<'_>,
        input: BulletinItemInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = bulletin::Command::AddItem(bulletin::AddItem {
            month: input.month,
            agency: input.agency.into(),
            category: input.category.map(Into::into),
            summary: input.summary,
            lead_count: input.lead_count,
            cadre_ids: input.cadre_ids,
        });
        run::<bulletin::Aggregate>(ctx, SUPERVISORS, "登记通报事项", meta, cmd).await
    }

    /// Publish a month's bulletin.
    async fn publish_bulletin(
        &self,
        ctx: &Context<'_>,
        month: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = bulletin::Command::Publish(bulletin::Publish { month });
        run::<bulletin::Aggregate>(ctx, SUPERVISORS, "发布联席通报", meta, cmd).await
    }

    /// Publish a policy version (the N small policies): every value, in force from a date
    /// (`meta.basis` names the document). `policy(asOf:)` gives the values in force, to start from.
    async fn publish_policy(
        &self,
        ctx: &Context<'_>,
        title: String,
        effective_from: Date,
        policy: PolicyInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let policy = dossier_domain::Policy::from(policy);
        let basis = basis_of(&meta).ok_or_else(|| {
            ApiError::validation("发布政策须填写文件依据（meta.basis）").into_gql()
        })?;
        let cmd = policy_stream::Command::Publish {
            book: crate::service::POLICY_STREAM
                .trim_start_matches("policy-")
                .to_owned(),
            title,
            effective_from: effective_from.0,
            basis,
            policy,
        };
        run::<policy_stream::Aggregate>(ctx, ORG, "发布政策", meta, cmd).await
    }
}
