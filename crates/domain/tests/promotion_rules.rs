//! 职级晋升 rules: minimum time with 优秀 credit, excluded years, effect periods, investigation, public notice.

mod common;

use common::*;
use dossier_domain::{
    Aggregate as _, Policy,
    cadre::{self, Aggregate as Cadre, Command, Event as E},
    harness::given,
    promotion,
    types::{Grade, Rank, SanctionKind},
};

const C: &str = "c1";

fn promote(to: Rank) -> Command {
    Command::PromoteRank {
        cadre_id: C.into(),
        to,
        document_number: "姜组通〔2025〕8号".into(),
        approved_by: "区委组织部".into(),
        quota_year: None,
    }
}

/// A 四级主任科员 since 2023-01-01 with the grades given and a completed 5-day notice for 三级主任科员.
fn history(grades: &[(i32, Option<Grade>)]) -> Vec<E> {
    let mut events = vec![registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))];
    events.extend(grades.iter().map(|(y, g)| grade(C, *y, *g)));
    events.extend(notice(
        C,
        "n1",
        Rank::PrincipalClerk3,
        d(2025, 6, 3),
        Some(d(2025, 6, 9)),
    ));
    events
}

#[test]
fn promotion_min_years() {
    // Allowed: 2023-01-01 → 2025-01-01 is 24 months, two 称职 years.
    let events = given::<Cadre>(history(&[
        (2023, Some(Grade::Competent)),
        (2024, Some(Grade::Competent)),
    ]))
    .on(d(2025, 6, 30))
    .when(promote(Rank::PrincipalClerk3))
    .then_ok();
    let [E::RankPromoted(p)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        (p.from, p.to, p.served_months, p.required_months),
        (Some(Rank::PrincipalClerk4), Rank::PrincipalClerk3, 29, 24)
    );

    // Refused: 18 months served, no 优秀.
    let err = given::<Cadre>(history(&[(2023, Some(Grade::Competent))]))
        .on(d(2024, 7, 1))
        .when(promote(Rank::PrincipalClerk3))
        .then_error("PROMOTION_MIN_YEARS");
    assert_eq!(
        err.message(),
        "晋升职级被拒绝: 任现职级满 1.5 年, 需满 2 年"
    );
}

#[test]
fn promotion_excellent_year_shortens_minimum() {
    // 18 months with 2023 优秀 → the requirement is 1.5 years: allowed.
    let mut h = history(&[(2023, Some(Grade::Excellent))]);
    h.extend(notice(
        C,
        "n0",
        Rank::PrincipalClerk3,
        d(2024, 6, 24),
        Some(d(2024, 6, 28)),
    ));
    let events = given::<Cadre>(h)
        .on(d(2024, 7, 1))
        .when(promote(Rank::PrincipalClerk3))
        .then_ok();
    let [E::RankPromoted(p)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        (
            p.counted_months,
            p.required_months,
            p.excellent_years.clone()
        ),
        (18, 18, vec![2023])
    );

    // 17 months with one 优秀: still short, and the message shows the credit.
    let err = given::<Cadre>(history(&[(2023, Some(Grade::Excellent))]))
        .on(d(2024, 6, 1))
        .when(promote(Rank::PrincipalClerk3))
        .then_error("PROMOTION_MIN_YEARS");
    assert_eq!(
        err.message(),
        "晋升职级被拒绝: 任现职级满 1.4 年, 需满 2 年 (优秀年度已折抵 0.5 年)"
    );
}

#[test]
fn promotion_basically_competent_year_does_not_count() {
    // 2023 基本称职: its 12 months do not count; on 2025-06-30 only 17 counted months remain.
    let err = given::<Cadre>(history(&[
        (2023, Some(Grade::BasicallyCompetent)),
        (2024, Some(Grade::Competent)),
    ]))
    .on(d(2025, 6, 30))
    .when(promote(Rank::PrincipalClerk3))
    .then_error("PROMOTION_MIN_YEARS");
    assert!(
        err.message().contains("不计入任职年限: 2023 年基本称职"),
        "{err}"
    );
    // An ungraded (不定等次) year does not count either.
    given::<Cadre>(history(&[(2023, None), (2024, Some(Grade::Competent))]))
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_error("PROMOTION_MIN_YEARS");
    // With 2023 and 2024 称职 the same date is allowed.
    given::<Cadre>(history(&[
        (2023, Some(Grade::Competent)),
        (2024, Some(Grade::Competent)),
    ]))
    .on(d(2025, 6, 30))
    .when(promote(Rank::PrincipalClerk3))
    .then_ok();
}

#[test]
fn promotion_refused_with_incompetent_year() {
    let mut events = vec![registered(C, Rank::PrincipalClerk4, d(2020, 1, 1))];
    events.extend([
        grade(C, 2020, Some(Grade::Competent)),
        grade(C, 2021, Some(Grade::Incompetent)),
    ]);
    events.extend([
        grade(C, 2022, Some(Grade::Competent)),
        grade(C, 2023, Some(Grade::Competent)),
    ]);
    events.extend(notice(
        C,
        "n1",
        Rank::PrincipalClerk3,
        d(2025, 6, 3),
        Some(d(2025, 6, 9)),
    ));
    let err = given::<Cadre>(events.clone())
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_error("PROMOTION_INCOMPETENT_YEAR");
    assert!(err.message().contains("2021"));
    // A cadre whose counted period starts after the 不称职 year (e.g. a new rank since 2022) is not affected.
    let mut later = vec![registered(C, Rank::PrincipalClerk4, d(2022, 1, 1))];
    later.extend([
        grade(C, 2021, Some(Grade::Incompetent)),
        grade(C, 2022, Some(Grade::Competent)),
    ]);
    later.extend([grade(C, 2023, Some(Grade::Competent))]);
    later.extend(notice(
        C,
        "n1",
        Rank::PrincipalClerk3,
        d(2025, 6, 3),
        Some(d(2025, 6, 9)),
    ));
    given::<Cadre>(later)
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_ok();
}

#[test]
fn promotion_only_to_the_next_rank() {
    given::<Cadre>(history(&[]))
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk2))
        .then_error("PROMOTION_NOT_NEXT_RANK");
    // The equivalent leadership level (乡科级副职 for 三级主任科员) counts like the rank below.
    let mut r = registered(C, Rank::ClerkGrade1, d(2024, 1, 1));
    if let E::Registered(reg) = &mut r {
        reg.leadership_level = Some(dossier_domain::types::LeadershipLevel::TownshipDeputy);
        reg.level_since = Some(d(2022, 3, 1));
    }
    let mut events = vec![r];
    events.extend(notice(
        C,
        "n1",
        Rank::PrincipalClerk3,
        d(2025, 6, 3),
        Some(d(2025, 6, 9)),
    ));
    given::<Cadre>(events)
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_ok();
}

#[test]
fn promotion_barred_during_sanction_effect_period() {
    let sanction = |on| {
        E::SanctionImposed(cadre::SanctionImposed {
            cadre_id: C.into(),
            sanction_id: "s1".into(),
            kind: SanctionKind::Demerit,
            reason: "违反工作纪律".into(),
            decided_by: "区纪委".into(),
            document_number: "姜纪〔2025〕1号".into(),
            imposed_on: on,
            effect_until: dossier_domain::dates::add_months(on, 12),
        })
    };
    let mut h = history(&[
        (2023, Some(Grade::Competent)),
        (2024, Some(Grade::Competent)),
    ]);
    h.push(sanction(d(2025, 1, 10)));
    let err = given::<Cadre>(h)
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_error("PROMOTION_SANCTION_PERIOD");
    assert!(err.message().contains("记过处分"), "{err}");
    // Once the 12-month effect period has run, the sanction no longer blocks.
    let mut h = history(&[
        (2023, Some(Grade::Competent)),
        (2024, Some(Grade::Competent)),
    ]);
    h.insert(1, sanction(d(2024, 3, 1)));
    given::<Cadre>(h)
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_ok();
}

#[test]
fn promotion_barred_during_admonition_effect_period() {
    let admonition = |on| {
        E::AdmonitionIssued(cadre::AdmonitionIssued {
            cadre_id: C.into(),
            admonition_id: "a1".into(),
            reason: "工作作风问题".into(),
            issued_on: on,
            improve_by: dossier_domain::dates::add_months(on, 12),
            effect_until: dossier_domain::dates::add_months(on, 6),
        })
    };
    let mut h = history(&[
        (2023, Some(Grade::Competent)),
        (2024, Some(Grade::Competent)),
    ]);
    h.push(admonition(d(2025, 3, 1)));
    given::<Cadre>(h)
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_error("PROMOTION_ADMONITION_PERIOD");
    let mut h = history(&[
        (2023, Some(Grade::Competent)),
        (2024, Some(Grade::Competent)),
    ]);
    h.push(admonition(d(2024, 11, 1)));
    given::<Cadre>(h)
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_ok();
}

#[test]
fn promotion_barred_under_investigation() {
    let opened = E::InvestigationOpened(cadre::InvestigationOpened {
        cadre_id: C.into(),
        case_id: "k1".into(),
        authority: "区监委".into(),
        reason: "涉嫌违纪".into(),
        opened_on: d(2025, 5, 1),
    });
    let closed = E::InvestigationClosed(cadre::InvestigationClosed {
        cadre_id: C.into(),
        case_id: "k1".into(),
        outcome: "未发现问题, 予以了结".into(),
        closed_on: d(2025, 6, 10),
    });
    let mut h = history(&[
        (2023, Some(Grade::Competent)),
        (2024, Some(Grade::Competent)),
    ]);
    h.push(opened.clone());
    given::<Cadre>(h.clone())
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_error("PROMOTION_UNDER_INVESTIGATION");
    h.push(closed);
    given::<Cadre>(h)
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_ok();
}

#[test]
fn promotion_needs_completed_public_notice_of_five_working_days() {
    let base = || {
        vec![
            registered(C, Rank::PrincipalClerk4, d(2023, 1, 1)),
            grade(C, 2023, Some(Grade::Competent)),
            grade(C, 2024, Some(Grade::Competent)),
        ]
    };
    // No notice at all.
    let err = given::<Cadre>(base())
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_error("PROMOTION_PUBLIC_NOTICE");
    assert!(
        err.message().contains("尚未进行晋升三级主任科员的公示"),
        "{err}"
    );
    // Wednesday to Monday spans a weekend: only 4 working days.
    let mut h = base();
    h.extend(notice(
        C,
        "n1",
        Rank::PrincipalClerk3,
        d(2025, 6, 4),
        Some(d(2025, 6, 9)),
    ));
    let err = given::<Cadre>(h)
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_error("PROMOTION_PUBLIC_NOTICE");
    assert!(err.message().contains("仅 4 个工作日"), "{err}");
    // Still running.
    let mut h = base();
    h.extend(notice(C, "n1", Rank::PrincipalClerk3, d(2025, 6, 23), None));
    given::<Cadre>(h)
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_error("PROMOTION_PUBLIC_NOTICE");
    // Wednesday to Tuesday: 5 working days, ended without objection.
    let mut h = base();
    h.extend(notice(
        C,
        "n1",
        Rank::PrincipalClerk3,
        d(2025, 6, 4),
        Some(d(2025, 6, 10)),
    ));
    given::<Cadre>(h)
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_ok();
}

#[test]
fn public_notice_shorter_than_policy_is_refused_at_start() {
    let start = |ends_on| Command::StartPublicNotice {
        cadre_id: C.into(),
        notice_id: "n9".into(),
        purpose: "拟晋升三级主任科员".into(),
        target_rank: Some(Rank::PrincipalClerk3),
        ends_on,
    };
    // 2025-06-30 is a Monday: to Friday is 5 working days.
    given::<Cadre>(history(&[]))
        .on(d(2025, 6, 30))
        .when(start(d(2025, 7, 4)))
        .then_ok();
    given::<Cadre>(history(&[]))
        .on(d(2025, 6, 30))
        .when(start(d(2025, 7, 3)))
        .then_error("PUBLIC_NOTICE_TOO_SHORT");
}

#[test]
fn public_notice_across_national_day_counts_working_days_by_the_calendar() {
    // 2025 国庆: 10-01 to 10-08 off, Sunday 09-28 and Saturday 10-11 worked (调休).
    let start = |ends_on| Command::StartPublicNotice {
        cadre_id: C.into(),
        notice_id: "n10".into(),
        purpose: "拟晋升三级主任科员".into(),
        target_rank: Some(Rank::PrincipalClerk3),
        ends_on,
    };
    // Monday 09-29 to Thursday 10-09: nine weekdays, but only 09-29, 09-30 and 10-09 are
    // working days.
    let err = given::<Cadre>(history(&[]))
        .on(d(2025, 9, 29))
        .when(start(d(2025, 10, 9)))
        .then_error("PUBLIC_NOTICE_TOO_SHORT");
    assert!(err.message().contains("仅 3 个工作日"), "{err}");
    // To Saturday 10-11, a make-up working day: 09-29, 09-30, 10-09, 10-10, 10-11.
    let events = given::<Cadre>(history(&[]))
        .on(d(2025, 9, 29))
        .when(start(d(2025, 10, 11)))
        .then_ok();
    let [E::PublicNoticeStarted(n)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(n.working_days, 5);

    // The promotion counts the notice by the same calendar.
    let base = || {
        vec![
            registered(C, Rank::PrincipalClerk4, d(2023, 1, 1)),
            grade(C, 2023, Some(Grade::Competent)),
            grade(C, 2024, Some(Grade::Competent)),
        ]
    };
    let mut h = base();
    h.extend(notice(
        C,
        "n10",
        Rank::PrincipalClerk3,
        d(2025, 9, 29),
        Some(d(2025, 10, 9)),
    ));
    let err = given::<Cadre>(h)
        .on(d(2025, 10, 20))
        .when(promote(Rank::PrincipalClerk3))
        .then_error("PROMOTION_PUBLIC_NOTICE");
    assert!(err.message().contains("仅 3 个工作日"), "{err}");
    let mut h = base();
    h.extend(notice(
        C,
        "n10",
        Rank::PrincipalClerk3,
        d(2025, 9, 29),
        Some(d(2025, 10, 11)),
    ));
    given::<Cadre>(h)
        .on(d(2025, 10, 20))
        .when(promote(Rank::PrincipalClerk3))
        .then_ok();
}

#[test]
fn promotion_reads_the_policy_in_force() {
    // A district requiring 3 years for 三级主任科员 refuses what the national default allows.
    let mut policy = Policy::national_default();
    if let Some(step) = policy
        .promotion
        .ladder
        .iter_mut()
        .find(|s| s.to == Rank::PrincipalClerk3)
    {
        step.min_months = 36;
    }
    let h = history(&[
        (2023, Some(Grade::Competent)),
        (2024, Some(Grade::Competent)),
    ]);
    given::<Cadre>(h.clone())
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_ok();
    let err = given::<Cadre>(h)
        .with_policy(policy)
        .on(d(2025, 6, 30))
        .when(promote(Rank::PrincipalClerk3))
        .then_error("PROMOTION_MIN_YEARS");
    assert!(err.message().contains("需满 3 年"), "{err}");
}

#[test]
fn promotion_status_lists_every_blocker() {
    let state = Cadre::fold(&history(&[(2023, Some(Grade::Incompetent))]));
    let (e, blockers) = promotion::obstacles(
        &state,
        Rank::PrincipalClerk3,
        d(2024, 3, 1),
        &Policy::national_default(),
    )
    .unwrap();
    let codes: Vec<_> = blockers.iter().map(|b| b.code).collect();
    assert_eq!(
        codes,
        [
            "PROMOTION_INCOMPETENT_YEAR",
            "PROMOTION_MIN_YEARS",
            "PROMOTION_PUBLIC_NOTICE"
        ]
    );
    assert_eq!((e.served_months, e.counted_months), (14, 2));
}

#[test]
fn promotion_time_rule_forecast() {
    let policy = Policy::national_default();
    // Since 2023-01-01 with 2023 称职: the 24 months are met on 2025-01-01.
    let state = Cadre::fold(&history(&[(2023, Some(Grade::Competent))]));
    assert_eq!(
        promotion::time_rule_met_on(
            &state,
            Rank::PrincipalClerk3,
            d(2024, 7, 1),
            &policy.promotion
        ),
        Some(d(2025, 1, 1))
    );
    // With 2023 优秀: 18 months, met on 2024-07-01.
    let state = Cadre::fold(&history(&[(2023, Some(Grade::Excellent))]));
    assert_eq!(
        promotion::time_rule_met_on(
            &state,
            Rank::PrincipalClerk3,
            d(2024, 3, 1),
            &policy.promotion
        ),
        Some(d(2024, 7, 1))
    );
    // With 2023 基本称职 those 12 months do not count: met on 2026-01-01.
    let state = Cadre::fold(&history(&[(2023, Some(Grade::BasicallyCompetent))]));
    assert_eq!(
        promotion::time_rule_met_on(
            &state,
            Rank::PrincipalClerk3,
            d(2024, 3, 1),
            &policy.promotion
        ),
        Some(d(2026, 1, 1))
    );
    // Already met: the date asked.
    assert_eq!(
        promotion::time_rule_met_on(
            &state,
            Rank::PrincipalClerk3,
            d(2026, 5, 1),
            &policy.promotion
        ),
        Some(d(2026, 5, 1))
    );
    // Not the next rank.
    assert_eq!(
        promotion::time_rule_met_on(&state, Rank::Researcher1, d(2026, 5, 1), &policy.promotion),
        None
    );
}
