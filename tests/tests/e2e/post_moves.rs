//! A move onto a post through the API — appoint, rotate, a 逆向调整岗位 decided and executed — runs
//! one set of checks: the post held by no one else, 回避 (superiors resolved), the reappointment
//! bars and the 职数; a down adjustment never moves up, nor to the post held; 改任职级 keeps a 职级.

use dossier_tests::{TestApp, id_number, spawn_app};
use serde_json::{Value, json};

use crate::flow::{cmd, setup};

/// Register `id` in `unit` (with a rank unless `rank` is `None`).
async fn register(app: &TestApp, id: &str, unit: &str, seq: u32, rank: Option<&str>) {
    let mut input = json!({"cadreId": id, "name": format!("干部{id}"),
        "idNumber": id_number("1984-06-01", seq), "unitId": unit});
    if let Some(rank) = rank {
        input["rank"] = json!(rank);
        input["rankSince"] = json!("2019-01-01");
    }
    cmd(
        app,
        &app.admin,
        "registerCadre",
        "RegisterCadreInput!",
        json!({"input": input, "meta": {"effective": "2020-01-02"}}),
    )
    .await;
}

async fn open_post(
    app: &TestApp,
    unit: &str,
    post: &str,
    level: Option<&str>,
    reports_to: Option<&str>,
) {
    let mut input = json!({"unitId": unit, "postId": post, "title": format!("{post}岗"), "category": "GENERAL"});
    if let Some(level) = level {
        input["leadershipLevel"] = json!(level);
    }
    if let Some(to) = reports_to {
        input["reportsTo"] = json!(to);
    }
    cmd(
        app,
        &app.admin,
        "openPost",
        "OpenPostInput!",
        json!({"input": input, "meta": {"effective": "2020-01-01"}}),
    )
    .await;
}

fn appoint_query(cadre: &str, unit: &str, post: &str, dry_run: bool) -> String {
    format!(
        "mutation {{ appoint(input: {{cadreId: \"{cadre}\", unitId: \"{unit}\", postId: \"{post}\", manner: COMMISSION, reason: WORK_NEEDS, changeCategory: NEW, nominatedBy: \"区委组织部\", approvedBy: \"区委常委会\", decidedOn: \"2021-03-01\", documentNumber: \"姜委〔2021〕5号\"}}, meta: {{effective: \"2021-03-01\", dryRun: {dry_run}}}) {{ dryRun events {{ type }} }} }}"
    )
}

async fn appoint(app: &TestApp, cadre: &str, unit: &str, post: &str) {
    let reply = app
        .admin(&appoint_query(cadre, unit, post, false), json!({}))
        .await;
    reply.ok();
}

fn rule(reply: &dossier_tests::Reply) -> &Value {
    &reply.first_error()["extensions"]["rule"]
}

async fn incumbents(app: &TestApp, unit: &str, post: &str) -> Vec<String> {
    let reply = app
        .admin(
            &format!(
                "{{ unit(id: \"{unit}\") {{ posts {{ postId incumbents {{ cadreId }} }} }} }}"
            ),
            json!({}),
        )
        .await;
    reply
        .data("unit.posts")
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["postId"] == post)
        .flat_map(|p| p["incumbents"].as_array().unwrap().iter())
        .map(|i| i["cadreId"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn appoint_and_rotate_refuse_a_leadership_post_someone_else_holds() {
    let app = spawn_app().await;
    setup(&app).await;
    open_post(&app, "sw", "dep1", Some("TOWNSHIP_DEPUTY"), None).await;
    for (i, id) in ["c002", "c003"].into_iter().enumerate() {
        register(&app, id, "sw", 31 + i as u32 * 2, Some("PRINCIPAL_CLERK_2")).await;
    }
    appoint(&app, "c002", "sw", "dep1").await;
    let before = app.head().await;
    for dry_run in [false, true] {
        let reply = app
            .admin(&appoint_query("c003", "sw", "dep1", dry_run), json!({}))
            .await;
        assert_eq!(rule(&reply), "POST_TAKEN", "{:#}", reply.body);
        let message = reply.first_error()["message"].as_str().unwrap();
        assert!(
            message.contains("区商务局（sw）") && message.contains("干部「干部c002（c002）」"),
            "{message}"
        );
    }
    // The head of fgw (held by c001) is taken too, on a dry run.
    let reply = app
        .admin(&appoint_query("c003", "fgw", "head", true), json!({}))
        .await;
    assert_eq!(rule(&reply), "POST_TAKEN", "{:#}", reply.body);
    // A rotation into a taken post, dry run or not.
    for dry_run in [true, false] {
        let reply = app.admin(&format!(
            "mutation {{ rotate(input: {{cadreId: \"c001\", kind: CULTIVATING, reason: \"交流培养\", fromPostId: \"head\", toUnitId: \"sw\", toPostId: \"dep1\", approvedBy: \"区委常委会\", documentNumber: \"姜委〔2021〕9号\"}}, meta: {{effective: \"2021-06-01\", dryRun: {dry_run}}}) {{ dryRun }} }}"
        ), json!({})).await;
        assert_eq!(rule(&reply), "POST_TAKEN", "{:#}", reply.body);
    }
    assert_eq!(app.head().await, before, "nothing written");
    assert_eq!(incumbents(&app, "sw", "dep1").await, ["c002"]);
}

#[tokio::test]
async fn a_spouse_under_the_same_head_is_refused_whether_the_deputy_post_names_the_head_or_not() {
    let app = spawn_app().await;
    setup(&app).await;
    open_post(&app, "sw", "dep1", Some("TOWNSHIP_DEPUTY"), Some("head")).await;
    open_post(&app, "sw", "dep2", Some("TOWNSHIP_DEPUTY"), None).await;
    register(&app, "c002", "sw", 31, Some("PRINCIPAL_CLERK_2")).await;
    register(&app, "c003", "sw", 33, Some("PRINCIPAL_CLERK_2")).await;
    appoint(&app, "c002", "sw", "dep1").await;
    cmd(&app, &app.admin, "addFamilyMember", "AddFamilyMemberInput!", json!({"input": {
        "cadreId": "c003", "memberId": "m1", "relation": "SPOUSE", "appellation": "丈夫", "name": "干部c002",
        "relativeCadreId": "c002"}, "meta": {"effective": "2020-02-01"}})).await;
    let reply = app
        .admin(&appoint_query("c003", "sw", "dep2", false), json!({}))
        .await;
    assert_eq!(rule(&reply), "AVOIDANCE_SAME_SUPERIOR", "{:#}", reply.body);
    assert!(incumbents(&app, "sw", "dep2").await.is_empty());
}

async fn open_and_decide(
    app: &TestApp,
    cadre: &str,
    method: &str,
    to: Option<(&str, &str)>,
) -> dossier_tests::Reply {
    cmd(
        app,
        &app.admin,
        "openDownReview",
        "OpenDownReviewInput!",
        json!({"input": {
        "reviewId": "dr1", "cadreId": cadre, "trigger": "REVERSE_EVALUATION", "reason": "反向研判"},
        "meta": {"effective": "2025-03-01"}}),
    )
    .await;
    app.admin(
        "mutation { recordDownFindings(reviewId: \"dr1\", situation: LACK_OF_DRIVE, findings: \"担当不足\", meta: {effective: \"2025-03-10\"}) { streamVersion } }",
        json!({}),
    ).await.ok();
    decide(app, method, to).await
}

async fn decide(app: &TestApp, method: &str, to: Option<(&str, &str)>) -> dossier_tests::Reply {
    let to = to.map_or(String::new(), |(u, p)| {
        format!(", toUnitId: \"{u}\", toPostId: \"{p}\"")
    });
    app.admin(
        &format!("mutation {{ decideDownReview(reviewId: \"dr1\", decisionRef: \"姜委常〔2025〕30号\", methods: [{method}]{to}, meta: {{effective: \"2025-04-01\"}}) {{ streamVersion }} }}"),
        json!({}),
    ).await
}

#[tokio::test]
async fn a_reverse_adjustment_to_the_post_held_or_above_the_cadres_level_is_refused() {
    let app = spawn_app().await;
    setup(&app).await;
    let before = app.head().await;
    let same = open_and_decide(&app, "c001", "REVERSE_ADJUSTMENT", Some(("fgw", "head"))).await;
    assert_eq!(rule(&same), "DOWN_TARGET_SAME_POST", "{:#}", same.body);
    assert!(
        same.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("张明（c001）"),
        "{:#}",
        same.body
    );
    // A deputy (乡科级副职) moved to a head post (乡科级正职) would move up.
    open_post(&app, "sw", "dep1", Some("TOWNSHIP_DEPUTY"), None).await;
    register(&app, "c002", "sw", 31, Some("PRINCIPAL_CLERK_2")).await;
    appoint(&app, "c002", "sw", "dep1").await;
    let mut reply = app.admin("mutation { openDownReview(input: {reviewId: \"dr2\", cadreId: \"c002\", trigger: REVERSE_EVALUATION, reason: \"反向研判\"}, meta: {effective: \"2025-03-01\"}) { streamVersion } }", json!({})).await;
    reply.ok();
    app.admin("mutation { recordDownFindings(reviewId: \"dr2\", situation: LACK_OF_DRIVE, findings: \"担当不足\", meta: {effective: \"2025-03-10\"}) { streamVersion } }", json!({})).await.ok();
    reply = app.admin("mutation { decideDownReview(reviewId: \"dr2\", decisionRef: \"姜委常〔2025〕31号\", methods: [REVERSE_ADJUSTMENT], toUnitId: \"sw\", toPostId: \"head\", meta: {effective: \"2025-04-01\"}) { streamVersion } }", json!({})).await;
    assert_eq!(rule(&reply), "DOWN_TARGET_ABOVE_LEVEL", "{:#}", reply.body);
    assert_ne!(before, app.head().await);
    let profile = app
        .admin(
            "{ cadre(id: \"c002\") { leadershipLevel posts { postId } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        profile.data("cadre"),
        &json!({"leadershipLevel": "TOWNSHIP_DEPUTY", "posts": [{"postId": "dep1"}]})
    );
}

#[tokio::test]
async fn a_reverse_adjustment_and_a_rotation_respect_the_quota_and_avoidance() {
    let app = spawn_app().await;
    setup(&app).await;
    open_post(&app, "sw", "dep1", Some("TOWNSHIP_DEPUTY"), None).await;
    open_post(&app, "sw", "dep2", Some("TOWNSHIP_DEPUTY"), None).await;
    open_post(&app, "sw", "hr", None, Some("head")).await;
    register(&app, "c002", "sw", 31, Some("PRINCIPAL_CLERK_2")).await;
    appoint(&app, "c002", "sw", "dep1").await;
    cmd(&app, &app.admin, "publishPostQuota", "PublishPostQuotaInput!", json!({"input":
        {"unitId": "sw", "chiefs": 1, "deputies": 1, "basis": "姜编〔2024〕3号"}, "meta": {"effective": "2024-01-01"}})).await;
    // sw's one approved deputy is in post: c001 cannot be moved down into dep2, nor rotated.
    let reply = open_and_decide(&app, "c001", "REVERSE_ADJUSTMENT", Some(("sw", "dep2"))).await;
    assert_eq!(rule(&reply), "POST_QUOTA_EXCEEDED", "{:#}", reply.body);
    let rotated = app.admin(
        "mutation { rotate(input: {cadreId: \"c001\", kind: CULTIVATING, reason: \"交流培养\", fromPostId: \"head\", toUnitId: \"sw\", toPostId: \"dep2\", approvedBy: \"区委常委会\", documentNumber: \"姜委〔2025〕9号\"}, meta: {effective: \"2025-03-01\", dryRun: true}) { dryRun } }",
        json!({}),
    ).await;
    assert_eq!(rule(&rotated), "POST_QUOTA_EXCEEDED", "{:#}", rotated.body);
    // A staff post under a relative who heads the unit: 回避 on decision and on execution.
    decide(&app, "REVERSE_ADJUSTMENT", Some(("sw", "hr")))
        .await
        .ok();
    register(&app, "c004", "sw", 35, Some("PRINCIPAL_CLERK_1")).await;
    appoint(&app, "c004", "sw", "head").await;
    cmd(&app, &app.admin, "addFamilyMember", "AddFamilyMemberInput!", json!({"input": {
        "cadreId": "c001", "memberId": "m1", "relation": "SPOUSE", "appellation": "妻子", "name": "干部c004",
        "relativeCadreId": "c004"}, "meta": {"effective": "2025-04-02"}})).await;
    let before = app.head().await;
    let executed = app.admin(
        "mutation { executeDownDecision(reviewId: \"dr1\", note: \"已办理\", meta: {effective: \"2025-04-15\"}) { events { type } } }",
        json!({}),
    ).await;
    assert_eq!(
        rule(&executed),
        "AVOIDANCE_REPORTING_LINE",
        "{:#}",
        executed.body
    );
    assert_eq!(app.head().await, before, "nothing written");
    assert_eq!(incumbents(&app, "sw", "hr").await, Vec::<String>::new());
}

#[tokio::test]
async fn change_to_rank_for_a_cadre_without_a_rank_is_refused() {
    let app = spawn_app().await;
    setup(&app).await;
    register(&app, "c002", "sw", 31, None).await;
    appoint(&app, "c002", "sw", "head").await;
    let reply = open_and_decide(&app, "c002", "CHANGE_TO_RANK", None).await;
    assert_eq!(rule(&reply), "DOWN_RANK_REQUIRED", "{:#}", reply.body);
    let message = reply.first_error()["message"].as_str().unwrap();
    assert!(
        message.contains("干部c002（c002）") && message.contains("没有登记职级"),
        "{message}"
    );
    let profile = app
        .admin("{ cadre(id: \"c002\") { posts { postId } } }", json!({}))
        .await;
    assert_eq!(profile.data("cadre.posts"), &json!([{"postId": "head"}]));
}

/// `appoint` taking effect (and approved) on `on`.
async fn appoint_on(
    app: &TestApp,
    cadre: &str,
    unit: &str,
    post: &str,
    on: &str,
) -> dossier_tests::Reply {
    app.admin(&format!(
        "mutation {{ appoint(input: {{cadreId: \"{cadre}\", unitId: \"{unit}\", postId: \"{post}\", manner: COMMISSION, reason: WORK_NEEDS, changeCategory: NEW, nominatedBy: \"区委组织部\", approvedBy: \"区委常委会\", decidedOn: \"{on}\", documentNumber: \"姜委〔2025〕41号\"}}, meta: {{effective: \"{on}\"}}) {{ events {{ type }} }} }}"
    ), json!({})).await
}

/// A backdated appointment is judged on every date from its effective date to today: the post's
/// holder then (removed since) and the unit's 职数 on each date refuse it, and nothing is written.
#[tokio::test]
async fn a_backdated_appointment_is_judged_on_the_holders_and_places_of_every_date_since() {
    let app = spawn_app().await;
    setup(&app).await;
    open_post(&app, "sw", "dep1", Some("TOWNSHIP_DEPUTY"), None).await;
    open_post(&app, "sw", "dep2", Some("TOWNSHIP_DEPUTY"), None).await;
    for (i, id) in ["c002", "c003", "c004"].into_iter().enumerate() {
        register(&app, id, "sw", 31 + i as u32 * 2, Some("PRINCIPAL_CLERK_2")).await;
    }
    cmd(&app, &app.admin, "publishPostQuota", "PublishPostQuotaInput!", json!({"input":
        {"unitId": "sw", "chiefs": 1, "deputies": 1, "basis": "姜编〔2020〕3号"}, "meta": {"effective": "2020-01-01"}})).await;
    // c002 deputy in dep1 from 2021-03-01 to 2025-06-01.
    appoint(&app, "c002", "sw", "dep1").await;
    cmd(&app, &app.admin, "removeFromPost", "RemoveInput!", json!({"input": {
        "cadreId": "c002", "unitId": "sw", "postId": "dep1", "manner": "REMOVAL", "reason": "TRANSFER",
        "approvedBy": "区委常委会", "decidedOn": "2025-06-01", "documentNumber": "姜委〔2025〕40号"},
        "meta": {"effective": "2025-06-01"}})).await;
    let before = app.head().await;
    // dep1 is vacant today, but c002 held it on 2024-01-01.
    let reply = appoint_on(&app, "c003", "sw", "dep1", "2024-01-01").await;
    assert_eq!(rule(&reply), "POST_TAKEN", "{:#}", reply.body);
    let message = reply.first_error()["message"].as_str().unwrap();
    assert!(
        message.contains("区商务局（sw）")
            && message.contains("c002")
            && message.contains("2021-03-01"),
        "{message}"
    );
    // dep2 was never held, but sw's one deputy place was filled on 2024-01-01.
    let reply = appoint_on(&app, "c003", "sw", "dep2", "2024-01-01").await;
    assert_eq!(rule(&reply), "POST_QUOTA_EXCEEDED", "{:#}", reply.body);
    let message = reply.first_error()["message"].as_str().unwrap();
    assert!(
        message.contains("区商务局（sw）于 2024-01-01 核定副职职数 1 名"),
        "{message}"
    );
    assert_eq!(app.head().await, before, "a refusal appends nothing");
    // From the day c002 left, the place is free: c003 takes dep2.
    appoint_on(&app, "c003", "sw", "dep2", "2025-06-01")
        .await
        .ok();
    // A later holder's tenure refuses a backdated one overlapping it: c004 into dep1 on the day
    // the place was c003's.
    let reply = appoint_on(&app, "c004", "sw", "dep1", "2025-06-01").await;
    assert_eq!(rule(&reply), "POST_QUOTA_EXCEEDED", "{:#}", reply.body);
    assert_eq!(incumbents(&app, "sw", "dep1").await, Vec::<String>::new());
}
