//! The store's text encodings of instants and dates (fixed, because they are hashed).

use chrono::{DateTime, NaiveDate, Utc};

/// RFC 3339 in UTC with exactly six fractional digits and a `Z`.
pub(crate) fn format(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(crate) fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `YYYY-MM-DD`; the store accepts years 1 to 9999 so that text order is date order.
pub(crate) fn format_date(d: &NaiveDate) -> Option<String> {
    use chrono::Datelike;
    (1..=9999)
        .contains(&d.year())
        .then(|| d.format("%Y-%m-%d").to_string())
}

pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}
