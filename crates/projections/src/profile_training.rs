//! The training side of the cadre profiles: hours credited by year, coverage against the requirement of the level each cadre held in each year (乡科级 a year, 县处级 a window of years), and the make-up (补学) a promotion owes until the hours are credited.

use chrono::NaiveDate;
use dossier_domain::{
    Event, cadre::RankPromoted, study::Event as S, training::Event as T, training_hours,
    types::Rank,
};
use serde::{Deserialize, Serialize};

use crate::profile::{ProfileRec, Profiles, county_in, year_of};

/// Training hours coverage of one year and rank level against the requirement (each cadre
/// under the level held in that year, hours compared exactly, in whole hundredths).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub year: i32,
    /// `township` (乡科级 leaders, 一级主任科员 and below: hours of the year) or `county`
    /// (县处级, 四级调研员 and above: hours of the window ending with the year).
    pub level: &'static str,
    /// Cadres credited any hours in the period.
    pub trained: u32,
    /// Of them, those at or above the requirement.
    pub met: u32,
    /// The requirement of the period (乡科级: 90 a year; 县处级: 550 over 5 years).
    pub required: f64,
}

/// The coverage last computed, kept for the profiles' change count and the requirements.
pub type CoverageMemo = crate::memo::Memo<(u64, [u64; 3]), Vec<Coverage>>;

/// Hours a promotion owes and those credited since.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MakeupRec {
    pub promoted_on: NaiveDate,
    pub to: Rank,
    pub owed: f64,
    pub due_on: NaiveDate,
    /// Hours credited on or after the promotion date, folded after the promotion.
    pub made_up: f64,
    /// Sessions on or after the promotion date credited before it was recorded (date, hours):
    /// they count from their own dates ([`MakeupRec::on`]).
    #[serde(default)]
    pub prior: Vec<(NaiveDate, f64)>,
    /// The requirement that was short: its period, required and credited hours.
    pub span: String,
    pub required: f64,
    pub credited: f64,
}

impl MakeupRec {
    /// The make-up as it stands on `as_of`: the sessions credited before the promotion was
    /// recorded count from their dates.
    pub fn on(&self, as_of: NaiveDate) -> MakeupRec {
        let mut m = self.clone();
        m.made_up = training_hours::sum(
            std::iter::once(self.made_up).chain(
                self.prior
                    .iter()
                    .filter(|(day, _)| *day <= as_of)
                    .map(|(_, h)| *h),
            ),
        );
        m.prior.clear();
        m
    }

    /// Made up in full (compared in whole hundredths).
    pub fn done(&self) -> bool {
        training_hours::hundredths(self.made_up) >= training_hours::hundredths(self.owed)
    }

    /// Hours still owed, exact to the hundredth.
    pub fn left(&self) -> f64 {
        training_hours::from_hundredths(
            (training_hours::hundredths(self.owed) - training_hours::hundredths(self.made_up))
                .max(0),
        )
    }
}

/// Hours as the profiles keep them: whole hundredths of an hour (none below zero).
pub fn to_kept(hours: f64) -> u32 {
    u32::try_from(training_hours::hundredths(hours).max(0)).unwrap_or(u32::MAX)
}

/// Hours kept in hundredths, as hours.
pub fn from_kept(kept: u32) -> f64 {
    training_hours::from_hundredths(i64::from(kept))
}

/// One cadre fewer in a histogram's bucket (an emptied bucket is removed).
fn take_one(buckets: &mut std::collections::BTreeMap<u32, u32>, bucket: u32) {
    if let Some(n) = buckets.get_mut(&bucket) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            buckets.remove(&bucket);
        }
    }
}

/// Every training hour `event` credits: `credit(cadre, session date, hours)` for a class's
/// attendance and for each attendee of a 五学 study session. The one list of what counts as
/// training hours: the profiles fold it, and a promotion reads it from the log
/// ([`crate::asof::hours_credited_since`]).
pub fn credits(event: &Event, mut credit: impl FnMut(&str, NaiveDate, f64)) {
    match event {
        Event::Training(T::AttendanceRecorded(a)) => credit(&a.cadre_id, a.session_date, a.hours),
        Event::Study(e) => {
            let (date, hours, attendees) = match e {
                S::Held(h) => (h.date, h.hours, &h.attendees),
                S::AttendeesAdded(a) => (a.date, a.hours, &a.attendees),
            };
            for a in attendees {
                credit(&a.cadre_id, date, hours);
            }
        }
        _ => {}
    }
}

/// A cadre's hours by year as the domain's rules read them.
pub fn hours_of(rec: &ProfileRec) -> impl Iterator<Item = (i32, f64)> + '_ {
    rec.training
        .iter()
        .map(|(y, h)| (i32::from(*y), from_kept(*h)))
}

/// The hours credited to a cadre in one year.
pub fn hours_in(rec: &ProfileRec, year: i32) -> f64 {
    rec.training
        .iter()
        .find(|(y, _)| i32::from(*y) == year)
        .map_or(0.0, |(_, h)| from_kept(*h))
}

/// Is the cadre held to the 县处级 requirement now.
pub fn county(rec: &ProfileRec) -> bool {
    rec.is_county()
}

/// The requirement of the period ending with `year` for the level the cadre held in that year
/// ([`ProfileRec::county_in`]: a promotion does not judge the years before it by the new
/// level), with the hours credited in it: the one statement the profile's `training`, the
/// `training_hours_short` alert, the candidates' explanation and the coverage read.
pub fn requirement_in(
    rec: &ProfileRec,
    year: i32,
    policy: &dossier_domain::policy::TrainingPolicy,
) -> training_hours::Requirement {
    let county = rec.county_in(i16::try_from(year).unwrap_or(i16::MAX));
    training_hours::requirement(county, year, hours_of(rec), policy)
}

/// The first calendar year of service the record knows (参加工作时间, else registration).
pub fn first_service_year(rec: &ProfileRec) -> Option<i32> {
    use chrono::Datelike;
    rec.service_from.map(|d| d.year())
}

/// The years the profile lists on `on`: every year credited with hours, and every year of
/// service in the window ending with the last full year (`county_window_years` of them, 5 by
/// default), zero-hour years included, none before the first year of service (all of the
/// window when it is not known) nor after the year the cadre was dismissed (辞退).
pub fn years_listed(
    rec: &ProfileRec,
    on: NaiveDate,
    policy: &dossier_domain::policy::TrainingPolicy,
) -> Vec<i32> {
    use chrono::Datelike;
    let mut years: std::collections::BTreeSet<i32> =
        rec.training.iter().map(|(y, _)| i32::from(*y)).collect();
    if rec.registered {
        let last_full = on.year() - 1;
        let mut from = last_full - policy.county_window_years.max(1) as i32 + 1;
        if let Some(first) = first_service_year(rec) {
            from = from.max(first);
        }
        let mut to = last_full;
        if let Some(gone) = rec.service_ended_on(on) {
            to = to.min(gone.year());
        }
        years.extend(from..=to);
    }
    years.into_iter().collect()
}

/// Whether the `training_hours_short` alert judges the cadre's year: a year of service (from
/// the first year the record knows; every year when it is not known).
pub fn served_in(rec: &ProfileRec, year: i32) -> bool {
    first_service_year(rec).is_none_or(|first| first <= year)
}

impl Profiles {
    /// Add training hours for a cadre in the year of `on` (and to an open make-up begun by then).
    pub fn add_hours(&mut self, cadre_id: &str, on: NaiveDate, hours: f64) {
        self.coverage_changes += 1;
        let year = year_of(on);
        let kept = to_kept(hours);
        let rec = self.rec_mut(cadre_id);
        let county = usize::from(rec.county_in(year));
        let before = match rec.training.iter_mut().find(|(y, _)| *y == year) {
            Some((_, h)) => {
                let before = *h;
                *h = h.saturating_add(kept);
                Some((before, *h))
            }
            None => {
                rec.training.push((year, kept));
                None
            }
        };
        let mut closed = None;
        if let Some(m) = rec
            .makeup
            .as_mut()
            .filter(|m| !m.done() && on >= m.promoted_on)
        {
            m.made_up = training_hours::sum([m.made_up, hours]);
            // One with sessions credited before it is counted on each date instead.
            if m.done() && m.prior.is_empty() {
                closed = Some(m.due_on);
            }
        }
        if let Some(due) = closed {
            self.close_makeup(due);
        }
        let buckets = &mut self.coverage.entry(year).or_default()[county];
        let after = match before {
            Some((old, new)) => {
                take_one(buckets, old);
                new
            }
            None => kept,
        };
        *buckets.entry(after).or_default() += 1;
    }

    /// After a change of a cadre's rank or leadership level, effective `on`, from one held to
    /// 乡科级 (`was_county` false) or 县处级: when the change crosses between the two, it is
    /// remembered as a crossing in the year of `on`, and the hours of every year whose level
    /// that changes move to the other level's histogram (the year of the change and the years
    /// after it, up to the next crossing). Coverage counts a cadre under the level held in each
    /// year (the level at its end; for the year of a change, the new one), as the 县处级 side
    /// reads it off the profiles ([`ProfileRec::county_in`]); the hours stay filed where a
    /// later credit of the same year looks for them.
    pub(crate) fn refile_hours(&mut self, cadre_id: &str, was_county: bool, on: NaiveDate) {
        let crossed = year_of(on);
        let rec = self.rec_mut(cadre_id);
        let now_county = county(rec);
        if now_county == was_county {
            return;
        }
        let filed = |rec: &ProfileRec, now: bool| -> Vec<(i16, u32, bool)> {
            rec.training
                .iter()
                .map(|(year, hours)| (*year, *hours, county_in(now, &rec.crossings, *year)))
                .collect()
        };
        let before = filed(rec, was_county);
        rec.crossings.push(crossed);
        let after = filed(rec, now_county);
        self.coverage_changes += 1;
        for ((year, hours, was), (_, _, is)) in before.into_iter().zip(after) {
            if was != is {
                let levels = self.coverage.entry(year).or_default();
                take_one(&mut levels[usize::from(was)], hours);
                *levels[usize::from(is)].entry(hours).or_default() += 1;
            }
        }
    }

    fn close_makeup(&mut self, due: NaiveDate) {
        if let Some(n) = self.makeups_open.get_mut(&due) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.makeups_open.remove(&due);
            }
        }
    }

    /// A promotion short of the training hours: the make-up it owes replaces an earlier one.
    pub(crate) fn owe_makeup(&mut self, p: &RankPromoted) {
        let earlier = self.rec_mut(&p.cadre_id).makeup.take();
        if let Some(m) = earlier {
            if !m.prior.is_empty() {
                let id = self.ids.intern(&p.cadre_id);
                self.makeups_prior.retain(|c| *c != id);
            } else if !m.done() {
                self.close_makeup(m.due_on);
            }
        }
        let Some(m) = &p.training_makeup else {
            return;
        };
        let makeup = MakeupRec {
            promoted_on: p.effective_on,
            to: p.to,
            owed: m.owed,
            due_on: m.due_on,
            made_up: 0.0,
            prior: m.credited_since.clone(),
            span: m.requirement.span(),
            required: m.requirement.required,
            credited: m.requirement.credited,
        };
        if makeup.prior.is_empty() {
            *self.makeups_open.entry(m.due_on).or_default() += 1;
        } else {
            // Open or not depends on the date asked: counted on each date (rare: a promotion
            // recorded after sessions dated since).
            let id = self.ids.intern(&p.cadre_id);
            self.makeups_prior.push(id);
        }
        self.rec_mut(&p.cadre_id).makeup = Some(makeup);
    }

    /// Open make-ups on `as_of`: (all, past their due date).
    pub fn makeups(&self, as_of: NaiveDate) -> (u32, u32) {
        let mut all: u32 = self.makeups_open.values().sum();
        let mut overdue: u32 = self.makeups_open.range(..as_of).map(|(_, n)| *n).sum();
        for id in &self.makeups_prior {
            if let Some(m) = self
                .recs
                .get(*id as usize)
                .and_then(|r| r.makeup.as_ref())
                .map(|m| m.on(as_of))
                .filter(|m| !m.done())
            {
                all += 1;
                overdue += u32::from(m.due_on < as_of);
            }
        }
        (all, overdue)
    }

    /// Training hours coverage by year and level against `policy`'s requirements: 乡科级 and
    /// below by the year's hours (from the histogram), 县处级 and above by the hours of the
    /// window ending with each year in which such a cadre was credited hours. The 县处级 side
    /// visits every such profile, so the answer is kept until a cadre event or hours credited
    /// could change it (other events, the most frequent, leave it as it is).
    pub fn coverage(&self, policy: &dossier_domain::Policy) -> Vec<Coverage> {
        let t = &policy.training;
        let key = (
            self.coverage_changes,
            [
                t.township_hours_per_year.to_bits(),
                t.county_hours_per_window.to_bits(),
                u64::from(t.county_window_years),
            ],
        );
        self.coverage_memo
            .get_or(key, || self.compute_coverage(policy))
    }

    fn compute_coverage(&self, policy: &dossier_domain::Policy) -> Vec<Coverage> {
        let t = &policy.training;
        let mut out = Vec::new();
        // Every cadre held to the 县处级 requirement in some year: now, or before a crossing.
        let county_recs: Vec<&ProfileRec> = self
            .recs
            .iter()
            .filter(|r| {
                r.registered && (county(r) || !r.crossings.is_empty()) && !r.training.is_empty()
            })
            .collect();
        for (year, levels) in &self.coverage {
            let year = i32::from(*year);
            if !levels[0].is_empty() {
                let required = t.township_hours_per_year;
                // Compared in whole hundredths, as the profile and the alerts compare.
                let threshold = to_kept(required);
                out.push(Coverage {
                    year,
                    level: "township",
                    trained: levels[0].values().sum(),
                    met: levels[0].range(threshold..).map(|(_, n)| *n).sum(),
                    required,
                });
            }
            if !levels[1].is_empty() {
                let (mut trained, mut met) = (0, 0);
                for r in county_recs.iter().filter(|r| r.county_in(year as i16)) {
                    let req = training_hours::requirement(true, year, hours_of(r), t);
                    if req.credited > 0.0 {
                        trained += 1;
                        met += u32::from(req.met());
                    }
                }
                out.push(Coverage {
                    year,
                    level: "county",
                    trained,
                    met,
                    required: t.county_hours_per_window,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use dossier_domain::{
        Event, Policy,
        cadre::{Event as C, LeadershipLevelChanged},
        types::LeadershipLevel,
    };

    use crate::{envelope::Envelope, model::ReadModel, profile::Profiles};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn level(p: &mut Profiles, position: u64, to: Option<LeadershipLevel>, on: NaiveDate) {
        let event = Event::Cadre(C::LeadershipLevelChanged(LeadershipLevelChanged {
            cadre_id: "c1".into(),
            from: None,
            to,
            effective_on: on,
            document_number: None,
        }));
        p.apply(&Envelope {
            position,
            stream_id: "cadre-c1",
            stream_version: position,
            effective: on,
            event: &event,
        });
    }

    /// (year, level, trained, met) of every coverage line.
    fn lines(p: &Profiles) -> Vec<(i32, &'static str, u32, u32)> {
        p.coverage(&Policy::default())
            .iter()
            .map(|c| (c.year, c.level, c.trained, c.met))
            .collect()
    }

    #[test]
    fn a_cadre_whose_level_crosses_to_county_or_back_is_counted_under_the_level_held() {
        let mut p = Profiles::default();
        p.rec_mut("c1").registered = true;
        p.add_hours("c1", d(2025, 3, 3), 40.0);
        assert_eq!(lines(&p), vec![(2025, "township", 1, 0)]);

        // Appointed to a 县处级 post in the year, then credited more: counted once, as 县处级.
        level(
            &mut p,
            2,
            Some(LeadershipLevel::CountyDeputy),
            d(2025, 5, 1),
        );
        p.add_hours("c1", d(2025, 6, 3), 20.0);
        assert_eq!(lines(&p), vec![(2025, "county", 1, 0)]);

        // Back to 乡科级 with 100 hours in the year: the yearly requirement (90) is met.
        p.add_hours("c1", d(2025, 7, 3), 40.0);
        level(
            &mut p,
            4,
            Some(LeadershipLevel::TownshipChief),
            d(2025, 8, 1),
        );
        assert_eq!(lines(&p), vec![(2025, "township", 1, 1)]);
        p.add_hours("c1", d(2025, 9, 3), 10.0);
        assert_eq!(
            lines(&p),
            vec![(2025, "township", 1, 1)],
            "a later credit finds the year's hours where they were moved"
        );
    }

    #[test]
    fn a_crossing_leaves_the_years_before_it_under_the_level_then_held() {
        let mut p = Profiles::default();
        p.rec_mut("c1").registered = true;
        p.add_hours("c1", d(2023, 3, 3), 95.0);
        p.add_hours("c1", d(2024, 3, 3), 40.0);
        // Raised to 县处级 in 2025: 2023 and 2024 stay 乡科级 (2023's 95 hours met its year).
        level(
            &mut p,
            2,
            Some(LeadershipLevel::CountyDeputy),
            d(2025, 6, 1),
        );
        p.add_hours("c1", d(2025, 7, 3), 30.0);
        assert_eq!(
            lines(&p),
            vec![
                (2023, "township", 1, 1),
                (2024, "township", 1, 0),
                (2025, "county", 1, 0)
            ]
        );
        // A 2024 credit recorded after the crossing is filed under the level of 2024.
        p.add_hours("c1", d(2024, 9, 3), 50.0);
        assert_eq!(
            lines(&p),
            vec![
                (2023, "township", 1, 1),
                (2024, "township", 1, 1),
                (2025, "county", 1, 0)
            ]
        );
        // A change recorded late but effective in 2024 moves 2024 on, not 2023.
        let mut q = Profiles::default();
        q.rec_mut("c1").registered = true;
        q.add_hours("c1", d(2023, 3, 3), 20.0);
        q.add_hours("c1", d(2024, 3, 3), 20.0);
        level(
            &mut q,
            3,
            Some(LeadershipLevel::CountyChief),
            d(2024, 1, 15),
        );
        assert_eq!(
            lines(&q),
            vec![(2023, "township", 1, 0), (2024, "county", 1, 0)]
        );
    }

    #[test]
    fn a_cadre_who_crosses_twice_counts_each_year_under_the_level_held_that_year() {
        let mut p = Profiles::default();
        p.rec_mut("c1").registered = true;
        for year in 2021..=2025 {
            p.add_hours("c1", d(year, 3, 3), 95.0);
        }
        // 县处级 from 2022, back to 乡科级 in 2024 (a 逆向调整): 2021 and 2024-2025 are 乡科级
        // years, 2022-2023 县处级 ones (their 190 hours are short of 550 over the window).
        level(
            &mut p,
            2,
            Some(LeadershipLevel::CountyDeputy),
            d(2022, 6, 1),
        );
        level(
            &mut p,
            3,
            Some(LeadershipLevel::TownshipChief),
            d(2024, 6, 1),
        );
        let expected = vec![
            (2021, "township", 1, 1),
            (2022, "county", 1, 0),
            (2023, "county", 1, 0),
            (2024, "township", 1, 1),
            (2025, "township", 1, 1),
        ];
        assert_eq!(lines(&p), expected);
        // The 县处级 side reads each year's level off the profile, as the histograms file it.
        let rec = p.rec_mut("c1");
        let by_year: Vec<bool> = (2021..=2025).map(|y| rec.county_in(y)).collect();
        assert_eq!(by_year, [false, true, true, false, false]);
        // Credits recorded after both crossings are filed under the level of their own year.
        p.add_hours("c1", d(2023, 9, 3), 5.0);
        p.add_hours("c1", d(2021, 9, 3), 5.0);
        assert_eq!(lines(&p), expected);
    }
}
