//! Log overview: how many events and streams of each kind the log holds.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Figure;
use crate::{envelope::Envelope, model::ReadModel};

/// Events and streams by kind, events by type, the last position folded, the latest effective date.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogStats {
    pub events: u64,
    pub events_by_type: BTreeMap<String, u64>,
    pub streams_by_kind: BTreeMap<String, u64>,
    pub last_position: u64,
    /// The latest effective date of any event folded: the models as they stand answer for
    /// every date from this one on (an earlier date needs a fold without the later facts).
    pub latest_effective: Option<NaiveDate>,
}

impl ReadModel for LogStats {
    const NAME: &'static str = "log_stats";
    const VERSION: u32 = 2;

    fn apply(&mut self, env: &Envelope<'_>) {
        self.events += 1;
        self.last_position = env.position;
        if self.latest_effective.is_none_or(|d| env.effective > d) {
            self.latest_effective = Some(env.effective);
        }
        let t = env.event.event_type();
        match self.events_by_type.get_mut(t) {
            Some(n) => *n += 1,
            None => {
                self.events_by_type.insert(t.to_owned(), 1);
            }
        }
        if env.stream_version == 1 {
            let kind = env
                .stream_id
                .split_once('-')
                .map_or(env.stream_id, |(k, _)| k);
            *self.streams_by_kind.entry(kind.to_owned()).or_default() += 1;
        }
    }
}

impl LogStats {
    /// The figures in flat form.
    pub fn figures(&self) -> Vec<Figure> {
        let mut out = vec![Figure::new("log", "events", "", self.events as f64)];
        out.extend(
            self.events_by_type
                .iter()
                .map(|(t, n)| Figure::new("log", "events_by_type", t.clone(), *n as f64)),
        );
        out.extend(
            self.streams_by_kind
                .iter()
                .map(|(k, n)| Figure::new("log", "streams_by_kind", k.clone(), *n as f64)),
        );
        out
    }
}
