//! Training hours read one way everywhere: summed exactly (hundredths), each year judged under the level held that year, every year of service listed; and the 诫勉 deadline alert under the default policy.

use dossier_domain::{
    cadre,
    study::{self, StudyMode},
    types::Rank,
};
use dossier_projections::alerts::AlertKind;

use super::common::*;

async fn unit(env: &mut Env) {
    env.rec
        .unit("u1", "区行政审批局", true, d(2015, 1, 1))
        .await
        .expect("u1");
}

async fn register(env: &mut Env, id: &str, rank: Rank, on: chrono::NaiveDate) {
    env.rec
        .cadre(
            id,
            &format!("干部{id}"),
            "u1",
            d(1985, 5, 17),
            Some((rank, d(2019, 1, 1))),
            on,
        )
        .await
        .expect("registered");
}

/// A 五学 session crediting `hours` to `cadre` on `on`.
async fn study(env: &mut Env, id: &str, cadre: &str, on: chrono::NaiveDate, hours: f64) {
    env.rec
        .exec::<study::Aggregate>(
            study::Command::Hold(study::Hold {
                session_id: id.into(),
                mode: StudyMode::WeeklyLesson,
                date: on,
                topic: "学习".into(),
                hours,
                organizer_unit_id: None,
                location: None,
                attendees: vec![cadre.into()],
            }),
            cadres(&[(cadre, "u1")]),
            on,
        )
        .await
        .expect("session held");
}

fn short_alerts(
    p: &dossier_projections::Projections,
    on: chrono::NaiveDate,
    who: &str,
) -> Vec<String> {
    p.alerts(on)
        .iter()
        .filter(|a| a.kind == AlertKind::TrainingHoursShort && a.cadre_id.as_deref() == Some(who))
        .map(|a| a.message.clone())
        .collect()
}

#[tokio::test]
async fn hours_are_summed_exactly_and_read_the_same_by_profile_alerts_and_coverage() {
    let mut env = Env::new().await;
    unit(&mut env).await;
    register(&mut env, "c1", Rank::ClerkGrade1, d(2024, 1, 2)).await;
    register(&mut env, "c2", Rank::ClerkGrade1, d(2024, 1, 2)).await;
    // c1: 45.1 + 33.3 + 11.6 = 90 hours in 2025 (in `f32` they made 89.99999237060547).
    for (i, h) in [22.55, 22.55, 16.65, 16.65, 11.6].into_iter().enumerate() {
        study(
            &mut env,
            &format!("a{i}"),
            "c1",
            d(2025, 4, 1 + i as u32),
            h,
        )
        .await;
    }
    // c2: 89.99 hours, a hundredth short.
    study(&mut env, "b1", "c2", d(2025, 4, 1), 20.0).await;
    for (i, h) in [23.99, 23.0, 23.0].into_iter().enumerate() {
        study(
            &mut env,
            &format!("b{}", i + 2),
            "c2",
            d(2025, 5, 1 + i as u32),
            h,
        )
        .await;
    }
    let (p, _task) = env.start().await;
    let on = d(2026, 3, 1);
    let year = |who: &str| {
        p.profile(who, on)
            .expect("profile")
            .training
            .into_iter()
            .find(|t| t.year == 2025)
            .expect("2025 listed")
    };
    let c1 = year("c1");
    assert_eq!((c1.hours, c1.period_hours, c1.met), (90.0, 90.0, true));
    assert!(short_alerts(&p, on, "c1").is_empty());
    let c2 = year("c2");
    assert_eq!((c2.hours, c2.met), (89.99, false));
    assert_eq!(
        short_alerts(&p, on, "c2"),
        ["干部c2（c2） 2025 年培训学时 89.99, 少于要求的 90 学时"]
    );
    let coverage = p.dashboard_training_coverage(on);
    let line = coverage
        .iter()
        .find(|c| c.year == 2025 && c.level == "township")
        .expect("2025 township");
    assert_eq!((line.trained, line.met), (2, 1), "{coverage:?}");
}

#[tokio::test]
async fn a_promotion_leaves_the_years_before_it_under_the_level_then_held() {
    let mut env = Env::new().await;
    unit(&mut env).await;
    // 一级主任科员 (乡科级 requirement: 90 a year) from 2019, 2 hours in 2024, none in 2025.
    register(&mut env, "c39", Rank::PrincipalClerk1, d(2020, 1, 2)).await;
    study(&mut env, "s1", "c39", d(2024, 6, 3), 2.0).await;
    // Promoted to 四级调研员 (县处级: 550 over 5 years) on 2026-11-30.
    let promoted = cadre::Event::RankPromoted(cadre::RankPromoted {
        cadre_id: "c39".into(),
        from: Some(Rank::PrincipalClerk1),
        to: Rank::Researcher4,
        effective_on: d(2026, 11, 30),
        document_number: "姜组〔2026〕9号".into(),
        approved_by: "区委组织部".into(),
        served_months: 95,
        counted_months: 95,
        required_months: 24,
        excellent_years: vec![],
        quota_year: None,
        training_makeup: None,
    });
    env.rec
        .append("cadre-c39", &[promoted], d(2026, 11, 30))
        .await
        .expect("promoted");
    let (p, _task) = env.start().await;
    let on = d(2026, 12, 7);
    let training = p.profile("c39", on).expect("profile").training;
    let rows: Vec<(i32, f64, i32, f64, bool)> = training
        .iter()
        .map(|t| (t.year, t.hours, t.period_from, t.required, t.met))
        .collect();
    // Every year of service of the last five full ones, 2025's zero hours included, each judged
    // under 乡科级, the level then held.
    assert_eq!(
        rows,
        [
            (2021, 0.0, 2021, 90.0, false),
            (2022, 0.0, 2022, 90.0, false),
            (2023, 0.0, 2023, 90.0, false),
            (2024, 2.0, 2024, 90.0, false),
            (2025, 0.0, 2025, 90.0, false),
        ]
    );
    assert_eq!(
        short_alerts(&p, on, "c39"),
        ["干部c39（c39） 2025 年培训学时 0.0, 少于要求的 90 学时"]
    );
    // The candidates' explanation reads 2025 the same way.
    let explained = p.read(|m| {
        let rec = m.profiles.model.rec("c39");
        dossier_projections::explain::training_hours(
            &cadre::State::default(),
            rec,
            on,
            &dossier_domain::Policy::national_default(),
        )
    });
    assert_eq!(
        (explained.level, explained.from_year, explained.required),
        ("township", 2025, 90.0)
    );
    // From 2027 the last full year is a 县处级 one: the window 2022—2026.
    let next = short_alerts(&p, d(2027, 3, 1), "c39");
    assert_eq!(
        next,
        ["干部c39（c39） 2022—2026 年培训学时 2.0, 少于要求的 550 学时"]
    );
    let coverage = p.dashboard_training_coverage(on);
    assert!(
        coverage
            .iter()
            .any(|c| c.year == 2024 && c.level == "township" && c.trained == 1),
        "{coverage:?}"
    );
}

#[tokio::test]
async fn years_of_service_are_listed_from_the_first_one() {
    let mut env = Env::new().await;
    unit(&mut env).await;
    register(&mut env, "c5", Rank::ClerkGrade1, d(2023, 5, 1)).await;
    study(&mut env, "s1", "c5", d(2024, 6, 3), 8.0).await;
    let (p, _task) = env.start().await;
    let years: Vec<(i32, f64)> = p
        .profile("c5", d(2026, 12, 7))
        .expect("profile")
        .training
        .iter()
        .map(|t| (t.year, t.hours))
        .collect();
    assert_eq!(years, [(2023, 0.0), (2024, 8.0), (2025, 0.0)]);
    // Before the first year of service there is nothing to judge.
    assert!(short_alerts(&p, d(2023, 3, 1), "c5").is_empty());
}

#[tokio::test]
async fn an_admonition_deadline_alerts_ahead_of_it_under_the_default_policy() {
    let mut env = Env::new().await;
    unit(&mut env).await;
    register(&mut env, "c1", Rank::ClerkGrade1, d(2024, 1, 2)).await;
    // The national default: 12 months to improve, an effect period of 6.
    env.rec
        .exec::<cadre::Aggregate>(
            cadre::Command::IssueAdmonition {
                cadre_id: "c1".into(),
                admonition_id: "m1".into(),
                reason: "基本称职".into(),
                improve_months: None,
            },
            Default::default(),
            d(2025, 3, 3),
        )
        .await
        .expect("admonition");
    let (p, _task) = env.start().await;
    let admonitions = |on| {
        p.alerts(on)
            .iter()
            .filter(|a| a.kind == AlertKind::AdmonitionDeadline)
            .map(|a| (a.due, a.message.clone()))
            .collect::<Vec<_>>()
    };
    let improve_by = d(2026, 3, 3);
    assert!(admonitions(d(2025, 3, 3)).is_empty());
    assert!(admonitions(improve_by - chrono::Duration::days(31)).is_empty());
    assert_eq!(
        admonitions(improve_by - chrono::Duration::days(30)),
        [(
            improve_by,
            "干部c1（c1） 诫勉整改期限 2026-03-03（自 2025-03-03 起）, 尚余 30 天".to_owned()
        )]
    );
    assert_eq!(admonitions(improve_by).len(), 1);
    assert!(admonitions(improve_by + chrono::Duration::days(1)).is_empty());
}
