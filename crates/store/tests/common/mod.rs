//! Helpers shared by the store's integration tests: a fresh store in a temporary directory, and event builders.
#![allow(dead_code)]

use chrono::NaiveDate;
use dossier_store::{Metadata, NewEvent, Store, StoreOptions};
use tempfile::TempDir;

/// A store on a fresh file; keep the `TempDir` alive as long as the store.
pub async fn fresh() -> (TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("log.db"), StoreOptions::default())
        .await
        .expect("open fresh store");
    (dir, store)
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
