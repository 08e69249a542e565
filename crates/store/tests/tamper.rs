//! The log is append-only: triggers refuse UPDATE and DELETE, and `verify` names the first tampered position.

mod common;

use std::path::Path;

use common::{ev, meta};
use dossier_store::{ExpectedVersion, Store, StoreOptions, VerifyReport};
use sqlx::{Connection, SqliteConnection};

/// A log of 10 events over three streams, closed; returns its path.
async fn log_of_ten(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("log.db");
    let store = Store::open(&path, StoreOptions::default()).await.unwrap();
    for n in 0..10 {
        store
            .append(
                &format!("s-{}", n % 3),
                ExpectedVersion::Any,
                vec![ev("A", n)],
                meta(),
            )
            .await
            .unwrap();
    }
    store.close().await;
    path
}

async fn raw(path: &Path) -> SqliteConnection {
    SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap()
}

async fn verify(path: &Path) -> VerifyReport {
    let store = Store::open(path, StoreOptions::default()).await.unwrap();
    let report = store.verify().await.unwrap();
    store.close().await;
    report
}

fn broken_at(report: VerifyReport) -> (u64, u64) {
    match report {
        VerifyReport::Broken {
            position,
            checked,
            reason,
        } => {
            assert!(!reason.is_empty());
            (position, checked)
        }
        VerifyReport::Ok { checked } => panic!("tampering not detected ({checked} checked)"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untouched_log_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_of_ten(dir.path()).await;
    assert_eq!(verify(&path).await, VerifyReport::Ok { checked: 10 });
    let store = Store::open(dir.path().join("empty.db"), StoreOptions::default())
        .await
        .unwrap();
    assert_eq!(
        store.verify().await.unwrap(),
        VerifyReport::Ok { checked: 0 }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_and_delete_on_events_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_of_ten(dir.path()).await;
    let mut conn = raw(&path).await;
    let err = sqlx::query("UPDATE events SET payload = '{}' WHERE position = 3")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append_only"), "{err}");
    let err = sqlx::query("DELETE FROM events WHERE position = 3")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append_only"), "{err}");
    conn.close().await.unwrap();
    assert_eq!(verify(&path).await, VerifyReport::Ok { checked: 10 });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn insert_or_replace_cannot_rewrite_or_remove_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_of_ten(dir.path()).await;
    let mut conn = raw(&path).await;
    let copy = |position: &str, version: &str, event_id: &str| {
        format!(
            "INSERT OR REPLACE INTO events (position, stream_id, stream_version, event_id, event_type, \
             schema_version, payload, metadata, recorded_at, effective_at, hash) \
             SELECT {position}, stream_id, {version}, {event_id}, event_type, schema_version, \
             '{{\"n\":999}}', metadata, recorded_at, effective_at, hash FROM events WHERE position = 4"
        )
    };
    for (what, sql) in [
        // The same position: would rewrite row 4 in place.
        (
            "position",
            copy("position", "stream_version", "randomblob(16)"),
        ),
        // A new position with row 4's event id: would remove row 4.
        ("event id", copy("11", "stream_version + 100", "event_id")),
        // A new position with row 4's stream version: would remove row 4.
        (
            "stream version",
            copy("11", "stream_version", "randomblob(16)"),
        ),
    ] {
        for verb in ["INSERT OR REPLACE", "REPLACE"] {
            let sql = sql.replace("INSERT OR REPLACE", verb);
            let err = sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .unwrap_err();
            assert!(
                err.to_string().contains("append_only"),
                "{what}, {verb}: {err}"
            );
        }
    }
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(rows, 10);
    conn.close().await.unwrap();
    assert_eq!(verify(&path).await, VerifyReport::Ok { checked: 10 });
}

async fn tamper(path: &Path, sql: &[&str]) {
    let mut conn = raw(path).await;
    sqlx::query("DROP TRIGGER events_refuse_update")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("DROP TRIGGER events_refuse_delete")
        .execute(&mut conn)
        .await
        .unwrap();
    for s in sql {
        sqlx::query(sqlx::AssertSqlSafe(*s))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_names_an_edited_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_of_ten(dir.path()).await;
    tamper(
        &path,
        &[r#"UPDATE events SET payload = '{"n":999}' WHERE position = 6"#],
    )
    .await;
    assert_eq!(broken_at(verify(&path).await), (6, 5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_names_an_edited_metadata_or_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_of_ten(dir.path()).await;
    tamper(
        &path,
        &["UPDATE events SET effective_at = '2020-01-01' WHERE position = 9"],
    )
    .await;
    assert_eq!(broken_at(verify(&path).await), (9, 8));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_names_a_deleted_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_of_ten(dir.path()).await;
    tamper(&path, &["DELETE FROM events WHERE position = 4"]).await;
    assert_eq!(broken_at(verify(&path).await), (4, 3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_names_reordered_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_of_ten(dir.path()).await;
    // Swap the rows at positions 3 and 7 (hashes travel with their rows).
    tamper(
        &path,
        &[
            "UPDATE events SET position = -7 WHERE position = 7",
            "UPDATE events SET position = 7 WHERE position = 3",
            "UPDATE events SET position = 3 WHERE position = -7",
        ],
    )
    .await;
    assert_eq!(broken_at(verify(&path).await), (3, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_names_a_row_inserted_out_of_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_of_ten(dir.path()).await;
    // Replace row 5 by a forged copy of row 2 moved there (its own hash kept).
    tamper(
        &path,
        &[
            "DELETE FROM events WHERE position = 5",
            "INSERT INTO events (position, stream_id, stream_version, event_id, event_type, \
             schema_version, payload, metadata, recorded_at, effective_at, hash) \
             SELECT 5, stream_id, stream_version + 100, randomblob(16), event_type, schema_version, \
             payload, metadata, recorded_at, effective_at, hash FROM events WHERE position = 2",
        ],
    )
    .await;
    assert_eq!(broken_at(verify(&path).await), (5, 4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_names_a_row_appended_past_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_of_ten(dir.path()).await;
    tamper(
        &path,
        &[
            "INSERT INTO events (position, stream_id, stream_version, event_id, event_type, \
           schema_version, payload, metadata, recorded_at, effective_at, hash) \
           SELECT 12, stream_id, 99, randomblob(16), event_type, schema_version, \
           payload, metadata, recorded_at, effective_at, hash FROM events WHERE position = 10",
        ],
    )
    .await;
    assert_eq!(broken_at(verify(&path).await), (11, 10));
}

async fn anchor_of(path: &Path) -> (u64, String) {
    let store = Store::open(path, StoreOptions::default()).await.unwrap();
    let anchor = store.anchor().await.unwrap().expect("a non-empty log");
    store.close().await;
    anchor
}

async fn check(path: &Path, position: u64, hash: &str) -> dossier_store::AnchorCheck {
    let store = Store::open(path, StoreOptions::default()).await.unwrap();
    let found = store.check_anchor(position, hash).await.unwrap();
    store.close().await;
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_anchor_detects_events_cut_off_the_end_that_verify_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_of_ten(dir.path()).await;
    let (position, hash) = anchor_of(&path).await;
    assert_eq!(position, 10);
    assert_eq!(hash.len(), 64);
    assert_eq!(
        check(&path, position, &hash.to_uppercase()).await,
        dossier_store::AnchorCheck::Matches
    );

    tamper(&path, &["DELETE FROM events WHERE position >= 9"]).await;
    assert_eq!(
        verify(&path).await,
        VerifyReport::Ok { checked: 8 },
        "the chain that is left is intact"
    );
    assert_eq!(
        check(&path, position, &hash).await,
        dossier_store::AnchorCheck::Missing { position: 10 }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_anchor_detects_a_log_rebuilt_with_other_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_of_ten(dir.path()).await;
    let (position, hash) = anchor_of(&path).await;
    // Another log of the same length, written from scratch: its own chain verifies.
    let other = tempfile::tempdir().unwrap();
    let forged = other.path().join("log.db");
    let store = Store::open(&forged, StoreOptions::default()).await.unwrap();
    for n in 0..10 {
        store
            .append("s-x", ExpectedVersion::Any, vec![ev("B", n)], meta())
            .await
            .unwrap();
    }
    store.close().await;
    assert_eq!(verify(&forged).await, VerifyReport::Ok { checked: 10 });
    match check(&forged, position, &hash).await {
        dossier_store::AnchorCheck::Differs {
            position: 10,
            stored,
        } => assert_ne!(stored, hash),
        other => panic!("not detected: {other:?}"),
    }
}
