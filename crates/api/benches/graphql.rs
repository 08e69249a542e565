//! Benchmark program: commands and queries through the whole router (auth, GraphQL, service, store, read models), no socket. Prints figures.
//!
//! Run: `cargo bench -p dossier-api --bench graphql` (optionally `-- 2000 20000` for cadres and queries).
//! Quick mode (50 cadres, 200 queries, seconds): `cargo test -p dossier-api --bench graphql` (cargo test
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

fn id_number(seq: u32) -> String {
    let body = format!("320412198001{:02}{:03}", 1 + seq % 28, seq % 1000);
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

fn report(what: &str, mut latencies: Vec<Duration>, wall: Duration) {
    latencies.sort();
    let n = latencies.len();
    let pct = |p: f64| latencies[((n as f64 * p) as usize).min(n - 1)];
    println!(
        "{what:<44} {n:>7} requests  {:>9.0} req/s  p50 {:>8.2?}  p99 {:>8.2?}",
        n as f64 / wall.as_secs_f64(),
        pct(0.50),
        pct(0.99)
    );
}

#[tokio::main]
async fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    // cargo test runs a bench target without cargo bench's `--bench`: then, or with --quick, a small run.
    let quick = argv.iter().any(|a| a == "--quick") || !argv.iter().any(|a| a == "--bench");
    let args: Vec<usize> = argv.iter().filter_map(|a| a.parse().ok()).collect();
    let (cadres, queries) = if quick { (50, 200) } else { (1_000, 10_000) };
    let cadres = args.first().copied().unwrap_or(cadres);
    let queries = args.get(1).copied().unwrap_or(queries);

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

    post(&router, &admin, "mutation { registerUnit(input: {unitId: \"u1\", name: \"区发改委\"}, meta: {effective: \"2020-01-01\"}) { position } }", json!({})).await;

    // Commands: each waits until the read models applied it (read-your-writes).
    let register = "mutation($input: RegisterCadreInput!) { registerCadre(input: $input, meta: {effective: \"2020-01-02\"}) { position } }";
    let mut latencies = Vec::with_capacity(cadres);
    let start = Instant::now();
    for i in 0..cadres {
        let input = json!({"cadreId": format!("c{i:06}"), "name": format!("干部{i}"), "idNumber": id_number(i as u32), "unitId": "u1", "rank": "CLERK_GRADE_1", "rankSince": "2019-01-01"});
        let t = Instant::now();
        post(&router, &admin, register, json!({ "input": input })).await;
        latencies.push(t.elapsed());
    }
    report(
        "mutation registerCadre (sequential)",
        latencies,
        start.elapsed(),
    );

    // Commands from 64 clients at once: group commit shares each fsync among them.
    let record = "mutation($input: RecordSupervisionInput!) { recordSupervision(input: $input, meta: {effective: \"2024-03-01\"}) { position } }";
    let per_client = (cadres / 8).max(10);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..64 {
        let (router, admin) = (router.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            let mut l = Vec::new();
            for i in 0..per_client {
                let input = json!({"entryId": format!("s{w}-{i}"), "cadreId": format!("c{:06}", (w * per_client + i) % cadres), "source": "ORG_SECTION", "sourceName": "干部监督科", "channel": "INSPECTION", "kind": "DAILY_CONDUCT", "tone": "NEUTRAL", "content": "记实", "observedOn": "2024-02-28"});
                let t = Instant::now();
                post(&router, &admin, record, json!({ "input": input })).await;
                l.push(t.elapsed());
            }
            l
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    report(
        "mutation recordSupervision (64 concurrent)",
        all,
        start.elapsed(),
    );

    // Queries: one profile each, sequential and 8 at a time.
    let profile =
        "query($id: String!) { cadre(id: $id) { name rank unitId grades { year grade } } }";
    let mut latencies = Vec::with_capacity(queries);
    let start = Instant::now();
    for i in 0..queries {
        let t = Instant::now();
        post(
            &router,
            &admin,
            profile,
            json!({ "id": format!("c{:06}", i % cadres) }),
        )
        .await;
        latencies.push(t.elapsed());
    }
    report(
        "query cadre profile (sequential)",
        latencies,
        start.elapsed(),
    );

    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..8 {
        let (router, admin) = (router.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            let mut l = Vec::new();
            for i in (w..queries).step_by(8) {
                let t = Instant::now();
                post(
                    &router,
                    &admin,
                    profile,
                    json!({ "id": format!("c{:06}", i % cadres) }),
                )
                .await;
                l.push(t.elapsed());
            }
            l
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    report("query cadre profile (8 concurrent)", all, start.elapsed());

    let mut latencies = Vec::new();
    let start = Instant::now();
    for _ in 0..(queries / 10).max(1) {
        let t = Instant::now();
        post(&router, &admin, "{ cadres(first: 50) { edges { node { cadreId name } } } dashboards { figures { value } } }", json!({})).await;
        latencies.push(t.elapsed());
    }
    report("query cadres page + dashboards", latencies, start.elapsed());
    println!(
        "({cadres} cadres, {queries} profile queries; machine: {} cores; reproduce: cargo bench -p dossier-api --bench graphql -- {cadres} {queries})",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}
