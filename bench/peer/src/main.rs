//! The store benchmark's workloads through cqrs-es 0.5 + sqlite-es 0.5 (the usual Rust choice for event sourcing on SQLite), for comparison.
//!
//! Same machine, same payloads (~150 bytes of JSON), same durability (WAL, synchronous=FULL),
//! same shapes: 64 writers appending single events to their own streams, a bulk import in
//! batches of 1,000 (one at a time: see `in_flight`), and a full read of every event decoded into a typed struct.
//! Prints `BENCH <name> <events/s>` lines like the store benchmark.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cqrs_es::event_sink::EventSink;
use cqrs_es::persist::{PersistedEventRepository, SerializedEvent};
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};
use sqlite_es::{SqliteEventRepository, sqlite_aggregate_cqrs};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Sqlite};

/// sqlite-es's own schema (its migrations/…_init.sql, without the example view table).
const SCHEMA: &str = "
CREATE TABLE events (
  aggregate_type text NOT NULL, aggregate_id text NOT NULL,
  sequence integer CHECK (sequence >= 0) NOT NULL,
  event_type text NOT NULL, event_version text NOT NULL,
  payload text NOT NULL, metadata text NOT NULL,
  PRIMARY KEY (aggregate_type, aggregate_id, sequence)) STRICT;
CREATE TABLE snapshots (
  aggregate_type text NOT NULL, aggregate_id text NOT NULL,
  last_sequence integer CHECK (last_sequence >= 0) NOT NULL,
  current_snapshot integer CHECK (current_snapshot >= 0) NOT NULL,
  payload text NOT NULL,
  PRIMARY KEY (aggregate_type, aggregate_id, last_sequence)) STRICT;";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PostAssigned {
    cadre_id: String,
    name: String,
    unit: String,
    post: String,
    grade: String,
    reason: String,
    seq: u64,
}

fn payload(seq: u64) -> PostAssigned {
    PostAssigned {
        cadre_id: format!("c-{:06}", seq % 100_000),
        name: format!("张{}", seq % 97),
        unit: format!("unit-{:03}", seq % 300),
        post: "副科长".into(),
        grade: "正科级".into(),
        reason: "换届调整".into(),
        seq,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum CadreEvent {
    PostAssigned(PostAssigned),
}

impl DomainEvent for CadreEvent {
    fn event_type(&self) -> String {
        "PostAssigned".into()
    }
    fn event_version(&self) -> String {
        "1".into()
    }
}

#[derive(Debug)]
struct Never;

impl fmt::Display for Never {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cadre {
    last_seq: u64,
}

impl Aggregate for Cadre {
    const TYPE: &'static str = "Cadre";
    type Command = PostAssigned;
    type Event = CadreEvent;
    type Error = Never;
    type Services = ();

    async fn handle(
        &mut self,
        command: PostAssigned,
        _services: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), Never> {
        sink.write(CadreEvent::PostAssigned(command), self).await;
        Ok(())
    }

    fn apply(&mut self, event: CadreEvent) {
        match event {
            CadreEvent::PostAssigned(p) => self.last_seq = p.seq,
        }
    }
}

fn serialized(aggregate_id: &str, sequence: usize, seq: u64) -> SerializedEvent {
    SerializedEvent::new(
        aggregate_id.to_string(),
        sequence,
        Cadre::TYPE.to_string(),
        "PostAssigned".into(),
        "1".into(),
        serde_json::to_value(CadreEvent::PostAssigned(payload(seq))).unwrap_or_default(),
        serde_json::json!({"actor": "bench", "role": "clerk"}),
    )
}

async fn pool(path: &std::path::Path) -> Result<Pool<Sqlite>, Box<dyn std::error::Error>> {
    // As sqlite_es::default_sqlite_pool, but synchronous=FULL like the store's default.
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(10)
        .connect_with(options)
        .await?;
    sqlx::raw_sql(SCHEMA).execute(&pool).await?;
    Ok(pool)
}

/// CPU time used by this process so far (user + system), from /proc/self/stat (Linux, 100 ticks/s).
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
    let r = n as f64 / d.as_secs_f64();
    let rc = n as f64 / cpu.max(Duration::from_millis(10)).as_secs_f64();
    println!(
        "peer   {what}: {n} events in {:.2} s = {r:.0} events/s (CPU {:.2} s = {rc:.0} events per CPU-second)",
        d.as_secs_f64(),
        cpu.as_secs_f64()
    );
    println!("BENCH {name} {r:.0}");
}

struct Args {
    events: u64,
    writers: u64,
    appends_per_writer: u64,
    batch: u64,
    in_flight: u64,
}

fn args() -> Args {
    let mut a = Args {
        events: 1_000_000,
        writers: 64,
        appends_per_writer: 400,
        batch: 1_000,
        // sqlite-es opens a deferred transaction per persist on a pool of 10 connections:
        // with several imports in flight they fail with "database is locked" (SQLITE_BUSY),
        // so the import runs one batch at a time.
        in_flight: 1,
    };
    let argv: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < argv.len() {
        let next = argv.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match (argv[i].as_str(), next) {
            ("--events", Some(v)) => a.events = v,
            ("--writers", Some(v)) => a.writers = v,
            ("--appends-per-writer", Some(v)) => a.appends_per_writer = v,
            ("--batch", Some(v)) => a.batch = v,
            ("--in-flight", Some(v)) => a.in_flight = v,
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    a
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let a = args();
    let dir = tempfile::tempdir()?;

    // 1. 64 writers, single-event appends through the event repository (the log level).
    let repo = Arc::new(SqliteEventRepository::new(
        pool(&dir.path().join("appends.db")).await?,
    ));
    let start = Instant::now();
    let cpu0 = cpu_time();
    let mut tasks = Vec::new();
    for w in 0..a.writers {
        let repo = repo.clone();
        let n = a.appends_per_writer;
        tasks.push(tokio::spawn(async move {
            let id = format!("cadre-{w}");
            for i in 0..n {
                repo.persist::<Cadre>(&[serialized(&id, i as usize + 1, i)], None)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            Ok::<_, String>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    report(
        "appends_64_full",
        &format!(
            "{} writers, single-event appends, synchronous=FULL (repository.persist)",
            a.writers
        ),
        a.writers * a.appends_per_writer,
        start.elapsed(),
        cpu_time().saturating_sub(cpu0),
    );

    // 1b. The same through the framework (CqrsFramework::execute with the aggregate store,
    //     which loads the aggregate and saves it with each commit).
    let cqrs = Arc::new(sqlite_aggregate_cqrs::<Cadre>(
        pool(&dir.path().join("execute.db")).await?,
        vec![],
        (),
    ));
    let start = Instant::now();
    let cpu0 = cpu_time();
    let mut tasks = Vec::new();
    for w in 0..a.writers {
        let cqrs = cqrs.clone();
        let n = a.appends_per_writer;
        tasks.push(tokio::spawn(async move {
            let id = format!("cadre-{w}");
            for i in 0..n {
                cqrs.execute(&id, payload(i))
                    .await
                    .map_err(|e| e.to_string())?;
            }
            Ok::<_, String>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    report(
        "execute_64_full",
        &format!(
            "{} writers, one command each, synchronous=FULL (CqrsFramework::execute, aggregate store)",
            a.writers
        ),
        a.writers * a.appends_per_writer,
        start.elapsed(),
        cpu_time().saturating_sub(cpu0),
    );

    // 2. Bulk import in batches.
    let repo = Arc::new(SqliteEventRepository::new(
        pool(&dir.path().join("bulk.db")).await?,
    ));
    let batches = a.events / a.batch;
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let cpu0 = cpu_time();
    let mut tasks = Vec::new();
    for _ in 0..a.in_flight {
        let repo = repo.clone();
        let next = next.clone();
        let batch = a.batch;
        tasks.push(tokio::spawn(async move {
            loop {
                let b = next.fetch_add(1, Ordering::Relaxed);
                if b >= batches {
                    return Ok::<_, String>(());
                }
                let id = format!("import-{b}");
                let events: Vec<_> = (0..batch)
                    .map(|i| serialized(&id, i as usize + 1, b * batch + i))
                    .collect();
                repo.persist::<Cadre>(&events, None)
                    .await
                    .map_err(|e| e.to_string())?;
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

    // 3. Read every event back, decoded into the typed event (stream_all_events).
    let start = Instant::now();
    let cpu0 = cpu_time();
    let mut stream = repo.stream_all_events::<Cadre>().await?;
    let mut n = 0u64;
    let mut sum = 0u64;
    while let Some(e) = stream.next::<Cadre>(&[]).await {
        let CadreEvent::PostAssigned(p) = e?.payload;
        sum = sum.wrapping_add(p.seq);
        n += 1;
    }
    if n != imported {
        return Err(format!("stream_all_events saw {n} of {imported} events").into());
    }
    report(
        "scan_typed",
        "full read (stream_all_events) + typed decoding",
        n,
        start.elapsed(),
        cpu_time().saturating_sub(cpu0),
    );
    std::hint::black_box(sum);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    run().await
}
