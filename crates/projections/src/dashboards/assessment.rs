//! Assessment dashboard: grade distribution by year and by unit, and the 优秀 share against the cap.

use std::collections::BTreeMap;

use dossier_domain::{Event, assessment::Event as AE, cadre::Event as C};
use serde::{Deserialize, Serialize};

use super::{Figure, bump, key};
use crate::{envelope::Envelope, model::ReadModel};

/// One unit's batch of grades for a year, against the 优秀 cap.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExcellentShare {
    pub assessed: u32,
    pub excellent: u32,
    pub cap: u32,
    pub share_percent: u32,
}

/// The assessment dashboard.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentDashboard {
    /// year → grade (`excellent`, …, `ungraded`) → cadres.
    pub by_year: BTreeMap<i32, BTreeMap<String, u32>>,
    /// year → unit → grade → cadres.
    pub by_year_unit: BTreeMap<i32, BTreeMap<String, BTreeMap<String, u32>>>,
    /// year → unit → 优秀 against the cap (from the unit's batch).
    pub excellent_share: BTreeMap<i32, BTreeMap<String, ExcellentShare>>,
    /// (cadre, year) → the grade key already counted, so a corrected grade moves between buckets.
    #[serde(default)]
    counted: BTreeMap<String, BTreeMap<i32, (String, String)>>,
}

impl ReadModel for AssessmentDashboard {
    const NAME: &'static str = "dashboard_assessment";
    const VERSION: u32 = 1;

    fn apply(&mut self, env: &Envelope<'_>) {
        match env.event {
            Event::Cadre(C::GradeRecorded(g)) => {
                let grade = g.grade.as_ref().map_or_else(|| "ungraded".to_owned(), key);
                let prev = self
                    .counted
                    .entry(g.cadre_id.clone())
                    .or_default()
                    .insert(g.year, (g.unit_id.clone(), grade.clone()));
                if let Some((unit, old)) = prev {
                    if let Some(n) = self.by_year.get_mut(&g.year).and_then(|m| m.get_mut(&old)) {
                        *n = n.saturating_sub(1);
                    }
                    if let Some(n) = self
                        .by_year_unit
                        .get_mut(&g.year)
                        .and_then(|m| m.get_mut(&unit))
                        .and_then(|m| m.get_mut(&old))
                    {
                        *n = n.saturating_sub(1);
                    }
                }
                bump(self.by_year.entry(g.year).or_default(), grade.clone());
                bump(
                    self.by_year_unit
                        .entry(g.year)
                        .or_default()
                        .entry(g.unit_id.clone())
                        .or_default(),
                    grade,
                );
            }
            Event::Assessment(AE::GradesRecorded(b)) => {
                let share = self
                    .excellent_share
                    .entry(b.year)
                    .or_default()
                    .entry(b.unit_id.clone())
                    .or_default();
                share.assessed = b.assessed_total;
                share.excellent = b.excellent_total;
                share.cap = b.excellent_cap;
                share.share_percent = b.share_percent;
            }
            _ => {}
        }
    }
}

impl AssessmentDashboard {
    /// The figures in flat form.
    pub fn figures(&self) -> Vec<Figure> {
        let d = "assessment";
        let mut out = Vec::new();
        for (y, grades) in &self.by_year {
            for (g, n) in grades {
                out.push(Figure::new(d, "grades", format!("{y}/{g}"), f64::from(*n)));
            }
        }
        for (y, units) in &self.by_year_unit {
            for (u, grades) in units {
                for (g, n) in grades {
                    out.push(Figure::new(
                        d,
                        "grades_by_unit",
                        format!("{y}/{u}/{g}"),
                        f64::from(*n),
                    ));
                }
            }
        }
        for (y, units) in &self.excellent_share {
            for (u, s) in units {
                out.push(Figure::new(
                    d,
                    "excellent",
                    format!("{y}/{u}"),
                    f64::from(s.excellent),
                ));
                out.push(Figure::new(
                    d,
                    "excellent_cap",
                    format!("{y}/{u}"),
                    f64::from(s.cap),
                ));
            }
        }
        out
    }
}
