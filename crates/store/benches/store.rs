//! Store benchmarks (a program that prints figures): durable appends from 64 writers, bulk import, full scans.
//!
//! Run with `cargo bench -p dossier-store` (add `-- --events N` for a smaller log; `--backup`
//! adds an online backup of the imported log, with the appends' slowdown while it runs).
//! Quick mode (5,000 events, 8 writers, seconds): `cargo test -p dossier-store --bench store` (cargo test
//! runs it without the `--bench` argument) or `-- --quick`; CI runs it so the program cannot rot.
//! Each figure is also printed as a `BENCH <name> <events/s>` line for bench/store-vs-peer.sh.

use std::borrow::Cow;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use dossier_store::{
    Durability, ExpectedVersion, Metadata, NewEvent, Store, StoreOptions, VerifyReport,
};
use serde::Deserialize;

/// A typical event payload (~150 bytes of JSON).
#[derive(Debug, Deserialize)]
struct Payload<'a> {
    #[serde(borrow)]
    cadre_id: Cow<'a, str>,
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    unit: Cow<'a, str>,
    #[serde(borrow)]
    post: Cow<'a, str>,
    #[serde(borrow)]
    grade: Cow<'a, str>,
    #[serde(borrow)]
    reason: Cow<'a, str>,
    seq: u64,
}

fn payload(seq: u64) -> String {
    format!(
        r#"{{"cadre_id":"c-{:06}","name":"张{}","unit":"unit-{:03}","post":"副科长","grade":"正科级","reason":"换届调整","seq":{seq}}}"#,
        seq % 100_000,
        seq % 97,
        seq % 300
    )
}

fn event(seq: u64) -> NewEvent {
    NewEvent::new(
        "PostAssigned",
        1,
        payload(seq),
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
    )
}

fn meta() -> Metadata {
    Metadata::new("bench", "clerk")
}

struct Args {
    events: u64,
    writers: u64,
    appends_per_writer: u64,
    batch: u64,
    in_flight: u64,
    backup: bool,
}

fn args() -> Args {
    let argv: Vec<String> = std::env::args().collect();
    // cargo test runs a bench target without cargo bench's `--bench`: then, or with --quick, a small run.
    let quick = argv.iter().any(|a| a == "--quick") || !argv.iter().any(|a| a == "--bench");
    let mut a = if quick {
        Args {
            events: 5_000,
            writers: 8,
            appends_per_writer: 50,
            batch: 100,
            in_flight: 4,
            backup: false,
        }
    } else {
        Args {
            events: 1_000_000,
            writers: 64,
            appends_per_writer: 400,
            batch: 1_000,
            in_flight: 4,
            backup: false,
        }
    };
    let mut i = 1;
    while i < argv.len() {
        let next = argv.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match (argv[i].as_str(), next) {
            ("--events", Some(v)) => a.events = v,
            ("--writers", Some(v)) => a.writers = v,
            ("--appends-per-writer", Some(v)) => a.appends_per_writer = v,
            ("--batch", Some(v)) => a.batch = v,
            ("--in-flight", Some(v)) => a.in_flight = v,
            ("--backup", _) => {
                a.backup = true;
                i += 1;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    a
}

fn rate(n: u64, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

/// CPU time used by this process so far (user + system), from /proc/self/stat (Linux, 100 ticks/s).
/// The machine is shared: events per CPU-second is the figure that load on other processes disturbs least.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<u64> = after
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let ticks = fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn report(name: &str, what: &str, n: u64, d: Duration, cpu: Duration) {
    println!(
        "store  {what}: {n} events in {:.2} s = {:.0} events/s (CPU {:.2} s = {:.0} events per CPU-second)",
        d.as_secs_f64(),
        rate(n, d),
        cpu.as_secs_f64(),
        rate(n, cpu.max(Duration::from_millis(10)))
    );
    println!("BENCH {name} {:.0}", rate(n, d));
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

async fn concurrent_appends(
    dir: &std::path::Path,
    a: &Args,
    durability: Durability,
    command_ids: bool,
) -> anyhow::Result<(u64, Duration, Duration, Vec<Duration>)> {
    let path = dir.join(format!("appends-{durability:?}-{command_ids}.db"));
    let store = Store::open(
        &path,
        StoreOptions {
            durability,
            ..StoreOptions::default()
        },
    )
    .await?;
    let start = Instant::now();
    let cpu0 = cpu_time();
    let mut tasks = Vec::new();
    for w in 0..a.writers {
        let store = store.clone();
        let n = a.appends_per_writer;
        tasks.push(tokio::spawn(async move {
            let stream = format!("cadre-{w}");
            let mut lat = Vec::with_capacity(n as usize);
            for i in 0..n {
                let m = if command_ids {
                    meta().with_command_id(format!("{w}-{i}"))
                } else {
                    meta()
                };
                let t = Instant::now();
                store
                    .append(&stream, ExpectedVersion::Exact(i), vec![event(i)], m)
                    .await?;
                lat.push(t.elapsed());
            }
            Ok::<_, dossier_store::StoreError>(lat)
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await??);
    }
    let elapsed = start.elapsed();
    let cpu = cpu_time().saturating_sub(cpu0);
    lat.sort();
    store.close().await;
    Ok((a.writers * a.appends_per_writer, elapsed, cpu, lat))
}

async fn run() -> anyhow::Result<()> {
    let a = args();
    let dir = tempfile::tempdir()?;

    for (durability, command_ids) in [
        (Durability::Full, false),
        (Durability::Full, true),
        (Durability::Normal, false),
    ] {
        let (n, d, cpu, lat) = concurrent_appends(dir.path(), &a, durability, command_ids).await?;
        let label = format!(
            "{} writers, single-event appends, synchronous={}{}",
            a.writers,
            if durability == Durability::Full {
                "FULL"
            } else {
                "NORMAL"
            },
            if command_ids {
                ", with command ids"
            } else {
                ""
            }
        );
        report(
            &format!(
                "appends_{}_{}{}",
                a.writers,
                if durability == Durability::Full {
                    "full"
                } else {
                    "normal"
                },
                if command_ids { "_cmdid" } else { "" }
            ),
            &label,
            n,
            d,
            cpu,
        );
        println!(
            "       latency p50 {:.2} ms, p99 {:.2} ms",
            percentile(&lat, 0.5).as_secs_f64() * 1e3,
            percentile(&lat, 0.99).as_secs_f64() * 1e3
        );
    }

    // Bulk import: batches of `batch` events, each an append to its own stream, a few in flight.
    let path = dir.path().join("bulk.db");
    let store = Store::open(&path, StoreOptions::default()).await?;
    let batches = a.events / a.batch;
    let start = Instant::now();
    let cpu0 = cpu_time();
    let next = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..a.in_flight {
        let store = store.clone();
        let next = next.clone();
        let batch = a.batch;
        tasks.push(tokio::spawn(async move {
            loop {
                let b = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if b >= batches {
                    return Ok::<_, dossier_store::StoreError>(());
                }
                let events = (0..batch).map(|i| event(b * batch + i)).collect();
                store
                    .append(
                        &format!("import-{b}"),
                        ExpectedVersion::NoStream,
                        events,
                        meta(),
                    )
                    .await?;
            }
        }));
    }
    for t in tasks {
        t.await??;
    }
    let imported = batches * a.batch;
    report(
        "bulk_import",
        &format!(
            "bulk import, batches of {} ({} in flight), synchronous=FULL",
            a.batch, a.in_flight
        ),
        imported,
        start.elapsed(),
        cpu_time().saturating_sub(cpu0),
    );

    // Full scan through the raw handle, decoding every payload into a typed struct.
    let start = Instant::now();
    let cpu0 = cpu_time();
    let mut n = 0u64;
    let mut sum = 0u64;
    let mut bad = 0u64;
    store
        .scan(0, |e| {
            match serde_json::from_str::<Payload<'_>>(e.payload) {
                Ok(p) => {
                    sum = sum.wrapping_add(p.seq);
                    let lens = p.cadre_id.len()
                        + p.name.len()
                        + p.unit.len()
                        + p.post.len()
                        + p.grade.len()
                        + p.reason.len();
                    sum = sum.wrapping_add(lens as u64);
                }
                Err(_) => bad += 1,
            }
            n += 1;
            ControlFlow::Continue(())
        })
        .await?;
    anyhow::ensure!(
        n == imported && bad == 0,
        "scan saw {n} events, {bad} undecodable"
    );
    report(
        "scan_typed",
        "full scan (raw handle) + typed JSON decoding",
        n,
        start.elapsed(),
        cpu_time().saturating_sub(cpu0),
    );
    std::hint::black_box(sum);

    // The same through read_all pages (owned events, as subscriptions read them).
    let start = Instant::now();
    let cpu0 = cpu_time();
    let mut after = 0;
    let mut n = 0u64;
    loop {
        let page = store.read_all(after, 1_000).await?;
        let Some(last) = page.last() else { break };
        after = last.position;
        for e in &page {
            let p: Payload<'_> = serde_json::from_str(&e.payload)?;
            sum = sum.wrapping_add(p.seq);
        }
        n += page.len() as u64;
    }
    anyhow::ensure!(n == imported, "read_all saw {n} events");
    report(
        "read_all_typed",
        "read_all pages of 1000 (owned events) + typed JSON decoding",
        n,
        start.elapsed(),
        cpu_time().saturating_sub(cpu0),
    );
    std::hint::black_box(sum);

    let start = Instant::now();
    let cpu0 = cpu_time();
    let v = store.verify().await?;
    anyhow::ensure!(v == VerifyReport::Ok { checked: imported }, "verify: {v:?}");
    report(
        "verify",
        "verify (recompute the hash chain)",
        imported,
        start.elapsed(),
        cpu_time().saturating_sub(cpu0),
    );
    if a.backup {
        backup_under_load(&store, dir.path(), &a, imported).await?;
    }
    store.close().await;
    Ok(())
}

/// 64 writers appending to `store` until `stop` is set; (appends acknowledged, elapsed).
async fn appends_until(
    store: &Store,
    writers: u64,
    round: u64,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> anyhow::Result<(u64, Duration)> {
    use std::sync::atomic::Ordering;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..writers {
        let (store, stop) = (store.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let stream = format!("load-{round}-{w}");
            let mut n = 0u64;
            while !stop.load(Ordering::Acquire) {
                store
                    .append(&stream, ExpectedVersion::Exact(n), vec![event(n)], meta())
                    .await?;
                n += 1;
            }
            Ok::<_, dossier_store::StoreError>(n)
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await??;
    }
    Ok((total, start.elapsed()))
}

/// An online backup of the imported log, alone and under 64-writer durable appends, with the
/// appends' rate while it runs side by side with the same writers and no backup.
async fn backup_under_load(
    store: &Store,
    dir: &std::path::Path,
    a: &Args,
    imported: u64,
) -> anyhow::Result<()> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    // The backup under load.
    let stop = Arc::new(AtomicBool::new(false));
    let load = tokio::spawn({
        let (store, stop, writers) = (store.clone(), stop.clone(), a.writers);
        async move { appends_until(&store, writers, 1, stop).await }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let out = dir.join("backup.db");
    let r = store.backup(&out).await?;
    stop.store(true, Ordering::Release);
    let (during, during_time) = load.await??;
    let secs = r.elapsed.as_secs_f64();
    println!(
        "store  online backup of {imported} events under {} writers: {:.2} s = {:.0} events/s, {:.1} MiB at {:.1} MiB/s",
        a.writers,
        secs,
        imported as f64 / secs,
        r.bytes as f64 / 1048576.0,
        r.bytes as f64 / 1048576.0 / secs
    );
    println!("BENCH backup {:.0}", imported as f64 / secs);
    // The same writers for the same time, no backup.
    let stop = Arc::new(AtomicBool::new(false));
    let load = tokio::spawn({
        let (store, stop, writers) = (store.clone(), stop.clone(), a.writers);
        async move { appends_until(&store, writers, 2, stop).await }
    });
    tokio::time::sleep(during_time).await;
    stop.store(true, Ordering::Release);
    let (alone, alone_time) = load.await??;
    let (with_rate, alone_rate) = (rate(during, during_time), rate(alone, alone_time));
    println!(
        "store  {} writers, synchronous=FULL: {with_rate:.0} appends/s during the backup, {alone_rate:.0} appends/s without (ratio {:.2})",
        a.writers,
        with_rate / alone_rate.max(1.0)
    );
    println!("BENCH appends_during_backup {with_rate:.0}");
    println!("BENCH appends_without_backup {alone_rate:.0}");
    // The copy verifies.
    let copy = Store::open(
        &out,
        StoreOptions {
            read_only: true,
            create_if_missing: false,
            ..StoreOptions::default()
        },
    )
    .await?;
    let v = copy.verify().await?;
    anyhow::ensure!(
        matches!(v, VerifyReport::Ok { checked } if checked >= imported),
        "backup verify: {v:?}"
    );
    copy.close().await;
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!("store benchmark: {cpus} CPUs");
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}
