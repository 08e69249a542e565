//! Selection dashboard (选任): cases by stage and age, and each unit's quota (职数) against its filled leadership posts, as of a date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use dossier_domain::{
    Event,
    selection::{Event as S, Stage},
    staffing::{Event as Q, Tier},
};
use serde::{Deserialize, Serialize};

use crate::{envelope::Envelope, model::ReadModel, units::Units};

/// One case as the dashboard keeps it: the dates it entered each stage.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseRow {
    pub unit_id: String,
    pub moved_on: Option<NaiveDate>,
    /// (date, stage code) in the order entered.
    pub stages: Vec<(NaiveDate, String)>,
    pub cancelled_on: Option<NaiveDate>,
    pub archived_on: Option<NaiveDate>,
}

impl CaseRow {
    /// The stage code on `on` (`None` before the motion).
    pub fn stage_on(&self, on: NaiveDate) -> Option<&str> {
        self.stages
            .iter()
            .rev()
            .find(|(d, _)| *d <= on)
            .map(|(_, s)| s.as_str())
    }
}

/// A published quota version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaRow {
    pub effective_from: NaiveDate,
    pub chiefs: u32,
    pub deputies: u32,
    pub basis: String,
}

/// The selection dashboard.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectionDashboard {
    pub cases: BTreeMap<String, CaseRow>,
    /// Unit → published quota versions, in publication order.
    pub quotas: BTreeMap<String, Vec<QuotaRow>>,
}

/// Cases in one stage on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageCount {
    pub stage: String,
    pub stage_zh: String,
    pub cases: u32,
    /// Days since the motion of the oldest case in the stage.
    pub oldest_days: i64,
    /// Mean days since the motion.
    pub mean_days: f64,
}

/// One unit's quota of one tier against the posts filled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VacancyRow {
    pub unit_id: String,
    pub unit_name: String,
    /// 正职 or 副职.
    pub tier: Tier,
    pub approved: u32,
    pub filled: u32,
    /// `approved − filled`; negative beyond the quota.
    pub vacancies: i64,
}

impl ReadModel for SelectionDashboard {
    const NAME: &'static str = "dashboard_selection";
    const VERSION: u32 = 1;

    fn apply(&mut self, env: &Envelope<'_>) {
        match env.event {
            Event::Staffing(Q::QuotaPublished(q)) => {
                self.quotas
                    .entry(q.unit_id.clone())
                    .or_default()
                    .push(QuotaRow {
                        effective_from: q.effective_from,
                        chiefs: q.chiefs,
                        deputies: q.deputies,
                        basis: q.basis.clone(),
                    });
            }
            Event::Selection(e) => {
                let row = self.cases.entry(env.entity_id().to_owned()).or_default();
                let stage = match e {
                    S::Moved(m) => {
                        row.unit_id = m.unit_id.clone();
                        row.moved_on = Some(m.moved_on);
                        Some(Stage::Motion)
                    }
                    S::RoundHeld(_) => Some(Stage::Recommendation),
                    S::Inspected(_) => Some(Stage::Inspection),
                    S::IntegrityRequested(_) => Some(Stage::Integrity),
                    S::Decided(_) => Some(Stage::Decision),
                    S::NoticeStarted(_) => Some(Stage::Notice),
                    S::NoticeEnded(_) => Some(Stage::NoticeEnded),
                    S::Appointed(_) => Some(Stage::Appointed),
                    S::Cancelled(c) => {
                        row.cancelled_on = Some(c.cancelled_on);
                        None
                    }
                    S::Archived(a) => {
                        row.archived_on = Some(a.archived_on);
                        None
                    }
                    _ => None,
                };
                if let Some(stage) = stage {
                    let code = stage.code();
                    if row.stages.last().is_none_or(|(_, s)| s != code) {
                        row.stages.push((env.effective, code.to_owned()));
                    }
                }
            }
            _ => {}
        }
    }
}

impl SelectionDashboard {
    /// Cases under way on `on` (moved, neither cancelled nor archived by then) by stage, with
    /// their age; stages in procedure order.
    pub fn by_stage(&self, on: NaiveDate) -> Vec<StageCount> {
        let mut ages: BTreeMap<Stage, Vec<i64>> = BTreeMap::new();
        for row in self.cases.values() {
            let ended = |d: Option<NaiveDate>| d.is_some_and(|d| d <= on);
            if ended(row.cancelled_on) || ended(row.archived_on) {
                continue;
            }
            let (Some(code), Some(moved)) = (row.stage_on(on), row.moved_on) else {
                continue;
            };
            if let Some(stage) = Stage::ALL.into_iter().find(|s| s.code() == code) {
                ages.entry(stage).or_default().push((on - moved).num_days());
            }
        }
        ages.into_iter()
            .map(|(stage, days)| StageCount {
                stage: stage.code().to_owned(),
                stage_zh: stage.zh().to_owned(),
                cases: days.len() as u32,
                oldest_days: days.iter().copied().max().unwrap_or(0),
                mean_days: days.iter().sum::<i64>() as f64 / days.len().max(1) as f64,
            })
            .collect()
    }

    /// The quota version of `unit_id` in force on `on`.
    pub fn quota_on(&self, unit_id: &str, on: NaiveDate) -> Option<&QuotaRow> {
        self.quotas.get(unit_id).and_then(|versions| {
            versions
                .iter()
                .enumerate()
                .filter(|(_, v)| v.effective_from <= on)
                .max_by_key(|(i, v)| (v.effective_from, *i))
                .map(|(_, v)| v)
        })
    }

    /// Every unit with a quota in force on `on`: approved against filled, by tier. Filled counts
    /// the holders of the unit's open leadership posts who took them on or before `on`.
    pub fn vacancies(&self, units: &Units, on: NaiveDate) -> Vec<VacancyRow> {
        let mut out = Vec::new();
        for unit_id in self.quotas.keys() {
            let Some(q) = self.quota_on(unit_id, on) else {
                continue;
            };
            let unit = units.units.get(unit_id);
            let mut filled = [0u32; 2];
            if let Some(u) = unit {
                for p in u.posts.values().filter(|p| p.open) {
                    let Some(level) = p.leadership_level else {
                        continue;
                    };
                    let n = p.incumbents.iter().filter(|i| i.since <= on).count() as u32;
                    filled[usize::from(Tier::of(level) == Tier::Deputy)] += n;
                }
            }
            for (i, tier) in Tier::ALL.into_iter().enumerate() {
                let approved = match tier {
                    Tier::Chief => q.chiefs,
                    Tier::Deputy => q.deputies,
                };
                out.push(VacancyRow {
                    unit_id: unit_id.clone(),
                    unit_name: unit.map(|u| u.name.clone()).unwrap_or_default(),
                    tier,
                    approved,
                    filled: filled[i],
                    vacancies: i64::from(approved) - i64::from(filled[i]),
                });
            }
        }
        out
    }
}
