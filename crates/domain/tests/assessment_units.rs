//! A unit grades only its own cadres: the batch names a registered unit, and each cadre graded is in that unit for the year (their unit now, or a unit they held a post in that year), on the batch and on the cadre's stream; refusals name the cadre 名（id） and the unit 单位名（id）.

mod common;

use common::*;
use dossier_domain::{
    Aggregate as _,
    assessment::{self, Aggregate as Assessment, Command as AssessmentCommand, GradeEntry},
    cadre::{self, Aggregate as Cadre, Event as CE},
    codes::AssessmentCategory,
    harness::given,
    types::{Grade, PostCategory, Rank},
};

/// Cadre `id` of u-fgw, named 干部<id>.
fn cadre_state(id: &str) -> cadre::State {
    let mut registered = registered(id, Rank::PrincipalClerk4, d(2020, 1, 1));
    if let CE::Registered(r) = &mut registered {
        r.name = format!("干部{id}");
    }
    Cadre::fold([&registered])
}

/// u-fgw and its cadres c0 … c<n-1>.
fn facts(n: usize) -> assessment::Facts {
    assessment::Facts {
        unit: Some(fgw()),
        cadres: (0..n)
            .map(|i| (format!("c{i}"), cadre_state(&format!("c{i}"))))
            .collect(),
    }
}

#[test]
fn a_batch_names_a_registered_unit() {
    // No unit registered under the id, or the fact loaded is another unit's.
    for unit in [
        None,
        Some(cadre::UnitFact {
            unit_id: "u-swj".into(),
            name: "区商务局".into(),
        }),
    ] {
        let err = given::<Assessment>([])
            .with_facts(assessment::Facts { unit, ..facts(2) })
            .on(d(2025, 1, 20))
            .when(fgw_batch(&[(0, Some(Grade::Competent))], None))
            .then_error("UNIT_NOT_FOUND");
        assert!(err.message().contains("u-fgw"), "{err}");
    }
}

/// A cadre registered in 区商务局 (u-swj), named 干部<id>.
fn of_swj(id: &str, extra: Vec<CE>) -> cadre::State {
    let mut registered = registered(id, Rank::PrincipalClerk4, d(2020, 1, 1));
    if let CE::Registered(r) = &mut registered {
        r.name = format!("干部{id}");
        r.unit_id = "u-swj".into();
    }
    Cadre::fold(std::iter::once(&registered).chain(extra.iter()))
}

#[test]
fn a_unit_grades_only_its_own_cadres() {
    // x serves in u-swj and never held a post in u-fgw: u-fgw's batch may not grade them, not
    // even as the only 优秀 beside its own cadres (the cap would count them against u-fgw).
    let mut f = facts(20);
    f.cadres.insert("x".into(), of_swj("x", vec![]));
    let mut entries: Vec<GradeEntry> = (0..20)
        .map(|i| GradeEntry {
            cadre_id: format!("c{i}"),
            grade: Some(Grade::Competent),
            evaluation_id: None,
        })
        .collect();
    entries.push(GradeEntry {
        cadre_id: "x".into(),
        grade: Some(Grade::Excellent),
        evaluation_id: None,
    });
    let with = |entries: Vec<GradeEntry>| AssessmentCommand::RecordGrades {
        key: assessment::stream_key("u-fgw", 2024),
        unit_id: "u-fgw".into(),
        year: 2024,
        category: AssessmentCategory::Annual,
        entries,
        basis: None,
    };
    let err = given::<Assessment>([])
        .with_facts(f.clone())
        .on(d(2025, 1, 20))
        .when(with(entries))
        .then_error("ASSESSMENT_CADRE_NOT_IN_UNIT");
    assert!(
        err.message().contains("干部x（x） 不属于区发改委（u-fgw）"),
        "{err}"
    );
    assert!(err.message().contains("现所在单位为 u-swj"), "{err}");
    // y moved to u-swj in 2025 but held a post in u-fgw until then: u-fgw grades their 2024.
    let fgw_post = post("u-fgw", "staff", PostCategory::General);
    let swj_post = post("u-swj", "staff", PostCategory::General);
    let y = of_swj(
        "y",
        vec![
            appointed("y", &fgw_post, d(2021, 3, 1)),
            CE::Removed(cadre::Removed {
                cadre_id: "y".into(),
                unit_id: "u-fgw".into(),
                post_id: "staff".into(),
                post_title: fgw_post.title.clone(),
                manner: dossier_domain::codes::RemovalManner::Removal,
                reason: dossier_domain::codes::RemovalReason::Other,
                approved_by: "区委".into(),
                decided_on: d(2025, 1, 5),
                effective_on: d(2025, 1, 5),
                document_number: "泰姜委〔2025〕1号".into(),
                held_since: d(2021, 3, 1),
            }),
            appointed("y", &swj_post, d(2025, 1, 5)),
        ],
    );
    assert_eq!(y.unit_id, "u-swj");
    f.cadres.insert("y".into(), y);
    let one = |id: &str| {
        with(vec![GradeEntry {
            cadre_id: id.into(),
            grade: Some(Grade::Competent),
            evaluation_id: None,
        }])
    };
    given::<Assessment>([])
        .with_facts(f.clone())
        .on(d(2025, 1, 20))
        .when(one("y"))
        .then_ok();
    // Their own cadres, registered in the unit, are graded as before.
    given::<Assessment>([])
        .with_facts(f)
        .on(d(2025, 1, 20))
        .when(one("c0"))
        .then_ok();
}

#[test]
fn a_unit_grades_a_cadre_only_for_a_year_they_served_in_it() {
    // y serves in u-swj and holds a post in u-fgw concurrently (兼任) from 2025: u-fgw may grade
    // their 2025, not their 2023; u-swj, their unit, may grade either.
    let mut concurrent = appointed(
        "y",
        &post("u-fgw", "staff", PostCategory::General),
        d(2025, 1, 5),
    );
    if let CE::Appointed(a) = &mut concurrent {
        a.change_category = dossier_domain::codes::ChangeCategory::Concurrent;
    }
    let mut history = vec![registered("y", Rank::PrincipalClerk4, d(2020, 1, 1))];
    if let CE::Registered(r) = &mut history[0] {
        r.unit_id = "u-swj".into();
    }
    history.push(concurrent);
    let y = Cadre::fold(&history);
    assert_eq!(y.unit_id, "u-swj");
    assert!(cadre::in_unit_for_year(&y, "u-fgw", 2025));
    assert!(!cadre::in_unit_for_year(&y, "u-fgw", 2023));
    assert!(cadre::in_unit_for_year(&y, "u-swj", 2023));
    // The cadre stream checks it as the batch does.
    let grade_2023 = |unit: &str| cadre::Command::RecordGrade {
        cadre_id: "y".into(),
        unit_id: unit.into(),
        year: 2023,
        grade: Some(Grade::Competent),
        category: AssessmentCategory::Annual,
        basis: None,
        evaluation_id: None,
    };
    given::<Cadre>(history.clone())
        .on(d(2025, 1, 20))
        .when(grade_2023("u-fgw"))
        .then_error("ASSESSMENT_CADRE_NOT_IN_UNIT");
    given::<Cadre>(history)
        .on(d(2025, 1, 20))
        .when(grade_2023("u-swj"))
        .then_ok();
}

#[test]
fn a_year_graded_twice_is_refused_naming_the_cadre() {
    let history = [
        registered("c1", Rank::PrincipalClerk4, d(2020, 1, 1)),
        grade("c1", 2024, Some(Grade::Competent)),
    ];
    let err = given::<Cadre>(history)
        .on(d(2025, 1, 20))
        .when(cadre::Command::RecordGrade {
            cadre_id: "c1".into(),
            unit_id: "u-fgw".into(),
            year: 2024,
            grade: Some(Grade::Excellent),
            category: AssessmentCategory::Annual,
            basis: None,
            evaluation_id: None,
        })
        .then_error("ASSESSMENT_ALREADY_GRADED");
    assert!(
        err.message()
            .contains("李华（c1） 2024 年度已确定等次 “称职”"),
        "{err}"
    );
}
