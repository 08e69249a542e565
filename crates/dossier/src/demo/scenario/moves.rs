//! The demo's use of cadres (用): awards, front-line quotas by points ranking, “down” decisions, and rotations (ordinary and of the hot posts).

use super::*;

/// The three-good contest 2023–2026 and five Steed Award batches (37 awardees) 2024–2026.
/// Returns the cadres honoured with the Steed Award.
pub(super) async fn awards(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<BTreeSet<usize>> {
    let heads = plan.of_role(|c| c.role == Role_::Head);
    let deputies = plan.of_role(|c| c.role == Role_::Deputy);
    for year in figures::THREE_GOOD_YEARS {
        let on = if year == 2026 {
            d(2026, 11, 10)
        } else {
            d(year, 12, 20)
        };
        let mut winners = Vec::new();
        let mut units: Vec<usize> = (0..UNITS.len()).collect();
        units.shuffle(&mut plan.rng);
        for &u in units.iter().take(3) {
            winners.push(award::ThreeGoodWinner {
                category: ThreeGoodCategory::Team,
                unit_id: UNITS[u].id.into(),
                cadre_id: None,
                citation: "班子团结协作，年度重点任务全面完成".into(),
            });
        }
        for c in plan.pick(&heads, 3) {
            winners.push(award::ThreeGoodWinner {
                category: ThreeGoodCategory::Leader,
                unit_id: UNITS[plan.cadres[c].unit].id.into(),
                cadre_id: Some(plan.cadres[c].id.clone()),
                citation: "把方向、管大局、带队伍成效突出".into(),
            });
        }
        for c in plan.pick(&deputies, 4) {
            winners.push(award::ThreeGoodWinner {
                category: ThreeGoodCategory::Deputy,
                unit_id: UNITS[plan.cadres[c].unit].id.into(),
                cadre_id: Some(plan.cadres[c].id.clone()),
                citation: "分管工作争先进位，补位协作主动".into(),
            });
        }
        let basis = format!("姜委〔{year}〕{}号", 80 + year % 100);
        x.run::<award::Aggregate>(
            &admin(),
            award::Command::AnnounceThreeGood {
                batch_id: format!("three-good-{year}"),
                year,
                winners,
                basis: Some(basis.clone()),
            },
            on,
            Some(&basis),
        )
        .await?;
    }

    let front = plan.of_role(|c| {
        matches!(
            c.role,
            Role_::Head | Role_::Deputy | Role_::Hot(_) | Role_::Section(_)
        )
    });
    let awardees = plan.pick(&front, figures::STEED_AWARDEES);
    let batches: [(i32, NaiveDate, usize); 5] = [
        (2024, d(2024, 12, 18), 7),
        (2025, d(2025, 6, 18), 8),
        (2025, d(2025, 12, 18), 7),
        (2026, d(2026, 6, 18), 8),
        (2026, d(2026, 11, 5), 7),
    ];
    let mut next = 0;
    for (ordinal, (year, on, size)) in batches.into_iter().enumerate() {
        let chosen = &awardees[next..next + size];
        next += size;
        let list = chosen
            .iter()
            .map(|&c| award::Awardee {
                cadre_id: plan.cadres[c].id.clone(),
                citation: "在重大项目攻坚和招商引资一线勇挑重担、实绩突出".into(),
            })
            .collect();
        let basis = format!("姜委〔{year}〕{}号", 120 + ordinal);
        x.run::<award::Aggregate>(
            &admin(),
            award::Command::AnnounceSteedBatch {
                batch_id: format!("steed-{}", ordinal + 1),
                ordinal: ordinal as u32 + 1,
                year,
                title: "姜堰区“骏马奖”".into(),
                awardees: list,
                basis: Some(basis.clone()),
            },
            on,
            Some(&basis),
        )
        .await?;
    }
    Ok(awardees.into_iter().collect())
}

/// The front-line field a unit's cadres work in.
pub(super) fn field_of(unit: usize) -> FrontLineField {
    match UNITS[unit].id {
        "u03" | "u04" | "u07" | "u17" | "u20" => FrontLineField::ProjectConstruction,
        "u01" | "u06" | "u13" => FrontLineField::InvestmentAndTalent,
        _ => FrontLineField::SocialGovernance,
    }
}

/// 20 front-line promotion quotas a year (2024–2026), allocated by points ranking. Returns the recipients.
pub(super) async fn quotas(x: &Exec<'_>, plan: &Plan) -> anyhow::Result<BTreeSet<usize>> {
    let candidates =
        plan.of_role(|c| matches!(c.role, Role_::Deputy | Role_::Hot(_) | Role_::Section(_)));
    let mut recipients = BTreeSet::new();
    for year in figures::QUOTA_YEARS {
        let key = year.to_string();
        let basis = format!("姜组发〔{year}〕9号");
        x.run::<quota::Aggregate>(
            &admin(),
            quota::Command::Open {
                key: key.clone(),
                year,
                size: None,
                basis: Some(basis.clone()),
            },
            d(year, 3, 1),
            Some(&basis),
        )
        .await?;
        let on = if year == 2026 {
            d(2026, 11, 12)
        } else {
            d(year, 11, 15)
        };
        // The year's ranking of the front-line cadres not yet promoted by a quota, published on
        // the quota stream; the places go down it in order.
        let mut named = Vec::new();
        for &c in &candidates {
            if recipients.contains(&c) {
                continue;
            }
            let spec = &plan.cadres[c];
            named.push(quota::RankCandidate {
                cadre_id: spec.id.clone(),
                field: field_of(spec.unit),
            });
        }
        x.run::<quota::Aggregate>(
            &admin(),
            quota::Command::Rank {
                key: key.clone(),
                candidates: named,
            },
            on,
            Some(&basis),
        )
        .await?;
        let (state, _) = x
            .service
            .load::<quota::Aggregate>(&<quota::Aggregate as dossier_domain::Aggregate>::stream_id(
                &key,
            ))
            .await
            .map_err(crate::commands::api_error)?;
        for entry in state.ranking.iter().take(figures::QUOTA_PER_YEAR as usize) {
            let Some(c) = candidates
                .iter()
                .copied()
                .find(|&c| plan.cadres[c].id == entry.cadre_id)
            else {
                continue;
            };
            x.run::<quota::Aggregate>(
                &admin(),
                quota::Command::Allocate {
                    key: key.clone(),
                    cadre_id: entry.cadre_id.clone(),
                    field: entry.field,
                    place: entry.place,
                    skip_reason: None,
                },
                on,
                Some(&basis),
            )
            .await?;
            recipients.insert(c);
        }
    }
    Ok(recipients)
}

/// 8 cadres found unfit by reverse evaluation and moved “down” by committee decision, each with one method.
/// Eight cadres moved “down” by committee decision. Returns the cadres moved.
pub(super) async fn down_decisions(
    x: &Exec<'_>,
    plan: &mut Plan,
    excluded: &BTreeSet<usize>,
) -> anyhow::Result<BTreeSet<usize>> {
    let pool: Vec<usize> = plan
        .of_role(|c| matches!(c.role, Role_::Deputy | Role_::Section(_)))
        .into_iter()
        .filter(|c| !excluded.contains(c))
        .collect();
    let chosen = plan.pick(&pool, figures::DOWN_DECISIONS);
    let moved: BTreeSet<usize> = chosen.iter().copied().collect();
    let mut cases = Vec::new();
    for (i, c) in chosen.into_iter().enumerate() {
        let opened = plus(d(2025, 3, 3), i as u64 * 70);
        cases.push((i, plan.cadres[c].clone(), opened));
    }
    let staff_of = |unit: usize| post_id(UNITS[(unit + 7) % UNITS.len()].id, "staff");
    each(cases, |(i, c, opened)| async move {
        let a = admin();
        let id = format!("dr{:02}", i + 1);
        x.run::<down::Aggregate>(
            &a,
            down::Command::Open(down::Open {
                review_id: id.clone(),
                cadre_id: c.id.clone(),
                trigger: down::Trigger::ReverseEvaluation,
                grade_year: None,
                reason: "干部日常考核和反向研判反映不适宜担任现职".into(),
                evaluation_id: None,
            }),
            opened,
            None,
        )
        .await?;
        x.run::<down::Aggregate>(
            &a,
            down::Command::RecordFindings(down::RecordFindings {
                review_id: id.clone(),
                situation: down::Situation::ALL[i % down::Situation::ALL.len()],
                findings: "经谈话了解、调查核实，情况属实".into(),
            }),
            plus(opened, 15),
            None,
        )
        .await?;
        let method = down::Method::ALL[i % 3];
        let decided = plus(opened, 30);
        let decision_ref = format!("姜委常〔{}〕{}号", decided.year(), 30 + i);
        // 逆向调整岗位 moves the cadre to a staff post of another unit; the execution below
        // carries every method out on the cadre's record in the same write.
        let to_post = (method == down::Method::ReverseAdjustment).then(|| down::TargetPost {
            unit_id: UNITS[(c.unit + 7) % UNITS.len()].id.into(),
            post_id: staff_of(c.unit),
        });
        x.run::<down::Aggregate>(
            &a,
            down::Command::Decide(down::Decide {
                review_id: id.clone(),
                decision_ref: decision_ref.clone(),
                methods: vec![method],
                to_post,
            }),
            decided,
            Some(&decision_ref),
        )
        .await?;
        let executed = plus(opened, 40);
        x.run::<down::Aggregate>(
            &a,
            down::Command::Execute(down::Execute {
                review_id: id,
                note: format!("已按{}办理", method.zh()),
            }),
            executed,
            Some(&decision_ref),
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(moved)
}

/// A few ordinary cultivating moves of town deputies in 2024–2025. A deputy post is held by one
/// cadre, so the moves form a chain: the town after the first deputy's opens a third deputy post
/// (副镇长) in 2024, the first deputy fills it, and each later deputy fills the post the one
/// before left. Returns the cadres moved.
pub(super) async fn ordinary_rotations(
    x: &Exec<'_>,
    plan: &mut Plan,
) -> anyhow::Result<BTreeSet<usize>> {
    let deputies = plan.of_role(|c| c.role == Role_::Deputy && UNITS[c.unit].town);
    let chosen = plan.pick(&deputies, 8);
    let Some(&first) = chosen.first() else {
        return Ok(BTreeSet::new());
    };
    // The next town (towns are the last 16 units).
    let first_town = UNITS.len() - 16;
    let town = first_town + (plan.cadres[first].unit - first_town + 1) % 16;
    let (uid, basis) = (UNITS[town].id, "姜编〔2024〕21号");
    let mut vacant = (town, post_id(uid, "dep3"));
    x.run::<unit::Aggregate>(
        &admin(),
        unit::Command::OpenPost(unit::OpenPost {
            unit_id: uid.into(),
            post_id: vacant.1.clone(),
            title: "副镇长".into(),
            category: PostCategory::General,
            leadership_level: Some(LeadershipLevel::TownshipDeputy),
            heads_unit: false,
            reports_to: Some(post_id(uid, "head")),
        }),
        d(2024, 8, 1),
        Some(basis),
    )
    .await?;
    for (k, &c) in chosen.iter().enumerate() {
        let spec = plan.cadres[c].clone();
        let on = plus(d(2024, 9, 2), k as u64 * 45);
        let left = (spec.unit, spec.post_id.clone());
        rotate(x, (spec, on, RotationKind::Cultivating, vacant, 100 + k)).await?;
        vacant = left;
    }
    Ok(chosen.into_iter().collect())
}

/// 56 hot-post heads of the 8 business-facing units rotated in 2026, each post filled the
/// same day by the cadre coming in: an exchange (交流) with a section head or staff member
/// of a unit that is not business-facing, who takes the hot post while the hot-post head
/// takes theirs. `moved_down` (no longer in their posts) take no part.
pub(super) async fn hot_rotations(
    x: &Exec<'_>,
    plan: &mut Plan,
    moved_down: &BTreeSet<usize>,
) -> anyhow::Result<()> {
    let hot = plan.of_role(|c| matches!(c.role, Role_::Hot(_)));
    let elsewhere = |role: fn(&Role_) -> bool| {
        move |c: &CadreSpec| !UNITS[c.unit].business_facing && role(&c.role)
    };
    let sections: Vec<usize> = plan
        .of_role(elsewhere(|r| matches!(r, Role_::Section(_))))
        .into_iter()
        .filter(|c| !moved_down.contains(c))
        .collect();
    let staff: Vec<usize> = plan
        .of_role(elsewhere(|r| *r == Role_::Staff))
        .into_iter()
        .filter(|c| !moved_down.contains(c))
        .collect();
    // Section heads first (a 科长 post for a 科长), then staff members.
    let mut incoming = plan.pick(&sections, sections.len());
    incoming.extend(plan.pick(&staff, staff.len()));
    if incoming.len() < hot.len() {
        bail!(
            "[DEMO_TOO_FEW_CADRES] 热点岗位交流需要 {} 名非窗口单位干部接任，只有 {} 名",
            hot.len(),
            incoming.len()
        );
    }
    let mut exchanges = Vec::new();
    for (k, (&c, &i)) in hot.iter().zip(&incoming).enumerate() {
        let out = plan.cadres[c].clone();
        let inc = plan.cadres[i].clone();
        let on = plus(d(2026, 3, 2), (k as u64 * 4) % 240);
        let years = (on - out.appointed_on).num_days() / 365;
        let kind = if years >= 5 {
            RotationKind::Protective
        } else if plan.rng.random_bool(0.1) {
            RotationKind::Spurring
        } else {
            RotationKind::Cultivating
        };
        exchanges.push((out, inc, on, kind, k));
    }
    each(exchanges, |(out, inc, on, kind, k)| async move {
        let a = admin();
        // The hot-post head takes the incoming cadre's post…
        let doc = format!("姜组〔{}〕{}号", on.year(), 200 + k);
        exchange(x, &a, &out, &inc, kind, on, &doc).await?;
        // …and the incoming cadre fills the hot post the same day.
        let doc = format!("姜组〔{}〕{}号", on.year(), 400 + k);
        exchange(x, &a, &inc, &out, RotationKind::Cultivating, on, &doc).await
    })
    .await
}

/// Rotate `who` from their post into the post `to` held before the exchange.
pub(super) async fn exchange(
    x: &Exec<'_>,
    a: &Actor,
    who: &CadreSpec,
    to: &CadreSpec,
    kind: RotationKind,
    on: NaiveDate,
    doc: &str,
) -> anyhow::Result<()> {
    x.run::<cadre::Aggregate>(
        a,
        cadre::Command::Rotate(cadre::Rotate {
            cadre_id: who.id.clone(),
            kind,
            reason: reason_of(kind).into(),
            from_post_id: who.post_id.clone(),
            to_unit_id: UNITS[to.unit].id.into(),
            to_post_id: to.post_id.clone(),
            approved_by: APPROVER.into(),
            document_number: doc.to_owned(),
        }),
        on,
        Some(doc),
    )
    .await?;
    Ok(())
}

pub(super) fn reason_of(kind: RotationKind) -> &'static str {
    match kind {
        RotationKind::Protective => "热点岗位任职满 5 年，保护性交流",
        RotationKind::Spurring => "工作作风需改进，鞭策性交流",
        RotationKind::Cultivating => "培养锻炼，拓宽岗位经历",
    }
}

pub(super) async fn rotate(
    x: &Exec<'_>,
    (spec, on, kind, (to, to_post), k): (
        CadreSpec,
        NaiveDate,
        RotationKind,
        (usize, String),
        usize,
    ),
) -> anyhow::Result<()> {
    let reason = reason_of(kind);
    let doc = format!("姜组〔{}〕{}号", on.year(), 200 + k);
    x.run::<cadre::Aggregate>(
        &admin(),
        cadre::Command::Rotate(cadre::Rotate {
            cadre_id: spec.id.clone(),
            kind,
            reason: reason.into(),
            from_post_id: spec.post_id.clone(),
            to_unit_id: UNITS[to].id.into(),
            to_post_id: to_post,
            approved_by: APPROVER.into(),
            document_number: doc.clone(),
        }),
        on,
        Some(&doc),
    )
    .await?;
    Ok(())
}
