//! Rules whose facts lie in other streams, through the command service: one registration per ID number, kinship
//! avoidance whichever side recorded the relation, one open down review per cadre. Each refusal names its rule and writes nothing.

use dossier_tests::{TestApp, id_number, spawn_app};
use serde_json::{Value, json};

use crate::flow::setup;

const REGISTER: &str = "mutation($id: String!, $cadre: String!) { registerCadre(input: {cadreId: $cadre, name: \"李华\", idNumber: $id, unitId: \"fgw\"}, meta: {effective: \"2021-01-01\"}) { streamVersion } }";

/// `setup`'s c001 was registered with this ID number.
fn c001_id_number() -> String {
    id_number("1980-05-01", 11)
}

#[tokio::test]
async fn a_second_registration_with_an_id_number_already_held_is_refused() {
    let app = spawn_app().await;
    setup(&app).await;
    let before = app.head().await;
    let reply = app
        .admin(REGISTER, json!({"id": c001_id_number(), "cadre": "c002"}))
        .await;
    assert_eq!(reply.codes(), ["RULE_REFUSED"], "{:#}", reply.body);
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        "ID_NUMBER_ALREADY_REGISTERED"
    );
    let message = reply.first_error()["message"].as_str().unwrap();
    assert!(message.contains("c001"), "names the holder: {message}");
    assert_eq!(app.head().await, before, "nothing written");
    // The cadre does not exist.
    let read = app
        .admin("{ cadre(id: \"c002\") { name } }", json!({}))
        .await;
    assert_eq!(read.codes(), ["NOT_FOUND"], "{:#}", read.body);
}

#[tokio::test]
async fn a_registration_with_an_id_number_nobody_holds_goes_through() {
    let app = spawn_app().await;
    setup(&app).await;
    TestApp::expect_ok(
        app.admin(
            REGISTER,
            json!({"id": id_number("1985-02-03", 7), "cadre": "c002"}),
        )
        .await,
        "registerCadre",
    );
}

/// fgw also has a finance post (财务); c002 is registered in fgw; c001 (head of fgw) records
/// c002 as spouse on c001's own family record — c002's record names nobody.
async fn spouse_recorded_by_the_head(app: &TestApp) {
    setup(app).await;
    TestApp::expect_ok(
        app.admin(
            "mutation { openPost(input: {unitId: \"fgw\", postId: \"acct\", title: \"财务科科长\", category: ACCOUNTING}, meta: {effective: \"2020-01-01\"}) { streamVersion } }",
            json!({}),
        )
        .await,
        "openPost",
    );
    TestApp::expect_ok(
        app.admin(
            "mutation { openPost(input: {unitId: \"fgw\", postId: \"biz\", title: \"项目科科长\", category: BUSINESS}, meta: {effective: \"2020-01-01\"}) { streamVersion } }",
            json!({}),
        )
        .await,
        "openPost",
    );
    TestApp::expect_ok(
        app.admin(
            REGISTER,
            json!({"id": id_number("1985-02-03", 7), "cadre": "c002"}),
        )
        .await,
        "registerCadre",
    );
    TestApp::expect_ok(
        app.admin(
            "mutation { addFamilyMember(input: {cadreId: \"c001\", memberId: \"m1\", relation: SPOUSE, appellation: \"妻子\", name: \"李华\", relativeCadreId: \"c002\"}, meta: {effective: \"2021-02-01\"}) { streamVersion } }",
            json!({}),
        )
        .await,
        "addFamilyMember",
    );
}

async fn appoint_c002(app: &TestApp, post: &str) -> dossier_tests::Reply {
    app.admin(
        "mutation($post: String!) { appoint(input: {cadreId: \"c002\", unitId: \"fgw\", postId: $post, manner: COMMISSION, reason: PROMOTION, changeCategory: PROMOTED, nominatedBy: \"区委组织部\", approvedBy: \"区委常委会\", decidedOn: \"2021-03-01\", documentNumber: \"姜委〔2021〕5号\"}, meta: {effective: \"2021-03-01\"}) { streamVersion } }",
        json!({"post": post}),
    )
    .await
}

#[tokio::test]
async fn kinship_recorded_on_the_other_cadres_side_bars_a_finance_post_under_the_relative() {
    let app = spawn_app().await;
    spouse_recorded_by_the_head(&app).await;
    let before = app.head().await;
    let reply = appoint_c002(&app, "acct").await;
    assert_eq!(reply.codes(), ["RULE_REFUSED"], "{:#}", reply.body);
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        "AVOIDANCE_SENSITIVE_POST"
    );
    let message = reply.first_error()["message"].as_str().unwrap();
    assert!(message.contains("张明"), "names the relative: {message}");
    assert_eq!(app.head().await, before, "nothing written");
}

#[tokio::test]
async fn kinship_recorded_on_the_other_cadres_side_leaves_unrestricted_posts_open() {
    let app = spawn_app().await;
    spouse_recorded_by_the_head(&app).await;
    TestApp::expect_ok(appoint_c002(&app, "biz").await, "appoint");
}

#[tokio::test]
async fn kinship_removed_from_the_other_cadres_record_no_longer_bars_the_post() {
    let app = spawn_app().await;
    spouse_recorded_by_the_head(&app).await;
    TestApp::expect_ok(
        app.admin(
            "mutation { removeFamilyMember(cadreId: \"c001\", memberId: \"m1\", reason: \"登记有误\", meta: {effective: \"2021-02-15\"}) { streamVersion } }",
            json!({}),
        )
        .await,
        "removeFamilyMember",
    );
    TestApp::expect_ok(appoint_c002(&app, "acct").await, "appoint");
}

const OPEN_REVIEW: &str = "mutation($review: String!) { openDownReview(input: {reviewId: $review, cadreId: \"c001\", trigger: REVERSE_EVALUATION, reason: \"反向研判反映不适宜担任现职\"}, meta: {effective: \"2025-03-01\"}) { streamVersion } }";

fn review(id: &str) -> Value {
    json!({ "review": id })
}

#[tokio::test]
async fn a_second_down_review_for_a_cadre_with_one_open_is_refused() {
    let app = spawn_app().await;
    setup(&app).await;
    TestApp::expect_ok(app.admin(OPEN_REVIEW, review("r1")).await, "openDownReview");
    let before = app.head().await;
    let reply = app.admin(OPEN_REVIEW, review("r2")).await;
    assert_eq!(reply.codes(), ["RULE_REFUSED"], "{:#}", reply.body);
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        "DOWN_REVIEW_ALREADY_OPEN"
    );
    let message = reply.first_error()["message"].as_str().unwrap();
    assert!(message.contains("r1"), "names the open review: {message}");
    assert_eq!(app.head().await, before, "nothing written");
}

#[tokio::test]
async fn a_down_review_opens_once_the_earlier_one_is_closed() {
    let app = spawn_app().await;
    setup(&app).await;
    TestApp::expect_ok(app.admin(OPEN_REVIEW, review("r1")).await, "openDownReview");
    TestApp::expect_ok(
        app.admin(
            "mutation { closeDownReview(reviewId: \"r1\", reason: \"经核实不属于不适宜担任现职情形\", meta: {effective: \"2025-03-01\"}) { streamVersion } }",
            json!({}),
        )
        .await,
        "closeDownReview",
    );
    TestApp::expect_ok(app.admin(OPEN_REVIEW, review("r2")).await, "openDownReview");
}

#[tokio::test]
async fn of_concurrent_registrations_with_one_id_number_exactly_one_goes_through() {
    let app = spawn_app().await;
    setup(&app).await;
    let shared = id_number("1985-02-03", 7);
    let attempts = (2..10).map(|n| {
        let app = &app;
        let shared = shared.clone();
        async move {
            app.admin(REGISTER, json!({"id": shared, "cadre": format!("c{n:03}")}))
                .await
        }
    });
    let replies = futures::future::join_all(attempts).await;
    let passed = replies.iter().filter(|r| r.codes().is_empty()).count();
    assert_eq!(passed, 1, "{replies:#?}");
    for r in replies.iter().filter(|r| !r.codes().is_empty()) {
        assert_eq!(
            r.first_error()["extensions"]["rule"],
            "ID_NUMBER_ALREADY_REGISTERED",
            "{:#}",
            r.body
        );
    }
}

const APPOINT: &str = "mutation($cadre: String!, $unit: String!, $post: String!) { appoint(input: {cadreId: $cadre, unitId: $unit, postId: $post, manner: COMMISSION, reason: PROMOTION, changeCategory: PROMOTED, nominatedBy: \"区委组织部\", approvedBy: \"区委常委会\", decidedOn: \"2021-03-01\", documentNumber: \"姜委〔2021〕5号\"}, meta: {effective: \"2021-03-01\"}) { streamVersion } }";

/// Units `u0`…, each with a head post and a finance post, and a married pair of cadres
/// (`h<i>`, `s<i>`, the kinship recorded on the first one's record) per unit, neither in a post.
async fn couples(app: &TestApp, units: u32) {
    for i in 0..units {
        let unit = format!("u{i}");
        for q in [
            format!(
                "mutation {{ registerUnit(input: {{unitId: \"{unit}\", name: \"测试单位{i}\", businessFacing: true}}, meta: {{effective: \"2020-01-01\"}}) {{ streamVersion }} }}"
            ),
            format!(
                "mutation {{ openPost(input: {{unitId: \"{unit}\", postId: \"head\", title: \"局长\", category: BUSINESS, leadershipLevel: TOWNSHIP_CHIEF, headsUnit: true}}, meta: {{effective: \"2020-01-01\"}}) {{ streamVersion }} }}"
            ),
            format!(
                "mutation {{ openPost(input: {{unitId: \"{unit}\", postId: \"acct\", title: \"财务科科长\", category: ACCOUNTING}}, meta: {{effective: \"2020-01-01\"}}) {{ streamVersion }} }}"
            ),
        ] {
            app.admin(&q, json!({})).await.ok();
        }
        for (n, cadre) in [(2 * i, format!("h{i}")), (2 * i + 1, format!("s{i}"))] {
            app.admin(
                REGISTER,
                json!({"id": id_number("1986-04-05", 100 + n), "cadre": cadre}),
            )
            .await
            .ok();
        }
        app.admin(
            &format!("mutation {{ addFamilyMember(input: {{cadreId: \"h{i}\", memberId: \"m1\", relation: SPOUSE, appellation: \"妻子\", name: \"李华\", relativeCadreId: \"s{i}\"}}, meta: {{effective: \"2021-02-01\"}}) {{ streamVersion }} }}"),
            json!({}),
        )
        .await
        .ok();
    }
}

#[tokio::test]
async fn rules_across_streams_hold_under_a_burst_of_concurrent_commands_of_every_kind() {
    let app = spawn_app().await;
    setup(&app).await;
    const UNITS: u32 = 6;
    couples(&app, UNITS).await;
    let shared = id_number("1990-09-09", 9);
    let app = &app;
    // In one burst: for each couple, one spouse appointed head of the unit and the other its
    // finance chief (回避: only one may land), and registrations sharing one ID number.
    let mut burst: Vec<(String, futures::future::BoxFuture<'_, dossier_tests::Reply>)> = Vec::new();
    for i in 0..UNITS {
        let unit = format!("u{i}");
        for (cadre, post) in [(format!("h{i}"), "head"), (format!("s{i}"), "acct")] {
            let vars = json!({"cadre": cadre, "unit": unit, "post": post});
            burst.push((
                format!("appoint-{i}"),
                Box::pin(async move { app.admin(APPOINT, vars).await }),
            ));
        }
    }
    for n in 0..8 {
        let vars = json!({"id": shared, "cadre": format!("r{n:02}")});
        burst.push((
            "register".to_owned(),
            Box::pin(async move { app.admin(REGISTER, vars).await }),
        ));
    }
    let (kinds, futures): (Vec<_>, Vec<_>) = burst.into_iter().unzip();
    let replies = futures::future::join_all(futures).await;
    let passed = |kind: &str| {
        kinds
            .iter()
            .zip(&replies)
            .filter(|(k, r)| k.as_str() == kind && r.codes().is_empty())
            .count()
    };
    for i in 0..UNITS {
        assert_eq!(
            passed(&format!("appoint-{i}")),
            1,
            "couple {i}: {replies:#?}"
        );
    }
    assert_eq!(passed("register"), 1, "{replies:#?}");
    for (kind, reply) in kinds.iter().zip(&replies) {
        if reply.codes().is_empty() {
            continue;
        }
        let rule = reply.first_error()["extensions"]["rule"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let expected = if kind == "register" {
            rule == "ID_NUMBER_ALREADY_REGISTERED"
        } else {
            rule.starts_with("AVOIDANCE")
        };
        assert!(expected, "{kind}: {:#}", reply.body);
    }
}
