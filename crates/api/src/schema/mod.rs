//! The GraphQL schema: roots, scalars, limits, and `Served` (the schema as executed: alias limit and error codes). No HTTP here.

pub mod care;
pub mod command;
pub mod cultivation;
pub mod dashboards;
pub mod decisions;
pub mod log;
pub mod people;
pub mod policy;
pub mod profile;
pub mod reads;
pub mod scalars;
pub mod units;

use std::sync::Arc;

use async_graphql::{
    Data, Executor, MergedObject, MergedSubscription, Request, Response, Schema, ServerError,
    futures_util::stream::{self, BoxStream, StreamExt},
    parser::types::{Selection, SelectionSet},
};

use crate::state::AppState;

/// The whole query root.
#[derive(MergedObject, Default)]
pub struct QueryRoot(reads::ReadQuery, log::LogQuery);

/// The whole mutation root.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    people::PeopleMutation,
    decisions::DecisionMutation,
    cultivation::CultivationMutation,
    care::CareMutation,
    log::TokenMutation,
);

/// The whole subscription root.
#[derive(MergedSubscription, Default)]
pub struct SubscriptionRoot(log::LogSubscription);

/// Dossier's GraphQL schema.
pub type DossierSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Build the schema over `state`, with every limit of its configuration on.
pub fn schema(state: AppState) -> DossierSchema {
    let config = state.config.clone();
    let mut builder = Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
    .limit_depth(config.max_depth)
    .limit_complexity(config.max_complexity)
    .limit_recursive_depth(config.max_depth.max(16) * 2)
    .limit_directives(10)
    .disable_suggestions()
    .data(state.service.clone())
    .data(state);
    if !config.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The SDL of the schema (what `docs/schema.graphql` holds).
pub fn sdl(schema: &DossierSchema) -> String {
    schema.sdl()
}

/// The schema as served over HTTP and WebSocket: the alias limit (which async-graphql does not
/// count) is checked before execution, and every error gets its `extensions.code`
/// ([`crate::error::classify`]) after. Both are done here rather than as schema extensions:
/// any extension, even one that only looks at the request, puts every field's resolution
/// through the extension chain, which cost a fifth to two fifths of a query's time.
#[derive(Clone)]
pub struct Served {
    schema: DossierSchema,
    max_aliases: usize,
}

impl Served {
    /// Build the schema over `state` (see [`schema`]) and serve it.
    pub fn new(state: AppState) -> Self {
        let max_aliases = state.config.max_aliases;
        Served {
            schema: schema(state),
            max_aliases,
        }
    }

    /// The schema itself (for its SDL).
    pub fn schema(&self) -> &DossierSchema {
        &self.schema
    }
}

impl Executor for Served {
    fn execute(&self, mut request: Request) -> impl Future<Output = Response> + Send {
        let refused = too_many_aliases(&mut request, self.max_aliases);
        let schema = self.schema.clone();
        async move {
            let mut response = match refused {
                Some(err) => Response::from_errors(vec![err]),
                None => schema.execute(request).await,
            };
            response.errors.iter_mut().for_each(crate::error::classify);
            response
        }
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        if let Some(mut err) = too_many_aliases(&mut request, self.max_aliases) {
            crate::error::classify(&mut err);
            return stream::once(async move { Response::from_errors(vec![err]) }).boxed();
        }
        Executor::execute_stream(&self.schema, request, session_data)
            .map(|mut response| {
                response.errors.iter_mut().for_each(crate::error::classify);
                response
            })
            .boxed()
    }
}

fn count_aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(f) => {
                usize::from(f.node.alias.is_some()) + count_aliases(&f.node.selection_set.node)
            }
            Selection::InlineFragment(f) => count_aliases(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

/// The refusal of a document using more than `max` aliases. The request keeps its parsed
/// document for execution; a text that does not parse is left for execution to report.
fn too_many_aliases(request: &mut Request, max: usize) -> Option<ServerError> {
    let document = request.parsed_query().ok()?;
    let aliases: usize = document
        .operations
        .iter()
        .map(|(_, op)| count_aliases(&op.node.selection_set.node))
        .chain(
            document
                .fragments
                .values()
                .map(|f| count_aliases(&f.node.selection_set.node)),
        )
        .sum();
    if aliases <= max {
        return None;
    }
    let mut err = ServerError::new(
        format!("查询使用了 {aliases} 个别名，超过上限 {max}（query uses too many aliases）"),
        None,
    );
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", "QUERY_TOO_MANY_ALIASES");
    err.extensions = Some(ext);
    Some(err)
}
