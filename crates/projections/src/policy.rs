//! The policy book as a read model: every published policy version, and the one in force on a date.

use chrono::NaiveDate;
use dossier_domain::{
    Event, Policy,
    policy_stream::{Event as P, PolicyBook, Published},
};
use serde::{Deserialize, Serialize};

use crate::{envelope::Envelope, model::ReadModel};

/// Published policy versions, in log order.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Policies {
    pub published: Vec<Published>,
}

impl ReadModel for Policies {
    const NAME: &'static str = "policies";
    const VERSION: u32 = 1;

    fn apply(&mut self, env: &Envelope<'_>) {
        if let Event::Policy(P::Published(p)) = env.event {
            self.published.push(p.clone());
        }
    }
}

impl Policies {
    /// The policy in force on `date` (the national defaults before any publication).
    pub fn in_force(&self, date: NaiveDate) -> Policy {
        if self.published.is_empty() {
            return Policy::national_default();
        }
        let events: Vec<P> = self.published.iter().cloned().map(P::Published).collect();
        PolicyBook::from_events(events.iter()).in_force(date)
    }
}
