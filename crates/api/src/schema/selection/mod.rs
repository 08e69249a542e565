//! Selection (选任纪实) and post quotas (职数): the mutations of every step of a case, the case's whole record as of a date, and a unit's quota against its filled posts.

use async_graphql::{Context, Object};
use dossier_domain::{
    reserve, selection,
    staffing::{self},
};

mod inputs;
mod reads;
pub use inputs::*;
pub use reads::*;

use crate::{
    auth::ORG,
    schema::command::{CommandMeta, CommandResult, run},
};
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

/// The 文号 of the document a step issues is the basis (文件依据) of every event its write appends
/// (the case's and each person's), unless `meta.basis` names one.
fn on_document(meta: Option<CommandMeta>, document: Option<&str>) -> Option<CommandMeta> {
    let document = document.map(str::trim).filter(|d| !d.is_empty());
    let Some(document) = document else {
        return meta;
    };
    let mut meta = meta.unwrap_or_default();
    if meta.basis.as_deref().is_none_or(|b| b.trim().is_empty()) {
        meta.basis = Some(document.to_owned());
    }
    Some(meta)
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
        let meta = on_document(meta, Some(&input.number));
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
        let meta = on_document(meta, document.as_deref());
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
        let meta = on_document(meta, document.as_deref());
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
