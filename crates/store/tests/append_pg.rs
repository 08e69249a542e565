//! The `append` suite against PostgreSQL: the same tests, each on a scratch database (see `common::POSTGRES`).

#[path = "append.rs"]
mod suite;
