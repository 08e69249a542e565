//! What stands in the way of the demo's next 三级主任科员 on 2027-01-01: completed 公示 for some 四级主任科员, and for others a
//! sanction (处分), an admonition (诫勉), an open investigation (立案审查), or a rank reached too recently.

use std::collections::BTreeSet;

use dossier_domain::{Actor, cadre, promotion, types::Rank, types::SanctionKind};

use super::{NOMINATOR, Plan, Role_, admin, d, inspector};
use crate::demo::exec::Exec;

/// The date the demo's candidate list is read for (planning next year's promotions).
const CANDIDATES_ON: (i32, u32, u32) = (2027, 1, 1);

async fn state(x: &Exec<'_>, id: &str) -> anyhow::Result<Option<cadre::State>> {
    x.service
        .cadre_state(id)
        .await
        .map_err(crate::commands::api_error)
}

/// A public notice for `to` from `starts` to `ends` (five working days), ended without objection.
async fn notice(
    x: &Exec<'_>,
    id: &str,
    to: Rank,
    starts: chrono::NaiveDate,
    ends: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let a = admin();
    let notice_id = format!("gs-{id}-{}", to as u8);
    x.run::<cadre::Aggregate>(
        &a,
        cadre::Command::StartPublicNotice {
            cadre_id: id.into(),
            notice_id: notice_id.clone(),
            purpose: format!("拟晋升{}", to.zh()),
            target_rank: Some(to),
            ends_on: ends,
        },
        starts,
        Some("姜组公〔2026〕号"),
    )
    .await?;
    x.run::<cadre::Aggregate>(
        &a,
        cadre::Command::EndPublicNotice {
            cadre_id: id.into(),
            notice_id,
            objection_upheld: false,
            note: None,
        },
        ends,
        None,
    )
    .await?;
    Ok(())
}

/// Give five 四级主任科员 outside `excluded` a completed 公示 for 三级主任科员 (one stays eligible,
/// three get a sanction, an admonition, an investigation), and promote one 一级科员 to
/// 四级主任科员 in 2026 (too recently for the next rank). Returns the cadre ids: eligible, sanctioned, admonished,
/// under investigation, promoted too recently.
pub(super) async fn record_obstacles(
    x: &Exec<'_>,
    plan: &Plan,
    excluded: &BTreeSet<usize>,
) -> anyhow::Result<Vec<String>> {
    let on = d(CANDIDATES_ON.0, CANDIDATES_ON.1, CANDIDATES_ON.2);
    let policy = x
        .service
        .policy_in_force(on)
        .await
        .map_err(crate::commands::api_error)?;
    // Feeders whose only obstacle on the date is the missing 公示.
    let mut clear = Vec::new();
    let mut juniors = Vec::new();
    for i in plan.of_role(|c| matches!(c.role, Role_::Section(_) | Role_::Staff)) {
        if excluded.contains(&i) {
            continue;
        }
        let id = &plan.cadres[i].id;
        let Some(s) = state(x, id).await? else {
            continue;
        };
        if s.leadership_level.is_some() {
            continue;
        }
        let next = match s.rank {
            Some(Rank::PrincipalClerk4) => Rank::PrincipalClerk3,
            Some(Rank::ClerkGrade1) => Rank::PrincipalClerk4,
            _ => continue,
        };
        let promote_on = d(2026, 5, 18);
        let asked = if next == Rank::PrincipalClerk3 {
            on
        } else {
            promote_on
        };
        let Ok((_, found)) = promotion::obstacles(&s, next, asked, &policy) else {
            continue;
        };
        if found.len() == 1 && found[0].code == "PROMOTION_PUBLIC_NOTICE" {
            if next == Rank::PrincipalClerk3 {
                clear.push(id.clone());
            } else {
                juniors.push(id.clone());
            }
        }
    }
    anyhow::ensure!(
        clear.len() >= 4 && !juniors.is_empty(),
        "演示区可晋升三级主任科员的干部不足: {} 名四级主任科员, {} 名一级科员",
        clear.len(),
        juniors.len()
    );
    let chosen: Vec<String> = clear.into_iter().take(4).collect();
    for id in &chosen {
        notice(
            x,
            id,
            Rank::PrincipalClerk3,
            d(2026, 11, 9),
            d(2026, 11, 13),
        )
        .await?;
    }
    let a = admin();
    x.run::<cadre::Aggregate>(
        &inspector(),
        cadre::Command::ImposeSanction {
            cadre_id: chosen[1].clone(),
            sanction_id: format!("cf-{}", chosen[1]),
            kind: SanctionKind::Warning,
            reason: "违反工作纪律".into(),
            decided_by: "区纪委监委".into(),
            document_number: "姜纪〔2026〕18号".into(),
        },
        d(2026, 10, 15),
        Some("姜纪〔2026〕18号"),
    )
    .await?;
    x.run::<cadre::Aggregate>(
        &a,
        cadre::Command::IssueAdmonition {
            cadre_id: chosen[2].clone(),
            admonition_id: format!("jm-{}", chosen[2]),
            reason: "履职不到位".into(),
            improve_months: Some(6),
        },
        d(2026, 10, 20),
        Some("姜组〔2026〕27号"),
    )
    .await?;
    x.run::<cadre::Aggregate>(
        &Actor::new(
            "区监委第三审查调查室",
            dossier_domain::Role::DisciplineInspector,
        ),
        cadre::Command::OpenInvestigation {
            cadre_id: chosen[3].clone(),
            case_id: format!("la-{}", chosen[3]),
            authority: "区纪委监委".into(),
            reason: "涉嫌违反工作纪律".into(),
        },
        d(2026, 11, 2),
        None,
    )
    .await?;
    // Promoted to 四级主任科员 in May 2026: seven months at the rank on the date asked.
    let junior = juniors[0].clone();
    notice(
        x,
        &junior,
        Rank::PrincipalClerk4,
        d(2026, 5, 11),
        d(2026, 5, 15),
    )
    .await?;
    x.run::<cadre::Aggregate>(
        &a,
        cadre::Command::PromoteRank {
            cadre_id: junior.clone(),
            to: Rank::PrincipalClerk4,
            document_number: "姜组〔2026〕15号".into(),
            approved_by: NOMINATOR.into(),
            quota_year: None,
        },
        d(2026, 5, 18),
        Some("姜组〔2026〕15号"),
    )
    .await?;
    let mut out = chosen;
    out.push(junior);
    Ok(out)
}
