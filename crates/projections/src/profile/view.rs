//! A cadre's profile as shown: the readable view of the compact record on a date, profile lists and their pages.

use super::*;

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

/// Training hours of one year against the requirement of the level held that year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingYear {
    pub year: i32,
    /// Hours credited in the year.
    pub hours: f64,
    /// The first year of the period the requirement counts (乡科级: the year itself; 县处级:
    /// the window ending with the year) and the hours credited in it.
    pub period_from: i32,
    pub period_hours: f64,
    /// The requirement of the period for the level the cadre held in the year (乡科级: 90 a
    /// year; 县处级: 550 over 5 years).
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
    /// The rank lowerings 不称职 years require, oldest year first, until each is carried out.
    pub pending_rank_lowerings: Vec<PendingLowering>,
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
        // Every year of service up to the last full one (zero-hour years too) and every year
        // credited, each against the requirement of the level held that year.
        let training: Vec<TrainingYear> =
            crate::profile_training::years_listed(rec, on, &policy.training)
                .into_iter()
                .map(|year| {
                    let req = crate::profile_training::requirement_in(rec, year, &policy.training);
                    TrainingYear {
                        year,
                        hours: crate::profile_training::hours_in(rec, year),
                        period_from: req.from_year,
                        period_hours: req.credited,
                        required: req.required,
                        met: req.met(),
                    }
                })
                .collect();
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
            pending_rank_lowerings: rec.pending_lowerings.clone(),
            dismissal_case: rec.dismissal.clone(),
            training_makeup: rec.makeup.as_ref().map(|m| m.on(on)),
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
            // A dismissed (辞退) or expelled (开除) cadre has left the unit's roster; found by
            // name or id still.
            if unit.is_some() && rec.service_ended_on(NaiveDate::MAX).is_some() {
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
