//! 双考 (考察考核“双考”融合): an evaluation of a cadre tied to a key task, by an embedded evaluator, scored on 工作态度, 担当精神 and 能力水平; and the check that a grade, an award or a down review citing one cites an evaluation of that cadre.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Event, State};
use crate::{context::Context, error::DomainError};

/// The highest score on each dimension (scores run from 0 to this).
pub const SCORE_MAX: f64 = 100.0;

/// The key task an evaluation is tied to (“考人” linked to “考事”).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// 区级重大产业项目
    IndustrialProject,
    /// 重点工程项目
    KeyProject,
}

impl TaskKind {
    pub const ALL: [TaskKind; 2] = [TaskKind::IndustrialProject, TaskKind::KeyProject];

    pub fn zh(self) -> &'static str {
        match self {
            TaskKind::IndustrialProject => "区级重大产业项目",
            TaskKind::KeyProject => "重点工程项目",
        }
    }
}

/// The embedded evaluator (嵌入式考察考核) that scored the cadre on the task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evaluator {
    /// 考核办
    AssessmentOffice,
    /// 督考办
    InspectionOffice,
}

impl Evaluator {
    pub const ALL: [Evaluator; 2] = [Evaluator::AssessmentOffice, Evaluator::InspectionOffice];

    pub fn zh(self) -> &'static str {
        match self {
            Evaluator::AssessmentOffice => "考核办",
            Evaluator::InspectionOffice => "督考办",
        }
    }
}

/// The three scores of a 双考 evaluation, each from 0 to [`SCORE_MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// 工作态度
    pub attitude: f64,
    /// 担当精神
    pub responsibility: f64,
    /// 能力水平
    pub competence: f64,
}

impl Scores {
    /// The three dimensions with their Chinese names.
    pub fn named(&self) -> [(&'static str, f64); 3] {
        [
            ("工作态度", self.attitude),
            ("担当精神", self.responsibility),
            ("能力水平", self.competence),
        ]
    }

    /// The mean of the three scores.
    pub fn mean(&self) -> f64 {
        (self.attitude + self.responsibility + self.competence) / 3.0
    }
}

/// 登记双考评价: the command.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordEvaluation {
    pub cadre_id: String,
    pub evaluation_id: String,
    pub task_kind: TaskKind,
    /// The task's name, e.g. “新能源电池产业园项目”.
    pub task_name: String,
    pub evaluator: Evaluator,
    pub scores: Scores,
    /// 评价意见.
    pub remarks: Option<String>,
}

/// A 双考 evaluation recorded on the cadre's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationRecorded {
    pub cadre_id: String,
    pub evaluation_id: String,
    pub task_kind: TaskKind,
    pub task_name: String,
    pub evaluator: Evaluator,
    pub scores: Scores,
    pub remarks: Option<String>,
    pub evaluated_on: NaiveDate,
}

/// An evaluation on the folded record (what a citation is checked against).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationRecord {
    pub evaluation_id: String,
    pub task_kind: TaskKind,
    pub task_name: String,
    pub evaluated_on: NaiveDate,
}

impl From<&EvaluationRecorded> for EvaluationRecord {
    fn from(e: &EvaluationRecorded) -> Self {
        EvaluationRecord {
            evaluation_id: e.evaluation_id.clone(),
            task_kind: e.task_kind,
            task_name: e.task_name.clone(),
            evaluated_on: e.evaluated_on,
        }
    }
}

/// Decide a 双考 evaluation: a new id on this record, a named task, scores in range, dated
/// no later than today.
pub fn record(
    state: &State,
    c: &RecordEvaluation,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    let on = super::happened(ctx, "评价日期")?;
    super::not_before_birth(state, on, "双考评价日期")?;
    super::required(&c.evaluation_id, "EVALUATION_ID_REQUIRED", "双考评价编号")?;
    super::required(
        &c.task_name,
        "EVALUATION_TASK_REQUIRED",
        "双考评价的重点任务名称",
    )?;
    if state
        .evaluations
        .iter()
        .any(|e| e.evaluation_id == c.evaluation_id)
    {
        return Err(DomainError::refused(
            "EVALUATION_EXISTS",
            format!(
                "双考评价 {} 已登记在 {} 的记录上, 不能重复登记",
                c.evaluation_id,
                state.who()
            ),
        ));
    }
    for (name, score) in c.scores.named() {
        if !score.is_finite() || !(0.0..=SCORE_MAX).contains(&score) {
            return Err(DomainError::invalid(
                "EVALUATION_SCORE_OUT_OF_RANGE",
                format!(
                    "{} 的双考评价 {} {name}得分 {score} 超出范围: 须在 0 至 {SCORE_MAX} 之间",
                    state.who(),
                    c.evaluation_id
                ),
            ));
        }
    }
    Ok(vec![Event::EvaluationRecorded(EvaluationRecorded {
        cadre_id: state.cadre_id.clone(),
        evaluation_id: c.evaluation_id.clone(),
        task_kind: c.task_kind,
        task_name: c.task_name.trim().to_owned(),
        evaluator: c.evaluator,
        scores: c.scores,
        remarks: c
            .remarks
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned),
        evaluated_on: on,
    })])
}

/// A grade, an award or a down review citing a 双考 evaluation (`what` says which) must cite an
/// evaluation on this cadre's own record, made on or before `on`.
pub fn check_cited(
    state: &State,
    evaluation_id: Option<&str>,
    on: NaiveDate,
    what: &str,
) -> Result<(), DomainError> {
    let Some(id) = evaluation_id else {
        return Ok(());
    };
    let Some(found) = state.evaluations.iter().find(|e| e.evaluation_id == id) else {
        return Err(DomainError::not_found(
            "EVALUATION_NOT_FOUND",
            format!(
                "{what}引用的双考评价 {id} 不在 {} 的记录上: 只能引用对本人的双考评价",
                state.who()
            ),
        ));
    };
    if found.evaluated_on > on {
        return Err(DomainError::refused(
            "EVALUATION_AFTER_DECISION",
            format!(
                "{what}日期 {on} 早于所引用的双考评价 {id} 的评价日期 {} ({}): 不能以尚未作出的评价为依据",
                found.evaluated_on,
                state.who()
            ),
        ));
    }
    Ok(())
}
