//! The store's error type: every refusal and failure, in Chinese with an English code, never a panic.

use std::path::PathBuf;

use crate::types::ExpectedVersion;

/// SQLite primary result codes the store distinguishes (extended codes carry them in the low byte).
pub(crate) mod code {
    pub const READONLY: i32 = 8;
    pub const CORRUPT: i32 = 11;
    pub const FULL: i32 = 13;
    pub const CANTOPEN: i32 = 14;
    pub const CONSTRAINT: i32 = 19;
    pub const NOTADB: i32 = 26;
}

/// Everything that can go wrong in the store.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The stream is not at the expected version; nothing was written.
    #[error("[conflict] 版本冲突：期望 {expected}，实际版本为 {actual}，未写入任何事件")]
    Conflict {
        expected: ExpectedVersion,
        actual: u64,
    },
    /// A rule spanning streams was decided on facts read at position `after`, and another
    /// append guarded the same way committed since (at `at`): nothing was written; decide again
    /// on the current facts.
    #[error(
        "[exclusive_moved] 跨流规则（身份证号唯一、回避等）所依据的事实已变：判定依据位置 {after}，其后另一条同类命令已在位置 {at} 提交，未写入任何事件，请重新判定"
    )]
    ExclusiveMoved { after: u64, at: u64 },
    #[error("[empty_stream_id] 流标识不能为空")]
    EmptyStreamId,
    #[error("[empty_events] 流 {stream_id:?} 的事件列表为空，至少需要一个事件")]
    EmptyEvents { stream_id: String },
    #[error("[empty_event_type] 流 {stream_id:?} 中有事件的类型为空")]
    EmptyEventType { stream_id: String },
    #[error("[invalid_payload] 事件 {event_type} 的内容不是合法的 JSON：{reason}")]
    InvalidPayload { event_type: String, reason: String },
    #[error(
        "[invalid_effective_date] 事件 {event_type} 的生效日期 {date} 超出 0001-01-01 至 9999-12-31 的范围"
    )]
    InvalidEffectiveDate { event_type: String, date: String },
    #[error("[duplicate_stream] 一次多流追加中流 {stream_id:?} 出现了不止一次")]
    DuplicateStream { stream_id: String },
    #[error("[duplicate_event_id] 事件标识 {event_id} 已存在，未写入任何事件")]
    DuplicateEventId { event_id: String },
    #[error(
        "[command_id_reused] 命令标识 {command_id:?} 已用于另一组写入（流 {first_streams}），不能用于流 {streams}"
    )]
    CommandIdReused {
        command_id: String,
        first_streams: String,
        streams: String,
    },
    #[error(
        "[idempotency_key_reused] 命令标识 {command_id:?} 已被另一次命令使用（发起者或输入不同）：新命令请使用新的命令标识，未写入任何事件"
    )]
    IdempotencyKeyReused { command_id: String },
    #[error(
        "[import_not_at_head] 导入批次的第一个事件位置为 {position}，应为 {expected}（当前日志末尾之后）：未写入任何事件"
    )]
    ImportNotAtHead { position: u64, expected: u64 },
    #[error(
        "[import_position_gap] 导入的位置 {position} 应为 {expected}：位置必须连续，未写入本批任何事件"
    )]
    ImportPositionGap { position: u64, expected: u64 },
    #[error(
        "[import_version_gap] 导入的位置 {position}：流 {stream_id:?} 的版本为 {version}，应为 {expected}，未写入本批任何事件"
    )]
    ImportVersionGap {
        position: u64,
        stream_id: String,
        version: u64,
        expected: u64,
    },
    #[error(
        "[import_invalid_field] 导入的位置 {position}：{field} 无效（{reason}），未写入本批任何事件"
    )]
    ImportInvalidField {
        position: u64,
        field: &'static str,
        reason: String,
    },
    #[error(
        "[import_hash_mismatch] 导入的位置 {position}：哈希 {given} 与重新计算的链哈希 {computed} 不符（内容或前序事件被改动），未写入本批任何事件"
    )]
    ImportHashMismatch {
        position: u64,
        given: String,
        computed: String,
    },
    #[error("[not_found] 数据库文件 {path} 不存在")]
    NotFound { path: PathBuf },
    #[error("[not_a_database] 文件 {path} 不是 SQLite 数据库")]
    NotADatabase { path: PathBuf },
    #[error(
        "[schema_too_new] 数据库的结构版本 {applied} 比本程序所知的最新版本 {known} 更新，请使用更新版本的程序"
    )]
    SchemaTooNew { applied: i64, known: i64 },
    #[error("[schema_modified] 数据库中已应用的结构迁移 {version} 与本程序中的不一致")]
    SchemaModified { version: i64 },
    #[error(
        "[schema_outdated] 数据库的结构版本 {applied} 早于本程序的 {known}，只读打开时无法升级"
    )]
    SchemaOutdated { applied: i64, known: i64 },
    #[error("[read_only] 数据库为只读，无法写入：{message}")]
    ReadOnly { message: String },
    #[error("[disk_full] 磁盘或数据库已满，未写入：{message}")]
    DiskFull { message: String },
    #[error("[corrupt] 数据库内容损坏（位置 {position}）：{reason}")]
    Corrupt { position: u64, reason: String },
    #[error("[ambiguous_token_prefix] 前缀 {prefix:?} 匹配了 {matches} 个令牌，请提供更长的前缀")]
    AmbiguousTokenPrefix { prefix: String, matches: usize },
    #[error("[empty_token_prefix] 令牌哈希或前缀不能为空")]
    EmptyTokenPrefix,
    #[error("[store_closed] 事件库已关闭")]
    Closed,
    #[error("[database] 数据库错误（SQLite 代码 {code}）：{message}")]
    Database { code: i32, message: String },
    #[error("[io] 文件 {path} 访问失败：{message}")]
    Io { path: PathBuf, message: String },
    /// The database server cannot be reached now (PostgreSQL restarted, connection lost): retry.
    #[error("[database_unreachable] 无法连接数据库服务器，未写入：{message}")]
    Unreachable { message: String },
    /// What this backend does not do (e.g. a file backup of a PostgreSQL log).
    #[error("[unsupported] {what}")]
    Unsupported { what: String },
}

impl StoreError {
    /// The stable English code of this error (what the bracket in the message shows).
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Conflict { .. } => "conflict",
            StoreError::ExclusiveMoved { .. } => "exclusive_moved",
            StoreError::EmptyStreamId => "empty_stream_id",
            StoreError::EmptyEvents { .. } => "empty_events",
            StoreError::EmptyEventType { .. } => "empty_event_type",
            StoreError::InvalidPayload { .. } => "invalid_payload",
            StoreError::InvalidEffectiveDate { .. } => "invalid_effective_date",
            StoreError::DuplicateStream { .. } => "duplicate_stream",
            StoreError::DuplicateEventId { .. } => "duplicate_event_id",
            StoreError::CommandIdReused { .. } => "command_id_reused",
            StoreError::IdempotencyKeyReused { .. } => "idempotency_key_reused",
            StoreError::ImportNotAtHead { .. } => "import_not_at_head",
            StoreError::ImportPositionGap { .. } => "import_position_gap",
            StoreError::ImportVersionGap { .. } => "import_version_gap",
            StoreError::ImportInvalidField { .. } => "import_invalid_field",
            StoreError::ImportHashMismatch { .. } => "import_hash_mismatch",
            StoreError::NotFound { .. } => "not_found",
            StoreError::NotADatabase { .. } => "not_a_database",
            StoreError::SchemaTooNew { .. } => "schema_too_new",
            StoreError::SchemaModified { .. } => "schema_modified",
            StoreError::SchemaOutdated { .. } => "schema_outdated",
            StoreError::ReadOnly { .. } => "read_only",
            StoreError::DiskFull { .. } => "disk_full",
            StoreError::Corrupt { .. } => "corrupt",
            StoreError::AmbiguousTokenPrefix { .. } => "ambiguous_token_prefix",
            StoreError::EmptyTokenPrefix => "empty_token_prefix",
            StoreError::Closed => "store_closed",
            StoreError::Database { .. } => "database",
            StoreError::Io { .. } => "io",
            StoreError::Unreachable { .. } => "database_unreachable",
            StoreError::Unsupported { .. } => "unsupported",
        }
    }

    /// Classify a SQLite result code and message.
    pub(crate) fn from_sqlite(code: i32, message: String) -> StoreError {
        match code & 0xff {
            code::READONLY => StoreError::ReadOnly { message },
            code::FULL => StoreError::DiskFull { message },
            code::NOTADB => StoreError::NotADatabase {
                path: PathBuf::from(message),
            },
            _ => StoreError::Database { code, message },
        }
    }

    /// Whether this is a fault of the database or the machine (a full disk, an I/O error, a
    /// read-only or vanished file), not a refusal of what was asked: retrying later may succeed.
    pub fn is_fault(&self) -> bool {
        match self {
            StoreError::DiskFull { .. }
            | StoreError::ReadOnly { .. }
            | StoreError::Io { .. }
            | StoreError::Unreachable { .. }
            | StoreError::Closed => true,
            StoreError::Database { code, .. } => code & 0xff != code::CONSTRAINT,
            _ => false,
        }
    }

    /// Whether this error leaves the surrounding transaction usable (a refusal of one append),
    /// as opposed to a failure of the database itself.
    pub(crate) fn is_local(&self) -> bool {
        matches!(
            self,
            StoreError::Conflict { .. }
                | StoreError::ExclusiveMoved { .. }
                | StoreError::DuplicateEventId { .. }
                | StoreError::CommandIdReused { .. }
                | StoreError::IdempotencyKeyReused { .. }
                | StoreError::AmbiguousTokenPrefix { .. }
                | StoreError::Corrupt { .. }
        ) || matches!(self, StoreError::Database { code, .. } if code & 0xff == code::CONSTRAINT)
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::Database(db) => {
                let code = db.code().and_then(|c| c.parse::<i32>().ok()).unwrap_or(-1);
                StoreError::from_sqlite(code, db.message().to_string())
            }
            sqlx::Error::WorkerCrashed | sqlx::Error::PoolClosed => StoreError::Closed,
            sqlx::Error::Io(e) => StoreError::Io {
                path: PathBuf::new(),
                message: e.to_string(),
            },
            other => StoreError::Database {
                code: -1,
                message: other.to_string(),
            },
        }
    }
}

/// Attach the file path to errors that are about the file itself.
pub(crate) fn with_path(err: StoreError, path: &std::path::Path) -> StoreError {
    match err {
        StoreError::NotADatabase { .. } => StoreError::NotADatabase {
            path: path.to_path_buf(),
        },
        StoreError::Database { code, .. } if code & 0xff == code::CORRUPT => {
            StoreError::NotADatabase {
                path: path.to_path_buf(),
            }
        }
        StoreError::Database { code, message } if code & 0xff == code::CANTOPEN => StoreError::Io {
            path: path.to_path_buf(),
            message,
        },
        StoreError::Io { message, .. } => StoreError::Io {
            path: path.to_path_buf(),
            message,
        },
        other => other,
    }
}
