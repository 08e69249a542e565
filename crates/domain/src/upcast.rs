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
pub static UPCASTERS: &[Upcaster] = &[Upcaster {
    event_type: "cadre.Registered",
    from: 1,
    apply: cadre_registered_v1_to_v2,
}];

/// `cadre.Registered` v1 → v2: v1 kept the birth as `birth_month` (`"YYYYMM"`, as on the
/// 任免审批表) and had no 民族. v2 has a full `birth_date`, read from the ID number's digits 7–14
/// (the first of the month when those are unreadable), and `ethnicity` (`null`: not recorded).
fn cadre_registered_v1_to_v2(mut value: Value) -> Value {
    let Some(obj) = value.as_object_mut() else {
        return value;
    };
    let from_id = obj
        .get("id_number")
        .and_then(Value::as_str)
        .and_then(|n| n.get(6..14))
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y%m%d").ok());
    let from_month = obj
        .get("birth_month")
        .and_then(Value::as_str)
        .and_then(|m| chrono::NaiveDate::parse_from_str(&format!("{m}01"), "%Y%m%d").ok());
    if let Some(date) = from_id.or(from_month) {
        obj.insert(
            "birth_date".into(),
            Value::String(date.format("%Y-%m-%d").to_string()),
        );
    }
    obj.remove("birth_month");
    obj.entry("ethnicity").or_insert(Value::Null);
    value
}

/// Bring `value` from schema version `from` to `to`, one step at a time.
pub fn upcast(
    event_type: &str,
    from: u32,
    to: u32,
    mut value: Value,
) -> Result<Value, DecodeError> {
    let mut version = from;
    while version < to {
        let step = UPCASTERS
            .iter()
            .find(|u| u.event_type == event_type && u.from == version)
            .ok_or_else(|| DecodeError::NoUpcaster {
                event_type: event_type.to_owned(),
                version,
            })?;
        value = (step.apply)(value);
        version += 1;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde_json::json;

    use crate::{
        cadre,
        event::{DecodeError, EventSet},
    };

    fn v1(id_number: &str, birth_month: &str) -> String {
        json!({
            "cadre_id": "c1", "name": "王明", "id_number": id_number, "gender": "female",
            "birth_month": birth_month, "unit_id": "u1", "rank": "principal_clerk4",
            "rank_since": "2020-03-01", "leadership_level": null, "level_since": null,
            "joined_work_on": "1972-07-01", "registered_on": "2021-01-04"
        })
        .to_string()
    }

    #[test]
    fn cadre_registered_v1_upcasts_to_v2() {
        let event =
            cadre::Event::decode("cadre.Registered", 1, &v1("11010519491231002X", "194912"))
                .unwrap();
        let cadre::Event::Registered(r) = event else {
            panic!("decoded another event: {event:?}")
        };
        assert_eq!(r.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert_eq!(r.ethnicity, None);
        assert_eq!(r.name, "王明");
        // An unreadable ID birth date falls back to the first of the recorded month.
        let event =
            cadre::Event::decode("cadre.Registered", 1, &v1("110105XXXXXXXX002X", "195003"))
                .unwrap();
        let cadre::Event::Registered(r) = event else {
            panic!("decoded another event: {event:?}")
        };
        assert_eq!(r.birth_date, NaiveDate::from_ymd_opt(1950, 3, 1).unwrap());
    }

    #[test]
    fn current_registered_payload_round_trips_and_newer_is_refused() {
        let event =
            cadre::Event::decode("cadre.Registered", 1, &v1("11010519491231002X", "194912"))
                .unwrap();
        let payload = event.to_payload().unwrap();
        assert!(!payload.contains("birth_month"));
        assert_eq!(
            cadre::Event::decode("cadre.Registered", 2, &payload).unwrap(),
            event
        );
        assert!(matches!(
            cadre::Event::decode("cadre.Registered", 3, &payload),
            Err(DecodeError::NewerSchema {
                found: 3,
                known: 2,
                ..
            })
        ));
    }
}
