//! GraphQL conventions clients rely on: the standard introspection query under the limits, ASCII default headers in GraphiQL, request errors without `data`, codes for a missing query and the parser's nesting limit, no query text echoed back, limit messages in Chinese.

use dossier_api::ApiConfig;
use dossier_tests::{spawn_app, spawn_app_with};
use serde_json::json;

const INTROSPECTION: &str = include_str!("../../fixtures/introspection.graphql");

#[tokio::test]
async fn the_standard_introspection_query_works_with_the_limits_on() {
    let app = spawn_app().await;
    for token in [Some(app.admin.as_str()), None] {
        let reply = app
            .post_json(
                token,
                &json!({ "query": INTROSPECTION, "operationName": "IntrospectionQuery" }),
            )
            .await;
        reply.ok();
        let types = reply.data("__schema.types").as_array().expect("types");
        assert!(
            types.iter().any(|t| t["name"] == "CadreProfile"),
            "{:#}",
            reply.body
        );
        assert_eq!(reply.data("__schema.queryType.name"), "QueryRoot");
    }
    // The introspection limits still hold: an introspection document nested deeper than
    // any client sends is refused.
    let deep = format!(
        "{{ __type(name: \"String\") {} name {} }}",
        "{ ofType ".repeat(22),
        "}".repeat(22)
    );
    let reply = app.admin(&deep, json!({})).await;
    assert_eq!(reply.codes(), ["QUERY_TOO_DEEP"], "{:#}", reply.body);
    // A document mixing introspection and data is held to the data limits.
    let mixed = format!("{{ me {{ id }} {} }}", INTROSPECTION_BODY);
    let reply = app.admin(&mixed, json!({})).await;
    assert_eq!(reply.codes(), ["QUERY_TOO_DEEP"], "{:#}", reply.body);
}

/// The standard query's selection, inline, to mix with a data field.
const INTROSPECTION_BODY: &str = "__schema { types { fields { args { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }";

#[tokio::test]
async fn introspection_can_be_switched_off() {
    let app = spawn_app_with(ApiConfig {
        introspection: false,
        ..ApiConfig::default()
    })
    .await;
    let reply = app
        .post_json(Some(&app.admin), &json!({ "query": INTROSPECTION }))
        .await;
    assert!(!reply.codes().is_empty(), "{:#}", reply.body);
    assert!(
        reply.body["data"]["__schema"]["types"].is_null(),
        "{:#}",
        reply.body
    );
}

#[tokio::test]
async fn graphiqls_default_headers_hold_only_ascii() {
    let app = spawn_app().await;
    let html = app
        .client
        .get(app.url("/graphql"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let headers = html
        .lines()
        .find(|l| l.contains("defaultHeaders"))
        .expect("GraphiQL sets default headers");
    assert!(headers.is_ascii(), "{headers}");
}

#[tokio::test]
async fn parse_and_validation_failures_carry_no_data_key() {
    let app = spawn_app().await;
    for query in [
        "{ me { id ",
        "{ noSuchField }",
        "{ me { id } } { me { id } }",
    ] {
        let reply = app.admin(query, json!({})).await;
        assert!(!reply.codes().is_empty(), "{query}: {:#}", reply.body);
        assert!(
            reply.body.get("data").is_none(),
            "{query}: {:#}",
            reply.body
        );
    }
    // An error raised while executing keeps `data`.
    let reply = app
        .admin("{ cadre(id: \"nobody\") { name } }", json!({}))
        .await;
    assert!(reply.body.get("data").is_some(), "{:#}", reply.body);
}

#[tokio::test]
async fn a_body_without_a_query_is_a_bad_request() {
    let app = spawn_app().await;
    for body in [
        json!({}),
        json!({ "variables": {} }),
        json!({ "query": "  " }),
    ] {
        let reply = app.post_json(Some(&app.admin), &body).await;
        assert_eq!(reply.status, 400, "{body}: {:#}", reply.body);
        assert_eq!(reply.codes(), ["BAD_REQUEST"], "{body}: {:#}", reply.body);
    }
}

#[tokio::test]
async fn the_parsers_nesting_limit_is_query_too_deep() {
    let app = spawn_app().await;
    let query = format!("{}{}", "{ me ".repeat(80), "}".repeat(80));
    let reply = app.admin(&query, json!({})).await;
    assert_eq!(reply.codes(), ["QUERY_TOO_DEEP"], "{:#}", reply.body);
}

#[tokio::test]
async fn an_error_never_echoes_the_query_back() {
    let app = spawn_app().await;
    let query =
        "{ me { id role } cadres(first: 5) { edges { node { cadreId } } } unterminatedMarker";
    let reply = app.admin(query, json!({})).await;
    let text = reply.body.to_string();
    assert!(!text.contains("unterminatedMarker"), "{text}");
    assert!(!text.contains("cadreId"), "{text}");
}

#[tokio::test]
async fn limit_refusals_are_in_chinese_and_name_the_limit() {
    let app = spawn_app().await;
    let deep = "{ cadres { edges { node { posts { unitId } } } } }";
    let shallow = spawn_app_with(ApiConfig {
        max_depth: 3,
        max_complexity: 5,
        ..ApiConfig::default()
    })
    .await;
    let reply = shallow.admin(deep, json!({})).await;
    assert_eq!(reply.codes(), ["QUERY_TOO_DEEP"], "{:#}", reply.body);
    let message = reply.first_error()["message"].as_str().unwrap();
    assert!(message.contains("上限 3"), "{message}");
    let wide = format!("{{ {} }}", "me { id role } ".repeat(1_000));
    let reply = app.admin(&wide, json!({})).await;
    assert_eq!(reply.codes(), ["QUERY_TOO_COMPLEX"], "{:#}", reply.body);
    let message = reply.first_error()["message"].as_str().unwrap();
    assert!(message.contains("上限 2000"), "{message}");
}
