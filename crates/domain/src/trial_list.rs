//! Stream kind `trial_list` (试错清单): one listed area where trial is encouraged, the cadres it covers, and its withdrawal.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
    context::{Context, Role},
    error::DomainError,
    practice::{self, Cadres},
};

/// A cadre covered by an entry, with their unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Covered {
    pub cadre_id: String,
    pub unit_id: Option<String>,
}

/// An area was put on the trial-and-error list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    pub entry_id: String,
    /// The area, e.g. 新兴产业招引政策突破.
    pub area: String,
    pub description: String,
    pub covered: Vec<Covered>,
    pub listed_on: NaiveDate,
    /// Last day the entry covers trials, if limited.
    pub valid_until: Option<NaiveDate>,
}

/// The entry was withdrawn; acts after this date are not covered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Withdrawn {
    pub entry_id: String,
    pub reason: String,
    pub withdrawn_on: NaiveDate,
}

crate::event_set! {
    /// Events of a `trial_list` stream.
    pub enum Event {
        Listed(Listed) = "trial_list.Listed" @ 1,
        Withdrawn(Withdrawn) = "trial_list.Withdrawn" @ 1,
    }
}

/// List an area, effective on the context's date.
#[derive(Debug, Clone)]
pub struct List {
    pub entry_id: String,
    pub area: String,
    pub description: String,
    pub cadre_ids: Vec<String>,
    pub valid_until: Option<NaiveDate>,
}

/// Withdraw an entry.
#[derive(Debug, Clone)]
pub struct Withdraw {
    pub entry_id: String,
    pub reason: String,
}

/// Commands a `trial_list` stream accepts.
#[derive(Debug, Clone)]
pub enum Command {
    List(List),
    Withdraw(Withdraw),
}

impl Command {
    /// The cadres the application must load into [`Cadres`] before deciding.
    pub fn cadre_ids(&self) -> Vec<&str> {
        match self {
            Command::List(c) => c.cadre_ids.iter().map(String::as_str).collect(),
            Command::Withdraw(_) => Vec::new(),
        }
    }
}

/// A listed entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub area: String,
    pub cadre_ids: Vec<String>,
    pub listed_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub withdrawn_on: Option<NaiveDate>,
}

impl Entry {
    /// Whether the entry covered trials on `date`.
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        date >= self.listed_on
            && self.valid_until.is_none_or(|until| date <= until)
            && self.withdrawn_on.is_none_or(|w| date < w)
    }
}

/// Folded state of a `trial_list` stream.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub entry: Option<Entry>,
}

/// The `trial_list` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "trial_list";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Cadres;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::List(c) => &c.entry_id,
            Command::Withdraw(c) => &c.entry_id,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        cadres: &Cadres,
    ) -> Result<Vec<Event>, DomainError> {
        practice::require_role(ctx, &[Role::OrgAdmin], "管理试错清单")?;
        practice::not_future(ctx.effective, ctx, "办理日期")?;
        match command {
            Command::List(c) => {
                if state.entry.is_some() {
                    return Err(practice::already_exists(
                        "TRIAL_ENTRY_EXISTS",
                        "试错清单事项",
                        &c.entry_id,
                    ));
                }
                practice::non_empty(&c.entry_id, "清单编号")?;
                practice::non_empty(&c.area, "试错领域")?;
                if c.cadre_ids.is_empty() {
                    return Err(DomainError::invalid(
                        "TRIAL_NO_CADRE",
                        "试错清单事项至少要覆盖一名干部",
                    ));
                }
                practice::no_duplicates(&c.cadre_ids, "覆盖干部", Clone::clone)?;
                if let Some(until) = c.valid_until {
                    practice::ordered_range(ctx.effective, until)?;
                }
                let covered = c
                    .cadre_ids
                    .iter()
                    .map(|id| {
                        cadres.get(id).map(|r| Covered {
                            cadre_id: r.cadre_id.clone(),
                            unit_id: r.unit_id.clone(),
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(vec![Event::Listed(Listed {
                    entry_id: c.entry_id.clone(),
                    area: c.area.trim().to_owned(),
                    description: c.description.trim().to_owned(),
                    covered,
                    listed_on: ctx.effective,
                    valid_until: c.valid_until,
                })])
            }
            Command::Withdraw(c) => {
                let entry = state.entry.as_ref().ok_or_else(|| {
                    practice::not_started("TRIAL_ENTRY_NOT_FOUND", "试错清单事项", &c.entry_id)
                })?;
                if let Some(on) = entry.withdrawn_on {
                    return Err(DomainError::refused(
                        "TRIAL_ENTRY_WITHDRAWN",
                        format!("试错清单事项「{}」已于 {on} 撤销", entry.area),
                    ));
                }
                practice::non_empty(&c.reason, "撤销理由")?;
                practice::not_before(ctx.effective, entry.listed_on, "撤销", "列入清单")?;
                Ok(vec![Event::Withdrawn(Withdrawn {
                    entry_id: c.entry_id.clone(),
                    reason: c.reason.trim().to_owned(),
                    withdrawn_on: ctx.effective,
                })])
            }
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::Listed(e) => {
                state.entry = Some(Entry {
                    area: e.area.clone(),
                    cadre_ids: e.covered.iter().map(|c| c.cadre_id.clone()).collect(),
                    listed_on: e.listed_on,
                    valid_until: e.valid_until,
                    withdrawn_on: None,
                });
            }
            Event::Withdrawn(e) => {
                if let Some(entry) = state.entry.as_mut() {
                    entry.withdrawn_on = Some(e.withdrawn_on);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        aggregate::Aggregate as _,
        context::Actor,
        harness::given,
        practice::{CadreRef, test_support::d},
    };

    fn list_cmd(cadres: &[&str], until: Option<NaiveDate>) -> Command {
        Command::List(List {
            entry_id: "t1".into(),
            area: "新兴产业招引政策突破".into(),
            description: "在上级未明确禁止的范围内探索".into(),
            cadre_ids: cadres.iter().map(|c| (*c).to_owned()).collect(),
            valid_until: until,
        })
    }

    fn listed() -> Event {
        Event::Listed(Listed {
            entry_id: "t1".into(),
            area: "新兴产业招引政策突破".into(),
            description: "在上级未明确禁止的范围内探索".into(),
            covered: vec![Covered {
                cadre_id: "a".into(),
                unit_id: Some("u1".into()),
            }],
            listed_on: d(2025, 6, 30),
            valid_until: Some(d(2025, 12, 31)),
        })
    }

    fn facts() -> Cadres {
        Cadres::of([CadreRef::new("a", "u1")])
    }

    #[test]
    fn an_area_is_listed_for_known_cadres() {
        given::<Aggregate>([])
            .with_facts(facts())
            .when(list_cmd(&["a"], Some(d(2025, 12, 31))))
            .then_events([listed()]);
        given::<Aggregate>([])
            .with_facts(facts())
            .when(list_cmd(&["a", "x"], None))
            .then_error("CADRE_NOT_FOUND");
    }

    #[test]
    fn an_entry_covers_at_least_one_cadre() {
        given::<Aggregate>([])
            .with_facts(facts())
            .when(list_cmd(&[], None))
            .then_error("TRIAL_NO_CADRE");
    }

    #[test]
    fn an_entry_is_not_valid_until_before_it_is_listed() {
        given::<Aggregate>([])
            .with_facts(facts())
            .when(list_cmd(&["a"], Some(d(2025, 6, 1))))
            .then_error("DATE_RANGE_REVERSED");
    }

    #[test]
    fn an_entry_is_listed_once() {
        given::<Aggregate>([listed()])
            .with_facts(facts())
            .when(list_cmd(&["a"], None))
            .then_error("TRIAL_ENTRY_EXISTS");
    }

    #[test]
    fn only_the_organization_department_keeps_the_list() {
        given::<Aggregate>([])
            .with_facts(facts())
            .as_actor(Actor::new("i", Role::DisciplineInspector))
            .when(list_cmd(&["a"], None))
            .then_error("FORBIDDEN_ROLE");
    }

    #[test]
    fn an_entry_is_withdrawn_once_and_stops_covering_later_acts() {
        let withdraw = || {
            Command::Withdraw(Withdraw {
                entry_id: "t1".into(),
                reason: "上级已出台禁止性规定".into(),
            })
        };
        let events = given::<Aggregate>([listed()])
            .on(d(2025, 9, 1))
            .when(withdraw())
            .then_ok();
        let mut history = vec![listed()];
        history.extend(events);
        given::<Aggregate>(history.clone())
            .on(d(2025, 9, 2))
            .when(withdraw())
            .then_error("TRIAL_ENTRY_WITHDRAWN");
        let entry = Aggregate::fold(history.iter()).entry.expect("listed");
        assert!(entry.in_force_on(d(2025, 8, 31)));
        assert!(!entry.in_force_on(d(2025, 9, 1)));
        assert!(!entry.in_force_on(d(2025, 6, 29)));
    }

    #[test]
    fn withdrawal_names_a_listed_entry_and_comes_after_listing() {
        let withdraw = || {
            Command::Withdraw(Withdraw {
                entry_id: "t1".into(),
                reason: "r".into(),
            })
        };
        given::<Aggregate>([])
            .when(withdraw())
            .then_error("TRIAL_ENTRY_NOT_FOUND");
        given::<Aggregate>([listed()])
            .on(d(2025, 6, 29))
            .when(withdraw())
            .then_error("DATE_BEFORE_PREVIOUS_STEP");
    }
}
