//! The log on the command line: verify and its anchor, export and import byte for byte, and what each refuses.

use super::*;

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
