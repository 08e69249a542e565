//! The event log on PostgreSQL: opening (schema check, migrations from `migrations-postgres/`), the read pool and every read of the [`Store`] API.
//!
//! The tables hold what the SQLite log holds, column for column (texts as stored, event ids and
//! hashes as raw bytes), so the chain is the same on both and a log moves between them with
//! identical positions and hashes. Appends are serialized on the `log_head` row (see
//! [`writer`]); readers read `position > checkpoint` and never see a gap, because a position is
//! only ever assigned under that lock, in commit order. Other processes' commits reach this
//! one through LISTEN/NOTIFY (see [`follow`]).

mod fast;
pub(crate) mod follow;
pub(crate) mod writer;

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions, PgRow};
use sqlx::{ConnectOptions, Row};
use tokio::sync::{mpsc, oneshot, watch};

use crate::commands::{self, CommandRecord};
use crate::error::StoreError;
use crate::types::{
    AnchorCheck, EventRef, RecordedEvent, ReplayRef, Snapshot, StoreOptions, StreamRange,
    TokenRecord,
};
use crate::{Inner, Readers, Store, audit, corrupt, health, raw, streams, time};

/// The embedded PostgreSQL migrations (`migrations-postgres/` at the workspace root).
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations-postgres");

/// The channel a commit notifies with the new head position.
pub(crate) const LOG_CHANNEL: &str = "dossier_log";
/// The channel a token change notifies (caches of valid tokens drop what they hold).
pub(crate) const TOKEN_CHANNEL: &str = "dossier_tokens";

/// Rows per read of a scan.
const SCAN_CHUNK: u64 = 8192;

const SELECT_EVENT: &str = "SELECT position, stream_id, stream_version, event_id, event_type, \
    schema_version, payload, metadata, recorded_at, effective_at, hash FROM events";

/// Whether `path` names a PostgreSQL database (`postgres://…` or `postgresql://…`).
pub fn is_url(path: &Path) -> Option<&str> {
    path.to_str()
        .filter(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// The read side of a PostgreSQL log.
#[derive(Debug)]
pub(crate) struct Pg {
    pub pool: PgPool,
}

/// A database URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Classify a PostgreSQL failure: constraint and append-only refusals, a full disk, a
/// read-only server, and a server that cannot be reached (retryable) are told apart.
pub(crate) fn error(err: sqlx::Error) -> StoreError {
    match err {
        sqlx::Error::Database(db) => {
            let state = db.code().map(|c| c.to_string()).unwrap_or_default();
            let message = db.message().to_string();
            match state.as_str() {
                s if s.starts_with("23") || s == "P0001" => StoreError::Database {
                    code: crate::error::code::CONSTRAINT,
                    message,
                },
                "53100" => StoreError::DiskFull { message },
                "25006" => StoreError::ReadOnly { message },
                s if s.starts_with("08") || s.starts_with("57P") || s == "53300" => {
                    StoreError::Unreachable { message }
                }
                _ => StoreError::Database { code: -1, message },
            }
        }
        sqlx::Error::Io(e) => StoreError::Unreachable {
            message: e.to_string(),
        },
        sqlx::Error::PoolTimedOut => StoreError::Unreachable {
            message: "连接池等待超时".into(),
        },
        sqlx::Error::Tls(e) => StoreError::Unreachable {
            message: e.to_string(),
        },
        sqlx::Error::Protocol(m) => StoreError::Unreachable { message: m },
        sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => StoreError::Closed,
        other => StoreError::Database {
            code: -1,
            message: other.to_string(),
        },
    }
}

fn migrate_error(e: sqlx::migrate::MigrateError) -> StoreError {
    use sqlx::migrate::MigrateError;
    let known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    match e {
        MigrateError::VersionMissing(v) => StoreError::SchemaTooNew { applied: v, known },
        MigrateError::VersionMismatch(v) => StoreError::SchemaModified { version: v },
        MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _) => error(e),
        other => StoreError::Database {
            code: -1,
            message: other.to_string(),
        },
    }
}

/// Refuse a database whose applied migrations this binary does not know; opened read-only,
/// refuse one that is not migrated up to date (nothing is written then).
async fn check_schema(conn: &mut PgConnection, read_only: bool) -> Result<(), StoreError> {
    let has_table: Option<String> =
        sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations')::text")
            .fetch_one(&mut *conn)
            .await
            .map_err(error)?;
    let known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    let applied: Vec<i64> = if has_table.is_some() {
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(&mut *conn)
            .await
            .map_err(error)?
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

/// Bring the schema of the PostgreSQL database at `url` up to date (what `dossier migrate`
/// does; [`Store::open`] does it too). Returns the versions applied now.
pub async fn migrate(url: &str) -> Result<Vec<i64>, StoreError> {
    let options = PgConnectOptions::from_str(url).map_err(error)?;
    let mut conn = options.connect().await.map_err(error)?;
    check_schema(&mut conn, false).await?;
    let before: HashSet<i64> = applied(&mut conn).await?;
    MIGRATOR.run(&mut conn).await.map_err(migrate_error)?;
    let after = applied(&mut conn).await?;
    let mut now: Vec<i64> = after.difference(&before).copied().collect();
    now.sort_unstable();
    Ok(now)
}

async fn applied(conn: &mut PgConnection) -> Result<HashSet<i64>, StoreError> {
    let has_table: Option<String> =
        sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations')::text")
            .fetch_one(&mut *conn)
            .await
            .map_err(error)?;
    if has_table.is_none() {
        return Ok(HashSet::new());
    }
    let v: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
        .fetch_all(&mut *conn)
        .await
        .map_err(error)?;
    Ok(v.into_iter().collect())
}

/// The committed head position of the log.
pub(crate) async fn head_position<'e, E>(executor: E) -> Result<u64, StoreError>
where
    E: sqlx::PgExecutor<'e>,
{
    let p: i64 = sqlx::query_scalar("SELECT position FROM log_head WHERE id = 1")
        .fetch_one(executor)
        .await
        .map_err(error)?;
    Ok(u64::try_from(p).unwrap_or(0))
}

/// Open the log in the PostgreSQL database at `url` (see [`Store::open`]).
pub(crate) async fn open(url: &str, options: StoreOptions) -> Result<Store, StoreError> {
    let connect = PgConnectOptions::from_str(url)
        .map_err(error)?
        .application_name("dossier")
        .log_statements(tracing::log::LevelFilter::Trace);
    let mut conn = connect.connect().await.map_err(error)?;
    check_schema(&mut conn, options.read_only).await?;
    if !options.read_only {
        MIGRATOR.run(&mut conn).await.map_err(migrate_error)?;
    }
    let head = head_position(&mut conn).await?;
    use sqlx::Connection;
    let _ = conn.close().await;

    let pool = PgPoolOptions::new()
        .max_connections(options.read_connections.max(1))
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(10))
        .connect_lazy_with(connect.clone());
    let write_pool = PgPoolOptions::new()
        .max_connections(1)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(10))
        .connect_lazy_with(connect.clone());

    let (head_tx, head_rx) = watch::channel(head);
    let head_tx = Arc::new(head_tx);
    let health = Arc::new(health::Health::default());
    let token_generation = Arc::new(std::sync::atomic::AtomicU64::new(0));
    // Other processes write to the same log: no id is ever ruled out from memory.
    let streams = Arc::new(streams::StreamFilter::for_events(0));
    let (stop_tx, stop_rx) = oneshot::channel();
    tokio::spawn(follow::follow(
        connect.clone(),
        pool.clone(),
        head_tx.clone(),
        token_generation.clone(),
        stop_rx,
    ));
    let (tx, rx) = mpsc::channel(4096);
    let writer = writer::PgWriter {
        pool: write_pool,
        rx,
        head: head_tx,
        health: health.clone(),
        read_only: options.read_only,
        optimistic: options.optimistic_groups,
        _stop: stop_tx,
    };
    tokio::spawn(writer.run());
    Ok(Store {
        inner: Arc::new(Inner {
            path: PathBuf::from(url),
            writer: tx,
            readers: Readers::Postgres(Pg { pool }),
            head: head_rx,
            token_generation,
            streams,
            health,
            backup_options: sqlx::sqlite::SqliteConnectOptions::new(),
            commands: None,
        }),
    })
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn from_i64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// A borrowed event from a row of [`SELECT_EVENT`].
fn event_ref(row: &PgRow) -> Result<EventRef<'_>, StoreError> {
    let position = from_i64(row.try_get(0).map_err(error)?);
    Ok(EventRef {
        position,
        stream_id: row.try_get(1).map_err(error)?,
        stream_version: from_i64(row.try_get(2).map_err(error)?),
        event_id: row.try_get(3).map_err(error)?,
        event_type: row.try_get(4).map_err(error)?,
        schema_version: u32::try_from(row.try_get::<i64, _>(5).map_err(error)?)
            .map_err(|_| corrupt(position, "结构版本超出范围"))?,
        payload: row.try_get(6).map_err(error)?,
        metadata: row.try_get(7).map_err(error)?,
        recorded_at: row.try_get(8).map_err(error)?,
        effective_at: row.try_get(9).map_err(error)?,
        hash: row.try_get(10).map_err(error)?,
    })
}

/// How a scan shape reads its columns from PostgreSQL.
pub(crate) trait PgShape: raw::Shape {
    /// `SELECT …` with `$1` = after position and `$2` = limit; column 0 is the position.
    const PG_SQL: &'static str;
    fn pg_row(row: &PgRow) -> Result<Self::Row<'_>, StoreError>;
    fn position(row: &Self::Row<'_>) -> u64;
}

impl PgShape for raw::Full {
    const PG_SQL: &'static str = "SELECT position, stream_id, stream_version, event_id, event_type, \
        schema_version, payload, metadata, recorded_at, effective_at, hash \
        FROM events WHERE position > $1 ORDER BY position LIMIT $2";

    fn pg_row(row: &PgRow) -> Result<EventRef<'_>, StoreError> {
        event_ref(row)
    }

    fn position(row: &EventRef<'_>) -> u64 {
        row.position
    }
}

impl PgShape for raw::Replay {
    const PG_SQL: &'static str = "SELECT position, stream_id, stream_version, event_type, \
        schema_version, payload, effective_at FROM events WHERE position > $1 \
        ORDER BY position LIMIT $2";

    fn pg_row(row: &PgRow) -> Result<ReplayRef<'_>, StoreError> {
        let position = from_i64(row.try_get(0).map_err(error)?);
        Ok(ReplayRef {
            position,
            stream_id: row.try_get(1).map_err(error)?,
            stream_version: from_i64(row.try_get(2).map_err(error)?),
            event_type: row.try_get(3).map_err(error)?,
            schema_version: u32::try_from(row.try_get::<i64, _>(4).map_err(error)?)
                .map_err(|_| corrupt(position, "结构版本超出范围"))?,
            payload: row.try_get(5).map_err(error)?,
            effective_at: row.try_get(6).map_err(error)?,
        })
    }

    fn position(row: &ReplayRef<'_>) -> u64 {
        row.position
    }
}

impl Pg {
    /// Scan at most `max` events after `after`, in position order, in chunks.
    /// The events after `after` (at most `max`) in position order, in chunks; the next chunk is
    /// fetched while the caller folds the current one, so the server's reading and sending
    /// overlap the caller's work.
    pub(crate) async fn scan<S: PgShape>(
        &self,
        after: u64,
        max: u64,
        mut f: impl FnMut(S::Row<'_>) -> ControlFlow<()> + Send,
    ) -> Result<u64, StoreError> {
        let sql: &'static str = S::PG_SQL;
        let fetch = |after: u64, want: u64| {
            let pool = self.pool.clone();
            let task = tokio::spawn(async move {
                sqlx::query(sql)
                    .bind(to_i64(after))
                    .bind(to_i64(want))
                    .fetch_all(&pool)
                    .await
            });
            (task, want)
        };
        let mut last = after;
        let mut remaining = max;
        let mut next = (remaining > 0).then(|| fetch(last, remaining.min(SCAN_CHUNK)));
        while let Some((task, want)) = next.take() {
            let rows = task
                .await
                .map_err(|e| StoreError::Database {
                    code: -1,
                    message: format!("读取事件的任务中断：{e}"),
                })?
                .map_err(error)?;
            let n = rows.len() as u64;
            remaining -= n;
            if n == want
                && remaining > 0
                && let Some(row) = rows.last()
            {
                let p: i64 = row.try_get(0).map_err(error)?;
                next = Some(fetch(from_i64(p), remaining.min(SCAN_CHUNK)));
            }
            for row in &rows {
                let r = S::pg_row(row)?;
                last = S::position(&r);
                if f(r).is_break() {
                    if let Some((task, _)) = next {
                        task.abort();
                    }
                    return Ok(last);
                }
            }
        }
        Ok(last)
    }

    pub(crate) async fn read_stream(
        &self,
        stream_id: &str,
        range: StreamRange,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let sql = format!(
            "{SELECT_EVENT} WHERE stream_id = $1 AND stream_version >= $2 \
             AND position <= $3 AND effective_at <= $4 ORDER BY stream_version"
        );
        let until = match range.effective_until {
            Some(d) => time::format_date(&d).unwrap_or_else(|| "9999-12-31".into()),
            None => "9999-12-31".into(),
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(stream_id)
            .bind(to_i64(range.from_version))
            .bind(range.to_position.map(to_i64).unwrap_or(i64::MAX))
            .bind(until)
            .fetch_all(&self.pool)
            .await
            .map_err(error)?;
        rows.iter()
            .map(|row| crate::recorded(&event_ref(row)?))
            .collect()
    }

    pub(crate) async fn command(
        &self,
        command_id: &str,
    ) -> Result<Option<CommandRecord>, StoreError> {
        let row: Option<(String, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT result, principal, digest FROM commands WHERE command_id = $1")
                .bind(command_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(error)?;
        row.map(|(result, principal, digest)| {
            commands::record(
                command_id.to_owned(),
                commands::Prior {
                    result,
                    principal,
                    digest,
                },
            )
        })
        .transpose()
    }

    pub(crate) async fn head(&self) -> Result<u64, StoreError> {
        head_position(&self.pool).await
    }

    pub(crate) async fn stream_version(&self, stream_id: &str) -> Result<u64, StoreError> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT MAX(stream_version) FROM events WHERE stream_id = $1")
                .bind(stream_id)
                .fetch_one(&self.pool)
                .await
                .map_err(error)?;
        Ok(v.map(from_i64).unwrap_or(0))
    }

    pub(crate) async fn list_streams(
        &self,
        prefix: &str,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT stream_id, MAX(stream_version) FROM events \
             WHERE stream_id >= $1 AND left(stream_id, length($1)) = $1 \
             GROUP BY stream_id ORDER BY stream_id COLLATE \"C\"",
        )
        .bind(prefix)
        .fetch_all(&self.pool)
        .await
        .map_err(error)?;
        Ok(rows.into_iter().map(|(s, v)| (s, from_i64(v))).collect())
    }

    pub(crate) async fn anchor(&self) -> Result<Option<(u64, String)>, StoreError> {
        let row: Option<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await
                .map_err(error)?;
        Ok(row.map(|(p, h)| (from_i64(p), hex::encode(&h))))
    }

    pub(crate) async fn check_anchor(
        &self,
        position: u64,
        hash: &str,
    ) -> Result<AnchorCheck, StoreError> {
        let row: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT hash FROM events WHERE position = $1")
                .bind(to_i64(position))
                .fetch_optional(&self.pool)
                .await
                .map_err(error)?;
        Ok(match row {
            None => AnchorCheck::Missing { position },
            Some(stored) if hex::encode(&stored).eq_ignore_ascii_case(hash.trim()) => {
                AnchorCheck::Matches
            }
            Some(stored) => AnchorCheck::Differs {
                position,
                stored: hex::encode(&stored),
            },
        })
    }

    pub(crate) async fn load_snapshot(&self, name: &str) -> Result<Option<Snapshot>, StoreError> {
        type SnapRow = (String, i64, i64, Vec<u8>, Option<Vec<u8>>, Option<Vec<u8>>);
        let row: Option<SnapRow> = sqlx::query_as(
            "SELECT s.name, s.version, s.position, s.data, s.chain_hash, e.hash FROM snapshots AS s \
             LEFT JOIN events AS e ON e.position = s.position WHERE s.name = $1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await
        .map_err(error)?;
        let Some((name, version, position, data, recorded, actual)) = row else {
            return Ok(None);
        };
        if let Some(reason) =
            audit::snapshot_mismatch(position, recorded.as_deref(), actual.as_deref())
        {
            tracing::warn!(snapshot = %name, %reason, "snapshot does not fit the log; discarded, the read model is rebuilt from the log");
            return Ok(None);
        }
        Ok(Some(Snapshot {
            name,
            version: u32::try_from(version).unwrap_or(0),
            position: from_i64(position),
            data,
        }))
    }

    pub(crate) async fn find_token(&self, hash: &str) -> Result<Option<TokenRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT hash, role, scope, label, created_at, revoked_at, expires_at FROM tokens WHERE hash = $1",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(error)?;
        row.as_ref().map(decode_token).transpose()
    }

    pub(crate) async fn list_tokens(&self) -> Result<Vec<TokenRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT hash, role, scope, label, created_at, revoked_at, expires_at FROM tokens \
             ORDER BY created_at, hash COLLATE \"C\"",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(error)?;
        rows.iter().map(decode_token).collect()
    }

    /// The snapshots with the log's hash at their positions, and the recorded command ids.
    pub(crate) async fn side_tables(
        &self,
    ) -> Result<(audit::SnapshotRows, Vec<(String, String)>), StoreError> {
        let snapshots: audit::SnapshotRows = sqlx::query_as(
            "SELECT s.name, s.position, s.chain_hash, e.hash FROM snapshots AS s \
             LEFT JOIN events AS e ON e.position = s.position ORDER BY s.name COLLATE \"C\"",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(error)?;
        let commands: Vec<(String, String)> = sqlx::query_as(
            "SELECT command_id, result FROM commands ORDER BY command_id COLLATE \"C\"",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(error)?;
        Ok((snapshots, commands))
    }

    /// The stream and metadata of the event at `position`.
    pub(crate) async fn event_origin(
        &self,
        position: u64,
    ) -> Result<Option<(String, String)>, StoreError> {
        sqlx::query_as("SELECT stream_id, metadata FROM events WHERE position = $1")
            .bind(to_i64(position))
            .fetch_optional(&self.pool)
            .await
            .map_err(error)
    }
}

fn decode_token(row: &PgRow) -> Result<TokenRecord, StoreError> {
    let created_at: String = row.try_get(4).map_err(error)?;
    let revoked_at: Option<String> = row.try_get(5).map_err(error)?;
    let expires_at: Option<String> = row.try_get(6).map_err(error)?;
    let when = |s: String, what: &str| {
        time::parse(&s).ok_or_else(|| corrupt(0, format!("令牌{what}时间无法解析：{s}")))
    };
    Ok(TokenRecord {
        hash: row.try_get(0).map_err(error)?,
        role: row.try_get(1).map_err(error)?,
        scope: row.try_get(2).map_err(error)?,
        label: row.try_get(3).map_err(error)?,
        created_at: when(created_at, "创建")?,
        revoked_at: revoked_at.map(|s| when(s, "撤销")).transpose()?,
        expires_at: expires_at.map(|s| when(s, "到期")).transpose()?,
    })
}
