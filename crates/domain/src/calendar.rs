//! The working-day calendar (工作日历): weekends, published public holidays (法定节假日) and make-up working days (调休上班), counted for 公示 periods.
//!
//! The State Council publishes each year's holiday arrangement (国务院办公厅关于节假日安排的通知); a
//! district publishes the calendar with its policy (`Policy::calendar`), so a count made on a date
//! uses the calendar in force then. The default holds the national arrangements for 2024–2026 and the
//! statutory holidays of 2027 (its make-up days are added when that year's notice is published).

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// Public holidays and make-up working days; every other Saturday and Sunday is a rest day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayCalendar {
    /// Days off that would otherwise be working days (法定节假日 and the days joined to them).
    pub holidays: Vec<NaiveDate>,
    /// Saturdays and Sundays worked instead (调休上班).
    pub workdays: Vec<NaiveDate>,
}

impl Default for HolidayCalendar {
    fn default() -> Self {
        HolidayCalendar::national_default()
    }
}

fn days(list: &mut Vec<NaiveDate>, y: i32, m: u32, from: u32, to: u32) {
    list.extend((from..=to).filter_map(|d| NaiveDate::from_ymd_opt(y, m, d)));
}

impl HolidayCalendar {
    /// A calendar with weekends only.
    pub fn weekends_only() -> Self {
        HolidayCalendar {
            holidays: Vec::new(),
            workdays: Vec::new(),
        }
    }

    /// The national arrangements: 2024 (国办发明电〔2023〕7号), 2025 (国办发明电〔2024〕12号),
    /// 2026 (国办发明电〔2025〕7号) and the statutory holidays of 2027.
    pub fn national_default() -> Self {
        let mut h = Vec::new();
        let mut w = Vec::new();
        // 2024
        days(&mut h, 2024, 1, 1, 1);
        days(&mut h, 2024, 2, 10, 17);
        days(&mut w, 2024, 2, 4, 4);
        days(&mut w, 2024, 2, 18, 18);
        days(&mut h, 2024, 4, 4, 6);
        days(&mut w, 2024, 4, 7, 7);
        days(&mut h, 2024, 5, 1, 5);
        days(&mut w, 2024, 4, 28, 28);
        days(&mut w, 2024, 5, 11, 11);
        days(&mut h, 2024, 6, 10, 10);
        days(&mut h, 2024, 9, 15, 17);
        days(&mut w, 2024, 9, 14, 14);
        days(&mut h, 2024, 10, 1, 7);
        days(&mut w, 2024, 9, 29, 29);
        days(&mut w, 2024, 10, 12, 12);
        // 2025
        days(&mut h, 2025, 1, 1, 1);
        days(&mut h, 2025, 1, 28, 31);
        days(&mut h, 2025, 2, 1, 4);
        days(&mut w, 2025, 1, 26, 26);
        days(&mut w, 2025, 2, 8, 8);
        days(&mut h, 2025, 4, 4, 6);
        days(&mut h, 2025, 5, 1, 5);
        days(&mut w, 2025, 4, 27, 27);
        days(&mut h, 2025, 5, 31, 31);
        days(&mut h, 2025, 6, 1, 2);
        days(&mut h, 2025, 10, 1, 8);
        days(&mut w, 2025, 9, 28, 28);
        days(&mut w, 2025, 10, 11, 11);
        // 2026
        days(&mut h, 2026, 1, 1, 3);
        days(&mut w, 2026, 1, 4, 4);
        days(&mut h, 2026, 2, 15, 23);
        days(&mut w, 2026, 2, 14, 14);
        days(&mut w, 2026, 2, 28, 28);
        days(&mut h, 2026, 4, 4, 6);
        days(&mut h, 2026, 5, 1, 5);
        days(&mut w, 2026, 5, 9, 9);
        days(&mut h, 2026, 6, 19, 21);
        days(&mut h, 2026, 9, 25, 27);
        days(&mut h, 2026, 10, 1, 7);
        days(&mut w, 2026, 9, 20, 20);
        days(&mut w, 2026, 10, 10, 10);
        // 2027: statutory days (元旦, 春节 除夕至初三, 清明, 劳动节, 端午, 中秋, 国庆).
        days(&mut h, 2027, 1, 1, 1);
        days(&mut h, 2027, 2, 5, 8);
        days(&mut h, 2027, 4, 5, 5);
        days(&mut h, 2027, 5, 1, 2);
        days(&mut h, 2027, 6, 9, 9);
        days(&mut h, 2027, 9, 15, 15);
        days(&mut h, 2027, 10, 1, 3);
        h.sort_unstable();
        w.sort_unstable();
        HolidayCalendar {
            holidays: h,
            workdays: w,
        }
    }

    /// Is `day` a working day: a weekday that is not a holiday, or a make-up working day.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.workdays.contains(&day) {
            return true;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&day)
    }

    /// Working days from `from` to `to`, both included; 0 when `to` is before `from`.
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to < from {
            return 0;
        }
        let weekdays = crate::dates::working_days(from, to);
        let in_range = |d: &&NaiveDate| **d >= from && **d <= to;
        let off = self
            .holidays
            .iter()
            .filter(in_range)
            .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .count();
        let worked = self
            .workdays
            .iter()
            .filter(in_range)
            .filter(|d| matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .count();
        (weekdays as usize + worked).saturating_sub(off) as u32
    }

    /// The day on which a period starting on `from` has lasted `n` working days (`from` counts
    /// when it is a working day); `None` past the calendar's range of dates.
    pub fn nth_working_day(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n == 0 {
            return Some(from);
        }
        let mut day = from;
        let mut counted = 0;
        // Even the longest holiday leaves five working days in any three weeks.
        for _ in 0..(u64::from(n) * 7 + 21) {
            if self.is_working_day(day) {
                counted += 1;
                if counted == n {
                    return Some(day);
                }
            }
            day = day.succ_opt()?;
        }
        None
    }

    /// Check a calendar before it is published: no day both a holiday and a make-up working day,
    /// make-up days on weekends only, holidays on weekdays or weekends but listed once.
    pub fn validate(&self) -> Result<(), DomainError> {
        if let Some(both) = self.holidays.iter().find(|d| self.workdays.contains(d)) {
            return Err(DomainError::invalid(
                "CALENDAR_DAY_CONFLICT",
                format!("工作日历不正确: {both} 同时列为节假日和调休上班日"),
            ));
        }
        if let Some(weekday) = self
            .workdays
            .iter()
            .find(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        {
            return Err(DomainError::invalid(
                "CALENDAR_WORKDAY_NOT_WEEKEND",
                format!("工作日历不正确: 调休上班日 {weekday} 不是周六或周日"),
            ));
        }
        for list in [&self.holidays, &self.workdays] {
            for (i, d) in list.iter().enumerate() {
                if list[..i].contains(d) {
                    return Err(DomainError::invalid(
                        "DUPLICATE_ENTRY",
                        format!("工作日历中 {d} 重复出现"),
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn a_plain_week_has_five_working_days() {
        let c = HolidayCalendar::national_default();
        // 2025-06-09 is a Monday with no holiday that week.
        assert_eq!(c.working_days(d(2025, 6, 9), d(2025, 6, 15)), 5);
        assert_eq!(c.working_days(d(2025, 6, 15), d(2025, 6, 9)), 0);
    }

    #[test]
    fn national_day_is_off_and_the_make_up_saturday_is_worked() {
        let c = HolidayCalendar::national_default();
        // 2025-09-29 (Mon) .. 2025-10-12 (Sun): 09-28 Sun is before; 09-29, 09-30 worked,
        // 10-01..10-08 off, 10-09, 10-10 worked, 10-11 (Sat) worked, 10-12 off.
        assert_eq!(c.working_days(d(2025, 9, 29), d(2025, 10, 12)), 5);
        assert!(
            c.is_working_day(d(2025, 9, 28)),
            "Sunday 09-28 is a make-up day"
        );
        assert!(!c.is_working_day(d(2025, 10, 6)), "a Monday of the holiday");
        assert_eq!(
            HolidayCalendar::weekends_only().working_days(d(2025, 9, 29), d(2025, 10, 12)),
            10
        );
    }

    #[test]
    fn the_fifth_working_day_skips_the_spring_festival() {
        let c = HolidayCalendar::national_default();
        // A notice from Thursday 2026-02-12: 12, 13, 14 (make-up Saturday), then off to 02-23;
        // 24, 25 make five.
        assert_eq!(c.nth_working_day(d(2026, 2, 12), 5), Some(d(2026, 2, 25)));
        assert_eq!(c.working_days(d(2026, 2, 12), d(2026, 2, 25)), 5);
        assert_eq!(c.nth_working_day(d(2025, 6, 9), 1), Some(d(2025, 6, 9)));
    }

    #[test]
    fn the_default_calendar_is_consistent_and_a_bad_one_is_refused() {
        assert_eq!(HolidayCalendar::national_default().validate(), Ok(()));
        let mut c = HolidayCalendar::weekends_only();
        c.holidays.push(d(2025, 10, 11));
        c.workdays.push(d(2025, 10, 11));
        assert_eq!(
            c.validate().map_err(|e| e.code()),
            Err("CALENDAR_DAY_CONFLICT")
        );
        let mut c = HolidayCalendar::weekends_only();
        c.workdays.push(d(2025, 10, 10));
        assert_eq!(
            c.validate().map_err(|e| e.code()),
            Err("CALENDAR_WORKDAY_NOT_WEEKEND")
        );
    }
}
