//! Stream kind `study`: one recurring study session in one of the five study modes (五学), with its attendees and hours.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
    context::{Context, Role},
    error::DomainError,
    practice::{self, Cadres},
    training::{not_after_effective, not_before_birth},
    training_hours,
};

/// The five study modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StudyMode {
    /// 每周一课集中学
    WeeklyLesson,
    /// 每月一次专题学
    MonthlyTheme,
    /// 深入一线实境学
    FieldVisit,
    /// 搭建讲坛研讨学
    Forum,
    /// 交流分享带动学
    Sharing,
}

impl StudyMode {
    pub const ALL: [StudyMode; 5] = [
        StudyMode::WeeklyLesson,
        StudyMode::MonthlyTheme,
        StudyMode::FieldVisit,
        StudyMode::Forum,
        StudyMode::Sharing,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            StudyMode::WeeklyLesson => "每周一课集中学",
            StudyMode::MonthlyTheme => "每月一次专题学",
            StudyMode::FieldVisit => "深入一线实境学",
            StudyMode::Forum => "搭建讲坛研讨学",
            StudyMode::Sharing => "交流分享带动学",
        }
    }
}

/// A cadre who attended, with the unit they belonged to then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub cadre_id: String,
    pub unit_id: Option<String>,
}

/// A study session was held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Held {
    pub session_id: String,
    pub mode: StudyMode,
    pub date: NaiveDate,
    pub topic: String,
    /// Hours each attendee is credited.
    pub hours: f64,
    pub organizer_unit_id: Option<String>,
    /// Where it was held (required for 深入一线实境学).
    pub location: Option<String>,
    pub attendees: Vec<Attendee>,
}

/// Attendees recorded after the session was first recorded (补录).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendeesAdded {
    pub session_id: String,
    pub mode: StudyMode,
    pub date: NaiveDate,
    pub hours: f64,
    pub attendees: Vec<Attendee>,
}

crate::event_set! {
    /// Events of a `study` stream.
    pub enum Event {
        Held(Held) = "study.Held" @ 1,
        AttendeesAdded(AttendeesAdded) = "study.AttendeesAdded" @ 1,
    }
}

/// Record a study session that took place.
#[derive(Debug, Clone)]
pub struct Hold {
    pub session_id: String,
    pub mode: StudyMode,
    pub date: NaiveDate,
    pub topic: String,
    pub hours: f64,
    pub organizer_unit_id: Option<String>,
    pub location: Option<String>,
    pub attendees: Vec<String>,
}

/// Add attendees to a recorded session.
#[derive(Debug, Clone)]
pub struct AddAttendees {
    pub session_id: String,
    pub attendees: Vec<String>,
}

/// Commands a `study` stream accepts.
#[derive(Debug, Clone)]
pub enum Command {
    Hold(Hold),
    AddAttendees(AddAttendees),
}

impl Command {
    /// The cadres the application must load into [`Cadres`] before deciding.
    pub fn cadre_ids(&self) -> Vec<&str> {
        match self {
            Command::Hold(c) => c.attendees.iter().map(String::as_str).collect(),
            Command::AddAttendees(c) => c.attendees.iter().map(String::as_str).collect(),
        }
    }
}

/// A recorded session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub mode: StudyMode,
    pub date: NaiveDate,
    pub topic: String,
    pub hours: f64,
    pub organizer_unit_id: Option<String>,
}

/// Folded state of a `study` stream.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub session: Option<Session>,
    /// Attendee → unit.
    pub attendees: BTreeMap<String, Option<String>>,
}

/// The `study` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "study";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Cadres;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Hold(c) => &c.session_id,
            Command::AddAttendees(c) => &c.session_id,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        cadres: &Cadres,
    ) -> Result<Vec<Event>, DomainError> {
        practice::require_role(
            ctx,
            &[Role::OrgAdmin, Role::UnitHead, Role::System],
            "登记学习活动",
        )?;
        match command {
            Command::Hold(c) => hold(state, c, ctx, cadres),
            Command::AddAttendees(c) => add(state, c, ctx, cadres),
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::Held(e) => {
                state.session = Some(Session {
                    mode: e.mode,
                    date: e.date,
                    topic: e.topic.clone(),
                    hours: e.hours,
                    organizer_unit_id: e.organizer_unit_id.clone(),
                });
                for a in &e.attendees {
                    state
                        .attendees
                        .insert(a.cadre_id.clone(), a.unit_id.clone());
                }
            }
            Event::AttendeesAdded(e) => {
                for a in &e.attendees {
                    state
                        .attendees
                        .insert(a.cadre_id.clone(), a.unit_id.clone());
                }
            }
        }
    }
}

/// A single session lasts at most a day.
const MAX_SESSION_HOURS: f64 = 24.0;

/// The attendees of a session held on `date`: known cadres, listed once, none born after it.
fn attendees(
    ids: &[String],
    date: NaiveDate,
    cadres: &Cadres,
) -> Result<Vec<Attendee>, DomainError> {
    if ids.is_empty() {
        return Err(DomainError::invalid(
            "STUDY_NO_ATTENDEES",
            "学习活动至少要有一名参学干部",
        ));
    }
    practice::no_duplicates(ids, "参学干部", Clone::clone)?;
    ids.iter()
        .map(|id| {
            let c = cadres.get(id)?;
            not_before_birth(date, id, cadres, "学习日期")?;
            Ok(Attendee {
                cadre_id: c.cadre_id.clone(),
                unit_id: c.unit_id.clone(),
            })
        })
        .collect()
}

fn hold(
    state: &State,
    c: &Hold,
    ctx: &Context<'_>,
    cadres: &Cadres,
) -> Result<Vec<Event>, DomainError> {
    practice::require_own_unit_if_head(ctx, c.organizer_unit_id.as_deref(), "登记学习活动")?;
    if let Some(s) = &state.session {
        return Err(DomainError::refused(
            "STUDY_SESSION_EXISTS",
            format!(
                "学习活动「{}」已于 {} 登记 (主题「{}」), 不能重复登记",
                c.session_id, s.date, s.topic
            ),
        ));
    }
    practice::non_empty(&c.session_id, "活动编号")?;
    practice::non_empty(&c.topic, "学习主题")?;
    practice::positive_hours(c.hours, "学时")?;
    training_hours::check_precision(c.hours, "学时")?;
    if c.hours > MAX_SESSION_HOURS {
        return Err(DomainError::invalid(
            "HOURS_OVER_A_DAY",
            format!(
                "一次学习活动的学时 {} 超过一天 ({MAX_SESSION_HOURS} 小时)",
                c.hours
            ),
        ));
    }
    practice::not_future(c.date, ctx, "学习日期")?;
    not_after_effective(c.date, ctx, "学习日期")?;
    let location = c
        .location
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned);
    if c.mode == StudyMode::FieldVisit && location.is_none() {
        return Err(DomainError::invalid(
            "STUDY_LOCATION_REQUIRED",
            format!(
                "「{}」必须写明学习地点 (一线现场)",
                StudyMode::FieldVisit.zh()
            ),
        ));
    }
    let attendees = attendees(&c.attendees, c.date, cadres)?;
    Ok(vec![Event::Held(Held {
        session_id: c.session_id.clone(),
        mode: c.mode,
        date: c.date,
        topic: c.topic.trim().to_owned(),
        hours: c.hours,
        organizer_unit_id: c.organizer_unit_id.clone(),
        location,
        attendees,
    })])
}

fn add(
    state: &State,
    c: &AddAttendees,
    ctx: &Context<'_>,
    cadres: &Cadres,
) -> Result<Vec<Event>, DomainError> {
    let session = state.session.as_ref().ok_or_else(|| {
        practice::not_started("STUDY_SESSION_NOT_FOUND", "学习活动", &c.session_id)
    })?;
    practice::require_own_unit_if_head(ctx, session.organizer_unit_id.as_deref(), "补录参学干部")?;
    if let Some(id) = c
        .attendees
        .iter()
        .find(|id| state.attendees.contains_key(*id))
    {
        return Err(DomainError::refused(
            "STUDY_ALREADY_ATTENDING",
            format!(
                "干部「{id}」已登记参加 {} 的学习「{}」",
                session.date, session.topic
            ),
        ));
    }
    not_after_effective(session.date, ctx, "学习日期")?;
    let attendees = attendees(&c.attendees, session.date, cadres)?;
    Ok(vec![Event::AttendeesAdded(AttendeesAdded {
        session_id: c.session_id.clone(),
        mode: session.mode,
        date: session.date,
        hours: session.hours,
        attendees,
    })])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        harness::given,
        practice::{CadreRef, test_support::d},
    };

    fn cadres() -> Cadres {
        Cadres::of([CadreRef::new("a", "u1"), CadreRef::new("b", "u2")])
    }

    fn hold_cmd() -> Hold {
        Hold {
            session_id: "s1".into(),
            mode: StudyMode::WeeklyLesson,
            date: d(2025, 6, 27),
            topic: "新发展理念".into(),
            hours: 2.0,
            organizer_unit_id: Some("u1".into()),
            location: None,
            attendees: vec!["a".into(), "b".into()],
        }
    }

    fn held() -> Event {
        Event::Held(Held {
            session_id: "s1".into(),
            mode: StudyMode::WeeklyLesson,
            date: d(2025, 6, 27),
            topic: "新发展理念".into(),
            hours: 2.0,
            organizer_unit_id: Some("u1".into()),
            location: None,
            attendees: vec![
                Attendee {
                    cadre_id: "a".into(),
                    unit_id: Some("u1".into()),
                },
                Attendee {
                    cadre_id: "b".into(),
                    unit_id: Some("u2".into()),
                },
            ],
        })
    }

    fn hold_with(f: impl FnOnce(&mut Hold)) -> Command {
        let mut c = hold_cmd();
        f(&mut c);
        Command::Hold(c)
    }

    fn decide(command: Command) -> crate::harness::Then<Aggregate> {
        given::<Aggregate>([]).with_facts(cadres()).when(command)
    }

    #[test]
    fn a_session_records_mode_date_topic_attendees_and_hours() {
        decide(Command::Hold(hold_cmd())).then_events([held()]);
        for mode in StudyMode::ALL {
            decide(hold_with(|c| {
                c.mode = mode;
                c.location = Some("现场".into());
            }))
            .then_ok();
        }
    }

    #[test]
    fn a_session_is_recorded_once() {
        given::<Aggregate>([held()])
            .with_facts(cadres())
            .when(Command::Hold(hold_cmd()))
            .then_error("STUDY_SESSION_EXISTS");
    }

    #[test]
    fn a_session_has_a_topic() {
        decide(hold_with(|c| c.topic = "学习贯彻条例".into())).then_ok();
        decide(hold_with(|c| c.topic = "  ".into())).then_error("EMPTY_FIELD");
    }

    #[test]
    fn a_session_credits_hours_above_zero_and_within_a_day() {
        decide(hold_with(|c| c.hours = 24.0)).then_ok();
        decide(hold_with(|c| c.hours = 0.0)).then_error("HOURS_NOT_POSITIVE");
        decide(hold_with(|c| c.hours = 25.0)).then_error("HOURS_OVER_A_DAY");
    }

    #[test]
    fn a_session_is_not_dated_in_the_future() {
        decide(hold_with(|c| c.date = d(2025, 6, 30))).then_ok();
        let e = decide(hold_with(|c| c.date = d(2025, 7, 1))).then_error("DATE_IN_FUTURE");
        assert!(matches!(e, DomainError::Invalid { .. }));
    }

    #[test]
    fn hours_are_recorded_to_the_hundredth() {
        decide(hold_with(|c| c.hours = 1.25)).then_ok();
        decide(hold_with(|c| c.hours = 8.001)).then_error("HOURS_PRECISION");
    }

    #[test]
    fn a_session_is_not_dated_after_its_effective_date() {
        // Recorded on 2025-06-30, effective 2025-06-10: a session of 06-12 had not happened.
        let on = |date| {
            given::<Aggregate>([])
                .with_facts(cadres())
                .effective(d(2025, 6, 10), d(2025, 6, 30))
                .when(hold_with(|c| c.date = date))
        };
        on(d(2025, 6, 10)).then_ok();
        let e = on(d(2025, 6, 12)).then_error("DATE_IN_FUTURE");
        assert!(
            e.message().contains("2025-06-12") && e.message().contains("2025-06-10"),
            "{e}"
        );
        // Late attendees of a session dated after the effective date: refused the same way.
        given::<Aggregate>([held()])
            .with_facts(Cadres::of([CadreRef::new("c", "u3")]))
            .effective(d(2025, 6, 20), d(2025, 6, 30))
            .when(Command::AddAttendees(AddAttendees {
                session_id: "s1".into(),
                attendees: vec!["c".into()],
            }))
            .then_error("DATE_IN_FUTURE");
    }

    #[test]
    fn no_attendee_is_credited_a_session_before_their_birth() {
        let born = |date| {
            Cadres::of([
                CadreRef::new("a", "u1").born(d(1985, 3, 1)),
                CadreRef::new("b", "u2").born(date),
            ])
        };
        given::<Aggregate>([])
            .with_facts(born(d(1990, 1, 1)))
            .when(hold_with(|c| c.date = d(1990, 1, 1)))
            .then_ok();
        let e = given::<Aggregate>([])
            .with_facts(born(d(1990, 1, 1)))
            .when(hold_with(|c| c.date = d(1901, 1, 1)))
            .then_error("DATE_BEFORE_BIRTH");
        assert!(
            e.message().contains("1901-01-01") && e.message().contains("「a」"),
            "{e}"
        );
        given::<Aggregate>([held()])
            .with_facts(Cadres::of([CadreRef::new("c", "u3").born(d(2025, 7, 1))]))
            .when(Command::AddAttendees(AddAttendees {
                session_id: "s1".into(),
                attendees: vec!["c".into()],
            }))
            .then_error("DATE_BEFORE_BIRTH");
    }

    #[test]
    fn attendees_are_known_cadres() {
        decide(hold_with(|c| c.attendees = vec!["b".into()])).then_ok();
        let e = decide(hold_with(|c| {
            c.attendees = vec!["a".into(), "ghost".into()]
        }))
        .then_error("CADRE_NOT_FOUND");
        assert!(e.message().contains("ghost"), "{e}");
    }

    #[test]
    fn attendees_are_listed_once() {
        decide(hold_with(|c| c.attendees = vec!["a".into(), "a".into()]))
            .then_error("DUPLICATE_ENTRY");
    }

    #[test]
    fn a_session_has_at_least_one_attendee() {
        decide(hold_with(|c| c.attendees = vec![])).then_error("STUDY_NO_ATTENDEES");
    }

    #[test]
    fn a_unit_head_records_only_their_own_units_sessions() {
        let head = |unit: &str| crate::context::Actor::scoped("h", Role::UnitHead, unit);
        given::<Aggregate>([])
            .with_facts(cadres())
            .as_actor(head("u1"))
            .when(Command::Hold(hold_cmd()))
            .then_ok();
        let e = given::<Aggregate>([])
            .with_facts(cadres())
            .as_actor(head("u2"))
            .when(Command::Hold(hold_cmd()))
            .then_error("FORBIDDEN_SCOPE");
        assert!(
            e.message().contains("u2") && e.message().contains("u1"),
            "{e}"
        );
        given::<Aggregate>([held()])
            .with_facts(cadres())
            .as_actor(head("u2"))
            .when(Command::AddAttendees(AddAttendees {
                session_id: "s1".into(),
                attendees: vec!["b".into()],
            }))
            .then_error("FORBIDDEN_SCOPE");
        given::<Aggregate>([])
            .with_facts(cadres())
            .as_actor(crate::context::Actor::scoped("c", Role::Cadre, "a"))
            .when(Command::Hold(hold_cmd()))
            .then_error("FORBIDDEN_ROLE");
    }

    #[test]
    fn field_study_names_its_location() {
        let mut c = hold_cmd();
        c.mode = StudyMode::FieldVisit;
        given::<Aggregate>([])
            .with_facts(cadres())
            .when(Command::Hold(c.clone()))
            .then_error("STUDY_LOCATION_REQUIRED");
        c.location = Some("高新区项目工地".into());
        given::<Aggregate>([])
            .with_facts(cadres())
            .when(Command::Hold(c))
            .then_ok();
    }

    #[test]
    fn late_attendees_are_added_once() {
        let facts = Cadres::of([CadreRef::new("a", "u1"), CadreRef::new("c", "u3")]);
        given::<Aggregate>([held()])
            .with_facts(facts.clone())
            .when(Command::AddAttendees(AddAttendees {
                session_id: "s1".into(),
                attendees: vec!["c".into()],
            }))
            .then_events([Event::AttendeesAdded(AttendeesAdded {
                session_id: "s1".into(),
                mode: StudyMode::WeeklyLesson,
                date: d(2025, 6, 27),
                hours: 2.0,
                attendees: vec![Attendee {
                    cadre_id: "c".into(),
                    unit_id: Some("u3".into()),
                }],
            })]);
        given::<Aggregate>([held()])
            .with_facts(facts.clone())
            .when(Command::AddAttendees(AddAttendees {
                session_id: "s1".into(),
                attendees: vec!["a".into()],
            }))
            .then_error("STUDY_ALREADY_ATTENDING");
        given::<Aggregate>([])
            .with_facts(facts)
            .when(Command::AddAttendees(AddAttendees {
                session_id: "s1".into(),
                attendees: vec!["c".into()],
            }))
            .then_error("STUDY_SESSION_NOT_FOUND");
    }
}
