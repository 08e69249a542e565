//! Entering many cadres at once (imports): each person's commands decided in order by the ordinary
//! cadre rules against the state and facts, then appended as one write per person, all the
//! persons' writes queued together so the store commits them in a few transactions.

use std::collections::HashMap;

use chrono::NaiveDate;
use dossier_domain::{Actor, Aggregate as _, Context, cadre};
use dossier_store::{ExclusiveGuard, ExpectedVersion, StreamWrite};
use futures::future::join_all;

use super::{CommandEnvelope, Handles, Service, metadata, store_error, to_new_events};
use crate::{error::ApiError, idempotency};

/// One person to enter: the commands on their cadre stream, in order, under one command id.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Every command names the same cadre.
    pub commands: Vec<cadre::Command>,
    /// Makes the entry idempotent: an entry whose id was recorded is not entered again.
    pub command_id: String,
    /// 文件依据: the file (and row) the person comes from.
    pub basis: String,
}

/// What became of one entry.
#[derive(Debug, Clone)]
pub enum EntryResult {
    /// Entered (or, in a dry run, would be): the cadre id and the events appended.
    Entered { cadre_id: String, events: usize },
    /// Its command id was recorded by an earlier run: nothing appended again.
    AlreadyEntered { cadre_id: String },
    /// A rule refused one of its commands: nothing of the entry appended.
    Refused { cadre_id: String, error: ApiError },
}

impl Service {
    /// Decide and (unless `dry_run`) append every entry taking effect on `effective`. Entries are
    /// decided one after the other while no other registration is decided (one ID number per
    /// cadre holds across the batch too), then appended together; a refused entry changes nothing
    /// and does not stop the others.
    pub async fn enter_cadres(
        &self,
        actor: &Actor,
        effective: NaiveDate,
        entries: Vec<Entry>,
        dry_run: bool,
    ) -> Result<Vec<EntryResult>, ApiError> {
        self.writable()?;
        dossier_domain::bounds::date("生效日期", effective)?;
        let _exclusive = self.exclusive.lock().await;
        // The ID numbers are checked on the facts as of this head; each entry's append is
        // guarded (one decision for the whole batch), so a registration committed meanwhile by
        // another process sharing the log refuses the entries rather than let a number in twice.
        let guard = (!dry_run).then_some(ExclusiveGuard::new(self.head().await?));
        let policy = self.policy_in_force(effective).await?;
        let today = self.today();
        let ctx = Context {
            actor,
            effective,
            today,
            policy: &policy,
        };
        let held: HashMap<String, String> = {
            let index = self.fact_index().await?;
            entries
                .iter()
                .flat_map(|e| &e.commands)
                .filter_map(|c| match c {
                    cadre::Command::Register(r) => dossier_domain::idcard::parse(&r.id_number)
                        .ok()
                        .and_then(|id| {
                            index
                                .id_numbers
                                .get(&id.number)
                                .map(|holder| (id.number, holder.clone()))
                        }),
                    _ => None,
                })
                .collect()
        };
        let mut claimed: HashMap<String, String> = HashMap::new();
        let mut units: HashMap<String, Option<cadre::UnitFact>> = HashMap::new();
        let mut results = Vec::with_capacity(entries.len());
        let mut pending = Vec::new();
        for entry in entries {
            let cadre_id = entry
                .commands
                .first()
                .map(|c| c.cadre_id().to_owned())
                .unwrap_or_default();
            if self
                .store
                .command(&entry.command_id)
                .await
                .map_err(ApiError::internal)?
                .is_some()
            {
                results.push(EntryResult::AlreadyEntered { cadre_id });
                continue;
            }
            match self
                .decide_entry(&entry, &ctx, &held, &mut claimed, &mut units)
                .await
            {
                Ok((write, number)) => {
                    let events = write.events.len();
                    if let Some(number) = number {
                        claimed.insert(number, cadre_id.clone());
                    }
                    results.push(EntryResult::Entered { cadre_id, events });
                    pending.push((results.len() - 1, entry, write));
                }
                Err(error) => results.push(EntryResult::Refused { cadre_id, error }),
            }
        }
        if dry_run || pending.is_empty() {
            return Ok(results);
        }
        let appends = pending.iter().map(|(_, entry, write)| {
            let envelope = CommandEnvelope::new(entry.commands.clone(), effective)
                .basis(entry.basis.clone())
                .command_id(entry.command_id.clone());
            let origin = idempotency::origin(actor, &write.stream_id, &envelope);
            self.store.append_guarded(
                vec![write.clone()],
                metadata(actor, &envelope),
                Some(origin),
                guard,
            )
        });
        let appended = join_all(appends).await;
        let mut last = 0;
        for ((at, _, write), outcome) in pending.iter().zip(appended) {
            match outcome {
                Ok(r) => {
                    last = r
                        .iter()
                        .map(|r| r.last_position)
                        .max()
                        .unwrap_or(0)
                        .max(last)
                }
                Err(e) => {
                    results[*at] = EntryResult::Refused {
                        cadre_id: write.stream_id.trim_start_matches("cadre-").to_owned(),
                        error: store_error(e, &write.stream_id),
                    }
                }
            }
        }
        self.settle(last).await;
        Ok(results)
    }

    /// Decide one entry's commands in order against its stream; the write and the ID number it
    /// registers.
    async fn decide_entry(
        &self,
        entry: &Entry,
        ctx: &Context<'_>,
        held: &HashMap<String, String>,
        claimed: &mut HashMap<String, String>,
        units: &mut HashMap<String, Option<cadre::UnitFact>>,
    ) -> Result<(StreamWrite, Option<String>), ApiError> {
        let cadre_id = entry
            .commands
            .first()
            .map(|c| c.cadre_id().trim().to_owned())
            .unwrap_or_default();
        if cadre_id.is_empty() {
            return Err(ApiError::validation("编号不能为空"));
        }
        dossier_domain::bounds::id("编号", &cadre_id)?;
        if entry
            .commands
            .iter()
            .any(|c| c.cadre_id().trim() != cadre_id)
        {
            return Err(ApiError::validation("一次录入的命令必须针对同一名干部"));
        }
        let stream_id = cadre::Aggregate::stream_id(&cadre_id);
        let (mut state, version) = self.load::<cadre::Aggregate>(&stream_id).await?;
        let mut decided = Vec::new();
        let mut number = None;
        for command in &entry.commands {
            let facts = match command {
                cadre::Command::Register(r) => {
                    let unit = match units.get(&r.unit_id) {
                        Some(u) => u.clone(),
                        None => {
                            let u = self.unit_state(&r.unit_id).await?.map(|u| cadre::UnitFact {
                                unit_id: u.unit_id.clone(),
                                name: u.name.clone(),
                            });
                            units.insert(r.unit_id.clone(), u.clone());
                            u
                        }
                    };
                    let id = dossier_domain::idcard::parse(&r.id_number).ok();
                    let id_number_holder = id.as_ref().and_then(|id| {
                        held.get(&id.number)
                            .or_else(|| claimed.get(&id.number))
                            .cloned()
                    });
                    number = id.map(|id| id.number);
                    cadre::Facts {
                        unit,
                        id_number_holder,
                        ..cadre::Facts::default()
                    }
                }
                other => <cadre::Aggregate as Handles>::facts(self, other, ctx.effective).await?,
            };
            let events = cadre::Aggregate::decide(&state, command, ctx, &facts)?;
            for e in &events {
                cadre::Aggregate::evolve(&mut state, e);
            }
            decided.extend(events);
        }
        if decided.is_empty() {
            return Err(ApiError::validation("没有可登记的内容"));
        }
        let events = to_new_events(&decided, ctx.effective)?;
        let expected = if version > 0 {
            ExpectedVersion::Exact(version)
        } else {
            ExpectedVersion::NoStream
        };
        Ok((
            StreamWrite {
                stream_id,
                expected,
                events,
            },
            number,
        ))
    }
}
