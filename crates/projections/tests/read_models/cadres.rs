//! Profiles, unit views, rotation and assessment dashboards, tenure and down-review alerts.

use dossier_domain::types::{Grade, LeadershipLevel, PostCategory, Rank, RotationKind};
use dossier_projections::alerts::AlertKind;

use super::common::*;

/// Two units (u1 business-facing with a hot post p1), a cadre c1 in p1 since 2020-03-01.
pub async fn world(env: &mut Env) {
    let r = &mut env.rec;
    r.unit("u1", "区行政审批局", true, d(2015, 1, 1))
        .await
        .expect("u1");
    r.unit("u2", "区发改委", false, d(2015, 1, 1))
        .await
        .expect("u2");
    r.post(
        "u1",
        "p1",
        "审批科科长",
        PostCategory::Business,
        Some(LeadershipLevel::TownshipDeputy),
        d(2015, 1, 2),
    )
    .await
    .expect("p1");
    r.post(
        "u1",
        "p2",
        "综合科科员",
        PostCategory::General,
        None,
        d(2015, 1, 2),
    )
    .await
    .expect("p2");
    r.post(
        "u2",
        "p3",
        "规划科科长",
        PostCategory::Business,
        Some(LeadershipLevel::TownshipDeputy),
        d(2015, 1, 2),
    )
    .await
    .expect("p3");
    r.hot_post("u1", "p1", 5, d(2015, 1, 3))
        .await
        .expect("hot p1");
    r.cadre(
        "c1",
        "王敏",
        "u1",
        d(1985, 5, 17),
        Some((Rank::PrincipalClerk2, d(2019, 1, 1))),
        d(2019, 1, 1),
    )
    .await
    .expect("c1");
    r.appoint("c1", "u1", "p1", d(2020, 3, 1))
        .await
        .expect("c1 appointed");
}

#[tokio::test]
async fn a_profile_shows_unit_post_rank_and_the_years_in_each() {
    let mut env = Env::new().await;
    world(&mut env).await;
    let (p, _task) = env.start().await;
    let c1 = p.profile("c1", d(2025, 6, 30)).expect("c1 profile");
    assert_eq!(c1.name, "王敏");
    assert_eq!(c1.unit_id.as_deref(), Some("u1"));
    assert_eq!(c1.posts.len(), 1);
    assert_eq!(c1.posts[0].post_id, "p1");
    assert_eq!(c1.posts[0].since, d(2020, 3, 1));
    assert_eq!(c1.posts[0].years, 5);
    assert_eq!(c1.rank, Some(Rank::PrincipalClerk2));
    assert_eq!(c1.years_in_rank, Some(6));
    assert!(c1.is_leader, "a leadership post makes a leader");
    assert!(p.profile("nobody", d(2025, 6, 30)).is_none());
}

#[tokio::test]
async fn a_unit_view_lists_incumbents_vacancies_and_hot_post_tenure() {
    let mut env = Env::new().await;
    world(&mut env).await;
    let (p, _task) = env.start().await;
    let u1 = p.unit("u1").expect("u1 view");
    assert_eq!(u1.name, "区行政审批局");
    assert_eq!(u1.posts["p1"].incumbents[0].cadre_id, "c1");
    let vacant: Vec<&str> = u1.vacancies().iter().map(|p| p.post_id.as_str()).collect();
    assert_eq!(vacant, vec!["p2"]);
    let before = u1.hot_posts(d(2025, 2, 28));
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].years, 4);
    assert!(!before[0].due, "4 years of 5: not yet due");
    let after = u1.hot_posts(d(2025, 3, 1));
    assert!(after[0].due, "5 full years on 2025-03-01: due");
    let (_, due) = p.dashboard_rotation(d(2025, 3, 1));
    assert_eq!(due.total, 1);
    assert_eq!(due.by_unit["u1"], 1);
    assert_eq!(due.longest[0].cadre_id, "c1");
    assert_eq!(p.dashboard_rotation(d(2025, 2, 28)).1.total, 0);
    assert_eq!(p.units().len(), 2);
}

#[tokio::test]
async fn hot_post_tenure_alert_is_raised_from_the_limit_date_on() {
    let mut env = Env::new().await;
    world(&mut env).await;
    let (p, _task) = env.start().await;
    let hot = |on| {
        p.alerts(on)
            .iter()
            .filter(|a| a.kind == AlertKind::HotPostTenure)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert!(hot(d(2025, 2, 28)).is_empty());
    let due = hot(d(2025, 3, 1));
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].cadre_id.as_deref(), Some("c1"));
    assert_eq!(due[0].due, d(2025, 3, 1));
    assert!(due[0].message.contains("热点岗位"), "{}", due[0].message);
}

#[tokio::test]
async fn rotating_a_hot_post_head_counts_on_the_rotation_dashboard_and_moves_the_incumbent() {
    let mut env = Env::new().await;
    world(&mut env).await;
    let pos = env
        .rec
        .rotate(
            "c1",
            RotationKind::Cultivating,
            "p1",
            "u2",
            "p3",
            d(2025, 4, 1),
        )
        .await
        .expect("rotated");
    let (p, _task) = env.start().await;
    p.wait_for(pos, WAIT).await.expect("folded");
    let (rot, due) = p.dashboard_rotation(d(2025, 6, 30));
    let y = &rot[&2025];
    assert_eq!(y.total, 1);
    assert_eq!(y.hot_post_heads, 1);
    assert_eq!(y.hot_post_units.len(), 1);
    assert_eq!(y.by_kind["cultivating"], 1);
    assert_eq!(y.by_unit["u1"], 1);
    assert_eq!(due.total, 0, "the hot post's holder left");
    assert!(due.longest.is_empty());
    assert!(p.unit("u1").expect("u1").posts["p1"].incumbents.is_empty());
    assert_eq!(
        p.unit("u2").expect("u2").posts["p3"].incumbents[0].cadre_id,
        "c1"
    );
    let c1 = p.profile("c1", d(2025, 6, 30)).expect("c1");
    assert_eq!(c1.rotations.len(), 1);
    assert_eq!(c1.rotations[0].from_unit_id, "u1");
    assert_eq!(c1.unit_id.as_deref(), Some("u2"));
    assert_eq!(c1.posts[0].post_id, "p3");
}

#[tokio::test]
async fn grades_show_by_year_in_the_profile_and_on_the_assessment_dashboard() {
    let mut env = Env::new().await;
    world(&mut env).await;
    // Seven assessed: 15% allows one 优秀.
    let others = ["c2", "c3", "c4", "c5", "c6", "c7"];
    for (i, c) in others.iter().enumerate() {
        env.rec
            .cadre(
                c,
                "李强",
                "u1",
                d(1990, 2, 3 + i as u32),
                None,
                d(2019, 1, 1),
            )
            .await
            .expect("cadre");
    }
    let batch = |first: Grade| {
        let mut v = vec![("c1", Some(first))];
        v.extend(others.iter().map(|c| (*c, Some(Grade::Competent))));
        v
    };
    env.rec
        .grades_batch("u1", 2023, &batch(Grade::Competent), d(2024, 1, 15))
        .await
        .expect("2023 batch");
    env.rec
        .grades_batch("u1", 2024, &batch(Grade::Excellent), d(2025, 1, 15))
        .await
        .expect("2024 batch");
    let (p, _task) = env.start().await;
    let c1 = p.profile("c1", d(2025, 6, 30)).expect("c1");
    let grades: Vec<(i16, Option<Grade>)> = c1.grades.iter().map(|g| (g.year, g.grade)).collect();
    assert_eq!(
        grades,
        vec![
            (2023, Some(Grade::Competent)),
            (2024, Some(Grade::Excellent))
        ]
    );
    let a = p.dashboard_assessment();
    assert_eq!(a.by_year[&2023]["competent"], 7);
    assert_eq!(a.by_year[&2024]["excellent"], 1);
    assert_eq!(a.by_year_unit[&2024]["u1"]["competent"], 6);
    let share = &a.excellent_share[&2024]["u1"];
    assert_eq!((share.assessed, share.excellent, share.cap), (7, 1, 1));
    // 优秀 earns a commendation (嘉奖): an award on the profile, and points for both.
    assert!(
        c1.awards
            .iter()
            .any(|aw| aw.kind == dossier_domain::types::AwardKind::Commendation),
        "{:?}",
        c1.awards
    );
    let grade_points: f64 = c1
        .points
        .items
        .iter()
        .filter(|i| i.label.contains("年度考核"))
        .map(|i| i.points)
        .sum();
    assert!(grade_points > 0.0, "{:?}", c1.points);
}

#[tokio::test]
async fn an_incompetent_grade_opens_a_down_review_that_alerts_once_due() {
    let mut env = Env::new().await;
    world(&mut env).await;
    env.rec
        .grade("c1", "u1", 2024, Some(Grade::Incompetent), d(2025, 1, 10))
        .await
        .expect("graded");
    let (p, _task) = env.start().await;
    let c1 = p.profile("c1", d(2025, 1, 11)).expect("c1");
    assert_eq!(c1.down_reviews.len(), 1, "{:?}", c1.down_reviews);
    assert_eq!(c1.down_reviews[0].year, Some(2024));
    let days = p.policy_on(d(2025, 1, 10)).reminders.down_review_due_days;
    let due = d(2025, 1, 10) + chrono::Duration::days(i64::from(days));
    let down = |on| {
        p.alerts(on)
            .iter()
            .filter(|a| a.kind == AlertKind::DownReviewDue)
            .count()
    };
    assert_eq!(down(due - chrono::Duration::days(1)), 0);
    assert_eq!(down(due), 1);
}

#[tokio::test]
async fn profiles_page_by_cursor_and_filter() {
    let mut env = Env::new().await;
    world(&mut env).await;
    for i in 0..5 {
        env.rec
            .cadre(
                &format!("x{i}"),
                &format!("张{i}"),
                "u2",
                d(1990, 1, 1 + i),
                None,
                d(2019, 1, 1),
            )
            .await
            .expect("cadre");
    }
    let (p, _task) = env.start().await;
    let all = dossier_projections::profile::ProfileFilter::default();
    let first = p.profiles(&all, None, 4);
    assert_eq!(first.items.len(), 4);
    let second = p.profiles(&all, first.next_cursor.as_deref(), 4);
    assert_eq!(second.items.len(), 2);
    assert!(second.next_cursor.is_none());
    let mut ids: Vec<String> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|s| s.cadre_id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 6, "no profile twice, none missed");
    let in_u2 = dossier_projections::profile::ProfileFilter {
        unit_id: Some("u2".into()),
        ..Default::default()
    };
    assert_eq!(p.profiles(&in_u2, None, 100).items.len(), 5);
    let leaders = dossier_projections::profile::ProfileFilter {
        leader: Some(true),
        ..Default::default()
    };
    let l = p.profiles(&leaders, None, 100);
    assert_eq!(l.items.len(), 1);
    assert_eq!(l.items[0].cadre_id, "c1");
    let unknown = dossier_projections::profile::ProfileFilter {
        unit_id: Some("nowhere".into()),
        ..Default::default()
    };
    assert!(p.profiles(&unknown, None, 100).items.is_empty());
}

#[tokio::test]
async fn the_hot_posts_due_on_todays_dashboards_follow_a_new_holder_of_a_hot_post() {
    let mut env = Env::new().await;
    world(&mut env).await;
    let (p, _task) = env.start().await;
    let due = |p: &dossier_projections::Projections| {
        let on = d(2025, 3, 1);
        p.read(|m| dossier_projections::dashboards::rotation_due_figures(m, on))
            .into_iter()
            .map(|f| (f.key, f.value))
            .collect::<Vec<_>>()
    };
    let before = vec![("u1".to_owned(), 1.0), (String::new(), 1.0)];
    assert_eq!(due(&p), before);
    assert_eq!(due(&p), before, "read again, kept");
    // A second holder of the hot post, long enough to be due too.
    env.rec
        .cadre("c2", "李强", "u1", d(1980, 1, 1), None, d(2010, 1, 1))
        .await
        .expect("c2");
    env.rec
        .appoint("c2", "u1", "p1", d(2018, 6, 1))
        .await
        .expect("c2 appointed");
    let head = env.store().head().await.expect("head");
    p.wait_for(head, WAIT).await.expect("caught up");
    assert_eq!(
        due(&p),
        vec![("u1".to_owned(), 2.0), (String::new(), 2.0)],
        "the kept counts are dropped when a hot post changes"
    );
}
