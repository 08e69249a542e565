//! Dashboards: small aggregates maintained incrementally, read without recomputation.

pub mod assessment;
pub mod awards;
pub mod care;
pub mod down;
pub mod log;
pub mod promotion;
pub mod rotation;
pub mod supervision;
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

/// The serde name of a unit-like enum value (`ClassKind::Main` → `"main"`).
pub fn key<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Add one to a counter in a map keyed by string.
pub fn bump<K: Ord>(map: &mut std::collections::BTreeMap<K, u32>, k: K) {
    *map.entry(k).or_default() += 1;
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
    out.extend(models.assessment.model.figures());
    out.extend(models.awards.model.view().figures());
    out.extend(models.promotion.model.figures());
    out.extend(models.down.model.figures());
    out.extend(models.supervision.model.figures());
    out.extend(models.rotation.model.figures());
    out.extend(rotation_due_figures(models, as_of));
    out.extend(models.care.model.view(&policy, as_of).figures());
    out.extend(models.log.model.figures());
    out
}

/// Hot posts at or past their tenure limit on `as_of`, by unit (from the unit views).
pub fn rotation_due_figures(
    models: &crate::models::Models,
    as_of: chrono::NaiveDate,
) -> Vec<Figure> {
    let mut out = Vec::new();
    let mut total = 0u32;
    for u in models.units.model.units.values() {
        let due = u.hot_posts(as_of).iter().filter(|h| h.due).count() as u32;
        if due > 0 {
            out.push(Figure::new(
                "rotation",
                "hot_posts_due",
                u.unit_id.clone(),
                f64::from(due),
            ));
            total += due;
        }
    }
    out.push(Figure::new(
        "rotation",
        "hot_posts_due",
        "",
        f64::from(total),
    ));
    out
}
