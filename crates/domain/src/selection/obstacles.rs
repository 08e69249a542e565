//! The one place a selection case calls the promotion rules: the obstacles they find for a candidate on a date.

use chrono::NaiveDate;

use super::events::Obstacle;
use crate::{cadre, error::DomainError, policy::Policy, promotion};

/// Every rule of `promotion` that blocks the candidate's next rank on `on`, as recorded by an
/// inspection. The rank promotion's own public notice is left out (the case has its 任前公示);
/// a candidate with no next rank on the ladder has no time rule to meet.
pub fn promotion_obstacles(state: &cadre::State, on: NaiveDate, policy: &Policy) -> Vec<Obstacle> {
    let Some(next) = state.rank.and_then(|rank| {
        policy
            .promotion
            .ladder
            .iter()
            .find(|s| s.from == rank)
            .map(|s| s.to)
    }) else {
        return Vec::new();
    };
    match promotion::obstacles(state, next, on, policy) {
        Ok((_, found)) => found
            .into_iter()
            .filter(|o| o.code != "PROMOTION_PUBLIC_NOTICE")
            .map(|o| Obstacle {
                code: o.code.to_owned(),
                message: o.message,
                lifts_on: o.lifts_on,
            })
            .collect(),
        Err(e) => vec![Obstacle {
            code: e.code().to_owned(),
            message: e.message().to_owned(),
            lifts_on: None,
        }],
    }
}

/// What stands in the way of moving a candidate onto a post on `on`, checked when the committee
/// decides and again when the document is issued (the record may have changed between): dismissed
/// or under investigation bars every appointment of the case; a sanction's or an admonition's
/// effect period bars a promotion (`promotion`: the post's level above the cadre's). The rules are
/// those of `promotion::standing_obstacles`, refused with their codes, every one found at once.
pub(super) fn standing_refusal(
    state: &cadre::State,
    on: NaiveDate,
    promotion: bool,
    action: &str,
) -> Result<(), DomainError> {
    let found: Vec<crate::obstacle::Obstacle> = promotion::standing_obstacles(state, on)
        .into_iter()
        .filter(|o| {
            promotion
                || matches!(
                    o.code,
                    "CADRE_DISMISSED" | "CADRE_EXPELLED" | "PROMOTION_UNDER_INVESTIGATION"
                )
        })
        .map(|mut o| {
            let why = o
                .message
                .strip_prefix("晋升职级被拒绝: ")
                .unwrap_or(&o.message)
                .to_owned();
            o.message = if why.contains(&state.who()) {
                format!("{action}被拒绝: {why}")
            } else {
                format!("{action}被拒绝: {} {why}", state.who())
            };
            o
        })
        .collect();
    match DomainError::blocked(found) {
        Some(refusal) => Err(refusal),
        None => Ok(()),
    }
}
