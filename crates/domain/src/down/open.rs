//! Opening a `down` review: on reverse evaluation or an 不称职 year, one open review per cadre, due by policy.

use chrono::Days;

use super::{Event, Facts, Open, Opened, State, Trigger};
use crate::{context::Context, error::DomainError, practice, types::Grade};

pub(super) fn open(
    state: &State,
    c: &Open,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let (cadres, required_on) = (&facts.cadres, facts.required_on);
    if state.review.is_some() {
        return Err(practice::already_exists(
            "DOWN_REVIEW_EXISTS",
            "“能上能下”研判",
            &c.review_id,
        ));
    }
    practice::non_empty(&c.review_id, "研判编号")?;
    let grade_year = match (c.trigger, c.grade_year) {
        (Trigger::IncompetentGrade, None) => {
            return Err(DomainError::invalid(
                "DOWN_GRADE_YEAR_REQUIRED",
                "因年度考核不称职启动的研判必须写明考核年度",
            ));
        }
        (Trigger::IncompetentGrade, year) => year,
        (Trigger::ReverseEvaluation, _) => None,
    };
    let cadre = cadres.get(&c.cadre_id)?;
    if let Some(year) = grade_year {
        check_incompetent(c, year, facts.subject.as_ref())?;
    }
    if c.evaluation_id.is_some() {
        let subject = facts
            .subject
            .as_ref()
            .filter(|s| s.registered && s.cadre_id == c.cadre_id)
            .ok_or_else(|| {
                DomainError::not_found(
                    "CADRE_NOT_FOUND",
                    format!("干部「{}」不存在或已不在册", c.cadre_id),
                )
            })?;
        crate::cadre::check_cited(
            subject,
            c.evaluation_id.as_deref(),
            ctx.effective,
            "“能上能下”研判",
        )?;
    }
    if let Some(open) = cadre
        .open_down_review
        .as_deref()
        .filter(|r| *r != c.review_id)
    {
        return Err(DomainError::refused(
            "DOWN_REVIEW_ALREADY_OPEN",
            format!(
                "启动研判被拒绝: 干部「{}」已有未办结的“能上能下”研判 {open}, 同一干部同时只能有一项研判, 请先执行或结案",
                c.cadre_id
            ),
        ));
    }
    // The clock starts when the grade required the review, not when it is opened.
    let clock_from = required_on
        .filter(|_| grade_year.is_some())
        .unwrap_or(ctx.effective);
    let due_on = clock_from.checked_add_days(Days::new(u64::from(
        ctx.policy.reminders.down_review_due_days,
    )));
    Ok(vec![Event::Opened(Opened {
        review_id: c.review_id.clone(),
        cadre_id: c.cadre_id.clone(),
        unit_id: cadre.unit_id.clone(),
        trigger: c.trigger,
        grade_year,
        reason: c.reason.trim().to_owned(),
        opened_on: ctx.effective,
        due_on,
        evaluation_id: c.evaluation_id.clone(),
    })])
}

/// A review opened on a 不称职 year needs that year's grade on the cadre's record to be 不称职
/// (`subject`: the cadre's folded record).
fn check_incompetent(
    c: &Open,
    year: i32,
    subject: Option<&crate::cadre::State>,
) -> Result<(), DomainError> {
    let record = subject.filter(|s| s.registered && s.cadre_id == c.cadre_id);
    let found = record.and_then(|s| s.grades.get(&year).copied());
    if found == Some(Some(Grade::Incompetent)) {
        return Ok(());
    }
    let who = record.map_or_else(
        || format!("干部「{}」", c.cadre_id),
        |s| format!("{}（{}）", s.name, s.cadre_id),
    );
    let what = match found {
        None => "年度没有考核等次".to_owned(),
        Some(g) => format!("年度考核等次为 “{}”", g.map_or("不定等次", Grade::zh)),
    };
    Err(DomainError::refused(
        "DOWN_GRADE_NOT_INCOMPETENT",
        format!("启动研判被拒绝: {who} {year} {what}, 不是不称职, 不能因该年度考核不称职启动研判"),
    ))
}
