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
        in_force(&self.versions, on)
    }
}

fn in_force(versions: &[QuotaPublished], on: NaiveDate) -> Option<&QuotaPublished> {
    versions
        .iter()
        .enumerate()
        .filter(|(_, v)| v.effective_from <= on)
        .max_by_key(|(i, v)| (v.effective_from, *i))
        .map(|(_, v)| v)
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
        self.check_at(tier, adding, exception, action, None, None)
    }

    /// [`QuotaFact::check`], the refusal naming the unit 单位名（id） when `unit_name` is given
    /// and the date the places were counted on when `on` is.
    pub fn check_at(
        &self,
        tier: Tier,
        adding: u32,
        exception: Option<&str>,
        action: &str,
        unit_name: Option<&str>,
        on: Option<NaiveDate>,
    ) -> Result<Option<String>, DomainError> {
        let (approved, filled) = (self.approved(tier), self.filled(tier));
        let unit = match unit_name {
            Some(name) => format!("{name}（{}）", self.unit_id),
            None => format!("单位 {}", self.unit_id),
        };
        let when = on.map_or(String::new(), |d| format!("于 {d} "));
        if filled.saturating_add(adding) <= approved {
            return Ok(None);
        }
        let exception = exception.map(str::trim).filter(|e| !e.is_empty());
        match exception {
            Some(approval) if self.exceptions_allowed => Ok(Some(approval.to_owned())),
            _ => Err(DomainError::refused(
                "POST_QUOTA_EXCEEDED",
                format!(
                    "{action}被拒绝: {unit}{when}核定{}职数 {approved} 名, 已配备 {filled} 名, 再配备 {adding} 名将超出职数 ({}){}",
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

/// A leadership post of a unit held by one cadre over `[from, to)` (`to`: `None` while held).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldSpell {
    pub cadre_id: String,
    pub post_id: String,
    pub tier: Tier,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl HeldSpell {
    /// Held on `on`.
    pub fn covers(&self, on: NaiveDate) -> bool {
        self.from <= on && self.to.is_none_or(|to| on < to)
    }
}

/// What a move dated before today is checked against on every date from its effective date to
/// today: the unit's open leadership posts held over time (from the holders' records: posts held
/// now and held before) and the unit's published quota versions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitHistory {
    pub spells: Vec<HeldSpell>,
    pub versions: Vec<QuotaPublished>,
}

impl UnitHistory {
    /// Another cadre's holding of `post_id` on some date on or after `on` (a spell still running,
    /// or one ending after `on`).
    pub fn other_holder(&self, post_id: &str, cadre_id: &str, on: NaiveDate) -> Option<&HeldSpell> {
        self.spells.iter().find(|s| {
            s.post_id == post_id && s.cadre_id != cadre_id && s.to.is_none_or(|to| to > on)
        })
    }

    /// The dates from `on` to `today` on which the filled places or the quota in force may have
    /// grown: `on` itself, each later start of a holding and each later quota version.
    pub fn dates_from(&self, on: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
        let mut dates: Vec<NaiveDate> = std::iter::once(on)
            .chain(self.spells.iter().map(|s| s.from))
            .chain(self.versions.iter().map(|v| v.effective_from))
            .filter(|d| on <= *d && *d <= today)
            .collect();
        dates.sort_unstable();
        dates.dedup();
        dates
    }

    /// The quota as it stood on `on`: the version in force then (none: not checked) with the
    /// places filled that day.
    pub fn quota_on(&self, unit_id: &str, on: NaiveDate) -> Option<QuotaFact> {
        let v = in_force(&self.versions, on)?;
        let filled = |tier| {
            self.spells
                .iter()
                .filter(|s| s.tier == tier && s.covers(on))
                .count() as u32
        };
        Some(QuotaFact {
            unit_id: unit_id.to_owned(),
            chiefs: v.chiefs,
            deputies: v.deputies,
            exceptions_allowed: v.exceptions_allowed,
            filled_chiefs: filled(Tier::Chief),
            filled_deputies: filled(Tier::Deputy),
            basis: v.basis.clone(),
        })
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
