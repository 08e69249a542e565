//! Helpers shared by the store's integration tests: a fresh store (a temporary SQLite file, or a scratch PostgreSQL database for the `*_pg` test targets), and event builders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use dossier_store::{Metadata, NewEvent, ScratchDatabase, Store, StoreOptions};
use tempfile::TempDir;

/// Whether this test target runs the suite against PostgreSQL: the same test files are built
/// twice (see `Cargo.toml`), once as `NAME` on SQLite and once as `NAME_pg` on PostgreSQL.
pub const POSTGRES: bool = env!("CARGO_CRATE_NAME").len() > 3
    && env!("CARGO_CRATE_NAME").as_bytes()[env!("CARGO_CRATE_NAME").len() - 3] == b'_'
    && env!("CARGO_CRATE_NAME").as_bytes()[env!("CARGO_CRATE_NAME").len() - 2] == b'p'
    && env!("CARGO_CRATE_NAME").as_bytes()[env!("CARGO_CRATE_NAME").len() - 1] == b'g';

/// The PostgreSQL server the tests use: `DATABASE_URL`, by default the local one.
pub fn server_url() -> String {
    std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// A scratch database on the test server, dropped with the handle; a missing server fails
/// the test with a message saying so.
pub async fn scratch() -> ScratchDatabase {
    match ScratchDatabase::create(&server_url(), "dossier_store_test").await {
        Ok(db) => db,
        Err(e) => panic!(
            "these tests need a PostgreSQL server (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test): {e}"
        ),
    }
}

/// Where a fresh store lives; keep it alive as long as the store.
pub struct Fresh {
    dir: TempDir,
    db: Option<ScratchDatabase>,
}

impl Fresh {
    /// The temporary directory (also there for PostgreSQL stores, for files beside them).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// What `Store::open` takes to open this store again: the file, or the database URL.
    pub fn location(&self) -> PathBuf {
        match &self.db {
            Some(db) => PathBuf::from(db.url()),
            None => self.dir.path().join("log.db"),
        }
    }
}

/// A fresh store: a new file, or (in the `*_pg` targets) a new PostgreSQL database.
pub async fn fresh() -> (Fresh, Store) {
    if POSTGRES {
        fresh_postgres().await
    } else {
        fresh_sqlite().await
    }
}

/// A store on a fresh SQLite file, whichever backend the target tests.
pub async fn fresh_sqlite() -> (Fresh, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("log.db"), StoreOptions::default())
        .await
        .expect("open fresh store");
    (Fresh { dir, db: None }, store)
}

/// A store in a fresh PostgreSQL database.
pub async fn fresh_postgres() -> (Fresh, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = scratch().await;
    let store = Store::open(db.url(), StoreOptions::default())
        .await
        .expect("open fresh PostgreSQL store");
    (Fresh { dir, db: Some(db) }, store)
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// One event of type `t` with payload `{"n": n}`, effective on 2026-01-01.
pub fn ev(t: &str, n: u64) -> NewEvent {
    NewEvent::new(t, 1, format!("{{\"n\":{n}}}"), day(2026, 1, 1))
}

pub fn meta() -> Metadata {
    Metadata::new("clerk-1", "clerk")
}
