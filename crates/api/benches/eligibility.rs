//! Benchmark program: `promotionCandidates` for one rank over a large district, in process and through GraphQL, and a promotion's dry run against the command itself. Prints figures.
//!
//! Run: `cargo bench -p dossier-api --bench eligibility` (100,000 cadres; optionally `-- N` cadres).
//! Quick mode (500 cadres, seconds): `cargo test -p dossier-api --bench eligibility` (cargo test
//! runs it without the `--bench` argument) or `-- --quick`; CI runs it so the program cannot rot.
//!
//! The district is written straight to the log (valid `cadre` events, 1,000 streams a
//! transaction) and folded by the read models, then: half the cadres are 四级主任科员 (the
//! feeder rank of 三级主任科员), with grades, and some with a sanction, an admonition, an open
//! investigation or a completed 公示.

use std::time::{Duration, Instant};

use axum::{Router, body::Body, http::Request};
use chrono::NaiveDate;
use dossier_api::{
    ApiConfig, AppState, app,
    service::{CommandEnvelope, Service},
    tokens,
};
use dossier_domain::{
    Actor, EventSet, Role,
    cadre::{self, Event as E},
    codes::{AssessmentCategory, AssessmentConclusion},
    dates::add_months,
    types::{Gender, Grade, Rank, SanctionKind},
};
use dossier_projections::{ProjectionOptions, Projections, eligibility};
use dossier_store::{ExpectedVersion, Metadata, NewEvent, Store, StoreOptions, StreamWrite};
use serde_json::{Value, json};
use tower::ServiceExt;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn id_number(seq: u32) -> String {
    let body = format!(
        "3204121980{:02}{:02}{:03}",
        1 + seq % 12,
        1 + seq % 28,
        seq % 1000
    );
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    format!(
        "{body}{}",
        ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
    )
}

/// The events of cadre `i`.
fn cadre_events(i: u32) -> Vec<E> {
    let id = format!("b{i:06}");
    let rank = match i % 4 {
        0 | 1 => Rank::PrincipalClerk4,
        2 => Rank::ClerkGrade1,
        _ => Rank::PrincipalClerk2,
    };
    let since = add_months(d(2019, 1, 1), i % 60);
    let mut events = vec![E::Registered(cadre::Registered {
        cadre_id: id.clone(),
        name: format!("干部{i}"),
        id_number: id_number(i),
        gender: Gender::Male,
        birth_date: d(1980, 1 + i % 12, 1 + i % 28),
        ethnicity: None,
        unit_id: format!("u{}", i % 200),
        rank: Some(rank),
        rank_since: Some(since),
        leadership_level: None,
        level_since: None,
        joined_work_on: Some(d(2003, 7, 1)),
        registered_on: d(2020, 1, 2),
    })];
    for year in 2020..=2025 {
        let grade = match (i + year as u32) % 10 {
            0 => Some(Grade::Excellent),
            9 if i.is_multiple_of(7) => Some(Grade::BasicallyCompetent),
            _ => Some(Grade::Competent),
        };
        events.push(E::GradeRecorded(cadre::GradeRecorded {
            cadre_id: id.clone(),
            unit_id: format!("u{}", i % 200),
            year,
            grade,
            category: AssessmentCategory::Annual,
            conclusion: AssessmentConclusion::of(grade),
            recorded_on: d(year + 1, 1, 20),
            basis: None,
            evaluation_id: None,
        }));
    }
    if i.is_multiple_of(3) {
        events.push(E::PublicNoticeStarted(cadre::PublicNoticeStarted {
            cadre_id: id.clone(),
            notice_id: format!("n{i}"),
            purpose: "拟晋升三级主任科员".into(),
            target_rank: Some(Rank::PrincipalClerk3),
            started_on: d(2026, 6, 1),
            ends_on: d(2026, 6, 5),
            working_days: 5,
        }));
        events.push(E::PublicNoticeEnded(cadre::PublicNoticeEnded {
            cadre_id: id.clone(),
            notice_id: format!("n{i}"),
            ended_on: d(2026, 6, 5),
            objection_upheld: false,
            note: None,
        }));
    }
    if i.is_multiple_of(11) {
        events.push(E::SanctionImposed(cadre::SanctionImposed {
            cadre_id: id.clone(),
            sanction_id: format!("s{i}"),
            kind: SanctionKind::Demerit,
            reason: "违反工作纪律".into(),
            decided_by: "区纪委".into(),
            document_number: "姜纪〔2026〕1号".into(),
            imposed_on: d(2026, 3, 1),
            effect_until: d(2027, 3, 1),
        }));
    }
    if i.is_multiple_of(13) {
        events.push(E::AdmonitionIssued(cadre::AdmonitionIssued {
            cadre_id: id.clone(),
            admonition_id: format!("a{i}"),
            reason: "作风问题".into(),
            issued_on: d(2026, 5, 1),
            improve_by: d(2026, 11, 1),
            effect_until: d(2026, 11, 1),
        }));
    }
    if i.is_multiple_of(17) {
        events.push(E::InvestigationOpened(cadre::InvestigationOpened {
            cadre_id: id,
            case_id: format!("k{i}"),
            authority: "区监委".into(),
            reason: "涉嫌违纪".into(),
            opened_on: d(2026, 4, 1),
        }));
    }
    events
}

async fn write_district(store: &Store, cadres: u32) {
    let meta = Metadata {
        actor: "bench".into(),
        role: "system".into(),
        command_id: None,
        correlation_id: None,
        causation_id: None,
        basis: None,
    };
    let mut i = 0;
    while i < cadres {
        let writes: Vec<StreamWrite> = (i..(i + 1000).min(cadres))
            .map(|c| StreamWrite {
                stream_id: format!("cadre-b{c:06}"),
                expected: ExpectedVersion::NoStream,
                events: cadre_events(c)
                    .iter()
                    .map(|e| NewEvent {
                        event_id: None,
                        event_type: e.event_type().to_owned(),
                        schema_version: e.schema_version(),
                        payload: e.to_payload().expect("payload"),
                        effective_at: d(2026, 6, 5),
                    })
                    .collect(),
            })
            .collect();
        store
            .append_multi(writes, meta.clone())
            .await
            .expect("append");
        i += 1000;
    }
}

/// Print p50, p99 and the slowest of `latencies` (in the order run), and which run was the
/// slowest (a first run paying for fresh memory shows as run 1).
fn report(what: &str, mut latencies: Vec<Duration>) {
    let slowest = latencies
        .iter()
        .enumerate()
        .max_by_key(|(_, t)| **t)
        .map_or(0, |(k, _)| k + 1);
    latencies.sort();
    let n = latencies.len();
    let pct = |p: f64| latencies[((n as f64 * p) as usize).min(n - 1)];
    println!(
        "{what:<58} {n:>5} runs  p50 {:>9.2?}  p99 {:>9.2?}  max {:>9.2?} (run {slowest})",
        pct(0.50),
        pct(0.99),
        latencies[n - 1]
    );
}

async fn post(router: &Router, token: &str, query: &str, variables: Value) -> Value {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let request = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(body))
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("response");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    serde_json::from_slice(&bytes).expect("json")
}

fn promote(id: &str) -> cadre::Command {
    cadre::Command::PromoteRank {
        cadre_id: id.into(),
        to: Rank::PrincipalClerk3,
        document_number: "姜组〔2026〕9号".into(),
        approved_by: "区委组织部".into(),
        quota_year: None,
    }
}

#[tokio::main]
async fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let quick = argv.iter().any(|a| a == "--quick") || !argv.iter().any(|a| a == "--bench");
    let cadres: u32 = argv
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(if quick { 500 } else { 100_000 });
    let runs = if quick { 5 } else { 50 };

    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path().join("bench.db"), StoreOptions::default())
        .await
        .expect("store");
    let started = Instant::now();
    write_district(&store, cadres).await;
    let (projections, _runner) = Projections::start(store.clone(), ProjectionOptions::default());
    projections
        .wait_for(store.head().await.expect("head"), Duration::from_secs(600))
        .await
        .expect("read models caught up");
    println!(
        "district: {cadres} cadres, {} events written and folded in {:.1?}",
        store.head().await.expect("head"),
        started.elapsed()
    );

    let on = d(2027, 1, 1);
    // In process, the list itself (the points ranking, shared with other lists, computed once).
    let ranking = projections.read(|m| eligibility::points_ranking(m, on));
    let mut list_times = Vec::new();
    let mut counts = (0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        let list = projections.read(|m| {
            eligibility::candidates(m, Rank::PrincipalClerk3, on, &ranking).expect("ladder step")
        });
        list_times.push(t.elapsed());
        counts = (list.eligible, list.len() - list.eligible);
    }
    println!(
        "feeder cadres: {} eligible, {} not eligible on {on}",
        counts.0, counts.1
    );
    report("in process: candidates for 三级主任科员 (list)", list_times);
    let mut cold = Vec::new();
    for _ in 0..runs.min(10) {
        let t = Instant::now();
        projections.read(|m| {
            let ranking = eligibility::points_ranking(m, on);
            eligibility::candidates(m, Rank::PrincipalClerk3, on, &ranking)
        });
        cold.push(t.elapsed());
    }
    report("in process: points ranking + candidates (cold date)", cold);
    // The same through the read models' entry point (kept rankings and lists), on new dates:
    // twice, the second round once the kept lists have filled their cache.
    for round in 0..2u64 {
        let mut entry = Vec::new();
        for k in 0..runs.min(20) {
            let day = on + chrono::Days::new(100 + 40 * round + k as u64);
            let t = Instant::now();
            let list = projections
                .promotion_candidates(Rank::PrincipalClerk3, day, None)
                .await
                .expect("list");
            entry.push(t.elapsed());
            assert!(list.is_some());
        }
        report(
            &format!(
                "in process: Projections::promotion_candidates (new date, round {})",
                round + 1
            ),
            entry,
        );
    }

    // Through GraphQL: a first page, on a new date each time (nothing cached), then repeated.
    let router = app(AppState::new(
        store.clone(),
        projections.clone(),
        ApiConfig::default(),
    ));
    let admin = tokens::create(&store, Role::OrgAdmin, None, "bench")
        .await
        .expect("token");
    let query = "query($on: Date) { promotionCandidates(toRank: PRINCIPAL_CLERK_3, on: $on, first: 20) { eligibleCount notEligibleCount edges { node { cadreId eligible eligibleFrom pointsRank obstacles { code liftsOn } } } } }";
    let mut fresh = Vec::new();
    for k in 0..runs.min(20) {
        let day = on + chrono::Days::new(k as u64);
        let t = Instant::now();
        let v = post(&router, &admin, query, json!({"on": day.to_string()})).await;
        fresh.push(t.elapsed());
        assert!(v.get("errors").is_none(), "{v}");
    }
    report("GraphQL: promotionCandidates first 20 (new date)", fresh);
    let mut warm = Vec::new();
    for _ in 0..runs * 10 {
        let t = Instant::now();
        post(&router, &admin, query, json!({"on": on.to_string()})).await;
        warm.push(t.elapsed());
    }
    report("GraphQL: promotionCandidates first 20 (same date)", warm);

    // A dry run against the command: an eligible cadre (b000003 is 二级主任科员: b000000 is a
    // 四级主任科员 with a notice and no other obstacle on the date below).
    let service = Service::new(store.clone(), projections.clone())
        .with_clock(dossier_api::service::Clock::Fixed(d(2026, 11, 20)));
    let actor = Actor::new("bench", Role::OrgAdmin);
    let eligible = projections
        .promotion_candidates(Rank::PrincipalClerk3, d(2026, 11, 20), None)
        .await
        .expect("list");
    let ids: Vec<String> = eligible
        .as_ref()
        .as_ref()
        .map(|l| {
            l.iter()
                .filter(|c| c.eligible())
                .map(|c| c.cadre_id.clone())
                .collect()
        })
        .unwrap_or_default();
    assert!(!ids.is_empty(), "no eligible cadre to promote");
    let mut dry = Vec::new();
    for k in 0..runs * 4 {
        let id = &ids[k % ids.len()];
        let t = Instant::now();
        service
            .execute::<cadre::Aggregate>(
                &actor,
                CommandEnvelope::new(promote(id), d(2026, 11, 20)).dry_run(),
            )
            .await
            .expect("dry run accepted");
        dry.push(t.elapsed());
    }
    report("promoteRank dry run (decided, nothing written)", dry);
    let mut real = Vec::new();
    for id in ids.iter().take(runs * 4) {
        let t = Instant::now();
        service
            .execute::<cadre::Aggregate>(&actor, CommandEnvelope::new(promote(id), d(2026, 11, 20)))
            .await
            .expect("command accepted");
        real.push(t.elapsed());
    }
    report("promoteRank (decided, appended, read models settled)", real);
}
