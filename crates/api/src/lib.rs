//! The GraphQL schema (no axum here) and `app(state) -> Router`, the HTTP surface of Dossier.
//!
//! - [`service::Service`] executes commands (any stream kind) with read-your-writes;
//! - [`tokens`] creates, revokes and checks bearer tokens (stored as SHA-256 hashes);
//! - [`schema()`] builds the GraphQL schema with its limits and guards;
//! - [`app()`] is the router: `/graphql` (HTTP + GraphiQL), `/graphql/ws`, `/schema.graphql`,
//!   `/healthz`, `/readyz`, `/metrics`.

pub mod answers;
pub mod at_least;
pub mod auth;
pub mod config;
mod documents;
pub mod error;
mod error_body;
pub mod error_input;
pub mod exchange;
pub mod facts;
pub mod facts_index;
pub mod facts_selection;
pub mod health;
pub mod http;
pub mod idempotency;
pub mod metrics;
pub mod naming;
pub mod schema;
pub mod server;
pub mod service;
pub mod state;
pub mod tokens;
pub mod trace;
pub mod web;

pub use config::ApiConfig;
pub use error::ApiError;
pub use http::app;
pub use schema::{DossierSchema, schema};
pub use server::serve;
pub use service::{CommandEnvelope, CommandOutcome, Service};
pub use state::{AppState, Projections};
