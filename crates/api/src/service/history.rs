//! A unit's leadership posts held over time, with its quota versions: what a move onto a post
//! dated before today is judged on, on every date from its effective date to today.

use std::collections::HashMap;

use dossier_domain::{Aggregate as _, cadre, staffing};

use super::Service;
use crate::error::ApiError;

impl Service {
    /// A unit's open leadership posts held over time, read off the records of every cadre who
    /// ever held a post there (posts held now and held before), with the unit's quota versions:
    /// what a move dated before today is judged on, date by date.
    pub(crate) async fn unit_history(
        &self,
        unit_id: &str,
    ) -> Result<staffing::UnitHistory, ApiError> {
        let Some(view) = self.projections().unit(unit_id) else {
            return Ok(staffing::UnitHistory::default());
        };
        let tiers: HashMap<String, staffing::Tier> = view
            .posts
            .values()
            .filter(|p| p.open)
            .filter_map(|p| Some((p.post_id.clone(), staffing::Tier::of(p.leadership_level?))))
            .collect();
        let spells_of = |state: &cadre::State| -> Vec<staffing::HeldSpell> {
            let spell = |post_id: &str, from, to| {
                tiers.get(post_id).map(|tier| staffing::HeldSpell {
                    cadre_id: state.cadre_id.clone(),
                    post_id: post_id.to_owned(),
                    tier: *tier,
                    from,
                    to,
                })
            };
            let now = state
                .posts
                .iter()
                .filter(|h| h.unit_id == unit_id)
                .filter_map(|h| spell(&h.post_id, h.since, None));
            let before = state
                .past_posts
                .iter()
                .filter(|h| h.unit_id == unit_id)
                .filter_map(|h| spell(&h.post_id, h.from, Some(h.to)));
            now.chain(before).collect()
        };
        let mut spells = Vec::new();
        let (store, projections) = (self.store(), self.projections());
        if store.sole_writer() && projections.position() >= store.committed() {
            projections.read(|m| {
                for id in &view.cadres_ever {
                    if let Some(state) = m.cadre_states.model.get(id) {
                        spells.extend(spells_of(state));
                    }
                }
            });
        } else {
            for id in &view.cadres_ever {
                if let Some(state) = self.cadre_state(id).await? {
                    spells.extend(spells_of(&state));
                }
            }
        }
        let (quota, _) = self
            .load::<staffing::Aggregate>(&staffing::Aggregate::stream_id(unit_id))
            .await?;
        Ok(staffing::UnitHistory {
            spells,
            versions: quota.versions,
        })
    }
}
