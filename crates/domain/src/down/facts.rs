//! The facts a `down` decision reads: the cadres it names, the post a decision moves a cadre to and the reviewed cadre's record, the grade that required it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Method, TargetPost};
use crate::{
    avoidance::RelativeFact, cadre, context::Context, error::DomainError, practice::Cadres,
    staffing::QuotaFact, unit::PostFact,
};

/// What the application knows of the post a decision names and of the move onto it: the post
/// (if it exists), the cadres who hold it now, the reviewed cadre's relatives with their posts
/// (回避) and the quota (职数) in force for the post's unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetFact {
    pub post: Option<PostFact>,
    pub holders: Vec<String>,
    #[serde(default)]
    pub relatives: Vec<RelativeFact>,
    #[serde(default)]
    pub quota: Option<QuotaFact>,
    /// For a move dated before today: the unit's leadership posts held over time and its quota
    /// versions (`cadre::Facts::unit_history`).
    #[serde(default)]
    pub history: Option<crate::staffing::UnitHistory>,
}

impl TargetFact {
    /// The same facts as the cadre's record reads them when the decision is carried out.
    pub fn cadre_facts(&self) -> cadre::Facts {
        cadre::Facts {
            post: self.post.clone(),
            post_holders: self.holders.clone(),
            relatives: self.relatives.clone(),
            post_quota: self.quota.clone(),
            unit_history: self.history.clone(),
            ..cadre::Facts::default()
        }
    }
}

/// Facts a `down` decision needs: the cadres named, and the post a decision names.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub cadres: Cadres,
    pub target: Option<TargetFact>,
    /// For a review opened on a 不称职 year: the date that grade raised it on the cadre's
    /// record (the review is due that many days after the grade, not after the opening).
    pub required_on: Option<NaiveDate>,
    /// For a review opened on a 不称职 year or citing a 双考 evaluation: the cadre's folded
    /// record (the year's grade, its evaluations).
    pub subject: Option<crate::cadre::State>,
}

impl From<Cadres> for Facts {
    fn from(cadres: Cadres) -> Self {
        Facts {
            cadres,
            target: None,
            required_on: None,
            subject: None,
        }
    }
}

/// What the decision's method leaves the reviewed cadre with, checked on their record
/// (`Facts::subject`) by the same rules as when it is carried out ([`cadre::check_down`]): a
/// 改任职级 keeps a 职级; a 逆向调整岗位 moves to a vacant post, not one held, not above the
/// cadre's level, passing 回避, the reappointment bars and the 职数.
pub fn check_target(
    method: Method,
    target: Option<&TargetPost>,
    facts: &Facts,
    cadre_id: &str,
    decision_ref: &str,
    ctx: &Context<'_>,
) -> Result<(), DomainError> {
    if method == Method::EarlyExit {
        return Ok(());
    }
    let Some(subject) = facts.subject.as_ref().filter(|s| s.cadre_id == cadre_id) else {
        return Err(DomainError::not_found(
            "CADRE_NOT_FOUND",
            format!("{}被拒绝: 干部「{cadre_id}」的档案不存在", method.zh()),
        ));
    };
    let facts = facts.target.clone().unwrap_or_default().cadre_facts();
    cadre::check_down(subject, method, target, &facts, decision_ref, ctx).map(|_| ())
}
