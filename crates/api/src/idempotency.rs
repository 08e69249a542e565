//! Command ids at the API: who the principal is, the digest of a command's input, and the stored answer to a retry.
//!
//! A command id is an idempotency key scoped to the token that used it: a retry (same token,
//! same input) is answered with the events the first command stored, read back from the log;
//! anyone else, or the same token with another input, gets `IDEMPOTENCY_KEY_REUSED`, which
//! says nothing about the first command. An answer is never built from the retry's own input.

use dossier_domain::Actor;
use dossier_store::{AppendResult, CommandOrigin, Store};

use crate::error::ApiError;
use crate::service::{AppendedEvent, CommandEnvelope, CommandOutcome};

/// The principal a command id belongs to: the token's identity (label and hash prefix), its
/// role and its scope.
pub fn principal(actor: &Actor) -> String {
    format!(
        "{}:{}:{}",
        crate::tokens::role_name(actor.role),
        actor.id,
        actor.scope.as_deref().unwrap_or("")
    )
}

/// The origin of `envelope` issued by `actor` on `stream_id`: its principal and the digest of
/// everything the caller sent except the command id (the command, its effective date, basis,
/// expected version and correlation id).
pub fn origin<C: std::fmt::Debug>(
    actor: &Actor,
    stream_id: &str,
    envelope: &CommandEnvelope<C>,
) -> CommandOrigin {
    let input = format!(
        "{stream_id}\u{1f}{:?}\u{1f}{}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}",
        envelope.command,
        envelope.effective,
        envelope.basis,
        envelope.expected_version,
        envelope.correlation_id
    );
    CommandOrigin::new(principal(actor), input.as_bytes())
}

/// The refusal for a command id used before by someone else or with another input.
pub fn reused(command_id: &str) -> ApiError {
    ApiError::IdempotencyKeyReused {
        command_id: command_id.to_owned(),
    }
}

/// If `command_id` was recorded: the stored answer when `origin` issued it (with the same
/// input, on `stream_id`), else the refusal. `None` for a command id never used.
pub async fn replay(
    store: &Store,
    command_id: &str,
    stream_id: &str,
    origin: &CommandOrigin,
) -> Result<Option<CommandOutcome>, ApiError> {
    let Some(record) = store
        .command(command_id)
        .await
        .map_err(ApiError::internal)?
    else {
        return Ok(None);
    };
    if !record.answers(origin)
        || record.results.first().map(|r| r.stream_id.as_str()) != Some(stream_id)
    {
        return Err(reused(command_id));
    }
    stored_outcome(store, &record.results).await.map(Some)
}

/// The outcome a command's stored results describe, with the events read back from the log
/// (never the events of a retry's own decision).
pub async fn stored_outcome(
    store: &Store,
    results: &[AppendResult],
) -> Result<CommandOutcome, ApiError> {
    let Some(first) = results.first() else {
        return Err(ApiError::internal("a command id with no recorded result"));
    };
    let mut events = Vec::new();
    for r in results {
        let count = (r.last_position + 1).saturating_sub(r.first_position);
        let read = store
            .read_all(
                r.first_position.saturating_sub(1),
                usize::try_from(count).unwrap_or(usize::MAX),
            )
            .await
            .map_err(ApiError::internal)?;
        let mine: Vec<_> = read
            .into_iter()
            .filter(|e| e.stream_id == r.stream_id)
            .collect();
        if mine.len() as u64 != count {
            return Err(ApiError::internal(format!(
                "command result for {} names positions {}..={} the log does not hold",
                r.stream_id, r.first_position, r.last_position
            )));
        }
        events.extend(mine.into_iter().map(|e| AppendedEvent {
            stream_id: e.stream_id,
            position: e.position,
            stream_version: e.stream_version,
            event_type: e.event_type,
            schema_version: e.schema_version,
            payload: e.payload,
        }));
    }
    Ok(CommandOutcome {
        stream_id: first.stream_id.clone(),
        stream_version: first.stream_version,
        position: results.iter().map(|r| r.last_position).max().unwrap_or(0),
        events,
        deduplicated: true,
        dry_run: false,
    })
}
