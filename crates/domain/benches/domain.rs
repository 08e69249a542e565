//! Domain benchmark program: decode+fold of cadre streams, promotion checks, points, ID validation, .lrmx parse/emit.
//!
//! Run: `cargo bench -p dossier-domain --bench domain` (prints figures; not a timed test).
//! Quick mode (100 cadres, 2,000 ID numbers, seconds): `cargo test -p dossier-domain --bench domain`
//! (cargo test runs it without the `--bench` argument) or `-- --quick`; CI runs it so the program cannot rot.

use std::{hint::black_box, time::Instant};

use chrono::{Duration, NaiveDate};
use dossier_domain::{
    Aggregate as _, Event, EventSet, Policy,
    cadre::{self, Aggregate as Cadre, Event as CE},
    codes::{
        AppointmentManner, AppointmentReason, AppointmentStatus, AssessmentCategory,
        AssessmentConclusion, ChangeCategory,
    },
    idcard, lrmx, points, promotion,
    types::{AwardKind, FrontLineField, Grade, PostCategory, Rank},
};

/// Whether this run is the quick one: cargo test runs a bench target without cargo bench's `--bench`.
fn quick() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--quick") || !args.iter().any(|a| a == "--bench")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn id_for(i: usize) -> String {
    let birth = d(1970, 1, 1) + Duration::days((i * 37 % 9000) as i64);
    let first17 = format!("320412{}{:03}", birth.format("%Y%m%d"), i % 1000);
    format!("{first17}{}", idcard::check_digit(&first17).unwrap())
}

/// About 40 events per cadre: registration, 15 grades with their awards, 10 posts, notices.
fn stream(i: usize) -> Vec<CE> {
    let cadre_id = format!("c{i}");
    let id = idcard::parse(&id_for(i)).unwrap();
    let mut out = vec![CE::Registered(cadre::Registered {
        cadre_id: cadre_id.clone(),
        name: format!("干部{i}"),
        id_number: id.number.clone(),
        gender: id.gender,
        birth_date: id.birth_date,
        ethnicity: Some("汉族".into()),
        unit_id: format!("u{}", i % 80),
        rank: Some(Rank::PrincipalClerk4),
        rank_since: Some(d(2010, 1, 1)),
        leadership_level: None,
        level_since: None,
        joined_work_on: Some(d(1995, 8, 1)),
        registered_on: d(2010, 1, 1),
    })];
    for year in 2010..2025 {
        let grade = if (i + year as usize).is_multiple_of(6) {
            Grade::Excellent
        } else {
            Grade::Competent
        };
        out.push(CE::GradeRecorded(cadre::GradeRecorded {
            cadre_id: cadre_id.clone(),
            unit_id: format!("u{}", i % 80),
            year,
            grade: Some(grade),
            category: AssessmentCategory::Annual,
            conclusion: AssessmentConclusion::of(Some(grade)),
            recorded_on: d(year + 1, 1, 20),
            basis: None,
            evaluation_id: None,
        }));
        if grade == Grade::Excellent {
            out.push(CE::AwardGranted(cadre::AwardGranted {
                cadre_id: cadre_id.clone(),
                award_id: format!("{year}-commendation"),
                kind: AwardKind::Commendation,
                title: format!("{year} 年度考核优秀嘉奖"),
                year,
                granted_on: d(year + 1, 1, 20),
                basis: None,
                source: None,
                evaluation_id: None,
            }));
        }
    }
    for k in 0..10 {
        out.push(CE::Appointed(cadre::Appointed {
            cadre_id: cadre_id.clone(),
            unit_id: format!("u{}", (i + k) % 80),
            unit_name: "区发改委".into(),
            post_id: format!("p{k}"),
            post_title: format!("岗位{k}"),
            category: PostCategory::Business,
            leadership_level: None,
            heads_unit: false,
            manner: AppointmentManner::Commission,
            reason: AppointmentReason::WorkNeeds,
            change_category: ChangeCategory::New,
            status: AppointmentStatus::Serving,
            nominated_by: "区委组织部".into(),
            approved_by: "区委".into(),
            decided_on: d(2010 + k as i32, 3, 1),
            effective_on: d(2010 + k as i32, 3, 1),
            document_number: "泰姜委〔2010〕1号".into(),
            probation_until: None,
        }));
    }
    out
}

fn rate(label: &str, count: usize, started: Instant) {
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{label:<44} {count:>9} in {:>8.1} ms  = {:>12.0} /s",
        secs * 1e3,
        count as f64 / secs
    );
}

fn main() {
    let (cadres, id_numbers) = if quick() {
        (100, 2_000)
    } else {
        (2_000, 100_000)
    };
    println!("dossier-domain benchmark ({cadres} cadres)");
    let streams: Vec<Vec<CE>> = (0..cadres).map(stream).collect();
    let stored: Vec<Vec<(&'static str, u32, String)>> = streams
        .iter()
        .map(|s| {
            s.iter()
                .map(|e| (e.event_type(), e.schema_version(), e.to_payload().unwrap()))
                .collect()
        })
        .collect();
    let total: usize = stored.iter().map(Vec::len).sum();
    let bytes: usize = stored.iter().flatten().map(|(_, _, p)| p.len()).sum();
    println!("events: {total}, mean payload {} bytes", bytes / total);

    let t = Instant::now();
    let mut states = Vec::with_capacity(cadres);
    for s in &stored {
        let mut state = cadre::State::default();
        for (ty, v, payload) in s {
            match Event::decode(ty, *v, payload).unwrap() {
                Event::Cadre(e) => Cadre::evolve(&mut state, &e),
                _ => unreachable!(),
            }
        }
        states.push(state);
    }
    rate("decode + fold (events)", total, t);

    let policy = Policy::national_default();
    let on = d(2025, 6, 30);
    let t = Instant::now();
    for s in &states {
        black_box(promotion::obstacles(s, Rank::PrincipalClerk3, on, &policy).unwrap());
    }
    rate("promotion::obstacles (cadres)", states.len(), t);

    let t = Instant::now();
    for s in &states {
        black_box(points::compute(
            s,
            on,
            Some(FrontLineField::ProjectConstruction),
            &policy.points,
        ));
    }
    rate("points::compute (cadres)", states.len(), t);

    let ids: Vec<String> = (0..id_numbers).map(id_for).collect();
    let t = Instant::now();
    for id in &ids {
        black_box(idcard::parse(id).unwrap());
    }
    rate("idcard::parse (numbers)", ids.len(), t);

    let forms: Vec<String> = states
        .iter()
        .map(|s| lrmx::emit(&lrmx::Lrmx::from_cadre(s)))
        .collect();
    let t = Instant::now();
    for f in &forms {
        black_box(lrmx::parse(f).unwrap());
    }
    rate("lrmx::parse (forms)", forms.len(), t);
    let t = Instant::now();
    for s in &states {
        black_box(lrmx::emit(&lrmx::Lrmx::from_cadre(s)));
    }
    rate("lrmx::from_cadre + emit (forms)", states.len(), t);
}
