//! Stream kind `reserve` (`reserve-<cadre id>`, 年轻干部 / 后备干部库): a cadre's entry in the pool, yearly reviews, and the
//! status a selection case moves it through (in pool → under inspection → used, or removed).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
    context::{Context, ORG},
    error::DomainError,
    practice::{self, Cadres},
};

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 在库
    InPool,
    /// 考察中 (a selection case drew the cadre)
    UnderInspection,
    /// 已使用 (appointed by a case)
    Used,
    /// 已出库
    Removed,
}

impl Status {
    pub fn zh(self) -> &'static str {
        match self {
            Status::InPool => "在库",
            Status::UnderInspection => "考察中",
            Status::Used => "已使用",
            Status::Removed => "已出库",
        }
    }
}

/// How the cadre was nominated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nomination {
    /// 民主推荐
    DemocraticRecommendation,
    /// 组织推荐
    Organization,
    /// 调研发现
    Survey,
}

/// 入库.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nominated {
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub how: Nomination,
    pub nominated_by: String,
    pub nominated_on: NaiveDate,
}

/// 年度研判.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reviewed {
    pub cadre_id: String,
    pub year: i32,
    /// Stays in the pool.
    pub keep: bool,
    pub note: String,
    pub reviewed_on: NaiveDate,
}

/// The status changed (a selection case drew or used the cadre, or the entry was removed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChanged {
    pub cadre_id: String,
    pub from: Status,
    pub to: Status,
    /// The selection case, when a case moved it.
    pub case_id: Option<String>,
    pub reason: String,
    pub changed_on: NaiveDate,
}

crate::event_set! {
    /// Events of a `reserve` stream.
    pub enum Event {
        Nominated(Nominated) = "reserve.Nominated" @ 1,
        Reviewed(Reviewed) = "reserve.Reviewed" @ 1,
        StatusChanged(StatusChanged) = "reserve.StatusChanged" @ 1,
    }
}

/// Commands a `reserve` stream accepts.
#[derive(Debug, Clone)]
pub enum Command {
    Nominate {
        cadre_id: String,
        how: Nomination,
        nominated_by: String,
    },
    /// 年度研判 for the year of the effective date (once a year); `keep: false` removes the entry.
    Review {
        cadre_id: String,
        keep: bool,
        note: String,
    },
    Remove {
        cadre_id: String,
        reason: String,
    },
    /// A selection case drew the cadre (动议) or used them (任职), or released them (the case
    /// stopped for them or was cancelled).
    Mark {
        cadre_id: String,
        to: Status,
        case_id: String,
    },
}

/// Folded state.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub status: Option<Status>,
    /// The selection case that last moved the entry (the one it is under inspection for).
    pub case_id: Option<String>,
    pub nominated_on: Option<NaiveDate>,
    pub reviewed_years: Vec<i32>,
}

/// The `reserve` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "reserve";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Cadres;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Nominate { cadre_id, .. }
            | Command::Review { cadre_id, .. }
            | Command::Remove { cadre_id, .. }
            | Command::Mark { cadre_id, .. } => cadre_id,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        cadres: &Cadres,
    ) -> Result<Vec<Event>, DomainError> {
        ctx.require_role(ORG, "后备干部库")?;
        let on = ctx.effective;
        practice::not_future(on, ctx, "办理日期")?;
        match command {
            Command::Nominate {
                cadre_id,
                how,
                nominated_by,
            } => {
                if matches!(state.status, Some(s) if s != Status::Removed && s != Status::Used) {
                    return Err(practice::already_exists(
                        "RESERVE_EXISTS",
                        "后备干部",
                        cadre_id,
                    ));
                }
                practice::non_empty(nominated_by, "推荐单位")?;
                let cadre = cadres.get(cadre_id)?;
                Ok(vec![Event::Nominated(Nominated {
                    cadre_id: cadre_id.clone(),
                    unit_id: cadre.unit_id.clone(),
                    how: *how,
                    nominated_by: nominated_by.trim().to_owned(),
                    nominated_on: on,
                })])
            }
            Command::Review {
                cadre_id,
                keep,
                note,
            } => {
                let status = in_pool(state, cadre_id)?;
                if state.reviewed_years.contains(&on.year()) {
                    return Err(DomainError::refused(
                        "RESERVE_ALREADY_REVIEWED",
                        format!("后备干部「{cadre_id}」{} 年度已研判", on.year()),
                    ));
                }
                let mut out = vec![Event::Reviewed(Reviewed {
                    cadre_id: cadre_id.clone(),
                    year: on.year(),
                    keep: *keep,
                    note: note.trim().to_owned(),
                    reviewed_on: on,
                })];
                if !keep {
                    out.push(change(
                        cadre_id,
                        status,
                        Status::Removed,
                        None,
                        "年度研判不再保留",
                        on,
                    ));
                }
                Ok(out)
            }
            Command::Remove { cadre_id, reason } => {
                let status = in_pool(state, cadre_id)?;
                practice::non_empty(reason, "出库理由")?;
                Ok(vec![change(
                    cadre_id,
                    status,
                    Status::Removed,
                    None,
                    reason.trim(),
                    on,
                )])
            }
            Command::Mark {
                cadre_id,
                to,
                case_id,
            } => {
                let status = in_pool(state, cadre_id)?;
                // An entry under inspection for a case is used or released by that case only.
                if let (Status::UnderInspection, Some(drawn_by)) = (status, &state.case_id)
                    && drawn_by != case_id
                {
                    return Err(DomainError::refused(
                        "RESERVE_OTHER_CASE",
                        format!(
                            "后备干部「{cadre_id}」正在选任案件「{drawn_by}」中考察, 选任案件「{case_id}」不能改变其状态"
                        ),
                    ));
                }
                let allowed = matches!(
                    (status, to),
                    (Status::InPool, Status::UnderInspection)
                        | (Status::UnderInspection, Status::Used | Status::InPool)
                );
                if !allowed {
                    return Err(DomainError::refused(
                        "RESERVE_STATUS_ORDER",
                        format!(
                            "后备干部「{cadre_id}」当前为「{}」, 不能改为「{}」",
                            status.zh(),
                            to.zh()
                        ),
                    ));
                }
                Ok(vec![change(
                    cadre_id,
                    status,
                    *to,
                    Some(case_id.clone()),
                    &format!("选任案件 {case_id}"),
                    on,
                )])
            }
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::Nominated(e) => {
                state.status = Some(Status::InPool);
                state.nominated_on = Some(e.nominated_on);
            }
            Event::Reviewed(e) => state.reviewed_years.push(e.year),
            Event::StatusChanged(e) => {
                state.status = Some(e.to);
                state.case_id = e.case_id.clone();
            }
        }
    }
}

/// The entry's status, unless it is not (or no longer) in the pool.
fn in_pool(state: &State, cadre_id: &str) -> Result<Status, DomainError> {
    match state.status {
        None => Err(practice::not_started(
            "RESERVE_NOT_FOUND",
            "后备干部",
            cadre_id,
        )),
        Some(s @ (Status::Removed | Status::Used)) => Err(DomainError::refused(
            "RESERVE_NOT_IN_POOL",
            format!("后备干部「{cadre_id}」{}, 已不在库中", s.zh()),
        )),
        Some(s) => Ok(s),
    }
}

fn change(
    cadre_id: &str,
    from: Status,
    to: Status,
    case_id: Option<String>,
    reason: &str,
    on: NaiveDate,
) -> Event {
    Event::StatusChanged(StatusChanged {
        cadre_id: cadre_id.to_owned(),
        from,
        to,
        case_id,
        reason: reason.to_owned(),
        changed_on: on,
    })
}
