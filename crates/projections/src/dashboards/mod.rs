//! Dashboards: small aggregates maintained incrementally, read without recomputation.

pub mod care;
pub mod log;
pub mod training;

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
    pub fn new(
        dashboard: &'static str,
        metric: &'static str,
        key: impl Into<String>,
        value: f64,
    ) -> Self {
        Figure {
            dashboard,
            metric,
            key: key.into(),
            value,
        }
    }
}

/// Every dashboard's figures on `as_of`.
pub fn all_figures(models: &crate::models::Models, as_of: chrono::NaiveDate) -> Vec<Figure> {
    let policy = models.policies.model.in_force(as_of);
    let mut out = Vec::new();
    out.extend(models.training.model.figures());
    out.extend(models.care.model.view(&policy, as_of).figures());
    out.extend(models.log.model.figures());
    out
}
