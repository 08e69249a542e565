//! Promotion points (职级晋升积分) of a profile with their breakdown, from the points policy in force.

use chrono::{Datelike, NaiveDate};
use dossier_domain::Policy;
use serde::Serialize;

use crate::profile::{ProfileRec, Profiles};

/// One line of a points breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointsLine {
    /// `grade`, `award`, `sanction`, `seniority`.
    pub source: &'static str,
    /// What earned it (a year and grade, an award kind, a sanction kind, years in rank).
    pub item: String,
    pub points: f64,
}

/// Points with their breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointsView {
    pub total: f64,
    pub lines: Vec<PointsLine>,
}

/// Points of `rec` on `on`: grades of the counted years before `on`'s year, awards and
/// sanctions in those years, and whole years in the current rank.
pub fn points_of(
    _profiles: &Profiles,
    rec: &ProfileRec,
    on: NaiveDate,
    policy: &Policy,
) -> PointsView {
    let p = &policy.points;
    let last = on.year() - 1;
    let first = last - p.counted_years as i32 + 1;
    let in_window = |y: i32| y >= first && y <= last;
    let mut lines = Vec::new();
    for g in rec.grades.iter().filter(|g| in_window(i32::from(g.year))) {
        if let Some(grade) = g.grade {
            let pts = p
                .grade_points
                .iter()
                .find(|(k, _)| *k == grade)
                .map_or(0.0, |(_, v)| *v);
            lines.push(PointsLine {
                source: "grade",
                item: format!("{} {}", g.year, grade.zh()),
                points: pts,
            });
        }
    }
    for a in rec.awards.iter().filter(|a| in_window(i32::from(a.year))) {
        let pts = p
            .award_points
            .iter()
            .find(|(k, _)| k == a.kind.code())
            .map_or(0.0, |(_, v)| *v);
        lines.push(PointsLine {
            source: "award",
            item: format!("{} {}", a.year, a.kind.zh()),
            points: pts,
        });
    }
    for s in rec.periods.iter().filter(|s| in_window(s.from.year())) {
        if let Some(kind) = s.sanction {
            let pts = p
                .sanction_points
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(0.0, |(_, v)| *v);
            lines.push(PointsLine {
                source: "sanction",
                item: format!("{} {}", s.from.year(), kind.zh()),
                points: pts,
            });
        }
    }
    if let Some(since) = rec.rank_since {
        let years = dossier_domain::dates::years_between(since, on);
        if years > 0 {
            lines.push(PointsLine {
                source: "seniority",
                item: format!("任现职级 {years} 年"),
                points: f64::from(years) * p.seniority_points_per_year,
            });
        }
    }
    let total = lines.iter().map(|l| l.points).sum();
    PointsView { total, lines }
}
