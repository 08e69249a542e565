//! The side tables beside the log: projection snapshots and API tokens (outside the hash chain).

mod common;

use chrono::{TimeZone, Utc};
use common::{ev, fresh, meta};
use dossier_store::{ExpectedVersion, Snapshot, TokenRecord, VerifyReport};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_is_saved_replaced_loaded_and_deleted() {
    let (_dir, store) = fresh().await;
    // Snapshots are taken at positions the log holds.
    for n in 0..20 {
        store
            .append("s", ExpectedVersion::Any, vec![ev("A", n)], meta())
            .await
            .unwrap();
    }
    assert_eq!(store.load_snapshot("profiles").await.unwrap(), None);
    store
        .save_snapshot("profiles", 1, 10, b"first")
        .await
        .unwrap();
    store
        .save_snapshot("profiles", 2, 20, &[0, 159, 146, 150])
        .await
        .unwrap();
    store.save_snapshot("dashboard", 1, 5, b"").await.unwrap();
    assert_eq!(
        store.load_snapshot("profiles").await.unwrap(),
        Some(Snapshot {
            name: "profiles".into(),
            version: 2,
            position: 20,
            data: vec![0, 159, 146, 150]
        })
    );
    assert_eq!(
        store
            .load_snapshot("dashboard")
            .await
            .unwrap()
            .unwrap()
            .data,
        Vec::<u8>::new()
    );
    store.delete_snapshots().await.unwrap();
    assert_eq!(store.load_snapshot("profiles").await.unwrap(), None);
    assert_eq!(store.load_snapshot("dashboard").await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn side_tables_are_not_part_of_the_chain() {
    let (_dir, store) = fresh().await;
    store
        .append("s", ExpectedVersion::Any, vec![ev("A", 1)], meta())
        .await
        .unwrap();
    store.save_snapshot("p", 1, 1, b"x").await.unwrap();
    store.put_token(token("aa11", "admin")).await.unwrap();
    assert_eq!(store.head().await.unwrap(), 1);
    assert_eq!(
        store.verify().await.unwrap(),
        VerifyReport::Ok { checked: 1 }
    );
}

fn token(hash: &str, role: &str) -> TokenRecord {
    TokenRecord {
        hash: hash.into(),
        role: role.into(),
        scope: Some("unit-7".into()),
        label: Some("组织科".into()),
        created_at: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
        revoked_at: None,
        expires_at: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_is_put_found_and_listed() {
    let (_dir, store) = fresh().await;
    assert_eq!(store.find_token("abc").await.unwrap(), None);
    store.put_token(token("abc123", "clerk")).await.unwrap();
    let mut t2 = token("def456", "admin");
    t2.scope = None;
    t2.label = None;
    t2.expires_at = Some(Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap());
    store.put_token(t2.clone()).await.unwrap();
    assert_eq!(
        store.find_token("abc123").await.unwrap(),
        Some(token("abc123", "clerk"))
    );
    assert_eq!(
        store.find_token("abc").await.unwrap(),
        None,
        "find is by full hash"
    );
    assert_eq!(
        store.list_tokens().await.unwrap(),
        vec![token("abc123", "clerk"), t2]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_is_revoked_by_hash_or_unique_prefix() {
    let (_dir, store) = fresh().await;
    for h in ["abc123", "abd456", "xyz789"] {
        store.put_token(token(h, "clerk")).await.unwrap();
    }
    let err = store.revoke_token("ab").await.unwrap_err();
    assert_eq!(err.code(), "ambiguous_token_prefix");
    assert_eq!(
        store.revoke_token("").await.unwrap_err().code(),
        "empty_token_prefix"
    );
    assert!(!store.revoke_token("nope").await.unwrap());
    assert!(store.revoke_token("abc").await.unwrap());
    assert!(
        !store.revoke_token("abc123").await.unwrap(),
        "already revoked"
    );
    assert!(store.revoke_token("xyz789").await.unwrap());
    let revoked = store
        .find_token("abc123")
        .await
        .unwrap()
        .unwrap()
        .revoked_at
        .unwrap();
    assert!(Utc::now() - revoked < chrono::TimeDelta::minutes(1));
    assert!(
        store
            .find_token("abd456")
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_none()
    );
    // "ab" now matches one live and one revoked token: still ambiguous, nothing changed.
    assert_eq!(
        store.revoke_token("ab").await.unwrap_err().code(),
        "ambiguous_token_prefix"
    );
    assert!(
        store
            .find_token("abd456")
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_past_the_head_or_off_the_chain_is_discarded_and_verify_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let store = dossier_store::Store::open(&path, dossier_store::StoreOptions::default())
        .await
        .unwrap();
    for n in 0..5 {
        store
            .append("s", ExpectedVersion::Any, vec![ev("A", n)], meta())
            .await
            .unwrap();
    }
    store
        .save_snapshot("profiles", 1, 3, b"at 3")
        .await
        .unwrap();
    store.save_snapshot("units", 1, 5, b"at 5").await.unwrap();
    assert!(store.load_snapshot("profiles").await.unwrap().is_some());
    assert_eq!(
        store.verify_side_tables().await.unwrap(),
        Vec::<String>::new()
    );
    store.close().await;

    // Raise one snapshot's position past the head, point the other at another position.
    behind_the_stores_back(
        &path,
        &[
            "UPDATE snapshots SET position = 9 WHERE name = 'profiles'",
            "UPDATE snapshots SET position = 4 WHERE name = 'units'",
            // A command id whose recorded result names events of another command.
            "INSERT INTO commands (command_id, result, principal, digest) VALUES ('forged', \
             '[{\"stream_id\":\"s\",\"first_position\":2,\"last_position\":2,\"stream_version\":2,\"deduplicated\":false}]', 'x', 'y')",
        ],
    )
    .await;

    let store = dossier_store::Store::open(&path, dossier_store::StoreOptions::default())
        .await
        .unwrap();
    assert_eq!(
        store.load_snapshot("profiles").await.unwrap(),
        None,
        "past the head"
    );
    assert_eq!(
        store.load_snapshot("units").await.unwrap(),
        None,
        "hash of another position"
    );
    let problems = store.verify_side_tables().await.unwrap();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(
        problems[0].contains("profiles") && problems[0].contains("past the log's head"),
        "{problems:#?}"
    );
    assert!(problems[1].contains("units"), "{problems:#?}");
    assert!(problems[2].contains("forged"), "{problems:#?}");
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_id_recorded_twice_behind_the_stores_back_is_named_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let store = dossier_store::Store::open(&path, dossier_store::StoreOptions::default())
        .await
        .unwrap();
    store
        .append(
            "s",
            ExpectedVersion::Any,
            vec![ev("A", 1)],
            meta().with_command_id("once"),
        )
        .await
        .unwrap();
    assert_eq!(
        store.verify_side_tables().await.unwrap(),
        Vec::<String>::new()
    );
    store.close().await;

    behind_the_stores_back(
        &path,
        &[
            "INSERT INTO commands (command_id, result, principal, digest) \
           SELECT command_id, result, principal, digest FROM commands WHERE command_id = 'once'",
        ],
    )
    .await;

    let store = dossier_store::Store::open(&path, dossier_store::StoreOptions::default())
        .await
        .unwrap();
    let problems = store.verify_side_tables().await.unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains("once") && problems[0].contains("more than once"),
        "{problems:#?}"
    );
    // The first record still answers a retry.
    let r = store
        .append(
            "s",
            ExpectedVersion::Any,
            vec![ev("A", 1)],
            meta().with_command_id("once"),
        )
        .await
        .unwrap();
    assert!(r.deduplicated);
    store.close().await;
}

/// Run `statements` on the database file at `path` with a plain connection (the store closed),
/// as someone editing the file would.
async fn behind_the_stores_back(path: &std::path::Path, statements: &[&str]) {
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!(
        "sqlite://{}",
        path.display()
    ))
    .await
    .unwrap();
    for sql in statements {
        // Fixed statements of this test file.
        sqlx::query(sqlx::AssertSqlSafe(*sql))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    sqlx::Connection::close(conn).await.unwrap();
}
