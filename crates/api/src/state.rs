//! The application state every handler and resolver shares: store, read models, service, settings, counters.

use std::sync::Arc;

use dossier_store::Store;

use crate::{
    config::ApiConfig, health::DiskWatch, metrics::Metrics, service::Service, tokens::TokenCache,
};

/// The read models the API queries (and waits on for read-your-writes).
pub type Projections = dossier_projections::Projections;

/// Everything the API needs, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub projections: Projections,
    pub config: Arc<ApiConfig>,
    pub metrics: Arc<Metrics>,
    pub service: Service,
    /// Bearer tokens recently found valid.
    pub tokens: Arc<TokenCache>,
    /// Free disk space against the budget.
    pub disk: Arc<DiskWatch>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn new(store: Store, projections: Projections, config: ApiConfig) -> Self {
        let service = Service::new(store.clone(), projections.clone())
            .with_settle_timeout(config.settle_timeout);
        AppState {
            store,
            projections,
            tokens: Arc::new(TokenCache::new(config.token_cache_ttl)),
            config: Arc::new(config),
            metrics: Arc::new(Metrics::default()),
            service,
            disk: Arc::default(),
        }
    }

    /// Replace the service (e.g. one with a fixed clock for demo generation).
    pub fn with_service(mut self, service: Service) -> Self {
        self.service = service;
        self
    }
}
