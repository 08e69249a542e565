//! Stream kind `forum` (双月讲坛): one two-month cycle in three ordered steps, 讲 → 研 → 答.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
    context::{Context, Role},
    error::DomainError,
    practice::{self, Cadres},
};

/// Where a cycle stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 已立题: opened, nothing held yet.
    Opened,
    /// 讲: the lecture was held (month 1).
    Lecture,
    /// 研: at least one unit submitted research results (同题赛研).
    Research,
    /// 答: heads presented their answers (month 2); the cycle is complete.
    Answer,
}

impl Step {
    pub fn zh(self) -> &'static str {
        match self {
            Step::Opened => "立题",
            Step::Lecture => "讲",
            Step::Research => "研",
            Step::Answer => "答",
        }
    }

    /// The step that may follow this one (`None` once answered).
    pub fn next(self) -> Option<Step> {
        match self {
            Step::Opened => Some(Step::Lecture),
            Step::Lecture => Some(Step::Research),
            Step::Research => Some(Step::Answer),
            Step::Answer => None,
        }
    }
}

/// A cadre presenting answers, with their unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presenter {
    pub cadre_id: String,
    pub unit_id: Option<String>,
}

/// A cycle was opened on a topic; month 1 starts on `cycle_start`, month 2 ends on `cycle_end`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    pub forum_id: String,
    pub topic: String,
    pub cycle_start: NaiveDate,
    pub cycle_end: NaiveDate,
}

/// 讲: leaders or experts lectured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LectureHeld {
    pub forum_id: String,
    pub date: NaiveDate,
    pub title: String,
    pub speakers: Vec<String>,
}

/// 研: one unit's research result (调研成果) on the cycle's topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResearchSubmitted {
    pub forum_id: String,
    pub unit_id: String,
    pub title: String,
    pub submitted_on: NaiveDate,
}

/// 答: selected heads of departments and towns/streets presented answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswersPresented {
    pub forum_id: String,
    pub date: NaiveDate,
    pub presenters: Vec<Presenter>,
    /// Research results submitted in the cycle.
    pub research_count: u32,
}

crate::event_set! {
    /// Events of a `forum` stream.
    pub enum Event {
        Opened(Opened) = "forum.Opened" @ 1,
        LectureHeld(LectureHeld) = "forum.LectureHeld" @ 1,
        ResearchSubmitted(ResearchSubmitted) = "forum.ResearchSubmitted" @ 1,
        AnswersPresented(AnswersPresented) = "forum.AnswersPresented" @ 1,
    }
}

/// Open a cycle starting in `year`-`month` (month 1; month 2 is the next month).
#[derive(Debug, Clone)]
pub struct Open {
    pub forum_id: String,
    pub topic: String,
    pub year: i32,
    pub month: u32,
}

/// 讲: record the lecture.
#[derive(Debug, Clone)]
pub struct Lecture {
    pub forum_id: String,
    pub date: NaiveDate,
    pub title: String,
    pub speakers: Vec<String>,
}

/// 研: record a unit's research result.
#[derive(Debug, Clone)]
pub struct SubmitResearch {
    pub forum_id: String,
    pub unit_id: String,
    pub title: String,
    pub date: NaiveDate,
}

/// 答: record the answer session.
#[derive(Debug, Clone)]
pub struct Answer {
    pub forum_id: String,
    pub date: NaiveDate,
    pub presenters: Vec<String>,
}

/// Commands a `forum` stream accepts.
#[derive(Debug, Clone)]
pub enum Command {
    Open(Open),
    Lecture(Lecture),
    SubmitResearch(SubmitResearch),
    Answer(Answer),
}

impl Command {
    /// The cadres the application must load into [`Cadres`] before deciding.
    pub fn cadre_ids(&self) -> Vec<&str> {
        match self {
            Command::Answer(c) => c.presenters.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

/// An opened cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cycle {
    pub topic: String,
    pub cycle_start: NaiveDate,
    pub cycle_end: NaiveDate,
    pub step: Step,
    pub lecture_on: Option<NaiveDate>,
    pub last_research_on: Option<NaiveDate>,
    /// Unit → title of its research result.
    pub research: BTreeMap<String, String>,
}

impl Cycle {
    /// The last day of month 1.
    pub fn month_one_end(&self) -> NaiveDate {
        month_end(self.cycle_start)
    }

    /// The first day of month 2.
    pub fn month_two_start(&self) -> NaiveDate {
        self.cycle_start
            .checked_add_months(Months::new(1))
            .unwrap_or(self.cycle_end)
    }
}

/// Folded state of a `forum` stream.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub cycle: Option<Cycle>,
}

/// The `forum` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "forum";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Cadres;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Open(c) => &c.forum_id,
            Command::Lecture(c) => &c.forum_id,
            Command::SubmitResearch(c) => &c.forum_id,
            Command::Answer(c) => &c.forum_id,
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
            "双月讲坛",
        )?;
        if ctx.actor.role == Role::UnitHead {
            let Command::SubmitResearch(c) = command else {
                return Err(DomainError::refused(
                    "FORBIDDEN_ROLE",
                    "双月讲坛被拒绝: 单位负责人只能提交本单位的调研成果, 立题、开讲和答题由组织部办理",
                ));
            };
            practice::require_own_unit_if_head(ctx, Some(&c.unit_id), "提交调研成果")?;
        }
        match command {
            Command::Open(c) => open(state, c),
            Command::Lecture(c) => lecture(state, c, ctx),
            Command::SubmitResearch(c) => research(state, c, ctx),
            Command::Answer(c) => answer(state, c, ctx, cadres),
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::Opened(e) => {
                state.cycle = Some(Cycle {
                    topic: e.topic.clone(),
                    cycle_start: e.cycle_start,
                    cycle_end: e.cycle_end,
                    step: Step::Opened,
                    lecture_on: None,
                    last_research_on: None,
                    research: BTreeMap::new(),
                });
            }
            Event::LectureHeld(e) => {
                if let Some(c) = state.cycle.as_mut() {
                    c.step = Step::Lecture;
                    c.lecture_on = Some(e.date);
                }
            }
            Event::ResearchSubmitted(e) => {
                if let Some(c) = state.cycle.as_mut() {
                    c.step = Step::Research;
                    c.last_research_on = Some(
                        c.last_research_on
                            .map_or(e.submitted_on, |d| d.max(e.submitted_on)),
                    );
                    c.research.insert(e.unit_id.clone(), e.title.clone());
                }
            }
            Event::AnswersPresented(_) => {
                if let Some(c) = state.cycle.as_mut() {
                    c.step = Step::Answer;
                }
            }
        }
    }
}

fn month_end(date: NaiveDate) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(date)
}

fn cycle<'s>(state: &'s State, forum_id: &str) -> Result<&'s Cycle, DomainError> {
    state
        .cycle
        .as_ref()
        .ok_or_else(|| practice::not_started("FORUM_NOT_FOUND", "双月讲坛", forum_id))
}

/// `FORUM_STEP_OUT_OF_ORDER` unless `wanted` may follow the current step
/// (研 may repeat: one result per unit).
fn check_step(cycle: &Cycle, wanted: Step) -> Result<(), DomainError> {
    let allowed = cycle.step.next() == Some(wanted)
        || (cycle.step == Step::Research && wanted == Step::Research);
    if allowed {
        return Ok(());
    }
    let expected = match cycle.step.next() {
        Some(next) => format!("下一环节应为「{}」", next.zh()),
        None => "本期讲坛已完成".to_owned(),
    };
    Err(DomainError::refused(
        "FORUM_STEP_OUT_OF_ORDER",
        format!(
            "双月讲坛「{}」流转被拒绝: 当前环节为「{}」, {expected}, 不能进入「{}」",
            cycle.topic,
            cycle.step.zh(),
            wanted.zh()
        ),
    ))
}

fn open(state: &State, c: &Open) -> Result<Vec<Event>, DomainError> {
    if let Some(existing) = &state.cycle {
        return Err(practice::already_exists(
            "FORUM_EXISTS",
            "双月讲坛",
            &existing.topic,
        ));
    }
    practice::non_empty(&c.forum_id, "讲坛编号")?;
    practice::non_empty(&c.topic, "讲坛主题")?;
    let Some(cycle_start) = NaiveDate::from_ymd_opt(c.year, c.month, 1) else {
        return Err(DomainError::invalid(
            "FORUM_BAD_MONTH",
            format!("起始月份 {}-{} 无效", c.year, c.month),
        ));
    };
    let cycle_end = cycle_start
        .checked_add_months(Months::new(1))
        .map_or(cycle_start, month_end);
    Ok(vec![Event::Opened(Opened {
        forum_id: c.forum_id.clone(),
        topic: c.topic.trim().to_owned(),
        cycle_start,
        cycle_end,
    })])
}

fn lecture(state: &State, c: &Lecture, ctx: &Context<'_>) -> Result<Vec<Event>, DomainError> {
    let cycle = cycle(state, &c.forum_id)?;
    check_step(cycle, Step::Lecture)?;
    practice::non_empty(&c.title, "讲题")?;
    if c.speakers.iter().all(|s| s.trim().is_empty()) {
        return Err(DomainError::invalid(
            "FORUM_NO_SPEAKER",
            "「讲」至少要有一名主讲领导或专家",
        ));
    }
    practice::not_future(c.date, ctx, "开讲日期")?;
    if c.date < cycle.cycle_start || c.date > cycle.month_one_end() {
        return Err(DomainError::refused(
            "FORUM_LECTURE_MONTH",
            format!(
                "「讲」应在第一个月 ({} 至 {}) 举行, 开讲日期为 {}",
                cycle.cycle_start,
                cycle.month_one_end(),
                c.date
            ),
        ));
    }
    Ok(vec![Event::LectureHeld(LectureHeld {
        forum_id: c.forum_id.clone(),
        date: c.date,
        title: c.title.trim().to_owned(),
        speakers: c
            .speakers
            .iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
    })])
}

fn research(
    state: &State,
    c: &SubmitResearch,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let cycle = cycle(state, &c.forum_id)?;
    check_step(cycle, Step::Research)?;
    practice::non_empty(&c.unit_id, "提交单位")?;
    practice::non_empty(&c.title, "调研成果题目")?;
    practice::not_future(c.date, ctx, "提交日期")?;
    if let Some(lecture_on) = cycle.lecture_on {
        practice::not_before(c.date, lecture_on, "提交调研成果", "讲")?;
    }
    if c.date > cycle.cycle_end {
        return Err(DomainError::refused(
            "FORUM_OUTSIDE_CYCLE",
            format!(
                "调研成果提交日期 {} 晚于本期讲坛结束日期 {}",
                c.date, cycle.cycle_end
            ),
        ));
    }
    if let Some(title) = cycle.research.get(&c.unit_id) {
        return Err(DomainError::refused(
            "FORUM_RESEARCH_DUPLICATE",
            format!(
                "单位「{}」本期已提交调研成果「{title}」, 每个单位每期只提交一份",
                c.unit_id
            ),
        ));
    }
    Ok(vec![Event::ResearchSubmitted(ResearchSubmitted {
        forum_id: c.forum_id.clone(),
        unit_id: c.unit_id.clone(),
        title: c.title.trim().to_owned(),
        submitted_on: c.date,
    })])
}

fn answer(
    state: &State,
    c: &Answer,
    ctx: &Context<'_>,
    cadres: &Cadres,
) -> Result<Vec<Event>, DomainError> {
    let cycle = cycle(state, &c.forum_id)?;
    check_step(cycle, Step::Answer)?;
    practice::not_future(c.date, ctx, "答题日期")?;
    if c.date < cycle.month_two_start() || c.date > cycle.cycle_end {
        return Err(DomainError::refused(
            "FORUM_ANSWER_MONTH",
            format!(
                "「答」应在第二个月 ({} 至 {}) 举行, 日期为 {}",
                cycle.month_two_start(),
                cycle.cycle_end,
                c.date
            ),
        ));
    }
    if let Some(last) = cycle.last_research_on {
        practice::not_before(c.date, last, "答", "最近一份调研成果提交")?;
    }
    if c.presenters.is_empty() {
        return Err(DomainError::invalid(
            "FORUM_NO_PRESENTER",
            "「答」至少要有一名部门或镇街负责人上台",
        ));
    }
    practice::no_duplicates(&c.presenters, "答题人", Clone::clone)?;
    let presenters = c
        .presenters
        .iter()
        .map(|id| {
            cadres.get(id).map(|p| Presenter {
                cadre_id: p.cadre_id.clone(),
                unit_id: p.unit_id.clone(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(vec![Event::AnswersPresented(AnswersPresented {
        forum_id: c.forum_id.clone(),
        date: c.date,
        presenters,
        research_count: u32::try_from(cycle.research.len()).unwrap_or(u32::MAX),
    })])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        harness::given,
        practice::{CadreRef, test_support::d},
    };

    fn opened() -> Event {
        Event::Opened(Opened {
            forum_id: "f1".into(),
            topic: "营商环境优化".into(),
            cycle_start: d(2025, 5, 1),
            cycle_end: d(2025, 6, 30),
        })
    }

    fn lectured() -> Event {
        Event::LectureHeld(LectureHeld {
            forum_id: "f1".into(),
            date: d(2025, 5, 10),
            title: "优化营商环境的路径".into(),
            speakers: vec!["区委书记".into()],
        })
    }

    fn researched(unit: &str) -> Event {
        Event::ResearchSubmitted(ResearchSubmitted {
            forum_id: "f1".into(),
            unit_id: unit.into(),
            title: "调研报告".into(),
            submitted_on: d(2025, 5, 25),
        })
    }

    fn lecture_cmd(day: NaiveDate) -> Command {
        Command::Lecture(Lecture {
            forum_id: "f1".into(),
            date: day,
            title: "讲题".into(),
            speakers: vec!["专家".into()],
        })
    }

    fn research_cmd(unit: &str) -> Command {
        Command::SubmitResearch(SubmitResearch {
            forum_id: "f1".into(),
            unit_id: unit.into(),
            title: "同题赛研成果".into(),
            date: d(2025, 5, 28),
        })
    }

    fn answer_cmd(day: NaiveDate) -> Command {
        Command::Answer(Answer {
            forum_id: "f1".into(),
            date: day,
            presenters: vec!["head".into()],
        })
    }

    fn heads() -> Cadres {
        Cadres::of([CadreRef::new("head", "town-1")])
    }

    #[test]
    fn a_cycle_spans_two_calendar_months() {
        given::<Aggregate>([])
            .when(Command::Open(Open {
                forum_id: "f1".into(),
                topic: "营商环境优化".into(),
                year: 2025,
                month: 5,
            }))
            .then_events([opened()]);
        let events = given::<Aggregate>([])
            .when(Command::Open(Open {
                forum_id: "f2".into(),
                topic: "岁末".into(),
                year: 2025,
                month: 12,
            }))
            .then_ok();
        assert!(matches!(&events[0], Event::Opened(o) if o.cycle_end == d(2026, 1, 31)));
        given::<Aggregate>([])
            .when(Command::Open(Open {
                forum_id: "f2".into(),
                topic: "x".into(),
                year: 2025,
                month: 13,
            }))
            .then_error("FORUM_BAD_MONTH");
        given::<Aggregate>([opened()])
            .when(Command::Open(Open {
                forum_id: "f1".into(),
                topic: "x".into(),
                year: 2025,
                month: 5,
            }))
            .then_error("FORUM_EXISTS");
    }

    #[test]
    fn steps_go_lecture_research_answer_in_order() {
        // 讲 first.
        given::<Aggregate>([opened()])
            .when(lecture_cmd(d(2025, 5, 10)))
            .then_ok();
        let e = given::<Aggregate>([opened()])
            .when(research_cmd("u1"))
            .then_error("FORUM_STEP_OUT_OF_ORDER");
        assert!(
            e.message()
                .contains("当前环节为「立题」, 下一环节应为「讲」, 不能进入「研」"),
            "{e}"
        );
        // 研 after 讲, 答 only after 研.
        given::<Aggregate>([opened(), lectured()])
            .on(d(2025, 5, 30))
            .when(research_cmd("u1"))
            .then_ok();
        let e = given::<Aggregate>([opened(), lectured()])
            .with_facts(heads())
            .when(answer_cmd(d(2025, 6, 20)))
            .then_error("FORUM_STEP_OUT_OF_ORDER");
        assert!(e.message().contains("下一环节应为「研」"), "{e}");
        given::<Aggregate>([opened(), lectured(), researched("u1")])
            .with_facts(heads())
            .when(answer_cmd(d(2025, 6, 20)))
            .then_ok();
        // Nothing after 答; no second 讲.
        let done = [
            opened(),
            lectured(),
            researched("u1"),
            Event::AnswersPresented(AnswersPresented {
                forum_id: "f1".into(),
                date: d(2025, 6, 20),
                presenters: vec![],
                research_count: 1,
            }),
        ];
        given::<Aggregate>(done)
            .when(research_cmd("u2"))
            .then_error("FORUM_STEP_OUT_OF_ORDER");
        given::<Aggregate>([opened(), lectured()])
            .when(lecture_cmd(d(2025, 5, 12)))
            .then_error("FORUM_STEP_OUT_OF_ORDER");
    }

    #[test]
    fn lecture_falls_in_month_one() {
        let e = given::<Aggregate>([opened()])
            .when(lecture_cmd(d(2025, 6, 3)))
            .then_error("FORUM_LECTURE_MONTH");
        assert!(e.message().contains("2025-05-31"), "{e}");
        given::<Aggregate>([opened()])
            .on(d(2025, 5, 20))
            .when(lecture_cmd(d(2025, 5, 21)))
            .then_error("DATE_IN_FUTURE");
    }

    #[test]
    fn answers_fall_in_month_two() {
        let history = [opened(), lectured(), researched("u1")];
        given::<Aggregate>(history.clone())
            .with_facts(heads())
            .when(answer_cmd(d(2025, 5, 30)))
            .then_error("FORUM_ANSWER_MONTH");
        given::<Aggregate>(history)
            .with_facts(heads())
            .on(d(2025, 6, 2))
            .when(answer_cmd(d(2025, 6, 1)))
            .then_events([Event::AnswersPresented(AnswersPresented {
                forum_id: "f1".into(),
                date: d(2025, 6, 1),
                presenters: vec![Presenter {
                    cadre_id: "head".into(),
                    unit_id: Some("town-1".into()),
                }],
                research_count: 1,
            })]);
    }

    #[test]
    fn one_research_result_per_unit_per_cycle() {
        given::<Aggregate>([opened(), lectured(), researched("u1")])
            .when(research_cmd("u2"))
            .then_ok();
        let e = given::<Aggregate>([opened(), lectured(), researched("u1")])
            .when(research_cmd("u1"))
            .then_error("FORUM_RESEARCH_DUPLICATE");
        assert!(e.message().contains("u1"), "{e}");
    }

    #[test]
    fn research_comes_after_the_lecture_and_within_the_cycle() {
        let mut c = SubmitResearch {
            forum_id: "f1".into(),
            unit_id: "u1".into(),
            title: "t".into(),
            date: d(2025, 5, 9),
        };
        given::<Aggregate>([opened(), lectured()])
            .when(Command::SubmitResearch(c.clone()))
            .then_error("DATE_BEFORE_PREVIOUS_STEP");
        c.date = d(2025, 7, 1);
        given::<Aggregate>([opened(), lectured()])
            .on(d(2025, 7, 2))
            .when(Command::SubmitResearch(c))
            .then_error("FORUM_OUTSIDE_CYCLE");
    }

    #[test]
    fn presenters_are_known_cadres() {
        let history = [opened(), lectured(), researched("u1")];
        given::<Aggregate>(history.clone())
            .when(answer_cmd(d(2025, 6, 20)))
            .then_error("CADRE_NOT_FOUND");
        given::<Aggregate>(history)
            .with_facts(heads())
            .when(Command::Answer(Answer {
                forum_id: "f1".into(),
                date: d(2025, 6, 20),
                presenters: vec![],
            }))
            .then_error("FORUM_NO_PRESENTER");
    }

    #[test]
    fn units_submit_their_own_research_and_the_department_runs_the_rest() {
        let head = |unit: &str| crate::context::Actor::scoped("h", Role::UnitHead, unit);
        given::<Aggregate>([opened(), lectured()])
            .as_actor(head("u1"))
            .when(research_cmd("u1"))
            .then_ok();
        given::<Aggregate>([opened(), lectured()])
            .as_actor(head("u2"))
            .when(research_cmd("u1"))
            .then_error("FORBIDDEN_SCOPE");
        given::<Aggregate>([opened()])
            .as_actor(head("u1"))
            .when(lecture_cmd(d(2025, 5, 10)))
            .then_error("FORBIDDEN_ROLE");
        given::<Aggregate>([opened()])
            .as_actor(crate::context::Actor::new("i", Role::DisciplineInspector))
            .when(lecture_cmd(d(2025, 5, 10)))
            .then_error("FORBIDDEN_ROLE");
    }

    #[test]
    fn commands_name_an_opened_cycle() {
        let e = given::<Aggregate>([])
            .when(lecture_cmd(d(2025, 5, 10)))
            .then_error("FORUM_NOT_FOUND");
        assert!(matches!(e, DomainError::NotFound { .. }));
    }

    #[test]
    fn a_lecture_has_a_speaker() {
        given::<Aggregate>([opened()])
            .when(Command::Lecture(Lecture {
                forum_id: "f1".into(),
                date: d(2025, 5, 10),
                title: "讲题".into(),
                speakers: vec![" ".into()],
            }))
            .then_error("FORUM_NO_SPEAKER");
    }
}
