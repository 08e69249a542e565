//! 双考 evaluations on a cadre's profile: the compact record the profile fold keeps, and the view a profile shows.

use chrono::NaiveDate;
use dossier_domain::cadre::{EvaluationRecorded, Evaluator, Scores, TaskKind};
use serde::{Deserialize, Serialize};

use crate::{intern::Sym, profile::Profiles};

/// A 双考 evaluation on the record (interned id and task name).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EvaluationRec {
    pub id: Sym,
    pub task_kind: TaskKind,
    pub task: Sym,
    pub evaluator: Evaluator,
    pub scores: Scores,
    pub on: NaiveDate,
}

/// A 双考 evaluation, as shown on a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluationView {
    pub evaluation_id: String,
    pub task_kind: TaskKind,
    pub task_name: String,
    pub evaluator: Evaluator,
    pub scores: Scores,
    pub evaluated_on: NaiveDate,
}

impl Profiles {
    /// Fold a recorded evaluation into its cadre's profile.
    pub(crate) fn add_evaluation(&mut self, e: &EvaluationRecorded) {
        let id = self.syms.intern(&e.evaluation_id);
        let task = self.syms.intern(&e.task_name);
        let rec = self.rec_mut(&e.cadre_id);
        rec.evaluations.retain(|x| x.id != id);
        rec.evaluations.push(EvaluationRec {
            id,
            task_kind: e.task_kind,
            task,
            evaluator: e.evaluator,
            scores: e.scores,
            on: e.evaluated_on,
        });
    }

    /// The evaluations as shown, in the order recorded.
    pub(crate) fn evaluation_views(&self, recs: &[EvaluationRec]) -> Vec<EvaluationView> {
        recs.iter()
            .map(|r| EvaluationView {
                evaluation_id: self.syms.resolve(r.id).to_owned(),
                task_kind: r.task_kind,
                task_name: self.syms.resolve(r.task).to_owned(),
                evaluator: r.evaluator,
                scores: r.scores,
                evaluated_on: r.on,
            })
            .collect()
    }
}
