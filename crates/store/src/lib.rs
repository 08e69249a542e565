//! Dossier's event log: an append-only, hash-chained store of events on SQLite. The only crate that speaks SQL.
//!
//! # Model
//!
//! One table of events with a global, gapless `position`, a per-stream `stream_version`
//! (unique per stream: the optimistic-concurrency check), a unique time-ordered `event_id`
//! (UUIDv7), the event's type, schema version, JSON payload and JSON [`Metadata`], when it was
//! recorded and from when it holds (`effective_at`), and a SHA-256 `hash` chaining it to the
//! event before it (the encoding is documented in [`hash`]). Triggers refuse `UPDATE` and
//! `DELETE` on the log; [`Store::verify`] recomputes the chain and names the first position
//! that does not match.
//!
//! # Writes
//!
//! One writer task owns the write connection; concurrent [`Store::append`]s are queued to it
//! and committed together in one transaction (group commit), each still all-or-nothing and
//! checked against its [`ExpectedVersion`]. A [`Metadata::command_id`] makes a retried command
//! return the first result instead of appending twice. With [`Durability::Full`] (the default,
//! `synchronous=FULL`) an append is on disk when it returns.
//!
//! # Reads
//!
//! [`Store::read_stream`] (optionally up to a position or an effective date),
//! [`Store::read_all`] in pages, [`Store::scan`] for fast full scans (rebuilds, exports), and
//! [`Store::subscribe`]: catch up from a position, then follow live commits, with no gap and
//! no duplicate at the seam. Readers use their own connection pool (WAL mode), so they never
//! block the writer and a slow subscriber never holds anything up.
//!
//! Beside the log (not part of the chain) the store keeps projection snapshots and API tokens.

pub mod hash;

mod audit;
mod backup;
mod command_index;
mod commands;
mod error;
mod health;
mod pg;
mod raw;
mod scratch;
mod streams;
mod subscription;
mod time;
mod types;
mod writer;

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{ConnectOptions, Row};
use tokio::sync::{mpsc, oneshot, watch};
use uuid::Uuid;

pub use backup::BackupReport;
pub use commands::{CommandOrigin, CommandRecord};
pub use error::StoreError;
pub use health::{DiskUsage, Fault, InjectedFault, StoreHealth};
pub use pg::{is_url as postgres_url, migrate as migrate_postgres, redact as redact_url};
pub use scratch::ScratchDatabase;
pub use subscription::Subscription;
pub use types::{
    AnchorCheck, AppendResult, Durability, EventRef, ExclusiveGuard, ExpectedVersion,
    ImportedEvent, Metadata, NewEvent, RecordedEvent, ReplayRef, Snapshot, StoreOptions,
    StreamRange, StreamWrite, TokenRecord, VerifyReport,
};

use writer::{AppendRequest, Chain, PreparedEvent, PreparedWrite, Request, SideOp, Writer};

/// The embedded migrations (`migrations/` at the workspace root).
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// Rows per raw scan step: the read lock is released and the task yields between chunks.
const SCAN_CHUNK: u64 = 16_384;

const SELECT_EVENT: &str = "SELECT position, stream_id, stream_version, event_id, event_type, \
    schema_version, payload, metadata, recorded_at, effective_at, hash FROM events";

/// The event log. Cheap to clone (an `Arc` inside); every clone talks to the same writer.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: mpsc::Sender<Request>,
    readers: Readers,
    head: watch::Receiver<u64>,
    /// Bumped whenever this handle creates or revokes a token (see [`Store::token_generation`]);
    /// on PostgreSQL also when any process does.
    token_generation: Arc<std::sync::atomic::AtomicU64>,
    /// Which streams may exist (see [`Store::stream_may_exist`]).
    streams: Arc<streams::StreamFilter>,
    /// Faults of the writer and the checkpointer (see [`Store::health`]).
    health: Arc<health::Health>,
    /// How a backup opens its own read connection.
    backup_options: SqliteConnectOptions,
    /// Which command ids may be recorded (see [`Store::command`]).
    /// Where each command id lies in the `commands` table (SQLite; `None` on PostgreSQL).
    commands: Option<Arc<command_index::CommandIndex>>,
}

/// Where reads go: the SQLite read pool, or the PostgreSQL one.
enum Readers {
    Sqlite(SqlitePool),
    Postgres(pg::Pg),
}

/// The SQLite read pool, or return what the PostgreSQL backend answers.
macro_rules! sqlite_or {
    ($self:ident, $pg:ident => $e:expr) => {
        match &$self.inner.readers {
            Readers::Sqlite(pool) => pool,
            Readers::Postgres($pg) => return $e,
        }
    };
}

// After `sqlite_or!`, which they use.
mod reads;
mod side_tables;

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &pg::redact(&self.inner.path.to_string_lossy()))
            .finish_non_exhaustive()
    }
}

fn prepare_event(stream_id: &str, e: NewEvent) -> Result<PreparedEvent, StoreError> {
    if e.event_type.trim().is_empty() {
        return Err(StoreError::EmptyEventType {
            stream_id: stream_id.to_string(),
        });
    }
    if let Err(err) = serde_json::from_str::<serde::de::IgnoredAny>(&e.payload) {
        return Err(StoreError::InvalidPayload {
            event_type: e.event_type,
            reason: err.to_string(),
        });
    }
    let Some(effective_at) = time::format_date(&e.effective_at) else {
        return Err(StoreError::InvalidEffectiveDate {
            event_type: e.event_type,
            date: e.effective_at.to_string(),
        });
    };
    Ok(PreparedEvent {
        event_id: e.event_id.unwrap_or_else(Uuid::now_v7).into_bytes(),
        event_type: e.event_type,
        schema_version: e.schema_version,
        payload: e.payload,
        effective_at,
    })
}

fn prepare_write(w: StreamWrite) -> Result<PreparedWrite, StoreError> {
    if w.stream_id.trim().is_empty() {
        return Err(StoreError::EmptyStreamId);
    }
    if w.events.is_empty() {
        return Err(StoreError::EmptyEvents {
            stream_id: w.stream_id,
        });
    }
    let events = w
        .events
        .into_iter()
        .map(|e| prepare_event(&w.stream_id, e))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PreparedWrite {
        stream_id: w.stream_id,
        expected: w.expected,
        events,
    })
}

fn corrupt(position: u64, reason: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        position,
        reason: reason.into(),
    }
}

fn decode_event(row: &SqliteRow) -> Result<RecordedEvent, StoreError> {
    let position = u64::try_from(row.try_get::<i64, _>(0)?).unwrap_or(0);
    let event_id: Vec<u8> = row.try_get(3)?;
    let metadata: String = row.try_get(7)?;
    let recorded_at: String = row.try_get(8)?;
    let effective_at: String = row.try_get(9)?;
    let hash: Vec<u8> = row.try_get(10)?;
    Ok(RecordedEvent {
        position,
        stream_id: row.try_get(1)?,
        stream_version: u64::try_from(row.try_get::<i64, _>(2)?).unwrap_or(0),
        event_id: Uuid::from_slice(&event_id)
            .map_err(|_| corrupt(position, "事件标识不是 16 字节的 UUID"))?,
        event_type: row.try_get(4)?,
        schema_version: u32::try_from(row.try_get::<i64, _>(5)?)
            .map_err(|_| corrupt(position, "结构版本超出范围"))?,
        payload: row.try_get(6)?,
        metadata: serde_json::from_str(&metadata)
            .map_err(|e| corrupt(position, format!("元数据无法解析：{e}")))?,
        recorded_at: time::parse(&recorded_at)
            .ok_or_else(|| corrupt(position, format!("记录时间无法解析：{recorded_at}")))?,
        effective_at: time::parse_date(&effective_at)
            .ok_or_else(|| corrupt(position, format!("生效日期无法解析：{effective_at}")))?,
        hash: hex::encode(hash),
    })
}

/// An owned event from a borrowed row.
fn recorded(e: &EventRef<'_>) -> Result<RecordedEvent, StoreError> {
    let position = e.position;
    Ok(RecordedEvent {
        position,
        stream_id: e.stream_id.to_string(),
        stream_version: e.stream_version,
        event_id: e
            .event_uuid()
            .ok_or_else(|| corrupt(position, "事件标识不是 16 字节的 UUID"))?,
        event_type: e.event_type.to_string(),
        schema_version: e.schema_version,
        payload: e.payload.to_string(),
        metadata: serde_json::from_str(e.metadata)
            .map_err(|err| corrupt(position, format!("元数据无法解析：{err}")))?,
        recorded_at: time::parse(e.recorded_at)
            .ok_or_else(|| corrupt(position, format!("记录时间无法解析：{}", e.recorded_at)))?,
        effective_at: time::parse_date(e.effective_at)
            .ok_or_else(|| corrupt(position, format!("生效日期无法解析：{}", e.effective_at)))?,
        hash: hex::encode(e.hash),
    })
}

/// Refuse a file whose applied migrations this binary does not know, before touching it.
async fn check_schema(
    conn: &mut sqlx::SqliteConnection,
    read_only: bool,
) -> Result<(), StoreError> {
    let has_table: Option<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    let applied: Vec<i64> = if has_table.is_some() {
        sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE success = 1 ORDER BY version",
        )
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };
    let known_set: HashSet<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    if let Some(&unknown) = applied.iter().rev().find(|v| !known_set.contains(v)) {
        return Err(StoreError::SchemaTooNew {
            applied: unknown,
            known,
        });
    }
    if read_only && applied.len() < known_set.len() {
        return Err(StoreError::SchemaOutdated {
            applied: applied.last().copied().unwrap_or(0),
            known,
        });
    }
    Ok(())
}

/// Run a passive checkpoint whenever commits have happened, at most once a second, until the
/// writer is gone. A failing checkpoint is a fault like a failing write: noted in the store's
/// health (readiness, metrics, one log line), its connection replaced, retried every second
/// until it succeeds.
async fn checkpointer(
    mut conn: sqlx::SqliteConnection,
    options: SqliteConnectOptions,
    mut head: watch::Receiver<u64>,
    health: Arc<health::Health>,
) {
    use sqlx::Connection;
    let mut failing = false;
    loop {
        if failing {
            // Retry on a timer, whether or not anything was committed meanwhile.
            tokio::time::sleep(Duration::from_secs(1)).await;
            if head.has_changed().is_err() {
                break;
            }
        } else {
            if head.changed().await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        head.borrow_and_update();
        let result = match health.injected() {
            Some(fault) => Err(fault.error()),
            None => sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&mut conn)
                .await
                .map(|_| ())
                .map_err(StoreError::from),
        };
        match result {
            Ok(()) => {
                failing = false;
                health.checkpoint_ok();
            }
            Err(e) => {
                failing = true;
                health.checkpoint_failed(&e);
                if let Ok(fresh) = options.connect().await {
                    let old = std::mem::replace(&mut conn, fresh);
                    let _ = old.close().await;
                }
            }
        }
    }
    let _ = conn.close().await;
}

fn migrate_error(e: sqlx::migrate::MigrateError) -> StoreError {
    use sqlx::migrate::MigrateError;
    let known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    match e {
        MigrateError::VersionMissing(v) => StoreError::SchemaTooNew { applied: v, known },
        MigrateError::VersionMismatch(v) => StoreError::SchemaModified { version: v },
        MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _) => e.into(),
        other => StoreError::Database {
            code: -1,
            message: other.to_string(),
        },
    }
}

impl Store {
    /// Open (creating it if missing, unless told otherwise) the log at `path` and bring its schema up to date.
    ///
    /// A `path` of the form `postgres://…` (or `postgresql://…`) opens the log in that
    /// PostgreSQL database instead (the database must exist; its schema is created and migrated
    /// unless `read_only`). Several processes may then write the same log.
    pub async fn open(path: impl AsRef<Path>, options: StoreOptions) -> Result<Store, StoreError> {
        if let Some(url) = pg::is_url(path.as_ref()) {
            return pg::open(url, options).await;
        }
        let path = path.as_ref().to_path_buf();
        Self::open_inner(&path, options)
            .await
            .map_err(|e| error::with_path(e, &path))
    }

    async fn open_inner(path: &Path, options: StoreOptions) -> Result<Store, StoreError> {
        if !options.create_if_missing && !path.exists() {
            return Err(StoreError::NotFound {
                path: path.to_path_buf(),
            });
        }
        let base = SqliteConnectOptions::new()
            .filename(path)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(false);
        let mut write_opts = base
            .clone()
            .create_if_missing(options.create_if_missing && !options.read_only)
            .read_only(options.read_only)
            .statement_cache_capacity(64)
            .synchronous(match options.durability {
                Durability::Full => SqliteSynchronous::Full,
                Durability::Normal => SqliteSynchronous::Normal,
            })
            .pragma("cache_size", "-65536")
            // Statement journals (a multi-row insert's undo pages, kept until the statement
            // ends) in memory: on disk they cost a temporary file's writes for every group whose
            // rows touch scattered index pages (command ids, event ids).
            .pragma("temp_store", "MEMORY")
            .pragma("wal_autocheckpoint", "16384")
            .pragma("journal_size_limit", "67108864");
        if !options.read_only {
            write_opts = write_opts.journal_mode(SqliteJournalMode::Wal);
        }
        if let Some(bytes) = options.max_size_bytes {
            // The page size is 4096 unless the file says otherwise; the cap is approximate.
            write_opts = write_opts.pragma("max_page_count", (bytes / 4096).max(1).to_string());
        }
        let mut conn = write_opts.connect().await?;
        // Touch the file so that "not a database" shows here, not at the first append.
        sqlx::query("SELECT count(*) FROM sqlite_master")
            .execute(&mut conn)
            .await?;
        check_schema(&mut conn, options.read_only).await?;
        if !options.read_only {
            MIGRATOR.run(&mut conn).await.map_err(migrate_error)?;
        }

        let last: Option<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
                .fetch_optional(&mut conn)
                .await?;
        let chain = match last {
            None => Chain::at(0, hash::GENESIS),
            Some((p, h)) => Chain::at(
                u64::try_from(p).unwrap_or(0),
                h.as_slice().try_into().map_err(|_| {
                    corrupt(
                        u64::try_from(p).unwrap_or(0),
                        "最后一个事件的哈希不是 32 字节",
                    )
                })?,
            ),
        };

        let backup_options = base.clone().read_only(options.read_only);
        let readers = SqlitePoolOptions::new()
            .max_connections(options.read_connections.max(1))
            .min_connections(0)
            .connect_with(
                base.read_only(options.read_only)
                    .pragma("query_only", "ON")
                    .pragma("cache_size", "-16384"),
            )
            .await?;

        let (head_tx, head_rx) = watch::channel(chain.position);
        let health = Arc::new(health::Health::default());
        if !options.read_only {
            // Checkpoints run beside the writer, on their own connection, so that copying the
            // WAL into the database never stalls a commit. The writer's own automatic
            // checkpoint stays as a backstop at a larger threshold.
            let ckpt = write_opts.clone().connect().await?;
            tokio::spawn(checkpointer(
                ckpt,
                write_opts.clone(),
                head_rx.clone(),
                health.clone(),
            ));
        }
        let streams = Arc::new(streams::StreamFilter::for_events(chain.position));
        tokio::spawn(fill_filter(
            readers.clone(),
            streams.clone(),
            "SELECT stream_id FROM events WHERE stream_version = 1",
        ));
        let next_seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM commands")
            .fetch_one(&mut conn)
            .await?;
        let commands = Arc::new(command_index::CommandIndex::default());
        tokio::spawn(command_index::fill(
            readers.clone(),
            commands.clone(),
            next_seq,
        ));
        let (tx, rx) = mpsc::channel(4096);
        let writer = Writer {
            conn,
            rx,
            head: head_tx,
            chain,
            streams: streams.clone(),
            connect: write_opts.clone(),
            health: health.clone(),
            broken: false,
            commands: commands.clone(),
            next_seq,
        };
        tokio::spawn(writer.run());
        Ok(Store {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                writer: tx,
                readers: Readers::Sqlite(readers),
                head: head_rx,
                token_generation: Arc::new(std::sync::atomic::AtomicU64::new(0)),
                streams,
                health,
                backup_options,
                commands: Some(commands),
            }),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Whether the store can write now, and the faults counted since it opened.
    pub fn health(&self) -> StoreHealth {
        self.inner.health.snapshot()
    }

    /// Free space on the database's filesystem and the sizes of the database and its WAL.
    pub fn disk_usage(&self) -> Result<DiskUsage, StoreError> {
        if let Readers::Postgres(_) = &self.inner.readers {
            return Err(StoreError::Unsupported {
                what: "PostgreSQL 的磁盘用量由数据库服务器监控，不在本进程测量".into(),
            });
        }
        health::disk_usage(&self.inner.path)
    }

    /// Fault injection at the store boundary, for tests and drills: while `Some`, every
    /// commit and checkpoint fails as SQLite fails when the disk refuses a write (see
    /// [`InjectedFault`]); `None` clears it, and the writer resumes by itself.
    pub fn inject_fault(&self, fault: Option<InjectedFault>) {
        self.inner.health.inject(fault);
    }

    /// Append `events` to one stream, checked against `expected`. All or nothing.
    pub async fn append(
        &self,
        stream_id: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        metadata: Metadata,
    ) -> Result<AppendResult, StoreError> {
        let write = StreamWrite {
            stream_id: stream_id.to_string(),
            expected,
            events,
        };
        let mut results = self.append_multi(vec![write], metadata).await?;
        results.pop().ok_or(StoreError::Closed)
    }

    /// Several streams atomically (all or nothing), each checked against its own expected
    /// version; one command id for the whole. A command id is recorded with the origin
    /// [`CommandOrigin::of_writes`]: the metadata's role and actor, and the writes' digest.
    pub async fn append_multi(
        &self,
        writes: Vec<StreamWrite>,
        metadata: Metadata,
    ) -> Result<Vec<AppendResult>, StoreError> {
        self.append_multi_from(writes, metadata, None).await
    }

    /// [`Store::append_multi`] with the command id's origin given by the caller (who issued
    /// the command, and the digest of its input): a retry is answered with the first result
    /// only for the same origin and streams; any other is refused with
    /// [`StoreError::IdempotencyKeyReused`]. The origin is ignored without a command id.
    pub async fn append_multi_from(
        &self,
        writes: Vec<StreamWrite>,
        metadata: Metadata,
        origin: Option<CommandOrigin>,
    ) -> Result<Vec<AppendResult>, StoreError> {
        self.append_guarded(writes, metadata, origin, None).await
    }

    /// [`Store::append_multi_from`] for a command whose rule spans streams (one ID number per
    /// cadre, 回避, one open review per cadre), decided on facts read when the log's head was
    /// at `guard.after`: the append is refused with [`StoreError::ExclusiveMoved`] (nothing
    /// written) if another decision's guarded append committed after that position, in this
    /// process or any other sharing the log. The check runs where appends are serialized (the
    /// writer; on PostgreSQL under the head lock), so two guarded appends decided on the same
    /// facts cannot both commit: the caller decides the refused one again. `None` is no guard.
    pub async fn append_guarded(
        &self,
        writes: Vec<StreamWrite>,
        metadata: Metadata,
        origin: Option<CommandOrigin>,
        guard: Option<ExclusiveGuard>,
    ) -> Result<Vec<AppendResult>, StoreError> {
        if writes.is_empty() {
            return Err(StoreError::EmptyEvents {
                stream_id: String::new(),
            });
        }
        let mut seen = HashSet::new();
        for w in &writes {
            if !seen.insert(w.stream_id.as_str()) {
                return Err(StoreError::DuplicateStream {
                    stream_id: w.stream_id.clone(),
                });
            }
        }
        let writes = writes
            .into_iter()
            .map(prepare_write)
            .collect::<Result<Vec<_>, _>>()?;
        let metadata_json = serde_json::to_string(&metadata).map_err(|e| StoreError::Database {
            code: -1,
            message: e.to_string(),
        })?;
        let command = metadata.command_id.as_ref().map(|id| commands::CommandKey {
            id: id.clone(),
            origin: origin.unwrap_or_else(|| CommandOrigin::of_writes(&metadata, &writes)),
        });
        let req = AppendRequest {
            writes,
            metadata: metadata_json,
            command,
            guard,
        };
        let (reply, rx) = oneshot::channel();
        self.inner
            .writer
            .send(Request::Append { req, reply })
            .await
            .map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Write a batch of exported events exactly as they were stored (same positions, event
    /// ids, `recorded_at` and hashes), so that the imported log is the exported one.
    ///
    /// The batch must continue the log exactly: its first position is the current head + 1
    /// (1 for an empty log), positions run without gaps, each stream's versions continue its
    /// current version, event ids are new, `payload` and `metadata` are valid JSON, the dates
    /// are in the store's encodings, and every given hash equals the chain hash recomputed from
    /// the head with [`hash::chain_hash`]. Any refusal names the position and writes nothing of
    /// the batch. The batch goes through the writer task and is committed in one transaction of
    /// its own, after the appends queued before it and before those queued after it, so it is
    /// serialized with appends (an append committed in between makes the next batch refused
    /// with `import_not_at_head`). Imported events' command ids are not recorded for retries.
    /// Returns the number of events written.
    pub async fn import(&self, batch: Vec<ImportedEvent>) -> Result<u64, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.inner
            .writer
            .send(Request::Import {
                events: batch,
                reply,
            })
            .await
            .map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Every event after `after_position`, then every event committed later, each once, in order.
    pub fn subscribe(&self, after_position: u64) -> Subscription {
        Subscription::new(self.clone(), self.inner.head.clone(), after_position)
    }

    /// False only if `stream_id` certainly has no event yet, answered from memory: a command
    /// on a new stream can then skip reading it. True while the store is still noting the
    /// streams of the log it opened (a few seconds for millions of events), and for any
    /// stream that exists or that a small share of false positives lets through.
    pub fn stream_may_exist(&self, stream_id: &str) -> bool {
        self.inner.streams.may_exist(stream_id)
    }

    /// The record of command id `command_id`: its origin and first result, `None` if it was
    /// never used. A command id this handle's writer has not seen and that was not in the file
    /// when it opened costs no query (the usual case: a new command).
    pub async fn command(&self, command_id: &str) -> Result<Option<CommandRecord>, StoreError> {
        let readers = sqlite_or!(self, pg => pg.command(command_id).await);
        let Some(index) = &self.inner.commands else {
            return Ok(None);
        };
        // A new command id (the usual case) is answered from memory, without a connection.
        if !command_index::may_hold(index, command_id).await {
            return Ok(None);
        }
        let mut conn = readers.acquire().await?;
        command_index::find(&mut conn, index, command_id, None)
            .await?
            .map(|prior| commands::record(command_id.to_owned(), prior))
            .transpose()
    }

    /// The last position committed through this handle's writer, without a query: every event
    /// at or below it is durable and readable. (Appends by another process are not seen here;
    /// [`Store::head`] asks the file.)
    pub fn committed(&self) -> u64 {
        *self.inner.head.borrow()
    }

    /// Is this handle's writer the only one appending to the log? True on SQLite (a second
    /// process is refused the file), false on PostgreSQL, where other processes may append:
    /// then [`Store::committed`] is not the whole log and facts are read from the log itself.
    pub fn sole_writer(&self) -> bool {
        matches!(self.inner.readers, Readers::Sqlite(_))
    }

    /// The last committed position (0 if the log is empty).
    pub async fn head(&self) -> Result<u64, StoreError> {
        let readers = sqlite_or!(self, pg => pg.head().await);
        let p: Option<i64> = sqlx::query_scalar("SELECT MAX(position) FROM events")
            .fetch_one(readers)
            .await?;
        Ok(p.and_then(|p| u64::try_from(p).ok()).unwrap_or(0))
    }

    /// Flush the writer (every queued append is committed or refused), then close the database.
    /// Other clones of this store fail with `Closed` afterwards.
    pub async fn close(self) {
        let (reply, rx) = oneshot::channel();
        if self
            .inner
            .writer
            .send(Request::Shutdown { reply })
            .await
            .is_ok()
        {
            let _ = rx.await;
        }
        match &self.inner.readers {
            Readers::Sqlite(pool) => pool.close().await,
            Readers::Postgres(pg) => pg.pool.close().await,
        }
    }
}

/// Fill `filter` with every id `query` returns (stream ids), then mark it filled. Runs beside
/// everything else after open; the writer notes the streams it creates meanwhile.
async fn fill_filter(readers: SqlitePool, filter: Arc<streams::StreamFilter>, query: &'static str) {
    use futures::StreamExt;
    let mut rows = sqlx::query_scalar::<_, String>(query).fetch(&readers);
    loop {
        match rows.next().await {
            Some(Ok(stream_id)) => {
                filter.insert(&stream_id);
                if readers.is_closed() {
                    return; // the store is closing: let its connections go
                }
            }
            Some(Err(e)) => {
                tracing::debug!(error = %e, query, "filter not filled; every id is looked up");
                return;
            }
            None => break,
        }
    }
    filter.mark_filled();
}
