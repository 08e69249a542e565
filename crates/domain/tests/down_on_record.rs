//! A “down” decision changes the cadre's record (改任职级, 提前退出领导岗位, 逆向调整岗位), and 职务层次 follows the post.

mod common;

use common::*;
use dossier_domain::{
    Aggregate as _,
    cadre::{self, Aggregate as Cadre, Command, Event as E, Facts, State},
    harness::given,
    types::{DownMethod, LeadershipLevel, PostCategory, Rank},
    unit::{PostFact, PostRef},
};

const C: &str = "c1";

fn head_post() -> PostFact {
    leader("u-fgw", "head", LeadershipLevel::TownshipChief)
}

fn staff_post() -> PostFact {
    post("u-sw", "staff", PostCategory::General)
}

/// A cadre who became head of 单位u-fgw (乡科级正职) on 2020-01-10, with the level that follows.
fn a_head() -> Vec<E> {
    vec![
        registered(C, Rank::PrincipalClerk1, d(2019, 1, 1)),
        appointed(C, &head_post(), d(2020, 1, 10)),
        E::LeadershipLevelChanged(cadre::LeadershipLevelChanged {
            cadre_id: C.into(),
            from: None,
            to: Some(LeadershipLevel::TownshipChief),
            effective_on: d(2020, 1, 10),
            document_number: Some("姜委〔2020〕3号".into()),
        }),
    ]
}

fn carry_out(method: DownMethod, to_post: Option<PostRef>) -> Command {
    Command::CarryOutDown(cadre::CarryOutDown {
        cadre_id: C.into(),
        review_id: "dr1".into(),
        method,
        decision_ref: "姜委常〔2025〕30号".into(),
        decided_on: d(2025, 6, 1),
        to_post,
    })
}

fn fold(events: &[E]) -> State {
    let mut state = State::default();
    for e in events {
        Cadre::evolve(&mut state, e);
    }
    state
}

fn staff_ref() -> PostRef {
    PostRef {
        unit_id: "u-sw".into(),
        post_id: "staff".into(),
    }
}

#[test]
fn change_to_rank_ends_every_leadership_post_and_the_level() {
    let mut history = a_head();
    let events = given::<Cadre>(history.clone())
        .when(carry_out(DownMethod::ChangeToRank, None))
        .then_ok();
    let [
        E::Removed(removed),
        E::LeadershipLevelChanged(level),
        E::MovedDown(moved),
    ] = events.as_slice()
    else {
        panic!("{events:#?}")
    };
    assert_eq!(removed.post_id, "head");
    assert_eq!(removed.document_number, "姜委常〔2025〕30号");
    assert_eq!(removed.effective_on, d(2025, 6, 30));
    assert_eq!(level.to, None);
    assert_eq!(moved.posts_ended, vec!["u-fgw/head".to_owned()]);
    history.extend(events);
    let state = fold(&history);
    assert!(state.posts.is_empty(), "{:?}", state.posts);
    assert_eq!(state.leadership_level, None);
    assert_eq!(state.rank, Some(Rank::PrincipalClerk1), "the rank stays");
}

#[test]
fn early_exit_ends_the_leadership_posts_and_records_the_exit() {
    let events = given::<Cadre>(a_head())
        .when(carry_out(DownMethod::EarlyExit, None))
        .then_ok();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, E::MovedDown(m) if m.method == DownMethod::EarlyExit)),
        "{events:#?}"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, E::Removed(r) if r.post_id == "head"))
    );
}

#[test]
fn reverse_adjustment_moves_the_cadre_to_the_named_post() {
    let mut history = a_head();
    let events = given::<Cadre>(history.clone())
        .with_facts(Facts {
            post: Some(staff_post()),
            ..Facts::default()
        })
        .when(carry_out(DownMethod::ReverseAdjustment, Some(staff_ref())))
        .then_ok();
    history.extend(events);
    let state = fold(&history);
    assert_eq!(state.unit_id, "u-sw");
    assert_eq!(
        state
            .posts
            .iter()
            .map(|h| h.post_id.as_str())
            .collect::<Vec<_>>(),
        ["staff"]
    );
    assert_eq!(state.leadership_level, None);
}

#[test]
fn reverse_adjustment_is_refused_for_a_missing_or_taken_post() {
    given::<Cadre>(a_head())
        .when(carry_out(DownMethod::ReverseAdjustment, Some(staff_ref())))
        .then_error("POST_NOT_FOUND");
    given::<Cadre>(a_head())
        .when(carry_out(DownMethod::ReverseAdjustment, None))
        .then_error("DOWN_TARGET_POST_REQUIRED");
    let deputy = leader("u-sw", "deputy", LeadershipLevel::TownshipDeputy);
    let e = given::<Cadre>(a_head())
        .with_facts(Facts {
            post: Some(deputy),
            post_holders: vec!["c9".into()],
            ..Facts::default()
        })
        .when(carry_out(
            DownMethod::ReverseAdjustment,
            Some(PostRef {
                unit_id: "u-sw".into(),
                post_id: "deputy".into(),
            }),
        ))
        .then_error("POST_TAKEN");
    assert!(e.message().contains("c9"), "{e}");
}

#[test]
fn a_decision_is_carried_out_once() {
    let mut history = a_head();
    history.extend(
        given::<Cadre>(a_head())
            .when(carry_out(DownMethod::ChangeToRank, None))
            .then_ok(),
    );
    given::<Cadre>(history)
        .when(carry_out(DownMethod::ChangeToRank, None))
        .then_error("DOWN_ALREADY_CARRIED_OUT");
}

#[test]
fn appointing_to_a_leadership_post_sets_the_level_from_the_post() {
    let events = given::<Cadre>([registered(C, Rank::PrincipalClerk1, d(2019, 1, 1))])
        .with_facts(Facts {
            post: Some(head_post()),
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "head")))
        .then_ok();
    let [E::Appointed(_), E::LeadershipLevelChanged(level)] = events.as_slice() else {
        panic!("{events:#?}")
    };
    assert_eq!(level.to, Some(LeadershipLevel::TownshipChief));
    assert_eq!(level.effective_on, d(2025, 6, 30));
    // A post at or below the level held leaves it as it is.
    let events = given::<Cadre>(a_head())
        .with_facts(Facts {
            post: Some(leader("u-sw", "deputy", LeadershipLevel::TownshipDeputy)),
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-sw", "deputy")))
        .then_ok();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, E::LeadershipLevelChanged(_))),
        "{events:#?}"
    );
}

/// A deputy (乡科级副职) of 单位u-fgw since 2020, whose spouse heads 单位u-sw.
fn a_deputy() -> Vec<E> {
    vec![
        registered(C, Rank::PrincipalClerk1, d(2019, 1, 1)),
        appointed(C, &deputy_post("u-fgw", "dep1"), d(2020, 1, 10)),
        E::LeadershipLevelChanged(cadre::LeadershipLevelChanged {
            cadre_id: C.into(),
            from: None,
            to: Some(LeadershipLevel::TownshipDeputy),
            effective_on: d(2020, 1, 10),
            document_number: Some("姜委〔2020〕3号".into()),
        }),
    ]
}

fn deputy_post(unit_id: &str, post_id: &str) -> PostFact {
    PostFact {
        heads_unit: false,
        ..leader(unit_id, post_id, LeadershipLevel::TownshipDeputy)
    }
}

fn to(unit_id: &str, post_id: &str) -> Option<PostRef> {
    Some(PostRef {
        unit_id: unit_id.into(),
        post_id: post_id.into(),
    })
}

#[test]
fn reverse_adjustment_to_a_post_the_cadre_holds_is_refused() {
    let e = given::<Cadre>(a_head())
        .with_facts(Facts {
            post: Some(head_post()),
            post_holders: vec![C.into()],
            ..Facts::default()
        })
        .when(carry_out(
            DownMethod::ReverseAdjustment,
            to("u-fgw", "head"),
        ))
        .then_error("DOWN_TARGET_SAME_POST");
    assert!(e.message().contains("李华（c1）"), "{e}");
}

#[test]
fn reverse_adjustment_to_a_post_above_the_cadres_level_is_refused() {
    let e = given::<Cadre>(a_deputy())
        .with_facts(Facts {
            post: Some(leader("u-sw", "head", LeadershipLevel::TownshipChief)),
            ..Facts::default()
        })
        .when(carry_out(DownMethod::ReverseAdjustment, to("u-sw", "head")))
        .then_error("DOWN_TARGET_ABOVE_LEVEL");
    assert!(
        e.message().contains("乡科级正职") && e.message().contains("乡科级副职"),
        "{e}"
    );
    // Sideways, to a deputy post of another unit, is a reverse adjustment.
    let events = given::<Cadre>(a_deputy())
        .with_facts(Facts {
            post: Some(deputy_post("u-sw", "dep2")),
            ..Facts::default()
        })
        .when(carry_out(DownMethod::ReverseAdjustment, to("u-sw", "dep2")))
        .then_ok();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, E::LeadershipLevelChanged(_))),
        "{events:#?}"
    );
}

#[test]
fn reverse_adjustment_runs_the_avoidance_and_quota_checks_of_an_appointment() {
    let mut hr = post("u-sw", "hr", PostCategory::Personnel);
    hr.reports_to = Some("head".into());
    let spouse = dossier_domain::avoidance::RelativeFact {
        cadre_id: "c2".into(),
        name: "王芳".into(),
        relation: dossier_domain::types::Relation::Spouse,
        posts: vec![leader("u-sw", "head", LeadershipLevel::TownshipChief)],
    };
    given::<Cadre>(a_deputy())
        .with_facts(Facts {
            post: Some(hr),
            relatives: vec![spouse],
            ..Facts::default()
        })
        .when(carry_out(DownMethod::ReverseAdjustment, to("u-sw", "hr")))
        .then_error("AVOIDANCE_REPORTING_LINE");
    let quota = |filled_deputies| dossier_domain::staffing::QuotaFact {
        unit_id: "u-sw".into(),
        chiefs: 1,
        deputies: 2,
        exceptions_allowed: false,
        filled_chiefs: 1,
        filled_deputies,
        basis: "姜编〔2025〕3号".into(),
    };
    let into = |filled| Facts {
        post: Some(deputy_post("u-sw", "dep3")),
        post_quota: Some(quota(filled)),
        ..Facts::default()
    };
    let e = given::<Cadre>(a_deputy())
        .with_facts(into(2))
        .when(carry_out(DownMethod::ReverseAdjustment, to("u-sw", "dep3")))
        .then_error("POST_QUOTA_EXCEEDED");
    assert!(e.message().contains("逆向调整岗位被拒绝"), "{e}");
    given::<Cadre>(a_deputy())
        .with_facts(into(1))
        .when(carry_out(DownMethod::ReverseAdjustment, to("u-sw", "dep3")))
        .then_ok();
}

#[test]
fn change_to_rank_for_a_cadre_without_a_rank_is_refused() {
    let mut history = a_head();
    if let E::Registered(r) = &mut history[0] {
        r.rank = None;
        r.rank_since = None;
    }
    let e = given::<Cadre>(history)
        .when(carry_out(DownMethod::ChangeToRank, None))
        .then_error("DOWN_RANK_REQUIRED");
    assert!(
        e.message().contains("李华（c1）") && e.message().contains("没有登记职级"),
        "{e}"
    );
}

mod decided_on_the_record {
    //! The `down` stream's decision and execution check the same rules on the cadre's record.

    use super::*;
    use dossier_domain::down::{self, Aggregate as Down};

    fn review() -> Vec<down::Event> {
        vec![
            down::Event::Opened(down::Opened {
                review_id: "dr1".into(),
                cadre_id: C.into(),
                unit_id: Some("u-fgw".into()),
                trigger: down::Trigger::ReverseEvaluation,
                grade_year: None,
                reason: "反向研判".into(),
                opened_on: d(2025, 3, 1),
                due_on: None,
                evaluation_id: None,
            }),
            down::Event::FindingsRecorded(down::FindingsRecorded {
                review_id: "dr1".into(),
                cadre_id: C.into(),
                situation: down::Situation::LackOfDrive,
                findings: "经反向研判".into(),
                recorded_on: d(2025, 4, 1),
            }),
        ]
    }

    fn decide(method: DownMethod, to_post: Option<PostRef>) -> down::Command {
        down::Command::Decide(down::Decide {
            review_id: "dr1".into(),
            decision_ref: "姜委常〔2025〕30号".into(),
            methods: vec![method],
            to_post,
        })
    }

    fn facts(record: Vec<E>, target: Option<PostFact>, holders: &[&str]) -> down::Facts {
        down::Facts {
            target: target.map(|post| down::TargetFact {
                post: Some(post),
                holders: holders.iter().map(|h| (*h).to_owned()).collect(),
                ..Default::default()
            }),
            subject: Some(fold(&record)),
            ..Default::default()
        }
    }

    #[test]
    fn a_decision_refuses_what_its_execution_would() {
        given::<Down>(review())
            .with_facts(facts(a_head(), Some(head_post()), &[C]))
            .when(decide(DownMethod::ReverseAdjustment, to("u-fgw", "head")))
            .then_error("DOWN_TARGET_SAME_POST");
        given::<Down>(review())
            .with_facts(facts(
                a_deputy(),
                Some(leader("u-sw", "head", LeadershipLevel::TownshipChief)),
                &[],
            ))
            .when(decide(DownMethod::ReverseAdjustment, to("u-sw", "head")))
            .then_error("DOWN_TARGET_ABOVE_LEVEL");
        let mut rankless = a_head();
        if let E::Registered(r) = &mut rankless[0] {
            r.rank = None;
            r.rank_since = None;
        }
        given::<Down>(review())
            .with_facts(facts(rankless, None, &[]))
            .when(decide(DownMethod::ChangeToRank, None))
            .then_error("DOWN_RANK_REQUIRED");
        given::<Down>(review())
            .with_facts(facts(a_head(), Some(staff_post()), &[]))
            .when(decide(DownMethod::ReverseAdjustment, Some(staff_ref())))
            .then_ok();
        // Without the cadre's record there is nothing to check the move on.
        given::<Down>(review())
            .when(decide(DownMethod::ChangeToRank, None))
            .then_error("CADRE_NOT_FOUND");
    }
}
