//! Eligibility queries: who may be promoted to a rank on a date and every obstacle in the way of the others, who is due to rotate, who may not be reappointed (computed by the domain's own rules over the read models).

use async_graphql::{
    Context, Object, SimpleObject,
    connection::{Connection, Edge, EmptyFields},
};
use dossier_domain::{Role, codes, tenure};
use dossier_projections::{
    eligibility::{Candidate, Candidates},
    tenure_lists::{ReappointmentBar, RotationDue},
};

use crate::{
    auth,
    error::ApiError,
    schema::{
        command::mirror_enum,
        people::{AssessmentConclusion, LeadershipLevel, Rank},
        scalars::{Date, Position},
    },
    state::AppState,
};

/// Who may read eligibility lists: the organization department, discipline inspectors,
/// auditors, and unit heads (their own unit).
const ELIGIBILITY_READERS: &[Role] = &[
    Role::OrgAdmin,
    Role::DisciplineInspector,
    Role::Auditor,
    Role::UnitHead,
    Role::System,
];

/// One rule in the way, with its values, and the date time alone lifts it.
#[derive(SimpleObject, Debug, Clone)]
pub struct ObstacleView {
    /// The rule, e.g. `PROMOTION_MIN_YEARS`.
    pub code: String,
    /// In Chinese, with the values.
    pub message: String,
    /// The date the obstacle ends by itself (years served, an effect period); null when it
    /// needs an act (a 公示, a grade, a closed investigation).
    pub lifts_on: Option<Date>,
}

impl From<&dossier_domain::Obstacle> for ObstacleView {
    fn from(o: &dossier_domain::Obstacle) -> Self {
        ObstacleView {
            code: o.code.to_owned(),
            message: o.message.clone(),
            lifts_on: o.lifts_on.map(Date),
        }
    }
}

/// A cadre of the feeder ranks and where they stand.
#[derive(SimpleObject, Debug, Clone)]
pub struct PromotionCandidate {
    pub cadre_id: String,
    pub name: String,
    pub unit_id: String,
    pub rank: Option<Rank>,
    pub leadership_level: Option<LeadershipLevel>,
    /// No rule blocks the promotion on the date asked (which entitles no one to it).
    pub eligible: bool,
    /// Every rule that blocks it (empty when eligible): exactly what `promoteRank` would refuse with.
    pub obstacles: Vec<ObstacleView>,
    /// The first date nothing would block it if nothing but time changed (the date asked when
    /// eligible; null when an obstacle needs an act).
    pub eligible_from: Option<Date>,
    /// Months in the counted period, counted toward the minimum, and required (after 优秀 credit).
    pub served_months: u32,
    pub counted_months: u32,
    pub required_months: u32,
    /// 职级晋升积分 on the date asked and the place in the district's ranking (1 = highest).
    pub points: f64,
    pub points_rank: Option<u32>,
    /// The time counted toward the rank: which years counted, which 优秀 shortened it, which
    /// years did not count and why.
    pub time_counted: TimeCountedView,
    /// Training hours against the requirement of the cadre's level.
    pub training: TrainingHoursView,
}

/// One calendar year of the period counted toward the rank.
#[derive(SimpleObject, Debug, Clone)]
pub struct YearCountedView {
    pub year: i32,
    /// Months of the period in the year.
    pub months: u32,
    /// The annual grade (考核结论, 不定等次 included), or null when not graded yet.
    pub grade: Option<AssessmentConclusion>,
    /// 优秀, 称职, 基本称职, 不称职 or 不定等次; null when not graded yet.
    pub grade_zh: Option<String>,
    /// The months count toward the minimum.
    pub counted: bool,
    /// The year's 优秀 shortened the minimum.
    pub shortened: bool,
    /// Why, in Chinese.
    pub note: String,
}

/// The time counted toward the rank on the date asked.
#[derive(SimpleObject, Debug, Clone)]
pub struct TimeCountedView {
    /// The rank (or equivalent leadership level) the period runs from.
    pub from: String,
    pub start: Date,
    pub served_months: u32,
    pub counted_months: u32,
    /// The policy's minimum before any 优秀 credit.
    pub minimum_months: u32,
    pub credit_months: u32,
    pub required_months: u32,
    pub years: Vec<YearCountedView>,
    /// The computation in one sentence.
    pub summary: String,
}

/// Hours credited in one year.
#[derive(SimpleObject, Debug, Clone)]
pub struct HoursInYear {
    pub year: i32,
    pub hours: f64,
}

/// Which training requirement a cadre is held to.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrainingLevel {
    /// 乡科级 and 一级主任科员 or below: hours a year.
    Township,
    /// 县处级 and 四级调研员 or above: hours per window of years.
    County,
}

/// Training hours against the requirement.
#[derive(SimpleObject, Debug, Clone)]
pub struct TrainingHoursView {
    /// The requirement the cadre is held to.
    pub level: TrainingLevel,
    pub from_year: i32,
    pub to_year: i32,
    pub years: Vec<HoursInYear>,
    pub hours: f64,
    pub required: f64,
    pub met: bool,
    /// When not met: the date a cadre promoted on the date asked must make the hours up by.
    pub make_up_by: Option<Date>,
    /// The comparison in one sentence.
    pub summary: String,
}

impl From<&dossier_projections::explain::TimeCounted> for TimeCountedView {
    fn from(t: &dossier_projections::explain::TimeCounted) -> Self {
        TimeCountedView {
            from: t.from.to_owned(),
            start: Date(t.start),
            served_months: t.served_months,
            counted_months: t.counted_months,
            minimum_months: t.minimum_months,
            credit_months: t.credit_months,
            required_months: t.required_months,
            years: t
                .years
                .iter()
                .map(|y| YearCountedView {
                    year: y.year,
                    months: y.months,
                    grade: y.grade.map(|g| codes::AssessmentConclusion::of(g).into()),
                    grade_zh: y
                        .grade
                        .map(|g| codes::AssessmentConclusion::of(g).zh().to_owned()),
                    counted: y.counted,
                    shortened: y.shortened,
                    note: y.note_zh(),
                })
                .collect(),
            summary: t.summary_zh(),
        }
    }
}

impl From<&dossier_projections::explain::TrainingHours> for TrainingHoursView {
    fn from(t: &dossier_projections::explain::TrainingHours) -> Self {
        TrainingHoursView {
            level: if t.level == "county" {
                TrainingLevel::County
            } else {
                TrainingLevel::Township
            },
            from_year: t.from_year,
            to_year: t.to_year,
            years: t
                .years
                .iter()
                .map(|(year, hours)| HoursInYear {
                    year: *year,
                    hours: *hours,
                })
                .collect(),
            hours: t.hours,
            required: t.required,
            met: t.met,
            make_up_by: t.make_up_by.map(Date),
            summary: t.summary_zh(),
        }
    }
}

impl From<&Candidate> for PromotionCandidate {
    fn from(c: &Candidate) -> Self {
        PromotionCandidate {
            cadre_id: c.cadre_id.clone(),
            name: c.name.clone(),
            unit_id: c.unit_id.clone(),
            rank: c.rank.map(Into::into),
            leadership_level: c.leadership_level.map(Into::into),
            eligible: c.eligible(),
            obstacles: c.obstacles.iter().map(Into::into).collect(),
            eligible_from: c.eligible_from.map(Date),
            served_months: c.served_months,
            counted_months: c.counted_months,
            required_months: c.required_months,
            points: c.points,
            points_rank: c.points_rank,
            time_counted: (&c.time).into(),
            training: (&c.training).into(),
        }
    }
}

/// The front-line quota (职级数) of the year.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct QuotaLeftView {
    pub year: i32,
    pub size: u32,
    pub used: u32,
    pub left: u32,
}

/// What the list is about, and its totals (for the whole list, not the page).
#[derive(SimpleObject, Debug, Clone)]
pub struct CandidatesInfo {
    pub to_rank: Rank,
    pub on: Date,
    /// The rank promoted from and its equivalent leadership level.
    pub from_rank: Rank,
    pub equivalent_level: Option<LeadershipLevel>,
    pub eligible_count: usize,
    pub not_eligible_count: usize,
    /// The year's front-line quota; null when none was opened for the year of `on`.
    pub quota: Option<QuotaLeftView>,
}

mirror_enum! {
    /// Why a holder is due to rotate: the tenure limit that applies (the tightest).
    RotationDueReason => tenure::DueReason {
        /// 热点岗位任职满限: a hot post's holder at its own limit.
        HotPost,
        /// 重要敏感岗位任职满限: a 人事/财政/审计 head at the district's limit.
        SensitivePost,
        /// 领导干部同一职位任职满限: a leader at the years a leader may stay in one post.
        Leadership,
    }
}

/// A holder due to rotate (交流) on the date asked.
#[derive(SimpleObject, Debug, Clone)]
pub struct RotationDueView {
    pub unit_id: String,
    pub unit_name: String,
    pub post_id: String,
    pub title: String,
    pub cadre_id: String,
    pub name: String,
    pub since: Date,
    pub reason: RotationDueReason,
    /// Why, in Chinese.
    pub reason_zh: String,
    pub limit_years: u32,
    pub years_in_post: u32,
    /// The date the holder became due.
    pub due_on: Date,
}

impl From<&RotationDue> for RotationDueView {
    fn from(r: &RotationDue) -> Self {
        RotationDueView {
            unit_id: r.unit_id.clone(),
            unit_name: r.unit_name.clone(),
            post_id: r.post_id.clone(),
            title: r.title.clone(),
            cadre_id: r.cadre_id.clone(),
            name: r.name.clone(),
            since: Date(r.since),
            reason: r.reason.into(),
            reason_zh: r.reason.zh().to_owned(),
            limit_years: r.limit_years,
            years_in_post: r.years_in_post,
            due_on: Date(r.due_on),
        }
    }
}

/// A holder the reappointment rules bar from their post on the date asked.
#[derive(SimpleObject, Debug, Clone)]
pub struct ReappointmentBarView {
    pub unit_id: String,
    pub post_id: String,
    pub title: String,
    pub cadre_id: String,
    pub name: String,
    /// `REAPPOINTMENT_TWO_TERMS` or `REAPPOINTMENT_LEVEL_YEARS`.
    pub code: String,
    /// Why, in Chinese, with the years and the limit.
    pub message: String,
}

impl From<&ReappointmentBar> for ReappointmentBarView {
    fn from(b: &ReappointmentBar) -> Self {
        ReappointmentBarView {
            unit_id: b.unit_id.clone(),
            post_id: b.post_id.clone(),
            title: b.title.clone(),
            cadre_id: b.cadre_id.clone(),
            name: b.name.clone(),
            code: b.code.to_owned(),
            message: b.message.clone(),
        }
    }
}

/// The unit a caller may list: a unit head's own (asking for another is refused), anyone
/// else's choice.
fn unit_scope(
    actor: &dossier_domain::Actor,
    unit_id: Option<String>,
    what: &str,
) -> Result<Option<String>, async_graphql::Error> {
    if actor.role != Role::UnitHead {
        return Ok(unit_id);
    }
    if unit_id
        .as_deref()
        .is_some_and(|u| Some(u) != actor.scope.as_deref())
    {
        let other = unit_id.as_deref().unwrap_or_default();
        return Err(auth::unit_out_of_scope(None, actor, other, what).into_gql());
    }
    Ok(actor.scope.clone())
}

type CandidatesConnection = Connection<String, PromotionCandidate, CandidatesInfo, EmptyFields>;

/// Eligibility queries.
#[derive(Default)]
pub struct EligibilityQuery;

#[Object]
impl EligibilityQuery {
    /// Every cadre of the feeder ranks for `toRank` on `on` (default today; a future date plans
    /// ahead on the record as it stands, a past one reads it as it stood then, as known at
    /// `knownAt`): the eligible first, then the others with every obstacle and the date each
    /// would become eligible, each side by points rank. `eligible` keeps one side. Unit heads
    /// see their own unit. Relay cursor pagination.
    #[allow(clippy::too_many_arguments)]
    async fn promotion_candidates(
        &self,
        ctx: &Context<'_>,
        to_rank: Rank,
        on: Option<Date>,
        known_at: Option<Position>,
        unit_id: Option<String>,
        eligible: Option<bool>,
        after: Option<String>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 100))] first: i32,
    ) -> async_graphql::Result<Option<CandidatesConnection>> {
        auth::nullable(ctx, async move {
            let st = ctx.data_unchecked::<AppState>();
            let actor = auth::require(ctx, ELIGIBILITY_READERS, "查看职级晋升人选")?;
            let unit_id = unit_scope(actor, unit_id, "查看其他单位的职级晋升人选")?;
            let start = match after.as_deref() {
                None => 0,
                Some(c) => c.parse::<usize>().map(|i| i + 1).map_err(|_| {
                    ApiError::validation(format!(
                        "游标「{}」无效：请传入先前返回的 cursor 或 endCursor",
                        c.chars().take(64).collect::<String>()
                    ))
                    .into_gql()
                })?,
            };
            let on = on.map_or_else(|| st.service.today(), |d| d.0);
            let to: dossier_domain::types::Rank = to_rank.into();
            let answer = st
                .projections
                .promotion_candidates(to, on, known_at.map(|p| p.0))
                .await
                .map_err(ApiError::internal)?;
            let Some(list) = answer.as_ref() else {
                return Err(ApiError::NotFound {
                    rule: Some("PROMOTION_NOT_NEXT_RANK"),
                    message: format!("职级阶梯中没有晋升至{}的规定", to.zh()),
                }
                .into_gql());
            };
            Ok(page(
                list,
                unit_id.as_deref(),
                eligible,
                start,
                first as usize,
            ))
        })
        .await
    }

    /// Holders due to rotate on `on` (default today; future, or past as known at `knownAt`): a
    /// leader at the years a leader may stay in one post, a hot post's holder at its limit, a
    /// 人事/财政/审计 head at the district's limit — the tightest limit that applies, with the
    /// date each became due, by unit. Unit heads see their own unit.
    async fn rotation_due(
        &self,
        ctx: &Context<'_>,
        on: Option<Date>,
        known_at: Option<Position>,
        unit_id: Option<String>,
    ) -> async_graphql::Result<Option<Vec<RotationDueView>>> {
        auth::nullable(
            ctx,
            tenure_list(
                ctx,
                on,
                known_at,
                unit_id,
                ("查看到期交流人员", "查看其他单位的到期交流人员"),
                dossier_projections::tenure_lists::rotation_due,
            ),
        )
        .await
    }

    /// Holders who may not be reappointed to their post on `on` (two full terms in it, or the
    /// years allowed at one leadership level), and why. Unit heads see their own unit.
    async fn reappointment_bars(
        &self,
        ctx: &Context<'_>,
        on: Option<Date>,
        known_at: Option<Position>,
        unit_id: Option<String>,
    ) -> async_graphql::Result<Option<Vec<ReappointmentBarView>>> {
        auth::nullable(
            ctx,
            tenure_list(
                ctx,
                on,
                known_at,
                unit_id,
                ("查看不得连任人员", "查看其他单位的不得连任人员"),
                dossier_projections::tenure_lists::reappointment_bars,
            ),
        )
        .await
    }
}

/// A tenure list (`rotationDue`, `reappointmentBars`) on `on` (default today) as known at
/// `knownAt`, for the caller's unit when they head one. `what`: the refusals (reading it; reading
/// another unit's).
async fn tenure_list<T, V>(
    ctx: &Context<'_>,
    on: Option<Date>,
    known_at: Option<Position>,
    unit_id: Option<String>,
    what: (&str, &str),
    list: fn(&dossier_projections::Models, chrono::NaiveDate, Option<&str>) -> Vec<T>,
) -> async_graphql::Result<Vec<V>>
where
    V: for<'a> From<&'a T>,
{
    let st = ctx.data_unchecked::<AppState>();
    let actor = auth::require(ctx, ELIGIBILITY_READERS, what.0)?;
    let unit_id = unit_scope(actor, unit_id, what.1)?;
    let on = on.map_or_else(|| st.service.today(), |d| d.0);
    st.projections
        .read_as_of(on, known_at.map(|p| p.0), |m| {
            list(m, on, unit_id.as_deref())
                .iter()
                .map(Into::into)
                .collect()
        })
        .await
        .map_err(|e| ApiError::internal(e).into_gql())
}

/// One page of `list` (its positions are the cursors), keeping `unit` and one side if asked.
fn page(
    list: &Candidates,
    unit: Option<&str>,
    eligible: Option<bool>,
    start: usize,
    first: usize,
) -> CandidatesConnection {
    let keep = |c: &Candidate| {
        unit.is_none_or(|u| c.unit_id == u) && eligible.is_none_or(|e| e == c.eligible())
    };
    let (eligible_count, not_eligible_count) =
        list.iter().filter(|c| keep(c)).fold((0, 0), |(y, n), c| {
            if c.eligible() { (y + 1, n) } else { (y, n + 1) }
        });
    let info = CandidatesInfo {
        to_rank: list.to.into(),
        on: Date(list.on),
        from_rank: list.from.into(),
        equivalent_level: list.equivalent.map(Into::into),
        eligible_count,
        not_eligible_count,
        quota: list.quota.map(|q| QuotaLeftView {
            year: q.year,
            size: q.size,
            used: q.used,
            left: q.left,
        }),
    };
    let mut rows = list.iter().enumerate().skip(start).filter(|(_, c)| keep(c));
    let edges: Vec<_> = rows.by_ref().take(first).collect();
    let more = rows.next().is_some();
    let mut connection = Connection::with_additional_fields(start > 0, more, info);
    connection.edges.extend(
        edges
            .into_iter()
            .map(|(i, c)| Edge::new(i.to_string(), PromotionCandidate::from(c))),
    );
    connection
}
