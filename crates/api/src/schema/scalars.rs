//! Scalars of the schema: `Date` (YYYY-MM-DD, years 1900–2100) and `Position` (a place in the event log).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// A calendar date, `YYYY-MM-DD`, in the years 1900–2100 (生效日期, as-of dates…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => {
                let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                    InputValueError::custom(format!("日期「{s}」格式不对，应为 YYYY-MM-DD"))
                })?;
                Date::checked("日期", date).map_err(|e| InputValueError::custom(e.message()))
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl Date {
    /// `date` if the API accepts it (the years 1900–2100, [`dossier_domain::bounds::date`]):
    /// the check every `Date` argument passes, shared with the CLI's date options so that both
    /// refuse the same dates with the same message (`what` names the argument).
    pub fn checked(what: &str, date: NaiveDate) -> Result<Date, dossier_domain::DomainError> {
        dossier_domain::bounds::date(what, date)?;
        Ok(Date(date))
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Date(d)
    }
}

/// A position in the event log (1 is the first event; 0 is "before any event").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position(pub u64);

#[Scalar(name = "Position")]
impl ScalarType for Position {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::Number(n) => n
                .as_u64()
                .map(Position)
                .ok_or_else(|| InputValueError::custom("位置必须是非负整数")),
            Value::String(s) => s
                .parse::<u64>()
                .map(Position)
                .map_err(|_| InputValueError::custom("位置必须是非负整数")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::Number(self.0.into())
    }
}
