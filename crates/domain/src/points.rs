//! 职级晋升积分: a cadre's promotion points with their breakdown, from the policy in force.
//!
//! # The computation (all weights from `PointsPolicy`)
//!
//! - **Counted years**: the last `counted_years` completed calendar years before the date
//!   (on 2025-06-30 with 5: 2020–2024).
//! - **Grades**: `grade_points` for each counted year's grade (不定等次 and missing years: 0).
//! - **Awards**: `award_points` by award kind for each award whose year is counted.
//! - **Sanctions**: `sanction_points` (negative) for each sanction imposed in a counted year.
//! - **Seniority**: `seniority_points_per_year` × whole years in the current rank.
//! - **Front line**: for a cadre working in a front-line field, the results (grades + awards)
//!   are multiplied by the field's multiplier; the extra appears as its own line.
//! - **Total** = results × multiplier + sanctions + seniority, rounded to two decimals.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{
    cadre::State,
    dates,
    policy::PointsPolicy,
    types::{AwardKind, FrontLineField, Grade, SanctionKind},
};

/// What a line of the breakdown is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointsCategory {
    Grade,
    Award,
    Sanction,
    Seniority,
    FrontLine,
}

/// One line of the breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointsItem {
    pub category: PointsCategory,
    /// Chinese description, e.g. "2023 年度考核优秀".
    pub label: String,
    pub year: Option<i32>,
    pub points: f64,
}

/// A cadre's points on a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Points {
    pub total: f64,
    pub items: Vec<PointsItem>,
    /// The counted years, oldest first.
    pub years: Vec<i32>,
    pub field: Option<FrontLineField>,
    pub multiplier: f64,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// What the points rule reads of a cadre: a cadre's folded `State`, or any compact record
/// that holds the same facts (read models implement it so that a ranking of thousands of
/// cadres builds no `State`).
pub trait PointsFacts {
    /// The grades of the years `first..=last`, oldest first, one per year (`None`: 不定等次).
    fn grades_in(&self, first: i32, last: i32) -> impl Iterator<Item = (i32, Option<Grade>)>;
    /// Every award: its year and kind, in the order recorded.
    fn awards(&self) -> impl Iterator<Item = (i32, AwardKind)>;
    /// Every sanction: the date imposed and its kind, in the order recorded.
    fn sanctions(&self) -> impl Iterator<Item = (NaiveDate, SanctionKind)>;
    /// Since when the cadre holds the current rank.
    fn rank_since(&self) -> Option<NaiveDate>;
}

impl PointsFacts for State {
    fn grades_in(&self, first: i32, last: i32) -> impl Iterator<Item = (i32, Option<Grade>)> {
        self.grades.range(first..=last).map(|(y, g)| (*y, *g))
    }
    fn awards(&self) -> impl Iterator<Item = (i32, AwardKind)> {
        self.awards.iter().map(|a| (a.year, a.kind))
    }
    fn sanctions(&self) -> impl Iterator<Item = (NaiveDate, SanctionKind)> {
        self.sanctions.iter().map(|s| (s.imposed_on, s.kind))
    }
    fn rank_since(&self) -> Option<NaiveDate> {
        self.rank_since
    }
}

/// Compute the points of the cadre in `state` on `on`, working in `field` (if front-line).
pub fn compute(
    state: &impl PointsFacts,
    on: NaiveDate,
    field: Option<FrontLineField>,
    policy: &PointsPolicy,
) -> Points {
    let mut items = Vec::new();
    let (total, multiplier) = breakdown(state, on, field, policy, &mut |item: Line<'_>| {
        items.push(PointsItem {
            category: item.category,
            label: (item.label)(),
            year: item.year,
            points: item.points,
        });
    });
    let last = on.year() - 1;
    Points {
        total,
        items,
        years: (last - policy.counted_years as i32 + 1..=last).collect(),
        field,
        multiplier,
    }
}

/// The total alone of [`compute`] (no line, label or list is built): what a ranking of
/// thousands of cadres needs.
pub fn total(
    state: &impl PointsFacts,
    on: NaiveDate,
    field: Option<FrontLineField>,
    policy: &PointsPolicy,
) -> f64 {
    breakdown(state, on, field, policy, &mut |_| {}).0
}

/// One line of the breakdown as the rule states it; its label is written only when asked.
struct Line<'a> {
    category: PointsCategory,
    label: &'a dyn Fn() -> String,
    year: Option<i32>,
    points: f64,
}

/// The rule itself: every line, in order, to `line`; returns the total and the multiplier.
fn breakdown(
    state: &impl PointsFacts,
    on: NaiveDate,
    field: Option<FrontLineField>,
    policy: &PointsPolicy,
    line: &mut dyn FnMut(Line<'_>),
) -> (f64, f64) {
    let last = on.year() - 1;
    let first = last - policy.counted_years as i32 + 1;
    let counted = |y: i32| y >= first && y <= last;
    // The total adds the lines in the order they are listed.
    let mut total = 0.0;
    let mut emit = |category, label: &dyn Fn() -> String, year, points: f64| {
        total += points;
        line(Line {
            category,
            label,
            year,
            points,
        });
    };
    let mut results = 0.0;
    for (year, grade) in state.grades_in(first, last) {
        let points = grade
            .and_then(|g| {
                policy
                    .grade_points
                    .iter()
                    .find(|(k, _)| *k == g)
                    .map(|(_, p)| *p)
            })
            .unwrap_or(0.0);
        results += points;
        emit(
            PointsCategory::Grade,
            &|| format!("{year} 年度考核{}", grade.map_or("不定等次", |g| g.zh())),
            Some(year),
            points,
        );
    }
    for (year, kind) in state.awards().filter(|(y, _)| counted(*y)) {
        let points = policy
            .award_points
            .iter()
            .find(|(k, _)| k == kind.code())
            .map_or(0.0, |(_, p)| *p);
        results += points;
        emit(
            PointsCategory::Award,
            &|| format!("{year} 年{}", kind.zh()),
            Some(year),
            points,
        );
    }
    let multiplier = field
        .and_then(|f| {
            policy
                .front_line_multiplier
                .iter()
                .find(|(k, _)| *k == f)
                .map(|(_, m)| *m)
        })
        .unwrap_or(1.0);
    if let Some(f) = field.filter(|_| multiplier != 1.0) {
        emit(
            PointsCategory::FrontLine,
            &|| format!("一线领域 ({}) 加权 ×{multiplier}", f.zh()),
            None,
            round2(results * (multiplier - 1.0)),
        );
    }
    for (imposed_on, kind) in state.sanctions().filter(|(d, _)| counted(d.year())) {
        let points = policy
            .sanction_points
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0.0, |(_, p)| *p);
        emit(
            PointsCategory::Sanction,
            &|| format!("{} 年{}处分", imposed_on.year(), kind.zh()),
            Some(imposed_on.year()),
            points,
        );
    }
    if let Some(since) = state.rank_since() {
        let years_in_rank = dates::years_between(since, on);
        if years_in_rank > 0 {
            emit(
                PointsCategory::Seniority,
                &|| format!("任现职级 {years_in_rank} 年"),
                None,
                round2(f64::from(years_in_rank) * policy.seniority_points_per_year),
            );
        }
    }
    (round2(total), multiplier)
}

/// One line of a points ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    /// 1-based place; equal totals share a place (1, 2, 2, 4 …).
    pub place: u32,
    pub cadre_id: String,
    pub name: String,
    pub points: Points,
}

/// Rank candidates (each with their front-line field, if any) by points on `on`, highest
/// first; equal totals share a place and are listed by cadre id.
pub fn ranking<'s>(
    candidates: impl IntoIterator<Item = (&'s State, Option<FrontLineField>)>,
    on: NaiveDate,
    policy: &PointsPolicy,
) -> Vec<Ranked> {
    let mut rows: Vec<Ranked> = candidates
        .into_iter()
        .map(|(state, field)| Ranked {
            place: 0,
            cadre_id: state.cadre_id.clone(),
            name: state.name.clone(),
            points: compute(state, on, field, policy),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.points
            .total
            .total_cmp(&a.points.total)
            .then_with(|| a.cadre_id.cmp(&b.cadre_id))
    });
    let mut previous: Option<(f64, u32)> = None;
    for (i, row) in rows.iter_mut().enumerate() {
        let place = match previous {
            Some((total, place)) if total == row.points.total => place,
            _ => i as u32 + 1,
        };
        row.place = place;
        previous = Some((row.points.total, place));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        cadre::{AwardRecord, SanctionRecord},
        policy::Policy,
        types::{AwardKind, Grade, Rank, SanctionKind},
    };

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cadre() -> State {
        let mut s = State {
            rank: Some(Rank::PrincipalClerk2),
            rank_since: Some(d(2021, 3, 1)),
            ..State::default()
        };
        s.grades.insert(2019, Some(Grade::Excellent)); // outside the window
        s.grades.insert(2022, Some(Grade::Excellent));
        s.grades.insert(2023, Some(Grade::Competent));
        s.grades.insert(2024, None);
        s.awards.push(AwardRecord {
            award_id: "2022-commendation".into(),
            kind: AwardKind::Commendation,
            year: 2022,
            granted_on: d(2023, 1, 20),
        });
        s.awards.push(AwardRecord {
            award_id: "steed-1".into(),
            kind: AwardKind::Steed,
            year: 2024,
            granted_on: d(2024, 12, 1),
        });
        s.sanctions.push(SanctionRecord {
            sanction_id: "s1".into(),
            kind: SanctionKind::Warning,
            imposed_on: d(2023, 5, 1),
            effect_until: d(2023, 11, 1),
        });
        s
    }

    #[test]
    fn points_sum_grades_awards_sanctions_and_seniority() {
        let p = compute(
            &cadre(),
            d(2025, 6, 30),
            None,
            &Policy::national_default().points,
        );
        // Grades 10 + 6 + 0, awards 3 + 8, warning −3, seniority 4 years × 1.
        assert_eq!(p.total, 28.0);
        assert_eq!(p.years, vec![2020, 2021, 2022, 2023, 2024]);
        assert!(
            p.items
                .iter()
                .any(|i| i.label == "2024 年度考核不定等次" && i.points == 0.0)
        );
        assert!(!p.items.iter().any(|i| i.year == Some(2019)));
    }

    #[test]
    fn the_total_alone_is_the_breakdowns_total_and_only_the_breakdown_has_labels() {
        let policy = Policy::national_default().points;
        for on in [d(2024, 1, 1), d(2025, 6, 30), d(2027, 3, 1)] {
            for field in [None, Some(FrontLineField::ProjectConstruction)] {
                let p = compute(&cadre(), on, field, &policy);
                assert_eq!(
                    total(&cadre(), on, field, &policy),
                    p.total,
                    "{on} {field:?}"
                );
                assert!(p.items.iter().all(|i| !i.label.is_empty()), "{p:?}");
            }
        }
    }

    #[test]
    fn points_ranking_shares_places_on_equal_totals() {
        let policy = Policy::national_default().points;
        let mut a = cadre();
        a.cadre_id = "a".into();
        let mut b = cadre();
        b.cadre_id = "b".into();
        let mut c = State {
            cadre_id: "c".into(),
            ..State::default()
        };
        c.grades.insert(2024, Some(Grade::Competent));
        let rows = ranking(
            [
                (&c, None),
                (&b, None),
                (&a, Some(FrontLineField::SocialGovernance)),
            ],
            d(2025, 6, 30),
            &policy,
        );
        let order: Vec<_> = rows
            .iter()
            .map(|r| (r.place, r.cadre_id.as_str()))
            .collect();
        assert_eq!(order, [(1, "a"), (2, "b"), (3, "c")]);
        let rows = ranking(
            [(&b, None), (&a, None), (&c, None)],
            d(2025, 6, 30),
            &policy,
        );
        let order: Vec<_> = rows
            .iter()
            .map(|r| (r.place, r.cadre_id.as_str()))
            .collect();
        assert_eq!(order, [(1, "a"), (1, "b"), (3, "c")]);
    }

    #[test]
    fn points_front_line_multiplier_weighs_results_only() {
        let p = compute(
            &cadre(),
            d(2025, 6, 30),
            Some(FrontLineField::InvestmentAndTalent),
            &Policy::national_default().points,
        );
        // Results 27 × 1.5 = 40.5; −3; +4.
        assert_eq!(p.total, 41.5);
        let extra = p
            .items
            .iter()
            .find(|i| i.category == PointsCategory::FrontLine)
            .unwrap();
        assert_eq!(extra.points, 13.5);
    }
}
