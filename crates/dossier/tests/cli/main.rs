//! The `dossier` binary run as a child process on temporary databases: the demo's published figures through GraphQL, verify, export/import, tokens, replay, refusals.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "../support/mod.rs"]
mod support;

mod figures;
mod log;

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
        let child = Command::new(BIN)
            .args(["serve", "--demo", "--db", s(db), "--listen", "127.0.0.1:0"])
            .args(["--durability", "normal"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn serve");
        Server::attach(child)
    }

    /// Take over a running `dossier serve` whose standard output is piped: read the address
    /// and admin token it prints (within two minutes), then keep draining its output.
    fn attach(child: Child) -> Server {
        // Held from the start, so that a server that never says where it listens is killed.
        let mut server = Server {
            child,
            addr: String::new(),
            token: String::new(),
        };
        let stdout = server.child.stdout.take().expect("stdout");
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
        server.addr = addr.unwrap_or_default();
        server.token = token.unwrap_or_default();
        server
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

/// The value of one figure, which must be there.
fn figure(figures: &[Value], dashboard: &str, metric: &str, key: &str) -> f64 {
    figures
        .iter()
        .find(|f| f["dashboard"] == dashboard && f["metric"] == metric && f["key"] == key)
        .and_then(|f| f["value"].as_f64())
        .unwrap_or_else(|| panic!("no figure {dashboard}/{metric}/{key}"))
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

/// Today in China Standard Time, the API's default date.
fn today_in_china() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string()
}

#[test]
fn export_dashboards_reads_today_in_china_standard_time_whatever_the_machines_zone() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    // A zone whose date differs from China's right now: UTC+14 from 18:00 in China, UTC-12
    // before it.
    let china_hour = (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%H")
        .to_string();
    let zone = if china_hour.as_str() >= "18" {
        "Pacific/Kiritimati"
    } else {
        "Etc/GMT+12"
    };
    let before = today_in_china();
    let out = Command::new(BIN)
        .args(["export-dashboards", "--db", s(&db), "--format", "csv"])
        .env_remove("DOSSIER_DB")
        .env("TZ", zone)
        .output()
        .expect("run dossier");
    let after = today_in_china();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(
        said.contains(&format!("figures as of {before}"))
            || said.contains(&format!("figures as of {after}")),
        "TZ={zone}: expected today in China ({before}): {said}"
    );
}

#[test]
fn export_dashboards_refuses_what_graphql_refuses_and_reports_the_position_it_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let export = |extra: &[&str]| {
        let mut args = vec!["export-dashboards", "--db", s(&db), "--format", "csv"];
        args.extend_from_slice(extra);
        dossier(&args)
    };
    // Dates outside 1900–2100 are refused, as the `Date` scalar refuses them.
    for date in ["0001-01-01", "1899-12-31", "2101-01-01"] {
        let out = export(&["--as-of", date]);
        assert!(!out.status.success(), "{date} accepted");
        let err = text(&out.stderr);
        assert!(err.contains("INPUT_OUT_OF_RANGE"), "{date}: {err}");
        assert!(err.contains("1900-01-01 至 2100-12-31"), "{date}: {err}");
        assert!(out.stdout.is_empty(), "{date}: nothing is written");
    }
    // The import and replay date options share the check.
    let out = dossier(&[
        "replay",
        "--db",
        s(&db),
        "--stream",
        "unit-u01",
        "--as-of",
        "0001-01-01",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("INPUT_OUT_OF_RANGE"),
        "{}",
        text(&out.stderr)
    );
    // A position beyond the log's head reads the log as known now and says where that is.
    let verified = text(&dossier(&["verify", "--db", s(&db)]).stdout);
    let head = verified
        .lines()
        .find_map(|l| l.strip_prefix("anchor: "))
        .and_then(|a| a.split(':').next())
        .unwrap_or_else(|| panic!("no anchor in {verified}"))
        .to_owned();
    let beyond = export(&["--as-of", "2026-11-20", "--known-at", "999999999"]);
    assert!(beyond.status.success(), "{}", text(&beyond.stderr));
    let said = text(&beyond.stderr);
    assert!(
        said.contains(&format!("as known at position {head} ")),
        "the head {head}, not 999999999: {said}"
    );
    assert!(!said.contains("position 999999999"), "{said}");
    let at_head = export(&["--as-of", "2026-11-20", "--known-at", &head]);
    assert!(at_head.status.success(), "{}", text(&at_head.stderr));
    assert_eq!(text(&at_head.stdout), text(&beyond.stdout));
    assert!(
        text(&at_head.stderr).contains(&format!("as known at position {head}")),
        "{}",
        text(&at_head.stderr)
    );
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
    // The server takes the child over (and kills it on drop).
    let server = Server::attach(spawn_serve(&db, &log).take());
    let said = std::fs::read_to_string(&log).expect("log");
    assert!(said.contains("DEMO_LOAD_INTERRUPTED"), "{said}");
    assert!(said.contains("demo-loading"), "names the file: {said}");
    assert!(!partial.exists(), "the partial file is gone");
    let figures = figures_on(&server, "2026-11-20", None).await;
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
