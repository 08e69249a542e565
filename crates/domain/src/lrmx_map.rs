//! Between a 任免审批表 and the record: the commands a form asks for (every problem found, by
//! field) and the form a cadre's record fills as of a date.

use chrono::{Datelike, NaiveDate};

use crate::{
    cadre::{
        self, AddFamilyMember, EducationRecord, KeptTag, Particulars, RecordParticulars, Register,
    },
    idcard,
    lrmx::{Education, FamilyItem, Lrmx, relation_of},
    person_codes::{self, EDUCATION_LEVELS, ETHNICITIES, HEALTH, POLITICAL_STATUS},
    resume,
    types::{Gender, Grade},
};

/// The Version Dossier writes when the record holds none (the newer layout).
pub const EMITTED_VERSION: &str = "2.0";

/// One thing wrong with a form: the field (its tag, `JiaTingChengYuan/Item[2]/ChengWei` inside
/// a family row), the rule and what is wrong, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "字段 {} [{}]: {}", self.field, self.code, self.message)
    }
}

/// What importing one form does: register the cadre, add the family rows, record the particulars.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub register: Register,
    pub family: Vec<AddFamilyMember>,
    pub particulars: RecordParticulars,
}

/// A year-month as the form writes it: `YYYYMM` (also `YYYY.MM`, `YYYY-MM`), 1900–2100.
pub fn form_month(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let digits: String = match s.len() {
        6 if s.bytes().all(|b| b.is_ascii_digit()) => s.to_owned(),
        7 if matches!(s.as_bytes()[4], b'.' | b'-') => format!("{}{}", &s[..4], &s[5..]),
        _ => return None,
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = digits[..4].parse().ok()?;
    (1900..=2100).contains(&year).then_some(())?;
    NaiveDate::from_ymd_opt(year, digits[4..].parse().ok()?, 1)
}

/// A day as the form writes it: `YYYYMMDD`, 1900–2100.
pub fn form_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y%m%d")
        .ok()
        .filter(|d| (1900..=2100).contains(&d.year()))
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, field: impl Into<String>, code: &'static str, message: String) {
        self.problems.push(Problem {
            field: field.into(),
            code,
            message,
        });
    }

    fn month(&mut self, field: &str, what: &str, value: &str) -> Option<NaiveDate> {
        if value.is_empty() {
            return None;
        }
        let parsed = form_month(value);
        if parsed.is_none() {
            self.push(
                field,
                "LRMX_DATE",
                format!("{what}“{value}”不是有效的年月（应为 YYYYMM，如 200808）"),
            );
        }
        parsed
    }

    fn day(&mut self, field: &str, what: &str, value: &str) {
        if !value.is_empty() && form_day(value).is_none() {
            self.push(
                field,
                "LRMX_DATE",
                format!("{what}“{value}”不是有效的日期（应为 YYYYMMDD，如 20250630）"),
            );
        }
    }

    fn code(&mut self, field: &str, what: &str, value: &str, ok: bool, table: &str) {
        if !value.is_empty() && !ok {
            self.push(
                field,
                "LRMX_UNKNOWN_CODE",
                format!("{what}“{value}”不在{table}代码表中"),
            );
        }
    }

    fn education(&mut self, prefix: &str, what: &str, e: &Education) {
        self.code(
            &format!("{prefix}_XueLi"),
            &format!("{what}学历"),
            &e.xue_li,
            person_codes::in_table(EDUCATION_LEVELS, &e.xue_li),
            "学历 (GB/T 4658)",
        );
        self.code(
            &format!("{prefix}_XueWei"),
            &format!("{what}学位"),
            &e.xue_wei,
            person_codes::is_degree(&e.xue_wei),
            "学位 (GB/T 6864)",
        );
    }
}

fn education_record(e: &Education) -> EducationRecord {
    EducationRecord {
        level: e.xue_li.clone(),
        degree: e.xue_wei.clone(),
        school: e.school.clone(),
    }
}

fn education_form(e: &EducationRecord) -> Education {
    Education {
        xue_li: e.level.clone(),
        xue_wei: e.degree.clone(),
        school: e.school.clone(),
    }
}

/// Check a form and turn it into the commands importing it takes: every problem of the form,
/// by field, or the plan. The cadre is registered in `unit_id` with id `cadre_id`.
pub fn plan(form: &Lrmx, cadre_id: &str, unit_id: &str) -> Result<Plan, Vec<Problem>> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    if form.name.is_empty() {
        c.push("XingMing", "LRMX_NAME_REQUIRED", "姓名不能为空".into());
    }
    let id = match idcard::parse(&form.id_number) {
        Ok(id) => Some(id),
        Err(e) => {
            c.push("ShenFenZheng", e.code(), e.message().to_owned());
            None
        }
    };
    let gender = match form.gender.as_str() {
        "" => None,
        g => {
            let parsed = Gender::from_zh(g);
            if parsed.is_none() {
                c.push(
                    "XingBie",
                    "LRMX_UNKNOWN_CODE",
                    format!("性别“{g}”不在性别 (GB/T 2261.1) 代码表中（应为 男 或 女）"),
                );
            }
            parsed
        }
    };
    if let (Some(g), Some(id)) = (gender, &id)
        && g != id.gender
    {
        c.push(
            "XingBie",
            "ID_NUMBER_GENDER_MISMATCH",
            format!(
                "性别“{}”与身份证号中的性别“{}”不一致",
                g.zh(),
                id.gender.zh()
            ),
        );
    }
    if let Some(month) = c.month("ChuShengNianYue", "出生年月", &form.birth_month)
        && let Some(id) = &id
        && (month.year(), month.month()) != (id.birth_date.year(), id.birth_date.month())
    {
        c.push(
            "ChuShengNianYue",
            "ID_NUMBER_BIRTH_MISMATCH",
            format!(
                "出生年月 {} 与身份证号中的出生日期 {} 不一致",
                form.birth_month, id.birth_date
            ),
        );
    }
    let party_joined = c.month("RuDangShiJian", "入党时间", &form.party_joined);
    let joined_work_on = c.month("CanJiaGongZuoShiJian", "参加工作时间", &form.work_started);
    let retirement_month = c.month("DaoLingNianYue", "到龄年月", &form.retirement_month);
    let month_text =
        |d: Option<NaiveDate>| d.map(|d| d.format("%Y%m").to_string()).unwrap_or_default();
    c.day(
        "JiSuanNianLingShiJian",
        "计算年龄时间",
        &form.age_computed_on,
    );
    c.day("TianBiaoShiJian", "填表时间", &form.filled_on);
    c.code(
        "MinZu",
        "民族",
        &form.ethnicity,
        person_codes::in_table(ETHNICITIES, &form.ethnicity),
        "民族 (GB 3304)",
    );
    c.code(
        "JianKangZhuangKuang",
        "健康状况",
        &form.health,
        person_codes::in_table(HEALTH, &form.health),
        "健康状况 (GB/T 2261.3)",
    );
    c.education("QuanRiZhiJiaoYu", "全日制教育", &form.full_time_education);
    c.education("ZaiZhiJiaoYu", "在职教育", &form.in_service_education);
    let periods = match resume::parse(&form.resume) {
        Ok(p) => p,
        Err(e) => {
            c.push("JianLi", "LRMX_RESUME", e.to_string());
            Vec::new()
        }
    };
    let mut family = Vec::with_capacity(form.family.len());
    for (i, item) in form.family.iter().enumerate() {
        let field = |f: &str| format!("JiaTingChengYuan/Item[{}]/{f}", i + 1);
        if item.name.is_empty() {
            c.push(
                field("XingMing"),
                "LRMX_NAME_REQUIRED",
                format!("家庭成员第 {} 行的姓名不能为空", i + 1),
            );
        }
        let relation = relation_of(&item.appellation);
        if relation.is_none() {
            c.push(
                field("ChengWei"),
                "LRMX_UNKNOWN_APPELLATION",
                format!(
                    "家庭成员第 {} 行的称谓“{}”无法判定亲属关系",
                    i + 1,
                    item.appellation
                ),
            );
        }
        // 出生日期 is a year-month (`YYYYMM`); a full `YYYYMMDD` is read too.
        let birth_date = match item.birth.len() {
            0 => None,
            8 => {
                let d = form_day(&item.birth);
                if d.is_none() {
                    c.day(&field("ChuShengRiQi"), "出生日期", &item.birth);
                }
                d
            }
            _ => c.month(&field("ChuShengRiQi"), "出生年月", &item.birth),
        };
        c.code(
            &field("ZhengZhiMianMao"),
            "政治面貌",
            &item.political_status,
            person_codes::in_table(POLITICAL_STATUS, &item.political_status),
            "政治面貌 (GB/T 4762)",
        );
        let opt = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
        if let Some(relation) = relation {
            family.push(AddFamilyMember {
                cadre_id: cadre_id.to_owned(),
                member_id: format!("lrmx-{}", i + 1),
                relation,
                appellation: item.appellation.clone(),
                name: item.name.clone(),
                id_number: None,
                birth_date,
                political_status: opt(&item.political_status),
                work_unit_and_post: opt(&item.work_unit_and_post),
                relative_cadre_id: None,
            });
        }
    }
    let Some(id) = id.filter(|_| c.problems.is_empty()) else {
        return Err(c.problems);
    };
    let register = Register {
        cadre_id: cadre_id.to_owned(),
        name: form.name.clone(),
        id_number: id.number,
        gender,
        birth_date: Some(id.birth_date),
        ethnicity: Some(form.ethnicity.clone()).filter(|e| !e.is_empty()),
        unit_id: unit_id.to_owned(),
        rank: None,
        rank_since: None,
        leadership_level: None,
        level_since: None,
        joined_work_on,
    };
    let particulars = Particulars {
        native_place: form.native_place.clone(),
        birth_place: form.birth_place.clone(),
        party_joined: month_text(party_joined),
        health: form.health.clone(),
        professional_title: form.professional_title.clone(),
        specialty: form.specialty.clone(),
        full_time_education: education_record(&form.full_time_education),
        in_service_education: education_record(&form.in_service_education),
        current_post: form.current_post.clone(),
        proposed_post: form.proposed_post.clone(),
        proposed_removal: form.proposed_removal.clone(),
        resume: periods,
        rewards_and_punishments: form.rewards_and_punishments.clone(),
        annual_assessments: form.annual_assessments.clone(),
        reason: form.reason.clone(),
        reporting_unit: form.reporting_unit.clone(),
        age_computed_on: form.age_computed_on.clone(),
        filled_on: form.filled_on.clone(),
        filled_by: form.filled_by.clone(),
        photo: form.photo.clone(),
        version: form.version.clone(),
        newer_layout: form.newer_layout,
        reform_age_limit: form.reform_age_limit.clone(),
        retirement_month: month_text(retirement_month),
        kept_tags: form
            .extra
            .iter()
            .map(|(tag, text)| KeptTag {
                tag: tag.clone(),
                text: text.clone(),
            })
            .collect(),
    };
    Ok(Plan {
        register,
        family,
        particulars: RecordParticulars {
            cadre_id: cadre_id.to_owned(),
            particulars: Box::new(particulars),
        },
    })
}

/// The resume the record's posts give (held before, held now), oldest first.
fn resume_of_posts(state: &cadre::State) -> Vec<cadre::ResumePeriod> {
    let mut periods: Vec<cadre::ResumePeriod> = state
        .past_posts
        .iter()
        .map(|p| cadre::ResumePeriod {
            from: p.from.with_day(1).unwrap_or(p.from),
            to: Some(p.to.with_day(1).unwrap_or(p.to)),
            text: format!("{}{}", p.unit_name, p.title),
            during: vec![],
        })
        .chain(state.posts.iter().map(|h| cadre::ResumePeriod {
            from: h.since.with_day(1).unwrap_or(h.since),
            to: None,
            text: format!("{}{}", h.unit_name, h.title),
            during: vec![],
        }))
        .collect();
    periods.sort_by_key(|p| p.from);
    periods
}

/// The form a cadre's record fills as of `as_of` (`state` folded from the events effective on or
/// before it). Identity, 参加工作时间 and family come from the record; posts, 奖惩 and the last three
/// years' 考核 too when the record holds them, else the wording the imported form brought; the
/// rest from the particulars on record. The two dates default to `as_of`.
pub fn fill(state: &cadre::State, as_of: NaiveDate) -> Lrmx {
    let p = state.particulars.clone().unwrap_or_default();
    let mut grades: Vec<String> = state
        .grades
        .range(..=as_of.year())
        .rev()
        .take(3)
        .map(|(year, g)| format!("{year}年度{}", g.map_or("不定等次", Grade::zh)))
        .collect();
    grades.reverse();
    let mut rewards: Vec<String> = state
        .awards
        .iter()
        .map(|a| format!("{}年{}", a.year, a.kind.zh()))
        .collect();
    rewards.extend(
        state
            .sanctions
            .iter()
            .map(|s| format!("{}受{}处分", s.imposed_on.format("%Y年%m月"), s.kind.zh())),
    );
    let resume = if p.resume.is_empty() {
        resume_of_posts(state)
    } else {
        p.resume.clone()
    };
    let current_post = if state.posts.is_empty() {
        p.current_post.clone()
    } else {
        state
            .posts
            .iter()
            .map(|h| format!("{}{}", h.unit_name, h.title))
            .collect::<Vec<_>>()
            .join("、")
    };
    let or_default = |s: &str, d: NaiveDate| {
        if s.is_empty() {
            d.format("%Y%m%d").to_string()
        } else {
            s.to_owned()
        }
    };
    let version = if p.version.is_empty() {
        EMITTED_VERSION.to_owned()
    } else {
        p.version.clone()
    };
    Lrmx {
        name: state.name.clone(),
        gender: state.gender.map(|g| g.zh().to_owned()).unwrap_or_default(),
        birth_month: state
            .birth_date
            .map(|d| d.format("%Y%m").to_string())
            .unwrap_or_default(),
        ethnicity: state.ethnicity.clone().unwrap_or_default(),
        native_place: p.native_place,
        birth_place: p.birth_place,
        party_joined: p.party_joined,
        work_started: state
            .joined_work_on
            .map(|d| d.format("%Y%m").to_string())
            .unwrap_or_default(),
        health: p.health,
        professional_title: p.professional_title,
        specialty: p.specialty,
        id_number: state.id_number.clone(),
        full_time_education: education_form(&p.full_time_education),
        in_service_education: education_form(&p.in_service_education),
        current_post,
        proposed_post: p.proposed_post,
        proposed_removal: p.proposed_removal,
        reason: p.reason,
        resume: resume::emit(&resume),
        rewards_and_punishments: if rewards.is_empty() {
            p.rewards_and_punishments
        } else {
            rewards.join("；")
        },
        annual_assessments: if grades.is_empty() {
            p.annual_assessments
        } else {
            grades.join("；")
        },
        family: state
            .family
            .iter()
            .map(|m| FamilyItem {
                appellation: m.appellation.clone(),
                name: m.name.clone(),
                birth: m
                    .birth_date
                    .map(|d| d.format("%Y%m").to_string())
                    .unwrap_or_default(),
                political_status: m.political_status.clone().unwrap_or_default(),
                work_unit_and_post: m.work_unit_and_post.clone().unwrap_or_default(),
            })
            .collect(),
        reporting_unit: p.reporting_unit,
        filled_by: p.filled_by,
        filled_on: or_default(&p.filled_on, as_of),
        age_computed_on: or_default(&p.age_computed_on, as_of),
        photo: p.photo,
        version,
        reform_age_limit: p.reform_age_limit,
        retirement_month: p.retirement_month,
        newer_layout: p.newer_layout || state.particulars.is_none(),
        extra: p.kept_tags.into_iter().map(|t| (t.tag, t.text)).collect(),
    }
}
