//! The front-line quota by the points ranking: the ranking recorded on the quota stream, allocations in ranking order (or passing over with a reason), and `PromoteRank.quota_year` checked against the allocation.

mod common;

use common::*;
use dossier_domain::{
    Aggregate as _,
    cadre::{self, Aggregate as Cadre, Event as CE},
    harness::given,
    quota::{self, Aggregate as Quota, Command as QuotaCommand},
    types::{FrontLineField, Grade, Rank, SanctionKind},
};

const FIELD: FrontLineField = FrontLineField::ProjectConstruction;

/// A 四级主任科员 since 2021 named `name`, with `excellent` 优秀 years (2022 on) and 称职 otherwise.
fn cadre_with(id: &str, name: &str, excellent: i32, extra: Vec<CE>) -> cadre::State {
    let mut events = vec![registered(id, Rank::PrincipalClerk4, d(2021, 1, 1))];
    if let CE::Registered(r) = &mut events[0] {
        r.name = name.into();
    }
    for (i, year) in (2022..=2024).enumerate() {
        let g = if (i as i32) < excellent {
            Grade::Excellent
        } else {
            Grade::Competent
        };
        events.push(grade(id, year, Some(g)));
    }
    events.extend(extra);
    Cadre::fold(&events)
}

/// 张一 (3 优秀), 王二 (2), 李三 (1, under a 警告 sanction in 2025: not eligible), 赵四 (0).
fn candidates() -> Vec<cadre::State> {
    let sanction = CE::SanctionImposed(cadre::SanctionImposed {
        cadre_id: "c3".into(),
        sanction_id: "s1".into(),
        kind: SanctionKind::Warning,
        reason: "违反工作纪律".into(),
        decided_by: "区纪委".into(),
        document_number: "姜纪〔2025〕1号".into(),
        imposed_on: d(2025, 2, 1),
        effect_until: d(2025, 8, 1),
    });
    vec![
        cadre_with("c1", "张一", 3, vec![]),
        cadre_with("c2", "王二", 2, vec![]),
        cadre_with("c3", "李三", 1, vec![sanction]),
        cadre_with("c4", "赵四", 0, vec![]),
    ]
}

fn opened() -> quota::Event {
    quota::Event::Opened(quota::Opened {
        year: 2025,
        size: 3,
        opened_on: d(2025, 1, 2),
        basis: None,
    })
}

fn rank_command() -> QuotaCommand {
    QuotaCommand::Rank {
        key: "2025".into(),
        candidates: ["c4", "c2", "c3", "c1"]
            .iter()
            .map(|c| quota::RankCandidate {
                cadre_id: (*c).into(),
                field: FIELD,
            })
            .collect(),
    }
}

/// The history of an opened quota with the ranking of [`candidates`] published on 2025-03-01.
fn ranked_history() -> Vec<quota::Event> {
    let mut history = vec![opened()];
    history.extend(
        given::<Quota>([opened()])
            .with_facts(quota::Facts {
                candidates: candidates(),
                ..Default::default()
            })
            .on(d(2025, 3, 1))
            .when(rank_command())
            .then_ok(),
    );
    history
}

fn allocate(id: &str, place: u32, reason: Option<&str>) -> QuotaCommand {
    QuotaCommand::Allocate {
        key: "2025".into(),
        cadre_id: id.into(),
        field: FIELD,
        place,
        skip_reason: reason.map(str::to_owned),
    }
}

fn facts_of(id: &str) -> quota::Facts {
    quota::Facts {
        cadre: candidates().into_iter().find(|c| c.cadre_id == id),
        ..Default::default()
    }
}

#[test]
fn quota_ranking_is_computed_by_the_points_rule_and_marks_eligibility() {
    let history = ranked_history();
    let quota::Event::Ranked(r) = &history[1] else {
        panic!("{history:?}")
    };
    let order: Vec<(u32, &str, bool)> = r
        .entries
        .iter()
        .map(|e| (e.place, e.cadre_id.as_str(), e.eligible))
        .collect();
    assert_eq!(
        order,
        [
            (1, "c1", true),
            (2, "c2", true),
            (3, "c3", false),
            (4, "c4", true)
        ]
    );
    // The same points the profile shows: the domain's computation with the front-line field.
    let expected = dossier_domain::points::compute(
        &candidates()[0],
        d(2025, 3, 1),
        Some(FIELD),
        &dossier_domain::Policy::national_default().points,
    );
    assert_eq!(r.entries[0].points, expected.total);
    let blocked = r.entries[2].blocked_by.as_deref().unwrap_or_default();
    assert!(blocked.contains("警告"), "{blocked}");
}

#[test]
fn quota_ranking_refuses_unknown_duplicate_and_unopened() {
    given::<Quota>([opened()])
        .with_facts(quota::Facts::default())
        .on(d(2025, 3, 1))
        .when(rank_command())
        .then_error("CADRE_NOT_FOUND");
    given::<Quota>([opened()])
        .with_facts(quota::Facts {
            candidates: candidates(),
            ..Default::default()
        })
        .on(d(2025, 3, 1))
        .when(QuotaCommand::Rank {
            key: "2025".into(),
            candidates: vec![
                quota::RankCandidate {
                    cadre_id: "c1".into(),
                    field: FIELD,
                },
                quota::RankCandidate {
                    cadre_id: "c1".into(),
                    field: FIELD,
                },
            ],
        })
        .then_error("QUOTA_RANKING_DUPLICATE");
    given::<Quota>([])
        .with_facts(quota::Facts {
            candidates: candidates(),
            ..Default::default()
        })
        .on(d(2025, 3, 1))
        .when(rank_command())
        .then_error("QUOTA_NOT_OPEN");
}

#[test]
fn quota_allocation_in_ranking_order_is_allowed() {
    let mut history = ranked_history();
    for (id, place) in [("c1", 1), ("c2", 2)] {
        let events = given::<Quota>(history.clone())
            .with_facts(facts_of(id))
            .on(d(2025, 3, 2))
            .when(allocate(id, place, None))
            .then_ok();
        let [quota::Event::Allocated(a)] = events.as_slice() else {
            panic!("{events:?}")
        };
        assert_eq!((a.place, a.passed_over.len()), (Some(place), 0));
        history.extend(events);
    }
    // 李三 (place 3) is not eligible: 赵四 (place 4) is next without a reason.
    given::<Quota>(history)
        .with_facts(facts_of("c4"))
        .on(d(2025, 3, 2))
        .when(allocate("c4", 4, None))
        .then_ok();
}

#[test]
fn quota_allocation_passing_over_a_higher_ranked_eligible_cadre_is_refused() {
    let history = ranked_history();
    let err = given::<Quota>(history.clone())
        .with_facts(facts_of("c2"))
        .on(d(2025, 3, 2))
        .when(allocate("c2", 2, None))
        .then_error("QUOTA_RANKING_PASSED_OVER");
    assert!(err.message().contains("王二（c2）"), "{err}");
    assert!(err.message().contains("张一（c1） 第 1 名"), "{err}");
    // A blank reason is no reason.
    given::<Quota>(history.clone())
        .with_facts(facts_of("c4"))
        .on(d(2025, 3, 2))
        .when(allocate("c4", 4, Some("  ")))
        .then_error("QUOTA_RANKING_PASSED_OVER");
}

#[test]
fn quota_allocation_may_pass_over_with_a_reason_recorded() {
    let mut history = ranked_history();
    let events = given::<Quota>(history.clone())
        .with_facts(facts_of("c2"))
        .on(d(2025, 3, 2))
        .when(allocate("c2", 2, Some("张一（c1）已调离一线岗位")))
        .then_ok();
    let [quota::Event::Allocated(a)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(a.passed_over.len(), 1);
    assert_eq!(
        (a.passed_over[0].cadre_id.as_str(), a.passed_over[0].place),
        ("c1", 1)
    );
    assert_eq!(a.skip_reason.as_deref(), Some("张一（c1）已调离一线岗位"));
    history.extend(events);
    // Considered once, 张一 no longer blocks those further down.
    let state = Quota::fold(&history);
    assert!(state.considered("c1"));
    given::<Quota>(history)
        .with_facts(facts_of("c4"))
        .on(d(2025, 3, 3))
        .when(allocate("c4", 4, None))
        .then_ok();
}

#[test]
fn quota_allocation_names_the_cadres_place_and_field() {
    let history = ranked_history();
    let err = given::<Quota>(history.clone())
        .with_facts(facts_of("c1"))
        .on(d(2025, 3, 2))
        .when(allocate("c1", 2, None))
        .then_error("QUOTA_PLACE_MISMATCH");
    assert!(err.message().contains("第 1 名"), "{err}");
    given::<Quota>(history.clone())
        .with_facts(facts_of("c1"))
        .on(d(2025, 3, 2))
        .when(QuotaCommand::Allocate {
            key: "2025".into(),
            cadre_id: "c1".into(),
            field: FrontLineField::SocialGovernance,
            place: 1,
            skip_reason: None,
        })
        .then_error("QUOTA_FIELD_MISMATCH");
    // Not in the ranking, or no ranking at all.
    let outsider = cadre_with("c9", "钱九", 3, vec![]);
    given::<Quota>(history)
        .with_facts(quota::Facts {
            cadre: Some(outsider),
            ..Default::default()
        })
        .on(d(2025, 3, 2))
        .when(allocate("c9", 1, None))
        .then_error("QUOTA_NOT_RANKED");
    given::<Quota>([opened()])
        .with_facts(facts_of("c1"))
        .on(d(2025, 3, 2))
        .when(allocate("c1", 1, None))
        .then_error("QUOTA_RANKING_MISSING");
}

fn promote(quota_year: Option<i32>) -> cadre::Command {
    cadre::Command::PromoteRank {
        cadre_id: "c1".into(),
        to: Rank::PrincipalClerk3,
        document_number: "姜组通〔2025〕18号".into(),
        approved_by: "区委组织部".into(),
        quota_year,
    }
}

/// 张一's stream, ready for promotion to 三级主任科员 (notice ended 2025-06-06).
fn promotable() -> Vec<CE> {
    let mut events = vec![registered("c1", Rank::PrincipalClerk4, d(2021, 1, 1))];
    if let CE::Registered(r) = &mut events[0] {
        r.name = "张一".into();
    }
    events.extend((2022..=2024).map(|y| grade("c1", y, Some(Grade::Excellent))));
    events.extend(notice(
        "c1",
        "n1",
        Rank::PrincipalClerk3,
        d(2025, 6, 3),
        Some(d(2025, 6, 9)),
    ));
    events
}

fn quota_fact(open: bool, allocated: bool) -> cadre::Facts {
    cadre::Facts {
        quota_allocation: Some(quota::AllocationFact {
            year: 2025,
            open,
            allocated,
            allocated_on: allocated.then(|| d(2025, 3, 2)),
        }),
        ..Default::default()
    }
}

#[test]
fn promotion_citing_a_quota_year_needs_the_allocation() {
    let events = given::<Cadre>(promotable())
        .with_facts(quota_fact(true, true))
        .on(d(2025, 7, 1))
        .when(promote(Some(2025)))
        .then_ok();
    let [CE::RankPromoted(p)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(p.quota_year, Some(2025));
    let err = given::<Cadre>(promotable())
        .with_facts(quota_fact(true, false))
        .on(d(2025, 7, 1))
        .when(promote(Some(2025)))
        .then_error("PROMOTION_QUOTA_NOT_ALLOCATED");
    assert!(err.message().contains("张一（c1）"), "{err}");
    given::<Cadre>(promotable())
        .with_facts(quota_fact(false, false))
        .on(d(2025, 7, 1))
        .when(promote(Some(2025)))
        .then_error("PROMOTION_QUOTA_NOT_OPEN");
    // A fact of another year does not count for this one.
    given::<Cadre>(promotable())
        .with_facts(quota_fact(true, true))
        .on(d(2025, 7, 1))
        .when(promote(Some(2024)))
        .then_error("PROMOTION_QUOTA_NOT_OPEN");
    // Without a quota year, no allocation is needed.
    given::<Cadre>(promotable())
        .on(d(2025, 7, 1))
        .when(promote(None))
        .then_ok();
}

#[test]
fn a_promotion_cannot_draw_on_a_place_before_it_was_allocated() {
    // The place was allocated on 2025-08-01: a promotion dated before then cannot cite it,
    // however the rest of the promotion stands (the 公示 ended on 2025-06-09).
    let mut facts = quota_fact(true, true);
    if let Some(f) = facts.quota_allocation.as_mut() {
        f.allocated_on = Some(d(2025, 8, 1));
    }
    let err = given::<Cadre>(promotable())
        .with_facts(facts.clone())
        .on(d(2025, 7, 1))
        .when(promote(Some(2025)))
        .then_error("PROMOTION_BEFORE_QUOTA_ALLOCATION");
    assert!(
        err.message().contains("张一（c1）")
            && err.message().contains("2025-08-01")
            && err.message().contains("2025-07-01"),
        "{err}"
    );
    // On the day of the allocation, it can.
    given::<Cadre>(promotable())
        .with_facts(facts)
        .on(d(2025, 8, 1))
        .when(promote(Some(2025)))
        .then_ok();
}

#[test]
fn a_place_a_promotion_drew_on_cannot_be_revoked() {
    let mut history = ranked_history();
    history.extend(
        given::<Quota>(history.clone())
            .with_facts(facts_of("c1"))
            .on(d(2025, 3, 2))
            .when(allocate("c1", 1, None))
            .then_ok(),
    );
    let revoke = || QuotaCommand::Revoke {
        key: "2025".into(),
        cadre_id: "c1".into(),
        reason: "另行安排".into(),
    };
    // Not yet used: the place can be taken back.
    given::<Quota>(history.clone())
        .with_facts(facts_of("c1"))
        .on(d(2025, 6, 1))
        .when(revoke())
        .then_ok();
    // Once a promotion has drawn on it, the place is spent.
    let mut promoted = promotable();
    promoted.extend(
        given::<Cadre>(promotable())
            .with_facts(quota_fact(true, true))
            .on(d(2025, 7, 1))
            .when(promote(Some(2025)))
            .then_ok(),
    );
    let err = given::<Quota>(history)
        .with_facts(quota::Facts {
            cadre: Some(Cadre::fold(&promoted)),
            ..Default::default()
        })
        .on(d(2025, 7, 2))
        .when(revoke())
        .then_error("QUOTA_PLACE_USED");
    assert!(
        err.message().contains("张一（c1）") && err.message().contains("2025-07-01"),
        "{err}"
    );
}
