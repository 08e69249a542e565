//! Cadre procedures: family record, leadership level, rank lowering, awards, admonitions, investigations,
//! public notices, probation, secondment, dismissal cases — allowed and refused.

mod common;

use common::*;
use dossier_domain::{
    cadre::{self, Aggregate as Cadre, Command, Event as E, Facts},
    harness::given,
    types::{AwardKind, LeadershipLevel, PostCategory, Rank, Relation, RotationKind},
};

const C: &str = "c1";

fn base() -> Vec<E> {
    vec![registered(C, Rank::PrincipalClerk4, d(2023, 1, 1))]
}

fn family(member_id: &str, id_number: Option<String>) -> Command {
    Command::AddFamilyMember(cadre::AddFamilyMember {
        cadre_id: C.into(),
        member_id: member_id.into(),
        relation: Relation::Spouse,
        appellation: "妻子".into(),
        name: "王芳".into(),
        id_number,
        birth_date: None,
        political_status: Some("中共党员".into()),
        work_unit_and_post: Some("区教育局科员".into()),
        relative_cadre_id: Some("c2".into()),
    })
}

#[test]
fn family_member_recorded_once_with_a_valid_id() {
    let events = given::<Cadre>(base())
        .when(family("m1", Some(id_number("19870214", "222"))))
        .then_ok();
    let [E::FamilyMemberAdded(m)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        m.birth_date,
        Some(d(1987, 2, 14)),
        "read from the ID number"
    );
    let mut with = base();
    with.extend(events);
    given::<Cadre>(with.clone())
        .when(family("m1", None))
        .then_error("FAMILY_MEMBER_EXISTS");
    given::<Cadre>(base())
        .when(family("m2", Some("320412198702142220".into())))
        .then_error("ID_NUMBER_CHECK_DIGIT");
    let remove = |id: &str| Command::RemoveFamilyMember {
        cadre_id: C.into(),
        member_id: id.into(),
        reason: "离婚".into(),
    };
    given::<Cadre>(with).when(remove("m1")).then_ok();
    given::<Cadre>(base())
        .when(remove("m1"))
        .then_error("FAMILY_MEMBER_NOT_FOUND");
}

#[test]
fn family_member_cannot_be_the_cadre() {
    let Command::AddFamilyMember(mut c) = family("m1", None) else {
        unreachable!()
    };
    c.relative_cadre_id = Some(C.into());
    given::<Cadre>(base())
        .when(Command::AddFamilyMember(c))
        .then_error("FAMILY_MEMBER_SELF");
}

#[test]
fn leadership_level_changes_only_to_another_level() {
    let change = |level| Command::ChangeLeadershipLevel {
        cadre_id: C.into(),
        level,
        document_number: Some("姜委〔2025〕2号".into()),
    };
    let events = given::<Cadre>(base())
        .when(change(Some(LeadershipLevel::TownshipDeputy)))
        .then_ok();
    let [E::LeadershipLevelChanged(l)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        (l.from, l.to),
        (None, Some(LeadershipLevel::TownshipDeputy))
    );
    given::<Cadre>(base())
        .when(change(None))
        .then_error("LEVEL_UNCHANGED");
}

#[test]
fn rank_lowered_one_level_not_below_the_lowest() {
    let lower = Command::LowerRank {
        cadre_id: C.into(),
        reason: "降级处分".into(),
        document_number: Some("姜组〔2025〕9号".into()),
    };
    let events = given::<Cadre>(base()).when(lower.clone()).then_ok();
    assert!(matches!(events.as_slice(), [E::RankLowered(l)] if l.to == Rank::ClerkGrade1));
    given::<Cadre>([registered(C, Rank::ClerkGrade2, d(2023, 1, 1))])
        .when(lower)
        .then_error("RANK_LOWEST");
}

#[test]
fn award_granted_once_and_revoked_with_a_reason() {
    let grant = Command::GrantAward {
        cadre_id: C.into(),
        award_id: "a1".into(),
        kind: AwardKind::Merit,
        title: "记三等功".into(),
        year: 2024,
        basis: None,
        source: None,
        evaluation_id: None,
    };
    let events = given::<Cadre>(base())
        .on(d(2025, 3, 1))
        .when(grant.clone())
        .then_ok();
    let mut with = base();
    with.extend(events);
    given::<Cadre>(with.clone())
        .on(d(2025, 3, 1))
        .when(grant.clone())
        .then_error("AWARD_ALREADY_GRANTED");
    given::<Cadre>(base())
        .on(d(2023, 3, 1))
        .when(grant)
        .then_error("AWARD_YEAR_INVALID");
    let revoke = |reason: &str| Command::RevokeAward {
        cadre_id: C.into(),
        award_id: "a1".into(),
        reason: reason.into(),
    };
    given::<Cadre>(with.clone())
        .when(revoke("事迹失实"))
        .then_ok();
    given::<Cadre>(with)
        .when(revoke(" "))
        .then_error("AWARD_REVOKE_REASON_REQUIRED");
    given::<Cadre>(base())
        .when(revoke("x"))
        .then_error("AWARD_NOT_FOUND");
}

#[test]
fn admonition_deadline_from_policy_or_command() {
    let admonish = |months| Command::IssueAdmonition {
        cadre_id: C.into(),
        admonition_id: "w1".into(),
        reason: "工作不力".into(),
        improve_months: months,
    };
    let events = given::<Cadre>(base())
        .on(d(2025, 3, 1))
        .when(admonish(None))
        .then_ok();
    assert!(
        matches!(events.as_slice(), [E::AdmonitionIssued(a)] if a.improve_by == d(2026, 3, 1) && a.effect_until == d(2025, 9, 1))
    );
    let events = given::<Cadre>(base())
        .on(d(2025, 3, 1))
        .when(admonish(Some(3)))
        .then_ok();
    assert!(matches!(events.as_slice(), [E::AdmonitionIssued(a)] if a.improve_by == d(2025, 6, 1)));
    given::<Cadre>(base())
        .when(admonish(Some(0)))
        .then_error("ADMONITION_DEADLINE_INVALID");
}

#[test]
fn investigation_opens_once_and_closes_when_open() {
    let open = Command::OpenInvestigation {
        cadre_id: C.into(),
        case_id: "k1".into(),
        authority: "区监委".into(),
        reason: "涉嫌违纪".into(),
    };
    let events = given::<Cadre>(base())
        .on(d(2025, 3, 1))
        .when(open.clone())
        .then_ok();
    let mut with = base();
    with.extend(events);
    given::<Cadre>(with.clone())
        .when(open)
        .then_error("INVESTIGATION_EXISTS");
    let close = |case: &str| Command::CloseInvestigation {
        cadre_id: C.into(),
        case_id: case.into(),
        outcome: "予以了结".into(),
    };
    given::<Cadre>(with.clone())
        .on(d(2025, 5, 1))
        .when(close("k1"))
        .then_ok();
    given::<Cadre>(with)
        .on(d(2025, 5, 1))
        .when(close("k2"))
        .then_error("INVESTIGATION_NOT_FOUND");
}

#[test]
fn public_notice_ends_once_not_before_it_started() {
    let mut with = base();
    with.extend(notice(C, "n1", Rank::PrincipalClerk3, d(2025, 6, 2), None));
    let end = Command::EndPublicNotice {
        cadre_id: C.into(),
        notice_id: "n1".into(),
        objection_upheld: false,
        note: None,
    };
    given::<Cadre>(with.clone())
        .on(d(2025, 6, 9))
        .when(end.clone())
        .then_ok();
    given::<Cadre>(with.clone())
        .on(d(2025, 6, 1))
        .when(end.clone())
        .then_error("DATE_ORDER");
    with.extend(
        notice(
            C,
            "n2",
            Rank::PrincipalClerk3,
            d(2025, 6, 3),
            Some(d(2025, 6, 9)),
        )
        .into_iter()
        .skip(1)
        .map(|e| match e {
            E::PublicNoticeEnded(mut n) => {
                n.notice_id = "n1".into();
                E::PublicNoticeEnded(n)
            }
            other => other,
        }),
    );
    given::<Cadre>(with)
        .on(d(2025, 6, 9))
        .when(end)
        .then_error("NOTICE_NOT_FOUND");
}

#[test]
fn probation_needs_a_held_post_and_a_later_end() {
    let p = post("u-fgw", "p1", PostCategory::Business);
    let mut with = base();
    with.push(appointed(C, &p, d(2025, 1, 1)));
    let start = |post: &str, ends_on| Command::StartProbation {
        cadre_id: C.into(),
        post_id: post.into(),
        ends_on,
    };
    let events = given::<Cadre>(with.clone())
        .on(d(2025, 1, 2))
        .when(start("p1", d(2026, 1, 1)))
        .then_ok();
    given::<Cadre>(with.clone())
        .on(d(2025, 1, 2))
        .when(start("p1", d(2025, 1, 2)))
        .then_error("PROBATION_END_INVALID");
    given::<Cadre>(with.clone())
        .on(d(2025, 1, 2))
        .when(start("p9", d(2026, 1, 1)))
        .then_error("POST_NOT_HELD");
    with.extend(events);
    given::<Cadre>(with.clone())
        .on(d(2025, 2, 1))
        .when(start("p1", d(2026, 1, 1)))
        .then_error("PROBATION_IN_PROGRESS");
    given::<Cadre>(with)
        .on(d(2026, 1, 2))
        .when(Command::EndProbation {
            cadre_id: C.into(),
            passed: true,
        })
        .then_ok();
    given::<Cadre>(base())
        .when(Command::EndProbation {
            cadre_id: C.into(),
            passed: true,
        })
        .then_error("PROBATION_NOT_FOUND");
}

#[test]
fn appointment_with_probation_records_its_end() {
    let p = post("u-fgw", "p1", PostCategory::Business);
    let mut c = appoint(C, "u-fgw", "p1");
    c.probation_until = Some(d(2026, 6, 30));
    let events = given::<Cadre>(base())
        .with_facts(Facts {
            post: Some(p.clone()),
            ..Facts::default()
        })
        .when(Command::Appoint(c.clone()))
        .then_ok();
    use dossier_domain::Aggregate as _;
    let mut all = base();
    all.extend(events);
    assert_eq!(
        Cadre::fold(&all).probation.map(|p| p.ends_on),
        Some(d(2026, 6, 30))
    );
    c.probation_until = Some(d(2025, 6, 1));
    given::<Cadre>(base())
        .with_facts(Facts {
            post: Some(p),
            ..Facts::default()
        })
        .when(Command::Appoint(c))
        .then_error("PROBATION_END_INVALID");
}

#[test]
fn secondment_one_at_a_time_with_a_later_end() {
    let start = |id: &str, ends_on| Command::StartSecondment {
        cadre_id: C.into(),
        secondment_id: id.into(),
        host_unit: "某镇人民政府".into(),
        host_post: "副镇长 (挂职)".into(),
        ends_on,
        document_number: None,
    };
    let events = given::<Cadre>(base())
        .on(d(2025, 3, 1))
        .when(start("s1", d(2026, 3, 1)))
        .then_ok();
    given::<Cadre>(base())
        .on(d(2025, 3, 1))
        .when(start("s1", d(2025, 2, 1)))
        .then_error("SECONDMENT_END_INVALID");
    let mut with = base();
    with.extend(events);
    given::<Cadre>(with.clone())
        .on(d(2025, 4, 1))
        .when(start("s2", d(2026, 4, 1)))
        .then_error("SECONDMENT_IN_PROGRESS");
    given::<Cadre>(with.clone())
        .on(d(2026, 3, 1))
        .when(Command::EndSecondment {
            cadre_id: C.into(),
            secondment_id: "s1".into(),
        })
        .then_ok();
    given::<Cadre>(with)
        .on(d(2026, 3, 1))
        .when(Command::EndSecondment {
            cadre_id: C.into(),
            secondment_id: "s9".into(),
        })
        .then_error("SECONDMENT_NOT_FOUND");
}

#[test]
fn dismissal_case_opened_once() {
    let open = |id: &str| Command::OpenDismissalCase {
        cadre_id: C.into(),
        case_id: id.into(),
        reason: "连续两年不称职".into(),
    };
    let events = given::<Cadre>(base()).when(open("d1")).then_ok();
    let mut with = base();
    with.extend(events);
    given::<Cadre>(with)
        .when(open("d2"))
        .then_error("DISMISSAL_CASE_OPEN");
}

#[test]
fn rotation_to_the_same_post_is_refused() {
    let p = post("u-a", "p-hot", PostCategory::Finance);
    let mut with = base();
    with.push(appointed(C, &p, d(2019, 3, 1)));
    let cmd = Command::Rotate(cadre::Rotate {
        cadre_id: C.into(),
        kind: RotationKind::Protective,
        reason: "任职满 5 年".into(),
        from_post_id: "p-hot".into(),
        to_unit_id: "u-a".into(),
        to_post_id: "p-hot".into(),
        approved_by: "区委".into(),
        document_number: "泰姜委〔2025〕20号".into(),
    });
    given::<Cadre>(with)
        .with_facts(Facts {
            post: Some(p),
            ..Facts::default()
        })
        .when(cmd)
        .then_error("ROTATION_SAME_POST");
}

#[test]
fn appointment_approval_not_after_it_takes_effect() {
    let mut c = appoint(C, "u-fgw", "p1");
    c.decided_on = d(2025, 6, 30);
    let facts = || Facts {
        post: Some(post("u-fgw", "p1", PostCategory::Business)),
        ..Facts::default()
    };
    given::<Cadre>(base())
        .with_facts(facts())
        .effective(d(2025, 6, 20), d(2025, 6, 30))
        .when(Command::Appoint(c.clone()))
        .then_error("APPOINTMENT_DATES_ORDER");
    given::<Cadre>(base())
        .with_facts(facts())
        .on(d(2025, 6, 30))
        .when(Command::Appoint(c))
        .then_ok();
}

#[test]
fn only_the_organization_department_records_cadre_facts() {
    use dossier_domain::{Actor, Role};
    let lower = Command::LowerRank {
        cadre_id: C.into(),
        reason: "不称职".into(),
        document_number: Some("姜组〔2025〕9号".into()),
    };
    let err = given::<Cadre>(base())
        .as_actor(Actor::scoped("head", Role::UnitHead, "u-fgw"))
        .when(lower.clone())
        .then_error("FORBIDDEN_ROLE");
    assert!(err.message().contains("降低职级被拒绝"), "{err}");
    given::<Cadre>(base())
        .as_actor(Actor::scoped("me", Role::Cadre, C))
        .when(lower.clone())
        .then_error("FORBIDDEN_ROLE");
    given::<Cadre>(base())
        .as_actor(Actor::new("d", Role::DisciplineInspector))
        .when(lower.clone())
        .then_error("FORBIDDEN_ROLE");
    given::<Cadre>(base())
        .as_actor(Actor::system())
        .when(lower)
        .then_ok();
}

#[test]
fn discipline_inspectors_record_sanctions_and_investigations() {
    use dossier_domain::{Actor, Role};
    let open = Command::OpenInvestigation {
        cadre_id: C.into(),
        case_id: "k1".into(),
        authority: "区监委".into(),
        reason: "涉嫌违纪".into(),
    };
    given::<Cadre>(base())
        .as_actor(Actor::new("d", Role::DisciplineInspector))
        .when(open.clone())
        .then_ok();
    given::<Cadre>(base())
        .as_actor(Actor::new("a", Role::Auditor))
        .when(open)
        .then_error("FORBIDDEN_ROLE");
}

/// A rotation ends the post it leaves on its date: not a date before the cadre took that post.
#[test]
fn rotation_from_a_post_is_not_dated_before_the_post_was_taken() {
    let from = post("u-a", "p-from", PostCategory::General);
    let to = post("u-a", "p-to", PostCategory::General);
    let mut with = base();
    with.push(appointed(C, &from, d(2024, 3, 1)));
    let cmd = Command::Rotate(cadre::Rotate {
        cadre_id: C.into(),
        kind: RotationKind::Cultivating,
        reason: "培养锻炼".into(),
        from_post_id: "p-from".into(),
        to_unit_id: "u-a".into(),
        to_post_id: "p-to".into(),
        approved_by: "区委".into(),
        document_number: "泰姜委〔2025〕21号".into(),
    });
    let facts = Facts {
        post: Some(to),
        ..Facts::default()
    };
    let e = given::<Cadre>(with.clone())
        .with_facts(facts.clone())
        .effective(d(2024, 2, 29), d(2025, 3, 1))
        .when(cmd.clone())
        .then_error("REMOVAL_BEFORE_APPOINTMENT");
    assert!(
        e.message().contains("李华（c1）") && e.message().contains("2024-03-01"),
        "{e}"
    );
    given::<Cadre>(with)
        .with_facts(facts)
        .effective(d(2024, 3, 1), d(2025, 3, 1))
        .when(cmd)
        .then_ok();
}

/// A grade's year lies within the cadre's working life and has ended — from December on, when
/// the year-end assessment is held — on the date the grade is recorded.
#[test]
fn a_grade_year_is_within_the_working_life_and_ended_on_the_effective_date() {
    let grade = |year: i32| Command::RecordGrade {
        cadre_id: C.into(),
        unit_id: "u-fgw".into(),
        year,
        grade: Some(dossier_domain::types::Grade::Competent),
        category: dossier_domain::codes::AssessmentCategory::Annual,
        basis: None,
        evaluation_id: None,
    };
    // Joined work 2008-08 (born 1985): 1950 and 2007 are before it, 2008 is the first year.
    for year in [1950, 2007] {
        let e = given::<Cadre>(base())
            .on(d(2025, 3, 1))
            .when(grade(year))
            .then_error("ASSESSMENT_YEAR_INVALID");
        assert!(e.message().contains("参加工作"), "{e}");
    }
    given::<Cadre>(base())
        .on(d(2025, 3, 1))
        .when(grade(2008))
        .then_ok();
    // The year not ended on the effective date, though today is later.
    given::<Cadre>(base())
        .effective(d(2026, 1, 2), d(2026, 12, 7))
        .when(grade(2026))
        .then_error("ASSESSMENT_YEAR_INVALID");
    given::<Cadre>(base())
        .effective(d(2026, 11, 30), d(2026, 12, 7))
        .when(grade(2026))
        .then_error("ASSESSMENT_YEAR_INVALID");
    given::<Cadre>(base())
        .effective(d(2026, 12, 1), d(2026, 12, 7))
        .when(grade(2026))
        .then_ok();
    // With no 参加工作时间 on record, the year the cadre turned 16.
    let mut no_work = base();
    if let E::Registered(r) = &mut no_work[0] {
        r.joined_work_on = None;
    }
    given::<Cadre>(no_work.clone())
        .on(d(2025, 3, 1))
        .when(grade(2000))
        .then_error("ASSESSMENT_YEAR_INVALID");
    given::<Cadre>(no_work)
        .on(d(2025, 3, 1))
        .when(grade(2001))
        .then_ok();
}

/// An admonition and a 双考 evaluation dated before the cadre's birth are refused, as a
/// registration's dates are.
#[test]
fn admonition_and_evaluation_not_dated_before_birth() {
    given::<Cadre>(base())
        .effective(d(1980, 3, 1), d(2025, 3, 1))
        .when(Command::IssueAdmonition {
            cadre_id: C.into(),
            admonition_id: "w1".into(),
            reason: "工作不力".into(),
            improve_months: None,
        })
        .then_error("DATE_BEFORE_BIRTH");
    let evaluate = Command::RecordEvaluation(cadre::RecordEvaluation {
        cadre_id: C.into(),
        evaluation_id: "e1".into(),
        task_kind: cadre::TaskKind::IndustrialProject,
        task_name: "新能源电池产业园项目".into(),
        evaluator: cadre::Evaluator::AssessmentOffice,
        scores: cadre::Scores {
            attitude: 90.0,
            responsibility: 90.0,
            competence: 90.0,
        },
        remarks: None,
    });
    let e = given::<Cadre>(base())
        .effective(d(1980, 3, 1), d(2025, 3, 1))
        .when(evaluate.clone())
        .then_error("DATE_BEFORE_BIRTH");
    assert!(
        e.message().contains("李华（c1）") && e.message().contains("1985-04-12"),
        "{e}"
    );
    given::<Cadre>(base())
        .effective(d(2024, 3, 1), d(2025, 3, 1))
        .when(evaluate)
        .then_ok();
}
