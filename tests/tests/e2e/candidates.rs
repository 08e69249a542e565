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
        "joinedWorkOn": "2008-07-01"}, "meta": {"effective": since.max("2024-01-02")}})).await;
}

async fn noticed(app: &TestApp, id: &str) {
    cmd(app, &app.admin, "startPublicNotice", "StartPublicNoticeInput!", json!({"input": {
        "cadreId": id, "noticeId": format!("n-{id}"), "purpose": "拟晋升三级主任科员", "targetRank": "PRINCIPAL_CLERK_3",
        "endsOn": "2025-06-09"}, "meta": {"effective": "2025-06-03"}})).await;
    let q = "mutation($id: String!, $n: String!) { endPublicNotice(cadreId: $id, noticeId: $n, objectionUpheld: false, meta: {effective: \"2025-06-09\"}) { streamVersion } }";
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
    let places: Vec<u64> = rows[1..]
        .iter()
        .map(|(_, n)| n["pointsRank"].as_u64().unwrap())
        .collect();
    assert!(
        places.windows(2).all(|w| w[0] < w[1]),
        "the others follow by points rank, not in the order registered: {places:?}"
    );
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

const TENURE: &str = "query($on: Date, $known: Position, $unit: String) {
  rotationDue(on: $on, knownAt: $known, unitId: $unit) { unitId postId cadreId since reason reasonZh limitYears yearsInPost dueOn }
  reappointmentBars(on: $on, knownAt: $known, unitId: $unit) { unitId postId cadreId code message }
}";

#[tokio::test]
async fn rotation_due_and_reappointment_bars_on_future_and_past_dates() {
    let app = spawn_app().await;
    // c001 heads fgw (a 乡科级正职 post) since 2020-01-10.
    setup(&app).await;
    let ask = |on: &str| json!({"on": on});
    // A leader is due after 10 years in one post, on the day the tenth year ends.
    let before = app.admin(TENURE, ask("2030-01-09")).await.body;
    assert_eq!(before["data"]["rotationDue"], json!([]), "{before:#}");
    assert_eq!(before["data"]["reappointmentBars"], json!([]), "{before:#}");
    let due = app.admin(TENURE, ask("2030-01-10")).await.body;
    let row = &due["data"]["rotationDue"][0];
    assert_eq!(
        (
            &row["cadreId"],
            &row["reason"],
            &row["reasonZh"],
            &row["limitYears"],
            &row["dueOn"]
        ),
        (
            &json!("c001"),
            &json!("LEADERSHIP"),
            &json!("领导干部同一职位任职满限"),
            &json!(10),
            &json!("2030-01-10")
        ),
        "{due:#}"
    );
    // Two full five-year terms in the post bar a reappointment to it.
    let bar = &due["data"]["reappointmentBars"][0];
    assert_eq!(bar["code"], "REAPPOINTMENT_TWO_TERMS", "{due:#}");
    assert!(
        bar["message"].as_str().unwrap().contains("满 2 个完整任期"),
        "{bar}"
    );

    // Made a hot post with a 5-year limit: the tighter limit, due since 2025-01-10.
    let known_before = app.head().await;
    let q = "mutation { designateHotPost(unitId: \"fgw\", postId: \"head\", tenureLimitYears: 5, meta: {effective: \"2025-02-01\"}) { streamVersion } }";
    TestApp::expect_ok(app.admin(q, json!({})).await, "designateHotPost");
    let now = app.admin(TENURE, ask("2026-01-01")).await.body;
    let row = &now["data"]["rotationDue"][0];
    assert_eq!(
        (&row["reason"], &row["reasonZh"], &row["dueOn"]),
        (
            &json!("HOT_POST"),
            &json!("热点岗位任职满限"),
            &json!("2025-01-10")
        ),
        "{now:#}"
    );
    // As the record stood before the designation was recorded: not due on that date.
    let then = app
        .admin(TENURE, json!({"on": "2026-01-01", "known": known_before}))
        .await
        .body;
    assert_eq!(then["data"]["rotationDue"], json!([]), "{then:#}");

    // Unit heads: their own unit only.
    let head = app.token(Role::UnitHead, Some("sw")).await;
    let theirs = app.gql(Some(&head), TENURE, ask("2026-01-01")).await.body;
    assert_eq!(theirs["data"]["rotationDue"], json!([]), "{theirs:#}");
    let other = app
        .gql(
            Some(&head),
            TENURE,
            json!({"on": "2026-01-01", "unit": "fgw"}),
        )
        .await;
    assert!(
        other.codes().iter().all(|c| c == "FORBIDDEN"),
        "{:#}",
        other.body
    );
}

#[tokio::test]
async fn the_time_counted_names_each_year_s_grade_as_an_enum_beside_its_chinese() {
    let app = spawn_app().await;
    setup(&app).await;
    register(&app, "g", "fgw", "2021-01-01", 29).await;
    for (year, grade) in [
        (2021, json!("COMPETENT")),
        (2022, Value::Null),
        (2023, json!("BASICALLY_COMPETENT")),
    ] {
        cmd(
            &app,
            &app.admin,
            "recordGrade",
            "RecordGradeInput!",
            json!({"input": {"cadreId": "g", "unitId": "fgw", "year": year, "grade": grade},
                   "meta": {"effective": "2024-01-20"}}),
        )
        .await;
    }
    let q = "{ promotionCandidates(toRank: PRINCIPAL_CLERK_3, on: \"2024-06-30\") {
      edges { node { cadreId timeCounted { years { year grade gradeZh } } } } } }";
    let reply = app.admin(q, json!({})).await.body;
    let g = by_id(&reply)
        .into_iter()
        .find(|(c, _)| c == "g")
        .unwrap_or_else(|| panic!("{reply:#}"))
        .1;
    // 2022 graded without a grade (不定等次); 2024 not graded yet (null).
    assert_eq!(
        g["timeCounted"]["years"],
        json!([
            {"year": 2021, "grade": "COMPETENT", "gradeZh": "称职"},
            {"year": 2022, "grade": "UNGRADED", "gradeZh": "不定等次"},
            {"year": 2023, "grade": "BASICALLY_COMPETENT", "gradeZh": "基本称职"},
            {"year": 2024, "grade": null, "gradeZh": null},
        ]),
        "{reply:#}"
    );
}
