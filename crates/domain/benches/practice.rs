//! Practice-streams benchmark program: training attendance decisions on a growing class, the appeal closed loop, deadline scans, decode+fold.
//!
//! Run: `cargo bench -p dossier-domain --bench practice` (prints figures; not a timed test).
//! Quick mode (small classes, 500 appeals, seconds): `cargo test -p dossier-domain --bench practice`
//! (cargo test runs it without the `--bench` argument) or `-- --quick`; CI runs it so the program cannot rot.

use std::{hint::black_box, time::Instant};

use chrono::{Days, NaiveDate};
use dossier_domain::{
    Actor, Aggregate, Context, Event, EventSet, Policy, Role, appeal,
    practice::{CadreRef, Cadres},
    training,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn per_second(n: usize, secs: f64) -> String {
    format!("{:>12.0}/s", n as f64 / secs)
}

/// One class of `cadres` cadres × `sessions` sessions, every attendance decided against
/// the state folded from the stream so far (what the application does per command).
fn training_class(cadres: usize, sessions: u64) -> (usize, f64, f64) {
    let policy = Policy::national_default();
    let admin = Actor::new("org", Role::OrgAdmin);
    let start = d(2025, 3, 3);
    let end = start + Days::new(sessions);
    let facts =
        Cadres::of((0..cadres).map(|i| CadreRef::new(format!("c{i}"), format!("u{}", i % 40))));
    let ctx = |on| Context {
        actor: &admin,
        effective: on,
        today: end,
        policy: &policy,
    };
    let mut events = Vec::new();
    let mut state = training::State::default();
    let mut decide = |cmd: training::Command, on: NaiveDate, events: &mut Vec<training::Event>| {
        let new = training::Aggregate::decide(&state, &cmd, &ctx(on), &facts).expect("accepted");
        for e in &new {
            training::Aggregate::evolve(&mut state, e);
        }
        events.extend(new);
    };
    decide(
        training::Command::Schedule(training::Schedule {
            class_id: "k".into(),
            name: "主体班".into(),
            kind: training::ClassKind::Main,
            theme: None,
            start_date: start,
            end_date: end,
            scheduled_hours: 8.0 * sessions as f64,
            methods: vec![training::TeachingMethod::Case],
            organizer_unit_id: None,
        }),
        start,
        &mut events,
    );
    for i in 0..cadres {
        decide(
            training::Command::Enrol(training::Enrol {
                class_id: "k".into(),
                cadre_id: format!("c{i}"),
            }),
            start,
            &mut events,
        );
    }
    let began = Instant::now();
    let mut decided = 0;
    for s in 0..sessions {
        for i in 0..cadres {
            decide(
                training::Command::RecordAttendance(training::RecordAttendance {
                    class_id: "k".into(),
                    cadre_id: format!("c{i}"),
                    session_date: start + Days::new(s),
                    session: None,
                    hours: 8.0,
                }),
                start + Days::new(s),
                &mut events,
            );
            decided += 1;
        }
    }
    let decide_secs = began.elapsed().as_secs_f64();
    // Replaying the whole stream from scratch, as a command on a cold cache does.
    let began = Instant::now();
    let state = training::Aggregate::fold(events.iter());
    let fold_secs = began.elapsed().as_secs_f64();
    black_box(state);
    (decided, decide_secs, fold_secs / events.len() as f64 * 1e9)
}

/// Full closed loops (file → … → close → typical), each command decided against its folded stream.
fn appeal_loops(n: usize) -> (usize, f64, Vec<appeal::Event>) {
    let policy = Policy::national_default();
    let staff = Actor::new("org", Role::OrgAdmin);
    let mut all = Vec::new();
    let began = Instant::now();
    let mut decided = 0;
    for i in 0..n {
        let id = format!("p{i}");
        let cadres = appeal::Facts::new(
            Cadres::of([CadreRef::new(format!("c{i}"), "u1")]),
            [("u9", "区信访局")],
        );
        let filed_on = d(2024, 1, 1) + Days::new((i % 600) as u64);
        let steps = [
            appeal::Command::File(appeal::File {
                appeal_id: id.clone(),
                cadre_id: format!("c{i}"),
                level: appeal::CentreLevel::District,
                town: None,
                summary: "诉求".into(),
            }),
            appeal::Command::List(appeal::List {
                appeal_id: id.clone(),
                assignee_unit_id: "u9".into(),
            }),
            appeal::Command::Claim(appeal::Claim {
                appeal_id: id.clone(),
                handler: "h".into(),
            }),
            appeal::Command::Coordinate(appeal::Coordinate {
                appeal_id: id.clone(),
                participant_unit_ids: vec!["u9".into()],
                outcome: "o".into(),
            }),
            appeal::Command::Track(appeal::Track {
                appeal_id: id.clone(),
                note: "n".into(),
            }),
            appeal::Command::Close(appeal::Close {
                appeal_id: id.clone(),
                resolution: "r".into(),
            }),
            appeal::Command::MarkTypical(appeal::MarkTypical {
                appeal_id: id.clone(),
                reason: "t".into(),
            }),
        ];
        let mut stream: Vec<appeal::Event> = Vec::new();
        for (k, cmd) in steps.into_iter().enumerate() {
            // Two to six days between stages: some stages run past their deadline.
            let on = filed_on + Days::new(k as u64 * (2 + (i % 5) as u64));
            let ctx = Context {
                actor: &staff,
                effective: on,
                today: d(2026, 1, 1),
                policy: &policy,
            };
            let state = appeal::Aggregate::fold(stream.iter());
            let new = appeal::Aggregate::decide(&state, &cmd, &ctx, &cadres).expect("accepted");
            stream.extend(new);
            decided += 1;
        }
        all.extend(stream);
    }
    (decided, began.elapsed().as_secs_f64(), all)
}

/// Whether this run is the quick one: cargo test runs a bench target without cargo bench's `--bench`.
fn quick() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--quick") || !args.iter().any(|a| a == "--bench")
}

fn main() {
    let quick = quick();
    let (classes, appeals) = if quick {
        ([(10, 4), (20, 4)], 500)
    } else {
        ([(50, 10), (200, 10)], 20_000)
    };
    println!(
        "practice streams benchmark (debug assertions {})",
        cfg!(debug_assertions)
    );

    for (cadres, sessions) in classes {
        let (n, secs, fold_ns) = training_class(cadres, sessions);
        println!(
            "training: {cadres} cadres x {sessions} sessions: {n} attendance decisions {} (state kept in memory); cold fold {:.0} ns/event",
            per_second(n, secs),
            fold_ns
        );
    }

    let (n, secs, events) = appeal_loops(appeals);
    println!(
        "appeal: {n} stage commands (fold stream + decide each) {}",
        per_second(n, secs)
    );

    // Encode, then decode and fold through `Event::decode` as projections do.
    let stored: Vec<(&'static str, u32, String)> = events
        .iter()
        .map(|e| {
            (
                e.event_type(),
                e.schema_version(),
                e.to_payload().expect("serializes"),
            )
        })
        .collect();
    let bytes: usize = stored.iter().map(|(_, _, p)| p.len()).sum();
    let began = Instant::now();
    let mut timelines = std::collections::HashMap::<String, appeal::Timeline>::new();
    for (t, v, payload) in &stored {
        let Event::Appeal(e) = Event::decode(t, *v, payload).expect("decodes") else {
            unreachable!("appeal events decode as appeal events")
        };
        let id = match &e {
            appeal::Event::Filed(x) => &x.appeal_id,
            appeal::Event::Listed(x) => &x.appeal_id,
            appeal::Event::Claimed(x) => &x.appeal_id,
            appeal::Event::Coordinated(x) => &x.appeal_id,
            appeal::Event::Tracked(x) => &x.appeal_id,
            appeal::Event::Closed(x) => &x.appeal_id,
            appeal::Event::MarkedTypical(x) => &x.appeal_id,
        };
        timelines.entry(id.clone()).or_default().apply(&e);
    }
    let secs = began.elapsed().as_secs_f64();
    println!(
        "appeal: decode+fold {} events ({} bytes avg) {}",
        stored.len(),
        bytes / stored.len().max(1),
        per_second(stored.len(), secs)
    );

    // The dashboard's question: which appeals are overdue as of a date.
    let policy = Policy::national_default().appeal;
    let began = Instant::now();
    let mut breaches = 0;
    for _ in 0..10 {
        for t in timelines.values() {
            breaches += t.overdue(&policy, d(2025, 12, 31)).len();
        }
    }
    let secs = began.elapsed().as_secs_f64();
    println!(
        "appeal: overdue scan {} timelines x10 {} ({} breaches found)",
        timelines.len(),
        per_second(timelines.len() * 10, secs),
        breaches / 10
    );
}
