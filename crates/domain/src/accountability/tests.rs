//! Rule tests of the accountability stream.

use super::*;
use crate::{
    context::Actor,
    harness::given,
    practice::{CadreRef, test_support::d},
};

const TOLERABLE: ThreeDistinctions = ThreeDistinctions {
    pioneering: Pioneering::Inexperience,
    trial: TrialRule::NotYetProhibited,
    motive: Motive::ForDevelopment,
};

const KNOWING: ThreeDistinctions = ThreeDistinctions {
    pioneering: Pioneering::KnowingViolation,
    trial: TrialRule::NotYetProhibited,
    motive: Motive::ForDevelopment,
};

fn opened() -> Event {
    Event::Opened(Opened {
        case_id: "x1".into(),
        cadre_id: "a".into(),
        unit_id: Some("u1".into()),
        summary: "项目先行供地造成损失".into(),
        act_on: d(2025, 5, 10),
        opened_on: d(2025, 6, 1),
    })
}

fn judged(j: ThreeDistinctions) -> Event {
    Event::JudgementRecorded(JudgementRecorded {
        case_id: "x1".into(),
        cadre_id: "a".into(),
        judgement: j,
        reasons: "经调查".into(),
        recorded_on: d(2025, 6, 10),
    })
}

fn decide(grant: bool, basis: Option<Basis>) -> Command {
    Command::DecideExemption(DecideExemption {
        case_id: "x1".into(),
        grant,
        reasons: "符合容错情形".into(),
        basis,
    })
}

fn report(cadre: &str, filed_on: NaiveDate) -> Facts {
    Facts {
        risk_report: Some(RiskReportFact {
            report_id: "k1".into(),
            cadre_id: cadre.into(),
            filed_on,
        }),
        ..Facts::default()
    }
}

fn report_basis() -> Option<Basis> {
    Some(Basis::RiskReport {
        report_id: "k1".into(),
    })
}

fn trial_entry(listed_on: NaiveDate, withdrawn_on: Option<NaiveDate>) -> Facts {
    Facts {
        trial_entry: Some(TrialEntryFact {
            entry_id: "t1".into(),
            entry: trial_list::Entry {
                area: "新兴产业招引".into(),
                cadre_ids: vec!["a".into()],
                listed_on,
                valid_until: None,
                withdrawn_on,
            },
        }),
        ..Facts::default()
    }
}

fn trial_basis() -> Option<Basis> {
    Some(Basis::TrialListEntry {
        entry_id: "t1".into(),
    })
}

fn open(act_on: NaiveDate) -> Command {
    Command::Open(Open {
        case_id: "x1".into(),
        cadre_id: "a".into(),
        summary: "项目先行供地造成损失".into(),
        act_on,
    })
}

fn with_cadre() -> Facts {
    Facts {
        cadres: Cadres::of([CadreRef::new("a", "u1")]),
        ..Facts::default()
    }
}

#[test]
fn a_case_opens_about_a_known_cadre_after_the_act() {
    given::<Aggregate>([])
        .with_facts(with_cadre())
        .on(d(2025, 6, 1))
        .when(open(d(2025, 5, 10)))
        .then_events([opened()]);
    given::<Aggregate>([])
        .with_facts(with_cadre())
        .on(d(2025, 6, 1))
        .when(open(d(2025, 6, 2)))
        .then_error("DATE_IN_FUTURE");
}

#[test]
fn a_case_is_about_a_known_cadre() {
    given::<Aggregate>([])
        .on(d(2025, 6, 1))
        .when(open(d(2025, 5, 10)))
        .then_error("CADRE_NOT_FOUND");
}

#[test]
fn only_organization_and_discipline_roles_handle_cases() {
    given::<Aggregate>([])
        .with_facts(with_cadre())
        .as_actor(Actor::scoped("h", Role::UnitHead, "u1"))
        .when(open(d(2025, 5, 10)))
        .then_error("FORBIDDEN_ROLE");
}

#[test]
fn the_three_distinctions_are_judged_before_any_exemption_decision() {
    let e = given::<Aggregate>([opened()])
        .when(decide(true, None))
        .then_error("ACCOUNTABILITY_JUDGEMENT_REQUIRED");
    assert!(e.message().contains("三个区分开来"), "{e}");
    given::<Aggregate>([opened()])
        .when(decide(false, None))
        .then_error("ACCOUNTABILITY_JUDGEMENT_REQUIRED");
    given::<Aggregate>([opened()])
        .when(Command::RecordJudgement(RecordJudgement {
            case_id: "x1".into(),
            judgement: TOLERABLE,
            reasons: "经调查".into(),
        }))
        .then_ok();
}

#[test]
fn a_grant_without_basis_and_with_a_violation_judgement_is_refused() {
    let e = given::<Aggregate>([opened(), judged(KNOWING)])
        .when(decide(true, None))
        .then_error("ACCOUNTABILITY_EXEMPTION_WITHOUT_BASIS");
    assert!(e.message().contains("明知故犯"), "{e}");
    // All on the tolerable side: a grant needs no cited basis.
    given::<Aggregate>([opened(), judged(TOLERABLE)])
        .when(decide(true, None))
        .then_ok();
    // A refusal is always possible.
    given::<Aggregate>([opened(), judged(KNOWING)])
        .when(decide(false, None))
        .then_ok();
    // With a valid prior report the grant stands.
    given::<Aggregate>([opened(), judged(KNOWING)])
        .with_facts(report("a", d(2025, 5, 1)))
        .when(decide(true, report_basis()))
        .then_ok();
}

#[test]
fn a_cited_risk_report_must_exist() {
    given::<Aggregate>([opened(), judged(TOLERABLE)])
        .when(decide(true, report_basis()))
        .then_error("ACCOUNTABILITY_BASIS_NOT_FOUND");
    // A report loaded under another id is not the one cited.
    given::<Aggregate>([opened(), judged(TOLERABLE)])
        .with_facts(report("a", d(2025, 5, 1)))
        .when(decide(
            true,
            Some(Basis::RiskReport {
                report_id: "k2".into(),
            }),
        ))
        .then_error("ACCOUNTABILITY_BASIS_NOT_FOUND");
}

#[test]
fn a_cited_basis_must_concern_the_same_cadre() {
    let e = given::<Aggregate>([opened(), judged(TOLERABLE)])
        .with_facts(report("b", d(2025, 5, 1)))
        .when(decide(true, report_basis()))
        .then_error("ACCOUNTABILITY_BASIS_OTHER_CADRE");
    assert!(
        e.message().contains("「b」") && e.message().contains("「a」"),
        "{e}"
    );
}

#[test]
fn a_cited_basis_must_predate_the_act() {
    let events = given::<Aggregate>([opened(), judged(TOLERABLE)])
        .with_facts(report("a", d(2025, 5, 10)))
        .when(decide(true, report_basis()))
        .then_ok();
    assert!(matches!(&events[0], Event::ExemptionGranted(g) if g.basis == report_basis()));
    let e = given::<Aggregate>([opened(), judged(TOLERABLE)])
        .with_facts(report("a", d(2025, 5, 11)))
        .when(decide(true, report_basis()))
        .then_error("ACCOUNTABILITY_BASIS_AFTER_ACT");
    assert!(
        e.message().contains("2025-05-11") && e.message().contains("2025-05-10"),
        "{e}"
    );
}

#[test]
fn a_cited_trial_list_entry_must_cover_the_act() {
    given::<Aggregate>([opened(), judged(KNOWING)])
        .with_facts(trial_entry(d(2025, 1, 1), None))
        .when(decide(true, trial_basis()))
        .then_ok();
    given::<Aggregate>([opened(), judged(TOLERABLE)])
        .with_facts(trial_entry(d(2025, 5, 20), None))
        .when(decide(true, trial_basis()))
        .then_error("ACCOUNTABILITY_BASIS_AFTER_ACT");
    given::<Aggregate>([opened(), judged(TOLERABLE)])
        .with_facts(trial_entry(d(2025, 1, 1), Some(d(2025, 5, 1))))
        .when(decide(true, trial_basis()))
        .then_error("ACCOUNTABILITY_BASIS_NOT_IN_FORCE");
}

#[test]
fn an_exemption_is_decided_once() {
    let granted = Event::ExemptionGranted(ExemptionDecision {
        case_id: "x1".into(),
        cadre_id: "a".into(),
        unit_id: Some("u1".into()),
        judgement: TOLERABLE,
        basis: None,
        reasons: "r".into(),
        decided_on: d(2025, 6, 20),
    });
    given::<Aggregate>([opened(), judged(TOLERABLE), granted.clone()])
        .when(decide(false, None))
        .then_error("ACCOUNTABILITY_ALREADY_DECIDED");
    given::<Aggregate>([opened(), judged(TOLERABLE), granted])
        .when(Command::RecordJudgement(RecordJudgement {
            case_id: "x1".into(),
            judgement: KNOWING,
            reasons: "改判".into(),
        }))
        .then_error("ACCOUNTABILITY_ALREADY_DECIDED");
}

#[test]
fn facts_come_from_the_cited_streams() {
    use crate::aggregate::Aggregate as _;
    let report = risk::Aggregate::fold(
        [risk::Event::Filed(risk::Filed {
            report_id: "k1".into(),
            cadre_id: "a".into(),
            unit_id: None,
            matter: "m".into(),
            risks: "r".into(),
            measures: String::new(),
            planned_decision_on: d(2025, 5, 10),
            filed_on: d(2025, 5, 1),
        })]
        .iter(),
    );
    assert_eq!(
        RiskReportFact::from_state("k1", &report),
        Some(RiskReportFact {
            report_id: "k1".into(),
            cadre_id: "a".into(),
            filed_on: d(2025, 5, 1)
        })
    );
    assert_eq!(
        RiskReportFact::from_state("k1", &risk::State::default()),
        None
    );
}

#[test]
fn a_case_is_opened_once() {
    given::<Aggregate>([opened()])
        .with_facts(with_cadre())
        .when(open(d(2025, 5, 10)))
        .then_error("ACCOUNTABILITY_CASE_EXISTS");
}

#[test]
fn a_case_is_not_opened_before_the_act() {
    given::<Aggregate>([])
        .with_facts(with_cadre())
        .effective(d(2025, 5, 1), d(2025, 6, 1))
        .when(open(d(2025, 5, 10)))
        .then_error("DATE_BEFORE_PREVIOUS_STEP");
}

#[test]
fn commands_name_an_opened_case() {
    let e = given::<Aggregate>([])
        .when(decide(true, None))
        .then_error("ACCOUNTABILITY_CASE_NOT_FOUND");
    assert!(matches!(e, DomainError::NotFound { .. }));
}
