//! Importing exported events as given: each checked against the chain (position, stream
//! version, field formats, recomputed hash), then inserted.

use std::collections::HashMap;

use sqlx::SqliteConnection;

use super::Chain;
use super::statements::{INSERT_SQL, chunk_sizes, from_i64, to_i64};
use crate::error::StoreError;
use crate::hash::chain_hash;
use crate::types::{ImportedEvent, Metadata};

/// Check `events` against the log's head `chain` and the streams' current versions, then
/// insert them as given. `chain` ends at the batch's last event.
pub(super) async fn import_batch(
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
