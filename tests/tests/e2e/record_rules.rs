//! The record holds true on every path: the 优秀 share cap for single grades, a “down” decision carried
//! out on the cadre's record (before, after, and as of the day before), 职务层次 following the post.

use dossier_tests::{TestApp, id_number, spawn_app};
use serde_json::{Value, json};

use crate::flow::{cmd, down_figure, setup};

/// Register cadre `id` in unit `fgw`.
pub async fn register(app: &TestApp, id: &str, seq: u32) {
    cmd(
        app,
        &app.admin,
        "registerCadre",
        "RegisterCadreInput!",
        json!({"input": {
        "cadreId": id, "name": format!("干部{id}"), "idNumber": id_number("1985-03-01", seq),
        "unitId": "fgw", "rank": "PRINCIPAL_CLERK_2", "rankSince": "2020-01-01"},
        "meta": {"effective": "2021-01-04"}}),
    )
    .await;
}

/// Grade one cadre for 2024 through `recordGrade` (one at a time).
async fn grade_one(app: &TestApp, cadre: &str, grade: &str) -> dossier_tests::Reply {
    app.admin(
        "mutation($c: String!, $g: Grade) { recordGrade(input: {cadreId: $c, unitId: \"fgw\", year: 2024, grade: $g}, meta: {effective: \"2025-01-20\"}) { streamId events { type streamId } } }",
        json!({"c": cadre, "g": grade}),
    )
    .await
}

#[tokio::test]
async fn single_grades_count_against_the_units_excellent_share() {
    let app = spawn_app().await;
    setup(&app).await;
    for i in 2..=7 {
        register(&app, &format!("c00{i}"), i).await;
    }
    // The first 优秀 of an empty unit is refused exactly as in a batch: 1 assessed, at most 0.
    let first = grade_one(&app, "c001", "EXCELLENT").await;
    assert_eq!(first.codes(), ["RULE_REFUSED"], "{:#}", first.body);
    assert_eq!(
        first.first_error()["extensions"]["rule"],
        "ASSESSMENT_EXCELLENT_SHARE"
    );
    for i in 2..=7 {
        let r = grade_one(&app, &format!("c00{i}"), "COMPETENT").await;
        r.ok();
        // Both streams, one write.
        let streams: Vec<&str> = r
            .data("recordGrade.events")
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["streamId"].as_str().unwrap())
            .collect();
        assert!(streams.contains(&"assessment-fgw-2024"), "{streams:?}");
        assert!(
            streams.contains(&format!("cadre-c00{i}").as_str()),
            "{streams:?}"
        );
    }
    // 7 assessed: 15% allows one 优秀.
    grade_one(&app, "c001", "EXCELLENT").await.ok();
    register(&app, "c008", 8).await;
    let head = app.head().await;
    let over = grade_one(&app, "c008", "EXCELLENT").await;
    assert_eq!(over.codes(), ["RULE_REFUSED"], "{:#}", over.body);
    let message = over.first_error()["message"].as_str().unwrap();
    assert!(message.contains("参加考核 8 人, 优秀 2 人"), "{message}");
    assert_eq!(app.head().await, head, "a refusal appends nothing");
    let grades = app
        .admin(
            "{ cadre(id: \"c008\") { grades { year grade } } }",
            json!({}),
        )
        .await;
    assert_eq!(grades.data("cadre.grades"), &json!([]));
    // A second grade for the same cadre and year is refused on this path too.
    let again = grade_one(&app, "c002", "COMPETENT").await;
    assert_eq!(again.codes(), ["VALIDATION"], "{:#}", again.body);
}

fn profile_query(as_of: Option<&str>) -> String {
    let as_of = as_of.map_or(String::new(), |d| format!(", asOf: \"{d}\""));
    format!(
        "{{ cadre(id: \"c001\"{as_of}) {{ unitId leadershipLevel isLeader posts {{ unitId postId }} }} }}"
    )
}

async fn open_and_decide(
    app: &TestApp,
    method: &str,
    to: Option<(&str, &str)>,
) -> dossier_tests::Reply {
    let a = &app.admin;
    cmd(app, a, "openDownReview", "OpenDownReviewInput!", json!({"input": {
        "reviewId": "dr1", "cadreId": "c001", "trigger": "REVERSE_EVALUATION", "reason": "反向研判"},
        "meta": {"effective": "2025-03-01"}})).await;
    app.admin(
        "mutation { recordDownFindings(reviewId: \"dr1\", situation: LACK_OF_DRIVE, findings: \"担当不足\", meta: {effective: \"2025-03-10\"}) { streamVersion } }",
        json!({}),
    )
    .await
    .ok();
    let to = to.map_or(String::new(), |(u, p)| {
        format!(", toUnitId: \"{u}\", toPostId: \"{p}\"")
    });
    app.admin(
        &format!("mutation {{ decideDownReview(reviewId: \"dr1\", decisionRef: \"姜委常〔2025〕30号\", methods: [{method}]{to}, meta: {{effective: \"2025-04-01\"}}) {{ streamVersion }} }}"),
        json!({}),
    )
    .await
}

async fn execute(app: &TestApp) -> dossier_tests::Reply {
    app.admin(
        "mutation { executeDownDecision(reviewId: \"dr1\", note: \"已办理\", meta: {effective: \"2025-04-15\"}) { events { type streamId } } }",
        json!({}),
    )
    .await
}

#[tokio::test]
async fn a_change_to_rank_decision_is_carried_out_on_the_cadres_record() {
    let app = spawn_app().await;
    setup(&app).await;
    // 职务层次 follows the post: the appointment as head set the level.
    let before = app.admin(&profile_query(None), json!({})).await;
    assert_eq!(
        before.data("cadre"),
        &json!({"unitId": "fgw", "leadershipLevel": "TOWNSHIP_CHIEF", "isLeader": true,
                "posts": [{"unitId": "fgw", "postId": "head"}]}),
    );
    open_and_decide(&app, "CHANGE_TO_RANK", None).await.ok();
    let done = execute(&app).await;
    done.ok();
    let types: Vec<&str> = done
        .data("executeDownDecision.events")
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "down.Executed",
            "cadre.Removed",
            "cadre.LeadershipLevelChanged",
            "cadre.MovedDown"
        ]
    );
    let after = app.admin(&profile_query(None), json!({})).await;
    assert_eq!(
        after.data("cadre"),
        &json!({"unitId": "fgw", "leadershipLevel": null, "isLeader": false, "posts": []}),
    );
    // As of the day before, the cadre still led the unit.
    let day_before = app
        .admin(&profile_query(Some("2025-04-14")), json!({}))
        .await;
    assert_eq!(
        day_before.data("cadre.isLeader"),
        &json!(true),
        "{:#}",
        day_before.body
    );
    assert_eq!(
        day_before.data("cadre.leadershipLevel"),
        &json!("TOWNSHIP_CHIEF")
    );
    // The down dashboard counts the cadre from the decision, and as carried out from the day
    // the execution took effect.
    for (on, decided, executed) in [
        ("2025-03-31", 0.0, 0.0),
        ("2025-04-14", 1.0, 0.0),
        ("2025-04-15", 1.0, 1.0),
    ] {
        assert_eq!(
            (
                down_figure(&app, on, "cadres_moved_down", "").await,
                down_figure(&app, on, "cadres_moved_down_executed", "").await
            ),
            (decided, executed),
            "as of {on}"
        );
    }
    // The unit view shows the post vacant.
    let unit = app
        .admin("{ unit(id: \"fgw\") { vacancies { postId } } }", json!({}))
        .await;
    assert_eq!(
        unit.data("unit.vacancies"),
        &json!([{"postId": "head"}]),
        "{:#}",
        unit.body
    );
    // The audit trail names the decision as the basis.
    let trail = app
        .admin(
            "{ auditTrail(streamId: \"cadre-c001\") { type basis } }",
            json!({}),
        )
        .await;
    let removed: Vec<&Value> = trail
        .data("auditTrail")
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "cadre.Removed")
        .collect();
    assert_eq!(removed.len(), 1);
}

#[tokio::test]
async fn a_reverse_adjustment_moves_the_cadre_and_refuses_a_missing_or_taken_post() {
    let app = spawn_app().await;
    setup(&app).await;
    // sw's head post is open but not filled yet; a post that does not exist is refused.
    let missing = open_and_decide(&app, "REVERSE_ADJUSTMENT", Some(("sw", "nope"))).await;
    assert_eq!(missing.codes(), ["NOT_FOUND"], "{:#}", missing.body);
    let without = app.admin(
        "mutation { decideDownReview(reviewId: \"dr1\", decisionRef: \"姜委常〔2025〕30号\", methods: [REVERSE_ADJUSTMENT], meta: {effective: \"2025-04-01\"}) { streamVersion } }",
        json!({}),
    ).await;
    assert_eq!(without.codes(), ["VALIDATION"], "{:#}", without.body);
    app.admin(
        "mutation { decideDownReview(reviewId: \"dr1\", decisionRef: \"姜委常〔2025〕30号\", methods: [REVERSE_ADJUSTMENT], toUnitId: \"sw\", toPostId: \"head\", meta: {effective: \"2025-04-01\"}) { streamVersion } }",
        json!({}),
    ).await.ok();
    execute(&app).await.ok();
    let after = app.admin(&profile_query(None), json!({})).await;
    assert_eq!(
        after.data("cadre"),
        &json!({"unitId": "sw", "leadershipLevel": "TOWNSHIP_CHIEF", "isLeader": true,
                "posts": [{"unitId": "sw", "postId": "head"}]}),
        "{:#}",
        after.body
    );
}

/// Dates the record cannot hold are refused on every path, and nothing is written: a rank held
/// only after the registration, a grade of a year before the cadre's working life or not yet
/// ended, an admonition or a 双考 evaluation before the cadre's birth, a rotation from a post
/// before it was taken.
#[tokio::test]
async fn dates_the_record_cannot_hold_are_refused() {
    let app = spawn_app().await;
    setup(&app).await;
    let before = app.head().await;
    let refused = |mutation: String, code: &'static str| {
        let app = &app;
        async move {
            let reply = app.admin(&mutation, json!({})).await;
            assert_eq!(
                reply.first_error()["extensions"]["rule"],
                code,
                "{mutation}: {:#}",
                reply.body
            );
            reply.first_error()["message"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        }
    };
    refused(
        format!(
            "mutation {{ registerCadre(input: {{cadreId: \"c009\", name: \"干部c009\", idNumber: \"{}\", unitId: \"fgw\", rank: PRINCIPAL_CLERK_1, rankSince: \"2025-01-01\"}}, meta: {{effective: \"2020-01-01\"}}) {{ streamVersion }} }}",
            id_number("1985-03-01", 9)
        ),
        "RANK_SINCE_AFTER_REGISTRATION",
    )
    .await;
    // c001: born 1980, joined work 2002.
    let grade = |year: i32, on: &str| {
        format!(
            "mutation {{ recordGrade(input: {{cadreId: \"c001\", unitId: \"fgw\", year: {year}, grade: COMPETENT}}, meta: {{effective: \"{on}\"}}) {{ streamVersion }} }}"
        )
    };
    let message = refused(grade(1950, "2025-01-20"), "ASSESSMENT_YEAR_INVALID").await;
    assert!(message.contains("张明（c001）"), "{message}");
    refused(grade(2025, "2025-06-01"), "ASSESSMENT_YEAR_INVALID").await;
    let message = refused(
        "mutation { issueAdmonition(cadreId: \"c001\", admonitionId: \"w1\", reason: \"工作不力\", meta: {effective: \"1979-06-01\"}) { streamVersion } }".into(),
        "DATE_BEFORE_BIRTH",
    )
    .await;
    assert!(message.contains("1980-05-01"), "{message}");
    refused(
        "mutation { recordEvaluation(input: {cadreId: \"c001\", evaluationId: \"e1\", taskKind: KEY_PROJECT, taskName: \"城北污水处理厂\", evaluator: INSPECTION_OFFICE, attitude: 80, responsibility: 80, competence: 80}, meta: {effective: \"1979-06-01\"}) { streamVersion } }".into(),
        "DATE_BEFORE_BIRTH",
    )
    .await;
    // c001 has headed fgw since 2020-01-10.
    let message = refused(
        "mutation { rotate(input: {cadreId: \"c001\", kind: CULTIVATING, reason: \"交流培养\", fromPostId: \"head\", toUnitId: \"sw\", toPostId: \"head\", approvedBy: \"区委常委会\", documentNumber: \"姜委〔2020〕9号\"}, meta: {effective: \"2020-01-09\"}) { streamVersion } }".into(),
        "REMOVAL_BEFORE_APPOINTMENT",
    )
    .await;
    assert!(message.contains("2020-01-10"), "{message}");
    assert_eq!(app.head().await, before, "nothing written");
}
