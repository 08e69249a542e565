//! 动议: the posts to fill, the candidate pool, and the unit's vacancy against its approved post count (职数).

use super::{Event, Facts, Move, Moved, QuotaCheck, State, TargetPost, guards::record_ok};
use crate::{
    context::{Context, ORG},
    error::DomainError,
    practice,
    staffing::Tier,
};

pub(super) fn move_case(
    state: &State,
    c: &Move,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    if state.stage.is_some() {
        return Err(practice::already_exists(
            "SELECTION_EXISTS",
            "选任案件",
            &c.case_id,
        ));
    }
    ctx.require_role(ORG, "动议")?;
    let on = ctx.effective;
    practice::not_future(on, ctx, "动议日期")?;
    practice::non_empty(&c.case_id, "案件编号")?;
    practice::non_empty(&c.proposer, "动议提出人")?;
    record_ok(&c.record)?;
    let unit_name = facts.unit_name.clone().ok_or_else(|| {
        DomainError::not_found(
            "UNIT_NOT_FOUND",
            format!("动议被拒绝: 单位「{}」不存在", c.unit_id),
        )
    })?;
    if c.post_ids.is_empty() {
        return Err(DomainError::invalid("EMPTY_FIELD", "「拟任职位」不能为空"));
    }
    if c.pool.is_empty() {
        return Err(DomainError::invalid("EMPTY_FIELD", "「人选范围」不能为空"));
    }
    practice::no_duplicates(&c.post_ids, "拟任职位", Clone::clone)?;
    practice::no_duplicates(&c.pool, "人选范围", Clone::clone)?;
    for id in &c.pool {
        facts.cadre(id)?;
    }
    let mut posts = Vec::new();
    for post_id in &c.post_ids {
        let post = facts.post(&c.unit_id, post_id, "", "动议")?;
        // One case at a time fills a post.
        if let Some(other) = facts
            .open_cases
            .iter()
            .find(|o| o.case_id != c.case_id && o.posts.iter().any(|p| p.post_id == *post_id))
        {
            return Err(DomainError::refused(
                "SELECTION_POST_IN_OPEN_CASE",
                format!(
                    "动议被拒绝: {unit_name}（{}）的岗位「{}」已在选任案件「{}」中动议且该案尚未任职或终止",
                    c.unit_id, post.title, other.case_id
                ),
            ));
        }
        let level = post.leadership_level.ok_or_else(|| {
            DomainError::refused(
                "SELECTION_NOT_LEADERSHIP_POST",
                format!(
                    "动议被拒绝: 岗位「{}」不是领导职务, 不经选任程序",
                    post.title
                ),
            )
        })?;
        posts.push(TargetPost {
            post_id: post.post_id.clone(),
            title: post.title.clone(),
            level,
        });
    }
    let quota = facts.quota.as_ref().ok_or_else(|| {
        DomainError::refused(
            "SELECTION_NO_QUOTA",
            format!("动议被拒绝: 单位「{unit_name}」尚未核定领导职数, 无法确认空缺"),
        )
    })?;
    let mut checks = Vec::new();
    let mut exception = None;
    for tier in Tier::ALL {
        let filling = posts.iter().filter(|p| Tier::of(p.level) == tier).count() as u32;
        if filling == 0 {
            continue;
        }
        // The places the unit's other open cases are filling count as taken.
        let pending: Vec<(&str, u32)> = facts
            .open_cases
            .iter()
            .filter(|o| o.case_id != c.case_id)
            .map(|o| {
                let n = o.posts.iter().filter(|p| Tier::of(p.level) == tier).count() as u32;
                (o.case_id.as_str(), n)
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        let others: u32 = pending.iter().map(|(_, n)| n).sum();
        let checked = quota
            .check(tier, filling + others, c.quota_exception.as_deref(), "动议")
            .map_err(|e| {
                if others == 0 {
                    return e;
                }
                let cases: Vec<String> = pending
                    .iter()
                    .map(|(id, n)| format!("选任案件「{id}」{n} 名"))
                    .collect();
                DomainError::refused(
                    e.code(),
                    format!(
                        "{} (再配备的名额含正在选配的 {})",
                        e.message(),
                        cases.join("、")
                    ),
                )
            })?;
        if let Some(approval) = checked {
            exception = Some(approval);
        }
        checks.push(QuotaCheck {
            tier,
            approved: quota.approved(tier),
            filled: quota.filled(tier),
            filling,
        });
    }
    Ok(vec![Event::Moved(Moved {
        case_id: c.case_id.clone(),
        unit_id: c.unit_id.clone(),
        unit_name,
        proposer: c.proposer.trim().to_owned(),
        meeting: c.meeting,
        posts,
        pool: c.pool.clone(),
        quota: checks,
        quota_exception: exception,
        moved_on: on,
        record: c.record.clone(),
    })])
}
