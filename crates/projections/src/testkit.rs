//! Recording domain decisions into a store: decide a command against its stream's folded state and append the events.
//!
//! For tests, benchmarks and data generation; the API crate has its own command handling.

use std::{any::Any, collections::HashMap};

use chrono::NaiveDate;
use dossier_domain::{
    Actor, Aggregate, Context, DomainError, EventSet, Policy, Role, cadre,
    codes::{
        AppointmentManner, AppointmentReason, AppointmentStatus, AssessmentCategory, ChangeCategory,
    },
    idcard,
    types::{Grade, LeadershipLevel, PostCategory, Rank, RotationKind},
    unit,
};
use dossier_store::{ExpectedVersion, Metadata, NewEvent, Store, StoreError, StreamWrite};

/// A command could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("payload: {0}")]
    Payload(#[from] serde_json::Error),
}

/// Decides commands and appends their events, keeping each stream's folded state in memory.
pub struct Recorder {
    pub store: Store,
    pub actor: Actor,
    pub policy: Policy,
    /// The recording date (the "today" of decisions).
    pub today: NaiveDate,
    states: HashMap<String, (Box<dyn Any + Send>, u64)>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("streams", &self.states.len())
            .finish()
    }
}

/// Encode domain events for the store.
pub fn to_new_events<E: EventSet>(
    events: &[E],
    effective: NaiveDate,
) -> Result<Vec<NewEvent>, serde_json::Error> {
    events
        .iter()
        .map(|e| {
            Ok(NewEvent::new(
                e.event_type(),
                e.schema_version(),
                e.to_payload()?,
                effective,
            ))
        })
        .collect()
}

impl Recorder {
    /// A recorder acting as an organization-department administrator, recording on `today`.
    pub fn new(store: Store, today: NaiveDate) -> Self {
        Recorder {
            store,
            actor: Actor::new("org-admin", Role::OrgAdmin),
            policy: Policy::national_default(),
            today,
            states: HashMap::new(),
        }
    }

    /// Decide `command` effective on `effective` and append the events. Returns the last position written
    /// (the stream's current head position when the decision emitted nothing).
    pub async fn exec<A: Aggregate>(
        &mut self,
        command: A::Command,
        facts: A::Facts,
        effective: NaiveDate,
    ) -> Result<u64, RecordError>
    where
        A::State: Send + 'static,
    {
        let stream_id = A::stream_id(A::id_of(&command));
        let (state_box, version) = self
            .states
            .entry(stream_id.clone())
            .or_insert_with(|| (Box::new(A::State::default()), 0));
        let Some(state) = state_box.downcast_mut::<A::State>() else {
            unreachable!("one stream id always holds one aggregate kind")
        };
        let ctx = Context {
            actor: &self.actor,
            effective,
            today: self.today.max(effective),
            policy: &self.policy,
        };
        let events = A::decide(state, &command, &ctx, &facts)?;
        if events.is_empty() {
            return Ok(0);
        }
        let new = to_new_events(&events, effective)?;
        let expected = if *version == 0 {
            ExpectedVersion::NoStream
        } else {
            ExpectedVersion::Exact(*version)
        };
        let result = self
            .store
            .append(
                &stream_id,
                expected,
                new,
                Metadata::new(self.actor.id.clone(), format!("{:?}", self.actor.role)),
            )
            .await?;
        for e in &events {
            A::evolve(state, e);
        }
        *version = result.stream_version;
        Ok(result.last_position)
    }

    /// Append already-decided events to a stream (no decision; for events the domain emits elsewhere).
    pub async fn append<E: EventSet>(
        &mut self,
        stream_id: &str,
        events: &[E],
        effective: NaiveDate,
    ) -> Result<u64, RecordError> {
        let new = to_new_events(events, effective)?;
        let result = self
            .store
            .append(
                stream_id,
                ExpectedVersion::Any,
                new,
                Metadata::new(self.actor.id.clone(), "OrgAdmin"),
            )
            .await?;
        Ok(result.last_position)
    }
}

impl Recorder {
    /// The folded state of a stream this recorder wrote (`None` if it wrote nothing there).
    pub fn state<A: Aggregate>(&self, id: &str) -> Option<&A::State>
    where
        A::State: 'static,
    {
        self.states
            .get(&A::stream_id(id))
            .and_then(|(s, _)| s.downcast_ref::<A::State>())
    }

    /// Register a unit.
    pub async fn unit(
        &mut self,
        unit_id: &str,
        name: &str,
        business_facing: bool,
        on: NaiveDate,
    ) -> Result<u64, RecordError> {
        let cmd = unit::Command::Register(unit::Register {
            unit_id: unit_id.into(),
            name: name.into(),
            parent_unit_id: None,
            business_facing,
        });
        self.exec::<unit::Aggregate>(cmd, (), on).await
    }

    /// Open a post in a unit (`level`: a leadership post).
    pub async fn post(
        &mut self,
        unit_id: &str,
        post_id: &str,
        title: &str,
        category: PostCategory,
        level: Option<LeadershipLevel>,
        on: NaiveDate,
    ) -> Result<u64, RecordError> {
        let cmd = unit::Command::OpenPost(unit::OpenPost {
            unit_id: unit_id.into(),
            post_id: post_id.into(),
            title: title.into(),
            category,
            leadership_level: level,
            heads_unit: false,
            reports_to: None,
        });
        self.exec::<unit::Aggregate>(cmd, (), on).await
    }

    /// Designate a hot post with its tenure limit.
    pub async fn hot_post(
        &mut self,
        unit_id: &str,
        post_id: &str,
        limit_years: u32,
        on: NaiveDate,
    ) -> Result<u64, RecordError> {
        let cmd = unit::Command::DesignateHotPost {
            unit_id: unit_id.into(),
            post_id: post_id.into(),
            tenure_limit_years: limit_years,
            basis: Some("区委组织部文件".into()),
        };
        self.exec::<unit::Aggregate>(cmd, (), on).await
    }

    /// Register a cadre in a registered unit, born on `birth`, at `rank` since `rank_since`.
    pub async fn cadre(
        &mut self,
        cadre_id: &str,
        name: &str,
        unit_id: &str,
        birth: NaiveDate,
        rank: Option<(Rank, NaiveDate)>,
        on: NaiveDate,
    ) -> Result<u64, RecordError> {
        let serial = cadre_id
            .bytes()
            .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
            % 1000;
        let facts = cadre::Facts {
            unit: self
                .state::<unit::Aggregate>(unit_id)
                .map(|u| cadre::UnitFact {
                    unit_id: u.unit_id.clone(),
                    name: u.name.clone(),
                }),
            ..Default::default()
        };
        let cmd = cadre::Command::Register(cadre::Register {
            cadre_id: cadre_id.into(),
            name: name.into(),
            id_number: id_number(birth, serial),
            gender: None,
            birth_date: Some(birth),
            ethnicity: None,
            unit_id: unit_id.into(),
            rank: rank.map(|r| r.0),
            rank_since: rank.map(|r| r.1),
            leadership_level: None,
            level_since: None,
            joined_work_on: None,
        });
        self.exec::<cadre::Aggregate>(cmd, facts, on).await
    }

    /// The facts about a post the cadre commands need.
    pub fn post_facts(&self, unit_id: &str, post_id: &str) -> cadre::Facts {
        cadre::Facts {
            post: self
                .state::<unit::Aggregate>(unit_id)
                .and_then(|u| u.post_fact(post_id)),
            ..Default::default()
        }
    }

    /// Appoint a cadre to a post (任职), effective `on`.
    pub async fn appoint(
        &mut self,
        cadre_id: &str,
        unit_id: &str,
        post_id: &str,
        on: NaiveDate,
    ) -> Result<u64, RecordError> {
        let facts = self.post_facts(unit_id, post_id);
        let cmd = cadre::Command::Appoint(cadre::Appoint {
            cadre_id: cadre_id.into(),
            unit_id: unit_id.into(),
            post_id: post_id.into(),
            manner: AppointmentManner::Commission,
            reason: AppointmentReason::Promotion,
            change_category: ChangeCategory::New,
            status: AppointmentStatus::Serving,
            nominated_by: "区委组织部".into(),
            approved_by: "区委".into(),
            decided_on: on,
            document_number: format!("任〔{}〕{cadre_id}", on.format("%Y")),
            probation_until: None,
        });
        self.exec::<cadre::Aggregate>(cmd, facts, on).await
    }

    /// Rotate a cadre from the post they hold to another (交流), effective `on`.
    #[allow(clippy::too_many_arguments)]
    pub async fn rotate(
        &mut self,
        cadre_id: &str,
        kind: RotationKind,
        from_post_id: &str,
        to_unit_id: &str,
        to_post_id: &str,
        on: NaiveDate,
    ) -> Result<u64, RecordError> {
        let facts = self.post_facts(to_unit_id, to_post_id);
        let cmd = cadre::Command::Rotate(cadre::Rotate {
            cadre_id: cadre_id.into(),
            kind,
            reason: "任职年限届满, 动态交流".into(),
            from_post_id: from_post_id.into(),
            to_unit_id: to_unit_id.into(),
            to_post_id: to_post_id.into(),
            approved_by: "区委".into(),
            document_number: format!("交〔{}〕{cadre_id}", on.format("%Y")),
        });
        self.exec::<cadre::Aggregate>(cmd, facts, on).await
    }

    /// Record a cadre's annual grade (with its consequences), effective `on`.
    pub async fn grade(
        &mut self,
        cadre_id: &str,
        unit_id: &str,
        year: i32,
        grade: Option<Grade>,
        on: NaiveDate,
    ) -> Result<u64, RecordError> {
        let cmd = cadre::Command::RecordGrade {
            cadre_id: cadre_id.into(),
            unit_id: unit_id.into(),
            year,
            grade,
            category: AssessmentCategory::Annual,
            basis: None,
            evaluation_id: None,
        };
        self.exec::<cadre::Aggregate>(cmd, cadre::Facts::default(), on)
            .await
    }
}

/// A valid 18-digit resident ID number (GB 11643) for a birth date and a 3-digit serial.
pub fn id_number(birth: NaiveDate, serial: u32) -> String {
    let first17 = format!("321204{}{:03}", birth.format("%Y%m%d"), serial % 1000);
    let check = idcard::check_digit(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

impl Recorder {
    /// Record a unit's annual grades as one batch (assessment stream) with each cadre's
    /// `cadre.GradeRecorded` and consequences, in one atomic multi-stream append.
    pub async fn grades_batch(
        &mut self,
        unit_id: &str,
        year: i32,
        entries: &[(&str, Option<Grade>)],
        on: NaiveDate,
    ) -> Result<u64, RecordError> {
        use dossier_domain::assessment;
        let facts = assessment::Facts {
            unit: self
                .state::<unit::Aggregate>(unit_id)
                .filter(|u| u.registered)
                .map(|u| cadre::UnitFact {
                    unit_id: u.unit_id.clone(),
                    name: u.name.clone(),
                }),
            cadres: entries
                .iter()
                .filter_map(|(c, _)| {
                    self.state::<cadre::Aggregate>(c)
                        .map(|s| ((*c).to_owned(), s.clone()))
                })
                .collect(),
        };
        let key = assessment::stream_key(unit_id, year);
        let command = assessment::Command::RecordGrades {
            key: key.clone(),
            unit_id: unit_id.into(),
            year,
            category: AssessmentCategory::Annual,
            entries: entries
                .iter()
                .map(|(c, g)| assessment::GradeEntry {
                    cadre_id: (*c).into(),
                    grade: *g,
                    evaluation_id: None,
                })
                .collect(),
            basis: None,
        };
        let ctx = Context {
            actor: &self.actor,
            effective: on,
            today: self.today.max(on),
            policy: &self.policy,
        };
        let stream = <assessment::Aggregate as Aggregate>::stream_id(&key);
        let batch_state = self
            .state::<assessment::Aggregate>(&key)
            .cloned()
            .unwrap_or_default();
        let events =
            <assessment::Aggregate as Aggregate>::decide(&batch_state, &command, &ctx, &facts)?;
        let mut writes = vec![StreamWrite {
            stream_id: stream.clone(),
            expected: ExpectedVersion::Any,
            events: to_new_events(&events, on)?,
        }];
        let mut per_cadre = Vec::new();
        for e in &events {
            let assessment::Event::GradesRecorded(batch) = e;
            for (cadre_id, cadre_events) in assessment::cadre_events(batch, &facts, &ctx)? {
                writes.push(StreamWrite {
                    stream_id: <cadre::Aggregate as Aggregate>::stream_id(&cadre_id),
                    expected: ExpectedVersion::Any,
                    events: to_new_events(&cadre_events, on)?,
                });
                per_cadre.push((cadre_id, cadre_events));
            }
        }
        writes.retain(|w| !w.events.is_empty());
        let results = self
            .store
            .append_multi(writes, Metadata::new(self.actor.id.clone(), "OrgAdmin"))
            .await?;
        // Keep the in-memory states in step.
        let (state, version) = self.states.entry(stream).or_insert_with(|| {
            (
                Box::new(<assessment::Aggregate as Aggregate>::State::default()),
                0,
            )
        });
        if let Some(s) = state.downcast_mut::<<assessment::Aggregate as Aggregate>::State>() {
            for e in &events {
                <assessment::Aggregate as Aggregate>::evolve(s, e);
            }
        }
        *version += events.len() as u64;
        for (cadre_id, cadre_events) in per_cadre {
            if let Some((state, version)) = self
                .states
                .get_mut(&<cadre::Aggregate as Aggregate>::stream_id(&cadre_id))
                && let Some(s) = state.downcast_mut::<cadre::State>()
            {
                for e in &cadre_events {
                    <cadre::Aggregate as Aggregate>::evolve(s, e);
                }
                *version += cadre_events.len() as u64;
            }
        }
        Ok(results.iter().map(|r| r.last_position).max().unwrap_or(0))
    }
}
