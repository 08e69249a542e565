//! The `dossier` binary run as a child process on temporary databases: the demo's published figures through GraphQL, verify, export/import, tokens, replay, refusals.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod support;

use support::{BIN, dossier, s, text};

/// A database holding the demo district, built once per test run by `dossier demo`.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("demo.db");
        let out = dossier(&["demo", "--db", s(&db), "--seed", "2024"]);
        assert!(
            out.status.success(),
            "demo failed: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        (dir, db)
    });
    path
}

/// A private copy of the demo database (the file only: the demo closes it cleanly).
fn demo_copy(dir: &Path) -> PathBuf {
    let db = dir.join("copy.db");
    std::fs::copy(template(), &db).expect("copy demo db");
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", s(template())));
        if side.exists() {
            std::fs::copy(&side, format!("{}{suffix}", s(&db))).expect("copy side file");
        }
    }
    db
}

struct Server {
    child: Child,
    addr: String,
    token: String,
}

impl Server {
    /// `dossier serve --demo` on a free port; reads the address and admin token it prints.
    fn start(db: &Path) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--demo", "--db", s(db), "--listen", "127.0.0.1:0"])
            .args(["--durability", "normal"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let (mut addr, mut token) = (None, None);
        let deadline = Instant::now() + Duration::from_secs(120);
        while addr.is_none() || token.is_none() {
            assert!(Instant::now() < deadline, "serve did not start");
            let line = lines.next().expect("serve output").expect("line");
            if let Some(rest) = line.strip_prefix("Dossier listening on http://") {
                addr = rest.split_whitespace().next().map(String::from);
            }
            if let Some(rest) = line.strip_prefix("admin token (org_admin): ") {
                token = Some(rest.trim().to_owned());
            }
        }
        // Keep reading the server's standard output so that nothing it prints later
        // meets a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Server {
            child,
            addr: addr.unwrap_or_default(),
            token: token.unwrap_or_default(),
        }
    }

    async fn gql(&self, query: &str) -> Value {
        let reply: Value = reqwest::Client::new()
            .post(format!("http://{}/graphql", self.addr))
            .bearer_auth(&self.token)
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("request to {} failed: {e:?}", self.addr))
            .json()
            .await
            .expect("json reply");
        assert!(reply.get("errors").is_none(), "GraphQL errors: {reply}");
        reply
    }

    /// SIGTERM, then wait for a clean exit.
    fn stop(mut self) -> std::process::ExitStatus {
        support::terminate(&mut self.child, Duration::from_secs(30))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn figure(figures: &[Value], dashboard: &str, metric: &str, key: &str) -> f64 {
    figures
        .iter()
        .find(|f| f["dashboard"] == dashboard && f["metric"] == metric && f["key"] == key)
        .and_then(|f| f["value"].as_f64())
        .unwrap_or_else(|| panic!("no figure {dashboard}/{metric}/{key}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_dashboards_show_the_published_figures_through_graphql() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let server = Server::start(&db);
    let reply = server
        .gql(r#"{ dashboards(asOf: "2026-11-20") { figures { dashboard metric key value } } }"#)
        .await;
    let figures = reply["data"]["dashboards"]["figures"]
        .as_array()
        .expect("figures")
        .clone();
    // 9 main classes and 13 thematic classes.
    assert_eq!(figure(&figures, "training", "classes", "main"), 9.0);
    assert_eq!(figure(&figures, "training", "classes", "thematic"), 13.0);
    // The three-good contest held 4 years running.
    assert_eq!(figure(&figures, "awards", "three_good_years", ""), 4.0);
    // 5 Steed Award batches, 37 awardees, over 3 years.
    assert_eq!(figure(&figures, "awards", "steed_batches", ""), 5.0);
    assert_eq!(figure(&figures, "awards", "steed_awardees", ""), 37.0);
    assert_eq!(figure(&figures, "awards", "steed_years", ""), 3.0);
    // 20 front-line promotion quotas a year, allocated and never exceeded.
    for year in ["2024", "2025", "2026"] {
        assert_eq!(figure(&figures, "promotion", "quota", year), 20.0);
        assert_eq!(figure(&figures, "promotion", "quota_used", year), 20.0);
    }
    // 8 cadres moved down by committee decision.
    assert_eq!(figure(&figures, "down", "cadres_moved_down", ""), 8.0);
    // 56 hot-post heads in 8 business-facing units rotated this year.
    assert_eq!(
        figure(&figures, "rotation", "hot_post_heads_rotated", "2026"),
        56.0
    );
    assert_eq!(figure(&figures, "rotation", "hot_post_units", "2026"), 8.0);
    // 85 typical appeal cases compiled.
    assert_eq!(figure(&figures, "care", "typical_cases", ""), 85.0);

    // A cadre's profile is there too.
    let reply = server.gql(r#"{ cadre(id: "c0001") { name } }"#).await;
    assert!(
        reply["data"]["cadre"]["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );

    let status = server.stop();
    assert!(status.success(), "serve exited with {status}");
    let out = dossier(&["verify", "--db", s(&db)]);
    assert!(out.status.success(), "{}", text(&out.stdout));
}

/// Every figure of `dashboards(asOf: on)` (and `knownAt` when given), through GraphQL.
async fn figures_on(server: &Server, on: &str, known_at: Option<u64>) -> Vec<Value> {
    let known = known_at.map_or(String::new(), |p| format!(", knownAt: \"{p}\""));
    let reply = server
        .gql(&format!(
            r#"{{ dashboards(asOf: "{on}"{known}) {{ asOf position figures {{ dashboard metric key value }} }} }}"#
        ))
        .await;
    assert_eq!(reply["data"]["dashboards"]["asOf"], on);
    reply["data"]["dashboards"]["figures"]
        .as_array()
        .expect("figures")
        .clone()
}

/// The figure, or 0 when the dashboard has no such line on that date.
fn figure_or_zero(figures: &[Value], dashboard: &str, metric: &str, key: &str) -> f64 {
    figures
        .iter()
        .find(|f| f["dashboard"] == dashboard && f["metric"] == metric && f["key"] == key)
        .and_then(|f| f["value"].as_f64())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_dashboards_show_each_published_figure_as_of_the_day_it_was_reached() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let server = Server::start(&db);
    let classes = |f: &[Value]| {
        (
            figure_or_zero(f, "training", "classes", "main"),
            figure_or_zero(f, "training", "classes", "thematic"),
        )
    };

    // The 22nd class was scheduled on 2026-08-03: 9 main and 13 thematic from that day.
    let f = figures_on(&server, "2026-08-03", None).await;
    assert_eq!(classes(&f), (9.0, 13.0));
    // The 8th “down” decision was taken on 2026-08-05.
    let f = figures_on(&server, "2026-08-05", None).await;
    assert_eq!(figure(&f, "down", "cadres_moved_down", ""), 8.0);
    let f = figures_on(&server, "2026-08-04", None).await;
    assert_eq!(figure(&f, "down", "cadres_moved_down", ""), 7.0);
    // The 56th hot-post head was rotated on 2026-10-08, the 8th unit by then.
    let f = figures_on(&server, "2026-10-08", None).await;
    assert_eq!(
        figure(&f, "rotation", "hot_post_heads_rotated", "2026"),
        56.0
    );
    assert_eq!(figure(&f, "rotation", "hot_post_units", "2026"), 8.0);
    let f = figures_on(&server, "2026-10-07", None).await;
    assert_eq!(
        figure(&f, "rotation", "hot_post_heads_rotated", "2026"),
        55.0
    );
    // The 5th Steed Award batch was announced on 2026-11-05: 37 awardees over 3 years.
    let f = figures_on(&server, "2026-11-05", None).await;
    assert_eq!(figure(&f, "awards", "steed_batches", ""), 5.0);
    assert_eq!(figure(&f, "awards", "steed_awardees", ""), 37.0);
    assert_eq!(figure(&f, "awards", "steed_years", ""), 3.0);
    let f = figures_on(&server, "2026-11-04", None).await;
    assert_eq!(figure(&f, "awards", "steed_batches", ""), 4.0);
    // The three-good contest of 2026, its 4th year running, was announced on 2026-11-10.
    let f = figures_on(&server, "2026-11-10", None).await;
    assert_eq!(figure(&f, "awards", "three_good_years", ""), 4.0);
    let f = figures_on(&server, "2026-11-09", None).await;
    assert_eq!(figure(&f, "awards", "three_good_years", ""), 3.0);
    // The 2026 front-line quota was allocated on 2026-11-12: 20 a year, each year.
    let f = figures_on(&server, "2026-11-12", None).await;
    for year in ["2024", "2025", "2026"] {
        assert_eq!(figure(&f, "promotion", "quota", year), 20.0);
        assert_eq!(figure(&f, "promotion", "quota_used", year), 20.0);
    }
    let f = figures_on(&server, "2026-11-11", None).await;
    assert!(figure_or_zero(&f, "promotion", "quota_used", "2026") < 20.0);
    // On the day of the report, 85 typical appeal cases.
    let f = figures_on(&server, "2026-11-20", None).await;
    assert_eq!(figure(&f, "care", "typical_cases", ""), 85.0);
    // Before the first class, none; as the log knew it at its first position, one event.
    let f = figures_on(&server, "2022-12-31", None).await;
    assert_eq!(classes(&f), (0.0, 0.0));
    let f = figures_on(&server, "2026-11-20", Some(1)).await;
    assert_eq!(figure(&f, "log", "events", ""), 1.0);
    assert_eq!(classes(&f), (0.0, 0.0));

    let status = server.stop();
    assert!(status.success(), "serve exited with {status}");
}

#[test]
fn serve_demo_keeps_one_admin_token_across_restarts_and_does_not_replace_a_revoked_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_copy(dir.path());
    let first = Server::start(&db);
    let token = first.token.clone();
    assert!(token.starts_with("dos_"), "{token}");
    assert!(first.stop().success());
    let second = Server::start(&db);
    assert_eq!(
        second.token, token,
        "a restart shows the kept token, not a new one"
    );
    assert!(second.stop().success());
    let listed = text(&dossier(&["token", "list", "--db", s(&db)]).stdout);
    assert_eq!(listed.matches("demo admin").count(), 1, "{listed}");
    // Revoked: the next start mints nothing and says how to create a token.
    let out = dossier(&["token", "revoke", "--db", s(&db), &token]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut child = Command::new(BIN)
        .args(["serve", "--demo", "--db", s(&db), "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut said = String::new();
    for _ in 0..2 {
        if let Some(Ok(line)) = lines.next() {
            said.push_str(&line);
            said.push('\n');
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(!said.contains("admin token (org_admin)"), "{said}");
    assert!(said.contains("token create"), "{said}");
}

#[test]
fn verify_prints_an_anchor_that_a_later_verify_checks() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let out = dossier(&["verify", "--db", s(&db)]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    let anchor = stdout
        .lines()
        .find_map(|l| l.strip_prefix("anchor: "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no anchor printed: {stdout}"))
        .to_owned();
    let (position, hash) = anchor.split_once(':').expect("POSITION:HASH");

    let out = dossier(&["verify", "--db", s(&db), "--anchor", &anchor]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("matches"));

    // An anchor the log no longer reaches: what a log cut short looks like.
    let beyond = format!("{}:{hash}", position.parse::<u64>().unwrap() + 5);
    let out = dossier(&["verify", "--db", s(&db), "--anchor", &beyond]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("cut off its end"));
    assert!(
        !text(&out.stdout).contains("intact"),
        "a failed anchor is not an intact log: {}",
        text(&out.stdout)
    );

    // Another hash at the same position: a rewritten log.
    let other = format!("{position}:{}", "0".repeat(64));
    let out = dossier(&["verify", "--db", s(&db), "--anchor", &other]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("rewritten"));
    assert!(
        !text(&out.stdout).contains("intact"),
        "{}",
        text(&out.stdout)
    );

    let out = dossier(&["verify", "--db", s(&db), "--anchor", "12:xyz"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("ANCHOR_MALFORMED"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn verify_reports_an_intact_chain_and_refuses_a_missing_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let out = dossier(&["verify", "--db", s(&db)]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("hash chain intact"));

    let missing = dir.path().join("nothing.db");
    let out = dossier(&["verify", "--db", s(&missing)]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("DATABASE_NOT_FOUND"),
        "{}",
        text(&out.stderr)
    );
    assert!(!missing.exists(), "verify must not create a database");
}

fn export_lines(db: &Path, out: &Path) -> Vec<Value> {
    let o = dossier(&["export", "--db", s(db), "--out", s(out)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    std::fs::read_to_string(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

#[test]
fn export_then_import_round_trips_every_event_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let file = dir.path().join("log.ndjson");
    let first = export_lines(&db, &file);
    assert!(first.len() > 3000);

    let restored = dir.path().join("restored.db");
    let out = dossier(&["import", "--db", s(&restored), "--in", s(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = dossier(&["verify", "--db", s(&restored)]);
    assert!(out.status.success());

    // The imported database is the exported one: its export is the same file, byte for byte
    // (same positions, event ids, recorded_at and hashes).
    let again_file = dir.path().join("again.ndjson");
    let again = export_lines(&restored, &again_file);
    assert_eq!(first.len(), again.len());
    for (a, b) in first.iter().zip(&again) {
        assert_eq!(a, b, "event differs at position {}", a["position"]);
    }
    assert!(
        std::fs::read(&file).unwrap() == std::fs::read(&again_file).unwrap(),
        "the export of the imported database differs from the original export"
    );
}

#[test]
fn import_refuses_a_tampered_file_naming_the_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let file = dir.path().join("log.ndjson");
    export_lines(&db, &file);
    let content = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<String> = content.lines().map(String::from).collect();
    let mut event: Value = serde_json::from_str(&lines[9]).unwrap();
    event["effective_at"] = json!("1999-01-01");
    lines[9] = serde_json::to_string(&event).unwrap();
    let tampered = dir.path().join("tampered.ndjson");
    std::fs::write(&tampered, lines.join("\n") + "\n").unwrap();

    let target = dir.path().join("target.db");
    let out = dossier(&["import", "--db", s(&target), "--in", s(&tampered)]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("IMPORT_HASH_MISMATCH"), "{err}");
    assert!(err.contains("第 10 行"), "{err}");
    assert!(
        !target.exists(),
        "a refused import must not create the database"
    );
}

#[test]
fn export_ends_with_the_anchor_and_import_refuses_a_file_cut_short_or_another_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let file = dir.path().join("log.ndjson");
    let lines = export_lines(&db, &file);
    let verified = text(&dossier(&["verify", "--db", s(&db)]).stdout);
    let anchor = verified
        .lines()
        .find_map(|l| l.strip_prefix("anchor: "))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("verify prints the anchor")
        .to_owned();
    let last = lines.last().unwrap();
    assert_eq!(
        last["anchor"],
        json!(anchor),
        "the export ends with the log's anchor"
    );

    let content = std::fs::read_to_string(&file).unwrap();
    let all: Vec<&str> = content.lines().collect();
    let refused = |name: &str, body: String, extra: &[&str], code: &str| {
        let f = dir.path().join(name);
        std::fs::write(&f, body).unwrap();
        let target = dir.path().join(format!("{name}.db"));
        let mut args = vec!["import", "--db", s(&target), "--in", s(&f)];
        args.extend_from_slice(extra);
        let out = dossier(&args);
        assert!(!out.status.success(), "{name} was imported");
        assert!(
            text(&out.stderr).contains(code),
            "{name}: {}",
            text(&out.stderr)
        );
        assert!(!target.exists(), "{name}: a refused import creates nothing");
    };
    // Cut short: the last 100 events and the anchor gone (every remaining line is valid).
    refused(
        "truncated",
        all[..all.len() - 101].join("\n") + "\n",
        &[],
        "IMPORT_ANCHOR_MISSING",
    );
    // Cut short with the anchor line put back: the anchor no longer matches.
    let mut cut: Vec<&str> = all[..all.len() - 101].to_vec();
    cut.push(all[all.len() - 1]);
    refused("cut", cut.join("\n") + "\n", &[], "IMPORT_ANCHOR_MISMATCH");
    // An anchor written down earlier that the file does not reach, or with another hash.
    let (position, hash) = anchor.split_once(':').unwrap();
    let beyond = format!("{}:{hash}", position.parse::<u64>().unwrap() + 1);
    refused(
        "beyond",
        content.clone(),
        &["--anchor", &beyond],
        "ANCHOR_MISSING",
    );
    let other = format!("{position}:{}", "ab".repeat(32));
    refused(
        "other",
        content.clone(),
        &["--anchor", &other],
        "ANCHOR_MISMATCH",
    );
    // The right anchor: imported.
    let target = dir.path().join("ok.db");
    let out = dossier(&[
        "import",
        "--db",
        s(&target),
        "--in",
        s(&file),
        "--anchor",
        &anchor,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn export_writes_to_standard_output_and_never_overwrites_a_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let out = dossier(&["export", "--db", s(&db), "--out", "-"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.lines().count() > 3000);
    assert!(
        stdout
            .lines()
            .all(|l| serde_json::from_str::<Value>(l).is_ok()),
        "only NDJSON on stdout"
    );
    assert!(text(&out.stderr).contains("exported"));

    let file = dir.path().join("kept.ndjson");
    std::fs::write(&file, "precious").unwrap();
    let out = dossier(&["export", "--db", s(&db), "--out", s(&file)]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("EXPORT_FILE_EXISTS"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious");
    let out = dossier(&["export", "--db", s(&db), "--out", s(&file), "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout);
}

#[test]
fn import_refuses_a_database_that_already_has_events() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let file = dir.path().join("log.ndjson");
    export_lines(&db, &file);
    let out = dossier(&["import", "--db", s(&db), "--in", s(&file)]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("IMPORT_TARGET_NOT_EMPTY"));
}

#[test]
fn demo_refuses_a_database_that_already_has_events() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let out = dossier(&["demo", "--db", s(&db)]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("DEMO_TARGET_NOT_EMPTY"));
}

#[test]
fn token_is_created_listed_revoked_and_an_unknown_role_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let out = dossier(&[
        "token",
        "--db",
        s(&db),
        "create",
        "--role",
        "auditor",
        "--label",
        "审计局",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let token = text(&out.stdout).trim().to_owned();
    assert!(token.starts_with("dos_"), "{token}");

    let out = dossier(&["token", "--db", s(&db), "list"]);
    let listing = text(&out.stdout);
    assert!(
        listing.contains("auditor") && listing.contains("审计局"),
        "{listing}"
    );
    assert!(
        !listing.contains(&token),
        "the plaintext is never shown again"
    );
    let prefix = listing
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().next())
        .expect("a token row")
        .to_owned();

    let out = dossier(&["token", "--db", s(&db), "revoke", &prefix]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = dossier(&["token", "--db", s(&db), "revoke", &prefix]);
    assert!(
        !out.status.success(),
        "a revoked token cannot be revoked twice"
    );
    assert!(text(&out.stderr).contains("TOKEN_NOT_FOUND"));

    let out = dossier(&["token", "--db", s(&db), "create", "--role", "boss"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("UNKNOWN_ROLE"));
    let out = dossier(&["token", "--db", s(&db), "create", "--role", "cadre"]);
    assert!(!out.status.success(), "a cadre token needs a scope");
}

#[test]
fn replay_shows_a_cadre_as_it_stood_on_a_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let replay = |as_of: &str| -> Value {
        let out = dossier(&[
            "replay",
            "--db",
            s(&db),
            "--stream",
            "cadre-c0001",
            "--as-of",
            as_of,
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("json")
    };
    let now = replay("2026-11-20");
    let before = replay("2023-06-30");
    let count = |v: &Value| v["events"].as_array().map_or(0, Vec::len);
    assert!(count(&now) > count(&before), "later dates know more facts");
    assert!(
        before["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["effective_at"].as_str().unwrap() <= "2023-06-30")
    );
    assert_eq!(now["state"]["cadre_id"], "c0001");
    assert_eq!(now["stream"], "cadre-c0001");

    let out = dossier(&[
        "replay",
        "--db",
        s(&db),
        "--stream",
        "cadre-c0001",
        "--as-of",
        "30/06/2023",
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("INVALID_DATE"));
    let out = dossier(&[
        "replay",
        "--db",
        s(&db),
        "--stream",
        "cadre-nobody",
        "--as-of",
        "2025-01-01",
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("STREAM_NOT_FOUND"));
}

#[test]
fn demo_refuses_a_district_too_small_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("small.db");
    let out = dossier(&["demo", "--db", s(&db), "--cadres", "10"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("DEMO_TOO_FEW_CADRES"));
    assert!(!db.exists());
}

#[test]
fn serve_refuses_a_port_already_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let db = dir.path().join("busy.db");
    let out = dossier(&["serve", "--db", s(&db), "--listen", &addr]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("LISTEN_FAILED"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn rebuild_folds_the_whole_log_and_reports_its_rate() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let out = dossier(&["rebuild", "--db", s(&db)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(report.contains("events/s"), "{report}");
    assert!(report.contains("0 undecodable"), "{report}");
    let out = dossier(&[
        "export-dashboards",
        "--db",
        s(&db),
        "--format",
        "csv",
        "--as-of",
        "2026-11-20",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("care,typical_cases,,85"));
}

#[test]
fn demo_hot_posts_are_filled_by_the_incoming_cadres_after_their_heads_rotate() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut hot_posts = 0;
    for unit in ["u01", "u02", "u03", "u04", "u05", "u06", "u07", "u08"] {
        let out = dossier(&[
            "replay",
            "--db",
            s(&db),
            "--stream",
            &format!("unit-{unit}"),
            "--as-of",
            "2026-11-20",
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let replay: Value = serde_json::from_slice(&out.stdout).expect("json");
        let posts = replay["state"]["posts"].as_object().expect("posts");
        for (post_id, post) in posts
            .iter()
            .filter(|(_, p)| !p["hot_limit_years"].is_null())
        {
            hot_posts += 1;
            let incumbents = post["incumbents"].as_array().expect("incumbents");
            assert_eq!(
                incumbents.len(),
                1,
                "{post_id} is held by the incoming cadre: {incumbents:?}"
            );
            let since = incumbents[0]["since"].as_str().unwrap();
            assert!(
                since >= "2026-03-02",
                "{post_id} was filled by the 2026 exchange, not left to its old head: {since}"
            );
        }
    }
    assert_eq!(hot_posts, 56, "8 units × 7 hot posts");
}

/// A child process that is killed when the test ends, passed or failed (unless taken over).
struct Spawned(Option<Child>);

impl Spawned {
    fn child(&mut self) -> &mut Child {
        self.0.as_mut().expect("the child process")
    }

    /// Hand the child over to whoever will stop it.
    fn take(mut self) -> Child {
        self.0.take().expect("the child process")
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `dossier serve --demo` on a free port, its standard error going to `log`.
fn spawn_serve(db: &Path, log: &Path) -> Spawned {
    Spawned(Some(
        Command::new(BIN)
            .args(["serve", "--demo", "--db", s(db), "--listen", "127.0.0.1:0"])
            .args(["--durability", "normal"])
            .env("RUST_LOG", "warn")
            .env_remove("DOSSIER_DB")
            .env_remove("DOSSIER_LISTEN")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(log).expect("log file"))
            .spawn()
            .expect("spawn serve"),
    ))
}

/// Wait until the demo load is well under way: its partial file has a write-ahead log of some size.
fn wait_for_partial_load(db: &Path, child: &mut Spawned) {
    let wal = PathBuf::from(format!("{}.demo-loading-wal", s(db)));
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 1_000_000) {
            return;
        }
        assert!(
            child.child().try_wait().expect("wait").is_none(),
            "serve ended before the demo was half loaded"
        );
        assert!(Instant::now() < deadline, "the demo load never started");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_detects_a_demo_load_that_was_killed_and_loads_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("killed.db");
    let partial = PathBuf::from(format!("{}.demo-loading", s(&db)));
    let log = dir.path().join("serve.log");
    let mut child = spawn_serve(&db, &log);
    wait_for_partial_load(&db, &mut child);
    child.child().kill().expect("SIGKILL");
    child.child().wait().expect("reaped");
    assert!(!db.exists(), "the database never holds a half-loaded demo");
    assert!(partial.exists(), "the killed load left its partial file");

    // The next start says what it found, discards it and loads the whole demo.
    let mut spawned = spawn_serve(&db, &log);
    let stdout = spawned.child().stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let (mut addr, mut token) = (None, None);
    while addr.is_none() || token.is_none() {
        let line = lines.next().expect("serve output").expect("line");
        if let Some(rest) = line.strip_prefix("Dossier listening on http://") {
            addr = rest.split_whitespace().next().map(String::from);
        }
        if let Some(rest) = line.strip_prefix("admin token (org_admin): ") {
            token = Some(rest.trim().to_owned());
        }
    }
    std::thread::spawn(move || lines.for_each(drop));
    // The server takes the child over (and kills it on drop).
    let server = Server {
        child: spawned.take(),
        addr: addr.unwrap_or_default(),
        token: token.unwrap_or_default(),
    };
    let said = std::fs::read_to_string(&log).expect("log");
    assert!(said.contains("DEMO_LOAD_INTERRUPTED"), "{said}");
    assert!(said.contains("demo-loading"), "names the file: {said}");
    assert!(!partial.exists(), "the partial file is gone");
    let reply = server
        .gql(r#"{ dashboards(asOf: "2026-11-20") { figures { dashboard metric key value } } }"#)
        .await;
    let figures = reply["data"]["dashboards"]["figures"]
        .as_array()
        .expect("figures")
        .clone();
    assert_eq!(figure(&figures, "care", "typical_cases", ""), 85.0);
    assert_eq!(
        figure(&figures, "rotation", "hot_post_heads_rotated", "2026"),
        56.0
    );
    let status = server.stop();
    assert!(status.success(), "serve exited with {status}");
}

#[test]
fn sigterm_during_the_demo_load_stops_it_and_leaves_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stopped.db");
    let log = dir.path().join("serve.log");
    let mut child = spawn_serve(&db, &log);
    wait_for_partial_load(&db, &mut child);
    let pid = child.child().id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.child().try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(130), "interrupted, not successful");
    let said = std::fs::read_to_string(&log).expect("log");
    assert!(said.contains("DEMO_LOAD_INTERRUPTED"), "{said}");
    assert!(!db.exists(), "nothing was written to the database");
    for leftover in [".demo-loading", ".demo-loading-wal", ".demo-loading-shm"] {
        let path = PathBuf::from(format!("{}{leftover}", s(&db)));
        assert!(!path.exists(), "{} removed", path.display());
    }
}

#[test]
fn the_token_cli_refuses_a_missing_database_and_unregistered_scopes() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("mistyped.db");
    let out = dossier(&["token", "--db", s(&missing), "create", "--role", "auditor"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("DATABASE_NOT_FOUND"),
        "{}",
        text(&out.stderr)
    );
    assert!(!missing.exists(), "token create must not create a database");

    let db = demo_copy(dir.path());
    let create = |args: &[&str]| {
        let mut all = vec!["token", "--db", s(&db), "create"];
        all.extend_from_slice(args);
        dossier(&all)
    };
    for (role, scope) in [
        ("cadre", "c9999"),
        ("unit_head", "no-such-unit"),
        ("cadre", "u01"),
    ] {
        let out = create(&["--role", role, "--scope", scope]);
        assert!(
            !out.status.success(),
            "{role} scoped to {scope} was created"
        );
        assert!(text(&out.stderr).contains(scope), "{}", text(&out.stderr));
    }
    // A registered cadre, the role written as the API prints it.
    let out = create(&["--role", "CADRE", "--scope", "c0004"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // An expiry, shown in the list.
    let out = create(&[
        "--role",
        "Auditor",
        "--label",
        "expiring",
        "--expires",
        "90d",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let token = text(&out.stdout).trim().to_owned();
    let listing = text(&dossier(&["token", "--db", s(&db), "list"]).stdout);
    let row = listing
        .lines()
        .find(|l| l.contains("expiring"))
        .unwrap_or_else(|| panic!("{listing}"));
    let in_90_days = (chrono::Utc::now() + chrono::Duration::days(90))
        .format("%Y-%m-%d")
        .to_string();
    assert!(row.contains(&in_90_days), "{row}");
    let out = create(&["--role", "auditor", "--expires", "soon"]);
    assert!(
        text(&out.stderr).contains("EXPIRES_MALFORMED"),
        "{}",
        text(&out.stderr)
    );
    // Revoked by the token itself.
    let out = dossier(&["token", "--db", s(&db), "revoke", &token]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listing = text(&dossier(&["token", "--db", s(&db), "list"]).stdout);
    let row = listing.lines().find(|l| l.contains("expiring")).unwrap();
    assert!(!row.trim_end().ends_with('-'), "revoked: {row}");
}
