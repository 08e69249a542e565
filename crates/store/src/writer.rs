//! The writer task: owns the write connection and commits queued appends together (group commit).
//!
//! Every request waiting in the queue when the writer becomes free joins one transaction
//! (`BEGIN IMMEDIATE` … `COMMIT`). Inside it each append is all-or-nothing on its own: an
//! append written with one statement is atomic by itself, one that needs several statements
//! runs inside a `SAVEPOINT`, so a refused append (version conflict, duplicate event id)
//! leaves the others untouched. Replies are sent only after `COMMIT` returns, so an append
//! that returned `Ok` is durable (with `synchronous=FULL`). A failure of the database itself
//! (disk full, read-only file, I/O error) rolls the whole group back and fails every append in it;
//! the writer then drops its connection (SQLite may have rolled the transaction back on its own,
//! leaving the old one out of step), opens a new one, re-reads the chain head, and probes the
//! disk every [`PROBE_EVERY`] until a write commits again (see [`crate::health`]).

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::Utc;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row, SqliteConnection};
use tokio::sync::{mpsc, oneshot, watch};

use crate::commands::{CommandKey, Prior, answer};
use crate::error::StoreError;
use crate::hash::{Canonical, chain_hash};
use crate::health::Health;
use crate::types::{
    AppendResult, ExclusiveGuard, ExpectedVersion, ImportedEvent, Metadata, Snapshot, TokenRecord,
};

/// Most events one group transaction takes before it commits.
const MAX_GROUP_EVENTS: usize = 20_000;

/// While writes fail, how often the writer tries a small write of its own to learn that the
/// disk takes writes again (appends arriving meanwhile are tried as well).
pub(crate) const PROBE_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// An event validated and ready to be written.
#[derive(Debug)]
pub(crate) struct PreparedEvent {
    pub event_id: [u8; 16],
    pub event_type: String,
    pub schema_version: u32,
    pub payload: String,
    pub effective_at: String,
}

#[derive(Debug)]
pub(crate) struct PreparedWrite {
    pub stream_id: String,
    pub expected: ExpectedVersion,
    pub events: Vec<PreparedEvent>,
}

#[derive(Debug)]
pub(crate) struct AppendRequest {
    pub writes: Vec<PreparedWrite>,
    pub metadata: String,
    /// The command id and who issued it with which input (see [`crate::commands`]).
    pub command: Option<CommandKey>,
    /// A rule spanning streams was decided on facts read at a position: refuse the append
    /// (`ExclusiveMoved`) if another decision's guarded append committed after it. Checked
    /// under the writer's serialization (on PostgreSQL, the head lock every process takes).
    pub guard: Option<ExclusiveGuard>,
}

/// The cross-stream guard of `req` against `chain`: refused when another decision's guarded
/// append committed after the position its facts were read at.
pub(crate) fn guard(req: &AppendRequest, chain: &Chain) -> Result<(), StoreError> {
    match req.guard {
        Some(g) if chain.exclusive > g.after && chain.exclusive_by != g.decision => {
            Err(StoreError::ExclusiveMoved {
                after: g.after,
                at: chain.exclusive,
            })
        }
        _ => Ok(()),
    }
}

/// Mark `chain` with `req`'s guard once its events are placed.
pub(crate) fn mark(req: &AppendRequest, chain: &mut Chain) {
    if let Some(g) = req.guard {
        chain.exclusive = chain.position;
        chain.exclusive_by = g.decision;
    }
}

/// Writes to the side tables, serialized through the same connection.
#[derive(Debug)]
pub(crate) enum SideOp {
    SaveSnapshot(Snapshot),
    DeleteSnapshots,
    PutToken(TokenRecord),
    RevokeToken(String),
}

pub(crate) enum Request {
    Append {
        req: AppendRequest,
        reply: oneshot::Sender<Result<Vec<AppendResult>, StoreError>>,
    },
    Side {
        op: SideOp,
        reply: oneshot::Sender<Result<bool, StoreError>>,
    },
    /// A batch of exported events, written as given; always committed alone (see [`Writer::import`]).
    Import {
        events: Vec<ImportedEvent>,
        reply: oneshot::Sender<Result<u64, StoreError>>,
    },
    Shutdown {
        reply: oneshot::Sender<()>,
    },
}

impl Request {
    pub(crate) fn weight(&self) -> usize {
        match self {
            Request::Append { req, .. } => req.writes.iter().map(|w| w.events.len()).sum(),
            Request::Import { events, .. } => events.len(),
            _ => 1,
        }
    }
}

/// The head of the chain as the writer knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Chain {
    pub position: u64,
    pub hash: [u8; 32],
    /// The position of the last append made under a cross-stream guard (see
    /// [`AppendRequest::guard`]); on SQLite, whose one writing process keeps it in memory, the
    /// head at open (conservative: a guard decided before it is refused once).
    pub exclusive: u64,
    /// The decision that append belonged to ([`ExclusiveGuard::decision`]).
    pub exclusive_by: u64,
}

impl Chain {
    /// The chain at `position` with `hash`, its guard mark at the same position.
    pub(crate) fn at(position: u64, hash: [u8; 32]) -> Self {
        Chain {
            position,
            hash,
            exclusive: position,
            exclusive_by: 0,
        }
    }
}

pub(crate) struct Writer {
    pub conn: SqliteConnection,
    pub rx: mpsc::Receiver<Request>,
    pub head: watch::Sender<u64>,
    pub chain: Chain,
    /// Streams that may exist: every stream written is noted once its commit succeeds.
    pub streams: std::sync::Arc<crate::streams::StreamFilter>,
    /// How to open the write connection again after a fault.
    pub connect: SqliteConnectOptions,
    pub health: std::sync::Arc<Health>,
    /// The connection met a fault of the database and is replaced before the next write.
    pub broken: bool,
    /// Command ids that may be recorded: every id written is noted once its commit succeeds,
    /// so a new command id (the usual case) costs no read.
    pub commands: std::sync::Arc<crate::streams::StreamFilter>,
}

enum Outcome {
    Append(
        oneshot::Sender<Result<Vec<AppendResult>, StoreError>>,
        Result<Vec<AppendResult>, StoreError>,
    ),
    Side(
        oneshot::Sender<Result<bool, StoreError>>,
        Result<bool, StoreError>,
    ),
}

impl Outcome {
    /// Replace a success by `err` (the group did not commit); refusals keep their own error.
    fn fail(self, err: &StoreError) -> Outcome {
        match self {
            Outcome::Append(tx, Ok(_)) => Outcome::Append(tx, Err(err.clone())),
            Outcome::Side(tx, Ok(_)) => Outcome::Side(tx, Err(err.clone())),
            other => other,
        }
    }

    fn send(self) {
        // A caller that stopped waiting gets nothing; its append stands (retry with the command id).
        match self {
            Outcome::Append(tx, r) => {
                let _ = tx.send(r);
            }
            Outcome::Side(tx, r) => {
                let _ = tx.send(r);
            }
        }
    }
}

impl Writer {
    pub(crate) async fn run(mut self) {
        let mut shutdown: Option<oneshot::Sender<()>> = None;
        // An import met while gathering a group waits here until the group is committed.
        let mut pending: Option<Request> = None;
        loop {
            let first = match pending.take() {
                Some(r) => r,
                None if !self.health.writing() => {
                    match tokio::time::timeout(PROBE_EVERY, self.rx.recv()).await {
                        Ok(Some(r)) => r,
                        Ok(None) => break,
                        Err(_) => {
                            self.probe().await;
                            continue;
                        }
                    }
                }
                None => match self.rx.recv().await {
                    Some(r) => r,
                    None => break,
                },
            };
            if let Request::Import { events, reply } = first {
                let _ = reply.send(self.import(events).await);
                continue;
            }
            let mut batch = Vec::new();
            let mut weight = first.weight();
            match first {
                Request::Shutdown { reply } => {
                    shutdown = Some(reply);
                }
                other => batch.push(other),
            }
            while shutdown.is_none() && weight < MAX_GROUP_EVENTS {
                match self.rx.try_recv() {
                    Ok(Request::Shutdown { reply }) => shutdown = Some(reply),
                    Ok(r @ Request::Import { .. }) => {
                        pending = Some(r);
                        break;
                    }
                    Ok(r) => {
                        weight += r.weight();
                        batch.push(r);
                    }
                    Err(_) => break,
                }
            }
            if !batch.is_empty() {
                self.commit_group(batch).await;
            }
            if shutdown.is_some() {
                break;
            }
        }
        // Refuse whatever is still queued, then close the connection cleanly.
        self.rx.close();
        while let Ok(r) = self.rx.try_recv() {
            match r {
                Request::Append { reply, .. } => {
                    let _ = reply.send(Err(StoreError::Closed));
                }
                Request::Side { reply, .. } => {
                    let _ = reply.send(Err(StoreError::Closed));
                }
                Request::Import { reply, .. } => {
                    let _ = reply.send(Err(StoreError::Closed));
                }
                Request::Shutdown { reply } => {
                    let _ = reply.send(());
                }
            }
        }
        let _ = self.conn.close().await;
        if let Some(reply) = shutdown {
            let _ = reply.send(());
        }
    }

    /// Note a fault of the database: `appends` appends failed for it; the connection is
    /// replaced before the next write.
    fn fault(&mut self, err: &StoreError, appends: usize) {
        note_fault(&mut self.broken, &self.health, err, appends);
    }

    /// After a fault: a new write connection, and the chain head as the file has it (a commit
    /// that reported failure may still have reached the disk).
    async fn reconnect(&mut self) -> Result<(), StoreError> {
        if !self.broken {
            return Ok(());
        }
        let mut conn = self.connect.connect().await?;
        let last: Option<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
                .fetch_optional(&mut conn)
                .await?;
        let chain = match last {
            None => Chain::at(0, crate::hash::GENESIS),
            Some((p, h)) => Chain::at(
                from_i64(p),
                h.as_slice().try_into().map_err(|_| StoreError::Corrupt {
                    position: from_i64(p),
                    reason: "最后一个事件的哈希不是 32 字节".into(),
                })?,
            ),
        };
        let old = std::mem::replace(&mut self.conn, conn);
        let _ = old.close().await;
        self.broken = false;
        if (chain.position, chain.hash) != (self.chain.position, self.chain.hash) {
            tracing::warn!(
                position = chain.position,
                "the log's head moved during a failed commit; continuing from the file's head"
            );
            self.chain = chain;
            self.head.send_replace(chain.position);
        }
        Ok(())
    }

    /// While writes fail: one small write of our own, committed, to learn that the disk takes
    /// writes again.
    async fn probe(&mut self) {
        let result = async {
            self.reconnect().await?;
            let mut tx = self.conn.begin_with("BEGIN IMMEDIATE").await?;
            sqlx::query(
                "INSERT INTO write_probe (id, probed_at, pad) VALUES (1, ?1, zeroblob(16384)) \
                 ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at, pad = excluded.pad",
            )
            .bind(crate::time::format(&Utc::now()))
            .execute(&mut *tx)
            .await?;
            commit(tx, &self.health).await
        }
        .await;
        match result {
            Ok(()) => self.health.write_ok(),
            Err(e) => self.fault(&e, 0),
        }
    }

    async fn commit_group(&mut self, batch: Vec<Request>) {
        let n_appends = batch
            .iter()
            .filter(|r| matches!(r, Request::Append { .. }))
            .count();
        if let Err(err) = self.reconnect().await {
            note_fault(&mut self.broken, &self.health, &err, n_appends);
            for r in batch {
                fail_request(r, &err);
            }
            return;
        }
        let before = self.chain;
        let mut tx = match self.conn.begin_with("BEGIN IMMEDIATE").await {
            Ok(tx) => tx,
            Err(e) => {
                let err = StoreError::from(e);
                note_fault(&mut self.broken, &self.health, &err, n_appends);
                for r in batch {
                    fail_request(r, &err);
                }
                return;
            }
        };

        // Fast path: every append of the group checked in memory and written with a few
        // multi-row statements. Only if one of those statements is refused by a constraint
        // (a duplicate event id) is the group redone append by append, each in a savepoint.
        let appends: Vec<&AppendRequest> = batch
            .iter()
            .filter_map(|r| match r {
                Request::Append { req, .. } => Some(req),
                _ => None,
            })
            .collect();
        let mut fast_results = None;
        if !appends.is_empty() {
            match fast_group(&mut tx, &mut self.chain, &appends, &self.commands).await {
                Ok(results) => fast_results = Some(results.into_iter()),
                Err(Fast::Fallback) => {
                    self.chain = before;
                    let _ = tx.rollback().await;
                    tx = match self.conn.begin_with("BEGIN IMMEDIATE").await {
                        Ok(tx) => tx,
                        Err(e) => {
                            let err = StoreError::from(e);
                            note_fault(&mut self.broken, &self.health, &err, n_appends);
                            for r in batch {
                                fail_request(r, &err);
                            }
                            return;
                        }
                    };
                }
                Err(Fast::Fatal(err)) => {
                    self.chain = before;
                    let _ = tx.rollback().await;
                    if err.is_fault() {
                        note_fault(&mut self.broken, &self.health, &err, n_appends);
                    }
                    for r in batch {
                        fail_request(r, &err);
                    }
                    return;
                }
            }
        }
        drop(appends);

        let mut outcomes: Vec<Outcome> = Vec::with_capacity(batch.len());
        let mut written_commands: Vec<String> = Vec::new();
        let mut fatal: Option<StoreError> = None;
        let mut requests = batch.into_iter();
        for r in requests.by_ref() {
            match r {
                Request::Append { req, reply } => {
                    let res = match fast_results.as_mut() {
                        Some(results) => results.next().unwrap_or(Err(StoreError::Closed)),
                        None => append_one(&mut tx, &mut self.chain, &req, &self.commands).await,
                    };
                    if let (Ok(results), Some(key)) = (&res, &req.command)
                        && !results.iter().any(|r| r.deduplicated)
                    {
                        written_commands.push(key.id.clone());
                    }
                    match res {
                        Err(e) if !e.is_local() => {
                            let _ = reply.send(Err(e.clone()));
                            fatal = Some(e);
                            break;
                        }
                        res => outcomes.push(Outcome::Append(reply, res)),
                    }
                }
                Request::Side { op, reply } => {
                    let res = side_op(&mut tx, op).await;
                    match res {
                        Err(e) if !e.is_local() => {
                            let _ = reply.send(Err(e.clone()));
                            fatal = Some(e);
                            break;
                        }
                        res => outcomes.push(Outcome::Side(reply, res)),
                    }
                }
                Request::Import { reply, .. } => {
                    // Never gathered into a group (see `run`); refused rather than mixed in.
                    let _ = reply.send(Err(StoreError::Closed));
                }
                Request::Shutdown { reply } => {
                    let _ = reply.send(());
                }
            }
        }

        let fatal = match fatal {
            None => commit(tx, &self.health).await.err(),
            Some(e) => {
                let _ = tx.rollback().await;
                Some(e)
            }
        };
        match fatal {
            None => {
                for o in &outcomes {
                    if let Outcome::Append(_, Ok(results)) = o {
                        // A stream is new when all its versions were written now.
                        for r in results.iter().filter(|r| {
                            !r.deduplicated
                                && r.stream_version == r.last_position + 1 - r.first_position
                        }) {
                            self.streams.insert(&r.stream_id);
                        }
                    }
                }
                for id in &written_commands {
                    self.commands.insert(id);
                }
                if self.chain.position != before.position {
                    self.head.send_replace(self.chain.position);
                }
                self.health.write_ok();
                for o in outcomes {
                    o.send();
                }
            }
            Some(err) => {
                tracing::warn!(error = %err, "group commit failed; every append in it was rolled back");
                self.chain = before;
                if err.is_fault() {
                    note_fault(&mut self.broken, &self.health, &err, n_appends);
                }
                for o in outcomes {
                    o.fail(&err).send();
                }
                for r in requests {
                    fail_request(r, &err);
                }
            }
        }
    }
    /// Write a batch of exported events exactly as given, in one transaction of its own
    /// (never grouped with appends, so the chain head it continues from is the committed one).
    /// Every event is checked first; any refusal rolls the batch back and names the position.
    async fn import(&mut self, events: Vec<ImportedEvent>) -> Result<u64, StoreError> {
        if events.is_empty() {
            return Ok(0);
        }
        let result = self.import_inner(events).await;
        match &result {
            Ok(_) => self.health.write_ok(),
            Err(e) if e.is_fault() => self.fault(e, 1),
            Err(_) => {}
        }
        result
    }

    async fn import_inner(&mut self, events: Vec<ImportedEvent>) -> Result<u64, StoreError> {
        self.reconnect().await?;
        let mut tx = self.conn.begin_with("BEGIN IMMEDIATE").await?;
        let mut chain = self.chain;
        match import_batch(&mut tx, &mut chain, &events).await {
            Ok(()) => {
                commit(tx, &self.health).await?;
                self.chain = chain;
                for e in &events {
                    if e.stream_version == 1 {
                        self.streams.insert(&e.stream_id);
                    }
                }
                self.head.send_replace(chain.position);
                Ok(events.len() as u64)
            }
            Err(err) => {
                let _ = tx.rollback().await;
                Err(err)
            }
        }
    }
}

/// Check `events` against the log's head `chain` and the streams' current versions, then
/// insert them as given. `chain` ends at the batch's last event.
async fn import_batch(
    conn: &mut SqliteConnection,
    chain: &mut Chain,
    events: &[ImportedEvent],
) -> Result<(), StoreError> {
    let log_was_empty = chain.position == 0;
    let mut versions: HashMap<&str, u64> = HashMap::new();
    for e in events {
        if !versions.contains_key(e.stream_id.as_str()) {
            let v: Option<i64> =
                sqlx::query_scalar("SELECT MAX(stream_version) FROM events WHERE stream_id = ?1")
                    .bind(e.stream_id.as_str())
                    .fetch_one(&mut *conn)
                    .await?;
            versions.insert(e.stream_id.as_str(), v.map(from_i64).unwrap_or(0));
        }
    }
    let mut ids = std::collections::HashSet::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        check_imported(chain, &mut versions, i == 0, e)?;
        let known = !ids.insert(e.event_id)
            || (!log_was_empty
                && sqlx::query_scalar::<_, i64>("SELECT 1 FROM events WHERE event_id = ?1")
                    .bind(&e.event_id.as_bytes()[..])
                    .fetch_optional(&mut *conn)
                    .await?
                    .is_some());
        if known {
            return Err(StoreError::ImportInvalidField {
                position: e.position,
                field: "event_id",
                reason: format!("事件标识 {} 已存在", e.event_id),
            });
        }
    }
    let mut offset = 0;
    for size in chunk_sizes(events.len()) {
        let mut q = sqlx::query(INSERT_SQL[size].as_str());
        for e in &events[offset..offset + size] {
            q = q
                .bind(to_i64(e.position))
                .bind(e.stream_id.as_str())
                .bind(to_i64(e.stream_version))
                .bind(&e.event_id.as_bytes()[..])
                .bind(e.event_type.as_str())
                .bind(i64::from(e.schema_version))
                .bind(e.payload.as_str())
                .bind(e.metadata.as_str())
                .bind(e.recorded_at.as_str())
                .bind(e.effective_at.as_str())
                .bind(e.hash.to_vec());
        }
        offset += size;
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// One imported event against the chain so far: position, stream version, field formats and
/// the recomputed hash. Advances `chain` and `versions` when it is accepted.
pub(crate) fn check_imported<'a>(
    chain: &mut Chain,
    versions: &mut HashMap<&'a str, u64>,
    first: bool,
    e: &'a ImportedEvent,
) -> Result<(), StoreError> {
    let position = e.position;
    let expected = chain.position + 1;
    if position != expected {
        return Err(if first {
            StoreError::ImportNotAtHead { position, expected }
        } else {
            StoreError::ImportPositionGap { position, expected }
        });
    }
    let invalid = |field: &'static str, reason: String| StoreError::ImportInvalidField {
        position,
        field,
        reason,
    };
    if e.stream_id.is_empty() {
        return Err(invalid("stream_id", "流标识为空".into()));
    }
    if e.event_type.trim().is_empty() {
        return Err(invalid("event_type", "事件类型为空".into()));
    }
    let current = versions.get(e.stream_id.as_str()).copied().unwrap_or(0);
    if e.stream_version != current + 1 {
        return Err(StoreError::ImportVersionGap {
            position,
            stream_id: e.stream_id.clone(),
            version: e.stream_version,
            expected: current + 1,
        });
    }
    if let Err(err) = serde_json::from_str::<serde::de::IgnoredAny>(&e.payload) {
        return Err(invalid("payload", format!("不是合法的 JSON：{err}")));
    }
    if let Err(err) = serde_json::from_str::<Metadata>(&e.metadata) {
        return Err(invalid("metadata", format!("不是合法的元数据 JSON：{err}")));
    }
    if crate::time::parse(&e.recorded_at).map(|t| crate::time::format(&t))
        != Some(e.recorded_at.clone())
    {
        return Err(invalid(
            "recorded_at",
            format!(
                "{:?} 不是 RFC 3339 UTC 微秒格式（如 2026-01-02T03:04:05.000006Z）",
                e.recorded_at
            ),
        ));
    }
    if crate::time::parse_date(&e.effective_at).and_then(|d| crate::time::format_date(&d))
        != Some(e.effective_at.clone())
    {
        return Err(invalid(
            "effective_at",
            format!(
                "{:?} 不是 0001-01-01 至 9999-12-31 之间的 YYYY-MM-DD 日期",
                e.effective_at
            ),
        ));
    }
    let computed = chain_hash(&chain.hash, &e.canonical());
    if computed != e.hash {
        return Err(StoreError::ImportHashMismatch {
            position,
            given: hex::encode(e.hash),
            computed: hex::encode(computed),
        });
    }
    chain.position = position;
    chain.hash = computed;
    versions.insert(e.stream_id.as_str(), e.stream_version);
    Ok(())
}

enum Fast {
    /// A statement was refused by a constraint: redo the group append by append.
    Fallback,
    /// The database itself failed: the whole group fails.
    Fatal(StoreError),
}

/// One row of the events table, borrowed from its request.
pub(crate) struct EventRow<'a> {
    pub position: u64,
    pub stream_id: &'a str,
    pub version: u64,
    pub event: &'a PreparedEvent,
    pub metadata: &'a str,
    pub hash: [u8; 32],
}

/// What a group of appends writes, decided in memory: one result per append (refusals are
/// results), the event rows with their positions and chain hashes, and the command ids to record.
pub(crate) struct Plan<'a> {
    pub results: Vec<Result<Vec<AppendResult>, StoreError>>,
    pub rows: Vec<EventRow<'a>>,
    pub new_commands: Vec<(&'a CommandKey, String)>,
}

/// Decide each append of a group in order, as if they ran one after another, against the
/// streams' current `versions` and the recorded command ids `prior`, continuing `chain`. Pure:
/// both backends write what it returns.
pub(crate) fn plan_group<'a>(
    reqs: &[&'a AppendRequest],
    versions: &mut HashMap<String, u64>,
    prior: &mut HashMap<String, Prior>,
    chain: &mut Chain,
    recorded_at: &str,
) -> Result<Plan<'a>, StoreError> {
    let mut results = Vec::with_capacity(reqs.len());
    let mut rows: Vec<EventRow<'_>> = Vec::new();
    let mut new_commands: Vec<(&CommandKey, String)> = Vec::new();
    for req in reqs {
        if let Some(key) = &req.command
            && let Some(first) = prior.get(&key.id)
        {
            results.push(answer(first, key, &req.writes));
            continue;
        }
        let conflict = req.writes.iter().find_map(|w| {
            let actual = versions.get(&w.stream_id).copied().unwrap_or(0);
            (!w.expected.matches(actual)).then_some(StoreError::Conflict {
                expected: w.expected,
                actual,
            })
        });
        if let Some(err) = conflict {
            results.push(Err(err));
            continue;
        }
        if let Err(err) = guard(req, chain) {
            results.push(Err(err));
            continue;
        }
        let mut out = Vec::with_capacity(req.writes.len());
        for w in &req.writes {
            let version = versions.entry(w.stream_id.clone()).or_insert(0);
            let first_position = chain.position + 1;
            for e in &w.events {
                *version += 1;
                let position = chain.position + 1;
                let hash = chain_hash(
                    &chain.hash,
                    &Canonical {
                        position,
                        stream_id: &w.stream_id,
                        stream_version: *version,
                        event_id: &e.event_id,
                        event_type: &e.event_type,
                        schema_version: e.schema_version,
                        payload: &e.payload,
                        metadata: &req.metadata,
                        recorded_at,
                        effective_at: &e.effective_at,
                    },
                );
                rows.push(EventRow {
                    position,
                    stream_id: &w.stream_id,
                    version: *version,
                    event: e,
                    metadata: &req.metadata,
                    hash,
                });
                chain.position = position;
                chain.hash = hash;
            }
            out.push(AppendResult {
                stream_id: w.stream_id.clone(),
                first_position,
                last_position: chain.position,
                stream_version: *version,
                deduplicated: false,
            });
        }
        if let Some(key) = &req.command {
            let json = serde_json::to_string(&out).map_err(|e| StoreError::Database {
                code: -1,
                message: e.to_string(),
            })?;
            prior.insert(
                key.id.clone(),
                Prior {
                    result: json.clone(),
                    principal: Some(key.origin.principal.clone()),
                    digest: Some(key.origin.digest.clone()),
                },
            );
            new_commands.push((key, json));
        }
        mark(req, chain);
        results.push(Ok(out));
    }

    Ok(Plan {
        results,
        rows,
        new_commands,
    })
}

/// Check every append of the group in memory (versions and command ids read with two
/// queries), then write all accepted events with multi-row inserts. Returns one result per
/// append, in order. Refusals (conflicts, reused command ids) are results, not failures.
async fn fast_group(
    conn: &mut SqliteConnection,
    chain: &mut Chain,
    reqs: &[&AppendRequest],
    known_commands: &crate::streams::StreamFilter,
) -> Result<Vec<Result<Vec<AppendResult>, StoreError>>, Fast> {
    let fatal = |e: sqlx::Error| {
        let e = StoreError::from(e);
        if e.is_local() {
            Fast::Fallback
        } else {
            Fast::Fatal(e)
        }
    };

    // 1. Current versions of every stream in the group, in one query.
    let mut streams: Vec<&str> = reqs
        .iter()
        .flat_map(|r| r.writes.iter().map(|w| w.stream_id.as_str()))
        .collect();
    streams.sort_unstable();
    streams.dedup();
    let ids = serde_json::to_string(&streams).map_err(|e| {
        Fast::Fatal(StoreError::Database {
            code: -1,
            message: e.to_string(),
        })
    })?;
    let rows: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT j.value, (SELECT MAX(stream_version) FROM events WHERE stream_id = j.value) \
         FROM json_each(?1) AS j",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(fatal)?;
    let mut versions: HashMap<String, u64> = rows
        .into_iter()
        .map(|(s, v)| (s, v.map(from_i64).unwrap_or(0)))
        .collect();

    // 2. First results of the command ids that may have been used: none on the happy path
    // (new ids, ruled out by the filter), one point lookup for each of the others.
    let mut prior: HashMap<String, Prior> = HashMap::new();
    for key in reqs.iter().filter_map(|r| r.command.as_ref()) {
        if known_commands.may_exist(&key.id)
            && !prior.contains_key(&key.id)
            && let Some(p) = lookup_command(&mut *conn, &key.id).await.map_err(fatal)?
        {
            prior.insert(key.id.clone(), p);
        }
    }

    // 3. Decide each append in order, as if they ran one after another.
    let recorded_at = crate::time::format(&Utc::now());
    let Plan {
        results,
        rows,
        new_commands,
    } = plan_group(reqs, &mut versions, &mut prior, chain, &recorded_at).map_err(Fast::Fatal)?;

    // 4. Write: events in multi-row statements, then the command results in one.
    let mut offset = 0;
    for size in chunk_sizes(rows.len()) {
        let mut q = sqlx::query(INSERT_SQL[size].as_str());
        for r in &rows[offset..offset + size] {
            q = q
                .bind(to_i64(r.position))
                .bind(r.stream_id)
                .bind(to_i64(r.version))
                .bind(&r.event.event_id[..])
                .bind(r.event.event_type.as_str())
                .bind(i64::from(r.event.schema_version))
                .bind(r.event.payload.as_str())
                .bind(r.metadata)
                .bind(recorded_at.as_str())
                .bind(r.event.effective_at.as_str())
                .bind(&r.hash[..]);
        }
        offset += size;
        q.execute(&mut *conn).await.map_err(fatal)?;
    }
    let mut offset = 0;
    for size in chunk_sizes(new_commands.len()) {
        let mut q = sqlx::query(COMMAND_SQL[size].as_str());
        for (key, json) in &new_commands[offset..offset + size] {
            q = q
                .bind(key.id.as_str())
                .bind(json.as_str())
                .bind(key.origin.principal.as_str())
                .bind(key.origin.digest.as_str());
        }
        offset += size;
        q.execute(&mut *conn).await.map_err(fatal)?;
    }
    Ok(results)
}

fn note_fault(broken: &mut bool, health: &Health, err: &StoreError, appends: usize) {
    *broken = true;
    health.write_failed(err, appends);
}

/// Commit `tx`; with a fault injected (see [`crate::InjectedFault`]), fail as SQLite does
/// when the disk refuses the WAL write: the transaction is rolled back underneath the
/// connection, then the commit reports the error.
async fn commit(
    mut tx: sqlx::Transaction<'_, sqlx::Sqlite>,
    health: &Health,
) -> Result<(), StoreError> {
    if let Some(fault) = health.injected() {
        sqlx::raw_sql(sqlx::AssertSqlSafe("ROLLBACK"))
            .execute(&mut *tx)
            .await?;
        let _ = tx.commit().await;
        return Err(fault.error());
    }
    tx.commit().await.map_err(StoreError::from)
}

fn fail_request(r: Request, err: &StoreError) {
    match r {
        Request::Append { reply, .. } => {
            let _ = reply.send(Err(err.clone()));
        }
        Request::Side { reply, .. } => {
            let _ = reply.send(Err(err.clone()));
        }
        Request::Import { reply, .. } => {
            let _ = reply.send(Err(err.clone()));
        }
        Request::Shutdown { reply } => {
            let _ = reply.send(());
        }
    }
}

const COLUMNS: usize = 11;

/// `INSERT` statements for 1..=256 rows, built once (the statement cache keys on the text).
static INSERT_SQL: LazyLock<Vec<String>> = LazyLock::new(|| {
    (0..=256)
        .map(|n| {
            let row = format!("({})", ["?"; COLUMNS].join(","));
            format!(
                "INSERT INTO events (position, stream_id, stream_version, event_id, event_type, \
                 schema_version, payload, metadata, recorded_at, effective_at, hash) VALUES {}",
                vec![row; n.max(1)].join(",")
            )
        })
        .collect()
});

/// `INSERT` statements into the command-id table for 1..=256 rows, built once.
static COMMAND_SQL: LazyLock<Vec<String>> = LazyLock::new(|| {
    (0..=256)
        .map(|n| {
            format!(
                "INSERT INTO commands (command_id, result, principal, digest) VALUES {}",
                vec!["(?,?,?,?)"; n.max(1)].join(",")
            )
        })
        .collect()
});

/// The recorded first result and origin of command id `id`, if any.
async fn lookup_command(
    conn: &mut SqliteConnection,
    id: &str,
) -> Result<Option<Prior>, sqlx::Error> {
    let row: Option<(String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT result, principal, digest FROM commands WHERE command_id = ?1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(result, principal, digest)| Prior {
        result,
        principal,
        digest,
    }))
}

/// Split `n` rows into statement sizes: 256s, then 64s, then 16s, then one of 1..=15,
/// so that at most 18 distinct statements are ever prepared.
fn chunk_sizes(mut n: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for size in [256, 64, 16] {
        while n >= size {
            out.push(size);
            n -= size;
        }
    }
    if n > 0 {
        out.push(n);
    }
    out
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn from_i64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

async fn append_one(
    conn: &mut SqliteConnection,
    chain: &mut Chain,
    req: &AppendRequest,
    known_commands: &crate::streams::StreamFilter,
) -> Result<Vec<AppendResult>, StoreError> {
    // 1. A retried command returns its first result; otherwise read the current versions.
    if let Some(key) = &req.command
        && known_commands.may_exist(&key.id)
        && let Some(prior) = lookup_command(&mut *conn, &key.id).await?
    {
        return answer(&prior, key, &req.writes);
    }
    let mut actual = Vec::with_capacity(req.writes.len());
    for w in &req.writes {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT MAX(stream_version) FROM events WHERE stream_id = ?1")
                .bind(w.stream_id.as_str())
                .fetch_one(&mut *conn)
                .await?;
        actual.push(v.map(from_i64).unwrap_or(0));
    }

    // 2. The optimistic-concurrency check, before anything is written.
    for (w, &a) in req.writes.iter().zip(&actual) {
        if !w.expected.matches(a) {
            return Err(StoreError::Conflict {
                expected: w.expected,
                actual: a,
            });
        }
    }

    guard(req, chain)?;

    // 3. Write: one statement is atomic by itself; several need a savepoint.
    let statements: usize = req
        .writes
        .iter()
        .map(|w| chunk_sizes(w.events.len()).len())
        .sum::<usize>()
        + usize::from(req.command.is_some());
    let savepoint = statements > 1;
    if savepoint {
        sqlx::query("SAVEPOINT append").execute(&mut *conn).await?;
    }
    let saved = *chain;
    match insert_all(conn, chain, req, &actual).await {
        Ok(results) => {
            mark(req, chain);
            if savepoint {
                sqlx::query("RELEASE append").execute(&mut *conn).await?;
            }
            Ok(results)
        }
        Err(e) => {
            *chain = saved;
            if savepoint && e.is_local() {
                sqlx::query("ROLLBACK TO append")
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("RELEASE append").execute(&mut *conn).await?;
            }
            Err(e)
        }
    }
}

async fn insert_all(
    conn: &mut SqliteConnection,
    chain: &mut Chain,
    req: &AppendRequest,
    actual: &[u64],
) -> Result<Vec<AppendResult>, StoreError> {
    let recorded_at = crate::time::format(&Utc::now());
    let mut results = Vec::with_capacity(req.writes.len());
    for (w, &version0) in req.writes.iter().zip(actual) {
        let first_position = chain.position + 1;
        let mut version = version0;
        let mut offset = 0;
        for size in chunk_sizes(w.events.len()) {
            let mut q = sqlx::query(INSERT_SQL[size].as_str());
            for e in &w.events[offset..offset + size] {
                version += 1;
                let position = chain.position + 1;
                let hash = chain_hash(
                    &chain.hash,
                    &Canonical {
                        position,
                        stream_id: &w.stream_id,
                        stream_version: version,
                        event_id: &e.event_id,
                        event_type: &e.event_type,
                        schema_version: e.schema_version,
                        payload: &e.payload,
                        metadata: &req.metadata,
                        recorded_at: &recorded_at,
                        effective_at: &e.effective_at,
                    },
                );
                q = q
                    .bind(to_i64(position))
                    .bind(w.stream_id.as_str())
                    .bind(to_i64(version))
                    .bind(&e.event_id[..])
                    .bind(e.event_type.as_str())
                    .bind(i64::from(e.schema_version))
                    .bind(e.payload.as_str())
                    .bind(req.metadata.as_str())
                    .bind(recorded_at.as_str())
                    .bind(e.effective_at.as_str())
                    .bind(hash.to_vec());
                chain.position = position;
                chain.hash = hash;
            }
            offset += size;
            q.execute(&mut *conn).await.map_err(|e| {
                let err = StoreError::from(e);
                match &err {
                    StoreError::Database { message, .. } if message.contains("events.event_id") => {
                        StoreError::DuplicateEventId {
                            event_id: duplicate_id(w, message),
                        }
                    }
                    _ => err,
                }
            })?;
        }
        results.push(AppendResult {
            stream_id: w.stream_id.clone(),
            first_position,
            last_position: chain.position,
            stream_version: version,
            deduplicated: false,
        });
    }
    if let Some(key) = &req.command {
        let json = serde_json::to_string(&results).map_err(|e| StoreError::Database {
            code: -1,
            message: e.to_string(),
        })?;
        sqlx::query(COMMAND_SQL[1].as_str())
            .bind(key.id.as_str())
            .bind(json)
            .bind(key.origin.principal.as_str())
            .bind(key.origin.digest.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(results)
}

/// Which of the write's event ids collided (SQLite does not say which value).
pub(crate) fn duplicate_id(w: &PreparedWrite, _message: &str) -> String {
    let ids: Vec<String> = w
        .events
        .iter()
        .map(|e| uuid::Uuid::from_bytes(e.event_id).to_string())
        .collect();
    if ids.len() == 1 {
        ids[0].clone()
    } else {
        format!("（其中之一）{}", ids.join(", "))
    }
}

async fn side_op(conn: &mut SqliteConnection, op: SideOp) -> Result<bool, StoreError> {
    let now = crate::time::format(&Utc::now());
    match op {
        SideOp::SaveSnapshot(s) => {
            sqlx::query(
                "INSERT INTO snapshots (name, version, position, data, saved_at, chain_hash) \
                 VALUES (?1, ?2, ?3, ?4, ?5, (SELECT hash FROM events WHERE position = ?3)) \
                 ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, \
                 data = excluded.data, saved_at = excluded.saved_at, chain_hash = excluded.chain_hash",
            )
            .bind(s.name)
            .bind(i64::from(s.version))
            .bind(to_i64(s.position))
            .bind(s.data)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            Ok(true)
        }
        SideOp::DeleteSnapshots => {
            sqlx::query("DELETE FROM snapshots")
                .execute(&mut *conn)
                .await?;
            Ok(true)
        }
        SideOp::PutToken(t) => {
            sqlx::query(
                "INSERT INTO tokens (hash, role, scope, label, created_at, revoked_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (hash) DO UPDATE SET role = excluded.role, scope = excluded.scope, \
                 label = excluded.label, created_at = excluded.created_at, revoked_at = excluded.revoked_at, \
                 expires_at = excluded.expires_at",
            )
            .bind(t.hash)
            .bind(t.role)
            .bind(t.scope)
            .bind(t.label)
            .bind(crate::time::format(&t.created_at))
            .bind(t.revoked_at.as_ref().map(crate::time::format))
            .bind(t.expires_at.as_ref().map(crate::time::format))
            .execute(&mut *conn)
            .await?;
            Ok(true)
        }
        SideOp::RevokeToken(prefix) => {
            let rows = sqlx::query(
                "SELECT hash, revoked_at FROM tokens WHERE substr(hash, 1, length(?1)) = ?1",
            )
            .bind(prefix.as_str())
            .fetch_all(&mut *conn)
            .await?;
            let mut matches: Vec<(String, Option<String>)> = Vec::with_capacity(rows.len());
            for r in rows {
                matches.push((r.try_get(0)?, r.try_get(1)?));
            }
            let target = if let Some(exact) = matches.iter().find(|(h, _)| *h == prefix) {
                exact.clone()
            } else {
                match matches.as_slice() {
                    [] => return Ok(false),
                    [one] => one.clone(),
                    many => {
                        return Err(StoreError::AmbiguousTokenPrefix {
                            prefix,
                            matches: many.len(),
                        });
                    }
                }
            };
            if target.1.is_some() {
                return Ok(false);
            }
            sqlx::query("UPDATE tokens SET revoked_at = ?1 WHERE hash = ?2")
                .bind(now)
                .bind(target.0)
                .execute(&mut *conn)
                .await?;
            Ok(true)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::chunk_sizes;

    #[test]
    fn chunk_sizes_cover_every_row_once() {
        for n in 0..2000 {
            let sizes = chunk_sizes(n);
            assert_eq!(sizes.iter().sum::<usize>(), n);
            assert!(sizes.iter().all(|s| (1..=256).contains(s)));
        }
        assert_eq!(chunk_sizes(1), vec![1]);
        assert_eq!(chunk_sizes(15), vec![15]);
        assert_eq!(chunk_sizes(300), vec![256, 16, 16, 12]);
    }
}
