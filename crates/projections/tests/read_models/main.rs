//! Read-model tests: real domain decisions appended to a temporary store, folded by the runner, figures asserted.

mod asof;
mod cadres;
mod care;
mod common;
mod dated;
mod laws;
mod more;
mod published;
mod runner;
mod training;
mod training_hours;
