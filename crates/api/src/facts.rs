//! Facts from other streams that decisions need, loaded from the log: which cadres exist and where they serve, their relatives, the posts and units a command names (the facts no single stream answers are in `facts_index`).

use chrono::NaiveDate;
use dossier_domain::{
    Aggregate, accountability, appeal,
    avoidance::RelativeFact,
    bulletin, cadre, down, forum, lead, policy_stream,
    practice::{CadreRef, Cadres},
    risk, study, supervision, training, trial_list,
    types::Relation,
    unit,
};

use crate::{
    error::ApiError,
    service::{FollowUp, Handles, Service},
};

impl Service {
    /// The cadres named, each with the unit they serve in; unknown ids are left
    /// out (the decision then refuses with `CADRE_NOT_FOUND`).
    pub async fn cadres(&self, ids: &[&str]) -> Result<Cadres, ApiError> {
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(cadre) = self.cadre_ref(id).await? {
                found.push(cadre);
            }
        }
        Ok(Cadres(found))
    }

    /// One cadre's reference (id and current unit), if the cadre is registered.
    ///
    /// Read off the read model of folded cadre streams when it has applied everything this
    /// process committed and no other process appends (the same state a read of the stream
    /// would fold, without a query); else folded from the stream.
    pub async fn cadre_ref(&self, cadre_id: &str) -> Result<Option<CadreRef>, ApiError> {
        let (store, projections) = (self.store(), self.projections());
        if store.sole_writer() && projections.position() >= store.committed() {
            return Ok(projections.read(|m| {
                m.cadre_states
                    .model
                    .get(cadre_id)
                    .filter(|state| state.registered)
                    .map(|state| cadre_ref_of(cadre_id, state))
            }));
        }
        let stream_id = dossier_domain::cadre::Aggregate::stream_id(cadre_id);
        let (state, version) = self
            .load::<dossier_domain::cadre::Aggregate>(&stream_id)
            .await?;
        if version == 0 || !state.registered {
            return Ok(None);
        }
        Ok(Some(cadre_ref_of(cadre_id, &state)))
    }
}

/// A registered cadre's reference, from their folded stream.
fn cadre_ref_of(cadre_id: &str, state: &cadre::State) -> CadreRef {
    CadreRef {
        cadre_id: cadre_id.to_owned(),
        unit_id: Some(state.unit_id.clone()).filter(|u| !u.is_empty()),
        open_down_review: None,
        birth_date: state.birth_date,
    }
}

/// Kinds whose commands name cadres through `Command::cadre_ids()`.
macro_rules! cadre_facts {
    ($($kind:ident),* $(,)?) => {
        $(impl Handles for $kind::Aggregate {
            async fn facts(service: &Service, command: &$kind::Command, _: NaiveDate) -> Result<Cadres, ApiError> {
                service.cadres(&command.cadre_ids()).await
            }
        })*
    };
}

cadre_facts!(
    training,
    study,
    forum,
    supervision,
    lead,
    risk,
    trial_list,
    bulletin
);

crate::no_facts!(unit::Aggregate, policy_stream::Aggregate);

impl Handles for appeal::Aggregate {
    /// The cadre filing; the units the step names (the assignee, the participants), or for a
    /// town-level filing every unit (the town is one of them).
    async fn facts(
        service: &Service,
        command: &appeal::Command,
        _: NaiveDate,
    ) -> Result<appeal::Facts, ApiError> {
        let mut facts = appeal::Facts {
            cadres: service.cadres(&command.cadre_ids()).await?,
            ..Default::default()
        };
        let named: Vec<&str> = match command {
            appeal::Command::File(f) if f.level == appeal::CentreLevel::Town => {
                facts.units = service.projections().units().into_iter().collect();
                vec![]
            }
            appeal::Command::List(l) => vec![l.assignee_unit_id.as_str()],
            appeal::Command::Coordinate(c) => {
                c.participant_unit_ids.iter().map(String::as_str).collect()
            }
            _ => vec![],
        };
        for id in named {
            if let Some(unit) = service.unit_state(id).await? {
                facts.units.insert(id.to_owned(), unit.name);
            }
        }
        Ok(facts)
    }
}

impl Service {
    /// A unit's folded state, if the unit is registered.
    pub async fn unit_state(&self, unit_id: &str) -> Result<Option<unit::State>, ApiError> {
        let (state, version) = self
            .load::<unit::Aggregate>(&unit::Aggregate::stream_id(unit_id))
            .await?;
        Ok((version > 0 && state.registered).then_some(state))
    }

    /// A cadre's folded state, if the cadre is registered.
    pub async fn cadre_state(&self, cadre_id: &str) -> Result<Option<cadre::State>, ApiError> {
        let (state, version) = self
            .load::<cadre::Aggregate>(&cadre::Aggregate::stream_id(cadre_id))
            .await?;
        Ok((version > 0 && state.registered).then_some(state))
    }

    /// The facts of one post (from its unit stream).
    pub async fn post_fact(
        &self,
        unit_id: &str,
        post_id: &str,
    ) -> Result<Option<unit::PostFact>, ApiError> {
        Ok(self
            .unit_state(unit_id)
            .await?
            .and_then(|u| u.post_fact(post_id)))
    }
}

impl Handles for cadre::Aggregate {
    async fn facts(
        service: &Service,
        command: &cadre::Command,
        effective: NaiveDate,
    ) -> Result<cadre::Facts, ApiError> {
        let mut facts = cadre::Facts::default();
        match command {
            cadre::Command::Register(c) => {
                // One person, one registration: whoever already holds the ID number.
                if let Ok(id) = dossier_domain::idcard::parse(&c.id_number) {
                    facts.id_number_holder = service
                        .fact_index()
                        .await?
                        .id_numbers
                        .get(&id.number)
                        .cloned();
                }
                facts.unit = service
                    .unit_state(&c.unit_id)
                    .await?
                    .map(|u| cadre::UnitFact {
                        unit_id: u.unit_id.clone(),
                        name: u.name.clone(),
                    });
            }
            cadre::Command::Appoint(c) => {
                facts = service
                    .move_facts(&c.cadre_id, &c.unit_id, &c.post_id, effective)
                    .await?
                    .cadre_facts();
            }
            // The post a removal names, to name it in a refusal.
            cadre::Command::Remove(c) => {
                facts.post = service.post_fact(&c.unit_id, &c.post_id).await?;
            }
            cadre::Command::Rotate(c) => {
                facts = service
                    .move_facts(&c.cadre_id, &c.to_unit_id, &c.to_post_id, effective)
                    .await?
                    .cadre_facts();
            }
            cadre::Command::PromoteRank {
                cadre_id,
                quota_year,
                ..
            } => {
                if let Some(year) = quota_year {
                    let (state, _) = service
                        .load::<dossier_domain::quota::Aggregate>(
                            &dossier_domain::quota::Aggregate::stream_id(&year.to_string()),
                        )
                        .await?;
                    facts.quota_allocation = Some(dossier_domain::quota::AllocationFact::of(
                        &state, *year, cadre_id,
                    ));
                }
                // The read models have applied every commit (the policy in force was read
                // from them just before): the hours are the log's.
                facts.training_hours = Some(service.projections().training_hours(cadre_id));
                facts.training_since = Some(
                    service
                        .projections()
                        .credits_since(cadre_id, effective)
                        .await
                        .map_err(ApiError::internal)?,
                );
            }
            _ => {}
        }
        Ok(facts)
    }

    /// Registrations, appointments and rotations are decided one at a time: two cadres with one
    /// ID number cannot both pass, nor two relatives each taking a post that 回避 bars beside
    /// the other's (each would check the other's posts before either was written).
    ///
    /// A promotion citing a quota year is decided one at a time with the quota's revocations:
    /// the place it relies on cannot be taken back between its check and its append.
    fn exclusive(command: &cadre::Command) -> bool {
        matches!(
            command,
            cadre::Command::Register(_)
                | cadre::Command::Appoint(_)
                | cadre::Command::Rotate(_)
                | cadre::Command::PromoteRank {
                    quota_year: Some(_),
                    ..
                }
        )
    }
}

/// The relatives of a cadre who are cadres themselves, with the posts they hold: those on the
/// cadre's own family record, and those whose family record names the cadre (kinship is
/// symmetric, whichever side recorded it).
pub(crate) async fn relatives(
    service: &Service,
    cadre_id: &str,
) -> Result<Vec<RelativeFact>, ApiError> {
    let Some(state) = service.cadre_state(cadre_id).await? else {
        return Ok(Vec::new());
    };
    let mut named: Vec<(String, Relation)> = state
        .family
        .iter()
        .filter_map(|m| {
            m.relative_cadre_id
                .as_deref()
                .map(|id| (id.to_owned(), m.relation))
        })
        .collect();
    let recorded_by = service.fact_index().await?.recorded_by(cadre_id);
    for (other, relation) in recorded_by {
        if !named.iter().any(|(id, _)| *id == other) {
            named.push((other, relation));
        }
    }
    let mut out = Vec::new();
    for (relative_id, relation) in named {
        if relative_id == cadre_id {
            continue;
        }
        let Some(relative) = service.cadre_state(&relative_id).await? else {
            continue;
        };
        let mut posts = Vec::new();
        for holding in &relative.posts {
            if let Some(post) = service
                .post_fact(&holding.unit_id, &holding.post_id)
                .await?
            {
                posts.push(post);
            }
        }
        out.push(RelativeFact {
            cadre_id: relative_id,
            name: relative.name.clone(),
            relation,
            posts,
        });
    }
    Ok(out)
}

impl Handles for accountability::Aggregate {
    async fn facts(
        service: &Service,
        command: &accountability::Command,
        _: NaiveDate,
    ) -> Result<accountability::Facts, ApiError> {
        let mut facts = accountability::Facts {
            cadres: service.cadres(&command.cadre_ids()).await?,
            ..Default::default()
        };
        match command.cited_basis() {
            Some(accountability::Basis::RiskReport { report_id }) => {
                let (state, _) = service
                    .load::<risk::Aggregate>(&risk::Aggregate::stream_id(report_id))
                    .await?;
                facts.risk_report = state.report.map(|r| accountability::RiskReportFact {
                    report_id: report_id.clone(),
                    cadre_id: r.cadre_id,
                    filed_on: r.filed_on,
                });
            }
            Some(accountability::Basis::TrialListEntry { entry_id }) => {
                let (state, _) = service
                    .load::<trial_list::Aggregate>(&trial_list::Aggregate::stream_id(entry_id))
                    .await?;
                facts.trial_entry = state.entry.map(|entry| accountability::TrialEntryFact {
                    entry_id: entry_id.clone(),
                    entry,
                });
            }
            None => {}
        }
        Ok(facts)
    }
}

impl Handles for dossier_domain::assessment::Aggregate {
    async fn facts(
        service: &Service,
        command: &dossier_domain::assessment::Command,
        _: NaiveDate,
    ) -> Result<dossier_domain::assessment::Facts, ApiError> {
        let dossier_domain::assessment::Command::RecordGrades {
            unit_id, entries, ..
        } = command;
        let mut facts = dossier_domain::assessment::Facts {
            // The unit grading (registered or not), named in the refusals.
            unit: service.unit_state(unit_id).await?.map(|u| cadre::UnitFact {
                unit_id: u.unit_id.clone(),
                name: u.name.clone(),
            }),
            ..Default::default()
        };
        for entry in entries {
            if let Some(state) = service.cadre_state(&entry.cadre_id).await? {
                facts.cadres.insert(entry.cadre_id.clone(), state);
            }
        }
        Ok(facts)
    }

    /// Each graded cadre's `cadre.GradeRecorded` and its consequences, in the same write.
    async fn follow_up(
        service: &Service,
        decided: &[dossier_domain::assessment::Event],
        ctx: &dossier_domain::Context<'_>,
    ) -> Result<Vec<FollowUp>, ApiError> {
        let mut out = Vec::new();
        for event in decided {
            let dossier_domain::assessment::Event::GradesRecorded(batch) = event;
            for entry in &batch.entries {
                let command = cadre::Command::RecordGrade {
                    cadre_id: entry.cadre_id.clone(),
                    unit_id: batch.unit_id.clone(),
                    year: batch.year,
                    grade: entry.grade,
                    category: batch.category,
                    basis: batch.basis.clone(),
                    evaluation_id: entry.evaluation_id.clone(),
                };
                out.push(decide_cadre(service, &entry.cadre_id, &command, ctx).await?);
            }
        }
        Ok(out)
    }
}

/// Decide a cadre command as part of another stream's write, against the cadre's current state.
async fn decide_cadre(
    service: &Service,
    cadre_id: &str,
    command: &cadre::Command,
    ctx: &dossier_domain::Context<'_>,
) -> Result<FollowUp, ApiError> {
    decide_cadre_with(service, cadre_id, command, ctx, &cadre::Facts::default()).await
}

/// [`decide_cadre`] with the facts the command needs.
async fn decide_cadre_with(
    service: &Service,
    cadre_id: &str,
    command: &cadre::Command,
    ctx: &dossier_domain::Context<'_>,
    facts: &cadre::Facts,
) -> Result<FollowUp, ApiError> {
    let stream_id = cadre::Aggregate::stream_id(cadre_id);
    let (state, version) = service.load::<cadre::Aggregate>(&stream_id).await?;
    let events = cadre::Aggregate::decide(&state, command, ctx, facts)?;
    Ok(FollowUp {
        stream_id,
        version,
        events: crate::service::to_new_events(&events, ctx.effective)?,
    })
}

impl Handles for dossier_domain::award::Aggregate {
    async fn facts(
        service: &Service,
        command: &dossier_domain::award::Command,
        _: NaiveDate,
    ) -> Result<dossier_domain::award::Facts, ApiError> {
        use dossier_domain::award::Command as C;
        let mut facts = dossier_domain::award::Facts::default();
        let (cadres, units): (Vec<&str>, Vec<&str>) = match command {
            C::AnnounceSteedBatch { awardees, .. } => (
                awardees.iter().map(|a| a.cadre_id.as_str()).collect(),
                vec![],
            ),
            C::AnnounceThreeGood { winners, .. } => (
                winners
                    .iter()
                    .filter_map(|w| w.cadre_id.as_deref())
                    .collect(),
                winners.iter().map(|w| w.unit_id.as_str()).collect(),
            ),
            C::Revoke { .. } => (vec![], vec![]),
        };
        for id in cadres {
            if let Some(state) = service.cadre_state(id).await? {
                facts.known_cadres.insert(id.to_owned());
                facts.cadres.insert(id.to_owned(), state);
            }
        }
        for id in units {
            if let Some(state) = service.unit_state(id).await? {
                facts.known_units.insert(id.to_owned());
                facts.unit_names.insert(id.to_owned(), state.name.clone());
            }
        }
        if let C::AnnounceSteedBatch { year, .. } = command {
            let index = service.fact_index().await?;
            facts.steed_ordinals = index
                .steed_ordinals
                .iter()
                .filter(|((y, _), _)| y == year)
                .map(|(k, b)| (*k, b.clone()))
                .collect();
        }
        Ok(facts)
    }

    /// A Steed batch is decided one at a time: two batches cannot both take one ordinal.
    fn exclusive(command: &dossier_domain::award::Command) -> bool {
        matches!(
            command,
            dossier_domain::award::Command::AnnounceSteedBatch { .. }
        )
    }

    /// Each honoured cadre's `GrantAward` (or `RevokeAward`), in the same write.
    async fn follow_up(
        service: &Service,
        decided: &[dossier_domain::award::Event],
        ctx: &dossier_domain::Context<'_>,
    ) -> Result<Vec<FollowUp>, ApiError> {
        let mut out = Vec::new();
        for event in decided {
            for command in dossier_domain::award::cadre_commands(event) {
                out.push(decide_cadre(service, command.cadre_id(), &command, ctx).await?);
            }
        }
        Ok(out)
    }
}

impl Handles for dossier_domain::quota::Aggregate {
    async fn facts(
        service: &Service,
        command: &dossier_domain::quota::Command,
        _: NaiveDate,
    ) -> Result<dossier_domain::quota::Facts, ApiError> {
        use dossier_domain::quota::Command as C;
        let mut facts = dossier_domain::quota::Facts::default();
        match command {
            // A revocation reads the cadre's record too: a place a promotion drew on is spent.
            C::Allocate { cadre_id, .. } | C::Revoke { cadre_id, .. } => {
                facts.cadre = service.cadre_state(cadre_id).await?
            }
            C::Rank { candidates, .. } => {
                for c in candidates {
                    if let Some(state) = service.cadre_state(&c.cadre_id).await? {
                        facts.candidates.push(state);
                    }
                }
            }
            _ => {}
        }
        Ok(facts)
    }

    /// Revocations are exclusive with promotions citing a quota year (see the cadre's).
    fn exclusive(command: &dossier_domain::quota::Command) -> bool {
        matches!(command, dossier_domain::quota::Command::Revoke { .. })
    }
}

impl Handles for down::Aggregate {
    /// The cadre named by `Open`, with the down review of theirs still open, if any; for a
    /// decision or its execution, the reviewed cadre's record and the post it moves the cadre to
    /// with what a move onto it reads ([`Service::move_facts`]).
    async fn facts(
        service: &Service,
        command: &down::Command,
        effective: NaiveDate,
    ) -> Result<down::Facts, ApiError> {
        let mut cadres = service.cadres(&command.cadre_ids()).await?;
        if let down::Command::Open(_) = command {
            let index = service.fact_index().await?;
            for cadre in &mut cadres.0 {
                cadre.open_down_review = index
                    .open_reviews
                    .get(&cadre.cadre_id)
                    .and_then(|reviews| reviews.iter().next().cloned());
            }
        }
        // A decision and its execution are checked on the reviewed cadre's record, with the
        // post a 逆向调整岗位 names and what a move onto it reads.
        let review = match command {
            down::Command::Decide(down::Decide { review_id, .. })
            | down::Command::Execute(down::Execute { review_id, .. }) => {
                let (state, _) = service
                    .load::<down::Aggregate>(&down::Aggregate::stream_id(review_id))
                    .await?;
                state.review
            }
            _ => None,
        };
        let to_post = match command {
            down::Command::Decide(c) => c.to_post.clone(),
            _ => review.as_ref().and_then(|r| r.to_post.clone()),
        };
        let target = match (&review, to_post) {
            (Some(r), Some(to)) => Some(
                service
                    .move_facts(&r.cadre_id, &to.unit_id, &to.post_id, effective)
                    .await?,
            ),
            _ => None,
        };
        let required_on = match command {
            down::Command::Open(o) => match o.grade_year {
                Some(year) => service
                    .cadre_state(&o.cadre_id)
                    .await?
                    .and_then(|c| c.down_review_required.get(&year).copied()),
                None => None,
            },
            _ => None,
        };
        // A review opened on a 不称职 year (the year's grade) or citing a 双考 evaluation is
        // checked against the cadre's own record.
        let subject = match (command, &review) {
            (down::Command::Open(o), _) if o.evaluation_id.is_some() || o.grade_year.is_some() => {
                service.cadre_state(&o.cadre_id).await?
            }
            (down::Command::Decide(_) | down::Command::Execute(_), Some(r)) => {
                service.cadre_state(&r.cadre_id).await?
            }
            _ => None,
        };
        Ok(down::Facts {
            cadres,
            target,
            required_on,
            subject,
        })
    }

    /// Reviews are opened one at a time, so two reviews for one cadre cannot both pass; a
    /// decision is carried out one at a time with appointments and rotations, so that the post
    /// it moves the cadre to and the unit's 职数 cannot be taken by another between its check and
    /// its append.
    fn exclusive(command: &down::Command) -> bool {
        matches!(command, down::Command::Open(_) | down::Command::Execute(_))
    }

    /// An executed decision changes the cadre's record in the same write.
    async fn follow_up(
        service: &Service,
        decided: &[down::Event],
        ctx: &dossier_domain::Context<'_>,
    ) -> Result<Vec<FollowUp>, ApiError> {
        let mut out = Vec::new();
        for event in decided {
            let down::Event::Executed(e) = event else {
                continue;
            };
            let (Some(decision_ref), Some(decided_on)) = (&e.decision_ref, e.decided_on) else {
                continue;
            };
            let facts = match &e.to_post {
                Some(to) => service
                    .move_facts(&e.cadre_id, &to.unit_id, &to.post_id, ctx.effective)
                    .await?
                    .cadre_facts(),
                None => cadre::Facts::default(),
            };
            let command = cadre::Command::CarryOutDown(cadre::CarryOutDown {
                cadre_id: e.cadre_id.clone(),
                review_id: e.review_id.clone(),
                method: e.method,
                decision_ref: decision_ref.clone(),
                decided_on,
                to_post: e.to_post.clone(),
            });
            out.push(decide_cadre_with(service, &e.cadre_id, &command, ctx, &facts).await?);
        }
        Ok(out)
    }
}

impl Service {
    /// What a move of `cadre_id` onto a post reads (an appointment, a rotation, a 逆向调整岗位
    /// decided or carried out): the post, the cadres holding it now (from the unit read model),
    /// the cadre's relatives with their posts (回避) and the quota in force for the post's unit on
    /// `on`, with its filled posts; for a move dated before today, the unit's leadership posts
    /// held over time and its quota versions ([`Service::unit_history`]).
    pub async fn move_facts(
        &self,
        cadre_id: &str,
        unit_id: &str,
        post_id: &str,
        on: NaiveDate,
    ) -> Result<down::TargetFact, ApiError> {
        let post = self.post_fact(unit_id, post_id).await?;
        let holders = self
            .projections()
            .unit(unit_id)
            .and_then(|u| u.posts.get(post_id).cloned())
            .map(|p| p.incumbents.into_iter().map(|i| i.cadre_id).collect())
            .unwrap_or_default();
        let history = if on < self.today() {
            Some(self.unit_history(unit_id).await?)
        } else {
            None
        };
        Ok(down::TargetFact {
            post,
            holders,
            relatives: relatives(self, cadre_id).await?,
            quota: self.quota_fact(unit_id, on).await?,
            history,
        })
    }
}
