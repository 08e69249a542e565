//! A unit's typed posts: each post with its incumbents, the vacancies (空缺) and the hot posts (热点岗位) with their holders' tenure.

use async_graphql::SimpleObject;
use dossier_projections::units as u;

use crate::schema::{
    people::{LeadershipLevel, PostCategory},
    scalars::Date,
};

/// Who holds a post and since when.
#[derive(SimpleObject)]
pub struct Incumbent {
    pub cadre_id: String,
    pub since: Date,
}

/// One post of a unit.
#[derive(SimpleObject)]
pub struct UnitPost {
    pub post_id: String,
    pub title: String,
    pub category: PostCategory,
    pub leadership_level: Option<LeadershipLevel>,
    pub heads_unit: bool,
    /// Still open (not closed).
    pub open: bool,
    /// 热点岗位: the tenure limit in years (none for an ordinary post).
    pub hot_limit_years: Option<u32>,
    pub incumbents: Vec<Incumbent>,
}

impl From<&u::PostView> for UnitPost {
    fn from(p: &u::PostView) -> Self {
        UnitPost {
            post_id: p.post_id.clone(),
            title: p.title.clone(),
            category: p.category.into(),
            leadership_level: p.leadership_level.map(Into::into),
            heads_unit: p.heads_unit,
            open: p.open,
            hot_limit_years: p.hot_limit_years,
            incumbents: p
                .incumbents
                .iter()
                .map(|i| Incumbent {
                    cadre_id: i.cadre_id.clone(),
                    since: Date(i.since),
                })
                .collect(),
        }
    }
}

/// A hot post's holder and their tenure on the unit view's date.
#[derive(SimpleObject)]
pub struct HotPostTenure {
    pub post_id: String,
    pub title: String,
    pub cadre_id: String,
    pub since: Date,
    pub limit_years: u32,
    /// Whole years in the post on the date.
    pub years: u32,
    /// At or past the limit: due to rotate.
    pub due: bool,
}

impl From<u::HotPostTenure> for HotPostTenure {
    fn from(h: u::HotPostTenure) -> Self {
        HotPostTenure {
            post_id: h.post_id,
            title: h.title,
            cadre_id: h.cadre_id,
            since: Date(h.since),
            limit_years: h.limit_years,
            years: h.years,
            due: h.due,
        }
    }
}

/// A unit and its posts on a date.
#[derive(SimpleObject)]
pub struct UnitView {
    pub unit_id: String,
    pub name: String,
    pub parent_unit_id: Option<String>,
    pub business_facing: bool,
    /// The date the tenure figures are counted to.
    pub as_of: Date,
    /// Every post, open and closed, with its incumbents.
    pub posts: Vec<UnitPost>,
    /// Open posts without an incumbent (空缺).
    pub vacancies: Vec<UnitPost>,
    /// Holders of the unit's open hot posts with their tenure on `asOf`.
    pub hot_posts: Vec<HotPostTenure>,
}

impl UnitView {
    /// The view of `unit` with tenure counted to `on`.
    pub fn new(unit: &u::UnitView, on: chrono::NaiveDate) -> Self {
        UnitView {
            unit_id: unit.unit_id.clone(),
            name: unit.name.clone(),
            parent_unit_id: unit.parent_unit_id.clone(),
            business_facing: unit.business_facing,
            as_of: Date(on),
            posts: unit.posts.values().map(UnitPost::from).collect(),
            vacancies: unit.vacancies().into_iter().map(UnitPost::from).collect(),
            hot_posts: unit
                .hot_posts(on)
                .into_iter()
                .map(HotPostTenure::from)
                .collect(),
        }
    }
}
