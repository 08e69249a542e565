//! 任职年限: years in post, rotation due dates (hot posts, sensitive posts, the leadership 10-year rule)
//! and the reappointment bars (two full terms in one post, 15 years at one level).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{cadre::State, dates, error::DomainError, policy::TenurePolicy, unit::PostFact};

/// Whole years from `since` to `on`.
pub fn years_in_post(since: NaiveDate, on: NaiveDate) -> u32 {
    dates::years_between(since, on)
}

/// Why a holder is due to rotate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueReason {
    /// 热点岗位 at or beyond its own tenure limit.
    HotPost,
    /// 人事/财政/审计 (sensitive category) head at or beyond the district's limit.
    SensitivePost,
    /// A leader at or beyond the years a leader may stay in one post.
    Leadership,
}

impl DueReason {
    pub fn zh(self) -> &'static str {
        match self {
            DueReason::HotPost => "热点岗位任职满限",
            DueReason::SensitivePost => "重要敏感岗位任职满限",
            DueReason::Leadership => "领导干部同一职位任职满限",
        }
    }
}

/// A rotation alert: the limit that applies and whether it is reached on `on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub reason: DueReason,
    pub limit_years: u32,
    pub years_in_post: u32,
    /// The date the limit is (or was) reached.
    pub due_on: NaiveDate,
}

/// The tightest tenure limit that applies to the holder of `post` since `since`:
/// the hot post's own limit, the sensitive-category limit (heads and leaders of 人事/财政/审计),
/// the leadership same-post limit. `None` when no limit applies.
pub fn limit(post: &PostFact, policy: &TenurePolicy) -> Option<(DueReason, u32)> {
    let mut limits = Vec::new();
    if let Some(years) = post.hot_limit_years {
        limits.push((DueReason::HotPost, years));
    }
    let sensitive = policy
        .sensitive_categories
        .iter()
        .any(|c| c == post.category.zh());
    if sensitive && (post.heads_unit || post.leadership_level.is_some()) {
        limits.push((DueReason::SensitivePost, policy.sensitive_post_years));
    }
    if post.leadership_level.is_some() {
        limits.push((DueReason::Leadership, policy.leadership_same_post_years));
    }
    limits.into_iter().min_by_key(|(_, y)| *y)
}

/// The rotation alert for a holder of `post` since `since`, if a limit applies.
pub fn due(post: &PostFact, since: NaiveDate, on: NaiveDate, policy: &TenurePolicy) -> Option<Due> {
    let (reason, limit_years) = limit(post, policy)?;
    Some(Due {
        reason,
        limit_years,
        years_in_post: years_in_post(since, on),
        due_on: dates::add_months(since, limit_years.saturating_mul(12)),
    })
}

/// The holder of `post` since `since` has reached a tenure limit on `on`.
pub fn is_due(post: &PostFact, since: NaiveDate, on: NaiveDate, policy: &TenurePolicy) -> bool {
    due(post, since, on, policy).is_some_and(|d| on >= d.due_on)
}

/// The reappointment bars for appointing the cadre to `post` on `on`:
/// `REAPPOINTMENT_TWO_TERMS` when the months already served in this post make
/// `max_terms_same_post` full terms of `term_years`; `REAPPOINTMENT_LEVEL_YEARS` when the post
/// is at the cadre's current leadership level and the cadre has served
/// `max_years_same_level` years at that level.
pub fn reappointment(
    state: &State,
    post: &PostFact,
    on: NaiveDate,
    policy: &TenurePolicy,
) -> Result<(), DomainError> {
    let term_months = policy.term_years.clamp(1, 1000) * 12;
    let months = state.months_in_post(&post.unit_id, &post.post_id, on);
    let terms = months / term_months;
    if terms >= policy.max_terms_same_post {
        return Err(DomainError::refused(
            "REAPPOINTMENT_TWO_TERMS",
            format!(
                "任职被拒绝: 已任「{}」{} 年, 满 {terms} 个完整任期 (每届 {} 年), 不得再任同一职务 (上限 {} 届)",
                post.title,
                dates::years_label(months),
                policy.term_years,
                policy.max_terms_same_post
            ),
        ));
    }
    if let Some(level) = post
        .leadership_level
        .filter(|l| state.leadership_level == Some(*l))
    {
        let months = state.months_at_level(level, on);
        if months >= policy.max_years_same_level.saturating_mul(12) {
            return Err(DomainError::refused(
                "REAPPOINTMENT_LEVEL_YEARS",
                format!(
                    "任职被拒绝: 在{}层次任职累计 {} 年, 满 {} 年不得再任同一层次领导职务",
                    level.zh(),
                    dates::years_label(months),
                    policy.max_years_same_level
                ),
            ));
        }
    }
    Ok(())
}
