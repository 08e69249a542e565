//! Obstacles: one rule standing in the way of a decision, with its values, and the date time alone lifts it.

use chrono::NaiveDate;
use serde::Serialize;

/// One failing rule. A refusal that checks several rules carries every obstacle found
/// ([`crate::DomainError::Blocked`]), not only the first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Obstacle {
    /// The rule's English code, e.g. `PROMOTION_MIN_YEARS`.
    pub code: &'static str,
    /// In Chinese, naming the values and what would satisfy the rule.
    pub message: String,
    /// The first date on which this obstacle is gone by the passing of time alone (years
    /// served, the end of an effect period); `None` when it needs an act (a 公示, a grade, a
    /// closed investigation, a decision).
    pub lifts_on: Option<NaiveDate>,
}

impl Obstacle {
    /// An obstacle that only an act can remove.
    pub fn needs_act(code: &'static str, message: impl Into<String>) -> Self {
        Obstacle {
            code,
            message: message.into(),
            lifts_on: None,
        }
    }

    /// An obstacle that is gone on `lifts_on` if nothing else changes.
    pub fn lifts(code: &'static str, message: impl Into<String>, lifts_on: NaiveDate) -> Self {
        Obstacle {
            code,
            message: message.into(),
            lifts_on: Some(lifts_on),
        }
    }
}

/// The first date every obstacle is lifted by time alone: the latest `lifts_on`, or `None`
/// when one of them needs an act. An empty list lifts on no particular date (`None`).
pub fn all_lift_on(obstacles: &[Obstacle]) -> Option<NaiveDate> {
    obstacles
        .iter()
        .map(|o| o.lifts_on)
        .try_fold(None, |acc: Option<NaiveDate>, l| {
            l.map(|l| Some(acc.map_or(l, |a| a.max(l))))
        })
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_list_lifts_when_its_last_obstacle_does_and_never_when_one_needs_an_act() {
        let a = Obstacle::lifts("A", "a", d(2027, 1, 1));
        let b = Obstacle::lifts("B", "b", d(2027, 3, 1));
        let c = Obstacle::needs_act("C", "c");
        assert_eq!(all_lift_on(&[a.clone(), b.clone()]), Some(d(2027, 3, 1)));
        assert_eq!(all_lift_on(&[a, c, b]), None);
        assert_eq!(all_lift_on(&[]), None);
    }
}
