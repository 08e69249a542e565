//! 职级晋升 obstacles: a refusal lists every failing rule with its values and the date time alone lifts it,
//! and the list agrees with the command for every history and date (property test).

mod common;

use chrono::{Days, NaiveDate};
use common::*;
use dossier_domain::{
    Actor, Aggregate as _, Context, DomainError, Policy, Role,
    cadre::{self, Aggregate as Cadre, Command, Event as E},
    dates::add_months,
    harness::given,
    promotion,
    types::{Grade, Rank, SanctionKind},
};
use proptest::prelude::*;

const C: &str = "c1";

fn promote(to: Rank) -> Command {
    Command::PromoteRank {
        cadre_id: C.into(),
        to,
        document_number: "姜组通〔2026〕8号".into(),
        approved_by: "区委组织部".into(),
        quota_year: None,
    }
}

fn sanction(id: &str, kind: SanctionKind, on: NaiveDate, months: u32) -> E {
    E::SanctionImposed(cadre::SanctionImposed {
        cadre_id: C.into(),
        sanction_id: id.into(),
        kind,
        reason: "违反工作纪律".into(),
        decided_by: "区纪委".into(),
        document_number: "姜纪〔2025〕1号".into(),
        imposed_on: on,
        effect_until: add_months(on, months),
    })
}

fn admonition(on: NaiveDate, months: u32) -> E {
    E::AdmonitionIssued(cadre::AdmonitionIssued {
        cadre_id: C.into(),
        admonition_id: "a1".into(),
        reason: "工作作风问题".into(),
        issued_on: on,
        improve_by: add_months(on, 6),
        effect_until: add_months(on, months),
    })
}

fn investigation(on: NaiveDate) -> E {
    E::InvestigationOpened(cadre::InvestigationOpened {
        cadre_id: C.into(),
        case_id: "k1".into(),
        authority: "区监委".into(),
        reason: "涉嫌违纪".into(),
        opened_on: on,
    })
}

/// Decide a promotion on `on` (today is far ahead, so any date may be asked).
fn decide(events: &[E], to: Rank, on: NaiveDate) -> Result<Vec<E>, DomainError> {
    let state = Cadre::fold(events);
    let policy = Policy::national_default();
    let actor = Actor::new("org-admin", Role::OrgAdmin);
    let ctx = Context {
        actor: &actor,
        effective: on,
        today: d(2099, 12, 31),
        policy: &policy,
    };
    Cadre::decide(&state, &promote(to), &ctx, &cadre::Facts::default())
}

#[test]
fn promotion_refusal_lists_every_failing_rule() {
    // Given a 四级主任科员 since 2024-09-01, 2025 不称职, a 记过 from 2026-01-10 (12 months),
    // an admonition from 2026-02-01 (6 months), an open investigation and no public notice,
    let events = vec![
        registered(C, Rank::PrincipalClerk4, d(2024, 9, 1)),
        grade(C, 2025, Some(Grade::Incompetent)),
        sanction("s1", SanctionKind::Demerit, d(2026, 1, 10), 12),
        admonition(d(2026, 2, 1), 6),
        investigation(d(2026, 3, 1)),
    ];
    // when promoted to 三级主任科员 on 2026-04-01,
    let err = given::<Cadre>(events)
        .effective(d(2026, 4, 1), d(2026, 4, 1))
        .when(promote(Rank::PrincipalClerk3))
        // then the refusal's code is the first rule a clerk checks,
        .then_error("PROMOTION_UNDER_INVESTIGATION");
    // and it carries every failing rule, with the values and the date time alone lifts each.
    let listed: Vec<_> = err
        .obstacles()
        .iter()
        .map(|o| (o.code, o.lifts_on))
        .collect();
    assert_eq!(
        listed,
        [
            ("PROMOTION_UNDER_INVESTIGATION", None),
            ("PROMOTION_SANCTION_PERIOD", Some(d(2027, 1, 10))),
            ("PROMOTION_ADMONITION_PERIOD", Some(d(2026, 8, 1))),
            ("PROMOTION_INCOMPETENT_YEAR", None),
            // 19 months served, 2025's 12 do not count: 7 counted, 17 more needed.
            ("PROMOTION_MIN_YEARS", Some(d(2027, 9, 1))),
            ("PROMOTION_PUBLIC_NOTICE", None),
        ]
    );
    let messages: Vec<_> = err.obstacles().iter().map(|o| o.message.clone()).collect();
    assert!(messages[0].contains("案件 k1"), "{messages:?}");
    assert!(messages[1].contains("影响期至 2027-01-10"), "{messages:?}");
    assert!(messages[2].contains("整改期限 2026-08-01"), "{messages:?}");
    assert!(
        messages[3].contains("2025 年度考核为不称职"),
        "{messages:?}"
    );
    assert_eq!(
        messages[4],
        "晋升职级被拒绝: 任现职级满 0.5 年, 需满 2 年; 不计入任职年限: 2025 年不称职"
    );
    assert!(
        messages[5].contains("尚未进行晋升三级主任科员的公示"),
        "{messages:?}"
    );
}

#[test]
fn promotion_refused_by_one_rule_carries_a_list_of_one() {
    let mut events = vec![registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))];
    events.extend(notice(
        C,
        "n1",
        Rank::PrincipalClerk3,
        d(2024, 6, 3),
        Some(d(2024, 6, 7)),
    ));
    let err = given::<Cadre>(events)
        .effective(d(2024, 7, 1), d(2026, 1, 1))
        .when(promote(Rank::PrincipalClerk3))
        .then_error("PROMOTION_MIN_YEARS");
    assert_eq!(err.obstacles().len(), 1);
    assert_eq!(err.obstacles()[0].lifts_on, Some(d(2025, 1, 1)));
}

#[test]
fn promotion_sanction_lifts_the_day_its_effect_period_ends() {
    let mut events = vec![registered(C, Rank::PrincipalClerk4, d(2022, 1, 1))];
    events.extend(notice(
        C,
        "n1",
        Rank::PrincipalClerk3,
        d(2025, 6, 3),
        Some(d(2025, 6, 9)),
    ));
    events.push(sanction("s1", SanctionKind::Warning, d(2025, 3, 10), 6));
    let err = decide(&events, Rank::PrincipalClerk3, d(2025, 9, 9)).unwrap_err();
    assert_eq!(err.obstacles()[0].lifts_on, Some(d(2025, 9, 10)));
    assert!(decide(&events, Rank::PrincipalClerk3, d(2025, 9, 10)).is_ok());
}

#[test]
fn promotion_sanction_recorded_before_the_first_ends_extends_the_lift_date() {
    let mut events = vec![registered(C, Rank::PrincipalClerk4, d(2022, 1, 1))];
    events.extend(notice(
        C,
        "n1",
        Rank::PrincipalClerk3,
        d(2025, 6, 3),
        Some(d(2025, 6, 9)),
    ));
    events.push(sanction("s1", SanctionKind::Warning, d(2025, 3, 10), 6));
    events.push(sanction("s2", SanctionKind::Demerit, d(2025, 9, 1), 12));
    let state = Cadre::fold(&events);
    let policy = Policy::national_default();
    let (_, found) =
        promotion::obstacles(&state, Rank::PrincipalClerk3, d(2025, 7, 1), &policy).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].lifts_on, Some(d(2026, 9, 1)));
    assert_eq!(
        promotion::eligible_from(&state, Rank::PrincipalClerk3, d(2025, 7, 1), &policy),
        Some(d(2026, 9, 1))
    );
}

#[test]
fn promotion_eligible_from_is_the_last_lift_date_and_none_when_an_act_is_needed() {
    let policy = Policy::national_default();
    // Short of time until 2025-01-01 and under an admonition until 2025-03-01.
    let mut events = vec![registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))];
    events.extend(notice(
        C,
        "n1",
        Rank::PrincipalClerk3,
        d(2023, 6, 5),
        Some(d(2023, 6, 9)),
    ));
    events.push(admonition(d(2024, 9, 1), 6));
    let state = Cadre::fold(&events);
    assert_eq!(
        promotion::eligible_from(&state, Rank::PrincipalClerk3, d(2024, 10, 1), &policy),
        Some(d(2025, 3, 1))
    );
    // Already eligible: the date asked.
    assert_eq!(
        promotion::eligible_from(&state, Rank::PrincipalClerk3, d(2025, 4, 1), &policy),
        Some(d(2025, 4, 1))
    );
    // An open investigation needs an act.
    events.push(investigation(d(2024, 9, 15)));
    let state = Cadre::fold(&events);
    assert_eq!(
        promotion::eligible_from(&state, Rank::PrincipalClerk3, d(2024, 10, 1), &policy),
        None
    );
}

/// A random valid history of a 四级主任科员: rank since, grades, at most one sanction, one
/// admonition, one investigation (open or closed) and a public notice (or none).
fn history() -> impl Strategy<Value = Vec<E>> {
    (
        0u32..48,
        proptest::collection::vec(0u8..6, 5),
        proptest::option::of((0u32..60, 0usize..4)),
        proptest::option::of((0u32..60, 1u32..13)),
        proptest::option::of((0u32..60, proptest::option::of(1u32..200))),
        proptest::option::of((0u32..40, any::<bool>(), any::<bool>())),
    )
        .prop_map(|(since, grades, sanct, admon, inv, note)| {
            let since = add_months(d(2020, 1, 1), since);
            let mut events = vec![registered(C, Rank::PrincipalClerk4, since)];
            for (i, g) in grades.iter().enumerate() {
                let g = match g {
                    0 => Some(Some(Grade::Excellent)),
                    1 | 2 => Some(Some(Grade::Competent)),
                    3 => Some(Some(Grade::BasicallyCompetent)),
                    4 => Some(Some(Grade::Incompetent)),
                    _ => None,
                };
                if let Some(g) = g {
                    events.push(grade(C, 2020 + i as i32, g));
                }
            }
            if let Some((m, k)) = sanct {
                let kinds = [
                    (SanctionKind::Warning, 6),
                    (SanctionKind::Demerit, 12),
                    (SanctionKind::MajorDemerit, 18),
                    (SanctionKind::Demerit, 12),
                ];
                let (kind, months) = kinds[k];
                events.push(sanction("s1", kind, add_months(d(2020, 1, 1), m), months));
            }
            if let Some((m, months)) = admon {
                events.push(admonition(add_months(d(2020, 1, 1), m), months));
            }
            if let Some((m, closed)) = inv {
                let on = add_months(d(2020, 1, 1), m);
                events.push(investigation(on));
                if let Some(days) = closed {
                    events.push(E::InvestigationClosed(cadre::InvestigationClosed {
                        cadre_id: C.into(),
                        case_id: "k1".into(),
                        outcome: "了结".into(),
                        closed_on: on + Days::new(u64::from(days)),
                    }));
                }
            }
            if let Some((m, ended, upheld)) = note {
                // A Monday-to-Friday notice some months after the rank was reached.
                let start = add_months(since, m);
                let monday =
                    start + Days::new(u64::from((7 - start.weekday().num_days_from_monday()) % 7));
                events.extend(notice(
                    C,
                    "n1",
                    Rank::PrincipalClerk3,
                    monday,
                    ended.then(|| monday + Days::new(4)),
                ));
                if let Some(E::PublicNoticeEnded(e)) = events.last_mut() {
                    e.objection_upheld = upheld && ended;
                }
            }
            events
        })
}

use chrono::Datelike;

/// The date a fact took effect (registration: always kept).
fn effective(e: &E) -> NaiveDate {
    match e {
        E::GradeRecorded(g) => g.recorded_on,
        E::SanctionImposed(s) => s.imposed_on,
        E::AdmonitionIssued(a) => a.issued_on,
        E::InvestigationOpened(i) => i.opened_on,
        E::InvestigationClosed(i) => i.closed_on,
        E::PublicNoticeStarted(n) => n.started_on,
        E::PublicNoticeEnded(n) => n.ended_on,
        _ => NaiveDate::MIN,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Listed eligible on D ⇒ the command is accepted on D; listed not eligible ⇒ refused with
    /// exactly the listed obstacles; a single obstacle lifting on L ⇒ refused on L − 1, accepted on L.
    #[test]
    fn the_obstacles_listed_are_the_commands_decision(all in history(), day in 0u64..3000) {
        let on = d(2020, 1, 1) + Days::new(day);
        // The record as it stands on D: no fact takes effect after the day it is recorded, so
        // the list for D (today or later, or a past D folded as of D) holds nothing later.
        let events: Vec<E> = all.into_iter().filter(|e| effective(e) <= on).collect();
        let state = Cadre::fold(&events);
        let policy = Policy::national_default();
        let (_, listed) = promotion::obstacles(&state, Rank::PrincipalClerk3, on, &policy).unwrap();
        let decided = decide(&events, Rank::PrincipalClerk3, on);
        if listed.is_empty() {
            prop_assert!(decided.is_ok(), "listed eligible, refused: {decided:?}");
        } else {
            let err = decided.expect_err("listed not eligible, accepted");
            let refused: Vec<_> = err.obstacles().into_iter().cloned().collect();
            prop_assert_eq!(&refused, &listed);
        }
        if let [only] = listed.as_slice()
            && let Some(lifts) = only.lifts_on
        {
            let before = decide(&events, Rank::PrincipalClerk3, lifts - Days::new(1));
            prop_assert!(before.is_err(), "accepted the day before {lifts}");
            let after = decide(&events, Rank::PrincipalClerk3, lifts);
            prop_assert!(after.is_ok(), "refused on {lifts}: {after:?}");
        }
        // The forecast holds: on the date given, nothing blocks.
        if let Some(from) = promotion::eligible_from(&state, Rank::PrincipalClerk3, on, &policy) {
            prop_assert!(from >= on);
            prop_assert!(decide(&events, Rank::PrincipalClerk3, from).is_ok());
        }
    }

    /// The date the time rule is first met, found by bisection, is the first month a scan
    /// month by month finds (the rule never goes from met to not met as time passes).
    #[test]
    fn the_time_rule_forecast_is_the_first_month_it_is_met(all in history(), day in 0u64..3000) {
        let on = d(2020, 1, 1) + Days::new(day);
        let events: Vec<E> = all.into_iter().filter(|e| effective(e) <= on).collect();
        let state = Cadre::fold(&events);
        let policy = Policy::national_default().promotion;
        let to = Rank::PrincipalClerk3;
        let scanned = promotion::eligibility(&state, to, on, &policy).ok().and_then(|first| {
            if first.meets_minimum() {
                return Some(on);
            }
            (first.served_months + 1..=first.served_months + 240)
                .map(|n| add_months(first.start, n))
                .filter(|x| *x > on)
                .find(|x| promotion::eligibility(&state, to, *x, &policy).is_ok_and(|e| e.meets_minimum()))
        });
        prop_assert_eq!(promotion::time_rule_met_on(&state, to, on, &policy), scanned);
    }
}
