//! Rule tests of the selection procedure (选任纪实): every step allowed and refused, in order, with the thresholds of the 条例.

#[path = "../common/mod.rs"]
mod common;

mod appointment;
mod decision;
mod motion;
mod persons;
mod vetting;

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
        open_cases: Vec::new(),
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
