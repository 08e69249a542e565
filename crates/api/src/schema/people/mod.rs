//! Mutations of cadres and units: registration, posts, 任免, rotation, rank, grades, awards, sanctions and their procedures.

use async_graphql::{Context, Object};
use dossier_domain::{assessment, cadre, unit};

mod inputs;
pub use inputs::*;

use crate::{
    auth::ORG,
    schema::{
        command::{CommandMeta, CommandResult, run},
        scalars::Date,
    },
};

/// Cadre and unit commands (组织部).
#[derive(Default)]
pub struct PeopleMutation;

type R = async_graphql::Result<CommandResult>;

#[Object]
impl PeopleMutation {
    /// Register a unit.
    async fn register_unit(
        &self,
        ctx: &Context<'_>,
        input: RegisterUnitInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = unit::Command::Register(unit::Register {
            unit_id: input.unit_id,
            name: input.name,
            parent_unit_id: input.parent_unit_id,
            business_facing: input.business_facing,
        });
        run::<unit::Aggregate>(ctx, ORG, "登记单位", meta, cmd).await
    }

    /// Open a post.
    async fn open_post(
        &self,
        ctx: &Context<'_>,
        input: OpenPostInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = unit::Command::OpenPost(unit::OpenPost {
            unit_id: input.unit_id,
            post_id: input.post_id,
            title: input.title,
            category: input.category.into(),
            leadership_level: input.leadership_level.map(Into::into),
            heads_unit: input.heads_unit,
            reports_to: input.reports_to,
        });
        run::<unit::Aggregate>(ctx, ORG, "设置岗位", meta, cmd).await
    }

    /// Close a post.
    async fn close_post(
        &self,
        ctx: &Context<'_>,
        unit_id: String,
        post_id: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = unit::Command::ClosePost {
            unit_id,
            post_id,
            reason,
        };
        run::<unit::Aggregate>(ctx, ORG, "撤销岗位", meta, cmd).await
    }

    /// Designate a hot post (热点岗位) with its tenure limit.
    async fn designate_hot_post(
        &self,
        ctx: &Context<'_>,
        unit_id: String,
        post_id: String,
        tenure_limit_years: u32,
        meta: Option<CommandMeta>,
    ) -> R {
        let basis = meta.as_ref().and_then(|m| m.basis.clone());
        let cmd = unit::Command::DesignateHotPost {
            unit_id,
            post_id,
            tenure_limit_years,
            basis,
        };
        run::<unit::Aggregate>(ctx, ORG, "认定热点岗位", meta, cmd).await
    }

    /// Clear a hot-post designation.
    async fn clear_hot_post(
        &self,
        ctx: &Context<'_>,
        unit_id: String,
        post_id: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = unit::Command::ClearHotPost { unit_id, post_id };
        run::<unit::Aggregate>(ctx, ORG, "取消热点岗位", meta, cmd).await
    }

    /// Mark a unit as business-facing (or not).
    async fn set_business_facing(
        &self,
        ctx: &Context<'_>,
        unit_id: String,
        business_facing: bool,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = unit::Command::SetBusinessFacing {
            unit_id,
            business_facing,
        };
        run::<unit::Aggregate>(ctx, ORG, "设置窗口单位", meta, cmd).await
    }

    /// Register a cadre.
    async fn register_cadre(
        &self,
        ctx: &Context<'_>,
        input: RegisterCadreInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::Register(cadre::Register {
            cadre_id: input.cadre_id,
            name: input.name,
            id_number: input.id_number,
            gender: input.gender.map(Into::into),
            birth_date: input.birth_date.map(|d| d.0),
            ethnicity: input.ethnicity,
            unit_id: input.unit_id,
            rank: input.rank.map(Into::into),
            rank_since: input.rank_since.map(|d| d.0),
            leadership_level: input.leadership_level.map(Into::into),
            level_since: input.level_since.map(|d| d.0),
            joined_work_on: input.joined_work_on.map(|d| d.0),
        });
        run::<cadre::Aggregate>(ctx, ORG, "登记干部", meta, cmd).await
    }

    /// Add a family member.
    async fn add_family_member(
        &self,
        ctx: &Context<'_>,
        input: AddFamilyMemberInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::AddFamilyMember(cadre::AddFamilyMember {
            cadre_id: input.cadre_id,
            member_id: input.member_id,
            relation: input.relation.into(),
            appellation: input.appellation,
            name: input.name,
            id_number: input.id_number,
            birth_date: input.birth_date.map(|d| d.0),
            political_status: input.political_status,
            work_unit_and_post: input.work_unit_and_post,
            relative_cadre_id: input.relative_cadre_id,
        });
        run::<cadre::Aggregate>(ctx, ORG, "登记家庭成员", meta, cmd).await
    }

    /// Remove a family member.
    async fn remove_family_member(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        member_id: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::RemoveFamilyMember {
            cadre_id,
            member_id,
            reason,
        };
        run::<cadre::Aggregate>(ctx, ORG, "删除家庭成员", meta, cmd).await
    }

    /// 任职 (appointment), checked against avoidance rules.
    async fn appoint(
        &self,
        ctx: &Context<'_>,
        input: AppointInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::Appoint(cadre::Appoint {
            cadre_id: input.cadre_id,
            unit_id: input.unit_id,
            post_id: input.post_id,
            manner: input.manner.into(),
            reason: input.reason.into(),
            change_category: input.change_category.into(),
            status: input.status.into(),
            nominated_by: input.nominated_by,
            approved_by: input.approved_by,
            decided_on: input.decided_on.0,
            document_number: input.document_number,
            probation_until: input.probation_until.map(|d| d.0),
        });
        run::<cadre::Aggregate>(ctx, ORG, "办理任职", meta, cmd).await
    }

    /// 免职 (removal from a post).
    async fn remove_from_post(
        &self,
        ctx: &Context<'_>,
        input: RemoveInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::Remove(cadre::Remove {
            cadre_id: input.cadre_id,
            unit_id: input.unit_id,
            post_id: input.post_id,
            manner: input.manner.into(),
            reason: input.reason.into(),
            approved_by: input.approved_by,
            decided_on: input.decided_on.0,
            document_number: input.document_number,
        });
        run::<cadre::Aggregate>(ctx, ORG, "办理免职", meta, cmd).await
    }

    /// 交流 (rotation).
    async fn rotate(&self, ctx: &Context<'_>, input: RotateInput, meta: Option<CommandMeta>) -> R {
        let cmd = cadre::Command::Rotate(cadre::Rotate {
            cadre_id: input.cadre_id,
            kind: input.kind.into(),
            reason: input.reason,
            from_post_id: input.from_post_id,
            to_unit_id: input.to_unit_id,
            to_post_id: input.to_post_id,
            approved_by: input.approved_by,
            document_number: input.document_number,
        });
        run::<cadre::Aggregate>(ctx, ORG, "办理交流", meta, cmd).await
    }

    /// Change the leadership level (职务层次); null clears it.
    async fn change_leadership_level(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        level: Option<LeadershipLevel>,
        document_number: Option<String>,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::ChangeLeadershipLevel {
            cadre_id,
            level: level.map(Into::into),
            document_number,
        };
        run::<cadre::Aggregate>(ctx, ORG, "调整职务层次", meta, cmd).await
    }

    /// 职级晋升 (minimum years, no open sanction or admonition, no 不称职, public notice…).
    async fn promote_rank(
        &self,
        ctx: &Context<'_>,
        input: PromoteRankInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::PromoteRank {
            cadre_id: input.cadre_id,
            to: input.to.into(),
            document_number: input.document_number,
            approved_by: input.approved_by,
            quota_year: input.quota_year,
        };
        run::<cadre::Aggregate>(ctx, ORG, "办理职级晋升", meta, cmd).await
    }

    /// 降低职级 one level, on a decision's `documentNumber` (refused without one); settles the
    /// lowering a 不称职 year left pending (its reason is then optional).
    async fn lower_rank(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        reason: String,
        document_number: Option<String>,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::LowerRank {
            cadre_id,
            reason,
            document_number,
        };
        run::<cadre::Aggregate>(ctx, ORG, "降低职级", meta, cmd).await
    }

    /// 年度考核: one grade for one year, with its consequences, under the unit's 优秀 share cap
    /// (recorded on the unit's assessment for the year as well as on the cadre's record).
    async fn record_grade(
        &self,
        ctx: &Context<'_>,
        input: RecordGradeInput,
        meta: Option<CommandMeta>,
    ) -> R {
        // One grade is a batch of one: it counts against the unit's assessment for the year
        // (the 优秀 share cap) and is written to both streams in one atomic append.
        let basis = meta.as_ref().and_then(|m| m.basis.clone());
        let cmd = assessment::Command::RecordGrades {
            key: assessment::stream_key(&input.unit_id, input.year),
            unit_id: input.unit_id,
            year: input.year,
            category: input.category.into(),
            entries: vec![assessment::GradeEntry {
                cadre_id: input.cadre_id,
                grade: input.grade.map(Into::into),
                evaluation_id: input.evaluation_id,
            }],
            basis,
        };
        run::<assessment::Aggregate>(ctx, ORG, "登记考核等次", meta, cmd).await
    }

    /// 奖励 (嘉奖, 三等功, 其他表彰). 骏马奖 and 三好 come only from their batch
    /// (`announceSteedBatch`, `announceThreeGood`): refused here (`AWARD_KIND_BY_BATCH_ONLY`).
    async fn grant_award(
        &self,
        ctx: &Context<'_>,
        input: GrantAwardInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let kind: dossier_domain::types::AwardKind = input.kind.into();
        // 骏马奖 and 三好 come only from their batch: a single grant is refused whatever source
        // it names (the cadre stream accepts them only as the batch writes them).
        crate::auth::require(ctx, ORG, "登记奖励")?;
        dossier_domain::award::check_single_grant(kind)
            .map_err(|e| crate::error::ApiError::from(e).into_gql())?;
        let basis = meta.as_ref().and_then(|m| m.basis.clone());
        let cmd = cadre::Command::GrantAward {
            cadre_id: input.cadre_id,
            award_id: input.award_id,
            kind,
            title: input.title,
            year: input.year,
            basis,
            source: input.source,
            evaluation_id: input.evaluation_id,
        };
        run::<cadre::Aggregate>(ctx, ORG, "登记奖励", meta, cmd).await
    }

    /// Revoke an award recorded on a cadre's own stream (batch awards are revoked with `revokeAward`).
    async fn revoke_cadre_award(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        award_id: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::RevokeAward {
            cadre_id,
            award_id,
            reason,
        };
        run::<cadre::Aggregate>(ctx, ORG, "撤销奖励", meta, cmd).await
    }

    /// 处分.
    async fn impose_sanction(
        &self,
        ctx: &Context<'_>,
        input: ImposeSanctionInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::ImposeSanction {
            cadre_id: input.cadre_id,
            sanction_id: input.sanction_id,
            kind: input.kind.into(),
            reason: input.reason,
            decided_by: input.decided_by,
            document_number: input.document_number,
        };
        run::<cadre::Aggregate>(ctx, crate::auth::SUPERVISORS, "登记处分", meta, cmd).await
    }

    /// 诫勉.
    async fn issue_admonition(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        admonition_id: String,
        reason: String,
        improve_months: Option<u32>,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::IssueAdmonition {
            cadre_id,
            admonition_id,
            reason,
            improve_months,
        };
        run::<cadre::Aggregate>(ctx, crate::auth::SUPERVISORS, "登记诫勉", meta, cmd).await
    }

    /// 立案审查调查.
    async fn open_investigation(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        case_id: String,
        authority: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::OpenInvestigation {
            cadre_id,
            case_id,
            authority,
            reason,
        };
        run::<cadre::Aggregate>(ctx, crate::auth::SUPERVISORS, "登记立案审查", meta, cmd).await
    }

    /// 审查调查结束.
    async fn close_investigation(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        case_id: String,
        outcome: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::CloseInvestigation {
            cadre_id,
            case_id,
            outcome,
        };
        run::<cadre::Aggregate>(ctx, crate::auth::SUPERVISORS, "登记审查结束", meta, cmd).await
    }

    /// 公示 starts.
    async fn start_public_notice(
        &self,
        ctx: &Context<'_>,
        input: StartPublicNoticeInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::StartPublicNotice {
            cadre_id: input.cadre_id,
            notice_id: input.notice_id,
            purpose: input.purpose,
            target_rank: input.target_rank.map(Into::into),
            ends_on: input.ends_on.0,
        };
        run::<cadre::Aggregate>(ctx, ORG, "发布公示", meta, cmd).await
    }

    /// 公示 ends (an upheld objection stops what it announced).
    async fn end_public_notice(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        notice_id: String,
        objection_upheld: bool,
        note: Option<String>,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::EndPublicNotice {
            cadre_id,
            notice_id,
            objection_upheld,
            note,
        };
        run::<cadre::Aggregate>(ctx, ORG, "结束公示", meta, cmd).await
    }

    /// 试用期 starts.
    async fn start_probation(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        post_id: String,
        ends_on: Date,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::StartProbation {
            cadre_id,
            post_id,
            ends_on: ends_on.0,
        };
        run::<cadre::Aggregate>(ctx, ORG, "开始试用期", meta, cmd).await
    }

    /// 试用期 ends.
    async fn end_probation(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        passed: bool,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::EndProbation { cadre_id, passed };
        run::<cadre::Aggregate>(ctx, ORG, "结束试用期", meta, cmd).await
    }

    /// 挂职 starts.
    async fn start_secondment(
        &self,
        ctx: &Context<'_>,
        input: StartSecondmentInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::StartSecondment {
            cadre_id: input.cadre_id,
            secondment_id: input.secondment_id,
            host_unit: input.host_unit,
            host_post: input.host_post,
            ends_on: input.ends_on.0,
            document_number: input.document_number,
        };
        run::<cadre::Aggregate>(ctx, ORG, "开始挂职", meta, cmd).await
    }

    /// 挂职 ends.
    async fn end_secondment(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        secondment_id: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::EndSecondment {
            cadre_id,
            secondment_id,
        };
        run::<cadre::Aggregate>(ctx, ORG, "结束挂职", meta, cmd).await
    }

    /// 辞退 case.
    async fn open_dismissal_case(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        case_id: String,
        reason: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::OpenDismissalCase {
            cadre_id,
            case_id,
            reason,
        };
        run::<cadre::Aggregate>(ctx, ORG, "启动辞退程序", meta, cmd).await
    }

    /// Decide a 辞退 case: `dismissed: true` on the decision's `documentNumber` (every post
    /// ends on the effective date, and the cadre's service with them); `dismissed: false`
    /// with the `reasons`.
    async fn decide_dismissal(
        &self,
        ctx: &Context<'_>,
        input: DecideDismissalInput,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::DecideDismissal {
            cadre_id: input.cadre_id,
            case_id: input.case_id,
            dismissed: input.dismissed,
            document_number: input.document_number,
            reasons: input.reasons,
        };
        run::<cadre::Aggregate>(ctx, ORG, "作出辞退决定", meta, cmd).await
    }

    /// Close a decided 辞退 case.
    async fn close_dismissal_case(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
        case_id: String,
        #[graphql(default)] note: String,
        meta: Option<CommandMeta>,
    ) -> R {
        let cmd = cadre::Command::CloseDismissalCase {
            cadre_id,
            case_id,
            note,
        };
        run::<cadre::Aggregate>(ctx, ORG, "辞退案件结案", meta, cmd).await
    }
}
