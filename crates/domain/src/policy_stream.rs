//! Stream kind `policy` (`policy-district`): published policy versions, and the `PolicyBook` that says which one is in force on a date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
    context::{Context, ORG},
    error::DomainError,
    policy::Policy,
};

/// A policy version published by the district (“小特精” supporting document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Published {
    pub book: String,
    /// 1, 2, 3 … in publication order.
    pub version: u32,
    pub title: String,
    /// The date from which the version is in force.
    pub effective_from: NaiveDate,
    /// 文件依据: the document it rests on.
    pub basis: String,
    pub published_on: NaiveDate,
    pub policy: Policy,
}

crate::event_set! {
    /// Events of a `policy` stream.
    pub enum Event {
        Published(Published) = "policy.Published" @ 1,
    }
}

/// Every published version, in publication order; answers “which policy was in force on this date”.
/// With nothing published, the national defaults are in force.
#[derive(Debug, Clone, Default)]
pub struct PolicyBook {
    versions: Vec<Published>,
}

impl PolicyBook {
    /// Build the book from a stream's events.
    pub fn from_events<'e>(events: impl IntoIterator<Item = &'e Event>) -> PolicyBook {
        let mut book = PolicyBook::default();
        for e in events {
            book.apply(e);
        }
        book
    }

    /// Fold one event.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Published(p) => self.versions.push(p.clone()),
        }
    }

    /// The published versions, in publication order.
    pub fn versions(&self) -> &[Published] {
        &self.versions
    }

    /// The version in force on `date`: the one with the latest `effective_from` on or before `date`
    /// (the later publication when two share a date); `None` when the national defaults apply.
    pub fn version_on(&self, date: NaiveDate) -> Option<&Published> {
        version_among(&self.versions, date)
    }

    /// The policy in force on `date` (the national defaults when no version applies yet).
    pub fn in_force(&self, date: NaiveDate) -> Policy {
        in_force_among(&self.versions, date)
    }
}

/// Of `versions` (in publication order), the one in force on `date`: the latest
/// `effective_from` on or before `date`, the later publication when two share a date.
pub fn version_among(versions: &[Published], date: NaiveDate) -> Option<&Published> {
    versions
        .iter()
        .enumerate()
        .filter(|(_, v)| v.effective_from <= date)
        .max_by_key(|(i, v)| (v.effective_from, *i))
        .map(|(_, v)| v)
}

/// The policy in force on `date` among `versions` (the national defaults when none applies yet).
pub fn in_force_among(versions: &[Published], date: NaiveDate) -> Policy {
    match version_among(versions, date) {
        Some(v) => v.policy.clone(),
        None => Policy::national_default(),
    }
}

/// Folded state of a `policy` stream.
pub type State = PolicyBook;

/// Commands a `policy` stream accepts.
#[derive(Debug, Clone)]
pub enum Command {
    /// Publish a version in force from `effective_from`.
    Publish {
        book: String,
        title: String,
        effective_from: NaiveDate,
        basis: String,
        policy: Policy,
    },
}

/// The `policy` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "policy";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = ();

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Publish { book, .. } => book,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        _: &(),
    ) -> Result<Vec<Event>, DomainError> {
        ctx.require_role(ORG, "发布政策")?;
        let Command::Publish {
            book,
            title,
            effective_from,
            basis,
            policy,
        } = command;
        if title.trim().is_empty() {
            return Err(DomainError::invalid(
                "POLICY_TITLE_REQUIRED",
                "政策文件标题不能为空",
            ));
        }
        if basis.trim().is_empty() {
            return Err(DomainError::invalid(
                "POLICY_BASIS_REQUIRED",
                "政策的文件依据不能为空",
            ));
        }
        if let Some(last) = state
            .versions
            .iter()
            .map(|v| v.effective_from)
            .max()
            .filter(|d| effective_from < d)
        {
            return Err(DomainError::refused(
                "POLICY_OUT_OF_ORDER",
                format!(
                    "生效日期 {effective_from} 早于已发布版本的生效日期 {last}: 不能改写已生效期间的规则"
                ),
            ));
        }
        policy.validate()?;
        Ok(vec![Event::Published(Published {
            book: book.clone(),
            version: state.versions.len() as u32 + 1,
            title: title.trim().to_owned(),
            effective_from: *effective_from,
            basis: basis.trim().to_owned(),
            published_on: ctx.today,
            policy: policy.clone(),
        })])
    }

    fn evolve(state: &mut State, event: &Event) {
        state.apply(event);
    }
}
