//! `dossier serve` stopped by SIGTERM the moment it says it listens: a clean exit, never the signal's default action.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_dossier");

#[test]
fn sigterm_right_after_the_listening_line_stops_serve_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A script or supervisor reads the banner and may stop the server at once; try a few times,
    // since the window it once had between the banner and its signal handler was short.
    for round in 0..5 {
        let db = dir.path().join(format!("empty-{round}.db"));
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--durability", "normal"])
            .arg("--db")
            .arg(&db)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let listening = lines
            .by_ref()
            .map_while(Result::ok)
            .any(|l| l.starts_with("Dossier listening on http://"));
        assert!(listening, "serve did not say it listens");
        let pid = child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("serve did not stop on SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(
            status.success(),
            "round {round}: serve ended with {status} instead of shutting down cleanly"
        );
    }
}
