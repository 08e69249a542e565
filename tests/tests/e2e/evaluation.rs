//! 双考 through GraphQL: an evaluation on a key task shows on the cadre's profile (and not as of a day before it), on the assessment dashboard (per year, by task, mean scores, also as of a date), and as the cited basis of a grade, an award and a down review; citing a missing evaluation or another cadre's is refused and writes nothing.

use dossier_tests::{TestApp, id_number};
use serde_json::{Value, json};

use crate::flow::{cmd, figures, setup};

async fn evaluate(app: &TestApp, cadre: &str, id: &str, task: &str, scores: [f64; 3], on: &str) {
    cmd(
        app,
        &app.admin,
        "recordEvaluation",
        "RecordEvaluationInput!",
        json!({"input": {"cadreId": cadre, "evaluationId": id, "taskKind": "INDUSTRIAL_PROJECT",
                         "taskName": task, "evaluator": "ASSESSMENT_OFFICE",
                         "attitude": scores[0], "responsibility": scores[1], "competence": scores[2],
                         "remarks": "项目攻坚中表现突出"},
               "meta": {"effective": on}}),
    )
    .await;
}

async fn profile(app: &TestApp, as_of: Option<&str>) -> Value {
    let reply = app
        .admin(
            "query($d: Date) { cadre(id: \"c001\", asOf: $d) {
               evaluations { evaluationId taskKind taskKindLabel taskName evaluator evaluatorLabel
                             attitude responsibility competence evaluatedOn }
               grades { year grade evaluationId } awards { awardId evaluationId }
               downReviews { reviewId status statusLabel evaluationId } } }",
            json!({"d": as_of}),
        )
        .await;
    reply.ok();
    reply.body["data"]["cadre"].clone()
}

async fn assessment_figures(app: &TestApp, as_of: &str) -> Vec<(String, String, f64)> {
    let mut out = figures(app, as_of, "assessment").await;
    out.retain(|(metric, _, _)| metric.starts_with("evaluation"));
    out
}

async fn second_cadre(app: &TestApp) {
    cmd(app, &app.admin, "registerCadre", "RegisterCadreInput!", json!({"input": {
        "cadreId": "c002", "name": "李娜", "idNumber": id_number("1984-03-02", 22), "gender": "FEMALE",
        "birthDate": "1984-03-02", "unitId": "fgw", "rank": "PRINCIPAL_CLERK_2", "rankSince": "2020-01-01"},
        "meta": {"effective": "2020-01-02"}})).await;
}

#[tokio::test]
async fn an_evaluation_shows_on_the_profile_and_the_dashboard_and_grounds_a_grade_an_award_and_a_review()
 {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    second_cadre(&app).await;
    evaluate(
        &app,
        "c001",
        "e1",
        "新能源电池产业园项目",
        [92.0, 88.0, 90.0],
        "2025-03-01",
    )
    .await;
    evaluate(
        &app,
        "c002",
        "e2",
        "新能源电池产业园项目",
        [80.0, 84.0, 82.0],
        "2025-04-01",
    )
    .await;

    // The profile lists it, with its labels; the day before, it is not there yet.
    let p = profile(&app, None).await;
    assert_eq!(
        p["evaluations"],
        json!([{"evaluationId": "e1", "taskKind": "INDUSTRIAL_PROJECT", "taskKindLabel": "区级重大产业项目",
                "taskName": "新能源电池产业园项目", "evaluator": "ASSESSMENT_OFFICE", "evaluatorLabel": "考核办",
                "attitude": 92.0, "responsibility": 88.0, "competence": 90.0, "evaluatedOn": "2025-03-01"}]),
        "{p:#}"
    );
    let before = profile(&app, Some("2025-02-28")).await;
    assert_eq!(before["evaluations"], json!([]), "{before:#}");

    // The assessment dashboard: evaluations per year, by task and evaluator, mean scores.
    let figures = assessment_figures(&app, "2025-12-31").await;
    for expected in [
        ("evaluations", "2025", 2.0),
        (
            "evaluations_by_task",
            "2025/industrial_project/新能源电池产业园项目",
            2.0,
        ),
        ("evaluations_by_evaluator", "2025/assessment_office", 2.0),
        ("evaluation_score_mean", "2025/attitude", 86.0),
        ("evaluation_score_mean", "2025/responsibility", 86.0),
        ("evaluation_score_mean", "2025/competence", 86.0),
    ] {
        let (metric, key, value) = expected;
        assert!(
            figures.contains(&(metric.to_owned(), key.to_owned(), value)),
            "{expected:?} not in {figures:?}"
        );
    }
    // As of a date between the two, only the first counts.
    let then = assessment_figures(&app, "2025-03-15").await;
    assert!(
        then.contains(&("evaluations".to_owned(), "2025".to_owned(), 1.0)),
        "{then:?}"
    );
    assert!(
        then.contains(&(
            "evaluation_score_mean".to_owned(),
            "2025/attitude".to_owned(),
            92.0
        )),
        "{then:?}"
    );

    // Cited as the basis of a grade, an award and a down review.
    cmd(&app, &app.admin, "recordGrade", "RecordGradeInput!",
        json!({"input": {"cadreId": "c001", "unitId": "fgw", "year": 2024, "grade": "COMPETENT", "evaluationId": "e1"},
               "meta": {"effective": "2025-03-10", "basis": "姜考〔2025〕2号"}})).await;
    cmd(&app, &app.admin, "grantAward", "GrantAwardInput!",
        json!({"input": {"cadreId": "c001", "awardId": "xm-2025", "kind": "OTHER", "title": "重大项目攻坚先进个人",
                         "year": 2025, "evaluationId": "e1"},
               "meta": {"effective": "2025-03-20"}})).await;
    cmd(
        &app,
        &app.admin,
        "openDownReview",
        "OpenDownReviewInput!",
        json!({"input": {"reviewId": "r1", "cadreId": "c001", "trigger": "REVERSE_EVALUATION",
                         "reason": "项目推进中反映担当不足", "evaluationId": "e1"},
               "meta": {"effective": "2025-05-01"}}),
    )
    .await;
    let p = profile(&app, None).await;
    assert_eq!(
        p["grades"],
        json!([{"year": 2024, "grade": "COMPETENT", "evaluationId": "e1"}]),
        "{p:#}"
    );
    assert!(
        p["awards"]
            .as_array()
            .unwrap()
            .contains(&json!({"awardId": "xm-2025", "evaluationId": "e1"})),
        "{p:#}"
    );
    assert_eq!(
        p["downReviews"],
        json!([{"reviewId": "r1", "status": "OPEN", "statusLabel": "研判中", "evaluationId": "e1"}]),
        "{p:#}"
    );
}

#[tokio::test]
async fn citing_a_missing_or_another_cadres_evaluation_is_refused_and_writes_nothing() {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    second_cadre(&app).await;
    evaluate(
        &app,
        "c002",
        "e2",
        "城北污水处理厂重点工程",
        [80.0, 84.0, 82.0],
        "2025-02-01",
    )
    .await;

    let before = app.head().await;
    for (cited, cadre) in [("e2", "c001"), ("none", "c001")] {
        let reply = app
            .admin(
                "mutation($e: String) { recordGrade(input: {cadreId: \"c001\", unitId: \"fgw\", year: 2024, grade: COMPETENT, evaluationId: $e},
                   meta: {effective: \"2025-03-10\"}) { streamVersion } }",
                json!({"e": cited}),
            )
            .await;
        assert_eq!(reply.codes(), ["NOT_FOUND"], "{:#}", reply.body);
        let message = reply.first_error()["message"].as_str().unwrap();
        assert_eq!(
            reply.first_error()["extensions"]["rule"],
            "EVALUATION_NOT_FOUND",
            "{:#}",
            reply.body
        );
        assert!(message.contains(&format!("张明（{cadre}）")), "{message}");
        assert!(message.contains(cited), "{message}");
    }
    let reply = app
        .admin(
            "mutation { grantAward(input: {cadreId: \"c001\", awardId: \"a1\", kind: OTHER, title: \"先进个人\", year: 2025, evaluationId: \"e2\"},
               meta: {effective: \"2025-03-10\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    assert_eq!(reply.codes(), ["NOT_FOUND"], "{:#}", reply.body);
    let reply = app
        .admin(
            "mutation { openDownReview(input: {reviewId: \"r9\", cadreId: \"c001\", trigger: REVERSE_EVALUATION, reason: \"反向研判\", evaluationId: \"e2\"},
               meta: {effective: \"2025-03-10\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    assert_eq!(reply.codes(), ["NOT_FOUND"], "{:#}", reply.body);
    // A score out of range is refused too.
    let reply = app
        .admin(
            "mutation { recordEvaluation(input: {cadreId: \"c001\", evaluationId: \"e1\", taskKind: KEY_PROJECT, taskName: \"城北污水处理厂\",
               evaluator: INSPECTION_OFFICE, attitude: 120, responsibility: 80, competence: 80}, meta: {effective: \"2025-03-10\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
    assert_eq!(app.head().await, before, "nothing was written");
    let p = profile(&app, None).await;
    assert_eq!(p["grades"], json!([]), "{p:#}");
    assert_eq!(p["evaluations"], json!([]), "{p:#}");
}
