//! The HTTP surface: GraphiQL from embedded assets only, SDL, health, readiness, metrics, GraphQL-over-HTTP media types.

use dossier_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn graphiql_page_loads_nothing_from_outside() {
    let app = spawn_app().await;
    let resp = app.client.get(app.url("/graphql")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("GraphiQL"), "{html}");
    for line in html
        .lines()
        .filter(|l| l.contains("src=") || l.contains("href="))
    {
        assert!(
            line.contains("\"/graphql/assets/"),
            "page references something not embedded: {line}"
        );
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "page names an outside host"
    );
    for asset in [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
    ] {
        let resp = app
            .client
            .get(app.url(&format!("/graphql/assets/{asset}")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{asset}");
        assert!(
            resp.bytes().await.unwrap().len() > 5_000,
            "{asset} is not the real bundle"
        );
    }
    let missing = app
        .client
        .get(app.url("/graphql/assets/evil.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = spawn_app().await;
    assert_eq!(
        app.client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        app.client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.admin("{ me { role } }", json!({})).await.ok();
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for name in [
        "dossier_http_requests_total",
        "dossier_event_log_head",
        "dossier_projection_lag",
        "dossier_mutations_total",
    ] {
        assert!(text.contains(name), "metrics lack {name}: {text}");
    }
    assert!(text.contains("dossier_http_requests_total 1"), "{text}");
}

#[tokio::test]
async fn graphql_response_json_is_answered_in_kind() {
    let app = spawn_app().await;
    let resp = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json")
        .bearer_auth(&app.admin)
        .body(json!({"query": "{ me { role } }"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "application/graphql-response+json"
    );
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["data"]["me"]["role"], "ORG_ADMIN");

    // A request that cannot execute is a 400 under the new media type.
    let resp = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json")
        .body(json!({"query": "{ me { role "}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn queries_work_over_get_but_mutations_do_not() {
    let app = spawn_app().await;
    let resp = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "{ me { role } }")])
        .bearer_auth(&app.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["data"]["me"]["role"], "ORG_ADMIN");

    let before = app.head().await;
    let resp = app
        .client
        .get(app.url("/graphql"))
        .query(&[(
            "query",
            "mutation { revokeToken(hashPrefix: \"00000000\") }",
        )])
        .bearer_auth(&app.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "METHOD_NOT_ALLOWED"
    );
    assert_eq!(app.head().await, before);
}
