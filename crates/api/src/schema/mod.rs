//! The GraphQL schema: roots, scalars, limits and the error-code extension. No HTTP here.

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
    MergedObject, MergedSubscription, Response, Schema, ServerError, ServerResult, Variables,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextSubscribe,
    },
    futures_util::stream::{BoxStream, StreamExt},
    parser::types::{ExecutableDocument, Selection, SelectionSet},
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
    .extension(Limits {
        max_aliases: config.max_aliases,
    })
    .extension(ErrorCodes)
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

/// Gives every error `extensions.code` (see [`crate::error::classify`]).
struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        response.errors.iter_mut().for_each(crate::error::classify);
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream)
            .map(|mut response| {
                response.errors.iter_mut().for_each(crate::error::classify);
                response
            })
            .boxed()
    }
}

/// Limits that async-graphql does not count itself: aliases per document.
struct Limits {
    max_aliases: usize,
}

impl ExtensionFactory for Limits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitsExtension {
            max_aliases: self.max_aliases,
        })
    }
}

struct LimitsExtension {
    max_aliases: usize,
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

#[async_graphql::async_trait::async_trait]
impl Extension for LimitsExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
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
        if aliases > self.max_aliases {
            let mut err = ServerError::new(
                format!(
                    "查询使用了 {aliases} 个别名，超过上限 {}（query uses too many aliases）",
                    self.max_aliases
                ),
                None,
            );
            let mut ext = async_graphql::ErrorExtensionValues::default();
            ext.set("code", "QUERY_TOO_MANY_ALIASES");
            err.extensions = Some(ext);
            return Err(err);
        }
        Ok(document)
    }
}
