//! Facts from other streams that decisions need, loaded from the log: which cadres exist and where they serve.

use chrono::NaiveDate;
use dossier_domain::{
    Aggregate, accountability, appeal,
    avoidance::RelativeFact,
    bulletin, cadre, down, forum, lead, policy_stream,
    practice::{CadreRef, Cadres},
    risk, study, supervision, training, trial_list, unit,
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
    pub async fn cadre_ref(&self, cadre_id: &str) -> Result<Option<CadreRef>, ApiError> {
        let stream_id = dossier_domain::cadre::Aggregate::stream_id(cadre_id);
        let (state, version) = self
            .load::<dossier_domain::cadre::Aggregate>(&stream_id)
            .await?;
        if version == 0 || !state.registered {
            return Ok(None);
        }
        let unit_id = Some(state.unit_id.clone()).filter(|u| !u.is_empty());
        Ok(Some(CadreRef {
            cadre_id: cadre_id.to_owned(),
            unit_id,
        }))
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
    appeal,
    down,
    supervision,
    lead,
    risk,
    trial_list,
    bulletin
);

crate::no_facts!(unit::Aggregate, policy_stream::Aggregate);

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
        _: NaiveDate,
    ) -> Result<cadre::Facts, ApiError> {
        let mut facts = cadre::Facts::default();
        match command {
            cadre::Command::Register(c) => {
                facts.unit = service
                    .unit_state(&c.unit_id)
                    .await?
                    .map(|u| cadre::UnitFact {
                        unit_id: u.unit_id.clone(),
                        name: u.name.clone(),
                    });
            }
            cadre::Command::Appoint(c) => {
                facts.post = service.post_fact(&c.unit_id, &c.post_id).await?;
                facts.relatives = relatives(service, &c.cadre_id).await?;
            }
            cadre::Command::Rotate(c) => {
                facts.post = service.post_fact(&c.to_unit_id, &c.to_post_id).await?;
                facts.relatives = relatives(service, &c.cadre_id).await?;
            }
            _ => {}
        }
        Ok(facts)
    }
}

/// The relatives on a cadre's family record who are cadres themselves, with the posts they hold.
async fn relatives(service: &Service, cadre_id: &str) -> Result<Vec<RelativeFact>, ApiError> {
    let Some(state) = service.cadre_state(cadre_id).await? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for member in &state.family {
        let Some(relative_id) = member.relative_cadre_id.as_deref() else {
            continue;
        };
        let Some(relative) = service.cadre_state(relative_id).await? else {
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
            cadre_id: relative_id.to_owned(),
            name: relative.name.clone(),
            relation: member.relation,
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
        let dossier_domain::assessment::Command::RecordGrades { entries, .. } = command;
        let mut facts = dossier_domain::assessment::Facts::default();
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
    let stream_id = cadre::Aggregate::stream_id(cadre_id);
    let (state, version) = service.load::<cadre::Aggregate>(&stream_id).await?;
    let events = cadre::Aggregate::decide(&state, command, ctx, &cadre::Facts::default())?;
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
            if service.cadre_state(id).await?.is_some() {
                facts.known_cadres.insert(id.to_owned());
            }
        }
        for id in units {
            if service.unit_state(id).await?.is_some() {
                facts.known_units.insert(id.to_owned());
            }
        }
        Ok(facts)
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
        let cadre = match command {
            dossier_domain::quota::Command::Allocate { cadre_id, .. } => {
                service.cadre_state(cadre_id).await?
            }
            _ => None,
        };
        Ok(dossier_domain::quota::Facts { cadre })
    }
}
