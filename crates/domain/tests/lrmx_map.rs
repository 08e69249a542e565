//! A 任免审批表 checked field by field into the commands that import it, and the form a record fills
//! as of a date: every problem named by its field, and a form entered then filled gives itself back.

use chrono::NaiveDate;
use dossier_domain::{
    Actor, Aggregate as _, Context, Policy, Role,
    cadre::{Aggregate as Cadre, Command, Facts, State, UnitFact},
    lrmx, lrmx_map,
};

fn example() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/examples/lrmx/li-hua.lrmx"),
    )
    .unwrap()
}

fn fields(xml: &str) -> Vec<(String, &'static str)> {
    let form = lrmx::parse(xml).unwrap();
    lrmx_map::plan(&form, "p1", "u01")
        .map(|_| vec![])
        .unwrap_or_else(|ps| ps.into_iter().map(|p| (p.field, p.code)).collect())
}

#[test]
fn every_problem_of_a_form_is_named_by_its_field() {
    assert!(fields(&example()).is_empty());
    let bad = example()
        .replace("<MinZu>汉族", "<MinZu>火星族")
        .replace("<RuDangShiJian>200706", "<RuDangShiJian>2007")
        .replace("<TianBiaoShiJian>20250628", "<TianBiaoShiJian>20250231")
        .replace(
            "<ZaiZhiJiaoYu_XueWei>管理学硕士",
            "<ZaiZhiJiaoYu_XueWei>很高",
        )
        .replace("<ChengWei>女儿", "<ChengWei>同事")
        .replace("<XingBie>男", "<XingBie>女");
    let got = fields(&bad);
    for expected in [
        ("MinZu".to_owned(), "LRMX_UNKNOWN_CODE"),
        ("RuDangShiJian".to_owned(), "LRMX_DATE"),
        ("TianBiaoShiJian".to_owned(), "LRMX_DATE"),
        ("ZaiZhiJiaoYu_XueWei".to_owned(), "LRMX_UNKNOWN_CODE"),
        (
            "JiaTingChengYuan/Item[2]/ChengWei".to_owned(),
            "LRMX_UNKNOWN_APPELLATION",
        ),
        ("XingBie".to_owned(), "ID_NUMBER_GENDER_MISMATCH"),
    ] {
        assert!(got.contains(&expected), "{expected:?} in {got:?}");
    }
    let resume = example().replace("2008.08--2015.03", "2008.08--2015.3x");
    assert_eq!(fields(&resume), vec![("JianLi".to_owned(), "LRMX_RESUME")]);
}

#[test]
fn a_form_entered_by_the_cadre_rules_fills_itself_back() {
    let form = lrmx::parse(&example()).unwrap();
    let plan = lrmx_map::plan(&form, "p1", "u01").unwrap();
    let on = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    let actor = Actor::new("组织部干部科", Role::OrgAdmin);
    let policy = Policy::default();
    let ctx = Context {
        actor: &actor,
        effective: on,
        today: on,
        policy: &policy,
    };
    let facts = Facts {
        unit: Some(UnitFact {
            unit_id: "u01".into(),
            name: "区发改委".into(),
        }),
        ..Facts::default()
    };
    let mut state = State::default();
    let mut commands = vec![Command::Register(plan.register)];
    commands.extend(plan.family.into_iter().map(Command::AddFamilyMember));
    commands.push(Command::RecordParticulars(plan.particulars));
    for c in &commands {
        for e in Cadre::decide(&state, c, &ctx, &facts).unwrap() {
            Cadre::evolve(&mut state, &e);
        }
    }
    let back = lrmx::parse(&lrmx::emit(&lrmx_map::fill(&state, on))).unwrap();
    let mut expected = form.clone();
    expected.extra.retain(|_, v| !v.is_empty());
    let mut got = back.clone();
    got.extra.retain(|_, v| !v.is_empty());
    assert_eq!(got, expected);
}
