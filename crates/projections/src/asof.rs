//! Reading the log on demand: audit trails, timelines by position, and bitemporal folds of chosen streams.

use chrono::{DateTime, NaiveDate, Utc};
use dossier_store::{RecordedEvent, Store, StreamRange};
use serde::Serialize;

use crate::{ProjectionError, models::Models, runner::apply_recorded};

/// One line of a stream's audit trail: who recorded what, when, effective when, on what basis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub position: u64,
    pub stream_id: String,
    pub stream_version: u64,
    pub event_type: String,
    pub schema_version: u32,
    pub actor: String,
    pub role: String,
    pub recorded_at: DateTime<Utc>,
    pub effective_at: NaiveDate,
    /// 文件依据: the document the fact rests on.
    pub basis: Option<String>,
    pub command_id: Option<String>,
    pub correlation_id: Option<String>,
    /// The stored payload as JSON.
    pub payload: serde_json::Value,
    /// Chain hash (hex), for an auditor to check against `verify`.
    pub hash: String,
}

impl From<RecordedEvent> for AuditEntry {
    fn from(e: RecordedEvent) -> Self {
        let payload =
            serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::String(e.payload));
        AuditEntry {
            position: e.position,
            stream_id: e.stream_id,
            stream_version: e.stream_version,
            event_type: e.event_type,
            schema_version: e.schema_version,
            actor: e.metadata.actor,
            role: e.metadata.role,
            recorded_at: e.recorded_at,
            effective_at: e.effective_at,
            basis: e.metadata.basis,
            command_id: e.metadata.command_id,
            correlation_id: e.metadata.correlation_id,
            payload,
            hash: e.hash,
        }
    }
}

/// The whole audit trail of a stream, oldest first. An unknown stream gives `NotFound`.
pub async fn audit_trail(
    store: &Store,
    stream_id: &str,
) -> Result<Vec<AuditEntry>, ProjectionError> {
    let events = store.read_stream(stream_id, StreamRange::default()).await?;
    if events.is_empty() {
        return Err(ProjectionError::NotFound {
            code: "STREAM_NOT_FOUND",
            message: format!("事件流 `{stream_id}` 不存在"),
        });
    }
    Ok(events.into_iter().map(AuditEntry::from).collect())
}

/// Read the events at the given ascending positions, fetching runs of consecutive positions together.
pub async fn read_positions(
    store: &Store,
    positions: &[u64],
) -> Result<Vec<RecordedEvent>, ProjectionError> {
    let mut out = Vec::with_capacity(positions.len());
    let mut i = 0;
    while i < positions.len() {
        let start = positions[i];
        let mut j = i + 1;
        while j < positions.len() && positions[j] == positions[j - 1] + 1 {
            j += 1;
        }
        let run = j - i;
        let page = store.read_all(start.saturating_sub(1), run).await?;
        out.extend(
            page.into_iter()
                .filter(|e| e.position >= start && e.position < start + run as u64),
        );
        i = j;
    }
    Ok(out)
}

/// Which slice of history to fold: effective on or before a date, known at or before a position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AsOf {
    /// Facts effective on or before this date (`None`: all).
    pub effective: Option<NaiveDate>,
    /// Facts recorded at or before this log position (`None`: all known now).
    pub known_at: Option<u64>,
}

/// The training sessions credited to `cadre_id` dated on or after `since` (date, hours, by
/// date), in the given streams as the log holds them now (what
/// [`crate::profile_training::credits`] counts).
pub async fn credits_since(
    store: &Store,
    streams: &[String],
    cadre_id: &str,
    since: NaiveDate,
) -> Result<Vec<(NaiveDate, f64)>, ProjectionError> {
    let range = StreamRange {
        from_version: 0,
        to_position: None,
        effective_until: None,
    };
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for s in streams {
        for e in store.read_stream(s, range).await? {
            if !seen.insert(e.position) {
                continue;
            }
            if let Ok(event) =
                dossier_domain::Event::decode(&e.event_type, e.schema_version, &e.payload)
            {
                crate::profile_training::credits(&event, |who, on, hours| {
                    if who == cadre_id && on >= since {
                        out.push((on, hours));
                    }
                });
            }
        }
    }
    out.sort_by_key(|(on, _)| *on);
    Ok(out)
}

/// Fold the given streams, limited to `as_of`, into fresh models (events merged in log order).
pub async fn fold_streams(
    store: &Store,
    streams: &[String],
    as_of: AsOf,
) -> Result<Models, ProjectionError> {
    let range = StreamRange {
        from_version: 0,
        to_position: as_of.known_at,
        effective_until: as_of.effective,
    };
    let mut events = Vec::new();
    for s in streams {
        events.extend(store.read_stream(s, range).await?);
    }
    events.sort_by_key(|e| e.position);
    events.dedup_by_key(|e| e.position);
    let mut models = Models::default();
    for e in &events {
        apply_recorded(&mut models, e);
    }
    Ok(models)
}

/// Fold the whole log, limited to `as_of`, into `models` from their position on, through the
/// same fold and replay pipeline as the live models (events effective after `as_of.effective`
/// are skipped before decoding; the scan stops after `as_of.known_at`). The models then stand
/// at `known_at` even if the last events there were skipped.
pub async fn fold_log(
    store: &Store,
    models: &mut Models,
    as_of: AsOf,
) -> Result<(), ProjectionError> {
    let decoders = std::thread::available_parallelism().map_or(1, |n| n.get());
    crate::pipeline::replay_bounded(store, models, decoders, as_of).await?;
    if let Some(p) = as_of.known_at {
        models.advance(p);
    }
    Ok(())
}
