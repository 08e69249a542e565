//! “Down” dashboard (能上能下): reviews by situation, decisions by method, cases by outcome.

use std::collections::{BTreeMap, BTreeSet};

use dossier_domain::{Event, down::Event as D};
use serde::{Deserialize, Serialize};

use super::{Figure, bump, key};
use crate::{envelope::Envelope, model::ReadModel, snap::Snap};

/// The down dashboard as read.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct DownView {
    pub reviews_opened: u32,
    /// Reviews by trigger (`reverse_evaluation`, `incompetent_grade`).
    pub by_trigger: BTreeMap<String, u32>,
    /// Reviews by the situation found.
    pub by_situation: BTreeMap<String, u32>,
    /// Decisions by method.
    pub by_method: BTreeMap<String, u32>,
    /// Reviews by current outcome (`open`, `decided`, `executed`, `closed_without_action`).
    pub by_outcome: BTreeMap<String, u32>,
    /// Cadres moved down by committee decision.
    pub cadres_moved_down: BTreeSet<String>,
}

/// The down dashboard's fold: the view, and each review's status and situation.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct DownDashboard {
    pub view: Snap<DownView>,
    status: rustc_hash::FxHashMap<String, String>,
    situation: rustc_hash::FxHashMap<String, String>,
}

impl DownDashboard {
    fn set_status(&mut self, review: &str, status: &str) {
        let v = self.view.make_mut();
        if let Some(old) = self.status.insert(review.to_owned(), status.to_owned())
            && let Some(n) = v.by_outcome.get_mut(&old)
        {
            *n = n.saturating_sub(1);
        }
        bump(&mut v.by_outcome, status.to_owned());
    }

    fn set_situation(&mut self, review: &str, situation: String) {
        let v = self.view.make_mut();
        if let Some(old) = self.situation.insert(review.to_owned(), situation.clone())
            && let Some(n) = v.by_situation.get_mut(&old)
        {
            *n = n.saturating_sub(1);
        }
        bump(&mut v.by_situation, situation);
    }
}

impl ReadModel for DownDashboard {
    const NAME: &'static str = "dashboard_down";
    const VERSION: u32 = 2;

    fn apply(&mut self, env: &Envelope<'_>) {
        let Event::Down(e) = env.event else { return };
        match e {
            D::Opened(o) => {
                let v = self.view.make_mut();
                v.reviews_opened += 1;
                bump(&mut v.by_trigger, key(&o.trigger));
                self.set_status(&o.review_id, "open");
            }
            D::FindingsRecorded(f) => self.set_situation(&f.review_id, key(&f.situation)),
            D::Decided(x) => {
                self.set_situation(&x.review_id, key(&x.situation));
                let v = self.view.make_mut();
                bump(&mut v.by_method, key(&x.method));
                v.cadres_moved_down.insert(x.cadre_id.clone());
                self.set_status(&x.review_id, "decided");
            }
            D::Executed(x) => self.set_status(&x.review_id, "executed"),
            D::ClosedWithoutAction(x) => self.set_status(&x.review_id, "closed_without_action"),
        }
    }
}

impl DownView {
    /// The figures in flat form.
    pub fn figures(&self) -> Vec<Figure> {
        let d = "down";
        let mut out = vec![
            Figure::new(d, "reviews_opened", "", f64::from(self.reviews_opened)),
            Figure::new(
                d,
                "cadres_moved_down",
                "",
                self.cadres_moved_down.len() as f64,
            ),
        ];
        out.extend(
            self.by_trigger
                .iter()
                .map(|(k, n)| Figure::new(d, "by_trigger", k.clone(), f64::from(*n))),
        );
        out.extend(
            self.by_situation
                .iter()
                .map(|(k, n)| Figure::new(d, "by_situation", k.clone(), f64::from(*n))),
        );
        out.extend(
            self.by_method
                .iter()
                .map(|(k, n)| Figure::new(d, "by_method", k.clone(), f64::from(*n))),
        );
        out.extend(
            self.by_outcome
                .iter()
                .map(|(k, n)| Figure::new(d, "by_outcome", k.clone(), f64::from(*n))),
        );
        out
    }
}
