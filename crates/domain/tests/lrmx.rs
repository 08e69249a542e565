//! The 干部任免审批表 (.lrmx) exchange: parse, emit, round trip, and conversion to commands.

mod common;

use common::*;
use dossier_domain::{
    Aggregate as _,
    cadre::{Aggregate as Cadre, Command, Event as E, Facts, UnitFact},
    harness::given,
    lrmx::{self, Lrmx},
    types::{Gender, Relation},
};

fn sample() -> String {
    let id = id_number("19850412", "123");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by the provincial tool -->
<Person>
  <XingMing>李华</XingMing>
  <XingBie>男</XingBie>
  <ChuShengNianYue>198504</ChuShengNianYue>
  <MinZu>汉族</MinZu>
  <JiGuan>江苏泰州</JiGuan>
  <ChuShengDi>江苏姜堰</ChuShengDi>
  <RuDangShiJian>2007.06</RuDangShiJian>
  <CanJiaGongZuoShiJian>200808</CanJiaGongZuoShiJian>
  <JianKangZhuangKuang>健康</JianKangZhuangKuang>
  <ShenFenZheng>{id}</ShenFenZheng>
  <QuanRiZhiJiaoYu_XueLi>大学</QuanRiZhiJiaoYu_XueLi>
  <QuanRiZhiJiaoYu_XueWei>工学学士</QuanRiZhiJiaoYu_XueWei>
  <QuanRiZhiJiaoYu_BiYeYuanXiaoXi>南京大学计算机系</QuanRiZhiJiaoYu_BiYeYuanXiaoXi>
  <ZaiZhiJiaoYu_XueLi>研究生</ZaiZhiJiaoYu_XueLi>
  <ZaiZhiJiaoYu_XueWei/>
  <XianRenZhiWu>区发改委副主任</XianRenZhiWu>
  <NiRenZhiWu>区商务局局长</NiRenZhiWu>
  <JianLi><![CDATA[2008.08--2015.03 区发改委科员
2015.03--     区发改委副主任]]></JianLi>
  <JiangChengQingKuang>2023年度考核优秀 &amp; 嘉奖 &#x4E00;次</JiangChengQingKuang>
  <JiaTingChengYuan>
    <Item>
      <ChengWei>妻子</ChengWei>
      <XingMing>王芳</XingMing>
      <ChuShengRiQi>198702</ChuShengRiQi>
      <ZhengZhiMianMao>中共党员</ZhengZhiMianMao>
      <GongZuoDanWeiJiZhiWu>区教育局科员</GongZuoDanWeiJiZhiWu>
    </Item>
    <Item>
      <ChengWei>父亲</ChengWei>
      <XingMing>李建国</XingMing>
      <ChuShengRiQi>19580301</ChuShengRiQi>
      <ZhengZhiMianMao>群众</ZhengZhiMianMao>
      <GongZuoDanWeiJiZhiWu>退休</GongZuoDanWeiJiZhiWu>
    </Item>
  </JiaTingChengYuan>
  <TianBiaoRen>张三</TianBiaoRen>
  <ZiDingYi>保留字段</ZiDingYi>
</Person>"#
    )
}

#[test]
fn lrmx_parses_the_person_fields_and_family() {
    let form = lrmx::parse(&sample()).unwrap();
    assert_eq!(form.name, "李华");
    assert_eq!(form.full_time_education.school, "南京大学计算机系");
    assert_eq!(form.in_service_education.xue_wei, "");
    assert_eq!(form.rewards_and_punishments, "2023年度考核优秀 & 嘉奖 一次");
    assert!(form.resume.contains("2015.03--     区发改委副主任"));
    assert_eq!(form.family.len(), 2);
    assert_eq!(form.family[1].birth, "19580301");
    assert_eq!(
        form.extra.get("ZiDingYi").map(String::as_str),
        Some("保留字段")
    );
}

#[test]
fn lrmx_emit_then_parse_round_trips() {
    let form = lrmx::parse(&sample()).unwrap();
    let xml = lrmx::emit(&form);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Person>"));
    assert!(xml.contains("&amp; 嘉奖"));
    assert_eq!(lrmx::parse(&xml).unwrap(), form);
}

#[test]
fn lrmx_registration_is_accepted_by_the_cadre_rules() {
    let form = lrmx::parse(&sample()).unwrap();
    let register = form.to_register("c1", "u-fgw").unwrap();
    assert_eq!(
        (register.gender, register.joined_work_on),
        (Some(Gender::Male), Some(d(2008, 8, 1)))
    );
    let facts = Facts {
        unit: Some(UnitFact {
            unit_id: "u-fgw".into(),
            name: "区发改委".into(),
        }),
        ..Facts::default()
    };
    let mut events = given::<Cadre>([])
        .with_facts(facts)
        .when(Command::Register(register))
        .then_ok();
    let family = form.family_commands("c1").unwrap();
    assert_eq!(
        family.iter().map(|f| f.relation).collect::<Vec<_>>(),
        [Relation::Spouse, Relation::Lineal]
    );
    assert_eq!(family[1].birth_date, Some(d(1958, 3, 1)));
    for command in family {
        events.extend(
            given::<Cadre>(events.clone())
                .when(Command::AddFamilyMember(command))
                .then_ok(),
        );
    }
    // And back: the record fills a form with the same identity and family.
    let back = Lrmx::from_cadre(&Cadre::fold(&events));
    assert_eq!(
        (
            back.name.as_str(),
            back.birth_month.as_str(),
            back.id_number.as_str()
        ),
        ("李华", "198504", form.id_number.as_str())
    );
    assert_eq!(
        back.family
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["王芳", "李建国"]
    );
    assert!(matches!(events.first(), Some(E::Registered(_))));
}

#[test]
fn lrmx_with_wrong_id_check_digit_or_inconsistent_birth_is_refused() {
    let good = id_number("19850412", "123");
    let bad = format!(
        "{}{}",
        &good[..17],
        if good.ends_with('0') { '1' } else { '0' }
    );
    let form = lrmx::parse(&sample().replace(&good, &bad)).unwrap();
    assert_eq!(
        form.to_register("c1", "u").unwrap_err().code(),
        "ID_NUMBER_CHECK_DIGIT"
    );
    let form = lrmx::parse(&sample().replace("<ChuShengNianYue>198504", "<ChuShengNianYue>198505"))
        .unwrap();
    assert_eq!(
        form.to_register("c1", "u").unwrap_err().code(),
        "ID_NUMBER_BIRTH_MISMATCH"
    );
    let form = lrmx::parse(&sample().replace("<XingBie>男", "<XingBie>M")).unwrap();
    assert_eq!(
        form.to_register("c1", "u").unwrap_err().code(),
        "LRMX_GENDER"
    );
    let form = lrmx::parse(&sample().replace("<ChengWei>父亲", "<ChengWei>朋友")).unwrap();
    assert_eq!(
        form.family_commands("c1").unwrap_err().code(),
        "LRMX_UNKNOWN_APPELLATION"
    );
}

#[test]
fn lrmx_that_is_not_a_person_form_is_refused() {
    assert_eq!(
        lrmx::parse("<Cadre><XingMing>x</XingMing></Cadre>")
            .unwrap_err()
            .code(),
        "LRMX_NOT_PERSON"
    );
    assert_eq!(lrmx::parse("").unwrap_err().code(), "LRMX_NOT_PERSON");
    assert_eq!(
        lrmx::parse("<Person><XingMing>x</XingBie></Person>")
            .unwrap_err()
            .code(),
        "LRMX_MALFORMED"
    );
    assert_eq!(
        lrmx::parse("<Person><XingMing>x</XingMing>")
            .unwrap_err()
            .code(),
        "LRMX_MALFORMED"
    );
    assert_eq!(
        lrmx::parse("<Person><XingMing>&nbsp;</XingMing></Person>")
            .unwrap_err()
            .code(),
        "LRMX_MALFORMED"
    );
}

#[test]
fn appellations_map_to_avoidance_relations() {
    for (a, r) in [
        ("妻子", Relation::Spouse),
        ("丈夫", Relation::Spouse),
        ("长子", Relation::Lineal),
        ("母亲", Relation::Lineal),
        ("祖父", Relation::Lineal),
        ("哥哥", Relation::Collateral),
        ("侄子", Relation::Collateral),
        ("姑母", Relation::Collateral),
        ("伯父", Relation::Collateral),
        ("表妹", Relation::Collateral),
        ("岳父", Relation::CloseInLaw),
        ("儿媳", Relation::CloseInLaw),
        ("姐夫", Relation::CloseInLaw),
    ] {
        assert_eq!(lrmx::relation_of(a), Some(r), "{a}");
    }
    assert_eq!(lrmx::relation_of("同学"), None);
}

#[test]
fn lrmx_from_a_record_lists_posts_as_resume() {
    use dossier_domain::types::PostCategory;
    let first = post("u-fgw", "p1", PostCategory::Business);
    let second = post("u-sw", "p2", PostCategory::Business);
    let events = vec![
        registered(
            "c1",
            dossier_domain::types::Rank::PrincipalClerk4,
            d(2020, 1, 1),
        ),
        appointed("c1", &first, d(2015, 3, 1)),
        E::Removed(dossier_domain::cadre::Removed {
            cadre_id: "c1".into(),
            unit_id: "u-fgw".into(),
            post_id: "p1".into(),
            post_title: first.title.clone(),
            manner: dossier_domain::codes::RemovalManner::Removal,
            reason: dossier_domain::codes::RemovalReason::Transfer,
            approved_by: "区委".into(),
            decided_on: d(2020, 5, 1),
            effective_on: d(2020, 5, 1),
            document_number: "泰姜委〔2020〕5号".into(),
            held_since: d(2015, 3, 1),
        }),
        appointed("c1", &second, d(2020, 5, 1)),
    ];
    let form = Lrmx::from_cadre(&Cadre::fold(&events));
    assert_eq!(form.current_post, "单位u-sw岗位p2");
    assert_eq!(
        form.resume,
        "2015.03--2020.05 单位u-fgw岗位p1\n2020.05--        单位u-sw岗位p2"
    );
    assert_eq!(lrmx::parse(&lrmx::emit(&form)).unwrap(), form);
}
