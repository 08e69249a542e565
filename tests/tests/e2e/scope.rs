//! Scopes over time and over one's own record: a unit head reads a cadre as of a date by the unit the cadre was in that day; a cadre reads their own timeline and audit trail, nobody else's.

use dossier_domain::Role;
use dossier_tests::{TestApp, id_number, spawn_app};
use serde_json::json;

use crate::flow::setup;

/// The setup's cadre c001 (head of fgw since 2020-01-10) rotated to head of sw on 2025-06-01.
async fn rotated(app: &TestApp) {
    setup(app).await;
    TestApp::expect_ok(
        app.admin(
            "mutation($input: RotateInput!) { rotate(input: $input, meta: {effective: \"2025-06-01\"}) { streamVersion } }",
            json!({"input": {
                "cadreId": "c001", "kind": "CULTIVATING", "reason": "交流培养", "fromPostId": "head",
                "toUnitId": "sw", "toPostId": "head", "approvedBy": "区委常委会", "documentNumber": "姜委〔2025〕21号"}}),
        )
        .await,
        "rotate",
    );
}

const AS_OF_BEFORE: &str = "{ cadre(id: \"c001\", asOf: \"2025-05-31\") { unitId } }";
const AS_OF_AFTER: &str = "{ cadre(id: \"c001\", asOf: \"2025-06-02\") { unitId } }";

#[tokio::test]
async fn a_unit_head_reads_a_cadre_as_of_a_date_when_the_cadre_was_in_their_unit() {
    let app = spawn_app().await;
    rotated(&app).await;
    let fgw_head = app.token(Role::UnitHead, Some("fgw")).await;
    let reply = app.gql(Some(&fgw_head), AS_OF_BEFORE, json!({})).await;
    reply.ok();
    assert_eq!(reply.data("cadre.unitId"), "fgw");
    // Today the cadre serves elsewhere: not theirs to read now, nor after the move.
    let now = app
        .gql(
            Some(&fgw_head),
            "{ cadre(id: \"c001\") { unitId } }",
            json!({}),
        )
        .await;
    assert_eq!(now.codes(), ["FORBIDDEN"], "{:#}", now.body);
    let after = app.gql(Some(&fgw_head), AS_OF_AFTER, json!({})).await;
    assert_eq!(after.codes(), ["FORBIDDEN"], "{:#}", after.body);
}

#[tokio::test]
async fn a_unit_head_may_not_read_a_cadre_as_of_a_date_when_the_cadre_was_in_another_unit() {
    let app = spawn_app().await;
    rotated(&app).await;
    let sw_head = app.token(Role::UnitHead, Some("sw")).await;
    let reply = app.gql(Some(&sw_head), AS_OF_BEFORE, json!({})).await;
    assert_eq!(reply.codes(), ["FORBIDDEN"], "{:#}", reply.body);
    assert!(
        reply
            .body
            .get("data")
            .is_none_or(|d| d.is_null() || d["cadre"].is_null()),
        "no data leaks with the refusal: {:#}",
        reply.body
    );
    // After the move the cadre is theirs.
    let after = app.gql(Some(&sw_head), AS_OF_AFTER, json!({})).await;
    after.ok();
    assert_eq!(after.data("cadre.unitId"), "sw");
}

/// A second cadre, c002, in fgw; and a supervision entry about c001.
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
    TestApp::expect_ok(
        app.admin(
            "mutation { recordSupervision(input: {entryId: \"s1\", cadreId: \"c001\", source: ORG_SECTION, sourceName: \"干部监督科\", channel: MEETING, kind: DAILY_CONDUCT, tone: NEUTRAL, content: \"列席民主生活会\", observedOn: \"2025-03-01\"}, meta: {effective: \"2025-03-01\"}) { streamVersion } }",
            json!({}),
        )
        .await,
        "recordSupervision",
    );
}

#[tokio::test]
async fn a_cadre_reads_their_own_timeline_but_not_supervision_entries_about_them() {
    let app = spawn_app().await;
    two_cadres(&app).await;
    let me = app.token(Role::Cadre, Some("c001")).await;
    let reply = app
        .gql(
            Some(&me),
            "{ cadreTimeline(cadreId: \"c001\") { streamId type payload } }",
            json!({}),
        )
        .await;
    reply.ok();
    let events = reply.data("cadreTimeline").as_array().unwrap().clone();
    let types: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert!(types.contains(&"cadre.Registered"), "{types:?}");
    assert!(types.contains(&"cadre.Appointed"), "{types:?}");
    assert_eq!(events[0]["payload"]["name"], "张明");
    assert!(
        events
            .iter()
            .all(|e| !e["streamId"].as_str().unwrap().starts_with("supervision-")),
        "supervision details stay with 组织部 and 纪检监察: {events:#?}"
    );
    // The organization department sees the supervision entry in the same timeline.
    let full = app
        .admin(
            "{ cadreTimeline(cadreId: \"c001\") { streamId } }",
            json!({}),
        )
        .await;
    full.ok();
    assert!(
        full.body.to_string().contains("supervision-s1"),
        "{:#}",
        full.body
    );
}

#[tokio::test]
async fn a_cadre_may_not_read_another_cadres_timeline() {
    let app = spawn_app().await;
    two_cadres(&app).await;
    let me = app.token(Role::Cadre, Some("c001")).await;
    let reply = app
        .gql(
            Some(&me),
            "{ cadreTimeline(cadreId: \"c002\") { type } }",
            json!({}),
        )
        .await;
    assert_eq!(reply.codes(), ["FORBIDDEN"], "{:#}", reply.body);
}

#[tokio::test]
async fn a_cadre_reads_the_audit_trail_of_their_own_record() {
    let app = spawn_app().await;
    two_cadres(&app).await;
    let me = app.token(Role::Cadre, Some("c001")).await;
    let reply = app
        .gql(
            Some(&me),
            "{ auditTrail(streamId: \"cadre-c001\") { type actor role basis payload } }",
            json!({}),
        )
        .await;
    reply.ok();
    assert_eq!(reply.data("auditTrail.0.type"), "cadre.Registered");
    assert_eq!(reply.data("auditTrail.0.basis"), "姜组〔2020〕1号");
    assert_eq!(reply.data("auditTrail.0.role"), "ORG_ADMIN");
    assert_eq!(reply.data("auditTrail.0.payload.cadre_id"), "c001");
}

#[tokio::test]
async fn a_cadre_may_not_read_the_audit_trail_of_another_record() {
    let app = spawn_app().await;
    two_cadres(&app).await;
    let me = app.token(Role::Cadre, Some("c001")).await;
    for stream in ["cadre-c002", "supervision-s1", "unit-fgw"] {
        let reply = app
            .gql(
                Some(&me),
                "query($s: String!) { auditTrail(streamId: $s) { type } }",
                json!({"s": stream}),
            )
            .await;
        assert_eq!(reply.codes(), ["FORBIDDEN"], "{stream}: {:#}", reply.body);
    }
}

#[tokio::test]
async fn a_refusal_of_access_names_its_rule_and_the_people_and_units_by_name() {
    let app = spawn_app().await;
    two_cadres(&app).await;
    // A cadre reads only their own record.
    let c002 = app.token(Role::Cadre, Some("c002")).await;
    let reply = app
        .gql(Some(&c002), "{ cadre(id: \"c001\") { name } }", json!({}))
        .await;
    assert_eq!(reply.codes(), ["FORBIDDEN"], "{:#}", reply.body);
    let err = reply.first_error();
    assert_eq!(
        err["extensions"]["rule"], "SCOPE_OTHER_CADRE",
        "{:#}",
        reply.body
    );
    let message = err["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("李华（c002）") && message.contains("张明（c001）"),
        "{message}"
    );
    // A unit head reads only their unit's cadres.
    let sw_head = app.token(Role::UnitHead, Some("sw")).await;
    let reply = app
        .gql(
            Some(&sw_head),
            "{ cadre(id: \"c001\") { name } }",
            json!({}),
        )
        .await;
    let err = reply.first_error();
    assert_eq!(
        err["extensions"]["rule"], "SCOPE_OTHER_UNIT",
        "{:#}",
        reply.body
    );
    let message = err["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("区商务局（sw）")
            && message.contains("张明（c001）")
            && message.contains("区发展和改革委员会（fgw）"),
        "{message}"
    );
    let reply = app
        .gql(Some(&sw_head), "{ unit(id: \"fgw\") { name } }", json!({}))
        .await;
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        "SCOPE_OTHER_UNIT",
        "{:#}",
        reply.body
    );
    // A role that may not run a command at all.
    let analyst = app.token(Role::Analyst, None).await;
    let before = app.head().await;
    let reply = app
        .gql(
            Some(&analyst),
            "mutation { openQuota(year: 2026, size: 4) { streamVersion } }",
            json!({}),
        )
        .await;
    assert_eq!(reply.codes(), ["FORBIDDEN"], "{:#}", reply.body);
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        "FORBIDDEN_ROLE",
        "{:#}",
        reply.body
    );
    // The domain's own scope refusal keeps its rule: a cadre files only their own appeal.
    let reply = app
        .gql(
            Some(&c002),
            "mutation { fileAppeal(input: {appealId: \"a9\", cadreId: \"c001\", level: DISTRICT, summary: \"代提诉求\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    assert_eq!(reply.codes(), ["FORBIDDEN"], "{:#}", reply.body);
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        "FORBIDDEN_SCOPE",
        "{:#}",
        reply.body
    );
    assert_eq!(app.head().await, before, "nothing was written");
}
