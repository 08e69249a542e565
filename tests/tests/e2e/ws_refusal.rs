//! graphql-transport-ws refusals: a `connection_init` with an unknown or revoked token is closed with 4403 (Forbidden), a valid one is acknowledged.

use dossier_domain::Role;
use dossier_tests::{TestApp, spawn_app};
use futures::{SinkExt, StreamExt};
use serde_json::json;
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

/// How a connection ended after `connection_init`.
#[derive(Debug, PartialEq)]
enum Outcome {
    Acknowledged,
    Closed(u16),
    Dropped,
}

/// Open a graphql-transport-ws connection, send `connection_init` with this token, and report the answer.
async fn init_with(app: &TestApp, token: &str) -> Outcome {
    let mut request = app.ws_url().into_client_request().unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    ws.send(Message::text(
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}})
            .to_string(),
    ))
    .await
    .unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(msg) = ws.next().await {
            match msg {
                Ok(Message::Close(frame)) => {
                    return frame.map_or(Outcome::Dropped, |f| Outcome::Closed(u16::from(f.code)));
                }
                Ok(Message::Text(t)) if t.contains("connection_ack") => {
                    return Outcome::Acknowledged;
                }
                Ok(_) => {}
                Err(_) => return Outcome::Dropped,
            }
        }
        Outcome::Dropped
    })
    .await
    .expect("the server answers connection_init")
}

#[tokio::test]
async fn a_websocket_init_with_an_unknown_token_is_closed_with_4403() {
    let app = spawn_app().await;
    let fake = format!("dos_{}", "cd".repeat(32));
    assert_eq!(init_with(&app, &fake).await, Outcome::Closed(4403));
}

#[tokio::test]
async fn a_websocket_init_with_a_revoked_token_is_closed_with_4403() {
    let app = spawn_app().await;
    let token = app.token(Role::Auditor, None).await;
    assert_eq!(init_with(&app, &token).await, Outcome::Acknowledged);
    let hash = dossier_api::tokens::hash(&token);
    assert!(
        dossier_api::tokens::revoke(&app.store, &hash[..16])
            .await
            .unwrap()
    );
    assert_eq!(init_with(&app, &token).await, Outcome::Closed(4403));
}
