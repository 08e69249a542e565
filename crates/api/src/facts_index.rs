//! `FactIndex`: the facts no single stream answers (ID numbers held, kinship recorded on either side, open down reviews, Steed Award ordinals taken), folded from the whole log and kept current.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    ops::ControlFlow,
};

use dossier_domain::{EventSet, cadre, down, types::Relation};
use dossier_store::{EventRef, Store};

use crate::error::ApiError;

/// Facts no single stream answers, folded from the whole log and kept current by reading
/// on from the last position seen: who holds each ID number, who records whom as a
/// relative, and which down reviews are still open.
#[derive(Debug, Default)]
pub struct FactIndex {
    /// The last log position folded.
    pub(crate) position: u64,
    /// ID number → the cadre registered with it (the first one).
    pub id_numbers: HashMap<String, String>,
    /// (cadre, family member id) → the cadre that family member is.
    pub(crate) members: HashMap<(String, String), (String, Relation)>,
    /// Cadre → the cadres whose family record names them, with the relation.
    pub(crate) named_by: HashMap<String, BTreeMap<String, Relation>>,
    /// Cadre → their down reviews neither executed nor closed.
    pub open_reviews: HashMap<String, BTreeSet<String>>,
    /// Down review → its cadre.
    pub(crate) review_cadre: HashMap<String, String>,
    /// Steed Award (year, ordinal) → the batch announced with it.
    pub steed_ordinals: BTreeMap<(i32, u32), String>,
}

impl FactIndex {
    /// Fold every event appended since the last call.
    pub async fn catch_up(&mut self, store: &Store) -> Result<(), ApiError> {
        let from = self.position;
        let mut reached = from;
        let last = store
            .scan(from, |e| {
                self.apply(&e);
                reached = e.position;
                ControlFlow::Continue(())
            })
            .await
            .map_err(ApiError::internal)?;
        self.position = reached.max(last);
        Ok(())
    }

    /// The cadres whose family record names `cadre_id`, with the relation they recorded.
    pub fn recorded_by(&self, cadre_id: &str) -> Vec<(String, Relation)> {
        self.named_by
            .get(cadre_id)
            .map(|m| m.iter().map(|(c, r)| (c.clone(), *r)).collect())
            .unwrap_or_default()
    }

    fn apply(&mut self, e: &EventRef<'_>) {
        match e.event_type {
            "cadre.Registered" | "cadre.FamilyMemberAdded" | "cadre.FamilyMemberRemoved" => {
                match cadre::Event::decode(e.event_type, e.schema_version, e.payload) {
                    Ok(event) => self.apply_cadre(event),
                    Err(err) => skipped(e, &err),
                }
            }
            "down.Opened" | "down.Executed" | "down.ClosedWithoutAction" => {
                match down::Event::decode(e.event_type, e.schema_version, e.payload) {
                    Ok(event) => self.apply_down(event),
                    Err(err) => skipped(e, &err),
                }
            }
            "award.SteedBatchAnnounced" => {
                match dossier_domain::award::Event::decode(
                    e.event_type,
                    e.schema_version,
                    e.payload,
                ) {
                    Ok(dossier_domain::award::Event::SteedBatchAnnounced(b)) => {
                        self.steed_ordinals
                            .entry((b.year, b.ordinal))
                            .or_insert(b.batch_id);
                    }
                    Ok(_) => {}
                    Err(err) => skipped(e, &err),
                }
            }
            _ => {}
        }
    }

    fn apply_cadre(&mut self, event: cadre::Event) {
        match event {
            cadre::Event::Registered(r) => {
                self.id_numbers.entry(r.id_number).or_insert(r.cadre_id);
            }
            cadre::Event::FamilyMemberAdded(m) => {
                if let Some(relative) = m.relative_cadre_id {
                    self.named_by
                        .entry(relative.clone())
                        .or_default()
                        .insert(m.cadre_id.clone(), m.relation);
                    self.members
                        .insert((m.cadre_id, m.member_id), (relative, m.relation));
                }
            }
            cadre::Event::FamilyMemberRemoved(m) => {
                if let Some((relative, _)) = self.members.remove(&(m.cadre_id.clone(), m.member_id))
                {
                    let still_named = self
                        .members
                        .iter()
                        .any(|((c, _), (r, _))| *c == m.cadre_id && *r == relative);
                    if !still_named && let Some(by) = self.named_by.get_mut(&relative) {
                        by.remove(&m.cadre_id);
                    }
                }
            }
            _ => {}
        }
    }

    fn apply_down(&mut self, event: down::Event) {
        let (review, closes) = match event {
            down::Event::Opened(o) => {
                self.open_reviews
                    .entry(o.cadre_id.clone())
                    .or_default()
                    .insert(o.review_id.clone());
                self.review_cadre.insert(o.review_id, o.cadre_id);
                return;
            }
            down::Event::Executed(x) => (x.review_id, true),
            down::Event::ClosedWithoutAction(x) => (x.review_id, true),
            _ => return,
        };
        if closes
            && let Some(cadre) = self.review_cadre.get(&review)
            && let Some(open) = self.open_reviews.get_mut(cadre)
        {
            open.remove(&review);
        }
    }
}

fn skipped(e: &EventRef<'_>, err: &impl std::fmt::Display) {
    tracing::warn!(position = e.position, event_type = e.event_type, error = %err, "fact index: event not decodable, skipped");
}
