//! The API's settings (limits, timeouts, connection caps, introspection, GraphiQL), with safe defaults; the binary fills them from its configuration.

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
    /// Longest a request with `X-Dossier-At-Least` waits for the read models to reach that
    /// position before it is answered `STALE` (retryable).
    pub at_least_timeout: Duration,
    /// How long a token found valid is trusted without reading the token table again.
    /// Revocations through this server apply at once; `dossier token revoke` run by another
    /// process applies within this time. Zero reads the table on every request.
    pub token_cache_ttl: Duration,
    /// Free disk space (bytes) below which the server warns in its log, `/metrics` and
    /// `/readyz`, before writes fail. Zero turns the warning off.
    pub disk_warn_free_bytes: u64,
    /// Most connections open at once (WebSocket sessions included); further clients wait
    /// in the listen backlog until one closes.
    pub max_connections: usize,
    /// Longest a client may take to send a request's headers before it is disconnected.
    pub header_read_timeout: Duration,
    /// Longest a client may take to send a request's body (then 408 `REQUEST_TIMEOUT`).
    pub body_read_timeout: Duration,
    /// Longest a WebSocket may stay open without `connection_init` (then closed with 4408).
    pub ws_init_timeout: Duration,
    /// Largest WebSocket message (and frame) a client may send, in bytes.
    pub ws_max_message_bytes: usize,
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
            at_least_timeout: Duration::from_secs(5),
            token_cache_ttl: Duration::from_secs(5),
            disk_warn_free_bytes: 1024 * 1024 * 1024,
            max_connections: 1_024,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(15),
            ws_init_timeout: Duration::from_secs(10),
            ws_max_message_bytes: 64 * 1024,
        }
    }
}
