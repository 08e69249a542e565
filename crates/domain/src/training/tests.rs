//! Rule tests of the training stream (classes, enrolment, attendance, completion).

use super::*;
use crate::{
    harness::given,
    practice::{CadreRef, test_support::d},
};

fn scheduled() -> Event {
    Event::Scheduled(Scheduled {
        class_id: "c1".into(),
        name: "智改数转专题班".into(),
        kind: ClassKind::Thematic,
        theme: Some("智改数转".into()),
        start_date: d(2025, 6, 2),
        end_date: d(2025, 6, 6),
        scheduled_hours: 40.0,
        methods: vec![TeachingMethod::Case, TeachingMethod::Discussion],
        organizer_unit_id: Some("party-school".into()),
    })
}

fn enrolled(cadre: &str) -> Event {
    Event::Enrolled(Enrolled {
        class_id: "c1".into(),
        cadre_id: cadre.into(),
        unit_id: Some("u1".into()),
        enrolled_on: d(2025, 5, 20),
    })
}

fn attended(cadre: &str, day: u32, hours: f64, total: f64) -> Event {
    Event::AttendanceRecorded(AttendanceRecorded {
        class_id: "c1".into(),
        cadre_id: cadre.into(),
        unit_id: Some("u1".into()),
        session_date: d(2025, 6, day),
        session: None,
        hours,
        total_hours: total,
    })
}

fn cadres() -> Cadres {
    Cadres::of([CadreRef::new("a", "u1"), CadreRef::new("b", "u2")])
}

fn schedule_cmd(kind: ClassKind, theme: Option<&str>) -> Command {
    Command::Schedule(Schedule {
        class_id: "c1".into(),
        name: "第一期主体班".into(),
        kind,
        theme: theme.map(str::to_owned),
        start_date: d(2025, 6, 2),
        end_date: d(2025, 6, 6),
        scheduled_hours: 40.0,
        methods: vec![TeachingMethod::Simulation],
        organizer_unit_id: None,
    })
}

fn attend_cmd(cadre: &str, day: u32, hours: f64) -> Command {
    Command::RecordAttendance(RecordAttendance {
        class_id: "c1".into(),
        cadre_id: cadre.into(),
        session_date: d(2025, 6, day),
        session: None,
        hours,
    })
}

fn enrol_cmd(cadre: &str) -> Command {
    Command::Enrol(Enrol {
        class_id: "c1".into(),
        cadre_id: cadre.into(),
    })
}

fn complete_cmd(cadre: &str) -> Command {
    Command::Complete(Complete {
        class_id: "c1".into(),
        cadre_id: cadre.into(),
    })
}

#[test]
fn thematic_class_needs_a_theme() {
    given::<Aggregate>([])
        .when(schedule_cmd(ClassKind::Main, None))
        .then_ok();
    let events = given::<Aggregate>([])
        .when(schedule_cmd(ClassKind::Thematic, Some("领雁人才")))
        .then_ok();
    assert!(matches!(&events[0], Event::Scheduled(s) if s.theme.as_deref() == Some("领雁人才")));
    given::<Aggregate>([])
        .when(schedule_cmd(ClassKind::Thematic, Some("  ")))
        .then_error("TRAINING_THEME_REQUIRED");
}

#[test]
fn enrolment_closes_when_the_class_has_ended() {
    given::<Aggregate>([scheduled()])
        .with_facts(cadres())
        .on(d(2025, 6, 6))
        .when(enrol_cmd("a"))
        .then_events([Event::Enrolled(Enrolled {
            class_id: "c1".into(),
            cadre_id: "a".into(),
            unit_id: Some("u1".into()),
            enrolled_on: d(2025, 6, 6),
        })]);
    let e = given::<Aggregate>([scheduled()])
        .with_facts(cadres())
        .on(d(2025, 6, 7))
        .when(enrol_cmd("a"))
        .then_error("TRAINING_ENROL_AFTER_END");
    assert!(e.message().contains("2025-06-06"), "{e}");
}

#[test]
fn a_cadre_enrols_only_once() {
    given::<Aggregate>([scheduled(), enrolled("a")])
        .with_facts(cadres())
        .on(d(2025, 6, 1))
        .when(enrol_cmd("b"))
        .then_ok();
    given::<Aggregate>([scheduled(), enrolled("a")])
        .with_facts(cadres())
        .on(d(2025, 6, 1))
        .when(enrol_cmd("a"))
        .then_error("TRAINING_ALREADY_ENROLLED");
}

#[test]
fn attendance_only_for_enrolled_cadres() {
    given::<Aggregate>([scheduled(), enrolled("a")])
        .on(d(2025, 6, 3))
        .when(attend_cmd("a", 3, 8.0))
        .then_events([attended("a", 3, 8.0, 8.0)]);
    let e = given::<Aggregate>([scheduled(), enrolled("a")])
        .on(d(2025, 6, 3))
        .when(attend_cmd("b", 3, 8.0))
        .then_error("TRAINING_NOT_ENROLLED");
    assert!(matches!(e, DomainError::Invalid { .. }));
}

#[test]
fn attendance_only_within_class_dates() {
    given::<Aggregate>([scheduled(), enrolled("a")])
        .on(d(2025, 6, 30))
        .when(attend_cmd("a", 6, 8.0))
        .then_ok();
    let e = given::<Aggregate>([scheduled(), enrolled("a")])
        .on(d(2025, 6, 30))
        .when(attend_cmd("a", 7, 8.0))
        .then_error("TRAINING_ATTENDANCE_OUTSIDE_DATES");
    assert!(
        e.message().contains("2025-06-07") && e.message().contains("2025-06-02"),
        "{e}"
    );
}

#[test]
fn hours_credited_never_exceed_scheduled_hours() {
    let history = [
        scheduled(),
        enrolled("a"),
        attended("a", 2, 16.0, 16.0),
        attended("a", 3, 16.0, 32.0),
    ];
    given::<Aggregate>(history.clone())
        .on(d(2025, 6, 4))
        .when(attend_cmd("a", 4, 8.0))
        .then_events([attended("a", 4, 8.0, 40.0)]);
    let e = given::<Aggregate>(history)
        .on(d(2025, 6, 4))
        .when(attend_cmd("a", 4, 8.5))
        .then_error("TRAINING_HOURS_EXCEED_SCHEDULE");
    assert!(
        e.message().contains("40.5") && e.message().contains("计划学时 40"),
        "{e}"
    );
}

#[test]
fn completion_needs_the_attendance_threshold() {
    // 32 of 40 hours = 80%: enough under the national default.
    let enough = [
        scheduled(),
        enrolled("a"),
        attended("a", 2, 16.0, 16.0),
        attended("a", 3, 16.0, 32.0),
    ];
    given::<Aggregate>(enough.clone())
        .on(d(2025, 6, 6))
        .when(complete_cmd("a"))
        .then_events([Event::Completed(Completed {
            class_id: "c1".into(),
            cadre_id: "a".into(),
            unit_id: Some("u1".into()),
            class_kind: ClassKind::Thematic,
            completed_on: d(2025, 6, 6),
            hours_credited: 32.0,
            attendance_percent: 80.0,
        })]);
    // A district raising the threshold to 90% refuses the same record.
    let mut strict = crate::policy::Policy::national_default();
    strict.training.completion_attendance_percent = 90;
    let e = given::<Aggregate>(enough)
        .with_policy(strict)
        .on(d(2025, 6, 6))
        .when(complete_cmd("a"))
        .then_error("TRAINING_COMPLETION_ATTENDANCE");
    assert!(
        e.message().contains("80.0%") && e.message().contains("90%"),
        "{e}"
    );
    given::<Aggregate>([scheduled(), enrolled("a"), attended("a", 2, 16.0, 16.0)])
        .on(d(2025, 6, 6))
        .when(complete_cmd("a"))
        .then_error("TRAINING_COMPLETION_ATTENDANCE");
}

#[test]
fn closing_lists_those_not_completed_and_freezes_the_class() {
    let history = [scheduled(), enrolled("a"), attended("a", 2, 8.0, 8.0)];
    let close = || {
        Command::Close(Close {
            class_id: "c1".into(),
        })
    };
    given::<Aggregate>(history.clone())
        .on(d(2025, 6, 5))
        .when(close())
        .then_error("TRAINING_CLOSE_BEFORE_END");
    let events = given::<Aggregate>(history.clone())
        .on(d(2025, 6, 10))
        .when(close())
        .then_events([Event::Closed(Closed {
            class_id: "c1".into(),
            closed_on: d(2025, 6, 10),
            completed: 0,
            not_completed: vec![CadreHours {
                cadre_id: "a".into(),
                unit_id: Some("u1".into()),
                hours_credited: 8.0,
            }],
        })]);
    let mut closed = history.to_vec();
    closed.extend(events);
    given::<Aggregate>(closed)
        .on(d(2025, 6, 10))
        .when(attend_cmd("a", 3, 8.0))
        .then_error("TRAINING_CLASS_CLOSED");
}

/// A valid class schedule, changed by `f`.
fn schedule_with(f: impl FnOnce(&mut Schedule)) -> Command {
    let mut s = Schedule {
        class_id: "c2".into(),
        name: "第二期主体班".into(),
        kind: ClassKind::Main,
        theme: None,
        start_date: d(2025, 6, 2),
        end_date: d(2025, 6, 6),
        scheduled_hours: 40.0,
        methods: vec![TeachingMethod::Case],
        organizer_unit_id: None,
    };
    f(&mut s);
    Command::Schedule(s)
}

#[test]
fn a_class_is_scheduled_once() {
    given::<Aggregate>([])
        .when(schedule_cmd(ClassKind::Main, None))
        .then_ok();
    given::<Aggregate>([scheduled()])
        .when(schedule_cmd(ClassKind::Main, None))
        .then_error("TRAINING_CLASS_EXISTS");
}

#[test]
fn a_class_does_not_end_before_it_starts() {
    given::<Aggregate>([])
        .when(schedule_with(|s| s.end_date = s.start_date))
        .then_ok();
    let e = given::<Aggregate>([])
        .when(schedule_with(|s| s.end_date = d(2025, 6, 1)))
        .then_error("DATE_RANGE_REVERSED");
    assert!(matches!(e, DomainError::Invalid { .. }));
    assert!(
        e.message().contains("2025-06-01") && e.message().contains("2025-06-02"),
        "{e}"
    );
}

#[test]
fn scheduled_hours_are_above_zero() {
    given::<Aggregate>([])
        .when(schedule_with(|s| s.scheduled_hours = 0.5))
        .then_ok();
    for hours in [0.0, -8.0, f64::NAN] {
        given::<Aggregate>([])
            .when(schedule_with(|s| s.scheduled_hours = hours))
            .then_error("HOURS_NOT_POSITIVE");
    }
}

#[test]
fn a_class_has_a_name_and_lists_each_teaching_method_once() {
    given::<Aggregate>([])
        .when(schedule_with(|s| s.methods = TeachingMethod::ALL.to_vec()))
        .then_ok();
    let e = given::<Aggregate>([])
        .when(schedule_with(|s| {
            s.methods = vec![TeachingMethod::Case, TeachingMethod::Case]
        }))
        .then_error("DUPLICATE_ENTRY");
    assert!(e.message().contains("案例式"), "{e}");
    given::<Aggregate>([])
        .when(schedule_with(|s| s.name = " ".into()))
        .then_error("EMPTY_FIELD");
}

#[test]
fn enrolment_needs_a_known_cadre() {
    given::<Aggregate>([scheduled()])
        .with_facts(cadres())
        .on(d(2025, 6, 1))
        .when(enrol_cmd("b"))
        .then_ok();
    given::<Aggregate>([scheduled()])
        .with_facts(cadres())
        .on(d(2025, 6, 1))
        .when(enrol_cmd("ghost"))
        .then_error("CADRE_NOT_FOUND");
}

#[test]
fn commands_name_a_scheduled_class() {
    let e = given::<Aggregate>([])
        .with_facts(cadres())
        .when(enrol_cmd("a"))
        .then_error("TRAINING_CLASS_NOT_FOUND");
    assert!(matches!(e, DomainError::NotFound { .. }));
}

#[test]
fn attendance_is_not_recorded_for_a_future_session() {
    given::<Aggregate>([scheduled(), enrolled("a")])
        .on(d(2025, 6, 4))
        .when(attend_cmd("a", 4, 8.0))
        .then_ok();
    given::<Aggregate>([scheduled(), enrolled("a")])
        .on(d(2025, 6, 3))
        .when(attend_cmd("a", 4, 8.0))
        .then_error("DATE_IN_FUTURE");
}

#[test]
fn a_session_is_recorded_once_per_cadre() {
    let history = [scheduled(), enrolled("a"), attended("a", 3, 4.0, 4.0)];
    given::<Aggregate>(history.clone())
        .on(d(2025, 6, 3))
        .when(Command::RecordAttendance(RecordAttendance {
            class_id: "c1".into(),
            cadre_id: "a".into(),
            session_date: d(2025, 6, 3),
            session: Some("下午".into()),
            hours: 4.0,
        }))
        .then_ok();
    given::<Aggregate>(history)
        .on(d(2025, 6, 3))
        .when(attend_cmd("a", 3, 4.0))
        .then_error("TRAINING_ATTENDANCE_DUPLICATE");
}

#[test]
fn attendance_credits_hours_above_zero() {
    given::<Aggregate>([scheduled(), enrolled("a")])
        .on(d(2025, 6, 3))
        .when(attend_cmd("a", 3, 0.5))
        .then_ok();
    given::<Aggregate>([scheduled(), enrolled("a")])
        .on(d(2025, 6, 3))
        .when(attend_cmd("a", 3, 0.0))
        .then_error("HOURS_NOT_POSITIVE");
}

#[test]
fn attendance_hours_are_recorded_to_the_hundredth() {
    given::<Aggregate>([scheduled(), enrolled("a")])
        .on(d(2025, 6, 3))
        .when(attend_cmd("a", 3, 3.33))
        .then_ok();
    let e = given::<Aggregate>([scheduled(), enrolled("a")])
        .on(d(2025, 6, 3))
        .when(attend_cmd("a", 3, 8.001))
        .then_error("HOURS_PRECISION");
    assert!(e.message().contains("8.001"), "{e}");
    given::<Aggregate>([])
        .when(schedule_with(|s| s.scheduled_hours = 40.005))
        .then_error("HOURS_PRECISION");
}

#[test]
fn hours_credited_in_a_class_are_summed_exactly() {
    // 45.1 + 33.3 + 11.6 is 90 hours exactly: it fills a class of 90 scheduled hours.
    let class = Event::Scheduled(Scheduled {
        scheduled_hours: 90.0,
        end_date: d(2025, 6, 30),
        ..match scheduled() {
            Event::Scheduled(s) => s,
            _ => unreachable!(),
        }
    });
    let history = [
        class,
        enrolled("a"),
        attended("a", 2, 45.1 / 2.0, 22.55),
        attended("a", 3, 22.55, 45.1),
        attended("a", 4, 22.2, 67.3),
        attended("a", 5, 11.1, 78.4),
    ];
    let events = given::<Aggregate>(history.clone())
        .on(d(2025, 6, 6))
        .when(attend_cmd("a", 6, 11.6))
        .then_ok();
    assert!(
        matches!(&events[..], [Event::AttendanceRecorded(a)] if a.total_hours == 90.0),
        "{events:?}"
    );
}

#[test]
fn a_session_is_not_dated_after_the_effective_date() {
    // Recorded on 2025-06-30 with effect from 2025-06-03: a session of 06-04 had not happened.
    given::<Aggregate>([scheduled(), enrolled("a")])
        .effective(d(2025, 6, 3), d(2025, 6, 30))
        .when(attend_cmd("a", 3, 8.0))
        .then_ok();
    let e = given::<Aggregate>([scheduled(), enrolled("a")])
        .effective(d(2025, 6, 3), d(2025, 6, 30))
        .when(attend_cmd("a", 4, 8.0))
        .then_error("DATE_IN_FUTURE");
    assert!(
        e.message().contains("2025-06-04") && e.message().contains("2025-06-03"),
        "{e}"
    );
}

#[test]
fn no_session_is_credited_before_the_cadre_was_born() {
    // A class of 1901 (a record may name any year from 1900) and a cadre born in 1985.
    let old = Event::Scheduled(Scheduled {
        start_date: d(1901, 1, 1),
        end_date: d(1901, 1, 5),
        ..match scheduled() {
            Event::Scheduled(s) => s,
            _ => unreachable!(),
        }
    });
    let born = |on| Cadres::of([CadreRef::new("a", "u1").born(on)]);
    let attend = |facts| {
        given::<Aggregate>([old.clone(), enrolled("a")])
            .with_facts(facts)
            .on(d(2025, 6, 3))
            .when(Command::RecordAttendance(RecordAttendance {
                class_id: "c1".into(),
                cadre_id: "a".into(),
                session_date: d(1901, 1, 2),
                session: None,
                hours: 8.0,
            }))
    };
    attend(born(d(1900, 6, 1))).then_ok();
    let e = attend(born(d(1985, 3, 1))).then_error("DATE_BEFORE_BIRTH");
    assert!(
        e.message().contains("1901-01-02") && e.message().contains("1985-03-01"),
        "{e}"
    );
}

#[test]
fn a_cadre_is_credited_at_most_24_hours_a_day_in_a_class() {
    let history = [scheduled(), enrolled("a"), attended("a", 3, 16.0, 16.0)];
    let evening = |hours| {
        Command::RecordAttendance(RecordAttendance {
            class_id: "c1".into(),
            cadre_id: "a".into(),
            session_date: d(2025, 6, 3),
            session: Some("晚上".into()),
            hours,
        })
    };
    given::<Aggregate>(history.clone())
        .on(d(2025, 6, 3))
        .when(evening(8.0))
        .then_ok();
    let e = given::<Aggregate>(history.clone())
        .on(d(2025, 6, 3))
        .when(evening(8.5))
        .then_error("HOURS_OVER_A_DAY");
    assert!(
        e.message().contains("已记 16.0") && e.message().contains("共 24.5"),
        "{e}"
    );
    // Another day starts afresh; one session of 99 hours is refused outright.
    given::<Aggregate>(history.clone())
        .on(d(2025, 6, 4))
        .when(attend_cmd("a", 4, 24.0))
        .then_ok();
    given::<Aggregate>([scheduled(), enrolled("a")])
        .on(d(2025, 6, 4))
        .when(attend_cmd("a", 4, 99.0))
        .then_error("HOURS_OVER_A_DAY");
}

fn full_attendance() -> Vec<Event> {
    vec![scheduled(), enrolled("a"), attended("a", 2, 40.0, 40.0)]
}

#[test]
fn completion_not_before_the_class_ends() {
    given::<Aggregate>(full_attendance())
        .on(d(2025, 6, 6))
        .when(complete_cmd("a"))
        .then_ok();
    let e = given::<Aggregate>(full_attendance())
        .on(d(2025, 6, 5))
        .when(complete_cmd("a"))
        .then_error("TRAINING_COMPLETION_BEFORE_END");
    assert!(
        e.message().contains("2025-06-06") && e.message().contains("2025-06-05"),
        "{e}"
    );
}

#[test]
fn a_cadre_completes_once() {
    let mut done = full_attendance();
    done.push(Event::Completed(Completed {
        class_id: "c1".into(),
        cadre_id: "a".into(),
        unit_id: Some("u1".into()),
        class_kind: ClassKind::Thematic,
        completed_on: d(2025, 6, 6),
        hours_credited: 40.0,
        attendance_percent: 100.0,
    }));
    given::<Aggregate>(done)
        .on(d(2025, 6, 7))
        .when(complete_cmd("a"))
        .then_error("TRAINING_ALREADY_COMPLETED");
}

#[test]
fn completion_only_for_an_enrolled_cadre() {
    let e = given::<Aggregate>(full_attendance())
        .on(d(2025, 6, 6))
        .when(complete_cmd("b"))
        .then_error("TRAINING_NOT_ENROLLED");
    assert!(matches!(e, DomainError::Invalid { .. }));
}

#[test]
fn only_the_organization_department_runs_classes() {
    given::<Aggregate>([])
        .as_actor(crate::context::Actor::system())
        .when(schedule_cmd(ClassKind::Main, None))
        .then_ok();
    for role in [
        Role::UnitHead,
        Role::DisciplineInspector,
        Role::Cadre,
        Role::Auditor,
    ] {
        given::<Aggregate>([])
            .as_actor(crate::context::Actor::new("x", role))
            .when(schedule_cmd(ClassKind::Main, None))
            .then_error("FORBIDDEN_ROLE");
    }
}

#[test]
fn events_round_trip_through_their_stored_form() {
    use crate::event::EventSet;
    for event in [scheduled(), enrolled("a"), attended("a", 2, 8.0, 8.0)] {
        let payload = event.to_payload().expect("serializes");
        let back =
            Event::decode(event.event_type(), event.schema_version(), &payload).expect("decodes");
        assert_eq!(back, event);
    }
}
