//! Mutations of cultivation (铸魂强能): training classes, study sessions and the bi-monthly forum.

use async_graphql::{Context, InputObject, Object};
use dossier_domain::{Role, forum, study, training};

use crate::{
    auth::ORG,
    schema::{
        command::{CommandMeta, CommandResult, mirror_enum, run},
        scalars::Date,
    },
};

mirror_enum! {
    /// 班次类型.
    ClassKind => training::ClassKind {
        /// 主体班次
        Main,
        /// 专题班次
        Thematic,
    }
}

mirror_enum! {
    /// 教学方式.
    TeachingMethod => training::TeachingMethod {
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
}

mirror_enum! {
    /// 学习方式 (五学).
    StudyMode => study::StudyMode {
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
}

/// 安排培训班.
#[derive(InputObject)]
pub struct ScheduleClassInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub class_id: String,
    #[graphql(validator(min_length = 1, max_length = 200))]
    pub name: String,
    pub kind: ClassKind,
    /// e.g. 招商引资特训营, 智改数转.
    pub theme: Option<String>,
    pub start_date: Date,
    pub end_date: Date,
    pub scheduled_hours: f64,
    #[graphql(default)]
    pub methods: Vec<TeachingMethod>,
    pub organizer_unit_id: Option<String>,
}

/// 报名.
#[derive(InputObject)]
pub struct EnrolInput {
    pub class_id: String,
    pub cadre_id: String,
}

/// 考勤.
#[derive(InputObject)]
pub struct RecordAttendanceInput {
    pub class_id: String,
    pub cadre_id: String,
    pub session_date: Date,
    pub session: Option<String>,
    pub hours: f64,
}

/// 结业.
#[derive(InputObject)]
pub struct CompleteInput {
    pub class_id: String,
    pub cadre_id: String,
}

/// 举办学习.
#[derive(InputObject)]
pub struct HoldStudyInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub session_id: String,
    pub mode: StudyMode,
    pub date: Date,
    #[graphql(validator(min_length = 1, max_length = 200))]
    pub topic: String,
    pub hours: f64,
    pub organizer_unit_id: Option<String>,
    pub location: Option<String>,
    #[graphql(default)]
    pub attendees: Vec<String>,
}

/// 开启一期双月讲坛.
#[derive(InputObject)]
pub struct OpenForumInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub forum_id: String,
    #[graphql(validator(min_length = 1, max_length = 200))]
    pub topic: String,
    pub year: i32,
    pub month: u32,
}

/// 讲: the lecture.
#[derive(InputObject)]
pub struct LectureInput {
    pub forum_id: String,
    pub date: Date,
    pub title: String,
    #[graphql(default)]
    pub speakers: Vec<String>,
}

/// 研: a unit's research result (同题赛研).
#[derive(InputObject)]
pub struct SubmitResearchInput {
    pub forum_id: String,
    pub unit_id: String,
    pub title: String,
    pub date: Date,
}

/// 答: the presenters' answers.
#[derive(InputObject)]
pub struct AnswerInput {
    pub forum_id: String,
    pub date: Date,
    pub presenters: Vec<String>,
}

const ORG_OR_UNIT: &[Role] = &[Role::OrgAdmin, Role::UnitHead, Role::System];

/// Cultivation commands.
#[derive(Default)]
pub struct CultivationMutation;

#[Object]
impl CultivationMutation {
    /// 安排培训班 (组织部).
    async fn schedule_class(
        &self,
        ctx: &Context<'_>,
        input: ScheduleClassInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = training::Command::Schedule(training::Schedule {
            class_id: input.class_id,
            name: input.name,
            kind: input.kind.into(),
            theme: input.theme,
            start_date: input.start_date.0,
            end_date: input.end_date.0,
            scheduled_hours: input.scheduled_hours,
            methods: input.methods.into_iter().map(Into::into).collect(),
            organizer_unit_id: input.organizer_unit_id,
        });
        run::<training::Aggregate>(ctx, ORG, "安排培训班", meta, cmd).await
    }

    /// 报名.
    async fn enrol(
        &self,
        ctx: &Context<'_>,
        input: EnrolInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = training::Command::Enrol(training::Enrol {
            class_id: input.class_id,
            cadre_id: input.cadre_id,
        });
        run::<training::Aggregate>(ctx, ORG, "办理培训报名", meta, cmd).await
    }

    /// 考勤: hours attended at one session.
    async fn record_attendance(
        &self,
        ctx: &Context<'_>,
        input: RecordAttendanceInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = training::Command::RecordAttendance(training::RecordAttendance {
            class_id: input.class_id,
            cadre_id: input.cadre_id,
            session_date: input.session_date.0,
            session: input.session,
            hours: input.hours,
        });
        run::<training::Aggregate>(ctx, ORG, "记录培训考勤", meta, cmd).await
    }

    /// 结业.
    async fn complete_training(
        &self,
        ctx: &Context<'_>,
        input: CompleteInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = training::Command::Complete(training::Complete {
            class_id: input.class_id,
            cadre_id: input.cadre_id,
        });
        run::<training::Aggregate>(ctx, ORG, "办理培训结业", meta, cmd).await
    }

    /// 结班: close a class (those not completed are listed).
    async fn close_class(
        &self,
        ctx: &Context<'_>,
        class_id: String,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = training::Command::Close(training::Close { class_id });
        run::<training::Aggregate>(ctx, ORG, "结束培训班", meta, cmd).await
    }

    /// 举办一次学习 (五学) with its attendees.
    async fn hold_study(
        &self,
        ctx: &Context<'_>,
        input: HoldStudyInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = study::Command::Hold(study::Hold {
            session_id: input.session_id,
            mode: input.mode.into(),
            date: input.date.0,
            topic: input.topic,
            hours: input.hours,
            organizer_unit_id: input.organizer_unit_id,
            location: input.location,
            attendees: input.attendees,
        });
        run::<study::Aggregate>(ctx, ORG_OR_UNIT, "组织学习", meta, cmd).await
    }

    /// 补记学习参加人员.
    async fn add_study_attendees(
        &self,
        ctx: &Context<'_>,
        session_id: String,
        attendees: Vec<String>,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = study::Command::AddAttendees(study::AddAttendees {
            session_id,
            attendees,
        });
        run::<study::Aggregate>(ctx, ORG_OR_UNIT, "补记学习人员", meta, cmd).await
    }

    /// 双月讲坛: open a cycle.
    async fn open_forum(
        &self,
        ctx: &Context<'_>,
        input: OpenForumInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = forum::Command::Open(forum::Open {
            forum_id: input.forum_id,
            topic: input.topic,
            year: input.year,
            month: input.month,
        });
        run::<forum::Aggregate>(ctx, ORG, "开启双月讲坛", meta, cmd).await
    }

    /// 讲: the lecture of a cycle.
    async fn forum_lecture(
        &self,
        ctx: &Context<'_>,
        input: LectureInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = forum::Command::Lecture(forum::Lecture {
            forum_id: input.forum_id,
            date: input.date.0,
            title: input.title,
            speakers: input.speakers,
        });
        run::<forum::Aggregate>(ctx, ORG, "记录讲坛授课", meta, cmd).await
    }

    /// 研: a unit submits its research result.
    async fn submit_forum_research(
        &self,
        ctx: &Context<'_>,
        input: SubmitResearchInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let actor = crate::auth::require(ctx, ORG_OR_UNIT, "提交调研成果")?;
        if actor.role == Role::UnitHead && actor.scope.as_deref() != Some(input.unit_id.as_str()) {
            return Err(crate::auth::unit_out_of_scope(
                crate::auth::names(ctx),
                actor,
                &input.unit_id,
                "替其他单位提交调研成果",
            )
            .into_gql());
        }
        let cmd = forum::Command::SubmitResearch(forum::SubmitResearch {
            forum_id: input.forum_id,
            unit_id: input.unit_id,
            title: input.title,
            date: input.date.0,
        });
        run::<forum::Aggregate>(ctx, ORG_OR_UNIT, "提交调研成果", meta, cmd).await
    }

    /// 答: presenters answer.
    async fn forum_answer(
        &self,
        ctx: &Context<'_>,
        input: AnswerInput,
        meta: Option<CommandMeta>,
    ) -> async_graphql::Result<CommandResult> {
        let cmd = forum::Command::Answer(forum::Answer {
            forum_id: input.forum_id,
            date: input.date.0,
            presenters: input.presenters,
        });
        run::<forum::Aggregate>(ctx, ORG, "记录讲坛答题", meta, cmd).await
    }
}
