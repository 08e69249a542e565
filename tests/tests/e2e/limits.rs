//! Connection limits: slow request headers and bodies are cut off, a WebSocket without `connection_init` is closed with 4408, oversized WebSocket messages end the session, and no more than the configured number of connections are served at once.

use std::time::{Duration, Instant};

use dossier_api::ApiConfig;
use dossier_tests::{TestApp, spawn_app_with};
use futures::{SinkExt, StreamExt};
use serde_json::json;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

/// Read from `stream` until the server closes it (or `limit` passes); what was read.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .ok()?;
    Some(String::from_utf8_lossy(&received).into_owned())
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let app = spawn_app_with(ApiConfig {
        header_read_timeout: Duration::from_millis(300),
        ..ApiConfig::default()
    })
    .await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream
        .write_all(b"POST /graphql HTTP/1.1\r\nHost: dossier\r\nContent-Type: appl")
        .await
        .unwrap();
    let started = Instant::now();
    let closed = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(closed.is_some(), "the connection is still open after 10 s");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_client_that_never_finishes_its_body_gets_408() {
    let app = spawn_app_with(ApiConfig {
        body_read_timeout: Duration::from_millis(300),
        ..ApiConfig::default()
    })
    .await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: dossier\r\nContent-Type: application/json\r\nAuthorization: Bearer {}\r\nContent-Length: 1000\r\n\r\n{{\"query\":",
        app.admin
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
        .await
        .expect("an answer within 5 s")
        .unwrap();
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("REQUEST_TIMEOUT"), "{answer}");
}

async fn ws(
    app: &TestApp,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>> {
    let mut request = app.ws_url().into_client_request().unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    tokio_tungstenite::connect_async(request).await.unwrap().0
}

#[tokio::test]
async fn a_websocket_without_connection_init_is_closed_with_4408() {
    let app = spawn_app_with(ApiConfig {
        ws_init_timeout: Duration::from_millis(300),
        ..ApiConfig::default()
    })
    .await;
    let mut socket = ws(&app).await;
    let code = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(message) = socket.next().await {
            if let Ok(Message::Close(frame)) = message {
                return frame.map(|f| u16::from(f.code));
            }
        }
        None
    })
    .await
    .expect("closed within 5 s");
    assert_eq!(code, Some(4408));
    // A socket that does send connection_init in time stays open past the limit.
    let mut socket = ws(&app).await;
    socket
        .send(Message::text(
            json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {}", app.admin)}})
                .to_string(),
        ))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    socket
        .send(Message::text(json!({"type": "ping"}).to_string()))
        .await
        .unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(Ok(message)) = socket.next().await {
            if let Message::Text(t) = message
                && t.contains("pong")
            {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(answer, "the initialised socket was closed");
}

#[tokio::test]
async fn an_oversized_websocket_message_ends_the_session() {
    let app = spawn_app_with(ApiConfig {
        ws_max_message_bytes: 1024,
        ..ApiConfig::default()
    })
    .await;
    let mut socket = ws(&app).await;
    socket
        .send(Message::text(
            json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {}", app.admin)}})
                .to_string(),
        ))
        .await
        .unwrap();
    let padding = "x".repeat(8 * 1024);
    let _ = socket
        .send(Message::text(
            json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { events(after: 0) { position } }", "variables": {"p": padding}}})
                .to_string(),
        ))
        .await;
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match socket.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return true,
                Some(Ok(_)) => {}
            }
        }
    })
    .await
    .unwrap_or(false);
    assert!(ended, "the session went on after an oversized message");
}

#[tokio::test]
async fn no_more_than_the_configured_connections_are_served_at_once() {
    let app = spawn_app_with(ApiConfig {
        max_connections: 2,
        ..ApiConfig::default()
    })
    .await;
    let health = |timeout: Duration| {
        let client = reqwest::Client::builder().timeout(timeout).build().unwrap();
        let url = app.url("/healthz");
        async move { client.get(url).send().await.map(|r| r.status().as_u16()) }
    };
    let first = TcpStream::connect(app.addr).await.unwrap();
    let second = TcpStream::connect(app.addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        health(Duration::from_millis(500)).await.is_err(),
        "a third connection was served while two were open"
    );
    drop(first);
    assert_eq!(health(Duration::from_secs(5)).await.ok(), Some(200));
    drop(second);
}
