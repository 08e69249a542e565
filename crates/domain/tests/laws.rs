//! Laws that hold for all inputs: ID check digits, date arithmetic, the promotion computation, the policy book.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use dossier_domain::{
    Aggregate as _, Policy, PolicyBook,
    cadre::Aggregate as Cadre,
    dates, idcard,
    policy_stream::{Event as PolicyEvent, Published},
    promotion,
    types::{Grade, Rank},
};
use proptest::prelude::*;

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..20_000)
        .prop_map(|days| NaiveDate::from_ymd_opt(1960, 1, 1).unwrap() + Duration::days(days))
}

fn grade() -> impl Strategy<Value = Option<Grade>> {
    prop_oneof![
        Just(None),
        Just(Some(Grade::Excellent)),
        Just(Some(Grade::Competent)),
        Just(Some(Grade::BasicallyCompetent)),
        Just(Some(Grade::Incompetent)),
    ]
}

proptest! {
    #[test]
    fn id_number_accepts_exactly_its_check_digit(region in 110000u32..=820000, birth in date(), seq in 0u32..1000, wrong in 0usize..11) {
        let first17 = format!("{region:06}{}{seq:03}", birth.format("%Y%m%d"));
        let check = idcard::check_digit(&first17).unwrap();
        let id = idcard::parse(&format!("{first17}{check}")).unwrap();
        prop_assert_eq!(id.birth_date, birth);
        let other = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'][wrong];
        if other != check {
            prop_assert_eq!(idcard::parse(&format!("{first17}{other}")).unwrap_err().code(), "ID_NUMBER_CHECK_DIGIT");
        }
    }

    #[test]
    fn working_days_match_a_day_by_day_count(from in date(), len in 0i64..400) {
        let to = from + Duration::days(len);
        let naive = (0..=len)
            .map(|i| from + Duration::days(i))
            .filter(|d| !matches!(chrono::Datelike::weekday(d), chrono::Weekday::Sat | chrono::Weekday::Sun))
            .count() as u32;
        prop_assert_eq!(dates::working_days(from, to), naive);
    }

    #[test]
    fn months_between_inverts_add_months(from in date(), n in 0u32..400) {
        prop_assert_eq!(dates::months_between(from, dates::add_months(from, n)), n);
        prop_assert!(dates::months_between(from, dates::add_months(from, n) - Duration::days(1)) <= n);
    }

    #[test]
    fn promotion_grades_only_ever_help_when_better(
        start_year in 2015i32..2022,
        grades in proptest::collection::vec(grade(), 6),
        which in 0usize..6,
        on_offset in 0i64..2000,
    ) {
        let start = NaiveDate::from_ymd_opt(start_year, 3, 1).unwrap();
        let on = start + Duration::days(on_offset);
        let events = |gs: &[Option<Grade>]| {
            let mut e = vec![registered("c1", Rank::PrincipalClerk4, start)];
            e.extend(gs.iter().enumerate().map(|(i, g)| grade_event(start_year + i as i32, *g)));
            e
        };
        let policy = Policy::national_default();
        let base = promotion::eligibility(&Cadre::fold(&events(&grades)), Rank::PrincipalClerk3, on, &policy.promotion).unwrap();
        prop_assert!(base.counted_months <= base.served_months);
        prop_assert!(base.required_months <= base.step.min_months);
        // Raising one year to 优秀 never makes the promotion further away.
        let mut better = grades.clone();
        better[which] = Some(Grade::Excellent);
        let b = promotion::eligibility(&Cadre::fold(&events(&better)), Rank::PrincipalClerk3, on, &policy.promotion).unwrap();
        prop_assert!(b.months_missing() <= base.months_missing());
        // Lowering one year to 基本称职 never brings it closer.
        let mut worse = grades.clone();
        worse[which] = Some(Grade::BasicallyCompetent);
        let w = promotion::eligibility(&Cadre::fold(&events(&worse)), Rank::PrincipalClerk3, on, &policy.promotion).unwrap();
        prop_assert!(w.months_missing() >= base.months_missing());
    }

    #[test]
    fn policy_book_answers_with_the_latest_version_in_force(
        offsets in proptest::collection::vec(0i64..400, 1..6),
        probe in 0i64..3000,
    ) {
        let mut effective = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let mut events = Vec::new();
        for (i, off) in offsets.iter().enumerate() {
            effective += Duration::days(*off);
            let mut policy = Policy::national_default();
            policy.quota.front_line_per_year = 10 + i as u32;
            events.push(PolicyEvent::Published(Published {
                book: "district".into(),
                version: i as u32 + 1,
                title: format!("v{}", i + 1),
                effective_from: effective,
                basis: "b".into(),
                published_on: effective,
                policy,
            }));
        }
        let book = PolicyBook::from_events(&events);
        let on = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() - Duration::days(30) + Duration::days(probe);
        let expected = events
            .iter()
            .rev()
            .find_map(|PolicyEvent::Published(p)| (p.effective_from <= on).then_some(p.policy.quota.front_line_per_year))
            .unwrap_or(20);
        prop_assert_eq!(book.in_force(on).quota.front_line_per_year, expected);
    }
}

fn grade_event(year: i32, g: Option<Grade>) -> dossier_domain::cadre::Event {
    common::grade("c1", year, g)
}
