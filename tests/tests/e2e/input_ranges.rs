//! Values outside their ranges (years, dates, hours, counts, identifiers) are VALIDATION and leave the log unchanged; an as-of date out of range never panics and never means "now".

use dossier_tests::{TestApp, id_number, spawn_app};
use serde_json::{Value, json};

use crate::flow::setup;

/// Send `query` as the admin; assert VALIDATION naming the range, and an unchanged log.
async fn refused(app: &TestApp, query: &str, variables: Value) {
    let before = app.head().await;
    let reply = app.admin(query, variables).await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{query}: {:#}", reply.body);
    let message = reply.first_error()["message"].as_str().unwrap_or_default();
    assert!(message.contains("超出范围"), "{query}: {message}");
    assert_eq!(app.head().await, before, "{query}: the log changed");
}

#[tokio::test]
async fn a_year_outside_1900_to_2100_is_refused() {
    let app = spawn_app().await;
    for year in [-2_839_294, 0, 1899, 2101] {
        refused(
            &app,
            "mutation($y: Int!) { openQuota(year: $y, size: 4) { streamVersion } }",
            json!({ "y": year }),
        )
        .await;
    }
    let ok = app
        .admin(
            "mutation { openQuota(year: 2026, size: 4) { streamVersion } }",
            json!({}),
        )
        .await;
    ok.ok();
}

#[tokio::test]
async fn hours_and_counts_outside_their_ranges_are_refused() {
    let app = spawn_app().await;
    let class = "mutation($h: Float!) { scheduleClass(input: {classId: \"cls1\", name: \"特训营\", kind: THEMATIC, theme: \"招商引资\", startDate: \"2025-03-01\", endDate: \"2025-03-05\", scheduledHours: $h}, meta: {effective: \"2025-02-20\"}) { streamVersion } }";
    for hours in [5.47e237, 1e6] {
        refused(&app, class, json!({ "h": hours })).await;
    }
    app.admin(class, json!({ "h": 40.0 })).await.ok();
    app.admin(
        "mutation { openBulletin(month: \"2026-05\") { streamVersion } }",
        json!({}),
    )
    .await
    .ok();
    let item = "mutation($n: Int!) { addBulletinItem(input: {month: \"2026-05\", agency: POLICE, summary: \"线索通报\", leadCount: $n}) { streamVersion } }";
    refused(&app, item, json!({ "n": 4_000_000_000u64 })).await;
    app.admin(item, json!({ "n": 3 })).await.ok();
}

#[tokio::test]
async fn identifiers_outside_the_documented_character_set_are_refused() {
    let app = spawn_app().await;
    setup(&app).await;
    let register = "mutation($c: String!, $id: String!, $u: String!) { registerCadre(input: {cadreId: $c, name: \"李华\", idNumber: $id, unitId: $u}, meta: {effective: \"2021-01-01\"}) { streamVersion } }";
    for (n, (cadre, unit)) in [
        ("c\u{1}02", "fgw"),
        ("c 02", "fgw"),
        ("c02\n", "fgw"),
        ("干部02", "fgw"),
    ]
    .into_iter()
    .enumerate()
    {
        refused(
            &app,
            register,
            json!({ "c": cadre, "id": id_number("1990-01-01", 40 + n as u32), "u": unit }),
        )
        .await;
    }
}

#[tokio::test]
async fn an_as_of_date_outside_the_range_is_validation_never_a_panic_nor_now() {
    let app = spawn_app().await;
    setup(&app).await;
    for date in ["+262142-12-31", "0000-01-01", "1899-12-31", "2101-01-01"] {
        refused(
            &app,
            "query($d: Date) { alerts(asOf: $d) { kind } }",
            json!({ "d": date }),
        )
        .await;
        // Written into the query rather than sent as a variable: the same refusal.
        refused(
            &app,
            &format!("{{ alerts(asOf: \"{date}\") {{ kind }} }}"),
            json!({}),
        )
        .await;
        refused(
            &app,
            "query($d: Date) { cadre(id: \"c001\", asOf: $d) { name } }",
            json!({ "d": date }),
        )
        .await;
    }
    // An effective date out of range is refused as well.
    refused(
        &app,
        "mutation { openQuota(year: 2026, size: 4, meta: {effective: \"+262142-12-31\"}) { streamVersion } }",
        json!({}),
    )
    .await;
}

/// Send `query` as the admin; assert VALIDATION with rule INPUT_OUT_OF_RANGE, a Chinese message
/// naming `field` (its GraphQL name), the parser's own text kept apart, and an unchanged log.
async fn refused_naming(app: &TestApp, query: &str, variables: Value, field: &str) -> String {
    let before = app.head().await;
    let reply = app.admin(query, variables).await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{query}: {:#}", reply.body);
    let err = reply.first_error();
    assert_eq!(
        err["extensions"]["rule"], "INPUT_OUT_OF_RANGE",
        "{:#}",
        reply.body
    );
    let message = err["message"].as_str().unwrap_or_default().to_owned();
    assert!(
        message.contains(field) && message.contains("超出范围"),
        "{message}"
    );
    assert!(!message.contains("Failed to parse"), "{message}");
    assert!(!message.contains('_'), "no snake_case names: {message}");
    assert_eq!(app.head().await, before, "{query}: the log changed");
    message
}

#[tokio::test]
async fn a_value_graphql_cannot_parse_is_named_by_field_and_value_in_chinese() {
    let app = spawn_app().await;
    setup(&app).await;
    // A count cannot be negative: written into the query or sent as a variable.
    let message = refused_naming(
        &app,
        "mutation { issueAdmonition(cadreId: \"c001\", admonitionId: \"ad1\", reason: \"作风漂浮\", improveMonths: -3) { streamVersion } }",
        json!({}),
        "improveMonths",
    )
    .await;
    assert!(
        message.contains("-3") && message.contains("整改期限"),
        "{message}"
    );
    let reply = app
        .admin(
            "mutation($o: Int!) { announceSteedBatch(input: {batchId: \"s1\", ordinal: $o, year: 2025, title: \"骏马奖\", awardees: []}) { streamVersion } }",
            json!({"o": -1}),
        )
        .await;
    let err = reply.first_error();
    assert_eq!(
        err["extensions"]["field"], "input.ordinal",
        "{:#}",
        reply.body
    );
    assert!(
        err["extensions"]["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("Invalid number"),
        "the parser's text is kept apart: {:#}",
        reply.body
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("批次序号"),
        "{:#}",
        reply.body
    );
    // An empty string where one character at least is needed.
    refused_naming(
        &app,
        "mutation($i: GrantAwardInput!) { grantAward(input: $i) { streamVersion } }",
        json!({"i": {"cadreId": "c001", "awardId": "", "kind": "MERIT", "title": "三等功", "year": 2025}}),
        "awardId",
    )
    .await;
    // A range the domain checks names the field by its GraphQL name too.
    let message = refused_naming(
        &app,
        "mutation($h: Float!) { scheduleClass(input: {classId: \"cls9\", name: \"特训营\", kind: THEMATIC, theme: \"招商引资\", startDate: \"2025-03-01\", endDate: \"2025-03-05\", scheduledHours: $h}, meta: {effective: \"2025-02-20\"}) { streamVersion } }",
        json!({"h": 10001.0}),
        "scheduledHours",
    )
    .await;
    assert!(message.contains("10001"), "{message}");
}
