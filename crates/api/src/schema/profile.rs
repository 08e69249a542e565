//! Typed sections of a cadre profile: promotion points (职级晋升积分) with their breakdown, and supervision counts by source and category.

use async_graphql::SimpleObject;
use dossier_domain::{lead, points, supervision};

use crate::schema::{
    care::{LeadCategory, PartnerAgency, SupervisionKind, SupervisionSource},
    command::mirror_enum,
    decisions::FrontLineField,
};

mirror_enum! {
    /// What a line of the points breakdown is for.
    PointsCategory => points::PointsCategory {
        /// 年度考核等次
        Grade,
        /// 奖励
        Award,
        /// 处分 (negative)
        Sanction,
        /// 任现职级年限
        Seniority,
        /// 一线领域加权 (the extra over the results)
        FrontLine,
    }
}

/// One line of the points breakdown.
#[derive(SimpleObject)]
pub struct PointsItem {
    pub category: PointsCategory,
    /// Chinese description, e.g. "2023 年度考核优秀".
    pub label: String,
    /// The year it counts for (none for seniority and the front-line extra).
    pub year: Option<i32>,
    pub points: f64,
}

/// A cadre's promotion points on the profile's date: the total is the sum of the items.
#[derive(SimpleObject)]
pub struct Points {
    /// Rounded to two decimals.
    pub total: f64,
    pub items: Vec<PointsItem>,
    /// The counted years, oldest first.
    pub counted_years: Vec<i32>,
    /// The front-line field the cadre works in, if any.
    pub field: Option<FrontLineField>,
    /// The multiplier applied to grades and awards (1 outside the front line).
    pub multiplier: f64,
}

impl From<&points::Points> for Points {
    fn from(p: &points::Points) -> Self {
        Points {
            total: p.total,
            items: p
                .items
                .iter()
                .map(|i| PointsItem {
                    category: i.category.into(),
                    label: i.label.clone(),
                    year: i.year,
                    points: i.points,
                })
                .collect(),
            counted_years: p.years.clone(),
            field: p.field.map(Into::into),
            multiplier: p.multiplier,
        }
    }
}

/// Supervision records of one source and category on a cadre (counts only; the records
/// themselves are read through `supervisionRecords`). An entry recorded by 组织部 or a
/// 纪检派驻组 has `entrySource` and `entryKind`; a lead transferred by a partner agency
/// has `leadAgency` and `leadCategory`.
#[derive(SimpleObject)]
pub struct SupervisionCount {
    /// The source key: `org_section`, `discipline_group`, or `lead:<agency>` (e.g. `lead:police`).
    pub source: String,
    /// The category key: an entry kind (e.g. `daily_conduct`) or a lead category (e.g. `discipline_law`).
    pub category: String,
    pub count: u32,
    pub entry_source: Option<SupervisionSource>,
    pub entry_kind: Option<SupervisionKind>,
    pub lead_agency: Option<PartnerAgency>,
    pub lead_category: Option<LeadCategory>,
}

impl From<&dossier_projections::profile::SupervisionCount> for SupervisionCount {
    fn from(s: &dossier_projections::profile::SupervisionCount) -> Self {
        let mut out = SupervisionCount {
            source: s.source.clone(),
            category: s.category.clone(),
            count: s.count,
            entry_source: None,
            entry_kind: None,
            lead_agency: None,
            lead_category: None,
        };
        if let Some(agency) = s.source.strip_prefix("lead:") {
            out.lead_agency = parse_key::<lead::PartnerAgency>(agency).map(Into::into);
            out.lead_category = parse_key::<lead::Category>(&s.category).map(Into::into);
        } else {
            out.entry_source = parse_key::<supervision::Source>(&s.source).map(Into::into);
            out.entry_kind = parse_key::<supervision::EntryKind>(&s.category).map(Into::into);
        }
        out
    }
}

/// A domain value from its snake_case key (as the read models store it).
pub(crate) fn parse_key<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(key.to_owned())).ok()
}
