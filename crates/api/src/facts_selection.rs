//! Facts a selection case and a post quota decide on (the candidates' records, the unit's posts and holders, the quota in force
//! with its filled posts), and the appointment document carried out on every person's record in the case's write.

use chrono::NaiveDate;
use dossier_domain::{
    Aggregate, cadre, reserve, selection,
    staffing::{self, QuotaFact},
    unit::PostFact,
};

use crate::{
    error::ApiError,
    service::{FollowUp, Handles, Service},
};

impl Service {
    /// The quota (职数) in force for `unit_id` on `on`, with the leadership posts the unit read
    /// model shows filled; `None` when the unit has no published quota then.
    pub async fn quota_fact(
        &self,
        unit_id: &str,
        on: NaiveDate,
    ) -> Result<Option<QuotaFact>, ApiError> {
        let (state, version) = self
            .load::<staffing::Aggregate>(&staffing::Aggregate::stream_id(unit_id))
            .await?;
        if version == 0 {
            return Ok(None);
        }
        let Some(v) = state.in_force(on) else {
            return Ok(None);
        };
        let (filled_chiefs, filled_deputies) = self
            .projections()
            .unit(unit_id)
            .map(|u| u.filled_leadership())
            .unwrap_or_default();
        Ok(Some(QuotaFact {
            unit_id: unit_id.to_owned(),
            chiefs: v.chiefs,
            deputies: v.deputies,
            exceptions_allowed: v.exceptions_allowed,
            filled_chiefs,
            filled_deputies,
            basis: v.basis.clone(),
        }))
    }

    /// The unit's selection cases other than `except` still filling their posts (moved, neither
    /// appointed, cancelled nor archived), as the selection dashboard lists them, each with the
    /// posts its stream names.
    async fn open_cases(
        &self,
        unit_id: &str,
        except: &str,
    ) -> Result<Vec<selection::OpenCase>, ApiError> {
        let ids: Vec<String> = self.projections().read(|m| {
            m.selection
                .model
                .cases
                .iter()
                .filter(|(id, row)| {
                    id.as_str() != except
                        && row.unit_id == unit_id
                        && row.cancelled_on.is_none()
                        && row.archived_on.is_none()
                        && row
                            .stages
                            .last()
                            .is_none_or(|(_, stage)| stage != selection::Stage::Appointed.code())
                })
                .map(|(id, _)| id.clone())
                .collect()
        });
        let mut out = Vec::new();
        for case_id in ids {
            let (case, _) = self
                .load::<selection::Aggregate>(&selection::Aggregate::stream_id(&case_id))
                .await?;
            // The stream decides: the read model may be behind it.
            if case.stage.is_none()
                || case.cancelled.is_some()
                || case.archived
                || case.stage == Some(selection::Stage::Appointed)
            {
                continue;
            }
            out.push(selection::OpenCase {
                case_id,
                posts: case.posts,
            });
        }
        Ok(out)
    }

    /// A post of a unit with the cadres holding it now.
    async fn post_with_holders(
        &self,
        unit_id: &str,
        post_id: &str,
    ) -> Result<Option<(PostFact, Vec<String>)>, ApiError> {
        let Some(post) = self.post_fact(unit_id, post_id).await? else {
            return Ok(None);
        };
        let holders = self
            .projections()
            .unit(unit_id)
            .and_then(|u| u.posts.get(post_id).cloned())
            .map(|p| p.incumbents.into_iter().map(|i| i.cadre_id).collect())
            .unwrap_or_default();
        Ok(Some((post, holders)))
    }
}

impl Handles for staffing::Aggregate {
    async fn facts(
        service: &Service,
        command: &staffing::Command,
        _: NaiveDate,
    ) -> Result<staffing::Facts, ApiError> {
        let staffing::Command::Publish(c) = command;
        Ok(staffing::Facts {
            unit_registered: service.unit_state(&c.unit_id).await?.is_some(),
        })
    }
}

impl Handles for selection::Aggregate {
    async fn facts(
        service: &Service,
        command: &selection::Command,
        effective: NaiveDate,
    ) -> Result<selection::Facts, ApiError> {
        let mut facts = selection::Facts::default();
        for id in command.cadre_ids() {
            if let Some(state) = service.cadre_state(id).await? {
                facts.cadres.insert(id.to_owned(), state);
            }
        }
        let (unit_id, post_ids): (String, Vec<&str>) = match command {
            selection::Command::Move(c) => (
                c.unit_id.clone(),
                c.post_ids.iter().map(String::as_str).collect(),
            ),
            selection::Command::Appoint(c) => {
                let (case, _) = service
                    .load::<selection::Aggregate>(&selection::Aggregate::stream_id(&c.case_id))
                    .await?;
                (
                    case.unit_id,
                    c.appointments.iter().map(|a| a.post_id.as_str()).collect(),
                )
            }
            // The decision checks 回避 between the posts it gives: the decided posts' facts.
            selection::Command::Decide(c) => {
                let (case, _) = service
                    .load::<selection::Aggregate>(&selection::Aggregate::stream_id(&c.case_id))
                    .await?;
                (
                    case.unit_id,
                    c.votes.iter().map(|v| v.post_id.as_str()).collect(),
                )
            }
            _ => return Ok(facts),
        };
        facts.unit_name = service.unit_state(&unit_id).await?.map(|u| u.name);
        for post_id in post_ids {
            if let Some(found) = service.post_with_holders(&unit_id, post_id).await? {
                facts.posts.push(found);
            }
        }
        facts.quota = service.quota_fact(&unit_id, effective).await?;
        if let selection::Command::Move(c) = command {
            facts.open_cases = service.open_cases(&unit_id, &c.case_id).await?;
        }
        Ok(facts)
    }

    /// A motion and an appointment read the quota's filled posts across streams: one at a time.
    fn exclusive(command: &selection::Command) -> bool {
        matches!(
            command,
            selection::Command::Move(_) | selection::Command::Appoint(_)
        )
    }

    /// The appointment document (and a probation's outcome) carried out as the ordinary cadre
    /// commands, decided against each person's record, in the case's write.
    async fn follow_up(
        service: &Service,
        decided: &[selection::Event],
        ctx: &dossier_domain::Context<'_>,
    ) -> Result<Vec<FollowUp>, ApiError> {
        let mut out = Vec::new();
        for event in decided {
            for (cadre_id, commands) in selection::cadre_commands(event) {
                let stream_id = cadre::Aggregate::stream_id(&cadre_id);
                let (mut state, version) = service.load::<cadre::Aggregate>(&stream_id).await?;
                let mut events = Vec::new();
                for command in &commands {
                    let mut facts = cadre::Facts::default();
                    if let cadre::Command::Appoint(c) = command {
                        facts.post = service.post_fact(&c.unit_id, &c.post_id).await?;
                        facts.relatives = crate::facts::relatives(service, &c.cadre_id).await?;
                        as_the_document_leaves(service, event, &mut facts.relatives).await?;
                        // The case checked the document's posts against the quota as a whole.
                    }
                    let decided = cadre::Aggregate::decide(&state, command, ctx, &facts)?;
                    for e in &decided {
                        cadre::Aggregate::evolve(&mut state, e);
                    }
                    events.extend(decided);
                }
                out.push(FollowUp {
                    stream_id,
                    version,
                    events: crate::service::to_new_events(&events, ctx.effective)?,
                });
            }
            for (cadre_id, to) in selection::reserve_marks(event) {
                let stream_id = reserve::Aggregate::stream_id(&cadre_id);
                let (state, version) = service.load::<reserve::Aggregate>(&stream_id).await?;
                let command = reserve::Command::Mark {
                    cadre_id,
                    to,
                    case_id: case_id_of(event),
                };
                // Only cadres with an entry in the pool, in a status the case moves on, are marked.
                let Ok(events) =
                    reserve::Aggregate::decide(&state, &command, ctx, &Default::default())
                else {
                    continue;
                };
                if version == 0 || events.is_empty() {
                    continue;
                }
                out.push(FollowUp {
                    stream_id,
                    version,
                    events: crate::service::to_new_events(&events, ctx.effective)?,
                });
            }
        }
        Ok(out)
    }
}

/// The relatives' posts as the appointment document leaves them (回避 is checked against the
/// posts every person holds once the whole document is carried out): the posts its 免 lines end
/// are gone, the posts its 任 lines give are held.
async fn as_the_document_leaves(
    service: &Service,
    event: &selection::Event,
    relatives: &mut [dossier_domain::avoidance::RelativeFact],
) -> Result<(), ApiError> {
    let selection::Event::Appointed(e) = event else {
        return Ok(());
    };
    for relative in relatives.iter_mut() {
        for entry in e
            .document
            .entries
            .iter()
            .filter(|x| x.cadre_id == relative.cadre_id)
        {
            let same = |p: &PostFact| p.unit_id == entry.unit_id && p.post_id == entry.post_id;
            match entry.action {
                selection::PostAction::Remove { .. } => relative.posts.retain(|p| !same(p)),
                selection::PostAction::Appoint { .. } => {
                    if !relative.posts.iter().any(same)
                        && let Some(post) =
                            service.post_fact(&entry.unit_id, &entry.post_id).await?
                    {
                        relative.posts.push(post);
                    }
                }
            }
        }
    }
    Ok(())
}

/// The case an event belongs to.
fn case_id_of(event: &selection::Event) -> String {
    match event {
        selection::Event::Moved(e) => e.case_id.clone(),
        selection::Event::Appointed(e) => e.case_id.clone(),
        selection::Event::CandidateStopped(e) => e.case_id.clone(),
        selection::Event::Cancelled(e) => e.case_id.clone(),
        selection::Event::Archived(e) => e.case_id.clone(),
        _ => String::new(),
    }
}

impl Handles for reserve::Aggregate {
    async fn facts(
        service: &Service,
        command: &reserve::Command,
        _: NaiveDate,
    ) -> Result<dossier_domain::practice::Cadres, ApiError> {
        match command {
            reserve::Command::Nominate { cadre_id, .. } => service.cadres(&[cadre_id]).await,
            _ => Ok(Default::default()),
        }
    }
}
