//! Reads at a position: `X-Dossier-At-Least` waits for the read models (bounded), then a retryable `STALE`; `X-Dossier-Position` on every answer.

use std::time::{Duration, Instant};

use dossier_api::config::ApiConfig;
use dossier_tests::{TestApp, spawn_app_with};
use serde_json::{Value, json};

fn register(unit: &str) -> String {
    format!(
        "mutation {{ registerUnit(input: {{ unitId: \"{unit}\", name: \"单位{unit}\" }}) {{ position }} }}"
    )
}

/// POST `query` as the admin with `X-Dossier-At-Least: at_least`: status, body, `X-Dossier-Position`.
async fn read_at(app: &TestApp, query: &str, at_least: &str) -> (u16, Value, Option<u64>) {
    let resp = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&app.admin)
        .header("X-Dossier-At-Least", at_least)
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("request");
    let status = resp.status().as_u16();
    let position = resp
        .headers()
        .get("x-dossier-position")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (status, resp.json().await.unwrap_or(Value::Null), position)
}

async fn spawn(bound: Duration) -> TestApp {
    spawn_app_with(ApiConfig {
        at_least_timeout: bound,
        ..ApiConfig::default()
    })
    .await
}

#[tokio::test]
async fn a_read_at_a_reached_position_answers_at_once_and_says_where_it_read() {
    let app = spawn(Duration::from_secs(5)).await;
    let written = TestApp::expect_ok(app.admin(&register("fgw"), json!({})).await, "registerUnit");
    let position = written["position"].as_u64().expect("a position");
    let started = Instant::now();
    let (status, body, read_at) =
        read_at(&app, "{ units { unitId } }", &position.to_string()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["units"][0]["unitId"], json!("fgw"), "{body}");
    assert_eq!(read_at, Some(position));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_read_waits_for_a_position_still_to_come_and_answers_when_it_arrives() {
    let app = spawn(Duration::from_secs(10)).await;
    let head = app.head().await;
    let next = (head + 1).to_string();
    let waiting = read_at(&app, "{ units { unitId } }", &next);
    let writing = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        app.admin(&register("jw"), json!({})).await
    };
    let ((status, body, read_at), written) = tokio::join!(waiting, writing);
    TestApp::expect_ok(written, "registerUnit");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["units"][0]["unitId"], json!("jw"), "{body}");
    assert!(read_at.is_some_and(|p| p > head), "{read_at:?}");
}

#[tokio::test]
async fn a_position_not_reached_within_the_bound_is_a_retryable_stale_that_ran_nothing() {
    let app = spawn(Duration::from_millis(300)).await;
    TestApp::expect_ok(app.admin(&register("fgw"), json!({})).await, "registerUnit");
    let head = app.head().await;
    let started = Instant::now();
    let (status, body, _) = read_at(&app, &register("never"), "1000").await;
    let waited = started.elapsed();
    assert_eq!(status, 503, "{body}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], json!("STALE"), "{body}");
    assert_eq!(error["extensions"]["retryable"], json!(true));
    assert_eq!(error["extensions"]["atLeast"], json!(1000));
    assert_eq!(error["extensions"]["reached"], json!(head));
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains("1000"), "{message}");
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    assert_eq!(app.head().await, head, "the mutation did not run");
}

#[tokio::test]
async fn a_position_that_is_not_a_number_is_refused_and_a_caller_without_a_token_never_waits() {
    let app = spawn(Duration::from_secs(10)).await;
    let (status, body, _) = read_at(&app, "{ units { unitId } }", "soon").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("BAD_REQUEST")
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("X-Dossier-At-Least"),
        "{body}"
    );

    let started = Instant::now();
    let resp = app
        .client
        .post(app.url("/graphql"))
        .header("X-Dossier-At-Least", "1000")
        .json(&json!({ "query": "{ units { unitId } }" }))
        .send()
        .await
        .expect("request");
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("UNAUTHENTICATED"),
        "{body}"
    );
}
