//! The PostgreSQL group commit in two round trips: read the head, versions and command ids in one statement without a lock, then write the whole group in one statement that moves the head only if nobody else did.
//!
//! The locked path ([`super::writer`]) spends six to eight round trips per group while it holds
//! the head row (`BEGIN`, lock, versions, command ids, events, commands, head, `COMMIT`); every
//! one of them is time no other group can commit in. Here the group is planned on a consistent
//! read of the committed log (one statement, one snapshot: the head with its chain hash and
//! guard mark, the streams' versions, the recorded command ids) by the same
//! [`crate::writer::plan_group`], then written by one statement run as its own transaction:
//! its first part moves `log_head` from the position read to the new one (`WHERE position =
//! read`), and the events, the command results and the notification are written only when that
//! update matched. Since every append moves the head under its row lock, an unchanged head
//! means nothing was appended since the read, so the plan holds; if another process committed
//! in between, the update matches nothing, nothing is written, and the group is redone on the
//! locked path. A constraint refusal (a duplicate event id) fails the statement, as in the
//! locked path, and is handled there.

use std::collections::HashMap;

use chrono::Utc;
use sqlx::PgConnection;

use super::LOG_CHANNEL;
use super::writer::{Columns, EVENT_COLUMNS, EventColumns, Group, UNNEST_EVENTS, classify};
use crate::commands::Prior;
use crate::error::StoreError;
use crate::types::AppendResult;
use crate::writer::{AppendRequest, Chain, Plan, plan_group};

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn from_i64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// The committed state a group is planned on.
struct Read {
    chain: Chain,
    versions: HashMap<String, u64>,
    prior: HashMap<String, Prior>,
}

type Row = (
    i64,
    Vec<u8>,
    i64,
    i64,
    Vec<String>,
    Vec<i64>,
    Vec<String>,
    Vec<String>,
    Vec<Option<String>>,
    Vec<Option<String>>,
);

/// One statement, one snapshot: the head, the versions of `streams`, the results of `ids`.
async fn read(conn: &mut PgConnection, streams: &[&str], ids: &[&str]) -> Result<Read, StoreError> {
    let row: Row = sqlx::query_as(
        "WITH v AS (SELECT stream_id, MAX(stream_version) AS version FROM events \
         WHERE stream_id = ANY($1) GROUP BY stream_id), \
         c AS (SELECT command_id, result, principal, digest FROM commands WHERE command_id = ANY($2)) \
         SELECT h.position, h.hash, h.exclusive, h.exclusive_by, \
         ARRAY(SELECT stream_id FROM v), ARRAY(SELECT version FROM v), \
         ARRAY(SELECT command_id FROM c), ARRAY(SELECT result FROM c), \
         ARRAY(SELECT principal FROM c), ARRAY(SELECT digest FROM c) \
         FROM log_head h WHERE h.id = 1",
    )
    .bind(streams)
    .bind(ids)
    .fetch_one(&mut *conn)
    .await
    .map_err(super::error)?;
    let (p, h, x, by, stream_ids, stream_versions, command_ids, results, principals, digests) = row;
    let mut chain = Chain::at(
        from_i64(p),
        h.as_slice().try_into().map_err(|_| StoreError::Corrupt {
            position: from_i64(p),
            reason: "日志头的哈希不是 32 字节".into(),
        })?,
    );
    chain.exclusive = from_i64(x);
    chain.exclusive_by = u64::from_ne_bytes(by.to_ne_bytes());
    let mut versions: HashMap<String, u64> = streams.iter().map(|s| (s.to_string(), 0)).collect();
    for (s, v) in stream_ids.into_iter().zip(stream_versions) {
        versions.insert(s, from_i64(v));
    }
    let prior = command_ids
        .into_iter()
        .zip(results)
        .zip(principals.into_iter().zip(digests))
        .map(|((id, result), (principal, digest))| {
            (
                id,
                Prior {
                    result,
                    principal,
                    digest,
                },
            )
        })
        .collect();
    Ok(Read {
        chain,
        versions,
        prior,
    })
}

/// What the fast path did with a group.
pub(super) enum Outcome {
    /// Written (or nothing to write): one result per append, and the head after it.
    Done(Vec<Result<Vec<AppendResult>, StoreError>>, u64),
    /// Another process moved the head between the read and the write: nothing was written.
    Moved,
}

/// Plan `reqs` on a read of the committed log and write them in one statement.
pub(super) async fn group(
    conn: &mut PgConnection,
    reqs: &[&AppendRequest],
    fault: Option<StoreError>,
) -> Result<Outcome, Group> {
    let mut streams: Vec<&str> = reqs
        .iter()
        .flat_map(|r| r.writes.iter().map(|w| w.stream_id.as_str()))
        .collect();
    streams.sort_unstable();
    streams.dedup();
    let ids: Vec<&str> = reqs
        .iter()
        .filter_map(|r| r.command.as_ref().map(|k| k.id.as_str()))
        .collect();
    let Read {
        mut chain,
        mut versions,
        mut prior,
    } = read(conn, &streams, &ids).await.map_err(Group::Fatal)?;
    let before = chain;
    let recorded_at = crate::time::format(&Utc::now());
    let Plan {
        results,
        rows,
        new_commands,
    } = plan_group(reqs, &mut versions, &mut prior, &mut chain, &recorded_at)
        .map_err(Group::Fatal)?;
    if chain.position == before.position {
        // Every append was answered (a retry, a conflict): nothing to write.
        return Ok(Outcome::Done(results, before.position));
    }
    if let Some(fault) = fault {
        return Err(Group::Fatal(fault));
    }
    let columns = Columns::of(
        rows.iter()
            .map(|r| EventColumns::planned(r, recorded_at.as_str())),
    );
    let command_ids: Vec<&str> = new_commands.iter().map(|(k, _)| k.id.as_str()).collect();
    let command_results: Vec<&str> = new_commands.iter().map(|(_, j)| j.as_str()).collect();
    let principals: Vec<&str> = new_commands
        .iter()
        .map(|(k, _)| k.origin.principal.as_str())
        .collect();
    let digests: Vec<&str> = new_commands
        .iter()
        .map(|(k, _)| k.origin.digest.as_str())
        .collect();
    let sql = format!(
        "WITH moved AS (UPDATE log_head SET position = $12, hash = $13, exclusive = $14, \
         exclusive_by = $15 WHERE id = 1 AND position = $16 RETURNING position), \
         ev AS (INSERT INTO events {EVENT_COLUMNS} SELECT * FROM {UNNEST_EVENTS} \
         WHERE EXISTS (SELECT 1 FROM moved)), \
         cmd AS (INSERT INTO commands (command_id, result, principal, digest) \
         SELECT * FROM UNNEST($17::text[], $18::text[], $19::text[], $20::text[]) \
         WHERE EXISTS (SELECT 1 FROM moved)) \
         SELECT pg_notify($21, position::text) FROM moved"
    );
    let written = columns
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .bind(to_i64(chain.position))
        .bind(&chain.hash[..])
        .bind(to_i64(chain.exclusive))
        .bind(i64::from_ne_bytes(chain.exclusive_by.to_ne_bytes()))
        .bind(to_i64(before.position))
        .bind(&command_ids)
        .bind(&command_results)
        .bind(&principals)
        .bind(&digests)
        .bind(LOG_CHANNEL)
        .fetch_optional(&mut *conn)
        .await
        .map_err(classify)?;
    Ok(match written {
        Some(_) => Outcome::Done(results, chain.position),
        None => Outcome::Moved,
    })
}
