//! Benchmark program: a selection case's whole record (纪实, every step and vote) and the vacancy-vs-quota view of every unit, read through the router. Prints figures.
//!
//! Run: `cargo bench -p dossier-api --bench selection` (optionally `-- 500 2000` for units and reads).
//! Quick mode (20 units, 50 reads, seconds): `cargo test -p dossier-api --bench selection` (cargo test
//! runs it without the `--bench` argument) or `-- --quick`; CI runs it so the program cannot rot.

use std::time::{Duration, Instant};

use axum::{Router, body::Body, http::Request};
use dossier_api::{ApiConfig, AppState, app, tokens};
use dossier_domain::Role;
use dossier_projections::{ProjectionOptions, Projections};
use dossier_store::{Store, StoreOptions};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The allocator the `dossier` binary runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

async fn post(router: &Router, token: &str, query: &str, variables: Value) -> Value {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let request = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(body))
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("response");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let value: Value = serde_json::from_slice(&bytes).expect("json");
    assert!(value.get("errors").is_none(), "{value}");
    value
}

async fn command(router: &Router, token: &str, field: &str, ty: &str, input: Value, on: &str) {
    let query = format!(
        "mutation($input: {ty}!) {{ {field}(input: $input, meta: {{effective: \"{on}\"}}) {{ position }} }}"
    );
    post(router, token, &query, json!({ "input": input })).await;
}

fn id_number(seq: u32) -> String {
    let body = format!("320412198802{:02}{:03}", 1 + seq % 28, seq % 1000);
    let body = &body[..17];
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    format!(
        "{body}{}",
        ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
    )
}

fn report(what: &str, mut latencies: Vec<Duration>) {
    latencies.sort();
    let n = latencies.len();
    let pct = |p: f64| latencies[((n as f64 * p) as usize).min(n - 1)];
    println!(
        "{what:<48} {n:>6} reads  p50 {:>8.2?}  p99 {:>8.2?}",
        pct(0.50),
        pct(0.99)
    );
}

fn rec(body: &str) -> Value {
    json!({"body": body, "document": "纪要〔2025〕1号", "attachments": ["卷-01", "卷-02"]})
}

/// One case from motion to appointment in unit `u0`: two posts, `candidates` candidates.
async fn run_case(router: &Router, admin: &str, candidates: usize) {
    let ids: Vec<String> = (0..candidates).map(|i| format!("k{i:03}")).collect();
    for (i, id) in ids.iter().enumerate() {
        command(router, admin, "registerCadre", "RegisterCadreInput", json!({"cadreId": id, "name": format!("候选人{i}"), "idNumber": id_number(i as u32), "unitId": "u0", "rank": "PRINCIPAL_CLERK_4", "rankSince": "2020-01-01"}), "2020-01-02").await;
    }
    let c = "x1";
    command(router, admin, "moveSelection", "MoveSelectionInput", json!({"caseId": c, "unitId": "u0", "proposer": "区委书记", "meeting": "WORKING_GROUP", "postIds": ["d1", "d2"], "pool": ids, "record": rec("干部工作小组会")}), "2025-03-03").await;
    let votes: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| json!({"cadreId": id, "votes": 60 - i as u32 % 50}))
        .collect();
    let carried: Vec<&String> = ids.iter().take(6).collect();
    for round in 0..2 {
        command(router, admin, "recommendCandidates", "RecommendInput", json!({"caseId": c, "method": if round == 0 { "MEETING" } else { "INTERVIEW" }, "participants": 400, "votes": votes, "carriedForward": carried, "record": rec("推荐会")}), "2025-03-10").await;
    }
    for id in &carried {
        command(router, admin, "inspectCandidate", "InspectCandidateInput", json!({"caseId": c, "cadreId": id, "team": ["组长", "组员"], "interviewed": 30, "report": format!("考察材料-{id}"), "record": rec("考察组")}), "2025-03-17").await;
    }
    command(
        router,
        admin,
        "requestIntegrityOpinion",
        "RequestIntegrityInput",
        json!({"caseId": c, "cadreIds": carried, "record": rec("区委组织部")}),
        "2025-03-24",
    )
    .await;
    for id in &carried {
        command(router, admin, "replyIntegrityOpinion", "ReplyIntegrityInput", json!({"caseId": c, "cadreId": id, "verdict": "CLEAR", "note": "无", "record": rec("区纪委监委")}), "2025-03-26").await;
    }
    command(router, admin, "decideSelection", "DecideSelectionInput", json!({"caseId": c, "meeting": "STANDING_COMMITTEE", "members": 11, "present": 10, "votes": [
        {"cadreId": ids[0], "postId": "d1", "approve": 10, "against": 0, "abstain": 0},
        {"cadreId": ids[1], "postId": "d2", "approve": 9, "against": 1, "abstain": 0}], "record": rec("区委常委会")}), "2025-04-01").await;
    command(
        router,
        admin,
        "startSelectionNotice",
        "StartNoticeInput",
        json!({"caseId": c, "endsOn": "2025-04-09", "record": rec("区委组织部")}),
        "2025-04-02",
    )
    .await;
    post(router, admin, "mutation { endSelectionNotice(caseId: \"x1\", meta: {effective: \"2025-04-09\"}) { position } }", json!({})).await;
    command(router, admin, "issueAppointmentDocument", "IssueDocumentInput", json!({"caseId": c, "number": "姜委〔2025〕20号", "issuer": "区委", "issuedOn": "2025-04-10", "appointments": [
        {"cadreId": ids[0], "postId": "d1", "manner": "COMMISSION", "procedure": "经区委常委会研究决定"},
        {"cadreId": ids[1], "postId": "d2", "manner": "COMMISSION", "procedure": "经区委常委会研究决定"}]}), "2025-04-10").await;
}

#[tokio::main]
async fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    // cargo test runs a bench target without cargo bench's `--bench`: then, or with --quick, a small run.
    let quick = argv.iter().any(|a| a == "--quick") || !argv.iter().any(|a| a == "--bench");
    let args: Vec<usize> = argv.iter().filter_map(|a| a.parse().ok()).collect();
    let (units, reads) = if quick { (20, 50) } else { (500, 2_000) };
    let units = args.first().copied().unwrap_or(units).max(1);
    let reads = args.get(1).copied().unwrap_or(reads).max(1);

    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path().join("bench.db"), StoreOptions::default())
        .await
        .expect("store");
    let (projections, _runner) = Projections::start(store.clone(), ProjectionOptions::default());
    let router = app(AppState::new(
        store.clone(),
        projections,
        ApiConfig::default(),
    ));
    let admin = tokens::create(&store, Role::OrgAdmin, None, "bench")
        .await
        .expect("token");

    for u in 0..units {
        let unit = format!("u{u}");
        command(
            &router,
            &admin,
            "registerUnit",
            "RegisterUnitInput",
            json!({"unitId": unit, "name": format!("单位{u}")}),
            "2020-01-01",
        )
        .await;
        for (post, level) in [
            ("head", "TOWNSHIP_CHIEF"),
            ("d1", "TOWNSHIP_DEPUTY"),
            ("d2", "TOWNSHIP_DEPUTY"),
        ] {
            command(&router, &admin, "openPost", "OpenPostInput", json!({"unitId": unit, "postId": post, "title": post, "category": "GENERAL", "leadershipLevel": level}), "2020-01-01").await;
        }
        command(
            &router,
            &admin,
            "publishPostQuota",
            "PublishPostQuotaInput",
            json!({"unitId": unit, "chiefs": 1, "deputies": 3, "basis": "三定方案"}),
            "2024-01-01",
        )
        .await;
    }
    run_case(&router, &admin, 12).await;

    let case = "{ selectionCase(caseId: \"x1\") { stage candidates { cadreId status } steps { type on payload } } }";
    let first = post(&router, &admin, case, json!({})).await;
    let steps = first["data"]["selectionCase"]["steps"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(first["data"]["selectionCase"]["stage"], "APPOINTED");
    let mut latencies = Vec::with_capacity(reads);
    for _ in 0..reads {
        let t = Instant::now();
        post(&router, &admin, case, json!({})).await;
        latencies.push(t.elapsed());
    }
    report(
        &format!("query selectionCase (whole record, {steps} steps)"),
        latencies,
    );

    let board = "{ selectionDashboard(asOf: \"2025-06-30\") { vacancies { unitId tier approved filled vacancies } } }";
    let first = post(&router, &admin, board, json!({})).await;
    let rows = first["data"]["selectionDashboard"]["vacancies"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(rows, units * 2);
    let mut latencies = Vec::with_capacity(reads);
    for _ in 0..reads {
        let t = Instant::now();
        post(&router, &admin, board, json!({})).await;
        latencies.push(t.elapsed());
    }
    report(
        &format!("query selectionDashboard vacancies ({units} units)"),
        latencies,
    );
    println!(
        "(machine: {} cores; reproduce: cargo bench -p dossier-api --bench selection -- {units} {reads})",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}
