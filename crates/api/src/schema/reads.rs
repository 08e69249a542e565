//! Queries over the read models: cadre profiles (now, as of a date, as known at a position), the cadre list with cursor pagination, a cadre's timeline and supervision records, units, dashboards, alerts and policies.

use async_graphql::{
    Context, Object, SimpleObject,
    connection::{Connection, Edge, EmptyFields},
};
use dossier_domain::{Actor, Role};
use dossier_projections::profile::ProfileFilter;

use crate::{
    auth::{self, DASHBOARDS, READ_ALL, SUPERVISORS},
    error::ApiError,
    schema::{
        alerts::Alert,
        cadre_profile::{CadreProfile, level_of, rank_of},
        dashboards::{Dashboards, dashboards},
        log::LogEvent,
        people::{LeadershipLevel, Rank},
        policy::{Policy, PolicyVersion},
        scalars::{Date, Position},
        units::UnitView,
    },
    state::AppState,
};

fn state<'a>(ctx: &Context<'a>) -> &'a AppState {
    ctx.data_unchecked::<AppState>()
}

/// A line of the cadre list.
#[derive(SimpleObject)]
pub struct CadreSummary {
    pub cadre_id: String,
    pub name: String,
    pub unit_id: Option<String>,
    pub rank: Option<Rank>,
    pub leadership_level: Option<LeadershipLevel>,
    pub post_title: Option<String>,
}

/// A unit's id and name.
#[derive(SimpleObject)]
pub struct UnitRef {
    pub unit_id: String,
    pub name: String,
}

fn today(ctx: &Context<'_>) -> chrono::NaiveDate {
    state(ctx).service.today()
}

/// May `actor` read cadre `cadre_id`'s record (looking up their unit for unit heads)?
fn check_cadre(
    st: &AppState,
    actor: &Actor,
    cadre_id: &str,
    on: chrono::NaiveDate,
) -> Result<(), ApiError> {
    let unit = if actor.role == Role::UnitHead {
        st.projections.profile(cadre_id, on).and_then(|p| p.unit_id)
    } else {
        None
    };
    if auth::may_read_cadre(actor, cadre_id, unit.as_deref()) {
        Ok(())
    } else {
        Err(auth::cadre_out_of_scope(
            Some(&st.projections),
            actor,
            cadre_id,
            unit.as_deref(),
            "查看该干部的档案",
        ))
    }
}

/// Reads of the read models.
#[derive(Default)]
pub struct ReadQuery;

#[Object]
impl ReadQuery {
    /// A cadre's profile: now, or as it stood on `asOf` (effective date), as known at `knownAt` (log position).
    async fn cadre(
        &self,
        ctx: &Context<'_>,
        id: String,
        as_of: Option<Date>,
        known_at: Option<Position>,
    ) -> async_graphql::Result<Option<CadreProfile>> {
        auth::nullable(ctx, async move {
            let st = state(ctx);
            let actor = auth::actor(ctx)?;
            let today = today(ctx);
            let view = if as_of.is_some() || known_at.is_some() {
                if actor.role != Role::UnitHead {
                    check_cadre(st, actor, &id, today)?;
                }
                let on = as_of.map_or(today, |d| d.0);
                let view = st
                    .projections
                    .profile_as_of(&id, on, known_at.map(|p| p.0))
                    .await
                    .map_err(ApiError::internal)?;
                // A unit head reads the cadres of their unit as they stood then: the unit the
                // cadre belonged to on that date decides, not the unit they are in now.
                let unit = view.as_ref().and_then(|p| p.unit_id.as_deref());
                if !auth::may_read_cadre(actor, &id, unit) {
                    return Err(auth::cadre_out_of_scope(
                        Some(&st.projections),
                        actor,
                        &id,
                        unit,
                        &format!("查看该干部在 {on} 的档案（以当日所在单位为准）"),
                    )
                    .into_gql());
                }
                view
            } else {
                check_cadre(st, actor, &id, today)?;
                st.projections.profile(&id, today).filter(|p| p.registered)
            };
            view.map(CadreProfile)
                .ok_or_else(|| ApiError::not_found(format!("干部 {id} 不存在")).into_gql())
        })
        .await
    }

    /// Cadres, filtered, in pages (Relay cursor connection). Unit heads see their own unit only.
    #[allow(clippy::too_many_arguments)]
    async fn cadres(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 100))] first: i32,
        unit_id: Option<String>,
        rank: Option<Rank>,
        leader: Option<bool>,
        name_contains: Option<String>,
    ) -> async_graphql::Result<Option<Connection<String, CadreSummary, EmptyFields, EmptyFields>>>
    {
        auth::nullable(ctx, async move {
            let st = state(ctx);
            let actor = auth::require(
                ctx,
                &[
                    Role::OrgAdmin,
                    Role::DisciplineInspector,
                    Role::Auditor,
                    Role::UnitHead,
                    Role::System,
                ],
                "查看干部名册",
            )?;
            let unit_id = if actor.role == Role::UnitHead {
                if unit_id
                    .as_deref()
                    .is_some_and(|u| Some(u) != actor.scope.as_deref())
                {
                    let other = unit_id.as_deref().unwrap_or_default();
                    return Err(auth::unit_out_of_scope(
                        Some(&st.projections),
                        actor,
                        other,
                        "查看其他单位的干部名册",
                    )
                    .into_gql());
                }
                actor.scope.clone()
            } else {
                unit_id
            };
            let filter = ProfileFilter {
                unit_id,
                rank: rank.map(Into::into),
                leader,
                name_contains,
            };
            // Cursors are the `cursor` of an edge (or `endCursor`) served earlier; anything else
            // is refused rather than read as "from the start".
            if let Some(cursor) = after.as_deref()
                && cursor.parse::<usize>().is_err()
            {
                return Err(ApiError::validation(format!(
                    "游标「{}」无效：请传入先前返回的 cursor 或 endCursor",
                    cursor.chars().take(64).collect::<String>()
                ))
                .into_gql());
            }
            let page = st
                .projections
                .profiles(&filter, after.as_deref(), first as usize);
            let mut connection = Connection::new(after.is_some(), page.next_cursor.is_some());
            connection.edges.extend(page.items.into_iter().map(|s| {
                Edge::new(
                    s.cursor,
                    CadreSummary {
                        cadre_id: s.cadre_id,
                        name: s.name,
                        unit_id: s.unit_id,
                        rank: s.rank.map(rank_of),
                        leadership_level: s.leadership_level.map(level_of),
                        post_title: s.post_title,
                    },
                )
            }));
            Ok(connection)
        })
        .await
    }

    /// Every event about a cadre, oldest first (payloads of supervision streams only for 组织部 and 纪检监察).
    async fn cadre_timeline(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
    ) -> async_graphql::Result<Option<Vec<LogEvent>>> {
        auth::nullable(ctx, async move {
            let st = state(ctx);
            let actor = auth::actor(ctx)?;
            // A cadre reads their own timeline; reading anyone's is for those who read all.
            let own = auth::is_own_cadre(actor, &cadre_id);
            if !own && !READ_ALL.contains(&actor.role) {
                return Err(if actor.role == Role::Cadre {
                    auth::cadre_out_of_scope(
                        Some(&st.projections),
                        actor,
                        &cadre_id,
                        None,
                        "查看该干部的全部记录",
                    )
                } else {
                    auth::forbidden(actor, &format!("查看干部 {cadre_id} 的全部记录"))
                }
                .into_gql());
            }
            let entries = st
                .projections
                .timeline(&cadre_id)
                .await
                .map_err(|e| match e {
                    dossier_projections::ProjectionError::NotFound { message, .. } => {
                        ApiError::not_found(message)
                    }
                    other => ApiError::internal(other),
                })?;
            if own {
                // What the cadre reads of each event about them: whole, redacted or left out
                // (`auth::own_timeline_event` says which, and why).
                return Ok(entries
                    .iter()
                    .filter_map(|e| {
                        let event = LogEvent {
                            own_record: true,
                            ..LogEvent::from_audit(e)
                        };
                        match auth::own_timeline_event(
                            &cadre_id,
                            &e.stream_id,
                            &e.event_type,
                            &e.payload,
                        ) {
                            auth::OwnTimeline::Whole => Some(event),
                            auth::OwnTimeline::Redacted(shown) => Some(LogEvent {
                                payload: shown.to_string(),
                                redacted: true,
                                ..event
                            }),
                            auth::OwnTimeline::Hidden => None,
                        }
                    })
                    .collect());
            }
            Ok(entries
                .iter()
                .filter(|e| auth::may_see_stream(actor, &e.stream_id))
                .map(LogEvent::from_audit)
                .collect())
        })
        .await
    }

    /// Supervision entries and leads about a cadre, in full (组织部 and 纪检监察 only; the read is recorded).
    async fn supervision_records(
        &self,
        ctx: &Context<'_>,
        cadre_id: String,
    ) -> async_graphql::Result<Option<Vec<LogEvent>>> {
        auth::nullable(ctx, async move {
            auth::require(ctx, SUPERVISORS, "查看监督信息").map_err(ApiError::into_gql)?;
            let st = state(ctx);
            let actor = auth::actor(ctx)?;
            let entries = match st.projections.timeline(&cadre_id).await {
                Ok(entries) => entries,
                Err(dossier_projections::ProjectionError::NotFound { .. }) => Vec::new(),
                Err(e) => return Err(ApiError::internal(e).into_gql()),
            };
            let records: Vec<LogEvent> = entries
                .iter()
                .filter(|e| auth::is_supervision_stream(&e.stream_id))
                .map(|e| LogEvent {
                    access_recorded: true,
                    ..LogEvent::from_audit(e)
                })
                .collect();
            st.service
                .record_access(
                    actor,
                    "supervision_records",
                    std::slice::from_ref(&cadre_id),
                )
                .await?;
            Ok(records)
        })
        .await
    }

    /// A unit with its posts, vacancies and hot-post tenure: now, or as of a date / as known at a position.
    async fn unit(
        &self,
        ctx: &Context<'_>,
        id: String,
        as_of: Option<Date>,
        known_at: Option<Position>,
    ) -> async_graphql::Result<Option<UnitView>> {
        auth::nullable(ctx, async move {
            let st = state(ctx);
            let actor = auth::actor(ctx)?;
            if !auth::may_read_unit(actor, &id) {
                return Err(auth::unit_out_of_scope(
                    Some(&st.projections),
                    actor,
                    &id,
                    "查看该单位",
                )
                .into_gql());
            }
            let on = as_of.map_or_else(|| today(ctx), |d| d.0);
            let view = if as_of.is_some() || known_at.is_some() {
                st.projections
                    .unit_as_of(&id, on, known_at.map(|p| p.0))
                    .await
                    .map_err(ApiError::internal)?
            } else {
                st.projections.unit(&id).filter(|u| u.registered)
            };
            view.map(|u| UnitView::new(&u, on))
                .ok_or_else(|| ApiError::not_found(format!("单位 {id} 不存在")).into_gql())
        })
        .await
    }

    /// Every unit (id and name).
    async fn units(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<UnitRef>>> {
        auth::nullable(ctx, async move {
            auth::require(ctx, auth::ANYONE, "查看单位列表").map_err(ApiError::into_gql)?;
            Ok(state(ctx)
                .projections
                .units()
                .into_iter()
                .map(|(unit_id, name)| UnitRef { unit_id, name })
                .collect())
        })
        .await
    }

    /// The dashboards as they stood on `asOf` (effective date, default today), as the log knew
    /// them at `knownAt` (log position, default now): every figure counts only the facts
    /// effective on or before `asOf` and recorded at or before `knownAt`. Aggregate figures,
    /// no personal data.
    async fn dashboards(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
        known_at: Option<Position>,
    ) -> async_graphql::Result<Option<Dashboards>> {
        auth::nullable(ctx, async move {
            auth::require(ctx, DASHBOARDS, "查看统计看板").map_err(ApiError::into_gql)?;
            let on = as_of.map_or_else(|| today(ctx), |d| d.0);
            dashboards(state(ctx), on, known_at.map(|p| p.0))
                .await
                .map_err(|e| e.into_gql())
        })
        .await
    }

    /// Alerts on `asOf` (default today): tenure, training hours, probation and secondment ends, due reviews,
    /// over the record as it stood that day (a past date reads the facts effective by then).
    /// Unit heads see their own unit's.
    async fn alerts(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<Vec<Alert>>> {
        auth::nullable(ctx, async move {
            let actor = auth::require(
                ctx,
                &[
                    Role::OrgAdmin,
                    Role::DisciplineInspector,
                    Role::Auditor,
                    Role::UnitHead,
                    Role::System,
                ],
                "查看预警",
            )?;
            let on = as_of.map_or_else(|| today(ctx), |d| d.0);
            Ok(state(ctx)
                .projections
                .alerts_as_of(on, None)
                .await?
                .iter()
                .filter(|a| {
                    actor.role != Role::UnitHead || a.unit_id.is_some() && a.unit_id == actor.scope
                })
                .map(|a| Alert {
                    kind: a.kind.into(),
                    label: a.kind.zh().to_owned(),
                    cadre_id: a.cadre_id.clone(),
                    unit_id: a.unit_id.clone(),
                    due: Date(a.due),
                    message: a.message.clone(),
                })
                .collect())
        })
        .await
    }

    /// The policy values in force on `asOf` (default today).
    async fn policy(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<Policy>> {
        auth::nullable(ctx, async move {
            auth::require(ctx, auth::ANYONE, "查看政策").map_err(ApiError::into_gql)?;
            let on = as_of.map_or_else(|| today(ctx), |d| d.0);
            let policy = state(ctx).service.policy_in_force(on).await?;
            Ok(Policy::from(&policy))
        })
        .await
    }

    /// The district's published policy versions, in publication order (none: the national defaults are in force).
    async fn policy_versions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<PolicyVersion>>> {
        auth::nullable(ctx, async move {
            auth::require(ctx, auth::ANYONE, "查看政策").map_err(ApiError::into_gql)?;
            let (book, _) = state(ctx)
                .service
                .load::<dossier_domain::policy_stream::Aggregate>(crate::service::POLICY_STREAM)
                .await?;
            Ok(book.versions().iter().map(PolicyVersion::from).collect())
        })
        .await
    }
}
