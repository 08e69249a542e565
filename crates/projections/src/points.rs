//! Promotion points (职级晋升积分) of a profile, computed by the domain's own rule from the compact record.

use chrono::NaiveDate;
use dossier_domain::{
    cadre::{AwardRecord, SanctionRecord, State},
    points::{self, Points},
    policy::PointsPolicy,
};

use crate::profile::{ProfileRec, Profiles};

/// The cadre-stream facts the points rule reads, rebuilt from the compact record.
pub fn cadre_state(profiles: &Profiles, rec: &ProfileRec) -> State {
    State {
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
        ..points_state(rec)
    }
}

/// [`cadre_state`] without the awards' ids (which the points rule does not read).
fn points_state(rec: &ProfileRec) -> State {
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
                award_id: String::new(),
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

/// The total alone of [`points_of`], for rankings.
pub fn points_total(rec: &ProfileRec, on: NaiveDate, policy: &PointsPolicy) -> f64 {
    points::total(&points_state(rec), on, rec.front_line, policy)
}
