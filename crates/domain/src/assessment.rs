//! Stream kind `assessment` (`assessment-<unit>-<year>`): a unit's annual grades recorded as a batch, under the 优秀 share cap.
//!
//! The application writes the batch event here and, in the same atomic multi-stream
//! write, each cadre's `cadre.GradeRecorded` and its consequences, produced by
//! [`cadre_events`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{
    aggregate::{self, Aggregate as _},
    cadre,
    codes::{AssessmentCategory, AssessmentConclusion},
    context::{Context, ORG},
    error::DomainError,
    policy::NATIONAL_EXCELLENT_SHARE_CEILING,
    types::Grade,
};

/// One cadre's grade in a batch (`None`: 不定等次).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeEntry {
    pub cadre_id: String,
    pub grade: Option<Grade>,
    /// The 双考 evaluation of this cadre the grade rests on, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_id: Option<String>,
}

/// A batch of grades recorded for a unit and year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradesRecorded {
    pub unit_id: String,
    pub year: i32,
    /// ZB17
    pub category: AssessmentCategory,
    pub entries: Vec<GradeEntryRecorded>,
    /// Cadres assessed in this unit and year so far, this batch included.
    pub assessed_total: u32,
    /// 优秀 so far, this batch included.
    pub excellent_total: u32,
    /// The most 优秀 the share allows for `assessed_total`.
    pub excellent_cap: u32,
    /// The share in force (percent).
    pub share_percent: u32,
    pub recorded_on: NaiveDate,
    pub basis: Option<String>,
}

/// A recorded entry, with its ZB18 conclusion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeEntryRecorded {
    pub cadre_id: String,
    pub grade: Option<Grade>,
    /// ZB18
    pub conclusion: AssessmentConclusion,
    /// The 双考 evaluation of this cadre the grade rests on, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_id: Option<String>,
}

crate::event_set! {
    /// Events of an `assessment` stream.
    pub enum Event {
        GradesRecorded(GradesRecorded) = "assessment.GradesRecorded" @ 1,
    }
}

/// Folded state of an `assessment` stream.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub unit_id: String,
    pub year: i32,
    /// Every cadre graded so far.
    pub graded: BTreeMap<String, Option<Grade>>,
}

impl State {
    pub fn excellent(&self) -> u32 {
        self.graded
            .values()
            .filter(|g| **g == Some(Grade::Excellent))
            .count() as u32
    }
}

/// The stream id (without the kind) of a unit's assessment for a year.
pub fn stream_key(unit_id: &str, year: i32) -> String {
    format!("{unit_id}-{year}")
}

/// Commands an `assessment` stream accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Record grades for some or all of a unit's cadres. `key` is `stream_key(unit_id, year)`.
    RecordGrades {
        key: String,
        unit_id: String,
        year: i32,
        category: AssessmentCategory,
        entries: Vec<GradeEntry>,
        basis: Option<String>,
    },
}

/// What the application loads for a batch: the unit (from its unit stream, `None` when it is
/// not registered) and each graded cadre's folded stream.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub unit: Option<cadre::UnitFact>,
    pub cadres: BTreeMap<String, cadre::State>,
}

/// The most 优秀 grades `share_percent` allows among `assessed` (rounded down).
pub fn excellent_cap(assessed: u32, share_percent: u32) -> u32 {
    assessed * share_percent / 100
}

/// The `assessment` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "assessment";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Facts;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::RecordGrades { key, .. } => key,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        facts: &Facts,
    ) -> Result<Vec<Event>, DomainError> {
        ctx.require_role(ORG, "登记年度考核结果")?;
        let Command::RecordGrades {
            key,
            unit_id,
            year,
            category,
            entries,
            basis,
        } = command;
        if unit_id.trim().is_empty() {
            return Err(DomainError::invalid("UNIT_ID_REQUIRED", "考核单位不能为空"));
        }
        if *key != stream_key(unit_id, *year) {
            return Err(DomainError::invalid(
                "ASSESSMENT_KEY_MISMATCH",
                format!("考核批次 {key} 与单位 {unit_id}、年度 {year} 不符"),
            ));
        }
        if *year > ctx.today.year() || *year < 1950 {
            return Err(DomainError::invalid(
                "ASSESSMENT_YEAR_INVALID",
                format!("考核年度 {year} 无效 (不能晚于今年 {})", ctx.today.year()),
            ));
        }
        if entries.is_empty() {
            return Err(DomainError::invalid(
                "ASSESSMENT_EMPTY_BATCH",
                "考核结果为空",
            ));
        }
        let unit = facts
            .unit
            .as_ref()
            .filter(|u| u.unit_id == *unit_id)
            .ok_or_else(|| {
                DomainError::not_found(
                    "UNIT_NOT_FOUND",
                    format!("考核单位 {unit_id} 尚未登记, 不能登记其年度考核结果"),
                )
            })?;
        let unit_label = format!("{}（{}）", unit.name, unit.unit_id);
        let a = &ctx.policy.assessment;
        let ceiling = a
            .excellent_share_max_percent
            .min(NATIONAL_EXCELLENT_SHARE_CEILING);
        if a.excellent_share_percent > ceiling {
            return Err(DomainError::refused(
                "POLICY_EXCELLENT_SHARE_CEILING",
                format!(
                    "现行政策的优秀比例 {}% 超过上限 {ceiling}%, 不能据此确定等次",
                    a.excellent_share_percent
                ),
            ));
        }
        let mut seen = BTreeSet::new();
        for entry in entries {
            if !seen.insert(entry.cadre_id.as_str()) {
                return Err(DomainError::invalid(
                    "ASSESSMENT_DUPLICATE_CADRE",
                    format!("干部「{}」在本批次中出现两次", entry.cadre_id),
                ));
            }
            if let Some(existing) = state.graded.get(&entry.cadre_id) {
                return Err(DomainError::invalid(
                    "ASSESSMENT_ALREADY_GRADED",
                    format!(
                        "干部「{}」{year} 年度已确定等次 “{}”, 不能重复确定",
                        entry.cadre_id,
                        existing.map_or("不定等次", Grade::zh)
                    ),
                ));
            }
            let cadre = facts
                .cadres
                .get(&entry.cadre_id)
                .filter(|c| c.registered)
                .ok_or_else(|| {
                    DomainError::not_found(
                        "CADRE_NOT_FOUND",
                        format!("干部「{}」尚未登记", entry.cadre_id),
                    )
                })?;
            cadre::check_in_unit(cadre, unit_id, &unit_label, *year)?;
            cadre::check_grade(cadre, *year, entry.grade, ctx)?;
            cadre::check_cited(
                cadre,
                entry.evaluation_id.as_deref(),
                ctx.effective,
                "考核等次",
            )?;
        }
        let assessed_total = (state.graded.len() + entries.len()) as u32;
        let excellent_new = entries
            .iter()
            .filter(|e| e.grade == Some(Grade::Excellent))
            .count() as u32;
        let excellent_total = state.excellent() + excellent_new;
        let cap = excellent_cap(assessed_total, a.excellent_share_percent);
        if excellent_total > cap {
            return Err(DomainError::refused(
                "ASSESSMENT_EXCELLENT_SHARE",
                format!(
                    "优秀等次超过比例: {unit_label} {year} 年度参加考核 {assessed_total} 人, 优秀 {excellent_total} 人, \
                     按 {}% 至多 {cap} 人",
                    a.excellent_share_percent
                ),
            ));
        }
        Ok(vec![Event::GradesRecorded(GradesRecorded {
            unit_id: unit_id.clone(),
            year: *year,
            category: *category,
            entries: entries
                .iter()
                .map(|e| GradeEntryRecorded {
                    cadre_id: e.cadre_id.clone(),
                    grade: e.grade,
                    conclusion: AssessmentConclusion::of(e.grade),
                    evaluation_id: e.evaluation_id.clone(),
                })
                .collect(),
            assessed_total,
            excellent_total,
            excellent_cap: cap,
            share_percent: a.excellent_share_percent,
            recorded_on: ctx.effective,
            basis: basis.clone(),
        })])
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::GradesRecorded(e) => {
                state.unit_id = e.unit_id.clone();
                state.year = e.year;
                for entry in &e.entries {
                    state.graded.insert(entry.cadre_id.clone(), entry.grade);
                }
            }
        }
    }
}

/// The events to append to each graded cadre's stream for a recorded batch: the
/// `cadre.GradeRecorded` and its consequences (嘉奖, 三等功, 诫勉, 降级, down review, 辞退),
/// decided by the cadre aggregate against the cadre's folded state.
pub fn cadre_events(
    batch: &GradesRecorded,
    facts: &Facts,
    ctx: &Context<'_>,
) -> Result<Vec<(String, Vec<cadre::Event>)>, DomainError> {
    batch
        .entries
        .iter()
        .map(|entry| {
            let state = facts.cadres.get(&entry.cadre_id).ok_or_else(|| {
                DomainError::not_found(
                    "CADRE_NOT_FOUND",
                    format!("干部「{}」尚未登记", entry.cadre_id),
                )
            })?;
            let command = cadre::Command::RecordGrade {
                cadre_id: entry.cadre_id.clone(),
                unit_id: batch.unit_id.clone(),
                year: batch.year,
                grade: entry.grade,
                category: batch.category,
                basis: batch.basis.clone(),
                evaluation_id: entry.evaluation_id.clone(),
            };
            let events = cadre::Aggregate::decide(state, &command, ctx, &cadre::Facts::default())?;
            Ok((entry.cadre_id.clone(), events))
        })
        .collect()
}
