//! The set of read models the runner maintains, each in its own checkpointed slot.

use crate::{
    envelope::Envelope,
    model::{ReadModel, Slot},
};

macro_rules! models {
    ( $( $(#[$meta:meta])* $field:ident : $ty:ty ),* $(,)? ) => {
        /// Every read model, each with its checkpoint. Queries borrow it through the runner's lock.
        #[derive(Debug, Default, Clone)]
        pub struct Models {
            $( $(#[$meta])* pub $field: Slot<$ty>, )*
        }

        impl Models {
            /// The names and versions of all models, in snapshot order.
            pub const NAMES: &'static [(&'static str, u32)] = &[ $( (<$ty as ReadModel>::NAME, <$ty as ReadModel>::VERSION) ),* ];

            /// Fold one event into every model that has not seen it yet.
            pub fn apply(&mut self, env: &Envelope<'_>) {
                $( self.$field.apply(env); )*
            }

            /// Mark every position up to `position` as seen by every model.
            pub fn advance(&mut self, position: u64) {
                $( self.$field.advance(position); )*
            }

            /// The position every model has reached.
            pub fn position(&self) -> u64 {
                let mut p = u64::MAX;
                $( p = p.min(self.$field.checkpoint); )*
                if p == u64::MAX { 0 } else { p }
            }

            /// Encode each model: (name, version, checkpoint, bytes).
            pub fn encode_all(&self) -> Result<Vec<(&'static str, u32, u64, Vec<u8>)>, crate::ProjectionError> {
                Ok(vec![ $( (
                    <$ty as ReadModel>::NAME,
                    <$ty as ReadModel>::VERSION,
                    self.$field.checkpoint,
                    self.$field.encode().map_err(|source| crate::ProjectionError::Snapshot { model: <$ty as ReadModel>::NAME, source })?,
                ) ),* ])
            }

            /// Restore the model named `name` from a snapshot if its version matches.
            /// Returns whether it was restored (`false`: unknown name or other version: rebuild).
            pub fn restore(&mut self, name: &str, version: u32, position: u64, data: &[u8]) -> Result<bool, crate::ProjectionError> {
                $( if name == <$ty as ReadModel>::NAME {
                    if version != <$ty as ReadModel>::VERSION {
                        return Ok(false);
                    }
                    self.$field.restore(position, data).map_err(|source| crate::ProjectionError::Snapshot { model: <$ty as ReadModel>::NAME, source })?;
                    return Ok(true);
                } )*
                Ok(false)
            }

            /// Restore every model that has a snapshot of its own version, decoding them in
            /// parallel. Returns each model's outcome: restored, skipped (no snapshot or another
            /// version: it rebuilds), or the decoding error (it rebuilds too).
            pub fn restore_all(&mut self, snaps: &[dossier_store::Snapshot]) -> Vec<(&'static str, Result<bool, crate::ProjectionError>)> {
                std::thread::scope(|scope| {
                    let mut handles = Vec::new();
                    $( {
                        let slot = &mut self.$field;
                        let snap = snaps.iter().find(|s| s.name == <$ty as ReadModel>::NAME);
                        handles.push((<$ty as ReadModel>::NAME, scope.spawn(move || -> Result<bool, crate::ProjectionError> {
                            match snap {
                                Some(s) if s.version == <$ty as ReadModel>::VERSION => slot
                                    .restore(s.position, &s.data)
                                    .map(|()| true)
                                    .map_err(|source| crate::ProjectionError::Snapshot { model: <$ty as ReadModel>::NAME, source }),
                                _ => Ok(false),
                            }
                        })));
                    } )*
                    handles.into_iter().map(|(name, h)| (name, h.join().unwrap_or(Err(crate::ProjectionError::Stopped)))).collect()
                })
            }

            /// Each model as JSON with its checkpoint, by name (for inspection and tests:
            /// map order does not matter to the comparison of two values).
            pub fn to_json(&self) -> Result<Vec<(&'static str, u64, serde_json::Value)>, serde_json::Error> {
                Ok(vec![ $( (<$ty as ReadModel>::NAME, self.$field.checkpoint, serde_json::to_value(&self.$field.model)?) ),* ])
            }

            /// Put the model named `name` back to its empty state (checkpoint 0).
            pub fn reset(&mut self, name: &str) {
                $( if name == <$ty as ReadModel>::NAME {
                    self.$field = Slot::default();
                } )*
            }

            /// Each model's checkpoint, by name.
            pub fn checkpoints(&self) -> Vec<(&'static str, u64)> {
                vec![ $( (<$ty as ReadModel>::NAME, self.$field.checkpoint) ),* ]
            }
        }
    };
}

models! {
    /// Event counts by kind and type.
    log: crate::dashboards::log::LogStats,
    /// Cadre id → positions and streams of the events about them.
    index: crate::index::CadreIndex,
    /// Published policy versions.
    policies: crate::policy::Policies,
    /// Cadre profiles.
    profiles: crate::profile::Profiles,
    /// Each cadre stream folded by the domain (what the promotion rules read).
    cadre_states: crate::eligibility::CadreStates,
    /// Unit views.
    units: crate::units::Units,
    /// Training dashboard.
    training: crate::dashboards::training::TrainingDashboard,
    /// Care dashboard (appeals, risk reports, exemptions).
    care: crate::dashboards::care::CareDashboard,
    /// Assessment dashboard.
    assessment: crate::dashboards::assessment::AssessmentDashboard,
    /// Awards dashboard.
    awards: crate::dashboards::awards::AwardsDashboard,
    /// Promotion dashboard (front-line quota).
    promotion: crate::dashboards::promotion::PromotionDashboard,
    /// Down dashboard.
    down: crate::dashboards::down::DownDashboard,
    /// Supervision dashboard.
    supervision: crate::dashboards::supervision::SupervisionDashboard,
    /// Rotation dashboard.
    rotation: crate::dashboards::rotation::RotationDashboard,
    /// Selection dashboard (cases by stage, quotas).
    selection: crate::dashboards::selection::SelectionDashboard,
    /// Appeals, leads, bulletins, training classes and forum cycles, folded by id (the lists).
    cases: crate::cases::CaseLists,
    /// Reserve pool dashboard (年轻干部 / 后备干部库: entries and their status over time).
    reserve: crate::dashboards::reserve::ReservePool,
}

/// The checkpoint of a model left out of a fold: beyond every position, so no event is applied
/// to it and it does not hold back [`Models::position`].
const PARKED: u64 = u64::MAX;

impl Models {
    /// Models for a fold that only the dashboards will read: the models they do not read (the
    /// timeline index, the cadre states of the candidate lists, the case lists, the selection
    /// dashboard, the reserve pool) are left out, so a dated slice of the log folds faster.
    pub fn for_dashboards() -> Self {
        let mut m = Models::default();
        m.index.checkpoint = PARKED;
        m.cadre_states.checkpoint = PARKED;
        m.cases.checkpoint = PARKED;
        m.selection.checkpoint = PARKED;
        m.reserve.checkpoint = PARKED;
        m
    }

    /// Whether every model takes part in the fold (none left out by [`Models::for_dashboards`]).
    pub fn is_whole(&self) -> bool {
        self.checkpoints().iter().all(|&(_, c)| c != PARKED)
    }

    /// The streams holding policy versions (folded into every as-of view).
    pub fn policies_streams(&self) -> Vec<String> {
        let mut books: Vec<String> = self
            .policies
            .model
            .published
            .iter()
            .map(|p| format!("policy-{}", p.book))
            .collect();
        books.sort();
        books.dedup();
        books
    }
}
