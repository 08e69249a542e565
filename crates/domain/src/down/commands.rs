//! Commands a `down` stream accepts: open a review, record its findings, decide, execute, or close without action.

use super::{Method, Situation, TargetPost, Trigger};

/// Open a review for a cadre.
#[derive(Debug, Clone)]
pub struct Open {
    pub review_id: String,
    pub cadre_id: String,
    pub trigger: Trigger,
    pub grade_year: Option<i32>,
    pub reason: String,
    /// The 双考 evaluation of this cadre the review rests on, if any.
    pub evaluation_id: Option<String>,
}

impl Open {
    /// The review a `cadre.DownReviewRequired` (不称职) asks for.
    pub fn for_incompetent_grade(
        review_id: impl Into<String>,
        required: &crate::cadre::DownReviewRequired,
    ) -> Open {
        Open {
            review_id: review_id.into(),
            cadre_id: required.cadre_id.clone(),
            trigger: Trigger::IncompetentGrade,
            grade_year: Some(required.year),
            reason: required.reason.clone(),
            evaluation_id: None,
        }
    }
}

/// Record reverse-evaluation findings and the situation (may be revised until decided).
#[derive(Debug, Clone)]
pub struct RecordFindings {
    pub review_id: String,
    pub situation: Situation,
    pub findings: String,
}

/// Record the committee decision; `methods` must name exactly one, and 逆向调整岗位 names
/// the post the cadre moves to (`to_post`).
#[derive(Debug, Clone)]
pub struct Decide {
    pub review_id: String,
    pub decision_ref: String,
    pub methods: Vec<Method>,
    pub to_post: Option<TargetPost>,
}

/// Record that the decision was carried out.
#[derive(Debug, Clone)]
pub struct Execute {
    pub review_id: String,
    pub note: String,
}

/// Close the review without adjustment.
#[derive(Debug, Clone)]
pub struct CloseWithoutAction {
    pub review_id: String,
    pub reason: String,
}

/// Commands a `down` stream accepts; each takes effect on the context's effective date.
#[derive(Debug, Clone)]
pub enum Command {
    Open(Open),
    RecordFindings(RecordFindings),
    Decide(Decide),
    Execute(Execute),
    CloseWithoutAction(CloseWithoutAction),
}

impl Command {
    /// The cadres the application must load into [`crate::practice::Cadres`] before deciding.
    pub fn cadre_ids(&self) -> Vec<&str> {
        match self {
            Command::Open(c) => vec![c.cadre_id.as_str()],
            _ => Vec::new(),
        }
    }
}
