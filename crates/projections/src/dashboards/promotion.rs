//! Promotion dashboard: the year's front-line quota used and left, and its allocations ranked by points.

use std::collections::BTreeMap;

use dossier_domain::{Event, quota::Event as Q, types::FrontLineField};
use serde::{Deserialize, Serialize};

use super::Figure;
use crate::{envelope::Envelope, model::ReadModel, snap::Snap};

/// One allocation of a front-line rank promotion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    pub cadre_id: String,
    pub cadre_name: String,
    pub unit_id: String,
    pub field: FrontLineField,
    pub points: f64,
}

/// One year's quota.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaYear {
    pub size: u32,
    /// Allocations in force, highest points first.
    pub allocations: Vec<Allocation>,
    pub revoked: u32,
    /// Cadres in the ranking in force.
    #[serde(default)]
    pub ranked: u32,
    /// Eligible cadres passed over by allocations (each with a recorded reason).
    #[serde(default)]
    pub passed_over: u32,
}

impl QuotaYear {
    pub fn used(&self) -> u32 {
        self.allocations.len() as u32
    }

    pub fn left(&self) -> u32 {
        self.size.saturating_sub(self.used())
    }
}

/// The promotion dashboard.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromotionDashboard {
    /// Quota by year.
    pub years: Snap<BTreeMap<i32, QuotaYear>>,
}

impl ReadModel for PromotionDashboard {
    const NAME: &'static str = "dashboard_promotion";
    const VERSION: u32 = 3;

    fn apply(&mut self, env: &Envelope<'_>) {
        match env.event {
            Event::Quota(Q::Opened(o)) => {
                self.years.make_mut().entry(o.year).or_default().size = o.size
            }
            Event::Quota(Q::Ranked(r)) => {
                self.years.make_mut().entry(r.year).or_default().ranked = r.entries.len() as u32
            }
            Event::Quota(Q::Allocated(a)) => {
                let year = self.years.make_mut().entry(a.year).or_default();
                year.size = a.size;
                year.passed_over += a.passed_over.len() as u32;
                year.allocations.retain(|x| x.cadre_id != a.cadre_id);
                year.allocations.push(Allocation {
                    cadre_id: a.cadre_id.clone(),
                    cadre_name: a.cadre_name.clone(),
                    unit_id: a.unit_id.clone(),
                    field: a.field,
                    points: a.points,
                });
                year.allocations.sort_by(|x, y| {
                    y.points
                        .total_cmp(&x.points)
                        .then_with(|| x.cadre_id.cmp(&y.cadre_id))
                });
            }
            Event::Quota(Q::Revoked(r)) => {
                let year = self.years.make_mut().entry(r.year).or_default();
                let before = year.allocations.len();
                year.allocations.retain(|x| x.cadre_id != r.cadre_id);
                if year.allocations.len() < before {
                    year.revoked += 1;
                }
            }
            _ => {}
        }
    }
}

/// The promotion figures in flat form.
pub fn figures(years: &BTreeMap<i32, QuotaYear>) -> Vec<Figure> {
    {
        let d = "promotion";
        let mut out = Vec::new();
        for (y, q) in years {
            out.push(Figure::new(d, "quota", y.to_string(), f64::from(q.size)));
            out.push(Figure::new(
                d,
                "quota_used",
                y.to_string(),
                f64::from(q.used()),
            ));
            out.push(Figure::new(
                d,
                "quota_left",
                y.to_string(),
                f64::from(q.left()),
            ));
            out.push(Figure::new(
                d,
                "quota_ranked",
                y.to_string(),
                f64::from(q.ranked),
            ));
            out.push(Figure::new(
                d,
                "quota_passed_over",
                y.to_string(),
                f64::from(q.passed_over),
            ));
        }
        out
    }
}
