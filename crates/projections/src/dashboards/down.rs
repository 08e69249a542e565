//! “Down” dashboard (能上能下): reviews by situation, decisions by method, cases by outcome, and the consequences of 不称职 years still to carry out (rank lowerings pending a decision, dismissal cases).

use std::collections::{BTreeMap, BTreeSet};

use dossier_domain::{Event, cadre::Event as C, down::Event as D};
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
    /// Cadres moved down by committee decision (counted from the decision: the figure the
    /// district publishes as 调整“下”的干部).
    pub cadres_moved_down: BTreeSet<String>,
    /// Of them, those whose decision has been carried out on their record (from the day it
    /// took effect).
    #[serde(default)]
    pub cadres_moved_down_executed: BTreeSet<String>,
    /// Cadres whose rank is to be lowered for a 不称职 year (one or more), not yet carried out
    /// by a decision with its 文号.
    #[serde(default)]
    pub rank_lowerings_pending: BTreeSet<String>,
    /// Rank lowerings carried out on a decision's 文号.
    #[serde(default)]
    pub rank_lowerings_done: u32,
    /// Dismissal cases (辞退) by where they stand: `undecided`, `dismissed`, `not_dismissed`
    /// (open, decided either way), `closed`.
    #[serde(default)]
    pub dismissal_cases: BTreeMap<String, u32>,
}

/// The down dashboard's fold: the view, and each review's status and situation.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct DownDashboard {
    pub view: Snap<DownView>,
    status: rustc_hash::FxHashMap<String, String>,
    situation: rustc_hash::FxHashMap<String, String>,
    /// Each dismissal case's standing, by case id.
    #[serde(default)]
    dismissal: rustc_hash::FxHashMap<String, String>,
    /// Rank lowerings pending by cadre (one per 不称职 year not yet carried out).
    #[serde(default)]
    lowerings: rustc_hash::FxHashMap<String, u32>,
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

    fn set_dismissal(&mut self, case: &str, standing: &str) {
        let v = self.view.make_mut();
        if let Some(old) = self.dismissal.insert(case.to_owned(), standing.to_owned())
            && let Some(n) = v.dismissal_cases.get_mut(&old)
        {
            *n = n.saturating_sub(1);
        }
        bump(&mut v.dismissal_cases, standing.to_owned());
    }

    /// The consequences of 不称职 years, on the cadre's stream.
    fn apply_cadre(&mut self, e: &C) {
        match e {
            C::RankLoweringPending(p) => {
                *self.lowerings.entry(p.cadre_id.clone()).or_default() += 1;
                self.view
                    .make_mut()
                    .rank_lowerings_pending
                    .insert(p.cadre_id.clone());
            }
            // Only a decision on a 文号 settles a pending lowering, the oldest (as the cadre's
            // record holds it): the cadre stays listed while a later year's is still pending.
            C::RankLowered(l) if l.document_number.is_some() => {
                let left = self.lowerings.get_mut(&l.cadre_id).map(|n| {
                    *n = n.saturating_sub(1);
                    *n
                });
                if left == Some(0) {
                    self.lowerings.remove(&l.cadre_id);
                }
                let v = self.view.make_mut();
                if left.unwrap_or(0) == 0 {
                    v.rank_lowerings_pending.remove(&l.cadre_id);
                }
                v.rank_lowerings_done += 1;
            }
            C::DismissalCaseOpened(o) => self.set_dismissal(&o.case_id, "undecided"),
            C::DismissalDecided(d) => self.set_dismissal(
                &d.case_id,
                if d.dismissed {
                    "dismissed"
                } else {
                    "not_dismissed"
                },
            ),
            C::DismissalCaseClosed(c) => self.set_dismissal(&c.case_id, "closed"),
            _ => {}
        }
    }
}

impl ReadModel for DownDashboard {
    const NAME: &'static str = "dashboard_down";
    const VERSION: u32 = 5;

    fn apply(&mut self, env: &Envelope<'_>) {
        let e = match env.event {
            Event::Down(e) => e,
            Event::Cadre(c) => return self.apply_cadre(c),
            _ => return,
        };
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
            D::Executed(x) => {
                self.view
                    .make_mut()
                    .cadres_moved_down_executed
                    .insert(x.cadre_id.clone());
                self.set_status(&x.review_id, "executed");
            }
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
            Figure::new(
                d,
                "cadres_moved_down_executed",
                "",
                self.cadres_moved_down_executed.len() as f64,
            ),
            Figure::new(
                d,
                "rank_lowerings_pending",
                "",
                self.rank_lowerings_pending.len() as f64,
            ),
            Figure::new(
                d,
                "rank_lowerings_done",
                "",
                f64::from(self.rank_lowerings_done),
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
        out.extend(
            self.dismissal_cases
                .iter()
                .map(|(k, n)| Figure::new(d, "dismissal_cases", k.clone(), f64::from(*n))),
        );
        out
    }
}
