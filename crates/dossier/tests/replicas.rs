//! Two `dossier serve` processes on one PostgreSQL log: a write on one is read on the other (at once with `X-Dossier-At-Least`, `STALE` past the bound), concurrent writers on both get distinct gapless positions, one ID number registered on both at once goes in once, a command id is answered once across them, a token revoked anywhere stops working on every replica at once, and a replica killed with SIGKILL comes back with every acknowledged event.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{BIN, terminate, text};

fn server_url() -> String {
    std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

async fn scratch() -> dossier_store::ScratchDatabase {
    match dossier_store::ScratchDatabase::create(&server_url(), "dossier_replica_test").await {
        Ok(db) => db,
        Err(e) => panic!(
            "these tests need a PostgreSQL server (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test): {e}"
        ),
    }
}

struct Replica {
    child: Child,
    base: String,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `dossier serve --db URL` on a free port and wait for its banner.
fn start(db: &str) -> Replica {
    start_with(db, &[])
}

/// [`start`] with settings given as `DOSSIER_…` variables.
fn start_with(db: &str, env: &[(&str, &str)]) -> Replica {
    let mut child = Command::new(BIN)
        .args(["serve", "--db", db, "--listen", "127.0.0.1:0"])
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_LISTEN")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let stdout = child.stdout.take().expect("stdout");
    let line = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.starts_with("Dossier listening on http://"))
        .expect("serve says where it listens");
    let base = line
        .split_whitespace()
        .nth(3)
        .expect("the address")
        .to_string();
    Replica { child, base }
}

fn dossier(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .env_remove("DOSSIER_DB")
        .output()
        .expect("run dossier")
}

async fn gql(client: &reqwest::Client, r: &Replica, token: &str, query: &str) -> (u16, Value) {
    let resp = client
        .post(format!("{}/graphql", r.base))
        .bearer_auth(token)
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// A GraphQL POST asking to read at least `position`: the status, the body and the position
/// the answer says it was read at.
async fn gql_at_least(
    client: &reqwest::Client,
    r: &Replica,
    token: &str,
    query: &str,
    position: u64,
) -> (u16, Value, Option<u64>) {
    let resp = client
        .post(format!("{}/graphql", r.base))
        .bearer_auth(token)
        .header("X-Dossier-At-Least", position.to_string())
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("request");
    let status = resp.status().as_u16();
    let read_at = resp
        .headers()
        .get("x-dossier-position")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (status, resp.json().await.unwrap_or(Value::Null), read_at)
}

/// A valid 18-digit ID number (GB 11643) for a birth date and sequence.
fn id_number(birth: &str, seq: u32) -> String {
    let body = format!("320412{}{:03}", birth.replace('-', ""), seq % 1000);
    let check = dossier_domain::idcard::check_digit(&body).expect("17 digits");
    format!("{body}{check}")
}

fn register_cadre(cadre: &str, id_number: &str) -> String {
    format!(
        "mutation {{ registerCadre(input: {{ cadreId: \"{cadre}\", name: \"李华\", idNumber: \"{id_number}\", unitId: \"ua\" }}, meta: {{ effective: \"2021-01-01\" }}) {{ position }} }}"
    )
}

fn register(unit: &str, command_id: Option<&str>) -> String {
    let meta = match command_id {
        Some(id) => format!(", meta: {{ commandId: \"{id}\" }}"),
        None => String::new(),
    };
    format!(
        "mutation {{ registerUnit(input: {{ unitId: \"{unit}\", name: \"单位{unit}\" }}{meta}) {{ position deduplicated }} }}"
    )
}

async fn units(client: &reqwest::Client, r: &Replica, token: &str) -> Vec<String> {
    let (_, body) = gql(client, r, token, "{ units { unitId } }").await;
    body["data"]["units"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|u| u["unitId"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn create_token(db: &str) -> String {
    let out = dossier(&["token", "create", "--db", db, "--role", "org_admin"]);
    assert!(out.status.success(), "token create: {}", text(&out.stderr));
    text(&out.stdout).trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_share_one_log() {
    let db = scratch().await;
    let url = db.url().to_string();
    let migrated = dossier(&["migrate", "--db", &url]);
    assert!(
        migrated.status.success(),
        "migrate: {}",
        text(&migrated.stderr)
    );
    let token = create_token(&url);
    let a = start(&url);
    // B waits half a second for a position it has not reached before answering STALE.
    let b = start_with(&url, &[("DOSSIER_API__AT_LEAST_TIMEOUT_SECS", "0.5")]);
    let client = reqwest::Client::new();

    // A write on A: A reads it at once (read-your-writes), B within a bound.
    let (status, body) = gql(&client, &a, &token, &register("ua", None)).await;
    assert_eq!(status, 200, "{body}");
    let position = body["data"]["registerUnit"]["position"]
        .as_u64()
        .unwrap_or_else(|| panic!("a position: {body}"));
    assert_eq!(position, 1);
    assert!(units(&client, &a, &token).await.contains(&"ua".to_string()));
    // B asked to read at least that position answers with the write, in one request.
    let (status, body, read_at) =
        gql_at_least(&client, &b, &token, "{ units { unitId } }", position).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["units"][0]["unitId"], json!("ua"), "{body}");
    assert!(read_at.is_some_and(|p| p >= position), "{read_at:?}");

    // Concurrent writers on both replicas: distinct positions, no gap.
    let mut tasks = Vec::new();
    for i in 0..32 {
        let client = client.clone();
        let token = token.clone();
        let base = if i % 2 == 0 {
            a.base.clone()
        } else {
            b.base.clone()
        };
        tasks.push(tokio::spawn(async move {
            let resp = client
                .post(format!("{base}/graphql"))
                .bearer_auth(&token)
                .json(&json!({ "query": register(&format!("u{i}"), None) }))
                .send()
                .await
                .expect("request");
            let body: Value = resp.json().await.expect("json");
            body["data"]["registerUnit"]["position"]
                .as_u64()
                .unwrap_or_else(|| panic!("a position: {body}"))
        }));
    }
    let mut positions = Vec::new();
    for t in tasks {
        positions.push(t.await.unwrap());
    }
    positions.sort_unstable();
    assert_eq!(positions, (2..=33).collect::<Vec<u64>>());

    // One ID number registered on A and on B at the same moment, ten times over: each number
    // goes in once, the other registration is refused by the rule (decided again on the facts
    // the first one changed).
    for round in 0..10u32 {
        let number = id_number("1980-05-01", round);
        let (left, right) = (format!("x{round}"), format!("y{round}"));
        let (query_a, query_b) = (
            register_cadre(&left, &number),
            register_cadre(&right, &number),
        );
        let on_a = gql(&client, &a, &token, &query_a);
        let on_b = gql(&client, &b, &token, &query_b);
        let ((_, ra), (_, rb)) = tokio::join!(on_a, on_b);
        let ok = [&ra, &rb]
            .iter()
            .filter(|r| r["data"]["registerCadre"]["position"].is_u64())
            .count();
        assert_eq!(ok, 1, "exactly one registration of {number}: {ra} / {rb}");
        let refused = if ra["errors"].is_array() { &ra } else { &rb };
        assert_eq!(
            refused["errors"][0]["extensions"]["rule"],
            json!("ID_NUMBER_ALREADY_REGISTERED"),
            "{refused}"
        );
    }

    // One command id, sent to A then to B: answered once, appended once.
    let (_, first) = gql(&client, &a, &token, &register("uc", Some("cmd-x"))).await;
    let (_, again) = gql(&client, &b, &token, &register("uc", Some("cmd-x"))).await;
    assert_eq!(first["data"]["registerUnit"]["deduplicated"], json!(false));
    assert_eq!(again["data"]["registerUnit"]["deduplicated"], json!(true));
    assert_eq!(
        first["data"]["registerUnit"]["position"],
        again["data"]["registerUnit"]["position"]
    );

    // A token revoked by another process stops working on B at once (not after the cache's 5 s).
    let second = create_token(&url);
    assert_eq!(
        gql(&client, &b, &second, "{ units { unitId } }").await.0,
        200
    );
    let revoked = dossier(&["token", "revoke", "--db", &url, &second]);
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    let started = Instant::now();
    loop {
        let (status, _) = gql(&client, &b, &second, "{ units { unitId } }").await;
        if status == 401 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "the revoked token still works on B"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // A killed with SIGKILL under load; every acknowledged write is in the log, and A restarted
    // catches up with what B wrote meanwhile.
    let mut a = a;
    let mut acked = Vec::new();
    for i in 0..10 {
        let (_, body) = gql(&client, &a, &token, &register(&format!("k{i}"), None)).await;
        acked.push(format!("k{i}"));
        assert!(body["data"]["registerUnit"]["position"].is_u64(), "{body}");
    }
    let _ = a.child.kill();
    let _ = a.child.wait();
    let (_, body) = gql(&client, &b, &token, &register("after-kill", None)).await;
    assert!(body["data"]["registerUnit"]["position"].is_u64(), "{body}");
    let a = start(&url);
    let seen = units(&client, &a, &token).await;
    for unit in acked
        .iter()
        .chain(std::iter::once(&"after-kill".to_string()))
    {
        assert!(seen.contains(unit), "restarted A lacks {unit}");
    }

    // A position no replica has reached: B waits its bound, then answers STALE (retryable).
    let asked = Instant::now();
    let (status, body, _) =
        gql_at_least(&client, &b, &token, "{ units { unitId } }", 1_000_000).await;
    let waited = asked.elapsed();
    assert_eq!(status, 503, "{body}");
    assert!(
        waited >= Duration::from_millis(500) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
    assert_eq!(body["errors"][0]["extensions"]["code"], json!("STALE"));
    assert_eq!(body["errors"][0]["extensions"]["retryable"], json!(true));
    assert_eq!(body["errors"][0]["extensions"]["atLeast"], json!(1_000_000));

    // The shared log verifies.
    let verify = dossier(&["verify", "--db", &url]);
    assert!(verify.status.success(), "{}", text(&verify.stdout));
    assert!(
        text(&verify.stdout).contains("ok: 55 events checked"),
        "{}",
        text(&verify.stdout)
    );
    let mut b = b;
    let mut a = a;
    assert!(terminate(&mut b.child, Duration::from_secs(20)).success());
    assert!(terminate(&mut a.child, Duration::from_secs(20)).success());
}

#[test]
fn the_demo_stays_on_sqlite_and_says_so() {
    let out = dossier(&[
        "demo",
        "--db",
        "postgres://postgres@127.0.0.1:5432/never_created",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("[DEMO_SQLITE_ONLY]"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_log_exported_imports_into_postgresql_and_verifies_with_the_sqlite_anchor() {
    use dossier_store::{ExpectedVersion, Metadata, NewEvent, Store, StoreOptions};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("district.db");
    let store = Store::open(&file, StoreOptions::default()).await.unwrap();
    for i in 0..50u32 {
        store
            .append(
                &format!("unit-u{}", i % 7),
                ExpectedVersion::Any,
                vec![NewEvent::new(
                    "unit.Registered",
                    1,
                    format!("{{\"n\":{i}}}"),
                    chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                )],
                Metadata::new("clerk", "org_admin").with_command_id(format!("c{i}")),
            )
            .await
            .unwrap();
    }
    let (position, hash) = store.anchor().await.unwrap().unwrap();
    store.close().await;
    let anchor = format!("{position}:{hash}");
    let ndjson = dir.path().join("log.ndjson");
    let file_arg = file.to_str().unwrap();
    let out = dossier(&[
        "export",
        "--db",
        file_arg,
        "--out",
        ndjson.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let db = scratch().await;
    let out = dossier(&[
        "import",
        "--db",
        db.url(),
        "--in",
        ndjson.to_str().unwrap(),
        "--anchor",
        &anchor,
    ]);
    assert!(out.status.success(), "import: {}", text(&out.stderr));
    let out = dossier(&["verify", "--db", db.url(), "--anchor", &anchor]);
    let printed = text(&out.stdout);
    assert!(out.status.success(), "{printed}");
    assert!(printed.contains("ok: 50 events checked"), "{printed}");
    assert!(
        printed.contains(&format!("anchor {position} matches")),
        "{printed}"
    );
    // A second import into the now non-empty database is refused.
    let again = dossier(&["import", "--db", db.url(), "--in", ndjson.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("[IMPORT_TARGET_NOT_EMPTY]"),
        "{}",
        text(&again.stderr)
    );
    // And back into a new SQLite file: the same anchor.
    let back = dir.path().join("back.ndjson");
    let out = dossier(&["export", "--db", db.url(), "--out", back.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let copy = dir.path().join("copy.db");
    let out = dossier(&[
        "import",
        "--db",
        copy.to_str().unwrap(),
        "--in",
        back.to_str().unwrap(),
        "--anchor",
        &anchor,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}
