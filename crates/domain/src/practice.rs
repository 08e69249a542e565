//! Shared pieces of the cultivation and supervision streams: cadre facts, role checks and input checks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    context::{Context, Role},
    error::DomainError,
};

/// A cadre as another stream knows it: the application loads it from the
/// cadre stream (registered, not removed) before deciding a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadreRef {
    pub cadre_id: String,
    /// The unit the cadre belongs to on the command's effective date.
    pub unit_id: Option<String>,
    /// A “down” review of the cadre that is neither executed nor closed (loaded when a
    /// review is being opened: one open review per cadre).
    #[serde(default)]
    pub open_down_review: Option<String>,
    /// The cadre's birth date (from the registration): no hours are credited before it.
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
}

impl CadreRef {
    pub fn new(cadre_id: impl Into<String>, unit_id: impl Into<String>) -> Self {
        CadreRef {
            cadre_id: cadre_id.into(),
            unit_id: Some(unit_id.into()),
            open_down_review: None,
            birth_date: None,
        }
    }

    /// The same cadre, born on `birth_date`.
    pub fn born(mut self, birth_date: NaiveDate) -> Self {
        self.birth_date = Some(birth_date);
        self
    }

    /// The same cadre, with a down review still open.
    pub fn with_open_down_review(mut self, review_id: impl Into<String>) -> Self {
        self.open_down_review = Some(review_id.into());
        self
    }

    /// From the folded state of stream `cadre-<id>`; `None` unless the cadre is registered.
    pub fn from_cadre(state: &crate::cadre::State) -> Option<CadreRef> {
        state.registered.then(|| CadreRef {
            cadre_id: state.cadre_id.clone(),
            unit_id: Some(state.unit_id.clone()).filter(|u| !u.is_empty()),
            open_down_review: None,
            birth_date: state.birth_date,
        })
    }
}

/// The cadres a command names, as loaded by the application. A cadre missing
/// here does not exist (or is no longer on the books).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cadres(pub Vec<CadreRef>);

impl Cadres {
    pub fn of(cadres: impl IntoIterator<Item = CadreRef>) -> Self {
        Cadres(cadres.into_iter().collect())
    }

    /// The cadre with this id, or `CADRE_NOT_FOUND`.
    pub fn get(&self, cadre_id: &str) -> Result<&CadreRef, DomainError> {
        self.0
            .iter()
            .find(|c| c.cadre_id == cadre_id)
            .ok_or_else(|| {
                DomainError::not_found(
                    "CADRE_NOT_FOUND",
                    format!("干部「{cadre_id}」不存在或已不在册"),
                )
            })
    }
}

/// `FORBIDDEN_ROLE` unless the actor has one of `allowed`.
pub(crate) fn require_role(
    ctx: &Context<'_>,
    allowed: &[Role],
    action: &str,
) -> Result<(), DomainError> {
    if allowed.contains(&ctx.actor.role) {
        return Ok(());
    }
    let names: Vec<&str> = allowed.iter().map(|r| r.zh()).collect();
    Err(DomainError::refused(
        "FORBIDDEN_ROLE",
        format!(
            "{action}被拒绝: 当前角色为「{}」, 只有{}可以办理",
            ctx.actor.role.zh(),
            names.join("、")
        ),
    ))
}

/// A cadre acting on their own behalf may only act for themselves (`FORBIDDEN_SCOPE`).
pub(crate) fn require_self_if_cadre(
    ctx: &Context<'_>,
    cadre_id: &str,
    action: &str,
) -> Result<(), DomainError> {
    if ctx.actor.role != Role::Cadre || ctx.actor.scope.as_deref() == Some(cadre_id) {
        return Ok(());
    }
    Err(DomainError::refused(
        "FORBIDDEN_SCOPE",
        format!(
            "{action}被拒绝: 干部本人只能为自己办理, 当前用户为「{}」, 事项涉及干部「{cadre_id}」",
            ctx.actor.scope.as_deref().unwrap_or(&ctx.actor.id)
        ),
    ))
}

/// A unit head acts only for their own unit (`FORBIDDEN_SCOPE`); other roles pass.
pub(crate) fn require_own_unit_if_head(
    ctx: &Context<'_>,
    unit_id: Option<&str>,
    action: &str,
) -> Result<(), DomainError> {
    if ctx.actor.role != Role::UnitHead
        || (unit_id.is_some() && ctx.actor.scope.as_deref() == unit_id)
    {
        return Ok(());
    }
    Err(DomainError::refused(
        "FORBIDDEN_SCOPE",
        format!(
            "{action}被拒绝: 单位负责人只能为本单位「{}」办理, 事项属于单位「{}」",
            ctx.actor.scope.as_deref().unwrap_or(""),
            unit_id.unwrap_or("未指定")
        ),
    ))
}

/// `EMPTY_FIELD` when `value` is blank.
pub(crate) fn non_empty(value: &str, field: &str) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::invalid(
            "EMPTY_FIELD",
            format!("「{field}」不能为空"),
        ));
    }
    Ok(())
}

/// `HOURS_NOT_POSITIVE` unless `hours` is a finite number above zero.
pub(crate) fn positive_hours(hours: f64, field: &str) -> Result<(), DomainError> {
    if !hours.is_finite() || hours <= 0.0 {
        return Err(DomainError::invalid(
            "HOURS_NOT_POSITIVE",
            format!("「{field}」必须大于 0 学时, 收到 {hours}"),
        ));
    }
    Ok(())
}

/// `DATE_IN_FUTURE` when `date` (a fact that already happened) is after the recording date.
pub(crate) fn not_future(
    date: NaiveDate,
    ctx: &Context<'_>,
    field: &str,
) -> Result<(), DomainError> {
    if date > ctx.today {
        return Err(DomainError::invalid(
            "DATE_IN_FUTURE",
            format!(
                "「{field}」{date} 晚于登记日期 {}, 已发生的事项不能记在将来",
                ctx.today
            ),
        ));
    }
    Ok(())
}

/// `DATE_RANGE_REVERSED` when `end` is before `start`.
pub(crate) fn ordered_range(start: NaiveDate, end: NaiveDate) -> Result<(), DomainError> {
    if end < start {
        return Err(DomainError::invalid(
            "DATE_RANGE_REVERSED",
            format!("结束日期 {end} 早于开始日期 {start}"),
        ));
    }
    Ok(())
}

/// `DATE_BEFORE_PREVIOUS_STEP` when a step is dated before the step it follows.
pub(crate) fn not_before(
    date: NaiveDate,
    previous: NaiveDate,
    what: &str,
    previous_what: &str,
) -> Result<(), DomainError> {
    if date < previous {
        return Err(DomainError::invalid(
            "DATE_BEFORE_PREVIOUS_STEP",
            format!("「{what}」日期 {date} 早于「{previous_what}」日期 {previous}"),
        ));
    }
    Ok(())
}

/// `DUPLICATE_ENTRY` when a list names the same value twice.
pub(crate) fn no_duplicates<T: PartialEq>(
    items: &[T],
    field: &str,
    show: impl Fn(&T) -> String,
) -> Result<(), DomainError> {
    for (i, item) in items.iter().enumerate() {
        if items[..i].contains(item) {
            return Err(DomainError::invalid(
                "DUPLICATE_ENTRY",
                format!("「{field}」中「{}」重复出现", show(item)),
            ));
        }
    }
    Ok(())
}

/// The command names a stream that has not been started (`NotFound`).
pub(crate) fn not_started(code: &'static str, what: &str, id: &str) -> DomainError {
    DomainError::not_found(code, format!("{what}「{id}」不存在"))
}

/// The command would start a stream that already exists.
pub(crate) fn already_exists(code: &'static str, what: &str, id: &str) -> DomainError {
    DomainError::refused(code, format!("{what}「{id}」已存在, 不能重复登记"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn practice_policy_values_are_checked_before_publication() {
        use crate::policy::Policy;
        assert!(Policy::national_default().validate().is_ok());
        for percent in [0, 101] {
            let mut p = Policy::national_default();
            p.training.completion_attendance_percent = percent;
            assert_eq!(
                p.validate().map_err(|e| e.code()),
                Err("POLICY_INVALID_VALUE")
            );
        }
        let mut p = Policy::national_default();
        p.appeal.claim_days = 0;
        assert_eq!(
            p.validate().map_err(|e| e.code()),
            Err("POLICY_INVALID_VALUE")
        );
    }

    #[test]
    fn a_cadre_is_known_once_registered() {
        let mut state = crate::cadre::State::default();
        assert_eq!(CadreRef::from_cadre(&state), None);
        state.registered = true;
        state.cadre_id = "a".into();
        state.unit_id = "u1".into();
        assert_eq!(CadreRef::from_cadre(&state), Some(CadreRef::new("a", "u1")));
        let cadres = Cadres::of(CadreRef::from_cadre(&state));
        assert!(cadres.get("a").is_ok());
        assert_eq!(
            cadres.get("b").map_err(|e| e.code()),
            Err("CADRE_NOT_FOUND")
        );
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use chrono::NaiveDate;

    /// A date for tests.
    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }
}
