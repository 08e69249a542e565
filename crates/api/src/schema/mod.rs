//! The GraphQL schema: roots, scalars, limits, and `Served` (the schema as executed: parse and alias checks, introspection limits, error codes). No HTTP here.

pub mod alerts;
pub mod cadre_profile;
pub mod care;
pub mod command;
pub mod cultivation;
pub mod dashboards;
pub mod decisions;
pub mod eligibility;
pub mod exchange;
pub mod limits;
pub mod lists;
pub mod log;
pub mod people;
pub mod policy;
pub mod profile;
pub mod quota;
pub mod reads;
pub mod reserve;
pub mod scalars;
pub mod selection;
pub mod units;

use std::sync::Arc;

use async_graphql::{
    Data, Executor, MergedObject, MergedSubscription, Request, Response, Schema, ServerError,
    futures_util::stream::{self, BoxStream, StreamExt},
};

use crate::state::AppState;

/// The whole query root.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    reads::ReadQuery,
    lists::ListQuery,
    log::LogQuery,
    eligibility::EligibilityQuery,
    exchange::ExchangeQuery,
    selection::SelectionQuery,
    quota::QuotaQuery,
    reserve::ReserveQuery,
);

/// The whole mutation root.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    people::PeopleMutation,
    decisions::DecisionMutation,
    cultivation::CultivationMutation,
    care::CareMutation,
    selection::SelectionMutation,
    log::TokenMutation,
    exchange::ExchangeMutation,
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
    .limit_recursive_depth(recursion_limit(config.max_depth))
    .limit_directives(10)
    .disable_suggestions()
    .data(state.service.clone())
    .data(state);
    if !config.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// How deep fields and fragment spreads together may nest (async-graphql's own check,
/// before validation): above the depth limit, so that the depth limit is what refuses.
fn recursion_limit(max_depth: usize) -> usize {
    max_depth.max(limits::INTROSPECTION_DEPTH) * 2
}

/// The schema that answers introspection-only documents (what GraphiQL, codegen and schema
/// tools send), held to the introspection limits instead of the data ones: nothing but the
/// schema's description can be read through it.
fn introspection_schema() -> DossierSchema {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
    .introspection_only()
    .limit_depth(limits::INTROSPECTION_DEPTH)
    .limit_complexity(limits::INTROSPECTION_COMPLEXITY)
    .limit_recursive_depth(recursion_limit(limits::INTROSPECTION_DEPTH))
    .limit_directives(10)
    .disable_suggestions()
    .finish()
}

/// The SDL of the schema (what `docs/schema.graphql` holds).
pub fn sdl(schema: &DossierSchema) -> String {
    schema.sdl()
}

/// The schema as served over HTTP and WebSocket: the document is parsed and held to the
/// alias limit (which async-graphql does not count) before execution, introspection-only
/// documents go to a schema with the introspection limits (when introspection is on), and
/// every error gets its `extensions.code` ([`crate::error::classify`]) after, limit refusals
/// in Chinese. All this is done here rather than as schema extensions: any extension, even
/// one that only looks at the request, puts every field's resolution through the extension
/// chain, which cost a fifth to two fifths of a query's time.
#[derive(Clone)]
pub struct Served {
    schema: DossierSchema,
    introspection: Option<DossierSchema>,
    max_aliases: usize,
    limits: limits::Limits,
}

impl Served {
    /// Build the schema over `state` (see [`schema`]) and serve it.
    pub fn new(state: AppState) -> Self {
        let config = state.config.clone();
        Served {
            schema: schema(state),
            introspection: config.introspection.then(introspection_schema),
            max_aliases: config.max_aliases,
            limits: limits::Limits {
                depth: config.max_depth,
                complexity: config.max_complexity,
            },
        }
    }

    /// The schema itself (for its SDL).
    pub fn schema(&self) -> &DossierSchema {
        &self.schema
    }

    /// Check what can be checked of `request` before execution (parse, aliases) and pick the
    /// schema that runs it; `Err` is the refusal.
    fn prepare(
        &self,
        request: &mut Request,
    ) -> Result<(&DossierSchema, limits::Limits), ServerError> {
        limits::parse(request)?;
        let doc = request
            .parsed_query()
            .map_err(|e| limits::coded(e.message, "GRAPHQL_VALIDATION_FAILED"))?;
        if let Some(err) = limits::too_many_aliases(doc, self.max_aliases) {
            return Err(err);
        }
        match &self.introspection {
            Some(introspection) if limits::introspection_only(doc) => Ok((
                introspection,
                limits::Limits {
                    depth: limits::INTROSPECTION_DEPTH,
                    complexity: limits::INTROSPECTION_COMPLEXITY,
                },
            )),
            _ => Ok((&self.schema, self.limits)),
        }
    }
}

/// Give every error of `response` its code, limit refusals and values that could not be
/// parsed (named by field and value from `inputs`, what the request sent) in Chinese.
fn finish(
    mut response: Response,
    limits: limits::Limits,
    inputs: Option<&crate::error_input::Inputs>,
) -> Response {
    for err in &mut response.errors {
        limits.translate(err);
        crate::error_input::explain(err, inputs);
        crate::error::classify(err);
    }
    response
}

/// What `request` sent, kept to explain the values it could not parse.
fn inputs_of(request: &Request) -> crate::error_input::Inputs {
    crate::error_input::Inputs {
        query: request.query.clone(),
        variables: request.variables.clone(),
    }
}

impl Executor for Served {
    fn execute(&self, mut request: Request) -> impl Future<Output = Response> + Send {
        let prepared = self
            .prepare(&mut request)
            .map(|(schema, limits)| (schema.clone(), limits));
        let limits = self.limits;
        let inputs = inputs_of(&request);
        async move {
            match prepared {
                Ok((schema, limits)) => {
                    finish(schema.execute(request).await, limits, Some(&inputs))
                }
                Err(err) => finish(Response::from_errors(vec![err]), limits, Some(&inputs)),
            }
        }
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let inputs = inputs_of(&request);
        match self.prepare(&mut request) {
            Err(err) => {
                let response = finish(Response::from_errors(vec![err]), self.limits, Some(&inputs));
                stream::once(async move { response }).boxed()
            }
            Ok((schema, limits)) => Executor::execute_stream(schema, request, session_data)
                .map(move |response| finish(response, limits, Some(&inputs)))
                .boxed(),
        }
    }
}
