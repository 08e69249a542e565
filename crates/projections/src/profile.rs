//! Cadre profiles: a compact record per cadre folded from every stream that concerns them, and its readable view.

use chrono::NaiveDate;
use dossier_domain::{
    Event,
    appeal::Event as A,
    cadre::Event as C,
    study::Event as S,
    training::Event as T,
    types::{
        AwardKind, Gender, Grade, LeadershipLevel, PostCategory, Rank, RotationKind, SanctionKind,
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
}

/// An annual grade (`None`: 不定等次).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GradeRec {
    pub year: i16,
    pub grade: Option<Grade>,
}

/// An award.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AwardRec {
    pub kind: AwardKind,
    pub year: i16,
    pub on: NaiveDate,
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

/// A “down” review (能上能下) and its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DownRec {
    pub year: i16,
    pub raised_on: NaiveDate,
    /// The committee's method (interned code) and date, once decided.
    pub decided: Option<(Sym, NaiveDate)>,
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
}

/// All cadre profiles. Records are dense and in registration order (the cursor of [`Profiles::page`]).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Profiles {
    pub ids: Interner,
    pub syms: Interner,
    pub recs: Vec<ProfileRec>,
}

fn year_of(d: NaiveDate) -> i16 {
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

    /// Add training hours for a cadre in the year of `on`.
    pub fn add_hours(&mut self, cadre_id: &str, on: NaiveDate, hours: f64) {
        let year = year_of(on);
        let rec = self.rec_mut(cadre_id);
        match rec.training.iter_mut().find(|(y, _)| *y == year) {
            Some((_, h)) => *h += hours as f32,
            None => rec.training.push((year, hours as f32)),
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
            }
            C::RankLowered(l) => {
                let rec = self.rec_mut(&l.cadre_id);
                rec.rank = Some(l.to);
                rec.rank_since = Some(l.effective_on);
            }
            C::GradeRecorded(g) => {
                let rec = self.rec_mut(&g.cadre_id);
                let year = g.year as i16;
                rec.grades.retain(|r| r.year != year);
                rec.grades.push(GradeRec {
                    year,
                    grade: g.grade,
                });
                rec.grades.sort_by_key(|r| r.year);
            }
            C::AwardGranted(a) => {
                let rec = self.rec_mut(&a.cadre_id);
                rec.awards.push(AwardRec {
                    kind: a.kind,
                    year: a.year as i16,
                    on: a.granted_on,
                });
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
                rec.down.push(DownRec {
                    year: d.year as i16,
                    raised_on: d.raised_on,
                    decided: None,
                });
            }
            _ => {
                let _ = env;
            }
        }
    }
}

impl ReadModel for Profiles {
    const NAME: &'static str = "cadre_profiles";
    const VERSION: u32 = 1;

    fn apply(&mut self, env: &Envelope<'_>) {
        match env.event {
            Event::Cadre(e) => self.apply_cadre(env, e),
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
    pub hours: f64,
    /// Yearly requirement (乡科级: 90; 县处级: the window's hours spread evenly).
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
    pub year: i32,
    pub raised_on: NaiveDate,
    pub method: Option<String>,
    pub decided_on: Option<NaiveDate>,
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
    pub grades: Vec<GradeRec>,
    pub awards: Vec<AwardRec>,
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
    pub points: Option<crate::points::PointsView>,
}

/// A line of a profile list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileSummary {
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
        let county = rec.rank.is_some_and(|r| r.is_county_level())
            || rec.level.is_some_and(|l| l.is_county_level());
        let t = &policy.training;
        let required = if county {
            t.county_hours_per_window / f64::from(t.county_window_years.max(1))
        } else {
            t.township_hours_per_year
        };
        let mut training: Vec<TrainingYear> = rec
            .training
            .iter()
            .map(|(y, h)| TrainingYear {
                year: i32::from(*y),
                hours: f64::from(*h),
                required,
                met: f64::from(*h) + 1e-6 >= required,
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
            grades: rec.grades.clone(),
            awards: rec.awards.clone(),
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
                    year: i32::from(d.year),
                    raised_on: d.raised_on,
                    method: d.decided.map(|(m, _)| s(m)),
                    decided_on: d.decided.map(|(_, on)| on),
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
            points: Some(crate::points::points_of(self, rec, on, policy)),
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
