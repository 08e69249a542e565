//! Every failure is a clear error, never a panic, and changes nothing.

mod common;

use common::{day, ev, fresh, meta};
use dossier_store::{
    ExpectedVersion, NewEvent, Store, StoreError, StoreOptions, StreamWrite, VerifyReport,
};
use sqlx::{Connection, SqliteConnection};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_is_not_sqlite_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "这不是数据库。".repeat(500)).unwrap();
    let err = Store::open(&path, StoreOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::NotADatabase { path: p } if *p == path),
        "{err:?}"
    );
    assert_eq!(err.code(), "not_a_database");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "这不是数据库。".repeat(500)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_file_is_refused_when_creation_is_off() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.db");
    let opts = StoreOptions {
        create_if_missing: false,
        ..StoreOptions::default()
    };
    let err = Store::open(&path, opts).await.unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(!path.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_newer_than_the_binary_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let store = Store::open(&path, StoreOptions::default()).await.unwrap();
    store.close().await;
    let mut conn = SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (29991231000000, 'from the future', 1, x'00', 0)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    for read_only in [false, true] {
        let err = Store::open(
            &path,
            StoreOptions {
                read_only,
                ..StoreOptions::default()
            },
        )
        .await
        .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::SchemaTooNew {
                    applied: 29991231000000,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("29991231000000"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_store_refuses_appends_and_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let store = Store::open(&path, StoreOptions::default()).await.unwrap();
    store
        .append("s", ExpectedVersion::Any, vec![ev("A", 1)], meta())
        .await
        .unwrap();
    store.close().await;
    let ro = Store::open(
        &path,
        StoreOptions {
            read_only: true,
            ..StoreOptions::default()
        },
    )
    .await
    .unwrap();
    let err = ro
        .append("s", ExpectedVersion::Any, vec![ev("A", 2)], meta())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "read_only", "{err:?}");
    let err = ro.save_snapshot("p", 1, 1, b"x").await.unwrap_err();
    assert_eq!(err.code(), "read_only", "{err:?}");
    assert_eq!(ro.head().await.unwrap(), 1);
    assert_eq!(ro.verify().await.unwrap(), VerifyReport::Ok { checked: 1 });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_fails_the_append_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let opts = StoreOptions {
        max_size_bytes: Some(256 * 1024),
        ..StoreOptions::default()
    };
    let store = Store::open(&path, opts).await.unwrap();
    let big = format!("{{\"text\":\"{}\"}}", "x".repeat(8_000));
    let mut err = None;
    for n in 0..200 {
        let before = store.head().await.unwrap();
        let events = vec![NewEvent::new("Big", 1, big.clone(), day(2026, 1, 1)); 3];
        match store
            .append(&format!("s-{n}"), ExpectedVersion::Any, events, meta())
            .await
        {
            Ok(_) => {}
            Err(e) => {
                assert_eq!(
                    store.head().await.unwrap(),
                    before,
                    "a failed append wrote nothing"
                );
                assert_eq!(store.stream_version(&format!("s-{n}")).await.unwrap(), 0);
                err = Some(e);
                break;
            }
        }
    }
    let err = err.expect("the size cap was never reached");
    assert_eq!(err.code(), "disk_full", "{err:?}");
    let head = store.head().await.unwrap();
    assert_eq!(
        store.verify().await.unwrap(),
        VerifyReport::Ok { checked: head }
    );
    // Small appends that fit still work afterwards, and the chain continues.
    store.close().await;
    let store = Store::open(&path, StoreOptions::default()).await.unwrap();
    store
        .append("after", ExpectedVersion::Any, vec![ev("A", 1)], meta())
        .await
        .unwrap();
    assert_eq!(
        store.verify().await.unwrap(),
        VerifyReport::Ok { checked: head + 1 }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payload_that_is_not_json_is_refused() {
    let (_dir, store) = fresh().await;
    let bad = NewEvent::new("Appointed", 1, "{\"post\": ", day(2026, 1, 1));
    let err = store
        .append("s", ExpectedVersion::Any, vec![ev("A", 1), bad], meta())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::InvalidPayload { event_type, .. } if event_type == "Appointed")
    );
    assert_eq!(store.head().await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_stream_id_is_refused() {
    let (_dir, store) = fresh().await;
    for id in ["", "   "] {
        let err = store
            .append(id, ExpectedVersion::Any, vec![ev("A", 1)], meta())
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::EmptyStreamId));
    }
    assert_eq!(store.head().await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_event_list_is_refused() {
    let (_dir, store) = fresh().await;
    let err = store
        .append("s", ExpectedVersion::Any, vec![], meta())
        .await
        .unwrap_err();
    assert!(matches!(&err, StoreError::EmptyEvents { stream_id } if stream_id == "s"));
    let err = store.append_multi(vec![], meta()).await.unwrap_err();
    assert_eq!(err.code(), "empty_events");
    assert_eq!(store.head().await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_event_type_or_a_stream_twice_in_one_multi_append_is_refused() {
    let (_dir, store) = fresh().await;
    let err = store
        .append(
            "s",
            ExpectedVersion::Any,
            vec![NewEvent::new("", 1, "{}", day(2026, 1, 1))],
            meta(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "empty_event_type");
    let w = StreamWrite {
        stream_id: "s".into(),
        expected: ExpectedVersion::Any,
        events: vec![ev("A", 1)],
    };
    let err = store
        .append_multi(vec![w.clone(), w], meta())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "duplicate_stream");
    assert_eq!(store.head().await.unwrap(), 0);
}
