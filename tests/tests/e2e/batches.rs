//! Batch inputs that list cadres (award batches, the three-good contest, assessment grades): a cadre listed twice is a VALIDATION error naming the cadre (by name and id where the message names a cadre: 张明（c001）), and nothing is written.

use dossier_tests::{Reply, TestApp, id_number, spawn_app};
use serde_json::json;

use crate::flow::setup;

/// The shared setup plus a second cadre, c002, in fgw.
async fn two_cadres(app: &TestApp) {
    setup(app).await;
    TestApp::expect_ok(
        app.admin(
            "mutation($id: String!) { registerCadre(input: {cadreId: \"c002\", name: \"李华\", idNumber: $id, unitId: \"fgw\"}, meta: {effective: \"2021-01-01\"}) { streamVersion } }",
            json!({"id": id_number("1985-02-03", 7)}),
        )
        .await,
        "registerCadre",
    );
}

/// The reply is one VALIDATION error whose message names `id`, and the log did not move.
async fn refused_naming(app: &TestApp, reply: &Reply, id: &str, head_before: u64) {
    assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
    let message = reply.first_error()["message"].as_str().unwrap();
    assert!(message.contains(id), "the message names {id}: {message}");
    assert_eq!(app.head().await, head_before, "nothing written");
}

#[tokio::test]
async fn a_cadre_listed_twice_in_an_award_batch_is_a_validation_error() {
    let app = spawn_app().await;
    two_cadres(&app).await;
    let before = app.head().await;
    let reply = app
        .admin(
            "mutation { announceSteedBatch(input: {batchId: \"steed-2025-1\", ordinal: 1, year: 2025, title: \"第一批骏马奖\", awardees: [{cadreId: \"c001\", citation: \"招商引资成效突出\"}, {cadreId: \"c002\", citation: \"项目推进有力\"}, {cadreId: \"c001\", citation: \"再次列出\"}]}, meta: {effective: \"2025-06-01\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    refused_naming(&app, &reply, "干部「张明（c001）」", before).await;
}

#[tokio::test]
async fn a_cadre_listed_twice_in_the_three_good_contest_is_a_validation_error() {
    let app = spawn_app().await;
    two_cadres(&app).await;
    let before = app.head().await;
    let reply = app
        .admin(
            "mutation { announceThreeGood(batchId: \"three-good-2025\", year: 2025, winners: [{category: LEADER, unitId: \"fgw\", cadreId: \"c001\", citation: \"好班长\"}, {category: DEPUTY, unitId: \"fgw\", cadreId: \"c001\", citation: \"好班副\"}], meta: {effective: \"2025-12-01\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    refused_naming(&app, &reply, "c001", before).await;
}

#[tokio::test]
async fn a_cadre_listed_twice_in_an_assessment_batch_is_a_validation_error() {
    let app = spawn_app().await;
    two_cadres(&app).await;
    let before = app.head().await;
    let reply = app
        .admin(
            "mutation { recordGrades(input: {unitId: \"fgw\", year: 2024, entries: [{cadreId: \"c002\", grade: COMPETENT}, {cadreId: \"c001\", grade: COMPETENT}, {cadreId: \"c002\", grade: EXCELLENT}]}, meta: {effective: \"2025-01-20\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    refused_naming(&app, &reply, "干部「李华（c002）」", before).await;
}

#[tokio::test]
async fn the_same_batches_without_duplicates_go_through() {
    let app = spawn_app().await;
    two_cadres(&app).await;
    TestApp::expect_ok(
        app.admin(
            "mutation { announceSteedBatch(input: {batchId: \"steed-2025-1\", ordinal: 1, year: 2025, title: \"第一批骏马奖\", awardees: [{cadreId: \"c001\", citation: \"招商引资成效突出\"}, {cadreId: \"c002\", citation: \"项目推进有力\"}]}, meta: {effective: \"2025-06-01\"}) { streamVersion } }",
            json!({}),
        )
        .await,
        "announceSteedBatch",
    );
    TestApp::expect_ok(
        app.admin(
            "mutation { recordGrades(input: {unitId: \"fgw\", year: 2024, entries: [{cadreId: \"c002\", grade: COMPETENT}, {cadreId: \"c001\", grade: COMPETENT}]}, meta: {effective: \"2025-01-20\"}) { streamVersion } }",
            json!({}),
        )
        .await,
        "recordGrades",
    );
}
