//! Crash safety: a child process appending with many concurrent writers is killed with SIGKILL at
//! random moments; every append it reported committed is there, none is partial, positions are
//! gapless and the chain verifies.
//!
//! The test re-executes its own binary with `DOSSIER_CRASH_CHILD` set; in that role it appends
//! until killed, printing `COMMITTED <stream> <append> <first> <last> <events>` after each
//! append returns.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::ops::ControlFlow;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{day, meta};
use dossier_store::{ExpectedVersion, NewEvent, Store, StoreOptions, VerifyReport};
use rand::Rng;

const CHILD: &str = "DOSSIER_CRASH_CHILD";
const ROUNDS: usize = 5;
const WRITERS: usize = 16;

#[test]
fn committed_appends_survive_sigkill_and_nothing_is_partial() {
    if let Ok(db) = std::env::var(CHILD) {
        child(Path::new(&db));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let exe = std::env::current_exe().unwrap();
    let mut rng = rand::rng();
    let mut committed: Vec<Committed> = Vec::new();
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args([
                "committed_appends_survive_sigkill_and_nothing_is_partial",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, &db)
            .env("DOSSIER_CRASH_ROUND", round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut lines = Vec::new();
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match r.read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        // A line cut by the kill has no newline: it was never fully reported.
                        if let Some(c) = buf
                            .ends_with(b"\n")
                            .then(|| Committed::parse(&String::from_utf8_lossy(&buf)))
                            .flatten()
                        {
                            if lines.is_empty() {
                                let _ = tx.send(());
                            }
                            lines.push(c);
                        }
                    }
                }
            }
            lines
        });
        // Wait until the child is appending, then kill it at a random moment.
        rx.recv_timeout(Duration::from_secs(60))
            .expect("the child never reported a committed append");
        std::thread::sleep(Duration::from_millis(rng.random_range(20..400)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let lines = reader.join().unwrap();
        assert!(!lines.is_empty());
        committed.extend(lines);
        let head = check(&db, &committed);
        eprintln!(
            "round {round}: {} appends reported committed so far, {head} events in the log",
            committed.len()
        );
    }
}

#[derive(Debug, Clone)]
struct Committed {
    stream: String,
    append: String,
    first: u64,
    last: u64,
    events: u64,
}

impl Committed {
    fn parse(line: &str) -> Option<Committed> {
        let mut it = line.trim_end().strip_prefix("COMMITTED ")?.split(' ');
        Some(Committed {
            stream: it.next()?.to_string(),
            append: it.next()?.to_string(),
            first: it.next()?.parse().ok()?,
            last: it.next()?.parse().ok()?,
            events: it.next()?.parse().ok()?,
        })
    }
}

/// Reopen the file and check every promise.
fn check(db: &Path, committed: &[Committed]) -> u64 {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = Store::open(db, StoreOptions::default()).await.unwrap();
        // Gapless positions; every append's events all present (none partial).
        let mut expected = 1u64;
        let mut appends: HashMap<String, (u64, u64, u64, u64, String)> = HashMap::new();
        let mut gap = None;
        store
            .scan(0, |e| {
                if e.position != expected {
                    gap = Some((expected, e.position));
                    return ControlFlow::Break(());
                }
                expected += 1;
                let v: serde_json::Value = serde_json::from_str(e.payload).unwrap();
                let id = v["append"].as_str().unwrap().to_string();
                let of = v["of"].as_u64().unwrap();
                let entry = appends.entry(id).or_insert((
                    0,
                    of,
                    e.position,
                    e.position,
                    e.stream_id.to_string(),
                ));
                entry.0 += 1;
                entry.3 = e.position;
                ControlFlow::Continue(())
            })
            .await
            .unwrap();
        assert_eq!(gap, None, "positions must be gapless");
        assert_eq!(store.head().await.unwrap(), expected - 1);
        for (id, (seen, of, first, last, _)) in &appends {
            assert_eq!(seen, of, "append {id} is partially present");
            assert_eq!(last - first + 1, *of, "append {id} is not contiguous");
        }
        for c in committed {
            let (seen, _, first, last, stream) = appends
                .get(&c.append)
                .unwrap_or_else(|| panic!("committed append {c:?} is missing"));
            assert_eq!(
                (*seen, *first, *last, stream.as_str()),
                (c.events, c.first, c.last, c.stream.as_str())
            );
        }
        assert_eq!(
            store.verify().await.unwrap(),
            VerifyReport::Ok {
                checked: expected - 1
            }
        );
        store.close().await;
        expected - 1
    })
}

/// The child role: many writers appending until the process is killed.
fn child(db: &Path) {
    let round = std::env::var("DOSSIER_CRASH_ROUND").unwrap_or_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = Store::open(db, StoreOptions::default()).await.unwrap();
        let mut tasks = Vec::new();
        for w in 0..WRITERS {
            let store = store.clone();
            let round = round.clone();
            tasks.push(tokio::spawn(async move {
                let stream = format!("writer-{w}");
                let mut version = store.stream_version(&stream).await.unwrap();
                for n in 0u64.. {
                    let append = format!("r{round}-w{w}-n{n}");
                    // 1 to 40 events: small appends are one statement, large ones several.
                    let k = [1, 2, 3, 17, 40][(n as usize + w) % 5];
                    let events = (0..k)
                        .map(|i| {
                            NewEvent::new(
                                "Crashed",
                                1,
                                format!(r#"{{"append":"{append}","of":{k},"i":{i}}}"#),
                                day(2026, 1, 1),
                            )
                        })
                        .collect();
                    let m = meta().with_command_id(append.clone());
                    let r = store
                        .append(&stream, ExpectedVersion::Exact(version), events, m)
                        .await
                        .unwrap();
                    version = r.stream_version;
                    println!(
                        "COMMITTED {stream} {append} {} {} {k}",
                        r.first_position, r.last_position
                    );
                }
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
    });
}
