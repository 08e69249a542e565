//! 培训学时: the hour requirement that applies to a cadre's level (乡科级 and below a year, 县处级 and above a window of years), and the make-up (补学) a promotion before meeting it owes.
//!
//! # The requirement (干部教育培训工作条例 2023, values from `TrainingPolicy`)
//!
//! - **乡科级** leaders and 一级主任科员 or below: `township_hours_per_year` (default 90) in each
//!   calendar year.
//! - **县处级** leaders and 四级调研员 or above: `county_hours_per_window` (default 550) over the
//!   `county_window_years` (default 5) calendar years ending with the year looked at.
//!
//! A cadre is 县处级 when their rank or their leadership level is.
//!
//! # The make-up
//!
//! A promotion (职级晋升) looks at the requirement of the level the cadre is promoted *from*,
//! over the last full period before the promotion (乡科级: the previous year; 县处级: the window
//! ending with the previous year). Short of it, the promotion owes the missing hours, to be
//! credited after the promotion and by the promotion date plus `makeup_months` (default 12).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{
    dates,
    policy::TrainingPolicy,
    types::{LeadershipLevel, Rank},
};

/// Is a cadre at this rank and leadership level held to the 县处级 requirement.
pub fn county_level(rank: Option<Rank>, level: Option<LeadershipLevel>) -> bool {
    rank.is_some_and(Rank::is_county_level) || level.is_some_and(LeadershipLevel::is_county_level)
}

/// The requirement for one period and the hours credited in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Requirement {
    /// 县处级 (a window of years) or 乡科级 (one year).
    pub county: bool,
    /// The period's first and last calendar year.
    pub from_year: i32,
    pub to_year: i32,
    pub required: f64,
    pub credited: f64,
}

impl Requirement {
    pub fn met(&self) -> bool {
        self.credited + 1e-6 >= self.required
    }

    /// Hours missing (0 when met).
    pub fn short(&self) -> f64 {
        (self.required - self.credited).max(0.0)
    }

    /// The period in words: "2024 年" or "2020—2024 年".
    pub fn span(&self) -> String {
        if self.from_year == self.to_year {
            format!("{} 年", self.to_year)
        } else {
            format!("{}—{} 年", self.from_year, self.to_year)
        }
    }
}

/// The requirement of the period ending with `year` for a cadre of the given level, with the
/// hours credited in it (`hours` by calendar year).
pub fn requirement(
    county: bool,
    year: i32,
    hours: impl IntoIterator<Item = (i32, f64)>,
    policy: &TrainingPolicy,
) -> Requirement {
    let (from_year, required) = if county {
        (
            year - policy.county_window_years.max(1) as i32 + 1,
            policy.county_hours_per_window,
        )
    } else {
        (year, policy.township_hours_per_year)
    };
    // Folded from +0.0: `f64`'s `sum` of no hours is -0.0, which messages would print as "-0.0".
    let credited = hours
        .into_iter()
        .filter(|(y, _)| *y >= from_year && *y <= year)
        .fold(0.0, |total, (_, h)| total + h);
    Requirement {
        county,
        from_year,
        to_year: year,
        required,
        credited,
    }
}

/// Hours a promotion owes, to be made up by a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Makeup {
    /// The requirement the cadre had not met when promoted.
    pub requirement: Requirement,
    pub owed: f64,
    pub due_on: NaiveDate,
    /// Sessions on or after the promotion date already credited when it was recorded (a
    /// promotion recorded after them), by date: their hours count toward the make-up from
    /// their own dates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credited_since: Vec<(NaiveDate, f64)>,
}

/// The make-up a promotion on `on` owes, if the requirement of the level promoted from was not
/// met over the last full period (see the module's doc); `credited_since` is the sessions on or
/// after `on` already credited (date, hours).
pub fn makeup_on_promotion(
    rank: Option<Rank>,
    level: Option<LeadershipLevel>,
    on: NaiveDate,
    hours: impl IntoIterator<Item = (i32, f64)>,
    credited_since: Vec<(NaiveDate, f64)>,
    policy: &TrainingPolicy,
) -> Option<Makeup> {
    let r = requirement(county_level(rank, level), on.year() - 1, hours, policy);
    if r.met() {
        return None;
    }
    Some(Makeup {
        owed: (r.short() * 10.0).round() / 10.0,
        requirement: r,
        due_on: dates::add_months(on, policy.makeup_months),
        credited_since: credited_since
            .into_iter()
            .filter(|(day, hours)| *day >= on && *hours > 0.0)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn no_hours_credit_a_positive_zero() {
        let t = Policy::national_default().training;
        let req = requirement(false, 2025, [(2023, 40.0)], &t);
        assert!(req.credited == 0.0 && req.credited.is_sign_positive());
        assert_eq!(format!("{:.1}", req.credited), "0.0");
    }

    #[test]
    fn county_level_by_rank_or_leadership_level() {
        assert!(!county_level(Some(Rank::PrincipalClerk1), None));
        assert!(county_level(Some(Rank::Researcher4), None));
        assert!(county_level(
            Some(Rank::PrincipalClerk1),
            Some(LeadershipLevel::CountyDeputy)
        ));
    }

    #[test]
    fn the_window_sums_five_years_for_county_level() {
        let t = Policy::national_default().training;
        let hours = [(2019, 500.0), (2020, 100.0), (2022, 200.0), (2024, 240.0)];
        let r = requirement(true, 2024, hours, &t);
        assert_eq!((r.from_year, r.credited, r.required), (2020, 540.0, 550.0));
        assert!(!r.met());
        assert_eq!(r.span(), "2020—2024 年");
        let r = requirement(false, 2024, hours, &t);
        assert!(r.met());
        assert_eq!(r.span(), "2024 年");
    }

    #[test]
    fn a_promotion_short_of_the_hours_owes_them_within_the_makeup_period() {
        let t = Policy::national_default().training;
        let m = makeup_on_promotion(
            Some(Rank::PrincipalClerk4),
            None,
            d(2025, 7, 1),
            [(2024, 60.0), (2025, 40.0)],
            vec![(d(2025, 6, 30), 8.0), (d(2025, 7, 2), 12.0)],
            &t,
        )
        .expect("owed");
        assert_eq!((m.owed, m.due_on), (30.0, d(2026, 7, 1)));
        assert_eq!(
            m.credited_since,
            [(d(2025, 7, 2), 12.0)],
            "sessions already credited since the promotion date count toward it"
        );
        assert!(
            makeup_on_promotion(
                Some(Rank::PrincipalClerk4),
                None,
                d(2025, 7, 1),
                [(2024, 90.0)],
                Vec::new(),
                &t
            )
            .is_none()
        );
    }
}
