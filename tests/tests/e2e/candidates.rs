//! `promotionCandidates` through GraphQL: the feeder rank split eligible / not eligible with every obstacle, agreeing with `promoteRank` (dry run and real), by unit for unit heads, and as known at an earlier position.

use dossier_domain::Role;
use dossier_tests::{TestApp, id_number, spawn_app};
use serde_json::{Value, json};

use crate::flow::{cmd, setup};

const CANDIDATES: &str = "query($on: Date, $known: Position, $unit: String, $after: String, $first: Int = 20) {
  promotionCandidates(toRank: PRINCIPAL_CLERK_3, on: $on, knownAt: $known, unitId: $unit, after: $after, first: $first) {
    toRank fromRank eligibleCount notEligibleCount quota { year left }
    pageInfo { hasNextPage endCursor }
    edges { cursor node { cadreId unitId eligible eligibleFrom countedMonths requiredMonths pointsRank obstacles { code message liftsOn } } }
  }
}";

const PROMOTE: &str = "mutation($id: String!, $m: CommandMeta) { promoteRank(input: {cadreId: $id, to: PRINCIPAL_CLERK_3, documentNumber: \"姜组〔2025〕9号\", approvedBy: \"区委组织部\"}, meta: $m) { dryRun events { type } } }";

async fn register(app: &TestApp, id: &str, unit: &str, since: &str, seq: u32) {
    cmd(app, &app.admin, "registerCadre", "RegisterCadreInput!", json!({"input": {
        "cadreId": id, "name": format!("干部{id}"), "idNumber": id_number("1985-03-01", seq), "gender": "MALE",
        "birthDate": "1985-03-01", "unitId": unit, "rank": "PRINCIPAL_CLERK_4", "rankSince": since,
        "joinedWorkOn": "2008-07-01"}, "meta": {"effective": "2024-01-02"}})).await;
}

async fn noticed(app: &TestApp, id: &str) {
    cmd(app, &app.admin, "startPublicNotice", "StartPublicNoticeInput!", json!({"input": {
        "cadreId": id, "noticeId": format!("n-{id}"), "purpose": "拟晋升三级主任科员", "targetRank": "PRINCIPAL_CLERK_3",
        "endsOn": "2025-06-06"}, "meta": {"effective": "2025-06-02"}})).await;
    let q = "mutation($id: String!, $n: String!) { endPublicNotice(cadreId: $id, noticeId: $n, objectionUpheld: false, meta: {effective: \"2025-06-06\"}) { streamVersion } }";
    TestApp::expect_ok(
        app.admin(q, json!({"id": id, "n": format!("n-{id}")}))
            .await,
        "endPublicNotice",
    );
}

fn by_id(reply: &Value) -> Vec<(String, Value)> {
    reply["data"]["promotionCandidates"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{reply:#}"))
        .iter()
        .map(|e| {
            (
                e["node"]["cadreId"].as_str().unwrap().to_owned(),
                e["node"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn candidates_list_every_obstacle_and_agree_with_the_command() {
    let app = spawn_app().await;
    setup(&app).await;
    // ok: eligible; adm: under an admonition; short: one year in rank; inv: under investigation.
    register(&app, "ok", "fgw", "2021-01-01", 21).await;
    register(&app, "adm", "fgw", "2021-01-01", 23).await;
    register(&app, "short", "sw", "2024-07-01", 25).await;
    register(&app, "inv", "sw", "2021-01-01", 27).await;
    for id in ["ok", "adm", "short", "inv"] {
        noticed(&app, id).await;
    }
    let before_admonition = app.head().await;
    let q = "mutation { issueAdmonition(cadreId: \"adm\", admonitionId: \"a1\", reason: \"作风问题\", meta: {effective: \"2025-05-01\"}) { streamVersion } }";
    TestApp::expect_ok(app.admin(q, json!({})).await, "issueAdmonition");
    let q = "mutation { openInvestigation(cadreId: \"inv\", caseId: \"k1\", authority: \"区监委\", reason: \"涉嫌违纪\", meta: {effective: \"2025-05-02\"}) { streamVersion } }";
    TestApp::expect_ok(app.admin(q, json!({})).await, "openInvestigation");

    let reply = app
        .admin(CANDIDATES, json!({"on": "2025-07-01"}))
        .await
        .body;
    let list = &reply["data"]["promotionCandidates"];
    assert_eq!(list["fromRank"], "PRINCIPAL_CLERK_4", "{reply:#}");
    assert_eq!(
        (
            list["eligibleCount"].as_u64(),
            list["notEligibleCount"].as_u64()
        ),
        (Some(1), Some(3))
    );
    let rows = by_id(&reply);
    assert_eq!(rows[0].0, "ok", "the eligible come first");
    let codes = |id: &str| -> Vec<String> {
        rows.iter().find(|(c, _)| c == id).unwrap().1["obstacles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(codes("adm"), ["PROMOTION_ADMONITION_PERIOD"]);
    assert_eq!(codes("short"), ["PROMOTION_MIN_YEARS"]);
    assert_eq!(codes("inv"), ["PROMOTION_UNDER_INVESTIGATION"]);
    let short = &rows.iter().find(|(c, _)| c == "short").unwrap().1;
    assert_eq!(short["eligibleFrom"], "2026-07-01");
    assert_eq!(short["obstacles"][0]["liftsOn"], "2026-07-01");
    let inv = &rows.iter().find(|(c, _)| c == "inv").unwrap().1;
    assert!(inv["eligibleFrom"].is_null() && inv["obstacles"][0]["liftsOn"].is_null());

    // The command agrees: a dry run for each, then the eligible one for real.
    for (id, node) in &rows {
        let dry = app
            .admin(
                PROMOTE,
                json!({"id": id, "m": {"effective": "2025-07-01", "dryRun": true}}),
            )
            .await;
        if node["eligible"] == true {
            assert!(dry.body.get("errors").is_none(), "{:#}", dry.body);
        } else {
            let listed: Vec<_> = node["obstacles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| (o["code"].clone(), o["message"].clone()))
                .collect();
            let refused: Vec<_> = dry.first_error()["extensions"]["obstacles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| (o["code"].clone(), o["message"].clone()))
                .collect();
            assert_eq!(refused, listed, "{id}");
        }
    }
    TestApp::expect_ok(
        app.admin(
            PROMOTE,
            json!({"id": "ok", "m": {"effective": "2025-07-01"}}),
        )
        .await,
        "promoteRank",
    );

    // Pages of one, in order, with a cursor.
    let page = app
        .admin(CANDIDATES, json!({"on": "2025-07-01", "first": 1}))
        .await
        .body;
    let cursor = page["data"]["promotionCandidates"]["pageInfo"]["endCursor"].clone();
    assert_eq!(
        page["data"]["promotionCandidates"]["pageInfo"]["hasNextPage"],
        true
    );
    let next = app
        .admin(
            CANDIDATES,
            json!({"on": "2025-07-01", "first": 1, "after": cursor}),
        )
        .await
        .body;
    assert_eq!(by_id(&next).len(), 1);

    // A unit head sees their own unit only, and may not ask for another.
    let head = app.token(Role::UnitHead, Some("sw")).await;
    let theirs = app
        .gql(Some(&head), CANDIDATES, json!({"on": "2025-07-01"}))
        .await
        .body;
    assert!(
        by_id(&theirs).iter().all(|(_, n)| n["unitId"] == "sw"),
        "{theirs:#}"
    );
    let other = app
        .gql(
            Some(&head),
            CANDIDATES,
            json!({"on": "2025-07-01", "unit": "fgw"}),
        )
        .await;
    assert_eq!(other.codes(), ["FORBIDDEN"]);

    // As known before the admonition was recorded, on a past date: 'adm' had no obstacle.
    let then = app
        .admin(
            CANDIDATES,
            json!({"on": "2025-07-01", "known": before_admonition}),
        )
        .await
        .body;
    let adm = by_id(&then)
        .into_iter()
        .find(|(c, _)| c == "adm")
        .unwrap()
        .1;
    assert_eq!(adm["eligible"], true, "{then:#}");
}
