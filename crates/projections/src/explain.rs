//! The figures behind a promotion candidate's answer: the time counted toward the rank year by year (which years counted, which
//! 优秀 shortened it, which did not count and why) and the training hours against the requirement.

use chrono::{Datelike, NaiveDate};
use dossier_domain::{
    cadre::State,
    dates,
    policy::Policy,
    promotion::Eligibility,
    types::{Grade, LeadershipLevel, Rank},
};
use serde::Serialize;

use crate::profile::ProfileRec;

/// One calendar year of the counted period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearCounted {
    pub year: i32,
    /// Months of the period in the year.
    pub months: u32,
    /// The annual grade: `None` not graded yet, `Some(None)` 不定等次.
    pub grade: Option<Option<Grade>>,
    /// The months count toward the minimum.
    pub counted: bool,
    /// The year's 优秀 shortened the minimum.
    pub shortened: bool,
    /// The months a year's 优秀 takes off the minimum under the policy applied.
    pub reduction_months: u32,
}

impl YearCounted {
    /// Why the year counts as it does, in Chinese (written when asked: a list of thousands of
    /// candidates shows the notes of one page).
    pub fn note_zh(&self) -> String {
        let (year, months) = (self.year, self.months);
        if !self.counted {
            format!(
                "{year} 年度{}, 该年 {months} 个月不计算",
                grade_zh(self.grade)
            )
        } else if self.shortened {
            format!(
                "{year} 年度优秀, 计算 {months} 个月, 并缩短年限 {} 个月",
                self.reduction_months
            )
        } else if self.grade == Some(Some(Grade::Excellent)) {
            format!("{year} 年度优秀, 计算 {months} 个月 (在现职级不足 6 个月, 不缩短年限)")
        } else if self.grade.is_none() {
            format!("{year} 年度尚未确定等次, 暂计算 {months} 个月")
        } else {
            format!("{year} 年度{}, 计算 {months} 个月", grade_zh(self.grade))
        }
    }
}

/// The time counted toward the target rank on the date asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeCounted {
    /// The rank (or equivalent level) the period is counted from, and since when.
    pub from: &'static str,
    pub start: NaiveDate,
    pub served_months: u32,
    pub counted_months: u32,
    /// The policy's minimum before any 优秀 credit.
    pub minimum_months: u32,
    pub credit_months: u32,
    pub required_months: u32,
    pub years: Vec<YearCounted>,
}

/// Training hours against the requirement of the cadre's level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingHours {
    /// `township` (乡科级 leaders, 一级主任科员 and below: hours a year) or `county` (县处级,
    /// 四级调研员 and above: hours per window).
    pub level: &'static str,
    /// The full calendar years the requirement is measured over (the last before the date asked;
    /// the window's years for `county`).
    pub from_year: i32,
    pub to_year: i32,
    /// Hours credited in each year of the window, in order (zero included).
    pub years: Vec<(i32, f64)>,
    pub hours: f64,
    pub required: f64,
    pub met: bool,
    /// When not met: a cadre promoted on the date asked must make the hours up by then.
    pub make_up_by: Option<NaiveDate>,
}

fn grade_zh(grade: Option<Option<Grade>>) -> &'static str {
    match grade {
        None => "尚未确定等次",
        Some(None) => "不定等次",
        Some(Some(g)) => g.zh(),
    }
}

/// Explain `e` (computed by `promotion::obstacles` for `state` on the date asked).
pub fn time_counted(state: &State, e: &Eligibility, policy: &Policy) -> TimeCounted {
    let reduction = policy.promotion.excellent_reduction_months;
    let years = e
        .years
        .iter()
        .map(|&(year, months)| {
            let grade = state.grades.get(&year).copied();
            let excluded = e.excluded_years.iter().any(|(y, _, _)| *y == year);
            let shortened = e.excellent_years.contains(&year);
            YearCounted {
                year,
                months,
                grade,
                counted: !excluded,
                shortened,
                reduction_months: reduction,
            }
        })
        .collect();
    let from = if state.rank == Some(e.step.from) && state.rank_since == Some(e.start) {
        e.step.from.zh()
    } else {
        e.step
            .equivalent
            .map_or_else(|| e.step.from.zh(), LeadershipLevel::zh)
    };
    TimeCounted {
        from,
        start: e.start,
        served_months: e.served_months,
        counted_months: e.counted_months,
        minimum_months: e.step.min_months,
        credit_months: e.credit_months,
        required_months: e.required_months,
        years,
    }
}

/// Is a cadre of this rank or level held to the 县处级 requirement (hours per window)?
fn county(rank: Option<Rank>, level: Option<LeadershipLevel>) -> bool {
    rank.is_some_and(|r| r.is_county_level()) || level.is_some_and(|l| l.is_county_level())
}

/// The cadre's training hours on `on` against the requirement of the level held in the last
/// full year (the profile's [`ProfileRec::county_in`], as the profile and the
/// `training_hours_short` alert judge that year; the level now when no profile is known),
/// from the hours the profile credits by year.
pub fn training_hours(
    state: &State,
    rec: Option<&ProfileRec>,
    on: NaiveDate,
    policy: &Policy,
) -> TrainingHours {
    let t = &policy.training;
    let to_year = on.year() - 1;
    let is_county = rec.map_or_else(
        || county(state.rank, state.leadership_level),
        |r| r.county_in(i16::try_from(to_year).unwrap_or(i16::MAX)),
    );
    let (level, span, required) = if is_county {
        let span = t.county_window_years.max(1) as i32;
        ("county", span, t.county_hours_per_window)
    } else {
        ("township", 1, t.township_hours_per_year)
    };
    let from_year = to_year - span + 1;
    let credited = |year: i32| rec.map_or(0.0, |r| crate::profile_training::hours_in(r, year));
    let years: Vec<(i32, f64)> = (from_year..=to_year).map(|y| (y, credited(y))).collect();
    // Summed and compared in whole hundredths, as the profile and the alerts do.
    let hours = dossier_domain::training_hours::sum(years.iter().map(|(_, h)| *h));
    let met = dossier_domain::training_hours::hundredths(hours)
        >= dossier_domain::training_hours::hundredths(required);
    TrainingHours {
        level,
        from_year,
        to_year,
        years,
        hours,
        required,
        met,
        make_up_by: (!met).then(|| dates::add_months(on, t.makeup_months)),
    }
}

impl TimeCounted {
    /// The computation in one sentence, as a clerk would write it.
    pub fn summary_zh(&self) -> String {
        let excluded: u32 = self
            .years
            .iter()
            .filter(|y| !y.counted)
            .map(|y| y.months)
            .sum();
        let mut s = format!(
            "自 {} 任{}起满 {} 个月",
            self.start, self.from, self.served_months
        );
        if excluded > 0 {
            s.push_str(&format!(", 其中 {excluded} 个月不计算"));
        }
        s.push_str(&format!(
            ", 计算 {} 个月; 规定 {} 个月",
            self.counted_months, self.minimum_months
        ));
        if self.credit_months > 0 {
            s.push_str(&format!(
                ", 年度优秀缩短 {} 个月, 须满 {} 个月",
                self.credit_months, self.required_months
            ));
        }
        if self.counted_months >= self.required_months {
            s.push_str(", 已满足");
        } else {
            s.push_str(&format!(
                ", 尚差 {} 个月",
                self.required_months - self.counted_months
            ));
        }
        s
    }
}

impl TrainingHours {
    /// The comparison in one sentence.
    pub fn summary_zh(&self) -> String {
        let window = if self.from_year == self.to_year {
            format!("{} 年度", self.to_year)
        } else {
            format!("{}—{} 年", self.from_year, self.to_year)
        };
        use dossier_domain::training_hours::{from_hundredths, hundredths, show};
        let mut s = format!(
            "{window}参加培训 {} 学时, 须不少于 {:.0} 学时",
            show(self.hours),
            self.required
        );
        match self.make_up_by {
            None => s.push_str(", 已达到"),
            Some(by) => s.push_str(&format!(
                ", 尚差 {} 学时; 如晋升须于 {by} 前补足",
                show(from_hundredths(
                    hundredths(self.required) - hundredths(self.hours)
                ))
            )),
        }
        s
    }
}
