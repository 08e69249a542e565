//! The published figures of the cultivation, “down” and care streams, reproduced through public commands only; appeal deadline laws.

use chrono::{Days, NaiveDate};
use dossier_domain::{
    Actor, Aggregate, Context, DomainError, Policy, Role, appeal, down,
    practice::{CadreRef, Cadres},
    training, types, unit,
};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

/// A tiny in-memory application: one stream's events, decided and folded through the public API.
struct Stream<A: Aggregate> {
    events: Vec<A::Event>,
}

impl<A: Aggregate> Stream<A> {
    fn new() -> Self {
        Stream { events: Vec::new() }
    }

    fn run(
        &mut self,
        command: A::Command,
        on: NaiveDate,
        actor: &Actor,
        facts: &A::Facts,
    ) -> Result<(), DomainError> {
        let policy = Policy::national_default();
        let ctx = Context {
            actor,
            effective: on,
            today: on,
            policy: &policy,
        };
        let state = A::fold(self.events.iter());
        let new = A::decide(&state, &command, &ctx, facts)?;
        self.events.extend(new);
        Ok(())
    }
}

fn admin() -> Actor {
    Actor::new("org", Role::OrgAdmin)
}

#[test]
fn nine_main_and_thirteen_thematic_classes_with_completions() {
    let themes = ["招商引资特训营", "智改数转", "杏林堰才", "领雁人才"];
    let cadres = Cadres::of([CadreRef::new("c1", "u1")]);
    let mut main = 0;
    let mut thematic = 0;
    let mut completed = 0;
    for i in 0..22u32 {
        let id = format!("class-{i}");
        let kind = if i < 9 {
            training::ClassKind::Main
        } else {
            training::ClassKind::Thematic
        };
        let start = d(2025, 3, 3) + Days::new(u64::from(i) * 7);
        let end = start + Days::new(4);
        let mut class = Stream::<training::Aggregate>::new();
        class
            .run(
                training::Command::Schedule(training::Schedule {
                    class_id: id.clone(),
                    name: format!("第{}期", i + 1),
                    kind,
                    theme: (kind == training::ClassKind::Thematic)
                        .then(|| themes[i as usize % 4].to_owned()),
                    start_date: start,
                    end_date: end,
                    scheduled_hours: 40.0,
                    methods: vec![
                        training::TeachingMethod::Case,
                        training::TeachingMethod::Simulation,
                    ],
                    organizer_unit_id: None,
                }),
                start - Days::new(14),
                &admin(),
                &cadres,
            )
            .expect("scheduled");
        class
            .run(
                training::Command::Enrol(training::Enrol {
                    class_id: id.clone(),
                    cadre_id: "c1".into(),
                }),
                start - Days::new(7),
                &admin(),
                &cadres,
            )
            .expect("enrolled");
        for day in 0..4 {
            let session_date = start + Days::new(day);
            class
                .run(
                    training::Command::RecordAttendance(training::RecordAttendance {
                        class_id: id.clone(),
                        cadre_id: "c1".into(),
                        session_date,
                        session: None,
                        hours: 8.0,
                    }),
                    session_date,
                    &admin(),
                    &cadres,
                )
                .expect("attended");
        }
        class
            .run(
                training::Command::Complete(training::Complete {
                    class_id: id.clone(),
                    cadre_id: "c1".into(),
                }),
                end,
                &admin(),
                &cadres,
            )
            .expect("32 of 40 hours is 80%: completes");
        for e in &class.events {
            match e {
                training::Event::Scheduled(s) if s.kind == training::ClassKind::Main => main += 1,
                training::Event::Scheduled(_) => thematic += 1,
                training::Event::Completed(_) => completed += 1,
                _ => {}
            }
        }
    }
    assert_eq!((main, thematic, completed), (9, 13, 22));
}

/// A vacant staff post (no leadership level) a 逆向调整岗位 can move a cadre to.
fn staff_post() -> unit::PostFact {
    unit::PostFact {
        unit_id: "u2".into(),
        unit_name: "区商务局".into(),
        post_id: "staff".into(),
        title: "科员".into(),
        category: types::PostCategory::General,
        leadership_level: None,
        heads_unit: false,
        reports_to: None,
        open: true,
        hot_limit_years: None,
        business_facing: true,
    }
}

/// A deputy's record (乡科级副职, with a 职级), whom any method can move down.
fn deputy(cadre_id: &str) -> dossier_domain::cadre::State {
    dossier_domain::cadre::State {
        registered: true,
        cadre_id: cadre_id.into(),
        name: format!("干部{cadre_id}"),
        unit_id: "u1".into(),
        rank: Some(dossier_domain::types::Rank::Researcher4),
        leadership_level: Some(dossier_domain::types::LeadershipLevel::TownshipDeputy),
        ..Default::default()
    }
}

#[test]
fn eight_cadres_moved_down_by_committee_decision() {
    let mut by_method = std::collections::BTreeMap::new();
    for i in 0..8u32 {
        let cadre = format!("c{i}");
        let target = down::TargetPost {
            unit_id: "u2".into(),
            post_id: "staff".into(),
        };
        let cadres = down::Facts {
            cadres: Cadres::of([CadreRef::new(cadre.clone(), "u1")]),
            target: Some(down::TargetFact {
                post: Some(staff_post()),
                ..Default::default()
            }),
            required_on: None,
            subject: Some(deputy(&cadre)),
        };
        let id = format!("r{i}");
        let mut review = Stream::<down::Aggregate>::new();
        let method = down::Method::ALL[i as usize % 3];
        review
            .run(
                down::Command::Open(down::Open {
                    review_id: id.clone(),
                    cadre_id: cadre.clone(),
                    trigger: down::Trigger::ReverseEvaluation,
                    grade_year: None,
                    reason: "反向研判".into(),
                    evaluation_id: None,
                }),
                d(2025, 3, 1),
                &admin(),
                &cadres,
            )
            .expect("opened");
        review
            .run(
                down::Command::RecordFindings(down::RecordFindings {
                    review_id: id.clone(),
                    situation: down::Situation::ALL[i as usize],
                    findings: "经反向研判".into(),
                }),
                d(2025, 3, 20),
                &admin(),
                &cadres,
            )
            .expect("findings");
        review
            .run(
                down::Command::Decide(down::Decide {
                    review_id: id.clone(),
                    decision_ref: format!("姜委〔2025〕{}号", 10 + i),
                    methods: vec![method],
                    to_post: (method == down::Method::ReverseAdjustment).then(|| target.clone()),
                }),
                d(2025, 4, 1),
                &admin(),
                &cadres,
            )
            .expect("decided");
        review
            .run(
                down::Command::Execute(down::Execute {
                    review_id: id,
                    note: "已办理".into(),
                }),
                d(2025, 4, 15),
                &admin(),
                &cadres,
            )
            .expect("executed");
        for e in &review.events {
            if let down::Event::Decided(dec) = e {
                *by_method.entry(dec.method).or_insert(0) += 1;
            }
        }
    }
    assert_eq!(by_method.values().sum::<u32>(), 8);
    assert_eq!(by_method.get(&down::Method::ChangeToRank), Some(&3));
}

#[test]
fn eighty_five_typical_appeal_cases_through_the_closed_loop() {
    let centre = admin();
    let mut typical = 0;
    for i in 0..85u32 {
        let cadre = format!("c{i}");
        let cadres = appeal::Facts::new(
            Cadres::of([CadreRef::new(cadre.clone(), "u1")]),
            [("u9", "区信访局"), ("u3", "区财政局"), ("u26", "沈高镇")],
        );
        let id = format!("p{i}");
        let filed_on = d(2025, 1, 2) + Days::new(u64::from(i));
        let mut appeal = Stream::<appeal::Aggregate>::new();
        let steps = [
            appeal::Command::File(appeal::File {
                appeal_id: id.clone(),
                cadre_id: cadre.clone(),
                level: if i % 2 == 0 {
                    appeal::CentreLevel::District
                } else {
                    appeal::CentreLevel::Town
                },
                town: (i % 2 == 1).then(|| "沈高镇".to_owned()),
                summary: "诉求".into(),
            }),
            appeal::Command::List(appeal::List {
                appeal_id: id.clone(),
                assignee_unit_id: "u9".into(),
            }),
            appeal::Command::Claim(appeal::Claim {
                appeal_id: id.clone(),
                handler: "领办人".into(),
            }),
            appeal::Command::Coordinate(appeal::Coordinate {
                appeal_id: id.clone(),
                participant_unit_ids: vec!["u9".into(), "u3".into()],
                outcome: "会办明确".into(),
            }),
            appeal::Command::Track(appeal::Track {
                appeal_id: id.clone(),
                note: "跟踪".into(),
            }),
            appeal::Command::Close(appeal::Close {
                appeal_id: id.clone(),
                resolution: "办结".into(),
            }),
            appeal::Command::MarkTypical(appeal::MarkTypical {
                appeal_id: id.clone(),
                reason: "典型".into(),
            }),
        ];
        let filer = Actor::scoped(format!("acct-{cadre}"), Role::Cadre, cadre.clone());
        for (n, step) in steps.into_iter().enumerate() {
            let actor = if n == 0 { &filer } else { &centre };
            appeal
                .run(step, filed_on + Days::new(n as u64), actor, &cadres)
                .expect("each stage in order");
        }
        typical += appeal
            .events
            .iter()
            .filter(|e| matches!(e, appeal::Event::MarkedTypical(_)))
            .count();
        let mut timeline = appeal::Timeline::default();
        appeal.events.iter().for_each(|e| timeline.apply(e));
        assert_eq!(timeline.current(), Some(appeal::Stage::Closed));
        assert!(
            timeline
                .overdue(&Policy::national_default().appeal, d(2026, 1, 1))
                .is_empty()
        );
    }
    assert_eq!(typical, 85);
}

/// Dates for each stage: `gaps[i]` days after the previous stage.
fn timeline(filed_on: NaiveDate, gaps: &[u64]) -> appeal::Timeline {
    let mut t = appeal::Timeline {
        filed_on: Some(filed_on),
        ..appeal::Timeline::default()
    };
    let mut on = filed_on;
    let slots = [
        &mut t.listed_on,
        &mut t.claimed_on,
        &mut t.coordinated_on,
        &mut t.tracked_on,
        &mut t.closed_on,
    ];
    for (slot, gap) in slots.into_iter().zip(gaps) {
        on = on + Days::new(*gap);
        *slot = Some(on);
    }
    t
}

proptest! {
    #[test]
    fn a_stage_left_within_its_days_is_never_overdue_and_one_day_more_is(
        gaps in proptest::collection::vec(0u64..40, 1..=5),
        late in 0usize..5,
    ) {
        let policy = Policy::national_default().appeal;
        let allowed = [policy.list_days, policy.assign_days, policy.claim_days, policy.coordinate_days, policy.track_days];
        // Within every deadline: no breach, whatever the date of the question.
        let on_time: Vec<u64> = gaps.iter().zip(allowed).map(|(g, a)| g % (u64::from(a) + 1)).collect();
        let t = timeline(d(2025, 1, 1), &on_time);
        prop_assert!(t.overdue(&policy, d(2030, 1, 1)).iter().all(|b| b.left_on.is_none()));
        prop_assert!(t.deadlines(&policy).iter().filter(|s| s.left_on.is_some()).all(|s| !s.is_overdue(d(2030, 1, 1))));
        // One stage a day late: exactly that stage is breached, by one day.
        if late < on_time.len() {
            let mut one_late: Vec<u64> = on_time.iter().zip(allowed).map(|(_, a)| u64::from(a)).collect();
            one_late[late] += 1;
            let t = timeline(d(2025, 1, 1), &one_late);
            let closed_or_moved: Vec<_> = t.overdue(&policy, d(2025, 1, 1)).into_iter().filter(|b| b.left_on.is_some()).collect();
            prop_assert_eq!(closed_or_moved.len(), 1);
            prop_assert_eq!(closed_or_moved[0].stage, appeal::Stage::ALL[late]);
            prop_assert_eq!(closed_or_moved[0].days_overdue(d(2025, 1, 1)), 1);
        }
    }

    #[test]
    fn an_open_stage_becomes_overdue_the_day_after_its_due_date(days_in_stage in 0u64..60) {
        let policy = Policy::national_default().appeal;
        let t = timeline(d(2025, 1, 1), &[1]); // listed on 01-02, claiming due 3 days later
        let as_of = d(2025, 1, 2) + Days::new(days_in_stage);
        let breach = t.current_overdue(&policy, as_of);
        prop_assert_eq!(breach.is_some(), days_in_stage > u64::from(policy.assign_days));
        if let Some(b) = breach {
            prop_assert_eq!(b.stage, appeal::Stage::Listed);
            prop_assert_eq!(b.days_overdue(as_of), (days_in_stage - u64::from(policy.assign_days)) as i64);
        }
    }
}
