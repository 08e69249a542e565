//! Rotation dashboard (动态交流): rotations by kind, unit and year; hot-post heads rotated; hot posts at or past their limit.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use dossier_domain::{Event, cadre::Event as C, unit::Event as U};
use serde::{Deserialize, Serialize};

use super::{Figure, bump, key, path};
use crate::{envelope::Envelope, model::ReadModel, snap::Snap};

/// One year's rotations.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct RotationYear {
    pub total: u32,
    /// By kind (`protective`, `cultivating`, `spurring`).
    pub by_kind: BTreeMap<String, u32>,
    /// By the unit left.
    pub by_unit: BTreeMap<String, u32>,
    /// Holders of hot posts rotated out.
    pub hot_post_heads: u32,
    /// Units whose hot-post holders were rotated.
    pub hot_post_units: BTreeSet<String>,
}

/// The rotation dashboard (hot posts past their limit come from the unit views on the date asked).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct RotationDashboard {
    /// Rotations by year.
    pub years: Snap<BTreeMap<i32, RotationYear>>,
    /// `unit/post` of the posts designated hot now.
    hot: BTreeSet<String>,
}

impl ReadModel for RotationDashboard {
    const NAME: &'static str = "dashboard_rotation";
    const VERSION: u32 = 2;

    fn apply(&mut self, env: &Envelope<'_>) {
        match env.event {
            Event::Unit(U::HotPostDesignated(h)) => {
                self.hot.insert(format!("{}/{}", h.unit_id, h.post_id));
            }
            Event::Unit(U::HotPostCleared(h)) => {
                self.hot.remove(&format!("{}/{}", h.unit_id, h.post_id));
            }
            Event::Cadre(C::Rotated(r)) => {
                let hot = self
                    .hot
                    .contains(&format!("{}/{}", r.from_unit_id, r.from_post_id));
                let year = self
                    .years
                    .make_mut()
                    .entry(r.effective_on.year())
                    .or_default();
                year.total += 1;
                bump(&mut year.by_kind, key(&r.kind));
                bump(&mut year.by_unit, r.from_unit_id.clone());
                if hot {
                    year.hot_post_heads += 1;
                    year.hot_post_units.insert(r.from_unit_id.clone());
                }
            }
            _ => {}
        }
    }
}

/// The rotation figures in flat form.
pub fn figures(years: &BTreeMap<i32, RotationYear>) -> Vec<Figure> {
    {
        let d = "rotation";
        let mut out = Vec::new();
        for (y, r) in years {
            let year = y.to_string();
            out.push(Figure::new(
                d,
                "rotations",
                year.clone(),
                f64::from(r.total),
            ));
            out.push(Figure::new(
                d,
                "hot_post_heads_rotated",
                year.clone(),
                f64::from(r.hot_post_heads),
            ));
            out.push(Figure::new(
                d,
                "hot_post_units",
                year.clone(),
                r.hot_post_units.len() as f64,
            ));
            out.extend(r.by_kind.iter().map(|(k, n)| {
                Figure::new(d, "rotations_by_kind", path(&[&year, k]), f64::from(*n))
            }));
            out.extend(r.by_unit.iter().map(|(k, n)| {
                Figure::new(d, "rotations_by_unit", path(&[&year, k]), f64::from(*n))
            }));
        }
        out
    }
}
