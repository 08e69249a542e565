//! Stream kind `appeal` (诉求, “三项机制”联合受理中心): the closed loop 清单交办 → 诉求领办 → 协调会办 → 跟踪督办 → 办结, with stage deadlines.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
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
    type Facts = Cadres;

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
        cadres: &Cadres,
    ) -> Result<Vec<Event>, DomainError> {
        let on = ctx.effective;
        let policy = &ctx.policy.appeal;
        match command {
            Command::File(c) => file(state, c, ctx, cadres),
            Command::List(c) => {
                advance(state, &c.appeal_id, Stage::Listed, ctx)?;
                practice::non_empty(&c.assignee_unit_id, "交办单位")?;
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
                practice::no_duplicates(&c.participant_unit_ids, "会办单位", Clone::clone)?;
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
    cadres: &Cadres,
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
    let town = c
        .town
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    if c.level == CentreLevel::Town && town.is_none() {
        return Err(DomainError::invalid(
            "APPEAL_TOWN_REQUIRED",
            "镇街级受理中心的诉求必须写明所在镇(街道)",
        ));
    }
    let cadre = cadres.get(&c.cadre_id)?;
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
mod tests {
    use super::*;
    use crate::{
        context::Actor,
        harness::given,
        policy::Policy,
        practice::{CadreRef, test_support::d},
    };

    fn cadres() -> Cadres {
        Cadres::of([CadreRef::new("a", "u1")])
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
            .with_facts(cadres())
            .as_actor(Actor::scoped("acct-a", Role::Cadre, "a"))
            .on(d(2025, 6, 1))
            .when(file_cmd())
            .then_events([filed_on(d(2025, 6, 1))]);
        given::<Aggregate>([])
            .with_facts(cadres())
            .as_actor(Actor::scoped("acct-b", Role::Cadre, "b"))
            .when(file_cmd())
            .then_error("FORBIDDEN_SCOPE");
    }

    #[test]
    fn an_appeal_is_filed_once() {
        given::<Aggregate>([filed_on(d(2025, 6, 1))])
            .with_facts(cadres())
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
            .with_facts(cadres())
            .when(Command::File(c.clone()))
            .then_error("APPEAL_TOWN_REQUIRED");
        c.level = CentreLevel::District;
        given::<Aggregate>([])
            .with_facts(cadres())
            .when(Command::File(c.clone()))
            .then_ok();
        c.summary = " ".into();
        given::<Aggregate>([])
            .with_facts(cadres())
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
}
