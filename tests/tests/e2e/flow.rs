//! A front-end flow: register, appoint, train, assess, rotate, file and close an appeal; then read the
//! profile, the dashboards and the audit trail — and see every event through a subscription.

use dossier_domain::Role;
use dossier_tests::{TestApp, id_number, spawn_app};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

/// Run a command as `token` and return its `CommandResult`.
pub async fn cmd(app: &TestApp, token: &str, field: &str, args: &str, vars: Value) -> Value {
    let q = format!(
        "mutation($input: {args}) {{ {field}(input: $input, meta: $meta) {{ streamId streamVersion position events {{ type }} }} }}"
    );
    let q = q.replacen("mutation(", "mutation($meta: CommandMeta, ", 1);
    let reply = app.gql(Some(token), &q, vars).await;
    TestApp::expect_ok(reply, field)
}

/// The setup every flow shares: two units with posts, one cadre appointed head of the first.
pub async fn setup(app: &TestApp) {
    let a = &app.admin;
    for (unit, name) in [("fgw", "区发展和改革委员会"), ("sw", "区商务局")] {
        cmd(app, a, "registerUnit", "RegisterUnitInput!", json!({"input": {"unitId": unit, "name": name, "businessFacing": true}, "meta": {"effective": "2020-01-01"}})).await;
        cmd(app, a, "openPost", "OpenPostInput!", json!({"input": {"unitId": unit, "postId": "head", "title": "主任", "category": "BUSINESS", "leadershipLevel": "TOWNSHIP_CHIEF", "headsUnit": true}, "meta": {"effective": "2020-01-01"}})).await;
    }
    cmd(app, a, "registerCadre", "RegisterCadreInput!", json!({"input": {
        "cadreId": "c001", "name": "张明", "idNumber": id_number("1980-05-01", 11), "gender": "MALE",
        "birthDate": "1980-05-01", "unitId": "fgw", "rank": "PRINCIPAL_CLERK_1", "rankSince": "2019-01-01",
        "joinedWorkOn": "2002-07-01"}, "meta": {"effective": "2020-01-02", "basis": "姜组〔2020〕1号"}})).await;
    cmd(app, a, "appoint", "AppointInput!", json!({"input": {
        "cadreId": "c001", "unitId": "fgw", "postId": "head", "manner": "COMMISSION", "reason": "PROMOTION",
        "changeCategory": "PROMOTED", "nominatedBy": "区委组织部", "approvedBy": "区委常委会",
        "decidedOn": "2020-01-10", "documentNumber": "姜委〔2020〕3号"}, "meta": {"effective": "2020-01-10", "basis": "姜委〔2020〕3号"}})).await;
}

pub async fn flow(app: &TestApp) {
    let a = &app.admin;
    setup(app).await;
    cmd(app, a, "scheduleClass", "ScheduleClassInput!", json!({"input": {
        "classId": "cls1", "name": "招商引资特训营", "kind": "THEMATIC", "theme": "招商引资", "startDate": "2025-03-01",
        "endDate": "2025-03-05", "scheduledHours": 40.0, "methods": ["CASE", "SIMULATION"]}, "meta": {"effective": "2025-02-20"}})).await;
    cmd(app, a, "enrol", "EnrolInput!", json!({"input": {"classId": "cls1", "cadreId": "c001"}, "meta": {"effective": "2025-02-25"}})).await;
    // 40 hours over two days (a day credits at most 24).
    cmd(app, a, "recordAttendance", "RecordAttendanceInput!", json!({"input": {"classId": "cls1", "cadreId": "c001", "sessionDate": "2025-03-03", "hours": 24.0}, "meta": {"effective": "2025-03-05"}})).await;
    cmd(app, a, "recordAttendance", "RecordAttendanceInput!", json!({"input": {"classId": "cls1", "cadreId": "c001", "sessionDate": "2025-03-04", "hours": 16.0}, "meta": {"effective": "2025-03-05"}})).await;
    cmd(app, a, "completeTraining", "CompleteInput!", json!({"input": {"classId": "cls1", "cadreId": "c001"}, "meta": {"effective": "2025-03-05"}})).await;
    cmd(app, a, "recordGrades", "RecordGradesInput!", json!({"input": {"unitId": "fgw", "year": 2024, "entries": [{"cadreId": "c001", "grade": "COMPETENT"}]}, "meta": {"effective": "2025-01-20", "basis": "姜考〔2025〕1号"}})).await;
    cmd(app, a, "rotate", "RotateInput!", json!({"input": {
        "cadreId": "c001", "kind": "CULTIVATING", "reason": "热点岗位任职满五年，交流培养", "fromPostId": "head",
        "toUnitId": "sw", "toPostId": "head", "approvedBy": "区委常委会", "documentNumber": "姜委〔2025〕21号"}, "meta": {"effective": "2025-06-01"}})).await;

    let cadre = app.token(Role::Cadre, Some("c001")).await;
    cmd(app, &cadre, "fileAppeal", "FileAppealInput!", json!({"input": {"appealId": "a1", "cadreId": "c001", "level": "DISTRICT", "summary": "交流后职级待遇未及时落实"}, "meta": {"effective": "2025-07-01"}})).await;
    let steps = [
        (
            "listAppeal",
            "mutation($m: CommandMeta) { listAppeal(appealId: \"a1\", assigneeUnitId: \"sw\", meta: $m) { streamVersion } }",
            "2025-07-02",
        ),
        (
            "claimAppeal",
            "mutation($m: CommandMeta) { claimAppeal(appealId: \"a1\", handler: \"商务局办公室\", meta: $m) { streamVersion } }",
            "2025-07-03",
        ),
        (
            "coordinateAppeal",
            "mutation($m: CommandMeta) { coordinateAppeal(appealId: \"a1\", participantUnitIds: [\"sw\", \"fgw\"], outcome: \"明确由商务局落实\", meta: $m) { streamVersion } }",
            "2025-07-08",
        ),
        (
            "trackAppeal",
            "mutation($m: CommandMeta) { trackAppeal(appealId: \"a1\", note: \"已落实\", meta: $m) { streamVersion } }",
            "2025-07-15",
        ),
        (
            "closeAppeal",
            "mutation($m: CommandMeta) { closeAppeal(appealId: \"a1\", resolution: \"待遇已兑现\", meta: $m) { streamVersion } }",
            "2025-07-20",
        ),
    ];
    for (field, q, on) in steps {
        TestApp::expect_ok(app.admin(q, json!({"m": {"effective": on}})).await, field);
    }
}

#[tokio::test]
async fn the_front_end_flow_reads_back_as_profile_dashboards_and_audit_trail() {
    let app = spawn_app().await;
    flow(&app).await;

    let profile = app
        .admin(
            "{ cadre(id: \"c001\") { name unitId rank grades { year grade } training { year hours } rotations { kind fromUnitId toUnitId } appeals posts { unitId postId title } } }",
            json!({}),
        )
        .await;
    let p = TestApp::expect_ok(profile, "cadre");
    assert_eq!(p["name"], "张明");
    assert_eq!(p["unitId"], "sw", "the rotation moved the cadre: {p:#}");
    assert_eq!(p["rank"], "PRINCIPAL_CLERK_1");
    assert_eq!(p["appeals"], json!(["a1"]));
    assert_eq!(
        p["grades"],
        json!([{"year": 2024, "grade": "COMPETENT"}]),
        "{p:#}"
    );
    assert!(
        p["training"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["year"] == 2025 && t["hours"] == 40.0),
        "{p:#}"
    );
    assert_eq!(
        p["rotations"],
        json!([{"kind": "CULTIVATING", "fromUnitId": "fgw", "toUnitId": "sw"}]),
        "{p:#}"
    );
    assert_eq!(
        p["posts"],
        json!([{"unitId": "sw", "postId": "head", "title": "主任"}]),
        "{p:#}"
    );

    let dash = TestApp::expect_ok(
        app.admin(
            "{ dashboards(asOf: \"2025-12-31\") { figures { dashboard metric key value } } }",
            json!({}),
        )
        .await,
        "dashboards",
    );
    assert!(!dash["figures"].as_array().unwrap().is_empty(), "{dash:#}");

    let trail = TestApp::expect_ok(
        app.admin("{ auditTrail(streamId: \"cadre-c001\") { type actor role basis effectiveAt payload } }", json!({})).await,
        "auditTrail",
    );
    let trail = trail.as_array().unwrap();
    assert_eq!(trail[0]["type"], "cadre.Registered");
    assert_eq!(trail[0]["basis"], "姜组〔2020〕1号");
    assert_eq!(trail[0]["role"], "ORG_ADMIN");
    assert!(
        trail[0]["actor"]
            .as_str()
            .unwrap()
            .starts_with("组织部测试管理员#")
    );
    assert!(
        trail
            .iter()
            .any(|e| e["type"].as_str().unwrap().contains("Grade")),
        "the batch wrote the cadre's grade: {trail:#?}"
    );

    // As it stood before the rotation: still in the first unit.
    let before = TestApp::expect_ok(
        app.admin(
            "{ cadre(id: \"c001\", asOf: \"2025-05-31\") { unitId } }",
            json!({}),
        )
        .await,
        "cadre",
    );
    assert_eq!(before["unitId"], "fgw");

    let verify = TestApp::expect_ok(
        app.admin("{ verifyLog { ok checked } }", json!({})).await,
        "verifyLog",
    );
    assert_eq!(verify["ok"], true);
    assert_eq!(verify["checked"].as_u64(), Some(app.head().await));

    // The anchor an auditor writes down, checked later; a forged one does not match.
    let anchor = verify_anchor(&app).await;
    assert!(
        anchor.starts_with(&format!("{}:", app.head().await)),
        "{anchor}"
    );
    let checked = TestApp::expect_ok(
        app.admin(
            "query($a: String) { verifyLog(anchor: $a) { ok anchorMatches } }",
            json!({"a": anchor}),
        )
        .await,
        "verifyLog",
    );
    assert_eq!(checked["anchorMatches"], true);
    let (position, _) = anchor.split_once(':').unwrap();
    let forged = format!("{position}:{}", "ab".repeat(32));
    let checked = TestApp::expect_ok(
        app.admin(
            "query($a: String) { verifyLog(anchor: $a) { anchorMatches } }",
            json!({"a": forged}),
        )
        .await,
        "verifyLog",
    );
    assert_eq!(checked["anchorMatches"], false);
    let malformed = app
        .admin("{ verifyLog(anchor: \"7:zz\") { ok } }", json!({}))
        .await;
    assert_eq!(malformed.codes(), ["VALIDATION"]);
}

async fn verify_anchor(app: &TestApp) -> String {
    let reply = TestApp::expect_ok(
        app.admin("{ verifyLog { anchor } }", json!({})).await,
        "verifyLog",
    );
    reply["anchor"].as_str().expect("an anchor").to_owned()
}

/// Open a graphql-transport-ws connection with a token and subscribe.
pub async fn subscribe(
    app: &TestApp,
    token: &str,
    query: &str,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let mut request = app.ws_url().into_client_request().unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("websocket");
    ws.send(Message::text(
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}})
            .to_string(),
    ))
    .await
    .unwrap();
    let ack = next_json(&mut ws).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    ws.send(Message::text(
        json!({"id": "1", "type": "subscribe", "payload": {"query": query}}).to_string(),
    ))
    .await
    .unwrap();
    ws
}

pub async fn next_json(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> Value {
    loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .expect("a message within 10 s")
            .expect("stream open")
            .expect("message");
        if let Message::Text(t) = msg {
            return serde_json::from_str(&t).unwrap();
        }
    }
}

#[tokio::test]
async fn a_subscription_sees_every_event_of_the_flow_in_order() {
    let app = spawn_app().await;
    let mut ws = subscribe(
        &app,
        &app.admin,
        "subscription { events(after: 0) { position streamId type } }",
    )
    .await;
    flow(&app).await;
    let head = app.head().await;
    let mut seen = Vec::new();
    while seen.len() < head as usize {
        let msg = next_json(&mut ws).await;
        assert_eq!(msg["type"], "next", "{msg}");
        seen.push(
            msg["payload"]["data"]["events"]["position"]
                .as_u64()
                .unwrap(),
        );
    }
    assert_eq!(
        seen,
        (1..=head).collect::<Vec<_>>(),
        "no gap, no duplicate, in order"
    );

    // Resumable: from a position, only what follows.
    let mut ws = subscribe(
        &app,
        &app.admin,
        &format!(
            "subscription {{ events(after: {}, streamPrefix: \"appeal-\") {{ position type }} }}",
            head - 3
        ),
    )
    .await;
    let msg = next_json(&mut ws).await;
    assert!(
        msg["payload"]["data"]["events"]["position"]
            .as_u64()
            .unwrap()
            > head - 3
    );
    assert!(
        msg["payload"]["data"]["events"]["type"]
            .as_str()
            .unwrap()
            .starts_with("appeal.")
    );
}

#[tokio::test]
async fn a_dashboard_subscription_updates_when_events_arrive() {
    let app = spawn_app().await;
    let mut ws = subscribe(
        &app,
        &app.admin,
        "subscription { dashboardChanged { position } }",
    )
    .await;
    let first = next_json(&mut ws).await;
    assert_eq!(first["type"], "next", "{first}");
    setup(&app).await;
    let head = app.head().await;
    loop {
        let msg = next_json(&mut ws).await;
        if msg["payload"]["data"]["dashboardChanged"]["position"].as_u64() == Some(head) {
            break;
        }
    }
}

#[tokio::test]
async fn a_refused_subscription_and_an_over_aliased_one_carry_their_codes_over_the_websocket() {
    let app = spawn_app().await;
    let analyst = app.token(dossier_domain::Role::Analyst, None).await;
    let mut ws = subscribe(
        &app,
        &analyst,
        "subscription { events(after: 0) { position } }",
    )
    .await;
    let msg = next_json(&mut ws).await;
    let text = msg.to_string();
    assert!(
        text.contains("\"code\":\"FORBIDDEN\""),
        "analysts may not follow the event log: {text}"
    );

    let aliases: String = (0..40).map(|i| format!("a{i}: position ")).collect();
    let mut ws = subscribe(
        &app,
        &app.admin,
        &format!("subscription {{ events(after: 0) {{ {aliases} }} }}"),
    )
    .await;
    let msg = next_json(&mut ws).await;
    let text = msg.to_string();
    assert!(text.contains("QUERY_TOO_MANY_ALIASES"), "{text}");
}

#[tokio::test]
async fn every_stage_of_a_cadres_appeal_is_in_their_timeline_for_them_and_the_district() {
    let app = spawn_app().await;
    flow(&app).await;
    let cadre = app.token(Role::Cadre, Some("c001")).await;
    for token in [app.admin.clone(), cadre] {
        let reply = app
            .gql(
                Some(&token),
                "{ cadreTimeline(cadreId: \"c001\") { streamId type } }",
                json!({}),
            )
            .await;
        reply.ok();
        let appeal: Vec<&str> = reply
            .data("cadreTimeline")
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["streamId"] == "appeal-a1")
            .map(|e| e["type"].as_str().unwrap())
            .collect();
        assert_eq!(
            appeal,
            [
                "appeal.Filed",
                "appeal.Listed",
                "appeal.Claimed",
                "appeal.Coordinated",
                "appeal.Tracked",
                "appeal.Closed"
            ],
            "{:#}",
            reply.body
        );
    }
}

/// The figures of `dashboard` on `on`: (metric, key, value).
pub async fn figures(app: &TestApp, on: &str, dashboard: &str) -> Vec<(String, String, f64)> {
    let reply = app
        .admin(
            "query($d: Date) { dashboards(asOf: $d) { figures { dashboard metric key value } } }",
            json!({"d": on}),
        )
        .await;
    reply.ok();
    reply.body["data"]["dashboards"]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["dashboard"] == dashboard)
        .map(|f| {
            (
                f["metric"].as_str().unwrap().to_owned(),
                f["key"].as_str().unwrap().to_owned(),
                f["value"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// A figure of the down dashboard on `on` (0 when absent).
pub async fn down_figure(app: &TestApp, on: &str, metric: &str, key: &str) -> f64 {
    figures(app, on, "down")
        .await
        .into_iter()
        .find(|(m, k, _)| m == metric && k == key)
        .map_or(0.0, |(_, _, value)| value)
}
