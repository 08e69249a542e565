//! Unit stream rules (posts, hot posts) and the policy book (the policy in force on a date).

mod common;

use common::*;
use dossier_domain::{
    Aggregate as _, Policy, PolicyBook,
    harness::given,
    policy_stream::{self, Aggregate as PolicyStream, Command as PolicyCommand},
    tenure,
    types::{LeadershipLevel, PostCategory},
    unit::{self, Aggregate as Unit, Command, Event as E},
};

fn registered_unit() -> E {
    E::Registered(unit::Registered {
        unit_id: "u-sw".into(),
        name: "区商务局".into(),
        parent_unit_id: None,
        business_facing: true,
        registered_on: d(2020, 1, 1),
    })
}

fn open(
    post_id: &str,
    category: PostCategory,
    heads_unit: bool,
    reports_to: Option<&str>,
) -> Command {
    Command::OpenPost(unit::OpenPost {
        unit_id: "u-sw".into(),
        post_id: post_id.into(),
        title: format!("岗位{post_id}"),
        category,
        leadership_level: heads_unit.then_some(LeadershipLevel::TownshipChief),
        heads_unit,
        reports_to: reports_to.map(String::from),
    })
}

fn opened(post_id: &str, heads_unit: bool) -> E {
    E::PostOpened(unit::PostOpened {
        unit_id: "u-sw".into(),
        post_id: post_id.into(),
        title: format!("岗位{post_id}"),
        category: PostCategory::General,
        leadership_level: heads_unit.then_some(LeadershipLevel::TownshipChief),
        heads_unit,
        reports_to: None,
        opened_on: d(2020, 1, 1),
    })
}

#[test]
fn unit_registration_needs_a_name() {
    let register = |name: &str| {
        Command::Register(unit::Register {
            unit_id: "u-sw".into(),
            name: name.into(),
            parent_unit_id: None,
            business_facing: true,
        })
    };
    given::<Unit>([]).when(register("区商务局")).then_ok();
    given::<Unit>([])
        .when(register(" "))
        .then_error("UNIT_NAME_REQUIRED");
    given::<Unit>([registered_unit()])
        .when(register("区商务局"))
        .then_error("UNIT_ALREADY_REGISTERED");
}

#[test]
fn post_opens_once_and_reports_to_a_known_post() {
    given::<Unit>([registered_unit()])
        .when(open("p1", PostCategory::Business, false, None))
        .then_ok();
    given::<Unit>([registered_unit(), opened("p1", false)])
        .when(open("p1", PostCategory::Business, false, None))
        .then_error("POST_ALREADY_EXISTS");
    given::<Unit>([registered_unit()])
        .when(open("p2", PostCategory::Business, false, Some("p-x")))
        .then_error("POST_NOT_FOUND");
    given::<Unit>([registered_unit(), opened("p-head", true)])
        .when(open("p2", PostCategory::Audit, false, Some("p-head")))
        .then_ok();
    given::<Unit>([registered_unit(), opened("p-head", true)])
        .when(open("p3", PostCategory::General, true, None))
        .then_error("POST_HEAD_EXISTS");
    given::<Unit>([])
        .when(open("p1", PostCategory::Business, false, None))
        .then_error("UNIT_NOT_FOUND");
}

#[test]
fn hot_post_needs_an_open_post_and_a_limit() {
    let designate = |limit| Command::DesignateHotPost {
        unit_id: "u-sw".into(),
        post_id: "p1".into(),
        tenure_limit_years: limit,
        basis: None,
    };
    let then = given::<Unit>([registered_unit(), opened("p1", false)]).when(designate(5));
    let events = then.then_ok();
    let state = Unit::fold(
        [registered_unit(), opened("p1", false)]
            .iter()
            .chain(&events),
    );
    assert_eq!(
        state.post_fact("p1").and_then(|p| p.hot_limit_years),
        Some(5)
    );
    given::<Unit>([registered_unit(), opened("p1", false)])
        .when(designate(0))
        .then_error("HOT_POST_LIMIT_INVALID");
    let closed = E::PostClosed(unit::PostClosed {
        unit_id: "u-sw".into(),
        post_id: "p1".into(),
        reason: "机构改革".into(),
        closed_on: d(2024, 1, 1),
    });
    given::<Unit>([registered_unit(), opened("p1", false), closed])
        .when(designate(5))
        .then_error("POST_CLOSED");
}

#[test]
fn tenure_due_at_the_tightest_limit() {
    let policy = Policy::national_default().tenure;
    let hot = unit::PostFact {
        hot_limit_years: Some(5),
        ..post("u-sw", "p1", PostCategory::Business)
    };
    assert_eq!(tenure::years_in_post(d(2020, 3, 1), d(2025, 2, 28)), 4);
    assert!(!tenure::is_due(
        &hot,
        d(2020, 3, 1),
        d(2025, 2, 28),
        &policy
    ));
    assert!(tenure::is_due(&hot, d(2020, 3, 1), d(2025, 3, 1), &policy));
    // A leader in an ordinary post: 10 years.
    let head = leader("u-sw", "p-head", LeadershipLevel::TownshipChief);
    let due = tenure::due(&head, d(2015, 3, 1), d(2025, 2, 28), &policy).unwrap();
    assert_eq!(
        (due.reason, due.limit_years, due.due_on),
        (tenure::DueReason::Leadership, 10, d(2025, 3, 1))
    );
    // A leader of a 人事 post: the district's 5 years.
    let personnel = unit::PostFact {
        leadership_level: Some(LeadershipLevel::TownshipDeputy),
        ..post("u-sw", "p-hr", PostCategory::Personnel)
    };
    assert_eq!(
        tenure::due(&personnel, d(2019, 1, 1), d(2024, 1, 1), &policy).map(|d| d.reason),
        Some(tenure::DueReason::SensitivePost)
    );
    // An ordinary staff post: no limit.
    assert!(
        tenure::due(
            &post("u-sw", "p2", PostCategory::Business),
            d(2000, 1, 1),
            d(2025, 1, 1),
            &policy
        )
        .is_none()
    );
}

fn publish(effective_from: chrono::NaiveDate, share: u32) -> PolicyCommand {
    let mut policy = Policy::national_default();
    policy.assessment.excellent_share_percent = share;
    PolicyCommand::Publish {
        book: "district".into(),
        title: format!("优秀比例 {share}%"),
        effective_from,
        basis: "姜组发〔2024〕5号".into(),
        policy,
    }
}

#[test]
fn policy_book_returns_the_version_in_force_on_a_date() {
    let v1 = given::<PolicyStream>([])
        .when(publish(d(2024, 1, 1), 18))
        .then_ok();
    let v2 = given::<PolicyStream>(v1.clone())
        .when(publish(d(2026, 1, 1), 20))
        .then_ok();
    let book = PolicyBook::from_events(v1.iter().chain(&v2));
    // Before any version: the national defaults.
    assert_eq!(
        book.in_force(d(2023, 12, 31))
            .assessment
            .excellent_share_percent,
        15
    );
    assert_eq!(
        book.in_force(d(2024, 1, 1))
            .assessment
            .excellent_share_percent,
        18
    );
    // Replaying the whole history (v2 included) never applies v2 to a date before it took effect.
    assert_eq!(
        book.in_force(d(2025, 12, 31))
            .assessment
            .excellent_share_percent,
        18
    );
    assert_eq!(
        book.in_force(d(2026, 1, 1))
            .assessment
            .excellent_share_percent,
        20
    );
    assert_eq!(book.version_on(d(2026, 5, 1)).map(|v| v.version), Some(2));
}

#[test]
fn policy_versions_cannot_rewrite_past_periods() {
    let v1 = given::<PolicyStream>([])
        .when(publish(d(2025, 1, 1), 15))
        .then_ok();
    given::<PolicyStream>(v1.clone())
        .when(publish(d(2024, 6, 1), 18))
        .then_error("POLICY_OUT_OF_ORDER");
    given::<PolicyStream>(v1)
        .when(publish(d(2025, 1, 1), 18))
        .then_ok();
}

#[test]
fn policy_excellent_share_beyond_ceiling_is_refused() {
    given::<PolicyStream>([])
        .when(publish(d(2025, 1, 1), 20))
        .then_ok();
    given::<PolicyStream>([])
        .when(publish(d(2025, 1, 1), 21))
        .then_error("POLICY_EXCELLENT_SHARE_CEILING");
    let mut policy = Policy::national_default();
    policy.assessment.excellent_share_max_percent = 30;
    policy.assessment.excellent_share_percent = 25;
    given::<PolicyStream>([])
        .when(PolicyCommand::Publish {
            book: "district".into(),
            title: "t".into(),
            effective_from: d(2025, 1, 1),
            basis: "b".into(),
            policy,
        })
        .then_error("POLICY_EXCELLENT_SHARE_CEILING");
}

/// Publish the national defaults with the selection values changed by `change`.
fn publish_selection(
    change: impl FnOnce(&mut dossier_domain::policy::SelectionPolicy),
) -> PolicyCommand {
    let mut policy = Policy::national_default();
    change(&mut policy.selection);
    PolicyCommand::Publish {
        book: "district".into(),
        title: "选任政策".into(),
        effective_from: d(2025, 1, 1),
        basis: "姜组发〔2025〕3号".into(),
        policy,
    }
}

#[test]
fn each_selection_value_is_refused_on_its_own_naming_the_field_and_the_value() {
    let err = given::<PolicyStream>([])
        .when(publish_selection(|s| s.max_candidates_per_post = 0))
        .then_error("POLICY_INVALID_VALUE");
    let text = err.to_string();
    assert!(
        text.contains("maxCandidatesPerPost") && text.contains("为 0"),
        "{text}"
    );
    assert!(
        !text.contains("noticeWorkingDays") && !text.contains("试用期"),
        "one value: {text}"
    );
    let err = given::<PolicyStream>([])
        .when(publish_selection(|s| s.notice_working_days = 3))
        .then_error("POLICY_INVALID_VALUE");
    assert!(
        err.to_string().contains("noticeWorkingDays") && err.to_string().contains("为 3"),
        "{err}"
    );
    // The 试用期 is one year: 600 months is refused, 0 too; 12 and 6 pass.
    for months in [0, 13, 600] {
        let err = given::<PolicyStream>([])
            .when(publish_selection(|s| s.probation_months = months))
            .then_error("POLICY_INVALID_VALUE");
        assert!(
            err.to_string()
                .contains(&format!("probationMonths） 为 {months}")),
            "{err}"
        );
    }
    for months in [6, 12] {
        given::<PolicyStream>([])
            .when(publish_selection(|s| s.probation_months = months))
            .then_ok();
    }
}

#[test]
fn a_selection_policy_no_recommendation_round_could_pass_is_refused() {
    // At least 1 + 5 = 6 carried for one post, at most 2: contradictory.
    let err = given::<PolicyStream>([])
        .when(publish_selection(|s| {
            s.min_extra_candidates = 5;
            s.max_candidates_per_post = 2;
        }))
        .then_error("POLICY_SELECTION_CONTRADICTORY");
    let text = err.to_string();
    assert!(
        text.contains("minExtraCandidates") && text.contains("maxCandidatesPerPost"),
        "{text}"
    );
    given::<PolicyStream>([])
        .when(publish_selection(|s| {
            s.min_extra_candidates = 2;
            s.max_candidates_per_post = 3;
        }))
        .then_ok();
    given::<PolicyStream>([])
        .when(publish_selection(|s| {
            s.min_extra_candidates = 3;
            s.max_candidates_per_post = 3;
        }))
        .then_error("POLICY_SELECTION_CONTRADICTORY");
}

#[test]
fn policy_published_event_round_trips_as_json() {
    let events = given::<PolicyStream>([])
        .when(publish(d(2025, 1, 1), 18))
        .then_ok();
    use dossier_domain::EventSet;
    let payload = events[0].to_payload().unwrap();
    assert_eq!(
        policy_stream::Event::decode("policy.Published", 1, &payload).unwrap(),
        events[0]
    );
}

#[test]
fn replaying_history_never_applies_todays_rules_to_yesterday() {
    use dossier_domain::{
        cadre::{Aggregate as Cadre, Command as CadreCommand, Event as CE},
        types::{Grade, Rank},
    };
    // v1 (2024): the national 2 years for 三级主任科员; v2 (from 2026): 4 years.
    let v1 = given::<PolicyStream>([])
        .when(publish(d(2024, 1, 1), 15))
        .then_ok();
    let mut stricter = Policy::national_default();
    for step in &mut stricter.promotion.ladder {
        step.min_months = 48;
    }
    let v2 = given::<PolicyStream>(v1.clone())
        .when(PolicyCommand::Publish {
            book: "district".into(),
            title: "职级晋升从严".into(),
            effective_from: d(2026, 1, 1),
            basis: "姜组发〔2025〕9号".into(),
            policy: stricter,
        })
        .then_ok();
    let book = PolicyBook::from_events(v1.iter().chain(&v2));

    let mut history = vec![
        registered("c1", Rank::PrincipalClerk4, d(2023, 1, 1)),
        grade("c1", 2023, Some(Grade::Competent)),
        grade("c1", 2024, Some(Grade::Competent)),
    ];
    history.extend(notice(
        "c1",
        "n1",
        Rank::PrincipalClerk3,
        d(2025, 6, 3),
        Some(d(2025, 6, 9)),
    ));
    let promote = CadreCommand::PromoteRank {
        cadre_id: "c1".into(),
        to: Rank::PrincipalClerk3,
        document_number: "姜组通〔2025〕8号".into(),
        approved_by: "区委组织部".into(),
        quota_year: None,
    };
    // A promotion effective 2025-06-30 is decided under v1, even though v2 is already published
    // (recorded in 2026: a late entry of an earlier decision).
    let events = given::<Cadre>(history.clone())
        .with_policy(book.in_force(d(2025, 6, 30)))
        .effective(d(2025, 6, 30), d(2026, 2, 1))
        .when(promote.clone())
        .then_ok();
    let [CE::RankPromoted(p)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(p.required_months, 24);
    // The same command effective under v2 is refused by v2's value.
    let err = given::<Cadre>(history.clone())
        .with_policy(book.in_force(d(2026, 2, 1)))
        .on(d(2026, 2, 1))
        .when(promote)
        .then_error("PROMOTION_MIN_YEARS");
    assert!(err.message().contains("需满 4 年"), "{err}");
    // Replaying the stream folds the recorded decision; nothing is re-decided.
    history.extend(events);
    let state = Cadre::fold(&history);
    assert_eq!(
        (state.rank, state.rank_since),
        (Some(Rank::PrincipalClerk3), Some(d(2025, 6, 30)))
    );
}

#[test]
fn only_the_organization_department_publishes_policy_and_units() {
    use dossier_domain::{Actor, Role};
    given::<PolicyStream>([])
        .as_actor(Actor::new("an", Role::Analyst))
        .when(publish(d(2025, 1, 1), 15))
        .then_error("FORBIDDEN_ROLE");
    given::<Unit>([registered_unit()])
        .as_actor(Actor::scoped("head", Role::UnitHead, "u-sw"))
        .when(open("p1", PostCategory::Business, false, None))
        .then_error("FORBIDDEN_ROLE");
}
