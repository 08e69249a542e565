//! Appending: expected versions, optimistic concurrency, idempotent retries, group commit, all-or-nothing writes and guarded appends (reads of the log are in `reads.rs`).

mod common;

use std::collections::HashSet;

use common::{day, ev, fresh, meta};
use dossier_store::{
    ExclusiveGuard, ExpectedVersion, NewEvent, StoreError, StreamRange, StreamWrite, VerifyReport,
};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn append_then_read_back_every_field() {
    let (_dir, store) = fresh().await;
    let id = Uuid::now_v7();
    let mut m = meta();
    m.correlation_id = Some("corr-1".into());
    m.causation_id = Some("cause-1".into());
    m.basis = Some("组干〔2026〕1号".into());
    let mut e = NewEvent::new(
        "CadreRegistered",
        2,
        r#"{"name":"张三"}"#,
        day(2025, 12, 31),
    );
    e.event_id = Some(id);
    let r = store
        .append(
            "cadre-1",
            ExpectedVersion::NoStream,
            vec![e, ev("Trained", 1)],
            m.clone(),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            r.first_position,
            r.last_position,
            r.stream_version,
            r.deduplicated
        ),
        (1, 2, 2, false)
    );
    let events = store
        .read_stream("cadre-1", StreamRange::default())
        .await
        .unwrap();
    assert_eq!(events.len(), 2);
    let first = &events[0];
    assert_eq!(first.position, 1);
    assert_eq!(first.stream_id, "cadre-1");
    assert_eq!(first.stream_version, 1);
    assert_eq!(first.event_id, id);
    assert_eq!(first.event_type, "CadreRegistered");
    assert_eq!(first.schema_version, 2);
    assert_eq!(first.payload, r#"{"name":"张三"}"#);
    assert_eq!(first.metadata, m);
    assert_eq!(first.effective_at, day(2025, 12, 31));
    assert_eq!(first.hash.len(), 64);
    assert!(chrono::Utc::now() - first.recorded_at < chrono::TimeDelta::minutes(1));
    assert_eq!(
        events[1].event_id.get_version_num(),
        7,
        "generated ids are UUIDv7"
    );
    assert_eq!(store.head().await.unwrap(), 2);
    assert_eq!(store.stream_version("cadre-1").await.unwrap(), 2);
    assert_eq!(store.stream_version("cadre-2").await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expected_version_any_no_stream_and_exact() {
    let (_dir, store) = fresh().await;
    store
        .append("s", ExpectedVersion::NoStream, vec![ev("A", 1)], meta())
        .await
        .unwrap();
    let err = store
        .append("s", ExpectedVersion::NoStream, vec![ev("A", 2)], meta())
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Conflict {
            expected: ExpectedVersion::NoStream,
            actual: 1
        }
    ));
    let err = store
        .append("s", ExpectedVersion::Exact(3), vec![ev("A", 2)], meta())
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Conflict {
            expected: ExpectedVersion::Exact(3),
            actual: 1
        }
    ));
    assert_eq!(err.code(), "conflict");
    assert!(err.to_string().contains("实际版本为 1"), "{err}");
    let r = store
        .append("s", ExpectedVersion::Exact(1), vec![ev("A", 2)], meta())
        .await
        .unwrap();
    assert_eq!(r.stream_version, 2);
    let r = store
        .append("s", ExpectedVersion::Any, vec![ev("A", 3)], meta())
        .await
        .unwrap();
    assert_eq!(r.stream_version, 3);
    let r = store
        .append("t", ExpectedVersion::Exact(0), vec![ev("A", 1)], meta())
        .await
        .unwrap();
    assert_eq!((r.stream_version, r.first_position), (1, 4));
    assert_eq!(
        store.head().await.unwrap(),
        4,
        "refused appends wrote nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_100_racing_appends_of_the_same_next_version_exactly_one_wins() {
    let (_dir, store) = fresh().await;
    for n in 1..=5 {
        store
            .append("race", ExpectedVersion::Any, vec![ev("A", n)], meta())
            .await
            .unwrap();
    }
    let mut tasks = Vec::new();
    for i in 0..100 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .append("race", ExpectedVersion::Exact(5), vec![ev("B", i)], meta())
                .await
        }));
    }
    let mut wins = 0;
    let mut conflicts = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(r) => {
                wins += 1;
                assert_eq!(r.stream_version, 6);
            }
            Err(StoreError::Conflict { expected, actual }) => {
                conflicts += 1;
                assert_eq!(expected, ExpectedVersion::Exact(5));
                assert_eq!(actual, 6, "the conflict names the actual version");
            }
            Err(e) => panic!("unexpected error {e}"),
        }
    }
    assert_eq!((wins, conflicts), (1, 99));
    assert_eq!(store.stream_version("race").await.unwrap(), 6);
    assert_eq!(store.head().await.unwrap(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_command_id_twice_returns_the_first_result_and_writes_nothing() {
    let (_dir, store) = fresh().await;
    let m = meta().with_command_id("cmd-1");
    let first = store
        .append(
            "s",
            ExpectedVersion::NoStream,
            vec![ev("A", 1), ev("A", 2)],
            m.clone(),
        )
        .await
        .unwrap();
    // The retry would conflict (NoStream) if it were not recognised as a retry.
    let again = store
        .append(
            "s",
            ExpectedVersion::NoStream,
            vec![ev("A", 1), ev("A", 2)],
            m.clone(),
        )
        .await
        .unwrap();
    assert!(again.deduplicated);
    assert_eq!(
        (
            again.first_position,
            again.last_position,
            again.stream_version
        ),
        (
            first.first_position,
            first.last_position,
            first.stream_version
        )
    );
    assert_eq!(store.head().await.unwrap(), 2);

    // Concurrent retries of one new command: one write, the same answer for all.
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .append(
                    "t",
                    ExpectedVersion::Any,
                    vec![ev("B", 1)],
                    meta().with_command_id("cmd-2"),
                )
                .await
                .unwrap()
        }));
    }
    let mut positions = HashSet::new();
    let mut fresh_writes = 0;
    for t in tasks {
        let r = t.await.unwrap();
        positions.insert(r.first_position);
        if !r.deduplicated {
            fresh_writes += 1;
        }
    }
    assert_eq!(positions.len(), 1);
    assert_eq!(fresh_writes, 1);
    assert_eq!(store.head().await.unwrap(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_id_reused_for_another_stream_is_refused() {
    let (_dir, store) = fresh().await;
    store
        .append(
            "s",
            ExpectedVersion::Any,
            vec![ev("A", 1)],
            meta().with_command_id("c"),
        )
        .await
        .unwrap();
    let err = store
        .append(
            "other",
            ExpectedVersion::Any,
            vec![ev("A", 1)],
            meta().with_command_id("c"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "command_id_reused");
    assert_eq!(store.head().await.unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn append_multi_is_all_or_nothing_across_streams() {
    let (_dir, store) = fresh().await;
    store
        .append("b", ExpectedVersion::Any, vec![ev("A", 1)], meta())
        .await
        .unwrap();
    let writes = |b_expected| {
        vec![
            StreamWrite {
                stream_id: "a".into(),
                expected: ExpectedVersion::NoStream,
                events: vec![ev("X", 1), ev("X", 2)],
            },
            StreamWrite {
                stream_id: "b".into(),
                expected: b_expected,
                events: vec![ev("Y", 1)],
            },
        ]
    };
    let err = store
        .append_multi(writes(ExpectedVersion::Exact(7)), meta())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { actual: 1, .. }));
    assert_eq!(
        store.stream_version("a").await.unwrap(),
        0,
        "nothing of a was written"
    );
    let rs = store
        .append_multi(
            writes(ExpectedVersion::Exact(1)),
            meta().with_command_id("m"),
        )
        .await
        .unwrap();
    assert_eq!(rs.len(), 2);
    assert_eq!(
        (
            rs[0].first_position,
            rs[0].last_position,
            rs[0].stream_version
        ),
        (2, 3, 2)
    );
    assert_eq!(
        (
            rs[1].first_position,
            rs[1].last_position,
            rs[1].stream_version
        ),
        (4, 4, 2)
    );
    let again = store
        .append_multi(
            writes(ExpectedVersion::Exact(1)),
            meta().with_command_id("m"),
        )
        .await
        .unwrap();
    assert!(again.iter().all(|r| r.deduplicated));
    assert_eq!(store.head().await.unwrap(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_append_in_a_group_does_not_fail_the_others() {
    let (_dir, store) = fresh().await;
    let taken = Uuid::now_v7();
    let mut e = ev("A", 0);
    e.event_id = Some(taken);
    store
        .append("x", ExpectedVersion::Any, vec![e], meta())
        .await
        .unwrap();

    // Many appends at once so that they share group transactions; every tenth has 20 events
    // (two INSERT statements) whose last reuses an event id: refused as a whole, after its
    // first 16 events were already inserted inside the group transaction.
    let mut tasks = Vec::new();
    for i in 0..60u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut events = vec![ev("B", i), ev("B", i + 1), ev("B", i + 2)];
            if i % 10 == 0 {
                events = (0..20).map(|n| ev("B", n)).collect();
                events[19].event_id = Some(taken);
            }
            (
                i,
                store
                    .append(&format!("s-{i}"), ExpectedVersion::NoStream, events, meta())
                    .await,
            )
        }));
    }
    for t in tasks {
        let (i, r) = t.await.unwrap();
        if i % 10 == 0 {
            assert_eq!(r.unwrap_err().code(), "duplicate_event_id");
            assert_eq!(store.stream_version(&format!("s-{i}")).await.unwrap(), 0);
        } else {
            assert_eq!(r.unwrap().stream_version, 3);
        }
    }
    assert_eq!(
        store.head().await.unwrap(),
        1 + 54 * 3,
        "positions stay gapless"
    );
    let all = store.read_all(0, 10_000).await.unwrap();
    assert!(
        all.iter()
            .enumerate()
            .all(|(i, e)| e.position == i as u64 + 1)
    );
    assert_eq!(
        store.verify().await.unwrap(),
        VerifyReport::Ok { checked: 163 }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_append_spans_several_statements_and_stays_whole() {
    let (_dir, store) = fresh().await;
    let events: Vec<_> = (0..1000).map(|n| ev("Bulk", n)).collect();
    let r = store
        .append("bulk", ExpectedVersion::NoStream, events, meta())
        .await
        .unwrap();
    assert_eq!(
        (r.first_position, r.last_position, r.stream_version),
        (1, 1000, 1000)
    );
    let back = store
        .read_stream("bulk", StreamRange::default())
        .await
        .unwrap();
    assert!(back.iter().enumerate().all(|(i, e)| e.payload == format!("{{\"n\":{i}}}")
        && e.stream_version == i as u64 + 1));
    assert_eq!(
        store.verify().await.unwrap(),
        VerifyReport::Ok { checked: 1000 }
    );
}

fn write(stream: &str, n: u64) -> Vec<StreamWrite> {
    vec![StreamWrite {
        stream_id: stream.into(),
        expected: ExpectedVersion::Any,
        events: vec![ev("Registered", n)],
    }]
}

/// Given two decisions under a cross-stream rule made on the same facts (the head at `h`),
/// when both are appended, then the first commits and the second is refused with
/// `exclusive_moved` naming both positions, writing nothing; decided again on the new head
/// it commits. Appends of one decision (a batch) do not refuse each other, and appends
/// without a guard are not concerned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_guarded_appends_decided_on_the_same_facts_cannot_both_commit() {
    let (_dir, store) = fresh().await;
    store
        .append("before", ExpectedVersion::Any, vec![ev("A", 0)], meta())
        .await
        .unwrap();
    let h = store.head().await.unwrap();
    let first = ExclusiveGuard::new(h);
    let second = ExclusiveGuard::new(h);
    assert_ne!(first.decision, second.decision);

    let won = store
        .append_guarded(write("cadre-a", 1), meta(), None, Some(first))
        .await
        .unwrap();
    let head = store.head().await.unwrap();
    match store
        .append_guarded(write("cadre-b", 2), meta(), None, Some(second))
        .await
    {
        Err(StoreError::ExclusiveMoved { after, at }) => {
            assert_eq!((after, at), (h, won[0].last_position));
        }
        other => panic!("expected exclusive_moved, got {other:?}"),
    }
    assert_eq!(store.head().await.unwrap(), head, "nothing written");
    assert_eq!(store.stream_version("cadre-b").await.unwrap(), 0);

    // The same decision's other append (a batch's next entry) still goes in.
    store
        .append_guarded(write("cadre-c", 3), meta(), None, Some(first))
        .await
        .unwrap();
    // Unguarded appends are not concerned.
    store
        .append("other", ExpectedVersion::Any, vec![ev("A", 4)], meta())
        .await
        .unwrap();
    // Decided again on the facts as they are now: it commits.
    let again = ExclusiveGuard::new(store.head().await.unwrap());
    store
        .append_guarded(write("cadre-b", 2), meta(), None, Some(again))
        .await
        .unwrap();
    assert_eq!(store.stream_version("cadre-b").await.unwrap(), 1);
    assert_eq!(
        store.verify().await.unwrap(),
        VerifyReport::Ok { checked: 5 }
    );
}

/// Given twenty decisions made at once on the same facts, when they are appended together
/// (one group commit or several), then exactly one commits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_racing_guarded_appends_on_the_same_facts_exactly_one_commits() {
    let (_dir, store) = fresh().await;
    let h = store.head().await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..20u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .append_guarded(
                    write(&format!("cadre-{i}"), i),
                    meta(),
                    None,
                    Some(ExclusiveGuard::new(h)),
                )
                .await
        }));
    }
    let mut won = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => won += 1,
            Err(e) => assert_eq!(e.code(), "exclusive_moved", "{e}"),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(store.head().await.unwrap(), 1);
}
