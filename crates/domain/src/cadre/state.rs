//! The folded state of a `cadre` stream and how each event changes it (serializable: read models keep it).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::events::*;
use crate::{
    codes::ChangeCategory,
    dates,
    types::{
        AwardKind, Gender, Grade, LeadershipLevel, PostCategory, Rank, Relation, SanctionKind,
    },
};

/// A post the cadre holds now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holding {
    pub unit_id: String,
    pub unit_name: String,
    pub post_id: String,
    pub title: String,
    pub category: PostCategory,
    pub leadership_level: Option<LeadershipLevel>,
    pub heads_unit: bool,
    pub since: NaiveDate,
}

/// A post the cadre held before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PastHolding {
    pub unit_id: String,
    pub unit_name: String,
    pub post_id: String,
    pub title: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A period at one leadership level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelSpell {
    pub level: LeadershipLevel,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// A family member on record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyMember {
    pub member_id: String,
    pub relation: Relation,
    pub appellation: String,
    pub name: String,
    pub relative_cadre_id: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// 政治面貌.
    pub political_status: Option<String>,
    /// 工作单位及职务.
    pub work_unit_and_post: Option<String>,
}

/// An award on record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardRecord {
    pub award_id: String,
    pub kind: AwardKind,
    pub year: i32,
    pub granted_on: NaiveDate,
}

/// A sanction and its effect period `[imposed_on, effect_until)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SanctionRecord {
    pub sanction_id: String,
    pub kind: SanctionKind,
    pub imposed_on: NaiveDate,
    pub effect_until: NaiveDate,
}

/// An admonition: improve by `improve_by`, effect period `[issued_on, effect_until)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdmonitionRecord {
    pub admonition_id: String,
    pub issued_on: NaiveDate,
    pub improve_by: NaiveDate,
    pub effect_until: NaiveDate,
}

/// An investigation (立案审查); open while `closed_on` is `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvestigationRecord {
    pub case_id: String,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
}

/// A public notice (公示).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeRecord {
    pub notice_id: String,
    pub target_rank: Option<Rank>,
    pub started_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub objection_upheld: bool,
}

/// A probation period (试用期).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probation {
    pub post_id: String,
    pub started_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// A secondment (挂职).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Secondment {
    pub secondment_id: String,
    pub host_unit: String,
    pub host_post: String,
    pub started_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// Folded state of a `cadre` stream.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub registered: bool,
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
    pub level_history: Vec<LevelSpell>,
    pub posts: Vec<Holding>,
    pub past_posts: Vec<PastHolding>,
    pub family: Vec<FamilyMember>,
    /// Annual grades by year (`None`: 不定等次).
    pub grades: BTreeMap<i32, Option<Grade>>,
    pub awards: Vec<AwardRecord>,
    pub sanctions: Vec<SanctionRecord>,
    pub admonitions: Vec<AdmonitionRecord>,
    pub investigations: Vec<InvestigationRecord>,
    pub notices: Vec<NoticeRecord>,
    pub probation: Option<Probation>,
    pub secondment: Option<Secondment>,
    /// The open dismissal (辞退) case, if any.
    pub dismissal_case: Option<String>,
    /// The latest dismissal case, open or closed, with its decision.
    pub dismissal: Option<super::DismissalCase>,
    /// When the cadre was dismissed (辞退): their service ended.
    pub dismissed_on: Option<NaiveDate>,
    /// When the cadre was expelled (开除, a sanction): their service ended.
    #[serde(default)]
    pub expelled_on: Option<NaiveDate>,
    /// The rank lowerings 不称职 years require, oldest year first, each until a decision carries
    /// it out (`RankLowered` on a 文号 settles the oldest).
    #[serde(default)]
    pub pending_rank_lowerings: Vec<super::RankLoweringPending>,
    /// The years whose 不称职 grade required a “down” review, with the date it was raised
    /// (the review's clock runs from then, however late the review is opened).
    pub down_review_required: std::collections::BTreeMap<i32, NaiveDate>,
    /// “Down” decisions carried out on the record (review ids).
    pub moved_down: Vec<String>,
    /// 参加工作时间.
    pub joined_work_on: Option<NaiveDate>,
    /// 干部基本情况 as last recorded (籍贯, 学历, 简历 …).
    pub particulars: Option<super::Particulars>,
    /// 双考 evaluations on record, in the order recorded.
    #[serde(default)]
    pub evaluations: Vec<super::EvaluationRecord>,
    /// Promotions that drew on a year's front-line quota: (quota year, effective date). A place
    /// used this way can no longer be revoked.
    #[serde(default)]
    pub quota_promotions: Vec<(i32, NaiveDate)>,
}

/// How a cadre's service ended: 辞退 (a dismissal case decided) or 开除 (a sanction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceEnd {
    Dismissed,
    Expelled,
}

impl ServiceEnd {
    /// The refusal code of a step the end of service bars.
    pub fn code(self) -> &'static str {
        match self {
            ServiceEnd::Dismissed => "CADRE_DISMISSED",
            ServiceEnd::Expelled => "CADRE_EXPELLED",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            ServiceEnd::Dismissed => "辞退",
            ServiceEnd::Expelled => "开除",
        }
    }
}

impl State {
    /// When and how the cadre's service ended (辞退 or 开除, the earlier), if it has.
    pub fn service_ended(&self) -> Option<(NaiveDate, ServiceEnd)> {
        let dismissed = self.dismissed_on.map(|d| (d, ServiceEnd::Dismissed));
        let expelled = self.expelled_on.map(|d| (d, ServiceEnd::Expelled));
        match (dismissed, expelled) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    /// The cadre as refusals name them: 名（id）.
    pub fn who(&self) -> String {
        format!("{}（{}）", self.name, self.cadre_id)
    }

    /// The post held with this id.
    pub fn holding(&self, post_id: &str) -> Option<&Holding> {
        self.posts.iter().find(|h| h.post_id == post_id)
    }

    /// Sanctions whose effect period covers `on`.
    pub fn sanctions_in_effect(&self, on: NaiveDate) -> impl Iterator<Item = &SanctionRecord> {
        self.sanctions
            .iter()
            .filter(move |s| s.imposed_on <= on && on < s.effect_until)
    }

    /// Admonitions whose effect period covers `on`.
    pub fn admonitions_in_effect(&self, on: NaiveDate) -> impl Iterator<Item = &AdmonitionRecord> {
        self.admonitions
            .iter()
            .filter(move |a| a.issued_on <= on && on < a.effect_until)
    }

    /// Investigations open on `on`.
    pub fn investigations_open(&self, on: NaiveDate) -> impl Iterator<Item = &InvestigationRecord> {
        self.investigations
            .iter()
            .filter(move |i| i.opened_on <= on && i.closed_on.is_none_or(|c| on < c))
    }

    /// The heaviest sanction bearing on the annual assessment of `year`:
    /// a warning imposed that year, or a heavier sanction whose effect period overlaps the year.
    pub fn sanction_bearing_on_year(&self, year: i32) -> Option<SanctionKind> {
        let (start, end) = (dates::year_start(year), dates::year_end(year));
        self.sanctions
            .iter()
            .filter(|s| match s.kind {
                SanctionKind::Warning => s.imposed_on >= start && s.imposed_on <= end,
                _ => s.imposed_on <= end && s.effect_until > start,
            })
            .map(|s| s.kind)
            .max()
    }

    /// The run of consecutive years ending at `year` graded `grade`.
    pub fn consecutive_years(&self, year: i32, grade: Grade) -> u32 {
        let mut run = 0;
        let mut y = year;
        while self.grades.get(&y) == Some(&Some(grade)) {
            run += 1;
            y -= 1;
        }
        run
    }

    /// Months at `level`, summed over all spells, up to `on`.
    pub fn months_at_level(&self, level: LeadershipLevel, on: NaiveDate) -> u32 {
        self.level_history
            .iter()
            .filter(|s| s.level == level)
            .map(|s| dates::months_between(s.from, s.to.unwrap_or(on).min(on)))
            .sum()
    }

    /// Months in post `post_id` of `unit_id`, summed over past and current holdings, up to `on`.
    pub fn months_in_post(&self, unit_id: &str, post_id: &str, on: NaiveDate) -> u32 {
        let past: u32 = self
            .past_posts
            .iter()
            .filter(|p| p.unit_id == unit_id && p.post_id == post_id)
            .map(|p| dates::months_between(p.from, p.to.min(on)))
            .sum();
        let current: u32 = self
            .posts
            .iter()
            .filter(|h| h.unit_id == unit_id && h.post_id == post_id)
            .map(|h| dates::months_between(h.since, on))
            .sum();
        past + current
    }

    fn set_level(&mut self, level: Option<LeadershipLevel>, on: NaiveDate) {
        if self.leadership_level == level {
            return;
        }
        if let Some(open) = self.level_history.last_mut().filter(|s| s.to.is_none()) {
            open.to = Some(on);
        }
        self.leadership_level = level;
        self.level_since = level.map(|_| on);
        if let Some(level) = level {
            self.level_history.push(LevelSpell {
                level,
                from: on,
                to: None,
            });
        }
    }

    fn end_holding(&mut self, unit_id: &str, post_id: &str, on: NaiveDate) {
        if let Some(i) = self
            .posts
            .iter()
            .position(|h| h.unit_id == unit_id && h.post_id == post_id)
        {
            let h = self.posts.remove(i);
            self.past_posts.push(PastHolding {
                unit_id: h.unit_id,
                unit_name: h.unit_name,
                post_id: h.post_id,
                title: h.title,
                from: h.since,
                to: on,
            });
        }
        if self
            .probation
            .as_ref()
            .is_some_and(|p| p.post_id == post_id)
        {
            self.probation = None;
        }
    }

    fn hold(&mut self, holding: Holding) {
        // A renewal (连任) of a post already held keeps the original start date.
        if self
            .posts
            .iter()
            .any(|h| h.unit_id == holding.unit_id && h.post_id == holding.post_id)
        {
            return;
        }
        if let Some(level) = holding.leadership_level
            && self.leadership_level.is_none_or(|l| level > l)
        {
            self.set_level(Some(level), holding.since);
        }
        self.posts.push(holding);
    }

    /// Fold one event.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Registered(e) => {
                self.registered = true;
                self.cadre_id = e.cadre_id.clone();
                self.name = e.name.clone();
                self.id_number = e.id_number.clone();
                self.gender = Some(e.gender);
                self.birth_date = Some(e.birth_date);
                self.ethnicity = e.ethnicity.clone();
                self.unit_id = e.unit_id.clone();
                self.rank = e.rank;
                self.rank_since = e.rank_since;
                self.joined_work_on = e.joined_work_on;
                if let (Some(level), Some(since)) = (e.leadership_level, e.level_since) {
                    self.set_level(Some(level), since);
                }
            }
            Event::FamilyMemberAdded(e) => self.family.push(FamilyMember {
                member_id: e.member_id.clone(),
                relation: e.relation,
                appellation: e.appellation.clone(),
                name: e.name.clone(),
                relative_cadre_id: e.relative_cadre_id.clone(),
                birth_date: e.birth_date,
                political_status: e.political_status.clone(),
                work_unit_and_post: e.work_unit_and_post.clone(),
            }),
            Event::FamilyMemberRemoved(e) => self.family.retain(|m| m.member_id != e.member_id),
            Event::Appointed(e) => {
                self.hold(Holding {
                    unit_id: e.unit_id.clone(),
                    unit_name: e.unit_name.clone(),
                    post_id: e.post_id.clone(),
                    title: e.post_title.clone(),
                    category: e.category,
                    leadership_level: e.leadership_level,
                    heads_unit: e.heads_unit,
                    since: e.effective_on,
                });
                if let Some(until) = e.probation_until {
                    self.probation = Some(Probation {
                        post_id: e.post_id.clone(),
                        started_on: e.effective_on,
                        ends_on: until,
                    });
                }
                // A concurrent post (兼任) does not move the cadre to another unit.
                if e.change_category != ChangeCategory::Concurrent {
                    self.unit_id = e.unit_id.clone();
                }
            }
            Event::Removed(e) => self.end_holding(&e.unit_id, &e.post_id, e.effective_on),
            Event::LeadershipLevelChanged(e) => self.set_level(e.to, e.effective_on),
            Event::RankPromoted(e) => {
                self.rank = Some(e.to);
                self.rank_since = Some(e.effective_on);
                if let Some(year) = e.quota_year {
                    self.quota_promotions.push((year, e.effective_on));
                }
            }
            Event::RankLowered(e) => {
                self.rank = Some(e.to);
                self.rank_since = Some(e.effective_on);
                // A decision on a 文号 settles the oldest pending lowering (older logs lowered
                // the rank at the grade, with no document and nothing pending).
                if e.document_number.is_some() && !self.pending_rank_lowerings.is_empty() {
                    self.pending_rank_lowerings.remove(0);
                }
            }
            Event::GradeRecorded(e) => {
                self.grades.insert(e.year, e.grade);
            }
            Event::AwardGranted(e) => self.awards.push(AwardRecord {
                award_id: e.award_id.clone(),
                kind: e.kind,
                year: e.year,
                granted_on: e.granted_on,
            }),
            Event::AwardRevoked(e) => self.awards.retain(|a| a.award_id != e.award_id),
            Event::SanctionImposed(e) => {
                self.sanctions.push(SanctionRecord {
                    sanction_id: e.sanction_id.clone(),
                    kind: e.kind,
                    imposed_on: e.imposed_on,
                    effect_until: e.effect_until,
                });
                if e.kind == SanctionKind::Expulsion
                    && self.expelled_on.is_none_or(|d| e.imposed_on < d)
                {
                    self.expelled_on = Some(e.imposed_on);
                }
            }
            Event::AdmonitionIssued(e) => self.admonitions.push(AdmonitionRecord {
                admonition_id: e.admonition_id.clone(),
                issued_on: e.issued_on,
                improve_by: e.improve_by,
                effect_until: e.effect_until,
            }),
            Event::InvestigationOpened(e) => self.investigations.push(InvestigationRecord {
                case_id: e.case_id.clone(),
                opened_on: e.opened_on,
                closed_on: None,
            }),
            Event::InvestigationClosed(e) => {
                if let Some(i) = self
                    .investigations
                    .iter_mut()
                    .find(|i| i.case_id == e.case_id)
                {
                    i.closed_on = Some(e.closed_on);
                }
            }
            Event::PublicNoticeStarted(e) => self.notices.push(NoticeRecord {
                notice_id: e.notice_id.clone(),
                target_rank: e.target_rank,
                started_on: e.started_on,
                ends_on: e.ends_on,
                ended_on: None,
                objection_upheld: false,
            }),
            Event::PublicNoticeEnded(e) => {
                if let Some(n) = self.notices.iter_mut().find(|n| n.notice_id == e.notice_id) {
                    n.ended_on = Some(e.ended_on);
                    n.objection_upheld = e.objection_upheld;
                }
            }
            Event::ProbationStarted(e) => {
                self.probation = Some(Probation {
                    post_id: e.post_id.clone(),
                    started_on: e.started_on,
                    ends_on: e.ends_on,
                });
            }
            Event::ProbationEnded(_) => self.probation = None,
            Event::SecondmentStarted(e) => {
                self.secondment = Some(Secondment {
                    secondment_id: e.secondment_id.clone(),
                    host_unit: e.host_unit.clone(),
                    host_post: e.host_post.clone(),
                    started_on: e.started_on,
                    ends_on: e.ends_on,
                });
            }
            Event::SecondmentEnded(_) => self.secondment = None,
            Event::Rotated(e) => {
                self.end_holding(&e.from_unit_id, &e.from_post_id, e.effective_on);
                self.hold(Holding {
                    unit_id: e.to_unit_id.clone(),
                    unit_name: e.to_unit_name.clone(),
                    post_id: e.to_post_id.clone(),
                    title: e.to_post_title.clone(),
                    category: e.to_category,
                    leadership_level: e.to_leadership_level,
                    heads_unit: e.to_heads_unit,
                    since: e.effective_on,
                });
                self.unit_id = e.to_unit_id.clone();
            }
            Event::DismissalCaseOpened(e) => {
                self.dismissal_case = Some(e.case_id.clone());
                self.dismissal = Some(super::DismissalCase {
                    case_id: e.case_id.clone(),
                    opened_on: e.opened_on,
                    reason: e.reason.clone(),
                    decided: None,
                    closed_on: None,
                });
            }
            // Each 不称职 year's lowering waits for its own decision, oldest year first.
            Event::RankLoweringPending(e) => {
                self.pending_rank_lowerings.retain(|p| p.year != e.year);
                let at = self
                    .pending_rank_lowerings
                    .partition_point(|p| p.year < e.year);
                self.pending_rank_lowerings.insert(at, e.clone());
            }
            Event::DismissalDecided(e) => {
                if let Some(case) = self.dismissal.as_mut() {
                    case.decided = Some((e.dismissed, e.decided_on));
                }
                if e.dismissed {
                    self.dismissed_on = Some(e.decided_on);
                }
            }
            Event::DismissalCaseClosed(e) => {
                if let Some(case) = self.dismissal.as_mut() {
                    case.closed_on = Some(e.closed_on);
                }
                self.dismissal_case = None;
            }
            Event::DownReviewRequired(e) => {
                self.down_review_required.insert(e.year, e.raised_on);
            }
            Event::MovedDown(e) => self.moved_down.push(e.review_id.clone()),
            Event::ParticularsRecorded(e) => self.particulars = Some((*e.particulars).clone()),
            Event::EvaluationRecorded(e) => self.evaluations.push(e.into()),
        }
    }
}
