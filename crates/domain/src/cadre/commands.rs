//! Commands a `cadre` stream accepts; each names its cadre.

use chrono::NaiveDate;

use crate::{
    codes::{
        AppointmentManner, AppointmentReason, AppointmentStatus, AssessmentCategory,
        ChangeCategory, RemovalManner, RemovalReason,
    },
    types::{
        AwardKind, DownMethod, Gender, Grade, LeadershipLevel, Rank, Relation, RotationKind,
        SanctionKind,
    },
    unit::PostRef,
};

/// 干部登记. Gender and birth date are read from the ID number; when given they must agree with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Register {
    pub cadre_id: String,
    pub name: String,
    pub id_number: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    pub ethnicity: Option<String>,
    pub unit_id: String,
    pub rank: Option<Rank>,
    pub rank_since: Option<NaiveDate>,
    pub leadership_level: Option<LeadershipLevel>,
    pub level_since: Option<NaiveDate>,
    pub joined_work_on: Option<NaiveDate>,
}

/// 家庭成员登记.
#[derive(Debug, Clone, PartialEq)]
pub struct AddFamilyMember {
    pub cadre_id: String,
    pub member_id: String,
    pub relation: Relation,
    pub appellation: String,
    pub name: String,
    pub id_number: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub political_status: Option<String>,
    pub work_unit_and_post: Option<String>,
    pub relative_cadre_id: Option<String>,
}

/// 任职. The post is read from `Facts::post`; the date it takes effect is the context's effective date.
#[derive(Debug, Clone, PartialEq)]
pub struct Appoint {
    pub cadre_id: String,
    pub unit_id: String,
    pub post_id: String,
    pub manner: AppointmentManner,
    pub reason: AppointmentReason,
    pub change_category: ChangeCategory,
    pub status: AppointmentStatus,
    pub nominated_by: String,
    pub approved_by: String,
    pub decided_on: NaiveDate,
    pub document_number: String,
    pub probation_until: Option<NaiveDate>,
}

/// 免职 from a held post.
#[derive(Debug, Clone, PartialEq)]
pub struct Remove {
    pub cadre_id: String,
    pub unit_id: String,
    pub post_id: String,
    pub manner: RemovalManner,
    pub reason: RemovalReason,
    pub approved_by: String,
    pub decided_on: NaiveDate,
    pub document_number: String,
}

/// 交流: from a held post to the post in `Facts::post`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rotate {
    pub cadre_id: String,
    pub kind: RotationKind,
    pub reason: String,
    pub from_post_id: String,
    pub to_unit_id: String,
    pub to_post_id: String,
    pub approved_by: String,
    pub document_number: String,
}

/// Carry out a “down” decision (能上能下) on the cadre's record: 改任职级 and 提前退出领导岗位 end every
/// leadership post; 逆向调整岗位 moves the cadre to `to_post` (read from `Facts::post`).
#[derive(Debug, Clone, PartialEq)]
pub struct CarryOutDown {
    pub cadre_id: String,
    pub review_id: String,
    pub method: DownMethod,
    /// The committee decision's 文号.
    pub decision_ref: String,
    pub decided_on: NaiveDate,
    pub to_post: Option<PostRef>,
}

/// Commands a `cadre` stream accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Register(Register),
    AddFamilyMember(AddFamilyMember),
    RemoveFamilyMember {
        cadre_id: String,
        member_id: String,
        reason: String,
    },
    Appoint(Appoint),
    Remove(Remove),
    Rotate(Rotate),
    CarryOutDown(CarryOutDown),
    ChangeLeadershipLevel {
        cadre_id: String,
        level: Option<LeadershipLevel>,
        document_number: Option<String>,
    },
    /// 职级晋升 (explicit: reaching the minimum entitles no one).
    PromoteRank {
        cadre_id: String,
        to: Rank,
        document_number: String,
        approved_by: String,
        quota_year: Option<i32>,
    },
    /// 降低职级 one level.
    LowerRank {
        cadre_id: String,
        reason: String,
        document_number: Option<String>,
    },
    /// 年度考核等次 for one year, with its consequences (嘉奖, 三等功, 诫勉, 降级, down review, 辞退).
    RecordGrade {
        cadre_id: String,
        unit_id: String,
        year: i32,
        grade: Option<Grade>,
        category: AssessmentCategory,
        basis: Option<String>,
        /// The 双考 evaluation of this cadre the grade rests on, if any.
        evaluation_id: Option<String>,
    },
    GrantAward {
        cadre_id: String,
        award_id: String,
        kind: AwardKind,
        title: String,
        year: i32,
        basis: Option<String>,
        source: Option<String>,
        /// The 双考 evaluation of this cadre the award rests on, if any.
        evaluation_id: Option<String>,
    },
    RevokeAward {
        cadre_id: String,
        award_id: String,
        reason: String,
    },
    ImposeSanction {
        cadre_id: String,
        sanction_id: String,
        kind: SanctionKind,
        reason: String,
        decided_by: String,
        document_number: String,
    },
    IssueAdmonition {
        cadre_id: String,
        admonition_id: String,
        reason: String,
        improve_months: Option<u32>,
    },
    OpenInvestigation {
        cadre_id: String,
        case_id: String,
        authority: String,
        reason: String,
    },
    CloseInvestigation {
        cadre_id: String,
        case_id: String,
        outcome: String,
    },
    StartPublicNotice {
        cadre_id: String,
        notice_id: String,
        purpose: String,
        target_rank: Option<Rank>,
        ends_on: NaiveDate,
    },
    EndPublicNotice {
        cadre_id: String,
        notice_id: String,
        objection_upheld: bool,
        note: Option<String>,
    },
    StartProbation {
        cadre_id: String,
        post_id: String,
        ends_on: NaiveDate,
    },
    EndProbation {
        cadre_id: String,
        passed: bool,
    },
    StartSecondment {
        cadre_id: String,
        secondment_id: String,
        host_unit: String,
        host_post: String,
        ends_on: NaiveDate,
        document_number: Option<String>,
    },
    EndSecondment {
        cadre_id: String,
        secondment_id: String,
    },
    OpenDismissalCase {
        cadre_id: String,
        case_id: String,
        reason: String,
    },
    /// Decide a dismissal case: 辞退 (on a 文号) or not dismissed (with reasons).
    DecideDismissal {
        cadre_id: String,
        case_id: String,
        dismissed: bool,
        document_number: Option<String>,
        reasons: String,
    },
    /// Close a decided dismissal case.
    CloseDismissalCase {
        cadre_id: String,
        case_id: String,
        note: String,
    },
    /// 登记干部基本情况 (籍贯, 学历, 简历 … as a 任免审批表 states them).
    RecordParticulars(super::RecordParticulars),
    /// 登记双考评价 (考察考核“双考”融合).
    RecordEvaluation(super::RecordEvaluation),
}

impl Command {
    /// What the command does, in Chinese (for refusals).
    pub fn action(&self) -> &'static str {
        match self {
            Command::Register(_) => "登记干部",
            Command::AddFamilyMember(_) => "登记家庭成员",
            Command::RemoveFamilyMember { .. } => "删除家庭成员",
            Command::Appoint(_) => "办理任职",
            Command::Remove(_) => "办理免职",
            Command::Rotate(_) => "办理交流",
            Command::CarryOutDown(_) => "执行“能上能下”调整决定",
            Command::ChangeLeadershipLevel { .. } => "调整职务层次",
            Command::PromoteRank { .. } => "办理职级晋升",
            Command::LowerRank { .. } => "降低职级",
            Command::RecordGrade { .. } => "登记考核等次",
            Command::GrantAward { .. } => "登记奖励",
            Command::RevokeAward { .. } => "撤销奖励",
            Command::ImposeSanction { .. } => "登记处分",
            Command::IssueAdmonition { .. } => "登记诫勉",
            Command::OpenInvestigation { .. } => "登记立案审查",
            Command::CloseInvestigation { .. } => "登记审查结束",
            Command::StartPublicNotice { .. } => "发布公示",
            Command::EndPublicNotice { .. } => "结束公示",
            Command::StartProbation { .. } => "开始试用期",
            Command::EndProbation { .. } => "结束试用期",
            Command::StartSecondment { .. } => "开始挂职",
            Command::EndSecondment { .. } => "结束挂职",
            Command::OpenDismissalCase { .. } => "启动辞退程序",
            Command::DecideDismissal { .. } => "作出辞退决定",
            Command::CloseDismissalCase { .. } => "辞退案件结案",
            Command::RecordParticulars(_) => "登记干部基本情况",
            Command::RecordEvaluation(_) => "登记双考评价",
        }
    }

    /// The cadre the command targets.
    pub fn cadre_id(&self) -> &str {
        match self {
            Command::Register(c) => &c.cadre_id,
            Command::AddFamilyMember(c) => &c.cadre_id,
            Command::Appoint(c) => &c.cadre_id,
            Command::Remove(c) => &c.cadre_id,
            Command::Rotate(c) => &c.cadre_id,
            Command::CarryOutDown(c) => &c.cadre_id,
            Command::RecordParticulars(c) => &c.cadre_id,
            Command::RecordEvaluation(c) => &c.cadre_id,
            Command::RemoveFamilyMember { cadre_id, .. }
            | Command::ChangeLeadershipLevel { cadre_id, .. }
            | Command::PromoteRank { cadre_id, .. }
            | Command::LowerRank { cadre_id, .. }
            | Command::RecordGrade { cadre_id, .. }
            | Command::GrantAward { cadre_id, .. }
            | Command::RevokeAward { cadre_id, .. }
            | Command::ImposeSanction { cadre_id, .. }
            | Command::IssueAdmonition { cadre_id, .. }
            | Command::OpenInvestigation { cadre_id, .. }
            | Command::CloseInvestigation { cadre_id, .. }
            | Command::StartPublicNotice { cadre_id, .. }
            | Command::EndPublicNotice { cadre_id, .. }
            | Command::StartProbation { cadre_id, .. }
            | Command::EndProbation { cadre_id, .. }
            | Command::StartSecondment { cadre_id, .. }
            | Command::EndSecondment { cadre_id, .. }
            | Command::OpenDismissalCase { cadre_id, .. }
            | Command::DecideDismissal { cadre_id, .. }
            | Command::CloseDismissalCase { cadre_id, .. } => cadre_id,
        }
    }
}
