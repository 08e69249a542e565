//! 不称职 consequences through GraphQL: each year's rank lowering waits on the profile, in the alerts and on the down dashboard until a decision with its 文号 carries it out; the down review's clock runs from the grade; two 不称职 years open a dismissal case that is decided (ending every post) and closed, counted on the down dashboard as it stands on each date; a review opened on a 不称职 year needs that year graded 不称职.

use dossier_tests::TestApp;
use serde_json::{Value, json};

use crate::flow::{cmd, down_figure, setup};

async fn grade(app: &TestApp, year: i32, on: &str) {
    cmd(
        app,
        &app.admin,
        "recordGrade",
        "RecordGradeInput!",
        json!({"input": {"cadreId": "c001", "unitId": "fgw", "year": year, "grade": "INCOMPETENT"},
               "meta": {"effective": on, "basis": format!("姜考〔{}〕1号", year + 1)}}),
    )
    .await;
}

async fn profile(app: &TestApp) -> Value {
    let reply = app
        .admin(
            "{ cadre(id: \"c001\") { rank posts { postId } pendingRankLowering { year from to raisedOn }
               dismissalCase { caseId reason dismissed decidedOn documentNumber closedOn }
               downReviews { year raisedOn dueOn reviewId } } }",
            json!({}),
        )
        .await;
    reply.ok();
    reply.body["data"]["cadre"].clone()
}

/// c001's alerts on `on`: (kind, message).
async fn alerts_of_c001(app: &TestApp, on: &str) -> Vec<(String, String)> {
    let reply = app
        .admin(
            "query($d: Date) { alerts(asOf: $d) { kind cadreId message } }",
            json!({"d": on}),
        )
        .await;
    reply.ok();
    reply.body["data"]["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["cadreId"] == "c001")
        .map(|a| {
            let text = |k: &str| a[k].as_str().unwrap().to_owned();
            (text("kind"), text("message"))
        })
        .collect()
}

async fn alert_kinds(app: &TestApp, on: &str) -> Vec<String> {
    alerts_of_c001(app, on)
        .await
        .into_iter()
        .map(|(kind, _)| kind)
        .collect()
}

#[tokio::test]
async fn an_incompetent_grade_leaves_the_rank_lowering_pending_until_a_decision_carries_it_out() {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    grade(&app, 2023, "2024-01-20").await;
    let p = profile(&app).await;
    assert_eq!(
        p["rank"], "PRINCIPAL_CLERK_1",
        "not lowered by the grade: {p:#}"
    );
    assert_eq!(
        p["pendingRankLowering"],
        json!({"year": 2023, "from": "PRINCIPAL_CLERK_1", "to": "PRINCIPAL_CLERK_2", "raisedOn": "2024-01-20"}),
        "{p:#}"
    );
    assert!(
        alert_kinds(&app, "2024-02-01")
            .await
            .contains(&"RANK_LOWERING_PENDING".to_owned())
    );
    assert_eq!(
        down_figure(&app, "2024-02-01", "rank_lowerings_pending", "").await,
        1.0
    );

    // Without the decision's 文号 it is refused, and nothing is written.
    let before = app.head().await;
    let reply = app
        .admin(
            "mutation { lowerRank(cadreId: \"c001\", reason: \"\", meta: {effective: \"2024-03-01\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
    assert!(
        reply.body.to_string().contains("DOCUMENT_NUMBER_REQUIRED"),
        "{:#}",
        reply.body
    );
    assert_eq!(app.head().await, before);

    let reply = app
        .admin(
            "mutation { lowerRank(cadreId: \"c001\", reason: \"\", documentNumber: \"姜组〔2024〕5号\", meta: {effective: \"2024-03-01\"}) { streamVersion } }",
            json!({}),
        )
        .await;
    reply.ok();
    let p = profile(&app).await;
    assert_eq!(p["rank"], "PRINCIPAL_CLERK_2", "{p:#}");
    assert!(p["pendingRankLowering"].is_null(), "{p:#}");
    assert!(
        !alert_kinds(&app, "2024-03-02")
            .await
            .contains(&"RANK_LOWERING_PENDING".to_owned())
    );
    assert_eq!(
        down_figure(&app, "2024-03-02", "rank_lowerings_pending", "").await,
        0.0
    );
    assert_eq!(
        down_figure(&app, "2024-03-02", "rank_lowerings_done", "").await,
        1.0
    );
    // As of the day before the decision, it was still pending, and the alerts of that day
    // agree with the dashboards (they read the record as it stood, not today's).
    assert_eq!(
        down_figure(&app, "2024-02-29", "rank_lowerings_pending", "").await,
        1.0
    );
    assert!(
        alert_kinds(&app, "2024-02-29")
            .await
            .contains(&"RANK_LOWERING_PENDING".to_owned())
    );
}

#[tokio::test]
async fn the_down_review_is_due_from_the_grade_however_late_it_is_opened() {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    grade(&app, 2023, "2024-01-20").await;
    // Before it is opened, the review the grade requires is already due 60 days (the policy's
    // default) after the grade.
    let p = profile(&app).await;
    assert!(p["downReviews"][0]["reviewId"].is_null(), "{p:#}");
    assert_eq!(p["downReviews"][0]["dueOn"], "2024-03-20", "{p:#}");
    cmd(
        &app,
        &app.admin,
        "openDownReview",
        "OpenDownReviewInput!",
        json!({"input": {"reviewId": "r1", "cadreId": "c001", "trigger": "INCOMPETENT_GRADE", "gradeYear": 2023, "reason": "年度考核不称职"},
               "meta": {"effective": "2024-03-15"}}),
    )
    .await;
    let p = profile(&app).await;
    let review = &p["downReviews"][0];
    assert_eq!(review["reviewId"], "r1", "{p:#}");
    // 60 days (the policy's default) from the grade's date, not from the opening.
    assert_eq!(review["dueOn"], "2024-03-20", "{p:#}");
}

/// Run `mutation` as the admin, expect it refused by `CADRE_DISMISSED`, and return the message.
async fn refused_as_dismissed(app: &TestApp, mutation: &str) -> String {
    let reply = app.admin(mutation, json!({})).await;
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        "CADRE_DISMISSED",
        "{:#}",
        reply.body
    );
    reply.first_error()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn two_incompetent_years_open_a_dismissal_case_decided_on_a_document_and_closed() {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    grade(&app, 2023, "2024-01-20").await;
    grade(&app, 2024, "2025-01-20").await;
    let p = profile(&app).await;
    let case = &p["dismissalCase"];
    assert_eq!(case["caseId"], "2024-dismissal", "{p:#}");
    assert!(
        case["dismissed"].is_null() && case["closedOn"].is_null(),
        "{p:#}"
    );
    assert!(
        alert_kinds(&app, "2025-02-01")
            .await
            .contains(&"DISMISSAL_CASE_OPEN".to_owned())
    );
    assert_eq!(
        down_figure(&app, "2025-02-01", "dismissal_cases", "undecided").await,
        1.0
    );

    let decide = "mutation($d: Boolean!, $doc: String, $why: String!) { decideDismissal(input: {cadreId: \"c001\", caseId: \"2024-dismissal\", dismissed: $d, documentNumber: $doc, reasons: $why}, meta: {effective: \"2025-03-01\"}) { streamVersion } }";
    let before = app.head().await;
    let reply = app
        .admin(decide, json!({"d": true, "doc": null, "why": ""}))
        .await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
    assert_eq!(app.head().await, before);
    app.admin(
        decide,
        json!({"d": true, "doc": "姜组〔2025〕12号", "why": ""}),
    )
    .await
    .ok();
    let p = profile(&app).await;
    assert_eq!(p["posts"], json!([]), "every post ended: {p:#}");
    assert_eq!(p["dismissalCase"]["dismissed"], true);
    assert_eq!(p["dismissalCase"]["documentNumber"], "姜组〔2025〕12号");
    assert_eq!(
        down_figure(&app, "2025-03-02", "dismissal_cases", "dismissed").await,
        1.0
    );
    assert_eq!(
        down_figure(&app, "2025-03-02", "dismissal_cases", "undecided").await,
        0.0
    );
    // 辞退 ends the cadre's service: of them only the open case is still due, and no promotion
    // follows (the day before, the other consequences were still due).
    assert!(
        alert_kinds(&app, "2025-02-28").await.len() > 1,
        "before the decision: more than the case"
    );
    assert_eq!(
        alert_kinds(&app, "2025-03-02").await,
        ["DISMISSAL_CASE_OPEN"]
    );
    let before = app.head().await;
    refused_as_dismissed(
        &app,
        "mutation { promoteRank(input: {cadreId: \"c001\", to: RESEARCHER_4, documentNumber: \"姜组〔2025〕20号\", approvedBy: \"区委组织部\"}, meta: {effective: \"2025-03-05\", dryRun: true}) { events { type } } }",
    )
    .await;
    // Nor are they graded for the dismissal year, or awarded for it afterwards; nothing is written.
    let message = refused_as_dismissed(
        &app,
        "mutation { recordGrade(input: {cadreId: \"c001\", unitId: \"fgw\", year: 2025, grade: COMPETENT}, meta: {effective: \"2026-01-15\"}) { streamVersion } }",
    )
    .await;
    assert!(
        message.contains("张明（c001）") && message.contains("2025-03-01"),
        "{message}"
    );
    refused_as_dismissed(
        &app,
        "mutation { grantAward(input: {cadreId: \"c001\", awardId: \"late\", kind: COMMENDATION, title: \"嘉奖\", year: 2025}, meta: {effective: \"2025-06-01\"}) { streamVersion } }",
    )
    .await;
    assert_eq!(app.head().await, before);
    // They leave the unit's roster, and are still found by name.
    let roster = |filter: &'static str| {
        let app = &app;
        async move {
            let reply = app
                .admin(
                    &format!(
                        "{{ cadres(first: 100, {filter}) {{ edges {{ node {{ cadreId }} }} }} }}"
                    ),
                    json!({}),
                )
                .await;
            reply.ok();
            reply.body["data"]["cadres"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["node"]["cadreId"] == "c001")
        }
    };
    assert!(
        !roster("unitId: \"fgw\"").await,
        "no longer in the unit's roster"
    );
    assert!(
        roster("nameContains: \"张明\"").await,
        "still found by name"
    );

    app.admin(
        "mutation { closeDismissalCase(cadreId: \"c001\", caseId: \"2024-dismissal\", note: \"办结\", meta: {effective: \"2025-03-10\"}) { streamVersion } }",
        json!({}),
    )
    .await
    .ok();
    let p = profile(&app).await;
    assert_eq!(p["dismissalCase"]["closedOn"], "2025-03-10", "{p:#}");
    assert!(
        !alert_kinds(&app, "2025-03-11")
            .await
            .contains(&"DISMISSAL_CASE_OPEN".to_owned())
    );
    assert_eq!(
        down_figure(&app, "2025-03-11", "dismissal_cases", "closed").await,
        1.0
    );
    // As of the day before the decision, the post was still held.
    let reply = app
        .admin(
            "{ cadre(id: \"c001\", asOf: \"2025-02-28\") { posts { postId } dismissalCase { dismissed } } }",
            json!({}),
        )
        .await;
    reply.ok();
    assert_eq!(
        reply.data("cadre.posts.0.postId"),
        "head",
        "{:#}",
        reply.body
    );
    assert!(reply.data("cadre.dismissalCase.dismissed").is_null());
}

/// The messages of c001's alerts of `kind` on `on`.
async fn alert_messages(app: &TestApp, on: &str, kind: &str) -> Vec<String> {
    alerts_of_c001(app, on)
        .await
        .into_iter()
        .filter(|(k, _)| k == kind)
        .map(|(_, message)| message)
        .collect()
}

async fn lower_rank(app: &TestApp, document: &str, on: &str) {
    app.admin(
        "mutation($doc: String!, $on: Date!) { lowerRank(cadreId: \"c001\", reason: \"\", documentNumber: $doc, meta: {effective: $on}) { streamVersion } }",
        json!({"doc": document, "on": on}),
    )
    .await
    .ok();
}

async fn pending_lowerings(app: &TestApp) -> (Value, Value, Value) {
    let reply = app
        .admin(
            "{ cadre(id: \"c001\") { rank pendingRankLowering { year } pendingRankLowerings { year from to raisedOn } } }",
            json!({}),
        )
        .await;
    reply.ok();
    let c = &reply.body["data"]["cadre"];
    (
        c["rank"].clone(),
        c["pendingRankLowering"]["year"].clone(),
        c["pendingRankLowerings"].clone(),
    )
}

#[tokio::test]
async fn each_incompetent_years_lowering_stays_pending_until_a_decision_carries_it_out_oldest_first()
 {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    grade(&app, 2023, "2024-01-20").await;
    grade(&app, 2024, "2025-01-20").await;
    // The second year does not replace the first: both wait, the second one level below where
    // the first leaves the rank.
    let (rank, next, all) = pending_lowerings(&app).await;
    assert_eq!(rank, "PRINCIPAL_CLERK_1");
    assert_eq!(next, 2023, "lowerRank carries out the oldest first");
    assert_eq!(
        all,
        json!([
            {"year": 2023, "from": "PRINCIPAL_CLERK_1", "to": "PRINCIPAL_CLERK_2", "raisedOn": "2024-01-20"},
            {"year": 2024, "from": "PRINCIPAL_CLERK_2", "to": "PRINCIPAL_CLERK_3", "raisedOn": "2025-01-20"},
        ])
    );
    let alerts = alert_messages(&app, "2025-02-01", "RANK_LOWERING_PENDING").await;
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    assert!(alerts[0].contains("2023 年度考核不称职"), "{alerts:?}");
    assert!(alerts[1].contains("2024 年度考核不称职"), "{alerts:?}");
    assert_eq!(
        down_figure(&app, "2025-02-01", "rank_lowerings_pending", "").await,
        1.0,
        "one cadre"
    );

    // One decision carries out 2023's; 2024's still waits.
    lower_rank(&app, "姜组〔2025〕5号", "2025-03-01").await;
    let (rank, next, all) = pending_lowerings(&app).await;
    assert_eq!(rank, "PRINCIPAL_CLERK_2");
    assert_eq!(next, 2024);
    assert_eq!(all.as_array().unwrap().len(), 1, "{all:#}");
    let alerts = alert_messages(&app, "2025-03-02", "RANK_LOWERING_PENDING").await;
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(alerts[0].contains("2024 年度考核不称职"), "{alerts:?}");
    assert_eq!(
        down_figure(&app, "2025-03-02", "rank_lowerings_pending", "").await,
        1.0
    );

    // The next decision carries out 2024's, one level below the rank held then.
    lower_rank(&app, "姜组〔2025〕6号", "2025-03-05").await;
    let (rank, next, all) = pending_lowerings(&app).await;
    assert_eq!(rank, "PRINCIPAL_CLERK_3");
    assert!(next.is_null());
    assert_eq!(all, json!([]));
    assert!(
        alert_messages(&app, "2025-03-06", "RANK_LOWERING_PENDING")
            .await
            .is_empty()
    );
    assert_eq!(
        down_figure(&app, "2025-03-06", "rank_lowerings_pending", "").await,
        0.0
    );
    assert_eq!(
        down_figure(&app, "2025-03-06", "rank_lowerings_done", "").await,
        2.0
    );
}

#[tokio::test]
async fn a_review_on_an_incompetent_year_is_refused_for_a_year_not_graded_incompetent() {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    cmd(
        &app,
        &app.admin,
        "recordGrade",
        "RecordGradeInput!",
        json!({"input": {"cadreId": "c001", "unitId": "fgw", "year": 2023, "grade": "COMPETENT"},
               "meta": {"effective": "2024-01-20"}}),
    )
    .await;
    let open = |year: i32| {
        json!({"input": {"reviewId": "r1", "cadreId": "c001", "trigger": "INCOMPETENT_GRADE", "gradeYear": year, "reason": "年度考核不称职"},
               "meta": {"effective": "2024-03-15"}})
    };
    let q = "mutation($input: OpenDownReviewInput!, $meta: CommandMeta) { openDownReview(input: $input, meta: $meta) { streamVersion } }";
    let head = app.head().await;
    for (year, found) in [
        (2019, "2019 年度没有考核等次"),
        (2023, "2023 年度考核等次为 “称职”"),
    ] {
        let reply = app.admin(q, open(year)).await;
        assert_eq!(reply.codes(), ["RULE_REFUSED"], "{:#}", reply.body);
        assert_eq!(
            reply.first_error()["extensions"]["rule"],
            "DOWN_GRADE_NOT_INCOMPETENT"
        );
        let message = reply.first_error()["message"].as_str().unwrap();
        assert!(message.contains("张明（c001）"), "{message}");
        assert!(message.contains(found), "{message}");
    }
    assert_eq!(app.head().await, head, "a refusal appends nothing");
}

async fn impose(app: &TestApp, id: &str, kind: &str, on: &str) -> dossier_tests::Reply {
    app.admin(
        &format!(
            "mutation {{ imposeSanction(input: {{cadreId: \"c001\", sanctionId: \"{id}\", kind: {kind}, reason: \"严重违纪\", decidedBy: \"区纪委\", documentNumber: \"姜纪〔2025〕9号\"}}, meta: {{effective: \"{on}\"}}) {{ events {{ type }} }} }}"
        ),
        json!({}),
    )
    .await
}

fn event_types(reply: &dossier_tests::Reply, field: &str) -> Vec<String> {
    reply
        .data(&format!("{field}.events"))
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect()
}

/// 开除 ends the cadre's service like 辞退: the posts end in the same write, and no appointment,
/// promotion, later grade or later award follows (refused `CADRE_EXPELLED`, nothing written).
#[tokio::test]
async fn expulsion_ends_the_posts_and_the_service() {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    let reply = impose(&app, "s1", "EXPULSION", "2025-03-01").await;
    reply.ok();
    assert_eq!(
        event_types(&reply, "imposeSanction"),
        ["cadre.SanctionImposed", "cadre.Removed"]
    );
    assert_eq!(profile(&app).await["posts"], json!([]));
    let before = app.head().await;
    for mutation in [
        "mutation { appoint(input: {cadreId: \"c001\", unitId: \"fgw\", postId: \"head\", manner: COMMISSION, reason: WORK_NEEDS, changeCategory: NEW, nominatedBy: \"区委组织部\", approvedBy: \"区委常委会\", decidedOn: \"2025-04-01\", documentNumber: \"姜委〔2025〕5号\"}, meta: {effective: \"2025-04-01\"}) { streamVersion } }",
        "mutation { promoteRank(input: {cadreId: \"c001\", to: RESEARCHER_4, documentNumber: \"姜组〔2025〕20号\", approvedBy: \"区委组织部\"}, meta: {effective: \"2025-03-05\"}) { streamVersion } }",
        "mutation { recordGrade(input: {cadreId: \"c001\", unitId: \"fgw\", year: 2025, grade: COMPETENT}, meta: {effective: \"2026-01-15\"}) { streamVersion } }",
        "mutation { grantAward(input: {cadreId: \"c001\", awardId: \"late\", kind: COMMENDATION, title: \"嘉奖\", year: 2025}, meta: {effective: \"2025-06-01\"}) { streamVersion } }",
    ] {
        let reply = app.admin(mutation, json!({})).await;
        assert_eq!(
            reply.first_error()["extensions"]["rule"],
            "CADRE_EXPELLED",
            "{:#}",
            reply.body
        );
        let message = reply.first_error()["message"].as_str().unwrap();
        assert!(
            message.contains("张明（c001）") && message.contains("开除"),
            "{message}"
        );
    }
    assert_eq!(app.head().await, before, "nothing written");
    // Their service has ended: nothing is due of them from that day (before it, their training
    // shortfall was), and they leave the unit's roster.
    assert!(!alert_kinds(&app, "2025-02-28").await.is_empty());
    assert_eq!(alert_kinds(&app, "2026-01-10").await, Vec::<String>::new());
    let roster = app
        .admin(
            "{ cadres(first: 100, unitId: \"fgw\") { edges { node { cadreId } } } }",
            json!({}),
        )
        .await;
    roster.ok();
    assert!(
        !roster.body.to_string().contains("\"c001\""),
        "{:#}",
        roster.body
    );
}

/// 撤职 ends every leadership post and lowers the rank one level in the sanction's write.
#[tokio::test]
async fn dismissal_from_office_ends_the_leadership_posts_and_lowers_the_rank() {
    let app = dossier_tests::spawn_app().await;
    setup(&app).await;
    let reply = impose(&app, "s2", "DISMISSAL", "2025-03-01").await;
    reply.ok();
    assert_eq!(
        event_types(&reply, "imposeSanction"),
        [
            "cadre.SanctionImposed",
            "cadre.Removed",
            "cadre.LeadershipLevelChanged",
            "cadre.RankLowered"
        ]
    );
    let p = profile(&app).await;
    assert_eq!(p["posts"], json!([]), "{p:#}");
    assert_eq!(p["rank"], "PRINCIPAL_CLERK_2", "{p:#}");
    // A second record of the same sanction names the cadre.
    let reply = impose(&app, "s2", "DISMISSAL", "2025-03-02").await;
    assert_eq!(reply.first_error()["extensions"]["rule"], "SANCTION_EXISTS");
    let message = reply.first_error()["message"].as_str().unwrap();
    assert!(message.contains("张明（c001） 的处分 s2"), "{message}");
}
