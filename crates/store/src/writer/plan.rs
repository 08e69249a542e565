//! The plan of a group of appends, decided in memory before anything is written: each append
//! in order against the streams' versions and the recorded command ids, with its rows and chain hashes.

use std::collections::HashMap;

use super::{AppendRequest, Chain, PreparedEvent, guard, mark};
use crate::commands::{CommandKey, Prior, answer};
use crate::error::StoreError;
use crate::hash::{Canonical, chain_hash};
use crate::types::AppendResult;

/// One row of the events table, borrowed from its request.
pub(crate) struct EventRow<'a> {
    pub position: u64,
    pub stream_id: &'a str,
    pub version: u64,
    pub event: &'a PreparedEvent,
    pub metadata: &'a str,
    pub hash: [u8; 32],
}

/// What a group of appends writes, decided in memory: one result per append (refusals are
/// results), the event rows with their positions and chain hashes, and the command ids to record.
pub(crate) struct Plan<'a> {
    pub results: Vec<Result<Vec<AppendResult>, StoreError>>,
    pub rows: Vec<EventRow<'a>>,
    pub new_commands: Vec<(&'a CommandKey, String)>,
}

/// Decide each append of a group in order, as if they ran one after another, against the
/// streams' current `versions` and the recorded command ids `prior`, continuing `chain`. Pure:
/// both backends write what it returns.
pub(crate) fn plan_group<'a>(
    reqs: &[&'a AppendRequest],
    versions: &mut HashMap<String, u64>,
    prior: &mut HashMap<String, Prior>,
    chain: &mut Chain,
    recorded_at: &str,
) -> Result<Plan<'a>, StoreError> {
    let mut results = Vec::with_capacity(reqs.len());
    let mut rows: Vec<EventRow<'_>> = Vec::new();
    let mut new_commands: Vec<(&CommandKey, String)> = Vec::new();
    for req in reqs {
        if let Some(key) = &req.command
            && let Some(first) = prior.get(&key.id)
        {
            results.push(answer(first, key, &req.writes));
            continue;
        }
        let conflict = req.writes.iter().find_map(|w| {
            let actual = versions.get(&w.stream_id).copied().unwrap_or(0);
            (!w.expected.matches(actual)).then_some(StoreError::Conflict {
                expected: w.expected,
                actual,
            })
        });
        if let Some(err) = conflict {
            results.push(Err(err));
            continue;
        }
        if let Err(err) = guard(req, chain) {
            results.push(Err(err));
            continue;
        }
        let mut out = Vec::with_capacity(req.writes.len());
        for w in &req.writes {
            let version = versions.entry(w.stream_id.clone()).or_insert(0);
            let first_position = chain.position + 1;
            for e in &w.events {
                *version += 1;
                let position = chain.position + 1;
                let hash = chain_hash(
                    &chain.hash,
                    &Canonical {
                        position,
                        stream_id: &w.stream_id,
                        stream_version: *version,
                        event_id: &e.event_id,
                        event_type: &e.event_type,
                        schema_version: e.schema_version,
                        payload: &e.payload,
                        metadata: &req.metadata,
                        recorded_at,
                        effective_at: &e.effective_at,
                    },
                );
                rows.push(EventRow {
                    position,
                    stream_id: &w.stream_id,
                    version: *version,
                    event: e,
                    metadata: &req.metadata,
                    hash,
                });
                chain.position = position;
                chain.hash = hash;
            }
            out.push(AppendResult {
                stream_id: w.stream_id.clone(),
                first_position,
                last_position: chain.position,
                stream_version: *version,
                deduplicated: false,
            });
        }
        if let Some(key) = &req.command {
            let json = serde_json::to_string(&out).map_err(|e| StoreError::Database {
                code: -1,
                message: e.to_string(),
            })?;
            prior.insert(
                key.id.clone(),
                Prior {
                    result: json.clone(),
                    principal: Some(key.origin.principal.clone()),
                    digest: Some(key.origin.digest.clone()),
                },
            );
            new_commands.push((key, json));
        }
        mark(req, chain);
        results.push(Ok(out));
    }

    Ok(Plan {
        results,
        rows,
        new_commands,
    })
}
