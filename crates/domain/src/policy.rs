//! The policy values every rule reads (rank ladder, assessment consequences, quotas, limits, deadlines), with the national defaults.
//!
//! A district publishes its own values as `policy.Published` events (see
//! `policy_stream`); a decision uses the version in force on its effective date.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::types::{FrontLineField, Grade, LeadershipLevel, Rank, SanctionKind};

/// All policy values in force at one time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// 工作日历: holidays and make-up working days (公示 periods are counted in working days).
    #[serde(default)]
    pub calendar: Box<crate::calendar::HolidayCalendar>,
    /// 选任: the limits of a selection case.
    #[serde(default)]
    pub selection: SelectionPolicy,
}

/// 选拔任用 limits (党政领导干部选拔任用工作条例 2019).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectionPolicy {
    /// 差额: candidates carried forward by recommendation must exceed the posts by at least this many (default 1).
    pub min_extra_candidates: u32,
    /// 差额: at most this many candidates carried forward per post (default 3).
    pub max_candidates_per_post: u32,
    /// 任前公示: minimum working days (default 5).
    pub notice_working_days: u32,
    /// 试用期 of a promotion to a leadership post, in months (default 12).
    pub probation_months: u32,
}

impl Default for SelectionPolicy {
    fn default() -> Self {
        SelectionPolicy {
            min_extra_candidates: 1,
            max_candidates_per_post: 3,
            notice_working_days: 5,
            probation_months: 12,
        }
    }
}

/// One rung of the rank ladder: minimum months in `from` (or the equivalent leadership level) before `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankStep {
    pub to: Rank,
    pub from: Rank,
    pub equivalent: Option<LeadershipLevel>,
    pub min_months: u32,
}

/// 职级晋升 rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromotionPolicy {
    pub ladder: Vec<RankStep>,
    /// Each 优秀 year in the counted period shortens the requirement by this many months (default 6).
    pub excellent_reduction_months: u32,
    /// 公示: minimum working days of public notice before approval (default 5).
    pub public_notice_working_days: u32,
}

impl PromotionPolicy {
    /// The ladder step leading to `to`.
    pub fn step_to(&self, to: Rank) -> Option<&RankStep> {
        self.ladder.iter().find(|s| s.to == to)
    }
}

/// 年度考核 consequences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentPolicy {
    /// 优秀 at most this percentage of those assessed in a unit (default 15).
    pub excellent_share_percent: u32,
    /// The ceiling a district may raise the share to (default 20).
    pub excellent_share_max_percent: u32,
    /// Consecutive 优秀 years that earn a merit 三等功 (default 3).
    pub merit_after_excellent_years: u32,
    /// 基本称职 opens an admonition 诫勉 with this many months to improve (default 12).
    pub admonition_months: u32,
    /// Consecutive 不称职 years that open a dismissal 辞退 case (default 2).
    pub dismissal_after_incompetent_years: u32,
}

/// 处分 and 诫勉 effect periods (影响期) in months, and which sanctions bar a grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SanctionPolicy {
    /// Effect period of each sanction kind.
    pub effect_months: Vec<(SanctionKind, u32)>,
    /// Effect period of an admonition 诫勉 (default 6).
    pub admonition_effect_months: u32,
}

impl SanctionPolicy {
    pub fn effect_months(&self, kind: SanctionKind) -> u32 {
        self.effect_months
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, m)| *m)
    }
}

/// 职级晋升积分制 weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointsPolicy {
    /// Points per annual grade.
    pub grade_points: Vec<(Grade, f64)>,
    /// Points per award, by award kind code (e.g. "commendation", "merit", "steed", "three_good").
    pub award_points: Vec<(String, f64)>,
    /// Points (negative) per sanction kind.
    pub sanction_points: Vec<(SanctionKind, f64)>,
    /// Points per full year in the current rank (seniority).
    pub seniority_points_per_year: f64,
    /// How many recent years of grades count.
    pub counted_years: u32,
    /// Multiplier applied to results in front-line fields.
    pub front_line_multiplier: Vec<(FrontLineField, f64)>,
}

/// 一线职级数: the yearly front-line promotion quota.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaPolicy {
    /// Front-line rank promotions reserved per year (the district: 20).
    pub front_line_per_year: u32,
}

/// 干部教育培训 hour requirements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingPolicy {
    /// 乡科级 leaders and 一级主任科员 or below: hours a year (default 90).
    pub township_hours_per_year: f64,
    /// 县处级 leaders and 四级调研员 or above: hours per window (default 550 per 5 years).
    pub county_hours_per_window: f64,
    pub county_window_years: u32,
    /// A cadre promoted before meeting the hours must make them up within this many months (default 12).
    pub makeup_months: u32,
    /// 结业: share of a class's scheduled hours a cadre must have attended to complete it (default 80).
    #[serde(default = "default_completion_attendance_percent")]
    pub completion_attendance_percent: u32,
}

fn default_completion_attendance_percent() -> u32 {
    80
}

/// Tenure, rotation and reappointment limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenurePolicy {
    /// A leader this many years in the same post must rotate (default 10).
    pub leadership_same_post_years: u32,
    /// Heads of sensitive and hot posts are flagged at this many years (district value: 5).
    pub sensitive_post_years: u32,
    /// Full terms in one post that bar reappointment (default 2).
    pub max_terms_same_post: u32,
    /// Years at one level that bar reappointment (default 15).
    pub max_years_same_level: u32,
    /// Post categories that count as sensitive (人事, 财政, 审计).
    pub sensitive_categories: Vec<String>,
    /// Length of one term of office in years, for the two-full-terms bar (default 5).
    #[serde(default = "default_term_years")]
    pub term_years: u32,
    /// Post categories a relative may not hold in a body the other leads
    /// (公务员回避规定: 组织, 人事, 纪检, 监察, 审计, 财务).
    #[serde(default = "default_avoidance_categories")]
    pub avoidance_categories: Vec<String>,
}

fn default_term_years() -> u32 {
    5
}

fn default_avoidance_categories() -> Vec<String> {
    ["组织", "人事", "纪检", "监察", "审计", "财务"]
        .into_iter()
        .map(String::from)
        .collect()
}

/// The national ceiling of the 优秀 share (公务员考核规定 2020): no district may go beyond it.
pub const NATIONAL_EXCELLENT_SHARE_CEILING: u32 = 20;

/// Deadlines of the appeal closed loop, in days per stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealPolicy {
    /// 受理 → 清单交办 (default 3)
    #[serde(default = "default_appeal_list_days")]
    pub list_days: u32,
    /// 清单交办 → 诉求领办
    pub assign_days: u32,
    /// 诉求领办 → 协调会办
    pub claim_days: u32,
    /// 协调会办 → 跟踪督办
    pub coordinate_days: u32,
    /// 跟踪督办 → closed
    pub track_days: u32,
}

fn default_appeal_list_days() -> u32 {
    3
}

/// How far ahead reminders are raised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReminderPolicy {
    /// Days before a probation or secondment end date (default 30).
    pub end_date_days_ahead: u32,
    /// Days a down review may stay open before it is due (default 60).
    pub down_review_due_days: u32,
}

impl Policy {
    /// The national defaults of DOMAIN.md §7 (公务员考核规定 2020, 职务与职级并行规定 2019, 能上能下规定 2022,
    /// 干部教育培训工作条例 2023, 交流工作规定, 回避规定), with the district's 5-year hot-post flag.
    pub fn national_default() -> Policy {
        use LeadershipLevel as L;
        use Rank as R;
        let step = |to, from, equivalent, years: u32| RankStep {
            to,
            from,
            equivalent,
            min_months: years * 12,
        };
        Policy {
            promotion: PromotionPolicy {
                ladder: vec![
                    step(R::ClerkGrade1, R::ClerkGrade2, None, 2),
                    step(R::PrincipalClerk4, R::ClerkGrade1, None, 2),
                    step(
                        R::PrincipalClerk3,
                        R::PrincipalClerk4,
                        Some(L::TownshipDeputy),
                        2,
                    ),
                    step(R::PrincipalClerk2, R::PrincipalClerk3, None, 2),
                    step(
                        R::PrincipalClerk1,
                        R::PrincipalClerk2,
                        Some(L::TownshipChief),
                        2,
                    ),
                    step(R::Researcher4, R::PrincipalClerk1, None, 2),
                    step(R::Researcher3, R::Researcher4, Some(L::CountyDeputy), 2),
                    step(R::Researcher2, R::Researcher3, None, 2),
                    step(R::Researcher1, R::Researcher2, Some(L::CountyChief), 3),
                    step(R::Inspector2, R::Researcher1, None, 4),
                    step(R::Inspector1, R::Inspector2, Some(L::BureauDeputy), 4),
                ],
                excellent_reduction_months: 6,
                public_notice_working_days: 5,
            },
            assessment: AssessmentPolicy {
                excellent_share_percent: 15,
                excellent_share_max_percent: 20,
                merit_after_excellent_years: 3,
                admonition_months: 12,
                dismissal_after_incompetent_years: 2,
            },
            sanctions: SanctionPolicy {
                effect_months: vec![
                    (SanctionKind::Warning, 6),
                    (SanctionKind::Demerit, 12),
                    (SanctionKind::MajorDemerit, 18),
                    (SanctionKind::Demotion, 24),
                    (SanctionKind::Dismissal, 24),
                    (SanctionKind::Expulsion, 0),
                ],
                admonition_effect_months: 6,
            },
            points: PointsPolicy {
                grade_points: vec![
                    (Grade::Excellent, 10.0),
                    (Grade::Competent, 6.0),
                    (Grade::BasicallyCompetent, 2.0),
                    (Grade::Incompetent, 0.0),
                ],
                award_points: vec![
                    ("commendation".into(), 3.0),
                    ("merit".into(), 6.0),
                    ("steed".into(), 8.0),
                    ("three_good".into(), 4.0),
                ],
                sanction_points: vec![
                    (SanctionKind::Warning, -3.0),
                    (SanctionKind::Demerit, -6.0),
                    (SanctionKind::MajorDemerit, -9.0),
                    (SanctionKind::Demotion, -12.0),
                    (SanctionKind::Dismissal, -15.0),
                    (SanctionKind::Expulsion, -30.0),
                ],
                seniority_points_per_year: 1.0,
                counted_years: 5,
                front_line_multiplier: vec![
                    (FrontLineField::InvestmentAndTalent, 1.5),
                    (FrontLineField::ProjectConstruction, 1.3),
                    (FrontLineField::SocialGovernance, 1.2),
                ],
            },
            quota: QuotaPolicy {
                front_line_per_year: 20,
            },
            training: TrainingPolicy {
                township_hours_per_year: 90.0,
                county_hours_per_window: 550.0,
                county_window_years: 5,
                makeup_months: 12,
                completion_attendance_percent: 80,
            },
            tenure: TenurePolicy {
                leadership_same_post_years: 10,
                sensitive_post_years: 5,
                max_terms_same_post: 2,
                max_years_same_level: 15,
                sensitive_categories: vec!["人事".into(), "财政".into(), "审计".into()],
                term_years: default_term_years(),
                avoidance_categories: default_avoidance_categories(),
            },
            appeal: AppealPolicy {
                list_days: 3,
                assign_days: 3,
                claim_days: 5,
                coordinate_days: 15,
                track_days: 30,
            },
            reminders: ReminderPolicy {
                end_date_days_ahead: 30,
                down_review_due_days: 60,
            },
            calendar: Box::new(crate::calendar::HolidayCalendar::national_default()),
            selection: SelectionPolicy::default(),
        }
    }
}

impl Policy {
    /// Check a policy before it is published: values that would make a rule meaningless or
    /// break a national ceiling are refused.
    pub fn validate(&self) -> Result<(), DomainError> {
        let a = &self.assessment;
        if a.excellent_share_max_percent > NATIONAL_EXCELLENT_SHARE_CEILING {
            return Err(DomainError::refused(
                "POLICY_EXCELLENT_SHARE_CEILING",
                format!(
                    "优秀比例上限 {}% 超过国家规定的上限 {}%",
                    a.excellent_share_max_percent, NATIONAL_EXCELLENT_SHARE_CEILING
                ),
            ));
        }
        if a.excellent_share_percent > a.excellent_share_max_percent {
            return Err(DomainError::refused(
                "POLICY_EXCELLENT_SHARE_CEILING",
                format!(
                    "优秀比例 {}% 超过上限 {}%",
                    a.excellent_share_percent, a.excellent_share_max_percent
                ),
            ));
        }
        if a.merit_after_excellent_years == 0 || a.dismissal_after_incompetent_years == 0 {
            return Err(DomainError::invalid(
                "POLICY_INVALID_VALUE",
                "连续优秀记三等功年数与连续不称职辞退年数须至少为 1",
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for step in &self.promotion.ladder {
            if step.from >= step.to || !seen.insert(step.to) {
                return Err(DomainError::invalid(
                    "POLICY_INVALID_LADDER",
                    format!(
                        "职级阶梯不正确: {} → {} 重复或方向颠倒",
                        step.from.zh(),
                        step.to.zh()
                    ),
                ));
            }
        }
        if self.promotion.public_notice_working_days == 0 {
            return Err(DomainError::invalid(
                "POLICY_INVALID_VALUE",
                "公示期须至少 1 个工作日",
            ));
        }
        if self.quota.front_line_per_year == 0 {
            return Err(DomainError::invalid(
                "POLICY_INVALID_VALUE",
                "一线职级数须至少为 1",
            ));
        }
        if self.tenure.term_years == 0 {
            return Err(DomainError::invalid(
                "POLICY_INVALID_VALUE",
                "任期年限须至少为 1 年",
            ));
        }
        let p = &self.points;
        let values = p
            .grade_points
            .iter()
            .map(|(_, v)| *v)
            .chain(p.award_points.iter().map(|(_, v)| *v))
            .chain(p.sanction_points.iter().map(|(_, v)| *v))
            .chain(p.front_line_multiplier.iter().map(|(_, v)| *v))
            .chain([p.seniority_points_per_year]);
        if values.into_iter().any(|v| !v.is_finite())
            || p.front_line_multiplier.iter().any(|(_, m)| *m < 1.0)
        {
            return Err(DomainError::invalid(
                "POLICY_INVALID_VALUE",
                "积分权重须为有限数值, 一线领域加权系数不得小于 1",
            ));
        }
        let t = self.training.completion_attendance_percent;
        if !(1..=100).contains(&t) {
            return Err(invalid_value(
                "completion_attendance_percent",
                t,
                "结业出勤比例须在 1% 至 100% 之间",
            ));
        }
        let ap = &self.appeal;
        for (field, days) in [
            ("list_days", ap.list_days),
            ("assign_days", ap.assign_days),
            ("claim_days", ap.claim_days),
            ("coordinate_days", ap.coordinate_days),
            ("track_days", ap.track_days),
        ] {
            if days == 0 {
                return Err(invalid_value(field, days, "诉求各环节时限须至少 1 天"));
            }
        }
        self.calendar.validate()?;
        self.selection.validate()
    }
}

/// `POLICY_INVALID_VALUE` naming the one field (its GraphQL name, in Chinese when known), the
/// value received and the rule it breaks.
fn invalid_value(field: &str, value: impl std::fmt::Display, rule: &str) -> DomainError {
    DomainError::invalid(
        "POLICY_INVALID_VALUE",
        format!(
            "政策值 {} 为 {value}, 不符合要求: {rule}",
            crate::bounds::field_name(field)
        ),
    )
}

impl SelectionPolicy {
    /// The selection values, each on its own: the 任前公示 at least 5 working days (干部任用条例),
    /// the 试用期 from 1 month to one year (条例: 试用期为一年), at most 2 or more candidates a post
    /// (差额), and a 差额 that a one-post round can meet: posts + `min_extra_candidates` must not
    /// exceed posts × `max_candidates_per_post` (`POLICY_SELECTION_CONTRADICTORY`).
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.notice_working_days < 5 {
            return Err(invalid_value(
                "notice_working_days",
                self.notice_working_days,
                "任前公示须不少于 5 个工作日",
            ));
        }
        if !(1..=MAX_PROBATION_MONTHS).contains(&self.probation_months) {
            return Err(invalid_value(
                "probation_months",
                self.probation_months,
                &format!("试用期须在 1 至 {MAX_PROBATION_MONTHS} 个月之间 (条例: 试用期为一年)"),
            ));
        }
        if self.max_candidates_per_post < 2 {
            return Err(invalid_value(
                "max_candidates_per_post",
                self.max_candidates_per_post,
                "每个职位的差额人选上限须至少为 2",
            ));
        }
        let least = 1 + u64::from(self.min_extra_candidates);
        if least > u64::from(self.max_candidates_per_post) {
            return Err(DomainError::invalid(
                "POLICY_SELECTION_CONTRADICTORY",
                format!(
                    "政策值相互矛盾: {} 为 {}, {} 为 {}: 推荐一个职位时至少须推出 1 + {} = {least} 人, 至多却只能推出 {} 人, 没有一轮推荐能够通过; 差额最少人数须小于每岗最多人选",
                    crate::bounds::field_name("min_extra_candidates"),
                    self.min_extra_candidates,
                    crate::bounds::field_name("max_candidates_per_post"),
                    self.max_candidates_per_post,
                    self.min_extra_candidates,
                    self.max_candidates_per_post,
                ),
            ));
        }
        Ok(())
    }
}

/// The longest 试用期 a policy may set: one year (党政领导干部选拔任用工作条例).
pub const MAX_PROBATION_MONTHS: u32 = 12;

impl Default for Policy {
    fn default() -> Self {
        Policy::national_default()
    }
}
