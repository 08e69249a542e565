//! Command ids: a retry is answered only to the principal that issued the command, with the same input; anyone else learns nothing.

mod common;

use common::{ev, fresh, meta};
use dossier_store::{
    CommandOrigin, ExpectedVersion, Metadata, Store, StoreOptions, StreamRange, StreamWrite,
};

fn write(stream: &str, n: u64) -> Vec<StreamWrite> {
    vec![StreamWrite {
        stream_id: stream.into(),
        expected: ExpectedVersion::Any,
        events: vec![ev("appeal.Filed", n)],
    }]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_principal_reusing_a_command_id_is_refused_and_learns_nothing() {
    let (_dir, store) = fresh().await;
    let victim = Metadata::new("cadre-a#111", "cadre").with_command_id("cmd-secret");
    store
        .append(
            "appeal-a1",
            ExpectedVersion::Any,
            vec![ev("appeal.Filed", 7)],
            victim,
        )
        .await
        .unwrap();
    // The same input, the same stream, another principal.
    let attacker = Metadata::new("cadre-b#222", "cadre").with_command_id("cmd-secret");
    let err = store
        .append(
            "appeal-a1",
            ExpectedVersion::Any,
            vec![ev("appeal.Filed", 7)],
            attacker.clone(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "idempotency_key_reused");
    let text = err.to_string();
    assert!(!text.contains("appeal-a1"), "{text}");
    // Another stream: refused the same way, without naming the first command's stream.
    let err = store
        .append(
            "appeal-b9",
            ExpectedVersion::Any,
            vec![ev("appeal.Filed", 1)],
            attacker,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "idempotency_key_reused");
    assert!(!err.to_string().contains("appeal-a1"), "{err}");
    assert_eq!(store.head().await.unwrap(), 1, "nothing written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_principal_with_another_input_is_refused_and_nothing_is_written() {
    let (_dir, store) = fresh().await;
    let m = meta().with_command_id("c-1");
    store
        .append("s", ExpectedVersion::Any, vec![ev("A", 1)], m.clone())
        .await
        .unwrap();
    let err = store
        .append("s", ExpectedVersion::Any, vec![ev("A", 2)], m)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "idempotency_key_reused");
    assert_eq!(store.head().await.unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_given_origin_decides_the_retry_not_the_events() {
    let (_dir, store) = fresh().await;
    let origin = CommandOrigin::new("org_admin:admin#abc", b"fileAppeal a1");
    let first = store
        .append_multi_from(
            write("s", 1),
            meta().with_command_id("k"),
            Some(origin.clone()),
        )
        .await
        .unwrap();
    // A retry whose decided events differ (decided against a later state) but whose command
    // input is the same: the first result again.
    let again = store
        .append_multi_from(
            write("s", 99),
            meta().with_command_id("k"),
            Some(origin.clone()),
        )
        .await
        .unwrap();
    assert!(again[0].deduplicated);
    assert_eq!(again[0].first_position, first[0].first_position);
    // The same principal with another input.
    let other_input = CommandOrigin::new("org_admin:admin#abc", b"fileAppeal a2");
    let err = store
        .append_multi_from(
            write("s", 1),
            meta().with_command_id("k"),
            Some(other_input),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "idempotency_key_reused");
    let record = store.command("k").await.unwrap().unwrap();
    assert!(record.answers(&origin));
    assert_eq!(record.results, first);
    assert!(store.command("never-used").await.unwrap().is_none());
    assert_eq!(store.head().await.unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn command_ids_recorded_before_a_restart_are_still_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let store = Store::open(&path, StoreOptions::default()).await.unwrap();
    for i in 0..50 {
        store
            .append(
                &format!("s{i}"),
                ExpectedVersion::NoStream,
                vec![ev("A", i)],
                meta().with_command_id(format!("c-{i}")),
            )
            .await
            .unwrap();
    }
    store.close().await;
    let store = Store::open(&path, StoreOptions::default()).await.unwrap();
    // At once (the filter may still be filling) and after a moment (filled from the file).
    for pause in [0, 300] {
        tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
        for i in 0..50 {
            let r = store
                .append(
                    &format!("s{i}"),
                    ExpectedVersion::NoStream,
                    vec![ev("A", i)],
                    meta().with_command_id(format!("c-{i}")),
                )
                .await
                .unwrap();
            assert!(r.deduplicated, "c-{i} after {pause} ms");
            assert!(store.command(&format!("c-{i}")).await.unwrap().is_some());
        }
    }
    assert_eq!(store.head().await.unwrap(), 50);
    let events = store
        .read_stream("s7", StreamRange::default())
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_of_one_command_within_one_group_write_it_once_even_when_the_group_falls_back() {
    let (_dir, store) = fresh().await;
    let mut taken = ev("A", 0);
    let id = uuid::Uuid::from_bytes([7u8; 16]);
    taken.event_id = Some(id);
    store
        .append("x", ExpectedVersion::Any, vec![taken], meta())
        .await
        .unwrap();
    // Retries of command "k" sent at once share group transactions with appends whose event id
    // is taken, which send those groups down the append-by-append path.
    let mut tasks = Vec::new();
    for i in 0..48u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            if i % 6 == 0 {
                let mut e = ev("B", i);
                e.event_id = Some(id);
                let r = store
                    .append(&format!("d-{i}"), ExpectedVersion::Any, vec![e], meta())
                    .await;
                return (i, r.map(|_| false));
            }
            let r = store
                .append(
                    "k-stream",
                    ExpectedVersion::Any,
                    vec![ev("C", 1)],
                    meta().with_command_id("k"),
                )
                .await;
            (i, r.map(|r| r.deduplicated))
        }));
    }
    let mut written = 0;
    for t in tasks {
        let (i, r) = t.await.unwrap();
        if i % 6 == 0 {
            assert_eq!(r.unwrap_err().code(), "duplicate_event_id");
        } else if !r.unwrap() {
            written += 1;
        }
    }
    assert_eq!(
        written, 1,
        "command k is written once, every other retry is answered"
    );
    assert_eq!(store.stream_version("k-stream").await.unwrap(), 1);
    assert_eq!(store.head().await.unwrap(), 2);
    assert_eq!(
        store.verify_side_tables().await.unwrap(),
        Vec::<String>::new()
    );
}
