//! Command execution: read the stream, fold, take the policy in force, gather facts, decide, append, wait for the read models.

use std::{future::Future, sync::Arc, time::Duration};

use chrono::{FixedOffset, NaiveDate, Utc};
use dossier_domain::{Actor, Aggregate, Context, EventSet, Policy, bounds};
use dossier_store::{
    AppendResult, CommandOrigin, ExclusiveGuard, ExpectedVersion, Metadata, NewEvent, Store,
    StoreError, StreamRange, StreamWrite,
};
use serde::Serialize;
use uuid::Uuid;

use crate::{error::ApiError, facts_index::FactIndex, idempotency, state::Projections};

mod batch;
mod history;
pub use batch::{Entry, EntryResult};

/// How a command is to be applied: when it takes effect, on which document,
/// against which version, under which idempotency key.
#[derive(Debug, Clone)]
pub struct CommandEnvelope<C> {
    pub command: C,
    /// 生效日期: the policy in force on this date decides.
    pub effective: NaiveDate,
    /// 文件依据: the document the fact rests on (e.g. "泰姜组〔2025〕12号").
    pub basis: Option<String>,
    /// Refuse with CONFLICT unless the stream is at this version.
    pub expected_version: Option<u64>,
    /// A retried command with the same id returns the first result.
    pub command_id: Option<String>,
    /// Ties the events of one user action together.
    pub correlation_id: Option<String>,
    /// Decide only: return the events that would be appended (or the refusal) and append
    /// nothing, not even the command id.
    pub dry_run: bool,
}

impl<C> CommandEnvelope<C> {
    /// A command taking effect on `effective`, with no basis, version or id.
    pub fn new(command: C, effective: NaiveDate) -> Self {
        CommandEnvelope {
            command,
            effective,
            basis: None,
            expected_version: None,
            command_id: None,
            correlation_id: None,
            dry_run: false,
        }
    }

    /// Decide only, append nothing.
    pub fn dry_run(mut self) -> Self {
        self.dry_run = true;
        self
    }

    pub fn basis(mut self, basis: impl Into<String>) -> Self {
        self.basis = Some(basis.into());
        self
    }

    pub fn expected_version(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }

    pub fn command_id(mut self, id: impl Into<String>) -> Self {
        self.command_id = Some(id.into());
        self
    }
}

/// One event a command appended.
#[derive(Debug, Clone, Serialize)]
pub struct AppendedEvent {
    pub stream_id: String,
    pub position: u64,
    pub stream_version: u64,
    pub event_type: String,
    pub schema_version: u32,
    pub payload: String,
}

/// What a command did.
#[derive(Debug, Clone, Serialize)]
pub struct CommandOutcome {
    /// The stream the command targeted.
    pub stream_id: String,
    /// Its version after the command.
    pub stream_version: u64,
    /// The log position of the last appended event (the head if nothing was appended).
    pub position: u64,
    /// The events appended, in order (across streams for cross-stream commands).
    pub events: Vec<AppendedEvent>,
    /// True when the command id had been seen: this is the first result again.
    pub deduplicated: bool,
    /// A dry run: the events are those that would be appended now (positions and versions as
    /// they would be if nothing else were appended first); nothing was written.
    pub dry_run: bool,
}

/// How often a command under a cross-stream guard is decided again when another process
/// appended such a command first, before the caller gets the retryable refusal.
const EXCLUSIVE_ATTEMPTS: u32 = 8;

/// Why one decision did not give an answer: the guard refused it (decide again), or a failure.
enum Retry {
    Moved(StoreError),
    Failed(ApiError),
}

impl From<ApiError> for Retry {
    fn from(e: ApiError) -> Self {
        Retry::Failed(e)
    }
}

impl From<dossier_domain::DomainError> for Retry {
    fn from(e: dossier_domain::DomainError) -> Self {
        Retry::Failed(e.into())
    }
}

/// Gathers the facts from other streams a kind's decisions need.
///
/// Kinds whose `Facts` is `()` implement it through [`no_facts!`]; the others
/// read the store or the read models.
pub trait Handles: Aggregate + Sized + 'static
where
    Self::Command: Send + Sync,
    Self::Facts: Send,
{
    fn facts(
        service: &Service,
        command: &Self::Command,
        effective: NaiveDate,
    ) -> impl Future<Output = Result<Self::Facts, ApiError>> + Send;

    /// Must this command be decided and appended while no other such command is? True for
    /// commands whose rule spans streams the store cannot check on append (one ID number per
    /// cadre, one open down review per cadre): two of them at once could both pass. Default: no.
    fn exclusive(command: &Self::Command) -> bool {
        let _ = command;
        false
    }

    /// Events other streams must receive in the same atomic write (e.g. each
    /// graded cadre's `cadre.GradeRecorded` for an assessment batch). Default: none.
    fn follow_up(
        service: &Service,
        decided: &[Self::Event],
        ctx: &Context<'_>,
    ) -> impl Future<Output = Result<Vec<FollowUp>, ApiError>> + Send {
        let _ = (service, decided, ctx);
        async { Ok(Vec::new()) }
    }
}

/// Events for another stream, decided against its state at `version`.
#[derive(Debug, Clone)]
pub struct FollowUp {
    pub stream_id: String,
    pub version: u64,
    pub events: Vec<NewEvent>,
}

/// Which day it is, for "not in the future" checks.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// The wall clock, in China Standard Time (UTC+8).
    System,
    /// A fixed date (demo generation and tests).
    Fixed(NaiveDate),
}

impl Clock {
    pub fn today(self) -> NaiveDate {
        match self {
            Clock::System => {
                let now = Utc::now();
                FixedOffset::east_opt(8 * 3600).map_or_else(
                    || now.date_naive(),
                    |cst| now.with_timezone(&cst).date_naive(),
                )
            }
            Clock::Fixed(d) => d,
        }
    }
}

/// Executes commands against the log. Cheap to clone.
#[derive(Clone)]
pub struct Service {
    store: Store,
    projections: Projections,
    clock: Clock,
    wait_timeout: Duration,
    /// Facts across streams, followed from the log (see [`FactIndex`]).
    fact_index: Arc<tokio::sync::Mutex<FactIndex>>,
    /// Held by [`Handles::exclusive`] commands from their facts to their append.
    exclusive: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

/// The stream holding the district's published policies.
pub const POLICY_STREAM: &str = "policy-district";

impl Service {
    pub fn new(store: Store, projections: Projections) -> Self {
        Service {
            store,
            projections,
            clock: Clock::System,
            wait_timeout: Duration::from_secs(10),
            fact_index: Arc::default(),
            exclusive: Arc::default(),
        }
    }

    /// How long a command waits for the read models to apply its events.
    pub fn with_settle_timeout(mut self, timeout: Duration) -> Self {
        self.wait_timeout = timeout;
        self
    }

    /// Use another clock for "today".
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn projections(&self) -> &Projections {
        &self.projections
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// `e` with the cadres its messages name by id (干部「id」) named by name and id as well.
    pub fn named(&self, e: ApiError) -> ApiError {
        e.map_messages(|m| crate::naming::name_cadres(m, |id| self.projections.cadre_name(id)))
    }

    /// Decide `envelope.command` against its stream and append the result.
    pub async fn execute<A>(
        &self,
        actor: &Actor,
        envelope: CommandEnvelope<A::Command>,
    ) -> Result<CommandOutcome, ApiError>
    where
        A: Handles,
        A::Command: Send + Sync,
        A::Facts: Send,
    {
        self.writable()?;
        let dry_run = envelope.dry_run;
        let id = A::id_of(&envelope.command).trim().to_owned();
        if id.is_empty() {
            return Err(ApiError::validation("编号不能为空"));
        }
        bounds::id("编号", &id)?;
        bounds::date("生效日期", envelope.effective)?;
        let exclusive = A::exclusive(&envelope.command) && !dry_run;
        let _exclusive = if exclusive {
            Some(self.exclusive.lock().await)
        } else {
            None
        };
        let stream_id = A::stream_id(&id);
        // A retry of a command that already went through gets the stored answer (only the
        // principal that issued it, with the same input; anyone else a refusal).
        let origin = idempotency::origin(actor, &stream_id, &envelope);
        if let Some(command_id) = envelope.command_id.as_deref().filter(|_| !dry_run)
            && let Some(outcome) =
                idempotency::replay(&self.store, command_id, &stream_id, &origin).await?
        {
            return Ok(outcome);
        }
        // A rule spanning streams is decided on the facts as of the log's head read now (every
        // read below sees at least that far) and appended under a guard: if another process
        // sharing the log appended such a command since, the append is refused and the command
        // decided again on the new facts.
        let mut attempt = 1;
        loop {
            let guard = if exclusive {
                Some(ExclusiveGuard::new(self.head().await?))
            } else {
                None
            };
            match self
                .decide_and_append::<A>(actor, &envelope, &stream_id, &origin, guard)
                .await
            {
                Err(Retry::Moved(e)) if attempt < EXCLUSIVE_ATTEMPTS => {
                    tracing::debug!(attempt, error = %e, "cross-stream facts moved; deciding again");
                    attempt += 1;
                }
                Err(Retry::Moved(e)) => return Err(store_error(e, &stream_id)),
                Err(Retry::Failed(e)) => return Err(self.named(e)),
                Ok(outcome) => return Ok(outcome),
            }
        }
    }

    /// One decision of [`Service::execute`] against the current state and facts, and its append.
    async fn decide_and_append<A>(
        &self,
        actor: &Actor,
        envelope: &CommandEnvelope<A::Command>,
        stream_id: &str,
        origin: &CommandOrigin,
        guard: Option<ExclusiveGuard>,
    ) -> Result<CommandOutcome, Retry>
    where
        A: Handles,
        A::Command: Send + Sync,
        A::Facts: Send,
    {
        let dry_run = envelope.dry_run;
        let stream_id = stream_id.to_owned();
        let (state, version) = self.load::<A>(&stream_id).await?;
        if let Some(expected) = envelope.expected_version
            && expected != version
        {
            return Err(ApiError::Conflict {
                stream: stream_id,
                expected,
                actual: version,
            }
            .into());
        }
        let policy = self.policy_in_force(envelope.effective).await?;
        let facts = A::facts(self, &envelope.command, envelope.effective).await?;
        let today = self.today();
        let ctx = Context {
            actor,
            effective: envelope.effective,
            today,
            policy: &policy,
        };
        let decided = A::decide(&state, &envelope.command, &ctx, &facts)?;
        if decided.is_empty() {
            let head = self.head().await?;
            return Ok(CommandOutcome {
                stream_id,
                stream_version: version,
                position: head,
                events: vec![],
                deduplicated: false,
                dry_run,
            });
        }
        let events = to_new_events(&decided, envelope.effective)?;
        let follow_ups = A::follow_up(self, &decided, &ctx).await?;
        if dry_run {
            return Ok(self
                .would_append(&stream_id, version, &events, &follow_ups)
                .await?);
        }
        let expected = if version > 0 {
            ExpectedVersion::Exact(version)
        } else {
            ExpectedVersion::NoStream
        };
        let metadata = metadata(actor, envelope);
        let mut writes = vec![StreamWrite {
            stream_id: stream_id.clone(),
            expected,
            events: events.clone(),
        }];
        for f in &follow_ups {
            let expected = if f.version > 0 {
                ExpectedVersion::Exact(f.version)
            } else {
                ExpectedVersion::NoStream
            };
            writes.push(StreamWrite {
                stream_id: f.stream_id.clone(),
                expected,
                events: f.events.clone(),
            });
        }
        let results = match self
            .store
            .append_guarded(writes, metadata, Some(origin.clone()), guard)
            .await
        {
            Err(e @ StoreError::ExclusiveMoved { .. }) => return Err(Retry::Moved(e)),
            other => other.map_err(|e| store_error(e, &stream_id))?,
        };
        if results.iter().any(|r| r.deduplicated) {
            // The same command committed concurrently: its stored answer, not this decision.
            let outcome = idempotency::stored_outcome(&self.store, &results).await?;
            self.settle(outcome.position).await;
            return Ok(outcome);
        }
        let mut outcome = match results.first() {
            Some(first) => outcome_of(&stream_id, first, &events),
            None => {
                return Err(ApiError::internal("multi-stream append returned no result").into());
            }
        };
        for (result, f) in results.iter().skip(1).zip(&follow_ups) {
            let other = outcome_of(&f.stream_id, result, &f.events);
            outcome.position = outcome.position.max(other.position);
            outcome.events.extend(other.events);
        }
        self.settle(outcome.position).await;
        Ok(outcome)
    }

    /// The outcome a decided command would have: its events (and those of its follow-ups)
    /// numbered as the next positions and versions of their streams. Nothing is written.
    async fn would_append(
        &self,
        stream_id: &str,
        version: u64,
        events: &[NewEvent],
        follow_ups: &[FollowUp],
    ) -> Result<CommandOutcome, ApiError> {
        let head = self.head().await?;
        let mut position = head;
        let mut listed = Vec::new();
        let mut number = |stream: &str, from_version: u64, events: &[NewEvent]| {
            for (i, e) in events.iter().enumerate() {
                position += 1;
                listed.push(AppendedEvent {
                    stream_id: stream.to_owned(),
                    position,
                    stream_version: from_version + 1 + i as u64,
                    event_type: e.event_type.clone(),
                    schema_version: e.schema_version,
                    payload: e.payload.clone(),
                });
            }
        };
        number(stream_id, version, events);
        for f in follow_ups {
            number(&f.stream_id, f.version, &f.events);
        }
        Ok(CommandOutcome {
            stream_id: stream_id.to_owned(),
            stream_version: version + events.len() as u64,
            position,
            events: listed,
            deduplicated: false,
            dry_run: true,
        })
    }

    /// Append events decided elsewhere to several streams at once, all or nothing
    /// (cross-stream commands: one batch, one transaction).
    pub async fn append_decided(
        &self,
        actor: &Actor,
        envelope: &CommandEnvelope<()>,
        writes: Vec<(String, ExpectedVersion, Vec<NewEvent>)>,
    ) -> Result<Vec<CommandOutcome>, ApiError> {
        self.writable()?;
        let metadata = metadata(actor, envelope);
        let batch: Vec<StreamWrite> = writes
            .iter()
            .map(|(stream_id, expected, events)| StreamWrite {
                stream_id: stream_id.clone(),
                expected: *expected,
                events: events.clone(),
            })
            .collect();
        let first_stream = writes.first().map(|w| w.0.clone()).unwrap_or_default();
        let results = self
            .store
            .append_multi(batch, metadata)
            .await
            .map_err(|e| store_error(e, &first_stream))?;
        if results.iter().any(|r| r.deduplicated) {
            let outcome = idempotency::stored_outcome(&self.store, &results).await?;
            self.settle(outcome.position).await;
            return Ok(vec![outcome]);
        }
        let outcomes: Vec<CommandOutcome> = results
            .iter()
            .zip(writes.iter())
            .map(|(result, (stream_id, _, events))| outcome_of(stream_id, result, events))
            .collect();
        if let Some(last) = outcomes.iter().map(|o| o.position).max() {
            self.settle(last).await;
        }
        Ok(outcomes)
    }

    /// The state of stream `stream_id` folded from its events, and its version.
    pub async fn load<A: Aggregate>(&self, stream_id: &str) -> Result<(A::State, u64), ApiError> {
        if !self.store.stream_may_exist(stream_id) {
            // A new stream (an entry, an appeal, a class being created): nothing to read.
            return Ok((A::State::default(), 0));
        }
        let recorded = self
            .store
            .read_stream(stream_id, StreamRange::default())
            .await
            .map_err(ApiError::internal)?;
        let mut state = A::State::default();
        let mut version = 0;
        for e in &recorded {
            let event = A::Event::decode(&e.event_type, e.schema_version, &e.payload)
                .map_err(ApiError::internal)?;
            A::evolve(&mut state, &event);
            version = e.stream_version;
        }
        Ok((state, version))
    }

    /// Commands are taken only while the read models follow the log (their policy, facts and
    /// read-your-writes depend on it): while the runner is down, a retryable UNAVAILABLE.
    fn writable(&self) -> Result<(), ApiError> {
        match self.projections.runner_fault() {
            Some(why) => Err(ApiError::unavailable(format!(
                "读模型运行器故障，正在自动重启（{why}）"
            ))),
            None => Ok(()),
        }
    }

    /// The policy in force on `date`: the district's published values, else the national defaults.
    ///
    /// Read from the policy read model once it has applied everything committed so far, so it
    /// is as current as reading the policy stream itself, without a query per command.
    pub async fn policy_in_force(&self, date: NaiveDate) -> Result<Policy, ApiError> {
        let committed = self.store.committed();
        if self.projections.position() < committed {
            self.projections
                .wait_for(committed, self.wait_timeout)
                .await
                .map_err(|e| ApiError::unavailable(format!("读模型尚未追上事件日志（{e}）")))?;
        }
        Ok(self.projections.policy_on(date))
    }

    /// The cross-stream facts, caught up with the log's head.
    pub async fn fact_index(&self) -> Result<tokio::sync::MutexGuard<'_, FactIndex>, ApiError> {
        let mut index = self.fact_index.lock().await;
        index.catch_up(&self.store).await?;
        Ok(index)
    }

    /// The log's head position.
    pub async fn head(&self) -> Result<u64, ApiError> {
        self.store.head().await.map_err(ApiError::internal)
    }

    /// Wait (bounded) until the read models have applied `position`: read-your-writes.
    async fn settle(&self, position: u64) {
        if let Err(e) = self.projections.wait_for(position, self.wait_timeout).await {
            tracing::warn!(position, error = %e, "read models did not reach the appended position in time");
        }
    }
}

/// Turn decided events into events to append.
pub fn to_new_events<E: EventSet>(
    decided: &[E],
    effective: NaiveDate,
) -> Result<Vec<NewEvent>, ApiError> {
    decided
        .iter()
        .map(|e| {
            let payload = e.to_payload().map_err(ApiError::internal)?;
            // Every value must be in its range before it is recorded, whichever command
            // and resolver it came through.
            let value: serde_json::Value =
                serde_json::from_str(&payload).map_err(ApiError::internal)?;
            bounds::check_payload(&value)?;
            Ok(NewEvent {
                event_id: Some(Uuid::now_v7()),
                event_type: e.event_type().to_owned(),
                schema_version: e.schema_version(),
                payload,
                effective_at: effective,
            })
        })
        .collect()
}

/// The metadata every appended event carries: who, in which role, on which document, for which command.
pub fn metadata<C>(actor: &Actor, envelope: &CommandEnvelope<C>) -> Metadata {
    Metadata {
        actor: actor.id.clone(),
        role: crate::tokens::role_name(actor.role).to_owned(),
        command_id: envelope.command_id.clone(),
        correlation_id: envelope.correlation_id.clone(),
        causation_id: None,
        basis: envelope.basis.clone().filter(|b| !b.trim().is_empty()),
    }
}

fn outcome_of(stream_id: &str, result: &AppendResult, events: &[NewEvent]) -> CommandOutcome {
    CommandOutcome {
        stream_id: stream_id.to_owned(),
        stream_version: result.stream_version,
        position: result.last_position,
        events: events
            .iter()
            .enumerate()
            .map(|(i, e)| AppendedEvent {
                stream_id: stream_id.to_owned(),
                position: result.first_position + i as u64,
                stream_version: result.stream_version + 1 + i as u64 - events.len() as u64,
                event_type: e.event_type.clone(),
                schema_version: e.schema_version,
                payload: e.payload.clone(),
            })
            .collect(),
        deduplicated: result.deduplicated,
        dry_run: false,
    }
}

/// Map a store failure once: a version conflict is the caller's, anything else is ours.
pub fn store_error(e: StoreError, stream_id: &str) -> ApiError {
    match e {
        StoreError::Conflict { expected, actual } => ApiError::Conflict {
            stream: stream_id.to_owned(),
            expected: match expected {
                ExpectedVersion::Exact(v) => v,
                ExpectedVersion::NoStream | ExpectedVersion::Any => 0,
            },
            actual,
        },
        // One write naming a stream twice: the input listed the same cadre (or other
        // record) twice, and the domain did not catch it.
        StoreError::DuplicateStream { stream_id } => {
            ApiError::validation(match stream_id.strip_prefix("cadre-") {
                Some(cadre_id) => format!("干部「{cadre_id}」在本次批量输入中出现了不止一次"),
                None => format!("记录 {stream_id} 在本次批量输入中出现了不止一次"),
            })
        }
        // A command id used before by someone else, with another input or on other streams.
        StoreError::IdempotencyKeyReused { command_id }
        | StoreError::CommandIdReused { command_id, .. } => idempotency::reused(&command_id),
        // Another process sharing the log appended a command under a cross-stream rule first,
        // again and again: nothing written; the same request decides again on the new facts.
        StoreError::ExclusiveMoved { after, at } => ApiError::Unavailable {
            code: "CONCURRENT_DECISION",
            message: format!(
                "跨流规则（身份证号唯一、回避等）判定期间，另一副本提交了同类命令（判定依据位置 {after}，\
                 对方位置 {at}），本命令未写入任何事件，请重试"
            ),
        },
        other => ApiError::store_fault(&other),
    }
}

/// Implement [`Handles`] for kinds whose decisions need no facts.
#[macro_export]
macro_rules! no_facts {
    ($($kind:path),* $(,)?) => {
        $(impl $crate::service::Handles for $kind {
            async fn facts(_: &$crate::service::Service, _: &<Self as ::dossier_domain::Aggregate>::Command, _: ::chrono::NaiveDate) -> Result<(), $crate::error::ApiError> {
                Ok(())
            }
        })*
    };
}

/// The stream where reads of supervision details are recorded.
pub const ACCESS_LOG_STREAM: &str = "access-log";
/// The event type of one recorded read.
pub const ACCESS_EVENT_TYPE: &str = dossier_domain::event::ACCESS_READ;

impl Service {
    /// Record that `actor` read supervision details (`what`: the query; `ids`: streams or entities read).
    pub async fn record_access(
        &self,
        actor: &Actor,
        what: &str,
        ids: &[String],
    ) -> Result<(), ApiError> {
        let payload = serde_json::json!({
            "actor": actor.id,
            "role": crate::tokens::role_name(actor.role),
            "what": what,
            "ids": ids,
        });
        let event = NewEvent {
            event_id: Some(Uuid::now_v7()),
            event_type: ACCESS_EVENT_TYPE.to_owned(),
            schema_version: 1,
            payload: payload.to_string(),
            effective_at: self.today(),
        };
        let envelope = CommandEnvelope::new((), self.today());
        self.store
            .append(
                ACCESS_LOG_STREAM,
                ExpectedVersion::Any,
                vec![event],
                metadata(actor, &envelope),
            )
            .await
            .map_err(|e| store_error(e, ACCESS_LOG_STREAM))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cadre_named_twice_in_one_write_is_a_validation_error_naming_the_cadre() {
        let e = store_error(
            StoreError::DuplicateStream {
                stream_id: "cadre-c0042".into(),
            },
            "award-steed-2025-1",
        );
        assert_eq!(e.code(), "VALIDATION");
        assert!(e.to_string().contains("c0042"), "{e}");
    }

    #[test]
    fn any_other_store_failure_stays_internal() {
        let e = store_error(
            StoreError::Corrupt {
                position: 7,
                reason: "bad row".into(),
            },
            "cadre-c0042",
        );
        assert_eq!(e.code(), "INTERNAL");
    }

    #[test]
    fn a_store_that_cannot_write_is_retryable() {
        let e = store_error(StoreError::Closed, "cadre-c0042");
        assert_eq!(e.code(), "UNAVAILABLE");
        let e = store_error(
            StoreError::DiskFull {
                message: "full".into(),
            },
            "cadre-c0042",
        );
        assert_eq!(e.code(), "STORAGE_FULL");
    }
}
