//! A `down` review after it is opened: findings, the committee decision with exactly one method, its execution, or closing without action.

use chrono::NaiveDate;

use super::{
    CloseWithoutAction, ClosedWithoutAction, Decide, Decided, Event, Execute, Executed, Facts,
    FindingsRecorded, Method, RecordFindings, Review, State, Status, check_target,
};
use crate::{context::Context, error::DomainError, practice};

/// Record the reverse-evaluation findings and the situation (revisable until decided).
pub(super) fn record_findings(
    state: &State,
    c: &RecordFindings,
    on: NaiveDate,
) -> Result<Vec<Event>, DomainError> {
    let review = review_in(state, &c.review_id, Status::Open, "记录研判结论")?;
    practice::non_empty(&c.findings, "反向研判结论")?;
    practice::not_before(on, review.opened_on, "记录研判结论", "启动研判")?;
    Ok(vec![Event::FindingsRecorded(FindingsRecorded {
        review_id: c.review_id.clone(),
        cadre_id: review.cadre_id.clone(),
        situation: c.situation,
        findings: c.findings.trim().to_owned(),
        recorded_on: on,
    })])
}

/// Record the committee decision: one method, with the vacant post a 逆向调整岗位 moves the cadre
/// to, checked on the cadre's record as its execution will be (`check_target`).
pub(super) fn decide(
    state: &State,
    c: &Decide,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let on = ctx.effective;
    let review = review_in(state, &c.review_id, Status::Open, "作出调整决定")?;
    let Some(situation) = review.situation else {
        return Err(DomainError::refused(
            "DOWN_SITUATION_REQUIRED",
            format!(
                "作出调整决定被拒绝: 干部「{}」尚未记录反向研判结论及适用的不适宜担任现职情形",
                review.cadre_id
            ),
        ));
    };
    if c.decision_ref.trim().is_empty() {
        return Err(DomainError::invalid(
            "DOWN_DECISION_REF_REQUIRED",
            "区委常委会调整决定必须写明文号",
        ));
    }
    let [method] = c.methods.as_slice() else {
        let named: Vec<&str> = c.methods.iter().map(|m| m.zh()).collect();
        return Err(DomainError::invalid(
            "DOWN_EXACTLY_ONE_METHOD",
            format!(
                "调整决定必须在「改任职级」「提前退出领导岗位」「逆向调整岗位」中恰好选择一种, 收到 {} 种{}",
                named.len(),
                if named.is_empty() {
                    String::new()
                } else {
                    format!(": {}", named.join("、"))
                }
            ),
        ));
    };
    if let Some(findings_on) = review.findings_on {
        practice::not_before(on, findings_on, "调整决定", "研判结论")?;
    }
    match (method, &c.to_post) {
        (Method::ReverseAdjustment, None) => {
            return Err(DomainError::invalid(
                "DOWN_TARGET_POST_REQUIRED",
                "逆向调整岗位的决定必须写明调整到的单位和岗位",
            ));
        }
        (other, Some(_)) if *other != Method::ReverseAdjustment => {
            return Err(DomainError::invalid(
                "DOWN_TARGET_POST_UNEXPECTED",
                format!(
                    "「{}」不调整到其他岗位, 只有「逆向调整岗位」写明调整到的岗位",
                    other.zh()
                ),
            ));
        }
        (_, _) => {}
    }
    check_target(
        *method,
        c.to_post.as_ref(),
        facts,
        &review.cadre_id,
        &c.decision_ref,
        ctx,
    )?;
    Ok(vec![Event::Decided(Decided {
        review_id: c.review_id.clone(),
        cadre_id: review.cadre_id.clone(),
        unit_id: review.unit_id.clone(),
        situation,
        method: *method,
        decision_ref: c.decision_ref.trim().to_owned(),
        decided_on: on,
        to_post: c.to_post.clone(),
    })])
}

/// Record that the decision was carried out, checked again on the cadre's record as it is now
/// (its post, if any, still vacant for the cadre).
pub(super) fn execute(
    state: &State,
    c: &Execute,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let on = ctx.effective;
    let review = review_in(state, &c.review_id, Status::Decided, "执行调整决定")?;
    if let Some(decided_on) = review.decided_on {
        practice::not_before(on, decided_on, "执行", "调整决定")?;
    }
    let Some(method) = review.method else {
        return Err(not_in(review, Status::Decided, "执行调整决定"));
    };
    let decision_ref = review.decision_ref.as_deref().unwrap_or_default();
    check_target(
        method,
        review.to_post.as_ref(),
        facts,
        &review.cadre_id,
        decision_ref,
        ctx,
    )?;
    Ok(vec![Event::Executed(Executed {
        review_id: c.review_id.clone(),
        cadre_id: review.cadre_id.clone(),
        method,
        note: c.note.trim().to_owned(),
        executed_on: on,
        decision_ref: review.decision_ref.clone(),
        decided_on: review.decided_on,
        to_post: review.to_post.clone(),
    })])
}

/// Close the review without adjustment, before any decision.
pub(super) fn close_without_action(
    state: &State,
    c: &CloseWithoutAction,
    on: NaiveDate,
) -> Result<Vec<Event>, DomainError> {
    let review = review_in(state, &c.review_id, Status::Open, "不予调整结案")?;
    practice::non_empty(&c.reason, "不予调整的理由")?;
    practice::not_before(on, review.opened_on, "结案", "启动研判")?;
    Ok(vec![Event::ClosedWithoutAction(ClosedWithoutAction {
        review_id: c.review_id.clone(),
        cadre_id: review.cadre_id.clone(),
        reason: c.reason.trim().to_owned(),
        closed_on: on,
    })])
}

fn not_in(review: &Review, wanted: Status, action: &str) -> DomainError {
    DomainError::refused(
        "DOWN_STATUS",
        format!(
            "{action}被拒绝: 干部「{}」的研判当前为「{}」, 只有「{}」时才能办理",
            review.cadre_id,
            review.status.zh(),
            wanted.zh()
        ),
    )
}

fn review_in<'s>(
    state: &'s State,
    review_id: &str,
    wanted: Status,
    action: &str,
) -> Result<&'s Review, DomainError> {
    let review = state.review.as_ref().ok_or_else(|| {
        practice::not_started("DOWN_REVIEW_NOT_FOUND", "“能上能下”研判", review_id)
    })?;
    if review.status != wanted {
        return Err(not_in(review, wanted, action));
    }
    Ok(review)
}
