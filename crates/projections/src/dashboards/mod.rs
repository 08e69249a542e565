//! Dashboards: small aggregates maintained incrementally, read without recomputation.

pub mod log;

use serde::Serialize;

/// One figure of a dashboard in flat form, for CSV/NDJSON export and quick assertions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The dashboard, e.g. `"training"`.
    pub dashboard: &'static str,
    /// The measure, e.g. `"classes"`.
    pub metric: &'static str,
    /// The breakdown key (`""` for a total), e.g. `"main/case"`.
    pub key: String,
    pub value: f64,
}

impl Figure {
    pub fn new(dashboard: &'static str, metric: &'static str, key: impl Into<String>, value: f64) -> Self {
        Figure { dashboard, metric, key: key.into(), value }
    }
}
