//! 不称职 consequences through GraphQL: the rank lowering waits on the profile, in the alerts and on the down dashboard until a decision with its 文号 carries it out; the down review's clock runs from the grade; two 不称职 years open a dismissal case that is decided (ending every post) and closed, counted on the down dashboard as it stands on each date.

use dossier_tests::TestApp;
use serde_json::{Value, json};

use crate::flow::{cmd, setup};

async fn grade(app: &TestApp, year: i32, on: &str) {
    cmd(
        app,
        &app.admin,
        "recordGrade",
        "RecordGradeInput!",
        json!({"input": {"cadreId": "c001", "unitId": "fgw", "year": year, "grade": "INCOMPETENT"},
               "meta": {"effective": on, "basis": format!("姜考〔{}〕1号", year + 1)}}),
    )
    .await;
}

async fn profile(app: &TestApp) -> Value {
    let reply = app
        .admin(
            "{ cadre(id: \"c001\") { rank posts { postId } pendingRankLowering { year from to raisedOn }
               dismissalCase { caseId reason dismissed decidedOn documentNumber closedOn }
               downReviews { year raisedOn dueOn reviewId } } }",
            json!({}),
        )
        .await;
    reply.ok();
    reply.body["data"]["cadre"].clone()
}

async fn alert_kinds(app: &TestApp, on: &str) -> Vec<String> {
    let reply = app
        .admin(
            "query($d: Date) { alerts(asOf: $d) { kind cadreId } }",
            json!({"d": on}),
        )
        .await;
    reply.ok();
    reply.body["data"]["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["cadreId"] == "c001")
        .map(|a| a["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// A figure of the down dashboard on `on` (0 when absent).
async fn down_figure(app: &TestApp, on: &str, metric: &str, key: &str) -> f64 {
    let reply = app
        .admin(
            "query($d: Date) { dashboards(asOf: $d) { figures { dashboard metric key value } } }",
            json!({"d": on}),
        )
        .await;
    reply.ok();
    reply.body["data"]["dashboards"]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["dashboard"] == "down" && f["metric"] == metric && f["key"] == key)
        .map_or(0.0, |f| f["value"].as_f64().unwrap())
}

#[tokio::test]
async fn an_incompetent_grade_leaves_the_rank_lowering_pending_until_a_decision_carries_it_out() {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    grade(&app, 2023, "2024-01-20").await;
    let p = profile(&app).await;
    assert_eq!(
        p["rank"], "PRINCIPAL_CLERK_1",
        "not lowered by the grade: {p:#}"
    );
    assert_eq!(
        p["pendingRankLowering"],
        json!({"year": 2023, "from": "PRINCIPAL_CLERK_1", "to": "PRINCIPAL_CLERK_2", "raisedOn": "2024-01-20"}),
        "{p:#}"
    );
    assert!(
        alert_kinds(&app, "2024-02-01")
            .await
            .contains(&"RANK_LOWERING_PENDING".to_owned())
    );
    assert_eq!(
        down_figure(&app, "2024-02-01", "rank_lowerings_pending", "").await,
        1.0
    );

    // Without the decision's 文号 it is refused, and nothing is written.
    let before = app.head().await;
    let reply = app
        .admin(
            "mutation { lowerRank(cadreId: \"c001\", reason: \"\", meta: {effective: \"2024-03-01\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
    assert!(
        reply.body.to_string().contains("DOCUMENT_NUMBER_REQUIRED"),
        "{:#}",
        reply.body
    );
    assert_eq!(app.head().await, before);

    let reply = app
        .admin(
            "mutation { lowerRank(cadreId: \"c001\", reason: \"\", documentNumber: \"姜组〔2024〕5号\", meta: {effective: \"2024-03-01\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    reply.ok();
    let p = profile(&app).await;
    assert_eq!(p["rank"], "PRINCIPAL_CLERK_2", "{p:#}");
    assert!(p["pendingRankLowering"].is_null(), "{p:#}");
    assert!(
        !alert_kinds(&app, "2024-03-02")
            .await
            .contains(&"RANK_LOWERING_PENDING".to_owned())
    );
    assert_eq!(
        down_figure(&app, "2024-03-02", "rank_lowerings_pending", "").await,
        0.0
    );
    assert_eq!(
        down_figure(&app, "2024-03-02", "rank_lowerings_done", "").await,
        1.0
    );
    // As of the day before the decision, it was still pending.
    assert_eq!(
        down_figure(&app, "2024-02-29", "rank_lowerings_pending", "").await,
        1.0
    );
}

#[tokio::test]
async fn the_down_review_is_due_from_the_grade_however_late_it_is_opened() {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    grade(&app, 2023, "2024-01-20").await;
    // Before it is opened, the review the grade requires is already due 60 days (the policy's
    // default) after the grade.
    let p = profile(&app).await;
    assert!(p["downReviews"][0]["reviewId"].is_null(), "{p:#}");
    assert_eq!(p["downReviews"][0]["dueOn"], "2024-03-20", "{p:#}");
    cmd(
        &app,
        &app.admin,
        "openDownReview",
        "OpenDownReviewInput!",
        json!({"input": {"reviewId": "r1", "cadreId": "c001", "trigger": "INCOMPETENT_GRADE", "gradeYear": 2023, "reason": "年度考核不称职"},
               "meta": {"effective": "2024-03-15"}}),
    )
    .await;
    let p = profile(&app).await;
    let review = &p["downReviews"][0];
    assert_eq!(review["reviewId"], "r1", "{p:#}");
    // 60 days (the policy's default) from the grade's date, not from the opening.
    assert_eq!(review["dueOn"], "2024-03-20", "{p:#}");
}

#[tokio::test]
async fn two_incompetent_years_open_a_dismissal_case_decided_on_a_document_and_closed() {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    grade(&app, 2023, "2024-01-20").await;
    grade(&app, 2024, "2025-01-20").await;
    let p = profile(&app).await;
    let case = &p["dismissalCase"];
    assert_eq!(case["caseId"], "2024-dismissal", "{p:#}");
    assert!(
        case["dismissed"].is_null() && case["closedOn"].is_null(),
        "{p:#}"
    );
    assert!(
        alert_kinds(&app, "2025-02-01")
            .await
            .contains(&"DISMISSAL_CASE_OPEN".to_owned())
    );
    assert_eq!(
        down_figure(&app, "2025-02-01", "dismissal_cases", "undecided").await,
        1.0
    );

    let decide = "mutation($d: Boolean!, $doc: String, $why: String!) { decideDismissal(input: {cadreId: \"c001\", caseId: \"2024-dismissal\", dismissed: $d, documentNumber: $doc, reasons: $why}, meta: {effective: \"2025-03-01\"}) { streamVersion } }";
    let before = app.head().await;
    let reply = app
        .admin(decide, json!({"d": true, "doc": null, "why": ""}))
        .await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
    assert_eq!(app.head().await, before);
    app.admin(
        decide,
        json!({"d": true, "doc": "姜组〔2025〕12号", "why": ""}),
    )
    .await
    .ok();
    let p = profile(&app).await;
    assert_eq!(p["posts"], json!([]), "every post ended: {p:#}");
    assert_eq!(p["dismissalCase"]["dismissed"], true);
    assert_eq!(p["dismissalCase"]["documentNumber"], "姜组〔2025〕12号");
    assert_eq!(
        down_figure(&app, "2025-03-02", "dismissal_cases", "dismissed").await,
        1.0
    );
    assert_eq!(
        down_figure(&app, "2025-03-02", "dismissal_cases", "undecided").await,
        0.0
    );

    app.admin(
        "mutation { closeDismissalCase(cadreId: \"c001\", caseId: \"2024-dismissal\", note: \"办结\", meta: {effective: \"2025-03-10\"}) { streamVersion } }",
        json!({}),
    )
    .await
    .ok();
    let p = profile(&app).await;
    assert_eq!(p["dismissalCase"]["closedOn"], "2025-03-10", "{p:#}");
    assert!(
        !alert_kinds(&app, "2025-03-11")
            .await
            .contains(&"DISMISSAL_CASE_OPEN".to_owned())
    );
    assert_eq!(
        down_figure(&app, "2025-03-11", "dismissal_cases", "closed").await,
        1.0
    );
    // As of the day before the decision, the post was still held.
    let reply = app
        .admin(
            "{ cadre(id: \"c001\", asOf: \"2025-02-28\") { posts { postId } dismissalCase { dismissed } } }",
            json!({}),
        )
        .await;
    reply.ok();
    assert_eq!(
        reply.data("cadre.posts.0.postId"),
        "head",
        "{:#}",
        reply.body
    );
    assert!(reply.data("cadre.dismissalCase.dismissed").is_null());
}
