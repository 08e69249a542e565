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
//!
//! # Exact hours
//!
//! Hours are recorded to the hundredth of an hour (`HOURS_PRECISION` refuses more decimals) and
//! summed and compared as whole hundredths ([`hundredths`]): 45.1 + 33.3 + 11.6 hours are 90
//! hours, which meet a requirement of 90, wherever the sum is made.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{
    dates,
    error::DomainError,
    policy::TrainingPolicy,
    types::{LeadershipLevel, Rank},
};

/// Hours as whole hundredths of an hour, the precision hours are recorded to (rounded to the
/// nearest: a binary fraction such as 33.3 is 3330 hundredths).
pub fn hundredths(hours: f64) -> i64 {
    (hours * 100.0).round() as i64
}

/// Hundredths of an hour back as hours (the nearest `f64`: 8999 is 89.99).
pub fn from_hundredths(hundredths: i64) -> f64 {
    hundredths as f64 / 100.0
}

/// The sum of some hours, made in whole hundredths (exact, from +0.0).
pub fn sum(hours: impl IntoIterator<Item = f64>) -> f64 {
    from_hundredths(hours.into_iter().map(hundredths).sum())
}

/// Hours as a message shows them: one decimal, two when the hundredths need them ("90.0",
/// "89.99", "0.0"), so that a figure short of a requirement never reads as the requirement.
pub fn show(hours: f64) -> String {
    let h = hundredths(hours);
    if h % 10 == 0 {
        format!("{:.1}", from_hundredths(h))
    } else {
        format!("{:.2}", from_hundredths(h))
    }
}

/// `HOURS_PRECISION` unless `hours` is a whole number of hundredths of an hour (at most two
/// decimals): hours are summed and compared to the requirement exactly, in hundredths.
pub fn check_precision(hours: f64, field: &str) -> Result<(), DomainError> {
    let scaled = hours * 100.0;
    if hours.is_finite() && (scaled - scaled.round()).abs() > 1e-6 {
        return Err(DomainError::invalid(
            "HOURS_PRECISION",
            format!("「{field}」{hours} 学时超出精度: 学时最多保留两位小数 (0.01 学时)"),
        ));
    }
    Ok(())
}

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
    /// The hours credited reach the requirement (compared in whole hundredths).
    pub fn met(&self) -> bool {
        hundredths(self.credited) >= hundredths(self.required)
    }

    /// Hours missing (0 when met), exact to the hundredth.
    pub fn short(&self) -> f64 {
        from_hundredths((hundredths(self.required) - hundredths(self.credited)).max(0))
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
    // Summed in whole hundredths (exact; no hours are +0.0, never the -0.0 messages would
    // print as "-0.0").
    let credited = sum(hours
        .into_iter()
        .filter(|(y, _)| *y >= from_year && *y <= year)
        .map(|(_, h)| h));
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
        owed: r.short(),
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
    fn hours_are_summed_and_compared_in_whole_hundredths() {
        let t = Policy::national_default().training;
        // In `f32` these made 89.99999237060547, short of 90; in `f64`, 89.99999999999999.
        let r = requirement(false, 2026, [(2026, 45.1), (2026, 33.3), (2026, 11.6)], &t);
        assert_eq!(r.credited, 90.0);
        assert!(r.met());
        assert_eq!(r.short(), 0.0);
        let r = requirement(false, 2026, [(2026, 45.1), (2026, 44.89)], &t);
        assert!(!r.met());
        assert_eq!((r.credited, r.short()), (89.99, 0.01));
        assert_eq!(show(r.credited), "89.99", "never shown as the requirement");
        assert_eq!(
            (show(90.0), show(8.0), show(0.0)),
            ("90.0".into(), "8.0".into(), "0.0".into())
        );
        assert_eq!(sum([0.1, 0.2]), 0.3);
    }

    #[test]
    fn hours_are_recorded_to_the_hundredth() {
        for ok in [8.0, 8.5, 33.3, 8.01, 10_000.0] {
            assert!(check_precision(ok, "学时").is_ok(), "{ok}");
        }
        let e = check_precision(8.001, "本次学时").expect_err("three decimals");
        assert_eq!(e.code(), "HOURS_PRECISION");
        assert!(e.message().contains("8.001"), "{e}");
    }

    #[test]
    fn a_promotion_a_hundredth_short_owes_that_hundredth() {
        let t = Policy::national_default().training;
        let m = makeup_on_promotion(
            Some(Rank::PrincipalClerk4),
            None,
            d(2025, 7, 1),
            [(2024, 89.96)],
            Vec::new(),
            &t,
        )
        .expect("owed");
        assert_eq!(m.owed, 0.04);
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
