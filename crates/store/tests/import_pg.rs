//! The `import` suite against PostgreSQL: the same tests, each on a scratch database (see `common::POSTGRES`).

#[path = "import.rs"]
mod suite;
