//! 动议 and 民主推荐: the posts, the pool and the quota of a motion; the candidates a recommendation carries forward; no step skipped nor taken back.

use super::*;

// ------------------------------------------------------------------ 动议

#[test]
fn a_motion_records_the_posts_the_pool_and_the_quota() {
    let events = at(&[], d(2025, 3, 3), move_cmd(), same).then_ok();
    let Event::Moved(m) = &events[0] else {
        panic!("expected a motion, got {events:?}")
    };
    assert_eq!(m.posts.len(), 2);
    assert_eq!(m.unit_name, "区发改委");
    assert_eq!(m.quota[0].tier, Tier::Deputy);
    assert_eq!(
        (m.quota[0].approved, m.quota[0].filled, m.quota[0].filling),
        (3, 1, 2)
    );
}

#[test]
fn a_motion_without_a_vacancy_within_the_quota_is_refused() {
    let e = at(&[], d(2025, 3, 3), move_cmd(), |mut f| {
        f.quota = Some(quota(2));
        f
    })
    .then_error("POST_QUOTA_EXCEEDED");
    assert!(
        e.message()
            .contains("核定副职职数 3 名, 已配备 2 名, 再配备 2 名"),
        "{e}"
    );
    at(&[], d(2025, 3, 3), move_cmd(), |mut f| {
        f.quota = None;
        f
    })
    .then_error("SELECTION_NO_QUOTA");
    // A post someone holds is no vacancy.
    at(&[], d(2025, 3, 3), move_cmd(), |mut f| {
        f.posts[0].1 = vec!["z".into()];
        f
    })
    .then_error("POST_TAKEN");
}

#[test]
fn beyond_the_quota_only_as_an_exception_the_quota_allows() {
    let with_exception = |allowed: bool| {
        let mut cmd = move_cmd();
        if let Command::Move(m) = &mut cmd {
            m.quota_exception = Some("泰编〔2025〕1号".into());
        }
        at(&[], d(2025, 3, 3), cmd, move |mut f| {
            let mut q = quota(2);
            q.exceptions_allowed = allowed;
            f.quota = Some(q);
            f
        })
    };
    with_exception(false).then_error("POST_QUOTA_EXCEEDED");
    let events = with_exception(true).then_ok();
    assert!(
        matches!(&events[0], Event::Moved(m) if m.quota_exception.as_deref() == Some("泰编〔2025〕1号"))
    );
}

#[test]
fn a_motion_is_made_once_and_only_for_leadership_posts_of_known_cadres() {
    let history = run(vec![(d(2025, 3, 3), move_cmd())]);
    at(&history, d(2025, 3, 4), move_cmd(), same).then_error("SELECTION_EXISTS");
    at(&[], d(2025, 3, 3), move_cmd(), |mut f| {
        f.cadres.remove("c");
        f
    })
    .then_error("CADRE_NOT_FOUND");
    at(&[], d(2025, 3, 3), move_cmd(), |mut f| {
        f.posts[1].0.leadership_level = None;
        f
    })
    .then_error("SELECTION_NOT_LEADERSHIP_POST");
}

// ------------------------------------------------------------------ 民主推荐

#[test]
fn recommendation_carries_forward_more_candidates_than_posts() {
    let history = run(vec![(d(2025, 3, 3), move_cmd())]);
    let e = at(&history, d(2025, 3, 10), recommend_cmd(&["a", "b"]), same)
        .then_error("SELECTION_NOT_COMPETITIVE");
    assert!(e.message().contains("差额须至少 3 名"), "{e}");
    at(
        &history,
        d(2025, 3, 10),
        recommend_cmd(&["a", "b", "c"]),
        same,
    )
    .then_ok();
    let mut policy = Policy::national_default();
    policy.selection.min_extra_candidates = 2;
    given::<Selection>(history.clone())
        .with_facts(facts())
        .with_policy(policy)
        .on(d(2025, 3, 10))
        .when(recommend_cmd(&["a", "b", "c"]))
        .then_error("SELECTION_NOT_COMPETITIVE");
}

#[test]
fn recommendation_votes_stay_within_the_pool_and_the_participants() {
    let history = run(vec![(d(2025, 3, 3), move_cmd())]);
    let mut cmd = recommend_cmd(&["a", "b", "c"]);
    if let Command::Recommend(r) = &mut cmd {
        r.votes[0].votes = 41;
    }
    at(&history, d(2025, 3, 10), cmd, same).then_error("SELECTION_VOTES_EXCEED_PARTICIPANTS");
    let mut cmd = recommend_cmd(&["a", "b", "c"]);
    if let Command::Recommend(r) = &mut cmd {
        r.votes.push(CandidateVotes {
            cadre_id: "z".into(),
            votes: 3,
        });
    }
    at(&history, d(2025, 3, 10), cmd, same).then_error("SELECTION_NOT_IN_POOL");
}

#[test]
fn a_second_round_narrows_but_never_widens_the_candidates() {
    let mut policy = Policy::national_default();
    policy.selection.min_extra_candidates = 0;
    let mut history = run(vec![
        (d(2025, 3, 3), move_cmd()),
        (d(2025, 3, 10), recommend_cmd(&["a", "b", "c"])),
    ]);
    let second = |carried: &[&str]| {
        let mut cmd = recommend_cmd(carried);
        if let Command::Recommend(r) = &mut cmd {
            r.method = RoundMethod::Interview;
        }
        cmd
    };
    let narrowed = given::<Selection>(history.clone())
        .with_facts(facts())
        .with_policy(policy.clone())
        .on(d(2025, 3, 12))
        .when(second(&["a", "b"]))
        .then_ok();
    assert!(matches!(&narrowed[0], Event::RoundHeld(r) if r.round == 2));
    history.extend(narrowed);
    given::<Selection>(history)
        .with_facts(facts())
        .with_policy(policy)
        .on(d(2025, 3, 13))
        .when(second(&["a", "c"]))
        .then_error("SELECTION_NOT_CARRIED");
}

// ------------------------------------------------------------------ order

#[test]
fn no_step_is_skipped_nor_taken_back() {
    let moved = run(vec![(d(2025, 3, 3), move_cmd())]);
    let e = at(&moved, d(2025, 3, 17), inspect_cmd("a"), same)
        .then_error("SELECTION_STEP_OUT_OF_ORDER");
    assert_eq!(
        e.message(),
        "选任程序被拒绝: 当前环节为「动议」, 尚未进行「民主推荐」, 不能进行「考察」"
    );
    at(
        &moved,
        d(2025, 3, 17),
        decide_cmd(11, 9, vec![vote("a", "p1", 9)]),
        same,
    )
    .then_error("SELECTION_STEP_OUT_OF_ORDER");
    let decided = run(to_decision());
    let e = at(
        &decided,
        d(2025, 3, 27),
        recommend_cmd(&["a", "b", "c"]),
        same,
    )
    .then_error("SELECTION_STEP_OUT_OF_ORDER");
    assert!(e.message().contains("程序不能回退"), "{e}");
    at(&[], d(2025, 3, 3), inspect_cmd("a"), same).then_error("SELECTION_NOT_FOUND");
    // A step is not dated before the previous one.
    at(&moved, d(2025, 3, 2), recommend_cmd(&["a", "b", "c"]), same)
        .then_error("DATE_BEFORE_PREVIOUS_STEP");
}
