//! The runner: read-your-writes, snapshots and catch-up, version changes, rebuild, timeline, audit trail, export.

use std::time::Duration;

use dossier_domain::training::{ClassKind, TeachingMethod};
use dossier_projections::{ProjectionOptions, Projections, export::Format};

use super::{
    common::*,
    training::{attend, schedule},
};

#[tokio::test]
async fn wait_for_returns_once_a_later_write_is_folded() {
    let mut env = Env::new().await;
    let (p, _task) = env.start().await;
    assert_eq!(p.dashboard_training().classes("main"), 0);
    let pos = schedule(
        &mut env,
        "m1",
        ClassKind::Main,
        None,
        &[TeachingMethod::Case],
    )
    .await;
    let reached = p.wait_for(pos, WAIT).await.expect("folded");
    assert!(reached >= pos);
    assert_eq!(p.dashboard_training().classes("main"), 1);
}

#[tokio::test]
async fn wait_for_a_position_never_written_times_out() {
    let env = Env::new().await;
    let (p, _task) = env.start().await;
    let err = p
        .wait_for(1_000, Duration::from_millis(50))
        .await
        .expect_err("nothing at 1000");
    assert!(
        matches!(
            err,
            dossier_projections::ProjectionError::Timeout {
                position: 1_000,
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn dashboard_changes_are_notified() {
    let mut env = Env::new().await;
    let (p, _task) = env.start().await;
    let mut changes = p.changes();
    let before = *changes.borrow_and_update();
    let pos = schedule(
        &mut env,
        "m1",
        ClassKind::Main,
        None,
        &[TeachingMethod::Case],
    )
    .await;
    tokio::time::timeout(WAIT, changes.changed())
        .await
        .expect("notified in time")
        .expect("runner alive");
    assert!(*changes.borrow() > before);
    p.wait_for(pos, WAIT).await.expect("folded");
}

#[tokio::test]
async fn restart_restores_snapshots_and_replays_only_newer_events() {
    let mut env = Env::new().await;
    schedule(
        &mut env,
        "m1",
        ClassKind::Main,
        None,
        &[TeachingMethod::Case],
    )
    .await;
    attend(&mut env, "m1", "c1", "u1", 2, 8.0).await;
    let (p, task) = env.start().await;
    let saved = p.shutdown().await.expect("snapshots saved");
    task.await
        .expect("runner joined")
        .expect("runner ended cleanly");
    assert_eq!(saved, env.store().head().await.expect("head"));

    attend(&mut env, "m1", "c2", "u1", 3, 6.0).await;
    let (p2, _task) = env.start().await;
    let status = p2.status();
    assert!(
        status.restored.iter().any(|n| n == "dashboard_training"),
        "restored: {:?}",
        status.restored
    );
    let head = env.store().head().await.expect("head");
    assert_eq!(
        status.replayed,
        head - saved,
        "only events after the snapshot are replayed"
    );
    assert_eq!(p2.dashboard_training().by_kind["main"].enrolments, 2);

    let (fresh, _t) = env
        .start_with(ProjectionOptions {
            use_snapshots: false,
            ..Default::default()
        })
        .await;
    assert_eq!(fresh.dashboard_training(), p2.dashboard_training());
    assert_eq!(
        fresh.profile("c2", d(2025, 12, 31)),
        p2.profile("c2", d(2025, 12, 31))
    );
}

#[tokio::test]
async fn a_snapshot_of_another_version_is_ignored_and_the_model_rebuilds() {
    let mut env = Env::new().await;
    schedule(
        &mut env,
        "m1",
        ClassKind::Main,
        None,
        &[TeachingMethod::Case],
    )
    .await;
    // A snapshot claiming an older version with garbage data.
    env.store()
        .save_snapshot("dashboard_training", 0, 1, b"not json")
        .await
        .expect("saved");
    let (p, _task) = env.start().await;
    assert!(
        !p.status()
            .restored
            .iter()
            .any(|n| n == "dashboard_training")
    );
    assert_eq!(p.dashboard_training().classes("main"), 1);
}

#[tokio::test]
async fn rebuild_gives_the_same_answers_as_the_live_models() {
    let mut env = Env::new().await;
    let (p, _task) = env.start().await;
    schedule(
        &mut env,
        "m1",
        ClassKind::Main,
        None,
        &[TeachingMethod::Case],
    )
    .await;
    let pos = attend(&mut env, "m1", "c1", "u1", 2, 8.0).await;
    p.wait_for(pos, WAIT).await.expect("folded");
    let live = p.dashboard_training();
    let live_profile = p.profile("c1", d(2025, 12, 31));
    let rebuilt_at = p.rebuild().await.expect("rebuilt");
    assert_eq!(rebuilt_at, pos);
    assert_eq!(p.dashboard_training(), live);
    assert_eq!(p.profile("c1", d(2025, 12, 31)), live_profile);
    // And it keeps following the log afterwards.
    let pos = attend(&mut env, "m1", "c2", "u1", 3, 6.0).await;
    p.wait_for(pos, WAIT).await.expect("folded after rebuild");
    assert_eq!(p.dashboard_training().by_kind["main"].enrolments, 2);
}

#[tokio::test]
async fn timeline_lists_every_event_about_a_cadre_across_streams() {
    let mut env = Env::new().await;
    schedule(
        &mut env,
        "m1",
        ClassKind::Main,
        None,
        &[TeachingMethod::Case],
    )
    .await;
    schedule(
        &mut env,
        "m2",
        ClassKind::Main,
        None,
        &[TeachingMethod::Case],
    )
    .await;
    attend(&mut env, "m1", "c1", "u1", 2, 8.0).await;
    attend(&mut env, "m2", "c2", "u1", 2, 8.0).await;
    attend(&mut env, "m2", "c1", "u1", 3, 8.0).await;
    let (p, _task) = env.start().await;
    let timeline = p.timeline("c1").await.expect("c1 has events");
    let types: Vec<(&str, &str)> = timeline
        .iter()
        .map(|e| (e.stream_id.as_str(), e.event_type.as_str()))
        .collect();
    assert_eq!(
        types,
        vec![
            ("training-m1", "training.Enrolled"),
            ("training-m1", "training.AttendanceRecorded"),
            ("training-m2", "training.Enrolled"),
            ("training-m2", "training.AttendanceRecorded"),
        ]
    );
    assert!(timeline.windows(2).all(|w| w[0].position < w[1].position));
    let err = p.timeline("nobody").await.expect_err("unknown cadre");
    assert!(matches!(
        err,
        dossier_projections::ProjectionError::NotFound {
            code: "CADRE_NOT_FOUND",
            ..
        }
    ));
}

#[tokio::test]
async fn audit_trail_shows_who_when_effective_and_what() {
    let mut env = Env::new().await;
    schedule(
        &mut env,
        "m1",
        ClassKind::Main,
        None,
        &[TeachingMethod::Case],
    )
    .await;
    attend(&mut env, "m1", "c1", "u1", 2, 8.0).await;
    let (p, _task) = env.start().await;
    let trail = p.audit_trail("training-m1").await.expect("stream exists");
    assert_eq!(trail.len(), 3);
    assert_eq!(trail[0].event_type, "training.Scheduled");
    assert_eq!(trail[0].actor, "org-admin");
    assert_eq!(trail[0].effective_at, d(2025, 2, 20));
    assert_eq!(trail[0].payload["kind"], "main");
    assert_eq!(trail[2].effective_at, d(2025, 3, 2));
    assert!(p.audit_trail("training-none").await.is_err());
}

#[tokio::test]
async fn the_event_log_exports_to_csv_and_ndjson() {
    let mut env = Env::new().await;
    schedule(
        &mut env,
        "m1",
        ClassKind::Main,
        Some("主题, 含逗号"),
        &[TeachingMethod::Case],
    )
    .await;
    attend(&mut env, "m1", "c1", "u1", 2, 8.0).await;
    let (p, _task) = env.start().await;

    let mut nd = Vec::new();
    assert_eq!(
        p.export_events(0, Format::Ndjson, &mut nd)
            .await
            .expect("exported"),
        3
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(nd)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["event_type"], "training.Scheduled");
    assert_eq!(lines[0]["payload"]["theme"], "主题, 含逗号");
    assert_eq!(lines[2]["position"], 3);

    let mut csv = Vec::new();
    assert_eq!(
        p.export_events(1, Format::Csv, &mut csv)
            .await
            .expect("exported"),
        2
    );
    let text = String::from_utf8(csv).expect("utf-8");
    assert!(text.starts_with("position,stream_id,stream_version,event_type"));
    assert_eq!(
        text.lines().count(),
        3,
        "header and two events after position 1"
    );

    let mut figures = Vec::new();
    p.export_dashboards(d(2025, 12, 31), None, Format::Csv, &mut figures)
        .await
        .expect("figures exported");
    let text = String::from_utf8(figures).expect("utf-8");
    assert!(text.contains("training,classes,main,1"), "{text}");
}

#[allow(dead_code)]
fn _assert_handle_is_shareable(p: Projections) -> impl Send + Sync + Clone {
    p
}

#[tokio::test]
async fn an_unreadable_snapshot_of_the_current_version_is_ignored_and_the_model_rebuilds() {
    use dossier_projections::model::ReadModel;
    let mut env = Env::new().await;
    schedule(
        &mut env,
        "m1",
        ClassKind::Main,
        None,
        &[TeachingMethod::Case],
    )
    .await;
    let version = dossier_projections::dashboards::training::TrainingDashboard::VERSION;
    env.store()
        .save_snapshot("dashboard_training", version, 1, &[0xff; 7])
        .await
        .expect("saved");
    let (p, _task) = env.start().await;
    assert!(
        !p.status()
            .restored
            .iter()
            .any(|n| n == "dashboard_training")
    );
    assert_eq!(p.dashboard_training().classes("main"), 1);
}

#[tokio::test]
async fn the_timeline_index_survives_a_restart_from_snapshots() {
    let mut env = Env::new().await;
    schedule(
        &mut env,
        "m1",
        ClassKind::Main,
        None,
        &[TeachingMethod::Case],
    )
    .await;
    attend(&mut env, "m1", "c1", "u1", 2, 8.0).await;
    let (p, task) = env.start().await;
    let before = p.timeline("c1").await.expect("timeline").len();
    p.shutdown().await.expect("saved");
    task.await.expect("joined").expect("clean");
    let (p2, _task) = env.start().await;
    assert!(p2.status().restored.iter().any(|n| n == "cadre_index"));
    let after = p2.timeline("c1").await.map(|t| t.len());
    assert_eq!(after.ok(), Some(before));
}

#[tokio::test]
async fn a_snapshot_in_another_format_is_refused_even_under_the_right_version() {
    use dossier_projections::model::ReadModel;
    let mut env = Env::new().await;
    schedule(
        &mut env,
        "m1",
        ClassKind::Main,
        None,
        &[TeachingMethod::Case],
    )
    .await;
    let version = dossier_projections::dashboards::training::TrainingDashboard::VERSION;
    // The JSON of a model claiming three classes, stored under the current name and version.
    let mut fake = dossier_projections::dashboards::training::TrainingDashboard::default();
    for i in 0..3 {
        let event = dossier_domain::Event::Training(dossier_domain::training::Event::Scheduled(
            dossier_domain::training::Scheduled {
                class_id: format!("x{i}"),
                name: "假".into(),
                kind: ClassKind::Main,
                theme: None,
                start_date: d(2025, 1, 1),
                end_date: d(2025, 1, 2),
                scheduled_hours: 1.0,
                methods: vec![],
                organizer_unit_id: None,
            },
        ));
        fake.apply(&dossier_projections::envelope::Envelope {
            position: 1,
            stream_id: "training-x",
            stream_version: 1,
            effective: d(2025, 1, 1),
            event: &event,
        });
    }
    let json = serde_json::to_vec(&fake).expect("json");
    env.store()
        .save_snapshot("dashboard_training", version, 1, &json)
        .await
        .expect("saved");
    let (p, _task) = env.start().await;
    assert!(
        !p.status()
            .restored
            .iter()
            .any(|n| n == "dashboard_training")
    );
    assert_eq!(
        p.dashboard_training().classes("main"),
        1,
        "rebuilt from the log, not read from the foreign snapshot"
    );
}

/// Append one raw event (its type and payload as given) to `stream`.
async fn append_raw(env: &Env, stream: &str, event_type: &str, payload: &str) -> u64 {
    env.store()
        .append(
            stream,
            dossier_store::ExpectedVersion::Any,
            vec![dossier_store::NewEvent::new(
                event_type,
                1,
                payload,
                d(2025, 6, 1),
            )],
            dossier_store::Metadata::new("admin", "org_admin"),
        )
        .await
        .expect("appended")
        .last_position
}

const ACCESS_READ: &str =
    r#"{"actor":"admin","role":"org_admin","what":"leads","ids":["lead-l1"]}"#;

#[tokio::test]
async fn the_access_log_is_passed_over_and_only_unknown_types_count_as_undecodable() {
    let mut env = Env::new().await;
    schedule(
        &mut env,
        "m1",
        ClassKind::Main,
        None,
        &[TeachingMethod::Case],
    )
    .await;
    // Three reads recorded by the API, one event of a type no build knows.
    for _ in 0..3 {
        append_raw(&env, "access-log", "access.Read", ACCESS_READ).await;
    }
    append_raw(&env, "mystery-1", "mystery.Happened", "{}").await;

    // The start-up replay (the parallel pipeline).
    let (p, _task) = env.start().await;
    assert_eq!(p.status().undecodable, 1, "only mystery.Happened");
    assert_eq!(p.dashboard_training().classes("main"), 1);

    // The live follow.
    append_raw(&env, "access-log", "access.Read", ACCESS_READ).await;
    let last = append_raw(&env, "mystery-2", "mystery.Happened", "{}").await;
    p.wait_for(last, WAIT).await.expect("followed");
    assert_eq!(
        p.status().undecodable,
        2,
        "one more mystery, no access read"
    );

    // The sequential and the parallel replays count the same.
    let mut models = dossier_projections::Models::default();
    let (replayed, undecodable) =
        dossier_projections::runner::replay_sequential(&env.store(), &mut models)
            .await
            .expect("replayed");
    assert_eq!((replayed, undecodable), (last, 2));
    let mut models = dossier_projections::Models::default();
    let (_, undecodable) =
        dossier_projections::pipeline::replay_parallel(&env.store(), &mut models, 2)
            .await
            .expect("replayed");
    assert_eq!(undecodable, 2);
}
