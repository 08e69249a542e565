//! 讨论决定 and 任前公示: the quorum and majority of the standing committee, and a notice of five working days by the holiday calendar.

use super::*;

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
