//! The decider pattern every stream kind implements: `decide` and `evolve`, both pure.

use crate::{context::Context, error::DomainError, event::EventSet};

/// One kind of event stream (a cadre, a unit, a training class, …).
///
/// `decide` looks at the state folded from the stream, the command, the context
/// (actor, dates, policy in force) and any facts the application loaded from
/// other streams, and returns the events to append — or a refusal that names
/// the rule. `evolve` folds one event into the state. Neither does I/O.
pub trait Aggregate {
    /// Stream kind; stream ids are `"{KIND}-{id}"` and event types `"{KIND}.{Name}"`.
    const KIND: &'static str;
    /// State folded from the stream's events.
    type State: Default + Clone + std::fmt::Debug;
    /// The commands this stream accepts.
    type Command: std::fmt::Debug;
    /// The events this stream holds.
    type Event: EventSet;
    /// Facts from other streams a decision needs, loaded by the application
    /// (for most kinds, `()`).
    type Facts: Default;

    /// The id of the stream a command targets (without the kind prefix).
    fn id_of(command: &Self::Command) -> &str;

    /// Decide what happens: the events to append, or a refusal.
    fn decide(
        state: &Self::State,
        command: &Self::Command,
        ctx: &Context<'_>,
        facts: &Self::Facts,
    ) -> Result<Vec<Self::Event>, DomainError>;

    /// Fold one event into the state.
    fn evolve(state: &mut Self::State, event: &Self::Event);

    /// The full stream id for an entity id.
    fn stream_id(id: &str) -> String {
        format!("{}-{}", Self::KIND, id)
    }

    /// Fold a sequence of events from the default state.
    fn fold<'e>(events: impl IntoIterator<Item = &'e Self::Event>) -> Self::State
    where
        Self::Event: 'e,
    {
        let mut state = Self::State::default();
        for event in events {
            Self::evolve(&mut state, event);
        }
        state
    }
}
