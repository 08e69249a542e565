//! As-of views: a profile and a unit as they stood on an effective date, as known at a log position.

use dossier_domain::types::{Grade, RotationKind};

use super::{cadres::world, common::*};

#[tokio::test]
async fn a_profile_as_of_shows_appointment_grade_and_rotation_each_from_its_date() {
    let mut env = Env::new().await;
    world(&mut env).await; // c1 appointed to u1/p1 on 2020-03-01
    env.rec
        .grade("c1", "u1", 2021, Some(Grade::Excellent), d(2022, 1, 15))
        .await
        .expect("graded");
    env.rec
        .rotate(
            "c1",
            RotationKind::Spurring,
            "p1",
            "u2",
            "p3",
            d(2023, 5, 1),
        )
        .await
        .expect("rotated");
    let (p, _task) = env.start().await;

    let at = |date| {
        let p = p.clone();
        async move {
            p.profile_as_of("c1", date, None)
                .await
                .expect("as-of read")
                .expect("c1 registered by then")
        }
    };
    let before = at(d(2020, 2, 29)).await;
    assert!(before.posts.is_empty(), "not yet appointed");
    let appointed = at(d(2020, 3, 1)).await;
    assert_eq!(appointed.posts[0].post_id, "p1");
    assert!(
        appointed.grades.is_empty(),
        "the 2021 grade was not yet recorded as effective"
    );
    let graded = at(d(2022, 1, 15)).await;
    assert_eq!(graded.grades.len(), 1);
    assert_eq!(graded.grades[0].grade, Some(Grade::Excellent));
    assert_eq!(graded.posts[0].post_id, "p1");
    let rotated = at(d(2023, 5, 1)).await;
    assert_eq!(rotated.posts[0].post_id, "p3");
    assert_eq!(rotated.rotations.len(), 1);
    assert_eq!(rotated.unit_id.as_deref(), Some("u2"));
    assert!(
        p.profile_as_of("c1", d(2018, 12, 31), None)
            .await
            .expect("read")
            .is_none(),
        "not registered yet"
    );
}

#[tokio::test]
async fn a_late_recorded_fact_is_visible_as_known_only_after_its_position() {
    let mut env = Env::new().await;
    world(&mut env).await;
    env.rec
        .cadre("c2", "李强", "u2", d(1990, 2, 3), None, d(2019, 1, 1))
        .await
        .expect("c2");
    let before_correction = env.store().head().await.expect("head");
    // Recorded now, effective back on 2024-01-01: c2 had been appointed to u2/p3 then.
    let correction = env
        .rec
        .appoint("c2", "u2", "p3", d(2024, 1, 1))
        .await
        .expect("late appointment");
    let (p, _task) = env.start().await;

    let then = p
        .profile_as_of("c2", d(2024, 3, 1), Some(before_correction))
        .await
        .expect("read")
        .expect("c2");
    assert!(
        then.posts.is_empty(),
        "what the record said before the correction was entered"
    );
    let now = p
        .profile_as_of("c2", d(2024, 3, 1), Some(correction))
        .await
        .expect("read")
        .expect("c2");
    assert_eq!(
        now.posts[0].post_id, "p3",
        "known after the correction's position"
    );

    let unit_then = p
        .unit_as_of("u2", d(2024, 3, 1), Some(before_correction))
        .await
        .expect("read")
        .expect("u2");
    assert!(unit_then.posts["p3"].incumbents.is_empty());
    let unit_now = p
        .unit_as_of("u2", d(2024, 3, 1), None)
        .await
        .expect("read")
        .expect("u2");
    assert_eq!(unit_now.posts["p3"].incumbents[0].cadre_id, "c2");
    let unit_before = p
        .unit_as_of("u2", d(2023, 12, 31), None)
        .await
        .expect("read")
        .expect("u2");
    assert!(
        unit_before.posts["p3"].incumbents.is_empty(),
        "effective only from 2024-01-01"
    );
}
