//! A cadre's own timeline (role CADRE): their down review, study sessions and quota allocation are there, with what names others or is not theirs to read taken out; the ranking, another's allocation and supervision stay out. Reads naming what does not exist answer NOT_FOUND or VALIDATION.

use dossier_domain::Role;
use dossier_tests::{TestApp, spawn_app};
use serde_json::{Value, json};

use crate::{
    flow::{cmd, setup},
    quota_ranking::register,
};

/// c001's down review carried out, a study session of c001 and q1, the 2025 quota ranked
/// (q1 first, q2 second) and allocated to q2 passing over q1.
async fn district(app: &TestApp) {
    let a = &app.admin;
    setup(app).await;
    register(app, "q1", "2019-01-01", 31).await;
    register(app, "q2", "2020-01-01", 33).await;
    cmd(app, a, "openDownReview", "OpenDownReviewInput!", json!({"input": {
        "reviewId": "dr1", "cadreId": "c001", "trigger": "REVERSE_EVALUATION", "reason": "反向研判反映不适宜担任现职"},
        "meta": {"effective": "2025-03-01"}})).await;
    for q in [
        "mutation { recordDownFindings(reviewId: \"dr1\", situation: LACK_OF_DRIVE, findings: \"同事反映担当不足\", meta: {effective: \"2025-03-10\"}) { streamVersion } }",
        "mutation { decideDownReview(reviewId: \"dr1\", decisionRef: \"姜委常〔2025〕30号\", methods: [CHANGE_TO_RANK], meta: {effective: \"2025-04-01\"}) { streamVersion } }",
        "mutation { executeDownDecision(reviewId: \"dr1\", note: \"已谈话办理\", meta: {effective: \"2025-04-15\"}) { streamVersion } }",
        "mutation { holdStudy(input: {sessionId: \"st1\", mode: WEEKLY_LESSON, date: \"2025-05-06\", topic: \"党纪学习\", hours: 2.5, organizerUnitId: \"fgw\", attendees: [\"c001\", \"q1\"]}, meta: {effective: \"2025-05-06\"}) { streamVersion } }",
        "mutation { openQuota(year: 2025, size: 2, meta: {effective: \"2025-03-01\"}) { streamVersion } }",
        "mutation { rankQuota(year: 2025, candidates: [{cadreId: \"q1\", field: PROJECT_CONSTRUCTION}, {cadreId: \"q2\", field: PROJECT_CONSTRUCTION}], meta: {effective: \"2025-03-01\"}) { streamVersion } }",
        "mutation { allocateQuota(year: 2025, cadreId: \"q2\", field: PROJECT_CONSTRUCTION, place: 2, skipReason: \"干部q1（q1）已调离一线岗位\", meta: {effective: \"2025-03-02\"}) { streamVersion } }",
    ] {
        let reply = app.admin(q, json!({})).await;
        assert!(reply.body["errors"].is_null(), "{q}: {:#}", reply.body);
    }
}

const TIMELINE: &str =
    "query($c: String!) { cadreTimeline(cadreId: $c) { streamId type payload redacted hash } }";

/// `cadre`'s own timeline, read with their own CADRE token.
async fn own_timeline(app: &TestApp, cadre: &str) -> Vec<Value> {
    let token = app.token(Role::Cadre, Some(cadre)).await;
    let reply = app.gql(Some(&token), TIMELINE, json!({"c": cadre})).await;
    reply.ok();
    reply.data("cadreTimeline").as_array().unwrap().clone()
}

fn of_type<'a>(events: &'a [Value], ty: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == ty).collect()
}

#[tokio::test]
async fn a_cadres_own_timeline_shows_their_reviews_study_and_quota_but_nothing_about_others() {
    let app = spawn_app().await;
    district(&app).await;

    // c001: every step of their down review, with the review's facts and no working judgement.
    let mine = own_timeline(&app, "c001").await;
    for ty in [
        "down.Opened",
        "down.FindingsRecorded",
        "down.Decided",
        "down.Executed",
    ] {
        let events = of_type(&mine, ty);
        assert_eq!(events.len(), 1, "{ty}: {mine:#?}");
        assert_eq!(events[0]["payload"]["review_id"], "dr1", "{ty}");
        assert_eq!(events[0]["redacted"], true, "{ty}");
    }
    let decided = of_type(&mine, "down.Decided")[0];
    assert_eq!(decided["payload"]["decision_ref"], "姜委常〔2025〕30号");
    assert_eq!(
        of_type(&mine, "down.Opened")[0]["payload"]["opened_on"],
        "2025-03-01"
    );
    for field in ["reason", "findings", "situation", "note"] {
        assert!(
            mine.iter()
                .filter(|e| e["type"].as_str().unwrap().starts_with("down."))
                .all(|e| e["payload"].get(field).is_none()),
            "{field} is the organization department's: {mine:#?}"
        );
    }
    // Their study session, with only their own line of the attendance.
    let held = of_type(&mine, "study.Held");
    assert_eq!(held.len(), 1, "{mine:#?}");
    assert_eq!(held[0]["payload"]["hours"], 2.5);
    assert_eq!(held[0]["payload"]["topic"], "党纪学习");
    let attendees = held[0]["payload"]["attendees"].as_array().unwrap();
    assert_eq!(attendees.len(), 1);
    assert_eq!(attendees[0]["cadre_id"], "c001");
    // Their own record, whole.
    let registered = of_type(&mine, "cadre.Registered");
    assert_eq!(registered[0]["redacted"], false);
    assert_eq!(registered[0]["payload"]["name"], "张明");
    // Nothing names another cadre or quotes the judgements.
    let text = serde_json::to_string(&mine).unwrap();
    for secret in ["q1", "q2", "担当不足", "不适宜担任现职", "已谈话办理"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // 组织部 reads the same events whole.
    let full = app.admin(TIMELINE, json!({"c": "c001"})).await;
    full.ok();
    let full = full.data("cadreTimeline").as_array().unwrap().clone();
    let findings = of_type(&full, "down.FindingsRecorded")[0];
    assert_eq!(findings["payload"]["findings"], "同事反映担当不足");
    assert_eq!(findings["redacted"], false);
    assert_eq!(
        findings["hash"],
        of_type(&mine, "down.FindingsRecorded")[0]["hash"],
        "the hash is the stored event's"
    );
    assert_eq!(
        of_type(&full, "study.Held")[0]["payload"]["attendees"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // q2: their allocation, without who was passed over and why; not the ranking.
    let q2 = own_timeline(&app, "q2").await;
    let allocated = of_type(&q2, "quota.Allocated");
    assert_eq!(allocated.len(), 1, "{q2:#?}");
    assert_eq!(allocated[0]["payload"]["cadre_id"], "q2");
    assert_eq!(allocated[0]["payload"]["year"], 2025);
    assert_eq!(allocated[0]["redacted"], true);
    assert!(allocated[0]["payload"].get("passed_over").is_none());
    assert!(allocated[0]["payload"].get("skip_reason").is_none());
    assert!(of_type(&q2, "quota.Ranked").is_empty(), "{q2:#?}");
    let text = serde_json::to_string(&q2).unwrap();
    assert!(!text.contains("q1"), "{text}");

    // q1: passed over by q2's allocation — another's allocation, left out, as is the ranking;
    // their study line is theirs.
    let q1 = own_timeline(&app, "q1").await;
    assert!(of_type(&q1, "quota.Allocated").is_empty(), "{q1:#?}");
    assert!(of_type(&q1, "quota.Ranked").is_empty(), "{q1:#?}");
    assert_eq!(of_type(&q1, "study.Held").len(), 1);
    let text = serde_json::to_string(&q1).unwrap();
    for other in ["q2", "c001"] {
        assert!(!text.contains(other), "{other} in {text}");
    }
}

#[tokio::test]
async fn reads_naming_what_does_not_exist_answer_not_found_or_validation() {
    let app = spawn_app().await;
    setup(&app).await;
    let head = app.head().await;
    let trail = app
        .admin(
            "{ auditTrail(streamId: \"cadre-nope\") { type } }",
            json!({}),
        )
        .await;
    assert_eq!(trail.codes(), ["NOT_FOUND"], "{:#}", trail.body);
    assert_eq!(
        trail.first_error()["extensions"]["rule"],
        "STREAM_NOT_FOUND"
    );
    assert!(
        trail.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("cadre-nope")
    );
    // A stream that exists but has no event in the slice asked is an empty trail.
    let early = app
        .admin(
            "{ auditTrail(streamId: \"cadre-c001\", asOf: \"2019-01-01\") { type } }",
            json!({}),
        )
        .await;
    early.ok();
    assert_eq!(early.data("auditTrail"), &json!([]));
    // Supervision streams: nothing read, nothing recorded in the access log.
    let supervision = app
        .admin(
            "{ auditTrail(streamId: \"supervision-nope\") { type } }",
            json!({}),
        )
        .await;
    assert_eq!(supervision.codes(), ["NOT_FOUND"], "{:#}", supervision.body);
    assert_eq!(app.head().await, head, "a read of nothing records nothing");

    let case = app
        .admin("{ selectionCase(caseId: \"nope\") { stage } }", json!({}))
        .await;
    assert_eq!(case.codes(), ["NOT_FOUND"], "{:#}", case.body);
    assert_eq!(
        case.first_error()["extensions"]["rule"],
        "SELECTION_NOT_FOUND"
    );

    for year in [99999, 1899, 2101] {
        let ranking = app
            .admin(
                "query($y: Int!) { quotaRanking(year: $y) { year } }",
                json!({"y": year}),
            )
            .await;
        assert_eq!(
            ranking.codes(),
            ["VALIDATION"],
            "{year}: {:#}",
            ranking.body
        );
        assert_eq!(
            ranking.first_error()["extensions"]["rule"],
            "INPUT_OUT_OF_RANGE"
        );
    }
    // A year in range with no quota opened is still "none yet".
    let none = app
        .admin("{ quotaRanking(year: 2030) { year } }", json!({}))
        .await;
    none.ok();
    assert_eq!(none.data("quotaRanking"), &Value::Null);
}
