//! The fast path of a group commit on SQLite: versions and command ids read with two queries,
//! the group planned in memory, every accepted event written with multi-row statements.

use std::collections::HashMap;

use chrono::Utc;
use sqlx::SqliteConnection;

use super::plan::{Plan, plan_group};
use super::statements::{COMMAND_SQL, INSERT_SQL, chunk_sizes, from_i64, to_i64};
use super::{AppendRequest, Chain, SeqAlloc};
use crate::command_index::{CommandIndex, find};
use crate::commands::Prior;
use crate::error::StoreError;
use crate::types::AppendResult;

pub(super) enum Fast {
    /// A statement was refused by a constraint: redo the group append by append.
    Fallback,
    /// The database itself failed: the whole group fails.
    Fatal(StoreError),
}

/// Check every append of the group in memory (versions and command ids read with two
/// queries), then write all accepted events with multi-row inserts. Returns one result per
/// append, in order. Refusals (conflicts, reused command ids) are results, not failures.
pub(super) async fn fast_group(
    conn: &mut SqliteConnection,
    chain: &mut Chain,
    reqs: &[&AppendRequest],
    known_commands: &CommandIndex,
    seqs: &mut SeqAlloc<'_>,
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
        if !prior.contains_key(&key.id)
            && let Some(p) = find(&mut *conn, known_commands, &key.id, None)
                .await
                .map_err(fatal)?
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
        for (i, (key, json)) in new_commands[offset..offset + size].iter().enumerate() {
            q = q
                .bind(*seqs.next + (offset + i) as i64)
                .bind(key.id.as_str())
                .bind(json.as_str())
                .bind(key.origin.principal.as_str())
                .bind(key.origin.digest.as_str());
        }
        offset += size;
        q.execute(&mut *conn).await.map_err(fatal)?;
    }
    for (key, _) in &new_commands {
        seqs.take(&key.id);
    }
    Ok(results)
}
