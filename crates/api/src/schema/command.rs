//! What every mutation shares: the command envelope input (effective date, basis, expected version, command id), the result type, and the runner.

use async_graphql::{Context, InputObject, Json, SimpleObject};
use dossier_domain::Role;

use crate::{
    auth,
    error::ApiError,
    schema::scalars::{Date, Position},
    service::{CommandEnvelope, CommandOutcome, Handles, Service},
};

/// How a command applies: when it takes effect, on which document, against
/// which version, under which idempotency key. All optional.
#[derive(InputObject, Default, Debug, Clone)]
pub struct CommandMeta {
    /// 生效日期 (default: today). The policy in force on this date decides.
    pub effective: Option<Date>,
    /// 文件依据: the document the fact rests on, e.g. "泰姜组〔2025〕12号".
    #[graphql(validator(max_length = 200))]
    pub basis: Option<String>,
    /// Refuse with CONFLICT unless the stream is at this version.
    pub expected_version: Option<u64>,
    /// Idempotency key: retrying with the same id returns the first result.
    #[graphql(validator(min_length = 1, max_length = 100))]
    pub command_id: Option<String>,
    /// Ties the events of one user action together.
    #[graphql(validator(max_length = 100))]
    pub correlation_id: Option<String>,
    /// Decide only: the result lists the events that would be appended (or the refusal comes
    /// back as it would), and nothing is written — no event, no command id. The same roles
    /// may ask as may run the command; the policy in force on `effective` decides.
    pub dry_run: Option<bool>,
}

/// One event a command appended.
#[derive(SimpleObject, Debug, Clone)]
pub struct AppendedEventView {
    pub stream_id: String,
    pub position: Position,
    pub stream_version: u64,
    #[graphql(name = "type")]
    pub event_type: String,
    pub schema_version: u32,
    pub payload: Json<serde_json::Value>,
}

/// What a command did.
#[derive(SimpleObject, Debug, Clone)]
pub struct CommandResult {
    /// The stream the command targeted, e.g. `cadre-c001`.
    pub stream_id: String,
    /// Its version after the command (pass as `expectedVersion` next time).
    pub stream_version: u64,
    /// The log position of the last event appended.
    pub position: Position,
    /// True when the command id had been seen: the first result again, nothing appended.
    pub deduplicated: bool,
    /// True for a dry run: nothing was appended; `events`, `position` and `streamVersion` are
    /// what the command would append now if nothing else were appended first.
    pub dry_run: bool,
    /// The events appended (for a dry run: that would be appended), in order.
    pub events: Vec<AppendedEventView>,
}

impl From<CommandOutcome> for CommandResult {
    fn from(o: CommandOutcome) -> Self {
        CommandResult {
            stream_id: o.stream_id,
            stream_version: o.stream_version,
            position: Position(o.position),
            deduplicated: o.deduplicated,
            dry_run: o.dry_run,
            events: o
                .events
                .into_iter()
                .map(|e| AppendedEventView {
                    stream_id: e.stream_id,
                    position: Position(e.position),
                    stream_version: e.stream_version,
                    event_type: e.event_type,
                    schema_version: e.schema_version,
                    payload: Json(
                        serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null),
                    ),
                })
                .collect(),
        }
    }
}

/// Check the caller's role, then execute `command` on its stream.
pub async fn run<A>(
    ctx: &Context<'_>,
    roles: &[Role],
    what: &str,
    meta: Option<CommandMeta>,
    command: A::Command,
) -> async_graphql::Result<CommandResult>
where
    A: Handles,
    A::Command: Send + Sync,
    A::Facts: Send,
{
    let actor = auth::require(ctx, roles, what)?;
    let service = ctx.data_unchecked::<Service>();
    let meta = meta.unwrap_or_default();
    let envelope = CommandEnvelope {
        command,
        effective: meta.effective.map_or_else(|| service.today(), |d| d.0),
        basis: meta
            .basis
            .map(|b| b.trim().to_owned())
            .filter(|b| !b.is_empty()),
        expected_version: meta.expected_version,
        command_id: meta.command_id,
        correlation_id: meta.correlation_id,
        dry_run: meta.dry_run.unwrap_or(false),
    };
    let outcome = service
        .execute::<A>(actor, envelope)
        .await
        .map_err(ApiError::into_gql)?;
    Ok(outcome.into())
}

/// Declare a GraphQL enum mirroring a domain enum, with the conversion into it.
macro_rules! mirror_enum {
    ($(#[$m:meta])* $name:ident => $module:ident :: $ty:ident { $($(#[$vm:meta])* $v:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq, Debug)]
        pub enum $name { $($(#[$vm])* $v),* }

        impl From<$name> for $module::$ty {
            fn from(v: $name) -> Self {
                match v { $($name::$v => $module::$ty::$v),* }
            }
        }

        impl From<$module::$ty> for $name {
            fn from(v: $module::$ty) -> Self {
                match v { $($module::$ty::$v => $name::$v),* }
            }
        }
    };
}
pub(crate) use mirror_enum;
