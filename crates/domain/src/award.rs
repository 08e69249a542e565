//! Stream kind `award`: placeholder until its commands and events land.

use crate::{aggregate, context::Context, error::DomainError};

crate::event_set! {
    /// Events of a `award` stream.
    pub enum Event {}
}

/// Folded state of a `award` stream.
#[derive(Debug, Clone, Default)]
pub struct State;

/// Commands a `award` stream accepts.
#[derive(Debug, Clone)]
pub enum Command {}

/// The `award` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "award";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = ();

    fn id_of(command: &Command) -> &str {
        match *command {}
    }

    fn decide(
        _: &State,
        command: &Command,
        _: &Context<'_>,
        _: &(),
    ) -> Result<Vec<Event>, DomainError> {
        match *command {}
    }

    fn evolve(_: &mut State, event: &Event) {
        match *event {}
    }
}
