//! Awards, promotion quota, “down”, supervision and care dashboards; the remaining alerts.

use std::collections::BTreeSet;

use dossier_domain::{
    accountability, award, bulletin, cadre,
    down::{self, Method, Situation, Trigger},
    lead, quota, risk, supervision,
    types::{FrontLineField, ThreeGoodCategory},
};
use dossier_projections::alerts::AlertKind;

use super::{cadres::world, common::*};

fn known(cadres: &[&str]) -> award::Facts {
    award::Facts {
        known_cadres: cadres
            .iter()
            .map(|c| (*c).to_owned())
            .collect::<BTreeSet<_>>(),
        known_units: ["u1", "u2"].iter().map(|u| (*u).to_owned()).collect(),
        ..Default::default()
    }
}

#[tokio::test]
async fn steed_batches_count_distinct_awardees_and_three_good_years() {
    let mut env = Env::new().await;
    world(&mut env).await;
    for c in ["c2", "c3", "c4"] {
        env.rec
            .cadre(c, "获奖者", "u1", d(1988, 3, 3), None, d(2019, 1, 1))
            .await
            .expect("cadre");
    }
    let awardees = |ids: &[&str]| {
        ids.iter()
            .map(|c| award::Awardee {
                cadre_id: (*c).into(),
                citation: "事迹".into(),
            })
            .collect::<Vec<_>>()
    };
    let steed = |id: &str, ordinal, year, ids: &[&str]| award::Command::AnnounceSteedBatch {
        batch_id: id.into(),
        ordinal,
        year,
        title: format!("第{ordinal}批骏马奖"),
        awardees: awardees(ids),
        basis: None,
    };
    let all = known(&["c1", "c2", "c3", "c4"]);
    env.rec
        .exec::<award::Aggregate>(
            steed("steed-1", 1, 2023, &["c1", "c2", "c3"]),
            all.clone(),
            d(2023, 12, 1),
        )
        .await
        .expect("batch 1");
    env.rec
        .exec::<award::Aggregate>(
            steed("steed-2", 2, 2024, &["c3", "c4"]),
            all.clone(),
            d(2024, 12, 1),
        )
        .await
        .expect("batch 2");
    for (i, year) in [2022, 2023].into_iter().enumerate() {
        let cmd = award::Command::AnnounceThreeGood {
            batch_id: format!("three-good-{year}"),
            year,
            winners: vec![
                award::ThreeGoodWinner {
                    category: ThreeGoodCategory::Team,
                    unit_id: "u1".into(),
                    cadre_id: None,
                    citation: "好班子".into(),
                },
                award::ThreeGoodWinner {
                    category: ThreeGoodCategory::Leader,
                    unit_id: "u1".into(),
                    cadre_id: Some("c1".into()),
                    citation: "好班长".into(),
                },
            ],
            basis: None,
        };
        env.rec
            .exec::<award::Aggregate>(cmd, all.clone(), d(year, 12, 20 + i as u32))
            .await
            .expect("three-good");
    }
    let (p, _task) = env.start().await;
    let a = p.dashboard_awards();
    assert_eq!(a.steed_batches, 2);
    assert_eq!(a.steed_awardees, 4, "c3 twice counts once");
    assert_eq!(a.steed_years, vec![2023, 2024]);
    assert_eq!(a.three_good_years, vec![2022, 2023]);
    assert_eq!(a.three_good_winners[&2023]["leader"], 1);
}

#[tokio::test]
async fn the_front_line_quota_shows_used_and_left() {
    let mut env = Env::new().await;
    world(&mut env).await;
    env.rec
        .cadre(
            "c2",
            "一线干部",
            "u1",
            d(1988, 3, 3),
            Some((dossier_domain::types::Rank::PrincipalClerk3, d(2018, 1, 1))),
            d(2019, 1, 1),
        )
        .await
        .expect("c2");
    let open = quota::Command::Open {
        key: "2025".into(),
        year: 2025,
        size: None,
        basis: None,
    };
    env.rec
        .exec::<quota::Aggregate>(open, quota::Facts::default(), d(2025, 1, 2))
        .await
        .expect("quota opened");
    let candidates: Vec<_> = ["c1", "c2"]
        .iter()
        .filter_map(|c| env.rec.state::<cadre::Aggregate>(c).cloned())
        .collect();
    let rank = quota::Command::Rank {
        key: "2025".into(),
        candidates: ["c1", "c2"]
            .iter()
            .map(|c| quota::RankCandidate {
                cadre_id: (*c).into(),
                field: FrontLineField::ProjectConstruction,
            })
            .collect(),
    };
    env.rec
        .exec::<quota::Aggregate>(
            rank,
            quota::Facts {
                candidates,
                ..Default::default()
            },
            d(2025, 3, 1),
        )
        .await
        .expect("ranked");
    let places: Vec<(String, u32)> = env
        .rec
        .state::<quota::Aggregate>("2025")
        .expect("quota stream")
        .ranking
        .iter()
        .map(|e| (e.cadre_id.clone(), e.place))
        .collect();
    for (c, place) in places {
        let facts = quota::Facts {
            cadre: env.rec.state::<cadre::Aggregate>(&c).cloned(),
            ..Default::default()
        };
        let cmd = quota::Command::Allocate {
            key: "2025".into(),
            cadre_id: c.clone(),
            field: FrontLineField::ProjectConstruction,
            place,
            skip_reason: None,
        };
        env.rec
            .exec::<quota::Aggregate>(cmd, facts, d(2025, 3, 1))
            .await
            .expect("allocated");
    }
    let (p, _task) = env.start().await;
    let q = &p.dashboard_promotion()[&2025];
    assert_eq!(q.size, p.policy_on(d(2025, 1, 2)).quota.front_line_per_year);
    assert_eq!(q.used(), 2);
    assert_eq!(q.left(), q.size - 2);
    assert_eq!((q.ranked, q.passed_over), (2, 0));
    assert!(
        q.allocations[0].points >= q.allocations[1].points,
        "ranked by points"
    );
    let c1 = p.profile("c1", d(2025, 6, 30)).expect("c1");
    assert_eq!(c1.front_line, Some(FrontLineField::ProjectConstruction));
}

#[tokio::test]
async fn the_points_ranking_orders_every_registered_cadre_by_its_profiles_points() {
    let mut env = Env::new().await;
    world(&mut env).await;
    // Different years in rank (seniority points), and two cadres with the same record (a tie).
    for (id, since) in [
        ("c2", d(2016, 1, 1)),
        ("c4", d(2022, 1, 1)),
        ("c3", d(2022, 1, 1)),
    ] {
        env.rec
            .cadre(
                id,
                "一线干部",
                "u1",
                d(1988, 3, 3),
                Some((dossier_domain::types::Rank::PrincipalClerk3, since)),
                since,
            )
            .await
            .expect("cadre");
    }
    let (p, _task) = env.start().await;
    let on = d(2025, 6, 30);
    let ranking = p.points_ranking(on, 100);
    let ids: Vec<&str> = ranking.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids.len(), 4, "{ranking:?}");
    for w in ranking.windows(2) {
        assert!(
            w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0),
            "highest first, equal points by id: {ranking:?}"
        );
    }
    for (id, points) in &ranking {
        let profile = p.profile(id, on).expect("profile");
        assert_eq!(profile.points.total, *points, "{id}");
    }
    assert_eq!(ids[ids.len() - 2..], ["c3", "c4"], "the tie, by id");
    assert_eq!(p.points_ranking(on, 2), ranking[..2]);
}

#[tokio::test]
async fn a_down_decision_counts_by_situation_method_and_outcome() {
    let mut env = Env::new().await;
    world(&mut env).await;
    let facts = cadres(&[("c1", "u1")]);
    let r = &mut env.rec;
    r.exec::<down::Aggregate>(
        down::Command::Open(down::Open {
            review_id: "r1".into(),
            cadre_id: "c1".into(),
            trigger: Trigger::ReverseEvaluation,
            grade_year: None,
            reason: "反向研判".into(),
            evaluation_id: None,
        }),
        facts.into(),
        d(2025, 2, 1),
    )
    .await
    .expect("opened");
    r.exec::<down::Aggregate>(
        down::Command::RecordFindings(down::RecordFindings {
            review_id: "r1".into(),
            situation: Situation::LackOfDrive,
            findings: "担当不足".into(),
        }),
        Default::default(),
        d(2025, 3, 1),
    )
    .await
    .expect("findings");
    r.exec::<down::Aggregate>(
        down::Command::Decide(down::Decide {
            review_id: "r1".into(),
            decision_ref: "区委常委会〔2025〕3号".into(),
            methods: vec![Method::ChangeToRank],
            to_post: None,
        }),
        // The decision is checked on the cadre's record (改任职级 keeps c1's 职级).
        down::Facts {
            subject: r.state::<cadre::Aggregate>("c1").cloned(),
            ..Default::default()
        },
        d(2025, 3, 15),
    )
    .await
    .expect("decided");
    let (p, _task) = env.start().await;
    let down = p.dashboard_down();
    assert_eq!(down.reviews_opened, 1);
    assert_eq!(down.by_trigger["reverse_evaluation"], 1);
    assert_eq!(down.by_situation["lack_of_drive"], 1);
    assert_eq!(down.by_method["change_to_rank"], 1);
    assert_eq!(down.by_outcome.get("open").copied().unwrap_or(0), 0);
    assert_eq!(down.by_outcome["decided"], 1);
    assert_eq!(down.cadres_moved_down.len(), 1);
    assert!(
        down.cadres_moved_down_executed.is_empty(),
        "decided, not carried out"
    );
    let c1 = p.profile("c1", d(2025, 6, 30)).expect("c1");
    assert_eq!(
        c1.down_reviews[0].method,
        Some(dossier_domain::types::DownMethod::ChangeToRank)
    );
    assert_eq!(
        c1.down_reviews[0].status,
        Some(dossier_domain::down::Status::Decided)
    );
    assert_eq!(c1.down_reviews[0].executed_on, None);
    assert!(
        p.alerts(d(2025, 12, 31))
            .iter()
            .all(|a| a.kind != AlertKind::DownReviewDue),
        "a decided review is not due"
    );
}

#[tokio::test]
async fn supervision_counts_records_leads_and_bulletins_and_details_come_from_the_log() {
    let mut env = Env::new().await;
    world(&mut env).await;
    let r = &mut env.rec;
    for (i, source) in [
        supervision::Source::OrgSection,
        supervision::Source::DisciplineGroup,
        supervision::Source::DisciplineGroup,
    ]
    .into_iter()
    .enumerate()
    {
        let cmd = supervision::Command::Record(supervision::Record {
            entry_id: format!("e{i}"),
            cadre_id: "c1".into(),
            source,
            source_name: "科室".into(),
            channel: supervision::Channel::Meeting,
            kind: supervision::EntryKind::DailyConduct,
            tone: supervision::Tone::Positive,
            content: "列席会议记实".into(),
            observed_on: d(2025, 4, 1),
        });
        // Each source records under its own role.
        r.actor = match source {
            supervision::Source::OrgSection => {
                dossier_domain::Actor::new("org", dossier_domain::Role::OrgAdmin)
            }
            supervision::Source::DisciplineGroup => {
                dossier_domain::Actor::new("jjz", dossier_domain::Role::DisciplineInspector)
            }
        };
        r.exec::<supervision::Aggregate>(cmd, cadres(&[("c1", "u1")]), d(2025, 4, 1))
            .await
            .expect("recorded");
    }
    r.exec::<supervision::Aggregate>(
        supervision::Command::Retract(supervision::Retract {
            entry_id: "e2".into(),
            reason: "误录".into(),
        }),
        Default::default(),
        d(2025, 4, 2),
    )
    .await
    .expect("retracted");
    let transfer = lead::Command::Transfer(lead::Transfer {
        lead_id: "l1".into(),
        cadre_id: "c1".into(),
        agency: lead::PartnerAgency::Audit,
        category: lead::Category::Administrative,
        summary: "审计发现".into(),
    });
    r.exec::<lead::Aggregate>(transfer, cadres(&[("c1", "u1")]), d(2025, 5, 1))
        .await
        .expect("lead");
    r.exec::<lead::Aggregate>(
        lead::Command::Verify(lead::Verify {
            lead_id: "l1".into(),
            findings: "核查".into(),
        }),
        Default::default(),
        d(2025, 5, 10),
    )
    .await
    .expect("verified");
    r.exec::<bulletin::Aggregate>(
        bulletin::Command::Open(bulletin::Open {
            month: "2025-05".into(),
        }),
        Default::default(),
        d(2025, 5, 31),
    )
    .await
    .expect("bulletin");
    let item = bulletin::Command::AddItem(bulletin::AddItem {
        month: "2025-05".into(),
        agency: lead::PartnerAgency::Audit,
        category: Some(lead::Category::Administrative),
        summary: "通报".into(),
        lead_count: 1,
        cadre_ids: vec!["c1".into()],
    });
    r.exec::<bulletin::Aggregate>(item, cadres(&[("c1", "u1")]), d(2025, 5, 31))
        .await
        .expect("item");
    r.exec::<bulletin::Aggregate>(
        bulletin::Command::Publish(bulletin::Publish {
            month: "2025-05".into(),
        }),
        Default::default(),
        d(2025, 5, 31),
    )
    .await
    .expect("published");

    let (p, _task) = env.start().await;
    let s = p.dashboard_supervision();
    assert_eq!(s.records_by_source["org_section"], 1);
    assert_eq!(
        s.records_by_source["discipline_group"], 1,
        "the retracted record is off the count"
    );
    assert_eq!(s.records_retracted, 1);
    assert_eq!(s.leads_by_agency["audit"], 1);
    assert_eq!(s.leads_by_category["administrative"], 1);
    assert_eq!(s.leads_by_status["verified"], 1);
    assert_eq!(s.bulletins["2025-05"].items, 1);
    assert_eq!(s.bulletins["2025-05"].leads, 1);
    assert!(s.bulletins["2025-05"].published);

    let c1 = p.profile("c1", d(2025, 6, 30)).expect("c1");
    let count = |src: &str| {
        c1.supervision
            .iter()
            .filter(|x| x.source == src)
            .map(|x| x.count)
            .sum::<u32>()
    };
    assert_eq!(count("org_section"), 1);
    assert_eq!(count("discipline_group"), 1);
    assert_eq!(count("lead:audit"), 1);
    let serialized = serde_json::to_string(&c1).expect("profile serializes");
    assert!(
        !serialized.contains("列席会议记实"),
        "the profile carries counts, never content"
    );
    let details = p.supervision_details("c1").await.expect("details");
    assert_eq!(
        details
            .iter()
            .filter(|e| e.event_type == "supervision.Recorded")
            .count(),
        3
    );
    assert!(details.iter().any(|e| e.event_type == "lead.Verified"));
    assert!(
        details
            .iter()
            .all(|e| e.event_type.starts_with("supervision.") || e.event_type.starts_with("lead."))
    );
}

#[tokio::test]
async fn risk_reports_judgements_and_exemptions_show_on_the_care_dashboard() {
    let mut env = Env::new().await;
    world(&mut env).await;
    let r = &mut env.rec;
    let file = risk::Command::File(risk::File {
        report_id: "k1".into(),
        cadre_id: "c1".into(),
        matter: "重大招商项目".into(),
        risks: "政策风险".into(),
        measures: "集体决策".into(),
        planned_decision_on: d(2025, 3, 1),
    });
    r.exec::<risk::Aggregate>(file, cadres(&[("c1", "u1")]), d(2025, 2, 1))
        .await
        .expect("risk report");
    for (case, grant) in [("x1", true), ("x2", false)] {
        let facts = accountability::Facts {
            cadres: cadres(&[("c1", "u1")]),
            ..Default::default()
        };
        let open = accountability::Command::Open(accountability::Open {
            case_id: case.into(),
            cadre_id: "c1".into(),
            summary: "问责".into(),
            act_on: d(2025, 2, 15),
        });
        r.exec::<accountability::Aggregate>(open, facts, d(2025, 4, 1))
            .await
            .expect("case");
        let judgement = accountability::ThreeDistinctions {
            pioneering: accountability::Pioneering::Inexperience,
            trial: accountability::TrialRule::NotYetProhibited,
            motive: accountability::Motive::ForDevelopment,
        };
        let record = accountability::Command::RecordJudgement(accountability::RecordJudgement {
            case_id: case.into(),
            judgement,
            reasons: "三个区分开来".into(),
        });
        r.exec::<accountability::Aggregate>(record, Default::default(), d(2025, 4, 5))
            .await
            .expect("judgement");
        let decide = accountability::Command::DecideExemption(accountability::DecideExemption {
            case_id: case.into(),
            grant,
            reasons: "容错".into(),
            basis: grant.then(|| accountability::Basis::RiskReport {
                report_id: "k1".into(),
            }),
        });
        let facts = accountability::Facts {
            risk_report: Some(accountability::RiskReportFact {
                report_id: "k1".into(),
                cadre_id: "c1".into(),
                filed_on: d(2025, 2, 1),
            }),
            ..Default::default()
        };
        r.exec::<accountability::Aggregate>(decide, facts, d(2025, 4, 10))
            .await
            .expect("decided");
    }
    let (p, _task) = env.start().await;
    let care = p.dashboard_care(d(2025, 6, 30));
    assert_eq!(care.risk_reports, 1);
    assert_eq!(care.exemptions_granted, 1);
    assert_eq!(care.exemptions_refused, 1);
    assert_eq!(
        care.accountability_by_judgement["inexperience/not_yet_prohibited/for_development"],
        2
    );
    let c1 = p.profile("c1", d(2025, 6, 30)).expect("c1");
    assert_eq!(c1.risk_reports, vec!["k1".to_owned()]);
    assert_eq!(c1.accountability, vec!["x1".to_owned(), "x2".to_owned()]);
}

#[tokio::test]
async fn training_hours_short_of_the_yearly_requirement_raise_an_alert() {
    let mut env = Env::new().await;
    world(&mut env).await;
    let (p, _task) = env.start().await;
    let short = p
        .alerts(d(2025, 3, 1))
        .iter()
        .filter(|a| a.kind == AlertKind::TrainingHoursShort && a.cadre_id.as_deref() == Some("c1"))
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(short.len(), 1);
    assert!(short[0].message.contains("2024"), "{}", short[0].message);
}

#[tokio::test]
async fn probation_secondment_and_admonition_deadlines_alert_ahead_of_time() {
    let mut env = Env::new().await;
    world(&mut env).await;
    let r = &mut env.rec;
    r.exec::<cadre::Aggregate>(
        cadre::Command::StartProbation {
            cadre_id: "c1".into(),
            post_id: "p1".into(),
            ends_on: d(2025, 9, 1),
        },
        Default::default(),
        d(2025, 3, 1),
    )
    .await
    .expect("probation");
    r.exec::<cadre::Aggregate>(
        cadre::Command::StartSecondment {
            cadre_id: "c1".into(),
            secondment_id: "g1".into(),
            host_unit: "某镇".into(),
            host_post: "副镇长".into(),
            ends_on: d(2025, 10, 1),
            document_number: None,
        },
        Default::default(),
        d(2025, 3, 1),
    )
    .await
    .expect("secondment");
    r.exec::<cadre::Aggregate>(
        cadre::Command::IssueAdmonition {
            cadre_id: "c1".into(),
            admonition_id: "m1".into(),
            reason: "基本称职".into(),
            improve_months: Some(6),
        },
        Default::default(),
        d(2025, 3, 1),
    )
    .await
    .expect("admonition");
    let (p, _task) = env.start().await;
    let ahead = i64::from(p.policy_on(d(2025, 3, 1)).reminders.end_date_days_ahead);
    let kinds = |on| p.alerts(on).iter().map(|a| a.kind).collect::<BTreeSet<_>>();
    let early = kinds(d(2025, 4, 1));
    assert!(!early.contains(&AlertKind::ProbationEnding));
    assert!(!early.contains(&AlertKind::SecondmentEnding));
    assert!(
        kinds(d(2025, 9, 1) - chrono::Duration::days(ahead)).contains(&AlertKind::ProbationEnding)
    );
    assert!(
        kinds(d(2025, 10, 1) - chrono::Duration::days(ahead))
            .contains(&AlertKind::SecondmentEnding)
    );
    let c1 = p.profile("c1", d(2025, 4, 1)).expect("c1");
    let improve_by = c1
        .sanctions
        .iter()
        .find_map(|s| s.improve_by)
        .expect("admonition recorded");
    assert!(
        !kinds(improve_by - chrono::Duration::days(ahead + 1))
            .contains(&AlertKind::AdmonitionDeadline)
    );
    assert!(
        kinds(improve_by - chrono::Duration::days(ahead)).contains(&AlertKind::AdmonitionDeadline)
    );
}

#[tokio::test]
async fn sensitive_posts_alert_at_their_limit_and_leaders_at_ten_years_in_one_post() {
    let mut env = Env::new().await;
    let r = &mut env.rec;
    let on = d(2014, 1, 2);
    r.unit("u9", "区财政局", false, on).await.expect("unit");
    r.post(
        "u9",
        "fin",
        "预算科科员",
        dossier_domain::types::PostCategory::Finance,
        None,
        on,
    )
    .await
    .expect("finance post");
    r.post(
        "u9",
        "lead",
        "副局长",
        dossier_domain::types::PostCategory::General,
        Some(dossier_domain::types::LeadershipLevel::TownshipDeputy),
        on,
    )
    .await
    .expect("leader post");
    r.cadre("f1", "财政干部", "u9", d(1985, 1, 1), None, on)
        .await
        .expect("f1");
    r.cadre("l1", "领导干部", "u9", d(1975, 1, 1), None, on)
        .await
        .expect("l1");
    r.appoint("f1", "u9", "fin", d(2015, 6, 1))
        .await
        .expect("f1 appointed");
    r.appoint("l1", "u9", "lead", d(2015, 6, 1))
        .await
        .expect("l1 appointed");
    let (p, _task) = env.start().await;
    let policy = p.policy_on(d(2025, 6, 1));
    let of = |on, kind| {
        p.alerts(on)
            .iter()
            .filter(|a| a.kind == kind)
            .cloned()
            .filter_map(|a| a.cadre_id)
            .collect::<Vec<_>>()
    };
    let sensitive_due =
        dossier_domain::dates::add_months(d(2015, 6, 1), policy.tenure.sensitive_post_years * 12);
    assert!(
        of(
            sensitive_due - chrono::Duration::days(1),
            AlertKind::SensitivePostTenure
        )
        .is_empty()
    );
    assert_eq!(
        of(sensitive_due, AlertKind::SensitivePostTenure),
        vec!["f1".to_owned()]
    );
    let leader_due = dossier_domain::dates::add_months(
        d(2015, 6, 1),
        policy.tenure.leadership_same_post_years * 12,
    );
    assert!(
        of(
            leader_due - chrono::Duration::days(1),
            AlertKind::LeadershipTenure
        )
        .is_empty()
    );
    assert_eq!(
        of(leader_due, AlertKind::LeadershipTenure),
        vec!["l1".to_owned()]
    );
}
