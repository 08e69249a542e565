//! The side tables checked against the log: snapshots (the position and chain hash they were taken at) and command ids (their results name events that carry them).

use crate::error::StoreError;
use crate::types::{AppendResult, Metadata};
use crate::{Readers, Store, hash};

/// Each snapshot's name, position, recorded chain hash and the log's hash at that position.
pub(crate) type SnapshotRows = Vec<(String, i64, Option<Vec<u8>>, Option<Vec<u8>>)>;

impl Store {
    /// Every disagreement between the side tables and the log, one sentence each (empty: all
    /// agree). A snapshot must have been taken at a position the log holds, with the chain hash
    /// the log has there; a command id's recorded result must name positions the log holds,
    /// on the streams it names, whose events carry that command id.
    pub async fn verify_side_tables(&self) -> Result<Vec<String>, StoreError> {
        let (snapshots, commands) = match &self.inner.readers {
            Readers::Postgres(pg) => pg.side_tables().await?,
            Readers::Sqlite(readers) => {
                let snapshots: SnapshotRows = sqlx::query_as(
                    "SELECT s.name, s.position, s.chain_hash, e.hash FROM snapshots AS s \
                     LEFT JOIN events AS e ON e.position = s.position ORDER BY s.name",
                )
                .fetch_all(readers)
                .await?;
                let commands: Vec<(String, String)> =
                    sqlx::query_as("SELECT command_id, result FROM commands ORDER BY command_id")
                        .fetch_all(readers)
                        .await?;
                (snapshots, commands)
            }
        };
        let mut problems = Vec::new();
        for (name, position, recorded, actual) in snapshots {
            if let Some(reason) =
                snapshot_mismatch(position, recorded.as_deref(), actual.as_deref())
            {
                problems.push(format!(
                    "snapshot {name}: {reason} (快照 {name} 与日志不符，启动时将丢弃并重建)"
                ));
            }
        }
        let mut previous: Option<&str> = None;
        for (id, result) in &commands {
            // Rows come sorted by id: the store records an id once, so a repeat was written
            // behind its back.
            if previous == Some(id.as_str()) {
                problems.push(format!(
                    "command id {id:?}: recorded more than once (命令编号被重复登记)"
                ));
            }
            previous = Some(id);
            if let Some(reason) = self.command_mismatch(id, result).await? {
                problems.push(format!("command id {id:?}: {reason} (命令表与日志不符)"));
            }
        }
        Ok(problems)
    }

    async fn command_mismatch(&self, id: &str, result: &str) -> Result<Option<String>, StoreError> {
        let Ok(results) = serde_json::from_str::<Vec<AppendResult>>(result) else {
            return Ok(Some("its recorded result does not parse".into()));
        };
        if results.is_empty() {
            return Ok(Some("its recorded result names no events".into()));
        }
        for r in &results {
            for position in [r.first_position, r.last_position] {
                let row: Option<(String, String)> = match &self.inner.readers {
                    Readers::Postgres(pg) => pg.event_origin(position).await?,
                    Readers::Sqlite(readers) => {
                        sqlx::query_as("SELECT stream_id, metadata FROM events WHERE position = ?1")
                            .bind(i64::try_from(position).unwrap_or(i64::MAX))
                            .fetch_optional(readers)
                            .await?
                    }
                };
                let Some((stream, metadata)) = row else {
                    return Ok(Some(format!("position {position} is not in the log")));
                };
                let carried = serde_json::from_str::<Metadata>(&metadata)
                    .ok()
                    .and_then(|m| m.command_id);
                if stream != r.stream_id || carried.as_deref() != Some(id) {
                    return Ok(Some(format!(
                        "position {position} holds an event of {stream} with command id {carried:?}, not {:?} of this command",
                        r.stream_id
                    )));
                }
            }
        }
        Ok(None)
    }
}

/// Why a snapshot taken at `position` with chain hash `recorded` does not fit a log whose hash
/// at that position is `actual` (`None`: the log does not reach it); `None` when it fits.
pub(crate) fn snapshot_mismatch(
    position: i64,
    recorded: Option<&[u8]>,
    actual: Option<&[u8]>,
) -> Option<String> {
    if position == 0 {
        // Taken on an empty log: it fits any log (the runner catches up from position 0).
        return (recorded.is_some_and(|r| r != hash::GENESIS))
            .then(|| "taken at position 0 with a hash that is not the genesis hash".into());
    }
    match (recorded, actual) {
        (_, None) => Some(format!("taken at position {position}, past the log's head")),
        (None, Some(_)) => Some(format!(
            "taken at position {position} without the chain hash it was taken at"
        )),
        (Some(r), Some(a)) if r != a => Some(format!(
            "taken at position {position} with chain hash {}, the log has {} there",
            hex::encode(r),
            hex::encode(a)
        )),
        _ => None,
    }
}
