//! Events of a `cadre` stream: plain serde payloads carrying everything read models need (units, posts, dates, ranks).

use super::consequences::{DismissalCaseClosed, DismissalDecided, RankLoweringPending};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    codes::{
        AppointmentManner, AppointmentReason, AppointmentStatus, AssessmentCategory,
        AssessmentConclusion, ChangeCategory, RemovalManner, RemovalReason,
    },
    types::{
        AwardKind, DownMethod, Gender, Grade, LeadershipLevel, PostCategory, Rank, Relation,
        RotationKind, SanctionKind,
    },
};

/// 干部登记 (schema v2: full birth date and 民族; v1 had a `birth_month` "YYYYMM" and no ethnicity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Registered {
    pub cadre_id: String,
    pub name: String,
    pub id_number: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    /// 民族; `None` when not recorded (payloads from schema v1).
    pub ethnicity: Option<String>,
    pub unit_id: String,
    pub rank: Option<Rank>,
    pub rank_since: Option<NaiveDate>,
    pub leadership_level: Option<LeadershipLevel>,
    pub level_since: Option<NaiveDate>,
    /// 参加工作时间.
    pub joined_work_on: Option<NaiveDate>,
    pub registered_on: NaiveDate,
}

/// 家庭成员登记 (also the basis of kinship avoidance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyMemberAdded {
    pub cadre_id: String,
    pub member_id: String,
    pub relation: Relation,
    /// 称谓 (妻子, 父亲, 兄长 …) as written on the 任免审批表.
    pub appellation: String,
    pub name: String,
    pub id_number: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// 政治面貌.
    pub political_status: Option<String>,
    /// 工作单位及职务.
    pub work_unit_and_post: Option<String>,
    /// The relative's own cadre id, when the relative is a cadre on record.
    pub relative_cadre_id: Option<String>,
}

/// 家庭成员删除.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyMemberRemoved {
    pub cadre_id: String,
    pub member_id: String,
    pub reason: String,
    pub removed_on: NaiveDate,
}

/// 任职 (one appointment record, with the ZB-coded fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appointed {
    pub cadre_id: String,
    pub unit_id: String,
    pub unit_name: String,
    pub post_id: String,
    pub post_title: String,
    pub category: PostCategory,
    pub leadership_level: Option<LeadershipLevel>,
    pub heads_unit: bool,
    /// ZB11
    pub manner: AppointmentManner,
    /// ZB12
    pub reason: AppointmentReason,
    /// ZB13
    pub change_category: ChangeCategory,
    /// ZB14
    pub status: AppointmentStatus,
    /// 提名单位
    pub nominated_by: String,
    /// 批准单位
    pub approved_by: String,
    /// 批准日期
    pub decided_on: NaiveDate,
    /// 任职日期
    pub effective_on: NaiveDate,
    /// 任免文号
    pub document_number: String,
    /// 试用期截止
    pub probation_until: Option<NaiveDate>,
}

/// 免职.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Removed {
    pub cadre_id: String,
    pub unit_id: String,
    pub post_id: String,
    pub post_title: String,
    /// ZB15
    pub manner: RemovalManner,
    /// ZB16
    pub reason: RemovalReason,
    pub approved_by: String,
    pub decided_on: NaiveDate,
    pub effective_on: NaiveDate,
    pub document_number: String,
    pub held_since: NaiveDate,
}

/// 职务层次变更.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadershipLevelChanged {
    pub cadre_id: String,
    pub from: Option<LeadershipLevel>,
    pub to: Option<LeadershipLevel>,
    pub effective_on: NaiveDate,
    pub document_number: Option<String>,
}

/// 职级晋升, with the computation that allowed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankPromoted {
    pub cadre_id: String,
    pub from: Option<Rank>,
    pub to: Rank,
    pub effective_on: NaiveDate,
    pub document_number: String,
    pub approved_by: String,
    /// Whole months since the counted period began.
    pub served_months: u32,
    /// Months that count (served minus 基本称职/不称职/不定等次 years).
    pub counted_months: u32,
    /// The minimum after the 优秀 reduction.
    pub required_months: u32,
    /// The 优秀 years that shortened the minimum.
    pub excellent_years: Vec<i32>,
    /// The front-line quota year this promotion draws on, if any.
    pub quota_year: Option<i32>,
    /// Promoted before meeting the training hours: the hours owed and the date to make them up by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_makeup: Option<crate::training_hours::Makeup>,
}

/// 职级降低 (降级 as a sanction's consequence or after 不称职).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankLowered {
    pub cadre_id: String,
    pub from: Rank,
    pub to: Rank,
    pub effective_on: NaiveDate,
    pub reason: String,
    pub document_number: Option<String>,
}

/// 年度考核等次 (ZB17 category, ZB18 conclusion).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeRecorded {
    pub cadre_id: String,
    pub unit_id: String,
    pub year: i32,
    /// `None`: 不定等次.
    pub grade: Option<Grade>,
    pub category: AssessmentCategory,
    pub conclusion: AssessmentConclusion,
    pub recorded_on: NaiveDate,
    pub basis: Option<String>,
    /// The 双考 evaluation cited as the grade's basis, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_id: Option<String>,
}

/// 奖励 (嘉奖, 三等功, 骏马奖, 三好 …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardGranted {
    pub cadre_id: String,
    pub award_id: String,
    pub kind: AwardKind,
    pub title: String,
    /// The year the award honours.
    pub year: i32,
    pub granted_on: NaiveDate,
    pub basis: Option<String>,
    /// The stream that caused it (e.g. `assessment-u1-2024`, `award-steed-3`).
    pub source: Option<String>,
    /// The 双考 evaluation cited as the award's basis, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_id: Option<String>,
}

/// 奖励撤销.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardRevoked {
    pub cadre_id: String,
    pub award_id: String,
    pub kind: AwardKind,
    pub reason: String,
    pub revoked_on: NaiveDate,
}

/// 处分, with its effect period (影响期) from the policy in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SanctionImposed {
    pub cadre_id: String,
    pub sanction_id: String,
    pub kind: SanctionKind,
    pub reason: String,
    pub decided_by: String,
    pub document_number: String,
    pub imposed_on: NaiveDate,
    /// The effect period runs from `imposed_on` up to (not including) this date.
    pub effect_until: NaiveDate,
}

/// 诫勉, with a deadline to improve and an effect period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdmonitionIssued {
    pub cadre_id: String,
    pub admonition_id: String,
    pub reason: String,
    pub issued_on: NaiveDate,
    pub improve_by: NaiveDate,
    pub effect_until: NaiveDate,
}

/// 立案审查.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvestigationOpened {
    pub cadre_id: String,
    pub case_id: String,
    pub authority: String,
    pub reason: String,
    pub opened_on: NaiveDate,
}

/// 审查结束.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvestigationClosed {
    pub cadre_id: String,
    pub case_id: String,
    pub outcome: String,
    pub closed_on: NaiveDate,
}

/// 公示开始.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicNoticeStarted {
    pub cadre_id: String,
    pub notice_id: String,
    pub purpose: String,
    /// The rank the notice is for, when it precedes a promotion.
    pub target_rank: Option<Rank>,
    pub started_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Working days from start to planned end, both included.
    pub working_days: u32,
}

/// 公示结束.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicNoticeEnded {
    pub cadre_id: String,
    pub notice_id: String,
    pub ended_on: NaiveDate,
    /// An objection was found to hold (the promotion may not proceed on this notice).
    pub objection_upheld: bool,
    pub note: Option<String>,
}

/// 试用期开始.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbationStarted {
    pub cadre_id: String,
    pub unit_id: String,
    pub post_id: String,
    pub started_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// 试用期结束 (passed: 转正; not passed: 试用期不合格).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbationEnded {
    pub cadre_id: String,
    pub post_id: String,
    pub ended_on: NaiveDate,
    pub passed: bool,
}

/// 挂职开始.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecondmentStarted {
    pub cadre_id: String,
    pub secondment_id: String,
    pub host_unit: String,
    pub host_post: String,
    pub started_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub document_number: Option<String>,
}

/// 挂职结束.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecondmentEnded {
    pub cadre_id: String,
    pub secondment_id: String,
    pub ended_on: NaiveDate,
}

/// 交流: from one post to another, with a kind and a reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rotated {
    pub cadre_id: String,
    pub kind: RotationKind,
    pub reason: String,
    pub from_unit_id: String,
    pub from_post_id: String,
    pub from_post_title: String,
    pub held_since: NaiveDate,
    pub to_unit_id: String,
    pub to_unit_name: String,
    pub to_post_id: String,
    pub to_post_title: String,
    pub to_category: PostCategory,
    pub to_leadership_level: Option<LeadershipLevel>,
    pub to_heads_unit: bool,
    pub effective_on: NaiveDate,
    pub document_number: String,
    pub approved_by: String,
}

/// 辞退 case opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DismissalCaseOpened {
    pub cadre_id: String,
    pub case_id: String,
    pub reason: String,
    pub opened_on: NaiveDate,
    /// The assessment years that ground it, if it follows from grades.
    pub grounds_years: Vec<i32>,
}

/// The cadre must be reviewed for the “down” list (不称职 → 能上能下 review).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DownReviewRequired {
    pub cadre_id: String,
    pub year: i32,
    pub reason: String,
    pub raised_on: NaiveDate,
}

/// A “down” decision carried out on the record (能上能下): which posts it ended and, for
/// 逆向调整岗位, the post the cadre moved to. The `Removed` / `Appointed` /
/// `LeadershipLevelChanged` events of the same write carry the changes themselves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovedDown {
    pub cadre_id: String,
    pub review_id: String,
    pub method: DownMethod,
    pub decision_ref: String,
    pub decided_on: NaiveDate,
    pub effective_on: NaiveDate,
    /// The leadership posts ended, as `unit/post`.
    pub posts_ended: Vec<String>,
    pub to_unit_id: Option<String>,
    pub to_post_id: Option<String>,
    pub level_before: Option<LeadershipLevel>,
    pub level_after: Option<LeadershipLevel>,
}

crate::event_set! {
    /// Events of a `cadre` stream.
    pub enum Event {
        Registered(Registered) = "cadre.Registered" @ 2,
        FamilyMemberAdded(FamilyMemberAdded) = "cadre.FamilyMemberAdded" @ 1,
        FamilyMemberRemoved(FamilyMemberRemoved) = "cadre.FamilyMemberRemoved" @ 1,
        Appointed(Appointed) = "cadre.Appointed" @ 1,
        Removed(Removed) = "cadre.Removed" @ 1,
        LeadershipLevelChanged(LeadershipLevelChanged) = "cadre.LeadershipLevelChanged" @ 1,
        RankPromoted(RankPromoted) = "cadre.RankPromoted" @ 1,
        RankLowered(RankLowered) = "cadre.RankLowered" @ 1,
        GradeRecorded(GradeRecorded) = "cadre.GradeRecorded" @ 1,
        AwardGranted(AwardGranted) = "cadre.AwardGranted" @ 1,
        AwardRevoked(AwardRevoked) = "cadre.AwardRevoked" @ 1,
        SanctionImposed(SanctionImposed) = "cadre.SanctionImposed" @ 1,
        AdmonitionIssued(AdmonitionIssued) = "cadre.AdmonitionIssued" @ 1,
        InvestigationOpened(InvestigationOpened) = "cadre.InvestigationOpened" @ 1,
        InvestigationClosed(InvestigationClosed) = "cadre.InvestigationClosed" @ 1,
        PublicNoticeStarted(PublicNoticeStarted) = "cadre.PublicNoticeStarted" @ 1,
        PublicNoticeEnded(PublicNoticeEnded) = "cadre.PublicNoticeEnded" @ 1,
        ProbationStarted(ProbationStarted) = "cadre.ProbationStarted" @ 1,
        ProbationEnded(ProbationEnded) = "cadre.ProbationEnded" @ 1,
        SecondmentStarted(SecondmentStarted) = "cadre.SecondmentStarted" @ 1,
        SecondmentEnded(SecondmentEnded) = "cadre.SecondmentEnded" @ 1,
        Rotated(Rotated) = "cadre.Rotated" @ 1,
        DismissalCaseOpened(DismissalCaseOpened) = "cadre.DismissalCaseOpened" @ 1,
        DownReviewRequired(DownReviewRequired) = "cadre.DownReviewRequired" @ 1,
        MovedDown(MovedDown) = "cadre.MovedDown" @ 1,
        RankLoweringPending(RankLoweringPending) = "cadre.RankLoweringPending" @ 1,
        DismissalDecided(DismissalDecided) = "cadre.DismissalDecided" @ 1,
        DismissalCaseClosed(DismissalCaseClosed) = "cadre.DismissalCaseClosed" @ 1,
        ParticularsRecorded(super::ParticularsRecorded) = "cadre.ParticularsRecorded" @ 1,
        EvaluationRecorded(super::EvaluationRecorded) = "cadre.EvaluationRecorded" @ 1,
    }
}
