//! Where a `down` review stands, and the folded state its events build.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Event, Method, Situation, TargetPost};

/// Where a review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 研判中
    Open,
    /// 已决定 (区委常委会)
    Decided,
    /// 已执行
    Executed,
    /// 不予调整, 已结案
    ClosedWithoutAction,
}

impl Status {
    pub fn zh(self) -> &'static str {
        match self {
            Status::Open => "研判中",
            Status::Decided => "已决定",
            Status::Executed => "已执行",
            Status::ClosedWithoutAction => "不予调整已结案",
        }
    }
}

/// An opened review.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub status: Status,
    pub opened_on: NaiveDate,
    pub situation: Option<Situation>,
    pub findings_on: Option<NaiveDate>,
    pub method: Option<Method>,
    pub decided_on: Option<NaiveDate>,
    pub decision_ref: Option<String>,
    pub to_post: Option<TargetPost>,
}

/// Folded state of a `down` stream.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub review: Option<Review>,
}

/// Fold one event into the state.
pub(super) fn evolve(state: &mut State, event: &Event) {
    match event {
        Event::Opened(e) => {
            state.review = Some(Review {
                cadre_id: e.cadre_id.clone(),
                unit_id: e.unit_id.clone(),
                status: Status::Open,
                opened_on: e.opened_on,
                situation: None,
                findings_on: None,
                method: None,
                decided_on: None,
                decision_ref: None,
                to_post: None,
            });
        }
        Event::FindingsRecorded(e) => {
            if let Some(r) = state.review.as_mut() {
                r.situation = Some(e.situation);
                r.findings_on = Some(e.recorded_on);
            }
        }
        Event::Decided(e) => {
            if let Some(r) = state.review.as_mut() {
                r.status = Status::Decided;
                r.method = Some(e.method);
                r.decided_on = Some(e.decided_on);
                r.decision_ref = Some(e.decision_ref.clone());
                r.to_post = e.to_post.clone();
            }
        }
        Event::Executed(_) => {
            if let Some(r) = state.review.as_mut() {
                r.status = Status::Executed;
            }
        }
        Event::ClosedWithoutAction(_) => {
            if let Some(r) = state.review.as_mut() {
                r.status = Status::ClosedWithoutAction;
            }
        }
    }
}
