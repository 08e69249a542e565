//! The PostgreSQL writer task: group commit serialized on the log head, so positions are gapless and in commit order across every process.
//!
//! Every request waiting in the queue when the writer becomes free joins one transaction that
//! first locks the `log_head` row (`SELECT … FOR UPDATE`). Under that lock it reads the
//! streams' versions and the recorded command ids, decides every append with the same code as
//! the SQLite writer ([`crate::writer::plan_group`]: expected versions, command-id
//! idempotency with principal and input digest), computes the chain with the same canonical
//! encoding, inserts the events and command results, moves the head and notifies
//! [`super::LOG_CHANNEL`] with the new head; replies are sent after `COMMIT`. Another process
//! (a second `dossier serve`) waits on the same row, so it continues the chain from this
//! commit: no two processes ever assign the same position, and a position becomes visible only
//! with every position before it. A constraint refusal (a duplicate event id) redoes the group
//! append by append, each in its own transaction; a failure of the server fails the group, and
//! the pool opens a new connection for the next one.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::Utc;
use sqlx::PgConnection;
use sqlx::postgres::PgPool;
use tokio::sync::{mpsc, oneshot, watch};

use super::{LOG_CHANNEL, TOKEN_CHANNEL, error};
use crate::commands::Prior;
use crate::error::StoreError;
use crate::health::Health;
use crate::types::{AppendResult, ImportedEvent};
use crate::writer::{
    AppendRequest, Chain, EventRow, Plan, Request, SideOp, check_imported, duplicate_id, plan_group,
};

/// Most events one group transaction takes before it commits.
const MAX_GROUP_EVENTS: usize = 20_000;

pub(crate) struct PgWriter {
    pub pool: PgPool,
    pub rx: mpsc::Receiver<Request>,
    pub head: Arc<watch::Sender<u64>>,
    pub health: Arc<Health>,
    pub read_only: bool,
    /// Try each group in two round trips first ([`super::fast`]); else always the locked path.
    pub optimistic: bool,
    /// Dropped when the writer ends: stops the follower.
    pub _stop: oneshot::Sender<()>,
}

type Reply = oneshot::Sender<Result<Vec<AppendResult>, StoreError>>;

pub(super) enum Group {
    /// A constraint refused a statement: redo append by append.
    Constraint(StoreError),
    /// The server failed: the whole group fails.
    Fatal(StoreError),
}

pub(super) fn classify(e: sqlx::Error) -> Group {
    let e = error(e);
    if e.is_local() {
        Group::Constraint(e)
    } else {
        Group::Fatal(e)
    }
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn from_i64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Lock the head row and read it: the chain continues from here.
async fn lock_head(conn: &mut PgConnection) -> Result<Chain, StoreError> {
    let (p, h, x, by): (i64, Vec<u8>, i64, i64) = sqlx::query_as(
        "SELECT position, hash, exclusive, exclusive_by FROM log_head WHERE id = 1 FOR UPDATE",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(error)?;
    let mut chain = Chain::at(
        from_i64(p),
        h.as_slice().try_into().map_err(|_| StoreError::Corrupt {
            position: from_i64(p),
            reason: "日志头的哈希不是 32 字节".into(),
        })?,
    );
    chain.exclusive = from_i64(x);
    chain.exclusive_by = u64::from_ne_bytes(by.to_ne_bytes());
    Ok(chain)
}

/// Move the head to `chain` and notify followers (delivered at commit).
async fn move_head(conn: &mut PgConnection, chain: &Chain) -> Result<(), sqlx::Error> {
    // One round trip: the head moves and the notification is queued for the commit.
    sqlx::query(
        "WITH moved AS (UPDATE log_head SET position = $1, hash = $2, exclusive = $4, exclusive_by = $5 \
         WHERE id = 1 RETURNING position) SELECT pg_notify($3, position::text) FROM moved",
    )
    .bind(to_i64(chain.position))
    .bind(&chain.hash[..])
    .bind(LOG_CHANNEL)
    .bind(to_i64(chain.exclusive))
    .bind(i64::from_ne_bytes(chain.exclusive_by.to_ne_bytes()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Current versions of `streams` (0 for a stream without events).
async fn versions_of(
    conn: &mut PgConnection,
    streams: &[&str],
) -> Result<HashMap<String, u64>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT stream_id, MAX(stream_version) FROM events WHERE stream_id = ANY($1) GROUP BY stream_id",
    )
    .bind(streams)
    .fetch_all(&mut *conn)
    .await?;
    let mut versions: HashMap<String, u64> = streams.iter().map(|s| (s.to_string(), 0)).collect();
    for (s, v) in rows {
        versions.insert(s, from_i64(v));
    }
    Ok(versions)
}

/// The columns of `events` as arrays, bound as `$1`…`$11` of a statement selecting
/// [`UNNEST_EVENTS`] (one statement inserts any number of rows).
pub(super) const UNNEST_EVENTS: &str = "UNNEST($1::int8[], $2::text[], $3::int8[], $4::bytea[], \
     $5::text[], $6::int8[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bytea[])";

/// The column list [`UNNEST_EVENTS`] fills.
pub(super) const EVENT_COLUMNS: &str = "(position, stream_id, stream_version, event_id, \
     event_type, schema_version, payload, metadata, recorded_at, effective_at, hash)";

/// Insert event rows with one statement (arrays unnested), `recorded_at` per row.
async fn insert_events<'a>(
    conn: &mut PgConnection,
    rows: impl Iterator<Item = EventColumns<'a>>,
) -> Result<(), sqlx::Error> {
    let c = Columns::of(rows);
    if c.position.is_empty() {
        return Ok(());
    }
    let sql = format!("INSERT INTO events {EVENT_COLUMNS} SELECT * FROM {UNNEST_EVENTS}");
    c.bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// One event's stored columns, borrowed.
pub(super) struct EventColumns<'a> {
    position: u64,
    stream_id: &'a str,
    version: u64,
    event_id: &'a [u8],
    event_type: &'a str,
    schema_version: u32,
    payload: &'a str,
    metadata: &'a str,
    recorded_at: &'a str,
    effective_at: &'a str,
    hash: &'a [u8],
}

#[derive(Default)]
pub(super) struct Columns<'a> {
    position: Vec<i64>,
    stream_id: Vec<&'a str>,
    version: Vec<i64>,
    event_id: Vec<&'a [u8]>,
    event_type: Vec<&'a str>,
    schema_version: Vec<i64>,
    payload: Vec<&'a str>,
    metadata: Vec<&'a str>,
    recorded_at: Vec<&'a str>,
    effective_at: Vec<&'a str>,
    hash: Vec<&'a [u8]>,
}

impl<'a> Columns<'a> {
    /// The rows as column arrays.
    pub(super) fn of(rows: impl Iterator<Item = EventColumns<'a>>) -> Self {
        let mut c = Columns::default();
        for r in rows {
            c.position.push(to_i64(r.position));
            c.stream_id.push(r.stream_id);
            c.version.push(to_i64(r.version));
            c.event_id.push(r.event_id);
            c.event_type.push(r.event_type);
            c.schema_version.push(i64::from(r.schema_version));
            c.payload.push(r.payload);
            c.metadata.push(r.metadata);
            c.recorded_at.push(r.recorded_at);
            c.effective_at.push(r.effective_at);
            c.hash.push(r.hash);
        }
        c
    }

    /// Bind the arrays as the query's first eleven parameters.
    pub(super) fn bind<'q>(
        &'q self,
        q: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
        q.bind(&self.position)
            .bind(&self.stream_id)
            .bind(&self.version)
            .bind(&self.event_id)
            .bind(&self.event_type)
            .bind(&self.schema_version)
            .bind(&self.payload)
            .bind(&self.metadata)
            .bind(&self.recorded_at)
            .bind(&self.effective_at)
            .bind(&self.hash)
    }
}

impl<'a> EventColumns<'a> {
    pub(super) fn planned(r: &'a EventRow<'a>, recorded_at: &'a str) -> Self {
        EventColumns {
            position: r.position,
            stream_id: r.stream_id,
            version: r.version,
            event_id: &r.event.event_id,
            event_type: &r.event.event_type,
            schema_version: r.event.schema_version,
            payload: &r.event.payload,
            metadata: r.metadata,
            recorded_at,
            effective_at: &r.event.effective_at,
            hash: &r.hash,
        }
    }

    fn imported(e: &'a ImportedEvent) -> Self {
        EventColumns {
            position: e.position,
            stream_id: &e.stream_id,
            version: e.stream_version,
            event_id: e.event_id.as_bytes(),
            event_type: &e.event_type,
            schema_version: e.schema_version,
            payload: &e.payload,
            metadata: &e.metadata,
            recorded_at: &e.recorded_at,
            effective_at: &e.effective_at,
            hash: &e.hash,
        }
    }
}

impl PgWriter {
    pub(crate) async fn run(mut self) {
        let mut shutdown: Option<oneshot::Sender<()>> = None;
        let mut pending: Option<Request> = None;
        while shutdown.is_none() {
            let first = match pending.take() {
                Some(r) => r,
                // While writes fail, a small transaction of our own every second tells when the
                // server takes writes again (appends arriving meanwhile are tried as well).
                None if !self.health.writing() => {
                    match tokio::time::timeout(crate::writer::PROBE_EVERY, self.rx.recv()).await {
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
            let mut batch = Vec::new();
            match first {
                Request::Import { events, reply } => {
                    let _ = reply.send(self.import(events).await);
                    continue;
                }
                Request::Shutdown { reply } => {
                    shutdown = Some(reply);
                    continue;
                }
                other => batch.push(other),
            }
            let mut weight = batch.iter().map(Request::weight).sum::<usize>();
            while weight < MAX_GROUP_EVENTS {
                match self.rx.try_recv() {
                    Ok(Request::Shutdown { reply }) => {
                        shutdown = Some(reply);
                        break;
                    }
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
            self.commit_group(batch).await;
        }
        self.rx.close();
        if let Some(Request::Import { reply, .. }) = pending {
            let _ = reply.send(Err(StoreError::Closed));
        }
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
        self.pool.close().await;
        if let Some(reply) = shutdown {
            let _ = reply.send(());
        }
    }

    async fn probe(&self) {
        let result = async {
            if let Some(fault) = self.health.injected() {
                return Err(fault.error());
            }
            let mut tx = self.pool.begin().await.map_err(error)?;
            lock_head(&mut tx).await?;
            tx.commit().await.map_err(error)
        }
        .await;
        match result {
            Ok(()) => self.health.write_ok(),
            Err(e) => self.health.write_failed(&e, 0),
        }
    }

    fn advance(&self, position: u64) {
        self.head.send_if_modified(|h| {
            if position > *h {
                *h = position;
                true
            } else {
                false
            }
        });
    }

    async fn commit_group(&mut self, batch: Vec<Request>) {
        let mut appends: Vec<(AppendRequest, Reply)> = Vec::new();
        let mut sides = Vec::new();
        for r in batch {
            match r {
                Request::Append { req, reply } => appends.push((req, reply)),
                Request::Side { op, reply } => sides.push((op, reply)),
                Request::Import { reply, .. } => {
                    let _ = reply.send(Err(StoreError::Closed));
                }
                Request::Shutdown { reply } => {
                    let _ = reply.send(());
                }
            }
        }
        if self.read_only {
            let refused = StoreError::ReadOnly {
                message: "以只读方式打开".into(),
            };
            for (_, reply) in appends {
                let _ = reply.send(Err(refused.clone()));
            }
            for (_, reply) in sides {
                let _ = reply.send(Err(refused.clone()));
            }
            return;
        }
        if !appends.is_empty() {
            self.appends(appends).await;
        }
        for (op, reply) in sides {
            let result = self.side(op).await;
            let _ = reply.send(result);
        }
    }

    async fn appends(&mut self, appends: Vec<(AppendRequest, Reply)>) {
        let reqs: Vec<&AppendRequest> = appends.iter().map(|(r, _)| r).collect();
        let first = if self.optimistic {
            self.fast(&reqs).await
        } else {
            Ok(super::fast::Outcome::Moved)
        };
        let outcome = match first {
            Ok(super::fast::Outcome::Done(results, head)) => Ok((results, head)),
            // Another process committed between the read and the write: under the lock.
            Ok(super::fast::Outcome::Moved) => self.group(&reqs).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok((results, head)) => {
                self.advance(head);
                self.health.write_ok();
                for ((_, reply), result) in appends.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
            Err(Group::Fatal(err)) => {
                tracing::warn!(error = %err, "group commit failed; every append in it was rolled back");
                if err.is_fault() {
                    self.health.write_failed(&err, appends.len());
                }
                for (_, reply) in appends {
                    let _ = reply.send(Err(err.clone()));
                }
            }
            Err(Group::Constraint(_)) => {
                // Redo one append at a time: only the one refused by the constraint fails.
                for (req, reply) in appends {
                    let result = match self.group(&[&req]).await {
                        Ok((mut results, head)) => {
                            self.advance(head);
                            self.health.write_ok();
                            results.pop().unwrap_or(Err(StoreError::Closed))
                        }
                        Err(Group::Constraint(StoreError::Database { message, .. }))
                            if message.contains("event_id") =>
                        {
                            Err(StoreError::DuplicateEventId {
                                event_id: req
                                    .writes
                                    .iter()
                                    .map(|w| duplicate_id(w, &message))
                                    .collect::<Vec<_>>()
                                    .join("; "),
                            })
                        }
                        Err(Group::Constraint(e)) => Err(e),
                        Err(Group::Fatal(e)) => {
                            if e.is_fault() {
                                self.health.write_failed(&e, 1);
                            }
                            Err(e)
                        }
                    };
                    let _ = reply.send(result);
                }
            }
        }
    }

    /// The group in two round trips, if no other process writes meanwhile.
    async fn fast(&self, reqs: &[&AppendRequest]) -> Result<super::fast::Outcome, Group> {
        let mut conn = self.pool.acquire().await.map_err(classify)?;
        let fault = self.health.injected().map(|f| f.error());
        super::fast::group(&mut conn, reqs, fault).await
    }

    /// One transaction for the group: lock the head, decide, write, move the head, commit.
    async fn group(
        &self,
        reqs: &[&AppendRequest],
    ) -> Result<(Vec<Result<Vec<AppendResult>, StoreError>>, u64), Group> {
        let mut tx = self.pool.begin().await.map_err(classify)?;
        let mut chain = lock_head(&mut tx).await.map_err(Group::Fatal)?;
        let before = chain.position;

        let mut streams: Vec<&str> = reqs
            .iter()
            .flat_map(|r| r.writes.iter().map(|w| w.stream_id.as_str()))
            .collect();
        streams.sort_unstable();
        streams.dedup();
        let mut versions = versions_of(&mut tx, &streams).await.map_err(classify)?;

        let ids: Vec<&str> = reqs
            .iter()
            .filter_map(|r| r.command.as_ref().map(|k| k.id.as_str()))
            .collect();
        let mut prior: HashMap<String, Prior> = HashMap::new();
        if !ids.is_empty() {
            let rows: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT command_id, result, principal, digest FROM commands WHERE command_id = ANY($1)",
            )
            .bind(&ids)
            .fetch_all(&mut *tx)
            .await
            .map_err(classify)?;
            for (id, result, principal, digest) in rows {
                prior.insert(
                    id,
                    Prior {
                        result,
                        principal,
                        digest,
                    },
                );
            }
        }

        let recorded_at = crate::time::format(&Utc::now());
        let Plan {
            results,
            rows,
            new_commands,
        } = plan_group(reqs, &mut versions, &mut prior, &mut chain, &recorded_at)
            .map_err(Group::Fatal)?;
        insert_events(
            &mut tx,
            rows.iter()
                .map(|r| EventColumns::planned(r, recorded_at.as_str())),
        )
        .await
        .map_err(classify)?;
        if !new_commands.is_empty() {
            let ids: Vec<&str> = new_commands.iter().map(|(k, _)| k.id.as_str()).collect();
            let results: Vec<&str> = new_commands.iter().map(|(_, j)| j.as_str()).collect();
            let principals: Vec<&str> = new_commands
                .iter()
                .map(|(k, _)| k.origin.principal.as_str())
                .collect();
            let digests: Vec<&str> = new_commands
                .iter()
                .map(|(k, _)| k.origin.digest.as_str())
                .collect();
            sqlx::query(
                "INSERT INTO commands (command_id, result, principal, digest) \
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[])",
            )
            .bind(&ids)
            .bind(&results)
            .bind(&principals)
            .bind(&digests)
            .execute(&mut *tx)
            .await
            .map_err(classify)?;
        }
        if chain.position != before {
            move_head(&mut tx, &chain).await.map_err(classify)?;
        }
        if let Some(fault) = self.health.injected() {
            let _ = tx.rollback().await;
            return Err(Group::Fatal(fault.error()));
        }
        tx.commit().await.map_err(|e| Group::Fatal(error(e)))?;
        Ok((results, chain.position))
    }

    /// Write a batch of exported events exactly as given, in one transaction under the head lock.
    async fn import(&mut self, events: Vec<ImportedEvent>) -> Result<u64, StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                message: "以只读方式打开".into(),
            });
        }
        if events.is_empty() {
            return Ok(0);
        }
        let result = self.import_inner(&events).await;
        match &result {
            Ok(_) => self.health.write_ok(),
            Err(e) if e.is_fault() => self.health.write_failed(e, 1),
            Err(_) => {}
        }
        result
    }

    async fn import_inner(&mut self, events: &[ImportedEvent]) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await.map_err(error)?;
        let mut chain = lock_head(&mut tx).await?;
        let log_was_empty = chain.position == 0;
        let mut streams: Vec<&str> = events.iter().map(|e| e.stream_id.as_str()).collect();
        streams.sort_unstable();
        streams.dedup();
        let owned = versions_of(&mut tx, &streams).await.map_err(error)?;
        let mut versions: HashMap<&str, u64> = streams
            .iter()
            .map(|s| (*s, owned.get(*s).copied().unwrap_or(0)))
            .collect();
        let mut ids = HashSet::with_capacity(events.len());
        for (i, e) in events.iter().enumerate() {
            check_imported(&mut chain, &mut versions, i == 0, e)?;
            if !ids.insert(e.event_id) {
                return Err(known_id(e));
            }
        }
        if !log_was_empty {
            let given: Vec<&[u8]> = events.iter().map(|e| &e.event_id.as_bytes()[..]).collect();
            let existing: Vec<Vec<u8>> =
                sqlx::query_scalar("SELECT event_id FROM events WHERE event_id = ANY($1)")
                    .bind(&given)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(error)?;
            if let Some(e) = events
                .iter()
                .find(|e| existing.iter().any(|x| x[..] == e.event_id.as_bytes()[..]))
            {
                return Err(known_id(e));
            }
        }
        insert_events(&mut tx, events.iter().map(EventColumns::imported))
            .await
            .map_err(error)?;
        move_head(&mut tx, &chain).await.map_err(error)?;
        if let Some(fault) = self.health.injected() {
            let _ = tx.rollback().await;
            return Err(fault.error());
        }
        tx.commit().await.map_err(error)?;
        self.advance(chain.position);
        Ok(events.len() as u64)
    }

    async fn side(&self, op: SideOp) -> Result<bool, StoreError> {
        let now = crate::time::format(&Utc::now());
        let mut tx = self.pool.begin().await.map_err(error)?;
        let changed = match op {
            SideOp::SaveSnapshot(s) => {
                sqlx::query(
                    "INSERT INTO snapshots (name, version, position, data, saved_at, chain_hash) \
                     VALUES ($1, $2, $3, $4, $5, (SELECT hash FROM events WHERE position = $3)) \
                     ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, \
                     data = excluded.data, saved_at = excluded.saved_at, chain_hash = excluded.chain_hash",
                )
                .bind(s.name)
                .bind(i64::from(s.version))
                .bind(to_i64(s.position))
                .bind(s.data)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(error)?;
                true
            }
            SideOp::DeleteSnapshots => {
                sqlx::query("DELETE FROM snapshots")
                    .execute(&mut *tx)
                    .await
                    .map_err(error)?;
                true
            }
            SideOp::PutToken(t) => {
                sqlx::query(
                    "INSERT INTO tokens (hash, role, scope, label, created_at, revoked_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) \
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
                .execute(&mut *tx)
                .await
                .map_err(error)?;
                notify_tokens(&mut tx).await?;
                true
            }
            SideOp::RevokeToken(prefix) => {
                let matches: Vec<(String, Option<String>)> = sqlx::query_as(
                    "SELECT hash, revoked_at FROM tokens WHERE left(hash, length($1)) = $1 FOR UPDATE",
                )
                .bind(prefix.as_str())
                .fetch_all(&mut *tx)
                .await
                .map_err(error)?;
                let target = if let Some(exact) = matches.iter().find(|(h, _)| *h == prefix) {
                    Some(exact.clone())
                } else {
                    match matches.as_slice() {
                        [] => None,
                        [one] => Some(one.clone()),
                        many => {
                            return Err(StoreError::AmbiguousTokenPrefix {
                                prefix,
                                matches: many.len(),
                            });
                        }
                    }
                };
                match target {
                    Some((hash, None)) => {
                        sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE hash = $2")
                            .bind(now)
                            .bind(hash)
                            .execute(&mut *tx)
                            .await
                            .map_err(error)?;
                        notify_tokens(&mut tx).await?;
                        true
                    }
                    _ => false,
                }
            }
        };
        tx.commit().await.map_err(error)?;
        Ok(changed)
    }
}

async fn notify_tokens(conn: &mut PgConnection) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_notify($1, '')")
        .bind(TOKEN_CHANNEL)
        .execute(&mut *conn)
        .await
        .map_err(error)?;
    Ok(())
}

fn known_id(e: &ImportedEvent) -> StoreError {
    StoreError::ImportInvalidField {
        position: e.position,
        field: "event_id",
        reason: format!("事件标识 {} 已存在", e.event_id),
    }
}
