//! A selection case (选任纪实) end to end through GraphQL: 动议 to 任职 for two posts with three candidates, the document on
//! both profiles, the case as of a date in the middle, and the quota (职数) it filled refusing the next motion.

use dossier_tests::{TestApp, id_number, spawn_app};
use serde_json::{Value, json};

use crate::flow::{cmd, setup};

const CASE: &str = "xr-2025-01";

pub(crate) fn record(body: &str) -> Value {
    json!({"body": body, "document": "纪要〔2025〕1号", "attachments": ["卷-01"]})
}

pub(crate) async fn step(app: &TestApp, field: &str, args: &str, input: Value, on: &str) -> Value {
    cmd(
        app,
        &app.admin,
        field,
        args,
        json!({"input": input, "meta": {"effective": on}}),
    )
    .await
}

/// Two vacant deputy posts in fgw, three candidates, a quota of one chief and two deputies.
pub(crate) async fn district(app: &TestApp) {
    setup(app).await;
    let a = &app.admin;
    for post in ["dep1", "dep2"] {
        cmd(app, a, "openPost", "OpenPostInput!", json!({"input": {"unitId": "fgw", "postId": post, "title": "副主任", "category": "GENERAL", "leadershipLevel": "TOWNSHIP_DEPUTY"}, "meta": {"effective": "2020-01-01"}})).await;
    }
    for (i, cadre) in ["c101", "c102", "c103"].into_iter().enumerate() {
        cmd(app, a, "registerCadre", "RegisterCadreInput!", json!({"input": {
            "cadreId": cadre, "name": format!("候选人{}", i + 1), "idNumber": id_number("1988-03-01", 21 + i as u32 * 2),
            "unitId": "fgw", "rank": "PRINCIPAL_CLERK_4", "rankSince": "2020-01-01", "joinedWorkOn": "2010-07-01"},
            "meta": {"effective": "2020-01-02"}})).await;
    }
    step(
        app,
        "publishPostQuota",
        "PublishPostQuotaInput!",
        json!({"unitId": "fgw", "chiefs": 1, "deputies": 2, "basis": "姜编〔2024〕3号"}),
        "2024-01-01",
    )
    .await;
}

pub(crate) async fn run_case(app: &TestApp) {
    // c101 and c103 come from the reserve pool.
    for cadre in ["c101", "c103"] {
        let reply = app
            .admin(
                "mutation($c: String!) { nominateReserve(cadreId: $c, how: DEMOCRATIC_RECOMMENDATION, nominatedBy: \"区发改委党组\", meta: {effective: \"2024-06-01\"}) { streamVersion } }",
                json!({"c": cadre}),
            )
            .await;
        TestApp::expect_ok(reply, "nominateReserve");
    }
    step(app, "moveSelection", "MoveSelectionInput!", json!({
        "caseId": CASE, "unitId": "fgw", "proposer": "区委书记", "meeting": "WORKING_GROUP",
        "postIds": ["dep1", "dep2"], "pool": ["c101", "c102", "c103"], "record": record("干部工作小组会")}), "2025-03-03").await;
    step(app, "recommendCandidates", "RecommendInput!", json!({
        "caseId": CASE, "method": "MEETING", "participants": 45,
        "votes": [{"cadreId": "c101", "votes": 38}, {"cadreId": "c102", "votes": 30}, {"cadreId": "c103", "votes": 21}],
        "carriedForward": ["c101", "c102", "c103"], "record": record("区发改委")}), "2025-03-10").await;
    for cadre in ["c101", "c102", "c103"] {
        step(
            app,
            "inspectCandidate",
            "InspectCandidateInput!",
            json!({
            "caseId": CASE, "cadreId": cadre, "team": ["考察组长", "考察组员"], "interviewed": 28,
            "report": format!("考察材料-{cadre}"), "record": record("区委组织部考察组")}),
            "2025-03-17",
        )
        .await;
    }
    step(
        app,
        "requestIntegrityOpinion",
        "RequestIntegrityInput!",
        json!({
        "caseId": CASE, "cadreIds": ["c101", "c102", "c103"], "record": record("区委组织部")}),
        "2025-03-24",
    )
    .await;
    for cadre in ["c101", "c102", "c103"] {
        step(app, "replyIntegrityOpinion", "ReplyIntegrityInput!", json!({
            "caseId": CASE, "cadreId": cadre, "verdict": "CLEAR", "note": "无影响使用的问题", "record": record("区纪委监委")}), "2025-03-26").await;
    }
    step(
        app,
        "decideSelection",
        "DecideSelectionInput!",
        json!({
        "caseId": CASE, "meeting": "STANDING_COMMITTEE", "members": 11, "present": 10,
        "votes": [{"cadreId": "c101", "postId": "dep1", "approve": 10, "against": 0, "abstain": 0},
                  {"cadreId": "c102", "postId": "dep2", "approve": 8, "against": 1, "abstain": 1}],
        "record": record("区委常委会")}),
        "2025-04-01",
    )
    .await;
    step(
        app,
        "startSelectionNotice",
        "StartNoticeInput!",
        json!({
        "caseId": CASE, "endsOn": "2025-04-09", "record": record("区委组织部")}),
        "2025-04-02",
    )
    .await;
    let ended = app
        .gql(Some(&app.admin), "mutation { endSelectionNotice(caseId: \"xr-2025-01\", meta: {effective: \"2025-04-09\"}) { streamVersion } }", json!({}))
        .await;
    TestApp::expect_ok(ended, "endSelectionNotice");
    let appointed = step(app, "issueAppointmentDocument", "IssueDocumentInput!", json!({
        "caseId": CASE, "number": "姜委〔2025〕20号", "issuer": "中共泰州市姜堰区委", "issuedOn": "2025-04-10",
        "appointments": [
            {"cadreId": "c101", "postId": "dep1", "manner": "COMMISSION", "procedure": "经区委常委会研究决定"},
            {"cadreId": "c102", "postId": "dep2", "manner": "COMMISSION", "procedure": "经区委常委会研究决定"}]}), "2025-04-10").await;
    // One write: the case's document and both appointments on the cadres' records.
    let types: Vec<&str> = appointed["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types.iter().filter(|t| **t == "cadre.Appointed").count(),
        2,
        "{types:?}"
    );
    assert_eq!(types[0], "selection.Appointed", "{types:?}");
}

#[tokio::test]
async fn a_case_from_motion_to_appointment_fills_two_posts_whose_profiles_cite_the_document() {
    let app = spawn_app().await;
    district(&app).await;
    run_case(&app).await;

    for (cadre, post) in [("c101", "dep1"), ("c102", "dep2")] {
        let reply = app
            .admin(
                "query($id: String!) { cadre(id: $id) { posts { postId documentNumber since } } }",
                json!({"id": cadre}),
            )
            .await;
        reply.ok();
        let posts = reply.data("cadre")["posts"].as_array().unwrap().clone();
        assert_eq!(posts.len(), 1, "{posts:?}");
        assert_eq!(posts[0]["postId"], post);
        assert_eq!(posts[0]["documentNumber"], "姜委〔2025〕20号");
        assert_eq!(posts[0]["since"], "2025-04-10");
    }
    // The pool: the appointee was used, the other candidate drawn from it is back in the pool
    // (the document ended the case for them).
    for (cadre, last) in [("c101", "used"), ("c103", "in_pool")] {
        let trail = app
            .admin(
                "query($s: String!) { auditTrail(streamId: $s) { type payload } }",
                json!({"s": format!("reserve-{cadre}")}),
            )
            .await;
        trail.ok();
        let events = trail.data("auditTrail").as_array().unwrap().clone();
        assert_eq!(events.last().unwrap()["payload"]["to"], last, "{events:?}");
    }
    let loser = app
        .admin("{ cadre(id: \"c103\") { posts { postId } } }", json!({}))
        .await;
    assert_eq!(loser.data("cadre")["posts"], json!([]));

    let report = app
        .admin(
            "{ selectionCase(caseId: \"xr-2025-01\") { stage stageZh ageDays candidates { cadreId status statusZh decidedPost probationUntil } steps { type on payload } } }",
            json!({}),
        )
        .await;
    report.ok();
    let case = report.data("selectionCase");
    assert_eq!(case["stage"], "APPOINTED");
    assert_eq!(case["steps"].as_array().unwrap().len(), 13);
    let c101 = &case["candidates"][0];
    assert_eq!(
        (
            c101["status"].as_str(),
            c101["statusZh"].as_str(),
            c101["probationUntil"].as_str()
        ),
        (Some("ON_PROBATION"), Some("试用期"), Some("2026-04-10"))
    );
    // The decision's votes are in the record as cast.
    let decided = case["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["type"] == "selection.Decided")
        .unwrap();
    assert_eq!(decided["payload"]["votes"][1]["abstain"], 1);

    let quota = app
        .admin(
            "{ postQuota(unitId: \"fgw\") { tier approved filled vacancies } }",
            json!({}),
        )
        .await;
    quota.ok();
    assert_eq!(
        quota.data("postQuota")[1],
        json!({"tier": "DEPUTY", "approved": 2, "filled": 2, "vacancies": 0})
    );
}

#[tokio::test]
async fn the_case_as_of_a_middle_date_shows_the_stage_it_was_in_then() {
    let app = spawn_app().await;
    district(&app).await;
    run_case(&app).await;
    let reply = app
        .admin(
            "{ selectionCase(caseId: \"xr-2025-01\", asOf: \"2025-03-20\") { stage stageZh ageDays candidates { cadreId status statusZh } steps { type } } }",
            json!({}),
        )
        .await;
    reply.ok();
    let case = reply.data("selectionCase");
    assert_eq!(case["stage"], "INSPECTION");
    assert_eq!(case["stageZh"], "考察");
    assert_eq!(case["ageDays"], 17);
    assert_eq!(
        case["steps"].as_array().unwrap().len(),
        5,
        "motion, one round, three inspections"
    );
    assert_eq!(
        (
            &case["candidates"][2]["status"],
            &case["candidates"][2]["statusZh"]
        ),
        (&json!("INSPECTED"), &json!("已考察"))
    );
    let board = app
        .admin(
            "{ mid: selectionDashboard(asOf: \"2025-03-20\") { byStage { stage cases oldestDays } vacancies { unitId tier approved filled vacancies } } end: selectionDashboard(asOf: \"2025-04-10\") { byStage { stage cases } vacancies { tier filled vacancies } } }",
            json!({}),
        )
        .await;
    board.ok();
    assert_eq!(
        board.data("mid")["byStage"],
        json!([{"stage": "INSPECTION", "cases": 1, "oldestDays": 17}])
    );
    assert_eq!(
        board.data("mid")["vacancies"][1],
        json!({"unitId": "fgw", "tier": "DEPUTY", "approved": 2, "filled": 0, "vacancies": 2})
    );
    assert_eq!(
        board.data("end")["byStage"],
        json!([{"stage": "APPOINTED", "cases": 1}])
    );
    assert_eq!(
        board.data("end")["vacancies"][1],
        json!({"tier": "DEPUTY", "filled": 2, "vacancies": 0})
    );
    let before = app
        .admin(
            "{ selectionCase(caseId: \"xr-2025-01\", asOf: \"2025-03-01\") { stage } }",
            json!({}),
        )
        .await;
    assert_eq!(before.data("selectionCase"), &Value::Null);
}

#[tokio::test]
async fn a_motion_or_an_appointment_beyond_the_quota_is_refused_and_writes_nothing() {
    let app = spawn_app().await;
    district(&app).await;
    run_case(&app).await;
    let before = app.head().await;
    let reply = app
        .admin(
            "mutation($r: StepRecordInput!) { moveSelection(input: {caseId: \"xr-2\", unitId: \"fgw\", proposer: \"区委书记\", meeting: WORKING_GROUP, postIds: [\"dep1\"], pool: [\"c103\"], record: $r}, meta: {effective: \"2025-05-06\"}) { streamVersion } }",
            json!({"r": record("干部工作小组会")}),
        )
        .await;
    assert_eq!(reply.codes(), ["RULE_REFUSED"], "{:#}", reply.body);
    // dep1 is held now: the first rule that fails is the vacancy of the post itself.
    assert_eq!(reply.first_error()["extensions"]["rule"], "POST_TAKEN");
    assert_eq!(app.head().await, before, "nothing written");

    // A new deputy post beyond the two approved.
    cmd(&app, &app.admin, "openPost", "OpenPostInput!", json!({"input": {"unitId": "fgw", "postId": "dep3", "title": "副主任", "category": "GENERAL", "leadershipLevel": "TOWNSHIP_DEPUTY"}, "meta": {"effective": "2025-05-01"}})).await;
    let before = app.head().await;
    let reply = app
        .admin(
            "mutation($r: StepRecordInput!) { moveSelection(input: {caseId: \"xr-2\", unitId: \"fgw\", proposer: \"区委书记\", meeting: WORKING_GROUP, postIds: [\"dep3\"], pool: [\"c103\"], record: $r}, meta: {effective: \"2025-05-06\"}) { streamVersion } }",
            json!({"r": record("干部工作小组会")}),
        )
        .await;
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        "POST_QUOTA_EXCEEDED",
        "{:#}",
        reply.body
    );
    let message = reply.first_error()["message"].as_str().unwrap();
    assert!(
        message.contains("核定副职职数 2 名, 已配备 2 名"),
        "{message}"
    );
    assert_eq!(app.head().await, before, "nothing written");

    // The ordinary appointment command is held to the same quota.
    let reply = app
        .admin(
            "mutation { appoint(input: {cadreId: \"c103\", unitId: \"fgw\", postId: \"dep3\", manner: COMMISSION, reason: PROMOTION, changeCategory: PROMOTED, nominatedBy: \"区委组织部\", approvedBy: \"区委常委会\", decidedOn: \"2025-05-06\", documentNumber: \"姜委〔2025〕30号\"}, meta: {effective: \"2025-05-06\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        "POST_QUOTA_EXCEEDED",
        "{:#}",
        reply.body
    );
}

#[tokio::test]
async fn a_step_out_of_order_is_refused_and_writes_nothing() {
    let app = spawn_app().await;
    district(&app).await;
    step(
        &app,
        "moveSelection",
        "MoveSelectionInput!",
        json!({
        "caseId": CASE, "unitId": "fgw", "proposer": "区委书记", "meeting": "WORKING_GROUP",
        "postIds": ["dep1"], "pool": ["c101", "c102"], "record": record("干部工作小组会")}),
        "2025-03-03",
    )
    .await;
    let before = app.head().await;
    // Out of order: a decision before any recommendation.
    let reply = app
        .admin(
            "mutation($r: StepRecordInput!) { decideSelection(input: {caseId: \"xr-2025-01\", meeting: STANDING_COMMITTEE, members: 11, present: 9, votes: [{cadreId: \"c101\", postId: \"dep1\", approve: 5, against: 2, abstain: 2}], record: $r}, meta: {effective: \"2025-03-05\"}) { streamVersion } }",
            json!({"r": record("区委常委会")}),
        )
        .await;
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        "SELECTION_STEP_OUT_OF_ORDER",
        "{:#}",
        reply.body
    );
    assert!(
        reply.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("尚未进行「民主推荐」")
    );
    assert_eq!(app.head().await, before, "nothing written");
}
