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

mod view;
pub use view::*;

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
    /// Training hours credited by year, in whole hundredths of an hour (exact: see
    /// [`dossier_domain::training_hours::hundredths`]).
    pub training: Vec<(i16, u32)>,
    /// The first day of service the record knows (参加工作时间, else the registration date):
    /// the profile lists the training of each year from then.
    #[serde(default)]
    pub service_from: Option<NaiveDate>,
    /// The years the cadre crossed between the 乡科级 and 县处级 training requirements, in the
    /// order recorded: a year is counted under the level held now, switched once for every
    /// crossing after it (see [`ProfileRec::county_in`]).
    #[serde(default)]
    pub crossings: Vec<i16>,
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
    /// The rank lowerings 不称职 years require, oldest year first, each until a decision
    /// carries it out.
    #[serde(default)]
    pub pending_lowerings: Vec<PendingLowering>,
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

impl ProfileRec {
    /// Held to the 县处级 training requirement now (by rank or by leadership level).
    pub fn is_county(&self) -> bool {
        dossier_domain::training_hours::county_level(self.rank, self.level)
    }

    /// Held to the 县处级 requirement in `year`: the level held now ([`Self::is_county`]),
    /// switched once for each crossing in a later year ([`county_in`]).
    pub fn county_in(&self, year: i16) -> bool {
        county_in(self.is_county(), &self.crossings, year)
    }

    /// Whether the cadre's service ended on or before `on`: dismissed (辞退) or expelled (开除).
    pub fn dismissed_by(&self, on: NaiveDate) -> bool {
        self.service_ended_on(on).is_some()
    }

    /// The day the cadre's service ended, if it had by `on`: the 辞退 decision or the 开除
    /// sanction, the earlier.
    pub fn service_ended_on(&self, on: NaiveDate) -> Option<NaiveDate> {
        let dismissed = self
            .dismissal
            .as_ref()
            .filter(|d| d.dismissed_by(on))
            .and_then(|d| d.decided_on);
        let expelled = self
            .periods
            .iter()
            .filter(|p| p.sanction == Some(SanctionKind::Expulsion) && p.from <= on)
            .map(|p| p.from)
            .min();
        dismissed.into_iter().chain(expelled).min()
    }
}

/// Held to the 县处级 requirement in `year`, for a cadre held to it now when `now`, who
/// crossed between the two requirements in the years `crossings`: each crossing after `year`
/// switched the level once (a crossing in `year` itself gives that year the level it led to).
pub fn county_in(now: bool, crossings: &[i16], year: i16) -> bool {
    let later = crossings.iter().filter(|c| **c > year).count();
    now ^ (later % 2 == 1)
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

impl DismissalView {
    /// Whether the case ended the cadre's service (辞退 decided) on or before `on`.
    pub fn dismissed_by(&self, on: NaiveDate) -> bool {
        self.dismissed == Some(true) && self.decided_on.is_some_and(|d| d <= on)
    }
}

/// All cadre profiles. Records are dense and in registration order (the cursor of [`Profiles::page`]).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Profiles {
    pub ids: Interner,
    pub syms: Interner,
    pub recs: Vec<ProfileRec>,
    /// Supervision entry id → (source, kind), to take a retracted entry off the counts.
    pub supervision_entries: rustc_hash::FxHashMap<Sym, (Sym, Sym)>,
    /// Training hours coverage: year → [乡科级 and below, 县处级 and above] → the year's hours in
    /// whole hundredths → cadres
    /// (a histogram, so coverage against any requirement is read without visiting profiles).
    pub coverage: std::collections::BTreeMap<i16, [std::collections::BTreeMap<u32, u32>; 2]>,
    /// Open training make-ups by due date → cadres.
    #[serde(default)]
    pub makeups_open: std::collections::BTreeMap<NaiveDate, u32>,
    /// Cadres whose make-up counts sessions credited before the promotion was recorded: open
    /// or not is worked out on each date asked.
    #[serde(default)]
    pub makeups_prior: Vec<Sym>,
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
                let was_county = rec.is_county();
                rec.registered = true;
                rec.name = r.name.as_str().into();
                rec.gender = Some(r.gender);
                rec.birth_date = Some(r.birth_date);
                rec.service_from = Some(r.joined_work_on.unwrap_or(r.registered_on));
                rec.unit = Some(unit);
                rec.rank = r.rank;
                rec.rank_since = r.rank_since;
                rec.level = r.leadership_level;
                rec.level_since = r.level_since;
                self.refile_hours(&r.cadre_id, was_county, env.effective);
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
                let was_county = rec.is_county();
                rec.level = l.to;
                rec.level_since = l.to.map(|_| l.effective_on);
                self.refile_hours(&l.cadre_id, was_county, env.effective);
            }
            C::RankPromoted(p) => {
                let rec = self.rec_mut(&p.cadre_id);
                let was_county = rec.is_county();
                rec.rank = Some(p.to);
                rec.rank_since = Some(p.effective_on);
                self.refile_hours(&p.cadre_id, was_county, env.effective);
                self.owe_makeup(p);
            }
            C::RankLowered(l) => {
                let rec = self.rec_mut(&l.cadre_id);
                let was_county = rec.is_county();
                rec.rank = Some(l.to);
                rec.rank_since = Some(l.effective_on);
                // A decision on a 文号 settles the oldest pending lowering (as the record does).
                if l.document_number.is_some() && !rec.pending_lowerings.is_empty() {
                    rec.pending_lowerings.remove(0);
                }
                self.refile_hours(&l.cadre_id, was_county, env.effective);
            }
            C::RankLoweringPending(p) => {
                let pending = &mut self.rec_mut(&p.cadre_id).pending_lowerings;
                pending.retain(|q| q.year != p.year);
                let at = pending.partition_point(|q| q.year < p.year);
                pending.insert(
                    at,
                    PendingLowering {
                        year: p.year,
                        from: p.from,
                        to: p.to,
                        raised_on: p.raised_on,
                    },
                );
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
    // 8: hours kept in whole hundredths (the record's years and the coverage histogram), the
    // first day of service.
    const VERSION: u32 = 8;

    fn apply(&mut self, env: &Envelope<'_>) {
        match env.event {
            Event::Cadre(e) => {
                self.coverage_changes += 1;
                self.apply_cadre(env, e)
            }
            Event::Training(T::AttendanceRecorded(_)) | Event::Study(_) => {
                crate::profile_training::credits(env.event, |cadre_id, on, hours| {
                    self.add_hours(cadre_id, on, hours)
                })
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
