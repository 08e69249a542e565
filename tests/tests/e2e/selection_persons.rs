//! The persons a selection case appoints, end to end: two relatives in one decision or one 任免文件 refused (回避), a
//! candidate under investigation refused at the document, the document's 文号 as the basis of every event it writes,
//! and the reserve pool when the document ends the case.

use dossier_tests::{Reply, TestApp, spawn_app};
use serde_json::{Value, json};

use crate::selection::{district, record, run_case, step};

const CASE: &str = "xr-2025-01";

/// c101 records c102 as spouse.
async fn spouses(app: &TestApp, on: &str) {
    let reply = app
        .admin(
            "mutation($on: Date!) { addFamilyMember(input: {cadreId: \"c101\", memberId: \"m1\", relation: SPOUSE, appellation: \"妻子\", name: \"候选人2\", relativeCadreId: \"c102\"}, meta: {effective: $on}) { streamVersion } }",
            json!({"on": on}),
        )
        .await;
    TestApp::expect_ok(reply, "addFamilyMember");
}

/// The case of `selection::run_case` up to its integrity opinions.
async fn to_integrity(app: &TestApp) {
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
}

async fn decide(app: &TestApp) -> Reply {
    app.admin(
        "mutation($input: DecideSelectionInput!) { decideSelection(input: $input, meta: {effective: \"2025-04-01\"}) { streamVersion } }",
        json!({"input": {
            "caseId": CASE, "meeting": "STANDING_COMMITTEE", "members": 11, "present": 10,
            "votes": [{"cadreId": "c101", "postId": "dep1", "approve": 10, "against": 0, "abstain": 0},
                      {"cadreId": "c102", "postId": "dep2", "approve": 8, "against": 1, "abstain": 1}],
            "record": record("区委常委会")}}),
    )
    .await
}

/// Decided, noticed from 2025-04-02 to 2025-04-09, the notice ended.
async fn to_notice_end(app: &TestApp) {
    TestApp::expect_ok(decide(app).await, "decideSelection");
    step(
        app,
        "startSelectionNotice",
        "StartNoticeInput!",
        json!({"caseId": CASE, "endsOn": "2025-04-09", "record": record("区委组织部")}),
        "2025-04-02",
    )
    .await;
    let ended = app
        .admin("mutation { endSelectionNotice(caseId: \"xr-2025-01\", meta: {effective: \"2025-04-09\"}) { streamVersion } }", json!({}))
        .await;
    TestApp::expect_ok(ended, "endSelectionNotice");
}

async fn issue(app: &TestApp) -> Reply {
    app.admin(
        "mutation($input: IssueDocumentInput!) { issueAppointmentDocument(input: $input, meta: {effective: \"2025-04-10\"}) { events { type } } }",
        json!({"input": {
            "caseId": CASE, "number": "姜委〔2025〕20号", "issuer": "中共泰州市姜堰区委", "issuedOn": "2025-04-10",
            "appointments": [
                {"cadreId": "c101", "postId": "dep1", "manner": "COMMISSION", "procedure": "经区委常委会研究决定"},
                {"cadreId": "c102", "postId": "dep2", "manner": "COMMISSION", "procedure": "经区委常委会研究决定"}]}}),
    )
    .await
}

fn rule(reply: &Reply) -> &Value {
    &reply.first_error()["extensions"]["rule"]
}

#[tokio::test]
async fn two_relatives_in_one_decision_are_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    district(&app).await;
    to_integrity(&app).await;
    spouses(&app, "2025-03-27").await;
    // dep1 and dep2 are both under the unit's head: the same superior.
    let head = app.head().await;
    let refused = decide(&app).await;
    assert_eq!(
        rule(&refused),
        "AVOIDANCE_SAME_SUPERIOR",
        "{:#}",
        refused.body
    );
    let message = refused.first_error()["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("同一次讨论决定"), "{message}");
    assert_eq!(app.head().await, head, "nothing written");
}

#[tokio::test]
async fn two_relatives_in_one_document_are_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    district(&app).await;
    to_integrity(&app).await;
    to_notice_end(&app).await;
    // The kinship recorded after the decision.
    spouses(&app, "2025-04-09").await;
    let head = app.head().await;
    let refused = issue(&app).await;
    assert_eq!(
        rule(&refused),
        "AVOIDANCE_SAME_SUPERIOR",
        "{:#}",
        refused.body
    );
    let message = refused.first_error()["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("同一任免文件"), "{message}");
    assert_eq!(app.head().await, head, "nothing written");
}

#[tokio::test]
async fn a_candidate_under_investigation_since_the_decision_is_not_appointed() {
    let app = spawn_app().await;
    district(&app).await;
    to_integrity(&app).await;
    to_notice_end(&app).await;
    let opened = app
        .admin(
            "mutation { openInvestigation(cadreId: \"c102\", caseId: \"k1\", authority: \"区监委\", reason: \"涉嫌违纪\", meta: {effective: \"2025-04-08\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    TestApp::expect_ok(opened, "openInvestigation");
    let head = app.head().await;
    let refused = issue(&app).await;
    assert_eq!(
        rule(&refused),
        "PROMOTION_UNDER_INVESTIGATION",
        "{:#}",
        refused.body
    );
    let message = refused.first_error()["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("候选人2（c102）"), "{message}");
    assert_eq!(app.head().await, head, "nothing written");
}

#[tokio::test]
async fn the_document_is_the_basis_of_its_events_and_returns_the_unused_pool_to_the_reserve() {
    let app = spawn_app().await;
    district(&app).await;
    run_case(&app).await;
    let trail = app
        .admin(
            "{ auditTrail(streamId: \"cadre-c101\") { type basis } }",
            json!({}),
        )
        .await;
    trail.ok();
    let appointed = trail
        .data("auditTrail")
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "cadre.Appointed")
        .cloned()
        .unwrap();
    assert_eq!(appointed["basis"], "姜委〔2025〕20号");
    // c101 and c103 came from the reserve pool: c101 appointed (已使用), c103 back (在库).
    let pool = app
        .admin(
            "query { reservePool(asOf: \"2025-04-11\") { entries { cadreId status } } }",
            json!({}),
        )
        .await;
    pool.ok();
    let entries = pool.data("reservePool")["entries"].clone();
    let status = |cadre: &str| {
        entries
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["cadreId"] == cadre)
            .map(|e| e["status"].clone())
    };
    assert_eq!(status("c101"), Some(json!("USED")), "{entries:#}");
    assert_eq!(status("c103"), Some(json!("IN_POOL")), "{entries:#}");
}

#[tokio::test]
async fn a_post_in_an_open_case_is_not_moved_again_until_that_case_ends() {
    let app = spawn_app().await;
    district(&app).await;
    let motion = |case: &str, on: &str| {
        json!({"input": {
            "caseId": case, "unitId": "fgw", "proposer": "区委书记", "meeting": "WORKING_GROUP",
            "postIds": ["dep1"], "pool": ["c101", "c102"], "record": record("干部工作小组会")},
            "meta": {"effective": on}})
    };
    const MOVE: &str = "mutation($input: MoveSelectionInput!, $meta: CommandMeta) { moveSelection(input: $input, meta: $meta) { streamVersion } }";
    TestApp::expect_ok(
        app.admin(MOVE, motion("xr-a", "2025-03-03")).await,
        "moveSelection",
    );
    let head = app.head().await;
    let refused = app.admin(MOVE, motion("xr-b", "2025-03-04")).await;
    assert_eq!(
        rule(&refused),
        "SELECTION_POST_IN_OPEN_CASE",
        "{:#}",
        refused.body
    );
    let message = refused.first_error()["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("选任案件「xr-a」"), "{message}");
    assert_eq!(app.head().await, head, "nothing written");
    // Once the first case is cancelled the post may be moved again.
    let cancelled = app
        .admin(
            "mutation { cancelSelection(caseId: \"xr-a\", reason: \"职位调整\", meta: {effective: \"2025-03-05\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    TestApp::expect_ok(cancelled, "cancelSelection");
    TestApp::expect_ok(
        app.admin(MOVE, motion("xr-b", "2025-03-06")).await,
        "moveSelection",
    );
}

#[tokio::test]
async fn a_round_beyond_its_ballots_and_a_blank_team_member_are_refused_and_write_nothing() {
    let app = spawn_app().await;
    district(&app).await;
    step(&app, "moveSelection", "MoveSelectionInput!", json!({
        "caseId": CASE, "unitId": "fgw", "proposer": "区委书记", "meeting": "WORKING_GROUP",
        "postIds": ["dep1", "dep2"], "pool": ["c101", "c102", "c103"], "record": record("干部工作小组会")}), "2025-03-03").await;
    const RECOMMEND: &str = "mutation($input: RecommendInput!) { recommendCandidates(input: $input, meta: {effective: \"2025-03-10\"}) { streamVersion } }";
    let round = |third: u32| {
        json!({"input": {
            "caseId": CASE, "method": "MEETING", "participants": 45,
            "votes": [{"cadreId": "c101", "votes": 38}, {"cadreId": "c102", "votes": 30}, {"cadreId": "c103", "votes": third}],
            "carriedForward": ["c101", "c102", "c103"], "record": record("区发改委")}})
    };
    let head = app.head().await;
    // 45 participants, two posts: 90 votes at most; 38 + 30 + 23 = 91.
    let refused = app.admin(RECOMMEND, round(23)).await;
    assert_eq!(
        rule(&refused),
        "SELECTION_VOTES_EXCEED_BALLOTS",
        "{:#}",
        refused.body
    );
    assert_eq!(app.head().await, head, "nothing written");
    TestApp::expect_ok(app.admin(RECOMMEND, round(22)).await, "recommendCandidates");
    let head = app.head().await;
    let blank = app
        .admin(
            "mutation($input: InspectCandidateInput!) { inspectCandidate(input: $input, meta: {effective: \"2025-03-17\"}) { streamVersion } }",
            json!({"input": {"caseId": CASE, "cadreId": "c101", "team": ["甲", "  "], "interviewed": 28,
                "report": "考察材料", "record": record("区委组织部考察组")}}),
        )
        .await;
    assert_eq!(
        rule(&blank),
        "SELECTION_TEAM_MEMBER_BLANK",
        "{:#}",
        blank.body
    );
    assert_eq!(app.head().await, head, "nothing written");
}

#[tokio::test]
async fn the_document_is_not_issued_on_the_last_day_of_the_notice_and_an_entry_out_of_the_pool_is_named_once()
 {
    let app = spawn_app().await;
    district(&app).await;
    to_integrity(&app).await;
    to_notice_end(&app).await;
    let head = app.head().await;
    let early = app
        .admin(
            "mutation($input: IssueDocumentInput!) { issueAppointmentDocument(input: $input, meta: {effective: \"2025-04-10\"}) { streamVersion } }",
            json!({"input": {
                "caseId": CASE, "number": "姜委〔2025〕20号", "issuer": "中共泰州市姜堰区委", "issuedOn": "2025-04-09",
                "appointments": [{"cadreId": "c101", "postId": "dep1", "manner": "COMMISSION", "procedure": "经区委常委会研究决定"}]}}),
        )
        .await;
    assert_eq!(
        rule(&early),
        "SELECTION_DOCUMENT_BEFORE_NOTICE_END",
        "{:#}",
        early.body
    );
    assert_eq!(app.head().await, head, "nothing written");
    TestApp::expect_ok(issue(&app).await, "issueAppointmentDocument");
    // An entry out of the pool is refused in words that say so once (已出库, not 已已出库).
    let reply = app
        .admin(
            "mutation { nominateReserve(cadreId: \"c103\", how: ORGANIZATION, nominatedBy: \"区委组织部\", meta: {effective: \"2025-04-11\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    TestApp::expect_ok(reply, "nominateReserve");
    let removed = app
        .admin(
            "mutation { removeReserve(cadreId: \"c103\", reason: \"调整\", meta: {effective: \"2025-04-12\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    TestApp::expect_ok(removed, "removeReserve");
    let review = app
        .admin(
            "mutation { reviewReserve(cadreId: \"c103\", keep: true, note: \"复核\", meta: {effective: \"2025-04-13\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    assert_eq!(rule(&review), "RESERVE_NOT_IN_POOL", "{:#}", review.body);
    let message = review.first_error()["message"].as_str().unwrap_or_default();
    assert!(message.contains("候选人3（c103）」已出库"), "{message}");
    assert!(!message.contains("已已"), "{message}");
}
