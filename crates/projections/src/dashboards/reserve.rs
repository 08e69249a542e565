//! Reserve pool dashboard (年轻干部 / 后备干部库): each entry's status over time, and the pool on a date by status, age band and education.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use dossier_domain::{
    Event, person_codes,
    reserve::{Event as R, Status},
};
use serde::{Deserialize, Serialize};

use crate::{eligibility::CadreStates, envelope::Envelope, model::ReadModel};

/// The age bands a pool is counted in: (label, the oldest age in the band).
pub const AGE_BANDS: &[(&str, u32)] = &[
    ("35岁及以下", 35),
    ("36至40岁", 40),
    ("41至45岁", 45),
    ("46岁及以上", u32::MAX),
];

/// Age band label for cadres whose birth date is not recorded.
pub const AGE_UNKNOWN: &str = "未登记";

/// One cadre's entry: when nominated and every status it took, with the date.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReserveRow {
    pub unit_id: Option<String>,
    pub nominated_on: Option<NaiveDate>,
    /// (date, status) in the order taken; a re-nomination starts again at 在库.
    pub statuses: Vec<(NaiveDate, Status)>,
}

impl ReserveRow {
    /// The status on `on` (`None` before the first nomination).
    pub fn status_on(&self, on: NaiveDate) -> Option<Status> {
        self.statuses
            .iter()
            .rev()
            .find(|(d, _)| *d <= on)
            .map(|(_, s)| *s)
    }
}

/// The reserve pool, by cadre id.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReservePool {
    pub entries: BTreeMap<String, ReserveRow>,
}

/// One entry as the pool shows it on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolEntry {
    pub cadre_id: String,
    pub name: String,
    pub unit_id: Option<String>,
    pub status: Status,
    pub nominated_on: Option<NaiveDate>,
    /// Full years of age on the date, when the birth date is recorded.
    pub age: Option<u32>,
    pub age_band: &'static str,
    /// The band of the highest 学历 recorded (`person_codes::EDUCATION_BANDS`).
    pub education: &'static str,
}

/// A count under a label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandCount {
    pub band: String,
    pub count: u32,
}

/// The pool on a date: who is in it (在库 or 考察中), counted by status, age band and education;
/// and every entry with its status then, used and removed ones included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolSummary {
    pub as_of: NaiveDate,
    /// In the pool on the date (在库 and 考察中).
    pub in_pool: u32,
    pub by_status: Vec<BandCount>,
    /// Every band of `AGE_BANDS` in order (zero counts included), then 未登记 when any.
    pub by_age_band: Vec<BandCount>,
    /// Every band of `EDUCATION_BANDS` in order (zero counts included), 未登记 only when any.
    pub by_education: Vec<BandCount>,
    pub entries: Vec<PoolEntry>,
}

impl ReadModel for ReservePool {
    const NAME: &'static str = "dashboard_reserve";
    const VERSION: u32 = 1;

    fn apply(&mut self, env: &Envelope<'_>) {
        let Event::Reserve(e) = env.event else {
            return;
        };
        match e {
            R::Nominated(n) => {
                let row = self.entries.entry(n.cadre_id.clone()).or_default();
                row.unit_id = n.unit_id.clone();
                row.nominated_on = Some(n.nominated_on);
                row.statuses.push((n.nominated_on, Status::InPool));
            }
            R::StatusChanged(c) => {
                let row = self.entries.entry(c.cadre_id.clone()).or_default();
                row.statuses.push((c.changed_on, c.to));
            }
            R::Reviewed(_) => {}
        }
    }
}

/// The band of an age.
pub fn age_band(age: Option<u32>) -> &'static str {
    age.map_or(AGE_UNKNOWN, |a| {
        AGE_BANDS
            .iter()
            .find(|(_, max)| a <= *max)
            .map_or(AGE_UNKNOWN, |(label, _)| *label)
    })
}

/// Full years from `birth` to `on`.
fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

impl ReservePool {
    /// The pool on `as_of`: entries nominated by then with their status on that date; age from
    /// the birth date on the record, education from the particulars last recorded.
    pub fn summary(&self, cadres: &CadreStates, as_of: NaiveDate) -> PoolSummary {
        let mut entries = Vec::new();
        for (cadre_id, row) in &self.entries {
            let Some(status) = row.status_on(as_of) else {
                continue;
            };
            let state = cadres.get(cadre_id);
            let age = state
                .and_then(|s| s.birth_date)
                .and_then(|b| age_on(b, as_of));
            let education = state.and_then(|s| s.particulars.as_ref()).map_or(
                person_codes::EDUCATION_BANDS.len() - 1,
                |p| {
                    person_codes::highest_education_band(
                        &p.full_time_education.level,
                        &p.in_service_education.level,
                    )
                },
            );
            entries.push(PoolEntry {
                cadre_id: cadre_id.clone(),
                name: state.map(|s| s.name.clone()).unwrap_or_default(),
                unit_id: row.unit_id.clone(),
                status,
                nominated_on: row.nominated_on,
                age,
                age_band: age_band(age),
                education: person_codes::EDUCATION_BANDS[education],
            });
        }
        let pooled: Vec<&PoolEntry> = entries
            .iter()
            .filter(|e| matches!(e.status, Status::InPool | Status::UnderInspection))
            .collect();
        let count =
            |pred: &dyn Fn(&PoolEntry) -> bool| pooled.iter().filter(|e| pred(e)).count() as u32;
        let by_status = [
            Status::InPool,
            Status::UnderInspection,
            Status::Used,
            Status::Removed,
        ]
        .into_iter()
        .map(|s| BandCount {
            band: s.zh().to_owned(),
            count: entries.iter().filter(|e| e.status == s).count() as u32,
        })
        .collect();
        let mut by_age_band: Vec<BandCount> = AGE_BANDS
            .iter()
            .map(|(label, _)| BandCount {
                band: (*label).to_owned(),
                count: count(&|e| e.age_band == *label),
            })
            .collect();
        let unknown = count(&|e| e.age_band == AGE_UNKNOWN);
        if unknown > 0 {
            by_age_band.push(BandCount {
                band: AGE_UNKNOWN.to_owned(),
                count: unknown,
            });
        }
        let bands = person_codes::EDUCATION_BANDS;
        let unrecorded = bands[bands.len() - 1];
        let by_education = bands
            .iter()
            .map(|band| BandCount {
                band: (*band).to_owned(),
                count: count(&|e| e.education == *band),
            })
            .filter(|b| b.count > 0 || b.band != unrecorded)
            .collect();
        PoolSummary {
            as_of,
            in_pool: pooled.len() as u32,
            by_status,
            by_age_band,
            by_education,
            entries,
        }
    }
}
