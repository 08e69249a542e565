//! Faithful import: a log exported through `scan` and imported into a fresh store is the same log, row for row; tampered, gapped or misplaced batches are refused whole.

mod common;

use std::ops::ControlFlow;

use common::{ev, fresh, meta};
use dossier_store::{ExpectedVersion, ImportedEvent, Store, StoreError, VerifyReport};

/// A log of 12 events over four streams, the last two written by one two-stream command.
async fn sample_log(store: &Store) {
    for n in 0..10 {
        store
            .append(
                &format!("s-{}", n % 3),
                ExpectedVersion::Any,
                vec![ev("A", n)],
                meta().with_command_id(format!("cmd-{n}")),
            )
            .await
            .unwrap();
    }
    store
        .append_multi(
            vec![
                dossier_store::StreamWrite {
                    stream_id: "s-0".into(),
                    expected: ExpectedVersion::Any,
                    events: vec![ev("B", 10)],
                },
                dossier_store::StreamWrite {
                    stream_id: "s-9".into(),
                    expected: ExpectedVersion::NoStream,
                    events: vec![ev("B", 11)],
                },
            ],
            meta(),
        )
        .await
        .unwrap();
}

/// Every stored column of every event, read through `scan`.
async fn export(store: &Store) -> Vec<ImportedEvent> {
    let mut out = Vec::new();
    store
        .scan(0, |e| {
            out.push(ImportedEvent {
                position: e.position,
                stream_id: e.stream_id.to_string(),
                stream_version: e.stream_version,
                event_id: e.event_uuid().unwrap(),
                event_type: e.event_type.to_string(),
                schema_version: e.schema_version,
                payload: e.payload.to_string(),
                metadata: e.metadata.to_string(),
                recorded_at: e.recorded_at.to_string(),
                effective_at: e.effective_at.to_string(),
                hash: e.hash.try_into().unwrap(),
            });
            ControlFlow::Continue(())
        })
        .await
        .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_log_is_the_exported_log_row_for_row() {
    let (_a, source) = fresh().await;
    sample_log(&source).await;
    let exported = export(&source).await;
    assert_eq!(exported.len(), 12);

    let (_b, target) = fresh().await;
    // Two batches: the second continues exactly after the first.
    let (first, second) = exported.split_at(5);
    assert_eq!(target.import(first.to_vec()).await.unwrap(), 5);
    assert_eq!(target.import(second.to_vec()).await.unwrap(), 7);

    assert_eq!(export(&target).await, exported);
    assert_eq!(
        target.read_all(0, 100).await.unwrap(),
        source.read_all(0, 100).await.unwrap()
    );
    assert_eq!(
        target.verify().await.unwrap(),
        VerifyReport::Ok { checked: 12 }
    );
    assert_eq!(
        target.verify().await.unwrap(),
        source.verify().await.unwrap()
    );
    assert_eq!(target.head().await.unwrap(), 12);
    assert_eq!(target.stream_version("s-0").await.unwrap(), 5);

    // Appends continue the imported chain.
    target
        .append("s-9", ExpectedVersion::Exact(1), vec![ev("C", 12)], meta())
        .await
        .unwrap();
    assert_eq!(
        target.verify().await.unwrap(),
        VerifyReport::Ok { checked: 13 }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_refuses_a_tampered_hash_and_writes_nothing() {
    let (_a, source) = fresh().await;
    sample_log(&source).await;
    let mut exported = export(&source).await;
    exported[6].payload = "{\"n\":999}".into();

    let (_b, target) = fresh().await;
    let err = target.import(exported).await.unwrap_err();
    assert!(
        matches!(err, StoreError::ImportHashMismatch { position: 7, .. }),
        "{err}"
    );
    assert_eq!(err.code(), "import_hash_mismatch");
    assert!(err.to_string().contains("位置 7"), "{err}");
    assert_eq!(target.head().await.unwrap(), 0);

    // A changed hash is refused as well, even with the content intact.
    let mut exported = export(&source).await;
    exported[0].hash[0] ^= 1;
    let err = target.import(exported).await.unwrap_err();
    assert!(matches!(
        err,
        StoreError::ImportHashMismatch { position: 1, .. }
    ));
    assert_eq!(target.head().await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_refuses_a_position_gap_and_writes_nothing() {
    let (_a, source) = fresh().await;
    sample_log(&source).await;
    let mut exported = export(&source).await;
    exported.remove(4);

    let (_b, target) = fresh().await;
    let err = target.import(exported).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::ImportPositionGap {
                position: 6,
                expected: 5
            }
        ),
        "{err}"
    );
    assert_eq!(err.code(), "import_position_gap");
    assert_eq!(target.head().await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_refuses_a_stream_version_gap() {
    let (_a, source) = fresh().await;
    sample_log(&source).await;
    let mut exported = export(&source).await;
    exported[3].stream_version = 3; // s-0's second event
    let (_b, target) = fresh().await;
    let err = target.import(exported).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::ImportVersionGap {
                position: 4,
                version: 3,
                expected: 2,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(target.head().await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_refuses_invalid_json_naming_the_position() {
    let (_a, source) = fresh().await;
    sample_log(&source).await;
    let mut exported = export(&source).await;
    exported[2].metadata = "{not json".into();
    let (_b, target) = fresh().await;
    let err = target.import(exported).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::ImportInvalidField {
                position: 3,
                field: "metadata",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(target.head().await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_into_a_non_empty_log_must_continue_its_head() {
    let (_a, source) = fresh().await;
    sample_log(&source).await;
    let exported = export(&source).await;

    // A log with its own events: the exported log starts at position 1, not after its head.
    let (_b, target) = fresh().await;
    target
        .append("other", ExpectedVersion::NoStream, vec![ev("X", 0)], meta())
        .await
        .unwrap();
    let err = target.import(exported.clone()).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::ImportNotAtHead {
                position: 1,
                expected: 2
            }
        ),
        "{err}"
    );
    assert_eq!(err.code(), "import_not_at_head");
    assert_eq!(target.head().await.unwrap(), 1);

    // Right positions but a different chain before them: the hash does not continue it.
    let err = target.import(exported[1..].to_vec()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::ImportHashMismatch { position: 2, .. }),
        "{err}"
    );
    assert_eq!(target.head().await.unwrap(), 1);
    assert_eq!(
        target.verify().await.unwrap(),
        VerifyReport::Ok { checked: 1 }
    );

    // Importing the same batch twice: the second time it no longer continues the head.
    let (_c, copy) = fresh().await;
    copy.import(exported[..3].to_vec()).await.unwrap();
    let err = copy.import(exported[..3].to_vec()).await.unwrap_err();
    assert!(matches!(err, StoreError::ImportNotAtHead { .. }), "{err}");
    assert_eq!(copy.head().await.unwrap(), 3);
}
