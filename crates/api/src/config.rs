//! The API's settings (limits, introspection, GraphiQL), with safe defaults; the binary fills them from its configuration.

use std::time::Duration;

/// Settings of the GraphQL endpoint. Every limit is always on; only its value changes.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Serve the schema to introspection queries (GraphiQL needs it).
    pub introspection: bool,
    /// Serve the GraphiQL page on `GET /graphql`.
    pub graphiql: bool,
    /// Deepest selection nesting a query may have.
    pub max_depth: usize,
    /// Largest complexity (fields, weighted by list sizes) a query may have.
    pub max_complexity: usize,
    /// Most aliases a query may use.
    pub max_aliases: usize,
    /// Most operations in one batched request.
    pub max_batch: usize,
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Longest a request may run.
    pub timeout: Duration,
    /// Longest a command waits for the read models to apply its events.
    pub settle_timeout: Duration,
    /// How long a token found valid is trusted without reading the token table again.
    /// Revocations through this server apply at once; `dossier token revoke` run by another
    /// process applies within this time. Zero reads the table on every request.
    pub token_cache_ttl: Duration,
    /// Free disk space (bytes) below which the server warns in its log, `/metrics` and
    /// `/readyz`, before writes fail. Zero turns the warning off.
    pub disk_warn_free_bytes: u64,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            introspection: true,
            graphiql: true,
            max_depth: 12,
            max_complexity: 2_000,
            max_aliases: 30,
            max_batch: 10,
            max_body_bytes: 256 * 1024,
            timeout: Duration::from_secs(30),
            settle_timeout: Duration::from_secs(10),
            token_cache_ttl: Duration::from_secs(5),
            disk_warn_free_bytes: 1024 * 1024 * 1024,
        }
    }
}
