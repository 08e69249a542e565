//! Stream kind `cadre` (`cadre-<id>`): one cadre's registration, family, posts (任免), rank, grades, awards,
//! sanctions, admonitions, investigations, public notices, probation, secondment, rotation and dismissal.
//! This file holds the facts a decision needs, the checks every procedure shares and the dispatch
//! of each command to the file of its procedure.

mod awards;
mod commands;
mod consequences;
mod discipline;
mod down;
mod evaluation;
mod events;
mod grades;
mod notices;
mod particulars;
mod posts;
mod rank;
mod registration;
mod secondment;
mod state;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use commands::*;
pub use consequences::{DismissalCase, DismissalCaseClosed, DismissalDecided, RankLoweringPending};
pub use down::check_down;
pub use evaluation::{
    EvaluationRecord, EvaluationRecorded, Evaluator, RecordEvaluation, SCORE_MAX, Scores, TaskKind,
    check_cited,
};
pub use events::*;
pub use grades::{check_grade, check_in_unit, grade_consequences, in_unit_for_year};
pub use particulars::*;
pub use state::*;

use crate::{
    aggregate,
    avoidance::RelativeFact,
    context::{Context, ORG, SUPERVISORS},
    error::DomainError,
    unit::PostFact,
};

/// The unit a registration names, when it exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitFact {
    pub unit_id: String,
    pub name: String,
}

/// Facts from other streams a cadre decision may need, loaded by the application.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// The unit named by `Register` (from its unit stream), if registered.
    pub unit: Option<UnitFact>,
    /// The post named by `Appoint` / `Rotate` / `Remove` (from its unit stream), if it exists
    /// (for `Remove` only to name it in a refusal).
    pub post: Option<PostFact>,
    /// Relatives on either side of the family record, with the posts they hold.
    pub relatives: Vec<RelativeFact>,
    /// For `Register`: the cadre already registered with the same ID number, if any.
    #[serde(default)]
    pub id_number_holder: Option<String>,
    /// For `Appoint`, `Rotate` and `CarryOutDown`: the cadres holding the post `Facts::post`
    /// now (a leadership post held by someone else is refused, `POST_TAKEN`).
    #[serde(default)]
    pub post_holders: Vec<String>,
    /// For `Appoint`, `Rotate` and `CarryOutDown`: the quota (职数) in force for the post's unit,
    /// with its filled posts
    /// (`None` when the unit has no published quota).
    #[serde(default)]
    pub post_quota: Option<crate::staffing::QuotaFact>,
    /// For `Appoint`, `Rotate` and `CarryOutDown` dated before today: the post's unit's leadership
    /// posts held over time and its quota versions, so that the move is judged on every date from
    /// its effective date to today (`None`: judged on today's holders and places only).
    #[serde(default)]
    pub unit_history: Option<crate::staffing::UnitHistory>,
    /// For `PromoteRank` citing a quota year: that year's front-line quota as it concerns the cadre.
    #[serde(default)]
    pub quota_allocation: Option<crate::quota::AllocationFact>,
    /// For `PromoteRank`: the training hours credited to the cadre by calendar year (`None`
    /// when not loaded: the promotion then decides no make-up).
    #[serde(default)]
    pub training_hours: Option<Vec<(i32, f64)>>,
    /// For `PromoteRank`: the sessions on or after the promotion's effective date already
    /// credited (date, hours), for a promotion recorded after them: they count toward its make-up.
    #[serde(default)]
    pub training_since: Option<Vec<(NaiveDate, f64)>>,
}

/// The `cadre` aggregate.
pub struct Aggregate;

fn required(value: &str, code: &'static str, what: &str) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        Err(DomainError::invalid(code, format!("{what}不能为空")))
    } else {
        Ok(())
    }
}

fn not_future(date: NaiveDate, ctx: &Context<'_>, what: &str) -> Result<(), DomainError> {
    if date > ctx.today {
        Err(DomainError::invalid(
            "DATE_IN_FUTURE",
            format!(
                "{what} {date} 晚于今天 {}, 不能登记尚未发生的事项",
                ctx.today
            ),
        ))
    } else {
        Ok(())
    }
}

/// The effective date, which must not lie in the future (the fact has happened).
fn happened(ctx: &Context<'_>, what: &str) -> Result<NaiveDate, DomainError> {
    not_future(ctx.effective, ctx, what)?;
    Ok(ctx.effective)
}

/// A fact about the cadre dated before their birth is refused (`DATE_BEFORE_BIRTH`).
fn not_before_birth(state: &State, on: NaiveDate, what: &str) -> Result<(), DomainError> {
    match state.birth_date.filter(|born| on < *born) {
        Some(born) => Err(DomainError::invalid(
            "DATE_BEFORE_BIRTH",
            format!("{what} {on} 早于 {} 的出生日期 {born}", state.who()),
        )),
        None => Ok(()),
    }
}

fn duplicate(code: &'static str, what: &str, id: &str) -> DomainError {
    DomainError::refused(code, format!("{what} {id} 已登记, 不能重复登记"))
}

fn decide(
    state: &State,
    command: &Command,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let supervision = matches!(
        command,
        Command::ImposeSanction { .. }
            | Command::IssueAdmonition { .. }
            | Command::OpenInvestigation { .. }
            | Command::CloseInvestigation { .. }
    );
    ctx.require_role(
        if supervision { SUPERVISORS } else { ORG },
        command.action(),
    )?;
    if let Command::Register(c) = command {
        return registration::register(state, c, ctx, facts);
    }
    if !state.registered {
        return Err(DomainError::not_found(
            "CADRE_NOT_FOUND",
            format!("干部「{}」尚未登记", command.cadre_id()),
        ));
    }
    match command {
        Command::Register(_) => Ok(vec![]),
        Command::AddFamilyMember(c) => registration::add_family_member(state, c, ctx),
        Command::CarryOutDown(c) => down::carry_out(state, c, ctx, facts),
        Command::RecordParticulars(c) => particulars::record(state, c, ctx),
        Command::RecordEvaluation(c) => evaluation::record(state, c, ctx),
        Command::RemoveFamilyMember {
            member_id, reason, ..
        } => registration::remove_family_member(state, member_id, reason, ctx),
        Command::Appoint(c) => posts::appoint(state, c, ctx, facts),
        Command::Remove(c) => posts::remove(state, c, ctx, facts),
        Command::Rotate(c) => posts::rotate(state, c, ctx, facts),
        Command::ChangeLeadershipLevel {
            level,
            document_number,
            ..
        } => posts::change_leadership_level(state, *level, document_number, ctx),
        Command::PromoteRank {
            to,
            document_number,
            approved_by,
            quota_year,
            ..
        } => rank::promote_rank(
            state,
            *to,
            document_number,
            approved_by,
            *quota_year,
            ctx,
            facts,
        ),
        Command::LowerRank {
            reason,
            document_number,
            ..
        } => {
            let on = happened(ctx, "降级日期")?;
            consequences::lower_rank(state, on, reason, document_number.as_deref())
        }
        Command::OpenDismissalCase {
            case_id, reason, ..
        } => {
            let on = happened(ctx, "辞退立案日期")?;
            consequences::open(state, case_id, reason, on)
        }
        Command::DecideDismissal {
            case_id,
            dismissed,
            document_number,
            reasons,
            ..
        } => {
            let on = happened(ctx, "辞退决定日期")?;
            consequences::decide(
                state,
                case_id,
                *dismissed,
                document_number.as_deref(),
                reasons,
                on,
            )
        }
        Command::CloseDismissalCase { case_id, note, .. } => {
            let on = happened(ctx, "结案日期")?;
            consequences::close(state, case_id, note, on)
        }
        Command::RecordGrade {
            unit_id,
            year,
            grade,
            category,
            basis,
            evaluation_id,
            ..
        } => grades::record_grade(
            state,
            (unit_id, *year, *grade, *category, basis, evaluation_id),
            ctx,
        ),
        Command::GrantAward {
            award_id,
            kind,
            title,
            year,
            basis,
            source,
            evaluation_id,
            ..
        } => awards::grant_award(
            state,
            (award_id, *kind, title, *year, basis, source, evaluation_id),
            ctx,
        ),
        Command::RevokeAward {
            award_id, reason, ..
        } => awards::revoke_award(state, award_id, reason, ctx),
        Command::ImposeSanction {
            sanction_id,
            kind,
            reason,
            decided_by,
            document_number,
            ..
        } => discipline::impose_sanction(
            state,
            sanction_id,
            *kind,
            reason,
            decided_by,
            document_number,
            ctx,
        ),
        Command::IssueAdmonition {
            admonition_id,
            reason,
            improve_months,
            ..
        } => discipline::issue_admonition(state, admonition_id, reason, *improve_months, ctx),
        Command::OpenInvestigation {
            case_id,
            authority,
            reason,
            ..
        } => discipline::open_investigation(state, case_id, authority, reason, ctx),
        Command::CloseInvestigation {
            case_id, outcome, ..
        } => discipline::close_investigation(state, case_id, outcome, ctx),
        Command::StartPublicNotice {
            notice_id,
            purpose,
            target_rank,
            ends_on,
            ..
        } => notices::start_public_notice(state, notice_id, purpose, *target_rank, *ends_on, ctx),
        Command::EndPublicNotice {
            notice_id,
            objection_upheld,
            note,
            ..
        } => notices::end_public_notice(state, notice_id, *objection_upheld, note, ctx),
        Command::StartProbation {
            post_id, ends_on, ..
        } => posts::start_probation(state, post_id, *ends_on, ctx),
        Command::EndProbation { passed, .. } => posts::end_probation(state, *passed, ctx),
        Command::StartSecondment {
            secondment_id,
            host_unit,
            host_post,
            ends_on,
            document_number,
            ..
        } => secondment::start_secondment(
            state,
            secondment_id,
            host_unit,
            host_post,
            *ends_on,
            document_number,
            ctx,
        ),
        Command::EndSecondment { secondment_id, .. } => {
            secondment::end_secondment(state, secondment_id, ctx)
        }
    }
}

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "cadre";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Facts;

    fn id_of(command: &Command) -> &str {
        command.cadre_id()
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        facts: &Facts,
    ) -> Result<Vec<Event>, DomainError> {
        decide(state, command, ctx, facts)
    }

    fn evolve(state: &mut State, event: &Event) {
        state.apply(event);
    }
}
