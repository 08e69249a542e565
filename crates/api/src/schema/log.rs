//! The event log through GraphQL: who am I, the log from a position, a stream's audit trail, verification, tokens, and the live event subscription.

use async_graphql::{
    Context, Json, Object, SimpleObject, Subscription,
    futures_util::{Stream, StreamExt},
};
use dossier_domain::{Actor, Role};
use dossier_store::{StreamRange, VerifyReport};

use crate::{
    auth::{self, AUDIT, Allow, ORG, READ_ALL},
    error::ApiError,
    schema::{
        command::mirror_enum,
        scalars::{Date, Position},
    },
    state::AppState,
};

/// One event as recorded in the log.
#[derive(Debug, Clone)]
pub struct LogEvent {
    pub position: u64,
    pub stream_id: String,
    pub stream_version: u64,
    pub event_id: String,
    pub event_type: String,
    pub schema_version: u32,
    pub payload: String,
    pub recorded_at: String,
    pub effective_at: chrono::NaiveDate,
    pub actor: String,
    pub role: String,
    pub basis: Option<String>,
    pub command_id: Option<String>,
    pub correlation_id: Option<String>,
    pub hash: String,
    /// The read of this event was already recorded by the query that returned it.
    pub access_recorded: bool,
    /// Returned to the cadre it concerns from their own timeline or audit trail: theirs to read.
    pub own_record: bool,
    /// `payload` is the stored payload with what the caller may not read taken out.
    pub redacted: bool,
}

impl From<&dossier_store::RecordedEvent> for LogEvent {
    fn from(e: &dossier_store::RecordedEvent) -> Self {
        LogEvent {
            position: e.position,
            stream_id: e.stream_id.clone(),
            stream_version: e.stream_version,
            event_id: e.event_id.to_string(),
            event_type: e.event_type.clone(),
            schema_version: e.schema_version,
            payload: e.payload.clone(),
            recorded_at: e.recorded_at.to_rfc3339(),
            effective_at: e.effective_at,
            actor: e.metadata.actor.clone(),
            role: e.metadata.role.clone(),
            basis: e.metadata.basis.clone(),
            command_id: e.metadata.command_id.clone(),
            correlation_id: e.metadata.correlation_id.clone(),
            hash: e.hash.clone(),
            access_recorded: false,
            own_record: false,
            redacted: false,
        }
    }
}

impl LogEvent {
    /// From an audit-trail entry of the read models.
    pub fn from_audit(e: &dossier_projections::asof::AuditEntry) -> Self {
        LogEvent {
            position: e.position,
            stream_id: e.stream_id.clone(),
            stream_version: e.stream_version,
            event_id: String::new(),
            event_type: e.event_type.clone(),
            schema_version: e.schema_version,
            payload: e.payload.to_string(),
            recorded_at: e.recorded_at.to_rfc3339(),
            effective_at: e.effective_at,
            actor: e.actor.clone(),
            role: e.role.clone(),
            basis: e.basis.clone(),
            command_id: e.command_id.clone(),
            correlation_id: e.correlation_id.clone(),
            hash: e.hash.clone(),
            access_recorded: false,
            own_record: false,
            redacted: false,
        }
    }
}

/// An event of the log. Its payload is shown only to roles that may read that stream.
#[Object(name = "Event")]
impl LogEvent {
    async fn position(&self) -> Position {
        Position(self.position)
    }
    async fn stream_id(&self) -> &str {
        &self.stream_id
    }
    async fn stream_version(&self) -> u64 {
        self.stream_version
    }
    async fn event_id(&self) -> &str {
        &self.event_id
    }
    /// The stable type name, e.g. `cadre.Registered`.
    #[graphql(name = "type")]
    async fn event_type(&self) -> &str {
        &self.event_type
    }
    async fn schema_version(&self) -> u32 {
        self.schema_version
    }
    /// When it was recorded (RFC 3339).
    async fn recorded_at(&self) -> &str {
        &self.recorded_at
    }
    /// When it took effect (生效日期).
    async fn effective_at(&self) -> Date {
        Date(self.effective_at)
    }
    /// Who recorded it.
    async fn actor(&self) -> &str {
        &self.actor
    }
    /// In which role. Dossier records every event with one of its roles; null only for an
    /// event whose recorded role is none of them (a log written by another program and
    /// imported: the log keeps every event as it was recorded).
    async fn role(&self) -> Option<RoleName> {
        crate::tokens::parse_role(&self.role).map(Into::into)
    }
    /// 文件依据: the document it rests on.
    async fn basis(&self) -> Option<&str> {
        self.basis.as_deref()
    }
    async fn command_id(&self) -> Option<&str> {
        self.command_id.as_deref()
    }
    async fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }
    /// SHA-256 chaining this event to the previous one (of the event as stored).
    async fn hash(&self) -> &str {
        &self.hash
    }
    /// True when `payload` shows the stored payload with fields the caller may not read taken
    /// out (a cadre's own timeline: another person's names, the organization department's
    /// findings); `hash` stays that of the event as stored.
    async fn redacted(&self) -> bool {
        self.redacted
    }
    /// The event's content. Supervision streams (supervision, lead, bulletin,
    /// accountability) are readable only by 组织部 and 纪检监察; personal
    /// streams only by roles that read all records.
    async fn payload(&self, ctx: &Context<'_>) -> async_graphql::Result<Json<serde_json::Value>> {
        let actor = auth::actor(ctx)?;
        if !self.own_record && !auth::may_read_stream(actor, &self.stream_id) {
            return Err(
                auth::forbidden(actor, &format!("查看流 {} 的事件内容", self.stream_id)).into_gql(),
            );
        }
        let value = serde_json::from_str(&self.payload).map_err(ApiError::internal)?;
        if auth::is_supervision_stream(&self.stream_id) && !self.access_recorded {
            let what = format!("event.payload@{}", self.position);
            record_access(
                state(ctx),
                actor,
                &what,
                std::slice::from_ref(&self.stream_id),
            )
            .await?;
        }
        Ok(Json(value))
    }
}

/// The caller as the server sees them.
#[derive(SimpleObject)]
pub struct Me {
    /// The actor id recorded in the metadata of their commands.
    pub id: String,
    pub role: RoleName,
    /// The unit (unit head) or cadre (cadre) their token is scoped to.
    pub scope: Option<String>,
}

mirror_enum! {
    /// The roles of Dossier's users.
    RoleName => dossier_domain::Role {
        /// 组织部管理员: everything.
        OrgAdmin,
        /// 纪检监察: supervision and accountability, read all.
        DisciplineInspector,
        /// 单位负责人: their own unit.
        UnitHead,
        /// 干部本人: their own profile, appeals and prior risk reports.
        Cadre,
        /// 审计: read all, audit trail, verify.
        Auditor,
        /// 分析人员: dashboards, no personal data.
        Analyst,
        /// The system itself.
        System,
    }
}

/// The outcome of verifying the hash chain.
#[derive(SimpleObject)]
pub struct Verification {
    /// True when every event's hash matches.
    pub ok: bool,
    /// How many events were checked.
    pub checked: u64,
    /// The first position whose hash does not match.
    pub broken_at: Option<Position>,
    pub reason: Option<String>,
    /// The log's anchor, `POSITION:HASH` of its last event (none for an empty log): write it
    /// down, and `dossier verify --anchor` later proves the log still reaches it unchanged.
    pub anchor: Option<String>,
    /// The anchor asked for with `anchor:`, checked: true when the log still holds that
    /// position with that hash; none when no anchor was given.
    pub anchor_matches: Option<bool>,
}

/// A page of the log.
#[derive(SimpleObject)]
pub struct EventPage {
    pub events: Vec<LogEvent>,
    /// Pass as `after` to get the next page.
    pub next_after: Position,
    /// The log's head when the page was read.
    pub head: Position,
}

fn state<'a>(ctx: &Context<'a>) -> &'a AppState {
    ctx.data_unchecked::<AppState>()
}

/// Reads of the log itself.
#[derive(Default)]
pub struct LogQuery;

#[Object]
impl LogQuery {
    /// The caller (UNAUTHENTICATED without a token).
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Me> {
        let actor = auth::actor(ctx)?;
        Ok(Me {
            id: actor.id.clone(),
            role: actor.role.into(),
            scope: actor.scope.clone(),
        })
    }

    /// The position of the last event in the log.
    async fn head(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Position>> {
        auth::nullable(ctx, async move {
            auth::require(ctx, auth::ANYONE, "查看日志位置").map_err(ApiError::into_gql)?;
            Ok(Position(
                state(ctx).store.head().await.map_err(ApiError::internal)?,
            ))
        })
        .await
    }

    /// The log from a position, in pages (at most 500), optionally only streams with a prefix.
    async fn event_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] after: Position,
        #[graphql(default = 100, validator(minimum = 1, maximum = 500))] first: u32,
        stream_prefix: Option<String>,
    ) -> async_graphql::Result<Option<EventPage>> {
        auth::nullable(ctx, async move {
            auth::require(ctx, READ_ALL, "读取事件日志").map_err(ApiError::into_gql)?;
            let st = state(ctx);
            let actor = auth::actor(ctx)?;
            let head = st.store.head().await.map_err(ApiError::internal)?;
            let mut events = Vec::new();
            let mut cursor = after.0;
            // Filtered pages may need several reads; bound the scan.
            for _ in 0..20 {
                let batch = st
                    .store
                    .read_all(cursor, first as usize)
                    .await
                    .map_err(ApiError::internal)?;
                let Some(last) = batch.last() else { break };
                cursor = last.position;
                for e in &batch {
                    if stream_prefix
                        .as_deref()
                        .is_none_or(|p| e.stream_id.starts_with(p))
                        && auth::may_see_stream(actor, &e.stream_id)
                        && events.len() < first as usize
                    {
                        events.push(LogEvent::from(e));
                        if events.len() == first as usize {
                            cursor = e.position;
                        }
                    }
                }
                if events.len() >= first as usize {
                    break;
                }
            }
            Ok(EventPage {
                events,
                next_after: Position(cursor),
                head: Position(head),
            })
        })
        .await
    }

    /// Every event of one stream, with who recorded it, when, in which role and on which
    /// document; optionally as it stood on an effective date (`asOf`) and as known at a
    /// log position (`knownAt`).
    /// A cadre reads the audit trail of their own record (`cadre-<their id>`).
    async fn audit_trail(
        &self,
        ctx: &Context<'_>,
        stream_id: String,
        as_of: Option<Date>,
        known_at: Option<Position>,
    ) -> async_graphql::Result<Option<Vec<LogEvent>>> {
        auth::nullable(ctx, async move {
            let st = state(ctx);
            let actor = auth::actor(ctx)?;
            let own = actor.role == Role::Cadre
                && actor
                    .scope
                    .as_deref()
                    .is_some_and(|c| stream_id == auth::cadre_stream(c));
            if !own && !READ_ALL.contains(&actor.role) {
                return Err(auth::forbidden(actor, "查看审计轨迹").into_gql());
            }
            if !own && !auth::may_read_stream(actor, &stream_id) {
                return Err(
                    auth::forbidden(actor, &format!("查看流 {stream_id} 的审计轨迹")).into_gql(),
                );
            }
            let range = StreamRange {
                from_version: 0,
                to_position: known_at.map(|p| p.0),
                effective_until: as_of.map(|d| d.0),
            };
            let events = st
                .store
                .read_stream(&stream_id, range)
                .await
                .map_err(ApiError::internal)?;
            // A stream with no event at all does not exist (NOT_FOUND, as the CLI's `replay`
            // and the projections' audit trail say); one that exists but has no event in the
            // slice asked (`asOf`, `knownAt` before its first) answers an empty trail.
            if events.is_empty()
                && st
                    .store
                    .stream_version(&stream_id)
                    .await
                    .map_err(ApiError::internal)?
                    == 0
            {
                return Err(ApiError::NotFound {
                    rule: Some("STREAM_NOT_FOUND"),
                    message: format!("事件流「{stream_id}」不存在（例如 cadre-c0001、unit-u01）"),
                }
                .into_gql());
            }
            if auth::is_supervision_stream(&stream_id) {
                crate::schema::log::record_access(
                    st,
                    actor,
                    "audit_trail",
                    std::slice::from_ref(&stream_id),
                )
                .await?;
            }
            let recorded = auth::is_supervision_stream(&stream_id);
            Ok(events
                .iter()
                .map(|e| LogEvent {
                    access_recorded: recorded,
                    own_record: own,
                    ..LogEvent::from(e)
                })
                .collect())
        })
        .await
    }

    /// Every token (hashes only: no plaintext is kept). 组织部 only.
    async fn tokens(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<TokenInfo>>> {
        auth::nullable(ctx, async move {
            auth::require(ctx, ORG, "查看令牌").map_err(ApiError::into_gql)?;
            let tokens = crate::tokens::list(&state(ctx).store).await?;
            Ok(tokens
                .into_iter()
                .map(|t| {
                    // Only Dossier writes the token table, each token with one of its roles.
                    let role = crate::tokens::parse_role(&t.role).ok_or_else(|| {
                        ApiError::internal(format!("token with unknown role {}", t.role))
                    })?;
                    Ok(TokenInfo {
                        hash: t.hash,
                        role: role.into(),
                        scope: t.scope,
                        label: t.label.unwrap_or_default(),
                        created_at: t.created_at.to_rfc3339(),
                        revoked: t.revoked_at.is_some(),
                    })
                })
                .collect::<Result<_, ApiError>>()?)
        })
        .await
    }

    /// Recompute the hash chain of the whole log and name the first position that does not match.
    async fn verify_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "An anchor recorded earlier (`POSITION:HASH`) to check against the log.")]
        anchor: Option<String>,
    ) -> async_graphql::Result<Option<Verification>> {
        auth::nullable(ctx, async move {
            auth::require(ctx, AUDIT, "校验事件日志").map_err(ApiError::into_gql)?;
            let store = &state(ctx).store;
            let wanted = match anchor.as_deref() {
                None => None,
                Some(a) => Some(
                    a.trim()
                        .split_once(':')
                        .and_then(|(p, h)| {
                            Some((p.trim().parse::<u64>().ok()?, h.trim().to_owned()))
                        })
                        .filter(|(_, h)| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()))
                        .ok_or_else(|| {
                            ApiError::validation(format!(
                                "锚点应为「位置:64 位十六进制哈希」，收到「{a}」"
                            ))
                        })?,
                ),
            };
            let report = store.verify().await.map_err(ApiError::internal)?;
            let head = store.anchor().await.map_err(ApiError::internal)?;
            let anchor_matches = match wanted {
                Some((p, h)) => Some(
                    store
                        .check_anchor(p, &h)
                        .await
                        .map_err(ApiError::internal)?
                        == dossier_store::AnchorCheck::Matches,
                ),
                None => None,
            };
            let anchor = head.map(|(p, h)| format!("{p}:{h}"));
            Ok(match report {
                VerifyReport::Ok { checked } => Verification {
                    ok: true,
                    checked,
                    broken_at: None,
                    reason: None,
                    anchor,
                    anchor_matches,
                },
                VerifyReport::Broken {
                    position,
                    reason,
                    checked,
                } => Verification {
                    ok: false,
                    checked,
                    broken_at: Some(Position(position)),
                    reason: Some(reason),
                    anchor,
                    anchor_matches,
                },
            })
        })
        .await
    }
}

/// Record that `actor` read supervision details (`what`, naming the streams or ids).
pub async fn record_access(
    st: &AppState,
    actor: &Actor,
    what: &str,
    ids: &[String],
) -> Result<(), ApiError> {
    st.service.record_access(actor, what, ids).await
}

/// A token as listed (its plaintext is never kept).
#[derive(SimpleObject)]
pub struct TokenInfo {
    /// SHA-256 of the token; give a prefix of it to revoke it.
    pub hash: String,
    pub role: RoleName,
    pub scope: Option<String>,
    pub label: String,
    pub created_at: String,
    pub revoked: bool,
}

/// Token administration (组织部 only).
#[derive(Default)]
pub struct TokenMutation;

#[Object]
impl TokenMutation {
    /// Create a token; the plaintext is returned once and never stored.
    #[graphql(guard = "Allow::new(ORG, \"签发令牌\")")]
    async fn create_token(
        &self,
        ctx: &Context<'_>,
        role: RoleName,
        scope: Option<String>,
        label: String,
    ) -> async_graphql::Result<String> {
        if role == RoleName::System {
            return Err(ApiError::validation("不能签发系统角色的令牌").into_gql());
        }
        let store = &state(ctx).store;
        // A cadre's token names a registered cadre, a unit head's a registered unit.
        crate::tokens::check_scope(store, role.into(), scope.as_deref()).await?;
        Ok(crate::tokens::create(store, role.into(), scope, &label).await?)
    }

    /// Revoke a token by hash or hash prefix (at least 8 hex digits); false when none matched.
    #[graphql(guard = "Allow::new(ORG, \"吊销令牌\")")]
    async fn revoke_token(
        &self,
        ctx: &Context<'_>,
        hash_prefix: String,
    ) -> async_graphql::Result<bool> {
        Ok(crate::tokens::revoke(&state(ctx).store, &hash_prefix).await?)
    }
}

/// Live events.
#[derive(Default)]
pub struct LogSubscription;

#[Subscription]
impl LogSubscription {
    /// The dashboards, now and again each time the read models apply new events
    /// (coalesced: a burst of events gives one update).
    #[graphql(guard = "Allow::new(auth::DASHBOARDS, \"订阅统计看板\")")]
    async fn dashboard_changed(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> impl Stream<Item = crate::schema::dashboards::Dashboards> {
        let st = state(ctx).clone();
        let mut rx = st.projections.changes();
        rx.mark_changed();
        async_graphql::futures_util::stream::unfold((st, rx), move |(st, mut rx)| async move {
            rx.changed().await.ok()?;
            let on = as_of.map_or_else(|| st.service.today(), |d| d.0);
            let view = match crate::schema::dashboards::dashboards(&st, on, None).await {
                Ok(view) => view,
                Err(e) => {
                    tracing::error!(error = %e, "dashboard subscription ended");
                    return None;
                }
            };
            Some((view, (st, rx)))
        })
    }

    /// Every event after `after` (catch-up, then live, no gap, no duplicate),
    /// optionally only streams with a prefix. Resume by passing the last position seen.
    #[graphql(guard = "Allow::new(READ_ALL, \"订阅事件\")")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] after: Position,
        stream_prefix: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = LogEvent>> {
        let st = state(ctx);
        let actor = auth::actor(ctx)?.clone();
        let subscription = st.store.subscribe(after.0);
        let stream = async_graphql::futures_util::stream::unfold(
            subscription,
            |mut subscription| async move {
                match subscription.next().await? {
                    Ok(e) => Some((e, subscription)),
                    Err(e) => {
                        tracing::error!(error = %e, "event subscription ended");
                        None
                    }
                }
            },
        );
        Ok(stream.filter_map(move |e| {
            let keep = stream_prefix
                .as_deref()
                .is_none_or(|p| e.stream_id.starts_with(p))
                && auth::may_see_stream(&actor, &e.stream_id);
            std::future::ready(keep.then(|| LogEvent::from(&e)))
        }))
    }
}
