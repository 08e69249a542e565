//! Subscriptions: catch-up then live, every event exactly once, in position order, never blocking writers.

mod common;

use std::time::Duration;

use common::{ev, fresh, meta};
use dossier_store::{ExpectedVersion, Store, Subscription};

const WRITERS: u64 = 8;
const PER_WRITER: u64 = 1_250;
const TOTAL: u64 = WRITERS * PER_WRITER;

fn spawn_writers(store: &Store) -> Vec<tokio::task::JoinHandle<()>> {
    (0..WRITERS)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                for n in 0..PER_WRITER {
                    store
                        .append(
                            &format!("w-{w}"),
                            ExpectedVersion::Any,
                            vec![ev("A", n)],
                            meta(),
                        )
                        .await
                        .unwrap();
                }
            })
        })
        .collect()
}

/// Take `n` events and check they are exactly positions after+1 ..= after+n.
async fn take_in_order(sub: &mut Subscription, after: u64, n: u64) {
    let mut expected = after + 1;
    while expected <= after + n {
        let e = tokio::time::timeout(Duration::from_secs(60), sub.next())
            .await
            .expect("subscription stalled")
            .expect("subscription ended early")
            .expect("subscription error");
        assert_eq!(e.position, expected, "gap or duplicate");
        expected += 1;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscriber_from_zero_receives_every_event_once_in_order_while_8_writers_append() {
    let (_dir, store) = fresh().await;
    let mut early = store.subscribe(0);
    // A subscriber that is never polled must not hold anything up.
    let _idle = store.subscribe(0);
    let writers = spawn_writers(&store);
    // A second subscriber joins mid-way: its catch-up and live parts must meet exactly.
    while store.head().await.unwrap() < 2_000 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut late = store.subscribe(0);
    let late_task = tokio::spawn(async move {
        take_in_order(&mut late, 0, TOTAL).await;
        late
    });
    take_in_order(&mut early, 0, TOTAL).await;
    for w in writers {
        w.await.unwrap();
    }
    let mut late = late_task.await.unwrap();
    assert_eq!(store.head().await.unwrap(), TOTAL);
    // Nothing more arrives.
    assert!(
        tokio::time::timeout(Duration::from_millis(200), early.next())
            .await
            .is_err()
    );
    assert!(
        tokio::time::timeout(Duration::from_millis(50), late.next())
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscriber_from_a_position_starts_after_it_and_ends_when_the_store_closes() {
    let (_dir, store) = fresh().await;
    for n in 0..10 {
        store
            .append("s", ExpectedVersion::Any, vec![ev("A", n)], meta())
            .await
            .unwrap();
    }
    let mut sub = store.subscribe(7);
    take_in_order(&mut sub, 7, 3).await;
    store
        .append("s", ExpectedVersion::Any, vec![ev("A", 10)], meta())
        .await
        .unwrap();
    take_in_order(&mut sub, 10, 1).await;
    assert_eq!(sub.position(), 11);
    store.close().await;
    assert!(sub.next().await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_is_a_stream() {
    use futures::StreamExt;
    let (_dir, store) = fresh().await;
    for n in 0..5 {
        store
            .append("s", ExpectedVersion::Any, vec![ev("A", n)], meta())
            .await
            .unwrap();
    }
    let positions: Vec<u64> = store
        .subscribe(0)
        .into_stream()
        .take(5)
        .map(|e| e.unwrap().position)
        .collect()
        .await;
    assert_eq!(positions, vec![1, 2, 3, 4, 5]);
}
