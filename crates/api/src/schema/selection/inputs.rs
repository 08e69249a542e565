//! The GraphQL enums and input objects of the selection and quota mutations.

use async_graphql::InputObject;
use dossier_domain::{reserve, selection};

use crate::schema::{
    command::mirror_enum,
    people::{AppointmentManner, RemovalManner},
    scalars::Date,
};

mirror_enum! {
    /// How a cadre was nominated to the reserve pool.
    ReserveNomination => reserve::Nomination {
        /// 民主推荐
        DemocraticRecommendation,
        /// 组织推荐
        Organization,
        /// 调研发现
        Survey,
    }
}

mirror_enum! {
    /// The meeting that moved or decided a case.
    SelectionMeeting => selection::MeetingKind {
        /// 干部工作小组会
        WorkingGroup,
        /// 常委会
        StandingCommittee,
    }
}

mirror_enum! {
    /// A round of democratic recommendation.
    RecommendationMethod => selection::RoundMethod {
        /// 会议推荐
        Meeting,
        /// 谈话推荐
        Interview,
    }
}

mirror_enum! {
    /// 廉政意见.
    IntegrityVerdict => selection::Verdict {
        /// 无不同意见
        Clear,
        /// 有影响使用的问题
        Negative,
    }
}

mirror_enum! {
    /// The finding on an objection received during the notice.
    ObjectionFinding => selection::Finding {
        /// 反映问题属实, 影响任用
        Upheld,
        /// 不属实或不影响任用
        NotUpheld,
    }
}

/// What a step records besides its own facts.
#[derive(InputObject, Default)]
pub struct StepRecordInput {
    /// 办理机构 or the meeting's name.
    #[graphql(validator(min_length = 1, max_length = 200))]
    pub body: String,
    /// 文件 / 纪要 reference.
    #[graphql(validator(max_length = 200))]
    pub document: Option<String>,
    /// Attachments' references.
    #[graphql(default)]
    pub attachments: Vec<String>,
}

impl From<StepRecordInput> for selection::Record {
    fn from(r: StepRecordInput) -> Self {
        selection::Record {
            body: r.body.trim().to_owned(),
            document: r
                .document
                .map(|d| d.trim().to_owned())
                .filter(|d| !d.is_empty()),
            attachments: r.attachments,
        }
    }
}

/// 职数核定.
#[derive(InputObject)]
pub struct PublishPostQuotaInput {
    pub unit_id: String,
    /// 正职职数.
    pub chiefs: u32,
    /// 副职职数.
    pub deputies: u32,
    /// Whether an appointment beyond the quota may be recorded as an exception with its approval.
    #[graphql(default)]
    pub exceptions_allowed: bool,
    #[graphql(validator(min_length = 1, max_length = 200))]
    pub basis: String,
}

/// 动议.
#[derive(InputObject)]
pub struct MoveSelectionInput {
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub case_id: String,
    pub unit_id: String,
    #[graphql(validator(min_length = 1, max_length = 200))]
    pub proposer: String,
    pub meeting: SelectionMeeting,
    pub post_ids: Vec<String>,
    /// The candidate pool (cadre ids).
    pub pool: Vec<String>,
    pub quota_exception: Option<String>,
    pub record: StepRecordInput,
}

/// One candidate's votes.
#[derive(InputObject)]
pub struct CandidateVotesInput {
    pub cadre_id: String,
    pub votes: u32,
}

/// 民主推荐: one round.
#[derive(InputObject)]
pub struct RecommendInput {
    pub case_id: String,
    pub method: RecommendationMethod,
    pub participants: u32,
    pub votes: Vec<CandidateVotesInput>,
    pub carried_forward: Vec<String>,
    pub record: StepRecordInput,
}

/// 考察 of one candidate.
#[derive(InputObject)]
pub struct InspectCandidateInput {
    pub case_id: String,
    pub cadre_id: String,
    pub team: Vec<String>,
    pub interviewed: u32,
    #[graphql(validator(min_length = 1, max_length = 200))]
    pub report: String,
    pub record: StepRecordInput,
}

/// 征求纪委监委意见.
#[derive(InputObject)]
pub struct RequestIntegrityInput {
    pub case_id: String,
    pub cadre_ids: Vec<String>,
    pub record: StepRecordInput,
}

/// 廉政意见 for one candidate.
#[derive(InputObject)]
pub struct ReplyIntegrityInput {
    pub case_id: String,
    pub cadre_id: String,
    pub verdict: IntegrityVerdict,
    #[graphql(validator(max_length = 2000))]
    pub note: String,
    pub record: StepRecordInput,
}

/// One candidate's votes at the decision.
#[derive(InputObject)]
pub struct DecisionVoteInput {
    pub cadre_id: String,
    pub post_id: String,
    /// 同意
    pub approve: u32,
    /// 不同意
    pub against: u32,
    /// 弃权
    pub abstain: u32,
}

/// 讨论决定.
#[derive(InputObject)]
pub struct DecideSelectionInput {
    pub case_id: String,
    pub meeting: SelectionMeeting,
    /// 应到 (all members).
    pub members: u32,
    /// 实到.
    pub present: u32,
    pub votes: Vec<DecisionVoteInput>,
    pub record: StepRecordInput,
}

/// 任前公示 from the effective date to `endsOn`.
#[derive(InputObject)]
pub struct StartNoticeInput {
    pub case_id: String,
    pub ends_on: Date,
    pub record: StepRecordInput,
}

/// An objection received during the notice.
#[derive(InputObject)]
pub struct ReceiveObjectionInput {
    pub case_id: String,
    #[graphql(validator(min_length = 1, max_length = 64))]
    pub objection_id: String,
    pub cadre_id: String,
    #[graphql(validator(min_length = 1, max_length = 2000))]
    pub summary: String,
}

/// An objection handled.
#[derive(InputObject)]
pub struct HandleObjectionInput {
    pub case_id: String,
    pub objection_id: String,
    pub finding: ObjectionFinding,
    #[graphql(validator(min_length = 1, max_length = 2000))]
    pub handling: String,
}

/// One 任 line of an appointment document.
#[derive(InputObject)]
pub struct AppointLineInput {
    pub cadre_id: String,
    pub post_id: String,
    pub manner: AppointmentManner,
    /// 程序, e.g. 经区委常委会研究决定.
    pub procedure: String,
}

/// One 免 line of an appointment document.
#[derive(InputObject)]
pub struct RemoveLineInput {
    pub cadre_id: String,
    pub unit_id: String,
    pub post_id: String,
    pub manner: RemovalManner,
    pub procedure: String,
}

/// 任职: the 任免文件, taking effect on the command's effective date.
#[derive(InputObject)]
pub struct IssueDocumentInput {
    pub case_id: String,
    /// 文号.
    #[graphql(validator(min_length = 1, max_length = 100))]
    pub number: String,
    /// 发文机关.
    pub issuer: String,
    pub issued_on: Date,
    pub appointments: Vec<AppointLineInput>,
    #[graphql(default)]
    pub removals: Vec<RemoveLineInput>,
    #[graphql(default)]
    pub attachments: Vec<String>,
}
