//! The published figures of DOMAIN.md §5, built only through domain decisions, read off the dashboards.

use std::collections::BTreeSet;

use dossier_domain::{
    award, cadre,
    down::{self, Method, Situation, Trigger},
    quota,
    training::{self, ClassKind, TeachingMethod},
    types::{LeadershipLevel, PostCategory, Rank, RotationKind, ThreeGoodCategory},
};

use super::{care::closed_appeal, common::*};

#[tokio::test]
async fn the_published_figures_show_on_the_dashboards() {
    let mut env = Env::new().await;
    let r = &mut env.rec;
    let start = d(2016, 1, 4);

    // 9 main and 13 thematic classes.
    for i in 0..22 {
        let kind = if i < 9 {
            ClassKind::Main
        } else {
            ClassKind::Thematic
        };
        let cmd = training::Command::Schedule(training::Schedule {
            class_id: format!("k{i}"),
            name: format!("班次{i}"),
            kind,
            theme: (kind == ClassKind::Thematic)
                .then(|| ["招商引资特训营", "智改数转", "杏林堰才", "领雁人才"][i % 4].into()),
            start_date: d(2025, 3, 1),
            end_date: d(2025, 3, 5),
            scheduled_hours: 32.0,
            methods: vec![TeachingMethod::ALL[i % 5]],
            organizer_unit_id: None,
        });
        r.exec::<training::Aggregate>(cmd, Default::default(), d(2025, 2, 20))
            .await
            .expect("class");
    }

    // 8 business-facing units, 7 hot posts each, each held by a cadre since 2016; all 56 rotated this year.
    for u in 0..8 {
        let unit = format!("u{u}");
        r.unit(&unit, &format!("窗口单位{u}"), true, start)
            .await
            .expect("unit");
        for p in 0..7 {
            let post = format!("hot{p}");
            r.post(
                &unit,
                &post,
                "审批科长",
                PostCategory::Business,
                Some(LeadershipLevel::TownshipDeputy),
                start,
            )
            .await
            .expect("hot post");
            r.hot_post(&unit, &post, 5, start)
                .await
                .expect("designated");
            r.post(
                &unit,
                &format!("new{p}"),
                "综合科长",
                PostCategory::General,
                Some(LeadershipLevel::TownshipDeputy),
                start,
            )
            .await
            .expect("post");
        }
    }
    for u in 0..8 {
        for p in 0..7 {
            let (unit, cadre) = (format!("u{u}"), format!("h{u}{p}"));
            r.cadre(
                &cadre,
                "热点岗位负责人",
                &unit,
                d(1980, 1 + p as u32, 1 + u as u32),
                // The first of each unit is moved down below; 改任职级 keeps a 职级.
                (p == 0).then_some((Rank::PrincipalClerk4, start)),
                start,
            )
            .await
            .expect("cadre");
            r.appoint(&cadre, &unit, &format!("hot{p}"), start)
                .await
                .expect("appointed");
        }
    }
    for u in 0..8 {
        for p in 0..7 {
            let to_unit = format!("u{}", (u + 1) % 8);
            r.rotate(
                &format!("h{u}{p}"),
                RotationKind::Protective,
                &format!("hot{p}"),
                &to_unit,
                &format!("new{p}"),
                d(2025, 4, 1),
            )
            .await
            .expect("rotated");
        }
    }

    // 5 Steed Award batches, 37 awardees, over 3 years; the three-good contest 4 years running.
    let people: Vec<String> = (0..37).map(|i| format!("s{i}")).collect();
    let facts = award::Facts {
        known_cadres: people.iter().cloned().collect::<BTreeSet<_>>(),
        known_units: (0..8).map(|u| format!("u{u}")).collect(),
        ..Default::default()
    };
    let sizes = [8usize, 8, 7, 7, 7];
    let years = [2022, 2023, 2023, 2024, 2024];
    let mut next = 0;
    for (b, (size, year)) in sizes.into_iter().zip(years).enumerate() {
        let awardees = people[next..next + size]
            .iter()
            .map(|c| award::Awardee {
                cadre_id: c.clone(),
                citation: "事迹".into(),
            })
            .collect();
        next += size;
        let cmd = award::Command::AnnounceSteedBatch {
            batch_id: format!("steed-{b}"),
            ordinal: b as u32 + 1,
            year,
            title: "骏马奖".into(),
            awardees,
            basis: None,
        };
        r.exec::<award::Aggregate>(cmd, facts.clone(), d(year, 12, 1 + b as u32))
            .await
            .expect("steed batch");
    }
    for year in 2021..2025 {
        let winners = vec![award::ThreeGoodWinner {
            category: ThreeGoodCategory::Team,
            unit_id: "u0".into(),
            cadre_id: None,
            citation: "好班子".into(),
        }];
        let cmd = award::Command::AnnounceThreeGood {
            batch_id: format!("three-good-{year}"),
            year,
            winners,
            basis: None,
        };
        r.exec::<award::Aggregate>(cmd, facts.clone(), d(year, 12, 28))
            .await
            .expect("three-good");
    }

    // The year's front-line quota (the policy's 20).
    let open = quota::Command::Open {
        key: "2025".into(),
        year: 2025,
        size: None,
        basis: None,
    };
    r.exec::<quota::Aggregate>(open, quota::Facts::default(), d(2025, 1, 2))
        .await
        .expect("quota");

    // 8 cadres moved down by committee decision.
    for i in 0..8 {
        let (review, cadre) = (format!("r{i}"), format!("h{i}0"));
        let open = down::Command::Open(down::Open {
            review_id: review.clone(),
            cadre_id: cadre.clone(),
            trigger: Trigger::ReverseEvaluation,
            grade_year: None,
            reason: "反向研判".into(),
            evaluation_id: None,
        });
        r.exec::<down::Aggregate>(
            open,
            cadres(&[(cadre.as_str(), "u0")]).into(),
            d(2025, 5, 1),
        )
        .await
        .expect("review");
        let findings = down::Command::RecordFindings(down::RecordFindings {
            review_id: review.clone(),
            situation: Situation::LackOfDrive,
            findings: "不担当".into(),
        });
        r.exec::<down::Aggregate>(findings, Default::default(), d(2025, 5, 10))
            .await
            .expect("findings");
        let method = [
            Method::ChangeToRank,
            Method::EarlyExit,
            Method::ReverseAdjustment,
        ][i % 3];
        // 逆向调整岗位 names a vacant post without a leadership level.
        let staff = dossier_domain::unit::PostFact {
            unit_id: "u1".into(),
            unit_name: "单位u1".into(),
            post_id: "staff".into(),
            title: "科员".into(),
            category: dossier_domain::types::PostCategory::General,
            leadership_level: None,
            heads_unit: false,
            reports_to: None,
            open: true,
            hot_limit_years: None,
            business_facing: false,
        };
        let reverse = method == Method::ReverseAdjustment;
        let decide = down::Command::Decide(down::Decide {
            review_id: review,
            decision_ref: format!("区委常委会〔2025〕{i}号"),
            methods: vec![method],
            to_post: reverse.then(|| down::TargetPost {
                unit_id: "u1".into(),
                post_id: "staff".into(),
            }),
        });
        let facts = down::Facts {
            target: Some(down::TargetFact {
                post: Some(staff),
                ..Default::default()
            }),
            // The decision is checked on the cadre's record.
            subject: r.state::<cadre::Aggregate>(&cadre).cloned(),
            ..Default::default()
        };
        r.exec::<down::Aggregate>(decide, facts, d(2025, 5, 20))
            .await
            .expect("decided");
    }

    // 85 typical appeal cases.
    for i in 0..85 {
        closed_appeal(
            &mut env,
            &format!("a{i}"),
            &format!("h{}{}", i % 8, i % 7),
            d(2025, 1, 6),
            20,
            true,
        )
        .await;
    }

    let (p, _task) = env.start().await;
    let training = p.dashboard_training();
    assert_eq!(
        (training.classes("main"), training.classes("thematic")),
        (9, 13)
    );
    let awards = p.dashboard_awards();
    assert_eq!(awards.steed_batches, 5);
    assert_eq!(awards.steed_awardees, 37);
    assert_eq!(awards.steed_years.len(), 3);
    assert_eq!(awards.three_good_years.len(), 4);
    assert_eq!(p.dashboard_promotion()[&2025].size, 20);
    assert_eq!(p.dashboard_down().cadres_moved_down.len(), 8);
    let (rotation, _) = p.dashboard_rotation(d(2025, 12, 31));
    assert_eq!(rotation[&2025].hot_post_heads, 56);
    assert_eq!(rotation[&2025].hot_post_units.len(), 8);
    assert_eq!(p.dashboard_care(d(2025, 12, 31)).typical_cases, 85);
}
