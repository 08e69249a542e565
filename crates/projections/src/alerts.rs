//! Alerts: every condition the policy says needs attention, evaluated as of a date the caller passes.

use chrono::{Datelike, Duration, NaiveDate};
use dossier_domain::{Policy, dates};
use serde::Serialize;

use crate::models::Models;

/// Hours in a message: one decimal, two when the hundredths need them (never rounded up to
/// the requirement they fall short of).
fn show(hours: f64) -> String {
    dossier_domain::training_hours::show(hours)
}

/// A requirement in a message: whole hours as such ("90"), else as [`show`].
fn show_required(hours: f64) -> String {
    if hours.fract() == 0.0 {
        format!("{hours:.0}")
    } else {
        show(hours)
    }
}

/// What needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// 热点岗位任职达到年限
    HotPostTenure,
    /// 领导干部同一岗位任职满 10 年
    LeadershipTenure,
    /// 敏感岗位任职达到年限
    SensitivePostTenure,
    /// 培训学时不足
    TrainingHoursShort,
    /// 晋升前培训学时未达要求, 应限期补学
    TrainingMakeupDue,
    /// 试用期即将届满
    ProbationEnding,
    /// 挂职即将期满
    SecondmentEnding,
    /// “下”的研判到期
    DownReviewDue,
    /// 诫勉整改期限
    AdmonitionDeadline,
    /// 诉求办理环节超期
    AppealStageOverdue,
    /// 不称职降低职级待决定
    RankLoweringPending,
    /// 辞退案件待办
    DismissalCaseOpen,
}

impl AlertKind {
    pub fn zh(self) -> &'static str {
        match self {
            AlertKind::HotPostTenure => "热点岗位任职达到年限",
            AlertKind::LeadershipTenure => "同一岗位任职达到年限",
            AlertKind::SensitivePostTenure => "敏感岗位任职达到年限",
            AlertKind::TrainingHoursShort => "培训学时不足",
            AlertKind::TrainingMakeupDue => "晋升前培训学时未达要求, 应限期补学",
            AlertKind::ProbationEnding => "试用期即将届满",
            AlertKind::SecondmentEnding => "挂职即将期满",
            AlertKind::DownReviewDue => "“下”的研判到期",
            AlertKind::AdmonitionDeadline => "诫勉整改期限",
            AlertKind::AppealStageOverdue => "诉求办理环节超期",
            AlertKind::RankLoweringPending => "不称职降低职级待决定",
            AlertKind::DismissalCaseOpen => "辞退案件待办",
        }
    }
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub kind: AlertKind,
    pub cadre_id: Option<String>,
    pub unit_id: Option<String>,
    /// The date the condition was or will be reached.
    pub due: NaiveDate,
    /// A sentence for the clerk, in Chinese, with the values.
    pub message: String,
}

/// Evaluate every alert on `as_of` under `policy` (the policy in force that day).
pub fn evaluate(models: &Models, policy: &Policy, as_of: NaiveDate) -> Vec<Alert> {
    let mut out = Vec::new();
    let profiles = &models.profiles.model;
    let ahead = Duration::days(i64::from(policy.reminders.end_date_days_ahead));
    let units = &models.units.model;
    let hot: std::collections::HashSet<(&str, &str)> = units
        .hot
        .iter()
        .flat_map(|(u, posts)| posts.keys().map(move |p| (u.as_str(), p.as_str())))
        .collect();
    // People and units are named by name and id: “姜维（jiangwei）”, “区商务局（swj）”.
    let person = |cadre_id: &str| match profiles
        .ids
        .get(cadre_id)
        .and_then(|i| profiles.recs.get(i as usize))
    {
        Some(rec) if !rec.name.is_empty() => format!("{}（{cadre_id}）", rec.name),
        _ => format!("干部 {cadre_id}"),
    };
    for h in units.hot_posts(as_of) {
        let unit_name = units.units.get(&h.unit_id).map_or_else(
            || h.unit_id.clone(),
            |u| format!("{}（{}）", u.name, h.unit_id),
        );
        out.push(Alert {
            kind: AlertKind::HotPostTenure,
            due: dates::add_months(h.since, h.limit_years * 12),
            message: format!(
                "{} 在{unit_name}「{}」任职已满 {} 年, 达到热点岗位任职年限 {} 年, 应予交流",
                person(&h.cadre_id),
                h.title,
                h.years,
                h.limit_years
            ),
            cadre_id: Some(h.cadre_id),
            unit_id: Some(h.unit_id),
        });
    }
    let sensitive = &policy.tenure.sensitive_categories;
    let last_year = as_of.year() - 1;
    for (i, rec) in profiles.recs.iter().enumerate() {
        if !rec.registered {
            continue;
        }
        let cadre_id = profiles.ids.resolve(i as u32);
        let who = format!("{}（{cadre_id}）", rec.name);
        let unit_id = rec.unit.map(|u| profiles.syms.resolve(u).to_owned());
        let mut push = |kind: AlertKind, due: NaiveDate, message: String| {
            out.push(Alert {
                kind,
                cadre_id: Some(cadre_id.to_owned()),
                unit_id: unit_id.clone(),
                due,
                message,
            });
        };
        if let Some(case) = rec.dismissal.as_ref().filter(|c| c.closed_on.is_none())
            && case.opened_on <= as_of
        {
            let what = match case.dismissed {
                None => "尚未作出决定".to_owned(),
                Some(true) => "已决定辞退, 尚未结案".to_owned(),
                Some(false) => "已决定不予辞退, 尚未结案".to_owned(),
            };
            push(
                AlertKind::DismissalCaseOpen,
                case.opened_on,
                format!("{who} 辞退案件 {}（{}）{what}", case.case_id, case.reason),
            );
        }
        // A dismissed or expelled cadre's service has ended: nothing but the case itself is due
        // of them.
        if rec.dismissed_by(as_of) {
            continue;
        }
        for h in &rec.posts {
            let years = dates::years_between(h.since, as_of);
            let title = profiles.syms.resolve(h.title);
            let is_hot =
                hot.contains(&(profiles.syms.resolve(h.unit), profiles.syms.resolve(h.post)));
            if h.level.is_some() && years >= policy.tenure.leadership_same_post_years {
                push(
                    AlertKind::LeadershipTenure,
                    dates::add_months(h.since, policy.tenure.leadership_same_post_years * 12),
                    format!(
                        "{who} 在「{title}」任职已满 {years} 年, 达到同一岗位 {} 年的交流年限",
                        policy.tenure.leadership_same_post_years
                    ),
                );
            } else if !is_hot
                && sensitive.iter().any(|c| c == h.category.zh())
                && years >= policy.tenure.sensitive_post_years
            {
                push(
                    AlertKind::SensitivePostTenure,
                    dates::add_months(h.since, policy.tenure.sensitive_post_years * 12),
                    format!(
                        "{who} 在敏感岗位「{title}」({}) 任职已满 {years} 年, 达到 {} 年的交流年限",
                        h.category.zh(),
                        policy.tenure.sensitive_post_years
                    ),
                );
            }
        }
        // Training hours: the last full year for a cadre then 乡科级 or below; the window
        // ending with it for one then 县处级 or above (the level held in that year, as the
        // profile and the coverage judge it), for a year of service.
        let req = crate::profile_training::requirement_in(rec, last_year, &policy.training);
        if !req.met() && crate::profile_training::served_in(rec, last_year) {
            push(
                AlertKind::TrainingHoursShort,
                NaiveDate::from_ymd_opt(last_year, 12, 31).unwrap_or(as_of),
                format!(
                    "{who} {}培训学时 {}, 少于要求的 {} 学时",
                    req.span(),
                    show(req.credited),
                    show_required(req.required)
                ),
            );
        }
        if let Some(m) = rec
            .makeup
            .as_ref()
            .map(|m| m.on(as_of))
            .filter(|m| !m.done() && m.promoted_on <= as_of)
        {
            let late = if m.due_on < as_of { ", 已逾期" } else { "" };
            push(
                AlertKind::TrainingMakeupDue,
                m.due_on,
                format!(
                    "{who} {} 晋升{}时 {}培训学时 {}, 未达 {} 学时, 应于 {} 前补足 {} 学时, 已补 {} 学时, 尚欠 {} 学时{late}",
                    m.promoted_on,
                    m.to.zh(),
                    m.span,
                    show(m.credited),
                    show_required(m.required),
                    m.due_on,
                    show(m.owed),
                    show(m.made_up),
                    show(m.left())
                ),
            );
        }
        if let Some(end) = rec.probation_until
            && end <= as_of + ahead
        {
            push(
                AlertKind::ProbationEnding,
                end,
                format!("{who} 试用期 {end} 届满, 应办理转正或不合格处理"),
            );
        }
        if let Some(end) = rec.secondment_until
            && end <= as_of + ahead
        {
            push(
                AlertKind::SecondmentEnding,
                end,
                format!("{who} 挂职 {end} 期满"),
            );
        }
        for d in rec.down.iter().filter(|d| d.decided.is_none() && !d.closed) {
            let due = d.due_on.unwrap_or_else(|| {
                d.raised_on + Duration::days(i64::from(policy.reminders.down_review_due_days))
            });
            if due <= as_of {
                let what = match d.year {
                    Some(y) => format!("因 {y} 年度考核不称职"),
                    None => "经反向研判".to_owned(),
                };
                push(
                    AlertKind::DownReviewDue,
                    due,
                    format!(
                        "{who} {what}自 {} 起进入“下”的研判, 应于 {due} 前作出决定, 尚未决定",
                        d.raised_on
                    ),
                );
            }
        }
        // One alert per 不称职 year whose lowering is still to be decided.
        for p in rec
            .pending_lowerings
            .iter()
            .filter(|p| p.raised_on <= as_of)
        {
            push(
                AlertKind::RankLoweringPending,
                p.raised_on,
                format!(
                    "{who} {} 年度考核不称职, 应按规定程序由{}降低为{}, 尚待决定（须有决定文号）",
                    p.year,
                    p.from.zh(),
                    p.to.zh()
                ),
            );
        }
        // 诫勉: due from the reminder days before the deadline to improve until the deadline,
        // whether the effect period (6 months by default, the deadline 12) still runs or not.
        for p in rec.periods.iter().filter(|p| p.sanction.is_none()) {
            if let Some(by) = p.improve_by
                && p.from <= as_of
                && as_of <= by
                && by <= as_of + ahead
            {
                let left = (by - as_of).num_days();
                push(
                    AlertKind::AdmonitionDeadline,
                    by,
                    format!(
                        "{who} 诫勉整改期限 {by}（自 {} 起）, 尚余 {left} 天",
                        p.from
                    ),
                );
            }
        }
    }
    for (id, a) in &models.care.model.open {
        if let Some(d) = a.timeline.current_overdue(&policy.appeal, as_of) {
            out.push(Alert {
                kind: AlertKind::AppealStageOverdue,
                cadre_id: Some(a.cadre_id.clone()),
                unit_id: None,
                due: d.due_on,
                message: format!(
                    "{} 的诉求 {id} 在「{}」环节应于 {} 前办理, 已超期 {} 天",
                    person(&a.cadre_id),
                    d.stage.zh(),
                    d.due_on,
                    d.days_overdue(as_of)
                ),
            });
        }
    }
    out.sort_by(|a, b| (a.kind, a.due, &a.cadre_id).cmp(&(b.kind, b.due, &b.cadre_id)));
    out
}
