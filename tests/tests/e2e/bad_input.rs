//! Bad input gets a clear error with its code and leaves the log unchanged.

use dossier_tests::{TestApp, spawn_app};
use serde_json::json;

/// Run `f`, then assert the log head did not move.
async fn unchanged<F: Future<Output = dossier_tests::Reply>>(
    app: &TestApp,
    f: F,
) -> dossier_tests::Reply {
    let before = app.head().await;
    let reply = f.await;
    assert_eq!(
        app.head().await,
        before,
        "the log changed: {:#}",
        reply.body
    );
    reply
}

#[tokio::test]
async fn malformed_json_is_a_bad_request() {
    let app = spawn_app().await;
    let reply = unchanged(
        &app,
        app.post_raw(Some(&app.admin), "application/json", "{\"query\": ".into()),
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.codes(), ["BAD_REQUEST"]);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused() {
    let app = spawn_app().await;
    let reply = unchanged(
        &app,
        app.post_raw(Some(&app.admin), "text/plain", "{ me { id } }".into()),
    )
    .await;
    assert_eq!(reply.status, 415);
    assert_eq!(reply.codes(), ["BAD_REQUEST"]);
}

#[tokio::test]
async fn a_syntax_error_names_its_place() {
    let app = spawn_app().await;
    let reply = unchanged(&app, app.admin("{ me { id ", json!({}))).await;
    assert_eq!(reply.codes(), ["GRAPHQL_VALIDATION_FAILED"]);
    assert!(
        reply.first_error()["locations"].is_array(),
        "{:#}",
        reply.body
    );
}

#[tokio::test]
async fn an_argument_of_the_wrong_type_is_refused() {
    let app = spawn_app().await;
    let reply = unchanged(
        &app,
        app.admin("{ eventLog(first: \"many\") { head } }", json!({})),
    )
    .await;
    assert_eq!(reply.codes(), ["GRAPHQL_VALIDATION_FAILED"]);
    let reply = unchanged(
        &app,
        app.admin(
            "query($d: Date) { auditTrail(streamId: \"x\", asOf: $d) { position } }",
            json!({"d": "2025-13-45"}),
        ),
    )
    .await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
    assert!(
        reply.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("YYYY-MM-DD"),
        "{:#}",
        reply.body
    );
}

#[tokio::test]
async fn an_out_of_range_page_size_is_refused() {
    let app = spawn_app().await;
    let reply = unchanged(
        &app,
        app.admin("{ eventLog(first: 100000) { head } }", json!({})),
    )
    .await;
    assert_eq!(reply.codes().len(), 1, "{:#}", reply.body);
}

#[tokio::test]
async fn unknown_fields_get_no_suggestions() {
    let app = spawn_app().await;
    let reply = unchanged(&app, app.admin("{ mee { id } }", json!({}))).await;
    assert_eq!(reply.codes(), ["GRAPHQL_VALIDATION_FAILED"]);
    assert!(
        !reply.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("Did you mean"),
        "{:#}",
        reply.body
    );
}

#[tokio::test]
async fn an_over_deep_query_is_refused() {
    let app = spawn_app().await;
    let q = "{ me { id } __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }";
    let reply = unchanged(&app, app.admin(q, json!({}))).await;
    assert_eq!(reply.codes(), ["QUERY_TOO_DEEP"], "{:#}", reply.body);
}

#[tokio::test]
async fn an_over_complex_query_is_refused() {
    let app = spawn_app().await;
    let q = format!("{{ {} }}", "me { id role } ".repeat(1_000));
    let reply = unchanged(&app, app.admin(&q, json!({}))).await;
    assert_eq!(reply.codes(), ["QUERY_TOO_COMPLEX"], "{:#}", reply.body);
}

#[tokio::test]
async fn too_many_aliases_are_refused() {
    let app = spawn_app().await;
    let q = format!(
        "{{ {} }}",
        (0..40)
            .map(|i| format!("a{i}: me {{ id }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let reply = unchanged(&app, app.admin(&q, json!({}))).await;
    assert_eq!(
        reply.codes(),
        ["QUERY_TOO_MANY_ALIASES"],
        "{:#}",
        reply.body
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let app = spawn_app().await;
    let padding = "x".repeat(300 * 1024);
    let body = json!({ "query": "{ me { id } }", "variables": { "padding": padding } });
    let reply = unchanged(&app, app.post_json(Some(&app.admin), &body)).await;
    assert_eq!(reply.status, 413, "{:#}", reply.body);
    assert_eq!(reply.codes(), ["PAYLOAD_TOO_LARGE"], "{:#}", reply.body);
}

#[tokio::test]
async fn an_oversized_batch_is_refused() {
    let app = spawn_app().await;
    let batch: Vec<_> = (0..11)
        .map(|_| json!({ "query": "{ me { id } }" }))
        .collect();
    let reply = unchanged(&app, app.post_json(Some(&app.admin), &json!(batch))).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.codes(), ["BATCH_TOO_LARGE"]);
    // A batch within the limit runs every operation.
    let batch: Vec<_> = (0..3)
        .map(|_| json!({ "query": "{ me { role } }" }))
        .collect();
    let reply = app.post_json(Some(&app.admin), &json!(batch)).await;
    assert_eq!(
        reply.body.as_array().map(Vec::len),
        Some(3),
        "{:#}",
        reply.body
    );
}

#[tokio::test]
async fn an_unknown_token_is_unauthenticated() {
    let app = spawn_app().await;
    let fake = format!("dos_{}", "ab".repeat(32));
    let reply = unchanged(&app, app.gql(Some(&fake), "{ me { id } }", json!({}))).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.codes(), ["UNAUTHENTICATED"]);
}

#[tokio::test]
async fn no_token_is_unauthenticated_for_anything_personal() {
    let app = spawn_app().await;
    let reply = unchanged(&app, app.gql(None, "{ me { id } }", json!({}))).await;
    assert_eq!(reply.codes(), ["UNAUTHENTICATED"]);
    let reply = unchanged(&app, app.gql(None, "{ eventLog { head } }", json!({}))).await;
    assert_eq!(reply.codes(), ["UNAUTHENTICATED"]);
}
