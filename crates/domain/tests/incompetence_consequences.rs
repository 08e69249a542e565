//! The consequences of a 不称职 year carried out by procedure: the pending rank lowering is done only on a decision's 文号; the dismissal case (辞退) is decided with a document or with reasons, then closed; a dismissed cadre's posts end and no appointment follows.

mod common;

use common::*;
use dossier_domain::{
    cadre::{self, Command, Event as E, Facts},
    codes::AssessmentCategory,
    harness::given,
    types::{Grade, LeadershipLevel, PostCategory, Rank},
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
    assert!(state.pending_rank_lowering.is_none());
    assert_eq!(state.rank, Some(Rank::ClerkGrade1));
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
        state.pending_rank_lowering.as_ref().map(|p| p.to),
        Some(Rank::ClerkGrade1)
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
