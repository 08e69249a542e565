//! The front-line quota by the points ranking through GraphQL: the ranking published on the quota stream, an allocation passing over a higher-ranked eligible cadre refused (names and places) and then recorded with its reason, `quotaRanking` and the promotion figures showing it, `promoteRank(quotaYear:)` checked against the allocation, and a place a promotion drew on kept from revocation.

use dossier_tests::{TestApp, id_number, spawn_app};
use serde_json::{Value, json};

use crate::flow::{cmd, setup};

/// A 四级主任科员 of `fgw` since `since` (seniority sets the points: one a year).
pub async fn register(app: &TestApp, id: &str, since: &str, seq: u32) {
    cmd(
        app,
        &app.admin,
        "registerCadre",
        "RegisterCadreInput!",
        json!({"input": {
        "cadreId": id, "name": format!("干部{id}"), "idNumber": id_number("1986-04-01", seq),
        "unitId": "fgw", "rank": "PRINCIPAL_CLERK_4", "rankSince": since},
        "meta": {"effective": "2021-01-04"}}),
    )
    .await;
}

/// A five-working-day 公示 for 三级主任科员 (2025-06-03 to 06-09), ended without objection.
pub async fn noticed(app: &TestApp, id: &str) {
    cmd(app, &app.admin, "startPublicNotice", "StartPublicNoticeInput!", json!({"input": {
        "cadreId": id, "noticeId": format!("n-{id}"), "purpose": "拟晋升三级主任科员",
        "targetRank": "PRINCIPAL_CLERK_3", "endsOn": "2025-06-09"}, "meta": {"effective": "2025-06-03"}}))
    .await;
    let q = "mutation($id: String!, $n: String!) { endPublicNotice(cadreId: $id, noticeId: $n, objectionUpheld: false, meta: {effective: \"2025-06-09\"}) { streamVersion } }";
    TestApp::expect_ok(
        app.admin(q, json!({"id": id, "n": format!("n-{id}")}))
            .await,
        "endPublicNotice",
    );
}

const ALLOCATE: &str = "mutation($c: String!, $p: Int!, $r: String) { allocateQuota(year: 2025, cadreId: $c, field: PROJECT_CONSTRUCTION, place: $p, skipReason: $r, meta: {effective: \"2025-03-02\"}) { events { type } } }";

const RANKING: &str = "{ quotaRanking(year: 2025) { year size used rankedOn lines { place cadreId name points eligible blockedBy standing skipReason } } }";

const PROMOTE: &str = "mutation($c: String!) { promoteRank(input: {cadreId: $c, to: PRINCIPAL_CLERK_3, documentNumber: \"姜组〔2025〕18号\", approvedBy: \"区委组织部\", quotaYear: 2025}, meta: {effective: \"2025-07-01\"}) { events { type } } }";

fn figure(reply: &Value, metric: &str, key: &str) -> f64 {
    reply["data"]["dashboards"]["figures"]
        .as_array()
        .unwrap_or_else(|| panic!("{reply:#}"))
        .iter()
        .find(|f| f["dashboard"] == "promotion" && f["metric"] == metric && f["key"] == key)
        .and_then(|f| f["value"].as_f64())
        .unwrap_or_else(|| panic!("no figure {metric}/{key}"))
}

#[tokio::test]
async fn the_quota_is_allocated_down_the_points_ranking() {
    let app = spawn_app().await;
    setup(&app).await;
    register(&app, "q1", "2019-01-01", 31).await;
    register(&app, "q2", "2020-01-01", 33).await;
    register(&app, "q3", "2021-01-01", 35).await;
    app.admin(
        "mutation { openQuota(year: 2025, size: 2, meta: {effective: \"2025-03-01\"}) { streamVersion } }",
        json!({}),
    )
    .await
    .ok();
    // Allocating before a ranking is published is refused.
    let early = app.admin(ALLOCATE, json!({"c": "q1", "p": 1})).await;
    assert_eq!(
        early.first_error()["extensions"]["rule"],
        "QUOTA_RANKING_MISSING",
        "{:#}",
        early.body
    );
    app.admin(
        "mutation { rankQuota(year: 2025, candidates: [{cadreId: \"q3\", field: PROJECT_CONSTRUCTION}, {cadreId: \"q1\", field: PROJECT_CONSTRUCTION}, {cadreId: \"q2\", field: PROJECT_CONSTRUCTION}], meta: {effective: \"2025-03-01\"}) { events { type } } }",
        json!({}),
    )
    .await
    .ok();
    let ranking = app.admin(RANKING, json!({})).await;
    let lines = ranking
        .data("quotaRanking.lines")
        .as_array()
        .unwrap()
        .clone();
    let order: Vec<(u64, &str, bool)> = lines
        .iter()
        .map(|l| {
            (
                l["place"].as_u64().unwrap(),
                l["cadreId"].as_str().unwrap(),
                l["eligible"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(order, [(1, "q1", true), (2, "q2", true), (3, "q3", true)]);
    // The points are the profile's.
    let profile = app
        .admin(
            "{ cadre(id: \"q1\", asOf: \"2025-03-01\") { points { total } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        lines[0]["points"],
        profile.data("cadre.points.total").clone()
    );

    // q2 (2nd) before q1 (1st, eligible, not considered): refused, naming q1 and both places.
    let head = app.head().await;
    let refused = app.admin(ALLOCATE, json!({"c": "q2", "p": 2})).await;
    assert_eq!(refused.codes(), ["RULE_REFUSED"], "{:#}", refused.body);
    assert_eq!(
        refused.first_error()["extensions"]["rule"],
        "QUOTA_RANKING_PASSED_OVER"
    );
    let message = refused.first_error()["message"].as_str().unwrap();
    assert!(
        message.contains("干部q2（q2） 位列 2025 年度积分排名第 2 名"),
        "{message}"
    );
    assert!(message.contains("干部q1（q1） 第 1 名"), "{message}");
    assert_eq!(app.head().await, head, "a refusal appends nothing");
    // The place named must be the cadre's.
    let wrong = app.admin(ALLOCATE, json!({"c": "q2", "p": 1})).await;
    assert_eq!(
        wrong.first_error()["extensions"]["rule"],
        "QUOTA_PLACE_MISMATCH"
    );
    // With a reason, 组织部 passes q1 over; the ranking shows who stands where.
    app.admin(
        ALLOCATE,
        json!({"c": "q2", "p": 2, "r": "干部q1（q1）已调离一线岗位"}),
    )
    .await
    .ok();
    let ranking = app.admin(RANKING, json!({})).await;
    let standing: Vec<(&str, &str)> = ranking
        .data("quotaRanking.lines")
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["cadreId"].as_str().unwrap(),
                l["standing"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        standing,
        [
            ("q1", "PASSED_OVER"),
            ("q2", "ALLOCATED"),
            ("q3", "WAITING")
        ]
    );
    assert_eq!(
        ranking.data("quotaRanking.lines")[0]["skipReason"],
        "干部q1（q1）已调离一线岗位"
    );
    assert_eq!(ranking.data("quotaRanking.used"), 1);
    // q3 is next without a reason now that q1 was considered.
    let dash = app
        .admin(
            "{ dashboards(asOf: \"2025-03-02\") { figures { dashboard metric key value } } }",
            json!({}),
        )
        .await;
    assert_eq!(figure(&dash.body, "quota_ranked", "2025"), 3.0);
    assert_eq!(figure(&dash.body, "quota_passed_over", "2025"), 1.0);
    assert_eq!(figure(&dash.body, "quota_used", "2025"), 1.0);

    // promoteRank citing the 2025 quota: refused for q3 (no place), accepted for q2.
    noticed(&app, "q2").await;
    noticed(&app, "q3").await;
    let head = app.head().await;
    let no_place = app.admin(PROMOTE, json!({"c": "q3"})).await;
    assert_eq!(
        no_place.first_error()["extensions"]["rule"],
        "PROMOTION_QUOTA_NOT_ALLOCATED",
        "{:#}",
        no_place.body
    );
    let message = no_place.first_error()["message"].as_str().unwrap();
    assert!(
        message.contains("干部q3（q3） 未获分配 2025 年度一线职级数"),
        "{message}"
    );
    assert_eq!(app.head().await, head);
    app.admin(PROMOTE, json!({"c": "q2"})).await.ok();
    let q2 = app
        .admin("{ cadre(id: \"q2\") { rank rankSince } }", json!({}))
        .await;
    assert_eq!(q2.data("cadre.rank"), "PRINCIPAL_CLERK_3");
    // The place q2's promotion drew on is spent: it cannot be revoked and given to another.
    let head = app.head().await;
    let revoke = app
        .admin(
            "mutation { revokeQuota(year: 2025, cadreId: \"q2\", reason: \"另行安排\", meta: {effective: \"2025-07-02\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    assert_eq!(
        revoke.first_error()["extensions"]["rule"],
        "QUOTA_PLACE_USED",
        "{:#}",
        revoke.body
    );
    let message = revoke.first_error()["message"].as_str().unwrap();
    assert!(
        message.contains("干部q2（q2） 已于 2025-07-01 凭 2025 年度一线职级数晋升职级"),
        "{message}"
    );
    assert_eq!(app.head().await, head, "a refusal appends nothing");
}
