//! End-to-end suite support: helpers that start Dossier with a fresh database.
