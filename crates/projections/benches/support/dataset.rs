//! The benches' data set: a district's log (units, cadres, posts, grades, awards, training,
//! supervision, appeals) generated deterministically into a store, in large multi-stream appends.

use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};

use chrono::{Datelike, NaiveDate};
use dossier_domain::{
    EventSet, appeal, cadre,
    codes::{
        AppointmentManner, AppointmentReason, AppointmentStatus, AssessmentCategory,
        AssessmentConclusion, ChangeCategory,
    },
    supervision,
    training::{self, ClassKind, TeachingMethod},
    types::{AwardKind, Gender, Grade, LeadershipLevel, PostCategory, Rank},
    unit,
};
use dossier_projections::testkit::id_number;
use dossier_store::{ExpectedVersion, Metadata, NewEvent, Store, StreamWrite};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A date (the default date for an impossible one: the generator's dates are all valid).
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// Collects events per stream and appends them in large multi-stream transactions.
struct Batch<'s> {
    store: &'s Store,
    streams: BTreeMap<String, Vec<NewEvent>>,
    pending: u64,
    written: u64,
    target: u64,
    started: Instant,
    last_report: Instant,
}

impl<'s> Batch<'s> {
    fn new(store: &'s Store, target: u64) -> Self {
        Batch {
            store,
            streams: BTreeMap::new(),
            pending: 0,
            written: 0,
            target,
            started: Instant::now(),
            last_report: Instant::now(),
        }
    }

    async fn push<E: EventSet>(&mut self, stream: String, event: E, on: NaiveDate) {
        let payload = event.to_payload().unwrap_or_default();
        self.streams.entry(stream).or_default().push(NewEvent::new(
            event.event_type(),
            event.schema_version(),
            payload,
            on,
        ));
        self.pending += 1;
        if self.pending >= 20_000 {
            self.flush().await;
        }
    }

    async fn flush(&mut self) {
        if self.pending == 0 {
            return;
        }
        let writes: Vec<StreamWrite> = std::mem::take(&mut self.streams)
            .into_iter()
            .map(|(stream_id, events)| StreamWrite {
                stream_id,
                expected: ExpectedVersion::Any,
                events,
            })
            .collect();
        if let Err(e) = self
            .store
            .append_multi(writes, Metadata::new("bench", "org_admin"))
            .await
        {
            eprintln!("append failed: {e}");
            std::process::exit(1);
        }
        self.written += self.pending;
        self.pending = 0;
        if self.last_report.elapsed() > Duration::from_secs(5) {
            let rate = self.written as f64 / self.started.elapsed().as_secs_f64();
            eprintln!(
                "  generated {:>10} / {} events ({:.0} events/s)",
                self.written, self.target, rate
            );
            self.last_report = Instant::now();
        }
    }

    fn total(&self) -> u64 {
        self.written + self.pending
    }
}

/// Generate about `target` events for `cadres` cadres into `store` (deterministic: the same
/// arguments give the same log).
pub async fn generate(store: &Store, cadres: usize, target: u64) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut b = Batch::new(store, target);
    let units = (cadres / 500).max(8);
    let per_unit = cadres.div_ceil(units);
    let opened = d(2010, 1, 1);
    for u in 0..units {
        let unit_id = format!("u{u:04}");
        let stream = format!("unit-{unit_id}");
        b.push(
            stream.clone(),
            unit::Event::Registered(unit::Registered {
                unit_id: unit_id.clone(),
                name: format!("单位{u}"),
                parent_unit_id: None,
                business_facing: u % 4 == 0,
                registered_on: opened,
            }),
            opened,
        )
        .await;
        for p in 0..per_unit {
            let leader = p.is_multiple_of(10);
            b.push(
                stream.clone(),
                unit::Event::PostOpened(unit::PostOpened {
                    unit_id: unit_id.clone(),
                    post_id: format!("p{p:04}"),
                    title: if leader {
                        "科长".into()
                    } else {
                        "科员".into()
                    },
                    category: if p % 25 == 1 {
                        PostCategory::Finance
                    } else {
                        PostCategory::Business
                    },
                    leadership_level: leader.then_some(LeadershipLevel::TownshipDeputy),
                    heads_unit: p == 0,
                    reports_to: None,
                    opened_on: opened,
                }),
                opened,
            )
            .await;
            if u % 4 == 0 && leader {
                b.push(
                    stream.clone(),
                    unit::Event::HotPostDesignated(unit::HotPostDesignated {
                        unit_id: unit_id.clone(),
                        post_id: format!("p{p:04}"),
                        tenure_limit_years: 5,
                        designated_on: opened,
                        basis: None,
                    }),
                    opened,
                )
                .await;
            }
        }
    }
    // Cadres: registration and appointment.
    for c in 0..cadres {
        let cadre_id = format!("c{c:06}");
        let stream = format!("cadre-{cadre_id}");
        let u = c % units;
        let p = c / units;
        let birth = d(
            1965 + (rng.below(35) as i32),
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        );
        let since = d(2012 + rng.below(12) as i32, 1 + rng.below(12) as u32, 1);
        let serial = (c % 1000) as u32;
        b.push(
            stream.clone(),
            cadre::Event::Registered(cadre::Registered {
                cadre_id: cadre_id.clone(),
                name: format!("干部{c}"),
                id_number: id_number(birth, serial),
                gender: if serial % 2 == 1 {
                    Gender::Male
                } else {
                    Gender::Female
                },
                birth_date: birth,
                ethnicity: Some("汉族".into()),
                unit_id: format!("u{u:04}"),
                rank: Some(Rank::ALL[rng.below(8) as usize]),
                rank_since: Some(since),
                leadership_level: None,
                level_since: None,
                joined_work_on: Some(d(birth.year() + 22, 8, 1)),
                registered_on: d(2012, 1, 1),
            }),
            d(2012, 1, 1),
        )
        .await;
        let leader = p.is_multiple_of(10);
        b.push(
            stream,
            cadre::Event::Appointed(cadre::Appointed {
                cadre_id,
                unit_id: format!("u{u:04}"),
                unit_name: format!("单位{u}"),
                post_id: format!("p{p:04}"),
                post_title: if leader {
                    "科长".into()
                } else {
                    "科员".into()
                },
                category: PostCategory::Business,
                leadership_level: leader.then_some(LeadershipLevel::TownshipDeputy),
                heads_unit: p == 0,
                manner: AppointmentManner::Commission,
                reason: AppointmentReason::Promotion,
                change_category: ChangeCategory::New,
                status: AppointmentStatus::Serving,
                nominated_by: "区委组织部".into(),
                approved_by: "区委".into(),
                decided_on: since,
                effective_on: since,
                document_number: format!("任〔{}〕{c}号", since.year()),
                probation_until: None,
            }),
            since,
        )
        .await;
    }
    // Ten years of grades, commendations for 优秀, a supervision record and some appeals.
    for year in 2015..2025 {
        let on = d(year + 1, 1, 20);
        for c in 0..cadres {
            let cadre_id = format!("c{c:06}");
            let stream = format!("cadre-{cadre_id}");
            let roll = rng.below(100);
            let grade = match roll {
                0..=11 => Grade::Excellent,
                12..=96 => Grade::Competent,
                97..=98 => Grade::BasicallyCompetent,
                _ => Grade::Competent,
            };
            let conclusion = match grade {
                Grade::Excellent => AssessmentConclusion::Excellent,
                Grade::BasicallyCompetent => AssessmentConclusion::BasicallyCompetent,
                _ => AssessmentConclusion::Competent,
            };
            b.push(
                stream.clone(),
                cadre::Event::GradeRecorded(cadre::GradeRecorded {
                    cadre_id: cadre_id.clone(),
                    unit_id: format!("u{:04}", c % units),
                    year,
                    grade: Some(grade),
                    category: AssessmentCategory::Annual,
                    conclusion,
                    recorded_on: on,
                    basis: None,
                    evaluation_id: None,
                }),
                on,
            )
            .await;
            if grade == Grade::Excellent {
                b.push(
                    stream,
                    cadre::Event::AwardGranted(cadre::AwardGranted {
                        cadre_id: cadre_id.clone(),
                        award_id: format!("commendation-{year}"),
                        kind: AwardKind::Commendation,
                        title: "嘉奖".into(),
                        year,
                        granted_on: on,
                        basis: None,
                        source: Some(format!("assessment-u{:04}-{year}", c % units)),
                        evaluation_id: None,
                    }),
                    on,
                )
                .await;
            }
            if c % 10 == year as usize % 10 {
                b.push(
                    format!("supervision-s{year}-{c}"),
                    supervision::Event::Recorded(supervision::Recorded {
                        entry_id: format!("s{year}-{c}"),
                        cadre_id: cadre_id.clone(),
                        unit_id: Some(format!("u{:04}", c % units)),
                        source: supervision::Source::OrgSection,
                        source_name: "干部监督科".into(),
                        channel: supervision::Channel::Meeting,
                        kind: supervision::EntryKind::DailyConduct,
                        tone: supervision::Tone::Positive,
                        content: "列席会议, 表现良好".into(),
                        observed_on: d(year, 6, 1),
                        recorded_on: None,
                    }),
                    d(year, 6, 1),
                )
                .await;
            }
            if c % 200 == year as usize % 200 {
                let filed = d(year, 3, 1);
                b.push(
                    format!("appeal-a{year}-{c}"),
                    appeal::Event::Filed(appeal::Filed {
                        appeal_id: format!("a{year}-{c}"),
                        cadre_id,
                        unit_id: None,
                        level: appeal::CentreLevel::District,
                        town: None,
                        summary: "诉求".into(),
                        filed_on: filed,
                        due_on: None,
                    }),
                    filed,
                )
                .await;
            }
        }
        eprintln!("  year {year}: {} events so far", b.total());
    }
    // Training classes fill the rest: 50 cadres a class, 16 sessions each.
    let mut class = 0u64;
    let methods = [
        TeachingMethod::Case,
        TeachingMethod::Discussion,
        TeachingMethod::Experiential,
        TeachingMethod::Interactive,
        TeachingMethod::Simulation,
    ];
    while b.total() < target {
        let year = 2015 + (class % 10) as i32;
        let class_id = format!("k{class:06}");
        let stream = format!("training-{class_id}");
        let start = d(year, 3 + (class % 8) as u32, 1);
        let kind = if class.is_multiple_of(3) {
            ClassKind::Thematic
        } else {
            ClassKind::Main
        };
        b.push(
            stream.clone(),
            training::Event::Scheduled(training::Scheduled {
                class_id: class_id.clone(),
                name: format!("班次{class}"),
                kind,
                theme: (kind == ClassKind::Thematic).then(|| "智改数转".into()),
                start_date: start,
                end_date: start + chrono::Duration::days(20),
                scheduled_hours: 64.0,
                methods: vec![
                    methods[(class % 5) as usize],
                    methods[((class + 2) % 5) as usize],
                ],
                organizer_unit_id: Some("party-school".into()),
            }),
            start,
        )
        .await;
        let first = rng.below(cadres as u64) as usize;
        for k in 0..50 {
            let c = (first + k * 7919) % cadres;
            let cadre_id = format!("c{c:06}");
            let unit_id = Some(format!("u{:04}", c % units));
            b.push(
                stream.clone(),
                training::Event::Enrolled(training::Enrolled {
                    class_id: class_id.clone(),
                    cadre_id: cadre_id.clone(),
                    unit_id: unit_id.clone(),
                    enrolled_on: start,
                }),
                start,
            )
            .await;
            for s in 0..16u32 {
                let day = start + chrono::Duration::days(i64::from(s));
                b.push(
                    stream.clone(),
                    training::Event::AttendanceRecorded(training::AttendanceRecorded {
                        class_id: class_id.clone(),
                        cadre_id: cadre_id.clone(),
                        unit_id: unit_id.clone(),
                        session_date: day,
                        session: None,
                        hours: 4.0,
                        total_hours: f64::from(s + 1) * 4.0,
                    }),
                    day,
                )
                .await;
            }
            b.push(
                stream.clone(),
                training::Event::Completed(training::Completed {
                    class_id: class_id.clone(),
                    cadre_id,
                    unit_id,
                    class_kind: kind,
                    completed_on: start + chrono::Duration::days(20),
                    hours_credited: 64.0,
                    attendance_percent: 100.0,
                }),
                start + chrono::Duration::days(20),
            )
            .await;
        }
        class += 1;
    }
    b.flush().await;
    eprintln!(
        "  generated {} events in {:.1} s",
        b.written,
        b.started.elapsed().as_secs_f64()
    );
}
