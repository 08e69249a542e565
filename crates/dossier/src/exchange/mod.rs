//! Exchange with the field's tools from the command line: 任免审批表 (.lrmx) and Excel rosters in
//! and out, each entering or reading the record through the command service.

pub mod lrmx;
pub mod roster;
pub mod xlsx_out;

use std::path::Path;

use anyhow::Context as _;
use dossier_api::{ApiConfig, AppState, Service};
use dossier_domain::{Actor, Role};
use dossier_store::{Durability, Store};

use crate::commands::{open_writable, require_existing, start_projections, stop};
use crate::lock::{WriterLock, lock_database};

/// Who an import acts as: the organization department's cadre section at the console.
pub fn operator() -> Actor {
    Actor::new("组织部干部科", Role::OrgAdmin)
}

/// A running command service over the existing database at `path`, for an import. A missing
/// file is refused, never created: the units an import names live in an existing log.
pub struct Session {
    pub store: Store,
    pub service: Service,
    projections: dossier_projections::Projections,
    runner: crate::commands::Runner,
    /// Held until the session closes: no other process writes the file meanwhile.
    _lock: WriterLock,
}

impl Session {
    /// Open it for `command` (named when another process holds the file).
    pub async fn open(path: &Path, command: &str) -> anyhow::Result<Session> {
        require_existing(path)?;
        let lock = lock_database(path, command)?;
        let store = open_writable(path, Durability::Full).await?;
        let (projections, runner) = start_projections(&store).await?;
        let state = AppState::new(store.clone(), projections.clone(), ApiConfig::default());
        Ok(Session {
            store,
            service: state.service.clone(),
            projections,
            runner,
            _lock: lock,
        })
    }

    pub async fn close(self) -> anyhow::Result<()> {
        drop(self.service);
        stop(self.store, self.projections, self.runner)
            .await
            .context("关闭数据库失败")
    }
}
