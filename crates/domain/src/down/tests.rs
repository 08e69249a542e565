//! Rule tests of the `down` stream: opening, findings, the one-method decision, execution and closing.

use super::*;
use crate::{
    context::{Actor, Role},
    error::DomainError,
    harness::given,
    practice::{CadreRef, Cadres, test_support::d},
    unit::PostFact,
};

fn opened() -> Event {
    Event::Opened(Opened {
        review_id: "r1".into(),
        cadre_id: "a".into(),
        unit_id: Some("u1".into()),
        trigger: Trigger::ReverseEvaluation,
        grade_year: None,
        reason: "群众反映较大".into(),
        opened_on: d(2025, 3, 1),
        due_on: Some(d(2025, 4, 30)),
        evaluation_id: None,
    })
}

fn findings() -> Event {
    Event::FindingsRecorded(FindingsRecorded {
        review_id: "r1".into(),
        cadre_id: "a".into(),
        situation: Situation::WorkLaggingForLong,
        findings: "分管工作连续两年排名末位".into(),
        recorded_on: d(2025, 4, 1),
    })
}

fn decided(method: Method) -> Event {
    Event::Decided(Decided {
        review_id: "r1".into(),
        cadre_id: "a".into(),
        unit_id: Some("u1".into()),
        situation: Situation::WorkLaggingForLong,
        method,
        decision_ref: "姜委〔2025〕12号".into(),
        decided_on: d(2025, 6, 30),
        to_post: None,
    })
}

fn decide(methods: Vec<Method>, decision_ref: &str) -> Command {
    Command::Decide(Decide {
        review_id: "r1".into(),
        decision_ref: decision_ref.into(),
        methods,
        to_post: None,
    })
}

#[test]
fn the_fifteen_situations_are_numbered_in_order() {
    assert_eq!(Situation::ALL.len(), 15);
    assert_eq!(Situation::WeakPoliticalAbility.number(), 1);
    assert_eq!(Situation::Other.number(), 15);
    let labels: std::collections::BTreeSet<&str> = Situation::ALL.iter().map(|s| s.zh()).collect();
    assert_eq!(labels.len(), 15, "every situation has its own label");
}

fn facts() -> Facts {
    Facts {
        subject: Some(graded_incompetent_in_2024()),
        ..Cadres::of([CadreRef::new("a", "u1")]).into()
    }
}

/// Cadre a's record: graded 不称职 for 2024 (a review may be opened on that year).
fn graded_incompetent_in_2024() -> crate::cadre::State {
    crate::cadre::State {
        registered: true,
        cadre_id: "a".into(),
        name: "甲".into(),
        grades: [(2024, Some(crate::types::Grade::Incompetent))].into(),
        ..Default::default()
    }
}

fn open_for_grade(year: Option<i32>) -> Command {
    Command::Open(Open {
        review_id: "r2".into(),
        cadre_id: "a".into(),
        trigger: Trigger::IncompetentGrade,
        grade_year: year,
        reason: String::new(),
        evaluation_id: None,
    })
}

#[test]
fn a_review_opens_from_reverse_evaluation_or_an_incompetent_grade() {
    given::<Aggregate>([])
        .with_facts(facts())
        .on(d(2025, 3, 1))
        .when(Command::Open(Open {
            review_id: "r1".into(),
            cadre_id: "a".into(),
            trigger: Trigger::ReverseEvaluation,
            grade_year: None,
            reason: "群众反映较大".into(),
            evaluation_id: None,
        }))
        .then_events([opened()]);
    given::<Aggregate>([])
        .with_facts(facts())
        .as_actor(Actor::system())
        .when(open_for_grade(Some(2024)))
        .then_ok();
}

#[test]
fn a_review_for_an_incompetent_grade_names_the_year() {
    let e = given::<Aggregate>([])
        .with_facts(facts())
        .when(open_for_grade(None))
        .then_error("DOWN_GRADE_YEAR_REQUIRED");
    assert!(matches!(e, DomainError::Invalid { .. }));
}

#[test]
fn a_review_is_about_a_known_cadre() {
    given::<Aggregate>([])
        .when(open_for_grade(Some(2024)))
        .then_error("CADRE_NOT_FOUND");
}

#[test]
fn a_review_is_opened_once() {
    given::<Aggregate>([opened()])
        .with_facts(facts())
        .when(open_for_grade(Some(2024)))
        .then_error("DOWN_REVIEW_EXISTS");
}

#[test]
fn only_the_organization_department_runs_reviews() {
    given::<Aggregate>([opened()])
        .as_actor(Actor::new("inspector", Role::DisciplineInspector))
        .when(Command::RecordFindings(RecordFindings {
            review_id: "r1".into(),
            situation: Situation::LackOfDrive,
            findings: "f".into(),
        }))
        .then_error("FORBIDDEN_ROLE");
}

#[test]
fn a_decision_needs_the_situation_recorded_first() {
    given::<Aggregate>([opened()])
        .when(decide(vec![Method::EarlyExit], "姜委〔2025〕12号"))
        .then_error("DOWN_SITUATION_REQUIRED");
    given::<Aggregate>([opened(), findings()])
        .when(decide(vec![Method::EarlyExit], "姜委〔2025〕12号"))
        .then_events([decided(Method::EarlyExit)]);
}

#[test]
fn a_decision_needs_a_decision_reference() {
    let e = given::<Aggregate>([opened(), findings()])
        .when(decide(vec![Method::ChangeToRank], "  "))
        .then_error("DOWN_DECISION_REF_REQUIRED");
    assert!(matches!(e, DomainError::Invalid { .. }));
}

fn target() -> TargetPost {
    TargetPost {
        unit_id: "u2".into(),
        post_id: "deputy".into(),
    }
}

/// The facts of the post `target()` names: a leadership post held by `holders`.
fn target_facts(holders: &[&str]) -> Facts {
    Facts {
        cadres: Cadres::default(),
        target: Some(TargetFact {
            post: Some(PostFact {
                unit_id: "u2".into(),
                unit_name: "区商务局".into(),
                post_id: "deputy".into(),
                title: "副局长".into(),
                category: crate::types::PostCategory::Business,
                leadership_level: Some(crate::types::LeadershipLevel::TownshipDeputy),
                heads_unit: false,
                reports_to: None,
                open: true,
                hot_limit_years: None,
                business_facing: true,
            }),
            holders: holders.iter().map(|h| (*h).to_owned()).collect(),
            ..Default::default()
        }),
        required_on: None,
        subject: Some(deputy_of_u1()),
    }
}

/// Cadre a's record: 四级调研员, deputy (乡科级副职) of u1.
fn deputy_of_u1() -> crate::cadre::State {
    crate::cadre::State {
        registered: true,
        cadre_id: "a".into(),
        name: "甲".into(),
        unit_id: "u1".into(),
        rank: Some(crate::types::Rank::Researcher4),
        leadership_level: Some(crate::types::LeadershipLevel::TownshipDeputy),
        posts: vec![crate::cadre::Holding {
            unit_id: "u1".into(),
            unit_name: "区发改委".into(),
            post_id: "deputy".into(),
            title: "副主任".into(),
            category: crate::types::PostCategory::General,
            leadership_level: Some(crate::types::LeadershipLevel::TownshipDeputy),
            heads_unit: false,
            since: d(2020, 1, 1),
        }],
        ..Default::default()
    }
}

fn decide_to(method: Method, to: Option<TargetPost>) -> Command {
    Command::Decide(Decide {
        review_id: "r1".into(),
        decision_ref: "文号".into(),
        methods: vec![method],
        to_post: to,
    })
}

#[test]
fn a_reverse_adjustment_names_a_vacant_post_and_no_other_method_names_one() {
    given::<Aggregate>([opened(), findings()])
        .with_facts(target_facts(&[]))
        .when(decide_to(Method::ReverseAdjustment, Some(target())))
        .then_ok();
    given::<Aggregate>([opened(), findings()])
        .when(decide_to(Method::ReverseAdjustment, None))
        .then_error("DOWN_TARGET_POST_REQUIRED");
    let missing = TargetPost {
        unit_id: "u2".into(),
        post_id: "nope".into(),
    };
    let e = given::<Aggregate>([opened(), findings()])
        .with_facts(target_facts(&[]))
        .when(decide_to(Method::ReverseAdjustment, Some(missing)))
        .then_error("POST_NOT_FOUND");
    assert!(
        e.message().contains("u2") && e.message().contains("nope"),
        "{e}"
    );
    let e = given::<Aggregate>([opened(), findings()])
        .with_facts(target_facts(&["b"]))
        .when(decide_to(Method::ReverseAdjustment, Some(target())))
        .then_error("POST_TAKEN");
    assert!(
        e.message().contains("区商务局（u2）") && e.message().contains("副局长"),
        "{e}"
    );
    given::<Aggregate>([opened(), findings()])
        .with_facts(target_facts(&[]))
        .when(decide_to(Method::ChangeToRank, Some(target())))
        .then_error("DOWN_TARGET_POST_UNEXPECTED");
}

#[test]
fn a_decided_target_taken_before_execution_is_refused_at_execution() {
    let mut decided = decided(Method::ReverseAdjustment);
    if let Event::Decided(d) = &mut decided {
        d.to_post = Some(target());
    }
    given::<Aggregate>([opened(), findings(), decided])
        .with_facts(target_facts(&["b"]))
        .when(Command::Execute(Execute {
            review_id: "r1".into(),
            note: String::new(),
        }))
        .then_error("POST_TAKEN");
}

#[test]
fn a_decision_names_exactly_one_method() {
    for method in Method::ALL {
        let to = (method == Method::ReverseAdjustment).then(target);
        given::<Aggregate>([opened(), findings()])
            .with_facts(target_facts(&[]))
            .when(decide_to(method, to))
            .then_ok();
    }
    let e = given::<Aggregate>([opened(), findings()])
        .when(decide(
            vec![Method::ChangeToRank, Method::EarlyExit],
            "文号",
        ))
        .then_error("DOWN_EXACTLY_ONE_METHOD");
    assert!(
        e.message()
            .contains("收到 2 种: 改任职级、提前退出领导岗位"),
        "{e}"
    );
    given::<Aggregate>([opened(), findings()])
        .when(decide(vec![], "文号"))
        .then_error("DOWN_EXACTLY_ONE_METHOD");
}

#[test]
fn a_decision_is_executed_once_after_it_is_made() {
    let execute = || {
        Command::Execute(Execute {
            review_id: "r1".into(),
            note: "已办理改任手续".into(),
        })
    };
    given::<Aggregate>([opened(), findings()])
        .when(execute())
        .then_error("DOWN_STATUS");
    let events = given::<Aggregate>([opened(), findings(), decided(Method::EarlyExit)])
        .when(execute())
        .then_events([Event::Executed(Executed {
            review_id: "r1".into(),
            cadre_id: "a".into(),
            method: Method::EarlyExit,
            note: "已办理改任手续".into(),
            executed_on: d(2025, 6, 30),
            decision_ref: Some("姜委〔2025〕12号".into()),
            decided_on: Some(d(2025, 6, 30)),
            to_post: None,
        })]);
    let mut history = vec![opened(), findings(), decided(Method::EarlyExit)];
    history.extend(events);
    let e = given::<Aggregate>(history)
        .when(execute())
        .then_error("DOWN_STATUS");
    assert!(e.message().contains("已执行"), "{e}");
}

#[test]
fn a_review_closes_without_action_only_before_a_decision() {
    let close = || {
        Command::CloseWithoutAction(CloseWithoutAction {
            review_id: "r1".into(),
            reason: "经研判不属于不适宜情形".into(),
        })
    };
    given::<Aggregate>([opened(), findings()])
        .when(close())
        .then_ok();
    given::<Aggregate>([opened(), findings(), decided(Method::EarlyExit)])
        .when(close())
        .then_error("DOWN_STATUS");
    let e = given::<Aggregate>([opened()])
        .when(Command::CloseWithoutAction(CloseWithoutAction {
            review_id: "r1".into(),
            reason: "".into(),
        }))
        .then_error("EMPTY_FIELD");
    assert!(matches!(e, DomainError::Invalid { .. }));
}

#[test]
fn an_incompetent_grade_opens_a_review_through_the_system() {
    let required = crate::cadre::DownReviewRequired {
        cadre_id: "a".into(),
        year: 2024,
        reason: "2024 年度考核不称职".into(),
        raised_on: d(2025, 2, 1),
    };
    let events = given::<Aggregate>([])
        .with_facts(facts())
        .as_actor(Actor::system())
        .on(d(2025, 2, 1))
        .when(Command::Open(Open::for_incompetent_grade("r9", &required)))
        .then_ok();
    assert!(matches!(&events[0], Event::Opened(o)
        if o.trigger == Trigger::IncompetentGrade && o.grade_year == Some(2024) && o.cadre_id == "a"));
}

#[test]
fn the_review_due_date_follows_policy() {
    let mut policy = crate::policy::Policy::national_default();
    policy.reminders.down_review_due_days = 30;
    let events = given::<Aggregate>([])
        .with_facts(Cadres::of([CadreRef::new("a", "u1")]).into())
        .with_policy(policy)
        .on(d(2025, 3, 1))
        .when(Command::Open(Open {
            review_id: "r1".into(),
            cadre_id: "a".into(),
            trigger: Trigger::ReverseEvaluation,
            grade_year: None,
            reason: String::new(),
            evaluation_id: None,
        }))
        .then_ok();
    assert!(matches!(&events[0], Event::Opened(o) if o.due_on == Some(d(2025, 3, 31))));
}

#[test]
fn commands_name_an_opened_review() {
    let e = given::<Aggregate>([])
        .when(decide(vec![Method::EarlyExit], "文号"))
        .then_error("DOWN_REVIEW_NOT_FOUND");
    assert!(matches!(e, DomainError::NotFound { .. }));
}

#[test]
fn review_steps_are_dated_in_order() {
    let findings = || {
        Command::RecordFindings(RecordFindings {
            review_id: "r1".into(),
            situation: Situation::LackOfDrive,
            findings: "f".into(),
        })
    };
    given::<Aggregate>([opened()])
        .on(d(2025, 3, 1))
        .when(findings())
        .then_ok();
    given::<Aggregate>([opened()])
        .on(d(2025, 2, 28))
        .when(findings())
        .then_error("DATE_BEFORE_PREVIOUS_STEP");
}

fn open_second(review_id: &str) -> Command {
    Command::Open(Open {
        review_id: review_id.into(),
        cadre_id: "a".into(),
        trigger: Trigger::ReverseEvaluation,
        grade_year: None,
        reason: "再次反映不适宜担任现职".into(),
        evaluation_id: None,
    })
}

#[test]
fn a_second_review_for_a_cadre_with_one_still_open_is_refused() {
    let e = given::<Aggregate>([])
        .with_facts(Cadres::of([CadreRef::new("a", "u1").with_open_down_review("r1")]).into())
        .on(d(2025, 6, 1))
        .when(open_second("r2"))
        .then_error("DOWN_REVIEW_ALREADY_OPEN");
    let message = e.to_string();
    assert!(
        message.contains("r1") && message.contains("同一干部同时只能有一项研判"),
        "{message}"
    );
}

#[test]
fn a_review_opens_for_a_cadre_whose_earlier_review_is_closed() {
    // The application loads no open review once the earlier one was executed or closed.
    let events = given::<Aggregate>([])
        .with_facts(Cadres::of([CadreRef::new("a", "u1")]).into())
        .on(d(2025, 6, 1))
        .when(open_second("r2"))
        .then_ok();
    assert!(matches!(&events[0], Event::Opened(o) if o.review_id == "r2" && o.cadre_id == "a"));
}
