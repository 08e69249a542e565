//! Cadre profiles: a compact record per cadre folded from every stream that concerns them, and its readable view.

use chrono::NaiveDate;
use dossier_domain::{
    Event,
    accountability::Event as AC,
    appeal::Event as A,
    cadre::Event as C,
    down::Event as D,
    lead::Event as L,
    quota::Event as Q,
    risk::Event as R,
    study::Event as S,
    supervision::Event as SV,
    training::Event as T,
    types::{
        AwardKind, FrontLineField, Gender, Grade, LeadershipLevel, PostCategory, Rank,
        RotationKind, SanctionKind,
    },
};
use serde::{Deserialize, Serialize};

use crate::{
    envelope::Envelope,
    intern::{Interner, Sym},
    model::ReadModel,
};

/// A post a cadre holds (interned ids).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldingRec {
    pub unit: Sym,
    pub post: Sym,
    pub title: Sym,
    pub category: PostCategory,
    pub level: Option<LeadershipLevel>,
    pub heads_unit: bool,
    pub since: NaiveDate,
    /// 任免文号: the document the post was taken on.
    #[serde(default)]
    pub document: Option<Sym>,
}

/// An annual grade (`None`: 不定等次).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GradeRec {
    pub year: i16,
    pub grade: Option<Grade>,
    /// The 双考 evaluation cited as the grade's basis (interned id).
    #[serde(default)]
    pub evaluation: Option<Sym>,
}

/// An award.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AwardRec {
    /// The award id (interned).
    pub id: Sym,
    pub kind: AwardKind,
    pub year: i16,
    pub on: NaiveDate,
    /// The 双考 evaluation cited as the award's basis (interned id).
    #[serde(default)]
    pub evaluation: Option<Sym>,
}

/// A sanction or admonition with its effect period `[from, until)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PeriodRec {
    /// `None` for an admonition (诫勉).
    pub sanction: Option<SanctionKind>,
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// 诫勉: improve by this date.
    pub improve_by: Option<NaiveDate>,
}

/// A rotation (交流).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RotationRec {
    pub on: NaiveDate,
    pub kind: RotationKind,
    pub from_unit: Sym,
    pub to_unit: Sym,
    pub held_since: NaiveDate,
}

/// A “down” review (能上能下): required by a grade, or opened as a review; and its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DownRec {
    /// The review id (interned) once a review is opened.
    pub review: Option<Sym>,
    /// The assessment year that required it, if any.
    pub year: Option<i16>,
    pub raised_on: NaiveDate,
    /// The review's deadline, when the review recorded one.
    pub due_on: Option<NaiveDate>,
    /// The committee's method (interned code) and date, once decided.
    pub decided: Option<(Sym, NaiveDate)>,
    /// Closed without action.
    pub closed: bool,
    /// The 双考 evaluation the review cites (interned id).
    #[serde(default)]
    pub evaluation: Option<Sym>,
    /// When the decision was carried out (执行).
    #[serde(default)]
    pub executed: Option<NaiveDate>,
}

/// Compact per-cadre record (what the runner keeps in memory).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileRec {
    pub registered: bool,
    pub name: Box<str>,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    pub unit: Option<Sym>,
    pub rank: Option<Rank>,
    pub rank_since: Option<NaiveDate>,
    pub level: Option<LeadershipLevel>,
    pub level_since: Option<NaiveDate>,
    pub posts: Vec<HoldingRec>,
    pub grades: Vec<GradeRec>,
    pub awards: Vec<AwardRec>,
    pub periods: Vec<PeriodRec>,
    pub investigations_open: u16,
    /// Training hours credited by year.
    pub training: Vec<(i16, f32)>,
    pub rotations: Vec<RotationRec>,
    pub down: Vec<DownRec>,
    pub probation_until: Option<NaiveDate>,
    pub secondment_until: Option<NaiveDate>,
    /// Supervision records by (source, category): counts only.
    pub supervision: Vec<(Sym, Sym, u32)>,
    pub appeals: Vec<Sym>,
    pub risk_reports: Vec<Sym>,
    pub accountability: Vec<Sym>,
    /// The front-line field of the cadre's latest quota allocation (weighs their points).
    pub front_line: Option<FrontLineField>,
    /// The rank lowering a 不称职 year requires, until a decision carries it out.
    #[serde(default)]
    pub pending_lowering: Option<PendingLowering>,
    /// The latest dismissal (辞退) case.
    #[serde(default)]
    pub dismissal: Option<DismissalView>,
    /// Training hours a promotion owes (the latest promotion short of the requirement).
    #[serde(default)]
    pub makeup: Option<crate::profile_training::MakeupRec>,
    /// 双考 evaluations, in the order recorded.
    #[serde(default)]
    pub evaluations: Vec<crate::evaluations::EvaluationRec>,
}

/// A rank lowering waiting for its decision (不称职: “按照规定程序降低一个职级层次”).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingLowering {
    pub year: i32,
    pub from: Rank,
    pub to: Rank,
    pub raised_on: NaiveDate,
}

/// A dismissal (辞退) case on a cadre's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DismissalView {
    pub case_id: String,
    pub opened_on: NaiveDate,
    pub reason: String,
    /// Dismissed (true) or not (false), once decided.
    pub dismissed: Option<bool>,
    pub decided_on: Option<NaiveDate>,
    pub document_number: Option<String>,
    pub closed_on: Option<NaiveDate>,
}

/// All cadre profiles. Records are dense and in registration order (the cursor of [`Profiles::page`]).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Profiles {
    pub ids: Interner,
    pub syms: Interner,
    pub recs: Vec<ProfileRec>,
    /// Supervision entry id → (source, kind), to take a retracted entry off the counts.
    pub supervision_entries: rustc_hash::FxHashMap<Sym, (Sym, Sym)>,
    /// Training hours coverage: year → [乡科级 and below, 县处级 and above] → half-hours → cadres
    /// (a histogram, so coverage against any requirement is read without visiting profiles).
    pub coverage: std::collections::BTreeMap<i16, [std::collections::BTreeMap<u32, u32>; 2]>,
    /// Open training make-ups by due date → cadres.
    #[serde(default)]
    pub makeups_open: std::collections::BTreeMap<NaiveDate, u32>,
    /// Changes that can move the training coverage (a cadre event, hours credited) since the
    /// models were loaded, and the coverage last computed (see [`Profiles::coverage`]).
    #[serde(skip)]
    pub(crate) coverage_changes: u64,
    #[serde(skip)]
    pub(crate) coverage_memo: crate::profile_training::CoverageMemo,
}

fn key_of<T: Serialize>(v: &T) -> String {
    crate::dashboards::key(v)
}

pub(crate) fn year_of(d: NaiveDate) -> i16 {
    use chrono::Datelike;
    d.year() as i16
}

impl Profiles {
    /// The record of a cadre, created on first mention.
    pub fn rec_mut(&mut self, cadre_id: &str) -> &mut ProfileRec {
        let i = self.ids.intern(cadre_id) as usize;
        if i >= self.recs.len() {
            self.recs.resize_with(i + 1, ProfileRec::default);
        }
        &mut self.recs[i]
    }

    /// The record of a cadre, if known.
    pub fn rec(&self, cadre_id: &str) -> Option<&ProfileRec> {
        self.ids
            .get(cadre_id)
            .and_then(|i| self.recs.get(i as usize))
    }

    fn count_supervision(&mut self, cadre_id: &str, source: Sym, category: Sym, n: u32) {
        let rec = self.rec_mut(cadre_id);
        match rec
            .supervision
            .iter_mut()
            .find(|(s, c, _)| *s == source && *c == category)
        {
            Some((_, _, count)) => *count += n,
            None => rec.supervision.push((source, category, n)),
        }
    }

    fn apply_down(&mut self, e: &D) {
        match e {
            D::Opened(o) => {
                let review = self.syms.intern(&o.review_id);
                let evaluation = o.evaluation_id.as_deref().map(|e| self.syms.intern(e));
                let rec = self.rec_mut(&o.cadre_id);
                let year = o.grade_year.map(|y| y as i16);
                match rec
                    .down
                    .iter_mut()
                    .find(|x| x.review.is_none() && year.is_some() && x.year == year)
                {
                    Some(x) => {
                        x.review = Some(review);
                        x.due_on = o.due_on;
                        x.evaluation = evaluation;
                    }
                    None => rec.down.push(DownRec {
                        review: Some(review),
                        year,
                        raised_on: o.opened_on,
                        due_on: o.due_on,
                        decided: None,
                        closed: false,
                        evaluation,
                        executed: None,
                    }),
                }
            }
            D::Decided(x) => {
                let review = self.syms.intern(&x.review_id);
                let method = self.syms.intern(key_of(&x.method).as_str());
                if let Some(d) = self
                    .rec_mut(&x.cadre_id)
                    .down
                    .iter_mut()
                    .find(|d| d.review == Some(review))
                {
                    d.decided = Some((method, x.decided_on));
                }
            }
            D::ClosedWithoutAction(x) => {
                let review = self.syms.intern(&x.review_id);
                if let Some(d) = self
                    .rec_mut(&x.cadre_id)
                    .down
                    .iter_mut()
                    .find(|d| d.review == Some(review))
                {
                    d.closed = true;
                }
            }
            D::Executed(x) => {
                let review = self.syms.intern(&x.review_id);
                if let Some(d) = self
                    .rec_mut(&x.cadre_id)
                    .down
                    .iter_mut()
                    .find(|d| d.review == Some(review))
                {
                    d.executed = Some(x.executed_on);
                }
            }
            D::FindingsRecorded(_) => {}
        }
    }

    fn apply_cadre(&mut self, env: &Envelope<'_>, e: &C) {
        match e {
            C::Registered(r) => {
                let unit = self.syms.intern(&r.unit_id);
                let rec = self.rec_mut(&r.cadre_id);
                rec.registered = true;
                rec.name = r.name.as_str().into();
                rec.gender = Some(r.gender);
                rec.birth_date = Some(r.birth_date);
                rec.unit = Some(unit);
                rec.rank = r.rank;
                rec.rank_since = r.rank_since;
                rec.level = r.leadership_level;
                rec.level_since = r.level_since;
            }
            C::Appointed(a) => {
                let unit = self.syms.intern(&a.unit_id);
                let post = self.syms.intern(&a.post_id);
                let title = self.syms.intern(&a.post_title);
                let document = Some(self.syms.intern(&a.document_number));
                let rec = self.rec_mut(&a.cadre_id);
                rec.unit = Some(unit);
                rec.posts.retain(|h| !(h.unit == unit && h.post == post));
                rec.posts.push(HoldingRec {
                    unit,
                    post,
                    title,
                    category: a.category,
                    level: a.leadership_level,
                    heads_unit: a.heads_unit,
                    since: a.effective_on,
                    document,
                });
                if a.probation_until.is_some() {
                    rec.probation_until = a.probation_until;
                }
            }
            C::Removed(r) => {
                let unit = self.syms.intern(&r.unit_id);
                let post = self.syms.intern(&r.post_id);
                let rec = self.rec_mut(&r.cadre_id);
                rec.posts.retain(|h| !(h.unit == unit && h.post == post));
            }
            C::LeadershipLevelChanged(l) => {
                let rec = self.rec_mut(&l.cadre_id);
                rec.level = l.to;
                rec.level_since = l.to.map(|_| l.effective_on);
            }
            C::RankPromoted(p) => {
                let rec = self.rec_mut(&p.cadre_id);
                rec.rank = Some(p.to);
                rec.rank_since = Some(p.effective_on);
                self.owe_makeup(p);
            }
            C::RankLowered(l) => {
                let rec = self.rec_mut(&l.cadre_id);
                rec.rank = Some(l.to);
                rec.rank_since = Some(l.effective_on);
                if l.document_number.is_some() {
                    rec.pending_lowering = None;
                }
            }
            C::RankLoweringPending(p) => {
                self.rec_mut(&p.cadre_id).pending_lowering = Some(PendingLowering {
                    year: p.year,
                    from: p.from,
                    to: p.to,
                    raised_on: p.raised_on,
                });
            }
            C::DismissalCaseOpened(o) => {
                self.rec_mut(&o.cadre_id).dismissal = Some(DismissalView {
                    case_id: o.case_id.clone(),
                    opened_on: o.opened_on,
                    reason: o.reason.clone(),
                    dismissed: None,
                    decided_on: None,
                    document_number: None,
                    closed_on: None,
                });
            }
            C::DismissalDecided(x) => {
                if let Some(case) = self.rec_mut(&x.cadre_id).dismissal.as_mut() {
                    case.dismissed = Some(x.dismissed);
                    case.decided_on = Some(x.decided_on);
                    case.document_number.clone_from(&x.document_number);
                }
            }
            C::DismissalCaseClosed(x) => {
                if let Some(case) = self.rec_mut(&x.cadre_id).dismissal.as_mut() {
                    case.closed_on = Some(x.closed_on);
                }
            }
            C::GradeRecorded(g) => {
                let evaluation = g.evaluation_id.as_deref().map(|e| self.syms.intern(e));
                let rec = self.rec_mut(&g.cadre_id);
                let year = g.year as i16;
                rec.grades.retain(|r| r.year != year);
                rec.grades.push(GradeRec {
                    year,
                    grade: g.grade,
                    evaluation,
                });
                rec.grades.sort_by_key(|r| r.year);
            }
            C::AwardGranted(a) => {
                let id = self.syms.intern(&a.award_id);
                let evaluation = a.evaluation_id.as_deref().map(|e| self.syms.intern(e));
                let rec = self.rec_mut(&a.cadre_id);
                rec.awards.retain(|x| x.id != id);
                rec.awards.push(AwardRec {
                    id,
                    kind: a.kind,
                    year: a.year as i16,
                    on: a.granted_on,
                    evaluation,
                });
            }
            C::AwardRevoked(a) => {
                if let Some(id) = self.syms.get(&a.award_id) {
                    self.rec_mut(&a.cadre_id).awards.retain(|x| x.id != id);
                }
            }
            C::SanctionImposed(s) => {
                let rec = self.rec_mut(&s.cadre_id);
                rec.periods.push(PeriodRec {
                    sanction: Some(s.kind),
                    from: s.imposed_on,
                    until: s.effect_until,
                    improve_by: None,
                });
            }
            C::AdmonitionIssued(a) => {
                let rec = self.rec_mut(&a.cadre_id);
                rec.periods.push(PeriodRec {
                    sanction: None,
                    from: a.issued_on,
                    until: a.effect_until,
                    improve_by: Some(a.improve_by),
                });
            }
            C::InvestigationOpened(i) => self.rec_mut(&i.cadre_id).investigations_open += 1,
            C::InvestigationClosed(i) => {
                let rec = self.rec_mut(&i.cadre_id);
                rec.investigations_open = rec.investigations_open.saturating_sub(1);
            }
            C::ProbationStarted(p) => self.rec_mut(&p.cadre_id).probation_until = Some(p.ends_on),
            C::ProbationEnded(p) => self.rec_mut(&p.cadre_id).probation_until = None,
            C::SecondmentStarted(s) => self.rec_mut(&s.cadre_id).secondment_until = Some(s.ends_on),
            C::SecondmentEnded(s) => self.rec_mut(&s.cadre_id).secondment_until = None,
            C::Rotated(r) => {
                let from_unit = self.syms.intern(&r.from_unit_id);
                let from_post = self.syms.intern(&r.from_post_id);
                let to_unit = self.syms.intern(&r.to_unit_id);
                let to_post = self.syms.intern(&r.to_post_id);
                let title = self.syms.intern(&r.to_post_title);
                let document = Some(self.syms.intern(&r.document_number));
                let rec = self.rec_mut(&r.cadre_id);
                rec.posts
                    .retain(|h| !(h.unit == from_unit && h.post == from_post));
                rec.posts.push(HoldingRec {
                    unit: to_unit,
                    post: to_post,
                    title,
                    category: r.to_category,
                    level: r.to_leadership_level,
                    heads_unit: r.to_heads_unit,
                    since: r.effective_on,
                    document,
                });
                rec.unit = Some(to_unit);
                rec.rotations.push(RotationRec {
                    on: r.effective_on,
                    kind: r.kind,
                    from_unit,
                    to_unit,
                    held_since: r.held_since,
                });
            }
            C::DownReviewRequired(d) => {
                let rec = self.rec_mut(&d.cadre_id);
                let year = Some(d.year as i16);
                if !rec.down.iter().any(|x| x.year == year) {
                    rec.down.push(DownRec {
                        review: None,
                        year,
                        raised_on: d.raised_on,
                        due_on: None,
                        decided: None,
                        closed: false,
                        evaluation: None,
                        executed: None,
                    });
                }
            }
            C::EvaluationRecorded(e) => self.add_evaluation(e),
            _ => {
                let _ = env;
            }
        }
    }
}

impl ReadModel for Profiles {
    const NAME: &'static str = "cadre_profiles";
    const VERSION: u32 = 4;

    fn apply(&mut self, env: &Envelope<'_>) {
        match env.event {
            Event::Cadre(e) => {
                self.coverage_changes += 1;
                self.apply_cadre(env, e)
            }
            Event::Training(T::AttendanceRecorded(a)) => {
                self.add_hours(&a.cadre_id, a.session_date, a.hours)
            }
            Event::Study(e) => {
                let (date, hours, attendees) = match e {
                    S::Held(h) => (h.date, h.hours, &h.attendees),
                    S::AttendeesAdded(a) => (a.date, a.hours, &a.attendees),
                };
                for a in attendees {
                    self.add_hours(&a.cadre_id, date, hours);
                }
            }
            Event::Appeal(A::Filed(f)) => {
                let id = self.syms.intern(&f.appeal_id);
                self.rec_mut(&f.cadre_id).appeals.push(id);
            }
            Event::Risk(R::Filed(f)) => {
                let id = self.syms.intern(&f.report_id);
                self.rec_mut(&f.cadre_id).risk_reports.push(id);
            }
            Event::Accountability(AC::Opened(o)) => {
                let id = self.syms.intern(&o.case_id);
                self.rec_mut(&o.cadre_id).accountability.push(id);
            }
            Event::Quota(Q::Allocated(a)) => self.rec_mut(&a.cadre_id).front_line = Some(a.field),
            Event::Down(e) => self.apply_down(e),
            Event::Supervision(SV::Recorded(r)) => {
                let source = self.syms.intern(key_of(&r.source).as_str());
                let kind = self.syms.intern(key_of(&r.kind).as_str());
                let entry = self.syms.intern(&r.entry_id);
                self.supervision_entries.insert(entry, (source, kind));
                self.count_supervision(&r.cadre_id, source, kind, 1);
            }
            Event::Supervision(SV::Retracted(r)) => {
                if let Some(entry) = self.syms.get(&r.entry_id)
                    && let Some((source, kind)) = self.supervision_entries.remove(&entry)
                {
                    let rec = self.rec_mut(&r.cadre_id);
                    if let Some(i) = rec
                        .supervision
                        .iter()
                        .position(|(s, k, _)| *s == source && *k == kind)
                    {
                        rec.supervision[i].2 = rec.supervision[i].2.saturating_sub(1);
                        if rec.supervision[i].2 == 0 {
                            rec.supervision.remove(i);
                        }
                    }
                }
            }
            Event::Lead(L::Transferred(t)) => {
                let source = self.syms.intern(&format!("lead:{}", key_of(&t.agency)));
                let category = self.syms.intern(key_of(&t.category).as_str());
                self.count_supervision(&t.cadre_id, source, category, 1);
            }
            _ => {}
        }
    }
}

/// A post held, as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostHeld {
    pub unit_id: String,
    pub post_id: String,
    pub title: String,
    pub category: PostCategory,
    pub leadership_level: Option<LeadershipLevel>,
    pub heads_unit: bool,
    pub since: NaiveDate,
    /// Whole years in the post on the date asked.
    pub years: u32,
    /// 任免文号 of the appointment or rotation that gave the post.
    pub document_number: Option<String>,
}

/// A sanction (处分) or admonition (诫勉) with its effect period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodView {
    /// `None` for an admonition.
    pub sanction: Option<SanctionKind>,
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub improve_by: Option<NaiveDate>,
    /// The effect period runs on the date asked.
    pub in_effect: bool,
}

/// Training hours of one year against the requirement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingYear {
    pub year: i32,
    /// Hours credited in the year.
    pub hours: f64,
    /// The first year of the period the requirement counts (乡科级: the year itself; 县处级:
    /// the window ending with the year) and the hours credited in it.
    pub period_from: i32,
    pub period_hours: f64,
    /// The requirement of the period that applies to the cadre's level (乡科级: 90 a year;
    /// 县处级: 550 over 5 years).
    pub required: f64,
    pub met: bool,
}

/// A rotation, as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RotationView {
    pub on: NaiveDate,
    pub kind: RotationKind,
    pub from_unit_id: String,
    pub to_unit_id: String,
    pub held_since: NaiveDate,
}

/// A “down” review, as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DownView {
    pub review_id: Option<String>,
    pub year: Option<i32>,
    pub raised_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    /// Where the review stands (`None`: required by a grade, not opened yet).
    pub status: Option<dossier_domain::down::Status>,
    pub method: Option<dossier_domain::types::DownMethod>,
    pub decided_on: Option<NaiveDate>,
    /// When the decision was carried out on the record.
    pub executed_on: Option<NaiveDate>,
    pub closed_without_action: bool,
    /// The 双考 evaluation the review cites.
    pub evaluation_id: Option<String>,
}

/// An award, as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AwardView {
    pub award_id: String,
    pub kind: AwardKind,
    pub year: i32,
    pub granted_on: NaiveDate,
    /// The 双考 evaluation cited as the award's basis.
    pub evaluation_id: Option<String>,
}

/// An annual grade, as shown (`grade` `None`: 不定等次).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeView {
    pub year: i16,
    pub grade: Option<Grade>,
    /// The 双考 evaluation cited as the grade's basis.
    pub evaluation_id: Option<String>,
}

/// Supervision records of one source and category (counts only; details are guarded elsewhere).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupervisionCount {
    pub source: String,
    pub category: String,
    pub count: u32,
}

/// A cadre's profile as of a date (years in post and rank are counted to that date).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CadreProfile {
    pub cadre_id: String,
    pub registered: bool,
    pub name: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    pub unit_id: Option<String>,
    pub posts: Vec<PostHeld>,
    pub rank: Option<Rank>,
    pub rank_since: Option<NaiveDate>,
    pub years_in_rank: Option<u32>,
    pub leadership_level: Option<LeadershipLevel>,
    pub level_since: Option<NaiveDate>,
    /// Holds a leadership level or a leadership post.
    pub is_leader: bool,
    pub grades: Vec<GradeView>,
    pub awards: Vec<AwardView>,
    pub sanctions: Vec<PeriodView>,
    pub investigations_open: u16,
    pub training: Vec<TrainingYear>,
    pub rotations: Vec<RotationView>,
    pub down_reviews: Vec<DownView>,
    pub probation_until: Option<NaiveDate>,
    pub secondment_until: Option<NaiveDate>,
    pub supervision: Vec<SupervisionCount>,
    pub appeals: Vec<String>,
    pub risk_reports: Vec<String>,
    pub accountability: Vec<String>,
    pub points: dossier_domain::points::Points,
    pub front_line: Option<FrontLineField>,
    pub pending_rank_lowering: Option<PendingLowering>,
    pub dismissal_case: Option<DismissalView>,
    /// Training hours a promotion before meeting them owes (still owed or made up).
    pub training_makeup: Option<crate::profile_training::MakeupRec>,
    /// 双考 evaluations, in the order recorded.
    pub evaluations: Vec<crate::evaluations::EvaluationView>,
}

/// A line of a profile list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileSummary {
    /// Where this profile stands in the list: pass it back as the cursor to continue after it.
    pub cursor: String,
    pub cadre_id: String,
    pub name: String,
    pub unit_id: Option<String>,
    pub rank: Option<Rank>,
    pub leadership_level: Option<LeadershipLevel>,
    pub post_title: Option<String>,
}

/// Which profiles to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileFilter {
    pub unit_id: Option<String>,
    pub rank: Option<Rank>,
    /// Only leaders (`true`) or only non-leaders (`false`).
    pub leader: Option<bool>,
    /// Name contains this text.
    pub name_contains: Option<String>,
}

/// One page of profiles; pass `next_cursor` back for the next page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfilePage {
    pub items: Vec<ProfileSummary>,
    pub next_cursor: Option<String>,
}

impl DownRec {
    /// Where the review stands (`None`: required by a grade, not opened yet).
    pub fn status(&self) -> Option<dossier_domain::down::Status> {
        use dossier_domain::down::Status;
        self.review?;
        Some(if self.executed.is_some() {
            Status::Executed
        } else if self.closed {
            Status::ClosedWithoutAction
        } else if self.decided.is_some() {
            Status::Decided
        } else {
            Status::Open
        })
    }
}

impl ProfileRec {
    fn is_leader(&self) -> bool {
        self.level.is_some() || self.posts.iter().any(|p| p.level.is_some())
    }
}

impl Profiles {
    /// The readable profile of a cadre on `on`, or `None` for a cadre never mentioned.
    pub fn view(
        &self,
        cadre_id: &str,
        on: NaiveDate,
        policy: &dossier_domain::Policy,
    ) -> Option<CadreProfile> {
        let rec = self.rec(cadre_id)?;
        let s = |sym: Sym| self.syms.resolve(sym).to_owned();
        let county = crate::profile_training::county(rec);
        let mut training: Vec<TrainingYear> = rec
            .training
            .iter()
            .map(|(y, h)| {
                let req = dossier_domain::training_hours::requirement(
                    county,
                    i32::from(*y),
                    crate::profile_training::hours_of(rec),
                    &policy.training,
                );
                TrainingYear {
                    year: i32::from(*y),
                    hours: f64::from(*h),
                    period_from: req.from_year,
                    period_hours: req.credited,
                    required: req.required,
                    met: req.met(),
                }
            })
            .collect();
        training.sort_by_key(|t| t.year);
        Some(CadreProfile {
            cadre_id: cadre_id.to_owned(),
            registered: rec.registered,
            name: rec.name.to_string(),
            gender: rec.gender,
            birth_date: rec.birth_date,
            unit_id: rec.unit.map(s),
            posts: rec
                .posts
                .iter()
                .map(|h| PostHeld {
                    unit_id: s(h.unit),
                    post_id: s(h.post),
                    title: s(h.title),
                    category: h.category,
                    leadership_level: h.level,
                    heads_unit: h.heads_unit,
                    since: h.since,
                    years: dossier_domain::dates::years_between(h.since, on),
                    document_number: h.document.map(s),
                })
                .collect(),
            rank: rec.rank,
            rank_since: rec.rank_since,
            years_in_rank: rec
                .rank_since
                .map(|d| dossier_domain::dates::years_between(d, on)),
            leadership_level: rec.level,
            level_since: rec.level_since,
            is_leader: rec.is_leader(),
            grades: rec
                .grades
                .iter()
                .map(|g| GradeView {
                    year: g.year,
                    grade: g.grade,
                    evaluation_id: g.evaluation.map(s),
                })
                .collect(),
            awards: rec
                .awards
                .iter()
                .map(|a| AwardView {
                    award_id: s(a.id),
                    kind: a.kind,
                    year: i32::from(a.year),
                    granted_on: a.on,
                    evaluation_id: a.evaluation.map(s),
                })
                .collect(),
            sanctions: rec
                .periods
                .iter()
                .map(|p| PeriodView {
                    sanction: p.sanction,
                    from: p.from,
                    until: p.until,
                    improve_by: p.improve_by,
                    in_effect: p.from <= on && on < p.until,
                })
                .collect(),
            investigations_open: rec.investigations_open,
            training,
            rotations: rec
                .rotations
                .iter()
                .map(|r| RotationView {
                    on: r.on,
                    kind: r.kind,
                    from_unit_id: s(r.from_unit),
                    to_unit_id: s(r.to_unit),
                    held_since: r.held_since,
                })
                .collect(),
            down_reviews: rec
                .down
                .iter()
                .map(|d| DownView {
                    review_id: d.review.map(s),
                    year: d.year.map(i32::from),
                    raised_on: d.raised_on,
                    // Required by a grade and not opened yet: due the policy's days after the
                    // grade (as the alert says); an opened review keeps its own due date.
                    due_on: d.due_on.or_else(|| {
                        d.review.is_none().then(|| {
                            d.raised_on
                                + chrono::Duration::days(i64::from(
                                    policy.reminders.down_review_due_days,
                                ))
                        })
                    }),
                    status: d.status(),
                    method: d
                        .decided
                        .and_then(|(m, _)| crate::dashboards::parse_key(self.syms.resolve(m))),
                    decided_on: d.decided.map(|(_, on)| on),
                    executed_on: d.executed,
                    closed_without_action: d.closed,
                    evaluation_id: d.evaluation.map(s),
                })
                .collect(),
            probation_until: rec.probation_until,
            secondment_until: rec.secondment_until,
            supervision: rec
                .supervision
                .iter()
                .map(|(src, cat, n)| SupervisionCount {
                    source: s(*src),
                    category: s(*cat),
                    count: *n,
                })
                .collect(),
            appeals: rec.appeals.iter().map(|a| s(*a)).collect(),
            risk_reports: rec.risk_reports.iter().map(|a| s(*a)).collect(),
            accountability: rec.accountability.iter().map(|a| s(*a)).collect(),
            points: crate::points::points_of(self, rec, on, &policy.points),
            front_line: rec.front_line,
            pending_rank_lowering: rec.pending_lowering.clone(),
            dismissal_case: rec.dismissal.clone(),
            training_makeup: rec.makeup.clone(),
            evaluations: self.evaluation_views(&rec.evaluations),
        })
    }

    /// A page of profiles matching `filter`, after the opaque `cursor`, in registration order.
    pub fn page(&self, filter: &ProfileFilter, cursor: Option<&str>, limit: usize) -> ProfilePage {
        let start = cursor
            .and_then(|c| c.parse::<usize>().ok())
            .map_or(0, |c| c + 1);
        let unit = filter.unit_id.as_deref().map(|u| self.syms.get(u));
        let mut items = Vec::new();
        let mut next_cursor = None;
        for (i, rec) in self.recs.iter().enumerate().skip(start) {
            if !rec.registered {
                continue;
            }
            if let Some(u) = unit
                && (u.is_none() || rec.unit != u)
            {
                continue;
            }
            if filter.rank.is_some() && rec.rank != filter.rank {
                continue;
            }
            if filter.leader.is_some_and(|l| l != rec.is_leader()) {
                continue;
            }
            if filter
                .name_contains
                .as_deref()
                .is_some_and(|n| !rec.name.contains(n))
            {
                continue;
            }
            if items.len() == limit {
                next_cursor = Some((i - 1).to_string());
                break;
            }
            items.push(ProfileSummary {
                cursor: i.to_string(),
                cadre_id: self.ids.resolve(i as u32).to_owned(),
                name: rec.name.to_string(),
                unit_id: rec.unit.map(|u| self.syms.resolve(u).to_owned()),
                rank: rec.rank,
                leadership_level: rec.level,
                post_title: rec
                    .posts
                    .first()
                    .map(|h| self.syms.resolve(h.title).to_owned()),
            });
        }
        // The cursor is the index of the last item returned.
        if next_cursor.is_some() {
            let last = items
                .last()
                .map(|it| self.ids.get(&it.cadre_id).unwrap_or(0) as usize);
            next_cursor = last.map(|l| l.to_string());
        }
        ProfilePage { items, next_cursor }
    }
}
