//! Stream kind `staffing` (`staffing-<unit id>`): a unit's approved leadership posts (职数) by 正职/副职, published in dated versions like policy; the quota check every appointment runs.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
    context::{Context, ORG},
    error::DomainError,
    types::LeadershipLevel,
};

/// 正职 or 副职: the tier a quota counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// 正职
    Chief,
    /// 副职
    Deputy,
}

impl Tier {
    pub const ALL: [Tier; 2] = [Tier::Chief, Tier::Deputy];

    /// The tier of a leadership level.
    pub fn of(level: LeadershipLevel) -> Tier {
        match level {
            LeadershipLevel::TownshipChief | LeadershipLevel::CountyChief => Tier::Chief,
            LeadershipLevel::TownshipDeputy
            | LeadershipLevel::CountyDeputy
            | LeadershipLevel::BureauDeputy => Tier::Deputy,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Tier::Chief => "正职",
            Tier::Deputy => "副职",
        }
    }
}

/// 职数核定: one published version of a unit's quota.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaPublished {
    pub unit_id: String,
    /// 正职职数.
    pub chiefs: u32,
    /// 副职职数.
    pub deputies: u32,
    /// An appointment beyond the quota may be recorded as an exception with its approval.
    pub exceptions_allowed: bool,
    /// In force from this date.
    pub effective_from: NaiveDate,
    /// 文件依据 (e.g. the 三定 document).
    pub basis: String,
    pub published_on: NaiveDate,
}

crate::event_set! {
    /// Events of a `staffing` stream.
    pub enum Event {
        QuotaPublished(QuotaPublished) = "staffing.QuotaPublished" @ 1,
    }
}

/// Folded state: every published version, in publication order.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub versions: Vec<QuotaPublished>,
}

impl State {
    /// The version in force on `on` (the latest `effective_from` on or before it, the later
    /// publication when two share a date).
    pub fn in_force(&self, on: NaiveDate) -> Option<&QuotaPublished> {
        self.versions
            .iter()
            .enumerate()
            .filter(|(_, v)| v.effective_from <= on)
            .max_by_key(|(i, v)| (v.effective_from, *i))
            .map(|(_, v)| v)
    }
}

/// 职数核定 command: publish a unit's quota from the context's effective date.
#[derive(Debug, Clone)]
pub struct Publish {
    pub unit_id: String,
    pub chiefs: u32,
    pub deputies: u32,
    pub exceptions_allowed: bool,
    pub basis: String,
}

/// Commands a `staffing` stream accepts.
#[derive(Debug, Clone)]
pub enum Command {
    Publish(Publish),
}

/// Facts: whether the unit is registered.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub unit_registered: bool,
}

/// The quota in force for a unit and the leadership posts it has filled, as an appointment
/// decision reads them (filled counts come from the unit read model).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaFact {
    pub unit_id: String,
    pub chiefs: u32,
    pub deputies: u32,
    pub exceptions_allowed: bool,
    pub filled_chiefs: u32,
    pub filled_deputies: u32,
    pub basis: String,
}

impl QuotaFact {
    pub fn approved(&self, tier: Tier) -> u32 {
        match tier {
            Tier::Chief => self.chiefs,
            Tier::Deputy => self.deputies,
        }
    }

    pub fn filled(&self, tier: Tier) -> u32 {
        match tier {
            Tier::Chief => self.filled_chiefs,
            Tier::Deputy => self.filled_deputies,
        }
    }

    /// Filling `adding` more posts of `tier`: `Ok(None)` within the quota, `Ok(Some(approval))`
    /// beyond it as an exception the policy allows with its approval, else `POST_QUOTA_EXCEEDED`.
    pub fn check(
        &self,
        tier: Tier,
        adding: u32,
        exception: Option<&str>,
        action: &str,
    ) -> Result<Option<String>, DomainError> {
        let (approved, filled) = (self.approved(tier), self.filled(tier));
        if filled.saturating_add(adding) <= approved {
            return Ok(None);
        }
        let exception = exception.map(str::trim).filter(|e| !e.is_empty());
        match exception {
            Some(approval) if self.exceptions_allowed => Ok(Some(approval.to_owned())),
            _ => Err(DomainError::refused(
                "POST_QUOTA_EXCEEDED",
                format!(
                    "{action}被拒绝: 单位 {} 核定{}职数 {approved} 名, 已配备 {filled} 名, 再配备 {adding} 名将超出职数 ({}){}",
                    self.unit_id,
                    tier.zh(),
                    self.basis,
                    if self.exceptions_allowed {
                        "; 超职数配备须写明批准文件"
                    } else {
                        ""
                    }
                ),
            )),
        }
    }
}

/// The `staffing` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "staffing";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Facts;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Publish(c) => &c.unit_id,
        }
    }

    fn decide(
        _: &State,
        command: &Command,
        ctx: &Context<'_>,
        facts: &Facts,
    ) -> Result<Vec<Event>, DomainError> {
        let Command::Publish(c) = command;
        ctx.require_role(ORG, "核定职数")?;
        if !facts.unit_registered {
            return Err(DomainError::not_found(
                "UNIT_NOT_FOUND",
                format!("核定职数被拒绝: 单位「{}」不存在", c.unit_id),
            ));
        }
        if c.basis.trim().is_empty() {
            return Err(DomainError::invalid(
                "EMPTY_FIELD",
                "「职数核定的文件依据」不能为空",
            ));
        }
        if c.chiefs > 100 || c.deputies > 100 {
            return Err(DomainError::invalid(
                "POST_QUOTA_INVALID",
                format!(
                    "核定职数被拒绝: 正职 {} 名、副职 {} 名超出合理范围 (每级不超过 100 名)",
                    c.chiefs, c.deputies
                ),
            ));
        }
        Ok(vec![Event::QuotaPublished(QuotaPublished {
            unit_id: c.unit_id.clone(),
            chiefs: c.chiefs,
            deputies: c.deputies,
            exceptions_allowed: c.exceptions_allowed,
            effective_from: ctx.effective,
            basis: c.basis.trim().to_owned(),
            published_on: ctx.today,
        })])
    }

    fn evolve(state: &mut State, event: &Event) {
        let Event::QuotaPublished(e) = event;
        state.versions.push(e.clone());
    }
}
