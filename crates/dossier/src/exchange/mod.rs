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

use crate::commands::{open_writable, start_projections, stop};

/// Who an import acts as: the organization department's cadre section at the console.
pub fn operator() -> Actor {
    Actor::new("组织部干部科", Role::OrgAdmin)
}

/// A running command service over the database at `path` (created if missing), for an import.
pub struct Session {
    pub store: Store,
    pub service: Service,
    projections: dossier_projections::Projections,
    runner: crate::commands::Runner,
}

impl Session {
    pub async fn open(path: &Path) -> anyhow::Result<Session> {
        let store = open_writable(path, Durability::Full).await?;
        let (projections, runner) = start_projections(&store).await?;
        let state = AppState::new(store.clone(), projections.clone(), ApiConfig::default());
        Ok(Session {
            store,
            service: state.service.clone(),
            projections,
            runner,
        })
    }

    pub async fn close(self) -> anyhow::Result<()> {
        drop(self.service);
        stop(self.store, self.projections, self.runner)
            .await
            .context("关闭数据库失败")
    }
}
