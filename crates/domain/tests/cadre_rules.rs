//! Cadre stream rules: registration input, appointment and removal, kinship avoidance, reappointment bars,
//! rotation, grade consequences, effect periods.

mod common;

use common::*;
use dossier_domain::{
    avoidance::RelativeFact,
    cadre::{self, Aggregate as Cadre, Command, Event as E, Facts, UnitFact},
    codes::{AssessmentCategory, ChangeCategory, RemovalManner, RemovalReason},
    harness::given,
    types::{
        AwardKind, Gender, Grade, LeadershipLevel, PostCategory, Rank, Relation, RotationKind,
        SanctionKind,
    },
};

const C: &str = "c1";

fn unit_facts() -> Facts {
    Facts {
        unit: Some(UnitFact {
            unit_id: "u-fgw".into(),
            name: "区发改委".into(),
        }),
        ..Facts::default()
    }
}

fn register(id_number: &str) -> cadre::Register {
    cadre::Register {
        cadre_id: C.into(),
        name: "李华".into(),
        id_number: id_number.into(),
        gender: None,
        birth_date: None,
        ethnicity: Some("汉族".into()),
        unit_id: "u-fgw".into(),
        rank: Some(Rank::PrincipalClerk4),
        rank_since: Some(d(2023, 1, 1)),
        leadership_level: None,
        level_since: None,
        joined_work_on: Some(d(2008, 8, 1)),
    }
}

#[test]
fn registration_validates_the_id_number() {
    let good = id_number("19850412", "123");
    let events = given::<Cadre>([])
        .with_facts(unit_facts())
        .when(Command::Register(register(&good)))
        .then_ok();
    let [E::Registered(r)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!((r.birth_date, r.gender), (d(1985, 4, 12), Gender::Male));

    let mut bad = good.clone();
    bad.replace_range(17.., if good.ends_with('0') { "1" } else { "0" });
    let err = given::<Cadre>([])
        .with_facts(unit_facts())
        .when(Command::Register(register(&bad)))
        .then_error("ID_NUMBER_CHECK_DIGIT");
    assert!(err.message().contains("校验码错误"));
}

#[test]
fn registration_birth_date_and_gender_must_match_the_id_number() {
    let good = id_number("19850412", "123");
    let mut c = register(&good);
    c.birth_date = Some(d(1985, 4, 13));
    given::<Cadre>([])
        .with_facts(unit_facts())
        .when(Command::Register(c))
        .then_error("ID_NUMBER_BIRTH_MISMATCH");
    let mut c = register(&good);
    c.gender = Some(Gender::Female);
    given::<Cadre>([])
        .with_facts(unit_facts())
        .when(Command::Register(c))
        .then_error("ID_NUMBER_GENDER_MISMATCH");
    let mut c = register(&good);
    c.birth_date = Some(d(1985, 4, 12));
    c.gender = Some(Gender::Male);
    given::<Cadre>([])
        .with_facts(unit_facts())
        .when(Command::Register(c))
        .then_ok();
}

#[test]
fn registration_refuses_bad_input() {
    let good = id_number("19850412", "123");
    let mut c = register(&good);
    c.name = "  ".into();
    given::<Cadre>([])
        .with_facts(unit_facts())
        .when(Command::Register(c))
        .then_error("CADRE_NAME_REQUIRED");
    given::<Cadre>([])
        .when(Command::Register(register(&good)))
        .then_error("UNIT_NOT_FOUND");
    let mut c = register(&good);
    c.rank_since = Some(d(2030, 1, 1));
    given::<Cadre>([])
        .with_facts(unit_facts())
        .when(Command::Register(c))
        .then_error("DATE_IN_FUTURE");
    let mut c = register(&good);
    c.rank_since = None;
    given::<Cadre>([])
        .with_facts(unit_facts())
        .when(Command::Register(c))
        .then_error("RANK_SINCE_REQUIRED");
    // A birth date after today (an ID number for someone not yet born).
    let future = id_number("20300101", "124");
    given::<Cadre>([])
        .with_facts(unit_facts())
        .when(Command::Register(register(&future)))
        .then_error("DATE_IN_FUTURE");
    given::<Cadre>([registered(C, Rank::ClerkGrade1, d(2020, 1, 1))])
        .with_facts(unit_facts())
        .when(Command::Register(register(&good)))
        .then_error("CADRE_ALREADY_REGISTERED");
}

#[test]
fn commands_on_an_unregistered_cadre_are_refused() {
    given::<Cadre>([])
        .when(Command::LowerRank {
            cadre_id: C.into(),
            reason: "x".into(),
            document_number: None,
        })
        .then_error("CADRE_NOT_FOUND");
}

#[test]
fn appointment_needs_a_known_open_post() {
    let base = [registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))];
    let p = post("u-fgw", "p1", PostCategory::Business);
    let events = given::<Cadre>(base.clone())
        .with_facts(Facts {
            post: Some(p.clone()),
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "p1")))
        .then_ok();
    let [E::Appointed(a)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        (a.unit_id.as_str(), a.post_id.as_str(), a.effective_on),
        ("u-fgw", "p1", d(2025, 6, 30))
    );

    given::<Cadre>(base.clone())
        .when(Command::Appoint(appoint(C, "u-fgw", "p1")))
        .then_error("POST_NOT_FOUND");
    let closed = dossier_domain::unit::PostFact {
        open: false,
        ..p.clone()
    };
    given::<Cadre>(base.clone())
        .with_facts(Facts {
            post: Some(closed),
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "p1")))
        .then_error("POST_CLOSED");
    given::<Cadre>([base[0].clone(), appointed(C, &p, d(2024, 1, 1))])
        .with_facts(Facts {
            post: Some(p.clone()),
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "p1")))
        .then_error("APPOINTMENT_ALREADY_HELD");
}

#[test]
fn appointment_needs_document_number_and_past_dates() {
    let base = [registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))];
    let facts = || Facts {
        post: Some(post("u-fgw", "p1", PostCategory::Business)),
        ..Facts::default()
    };
    let mut c = appoint(C, "u-fgw", "p1");
    c.document_number = " ".into();
    given::<Cadre>(base.clone())
        .with_facts(facts())
        .when(Command::Appoint(c))
        .then_error("DOCUMENT_NUMBER_REQUIRED");
    // Taking effect after today.
    given::<Cadre>(base.clone())
        .with_facts(facts())
        .effective(d(2025, 7, 15), d(2025, 6, 30))
        .when(Command::Appoint(appoint(C, "u-fgw", "p1")))
        .then_error("DATE_IN_FUTURE");
    let mut c = appoint(C, "u-fgw", "p1");
    c.decided_on = d(2025, 7, 1);
    given::<Cadre>(base.clone())
        .with_facts(facts())
        .when(Command::Appoint(c))
        .then_error("DATE_IN_FUTURE");
}

#[test]
fn removal_only_from_a_held_post() {
    let p = post("u-fgw", "p1", PostCategory::Business);
    let remove = cadre::Remove {
        cadre_id: C.into(),
        unit_id: "u-fgw".into(),
        post_id: "p1".into(),
        manner: RemovalManner::Removal,
        reason: RemovalReason::Transfer,
        approved_by: "区委".into(),
        decided_on: d(2025, 6, 20),
        document_number: "泰姜委〔2025〕13号".into(),
    };
    let events = given::<Cadre>([
        registered(C, Rank::PrincipalClerk4, d(2023, 1, 1)),
        appointed(C, &p, d(2021, 3, 1)),
    ])
    .when(Command::Remove(remove.clone()))
    .then_ok();
    let [E::Removed(r)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(r.held_since, d(2021, 3, 1));
    let err = given::<Cadre>([registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))])
        .when(Command::Remove(remove))
        .then_error("POST_NOT_HELD");
    assert!(
        err.message()
            .contains(&format!("（{C}） 未担任单位「u-fgw」的岗位「p1」")),
        "the cadre named by name and id: {err}"
    );
}

fn relative(relation: Relation, posts: Vec<dossier_domain::unit::PostFact>) -> RelativeFact {
    RelativeFact {
        cadre_id: "c2".into(),
        name: "李强".into(),
        relation,
        posts,
    }
}

#[test]
fn kinship_avoidance_reporting_line() {
    let base = [registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))];
    let boss = post("u-fgw", "p-director", PostCategory::General);
    let mut mine = post("u-fgw", "p1", PostCategory::Business);
    mine.reports_to = Some("p-director".into());
    let err = given::<Cadre>(base.clone())
        .with_facts(Facts {
            post: Some(mine.clone()),
            relatives: vec![relative(Relation::Spouse, vec![boss.clone()])],
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "p1")))
        .then_error("AVOIDANCE_REPORTING_LINE");
    assert!(err.message().contains("夫妻关系"), "{err}");
    assert!(err.message().contains("李强（c2）"), "{err}");
    // The same relative in another unit does not bar the appointment.
    let elsewhere = post("u-czj", "p-director", PostCategory::General);
    given::<Cadre>(base)
        .with_facts(Facts {
            post: Some(mine),
            relatives: vec![relative(Relation::Spouse, vec![elsewhere])],
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "p1")))
        .then_ok();
}

#[test]
fn kinship_avoidance_a_deputy_under_the_relatives_head_post_and_two_posts_under_one_leader() {
    let base = [registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))];
    // A deputy leadership post that names no superior is led by the unit's head.
    let head = leader("u-fgw", "p-head", LeadershipLevel::TownshipChief);
    let mut deputy = leader("u-fgw", "p-deputy", LeadershipLevel::TownshipDeputy);
    deputy.heads_unit = false;
    deputy.reports_to = None;
    let err = given::<Cadre>(base.clone())
        .with_facts(Facts {
            post: Some(deputy.clone()),
            relatives: vec![relative(Relation::Spouse, vec![head.clone()])],
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "p-deputy")))
        .then_error("AVOIDANCE_REPORTING_LINE");
    assert!(err.message().contains("李强（c2）"), "{err}");
    // And the other way round: the cadre would head the unit the relative is deputy in.
    given::<Cadre>(base.clone())
        .with_facts(Facts {
            post: Some(head.clone()),
            relatives: vec![relative(Relation::Lineal, vec![deputy])],
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "p-head")))
        .then_error("AVOIDANCE_REPORTING_LINE");
    // Two posts directly under the same leader (双方直接隶属于同一领导人员).
    let mut theirs = post("u-fgw", "p-a", PostCategory::Business);
    theirs.reports_to = Some("p-director".into());
    let mut mine = post("u-fgw", "p-b", PostCategory::Business);
    mine.reports_to = Some("p-director".into());
    let err = given::<Cadre>(base.clone())
        .with_facts(Facts {
            post: Some(mine.clone()),
            relatives: vec![relative(Relation::CloseInLaw, vec![theirs])],
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "p-b")))
        .then_error("AVOIDANCE_SAME_SUPERIOR");
    assert!(err.message().contains("p-director"), "{err}");
    // Under different leaders of the same unit, allowed.
    let mut apart = post("u-fgw", "p-a", PostCategory::Business);
    apart.reports_to = Some("p-deputy".into());
    given::<Cadre>(base)
        .with_facts(Facts {
            post: Some(mine),
            relatives: vec![relative(Relation::CloseInLaw, vec![apart])],
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "p-b")))
        .then_ok();
}

#[test]
fn kinship_avoidance_sensitive_post_in_a_body_the_relative_leads() {
    let base = [registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))];
    let head = leader("u-fgw", "p-head", LeadershipLevel::TownshipChief);
    let finance = post("u-fgw", "p-acc", PostCategory::Accounting);
    given::<Cadre>(base.clone())
        .with_facts(Facts {
            post: Some(finance.clone()),
            relatives: vec![relative(Relation::Collateral, vec![head.clone()])],
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "p-acc")))
        .then_error("AVOIDANCE_SENSITIVE_POST");
    // The other way round: the cadre would lead the body where the relative keeps the accounts.
    given::<Cadre>(base.clone())
        .with_facts(Facts {
            post: Some(head.clone()),
            relatives: vec![relative(Relation::CloseInLaw, vec![finance])],
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "p-head")))
        .then_error("AVOIDANCE_SENSITIVE_POST");
    // A business post under a relative's leadership with no reporting line is allowed.
    given::<Cadre>(base)
        .with_facts(Facts {
            post: Some(post("u-fgw", "p-biz", PostCategory::Business)),
            relatives: vec![relative(Relation::Lineal, vec![head])],
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "p-biz")))
        .then_ok();
}

#[test]
fn reappointment_barred_after_two_full_terms() {
    let head = leader("u-town", "p-sec", LeadershipLevel::TownshipChief);
    let mut c = appoint(C, "u-town", "p-sec");
    c.change_category = ChangeCategory::Reappointed;
    // Held since 2015-06-01: ten years on 2025-06-30 = two full 5-year terms.
    let events = [
        registered(C, Rank::PrincipalClerk2, d(2018, 1, 1)),
        appointed(C, &head, d(2015, 6, 1)),
    ];
    let err = given::<Cadre>(events)
        .with_facts(Facts {
            post: Some(head.clone()),
            ..Facts::default()
        })
        .when(Command::Appoint(c.clone()))
        .then_error("REAPPOINTMENT_TWO_TERMS");
    assert!(err.message().contains("满 2 个完整任期"), "{err}");
    // After one full term (since 2018-06-01) reappointment is allowed.
    let events = [
        registered(C, Rank::PrincipalClerk2, d(2018, 1, 1)),
        appointed(C, &head, d(2018, 6, 1)),
    ];
    given::<Cadre>(events)
        .with_facts(Facts {
            post: Some(head),
            ..Facts::default()
        })
        .when(Command::Appoint(c))
        .then_ok();
}

#[test]
fn reappointment_barred_after_fifteen_years_at_one_level() {
    let mut r = registered(C, Rank::PrincipalClerk1, d(2012, 1, 1));
    if let E::Registered(reg) = &mut r {
        reg.leadership_level = Some(LeadershipLevel::TownshipChief);
        reg.level_since = Some(d(2010, 1, 1));
    }
    let other_head = leader("u-x", "p-head", LeadershipLevel::TownshipChief);
    let err = given::<Cadre>([r.clone()])
        .with_facts(Facts {
            post: Some(other_head),
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-x", "p-head")))
        .then_error("REAPPOINTMENT_LEVEL_YEARS");
    assert!(err.message().contains("满 15 年"), "{err}");
    // A post one level up is a promotion, not a reappointment at the same level.
    let higher = leader("u-x", "p-head", LeadershipLevel::CountyDeputy);
    given::<Cadre>([r])
        .with_facts(Facts {
            post: Some(higher),
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-x", "p-head")))
        .then_ok();
}

fn rotate(kind: RotationKind, reason: &str) -> Command {
    Command::Rotate(cadre::Rotate {
        cadre_id: C.into(),
        kind,
        reason: reason.into(),
        from_post_id: "p-hot".into(),
        to_unit_id: "u-b".into(),
        to_post_id: "p-new".into(),
        approved_by: "区委".into(),
        document_number: "泰姜委〔2025〕20号".into(),
    })
}

#[test]
fn rotation_needs_kind_reason_and_held_post() {
    let hot = dossier_domain::unit::PostFact {
        hot_limit_years: Some(5),
        ..post("u-a", "p-hot", PostCategory::Finance)
    };
    let target = post("u-b", "p-new", PostCategory::Business);
    let base = [
        registered(C, Rank::PrincipalClerk2, d(2020, 1, 1)),
        appointed(C, &hot, d(2019, 3, 1)),
    ];
    let facts = || Facts {
        post: Some(target.clone()),
        ..Facts::default()
    };
    let events = given::<Cadre>(base.clone())
        .with_facts(facts())
        .when(rotate(RotationKind::Protective, "热点岗位任职满 5 年"))
        .then_ok();
    let [E::Rotated(r)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        (r.from_post_id.as_str(), r.to_post_id.as_str(), r.held_since),
        ("p-hot", "p-new", d(2019, 3, 1))
    );
    given::<Cadre>(base.clone())
        .with_facts(facts())
        .when(rotate(RotationKind::Spurring, "  "))
        .then_error("ROTATION_REASON_REQUIRED");
    given::<Cadre>([base[0].clone()])
        .with_facts(facts())
        .when(rotate(RotationKind::Cultivating, "培养锻炼"))
        .then_error("POST_NOT_HELD");
    given::<Cadre>(base)
        .when(rotate(RotationKind::Cultivating, "培养锻炼"))
        .then_error("POST_NOT_FOUND");
}

fn record(year: i32, grade: Option<Grade>) -> Command {
    Command::RecordGrade {
        cadre_id: C.into(),
        unit_id: "u-fgw".into(),
        year,
        grade,
        category: AssessmentCategory::Annual,
        basis: None,
        evaluation_id: None,
    }
}

#[test]
fn excellent_grade_earns_commendation_and_three_in_a_row_a_merit() {
    let base = registered(C, Rank::PrincipalClerk4, d(2020, 1, 1));
    let events = given::<Cadre>([base.clone()])
        .on(d(2025, 1, 20))
        .when(record(2024, Some(Grade::Excellent)))
        .then_ok();
    let kinds: Vec<_> = events
        .iter()
        .filter_map(|e| {
            if let E::AwardGranted(a) = e {
                Some(a.kind)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(kinds, [AwardKind::Commendation]);
    let events = given::<Cadre>([
        base,
        grade(C, 2022, Some(Grade::Excellent)),
        grade(C, 2023, Some(Grade::Excellent)),
    ])
    .on(d(2025, 1, 20))
    .when(record(2024, Some(Grade::Excellent)))
    .then_ok();
    let kinds: Vec<_> = events
        .iter()
        .filter_map(|e| {
            if let E::AwardGranted(a) = e {
                Some(a.kind)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(kinds, [AwardKind::Commendation, AwardKind::Merit]);
}

#[test]
fn basically_competent_opens_an_admonition_with_deadline() {
    let events = given::<Cadre>([registered(C, Rank::PrincipalClerk4, d(2020, 1, 1))])
        .on(d(2025, 1, 20))
        .when(record(2024, Some(Grade::BasicallyCompetent)))
        .then_ok();
    let [E::GradeRecorded(_), E::AdmonitionIssued(a)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        (a.improve_by, a.effect_until),
        (d(2026, 1, 20), d(2025, 7, 20))
    );
}

#[test]
fn incompetent_leaves_a_pending_rank_lowering_requires_down_review_and_twice_opens_dismissal() {
    let base = registered(C, Rank::PrincipalClerk4, d(2020, 1, 1));
    let events = given::<Cadre>([base.clone()])
        .on(d(2025, 1, 20))
        .when(record(2024, Some(Grade::Incompetent)))
        .then_ok();
    // The rank is not lowered by the grade itself: the lowering waits for its decision.
    let [
        E::GradeRecorded(_),
        E::RankLoweringPending(l),
        E::DownReviewRequired(_),
    ] = events.as_slice()
    else {
        panic!("{events:?}")
    };
    assert_eq!(
        (l.year, l.from, l.to),
        (2024, Rank::PrincipalClerk4, Rank::ClerkGrade1)
    );
    let events = given::<Cadre>([base, grade(C, 2023, Some(Grade::Incompetent))])
        .on(d(2025, 1, 20))
        .when(record(2024, Some(Grade::Incompetent)))
        .then_ok();
    let Some(E::DismissalCaseOpened(case)) = events.last() else {
        panic!("{events:?}")
    };
    assert_eq!(case.grounds_years, [2023, 2024]);
}

fn sanction(kind: SanctionKind, on: chrono::NaiveDate) -> E {
    E::SanctionImposed(cadre::SanctionImposed {
        cadre_id: C.into(),
        sanction_id: "s1".into(),
        kind,
        reason: "违反规定".into(),
        decided_by: "区纪委".into(),
        document_number: "姜纪〔2024〕1号".into(),
        imposed_on: on,
        effect_until: dossier_domain::dates::add_months(
            on,
            if kind == SanctionKind::Warning { 6 } else { 12 },
        ),
    })
}

#[test]
fn warning_bars_excellent_that_year() {
    let base = [
        registered(C, Rank::PrincipalClerk4, d(2020, 1, 1)),
        sanction(SanctionKind::Warning, d(2024, 5, 1)),
    ];
    given::<Cadre>(base.clone())
        .on(d(2025, 1, 20))
        .when(record(2024, Some(Grade::Excellent)))
        .then_error("ASSESSMENT_WARNING_BARS_EXCELLENT");
    given::<Cadre>(base.clone())
        .on(d(2025, 1, 20))
        .when(record(2024, Some(Grade::Competent)))
        .then_ok();
    // The next year the warning no longer bars 优秀.
    given::<Cadre>(base)
        .on(d(2026, 1, 20))
        .when(record(2025, Some(Grade::Excellent)))
        .then_ok();
}

#[test]
fn heavier_sanction_means_no_grade() {
    let base = [
        registered(C, Rank::PrincipalClerk4, d(2020, 1, 1)),
        sanction(SanctionKind::Demerit, d(2024, 9, 1)),
    ];
    given::<Cadre>(base.clone())
        .on(d(2025, 1, 20))
        .when(record(2024, Some(Grade::Competent)))
        .then_error("ASSESSMENT_SANCTION_NO_GRADE");
    let events = given::<Cadre>(base)
        .on(d(2025, 1, 20))
        .when(record(2024, None))
        .then_ok();
    assert_eq!(events.len(), 1, "不定等次 has no consequence");
}

#[test]
fn grade_for_a_year_already_graded_is_refused() {
    let base = [
        registered(C, Rank::PrincipalClerk4, d(2020, 1, 1)),
        grade(C, 2024, Some(Grade::Competent)),
    ];
    given::<Cadre>(base.clone())
        .on(d(2025, 2, 1))
        .when(record(2024, Some(Grade::Excellent)))
        .then_error("ASSESSMENT_ALREADY_GRADED");
    given::<Cadre>(base.clone())
        .on(d(2025, 2, 1))
        .when(record(2026, Some(Grade::Excellent)))
        .then_error("ASSESSMENT_YEAR_INVALID");
    given::<Cadre>(base)
        .on(d(2025, 2, 1))
        .when(record(2023, Some(Grade::Competent)))
        .then_ok();
}

#[test]
fn sanction_effect_period_comes_from_the_policy() {
    let cmd = |sanction_id: &str| Command::ImposeSanction {
        cadre_id: C.into(),
        sanction_id: sanction_id.into(),
        kind: SanctionKind::MajorDemerit,
        reason: "违反工作纪律".into(),
        decided_by: "区纪委".into(),
        document_number: "姜纪〔2025〕7号".into(),
    };
    let events = given::<Cadre>([registered(C, Rank::PrincipalClerk4, d(2020, 1, 1))])
        .on(d(2025, 3, 1))
        .when(cmd("s7"))
        .then_ok();
    let [E::SanctionImposed(s)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(s.effect_until, d(2026, 9, 1), "记大过: 18 months");
    let mut policy = dossier_domain::Policy::national_default();
    policy.sanctions.effect_months = vec![(SanctionKind::MajorDemerit, 24)];
    let events = given::<Cadre>([registered(C, Rank::PrincipalClerk4, d(2020, 1, 1))])
        .with_policy(policy)
        .on(d(2025, 3, 1))
        .when(cmd("s7"))
        .then_ok();
    let [E::SanctionImposed(s)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(s.effect_until, d(2027, 3, 1));
    given::<Cadre>([
        registered(C, Rank::PrincipalClerk4, d(2020, 1, 1)),
        sanction(SanctionKind::Warning, d(2024, 1, 1)),
    ])
    .on(d(2025, 3, 1))
    .when(cmd("s1"))
    .then_error("SANCTION_EXISTS");
}

#[test]
fn reappointment_renewal_keeps_one_holding_from_the_first_date() {
    let head = leader("u-town", "p-sec", LeadershipLevel::TownshipChief);
    let mut c = appoint(C, "u-town", "p-sec");
    c.change_category = ChangeCategory::Reappointed;
    let mut events = vec![
        registered(C, Rank::PrincipalClerk2, d(2018, 1, 1)),
        appointed(C, &head, d(2019, 6, 1)),
    ];
    let renewal = given::<Cadre>(events.clone())
        .with_facts(Facts {
            post: Some(head),
            ..Facts::default()
        })
        .when(Command::Appoint(c))
        .then_ok();
    events.extend(renewal);
    use dossier_domain::Aggregate as _;
    let state = Cadre::fold(&events);
    assert_eq!(state.posts.len(), 1);
    assert_eq!(state.posts[0].since, d(2019, 6, 1));
}

#[test]
fn registration_refuses_an_id_number_already_registered() {
    let good = id_number("19850412", "123");
    let taken = Facts {
        id_number_holder: Some("c9".into()),
        ..unit_facts()
    };
    let err = given::<Cadre>([])
        .with_facts(taken)
        .when(Command::Register(register(&good)))
        .then_error("ID_NUMBER_ALREADY_REGISTERED");
    assert!(err.message().contains("c9"));
    given::<Cadre>([])
        .with_facts(unit_facts())
        .when(Command::Register(register(&good)))
        .then_ok();
}

/// A registration states the rank and the level held on its effective date: one held only
/// from a later date is refused, so that the record as of that date never shows a rank
/// “since” a later day.
#[test]
fn registration_rank_and_level_are_held_by_its_effective_date() {
    let good = id_number("19850412", "123");
    let c = cadre::Register {
        rank_since: Some(d(2025, 1, 1)),
        ..register(&good)
    };
    let e = given::<Cadre>([])
        .with_facts(unit_facts())
        .effective(d(2020, 1, 1), d(2025, 6, 30))
        .when(Command::Register(c.clone()))
        .then_error("RANK_SINCE_AFTER_REGISTRATION");
    assert!(
        e.message().contains("2025-01-01") && e.message().contains("2020-01-01"),
        "{e}"
    );
    given::<Cadre>([])
        .with_facts(unit_facts())
        .effective(d(2025, 1, 1), d(2025, 6, 30))
        .when(Command::Register(c))
        .then_ok();
    let c = cadre::Register {
        leadership_level: Some(LeadershipLevel::TownshipDeputy),
        level_since: Some(d(2024, 5, 1)),
        ..register(&good)
    };
    given::<Cadre>([])
        .with_facts(unit_facts())
        .effective(d(2024, 4, 30), d(2025, 6, 30))
        .when(Command::Register(c))
        .then_error("LEVEL_SINCE_AFTER_REGISTRATION");
}
