//! Promotion points (职级晋升积分) of a profile, computed by the domain's own rule from the compact record.

use chrono::NaiveDate;
use dossier_domain::{
    cadre::{AwardRecord, SanctionRecord, State},
    points::{self, Points},
    policy::PointsPolicy,
    types::{AwardKind, Grade, SanctionKind},
};

use crate::profile::{ProfileRec, Profiles};

/// The cadre-stream facts the points rule reads, rebuilt from the compact record.
pub fn cadre_state(profiles: &Profiles, rec: &ProfileRec) -> State {
    State {
        registered: rec.registered,
        rank: rec.rank,
        rank_since: rec.rank_since,
        grades: rec
            .grades
            .iter()
            .map(|g| (i32::from(g.year), g.grade))
            .collect(),
        awards: rec
            .awards
            .iter()
            .map(|a| AwardRecord {
                award_id: profiles.syms.resolve(a.id).to_owned(),
                kind: a.kind,
                year: i32::from(a.year),
                granted_on: a.on,
            })
            .collect(),
        sanctions: rec
            .periods
            .iter()
            .filter_map(|p| {
                Some(SanctionRecord {
                    sanction_id: String::new(),
                    kind: p.sanction?,
                    imposed_on: p.from,
                    effect_until: p.until,
                })
            })
            .collect(),
        ..State::default()
    }
}

/// Points of `rec` on `on` with their breakdown (grades, awards, front-line weight, sanctions, seniority).
pub fn points_of(
    profiles: &Profiles,
    rec: &ProfileRec,
    on: NaiveDate,
    policy: &PointsPolicy,
) -> Points {
    points::compute(&cadre_state(profiles, rec), on, rec.front_line, policy)
}

/// The facts the points rule reads, straight off the compact record (no `State` is built).
struct RecFacts<'a>(&'a ProfileRec);

impl points::PointsFacts for RecFacts<'_> {
    fn grades_in(&self, first: i32, last: i32) -> impl Iterator<Item = (i32, Option<Grade>)> {
        // Kept sorted by year, one per year.
        self.0
            .grades
            .iter()
            .map(|g| (i32::from(g.year), g.grade))
            .skip_while(move |(y, _)| *y < first)
            .take_while(move |(y, _)| *y <= last)
    }
    fn awards(&self) -> impl Iterator<Item = (i32, AwardKind)> {
        self.0.awards.iter().map(|a| (i32::from(a.year), a.kind))
    }
    fn sanctions(&self) -> impl Iterator<Item = (NaiveDate, SanctionKind)> {
        self.0
            .periods
            .iter()
            .filter_map(|p| Some((p.from, p.sanction?)))
    }
    fn rank_since(&self) -> Option<NaiveDate> {
        self.0.rank_since
    }
}

/// The total alone of [`points_of`], for rankings.
pub fn points_total(rec: &ProfileRec, on: NaiveDate, policy: &PointsPolicy) -> f64 {
    points::total(&RecFacts(rec), on, rec.front_line, policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_off_the_record_is_the_total_of_the_full_computation() {
        use dossier_domain::types::{Grade, SanctionKind};
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let rec = ProfileRec {
            registered: true,
            rank_since: Some(d(2018, 3, 1)),
            grades: [
                (2019, Some(Grade::Excellent)),
                (2021, None),
                (2022, Some(Grade::Competent)),
                (2024, Some(Grade::Excellent)),
            ]
            .into_iter()
            .map(|(year, grade)| crate::profile::GradeRec {
                year,
                grade,
                evaluation: None,
            })
            .collect(),
            periods: vec![crate::profile::PeriodRec {
                sanction: Some(SanctionKind::Warning),
                from: d(2022, 5, 1),
                until: d(2023, 5, 1),
                improve_by: None,
            }],
            front_line: Some(dossier_domain::types::FrontLineField::ALL[0]),
            ..ProfileRec::default()
        };
        let policy = dossier_domain::Policy::default().points;
        let mut profiles = Profiles::default();
        let mut rec = rec;
        for (name, kind, year) in [
            ("a1", AwardKind::Merit, 2020),
            ("a2", AwardKind::Steed, 2023),
            ("a3", AwardKind::Commendation, 2016),
        ] {
            rec.awards.push(crate::profile::AwardRec {
                id: profiles.syms.intern(name),
                kind,
                year,
                on: d(i32::from(year), 12, 1),
                evaluation: None,
            });
        }
        for on in [
            d(2021, 1, 1),
            d(2023, 6, 30),
            d(2025, 1, 1),
            d(2030, 12, 31),
        ] {
            let full = points_of(&profiles, &rec, on, &policy);
            assert_eq!(points_total(&rec, on, &policy), full.total, "on {on}");
            assert!(!full.items.is_empty(), "on {on}");
        }
    }
}
