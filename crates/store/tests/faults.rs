//! Machine faults at the store boundary: a full disk or an I/O error is a state the writer leaves by itself.

mod common;

use std::time::{Duration, Instant};

use common::{ev, fresh, meta};
use dossier_store::{ExpectedVersion, InjectedFault, Store, StreamRange, VerifyReport};

/// Wait (at most 10 s) until `done` holds for the store's health.
async fn until(store: &Store, what: &str, done: impl Fn(&dossier_store::StoreHealth) -> bool) {
    let start = Instant::now();
    while !done(&store.health()) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{what}: {:?}",
            store.health()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_appends_with_its_cause_and_writing_resumes_without_a_restart() {
    let (_dir, store) = fresh().await;
    for n in 1..=20 {
        store
            .append("s", ExpectedVersion::Exact(n - 1), vec![ev("A", n)], meta())
            .await
            .unwrap();
    }
    assert!(store.health().writes.is_none());

    store.inject_fault(Some(InjectedFault::DiskFull));
    // Every attempt while the disk is full gets the same, retryable cause (never the
    // connection's confusion about a transaction SQLite already rolled back).
    for attempt in 0..3 {
        let err = store
            .append(
                "s",
                ExpectedVersion::Exact(20),
                vec![ev("B", attempt)],
                meta(),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "disk_full", "attempt {attempt}: {err}");
        assert!(err.is_fault());
    }
    let health = store.health();
    let fault = health.writes.expect("writing is reported stopped");
    assert_eq!(fault.code, "disk_full");
    assert_eq!(health.failed_appends.get("disk_full"), Some(&3));
    // Reads keep working, and nothing of the failed appends was written.
    assert_eq!(store.head().await.unwrap(), 20);
    let events = store
        .read_stream("s", StreamRange::default())
        .await
        .unwrap();
    assert_eq!(events.len(), 20);
    assert!(events.iter().all(|e| e.event_type == "A"));

    // Space returns: the writer finds out by itself (no append needed), then appends succeed.
    store.inject_fault(None);
    until(&store, "the writer resumes", |h| h.writes.is_none()).await;
    let r = store
        .append("s", ExpectedVersion::Exact(20), vec![ev("B", 9)], meta())
        .await
        .unwrap();
    assert_eq!((r.stream_version, r.last_position), (21, 21));
    assert_eq!(
        store.verify().await.unwrap(),
        VerifyReport::Ok { checked: 21 }
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_io_error_clears_the_next_append_succeeds_at_once() {
    let (_dir, store) = fresh().await;
    store
        .append("s", ExpectedVersion::NoStream, vec![ev("A", 1)], meta())
        .await
        .unwrap();
    store.inject_fault(Some(InjectedFault::Io));
    let err = store
        .append("s", ExpectedVersion::Exact(1), vec![ev("A", 2)], meta())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "database", "{err}");
    assert!(err.is_fault());
    assert_eq!(store.health().writes.map(|f| f.code), Some("database"));
    store.inject_fault(None);
    // No waiting for the probe: the append itself reconnects and commits.
    let r = store
        .append("s", ExpectedVersion::Exact(1), vec![ev("A", 2)], meta())
        .await
        .unwrap();
    assert_eq!(r.stream_version, 2);
    assert!(store.health().writes.is_none());
    assert_eq!(
        store.verify().await.unwrap(),
        VerifyReport::Ok { checked: 2 }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_checkpoint_is_reported_and_clears_by_itself() {
    let (_dir, store) = fresh().await;
    store
        .append("s", ExpectedVersion::NoStream, vec![ev("A", 1)], meta())
        .await
        .unwrap();
    // The checkpoint that follows this commit meets the fault.
    store.inject_fault(Some(InjectedFault::DiskFull));
    until(&store, "the checkpoint fails", |h| h.checkpoint.is_some()).await;
    assert!(store.health().failed_checkpoints.get("disk_full") >= Some(&1));
    store.inject_fault(None);
    until(&store, "the checkpoint resumes", |h| h.checkpoint.is_none()).await;
    let usage = store.disk_usage().unwrap();
    assert!(usage.free_bytes > 0 && usage.db_bytes > 0, "{usage:?}");
}
