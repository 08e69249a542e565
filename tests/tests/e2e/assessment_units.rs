//! A unit grades only its own cadres, on both paths (`recordGrade`, `recordGrades`): a grade for an unregistered unit or for a cadre of another unit is refused, so the 优秀 cap of the cadre's unit cannot be bypassed; refusals name the unit 单位名（id） and the cadre 姓名（id）.

use dossier_tests::{Reply, TestApp, id_number, spawn_app};
use serde_json::{Value, json};

use crate::{
    flow::{cmd, setup},
    record_rules::register,
};

/// `recordGrade` for 2024 as of 2025-01-20.
async fn grade_one(app: &TestApp, cadre: &str, unit: &str, grade: &str) -> Reply {
    app.admin(
        "mutation($c: String!, $u: String!, $g: Grade) { recordGrade(input: {cadreId: $c, unitId: $u, year: 2024, grade: $g}, meta: {effective: \"2025-01-20\"}) { streamId } }",
        json!({"c": cadre, "u": unit, "g": grade}),
    )
    .await
}

/// `recordGrades` for 2024 as of 2025-01-20.
async fn grade_batch(app: &TestApp, unit: &str, entries: Value) -> Reply {
    app.admin(
        "mutation($u: String!, $e: [GradeEntryInput!]!) { recordGrades(input: {unitId: $u, year: 2024, entries: $e}, meta: {effective: \"2025-01-20\"}) { streamId } }",
        json!({"u": unit, "e": entries}),
    )
    .await
}

fn refused(reply: &Reply, rule: &str) -> String {
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        rule,
        "{:#}",
        reply.body
    );
    reply.first_error()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The grades on a cadre's record.
async fn grades_of(app: &TestApp, cadre: &str) -> Value {
    let reply = app
        .admin(
            "query($c: String!) { cadre(id: $c) { grades { year grade } } }",
            json!({"c": cadre}),
        )
        .await;
    reply.ok();
    reply.body["data"]["cadre"]["grades"].clone()
}

#[tokio::test]
async fn a_grade_names_a_registered_unit_the_cadre_belongs_to_on_both_paths() {
    let app = spawn_app().await;
    setup(&app).await;
    // c101 serves in 区商务局 (sw); c001 … c007 in fgw.
    cmd(
        &app,
        &app.admin,
        "registerCadre",
        "RegisterCadreInput!",
        json!({"input": {
        "cadreId": "c101", "name": "赵云", "idNumber": id_number("1986-04-01", 101),
        "unitId": "sw", "rank": "PRINCIPAL_CLERK_2", "rankSince": "2020-01-01"},
        "meta": {"effective": "2021-01-04"}}),
    )
    .await;
    for i in 2..=7 {
        register(&app, &format!("c00{i}"), i).await;
    }
    let head = app.head().await;

    // recordGrade: an unregistered unit, then a unit the cadre is not in.
    let r = grade_one(&app, "c001", "nosuch", "COMPETENT").await;
    assert_eq!(r.codes(), ["NOT_FOUND"], "{:#}", r.body);
    assert!(refused(&r, "UNIT_NOT_FOUND").contains("nosuch"));
    let r = grade_one(&app, "c001", "sw", "COMPETENT").await;
    assert_eq!(r.codes(), ["RULE_REFUSED"], "{:#}", r.body);
    let message = refused(&r, "ASSESSMENT_CADRE_NOT_IN_UNIT");
    assert!(
        message.contains("张明（c001） 不属于区商务局（sw）"),
        "{message}"
    );
    assert!(
        message.contains("区发展和改革委员会（fgw）"),
        "the cadre's own unit, by its post: {message}"
    );
    assert_eq!(app.head().await, head, "a refusal appends nothing");
    assert_eq!(grades_of(&app, "c001").await, json!([]));

    // fgw's 2024 cap filled: 7 assessed, one 优秀.
    let mut entries = vec![json!({"cadreId": "c001", "grade": "EXCELLENT"})];
    entries.extend((2..=7).map(|i| json!({"cadreId": format!("c00{i}"), "grade": "COMPETENT"})));
    grade_batch(&app, "fgw", json!(entries)).await.ok();
    register(&app, "c008", 8).await;
    let over = grade_one(&app, "c008", "fgw", "EXCELLENT").await;
    let message = refused(&over, "ASSESSMENT_EXCELLENT_SHARE");
    assert!(
        message.contains("优秀等次超过比例: 区发展和改革委员会（fgw） 2024 年度参加考核 8 人"),
        "{message}"
    );

    // recordGrades: c008's 优秀 cannot go through a unit that does not exist, nor through a
    // unit c008 is not in, beside that unit's own cadre.
    let head = app.head().await;
    let ghost = grade_batch(
        &app,
        "ghost",
        json!([{"cadreId": "c008", "grade": "EXCELLENT"}, {"cadreId": "c101", "grade": "COMPETENT"}]),
    )
    .await;
    assert!(refused(&ghost, "UNIT_NOT_FOUND").contains("ghost"));
    let other = grade_batch(
        &app,
        "sw",
        json!([{"cadreId": "c101", "grade": "COMPETENT"}, {"cadreId": "c008", "grade": "EXCELLENT"}]),
    )
    .await;
    let message = refused(&other, "ASSESSMENT_CADRE_NOT_IN_UNIT");
    assert!(
        message.contains("（c008） 不属于区商务局（sw）"),
        "{message}"
    );
    assert_eq!(app.head().await, head, "a refusal appends nothing");
    assert_eq!(grades_of(&app, "c008").await, json!([]));
    // sw grades its own cadre.
    grade_batch(
        &app,
        "sw",
        json!([{"cadreId": "c101", "grade": "COMPETENT"}]),
    )
    .await
    .ok();
}

#[tokio::test]
async fn refusals_of_a_grade_name_the_cadre_with_their_id() {
    let app = spawn_app().await;
    setup(&app).await;
    grade_one(&app, "c001", "fgw", "COMPETENT").await.ok();
    let again = grade_one(&app, "c001", "fgw", "COMPETENT").await;
    // The batch stream answers first (its message names 干部「…」 as the API does everywhere).
    let message = refused(&again, "ASSESSMENT_ALREADY_GRADED");
    assert!(message.contains("张明（c001）"), "{message}");
    // A warning in 2025 bars 优秀 for 2025: the refusal names 张明（c001）.
    cmd(
        &app,
        &app.admin,
        "imposeSanction",
        "ImposeSanctionInput!",
        json!({"input": {"cadreId": "c001", "sanctionId": "s1", "kind": "WARNING", "reason": "违反工作纪律",
                          "decidedBy": "区纪委", "documentNumber": "姜纪〔2025〕1号"},
               "meta": {"effective": "2025-03-01"}}),
    )
    .await;
    let reply = app
        .admin(
            "mutation { recordGrades(input: {unitId: \"fgw\", year: 2025, entries: [{cadreId: \"c001\", grade: EXCELLENT}]}, meta: {effective: \"2025-12-20\"}) { streamId } }",
            json!({}),
        )
        .await;
    let message = refused(&reply, "ASSESSMENT_WARNING_BARS_EXCELLENT");
    assert!(
        message.contains("张明（c001） 2025 年受警告处分"),
        "{message}"
    );
}
