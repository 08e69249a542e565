//! Dossier's domain: every cadre-management fact as pure decisions (`decide`) and folds (`evolve`).
//!
//! Architecture invariant: this crate performs no I/O, spawns nothing, reads no
//! clock and no configuration. Everything it needs — the actor, the dates, the
//! policy in force, facts from other streams — arrives as arguments.

pub mod aggregate;
pub mod context;
pub mod error;
pub mod event;
pub mod harness;
pub mod policy;
pub mod practice;
pub mod types;
pub mod upcast;

// Shared rules and vocabulary of the cadre area.
pub mod avoidance;
pub mod bounds;
pub mod calendar;
pub mod codes;
pub mod dates;
pub mod idcard;
pub mod lrmx;
pub mod lrmx_map;
pub mod obstacle;
pub mod person_codes;
pub mod points;
pub mod promotion;
pub mod resume;
pub mod tenure;
pub mod training_hours;

// Stream kinds, one module each.
pub mod accountability;
pub mod appeal;
pub mod assessment;
pub mod award;
pub mod bulletin;
pub mod cadre;
pub mod down;
pub mod forum;
pub mod lead;
pub mod policy_stream;
pub mod quota;
pub mod reserve;
pub mod risk;
pub mod selection;
pub mod staffing;
pub mod study;
pub mod supervision;
pub mod training;
pub mod trial_list;
pub mod unit;

pub use aggregate::Aggregate;
pub use context::{Actor, Context, Role};
pub use error::DomainError;
pub use event::{DecodeError, Event, EventSet};
pub use obstacle::Obstacle;
pub use policy::Policy;
pub use policy_stream::PolicyBook;
