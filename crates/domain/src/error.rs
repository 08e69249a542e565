//! Refusals: every `DomainError` names the rule (English code) and says, in Chinese, the values and what would satisfy it.

use thiserror::Error;

/// Why a command was not accepted. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// The input itself is malformed (empty name, bad ID check digit, future date…).
    #[error("[{code}] {message}")]
    Invalid { code: &'static str, message: String },
    /// A rule of the policy in force refuses the command.
    #[error("[{code}] {message}")]
    Refused { code: &'static str, message: String },
    /// The command names something that does not exist (unknown stream, post, stage…).
    #[error("[{code}] {message}")]
    NotFound { code: &'static str, message: String },
}

impl DomainError {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        DomainError::Invalid {
            code,
            message: message.into(),
        }
    }

    pub fn refused(code: &'static str, message: impl Into<String>) -> Self {
        DomainError::Refused {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        DomainError::NotFound {
            code,
            message: message.into(),
        }
    }

    /// The English rule code, e.g. `PROMOTION_MIN_YEARS`.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Invalid { code, .. }
            | DomainError::Refused { code, .. }
            | DomainError::NotFound { code, .. } => code,
        }
    }

    /// The Chinese explanation.
    pub fn message(&self) -> &str {
        match self {
            DomainError::Invalid { message, .. }
            | DomainError::Refused { message, .. }
            | DomainError::NotFound { message, .. } => message,
        }
    }
}
