//! GraphQL over WebSocket (graphql-transport-ws): the `connection_init` deadline and token, operations refused or run as the principal, and sessions closed when their token is revoked or expires.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use async_graphql::{
    Data,
    futures_util::{SinkExt, StreamExt},
    http::ALL_WEBSOCKET_PROTOCOLS,
};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::{
    extract::{
        FromRequestParts, State, WebSocketUpgrade,
        ws::{CloseFrame, Message},
    },
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

use super::{Http, bearer, principal, request_error};
use crate::{auth::Principal, error::ApiError, metrics::Metrics, state::AppState};

pub(super) async fn graphql_ws(
    State(http): State<Http>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    let (mut parts, _body) = request.into_parts();
    let protocol = match GraphQLProtocol::from_request_parts(&mut parts, &()).await {
        Ok(p) => p,
        Err(status) => {
            return request_error(status, "BAD_REQUEST", "须使用 graphql-transport-ws 子协议");
        }
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(u) => u,
        Err(rejection) => return rejection.into_response(),
    };
    let from_header = match principal(&http.state, &headers).await {
        Ok(p) => p,
        Err(e) => return request_error(StatusCode::UNAUTHORIZED, e.code(), e.to_string()),
    };
    // The token the session presents (the upgrade's header, or connection_init's), checked
    // again before every operation and once per token-cache lifetime while it is open.
    let session_token = Arc::new(std::sync::Mutex::new(
        bearer(&headers).ok().flatten().map(str::to_owned),
    ));
    Metrics::inc(&http.state.metrics.ws_connections);
    let state = http.state.clone();
    let schema = http.schema.clone();
    let max_message = state.config.ws_max_message_bytes;
    let init_timeout = state.config.ws_init_timeout;
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(max_message)
        .max_frame_size(max_message)
        .on_upgrade(move |socket| async move {
            let mut data = Data::default();
            data.insert(from_header);
            // graphql-transport-ws: a connection_init whose token is unknown or revoked
            // is closed with 4403 Forbidden. async-graphql closes every refused init with
            // 1002, so the refusal is remembered here and the close frame rewritten.
            let refused = Arc::new(AtomicBool::new(false));
            let init_refused = refused.clone();
            // Whether connection_init arrived; without it within the time limit the
            // socket is closed with 4408.
            let initialised = Arc::new(AtomicBool::new(false));
            let init_seen = initialised.clone();
            let (mut socket_sink, stream) = socket.split();
            // Messages to the client go through a channel, so that the time limit can close
            // the socket while the GraphQL session owns the sending side.
            let (outgoing, mut to_client) = tokio::sync::mpsc::channel::<Message>(16);
            let closer = outgoing.clone();
            let revoked_closer = outgoing.clone();
            let watch_closer = outgoing.clone();
            let init_slot = session_token.clone();
            let watch_token = session_token.clone();
            let watch_state = state.clone();
            let check_state = state.clone();
            let forward = async move {
                while let Some(message) = to_client.recv().await {
                    let message = match message {
                        Message::Close(Some(frame))
                            if frame.code == CLOSE_PROTOCOL_ERROR
                                && refused.load(Ordering::Acquire) =>
                        {
                            Message::Close(Some(CloseFrame {
                                code: CLOSE_FORBIDDEN,
                                reason: frame.reason,
                            }))
                        }
                        other => other,
                    };
                    let closing = matches!(message, Message::Close(_));
                    if socket_sink.send(message).await.is_err() || closing {
                        break;
                    }
                }
                let _ = socket_sink.close().await;
            };
            let sink = async_graphql::futures_util::sink::unfold(
                outgoing,
                |outgoing, message: Message| async move {
                    outgoing
                        .send(message)
                        .await
                        .map_err(|_| axum::Error::new("WebSocket closed"))?;
                    Ok::<_, axum::Error>(outgoing)
                },
            );
            // Before an operation starts, the session's token must still be valid; a revoked
            // or expired one closes the socket with 4403 and the operation never runs.
            let stream = stream.then(move |message| {
                let state = check_state.clone();
                let token = session_token.clone();
                let closer = revoked_closer.clone();
                async move {
                    let starts_operation = matches!(
                        &message,
                        Ok(Message::Text(text)) if starts_operation(text)
                    );
                    if starts_operation && let Some(close) = revoked(&state, &token, false).await {
                        let _ = closer.send(close).await;
                        return Ok(Message::Close(None));
                    }
                    message
                }
            });
            let session = GraphQLWebSocket::new_with_pair(sink, stream, schema, protocol)
                .with_data(data)
                .on_connection_init(move |params| async move {
                    init_seen.store(true, Ordering::Release);
                    let mut data = Data::default();
                    if let Some(token) = init_token(&params) {
                        match state.tokens.authenticate(&state.store, &token).await {
                            Ok(actor) => {
                                data.insert(Principal(Some(actor)));
                                *init_slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(token);
                            }
                            Err(e) => {
                                if matches!(e, ApiError::Unauthenticated(_)) {
                                    init_refused.store(true, Ordering::Release);
                                }
                                return Err(async_graphql::Error::new(e.to_string()));
                            }
                        }
                    }
                    Ok(data)
                })
                .serve();
            let deadline = async move {
                tokio::time::sleep(init_timeout).await;
                if initialised.load(Ordering::Acquire) {
                    std::future::pending::<()>().await;
                }
                let _ = closer
                    .send(Message::Close(Some(CloseFrame {
                        code: CLOSE_INIT_TIMEOUT,
                        reason: "connection_init 超时（Connection initialisation timeout）".into(),
                    })))
                    .await;
            };
            // Open subscriptions keep sending without new operations: the token is read from
            // the store again once per token-cache lifetime.
            let watch = async move {
                let every = match watch_state.config.token_cache_ttl {
                    ttl if ttl.is_zero() => Duration::from_secs(1),
                    ttl => ttl.max(Duration::from_millis(100)),
                };
                loop {
                    tokio::time::sleep(every).await;
                    if let Some(close) = revoked(&watch_state, &watch_token, true).await {
                        let _ = watch_closer.send(close).await;
                        return;
                    }
                }
            };
            let session = async move {
                tokio::select! {
                    () = session => {}
                    () = deadline => {}
                    () = watch => {}
                }
            };
            tokio::join!(session, forward);
        })
}

/// Does this graphql-transport-ws message start an operation (`subscribe`)?
fn starts_operation(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .is_ok_and(|m| m.get("type").and_then(|t| t.as_str()) == Some("subscribe"))
}

/// The close frame for a session whose token is no longer valid (revoked, expired), if so.
/// `fresh` reads the token table whatever the cache holds. A session without a token (its
/// operations are refused one by one) and a store that cannot answer are left open.
async fn revoked(
    state: &AppState,
    token: &std::sync::Mutex<Option<String>>,
    fresh: bool,
) -> Option<Message> {
    let token = token.lock().unwrap_or_else(|p| p.into_inner()).clone()?;
    let checked = if fresh {
        state.tokens.recheck(&state.store, &token).await
    } else {
        state.tokens.authenticate(&state.store, &token).await
    };
    match checked {
        Err(ApiError::Unauthenticated(_)) => Some(Message::Close(Some(CloseFrame {
            code: CLOSE_FORBIDDEN,
            reason: "令牌已吊销或过期（Token revoked or expired）".into(),
        }))),
        _ => None,
    }
}

/// graphql-transport-ws close code for a socket that sent no `connection_init` in time.
const CLOSE_INIT_TIMEOUT: u16 = 4408;
/// graphql-transport-ws close code for a refused `connection_init` (Forbidden).
const CLOSE_FORBIDDEN: u16 = 4403;
/// The code async-graphql closes a refused `connection_init` with.
const CLOSE_PROTOCOL_ERROR: u16 = 1002;

/// The bearer token of a `connection_init` payload: `Authorization` (with or without
/// `Bearer `) or `token`.
fn init_token(params: &serde_json::Value) -> Option<String> {
    params
        .get("Authorization")
        .or_else(|| params.get("authorization"))
        .and_then(|v| v.as_str())
        .map(|v| {
            v.trim_start_matches("Bearer ")
                .trim_start_matches("bearer ")
                .to_owned()
        })
        .or_else(|| {
            params
                .get("token")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        })
}
