//! Dossier's event log: an append-only, hash-chained store of events on SQLite. The only crate that speaks SQL.
