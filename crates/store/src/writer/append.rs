//! One append on its own, the fallback when a statement of the fast path is refused: read,
//! checked and written inside a savepoint, so a refused append leaves the rest of the group untouched.

use chrono::Utc;
use sqlx::SqliteConnection;

use super::statements::{COMMAND_SQL, INSERT_SQL, chunk_sizes, from_i64, to_i64};
use super::{AppendRequest, Chain, PreparedWrite, SeqAlloc, guard, mark};
use crate::command_index::{CommandIndex, find};
use crate::commands::answer;
use crate::error::StoreError;
use crate::hash::{Canonical, chain_hash};
use crate::types::AppendResult;

pub(super) async fn append_one(
    conn: &mut SqliteConnection,
    chain: &mut Chain,
    req: &AppendRequest,
    known_commands: &CommandIndex,
    seqs: &mut SeqAlloc<'_>,
    since: i64,
) -> Result<Vec<AppendResult>, StoreError> {
    // 1. A retried command returns its first result (recorded earlier, or by this group);
    // otherwise read the current versions.
    if let Some(key) = &req.command
        && let Some(prior) = find(&mut *conn, known_commands, &key.id, Some(since)).await?
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
    match insert_all(conn, chain, req, &actual, seqs).await {
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
    seqs: &mut SeqAlloc<'_>,
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
            .bind(*seqs.next)
            .bind(key.id.as_str())
            .bind(json)
            .bind(key.origin.principal.as_str())
            .bind(key.origin.digest.as_str())
            .execute(&mut *conn)
            .await?;
        seqs.take(&key.id);
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
