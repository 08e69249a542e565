//! The runner: load snapshots, catch up with a fast scan, follow the live subscription, save snapshots, rebuild on demand; supervised (a failure restarts it from its last good state).

use std::{
    ops::ControlFlow,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use dossier_domain::Event;
use dossier_store::{RecordedEvent, Store};
use tokio::sync::{mpsc, oneshot, watch};

use crate::{
    ProjectionError,
    envelope::{Envelope, parse_date},
    models::Models,
};

/// How the runner snapshots and starts.
#[derive(Debug, Clone)]
pub struct ProjectionOptions {
    /// Save snapshots after this many live events (default 50,000).
    pub snapshot_every_events: u64,
    /// Save snapshots at least this often when events arrived (default 5 minutes).
    pub snapshot_every: Duration,
    /// Load snapshots at start (default true). `false` always rebuilds from the log.
    pub use_snapshots: bool,
}

impl Default for ProjectionOptions {
    fn default() -> Self {
        ProjectionOptions {
            snapshot_every_events: 50_000,
            snapshot_every: Duration::from_secs(300),
            use_snapshots: true,
        }
    }
}

/// What the runner reports about itself.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RunnerStatus {
    /// Models restored from snapshots at start (name).
    pub restored: Vec<String>,
    /// Events replayed from the log at the last start or rebuild.
    pub replayed: u64,
    /// How long that replay took, in milliseconds.
    pub replay_ms: u64,
    /// Events that did not decode (unknown type or newer schema) and were skipped. The access
    /// log, which no model folds ([`dossier_domain::event::UNFOLDED_TYPES`]), is not counted.
    pub undecodable: u64,
    /// Position of the last saved snapshot.
    pub snapshot_position: u64,
}

pub(crate) enum Control {
    /// Fail now and stay down for the given time (fault injection for tests and drills).
    Fail(Duration, oneshot::Sender<Result<u64, ProjectionError>>),
    Rebuild(oneshot::Sender<Result<u64, ProjectionError>>),
    Snapshot(oneshot::Sender<Result<u64, ProjectionError>>),
    Shutdown(oneshot::Sender<Result<u64, ProjectionError>>),
}

pub(crate) struct Shared {
    pub store: Store,
    pub models: RwLock<Models>,
    pub applied: watch::Sender<u64>,
    pub status: RwLock<RunnerStatus>,
    /// Results evaluated over every profile for a date, kept until the models move on.
    pub derived: std::sync::Mutex<Derived>,
    /// Why the runner is down, while it is (between a failure and a successful restart).
    pub fault: RwLock<Option<String>>,
    /// Folds of dated slices take turns here.
    pub folds: crate::dashboards::dated::FoldGate,
}

/// A value computed from the models at `position` for `date`.
pub(crate) struct Cached<T> {
    pub position: u64,
    pub date: chrono::NaiveDate,
    pub value: std::sync::Arc<T>,
}

/// The last alerts and points ranking computed, each valid while the models stay at its position.
#[derive(Default)]
pub(crate) struct Derived {
    pub alerts: Option<Cached<Vec<crate::alerts::Alert>>>,
    pub ranking: Option<Cached<crate::eligibility::Ranking>>,
    /// Today's dashboards (read off the live models) for the last date asked.
    pub dashboards: Option<Cached<crate::dashboards::dated::DatedDashboards>>,
    /// Dashboards of other slices of history, and folds of dated slices to advance.
    pub dated: crate::dashboards::dated::DatedCache,
    /// Promotion candidate lists by (position, date, rank).
    pub candidates: crate::eligibility::CandidatesCache,
}

/// The cached value for (`position`, `date`), or `compute`'s, which then replaces the cache.
pub(crate) fn cached<T>(
    slot: &mut Option<Cached<T>>,
    position: u64,
    date: chrono::NaiveDate,
    compute: impl FnOnce() -> T,
) -> std::sync::Arc<T> {
    if let Some(c) = slot
        && c.position == position
        && c.date == date
    {
        return c.value.clone();
    }
    let value = std::sync::Arc::new(compute());
    *slot = Some(Cached {
        position,
        date,
        value: value.clone(),
    });
    value
}

impl Shared {
    pub fn read<R>(&self, f: impl FnOnce(&Models) -> R) -> R {
        let guard = self.models.read().unwrap_or_else(|p| p.into_inner());
        f(&guard)
    }

    fn write<R>(&self, f: impl FnOnce(&mut Models) -> R) -> R {
        let mut guard = self.models.write().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// Tell waiters and watchers the models reached `position` (only when it moved forward).
    fn publish(&self, position: u64) {
        self.applied.send_if_modified(|p| {
            let moved = position > *p;
            if moved {
                *p = position;
            }
            moved
        });
    }

    pub fn position(&self) -> u64 {
        *self.applied.borrow()
    }

    /// Set or clear the fault; returns whether the runner was up before.
    pub fn set_fault(&self, fault: Option<String>) -> bool {
        let mut guard = self.fault.write().unwrap_or_else(|p| p.into_inner());
        std::mem::replace(&mut *guard, fault).is_none()
    }

    fn status_mut(&self, f: impl FnOnce(&mut RunnerStatus)) {
        let mut guard = self.status.write().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}

/// A stored event as a fold reads it. Unboxed, as `Option<Event>` was: boxing would allocate
/// once per event of every replay.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Decoded {
    /// An event the read models fold.
    Event(Event),
    /// A type Dossier writes but no read model folds (the access log): passed over silently.
    Unfolded,
    /// This build cannot read it (unknown type, newer schema, bad payload): skipped, warned
    /// about and counted.
    Undecodable,
}

/// Decode a stored event for the read models (see [`Decoded`]).
pub(crate) fn decode(
    position: u64,
    event_type: &str,
    schema_version: u32,
    payload: &str,
) -> Decoded {
    match Event::decode_folded(event_type, schema_version, payload) {
        Ok(Some(e)) => Decoded::Event(e),
        Ok(None) => Decoded::Unfolded,
        Err(e) => {
            tracing::warn!(event_type, schema_version, position, error = %e, "skipping an event this build cannot decode");
            Decoded::Undecodable
        }
    }
}

/// Fold the log after `models`' lowest checkpoint into `models` with the store's fast scan.
/// Returns (events replayed, events skipped as undecodable).
pub async fn replay(store: &Store, models: &mut Models) -> Result<(u64, u64), ProjectionError> {
    let decoders = std::thread::available_parallelism().map_or(1, |n| n.get());
    crate::pipeline::replay_parallel(store, models, decoders).await
}

/// The same fold on the calling thread only (scan, decode and fold in turn).
pub async fn replay_sequential(
    store: &Store,
    models: &mut Models,
) -> Result<(u64, u64), ProjectionError> {
    let from = models.position();
    let mut replayed = 0u64;
    let mut undecodable = 0u64;
    let mut last = from;
    store
        .scan_replay(from, |e| {
            replayed += 1;
            last = e.position;
            let effective = parse_date(e.effective_at).unwrap_or_default();
            match decode(e.position, e.event_type, e.schema_version, e.payload) {
                Decoded::Event(event) => models.apply(&Envelope {
                    position: e.position,
                    stream_id: e.stream_id,
                    stream_version: e.stream_version,
                    effective,
                    event: &event,
                }),
                Decoded::Unfolded => {}
                Decoded::Undecodable => undecodable += 1,
            }
            ControlFlow::Continue(())
        })
        .await?;
    models.advance(last);
    Ok((replayed, undecodable))
}

/// Fold one live event into `models` (skipped if already folded). False when this build
/// cannot decode it; an event no read model folds (the access log) is passed over and true.
pub fn apply_recorded(models: &mut Models, e: &RecordedEvent) -> bool {
    let decoded = decode(e.position, &e.event_type, e.schema_version, &e.payload);
    if let Decoded::Event(event) = &decoded {
        models.apply(&Envelope {
            position: e.position,
            stream_id: &e.stream_id,
            stream_version: e.stream_version,
            effective: e.effective_at,
            event,
        });
    }
    models.advance(e.position);
    !matches!(decoded, Decoded::Undecodable)
}

async fn load_snapshots(
    store: &Store,
    models: Models,
) -> Result<(Models, Vec<String>), ProjectionError> {
    let mut snaps = Vec::new();
    for (name, _) in Models::NAMES {
        if let Some(snap) = store.load_snapshot(name).await? {
            snaps.push(snap);
        }
    }
    // Decoding is CPU work: keep it off the async workers, one thread per model.
    let (models, outcomes) = tokio::task::spawn_blocking(move || {
        let mut models = models;
        let outcomes = models.restore_all(&snaps);
        (models, outcomes)
    })
    .await
    .map_err(|_| ProjectionError::Stopped)?;
    let mut restored = Vec::new();
    let mut models = models;
    for (name, outcome) in outcomes {
        match outcome {
            Ok(true) => restored.push(name.to_owned()),
            Ok(false) => tracing::info!(model = name, "no snapshot of this version: rebuilding"),
            Err(e) => {
                tracing::warn!(model = name, error = %e, "unreadable snapshot: rebuilding");
                models.reset(name);
            }
        }
    }
    // Models restored at different positions all catch up from the lowest one;
    // each skips the events it already holds.
    Ok((models, restored))
}

async fn save_snapshots(shared: &Shared) -> Result<u64, ProjectionError> {
    let (encoded, position) =
        shared.read(|m| Ok::<_, ProjectionError>((m.encode_all()?, m.position())))?;
    for (name, version, checkpoint, data) in &encoded {
        shared
            .store
            .save_snapshot(name, *version, *checkpoint, data)
            .await?;
    }
    shared.status_mut(|s| s.snapshot_position = position);
    Ok(position)
}

async fn catch_up(shared: &Shared, mut models: Models) -> Result<u64, ProjectionError> {
    let started = Instant::now();
    let (replayed, undecodable) = replay(&shared.store, &mut models).await?;
    let position = models.position();
    shared.write(|m| *m = models);
    shared.status_mut(|s| {
        s.replayed = replayed;
        s.replay_ms = started.elapsed().as_millis() as u64;
        s.undecodable += undecodable;
    });
    shared.publish(position);
    Ok(position)
}

/// First pause after a failure before the runner restarts; doubled after each failure in a row.
const RESTART_FIRST: Duration = Duration::from_millis(500);
/// Longest pause between restarts.
const RESTART_MAX: Duration = Duration::from_secs(30);

/// Why the runner stopped following the log.
enum Stop {
    /// Shut down as asked: the task ends.
    Done,
    /// A failure: restart after a pause (at least the given time).
    Failed(ProjectionError, Duration),
}

impl From<ProjectionError> for Stop {
    fn from(e: ProjectionError) -> Self {
        Stop::Failed(e, Duration::ZERO)
    }
}

/// The supervisor: start the runner and, whenever it fails, note why (readiness reports it,
/// commands answer UNAVAILABLE), pause, and restart it from its last good state: the models
/// as last published (every event up to their position folded) when the first start had
/// completed, otherwise snapshots and the log again.
pub(crate) async fn supervise(
    shared: Arc<Shared>,
    mut control: mpsc::Receiver<Control>,
    options: ProjectionOptions,
) -> Result<(), ProjectionError> {
    let mut started = false;
    let mut pause = RESTART_FIRST;
    loop {
        let began = Instant::now();
        let stop = if started {
            follow(&shared, &mut control, &options, shared.position()).await
        } else {
            match start(&shared, &options).await {
                Ok(position) => {
                    started = true;
                    follow(&shared, &mut control, &options, position).await
                }
                Err(e) => Stop::from(e),
            }
        };
        let (error, down_for) = match stop {
            Stop::Done => return Ok(()),
            Stop::Failed(e, down_for) => (e, down_for),
        };
        let was_up = shared.set_fault(Some(error.to_string()));
        if was_up {
            tracing::error!(error = %error, "read-model runner failed; restarting from its last good state");
        }
        if began.elapsed() > RESTART_MAX * 2 {
            // It had been running a good while: this failure starts a new series.
            pause = RESTART_FIRST;
        }
        let wait = pause.max(down_for);
        pause = (pause * 2).min(RESTART_MAX);
        let resume = tokio::time::Instant::now() + wait;
        // Down: still answer control messages (a shutdown must not wait for the restart).
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(resume) => break,
                msg = control.recv() => match msg {
                    None => return Err(error),
                    Some(Control::Shutdown(reply)) => {
                        let result = if started { save_snapshots(&shared).await } else { Err(ProjectionError::Stopped) };
                        let _ = reply.send(result);
                        return Ok(());
                    }
                    Some(Control::Fail(_, reply))
                    | Some(Control::Snapshot(reply))
                    | Some(Control::Rebuild(reply)) => {
                        let _ = reply.send(Err(ProjectionError::Stopped));
                    }
                },
            }
        }
    }
}

/// Load snapshots and catch up with the log; the position reached.
async fn start(shared: &Shared, options: &ProjectionOptions) -> Result<u64, ProjectionError> {
    let mut models = Models::default();
    if options.use_snapshots {
        let (loaded, restored) = load_snapshots(&shared.store, models).await?;
        models = loaded;
        shared.status_mut(|s| s.restored = restored);
    }
    catch_up(shared, models).await
}

/// Follow the log from `position` until shut down or a failure.
async fn follow(
    shared: &Shared,
    control: &mut mpsc::Receiver<Control>,
    options: &ProjectionOptions,
    position: u64,
) -> Stop {
    let mut position = position;
    let mut subscription = shared.store.subscribe(position);
    if !shared.set_fault(None) {
        tracing::error!(position, "read-model runner restarted");
    }
    let mut unsaved = 0u64;
    let mut tick = tokio::time::interval(options.snapshot_every);
    tick.tick().await;
    loop {
        tokio::select! {
            biased;
            msg = control.recv() => match msg {
                Some(Control::Shutdown(reply)) => {
                    let result = save_snapshots(shared).await;
                    let _ = reply.send(result);
                    return Stop::Done;
                }
                None => {
                    if let Err(e) = save_snapshots(shared).await {
                        tracing::warn!(error = %e, "snapshots not saved at shutdown");
                    }
                    return Stop::Done;
                }
                Some(Control::Fail(down_for, reply)) => {
                    // Down before the caller hears back: readiness must not report the
                    // runner up between the answer and the supervisor noting the failure.
                    shared.set_fault(Some(ProjectionError::Injected.to_string()));
                    let _ = reply.send(Ok(position));
                    return Stop::Failed(ProjectionError::Injected, down_for);
                }
                Some(Control::Snapshot(reply)) => {
                    let result = save_snapshots(shared).await;
                    if result.is_ok() { unsaved = 0; }
                    let _ = reply.send(result);
                }
                Some(Control::Rebuild(reply)) => {
                    let result = async {
                        shared.store.delete_snapshots().await?;
                        let position = catch_up(shared, Models::default()).await?;
                        save_snapshots(shared).await?;
                        Ok(position)
                    }.await;
                    if let Ok(p) = &result {
                        position = *p;
                        subscription = shared.store.subscribe(position);
                        unsaved = 0;
                    }
                    let _ = reply.send(result);
                }
            },
            next = subscription.next() => match next {
                Some(Ok(event)) => {
                    let decoded = shared.write(|m| apply_recorded(m, &event));
                    if !decoded {
                        shared.status_mut(|s| s.undecodable += 1);
                    }
                    position = event.position;
                    shared.publish(position);
                    unsaved += 1;
                    if unsaved >= options.snapshot_every_events {
                        // A snapshot that cannot be saved (a full disk) is retried later;
                        // the models themselves are fine.
                        match save_snapshots(shared).await {
                            Ok(_) => unsaved = 0,
                            Err(e) => tracing::warn!(error = %e, "snapshots not saved; retried later"),
                        }
                    }
                }
                Some(Err(e)) => return Stop::from(ProjectionError::from(e)),
                None => return Stop::from(ProjectionError::Stopped),
            },
            _ = tick.tick() => {
                if unsaved > 0 {
                    match save_snapshots(shared).await {
                        Ok(_) => unsaved = 0,
                        Err(e) => tracing::warn!(error = %e, "snapshots not saved; retried later"),
                    }
                }
            }
        }
    }
}
