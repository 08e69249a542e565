//! How a selection case ends on other records, end to end: a cancelled case returns its pool's cadres to the reserve pool (在库),
//! and a failed probation (试用期不合格) removes the cadre from the post, on the profile and the unit view.

use dossier_tests::{TestApp, spawn_app};
use serde_json::{Value, json};

use crate::selection::{district, record, run_case, step};

const POOL: &str = "query($on: Date) { reservePool(asOf: $on) { inPool byStatus { band count } byAgeBand { band count } byEducation { band count } entries { cadreId name status statusZh ageBand education } } }";

async fn pool(app: &TestApp, on: &str) -> Value {
    let reply = app.admin(POOL, json!({"on": on})).await;
    reply.ok();
    reply.data("reservePool").clone()
}

fn status_of<'v>(pool: &'v Value, cadre: &str) -> &'v Value {
    let entry = pool["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["cadreId"] == cadre)
        .unwrap_or_else(|| panic!("{cadre} not in {pool:#}"));
    &entry["status"]
}

#[tokio::test]
async fn a_cancelled_case_returns_its_pool_cadres_to_the_reserve_pool() {
    let app = spawn_app().await;
    district(&app).await;
    for cadre in ["c101", "c103"] {
        let reply = app
            .admin(
                "mutation($c: String!) { nominateReserve(cadreId: $c, how: ORGANIZATION, nominatedBy: \"区委组织部\", meta: {effective: \"2024-06-01\"}) { streamVersion } }",
                json!({"c": cadre}),
            )
            .await;
        TestApp::expect_ok(reply, "nominateReserve");
    }
    step(
        &app,
        "moveSelection",
        "MoveSelectionInput!",
        json!({
        "caseId": "xr-2025-02", "unitId": "fgw", "proposer": "区委书记", "meeting": "WORKING_GROUP",
        "postIds": ["dep1"], "pool": ["c101", "c102", "c103"], "record": record("干部工作小组会")}),
        "2025-03-03",
    )
    .await;
    let drawn = pool(&app, "2025-03-04").await;
    assert_eq!(status_of(&drawn, "c101"), "UNDER_INSPECTION");
    assert_eq!(status_of(&drawn, "c103"), "UNDER_INSPECTION");
    assert_eq!(drawn["inPool"], 2, "考察中 still counts in the pool");

    let cancelled = app
        .admin(
            "mutation { cancelSelection(caseId: \"xr-2025-02\", reason: \"机构改革, 职位暂不补充\", meta: {effective: \"2025-03-10\"}) { events { type } } }",
            json!({}),
        )
        .await;
    let events = TestApp::expect_ok(cancelled, "cancelSelection");
    let types: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    // One write: the case's cancellation and both pool entries released (c102 has none).
    assert_eq!(
        types,
        [
            "selection.Cancelled",
            "reserve.StatusChanged",
            "reserve.StatusChanged"
        ]
    );
    let back = pool(&app, "2025-03-11").await;
    for cadre in ["c101", "c103"] {
        assert_eq!(status_of(&back, cadre), "IN_POOL", "{back:#}");
    }
    assert_eq!(
        back["byStatus"][0],
        json!({"band": "在库", "count": 2}),
        "{back:#}"
    );
    // As of a date before the cancellation, the pool shows them drawn still.
    let before = pool(&app, "2025-03-09").await;
    assert_eq!(status_of(&before, "c103"), "UNDER_INSPECTION");

    // Refused: a cancelled case takes no step, and nothing is written.
    let head = app.head().await;
    let again = app
        .admin(
            "mutation { cancelSelection(caseId: \"xr-2025-02\", reason: \"重复\", meta: {effective: \"2025-03-12\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    assert_eq!(
        again.first_error()["extensions"]["rule"],
        "SELECTION_CANCELLED",
        "{:#}",
        again.body
    );
    assert_eq!(app.head().await, head, "nothing written");
}

#[tokio::test]
async fn the_reserve_pool_dashboard_counts_the_pool_by_age_band_and_education() {
    let app = spawn_app().await;
    district(&app).await;
    for (cadre, on) in [
        ("c101", "2024-06-01"),
        ("c102", "2024-06-01"),
        ("c103", "2025-01-06"),
    ] {
        let reply = app
            .admin(
                "mutation($c: String!, $on: Date!) { nominateReserve(cadreId: $c, how: DEMOCRATIC_RECOMMENDATION, nominatedBy: \"区发改委党组\", meta: {effective: $on}) { streamVersion } }",
                json!({"c": cadre, "on": on}),
            )
            .await;
        TestApp::expect_ok(reply, "nominateReserve");
    }
    let removed = app
        .admin(
            "mutation { removeReserve(cadreId: \"c102\", reason: \"年度研判不再适宜\", meta: {effective: \"2024-12-02\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    TestApp::expect_ok(removed, "removeReserve");
    // Born 1988-03-01: 36 on 2024-12-31, 37 a year later; c103 not yet nominated on the first date.
    let end_2024 = pool(&app, "2024-12-31").await;
    assert_eq!(end_2024["inPool"], 1, "{end_2024:#}");
    assert_eq!(
        end_2024["byStatus"],
        json!([{"band": "在库", "count": 1}, {"band": "考察中", "count": 0}, {"band": "已使用", "count": 0}, {"band": "已出库", "count": 1}])
    );
    assert_eq!(
        end_2024["byAgeBand"],
        json!([{"band": "35岁及以下", "count": 0}, {"band": "36至40岁", "count": 1}, {"band": "41至45岁", "count": 0}, {"band": "46岁及以上", "count": 0}])
    );
    assert_eq!(
        end_2024["byEducation"],
        json!([{"band": "研究生", "count": 0}, {"band": "大学本科", "count": 0}, {"band": "大学专科", "count": 0}, {"band": "中专及以下", "count": 0}, {"band": "未登记", "count": 1}])
    );
    let later = pool(&app, "2025-06-30").await;
    assert_eq!(later["inPool"], 2);
    assert_eq!(
        later["byAgeBand"][1],
        json!({"band": "36至40岁", "count": 2})
    );
    let c101 = later["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["cadreId"] == "c101")
        .unwrap();
    assert_eq!(
        (
            c101["name"].as_str(),
            c101["statusZh"].as_str(),
            c101["ageBand"].as_str()
        ),
        (Some("候选人1"), Some("在库"), Some("36至40岁"))
    );
    // Only the organization department, discipline inspectors and auditors read the pool.
    let token = app.token(dossier_domain::Role::UnitHead, Some("fgw")).await;
    let denied = app
        .gql(Some(&token), POOL, json!({"on": "2025-06-30"}))
        .await;
    assert_eq!(denied.codes(), ["FORBIDDEN"], "{:#}", denied.body);
}

#[tokio::test]
async fn a_failed_probation_removes_the_cadre_from_the_post_on_the_profile_and_the_unit() {
    let app = spawn_app().await;
    district(&app).await;
    run_case(&app).await;
    let fail = |document: Value| json!({"c": "c102", "d": document});
    const FAIL: &str = "mutation($c: String!, $d: String) { failProbation(caseId: \"xr-2025-01\", cadreId: $c, reason: \"试用期考核不称职\", document: $d, meta: {effective: \"2025-10-10\"}) { events { type } } }";

    // Refused without the document that removes the cadre, and nothing is written.
    let head = app.head().await;
    let refused = app.admin(FAIL, fail(Value::Null)).await;
    assert_eq!(
        refused.first_error()["extensions"]["rule"],
        "DOCUMENT_NUMBER_REQUIRED",
        "{:#}",
        refused.body
    );
    assert_eq!(app.head().await, head, "nothing written");

    let failed = app.admin(FAIL, fail(json!("姜委〔2025〕41号"))).await;
    let events = TestApp::expect_ok(failed, "failProbation");
    let types: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "selection.ProbationFailed",
            "cadre.ProbationEnded",
            "cadre.Removed",
            "cadre.LeadershipLevelChanged"
        ]
    );
    // 按试任前职务层次安排: c102 held no leadership level before the trial.
    let level = app
        .admin("{ cadre(id: \"c102\") { leadershipLevel } }", json!({}))
        .await;
    level.ok();
    assert_eq!(level.data("cadre")["leadershipLevel"], Value::Null);
    // The profile: no post, no probation; the removal rests on the document, for 试用期不合格.
    let profile = app
        .admin(
            "{ cadre(id: \"c102\") { probationUntil posts { postId } } }",
            json!({}),
        )
        .await;
    profile.ok();
    assert_eq!(
        profile.data("cadre"),
        &json!({"probationUntil": null, "posts": []})
    );
    let trail = app
        .admin(
            "{ auditTrail(streamId: \"cadre-c102\") { type payload } }",
            json!({}),
        )
        .await;
    trail.ok();
    let removal = trail
        .data("auditTrail")
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "cadre.Removed")
        .cloned()
        .unwrap();
    assert_eq!(removal["payload"]["post_id"], "dep2");
    assert_eq!(removal["payload"]["document_number"], "姜委〔2025〕41号");
    assert_eq!(removal["payload"]["approved_by"], "中共泰州市姜堰区委");
    assert_eq!(removal["payload"]["reason"], "probation_failed");
    // As of the day before, the profile still shows the post on probation.
    let before = app
        .admin(
            "{ cadre(id: \"c102\", asOf: \"2025-10-09\") { probationUntil posts { postId } } }",
            json!({}),
        )
        .await;
    before.ok();
    assert_eq!(
        before.data("cadre"),
        &json!({"probationUntil": "2026-04-10", "posts": [{"postId": "dep2"}]})
    );
    // The unit: dep2 vacant again, the quota shows one deputy post to fill.
    let unit = app
        .admin(
            "{ unit(id: \"fgw\") { vacancies { postId } } postQuota(unitId: \"fgw\") { tier filled vacancies } }",
            json!({}),
        )
        .await;
    unit.ok();
    let vacant: Vec<&str> = unit.data("unit")["vacancies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["postId"].as_str().unwrap())
        .collect();
    assert!(vacant.contains(&"dep2"), "{vacant:?}");
    assert!(!vacant.contains(&"dep1"), "{vacant:?}");
    assert_eq!(
        unit.data("postQuota")[1],
        json!({"tier": "DEPUTY", "filled": 1, "vacancies": 1})
    );
    // The case: c102's probation is over, the other appointee's runs on.
    let case = app
        .admin(
            "{ selectionCase(caseId: \"xr-2025-01\") { candidates { cadreId status statusZh } } }",
            json!({}),
        )
        .await;
    case.ok();
    assert_eq!(
        case.data("selectionCase")["candidates"],
        json!([{"cadreId": "c101", "status": "ON_PROBATION", "statusZh": "试用期"},
               {"cadreId": "c102", "status": "PROBATION_ENDED", "statusZh": "试用期已结束"},
               {"cadreId": "c103", "status": "INTEGRITY_CLEAR", "statusZh": "廉政意见无异议"}])
    );
}
