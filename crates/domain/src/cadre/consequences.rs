//! The consequences of a 不称职 year carried out by procedure: the pending rank lowering (done only on a decision's 文号) and the dismissal case (辞退: opened by a grade or by decision, decided with a document, or not dismissed with reasons, then closed).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{DismissalCaseOpened, Event, RankLowered, Removed, State, required};
use crate::{
    codes::{RemovalManner, RemovalReason},
    error::DomainError,
    types::Rank,
};

/// The body that decides a dismissal (辞退) and a rank lowering.
const DECIDING_BODY: &str = "区委组织部";

/// 不称职: the rank is to be lowered one step (“按照规定程序降低一个职务或者职级层次”), pending
/// the decision that carries it out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankLoweringPending {
    pub cadre_id: String,
    /// The assessment year whose 不称职 grade requires it.
    pub year: i32,
    pub from: Rank,
    pub to: Rank,
    pub raised_on: NaiveDate,
}

/// A dismissal case (辞退) decided: dismissed on a document, ending every post and the
/// cadre's service, or not dismissed, with the reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DismissalDecided {
    pub cadre_id: String,
    pub case_id: String,
    pub dismissed: bool,
    pub decided_on: NaiveDate,
    pub document_number: Option<String>,
    pub reasons: String,
}

/// A dismissal case closed (after its decision).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DismissalCaseClosed {
    pub cadre_id: String,
    pub case_id: String,
    pub closed_on: NaiveDate,
    pub note: String,
}

/// A dismissal case as the cadre's record holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DismissalCase {
    pub case_id: String,
    pub opened_on: NaiveDate,
    pub reason: String,
    /// Dismissed or not, and when.
    pub decided: Option<(bool, NaiveDate)>,
    pub closed_on: Option<NaiveDate>,
}

fn document<'a>(document_number: Option<&'a str>, what: &str) -> Result<&'a str, DomainError> {
    document_number
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .ok_or_else(|| {
            DomainError::invalid(
                "DOCUMENT_NUMBER_REQUIRED",
                format!("{what}须依据决定文件办理, 请写明文号"),
            )
        })
}

/// 降低职级: carried out only on a decision's 文号, one level below the rank held now, whether it is
/// the pending consequence of a 不称职 year (the oldest pending, which it then settles) or a
/// decision of its own.
pub(super) fn lower_rank(
    state: &State,
    on: NaiveDate,
    reason: &str,
    document_number: Option<&str>,
) -> Result<Vec<Event>, DomainError> {
    let document = document(document_number, "降低职级")?;
    let (from, to) = state
        .rank
        .and_then(|r| r.previous().map(|p| (r, p)))
        .ok_or_else(|| {
            DomainError::refused(
                "RANK_LOWEST",
                format!(
                    "{}（{}）现职级为{}, 无法再降低",
                    state.name,
                    state.cadre_id,
                    state.rank.map_or("无", |r| r.zh())
                ),
            )
        })?;
    // The oldest pending lowering is the one this decision carries out.
    let reason = match state.pending_rank_lowerings.first() {
        Some(p) if reason.trim().is_empty() => {
            format!("{} 年度考核不称职, 降低一个职级层次", p.year)
        }
        _ => reason.trim().to_owned(),
    };
    if reason.is_empty() {
        return Err(DomainError::invalid(
            "RANK_LOWER_REASON_REQUIRED",
            "降级理由不能为空",
        ));
    }
    Ok(vec![Event::RankLowered(RankLowered {
        cadre_id: state.cadre_id.clone(),
        from,
        to,
        effective_on: on,
        reason,
        document_number: Some(document.to_owned()),
    })])
}

/// Open a dismissal case by decision (a 不称职 grade opens one of its own): one case at a time.
pub(super) fn open(
    state: &State,
    case_id: &str,
    reason: &str,
    on: NaiveDate,
) -> Result<Vec<Event>, DomainError> {
    required(case_id, "CASE_ID_REQUIRED", "案件编号")?;
    required(reason, "DISMISSAL_REASON_REQUIRED", "辞退事由")?;
    if let Some(open) = &state.dismissal_case {
        return Err(DomainError::refused(
            "DISMISSAL_CASE_OPEN",
            format!("{}（{}）已有辞退案件 {open}", state.name, state.cadre_id),
        ));
    }
    Ok(vec![Event::DismissalCaseOpened(DismissalCaseOpened {
        cadre_id: state.cadre_id.clone(),
        case_id: case_id.to_owned(),
        reason: reason.trim().to_owned(),
        opened_on: on,
        grounds_years: vec![],
    })])
}

/// The open case named `case_id`, or the refusal naming what is there.
fn case<'a>(state: &'a State, case_id: &str) -> Result<&'a DismissalCase, DomainError> {
    state
        .dismissal
        .as_ref()
        .filter(|c| c.case_id == case_id && c.closed_on.is_none())
        .ok_or_else(|| {
            DomainError::refused(
                "DISMISSAL_CASE_NOT_OPEN",
                format!(
                    "{}（{}）没有未结的辞退案件 {case_id}{}",
                    state.name,
                    state.cadre_id,
                    state
                        .dismissal
                        .as_ref()
                        .filter(|c| c.closed_on.is_none())
                        .map_or(String::new(), |c| format!(" (未结案件为 {})", c.case_id))
                ),
            )
        })
}

/// Decide a dismissal case: 辞退 (on a document: every post ends that day, and the cadre's
/// service with them) or not dismissed (with the reasons).
pub(super) fn decide(
    state: &State,
    case_id: &str,
    dismissed: bool,
    document_number: Option<&str>,
    reasons: &str,
    on: NaiveDate,
) -> Result<Vec<Event>, DomainError> {
    let case = case(state, case_id)?;
    if let Some((was, when)) = case.decided {
        return Err(DomainError::refused(
            "DISMISSAL_ALREADY_DECIDED",
            format!(
                "辞退案件 {case_id} 已于 {when} 决定（{}）, 不能重复决定",
                if was { "辞退" } else { "不予辞退" }
            ),
        ));
    }
    if on < case.opened_on {
        return Err(DomainError::invalid(
            "DISMISSAL_DECIDED_BEFORE_OPENED",
            format!("决定日期 {on} 早于立案日期 {}", case.opened_on),
        ));
    }
    let reasons = reasons.trim();
    let document = if dismissed {
        Some(document(document_number, "辞退")?.to_owned())
    } else {
        if reasons.is_empty() {
            return Err(DomainError::invalid(
                "DISMISSAL_REASONS_REQUIRED",
                format!("不予辞退须写明理由（案件 {case_id}）"),
            ));
        }
        document_number
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
    };
    let mut events: Vec<Event> = Vec::new();
    if dismissed {
        let doc = document.clone().unwrap_or_default();
        if let Some(h) = state.posts.iter().find(|h| on < h.since) {
            return Err(DomainError::invalid(
                "REMOVAL_BEFORE_APPOINTMENT",
                format!("辞退日期 {on} 早于「{}」的任职日期 {}", h.title, h.since),
            ));
        }
        events.extend(state.posts.iter().map(|h| {
            Event::Removed(Removed {
                cadre_id: state.cadre_id.clone(),
                unit_id: h.unit_id.clone(),
                post_id: h.post_id.clone(),
                post_title: h.title.clone(),
                manner: RemovalManner::Removal,
                reason: RemovalReason::Other,
                approved_by: DECIDING_BODY.to_owned(),
                decided_on: on,
                effective_on: on,
                document_number: doc.clone(),
                held_since: h.since,
            })
        }));
    }
    events.push(Event::DismissalDecided(DismissalDecided {
        cadre_id: state.cadre_id.clone(),
        case_id: case_id.to_owned(),
        dismissed,
        decided_on: on,
        document_number: document,
        reasons: reasons.to_owned(),
    }));
    Ok(events)
}

/// Close a decided dismissal case.
pub(super) fn close(
    state: &State,
    case_id: &str,
    note: &str,
    on: NaiveDate,
) -> Result<Vec<Event>, DomainError> {
    let case = case(state, case_id)?;
    let Some((_, decided_on)) = case.decided else {
        return Err(DomainError::refused(
            "DISMISSAL_NOT_DECIDED",
            format!("辞退案件 {case_id} 尚未作出决定, 不能结案"),
        ));
    };
    if on < decided_on {
        return Err(DomainError::invalid(
            "DISMISSAL_CLOSED_BEFORE_DECIDED",
            format!("结案日期 {on} 早于决定日期 {decided_on}"),
        ));
    }
    Ok(vec![Event::DismissalCaseClosed(DismissalCaseClosed {
        cadre_id: state.cadre_id.clone(),
        case_id: case_id.to_owned(),
        closed_on: on,
        note: note.trim().to_owned(),
    })])
}
