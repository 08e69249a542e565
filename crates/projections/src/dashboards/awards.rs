//! Awards dashboard: Steed Award (骏马奖) batches and awardees, the three-good contest (好班子、好班长、好班副) by year.

use std::collections::{BTreeMap, BTreeSet};

use dossier_domain::{Event, award::Event as AW};
use serde::{Deserialize, Serialize};

use super::{Figure, key, path};
use crate::{envelope::Envelope, model::ReadModel};

/// One Steed Award batch.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct SteedBatch {
    pub ordinal: u32,
    pub year: i32,
    pub title: String,
    pub awardees: BTreeSet<String>,
    pub revoked: BTreeSet<String>,
}

/// One year's three-good contest.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreeGoodYear {
    /// Winners by category (`team`, `leader`, `deputy`).
    pub winners: BTreeMap<String, u32>,
}

/// The awards dashboard.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardsDashboard {
    pub steed_batches: BTreeMap<String, SteedBatch>,
    pub three_good: BTreeMap<i32, ThreeGoodYear>,
}

impl ReadModel for AwardsDashboard {
    const NAME: &'static str = "dashboard_awards";
    const VERSION: u32 = 1;

    fn apply(&mut self, env: &Envelope<'_>) {
        match env.event {
            Event::Award(AW::SteedBatchAnnounced(b)) => {
                let batch = self.steed_batches.entry(b.batch_id.clone()).or_default();
                batch.ordinal = b.ordinal;
                batch.year = b.year;
                batch.title = b.title.clone();
                batch
                    .awardees
                    .extend(b.awardees.iter().map(|a| a.cadre_id.clone()));
            }
            Event::Award(AW::ThreeGoodAnnounced(t)) => {
                let year = self.three_good.entry(t.year).or_default();
                for w in &t.winners {
                    *year.winners.entry(key(&w.category)).or_default() += 1;
                }
            }
            Event::Award(AW::AwardRevoked(r)) => {
                if let Some(batch) = self.steed_batches.get_mut(&r.batch_id) {
                    batch.revoked.insert(r.recipient.clone());
                }
            }
            _ => {}
        }
    }
}

/// The awards figures as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AwardsView {
    pub steed_batches: u32,
    /// Distinct cadres holding a Steed Award not revoked.
    pub steed_awardees: u32,
    /// Years with at least one Steed batch.
    pub steed_years: Vec<i32>,
    /// Years the three-good contest was held.
    pub three_good_years: Vec<i32>,
    pub three_good_winners: BTreeMap<i32, BTreeMap<String, u32>>,
}

impl AwardsDashboard {
    pub fn view(&self) -> AwardsView {
        let mut awardees = BTreeSet::new();
        let mut years = BTreeSet::new();
        for b in self.steed_batches.values() {
            years.insert(b.year);
            awardees.extend(b.awardees.iter().filter(|a| !b.revoked.contains(*a)));
        }
        AwardsView {
            steed_batches: self.steed_batches.len() as u32,
            steed_awardees: awardees.len() as u32,
            steed_years: years.into_iter().collect(),
            three_good_years: self.three_good.keys().copied().collect(),
            three_good_winners: self
                .three_good
                .iter()
                .map(|(y, t)| (*y, t.winners.clone()))
                .collect(),
        }
    }
}

impl AwardsView {
    /// The figures in flat form.
    pub fn figures(&self) -> Vec<Figure> {
        let d = "awards";
        let mut out = vec![
            Figure::new(d, "steed_batches", "", f64::from(self.steed_batches)),
            Figure::new(d, "steed_awardees", "", f64::from(self.steed_awardees)),
            Figure::new(d, "steed_years", "", self.steed_years.len() as f64),
            Figure::new(
                d,
                "three_good_years",
                "",
                self.three_good_years.len() as f64,
            ),
        ];
        for (y, w) in &self.three_good_winners {
            let y = y.to_string();
            for (c, n) in w {
                out.push(Figure::new(
                    d,
                    "three_good_winners",
                    path(&[&y, c]),
                    f64::from(*n),
                ));
            }
        }
        out
    }
}
