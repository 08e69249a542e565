//! Stream kind `down` (“能上能下” review, 不适宜担任现职): findings, a committee decision with one method, execution or closing.
//! This file holds the aggregate: the dispatch of each command to the file of its procedure.

mod commands;
mod decision;
mod events;
mod facts;
mod open;
mod situation;
mod state;
#[cfg(test)]
mod tests;

pub use commands::*;
pub use events::*;
pub use facts::{Facts, TargetFact, check_target};
pub use situation::{Situation, Trigger};
pub use state::{Review, State, Status};

pub use crate::types::DownMethod as Method;
pub use crate::unit::PostRef as TargetPost;

use crate::{
    aggregate,
    context::{Context, Role},
    error::DomainError,
    practice,
};

/// The `down` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "down";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Facts;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Open(c) => &c.review_id,
            Command::RecordFindings(c) => &c.review_id,
            Command::Decide(c) => &c.review_id,
            Command::Execute(c) => &c.review_id,
            Command::CloseWithoutAction(c) => &c.review_id,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        facts: &Facts,
    ) -> Result<Vec<Event>, DomainError> {
        practice::require_role(ctx, &[Role::OrgAdmin, Role::System], "“能上能下”研判")?;
        practice::not_future(ctx.effective, ctx, "办理日期")?;
        let on = ctx.effective;
        match command {
            Command::Open(c) => open::open(state, c, ctx, facts),
            Command::RecordFindings(c) => decision::record_findings(state, c, on),
            Command::Decide(c) => decision::decide(state, c, ctx, facts),
            Command::Execute(c) => decision::execute(state, c, ctx, facts),
            Command::CloseWithoutAction(c) => decision::close_without_action(state, c, on),
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        state::evolve(state, event);
    }
}
