//! Training dashboard and training hours in profiles.

use dossier_domain::{
    forum,
    study::{self, StudyMode},
    training::{self, ClassKind, TeachingMethod},
};

use super::common::*;

pub async fn schedule(
    env: &mut Env,
    id: &str,
    kind: ClassKind,
    theme: Option<&str>,
    methods: &[TeachingMethod],
) -> u64 {
    env.rec
        .exec::<training::Aggregate>(
            training::Command::Schedule(training::Schedule {
                class_id: id.into(),
                name: format!("班次 {id}"),
                kind,
                theme: theme.map(Into::into),
                start_date: d(2025, 3, 1),
                end_date: d(2025, 3, 10),
                scheduled_hours: 40.0,
                methods: methods.to_vec(),
                organizer_unit_id: Some("party-school".into()),
            }),
            Default::default(),
            d(2025, 2, 20),
        )
        .await
        .expect("class scheduled")
}

pub async fn attend(
    env: &mut Env,
    class: &str,
    cadre: &str,
    unit: &str,
    day: u32,
    hours: f64,
) -> u64 {
    env.rec
        .exec::<training::Aggregate>(
            training::Command::Enrol(training::Enrol {
                class_id: class.into(),
                cadre_id: cadre.into(),
            }),
            cadres(&[(cadre, unit)]),
            d(2025, 2, 25),
        )
        .await
        .ok();
    env.rec
        .exec::<training::Aggregate>(
            training::Command::RecordAttendance(training::RecordAttendance {
                class_id: class.into(),
                cadre_id: cadre.into(),
                session_date: d(2025, 3, day),
                session: None,
                hours,
            }),
            Default::default(),
            d(2025, 3, day),
        )
        .await
        .expect("attendance recorded")
}

#[tokio::test]
async fn training_dashboard_counts_classes_by_kind_and_method_enrolments_and_hours() {
    let mut env = Env::new().await;
    schedule(
        &mut env,
        "m1",
        ClassKind::Main,
        None,
        &[TeachingMethod::Case, TeachingMethod::Discussion],
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
    schedule(
        &mut env,
        "t1",
        ClassKind::Thematic,
        Some("智改数转"),
        &[TeachingMethod::Simulation],
    )
    .await;
    attend(&mut env, "m1", "c1", "u1", 2, 8.0).await;
    attend(&mut env, "m1", "c1", "u1", 3, 6.0).await;
    attend(&mut env, "t1", "c2", "u1", 4, 4.0).await;

    let (p, _task) = env.start().await;
    let t = p.dashboard_training();
    assert_eq!(t.classes("main"), 2);
    assert_eq!(t.classes("thematic"), 1);
    assert_eq!(t.by_kind["main"].by_method["case"], 2);
    assert_eq!(t.by_kind["main"].by_method["discussion"], 1);
    assert_eq!(t.by_kind["thematic"].by_method["simulation"], 1);
    assert_eq!(t.by_theme["智改数转"], 1);
    assert_eq!(t.by_kind["main"].enrolments, 1);
    assert_eq!(t.by_kind["thematic"].enrolments, 1);
    assert!((t.by_kind["main"].hours_credited - 14.0).abs() < 1e-9);

    let c1 = p.profile("c1", d(2025, 12, 31)).expect("c1 has a profile");
    assert_eq!(c1.training.len(), 1);
    assert_eq!(c1.training[0].year, 2025);
    assert!((c1.training[0].hours - 14.0).abs() < 1e-6);
    assert!(!c1.training[0].met, "14 of 90 hours is short");

    let coverage = p.dashboard_training_coverage(d(2025, 12, 31));
    assert_eq!(coverage.len(), 1, "{coverage:?}");
    assert_eq!((coverage[0].year, coverage[0].level), (2025, "township"));
    assert_eq!((coverage[0].trained, coverage[0].met), (2, 0));
}

#[tokio::test]
async fn study_sessions_count_by_mode_and_credit_every_attendee() {
    let mut env = Env::new().await;
    for (i, mode) in [
        StudyMode::WeeklyLesson,
        StudyMode::WeeklyLesson,
        StudyMode::FieldVisit,
    ]
    .into_iter()
    .enumerate()
    {
        env.rec
            .exec::<study::Aggregate>(
                study::Command::Hold(study::Hold {
                    session_id: format!("s{i}"),
                    mode,
                    date: d(2025, 4, 1 + i as u32),
                    topic: "学习".into(),
                    hours: 2.0,
                    organizer_unit_id: None,
                    location: Some("一线".into()),
                    attendees: vec!["c1".into(), "c2".into()],
                }),
                cadres(&[("c1", "u1"), ("c2", "u1")]),
                d(2025, 4, 1 + i as u32),
            )
            .await
            .expect("session held");
    }
    let (p, _task) = env.start().await;
    let t = p.dashboard_training();
    assert_eq!(t.study_sessions["weekly_lesson"], 2);
    assert_eq!(t.study_sessions["field_visit"], 1);
    assert_eq!(t.study_attendances["weekly_lesson"], 4);
    let c2 = p.profile("c2", d(2025, 12, 31)).expect("c2 profile");
    assert!((c2.training[0].hours - 6.0).abs() < 1e-6);
}

#[tokio::test]
async fn hours_coverage_counts_cadres_meeting_the_yearly_requirement() {
    let mut env = Env::new().await;
    for m in ["m1", "m2", "m3"] {
        schedule(&mut env, m, ClassKind::Main, None, &[TeachingMethod::Case]).await;
    }
    // c1: 3 × 30 hours = the 90-hour requirement (15 a day); c2: 40 hours (20 a day).
    for (class, days) in [("m1", [2, 5]), ("m2", [3, 6]), ("m3", [4, 7])] {
        for day in days {
            attend(&mut env, class, "c1", "u1", day, 15.0).await;
        }
    }
    attend(&mut env, "m1", "c2", "u1", 3, 20.0).await;
    attend(&mut env, "m1", "c2", "u1", 4, 20.0).await;
    let (p, _task) = env.start().await;
    let coverage = p.dashboard_training_coverage(d(2025, 12, 31));
    assert_eq!(
        (coverage[0].trained, coverage[0].met),
        (2, 1),
        "{coverage:?}"
    );
    assert!((coverage[0].required - 90.0).abs() < 1e-9);
}

#[tokio::test]
async fn forum_cycles_count_lectures_research_results_and_answers() {
    let mut env = Env::new().await;
    let f = |c| forum::Command::Open(c);
    env.rec
        .exec::<forum::Aggregate>(
            f(forum::Open {
                forum_id: "f1".into(),
                topic: "营商环境".into(),
                year: 2025,
                month: 3,
            }),
            Default::default(),
            d(2025, 3, 1),
        )
        .await
        .expect("forum opened");
    env.rec
        .exec::<forum::Aggregate>(
            forum::Command::Lecture(forum::Lecture {
                forum_id: "f1".into(),
                date: d(2025, 3, 5),
                title: "讲".into(),
                speakers: vec!["专家".into()],
            }),
            Default::default(),
            d(2025, 3, 5),
        )
        .await
        .expect("lecture held");
    for u in ["u1", "u2"] {
        env.rec
            .exec::<forum::Aggregate>(
                forum::Command::SubmitResearch(forum::SubmitResearch {
                    forum_id: "f1".into(),
                    unit_id: u.into(),
                    title: "调研".into(),
                    date: d(2025, 3, 20),
                }),
                Default::default(),
                d(2025, 3, 20),
            )
            .await
            .expect("research submitted");
    }
    let (p, _task) = env.start().await;
    let t = p.dashboard_training();
    assert_eq!(t.forum_cycles, 1);
    assert_eq!(t.forum_lectures, 1);
    assert_eq!(t.forum_research_results, 2);
    assert_eq!(t.forum_answer_sessions, 0);
}
