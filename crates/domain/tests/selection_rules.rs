//! Rule tests of the selection procedure (选任纪实): every step allowed and refused, in order, with the thresholds of the 条例.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use common::{d, leader, registered};
use dossier_domain::{
    Aggregate as _, Policy,
    cadre::{self, Aggregate as Cadre},
    calendar::HolidayCalendar,
    codes::{AppointmentManner, RemovalReason},
    harness::given,
    selection::{
        self, Aggregate as Selection, AppointLine, CandidateVotes, Command, DecisionVote, Event,
        Facts, Finding, MeetingKind, PostAction, Record, RoundMethod, Stage, Verdict,
    },
    staffing::{QuotaFact, Tier},
    types::{LeadershipLevel, Rank},
    unit::PostFact,
};

const CASE: &str = "x1";
const U: &str = "u-fgw";

fn record() -> Record {
    Record {
        body: "区委组织部".into(),
        document: Some("纪要〔2025〕3号".into()),
        attachments: vec!["档案-001".into()],
    }
}

fn posts() -> Vec<(PostFact, Vec<String>)> {
    vec![
        (leader(U, "p1", LeadershipLevel::TownshipDeputy), vec![]),
        (leader(U, "p2", LeadershipLevel::TownshipDeputy), vec![]),
    ]
}

fn quota(filled_deputies: u32) -> QuotaFact {
    QuotaFact {
        unit_id: U.into(),
        chiefs: 1,
        deputies: 3,
        exceptions_allowed: false,
        filled_chiefs: 1,
        filled_deputies,
        basis: "三定方案".into(),
    }
}

fn cadre_state(id: &str) -> cadre::State {
    let mut e = registered(id, Rank::PrincipalClerk4, d(2020, 1, 1));
    if let cadre::Event::Registered(r) = &mut e {
        r.name = format!("干部{id}");
    }
    Cadre::fold([&e])
}

fn facts() -> Facts {
    let cadres: BTreeMap<String, cadre::State> = ["a", "b", "c"]
        .into_iter()
        .map(|id| (id.to_owned(), cadre_state(id)))
        .collect();
    Facts {
        cadres,
        unit_name: Some("区发改委".into()),
        posts: posts(),
        quota: Some(quota(1)),
    }
}

fn move_cmd() -> Command {
    Command::Move(selection::Move {
        case_id: CASE.into(),
        unit_id: U.into(),
        proposer: "区委书记".into(),
        meeting: MeetingKind::WorkingGroup,
        post_ids: vec!["p1".into(), "p2".into()],
        pool: vec!["a".into(), "b".into(), "c".into()],
        quota_exception: None,
        record: record(),
    })
}

fn recommend_cmd(carried: &[&str]) -> Command {
    Command::Recommend(selection::Recommend {
        case_id: CASE.into(),
        method: RoundMethod::Meeting,
        participants: 40,
        votes: vec![
            CandidateVotes {
                cadre_id: "a".into(),
                votes: 30,
            },
            CandidateVotes {
                cadre_id: "b".into(),
                votes: 25,
            },
            CandidateVotes {
                cadre_id: "c".into(),
                votes: 12,
            },
        ],
        carried_forward: carried.iter().map(|s| (*s).to_owned()).collect(),
        record: record(),
    })
}

fn inspect_cmd(id: &str) -> Command {
    Command::Inspect(selection::Inspect {
        case_id: CASE.into(),
        cadre_id: id.into(),
        team: vec!["组长甲".into(), "组员乙".into()],
        interviewed: 25,
        report: format!("考察材料-{id}"),
        record: record(),
    })
}

fn request_cmd(ids: &[&str]) -> Command {
    Command::RequestIntegrity(selection::RequestIntegrity {
        case_id: CASE.into(),
        cadre_ids: ids.iter().map(|s| (*s).to_owned()).collect(),
        record: record(),
    })
}

fn reply_cmd(id: &str, verdict: Verdict) -> Command {
    Command::ReplyIntegrity(selection::ReplyIntegrity {
        case_id: CASE.into(),
        cadre_id: id.into(),
        verdict,
        note: "无影响使用的问题".into(),
        record: Record {
            body: "区纪委监委".into(),
            ..record()
        },
    })
}

fn vote(id: &str, post: &str, approve: u32) -> DecisionVote {
    DecisionVote {
        cadre_id: id.into(),
        post_id: post.into(),
        approve,
        against: 0,
        abstain: 0,
    }
}

fn decide_cmd(members: u32, present: u32, votes: Vec<DecisionVote>) -> Command {
    Command::Decide(selection::Decide {
        case_id: CASE.into(),
        meeting: MeetingKind::StandingCommittee,
        members,
        present,
        votes,
        record: record(),
    })
}

fn notice_cmd(ends_on: NaiveDate) -> Command {
    Command::StartNotice(selection::StartNotice {
        case_id: CASE.into(),
        ends_on,
        record: record(),
    })
}

fn appoint_cmd() -> Command {
    Command::Appoint(selection::Appoint {
        case_id: CASE.into(),
        number: "泰姜委〔2025〕20号".into(),
        issuer: "中共泰州市姜堰区委".into(),
        issued_on: d(2025, 4, 10),
        appointments: vec![
            AppointLine {
                cadre_id: "a".into(),
                post_id: "p1".into(),
                manner: AppointmentManner::Commission,
                procedure: "经区委常委会研究决定".into(),
            },
            AppointLine {
                cadre_id: "b".into(),
                post_id: "p2".into(),
                manner: AppointmentManner::Commission,
                procedure: "经区委常委会研究决定".into(),
            },
        ],
        removals: vec![],
        attachments: vec![],
    })
}

/// Run commands in order, each on its date, from an empty stream; return the history.
fn run(steps: Vec<(NaiveDate, Command)>) -> Vec<Event> {
    let mut history = Vec::new();
    for (day, cmd) in steps {
        let events = given::<Selection>(history.clone())
            .with_facts(facts())
            .on(day)
            .when(cmd)
            .then_ok();
        history.extend(events);
    }
    history
}

fn to_decision() -> Vec<(NaiveDate, Command)> {
    vec![
        (d(2025, 3, 3), move_cmd()),
        (d(2025, 3, 10), recommend_cmd(&["a", "b", "c"])),
        (d(2025, 3, 17), inspect_cmd("a")),
        (d(2025, 3, 17), inspect_cmd("b")),
        (d(2025, 3, 18), inspect_cmd("c")),
        (d(2025, 3, 24), request_cmd(&["a", "b", "c"])),
        (d(2025, 3, 26), reply_cmd("a", Verdict::Clear)),
        (d(2025, 3, 26), reply_cmd("b", Verdict::Clear)),
        (d(2025, 3, 26), reply_cmd("c", Verdict::Clear)),
    ]
}

fn to_notice() -> Vec<(NaiveDate, Command)> {
    let mut steps = to_decision();
    steps.push((
        d(2025, 4, 1),
        decide_cmd(11, 9, vec![vote("a", "p1", 9), vote("b", "p2", 8)]),
    ));
    steps.push((d(2025, 4, 2), notice_cmd(d(2025, 4, 9))));
    steps
}

fn end_notice() -> Command {
    Command::EndNotice(selection::EndNotice {
        case_id: CASE.into(),
    })
}

fn at<F>(
    history: &[Event],
    day: NaiveDate,
    cmd: Command,
    with: F,
) -> dossier_domain::harness::Then<Selection>
where
    F: FnOnce(Facts) -> Facts,
{
    given::<Selection>(history.to_vec())
        .with_facts(with(facts()))
        .on(day)
        .when(cmd)
}

fn same(f: Facts) -> Facts {
    f
}

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

// ------------------------------------------------------------------ 讨论决定

#[test]
fn the_decision_needs_two_thirds_present() {
    let history = run(to_decision());
    // 11 members: 8 present is not two thirds (8 × 3 = 24 > 22 ok), 7 is not.
    let e = at(
        &history,
        d(2025, 4, 1),
        decide_cmd(11, 7, vec![vote("a", "p1", 7)]),
        same,
    )
    .then_error("SELECTION_QUORUM_NOT_MET");
    assert!(
        e.message()
            .contains("应到会成员 11 人, 实到 7 人, 不足三分之二"),
        "{e}"
    );
    // 12 members: exactly 8 is two thirds.
    at(
        &history,
        d(2025, 4, 1),
        decide_cmd(12, 8, vec![vote("a", "p1", 7)]),
        same,
    )
    .then_ok();
}

#[test]
fn a_candidate_passes_only_with_more_than_half_of_all_members() {
    let history = run(to_decision());
    // 11 members, 9 present: 5 of 9 present is a majority of those present but not of all members? 5 × 2 = 10 ≤ 11.
    let e = at(
        &history,
        d(2025, 4, 1),
        decide_cmd(11, 9, vec![vote("a", "p1", 5)]),
        same,
    )
    .then_error("SELECTION_VOTE_THRESHOLD");
    assert!(
        e.message().contains("同意票未超过应到会成员 11 人的半数"),
        "{e}"
    );
    at(
        &history,
        d(2025, 4, 1),
        decide_cmd(11, 9, vec![vote("a", "p1", 6)]),
        same,
    )
    .then_ok();
    // 12 members: 6 is exactly half and does not pass.
    at(
        &history,
        d(2025, 4, 1),
        decide_cmd(12, 12, vec![vote("a", "p1", 6)]),
        same,
    )
    .then_error("SELECTION_VOTE_THRESHOLD");
}

#[test]
fn the_decision_is_the_standing_committee_s_on_the_case_s_posts() {
    let history = run(to_decision());
    let mut cmd = decide_cmd(11, 9, vec![vote("a", "p1", 9)]);
    if let Command::Decide(c) = &mut cmd {
        c.meeting = MeetingKind::WorkingGroup;
    }
    at(&history, d(2025, 4, 1), cmd, same).then_error("SELECTION_DECISION_BODY");
    at(
        &history,
        d(2025, 4, 1),
        decide_cmd(11, 9, vec![vote("a", "p9", 9)]),
        same,
    )
    .then_error("SELECTION_POST_NOT_IN_CASE");
    let mut over = vote("a", "p1", 9);
    over.against = 1;
    at(&history, d(2025, 4, 1), decide_cmd(11, 9, vec![over]), same)
        .then_error("SELECTION_VOTES_EXCEED_PRESENT");
    at(
        &history,
        d(2025, 4, 1),
        decide_cmd(11, 9, vec![vote("a", "p1", 9), vote("b", "p1", 9)]),
        same,
    )
    .then_error("DUPLICATE_ENTRY");
}

// ------------------------------------------------------------------ 任前公示

#[test]
fn the_notice_lasts_five_working_days_by_the_holiday_calendar() {
    let mut steps = to_notice();
    steps.pop();
    let history = run(steps);
    // From Wednesday 2025-04-02: 清明 (04-04 to 04-06) is off, so 04-08 is only the fourth working day.
    let e = at(&history, d(2025, 4, 2), notice_cmd(d(2025, 4, 8)), same)
        .then_error("SELECTION_NOTICE_TOO_SHORT");
    assert!(e.message().contains("仅 4 个工作日"), "{e}");
    assert!(e.message().contains("最早可于 2025-04-09 结束"), "{e}");
    // Under a weekends-only calendar the same days would count five.
    let mut policy = Policy::national_default();
    policy.calendar = Box::new(HolidayCalendar::weekends_only());
    given::<Selection>(history.clone())
        .with_facts(facts())
        .with_policy(policy)
        .on(d(2025, 4, 2))
        .when(notice_cmd(d(2025, 4, 8)))
        .then_ok();
    let events = at(&history, d(2025, 4, 2), notice_cmd(d(2025, 4, 9)), same).then_ok();
    assert!(
        matches!(&events[0], Event::NoticeStarted(n) if n.working_days == 5 && n.cadre_ids == ["a", "b"])
    );
}

#[test]
fn the_notice_ends_only_when_its_days_are_over_and_every_objection_is_handled() {
    let history = run(to_notice());
    at(&history, d(2025, 4, 8), end_notice(), same).then_error("SELECTION_NOTICE_TOO_SHORT");
    let objection = Command::ReceiveObjection(selection::ReceiveObjection {
        case_id: CASE.into(),
        objection_id: "o1".into(),
        cadre_id: "b".into(),
        summary: "反映其工作作风问题".into(),
    });
    let mut h = history.clone();
    h.extend(at(&h, d(2025, 4, 3), objection, same).then_ok());
    at(&h, d(2025, 4, 9), end_notice(), same).then_error("SELECTION_OBJECTION_OPEN");
    let handle = |finding| {
        Command::HandleObjection(selection::HandleObjection {
            case_id: CASE.into(),
            objection_id: "o1".into(),
            finding,
            handling: "经核查".into(),
        })
    };
    let upheld = at(&h, d(2025, 4, 7), handle(Finding::Upheld), same).then_ok();
    assert!(matches!(&upheld[1], Event::CandidateStopped(s) if s.cadre_id == "b"));
    h.extend(at(&h, d(2025, 4, 7), handle(Finding::NotUpheld), same).then_ok());
    let ended = at(&h, d(2025, 4, 9), end_notice(), same).then_ok();
    assert!(matches!(&ended[0], Event::NoticeEnded(n) if n.working_days == 5));
}

// ------------------------------------------------------------------ 任职 and probation

fn appointed_history() -> Vec<Event> {
    let mut steps = to_notice();
    steps.push((d(2025, 4, 9), end_notice()));
    steps.push((d(2025, 4, 10), appoint_cmd()));
    run(steps)
}

#[test]
fn the_document_appoints_the_decided_candidates_with_probation_for_a_promotion() {
    let history = appointed_history();
    let Some(Event::Appointed(a)) = history.last() else {
        panic!("{history:?}")
    };
    assert_eq!(a.document.number, "泰姜委〔2025〕20号");
    assert_eq!(a.document.entries.len(), 2);
    assert!(matches!(
        a.document.entries[0].action,
        PostAction::Appoint { promotion: true, probation_until: Some(p), .. } if p == d(2026, 4, 10)
    ));
    // Carried out as the ordinary appointment commands, on the document.
    let commands = selection::cadre_commands(history.last().expect("event"));
    assert_eq!(commands.len(), 2);
    assert!(matches!(&commands[0].1[0], cadre::Command::Appoint(c)
        if c.document_number == "泰姜委〔2025〕20号" && c.post_id == "p1" && c.probation_until == Some(d(2026, 4, 10))));
    let state = Selection::fold(&history);
    assert_eq!(state.stage, Some(Stage::Appointed));
}

#[test]
fn only_decided_candidates_are_appointed_after_the_notice_within_the_quota() {
    let mut steps = to_notice();
    let before_end = run(steps.clone());
    at(&before_end, d(2025, 4, 10), appoint_cmd(), same).then_error("SELECTION_STEP_OUT_OF_ORDER");
    steps.push((d(2025, 4, 9), end_notice()));
    let ended = run(steps);
    let mut cmd = appoint_cmd();
    if let Command::Appoint(a) = &mut cmd {
        a.appointments[1].cadre_id = "c".into();
    }
    at(&ended, d(2025, 4, 10), cmd, same).then_error("SELECTION_NOT_DECIDED");
    at(&ended, d(2025, 4, 10), appoint_cmd(), |mut f| {
        f.quota = Some(quota(2));
        f
    })
    .then_error("POST_QUOTA_EXCEEDED");
    let mut early = appoint_cmd();
    if let Command::Appoint(a) = &mut early {
        a.issued_on = d(2025, 4, 8);
    }
    at(&ended, d(2025, 4, 10), early, same).then_error("SELECTION_DOCUMENT_BEFORE_NOTICE_END");
}

#[test]
fn probation_is_confirmed_when_it_ends_and_the_case_is_archived_after() {
    let history = appointed_history();
    let confirm = |id: &str| Command::ConfirmProbation {
        case_id: CASE.into(),
        cadre_id: id.into(),
        document: Some("转正通知".into()),
    };
    at(&history, d(2026, 4, 9), confirm("a"), same).then_error("SELECTION_PROBATION_RUNNING");
    let archive = Command::Archive {
        case_id: CASE.into(),
    };
    at(&history, d(2026, 4, 10), archive.clone(), same).then_error("SELECTION_PROBATION_OPEN");
    let mut h = history.clone();
    h.extend(at(&h, d(2026, 4, 10), confirm("a"), same).then_ok());
    let fail = Command::FailProbation {
        case_id: CASE.into(),
        cadre_id: "b".into(),
        reason: "试用期考核不合格".into(),
        document: Some("泰姜委〔2026〕5号".into()),
    };
    let failed = at(&h, d(2026, 4, 10), fail, same).then_ok();
    let commands = selection::cadre_commands(&failed[0]);
    assert!(matches!(
        &commands[0].1[0],
        cadre::Command::EndProbation { passed: false, .. }
    ));
    h.extend(failed);
    h.extend(at(&h, d(2026, 4, 11), archive.clone(), same).then_ok());
    at(&h, d(2026, 4, 12), confirm("a"), same).then_error("SELECTION_ARCHIVED");
}

#[test]
fn a_failed_probation_removes_the_cadre_from_the_post_held_on_trial() {
    let history = appointed_history();
    let fail = |document: Option<&str>| Command::FailProbation {
        case_id: CASE.into(),
        cadre_id: "b".into(),
        reason: "试用期考核不称职".into(),
        document: document.map(str::to_owned),
    };
    // Refused: the removal needs its document.
    at(&history, d(2025, 10, 10), fail(None), same).then_error("DOCUMENT_NUMBER_REQUIRED");
    at(&history, d(2025, 10, 10), fail(Some("  ")), same).then_error("DOCUMENT_NUMBER_REQUIRED");
    // Allowed: the event names the post held on probation and the body that approved it.
    let failed = at(
        &history,
        d(2025, 10, 10),
        fail(Some("泰姜委〔2025〕40号")),
        same,
    )
    .then_ok();
    let Event::ProbationFailed(f) = &failed[0] else {
        panic!("{failed:?}")
    };
    assert_eq!(
        (f.unit_id.as_str(), f.post_id.as_str(), f.issuer.as_str()),
        (U, "p2", "中共泰州市姜堰区委")
    );
    // Carried out on the cadre's record: the probation ends, then the post (免去试任职务).
    let mut record = vec![registered("b", Rank::PrincipalClerk4, d(2020, 1, 1))];
    let on_post = cadre::Facts {
        post: Some(leader(U, "p2", LeadershipLevel::TownshipDeputy)),
        ..Default::default()
    };
    for (day, event) in [
        (d(2025, 4, 10), history.last().expect("appointed")),
        (d(2025, 10, 10), &failed[0]),
    ] {
        for (cadre_id, commands) in selection::cadre_commands(event) {
            if cadre_id != "b" {
                continue;
            }
            for command in commands {
                record.extend(
                    given::<Cadre>(record.clone())
                        .with_facts(on_post.clone())
                        .on(day)
                        .when(command)
                        .then_ok(),
                );
            }
        }
    }
    let removed = record.iter().find_map(|e| match e {
        cadre::Event::Removed(r) => Some(r),
        _ => None,
    });
    let removed = removed.expect("the post held on probation is removed");
    assert_eq!(
        (
            removed.post_id.as_str(),
            removed.reason,
            removed.document_number.as_str()
        ),
        ("p2", RemovalReason::ProbationFailed, "泰姜委〔2025〕40号")
    );
    assert_eq!(removed.approved_by, "中共泰州市姜堰区委");
    let state = Cadre::fold(&record);
    assert!(state.holding("p2").is_none());
    assert!(state.probation.is_none());
    // A probation failed once is not failed again.
    let mut h = history.clone();
    h.extend(failed);
    at(&h, d(2025, 10, 11), fail(Some("泰姜委〔2025〕41号")), same)
        .then_error("SELECTION_PROBATION_RESOLVED");
}

#[test]
fn a_cancelled_case_releases_its_pool_back_to_the_reserve() {
    use dossier_domain::reserve::{self, Aggregate as Reserve, Status};
    let cancel = Command::Cancel {
        case_id: CASE.into(),
        reason: "机构改革, 职位调整".into(),
    };
    // The whole pool goes back when no candidate was stopped.
    let moved = run(vec![(d(2025, 3, 3), move_cmd())]);
    let cancelled = at(&moved, d(2025, 3, 5), cancel.clone(), same).then_ok();
    let Event::Cancelled(c) = &cancelled[0] else {
        panic!("{cancelled:?}")
    };
    assert_eq!(c.released, ["a", "b", "c"]);
    assert_eq!(
        selection::reserve_marks(&cancelled[0]),
        [
            ("a".to_owned(), Status::InPool),
            ("b".to_owned(), Status::InPool),
            ("c".to_owned(), Status::InPool)
        ]
    );
    // A candidate stopped earlier went back then and is not released again.
    let mut steps = to_decision();
    steps.truncate(6);
    steps.push((d(2025, 3, 26), reply_cmd("a", Verdict::Clear)));
    steps.push((d(2025, 3, 26), reply_cmd("c", Verdict::Negative)));
    let stopped = run(steps);
    let cancelled_late = at(&stopped, d(2025, 3, 28), cancel.clone(), same).then_ok();
    let Event::Cancelled(c) = &cancelled_late[0] else {
        panic!("{cancelled_late:?}")
    };
    assert_eq!(c.released, ["a", "b"]);
    // On the reserve entry: under inspection → in pool (在库) again, and drawn again later.
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
    let mark = |to| reserve::Command::Mark {
        cadre_id: "a".into(),
        to,
        case_id: CASE.into(),
    };
    for (day, to) in [
        (d(2025, 3, 3), Status::UnderInspection),
        (d(2025, 3, 5), Status::InPool),
        (d(2025, 6, 2), Status::UnderInspection),
    ] {
        entry.extend(
            given::<Reserve>(entry.clone())
                .on(day)
                .when(mark(to))
                .then_ok(),
        );
    }
    assert_eq!(Reserve::fold(&entry).status, Some(Status::UnderInspection));
    // Refused: an entry already in the pool is not released twice.
    let mut back = entry.clone();
    back.extend(
        given::<Reserve>(entry)
            .on(d(2025, 6, 5))
            .when(mark(Status::InPool))
            .then_ok(),
    );
    given::<Reserve>(back)
        .on(d(2025, 6, 6))
        .when(mark(Status::InPool))
        .then_error("RESERVE_STATUS_ORDER");
    // Refused: an appointed case is not cancelled, so its appointees stay used.
    at(&appointed_history(), d(2025, 4, 11), cancel, same)
        .then_error("SELECTION_ALREADY_APPOINTED");
}

// ------------------------------------------------------------------ pause, cancel

#[test]
fn a_paused_case_takes_no_step_until_resumed_and_a_cancelled_one_none_at_all() {
    let moved = run(vec![(d(2025, 3, 3), move_cmd())]);
    let pause = Command::Pause {
        case_id: CASE.into(),
        reason: "机构改革".into(),
    };
    let mut h = moved.clone();
    h.extend(at(&h, d(2025, 3, 5), pause, same).then_ok());
    at(&h, d(2025, 3, 10), recommend_cmd(&["a", "b", "c"]), same).then_error("SELECTION_PAUSED");
    let resume = Command::Resume {
        case_id: CASE.into(),
    };
    let mut resumed = h.clone();
    resumed.extend(at(&h, d(2025, 3, 8), resume, same).then_ok());
    at(
        &resumed,
        d(2025, 3, 10),
        recommend_cmd(&["a", "b", "c"]),
        same,
    )
    .then_ok();
    let cancel = |reason: &str| Command::Cancel {
        case_id: CASE.into(),
        reason: reason.into(),
    };
    at(&moved, d(2025, 3, 5), cancel(" "), same).then_error("EMPTY_FIELD");
    let mut cancelled = moved.clone();
    cancelled.extend(at(&moved, d(2025, 3, 5), cancel("职位调整"), same).then_ok());
    at(
        &cancelled,
        d(2025, 3, 10),
        recommend_cmd(&["a", "b", "c"]),
        same,
    )
    .then_error("SELECTION_CANCELLED");
    at(
        &cancelled,
        d(2025, 3, 10),
        Command::Archive {
            case_id: CASE.into(),
        },
        same,
    )
    .then_ok();
    at(&appointed_history(), d(2025, 4, 11), cancel("x"), same)
        .then_error("SELECTION_ALREADY_APPOINTED");
}

#[test]
fn only_the_organization_department_runs_a_case() {
    let moved = run(vec![(d(2025, 3, 3), move_cmd())]);
    given::<Selection>(moved)
        .with_facts(facts())
        .as_actor(dossier_domain::Actor::scoped(
            "h",
            dossier_domain::Role::UnitHead,
            U,
        ))
        .on(d(2025, 3, 10))
        .when(recommend_cmd(&["a", "b", "c"]))
        .then_error("FORBIDDEN_ROLE");
}

// ------------------------------------------------------------------ 职数 on ordinary appointments

#[test]
fn an_ordinary_appointment_beyond_the_quota_is_refused_unless_the_quota_allows_exceptions() {
    let history = vec![registered("c1", Rank::PrincipalClerk4, d(2020, 1, 1))];
    let post = leader(U, "p1", LeadershipLevel::TownshipDeputy);
    let with_quota = |q: Option<QuotaFact>| cadre::Facts {
        post: Some(post.clone()),
        post_quota: q,
        ..cadre::Facts::default()
    };
    let appoint = || cadre::Command::Appoint(common::appoint("c1", U, "p1"));
    let e = given::<Cadre>(history.clone())
        .with_facts(with_quota(Some(quota(3))))
        .when(appoint())
        .then_error("POST_QUOTA_EXCEEDED");
    assert!(
        e.message().contains("核定副职职数 3 名, 已配备 3 名"),
        "{e}"
    );
    given::<Cadre>(history.clone())
        .with_facts(with_quota(Some(quota(2))))
        .when(appoint())
        .then_ok();
    given::<Cadre>(history.clone())
        .with_facts(with_quota(None))
        .when(appoint())
        .then_ok();
    let mut open = quota(3);
    open.exceptions_allowed = true;
    given::<Cadre>(history)
        .with_facts(with_quota(Some(open)))
        .when(appoint())
        .then_ok();
}

#[test]
fn a_quota_is_published_for_a_registered_unit_on_a_basis_and_the_latest_version_in_force_applies() {
    use dossier_domain::staffing::{self, Aggregate as Staffing};
    let publish = |chiefs, basis: &str| {
        staffing::Command::Publish(staffing::Publish {
            unit_id: U.into(),
            chiefs,
            deputies: 3,
            exceptions_allowed: false,
            basis: basis.into(),
        })
    };
    given::<Staffing>([])
        .when(publish(1, "三定方案"))
        .then_error("UNIT_NOT_FOUND");
    let registered = staffing::Facts {
        unit_registered: true,
    };
    given::<Staffing>([])
        .with_facts(registered.clone())
        .when(publish(1, " "))
        .then_error("EMPTY_FIELD");
    let first = given::<Staffing>([])
        .with_facts(registered.clone())
        .on(d(2025, 1, 1))
        .when(publish(1, "三定方案"))
        .then_ok();
    let second = given::<Staffing>(first.clone())
        .with_facts(registered)
        .on(d(2025, 7, 1))
        .when(publish(2, "机构改革方案"))
        .then_ok();
    let state = Staffing::fold(first.iter().chain(&second));
    assert_eq!(state.in_force(d(2025, 6, 30)).map(|v| v.chiefs), Some(1));
    assert_eq!(state.in_force(d(2025, 7, 1)).map(|v| v.chiefs), Some(2));
    assert_eq!(state.in_force(d(2024, 12, 31)), None);
}

// ------------------------------------------------------------------ reserve pool

#[test]
fn a_reserve_entry_is_drawn_by_a_case_used_by_its_document_and_reviewed_once_a_year() {
    use dossier_domain::{
        practice::{CadreRef, Cadres},
        reserve::{self, Aggregate as Reserve, Nomination, Status},
    };
    let cadres = Cadres::of([CadreRef::new("a", U)]);
    let nominate = reserve::Command::Nominate {
        cadre_id: "a".into(),
        how: Nomination::DemocraticRecommendation,
        nominated_by: "区发改委党组".into(),
    };
    given::<Reserve>([])
        .on(d(2024, 6, 1))
        .when(nominate.clone())
        .then_error("CADRE_NOT_FOUND");
    let mut h = given::<Reserve>([])
        .with_facts(cadres.clone())
        .on(d(2024, 6, 1))
        .when(nominate.clone())
        .then_ok();
    given::<Reserve>(h.clone())
        .with_facts(cadres)
        .when(nominate)
        .then_error("RESERVE_EXISTS");
    let review = |keep| reserve::Command::Review {
        cadre_id: "a".into(),
        keep,
        note: "表现良好".into(),
    };
    h.extend(
        given::<Reserve>(h.clone())
            .on(d(2024, 12, 1))
            .when(review(true))
            .then_ok(),
    );
    given::<Reserve>(h.clone())
        .on(d(2024, 12, 20))
        .when(review(true))
        .then_error("RESERVE_ALREADY_REVIEWED");
    // The case's motion and document, as the application applies them.
    let mark = |to| reserve::Command::Mark {
        cadre_id: "a".into(),
        to,
        case_id: CASE.into(),
    };
    given::<Reserve>(h.clone())
        .on(d(2025, 3, 3))
        .when(mark(Status::Used))
        .then_error("RESERVE_STATUS_ORDER");
    let history = appointed_history();
    let moved = selection::reserve_marks(&history[0]);
    assert!(moved.contains(&("a".to_owned(), Status::UnderInspection)));
    h.extend(
        given::<Reserve>(h.clone())
            .on(d(2025, 3, 3))
            .when(mark(Status::UnderInspection))
            .then_ok(),
    );
    let used = selection::reserve_marks(history.last().expect("appointed"));
    assert_eq!(
        used,
        [
            ("a".to_owned(), Status::Used),
            ("b".to_owned(), Status::Used)
        ]
    );
    h.extend(
        given::<Reserve>(h.clone())
            .on(d(2025, 4, 10))
            .when(mark(Status::Used))
            .then_ok(),
    );
    assert_eq!(Reserve::fold(&h).status, Some(Status::Used));
    given::<Reserve>(h)
        .on(d(2025, 12, 1))
        .when(review(true))
        .then_error("RESERVE_NOT_IN_POOL");
}

// ------------------------------------------------------------------ the pool's education bands

#[test]
fn the_pool_counts_each_cadre_at_the_higher_of_full_time_and_in_service_education() {
    use dossier_domain::person_codes::{EDUCATION_BANDS, education_band, highest_education_band};
    let band = |level: &str| EDUCATION_BANDS[education_band(level)];
    assert_eq!(band("硕士研究生"), "研究生");
    assert_eq!(band("省委党校研究生"), "研究生");
    assert_eq!(band("大学本科"), "大学本科");
    assert_eq!(band("中央党校大学"), "大学本科");
    assert_eq!(band("大学专科"), "大学专科");
    assert_eq!(band("党校大专"), "大学专科");
    assert_eq!(band("中等专科"), "中专及以下");
    assert_eq!(band("高中"), "中专及以下");
    assert_eq!(band(" "), "未登记");
    // 最高学历: in-service study raises the band, never lowers it.
    assert_eq!(
        EDUCATION_BANDS[highest_education_band("大学专科", "硕士研究生")],
        "研究生"
    );
    assert_eq!(
        EDUCATION_BANDS[highest_education_band("大学本科", "")],
        "大学本科"
    );
    assert_eq!(EDUCATION_BANDS[highest_education_band("", "")], "未登记");
}
