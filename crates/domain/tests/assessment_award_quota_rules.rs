//! Assessment batches (优秀 share cap, sanctions), award batches, and the front-line quota.

mod common;

use std::collections::BTreeMap;

use common::*;
use dossier_domain::{
    Actor, Aggregate as _, Context, Policy, Role,
    assessment::{self, Aggregate as Assessment, Command as AssessmentCommand},
    award::{self, Aggregate as Award, Awardee, Command as AwardCommand, ThreeGoodWinner},
    cadre::{self, Aggregate as Cadre, Event as CE},
    harness::given,
    quota::{self, Aggregate as Quota, Command as QuotaCommand},
    types::{AwardKind, FrontLineField, Grade, Rank, SanctionKind, ThreeGoodCategory},
};

fn cadre_state(id: &str, extra: Vec<CE>) -> cadre::State {
    let mut events = vec![registered(id, Rank::PrincipalClerk4, d(2020, 1, 1))];
    if let CE::Registered(r) = &mut events[0] {
        r.name = format!("干部{id}");
    }
    events.extend(extra);
    Cadre::fold(&events)
}

fn facts(n: usize) -> assessment::Facts {
    let cadres: BTreeMap<_, _> = (0..n)
        .map(|i| (format!("c{i}"), cadre_state(&format!("c{i}"), vec![])))
        .collect();
    assessment::Facts {
        unit: Some(fgw()),
        cadres,
    }
}

fn grades(n: usize, excellent: usize) -> Vec<(usize, Option<Grade>)> {
    (0..n)
        .map(|i| {
            (
                i,
                Some(if i < excellent {
                    Grade::Excellent
                } else {
                    Grade::Competent
                }),
            )
        })
        .collect()
}

/// u-fgw's 2024 batch on its 文号.
fn batch(grades: &[(usize, Option<Grade>)]) -> AssessmentCommand {
    fgw_batch(grades, Some("姜考〔2025〕1号"))
}

#[test]
fn excellent_share_cap_per_unit() {
    // 20 assessed at 15%: at most 3 优秀.
    let events = given::<Assessment>([])
        .with_facts(facts(20))
        .on(d(2025, 1, 20))
        .when(batch(&grades(20, 3)))
        .then_ok();
    let [assessment::Event::GradesRecorded(b)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        (b.assessed_total, b.excellent_total, b.excellent_cap),
        (20, 3, 3)
    );
    let err = given::<Assessment>([])
        .with_facts(facts(20))
        .on(d(2025, 1, 20))
        .when(batch(&grades(20, 4)))
        .then_error("ASSESSMENT_EXCELLENT_SHARE");
    assert!(
        err.message().contains(
            "优秀等次超过比例: 区发改委（u-fgw） 2024 年度参加考核 20 人, 优秀 4 人, 按 15% 至多 3 人"
        ),
        "{err}"
    );
    // A district share of 20% allows 4.
    let mut policy = Policy::national_default();
    policy.assessment.excellent_share_percent = 20;
    given::<Assessment>([])
        .with_facts(facts(20))
        .with_policy(policy)
        .on(d(2025, 1, 20))
        .when(batch(&grades(20, 4)))
        .then_ok();
}

#[test]
fn excellent_share_policy_beyond_ceiling_is_refused() {
    let mut policy = Policy::national_default();
    policy.assessment.excellent_share_percent = 25;
    given::<Assessment>([])
        .with_facts(facts(20))
        .with_policy(policy)
        .on(d(2025, 1, 20))
        .when(batch(&grades(20, 5)))
        .then_error("POLICY_EXCELLENT_SHARE_CEILING");
}

#[test]
fn excellent_share_counts_earlier_batches() {
    let first = given::<Assessment>([])
        .with_facts(facts(20))
        .on(d(2025, 1, 20))
        .when(batch(&grades(10, 1)))
        .then_ok();
    // 10 more with 2 优秀: 20 assessed, 3 优秀 — allowed; with 3 more 优秀 it is 4 of 20 — refused.
    let second: Vec<_> = (10..20)
        .map(|i| {
            (
                i,
                Some(if i < 12 {
                    Grade::Excellent
                } else {
                    Grade::Competent
                }),
            )
        })
        .collect();
    given::<Assessment>(first.clone())
        .with_facts(facts(20))
        .on(d(2025, 1, 21))
        .when(batch(&second))
        .then_ok();
    let third: Vec<_> = (10..20)
        .map(|i| {
            (
                i,
                Some(if i < 13 {
                    Grade::Excellent
                } else {
                    Grade::Competent
                }),
            )
        })
        .collect();
    given::<Assessment>(first.clone())
        .with_facts(facts(20))
        .on(d(2025, 1, 21))
        .when(batch(&third))
        .then_error("ASSESSMENT_EXCELLENT_SHARE");
    // The same cadre twice in the year.
    given::<Assessment>(first)
        .with_facts(facts(20))
        .on(d(2025, 1, 21))
        .when(batch(&[(0, Some(Grade::Competent))]))
        .then_error("ASSESSMENT_ALREADY_GRADED");
}

#[test]
fn assessment_batch_refuses_bad_input() {
    given::<Assessment>([])
        .with_facts(facts(2))
        .on(d(2025, 1, 20))
        .when(batch(&[(5, Some(Grade::Competent))]))
        .then_error("CADRE_NOT_FOUND");
    given::<Assessment>([])
        .with_facts(facts(2))
        .on(d(2025, 1, 20))
        .when(batch(&[(0, Some(Grade::Competent)), (0, None)]))
        .then_error("ASSESSMENT_DUPLICATE_CADRE");
    given::<Assessment>([])
        .with_facts(facts(2))
        .on(d(2025, 1, 20))
        .when(batch(&[]))
        .then_error("ASSESSMENT_EMPTY_BATCH");
    given::<Assessment>([])
        .with_facts(facts(2))
        .on(d(2023, 12, 1))
        .when(batch(&[(0, Some(Grade::Competent))]))
        .then_error("ASSESSMENT_YEAR_INVALID");
}

fn sanctioned(kind: SanctionKind) -> assessment::Facts {
    let s = CE::SanctionImposed(cadre::SanctionImposed {
        cadre_id: "c0".into(),
        sanction_id: "s1".into(),
        kind,
        reason: "违反规定".into(),
        decided_by: "区纪委".into(),
        document_number: "姜纪〔2024〕2号".into(),
        imposed_on: d(2024, 4, 1),
        effect_until: d(2025, 4, 1),
    });
    let mut f = facts(20);
    f.cadres.insert("c0".into(), cadre_state("c0", vec![s]));
    f
}

#[test]
fn warning_bars_excellent_in_the_batch() {
    let err = given::<Assessment>([])
        .with_facts(sanctioned(SanctionKind::Warning))
        .on(d(2025, 1, 20))
        .when(batch(&grades(20, 1)))
        .then_error("ASSESSMENT_WARNING_BARS_EXCELLENT");
    assert!(
        err.message()
            .contains("干部c0（c0） 2024 年受警告处分, 当年不得确定为优秀"),
        "{err}"
    );
    given::<Assessment>([])
        .with_facts(sanctioned(SanctionKind::Warning))
        .on(d(2025, 1, 20))
        .when(batch(&grades(20, 0)))
        .then_ok();
}

#[test]
fn heavier_sanction_means_no_grade_in_the_batch() {
    let mut g = grades(20, 0);
    let err = given::<Assessment>([])
        .with_facts(sanctioned(SanctionKind::Demotion))
        .on(d(2025, 1, 20))
        .when(batch(&g))
        .then_error("ASSESSMENT_SANCTION_NO_GRADE");
    assert!(
        err.message().contains("干部c0（c0） 2024 年在降级处分期间"),
        "{err}"
    );
    g[0].1 = None;
    given::<Assessment>([])
        .with_facts(sanctioned(SanctionKind::Demotion))
        .on(d(2025, 1, 20))
        .when(batch(&g))
        .then_ok();
}

#[test]
fn batch_produces_each_cadres_grade_and_consequences() {
    let f = facts(20);
    let mut g = grades(20, 3);
    g[19].1 = Some(Grade::Incompetent);
    g[18].1 = Some(Grade::BasicallyCompetent);
    let events = given::<Assessment>([])
        .with_facts(f.clone())
        .on(d(2025, 1, 20))
        .when(batch(&g))
        .then_ok();
    let [assessment::Event::GradesRecorded(b)] = events.as_slice() else {
        panic!("{events:?}")
    };
    let policy = Policy::national_default();
    let actor = Actor::new("org-admin", Role::OrgAdmin);
    let ctx = Context {
        actor: &actor,
        effective: d(2025, 1, 20),
        today: d(2025, 1, 20),
        policy: &policy,
    };
    let per_cadre = assessment::cadre_events(b, &f, &ctx).unwrap();
    assert_eq!(per_cadre.len(), 20);
    let of = |id: &str| {
        per_cadre
            .iter()
            .find(|(c, _)| c == id)
            .map(|(_, e)| e.clone())
            .unwrap()
    };
    assert!(
        matches!(of("c0").as_slice(), [CE::GradeRecorded(_), CE::AwardGranted(a)] if a.kind == AwardKind::Commendation)
    );
    assert!(matches!(
        of("c18").as_slice(),
        [CE::GradeRecorded(_), CE::AdmonitionIssued(_)]
    ));
    assert!(matches!(
        of("c19").as_slice(),
        [
            CE::GradeRecorded(_),
            CE::RankLoweringPending(_),
            CE::DownReviewRequired(_)
        ]
    ));
    assert!(
        matches!(of("c5").as_slice(), [CE::GradeRecorded(g)] if g.grade == Some(Grade::Competent))
    );
}

fn award_facts() -> award::Facts {
    award::Facts {
        known_cadres: ["c1", "c2", "c3"].into_iter().map(String::from).collect(),
        known_units: ["u-fgw", "u-sw"].into_iter().map(String::from).collect(),
        ..Default::default()
    }
}

fn steed(awardees: &[&str]) -> AwardCommand {
    AwardCommand::AnnounceSteedBatch {
        batch_id: "steed-3".into(),
        ordinal: 3,
        year: 2024,
        title: "骏马奖".into(),
        awardees: awardees
            .iter()
            .map(|c| Awardee {
                cadre_id: (*c).into(),
                citation: "招商引资成绩突出".into(),
            })
            .collect(),
        basis: None,
    }
}

#[test]
fn steed_award_batch_names_known_cadres_once() {
    let events = given::<Award>([])
        .with_facts(award_facts())
        .on(d(2024, 12, 1))
        .when(steed(&["c1", "c2"]))
        .then_ok();
    let commands = award::cadre_commands(&events[0]);
    assert_eq!(commands.len(), 2);
    assert!(
        matches!(&commands[0], cadre::Command::GrantAward { kind: AwardKind::Steed, award_id, .. } if award_id == "steed-3")
    );
    given::<Award>([])
        .with_facts(award_facts())
        .on(d(2024, 12, 1))
        .when(steed(&["c1", "c9"]))
        .then_error("CADRE_NOT_FOUND");
    given::<Award>([])
        .with_facts(award_facts())
        .on(d(2024, 12, 1))
        .when(steed(&["c1", "c1"]))
        .then_error("AWARD_DUPLICATE_AWARDEE");
    given::<Award>([])
        .with_facts(award_facts())
        .on(d(2024, 12, 1))
        .when(steed(&[]))
        .then_error("AWARD_NO_AWARDEES");
    given::<Award>(events.clone())
        .with_facts(award_facts())
        .on(d(2024, 12, 1))
        .when(steed(&["c3"]))
        .then_error("AWARD_BATCH_EXISTS");
    // Revocation of an awardee, once.
    let revoke = AwardCommand::Revoke {
        batch_id: "steed-3".into(),
        recipient: "c2".into(),
        reason: "事迹失实".into(),
    };
    let revoked = given::<Award>(events.clone())
        .on(d(2025, 2, 1))
        .when(revoke.clone())
        .then_ok();
    assert!(matches!(
        award::cadre_commands(&revoked[0]).as_slice(),
        [cadre::Command::RevokeAward { .. }]
    ));
    let mut all = events;
    all.extend(revoked);
    given::<Award>(all)
        .on(d(2025, 2, 2))
        .when(revoke)
        .then_error("AWARD_NOT_FOUND");
}

#[test]
fn three_good_winners_are_teams_or_cadres() {
    let cmd = |winners: Vec<ThreeGoodWinner>| AwardCommand::AnnounceThreeGood {
        batch_id: "three-good-2024".into(),
        year: 2024,
        winners,
        basis: None,
    };
    let team = ThreeGoodWinner {
        category: ThreeGoodCategory::Team,
        unit_id: "u-sw".into(),
        cadre_id: None,
        citation: "班子团结".into(),
    };
    let head = ThreeGoodWinner {
        category: ThreeGoodCategory::Leader,
        unit_id: "u-fgw".into(),
        cadre_id: Some("c1".into()),
        citation: "敢为善为".into(),
    };
    let events = given::<Award>([])
        .with_facts(award_facts())
        .on(d(2025, 1, 5))
        .when(cmd(vec![team.clone(), head.clone()]))
        .then_ok();
    assert_eq!(
        award::cadre_commands(&events[0]).len(),
        1,
        "only the head is a cadre"
    );
    let bad = ThreeGoodWinner {
        cadre_id: None,
        ..head
    };
    given::<Award>([])
        .with_facts(award_facts())
        .on(d(2025, 1, 5))
        .when(cmd(vec![bad]))
        .then_error("THREE_GOOD_RECIPIENT");
    let unknown = ThreeGoodWinner {
        unit_id: "u-x".into(),
        ..team
    };
    given::<Award>([])
        .with_facts(award_facts())
        .on(d(2025, 1, 5))
        .when(cmd(vec![unknown]))
        .then_error("UNIT_NOT_FOUND");
    // One contest a year: the batch id is the year's.
    let wrong_year = AwardCommand::AnnounceThreeGood {
        batch_id: "three-good-2023".into(),
        year: 2024,
        winners: vec![ThreeGoodWinner {
            category: ThreeGoodCategory::Team,
            unit_id: "u-sw".into(),
            cadre_id: None,
            citation: "x".into(),
        }],
        basis: None,
    };
    given::<Award>([])
        .with_facts(award_facts())
        .on(d(2025, 1, 5))
        .when(wrong_year)
        .then_error("AWARD_BATCH_ID_MISMATCH");
}

fn opened(size: u32) -> quota::Event {
    quota::Event::Opened(quota::Opened {
        year: 2025,
        size,
        opened_on: d(2025, 1, 2),
        basis: None,
    })
}

fn allocated(cadre_id: &str, used: u32, size: u32) -> quota::Event {
    let breakdown = dossier_domain::points::compute(
        &cadre::State::default(),
        d(2025, 3, 1),
        None,
        &Policy::national_default().points,
    );
    quota::Event::Allocated(quota::Allocated {
        year: 2025,
        cadre_id: cadre_id.into(),
        cadre_name: "x".into(),
        unit_id: "u-fgw".into(),
        rank: None,
        field: FrontLineField::ProjectConstruction,
        points: breakdown.total,
        breakdown,
        used,
        size,
        allocated_on: d(2025, 3, 1),
        place: cadre_id[1..].parse().ok(),
        passed_over: vec![],
        skip_reason: None,
    })
}

/// A ranking of c1…c5 in that order (none eligible: these tests are about the quota's size).
fn ranked() -> quota::Event {
    quota::Event::Ranked(quota::Ranked {
        year: 2025,
        ranked_on: d(2025, 3, 1),
        entries: (1..=5)
            .map(|i| quota::RankEntry {
                place: i,
                cadre_id: format!("c{i}"),
                cadre_name: format!("干部c{i}"),
                unit_id: "u-fgw".into(),
                field: FrontLineField::InvestmentAndTalent,
                points: f64::from(10 - i),
                eligible: false,
                blocked_by: Some("x".into()),
            })
            .collect(),
    })
}

fn allocate(cadre_id: &str) -> QuotaCommand {
    QuotaCommand::Allocate {
        key: "2025".into(),
        cadre_id: cadre_id.into(),
        field: FrontLineField::InvestmentAndTalent,
        place: cadre_id[1..].parse().unwrap_or(0),
        skip_reason: None,
    }
}

fn quota_facts(cadre_id: &str) -> quota::Facts {
    let mut s = cadre_state(
        cadre_id,
        vec![grade(cadre_id, 2024, Some(Grade::Excellent))],
    );
    s.cadre_id = cadre_id.into();
    quota::Facts {
        cadre: Some(s),
        ..Default::default()
    }
}

#[test]
fn quota_never_exceeded() {
    let events = given::<Quota>([])
        .on(d(2025, 1, 2))
        .when(QuotaCommand::Open {
            key: "2025".into(),
            year: 2025,
            size: None,
            basis: None,
        })
        .then_ok();
    assert_eq!(events, vec![opened(20)]);
    let mut history = vec![opened(2), ranked(), allocated("c1", 1, 2)];
    let events = given::<Quota>(history.clone())
        .with_facts(quota_facts("c2"))
        .on(d(2025, 3, 2))
        .when(allocate("c2"))
        .then_ok();
    let [quota::Event::Allocated(a)] = events.as_slice() else {
        panic!("{events:?}")
    };
    // 2024 优秀 10 × 1.5 + seniority 5 years.
    assert_eq!((a.used, a.size, a.points), (2, 2, 20.0));
    history.extend(events);
    let err = given::<Quota>(history.clone())
        .with_facts(quota_facts("c3"))
        .on(d(2025, 3, 3))
        .when(allocate("c3"))
        .then_error("QUOTA_EXCEEDED");
    assert!(err.message().contains("已分配 2/2"), "{err}");
    // Revoking frees a place.
    let revoke = QuotaCommand::Revoke {
        key: "2025".into(),
        cadre_id: "c1".into(),
        reason: "调离一线岗位".into(),
    };
    history.extend(
        given::<Quota>(history.clone())
            .on(d(2025, 4, 1))
            .when(revoke)
            .then_ok(),
    );
    given::<Quota>(history)
        .with_facts(quota_facts("c3"))
        .on(d(2025, 4, 2))
        .when(allocate("c3"))
        .then_ok();
}

#[test]
fn quota_no_allocation_to_the_same_cadre_twice() {
    let history = vec![opened(20), ranked(), allocated("c1", 1, 20)];
    let err = given::<Quota>(history)
        .with_facts(quota_facts("c1"))
        .on(d(2025, 3, 2))
        .when(allocate("c1"))
        .then_error("QUOTA_DUPLICATE_ALLOCATION");
    assert!(
        err.message().contains("（c1）"),
        "named by name and id: {err}"
    );
}

#[test]
fn quota_refuses_bad_input() {
    given::<Quota>([])
        .with_facts(quota_facts("c1"))
        .when(allocate("c1"))
        .then_error("QUOTA_NOT_OPEN");
    given::<Quota>([opened(20)])
        .when(allocate("c1"))
        .then_error("CADRE_NOT_FOUND");
    given::<Quota>([])
        .when(QuotaCommand::Open {
            key: "2025".into(),
            year: 2025,
            size: Some(25),
            basis: None,
        })
        .then_error("QUOTA_SIZE_ABOVE_POLICY");
    given::<Quota>([opened(20)])
        .when(QuotaCommand::Open {
            key: "2025".into(),
            year: 2025,
            size: None,
            basis: None,
        })
        .then_error("QUOTA_ALREADY_OPEN");
    given::<Quota>([opened(20)])
        .when(QuotaCommand::Revoke {
            key: "2025".into(),
            cadre_id: "c1".into(),
            reason: "x".into(),
        })
        .then_error("QUOTA_ALLOCATION_NOT_FOUND");
}

#[test]
fn only_the_organization_department_records_grades_awards_and_quota() {
    given::<Assessment>([])
        .with_facts(facts(20))
        .as_actor(Actor::scoped("head", Role::UnitHead, "u-fgw"))
        .on(d(2025, 1, 20))
        .when(batch(&grades(20, 3)))
        .then_error("FORBIDDEN_ROLE");
    given::<Award>([])
        .with_facts(award_facts())
        .as_actor(Actor::new("d", Role::DisciplineInspector))
        .when(steed(&["c1"]))
        .then_error("FORBIDDEN_ROLE");
    given::<Quota>([opened(20)])
        .with_facts(quota_facts("c1"))
        .as_actor(Actor::new("an", Role::Analyst))
        .when(allocate("c1"))
        .then_error("FORBIDDEN_ROLE");
}
