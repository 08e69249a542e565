//! 任职 and 试用期: the document appoints the decided candidates within the quota, probation is confirmed and the case archived.

use super::*;

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
            ("b".to_owned(), Status::Used),
            ("c".to_owned(), Status::InPool)
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
