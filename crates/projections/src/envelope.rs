//! What a read model sees of one event: its position, stream, effective date and the decoded domain event.

use chrono::NaiveDate;
use dossier_domain::Event;

/// One decoded event as folded by the read models.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// Global position in the log (from 1, gapless).
    pub position: u64,
    /// The stream, e.g. `"cadre-c001"`.
    pub stream_id: &'a str,
    /// Version within the stream (from 1).
    pub stream_version: u64,
    /// When the fact took effect (生效日期).
    pub effective: NaiveDate,
    /// The decoded event.
    pub event: &'a Event,
}

impl Envelope<'_> {
    /// The entity id of the stream (`"cadre-c001"` → `"c001"`).
    pub fn entity_id(&self) -> &str {
        self.stream_id
            .split_once('-')
            .map_or(self.stream_id, |(_, id)| id)
    }
}

/// Parse `YYYY-MM-DD` (the store's text form of an effective date) quickly, falling back to chrono.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let digit = |i: usize| -> Option<u32> {
            let c = b[i];
            c.is_ascii_digit().then(|| u32::from(c - b'0'))
        };
        let y = digit(0)? * 1000 + digit(1)? * 100 + digit(2)? * 10 + digit(3)?;
        let m = digit(5)? * 10 + digit(6)?;
        let d = digit(8)? * 10 + digit(9)?;
        return NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_the_stored_form_and_refuse_garbage() {
        assert_eq!(
            parse_date("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(
            parse_date("2024-02-29T00:00:00Z"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("abcd-ef-gh"), None);
        assert_eq!(parse_date(""), None);
    }
}
