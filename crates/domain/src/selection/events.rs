//! Events of a `selection` stream (选任纪实): one per step of the procedure, each with its date, body, document and attachments.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    codes::{AppointmentManner, RemovalManner},
    staffing::Tier,
    types::{Grade, LeadershipLevel},
};

/// The meeting that moved or decided a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// 干部工作小组会
    WorkingGroup,
    /// 常委会 (党委(党组)会议)
    StandingCommittee,
}

impl MeetingKind {
    pub fn zh(self) -> &'static str {
        match self {
            MeetingKind::WorkingGroup => "干部工作小组会",
            MeetingKind::StandingCommittee => "常委会",
        }
    }
}

/// A round of democratic recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundMethod {
    /// 会议推荐
    Meeting,
    /// 谈话推荐 (谈话调研推荐)
    Interview,
}

impl RoundMethod {
    pub fn zh(self) -> &'static str {
        match self {
            RoundMethod::Meeting => "会议推荐",
            RoundMethod::Interview => "谈话推荐",
        }
    }
}

/// The discipline commission's written view (廉政意见).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 无不同意见
    Clear,
    /// 有影响使用的问题
    Negative,
}

/// The finding on an objection received during the notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// 反映问题属实, 影响任用
    Upheld,
    /// 反映问题不属实或不影响任用
    NotUpheld,
}

/// What every step records besides its own facts: the body that acted, the document and the
/// attachments' references (file numbers, archive ids).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// 办理机构 or the meeting's name.
    pub body: String,
    /// 文件 / 纪要 reference.
    pub document: Option<String>,
    pub attachments: Vec<String>,
}

/// A post the case fills.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetPost {
    pub post_id: String,
    pub title: String,
    pub level: LeadershipLevel,
}

/// The quota (职数) of one tier when the case was moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaCheck {
    pub tier: Tier,
    pub approved: u32,
    pub filled: u32,
    /// Posts of this tier the case fills.
    pub filling: u32,
}

/// 动议.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moved {
    pub case_id: String,
    pub unit_id: String,
    pub unit_name: String,
    pub proposer: String,
    pub meeting: MeetingKind,
    pub posts: Vec<TargetPost>,
    /// The candidate pool (cadre ids).
    pub pool: Vec<String>,
    pub quota: Vec<QuotaCheck>,
    /// The approval of filling beyond the quota, when the policy allowed it.
    pub quota_exception: Option<String>,
    pub moved_on: NaiveDate,
    pub record: Record,
}

/// One candidate's votes in a recommendation round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateVotes {
    pub cadre_id: String,
    pub votes: u32,
}

/// 民主推荐: one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundHeld {
    pub case_id: String,
    /// 1, 2, … in the order held.
    pub round: u32,
    pub method: RoundMethod,
    pub participants: u32,
    pub votes: Vec<CandidateVotes>,
    /// The candidates carried forward (考察对象 when it is the last round).
    pub carried_forward: Vec<String>,
    pub held_on: NaiveDate,
    pub record: Record,
}

/// One year's grade as the record holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeEntry {
    pub year: i32,
    /// `None`: 不定等次.
    pub grade: Option<Grade>,
}

/// A rule of the promotion rules that the candidate does not meet on the inspection date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obstacle {
    pub code: String,
    pub message: String,
    /// When the obstacle lifts, when the rules say so.
    #[serde(default)]
    pub lifts_on: Option<NaiveDate>,
}

/// 考察: one candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspected {
    pub case_id: String,
    pub cadre_id: String,
    pub cadre_name: String,
    pub team: Vec<String>,
    /// People interviewed (个别谈话人数).
    pub interviewed: u32,
    /// 考察材料: the report's reference.
    pub report: String,
    /// The recent grades, copied from the cadre's record.
    pub grades: Vec<GradeEntry>,
    pub obstacles: Vec<Obstacle>,
    pub inspected_on: NaiveDate,
    pub record: Record,
}

/// 征求纪委监委意见: the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntegrityRequested {
    pub case_id: String,
    pub cadre_ids: Vec<String>,
    pub requested_on: NaiveDate,
    pub record: Record,
}

/// 廉政意见: the reply for one candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntegrityReplied {
    pub case_id: String,
    pub cadre_id: String,
    pub verdict: Verdict,
    /// An investigation open on the reply date (from the cadre's record).
    pub open_investigation: Option<String>,
    pub note: String,
    pub replied_on: NaiveDate,
    pub record: Record,
}

/// The case stops for one candidate (a rule named).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateStopped {
    pub case_id: String,
    pub cadre_id: String,
    pub code: String,
    pub reason: String,
    pub stopped_on: NaiveDate,
}

/// One candidate's votes at the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionVote {
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decided {
    pub case_id: String,
    pub meeting: MeetingKind,
    /// 应到 (all members).
    pub members: u32,
    /// 实到.
    pub present: u32,
    pub votes: Vec<DecisionVote>,
    pub decided_on: NaiveDate,
    pub record: Record,
}

/// 任前公示 started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeStarted {
    pub case_id: String,
    pub cadre_ids: Vec<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Working days from start to end by the calendar in force.
    pub working_days: u32,
    pub record: Record,
}

/// An objection received during the notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectionReceived {
    pub case_id: String,
    pub objection_id: String,
    pub cadre_id: String,
    pub summary: String,
    pub received_on: NaiveDate,
}

/// An objection handled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectionHandled {
    pub case_id: String,
    pub objection_id: String,
    pub cadre_id: String,
    pub finding: Finding,
    pub handling: String,
    pub handled_on: NaiveDate,
}

/// 任前公示 ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeEnded {
    pub case_id: String,
    pub ended_on: NaiveDate,
    pub working_days: u32,
}

/// 任 or 免 in an appointment document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum PostAction {
    /// 任
    Appoint {
        manner: AppointmentManner,
        probation_until: Option<NaiveDate>,
        /// A promotion (the post's level above the cadre's).
        promotion: bool,
    },
    /// 免
    Remove { manner: RemovalManner },
}

/// One line of an appointment document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentEntry {
    pub cadre_id: String,
    pub cadre_name: String,
    pub unit_id: String,
    pub post_id: String,
    pub post_title: String,
    pub action: PostAction,
    /// 程序 (e.g. 经区委常委会研究决定).
    pub procedure: String,
}

/// 任免文件.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppointmentDocument {
    /// 文号.
    pub number: String,
    /// 发文机关.
    pub issuer: String,
    pub issued_on: NaiveDate,
    pub effective_on: NaiveDate,
    pub entries: Vec<DocumentEntry>,
}

/// 任职: the document issued and carried out on every person's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appointed {
    pub case_id: String,
    pub unit_id: String,
    pub document: AppointmentDocument,
    /// The decision date (批准日期 of each appointment).
    pub decided_on: NaiveDate,
    pub attachments: Vec<String>,
    /// The pool's cadres the case ends for without appointing them (neither appointed nor stopped
    /// before): back to the reserve pool (在库) in the same write.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub released: Vec<String>,
}

/// 试用期满考核合格, 正式任职.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbationConfirmed {
    pub case_id: String,
    pub cadre_id: String,
    pub confirmed_on: NaiveDate,
    pub document: Option<String>,
}

/// 试用期不合格: probation ended without confirmation; the cadre is removed from the post held on
/// probation (免去试任职务) by the document named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbationFailed {
    pub case_id: String,
    pub cadre_id: String,
    pub reason: String,
    pub ended_on: NaiveDate,
    pub document: Option<String>,
    /// The post held on probation (empty in events recorded before removals were carried out).
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub post_id: String,
    /// The body that issued the appointment document, which approves the removal.
    #[serde(default)]
    pub issuer: String,
    /// 按试任前职务层次安排: the 职务层次 the cadre goes back to, when the trial raised it
    /// (`None` in events recorded before the level was written back, or when it did not change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_back: Option<LevelBack>,
}

/// A 职务层次 written back by a failed probation: from the level of the post held on trial to the
/// level held before it (`None`: no leadership level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelBack {
    pub from: Option<LeadershipLevel>,
    pub to: Option<LeadershipLevel>,
}

/// The case paused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paused {
    pub case_id: String,
    pub reason: String,
    pub paused_on: NaiveDate,
}

/// The case resumed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resumed {
    pub case_id: String,
    pub resumed_on: NaiveDate,
}

/// The case cancelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cancelled {
    pub case_id: String,
    pub reason: String,
    pub cancelled_on: NaiveDate,
    /// The pool's cadres the case still held, released back to the reserve pool (在库).
    #[serde(default)]
    pub released: Vec<String>,
}

/// The case archived (归档): its record is closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Archived {
    pub case_id: String,
    pub archived_on: NaiveDate,
    /// The pool's cadres still held by an appointed case recorded before its document released
    /// them: back to the reserve pool (在库) in the same write.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub released: Vec<String>,
}

crate::event_set! {
    /// Events of a `selection` stream.
    pub enum Event {
        Moved(Moved) = "selection.Moved" @ 1,
        RoundHeld(RoundHeld) = "selection.RoundHeld" @ 1,
        Inspected(Inspected) = "selection.Inspected" @ 1,
        IntegrityRequested(IntegrityRequested) = "selection.IntegrityRequested" @ 1,
        IntegrityReplied(IntegrityReplied) = "selection.IntegrityReplied" @ 1,
        CandidateStopped(CandidateStopped) = "selection.CandidateStopped" @ 1,
        Decided(Decided) = "selection.Decided" @ 1,
        NoticeStarted(NoticeStarted) = "selection.NoticeStarted" @ 1,
        ObjectionReceived(ObjectionReceived) = "selection.ObjectionReceived" @ 1,
        ObjectionHandled(ObjectionHandled) = "selection.ObjectionHandled" @ 1,
        NoticeEnded(NoticeEnded) = "selection.NoticeEnded" @ 1,
        Appointed(Appointed) = "selection.Appointed" @ 1,
        ProbationConfirmed(ProbationConfirmed) = "selection.ProbationConfirmed" @ 1,
        ProbationFailed(ProbationFailed) = "selection.ProbationFailed" @ 1,
        Paused(Paused) = "selection.Paused" @ 1,
        Resumed(Resumed) = "selection.Resumed" @ 1,
        Cancelled(Cancelled) = "selection.Cancelled" @ 1,
        Archived(Archived) = "selection.Archived" @ 1,
    }
}
