//! Machine faults end to end: a full disk and a failed read-model runner are states the client is told about (retryable codes, readiness), and both clear by themselves.

use std::time::{Duration, Instant};

use dossier_store::InjectedFault;
use dossier_tests::{TestApp, spawn_app};
use serde_json::json;

const UNIT: &str = "mutation($id: ID!) { registerUnit(input: {unitId: $id, name: \"区测试局\", businessFacing: false}, meta: {effective: \"2020-01-01\"}) { streamVersion position } }";

async fn readyz(app: &TestApp) -> (u16, String) {
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn metrics(app: &TestApp) -> String {
    let r = app.client.get(app.url("/metrics")).send().await.unwrap();
    r.text().await.unwrap()
}

/// Wait (at most 15 s) until `/readyz` answers 200.
async fn until_ready(app: &TestApp) {
    let start = Instant::now();
    loop {
        let (status, text) = readyz(app).await;
        if status == 200 {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "never ready again: {text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_suspends_writes_visibly_and_they_resume_without_a_restart() {
    let app = spawn_app().await;
    let acknowledged =
        TestApp::expect_ok(app.admin(UNIT, json!({"id": "u1"})).await, "registerUnit");
    let head = app.head().await;

    app.store.inject_fault(Some(InjectedFault::DiskFull));
    let reply = app.admin(UNIT, json!({"id": "u2"})).await;
    assert_eq!(reply.codes(), ["STORAGE_FULL"], "{:#}", reply.body);
    let err = reply.first_error();
    assert_eq!(err["extensions"]["retryable"], true);
    assert!(
        err["message"].as_str().unwrap().contains("磁盘空间已满"),
        "{err}"
    );
    assert_eq!(
        app.head().await,
        head,
        "nothing of the refused command was written"
    );

    let (status, text) = readyz(&app).await;
    assert_eq!(status, 503, "{text}");
    assert!(
        text.contains("writes suspended") && text.contains("disk_full"),
        "{text}"
    );
    let m = metrics(&app).await;
    assert!(
        m.contains("dossier_store_failed_appends_total{cause=\"disk_full\"} 1"),
        "{m}"
    );
    assert!(m.contains("dossier_store_writes_ok 0"), "{m}");
    for name in [
        "dossier_disk_free_bytes",
        "dossier_wal_bytes",
        "dossier_db_bytes",
    ] {
        assert!(m.contains(name), "metrics lack {name}: {m}");
    }
    // Reads keep working meanwhile.
    let read = app.admin("{ unit(id: \"u1\") { name } }", json!({})).await;
    assert_eq!(read.data("unit.name"), "区测试局", "{:#}", read.body);

    // Space returns: readiness comes back by itself, and the next command goes through.
    app.store.inject_fault(None);
    until_ready(&app).await;
    let next = TestApp::expect_ok(app.admin(UNIT, json!({"id": "u2"})).await, "registerUnit");
    assert!(next["position"].as_u64() > acknowledged["position"].as_u64());
    assert!(metrics(&app).await.contains("dossier_store_writes_ok 1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_read_model_runner_answers_unavailable_and_restarts() {
    let app = spawn_app().await;
    TestApp::expect_ok(app.admin(UNIT, json!({"id": "u1"})).await, "registerUnit");
    let head = app.head().await;

    app.projections
        .inject_failure(Duration::from_secs(3))
        .await
        .unwrap();
    let (status, text) = readyz(&app).await;
    assert_eq!(status, 503, "{text}");
    assert!(text.contains("read-model runner down"), "{text}");
    let reply = app.admin(UNIT, json!({"id": "u2"})).await;
    assert_eq!(reply.codes(), ["UNAVAILABLE"], "{:#}", reply.body);
    assert_eq!(reply.first_error()["extensions"]["retryable"], true);
    assert_eq!(app.head().await, head, "nothing was written");
    assert!(
        metrics(&app)
            .await
            .contains("dossier_projection_runner_up 0")
    );

    // The supervisor restarts it from its last good state; commands work again.
    until_ready(&app).await;
    TestApp::expect_ok(app.admin(UNIT, json!({"id": "u2"})).await, "registerUnit");
    let read = app.admin("{ unit(id: \"u2\") { name } }", json!({})).await;
    assert_eq!(read.data("unit.name"), "区测试局", "{:#}", read.body);
}
