//! Helpers: a fresh store in a temporary directory, a recorder, dates, and a started runner.

use std::time::Duration;

use chrono::NaiveDate;
use dossier_domain::practice::{CadreRef, Cadres};
use dossier_projections::{ProjectionOptions, Projections, testkit::Recorder};
use dossier_store::{Store, StoreOptions};
use tempfile::TempDir;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

pub struct Env {
    pub _dir: TempDir,
    pub rec: Recorder,
}

impl Env {
    pub async fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("dossier.db"), StoreOptions::default())
            .await
            .expect("store opens");
        Env {
            rec: Recorder::new(store, d(2025, 12, 31)),
            _dir: dir,
        }
    }

    pub fn store(&self) -> Store {
        self.rec.store.clone()
    }

    /// Start the projections and wait until they reached the store's head.
    pub async fn start(
        &self,
    ) -> (
        Projections,
        tokio::task::JoinHandle<Result<(), dossier_projections::ProjectionError>>,
    ) {
        self.start_with(ProjectionOptions::default()).await
    }

    pub async fn start_with(
        &self,
        options: ProjectionOptions,
    ) -> (
        Projections,
        tokio::task::JoinHandle<Result<(), dossier_projections::ProjectionError>>,
    ) {
        let (p, task) = Projections::start(self.store(), options);
        let head = self.store().head().await.expect("head");
        p.wait_for(head, Duration::from_secs(10))
            .await
            .expect("caught up");
        (p, task)
    }
}

pub fn cadres(ids: &[(&str, &str)]) -> Cadres {
    Cadres::of(ids.iter().map(|(c, u)| CadreRef::new(*c, *u)))
}

pub const WAIT: Duration = Duration::from_secs(10);
