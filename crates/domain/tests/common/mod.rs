//! Fixtures shared by the rule tests: dates, valid ID numbers, a registered cadre, posts.
#![allow(dead_code)]

use chrono::NaiveDate;
use dossier_domain::{
    cadre::{self, Event as E},
    codes::{
        AppointmentManner, AppointmentReason, AppointmentStatus, AssessmentCategory,
        AssessmentConclusion, ChangeCategory,
    },
    idcard,
    types::{Gender, Grade, LeadershipLevel, PostCategory, Rank},
    unit::PostFact,
};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A valid ID number for a birth date (`yyyymmdd`) and a sequence `seq` (3 digits; odd = male).
pub fn id_number(birth: &str, seq: &str) -> String {
    let first17 = format!("320412{birth}{seq}");
    format!("{first17}{}", idcard::check_digit(&first17).unwrap())
}

pub fn registered(cadre_id: &str, rank: Rank, rank_since: NaiveDate) -> E {
    E::Registered(cadre::Registered {
        cadre_id: cadre_id.into(),
        name: "李华".into(),
        id_number: id_number("19850412", "123"),
        gender: Gender::Male,
        birth_date: d(1985, 4, 12),
        ethnicity: Some("汉族".into()),
        unit_id: "u-fgw".into(),
        rank: Some(rank),
        rank_since: Some(rank_since),
        leadership_level: None,
        level_since: None,
        joined_work_on: Some(d(2008, 8, 1)),
        registered_on: d(2021, 1, 4),
    })
}

pub fn grade(cadre_id: &str, year: i32, grade: Option<Grade>) -> E {
    E::GradeRecorded(cadre::GradeRecorded {
        cadre_id: cadre_id.into(),
        unit_id: "u-fgw".into(),
        year,
        grade,
        category: AssessmentCategory::Annual,
        conclusion: AssessmentConclusion::of(grade),
        recorded_on: d(year + 1, 1, 20),
        basis: None,
        evaluation_id: None,
    })
}

pub fn notice(
    cadre_id: &str,
    id: &str,
    to: Rank,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Vec<E> {
    let mut out = vec![E::PublicNoticeStarted(cadre::PublicNoticeStarted {
        cadre_id: cadre_id.into(),
        notice_id: id.into(),
        purpose: format!("拟晋升{}", to.zh()),
        target_rank: Some(to),
        started_on: start,
        ends_on: end.unwrap_or(start),
        working_days: 5,
    })];
    if let Some(end) = end {
        out.push(E::PublicNoticeEnded(cadre::PublicNoticeEnded {
            cadre_id: cadre_id.into(),
            notice_id: id.into(),
            ended_on: end,
            objection_upheld: false,
            note: None,
        }));
    }
    out
}

pub fn post(unit_id: &str, post_id: &str, category: PostCategory) -> PostFact {
    PostFact {
        unit_id: unit_id.into(),
        unit_name: format!("单位{unit_id}"),
        post_id: post_id.into(),
        title: format!("岗位{post_id}"),
        category,
        leadership_level: None,
        heads_unit: false,
        reports_to: None,
        open: true,
        hot_limit_years: None,
        business_facing: false,
    }
}

pub fn leader(unit_id: &str, post_id: &str, level: LeadershipLevel) -> PostFact {
    PostFact {
        leadership_level: Some(level),
        heads_unit: true,
        ..post(unit_id, post_id, PostCategory::General)
    }
}

pub fn appoint(cadre_id: &str, unit_id: &str, post_id: &str) -> cadre::Appoint {
    cadre::Appoint {
        cadre_id: cadre_id.into(),
        unit_id: unit_id.into(),
        post_id: post_id.into(),
        manner: AppointmentManner::Commission,
        reason: AppointmentReason::WorkNeeds,
        change_category: ChangeCategory::New,
        status: AppointmentStatus::Serving,
        nominated_by: "区委组织部".into(),
        approved_by: "区委".into(),
        decided_on: d(2025, 6, 20),
        document_number: "泰姜委〔2025〕12号".into(),
        probation_until: None,
    }
}

pub fn appointed(cadre_id: &str, post: &PostFact, on: NaiveDate) -> E {
    E::Appointed(cadre::Appointed {
        cadre_id: cadre_id.into(),
        unit_id: post.unit_id.clone(),
        unit_name: post.unit_name.clone(),
        post_id: post.post_id.clone(),
        post_title: post.title.clone(),
        category: post.category,
        leadership_level: post.leadership_level,
        heads_unit: post.heads_unit,
        manner: AppointmentManner::Commission,
        reason: AppointmentReason::WorkNeeds,
        change_category: ChangeCategory::New,
        status: AppointmentStatus::Serving,
        nominated_by: "区委组织部".into(),
        approved_by: "区委".into(),
        decided_on: on,
        effective_on: on,
        document_number: "泰姜委〔2015〕3号".into(),
        probation_until: None,
    })
}

/// The unit 区发改委 (`u-fgw`) as a grade batch's facts name it.
pub fn fgw() -> cadre::UnitFact {
    cadre::UnitFact {
        unit_id: "u-fgw".into(),
        name: "区发改委".into(),
    }
}

/// u-fgw's 2024 annual batch grading `c<i>` each as given, on `basis`.
pub fn fgw_batch(
    grades: &[(usize, Option<Grade>)],
    basis: Option<&str>,
) -> dossier_domain::assessment::Command {
    use dossier_domain::assessment::{self, Command, GradeEntry};
    Command::RecordGrades {
        key: assessment::stream_key("u-fgw", 2024),
        unit_id: "u-fgw".into(),
        year: 2024,
        category: AssessmentCategory::Annual,
        entries: grades
            .iter()
            .map(|(i, g)| GradeEntry {
                cadre_id: format!("c{i}"),
                grade: *g,
                evaluation_id: None,
            })
            .collect(),
        basis: basis.map(str::to_owned),
    }
}
