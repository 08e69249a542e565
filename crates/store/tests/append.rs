//! Appending and reading: expected versions, optimistic concurrency, idempotent retries, group commit, ranges.

mod common;

use std::collections::HashSet;

use common::{day, ev, fresh, meta};
use dossier_store::{
    ExclusiveGuard, ExpectedVersion, Metadata, NewEvent, StoreError, StreamRange, StreamWrite,
    VerifyReport,
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_stream_is_bounded_by_version_position_and_effective_date() {
    let (_dir, store) = fresh().await;
    for (n, d) in [
        (1, day(2024, 1, 1)),
        (2, day(2025, 6, 1)),
        (3, day(2024, 3, 1)),
    ] {
        store
            .append(
                "c",
                ExpectedVersion::Any,
                vec![NewEvent::new("E", 1, format!("{n}"), d)],
                meta(),
            )
            .await
            .unwrap();
        store
            .append("other", ExpectedVersion::Any, vec![ev("O", n)], meta())
            .await
            .unwrap();
    }
    let versions = |v: Vec<dossier_store::RecordedEvent>| {
        v.iter().map(|e| e.stream_version).collect::<Vec<_>>()
    };
    let all = store
        .read_stream("c", StreamRange::default())
        .await
        .unwrap();
    assert_eq!(versions(all), vec![1, 2, 3]);
    let from2 = StreamRange {
        from_version: 2,
        ..Default::default()
    };
    assert_eq!(
        versions(store.read_stream("c", from2).await.unwrap()),
        vec![2, 3]
    );
    // Positions: c1=1, o1=2, c2=3, o2=4, c3=5.
    let known_then = StreamRange {
        to_position: Some(4),
        ..Default::default()
    };
    assert_eq!(
        versions(store.read_stream("c", known_then).await.unwrap()),
        vec![1, 2]
    );
    let as_of = StreamRange {
        effective_until: Some(day(2024, 12, 31)),
        ..Default::default()
    };
    assert_eq!(
        versions(store.read_stream("c", as_of).await.unwrap()),
        vec![1, 3]
    );
    assert!(
        store
            .read_stream("none", StreamRange::default())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_all_pages_in_position_order() {
    let (_dir, store) = fresh().await;
    for n in 0..25 {
        store
            .append(
                &format!("s-{}", n % 4),
                ExpectedVersion::Any,
                vec![ev("A", n)],
                meta(),
            )
            .await
            .unwrap();
    }
    let mut after = 0;
    let mut seen = Vec::new();
    loop {
        let page = store.read_all(after, 10).await.unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 10);
        after = page.last().unwrap().position;
        seen.extend(page.into_iter().map(|e| e.position));
    }
    assert_eq!(seen, (1..=25).collect::<Vec<u64>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_hands_out_every_event_in_order_and_stops_when_asked() {
    let (_dir, store) = fresh().await;
    let events: Vec<_> = (0..40_000).map(|n| ev("Bulk", n)).collect();
    store
        .append("bulk", ExpectedVersion::Any, events, meta())
        .await
        .unwrap();
    // Run on a spawned task: the scan future must be Send.
    let s = store.clone();
    let (count, last, ok) = tokio::spawn(async move {
        let mut count = 0u64;
        let mut ok = true;
        let last = s
            .scan(10, |e| {
                count += 1;
                ok &= e.position == 10 + count
                    && e.stream_id == "bulk"
                    && e.payload == format!("{{\"n\":{}}}", e.position - 1)
                    && e.event_uuid().is_some()
                    && e.hash.len() == 32;
                std::ops::ControlFlow::Continue(())
            })
            .await
            .unwrap();
        (count, last, ok)
    })
    .await
    .unwrap();
    assert!(ok);
    assert_eq!((count, last), (39_990, 40_000));
    let mut n = 0;
    let last = store
        .scan(0, |_| {
            n += 1;
            if n == 20_000 {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        })
        .await
        .unwrap();
    assert_eq!((n, last), (20_000, 20_000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_replay_scan_hands_out_the_fold_columns_of_every_event_as_the_full_scan_does() {
    let (_dir, store) = fresh().await;
    let events: Vec<_> = (0..20_000).map(|n| ev("Bulk", n)).collect();
    store
        .append("bulk-a", ExpectedVersion::Any, events, meta())
        .await
        .unwrap();
    store
        .append("bulk-b", ExpectedVersion::Any, vec![ev("Other", 7)], meta())
        .await
        .unwrap();
    // The columns a fold reads, owned; the same expression over both row types.
    macro_rules! fold_columns {
        ($e:expr) => {
            (
                $e.position,
                $e.stream_id.to_owned(),
                $e.stream_version,
                $e.event_type.to_owned(),
                $e.schema_version,
                $e.payload.to_owned(),
                $e.effective_at.to_owned(),
            )
        };
    }
    let mut full = Vec::new();
    store
        .scan(5, |e| {
            full.push(fold_columns!(e));
            std::ops::ControlFlow::Continue(())
        })
        .await
        .unwrap();
    let mut lean = Vec::new();
    let last = store
        .scan_replay(5, |e| {
            lean.push(fold_columns!(e));
            std::ops::ControlFlow::Continue(())
        })
        .await
        .unwrap();
    assert_eq!(last, 20_001);
    assert_eq!(lean.len(), 19_996);
    assert_eq!(lean, full);
    assert_eq!(
        lean.last().map(|e| (e.1.as_str(), e.3.as_str(), e.2)),
        Some(("bulk-b", "Other", 1))
    );
}

#[tokio::test(flavor = "current_thread")]
async fn the_store_works_on_a_single_threaded_runtime() {
    let (_dir, store) = fresh().await;
    store
        .append("s", ExpectedVersion::Any, vec![ev("A", 1)], meta())
        .await
        .unwrap();
    let mut n = 0;
    store
        .scan(0, |_| {
            n += 1;
            std::ops::ControlFlow::Continue(())
        })
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        store.verify().await.unwrap(),
        VerifyReport::Ok { checked: 1 }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_streams_by_prefix_with_versions() {
    let (_dir, store) = fresh().await;
    for s in ["cadre-2", "cadre-1", "unit-1", "cadre-1", "cadre-10"] {
        store
            .append(s, ExpectedVersion::Any, vec![ev("A", 1)], meta())
            .await
            .unwrap();
    }
    assert_eq!(
        store.list_streams("cadre-").await.unwrap(),
        vec![
            ("cadre-1".into(), 2),
            ("cadre-10".into(), 1),
            ("cadre-2".into(), 1)
        ]
    );
    assert_eq!(store.list_streams("").await.unwrap().len(), 4);
    assert!(store.list_streams("zzz").await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_flushes_and_reopen_continues_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let store = dossier_store::Store::open(&path, Default::default())
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..50 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            s.append(
                &format!("s{i}"),
                ExpectedVersion::Any,
                vec![ev("A", i)],
                meta(),
            )
            .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let other = store.clone();
    store.close().await;
    assert_eq!(
        other
            .append(
                "s",
                ExpectedVersion::Any,
                vec![ev("A", 1)],
                Metadata::default()
            )
            .await
            .unwrap_err()
            .code(),
        "store_closed"
    );
    drop(other);
    let store = dossier_store::Store::open(&path, Default::default())
        .await
        .unwrap();
    let r = store
        .append("s0", ExpectedVersion::Exact(1), vec![ev("A", 2)], meta())
        .await
        .unwrap();
    assert_eq!(r.first_position, 51);
    assert_eq!(
        store.verify().await.unwrap(),
        VerifyReport::Ok { checked: 51 }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_all_and_read_stream_return_identical_events() {
    let (_dir, store) = fresh().await;
    let mut m = meta().with_command_id("c-1");
    m.basis = Some("决定书 7 号".into());
    store
        .append("a", ExpectedVersion::Any, vec![ev("A", 1), ev("A", 2)], m)
        .await
        .unwrap();
    store
        .append("b", ExpectedVersion::Any, vec![ev("B", 3)], meta())
        .await
        .unwrap();
    let all = store.read_all(0, 100).await.unwrap();
    let mut by_stream = store
        .read_stream("a", StreamRange::default())
        .await
        .unwrap();
    by_stream.extend(
        store
            .read_stream("b", StreamRange::default())
            .await
            .unwrap(),
    );
    assert_eq!(all, by_stream);
    assert!(store.read_all(0, 0).await.unwrap().is_empty());
    assert_eq!(store.read_all(1, 1).await.unwrap()[0].position, 2);
    assert!(store.read_all(3, 10).await.unwrap().is_empty());
}

/// Wait until the store has noted the streams of the log it opened (it answers "may exist"
/// for everything until then).
async fn filled(store: &dossier_store::Store) {
    for _ in 0..500 {
        if !store.stream_may_exist("stream-that-was-never-written") {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the stream filter was never filled");
}

#[tokio::test]
async fn streams_of_the_log_and_streams_just_written_may_exist_and_new_ones_do_not() {
    // The filter of a file's streams: on PostgreSQL other processes write too, nothing is ruled out.
    let (dir, store) = common::fresh_sqlite().await;
    for i in 0..50 {
        store
            .append(
                &format!("old-{i}"),
                ExpectedVersion::NoStream,
                vec![ev("A", i)],
                meta(),
            )
            .await
            .unwrap();
    }
    store.close().await;
    let store = dossier_store::Store::open(dir.path().join("log.db"), Default::default())
        .await
        .unwrap();
    filled(&store).await;
    assert!((0..50).all(|i| store.stream_may_exist(&format!("old-{i}"))));
    assert!(!store.stream_may_exist("new-1"));
    store
        .append("new-1", ExpectedVersion::NoStream, vec![ev("A", 1)], meta())
        .await
        .unwrap();
    assert!(
        store.stream_may_exist("new-1"),
        "noted as soon as the append returns"
    );
    // A refused append creates nothing.
    let refused = store
        .append("new-2", ExpectedVersion::Exact(3), vec![ev("A", 1)], meta())
        .await;
    assert!(refused.is_err());
    assert!(!store.stream_may_exist("new-2"));
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
