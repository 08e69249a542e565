//! Dossier end to end: the router on port 0 over a fresh database, driven through HTTP and WebSocket like a client.

mod access;
mod bad_input;
mod batches;
mod commands;
mod conventions;
mod cross_stream;
mod endpoints;
mod faults;
mod flow;
mod input_ranges;
mod limits;
mod pagination;
mod record_rules;
mod schema_sdl;
mod scope;
mod shape;
mod timeout;
mod tokens;
mod typed_reads;
mod workbench;
mod ws_refusal;
