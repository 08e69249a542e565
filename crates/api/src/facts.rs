//! Facts from other streams that decisions need, loaded from the log: which cadres exist and where they serve.

use chrono::NaiveDate;
use dossier_domain::{
    Aggregate, appeal, down, forum, lead, practice::{CadreRef, Cadres}, study, supervision, training,
};

use crate::{
    error::ApiError,
    service::{Handles, Service},
};

impl Service {
    /// The cadres named, each with the unit they serve in; unknown ids are left
    /// out (the decision then refuses with `CADRE_NOT_FOUND`).
    pub async fn cadres(&self, ids: &[&str]) -> Result<Cadres, ApiError> {
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(cadre) = self.cadre_ref(id).await? {
                found.push(cadre);
            }
        }
        Ok(Cadres(found))
    }

    /// One cadre's reference (id and current unit), if the cadre is registered.
    pub async fn cadre_ref(&self, cadre_id: &str) -> Result<Option<CadreRef>, ApiError> {
        let stream_id = dossier_domain::cadre::Aggregate::stream_id(cadre_id);
        let (state, version) = self.load::<dossier_domain::cadre::Aggregate>(&stream_id).await?;
        if version == 0 || !state.registered {
            return Ok(None);
        }
        let unit_id = Some(state.unit_id.clone()).filter(|u| !u.is_empty());
        Ok(Some(CadreRef { cadre_id: cadre_id.to_owned(), unit_id }))
    }
}

/// Kinds whose commands name cadres through `Command::cadre_ids()`.
macro_rules! cadre_facts {
    ($($kind:ident),* $(,)?) => {
        $(impl Handles for $kind::Aggregate {
            async fn facts(service: &Service, command: &$kind::Command, _: NaiveDate) -> Result<Cadres, ApiError> {
                service.cadres(&command.cadre_ids()).await
            }
        })*
    };
}

cadre_facts!(training, study, forum, appeal, down, supervision, lead);
