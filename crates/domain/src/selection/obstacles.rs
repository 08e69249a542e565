//! The one place a selection case calls the promotion rules: the obstacles they find for a candidate on a date.

use chrono::NaiveDate;

use super::events::Obstacle;
use crate::{cadre, policy::Policy, promotion};

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
