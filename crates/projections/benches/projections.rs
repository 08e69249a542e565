//! Projections benchmark: generates a district's log (cadres, units, grades, awards, training, supervision,
//! appeals) into a SQLite store, then prints rebuild throughput, start-up from snapshots, memory per
//! cadre profile and dashboard read latency.
//!
//! ```text
//! cargo bench -p dossier-projections --bench projections -- [--cadres 100000] [--events 10000000] [--db PATH] [--fresh] [--rebuild-only]
//! ```
//! The data set is kept in `--db` (default `bench-projections.db` in the workspace's target directory,
//! whatever the current folder) and reused when it already holds at least `--events` events; `--fresh`
//! regenerates it. Quick mode (200 cadres, 20,000 events, a fresh file removed afterwards, seconds):
//! `cargo test -p dossier-projections --bench projections` (cargo test runs it without the `--bench`
//! argument) or `-- --quick`; CI runs it so the program cannot rot.
#![allow(unsafe_code)] // the counting allocator below: a GlobalAlloc impl cannot be written without it.

use std::{
    alloc::{GlobalAlloc, Layout},
    collections::BTreeMap,
    path::PathBuf,
    sync::atomic::{AtomicIsize, Ordering},
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
use dossier_projections::{
    Models, ProjectionOptions, Projections, profile::Profiles, runner::replay, testkit::id_number,
};
use dossier_store::{
    Durability, ExpectedVersion, Metadata, NewEvent, Store, StoreOptions, StreamWrite,
};

/// Counts the bytes currently allocated on the heap. Each thread keeps its own tally and adds it to
/// the shared counter once it drifts past 64 KiB, so the decoder and fold threads of a rebuild do not
/// contend on one atomic for every allocation (which would slow the very thing being measured).
struct Counting;

static ALLOCATED: AtomicIsize = AtomicIsize::new(0);
const FLUSH: isize = 64 * 1024;

thread_local! {
    static LOCAL: std::cell::Cell<isize> = const { std::cell::Cell::new(0) };
}

fn count(delta: isize) {
    // `try_with`: during thread teardown the local may be gone; count straight into the total then.
    let flushed = LOCAL.try_with(|l| {
        let v = l.get() + delta;
        if v.abs() >= FLUSH {
            ALLOCATED.fetch_add(v, Ordering::Relaxed);
            l.set(0);
        } else {
            l.set(v);
        }
    });
    if flushed.is_err() {
        ALLOCATED.fetch_add(delta, Ordering::Relaxed);
    }
}

/// The allocator underneath: the one the `dossier` binary uses.
static INNER: mimalloc::MiMalloc = mimalloc::MiMalloc;

// SAFETY: forwards every call to the binary's allocator unchanged and only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        // SAFETY: same layout contract as the caller's.
        unsafe { INNER.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        // SAFETY: `ptr` was allocated by `INNER` with `layout`.
        unsafe { INNER.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        // SAFETY: forwarded unchanged.
        unsafe { INNER.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Bytes allocated (to within 64 KiB per thread that has allocated).
fn allocated() -> isize {
    LOCAL.with(|l| {
        ALLOCATED.fetch_add(l.get(), Ordering::Relaxed);
        l.set(0);
    });
    ALLOCATED.load(Ordering::Relaxed)
}

/// CPU time (user + system, all threads) this process has used so far, from /proc/self/stat.
fn cpu_time() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name, which is in parentheses and may hold spaces.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let utime: u64 = f.get(11)?.parse().ok()?;
            let stime: u64 = f.get(12)?.parse().ok()?;
            Some(utime + stime)
        })
        .unwrap_or(0);
    // The kernel's USER_HZ is 100 on every Linux this runs on.
    Duration::from_millis(ticks * 10)
}

fn rss_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

struct Args {
    cadres: usize,
    events: u64,
    db: PathBuf,
    fresh: bool,
    rebuild_only: bool,
    /// A small data set in a file of its own, removed at the end.
    quick: bool,
}

/// The workspace's target directory: the ancestor of this program's executable that cargo marked
/// with `CACHEDIR.TAG` (so `CARGO_TARGET_DIR` and `--target` layouts work too), else `target/` beside
/// the workspace manifest. Never the current folder: cargo runs a bench in its crate's folder.
fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .find(|dir| dir.join("CACHEDIR.TAG").is_file())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target")))
}

fn args() -> Args {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    // cargo test runs a bench target without cargo bench's `--bench`: then, or with --quick, a small run.
    let quick = argv.iter().any(|a| a == "--quick") || !argv.iter().any(|a| a == "--bench");
    let mut a = if quick {
        Args {
            cadres: 200,
            events: 20_000,
            db: target_dir().join(format!("bench-projections-quick-{}.db", std::process::id())),
            fresh: true,
            rebuild_only: false,
            quick,
        }
    } else {
        Args {
            cadres: 100_000,
            events: 10_000_000,
            db: target_dir().join("bench-projections.db"),
            fresh: false,
            rebuild_only: false,
            quick,
        }
    };
    let mut it = argv.into_iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--cadres" => a.cadres = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.cadres),
            "--events" => a.events = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.events),
            "--db" => a.db = it.next().map(PathBuf::from).unwrap_or(a.db),
            "--fresh" => a.fresh = true,
            "--rebuild-only" => a.rebuild_only = true,
            _ => {} // cargo bench passes --bench; --quick is read above
        }
    }
    a
}

/// Removes a database file with its WAL and shared-memory files.
fn remove_db(db: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

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

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
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

async fn generate(store: &Store, cadres: usize, target: u64) {
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

/// Print one throughput line: events, wall time, events/s, CPU µs per event.
fn report(label: &str, events: u64, wall: Duration, cpu: Duration, extra: &str) {
    println!(
        "{label} {events} events in {:.2} s = {:.0} events/s, {:.2} µs CPU per event{extra}",
        wall.as_secs_f64(),
        events as f64 / wall.as_secs_f64(),
        cpu.as_secs_f64() * 1e6 / events.max(1) as f64
    );
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let a = args();
    if a.fresh {
        remove_db(&a.db);
    }
    let options = StoreOptions {
        durability: Durability::Normal,
        ..StoreOptions::default()
    };
    let store = match Store::open(&a.db, options).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot open {}: {e}", a.db.display());
            std::process::exit(1);
        }
    };
    let head = store.head().await.unwrap_or(0);
    if head < a.events {
        if head > 0 {
            eprintln!(
                "{} holds {head} events, fewer than {}: rerun with --fresh",
                a.db.display(),
                a.events
            );
            std::process::exit(1);
        }
        eprintln!(
            "generating {} cadres, {} events into {} …",
            a.cadres,
            a.events,
            a.db.display()
        );
        generate(&store, a.cadres, a.events).await;
    }
    let head = store.head().await.unwrap_or(0);
    println!(
        "data set: {} ({} events, {} cadres requested)",
        a.db.display(),
        head,
        a.cadres
    );

    // 1. Raw scan, then full rebuild (decode + fold of every model). Wall time and the CPU time of
    // all threads: on a shared machine the CPU time per event is the steadier of the two.
    let (t, c) = (Instant::now(), cpu_time());
    let mut n = 0u64;
    let _ = store
        .scan_replay(0, |_| {
            n += 1;
            std::ops::ControlFlow::Continue(())
        })
        .await;
    report("replay scan:    ", n, t.elapsed(), cpu_time() - c, "");

    if !a.rebuild_only {
        let (t, c) = (Instant::now(), cpu_time());
        let mut decoded = 0u64;
        let _ = store
            .scan_replay(0, |e| {
                if dossier_domain::Event::decode(e.event_type, e.schema_version, e.payload).is_ok()
                {
                    decoded += 1;
                }
                std::ops::ControlFlow::Continue(())
            })
            .await;
        report("scan + decode:  ", decoded, t.elapsed(), cpu_time() - c, "");
        if decoded != n {
            eprintln!("{} of {n} events do not decode", n - decoded);
            std::process::exit(1);
        }
    }

    // The rebuild three times (medians printed last); the models of the final run are kept.
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let mut kept = None;
    for run in 1..=3 {
        drop(kept.take());
        let before = allocated();
        let (t, c) = (Instant::now(), cpu_time());
        let mut models = Models::default();
        let (replayed, undecodable) = match replay(&store, &mut models).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("rebuild failed: {e}");
                std::process::exit(1);
            }
        };
        let (wall, cpu) = (t.elapsed(), cpu_time() - c);
        report(
            &format!("full rebuild {run}:"),
            replayed,
            wall,
            cpu,
            &format!(
                " (decode + fold of {} models; {undecodable} undecodable)",
                Models::NAMES.len()
            ),
        );
        walls.push(wall);
        cpus.push(cpu);
        kept = Some((models, replayed, before));
    }
    walls.sort();
    cpus.sort();
    let Some((models, replayed, before)) = kept else {
        return;
    };
    println!(
        "full rebuild, median of 3: {:.0} events/s, {:.2} µs CPU per event",
        replayed as f64 / walls[1].as_secs_f64(),
        cpus[1].as_secs_f64() * 1e6 / replayed.max(1) as f64
    );
    if a.rebuild_only {
        return;
    }
    let all_models = allocated() - before;
    let registered = models
        .profiles
        .model
        .recs
        .iter()
        .filter(|r| r.registered)
        .count()
        .max(1);
    println!(
        "memory, all models after rebuild: {:.1} MB = {:.0} bytes per cadre ({registered} cadres); RSS {} MB, peak {} MB",
        all_models as f64 / 1e6,
        all_models as f64 / registered as f64,
        rss_kb("VmRSS:") / 1024,
        rss_kb("VmHWM:") / 1024
    );

    // 2. Memory of the profile model alone, as loaded from its snapshot (exact capacities).
    let encoded = match models.encode_all() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("encode failed: {e}");
            std::process::exit(1);
        }
    };
    drop(models);
    for (name, _, _, data) in &encoded {
        if *name == "cadre_profiles" {
            let before = allocated();
            let mut slot = dossier_projections::model::Slot::<Profiles>::default();
            let _ = slot.restore(0, data);
            let profiles = slot.model;
            let bytes = allocated() - before;
            println!(
                "memory, cadre profiles: {:.1} MB = {:.0} bytes per profile (snapshot {:.1} MB)",
                bytes as f64 / 1e6,
                bytes as f64 / registered as f64,
                data.len() as f64 / 1e6
            );
            drop(profiles);
        }
        if *name == "cadre_index" {
            let before = allocated();
            let index: dossier_projections::index::CadreIndex = {
                let mut slot = dossier_projections::model::Slot::<
                    dossier_projections::index::CadreIndex,
                >::default();
                let _ = slot.restore(0, data);
                slot.model
            };
            let bytes = allocated() - before;
            println!(
                "memory, timeline index: {:.1} MB = {:.0} bytes per cadre",
                bytes as f64 / 1e6,
                bytes as f64 / registered as f64
            );
            drop(index);
        }
    }
    let total_snapshot: usize = encoded.iter().map(|e| e.3.len()).sum();
    drop(encoded);

    // 3. Start-up from snapshots.
    let (p, task) = Projections::start(store.clone(), ProjectionOptions::default());
    if let Err(e) = p.wait_for(head, Duration::from_secs(600)).await {
        eprintln!("first start failed: {e}");
        std::process::exit(1);
    }
    let t = Instant::now();
    let saved = p.shutdown().await;
    println!(
        "snapshot save:   {:.2} s ({:.1} MB in {} models, position {:?})",
        t.elapsed().as_secs_f64(),
        total_snapshot as f64 / 1e6,
        Models::NAMES.len(),
        saved.as_ref().ok()
    );
    let _ = task.await;
    let t = Instant::now();
    let (p, task) = Projections::start(store.clone(), ProjectionOptions::default());
    if let Err(e) = p.wait_for(head, Duration::from_secs(600)).await {
        eprintln!("start from snapshot failed: {e}");
        std::process::exit(1);
    }
    let startup = t.elapsed();
    println!(
        "start-up from snapshots: {:.2} s (restored {} models, replayed {} events)",
        startup.as_secs_f64(),
        p.status().restored.len(),
        p.status().replayed
    );

    // 4. Dashboard read latency.
    let today = d(2025, 12, 31);
    let mut lat: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    for _ in 0..2_000 {
        let t = Instant::now();
        std::hint::black_box(p.dashboard_training());
        lat.entry("training").or_default().push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(p.dashboard_assessment());
        lat.entry("assessment").or_default().push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(p.dashboard_supervision());
        lat.entry("supervision").or_default().push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(p.dashboard_awards());
        lat.entry("awards").or_default().push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(p.dashboard_promotion());
        lat.entry("promotion").or_default().push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(p.dashboard_down());
        lat.entry("down").or_default().push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(p.dashboard_care(today));
        lat.entry("care").or_default().push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(p.dashboard_training_coverage(today));
        lat.entry("coverage").or_default().push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(p.dashboard_rotation(today));
        lat.entry("rotation").or_default().push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(p.profile("c000042", today));
        lat.entry("profile").or_default().push(t.elapsed());
    }
    for (name, mut v) in lat {
        v.sort();
        println!(
            "read {name:<12} p50 {:>8.1} µs  p99 {:>8.1} µs",
            percentile(&v, 0.5).as_secs_f64() * 1e6,
            percentile(&v, 0.99).as_secs_f64() * 1e6
        );
    }
    let t = Instant::now();
    let alerts = p.alerts(today);
    let first = t.elapsed();
    let t = Instant::now();
    let again = p.alerts(today);
    let cached = t.elapsed();
    println!(
        "alerts as of {today}: {} alerts in {:.1} ms (evaluated over every profile); again {:.1} µs (kept until the next event)",
        alerts.len(),
        first.as_secs_f64() * 1e3,
        cached.as_secs_f64() * 1e6
    );
    assert_eq!(alerts.len(), again.len());
    let t = Instant::now();
    let top = p.points_ranking(today, 20);
    let first = t.elapsed();
    let t = Instant::now();
    let _ = p.points_ranking(today, 100);
    let cached = t.elapsed();
    println!(
        "points ranking as of {today}: top {} in {:.1} ms; another page {:.1} µs",
        top.len(),
        first.as_secs_f64() * 1e3,
        cached.as_secs_f64() * 1e6
    );
    let t = Instant::now();
    let timeline = p.timeline("c000042").await.map(|t| t.len()).unwrap_or(0);
    println!(
        "timeline of one cadre: {timeline} events read from the log in {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    dated_dashboards(&p, head).await;
    let _ = p.shutdown().await;
    let _ = task.await;
    if a.quick {
        remove_db(&a.db);
    }
}

/// Print p50, p99 and the slowest of `v` (sorted here), with a label.
fn latencies(label: &str, v: &mut [Duration]) {
    v.sort();
    println!(
        "{label}: {} reads, p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        v.len(),
        percentile(v, 0.5).as_secs_f64() * 1e3,
        percentile(v, 0.99).as_secs_f64() * 1e3,
        v.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
}

/// The dashboards under the bitemporal contract (part 5): today's (the live models answer),
/// as of past dates (a fold of the slice, then kept), as known at past positions.
async fn dated_dashboards(p: &Projections, head: u64) {
    use dossier_projections::dashboards::dated::DatedDashboards;
    let Some(latest) = p.read(|m| m.log.model.latest_effective) else {
        return;
    };
    let mut v = Vec::new();
    for _ in 0..2_000 {
        let t = Instant::now();
        let answer = p.dashboards(latest, None).await;
        v.push(t.elapsed());
        std::hint::black_box(answer.ok());
    }
    latencies(
        &format!(
            "dashboards today ({latest}, read off the live models, kept per date and position)"
        ),
        &mut v,
    );
    let mut v = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        std::hint::black_box(p.read(|m| DatedDashboards::of(m, latest, head)));
        v.push(t.elapsed());
    }
    latencies(
        "dashboards today, computed from the live models (the first read after an event)",
        &mut v,
    );
    let dates: Vec<NaiveDate> = (1..=10u64)
        .filter_map(|i| latest.checked_sub_days(chrono::Days::new(i * 180)))
        .collect();
    let mut first = Vec::new();
    for on in &dates {
        let t = Instant::now();
        let answer = p.dashboards(*on, None).await;
        first.push(t.elapsed());
        std::hint::black_box(answer.ok());
    }
    latencies(
        "dashboards as of a past date (every 180 days back), first read: a fold of the slice",
        &mut first,
    );
    let mut again = Vec::new();
    for _ in 0..100 {
        for on in &dates {
            let t = Instant::now();
            let answer = p.dashboards(*on, None).await;
            again.push(t.elapsed());
            std::hint::black_box(answer.ok());
        }
    }
    latencies(
        "dashboards as of the same past dates again (kept)",
        &mut again,
    );
    let mut known = Vec::new();
    for i in 1..=10u64 {
        let t = Instant::now();
        let answer = p.dashboards(latest, Some(head * i / 11)).await;
        known.push(t.elapsed());
        std::hint::black_box(answer.ok());
    }
    latencies(
        "dashboards as known at a past position (every 1/11 of the log), first read",
        &mut known,
    );
}
