//! Upcasters: pure functions turning an older event payload into the next schema version, applied on read.

use serde_json::Value;

use crate::event::DecodeError;

/// One step: `event_type` at schema version `from` becomes version `from + 1`.
pub struct Upcaster {
    pub event_type: &'static str,
    pub from: u32,
    pub apply: fn(Value) -> Value,
}

/// Every upcaster Dossier knows. Add one step per schema change; never edit a landed one.
pub static UPCASTERS: &[Upcaster] = &[];

/// Bring `value` from schema version `from` to `to`, one step at a time.
pub fn upcast(event_type: &str, from: u32, to: u32, mut value: Value) -> Result<Value, DecodeError> {
    let mut version = from;
    while version < to {
        let step = UPCASTERS
            .iter()
            .find(|u| u.event_type == event_type && u.from == version)
            .ok_or_else(|| DecodeError::NoUpcaster { event_type: event_type.to_owned(), version })?;
        value = (step.apply)(value);
        version += 1;
    }
    Ok(value)
}
