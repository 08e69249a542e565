//! Stream kind `appeal` (诉求, “三项机制”联合受理中心): the closed loop 清单交办 → 诉求领办 → 协调会办 → 跟踪督办 → 办结, with stage deadlines.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{
    aggregate, bounds,
    context::{Context, Role},
    error::DomainError,
    policy::AppealPolicy,
    practice::{self, Cadres},
};

/// The joint acceptance centre's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CentreLevel {
    /// 区级
    District,
    /// 镇(街道)级
    Town,
}

impl CentreLevel {
    pub fn zh(self) -> &'static str {
        match self {
            CentreLevel::District => "区级",
            CentreLevel::Town => "镇街级",
        }
    }
}

/// The stages of the closed loop, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 受理: filed with the centre.
    Filed,
    /// 清单交办: listed and assigned to a responsible unit.
    Listed,
    /// 诉求领办: claimed by a handler.
    Claimed,
    /// 协调会办: a coordination meeting was held.
    Coordinated,
    /// 跟踪督办: tracked to completion.
    Tracked,
    /// 办结: closed.
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Filed,
        Stage::Listed,
        Stage::Claimed,
        Stage::Coordinated,
        Stage::Tracked,
        Stage::Closed,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            Stage::Filed => "受理",
            Stage::Listed => "清单交办",
            Stage::Claimed => "诉求领办",
            Stage::Coordinated => "协调会办",
            Stage::Tracked => "跟踪督办",
            Stage::Closed => "办结",
        }
    }

    /// The only stage that may follow this one.
    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::Filed => Some(Stage::Listed),
            Stage::Listed => Some(Stage::Claimed),
            Stage::Claimed => Some(Stage::Coordinated),
            Stage::Coordinated => Some(Stage::Tracked),
            Stage::Tracked => Some(Stage::Closed),
            Stage::Closed => None,
        }
    }

    /// Days an appeal may stay in this stage before the next one is due
    /// (`None` for 办结, which has no deadline).
    pub fn allowed_days(self, policy: &AppealPolicy) -> Option<u32> {
        match self {
            Stage::Filed => Some(policy.list_days),
            Stage::Listed => Some(policy.assign_days),
            Stage::Claimed => Some(policy.claim_days),
            Stage::Coordinated => Some(policy.coordinate_days),
            Stage::Tracked => Some(policy.track_days),
            Stage::Closed => None,
        }
    }

    /// The date by which an appeal that entered this stage on `entered_on` must move on.
    pub fn due_on(self, entered_on: NaiveDate, policy: &AppealPolicy) -> Option<NaiveDate> {
        self.allowed_days(policy)
            .and_then(|days| entered_on.checked_add_days(Days::new(u64::from(days))))
    }
}

// ---------------------------------------------------------------- deadlines (pure, for projections)

/// One stage's deadline and whether it was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageDeadline {
    pub stage: Stage,
    pub entered_on: NaiveDate,
    pub due_on: NaiveDate,
    /// When the appeal moved on to the next stage (`None` while still in it).
    pub left_on: Option<NaiveDate>,
}

impl StageDeadline {
    /// Breached as of `as_of`: left after the due date, or still in the stage past it.
    pub fn is_overdue(&self, as_of: NaiveDate) -> bool {
        self.days_overdue(as_of) > 0
    }

    /// Days past the due date (0 when on time).
    pub fn days_overdue(&self, as_of: NaiveDate) -> i64 {
        let end = self.left_on.unwrap_or(as_of);
        (end - self.due_on).num_days().max(0)
    }
}

/// The dates an appeal entered each stage; fold it from the events with [`Timeline::apply`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    pub filed_on: Option<NaiveDate>,
    pub listed_on: Option<NaiveDate>,
    pub claimed_on: Option<NaiveDate>,
    pub coordinated_on: Option<NaiveDate>,
    pub tracked_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

impl Timeline {
    /// Fold one appeal event.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Filed(e) => self.filed_on = Some(e.filed_on),
            Event::Listed(e) => self.listed_on = Some(e.listed_on),
            Event::Claimed(e) => self.claimed_on = Some(e.claimed_on),
            Event::Coordinated(e) => self.coordinated_on = Some(e.coordinated_on),
            Event::Tracked(e) => self.tracked_on = Some(e.tracked_on),
            Event::Closed(e) => self.closed_on = Some(e.closed_on),
            Event::MarkedTypical(_) => {}
        }
    }

    /// The date the appeal entered `stage`, if it has.
    pub fn entered(&self, stage: Stage) -> Option<NaiveDate> {
        match stage {
            Stage::Filed => self.filed_on,
            Stage::Listed => self.listed_on,
            Stage::Claimed => self.claimed_on,
            Stage::Coordinated => self.coordinated_on,
            Stage::Tracked => self.tracked_on,
            Stage::Closed => self.closed_on,
        }
    }

    /// The current stage (`None` before filing).
    pub fn current(&self) -> Option<Stage> {
        Stage::ALL
            .iter()
            .rev()
            .copied()
            .find(|s| self.entered(*s).is_some())
    }

    /// The deadline of every stage entered so far (办结 has none).
    pub fn deadlines(&self, policy: &AppealPolicy) -> Vec<StageDeadline> {
        Stage::ALL
            .iter()
            .filter_map(|&stage| {
                let entered_on = self.entered(stage)?;
                let due_on = stage.due_on(entered_on, policy)?;
                let left_on = stage.next().and_then(|n| self.entered(n));
                Some(StageDeadline {
                    stage,
                    entered_on,
                    due_on,
                    left_on,
                })
            })
            .collect()
    }

    /// Stages whose deadline was breached as of `as_of`.
    pub fn overdue(&self, policy: &AppealPolicy, as_of: NaiveDate) -> Vec<StageDeadline> {
        self.deadlines(policy)
            .into_iter()
            .filter(|d| d.is_overdue(as_of))
            .collect()
    }

    /// The current stage's deadline when it has passed as of `as_of` (the open breach a dashboard shows).
    pub fn current_overdue(
        &self,
        policy: &AppealPolicy,
        as_of: NaiveDate,
    ) -> Option<StageDeadline> {
        self.deadlines(policy)
            .into_iter()
            .find(|d| d.left_on.is_none() && d.is_overdue(as_of))
    }

    /// Days from filing to closing, once closed.
    pub fn days_to_close(&self) -> Option<i64> {
        Some((self.closed_on? - self.filed_on?).num_days())
    }
}

// ---------------------------------------------------------------- events

/// 受理: a cadre's appeal was filed with a centre. `due_on`: listing deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filed {
    pub appeal_id: String,
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub level: CentreLevel,
    /// The town or street of a town-level centre.
    pub town: Option<String>,
    pub summary: String,
    pub filed_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
}

/// 清单交办: listed and assigned to a unit. `due_on`: claiming deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    pub appeal_id: String,
    pub assignee_unit_id: String,
    pub listed_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
}

/// 诉求领办: a handler claimed it. `due_on`: coordination deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claimed {
    pub appeal_id: String,
    pub handler: String,
    pub claimed_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
}

/// 协调会办: a coordination meeting was held. `due_on`: tracking deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coordinated {
    pub appeal_id: String,
    pub participant_unit_ids: Vec<String>,
    pub outcome: String,
    pub coordinated_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
}

/// 跟踪督办: tracking began. `due_on`: closing deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tracked {
    pub appeal_id: String,
    pub note: String,
    pub tracked_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
}

/// 办结: closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closed {
    pub appeal_id: String,
    pub resolution: String,
    pub closed_on: NaiveDate,
    /// Days from filing to closing.
    pub days_open: i64,
}

/// 典型案例: compiled as a typical case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkedTypical {
    pub appeal_id: String,
    pub reason: String,
    pub marked_on: NaiveDate,
}

crate::event_set! {
    /// Events of an `appeal` stream.
    pub enum Event {
        Filed(Filed) = "appeal.Filed" @ 1,
        Listed(Listed) = "appeal.Listed" @ 1,
        Claimed(Claimed) = "appeal.Claimed" @ 1,
        Coordinated(Coordinated) = "appeal.Coordinated" @ 1,
        Tracked(Tracked) = "appeal.Tracked" @ 1,
        Closed(Closed) = "appeal.Closed" @ 1,
        MarkedTypical(MarkedTypical) = "appeal.MarkedTypical" @ 1,
    }
}

// ---------------------------------------------------------------- commands

/// File an appeal (by the cadre, or by the centre on their behalf).
#[derive(Debug, Clone)]
pub struct File {
    pub appeal_id: String,
    pub cadre_id: String,
    pub level: CentreLevel,
    pub town: Option<String>,
    pub summary: String,
}

/// 清单交办.
#[derive(Debug, Clone)]
pub struct List {
    pub appeal_id: String,
    pub assignee_unit_id: String,
}

/// 诉求领办.
#[derive(Debug, Clone)]
pub struct Claim {
    pub appeal_id: String,
    pub handler: String,
}

/// 协调会办.
#[derive(Debug, Clone)]
pub struct Coordinate {
    pub appeal_id: String,
    pub participant_unit_ids: Vec<String>,
    pub outcome: String,
}

/// 跟踪督办.
#[derive(Debug, Clone)]
pub struct Track {
    pub appeal_id: String,
    pub note: String,
}

/// 办结.
#[derive(Debug, Clone)]
pub struct Close {
    pub appeal_id: String,
    pub resolution: String,
}

/// 典型案例.
#[derive(Debug, Clone)]
pub struct MarkTypical {
    pub appeal_id: String,
    pub reason: String,
}

/// Commands an `appeal` stream accepts. Every stage step takes effect on the context's effective date.
#[derive(Debug, Clone)]
pub enum Command {
    File(File),
    List(List),
    Claim(Claim),
    Coordinate(Coordinate),
    Track(Track),
    Close(Close),
    MarkTypical(MarkTypical),
}

impl Command {
    /// The cadres the application must load into [`Cadres`] before deciding.
    pub fn cadre_ids(&self) -> Vec<&str> {
        match self {
            Command::File(c) => vec![c.cadre_id.as_str()],
            _ => Vec::new(),
        }
    }
}

/// What an appeal command reads from other streams (loaded by the application): the cadre
/// filing, and the registered units it names — the assignee (清单交办), the participants (协调会办),
/// and for a town-level filing every unit, among which the town is found.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub cadres: Cadres,
    /// Registered units: id → name.
    pub units: BTreeMap<String, String>,
}

impl Facts {
    /// The cadres, and the units as (id, name).
    pub fn new<'a>(cadres: Cadres, units: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Facts {
            cadres,
            units: units
                .into_iter()
                .map(|(id, name)| (id.to_owned(), name.to_owned()))
                .collect(),
        }
    }

    /// `UNIT_NOT_FOUND` unless the unit is registered; its 单位名（id）.
    fn unit(&self, unit_id: &str, what: &str) -> Result<String, DomainError> {
        self.units
            .get(unit_id)
            .map(|name| format!("{name}（{unit_id}）"))
            .ok_or_else(|| {
                DomainError::not_found(
                    "UNIT_NOT_FOUND",
                    format!("{what}「{unit_id}」不是已登记的单位"),
                )
            })
    }

    /// The registered town or street (镇、街道、乡) a town-level centre names, by name or id:
    /// its name.
    fn town(&self, town: &str) -> Result<String, DomainError> {
        let found = self
            .units
            .iter()
            .find(|(id, name)| id.as_str() == town || name.as_str() == town);
        match found {
            Some((_, name)) if is_town(name) => Ok(name.clone()),
            Some((id, name)) => Err(DomainError::invalid(
                "APPEAL_TOWN_NOT_A_TOWN",
                format!(
                    "「{town}」是单位 {name}（{id}）, 不是镇(街道), 镇街级受理中心须写明所在镇(街道)"
                ),
            )),
            None => {
                let towns: Vec<&str> = self
                    .units
                    .values()
                    .filter(|n| is_town(n))
                    .map(String::as_str)
                    .collect();
                Err(DomainError::not_found(
                    "UNIT_NOT_FOUND",
                    format!(
                        "镇(街道)「{town}」不是已登记的单位{}",
                        if towns.is_empty() {
                            String::new()
                        } else {
                            format!(": 已登记的镇(街道)有 {}", towns.join("、"))
                        }
                    ),
                ))
            }
        }
    }
}

/// A unit named as a town or street (镇、街道、乡): the units a town-level centre serves.
pub fn is_town(name: &str) -> bool {
    let name = name.trim();
    name.ends_with('镇') || name.ends_with("街道") || name.ends_with('乡')
}

/// Folded state of an `appeal` stream.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub cadre_id: Option<String>,
    pub timeline: Timeline,
    pub typical: bool,
}

/// The `appeal` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "appeal";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Facts;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::File(c) => &c.appeal_id,
            Command::List(c) => &c.appeal_id,
            Command::Claim(c) => &c.appeal_id,
            Command::Coordinate(c) => &c.appeal_id,
            Command::Track(c) => &c.appeal_id,
            Command::Close(c) => &c.appeal_id,
            Command::MarkTypical(c) => &c.appeal_id,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        facts: &Facts,
    ) -> Result<Vec<Event>, DomainError> {
        let on = ctx.effective;
        let policy = &ctx.policy.appeal;
        match command {
            Command::File(c) => file(state, c, ctx, facts),
            Command::List(c) => {
                advance(state, &c.appeal_id, Stage::Listed, ctx)?;
                practice::non_empty(&c.assignee_unit_id, "交办单位")?;
                facts.unit(&c.assignee_unit_id, "交办单位")?;
                Ok(vec![Event::Listed(Listed {
                    appeal_id: c.appeal_id.clone(),
                    assignee_unit_id: c.assignee_unit_id.clone(),
                    listed_on: on,
                    due_on: Stage::Listed.due_on(on, policy),
                })])
            }
            Command::Claim(c) => {
                advance(state, &c.appeal_id, Stage::Claimed, ctx)?;
                practice::non_empty(&c.handler, "领办人")?;
                Ok(vec![Event::Claimed(Claimed {
                    appeal_id: c.appeal_id.clone(),
                    handler: c.handler.trim().to_owned(),
                    claimed_on: on,
                    due_on: Stage::Claimed.due_on(on, policy),
                })])
            }
            Command::Coordinate(c) => {
                advance(state, &c.appeal_id, Stage::Coordinated, ctx)?;
                practice::non_empty(&c.outcome, "会办结果")?;
                if c.participant_unit_ids.is_empty() {
                    return Err(DomainError::invalid(
                        "APPEAL_NO_PARTICIPANTS",
                        format!("诉求「{}」的协调会办至少须有 1 个会办单位", c.appeal_id),
                    ));
                }
                practice::no_duplicates(&c.participant_unit_ids, "会办单位", Clone::clone)?;
                for unit in &c.participant_unit_ids {
                    facts.unit(unit, "会办单位")?;
                }
                Ok(vec![Event::Coordinated(Coordinated {
                    appeal_id: c.appeal_id.clone(),
                    participant_unit_ids: c.participant_unit_ids.clone(),
                    outcome: c.outcome.trim().to_owned(),
                    coordinated_on: on,
                    due_on: Stage::Coordinated.due_on(on, policy),
                })])
            }
            Command::Track(c) => {
                advance(state, &c.appeal_id, Stage::Tracked, ctx)?;
                practice::non_empty(&c.note, "督办事项")?;
                Ok(vec![Event::Tracked(Tracked {
                    appeal_id: c.appeal_id.clone(),
                    note: c.note.trim().to_owned(),
                    tracked_on: on,
                    due_on: Stage::Tracked.due_on(on, policy),
                })])
            }
            Command::Close(c) => {
                advance(state, &c.appeal_id, Stage::Closed, ctx)?;
                practice::non_empty(&c.resolution, "办结情况")?;
                let filed_on = state.timeline.filed_on.unwrap_or(on);
                Ok(vec![Event::Closed(Closed {
                    appeal_id: c.appeal_id.clone(),
                    resolution: c.resolution.trim().to_owned(),
                    closed_on: on,
                    days_open: (on - filed_on).num_days(),
                })])
            }
            Command::MarkTypical(c) => {
                filed(state, &c.appeal_id)?;
                practice::require_role(ctx, STAFF, "列为典型案例")?;
                if state.typical {
                    return Err(DomainError::refused(
                        "APPEAL_ALREADY_TYPICAL",
                        format!("诉求「{}」已列为典型案例", c.appeal_id),
                    ));
                }
                practice::non_empty(&c.reason, "列为典型案例的理由")?;
                practice::not_future(on, ctx, "列为典型案例日期")?;
                let current = state.timeline.current().unwrap_or(Stage::Filed);
                if let Some(previous) = state.timeline.entered(current) {
                    practice::not_before(on, previous, "列为典型案例", current.zh())?;
                }
                Ok(vec![Event::MarkedTypical(MarkedTypical {
                    appeal_id: c.appeal_id.clone(),
                    reason: c.reason.trim().to_owned(),
                    marked_on: on,
                })])
            }
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        state.timeline.apply(event);
        match event {
            Event::Filed(e) => state.cadre_id = Some(e.cadre_id.clone()),
            Event::MarkedTypical(_) => state.typical = true,
            _ => {}
        }
    }
}

/// Roles that run the centre's stages.
const STAFF: &[Role] = &[
    Role::OrgAdmin,
    Role::DisciplineInspector,
    Role::UnitHead,
    Role::System,
];

fn filed(state: &State, appeal_id: &str) -> Result<Stage, DomainError> {
    state
        .timeline
        .current()
        .ok_or_else(|| practice::not_started("APPEAL_NOT_FOUND", "诉求", appeal_id))
}

/// The loop moves one stage at a time, forward, dated on or after the previous stage.
fn advance(
    state: &State,
    appeal_id: &str,
    wanted: Stage,
    ctx: &Context<'_>,
) -> Result<(), DomainError> {
    let current = filed(state, appeal_id)?;
    practice::require_role(ctx, STAFF, &format!("诉求「{}」", wanted.zh()))?;
    if current.next() != Some(wanted) {
        let message = match current.next() {
            None => format!(
                "诉求流转被拒绝: 诉求已「{}」, 不能再进入「{}」",
                current.zh(),
                wanted.zh()
            ),
            Some(next) if wanted > next => format!(
                "诉求流转被拒绝: 当前环节为「{}」, 下一环节应为「{}」, 不能直接进入「{}」",
                current.zh(),
                next.zh(),
                wanted.zh()
            ),
            Some(next) => format!(
                "诉求流转被拒绝: 当前环节为「{}」, 「{}」已办理, 下一环节应为「{}」",
                current.zh(),
                wanted.zh(),
                next.zh()
            ),
        };
        return Err(DomainError::refused("APPEAL_STAGE_OUT_OF_ORDER", message));
    }
    practice::not_future(ctx.effective, ctx, wanted.zh())?;
    if let Some(previous) = state.timeline.entered(current) {
        practice::not_before(ctx.effective, previous, wanted.zh(), current.zh())?;
    }
    Ok(())
}

fn file(
    state: &State,
    c: &File,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    if state.timeline.filed_on.is_some() {
        return Err(practice::already_exists(
            "APPEAL_EXISTS",
            "诉求",
            &c.appeal_id,
        ));
    }
    practice::require_self_if_cadre(ctx, &c.cadre_id, "提交诉求")?;
    practice::require_role(
        ctx,
        &[
            Role::Cadre,
            Role::OrgAdmin,
            Role::DisciplineInspector,
            Role::UnitHead,
            Role::System,
        ],
        "提交诉求",
    )?;
    practice::non_empty(&c.appeal_id, "诉求编号")?;
    practice::non_empty(&c.summary, "诉求内容")?;
    practice::not_future(ctx.effective, ctx, "受理日期")?;
    bounds::record_date("受理日期", ctx.effective)?;
    let cadre = facts.cadres.get(&c.cadre_id)?;
    let town = c.town.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let town = match (c.level, town) {
        (CentreLevel::Town, None) => {
            return Err(DomainError::invalid(
                "APPEAL_TOWN_REQUIRED",
                "镇街级受理中心的诉求必须写明所在镇(街道)",
            ));
        }
        (CentreLevel::Town, Some(t)) => Some(facts.town(t)?),
        // A district centre needs no town: one given is kept as written, not checked.
        (CentreLevel::District, t) => t.map(str::to_owned),
    };
    Ok(vec![Event::Filed(Filed {
        appeal_id: c.appeal_id.clone(),
        cadre_id: c.cadre_id.clone(),
        unit_id: cadre.unit_id.clone(),
        level: c.level,
        town,
        summary: c.summary.trim().to_owned(),
        filed_on: ctx.effective,
        due_on: Stage::Filed.due_on(ctx.effective, &ctx.policy.appeal),
    })])
}

#[cfg(test)]
mod tests;
