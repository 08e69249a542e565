//! A move onto a post — 任职 or 交流 — runs one set of checks: a leadership post held by someone
//! else is refused, 回避 compares the resolved superiors, and the unit's 职数 counts the move.

mod common;

use chrono::NaiveDate;
use common::*;
use dossier_domain::{
    Aggregate as _,
    avoidance::RelativeFact,
    cadre::{self, Aggregate as Cadre, Command, Facts},
    harness::given,
    staffing::{HeldSpell, QuotaFact, QuotaPublished, Tier, UnitHistory},
    types::{LeadershipLevel, PostCategory, Rank, Relation, RotationKind},
    unit::{self, PostFact},
};

const C: &str = "c1";

fn deputy(unit_id: &str, post_id: &str) -> PostFact {
    PostFact {
        heads_unit: false,
        ..leader(unit_id, post_id, LeadershipLevel::TownshipDeputy)
    }
}

fn rotate(from_post_id: &str, to_unit_id: &str, to_post_id: &str) -> Command {
    Command::Rotate(cadre::Rotate {
        cadre_id: C.into(),
        kind: RotationKind::Cultivating,
        reason: "培养锻炼".into(),
        from_post_id: from_post_id.into(),
        to_unit_id: to_unit_id.into(),
        to_post_id: to_post_id.into(),
        approved_by: "区委".into(),
        document_number: "姜组〔2025〕8号".into(),
    })
}

/// The cadre, 乡科级副职 at 单位u-czj's deputy post since 2022.
fn a_deputy_elsewhere() -> Vec<cadre::Event> {
    vec![
        registered(C, Rank::PrincipalClerk1, d(2021, 1, 1)),
        appointed(C, &deputy("u-czj", "dep1"), d(2022, 3, 1)),
    ]
}

#[test]
fn appointment_to_a_leadership_post_someone_else_holds_is_refused() {
    let base = [registered(C, Rank::PrincipalClerk1, d(2021, 1, 1))];
    let held = |holders: &[&str]| Facts {
        post: Some(deputy("u-fgw", "dep1")),
        post_holders: holders.iter().map(|h| (*h).to_owned()).collect(),
        ..Facts::default()
    };
    let e = given::<Cadre>(base.clone())
        .with_facts(held(&["c9"]))
        .when(Command::Appoint(appoint(C, "u-fgw", "dep1")))
        .then_error("POST_TAKEN");
    assert!(
        e.message().contains("任职被拒绝")
            && e.message().contains("单位u-fgw（u-fgw）")
            && e.message().contains("c9"),
        "{e}"
    );
    given::<Cadre>(base.clone())
        .with_facts(held(&[]))
        .when(Command::Appoint(appoint(C, "u-fgw", "dep1")))
        .then_ok();
    // A post without a leadership level holds several people.
    given::<Cadre>(base)
        .with_facts(Facts {
            post: Some(post("u-fgw", "staff", PostCategory::General)),
            post_holders: vec!["c9".into(), "c8".into()],
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "staff")))
        .then_ok();
}

#[test]
fn rotation_into_a_leadership_post_someone_else_holds_is_refused() {
    let e = given::<Cadre>(a_deputy_elsewhere())
        .with_facts(Facts {
            post: Some(deputy("u-fgw", "dep1")),
            post_holders: vec!["c9".into()],
            ..Facts::default()
        })
        .when(rotate("dep1", "u-fgw", "dep1"))
        .then_error("POST_TAKEN");
    assert!(e.message().contains("交流被拒绝"), "{e}");
}

fn quota(unit_id: &str, deputies: u32, filled_deputies: u32) -> QuotaFact {
    QuotaFact {
        unit_id: unit_id.into(),
        chiefs: 1,
        deputies,
        exceptions_allowed: false,
        filled_chiefs: 1,
        filled_deputies,
        basis: "姜编〔2025〕3号".into(),
    }
}

#[test]
fn rotation_into_a_unit_whose_deputy_quota_is_full_is_refused() {
    let into = |q: QuotaFact| Facts {
        post: Some(deputy("u-fgw", "dep3")),
        post_quota: Some(q),
        ..Facts::default()
    };
    let e = given::<Cadre>(a_deputy_elsewhere())
        .with_facts(into(quota("u-fgw", 2, 2)))
        .when(rotate("dep1", "u-fgw", "dep3"))
        .then_error("POST_QUOTA_EXCEEDED");
    assert!(
        e.message().contains("交流被拒绝") && e.message().contains("核定副职职数 2 名"),
        "{e}"
    );
    given::<Cadre>(a_deputy_elsewhere())
        .with_facts(into(quota("u-fgw", 3, 2)))
        .when(rotate("dep1", "u-fgw", "dep3"))
        .then_ok();
    // Within the unit, from one deputy post to another, the count does not change.
    let history = vec![
        registered(C, Rank::PrincipalClerk1, d(2021, 1, 1)),
        appointed(C, &deputy("u-fgw", "dep1"), d(2022, 3, 1)),
    ];
    given::<Cadre>(history)
        .with_facts(into(quota("u-fgw", 2, 2)))
        .when(rotate("dep1", "u-fgw", "dep3"))
        .then_ok();
}

/// A unit whose head post is `head`, with `dep1` naming it and `dep2` naming no post above it.
fn unit_with_two_deputies() -> unit::State {
    let mut state = unit::State::default();
    let on = d(2020, 1, 1);
    let open = |post_id: &str, heads_unit: bool, level, reports_to: Option<&str>| {
        unit::Event::PostOpened(unit::PostOpened {
            unit_id: "qa3".into(),
            post_id: post_id.into(),
            title: post_id.into(),
            category: PostCategory::General,
            leadership_level: Some(level),
            heads_unit,
            reports_to: reports_to.map(String::from),
            opened_on: on,
        })
    };
    for event in [
        unit::Event::Registered(unit::Registered {
            unit_id: "qa3".into(),
            name: "测试局".into(),
            parent_unit_id: None,
            business_facing: false,
            registered_on: on,
        }),
        open("head", true, LeadershipLevel::TownshipChief, None),
        open("dep1", false, LeadershipLevel::TownshipDeputy, Some("head")),
        open("dep2", false, LeadershipLevel::TownshipDeputy, None),
    ] {
        unit::Aggregate::evolve(&mut state, &event);
    }
    state
}

fn spouse(posts: Vec<PostFact>) -> RelativeFact {
    RelativeFact {
        cadre_id: "c2".into(),
        name: "王芳".into(),
        relation: Relation::Spouse,
        posts,
    }
}

#[test]
fn avoidance_same_superior_reads_a_deputys_implicit_superior_as_the_unit_head() {
    let unit = unit_with_two_deputies();
    let (named, implicit) = (
        unit.post_fact("dep1").expect("dep1"),
        unit.post_fact("dep2").expect("dep2"),
    );
    assert_eq!(implicit.reports_to.as_deref(), Some("head"));
    let base = [registered(C, Rank::PrincipalClerk1, d(2021, 1, 1))];
    // The spouse is deputy naming `head`; the cadre would be deputy naming none.
    let e = given::<Cadre>(base.clone())
        .with_facts(Facts {
            post: Some(implicit.clone()),
            relatives: vec![spouse(vec![named.clone()])],
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "qa3", "dep2")))
        .then_error("AVOIDANCE_SAME_SUPERIOR");
    // Both named: the cadre moved and the relative.
    assert!(
        e.message().contains("李华（c1） 拟任测试局（qa3）「dep2」")
            && e.message().contains("王芳（c2）")
            && e.message().contains("「head」"),
        "{e}"
    );
    // And the other way round.
    given::<Cadre>(base.clone())
        .with_facts(Facts {
            post: Some(named),
            relatives: vec![spouse(vec![implicit])],
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "qa3", "dep1")))
        .then_error("AVOIDANCE_SAME_SUPERIOR");
    // Two deputies neither of which names a superior (facts not resolved by a unit) are both
    // under the unit's head.
    given::<Cadre>(base)
        .with_facts(Facts {
            post: Some(deputy("u-fgw", "dep-a")),
            relatives: vec![spouse(vec![deputy("u-fgw", "dep-b")])],
            ..Facts::default()
        })
        .when(Command::Appoint(appoint(C, "u-fgw", "dep-a")))
        .then_error("AVOIDANCE_SAME_SUPERIOR");
}

fn spell(cadre_id: &str, post_id: &str, from: NaiveDate, to: Option<NaiveDate>) -> HeldSpell {
    HeldSpell {
        cadre_id: cadre_id.into(),
        post_id: post_id.into(),
        tier: Tier::Deputy,
        from,
        to,
    }
}

fn deputies_quota(deputies: u32, from: NaiveDate) -> QuotaPublished {
    QuotaPublished {
        unit_id: "u-fgw".into(),
        chiefs: 1,
        deputies,
        exceptions_allowed: false,
        effective_from: from,
        basis: "姜编〔2019〕3号".into(),
        published_on: from,
    }
}

/// A backdated appointment is judged on every date from its effective date to today: the post's
/// holder then (since removed, today) refuses it, as does a holder appointed after it.
#[test]
fn a_backdated_appointment_overlapping_another_holders_tenure_is_refused() {
    let base = [registered(C, Rank::PrincipalClerk1, d(2021, 1, 1))];
    let (effective, today) = (d(2025, 7, 1), d(2026, 1, 10));
    let with = |spells: Vec<HeldSpell>| Facts {
        post: Some(deputy("u-fgw", "dep1")),
        // Nobody holds the post today.
        post_holders: vec![],
        unit_history: Some(UnitHistory {
            spells,
            versions: vec![],
        }),
        ..Facts::default()
    };
    // Held from 2019 and removed (today) after the date the appointment is backdated to.
    let e = given::<Cadre>(base.clone())
        .with_facts(with(vec![spell("c9", "dep1", d(2019, 3, 1), Some(today))]))
        .effective(effective, today)
        .when(Command::Appoint(appoint(C, "u-fgw", "dep1")))
        .then_error("POST_TAKEN");
    assert!(
        e.message().contains("单位u-fgw（u-fgw）")
            && e.message().contains("c9")
            && e.message().contains("2019-03-01"),
        "{e}"
    );
    // Taken by another after the date and left since: the tenures would overlap.
    given::<Cadre>(base.clone())
        .with_facts(with(vec![spell(
            "c8",
            "dep1",
            d(2025, 9, 1),
            Some(d(2025, 12, 1)),
        )]))
        .effective(effective, today)
        .when(Command::Appoint(appoint(C, "u-fgw", "dep1")))
        .then_error("POST_TAKEN");
    // A tenure that ended on or before the date leaves the post vacant.
    given::<Cadre>(base.clone())
        .with_facts(with(vec![spell(
            "c9",
            "dep1",
            d(2019, 3, 1),
            Some(effective),
        )]))
        .effective(effective, today)
        .when(Command::Appoint(appoint(C, "u-fgw", "dep1")))
        .then_ok();
    // A rotation dated back is judged the same way.
    given::<Cadre>(a_deputy_elsewhere())
        .with_facts(with(vec![spell("c9", "dep1", d(2019, 3, 1), Some(today))]))
        .effective(effective, today)
        .when(rotate("dep1", "u-fgw", "dep1"))
        .then_error("POST_TAKEN");
}

/// 职数 on every date: places full on the date a backdated appointment takes effect, or on a
/// later date (another was appointed after it), refuse it; room on every date lets it pass.
#[test]
fn a_backdated_appointment_is_counted_against_the_quota_on_every_date_since() {
    let base = [registered(C, Rank::PrincipalClerk1, d(2021, 1, 1))];
    let (effective, today) = (d(2025, 7, 1), d(2026, 1, 10));
    let with = |spells: Vec<HeldSpell>, versions: Vec<QuotaPublished>| Facts {
        post: Some(deputy("u-fgw", "dep3")),
        // Today one of two deputy places is filled.
        post_quota: Some(quota("u-fgw", 2, 1)),
        unit_history: Some(UnitHistory { spells, versions }),
        ..Facts::default()
    };
    // Both places were filled on the date (one holder left since).
    let full_then = vec![
        spell("c8", "dep1", d(2019, 1, 1), None),
        spell("c9", "dep2", d(2019, 1, 1), Some(d(2025, 10, 1))),
    ];
    let e = given::<Cadre>(base.clone())
        .with_facts(with(full_then, vec![deputies_quota(2, d(2019, 1, 1))]))
        .effective(effective, today)
        .when(Command::Appoint(appoint(C, "u-fgw", "dep3")))
        .then_error("POST_QUOTA_EXCEEDED");
    assert!(
        e.message()
            .contains("单位u-fgw（u-fgw）于 2025-07-01 核定副职职数 2 名"),
        "{e}"
    );
    // Room on the date, but a second deputy appointed later fills the last place since then.
    let filled_later = vec![
        spell("c8", "dep1", d(2019, 1, 1), None),
        spell("c9", "dep2", d(2025, 9, 1), Some(d(2025, 12, 1))),
    ];
    given::<Cadre>(base.clone())
        .with_facts(with(
            filled_later.clone(),
            vec![deputies_quota(2, d(2019, 1, 1))],
        ))
        .effective(effective, today)
        .when(Command::Appoint(appoint(C, "u-fgw", "dep3")))
        .then_error("POST_QUOTA_EXCEEDED");
    // With three places on every date it passes.
    given::<Cadre>(base.clone())
        .with_facts(with(filled_later, vec![deputies_quota(3, d(2019, 1, 1))]))
        .effective(effective, today)
        .when(Command::Appoint(appoint(C, "u-fgw", "dep3")))
        .then_ok();
    // Dated today, the move is judged on today's places.
    given::<Cadre>(base)
        .with_facts(with(
            vec![
                spell("c8", "dep1", d(2019, 1, 1), None),
                spell("c9", "dep2", d(2019, 1, 1), Some(d(2025, 10, 1))),
            ],
            vec![deputies_quota(2, d(2019, 1, 1))],
        ))
        .effective(today, today)
        .when(Command::Appoint(cadre::Appoint {
            decided_on: today,
            ..appoint(C, "u-fgw", "dep3")
        }))
        .then_ok();
}
