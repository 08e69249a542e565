//! Events of a `down` stream: the review opened, its findings, the committee decision, its execution or its closing without action.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Method, Situation, TargetPost, Trigger};

/// A review was opened; `due_on` is when it should be decided (policy `reminders.down_review_due_days`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    pub review_id: String,
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub trigger: Trigger,
    /// The assessment year of the 不称职 grade that triggered it.
    pub grade_year: Option<i32>,
    pub reason: String,
    pub opened_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    /// The 双考 evaluation of the cadre the review rests on, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_id: Option<String>,
}

/// Reverse-evaluation findings and the situation that applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingsRecorded {
    pub review_id: String,
    pub cadre_id: String,
    pub situation: Situation,
    pub findings: String,
    pub recorded_on: NaiveDate,
}

/// The committee (区委常委会) decided one method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decided {
    pub review_id: String,
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub situation: Situation,
    pub method: Method,
    /// 文号 of the decision.
    pub decision_ref: String,
    pub decided_on: NaiveDate,
    /// 逆向调整岗位: the post the cadre is moved to.
    #[serde(default)]
    pub to_post: Option<TargetPost>,
}

/// The decision was carried out; the cadre's record changes in the same write
/// (`cadre.MovedDown` with the posts ended and, for 逆向调整岗位, the new post).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Executed {
    pub review_id: String,
    pub cadre_id: String,
    pub method: Method,
    pub note: String,
    pub executed_on: NaiveDate,
    /// The decision's 文号 (the basis of the change to the cadre's record).
    #[serde(default)]
    pub decision_ref: Option<String>,
    #[serde(default)]
    pub decided_on: Option<NaiveDate>,
    /// 逆向调整岗位: the post the cadre is moved to.
    #[serde(default)]
    pub to_post: Option<TargetPost>,
}

/// The review ended without adjustment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosedWithoutAction {
    pub review_id: String,
    pub cadre_id: String,
    pub reason: String,
    pub closed_on: NaiveDate,
}

crate::event_set! {
    /// Events of a `down` stream.
    pub enum Event {
        Opened(Opened) = "down.Opened" @ 1,
        FindingsRecorded(FindingsRecorded) = "down.FindingsRecorded" @ 1,
        Decided(Decided) = "down.Decided" @ 1,
        Executed(Executed) = "down.Executed" @ 1,
        ClosedWithoutAction(ClosedWithoutAction) = "down.ClosedWithoutAction" @ 1,
    }
}
