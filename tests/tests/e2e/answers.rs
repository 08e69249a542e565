//! Answers kept for read-only queries of the read models: the same dashboards request at the same position is answered again without running it, never across a new event, another caller, or a query that records access.

use dossier_domain::Role;
use dossier_tests::TestApp;
use serde_json::json;

use crate::flow::setup;

const DASHBOARDS: &str = "{ dashboards { position figures { dashboard metric key value } } }";

async fn kept(app: &TestApp) -> u64 {
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("dossier_answers_kept_total "))
        .and_then(|n| n.trim().parse().ok())
        .expect("the metric")
}

#[tokio::test]
async fn the_same_dashboards_request_is_answered_again_until_an_event_is_applied() {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    let analyst = app.token(Role::Analyst, None).await;
    let first = app.gql(Some(&analyst), DASHBOARDS, json!({})).await;
    first.ok();
    let again = app.gql(Some(&analyst), DASHBOARDS, json!({})).await;
    assert_eq!(again.body, first.body);
    assert_eq!(kept(&app).await, 1, "the second answer was the kept one");

    // Another caller runs it afresh (what a role may read differs).
    let admin = app.admin(DASHBOARDS, json!({})).await;
    admin.ok();
    assert_eq!(kept(&app).await, 1);

    // A new event: the next answer is read at the new position, with the new figure.
    let units = |r: &dossier_tests::Reply| r.body["data"]["dashboards"]["position"].as_u64();
    app.admin(
        "mutation { registerUnit(input: {unitId: \"new\", name: \"新单位\"}, meta: {effective: \"2024-01-01\"}) { position } }",
        json!({}),
    )
    .await
    .ok();
    let after = app.gql(Some(&analyst), DASHBOARDS, json!({})).await;
    after.ok();
    assert!(units(&after) > units(&first), "{:#}", after.body);
    assert_eq!(kept(&app).await, 1, "not answered from the kept one");
}

#[tokio::test]
async fn queries_that_read_records_or_record_access_are_always_run() {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    // Reading leads records an access event each time: both reads are recorded.
    let q = "{ leads(first: 5) { totalCount } }";
    let before = app.head().await;
    app.admin(q, json!({})).await.ok();
    app.admin(q, json!({})).await.ok();
    assert_eq!(app.head().await, before + 2, "each read recorded");
    // A profile is read afresh too.
    let p = "{ cadre(id: \"c001\") { name } }";
    app.admin(p, json!({})).await.ok();
    app.admin(p, json!({})).await.ok();
    assert_eq!(kept(&app).await, 0);
}
