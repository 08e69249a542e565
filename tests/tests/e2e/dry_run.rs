//! Dry runs (`meta: { dryRun: true }`): the events a command would append, or its refusal with every obstacle, and nothing written — no event, no command id, no read-model change.

use dossier_domain::Role;
use dossier_tests::{TestApp, spawn_app};
use serde_json::json;

use crate::flow::setup;

const GRADES: &str = "mutation($m: CommandMeta) { recordGrades(input: {unitId: \"fgw\", year: 2024, entries: [{cadreId: \"c001\", grade: \"COMPETENT\"}]}, meta: $m) { streamId streamVersion position dryRun deduplicated events { streamId type position streamVersion } } }";
const PROMOTE: &str = "mutation($m: CommandMeta) { promoteRank(input: {cadreId: \"c001\", to: RESEARCHER_4, documentNumber: \"姜组〔2025〕9号\", approvedBy: \"区委组织部\"}, meta: $m) { dryRun events { type } } }";
const ADMONISH: &str = "mutation($m: CommandMeta) { issueAdmonition(cadreId: \"c001\", admonitionId: \"adm1\", reason: \"作风问题\", meta: $m) { streamVersion } }";

/// Everything a dry run must leave as it was: the log's head, every read model's checkpoint.
async fn footprint(app: &TestApp) -> (u64, Vec<(&'static str, u64)>) {
    (app.head().await, app.projections.read(|m| m.checkpoints()))
}

#[tokio::test]
async fn a_dry_run_lists_the_events_across_streams_and_writes_nothing() {
    let app = spawn_app().await;
    setup(&app).await;
    let before = footprint(&app).await;
    let meta = json!({"m": {"effective": "2025-01-20", "basis": "姜考〔2025〕1号", "commandId": "grades-2024", "dryRun": true}});
    let dry = TestApp::expect_ok(app.admin(GRADES, meta).await, "recordGrades");
    assert_eq!(dry["dryRun"], true);
    let types: Vec<_> = dry["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["streamId"].as_str().unwrap().to_owned(),
                e["type"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        types.iter().any(|(s, _)| s.starts_with("assessment-")),
        "{types:?}"
    );
    assert!(
        types
            .iter()
            .any(|(s, t)| s == "cadre-c001" && t == "cadre.GradeRecorded"),
        "the follow-up on the cadre's stream is listed: {types:?}"
    );
    assert_eq!(
        footprint(&app).await,
        before,
        "log and read models unchanged"
    );
    assert!(
        app.store.command("grades-2024").await.unwrap().is_none(),
        "the command id is not recorded"
    );
    // The real command, under the same command id, appends what the dry run showed, where it said.
    let real = TestApp::expect_ok(
        app.admin(
            GRADES,
            json!({"m": {"effective": "2025-01-20", "basis": "姜考〔2025〕1号", "commandId": "grades-2024"}}),
        )
        .await,
        "recordGrades",
    );
    assert_eq!(real["dryRun"], false);
    assert_eq!(real["deduplicated"], false);
    assert_eq!(real["events"], dry["events"]);
    assert_eq!(real["position"], dry["position"]);
    assert_eq!(real["streamVersion"], dry["streamVersion"]);
}

#[tokio::test]
async fn a_dry_run_refusal_lists_every_obstacle_and_writes_nothing() {
    let app = spawn_app().await;
    setup(&app).await;
    TestApp::expect_ok(
        app.admin(ADMONISH, json!({"m": {"effective": "2025-03-01"}}))
            .await,
        "issueAdmonition",
    );
    let before = footprint(&app).await;
    let reply = app
        .admin(
            PROMOTE,
            json!({"m": {"effective": "2025-07-01", "dryRun": true}}),
        )
        .await;
    assert_eq!(reply.codes(), ["RULE_REFUSED"], "{:#}", reply.body);
    let ext = &reply.first_error()["extensions"];
    assert_eq!(ext["rule"], "PROMOTION_ADMONITION_PERIOD");
    let obstacles = ext["obstacles"].as_array().expect("obstacles listed");
    let codes: Vec<_> = obstacles
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["PROMOTION_ADMONITION_PERIOD", "PROMOTION_PUBLIC_NOTICE"]
    );
    // The admonition's effect period ends by itself; the public notice needs an act.
    assert!(obstacles[0]["liftsOn"].is_string(), "{obstacles:?}");
    assert!(obstacles[1].get("liftsOn").is_none(), "{obstacles:?}");
    assert!(obstacles[1]["message"].as_str().unwrap().contains("公示"));
    // The real command is refused the same way.
    let real = app
        .admin(PROMOTE, json!({"m": {"effective": "2025-07-01"}}))
        .await;
    assert_eq!(real.first_error()["extensions"], *ext);
    assert_eq!(footprint(&app).await, before);
}

#[tokio::test]
async fn a_dry_run_is_held_to_the_commands_roles() {
    let app = spawn_app().await;
    setup(&app).await;
    let analyst = app.token(Role::Analyst, None).await;
    let before = footprint(&app).await;
    let reply = app
        .gql(
            Some(&analyst),
            GRADES,
            json!({"m": {"effective": "2025-01-20", "dryRun": true}}),
        )
        .await;
    assert_eq!(reply.codes(), ["FORBIDDEN"], "{:#}", reply.body);
    assert_eq!(footprint(&app).await, before);
}
