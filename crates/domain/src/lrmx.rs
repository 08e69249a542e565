//! The 干部任免审批表 exchange file (`.lrmx`): pure parse and emit of its XML (root `<Person>`, pinyin field names),
//! and conversion to and from a cadre's registration, family and record.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use quick_xml::{
    Reader,
    escape::escape,
    events::{BytesRef, Event},
};

use crate::{
    cadre::{self, AddFamilyMember, Register},
    error::DomainError,
    idcard,
    types::{Gender, Grade, Relation},
};

/// 学历学位 of one kind of education (全日制教育 or 在职教育).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Education {
    /// 学历
    pub xue_li: String,
    /// 学位
    pub xue_wei: String,
    /// 毕业院校系及专业
    pub school: String,
}

/// One 家庭成员及重要社会关系 row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FamilyItem {
    /// 称谓 (ChengWei)
    pub appellation: String,
    /// 姓名 (XingMing)
    pub name: String,
    /// 出生日期 (ChuShengRiQi), as written (YYYYMM, YYYY.MM or YYYYMMDD)
    pub birth: String,
    /// 政治面貌 (ZhengZhiMianMao)
    pub political_status: String,
    /// 工作单位及职务 (GongZuoDanWeiJiZhiWu)
    pub work_unit_and_post: String,
}

/// The form's content. Text fields keep the form's wording; empty when absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lrmx {
    /// XingMing
    pub name: String,
    /// XingBie (男/女)
    pub gender: String,
    /// ChuShengNianYue (YYYYMM)
    pub birth_month: String,
    /// MinZu
    pub ethnicity: String,
    /// JiGuan
    pub native_place: String,
    /// ChuShengDi
    pub birth_place: String,
    /// RuDangShiJian
    pub party_joined: String,
    /// CanJiaGongZuoShiJian (YYYYMM)
    pub work_started: String,
    /// JianKangZhuangKuang
    pub health: String,
    /// ZhuanYeJiShuZhiWu (专业技术职务)
    pub professional_title: String,
    /// ShuXiZhuanYeYouHeZhuanChang (熟悉专业有何专长)
    pub specialty: String,
    /// ShenFenZheng
    pub id_number: String,
    /// QuanRiZhiJiaoYu_*
    pub full_time_education: Education,
    /// ZaiZhiJiaoYu_*
    pub in_service_education: Education,
    /// XianRenZhiWu
    pub current_post: String,
    /// NiRenZhiWu
    pub proposed_post: String,
    /// NiMianZhiWu
    pub proposed_removal: String,
    /// RenMianLiYou
    pub reason: String,
    /// JianLi
    pub resume: String,
    /// JiangChengQingKuang
    pub rewards_and_punishments: String,
    /// NianDuKaoHeJieGuo
    pub annual_assessments: String,
    /// JiaTingChengYuan / Item
    pub family: Vec<FamilyItem>,
    /// ChengBaoDanWei
    pub reporting_unit: String,
    /// TianBiaoRen
    pub filled_by: String,
    /// TianBiaoShiJian (YYYYMMDD)
    pub filled_on: String,
    /// JiSuanNianLingShiJian (YYYYMMDD)
    pub age_computed_on: String,
    /// ZhaoPian (base64 photo)
    pub photo: String,
    /// Version
    pub version: String,
    /// GaiGeQianRenZhiNianLingJieXian (newer layout)
    pub reform_age_limit: String,
    /// DaoLingNianYue (newer layout, YYYYMM)
    pub retirement_month: String,
    /// The newer layout: the file carries GaiGeQianRenZhiNianLingJieXian and DaoLingNianYue
    /// (and an emitted form writes them).
    pub newer_layout: bool,
    /// Other top-level fields, kept so that an import and export loses nothing.
    pub extra: BTreeMap<String, String>,
}

/// The top-level fields in the form's order, with accessors.
type Field = (
    &'static str,
    fn(&Lrmx) -> &String,
    fn(&mut Lrmx) -> &mut String,
);

const FIELDS: &[Field] = &[
    ("XingMing", |l| &l.name, |l| &mut l.name),
    ("XingBie", |l| &l.gender, |l| &mut l.gender),
    (
        "ChuShengNianYue",
        |l| &l.birth_month,
        |l| &mut l.birth_month,
    ),
    ("MinZu", |l| &l.ethnicity, |l| &mut l.ethnicity),
    ("JiGuan", |l| &l.native_place, |l| &mut l.native_place),
    ("ChuShengDi", |l| &l.birth_place, |l| &mut l.birth_place),
    (
        "RuDangShiJian",
        |l| &l.party_joined,
        |l| &mut l.party_joined,
    ),
    (
        "CanJiaGongZuoShiJian",
        |l| &l.work_started,
        |l| &mut l.work_started,
    ),
    ("JianKangZhuangKuang", |l| &l.health, |l| &mut l.health),
    (
        "ZhuanYeJiShuZhiWu",
        |l| &l.professional_title,
        |l| &mut l.professional_title,
    ),
    (
        "ShuXiZhuanYeYouHeZhuanChang",
        |l| &l.specialty,
        |l| &mut l.specialty,
    ),
    (
        "QuanRiZhiJiaoYu_XueLi",
        |l| &l.full_time_education.xue_li,
        |l| &mut l.full_time_education.xue_li,
    ),
    (
        "QuanRiZhiJiaoYu_XueWei",
        |l| &l.full_time_education.xue_wei,
        |l| &mut l.full_time_education.xue_wei,
    ),
    (
        "QuanRiZhiJiaoYu_BiYeYuanXiaoXi",
        |l| &l.full_time_education.school,
        |l| &mut l.full_time_education.school,
    ),
    (
        "ZaiZhiJiaoYu_XueLi",
        |l| &l.in_service_education.xue_li,
        |l| &mut l.in_service_education.xue_li,
    ),
    (
        "ZaiZhiJiaoYu_XueWei",
        |l| &l.in_service_education.xue_wei,
        |l| &mut l.in_service_education.xue_wei,
    ),
    (
        "ZaiZhiJiaoYu_BiYeYuanXiaoXi",
        |l| &l.in_service_education.school,
        |l| &mut l.in_service_education.school,
    ),
    ("XianRenZhiWu", |l| &l.current_post, |l| &mut l.current_post),
    ("NiRenZhiWu", |l| &l.proposed_post, |l| &mut l.proposed_post),
    (
        "NiMianZhiWu",
        |l| &l.proposed_removal,
        |l| &mut l.proposed_removal,
    ),
    ("JianLi", |l| &l.resume, |l| &mut l.resume),
    (
        "JiangChengQingKuang",
        |l| &l.rewards_and_punishments,
        |l| &mut l.rewards_and_punishments,
    ),
    (
        "NianDuKaoHeJieGuo",
        |l| &l.annual_assessments,
        |l| &mut l.annual_assessments,
    ),
    ("RenMianLiYou", |l| &l.reason, |l| &mut l.reason),
    (
        "ChengBaoDanWei",
        |l| &l.reporting_unit,
        |l| &mut l.reporting_unit,
    ),
    (
        "JiSuanNianLingShiJian",
        |l| &l.age_computed_on,
        |l| &mut l.age_computed_on,
    ),
    ("TianBiaoShiJian", |l| &l.filled_on, |l| &mut l.filled_on),
    ("TianBiaoRen", |l| &l.filled_by, |l| &mut l.filled_by),
    ("ShenFenZheng", |l| &l.id_number, |l| &mut l.id_number),
    ("ZhaoPian", |l| &l.photo, |l| &mut l.photo),
    ("Version", |l| &l.version, |l| &mut l.version),
];

/// The fields only the newer layout has, written after `Version`.
const NEWER_FIELDS: &[Field] = &[
    (
        "GaiGeQianRenZhiNianLingJieXian",
        |l| &l.reform_age_limit,
        |l| &mut l.reform_age_limit,
    ),
    (
        "DaoLingNianYue",
        |l| &l.retirement_month,
        |l| &mut l.retirement_month,
    ),
];

/// Every top-level text field in the form's order (the newer layout's last).
pub fn field_names() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().chain(NEWER_FIELDS).map(|(n, _, _)| *n)
}

const FAMILY: &str = "JiaTingChengYuan";
const ITEM: &str = "Item";

fn malformed(detail: impl std::fmt::Display) -> DomainError {
    DomainError::invalid(
        "LRMX_MALFORMED",
        format!("任免审批表 (lrmx) 文件格式错误: {detail}"),
    )
}

fn resolve(r: &BytesRef<'_>) -> Result<String, DomainError> {
    if let Some(c) = r.resolve_char_ref().map_err(malformed)? {
        return Ok(c.to_string());
    }
    let s = match &**r {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        other => return Err(malformed(format!("未知的实体引用 &{other};"))),
    };
    Ok(s.to_owned())
}

fn set_family_field(item: &mut FamilyItem, name: &str, value: String) {
    match name {
        "ChengWei" => item.appellation = value,
        "XingMing" => item.name = value,
        "ChuShengRiQi" => item.birth = value,
        "ZhengZhiMianMao" => item.political_status = value,
        "GongZuoDanWeiJiZhiWu" => item.work_unit_and_post = value,
        _ => {}
    }
}

/// Parse an `.lrmx` document.
pub fn parse(xml: &str) -> Result<Lrmx, DomainError> {
    let mut reader = Reader::from_str(xml);
    let mut out = Lrmx::default();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut item: Option<FamilyItem> = None;
    let mut saw_root = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| malformed(format!("第 {} 字节附近: {e}", reader.buffer_position())))?;
        match event {
            Event::Start(e) => {
                let name: String = AsRef::<str>::as_ref(&e.local_name()).to_owned();
                if path.is_empty() {
                    if name != "Person" || saw_root {
                        return Err(DomainError::invalid(
                            "LRMX_NOT_PERSON",
                            format!("任免审批表的根元素应为 <Person>, 实为 <{name}>"),
                        ));
                    }
                    saw_root = true;
                }
                if path.len() == 2 && path[1] == FAMILY && name == ITEM {
                    item = Some(FamilyItem::default());
                }
                path.push(name);
                text.clear();
            }
            Event::Empty(e) => {
                let name: String = AsRef::<str>::as_ref(&e.local_name()).to_owned();
                if path.is_empty() {
                    return Err(DomainError::invalid(
                        "LRMX_NOT_PERSON",
                        "任免审批表没有内容",
                    ));
                }
                if path.len() == 1 {
                    if NEWER_FIELDS.iter().any(|(n, _, _)| *n == name) {
                        out.newer_layout = true;
                    } else if name != FAMILY && !FIELDS.iter().any(|(n, _, _)| *n == name) {
                        out.extra.insert(name.clone(), String::new());
                    }
                }
                if path.len() == 2 && path[1] == FAMILY && name == ITEM {
                    out.family.push(FamilyItem::default());
                }
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(c) => text.push_str(&c.xml10_content()),
            Event::GeneralRef(r) => text.push_str(&resolve(&r)?),
            Event::End(_) => {
                let Some(name) = path.pop() else {
                    return Err(malformed("多余的结束标签"));
                };
                let value = text.trim().to_owned();
                match path.len() {
                    1 if name != FAMILY => {
                        if let Some((_, _, field)) =
                            NEWER_FIELDS.iter().find(|(n, _, _)| *n == name)
                        {
                            out.newer_layout = true;
                            *field(&mut out) = value;
                        } else if let Some((_, _, field)) =
                            FIELDS.iter().find(|(n, _, _)| *n == name)
                        {
                            *field(&mut out) = value;
                        } else {
                            out.extra.insert(name, value);
                        }
                    }
                    2 if name == ITEM => {
                        if let Some(done) = item.take() {
                            out.family.push(done);
                        }
                    }
                    3 => {
                        if let Some(current) = item.as_mut() {
                            set_family_field(current, &name, value);
                        }
                    }
                    _ => {}
                }
                text.clear();
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !saw_root {
        return Err(DomainError::invalid(
            "LRMX_NOT_PERSON",
            "任免审批表没有 <Person> 根元素",
        ));
    }
    if !path.is_empty() {
        return Err(malformed(format!("元素 <{}> 没有结束", path.join("/"))));
    }
    Ok(out)
}

fn element(out: &mut String, indent: &str, name: &str, value: &str) {
    out.push_str(indent);
    out.push('<');
    out.push_str(name);
    out.push('>');
    // Line ends stay raw CRLF, as the national software writes them (the 简历).
    for (i, part) in value.split("\r\n").enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        out.push_str(&escape(part));
    }
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// Emit an `.lrmx` document (UTF-8, every field present in the form's order, family rows as
/// `<Item>`s, the newer layout's fields when the form has that layout, kept unknown tags last).
pub fn emit(form: &Lrmx) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Person>\n");
    for (name, get, _) in FIELDS {
        if *name == "ChengBaoDanWei" {
            out.push_str("  <JiaTingChengYuan>\n");
            for item in &form.family {
                out.push_str("    <Item>\n");
                element(&mut out, "      ", "ChengWei", &item.appellation);
                element(&mut out, "      ", "XingMing", &item.name);
                element(&mut out, "      ", "ChuShengRiQi", &item.birth);
                element(
                    &mut out,
                    "      ",
                    "ZhengZhiMianMao",
                    &item.political_status,
                );
                element(
                    &mut out,
                    "      ",
                    "GongZuoDanWeiJiZhiWu",
                    &item.work_unit_and_post,
                );
                out.push_str("    </Item>\n");
            }
            out.push_str("  </JiaTingChengYuan>\n");
        }
        element(&mut out, "  ", name, get(form));
    }
    if form.newer_layout {
        for (name, get, _) in NEWER_FIELDS {
            element(&mut out, "  ", name, get(form));
        }
    }
    for (name, value) in &form.extra {
        element(&mut out, "  ", name, value);
    }
    out.push_str("</Person>\n");
    out
}

/// A year-month as written on the form (`YYYYMM`, `YYYY.MM`, `YYYY-MM`, `YYYY年MM月`) → its first day.
pub fn parse_year_month(s: &str) -> Option<NaiveDate> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let (year, month) = match digits.len() {
        6 | 8 => (digits[..4].parse().ok()?, digits[4..6].parse().ok()?),
        5 => (digits[..4].parse().ok()?, digits[4..].parse().ok()?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// The kinship-avoidance relation an appellation (称谓) denotes, if recognizable.
pub fn relation_of(appellation: &str) -> Option<Relation> {
    let a = appellation.trim();
    const IN_LAW: &[&str] = &[
        "岳", "公公", "婆婆", "媳", "婿", "姐夫", "妹夫", "嫂", "连襟", "妯娌", "舅子", "姨子",
        "叔子", "姑子",
    ];
    const SPOUSE: &[&str] = &["妻", "夫", "配偶", "爱人"];
    const LINEAL: &[&str] = &[
        "父", "母", "子", "女", "祖", "孙", "外公", "外婆", "爷爷", "奶奶",
    ];
    const COLLATERAL: &[&str] = &[
        "兄", "弟", "姐", "妹", "哥", "侄", "甥", "伯", "叔", "姑", "舅", "姨",
    ];
    if a.is_empty() {
        None
    } else if IN_LAW.iter().any(|k| a.contains(k)) {
        Some(Relation::CloseInLaw)
    } else if SPOUSE.iter().any(|k| a.contains(k)) {
        Some(Relation::Spouse)
    } else if COLLATERAL.iter().any(|k| a.contains(k)) {
        Some(Relation::Collateral)
    } else if LINEAL.iter().any(|k| a.contains(k)) {
        Some(Relation::Lineal)
    } else {
        None
    }
}

impl Lrmx {
    /// The registration command the form describes. Gender and birth come from the ID number
    /// (the form's 性别 and 出生年月 must agree with it); 参加工作时间 becomes the first of its month.
    pub fn to_register(&self, cadre_id: &str, unit_id: &str) -> Result<Register, DomainError> {
        let id = idcard::parse(&self.id_number)?;
        let gender = match self.gender.trim() {
            "" => None,
            g => Some(Gender::from_zh(g).ok_or_else(|| {
                DomainError::invalid(
                    "LRMX_GENDER",
                    format!("任免审批表中的性别“{g}”无法识别 (应为 男 或 女)"),
                )
            })?),
        };
        if !self.birth_month.trim().is_empty() {
            let month = parse_year_month(&self.birth_month).ok_or_else(|| {
                DomainError::invalid(
                    "LRMX_BIRTH_MONTH",
                    format!("出生年月“{}”无法识别 (应为 YYYYMM)", self.birth_month),
                )
            })?;
            if (month.year(), month.month()) != (id.birth_date.year(), id.birth_date.month()) {
                return Err(DomainError::invalid(
                    "ID_NUMBER_BIRTH_MISMATCH",
                    format!(
                        "出生年月 {} 与身份证号中的出生日期 {} 不一致",
                        self.birth_month, id.birth_date
                    ),
                ));
            }
        }
        let joined_work_on = match self.work_started.trim() {
            "" => None,
            w => Some(parse_year_month(w).ok_or_else(|| {
                DomainError::invalid(
                    "LRMX_WORK_STARTED",
                    format!("参加工作时间“{w}”无法识别 (应为 YYYYMM)"),
                )
            })?),
        };
        Ok(Register {
            cadre_id: cadre_id.to_owned(),
            name: self.name.trim().to_owned(),
            id_number: id.number,
            gender,
            birth_date: Some(id.birth_date),
            ethnicity: Some(self.ethnicity.trim().to_owned()).filter(|e| !e.is_empty()),
            unit_id: unit_id.to_owned(),
            rank: None,
            rank_since: None,
            leadership_level: None,
            level_since: None,
            joined_work_on,
        })
    }

    /// The family rows as `AddFamilyMember` commands (member ids `lrmx-1`, `lrmx-2`, …).
    /// A row whose 称谓 names no avoidance relation is refused so the clerk can correct it.
    pub fn family_commands(&self, cadre_id: &str) -> Result<Vec<AddFamilyMember>, DomainError> {
        self.family
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let relation = relation_of(&item.appellation).ok_or_else(|| {
                    DomainError::invalid(
                        "LRMX_UNKNOWN_APPELLATION",
                        format!(
                            "家庭成员第 {} 行的称谓“{}”无法判定亲属关系",
                            i + 1,
                            item.appellation
                        ),
                    )
                })?;
                let digits: String = item.birth.chars().filter(char::is_ascii_digit).collect();
                let birth_date = (digits.len() == 8)
                    .then(|| NaiveDate::parse_from_str(&digits, "%Y%m%d").ok())
                    .flatten();
                let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
                Ok(AddFamilyMember {
                    cadre_id: cadre_id.to_owned(),
                    member_id: format!("lrmx-{}", i + 1),
                    relation,
                    appellation: item.appellation.trim().to_owned(),
                    name: item.name.trim().to_owned(),
                    id_number: None,
                    birth_date,
                    political_status: opt(&item.political_status),
                    work_unit_and_post: opt(&item.work_unit_and_post),
                    relative_cadre_id: None,
                })
            })
            .collect()
    }

    /// A form filled from a cadre's record: identity, current posts, resume (简历) from the posts
    /// held, the last three annual grades, awards and sanctions, family. Fields the record does not
    /// hold (education, photo …) stay empty.
    pub fn from_cadre(state: &cadre::State) -> Lrmx {
        let grades: Vec<String> = state
            .grades
            .iter()
            .rev()
            .take(3)
            .rev()
            .map(|(year, g)| format!("{year}年度考核{}", g.map_or("不定等次", Grade::zh)))
            .collect();
        let mut rewards: Vec<String> = state
            .awards
            .iter()
            .map(|a| format!("{}年{}", a.year, a.kind.zh()))
            .collect();
        let mut resume: Vec<(NaiveDate, String)> = state
            .past_posts
            .iter()
            .map(|p| {
                (
                    p.from,
                    format!(
                        "{}--{} {}{}",
                        p.from.format("%Y.%m"),
                        p.to.format("%Y.%m"),
                        p.unit_name,
                        p.title
                    ),
                )
            })
            .collect();
        resume.extend(state.posts.iter().map(|h| {
            (
                h.since,
                format!(
                    "{}--        {}{}",
                    h.since.format("%Y.%m"),
                    h.unit_name,
                    h.title
                ),
            )
        }));
        resume.sort();
        rewards.extend(
            state
                .sanctions
                .iter()
                .map(|s| format!("{}受{}处分", s.imposed_on.format("%Y年%m月"), s.kind.zh())),
        );
        Lrmx {
            name: state.name.clone(),
            gender: state.gender.map(|g| g.zh().to_owned()).unwrap_or_default(),
            birth_month: state
                .birth_date
                .map(|d| d.format("%Y%m").to_string())
                .unwrap_or_default(),
            ethnicity: state.ethnicity.clone().unwrap_or_default(),
            id_number: state.id_number.clone(),
            current_post: state
                .posts
                .iter()
                .map(|h| format!("{}{}", h.unit_name, h.title))
                .collect::<Vec<_>>()
                .join("、"),
            resume: resume
                .into_iter()
                .map(|(_, line)| line)
                .collect::<Vec<_>>()
                .join("\n"),
            rewards_and_punishments: if rewards.is_empty() {
                "无".into()
            } else {
                rewards.join("；")
            },
            annual_assessments: grades.join("；"),
            family: state
                .family
                .iter()
                .map(|m| FamilyItem {
                    appellation: m.appellation.clone(),
                    name: m.name.clone(),
                    ..FamilyItem::default()
                })
                .collect(),
            ..Lrmx::default()
        }
    }
}
