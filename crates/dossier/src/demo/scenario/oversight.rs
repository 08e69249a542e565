//! The demo's supervision (管): records from the linked sources, problem leads through their stages, and the monthly joint bulletins.

use super::*;

pub(super) async fn supervision_records(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let all: Vec<usize> = (0..plan.cadres.len()).collect();
    let mut entries = Vec::new();
    for i in 0..120usize {
        let c = plan.cadres[all[plan.rng.random_range(0..all.len())]]
            .id
            .clone();
        let note = plan.rng.random_range(0..district::SUPERVISION_NOTES.len());
        let tone = match note {
            3 | 6 => supervision::Tone::Negative,
            4 | 7 | 2 => supervision::Tone::Positive,
            _ => supervision::Tone::Neutral,
        };
        let channel = [
            supervision::Channel::Meeting,
            supervision::Channel::Survey,
            supervision::Channel::Inspection,
        ][plan.rng.random_range(0..3)];
        let kind = [
            supervision::EntryKind::DailyConduct,
            supervision::EntryKind::KeyWorkPerformance,
            supervision::EntryKind::RewardPunishment,
        ][plan.rng.random_range(0..3)];
        let on = between(&mut plan.rng, d(2024, 1, 8), d(2026, 11, 10));
        entries.push((i, c, note, tone, channel, kind, on));
    }
    each(
        entries,
        |(i, cadre_id, note, tone, channel, kind, on)| async move {
            let discipline = i % 2 == 1;
            let actor = if discipline { inspector() } else { admin() };
            x.run::<supervision::Aggregate>(
                &actor,
                supervision::Command::Record(supervision::Record {
                    entry_id: format!("sv{:04}", i + 1),
                    cadre_id,
                    source: if discipline {
                        supervision::Source::DisciplineGroup
                    } else {
                        supervision::Source::OrgSection
                    },
                    source_name: if discipline {
                        "区纪委监委第三派驻纪检组".into()
                    } else {
                        "区委组织部干部监督科".into()
                    },
                    channel,
                    kind,
                    tone,
                    content: district::SUPERVISION_NOTES[note].into(),
                    observed_on: on,
                }),
                on,
                None,
            )
            .await?;
            Ok(())
        },
    )
    .await
}

pub(super) async fn leads(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let all: Vec<usize> = (0..plan.cadres.len()).collect();
    let mut items = Vec::new();
    for i in 0..24usize {
        let c = plan.cadres[all[plan.rng.random_range(0..all.len())]]
            .id
            .clone();
        let agency =
            lead::PartnerAgency::ALL[plan.rng.random_range(0..lead::PartnerAgency::ALL.len())];
        let cat = plan.rng.random_range(0..4usize);
        let on = between(&mut plan.rng, d(2024, 2, 1), d(2026, 11, 1));
        let roll = plan.rng.random_range(0..100);
        items.push((i, c, agency, cat, on, roll));
    }
    each(items, |(i, cadre_id, agency, cat, on, roll)| async move {
        let actor = inspector();
        let id = format!("ld{:03}", i + 1);
        x.run::<lead::Aggregate>(
            &actor,
            lead::Command::Transfer(lead::Transfer {
                lead_id: id.clone(),
                cadre_id,
                agency,
                category: lead::Category::ALL[cat],
                summary: district::LEAD_SUMMARIES[cat].into(),
            }),
            on,
            None,
        )
        .await?;
        let verified = plus(on, 10);
        if verified > today() {
            return Ok(());
        }
        x.run::<lead::Aggregate>(
            &actor,
            lead::Command::Verify(lead::Verify {
                lead_id: id.clone(),
                findings: "经初步核实，已形成核查报告".into(),
            }),
            verified,
            None,
        )
        .await?;
        let concluded = plus(on, 30);
        if concluded > today() {
            return Ok(());
        }
        let (conclusion, to) = match roll {
            0..30 => (lead::Conclusion::Substantiated, None),
            30..85 => (lead::Conclusion::NotSubstantiated, None),
            _ => (lead::Conclusion::Transferred, Some("区纪委监委".to_owned())),
        };
        x.run::<lead::Aggregate>(
            &actor,
            lead::Command::Conclude(lead::Conclude {
                lead_id: id,
                conclusion,
                transferred_to: to,
                reason: "依据核查情况作出结论".into(),
            }),
            concluded,
            None,
        )
        .await?;
        Ok(())
    })
    .await
}

/// Monthly joint bulletins 2025-01 … 2026-10.
pub(super) async fn bulletins(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let all: Vec<usize> = (0..plan.cadres.len()).collect();
    let mut months = Vec::new();
    for k in 0..22u32 {
        let (year, month) = (2025 + (k / 12) as i32, k % 12 + 1);
        let mut items = Vec::new();
        for _ in 0..plan.rng.random_range(2..=3) {
            let agency =
                lead::PartnerAgency::ALL[plan.rng.random_range(0..lead::PartnerAgency::ALL.len())];
            let cat = plan.rng.random_range(0..4usize);
            let n = plan.rng.random_range(0..=2);
            let cadres: Vec<String> = plan
                .pick(&all, n)
                .into_iter()
                .map(|c| plan.cadres[c].id.clone())
                .collect();
            let head =
                district::BULLETIN_ITEMS[plan.rng.random_range(0..district::BULLETIN_ITEMS.len())];
            items.push((agency, cat, head, n as u32, cadres));
        }
        months.push((year, month, items));
    }
    each(months, |(year, month, items)| async move {
        let a = inspector();
        let id = format!("{year}-{month:02}");
        x.run::<bulletin::Aggregate>(
            &a,
            bulletin::Command::Open(bulletin::Open { month: id.clone() }),
            d(year, month, 1),
            None,
        )
        .await?;
        for (agency, cat, head, leads, cadre_ids) in items {
            x.run::<bulletin::Aggregate>(
                &a,
                bulletin::Command::AddItem(bulletin::AddItem {
                    month: id.clone(),
                    agency,
                    category: Some(lead::Category::ALL[cat]),
                    summary: head.into(),
                    lead_count: leads,
                    cadre_ids,
                }),
                d(year, month, 20),
                None,
            )
            .await?;
        }
        x.run::<bulletin::Aggregate>(
            &a,
            bulletin::Command::Publish(bulletin::Publish { month: id }),
            d(year, month, 28),
            None,
        )
        .await?;
        Ok(())
    })
    .await
}
