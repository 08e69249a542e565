//! The demo's 选任 (selection) record: post quotas (职数) and a third deputy post in four units, the reserve pool (后备干部库),
//! and four selection cases at different steps: one appointed, one cancelled, one in 考察, one in 任前公示.

use std::collections::BTreeSet;

use dossier_domain::{
    cadre,
    codes::{AppointmentManner, RemovalManner},
    reserve, selection, staffing,
    types::{LeadershipLevel, PostCategory},
    unit,
};

use super::{APPROVER, NOMINATOR, Plan, Role_, admin, d};
use crate::demo::{district::UNITS, exec::Exec};

/// The units whose cases the demo records, with the case id and how far each went.
const CASES: &[(&str, &str, Reach)] = &[
    ("u13", "xr-2026-01", Reach::Appointed),
    ("u16", "xr-2026-02", Reach::Cancelled),
    ("u17", "xr-2026-03", Reach::Inspection),
    ("u18", "xr-2026-04", Reach::Notice),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Appointed,
    Cancelled,
    Inspection,
    Notice,
}

fn record(body: &str, document: Option<&str>) -> selection::Record {
    selection::Record {
        body: body.into(),
        document: document.map(str::to_owned),
        attachments: Vec::new(),
    }
}

/// The section heads and staff of `unit` still in the post the plan gave them (the hot-post
/// exchanges moved some), outside `excluded`.
async fn still_in_place(
    x: &Exec<'_>,
    plan: &Plan,
    unit: usize,
    excluded: &BTreeSet<usize>,
) -> anyhow::Result<Vec<usize>> {
    let mut out = Vec::new();
    for i in plan.of_role(|c| c.unit == unit && matches!(c.role, Role_::Section(_) | Role_::Staff))
    {
        if excluded.contains(&i) {
            continue;
        }
        let spec = &plan.cadres[i];
        let state = x
            .service
            .cadre_state(&spec.id)
            .await
            .map_err(crate::commands::api_error)?;
        if state.is_some_and(|s| s.holding(&spec.post_id).is_some() && s.leadership_level.is_none())
        {
            out.push(i);
        }
    }
    Ok(out)
}

/// Quotas, posts, the pool and the four cases. Returns the cadres the cases drew.
pub(super) async fn selection_cases(
    x: &Exec<'_>,
    plan: &mut Plan,
    excluded: &BTreeSet<usize>,
) -> anyhow::Result<BTreeSet<usize>> {
    let a = admin();
    let mut drawn = BTreeSet::new();
    for &(uid, case_id, reach) in CASES {
        let u = UNITS.iter().position(|s| s.id == uid).expect("demo unit");
        let basis = format!("姜编〔2026〕{}号", 10 + u);
        x.run::<staffing::Aggregate>(
            &a,
            staffing::Command::Publish(staffing::Publish {
                unit_id: uid.into(),
                chiefs: 1,
                deputies: 3,
                exceptions_allowed: false,
                basis: basis.clone(),
            }),
            d(2026, 1, 5),
            Some(&basis),
        )
        .await?;
        let post_id = format!("{uid}-dep3");
        x.run::<unit::Aggregate>(
            &a,
            unit::Command::OpenPost(unit::OpenPost {
                unit_id: uid.into(),
                post_id: post_id.clone(),
                title: if UNITS[u].town { "副镇长" } else { "副职" }.into(),
                category: PostCategory::General,
                leadership_level: Some(LeadershipLevel::TownshipDeputy),
                heads_unit: false,
                reports_to: Some(format!("{uid}-head")),
            }),
            d(2026, 1, 5),
            Some(&basis),
        )
        .await?;
        let mut pool = still_in_place(x, plan, u, excluded).await?;
        pool.truncate(3);
        anyhow::ensure!(pool.len() >= 2, "单位 {uid} 可作人选的干部不足 2 名");
        let ids: Vec<String> = pool.iter().map(|&i| plan.cadres[i].id.clone()).collect();
        // The pool's cadres entered the reserve pool the year before, their education on record.
        for (k, id) in ids.iter().enumerate() {
            x.run::<cadre::Aggregate>(
                &a,
                cadre::Command::RecordParticulars(education(id, u + k)),
                d(2025, 5, 20),
                None,
            )
            .await?;
            x.run::<reserve::Aggregate>(
                &a,
                reserve::Command::Nominate {
                    cadre_id: id.clone(),
                    how: reserve::Nomination::DemocraticRecommendation,
                    nominated_by: format!("{}党组(党委)", UNITS[u].name),
                },
                d(2025, 6, 2),
                None,
            )
            .await?;
        }
        drawn.extend(pool.iter().copied());
        run_case(x, case_id, uid, &post_id, &ids, reach).await?;
    }
    Ok(drawn)
}

/// The particulars of a reserve-pool cadre with their education (全日制 and 在职, drawn in turn
/// from a few usual records by `k`).
fn education(id: &str, k: usize) -> cadre::RecordParticulars {
    const RECORDS: &[(&str, &str, &str, &str)] = &[
        ("大学本科", "管理学学士", "研究生", "公共管理硕士"),
        ("大学本科", "经济学学士", "", ""),
        ("研究生", "工学硕士", "", ""),
        ("大学专科", "", "大学本科", "法学学士"),
        ("大学本科", "法学学士", "中央党校研究生", ""),
    ];
    let (full, full_degree, in_service, in_service_degree) = RECORDS[k % RECORDS.len()];
    let record = |level: &str, degree: &str| cadre::EducationRecord {
        level: level.into(),
        degree: degree.into(),
        school: String::new(),
    };
    cadre::RecordParticulars {
        cadre_id: id.into(),
        particulars: Box::new(cadre::Particulars {
            full_time_education: record(full, full_degree),
            in_service_education: record(in_service, in_service_degree),
            ..Default::default()
        }),
    }
}

/// One case from its motion as far as `reach`, dated after the year's other records of the unit.
async fn run_case(
    x: &Exec<'_>,
    case_id: &str,
    uid: &str,
    post_id: &str,
    ids: &[String],
    reach: Reach,
) -> anyhow::Result<()> {
    let a = admin();
    // Each case on its own months of 2026.
    let (m, notice) = match reach {
        Reach::Appointed => (3, Some((d(2026, 4, 13), d(2026, 4, 17)))),
        Reach::Cancelled => (5, None),
        Reach::Inspection => (10, None),
        Reach::Notice => (9, Some((d(2026, 11, 16), d(2026, 11, 20)))),
    };
    let step = |command: selection::Command, on| {
        let a = a.clone();
        async move {
            x.run::<selection::Aggregate>(&a, command, on, None).await?;
            anyhow::Ok(())
        }
    };
    let case = || case_id.to_owned();
    step(
        selection::Command::Move(selection::Move {
            case_id: case(),
            unit_id: uid.into(),
            proposer: "区委书记".into(),
            meeting: selection::MeetingKind::WorkingGroup,
            post_ids: vec![post_id.into()],
            pool: ids.to_vec(),
            quota_exception: None,
            record: record("区委干部工作小组会", Some("干部工作小组会议纪要")),
        }),
        d(2026, m, 2),
    )
    .await?;
    let carried: Vec<String> = ids.iter().take(2).cloned().collect();
    step(
        selection::Command::Recommend(selection::Recommend {
            case_id: case(),
            method: selection::RoundMethod::Meeting,
            participants: 42,
            votes: ids
                .iter()
                .enumerate()
                .map(|(k, id)| selection::CandidateVotes {
                    cadre_id: id.clone(),
                    // One post: the 42 participants cast at most 42 votes together.
                    votes: 20 - 7 * k as u32,
                })
                .collect(),
            carried_forward: carried.clone(),
            record: record("会议推荐", Some("民主推荐情况报告")),
        }),
        d(2026, m, 9),
    )
    .await?;
    if reach == Reach::Cancelled {
        step(
            selection::Command::Cancel {
                case_id: case(),
                reason: "机构改革, 职位暂不补充".into(),
            },
            d(2026, m, 25),
        )
        .await?;
        return Ok(());
    }
    let inspected = if reach == Reach::Inspection { 1 } else { 2 };
    for id in carried.iter().take(inspected) {
        step(
            selection::Command::Inspect(selection::Inspect {
                case_id: case(),
                cadre_id: id.clone(),
                team: vec!["干部一科科长".into(), "干部一科副科长".into()],
                interviewed: 26,
                report: format!("考察材料-{id}"),
                record: record("区委组织部考察组", None),
            }),
            d(2026, m, 16),
        )
        .await?;
    }
    if reach == Reach::Inspection {
        return Ok(());
    }
    step(
        selection::Command::RequestIntegrity(selection::RequestIntegrity {
            case_id: case(),
            cadre_ids: carried.clone(),
            record: record(NOMINATOR, Some("征求意见函")),
        }),
        d(2026, m, 21),
    )
    .await?;
    for id in &carried {
        step(
            selection::Command::ReplyIntegrity(selection::ReplyIntegrity {
                case_id: case(),
                cadre_id: id.clone(),
                verdict: selection::Verdict::Clear,
                note: "未发现影响使用的问题".into(),
                record: record("区纪委监委", Some("廉政意见回复函")),
            }),
            d(2026, m, 23),
        )
        .await?;
    }
    let (starts, ends) = notice.expect("a case that reaches 公示");
    step(
        selection::Command::Decide(selection::Decide {
            case_id: case(),
            meeting: selection::MeetingKind::StandingCommittee,
            members: 11,
            present: 10,
            votes: vec![selection::DecisionVote {
                cadre_id: carried[0].clone(),
                post_id: post_id.into(),
                approve: 9,
                against: 0,
                abstain: 1,
            }],
            record: record("区委常委会", Some("常委会会议纪要")),
        }),
        starts.pred_opt().unwrap_or(starts),
    )
    .await?;
    step(
        selection::Command::StartNotice(selection::StartNotice {
            case_id: case(),
            ends_on: ends,
            record: record(NOMINATOR, Some("任前公示")),
        }),
        starts,
    )
    .await?;
    if reach == Reach::Notice {
        return Ok(());
    }
    step(
        selection::Command::EndNotice(selection::EndNotice { case_id: case() }),
        ends,
    )
    .await?;
    // The document: the appointee takes the deputy post and leaves the section post.
    let appointee = &carried[0];
    let state = x
        .service
        .cadre_state(appointee)
        .await
        .map_err(crate::commands::api_error)?
        .ok_or_else(|| anyhow::anyhow!("干部 {appointee} 不在册"))?;
    let removals = state
        .posts
        .iter()
        .map(|h: &cadre::Holding| selection::RemoveLine {
            cadre_id: appointee.clone(),
            unit_id: h.unit_id.clone(),
            post_id: h.post_id.clone(),
            manner: RemovalManner::Removal,
            procedure: "经区委常委会研究决定".into(),
        })
        .collect();
    let issued = d(2026, 4, 20);
    step(
        selection::Command::Appoint(selection::Appoint {
            case_id: case(),
            number: "姜委〔2026〕21号".into(),
            issuer: APPROVER.into(),
            issued_on: issued,
            appointments: vec![selection::AppointLine {
                cadre_id: appointee.clone(),
                post_id: post_id.into(),
                manner: AppointmentManner::Commission,
                procedure: "经区委常委会研究决定".into(),
            }],
            removals,
            attachments: vec!["任免审批表".into()],
        }),
        issued,
    )
    .await?;
    Ok(())
}
