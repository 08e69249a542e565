//! 任职回避 (公务员回避规定): relatives may not serve in a direct reporting line (one post
//! leading the other, or both directly under the same leader), nor hold
//! 组织/人事/纪检/监察/审计/财务 posts in a body the other leads.

use serde::{Deserialize, Serialize};

use crate::{error::DomainError, policy::TenurePolicy, types::Relation, unit::PostFact};

/// A relative of the cadre (either side of the family record) and the posts they hold,
/// loaded by the application from the relative's own cadre stream and its units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelativeFact {
    pub cadre_id: String,
    pub name: String,
    pub relation: Relation,
    pub posts: Vec<PostFact>,
}

fn restricted(post: &PostFact, policy: &TenurePolicy) -> bool {
    policy
        .avoidance_categories
        .iter()
        .any(|c| c == post.category.zh())
}

/// The post directly above `post` in its unit: the post it names (`reports_to`); for a deputy
/// leadership post that names none, the unit's head (副职 under 正职), which the unit's facts
/// resolve to the head post when they know it (`unit::State::post_fact`). A non-leadership post
/// that names none has no known direct leader.
#[derive(Debug, PartialEq, Eq)]
enum Superior<'p> {
    Post(&'p str),
    UnitHead,
}

fn superior(post: &PostFact) -> Option<Superior<'_>> {
    match post.reports_to.as_deref() {
        Some(to) => Some(Superior::Post(to)),
        None if !post.heads_unit && post.leadership_level.is_some() => Some(Superior::UnitHead),
        None => None,
    }
}

/// Does `upper` directly lead `lower` (both in one unit)? `upper` is the superior of `lower`
/// ([`superior`]).
fn leads(upper: &PostFact, lower: &PostFact) -> bool {
    match superior(lower) {
        Some(Superior::Post(to)) => to == upper.post_id,
        Some(Superior::UnitHead) => upper.heads_unit,
        None => false,
    }
}

/// [`check`] for the move of one cadre, named `who` (名（id）): the refusal names both the cadre
/// moved and the relative.
pub fn check_for(
    who: &str,
    post: &PostFact,
    relatives: &[RelativeFact],
    policy: &TenurePolicy,
) -> Result<(), DomainError> {
    check(post, relatives, policy).map_err(|e| {
        let why = e.message();
        let why = why.strip_prefix("任职回避: ").unwrap_or(why);
        DomainError::refused(
            e.code(),
            format!(
                "任职回避: {who} 拟任{}（{}）「{}」; {why}",
                post.unit_name, post.unit_id, post.title
            ),
        )
    })
}

/// Check an appointment to `post` against the relatives' posts.
pub fn check(
    post: &PostFact,
    relatives: &[RelativeFact],
    policy: &TenurePolicy,
) -> Result<(), DomainError> {
    for relative in relatives {
        for theirs in &relative.posts {
            if theirs.unit_id != post.unit_id {
                continue;
            }
            if let Some(above) = superior(post)
                && superior(theirs).as_ref() == Some(&above)
                && post.post_id != theirs.post_id
            {
                let above = match above {
                    Superior::Post(id) => id.to_owned(),
                    Superior::UnitHead => "主要负责人".to_owned(),
                };
                return Err(DomainError::refused(
                    "AVOIDANCE_SAME_SUPERIOR",
                    format!(
                        "任职回避: {}（{}）({}) 任{}「{}」, 与拟任岗位「{}」直接隶属于同一领导岗位「{above}」",
                        relative.name,
                        relative.cadre_id,
                        relative.relation.zh(),
                        theirs.unit_name,
                        theirs.title,
                        post.title
                    ),
                ));
            }
            if leads(post, theirs) || leads(theirs, post) {
                return Err(DomainError::refused(
                    "AVOIDANCE_REPORTING_LINE",
                    format!(
                        "任职回避: {}（{}）({}) 任{}「{}」, 与拟任岗位「{}」为直接上下级关系",
                        relative.name,
                        relative.cadre_id,
                        relative.relation.zh(),
                        theirs.unit_name,
                        theirs.title,
                        post.title
                    ),
                ));
            }
            let restricted_under_relative = theirs.heads_unit && restricted(post, policy);
            let relative_restricted_under_post = post.heads_unit && restricted(theirs, policy);
            if restricted_under_relative || relative_restricted_under_post {
                let (head, sensitive) = if restricted_under_relative {
                    (theirs, post)
                } else {
                    (post, theirs)
                };
                return Err(DomainError::refused(
                    "AVOIDANCE_SENSITIVE_POST",
                    format!(
                        "任职回避: {}（{}）({}) 与本人一方任{}主要负责人「{}」, 另一方不得在该单位担任{}岗位「{}」",
                        relative.name,
                        relative.cadre_id,
                        relative.relation.zh(),
                        head.unit_name,
                        head.title,
                        sensitive.category.zh(),
                        sensitive.title
                    ),
                ));
            }
        }
    }
    Ok(())
}
