//! Rule tests of the appeal stream's closed loop.

use super::*;
use crate::{
    context::Actor,
    harness::given,
    policy::Policy,
    practice::{CadreRef, test_support::d},
};

/// Cadre `a` of u1; the units u1, u9 and the street 三水街道 (u22).
fn facts() -> Facts {
    Facts::new(
        Cadres::of([CadreRef::new("a", "u1")]),
        [("u1", "区发改委"), ("u9", "区信访局"), ("u22", "三水街道")],
    )
}

fn file_cmd() -> Command {
    Command::File(File {
        appeal_id: "p1".into(),
        cadre_id: "a".into(),
        level: CentreLevel::Town,
        town: Some("三水街道".into()),
        summary: "容错认定申诉".into(),
    })
}

fn filed_on(day: NaiveDate) -> Event {
    Event::Filed(Filed {
        appeal_id: "p1".into(),
        cadre_id: "a".into(),
        unit_id: Some("u1".into()),
        level: CentreLevel::Town,
        town: Some("三水街道".into()),
        summary: "容错认定申诉".into(),
        filed_on: day,
        due_on: Some(day + Days::new(3)),
    })
}

fn listed_on(day: NaiveDate) -> Event {
    Event::Listed(Listed {
        appeal_id: "p1".into(),
        assignee_unit_id: "u9".into(),
        listed_on: day,
        due_on: Some(day + Days::new(3)),
    })
}

fn claimed_on(day: NaiveDate) -> Event {
    Event::Claimed(Claimed {
        appeal_id: "p1".into(),
        handler: "张科长".into(),
        claimed_on: day,
        due_on: Some(day + Days::new(5)),
    })
}

fn coordinate_cmd() -> Command {
    Command::Coordinate(Coordinate {
        appeal_id: "p1".into(),
        participant_unit_ids: vec!["u9".into()],
        outcome: "明确责任".into(),
    })
}

fn claim_cmd() -> Command {
    Command::Claim(Claim {
        appeal_id: "p1".into(),
        handler: "张科长".into(),
    })
}

#[test]
fn a_cadre_files_an_appeal_for_themselves() {
    given::<Aggregate>([])
        .with_facts(facts())
        .as_actor(Actor::scoped("acct-a", Role::Cadre, "a"))
        .on(d(2025, 6, 1))
        .when(file_cmd())
        .then_events([filed_on(d(2025, 6, 1))]);
    given::<Aggregate>([])
        .with_facts(facts())
        .as_actor(Actor::scoped("acct-b", Role::Cadre, "b"))
        .when(file_cmd())
        .then_error("FORBIDDEN_SCOPE");
}

#[test]
fn an_appeal_is_filed_once() {
    given::<Aggregate>([filed_on(d(2025, 6, 1))])
        .with_facts(facts())
        .when(file_cmd())
        .then_error("APPEAL_EXISTS");
}

#[test]
fn an_appeal_is_about_a_known_cadre() {
    given::<Aggregate>([])
        .when(file_cmd())
        .then_error("CADRE_NOT_FOUND");
}

#[test]
fn a_town_centre_appeal_names_its_town_and_every_appeal_has_content() {
    let mut c = File {
        appeal_id: "p1".into(),
        cadre_id: "a".into(),
        level: CentreLevel::Town,
        town: None,
        summary: "诉求".into(),
    };
    given::<Aggregate>([])
        .with_facts(facts())
        .when(Command::File(c.clone()))
        .then_error("APPEAL_TOWN_REQUIRED");
    c.level = CentreLevel::District;
    given::<Aggregate>([])
        .with_facts(facts())
        .when(Command::File(c.clone()))
        .then_ok();
    c.summary = " ".into();
    given::<Aggregate>([])
        .with_facts(facts())
        .when(Command::File(c))
        .then_error("EMPTY_FIELD");
}

#[test]
fn the_closed_loop_skips_no_stage() {
    let history = [filed_on(d(2025, 6, 1)), listed_on(d(2025, 6, 2))];
    given::<Aggregate>(history.clone())
        .on(d(2025, 6, 3))
        .when(claim_cmd())
        .then_events([claimed_on(d(2025, 6, 3))]);
    let e = given::<Aggregate>(history.clone())
        .when(coordinate_cmd())
        .then_error("APPEAL_STAGE_OUT_OF_ORDER");
    assert_eq!(
        e.message(),
        "诉求流转被拒绝: 当前环节为「清单交办」, 下一环节应为「诉求领办」, 不能直接进入「协调会办」"
    );
    let e = given::<Aggregate>(history)
        .when(Command::Close(Close {
            appeal_id: "p1".into(),
            resolution: "已解决".into(),
        }))
        .then_error("APPEAL_STAGE_OUT_OF_ORDER");
    assert!(e.message().contains("不能直接进入「办结」"), "{e}");
}

#[test]
fn the_closed_loop_never_goes_back_nor_past_closing() {
    let history = [
        filed_on(d(2025, 6, 1)),
        listed_on(d(2025, 6, 2)),
        claimed_on(d(2025, 6, 3)),
    ];
    let e = given::<Aggregate>(history.clone())
        .when(Command::List(List {
            appeal_id: "p1".into(),
            assignee_unit_id: "u9".into(),
        }))
        .then_error("APPEAL_STAGE_OUT_OF_ORDER");
    assert!(
        e.message()
            .contains("「清单交办」已办理, 下一环节应为「协调会办」"),
        "{e}"
    );
    let mut closed = history.to_vec();
    closed.extend([
        Event::Coordinated(Coordinated {
            appeal_id: "p1".into(),
            participant_unit_ids: vec![],
            outcome: "o".into(),
            coordinated_on: d(2025, 6, 4),
            due_on: None,
        }),
        Event::Tracked(Tracked {
            appeal_id: "p1".into(),
            note: "n".into(),
            tracked_on: d(2025, 6, 5),
            due_on: None,
        }),
        Event::Closed(Closed {
            appeal_id: "p1".into(),
            resolution: "r".into(),
            closed_on: d(2025, 6, 6),
            days_open: 5,
        }),
    ]);
    let e = given::<Aggregate>(closed)
        .when(Command::Track(Track {
            appeal_id: "p1".into(),
            note: "n".into(),
        }))
        .then_error("APPEAL_STAGE_OUT_OF_ORDER");
    assert!(e.message().contains("诉求已「办结」"), "{e}");
}

#[test]
fn every_stage_runs_in_order_to_closing() {
    let mut history = vec![filed_on(d(2025, 6, 1))];
    let steps: Vec<(NaiveDate, Command)> = vec![
        (
            d(2025, 6, 2),
            Command::List(List {
                appeal_id: "p1".into(),
                assignee_unit_id: "u9".into(),
            }),
        ),
        (d(2025, 6, 3), claim_cmd()),
        (d(2025, 6, 10), coordinate_cmd()),
        (
            d(2025, 6, 12),
            Command::Track(Track {
                appeal_id: "p1".into(),
                note: "每周回访".into(),
            }),
        ),
        (
            d(2025, 6, 30),
            Command::Close(Close {
                appeal_id: "p1".into(),
                resolution: "已解决".into(),
            }),
        ),
    ];
    for (day, cmd) in steps {
        let events = given::<Aggregate>(history.clone())
            .with_facts(facts())
            .on(day)
            .when(cmd)
            .then_ok();
        history.extend(events);
    }
    assert!(matches!(history.last(), Some(Event::Closed(c)) if c.days_open == 29));
}

#[test]
fn a_stage_is_not_dated_before_the_previous_one_nor_in_the_future() {
    let history = [filed_on(d(2025, 6, 1)), listed_on(d(2025, 6, 5))];
    given::<Aggregate>(history.clone())
        .on(d(2025, 6, 4))
        .when(claim_cmd())
        .then_error("DATE_BEFORE_PREVIOUS_STEP");
    given::<Aggregate>(history)
        .effective(d(2025, 6, 9), d(2025, 6, 8))
        .when(claim_cmd())
        .then_error("DATE_IN_FUTURE");
}

#[test]
fn only_centre_staff_move_an_appeal() {
    let history = [filed_on(d(2025, 6, 1)), listed_on(d(2025, 6, 2))];
    given::<Aggregate>(history.clone())
        .as_actor(Actor::scoped("acct-a", Role::Cadre, "a"))
        .when(claim_cmd())
        .then_error("FORBIDDEN_ROLE");
    given::<Aggregate>(history)
        .as_actor(Actor::scoped("head", Role::UnitHead, "u9"))
        .when(claim_cmd())
        .then_ok();
}

#[test]
fn stage_deadlines_come_from_policy() {
    let mut policy = Policy::national_default();
    policy.appeal.assign_days = 2;
    let events = given::<Aggregate>([filed_on(d(2025, 6, 1))])
        .with_policy(policy)
        .with_facts(facts())
        .on(d(2025, 6, 2))
        .when(Command::List(List {
            appeal_id: "p1".into(),
            assignee_unit_id: "u9".into(),
        }))
        .then_ok();
    assert!(matches!(&events[0], Event::Listed(l) if l.due_on == Some(d(2025, 6, 4))));
}

#[test]
fn overdue_stages_show_as_of_a_date() {
    let policy = Policy::national_default().appeal; // 3, 3, 5, 15, 30 days
    let mut t = Timeline::default();
    for e in [
        filed_on(d(2025, 6, 1)),
        listed_on(d(2025, 6, 6)),
        claimed_on(d(2025, 6, 8)),
    ] {
        t.apply(&e);
    }
    assert_eq!(t.current(), Some(Stage::Claimed));
    // Listing was due on 06-04 and happened on 06-06: a breach of 2 days, whatever the date.
    let breaches = t.overdue(&policy, d(2025, 6, 8));
    assert_eq!(breaches.len(), 1);
    assert_eq!(
        (breaches[0].stage, breaches[0].days_overdue(d(2025, 6, 8))),
        (Stage::Filed, 2)
    );
    // Claimed on 06-08, coordination due 06-13: on time on the 13th, overdue on the 14th.
    assert_eq!(t.current_overdue(&policy, d(2025, 6, 13)), None);
    let open = t.current_overdue(&policy, d(2025, 6, 14)).expect("overdue");
    assert_eq!(
        (open.stage, open.due_on, open.days_overdue(d(2025, 6, 14))),
        (Stage::Claimed, d(2025, 6, 13), 1)
    );
    assert_eq!(Stage::Closed.due_on(d(2025, 6, 1), &policy), None);
}

#[test]
fn a_typical_case_is_marked_once() {
    let mark = || {
        Command::MarkTypical(MarkTypical {
            appeal_id: "p1".into(),
            reason: "化解积案".into(),
        })
    };
    let events = given::<Aggregate>([filed_on(d(2025, 6, 1))])
        .when(mark())
        .then_ok();
    let mut history = vec![filed_on(d(2025, 6, 1))];
    history.extend(events);
    given::<Aggregate>(history)
        .when(mark())
        .then_error("APPEAL_ALREADY_TYPICAL");
    given::<Aggregate>([])
        .when(mark())
        .then_error("APPEAL_NOT_FOUND");
}

#[test]
fn the_units_an_appeal_names_are_registered() {
    let history = [filed_on(d(2025, 6, 1))];
    let list = |unit: &str| {
        Command::List(List {
            appeal_id: "p1".into(),
            assignee_unit_id: unit.into(),
        })
    };
    let err = given::<Aggregate>(history.clone())
        .with_facts(facts())
        .on(d(2025, 6, 2))
        .when(list("u99"))
        .then_error("UNIT_NOT_FOUND");
    assert!(err.to_string().contains("u99"), "{err}");
    given::<Aggregate>(history)
        .with_facts(facts())
        .on(d(2025, 6, 2))
        .when(list("u9"))
        .then_ok();
    let history = [
        filed_on(d(2025, 6, 1)),
        listed_on(d(2025, 6, 2)),
        claimed_on(d(2025, 6, 3)),
    ];
    let coordinate = |units: &[&str]| {
        Command::Coordinate(Coordinate {
            appeal_id: "p1".into(),
            participant_unit_ids: units.iter().map(|u| (*u).to_owned()).collect(),
            outcome: "明确责任".into(),
        })
    };
    given::<Aggregate>(history.clone())
        .with_facts(facts())
        .on(d(2025, 6, 4))
        .when(coordinate(&["u9", "zz-nonexistent"]))
        .then_error("UNIT_NOT_FOUND");
    given::<Aggregate>(history.clone())
        .with_facts(facts())
        .on(d(2025, 6, 4))
        .when(coordinate(&[]))
        .then_error("APPEAL_NO_PARTICIPANTS");
    given::<Aggregate>(history)
        .with_facts(facts())
        .on(d(2025, 6, 4))
        .when(coordinate(&["u9", "u1"]))
        .then_ok();
}

#[test]
fn a_town_centre_names_a_registered_town() {
    let file = |town: &str| {
        Command::File(File {
            appeal_id: "p1".into(),
            cadre_id: "a".into(),
            level: CentreLevel::Town,
            town: Some(town.into()),
            summary: "容错认定申诉".into(),
        })
    };
    let err = given::<Aggregate>([])
        .with_facts(facts())
        .on(d(2025, 6, 1))
        .when(file("火星镇"))
        .then_error("UNIT_NOT_FOUND");
    assert!(
        err.to_string().contains("三水街道"),
        "lists the towns: {err}"
    );
    given::<Aggregate>([])
        .with_facts(facts())
        .on(d(2025, 6, 1))
        .when(file("区信访局"))
        .then_error("APPEAL_TOWN_NOT_A_TOWN");
    // By its name or its id; the event records the name.
    for town in ["三水街道", "u22"] {
        given::<Aggregate>([])
            .with_facts(facts())
            .on(d(2025, 6, 1))
            .when(file(town))
            .then_events([filed_on(d(2025, 6, 1))]);
    }
}

#[test]
fn an_appeal_is_not_filed_before_the_records_begin() {
    given::<Aggregate>([])
        .with_facts(facts())
        .effective(d(1901, 1, 1), d(2026, 11, 20))
        .when(file_cmd())
        .then_error("INPUT_OUT_OF_RANGE");
}

#[test]
fn a_typical_case_is_not_dated_before_the_stage_it_was_in() {
    let mark = Command::MarkTypical(MarkTypical {
        appeal_id: "p1".into(),
        reason: "化解积案".into(),
    });
    let history = [
        filed_on(d(2026, 11, 1)),
        listed_on(d(2026, 11, 2)),
        claimed_on(d(2026, 11, 12)),
    ];
    let err = given::<Aggregate>(history.clone())
        .on(d(2026, 11, 10))
        .when(mark.clone())
        .then_error("DATE_BEFORE_PREVIOUS_STEP");
    assert!(err.to_string().contains("诉求领办"), "{err}");
    given::<Aggregate>(history)
        .on(d(2026, 11, 12))
        .when(mark)
        .then_ok();
}
