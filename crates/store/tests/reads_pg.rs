//! The `reads` suite against PostgreSQL: the same tests, each on a scratch database (see `common::POSTGRES`).

#[path = "reads.rs"]
mod suite;
