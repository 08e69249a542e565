//! Training dashboard: classes by kind and teaching method, enrolment and completion, study sessions by mode, forum cycles.

use std::collections::BTreeMap;

use dossier_domain::{Event, forum::Event as F, study::Event as S, training::Event as T};
use serde::{Deserialize, Serialize};

use super::{Figure, key, path};
use crate::{envelope::Envelope, model::ReadModel, snap::Snap};

/// Counts for one class kind.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassKindFigures {
    pub classes: u32,
    pub enrolments: u32,
    pub completions: u32,
    pub hours_credited: f64,
    /// Classes using each teaching method.
    pub by_method: BTreeMap<String, u32>,
}

/// The training dashboard as read.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingView {
    /// By class kind (`main`, `thematic`).
    pub by_kind: BTreeMap<String, ClassKindFigures>,
    /// Thematic classes by theme.
    pub by_theme: BTreeMap<String, u32>,
    /// Study sessions by mode.
    pub study_sessions: BTreeMap<String, u32>,
    /// Study attendances (person-times) by mode.
    pub study_attendances: BTreeMap<String, u32>,
    /// 双月讲坛 cycles opened, lectures held, research results submitted, answer sessions held.
    pub forum_cycles: u32,
    pub forum_lectures: u32,
    pub forum_research_results: u32,
    pub forum_answer_sessions: u32,
}

/// The training dashboard's fold: the view, and each class's kind (to attribute enrolments).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingDashboard {
    pub view: Snap<TrainingView>,
    class_kinds: rustc_hash::FxHashMap<String, String>,
}

impl ReadModel for TrainingDashboard {
    const NAME: &'static str = "dashboard_training";
    // 3: hours credited summed in whole hundredths.
    const VERSION: u32 = 3;

    fn apply(&mut self, env: &Envelope<'_>) {
        if !matches!(
            env.event,
            Event::Training(_) | Event::Study(_) | Event::Forum(_)
        ) {
            return;
        }
        let v = self.view.make_mut();
        match env.event {
            Event::Training(e) => match e {
                T::Scheduled(s) => {
                    let kind = key(&s.kind);
                    self.class_kinds.insert(s.class_id.clone(), kind.clone());
                    let k = v.by_kind.entry(kind).or_default();
                    k.classes += 1;
                    for m in &s.methods {
                        *k.by_method.entry(key(m)).or_default() += 1;
                    }
                    if let Some(theme) = &s.theme {
                        *v.by_theme.entry(theme.clone()).or_default() += 1;
                    }
                }
                T::Enrolled(en) => {
                    if let Some(k) = self
                        .class_kinds
                        .get(&en.class_id)
                        .and_then(|kind| v.by_kind.get_mut(kind))
                    {
                        k.enrolments += 1;
                    }
                }
                T::Completed(c) => {
                    let k = v.by_kind.entry(key(&c.class_kind)).or_default();
                    k.completions += 1;
                }
                T::AttendanceRecorded(a) => {
                    if let Some(k) = self
                        .class_kinds
                        .get(&a.class_id)
                        .and_then(|kind| v.by_kind.get_mut(kind))
                    {
                        // Summed in whole hundredths (exact: 0.1 + 0.2 is 0.3).
                        k.hours_credited =
                            dossier_domain::training_hours::sum([k.hours_credited, a.hours]);
                    }
                }
                _ => {}
            },
            Event::Study(e) => match e {
                S::Held(h) => {
                    let mode = key(&h.mode);
                    *v.study_sessions.entry(mode.clone()).or_default() += 1;
                    *v.study_attendances.entry(mode).or_default() += h.attendees.len() as u32;
                }
                S::AttendeesAdded(a) => {
                    *v.study_attendances.entry(key(&a.mode)).or_default() +=
                        a.attendees.len() as u32;
                }
            },
            Event::Forum(e) => match e {
                F::Opened(_) => v.forum_cycles += 1,
                F::LectureHeld(_) => v.forum_lectures += 1,
                F::ResearchSubmitted(_) => v.forum_research_results += 1,
                F::AnswersPresented(_) => v.forum_answer_sessions += 1,
            },
            _ => {}
        }
    }
}

impl TrainingView {
    /// Classes of a kind (`"main"`, `"thematic"`).
    pub fn classes(&self, kind: &str) -> u32 {
        self.by_kind.get(kind).map_or(0, |k| k.classes)
    }

    /// The figures in flat form.
    pub fn figures(&self) -> Vec<Figure> {
        let d = "training";
        let mut out = Vec::new();
        for (kind, k) in &self.by_kind {
            out.push(Figure::new(
                d,
                "classes",
                kind.clone(),
                f64::from(k.classes),
            ));
            out.push(Figure::new(
                d,
                "enrolments",
                kind.clone(),
                f64::from(k.enrolments),
            ));
            out.push(Figure::new(
                d,
                "completions",
                kind.clone(),
                f64::from(k.completions),
            ));
            out.push(Figure::new(
                d,
                "hours_credited",
                kind.clone(),
                k.hours_credited,
            ));
            for (m, n) in &k.by_method {
                out.push(Figure::new(
                    d,
                    "classes_by_method",
                    path(&[kind, m]),
                    f64::from(*n),
                ));
            }
        }
        for (t, n) in &self.by_theme {
            out.push(Figure::new(
                d,
                "thematic_classes_by_theme",
                t.clone(),
                f64::from(*n),
            ));
        }
        for (m, n) in &self.study_sessions {
            out.push(Figure::new(d, "study_sessions", m.clone(), f64::from(*n)));
        }
        for (m, n) in &self.study_attendances {
            out.push(Figure::new(
                d,
                "study_attendances",
                m.clone(),
                f64::from(*n),
            ));
        }
        out.push(Figure::new(
            d,
            "forum_cycles",
            "",
            f64::from(self.forum_cycles),
        ));
        out.push(Figure::new(
            d,
            "forum_lectures",
            "",
            f64::from(self.forum_lectures),
        ));
        out.push(Figure::new(
            d,
            "forum_research_results",
            "",
            f64::from(self.forum_research_results),
        ));
        out.push(Figure::new(
            d,
            "forum_answer_sessions",
            "",
            f64::from(self.forum_answer_sessions),
        ));
        out
    }
}
