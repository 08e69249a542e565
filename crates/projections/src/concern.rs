//! Which cadres an event is about: the cadre of a cadre stream, and cadres named in other streams' events.

use dossier_domain::{
    Event, appeal::Event as A, forum::Event as F, study::Event as S, training::Event as T,
};

use crate::envelope::Envelope;

/// Call `f` with the id of each cadre `env` names directly (a cadre stream's own cadre,
/// enrolees, attendees, presenters, an appeal's filer…). Events of a stream whose first
/// event named a cadre (an appeal) are attributed by the index through the stream's owner.
pub fn for_each_cadre<'a>(env: &Envelope<'a>, mut f: impl FnMut(&'a str)) {
    if let Some(("cadre", id)) = env.stream_id.split_once('-') {
        f(id);
        return;
    }
    match env.event {
        Event::Training(e) => match e {
            T::Enrolled(x) => f(&x.cadre_id),
            T::AttendanceRecorded(x) => f(&x.cadre_id),
            T::Completed(x) => f(&x.cadre_id),
            T::Scheduled(_) | T::Closed(_) => {}
        },
        Event::Study(e) => {
            let attendees = match e {
                S::Held(x) => &x.attendees,
                S::AttendeesAdded(x) => &x.attendees,
            };
            for a in attendees {
                f(&a.cadre_id);
            }
        }
        Event::Forum(F::AnswersPresented(x)) => {
            for p in &x.presenters {
                f(&p.cadre_id);
            }
        }
        Event::Appeal(A::Filed(x)) => f(&x.cadre_id),
        _ => {}
    }
}

/// Whether every event of this stream concerns the cadre named by its first event
/// (an appeal, a risk report, an accountability case).
pub fn stream_owned_by_cadre(stream_id: &str) -> bool {
    matches!(
        stream_id.split_once('-'),
        Some(("appeal" | "risk" | "accountability", _))
    )
}

/// The ids of the cadres `env` names directly.
pub fn concerned_cadres<'a>(env: &Envelope<'a>) -> Vec<&'a str> {
    let mut out = Vec::new();
    for_each_cadre(env, |c| out.push(c));
    out
}
