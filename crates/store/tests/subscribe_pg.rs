//! The `subscribe` suite against PostgreSQL: the same tests, each on a scratch database (see `common::POSTGRES`).

#[path = "subscribe.rs"]
mod suite;
