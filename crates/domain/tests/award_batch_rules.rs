//! Award batches against the record: Steed ordinals once a year from 1, the year a batch honours, a 好班长/好班副 of the unit's leadership, and 骏马奖/三好 only from their batch.

mod common;

use common::*;
use dossier_domain::{
    Aggregate as _,
    award::{self, Aggregate as Award, Awardee, Command as AwardCommand, ThreeGoodWinner},
    cadre::{self, Aggregate as Cadre, Event as CE},
    harness::given,
    types::{AwardKind, Rank, ThreeGoodCategory},
};

fn cadre_state(id: &str, extra: Vec<CE>) -> cadre::State {
    let mut events = vec![registered(id, Rank::PrincipalClerk4, d(2020, 1, 1))];
    if let CE::Registered(r) = &mut events[0] {
        r.name = format!("干部{id}");
    }
    events.extend(extra);
    Cadre::fold(&events)
}

fn award_facts() -> award::Facts {
    award::Facts {
        known_cadres: ["c1", "c2", "c3"].into_iter().map(String::from).collect(),
        known_units: ["u-fgw", "u-sw"].into_iter().map(String::from).collect(),
        ..Default::default()
    }
}

fn steed(awardees: &[&str]) -> AwardCommand {
    AwardCommand::AnnounceSteedBatch {
        batch_id: "steed-3".into(),
        ordinal: 3,
        year: 2024,
        title: "骏马奖".into(),
        awardees: awardees
            .iter()
            .map(|c| Awardee {
                cadre_id: (*c).into(),
                citation: "招商引资成绩突出".into(),
            })
            .collect(),
        basis: None,
    }
}

#[test]
fn steed_batch_ordinals_are_counted_from_one_and_not_reused_in_a_year() {
    let with_ordinal = |ordinal: u32| match steed(&["c1"]) {
        AwardCommand::AnnounceSteedBatch {
            batch_id,
            year,
            title,
            awardees,
            basis,
            ..
        } => AwardCommand::AnnounceSteedBatch {
            batch_id,
            ordinal,
            year,
            title,
            awardees,
            basis,
        },
        _ => unreachable!(),
    };
    given::<Award>([])
        .with_facts(award_facts())
        .on(d(2024, 12, 1))
        .when(with_ordinal(0))
        .then_error("AWARD_ORDINAL_INVALID");
    // 2024's 第3批 already announced as steed-a: a second 第3批 that year is refused.
    let mut facts = award_facts();
    facts.steed_ordinals.insert((2024, 3), "steed-a".into());
    let err = given::<Award>([])
        .with_facts(facts.clone())
        .on(d(2024, 12, 1))
        .when(with_ordinal(3))
        .then_error("AWARD_ORDINAL_USED");
    assert!(err.to_string().contains("steed-a"), "{err}");
    given::<Award>([])
        .with_facts(facts.clone())
        .on(d(2024, 12, 1))
        .when(with_ordinal(4))
        .then_ok();
    // The same ordinal of another year does not count.
    facts.steed_ordinals.clear();
    facts.steed_ordinals.insert((2023, 3), "steed-b".into());
    given::<Award>([])
        .with_facts(facts)
        .on(d(2024, 12, 1))
        .when(with_ordinal(3))
        .then_ok();
}

#[test]
fn an_award_batch_honours_the_year_announced_or_the_year_before() {
    let contest = |year: i32| AwardCommand::AnnounceThreeGood {
        batch_id: award::three_good_batch_id(year),
        year,
        winners: vec![ThreeGoodWinner {
            category: ThreeGoodCategory::Team,
            unit_id: "u-sw".into(),
            cadre_id: None,
            citation: "班子团结".into(),
        }],
        basis: None,
    };
    let facts = award_facts;
    // Announced in January 2026: the contest of 2025 or of 2026.
    for year in [2025, 2026] {
        given::<Award>([])
            .with_facts(facts())
            .on(d(2026, 1, 20))
            .when(contest(year))
            .then_ok();
    }
    given::<Award>([])
        .with_facts(facts())
        .on(d(2026, 11, 10))
        .when(contest(1950))
        .then_error("AWARD_YEAR_INVALID");
    given::<Award>([])
        .with_facts(facts())
        .on(d(2026, 11, 10))
        .when(contest(2024))
        .then_error("AWARD_YEAR_INVALID");
    // Announced in 1949: before any record of the district.
    given::<Award>([])
        .with_facts(facts())
        .on(d(1949, 12, 20))
        .when(contest(1949))
        .then_error("INPUT_OUT_OF_RANGE");
}

/// `cid` registered (born 1985) and appointed to `post` on 2020-03-01.
fn holding(cid: &str, post: &dossier_domain::unit::PostFact) -> cadre::State {
    cadre_state(cid, vec![appointed(cid, post, d(2020, 3, 1))])
}

#[test]
fn a_good_head_or_deputy_leads_the_unit_honoured() {
    use dossier_domain::types::{LeadershipLevel, PostCategory};
    let cmd = |category, cadre: &str| AwardCommand::AnnounceThreeGood {
        batch_id: "three-good-2024".into(),
        year: 2024,
        winners: vec![ThreeGoodWinner {
            category,
            unit_id: "u-fgw".into(),
            cadre_id: Some(cadre.into()),
            citation: "敢为善为".into(),
        }],
        basis: None,
    };
    let head = leader("u-fgw", "head", LeadershipLevel::TownshipChief);
    let deputy = dossier_domain::unit::PostFact {
        heads_unit: false,
        ..leader("u-fgw", "deputy", LeadershipLevel::TownshipDeputy)
    };
    // c3 heads a section of another unit (u-sw), as c0011 of u01 named for u02.
    let section = dossier_domain::unit::PostFact {
        leadership_level: Some(LeadershipLevel::TownshipDeputy),
        ..post("u-sw", "section", PostCategory::Business)
    };
    let mut facts = award_facts();
    facts.unit_names.insert("u-fgw".into(), "区发改委".into());
    facts.cadres.insert("c1".into(), holding("c1", &head));
    facts.cadres.insert("c2".into(), holding("c2", &deputy));
    facts.cadres.insert("c3".into(), holding("c3", &section));
    let on = d(2024, 12, 20);
    given::<Award>([])
        .with_facts(facts.clone())
        .on(on)
        .when(cmd(ThreeGoodCategory::Leader, "c1"))
        .then_ok();
    given::<Award>([])
        .with_facts(facts.clone())
        .on(on)
        .when(cmd(ThreeGoodCategory::Deputy, "c2"))
        .then_ok();
    let err = given::<Award>([])
        .with_facts(facts.clone())
        .on(on)
        .when(cmd(ThreeGoodCategory::Leader, "c3"))
        .then_error("THREE_GOOD_NOT_UNIT_LEADER");
    let text = err.to_string();
    assert!(
        text.contains("干部c3（c3）") && text.contains("区发改委（u-fgw）"),
        "{text}"
    );
    given::<Award>([])
        .with_facts(facts.clone())
        .on(on)
        .when(cmd(ThreeGoodCategory::Deputy, "c3"))
        .then_error("THREE_GOOD_NOT_UNIT_LEADER");
    // A deputy is not the head: not a 好班长.
    given::<Award>([])
        .with_facts(facts)
        .on(on)
        .when(cmd(ThreeGoodCategory::Leader, "c2"))
        .then_error("THREE_GOOD_NOT_UNIT_LEADER");
}

#[test]
fn steed_and_three_good_come_only_from_their_batch() {
    let grant = |kind: AwardKind, award_id: &str, year: i32, source: Option<&str>| {
        cadre::Command::GrantAward {
            cadre_id: "c1".into(),
            award_id: award_id.into(),
            kind,
            title: "奖励".into(),
            year,
            basis: None,
            source: source.map(String::from),
            evaluation_id: None,
        }
    };
    let c1 = || [registered("c1", Rank::PrincipalClerk4, d(2020, 1, 1))];
    for kind in [AwardKind::Steed, AwardKind::ThreeGood] {
        let err = given::<Cadre>(c1())
            .on(d(2026, 6, 1))
            .when(grant(kind, "a-1", 2026, None))
            .then_error("AWARD_KIND_BY_BATCH_ONLY");
        assert!(err.to_string().contains("announce"), "{err}");
        // A source naming another batch is no batch of this award.
        given::<Cadre>(c1())
            .on(d(2026, 6, 1))
            .when(grant(kind, "a-1", 2026, Some("award-steed-5")))
            .then_error("AWARD_KIND_BY_BATCH_ONLY");
    }
    // As the batch writes it (`award::cadre_commands`), it is recorded.
    let batch = given::<Award>([])
        .with_facts(award_facts())
        .on(d(2024, 12, 1))
        .when(steed(&["c1"]))
        .then_ok();
    let [from_batch] = award::cadre_commands(&batch[0]).try_into().unwrap();
    given::<Cadre>(c1())
        .on(d(2024, 12, 1))
        .when(from_batch)
        .then_ok();
    given::<Cadre>(c1())
        .on(d(2026, 6, 1))
        .when(grant(AwardKind::Merit, "m-1", 2025, None))
        .then_ok();
    // Born 1985: no award for 1900.
    let err = given::<Cadre>(c1())
        .on(d(2026, 6, 1))
        .when(grant(AwardKind::Merit, "m-1", 1900, None))
        .then_error("AWARD_YEAR_INVALID");
    assert!(err.to_string().contains("1985"), "{err}");
}
