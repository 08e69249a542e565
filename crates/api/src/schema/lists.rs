//! The case lists as Relay connections served from the `case_lists` read model: appeals (a cadre sees their own), supervision leads and monthly bulletins (supervisors only, every read recorded with the ids read), training classes and forum cycles.

use async_graphql::{
    Context, Object, SimpleObject,
    connection::{Connection, Edge, EmptyFields},
};
use dossier_domain::{Actor, Role, appeal, bulletin, forum, lead, training};
use dossier_projections::cases::{self, CaseLists, Page, PageRequest, UnknownCursor};

use crate::{
    auth::{self, DASHBOARDS, SUPERVISORS},
    error::ApiError,
    schema::{
        care::{LeadCategory, PartnerAgency},
        command::mirror_enum,
        cultivation::ClassKind,
        dashboards::AppealStage,
        scalars::Date,
    },
    state::AppState,
};

mirror_enum! {
    /// Where a supervision lead stands.
    LeadStep => lead::Step {
        /// 移送
        Transferred,
        /// 核查
        Verified,
        /// 办结
        Concluded,
    }
}

mirror_enum! {
    /// Where a 双月讲坛 cycle stands.
    ForumStep => forum::Step {
        /// 立题
        Opened,
        /// 讲
        Lecture,
        /// 研
        Research,
        /// 答
        Answer,
    }
}

/// An appeal (诉求) and where it stands in the closed loop.
#[derive(SimpleObject)]
pub struct AppealSummary {
    pub appeal_id: String,
    pub cadre_id: Option<String>,
    /// The current stage of the closed loop.
    pub stage: Option<AppealStage>,
    /// The stage in Chinese (受理, 清单交办, 诉求领办, 协调会办, 跟踪督办, 办结).
    pub stage_label: Option<String>,
    pub filed_on: Option<Date>,
    pub closed_on: Option<Date>,
    /// Compiled as a typical case (典型案例).
    pub typical: bool,
}

/// A supervision lead (线索).
#[derive(SimpleObject)]
pub struct LeadSummary {
    pub lead_id: String,
    pub cadre_id: String,
    pub agency: PartnerAgency,
    pub category: LeadCategory,
    pub step: LeadStep,
    /// The step in Chinese (移送, 核查, 办结).
    pub step_label: String,
    pub last_on: Date,
}

/// A monthly joint bulletin (联席通报).
#[derive(SimpleObject)]
pub struct BulletinSummary {
    pub bulletin_id: String,
    pub month: String,
    pub items: u32,
    pub published_on: Option<Date>,
}

/// A training class.
#[derive(SimpleObject)]
pub struct ClassSummary {
    pub class_id: String,
    pub name: String,
    pub kind: ClassKind,
    pub theme: Option<String>,
    pub start_date: Date,
    pub end_date: Date,
    pub enrolled: u32,
    pub completed: u32,
    pub closed_on: Option<Date>,
}

/// A bi-monthly forum cycle.
#[derive(SimpleObject)]
pub struct ForumSummary {
    pub forum_id: String,
    pub topic: String,
    pub cycle_start: Date,
    pub cycle_end: Date,
    pub step: ForumStep,
    /// The step in Chinese (立题, 讲, 研, 答).
    pub step_label: String,
    pub research_count: u32,
}

/// What a list tells beside its page.
#[derive(SimpleObject)]
pub struct ListInfo {
    /// How many items the caller may see in the whole list (not only this page).
    pub total_count: usize,
}

/// A page of a case list: edges with cursors (the item's id, stable as items are added),
/// `pageInfo`, `totalCount`.
pub type List<T> = Connection<String, T, ListInfo, EmptyFields>;

/// The largest page a list serves.
const MAX_PAGE: i32 = 100;
/// The page served when neither `first` nor `last` is given.
const DEFAULT_PAGE: usize = 20;

/// The Relay arguments checked: at most one of `first`/`last`, each within 0..=100.
fn request(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<PageRequest, ApiError> {
    let size = |name: &str, n: Option<i32>| match n {
        Some(n) if !(0..=MAX_PAGE).contains(&n) => Err(ApiError::validation(format!(
            "{name} 为 {n}：每页条数应在 0 到 {MAX_PAGE} 之间"
        ))),
        n => Ok(n.map(|n| n as usize)),
    };
    let (first, last) = (size("first", first)?, size("last", last)?);
    if first.is_some() && last.is_some() {
        return Err(ApiError::validation(format!(
            "first（{}）与 last（{}）不能同时给出：向后翻页用 first/after，向前翻页用 last/before",
            first.unwrap_or_default(),
            last.unwrap_or_default()
        )));
    }
    Ok(PageRequest {
        first: if first.is_none() && last.is_none() {
            Some(DEFAULT_PAGE)
        } else {
            first
        },
        after,
        last,
        before,
    })
}

/// Read a page of one of the lists under one consistent view of the read models.
fn read_page<T>(
    st: &AppState,
    read: impl FnOnce(&CaseLists) -> Result<Page<T>, UnknownCursor>,
) -> Result<Page<T>, ApiError> {
    st.projections
        .read(|m| read(&m.cases.model))
        .map_err(|UnknownCursor(c)| {
            ApiError::validation(format!(
                "游标「{}」无效：请传入本列表先前返回的 cursor、startCursor 或 endCursor",
                c.chars().take(64).collect::<String>()
            ))
        })
}

/// The page as a connection.
fn connection<T: async_graphql::OutputType>(page: Page<T>) -> List<T> {
    let mut c = Connection::with_additional_fields(
        page.has_previous,
        page.has_next,
        ListInfo {
            total_count: page.total_count,
        },
    );
    c.edges.extend(
        page.items
            .into_iter()
            .map(|(cursor, t)| Edge::new(cursor, t)),
    );
    c
}

/// Record that `actor` read the streams of kind `kind` behind `page` (the ids read, as stream ids).
async fn record<T>(
    st: &AppState,
    actor: &Actor,
    what: &str,
    kind: &str,
    page: &Page<T>,
) -> Result<(), ApiError> {
    let read: Vec<String> = page
        .items
        .iter()
        .map(|(id, _)| format!("{kind}-{id}"))
        .collect();
    st.service.record_access(actor, what, &read).await
}

fn state<'a>(ctx: &Context<'a>) -> &'a AppState {
    ctx.data_unchecked::<AppState>()
}

/// The case lists.
#[derive(Default)]
pub struct ListQuery;

#[Object]
impl ListQuery {
    /// Appeals (诉求) and their stage, by appeal id, in pages. A cadre sees their own.
    async fn appeals(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Option<List<AppealSummary>>> {
        auth::nullable(ctx, async move {
            let actor = auth::require(
                ctx,
                &[
                    Role::OrgAdmin,
                    Role::DisciplineInspector,
                    Role::Auditor,
                    Role::Cadre,
                    Role::System,
                ],
                "查看诉求",
            )?;
            let req = request(first, after, last, before)?;
            let own = (actor.role == Role::Cadre).then(|| actor.scope.clone());
            let page = read_page(state(ctx), |m| {
                cases::page(
                    &m.appeals,
                    &req,
                    |s: &appeal::State| {
                        (s.timeline.filed_on.is_some()
                            && own.as_ref().is_none_or(|c| s.cadre_id == *c))
                        .then_some(s)
                    },
                    |id, s| AppealSummary {
                        appeal_id: id.to_owned(),
                        cadre_id: s.cadre_id.clone(),
                        stage: s.timeline.current().map(Into::into),
                        stage_label: s.timeline.current().map(|st| st.zh().to_owned()),
                        filed_on: s.timeline.filed_on.map(Date),
                        closed_on: s.timeline.closed_on.map(Date),
                        typical: s.typical,
                    },
                )
            })?;
            Ok(connection(page))
        })
        .await
    }

    /// Supervision leads, by lead id, in pages (组织部 and 纪检监察 only; the read is recorded
    /// with the leads read).
    async fn leads(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Option<List<LeadSummary>>> {
        auth::nullable(ctx, async move {
            let actor = auth::require(ctx, SUPERVISORS, "查看线索")?;
            let req = request(first, after, last, before)?;
            let st = state(ctx);
            let page = read_page(st, |m| {
                cases::page(
                    &m.leads,
                    &req,
                    |s: &lead::State| s.lead.as_ref(),
                    |id, l| LeadSummary {
                        lead_id: id.to_owned(),
                        cadre_id: l.cadre_id.clone(),
                        agency: l.agency.into(),
                        category: l.category.into(),
                        step: l.step.into(),
                        step_label: l.step.zh().to_owned(),
                        last_on: Date(l.last_on),
                    },
                )
            })?;
            record(st, actor, "leads", "lead", &page).await?;
            Ok(connection(page))
        })
        .await
    }

    /// Monthly joint bulletins, by month, in pages (组织部 and 纪检监察 only; the read is
    /// recorded with the bulletins read).
    async fn bulletins(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Option<List<BulletinSummary>>> {
        auth::nullable(ctx, async move {
            let actor = auth::require(ctx, SUPERVISORS, "查看联席通报")?;
            let req = request(first, after, last, before)?;
            let st = state(ctx);
            let page = read_page(st, |m| {
                cases::page(
                    &m.bulletins,
                    &req,
                    |s: &bulletin::State| s.bulletin.as_ref(),
                    |id, b| BulletinSummary {
                        bulletin_id: id.to_owned(),
                        month: format!("{:04}-{:02}", b.month.year, b.month.month),
                        items: b.items,
                        published_on: b.published_on.map(Date),
                    },
                )
            })?;
            record(st, actor, "bulletins", "bulletin", &page).await?;
            Ok(connection(page))
        })
        .await
    }

    /// Training classes, by class id, in pages.
    async fn training_classes(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Option<List<ClassSummary>>> {
        auth::nullable(ctx, async move {
            auth::require(ctx, DASHBOARDS, "查看培训班")?;
            let req = request(first, after, last, before)?;
            let page = read_page(state(ctx), |m| {
                cases::page(
                    &m.classes,
                    &req,
                    |s: &training::State| s.class.as_ref().map(|c| (c, s)),
                    |id, (c, s)| ClassSummary {
                        class_id: id.to_owned(),
                        name: c.name.clone(),
                        kind: c.kind.into(),
                        theme: c.theme.clone(),
                        start_date: Date(c.start_date),
                        end_date: Date(c.end_date),
                        enrolled: s.enrolments.len() as u32,
                        completed: s
                            .enrolments
                            .values()
                            .filter(|e| e.completed_on.is_some())
                            .count() as u32,
                        closed_on: s.closed_on.map(Date),
                    },
                )
            })?;
            Ok(connection(page))
        })
        .await
    }

    /// Bi-monthly forum cycles (双月讲坛), by forum id, in pages.
    async fn forums(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Option<List<ForumSummary>>> {
        auth::nullable(ctx, async move {
            auth::require(ctx, DASHBOARDS, "查看讲坛")?;
            let req = request(first, after, last, before)?;
            let page = read_page(state(ctx), |m| {
                cases::page(
                    &m.forums,
                    &req,
                    |s: &forum::State| s.cycle.as_ref(),
                    |id, c| ForumSummary {
                        forum_id: id.to_owned(),
                        topic: c.topic.clone(),
                        cycle_start: Date(c.cycle_start),
                        cycle_end: Date(c.cycle_end),
                        step: c.step.into(),
                        step_label: c.step.zh().to_owned(),
                        research_count: c.research.len() as u32,
                    },
                )
            })?;
            Ok(connection(page))
        })
        .await
    }
}
