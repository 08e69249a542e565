//! Stream kind `quota` (`quota-<year>`): the year's front-line promotion quota (一线职级数), allocations by points, revocations; never exceeded.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    aggregate, cadre,
    context::{Context, ORG},
    error::DomainError,
    points::{self, Points},
    types::{FrontLineField, Rank},
};

/// The year's quota opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    pub year: i32,
    pub size: u32,
    pub opened_on: NaiveDate,
    pub basis: Option<String>,
}

/// One quota place allocated to a cadre, with the points that ranked them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocated {
    pub year: i32,
    pub cadre_id: String,
    pub cadre_name: String,
    pub unit_id: String,
    pub rank: Option<Rank>,
    pub field: FrontLineField,
    pub points: f64,
    pub breakdown: Points,
    /// Places used after this allocation.
    pub used: u32,
    pub size: u32,
    pub allocated_on: NaiveDate,
}

/// An allocation withdrawn (the place is free again).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revoked {
    pub year: i32,
    pub cadre_id: String,
    pub reason: String,
    /// Places used after this revocation.
    pub used: u32,
    pub size: u32,
    pub revoked_on: NaiveDate,
}

crate::event_set! {
    /// Events of a `quota` stream.
    pub enum Event {
        Opened(Opened) = "quota.Opened" @ 1,
        Allocated(Allocated) = "quota.Allocated" @ 1,
        Revoked(Revoked) = "quota.Revoked" @ 1,
    }
}

/// Folded state of a `quota` stream.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub open: bool,
    pub year: i32,
    pub size: u32,
    /// Current allocations: cadre id → points.
    pub allocations: BTreeMap<String, f64>,
    /// Cadres whose allocation was revoked this year.
    pub revoked: Vec<String>,
}

impl State {
    pub fn used(&self) -> u32 {
        self.allocations.len() as u32
    }
}

/// Commands a `quota` stream accepts. `key` is the year as text (the stream is `quota-<year>`).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open the year's quota; `size` defaults to the policy (`quota.front_line_per_year`) and may not exceed it.
    Open {
        key: String,
        year: i32,
        size: Option<u32>,
        basis: Option<String>,
    },
    Allocate {
        key: String,
        cadre_id: String,
        field: FrontLineField,
    },
    Revoke {
        key: String,
        cadre_id: String,
        reason: String,
    },
}

/// The allocated cadre's folded stream, loaded by the application (points are computed here).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub cadre: Option<cadre::State>,
}

/// The `quota` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "quota";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Facts;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Open { key, .. }
            | Command::Allocate { key, .. }
            | Command::Revoke { key, .. } => key,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        facts: &Facts,
    ) -> Result<Vec<Event>, DomainError> {
        ctx.require_role(ORG, "办理一线职级数")?;
        match command {
            Command::Open {
                key,
                year,
                size,
                basis,
            } => {
                if *key != year.to_string() {
                    return Err(DomainError::invalid(
                        "QUOTA_KEY_MISMATCH",
                        format!("职级数批次 {key} 与年度 {year} 不符"),
                    ));
                }
                if state.open {
                    return Err(DomainError::refused(
                        "QUOTA_ALREADY_OPEN",
                        format!("{year} 年度一线职级数已设立 ({} 个)", state.size),
                    ));
                }
                let allowed = ctx.policy.quota.front_line_per_year;
                let size = size.unwrap_or(allowed);
                if size == 0 || size > allowed {
                    return Err(DomainError::refused(
                        "QUOTA_SIZE_ABOVE_POLICY",
                        format!(
                            "{year} 年度一线职级数 {size} 个无效: 须为 1 至 {allowed} 个 (现行政策)"
                        ),
                    ));
                }
                Ok(vec![Event::Opened(Opened {
                    year: *year,
                    size,
                    opened_on: ctx.effective,
                    basis: basis.clone(),
                })])
            }
            Command::Allocate {
                key,
                cadre_id,
                field,
            } => {
                if !state.open {
                    return Err(DomainError::not_found(
                        "QUOTA_NOT_OPEN",
                        format!("{key} 年度一线职级数尚未设立"),
                    ));
                }
                let cadre = facts
                    .cadre
                    .as_ref()
                    .filter(|c| c.registered && c.cadre_id == *cadre_id)
                    .ok_or_else(|| {
                        DomainError::not_found(
                            "CADRE_NOT_FOUND",
                            format!("干部 {cadre_id} 尚未登记"),
                        )
                    })?;
                if state.allocations.contains_key(cadre_id) {
                    return Err(DomainError::refused(
                        "QUOTA_DUPLICATE_ALLOCATION",
                        format!(
                            "{} 已获得 {} 年度一线职级数, 同一年度不能重复分配",
                            cadre.name, state.year
                        ),
                    ));
                }
                if state.used() >= state.size {
                    return Err(DomainError::refused(
                        "QUOTA_EXCEEDED",
                        format!(
                            "{} 年度一线职级数已用完: 已分配 {}/{}",
                            state.year,
                            state.used(),
                            state.size
                        ),
                    ));
                }
                let breakdown =
                    points::compute(cadre, ctx.effective, Some(*field), &ctx.policy.points);
                Ok(vec![Event::Allocated(Allocated {
                    year: state.year,
                    cadre_id: cadre_id.clone(),
                    cadre_name: cadre.name.clone(),
                    unit_id: cadre.unit_id.clone(),
                    rank: cadre.rank,
                    field: *field,
                    points: breakdown.total,
                    breakdown,
                    used: state.used() + 1,
                    size: state.size,
                    allocated_on: ctx.effective,
                })])
            }
            Command::Revoke {
                key,
                cadre_id,
                reason,
            } => {
                if !state.open {
                    return Err(DomainError::not_found(
                        "QUOTA_NOT_OPEN",
                        format!("{key} 年度一线职级数尚未设立"),
                    ));
                }
                if !state.allocations.contains_key(cadre_id) {
                    return Err(DomainError::not_found(
                        "QUOTA_ALLOCATION_NOT_FOUND",
                        format!("干部 {cadre_id} 未获得 {} 年度一线职级数", state.year),
                    ));
                }
                if reason.trim().is_empty() {
                    return Err(DomainError::invalid(
                        "QUOTA_REVOKE_REASON_REQUIRED",
                        "撤销理由不能为空",
                    ));
                }
                Ok(vec![Event::Revoked(Revoked {
                    year: state.year,
                    cadre_id: cadre_id.clone(),
                    reason: reason.trim().to_owned(),
                    used: state.used() - 1,
                    size: state.size,
                    revoked_on: ctx.effective,
                })])
            }
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::Opened(e) => {
                state.open = true;
                state.year = e.year;
                state.size = e.size;
            }
            Event::Allocated(e) => {
                state.allocations.insert(e.cadre_id.clone(), e.points);
            }
            Event::Revoked(e) => {
                state.allocations.remove(&e.cadre_id);
                state.revoked.push(e.cadre_id.clone());
            }
        }
    }
}
