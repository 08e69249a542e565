//! Training hours through GraphQL: a promotion before meeting the hours owes a make-up (profile, alert, training figures) until the hours are credited, sessions dated after it counting from their dates however late it is recorded; the coverage figures and the profile hold 县处级 cadres to 550 hours over five years, not 110 a year, and count a cadre raised to 县处级 in the year once, under that level; a 公示 across 国庆 counted by the holiday calendar, refused then accepted.

use dossier_tests::{TestApp, id_number, spawn_app};
use serde_json::{Value, json};

use crate::{
    flow::{cmd, setup},
    quota_ranking::noticed,
};

async fn register(app: &TestApp, id: &str, rank: &str, seq: u32) {
    cmd(
        app,
        &app.admin,
        "registerCadre",
        "RegisterCadreInput!",
        json!({"input": {
        "cadreId": id, "name": format!("干部{id}"), "idNumber": id_number("1984-02-01", seq),
        "unitId": "fgw", "rank": rank, "rankSince": "2021-01-01"},
        "meta": {"effective": "2021-01-04"}}),
    )
    .await;
}

/// A class from `day` crediting `cadre` `hours`, 24 a day (the most a day credits) over as
/// many days as they take, each session recorded on its day.
async fn class_with_hours(app: &TestApp, class: &str, cadre: &str, day: &str, hours: f64) {
    let a = &app.admin;
    let first: chrono::NaiveDate = day.parse().expect("a date");
    let days = (hours / 24.0).ceil() as u64;
    let last = (first + chrono::Days::new(days - 1)).to_string();
    cmd(
        app,
        a,
        "scheduleClass",
        "ScheduleClassInput!",
        json!({"input": {
        "classId": class, "name": "主体班次", "kind": "MAIN", "startDate": day,
        "endDate": last, "scheduledHours": hours}, "meta": {"effective": day}}),
    )
    .await;
    cmd(
        app,
        a,
        "enrol",
        "EnrolInput!",
        json!({"input": {"classId": class, "cadreId": cadre}, "meta": {"effective": day}}),
    )
    .await;
    let mut left = hours;
    for i in 0..days {
        let on = (first + chrono::Days::new(i)).to_string();
        let h = left.min(24.0);
        left -= h;
        cmd(app, a, "recordAttendance", "RecordAttendanceInput!", json!({"input": {
            "classId": class, "cadreId": cadre, "sessionDate": on, "hours": h}, "meta": {"effective": on}}))
        .await;
    }
}

fn figure(reply: &Value, metric: &str, key: &str) -> Option<f64> {
    reply["data"]["dashboards"]["figures"]
        .as_array()
        .unwrap_or_else(|| panic!("{reply:#}"))
        .iter()
        .find(|f| f["dashboard"] == "training" && f["metric"] == metric && f["key"] == key)
        .and_then(|f| f["value"].as_f64())
}

async fn dashboards(app: &TestApp, as_of: &str) -> Value {
    app.admin(
        "query($d: Date!) { dashboards(asOf: $d) { figures { dashboard metric key value } } }",
        json!({"d": as_of}),
    )
    .await
    .body
}

async fn makeup_alerts(app: &TestApp, as_of: &str) -> Vec<String> {
    let r = app
        .admin(
            "query($d: Date) { alerts(asOf: $d) { kind cadreId message } }",
            json!({"d": as_of}),
        )
        .await;
    r.data("alerts")
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "TRAINING_MAKEUP_DUE" && a["cadreId"] == "m1")
        .map(|a| a["message"].as_str().unwrap().to_owned())
        .collect()
}

const MAKEUP: &str = "query($d: Date) { cadre(id: \"m1\", asOf: $d) { trainingMakeup { promotedOn to period required credited owed madeUp left dueOn done } } }";

#[tokio::test]
async fn a_promotion_short_of_the_hours_owes_a_makeup_until_credited() {
    let app = spawn_app().await;
    setup(&app).await;
    register(&app, "m1", "PRINCIPAL_CLERK_4", 41).await;
    // 2024: 30 hours of the 90 a 四级主任科员 needs.
    class_with_hours(&app, "k2024", "m1", "2024-05-06", 30.0).await;
    noticed(&app, "m1").await;
    app.admin(
        "mutation { promoteRank(input: {cadreId: \"m1\", to: PRINCIPAL_CLERK_3, documentNumber: \"姜组〔2025〕20号\", approvedBy: \"区委组织部\"}, meta: {effective: \"2025-07-01\"}) { events { type } } }",
        json!({}),
    )
    .await
    .ok();
    // The profile: 60 hours owed by 2026-07-01 (the policy's 12 months).
    let p = app.admin(MAKEUP, json!({"d": "2025-07-02"})).await;
    assert_eq!(
        p.data("cadre.trainingMakeup"),
        &json!({"promotedOn": "2025-07-01", "to": "PRINCIPAL_CLERK_3", "period": "2024 年",
            "required": 90.0, "credited": 30.0, "owed": 60.0, "madeUp": 0.0, "left": 60.0,
            "dueOn": "2026-07-01", "done": false})
    );
    // As of the day before the promotion, nothing is owed.
    let before = app.admin(MAKEUP, json!({"d": "2025-06-30"})).await;
    assert_eq!(before.data("cadre.trainingMakeup"), &Value::Null);
    // The alert, named 名（id）, with hours and due date.
    let alerts = makeup_alerts(&app, "2025-07-02").await;
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(
        alerts[0].contains("干部m1（m1） 2025-07-01 晋升三级主任科员时 2024 年培训学时 30.0"),
        "{alerts:?}"
    );
    assert!(
        alerts[0].contains("应于 2026-07-01 前补足 60.0 学时"),
        "{alerts:?}"
    );
    assert!(makeup_alerts(&app, "2025-06-30").await.is_empty());
    // The training figures: one owed, none overdue; overdue after the due date.
    let d = dashboards(&app, "2025-07-02").await;
    assert_eq!(figure(&d, "makeup_owed_cadres", ""), Some(1.0));
    assert_eq!(figure(&d, "makeup_overdue_cadres", ""), Some(0.0));
    let late = dashboards(&app, "2026-07-02").await;
    assert_eq!(figure(&late, "makeup_overdue_cadres", ""), Some(1.0));
    let late_alerts = makeup_alerts(&app, "2026-07-02").await;
    assert!(late_alerts[0].contains("已逾期"), "{late_alerts:?}");

    // 40 hours after the promotion: 20 left; 20 more: made up, the alert and figure go.
    class_with_hours(&app, "k2025a", "m1", "2025-09-01", 40.0).await;
    let p = app.admin(MAKEUP, json!({"d": "2025-12-31"})).await;
    assert_eq!(p.data("cadre.trainingMakeup.left"), 20.0);
    class_with_hours(&app, "k2025b", "m1", "2025-10-09", 20.0).await;
    let p = app.admin(MAKEUP, json!({"d": "2025-12-31"})).await;
    assert_eq!(p.data("cadre.trainingMakeup.done"), true);
    assert!(makeup_alerts(&app, "2025-12-31").await.is_empty());
    let d = dashboards(&app, "2025-12-31").await;
    assert_eq!(figure(&d, "makeup_owed_cadres", ""), Some(0.0));
}

#[tokio::test]
async fn a_promotion_recorded_after_sessions_dated_since_counts_them_from_their_dates() {
    let app = spawn_app().await;
    setup(&app).await;
    register(&app, "m1", "PRINCIPAL_CLERK_4", 45).await;
    // 2024: 30 of 90 hours. After the promotion date (2025-07-01), 40 + 30 hours are credited,
    // and only then is the promotion recorded, back-dated.
    class_with_hours(&app, "k2024", "m1", "2024-05-06", 30.0).await;
    noticed(&app, "m1").await;
    class_with_hours(&app, "k2025a", "m1", "2025-09-01", 40.0).await;
    class_with_hours(&app, "k2025b", "m1", "2025-10-09", 30.0).await;
    app.admin(
        "mutation { promoteRank(input: {cadreId: \"m1\", to: PRINCIPAL_CLERK_3, documentNumber: \"姜组〔2025〕20号\", approvedBy: \"区委组织部\"}, meta: {effective: \"2025-07-01\"}) { events { type } } }",
        json!({}),
    )
    .await
    .ok();
    // Made up by the 70 hours since, from the day the second class made it up.
    let p = app.admin(MAKEUP, json!({"d": "2025-12-31"})).await;
    assert_eq!(p.data("cadre.trainingMakeup.owed"), 60.0, "{:#}", p.body);
    assert_eq!(p.data("cadre.trainingMakeup.madeUp"), 70.0);
    assert_eq!(p.data("cadre.trainingMakeup.done"), true);
    assert!(makeup_alerts(&app, "2025-12-31").await.is_empty());
    let d = dashboards(&app, "2025-12-31").await;
    assert_eq!(figure(&d, "makeup_owed_cadres", ""), Some(0.0));
    // Between the two classes, 20 hours were still owed; before the first, all 60.
    let p = app.admin(MAKEUP, json!({"d": "2025-09-30"})).await;
    assert_eq!(p.data("cadre.trainingMakeup.left"), 20.0, "{:#}", p.body);
    let alerts = makeup_alerts(&app, "2025-09-30").await;
    assert!(
        alerts.len() == 1 && alerts[0].contains("尚欠 20.0 学时"),
        "{alerts:?}"
    );
    let d = dashboards(&app, "2025-09-30").await;
    assert_eq!(figure(&d, "makeup_owed_cadres", ""), Some(1.0));
    let p = app.admin(MAKEUP, json!({"d": "2025-08-01"})).await;
    assert_eq!(p.data("cadre.trainingMakeup.left"), 60.0, "{:#}", p.body);
}

#[tokio::test]
async fn county_level_coverage_counts_550_hours_over_five_years() {
    let app = spawn_app().await;
    setup(&app).await;
    // A 四级调研员 (县处级) with 120 hours in 2025: above 110 (550 / 5), far below 550.
    register(&app, "r1", "RESEARCHER_4", 43).await;
    class_with_hours(&app, "k1", "r1", "2025-03-03", 120.0).await;
    let d = dashboards(&app, "2025-12-31").await;
    assert_eq!(figure(&d, "hours_trained_cadres", "2025/county"), Some(1.0));
    assert_eq!(
        figure(&d, "hours_requirement_met", "2025/county"),
        Some(0.0)
    );
    let p = app
        .admin(
            "{ cadre(id: \"r1\", asOf: \"2025-12-31\") { training { year hours periodFrom periodHours required met } } }",
            json!({}),
        )
        .await;
    // Every year of service since registration (2021) is listed, zero-hour years too.
    let zero = |year: i32| json!({"year": year, "hours": 0.0, "periodFrom": year - 4, "periodHours": 0.0, "required": 550.0, "met": false});
    assert_eq!(
        p.data("cadre.training"),
        &json!([zero(2021), zero(2022), zero(2023), zero(2024),
            {"year": 2025, "hours": 120.0, "periodFrom": 2021, "periodHours": 120.0, "required": 550.0, "met": false}])
    );
    // 430 more in 2023 (the window 2021–2025): met.
    class_with_hours(&app, "k2", "r1", "2023-03-06", 430.0).await;
    let d = dashboards(&app, "2025-12-31").await;
    assert_eq!(
        figure(&d, "hours_requirement_met", "2025/county"),
        Some(1.0)
    );
}

#[tokio::test]
async fn a_cadre_raised_to_county_level_in_the_year_is_counted_once_under_that_level() {
    let app = spawn_app().await;
    setup(&app).await;
    // An 一级主任科员 (乡科级) with 40 hours in March, given a 县处级 leadership level in May,
    // then 20 hours more.
    register(&app, "v1", "PRINCIPAL_CLERK_1", 44).await;
    class_with_hours(&app, "v-k1", "v1", "2025-03-03", 40.0).await;
    let d = dashboards(&app, "2025-12-31").await;
    assert_eq!(
        figure(&d, "hours_trained_cadres", "2025/township"),
        Some(1.0)
    );
    app.admin(
        "mutation { changeLeadershipLevel(cadreId: \"v1\", level: COUNTY_DEPUTY, documentNumber: \"姜委〔2025〕9号\", meta: {effective: \"2025-05-06\"}) { position } }",
        json!({}),
    )
    .await
    .ok();
    class_with_hours(&app, "v-k2", "v1", "2025-06-02", 20.0).await;
    let d = dashboards(&app, "2025-12-31").await;
    assert_eq!(
        figure(&d, "hours_trained_cadres", "2025/township"),
        None,
        "no longer counted as 乡科级"
    );
    assert_eq!(figure(&d, "hours_trained_cadres", "2025/county"), Some(1.0));
    // As of a date before the change, as 乡科级 still.
    let d = dashboards(&app, "2025-04-30").await;
    assert_eq!(
        figure(&d, "hours_trained_cadres", "2025/township"),
        Some(1.0)
    );
    assert_eq!(figure(&d, "hours_trained_cadres", "2025/county"), None);
}

const PROMOTE_H: &str = "mutation($d: Date!) { promoteRank(input: {cadreId: \"h1\", to: PRINCIPAL_CLERK_3, documentNumber: \"姜组〔2025〕31号\", approvedBy: \"区委组织部\"}, meta: {effective: $d}) { events { type } } }";

#[tokio::test]
async fn a_public_notice_across_national_day_counts_working_days() {
    let app = spawn_app().await;
    setup(&app).await;
    register(&app, "h1", "PRINCIPAL_CLERK_4", 45).await;
    let start = "mutation($e: Date!) { startPublicNotice(input: {cadreId: \"h1\", noticeId: \"n1\", purpose: \"拟晋升三级主任科员\", targetRank: PRINCIPAL_CLERK_3, endsOn: $e}, meta: {effective: \"2025-09-29\"}) { events { type } } }";
    // 09-29 to 10-09 holds nine weekdays but three working days (国庆 10-01 to 10-08).
    let head = app.head().await;
    let short = app.admin(start, json!({"e": "2025-10-09"})).await;
    assert_eq!(
        short.first_error()["extensions"]["rule"],
        "PUBLIC_NOTICE_TOO_SHORT",
        "{:#}",
        short.body
    );
    let message = short.first_error()["message"].as_str().unwrap();
    assert!(message.contains("仅 3 个工作日"), "{message}");
    assert_eq!(app.head().await, head);
    // To Saturday 10-11, a 调休 working day: five.
    app.admin(start, json!({"e": "2025-10-11"})).await.ok();
    // Promotion while the notice runs: refused.
    let early = app.admin(PROMOTE_H, json!({"d": "2025-10-10"})).await;
    assert_eq!(
        early.first_error()["extensions"]["rule"],
        "PROMOTION_PUBLIC_NOTICE",
        "{:#}",
        early.body
    );
    app.admin(
        "mutation { endPublicNotice(cadreId: \"h1\", noticeId: \"n1\", objectionUpheld: false, meta: {effective: \"2025-10-11\"}) { streamVersion } }",
        json!({}),
    )
    .await
    .ok();
    app.admin(PROMOTE_H, json!({"d": "2025-10-13"})).await.ok();
    let p = app
        .admin("{ cadre(id: \"h1\") { rank rankSince } }", json!({}))
        .await;
    assert_eq!(p.data("cadre.rank"), "PRINCIPAL_CLERK_3");
    assert_eq!(p.data("cadre.rankSince"), "2025-10-13");
}
