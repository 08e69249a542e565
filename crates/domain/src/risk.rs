//! Stream kind `risk` (重大风险事项事前报备): a cadre's prior report before a risky decision, and its acknowledgement.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
    context::{Context, Role},
    error::DomainError,
    practice::{self, Cadres},
};

/// A cadre filed a prior risk report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filed {
    pub report_id: String,
    pub cadre_id: String,
    pub unit_id: Option<String>,
    /// The decision or matter at stake.
    pub matter: String,
    /// The risks foreseen.
    pub risks: String,
    /// The measures planned against them.
    pub measures: String,
    /// When the risky decision is to be taken.
    pub planned_decision_on: NaiveDate,
    pub filed_on: NaiveDate,
}

/// The organization department acknowledged the report (备案).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Acknowledged {
    pub report_id: String,
    pub cadre_id: String,
    pub note: String,
    pub acknowledged_on: NaiveDate,
}

crate::event_set! {
    /// Events of a `risk` stream.
    pub enum Event {
        Filed(Filed) = "risk.Filed" @ 1,
        Acknowledged(Acknowledged) = "risk.Acknowledged" @ 1,
    }
}

/// File a report (by the cadre, or by the department on their behalf), effective on the context's date.
#[derive(Debug, Clone)]
pub struct File {
    pub report_id: String,
    pub cadre_id: String,
    pub matter: String,
    pub risks: String,
    pub measures: String,
    pub planned_decision_on: NaiveDate,
}

/// Acknowledge a report.
#[derive(Debug, Clone)]
pub struct Acknowledge {
    pub report_id: String,
    pub note: String,
}

/// Commands a `risk` stream accepts.
#[derive(Debug, Clone)]
pub enum Command {
    File(File),
    Acknowledge(Acknowledge),
}

impl Command {
    /// The cadres the application must load into [`Cadres`] before deciding.
    pub fn cadre_ids(&self) -> Vec<&str> {
        match self {
            Command::File(c) => vec![c.cadre_id.as_str()],
            Command::Acknowledge(_) => Vec::new(),
        }
    }
}

/// A filed report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub cadre_id: String,
    pub matter: String,
    pub filed_on: NaiveDate,
    pub planned_decision_on: NaiveDate,
    pub acknowledged_on: Option<NaiveDate>,
}

/// Folded state of a `risk` stream.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub report: Option<Report>,
}

/// The `risk` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "risk";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Cadres;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::File(c) => &c.report_id,
            Command::Acknowledge(c) => &c.report_id,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        cadres: &Cadres,
    ) -> Result<Vec<Event>, DomainError> {
        practice::not_future(ctx.effective, ctx, "办理日期")?;
        match command {
            Command::File(c) => {
                practice::require_role(
                    ctx,
                    &[Role::Cadre, Role::OrgAdmin, Role::System],
                    "重大风险事项事前报备",
                )?;
                practice::require_self_if_cadre(ctx, &c.cadre_id, "重大风险事项事前报备")?;
                if state.report.is_some() {
                    return Err(practice::already_exists(
                        "RISK_REPORT_EXISTS",
                        "事前报备",
                        &c.report_id,
                    ));
                }
                practice::non_empty(&c.report_id, "报备编号")?;
                practice::non_empty(&c.matter, "报备事项")?;
                practice::non_empty(&c.risks, "风险研判")?;
                if c.planned_decision_on < ctx.effective {
                    return Err(DomainError::refused(
                        "RISK_REPORT_AFTER_DECISION",
                        format!(
                            "事前报备被拒绝: 报备应在决策之前, 决策日期 {} 早于报备日期 {}",
                            c.planned_decision_on, ctx.effective
                        ),
                    ));
                }
                let cadre = cadres.get(&c.cadre_id)?;
                Ok(vec![Event::Filed(Filed {
                    report_id: c.report_id.clone(),
                    cadre_id: c.cadre_id.clone(),
                    unit_id: cadre.unit_id.clone(),
                    matter: c.matter.trim().to_owned(),
                    risks: c.risks.trim().to_owned(),
                    measures: c.measures.trim().to_owned(),
                    planned_decision_on: c.planned_decision_on,
                    filed_on: ctx.effective,
                })])
            }
            Command::Acknowledge(c) => {
                practice::require_role(
                    ctx,
                    &[Role::OrgAdmin, Role::DisciplineInspector],
                    "事前报备备案",
                )?;
                let report = state.report.as_ref().ok_or_else(|| {
                    practice::not_started("RISK_REPORT_NOT_FOUND", "事前报备", &c.report_id)
                })?;
                if let Some(on) = report.acknowledged_on {
                    return Err(DomainError::refused(
                        "RISK_ALREADY_ACKNOWLEDGED",
                        format!("事前报备「{}」已于 {on} 备案", report.matter),
                    ));
                }
                practice::not_before(ctx.effective, report.filed_on, "备案", "报备")?;
                Ok(vec![Event::Acknowledged(Acknowledged {
                    report_id: c.report_id.clone(),
                    cadre_id: report.cadre_id.clone(),
                    note: c.note.trim().to_owned(),
                    acknowledged_on: ctx.effective,
                })])
            }
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::Filed(e) => {
                state.report = Some(Report {
                    cadre_id: e.cadre_id.clone(),
                    matter: e.matter.clone(),
                    filed_on: e.filed_on,
                    planned_decision_on: e.planned_decision_on,
                    acknowledged_on: None,
                });
            }
            Event::Acknowledged(e) => {
                if let Some(r) = state.report.as_mut() {
                    r.acknowledged_on = Some(e.acknowledged_on);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        context::Actor,
        harness::given,
        practice::{CadreRef, test_support::d},
    };

    fn file_cmd(planned: NaiveDate) -> Command {
        Command::File(File {
            report_id: "k1".into(),
            cadre_id: "a".into(),
            matter: "引进新能源项目土地先行供应".into(),
            risks: "规划调整尚未批复".into(),
            measures: "分期供地".into(),
            planned_decision_on: planned,
        })
    }

    fn filed() -> Event {
        Event::Filed(Filed {
            report_id: "k1".into(),
            cadre_id: "a".into(),
            unit_id: Some("u1".into()),
            matter: "引进新能源项目土地先行供应".into(),
            risks: "规划调整尚未批复".into(),
            measures: "分期供地".into(),
            planned_decision_on: d(2025, 7, 15),
            filed_on: d(2025, 6, 30),
        })
    }

    fn cadres() -> Cadres {
        Cadres::of([CadreRef::new("a", "u1")])
    }

    #[test]
    fn a_prior_report_comes_before_the_decision() {
        given::<Aggregate>([])
            .with_facts(cadres())
            .as_actor(Actor::scoped("acct-a", Role::Cadre, "a"))
            .when(file_cmd(d(2025, 7, 15)))
            .then_events([filed()]);
        given::<Aggregate>([])
            .with_facts(cadres())
            .when(file_cmd(d(2025, 6, 30)))
            .then_ok();
        let e = given::<Aggregate>([])
            .with_facts(cadres())
            .when(file_cmd(d(2025, 6, 29)))
            .then_error("RISK_REPORT_AFTER_DECISION");
        assert!(
            e.message().contains("2025-06-29") && e.message().contains("2025-06-30"),
            "{e}"
        );
    }

    #[test]
    fn a_cadre_reports_only_for_themselves() {
        given::<Aggregate>([])
            .with_facts(cadres())
            .as_actor(Actor::scoped("acct-b", Role::Cadre, "b"))
            .when(file_cmd(d(2025, 7, 15)))
            .then_error("FORBIDDEN_SCOPE");
    }

    #[test]
    fn only_cadres_and_the_department_file_reports() {
        given::<Aggregate>([])
            .with_facts(cadres())
            .as_actor(Actor::new("an", Role::Analyst))
            .when(file_cmd(d(2025, 7, 15)))
            .then_error("FORBIDDEN_ROLE");
    }

    #[test]
    fn a_report_is_filed_once() {
        given::<Aggregate>([filed()])
            .with_facts(cadres())
            .when(file_cmd(d(2025, 7, 15)))
            .then_error("RISK_REPORT_EXISTS");
    }

    #[test]
    fn a_report_is_about_a_known_cadre() {
        given::<Aggregate>([])
            .when(file_cmd(d(2025, 7, 15)))
            .then_error("CADRE_NOT_FOUND");
    }

    #[test]
    fn a_report_is_acknowledged_once() {
        let ack = || {
            Command::Acknowledge(Acknowledge {
                report_id: "k1".into(),
                note: "已备案".into(),
            })
        };
        let events = given::<Aggregate>([filed()]).when(ack()).then_ok();
        let mut history = vec![filed()];
        history.extend(events);
        given::<Aggregate>(history)
            .when(ack())
            .then_error("RISK_ALREADY_ACKNOWLEDGED");
        given::<Aggregate>([])
            .when(ack())
            .then_error("RISK_REPORT_NOT_FOUND");
        given::<Aggregate>([filed()])
            .as_actor(Actor::scoped("acct-a", Role::Cadre, "a"))
            .when(ack())
            .then_error("FORBIDDEN_ROLE");
    }

    #[test]
    fn acknowledgement_comes_after_filing() {
        given::<Aggregate>([filed()])
            .on(d(2025, 6, 29))
            .when(Command::Acknowledge(Acknowledge {
                report_id: "k1".into(),
                note: String::new(),
            }))
            .then_error("DATE_BEFORE_PREVIOUS_STEP");
    }
}
