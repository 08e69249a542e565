//! A given/when/then harness for rule tests: `given(events).when(command).then_events(..)` / `.then_error(..)`.

use chrono::NaiveDate;

use crate::{
    aggregate::Aggregate,
    context::{Actor, Context, Role},
    error::DomainError,
    policy::Policy,
};

/// Start a scenario for aggregate `A` from the events already in its stream.
pub fn given<A: Aggregate>(events: impl IntoIterator<Item = A::Event>) -> Given<A> {
    let date = NaiveDate::from_ymd_opt(2025, 6, 30).expect("valid date");
    Given {
        events: events.into_iter().collect(),
        facts: A::Facts::default(),
        policy: Policy::national_default(),
        actor: Actor::new("org-admin", Role::OrgAdmin),
        effective: date,
        today: date,
    }
}

/// A scenario's preconditions.
pub struct Given<A: Aggregate> {
    events: Vec<A::Event>,
    facts: A::Facts,
    policy: Policy,
    actor: Actor,
    effective: NaiveDate,
    today: NaiveDate,
}

impl<A: Aggregate> Given<A> {
    /// Facts from other streams the decision may read.
    pub fn with_facts(mut self, facts: A::Facts) -> Self {
        self.facts = facts;
        self
    }

    /// The policy in force (default: the national defaults).
    pub fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// Who issues the command (default: an organization-department admin).
    pub fn as_actor(mut self, actor: Actor) -> Self {
        self.actor = actor;
        self
    }

    /// The command takes effect and is recorded on `date`.
    pub fn on(mut self, date: NaiveDate) -> Self {
        self.effective = date;
        self.today = date;
        self
    }

    /// The command takes effect on `effective` and is recorded on `today`.
    pub fn effective(mut self, effective: NaiveDate, today: NaiveDate) -> Self {
        self.effective = effective;
        self.today = today;
        self
    }

    /// Decide the command against the folded state.
    pub fn when(self, command: A::Command) -> Then<A> {
        let state = A::fold(self.events.iter());
        let ctx = Context {
            actor: &self.actor,
            effective: self.effective,
            today: self.today,
            policy: &self.policy,
        };
        let result = A::decide(&state, &command, &ctx, &self.facts);
        if let Ok(events) = &result {
            // Every event a decision emits must fold without trouble.
            let mut next = state.clone();
            for e in events {
                A::evolve(&mut next, e);
            }
        }
        Then { state, result }
    }
}

/// A scenario's outcome.
pub struct Then<A: Aggregate> {
    state: A::State,
    result: Result<Vec<A::Event>, DomainError>,
}

impl<A: Aggregate> Then<A> {
    /// Assert the decision produced exactly these events.
    #[track_caller]
    pub fn then_events(self, expected: impl IntoIterator<Item = A::Event>) -> Vec<A::Event> {
        let expected: Vec<A::Event> = expected.into_iter().collect();
        match self.result {
            Ok(events) => {
                assert_eq!(events, expected, "decision produced other events");
                events
            }
            Err(e) => panic!("expected events {expected:?}, got refusal {e}"),
        }
    }

    /// Assert the decision succeeded; return its events for closer checks.
    #[track_caller]
    pub fn then_ok(self) -> Vec<A::Event> {
        match self.result {
            Ok(events) => events,
            Err(e) => panic!("expected the command to be accepted, got refusal {e}"),
        }
    }

    /// Assert the decision was refused with this rule code; return the error.
    #[track_caller]
    pub fn then_error(self, code: &str) -> DomainError {
        match self.result {
            Ok(events) => panic!("expected refusal {code}, got events {events:?}"),
            Err(e) => {
                assert_eq!(e.code(), code, "refused by another rule: {e}");
                assert!(!e.message().is_empty(), "a refusal must explain itself");
                e
            }
        }
    }

    /// The state the command was decided against.
    pub fn state(&self) -> &A::State {
        &self.state
    }
}
