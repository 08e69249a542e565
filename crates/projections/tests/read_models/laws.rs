//! The law of projections, for random valid command sequences: live incremental state == full
//! rebuild == snapshot + catch-up, for every model.

use std::collections::BTreeMap;

use chrono::Duration;
use dossier_domain::{
    appeal::{self, CentreLevel},
    study::{self, StudyMode},
    supervision,
    training::{self, ClassKind, TeachingMethod},
    types::{Grade, LeadershipLevel, PostCategory, Rank, RotationKind},
};
use dossier_projections::{ProjectionOptions, Projections};
use proptest::prelude::*;

use super::common::*;

#[derive(Debug, Clone)]
pub(super) enum Op {
    Appoint {
        cadre: usize,
        post: usize,
    },
    Rotate {
        cadre: usize,
        post: usize,
    },
    Grade {
        cadre: usize,
        year: i32,
        grade: Option<Grade>,
    },
    Class {
        kind: bool,
        method: usize,
    },
    Attend {
        class: usize,
        cadre: usize,
        hours: u8,
    },
    Study {
        mode: usize,
        cadres: Vec<usize>,
    },
    Appeal {
        cadre: usize,
        steps: usize,
    },
    Supervise {
        cadre: usize,
        retract: bool,
    },
    Snapshot,
}

pub(super) fn op() -> impl Strategy<Value = Op> {
    let grade = prop_oneof![
        Just(Some(Grade::Excellent)),
        Just(Some(Grade::Competent)),
        Just(Some(Grade::BasicallyCompetent)),
        Just(Some(Grade::Incompetent)),
        Just(None),
    ];
    prop_oneof![
        (0..5usize, 0..6usize).prop_map(|(cadre, post)| Op::Appoint { cadre, post }),
        (0..5usize, 0..6usize).prop_map(|(cadre, post)| Op::Rotate { cadre, post }),
        (0..5usize, 2019..2025i32, grade).prop_map(|(cadre, year, grade)| Op::Grade {
            cadre,
            year,
            grade
        }),
        (any::<bool>(), 0..5usize).prop_map(|(kind, method)| Op::Class { kind, method }),
        (0..3usize, 0..5usize, 1..9u8).prop_map(|(class, cadre, hours)| Op::Attend {
            class,
            cadre,
            hours
        }),
        (0..5usize, proptest::collection::vec(0..5usize, 1..4))
            .prop_map(|(mode, cadres)| Op::Study { mode, cadres }),
        (0..5usize, 0..7usize).prop_map(|(cadre, steps)| Op::Appeal { cadre, steps }),
        (0..5usize, any::<bool>()).prop_map(|(cadre, retract)| Op::Supervise { cadre, retract }),
        Just(Op::Snapshot),
    ]
}

const UNITS: [&str; 2] = ["u1", "u2"];

fn post_of(i: usize) -> (&'static str, String) {
    (UNITS[i % 2], format!("p{i}"))
}

/// Every model, encoded and parsed (map order does not matter).
fn state(p: &Projections) -> BTreeMap<&'static str, (u64, serde_json::Value)> {
    p.read(|m| m.to_json())
        .expect("models serialize")
        .into_iter()
        .map(|(name, checkpoint, value)| (name, (checkpoint, value)))
        .collect()
}

async fn run(ops: Vec<Op>) {
    let mut env = Env::new().await;
    let (live, _task) = env.start().await;
    let mut day = d(2019, 2, 1);
    let mut counters = Counters::default();
    setup(&mut env).await;
    record(
        &mut env,
        &live,
        &mut day,
        &mut counters,
        ops.into_iter().map(|op| (op, 0)).collect(),
    )
    .await;
    check_laws(&env, &live).await;
}

/// Ids handed out so far (classes, appeals, supervision entries).
#[derive(Debug, Default)]
pub(super) struct Counters {
    classes: usize,
    appeals: usize,
    entries: usize,
}

/// Two units, six posts (one hot), five cadres, all effective 2019-01-01.
pub(super) async fn setup(env: &mut Env) {
    let on = d(2019, 1, 1);
    for u in UNITS {
        env.rec.unit(u, u, true, on).await.expect("unit");
    }
    for i in 0..6 {
        let (u, p) = post_of(i);
        let level = (i % 3 == 0).then_some(LeadershipLevel::TownshipDeputy);
        env.rec
            .post(u, &p, "岗位", PostCategory::Business, level, on)
            .await
            .expect("post");
    }
    env.rec.hot_post("u1", "p0", 5, on).await.expect("hot post");
    for c in 0..5 {
        let rank = Some((Rank::ALL[c % 6], on));
        env.rec
            .cadre(
                &format!("c{c}"),
                "干部",
                UNITS[c % 2],
                d(1980, 1, 1 + c as u32),
                rank,
                on,
            )
            .await
            .expect("cadre");
    }
}

/// Record `ops` nine days apart from `day` on; each is effective the number of days it carries
/// before its day (histories whose effective dates are not in log order). Refused commands
/// are skipped.
pub(super) async fn record(
    env: &mut Env,
    live: &Projections,
    day: &mut chrono::NaiveDate,
    counters: &mut Counters,
    ops: Vec<(Op, u16)>,
) {
    let Counters {
        classes,
        appeals,
        entries,
    } = counters;
    for (op, back) in ops {
        *day += Duration::days(9);
        let day = *day - Duration::days(i64::from(back));
        let r = &mut env.rec;
        // Refusals are part of the game: only accepted commands reach the log.
        let _ = match op {
            Op::Appoint { cadre, post } => {
                let (u, p) = post_of(post);
                r.appoint(&format!("c{cadre}"), u, &p, day).await
            }
            Op::Rotate { cadre, post } => {
                let held = r
                    .state::<dossier_domain::cadre::Aggregate>(&format!("c{cadre}"))
                    .and_then(|s| s.posts.first().map(|h| h.post_id.clone()));
                match held {
                    Some(from) => {
                        let (u, p) = post_of(post);
                        r.rotate(
                            &format!("c{cadre}"),
                            RotationKind::Cultivating,
                            &from,
                            u,
                            &p,
                            day,
                        )
                        .await
                    }
                    None => Ok(0),
                }
            }
            Op::Grade { cadre, year, grade } => {
                r.grade(&format!("c{cadre}"), UNITS[cadre % 2], year, grade, day)
                    .await
            }
            Op::Class { kind, method } => {
                *classes += 1;
                let cmd = training::Command::Schedule(training::Schedule {
                    class_id: format!("k{classes}"),
                    name: "班".into(),
                    kind: if kind {
                        ClassKind::Main
                    } else {
                        ClassKind::Thematic
                    },
                    theme: (!kind).then(|| "智改数转".into()),
                    start_date: day,
                    end_date: day + Duration::days(30),
                    scheduled_hours: 40.0,
                    methods: vec![TeachingMethod::ALL[method]],
                    organizer_unit_id: None,
                });
                r.exec::<training::Aggregate>(cmd, Default::default(), day)
                    .await
            }
            Op::Attend {
                class,
                cadre,
                hours,
            } => {
                let class_id = format!("k{}", classes.saturating_sub(class));
                let cadre_id = format!("c{cadre}");
                let facts = cadres(&[(cadre_id.as_str(), UNITS[cadre % 2])]);
                let _ = r
                    .exec::<training::Aggregate>(
                        training::Command::Enrol(training::Enrol {
                            class_id: class_id.clone(),
                            cadre_id: cadre_id.clone(),
                        }),
                        facts,
                        day,
                    )
                    .await;
                let cmd = training::Command::RecordAttendance(training::RecordAttendance {
                    class_id,
                    cadre_id,
                    session_date: day,
                    session: None,
                    hours: f64::from(hours),
                });
                r.exec::<training::Aggregate>(cmd, Default::default(), day)
                    .await
            }
            Op::Study { mode, cadres: who } => {
                let ids: Vec<String> = who.iter().map(|c| format!("c{c}")).collect();
                let refs: Vec<(&str, &str)> = who
                    .iter()
                    .zip(&ids)
                    .map(|(c, id)| (id.as_str(), UNITS[c % 2]))
                    .collect();
                let cmd = study::Command::Hold(study::Hold {
                    session_id: format!("s{}", day),
                    mode: StudyMode::ALL[mode],
                    date: day,
                    topic: "学习".into(),
                    hours: 2.0,
                    organizer_unit_id: None,
                    location: Some("一线".into()),
                    attendees: ids.clone(),
                });
                r.exec::<study::Aggregate>(cmd, cadres(&refs), day).await
            }
            Op::Appeal { cadre, steps } => {
                *appeals += 1;
                let id = format!("a{appeals}");
                let cadre_id = format!("c{cadre}");
                let file = appeal::Command::File(appeal::File {
                    appeal_id: id.clone(),
                    cadre_id: cadre_id.clone(),
                    level: CentreLevel::District,
                    town: None,
                    summary: "诉求".into(),
                });
                let mut last = r
                    .exec::<appeal::Aggregate>(
                        file,
                        appeal::Facts::new(cadres(&[(cadre_id.as_str(), "u1")]), []),
                        day,
                    )
                    .await;
                let loop_steps = [
                    appeal::Command::List(appeal::List {
                        appeal_id: id.clone(),
                        assignee_unit_id: "u2".into(),
                    }),
                    appeal::Command::Claim(appeal::Claim {
                        appeal_id: id.clone(),
                        handler: "办理人".into(),
                    }),
                    appeal::Command::Coordinate(appeal::Coordinate {
                        appeal_id: id.clone(),
                        participant_unit_ids: vec!["u2".into()],
                        outcome: "协调".into(),
                    }),
                    appeal::Command::Track(appeal::Track {
                        appeal_id: id.clone(),
                        note: "跟踪".into(),
                    }),
                    appeal::Command::Close(appeal::Close {
                        appeal_id: id.clone(),
                        resolution: "办结".into(),
                    }),
                    appeal::Command::MarkTypical(appeal::MarkTypical {
                        appeal_id: id.clone(),
                        reason: "典型".into(),
                    }),
                ];
                for (i, step) in loop_steps.into_iter().take(steps).enumerate() {
                    last = r
                        .exec::<appeal::Aggregate>(
                            step,
                            appeal::Facts::new(Default::default(), [("u2", "单位u2")]),
                            day + Duration::days(i as i64 + 1),
                        )
                        .await;
                }
                last
            }
            Op::Supervise { cadre, retract } => {
                *entries += 1;
                let entry_id = format!("e{entries}");
                let cmd = supervision::Command::Record(supervision::Record {
                    entry_id: entry_id.clone(),
                    cadre_id: format!("c{cadre}"),
                    source: supervision::Source::OrgSection,
                    source_name: "干部监督科".into(),
                    channel: supervision::Channel::Inspection,
                    kind: supervision::EntryKind::KeyWorkPerformance,
                    tone: supervision::Tone::Neutral,
                    content: "检查".into(),
                    observed_on: day,
                });
                let facts = cadres(&[(format!("c{cadre}").as_str(), UNITS[cadre % 2])]);
                let recorded = r.exec::<supervision::Aggregate>(cmd, facts, day).await;
                if retract && recorded.is_ok() {
                    let cmd = supervision::Command::Retract(supervision::Retract {
                        entry_id,
                        reason: "误录".into(),
                    });
                    r.exec::<supervision::Aggregate>(cmd, Default::default(), day)
                        .await
                } else {
                    recorded
                }
            }
            Op::Snapshot => {
                let head = env.store().head().await.expect("head");
                live.wait_for(head, WAIT).await.expect("live caught up");
                live.snapshot().await.map_err(|e| panic!("snapshot: {e}"))
            }
        };
    }
}

/// Live incremental state == full rebuild == snapshot + catch-up, for every model.
async fn check_laws(env: &Env, live: &Projections) {
    let head = env.store().head().await.expect("head");
    live.wait_for(head, WAIT).await.expect("live caught up");
    let incremental = state(live);

    let (rebuilt, _t1) = env
        .start_with(ProjectionOptions {
            use_snapshots: false,
            ..Default::default()
        })
        .await;
    rebuilt.wait_for(head, WAIT).await.expect("rebuilt");
    let full = state(&rebuilt);

    let (resumed, _t2) = env.start().await;
    resumed.wait_for(head, WAIT).await.expect("resumed");
    let from_snapshot = state(&resumed);

    for (name, (checkpoint, value)) in &incremental {
        assert_eq!(*checkpoint, head, "{name} reached the head");
        assert_eq!(
            Some(value),
            full.get(name).map(|v| &v.1),
            "{name}: live incremental == full rebuild"
        );
        assert_eq!(
            Some(value),
            from_snapshot.get(name).map(|v| &v.1),
            "{name}: live incremental == snapshot + catch-up"
        );
    }
    assert_eq!(incremental.len(), dossier_projections::Models::NAMES.len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 64, ..ProptestConfig::default() })]

    #[test]
    fn live_incremental_equals_full_rebuild_equals_snapshot_plus_catch_up(ops in proptest::collection::vec(op(), 1..40)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(run(ops));
    }
}
