//! Commands a `selection` stream accepts; each step takes effect on the context's effective date.

use chrono::NaiveDate;

use super::events::{
    CandidateVotes, DecisionVote, Finding, MeetingKind, Record, RoundMethod, Verdict,
};
use crate::codes::{AppointmentManner, RemovalManner};

/// 动议.
#[derive(Debug, Clone)]
pub struct Move {
    pub case_id: String,
    pub unit_id: String,
    pub proposer: String,
    pub meeting: MeetingKind,
    pub post_ids: Vec<String>,
    pub pool: Vec<String>,
    /// The approval of filling beyond the quota (when the unit's quota allows exceptions).
    pub quota_exception: Option<String>,
    pub record: Record,
}

/// 民主推荐: one round.
#[derive(Debug, Clone)]
pub struct Recommend {
    pub case_id: String,
    pub method: RoundMethod,
    pub participants: u32,
    pub votes: Vec<CandidateVotes>,
    pub carried_forward: Vec<String>,
    pub record: Record,
}

/// 考察: one candidate (grades and obstacles come from the record).
#[derive(Debug, Clone)]
pub struct Inspect {
    pub case_id: String,
    pub cadre_id: String,
    pub team: Vec<String>,
    pub interviewed: u32,
    pub report: String,
    pub record: Record,
}

/// 征求纪委监委意见.
#[derive(Debug, Clone)]
pub struct RequestIntegrity {
    pub case_id: String,
    pub cadre_ids: Vec<String>,
    pub record: Record,
}

/// 廉政意见 received for one candidate.
#[derive(Debug, Clone)]
pub struct ReplyIntegrity {
    pub case_id: String,
    pub cadre_id: String,
    pub verdict: Verdict,
    pub note: String,
    pub record: Record,
}

/// 讨论决定.
#[derive(Debug, Clone)]
pub struct Decide {
    pub case_id: String,
    pub meeting: MeetingKind,
    pub members: u32,
    pub present: u32,
    pub votes: Vec<DecisionVote>,
    pub record: Record,
}

/// 任前公示 from the effective date to `ends_on`.
#[derive(Debug, Clone)]
pub struct StartNotice {
    pub case_id: String,
    pub ends_on: NaiveDate,
    pub record: Record,
}

/// An objection received during the notice.
#[derive(Debug, Clone)]
pub struct ReceiveObjection {
    pub case_id: String,
    pub objection_id: String,
    pub cadre_id: String,
    pub summary: String,
}

/// An objection handled.
#[derive(Debug, Clone)]
pub struct HandleObjection {
    pub case_id: String,
    pub objection_id: String,
    pub finding: Finding,
    pub handling: String,
}

/// 任前公示 ended.
#[derive(Debug, Clone)]
pub struct EndNotice {
    pub case_id: String,
}

/// One 任 line of the document.
#[derive(Debug, Clone)]
pub struct AppointLine {
    pub cadre_id: String,
    pub post_id: String,
    pub manner: AppointmentManner,
    pub procedure: String,
}

/// One 免 line of the document (a post the appointee leaves).
#[derive(Debug, Clone)]
pub struct RemoveLine {
    pub cadre_id: String,
    pub unit_id: String,
    pub post_id: String,
    pub manner: RemovalManner,
    pub procedure: String,
}

/// 任职: issue the 任免文件; it takes effect on the context's effective date.
#[derive(Debug, Clone)]
pub struct Appoint {
    pub case_id: String,
    pub number: String,
    pub issuer: String,
    pub issued_on: NaiveDate,
    pub appointments: Vec<AppointLine>,
    pub removals: Vec<RemoveLine>,
    pub attachments: Vec<String>,
}

/// Commands a `selection` stream accepts.
#[derive(Debug, Clone)]
pub enum Command {
    Move(Move),
    Recommend(Recommend),
    Inspect(Inspect),
    RequestIntegrity(RequestIntegrity),
    ReplyIntegrity(ReplyIntegrity),
    Decide(Decide),
    StartNotice(StartNotice),
    ReceiveObjection(ReceiveObjection),
    HandleObjection(HandleObjection),
    EndNotice(EndNotice),
    Appoint(Appoint),
    ConfirmProbation {
        case_id: String,
        cadre_id: String,
        document: Option<String>,
    },
    FailProbation {
        case_id: String,
        cadre_id: String,
        reason: String,
        document: Option<String>,
    },
    Pause {
        case_id: String,
        reason: String,
    },
    Resume {
        case_id: String,
    },
    Cancel {
        case_id: String,
        reason: String,
    },
    Archive {
        case_id: String,
    },
}

impl Command {
    /// The case the command targets.
    pub fn case_id(&self) -> &str {
        match self {
            Command::Move(c) => &c.case_id,
            Command::Recommend(c) => &c.case_id,
            Command::Inspect(c) => &c.case_id,
            Command::RequestIntegrity(c) => &c.case_id,
            Command::ReplyIntegrity(c) => &c.case_id,
            Command::Decide(c) => &c.case_id,
            Command::StartNotice(c) => &c.case_id,
            Command::ReceiveObjection(c) => &c.case_id,
            Command::HandleObjection(c) => &c.case_id,
            Command::EndNotice(c) => &c.case_id,
            Command::Appoint(c) => &c.case_id,
            Command::ConfirmProbation { case_id, .. }
            | Command::FailProbation { case_id, .. }
            | Command::Pause { case_id, .. }
            | Command::Resume { case_id }
            | Command::Cancel { case_id, .. }
            | Command::Archive { case_id } => case_id,
        }
    }

    /// The cadres whose records the application loads into `Facts::cadres` before deciding.
    pub fn cadre_ids(&self) -> Vec<&str> {
        match self {
            Command::Move(c) => c.pool.iter().map(String::as_str).collect(),
            Command::Inspect(c) => vec![c.cadre_id.as_str()],
            Command::ReplyIntegrity(c) => vec![c.cadre_id.as_str()],
            Command::Decide(c) => c.votes.iter().map(|v| v.cadre_id.as_str()).collect(),
            Command::FailProbation { cadre_id, .. } => vec![cadre_id.as_str()],
            Command::Appoint(c) => c
                .appointments
                .iter()
                .map(|a| a.cadre_id.as_str())
                .chain(c.removals.iter().map(|r| r.cadre_id.as_str()))
                .collect(),
            _ => Vec::new(),
        }
    }
}
