//! The GraphQL enums and input objects of the cadre and unit mutations (mirrors of the domain's code tables and types).

use async_graphql::InputObject;
use dossier_domain::{codes, types};

use crate::schema::{command::mirror_enum, scalars::Date};

mirror_enum! {
    /// 性别.
    Gender => types::Gender { Male, Female }
}

mirror_enum! {
    /// 职级, ascending.
    Rank => types::Rank {
        /// 二级科员
        ClerkGrade2,
        /// 一级科员
        ClerkGrade1,
        /// 四级主任科员
        PrincipalClerk4,
        /// 三级主任科员
        PrincipalClerk3,
        /// 二级主任科员
        PrincipalClerk2,
        /// 一级主任科员
        PrincipalClerk1,
        /// 四级调研员
        Researcher4,
        /// 三级调研员
        Researcher3,
        /// 二级调研员
        Researcher2,
        /// 一级调研员
        Researcher1,
        /// 二级巡视员
        Inspector2,
        /// 一级巡视员
        Inspector1,
    }
}

mirror_enum! {
    /// 职务层次.
    LeadershipLevel => types::LeadershipLevel {
        /// 乡科级副职
        TownshipDeputy,
        /// 乡科级正职
        TownshipChief,
        /// 县处级副职
        CountyDeputy,
        /// 县处级正职
        CountyChief,
        /// 厅局级副职
        BureauDeputy,
    }
}

mirror_enum! {
    /// 亲属关系 (回避).
    Relation => types::Relation { Spouse, Lineal, Collateral, CloseInLaw }
}

mirror_enum! {
    /// 岗位类别.
    PostCategory => types::PostCategory {
        Organization, Personnel, Discipline, Supervision, Audit, Accounting, Finance, Business, General,
    }
}

mirror_enum! {
    /// ZB11 任职方式.
    AppointmentManner => codes::AppointmentManner { Election, Commission, Examination, Engagement }
}

mirror_enum! {
    /// ZB12 任职原因.
    AppointmentReason => codes::AppointmentReason {
        Promotion, Rotation, Recruitment, ReElection, WorkNeeds, ProbationCompleted, Other,
    }
}

mirror_enum! {
    /// ZB13 职务变动类别.
    ChangeCategory => codes::ChangeCategory { New, Promoted, Lateral, Concurrent, Reappointed, Demoted }
}

mirror_enum! {
    /// ZB14 任职状态.
    AppointmentStatus => codes::AppointmentStatus { Serving, OnProbation, Seconded, Ended }
}

mirror_enum! {
    /// ZB15 免职方式.
    RemovalManner => codes::RemovalManner { Removal, Resignation, Revocation, Recall, Lapse }
}

mirror_enum! {
    /// ZB16 免职原因.
    RemovalReason => codes::RemovalReason {
        Transfer, Promotion, Retirement, Resignation, TermEnded, Discipline, Unfit, ProbationFailed, Other,
    }
}

mirror_enum! {
    /// ZB17 考核类别.
    AssessmentCategory => codes::AssessmentCategory { Annual, Term, Special, Probation }
}

mirror_enum! {
    /// ZB18 考核结论: an annual grade, or 不定等次.
    AssessmentConclusion => codes::AssessmentConclusion {
        /// 优秀
        Excellent,
        /// 称职
        Competent,
        /// 基本称职
        BasicallyCompetent,
        /// 不称职
        Incompetent,
        /// 不定等次
        Ungraded,
    }
}

mirror_enum! {
    /// 年度考核等次.
    Grade => types::Grade {
        /// 不称职
        Incompetent,
        /// 基本称职
        BasicallyCompetent,
        /// 称职
        Competent,
        /// 优秀
        Excellent,
    }
}

mirror_enum! {
    /// 交流类型.
    RotationKind => types::RotationKind {
        /// 保护性交流
        Protective,
        /// 培养性交流
        Cultivating,
        /// 鞭策性交流
        Spurring,
    }
}

mirror_enum! {
    /// 奖励种类.
    AwardKind => types::AwardKind { Commendation, Merit, Steed, ThreeGood, Other }
}

mirror_enum! {
    /// 处分种类.
    SanctionKind => types::SanctionKind { Warning, Demerit, MajorDemerit, Demotion, Dismissal, Expulsion }
}

/// Register a unit.
#[derive(InputObject)]
pub struct RegisterUnitInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub unit_id: String,
    #[graphql(validator(min_length = 1, max_length = 200))]
    pub name: String,
    pub parent_unit_id: Option<String>,
    #[graphql(default)]
    pub business_facing: bool,
}

/// Open a post in a unit.
#[derive(InputObject)]
pub struct OpenPostInput {
    pub unit_id: String,
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub post_id: String,
    #[graphql(validator(min_length = 1, max_length = 200))]
    pub title: String,
    pub category: PostCategory,
    pub leadership_level: Option<LeadershipLevel>,
    #[graphql(default)]
    pub heads_unit: bool,
    pub reports_to: Option<String>,
}

/// Register a cadre (身份证号 is checked: GB 11643 check digit).
#[derive(InputObject)]
pub struct RegisterCadreInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub cadre_id: String,
    #[graphql(validator(min_length = 1, max_length = 100))]
    pub name: String,
    #[graphql(validator(min_length = 15, max_length = 18))]
    pub id_number: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<Date>,
    pub ethnicity: Option<String>,
    pub unit_id: String,
    pub rank: Option<Rank>,
    pub rank_since: Option<Date>,
    pub leadership_level: Option<LeadershipLevel>,
    pub level_since: Option<Date>,
    pub joined_work_on: Option<Date>,
}

/// Add a family member (for avoidance checks).
#[derive(InputObject)]
pub struct AddFamilyMemberInput {
    pub cadre_id: String,
    pub member_id: String,
    pub relation: Relation,
    /// 称谓, e.g. 妻子.
    pub appellation: String,
    pub name: String,
    pub id_number: Option<String>,
    pub birth_date: Option<Date>,
    pub political_status: Option<String>,
    pub work_unit_and_post: Option<String>,
    /// The relative's cadre id, when they are a cadre too.
    pub relative_cadre_id: Option<String>,
}

/// 任职.
#[derive(InputObject)]
pub struct AppointInput {
    pub cadre_id: String,
    pub unit_id: String,
    pub post_id: String,
    pub manner: AppointmentManner,
    pub reason: AppointmentReason,
    pub change_category: ChangeCategory,
    #[graphql(default_with = "AppointmentStatus::Serving")]
    pub status: AppointmentStatus,
    pub nominated_by: String,
    pub approved_by: String,
    pub decided_on: Date,
    #[graphql(validator(min_length = 1, max_length = 100))]
    pub document_number: String,
    pub probation_until: Option<Date>,
}

/// 免职.
#[derive(InputObject)]
pub struct RemoveInput {
    pub cadre_id: String,
    pub unit_id: String,
    pub post_id: String,
    pub manner: RemovalManner,
    pub reason: RemovalReason,
    pub approved_by: String,
    pub decided_on: Date,
    #[graphql(validator(min_length = 1, max_length = 100))]
    pub document_number: String,
}

/// 交流 (rotation): a kind and a reason are required.
#[derive(InputObject)]
pub struct RotateInput {
    pub cadre_id: String,
    pub kind: RotationKind,
    #[graphql(validator(min_length = 1, max_length = 2000))]
    pub reason: String,
    pub from_post_id: String,
    pub to_unit_id: String,
    pub to_post_id: String,
    pub approved_by: String,
    #[graphql(validator(min_length = 1, max_length = 100))]
    pub document_number: String,
}

/// 职级晋升.
#[derive(InputObject)]
pub struct PromoteRankInput {
    pub cadre_id: String,
    pub to: Rank,
    #[graphql(validator(min_length = 1, max_length = 100))]
    pub document_number: String,
    pub approved_by: String,
    /// The year of the front-line quota this promotion draws on, if any.
    pub quota_year: Option<i32>,
}

/// 年度考核等次 for one year (null grade: 不定等次).
#[derive(InputObject)]
pub struct RecordGradeInput {
    pub cadre_id: String,
    pub unit_id: String,
    pub year: i32,
    pub grade: Option<Grade>,
    #[graphql(default_with = "AssessmentCategory::Annual")]
    pub category: AssessmentCategory,
    /// The 双考 evaluation of this cadre the grade rests on (must be on their record).
    pub evaluation_id: Option<String>,
}

/// 奖励.
#[derive(InputObject)]
pub struct GrantAwardInput {
    pub cadre_id: String,
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub award_id: String,
    pub kind: AwardKind,
    pub title: String,
    pub year: i32,
    /// Where it comes from (a document, a commendation list…; a batch's awards are granted
    /// by the batch itself).
    pub source: Option<String>,
    /// The 双考 evaluation of this cadre the award rests on (must be on their record).
    pub evaluation_id: Option<String>,
}

/// 处分.
#[derive(InputObject)]
pub struct ImposeSanctionInput {
    pub cadre_id: String,
    pub sanction_id: String,
    pub kind: SanctionKind,
    pub reason: String,
    pub decided_by: String,
    pub document_number: String,
}

/// 公示.
#[derive(InputObject)]
pub struct StartPublicNoticeInput {
    pub cadre_id: String,
    pub notice_id: String,
    pub purpose: String,
    pub target_rank: Option<Rank>,
    pub ends_on: Date,
}

/// 挂职.
#[derive(InputObject)]
pub struct StartSecondmentInput {
    pub cadre_id: String,
    pub secondment_id: String,
    pub host_unit: String,
    pub host_post: String,
    pub ends_on: Date,
    pub document_number: Option<String>,
}

/// A decision on a 辞退 case.
#[derive(InputObject)]
pub struct DecideDismissalInput {
    pub cadre_id: String,
    pub case_id: String,
    /// 辞退 (true, on `documentNumber`) or not (false, with `reasons`).
    pub dismissed: bool,
    /// The decision's 文号 (required to dismiss).
    pub document_number: Option<String>,
    /// Why not dismissed (required then).
    #[graphql(default)]
    pub reasons: String,
}
