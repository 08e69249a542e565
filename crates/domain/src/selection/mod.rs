//! Stream kind `selection` (`selection-<case id>`, 选任纪实): a selection case from 动议 through 民主推荐, 考察, 廉政意见,
//! 讨论决定 and 任前公示 to 任职 and the 试用期, every step an event; out-of-order steps and unmet thresholds are refused.

mod commands;
mod events;
mod obstacles;
mod state;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

pub use commands::*;
pub use events::*;
pub use obstacles::promotion_obstacles;
pub use state::{Candidate, Objection, Stage, State};

use crate::{
    aggregate, cadre,
    codes::{AppointmentReason, AppointmentStatus, ChangeCategory, RemovalReason},
    context::{Context, ORG, Role},
    dates,
    error::DomainError,
    practice,
    staffing::{QuotaFact, Tier},
    unit::{self, PostFact, PostRef},
};

/// Facts from other streams a selection decision reads, loaded by the application.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The records of the cadres the command names (`Command::cadre_ids`).
    pub cadres: BTreeMap<String, cadre::State>,
    /// The case unit's name, when the unit is registered.
    pub unit_name: Option<String>,
    /// The posts the command names in the case's unit, with the cadres holding each now.
    pub posts: Vec<(PostFact, Vec<String>)>,
    /// The unit's quota in force on the effective date, with its filled posts.
    pub quota: Option<QuotaFact>,
}

impl Facts {
    fn cadre(&self, cadre_id: &str) -> Result<&cadre::State, DomainError> {
        self.cadres.get(cadre_id).ok_or_else(|| {
            DomainError::not_found(
                "CADRE_NOT_FOUND",
                format!("干部「{cadre_id}」不存在或已不在册"),
            )
        })
    }

    fn post(
        &self,
        unit_id: &str,
        post_id: &str,
        cadre_id: &str,
        action: &str,
    ) -> Result<&PostFact, DomainError> {
        let found = self
            .posts
            .iter()
            .find(|(p, _)| p.unit_id == unit_id && p.post_id == post_id);
        let target = PostRef {
            unit_id: unit_id.to_owned(),
            post_id: post_id.to_owned(),
        };
        let holders = found.map(|(_, h)| h.as_slice()).unwrap_or(&[]);
        unit::vacant_post(&target, found.map(|(p, _)| p), holders, cadre_id, action)
    }
}

/// The `selection` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "selection";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Facts;

    fn id_of(command: &Command) -> &str {
        command.case_id()
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        facts: &Facts,
    ) -> Result<Vec<Event>, DomainError> {
        if let Command::Move(c) = command {
            return move_case(state, c, ctx, facts);
        }
        let case_id = command.case_id().to_owned();
        let stage = open_case(state, &case_id)?;
        ctx.require_role(ORG, "选任程序")?;
        let on = ctx.effective;
        practice::not_future(on, ctx, "办理日期")?;
        if let Some(last) = state.last_step_on {
            practice::not_before(on, last, "本环节", "上一环节")?;
        }
        if !matches!(command, Command::Archive { .. }) {
            not_cancelled(state)?;
        }
        let paused_ok = matches!(command, Command::Resume { .. } | Command::Cancel { .. });
        if let Some(reason) = &state.paused
            && !paused_ok
        {
            return Err(DomainError::refused(
                "SELECTION_PAUSED",
                format!("选任案件「{case_id}」已暂停 ({reason}), 恢复后方可继续办理"),
            ));
        }
        match command {
            Command::Move(_) => unreachable_move(),
            Command::Recommend(c) => recommend(state, c, ctx, stage),
            Command::Inspect(c) => inspect(state, c, ctx, facts, stage),
            Command::RequestIntegrity(c) => {
                expect(
                    stage,
                    &[Stage::Inspection, Stage::Integrity],
                    Stage::Integrity,
                )?;
                record_ok(&c.record)?;
                if c.cadre_ids.is_empty() {
                    return Err(DomainError::invalid(
                        "EMPTY_FIELD",
                        "「征求意见的人选」不能为空",
                    ));
                }
                practice::no_duplicates(&c.cadre_ids, "征求意见的人选", Clone::clone)?;
                for id in &c.cadre_ids {
                    let cand = active(state, id)?;
                    if !cand.inspected {
                        return Err(missing_step(id, Stage::Inspection, Stage::Integrity));
                    }
                }
                Ok(vec![Event::IntegrityRequested(IntegrityRequested {
                    case_id,
                    cadre_ids: c.cadre_ids.clone(),
                    requested_on: on,
                    record: c.record.clone(),
                })])
            }
            Command::ReplyIntegrity(c) => reply_integrity(state, c, ctx, facts, stage),
            Command::Decide(c) => decide_meeting(state, c, ctx, stage),
            Command::StartNotice(c) => start_notice(state, c, ctx, stage),
            Command::ReceiveObjection(c) => {
                expect(stage, &[Stage::Notice], Stage::Notice)?;
                practice::non_empty(&c.objection_id, "反映编号")?;
                practice::non_empty(&c.summary, "反映内容")?;
                if state.objections.contains_key(&c.objection_id) {
                    return Err(practice::already_exists(
                        "SELECTION_OBJECTION_EXISTS",
                        "公示期间反映",
                        &c.objection_id,
                    ));
                }
                let cand = active(state, &c.cadre_id)?;
                if cand.decided_post.is_none() {
                    return Err(DomainError::refused(
                        "SELECTION_NOT_A_CANDIDATE",
                        format!("干部「{}」不在本案公示名单中", c.cadre_id),
                    ));
                }
                Ok(vec![Event::ObjectionReceived(ObjectionReceived {
                    case_id,
                    objection_id: c.objection_id.clone(),
                    cadre_id: c.cadre_id.clone(),
                    summary: c.summary.trim().to_owned(),
                    received_on: on,
                })])
            }
            Command::HandleObjection(c) => {
                expect(stage, &[Stage::Notice], Stage::Notice)?;
                practice::non_empty(&c.handling, "核查处理情况")?;
                let objection = state.objections.get(&c.objection_id).ok_or_else(|| {
                    practice::not_started(
                        "SELECTION_OBJECTION_NOT_FOUND",
                        "公示期间反映",
                        &c.objection_id,
                    )
                })?;
                if objection.handled {
                    return Err(DomainError::refused(
                        "SELECTION_OBJECTION_HANDLED",
                        format!("公示期间反映「{}」已核查处理", c.objection_id),
                    ));
                }
                let mut out = vec![Event::ObjectionHandled(ObjectionHandled {
                    case_id: case_id.clone(),
                    objection_id: c.objection_id.clone(),
                    cadre_id: objection.cadre_id.clone(),
                    finding: c.finding,
                    handling: c.handling.trim().to_owned(),
                    handled_on: on,
                })];
                if c.finding == Finding::Upheld {
                    out.push(Event::CandidateStopped(CandidateStopped {
                        case_id,
                        cadre_id: objection.cadre_id.clone(),
                        code: "SELECTION_OBJECTION_UPHELD".into(),
                        reason: format!("公示期间反映的问题经核查属实: {}", c.handling.trim()),
                        stopped_on: on,
                    }));
                }
                Ok(out)
            }
            Command::EndNotice(_) => end_notice(state, ctx, stage),
            Command::Appoint(c) => appoint(state, c, ctx, facts, stage),
            Command::ConfirmProbation {
                cadre_id, document, ..
            } => {
                let (cand, until) = on_probation(state, cadre_id, stage)?;
                if on < until {
                    return Err(DomainError::refused(
                        "SELECTION_PROBATION_RUNNING",
                        format!(
                            "试用期满转正被拒绝: 干部「{}」试用期至 {until} 届满, {on} 尚未期满",
                            cand.cadre_id
                        ),
                    ));
                }
                Ok(vec![Event::ProbationConfirmed(ProbationConfirmed {
                    case_id,
                    cadre_id: cadre_id.clone(),
                    confirmed_on: on,
                    document: trimmed(document.as_deref()),
                })])
            }
            Command::FailProbation {
                cadre_id,
                reason,
                document,
                ..
            } => {
                on_probation(state, cadre_id, stage)?;
                practice::non_empty(reason, "试用期不合格的理由")?;
                Ok(vec![Event::ProbationFailed(ProbationFailed {
                    case_id,
                    cadre_id: cadre_id.clone(),
                    reason: reason.trim().to_owned(),
                    ended_on: on,
                    document: trimmed(document.as_deref()),
                })])
            }
            Command::Pause { reason, .. } => {
                if state.paused.is_some() {
                    return Err(DomainError::refused(
                        "SELECTION_PAUSED",
                        format!("选任案件「{case_id}」已暂停"),
                    ));
                }
                not_appointed(stage, "暂停")?;
                practice::non_empty(reason, "暂停理由")?;
                Ok(vec![Event::Paused(Paused {
                    case_id,
                    reason: reason.trim().to_owned(),
                    paused_on: on,
                })])
            }
            Command::Resume { .. } => {
                if state.paused.is_none() {
                    return Err(DomainError::refused(
                        "SELECTION_NOT_PAUSED",
                        format!("选任案件「{case_id}」未暂停, 无需恢复"),
                    ));
                }
                Ok(vec![Event::Resumed(Resumed {
                    case_id,
                    resumed_on: on,
                })])
            }
            Command::Cancel { reason, .. } => {
                not_appointed(stage, "终止")?;
                practice::non_empty(reason, "终止理由")?;
                Ok(vec![Event::Cancelled(Cancelled {
                    case_id,
                    reason: reason.trim().to_owned(),
                    cancelled_on: on,
                })])
            }
            Command::Archive { .. } => {
                unreachable_archive_guard(state, stage)?;
                Ok(vec![Event::Archived(Archived {
                    case_id,
                    archived_on: on,
                })])
            }
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        state.apply(event);
    }
}

fn unreachable_move() -> Result<Vec<Event>, DomainError> {
    Err(DomainError::refused(
        "SELECTION_EXISTS",
        "选任案件已动议, 不能重复动议",
    ))
}

fn trimmed(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// `DUPLICATE_ENTRY` when the same key appears twice.
fn unique_keys<'k>(keys: impl Iterator<Item = &'k String>, field: &str) -> Result<(), DomainError> {
    let keys: Vec<&String> = keys.collect();
    practice::no_duplicates(&keys, field, |k| (*k).clone())
}

fn record_ok(record: &Record) -> Result<(), DomainError> {
    practice::non_empty(&record.body, "办理机构")?;
    practice::no_duplicates(&record.attachments, "附件", Clone::clone)
}

/// The case exists and is still open (cancelled cases take only an archive).
fn open_case(state: &State, case_id: &str) -> Result<Stage, DomainError> {
    let stage = state
        .stage
        .ok_or_else(|| practice::not_started("SELECTION_NOT_FOUND", "选任案件", case_id))?;
    if state.archived {
        return Err(DomainError::refused(
            "SELECTION_ARCHIVED",
            format!("选任案件「{case_id}」已归档, 不能再办理"),
        ));
    }
    Ok(stage)
}

/// `SELECTION_CANCELLED` for any step of a cancelled case.
fn not_cancelled(state: &State) -> Result<(), DomainError> {
    match &state.cancelled {
        Some(reason) => Err(DomainError::refused(
            "SELECTION_CANCELLED",
            format!("选任案件已终止 ({reason}), 不能再办理"),
        )),
        None => Ok(()),
    }
}

fn not_appointed(stage: Stage, action: &str) -> Result<(), DomainError> {
    if stage == Stage::Appointed {
        return Err(DomainError::refused(
            "SELECTION_ALREADY_APPOINTED",
            format!("{action}被拒绝: 选任案件已任职"),
        ));
    }
    Ok(())
}

fn unreachable_archive_guard(state: &State, stage: Stage) -> Result<(), DomainError> {
    if state.cancelled.is_some() {
        return Ok(());
    }
    if stage != Stage::Appointed {
        return Err(DomainError::refused(
            "SELECTION_NOT_FINISHED",
            format!(
                "归档被拒绝: 选任案件当前环节为「{}」, 须任职或终止后方可归档",
                stage.zh()
            ),
        ));
    }
    if let Some(c) = state
        .candidates
        .values()
        .find(|c| c.probation_until.is_some() && !c.probation_resolved)
    {
        return Err(DomainError::refused(
            "SELECTION_PROBATION_OPEN",
            format!(
                "归档被拒绝: 干部「{}」试用期 (至 {}) 尚未转正或结束",
                c.cadre_id,
                c.probation_until.map(|d| d.to_string()).unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// The step `wanted` may be taken in one of `allowed` stages; otherwise `SELECTION_STEP_OUT_OF_ORDER`
/// naming the step that is missing or already past.
fn expect(current: Stage, allowed: &[Stage], wanted: Stage) -> Result<(), DomainError> {
    if allowed.contains(&current) {
        return Ok(());
    }
    let first = allowed.iter().min().copied().unwrap_or(wanted);
    let message = if current < first {
        let missing = Stage::ALL
            .iter()
            .copied()
            .find(|s| *s > current)
            .unwrap_or(first);
        format!(
            "选任程序被拒绝: 当前环节为「{}」, 尚未进行「{}」, 不能进行「{}」",
            current.zh(),
            missing.zh(),
            wanted.zh()
        )
    } else {
        format!(
            "选任程序被拒绝: 当前环节为「{}」, 「{}」已结束, 程序不能回退",
            current.zh(),
            wanted.zh()
        )
    };
    Err(DomainError::refused("SELECTION_STEP_OUT_OF_ORDER", message))
}

fn missing_step(cadre_id: &str, missing: Stage, wanted: Stage) -> DomainError {
    DomainError::refused(
        "SELECTION_STEP_MISSING",
        format!(
            "选任程序被拒绝: 干部「{cadre_id}」尚未「{}」, 不能「{}」",
            missing.zh(),
            wanted.zh()
        ),
    )
}

/// A candidate the case still runs for.
fn active<'s>(state: &'s State, cadre_id: &str) -> Result<&'s Candidate, DomainError> {
    let cand = state.candidates.get(cadre_id).ok_or_else(|| {
        DomainError::refused(
            "SELECTION_NOT_A_CANDIDATE",
            format!("干部「{cadre_id}」不是本案的人选"),
        )
    })?;
    if let Some(code) = &cand.stopped {
        return Err(DomainError::refused(
            "SELECTION_CANDIDATE_STOPPED",
            format!("干部「{cadre_id}」的选任程序已终止 ({code})"),
        ));
    }
    Ok(cand)
}

fn on_probation<'s>(
    state: &'s State,
    cadre_id: &str,
    stage: Stage,
) -> Result<(&'s Candidate, NaiveDate), DomainError> {
    expect(stage, &[Stage::Appointed], Stage::Appointed)?;
    let cand = state.candidates.get(cadre_id);
    match cand.and_then(|c| c.probation_until.map(|u| (c, u))) {
        Some((c, _)) if c.probation_resolved => Err(DomainError::refused(
            "SELECTION_PROBATION_RESOLVED",
            format!("干部「{cadre_id}」的试用期已转正或结束"),
        )),
        Some(found) => Ok(found),
        None => Err(DomainError::not_found(
            "SELECTION_NO_PROBATION",
            format!("干部「{cadre_id}」在本案中未实行试用期"),
        )),
    }
}

fn move_case(
    state: &State,
    c: &Move,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    if state.stage.is_some() {
        return Err(practice::already_exists(
            "SELECTION_EXISTS",
            "选任案件",
            &c.case_id,
        ));
    }
    ctx.require_role(ORG, "动议")?;
    let on = ctx.effective;
    practice::not_future(on, ctx, "动议日期")?;
    practice::non_empty(&c.case_id, "案件编号")?;
    practice::non_empty(&c.proposer, "动议提出人")?;
    record_ok(&c.record)?;
    let unit_name = facts.unit_name.clone().ok_or_else(|| {
        DomainError::not_found(
            "UNIT_NOT_FOUND",
            format!("动议被拒绝: 单位「{}」不存在", c.unit_id),
        )
    })?;
    if c.post_ids.is_empty() {
        return Err(DomainError::invalid("EMPTY_FIELD", "「拟任职位」不能为空"));
    }
    if c.pool.is_empty() {
        return Err(DomainError::invalid("EMPTY_FIELD", "「人选范围」不能为空"));
    }
    practice::no_duplicates(&c.post_ids, "拟任职位", Clone::clone)?;
    practice::no_duplicates(&c.pool, "人选范围", Clone::clone)?;
    for id in &c.pool {
        facts.cadre(id)?;
    }
    let mut posts = Vec::new();
    for post_id in &c.post_ids {
        let post = facts.post(&c.unit_id, post_id, "", "动议")?;
        let level = post.leadership_level.ok_or_else(|| {
            DomainError::refused(
                "SELECTION_NOT_LEADERSHIP_POST",
                format!(
                    "动议被拒绝: 岗位「{}」不是领导职务, 不经选任程序",
                    post.title
                ),
            )
        })?;
        posts.push(TargetPost {
            post_id: post.post_id.clone(),
            title: post.title.clone(),
            level,
        });
    }
    let quota = facts.quota.as_ref().ok_or_else(|| {
        DomainError::refused(
            "SELECTION_NO_QUOTA",
            format!("动议被拒绝: 单位「{unit_name}」尚未核定领导职数, 无法确认空缺"),
        )
    })?;
    let mut checks = Vec::new();
    let mut exception = None;
    for tier in Tier::ALL {
        let filling = posts.iter().filter(|p| Tier::of(p.level) == tier).count() as u32;
        if filling == 0 {
            continue;
        }
        if let Some(approval) = quota.check(tier, filling, c.quota_exception.as_deref(), "动议")?
        {
            exception = Some(approval);
        }
        checks.push(QuotaCheck {
            tier,
            approved: quota.approved(tier),
            filled: quota.filled(tier),
            filling,
        });
    }
    Ok(vec![Event::Moved(Moved {
        case_id: c.case_id.clone(),
        unit_id: c.unit_id.clone(),
        unit_name,
        proposer: c.proposer.trim().to_owned(),
        meeting: c.meeting,
        posts,
        pool: c.pool.clone(),
        quota: checks,
        quota_exception: exception,
        moved_on: on,
        record: c.record.clone(),
    })])
}

fn recommend(
    state: &State,
    c: &Recommend,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(
        stage,
        &[Stage::Motion, Stage::Recommendation],
        Stage::Recommendation,
    )?;
    record_ok(&c.record)?;
    if c.participants == 0 {
        return Err(DomainError::invalid(
            "SELECTION_NO_PARTICIPANTS",
            "民主推荐被拒绝: 参加推荐人数须大于 0",
        ));
    }
    unique_keys(c.votes.iter().map(|v| &v.cadre_id), "得票人选")?;
    practice::no_duplicates(&c.carried_forward, "确定的人选", Clone::clone)?;
    for v in &c.votes {
        if !state.pool.contains(&v.cadre_id) {
            return Err(DomainError::refused(
                "SELECTION_NOT_IN_POOL",
                format!(
                    "民主推荐被拒绝: 干部「{}」不在动议确定的人选范围内",
                    v.cadre_id
                ),
            ));
        }
        if v.votes > c.participants {
            return Err(DomainError::invalid(
                "SELECTION_VOTES_EXCEED_PARTICIPANTS",
                format!(
                    "民主推荐被拒绝: 干部「{}」得 {} 票, 多于参加推荐的 {} 人",
                    v.cadre_id, v.votes, c.participants
                ),
            ));
        }
    }
    for id in &c.carried_forward {
        if !c.votes.iter().any(|v| v.cadre_id == *id && v.votes > 0) {
            return Err(DomainError::refused(
                "SELECTION_NOT_RECOMMENDED",
                format!("民主推荐被拒绝: 干部「{id}」本轮未获推荐票, 不能确定为人选"),
            ));
        }
        if state.rounds > 0 && !state.candidates.get(id).is_some_and(|c| c.carried) {
            return Err(DomainError::refused(
                "SELECTION_NOT_CARRIED",
                format!("民主推荐被拒绝: 干部「{id}」未在上一轮推荐中确定为人选"),
            ));
        }
    }
    let posts = state.posts.len() as u32;
    let sel = &ctx.policy.selection;
    let carried = c.carried_forward.len() as u32;
    let min = posts + sel.min_extra_candidates;
    if carried < min {
        return Err(DomainError::refused(
            "SELECTION_NOT_COMPETITIVE",
            format!(
                "民主推荐被拒绝: 拟任职位 {posts} 个, 确定人选 {carried} 名, 差额须至少 {min} 名"
            ),
        ));
    }
    let max = posts.saturating_mul(sel.max_candidates_per_post);
    if carried > max {
        return Err(DomainError::refused(
            "SELECTION_TOO_MANY_CANDIDATES",
            format!(
                "民主推荐被拒绝: 拟任职位 {posts} 个, 确定人选 {carried} 名, 每个职位至多 {} 名 (共 {max} 名)",
                sel.max_candidates_per_post
            ),
        ));
    }
    Ok(vec![Event::RoundHeld(RoundHeld {
        case_id: c.case_id.clone(),
        round: state.rounds + 1,
        method: c.method,
        participants: c.participants,
        votes: c.votes.clone(),
        carried_forward: c.carried_forward.clone(),
        held_on: ctx.effective,
        record: c.record.clone(),
    })])
}

fn inspect(
    state: &State,
    c: &Inspect,
    ctx: &Context<'_>,
    facts: &Facts,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(
        stage,
        &[Stage::Recommendation, Stage::Inspection],
        Stage::Inspection,
    )?;
    record_ok(&c.record)?;
    let carried = state.candidates.get(&c.cadre_id).is_some_and(|c| c.carried);
    if !carried && state.pool.contains(&c.cadre_id) {
        return Err(missing_step(
            &c.cadre_id,
            Stage::Recommendation,
            Stage::Inspection,
        ));
    }
    let cand = active(state, &c.cadre_id)?;
    if !cand.carried {
        return Err(missing_step(
            &c.cadre_id,
            Stage::Recommendation,
            Stage::Inspection,
        ));
    }
    if cand.inspected {
        return Err(DomainError::refused(
            "SELECTION_ALREADY_INSPECTED",
            format!("干部「{}」已考察", c.cadre_id),
        ));
    }
    if c.team.len() < 2 {
        return Err(DomainError::invalid(
            "SELECTION_TEAM_TOO_SMALL",
            format!("考察被拒绝: 考察组须至少 2 人, 收到 {} 人", c.team.len()),
        ));
    }
    practice::no_duplicates(&c.team, "考察组成员", Clone::clone)?;
    practice::non_empty(&c.report, "考察材料")?;
    if c.interviewed == 0 {
        return Err(DomainError::invalid(
            "SELECTION_NO_INTERVIEWS",
            "考察被拒绝: 个别谈话人数须大于 0",
        ));
    }
    let cadre = facts.cadre(&c.cadre_id)?;
    let on = ctx.effective;
    let grades = ((on.year() - 3)..=on.year())
        .filter_map(|year| {
            cadre
                .grades
                .get(&year)
                .map(|g| GradeEntry { year, grade: *g })
        })
        .collect();
    Ok(vec![Event::Inspected(Inspected {
        case_id: c.case_id.clone(),
        cadre_id: c.cadre_id.clone(),
        cadre_name: cadre.name.clone(),
        team: c.team.iter().map(|t| t.trim().to_owned()).collect(),
        interviewed: c.interviewed,
        report: c.report.trim().to_owned(),
        grades,
        obstacles: promotion_obstacles(cadre, on, ctx.policy),
        inspected_on: on,
        record: c.record.clone(),
    })])
}

fn reply_integrity(
    state: &State,
    c: &ReplyIntegrity,
    ctx: &Context<'_>,
    facts: &Facts,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(stage, &[Stage::Integrity], Stage::Integrity)?;
    record_ok(&c.record)?;
    let cand = active(state, &c.cadre_id)?;
    if !cand.integrity_requested {
        return Err(DomainError::refused(
            "SELECTION_INTEGRITY_NOT_REQUESTED",
            format!(
                "廉政意见被拒绝: 尚未就干部「{}」征求纪委监委意见",
                c.cadre_id
            ),
        ));
    }
    if cand.integrity_clear.is_some() {
        return Err(DomainError::refused(
            "SELECTION_INTEGRITY_REPLIED",
            format!("干部「{}」的廉政意见已回复", c.cadre_id),
        ));
    }
    let on = ctx.effective;
    let cadre = facts.cadre(&c.cadre_id)?;
    let open = cadre
        .investigations_open(on)
        .next()
        .map(|i| i.case_id.clone());
    let mut out = vec![Event::IntegrityReplied(IntegrityReplied {
        case_id: c.case_id.clone(),
        cadre_id: c.cadre_id.clone(),
        verdict: c.verdict,
        open_investigation: open.clone(),
        note: c.note.trim().to_owned(),
        replied_on: on,
        record: c.record.clone(),
    })];
    let stop = match (&open, c.verdict) {
        (Some(case), _) => Some((
            "SELECTION_UNDER_INVESTIGATION",
            format!("正在接受立案审查 (案件 {case}), 选任程序对其终止"),
        )),
        (None, Verdict::Negative) => Some((
            "SELECTION_INTEGRITY_NEGATIVE",
            format!("纪委监委廉政意见认为有影响使用的问题: {}", c.note.trim()),
        )),
        (None, Verdict::Clear) => None,
    };
    if let Some((code, reason)) = stop {
        out.push(Event::CandidateStopped(CandidateStopped {
            case_id: c.case_id.clone(),
            cadre_id: c.cadre_id.clone(),
            code: code.into(),
            reason,
            stopped_on: on,
        }));
    }
    Ok(out)
}

fn decide_meeting(
    state: &State,
    c: &Decide,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(stage, &[Stage::Integrity], Stage::Decision)?;
    record_ok(&c.record)?;
    if c.meeting != MeetingKind::StandingCommittee {
        return Err(DomainError::refused(
            "SELECTION_DECISION_BODY",
            format!(
                "讨论决定被拒绝: 任用须由常委会集体讨论决定, 不能由{}决定",
                c.meeting.zh()
            ),
        ));
    }
    if c.members == 0 || c.present > c.members {
        return Err(DomainError::invalid(
            "SELECTION_ATTENDANCE_INVALID",
            format!(
                "讨论决定被拒绝: 应到 {} 人, 实到 {} 人, 人数不正确",
                c.members, c.present
            ),
        ));
    }
    if c.present.saturating_mul(3) < c.members.saturating_mul(2) {
        return Err(DomainError::refused(
            "SELECTION_QUORUM_NOT_MET",
            format!(
                "讨论决定被拒绝: 应到会成员 {} 人, 实到 {} 人, 不足三分之二, 不得讨论决定干部任免",
                c.members, c.present
            ),
        ));
    }
    if c.votes.is_empty() {
        return Err(DomainError::invalid("EMPTY_FIELD", "「表决结果」不能为空"));
    }
    unique_keys(c.votes.iter().map(|v| &v.cadre_id), "表决人选")?;
    unique_keys(c.votes.iter().map(|v| &v.post_id), "表决职位")?;
    for v in &c.votes {
        if !state.posts.iter().any(|p| p.post_id == v.post_id) {
            return Err(DomainError::refused(
                "SELECTION_POST_NOT_IN_CASE",
                format!(
                    "讨论决定被拒绝: 职位「{}」不在本案动议的拟任职位中",
                    v.post_id
                ),
            ));
        }
        let cand = active(state, &v.cadre_id)?;
        match cand.integrity_clear {
            Some(true) => {}
            _ => return Err(missing_step(&v.cadre_id, Stage::Integrity, Stage::Decision)),
        }
        let cast = v
            .approve
            .saturating_add(v.against)
            .saturating_add(v.abstain);
        if cast > c.present {
            return Err(DomainError::invalid(
                "SELECTION_VOTES_EXCEED_PRESENT",
                format!(
                    "讨论决定被拒绝: 干部「{}」的表决票 {cast} 张, 多于实到 {} 人",
                    v.cadre_id, c.present
                ),
            ));
        }
        if v.approve.saturating_mul(2) <= c.members {
            return Err(DomainError::refused(
                "SELECTION_VOTE_THRESHOLD",
                format!(
                    "讨论决定被拒绝: 干部「{}」同意 {} 票、不同意 {} 票、弃权 {} 票, 同意票未超过应到会成员 {} 人的半数",
                    v.cadre_id, v.approve, v.against, v.abstain, c.members
                ),
            ));
        }
    }
    Ok(vec![Event::Decided(Decided {
        case_id: c.case_id.clone(),
        meeting: c.meeting,
        members: c.members,
        present: c.present,
        votes: c.votes.clone(),
        decided_on: ctx.effective,
        record: c.record.clone(),
    })])
}

fn start_notice(
    state: &State,
    c: &StartNotice,
    ctx: &Context<'_>,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(stage, &[Stage::Decision], Stage::Notice)?;
    record_ok(&c.record)?;
    let starts_on = ctx.effective;
    practice::ordered_range(starts_on, c.ends_on)?;
    let needed = ctx.policy.selection.notice_working_days;
    let days = ctx.policy.calendar.working_days(starts_on, c.ends_on);
    if days < needed {
        let earliest = ctx
            .policy
            .calendar
            .nth_working_day(starts_on, needed)
            .map(|d| format!(", 最早可于 {d} 结束"))
            .unwrap_or_default();
        return Err(DomainError::refused(
            "SELECTION_NOTICE_TOO_SHORT",
            format!(
                "任前公示被拒绝: {starts_on} 至 {} 仅 {days} 个工作日, 须不少于 {needed} 个工作日{earliest}",
                c.ends_on
            ),
        ));
    }
    let cadre_ids: Vec<String> = state
        .active()
        .filter(|c| c.decided_post.is_some())
        .map(|c| c.cadre_id.clone())
        .collect();
    Ok(vec![Event::NoticeStarted(NoticeStarted {
        case_id: c.case_id.clone(),
        cadre_ids,
        starts_on,
        ends_on: c.ends_on,
        working_days: days,
        record: c.record.clone(),
    })])
}

fn end_notice(state: &State, ctx: &Context<'_>, stage: Stage) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(stage, &[Stage::Notice], Stage::NoticeEnded)?;
    let on = ctx.effective;
    let (Some(start), Some(planned)) = (state.notice_started_on, state.notice_ends_on) else {
        return Err(missing_step("", Stage::Notice, Stage::NoticeEnded));
    };
    let needed = ctx.policy.selection.notice_working_days;
    let days = ctx.policy.calendar.working_days(start, on);
    if on < planned || days < needed {
        return Err(DomainError::refused(
            "SELECTION_NOTICE_TOO_SHORT",
            format!(
                "公示结束被拒绝: 公示自 {start} 起, 计划 {planned} 结束, 至 {on} 仅 {days} 个工作日 (须不少于 {needed} 个)"
            ),
        ));
    }
    if let Some((id, _)) = state.objections.iter().find(|(_, o)| !o.handled) {
        return Err(DomainError::refused(
            "SELECTION_OBJECTION_OPEN",
            format!("公示结束被拒绝: 公示期间反映「{id}」尚未核查处理"),
        ));
    }
    Ok(vec![Event::NoticeEnded(NoticeEnded {
        case_id: state.case_id.clone(),
        ended_on: on,
        working_days: days,
    })])
}

fn appoint(
    state: &State,
    c: &Appoint,
    ctx: &Context<'_>,
    facts: &Facts,
    stage: Stage,
) -> Result<Vec<Event>, DomainError> {
    not_cancelled(state)?;
    expect(stage, &[Stage::NoticeEnded], Stage::Appointed)?;
    practice::non_empty(&c.number, "任免文号")?;
    practice::non_empty(&c.issuer, "发文机关")?;
    practice::no_duplicates(&c.attachments, "附件", Clone::clone)?;
    let effective_on = ctx.effective;
    practice::not_future(c.issued_on, ctx, "发文日期")?;
    if c.issued_on > effective_on {
        return Err(DomainError::invalid(
            "APPOINTMENT_DATES_ORDER",
            format!("发文日期 {} 晚于任职日期 {effective_on}", c.issued_on),
        ));
    }
    if let Some(ended) = state.notice_ended_on
        && c.issued_on < ended
    {
        return Err(DomainError::refused(
            "SELECTION_DOCUMENT_BEFORE_NOTICE_END",
            format!(
                "任职被拒绝: 发文日期 {} 早于任前公示期满日期 {ended}",
                c.issued_on
            ),
        ));
    }
    if c.appointments.is_empty() {
        return Err(DomainError::invalid("EMPTY_FIELD", "「任职人员」不能为空"));
    }
    unique_keys(c.appointments.iter().map(|a| &a.cadre_id), "任职人员")?;
    let decided_on = state.decided_on.unwrap_or(effective_on);
    let mut entries = Vec::new();
    for r in &c.removals {
        let cadre = facts.cadre(&r.cadre_id)?;
        let held = cadre
            .holding(&r.post_id)
            .filter(|h| h.unit_id == r.unit_id)
            .ok_or_else(|| {
                DomainError::refused(
                    "POST_NOT_HELD",
                    format!(
                        "任免文件被拒绝: {} 未担任单位 {} 的岗位 {}",
                        cadre.name, r.unit_id, r.post_id
                    ),
                )
            })?;
        entries.push(DocumentEntry {
            cadre_id: r.cadre_id.clone(),
            cadre_name: cadre.name.clone(),
            unit_id: held.unit_id.clone(),
            post_id: held.post_id.clone(),
            post_title: held.title.clone(),
            action: PostAction::Remove { manner: r.manner },
            procedure: r.procedure.trim().to_owned(),
        });
    }
    let mut adding: BTreeMap<Tier, u32> = BTreeMap::new();
    for a in &c.appointments {
        let cand = active(state, &a.cadre_id)?;
        if cand.decided_post.as_deref() != Some(a.post_id.as_str()) {
            return Err(DomainError::refused(
                "SELECTION_NOT_DECIDED",
                format!(
                    "任职被拒绝: 常委会未决定干部「{}」任职位「{}」",
                    a.cadre_id, a.post_id
                ),
            ));
        }
        practice::non_empty(&a.procedure, "任职程序")?;
        let cadre = facts.cadre(&a.cadre_id)?;
        let post = facts.post(&state.unit_id, &a.post_id, &a.cadre_id, "任职")?;
        let level = post.leadership_level;
        let promotion = level.is_some_and(|l| cadre.leadership_level.is_none_or(|c| l > c));
        if let Some(l) = level {
            *adding.entry(Tier::of(l)).or_default() += 1;
        }
        let probation = promotion && a.manner != crate::codes::AppointmentManner::Election;
        let probation_until = probation
            .then(|| dates::add_months(effective_on, ctx.policy.selection.probation_months));
        entries.push(DocumentEntry {
            cadre_id: a.cadre_id.clone(),
            cadre_name: cadre.name.clone(),
            unit_id: post.unit_id.clone(),
            post_id: post.post_id.clone(),
            post_title: post.title.clone(),
            action: PostAction::Appoint {
                manner: a.manner,
                probation_until,
                promotion,
            },
            procedure: a.procedure.trim().to_owned(),
        });
    }
    if let Some(quota) = &facts.quota {
        for (tier, n) in adding {
            // Posts of the case's unit the same document frees count back.
            let freed = c
                .removals
                .iter()
                .filter(|r| r.unit_id == state.unit_id)
                .filter_map(|r| facts.cadres.get(&r.cadre_id)?.holding(&r.post_id))
                .filter(|h| h.leadership_level.map(Tier::of) == Some(tier))
                .count() as u32;
            let mut q = quota.clone();
            match tier {
                Tier::Chief => q.filled_chiefs = q.filled_chiefs.saturating_sub(freed),
                Tier::Deputy => q.filled_deputies = q.filled_deputies.saturating_sub(freed),
            }
            q.check(tier, n, None, "任职")?;
        }
    }
    Ok(vec![Event::Appointed(Appointed {
        case_id: c.case_id.clone(),
        unit_id: state.unit_id.clone(),
        document: AppointmentDocument {
            number: c.number.trim().to_owned(),
            issuer: c.issuer.trim().to_owned(),
            issued_on: c.issued_on,
            effective_on,
            entries,
        },
        decided_on,
        attachments: c.attachments.clone(),
    })])
}

/// The ordinary cadre commands an appointment document is carried out as, grouped by cadre in
/// document order (removals first, so a cadre leaves a post before taking the next): the
/// application decides each group against the cadre's record and appends them with the case's
/// event in one write.
pub fn cadre_commands(event: &Event) -> Vec<(String, Vec<cadre::Command>)> {
    let mut out: Vec<(String, Vec<cadre::Command>)> = Vec::new();
    let mut push = |cadre_id: &str, command: cadre::Command| match out
        .iter_mut()
        .find(|(id, _)| id == cadre_id)
    {
        Some((_, list)) => list.push(command),
        None => out.push((cadre_id.to_owned(), vec![command])),
    };
    match event {
        Event::Appointed(e) => {
            let doc = &e.document;
            for entry in &doc.entries {
                if let PostAction::Remove { manner } = entry.action {
                    push(
                        &entry.cadre_id,
                        cadre::Command::Remove(cadre::Remove {
                            cadre_id: entry.cadre_id.clone(),
                            unit_id: entry.unit_id.clone(),
                            post_id: entry.post_id.clone(),
                            manner,
                            reason: RemovalReason::Promotion,
                            approved_by: doc.issuer.clone(),
                            decided_on: e.decided_on,
                            document_number: doc.number.clone(),
                        }),
                    );
                }
            }
            for entry in &doc.entries {
                if let PostAction::Appoint {
                    manner,
                    probation_until,
                    promotion,
                } = entry.action
                {
                    push(
                        &entry.cadre_id,
                        cadre::Command::Appoint(cadre::Appoint {
                            cadre_id: entry.cadre_id.clone(),
                            unit_id: entry.unit_id.clone(),
                            post_id: entry.post_id.clone(),
                            manner,
                            reason: if promotion {
                                AppointmentReason::Promotion
                            } else {
                                AppointmentReason::WorkNeeds
                            },
                            change_category: if promotion {
                                ChangeCategory::Promoted
                            } else {
                                ChangeCategory::Lateral
                            },
                            status: if probation_until.is_some() {
                                AppointmentStatus::OnProbation
                            } else {
                                AppointmentStatus::Serving
                            },
                            nominated_by: format!("选任案件 {}", e.case_id),
                            approved_by: doc.issuer.clone(),
                            decided_on: e.decided_on,
                            document_number: doc.number.clone(),
                            probation_until,
                        }),
                    );
                }
            }
        }
        Event::ProbationConfirmed(e) => push(
            &e.cadre_id,
            cadre::Command::EndProbation {
                cadre_id: e.cadre_id.clone(),
                passed: true,
            },
        ),
        Event::ProbationFailed(e) => push(
            &e.cadre_id,
            cadre::Command::EndProbation {
                cadre_id: e.cadre_id.clone(),
                passed: false,
            },
        ),
        _ => {}
    }
    out
}

/// Roles that read selection cases.
pub const READERS: &[Role] = &[
    Role::OrgAdmin,
    Role::DisciplineInspector,
    Role::Auditor,
    Role::System,
];

/// What a selection event does to the reserve pool (年轻干部 / 后备干部库): the motion draws the
/// pool's cadres into inspection, the document marks the appointees used, a candidate the case
/// stopped for goes back into the pool. The application applies each to the cadres who have an
/// entry in the pool (others are not in it).
pub fn reserve_marks(event: &Event) -> Vec<(String, crate::reserve::Status)> {
    use crate::reserve::Status;
    match event {
        Event::Moved(m) => m
            .pool
            .iter()
            .map(|c| (c.clone(), Status::UnderInspection))
            .collect(),
        Event::Appointed(a) => a
            .document
            .entries
            .iter()
            .filter(|e| matches!(e.action, PostAction::Appoint { .. }))
            .map(|e| (e.cadre_id.clone(), Status::Used))
            .collect(),
        Event::CandidateStopped(s) => vec![(s.cadre_id.clone(), Status::InPool)],
        _ => Vec::new(),
    }
}
