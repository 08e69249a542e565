//! Read models folded from the event log: profiles, unit views, dashboards, alerts, as-of views, and their runner.
//!
//! # Use
//!
//! ```ignore
//! let (projections, runner) = Projections::start(store.clone(), ProjectionOptions::default());
//! let position = store.append(..).await?.last_position;   // a mutation
//! projections.wait_for(position, Duration::from_secs(5)).await?; // read your writes
//! let profile = projections.profile("c001");
//! let training = projections.dashboard_training();
//! let alerts = projections.alerts(today);
//! projections.shutdown().await?;                           // saves snapshots
//! runner.await??;
//! ```
//!
//! Every read model is a fold with a name, a version and a checkpoint
//! position ([`model::ReadModel`]). At start the runner loads each model's
//! snapshot if its version matches, catches up from the log with the store's
//! fast scan, then follows the live subscription; it saves snapshots every
//! N events or T seconds and at shutdown. Queries read a consistent view
//! under a read lock; dashboards are maintained incrementally and a read
//! copies a small struct. The crate reads no clock: dates such as the "as of"
//! of alerts are arguments.

pub mod asof;
pub mod concern;
pub mod dashboards;
pub mod envelope;
pub mod error;
pub mod index;
pub mod intern;
pub mod model;
pub mod models;
pub mod export;
pub mod runner;

use std::{sync::Arc, time::Duration};

use dossier_store::Store;
use tokio::{
    sync::{mpsc, oneshot, watch},
    task::JoinHandle,
};

pub use error::ProjectionError;
pub use models::Models;
pub use runner::{ProjectionOptions, RunnerStatus};

use runner::{Control, Shared};

/// A handle to the read models; cheap to clone and share between requests.
#[derive(Clone)]
pub struct Projections {
    shared: Arc<Shared>,
    control: mpsc::Sender<Control>,
}

impl std::fmt::Debug for Projections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Projections").field("position", &self.position()).finish()
    }
}

impl Projections {
    /// Start the runner on `store`. Returns the handle and the runner task;
    /// the task ends with `Ok` after [`Projections::shutdown`], or with the error that stopped it.
    pub fn start(store: Store, options: ProjectionOptions) -> (Projections, JoinHandle<Result<(), ProjectionError>>) {
        let (applied, _) = watch::channel(0);
        let shared = Arc::new(Shared {
            store,
            models: Default::default(),
            applied,
            status: Default::default(),
        });
        let (control, rx) = mpsc::channel(8);
        let task = tokio::spawn(runner::run(shared.clone(), rx, options));
        (Projections { shared, control }, task)
    }

    /// The position every model has reached.
    pub fn position(&self) -> u64 {
        *self.shared.applied.borrow()
    }

    /// Wait until every model has folded the event at `position` (read-your-writes
    /// after a mutation). Fails with `Timeout` after `timeout`, or `Stopped` if the runner ended.
    pub async fn wait_for(&self, position: u64, timeout: Duration) -> Result<u64, ProjectionError> {
        let mut rx = self.shared.applied.subscribe();
        let reached = async {
            match rx.wait_for(|p| *p >= position).await {
                Ok(p) => Ok(*p),
                Err(_) => Err(ProjectionError::Stopped),
            }
        };
        match tokio::time::timeout(timeout, reached).await {
            Ok(r) => r,
            Err(_) => Err(ProjectionError::Timeout { position, reached: self.position() }),
        }
    }

    /// A receiver of the applied position: changes whenever an event is folded
    /// (dashboards may have changed). For GraphQL subscriptions.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.shared.applied.subscribe()
    }

    /// Read the models under one consistent view.
    pub fn read<R>(&self, f: impl FnOnce(&Models) -> R) -> R {
        self.shared.read(f)
    }

    /// What the runner did at start and since.
    pub fn status(&self) -> RunnerStatus {
        self.shared.status.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The store the models are folded from.
    pub fn store(&self) -> &Store {
        &self.shared.store
    }

    async fn control(&self, make: impl FnOnce(oneshot::Sender<Result<u64, ProjectionError>>) -> Control) -> Result<u64, ProjectionError> {
        let (tx, rx) = oneshot::channel();
        self.control.send(make(tx)).await.map_err(|_| ProjectionError::Stopped)?;
        rx.await.map_err(|_| ProjectionError::Stopped)?
    }

    /// Drop every snapshot and rebuild all models from the log; queries keep
    /// reading the old models until the new ones are complete. Returns the position reached.
    pub async fn rebuild(&self) -> Result<u64, ProjectionError> {
        self.control(Control::Rebuild).await
    }

    /// Save snapshots of every model now. Returns their position.
    pub async fn snapshot(&self) -> Result<u64, ProjectionError> {
        self.control(Control::Snapshot).await
    }

    /// Save snapshots and stop the runner. Returns the position saved.
    pub async fn shutdown(&self) -> Result<u64, ProjectionError> {
        self.control(Control::Shutdown).await
    }

    /// The log overview (events by type, streams by kind).
    pub fn dashboard_log(&self) -> dashboards::log::LogStats {
        self.read(|m| m.log.model.clone())
    }
}
