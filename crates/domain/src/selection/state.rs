//! The folded state of a `selection` stream: its stage, posts, candidates and what each step left.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::events::*;

/// The steps of the procedure, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// 动议
    Motion,
    /// 民主推荐
    Recommendation,
    /// 考察
    Inspection,
    /// 征求廉政意见
    Integrity,
    /// 讨论决定
    Decision,
    /// 任前公示 (running)
    Notice,
    /// 任前公示 ended
    NoticeEnded,
    /// 任职
    Appointed,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Motion,
        Stage::Recommendation,
        Stage::Inspection,
        Stage::Integrity,
        Stage::Decision,
        Stage::Notice,
        Stage::NoticeEnded,
        Stage::Appointed,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            Stage::Motion => "动议",
            Stage::Recommendation => "民主推荐",
            Stage::Inspection => "考察",
            Stage::Integrity => "征求廉政意见",
            Stage::Decision => "讨论决定",
            Stage::Notice => "任前公示",
            Stage::NoticeEnded => "任前公示期满",
            Stage::Appointed => "任职",
        }
    }

    /// The stable code used by read models and the API.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Motion => "motion",
            Stage::Recommendation => "recommendation",
            Stage::Inspection => "inspection",
            Stage::Integrity => "integrity",
            Stage::Decision => "decision",
            Stage::Notice => "notice",
            Stage::NoticeEnded => "notice_ended",
            Stage::Appointed => "appointed",
        }
    }
}

/// Where a candidate stands in the case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Candidate {
    pub cadre_id: String,
    /// Carried forward by the last recommendation round.
    pub carried: bool,
    pub inspected: bool,
    pub integrity_requested: bool,
    /// `Some(true)`: a clear reply; `Some(false)`: negative.
    pub integrity_clear: Option<bool>,
    /// The case stopped for this candidate (the rule's code).
    pub stopped: Option<String>,
    /// The post the decision passed them for.
    pub decided_post: Option<String>,
    /// Appointed by the case's document.
    pub appointed: bool,
    /// The day the document took effect, once appointed.
    pub appointed_on: Option<NaiveDate>,
    /// Probation end, once appointed on probation.
    pub probation_until: Option<NaiveDate>,
    /// Probation resolved (confirmed or failed).
    pub probation_resolved: bool,
}

/// Where a candidate stands in a case: the furthest step reached, or the case stopped for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateStatus {
    /// 未确定为人选: recommended, not carried forward by the last round.
    NotCarried,
    /// 考察对象: carried forward by the last recommendation round.
    Carried,
    Inspected,
    IntegrityRequested,
    IntegrityClear,
    Decided,
    Appointed,
    OnProbation,
    /// The 试用期 ended, confirmed or not.
    ProbationEnded,
    /// The case stopped for them (`Candidate::stopped` names the rule).
    Stopped,
}

impl CandidateStatus {
    /// The status in words.
    pub fn zh(self) -> &'static str {
        match self {
            CandidateStatus::NotCarried => "未确定为人选",
            CandidateStatus::Carried => "考察对象",
            CandidateStatus::Inspected => "已考察",
            CandidateStatus::IntegrityRequested => "征求廉政意见中",
            CandidateStatus::IntegrityClear => "廉政意见无异议",
            CandidateStatus::Decided => "已决定任用",
            CandidateStatus::Appointed => "已任职",
            CandidateStatus::OnProbation => "试用期",
            CandidateStatus::ProbationEnded => "试用期已结束",
            CandidateStatus::Stopped => "已终止",
        }
    }
}

impl Candidate {
    /// Where the candidate stands: the furthest step reached, or the case stopped for them.
    pub fn status(&self) -> CandidateStatus {
        use CandidateStatus as S;
        if self.stopped.is_some() {
            S::Stopped
        } else if self.probation_resolved {
            S::ProbationEnded
        } else if self.probation_until.is_some() {
            S::OnProbation
        } else if self.appointed {
            S::Appointed
        } else if self.decided_post.is_some() {
            S::Decided
        } else if self.integrity_clear == Some(true) {
            S::IntegrityClear
        } else if self.integrity_requested {
            S::IntegrityRequested
        } else if self.inspected {
            S::Inspected
        } else if self.carried {
            S::Carried
        } else {
            S::NotCarried
        }
    }

    /// Where the candidate stands, in words.
    pub fn status_zh(&self) -> &'static str {
        self.status().zh()
    }
}

/// An objection received during the notice.
#[derive(Debug, Clone, PartialEq)]
pub struct Objection {
    pub cadre_id: String,
    pub handled: bool,
}

/// Folded state of a `selection` stream.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub case_id: String,
    /// `None` before the motion.
    pub stage: Option<Stage>,
    /// The date of the last step (steps are never dated before it).
    pub last_step_on: Option<NaiveDate>,
    pub moved_on: Option<NaiveDate>,
    pub unit_id: String,
    pub posts: Vec<TargetPost>,
    pub pool: Vec<String>,
    pub rounds: u32,
    pub candidates: BTreeMap<String, Candidate>,
    pub decided_on: Option<NaiveDate>,
    pub notice_ends_on: Option<NaiveDate>,
    pub notice_started_on: Option<NaiveDate>,
    pub notice_ended_on: Option<NaiveDate>,
    /// The body that issued the appointment document.
    pub issuer: Option<String>,
    pub objections: BTreeMap<String, Objection>,
    pub paused: Option<String>,
    pub cancelled: Option<String>,
    pub archived: bool,
    /// The pool's cadres the case gave back to the reserve pool (document or cancellation).
    pub released: Vec<String>,
}

impl State {
    /// Candidates the case still runs for.
    pub fn active(&self) -> impl Iterator<Item = &Candidate> {
        self.candidates.values().filter(|c| c.stopped.is_none())
    }

    /// The pool's cadres the case holds without using them: neither appointed (by the case or
    /// by `appointing`) nor stopped for (they went back then).
    pub fn unused_pool<'a>(
        &self,
        appointing: impl Iterator<Item = &'a str> + Clone,
    ) -> Vec<String> {
        self.pool
            .iter()
            .filter(|id| {
                self.candidates
                    .get(*id)
                    .is_none_or(|c| c.stopped.is_none() && !c.appointed)
                    && !self.released.contains(id)
                    && !appointing.clone().any(|a| a == id.as_str())
            })
            .cloned()
            .collect()
    }

    fn candidate(&mut self, cadre_id: &str) -> &mut Candidate {
        self.candidates
            .entry(cadre_id.to_owned())
            .or_insert_with(|| Candidate {
                cadre_id: cadre_id.to_owned(),
                ..Candidate::default()
            })
    }

    fn step(&mut self, stage: Option<Stage>, on: NaiveDate) {
        if let Some(stage) = stage {
            self.stage = Some(stage);
        }
        self.last_step_on = Some(self.last_step_on.map_or(on, |l| l.max(on)));
    }

    /// Fold one event.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Moved(e) => {
                self.case_id = e.case_id.clone();
                self.unit_id = e.unit_id.clone();
                self.posts = e.posts.clone();
                self.pool = e.pool.clone();
                self.moved_on = Some(e.moved_on);
                self.step(Some(Stage::Motion), e.moved_on);
            }
            Event::RoundHeld(e) => {
                self.rounds = e.round;
                for c in self.candidates.values_mut() {
                    c.carried = false;
                }
                for id in &e.carried_forward {
                    self.candidate(id).carried = true;
                }
                self.step(Some(Stage::Recommendation), e.held_on);
            }
            Event::Inspected(e) => {
                self.candidate(&e.cadre_id).inspected = true;
                self.step(Some(Stage::Inspection), e.inspected_on);
            }
            Event::IntegrityRequested(e) => {
                for id in &e.cadre_ids {
                    self.candidate(id).integrity_requested = true;
                }
                self.step(Some(Stage::Integrity), e.requested_on);
            }
            Event::IntegrityReplied(e) => {
                self.candidate(&e.cadre_id).integrity_clear =
                    Some(e.verdict == Verdict::Clear && e.open_investigation.is_none());
                self.step(None, e.replied_on);
            }
            Event::CandidateStopped(e) => {
                self.candidate(&e.cadre_id).stopped = Some(e.code.clone());
                self.step(None, e.stopped_on);
            }
            Event::Decided(e) => {
                for v in &e.votes {
                    self.candidate(&v.cadre_id).decided_post = Some(v.post_id.clone());
                }
                self.decided_on = Some(e.decided_on);
                self.step(Some(Stage::Decision), e.decided_on);
            }
            Event::NoticeStarted(e) => {
                self.notice_started_on = Some(e.starts_on);
                self.notice_ends_on = Some(e.ends_on);
                self.step(Some(Stage::Notice), e.starts_on);
            }
            Event::ObjectionReceived(e) => {
                self.objections.insert(
                    e.objection_id.clone(),
                    Objection {
                        cadre_id: e.cadre_id.clone(),
                        handled: false,
                    },
                );
                self.step(None, e.received_on);
            }
            Event::ObjectionHandled(e) => {
                if let Some(o) = self.objections.get_mut(&e.objection_id) {
                    o.handled = true;
                }
                self.step(None, e.handled_on);
            }
            Event::NoticeEnded(e) => {
                self.notice_ended_on = Some(e.ended_on);
                self.step(Some(Stage::NoticeEnded), e.ended_on);
            }
            Event::Appointed(e) => {
                for entry in &e.document.entries {
                    if let PostAction::Appoint {
                        probation_until, ..
                    } = entry.action
                    {
                        let c = self.candidate(&entry.cadre_id);
                        c.appointed = true;
                        c.appointed_on = Some(e.document.effective_on);
                        c.probation_until = probation_until;
                    }
                }
                self.issuer = Some(e.document.issuer.clone());
                self.released.extend(e.released.iter().cloned());
                self.step(Some(Stage::Appointed), e.document.effective_on);
            }
            Event::ProbationConfirmed(e) => {
                self.candidate(&e.cadre_id).probation_resolved = true;
                self.step(None, e.confirmed_on);
            }
            Event::ProbationFailed(e) => {
                self.candidate(&e.cadre_id).probation_resolved = true;
                self.step(None, e.ended_on);
            }
            Event::Paused(e) => {
                self.paused = Some(e.reason.clone());
                self.step(None, e.paused_on);
            }
            Event::Resumed(e) => {
                self.paused = None;
                self.step(None, e.resumed_on);
            }
            Event::Cancelled(e) => {
                self.cancelled = Some(e.reason.clone());
                self.released.extend(e.released.iter().cloned());
                self.step(None, e.cancelled_on);
            }
            Event::Archived(e) => {
                self.archived = true;
                self.released.extend(e.released.iter().cloned());
                self.step(None, e.archived_on);
            }
        }
    }
}
