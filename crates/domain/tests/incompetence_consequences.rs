//! The consequences of a 不称职 year carried out by procedure: the pending rank lowering is done only on a decision's 文号; the dismissal case (辞退) is decided with a document or with reasons, then closed; a dismissed cadre's posts end and no appointment follows.

mod common;

use common::*;
use dossier_domain::{
    Aggregate as _,
    cadre::{self, Command, Event as E, Facts},
    codes::{AssessmentCategory, RemovalManner, RemovalReason},
    down,
    harness::given,
    practice::{CadreRef, Cadres},
    types::{AwardKind, Grade, LeadershipLevel, PostCategory, Rank, SanctionKind},
};

type Cadre = cadre::Aggregate;

const C: &str = "c1";

fn pending() -> E {
    E::RankLoweringPending(cadre::RankLoweringPending {
        cadre_id: C.into(),
        year: 2024,
        from: Rank::PrincipalClerk4,
        to: Rank::ClerkGrade1,
        raised_on: d(2025, 1, 20),
    })
}

fn lower(document: Option<&str>, reason: &str) -> Command {
    Command::LowerRank {
        cadre_id: C.into(),
        reason: reason.into(),
        document_number: document.map(Into::into),
    }
}

fn opened() -> E {
    E::DismissalCaseOpened(cadre::DismissalCaseOpened {
        cadre_id: C.into(),
        case_id: "2024-dismissal".into(),
        reason: "连续 2 年年度考核不称职".into(),
        opened_on: d(2025, 1, 20),
        grounds_years: vec![2023, 2024],
    })
}

fn decide(dismissed: bool, document: Option<&str>, reasons: &str) -> Command {
    Command::DecideDismissal {
        cadre_id: C.into(),
        case_id: "2024-dismissal".into(),
        dismissed,
        document_number: document.map(Into::into),
        reasons: reasons.into(),
    }
}

/// c1 graded 称职 for `year` by u-fgw.
fn competent(year: i32) -> Command {
    Command::RecordGrade {
        cadre_id: C.into(),
        unit_id: "u-fgw".into(),
        year,
        grade: Some(Grade::Competent),
        category: AssessmentCategory::Annual,
        basis: None,
        evaluation_id: None,
    }
}

fn close() -> Command {
    Command::CloseDismissalCase {
        cadre_id: C.into(),
        case_id: "2024-dismissal".into(),
        note: "已办结".into(),
    }
}

#[test]
fn the_pending_lowering_is_refused_without_a_document_number_and_carried_out_with_one() {
    let history = [
        registered(C, Rank::PrincipalClerk4, d(2020, 1, 1)),
        pending(),
    ];
    for missing in [None, Some("  ")] {
        let err = given::<Cadre>(history.clone())
            .on(d(2025, 3, 1))
            .when(lower(missing, ""))
            .then_error("DOCUMENT_NUMBER_REQUIRED");
        assert!(err.message().contains("文号"), "{err}");
    }
    let events = given::<Cadre>(history.clone())
        .on(d(2025, 3, 1))
        .when(lower(Some("姜组〔2025〕9号"), ""))
        .then_ok();
    let [E::RankLowered(l)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!((l.from, l.to), (Rank::PrincipalClerk4, Rank::ClerkGrade1));
    assert_eq!(l.document_number.as_deref(), Some("姜组〔2025〕9号"));
    assert!(l.reason.contains("2024 年度考核不称职"), "{}", l.reason);
    // Carried out, it is no longer pending.
    let mut state = cadre::State::default();
    for e in history.iter().chain(events.iter()) {
        state.apply(e);
    }
    assert!(state.pending_rank_lowerings.is_empty());
    assert_eq!(state.rank, Some(Rank::ClerkGrade1));
}

fn record_grade(year: i32, grade: Grade) -> Command {
    Command::RecordGrade {
        cadre_id: C.into(),
        unit_id: "u-fgw".into(),
        year,
        grade: Some(grade),
        category: AssessmentCategory::Annual,
        basis: None,
        evaluation_id: None,
    }
}

fn fold(events: &[E]) -> cadre::State {
    let mut state = cadre::State::default();
    for e in events {
        state.apply(e);
    }
    state
}

fn pending_years(state: &cadre::State) -> Vec<(i32, Rank, Rank)> {
    state
        .pending_rank_lowerings
        .iter()
        .map(|p| (p.year, p.from, p.to))
        .collect()
}

#[test]
fn each_incompetent_year_keeps_its_own_lowering_pending_and_a_decision_carries_out_the_oldest() {
    let mut history = vec![registered(C, Rank::PrincipalClerk3, d(2020, 1, 1))];
    history.extend(
        given::<Cadre>(history.clone())
            .on(d(2025, 1, 20))
            .when(record_grade(2024, Grade::Incompetent))
            .then_ok(),
    );
    history.extend(
        given::<Cadre>(history.clone())
            .on(d(2026, 1, 20))
            .when(record_grade(2025, Grade::Incompetent))
            .then_ok(),
    );
    // The second year does not replace the first: both wait, the second one level below
    // where the first leaves the rank.
    let state = fold(&history);
    assert_eq!(state.rank, Some(Rank::PrincipalClerk3));
    assert_eq!(
        pending_years(&state),
        [
            (2024, Rank::PrincipalClerk3, Rank::PrincipalClerk4),
            (2025, Rank::PrincipalClerk4, Rank::ClerkGrade1),
        ]
    );
    // One decision carries out the oldest, one level below the rank held then.
    let first = given::<Cadre>(history.clone())
        .on(d(2026, 3, 1))
        .when(lower(Some("姜组〔2026〕3号"), ""))
        .then_ok();
    let [E::RankLowered(l)] = first.as_slice() else {
        panic!("{first:?}")
    };
    assert_eq!(
        (l.from, l.to),
        (Rank::PrincipalClerk3, Rank::PrincipalClerk4)
    );
    assert!(l.reason.contains("2024 年度考核不称职"), "{}", l.reason);
    history.extend(first);
    let state = fold(&history);
    assert_eq!(state.rank, Some(Rank::PrincipalClerk4));
    assert_eq!(
        pending_years(&state),
        [(2025, Rank::PrincipalClerk4, Rank::ClerkGrade1)]
    );
    // The next decision carries out 2025's.
    let second = given::<Cadre>(history.clone())
        .on(d(2026, 4, 1))
        .when(lower(Some("姜组〔2026〕4号"), ""))
        .then_ok();
    let [E::RankLowered(l)] = second.as_slice() else {
        panic!("{second:?}")
    };
    assert_eq!((l.from, l.to), (Rank::PrincipalClerk4, Rank::ClerkGrade1));
    assert!(l.reason.contains("2025 年度考核不称职"), "{}", l.reason);
    history.extend(second);
    let state = fold(&history);
    assert_eq!(state.rank, Some(Rank::ClerkGrade1));
    assert!(state.pending_rank_lowerings.is_empty());
}

#[test]
fn no_lowering_is_left_pending_below_the_lowest_rank() {
    // 一级科员 with 2024's lowering pending: 2025's would go below 二级科员, so none is raised.
    let history = [
        registered(C, Rank::ClerkGrade1, d(2020, 1, 1)),
        E::RankLoweringPending(cadre::RankLoweringPending {
            cadre_id: C.into(),
            year: 2024,
            from: Rank::ClerkGrade1,
            to: Rank::ClerkGrade2,
            raised_on: d(2025, 1, 20),
        }),
        grade(C, 2024, Some(Grade::Incompetent)),
    ];
    let events = given::<Cadre>(history)
        .on(d(2026, 1, 20))
        .when(record_grade(2025, Grade::Incompetent))
        .then_ok();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, E::RankLoweringPending(_))),
        "{events:?}"
    );
}

#[test]
fn a_review_on_an_incompetent_year_needs_that_years_grade_to_be_incompetent() {
    let open = |year: i32| {
        down::Command::Open(down::Open {
            review_id: "r1".into(),
            cadre_id: C.into(),
            trigger: down::Trigger::IncompetentGrade,
            grade_year: Some(year),
            reason: "年度考核不称职".into(),
            evaluation_id: None,
        })
    };
    let record = cadre::Aggregate::fold(&[
        registered(C, Rank::PrincipalClerk4, d(2020, 1, 1)),
        grade(C, 2023, Some(Grade::Competent)),
        grade(C, 2024, Some(Grade::Incompetent)),
    ]);
    let facts = || down::Facts {
        subject: Some(record.clone()),
        ..Cadres::of([CadreRef::new(C, "u-fgw")]).into()
    };
    // No grade at all for the year.
    let err = given::<down::Aggregate>([])
        .with_facts(facts())
        .on(d(2025, 3, 1))
        .when(open(2019))
        .then_error("DOWN_GRADE_NOT_INCOMPETENT");
    assert!(
        err.message().contains("李华（c1） 2019 年度没有考核等次"),
        "{err}"
    );
    // A grade other than 不称职.
    let err = given::<down::Aggregate>([])
        .with_facts(facts())
        .on(d(2025, 3, 1))
        .when(open(2023))
        .then_error("DOWN_GRADE_NOT_INCOMPETENT");
    assert!(
        err.message().contains("2023 年度考核等次为 “称职”"),
        "{err}"
    );
    // The 不称职 year opens the review.
    let events = given::<down::Aggregate>([])
        .with_facts(facts())
        .on(d(2025, 3, 1))
        .when(open(2024))
        .then_ok();
    assert!(matches!(&events[..], [down::Event::Opened(o)] if o.grade_year == Some(2024)));
}

#[test]
fn a_second_dismissal_case_is_refused_naming_the_cadre_and_the_open_case() {
    let err = given::<Cadre>([
        registered(C, Rank::PrincipalClerk4, d(2020, 1, 1)),
        opened(),
    ])
    .on(d(2025, 3, 1))
    .when(Command::OpenDismissalCase {
        cadre_id: C.into(),
        case_id: "2025-dismissal".into(),
        reason: "旷工".into(),
    })
    .then_error("DISMISSAL_CASE_OPEN");
    assert!(
        err.message()
            .contains("李华（c1）已有辞退案件 2024-dismissal"),
        "{err}"
    );
}

#[test]
fn a_lowering_of_its_own_needs_a_reason_and_a_document() {
    let history = [registered(C, Rank::PrincipalClerk4, d(2020, 1, 1))];
    given::<Cadre>(history.clone())
        .when(lower(Some("姜组〔2025〕9号"), " "))
        .then_error("RANK_LOWER_REASON_REQUIRED");
    given::<Cadre>(history)
        .when(lower(None, "降级处分"))
        .then_error("DOCUMENT_NUMBER_REQUIRED");
}

#[test]
fn an_incompetent_grade_leaves_the_rank_as_it_was_until_the_decision() {
    let mut state = cadre::State::default();
    let events = given::<Cadre>([registered(C, Rank::PrincipalClerk4, d(2020, 1, 1))])
        .on(d(2025, 1, 20))
        .when(Command::RecordGrade {
            cadre_id: C.into(),
            unit_id: "u-fgw".into(),
            year: 2024,
            grade: Some(Grade::Incompetent),
            category: AssessmentCategory::Annual,
            basis: None,
            evaluation_id: None,
        })
        .then_ok();
    state.apply(&registered(C, Rank::PrincipalClerk4, d(2020, 1, 1)));
    for e in &events {
        state.apply(e);
    }
    assert_eq!(state.rank, Some(Rank::PrincipalClerk4));
    assert_eq!(
        state
            .pending_rank_lowerings
            .iter()
            .map(|p| (p.year, p.to))
            .collect::<Vec<_>>(),
        [(2024, Rank::ClerkGrade1)]
    );
}

#[test]
fn dismissal_is_decided_on_a_document_ending_every_post_then_closed() {
    let history = vec![
        registered(C, Rank::PrincipalClerk4, d(2020, 1, 1)),
        appointed(
            C,
            &leader("u-fgw", "head", LeadershipLevel::TownshipChief),
            d(2021, 1, 1),
        ),
        opened(),
    ];
    given::<Cadre>(history.clone())
        .on(d(2025, 3, 1))
        .when(decide(true, None, ""))
        .then_error("DOCUMENT_NUMBER_REQUIRED");
    given::<Cadre>(history.clone())
        .on(d(2025, 3, 1))
        .when(close())
        .then_error("DISMISSAL_NOT_DECIDED");
    let events = given::<Cadre>(history.clone())
        .on(d(2025, 3, 1))
        .when(decide(true, Some("姜组〔2025〕12号"), ""))
        .then_ok();
    let [E::Removed(r), E::DismissalDecided(x)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        (r.post_id.as_str(), r.effective_on),
        ("head", d(2025, 3, 1))
    );
    assert_eq!(r.document_number, "姜组〔2025〕12号");
    assert!(x.dismissed);
    let mut decided = history.clone();
    decided.extend(events);
    given::<Cadre>(decided.clone())
        .on(d(2025, 3, 2))
        .when(decide(false, None, "再议"))
        .then_error("DISMISSAL_ALREADY_DECIDED");
    // A dismissed cadre is not appointed again.
    given::<Cadre>(decided.clone())
        .with_facts(Facts {
            post: Some(post("u-fgw", "staff", PostCategory::General)),
            ..Facts::default()
        })
        .on(d(2025, 4, 1))
        .when(Command::Appoint(appoint(C, "u-fgw", "staff")))
        .then_error("CADRE_DISMISSED");
    // Nor graded for the dismissal year or a later one, nor awarded after it for them; the
    // year before is still graded, and an award dated before the dismissal stands.
    let award = |id: &str, year: i32| Command::GrantAward {
        cadre_id: C.into(),
        award_id: id.into(),
        kind: AwardKind::Commendation,
        title: "嘉奖".into(),
        year,
        basis: None,
        source: None,
        evaluation_id: None,
    };
    for year in [2025, 2026] {
        given::<Cadre>(decided.clone())
            .on(d(2026, 12, 1))
            .when(competent(year))
            .then_error("CADRE_DISMISSED");
    }
    given::<Cadre>(decided.clone())
        .on(d(2025, 3, 5))
        .when(competent(2024))
        .then_ok();
    given::<Cadre>(decided.clone())
        .on(d(2025, 4, 1))
        .when(award("late", 2025))
        .then_error("CADRE_DISMISSED");
    given::<Cadre>(decided.clone())
        .on(d(2025, 4, 1))
        .when(award("earned", 2024))
        .then_ok();
    given::<Cadre>(decided.clone())
        .on(d(2025, 2, 1))
        .when(award("before", 2025))
        .then_ok();
    let events = given::<Cadre>(decided.clone())
        .on(d(2025, 3, 10))
        .when(close())
        .then_ok();
    assert!(matches!(events.as_slice(), [E::DismissalCaseClosed(_)]));
    decided.extend(events);
    given::<Cadre>(decided)
        .on(d(2025, 3, 11))
        .when(close())
        .then_error("DISMISSAL_CASE_NOT_OPEN");
}

#[test]
fn not_dismissing_needs_reasons_and_keeps_the_posts() {
    let history = vec![
        registered(C, Rank::PrincipalClerk4, d(2020, 1, 1)),
        appointed(
            C,
            &leader("u-fgw", "head", LeadershipLevel::TownshipChief),
            d(2021, 1, 1),
        ),
        opened(),
    ];
    given::<Cadre>(history.clone())
        .on(d(2025, 3, 1))
        .when(decide(false, None, " "))
        .then_error("DISMISSAL_REASONS_REQUIRED");
    let events = given::<Cadre>(history.clone())
        .on(d(2025, 3, 1))
        .when(decide(false, None, "经研究, 本人已改进, 不予辞退"))
        .then_ok();
    let [E::DismissalDecided(x)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert!(!x.dismissed);
    given::<Cadre>(history)
        .on(d(2025, 3, 1))
        .when(Command::DecideDismissal {
            cadre_id: C.into(),
            case_id: "other".into(),
            dismissed: false,
            document_number: None,
            reasons: "x".into(),
        })
        .then_error("DISMISSAL_CASE_NOT_OPEN");
}

fn sanction(id: &str, kind: SanctionKind) -> Command {
    Command::ImposeSanction {
        cadre_id: C.into(),
        sanction_id: id.into(),
        kind,
        reason: "严重违纪".into(),
        decided_by: "区纪委".into(),
        document_number: "姜纪〔2025〕9号".into(),
    }
}

/// 乡科级副职 at the deputy post of 区发改委 since 2021, with a staff post held beside it.
fn a_deputy_with_a_staff_post() -> Vec<E> {
    vec![
        registered(C, Rank::PrincipalClerk3, d(2020, 1, 1)),
        appointed(
            C,
            &cadre_leader("dep1", LeadershipLevel::TownshipDeputy),
            d(2021, 3, 1),
        ),
        appointed(
            C,
            &post("u-fgw", "staff", PostCategory::General),
            d(2021, 3, 1),
        ),
    ]
}

fn cadre_leader(post_id: &str, level: LeadershipLevel) -> dossier_domain::unit::PostFact {
    dossier_domain::unit::PostFact {
        heads_unit: false,
        ..leader("u-fgw", post_id, level)
    }
}

/// 开除 ends the cadre's service: every post ends on the day, in the same append, on the
/// sanction's 文号; no appointment, promotion, later grade or later award follows.
#[test]
fn expulsion_ends_every_post_and_the_cadres_service() {
    let history = a_deputy_with_a_staff_post();
    let events = given::<Cadre>(history.clone())
        .on(d(2025, 3, 1))
        .when(sanction("s1", SanctionKind::Expulsion))
        .then_ok();
    let [E::SanctionImposed(_), E::Removed(a), E::Removed(b)] = events.as_slice() else {
        panic!("{events:?}")
    };
    for r in [a, b] {
        assert_eq!(r.effective_on, d(2025, 3, 1));
        assert_eq!(r.document_number, "姜纪〔2025〕9号");
        assert_eq!(r.manner, RemovalManner::Revocation);
        assert_eq!(r.reason, RemovalReason::Discipline);
    }
    let mut expelled = history.clone();
    expelled.extend(events);
    let e = given::<Cadre>(expelled.clone())
        .with_facts(Facts {
            post: Some(post("u-fgw", "staff", PostCategory::General)),
            ..Facts::default()
        })
        .on(d(2025, 4, 1))
        .when(Command::Appoint(appoint(C, "u-fgw", "staff")))
        .then_error("CADRE_EXPELLED");
    assert!(
        e.message().contains("李华（c1）") && e.message().contains("开除"),
        "{e}"
    );
    let promote = Command::PromoteRank {
        cadre_id: C.into(),
        to: Rank::PrincipalClerk2,
        document_number: "姜组〔2025〕3号".into(),
        approved_by: "区委组织部".into(),
        quota_year: None,
    };
    let e = given::<Cadre>(expelled.clone())
        .on(d(2025, 6, 1))
        .when(promote)
        .then_error("CADRE_EXPELLED");
    assert!(e.message().contains("被开除"), "{e}");
    given::<Cadre>(expelled.clone())
        .on(d(2025, 12, 20))
        .when(competent(2025))
        .then_error("CADRE_EXPELLED");
    given::<Cadre>(expelled.clone())
        .on(d(2025, 3, 5))
        .when(competent(2024))
        .then_ok();
    given::<Cadre>(expelled)
        .on(d(2025, 4, 1))
        .when(Command::GrantAward {
            cadre_id: C.into(),
            award_id: "late".into(),
            kind: AwardKind::Commendation,
            title: "嘉奖".into(),
            year: 2025,
            basis: None,
            source: None,
            evaluation_id: None,
        })
        .then_error("CADRE_EXPELLED");
}

/// 撤职 (政务处分法 第十九条) ends every leadership post and lowers the rank one level, in the
/// same append, on the sanction's 文号; a post without a leadership level stays.
#[test]
fn dismissal_from_office_ends_the_leadership_posts_and_lowers_the_rank() {
    let events = given::<Cadre>(a_deputy_with_a_staff_post())
        .on(d(2025, 3, 1))
        .when(sanction("s2", SanctionKind::Dismissal))
        .then_ok();
    let [
        E::SanctionImposed(s),
        E::Removed(r),
        E::LeadershipLevelChanged(l),
        E::RankLowered(k),
    ] = events.as_slice()
    else {
        panic!("{events:?}")
    };
    assert_eq!(s.kind, SanctionKind::Dismissal);
    assert_eq!(
        (r.post_id.as_str(), r.effective_on),
        ("dep1", d(2025, 3, 1))
    );
    assert_eq!(r.document_number, "姜纪〔2025〕9号");
    assert_eq!(l.to, None);
    assert_eq!(
        (k.from, k.to),
        (Rank::PrincipalClerk3, Rank::PrincipalClerk4)
    );
    assert_eq!(k.document_number.as_deref(), Some("姜纪〔2025〕9号"));
    // Dated before a post it would end was taken: refused, nothing written.
    given::<Cadre>(a_deputy_with_a_staff_post())
        .on(d(2021, 2, 1))
        .when(sanction("s2", SanctionKind::Dismissal))
        .then_error("REMOVAL_BEFORE_APPOINTMENT");
    // A lighter sanction ends no post.
    let events = given::<Cadre>(a_deputy_with_a_staff_post())
        .on(d(2025, 3, 1))
        .when(sanction("s3", SanctionKind::MajorDemerit))
        .then_ok();
    assert!(
        matches!(events.as_slice(), [E::SanctionImposed(_)]),
        "{events:?}"
    );
}

#[test]
fn a_sanction_recorded_twice_names_the_cadre() {
    let mut history = a_deputy_with_a_staff_post();
    history.extend(
        given::<Cadre>(history.clone())
            .on(d(2025, 3, 1))
            .when(sanction("s4", SanctionKind::Warning))
            .then_ok(),
    );
    let e = given::<Cadre>(history)
        .on(d(2025, 3, 2))
        .when(sanction("s4", SanctionKind::Warning))
        .then_error("SANCTION_EXISTS");
    assert!(e.message().contains("李华（c1） 的处分 s4 已登记"), "{e}");
    // Dated before the cadre's birth: refused.
    given::<Cadre>(a_deputy_with_a_staff_post())
        .on(d(1980, 3, 2))
        .when(sanction("s5", SanctionKind::Warning))
        .then_error("DATE_BEFORE_BIRTH");
}
