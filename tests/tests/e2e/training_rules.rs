//! Training hours through GraphQL: summed exactly (45.1 + 33.3 + 11.6 is 90, met, in the profile, the alerts and the coverage); a session dated after its effective date or before the cadre's birth, more than 24 hours a day in a class, or hours past the hundredth are refused and change nothing.

use dossier_tests::{TestApp, spawn_app};
use serde_json::{Value, json};

use crate::flow::{cmd, setup};

const HOLD: &str = "mutation($i: HoldStudyInput!, $m: CommandMeta) { holdStudy(input: $i, meta: $m) { streamVersion } }";
const ATTEND: &str = "mutation($i: RecordAttendanceInput!, $m: CommandMeta) { recordAttendance(input: $i, meta: $m) { streamVersion } }";

/// A 每周一课 session for c001 (born 1980-05-01, registered in 2020).
fn session(id: &str, date: &str, hours: f64) -> Value {
    json!({"sessionId": id, "mode": "WEEKLY_LESSON", "date": date, "topic": "党纪学习",
        "hours": hours, "organizerUnitId": "fgw", "attendees": ["c001"]})
}

/// Refused with `rule`, the log unchanged.
async fn refused(app: &TestApp, query: &str, vars: Value, rule: &str) -> String {
    let head = app.head().await;
    let reply = app.admin(query, vars).await;
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        rule,
        "{:#}",
        reply.body
    );
    assert_eq!(app.head().await, head, "a refusal appends nothing");
    reply.first_error()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn hours_are_summed_exactly_everywhere() {
    let app = spawn_app().await;
    setup(&app).await;
    for (i, h) in [22.55, 22.55, 16.65, 16.65, 11.6].into_iter().enumerate() {
        let date = format!("2025-04-0{}", i + 1);
        app.admin(
            HOLD,
            json!({"i": session(&format!("s{i}"), &date, h), "m": {"effective": date}}),
        )
        .await
        .ok();
    }
    let p = app
        .admin(
            "{ cadre(id: \"c001\", asOf: \"2026-03-01\") { training { year hours met } } }",
            json!({}),
        )
        .await;
    let y2025 = p
        .data("cadre.training")
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["year"] == 2025)
        .cloned();
    assert_eq!(
        y2025,
        Some(json!({"year": 2025, "hours": 90.0, "met": true})),
        "{:#}",
        p.body
    );
    let alerts = app
        .admin(
            "{ alerts(asOf: \"2026-03-01\") { kind cadreId message } }",
            json!({}),
        )
        .await;
    let short: Vec<&Value> = alerts
        .data("alerts")
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "TRAINING_HOURS_SHORT" && a["cadreId"] == "c001")
        .collect();
    assert!(short.is_empty(), "{short:?}");
    let d = app
        .admin(
            "{ dashboards(asOf: \"2026-03-01\") { figures { dashboard metric key value } } }",
            json!({}),
        )
        .await;
    let met = d
        .data("dashboards.figures")
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["metric"] == "hours_requirement_met" && f["key"] == "2025/township");
    assert_eq!(met.map(|f| f["value"].clone()), Some(json!(1.0)));
    // Past the hundredth: refused, not rounded away.
    refused(
        &app,
        HOLD,
        json!({"i": session("s9", "2025-05-06", 8.001), "m": {"effective": "2025-05-06"}}),
        "HOURS_PRECISION",
    )
    .await;
}

#[tokio::test]
async fn a_session_is_dated_neither_after_its_effective_date_nor_before_the_cadres_birth() {
    let app = spawn_app().await;
    setup(&app).await;
    let m = refused(
        &app,
        HOLD,
        json!({"i": session("s1", "1901-01-01", 2.0), "m": {"effective": "2025-05-06"}}),
        "DATE_BEFORE_BIRTH",
    )
    .await;
    assert!(
        m.contains("张明（c001）") && m.contains("1980-05-01"),
        "{m}"
    );
    let m = refused(
        &app,
        HOLD,
        json!({"i": session("s2", "2025-06-04", 24.0), "m": {"effective": "2025-06-01"}}),
        "DATE_IN_FUTURE",
    )
    .await;
    assert!(m.contains("2025-06-04") && m.contains("2025-06-01"), "{m}");
    app.admin(
        HOLD,
        json!({"i": session("s2", "2025-06-01", 24.0), "m": {"effective": "2025-06-01"}}),
    )
    .await
    .ok();
    // A class's attendance: the same rules.
    cmd(
        &app,
        &app.admin,
        "scheduleClass",
        "ScheduleClassInput!",
        json!({"input": {
        "classId": "k1", "name": "主体班次", "kind": "MAIN", "startDate": "1901-01-01",
        "endDate": "2025-06-30", "scheduledHours": 200.0}, "meta": {"effective": "2025-05-01"}}),
    )
    .await;
    cmd(
        &app,
        &app.admin,
        "enrol",
        "EnrolInput!",
        json!({"input": {"classId": "k1", "cadreId": "c001"}, "meta": {"effective": "2025-05-01"}}),
    )
    .await;
    let attend = |date: &str, hours: f64, label: Option<&str>| {
        json!({"i": {"classId": "k1", "cadreId": "c001", "sessionDate": date, "hours": hours,
            "session": label}, "m": {"effective": "2025-06-03"}})
    };
    refused(
        &app,
        ATTEND,
        attend("1901-01-02", 8.0, None),
        "DATE_BEFORE_BIRTH",
    )
    .await;
    refused(
        &app,
        ATTEND,
        attend("2025-06-05", 8.0, None),
        "DATE_IN_FUTURE",
    )
    .await;
    // At most 24 hours a day in a class, counting what the day already holds.
    refused(
        &app,
        ATTEND,
        attend("2025-06-02", 99.0, None),
        "HOURS_OVER_A_DAY",
    )
    .await;
    app.admin(ATTEND, attend("2025-06-02", 16.0, Some("上午")))
        .await
        .ok();
    let m = refused(
        &app,
        ATTEND,
        attend("2025-06-02", 8.5, Some("晚上")),
        "HOURS_OVER_A_DAY",
    )
    .await;
    assert!(m.contains("张明（c001）") && m.contains("24.5"), "{m}");
    app.admin(ATTEND, attend("2025-06-02", 8.0, Some("晚上")))
        .await
        .ok();
}
