//! Which cadres an event is about: the cadre of a cadre stream, and cadres named in other streams' events.

use dossier_domain::{
    Event, accountability::Event as AC, appeal::Event as A, assessment::Event as AE,
    award::Event as AW, bulletin::Event as B, down::Event as D, forum::Event as F,
    lead::Event as L, quota::Event as Q, risk::Event as R, study::Event as S,
    supervision::Event as SV, training::Event as T,
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
        Event::Risk(e) => match e {
            R::Filed(x) => f(&x.cadre_id),
            R::Acknowledged(x) => f(&x.cadre_id),
        },
        Event::Accountability(e) => match e {
            AC::Opened(x) => f(&x.cadre_id),
            AC::JudgementRecorded(x) => f(&x.cadre_id),
            AC::ExemptionGranted(x) | AC::ExemptionRefused(x) => f(&x.cadre_id),
        },
        Event::Down(e) => match e {
            D::Opened(x) => f(&x.cadre_id),
            D::FindingsRecorded(x) => f(&x.cadre_id),
            D::Decided(x) => f(&x.cadre_id),
            D::Executed(x) => f(&x.cadre_id),
            D::ClosedWithoutAction(x) => f(&x.cadre_id),
        },
        Event::Supervision(e) => match e {
            SV::Recorded(x) => f(&x.cadre_id),
            SV::Retracted(x) => f(&x.cadre_id),
        },
        Event::Lead(e) => match e {
            L::Transferred(x) => f(&x.cadre_id),
            L::Verified(x) => f(&x.cadre_id),
            L::Concluded(x) => f(&x.cadre_id),
        },
        Event::Bulletin(B::ItemAdded(x)) => {
            for c in &x.cadre_ids {
                f(c);
            }
        }
        Event::Quota(e) => match e {
            Q::Ranked(x) => {
                for e in &x.entries {
                    f(&e.cadre_id);
                }
            }
            Q::Allocated(x) => {
                f(&x.cadre_id);
                for p in &x.passed_over {
                    f(&p.cadre_id);
                }
            }
            Q::Revoked(x) => f(&x.cadre_id),
            Q::Opened(_) => {}
        },
        Event::Award(e) => match e {
            AW::SteedBatchAnnounced(x) => {
                for a in &x.awardees {
                    f(&a.cadre_id);
                }
            }
            AW::ThreeGoodAnnounced(x) => {
                for w in &x.winners {
                    if let Some(c) = &w.cadre_id {
                        f(c);
                    }
                }
            }
            AW::AwardRevoked(x) => {
                if x.is_cadre {
                    f(&x.recipient);
                }
            }
        },
        Event::Assessment(AE::GradesRecorded(x)) => {
            for e in &x.entries {
                f(&e.cadre_id);
            }
        }
        _ => {}
    }
}

/// Whether every event of this stream concerns the cadre named by its first event
/// (an appeal: only its filing names the cadre).
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
