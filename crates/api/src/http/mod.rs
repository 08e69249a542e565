//! The HTTP surface: `app(state) -> Router` with GraphQL over HTTP, GraphiQL (embedded assets), WebSocket, SDL, health, readiness, metrics and the workbench (`web`).

use std::{
    sync::{Arc, atomic::Ordering},
    time::Duration,
};

use async_graphql::{
    BatchRequest, BatchResponse, Executor, Response as GqlResponse, http::parse_query_string,
    parser::types::OperationType,
};
use axum::{
    Router,
    body::{Body, Bytes},
    extract::{RawQuery, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::{self, Next},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use tower_http::limit::RequestBodyLimitLayer;

mod ws;

use crate::{
    answers::{AnswerKey, Answers, keepable},
    at_least,
    auth::Principal,
    documents::{Documents, Fresh, failed_before_execution},
    error::ApiError,
    metrics::Metrics,
    schema::Served,
    state::AppState,
};

/// GraphQL-over-HTTP's own media type.
pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

#[derive(Clone)]
struct Http {
    state: AppState,
    schema: Served,
    documents: Arc<Documents>,
    answers: Arc<Answers>,
}

/// The router of the whole API, over `state`.
pub fn app(state: AppState) -> Router {
    let schema = Served::new(state.clone());
    let max_body = state.config.max_body_bytes;
    let http = Http {
        state,
        schema,
        documents: Arc::default(),
        answers: Arc::default(),
    };
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/graphql/ws", get(ws::graphql_ws))
        .route("/graphql/assets/{file}", get(asset))
        .route("/schema.graphql", get(sdl))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .merge(crate::web::routes())
        .fallback(crate::web::fallback)
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(middleware::from_fn(json_rejections))
        .layer(middleware::from_fn(crate::trace::trace_requests))
        .with_state(http)
}

/// An error response with a GraphQL-shaped body.
fn request_error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    crate::error_body::error_response(status, code, message, |_| {})
}

/// Rewrite the plain-text rejections of the body limit into GraphQL-shaped errors.
async fn json_rejections(request: axum::extract::Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return request_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            "请求体过大（request body too large）",
        );
    }
    response
}

/// Authenticate the bearer token of a request: `Ok(None)` when none was given.
/// The bearer token of the `Authorization` header, if there is one.
fn bearer(headers: &HeaderMap) -> Result<Option<&str>, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| Some(t.trim()))
        .ok_or_else(|| ApiError::Unauthenticated("Authorization 头应为「Bearer <令牌>」".into()))
}

async fn principal(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let Some(token) = bearer(headers)? else {
        return Ok(Principal(None));
    };
    let actor = state.tokens.authenticate(&state.store, token).await?;
    crate::trace::note_role(crate::tokens::role_name(actor.role));
    Ok(Principal(Some(actor)))
}

fn wants_graphql_response(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains(GRAPHQL_RESPONSE_JSON))
}

/// Run a batch with the caller's principal, bounded by the configured timeout.
async fn execute(
    http: &Http,
    principal: Principal,
    batch: BatchRequest,
) -> Result<BatchResponse, Response> {
    let batch = batch.data(principal);
    let timeout: Duration = http.state.config.timeout;
    match tokio::time::timeout(timeout, http.schema.execute_batch(batch)).await {
        Ok(response) => Ok(response),
        Err(_) => Err(request_error(
            StatusCode::GATEWAY_TIMEOUT,
            "TIMEOUT",
            format!("请求执行超过时限 {}，已中止", limit_text(timeout)),
        )),
    }
}

/// A time limit in words: whole seconds, or milliseconds below one second.
fn limit_text(limit: Duration) -> String {
    if limit >= Duration::from_secs(1) && limit.subsec_millis() == 0 {
        format!("{} 秒", limit.as_secs())
    } else {
        format!("{} 毫秒", limit.as_millis())
    }
}

fn count(metrics: &Metrics, response: &BatchResponse) {
    let responses: Vec<&GqlResponse> = match response {
        BatchResponse::Single(r) => vec![r],
        BatchResponse::Batch(rs) => rs.iter().collect(),
    };
    for r in responses {
        if r.is_err() {
            Metrics::inc(&metrics.errors);
        }
        if r.errors.iter().any(|e| {
            e.extensions.as_ref().and_then(|x| x.get("code")) == Some(&"RULE_REFUSED".into())
        }) {
            Metrics::inc(&metrics.refused);
        }
    }
}

/// The media type of a response, as the request's `Accept` asks.
fn content_type(headers: &HeaderMap) -> HeaderValue {
    HeaderValue::from_static(if wants_graphql_response(headers) {
        GRAPHQL_RESPONSE_JSON
    } else {
        "application/json"
    })
}

/// An answer kept (see [`crate::answers`]): an executed, error-free response, so a 200.
fn kept_answer(headers: &HeaderMap, body: Bytes) -> Response {
    let mut out = (StatusCode::OK, body).into_response();
    out.headers_mut()
        .insert(header::CONTENT_TYPE, content_type(headers));
    out
}

/// Serialize a GraphQL response, with the media type and status GraphQL-over-HTTP asks for.
fn respond(headers: &HeaderMap, response: BatchResponse) -> Response {
    let graphql_json = wants_graphql_response(headers);
    // Under application/graphql-response+json, a request that failed before
    // execution (no `data`) is a 400; otherwise 200.
    let failed = match &response {
        BatchResponse::Single(r) => failed_before_execution(r),
        BatchResponse::Batch(_) => false,
    };
    let status = if graphql_json && failed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let body = match serialize(&response) {
        Ok(body) => body,
        Err(e) => {
            let _ = ApiError::internal(e);
            return request_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                ApiError::Internal.to_string(),
            );
        }
    };
    let mut out = (status, body).into_response();
    out.headers_mut()
        .insert(header::CONTENT_TYPE, content_type(headers));
    out
}

/// The JSON of a response. A response that failed before execution carries no `data` key
/// (GraphQL over HTTP: the request never executed), rather than `"data": null`.
fn serialize(response: &BatchResponse) -> serde_json::Result<String> {
    fn without_data(r: &GqlResponse) -> serde_json::Result<serde_json::Value> {
        let mut value = serde_json::to_value(r)?;
        if failed_before_execution(r)
            && let Some(object) = value.as_object_mut()
        {
            object.remove("data");
        }
        Ok(value)
    }
    let any_failed = match response {
        BatchResponse::Single(r) => failed_before_execution(r),
        BatchResponse::Batch(rs) => rs.iter().any(failed_before_execution),
    };
    if !any_failed {
        return serde_json::to_string(response);
    }
    match response {
        BatchResponse::Single(r) => serde_json::to_string(&without_data(r)?),
        BatchResponse::Batch(rs) => serde_json::to_string(
            &rs.iter()
                .map(without_data)
                .collect::<serde_json::Result<Vec<_>>>()?,
        ),
    }
}

/// The refusal of a request without a query text (GraphQL over HTTP: a bad request).
fn missing_query() -> Response {
    request_error(
        StatusCode::BAD_REQUEST,
        "BAD_REQUEST",
        "请求缺少 query（GraphQL 查询文本）",
    )
}

async fn graphql_post(State(http): State<Http>, headers: HeaderMap, body: Body) -> Response {
    Metrics::inc(&http.state.metrics.requests);
    let config = &http.state.config;
    let read = axum::body::to_bytes(body, config.max_body_bytes);
    let bytes: Bytes = match tokio::time::timeout(config.body_read_timeout, read).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return request_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "请求体过大（request body too large）",
            );
        }
        Err(_) => {
            return request_error(
                StatusCode::REQUEST_TIMEOUT,
                "REQUEST_TIMEOUT",
                format!(
                    "请求体未在 {} 内传完（request body too slow）",
                    limit_text(config.body_read_timeout)
                ),
            );
        }
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/json") {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_REQUEST",
            "请求体须为 application/json（GraphQL over HTTP）",
        );
    }
    let batch: BatchRequest = match serde_json::from_slice(&bytes) {
        Ok(b) => b,
        Err(e) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                format!("请求体不是合法的 GraphQL JSON：{e}"),
            );
        }
    };
    let size = match &batch {
        BatchRequest::Single(_) => 1,
        BatchRequest::Batch(rs) => rs.len(),
    };
    if size == 0 || size > http.state.config.max_batch {
        return request_error(
            StatusCode::BAD_REQUEST,
            "BATCH_TOO_LARGE",
            format!(
                "批量请求含 {size} 个操作，允许 1 至 {} 个",
                http.state.config.max_batch
            ),
        );
    }
    if batch.iter().any(|r| r.query.trim().is_empty()) {
        return missing_query();
    }
    let principal = match principal(&http.state, &headers).await {
        Ok(p) => p,
        Err(e) => return request_error(StatusCode::UNAUTHORIZED, e.code(), e.to_string()),
    };
    if let Err(response) = read_at_least(&http.state, &headers, &principal).await {
        return *response;
    }
    let authenticated = principal.0.is_some();
    let mut batch = batch;
    let fresh: Vec<Option<Fresh>> = batch
        .iter_mut()
        .map(|request| http.documents.prepare(request, authenticated))
        .collect();
    // A read-only query of the read models answered already at this position is served again.
    let keep = match &mut batch {
        BatchRequest::Single(request) if authenticated => keepable(request).then(|| {
            AnswerKey::new(
                format!("{:?}", principal.0),
                bytes.clone(),
                wants_graphql_response(&headers),
                http.state.projections.position(),
                http.state.service.today(),
            )
        }),
        _ => None,
    };
    if let Some(key) = &keep
        && let Some(body) = http.answers.get(key)
    {
        Metrics::inc(&http.state.metrics.answers_kept);
        return at_least::stamp_at(key.position(), kept_answer(&headers, body));
    }
    let mutations = batch
        .iter_mut()
        .map(|r| is_operation(r, OperationType::Mutation))
        .filter(|&m| m)
        .count();
    match execute(&http, principal, batch).await {
        Ok(response) => {
            count(&http.state.metrics, &response);
            http.documents.remember_all(fresh, &response);
            let ok = match &response {
                BatchResponse::Single(r) => r.is_ok(),
                BatchResponse::Batch(rs) => rs.iter().all(|r| r.is_ok()),
            };
            if ok {
                http.state
                    .metrics
                    .mutations
                    .fetch_add(mutations as u64, Ordering::Relaxed);
            }
            let response = respond(&headers, response);
            match keep {
                Some(key) if ok && response.status() == StatusCode::OK => {
                    // The body is read into memory to keep it; it is small (bounded by
                    // the answer-size limit) or not kept.
                    let (parts, body) = response.into_parts();
                    match axum::body::to_bytes(body, usize::MAX).await {
                        Ok(bytes) => {
                            http.answers.keep(key.clone(), bytes.clone());
                            at_least::stamp(
                                &http.state,
                                Response::from_parts(parts, Body::from(bytes)),
                            )
                        }
                        Err(e) => {
                            let _ = ApiError::internal(e);
                            request_error(
                                StatusCode::INTERNAL_SERVER_ERROR,
                                "INTERNAL",
                                ApiError::Internal.to_string(),
                            )
                        }
                    }
                }
                _ => at_least::stamp(&http.state, response),
            }
        }
        Err(response) => response,
    }
}

/// An authenticated request naming a position (`X-Dossier-At-Least`) waits until the read
/// models reach it, bounded; an unauthenticated one is refused by the schema without waiting.
async fn read_at_least(
    state: &AppState,
    headers: &HeaderMap,
    principal: &Principal,
) -> Result<(), Box<Response>> {
    match at_least::asked(headers)? {
        Some(position) if principal.0.is_some() => at_least::reach(state, position).await,
        _ => Ok(()),
    }
}

/// Does this request select an operation of type `ty`? A text that does not parse answers
/// false (execution reports it).
fn is_operation(request: &mut async_graphql::Request, ty: OperationType) -> bool {
    let wanted = request.operation_name.clone();
    let Ok(doc) = request.parsed_query() else {
        return false;
    };
    doc.operations.iter().any(|(name, op)| {
        let selected = match (&wanted, name) {
            (Some(wanted), Some(name)) => wanted.as_str() == name.as_str(),
            (Some(_), None) => false,
            (None, _) => true,
        };
        selected && op.node.ty == ty
    })
}

async fn graphql_get(
    State(http): State<Http>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        if http.state.config.graphiql {
            return Html(graphiql_page()).into_response();
        }
        return request_error(StatusCode::NOT_FOUND, "NOT_FOUND", "GraphiQL 未启用");
    };
    Metrics::inc(&http.state.metrics.requests);
    let mut request = match parse_query_string(&query) {
        Ok(r) => r,
        Err(e) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                format!("查询参数不合法：{e}"),
            );
        }
    };
    if request.query.trim().is_empty() {
        return missing_query();
    }
    if is_operation(&mut request, OperationType::Mutation)
        || is_operation(&mut request, OperationType::Subscription)
    {
        let mut response = request_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "变更只能用 POST 提交（GET 仅用于查询）",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    let principal = match principal(&http.state, &headers).await {
        Ok(p) => p,
        Err(e) => return request_error(StatusCode::UNAUTHORIZED, e.code(), e.to_string()),
    };
    if let Err(response) = read_at_least(&http.state, &headers, &principal).await {
        return *response;
    }
    let fresh = vec![http.documents.prepare(&mut request, principal.0.is_some())];
    match execute(&http, principal, BatchRequest::Single(request)).await {
        Ok(response) => {
            count(&http.state.metrics, &response);
            http.documents.remember_all(fresh, &response);
            at_least::stamp(&http.state, respond(&headers, response))
        }
        Err(response) => response,
    }
}

async fn sdl(State(http): State<Http>) -> Response {
    let mut response = http.schema.schema().sdl().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(http): State<Http>) -> Response {
    let r = crate::health::readiness(&http.state).await;
    let status = if r.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, r.lines.join("\n")).into_response()
}

async fn metrics(State(http): State<Http>) -> Response {
    let head = http.state.store.head().await.unwrap_or_else(|e| {
        let _ = ApiError::internal(e);
        0
    });
    let applied = http.state.projections.position();
    let mut body = http.state.metrics.render(head, applied);
    body.push_str(&crate::health::metrics_text(&http.state));
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

// GraphiQL, vendored from the npm registry (graphiql 3.9.0, react 18.3.1) and embedded:
// offline networks must not reach a CDN.
const GRAPHIQL_JS: &[u8] = include_bytes!("../../assets/graphiql.min.js");
const GRAPHIQL_CSS: &[u8] = include_bytes!("../../assets/graphiql.min.css");
const REACT_JS: &[u8] = include_bytes!("../../assets/react.production.min.js");
const REACT_DOM_JS: &[u8] = include_bytes!("../../assets/react-dom.production.min.js");

async fn asset(axum::extract::Path(file): axum::extract::Path<String>, method: Method) -> Response {
    let (bytes, content_type) = match file.as_str() {
        "graphiql.min.js" => (GRAPHIQL_JS, "text/javascript; charset=utf-8"),
        "graphiql.min.css" => (GRAPHIQL_CSS, "text/css; charset=utf-8"),
        "react.production.min.js" => (REACT_JS, "text/javascript; charset=utf-8"),
        "react-dom.production.min.js" => (REACT_DOM_JS, "text/javascript; charset=utf-8"),
        _ => return (StatusCode::NOT_FOUND, "no such asset").into_response(),
    };
    let _ = method;
    let mut response = Bytes::from_static(bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    response
}

/// The GraphiQL page: every script and style from `/graphql/assets/`, nothing from elsewhere.
pub fn graphiql_page() -> String {
    r#"<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>Dossier · GraphiQL</title>
  <link rel="stylesheet" href="/graphql/assets/graphiql.min.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">加载中…</div>
  <script src="/graphql/assets/react.production.min.js"></script>
  <script src="/graphql/assets/react-dom.production.min.js"></script>
  <script src="/graphql/assets/graphiql.min.js"></script>
  <script>
    const wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql/ws';
    const fetcher = GraphiQL.createFetcher({ url: '/graphql', subscriptionUrl: wsUrl });
    const root = ReactDOM.createRoot(document.getElementById('graphiql'));
    root.render(React.createElement(GraphiQL, {
      fetcher,
      defaultEditorToolsVisibility: true,
      defaultHeaders: '{"Authorization": "Bearer <token>"}',
    }));
  </script>
</body>
</html>
"#
    .to_owned()
}
