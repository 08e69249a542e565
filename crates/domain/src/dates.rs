//! Date arithmetic the rules share: whole months between dates, adding months, counting working days.

use chrono::{Datelike, Months, NaiveDate, Weekday};

/// `date` plus `months` calendar months (the 31st becomes the month's last day).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Whole months from `from` to `to`: the largest `n` with `add_months(from, n) <= to`
/// (0 when `to` is before `from`).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let rough = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    let mut n = u32::try_from(rough.max(0)).unwrap_or(0);
    while n > 0 && add_months(from, n) > to {
        n -= 1;
    }
    n
}

/// Whole years from `from` to `to` (full months / 12).
pub fn years_between(from: NaiveDate, to: NaiveDate) -> u32 {
    months_between(from, to) / 12
}

/// Working days (Monday to Friday) from `from` to `to`, both included; 0 when `to` is before `from`.
pub fn working_days(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    let days = (to - from).num_days() + 1;
    let full_weeks = days / 7;
    let mut count = full_weeks * 5;
    let mut d = from + chrono::Duration::days(full_weeks * 7);
    while d <= to {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            count += 1;
        }
        d = d.succ_opt().unwrap_or(NaiveDate::MAX);
        if d == NaiveDate::MAX {
            break;
        }
    }
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// Months as years for messages: `18` → `"1.5"`, `24` → `"2"`, `20` → `"1.6"` (rounded down to one decimal,
/// so a refusal never shows the requirement as met).
pub fn years_label(months: u32) -> String {
    let tenths = months * 10 / 12;
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// First day of `year`.
pub fn year_start(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Last day of `year`.
pub fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn whole_months_ignore_an_unfinished_month() {
        assert_eq!(months_between(d(2023, 1, 15), d(2025, 1, 14)), 23);
        assert_eq!(months_between(d(2023, 1, 15), d(2025, 1, 15)), 24);
        assert_eq!(months_between(d(2023, 1, 31), d(2023, 2, 28)), 1);
        assert_eq!(months_between(d(2025, 1, 1), d(2024, 1, 1)), 0);
    }

    #[test]
    fn working_days_exclude_weekends() {
        // 2025-06-02 is a Monday.
        assert_eq!(working_days(d(2025, 6, 2), d(2025, 6, 6)), 5);
        assert_eq!(working_days(d(2025, 6, 2), d(2025, 6, 8)), 5);
        assert_eq!(working_days(d(2025, 6, 4), d(2025, 6, 10)), 5);
        assert_eq!(working_days(d(2025, 6, 4), d(2025, 6, 9)), 4);
        assert_eq!(working_days(d(2025, 6, 2), d(2025, 6, 29)), 20);
        assert_eq!(working_days(d(2025, 6, 9), d(2025, 6, 2)), 0);
    }

    #[test]
    fn years_label_never_rounds_up() {
        assert_eq!(years_label(18), "1.5");
        assert_eq!(years_label(24), "2");
        assert_eq!(years_label(23), "1.9");
        assert_eq!(years_label(6), "0.5");
    }
}
