//! Dashboards on an effective date as known at a log position: from the live models when they hold exactly that slice of history, else from the same fold run over that slice.
//!
//! The answer for (`as_of`, `known_at`) is, by definition, every dashboard of a fold of the
//! events effective on or before `as_of` and recorded at or before `known_at`. The live models
//! are that fold whenever no event they hold is effective after `as_of` and `known_at` is not
//! before their position: then the answer is read off them (and kept for the position and the
//! date, so repeated reads do not recompute it). Otherwise the slice is folded through the same
//! `Models::apply` ([`crate::asof::fold_log`]), into the models the dashboards read (the others
//! are left out: `Models::for_dashboards`). Because a new event always comes last in log
//! order, a slice folded for a date stays exact when later events (filtered by the same date)
//! are folded on top of it: [`DatedCache`] keeps a few such folds per date and advances them.

use std::sync::Arc;

use chrono::NaiveDate;

use super::{Figure, all_figures_with, care::CareView, log::LogStats, training::TrainingView};
use crate::models::Models;

/// Every dashboard on `as_of`, as the log stood at `position`.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedDashboards {
    /// The effective date the figures are for.
    pub as_of: NaiveDate,
    /// The last log position taken into account.
    pub position: u64,
    /// Every figure, flat.
    pub figures: Vec<Figure>,
    pub training: Arc<TrainingView>,
    pub care: CareView,
    pub log: LogStats,
}

impl DatedDashboards {
    /// Read every dashboard off `models` (a fold of the slice of history wanted) on `as_of`.
    pub fn of(models: &Models, as_of: NaiveDate, position: u64) -> Self {
        let policy = models.policies.model.in_force(as_of);
        let care = models.care.model.view(&policy, as_of);
        DatedDashboards {
            as_of,
            position,
            figures: all_figures_with(models, as_of, &policy, &care),
            training: models.training.model.view.get(),
            care,
            log: models.log.model.clone(),
        }
    }
}

/// Do `models` (the live fold) hold exactly the events effective on or before `as_of` and
/// recorded at or before `known_at`? True when none they hold is effective after `as_of` and
/// `known_at` (absent: as known now) is not before their position.
pub fn live_answers(models: &Models, as_of: NaiveDate, known_at: Option<u64>) -> bool {
    models
        .log
        .model
        .latest_effective
        .is_none_or(|latest| latest <= as_of)
        && known_at.is_none_or(|p| p >= models.position())
}

/// How many folds of a dated slice are kept (each is a full set of models).
pub const DATED_FOLDS_KEPT: usize = 4;
/// How many dated answers are kept.
pub const DATED_ANSWERS_KEPT: usize = 64;

/// Dated answers already computed, and folds of dated slices that later reads advance.
#[derive(Default)]
pub struct DatedCache {
    /// (as_of, position) → answer; the slice up to a position never changes.
    answers: Vec<((NaiveDate, u64), Arc<DatedDashboards>)>,
    /// Folds of the events effective on or before a date, each up to its own position,
    /// most recently used last.
    folds: Vec<(NaiveDate, Box<Models>)>,
}

impl std::fmt::Debug for DatedCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatedCache")
            .field("answers", &self.answers.len())
            .field("folds", &self.folds.len())
            .finish()
    }
}

impl DatedCache {
    /// The answer kept for `as_of` at `position`, if any.
    pub fn answer(&mut self, as_of: NaiveDate, position: u64) -> Option<Arc<DatedDashboards>> {
        let i = self
            .answers
            .iter()
            .position(|(k, _)| *k == (as_of, position))?;
        let hit = self.answers.remove(i);
        let value = hit.1.clone();
        self.answers.push(hit);
        Some(value)
    }

    /// Keep `answer`, dropping the least recently used beyond [`DATED_ANSWERS_KEPT`].
    pub fn keep_answer(&mut self, answer: Arc<DatedDashboards>) {
        let k = (answer.as_of, answer.position);
        self.answers.retain(|(x, _)| *x != k);
        if self.answers.len() >= DATED_ANSWERS_KEPT {
            self.answers.remove(0);
        }
        self.answers.push((k, answer));
    }

    /// Take out the fold kept for `as_of` if it has not gone past `position` (it can be
    /// advanced to it) and, when `whole`, holds every model (a fold made for the dashboards
    /// alone leaves some out: it serves only dashboards); a fold past it stays (it cannot go back).
    pub fn take_fold(
        &mut self,
        as_of: NaiveDate,
        position: u64,
        whole: bool,
    ) -> Option<Box<Models>> {
        let i = self.folds.iter().position(|(d, m)| {
            *d == as_of && m.position() <= position && (!whole || m.is_whole())
        })?;
        Some(self.folds.remove(i).1)
    }

    /// Keep the fold of the slice effective on or before `as_of`, replacing one for the same
    /// date and dropping the least recently used beyond [`DATED_FOLDS_KEPT`].
    pub fn keep_fold(&mut self, as_of: NaiveDate, models: Box<Models>) {
        // A fold is a whole set of read models: the ones let go are freed off this path.
        let (kept, mut evicted): (Vec<_>, Vec<_>) = std::mem::take(&mut self.folds)
            .into_iter()
            .partition(|(d, _)| *d != as_of);
        self.folds = kept;
        if self.folds.len() >= DATED_FOLDS_KEPT {
            evicted.push(self.folds.remove(0));
        }
        if !evicted.is_empty() {
            crate::discard::drop_later(evicted);
        }
        self.folds.push((as_of, models));
    }
}

/// Folds of dated slices, one at a time. A fold reads the whole log on every core and holds a
/// set of models as large as the live one: folds run side by side would only share the cores
/// and multiply the memory, and requests for the same slice would each fold it. A request
/// takes its turn here, then looks again for the answer or the fold another request kept
/// while it waited.
#[derive(Debug)]
pub struct FoldGate {
    turn: tokio::sync::Semaphore,
    runs: std::sync::atomic::AtomicU64,
    waiting: std::sync::atomic::AtomicU64,
}

impl Default for FoldGate {
    fn default() -> Self {
        FoldGate {
            turn: tokio::sync::Semaphore::new(1),
            runs: Default::default(),
            waiting: Default::default(),
        }
    }
}

/// What the [`FoldGate`] has seen: folds run since start, requests waiting for their turn now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FoldStats {
    pub runs: u64,
    pub waiting: u64,
}

impl FoldGate {
    /// Wait for the turn to fold (first come, first served); the turn passes on when the
    /// returned permit is dropped, also when the request is given up. (`None` only if the gate
    /// were closed, which nothing does: the fold then goes ahead rather than fail the read.)
    pub async fn turn(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        use std::sync::atomic::Ordering::Relaxed;
        self.waiting.fetch_add(1, Relaxed);
        struct Leave<'a>(&'a std::sync::atomic::AtomicU64);
        impl Drop for Leave<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        let _leave = Leave(&self.waiting);
        self.turn.acquire().await.ok()
    }

    /// Count a fold that ran.
    pub fn ran(&self) {
        self.runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn stats(&self) -> FoldStats {
        use std::sync::atomic::Ordering::Relaxed;
        FoldStats {
            runs: self.runs.load(Relaxed),
            waiting: self.waiting.load(Relaxed),
        }
    }
}
