//! Stream kind `supervision` (联动记实): one linked record-keeping entry about a cadre, by the organization department or a discipline-inspection group.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    aggregate, bounds,
    context::{Context, Role},
    error::DomainError,
    practice::{self, Cadres},
};

/// Who recorded the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// 组织部科室
    OrgSection,
    /// 纪检派驻组
    DisciplineGroup,
}

impl Source {
    pub fn zh(self) -> &'static str {
        match self {
            Source::OrgSection => "组织部科室",
            Source::DisciplineGroup => "纪检派驻组",
        }
    }

    /// The role that records entries from this source.
    pub fn role(self) -> Role {
        match self {
            Source::OrgSection => Role::OrgAdmin,
            Source::DisciplineGroup => Role::DisciplineInspector,
        }
    }
}

/// How the observation was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 列席会议
    Meeting,
    /// 调研走访
    Survey,
    /// 督查检查
    Inspection,
}

impl Channel {
    pub fn zh(self) -> &'static str {
        match self {
            Channel::Meeting => "列席会议",
            Channel::Survey => "调研走访",
            Channel::Inspection => "督查检查",
        }
    }
}

/// What the entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// 日常表现
    DailyConduct,
    /// 重点工作实时表现
    KeyWorkPerformance,
    /// 奖惩评价
    RewardPunishment,
}

impl EntryKind {
    pub fn zh(self) -> &'static str {
        match self {
            EntryKind::DailyConduct => "日常表现",
            EntryKind::KeyWorkPerformance => "重点工作实时表现",
            EntryKind::RewardPunishment => "奖惩评价",
        }
    }
}

/// The entry's tenor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// 正面
    Positive,
    /// 中性
    Neutral,
    /// 负面
    Negative,
}

impl Tone {
    pub fn zh(self) -> &'static str {
        match self {
            Tone::Positive => "正面",
            Tone::Neutral => "中性",
            Tone::Negative => "负面",
        }
    }
}

/// An entry was recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    pub entry_id: String,
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub source: Source,
    /// The section or group, e.g. 干部监督科, 第三纪检监察组.
    pub source_name: String,
    pub channel: Channel,
    pub kind: EntryKind,
    pub tone: Tone,
    pub content: String,
    pub observed_on: NaiveDate,
    /// The day the entry was recorded (the command's effective date, on or after
    /// `observed_on`); absent from entries recorded before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_on: Option<NaiveDate>,
}

/// An entry was withdrawn as mistaken (it stays in the log).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retracted {
    pub entry_id: String,
    pub cadre_id: String,
    pub reason: String,
    pub retracted_on: NaiveDate,
}

crate::event_set! {
    /// Events of a `supervision` stream.
    pub enum Event {
        Recorded(Recorded) = "supervision.Recorded" @ 1,
        Retracted(Retracted) = "supervision.Retracted" @ 1,
    }
}

/// Record an entry.
#[derive(Debug, Clone)]
pub struct Record {
    pub entry_id: String,
    pub cadre_id: String,
    pub source: Source,
    pub source_name: String,
    pub channel: Channel,
    pub kind: EntryKind,
    pub tone: Tone,
    pub content: String,
    pub observed_on: NaiveDate,
}

/// Withdraw a mistaken entry.
#[derive(Debug, Clone)]
pub struct Retract {
    pub entry_id: String,
    pub reason: String,
}

/// Commands a `supervision` stream accepts.
#[derive(Debug, Clone)]
pub enum Command {
    Record(Record),
    Retract(Retract),
}

impl Command {
    /// The cadres the application must load into [`Cadres`] before deciding.
    pub fn cadre_ids(&self) -> Vec<&str> {
        match self {
            Command::Record(c) => vec![c.cadre_id.as_str()],
            Command::Retract(_) => Vec::new(),
        }
    }
}

/// A recorded entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub cadre_id: String,
    pub source: Source,
    pub observed_on: NaiveDate,
    /// The day it was recorded (`None` for entries recorded before it was kept).
    pub recorded_on: Option<NaiveDate>,
    pub retracted_on: Option<NaiveDate>,
}

/// Folded state of a `supervision` stream.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub entry: Option<Entry>,
}

/// Who may read 联动记实: only the organization department and discipline inspectors
/// (DOMAIN §6); the API audits every such read.
pub fn readable_by(role: Role) -> bool {
    role.reads_supervision()
}

/// The `supervision` aggregate.
pub struct Aggregate;

/// Only these roles record or withdraw entries.
pub const RECORDING_ROLES: &[Role] = &[Role::OrgAdmin, Role::DisciplineInspector];

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "supervision";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Cadres;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Record(c) => &c.entry_id,
            Command::Retract(c) => &c.entry_id,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        cadres: &Cadres,
    ) -> Result<Vec<Event>, DomainError> {
        match command {
            Command::Record(c) => record(state, c, ctx, cadres),
            Command::Retract(c) => {
                practice::require_role(ctx, RECORDING_ROLES, "撤回联动记实")?;
                let entry = state.entry.as_ref().ok_or_else(|| {
                    practice::not_started("SUPERVISION_ENTRY_NOT_FOUND", "联动记实", &c.entry_id)
                })?;
                if let Some(on) = entry.retracted_on {
                    return Err(DomainError::refused(
                        "SUPERVISION_ALREADY_RETRACTED",
                        format!("联动记实「{}」已于 {on} 撤回", c.entry_id),
                    ));
                }
                if ctx.actor.role != entry.source.role() {
                    return Err(DomainError::refused(
                        "SUPERVISION_SOURCE_MISMATCH",
                        format!(
                            "撤回联动记实被拒绝: 该记实由「{}」记录, 当前角色为「{}」",
                            entry.source.zh(),
                            ctx.actor.role.zh()
                        ),
                    ));
                }
                practice::non_empty(&c.reason, "撤回理由")?;
                practice::not_future(ctx.effective, ctx, "撤回日期")?;
                // Not before the entry was recorded (or, for an entry of before the recording
                // date was kept, observed).
                let (previous, what) = match entry.recorded_on {
                    Some(on) if on >= entry.observed_on => (on, "登记联动记实"),
                    _ => (entry.observed_on, "记实"),
                };
                practice::not_before(ctx.effective, previous, "撤回联动记实", what)?;
                Ok(vec![Event::Retracted(Retracted {
                    entry_id: c.entry_id.clone(),
                    cadre_id: entry.cadre_id.clone(),
                    reason: c.reason.trim().to_owned(),
                    retracted_on: ctx.effective,
                })])
            }
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::Recorded(e) => {
                state.entry = Some(Entry {
                    cadre_id: e.cadre_id.clone(),
                    source: e.source,
                    observed_on: e.observed_on,
                    recorded_on: e.recorded_on,
                    retracted_on: None,
                });
            }
            Event::Retracted(e) => {
                if let Some(entry) = state.entry.as_mut() {
                    entry.retracted_on = Some(e.retracted_on);
                }
            }
        }
    }
}

fn record(
    state: &State,
    c: &Record,
    ctx: &Context<'_>,
    cadres: &Cadres,
) -> Result<Vec<Event>, DomainError> {
    practice::require_role(ctx, RECORDING_ROLES, "登记联动记实")?;
    if state.entry.is_some() {
        return Err(practice::already_exists(
            "SUPERVISION_ENTRY_EXISTS",
            "联动记实",
            &c.entry_id,
        ));
    }
    if ctx.actor.role != c.source.role() {
        return Err(DomainError::refused(
            "SUPERVISION_SOURCE_MISMATCH",
            format!(
                "登记联动记实被拒绝: 来源「{}」应由「{}」登记, 当前角色为「{}」",
                c.source.zh(),
                c.source.role().zh(),
                ctx.actor.role.zh()
            ),
        ));
    }
    practice::non_empty(&c.entry_id, "记实编号")?;
    practice::non_empty(&c.source_name, "记录科室或派驻组")?;
    practice::non_empty(&c.content, "记实内容")?;
    practice::not_future(c.observed_on, ctx, "记实日期")?;
    bounds::record_date("记实日期", c.observed_on)?;
    // What was observed is recorded on or after the day it was observed.
    practice::not_before(ctx.effective, c.observed_on, "登记联动记实", "记实")?;
    let cadre = cadres.get(&c.cadre_id)?;
    Ok(vec![Event::Recorded(Recorded {
        entry_id: c.entry_id.clone(),
        cadre_id: c.cadre_id.clone(),
        unit_id: cadre.unit_id.clone(),
        source: c.source,
        source_name: c.source_name.trim().to_owned(),
        channel: c.channel,
        kind: c.kind,
        tone: c.tone,
        content: c.content.trim().to_owned(),
        observed_on: c.observed_on,
        recorded_on: Some(ctx.effective),
    })])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        context::Actor,
        harness::given,
        practice::{CadreRef, test_support::d},
    };

    fn cadres() -> Cadres {
        Cadres::of([CadreRef::new("a", "u1")])
    }

    fn record_cmd(source: Source) -> Command {
        Command::Record(Record {
            entry_id: "s1".into(),
            cadre_id: "a".into(),
            source,
            source_name: "第三纪检监察组".into(),
            channel: Channel::Meeting,
            kind: EntryKind::KeyWorkPerformance,
            tone: Tone::Positive,
            content: "在项目攻坚会上主动认领难题".into(),
            observed_on: d(2025, 6, 20),
        })
    }

    fn recorded() -> Event {
        Event::Recorded(Recorded {
            entry_id: "s1".into(),
            cadre_id: "a".into(),
            unit_id: Some("u1".into()),
            source: Source::DisciplineGroup,
            source_name: "第三纪检监察组".into(),
            channel: Channel::Meeting,
            kind: EntryKind::KeyWorkPerformance,
            tone: Tone::Positive,
            content: "在项目攻坚会上主动认领难题".into(),
            observed_on: d(2025, 6, 20),
            recorded_on: Some(d(2025, 6, 30)),
        })
    }

    fn inspector() -> Actor {
        Actor::new("insp", Role::DisciplineInspector)
    }

    #[test]
    fn only_organization_and_discipline_roles_record_entries() {
        given::<Aggregate>([])
            .with_facts(cadres())
            .as_actor(inspector())
            .when(record_cmd(Source::DisciplineGroup))
            .then_events([recorded()]);
        given::<Aggregate>([])
            .with_facts(cadres())
            .when(record_cmd(Source::OrgSection))
            .then_ok();
        for role in [
            Role::UnitHead,
            Role::Cadre,
            Role::Auditor,
            Role::Analyst,
            Role::System,
        ] {
            let e = given::<Aggregate>([])
                .with_facts(cadres())
                .as_actor(Actor::new("x", role))
                .when(record_cmd(Source::OrgSection))
                .then_error("FORBIDDEN_ROLE");
            assert!(e.message().contains(role.zh()), "{e}");
        }
    }

    #[test]
    fn the_source_matches_the_recording_role() {
        given::<Aggregate>([])
            .with_facts(cadres())
            .as_actor(inspector())
            .when(record_cmd(Source::OrgSection))
            .then_error("SUPERVISION_SOURCE_MISMATCH");
    }

    fn record_with(f: impl FnOnce(&mut Record)) -> Command {
        let Command::Record(mut c) = record_cmd(Source::DisciplineGroup) else {
            unreachable!("record_cmd builds a Record")
        };
        f(&mut c);
        Command::Record(c)
    }

    fn decide(command: Command) -> crate::harness::Then<Aggregate> {
        given::<Aggregate>([])
            .with_facts(cadres())
            .as_actor(inspector())
            .when(command)
    }

    #[test]
    fn an_entry_is_about_a_known_cadre() {
        given::<Aggregate>([])
            .as_actor(inspector())
            .when(record_cmd(Source::DisciplineGroup))
            .then_error("CADRE_NOT_FOUND");
    }

    #[test]
    fn an_entry_is_not_dated_in_the_future() {
        decide(record_with(|c| c.observed_on = d(2025, 6, 30))).then_ok();
        decide(record_with(|c| c.observed_on = d(2025, 7, 1))).then_error("DATE_IN_FUTURE");
    }

    #[test]
    fn an_entry_has_content_and_names_its_section_or_group() {
        decide(record_with(|c| c.content = "".into())).then_error("EMPTY_FIELD");
        decide(record_with(|c| c.source_name = " ".into())).then_error("EMPTY_FIELD");
    }

    #[test]
    fn an_entry_is_recorded_once() {
        given::<Aggregate>([recorded()])
            .with_facts(cadres())
            .as_actor(inspector())
            .when(record_cmd(Source::DisciplineGroup))
            .then_error("SUPERVISION_ENTRY_EXISTS");
    }

    #[test]
    fn an_entry_is_retracted_once_by_its_source() {
        let retract = || {
            Command::Retract(Retract {
                entry_id: "s1".into(),
                reason: "记错对象".into(),
            })
        };
        let events = given::<Aggregate>([recorded()])
            .as_actor(inspector())
            .when(retract())
            .then_ok();
        given::<Aggregate>([recorded()])
            .when(retract())
            .then_error("SUPERVISION_SOURCE_MISMATCH");
        let mut history = vec![recorded()];
        history.extend(events);
        given::<Aggregate>(history)
            .as_actor(inspector())
            .when(retract())
            .then_error("SUPERVISION_ALREADY_RETRACTED");
    }

    #[test]
    fn only_organization_and_discipline_roles_read_them() {
        let readers: Vec<Role> = Role::ALL.into_iter().filter(|r| readable_by(*r)).collect();
        assert_eq!(readers, vec![Role::OrgAdmin, Role::DisciplineInspector]);
    }

    #[test]
    fn retracting_names_a_recorded_entry() {
        given::<Aggregate>([])
            .as_actor(inspector())
            .when(Command::Retract(Retract {
                entry_id: "s1".into(),
                reason: "r".into(),
            }))
            .then_error("SUPERVISION_ENTRY_NOT_FOUND");
    }

    #[test]
    fn an_entry_is_recorded_after_it_was_observed_and_retracted_after_it_was_recorded() {
        // Observed 06-20, recorded 06-30: a retraction dated 06-25 comes before the recording.
        let retract = Command::Retract(Retract {
            entry_id: "s1".into(),
            reason: "记错对象".into(),
        });
        let err = given::<Aggregate>([recorded()])
            .as_actor(inspector())
            .effective(d(2025, 6, 25), d(2025, 7, 1))
            .when(retract.clone())
            .then_error("DATE_BEFORE_PREVIOUS_STEP");
        assert!(err.to_string().contains("2025-06-30"), "{err}");
        given::<Aggregate>([recorded()])
            .as_actor(inspector())
            .effective(d(2025, 6, 30), d(2025, 7, 1))
            .when(retract.clone())
            .then_ok();
        // An entry of before the recording date was kept: not before its observation.
        let old = match recorded() {
            Event::Recorded(r) => Event::Recorded(Recorded {
                recorded_on: None,
                ..r
            }),
            other => other,
        };
        given::<Aggregate>([old])
            .as_actor(inspector())
            .effective(d(2025, 6, 19), d(2025, 7, 1))
            .when(retract)
            .then_error("DATE_BEFORE_PREVIOUS_STEP");
        // Recorded on 06-10 what is said to be observed on 06-20.
        given::<Aggregate>([])
            .with_facts(cadres())
            .as_actor(inspector())
            .effective(d(2025, 6, 10), d(2025, 7, 1))
            .when(record_cmd(Source::DisciplineGroup))
            .then_error("DATE_BEFORE_PREVIOUS_STEP");
    }

    #[test]
    fn an_entry_is_not_observed_before_the_records_begin() {
        decide(record_with(|c| c.observed_on = d(1901, 3, 1))).then_error("INPUT_OUT_OF_RANGE");
    }
}
