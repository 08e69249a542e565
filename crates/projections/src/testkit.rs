//! Recording domain decisions into a store: decide a command against its stream's folded state and append the events.
//!
//! For tests, benchmarks and data generation; the API crate has its own command handling.

use std::{any::Any, collections::HashMap};

use chrono::NaiveDate;
use dossier_domain::{Actor, Aggregate, Context, DomainError, EventSet, Policy, Role};
use dossier_store::{ExpectedVersion, Metadata, NewEvent, Store, StoreError};

/// A command could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("payload: {0}")]
    Payload(#[from] serde_json::Error),
}

/// Decides commands and appends their events, keeping each stream's folded state in memory.
pub struct Recorder {
    pub store: Store,
    pub actor: Actor,
    pub policy: Policy,
    /// The recording date (the "today" of decisions).
    pub today: NaiveDate,
    states: HashMap<String, (Box<dyn Any + Send>, u64)>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("streams", &self.states.len())
            .finish()
    }
}

/// Encode domain events for the store.
pub fn to_new_events<E: EventSet>(
    events: &[E],
    effective: NaiveDate,
) -> Result<Vec<NewEvent>, serde_json::Error> {
    events
        .iter()
        .map(|e| {
            Ok(NewEvent::new(
                e.event_type(),
                e.schema_version(),
                e.to_payload()?,
                effective,
            ))
        })
        .collect()
}

impl Recorder {
    /// A recorder acting as an organization-department administrator, recording on `today`.
    pub fn new(store: Store, today: NaiveDate) -> Self {
        Recorder {
            store,
            actor: Actor::new("org-admin", Role::OrgAdmin),
            policy: Policy::national_default(),
            today,
            states: HashMap::new(),
        }
    }

    /// Decide `command` effective on `effective` and append the events. Returns the last position written
    /// (the stream's current head position when the decision emitted nothing).
    pub async fn exec<A: Aggregate>(
        &mut self,
        command: A::Command,
        facts: A::Facts,
        effective: NaiveDate,
    ) -> Result<u64, RecordError>
    where
        A::State: Send + 'static,
    {
        let stream_id = A::stream_id(A::id_of(&command));
        let (state_box, version) = self
            .states
            .entry(stream_id.clone())
            .or_insert_with(|| (Box::new(A::State::default()), 0));
        let Some(state) = state_box.downcast_mut::<A::State>() else {
            unreachable!("one stream id always holds one aggregate kind")
        };
        let ctx = Context {
            actor: &self.actor,
            effective,
            today: self.today.max(effective),
            policy: &self.policy,
        };
        let events = A::decide(state, &command, &ctx, &facts)?;
        if events.is_empty() {
            return Ok(0);
        }
        let new = to_new_events(&events, effective)?;
        let expected = if *version == 0 {
            ExpectedVersion::NoStream
        } else {
            ExpectedVersion::Exact(*version)
        };
        let result = self
            .store
            .append(
                &stream_id,
                expected,
                new,
                Metadata::new(self.actor.id.clone(), format!("{:?}", self.actor.role)),
            )
            .await?;
        for e in &events {
            A::evolve(state, e);
        }
        *version = result.stream_version;
        Ok(result.last_position)
    }

    /// Append already-decided events to a stream (no decision; for events the domain emits elsewhere).
    pub async fn append<E: EventSet>(
        &mut self,
        stream_id: &str,
        events: &[E],
        effective: NaiveDate,
    ) -> Result<u64, RecordError> {
        let new = to_new_events(events, effective)?;
        let result = self
            .store
            .append(
                stream_id,
                ExpectedVersion::Any,
                new,
                Metadata::new(self.actor.id.clone(), "OrgAdmin"),
            )
            .await?;
        Ok(result.last_position)
    }
}
