//! Rotation and reappointment lists: who is due to rotate on a date (the leadership 10-year rule, hot and sensitive posts at their limit) and who may not be reappointed (two full terms, 15 years at one level), by the domain's `tenure` rules over the read models.

use chrono::NaiveDate;
use dossier_domain::{
    tenure::{self, DueReason},
    unit::PostFact,
};
use serde::Serialize;

use crate::{
    models::Models,
    units::{PostView, UnitView},
};

/// A holder due to rotate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RotationDue {
    pub unit_id: String,
    pub unit_name: String,
    pub post_id: String,
    pub title: String,
    pub cadre_id: String,
    pub name: String,
    pub since: NaiveDate,
    /// The limit that applies (the tightest) and why.
    pub reason: DueReason,
    pub limit_years: u32,
    pub years_in_post: u32,
    /// The date the holder became due.
    pub due_on: NaiveDate,
}

/// A holder who may not be reappointed to their post, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReappointmentBar {
    pub unit_id: String,
    pub post_id: String,
    pub title: String,
    pub cadre_id: String,
    pub name: String,
    /// `REAPPOINTMENT_TWO_TERMS` or `REAPPOINTMENT_LEVEL_YEARS`.
    pub code: &'static str,
    /// In Chinese, with the years and the limit.
    pub message: String,
}

/// The post as the domain's rules see it.
fn fact(unit: &UnitView, post: &PostView) -> PostFact {
    PostFact {
        unit_id: unit.unit_id.clone(),
        unit_name: unit.name.clone(),
        post_id: post.post_id.clone(),
        title: post.title.clone(),
        category: post.category,
        leadership_level: post.leadership_level,
        heads_unit: post.heads_unit,
        reports_to: None,
        open: post.open,
        hot_limit_years: post.hot_limit_years,
        business_facing: unit.business_facing,
    }
}

/// Every open post's holder in `models` (of `unit` if given), with the post's fact.
fn holders<'m>(
    models: &'m Models,
    unit: Option<&'m str>,
) -> impl Iterator<Item = (&'m UnitView, PostFact, &'m crate::units::Incumbent)> + 'm {
    models
        .units
        .model
        .units
        .values()
        .filter(move |u| u.registered && unit.is_none_or(|id| u.unit_id == id))
        .flat_map(|u| {
            u.posts
                .values()
                .filter(|p| p.open)
                .flat_map(move |p| p.incumbents.iter().map(move |i| (u, fact(u, p), i)))
        })
}

fn name_of(models: &Models, cadre_id: &str) -> String {
    models
        .profiles
        .model
        .rec(cadre_id)
        .map(|r| r.name.to_string())
        .unwrap_or_default()
}

/// Every holder at or past a tenure limit on `on`, by unit then the date they became due.
pub fn rotation_due(models: &Models, on: NaiveDate, unit: Option<&str>) -> Vec<RotationDue> {
    let policy = models.policies.model.in_force(on);
    let mut out: Vec<RotationDue> = holders(models, unit)
        .filter_map(|(u, post, inc)| {
            let due = tenure::due(&post, inc.since, on, &policy.tenure)?;
            (on >= due.due_on).then(|| RotationDue {
                unit_id: u.unit_id.clone(),
                unit_name: u.name.clone(),
                post_id: post.post_id.clone(),
                title: post.title.clone(),
                cadre_id: inc.cadre_id.clone(),
                name: name_of(models, &inc.cadre_id),
                since: inc.since,
                reason: due.reason,
                limit_years: due.limit_years,
                years_in_post: due.years_in_post,
                due_on: due.due_on,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.unit_id.as_str(), a.due_on, a.cadre_id.as_str()).cmp(&(
            b.unit_id.as_str(),
            b.due_on,
            b.cadre_id.as_str(),
        ))
    });
    out
}

/// Every holder whom the reappointment rules bar from their post on `on`, by unit.
pub fn reappointment_bars(
    models: &Models,
    on: NaiveDate,
    unit: Option<&str>,
) -> Vec<ReappointmentBar> {
    let policy = models.policies.model.in_force(on);
    let states = &models.cadre_states.model;
    let mut out: Vec<ReappointmentBar> = holders(models, unit)
        .filter_map(|(u, post, inc)| {
            let state = states.get(&inc.cadre_id)?;
            let refusal = tenure::reappointment(state, &post, on, &policy.tenure).err()?;
            Some(ReappointmentBar {
                unit_id: u.unit_id.clone(),
                post_id: post.post_id.clone(),
                title: post.title.clone(),
                cadre_id: inc.cadre_id.clone(),
                name: state.name.clone(),
                code: refusal.code(),
                message: refusal.message().to_owned(),
            })
        })
        .collect();
    out.sort_by(|a, b| (&a.unit_id, &a.cadre_id).cmp(&(&b.unit_id, &b.cadre_id)));
    out
}
