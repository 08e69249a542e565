//! The `side` suite against PostgreSQL: the same tests, each on a scratch database (see `common::POSTGRES`).

#[path = "side.rs"]
mod suite;
