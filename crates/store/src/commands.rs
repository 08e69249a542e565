//! Command ids (idempotency keys): who issued a command and a digest of its input, and when a retry is answered.
//!
//! A command id is recorded with the first append that carries it, together with its
//! [`CommandOrigin`]: the principal that issued it and a SHA-256 digest of its input. A later
//! append with the same command id is answered with the first result only when it comes from
//! the same principal with the same input and names the same streams; anyone else, or the
//! same principal with another input, is refused with [`StoreError::IdempotencyKeyReused`],
//! which reveals nothing about the first command. Rows recorded before principals were kept
//! have none and are answered to nobody.

use sha2::{Digest, Sha256};

use crate::error::StoreError;
use crate::types::{AppendResult, Metadata};
use crate::writer::PreparedWrite;

/// Who issued a command and what its input was, as the caller defines them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOrigin {
    /// The issuer's identity (e.g. the token's identity and role).
    pub principal: String,
    /// SHA-256 (hex) of the command's input.
    pub digest: String,
}

impl CommandOrigin {
    /// The origin of a command issued by `principal` with input `input` (any stable encoding).
    pub fn new(principal: impl Into<String>, input: &[u8]) -> Self {
        CommandOrigin {
            principal: principal.into(),
            digest: hex::encode(Sha256::digest(input)),
        }
    }

    /// The origin the store assumes when the caller names none: the metadata's role and actor,
    /// and the digest of the writes themselves (streams, expected versions, event types,
    /// schema versions, payloads and effective dates; not the generated event ids).
    pub(crate) fn of_writes(metadata: &Metadata, writes: &[PreparedWrite]) -> Self {
        let mut h = Sha256::new();
        let mut field = |b: &[u8]| {
            h.update((b.len() as u64).to_be_bytes());
            h.update(b);
        };
        for w in writes {
            field(w.stream_id.as_bytes());
            field(format!("{:?}", w.expected).as_bytes());
            for e in &w.events {
                field(e.event_type.as_bytes());
                field(&e.schema_version.to_be_bytes());
                field(e.payload.as_bytes());
                field(e.effective_at.as_bytes());
            }
        }
        CommandOrigin {
            principal: format!("{}/{}", metadata.role, metadata.actor),
            digest: hex::encode(h.finalize()),
        }
    }
}

/// A command id with its origin, as an append carries it to the writer.
#[derive(Debug, Clone)]
pub(crate) struct CommandKey {
    pub id: String,
    pub origin: CommandOrigin,
}

/// A command id as recorded: its origin (absent on rows recorded before origins were kept) and
/// the first result, as stored (JSON of the [`AppendResult`]s).
#[derive(Debug, Clone)]
pub(crate) struct Prior {
    pub result: String,
    pub principal: Option<String>,
    pub digest: Option<String>,
}

/// A command id as recorded, for [`crate::Store::command`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRecord {
    pub command_id: String,
    /// `None` for rows recorded before origins were kept.
    pub origin: Option<CommandOrigin>,
    /// What the first append with this command id wrote.
    pub results: Vec<AppendResult>,
}

impl CommandRecord {
    /// Whether a command from `origin` may be answered with this record's results.
    pub fn answers(&self, origin: &CommandOrigin) -> bool {
        self.origin.as_ref() == Some(origin)
    }
}

pub(crate) fn record(command_id: String, prior: Prior) -> Result<CommandRecord, StoreError> {
    let results = decode_results(&prior.result)?;
    Ok(CommandRecord {
        command_id,
        origin: match (prior.principal, prior.digest) {
            (Some(principal), Some(digest)) => Some(CommandOrigin { principal, digest }),
            _ => None,
        },
        results,
    })
}

fn decode_results(json: &str) -> Result<Vec<AppendResult>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt {
        position: 0,
        reason: format!("命令结果无法解析：{e}"),
    })
}

/// The answer to an append whose command id was already recorded as `prior`: the first
/// result (marked deduplicated) for the same principal, input and streams; a refusal that
/// reveals nothing otherwise.
pub(crate) fn answer(
    prior: &Prior,
    key: &CommandKey,
    writes: &[PreparedWrite],
) -> Result<Vec<AppendResult>, StoreError> {
    let reused = || StoreError::IdempotencyKeyReused {
        command_id: key.id.clone(),
    };
    if prior.principal.as_deref() != Some(key.origin.principal.as_str()) {
        return Err(reused());
    }
    let mut results = decode_results(&prior.result)?;
    let same_streams = results.len() == writes.len()
        && results
            .iter()
            .zip(writes)
            .all(|(r, w)| r.stream_id == w.stream_id);
    if !same_streams {
        // The same principal: it may learn which streams its own command wrote.
        return Err(StoreError::CommandIdReused {
            command_id: key.id.clone(),
            first_streams: stream_list(results.iter().map(|r| r.stream_id.as_str())),
            streams: stream_list(writes.iter().map(|w| w.stream_id.as_str())),
        });
    }
    if prior.digest.as_deref() != Some(key.origin.digest.as_str()) {
        return Err(reused());
    }
    for r in &mut results {
        r.deduplicated = true;
    }
    Ok(results)
}

fn stream_list<'a>(streams: impl Iterator<Item = &'a str>) -> String {
    streams.collect::<Vec<_>>().join(", ")
}
