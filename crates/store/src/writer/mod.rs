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
//!
//! The phases live beside this file: `plan` decides a group in memory (shared with
//! PostgreSQL), `group` writes it with multi-row statements, `append` redoes it append by
//! append in savepoints when a statement is refused, `import` writes exported events as given,
//! `side` writes the side tables, and `statements` holds the SQL they share.

mod append;
mod group;
mod import;
mod plan;
mod side;
mod statements;

use chrono::Utc;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use tokio::sync::{mpsc, oneshot, watch};

pub(crate) use append::duplicate_id;
pub(crate) use import::check_imported;
pub(crate) use plan::{EventRow, Plan, plan_group};

use crate::commands::CommandKey;
use crate::error::StoreError;
use crate::health::Health;
use crate::types::{
    AppendResult, ExclusiveGuard, ExpectedVersion, ImportedEvent, Snapshot, TokenRecord,
};
use append::append_one;
use group::{Fast, fast_group};
use import::import_batch;
use side::side_op;
use statements::from_i64;

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
    /// Where each recorded command id lies: every id written is noted once its commit
    /// succeeds, so a new command id (the usual case) costs no read.
    pub commands: std::sync::Arc<crate::command_index::CommandIndex>,
    /// The `seq` the next command-id row is written at (rows are kept in insertion order).
    pub next_seq: i64,
}

/// Rows of the `commands` table a group writes: the next `seq`, and every id written with its.
pub(crate) struct SeqAlloc<'a> {
    pub next: &'a mut i64,
    pub written: &'a mut Vec<(String, i64)>,
}

impl SeqAlloc<'_> {
    /// The row for command id `id`, noted as written (the caller undoes the group on failure).
    pub(crate) fn take(&mut self, id: &str) -> i64 {
        let seq = *self.next;
        *self.next += 1;
        self.written.push((id.to_owned(), seq));
        seq
    }
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
        let seq_before = self.next_seq;
        // Command ids written by this group, with their rows: noted in the index on commit.
        let mut written_commands: Vec<(String, i64)> = Vec::new();
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
            let mut seqs = SeqAlloc {
                next: &mut self.next_seq,
                written: &mut written_commands,
            };
            match fast_group(
                &mut tx,
                &mut self.chain,
                &appends,
                &self.commands,
                &mut seqs,
            )
            .await
            {
                Ok(results) => fast_results = Some(results.into_iter()),
                Err(Fast::Fallback) => {
                    self.chain = before;
                    self.next_seq = seq_before;
                    written_commands.clear();
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
                    self.next_seq = seq_before;
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
        let mut fatal: Option<StoreError> = None;
        let mut requests = batch.into_iter();
        for r in requests.by_ref() {
            match r {
                Request::Append { req, reply } => {
                    let res = match fast_results.as_mut() {
                        Some(results) => results.next().unwrap_or(Err(StoreError::Closed)),
                        None => {
                            let mut seqs = SeqAlloc {
                                next: &mut self.next_seq,
                                written: &mut written_commands,
                            };
                            let since = seq_before;
                            append_one(
                                &mut tx,
                                &mut self.chain,
                                &req,
                                &self.commands,
                                &mut seqs,
                                since,
                            )
                            .await
                        }
                    };
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
                for (id, seq) in &written_commands {
                    self.commands.insert(id, *seq);
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
                self.next_seq = seq_before;
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
