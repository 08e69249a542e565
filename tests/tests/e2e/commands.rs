//! Commands through GraphQL: optimistic concurrency, idempotent retries, refusals that name their rule — none of them writing anything they should not.

use dossier_tests::{TestApp, id_number, spawn_app};
use serde_json::json;

use crate::flow::setup;

const CLAIM: &str = "mutation($m: CommandMeta) { claimAppeal(appealId: \"a1\", handler: \"办公室\", meta: $m) { streamVersion } }";
const FILE: &str = "mutation($m: CommandMeta) { fileAppeal(input: {appealId: \"a1\", cadreId: \"c001\", level: DISTRICT, summary: \"待遇未落实\"}, meta: $m) { streamId streamVersion position deduplicated events { type } } }";
const LIST: &str = "mutation($m: CommandMeta) { listAppeal(appealId: \"a1\", assigneeUnitId: \"fgw\", meta: $m) { streamVersion position } }";

#[tokio::test]
async fn a_stale_expected_version_is_a_conflict_and_writes_nothing() {
    let app = spawn_app().await;
    setup(&app).await;
    let filed = TestApp::expect_ok(
        app.admin(FILE, json!({"m": {"effective": "2025-07-01"}}))
            .await,
        "fileAppeal",
    );
    assert_eq!(filed["streamVersion"], 1);
    let before = app.head().await;
    let reply = app
        .admin(
            LIST,
            json!({"m": {"effective": "2025-07-02", "expectedVersion": 0}}),
        )
        .await;
    assert_eq!(reply.codes(), ["CONFLICT"], "{:#}", reply.body);
    let ext = &reply.first_error()["extensions"];
    assert_eq!(ext["expected"], 0);
    assert_eq!(ext["actual"], 1);
    assert_eq!(ext["stream"], "appeal-a1");
    assert_eq!(app.head().await, before);
    // With the version it read, the same command goes through.
    let ok = TestApp::expect_ok(
        app.admin(
            LIST,
            json!({"m": {"effective": "2025-07-02", "expectedVersion": 1}}),
        )
        .await,
        "listAppeal",
    );
    assert_eq!(ok["streamVersion"], 2);
}

#[tokio::test]
async fn a_retried_command_id_returns_the_first_result() {
    let app = spawn_app().await;
    setup(&app).await;
    let meta = json!({"m": {"effective": "2025-07-01", "commandId": "file-a1-once"}});
    let first = TestApp::expect_ok(app.admin(FILE, meta.clone()).await, "fileAppeal");
    assert_eq!(first["deduplicated"], false);
    let head = app.head().await;
    let again = TestApp::expect_ok(app.admin(FILE, meta).await, "fileAppeal");
    assert_eq!(again["deduplicated"], true);
    assert_eq!(again["position"], first["position"]);
    assert_eq!(again["streamVersion"], first["streamVersion"]);
    assert_eq!(app.head().await, head, "a retry appends nothing");
}

#[tokio::test]
async fn a_refusal_names_the_rule_in_chinese_and_writes_nothing() {
    let app = spawn_app().await;
    setup(&app).await;
    TestApp::expect_ok(
        app.admin(FILE, json!({"m": {"effective": "2025-07-01"}}))
            .await,
        "fileAppeal",
    );
    let before = app.head().await;
    // 诉求领办 before 清单交办: no stage may be skipped.
    let reply = app
        .admin(CLAIM, json!({"m": {"effective": "2025-07-02"}}))
        .await;
    assert_eq!(reply.codes(), ["RULE_REFUSED"], "{:#}", reply.body);
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        "APPEAL_STAGE_OUT_OF_ORDER"
    );
    let message = reply.first_error()["message"].as_str().unwrap();
    assert!(
        message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{message}"
    );
    assert_eq!(app.head().await, before);
}

#[tokio::test]
async fn promotion_before_the_minimum_years_is_refused() {
    let app = spawn_app().await;
    setup(&app).await;
    let before = app.head().await;
    let reply = app
        .admin(
            "mutation($m: CommandMeta) { promoteRank(input: {cadreId: \"c001\", to: RESEARCHER_4, documentNumber: \"姜组〔2020〕9号\", approvedBy: \"区委组织部\"}, meta: $m) { streamVersion } }",
            json!({"m": {"effective": "2020-06-01"}}),
        )
        .await;
    assert_eq!(reply.codes(), ["RULE_REFUSED"], "{:#}", reply.body);
    assert!(
        reply.first_error()["extensions"]["rule"]
            .as_str()
            .unwrap()
            .starts_with("PROMOTION_"),
        "{:#}",
        reply.body
    );
    assert_eq!(app.head().await, before);
}

#[tokio::test]
async fn a_command_about_an_unknown_cadre_is_not_found() {
    let app = spawn_app().await;
    setup(&app).await;
    let before = app.head().await;
    let reply = app
        .admin(
            "mutation { fileAppeal(input: {appealId: \"a9\", cadreId: \"nobody\", level: DISTRICT, summary: \"x\"}, meta: {effective: \"2025-07-01\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    assert_eq!(reply.codes(), ["NOT_FOUND"], "{:#}", reply.body);
    assert_eq!(reply.first_error()["extensions"]["rule"], "CADRE_NOT_FOUND");
    assert_eq!(app.head().await, before);
}

#[tokio::test]
async fn a_wrong_id_number_check_digit_is_a_validation_error() {
    let app = spawn_app().await;
    setup(&app).await;
    let before = app.head().await;
    let good = id_number("1985-02-03", 7);
    let last = good.chars().last().unwrap();
    let bad = format!("{}{}", &good[..17], if last == '0' { '1' } else { '0' });
    let reply = app
        .admin(
            "mutation($id: String!) { registerCadre(input: {cadreId: \"c002\", name: \"李华\", idNumber: $id, unitId: \"fgw\"}, meta: {effective: \"2021-01-01\"}) { streamVersion } }",
            json!({"id": bad}),
        )
        .await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
    assert!(
        reply.first_error()["extensions"]["rule"].is_string(),
        "{:#}",
        reply.body
    );
    assert_eq!(app.head().await, before);
}

#[tokio::test]
async fn an_empty_required_text_is_refused_before_the_domain() {
    let app = spawn_app().await;
    let before = app.head().await;
    let reply = app
        .admin(
            "mutation { registerUnit(input: {unitId: \"\", name: \"空\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
    assert_eq!(app.head().await, before);
}

/// Another token re-sending a command id (any input, any expected version) learns nothing of
/// the first command; the same token with another input is refused too; nothing is written.
#[tokio::test]
async fn a_command_id_is_answered_only_to_its_principal_with_the_same_input() {
    let app = spawn_app().await;
    setup(&app).await;
    let meta = json!({"m": {"effective": "2025-07-01", "commandId": "victim-appeal"}});
    TestApp::expect_ok(app.admin(FILE, meta.clone()).await, "fileAppeal");
    let head = app.head().await;
    let other = app.token(dossier_domain::Role::OrgAdmin, None).await;
    for variables in [
        meta.clone(),
        json!({"m": {"effective": "2025-07-01", "commandId": "victim-appeal", "expectedVersion": 7}}),
        json!({"m": {"effective": "2025-07-03", "commandId": "victim-appeal"}}),
    ] {
        let reply = app.gql(Some(&other), FILE, variables).await;
        assert_eq!(
            reply.codes(),
            ["IDEMPOTENCY_KEY_REUSED"],
            "{:#}",
            reply.body
        );
        let text = reply.body.to_string();
        assert!(
            !text.contains("appeal.Filed") && !text.contains("待遇未落实"),
            "{text}"
        );
    }
    // The same token, another input (another effective date): refused, never answered
    // with events built from the new input.
    let reply = app
        .admin(
            FILE,
            json!({"m": {"effective": "2025-07-02", "commandId": "victim-appeal"}}),
        )
        .await;
    assert_eq!(
        reply.codes(),
        ["IDEMPOTENCY_KEY_REUSED"],
        "{:#}",
        reply.body
    );
    // The same token on another stream: a client error, not INTERNAL.
    let reply = app
        .admin(
            LIST,
            json!({"m": {"effective": "2025-07-02", "commandId": "victim-appeal"}}),
        )
        .await;
    assert_eq!(
        reply.codes(),
        ["IDEMPOTENCY_KEY_REUSED"],
        "{:#}",
        reply.body
    );
    assert_eq!(app.head().await, head, "nothing written");
    // The genuine retry still gets the stored events.
    let again = TestApp::expect_ok(app.admin(FILE, meta).await, "fileAppeal");
    assert_eq!(again["deduplicated"], true);
    assert_eq!(again["events"][0]["type"], "appeal.Filed");
}
