//! The demo's cultivation (育): training classes with their attendance, recurring study in the five modes, and the bi-monthly forum.

use super::*;

pub(super) struct ClassPlan {
    id: String,
    name: String,
    kind: training::ClassKind,
    theme: Option<String>,
    start: NaiveDate,
    methods: Vec<training::TeachingMethod>,
    /// Enrolled cadres and the days each attended (of 3).
    enrolled: Vec<(String, u64)>,
}

/// 9 main and 13 thematic classes, 2023–2026: enrolment, daily attendance, completion at 80%.
pub(super) async fn classes(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let all: Vec<usize> = (0..plan.cadres.len()).collect();
    let mut specs: Vec<(training::ClassKind, Option<&str>, &str)> = district::MAIN_CLASSES
        .iter()
        .map(|n| (training::ClassKind::Main, None, *n))
        .chain(
            district::THEMATIC_CLASSES
                .iter()
                .map(|(t, n)| (training::ClassKind::Thematic, Some(*t), *n)),
        )
        .collect();
    specs.shuffle(&mut plan.rng);
    let methods = [
        training::TeachingMethod::Case,
        training::TeachingMethod::Discussion,
        training::TeachingMethod::Experiential,
        training::TeachingMethod::Interactive,
        training::TeachingMethod::Simulation,
    ];
    let mut classes = Vec::new();
    for (i, (kind, theme, name)) in specs.into_iter().enumerate() {
        let start = plus(d(2023, 3, 6), i as u64 * 60);
        let mut m = methods.to_vec();
        m.shuffle(&mut plan.rng);
        m.truncate(plan.rng.random_range(2..=3));
        let enrolled = plan
            .pick(&all, 10)
            .into_iter()
            .map(|c| {
                (
                    plan.cadres[c].id.clone(),
                    if plan.rng.random_bool(0.1) { 2 } else { 3 },
                )
            })
            .collect();
        classes.push(ClassPlan {
            id: format!("tc{:02}", i + 1),
            name: name.into(),
            kind,
            theme: theme.map(String::from),
            start,
            methods: m,
            enrolled,
        });
    }
    each(classes, |c| async move {
        let a = admin();
        let end = plus(c.start, 2);
        x.run::<training::Aggregate>(
            &a,
            training::Command::Schedule(training::Schedule {
                class_id: c.id.clone(),
                name: c.name.clone(),
                kind: c.kind,
                theme: c.theme.clone(),
                start_date: c.start,
                end_date: end,
                scheduled_hours: 24.0,
                methods: c.methods.clone(),
                organizer_unit_id: Some("u11".into()),
            }),
            plus(c.start, 0)
                .checked_sub_days(Days::new(14))
                .unwrap_or(c.start),
            Some("姜组办〔培训〕计划"),
        )
        .await?;
        for (cadre_id, _) in &c.enrolled {
            x.run::<training::Aggregate>(
                &a,
                training::Command::Enrol(training::Enrol {
                    class_id: c.id.clone(),
                    cadre_id: cadre_id.clone(),
                }),
                c.start.checked_sub_days(Days::new(7)).unwrap_or(c.start),
                None,
            )
            .await?;
        }
        for day in 0..3u64 {
            let date = plus(c.start, day);
            for (cadre_id, days) in &c.enrolled {
                if day >= *days {
                    continue;
                }
                x.run::<training::Aggregate>(
                    &a,
                    training::Command::RecordAttendance(training::RecordAttendance {
                        class_id: c.id.clone(),
                        cadre_id: cadre_id.clone(),
                        session_date: date,
                        session: None,
                        hours: 8.0,
                    }),
                    date,
                    None,
                )
                .await?;
            }
        }
        for (cadre_id, days) in &c.enrolled {
            if *days == 3 {
                x.run::<training::Aggregate>(
                    &a,
                    training::Command::Complete(training::Complete {
                        class_id: c.id.clone(),
                        cadre_id: cadre_id.clone(),
                    }),
                    end,
                    None,
                )
                .await?;
            }
        }
        x.run::<training::Aggregate>(
            &a,
            training::Command::Close(training::Close {
                class_id: c.id.clone(),
            }),
            plus(end, 3),
            None,
        )
        .await?;
        Ok(())
    })
    .await
}

/// Recurring study in the five modes, 2024–2026.
pub(super) async fn study_sessions(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let all: Vec<usize> = (0..plan.cadres.len()).collect();
    let mut sessions = Vec::new();
    for i in 0..40usize {
        let n = plan.rng.random_range(8..=20);
        let attendees: Vec<String> = plan
            .pick(&all, n)
            .into_iter()
            .map(|c| plan.cadres[c].id.clone())
            .collect();
        let topic = district::STUDY_TOPICS[plan.rng.random_range(0..district::STUDY_TOPICS.len())];
        let hours = f64::from(plan.rng.random_range(2..=4u32));
        sessions.push((i, attendees, topic, hours));
    }
    each(sessions, |(i, attendees, topic, hours)| async move {
        let date = plus(d(2024, 1, 10), i as u64 * 17);
        let mode = study::StudyMode::ALL[i % 5];
        x.run::<study::Aggregate>(
            &admin(),
            study::Command::Hold(study::Hold {
                session_id: format!("st{:03}", i + 1),
                mode,
                date,
                topic: topic.into(),
                hours,
                organizer_unit_id: Some(UNITS[i % UNITS.len()].id.into()),
                location: Some("区委党校".into()),
                attendees,
            }),
            date,
            None,
        )
        .await?;
        Ok(())
    })
    .await
}

/// The bi-monthly forum: lecture, research in a contest on the same topic, answers.
pub(super) async fn forums(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let heads = plan.of_role(|c| c.role == Role_::Head);
    let mut cycles = Vec::new();
    for (i, topic) in district::FORUM_TOPICS.iter().enumerate() {
        let (year, month) = (2025 + (i as i32 * 2) / 12, (i as u32 * 2) % 12 + 1);
        let mut units: Vec<&str> = UNITS.iter().map(|u| u.id).collect();
        units.shuffle(&mut plan.rng);
        units.truncate(plan.rng.random_range(3..=5));
        let presenters: Vec<String> = plan
            .pick(&heads, 3)
            .into_iter()
            .map(|c| plan.cadres[c].id.clone())
            .collect();
        cycles.push((
            format!("f{year}-{month:02}"),
            *topic,
            year,
            month,
            units,
            presenters,
        ));
    }
    each(
        cycles,
        |(id, topic, year, month, units, presenters)| async move {
            let a = admin();
            x.run::<forum::Aggregate>(
                &a,
                forum::Command::Open(forum::Open {
                    forum_id: id.clone(),
                    topic: topic.into(),
                    year,
                    month,
                }),
                d(year, month, 1),
                None,
            )
            .await?;
            x.run::<forum::Aggregate>(
                &a,
                forum::Command::Lecture(forum::Lecture {
                    forum_id: id.clone(),
                    date: d(year, month, 12),
                    title: format!("{topic}（专题讲座）"),
                    speakers: vec!["区委主要领导".into(), "省委党校特邀专家".into()],
                }),
                d(year, month, 12),
                None,
            )
            .await?;
            for (k, unit_id) in units.iter().enumerate() {
                let date = d(year, month, 20 + k as u32);
                x.run::<forum::Aggregate>(
                    &a,
                    forum::Command::SubmitResearch(forum::SubmitResearch {
                        forum_id: id.clone(),
                        unit_id: (*unit_id).into(),
                        title: format!("关于“{topic}”的调研报告"),
                        date,
                    }),
                    date,
                    None,
                )
                .await?;
            }
            let answer_on = d(year, month + 1, 18);
            x.run::<forum::Aggregate>(
                &a,
                forum::Command::Answer(forum::Answer {
                    forum_id: id.clone(),
                    date: answer_on,
                    presenters,
                }),
                answer_on,
                None,
            )
            .await?;
            Ok(())
        },
    )
    .await
}
