//! Online backup under load: the copy verifies and holds every event acknowledged before it began.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use common::{ev, fresh, meta};
use dossier_store::{ExpectedVersion, Store, StoreOptions, StreamRange, VerifyReport};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_64_writers_verifies_and_holds_every_acknowledged_event() {
    let (dir, store) = fresh().await;
    let acked: Arc<Mutex<Vec<(String, u64, u64)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..64 {
        let (store, acked, stop) = (store.clone(), acked.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let stream = format!("w-{w}");
            let mut n = 0u64;
            while !stop.load(Ordering::Acquire) {
                let r = store
                    .append(&stream, ExpectedVersion::Exact(n), vec![ev("A", n)], meta())
                    .await
                    .expect("append under load");
                n += 1;
                acked
                    .lock()
                    .unwrap()
                    .push((stream.clone(), r.stream_version, r.last_position));
            }
        }));
    }
    // Let the load build up, then back up while it goes on.
    while acked.lock().unwrap().len() < 3_000 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let before: Vec<(String, u64, u64)> = acked.lock().unwrap().clone();
    let out = dir.path().join("backup.db");
    let report = store.backup(&out).await.unwrap();
    let after = acked.lock().unwrap().len();
    stop.store(true, Ordering::Release);
    for w in writers {
        w.await.unwrap();
    }
    assert!(report.bytes > 0);
    assert!(after > before.len(), "appends went on during the backup");
    assert!(!dir.path().join("backup.db.partial").exists());

    let copy = Store::open(
        &out,
        StoreOptions {
            read_only: true,
            create_if_missing: false,
            ..StoreOptions::default()
        },
    )
    .await
    .unwrap();
    let head = copy.head().await.unwrap();
    assert_eq!(
        copy.verify().await.unwrap(),
        VerifyReport::Ok { checked: head }
    );
    for (stream, version, position) in &before {
        let events = copy
            .read_stream(
                stream,
                StreamRange {
                    from_version: *version,
                    ..StreamRange::default()
                },
            )
            .await
            .unwrap();
        let e = events
            .first()
            .unwrap_or_else(|| panic!("{stream} v{version} missing"));
        assert_eq!((e.stream_version, e.position), (*version, *position));
    }
    // The copy's anchor is a point of the live log.
    let (pos, hash) = copy.anchor().await.unwrap().unwrap();
    assert_eq!(
        store.check_anchor(pos, &hash).await.unwrap(),
        dossier_store::AnchorCheck::Matches
    );
    // An existing file is never overwritten.
    let err = store.backup(&out).await.unwrap_err();
    assert_eq!(err.code(), "io", "{err}");
}
