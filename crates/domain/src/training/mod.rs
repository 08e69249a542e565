//! Stream kind `training` (培训班): a class, its enrolment (报名), attendance (考勤), hours credited and completion (结业).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
    context::{Context, Role},
    error::DomainError,
    practice::{self, Cadres},
    training_hours,
};

/// 班次类型: main class or thematic class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassKind {
    /// 主体班次
    Main,
    /// 专题班次 (with a theme such as 招商引资特训营, 智改数转, 杏林堰才, 领雁人才)
    Thematic,
}

impl ClassKind {
    pub fn zh(self) -> &'static str {
        match self {
            ClassKind::Main => "主体班次",
            ClassKind::Thematic => "专题班次",
        }
    }
}

/// 教学方式: teaching methods a class uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeachingMethod {
    /// 案例式
    Case,
    /// 研讨式
    Discussion,
    /// 体验式
    Experiential,
    /// 互动式
    Interactive,
    /// 模拟式
    Simulation,
}

impl TeachingMethod {
    pub const ALL: [TeachingMethod; 5] = [
        TeachingMethod::Case,
        TeachingMethod::Discussion,
        TeachingMethod::Experiential,
        TeachingMethod::Interactive,
        TeachingMethod::Simulation,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            TeachingMethod::Case => "案例式",
            TeachingMethod::Discussion => "研讨式",
            TeachingMethod::Experiential => "体验式",
            TeachingMethod::Interactive => "互动式",
            TeachingMethod::Simulation => "模拟式",
        }
    }
}

// ---------------------------------------------------------------- events

/// 开班: a class was scheduled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scheduled {
    pub class_id: String,
    pub name: String,
    pub kind: ClassKind,
    /// The theme of a thematic class (e.g. 智改数转); `None` for most main classes.
    pub theme: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Hours the whole class schedules; no cadre is credited more.
    pub scheduled_hours: f64,
    pub methods: Vec<TeachingMethod>,
    /// The unit that runs the class (e.g. the party school), if recorded.
    pub organizer_unit_id: Option<String>,
}

/// 报名: a cadre enrolled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enrolled {
    pub class_id: String,
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub enrolled_on: NaiveDate,
}

/// 考勤: a cadre attended one session and is credited its hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendanceRecorded {
    pub class_id: String,
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub session_date: NaiveDate,
    /// Optional label when a day holds several sessions (上午, 第3讲…).
    pub session: Option<String>,
    /// Hours credited for this session.
    pub hours: f64,
    /// The cadre's hours credited in this class after this session.
    pub total_hours: f64,
}

/// 结业: a cadre completed the class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completed {
    pub class_id: String,
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub class_kind: ClassKind,
    pub completed_on: NaiveDate,
    pub hours_credited: f64,
    /// Hours credited as a percentage of the class's scheduled hours.
    pub attendance_percent: f64,
}

/// One enrolled cadre's standing when the class closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CadreHours {
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub hours_credited: f64,
}

/// 结班: the class closed; those not completed stay not completed (未结业).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closed {
    pub class_id: String,
    pub closed_on: NaiveDate,
    pub completed: u32,
    pub not_completed: Vec<CadreHours>,
}

crate::event_set! {
    /// Events of a `training` stream.
    pub enum Event {
        Scheduled(Scheduled) = "training.Scheduled" @ 1,
        Enrolled(Enrolled) = "training.Enrolled" @ 1,
        AttendanceRecorded(AttendanceRecorded) = "training.AttendanceRecorded" @ 1,
        Completed(Completed) = "training.Completed" @ 1,
        Closed(Closed) = "training.Closed" @ 1,
    }
}

// ---------------------------------------------------------------- commands

/// Schedule a class (开班).
#[derive(Debug, Clone)]
pub struct Schedule {
    pub class_id: String,
    pub name: String,
    pub kind: ClassKind,
    pub theme: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub scheduled_hours: f64,
    pub methods: Vec<TeachingMethod>,
    pub organizer_unit_id: Option<String>,
}

/// Enrol a cadre (报名), effective on the context's effective date.
#[derive(Debug, Clone)]
pub struct Enrol {
    pub class_id: String,
    pub cadre_id: String,
}

/// Record a cadre's attendance at one session (考勤).
#[derive(Debug, Clone)]
pub struct RecordAttendance {
    pub class_id: String,
    pub cadre_id: String,
    pub session_date: NaiveDate,
    pub session: Option<String>,
    pub hours: f64,
}

/// Record a cadre's completion (结业), effective on the context's effective date.
#[derive(Debug, Clone)]
pub struct Complete {
    pub class_id: String,
    pub cadre_id: String,
}

/// Close the class once it has ended (结班).
#[derive(Debug, Clone)]
pub struct Close {
    pub class_id: String,
}

/// Commands a `training` stream accepts.
#[derive(Debug, Clone)]
pub enum Command {
    Schedule(Schedule),
    Enrol(Enrol),
    RecordAttendance(RecordAttendance),
    Complete(Complete),
    Close(Close),
}

impl Command {
    /// The cadres the application must load into [`Cadres`] before deciding (for attendance,
    /// the cadre's birth date: no session before it).
    pub fn cadre_ids(&self) -> Vec<&str> {
        match self {
            Command::Enrol(c) => vec![c.cadre_id.as_str()],
            Command::RecordAttendance(c) => vec![c.cadre_id.as_str()],
            _ => Vec::new(),
        }
    }
}

// ---------------------------------------------------------------- state

/// What a class knows about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Class {
    pub name: String,
    pub kind: ClassKind,
    pub theme: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub scheduled_hours: f64,
    pub methods: Vec<TeachingMethod>,
}

/// One cadre's enrolment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Enrolment {
    pub unit_id: Option<String>,
    pub enrolled_on: Option<NaiveDate>,
    pub hours: f64,
    pub sessions: BTreeSet<(NaiveDate, Option<String>)>,
    /// Hours credited on each session date (a day holds at most 24).
    #[serde(default)]
    pub day_hours: BTreeMap<NaiveDate, f64>,
    pub completed_on: Option<NaiveDate>,
}

/// Folded state of a `training` stream.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub class: Option<Class>,
    pub enrolments: BTreeMap<String, Enrolment>,
    pub closed_on: Option<NaiveDate>,
}

/// The `training` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "training";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Cadres;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Schedule(c) => &c.class_id,
            Command::Enrol(c) => &c.class_id,
            Command::RecordAttendance(c) => &c.class_id,
            Command::Complete(c) => &c.class_id,
            Command::Close(c) => &c.class_id,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        cadres: &Cadres,
    ) -> Result<Vec<Event>, DomainError> {
        practice::require_role(ctx, &[Role::OrgAdmin, Role::System], "培训班管理")?;
        match command {
            Command::Schedule(c) => schedule(state, c),
            Command::Enrol(c) => enrol(state, c, ctx, cadres),
            Command::RecordAttendance(c) => attend(state, c, ctx, cadres),
            Command::Complete(c) => complete(state, c, ctx),
            Command::Close(c) => close(state, c, ctx),
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::Scheduled(e) => {
                state.class = Some(Class {
                    name: e.name.clone(),
                    kind: e.kind,
                    theme: e.theme.clone(),
                    start_date: e.start_date,
                    end_date: e.end_date,
                    scheduled_hours: e.scheduled_hours,
                    methods: e.methods.clone(),
                });
            }
            Event::Enrolled(e) => {
                state.enrolments.insert(
                    e.cadre_id.clone(),
                    Enrolment {
                        unit_id: e.unit_id.clone(),
                        enrolled_on: Some(e.enrolled_on),
                        ..Enrolment::default()
                    },
                );
            }
            Event::AttendanceRecorded(e) => {
                let enrolment = state.enrolments.entry(e.cadre_id.clone()).or_default();
                enrolment.hours = e.total_hours;
                enrolment
                    .sessions
                    .insert((e.session_date, e.session.clone()));
                let day = enrolment.day_hours.entry(e.session_date).or_default();
                *day = training_hours::sum([*day, e.hours]);
            }
            Event::Completed(e) => {
                state
                    .enrolments
                    .entry(e.cadre_id.clone())
                    .or_default()
                    .completed_on = Some(e.completed_on);
            }
            Event::Closed(e) => state.closed_on = Some(e.closed_on),
        }
    }
}

fn class<'s>(state: &'s State, class_id: &str) -> Result<&'s Class, DomainError> {
    state
        .class
        .as_ref()
        .ok_or_else(|| practice::not_started("TRAINING_CLASS_NOT_FOUND", "培训班", class_id))
}

fn open_class<'s>(
    state: &'s State,
    class_id: &str,
    action: &str,
) -> Result<&'s Class, DomainError> {
    let class = class(state, class_id)?;
    if let Some(closed_on) = state.closed_on {
        return Err(DomainError::refused(
            "TRAINING_CLASS_CLOSED",
            format!(
                "{action}被拒绝: 培训班「{}」已于 {closed_on} 结班",
                class.name
            ),
        ));
    }
    Ok(class)
}

fn enrolment<'s>(
    state: &'s State,
    class: &Class,
    cadre_id: &str,
) -> Result<&'s Enrolment, DomainError> {
    state.enrolments.get(cadre_id).ok_or_else(|| {
        DomainError::invalid(
            "TRAINING_NOT_ENROLLED",
            format!(
                "干部「{cadre_id}」未报名培训班「{}」, 没有这条报名记录",
                class.name
            ),
        )
    })
}

fn percent(hours: f64, scheduled: f64) -> f64 {
    if scheduled > 0.0 {
        hours / scheduled * 100.0
    } else {
        0.0
    }
}

fn schedule(state: &State, c: &Schedule) -> Result<Vec<Event>, DomainError> {
    if let Some(existing) = &state.class {
        return Err(practice::already_exists(
            "TRAINING_CLASS_EXISTS",
            "培训班",
            &existing.name,
        ));
    }
    practice::non_empty(&c.class_id, "班次编号")?;
    practice::non_empty(&c.name, "班次名称")?;
    practice::ordered_range(c.start_date, c.end_date)?;
    practice::positive_hours(c.scheduled_hours, "计划学时")?;
    training_hours::check_precision(c.scheduled_hours, "计划学时")?;
    practice::no_duplicates(&c.methods, "教学方式", |m| m.zh().to_owned())?;
    let theme = c
        .theme
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    if c.kind == ClassKind::Thematic && theme.is_none() {
        return Err(DomainError::invalid(
            "TRAINING_THEME_REQUIRED",
            format!(
                "专题班次「{}」必须写明专题 (如 招商引资特训营、智改数转)",
                c.name
            ),
        ));
    }
    Ok(vec![Event::Scheduled(Scheduled {
        class_id: c.class_id.clone(),
        name: c.name.trim().to_owned(),
        kind: c.kind,
        theme,
        start_date: c.start_date,
        end_date: c.end_date,
        scheduled_hours: c.scheduled_hours,
        methods: c.methods.clone(),
        organizer_unit_id: c.organizer_unit_id.clone(),
    })])
}

fn enrol(
    state: &State,
    c: &Enrol,
    ctx: &Context<'_>,
    cadres: &Cadres,
) -> Result<Vec<Event>, DomainError> {
    let class = open_class(state, &c.class_id, "报名")?;
    if ctx.effective > class.end_date {
        return Err(DomainError::refused(
            "TRAINING_ENROL_AFTER_END",
            format!(
                "报名被拒绝: 培训班「{}」已于 {} 结束, 报名日期为 {}",
                class.name, class.end_date, ctx.effective
            ),
        ));
    }
    if let Some(e) = state.enrolments.get(&c.cadre_id) {
        return Err(DomainError::refused(
            "TRAINING_ALREADY_ENROLLED",
            format!(
                "报名被拒绝: 干部「{}」已于 {} 报名培训班「{}」",
                c.cadre_id,
                e.enrolled_on.map_or_else(String::new, |d| d.to_string()),
                class.name
            ),
        ));
    }
    let cadre = cadres.get(&c.cadre_id)?;
    Ok(vec![Event::Enrolled(Enrolled {
        class_id: c.class_id.clone(),
        cadre_id: c.cadre_id.clone(),
        unit_id: cadre.unit_id.clone(),
        enrolled_on: ctx.effective,
    })])
}

/// Most hours one cadre is credited on one date (a day).
pub const MAX_DAY_HOURS: f64 = 24.0;

/// `DATE_IN_FUTURE` when a session is dated after the date its record takes effect (the
/// effective date): hours are credited as of the day they were earned, never before.
pub(crate) fn not_after_effective(
    date: NaiveDate,
    ctx: &Context<'_>,
    field: &str,
) -> Result<(), DomainError> {
    if date > ctx.effective {
        return Err(DomainError::invalid(
            "DATE_IN_FUTURE",
            format!(
                "「{field}」{date} 晚于生效日期 {}, 尚未发生的学习不能计入学时",
                ctx.effective
            ),
        ));
    }
    Ok(())
}

/// `DATE_BEFORE_BIRTH` when a session credited to a cadre is dated before their birth (the
/// birth date loaded with the cadre; a cadre not loaded is not checked here).
pub(crate) fn not_before_birth(
    date: NaiveDate,
    cadre_id: &str,
    cadres: &Cadres,
    field: &str,
) -> Result<(), DomainError> {
    let born = cadres
        .0
        .iter()
        .find(|c| c.cadre_id == cadre_id)
        .and_then(|c| c.birth_date);
    match born {
        Some(born) if date < born => Err(DomainError::invalid(
            "DATE_BEFORE_BIRTH",
            format!("「{field}」{date} 早于干部「{cadre_id}」的出生日期 {born}, 不能计入学时"),
        )),
        _ => Ok(()),
    }
}

fn attend(
    state: &State,
    c: &RecordAttendance,
    ctx: &Context<'_>,
    cadres: &Cadres,
) -> Result<Vec<Event>, DomainError> {
    let class = open_class(state, &c.class_id, "考勤登记")?;
    practice::positive_hours(c.hours, "本次学时")?;
    training_hours::check_precision(c.hours, "本次学时")?;
    practice::not_future(c.session_date, ctx, "上课日期")?;
    not_after_effective(c.session_date, ctx, "上课日期")?;
    not_before_birth(c.session_date, &c.cadre_id, cadres, "上课日期")?;
    let enrolment = enrolment(state, class, &c.cadre_id)?;
    if c.session_date < class.start_date || c.session_date > class.end_date {
        return Err(DomainError::refused(
            "TRAINING_ATTENDANCE_OUTSIDE_DATES",
            format!(
                "考勤登记被拒绝: 上课日期 {} 不在培训班「{}」的办班日期 {} 至 {} 之内",
                c.session_date, class.name, class.start_date, class.end_date
            ),
        ));
    }
    let session = c
        .session
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if enrolment
        .sessions
        .contains(&(c.session_date, session.clone()))
    {
        return Err(DomainError::refused(
            "TRAINING_ATTENDANCE_DUPLICATE",
            format!(
                "考勤登记被拒绝: 干部「{}」{} {} 的考勤已登记",
                c.cadre_id,
                c.session_date,
                session.as_deref().unwrap_or("")
            ),
        ));
    }
    let on_the_day = enrolment
        .day_hours
        .get(&c.session_date)
        .copied()
        .unwrap_or(0.0);
    let day_total = training_hours::sum([on_the_day, c.hours]);
    if training_hours::hundredths(day_total) > training_hours::hundredths(MAX_DAY_HOURS) {
        return Err(DomainError::refused(
            "HOURS_OVER_A_DAY",
            format!(
                "考勤登记被拒绝: 干部「{}」{} 在培训班「{}」已记 {} 学时, 再记 {} 学时共 {} 学时, 超过一天 ({MAX_DAY_HOURS} 小时)",
                c.cadre_id,
                c.session_date,
                class.name,
                training_hours::show(on_the_day),
                training_hours::show(c.hours),
                training_hours::show(day_total)
            ),
        ));
    }
    let total = training_hours::sum([enrolment.hours, c.hours]);
    if training_hours::hundredths(total) > training_hours::hundredths(class.scheduled_hours) {
        return Err(DomainError::refused(
            "TRAINING_HOURS_EXCEED_SCHEDULE",
            format!(
                "考勤登记被拒绝: 干部「{}」已记 {} 学时, 再记 {} 学时共 {} 学时, 超过培训班「{}」计划学时 {}",
                c.cadre_id, enrolment.hours, c.hours, total, class.name, class.scheduled_hours
            ),
        ));
    }
    Ok(vec![Event::AttendanceRecorded(AttendanceRecorded {
        class_id: c.class_id.clone(),
        cadre_id: c.cadre_id.clone(),
        unit_id: enrolment.unit_id.clone(),
        session_date: c.session_date,
        session,
        hours: c.hours,
        total_hours: total,
    })])
}

fn complete(state: &State, c: &Complete, ctx: &Context<'_>) -> Result<Vec<Event>, DomainError> {
    let class = open_class(state, &c.class_id, "结业登记")?;
    let enrolment = enrolment(state, class, &c.cadre_id)?;
    if let Some(on) = enrolment.completed_on {
        return Err(DomainError::refused(
            "TRAINING_ALREADY_COMPLETED",
            format!("结业登记被拒绝: 干部「{}」已于 {on} 结业", c.cadre_id),
        ));
    }
    if ctx.effective < class.end_date {
        return Err(DomainError::refused(
            "TRAINING_COMPLETION_BEFORE_END",
            format!(
                "结业登记被拒绝: 培训班「{}」{} 才结束, 结业日期 {} 过早",
                class.name, class.end_date, ctx.effective
            ),
        ));
    }
    let threshold = ctx.policy.training.completion_attendance_percent;
    let attended = percent(enrolment.hours, class.scheduled_hours);
    if attended + 1e-9 < f64::from(threshold) {
        return Err(DomainError::refused(
            "TRAINING_COMPLETION_ATTENDANCE",
            format!(
                "结业登记被拒绝: 干部「{}」出勤 {} 学时, 占计划学时 {} 的 {:.1}%, 低于结业要求 {}%",
                c.cadre_id, enrolment.hours, class.scheduled_hours, attended, threshold
            ),
        ));
    }
    Ok(vec![Event::Completed(Completed {
        class_id: c.class_id.clone(),
        cadre_id: c.cadre_id.clone(),
        unit_id: enrolment.unit_id.clone(),
        class_kind: class.kind,
        completed_on: ctx.effective,
        hours_credited: enrolment.hours,
        attendance_percent: attended,
    })])
}

fn close(state: &State, c: &Close, ctx: &Context<'_>) -> Result<Vec<Event>, DomainError> {
    let class = open_class(state, &c.class_id, "结班")?;
    if ctx.effective < class.end_date {
        return Err(DomainError::refused(
            "TRAINING_CLOSE_BEFORE_END",
            format!(
                "结班被拒绝: 培训班「{}」{} 才结束, 结班日期 {} 过早",
                class.name, class.end_date, ctx.effective
            ),
        ));
    }
    let completed = state
        .enrolments
        .values()
        .filter(|e| e.completed_on.is_some())
        .count();
    let not_completed = state
        .enrolments
        .iter()
        .filter(|(_, e)| e.completed_on.is_none())
        .map(|(id, e)| CadreHours {
            cadre_id: id.clone(),
            unit_id: e.unit_id.clone(),
            hours_credited: e.hours,
        })
        .collect();
    Ok(vec![Event::Closed(Closed {
        class_id: c.class_id.clone(),
        closed_on: ctx.effective,
        completed: u32::try_from(completed).unwrap_or(u32::MAX),
        not_completed,
    })])
}

#[cfg(test)]
mod tests;
