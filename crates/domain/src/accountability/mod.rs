//! Stream kind `accountability` (问责 / 容错免责): a case about a cadre, the three-distinctions judgement (三个区分开来), and the exemption decision citing its basis.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
    context::{Context, Role},
    error::DomainError,
    practice::{self, Cadres},
    risk, trial_list,
};

/// First distinction: inexperience in pioneering, or knowing violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pioneering {
    /// 因缺乏经验、先行先试出现的失误
    Inexperience,
    /// 明知故犯的违纪违法行为
    KnowingViolation,
}

/// Second distinction: a trial not yet prohibited, or a breach of explicit rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrialRule {
    /// 上级尚无明确限制的探索性试验中的失误
    NotYetProhibited,
    /// 上级明令禁止后依然我行我素的违纪违法行为
    ExplicitViolation,
}

/// Third distinction: unintended for development, or self-serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Motive {
    /// 为推动发展的无意过失
    ForDevelopment,
    /// 为谋取私利的违纪违法行为
    SelfServing,
}

impl Pioneering {
    pub fn zh(self) -> &'static str {
        match self {
            Pioneering::Inexperience => "缺乏经验、先行先试出现的失误",
            Pioneering::KnowingViolation => "明知故犯的违纪违法行为",
        }
    }
}

impl TrialRule {
    pub fn zh(self) -> &'static str {
        match self {
            TrialRule::NotYetProhibited => "尚无明确限制的探索性试验中的失误",
            TrialRule::ExplicitViolation => "明令禁止后依然我行我素的违纪违法行为",
        }
    }
}

impl Motive {
    pub fn zh(self) -> &'static str {
        match self {
            Motive::ForDevelopment => "为推动发展的无意过失",
            Motive::SelfServing => "为谋取私利的违纪违法行为",
        }
    }
}

/// 三个区分开来: which side of each pair applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ThreeDistinctions {
    pub pioneering: Pioneering,
    pub trial: TrialRule,
    pub motive: Motive,
}

impl ThreeDistinctions {
    /// The pairs judged on the violation side, in Chinese.
    pub fn violation_sides(&self) -> Vec<&'static str> {
        let mut sides = Vec::new();
        if self.pioneering == Pioneering::KnowingViolation {
            sides.push(self.pioneering.zh());
        }
        if self.trial == TrialRule::ExplicitViolation {
            sides.push(self.trial.zh());
        }
        if self.motive == Motive::SelfServing {
            sides.push(self.motive.zh());
        }
        sides
    }

    /// Every pair on the tolerable side (容错).
    pub fn all_tolerable(&self) -> bool {
        self.violation_sides().is_empty()
    }
}

/// What an exemption decision cites.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Basis {
    /// A prior risk report (stream `risk-<report_id>`).
    RiskReport { report_id: String },
    /// A trial-and-error list entry (stream `trial_list-<entry_id>`).
    TrialListEntry { entry_id: String },
}

impl Basis {
    pub fn zh(&self) -> String {
        match self {
            Basis::RiskReport { report_id } => format!("重大风险事项事前报备「{report_id}」"),
            Basis::TrialListEntry { entry_id } => format!("试错清单事项「{entry_id}」"),
        }
    }
}

// ---------------------------------------------------------------- facts

/// A prior risk report as the risk stream knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskReportFact {
    pub report_id: String,
    pub cadre_id: String,
    pub filed_on: NaiveDate,
}

impl RiskReportFact {
    /// From the folded state of stream `risk-<report_id>` (`None` if it holds no report).
    pub fn from_state(report_id: &str, state: &risk::State) -> Option<Self> {
        state.report.as_ref().map(|r| RiskReportFact {
            report_id: report_id.to_owned(),
            cadre_id: r.cadre_id.clone(),
            filed_on: r.filed_on,
        })
    }
}

/// A trial-and-error list entry as its stream knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialEntryFact {
    pub entry_id: String,
    pub entry: trial_list::Entry,
}

impl TrialEntryFact {
    /// From the folded state of stream `trial_list-<entry_id>` (`None` if it holds no entry).
    pub fn from_state(entry_id: &str, state: &trial_list::State) -> Option<Self> {
        state.entry.as_ref().map(|e| TrialEntryFact {
            entry_id: entry_id.to_owned(),
            entry: e.clone(),
        })
    }
}

/// What an accountability decision needs from other streams: the cadre (to open
/// a case) and the basis the command cites, if any (see [`Command::cited_basis`]).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub cadres: Cadres,
    pub risk_report: Option<RiskReportFact>,
    pub trial_entry: Option<TrialEntryFact>,
}

// ---------------------------------------------------------------- events

/// A case was opened about an act of a cadre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    pub case_id: String,
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub summary: String,
    /// When the act in question took place.
    pub act_on: NaiveDate,
    pub opened_on: NaiveDate,
}

/// The three-distinctions judgement (may be revised until the decision).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgementRecorded {
    pub case_id: String,
    pub cadre_id: String,
    pub judgement: ThreeDistinctions,
    pub reasons: String,
    pub recorded_on: NaiveDate,
}

/// The outcome of an exemption request, granted or refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExemptionDecision {
    pub case_id: String,
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub judgement: ThreeDistinctions,
    pub basis: Option<Basis>,
    pub reasons: String,
    pub decided_on: NaiveDate,
}

crate::event_set! {
    /// Events of an `accountability` stream.
    pub enum Event {
        Opened(Opened) = "accountability.Opened" @ 1,
        JudgementRecorded(JudgementRecorded) = "accountability.JudgementRecorded" @ 1,
        ExemptionGranted(ExemptionDecision) = "accountability.ExemptionGranted" @ 1,
        ExemptionRefused(ExemptionDecision) = "accountability.ExemptionRefused" @ 1,
    }
}

// ---------------------------------------------------------------- commands

/// Open a case.
#[derive(Debug, Clone)]
pub struct Open {
    pub case_id: String,
    pub cadre_id: String,
    pub summary: String,
    pub act_on: NaiveDate,
}

/// Record the three-distinctions judgement.
#[derive(Debug, Clone)]
pub struct RecordJudgement {
    pub case_id: String,
    pub judgement: ThreeDistinctions,
    pub reasons: String,
}

/// Decide on exemption (容缺免责): grant or refuse, with reasons and the cited basis.
#[derive(Debug, Clone)]
pub struct DecideExemption {
    pub case_id: String,
    pub grant: bool,
    pub reasons: String,
    pub basis: Option<Basis>,
}

/// Commands an `accountability` stream accepts; each takes effect on the context's effective date.
#[derive(Debug, Clone)]
pub enum Command {
    Open(Open),
    RecordJudgement(RecordJudgement),
    DecideExemption(DecideExemption),
}

impl Command {
    /// The cadres the application must load into [`Facts::cadres`].
    pub fn cadre_ids(&self) -> Vec<&str> {
        match self {
            Command::Open(c) => vec![c.cadre_id.as_str()],
            _ => Vec::new(),
        }
    }

    /// The basis the application must load into [`Facts`] (risk report or trial-list entry).
    pub fn cited_basis(&self) -> Option<&Basis> {
        match self {
            Command::DecideExemption(c) => c.basis.as_ref(),
            _ => None,
        }
    }
}

/// Where a case stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub act_on: NaiveDate,
    pub opened_on: NaiveDate,
    pub judgement: Option<ThreeDistinctions>,
    /// `Some(true)` granted, `Some(false)` refused.
    pub exemption: Option<bool>,
    pub decided_on: Option<NaiveDate>,
}

/// Folded state of an `accountability` stream.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub case: Option<Case>,
}

/// The `accountability` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "accountability";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Facts;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Open(c) => &c.case_id,
            Command::RecordJudgement(c) => &c.case_id,
            Command::DecideExemption(c) => &c.case_id,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        facts: &Facts,
    ) -> Result<Vec<Event>, DomainError> {
        practice::require_role(
            ctx,
            &[Role::OrgAdmin, Role::DisciplineInspector],
            "问责与容错免责",
        )?;
        practice::not_future(ctx.effective, ctx, "办理日期")?;
        match command {
            Command::Open(c) => open(state, c, ctx, &facts.cadres),
            Command::RecordJudgement(c) => {
                let case = undecided(state, &c.case_id, "记录“三个区分开来”研判")?;
                practice::non_empty(&c.reasons, "研判理由")?;
                practice::not_before(ctx.effective, case.opened_on, "研判", "立案")?;
                Ok(vec![Event::JudgementRecorded(JudgementRecorded {
                    case_id: c.case_id.clone(),
                    cadre_id: case.cadre_id.clone(),
                    judgement: c.judgement,
                    reasons: c.reasons.trim().to_owned(),
                    recorded_on: ctx.effective,
                })])
            }
            Command::DecideExemption(c) => decide_exemption(state, c, ctx, facts),
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::Opened(e) => {
                state.case = Some(Case {
                    cadre_id: e.cadre_id.clone(),
                    unit_id: e.unit_id.clone(),
                    act_on: e.act_on,
                    opened_on: e.opened_on,
                    judgement: None,
                    exemption: None,
                    decided_on: None,
                });
            }
            Event::JudgementRecorded(e) => {
                if let Some(c) = state.case.as_mut() {
                    c.judgement = Some(e.judgement);
                }
            }
            Event::ExemptionGranted(e) | Event::ExemptionRefused(e) => {
                if let Some(c) = state.case.as_mut() {
                    c.exemption = Some(matches!(event, Event::ExemptionGranted(_)));
                    c.decided_on = Some(e.decided_on);
                }
            }
        }
    }
}

fn open(
    state: &State,
    c: &Open,
    ctx: &Context<'_>,
    cadres: &Cadres,
) -> Result<Vec<Event>, DomainError> {
    if state.case.is_some() {
        return Err(practice::already_exists(
            "ACCOUNTABILITY_CASE_EXISTS",
            "问责案件",
            &c.case_id,
        ));
    }
    practice::non_empty(&c.case_id, "案件编号")?;
    practice::non_empty(&c.summary, "案由")?;
    practice::not_future(c.act_on, ctx, "行为发生日期")?;
    practice::not_before(ctx.effective, c.act_on, "立案", "行为发生")?;
    let cadre = cadres.get(&c.cadre_id)?;
    Ok(vec![Event::Opened(Opened {
        case_id: c.case_id.clone(),
        cadre_id: c.cadre_id.clone(),
        unit_id: cadre.unit_id.clone(),
        summary: c.summary.trim().to_owned(),
        act_on: c.act_on,
        opened_on: ctx.effective,
    })])
}

fn undecided<'s>(state: &'s State, case_id: &str, action: &str) -> Result<&'s Case, DomainError> {
    let case = state.case.as_ref().ok_or_else(|| {
        practice::not_started("ACCOUNTABILITY_CASE_NOT_FOUND", "问责案件", case_id)
    })?;
    if let (Some(granted), Some(on)) = (case.exemption, case.decided_on) {
        return Err(DomainError::refused(
            "ACCOUNTABILITY_ALREADY_DECIDED",
            format!(
                "{action}被拒绝: 本案已于 {on} 作出{}免责的决定",
                if granted { "予以" } else { "不予" }
            ),
        ));
    }
    Ok(case)
}

/// The cited basis exists, concerns the same cadre and predates (or is dated on) the act.
fn check_basis(case: &Case, basis: &Basis, facts: &Facts) -> Result<(), DomainError> {
    let missing = || {
        DomainError::not_found(
            "ACCOUNTABILITY_BASIS_NOT_FOUND",
            format!("所引用的{}不存在", basis.zh()),
        )
    };
    let (cadres, dated_on): (Vec<&str>, NaiveDate) = match basis {
        Basis::RiskReport { report_id } => {
            let fact = facts
                .risk_report
                .as_ref()
                .filter(|f| &f.report_id == report_id)
                .ok_or_else(missing)?;
            (vec![fact.cadre_id.as_str()], fact.filed_on)
        }
        Basis::TrialListEntry { entry_id } => {
            let fact = facts
                .trial_entry
                .as_ref()
                .filter(|f| &f.entry_id == entry_id)
                .ok_or_else(missing)?;
            (
                fact.entry.cadre_ids.iter().map(String::as_str).collect(),
                fact.entry.listed_on,
            )
        }
    };
    if !cadres.contains(&case.cadre_id.as_str()) {
        return Err(DomainError::refused(
            "ACCOUNTABILITY_BASIS_OTHER_CADRE",
            format!(
                "所引用的{}涉及干部「{}」, 不是本案干部「{}」",
                basis.zh(),
                cadres.join("、"),
                case.cadre_id
            ),
        ));
    }
    if dated_on > case.act_on {
        return Err(DomainError::refused(
            "ACCOUNTABILITY_BASIS_AFTER_ACT",
            format!(
                "所引用的{}形成于 {dated_on}, 晚于行为发生日期 {}, 不能作为事前依据",
                basis.zh(),
                case.act_on
            ),
        ));
    }
    if let (Basis::TrialListEntry { .. }, Some(fact)) = (basis, &facts.trial_entry)
        && !fact.entry.in_force_on(case.act_on)
    {
        return Err(DomainError::refused(
            "ACCOUNTABILITY_BASIS_NOT_IN_FORCE",
            format!(
                "行为发生日期 {} 时, 所引用的{}已失效或已撤销",
                case.act_on,
                basis.zh()
            ),
        ));
    }
    Ok(())
}

fn decide_exemption(
    state: &State,
    c: &DecideExemption,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let case = undecided(state, &c.case_id, "作出免责决定")?;
    let Some(judgement) = case.judgement else {
        return Err(DomainError::refused(
            "ACCOUNTABILITY_JUDGEMENT_REQUIRED",
            format!(
                "作出免责决定被拒绝: 干部「{}」一案尚未记录“三个区分开来”研判",
                case.cadre_id
            ),
        ));
    };
    practice::non_empty(&c.reasons, "决定理由")?;
    if let Some(basis) = &c.basis {
        check_basis(case, basis, facts)?;
    }
    if c.grant && c.basis.is_none() && !judgement.all_tolerable() {
        return Err(DomainError::refused(
            "ACCOUNTABILITY_EXEMPTION_WITHOUT_BASIS",
            format!(
                "予以免责被拒绝: 未引用事前报备或试错清单, 且研判认定属于「{}」",
                judgement.violation_sides().join("」「")
            ),
        ));
    }
    let decision = ExemptionDecision {
        case_id: c.case_id.clone(),
        cadre_id: case.cadre_id.clone(),
        unit_id: case.unit_id.clone(),
        judgement,
        basis: c.basis.clone(),
        reasons: c.reasons.trim().to_owned(),
        decided_on: ctx.effective,
    };
    Ok(vec![if c.grant {
        Event::ExemptionGranted(decision)
    } else {
        Event::ExemptionRefused(decision)
    }])
}

#[cfg(test)]
mod tests;
