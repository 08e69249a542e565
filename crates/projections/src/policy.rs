//! The policy book as a read model: every published policy version, and the one in force on a date.

use chrono::NaiveDate;
use dossier_domain::{
    Event, Policy,
    policy_stream::{self, Event as P, Published},
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
        policy_stream::in_force_among(&self.published, date)
    }
}
