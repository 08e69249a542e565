//! Operating the binary: one writing process per database file, online backups that verify, and restores that refuse a copy that does not.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

mod support;

use support::{BIN, dossier, s, text};

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `dossier serve` on a free port; its address once it listens.
fn serve(db: &Path) -> (Server, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--db", s(db), "--listen", "127.0.0.1:0"])
        .args(["--durability", "normal"])
        .env("RUST_LOG", "warn")
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_LISTEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("banner");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    (Server(child), addr)
}

fn anchor_of(stdout: &str) -> String {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("anchor: "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no anchor printed: {stdout}"))
        .to_owned()
}

fn refused_in_use(out: &Output, what: &str) {
    assert!(!out.status.success(), "{what} was not refused");
    assert!(
        text(&out.stderr).contains("DATABASE_IN_USE"),
        "{what}: {}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_writer_per_file_and_a_backup_taken_while_serving_restores_only_if_it_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    let (server, addr) = serve(&db);

    // Some events through the running server.
    let out = dossier(&["token", "--db", s(&db), "create", "--role", "org_admin"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let token = text(&out.stdout).trim().to_owned();
    let client = reqwest::Client::new();
    for id in ["u1", "u2", "u3"] {
        let body = serde_json::json!({
            "query": "mutation($id: ID!) { registerUnit(input: {unitId: $id, name: \"区测试局\", businessFacing: false}, meta: {effective: \"2020-01-01\"}) { position } }",
            "variables": {"id": id}
        });
        let reply: serde_json::Value = client
            .post(format!("http://{addr}/graphql"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(reply.get("errors").is_none(), "{reply}");
    }

    // A second writer on the same file is refused, whichever command it is.
    refused_in_use(
        &dossier(&["serve", "--db", s(&db), "--listen", "127.0.0.1:0"]),
        "a second serve",
    );
    refused_in_use(&dossier(&["demo", "--db", s(&db)]), "demo");
    refused_in_use(
        &dossier(&[
            "import",
            "--db",
            s(&db),
            "--in",
            s(&dir.path().join("x.ndjson")),
        ]),
        "import",
    );

    // An online backup: verified, with its anchor.
    let backup = dir.path().join("backup.db");
    let out = dossier(&["backup", "--db", s(&db), "--out", s(&backup)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("hash chain verified"), "{stdout}");
    let anchor = anchor_of(&stdout);
    assert!(anchor.starts_with("3:"), "{anchor}");
    let again = dossier(&["backup", "--db", s(&db), "--out", s(&backup)]);
    assert!(text(&again.stderr).contains("BACKUP_TARGET_EXISTS"));
    // Restoring over the file the server writes is refused too.
    refused_in_use(
        &dossier(&["restore", "--db", s(&db), "--from", s(&backup), "--force"]),
        "restore over a live database",
    );
    drop(server);

    // A copy with one byte of an event changed does not verify: refused, nothing written.
    let bytes = std::fs::read(&backup).unwrap();
    let name = "区测试局".as_bytes();
    let at = bytes
        .windows(name.len())
        .position(|w| w == name)
        .expect("the unit name in the copy");
    let mut tampered = bytes.clone();
    tampered[at..at + name.len()].copy_from_slice("区测验局".as_bytes());
    let bad = dir.path().join("tampered.db");
    std::fs::write(&bad, tampered).unwrap();
    let target = dir.path().join("restored.db");
    let out = dossier(&["restore", "--db", s(&target), "--from", s(&bad)]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("BACKUP_CHAIN_BROKEN"),
        "{}",
        text(&out.stderr)
    );
    assert!(!target.exists());
    // A written-down anchor that the copy does not match is refused as well.
    let (position, _) = anchor.split_once(':').unwrap();
    let wrong = format!("{position}:{}", "0".repeat(64));
    let out = dossier(&[
        "restore",
        "--db",
        s(&target),
        "--from",
        s(&backup),
        "--anchor",
        &wrong,
    ]);
    assert!(
        text(&out.stderr).contains("BACKUP_ANCHOR_MISMATCH"),
        "{}",
        text(&out.stderr)
    );
    assert!(!target.exists());

    // The good copy restores, checked against its anchor, and verifies in place.
    let out = dossier(&[
        "restore",
        "--db",
        s(&target),
        "--from",
        s(&backup),
        "--anchor",
        &anchor,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = dossier(&["verify", "--db", s(&target), "--anchor", &anchor]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    // An existing database is replaced only with --force.
    let out = dossier(&["restore", "--db", s(&target), "--from", s(&backup)]);
    assert!(text(&out.stderr).contains("RESTORE_TARGET_EXISTS"));
}
