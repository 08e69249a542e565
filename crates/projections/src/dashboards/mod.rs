//! Dashboards: small aggregates maintained incrementally, read without recomputation.

pub mod assessment;
pub mod awards;
pub mod care;
pub mod dated;
pub mod down;
pub mod log;
pub mod promotion;
pub mod reserve;
pub mod rotation;
pub mod selection;
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

/// The enum value whose serde name is `key` (the inverse of [`key`]).
pub fn parse_key<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(key.to_owned())).ok()
}

/// A breakdown key of parts joined by `/` (`2024/u001/excellent`), built in one allocation of
/// the exact size: the figures of a district's dashboards hold tens of thousands of such keys,
/// and `format!` (its formatting machinery and the string's regrowth) cost most of the time
/// spent listing them.
pub fn path(parts: &[&str]) -> String {
    let len = parts.iter().map(|p| p.len()).sum::<usize>() + parts.len().saturating_sub(1);
    let mut out = String::with_capacity(len);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(part);
    }
    out
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
    let care = models.care.model.view(&policy, as_of);
    all_figures_with(models, as_of, &policy, &care)
}

/// [`all_figures`] with the policy in force and the care view on `as_of` already worked out
/// (the dated dashboards show that view too, and compute it once).
pub fn all_figures_with(
    models: &crate::models::Models,
    as_of: chrono::NaiveDate,
    policy: &dossier_domain::Policy,
    care: &care::CareView,
) -> Vec<Figure> {
    let mut out = Vec::new();
    out.extend(models.training.model.view.figures());
    for c in models.profiles.model.coverage(policy) {
        let key = path(&[&c.year.to_string(), c.level]);
        out.push(Figure::new(
            "training",
            "hours_trained_cadres",
            key.clone(),
            f64::from(c.trained),
        ));
        out.push(Figure::new(
            "training",
            "hours_requirement_met",
            key,
            f64::from(c.met),
        ));
    }
    let (open, overdue) = models.profiles.model.makeups(as_of);
    out.push(Figure::new(
        "training",
        "makeup_owed_cadres",
        "",
        f64::from(open),
    ));
    out.push(Figure::new(
        "training",
        "makeup_overdue_cadres",
        "",
        f64::from(overdue),
    ));
    out.extend(models.assessment.model.view.figures());
    out.extend(models.awards.model.view().figures());
    out.extend(promotion::figures(&models.promotion.model.years));
    out.extend(models.down.model.view.figures());
    out.extend(models.supervision.model.view.figures());
    out.extend(rotation::figures(&models.rotation.model.years));
    out.extend(rotation_due_figures(models, as_of));
    out.extend(care.figures());
    out.extend(models.log.model.figures());
    out
}

/// Hot posts at or past their tenure limit on `as_of`, by unit (from the unit views).
pub fn rotation_due_figures(
    models: &crate::models::Models,
    as_of: chrono::NaiveDate,
) -> Vec<Figure> {
    // Counted by unit (no holder listed), and kept until a hot post changes.
    let due = models.units.model.due_counts(as_of);
    let mut out: Vec<Figure> = due
        .by_unit
        .iter()
        .map(|(u, n)| Figure::new("rotation", "hot_posts_due", u.as_str(), f64::from(*n)))
        .collect();
    out.push(Figure::new(
        "rotation",
        "hot_posts_due",
        "",
        f64::from(due.total),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::path;

    #[test]
    fn a_path_joins_its_parts_with_slashes_as_format_would() {
        assert_eq!(path(&["2024", "u001", "excellent"]), "2024/u001/excellent");
        assert_eq!(path(&["2024"]), "2024");
        assert_eq!(path(&[]), "");
        assert_eq!(path(&["", "区委组织部"]), "/区委组织部");
        let key = path(&["2024", "区商务局"]);
        assert_eq!(
            key.capacity(),
            key.len(),
            "one allocation of the exact size"
        );
    }
}
