//! Stream kind `lead` (监督线索): a lead about a cadre transferred from a partner agency, verified, then concluded — in that order.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
    context::{Context, Role},
    error::DomainError,
    practice::{self, Cadres},
};

/// The partner agencies of the joint meeting (联席会议).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerAgency {
    /// 纪委监委
    DisciplineCommission,
    /// 公安
    Police,
    /// 检察
    Procuratorate,
    /// 法院
    Court,
    /// 审计
    Audit,
    /// 宣传
    Publicity,
    /// 发改
    DevelopmentReform,
    /// 应急
    Emergency,
}

impl PartnerAgency {
    pub const ALL: [PartnerAgency; 8] = [
        PartnerAgency::DisciplineCommission,
        PartnerAgency::Police,
        PartnerAgency::Procuratorate,
        PartnerAgency::Court,
        PartnerAgency::Audit,
        PartnerAgency::Publicity,
        PartnerAgency::DevelopmentReform,
        PartnerAgency::Emergency,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            PartnerAgency::DisciplineCommission => "纪委监委",
            PartnerAgency::Police => "公安",
            PartnerAgency::Procuratorate => "检察",
            PartnerAgency::Court => "法院",
            PartnerAgency::Audit => "审计",
            PartnerAgency::Publicity => "宣传",
            PartnerAgency::DevelopmentReform => "发改",
            PartnerAgency::Emergency => "应急",
        }
    }
}

/// 线索类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 纪法
    DisciplineLaw,
    /// 司法
    Judicial,
    /// 行政
    Administrative,
    /// 社会
    Social,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::DisciplineLaw,
        Category::Judicial,
        Category::Administrative,
        Category::Social,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            Category::DisciplineLaw => "纪法",
            Category::Judicial => "司法",
            Category::Administrative => "行政",
            Category::Social => "社会",
        }
    }
}

/// How a lead ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// 属实
    Substantiated,
    /// 不属实
    NotSubstantiated,
    /// 移交处理
    Transferred,
}

impl Conclusion {
    pub fn zh(self) -> &'static str {
        match self {
            Conclusion::Substantiated => "属实",
            Conclusion::NotSubstantiated => "不属实",
            Conclusion::Transferred => "移交处理",
        }
    }
}

/// Where a lead stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 移送
    Transferred,
    /// 核查
    Verified,
    /// 办结
    Concluded,
}

impl Step {
    pub fn zh(self) -> &'static str {
        match self {
            Step::Transferred => "移送",
            Step::Verified => "核查",
            Step::Concluded => "办结",
        }
    }

    pub fn next(self) -> Option<Step> {
        match self {
            Step::Transferred => Some(Step::Verified),
            Step::Verified => Some(Step::Concluded),
            Step::Concluded => None,
        }
    }
}

/// A lead was transferred from a partner agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transferred {
    pub lead_id: String,
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub agency: PartnerAgency,
    pub category: Category,
    pub summary: String,
    pub received_on: NaiveDate,
}

/// The lead was verified (核查).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verified {
    pub lead_id: String,
    pub cadre_id: String,
    pub findings: String,
    pub verified_on: NaiveDate,
}

/// The lead was concluded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Concluded {
    pub lead_id: String,
    pub cadre_id: String,
    pub agency: PartnerAgency,
    pub category: Category,
    pub conclusion: Conclusion,
    /// Where it was transferred to, for [`Conclusion::Transferred`].
    pub transferred_to: Option<String>,
    pub reason: String,
    pub concluded_on: NaiveDate,
}

crate::event_set! {
    /// Events of a `lead` stream.
    pub enum Event {
        Transferred(Transferred) = "lead.Transferred" @ 1,
        Verified(Verified) = "lead.Verified" @ 1,
        Concluded(Concluded) = "lead.Concluded" @ 1,
    }
}

/// Receive a lead from a partner agency.
#[derive(Debug, Clone)]
pub struct Transfer {
    pub lead_id: String,
    pub cadre_id: String,
    pub agency: PartnerAgency,
    pub category: Category,
    pub summary: String,
}

/// Record the verification.
#[derive(Debug, Clone)]
pub struct Verify {
    pub lead_id: String,
    pub findings: String,
}

/// Conclude the lead.
#[derive(Debug, Clone)]
pub struct Conclude {
    pub lead_id: String,
    pub conclusion: Conclusion,
    pub transferred_to: Option<String>,
    pub reason: String,
}

/// Commands a `lead` stream accepts; each takes effect on the context's effective date.
#[derive(Debug, Clone)]
pub enum Command {
    Transfer(Transfer),
    Verify(Verify),
    Conclude(Conclude),
}

impl Command {
    /// The cadres the application must load into [`Cadres`] before deciding.
    pub fn cadre_ids(&self) -> Vec<&str> {
        match self {
            Command::Transfer(c) => vec![c.cadre_id.as_str()],
            _ => Vec::new(),
        }
    }
}

/// A received lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lead {
    pub cadre_id: String,
    pub agency: PartnerAgency,
    pub category: Category,
    pub step: Step,
    pub last_on: NaiveDate,
}

/// Folded state of a `lead` stream.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub lead: Option<Lead>,
}

/// Only these roles handle leads.
pub const HANDLING_ROLES: &[Role] = &[Role::OrgAdmin, Role::DisciplineInspector];

/// Who may read 监督线索: only the organization department and discipline inspectors
/// (DOMAIN §6); the API audits every such read.
pub fn readable_by(role: Role) -> bool {
    role.reads_supervision()
}

/// The `lead` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "lead";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Cadres;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Transfer(c) => &c.lead_id,
            Command::Verify(c) => &c.lead_id,
            Command::Conclude(c) => &c.lead_id,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        cadres: &Cadres,
    ) -> Result<Vec<Event>, DomainError> {
        practice::require_role(ctx, HANDLING_ROLES, "处置监督线索")?;
        practice::not_future(ctx.effective, ctx, "办理日期")?;
        let on = ctx.effective;
        match command {
            Command::Transfer(c) => {
                if state.lead.is_some() {
                    return Err(practice::already_exists(
                        "LEAD_EXISTS",
                        "监督线索",
                        &c.lead_id,
                    ));
                }
                practice::non_empty(&c.lead_id, "线索编号")?;
                practice::non_empty(&c.summary, "线索摘要")?;
                let cadre = cadres.get(&c.cadre_id)?;
                Ok(vec![Event::Transferred(Transferred {
                    lead_id: c.lead_id.clone(),
                    cadre_id: c.cadre_id.clone(),
                    unit_id: cadre.unit_id.clone(),
                    agency: c.agency,
                    category: c.category,
                    summary: c.summary.trim().to_owned(),
                    received_on: on,
                })])
            }
            Command::Verify(c) => {
                let lead = advance(state, &c.lead_id, Step::Verified, on)?;
                practice::non_empty(&c.findings, "核查情况")?;
                Ok(vec![Event::Verified(Verified {
                    lead_id: c.lead_id.clone(),
                    cadre_id: lead.cadre_id.clone(),
                    findings: c.findings.trim().to_owned(),
                    verified_on: on,
                })])
            }
            Command::Conclude(c) => {
                let lead = advance(state, &c.lead_id, Step::Concluded, on)?;
                practice::non_empty(&c.reason, "办结意见")?;
                let transferred_to = c
                    .transferred_to
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty());
                if c.conclusion == Conclusion::Transferred && transferred_to.is_none() {
                    return Err(DomainError::invalid(
                        "LEAD_TRANSFER_TARGET_REQUIRED",
                        "线索结论为「移交处理」时必须写明移交机关",
                    ));
                }
                Ok(vec![Event::Concluded(Concluded {
                    lead_id: c.lead_id.clone(),
                    cadre_id: lead.cadre_id.clone(),
                    agency: lead.agency,
                    category: lead.category,
                    conclusion: c.conclusion,
                    transferred_to: transferred_to
                        .filter(|_| c.conclusion == Conclusion::Transferred)
                        .map(str::to_owned),
                    reason: c.reason.trim().to_owned(),
                    concluded_on: on,
                })])
            }
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::Transferred(e) => {
                state.lead = Some(Lead {
                    cadre_id: e.cadre_id.clone(),
                    agency: e.agency,
                    category: e.category,
                    step: Step::Transferred,
                    last_on: e.received_on,
                });
            }
            Event::Verified(e) => {
                if let Some(l) = state.lead.as_mut() {
                    l.step = Step::Verified;
                    l.last_on = e.verified_on;
                }
            }
            Event::Concluded(e) => {
                if let Some(l) = state.lead.as_mut() {
                    l.step = Step::Concluded;
                    l.last_on = e.concluded_on;
                }
            }
        }
    }
}

fn advance<'s>(
    state: &'s State,
    lead_id: &str,
    wanted: Step,
    on: NaiveDate,
) -> Result<&'s Lead, DomainError> {
    let lead = state
        .lead
        .as_ref()
        .ok_or_else(|| practice::not_started("LEAD_NOT_FOUND", "监督线索", lead_id))?;
    if lead.step.next() != Some(wanted) {
        let expected = match lead.step.next() {
            Some(next) => format!("下一环节应为「{}」", next.zh()),
            None => "线索已办结".to_owned(),
        };
        return Err(DomainError::refused(
            "LEAD_OUT_OF_ORDER",
            format!(
                "线索处置被拒绝: 当前环节为「{}」, {expected}, 不能进入「{}」",
                lead.step.zh(),
                wanted.zh()
            ),
        ));
    }
    practice::not_before(on, lead.last_on, wanted.zh(), lead.step.zh())?;
    Ok(lead)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        context::Actor,
        harness::given,
        practice::{CadreRef, test_support::d},
    };

    fn transferred() -> Event {
        Event::Transferred(Transferred {
            lead_id: "l1".into(),
            cadre_id: "a".into(),
            unit_id: Some("u1".into()),
            agency: PartnerAgency::Audit,
            category: Category::Administrative,
            summary: "专项资金使用不规范".into(),
            received_on: d(2025, 6, 1),
        })
    }

    fn verified() -> Event {
        Event::Verified(Verified {
            lead_id: "l1".into(),
            cadre_id: "a".into(),
            findings: "已调阅账目".into(),
            verified_on: d(2025, 6, 10),
        })
    }

    fn conclude(conclusion: Conclusion, to: Option<&str>) -> Command {
        Command::Conclude(Conclude {
            lead_id: "l1".into(),
            conclusion,
            transferred_to: to.map(str::to_owned),
            reason: "经核查".into(),
        })
    }

    fn inspector() -> Actor {
        Actor::new("insp", Role::DisciplineInspector)
    }

    fn transfer() -> Command {
        Command::Transfer(Transfer {
            lead_id: "l1".into(),
            cadre_id: "a".into(),
            agency: PartnerAgency::Audit,
            category: Category::Administrative,
            summary: "专项资金使用不规范".into(),
        })
    }

    #[test]
    fn a_lead_arrives_from_a_partner_agency_about_a_known_cadre() {
        given::<Aggregate>([])
            .with_facts(Cadres::of([CadreRef::new("a", "u1")]))
            .as_actor(inspector())
            .on(d(2025, 6, 1))
            .when(transfer())
            .then_events([transferred()]);
        given::<Aggregate>([])
            .as_actor(inspector())
            .when(transfer())
            .then_error("CADRE_NOT_FOUND");
    }

    #[test]
    fn a_lead_is_received_once() {
        given::<Aggregate>([transferred()])
            .as_actor(inspector())
            .when(transfer())
            .then_error("LEAD_EXISTS");
    }

    #[test]
    fn only_organization_and_discipline_roles_handle_leads() {
        given::<Aggregate>([transferred()])
            .as_actor(Actor::scoped("h", Role::UnitHead, "u1"))
            .when(Command::Verify(Verify {
                lead_id: "l1".into(),
                findings: "f".into(),
            }))
            .then_error("FORBIDDEN_ROLE");
    }

    #[test]
    fn a_lead_is_verified_before_it_is_concluded() {
        let e = given::<Aggregate>([transferred()])
            .as_actor(inspector())
            .when(conclude(Conclusion::Substantiated, None))
            .then_error("LEAD_OUT_OF_ORDER");
        assert!(
            e.message()
                .contains("当前环节为「移送」, 下一环节应为「核查」, 不能进入「办结」"),
            "{e}"
        );
        given::<Aggregate>([transferred()])
            .as_actor(inspector())
            .when(Command::Verify(Verify {
                lead_id: "l1".into(),
                findings: "已调阅账目".into(),
            }))
            .then_ok();
        given::<Aggregate>([transferred(), verified()])
            .as_actor(inspector())
            .when(conclude(Conclusion::NotSubstantiated, None))
            .then_ok();
        given::<Aggregate>([transferred(), verified()])
            .as_actor(inspector())
            .when(Command::Verify(Verify {
                lead_id: "l1".into(),
                findings: "again".into(),
            }))
            .then_error("LEAD_OUT_OF_ORDER");
    }

    #[test]
    fn a_transferred_conclusion_names_where_it_went() {
        given::<Aggregate>([transferred(), verified()])
            .as_actor(inspector())
            .when(conclude(Conclusion::Transferred, None))
            .then_error("LEAD_TRANSFER_TARGET_REQUIRED");
        let events = given::<Aggregate>([transferred(), verified()])
            .as_actor(inspector())
            .when(conclude(Conclusion::Transferred, Some("区监委")))
            .then_ok();
        assert!(matches!(&events[0], Event::Concluded(c)
            if c.transferred_to.as_deref() == Some("区监委") && c.agency == PartnerAgency::Audit));
    }

    #[test]
    fn lead_steps_are_dated_in_order() {
        given::<Aggregate>([transferred()])
            .as_actor(inspector())
            .on(d(2025, 5, 30))
            .when(Command::Verify(Verify {
                lead_id: "l1".into(),
                findings: "f".into(),
            }))
            .then_error("DATE_BEFORE_PREVIOUS_STEP");
    }

    #[test]
    fn only_organization_and_discipline_roles_read_them() {
        let readers: Vec<Role> = Role::ALL.into_iter().filter(|r| readable_by(*r)).collect();
        assert_eq!(readers, vec![Role::OrgAdmin, Role::DisciplineInspector]);
    }

    #[test]
    fn commands_name_a_received_lead() {
        given::<Aggregate>([])
            .as_actor(inspector())
            .when(Command::Verify(Verify {
                lead_id: "l1".into(),
                findings: "f".into(),
            }))
            .then_error("LEAD_NOT_FOUND");
    }
}
