//! A cadre's profile as GraphQL serves it: the `CadreProfile` object and its sections (posts, grades, awards, 双考 evaluations, sanctions, training, rotations, “down” reviews, the pending rank lowering, the dismissal case).

use async_graphql::{Context, Object, SimpleObject};
use dossier_domain::down;
use dossier_projections::profile::CadreProfile as ProfileView;

use crate::{
    auth::{self, SUPERVISORS},
    schema::{
        care::DownMethod,
        command::mirror_enum,
        decisions::{EvaluationTask, Evaluator},
        people::{
            AwardKind, Grade, LeadershipLevel, PostCategory, Rank, RotationKind, SanctionKind,
        },
        profile::{Points, SupervisionCount},
        scalars::Date,
    },
    state::AppState,
};

fn state<'a>(ctx: &Context<'a>) -> &'a AppState {
    ctx.data_unchecked::<AppState>()
}

pub(super) fn rank_of(r: dossier_domain::types::Rank) -> Rank {
    r.into()
}

pub(super) fn level_of(l: dossier_domain::types::LeadershipLevel) -> LeadershipLevel {
    l.into()
}

/// A post a cadre holds.
#[derive(SimpleObject)]
pub struct PostHeld {
    pub unit_id: String,
    pub post_id: String,
    pub title: String,
    pub category: PostCategory,
    pub leadership_level: Option<LeadershipLevel>,
    pub heads_unit: bool,
    pub since: Date,
    /// Full years in the post on the profile's date.
    pub years: u32,
    /// 任免文号: the document the post was taken on (appointment or rotation).
    pub document_number: Option<String>,
}

/// One year's 年度考核等次 (null: 不定等次).
#[derive(SimpleObject)]
pub struct GradeYear {
    pub year: i32,
    pub grade: Option<Grade>,
    /// The 双考 evaluation cited as the grade's basis.
    pub evaluation_id: Option<String>,
}

/// An award on the cadre's record.
#[derive(SimpleObject)]
pub struct AwardView {
    pub award_id: String,
    pub kind: AwardKind,
    pub year: i32,
    pub on: Date,
    /// The 双考 evaluation cited as the award's basis.
    pub evaluation_id: Option<String>,
}

/// A 双考 evaluation (考察考核“双考”融合) on the cadre's record.
#[derive(SimpleObject)]
pub struct EvaluationView {
    pub evaluation_id: String,
    pub task_kind: EvaluationTask,
    /// 区级重大产业项目 or 重点工程项目.
    pub task_kind_label: String,
    pub task_name: String,
    pub evaluator: Evaluator,
    /// 考核办 or 督考办.
    pub evaluator_label: String,
    /// 工作态度 (0–100).
    pub attitude: f64,
    /// 担当精神 (0–100).
    pub responsibility: f64,
    /// 能力水平 (0–100).
    pub competence: f64,
    pub evaluated_on: Date,
}

/// A sanction (处分) or an admonition (诫勉, no kind) and its effect period.
#[derive(SimpleObject)]
pub struct SanctionPeriod {
    pub sanction: Option<SanctionKind>,
    pub from: Date,
    pub until: Date,
    pub improve_by: Option<Date>,
    pub in_effect: bool,
}

/// Training hours of one year against the requirement that applies to the cadre's level.
#[derive(SimpleObject)]
pub struct TrainingYear {
    pub year: i32,
    /// Hours credited in the year.
    pub hours: f64,
    /// The first year of the period the requirement counts: the year itself (乡科级 and
    /// below), or the first of the window ending with it (县处级 and above).
    pub period_from: i32,
    /// Hours credited in that period.
    pub period_hours: f64,
    /// The requirement of the period (90 a year; 550 over 5 years).
    pub required: f64,
    pub met: bool,
}

/// Training hours a promotion before meeting them owes (补学), made up within the policy's period.
#[derive(SimpleObject)]
pub struct TrainingMakeupView {
    pub promoted_on: Date,
    pub to: Rank,
    /// The requirement that was short: its period in words, required and credited hours.
    pub period: String,
    pub required: f64,
    pub credited: f64,
    pub owed: f64,
    /// Hours credited since the promotion.
    pub made_up: f64,
    /// Hours still owed (0 once made up).
    pub left: f64,
    pub due_on: Date,
    /// Made up in full.
    pub done: bool,
}

/// A rotation (交流).
#[derive(SimpleObject)]
pub struct RotationView {
    pub on: Date,
    pub kind: RotationKind,
    pub from_unit_id: String,
    pub to_unit_id: String,
    pub held_since: Date,
}

mirror_enum! {
    /// Where a “down” review stands once opened.
    DownStatus => down::Status {
        /// 研判中
        Open,
        /// 已决定
        Decided,
        /// 已执行
        Executed,
        /// 不予调整, 已结案
        ClosedWithoutAction,
    }
}

/// Where a “down” review on a cadre's record stands.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum DownReviewStatus {
    /// 待研判: required by a 不称职 year, not opened yet.
    Required,
    /// 研判中
    Open,
    /// 已决定 (区委常委会), not yet carried out
    Decided,
    /// 已执行 on the cadre's record
    Executed,
    /// 不予调整, 已结案
    ClosedWithoutAction,
}

impl DownReviewStatus {
    fn of(status: Option<down::Status>) -> Self {
        match status.map(DownStatus::from) {
            None => DownReviewStatus::Required,
            Some(DownStatus::Open) => DownReviewStatus::Open,
            Some(DownStatus::Decided) => DownReviewStatus::Decided,
            Some(DownStatus::Executed) => DownReviewStatus::Executed,
            Some(DownStatus::ClosedWithoutAction) => DownReviewStatus::ClosedWithoutAction,
        }
    }

    fn zh(status: Option<down::Status>) -> &'static str {
        status.map_or("待研判", down::Status::zh)
    }
}

/// A “down” review on the cadre's record.
#[derive(SimpleObject)]
pub struct DownReviewView {
    pub review_id: Option<String>,
    pub year: Option<i32>,
    pub raised_on: Date,
    pub due_on: Option<Date>,
    pub status: DownReviewStatus,
    /// 待研判, 研判中, 已决定, 已执行, 不予调整已结案.
    pub status_label: String,
    pub method: Option<DownMethod>,
    /// 改任职级, 提前退出领导岗位 or 逆向调整岗位.
    pub method_label: Option<String>,
    pub decided_on: Option<Date>,
    /// When the decision was carried out on the record (null: not executed).
    pub executed_on: Option<Date>,
    pub closed_without_action: bool,
    /// The 双考 evaluation the review cites.
    pub evaluation_id: Option<String>,
}

/// A rank lowering a 不称职 year requires, waiting for the decision (with its 文号) that
/// carries it out (`lowerRank`).
#[derive(SimpleObject)]
pub struct PendingRankLowering {
    /// The assessment year graded 不称职.
    pub year: i32,
    pub from: Rank,
    pub to: Rank,
    pub raised_on: Date,
}

fn pending_rank_lowering(p: &dossier_projections::profile::PendingLowering) -> PendingRankLowering {
    PendingRankLowering {
        year: p.year,
        from: rank_of(p.from),
        to: rank_of(p.to),
        raised_on: Date(p.raised_on),
    }
}

/// A dismissal (辞退) case: opened (by two consecutive 不称职 years, or by 组织部), decided
/// (`decideDismissal`), closed (`closeDismissalCase`).
#[derive(SimpleObject)]
pub struct DismissalCaseView {
    pub case_id: String,
    pub opened_on: Date,
    pub reason: String,
    /// Dismissed (true) or not (false); null until decided.
    pub dismissed: Option<bool>,
    pub decided_on: Option<Date>,
    pub document_number: Option<String>,
    pub closed_on: Option<Date>,
}

/// A cadre's profile. Personal sections are readable by the cadre themself, their
/// unit head and the district roles; supervision counts only by 组织部 and 纪检监察.
pub struct CadreProfile(pub(super) ProfileView);

#[Object]
impl CadreProfile {
    async fn cadre_id(&self) -> &str {
        &self.0.cadre_id
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn birth_date(&self) -> Option<Date> {
        self.0.birth_date.map(Date)
    }
    async fn unit_id(&self) -> Option<&str> {
        self.0.unit_id.as_deref()
    }
    async fn rank(&self) -> Option<Rank> {
        self.0.rank.map(rank_of)
    }
    async fn rank_since(&self) -> Option<Date> {
        self.0.rank_since.map(Date)
    }
    async fn years_in_rank(&self) -> Option<u32> {
        self.0.years_in_rank
    }
    async fn leadership_level(&self) -> Option<LeadershipLevel> {
        self.0.leadership_level.map(level_of)
    }
    async fn is_leader(&self) -> bool {
        self.0.is_leader
    }
    async fn probation_until(&self) -> Option<Date> {
        self.0.probation_until.map(Date)
    }
    async fn secondment_until(&self) -> Option<Date> {
        self.0.secondment_until.map(Date)
    }
    /// Posts held, with years in post.
    async fn posts(&self) -> Vec<PostHeld> {
        self.0
            .posts
            .iter()
            .map(|p| PostHeld {
                unit_id: p.unit_id.clone(),
                post_id: p.post_id.clone(),
                title: p.title.clone(),
                category: p.category.into(),
                leadership_level: p.leadership_level.map(Into::into),
                heads_unit: p.heads_unit,
                since: Date(p.since),
                years: p.years,
                document_number: p.document_number.clone(),
            })
            .collect()
    }
    /// 年度考核等次 by year.
    async fn grades(&self) -> Vec<GradeYear> {
        self.0
            .grades
            .iter()
            .map(|g| GradeYear {
                year: i32::from(g.year),
                grade: g.grade.map(Into::into),
                evaluation_id: g.evaluation_id.clone(),
            })
            .collect()
    }
    async fn awards(&self) -> Vec<AwardView> {
        self.0
            .awards
            .iter()
            .map(|a| AwardView {
                award_id: a.award_id.clone(),
                kind: a.kind.into(),
                year: a.year,
                on: Date(a.granted_on),
                evaluation_id: a.evaluation_id.clone(),
            })
            .collect()
    }
    /// 双考 evaluations on key tasks, in the order recorded.
    async fn evaluations(&self) -> Vec<EvaluationView> {
        self.0
            .evaluations
            .iter()
            .map(|e| EvaluationView {
                evaluation_id: e.evaluation_id.clone(),
                task_kind: e.task_kind.into(),
                task_kind_label: e.task_kind.zh().to_owned(),
                task_name: e.task_name.clone(),
                evaluator: e.evaluator.into(),
                evaluator_label: e.evaluator.zh().to_owned(),
                attitude: e.scores.attitude,
                responsibility: e.scores.responsibility,
                competence: e.scores.competence,
                evaluated_on: Date(e.evaluated_on),
            })
            .collect()
    }
    /// Sanctions and admonitions with their effect periods.
    async fn sanctions(&self) -> Vec<SanctionPeriod> {
        self.0
            .sanctions
            .iter()
            .map(|p| SanctionPeriod {
                sanction: p.sanction.map(Into::into),
                from: Date(p.from),
                until: Date(p.until),
                improve_by: p.improve_by.map(Date),
                in_effect: p.in_effect,
            })
            .collect()
    }
    async fn investigations_open(&self) -> u16 {
        self.0.investigations_open
    }
    /// Training hours by year against the requirement.
    async fn training(&self) -> Vec<TrainingYear> {
        self.0
            .training
            .iter()
            .map(|t| TrainingYear {
                year: t.year,
                hours: t.hours,
                period_from: t.period_from,
                period_hours: t.period_hours,
                required: t.required,
                met: t.met,
            })
            .collect()
    }
    /// Training hours the latest promotion owes (补学), with the date to make them up by.
    async fn training_makeup(&self) -> Option<TrainingMakeupView> {
        self.0.training_makeup.as_ref().map(|m| TrainingMakeupView {
            promoted_on: Date(m.promoted_on),
            to: rank_of(m.to),
            period: m.span.clone(),
            required: m.required,
            credited: m.credited,
            owed: m.owed,
            made_up: m.made_up,
            left: m.left(),
            due_on: Date(m.due_on),
            done: m.done(),
        })
    }
    async fn rotations(&self) -> Vec<RotationView> {
        self.0
            .rotations
            .iter()
            .map(|r| RotationView {
                on: Date(r.on),
                kind: r.kind.into(),
                from_unit_id: r.from_unit_id.clone(),
                to_unit_id: r.to_unit_id.clone(),
                held_since: Date(r.held_since),
            })
            .collect()
    }
    /// The oldest rank lowering a 不称职 year requires and a decision has not carried out yet:
    /// the one `lowerRank` carries out next (every one: `pendingRankLowerings`).
    async fn pending_rank_lowering(&self) -> Option<PendingRankLowering> {
        self.0
            .pending_rank_lowerings
            .first()
            .map(pending_rank_lowering)
    }
    /// Every rank lowering 不称职 years require that a decision has not carried out yet, oldest
    /// year first (`lowerRank` carries out the oldest, one level below the rank held then).
    async fn pending_rank_lowerings(&self) -> Vec<PendingRankLowering> {
        self.0
            .pending_rank_lowerings
            .iter()
            .map(pending_rank_lowering)
            .collect()
    }
    /// The latest dismissal (辞退) case, open or closed.
    async fn dismissal_case(&self) -> Option<DismissalCaseView> {
        self.0.dismissal_case.as_ref().map(|c| DismissalCaseView {
            case_id: c.case_id.clone(),
            opened_on: Date(c.opened_on),
            reason: c.reason.clone(),
            dismissed: c.dismissed,
            decided_on: c.decided_on.map(Date),
            document_number: c.document_number.clone(),
            closed_on: c.closed_on.map(Date),
        })
    }
    async fn down_reviews(&self) -> Vec<DownReviewView> {
        self.0
            .down_reviews
            .iter()
            .map(|d| DownReviewView {
                review_id: d.review_id.clone(),
                year: d.year,
                raised_on: Date(d.raised_on),
                due_on: d.due_on.map(Date),
                status: DownReviewStatus::of(d.status),
                status_label: DownReviewStatus::zh(d.status).to_owned(),
                method: d.method.map(Into::into),
                method_label: d.method.map(|m| m.zh().to_owned()),
                decided_on: d.decided_on.map(Date),
                executed_on: d.executed_on.map(Date),
                closed_without_action: d.closed_without_action,
                evaluation_id: d.evaluation_id.clone(),
            })
            .collect()
    }
    /// Promotion points (职级晋升积分) on the profile's date, with their breakdown.
    async fn points(&self) -> Points {
        Points::from(&self.0.points)
    }
    async fn appeals(&self) -> &[String] {
        &self.0.appeals
    }
    async fn risk_reports(&self) -> &[String] {
        &self.0.risk_reports
    }
    /// Supervision entries and leads by source and category, counted (组织部 and 纪检监察 only; the read is recorded).
    /// Null for other roles, beside the rest of the profile.
    async fn supervision(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<SupervisionCount>>> {
        let Some(actor) = auth::field(ctx, SUPERVISORS, "查看监督信息") else {
            return Ok(None);
        };
        state(ctx)
            .service
            .record_access(
                actor,
                "cadre.supervision",
                std::slice::from_ref(&self.0.cadre_id),
            )
            .await?;
        Ok(Some(self.0.supervision.iter().map(Into::into).collect()))
    }
    /// Accountability cases (组织部 and 纪检监察 only; null for other roles; the read is recorded).
    async fn accountability(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&[String]>> {
        let Some(actor) = auth::field(ctx, SUPERVISORS, "查看问责情况") else {
            return Ok(None);
        };
        // The cadre, then the cases read.
        let read: Vec<String> = std::iter::once(self.0.cadre_id.clone())
            .chain(self.0.accountability.iter().cloned())
            .collect();
        state(ctx)
            .service
            .record_access(actor, "cadre.accountability", &read)
            .await?;
        Ok(Some(&self.0.accountability))
    }
}
