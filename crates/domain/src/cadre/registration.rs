//! 干部登记 (checked against the ID number) and the family record (家庭成员) a cadre carries.

use super::{
    AddFamilyMember, Event, Facts, FamilyMemberAdded, FamilyMemberRemoved, Register, Registered,
    State, duplicate, happened, not_future, required,
};
use crate::{context::Context, error::DomainError, idcard};

pub(super) fn register(
    state: &State,
    c: &Register,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    if state.registered {
        return Err(DomainError::refused(
            "CADRE_ALREADY_REGISTERED",
            format!("干部「{}（{}）」已登记", state.name, c.cadre_id),
        ));
    }
    required(&c.cadre_id, "CADRE_ID_REQUIRED", "干部编号")?;
    happened(ctx, "登记日期")?;
    required(&c.name, "CADRE_NAME_REQUIRED", "姓名")?;
    if c.name.trim().chars().count() > 40 {
        return Err(DomainError::invalid(
            "CADRE_NAME_TOO_LONG",
            "姓名不能超过 40 个字",
        ));
    }
    let id = idcard::parse(&c.id_number)?;
    if let Some(holder) = facts
        .id_number_holder
        .as_deref()
        .filter(|h| *h != c.cadre_id)
    {
        return Err(DomainError::refused(
            "ID_NUMBER_ALREADY_REGISTERED",
            format!(
                "身份证号 {} 已登记为干部 {holder}, 同一人不能重复登记",
                id.number
            ),
        ));
    }
    if let Some(birth) = c.birth_date.filter(|b| *b != id.birth_date) {
        return Err(DomainError::invalid(
            "ID_NUMBER_BIRTH_MISMATCH",
            format!(
                "出生日期 {birth} 与身份证号中的出生日期 {} 不一致",
                id.birth_date
            ),
        ));
    }
    if let Some(gender) = c.gender.filter(|g| *g != id.gender) {
        return Err(DomainError::invalid(
            "ID_NUMBER_GENDER_MISMATCH",
            format!(
                "性别“{}”与身份证号所示性别“{}”不一致",
                gender.zh(),
                id.gender.zh()
            ),
        ));
    }
    not_future(id.birth_date, ctx, "出生日期")?;
    let unit = facts
        .unit
        .as_ref()
        .filter(|u| u.unit_id == c.unit_id)
        .ok_or_else(|| {
            DomainError::not_found("UNIT_NOT_FOUND", format!("单位 {} 尚未登记", c.unit_id))
        })?;
    if c.rank.is_some() != c.rank_since.is_some() {
        return Err(DomainError::invalid(
            "RANK_SINCE_REQUIRED",
            "职级与任现职级时间须同时填写",
        ));
    }
    if c.leadership_level.is_some() != c.level_since.is_some() {
        return Err(DomainError::invalid(
            "LEVEL_SINCE_REQUIRED",
            "职务层次与任该层次时间须同时填写",
        ));
    }
    for (date, what) in [
        (c.rank_since, "任现职级时间"),
        (c.level_since, "任现职务层次时间"),
        (c.joined_work_on, "参加工作时间"),
    ] {
        if let Some(date) = date {
            not_future(date, ctx, what)?;
            if date <= id.birth_date {
                return Err(DomainError::invalid(
                    "DATE_BEFORE_BIRTH",
                    format!("{what} {date} 早于出生日期 {}", id.birth_date),
                ));
            }
        }
    }
    // The rank and the level are held from a date the registration states: not a later one.
    for (date, what, code) in [
        (
            c.rank_since,
            "任现职级时间",
            "RANK_SINCE_AFTER_REGISTRATION",
        ),
        (
            c.level_since,
            "任现职务层次时间",
            "LEVEL_SINCE_AFTER_REGISTRATION",
        ),
    ] {
        if let Some(date) = date.filter(|d| *d > ctx.effective) {
            return Err(DomainError::invalid(
                code,
                format!(
                    "{what} {date} 晚于登记生效日期 {}: 登记时所任的职级与职务层次须在登记之日已经担任",
                    ctx.effective
                ),
            ));
        }
    }
    Ok(vec![Event::Registered(Registered {
        cadre_id: c.cadre_id.clone(),
        name: c.name.trim().to_owned(),
        id_number: id.number,
        gender: id.gender,
        birth_date: id.birth_date,
        ethnicity: c
            .ethnicity
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(String::from),
        unit_id: unit.unit_id.clone(),
        rank: c.rank,
        rank_since: c.rank_since,
        leadership_level: c.leadership_level,
        level_since: c.level_since,
        joined_work_on: c.joined_work_on,
        registered_on: ctx.effective,
    })])
}

pub(super) fn add_family_member(
    state: &State,
    c: &AddFamilyMember,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    required(&c.member_id, "FAMILY_MEMBER_ID_REQUIRED", "家庭成员编号")?;
    required(&c.name, "FAMILY_MEMBER_NAME_REQUIRED", "家庭成员姓名")?;
    required(&c.appellation, "FAMILY_MEMBER_APPELLATION_REQUIRED", "称谓")?;
    if state.family.iter().any(|m| m.member_id == c.member_id) {
        return Err(duplicate("FAMILY_MEMBER_EXISTS", "家庭成员", &c.member_id));
    }
    if c.relative_cadre_id.as_deref() == Some(state.cadre_id.as_str()) {
        return Err(DomainError::invalid(
            "FAMILY_MEMBER_SELF",
            "家庭成员不能是本人",
        ));
    }
    let id_number = match c
        .id_number
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(number) => {
            let id = idcard::parse(number)?;
            if let Some(birth) = c.birth_date.filter(|b| *b != id.birth_date) {
                return Err(DomainError::invalid(
                    "ID_NUMBER_BIRTH_MISMATCH",
                    format!(
                        "出生日期 {birth} 与身份证号中的出生日期 {} 不一致",
                        id.birth_date
                    ),
                ));
            }
            Some(id.number)
        }
        None => None,
    };
    if let Some(birth) = c.birth_date {
        not_future(birth, ctx, "家庭成员出生日期")?;
    }
    Ok(vec![Event::FamilyMemberAdded(FamilyMemberAdded {
        cadre_id: state.cadre_id.clone(),
        member_id: c.member_id.clone(),
        relation: c.relation,
        appellation: c.appellation.trim().to_owned(),
        name: c.name.trim().to_owned(),
        birth_date: c.birth_date.or_else(|| {
            id_number
                .as_deref()
                .and_then(|n| idcard::parse(n).ok())
                .map(|i| i.birth_date)
        }),
        id_number,
        political_status: c.political_status.clone(),
        work_unit_and_post: c.work_unit_and_post.clone(),
        relative_cadre_id: c.relative_cadre_id.clone(),
    })])
}

pub(super) fn remove_family_member(
    state: &State,
    member_id: &str,
    reason: &str,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, DomainError> {
    if !state.family.iter().any(|m| m.member_id == member_id) {
        return Err(DomainError::not_found(
            "FAMILY_MEMBER_NOT_FOUND",
            format!("没有家庭成员 {member_id}"),
        ));
    }
    required(reason, "FAMILY_MEMBER_REMOVAL_REASON_REQUIRED", "删除理由")?;
    Ok(vec![Event::FamilyMemberRemoved(FamilyMemberRemoved {
        cadre_id: state.cadre_id.clone(),
        member_id: member_id.to_owned(),
        reason: reason.trim().to_owned(),
        removed_on: ctx.effective,
    })])
}
