//! Typed policy values (every field of `dossier_domain::Policy`), as read by `policy` and `policyVersions` and as given to `publishPolicy` (`PolicyInput`).

use async_graphql::{InputObject, SimpleObject};
use dossier_domain::policy as p;

use crate::schema::{
    decisions::FrontLineField,
    people::{AwardKind, Grade, LeadershipLevel, Rank, SanctionKind},
    scalars::Date,
};

/// All policy values in force at one time.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "PolicyInput")]
pub struct Policy {
    pub promotion: PromotionPolicy,
    pub assessment: AssessmentPolicy,
    pub sanctions: SanctionPolicy,
    pub points: PointsPolicy,
    pub quota: QuotaPolicy,
    pub training: TrainingPolicy,
    pub tenure: TenurePolicy,
    pub appeal: AppealPolicy,
    pub reminders: ReminderPolicy,
    /// 工作日历 (omitted in an input: the national calendar).
    pub calendar: Option<HolidayCalendar>,
    /// 选任 limits (omitted in an input: the national defaults).
    pub selection: Option<SelectionPolicy>,
}

/// 工作日历: public holidays and make-up working days (weekends are rest days otherwise).
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "HolidayCalendarInput")]
pub struct HolidayCalendar {
    /// Days off that would otherwise be working days.
    pub holidays: Vec<Date>,
    /// Saturdays and Sundays worked instead (调休上班).
    pub workdays: Vec<Date>,
}

/// 选拔任用 limits.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "SelectionPolicyInput")]
pub struct SelectionPolicy {
    /// 差额: candidates carried forward must exceed the posts by at least this many.
    pub min_extra_candidates: u32,
    /// 差额: at most this many candidates carried forward per post.
    pub max_candidates_per_post: u32,
    /// 任前公示: minimum working days.
    pub notice_working_days: u32,
    /// 试用期 of a promotion to a leadership post, in months.
    pub probation_months: u32,
}

/// One rung of the rank ladder: minimum months in `from` (or the equivalent leadership level) before `to`.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "RankStepInput")]
pub struct RankStep {
    pub to: Rank,
    pub from: Rank,
    pub equivalent: Option<LeadershipLevel>,
    pub min_months: u32,
}

/// 职级晋升 rules.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "PromotionPolicyInput")]
pub struct PromotionPolicy {
    pub ladder: Vec<RankStep>,
    /// Each 优秀 year in the counted period shortens the requirement by this many months.
    pub excellent_reduction_months: u32,
    /// 公示: minimum working days of public notice before approval.
    pub public_notice_working_days: u32,
}

/// 年度考核 consequences.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "AssessmentPolicyInput")]
pub struct AssessmentPolicy {
    /// 优秀 at most this percentage of those assessed in a unit.
    pub excellent_share_percent: u32,
    /// The ceiling a district may raise the share to.
    pub excellent_share_max_percent: u32,
    /// Consecutive 优秀 years that earn a merit 三等功.
    pub merit_after_excellent_years: u32,
    /// 基本称职 opens an admonition 诫勉 with this many months to improve.
    pub admonition_months: u32,
    /// Consecutive 不称职 years that open a dismissal 辞退 case.
    pub dismissal_after_incompetent_years: u32,
}

/// The effect period of one sanction kind.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "SanctionMonthsInput")]
pub struct SanctionMonths {
    pub sanction: SanctionKind,
    pub months: u32,
}

/// 处分 and 诫勉 effect periods (影响期) in months.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "SanctionPolicyInput")]
pub struct SanctionPolicy {
    pub effect_months: Vec<SanctionMonths>,
    /// Effect period of an admonition 诫勉.
    pub admonition_effect_months: u32,
}

/// Points for one annual grade.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "GradePointsInput")]
pub struct GradePoints {
    pub grade: Grade,
    pub points: f64,
}

/// Points for one award kind.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "AwardPointsInput")]
pub struct AwardPoints {
    pub kind: AwardKind,
    pub points: f64,
}

/// Points (negative) for one sanction kind.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "SanctionPointsInput")]
pub struct SanctionPoints {
    pub sanction: SanctionKind,
    pub points: f64,
}

/// The multiplier of results in one front-line field.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "FrontLineMultiplierInput")]
pub struct FrontLineMultiplier {
    pub field: FrontLineField,
    pub multiplier: f64,
}

/// 职级晋升积分制 weights.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "PointsPolicyInput")]
pub struct PointsPolicy {
    pub grade_points: Vec<GradePoints>,
    pub award_points: Vec<AwardPoints>,
    pub sanction_points: Vec<SanctionPoints>,
    /// Points per full year in the current rank (seniority).
    pub seniority_points_per_year: f64,
    /// How many recent years of grades and awards count.
    pub counted_years: u32,
    pub front_line_multiplier: Vec<FrontLineMultiplier>,
}

/// 一线职级数: the yearly front-line promotion quota.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "QuotaPolicyInput")]
pub struct QuotaPolicy {
    /// Front-line rank promotions reserved per year.
    pub front_line_per_year: u32,
}

/// 干部教育培训 hour requirements.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "TrainingPolicyInput")]
pub struct TrainingPolicy {
    /// 乡科级 leaders and 一级主任科员 or below: hours a year.
    pub township_hours_per_year: f64,
    /// 县处级 leaders and 四级调研员 or above: hours per window of `countyWindowYears`.
    pub county_hours_per_window: f64,
    pub county_window_years: u32,
    /// A cadre promoted before meeting the hours must make them up within this many months.
    pub makeup_months: u32,
    /// 结业: share of a class's scheduled hours a cadre must have attended to complete it.
    pub completion_attendance_percent: u32,
}

/// Tenure, rotation and reappointment limits.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "TenurePolicyInput")]
pub struct TenurePolicy {
    /// A leader this many years in the same post must rotate.
    pub leadership_same_post_years: u32,
    /// Heads of sensitive and hot posts are flagged at this many years.
    pub sensitive_post_years: u32,
    /// Full terms in one post that bar reappointment.
    pub max_terms_same_post: u32,
    /// Years at one level that bar reappointment.
    pub max_years_same_level: u32,
    /// Post categories that count as sensitive (人事, 财政, 审计).
    pub sensitive_categories: Vec<String>,
    /// Length of one term of office in years.
    pub term_years: u32,
    /// Post categories a relative may not hold in a body the other leads (回避).
    pub avoidance_categories: Vec<String>,
}

/// Deadlines of the appeal closed loop, in days per stage.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "AppealPolicyInput")]
pub struct AppealPolicy {
    /// 受理 → 清单交办
    pub list_days: u32,
    /// 清单交办 → 诉求领办
    pub assign_days: u32,
    /// 诉求领办 → 协调会办
    pub claim_days: u32,
    /// 协调会办 → 跟踪督办
    pub coordinate_days: u32,
    /// 跟踪督办 → 办结
    pub track_days: u32,
}

/// How far ahead reminders are raised.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "ReminderPolicyInput")]
pub struct ReminderPolicy {
    /// Days before a probation or secondment end date.
    pub end_date_days_ahead: u32,
    /// Days a down review may stay open before it is due.
    pub down_review_due_days: u32,
}

/// A published policy version.
#[derive(SimpleObject)]
pub struct PolicyVersion {
    /// 1, 2, 3 … in publication order.
    pub version: u32,
    pub title: String,
    /// In force from this date (until the next version's).
    pub effective_from: Date,
    /// 文件依据.
    pub basis: String,
    pub published_on: Date,
    pub policy: Policy,
}

impl From<&dossier_domain::policy_stream::Published> for PolicyVersion {
    fn from(v: &dossier_domain::policy_stream::Published) -> Self {
        PolicyVersion {
            version: v.version,
            title: v.title.clone(),
            effective_from: Date(v.effective_from),
            basis: v.basis.clone(),
            published_on: Date(v.published_on),
            policy: Policy::from(&v.policy),
        }
    }
}

impl From<&p::Policy> for Policy {
    fn from(v: &p::Policy) -> Self {
        let pr = &v.promotion;
        let a = &v.assessment;
        let s = &v.sanctions;
        let pt = &v.points;
        let t = &v.training;
        let te = &v.tenure;
        let ap = &v.appeal;
        let sel = &v.selection;
        Policy {
            calendar: Some(HolidayCalendar {
                holidays: v.calendar.holidays.iter().copied().map(Date).collect(),
                workdays: v.calendar.workdays.iter().copied().map(Date).collect(),
            }),
            selection: Some(SelectionPolicy {
                min_extra_candidates: sel.min_extra_candidates,
                max_candidates_per_post: sel.max_candidates_per_post,
                notice_working_days: sel.notice_working_days,
                probation_months: sel.probation_months,
            }),
            promotion: PromotionPolicy {
                ladder: pr
                    .ladder
                    .iter()
                    .map(|r| RankStep {
                        to: r.to.into(),
                        from: r.from.into(),
                        equivalent: r.equivalent.map(Into::into),
                        min_months: r.min_months,
                    })
                    .collect(),
                excellent_reduction_months: pr.excellent_reduction_months,
                public_notice_working_days: pr.public_notice_working_days,
            },
            assessment: AssessmentPolicy {
                excellent_share_percent: a.excellent_share_percent,
                excellent_share_max_percent: a.excellent_share_max_percent,
                merit_after_excellent_years: a.merit_after_excellent_years,
                admonition_months: a.admonition_months,
                dismissal_after_incompetent_years: a.dismissal_after_incompetent_years,
            },
            sanctions: SanctionPolicy {
                effect_months: s
                    .effect_months
                    .iter()
                    .map(|(k, m)| SanctionMonths {
                        sanction: (*k).into(),
                        months: *m,
                    })
                    .collect(),
                admonition_effect_months: s.admonition_effect_months,
            },
            points: PointsPolicy {
                grade_points: pt
                    .grade_points
                    .iter()
                    .map(|(g, n)| GradePoints {
                        grade: (*g).into(),
                        points: *n,
                    })
                    .collect(),
                // The policy keys award points by the award kind's code; a key that is no
                // award kind's (published when the kind was a free string) gives no award
                // any points and is not listed.
                award_points: pt
                    .award_points
                    .iter()
                    .filter_map(|(k, n)| {
                        Some(AwardPoints {
                            kind: dossier_domain::types::AwardKind::from_code(k)?.into(),
                            points: *n,
                        })
                    })
                    .collect(),
                sanction_points: pt
                    .sanction_points
                    .iter()
                    .map(|(k, n)| SanctionPoints {
                        sanction: (*k).into(),
                        points: *n,
                    })
                    .collect(),
                seniority_points_per_year: pt.seniority_points_per_year,
                counted_years: pt.counted_years,
                front_line_multiplier: pt
                    .front_line_multiplier
                    .iter()
                    .map(|(f, m)| FrontLineMultiplier {
                        field: (*f).into(),
                        multiplier: *m,
                    })
                    .collect(),
            },
            quota: QuotaPolicy {
                front_line_per_year: v.quota.front_line_per_year,
            },
            training: TrainingPolicy {
                township_hours_per_year: t.township_hours_per_year,
                county_hours_per_window: t.county_hours_per_window,
                county_window_years: t.county_window_years,
                makeup_months: t.makeup_months,
                completion_attendance_percent: t.completion_attendance_percent,
            },
            tenure: TenurePolicy {
                leadership_same_post_years: te.leadership_same_post_years,
                sensitive_post_years: te.sensitive_post_years,
                max_terms_same_post: te.max_terms_same_post,
                max_years_same_level: te.max_years_same_level,
                sensitive_categories: te.sensitive_categories.clone(),
                term_years: te.term_years,
                avoidance_categories: te.avoidance_categories.clone(),
            },
            appeal: AppealPolicy {
                list_days: ap.list_days,
                assign_days: ap.assign_days,
                claim_days: ap.claim_days,
                coordinate_days: ap.coordinate_days,
                track_days: ap.track_days,
            },
            reminders: ReminderPolicy {
                end_date_days_ahead: v.reminders.end_date_days_ahead,
                down_review_due_days: v.reminders.down_review_due_days,
            },
        }
    }
}

impl From<Policy> for p::Policy {
    fn from(v: Policy) -> Self {
        let pr = v.promotion;
        let a = v.assessment;
        let s = v.sanctions;
        let pt = v.points;
        let t = v.training;
        let te = v.tenure;
        let ap = v.appeal;
        p::Policy {
            promotion: p::PromotionPolicy {
                ladder: pr
                    .ladder
                    .into_iter()
                    .map(|r| p::RankStep {
                        to: r.to.into(),
                        from: r.from.into(),
                        equivalent: r.equivalent.map(Into::into),
                        min_months: r.min_months,
                    })
                    .collect(),
                excellent_reduction_months: pr.excellent_reduction_months,
                public_notice_working_days: pr.public_notice_working_days,
            },
            assessment: p::AssessmentPolicy {
                excellent_share_percent: a.excellent_share_percent,
                excellent_share_max_percent: a.excellent_share_max_percent,
                merit_after_excellent_years: a.merit_after_excellent_years,
                admonition_months: a.admonition_months,
                dismissal_after_incompetent_years: a.dismissal_after_incompetent_years,
            },
            sanctions: p::SanctionPolicy {
                effect_months: s
                    .effect_months
                    .into_iter()
                    .map(|e| (e.sanction.into(), e.months))
                    .collect(),
                admonition_effect_months: s.admonition_effect_months,
            },
            points: p::PointsPolicy {
                grade_points: pt
                    .grade_points
                    .into_iter()
                    .map(|g| (g.grade.into(), g.points))
                    .collect(),
                award_points: pt
                    .award_points
                    .into_iter()
                    .map(|a| {
                        let kind: dossier_domain::types::AwardKind = a.kind.into();
                        (kind.code().to_owned(), a.points)
                    })
                    .collect(),
                sanction_points: pt
                    .sanction_points
                    .into_iter()
                    .map(|s| (s.sanction.into(), s.points))
                    .collect(),
                seniority_points_per_year: pt.seniority_points_per_year,
                counted_years: pt.counted_years,
                front_line_multiplier: pt
                    .front_line_multiplier
                    .into_iter()
                    .map(|f| (f.field.into(), f.multiplier))
                    .collect(),
            },
            quota: p::QuotaPolicy {
                front_line_per_year: v.quota.front_line_per_year,
            },
            training: p::TrainingPolicy {
                township_hours_per_year: t.township_hours_per_year,
                county_hours_per_window: t.county_hours_per_window,
                county_window_years: t.county_window_years,
                makeup_months: t.makeup_months,
                completion_attendance_percent: t.completion_attendance_percent,
            },
            tenure: p::TenurePolicy {
                leadership_same_post_years: te.leadership_same_post_years,
                sensitive_post_years: te.sensitive_post_years,
                max_terms_same_post: te.max_terms_same_post,
                max_years_same_level: te.max_years_same_level,
                sensitive_categories: te.sensitive_categories,
                term_years: te.term_years,
                avoidance_categories: te.avoidance_categories,
            },
            appeal: p::AppealPolicy {
                list_days: ap.list_days,
                assign_days: ap.assign_days,
                claim_days: ap.claim_days,
                coordinate_days: ap.coordinate_days,
                track_days: ap.track_days,
            },
            reminders: p::ReminderPolicy {
                end_date_days_ahead: v.reminders.end_date_days_ahead,
                down_review_due_days: v.reminders.down_review_due_days,
            },
            calendar: Box::new(v.calendar.map_or_else(
                dossier_domain::calendar::HolidayCalendar::national_default,
                |c| dossier_domain::calendar::HolidayCalendar {
                    holidays: c.holidays.into_iter().map(|d| d.0).collect(),
                    workdays: c.workdays.into_iter().map(|d| d.0).collect(),
                },
            )),
            selection: v.selection.map_or_else(p::SelectionPolicy::default, |s| {
                p::SelectionPolicy {
                    min_extra_candidates: s.min_extra_candidates,
                    max_candidates_per_post: s.max_candidates_per_post,
                    notice_working_days: s.notice_working_days,
                    probation_months: s.probation_months,
                }
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_defaults_survive_the_typed_policy_both_ways() {
        let national = p::Policy::national_default();
        let back = p::Policy::from(Policy::from(&national));
        assert_eq!(back, national);
    }
}
