//! Assessment dashboard: grade distribution by year and by unit, the 优秀 share against the cap, and 双考 evaluations by year, task and evaluator with their mean scores.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use chrono::Datelike;
use dossier_domain::{Event, assessment::Event as AE, cadre::Event as C, types::Grade};
use serde::{Deserialize, Serialize};

use super::{Figure, bump, key, path};
use crate::{
    envelope::Envelope,
    intern::{Interner, Sym},
    model::ReadModel,
    snap::Snap,
};

/// One unit's batch of grades for a year, against the 优秀 cap.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExcellentShare {
    pub assessed: u32,
    pub excellent: u32,
    pub cap: u32,
    pub share_percent: u32,
}

/// The assessment dashboard as read.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentView {
    /// year → grade (`excellent`, …, `ungraded`) → cadres.
    pub by_year: BTreeMap<i32, BTreeMap<String, u32>>,
    /// year → unit → grade → cadres.
    pub by_year_unit: BTreeMap<i32, BTreeMap<String, BTreeMap<String, u32>>>,
    /// year → unit → 优秀 against the cap (from the unit's batch).
    pub excellent_share: BTreeMap<i32, BTreeMap<String, ExcellentShare>>,
    /// year (of the evaluation date) → 双考 evaluations.
    #[serde(default)]
    pub evaluations: BTreeMap<i32, EvaluationFigures>,
}

/// One year's 双考 evaluations.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationFigures {
    pub count: u32,
    /// `task_kind/task name` → evaluations.
    pub by_task: BTreeMap<String, u32>,
    /// evaluator → evaluations.
    pub by_evaluator: BTreeMap<String, u32>,
    /// Sums of the 工作态度, 担当精神 and 能力水平 scores (the means divide by `count`).
    pub score_sums: [f64; 3],
}

impl EvaluationFigures {
    /// The mean scores (工作态度, 担当精神, 能力水平), rounded to two decimals; zeros before the first.
    pub fn means(&self) -> [f64; 3] {
        let n = f64::from(self.count.max(1));
        self.score_sums.map(|sum| (sum / n * 100.0).round() / 100.0)
    }
}

/// The dashboard keys of the three score dimensions, in [`EvaluationFigures::score_sums`] order.
pub const SCORE_KEYS: [&str; 3] = ["attitude", "responsibility", "competence"];

/// The assessment dashboard's fold: the view, and the grade already counted for each
/// cadre and year (so a corrected grade moves between buckets), kept compact.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentDashboard {
    pub view: Snap<AssessmentView>,
    /// Interned cadre ids, units and grade keys.
    syms: Interner,
    /// cadre → [(year, unit, grade)].
    counted: HashMap<Sym, Vec<(i16, Sym, Sym)>>,
}

impl PartialEq for Interner {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && (0..self.len() as Sym).all(|i| self.resolve(i) == other.resolve(i))
    }
}

/// The key of a grade on the dashboard (the serde name; `ungraded` for 不定等次).
pub fn grade_key(grade: Option<Grade>) -> &'static str {
    match grade {
        Some(Grade::Excellent) => "excellent",
        Some(Grade::Competent) => "competent",
        Some(Grade::BasicallyCompetent) => "basically_competent",
        Some(Grade::Incompetent) => "incompetent",
        None => "ungraded",
    }
}

fn dec(map: Option<&mut BTreeMap<String, u32>>, k: &str) {
    if let Some(n) = map.and_then(|m| m.get_mut(k)) {
        *n = n.saturating_sub(1);
    }
}

impl ReadModel for AssessmentDashboard {
    const NAME: &'static str = "dashboard_assessment";
    const VERSION: u32 = 3;

    fn apply(&mut self, env: &Envelope<'_>) {
        match env.event {
            Event::Cadre(C::GradeRecorded(g)) => {
                let grade = grade_key(g.grade);
                let cadre = self.syms.intern(&g.cadre_id);
                let unit = self.syms.intern(&g.unit_id);
                let grade_sym = self.syms.intern(grade);
                let year = g.year as i16;
                let counted = self.counted.entry(cadre).or_default();
                let previous = counted
                    .iter()
                    .position(|(y, _, _)| *y == year)
                    .map(|i| counted.remove(i));
                counted.push((year, unit, grade_sym));
                let v = self.view.make_mut();
                if let Some((_, old_unit, old_grade)) = previous {
                    let (old_unit, old_grade) =
                        (self.syms.resolve(old_unit), self.syms.resolve(old_grade));
                    dec(v.by_year.get_mut(&g.year), old_grade);
                    dec(
                        v.by_year_unit
                            .get_mut(&g.year)
                            .and_then(|m| m.get_mut(old_unit)),
                        old_grade,
                    );
                }
                let by_year = v.by_year.entry(g.year).or_default();
                match by_year.get_mut(grade) {
                    Some(n) => *n += 1,
                    None => {
                        by_year.insert(grade.to_owned(), 1);
                    }
                }
                let units = v.by_year_unit.entry(g.year).or_default();
                let grades = match units.get_mut(&g.unit_id) {
                    Some(m) => m,
                    None => units.entry(g.unit_id.clone()).or_default(),
                };
                match grades.get_mut(grade) {
                    Some(n) => *n += 1,
                    None => {
                        grades.insert(grade.to_owned(), 1);
                    }
                }
            }
            Event::Cadre(C::EvaluationRecorded(e)) => {
                let v = self.view.make_mut();
                let year = v.evaluations.entry(e.evaluated_on.year()).or_default();
                year.count += 1;
                bump(
                    &mut year.by_task,
                    format!("{}/{}", key(&e.task_kind), e.task_name),
                );
                bump(&mut year.by_evaluator, key(&e.evaluator));
                let s = e.scores;
                for (sum, score) in
                    year.score_sums
                        .iter_mut()
                        .zip([s.attitude, s.responsibility, s.competence])
                {
                    *sum += score;
                }
            }
            Event::Assessment(AE::GradesRecorded(b)) => {
                let v = self.view.make_mut();
                let share = v
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

impl AssessmentView {
    /// The figures in flat form.
    pub fn figures(&self) -> Vec<Figure> {
        let d = "assessment";
        let mut out = Vec::new();
        for (y, grades) in &self.by_year {
            let y = y.to_string();
            for (g, n) in grades {
                out.push(Figure::new(d, "grades", path(&[&y, g]), f64::from(*n)));
            }
        }
        for (y, units) in &self.by_year_unit {
            let y = y.to_string();
            out.reserve(units.values().map(BTreeMap::len).sum());
            for (u, grades) in units {
                for (g, n) in grades {
                    out.push(Figure::new(
                        d,
                        "grades_by_unit",
                        path(&[&y, u, g]),
                        f64::from(*n),
                    ));
                }
            }
        }
        for (y, units) in &self.excellent_share {
            let y = y.to_string();
            for (u, s) in units {
                let key = path(&[&y, u]);
                out.push(Figure::new(
                    d,
                    "excellent",
                    key.clone(),
                    f64::from(s.excellent),
                ));
                out.push(Figure::new(d, "excellent_cap", key, f64::from(s.cap)));
            }
        }
        for (y, e) in &self.evaluations {
            let y = y.to_string();
            out.push(Figure::new(d, "evaluations", y.clone(), f64::from(e.count)));
            for (task, n) in &e.by_task {
                out.push(Figure::new(
                    d,
                    "evaluations_by_task",
                    path(&[&y, task]),
                    f64::from(*n),
                ));
            }
            for (evaluator, n) in &e.by_evaluator {
                out.push(Figure::new(
                    d,
                    "evaluations_by_evaluator",
                    path(&[&y, evaluator]),
                    f64::from(*n),
                ));
            }
            for (k, mean) in SCORE_KEYS.iter().zip(e.means()) {
                out.push(Figure::new(
                    d,
                    "evaluation_score_mean",
                    path(&[&y, k]),
                    mean,
                ));
            }
        }
        out
    }
}
