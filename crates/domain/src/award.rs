//! Stream kind `award` (`award-<batch id>`): Steed Award (骏马奖) batches and the yearly three-good contest
//! (好班子、好班长、好班副), with revocation; [`cadre_commands`] gives the matching cadre-stream awards.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{
    aggregate, bounds, cadre,
    context::{Context, ORG},
    dates,
    error::DomainError,
    types::{AwardKind, ThreeGoodCategory},
};

/// One Steed Award awardee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Awardee {
    pub cadre_id: String,
    /// 事迹 (the citation).
    pub citation: String,
}

/// One three-good winner: a unit's team, or a head / deputy (a cadre) of a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreeGoodWinner {
    pub category: ThreeGoodCategory,
    pub unit_id: String,
    /// The cadre honoured (好班长, 好班副); `None` for a team (好班子).
    pub cadre_id: Option<String>,
    pub citation: String,
}

/// A Steed Award batch announced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SteedBatchAnnounced {
    pub batch_id: String,
    /// 第几批.
    pub ordinal: u32,
    pub year: i32,
    pub title: String,
    pub awardees: Vec<Awardee>,
    pub announced_on: NaiveDate,
    pub basis: Option<String>,
}

/// The three-good contest results of a year announced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreeGoodAnnounced {
    pub batch_id: String,
    pub year: i32,
    pub winners: Vec<ThreeGoodWinner>,
    pub announced_on: NaiveDate,
    pub basis: Option<String>,
}

/// One award of the batch withdrawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardRevoked {
    pub batch_id: String,
    /// The cadre (or, for a team, the unit) whose award is withdrawn.
    pub recipient: String,
    /// The recipient is a cadre (not a team).
    pub is_cadre: bool,
    pub reason: String,
    pub revoked_on: NaiveDate,
}

crate::event_set! {
    /// Events of an `award` stream.
    pub enum Event {
        SteedBatchAnnounced(SteedBatchAnnounced) = "award.SteedBatchAnnounced" @ 1,
        ThreeGoodAnnounced(ThreeGoodAnnounced) = "award.ThreeGoodAnnounced" @ 1,
        AwardRevoked(AwardRevoked) = "award.AwardRevoked" @ 1,
    }
}

/// Folded state of an `award` stream.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub announced: bool,
    pub batch_id: String,
    pub kind: Option<AwardKind>,
    pub year: i32,
    /// Recipients still holding the award: cadre ids (`true`) and, for teams, unit ids (`false`).
    pub recipients: BTreeMap<String, bool>,
    pub revoked: BTreeSet<String>,
}

/// Commands an `award` stream accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    AnnounceSteedBatch {
        batch_id: String,
        ordinal: u32,
        year: i32,
        title: String,
        awardees: Vec<Awardee>,
        basis: Option<String>,
    },
    AnnounceThreeGood {
        batch_id: String,
        year: i32,
        winners: Vec<ThreeGoodWinner>,
        basis: Option<String>,
    },
    Revoke {
        batch_id: String,
        recipient: String,
        reason: String,
    },
}

/// Which cadres and units exist (loaded by the application).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub known_cadres: BTreeSet<String>,
    pub known_units: BTreeSet<String>,
    /// The named units' names (单位名), for the refusals.
    pub unit_names: BTreeMap<String, String>,
    /// The named cadres' records: a 好班长 / 好班副 is checked against the posts held. A cadre
    /// known without a record here is not checked (the facts do not allow it).
    pub cadres: BTreeMap<String, cadre::State>,
    /// Steed Award ordinals already announced: (year, ordinal) → the batch id.
    pub steed_ordinals: BTreeMap<(i32, u32), String>,
}

/// The award kinds only a batch grants: 骏马奖 (`announceSteedBatch`) and 三好
/// (`announceThreeGood`). Their cadre-stream award carries the batch's id and `source`
/// `award-<batch id>` ([`cadre_commands`]).
pub fn batch_command(kind: AwardKind) -> Option<&'static str> {
    match kind {
        AwardKind::Steed => Some("announceSteedBatch（公布骏马奖批次）"),
        AwardKind::ThreeGood => Some("announceThreeGood（公布三好评选结果）"),
        _ => None,
    }
}

/// A single award (`grantAward`) of a kind only a batch grants is refused
/// (`AWARD_KIND_BY_BATCH_ONLY`, naming the batch command): it would count the award's points
/// without the batch, which the awards dashboard counts.
pub fn check_single_grant(kind: AwardKind) -> Result<(), DomainError> {
    match batch_command(kind) {
        None => Ok(()),
        Some(command) => Err(DomainError::refused(
            "AWARD_KIND_BY_BATCH_ONLY",
            format!(
                "{}只能随批次授予, 不能单独登记: 请用 {command} 公布, 获奖者的奖励随批次记入档案",
                kind.zh()
            ),
        )),
    }
}

/// Whether a cadre-stream award of `kind` comes from its batch: the award id is the batch id and
/// the source `award-<batch id>`, as [`cadre_commands`] writes them.
pub fn is_from_batch(award_id: &str, source: Option<&str>) -> bool {
    source.and_then(|s| s.strip_prefix("award-")) == Some(award_id)
}

/// The batch id of a year's three-good contest (one contest a year): `three-good-<year>`.
pub fn three_good_batch_id(year: i32) -> String {
    format!("three-good-{year}")
}

/// The `award` aggregate.
pub struct Aggregate;

fn check_new(
    state: &State,
    batch_id: &str,
    year: i32,
    ctx: &Context<'_>,
) -> Result<NaiveDate, DomainError> {
    if state.announced {
        return Err(DomainError::refused(
            "AWARD_BATCH_EXISTS",
            format!("奖励批次 {batch_id} 已公布"),
        ));
    }
    if batch_id.trim().is_empty() {
        return Err(DomainError::invalid(
            "AWARD_BATCH_ID_REQUIRED",
            "奖励批次编号不能为空",
        ));
    }
    if ctx.effective > ctx.today {
        return Err(DomainError::invalid(
            "DATE_IN_FUTURE",
            format!("公布日期 {} 晚于今天 {}", ctx.effective, ctx.today),
        ));
    }
    bounds::record_date("公布日期", ctx.effective)?;
    // A batch honours the year it is announced in, or the year before (results of a year
    // announced early in the next one).
    let on_year = ctx.effective.year();
    if year > on_year || year < on_year - 1 {
        return Err(DomainError::invalid(
            "AWARD_YEAR_INVALID",
            format!(
                "奖励年度 {year} 无效: 公布日期为 {}, 评选年度应为 {} 或 {on_year} 年",
                ctx.effective,
                on_year - 1
            ),
        ));
    }
    Ok(ctx.effective)
}

/// A 好班长 must have headed the unit, a 好班副 been one of its leaders (a leadership post in
/// it), at some time in the contest year. The record knows the head and the level of the posts
/// held now; of a past post only the unit and dates, which then suffice.
fn check_unit_leader(
    facts: &Facts,
    w: &ThreeGoodWinner,
    cadre_id: &str,
    year: i32,
) -> Result<(), DomainError> {
    let Some(state) = facts.cadres.get(cadre_id) else {
        return Ok(());
    };
    let (start, end) = (dates::year_start(year), dates::year_end(year));
    let leader = w.category == ThreeGoodCategory::Leader;
    let now = state.posts.iter().any(|h| {
        h.unit_id == w.unit_id
            && h.since <= end
            && if leader {
                h.heads_unit
            } else {
                h.leadership_level.is_some()
            }
    });
    let past = state
        .past_posts
        .iter()
        .any(|p| p.unit_id == w.unit_id && p.from <= end && p.to >= start);
    if now || past {
        return Ok(());
    }
    let unit = facts
        .unit_names
        .get(&w.unit_id)
        .map_or_else(|| w.unit_id.clone(), |n| format!("{n}（{}）", w.unit_id));
    let held: Vec<String> = state
        .posts
        .iter()
        .map(|h| format!("{}（{}）{}", h.unit_name, h.unit_id, h.title))
        .collect();
    let held = if held.is_empty() {
        "无现任职务".to_owned()
    } else {
        format!("现任 {}", held.join("、"))
    };
    let role = if leader {
        "好班长须为该单位主要负责人"
    } else {
        "好班副须为该单位领导班子成员"
    };
    Err(DomainError::refused(
        "THREE_GOOD_NOT_UNIT_LEADER",
        format!(
            "{} {year} 年度未在{unit}担任{}, 不能评为{unit}的{}: {role} ({held})",
            state.who(),
            if leader {
                "主要负责人"
            } else {
                "领导职务"
            },
            w.category.zh(),
        ),
    ))
}

fn known_cadre(facts: &Facts, cadre_id: &str) -> Result<(), DomainError> {
    if facts.known_cadres.contains(cadre_id) {
        Ok(())
    } else {
        Err(DomainError::not_found(
            "CADRE_NOT_FOUND",
            format!("干部「{cadre_id}」尚未登记"),
        ))
    }
}

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "award";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Facts;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::AnnounceSteedBatch { batch_id, .. }
            | Command::AnnounceThreeGood { batch_id, .. }
            | Command::Revoke { batch_id, .. } => batch_id,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        facts: &Facts,
    ) -> Result<Vec<Event>, DomainError> {
        ctx.require_role(ORG, "办理奖励评选")?;
        match command {
            Command::AnnounceSteedBatch {
                batch_id,
                ordinal,
                year,
                title,
                awardees,
                basis,
            } => {
                let on = check_new(state, batch_id, *year, ctx)?;
                if *ordinal == 0 {
                    return Err(DomainError::invalid(
                        "AWARD_ORDINAL_INVALID",
                        format!("骏马奖批次 {batch_id} 的批次序号 (第几批) 为 0: 序号从 1 起"),
                    ));
                }
                if let Some(other) = facts.steed_ordinals.get(&(*year, *ordinal)) {
                    return Err(DomainError::refused(
                        "AWARD_ORDINAL_USED",
                        format!(
                            "{year} 年度第 {ordinal} 批骏马奖已由批次 {other} 公布, 批次 {batch_id} 不能再用这一序号"
                        ),
                    ));
                }
                if title.trim().is_empty() {
                    return Err(DomainError::invalid(
                        "AWARD_TITLE_REQUIRED",
                        "奖励名称不能为空",
                    ));
                }
                if awardees.is_empty() {
                    return Err(DomainError::invalid(
                        "AWARD_NO_AWARDEES",
                        "骏马奖批次至少须有 1 名获奖者",
                    ));
                }
                let mut seen = BTreeSet::new();
                for a in awardees {
                    if !seen.insert(a.cadre_id.as_str()) {
                        return Err(DomainError::invalid(
                            "AWARD_DUPLICATE_AWARDEE",
                            format!("干部「{}」在本批次中出现两次", a.cadre_id),
                        ));
                    }
                    known_cadre(facts, &a.cadre_id)?;
                    if a.citation.trim().is_empty() {
                        return Err(DomainError::invalid(
                            "AWARD_CITATION_REQUIRED",
                            format!("干部「{}」的获奖事迹不能为空", a.cadre_id),
                        ));
                    }
                }
                Ok(vec![Event::SteedBatchAnnounced(SteedBatchAnnounced {
                    batch_id: batch_id.clone(),
                    ordinal: *ordinal,
                    year: *year,
                    title: title.trim().to_owned(),
                    awardees: awardees.clone(),
                    announced_on: on,
                    basis: basis.clone(),
                })])
            }
            Command::AnnounceThreeGood {
                batch_id,
                year,
                winners,
                basis,
            } => {
                let on = check_new(state, batch_id, *year, ctx)?;
                if *batch_id != three_good_batch_id(*year) {
                    return Err(DomainError::invalid(
                        "AWARD_BATCH_ID_MISMATCH",
                        format!(
                            "三好评选每年一次, 批次编号应为 {}, 实为 {batch_id}",
                            three_good_batch_id(*year)
                        ),
                    ));
                }
                if winners.is_empty() {
                    return Err(DomainError::invalid(
                        "AWARD_NO_AWARDEES",
                        "三好评选至少须有 1 名获奖者",
                    ));
                }
                let mut seen = BTreeSet::new();
                for w in winners {
                    if !facts.known_units.contains(&w.unit_id) {
                        return Err(DomainError::not_found(
                            "UNIT_NOT_FOUND",
                            format!("单位 {} 尚未登记", w.unit_id),
                        ));
                    }
                    let recipient = match (w.category, &w.cadre_id) {
                        (ThreeGoodCategory::Team, None) => w.unit_id.clone(),
                        (ThreeGoodCategory::Leader | ThreeGoodCategory::Deputy, Some(c)) => {
                            known_cadre(facts, c)?;
                            check_unit_leader(facts, w, c, *year)?;
                            c.clone()
                        }
                        (category, _) => {
                            return Err(DomainError::invalid(
                                "THREE_GOOD_RECIPIENT",
                                format!(
                                    "{}评选对象不正确: 好班子评单位, 好班长、好班副评个人",
                                    category.zh()
                                ),
                            ));
                        }
                    };
                    if !seen.insert(recipient.clone()) {
                        return Err(DomainError::invalid(
                            "AWARD_DUPLICATE_AWARDEE",
                            format!("{recipient} 在本次评选中出现两次"),
                        ));
                    }
                }
                Ok(vec![Event::ThreeGoodAnnounced(ThreeGoodAnnounced {
                    batch_id: batch_id.clone(),
                    year: *year,
                    winners: winners.clone(),
                    announced_on: on,
                    basis: basis.clone(),
                })])
            }
            Command::Revoke {
                batch_id,
                recipient,
                reason,
            } => {
                if !state.announced {
                    return Err(DomainError::not_found(
                        "AWARD_BATCH_NOT_FOUND",
                        format!("奖励批次 {batch_id} 尚未公布"),
                    ));
                }
                let Some(is_cadre) = state.recipients.get(recipient).copied() else {
                    return Err(DomainError::not_found(
                        "AWARD_NOT_FOUND",
                        format!("{recipient} 不是奖励批次 {batch_id} 的获奖者 (或已撤销)"),
                    ));
                };
                if reason.trim().is_empty() {
                    return Err(DomainError::invalid(
                        "AWARD_REVOKE_REASON_REQUIRED",
                        "撤销理由不能为空",
                    ));
                }
                Ok(vec![Event::AwardRevoked(AwardRevoked {
                    batch_id: batch_id.clone(),
                    recipient: recipient.clone(),
                    is_cadre,
                    reason: reason.trim().to_owned(),
                    revoked_on: ctx.effective,
                })])
            }
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::SteedBatchAnnounced(e) => {
                state.announced = true;
                state.batch_id = e.batch_id.clone();
                state.kind = Some(AwardKind::Steed);
                state.year = e.year;
                state.recipients = e
                    .awardees
                    .iter()
                    .map(|a| (a.cadre_id.clone(), true))
                    .collect();
            }
            Event::ThreeGoodAnnounced(e) => {
                state.announced = true;
                state.batch_id = e.batch_id.clone();
                state.kind = Some(AwardKind::ThreeGood);
                state.year = e.year;
                state.recipients = e
                    .winners
                    .iter()
                    .map(|w| match &w.cadre_id {
                        Some(c) => (c.clone(), true),
                        None => (w.unit_id.clone(), false),
                    })
                    .collect();
            }
            Event::AwardRevoked(e) => {
                state.recipients.remove(&e.recipient);
                state.revoked.insert(e.recipient.clone());
            }
        }
    }
}

/// The cadre-stream commands that mirror an award event (to be decided and appended in the
/// same multi-stream write): `GrantAward` for each honoured cadre (teams have no cadre),
/// `RevokeAward` for a revoked cadre. The cadre's award id is the batch id.
pub fn cadre_commands(event: &Event) -> Vec<cadre::Command> {
    match event {
        Event::SteedBatchAnnounced(e) => e
            .awardees
            .iter()
            .map(|a| cadre::Command::GrantAward {
                cadre_id: a.cadre_id.clone(),
                award_id: e.batch_id.clone(),
                kind: AwardKind::Steed,
                title: format!("{} (第 {} 批)", e.title, e.ordinal),
                year: e.year,
                basis: e.basis.clone(),
                source: Some(format!("award-{}", e.batch_id)),
                evaluation_id: None,
            })
            .collect(),
        Event::ThreeGoodAnnounced(e) => e
            .winners
            .iter()
            .filter_map(|w| {
                w.cadre_id.as_ref().map(|c| cadre::Command::GrantAward {
                    cadre_id: c.clone(),
                    award_id: e.batch_id.clone(),
                    kind: AwardKind::ThreeGood,
                    title: format!("{} 年度{}", e.year, w.category.zh()),
                    year: e.year,
                    basis: e.basis.clone(),
                    source: Some(format!("award-{}", e.batch_id)),
                    evaluation_id: None,
                })
            })
            .collect(),
        Event::AwardRevoked(e) if e.is_cadre => vec![cadre::Command::RevokeAward {
            cadre_id: e.recipient.clone(),
            award_id: e.batch_id.clone(),
            reason: e.reason.clone(),
        }],
        Event::AwardRevoked(_) => vec![],
    }
}
