//! Typed read sections through GraphQL: a profile's points breakdown and supervision counts,
//! the training, care and log dashboards, a unit's posts with hot-post tenure, the rotation
//! dashboard's hot posts due, and the policy values.

use dossier_domain::Role;
use dossier_tests::{TestApp, spawn_app};
use serde_json::{Value, json};

use crate::flow::{flow, setup};

/// Run a mutation as the admin and expect it to succeed.
async fn ok(app: &TestApp, field: &str, query: &str) -> Value {
    TestApp::expect_ok(app.admin(query, json!({})).await, field)
}

#[tokio::test]
async fn the_points_breakdown_lists_each_grade_award_and_seniority_and_sums_to_the_total() {
    let app = spawn_app().await;
    setup(&app).await;
    // Six colleagues graded first, so the unit's 15% share allows one 优秀 in 2023.
    for i in 2..=7 {
        let id = format!("c00{i}");
        crate::record_rules::register(&app, &id, i).await;
        let q = format!(
            "mutation {{ recordGrade(input: {{cadreId: \"{id}\", unitId: \"fgw\", year: 2023, grade: COMPETENT}}, meta: {{effective: \"2024-01-20\"}}) {{ streamVersion }} }}"
        );
        ok(&app, "recordGrade", &q).await;
    }
    ok(&app, "recordGrade", "mutation { recordGrade(input: {cadreId: \"c001\", unitId: \"fgw\", year: 2023, grade: EXCELLENT}, meta: {effective: \"2024-01-20\", basis: \"姜考〔2024〕1号\"}) { streamVersion } }").await;
    ok(&app, "recordGrade", "mutation { recordGrade(input: {cadreId: \"c001\", unitId: \"fgw\", year: 2024, grade: COMPETENT}, meta: {effective: \"2025-01-20\", basis: \"姜考〔2025〕1号\"}) { streamVersion } }").await;
    ok(&app, "grantAward", "mutation { grantAward(input: {cadreId: \"c001\", awardId: \"aw1\", kind: COMMENDATION, title: \"嘉奖\", year: 2024}, meta: {effective: \"2025-02-01\", basis: \"姜委〔2025〕5号\"}) { streamVersion } }").await;

    let p = ok(
        &app,
        "cadre",
        "{ cadre(id: \"c001\", asOf: \"2025-06-30\") { points { total countedYears field multiplier items { category label year points } } } }",
    )
    .await;
    let points = &p["points"];
    // 优秀 10 (which also earns a 嘉奖, 3) + 称职 6 + the 2024 嘉奖 3
    // + six whole years in the rank since 2019-01-01.
    assert_eq!(points["total"], 28.0, "{points:#}");
    assert_eq!(
        points["countedYears"],
        json!([2020, 2021, 2022, 2023, 2024])
    );
    assert_eq!(points["multiplier"], 1.0);
    assert_eq!(points["field"], Value::Null);
    let items = points["items"].as_array().expect("items");
    let sum: f64 = items.iter().map(|i| i["points"].as_f64().unwrap()).sum();
    assert_eq!(sum, 28.0, "the items sum to the total: {items:#?}");
    let line = |category: &str, year: Value| {
        items
            .iter()
            .find(|i| i["category"] == category && i["year"] == year)
            .map(|i| i["points"].as_f64().unwrap())
    };
    assert_eq!(line("GRADE", json!(2023)), Some(10.0), "{items:#?}");
    assert_eq!(line("GRADE", json!(2024)), Some(6.0), "{items:#?}");
    assert_eq!(line("AWARD", json!(2023)), Some(3.0), "{items:#?}");
    assert_eq!(line("AWARD", json!(2024)), Some(3.0), "{items:#?}");
    assert_eq!(line("SENIORITY", Value::Null), Some(6.0), "{items:#?}");
    assert!(
        items.iter().any(|i| i["label"] == "2023 年度考核优秀"),
        "{items:#?}"
    );
}

#[tokio::test]
async fn supervision_counts_are_typed_by_source_and_category_and_each_read_is_recorded() {
    let app = spawn_app().await;
    setup(&app).await;
    for id in ["s1", "s2"] {
        ok(&app, "recordSupervision", &format!("mutation {{ recordSupervision(input: {{entryId: \"{id}\", cadreId: \"c001\", source: ORG_SECTION, sourceName: \"干部监督科\", channel: MEETING, kind: DAILY_CONDUCT, tone: NEUTRAL, content: \"列席民主生活会\", observedOn: \"2025-03-01\"}}, meta: {{effective: \"2025-03-01\"}}) {{ streamVersion }} }}")).await;
    }
    ok(&app, "transferLead", "mutation { transferLead(input: {leadId: \"l1\", cadreId: \"c001\", agency: POLICE, category: JUDICIAL, summary: \"交通违法记录\"}, meta: {effective: \"2025-04-01\"}) { streamVersion } }").await;

    let before = app
        .store
        .read_stream("access-log", Default::default())
        .await
        .map(|e| e.len())
        .unwrap_or(0);
    let discipline = app.token(Role::DisciplineInspector, None).await;
    let reply = app
        .gql(
            Some(&discipline),
            "{ cadre(id: \"c001\") { supervision { source category count entrySource entryKind leadAgency leadCategory } } }",
            json!({}),
        )
        .await;
    let mut counts = TestApp::expect_ok(reply, "cadre")["supervision"]
        .as_array()
        .expect("counts")
        .clone();
    counts.sort_by_key(|c| c["source"].as_str().unwrap_or_default().to_owned());
    assert_eq!(
        counts,
        vec![
            json!({"source": "lead:police", "category": "judicial", "count": 1, "entrySource": null, "entryKind": null, "leadAgency": "POLICE", "leadCategory": "JUDICIAL"}),
            json!({"source": "org_section", "category": "daily_conduct", "count": 2, "entrySource": "ORG_SECTION", "entryKind": "DAILY_CONDUCT", "leadAgency": null, "leadCategory": null}),
        ]
    );
    let after = app
        .store
        .read_stream("access-log", Default::default())
        .await
        .expect("access log")
        .len();
    assert_eq!(
        after,
        before + 1,
        "the read of supervision counts is recorded"
    );

    let auditor = app.token(Role::Auditor, None).await;
    let refused = app
        .gql(
            Some(&auditor),
            "{ cadre(id: \"c001\") { supervision { count } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        refused.codes(),
        vec!["FORBIDDEN".to_owned()],
        "{:#}",
        refused.body
    );
}

#[tokio::test]
async fn the_dashboards_show_training_care_and_log_sections_as_typed_figures() {
    let app = spawn_app().await;
    flow(&app).await;
    // A second appeal left at its first stage: overdue three days after filing.
    ok(&app, "fileAppeal", "mutation { fileAppeal(input: {appealId: \"a2\", cadreId: \"c001\", level: DISTRICT, summary: \"子女入学咨询\"}, meta: {effective: \"2025-08-01\"}) { streamVersion } }").await;
    let head = app.head().await;

    let dash = ok(
        &app,
        "dashboards",
        "{ dashboards(asOf: \"2025-12-31\") {
            training { byKind { kind classes enrolments completions hoursCredited byMethod { method classes } } byTheme { theme classes } study { mode sessions attendances } forumCycles }
            care { appeals byStage { stage appeals } overdueByStage { stage appeals } overdue { appealId cadreId stage dueOn daysOverdue } medianDaysToClose typicalCases accountabilityByJudgement { pioneering cases } }
            log { events lastPosition eventsByType { eventType events } streamsByKind { kind streams } }
        } }",
    )
    .await;
    assert_eq!(
        dash["training"]["byKind"],
        json!([{"kind": "THEMATIC", "classes": 1, "enrolments": 1, "completions": 1, "hoursCredited": 40.0,
                "byMethod": [{"method": "CASE", "classes": 1}, {"method": "SIMULATION", "classes": 1}]}]),
        "{dash:#}"
    );
    assert_eq!(
        dash["training"]["byTheme"],
        json!([{"theme": "招商引资", "classes": 1}])
    );
    assert_eq!(dash["training"]["study"], json!([]));

    let care = &dash["care"];
    assert_eq!(care["appeals"], 2, "{care:#}");
    assert_eq!(
        care["byStage"],
        json!([
            {"stage": "FILED", "appeals": 1}, {"stage": "LISTED", "appeals": 0},
            {"stage": "CLAIMED", "appeals": 0}, {"stage": "COORDINATED", "appeals": 0},
            {"stage": "TRACKED", "appeals": 0}, {"stage": "CLOSED", "appeals": 1},
        ]),
        "{care:#}"
    );
    assert_eq!(
        care["overdueByStage"],
        json!([{"stage": "FILED", "appeals": 1}])
    );
    // Filed 2025-08-01, three days to list it: due 2025-08-04, 149 days overdue on 2025-12-31.
    assert_eq!(
        care["overdue"],
        json!([{"appealId": "a2", "cadreId": "c001", "stage": "FILED", "dueOn": "2025-08-04", "daysOverdue": 149}])
    );
    // a1: filed 2025-07-01, closed 2025-07-20.
    assert_eq!(care["medianDaysToClose"], 19.0);

    let log = &dash["log"];
    assert_eq!(log["events"].as_u64(), Some(head), "{log:#}");
    assert_eq!(log["lastPosition"].as_u64(), Some(head));
    let by_type = log["eventsByType"].as_array().expect("by type");
    assert!(
        by_type.contains(&json!({"eventType": "appeal.Filed", "events": 2})),
        "{by_type:#?}"
    );
    let by_kind = log["streamsByKind"].as_array().expect("by kind");
    assert!(
        by_kind.contains(&json!({"kind": "appeal", "streams": 2})),
        "{by_kind:#?}"
    );
    assert!(
        by_kind.contains(&json!({"kind": "unit", "streams": 2})),
        "{by_kind:#?}"
    );
}

#[tokio::test]
async fn analysts_read_care_counts_but_not_the_overdue_appeals_that_name_cadres() {
    let app = spawn_app().await;
    flow(&app).await;
    let analyst = app.token(Role::Analyst, None).await;
    let counts = app
        .gql(
            Some(&analyst),
            "{ dashboards(asOf: \"2025-12-31\") { care { appeals byStage { stage appeals } } } }",
            json!({}),
        )
        .await;
    let counts = TestApp::expect_ok(counts, "dashboards");
    assert_eq!(counts["care"]["appeals"], 1);

    let names = app
        .gql(
            Some(&analyst),
            "{ dashboards(asOf: \"2025-12-31\") { care { overdue { appealId cadreId } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        names.codes(),
        vec!["FORBIDDEN".to_owned()],
        "{:#}",
        names.body
    );
}

#[tokio::test]
async fn a_unit_lists_its_posts_vacancies_and_hot_post_tenure_on_the_date() {
    let app = spawn_app().await;
    setup(&app).await;
    ok(&app, "openPost", "mutation { openPost(input: {unitId: \"fgw\", postId: \"deputy\", title: \"副主任\", category: BUSINESS, leadershipLevel: TOWNSHIP_DEPUTY}, meta: {effective: \"2020-01-01\"}) { streamVersion } }").await;
    ok(&app, "designateHotPost", "mutation { designateHotPost(unitId: \"fgw\", postId: \"head\", tenureLimitYears: 5, meta: {effective: \"2021-01-01\", basis: \"姜组〔2021〕2号\"}) { streamVersion } }").await;

    let q = |on: &str| {
        format!(
            "{{ unit(id: \"fgw\", asOf: \"{on}\") {{ name asOf
                posts {{ postId title category leadershipLevel headsUnit open hotLimitYears incumbents {{ cadreId since }} }}
                vacancies {{ postId }}
                hotPosts {{ postId title cadreId since limitYears years due }} }} }}"
        )
    };
    let unit = ok(&app, "unit", &q("2025-06-30")).await;
    assert_eq!(unit["name"], "区发展和改革委员会");
    assert_eq!(
        unit["posts"],
        json!([
            {"postId": "deputy", "title": "副主任", "category": "BUSINESS", "leadershipLevel": "TOWNSHIP_DEPUTY",
             "headsUnit": false, "open": true, "hotLimitYears": null, "incumbents": []},
            {"postId": "head", "title": "主任", "category": "BUSINESS", "leadershipLevel": "TOWNSHIP_CHIEF",
             "headsUnit": true, "open": true, "hotLimitYears": 5, "incumbents": [{"cadreId": "c001", "since": "2020-01-10"}]},
        ]),
        "{unit:#}"
    );
    assert_eq!(unit["vacancies"], json!([{"postId": "deputy"}]));
    // In the post since 2020-01-10: five whole years on 2025-06-30, the hot-post limit.
    assert_eq!(
        unit["hotPosts"],
        json!([{"postId": "head", "title": "主任", "cadreId": "c001", "since": "2020-01-10", "limitYears": 5, "years": 5, "due": true}])
    );
    let earlier = ok(&app, "unit", &q("2024-06-30")).await;
    assert_eq!(earlier["hotPosts"][0]["years"], 4);
    assert_eq!(earlier["hotPosts"][0]["due"], false);
}

/// The rotation dashboard's `hot_posts_due` figures on `on` (today when absent): unit → count,
/// with the total under `""`.
async fn hot_posts_due(app: &TestApp, on: Option<&str>) -> std::collections::BTreeMap<String, f64> {
    let args = on.map(|d| format!("(asOf: \"{d}\")")).unwrap_or_default();
    let d = ok(
        app,
        "dashboards",
        &format!("{{ dashboards{args} {{ figures {{ dashboard metric key value }} }} }}"),
    )
    .await;
    d["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .filter(|f| f["dashboard"] == "rotation" && f["metric"] == "hot_posts_due")
        .map(|f| {
            (
                f["key"].as_str().unwrap().to_owned(),
                f["value"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_rotation_dashboard_counts_hot_posts_due_and_follows_appointments_and_removals() {
    let app = spawn_app().await;
    setup(&app).await;
    ok(&app, "designateHotPost", "mutation { designateHotPost(unitId: \"fgw\", postId: \"head\", tenureLimitYears: 5, meta: {effective: \"2021-01-01\", basis: \"姜组〔2021〕2号\"}) { streamVersion } }").await;
    ok(&app, "designateHotPost", "mutation { designateHotPost(unitId: \"sw\", postId: \"head\", tenureLimitYears: 5, meta: {effective: \"2021-01-01\", basis: \"姜组〔2021〕3号\"}) { streamVersion } }").await;
    let due = |pairs: &[(&str, f64)]| {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect::<std::collections::BTreeMap<_, _>>()
    };

    // c001 has held fgw's hot post since 2020-01-10: due from 2025-01-10, not before.
    assert_eq!(
        hot_posts_due(&app, Some("2024-06-30")).await,
        due(&[("", 0.0)])
    );
    assert_eq!(
        hot_posts_due(&app, None).await,
        due(&[("", 1.0), ("fgw", 1.0)])
    );

    // A second holder of a hot post, in it since 2020-03-01: today's count follows at once.
    crate::record_rules::register(&app, "c002", 2).await;
    ok(&app, "appoint", "mutation { appoint(input: {cadreId: \"c002\", unitId: \"sw\", postId: \"head\", manner: COMMISSION, reason: PROMOTION, changeCategory: PROMOTED, nominatedBy: \"区委组织部\", approvedBy: \"区委常委会\", decidedOn: \"2021-03-01\", documentNumber: \"姜委〔2021〕9号\"}, meta: {effective: \"2021-03-01\", basis: \"姜委〔2021〕9号\"}) { streamVersion } }").await;
    assert_eq!(
        hot_posts_due(&app, None).await,
        due(&[("", 2.0), ("fgw", 1.0), ("sw", 1.0)])
    );
    // Not yet due on 2026-02-28, five years less a day after 2021-03-01.
    assert_eq!(
        hot_posts_due(&app, Some("2026-02-28")).await,
        due(&[("", 1.0), ("fgw", 1.0)])
    );

    // c001 leaves the post: fgw drops out of today's count.
    ok(&app, "removeFromPost", "mutation { removeFromPost(input: {cadreId: \"c001\", unitId: \"fgw\", postId: \"head\", manner: REMOVAL, reason: TRANSFER, approvedBy: \"区委常委会\", decidedOn: \"2026-11-20\", documentNumber: \"姜委〔2026〕30号\"}, meta: {effective: \"2026-11-20\", basis: \"姜委〔2026〕30号\"}) { streamVersion } }").await;
    assert_eq!(
        hot_posts_due(&app, None).await,
        due(&[("", 1.0), ("sw", 1.0)])
    );
}

/// Every field of the policy, as `policy` answers and `publishPolicy` takes it.
const POLICY_FIELDS: &str = "promotion { ladder { to from equivalent minMonths } excellentReductionMonths publicNoticeWorkingDays }
    assessment { excellentSharePercent excellentShareMaxPercent meritAfterExcellentYears admonitionMonths dismissalAfterIncompetentYears }
    sanctions { effectMonths { sanction months } admonitionEffectMonths }
    points { gradePoints { grade points } awardPoints { kind points } sanctionPoints { sanction points } seniorityPointsPerYear countedYears frontLineMultiplier { field multiplier } }
    quota { frontLinePerYear }
    training { townshipHoursPerYear countyHoursPerWindow countyWindowYears makeupMonths completionAttendancePercent }
    tenure { leadershipSamePostYears sensitivePostYears maxTermsSamePost maxYearsSameLevel sensitiveCategories termYears avoidanceCategories }
    appeal { listDays assignDays claimDays coordinateDays trackDays }
    reminders { endDateDaysAhead downReviewDueDays }";

async fn policy_on(app: &TestApp, on: &str) -> Value {
    ok(
        app,
        "policy",
        &format!("{{ policy(asOf: \"{on}\") {{ {POLICY_FIELDS} }} }}"),
    )
    .await
}

fn min_months_to(policy: &Value, rank: &str) -> Value {
    policy["promotion"]["ladder"]
        .as_array()
        .expect("ladder")
        .iter()
        .find(|s| s["to"] == rank)
        .map(|s| s["minMonths"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_published_policy_reads_back_typed_from_its_effective_date_and_a_bad_one_changes_nothing()
{
    let app = spawn_app().await;
    let national = policy_on(&app, "2025-06-30").await;
    // 一级主任科员 → 四级调研员: two years.
    assert_eq!(min_months_to(&national, "RESEARCHER_4"), 24, "{national:#}");
    assert_eq!(national["quota"]["frontLinePerYear"], 20);
    assert_eq!(national["points"]["countedYears"], 5);
    // Award points by award kind, an enum as every other key of the policy.
    assert_eq!(
        national["points"]["awardPoints"],
        json!([{"kind": "COMMENDATION", "points": 3.0}, {"kind": "MERIT", "points": 6.0},
               {"kind": "STEED", "points": 8.0}, {"kind": "THREE_GOOD", "points": 4.0}])
    );

    let mut district = national.clone();
    district["points"]["awardPoints"]
        .as_array_mut()
        .unwrap()
        .push(json!({"kind": "OTHER", "points": 1.0}));
    for step in district["promotion"]["ladder"].as_array_mut().unwrap() {
        if step["to"] == "RESEARCHER_4" {
            step["minMonths"] = json!(36);
        }
    }
    district["quota"]["frontLinePerYear"] = json!(25);
    let publish = "mutation($p: PolicyInput!, $m: CommandMeta) { publishPolicy(title: \"职级晋升补充规定\", effectiveFrom: \"2026-01-01\", policy: $p, meta: $m) { streamVersion } }";
    let reply = app
        .admin(
            publish,
            json!({"p": district, "m": {"effective": "2025-12-01", "basis": "姜组〔2025〕30号"}}),
        )
        .await;
    TestApp::expect_ok(reply, "publishPolicy");

    let before = policy_on(&app, "2025-12-31").await;
    assert_eq!(
        before, national,
        "the version is not in force before its date"
    );
    let after = policy_on(&app, "2026-06-30").await;
    assert_eq!(after, district, "every value reads back as published");
    assert_eq!(min_months_to(&after, "RESEARCHER_4"), 36);

    let mut versions = ok(
        &app,
        "policyVersions",
        "{ policyVersions { version title effectiveFrom basis publishedOn policy { quota { frontLinePerYear } } } }",
    )
    .await;
    // Published on the day it was recorded.
    let published_on = versions[0]["publishedOn"].take();
    assert!(
        published_on.as_str().is_some_and(|d| d.len() == 10),
        "{published_on}"
    );
    assert_eq!(
        versions,
        json!([{"version": 1, "title": "职级晋升补充规定", "effectiveFrom": "2026-01-01", "basis": "姜组〔2025〕30号",
                "publishedOn": null, "policy": {"quota": {"frontLinePerYear": 25}}}])
    );

    // An award kind is one of the enum's values: the code as a free string is no longer taken.
    let head = app.head().await;
    let mut free = district.clone();
    free["points"]["awardPoints"][0]["kind"] = json!("commendation");
    let refused = app
        .admin(
            publish,
            json!({"p": free, "m": {"effective": "2025-12-02", "basis": "姜组〔2025〕31号"}}),
        )
        .await;
    assert_eq!(
        refused.codes(),
        vec!["GRAPHQL_VALIDATION_FAILED".to_owned()],
        "{:#}",
        refused.body
    );
    assert_eq!(app.head().await, head);

    // A share of 优秀 above the national ceiling is refused by its rule; nothing is written.
    let mut bad = district.clone();
    bad["assessment"]["excellentShareMaxPercent"] = json!(30);
    let refused = app
        .admin(
            publish,
            json!({"p": bad, "m": {"effective": "2025-12-02", "basis": "姜组〔2025〕31号"}}),
        )
        .await;
    assert_eq!(
        refused.codes(),
        vec!["RULE_REFUSED".to_owned()],
        "{:#}",
        refused.body
    );
    assert_eq!(
        refused.first_error()["extensions"]["rule"],
        "POLICY_EXCELLENT_SHARE_CEILING"
    );
    assert_eq!(app.head().await, head);
}
