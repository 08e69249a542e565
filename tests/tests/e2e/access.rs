//! The access matrix: every role against every sensitive field and mutation. A forbidden field is a
//! FORBIDDEN error (never a silent null); a refused mutation writes nothing; reads of supervision details are recorded.

use dossier_domain::Role;
use dossier_tests::{TestApp, spawn_app};
use serde_json::json;

use crate::flow::setup;

/// Callers: (name, token or none).
async fn callers(app: &TestApp) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("org_admin", Some(app.admin.clone())),
        (
            "discipline",
            Some(app.token(Role::DisciplineInspector, None).await),
        ),
        (
            "unit_head_fgw",
            Some(app.token(Role::UnitHead, Some("fgw")).await),
        ),
        (
            "unit_head_sw",
            Some(app.token(Role::UnitHead, Some("sw")).await),
        ),
        (
            "cadre_c001",
            Some(app.token(Role::Cadre, Some("c001")).await),
        ),
        (
            "cadre_c002",
            Some(app.token(Role::Cadre, Some("c002")).await),
        ),
        ("auditor", Some(app.token(Role::Auditor, None).await)),
        ("analyst", Some(app.token(Role::Analyst, None).await)),
        ("anonymous", None),
    ]
}

async fn world() -> TestApp {
    let app = spawn_app().await;
    setup(&app).await;
    let reply = app
        .admin(
            "mutation { recordSupervision(input: {entryId: \"s1\", cadreId: \"c001\", source: ORG_SECTION, sourceName: \"干部监督科\", channel: MEETING, kind: DAILY_CONDUCT, tone: NEUTRAL, content: \"列席民主生活会\", observedOn: \"2025-03-01\"}, meta: {effective: \"2025-03-01\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    TestApp::expect_ok(reply, "recordSupervision");
    app
}

/// Assert that exactly the `allowed` callers get the query through; the others get
/// FORBIDDEN (UNAUTHENTICATED without a token) and the log does not change.
async fn matrix(app: &TestApp, query: &str, allowed: &[&str]) {
    for (name, token) in callers(app).await {
        let before = app.head().await;
        let reply = app.gql(token.as_deref(), query, json!({})).await;
        let codes = reply.codes();
        if allowed.contains(&name) {
            assert!(
                codes.is_empty(),
                "{name} should be allowed `{query}`: {:#}",
                reply.body
            );
        } else {
            let expected = if token.is_none() {
                "UNAUTHENTICATED"
            } else {
                "FORBIDDEN"
            };
            assert!(
                codes.iter().any(|c| c == expected),
                "{name} should get {expected} for `{query}`: {:#}",
                reply.body
            );
            assert!(
                codes.iter().all(|c| c == expected),
                "{name}: {:#}",
                reply.body
            );
            if query.starts_with("mutation") {
                assert_eq!(
                    app.head().await,
                    before,
                    "{name}: a refused mutation wrote to the log"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_cadre_profile_is_read_by_the_district_roles_the_unit_head_and_the_cadre_only() {
    let app = world().await;
    matrix(
        &app,
        "{ cadre(id: \"c001\") { name rank grades { year } } }",
        &[
            "org_admin",
            "discipline",
            "unit_head_fgw",
            "cadre_c001",
            "auditor",
        ],
    )
    .await;
}

#[tokio::test]
async fn supervision_counts_in_a_profile_are_for_organization_and_discipline_only() {
    let app = world().await;
    matrix(
        &app,
        "{ cadre(id: \"c001\") { supervision { source category count } } }",
        &["org_admin", "discipline"],
    )
    .await;
}

#[tokio::test]
async fn supervision_records_are_for_organization_and_discipline_only_and_each_read_is_recorded() {
    let app = world().await;
    matrix(
        &app,
        "{ supervisionRecords(cadreId: \"c001\") { type payload } }",
        &["org_admin", "discipline"],
    )
    .await;
    let log = app
        .store
        .read_stream("access-log", Default::default())
        .await
        .unwrap();
    assert_eq!(log.len(), 2, "one access event per allowed read: {log:#?}");
    assert!(
        log.iter()
            .any(|e| e.metadata.role == "discipline_inspector" && e.payload.contains("c001"))
    );
}

#[tokio::test]
async fn the_audit_trail_of_a_supervision_stream_is_for_organization_and_discipline_only() {
    let app = world().await;
    matrix(
        &app,
        "{ auditTrail(streamId: \"supervision-s1\") { type payload } }",
        &["org_admin", "discipline"],
    )
    .await;
}

#[tokio::test]
async fn a_supervision_stream_is_absent_from_the_event_log_of_the_auditor_and_read_in_full_by_discipline()
 {
    let app = world().await;
    let auditor = app.token(Role::Auditor, None).await;
    let reply = app
        .gql(
            Some(&auditor),
            "{ eventLog(streamPrefix: \"supervision-\") { events { type payload } } }",
            json!({}),
        )
        .await;
    reply.ok();
    assert_eq!(
        reply.data("eventLog.events"),
        &json!([]),
        "{:#}",
        reply.body
    );
    // The discipline inspector reads it, and the read is recorded.
    let inspector = app.token(Role::DisciplineInspector, None).await;
    let reply = app
        .gql(
            Some(&inspector),
            "{ eventLog(streamPrefix: \"supervision-\") { events { payload } } }",
            json!({}),
        )
        .await;
    reply.ok();
    assert!(
        reply.data("eventLog.events.0.payload.content").is_string(),
        "{:#}",
        reply.body
    );
    let log = app
        .store
        .read_stream("access-log", Default::default())
        .await
        .unwrap();
    assert_eq!(log.len(), 1, "{log:#?}");
    assert_eq!(log[0].metadata.role, "discipline_inspector");
}

#[tokio::test]
async fn the_audit_trail_of_a_cadre_is_for_the_district_reading_roles() {
    let app = world().await;
    matrix(
        &app,
        "{ auditTrail(streamId: \"cadre-c001\") { type } }",
        // …and for the cadre whose record it is.
        &["org_admin", "discipline", "auditor", "cadre_c001"],
    )
    .await;
}

#[tokio::test]
async fn the_event_log_is_for_the_district_reading_roles() {
    let app = world().await;
    matrix(
        &app,
        "{ eventLog { head } }",
        &["org_admin", "discipline", "auditor"],
    )
    .await;
}

#[tokio::test]
async fn verification_is_for_auditors_and_the_organization_department() {
    let app = world().await;
    matrix(&app, "{ verifyLog { ok } }", &["org_admin", "auditor"]).await;
}

#[tokio::test]
async fn dashboards_are_for_analysts_and_district_roles() {
    let app = world().await;
    matrix(
        &app,
        "{ dashboards { figures { value } } }",
        &["org_admin", "discipline", "auditor", "analyst"],
    )
    .await;
}

#[tokio::test]
async fn the_cadre_list_is_not_for_analysts_or_cadres() {
    let app = world().await;
    matrix(
        &app,
        "{ cadres { edges { node { name } } } }",
        &[
            "org_admin",
            "discipline",
            "auditor",
            "unit_head_fgw",
            "unit_head_sw",
        ],
    )
    .await;
}

#[tokio::test]
async fn a_unit_head_lists_only_their_own_unit() {
    let app = world().await;
    let head = app.token(Role::UnitHead, Some("sw")).await;
    let reply = app
        .gql(
            Some(&head),
            "{ cadres { edges { node { cadreId } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        reply.data("cadres.edges"),
        &json!([]),
        "c001 serves in fgw: {:#}",
        reply.body
    );
    let reply = app
        .gql(
            Some(&head),
            "{ cadres(unitId: \"fgw\") { edges { node { cadreId } } } }",
            json!({}),
        )
        .await;
    assert_eq!(reply.codes(), ["FORBIDDEN"]);
}

#[tokio::test]
async fn leads_are_for_organization_and_discipline_only() {
    let app = world().await;
    matrix(
        &app,
        "{ leads { nodes { leadId } } }",
        &["org_admin", "discipline"],
    )
    .await;
}

#[tokio::test]
async fn supervision_entries_are_recorded_by_organization_and_discipline_only() {
    let app = world().await;
    // Each allowed caller writes its own entry id, so the matrix runs the same query text per caller.
    for (name, token) in callers(&app).await {
        // Each role records under its own source (纪检派驻组 for discipline, 组织部科室 otherwise).
        let source = if name == "discipline" {
            "DISCIPLINE_GROUP"
        } else {
            "ORG_SECTION"
        };
        let query = format!(
            "mutation {{ recordSupervision(input: {{entryId: \"m-{name}\", cadreId: \"c001\", source: {source}, sourceName: \"干部科\", channel: SURVEY, kind: KEY_WORK_PERFORMANCE, tone: POSITIVE, content: \"调研\", observedOn: \"2025-04-01\"}}, meta: {{effective: \"2025-04-01\"}}) {{ streamVersion }} }}"
        );
        let before = app.head().await;
        let reply = app.gql(token.as_deref(), &query, json!({})).await;
        if ["org_admin", "discipline"].contains(&name) {
            assert!(reply.codes().is_empty(), "{name}: {:#}", reply.body);
        } else {
            assert_eq!(reply.codes().len(), 1, "{name}: {:#}", reply.body);
            assert!(
                ["FORBIDDEN", "UNAUTHENTICATED"].contains(&reply.codes()[0].as_str()),
                "{name}: {:#}",
                reply.body
            );
            assert_eq!(app.head().await, before, "{name} wrote to the log");
        }
    }
}

#[tokio::test]
async fn only_the_organization_department_registers_cadres() {
    let app = world().await;
    matrix(
        &app,
        "mutation { registerUnit(input: {unitId: \"x\", name: \"某单位\"}, meta: {effective: \"2021-01-01\"}) { streamVersion } }",
        &["org_admin"],
    )
    .await;
}

#[tokio::test]
async fn a_cadre_files_appeals_for_themself_only() {
    let app = world().await;
    for (name, token) in callers(&app).await {
        let query = format!(
            "mutation {{ fileAppeal(input: {{appealId: \"ap-{name}\", cadreId: \"c001\", level: DISTRICT, summary: \"诉求\"}}, meta: {{effective: \"2025-07-01\"}}) {{ streamVersion }} }}"
        );
        let before = app.head().await;
        let reply = app.gql(token.as_deref(), &query, json!({})).await;
        if ["org_admin", "cadre_c001"].contains(&name) {
            assert!(reply.codes().is_empty(), "{name}: {:#}", reply.body);
        } else {
            assert!(
                ["FORBIDDEN", "UNAUTHENTICATED"].contains(&reply.codes()[0].as_str()),
                "{name}: {:#}",
                reply.body
            );
            assert_eq!(app.head().await, before, "{name} wrote to the log");
        }
    }
}

#[tokio::test]
async fn every_mutation_records_actor_and_role() {
    let app = world().await;
    let events = app
        .store
        .read_stream("supervision-s1", Default::default())
        .await
        .unwrap();
    assert_eq!(events[0].metadata.role, "org_admin");
    assert!(events[0].metadata.actor.starts_with("组织部测试管理员#"));
    // The API reads the recorded role as the role enum, in the audit trail and in the log.
    let read = app
        .admin(
            "{ auditTrail(streamId: \"supervision-s1\") { actor role }
               eventLog(streamPrefix: \"supervision-s1\") { events { role } } }",
            json!({}),
        )
        .await;
    read.ok();
    assert_eq!(read.data("auditTrail.0.role"), "ORG_ADMIN");
    assert_eq!(read.data("eventLog.events.0.role"), "ORG_ADMIN");
}

#[tokio::test]
async fn an_event_recorded_in_a_role_outside_dossier_s_roles_reads_with_a_null_role() {
    use dossier_store::{ExpectedVersion, Metadata, NewEvent};
    let app = world().await;
    // Written past the API (as a log imported from another program could hold).
    let payload = json!({"actor": "clerk", "role": "clerk", "what": "test", "ids": []});
    app.store
        .append(
            "access-log",
            ExpectedVersion::Any,
            vec![NewEvent::new(
                "access.Read",
                1,
                payload.to_string(),
                chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            )],
            Metadata::new("clerk", "clerk"),
        )
        .await
        .unwrap();
    let read = app
        .admin(
            "{ eventLog(streamPrefix: \"access-log\", first: 500) { events { actor role } } }",
            json!({}),
        )
        .await;
    read.ok();
    let events = read.data("eventLog.events").as_array().unwrap().clone();
    let last = events.last().unwrap();
    assert_eq!(last, &json!({"actor": "clerk", "role": null}), "{events:?}");
    assert!(
        events[..events.len() - 1]
            .iter()
            .all(|e| e["role"].is_string()),
        "{events:?}"
    );
}
