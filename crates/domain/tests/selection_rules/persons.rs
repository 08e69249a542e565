//! The persons a case moves onto posts, checked at the decision and at the document: 回避 between relatives the same act
//! appoints, no one under investigation; a failed probation's level written back; the reserve pool at the case's end;
//! the team, the votes, the notice's last day and the objections it takes.

use super::*;
use dossier_domain::{
    reserve::{self, Aggregate as Reserve, Status},
    types::Relation,
};

/// p1 heads the unit, p2 reports to it.
fn line_posts(f: Facts) -> Facts {
    let mut head = leader(U, "p1", LeadershipLevel::TownshipDeputy);
    head.title = "主任".into();
    let mut dep = leader(U, "p2", LeadershipLevel::TownshipDeputy);
    dep.heads_unit = false;
    dep.reports_to = Some("p1".into());
    dep.title = "副主任".into();
    Facts {
        posts: vec![(head, vec![]), (dep, vec![])],
        ..f
    }
}

fn with_events(f: &mut Facts, id: &str, events: Vec<cadre::Event>) {
    let mut history = vec![{
        let mut e = registered(id, Rank::PrincipalClerk4, d(2020, 1, 1));
        if let cadre::Event::Registered(r) = &mut e {
            r.name = format!("干部{id}");
        }
        e
    }];
    history.extend(events);
    f.cadres.insert(id.to_owned(), Cadre::fold(&history));
}

/// `of` records `relative` as spouse on their own family record.
fn spouses(of: &str, relative: &str) -> impl Fn(Facts) -> Facts {
    let (of, relative) = (of.to_owned(), relative.to_owned());
    move |f| {
        let mut f = line_posts(f);
        let added = cadre::Event::FamilyMemberAdded(cadre::FamilyMemberAdded {
            cadre_id: of.clone(),
            member_id: "m1".into(),
            relation: Relation::Spouse,
            appellation: "妻子".into(),
            name: format!("干部{relative}"),
            id_number: None,
            birth_date: None,
            political_status: None,
            work_unit_and_post: None,
            relative_cadre_id: Some(relative.clone()),
        });
        with_events(&mut f, &of, vec![added]);
        f
    }
}

fn decide_both() -> Command {
    decide_cmd(11, 9, vec![vote("a", "p1", 9), vote("b", "p2", 8)])
}

#[test]
fn the_decision_refuses_two_relatives_it_would_put_in_one_reporting_line() {
    let history = run(to_decision());
    // Refused: a records b as spouse, or b records a; the decided posts lead one another.
    for (of, relative) in [("a", "b"), ("b", "a")] {
        let e = at(
            &history,
            d(2025, 4, 1),
            decide_both(),
            spouses(of, relative),
        )
        .then_error("AVOIDANCE_REPORTING_LINE");
        assert!(e.message().contains("同一次讨论决定"), "{e}");
        assert!(e.message().contains("干部a（a）"), "{e}");
    }
    // Allowed: the same posts to persons not related.
    at(&history, d(2025, 4, 1), decide_both(), line_posts).then_ok();
}

#[test]
fn the_document_refuses_two_relatives_it_appoints_in_one_reporting_line_and_writes_nothing() {
    let mut steps = to_notice();
    steps.push((d(2025, 4, 9), end_notice()));
    let ended = run(steps);
    // The kinship recorded after the decision: the document checks each appointment against the
    // post the earlier one gives.
    let e = at(&ended, d(2025, 4, 10), appoint_cmd(), spouses("b", "a"))
        .then_error("AVOIDANCE_REPORTING_LINE");
    assert!(e.message().contains("同一任免文件"), "{e}");
    assert!(e.message().contains("干部b（b）"), "{e}");
    at(&ended, d(2025, 4, 10), appoint_cmd(), line_posts).then_ok();
}

fn investigated(id: &str, on: NaiveDate, closed: Option<NaiveDate>) -> impl Fn(Facts) -> Facts {
    let id = id.to_owned();
    move |mut f| {
        let mut events = vec![cadre::Event::InvestigationOpened(
            cadre::InvestigationOpened {
                cadre_id: id.clone(),
                case_id: "jc-1".into(),
                authority: "区纪委监委".into(),
                reason: "涉嫌违纪".into(),
                opened_on: on,
            },
        )];
        if let Some(closed) = closed {
            events.push(cadre::Event::InvestigationClosed(
                cadre::InvestigationClosed {
                    cadre_id: id.clone(),
                    case_id: "jc-1".into(),
                    outcome: "未发现问题".into(),
                    closed_on: closed,
                },
            ));
        }
        with_events(&mut f, &id, events);
        f
    }
}

#[test]
fn a_candidate_under_investigation_opened_after_the_integrity_opinion_is_neither_decided_nor_appointed()
 {
    let history = run(to_decision());
    // Opened after the clear opinion of 2025-03-26.
    let e = at(
        &history,
        d(2025, 4, 1),
        decide_both(),
        investigated("a", d(2025, 3, 28), None),
    )
    .then_error("PROMOTION_UNDER_INVESTIGATION");
    assert!(e.message().starts_with("讨论决定被拒绝: 干部a（a）"), "{e}");
    // Allowed once the investigation is closed.
    at(
        &history,
        d(2025, 4, 1),
        decide_both(),
        investigated("a", d(2025, 3, 28), Some(d(2025, 3, 31))),
    )
    .then_ok();
    // Opened after the decision: the document refuses.
    let mut steps = to_notice();
    steps.push((d(2025, 4, 9), end_notice()));
    let ended = run(steps);
    let e = at(
        &ended,
        d(2025, 4, 10),
        appoint_cmd(),
        investigated("b", d(2025, 4, 8), None),
    )
    .then_error("PROMOTION_UNDER_INVESTIGATION");
    assert!(e.message().starts_with("任职被拒绝: 干部b（b）"), "{e}");
}

#[test]
fn a_failed_probation_writes_the_level_held_before_the_trial_back_in_the_same_append() {
    let mut steps = to_notice();
    steps.push((d(2025, 4, 9), end_notice()));
    steps.push((d(2025, 4, 10), appoint_cmd()));
    let history = run(steps);
    // b's record: a 乡科级副职 at nothing before, the document carried out on it.
    let mut record = vec![registered("b", Rank::PrincipalClerk4, d(2020, 1, 1))];
    let on_post = cadre::Facts {
        post: Some(leader(U, "p2", LeadershipLevel::TownshipDeputy)),
        ..Default::default()
    };
    let carry = |record: &mut Vec<cadre::Event>, event: &Event, day| {
        for (cadre_id, commands) in selection::cadre_commands(event) {
            if cadre_id != "b" {
                continue;
            }
            for command in commands {
                let events = given::<Cadre>(record.clone())
                    .with_facts(on_post.clone())
                    .on(day)
                    .when(command)
                    .then_ok();
                record.extend(events);
            }
        }
    };
    carry(
        &mut record,
        history.last().expect("appointed"),
        d(2025, 4, 10),
    );
    assert_eq!(
        Cadre::fold(&record).leadership_level,
        Some(LeadershipLevel::TownshipDeputy)
    );
    let fail = Command::FailProbation {
        case_id: CASE.into(),
        cadre_id: "b".into(),
        reason: "试用期考核不称职".into(),
        document: Some("泰姜委〔2025〕40号".into()),
    };
    let with_record = |mut f: Facts| {
        f.cadres.insert("b".into(), Cadre::fold(&record));
        f
    };
    let failed = at(&history, d(2025, 10, 10), fail, with_record).then_ok();
    let Event::ProbationFailed(f) = &failed[0] else {
        panic!("{failed:?}")
    };
    assert_eq!(
        f.level_back,
        Some(selection::LevelBack {
            from: Some(LeadershipLevel::TownshipDeputy),
            to: None
        })
    );
    carry(&mut record, &failed[0], d(2025, 10, 10));
    let state = Cadre::fold(&record);
    assert!(state.holding("p2").is_none());
    assert_eq!(state.leadership_level, None);
    assert!(record.iter().any(|e| matches!(e,
        cadre::Event::LeadershipLevelChanged(l) if l.to.is_none()
            && l.document_number.as_deref() == Some("泰姜委〔2025〕40号"))));
}

#[test]
fn the_pool_the_document_does_not_use_goes_back_to_the_reserve_pool() {
    let mut steps = to_notice();
    steps.push((d(2025, 4, 9), end_notice()));
    steps.push((d(2025, 4, 10), appoint_cmd()));
    let mut history = run(steps);
    let last = history.last().expect("appointed").clone();
    assert_eq!(
        selection::reserve_marks(&last),
        [
            ("a".to_owned(), Status::Used),
            ("b".to_owned(), Status::Used),
            ("c".to_owned(), Status::InPool)
        ]
    );
    // A case appointed before the document released its pool: the archive does.
    if let Some(Event::Appointed(a)) = history.last_mut() {
        a.released.clear();
    }
    let resolve = |id: &str| Command::ConfirmProbation {
        case_id: CASE.into(),
        cadre_id: id.into(),
        document: None,
    };
    for id in ["a", "b"] {
        history.extend(at(&history, d(2026, 4, 10), resolve(id), same).then_ok());
    }
    let archive = Command::Archive {
        case_id: CASE.into(),
    };
    let archived = at(&history, d(2026, 4, 11), archive.clone(), same).then_ok();
    assert_eq!(
        selection::reserve_marks(&archived[0]),
        [("c".to_owned(), Status::InPool)]
    );
    // A case whose document released them releases no one at its archive.
    let mut steps = to_notice();
    steps.push((d(2025, 4, 9), end_notice()));
    steps.push((d(2025, 4, 10), appoint_cmd()));
    let mut current = run(steps);
    for id in ["a", "b"] {
        current.extend(at(&current, d(2026, 4, 10), resolve(id), same).then_ok());
    }
    let archived = at(&current, d(2026, 4, 11), archive, same).then_ok();
    assert!(selection::reserve_marks(&archived[0]).is_empty());
}

#[test]
fn a_reserve_entry_under_inspection_is_moved_only_by_the_case_that_drew_it() {
    let mut entry = given::<Reserve>(vec![])
        .with_facts(dossier_domain::practice::Cadres::of([
            dossier_domain::practice::CadreRef::new("c", U),
        ]))
        .on(d(2025, 1, 6))
        .when(reserve::Command::Nominate {
            cadre_id: "c".into(),
            how: reserve::Nomination::Organization,
            nominated_by: "区委组织部".into(),
        })
        .then_ok();
    let mark = |to, case: &str| reserve::Command::Mark {
        cadre_id: "c".into(),
        to,
        case_id: case.into(),
    };
    entry.extend(
        given::<Reserve>(entry.clone())
            .on(d(2025, 3, 3))
            .when(mark(Status::UnderInspection, "x2"))
            .then_ok(),
    );
    given::<Reserve>(entry.clone())
        .on(d(2025, 4, 11))
        .when(mark(Status::InPool, CASE))
        .then_error("RESERVE_OTHER_CASE");
    given::<Reserve>(entry)
        .on(d(2025, 4, 11))
        .when(mark(Status::InPool, "x2"))
        .then_ok();
}

#[test]
fn a_used_entry_is_refused_in_words_that_say_so_once() {
    let mut entry = given::<Reserve>(vec![])
        .with_facts(dossier_domain::practice::Cadres::of([
            dossier_domain::practice::CadreRef::new("a", U),
        ]))
        .on(d(2025, 1, 6))
        .when(reserve::Command::Nominate {
            cadre_id: "a".into(),
            how: reserve::Nomination::Organization,
            nominated_by: "区委组织部".into(),
        })
        .then_ok();
    for to in [Status::UnderInspection, Status::Used] {
        entry.extend(
            given::<Reserve>(entry.clone())
                .on(d(2025, 4, 10))
                .when(reserve::Command::Mark {
                    cadre_id: "a".into(),
                    to,
                    case_id: CASE.into(),
                })
                .then_ok(),
        );
    }
    let e = given::<Reserve>(entry)
        .on(d(2025, 12, 1))
        .when(reserve::Command::Review {
            cadre_id: "a".into(),
            keep: true,
            note: "表现良好".into(),
        })
        .then_error("RESERVE_NOT_IN_POOL");
    assert!(!e.message().contains("已已"), "{e}");
    assert!(e.message().contains("后备干部「a」已使用"), "{e}");
}

#[test]
fn a_blank_team_member_is_no_member() {
    let history = run(vec![
        (d(2025, 3, 3), move_cmd()),
        (d(2025, 3, 10), recommend_cmd(&["a", "b", "c"])),
    ]);
    let inspect = |team: &[&str]| {
        let mut cmd = inspect_cmd("a");
        if let Command::Inspect(i) = &mut cmd {
            i.team = team.iter().map(|s| (*s).to_owned()).collect();
        }
        cmd
    };
    at(&history, d(2025, 3, 17), inspect(&["甲", "  "]), same)
        .then_error("SELECTION_TEAM_MEMBER_BLANK");
    at(&history, d(2025, 3, 17), inspect(&["甲", " 甲 "]), same).then_error("DUPLICATE_ENTRY");
    at(&history, d(2025, 3, 17), inspect(&["甲"]), same).then_error("SELECTION_TEAM_TOO_SMALL");
    let ok = at(&history, d(2025, 3, 17), inspect(&[" 甲", "乙 "]), same).then_ok();
    let Event::Inspected(i) = &ok[0] else {
        panic!("{ok:?}")
    };
    assert_eq!(i.team, ["甲", "乙"]);
}

#[test]
fn a_round_casts_at_most_one_vote_per_participant_and_post() {
    let moved = run(vec![(d(2025, 3, 3), move_cmd())]);
    // 40 participants, two posts: at most 80 votes together.
    let with_votes = |votes: [u32; 3]| {
        let mut cmd = recommend_cmd(&["a", "b", "c"]);
        if let Command::Recommend(r) = &mut cmd {
            for (v, n) in r.votes.iter_mut().zip(votes) {
                v.votes = n;
            }
        }
        cmd
    };
    let e = at(&moved, d(2025, 3, 10), with_votes([30, 25, 26]), same)
        .then_error("SELECTION_VOTES_EXCEED_BALLOTS");
    assert!(
        e.message().contains("81 票") && e.message().contains("80 票"),
        "{e}"
    );
    at(&moved, d(2025, 3, 10), with_votes([30, 25, 25]), same).then_ok();
}

#[test]
fn the_document_is_issued_after_the_last_day_of_the_notice() {
    let mut steps = to_notice();
    steps.push((d(2025, 4, 9), end_notice()));
    let ended = run(steps);
    let issued = |on: NaiveDate| {
        let mut cmd = appoint_cmd();
        if let Command::Appoint(a) = &mut cmd {
            a.issued_on = on;
        }
        cmd
    };
    // The notice ran to 2025-04-09 inclusive.
    let e = at(&ended, d(2025, 4, 10), issued(d(2025, 4, 9)), same)
        .then_error("SELECTION_DOCUMENT_BEFORE_NOTICE_END");
    assert!(e.message().contains("最早 2025-04-10"), "{e}");
    at(&ended, d(2025, 4, 10), issued(d(2025, 4, 10)), same).then_ok();
}

#[test]
fn objections_are_taken_during_the_notice_and_an_open_one_names_its_cadre() {
    let noticed = run(to_notice());
    let receive = Command::ReceiveObjection(selection::ReceiveObjection {
        case_id: CASE.into(),
        objection_id: "o1".into(),
        cadre_id: "a".into(),
        summary: "反映其工作作风问题".into(),
    });
    // The notice runs 2025-04-02 to 2025-04-09.
    at(&noticed, d(2025, 4, 10), receive.clone(), same)
        .then_error("SELECTION_OBJECTION_AFTER_NOTICE");
    let mut h = noticed.clone();
    h.extend(at(&noticed, d(2025, 4, 9), receive, same).then_ok());
    let e = at(&h, d(2025, 4, 9), end_notice(), same).then_error("SELECTION_OBJECTION_OPEN");
    assert!(e.message().contains("干部「a」"), "{e}");
}

fn open_case(case_id: &str, post_id: &str) -> impl Fn(Facts) -> Facts {
    let (case_id, post_id) = (case_id.to_owned(), post_id.to_owned());
    move |f| Facts {
        open_cases: vec![selection::OpenCase {
            case_id: case_id.clone(),
            posts: vec![selection::TargetPost {
                post_id: post_id.clone(),
                title: format!("岗位{post_id}"),
                level: LeadershipLevel::TownshipDeputy,
            }],
        }],
        ..f
    }
}

#[test]
fn a_post_is_moved_in_one_open_case_at_a_time_and_the_places_others_fill_count() {
    // Refused: p1 is being filled by case x0.
    let e = at(&[], d(2025, 3, 3), move_cmd(), open_case("x0", "p1"))
        .then_error("SELECTION_POST_IN_OPEN_CASE");
    assert!(e.message().contains("选任案件「x0」"), "{e}");
    // Refused: 3 deputies approved, 1 filled, x0 filling p3, this case p1 and p2.
    let e =
        at(&[], d(2025, 3, 3), move_cmd(), open_case("x0", "p3")).then_error("POST_QUOTA_EXCEEDED");
    assert!(e.message().contains("选任案件「x0」1 名"), "{e}");
    // Allowed: no other open case.
    at(&[], d(2025, 3, 3), move_cmd(), same).then_ok();
}
