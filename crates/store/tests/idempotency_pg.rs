//! The `idempotency` suite against PostgreSQL: the same tests, each on a scratch database (see `common::POSTGRES`).

#[path = "idempotency.rs"]
mod suite;
