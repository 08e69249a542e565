//! What a decision knows besides the state: who acts, on which dates, under which policy.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{error::DomainError, policy::Policy};

/// The roles of Dossier's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 组织部 administrator: everything.
    OrgAdmin,
    /// 纪检监察 (discipline inspector): supervision and accountability, read all.
    DisciplineInspector,
    /// 单位负责人: their own unit.
    UnitHead,
    /// 干部本人: their own profile, appeals and prior risk reports.
    Cadre,
    /// 审计 (auditor): read all, audit trail, verify.
    Auditor,
    /// 分析 (analyst): dashboards and exports, no personal data.
    Analyst,
    /// The system itself (policy defaults, process managers).
    System,
}

impl Role {
    /// Every role, in declaration order.
    pub const ALL: [Role; 7] = [
        Role::OrgAdmin,
        Role::DisciplineInspector,
        Role::UnitHead,
        Role::Cadre,
        Role::Auditor,
        Role::Analyst,
        Role::System,
    ];

    /// Supervision entries, leads and their details are readable only by the
    /// organization department and discipline inspectors.
    pub fn reads_supervision(self) -> bool {
        matches!(self, Role::OrgAdmin | Role::DisciplineInspector)
    }

    /// The role's Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Role::OrgAdmin => "组织部管理员",
            Role::DisciplineInspector => "纪检监察",
            Role::UnitHead => "单位负责人",
            Role::Cadre => "干部本人",
            Role::Auditor => "审计",
            Role::Analyst => "分析人员",
            Role::System => "系统",
        }
    }
}

/// Who is acting: an id, a role, and a scope (a unit id for unit heads, a
/// cadre id for cadres; `None` for district-wide roles).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: String,
    pub role: Role,
    pub scope: Option<String>,
}

impl Actor {
    pub fn new(id: impl Into<String>, role: Role) -> Self {
        Actor {
            id: id.into(),
            role,
            scope: None,
        }
    }

    pub fn scoped(id: impl Into<String>, role: Role, scope: impl Into<String>) -> Self {
        Actor {
            id: id.into(),
            role,
            scope: Some(scope.into()),
        }
    }

    pub fn system() -> Self {
        Actor::new("system", Role::System)
    }
}

/// The context of one decision.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Who acts.
    pub actor: &'a Actor,
    /// When the fact takes effect (生效日期); rules read the policy in force then.
    pub effective: NaiveDate,
    /// The recording date (today, from the caller's clock): "not in the future"
    /// checks compare against it.
    pub today: NaiveDate,
    /// The policy in force on `effective`.
    pub policy: &'a Policy,
}

/// 组织部 and the system: who records cadre, unit, assessment, award, quota and policy facts.
pub const ORG: &[Role] = &[Role::OrgAdmin, Role::System];
/// 组织部, 纪检监察 and the system: who records sanctions, admonitions and investigations.
pub const SUPERVISORS: &[Role] = &[Role::OrgAdmin, Role::DisciplineInspector, Role::System];

impl Context<'_> {
    /// `FORBIDDEN_ROLE` unless the actor has one of `allowed`; `action` names what was tried.
    pub fn require_role(&self, allowed: &[Role], action: &str) -> Result<(), DomainError> {
        if allowed.contains(&self.actor.role) {
            return Ok(());
        }
        let names: Vec<&str> = allowed.iter().map(|r| r.zh()).collect();
        Err(DomainError::refused(
            "FORBIDDEN_ROLE",
            format!(
                "{action}被拒绝: 当前角色为「{}」, 只有{}可以办理",
                self.actor.role.zh(),
                names.join("、")
            ),
        ))
    }
}
