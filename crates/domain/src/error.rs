//! Refusals: every `DomainError` names the rule (English code) and says, in Chinese, the values and what would satisfy it.

use thiserror::Error;

use crate::obstacle::Obstacle;

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
    /// Several rules refuse the command: every one of them, in the order a clerk checks them
    /// (`first` is the one reported as the refusal's code and message).
    #[error("[{}] {}", first.code, first.message)]
    Blocked {
        first: Obstacle,
        more: Vec<Obstacle>,
    },
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

    /// A refusal carrying every obstacle found; `None` for an empty list (nothing refuses).
    pub fn blocked(obstacles: Vec<Obstacle>) -> Option<Self> {
        let mut it = obstacles.into_iter();
        let first = it.next()?;
        Some(DomainError::Blocked {
            first,
            more: it.collect(),
        })
    }

    /// Every obstacle of a [`DomainError::Blocked`] refusal (empty for any other error).
    pub fn obstacles(&self) -> Vec<&Obstacle> {
        match self {
            DomainError::Blocked { first, more } => std::iter::once(first).chain(more).collect(),
            _ => Vec::new(),
        }
    }

    /// The English rule code, e.g. `PROMOTION_MIN_YEARS`.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Invalid { code, .. }
            | DomainError::Refused { code, .. }
            | DomainError::NotFound { code, .. } => code,
            DomainError::Blocked { first, .. } => first.code,
        }
    }

    /// The Chinese explanation.
    pub fn message(&self) -> &str {
        match self {
            DomainError::Invalid { message, .. }
            | DomainError::Refused { message, .. }
            | DomainError::NotFound { message, .. } => message,
            DomainError::Blocked { first, .. } => &first.message,
        }
    }
}
