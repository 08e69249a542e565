//! The facts a `down` decision reads: the cadres it names, the post a decision moves a cadre to, the grade that required it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::TargetPost;
use crate::{error::DomainError, practice::Cadres, unit::PostFact};

/// What the application knows of the post a decision names: the post (if it exists) and the
/// cadres who hold it now.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetFact {
    pub post: Option<PostFact>,
    pub holders: Vec<String>,
}

/// Facts a `down` decision needs: the cadres named, and the post a decision names.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub cadres: Cadres,
    pub target: Option<TargetFact>,
    /// For a review opened on a 不称职 year: the date that grade raised it on the cadre's
    /// record (the review is due that many days after the grade, not after the opening).
    pub required_on: Option<NaiveDate>,
    /// For a review citing a 双考 evaluation: the cadre's folded record (its evaluations).
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

/// The post `target` names, vacant for `cadre_id` (see [`crate::unit::vacant_post`]).
pub fn check_target<'f>(
    target: &TargetPost,
    fact: Option<&'f TargetFact>,
    cadre_id: &str,
) -> Result<&'f PostFact, DomainError> {
    let (post, holders) = fact.map_or((None, &[][..]), |f| (f.post.as_ref(), &f.holders[..]));
    crate::unit::vacant_post(target, post, holders, cadre_id, "逆向调整岗位")
}
