//! Answers kept for read-only queries of the read models: the same dashboards request at the same position is answered again without running it, never across a new event, another caller, or a query that records access; dashboards of a past date asked at once by several callers are folded once.

use dossier_domain::Role;
use dossier_tests::TestApp;
use serde_json::json;

use crate::flow::setup;

const DASHBOARDS: &str = "{ dashboards { position figures { dashboard metric key value } } }";

async fn kept(app: &TestApp) -> u64 {
    metric(app, "dossier_answers_kept_total").await
}

/// The value of an unlabelled metric in `/metrics`.
async fn metric(app: &TestApp, name: &str) -> u64 {
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
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {text}"))
}

#[tokio::test]
async fn dashboards_of_a_past_date_asked_by_two_callers_at_once_are_folded_once() {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    let analyst = app.token(Role::Analyst, None).await;
    // After the registration, before the appointment: the live models hold later facts, so
    // the log is folded.
    let q = "{ dashboards(asOf: \"2020-01-05\") { asOf figures { dashboard metric key value } } }";
    let before = metric(&app, "dossier_dated_folds_total").await;
    let (a, b) = tokio::join!(
        app.admin(q, json!({})),
        app.gql(Some(&analyst), q, json!({}))
    );
    a.ok();
    b.ok();
    assert_eq!(
        metric(&app, "dossier_dated_folds_total").await - before,
        1,
        "the second caller waited for the first fold and read its answer"
    );
    assert_eq!(metric(&app, "dossier_dated_folds_waiting").await, 0);
    assert_eq!(a.body["data"]["dashboards"], b.body["data"]["dashboards"]);
    let appointed = |r: &dossier_tests::Reply| {
        r.body["data"]["dashboards"]["figures"]
            .as_array()
            .expect("figures")
            .iter()
            .filter(|f| f["metric"] == "events_by_type" && f["key"] == "cadre.Appointed")
            .count()
    };
    assert_eq!(
        appointed(&a),
        0,
        "nobody was appointed by then: {:#}",
        a.body
    );
    let today = app
        .admin(
            "{ dashboards { figures { dashboard metric key value } } }",
            json!({}),
        )
        .await;
    assert_eq!(appointed(&today), 1, "appointed since: {:#}", today.body);
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
