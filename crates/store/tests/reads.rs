//! Reading the log: stream ranges by version, position and effective date, pages and scans in position order, stream listings and existence, and a reopened log continuing its chain.

mod common;

use common::{day, ev, fresh, meta};
use dossier_store::{ExpectedVersion, Metadata, NewEvent, StreamRange, VerifyReport};

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
