//! Care dashboard: appeals by stage, overdue stages, median days to close, typical cases; alert for overdue stages.

use chrono::NaiveDate;
use dossier_domain::appeal::{self, CentreLevel};

use super::common::*;

async fn step(env: &mut Env, cmd: appeal::Command, on: NaiveDate) -> u64 {
    let facts = match &cmd {
        appeal::Command::File(f) => appeal::Facts::new(cadres(&[(f.cadre_id.as_str(), "u1")]), []),
        _ => appeal::Facts::new(Default::default(), [("u2", "单位u2")]),
    };
    env.rec
        .exec::<appeal::Aggregate>(cmd, facts, on)
        .await
        .expect("appeal step accepted")
}

pub async fn file(env: &mut Env, id: &str, cadre: &str, on: NaiveDate) -> u64 {
    step(
        env,
        appeal::Command::File(appeal::File {
            appeal_id: id.into(),
            cadre_id: cadre.into(),
            level: CentreLevel::District,
            town: None,
            summary: "诉求".into(),
        }),
        on,
    )
    .await
}

/// File an appeal and take it through the whole loop, closing after `days` days.
pub async fn closed_appeal(
    env: &mut Env,
    id: &str,
    cadre: &str,
    filed: NaiveDate,
    days: i64,
    typical: bool,
) {
    use chrono::Duration;
    file(env, id, cadre, filed).await;
    step(
        env,
        appeal::Command::List(appeal::List {
            appeal_id: id.into(),
            assignee_unit_id: "u2".into(),
        }),
        filed + Duration::days(1),
    )
    .await;
    step(
        env,
        appeal::Command::Claim(appeal::Claim {
            appeal_id: id.into(),
            handler: "张三".into(),
        }),
        filed + Duration::days(2),
    )
    .await;
    step(
        env,
        appeal::Command::Coordinate(appeal::Coordinate {
            appeal_id: id.into(),
            participant_unit_ids: vec!["u2".into()],
            outcome: "协调".into(),
        }),
        filed + Duration::days(3),
    )
    .await;
    step(
        env,
        appeal::Command::Track(appeal::Track {
            appeal_id: id.into(),
            note: "跟踪".into(),
        }),
        filed + Duration::days(4),
    )
    .await;
    step(
        env,
        appeal::Command::Close(appeal::Close {
            appeal_id: id.into(),
            resolution: "办结".into(),
        }),
        filed + Duration::days(days),
    )
    .await;
    if typical {
        step(
            env,
            appeal::Command::MarkTypical(appeal::MarkTypical {
                appeal_id: id.into(),
                reason: "典型".into(),
            }),
            filed + Duration::days(days),
        )
        .await;
    }
}

#[tokio::test]
async fn appeals_count_by_stage_with_median_days_to_close_and_typical_cases() {
    let mut env = Env::new().await;
    closed_appeal(&mut env, "a1", "c1", d(2025, 1, 6), 10, true).await;
    closed_appeal(&mut env, "a2", "c2", d(2025, 2, 3), 20, false).await;
    closed_appeal(&mut env, "a3", "c3", d(2025, 3, 3), 30, true).await;
    file(&mut env, "a4", "c4", d(2025, 6, 2)).await;

    let (p, _task) = env.start().await;
    let care = p.dashboard_care(d(2025, 6, 3));
    assert_eq!(care.appeals, 4);
    assert_eq!(care.by_stage["closed"], 3);
    assert_eq!(care.by_stage["filed"], 1);
    assert_eq!(care.median_days_to_close, Some(20.0));
    assert_eq!(care.typical_cases, 2);
    assert!(
        care.overdue.is_empty(),
        "a4 was filed yesterday: not overdue yet"
    );
    let profile = p
        .profile("c1", d(2025, 6, 3))
        .expect("c1 known through the appeal");
    assert_eq!(profile.appeals, vec!["a1".to_owned()]);
}

#[tokio::test]
async fn an_appeal_left_in_a_stage_past_its_deadline_is_overdue_on_the_dashboard_and_alerts() {
    let mut env = Env::new().await;
    file(&mut env, "a1", "c1", d(2025, 6, 2)).await;
    let (p, _task) = env.start().await;
    let listing_days = p.policy_on(d(2025, 6, 2)).appeal.list_days;
    let due = d(2025, 6, 2) + chrono::Duration::days(i64::from(listing_days));

    let on_time = p.dashboard_care(due);
    assert!(
        on_time.overdue.is_empty(),
        "on the due date the stage is not yet overdue"
    );
    let late = p.dashboard_care(due + chrono::Duration::days(2));
    assert_eq!(late.overdue.len(), 1);
    assert_eq!(late.overdue[0].appeal_id, "a1");
    assert_eq!(late.overdue[0].days_overdue, 2);
    assert_eq!(late.overdue_by_stage["filed"], 1);

    let alerts = p.alerts(due + chrono::Duration::days(2));
    assert!(
        alerts.iter().any(
            |a| a.kind == dossier_projections::alerts::AlertKind::AppealStageOverdue
                && a.cadre_id.as_deref() == Some("c1")
        ),
        "alerts: {alerts:?}"
    );
    assert!(
        !p.alerts(due)
            .iter()
            .any(|a| a.kind == dossier_projections::alerts::AlertKind::AppealStageOverdue)
    );
}

#[tokio::test]
async fn alerts_read_twice_for_a_date_follow_a_write_folded_in_between() {
    let mut env = Env::new().await;
    file(&mut env, "a1", "c1", d(2025, 6, 2)).await;
    let (p, _task) = env.start().await;
    let on = d(2025, 9, 1);
    let overdue = |alerts: &[dossier_projections::alerts::Alert]| {
        let mut ids: Vec<String> = alerts
            .iter()
            .filter(|a| a.kind == dossier_projections::alerts::AlertKind::AppealStageOverdue)
            .filter_map(|a| a.cadre_id.clone())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(overdue(&p.alerts(on)), ["c1"]);
    assert_eq!(overdue(&p.alerts(on)), ["c1"], "the same answer again");

    let pos = file(&mut env, "a2", "c2", d(2025, 6, 3)).await;
    p.wait_for(pos, WAIT).await.expect("folded");
    assert_eq!(
        overdue(&p.alerts(on)),
        ["c1", "c2"],
        "the second appeal is seen after its write is folded"
    );
    assert!(
        overdue(&p.alerts(d(2025, 6, 3))).is_empty(),
        "another date is evaluated afresh"
    );
}
