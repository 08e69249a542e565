//! The store's public value types: what goes into the log, what comes out of it, and the side-table records.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the writer expects the stream's current version to be (the optimistic-concurrency check).
///
/// Stream versions start at 1; a stream that does not exist has version 0, so
/// `Exact(0)` means the same as `NoStream`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ExpectedVersion {
    /// No check.
    #[default]
    Any,
    /// The stream must not exist yet.
    NoStream,
    /// The stream must be exactly at this version.
    Exact(u64),
}

impl ExpectedVersion {
    /// Whether a stream at version `actual` satisfies this expectation.
    pub fn matches(self, actual: u64) -> bool {
        match self {
            ExpectedVersion::Any => true,
            ExpectedVersion::NoStream => actual == 0,
            ExpectedVersion::Exact(v) => actual == v,
        }
    }
}

impl fmt::Display for ExpectedVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectedVersion::Any => f.write_str("任意版本 (any)"),
            ExpectedVersion::NoStream => f.write_str("流尚不存在 (no stream)"),
            ExpectedVersion::Exact(v) => write!(f, "版本 {v}"),
        }
    }
}

/// An event to append. The payload is JSON text; it is validated before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvent {
    /// A UUIDv7 is generated when `None` (time-ordered ids keep the unique index append-only).
    pub event_id: Option<Uuid>,
    pub event_type: String,
    pub schema_version: u32,
    /// JSON text, stored byte for byte as given.
    pub payload: String,
    /// The date from which the fact holds in the world (bitemporal: as opposed to `recorded_at`).
    pub effective_at: NaiveDate,
}

impl NewEvent {
    /// An event with a generated id and the given JSON text as payload.
    pub fn new(
        event_type: impl Into<String>,
        schema_version: u32,
        payload: impl Into<String>,
        effective_at: NaiveDate,
    ) -> Self {
        NewEvent {
            event_id: None,
            event_type: event_type.into(),
            schema_version,
            payload: payload.into(),
            effective_at,
        }
    }

    /// An event whose payload is `value` serialized to JSON.
    pub fn from_value<T: Serialize>(
        event_type: impl Into<String>,
        schema_version: u32,
        value: &T,
        effective_at: NaiveDate,
    ) -> Result<Self, serde_json::Error> {
        Ok(NewEvent::new(
            event_type,
            schema_version,
            serde_json::to_string(value)?,
            effective_at,
        ))
    }
}

/// Who did it and why: stored as JSON with every event of an append.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub actor: String,
    pub role: String,
    /// Idempotency key: the same command id appended twice returns the first result.
    #[serde(default)]
    pub command_id: Option<String>,
    #[serde(default)]
    pub correlation_id: Option<String>,
    #[serde(default)]
    pub causation_id: Option<String>,
    /// The document the fact rests on (a decision number, a file reference).
    #[serde(default)]
    pub basis: Option<String>,
}

impl Metadata {
    /// Metadata with an actor and a role and nothing else.
    pub fn new(actor: impl Into<String>, role: impl Into<String>) -> Self {
        Metadata {
            actor: actor.into(),
            role: role.into(),
            ..Metadata::default()
        }
    }

    /// The same metadata with a command id (idempotency key).
    pub fn with_command_id(mut self, command_id: impl Into<String>) -> Self {
        self.command_id = Some(command_id.into());
        self
    }
}

/// One stream's part of an atomic multi-stream append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamWrite {
    pub stream_id: String,
    pub expected: ExpectedVersion,
    pub events: Vec<NewEvent>,
}

/// The guard of an append whose rule spans streams (one ID number per cadre, 回避, one open
/// review per cadre): its facts were read when the log's head was at `after`, and `decision`
/// names the decision (one command, or one batch of entries decided together). The append is
/// refused with `ExclusiveMoved` if a guarded append of another decision committed after
/// `after`, in any process sharing the log (see [`crate::Store::append_guarded`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExclusiveGuard {
    pub after: u64,
    pub decision: u64,
}

impl ExclusiveGuard {
    /// A guard for facts read at `after`, with a new decision id.
    pub fn new(after: u64) -> Self {
        let (high, low) = uuid::Uuid::now_v7().as_u64_pair();
        // Never 0: a chain without a guarded append yet has decision 0.
        ExclusiveGuard {
            after,
            decision: (high ^ low).max(1),
        }
    }
}

/// What an append wrote (or, when `deduplicated`, what the first append with the same command id wrote).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendResult {
    pub stream_id: String,
    pub first_position: u64,
    pub last_position: u64,
    /// The stream's version after the append.
    pub stream_version: u64,
    pub deduplicated: bool,
}

/// An event as stored in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedEvent {
    pub position: u64,
    pub stream_id: String,
    pub stream_version: u64,
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub payload: String,
    pub metadata: Metadata,
    pub recorded_at: DateTime<Utc>,
    pub effective_at: NaiveDate,
    /// SHA-256 chain hash, lowercase hex.
    pub hash: String,
}

/// A borrowed view of one stored event, handed to [`crate::Store::scan`] callbacks.
///
/// The text fields are exactly the stored bytes: `metadata` is JSON text (decode it with
/// serde if needed), `recorded_at` is RFC 3339 UTC with microseconds, `effective_at` is `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy)]
pub struct EventRef<'a> {
    pub position: u64,
    pub stream_id: &'a str,
    pub stream_version: u64,
    /// The raw 16 bytes of the event id (see [`EventRef::event_uuid`]).
    pub event_id: &'a [u8],
    pub event_type: &'a str,
    pub schema_version: u32,
    pub payload: &'a str,
    pub metadata: &'a str,
    pub recorded_at: &'a str,
    pub effective_at: &'a str,
    /// The stored chain hash (32 raw bytes).
    pub hash: &'a [u8],
}

impl EventRef<'_> {
    /// The event id, if the stored bytes are a UUID.
    pub fn event_uuid(&self) -> Option<Uuid> {
        Uuid::from_slice(self.event_id).ok()
    }
}

/// The columns of one event a fold needs, borrowed from the scan ([`crate::Store::scan_replay`]).
#[derive(Debug, Clone, Copy)]
pub struct ReplayRef<'a> {
    pub position: u64,
    pub stream_id: &'a str,
    pub stream_version: u64,
    pub event_type: &'a str,
    pub schema_version: u32,
    pub payload: &'a str,
    pub effective_at: &'a str,
}

/// One event of an exported log, with every stored column, for [`crate::Store::import`].
///
/// The text fields are taken byte for byte (they are hashed as given): `payload` and
/// `metadata` are JSON texts, `recorded_at` is RFC 3339 UTC with microseconds, `effective_at`
/// is `YYYY-MM-DD`; `hash` is the 32 raw bytes of the chain hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEvent {
    pub position: u64,
    pub stream_id: String,
    pub stream_version: u64,
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub payload: String,
    pub metadata: String,
    pub recorded_at: String,
    pub effective_at: String,
    pub hash: [u8; 32],
}

impl ImportedEvent {
    /// A copy of a scanned event with every stored column, to import it into another log
    /// (`None` if its stored id or hash has the wrong length, as only a damaged log has).
    pub fn copy_of(e: EventRef<'_>) -> Option<Self> {
        Some(ImportedEvent {
            position: e.position,
            stream_id: e.stream_id.to_owned(),
            stream_version: e.stream_version,
            event_id: e.event_uuid()?,
            event_type: e.event_type.to_owned(),
            schema_version: e.schema_version,
            payload: e.payload.to_owned(),
            metadata: e.metadata.to_owned(),
            recorded_at: e.recorded_at.to_owned(),
            effective_at: e.effective_at.to_owned(),
            hash: e.hash.try_into().ok()?,
        })
    }

    /// The event as the hash chain covers it.
    pub fn canonical(&self) -> crate::hash::Canonical<'_> {
        crate::hash::Canonical {
            position: self.position,
            stream_id: &self.stream_id,
            stream_version: self.stream_version,
            event_id: self.event_id.as_bytes(),
            event_type: &self.event_type,
            schema_version: self.schema_version,
            payload: &self.payload,
            metadata: &self.metadata,
            recorded_at: &self.recorded_at,
            effective_at: &self.effective_at,
        }
    }
}

/// Which part of a stream to read. `Default` reads the whole stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamRange {
    /// First stream version to return (0 and 1 both mean from the start).
    pub from_version: u64,
    /// Only events at or before this global position ("what was known then").
    pub to_position: Option<u64>,
    /// Only events effective on or before this date ("as of").
    pub effective_until: Option<NaiveDate>,
}

/// The outcome of [`crate::Store::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyReport {
    /// Every event's hash matches the chain.
    Ok { checked: u64 },
    /// The first position that does not match, why, and how many events before it were good.
    Broken {
        position: u64,
        reason: String,
        checked: u64,
    },
}

/// What [`crate::Store::check_anchor`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorCheck {
    /// The event at the anchor's position carries the recorded hash.
    Matches,
    /// The log no longer reaches the anchor's position: events were cut off its end.
    Missing { position: u64 },
    /// The event at the anchor's position carries another hash: the log was rewritten.
    Differs { position: u64, stored: String },
}

/// A projection snapshot kept beside the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub name: String,
    pub version: u32,
    pub position: u64,
    pub data: Vec<u8>,
}

/// An API token, by hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    pub hash: String,
    pub role: String,
    pub scope: Option<String>,
    pub label: Option<String>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// When the token stops working; `None`: never.
    pub expires_at: Option<DateTime<Utc>>,
}

/// How hard a commit waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=FULL`: an append is on disk when it returns (default).
    #[default]
    Full,
    /// `synchronous=NORMAL`: in WAL mode, the last commits may be lost on power failure (never corrupted).
    Normal,
}

/// Options for [`crate::Store::open`].
#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub durability: Durability,
    /// Connections in the read pool (reads, scans, subscriptions). At least 1.
    pub read_connections: u32,
    /// Create the database file if it does not exist (default true).
    pub create_if_missing: bool,
    /// Open without writing anything: no migrations are run, every append is refused.
    pub read_only: bool,
    /// Refuse to grow the database file beyond this size (appends then fail with `DiskFull`).
    pub max_size_bytes: Option<u64>,
    /// PostgreSQL: write each group in two round trips (read, then one statement that moves
    /// the head only if no other process did meanwhile), falling back to the locked path when
    /// another process did. False (the default): every group takes the head lock first, which
    /// measured faster (docs/benchmarks.md). Ignored on SQLite.
    pub optimistic_groups: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            durability: Durability::Full,
            read_connections: 4,
            create_if_missing: true,
            read_only: false,
            max_size_bytes: None,
            optimistic_groups: false,
        }
    }
}
