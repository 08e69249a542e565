//! 考察 and 廉政意见: an inspection attaches the record's grades and obstacles; a negative opinion or an open investigation stops a candidate.

use super::*;

// ------------------------------------------------------------------ 考察

#[test]
fn inspection_attaches_the_grades_and_obstacles_from_the_record() {
    let history = run(vec![
        (d(2025, 3, 3), move_cmd()),
        (d(2025, 3, 10), recommend_cmd(&["a", "b", "c"])),
    ]);
    let events = at(&history, d(2025, 3, 17), inspect_cmd("a"), |mut f| {
        let mut a = cadre_state("a");
        a.grades
            .insert(2023, Some(dossier_domain::types::Grade::Excellent));
        a.grades
            .insert(2024, Some(dossier_domain::types::Grade::Competent));
        a.investigations.push(cadre::InvestigationRecord {
            case_id: "案-7".into(),
            opened_on: d(2025, 1, 5),
            closed_on: None,
        });
        f.cadres.insert("a".into(), a);
        f
    })
    .then_ok();
    let Event::Inspected(i) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(i.cadre_name, "干部a");
    assert_eq!(i.grades.len(), 2);
    assert_eq!(i.grades[0].year, 2023);
    assert!(
        i.obstacles
            .iter()
            .any(|o| o.code == "PROMOTION_UNDER_INVESTIGATION"),
        "{:?}",
        i.obstacles
    );
    assert!(
        i.obstacles
            .iter()
            .all(|o| o.code != "PROMOTION_PUBLIC_NOTICE")
    );
}

#[test]
fn only_candidates_carried_forward_are_inspected_once_by_a_team() {
    let mut policy = Policy::national_default();
    policy.selection.min_extra_candidates = 0;
    let history = run(vec![(d(2025, 3, 3), move_cmd())]);
    let round = given::<Selection>(history.clone())
        .with_facts(facts())
        .with_policy(policy)
        .on(d(2025, 3, 10))
        .when(recommend_cmd(&["a", "b"]))
        .then_ok();
    let mut history = history;
    history.extend(round);
    at(&history, d(2025, 3, 17), inspect_cmd("c"), same).then_error("SELECTION_STEP_MISSING");
    let mut solo = inspect_cmd("a");
    if let Command::Inspect(i) = &mut solo {
        i.team.truncate(1);
    }
    at(&history, d(2025, 3, 17), solo, same).then_error("SELECTION_TEAM_TOO_SMALL");
    history.extend(at(&history, d(2025, 3, 17), inspect_cmd("a"), same).then_ok());
    at(&history, d(2025, 3, 17), inspect_cmd("a"), same).then_error("SELECTION_ALREADY_INSPECTED");
}

// ------------------------------------------------------------------ 廉政意见

#[test]
fn a_negative_integrity_opinion_stops_the_case_for_that_candidate() {
    let mut steps = to_decision();
    steps.truncate(steps.len() - 1); // c's reply not yet in
    let history = run(steps);
    let events = at(
        &history,
        d(2025, 3, 26),
        reply_cmd("c", Verdict::Negative),
        same,
    )
    .then_ok();
    assert!(
        matches!(&events[1], Event::CandidateStopped(s) if s.code == "SELECTION_INTEGRITY_NEGATIVE")
    );
    let mut history = history;
    history.extend(events);
    let e = at(
        &history,
        d(2025, 4, 1),
        decide_cmd(11, 9, vec![vote("c", "p1", 9)]),
        same,
    )
    .then_error("SELECTION_CANDIDATE_STOPPED");
    assert!(e.message().contains("SELECTION_INTEGRITY_NEGATIVE"), "{e}");
}

#[test]
fn an_open_investigation_stops_the_candidate_whatever_the_reply_says() {
    let mut steps = to_decision();
    steps.truncate(steps.len() - 1);
    let history = run(steps);
    let events = at(
        &history,
        d(2025, 3, 26),
        reply_cmd("c", Verdict::Clear),
        |mut f| {
            let c = f.cadres.get_mut("c").expect("c");
            c.investigations.push(cadre::InvestigationRecord {
                case_id: "案-9".into(),
                opened_on: d(2025, 3, 20),
                closed_on: None,
            });
            f
        },
    )
    .then_ok();
    assert!(
        matches!(&events[0], Event::IntegrityReplied(r) if r.open_investigation.as_deref() == Some("案-9"))
    );
    assert!(
        matches!(&events[1], Event::CandidateStopped(s) if s.code == "SELECTION_UNDER_INVESTIGATION")
    );
}

#[test]
fn an_opinion_answers_a_request_and_is_given_once() {
    let history = run(vec![
        (d(2025, 3, 3), move_cmd()),
        (d(2025, 3, 10), recommend_cmd(&["a", "b", "c"])),
        (d(2025, 3, 17), inspect_cmd("a")),
        (d(2025, 3, 17), inspect_cmd("b")),
    ]);
    at(&history, d(2025, 3, 24), request_cmd(&["a", "c"]), same)
        .then_error("SELECTION_STEP_MISSING");
    let history2 = {
        let mut h = history.clone();
        h.extend(at(&history, d(2025, 3, 24), request_cmd(&["a"]), same).then_ok());
        h
    };
    at(
        &history2,
        d(2025, 3, 25),
        reply_cmd("b", Verdict::Clear),
        same,
    )
    .then_error("SELECTION_INTEGRITY_NOT_REQUESTED");
    let mut h = history2.clone();
    h.extend(
        at(
            &history2,
            d(2025, 3, 25),
            reply_cmd("a", Verdict::Clear),
            same,
        )
        .then_ok(),
    );
    at(&h, d(2025, 3, 25), reply_cmd("a", Verdict::Clear), same)
        .then_error("SELECTION_INTEGRITY_REPLIED");
}
