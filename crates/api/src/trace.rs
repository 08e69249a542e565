//! The request-tracing layer: one log line per HTTP request with method, route, status, latency and role — never a token, a query string, a body or any personal data.

use std::cell::Cell;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

tokio::task_local! {
    /// The role of the request being served, noted when its token is authenticated.
    static ROLE: Cell<&'static str>;
}

/// Note the role of the request being served (called where the bearer token is checked).
/// Outside a traced request it does nothing.
pub fn note_role(role: &'static str) {
    let _ = ROLE.try_with(|r| r.set(role));
}

/// Log each request once it is answered. The route template is logged (e.g.
/// `/graphql/assets/{file}`), not the requested path, so nothing a client typed reaches the log.
pub async fn trace_requests(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(no route)".to_owned(), |p| p.as_str().to_owned());
    let started = Instant::now();
    let (response, role) = ROLE
        .scope(Cell::new("anonymous"), async {
            let response = next.run(request).await;
            (response, ROLE.with(Cell::get))
        })
        .await;
    tracing::info!(
        target: "dossier::http",
        method = %method,
        route,
        status = response.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        role,
        "request"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_role_noted_during_a_request_is_the_one_logged() {
        let seen = ROLE
            .scope(Cell::new("anonymous"), async {
                note_role("auditor");
                ROLE.with(Cell::get)
            })
            .await;
        assert_eq!(seen, "auditor");
        // Outside a request nothing happens (and nothing panics).
        note_role("cadre");
    }
}
