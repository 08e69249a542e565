//! The API's errors: each failure mapped once to a GraphQL error with `extensions.code` (and the rule code for refusals).

use async_graphql::{ErrorExtensionValues, ServerError, Value};
use dossier_domain::{DomainError, Obstacle};
use dossier_store::StoreError;
use thiserror::Error;

/// Every way a request can fail, as the API reports it.
///
/// The `Display` text is what a client sees; `Internal` never shows its
/// cause (it is logged when the error is made).
#[derive(Debug, Clone, Error)]
pub enum ApiError {
    /// No token, or an unknown or revoked one.
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller's role or scope does not allow this. `rule`: `FORBIDDEN_ROLE` (the role may
    /// not), `SCOPE_OTHER_CADRE` (a cadre acting on or reading another cadre),
    /// `SCOPE_OTHER_UNIT` (a unit head beyond their unit), or the domain's own
    /// (`FORBIDDEN_SCOPE`, …).
    #[error("{message}")]
    Forbidden { rule: &'static str, message: String },
    /// The input is malformed (bad date, empty name, bad ID number…).
    #[error("{message}")]
    Validation {
        rule: Option<&'static str>,
        message: String,
    },
    /// A rule of the policy in force refuses the command. `obstacles` lists every failing rule
    /// when the command checks several at once (`rule` and `message` are the first's); empty
    /// otherwise.
    #[error("{message}")]
    Refused {
        rule: &'static str,
        message: String,
        obstacles: Vec<Obstacle>,
    },
    /// The stream moved since the caller read it.
    #[error("版本冲突：流 {stream} 期望版本 {expected}，实际版本 {actual}，请重新读取后再提交")]
    Conflict {
        stream: String,
        /// The version the caller expected (0: that the stream did not exist yet).
        expected: u64,
        actual: u64,
    },
    /// The command or query names something that does not exist.
    #[error("{message}")]
    NotFound {
        rule: Option<&'static str>,
        message: String,
    },
    /// Writing is suspended (a full disk, an I/O error) or a part of the server is restarting:
    /// nothing of the request was written; the same request may succeed later
    /// (`extensions.retryable` is true). `code` is `STORAGE_FULL`, `UNAVAILABLE` or
    /// `CONCURRENT_DECISION` (another replica appended a command under a cross-stream rule first).
    #[error("{message}")]
    Unavailable { code: &'static str, message: String },
    /// A command id used before by another principal, with another input or on another
    /// stream. Says nothing about the first command.
    #[error(
        "命令标识 {command_id:?} 已被另一次命令使用（发起者、输入或对象不同），未执行：新命令请使用新的命令标识"
    )]
    IdempotencyKeyReused { command_id: String },
    /// Something broke on our side; the cause is in the log, never in the response.
    #[error("内部错误，已记录日志（internal error）")]
    Internal,
}

impl ApiError {
    /// An internal failure: logs its cause now, reports only that something broke.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        ApiError::Internal
    }

    pub fn validation(message: impl Into<String>) -> Self {
        ApiError::Validation {
            rule: None,
            message: message.into(),
        }
    }

    /// A refusal by role (`FORBIDDEN_ROLE`).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::forbidden_by("FORBIDDEN_ROLE", message)
    }

    /// A refusal of access by the rule `rule`.
    pub fn forbidden_by(rule: &'static str, message: impl Into<String>) -> Self {
        ApiError::Forbidden {
            rule,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::NotFound {
            rule: None,
            message: message.into(),
        }
    }

    /// The same error with each message a client reads (a refusal's obstacles too) passed through `f`.
    pub fn map_messages(self, f: impl Fn(&str) -> String) -> Self {
        match self {
            ApiError::Validation { rule, message } => ApiError::Validation {
                rule,
                message: f(&message),
            },
            ApiError::Refused {
                rule,
                message,
                obstacles,
            } => ApiError::Refused {
                rule,
                message: f(&message),
                obstacles: obstacles
                    .into_iter()
                    .map(|o| Obstacle {
                        message: f(&o.message),
                        ..o
                    })
                    .collect(),
            },
            ApiError::NotFound { rule, message } => ApiError::NotFound {
                rule,
                message: f(&message),
            },
            ApiError::Forbidden { rule, message } => ApiError::Forbidden {
                rule,
                message: f(&message),
            },
            other => other,
        }
    }

    /// The `extensions.code` of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden { .. } => "FORBIDDEN",
            ApiError::Validation { .. } => "VALIDATION",
            ApiError::Refused { .. } => "RULE_REFUSED",
            ApiError::Conflict { .. } => "CONFLICT",
            ApiError::NotFound { .. } => "NOT_FOUND",
            ApiError::Unavailable { code, .. } => code,
            ApiError::IdempotencyKeyReused { .. } => "IDEMPOTENCY_KEY_REUSED",
            ApiError::Internal => "INTERNAL",
        }
    }

    /// A fault of the store (see [`StoreError::is_fault`]) as the caller sees it: writes are
    /// suspended, why, and that a retry may succeed. Anything else is INTERNAL.
    pub fn store_fault(e: &StoreError) -> Self {
        if !e.is_fault() {
            return ApiError::internal(e);
        }
        tracing::warn!(error = %e, "write refused: the store cannot write now");
        match e {
            StoreError::DiskFull { .. } => ApiError::Unavailable {
                code: "STORAGE_FULL",
                message: "磁盘空间已满，写入已暂停：本次请求未写入任何内容，已确认的记录完好；\
                          释放空间后服务自动恢复，请稍后重试"
                    .into(),
            },
            StoreError::Closed => ApiError::unavailable("事件库正在关闭"),
            other => ApiError::unavailable(format!("存储读写故障（{}），写入已暂停", other.code())),
        }
    }

    /// A retryable refusal: `what` is unavailable now; nothing was written.
    pub fn unavailable(what: impl std::fmt::Display) -> Self {
        ApiError::Unavailable {
            code: "UNAVAILABLE",
            message: format!("服务暂时不可用：{what}；本次请求未写入任何内容，请稍后重试"),
        }
    }

    /// Whether the same request may succeed later.
    pub fn retryable(&self) -> bool {
        matches!(self, ApiError::Unavailable { .. })
    }

    /// The domain rule code, when a rule decided.
    pub fn rule(&self) -> Option<&'static str> {
        match self {
            ApiError::Refused { rule, .. } | ApiError::Forbidden { rule, .. } => Some(rule),
            ApiError::Validation { rule, .. } | ApiError::NotFound { rule, .. } => *rule,
            _ => None,
        }
    }

    /// The extensions a GraphQL error carries for this failure.
    pub fn extensions(&self) -> ErrorExtensionValues {
        let mut ext = ErrorExtensionValues::default();
        ext.set("code", self.code());
        if let Some(rule) = self.rule() {
            ext.set("rule", rule);
        }
        if self.retryable() {
            ext.set("retryable", true);
        }
        if let ApiError::Conflict {
            stream,
            expected,
            actual,
        } = self
        {
            ext.set("stream", stream.as_str());
            ext.set("expected", Value::from(*expected));
            ext.set("actual", Value::from(*actual));
        }
        if let ApiError::Refused { obstacles, .. } = self
            && !obstacles.is_empty()
        {
            ext.set("obstacles", obstacles_value(obstacles));
        }
        ext
    }

    /// This failure as a GraphQL error.
    pub fn into_gql(self) -> async_graphql::Error {
        let extensions = self.extensions();
        let mut err = async_graphql::Error::new(self.to_string());
        err.extensions = Some(extensions);
        err
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid { code, message } => ApiError::Validation {
                rule: Some(code),
                message,
            },
            // The domain's own role and scope checks are access refusals.
            DomainError::Refused { code, message } if code.starts_with("FORBIDDEN") => {
                ApiError::Forbidden {
                    rule: code,
                    message,
                }
            }
            DomainError::Refused { code, message } => ApiError::Refused {
                rule: code,
                message,
                obstacles: Vec::new(),
            },
            DomainError::Blocked { first, more } => ApiError::Refused {
                rule: first.code,
                message: first.message.clone(),
                obstacles: std::iter::once(first).chain(more).collect(),
            },
            DomainError::NotFound { code, message } => ApiError::NotFound {
                rule: Some(code),
                message,
            },
        }
    }
}

/// `extensions.obstacles`: `[{code, message, liftsOn}]`, `liftsOn` (YYYY-MM-DD) only when time
/// alone lifts the obstacle.
fn obstacles_value(obstacles: &[Obstacle]) -> Value {
    Value::List(
        obstacles
            .iter()
            .map(|o| {
                let mut fields = async_graphql::indexmap::IndexMap::new();
                fields.insert(async_graphql::Name::new("code"), Value::from(o.code));
                fields.insert(
                    async_graphql::Name::new("message"),
                    Value::from(o.message.as_str()),
                );
                if let Some(l) = o.lifts_on {
                    fields.insert(
                        async_graphql::Name::new("liftsOn"),
                        Value::from(l.to_string()),
                    );
                }
                Value::Object(fields)
            })
            .collect(),
    )
}

/// Give every error of a response its `extensions.code`.
///
/// Errors raised from an [`ApiError`] (directly or through `?`) get that
/// error's code; errors of the GraphQL machinery itself (parse, validation,
/// limits) get a protocol code; anything else is reported as INTERNAL with its
/// text withheld.
pub fn classify(err: &mut ServerError) {
    if let Some(api) = err.source::<ApiError>() {
        let api = api.clone();
        err.message = api.to_string();
        err.extensions = Some(api.extensions());
        return;
    }
    if err
        .extensions
        .as_ref()
        .is_some_and(|e| e.get("code").is_some())
    {
        return;
    }
    let message = err.message.as_str();
    let code = if message.contains("nested too deep") || message.contains("too deep") {
        "QUERY_TOO_DEEP"
    } else if message.contains("too complex") {
        "QUERY_TOO_COMPLEX"
    } else if err.source.is_some() {
        // An error from some library reached the response without being
        // mapped: do not leak its text.
        tracing::error!(error = %err.message, "unmapped error");
        err.message = ApiError::Internal.to_string();
        "INTERNAL"
    } else if message.contains(dossier_domain::bounds::OUT_OF_RANGE) {
        // A value outside its range (a date before 1900, a year after 2100…), whether it
        // came as a variable or written into the query.
        "VALIDATION"
    } else if !err.locations.is_empty() && err.path.is_empty() {
        // Parse and validation errors point at the query text, not at a field.
        "GRAPHQL_VALIDATION_FAILED"
    } else {
        "VALIDATION"
    };
    let mut ext = err.extensions.take().unwrap_or_default();
    ext.set("code", code);
    err.extensions = Some(ext);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_refusal_keeps_its_rule_code() {
        let e: ApiError = DomainError::refused("PROMOTION_MIN_YEARS", "任职年限不足").into();
        assert_eq!(e.code(), "RULE_REFUSED");
        assert_eq!(e.rule(), Some("PROMOTION_MIN_YEARS"));
        assert_eq!(e.to_string(), "任职年限不足");
    }

    #[test]
    fn a_refusal_by_several_rules_lists_every_obstacle_and_reports_the_first() {
        let lifts = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        let e: ApiError = DomainError::blocked(vec![
            Obstacle::lifts("PROMOTION_SANCTION_PERIOD", "影响期至 2027-03-01", lifts),
            Obstacle::needs_act("PROMOTION_PUBLIC_NOTICE", "尚未公示"),
        ])
        .unwrap()
        .into();
        assert_eq!(e.code(), "RULE_REFUSED");
        assert_eq!(e.rule(), Some("PROMOTION_SANCTION_PERIOD"));
        assert_eq!(e.to_string(), "影响期至 2027-03-01");
        let ext = e.extensions();
        let Some(Value::List(list)) = ext.get("obstacles") else {
            panic!("no obstacles in {ext:?}")
        };
        let json = serde_json::to_value(list).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"code": "PROMOTION_SANCTION_PERIOD", "message": "影响期至 2027-03-01", "liftsOn": "2027-03-01"},
                {"code": "PROMOTION_PUBLIC_NOTICE", "message": "尚未公示"}
            ])
        );
        // A refusal by one rule carries no list.
        let single: ApiError = DomainError::refused("X", "y").into();
        assert!(single.extensions().get("obstacles").is_none());
    }

    #[test]
    fn a_domain_role_refusal_is_forbidden_with_its_rule() {
        let e: ApiError = DomainError::refused("FORBIDDEN_ROLE", "角色不符").into();
        assert_eq!(e.code(), "FORBIDDEN");
        assert_eq!(e.rule(), Some("FORBIDDEN_ROLE"));
        let e: ApiError = DomainError::refused("FORBIDDEN_SCOPE", "只能本人").into();
        assert_eq!(e.rule(), Some("FORBIDDEN_SCOPE"));
        assert_eq!(
            ApiError::forbidden("角色不符").extensions().get("rule"),
            Some(&Value::from("FORBIDDEN_ROLE"))
        );
    }

    #[test]
    fn a_full_disk_is_a_retryable_storage_full() {
        let e = ApiError::store_fault(&StoreError::DiskFull {
            message: "database or disk is full".into(),
        });
        assert_eq!(e.code(), "STORAGE_FULL");
        assert!(e.retryable());
        assert!(e.to_string().contains("磁盘空间已满"), "{e}");
        let ext = e.extensions();
        assert_eq!(ext.get("retryable"), Some(&Value::from(true)));
        let io = ApiError::store_fault(&StoreError::Database {
            code: 10,
            message: "disk I/O error".into(),
        });
        assert_eq!(io.code(), "UNAVAILABLE");
        assert!(io.retryable());
        // A refusal of the request itself is not a fault of the store.
        let corrupt = ApiError::store_fault(&StoreError::Corrupt {
            position: 3,
            reason: "x".into(),
        });
        assert_eq!(corrupt.code(), "INTERNAL");
    }

    #[test]
    fn an_internal_error_never_shows_its_cause() {
        let e = ApiError::internal("disk I/O error at /var/lib/dossier.db");
        assert_eq!(e.code(), "INTERNAL");
        assert!(!e.to_string().contains("disk"));
    }

    #[test]
    fn an_unmapped_library_error_is_reported_as_internal_without_its_text() {
        let mut err = async_graphql::Error::from(std::io::Error::other("secret path /etc/x"))
            .into_server_error(async_graphql::Pos { line: 1, column: 1 });
        classify(&mut err);
        assert_eq!(
            err.extensions.as_ref().and_then(|x| x.get("code")),
            Some(&Value::from("INTERNAL"))
        );
        assert!(!err.message.contains("secret"));
    }
}
