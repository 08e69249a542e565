//! The demo's care (关爱): prior risk reports, the trial-and-error list, accountability cases with exemptions, and appeals through the closed loop.

use super::*;

/// Prior risk reports, filed by leaders and acknowledged. Returns (report id, cadre id, filed on).
pub(super) async fn risk_reports(
    x: &Exec<'_>,
    plan: &mut Plan,
) -> anyhow::Result<Vec<(String, String, NaiveDate)>> {
    let leaders = plan.of_role(|c| matches!(c.role, Role_::Head | Role_::Deputy));
    let chosen = plan.pick(&leaders, 16);
    let mut reports = Vec::new();
    for (i, c) in chosen.into_iter().enumerate() {
        let on = between(&mut plan.rng, d(2024, 3, 1), d(2026, 9, 30));
        reports.push((format!("rk{:03}", i + 1), plan.cadres[c].id.clone(), on));
    }
    each(reports.clone(), |(id, cadre_id, on)| async move {
        let (matter, risks, measures) =
            district::RISK_MATTERS[id.len() % district::RISK_MATTERS.len()];
        x.run::<risk::Aggregate>(
            &as_cadre(&cadre_id),
            risk::Command::File(risk::File {
                report_id: id.clone(),
                cadre_id: cadre_id.clone(),
                matter: matter.into(),
                risks: risks.into(),
                measures: measures.into(),
                planned_decision_on: plus(on, 20),
            }),
            on,
            None,
        )
        .await?;
        x.run::<risk::Aggregate>(
            &admin(),
            risk::Command::Acknowledge(risk::Acknowledge {
                report_id: id,
                note: "已备案，请按报备措施推进".into(),
            }),
            plus(on, 3),
            None,
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(reports)
}

/// The trial-and-error list. Returns (entry id, cadre ids).
pub(super) async fn trial_list_entries(
    x: &Exec<'_>,
    plan: &mut Plan,
) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let leaders = plan.of_role(|c| matches!(c.role, Role_::Head | Role_::Deputy | Role_::Hot(_)));
    let mut entries = Vec::new();
    for (i, (area, description)) in district::TRIAL_AREAS.iter().enumerate() {
        let cadres: Vec<String> = plan
            .pick(&leaders, 3)
            .into_iter()
            .map(|c| plan.cadres[c].id.clone())
            .collect();
        entries.push((format!("tl{:02}", i + 1), *area, *description, cadres));
    }
    let out = entries.iter().map(|e| (e.0.clone(), e.3.clone())).collect();
    each(entries, |(id, area, description, cadre_ids)| async move {
        x.run::<trial_list::Aggregate>(
            &admin(),
            trial_list::Command::List(trial_list::List {
                entry_id: id,
                area: area.into(),
                description: description.into(),
                cadre_ids,
                valid_until: Some(d(2027, 12, 31)),
            }),
            d(2024, 3, 1),
            Some("姜组发〔2024〕5号"),
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(out)
}

/// Accountability cases judged by the three distinctions; exemptions granted citing a prior report or the trial list, or refused.
pub(super) async fn accountability_cases(
    x: &Exec<'_>,
    plan: &mut Plan,
    risks: &[(String, String, NaiveDate)],
    trials: &[(String, Vec<String>)],
) -> anyhow::Result<()> {
    let mut cases = Vec::new();
    for (i, (report_id, cadre_id, filed)) in risks.iter().take(4).enumerate() {
        let act = plus(*filed, 30);
        cases.push((
            i,
            cadre_id.clone(),
            act,
            true,
            Some(accountability::Basis::RiskReport {
                report_id: report_id.clone(),
            }),
        ));
    }
    for (k, (entry_id, cadres)) in trials.iter().take(2).enumerate() {
        if let Some(c) = cadres.first() {
            cases.push((
                4 + k,
                c.clone(),
                d(2025, 5, 10 + k as u32),
                true,
                Some(accountability::Basis::TrialListEntry {
                    entry_id: entry_id.clone(),
                }),
            ));
        }
    }
    let others = plan.of_role(|c| matches!(c.role, Role_::Section(_) | Role_::Staff));
    for (k, c) in plan.pick(&others, 4).into_iter().enumerate() {
        let act = between(&mut plan.rng, d(2024, 6, 1), d(2026, 6, 30));
        cases.push((6 + k, plan.cadres[c].id.clone(), act, false, None));
    }
    each(cases, |(i, cadre_id, act, favourable, basis)| async move {
        let a = inspector();
        let id = format!("ac{:03}", i + 1);
        let opened = plus(act, 20).min(today());
        x.run::<accountability::Aggregate>(
            &a,
            accountability::Command::Open(accountability::Open {
                case_id: id.clone(),
                cadre_id,
                summary: if favourable {
                    "推进改革事项中出现失误，造成一定损失".into()
                } else {
                    "违反规定办理审批事项".into()
                },
                act_on: act,
            }),
            opened,
            None,
        )
        .await?;
        let judgement = if favourable {
            accountability::ThreeDistinctions {
                pioneering: accountability::Pioneering::Inexperience,
                trial: accountability::TrialRule::NotYetProhibited,
                motive: accountability::Motive::ForDevelopment,
            }
        } else {
            accountability::ThreeDistinctions {
                pioneering: accountability::Pioneering::KnowingViolation,
                trial: accountability::TrialRule::ExplicitViolation,
                motive: accountability::Motive::SelfServing,
            }
        };
        let judged = plus(opened, 15).min(today());
        x.run::<accountability::Aggregate>(
            &a,
            accountability::Command::RecordJudgement(accountability::RecordJudgement {
                case_id: id.clone(),
                judgement,
                reasons: "依据“三个区分开来”综合研判".into(),
            }),
            judged,
            None,
        )
        .await?;
        x.run::<accountability::Aggregate>(
            &a,
            accountability::Command::DecideExemption(accountability::DecideExemption {
                case_id: id,
                grant: favourable,
                reasons: if favourable {
                    "符合容错免责情形，予以免责".into()
                } else {
                    "属明知故犯，不予免责".into()
                },
                basis,
            }),
            plus(judged, 10).min(today()),
            None,
        )
        .await?;
        Ok(())
    })
    .await
}

/// How far an appeal got through the closed loop.
#[derive(Debug, Clone, Copy)]
pub(super) enum AppealFate {
    Typical,
    Closed,
    /// Open after this many stages past filing (0: filed only).
    Open(usize),
}

/// 85 typical cases compiled from closed appeals, other closed ones, and some still open (a few overdue).
pub(super) async fn appeals(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let all: Vec<usize> = (0..plan.cadres.len()).collect();
    let mut items = Vec::new();
    let fates = std::iter::repeat_n(AppealFate::Typical, figures::TYPICAL_APPEALS)
        .chain(std::iter::repeat_n(AppealFate::Closed, 20))
        .chain((0..12).map(|k| AppealFate::Open(k % 4)));
    for (i, fate) in fates.enumerate() {
        let c = all[plan.rng.random_range(0..all.len())];
        let filed = match fate {
            AppealFate::Open(_) => between(&mut plan.rng, d(2026, 9, 1), d(2026, 11, 12)),
            _ => between(&mut plan.rng, d(2024, 1, 8), d(2026, 8, 31)),
        };
        let summary =
            district::APPEAL_SUMMARIES[plan.rng.random_range(0..district::APPEAL_SUMMARIES.len())];
        items.push((
            i,
            plan.cadres[c].id.clone(),
            plan.cadres[c].unit,
            filed,
            fate,
            summary,
        ));
    }
    each(
        items,
        |(i, cadre_id, unit, filed, fate, summary)| async move {
            let id = format!("ap{:03}", i + 1);
            let town = UNITS[unit].town;
            let centre = admin();
            x.run::<appeal::Aggregate>(
                &as_cadre(&cadre_id),
                appeal::Command::File(appeal::File {
                    appeal_id: id.clone(),
                    cadre_id: cadre_id.clone(),
                    level: if town {
                        appeal::CentreLevel::Town
                    } else {
                        appeal::CentreLevel::District
                    },
                    town: town.then(|| UNITS[unit].name.to_owned()),
                    summary: summary.into(),
                }),
                filed,
                None,
            )
            .await?;
            let steps: Vec<appeal::Command> = vec![
                appeal::Command::List(appeal::List {
                    appeal_id: id.clone(),
                    assignee_unit_id: UNITS[unit].id.into(),
                }),
                appeal::Command::Claim(appeal::Claim {
                    appeal_id: id.clone(),
                    handler: "领办责任人".into(),
                }),
                appeal::Command::Coordinate(appeal::Coordinate {
                    appeal_id: id.clone(),
                    participant_unit_ids: vec![
                        UNITS[unit].id.into(),
                        if UNITS[unit].id == "u11" {
                            "u09"
                        } else {
                            "u11"
                        }
                        .into(),
                    ],
                    outcome: "协调会明确责任分工和办理时限".into(),
                }),
                appeal::Command::Track(appeal::Track {
                    appeal_id: id.clone(),
                    note: "跟踪督办，按期反馈".into(),
                }),
                appeal::Command::Close(appeal::Close {
                    appeal_id: id.clone(),
                    resolution: "诉求已解决，当事人满意".into(),
                }),
            ];
            let stages = match fate {
                AppealFate::Open(n) => n,
                _ => steps.len(),
            };
            let mut on = filed;
            for step in steps.into_iter().take(stages) {
                on = plus(on, 1);
                x.run::<appeal::Aggregate>(&centre, step, on, None).await?;
            }
            if matches!(fate, AppealFate::Typical) {
                x.run::<appeal::Aggregate>(
                    &centre,
                    appeal::Command::MarkTypical(appeal::MarkTypical {
                        appeal_id: id,
                        reason: "办理过程规范、成效明显，编入典型案例".into(),
                    }),
                    plus(on, 2),
                    None,
                )
                .await?;
            }
            Ok(())
        },
    )
    .await
}
