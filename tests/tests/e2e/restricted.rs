//! Restricted streams (supervision, leads, bulletins, accountability) are absent from the timeline, the event log and the event subscription for every role that may not read them; reads by those who may are recorded with the ids read; a revoked token ends an open WebSocket session.

use std::time::Duration;

use dossier_domain::Role;
use dossier_tests::{TestApp, spawn_app_with};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream,
    tungstenite::{Message, client::IntoClientRequest},
};

use crate::flow::setup;

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// A district with one cadre, one supervision entry and one lead about them.
async fn world() -> TestApp {
    let config = dossier_api::ApiConfig {
        token_cache_ttl: Duration::from_millis(300),
        ..Default::default()
    };
    let app = spawn_app_with(config).await;
    setup(&app).await;
    for (field, mutation) in [
        (
            "recordSupervision",
            "mutation { recordSupervision(input: {entryId: \"s1\", cadreId: \"c001\", source: ORG_SECTION, sourceName: \"干部监督科\", channel: MEETING, kind: DAILY_CONDUCT, tone: NEUTRAL, content: \"列席民主生活会\", observedOn: \"2025-03-01\"}, meta: {effective: \"2025-03-01\"}) { streamVersion } }",
        ),
        (
            "transferLead",
            "mutation { transferLead(input: {leadId: \"l1\", cadreId: \"c001\", agency: POLICE, category: JUDICIAL, summary: \"交通违法记录\"}, meta: {effective: \"2025-04-01\"}) { streamVersion } }",
        ),
    ] {
        TestApp::expect_ok(app.admin(mutation, json!({})).await, field);
    }
    app
}

fn restricted(stream_id: &str) -> bool {
    ["supervision-", "lead-", "bulletin-", "accountability-"]
        .iter()
        .any(|p| stream_id.starts_with(p))
}

/// The stream ids of a list of events in a reply.
fn streams(reply: &Value) -> Vec<String> {
    reply
        .as_array()
        .unwrap_or_else(|| panic!("a list of events: {reply:#}"))
        .iter()
        .map(|e| e["streamId"].as_str().unwrap().to_owned())
        .collect()
}

/// The roles that read every record, with whether they may read supervision.
async fn readers(app: &TestApp) -> Vec<(&'static str, String, bool)> {
    vec![
        ("org_admin", app.admin.clone(), true),
        (
            "discipline",
            app.token(Role::DisciplineInspector, None).await,
            true,
        ),
        ("auditor", app.token(Role::Auditor, None).await, false),
    ]
}

#[tokio::test]
async fn restricted_streams_are_absent_from_the_timeline_and_the_log_for_roles_that_may_not_read_them()
 {
    let app = world().await;
    for (name, token, supervises) in readers(&app).await {
        let timeline = app
            .gql(
                Some(&token),
                "{ cadreTimeline(cadreId: \"c001\") { streamId type } }",
                json!({}),
            )
            .await;
        timeline.ok();
        let seen = streams(timeline.data("cadreTimeline"));
        assert!(seen.iter().any(|s| s == "cadre-c001"), "{name}: {seen:?}");
        assert_eq!(
            seen.iter().any(|s| restricted(s)),
            supervises,
            "{name}'s timeline: {seen:?}"
        );

        for prefix in [None, Some("lead-"), Some("supervision-")] {
            let reply = app
                .gql(
                    Some(&token),
                    "query($p: String) { eventLog(streamPrefix: $p, first: 500) { events { streamId type } } }",
                    json!({ "p": prefix }),
                )
                .await;
            reply.ok();
            let seen = streams(reply.data("eventLog.events"));
            assert_eq!(
                seen.iter().any(|s| restricted(s)),
                supervises,
                "{name}'s event log with prefix {prefix:?}: {seen:?}"
            );
        }
    }
    // The cadre's own timeline never shows them either.
    let cadre = app.token(Role::Cadre, Some("c001")).await;
    let reply = app
        .gql(
            Some(&cadre),
            "{ cadreTimeline(cadreId: \"c001\") { streamId } }",
            json!({}),
        )
        .await;
    reply.ok();
    assert!(
        !streams(reply.data("cadreTimeline"))
            .iter()
            .any(|s| restricted(s))
    );
}

/// Open a graphql-transport-ws session with this token, acknowledged.
async fn open(app: &TestApp, token: &str) -> Socket {
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
    match next(&mut ws).await {
        Received::Message(m) if m["type"] == "connection_ack" => ws,
        other => panic!("expected connection_ack, got {other:?}"),
    }
}

#[derive(Debug)]
enum Received {
    Message(Value),
    Closed(Option<u16>),
    Silent,
}

/// The next text message or close within two seconds.
async fn next(ws: &mut Socket) -> Received {
    let wait = tokio::time::timeout(Duration::from_secs(2), async {
        while let Some(msg) = ws.next().await {
            match msg {
                Ok(Message::Text(t)) => {
                    return Received::Message(serde_json::from_str(&t).unwrap());
                }
                Ok(Message::Close(frame)) => {
                    return Received::Closed(frame.map(|f| u16::from(f.code)));
                }
                Ok(_) => {}
                Err(_) => return Received::Closed(None),
            }
        }
        Received::Closed(None)
    });
    wait.await.unwrap_or(Received::Silent)
}

async fn subscribe_events(ws: &mut Socket, id: &str) {
    ws.send(Message::text(
        json!({"id": id, "type": "subscribe", "payload": {"query": "subscription { events(after: 0) { streamId type } }"}})
            .to_string(),
    ))
    .await
    .unwrap();
}

/// Every event streamed until the subscription goes quiet.
async fn drain(ws: &mut Socket) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        match next(ws).await {
            Received::Message(m) if m["type"] == "next" => {
                assert!(m["payload"].get("errors").is_none(), "{m:#}");
                seen.push(
                    m["payload"]["data"]["events"]["streamId"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                );
            }
            Received::Silent => return seen,
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn the_event_subscription_skips_restricted_streams_for_roles_that_may_not_read_them() {
    let app = world().await;
    for (name, token, supervises) in readers(&app).await {
        let mut ws = open(&app, &token).await;
        subscribe_events(&mut ws, "1").await;
        let seen = drain(&mut ws).await;
        assert!(seen.iter().any(|s| s == "cadre-c001"), "{name}: {seen:?}");
        assert_eq!(
            seen.iter().any(|s| restricted(s)),
            supervises,
            "{name}'s subscription: {seen:?}"
        );
    }
}

#[tokio::test]
async fn a_token_revoked_while_a_subscription_is_open_closes_the_session_with_4403() {
    let app = world().await;
    let token = app.token(Role::Auditor, None).await;
    let mut ws = open(&app, &token).await;
    subscribe_events(&mut ws, "1").await;
    assert!(!drain(&mut ws).await.is_empty());
    let hash = dossier_api::tokens::hash(&token);
    assert!(
        dossier_api::tokens::revoke(&app.store, &hash[..16])
            .await
            .unwrap()
    );
    // The session ends within the token cache's lifetime (300 ms here), before any new event.
    let ended = tokio::time::timeout(Duration::from_secs(3), async {
        loop {
            match next(&mut ws).await {
                Received::Closed(code) => return code,
                Received::Silent => {}
                Received::Message(m) => panic!("a revoked session still receives {m:#}"),
            }
        }
    })
    .await
    .expect("the session is closed after revocation");
    assert_eq!(ended, Some(4403));
}

#[tokio::test]
async fn an_operation_started_with_a_revoked_token_never_runs() {
    let app = world().await;
    let token = app.token(Role::Auditor, None).await;
    let mut ws = open(&app, &token).await;
    let hash = dossier_api::tokens::hash(&token);
    dossier_api::tokens::revoke(&app.store, &hash[..16])
        .await
        .unwrap();
    subscribe_events(&mut ws, "1").await;
    match next(&mut ws).await {
        Received::Closed(code) => assert_eq!(code, Some(4403)),
        other => panic!("expected the session closed, got {other:?}"),
    }
}

#[tokio::test]
async fn reads_of_leads_and_accountability_are_recorded_with_the_ids_read() {
    let app = world().await;
    let inspector = app.token(Role::DisciplineInspector, None).await;
    app.gql(
        Some(&inspector),
        "{ leads { nodes { leadId } } }",
        json!({}),
    )
    .await
    .ok();
    app.gql(
        Some(&inspector),
        "{ cadre(id: \"c001\") { accountability } }",
        json!({}),
    )
    .await
    .ok();
    let log = app
        .store
        .read_stream("access-log", Default::default())
        .await
        .unwrap();
    let reads: Vec<Value> = log
        .iter()
        .map(|e| serde_json::from_str(&e.payload).unwrap())
        .collect();
    let of = |what: &str| {
        reads
            .iter()
            .find(|r| r["what"] == what)
            .unwrap_or_else(|| panic!("no access recorded for {what}: {reads:#?}"))
            .clone()
    };
    assert_eq!(of("leads")["ids"], json!(["lead-l1"]));
    assert_eq!(of("cadre.accountability")["ids"], json!(["c001"]));
    assert!(
        log.iter()
            .all(|e| e.metadata.role == "discipline_inspector")
    );
}
