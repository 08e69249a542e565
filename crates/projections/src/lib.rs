//! Read models folded from the event log: profiles, unit views, dashboards, alerts, as-of views, and their runner.
//!
//! # Use
//!
//! ```text
//! let (projections, runner) = Projections::start(store.clone(), ProjectionOptions::default());
//! let position = store.append(..).await?.last_position;          // a mutation
//! projections.wait_for(position, Duration::from_secs(5)).await?;  // read your writes
//! let profile = projections.profile("c001", today);               // years counted to `today`
//! let page = projections.profiles(&ProfileFilter::default(), None, 50);
//! let training = projections.dashboard_training();                // Arc of the view: O(1)
//! let care = projections.dashboard_care(today);
//! let alerts = projections.alerts(today);
//! let then = projections.dashboards(date, Some(known_at)).await?;    // bitemporal dashboards
//! let then = projections.profile_as_of("c001", date, Some(known_at)).await?;
//! let mut changes = projections.changes();                        // watch of the applied position
//! projections.shutdown().await?;                                  // saves snapshots
//! runner.await??;
//! ```
//!
//! Every read model is a fold with a name, a version and a checkpoint
//! position ([`model::ReadModel`]). At start the runner loads each model's
//! snapshot if its version matches, catches up from the log with the store's
//! fast scan (decoding on every core, [`pipeline`]), then follows the live
//! subscription; it saves snapshots every N events or T seconds and at
//! shutdown. Queries read a consistent view under a read lock; dashboards are
//! maintained incrementally behind an `Arc` and a read clones the `Arc`. The
//! crate reads no clock: dates such as the "as of" of alerts are arguments.
//!
//! Supervision records are counted in profiles and dashboards; their content
//! is only returned by [`Projections::supervision_details`], which the API must
//! guard by role.

pub mod alerts;
pub mod asof;
pub mod cases;
pub mod concern;
pub mod dashboards;
pub mod discard;
pub mod eligibility;
pub mod envelope;
pub mod error;
pub mod evaluations;
pub mod explain;
pub mod export;
pub mod index;
pub mod intern;
pub mod memo;
pub mod model;
pub mod models;
pub mod pipeline;
pub mod points;
pub mod policy;
pub mod profile;
pub mod profile_training;
pub mod runner;
pub mod snap;
pub mod tenure_lists;
#[doc(hidden)]
pub mod testkit;
pub mod units;

use std::{sync::Arc, time::Duration};

use chrono::NaiveDate;
use dossier_store::Store;
use tokio::{
    sync::{mpsc, oneshot, watch},
    task::JoinHandle,
};

pub use error::ProjectionError;
pub use models::Models;
pub use runner::{ProjectionOptions, RunnerStatus};

use runner::{Control, Shared};

/// A handle to the read models; cheap to clone and share between requests.
#[derive(Clone)]
pub struct Projections {
    shared: Arc<Shared>,
    control: mpsc::Sender<Control>,
}

impl std::fmt::Debug for Projections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Projections")
            .field("position", &self.position())
            .finish()
    }
}

impl Projections {
    /// Start the runner on `store`. Returns the handle and the runner task;
    /// the task ends with `Ok` after [`Projections::shutdown`], or with the error that stopped it.
    pub fn start(
        store: Store,
        options: ProjectionOptions,
    ) -> (Projections, JoinHandle<Result<(), ProjectionError>>) {
        let (applied, _) = watch::channel(0);
        let shared = Arc::new(Shared {
            store,
            models: Default::default(),
            applied,
            status: Default::default(),
            derived: Default::default(),
            fault: Default::default(),
            folds: Default::default(),
        });
        let (control, rx) = mpsc::channel(8);
        let task = tokio::spawn(runner::supervise(shared.clone(), rx, options));
        (Projections { shared, control }, task)
    }

    /// The position every model has reached.
    pub fn position(&self) -> u64 {
        *self.shared.applied.borrow()
    }

    /// Why the runner is down, while it is: it failed and has not restarted yet (it restarts
    /// by itself from its last good state). `None` while it runs.
    pub fn runner_fault(&self) -> Option<String> {
        self.shared
            .fault
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Fault injection for tests and drills: the runner fails now, as if following the log
    /// had failed, and stays down at least `down_for` before its supervisor restarts it.
    pub async fn inject_failure(&self, down_for: Duration) -> Result<u64, ProjectionError> {
        self.control(|reply| Control::Fail(down_for, reply)).await
    }

    /// Wait until every model has folded the event at `position` (read-your-writes
    /// after a mutation). Fails with `Timeout` after `timeout`, or `Stopped` if the runner ended.
    pub async fn wait_for(&self, position: u64, timeout: Duration) -> Result<u64, ProjectionError> {
        let mut rx = self.shared.applied.subscribe();
        let reached = async {
            match rx.wait_for(|p| *p >= position).await {
                Ok(p) => Ok(*p),
                Err(_) => Err(ProjectionError::Stopped),
            }
        };
        match tokio::time::timeout(timeout, reached).await {
            Ok(r) => r,
            Err(_) => Err(ProjectionError::Timeout {
                position,
                reached: self.position(),
            }),
        }
    }

    /// A receiver of the applied position: changes whenever an event is folded
    /// (dashboards may have changed). For GraphQL subscriptions.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.shared.applied.subscribe()
    }

    /// Read the models under one consistent view.
    pub fn read<R>(&self, f: impl FnOnce(&Models) -> R) -> R {
        self.shared.read(f)
    }

    /// What the runner did at start and since.
    pub fn status(&self) -> RunnerStatus {
        self.shared
            .status
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The store the models are folded from.
    pub fn store(&self) -> &Store {
        &self.shared.store
    }

    async fn control(
        &self,
        make: impl FnOnce(oneshot::Sender<Result<u64, ProjectionError>>) -> Control,
    ) -> Result<u64, ProjectionError> {
        let (tx, rx) = oneshot::channel();
        self.control
            .send(make(tx))
            .await
            .map_err(|_| ProjectionError::Stopped)?;
        rx.await.map_err(|_| ProjectionError::Stopped)?
    }

    /// Drop every snapshot and rebuild all models from the log; queries keep
    /// reading the old models until the new ones are complete. Returns the position reached.
    pub async fn rebuild(&self) -> Result<u64, ProjectionError> {
        self.control(Control::Rebuild).await
    }

    /// Save snapshots of every model now. Returns their position.
    pub async fn snapshot(&self) -> Result<u64, ProjectionError> {
        self.control(Control::Snapshot).await
    }

    /// Save snapshots and stop the runner. Returns the position saved.
    pub async fn shutdown(&self) -> Result<u64, ProjectionError> {
        self.control(Control::Shutdown).await
    }

    /// The log overview (events by type, streams by kind).
    pub fn dashboard_log(&self) -> dashboards::log::LogStats {
        self.read(|m| m.log.model.clone())
    }

    /// The policy in force on `date`.
    pub fn policy_on(&self, date: NaiveDate) -> dossier_domain::Policy {
        self.read(|m| m.policies.model.in_force(date))
    }

    /// A cadre's profile, with years in post and rank counted to `on` (pass today).
    /// Supervision details are not part of it: see [`Projections::supervision_details`].
    pub fn profile(&self, cadre_id: &str, on: NaiveDate) -> Option<profile::CadreProfile> {
        self.read(|m| {
            let policy = m.policies.model.in_force(on);
            m.profiles.model.view(cadre_id, on, &policy)
        })
    }

    /// A registered cadre's name, as the profiles hold it now.
    pub fn cadre_name(&self, cadre_id: &str) -> Option<String> {
        self.read(|m| m.profiles.model.rec(cadre_id).map(|r| r.name.to_string()))
            .filter(|n| !n.is_empty())
    }

    /// The training hours credited to a cadre by calendar year (as the read models know now).
    pub fn training_hours(&self, cadre_id: &str) -> Vec<(i32, f64)> {
        self.read(|m| {
            m.profiles
                .model
                .rec(cadre_id)
                .map_or_else(Vec::new, |r| profile_training::hours_of(r).collect())
        })
    }

    /// The training sessions credited to a cadre dated on or after `since` (date, hours), read
    /// from the log (the profile keeps hours by year only): what a promotion dated `since`
    /// finds already made up when it is recorded after them.
    pub async fn credits_since(
        &self,
        cadre_id: &str,
        since: NaiveDate,
    ) -> Result<Vec<(NaiveDate, f64)>, ProjectionError> {
        // Hours are credited only on class and 五学 streams: the others are not read.
        let streams: Vec<String> = self
            .read(|m| m.index.model.streams_of(cadre_id))
            .into_iter()
            .filter(|s| s.starts_with("training-") || s.starts_with("study-"))
            .collect();
        asof::credits_since(self.store(), &streams, cadre_id, since).await
    }

    /// A page of profiles matching `filter`, after `cursor` (from the previous page's `next_cursor`).
    pub fn profiles(
        &self,
        filter: &profile::ProfileFilter,
        cursor: Option<&str>,
        limit: usize,
    ) -> profile::ProfilePage {
        self.read(|m| m.profiles.model.page(filter, cursor, limit))
    }

    /// A unit's view (posts, incumbents, hot posts, vacancies).
    pub fn unit(&self, unit_id: &str) -> Option<units::UnitView> {
        self.read(|m| m.units.model.units.get(unit_id).cloned())
    }

    /// Every unit: id and name.
    pub fn units(&self) -> Vec<(String, String)> {
        self.read(|m| {
            m.units
                .model
                .units
                .values()
                .map(|u| (u.unit_id.clone(), u.name.clone()))
                .collect()
        })
    }

    /// The training dashboard.
    pub fn dashboard_training(&self) -> Arc<dashboards::training::TrainingView> {
        self.read(|m| m.training.model.view.get())
    }

    /// The assessment dashboard (grade distribution by year and unit, 优秀 against the cap).
    pub fn dashboard_assessment(&self) -> Arc<dashboards::assessment::AssessmentView> {
        self.read(|m| m.assessment.model.view.get())
    }

    /// The awards dashboard (Steed Award batches and awardees, three-good contest years).
    pub fn dashboard_awards(&self) -> dashboards::awards::AwardsView {
        self.read(|m| m.awards.model.view())
    }

    /// The promotion dashboard (each year's front-line quota: size, allocations by points, used, left).
    pub fn dashboard_promotion(
        &self,
    ) -> Arc<std::collections::BTreeMap<i32, dashboards::promotion::QuotaYear>> {
        self.read(|m| m.promotion.model.years.get())
    }

    /// The “down” dashboard (reviews by situation, decisions by method, cases by outcome).
    pub fn dashboard_down(&self) -> Arc<dashboards::down::DownView> {
        self.read(|m| m.down.model.view.get())
    }

    /// The supervision dashboard (counts only: records by source, leads by agency, category
    /// and status, monthly bulletins). Readable by organization and discipline roles.
    pub fn dashboard_supervision(&self) -> Arc<dashboards::supervision::SupervisionView> {
        self.read(|m| m.supervision.model.view.get())
    }

    /// The rotation dashboard (rotations by kind, unit and year; hot-post heads rotated)
    /// with the hot posts at or past their tenure limit on `as_of`.
    pub fn dashboard_rotation(
        &self,
        as_of: NaiveDate,
    ) -> (
        Arc<std::collections::BTreeMap<i32, dashboards::rotation::RotationYear>>,
        units::HotPostsDue,
    ) {
        self.read(|m| {
            (
                m.rotation.model.years.get(),
                m.units.model.hot_posts_due(as_of, 50),
            )
        })
    }

    /// Selection cases under way on `as_of` by stage and age.
    pub fn selection_by_stage(&self, as_of: NaiveDate) -> Vec<dashboards::selection::StageCount> {
        self.read(|m| m.selection.model.by_stage(as_of))
    }

    /// Every unit's quota (职数) in force on `as_of` against its filled leadership posts.
    pub fn selection_vacancies(&self, as_of: NaiveDate) -> Vec<dashboards::selection::VacancyRow> {
        self.read(|m| m.selection.model.vacancies(&m.units.model, as_of))
    }

    /// The reserve pool (年轻干部 / 后备干部库) on `as_of`: by status, age band and education,
    /// with every entry's status then.
    pub fn reserve_pool(&self, as_of: NaiveDate) -> dashboards::reserve::PoolSummary {
        self.read(|m| m.reserve.model.summary(&m.cadre_states.model, as_of))
    }

    /// Every hot-post holder at or past the tenure limit on `as_of` (the full list).
    pub fn hot_posts_due(&self, as_of: NaiveDate) -> Vec<units::HotPostTenure> {
        self.read(|m| m.units.model.hot_posts(as_of))
    }

    /// Every cadre ranked by promotion points on `on` (highest first), at most `limit`.
    /// Computes every profile's points once per date and applied position; later calls
    /// (other pages, other limits) share the ranking.
    pub fn points_ranking(&self, on: NaiveDate, limit: usize) -> Vec<(String, f64)> {
        self.read(|m| {
            let mut derived = self.derived();
            let ranking = runner::cached(&mut derived.ranking, m.position(), on, || {
                eligibility::points_ranking(m, on)
            });
            ranking.top(&m.profiles.model, limit)
        })
    }

    /// The cache of values evaluated over every profile (alerts, ranking).
    fn derived(&self) -> std::sync::MutexGuard<'_, runner::Derived> {
        self.shared
            .derived
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// The supervision records and leads about a cadre, in full, read from the log.
    /// Only organization and discipline roles may see them: the API must check the role
    /// (and audit the read) before calling this.
    pub async fn supervision_details(
        &self,
        cadre_id: &str,
    ) -> Result<Vec<asof::AuditEntry>, ProjectionError> {
        let timeline = match self.timeline(cadre_id).await {
            Ok(t) => t,
            Err(ProjectionError::NotFound { .. }) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        Ok(timeline
            .into_iter()
            .filter(|e| {
                e.event_type.starts_with("supervision.") || e.event_type.starts_with("lead.")
            })
            .collect())
    }

    /// Training hours coverage by year and rank level, against the requirements in force on `as_of`.
    pub fn dashboard_training_coverage(&self, as_of: NaiveDate) -> Vec<profile_training::Coverage> {
        self.read(|m| m.profiles.model.coverage(&m.policies.model.in_force(as_of)))
    }

    /// The care dashboard on `as_of` (overdue stages depend on the date).
    pub fn dashboard_care(&self, as_of: NaiveDate) -> dashboards::care::CareView {
        self.read(|m| m.care.model.view(&m.policies.model.in_force(as_of), as_of))
    }

    /// Every alert on `as_of`, under the policy in force that day, over the record as it stands
    /// now (every fact known, whatever its date: what is due on `as_of` of today's record).
    /// Evaluated over every profile once per date and applied position; later calls share the
    /// result. For the record as it stood on a past date, see [`Projections::alerts_as_of`].
    pub fn alerts(&self, as_of: NaiveDate) -> Arc<Vec<alerts::Alert>> {
        self.read(|m| {
            let mut derived = self.derived();
            runner::cached(&mut derived.alerts, m.position(), as_of, || {
                alerts::evaluate(m, &m.policies.model.in_force(as_of), as_of)
            })
        })
    }

    /// Every alert on `as_of` over the record as it stood that day (facts effective on or
    /// before it), as known at `known_at` (`None`: now): the alerts agree with the profiles and
    /// dashboards of the same date. When the live models hold that slice this is
    /// [`Projections::alerts`]; otherwise the slice is folded ([`Projections::read_as_of`]).
    pub async fn alerts_as_of(
        &self,
        as_of: NaiveDate,
        known_at: Option<u64>,
    ) -> Result<Arc<Vec<alerts::Alert>>, ProjectionError> {
        if self.read(|m| dashboards::dated::live_answers(m, as_of, known_at)) {
            return Ok(self.alerts(as_of));
        }
        self.read_as_of(as_of, known_at, |m| {
            Arc::new(alerts::evaluate(
                m,
                &m.policies.model.in_force(as_of),
                as_of,
            ))
        })
        .await
    }

    /// Every dashboard as it stood on `as_of` (facts effective that day or before), as the log
    /// knew it at position `known_at` (`None`: as known now): equal, figure for figure, to the
    /// dashboards of a fresh fold of only those events.
    ///
    /// When the live models hold exactly that slice (no fact effective after `as_of`, `known_at`
    /// not before their position) the answer is read off them, once per date and position.
    /// Otherwise the slice is folded through the same fold ([`asof::fold_log`]), into only the
    /// models the dashboards read ([`Models::for_dashboards`]); the answer is kept (a slice up
    /// to a position never changes) and so is the fold, which later reads for the same date
    /// advance with the events recorded since instead of folding the log again. Such folds take
    /// turns ([`dashboards::dated::FoldGate`]): a request that waited for the same slice reads
    /// the answer the fold before it kept.
    pub async fn dashboards(
        &self,
        as_of: NaiveDate,
        known_at: Option<u64>,
    ) -> Result<Arc<dashboards::dated::DatedDashboards>, ProjectionError> {
        let live = self.read(|m| {
            dashboards::dated::live_answers(m, as_of, known_at).then(|| {
                let position = m.position();
                let mut derived = self.derived();
                runner::cached(&mut derived.dashboards, position, as_of, || {
                    dashboards::dated::DatedDashboards::of(m, as_of, position)
                })
            })
        });
        if let Some(answer) = live {
            return Ok(answer);
        }
        let now = self.read(|m| m.position());
        let position = known_at.map_or(now, |p| p.min(now));
        if let Some(answer) = self.derived().dated.answer(as_of, position) {
            return Ok(answer);
        }
        // One fold at a time; a request that waited finds what the one before it kept.
        let _turn = self.shared.folds.turn().await;
        if let Some(answer) = self.derived().dated.answer(as_of, position) {
            return Ok(answer);
        }
        self.shared.folds.ran();
        let kept = self.derived().dated.take_fold(as_of, position, false);
        let mut models = kept.unwrap_or_else(|| Box::new(Models::for_dashboards()));
        asof::fold_log(
            self.store(),
            &mut models,
            asof::AsOf {
                effective: Some(as_of),
                known_at: Some(position),
            },
        )
        .await?;
        let answer = Arc::new(dashboards::dated::DatedDashboards::of(
            &models, as_of, position,
        ));
        let mut derived = self.derived();
        derived.dated.keep_answer(answer.clone());
        derived.dated.keep_fold(as_of, models);
        Ok(answer)
    }

    /// Folds of dated slices run since start, and requests waiting for their turn to fold.
    pub fn dated_folds(&self) -> dashboards::dated::FoldStats {
        self.shared.folds.stats()
    }

    /// Who may be promoted to `to` on `on` and what stands in the way of the others (see
    /// [`eligibility::candidates`]), the district's cadres as they stood on `on` as known at
    /// `known_at` (`None`: as known now). A future `on` reads the record as it stands (nothing
    /// else changing); a past one the slice of history effective by then, folded as
    /// [`Projections::dashboards`] folds it. `None` when the ladder has no step to `to`.
    pub async fn promotion_candidates(
        &self,
        to: dossier_domain::types::Rank,
        on: NaiveDate,
        known_at: Option<u64>,
    ) -> Result<Arc<Option<eligibility::Candidates>>, ProjectionError> {
        let live = self.read(|m| {
            dashboards::dated::live_answers(m, on, known_at).then(|| {
                let position = m.position();
                let mut derived = self.derived();
                let ranking = runner::cached(&mut derived.ranking, position, on, || {
                    eligibility::points_ranking(m, on)
                });
                derived.candidates.get_or((position, on, to), || {
                    eligibility::candidates(m, to, on, &ranking)
                })
            })
        });
        if let Some(answer) = live {
            return Ok(answer);
        }
        self.read_as_of(on, known_at, |models| {
            let ranking = eligibility::points_ranking(models, on);
            Arc::new(eligibility::candidates(models, to, on, &ranking))
        })
        .await
    }

    /// `f` over the read models as they stood on `on` (facts effective that day or before), as
    /// known at `known_at` (`None`: as known now): the live models when they hold exactly that
    /// slice (see [`dashboards::dated::live_answers`]), else a fold of it, kept for later reads
    /// of the same date as [`Projections::dashboards`] keeps its folds.
    pub async fn read_as_of<R>(
        &self,
        on: NaiveDate,
        known_at: Option<u64>,
        f: impl FnOnce(&Models) -> R,
    ) -> Result<R, ProjectionError> {
        if self.read(|m| dashboards::dated::live_answers(m, on, known_at)) {
            return Ok(self.read(f));
        }
        let now = self.read(|m| m.position());
        let position = known_at.map_or(now, |p| p.min(now));
        let _turn = self.shared.folds.turn().await;
        self.shared.folds.ran();
        let kept = self.derived().dated.take_fold(on, position, true);
        let mut models = kept.unwrap_or_default();
        asof::fold_log(
            self.store(),
            &mut models,
            asof::AsOf {
                effective: Some(on),
                known_at: Some(position),
            },
        )
        .await?;
        let answer = f(&models);
        self.derived().dated.keep_fold(on, models);
        Ok(answer)
    }

    /// The audit trail of a stream: who, when recorded, when effective, on what basis, what.
    pub async fn audit_trail(
        &self,
        stream_id: &str,
    ) -> Result<Vec<asof::AuditEntry>, ProjectionError> {
        asof::audit_trail(self.store(), stream_id).await
    }

    /// Every event about a cadre, oldest first, read from the log on demand.
    pub async fn timeline(&self, cadre_id: &str) -> Result<Vec<asof::AuditEntry>, ProjectionError> {
        let positions: Vec<u64> = self.read(|m| {
            m.index
                .model
                .entry(cadre_id)
                .map(|e| e.positions.iter().collect())
                .unwrap_or_default()
        });
        if positions.is_empty() {
            return Err(ProjectionError::NotFound {
                code: "CADRE_NOT_FOUND",
                message: format!("干部 `{cadre_id}` 没有任何记录"),
            });
        }
        let events = asof::read_positions(self.store(), &positions).await?;
        Ok(events.into_iter().map(asof::AuditEntry::from).collect())
    }

    /// A cadre's profile as it stood on `effective` (facts effective that day or before),
    /// as known at log position `known_at` (`None`: as known now). Years are counted to `effective`.
    pub async fn profile_as_of(
        &self,
        cadre_id: &str,
        effective: NaiveDate,
        known_at: Option<u64>,
    ) -> Result<Option<profile::CadreProfile>, ProjectionError> {
        let mut streams = self.read(|m| m.index.model.streams_of(cadre_id));
        streams.extend(self.read(|m| m.policies_streams()));
        let models = asof::fold_streams(
            self.store(),
            &streams,
            asof::AsOf {
                effective: Some(effective),
                known_at,
            },
        )
        .await?;
        let policy = models.policies.model.in_force(effective);
        Ok(models
            .profiles
            .model
            .view(cadre_id, effective, &policy)
            .filter(|p| p.registered))
    }

    /// A unit's view as it stood on `effective`, as known at `known_at`.
    pub async fn unit_as_of(
        &self,
        unit_id: &str,
        effective: NaiveDate,
        known_at: Option<u64>,
    ) -> Result<Option<units::UnitView>, ProjectionError> {
        let mut streams = vec![format!("unit-{unit_id}")];
        streams.extend(self.read(|m| {
            m.units
                .model
                .units
                .get(unit_id)
                .map(|u| {
                    u.cadres_ever
                        .iter()
                        .map(|c| format!("cadre-{c}"))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        }));
        let models = asof::fold_streams(
            self.store(),
            &streams,
            asof::AsOf {
                effective: Some(effective),
                known_at,
            },
        )
        .await?;
        Ok(models
            .units
            .model
            .units
            .get(unit_id)
            .filter(|u| u.registered)
            .cloned())
    }

    /// Export the event log after `after_position` as CSV or NDJSON. Returns the events written.
    pub async fn export_events<W: std::io::Write + Send>(
        &self,
        after_position: u64,
        format: export::Format,
        w: &mut W,
    ) -> Result<u64, ProjectionError> {
        export::export_events(self.store(), after_position, format, w).await
    }

    /// Export every dashboard figure as it stood on `as_of`, as known at `known_at` (see
    /// [`Projections::dashboards`]), as CSV or NDJSON. Returns the figures written.
    pub async fn export_dashboards<W: std::io::Write>(
        &self,
        as_of: NaiveDate,
        known_at: Option<u64>,
        format: export::Format,
        w: &mut W,
    ) -> Result<usize, ProjectionError> {
        let answer = self.dashboards(as_of, known_at).await?;
        export::export_figures(&answer.figures, format, w)
    }
}
