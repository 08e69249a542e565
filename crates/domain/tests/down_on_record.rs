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
