//! Stream kind `selection` (`selection-<case id>`, 选任纪实): a selection case from 动议 through 民主推荐, 考察, 廉政意见,
//! 讨论决定 and 任前公示 to 任职 and the 试用期, every step an event; out-of-order steps and unmet thresholds are refused.

mod appointment;
mod carry_out;
mod commands;
mod course;
mod decision;
mod events;
mod guards;
mod inspection;
mod integrity;
mod kinship;
mod motion;
mod notice;
mod obstacles;
mod probation;
mod recommendation;
mod state;

use std::collections::BTreeMap;

pub use carry_out::{cadre_commands, reserve_marks};
pub use commands::*;
pub use events::*;
pub use obstacles::promotion_obstacles;
pub use state::{Candidate, CandidateStatus, Objection, Stage, State};

use crate::{
    aggregate, cadre,
    context::{Context, ORG, Role},
    error::DomainError,
    practice,
    staffing::QuotaFact,
    unit::{self, PostFact, PostRef},
};
use guards::{not_cancelled, open_case, unreachable_move};

/// Facts from other streams a selection decision reads, loaded by the application.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The records of the cadres the command names (`Command::cadre_ids`).
    pub cadres: BTreeMap<String, cadre::State>,
    /// The case unit's name, when the unit is registered.
    pub unit_name: Option<String>,
    /// The posts the command names in the case's unit, with the cadres holding each now.
    pub posts: Vec<(PostFact, Vec<String>)>,
    /// The unit's quota in force on the effective date, with its filled posts.
    pub quota: Option<QuotaFact>,
    /// For a motion: the other cases of the unit still open (neither appointed, cancelled nor
    /// archived), with the posts each is filling.
    pub open_cases: Vec<OpenCase>,
}

/// A case of the unit still filling its posts.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenCase {
    pub case_id: String,
    pub posts: Vec<TargetPost>,
}

impl Facts {
    fn cadre(&self, cadre_id: &str) -> Result<&cadre::State, DomainError> {
        self.cadres.get(cadre_id).ok_or_else(|| {
            DomainError::not_found(
                "CADRE_NOT_FOUND",
                format!("干部「{cadre_id}」不存在或已不在册"),
            )
        })
    }

    fn post(
        &self,
        unit_id: &str,
        post_id: &str,
        cadre_id: &str,
        action: &str,
    ) -> Result<&PostFact, DomainError> {
        let found = self
            .posts
            .iter()
            .find(|(p, _)| p.unit_id == unit_id && p.post_id == post_id);
        let target = PostRef {
            unit_id: unit_id.to_owned(),
            post_id: post_id.to_owned(),
        };
        let holders = found.map(|(_, h)| h.as_slice()).unwrap_or(&[]);
        unit::vacant_post(&target, found.map(|(p, _)| p), holders, cadre_id, action)
    }
}

/// The `selection` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "selection";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Facts;

    fn id_of(command: &Command) -> &str {
        command.case_id()
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        facts: &Facts,
    ) -> Result<Vec<Event>, DomainError> {
        if let Command::Move(c) = command {
            return motion::move_case(state, c, ctx, facts);
        }
        let case_id = command.case_id().to_owned();
        let stage = open_case(state, &case_id)?;
        ctx.require_role(ORG, "选任程序")?;
        let on = ctx.effective;
        practice::not_future(on, ctx, "办理日期")?;
        if let Some(last) = state.last_step_on {
            practice::not_before(on, last, "本环节", "上一环节")?;
        }
        if !matches!(command, Command::Archive { .. }) {
            not_cancelled(state)?;
        }
        let paused_ok = matches!(command, Command::Resume { .. } | Command::Cancel { .. });
        if let Some(reason) = &state.paused
            && !paused_ok
        {
            return Err(DomainError::refused(
                "SELECTION_PAUSED",
                format!("选任案件「{case_id}」已暂停 ({reason}), 恢复后方可继续办理"),
            ));
        }
        match command {
            Command::Move(_) => unreachable_move(),
            Command::Recommend(c) => recommendation::recommend(state, c, ctx, stage),
            Command::Inspect(c) => inspection::inspect(state, c, ctx, facts, stage),
            Command::RequestIntegrity(c) => integrity::request_integrity(state, c, ctx, stage),
            Command::ReplyIntegrity(c) => integrity::reply_integrity(state, c, ctx, facts, stage),
            Command::Decide(c) => decision::decide_meeting(state, c, ctx, facts, stage),
            Command::StartNotice(c) => notice::start_notice(state, c, ctx, stage),
            Command::ReceiveObjection(c) => notice::receive_objection(state, c, ctx, stage),
            Command::HandleObjection(c) => notice::handle_objection(state, c, ctx, stage),
            Command::EndNotice(_) => notice::end_notice(state, ctx, stage),
            Command::Appoint(c) => appointment::appoint(state, c, ctx, facts, stage),
            Command::ConfirmProbation {
                cadre_id, document, ..
            } => probation::confirm(state, cadre_id, document.as_deref(), ctx, stage),
            Command::FailProbation {
                cadre_id,
                reason,
                document,
                ..
            } => probation::fail(
                state,
                cadre_id,
                reason,
                document.as_deref(),
                (ctx, facts),
                stage,
            ),
            Command::Pause { reason, .. } => course::pause(state, reason, ctx, stage),
            Command::Resume { .. } => course::resume(state, ctx),
            Command::Cancel { reason, .. } => course::cancel(state, reason, ctx, stage),
            Command::Archive { .. } => course::archive(state, ctx, stage),
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        state.apply(event);
    }
}

/// Roles that read selection cases.
pub const READERS: &[Role] = &[
    Role::OrgAdmin,
    Role::DisciplineInspector,
    Role::Auditor,
    Role::System,
];
