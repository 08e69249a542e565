//! Projections benchmark: generates a district's log (cadres, units, grades, awards, training, supervision,
//! appeals) into a SQLite store, then prints rebuild throughput, start-up from snapshots, memory per
//! cadre profile and dashboard read latency; with `--postgres`, also the rebuild from a PostgreSQL copy of
//! the data set beside SQLite's.
//!
//! ```text
//! cargo bench -p dossier-projections --bench projections -- [--cadres 100000] [--events 10000000] [--db PATH] [--fresh] [--rebuild-only] [--dated-only] [--known-only] [--postgres]
//! ```
//! PostgreSQL is the server at `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`); the
//! copy goes into a scratch database, dropped at the end.
//! The data set is kept in `--db` (default `bench-projections.db` in the workspace's target directory,
//! whatever the current folder) and reused when it already holds at least `--events` events; `--fresh`
//! regenerates it. Quick mode (200 cadres, 20,000 events, a fresh file removed afterwards, seconds):
//! `cargo test -p dossier-projections --bench projections` (cargo test runs it without the `--bench`
//! argument) or `-- --quick`, with the PostgreSQL rebuild; CI runs it so the program cannot rot.
#![allow(unsafe_code)] // the counting allocator below: a GlobalAlloc impl cannot be written without it.

use std::{
    alloc::{GlobalAlloc, Layout},
    collections::BTreeMap,
    path::PathBuf,
    sync::atomic::{AtomicIsize, Ordering},
    time::{Duration, Instant},
};

use chrono::NaiveDate;
use dossier_projections::{
    Models, ProjectionOptions, Projections, profile::Profiles, runner::replay,
};
use dossier_store::{Durability, ImportedEvent, ScratchDatabase, Store, StoreOptions};
use std::ops::ControlFlow;

#[path = "support/dataset.rs"]
mod dataset;
use dataset::{d, generate};

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
    /// Only the dashboards under the bitemporal contract, the models started from the snapshots
    /// an earlier run left in the data set (else rebuilt).
    dated_only: bool,
    /// With `dated_only`: only the reads as known at past positions.
    known_only: bool,
    /// Also rebuild from a PostgreSQL copy of the data set at this URL (the quick run always does).
    postgres: Option<String>,
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
            dated_only: false,
            known_only: false,
            postgres: Some(postgres_url()),
            quick,
        }
    } else {
        Args {
            cadres: 100_000,
            events: 10_000_000,
            db: target_dir().join("bench-projections.db"),
            fresh: false,
            rebuild_only: false,
            dated_only: false,
            known_only: false,
            postgres: None,
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
            "--dated-only" => a.dated_only = true,
            "--known-only" => {
                a.dated_only = true;
                a.known_only = true;
            }
            "--postgres" => a.postgres = Some(postgres_url()),
            _ => {} // cargo bench passes --bench; --quick is read above
        }
    }
    a
}

/// The PostgreSQL server to copy the data set into: `DATABASE_URL`, else the local one.
fn postgres_url() -> String {
    std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Removes a database file with its WAL and shared-memory files.
fn remove_db(db: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
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

/// One full rebuild of every model from `store`: events replayed and the wall time.
async fn rebuild(store: &Store) -> (u64, Duration) {
    let t = Instant::now();
    let mut models = Models::default();
    match replay(store, &mut models).await {
        Ok((replayed, _)) => (replayed, t.elapsed()),
        Err(e) => {
            eprintln!("rebuild failed: {e}");
            std::process::exit(1);
        }
    }
}

/// Copy the data set into a scratch PostgreSQL database (through the bulk import), then rebuild
/// every model from it and from SQLite in turn, three times each, and print both medians and
/// their ratio.
async fn postgres_rebuild(sqlite: &Store, url: &str) {
    const COPY_BATCH: usize = 10_000;
    let fail = |what: &str, e: &dyn std::fmt::Display| -> ! {
        eprintln!("{what}: {e}");
        std::process::exit(1);
    };
    let scratch = ScratchDatabase::create(url, "dossier_bench_rebuild")
        .await
        .unwrap_or_else(|e| fail("PostgreSQL", &e));
    let pg = Store::open(scratch.url(), StoreOptions::default())
        .await
        .unwrap_or_else(|e| fail("PostgreSQL", &e));
    let t = Instant::now();
    let (mut after, mut copied) = (0u64, 0u64);
    loop {
        let mut batch = Vec::with_capacity(COPY_BATCH);
        let mut damaged = false;
        let last = sqlite
            .scan(after, |e| match ImportedEvent::copy_of(e) {
                Some(x) => {
                    batch.push(x);
                    if batch.len() >= COPY_BATCH {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                }
                None => {
                    damaged = true;
                    ControlFlow::Break(())
                }
            })
            .await
            .unwrap_or_else(|e| fail("scan", &e));
        if damaged {
            fail(
                "scan",
                &format!("the event after position {after} is damaged"),
            );
        }
        if batch.is_empty() {
            break;
        }
        copied += batch.len() as u64;
        after = last;
        pg.import(batch)
            .await
            .unwrap_or_else(|e| fail("import into PostgreSQL", &e));
    }
    let copy = t.elapsed();
    println!(
        "copied into PostgreSQL: {copied} events in {:.1} s = {:.0} events/s (bulk import)",
        copy.as_secs_f64(),
        copied as f64 / copy.as_secs_f64()
    );
    let (mut lite, mut post) = (Vec::new(), Vec::new());
    for run in 1..=3 {
        for (name, store, walls) in [
            ("SQLite", sqlite, &mut lite),
            ("PostgreSQL", &pg, &mut post),
        ] {
            let (n, wall) = rebuild(store).await;
            let rate = n as f64 / wall.as_secs_f64();
            println!(
                "rebuild from {name} {run}: {n} events in {:.2} s = {rate:.0} events/s",
                wall.as_secs_f64()
            );
            walls.push(rate);
        }
    }
    lite.sort_by(f64::total_cmp);
    post.sort_by(f64::total_cmp);
    println!(
        "rebuild from PostgreSQL, median of 3: {:.0} events/s; SQLite in the same runs {:.0} events/s; ratio PostgreSQL / SQLite {:.2}",
        post[1],
        lite[1],
        post[1] / lite[1]
    );
    pg.close().await;
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

    if a.dated_only {
        let (p, task) = Projections::start(store.clone(), ProjectionOptions::default());
        if let Err(e) = p.wait_for(head, Duration::from_secs(600)).await {
            eprintln!("start failed: {e}");
            std::process::exit(1);
        }
        if a.known_only {
            if let Some(latest) = p.read(|m| m.log.model.latest_effective) {
                known_at_positions(&p, latest, head).await;
            }
        } else {
            dated_dashboards(&p, head).await;
        }
        let _ = p.shutdown().await;
        let _ = task.await;
        return;
    }

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
    if let Some(url) = &a.postgres {
        postgres_rebuild(&store, url).await;
    }
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
    known_at_positions(p, latest, head).await;
    dated_at_once(p, latest).await;
}

/// The dashboards on `latest` as known at ten past positions, every 1/11 of the log, first reads.
async fn known_at_positions(p: &Projections, latest: NaiveDate, head: u64) {
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

/// Four past dates not asked before, asked at once (analysts on the workbench): when each
/// answer came, and the most memory held above what was held before, sampled every 5 ms.
async fn dated_at_once(p: &Projections, latest: NaiveDate) {
    let dates: Vec<NaiveDate> = (1..=4u64)
        .filter_map(|i| latest.checked_sub_days(chrono::Days::new(i * 180 + 90)))
        .collect();
    let base = allocated();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut peak = 0isize;
            while !done.load(Ordering::Relaxed) {
                peak = peak.max(allocated() - base);
                std::thread::sleep(Duration::from_millis(5));
            }
            peak
        })
    };
    let folds = p.dated_folds().runs;
    let t = Instant::now();
    let requests: Vec<_> = dates
        .iter()
        .map(|&on| {
            let p = p.clone();
            tokio::spawn(async move {
                let answer = p.dashboards(on, None).await;
                std::hint::black_box(answer.ok());
                t.elapsed()
            })
        })
        .collect();
    let mut came = Vec::new();
    for r in requests {
        came.push(r.await.unwrap_or_default());
    }
    done.store(true, Ordering::Relaxed);
    let peak = sampler.join().unwrap_or_default();
    came.sort();
    let came: Vec<String> = came
        .iter()
        .map(|d| format!("{:.1}", d.as_secs_f64()))
        .collect();
    println!(
        "four new past dates asked at once: answers after {} s (mean {:.1} s), {} folds, at most {:.0} MB held above the start",
        came.join(" / "),
        came.iter()
            .filter_map(|c| c.parse::<f64>().ok())
            .sum::<f64>()
            / came.len().max(1) as f64,
        p.dated_folds().runs - folds,
        peak as f64 / 1e6
    );
}
