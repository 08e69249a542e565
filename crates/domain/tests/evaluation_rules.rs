//! 双考 (考察考核“双考”融合): recording an evaluation on a key task (scores in range, one id per record), and citing it as the basis of a grade, an award or a down review — only an evaluation of that cadre, made before the citing decision.

mod common;

use common::*;
use dossier_domain::{
    Aggregate as _,
    assessment::{self, Aggregate as Assessment, Command as AssessmentCommand, GradeEntry},
    cadre::{
        self, Aggregate as Cadre, Command, Evaluator, Event as E, RecordEvaluation, Scores,
        TaskKind,
    },
    codes::AssessmentCategory,
    down::{self, Aggregate as Down},
    harness::given,
    practice::{CadreRef, Cadres},
    types::{AwardKind, Grade, Rank},
};

const C: &str = "c1";

fn evaluate(id: &str, attitude: f64, responsibility: f64, competence: f64) -> Command {
    Command::RecordEvaluation(RecordEvaluation {
        cadre_id: C.into(),
        evaluation_id: id.into(),
        task_kind: TaskKind::IndustrialProject,
        task_name: " 新能源电池产业园项目 ".into(),
        evaluator: Evaluator::AssessmentOffice,
        scores: Scores {
            attitude,
            responsibility,
            competence,
        },
        remarks: Some("招商落地攻坚表现突出".into()),
    })
}

/// The cadre's record with evaluation `e1` of 2025-03-01.
fn evaluated() -> Vec<E> {
    let mut events = vec![registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))];
    events.extend(
        given::<Cadre>(events.clone())
            .on(d(2025, 3, 1))
            .when(evaluate("e1", 92.0, 88.5, 90.0))
            .then_ok(),
    );
    events
}

fn grade_citing(evaluation_id: Option<&str>) -> Command {
    Command::RecordGrade {
        cadre_id: C.into(),
        unit_id: "u-fgw".into(),
        year: 2024,
        grade: Some(Grade::Competent),
        category: AssessmentCategory::Annual,
        basis: None,
        evaluation_id: evaluation_id.map(String::from),
    }
}

#[test]
fn an_evaluation_on_a_key_task_is_recorded_with_its_scores() {
    let events = given::<Cadre>([registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))])
        .on(d(2025, 3, 1))
        .when(evaluate("e1", 92.0, 88.5, 90.0))
        .then_ok();
    let [E::EvaluationRecorded(e)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        e.task_name, "新能源电池产业园项目",
        "the task name is trimmed"
    );
    assert_eq!(e.evaluated_on, d(2025, 3, 1));
    assert_eq!(e.evaluator, Evaluator::AssessmentOffice);
    assert_eq!(e.scores.responsibility, 88.5);
    let state = Cadre::fold(evaluated().iter());
    assert_eq!(state.evaluations.len(), 1);
    assert_eq!(state.evaluations[0].evaluation_id, "e1");
}

#[test]
fn scores_outside_0_to_100_are_refused_naming_the_dimension_and_value() {
    for (scores, dimension) in [
        ((101.0, 80.0, 80.0), "工作态度"),
        ((80.0, -1.0, 80.0), "担当精神"),
        ((80.0, 80.0, f64::NAN), "能力水平"),
    ] {
        let err = given::<Cadre>([registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))])
            .when(evaluate("e1", scores.0, scores.1, scores.2))
            .then_error("EVALUATION_SCORE_OUT_OF_RANGE");
        assert!(err.message().contains(dimension), "{err}");
        assert!(err.message().contains("李华（c1）"), "{err}");
    }
    // The bounds themselves are allowed.
    given::<Cadre>([registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))])
        .when(evaluate("e1", 0.0, 100.0, 100.0))
        .then_ok();
}

#[test]
fn an_evaluation_needs_an_id_a_task_and_a_registered_cadre_and_is_recorded_once() {
    given::<Cadre>(evaluated())
        .when(evaluate("e1", 80.0, 80.0, 80.0))
        .then_error("EVALUATION_EXISTS");
    let mut no_task = evaluate("e2", 80.0, 80.0, 80.0);
    if let Command::RecordEvaluation(c) = &mut no_task {
        c.task_name = "  ".into();
    }
    given::<Cadre>(evaluated())
        .when(no_task)
        .then_error("EVALUATION_TASK_REQUIRED");
    given::<Cadre>([])
        .when(evaluate("e1", 80.0, 80.0, 80.0))
        .then_error("CADRE_NOT_FOUND");
    given::<Cadre>(evaluated())
        .effective(d(2025, 7, 1), d(2025, 6, 30))
        .when(evaluate("e2", 80.0, 80.0, 80.0))
        .then_error("DATE_IN_FUTURE");
}

#[test]
fn a_grade_may_cite_the_cadres_own_evaluation() {
    let events = given::<Cadre>(evaluated())
        .on(d(2025, 4, 1))
        .when(grade_citing(Some("e1")))
        .then_ok();
    assert!(
        matches!(&events[0], E::GradeRecorded(g) if g.evaluation_id.as_deref() == Some("e1")),
        "{events:?}"
    );
    // Citing nothing is allowed too.
    given::<Cadre>(evaluated())
        .on(d(2025, 4, 1))
        .when(grade_citing(None))
        .then_ok();
}

#[test]
fn a_grade_citing_an_evaluation_not_on_the_record_is_refused() {
    let err = given::<Cadre>(evaluated())
        .on(d(2025, 4, 1))
        .when(grade_citing(Some("e-of-someone-else")))
        .then_error("EVALUATION_NOT_FOUND");
    assert!(err.message().contains("e-of-someone-else"), "{err}");
    assert!(err.message().contains("李华（c1）"), "{err}");
}

#[test]
fn a_decision_dated_before_the_evaluation_cannot_cite_it() {
    let err = given::<Cadre>(evaluated())
        .on(d(2025, 2, 1))
        .when(grade_citing(Some("e1")))
        .then_error("EVALUATION_AFTER_DECISION");
    assert!(err.message().contains("2025-03-01"), "{err}");
}

#[test]
fn an_award_may_cite_the_cadres_own_evaluation_only() {
    let grant = |evaluation_id: &str| Command::GrantAward {
        cadre_id: C.into(),
        award_id: "a1".into(),
        kind: AwardKind::Other,
        title: "重大项目攻坚先进个人".into(),
        year: 2025,
        basis: None,
        source: None,
        evaluation_id: Some(evaluation_id.into()),
    };
    let events = given::<Cadre>(evaluated())
        .on(d(2025, 4, 1))
        .when(grant("e1"))
        .then_ok();
    assert!(
        matches!(&events[0], E::AwardGranted(a) if a.evaluation_id.as_deref() == Some("e1")),
        "{events:?}"
    );
    given::<Cadre>(evaluated())
        .on(d(2025, 4, 1))
        .when(grant("e9"))
        .then_error("EVALUATION_NOT_FOUND");
}

#[test]
fn a_unit_batch_grade_citing_another_cadres_evaluation_is_refused() {
    let own = Cadre::fold(evaluated().iter());
    let other = Cadre::fold([registered("c2", Rank::PrincipalClerk4, d(2023, 1, 1))].iter());
    let facts = assessment::Facts {
        unit: Some(cadre::UnitFact {
            unit_id: "u-fgw".into(),
            name: "区发改委".into(),
        }),
        cadres: [(C.to_owned(), own), ("c2".to_owned(), other)]
            .into_iter()
            .collect(),
    };
    let batch = |entries: Vec<GradeEntry>| AssessmentCommand::RecordGrades {
        key: assessment::stream_key("u-fgw", 2024),
        unit_id: "u-fgw".into(),
        year: 2024,
        category: AssessmentCategory::Annual,
        entries,
        basis: None,
    };
    let entry = |cadre: &str, evaluation: Option<&str>| GradeEntry {
        cadre_id: cadre.into(),
        grade: Some(Grade::Competent),
        evaluation_id: evaluation.map(String::from),
    };
    let events = given::<Assessment>([])
        .with_facts(facts.clone())
        .on(d(2025, 4, 1))
        .when(batch(vec![entry(C, Some("e1")), entry("c2", None)]))
        .then_ok();
    let [assessment::Event::GradesRecorded(b)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(b.entries[0].evaluation_id.as_deref(), Some("e1"));
    let err = given::<Assessment>([])
        .with_facts(facts)
        .on(d(2025, 4, 1))
        .when(batch(vec![entry("c2", Some("e1"))]))
        .then_error("EVALUATION_NOT_FOUND");
    assert!(err.message().contains("（c2）"), "{err}");
}

#[test]
fn a_down_review_may_cite_the_cadres_own_evaluation_only() {
    let open = |evaluation_id: &str| {
        down::Command::Open(down::Open {
            review_id: "r1".into(),
            cadre_id: C.into(),
            trigger: down::Trigger::ReverseEvaluation,
            grade_year: None,
            reason: "重点项目推进长期滞后".into(),
            evaluation_id: Some(evaluation_id.into()),
        })
    };
    let facts = || down::Facts {
        subject: Some(Cadre::fold(evaluated().iter())),
        ..Cadres::of([CadreRef::new(C, "u-fgw")]).into()
    };
    let events = given::<Down>([])
        .with_facts(facts())
        .on(d(2025, 4, 1))
        .when(open("e1"))
        .then_ok();
    assert!(
        matches!(&events[0], down::Event::Opened(o) if o.evaluation_id.as_deref() == Some("e1")),
        "{events:?}"
    );
    given::<Down>([])
        .with_facts(facts())
        .on(d(2025, 4, 1))
        .when(open("e2"))
        .then_error("EVALUATION_NOT_FOUND");
    // Without the cadre's record the citation cannot be checked: refused, not waved through.
    given::<Down>([])
        .with_facts(Cadres::of([CadreRef::new(C, "u-fgw")]).into())
        .on(d(2025, 4, 1))
        .when(open("e1"))
        .then_error("CADRE_NOT_FOUND");
}

#[test]
fn the_citation_check_names_what_cites() {
    let state: cadre::State = Cadre::fold(evaluated().iter());
    assert!(cadre::check_cited(&state, None, d(2025, 1, 1), "奖励").is_ok());
    let err = cadre::check_cited(&state, Some("x"), d(2025, 4, 1), "奖励").unwrap_err();
    assert!(err.message().starts_with("奖励引用的双考评价 x"), "{err}");
}
