//! Care dashboard (严管厚爱): appeals by stage, overdue stages, median days to close, typical cases; risk reports; exemptions.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use dossier_domain::{
    Event, Policy,
    accountability::Event as AC,
    appeal::{Event as A, Stage, Timeline},
    risk::Event as R,
};
use serde::{Deserialize, Serialize};

use super::{Figure, key};
use crate::{envelope::Envelope, model::ReadModel, snap::Snap};

/// One open appeal as the dashboard keeps it.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealRec {
    pub cadre_id: String,
    pub timeline: Timeline,
}

/// The care counts, maintained event by event.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct CareCounts {
    pub appeals: u32,
    /// Appeals by current stage.
    pub by_stage: BTreeMap<String, u32>,
    /// Closed appeals by days from filing to closing (a histogram, for the median).
    pub days_to_close: BTreeMap<i64, u32>,
    pub typical_cases: u32,
    /// Prior risk reports (事前报备) filed.
    pub risk_reports: u32,
    /// Exemptions (容缺免责) granted and refused.
    pub exemptions_granted: u32,
    pub exemptions_refused: u32,
    /// Accountability cases by the “three distinctions” judgement.
    pub accountability_by_judgement: BTreeMap<String, u32>,
}

/// The care dashboard's fold: the counts, and the appeals still open (scanned for overdue stages).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct CareDashboard {
    pub counts: Snap<CareCounts>,
    pub open: BTreeMap<String, AppealRec>,
    /// Open appeals by current stage, ordered by the date they entered it: the overdue ones
    /// on a date are a prefix of each stage's set.
    pub entered: BTreeMap<Stage, BTreeSet<(NaiveDate, String)>>,
}

/// At most this many overdue appeals are listed on the dashboard (the longest overdue of each stage);
/// the counts cover them all.
pub const OVERDUE_LISTED_PER_STAGE: usize = 20;

/// The care figures on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CareView {
    pub appeals: u32,
    /// Appeals by current stage.
    pub by_stage: BTreeMap<String, u32>,
    /// Open appeals whose current stage is past its deadline, by stage.
    pub overdue_by_stage: BTreeMap<String, u32>,
    /// The longest-overdue appeals, at most [`OVERDUE_LISTED_PER_STAGE`] per stage.
    pub overdue: Vec<OverdueAppeal>,
    pub median_days_to_close: Option<f64>,
    pub typical_cases: u32,
    pub risk_reports: u32,
    pub exemptions_granted: u32,
    pub exemptions_refused: u32,
    pub accountability_by_judgement: BTreeMap<String, u32>,
}

/// An appeal whose current stage is overdue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverdueAppeal {
    pub appeal_id: String,
    pub cadre_id: String,
    pub stage: Stage,
    pub due_on: NaiveDate,
    pub days_overdue: i64,
}

fn stage_key(s: Stage) -> String {
    key(&s)
}

impl ReadModel for CareDashboard {
    const NAME: &'static str = "dashboard_care";
    const VERSION: u32 = 3;

    fn apply(&mut self, env: &Envelope<'_>) {
        match env.event {
            Event::Risk(R::Filed(_)) => self.counts.make_mut().risk_reports += 1,
            Event::Accountability(AC::ExemptionGranted(_)) => {
                self.counts.make_mut().exemptions_granted += 1
            }
            Event::Accountability(AC::ExemptionRefused(_)) => {
                self.counts.make_mut().exemptions_refused += 1
            }
            Event::Accountability(AC::JudgementRecorded(j)) => {
                let t = &j.judgement;
                let k = format!(
                    "{}/{}/{}",
                    key(&t.pioneering),
                    key(&t.trial),
                    key(&t.motive)
                );
                *self
                    .counts
                    .make_mut()
                    .accountability_by_judgement
                    .entry(k)
                    .or_default() += 1;
            }
            Event::Appeal(e) => self.apply_appeal(e),
            _ => {}
        }
    }
}

impl CareDashboard {
    fn apply_appeal(&mut self, e: &A) {
        let id = match e {
            A::Filed(f) => &f.appeal_id,
            A::Listed(x) => &x.appeal_id,
            A::Claimed(x) => &x.appeal_id,
            A::Coordinated(x) => &x.appeal_id,
            A::Tracked(x) => &x.appeal_id,
            A::Closed(x) => &x.appeal_id,
            A::MarkedTypical(x) => &x.appeal_id,
        };
        let counts = self.counts.make_mut();
        if let A::MarkedTypical(_) = e {
            counts.typical_cases += 1;
            return;
        }
        if let A::Filed(f) = e {
            counts.appeals += 1;
            self.open.insert(
                id.clone(),
                AppealRec {
                    cadre_id: f.cadre_id.clone(),
                    timeline: Timeline::default(),
                },
            );
        }
        let Some(rec) = self.open.get_mut(id) else {
            return;
        };
        let before = rec.timeline.current();
        let before_on = before.and_then(|st| rec.timeline.entered(st));
        rec.timeline.apply(e);
        let after = rec.timeline.current();
        if before != after {
            if let (Some(st), Some(on)) = (before, before_on)
                && let Some(set) = self.entered.get_mut(&st)
            {
                set.remove(&(on, id.clone()));
            }
            if let Some(st) = after.filter(|st| *st != Stage::Closed)
                && let Some(on) = rec.timeline.entered(st)
            {
                self.entered.entry(st).or_default().insert((on, id.clone()));
            }
            if let Some(n) = before.and_then(|s| counts.by_stage.get_mut(&stage_key(s))) {
                *n = n.saturating_sub(1);
            }
            if let Some(s) = after {
                *counts.by_stage.entry(stage_key(s)).or_default() += 1;
            }
        }
        if let Some(days) = rec.timeline.days_to_close() {
            *counts.days_to_close.entry(days).or_default() += 1;
            self.open.remove(id);
        }
    }
}

/// The median of a histogram of values.
pub fn median(hist: &BTreeMap<i64, u32>) -> Option<f64> {
    let n: u64 = hist.values().map(|c| u64::from(*c)).sum();
    if n == 0 {
        return None;
    }
    let value_at = |k: u64| -> i64 {
        let mut seen = 0u64;
        for (v, c) in hist {
            seen += u64::from(*c);
            if seen > k {
                return *v;
            }
        }
        0
    };
    if n % 2 == 1 {
        Some(value_at(n / 2) as f64)
    } else {
        Some((value_at(n / 2 - 1) + value_at(n / 2)) as f64 / 2.0)
    }
}

impl CareDashboard {
    /// The figures on `as_of` (overdue stages depend on the date).
    pub fn view(&self, policy: &Policy, as_of: NaiveDate) -> CareView {
        let mut overdue_by_stage = BTreeMap::new();
        let mut overdue = Vec::new();
        for (stage, set) in &self.entered {
            // Overdue: entered + allowed days < as_of, i.e. entered before as_of - allowed days.
            let Some(days) = stage.allowed_days(&policy.appeal) else {
                continue;
            };
            let Some(cutoff) = as_of.checked_sub_days(chrono::Days::new(u64::from(days))) else {
                continue;
            };
            let mut n = 0u32;
            for (entered_on, id) in set.range(..(cutoff, String::new())) {
                if (n as usize) < OVERDUE_LISTED_PER_STAGE
                    && let Some(due_on) = stage.due_on(*entered_on, &policy.appeal)
                {
                    overdue.push(OverdueAppeal {
                        appeal_id: id.clone(),
                        cadre_id: self
                            .open
                            .get(id)
                            .map(|a| a.cadre_id.clone())
                            .unwrap_or_default(),
                        stage: *stage,
                        due_on,
                        days_overdue: (as_of - due_on).num_days(),
                    });
                }
                n += 1;
            }
            if n > 0 {
                overdue_by_stage.insert(stage_key(*stage), n);
            }
        }
        let c = &self.counts;
        CareView {
            appeals: c.appeals,
            by_stage: c.by_stage.clone(),
            overdue_by_stage,
            overdue,
            median_days_to_close: median(&c.days_to_close),
            typical_cases: c.typical_cases,
            risk_reports: c.risk_reports,
            exemptions_granted: c.exemptions_granted,
            exemptions_refused: c.exemptions_refused,
            accountability_by_judgement: c.accountability_by_judgement.clone(),
        }
    }
}

impl CareView {
    /// The figures in flat form.
    pub fn figures(&self) -> Vec<Figure> {
        let d = "care";
        let mut out = vec![Figure::new(d, "appeals", "", f64::from(self.appeals))];
        out.extend(
            self.by_stage
                .iter()
                .map(|(s, n)| Figure::new(d, "appeals_by_stage", s.clone(), f64::from(*n))),
        );
        out.extend(
            self.overdue_by_stage
                .iter()
                .map(|(s, n)| Figure::new(d, "overdue_by_stage", s.clone(), f64::from(*n))),
        );
        if let Some(m) = self.median_days_to_close {
            out.push(Figure::new(d, "median_days_to_close", "", m));
        }
        out.push(Figure::new(
            d,
            "typical_cases",
            "",
            f64::from(self.typical_cases),
        ));
        out.push(Figure::new(
            d,
            "risk_reports",
            "",
            f64::from(self.risk_reports),
        ));
        out.push(Figure::new(
            d,
            "exemptions_granted",
            "",
            f64::from(self.exemptions_granted),
        ));
        out.push(Figure::new(
            d,
            "exemptions_refused",
            "",
            f64::from(self.exemptions_refused),
        ));
        out.extend(
            self.accountability_by_judgement.iter().map(|(s, n)| {
                Figure::new(d, "accountability_by_judgement", s.clone(), f64::from(*n))
            }),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_a_histogram_handles_odd_even_and_empty() {
        let mut h = BTreeMap::new();
        assert_eq!(median(&h), None);
        h.insert(10, 1);
        h.insert(20, 1);
        h.insert(30, 1);
        assert_eq!(median(&h), Some(20.0));
        h.insert(40, 1);
        assert_eq!(median(&h), Some(25.0));
        h.insert(10, 3);
        assert_eq!(median(&h), Some(15.0));
        h.insert(10, 4);
        assert_eq!(median(&h), Some(10.0));
    }
}
