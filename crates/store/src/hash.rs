//! The hash chain: the canonical byte encoding of an event and `hash = SHA-256(prev_hash || canonical bytes)`.
//!
//! # Encoding (version 1)
//!
//! `prev_hash` is the 32-byte hash of the event at the previous position; for position 1
//! it is 32 zero bytes. The canonical bytes of an event are the concatenation, in this order, of:
//!
//! | field            | encoding                                              |
//! |------------------|-------------------------------------------------------|
//! | `position`       | u64, 8 bytes big-endian                               |
//! | `stream_id`      | string                                                |
//! | `stream_version` | u64, 8 bytes big-endian                               |
//! | `event_id`       | the 16 raw bytes of the UUID, length-prefixed as bytes |
//! | `event_type`     | string                                                |
//! | `schema_version` | u32, 4 bytes big-endian                               |
//! | `payload`        | string (the JSON text exactly as stored)              |
//! | `metadata`       | string (the JSON text exactly as stored)              |
//! | `recorded_at`    | string (RFC 3339 UTC, microseconds, e.g. `2026-01-02T03:04:05.000006Z`) |
//! | `effective_at`   | string (`YYYY-MM-DD`)                                 |
//!
//! where a *string* (or byte string) is its length as a u64, 8 bytes big-endian, followed by
//! its UTF-8 bytes. Length prefixes make the encoding unambiguous: no two different events
//! have the same canonical bytes. The stored `hash` column holds the 32 raw bytes;
//! [`crate::RecordedEvent::hash`] shows them as lowercase hex.
//!
//! An auditor can recompute a hash without this code, e.g. in Python:
//!
//! ```text
//! import hashlib, struct
//! s = lambda b: struct.pack('>Q', len(b)) + b
//! def chain(prev, pos, stream, ver, event_id16, etype, schema, payload, meta, rec, eff):
//!     return hashlib.sha256(prev + struct.pack('>Q', pos) + s(stream.encode()) + struct.pack('>Q', ver)
//!         + s(event_id16) + s(etype.encode()) + struct.pack('>I', schema) + s(payload.encode())
//!         + s(meta.encode()) + s(rec.encode()) + s(eff.encode())).digest()
//! ```

use sha2::{Digest, Sha256};

use crate::types::EventRef;

/// The `prev_hash` of the first event.
pub const GENESIS: [u8; 32] = [0; 32];

/// The fields of one event that the chain covers, borrowed: the text fields exactly as stored
/// (`recorded_at` as RFC 3339 UTC with microseconds, `effective_at` as `YYYY-MM-DD`,
/// `event_id` as the 16 raw UUID bytes).
#[derive(Debug, Clone, Copy)]
pub struct Canonical<'a> {
    pub position: u64,
    pub stream_id: &'a str,
    pub stream_version: u64,
    pub event_id: &'a [u8],
    pub event_type: &'a str,
    pub schema_version: u32,
    pub payload: &'a str,
    pub metadata: &'a str,
    pub recorded_at: &'a str,
    pub effective_at: &'a str,
}

impl<'a> From<&EventRef<'a>> for Canonical<'a> {
    fn from(e: &EventRef<'a>) -> Self {
        Canonical {
            position: e.position,
            stream_id: e.stream_id,
            stream_version: e.stream_version,
            event_id: e.event_id,
            event_type: e.event_type,
            schema_version: e.schema_version,
            payload: e.payload,
            metadata: e.metadata,
            recorded_at: e.recorded_at,
            effective_at: e.effective_at,
        }
    }
}

fn bytes(h: &mut Sha256, b: &[u8]) {
    h.update((b.len() as u64).to_be_bytes());
    h.update(b);
}

/// The chain hash of `e`: `SHA-256(prev || canonical bytes of e)`, where `prev` is the hash of
/// the event at the previous position ([`GENESIS`] for position 1). This is the one
/// implementation of the encoding above; [`crate::Store::verify`], [`crate::Store::import`] and
/// the appends all use it, and so should any tool that checks an exported log.
pub fn chain_hash(prev: &[u8; 32], e: &Canonical<'_>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(e.position.to_be_bytes());
    bytes(&mut h, e.stream_id.as_bytes());
    h.update(e.stream_version.to_be_bytes());
    bytes(&mut h, e.event_id);
    bytes(&mut h, e.event_type.as_bytes());
    h.update(e.schema_version.to_be_bytes());
    bytes(&mut h, e.payload.as_bytes());
    bytes(&mut h, e.metadata.as_bytes());
    bytes(&mut h, e.recorded_at.as_bytes());
    bytes(&mut h, e.effective_at.as_bytes());
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Canonical<'static> {
        Canonical {
            position: 1,
            stream_id: "cadre-1",
            stream_version: 1,
            event_id: &[7; 16],
            event_type: "Appointed",
            schema_version: 1,
            payload: "{}",
            metadata: "{}",
            recorded_at: "2026-01-02T03:04:05.000006Z",
            effective_at: "2026-01-02",
        }
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base = chain_hash(&GENESIS, &sample());
        let variants = [
            Canonical {
                position: 2,
                ..sample()
            },
            Canonical {
                stream_id: "cadre-2",
                ..sample()
            },
            Canonical {
                stream_version: 2,
                ..sample()
            },
            Canonical {
                event_id: &[8; 16],
                ..sample()
            },
            Canonical {
                event_type: "Dismissed",
                ..sample()
            },
            Canonical {
                schema_version: 2,
                ..sample()
            },
            Canonical {
                payload: "{\"a\":1}",
                ..sample()
            },
            Canonical {
                metadata: "{\"b\":1}",
                ..sample()
            },
            Canonical {
                recorded_at: "2026-01-02T03:04:05.000007Z",
                ..sample()
            },
            Canonical {
                effective_at: "2026-01-03",
                ..sample()
            },
        ];
        for v in variants {
            assert_ne!(chain_hash(&GENESIS, &v), base, "{v:?}");
        }
        assert_ne!(chain_hash(&[1; 32], &sample()), base);
    }

    #[test]
    fn length_prefixes_keep_field_boundaries() {
        let a = Canonical {
            stream_id: "ab",
            event_type: "c",
            ..sample()
        };
        let b = Canonical {
            stream_id: "a",
            event_type: "bc",
            ..sample()
        };
        assert_ne!(chain_hash(&GENESIS, &a), chain_hash(&GENESIS, &b));
    }

    #[test]
    fn the_encoding_is_stable() {
        // Pinned: changing the encoding breaks every existing log. The expected value was
        // computed independently from the documented encoding (the Python in the module docs).
        assert_eq!(
            hex::encode(chain_hash(&GENESIS, &sample())),
            "de5c4cba73c17a0ec6c5114c57849e934772f3db8bce0ec10330f89e1397453a"
        );
    }
}
