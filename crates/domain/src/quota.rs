//! Stream kind `quota` (`quota-<year>`): the year's front-line promotion quota (一线职级数), its points ranking, allocations in ranking order, revocations; never exceeded.
//!
//! The ranking lives on the quota stream itself: `Rank` computes every named candidate's points
//! with the domain's own [`points::ranking`] (the computation every profile and dashboard shows)
//! and records the list with each cadre's place and whether they are eligible for promotion
//! now. An allocation names the cadre's place and is checked against that recorded list in the
//! same stream, so the check and the append are one optimistic-concurrency write: an eligible
//! cadre ranked higher must already hold a place (or have had it revoked, or have been passed
//! over before) unless the allocation records why 组织部 passes them over.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    aggregate, cadre,
    context::{Context, ORG},
    error::DomainError,
    points::{self, Points},
    promotion,
    types::{FrontLineField, Rank},
};

/// One line of the year's points ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankEntry {
    /// 1-based place; equal totals share a place.
    pub place: u32,
    pub cadre_id: String,
    pub cadre_name: String,
    pub unit_id: String,
    pub field: FrontLineField,
    pub points: f64,
    /// No promotion rule but the 公示 (which follows the allocation) blocks the cadre's next rank.
    pub eligible: bool,
    /// Why not eligible (the first rule in the way), in Chinese.
    pub blocked_by: Option<String>,
}

/// The year's points ranking published (replaces an earlier one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub year: i32,
    pub ranked_on: NaiveDate,
    pub entries: Vec<RankEntry>,
}

/// A higher-ranked eligible cadre passed over by an allocation, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassedOver {
    pub cadre_id: String,
    pub cadre_name: String,
    pub place: u32,
}

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
    /// The cadre's place in the year's ranking (absent in allocations recorded before rankings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<u32>,
    /// Eligible cadres ranked higher, neither allocated nor considered before, passed over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passed_over: Vec<PassedOver>,
    /// Why they were passed over (required when any is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
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
        Ranked(Ranked) = "quota.Ranked" @ 1,
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
    /// Current allocations: cadre id → the date the place was allocated.
    pub allocated_on: BTreeMap<String, NaiveDate>,
    /// Cadres whose allocation was revoked this year.
    pub revoked: Vec<String>,
    /// The ranking in force (the last published), best first.
    pub ranking: Vec<RankEntry>,
    /// The date the ranking in force was computed.
    pub ranked_on: Option<NaiveDate>,
    /// Cadres passed over by an allocation → its reason.
    pub passed_over: BTreeMap<String, String>,
}

impl State {
    pub fn used(&self) -> u32 {
        self.allocations.len() as u32
    }

    /// Has the cadre been considered for a place: allocated, revoked, or passed over with a reason.
    pub fn considered(&self, cadre_id: &str) -> bool {
        self.allocations.contains_key(cadre_id)
            || self.revoked.iter().any(|c| c == cadre_id)
            || self.passed_over.contains_key(cadre_id)
    }

    /// The eligible cadres ranked above `place` not yet considered (the ones an allocation at
    /// `place` would pass over), best first.
    pub fn unconsidered_above(&self, place: u32, cadre_id: &str) -> Vec<&RankEntry> {
        self.ranking
            .iter()
            .filter(|e| e.place < place && e.eligible && e.cadre_id != cadre_id)
            .filter(|e| !self.considered(&e.cadre_id))
            .collect()
    }
}

/// A candidate named for the ranking, with the front-line field they work in.
#[derive(Debug, Clone, PartialEq)]
pub struct RankCandidate {
    pub cadre_id: String,
    pub field: FrontLineField,
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
    /// Publish the year's points ranking of the named front-line candidates (replaces the last).
    Rank {
        key: String,
        candidates: Vec<RankCandidate>,
    },
    /// Allocate a place to the cadre at `place` of the ranking; eligible cadres ranked higher
    /// and not yet considered are passed over only with `skip_reason`.
    Allocate {
        key: String,
        cadre_id: String,
        field: FrontLineField,
        place: u32,
        skip_reason: Option<String>,
    },
    Revoke {
        key: String,
        cadre_id: String,
        reason: String,
    },
}

/// The allocated cadre's folded stream, or the ranked candidates' (points are computed here),
/// loaded by the application.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub cadre: Option<cadre::State>,
    /// For `Rank`: the registered candidates' folded streams (unknown ones left out).
    pub candidates: Vec<cadre::State>,
}

/// A year's quota as a promotion citing it sees it (loaded from `quota-<year>` by the application).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllocationFact {
    pub year: i32,
    pub open: bool,
    /// The promoted cadre holds a place of that year.
    pub allocated: bool,
    /// The date the place was allocated (a promotion cannot draw on it before then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocated_on: Option<NaiveDate>,
}

impl AllocationFact {
    /// The fact for `cadre_id` from the year's folded quota stream.
    pub fn of(state: &State, year: i32, cadre_id: &str) -> Self {
        AllocationFact {
            year,
            open: state.open,
            allocated: state.allocations.contains_key(cadre_id),
            allocated_on: state.allocated_on.get(cadre_id).copied(),
        }
    }
}

/// A promotion citing the front-line quota of `year` (`PromoteRank.quota_year`) on `on` needs a
/// place of that year's quota allocated to the cadre on or before `on`.
pub fn check_promotion(
    cadre: &cadre::State,
    year: i32,
    on: NaiveDate,
    fact: Option<&AllocationFact>,
) -> Result<(), DomainError> {
    let who = named(&cadre.name, &cadre.cadre_id);
    match fact.filter(|f| f.year == year) {
        Some(AllocationFact {
            open: true,
            allocated: true,
            allocated_on: Some(allocated_on),
            ..
        }) if on < *allocated_on => Err(DomainError::refused(
            "PROMOTION_BEFORE_QUOTA_ALLOCATION",
            format!(
                "晋升职级被拒绝: {who} 的 {year} 年度一线职级数于 {allocated_on} 分配, 晋升日期 {on} 在分配之前, 不能使用"
            ),
        )),
        Some(f) if f.open && f.allocated => Ok(()),
        Some(f) if f.open => Err(DomainError::refused(
            "PROMOTION_QUOTA_NOT_ALLOCATED",
            format!(
                "晋升职级被拒绝: 使用 {year} 年度一线职级数须先分配, {who} 未获分配 {year} 年度一线职级数"
            ),
        )),
        _ => Err(DomainError::refused(
            "PROMOTION_QUOTA_NOT_OPEN",
            format!("晋升职级被拒绝: {year} 年度一线职级数尚未设立, {who} 不能使用"),
        )),
    }
}

/// 名（id）.
fn named(name: &str, id: &str) -> String {
    format!("{name}（{id}）")
}

/// Is the cadre eligible for their next rank on `on` apart from the 公示: `None` when so, else
/// the first rule in the way.
fn blocked_by(state: &cadre::State, on: NaiveDate, policy: &crate::Policy) -> Option<String> {
    let step = policy.promotion.ladder.iter().find(|s| {
        state.rank == Some(s.from)
            || (s.equivalent.is_some() && state.leadership_level == s.equivalent)
    });
    let Some(step) = step else {
        return Some("职级序列中没有可晋升的上一职级".to_owned());
    };
    match promotion::obstacles(state, step.to, on, policy) {
        Err(e) => Some(e.message().to_owned()),
        Ok((_, obstacles)) => obstacles
            .into_iter()
            .find(|o| o.code != "PROMOTION_PUBLIC_NOTICE")
            .map(|o| o.message),
    }
}

fn not_open(key: &str) -> DomainError {
    DomainError::not_found("QUOTA_NOT_OPEN", format!("{key} 年度一线职级数尚未设立"))
}

fn rank(
    state: &State,
    key: &str,
    candidates: &[RankCandidate],
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    if !state.open {
        return Err(not_open(key));
    }
    if candidates.is_empty() {
        return Err(DomainError::invalid(
            "QUOTA_RANKING_EMPTY",
            format!("{} 年度积分排名须列出至少一名一线干部", state.year),
        ));
    }
    let mut seen = BTreeSet::new();
    let mut rows = Vec::with_capacity(candidates.len());
    for c in candidates {
        if !seen.insert(c.cadre_id.as_str()) {
            return Err(DomainError::invalid(
                "QUOTA_RANKING_DUPLICATE",
                format!("积分排名中干部「{}」重复列出", c.cadre_id),
            ));
        }
        let state = facts
            .candidates
            .iter()
            .find(|s| s.registered && s.cadre_id == c.cadre_id)
            .ok_or_else(|| {
                DomainError::not_found(
                    "CADRE_NOT_FOUND",
                    format!("积分排名被拒绝: 干部「{}」尚未登记", c.cadre_id),
                )
            })?;
        rows.push((state, Some(c.field)));
    }
    let ranked = points::ranking(rows.iter().copied(), ctx.effective, &ctx.policy.points);
    let entries = ranked
        .into_iter()
        .filter_map(|r| {
            let (s, field) = rows.iter().find(|(s, _)| s.cadre_id == r.cadre_id)?;
            let blocked_by = blocked_by(s, ctx.effective, ctx.policy);
            Some(RankEntry {
                place: r.place,
                cadre_id: r.cadre_id,
                cadre_name: r.name,
                unit_id: s.unit_id.clone(),
                field: (*field)?,
                points: r.points.total,
                eligible: blocked_by.is_none(),
                blocked_by,
            })
        })
        .collect();
    Ok(vec![Event::Ranked(Ranked {
        year: state.year,
        ranked_on: ctx.effective,
        entries,
    })])
}

/// The ranking checks of an allocation: the cadre's place as named, the field as ranked, and
/// every eligible cadre ranked higher considered or passed over with a reason.
fn ranking_check(
    state: &State,
    cadre: &cadre::State,
    field: FrontLineField,
    place: u32,
    skip_reason: Option<&str>,
) -> Result<(Vec<PassedOver>, Option<String>), DomainError> {
    let who = named(&cadre.name, &cadre.cadre_id);
    let year = state.year;
    if state.ranking.is_empty() {
        return Err(DomainError::refused(
            "QUOTA_RANKING_MISSING",
            format!("分配一线职级数被拒绝: {year} 年度积分排名尚未公布, 须按积分排名分配"),
        ));
    }
    let entry = state
        .ranking
        .iter()
        .find(|e| e.cadre_id == cadre.cadre_id)
        .ok_or_else(|| {
            DomainError::refused(
                "QUOTA_NOT_RANKED",
                format!("分配一线职级数被拒绝: {who} 不在 {year} 年度积分排名中"),
            )
        })?;
    if entry.place != place {
        return Err(DomainError::refused(
            "QUOTA_PLACE_MISMATCH",
            format!(
                "分配一线职级数被拒绝: {who} 在 {year} 年度积分排名中位列第 {} 名 ({} 分), 不是第 {place} 名",
                entry.place, entry.points
            ),
        ));
    }
    if entry.field != field {
        return Err(DomainError::refused(
            "QUOTA_FIELD_MISMATCH",
            format!(
                "分配一线职级数被拒绝: {who} 按{}领域参加 {year} 年度积分排名, 不是{}领域",
                entry.field.zh(),
                field.zh()
            ),
        ));
    }
    let reason = skip_reason.map(str::trim).filter(|r| !r.is_empty());
    let passed: Vec<PassedOver> = state
        .unconsidered_above(place, &cadre.cadre_id)
        .into_iter()
        .map(|e| PassedOver {
            cadre_id: e.cadre_id.clone(),
            cadre_name: e.cadre_name.clone(),
            place: e.place,
        })
        .collect();
    if !passed.is_empty() && reason.is_none() {
        let list: Vec<String> = passed
            .iter()
            .map(|p| format!("{} 第 {} 名", named(&p.cadre_name, &p.cadre_id), p.place))
            .collect();
        return Err(DomainError::refused(
            "QUOTA_RANKING_PASSED_OVER",
            format!(
                "分配一线职级数被拒绝: {who} 位列 {year} 年度积分排名第 {place} 名, 排名在前且符合晋升条件的 {} 尚未分配; 跳过须说明理由",
                list.join("、")
            ),
        ));
    }
    let reason = if passed.is_empty() {
        None
    } else {
        reason.map(str::to_owned)
    };
    Ok((passed, reason))
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
            | Command::Rank { key, .. }
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
            Command::Rank { key, candidates } => rank(state, key, candidates, ctx, facts),
            Command::Allocate {
                key,
                cadre_id,
                field,
                place,
                skip_reason,
            } => {
                if !state.open {
                    return Err(not_open(key));
                }
                let cadre = facts
                    .cadre
                    .as_ref()
                    .filter(|c| c.registered && c.cadre_id == *cadre_id)
                    .ok_or_else(|| {
                        DomainError::not_found(
                            "CADRE_NOT_FOUND",
                            format!("干部「{cadre_id}」尚未登记"),
                        )
                    })?;
                if state.allocations.contains_key(cadre_id) {
                    return Err(DomainError::refused(
                        "QUOTA_DUPLICATE_ALLOCATION",
                        format!(
                            "{} 已获得 {} 年度一线职级数, 同一年度不能重复分配",
                            named(&cadre.name, &cadre.cadre_id),
                            state.year
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
                let (passed_over, skip_reason) =
                    ranking_check(state, cadre, *field, *place, skip_reason.as_deref())?;
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
                    place: Some(*place),
                    passed_over,
                    skip_reason,
                })])
            }
            Command::Revoke {
                key,
                cadre_id,
                reason,
            } => {
                if !state.open {
                    return Err(not_open(key));
                }
                if !state.allocations.contains_key(cadre_id) {
                    return Err(DomainError::not_found(
                        "QUOTA_ALLOCATION_NOT_FOUND",
                        format!("干部「{cadre_id}」未获得 {} 年度一线职级数", state.year),
                    ));
                }
                if reason.trim().is_empty() {
                    return Err(DomainError::invalid(
                        "QUOTA_REVOKE_REASON_REQUIRED",
                        "撤销理由不能为空",
                    ));
                }
                // A place a promotion has drawn on is spent: revoking it would free a place
                // for another promotion beyond the year's quota.
                if let Some(cadre) = facts.cadre.as_ref().filter(|c| c.cadre_id == *cadre_id)
                    && let Some((_, promoted_on)) = cadre
                        .quota_promotions
                        .iter()
                        .find(|(year, _)| *year == state.year)
                {
                    return Err(DomainError::refused(
                        "QUOTA_PLACE_USED",
                        format!(
                            "{} 已于 {promoted_on} 凭 {} 年度一线职级数晋升职级, 名额已使用, 不能撤销",
                            named(&cadre.name, &cadre.cadre_id),
                            state.year
                        ),
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
            Event::Ranked(e) => {
                state.ranking = e.entries.clone();
                state.ranked_on = Some(e.ranked_on);
            }
            Event::Allocated(e) => {
                state.allocations.insert(e.cadre_id.clone(), e.points);
                state
                    .allocated_on
                    .insert(e.cadre_id.clone(), e.allocated_on);
                let reason = e.skip_reason.clone().unwrap_or_default();
                for p in &e.passed_over {
                    state.passed_over.insert(p.cadre_id.clone(), reason.clone());
                }
            }
            Event::Revoked(e) => {
                state.allocations.remove(&e.cadre_id);
                state.allocated_on.remove(&e.cadre_id);
                state.revoked.push(e.cadre_id.clone());
            }
        }
    }
}
