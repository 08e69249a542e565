//! SQLite and PostgreSQL side by side (a program that prints figures): durable single-event appends from many writers, bulk import, full scan, and the lag of a follower on a second handle under the writers' load, each with the ratio PostgreSQL / SQLite; PostgreSQL's appends also with each group first tried in two round trips (`optimistic_groups: true`), and its ratio to the default (every group under the head lock).
//!
//! Run with `cargo bench -p dossier-store --bench backends` (add `-- --events N`, `--writers N`).
//! Quick mode (seconds): `cargo test -p dossier-store --bench backends` (cargo test runs it
//! without `--bench`) or `-- --quick`. PostgreSQL is the server at `DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); a scratch database is created there and dropped.
//! Each figure is also printed as a `BENCH <name> <value>` line.

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use dossier_store::{
    ExpectedVersion, ImportedEvent, Metadata, NewEvent, ScratchDatabase, Store, StoreOptions,
};

struct Args {
    events: u64,
    writers: u64,
    appends_per_writer: u64,
}

fn args() -> Args {
    let argv: Vec<String> = std::env::args().collect();
    let quick = argv.iter().any(|a| a == "--quick") || !argv.iter().any(|a| a == "--bench");
    let mut a = if quick {
        Args {
            events: 5_000,
            writers: 8,
            appends_per_writer: 50,
        }
    } else {
        Args {
            events: 200_000,
            writers: 64,
            appends_per_writer: 200,
        }
    };
    for w in argv.windows(2) {
        if let Ok(v) = w[1].parse::<u64>() {
            match w[0].as_str() {
                "--events" => a.events = v,
                "--writers" => a.writers = v,
                "--appends-per-writer" => a.appends_per_writer = v,
                _ => {}
            }
        }
    }
    a
}

fn event(seq: u64) -> NewEvent {
    NewEvent::new(
        "cadre.PostAssigned",
        1,
        format!(
            "{{\"cadre_id\":\"c{seq:06}\",\"name\":\"张三\",\"unit\":\"发改委\",\"post\":\"副主任\",\"grade\":\"副科\",\"reason\":\"工作需要\",\"seq\":{seq}}}"
        ),
        NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
    )
}

fn meta() -> Metadata {
    Metadata::new("bench", "org_admin")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// `writers` tasks each appending `n` single events to its own stream; a follower on
/// `follower` (another handle: another connection pool, as another process has) notes how long
/// after each acknowledgement it saw the event. Returns events/s and the lags, sorted.
async fn appends(
    store: &Store,
    follower: &Store,
    a: &Args,
) -> anyhow::Result<(f64, Vec<Duration>)> {
    let total = a.writers * a.appends_per_writer;
    let start_head = store.head().await?;
    let acked: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<u64, Instant>>> =
        Default::default();
    let mut sub = follower.subscribe(start_head);
    let seen = tokio::spawn({
        let acked = acked.clone();
        async move {
            let mut lags = Vec::new();
            let mut pending: Vec<(u64, Instant)> = Vec::new();
            for _ in 0..total {
                let Some(Ok(e)) = sub.next().await else { break };
                pending.push((e.position, Instant::now()));
                let acked = acked.lock().expect("lock");
                pending.retain(|(p, at)| match acked.get(p) {
                    Some(ack) => {
                        lags.push(at.saturating_duration_since(*ack));
                        false
                    }
                    None => true,
                });
            }
            lags
        }
    });
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..a.writers {
        let store = store.clone();
        let acked = acked.clone();
        let n = a.appends_per_writer;
        tasks.push(tokio::spawn(async move {
            for i in 0..n {
                let r = store
                    .append(
                        &format!("writer-{w}"),
                        ExpectedVersion::Exact(i),
                        vec![event(i)],
                        meta(),
                    )
                    .await?;
                acked
                    .lock()
                    .expect("lock")
                    .insert(r.first_position, Instant::now());
            }
            Ok::<_, dossier_store::StoreError>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let rate = total as f64 / started.elapsed().as_secs_f64();
    let mut lags = tokio::time::timeout(Duration::from_secs(60), seen).await??;
    lags.sort();
    Ok((rate, lags))
}

/// A log of `n` events to import, built once on SQLite and exported.
async fn source_log(dir: &std::path::Path, n: u64) -> anyhow::Result<Vec<ImportedEvent>> {
    let store = Store::open(dir.join("source.db"), StoreOptions::default()).await?;
    let mut i = 0;
    while i < n {
        let batch: Vec<NewEvent> = (i..(i + 500).min(n)).map(event).collect();
        i += batch.len() as u64;
        store
            .append(
                &format!("cadre-{}", i / 500),
                ExpectedVersion::Any,
                batch,
                meta(),
            )
            .await?;
    }
    let mut out = Vec::with_capacity(n as usize);
    store
        .scan(0, |e| {
            out.push(ImportedEvent::copy_of(e).expect("a sound log"));
            ControlFlow::Continue(())
        })
        .await?;
    store.close().await;
    Ok(out)
}

struct Figures {
    appends: f64,
    lag_p50: Duration,
    lag_p99: Duration,
    import: f64,
    scan: f64,
    replay_scan: f64,
}

async fn measure(
    location: &str,
    options: StoreOptions,
    source: &[ImportedEvent],
    a: &Args,
) -> anyhow::Result<Figures> {
    let store = Store::open(location, options.clone()).await?;
    // Bulk import into the empty log, in the batches `dossier import` uses.
    let started = Instant::now();
    for batch in source.chunks(10_000) {
        store.import(batch.to_vec()).await?;
    }
    let import = source.len() as f64 / started.elapsed().as_secs_f64();
    // Full scans (what verify and export do) and the fold columns' scan (what rebuild does).
    let started = Instant::now();
    let mut n = 0u64;
    store
        .scan(0, |_| {
            n += 1;
            ControlFlow::Continue(())
        })
        .await?;
    let scan = n as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut n = 0u64;
    store
        .scan_replay(0, |_| {
            n += 1;
            ControlFlow::Continue(())
        })
        .await?;
    let replay_scan = n as f64 / started.elapsed().as_secs_f64();
    // Appends from many writers, with a follower: on PostgreSQL a second handle (its own
    // pools and LISTEN connection, as a second replica has); a SQLite log has one writing
    // process, so its follower is in the same one.
    let follower = if dossier_store::postgres_url(std::path::Path::new(location)).is_some() {
        Store::open(location, options).await?
    } else {
        store.clone()
    };
    let (appends, lags) = appends(&store, &follower, a).await?;
    follower.close().await;
    store.close().await;
    Ok(Figures {
        appends,
        lag_p50: percentile(&lags, 0.5),
        lag_p99: percentile(&lags, 0.99),
        import,
        scan,
        replay_scan,
    })
}

fn line(what: &str, name: &str, sqlite: f64, pg: f64, unit: &str) {
    println!(
        "{what:<58} SQLite {sqlite:>12.0} {unit}   PostgreSQL {pg:>12.0} {unit}   ratio {:.2}",
        pg / sqlite.max(1e-9)
    );
    println!("BENCH {name}_sqlite {sqlite:.0}");
    println!("BENCH {name}_postgres {pg:.0}");
}

async fn run() -> anyhow::Result<()> {
    let a = args();
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
    let db = ScratchDatabase::create(&url, "dossier_bench")
        .await
        .map_err(|e| {
            anyhow::anyhow!("this benchmark needs a PostgreSQL server (DATABASE_URL): {e}")
        })?;
    let dir = tempfile::tempdir()?;
    let source = source_log(dir.path(), a.events).await?;
    let sqlite_path = dir.path().join("bench.db");
    let sqlite = measure(
        &sqlite_path.to_string_lossy(),
        StoreOptions::default(),
        &source,
        &a,
    )
    .await?;
    let pg = measure(db.url(), StoreOptions::default(), &source, &a).await?;
    // The same on a second database, each group first tried in two round trips (falling back
    // to the head lock, the default, when another process wrote meanwhile).
    let optimistic_db = ScratchDatabase::create(&url, "dossier_bench_optimistic")
        .await
        .map_err(|e| anyhow::anyhow!("a second scratch database: {e}"))?;
    let optimistic = StoreOptions {
        optimistic_groups: true,
        ..StoreOptions::default()
    };
    let pg_optimistic = measure(optimistic_db.url(), optimistic, &source, &a).await?;
    println!(
        "backends: {} events imported and scanned; {} writers x {} durable single-event appends (SQLite synchronous=FULL, PostgreSQL synchronous_commit on)",
        a.events, a.writers, a.appends_per_writer
    );
    line(
        &format!("{} writers, durable single-event appends", a.writers),
        "backend_appends",
        sqlite.appends,
        pg.appends,
        "events/s",
    );
    println!(
        "{:<58} locked {:>12.0} events/s   two round trips {:>12.0} events/s   ratio {:.2}",
        "PostgreSQL appends: locked (default) vs two round trips",
        pg.appends,
        pg_optimistic.appends,
        pg_optimistic.appends / pg.appends.max(1e-9)
    );
    println!(
        "BENCH backend_appends_postgres_optimistic {:.0}",
        pg_optimistic.appends
    );
    println!(
        "BENCH backend_lag_p50_us_postgres_optimistic {}",
        pg_optimistic.lag_p50.as_micros()
    );
    println!(
        "BENCH backend_lag_p99_us_postgres_optimistic {}",
        pg_optimistic.lag_p99.as_micros()
    );
    line(
        "bulk import",
        "backend_import",
        sqlite.import,
        pg.import,
        "events/s",
    );
    line(
        "full scan (verify, export)",
        "backend_scan",
        sqlite.scan,
        pg.scan,
        "events/s",
    );
    line(
        "fold-column scan (rebuild)",
        "backend_replay_scan",
        sqlite.replay_scan,
        pg.replay_scan,
        "events/s",
    );
    line(
        "follower lag p50 (PostgreSQL: second handle) µs",
        "backend_lag_p50_us",
        sqlite.lag_p50.as_micros() as f64,
        pg.lag_p50.as_micros() as f64,
        "µs",
    );
    line(
        "follower lag p99 (PostgreSQL: second handle) µs",
        "backend_lag_p99_us",
        sqlite.lag_p99.as_micros() as f64,
        pg.lag_p99.as_micros() as f64,
        "µs",
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(run())
}
