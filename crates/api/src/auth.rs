//! Who may do what: the caller's principal in the request data, role sets, and the field guards that enforce them.

use async_graphql::{Context, Guard};
use dossier_domain::{Actor, Role};

use crate::error::ApiError;

/// The caller of one request (or one WebSocket connection): `None` when no token was presented.
#[derive(Debug, Clone, Default)]
pub struct Principal(pub Option<Actor>);

/// 组织部 only.
pub const ORG: &[Role] = &[Role::OrgAdmin, Role::System];
/// Those who record and read supervision: 组织部 and 纪检监察.
pub const SUPERVISORS: &[Role] = &[Role::OrgAdmin, Role::DisciplineInspector, Role::System];
/// Those who read every cadre's personal record.
pub const READ_ALL: &[Role] = &[
    Role::OrgAdmin,
    Role::DisciplineInspector,
    Role::Auditor,
    Role::System,
];
/// Those who read the audit trail and verify the log.
pub const AUDIT: &[Role] = &[Role::OrgAdmin, Role::Auditor, Role::System];
/// Those who read aggregate figures (dashboards, counts) without personal data.
pub const DASHBOARDS: &[Role] = &[
    Role::OrgAdmin,
    Role::DisciplineInspector,
    Role::Auditor,
    Role::Analyst,
    Role::System,
];
/// Everyone signed in.
pub const ANYONE: &[Role] = &[
    Role::OrgAdmin,
    Role::DisciplineInspector,
    Role::UnitHead,
    Role::Cadre,
    Role::Auditor,
    Role::Analyst,
    Role::System,
];

/// The signed-in caller, or UNAUTHENTICATED.
pub fn actor<'a>(ctx: &Context<'a>) -> Result<&'a Actor, ApiError> {
    ctx.data_opt::<Principal>()
        .and_then(|p| p.0.as_ref())
        .ok_or_else(|| ApiError::Unauthenticated("请先登录：请求须带有效的 Bearer 令牌".into()))
}

/// The caller if their role is one of `roles`, else FORBIDDEN (or UNAUTHENTICATED).
pub fn require<'a>(ctx: &Context<'a>, roles: &[Role], what: &str) -> Result<&'a Actor, ApiError> {
    let actor = actor(ctx)?;
    if roles.contains(&actor.role) {
        Ok(actor)
    } else {
        Err(forbidden(actor, what))
    }
}

/// For a field a role may be refused: the caller if their role is one of `roles`; otherwise
/// the refusal is reported for this field alone (with its path) and `None` is returned, so
/// the field is null and the rest of the response keeps its shape. (A guard's refusal would
/// drop the field's key from the response instead.)
pub fn field<'a>(ctx: &Context<'a>, roles: &[Role], what: &str) -> Option<&'a Actor> {
    match require(ctx, roles, what) {
        Ok(actor) => Some(actor),
        Err(refusal) => {
            let err = refusal.into_gql().into_server_error(ctx.item.pos);
            ctx.add_error(ctx.set_error_path(err));
            None
        }
    }
}

/// A root field's answer, nullable: every root field may be refused to some caller (a role,
/// a scope, no token), and a refusal then nulls that field alone, with its error, instead of
/// the whole `data`.
/// (A guard's refusal, or an error returned from the resolver, would drop the field's key
/// from the response, so the refusal is reported here with the field's path.)
pub async fn nullable<T>(
    ctx: &Context<'_>,
    answer: impl std::future::Future<Output = async_graphql::Result<T>>,
) -> async_graphql::Result<Option<T>> {
    match answer.await {
        Ok(value) => Ok(Some(value)),
        Err(e) => {
            let err = e.into_server_error(ctx.item.pos);
            ctx.add_error(ctx.set_error_path(err));
            Ok(None)
        }
    }
}

/// The FORBIDDEN error for `actor` trying `what`, refused by role (`FORBIDDEN_ROLE`).
pub fn forbidden(actor: &Actor, what: &str) -> ApiError {
    ApiError::forbidden(format!("角色「{}」无权{}", actor.role.zh(), what))
}

/// The read models that name people and units in a refusal (`None`: by id alone).
pub type Names<'a> = Option<&'a crate::state::Projections>;

/// The read models of the request, to name people and units in a refusal.
pub fn names<'a>(ctx: &Context<'a>) -> Names<'a> {
    ctx.data_opt::<crate::state::AppState>()
        .map(|st| &st.projections)
}

/// A cadre named 姓名（id） from the profiles when the read models know them, else by id.
fn cadre_named(names: Names<'_>, cadre_id: &str) -> String {
    names
        .and_then(|p| p.cadre_name(cadre_id))
        .map_or_else(|| cadre_id.to_owned(), |n| format!("{n}（{cadre_id}）"))
}

/// A unit named 单位名（id） from the unit read model, else by id.
fn unit_named(names: Names<'_>, unit_id: &str) -> String {
    names.and_then(|p| p.unit(unit_id)).map_or_else(
        || unit_id.to_owned(),
        |u| format!("{}（{unit_id}）", u.name),
    )
}

/// The refusal of `what` about the cadre `cadre_id` (in `unit_id`, when known) to a caller
/// whose scope does not reach them: a cadre acting for or reading another cadre
/// (`SCOPE_OTHER_CADRE`), a unit head beyond their unit (`SCOPE_OTHER_UNIT`); any other role
/// by role (`FORBIDDEN_ROLE`). People and units are named 姓名（id）/单位名（id）.
pub fn cadre_out_of_scope(
    names: Names<'_>,
    actor: &Actor,
    cadre_id: &str,
    unit_id: Option<&str>,
    what: &str,
) -> ApiError {
    let scope = actor.scope.as_deref().unwrap_or_default();
    match actor.role {
        Role::Cadre => ApiError::forbidden_by(
            "SCOPE_OTHER_CADRE",
            format!(
                "角色「{}」（本人 {}）只能办理、查看本人的事项，无权{what}：{} 不是本人",
                actor.role.zh(),
                cadre_named(names, scope),
                cadre_named(names, cadre_id),
            ),
        ),
        Role::UnitHead => ApiError::forbidden_by(
            "SCOPE_OTHER_UNIT",
            format!(
                "角色「{}」（本单位 {}）只能办理、查看本单位的事项，无权{what}：{} {}",
                actor.role.zh(),
                unit_named(names, scope),
                cadre_named(names, cadre_id),
                unit_id.map_or_else(
                    || "不在本单位".to_owned(),
                    |u| format!("所在单位为 {}", unit_named(names, u))
                ),
            ),
        ),
        _ => forbidden(actor, what),
    }
}

/// The refusal of `what` about the unit `unit_id` to a caller whose scope does not reach it:
/// a unit head beyond their own unit (`SCOPE_OTHER_UNIT`); any other role by role
/// (`FORBIDDEN_ROLE`).
pub fn unit_out_of_scope(names: Names<'_>, actor: &Actor, unit_id: &str, what: &str) -> ApiError {
    match actor.role {
        Role::UnitHead => ApiError::forbidden_by(
            "SCOPE_OTHER_UNIT",
            format!(
                "角色「{}」（本单位 {}）只能办理、查看本单位的事项，无权{what}：{} 不是本单位",
                actor.role.zh(),
                unit_named(names, actor.scope.as_deref().unwrap_or_default()),
                unit_named(names, unit_id),
            ),
        ),
        _ => forbidden(actor, what),
    }
}

/// May `actor` read the personal record of cadre `cadre_id`, who serves in `unit_id`?
pub fn may_read_cadre(actor: &Actor, cadre_id: &str, unit_id: Option<&str>) -> bool {
    match actor.role {
        Role::OrgAdmin | Role::DisciplineInspector | Role::Auditor | Role::System => true,
        Role::Cadre => actor.scope.as_deref() == Some(cadre_id),
        Role::UnitHead => unit_id.is_some() && actor.scope.as_deref() == unit_id,
        Role::Analyst => false,
    }
}

/// May `actor` read the view of unit `unit_id`?
pub fn may_read_unit(actor: &Actor, unit_id: &str) -> bool {
    match actor.role {
        Role::OrgAdmin | Role::DisciplineInspector | Role::Auditor | Role::System => true,
        Role::UnitHead => actor.scope.as_deref() == Some(unit_id),
        Role::Cadre | Role::Analyst => false,
    }
}

/// Does a stream hold supervision details (only 组织部 and 纪检监察 read them)?
pub fn is_supervision_stream(stream_id: &str) -> bool {
    ["supervision-", "lead-", "bulletin-", "accountability-"]
        .iter()
        .any(|p| stream_id.starts_with(p))
}

/// May `actor` learn that an event of `stream_id` exists at all? Supervision streams are
/// absent (not merely payload-less) from every list shown to roles that may not read them:
/// their types, dates and actors would tell on the cadres they concern.
pub fn may_see_stream(actor: &Actor, stream_id: &str) -> bool {
    !is_supervision_stream(stream_id) || SUPERVISORS.contains(&actor.role)
}

/// May `actor` read the payload of an event of `stream_id`?
pub fn may_read_stream(actor: &Actor, stream_id: &str) -> bool {
    if is_supervision_stream(stream_id) {
        return SUPERVISORS.contains(&actor.role);
    }
    READ_ALL.contains(&actor.role)
}

/// Is `actor` the cadre `cadre_id` themself (role cadre, scoped to that id)?
pub fn is_own_cadre(actor: &Actor, cadre_id: &str) -> bool {
    actor.role == Role::Cadre && actor.scope.as_deref() == Some(cadre_id)
}

/// The stream of cadre `cadre_id`'s own record.
pub fn cadre_stream(cadre_id: &str) -> String {
    format!("cadre-{cadre_id}")
}

/// What cadre `cadre_id` reads of one event of their own timeline ([`own_timeline_event`]).
#[derive(Debug, Clone, PartialEq)]
pub enum OwnTimeline {
    /// The event as stored.
    Whole,
    /// The event with what is not theirs to read taken out of its payload (the payload shown).
    Redacted(serde_json::Value),
    /// Left out of their timeline altogether.
    Hidden,
}

/// The fields of a `down-…` review's events the cadre reads: what their profile's
/// `downReviews` and their own record (`cadre.MovedDown`) already show them — the review, its
/// dates, trigger, method, decision 文号 and target post. Left out: the opening `reason`, the
/// reverse-evaluation `findings` and `situation`, and the execution `note`, the organization
/// department's working judgements, which may report what colleagues said of them.
const DOWN_FIELDS_SHOWN: &[&str] = &[
    "review_id",
    "cadre_id",
    "unit_id",
    "trigger",
    "grade_year",
    "opened_on",
    "due_on",
    "evaluation_id",
    "recorded_on",
    "method",
    "decision_ref",
    "decided_on",
    "executed_on",
    "to_post",
    "closed_on",
];

/// Of the events the index files under cadre `cadre_id` (event `event_type` of `stream_id`,
/// its stored `payload`), what the cadre themself reads in their own timeline. Nothing about
/// another person may show:
///
/// - their cadre stream, appeals, prior risk reports and training records (the training
///   events filed under them name them alone): whole;
/// - a down review (`down-…`) of theirs: its steps, with only [`DOWN_FIELDS_SHOWN`];
/// - a study session (`study-…`, 五学) they attended: the session, with `attendees` cut to
///   their own line (the list names every attendee);
/// - the year's quota (`quota-…`): their own allocation without `passed_over` and
///   `skip_reason` (the cadres passed over, by name and place, and why), and their own
///   allocation revoked, whole. Left out: the ranking (`quota.Ranked`, every ranked cadre's
///   points) and another cadre's allocation that names them as passed over — the ranking
///   and the standings are for the roles that read all (`quotaRanking`);
/// - left out as well: supervision details (supervision, lead, bulletin, accountability:
///   组织部 and 纪检监察 only), a unit's grade batch and award announcements (whole lists of
///   cadres; their own grade and award are on their cadre stream) and the forum's presenters
///   (every presenter of the day; the forum is not part of their profile).
pub fn own_timeline_event(
    cadre_id: &str,
    stream_id: &str,
    event_type: &str,
    payload: &serde_json::Value,
) -> OwnTimeline {
    use serde_json::Value;
    let about_them = payload.get("cadre_id").and_then(Value::as_str) == Some(cadre_id);
    let kind = stream_id.split_once('-').map_or(stream_id, |(k, _)| k);
    match kind {
        _ if stream_id == cadre_stream(cadre_id) => OwnTimeline::Whole,
        "appeal" | "risk" | "training" => OwnTimeline::Whole,
        "down" if about_them => {
            let Value::Object(fields) = payload else {
                return OwnTimeline::Hidden;
            };
            let shown = fields
                .iter()
                .filter(|(k, _)| DOWN_FIELDS_SHOWN.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            OwnTimeline::Redacted(Value::Object(shown))
        }
        "study" => {
            let mut shown = payload.clone();
            let Some(Value::Array(attendees)) = shown.get_mut("attendees") else {
                return OwnTimeline::Hidden;
            };
            attendees.retain(|a| a.get("cadre_id").and_then(Value::as_str) == Some(cadre_id));
            if attendees.is_empty() {
                return OwnTimeline::Hidden;
            }
            OwnTimeline::Redacted(shown)
        }
        "quota" if about_them && event_type == "quota.Allocated" => {
            let mut shown = payload.clone();
            if let Value::Object(fields) = &mut shown {
                fields.remove("passed_over");
                fields.remove("skip_reason");
            }
            OwnTimeline::Redacted(shown)
        }
        "quota" if about_them && event_type == "quota.Revoked" => OwnTimeline::Whole,
        _ => OwnTimeline::Hidden,
    }
}

/// A field guard: the caller's role must be one of these.
pub struct Allow {
    roles: &'static [Role],
    what: &'static str,
}

impl Allow {
    pub fn new(roles: &'static [Role], what: &'static str) -> Self {
        Allow { roles, what }
    }
}

impl Guard for Allow {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        require(ctx, self.roles, self.what)
            .map(|_| ())
            .map_err(ApiError::into_gql)
    }
}
