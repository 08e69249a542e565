//! Dossier end to end: the router on port 0 over a fresh database, driven through HTTP and WebSocket like a client.

mod access;
mod bad_input;
mod batches;
mod candidates;
mod commands;
mod conventions;
mod cross_stream;
mod dry_run;
mod endpoints;
mod exchange;
mod faults;
mod flow;
mod incompetence;
mod input_ranges;
mod limits;
mod pagination;
mod record_rules;
mod restricted;
mod schema_sdl;
mod scope;
mod selection;
mod shape;
mod timeout;
mod tokens;
mod typed_reads;
mod ws_refusal;
