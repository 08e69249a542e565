//! Every command README.md and docs/ give in a fenced shell block runs as written (output checked where a `console` block shows it); the README's command table matches the CLI; every benchmark has a quick mode that runs here.
//!
//! How an example is run:
//! - blocks marked `sh`, `bash`, `shell` or `console` (`$ ` lines, the lines below them the expected
//!   output, `…` or `[..]` standing for any text) are read from README.md and every `docs/**/*.md`;
//! - `dossier …` and `cargo run [--release] -- …` mean the binary under test. They run in a scratch
//!   folder per block where `./dossier.db` holds the demo district (as after the README's first
//!   command) and `docs/` is the workspace's (so the example files under it are found); `serve` starts in the background on a free port until the block ends (later lines of
//!   the block reach it at the `127.0.0.1:8080` they name);
//! - any other line (`cargo …`, `bash bench/…`) runs at the workspace root through bash, except
//!   that a benchmark's quick mode (`cargo test … --bench NAME`), which `cargo test --workspace`
//!   has just run, is only built (`--no-run`: the package, target and arguments are checked);
//! - `cargo test --workspace` is the command running this test, and a line whose comment says
//!   `not run in CI` (a 10-million-event benchmark, a path that exists only in production) is left
//!   out: its block must give a variant of the same program (benchmark, script or `dossier`
//!   command) that runs.

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use snapbox::IntoData;
use support::{BIN, Block, blocks, doc_files, wildcards, workspace};

/// The marker of an example that cannot run in CI.
const NOT_IN_CI: &str = "not run in CI";

/// One command of a shell block.
#[derive(Debug, Clone)]
struct Example {
    /// `docs/benchmarks.md:12`
    at: String,
    /// The command as written (continuation lines joined).
    line: String,
    /// What a `console` block shows it printing.
    expected: Option<String>,
}

impl Example {
    /// The words of the command, after any `NAME=value` environment assignments.
    fn words(&self) -> Vec<&str> {
        let code = self.line.split(" #").next().unwrap_or("");
        code.split_whitespace()
            .skip_while(|w| w.contains('=') && !w.starts_with('-'))
            .collect()
    }

    /// Why it does not run here, if it does not.
    fn skipped(&self) -> Option<&'static str> {
        let words = self.words();
        if self.line.contains(NOT_IN_CI) {
            Some("marked: not run in CI")
        } else if words.starts_with(&["cargo", "test", "--workspace"]) && words.len() == 3
            || words == ["bash", "scripts/test.sh"]
        {
            Some("the command running this test")
        } else {
            None
        }
    }

    /// A benchmark's quick mode through `cargo test … --bench NAME`: the command running this
    /// test (`cargo test --workspace`) has run it already (every bench says `test = true`), so
    /// here it is only built with `--no-run`, which still checks the package, the target and the
    /// arguments as written.
    fn checked_line(&self) -> Option<String> {
        let words = self.words();
        if !(words.starts_with(&["cargo", "test"]) && words.contains(&"--bench")) {
            return None;
        }
        let code = self.line.split(" #").next().unwrap_or("").trim_end();
        Some(match code.split_once(" -- ") {
            Some((before, after)) => format!("{before} --no-run -- {after}"),
            None => format!("{code} --no-run"),
        })
    }

    /// As the binary under test runs it: `cargo run --release -- serve` → `dossier serve`.
    fn dossier_args(&self) -> Option<Vec<String>> {
        let words = self.words();
        let args: &[&str] = match words.as_slice() {
            ["dossier", rest @ ..] => rest,
            ["cargo", "run", rest @ ..] => {
                let dashes = rest.iter().position(|w| *w == "--")?;
                &rest[dashes + 1..]
            }
            _ => return None,
        };
        Some(args.iter().map(|w| w.to_string()).collect())
    }

    /// The program it runs, which a quick variant shares: a benchmark script (`bench/api-load.sh`),
    /// a benchmark program (`--bench projections`) or a command of the binary (`dossier backup`).
    fn program(&self) -> Option<String> {
        let words = self.words();
        if let Some(script) = words
            .iter()
            .find(|w| w.starts_with("bench/") && w.ends_with(".sh"))
        {
            return Some(script.to_string());
        }
        if let Some(bench) = words.iter().position(|w| *w == "--bench") {
            return words.get(bench + 1).map(|b| format!("--bench {b}"));
        }
        let args = self.dossier_args()?;
        args.first().map(|command| format!("dossier {command}"))
    }
}

/// The commands of a shell block, in order.
fn examples(block: &Block) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut pending = String::new();
    for (i, raw) in block.text.lines().enumerate() {
        let at = format!("{}:{}", block.file, block.line + 1 + i);
        if block.lang == "console" {
            if let Some(command) = raw.strip_prefix("$ ") {
                out.push(Example {
                    at,
                    line: command.trim().to_owned(),
                    expected: Some(String::new()),
                });
            } else if let Some(expected) = out.last_mut().and_then(|e| e.expected.as_mut()) {
                expected.push_str(raw);
                expected.push('\n');
            }
            continue;
        }
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head);
            continue;
        }
        pending.push_str(line);
        out.push(Example {
            at,
            line: std::mem::take(&mut pending),
            expected: None,
        });
    }
    out
}

fn is_shell(block: &Block) -> bool {
    matches!(block.lang.as_str(), "sh" | "bash" | "shell" | "console")
}

/// Every shell example of the documentation, block by block.
fn documented() -> Vec<(Block, Vec<Example>)> {
    doc_files()
        .iter()
        .flat_map(|f| blocks(f))
        .filter(is_shell)
        .map(|b| {
            let e = examples(&b);
            (b, e)
        })
        .collect()
}

/// A database holding the demo district, built once per test run.
fn demo_db() -> &'static Path {
    static DEMO: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("dossier.db");
        let out = std::process::Command::new(BIN)
            .args(["demo", "--db"])
            .arg(&db)
            .output()
            .expect("run dossier demo");
        assert!(out.status.success(), "dossier demo failed: {out:?}");
        (dir, db)
    });
    path
}

/// A folder whose `dossier` is the binary under test, put first on `PATH`.
fn bin_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        std::os::unix::fs::symlink(BIN, dir.path().join("dossier")).expect("link dossier");
        dir
    })
    .path()
}

fn path_env() -> String {
    format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// A server a block started, stopped (SIGTERM) when the block ends.
struct Server {
    child: Child,
    addr: String,
    at: String,
}

impl Server {
    fn start(example: &Example, args: &[String], dir: &Path) -> Result<Server, String> {
        // A free port: the operating system picks it and the server prints it.
        let mut args = args.to_vec();
        if let Some(i) = args.iter().position(|a| a == "--listen") {
            args.drain(i..(i + 2).min(args.len()));
        }
        args.extend(["--listen".into(), "127.0.0.1:0".into()]);
        let mut child = std::process::Command::new(BIN)
            .args(&args)
            .current_dir(dir)
            .env_remove("DOSSIER_DB")
            .env_remove("DOSSIER_LISTEN")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: cannot start {}: {e}", example.at, example.line))?;
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let deadline = Instant::now() + Duration::from_secs(300);
        let addr = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(rest) = line.strip_prefix("Dossier listening on http://") {
                        break rest
                            .split_whitespace()
                            .next()
                            .unwrap_or_default()
                            .to_owned();
                    }
                }
                _ => {
                    let _ = child.kill();
                    return Err(format!(
                        "{}: `{}` ended without listening",
                        example.at, example.line
                    ));
                }
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err(format!("{}: `{}` did not start", example.at, example.line));
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Server {
            child,
            addr,
            at: example.at.clone(),
        })
    }

    /// SIGTERM, then a clean exit, as the README promises.
    fn stop(mut self) -> Result<(), String> {
        let pid = self.child.id().to_string();
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) if status.success() => return Ok(()),
                Ok(Some(status)) => {
                    return Err(format!("{}: serve exited with {status}", self.at));
                }
                _ if Instant::now() > deadline => {
                    return Err(format!("{}: serve did not stop on SIGTERM", self.at));
                }
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Runs one command through bash in `dir`; checks its exit status and, if shown, its output.
fn run(example: &Example, line: &str, dir: &Path, timeout: Duration) -> Result<(), String> {
    let output = snapbox::cmd::Command::new("bash")
        .args(["-c", line])
        .current_dir(dir)
        .env("PATH", path_env())
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_LISTEN")
        .timeout(timeout)
        .output()
        .map_err(|e| format!("{}: cannot run `{line}`: {e}", example.at))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "{}: `{}` failed ({})\n--- stdout\n{stdout}\n--- stderr\n{}",
            example.at,
            example.line,
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    if let Some(expected) = &example.expected {
        snapbox::Assert::new()
            .try_eq(
                None,
                stdout.into_owned().into_data(),
                wildcards(expected).into_data(),
            )
            .map_err(|e| format!("{}: `{}` printed otherwise:\n{e}", example.at, example.line))?;
    }
    Ok(())
}

/// Runs a block's examples in order; returns the failures and what it left out.
fn run_block(examples: &[Example]) -> (Vec<String>, Vec<String>) {
    let (mut failures, mut skipped) = (Vec::new(), Vec::new());
    let scratch = tempfile::tempdir().expect("scratch folder");
    let mut servers: Vec<Server> = Vec::new();
    let mut prepared = false;
    for example in examples {
        if let Some(why) = example.skipped() {
            skipped.push(format!("{}: `{}` ({why})", example.at, example.line));
            continue;
        }
        // Later lines reach a server the block started at the address they name.
        let mut line = example.line.clone();
        if let Some(server) = servers.last() {
            for documented in ["127.0.0.1:8080", "localhost:8080"] {
                line = line.replace(documented, &server.addr);
            }
        }
        let result = match example.dossier_args() {
            Some(args) => {
                if !prepared {
                    std::fs::copy(demo_db(), scratch.path().join("dossier.db"))
                        .expect("copy the demo database");
                    // Paths under docs/ (the example files) read as from the workspace root.
                    std::os::unix::fs::symlink(
                        workspace().join("docs"),
                        scratch.path().join("docs"),
                    )
                    .expect("link docs/");
                    prepared = true;
                }
                if args.first().is_some_and(|a| a == "serve") {
                    Server::start(example, &args, scratch.path()).map(|s| servers.push(s))
                } else {
                    // `cargo run [--release] -- ARGS` is the binary under test with ARGS.
                    let line = match line.split_once(" -- ") {
                        Some((_, rest)) if example.words().starts_with(&["cargo", "run"]) => {
                            format!("dossier {rest}")
                        }
                        _ => line,
                    };
                    run(example, &line, scratch.path(), Duration::from_secs(180))
                }
            }
            None => {
                let line = example.checked_line().unwrap_or(line);
                run(example, &line, &workspace(), Duration::from_secs(1800))
            }
        };
        if let Err(e) = result {
            failures.push(e);
        }
    }
    for server in servers {
        if let Err(e) = server.stop() {
            failures.push(e);
        }
    }
    (failures, skipped)
}

#[test]
fn every_documented_command_runs_as_written() {
    let documented = documented();
    assert!(
        documented.iter().any(|(b, _)| b.file == "README.md"),
        "no shell block found in README.md"
    );
    let (mut failures, mut skipped, mut ran) = (Vec::new(), Vec::new(), 0);
    for (_, examples) in &documented {
        let (f, s) = run_block(examples);
        ran += examples.len() - s.len();
        failures.extend(f);
        skipped.extend(s);
    }
    println!("{ran} documented commands ran; left out:");
    for s in &skipped {
        println!("  {s}");
    }
    assert!(
        failures.is_empty(),
        "{} documented commands do not work as written:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_example_left_out_of_ci_has_a_quick_variant_that_runs() {
    for (block, examples) in documented() {
        for example in examples.iter().filter(|e| e.line.contains(NOT_IN_CI)) {
            let program = example.program().unwrap_or_else(|| {
                panic!(
                    "{}: `{}` is left out of CI but runs no benchmark or dossier command that a variant could run",
                    example.at, example.line
                )
            });
            assert!(
                examples
                    .iter()
                    .any(|e| e.skipped().is_none() && e.program().as_ref() == Some(&program)),
                "{}: `{}` is not run in CI, and block {} gives no quick variant of {program} that is",
                example.at,
                example.line,
                block.at()
            );
        }
    }
}

#[test]
fn every_benchmark_has_a_quick_mode_that_ci_runs() {
    let root = workspace();
    // Benchmark programs: `cargo test --workspace` runs each (quick mode), so they must say `test = true`.
    for krate in std::fs::read_dir(root.join("crates"))
        .expect("crates/")
        .flatten()
    {
        let Ok(benches) = std::fs::read_dir(krate.path().join("benches")) else {
            continue;
        };
        let manifest = std::fs::read_to_string(krate.path().join("Cargo.toml")).expect("manifest");
        // A benchmark program is a `.rs` file of `benches/`; folders hold the modules they share.
        for bench in benches
            .flatten()
            .filter(|b| b.path().is_file() && b.path().extension().is_some_and(|e| e == "rs"))
        {
            let name = bench
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let section = manifest
                .split("[[bench]]")
                .skip(1)
                .map(|s| s.split("\n[").next().unwrap_or(s))
                .find(|s| s.contains(&format!("name = \"{name}\"")))
                .unwrap_or_else(|| panic!("{}: no [[bench]] {name}", krate.path().display()));
            assert!(
                section.contains("test = true"),
                "{}: [[bench]] {name} needs `test = true` so that `cargo test --workspace` runs its quick mode",
                krate.path().display()
            );
        }
    }
    // Benchmark scripts: a documented command that runs in CI runs each one.
    let run_here: Vec<Example> = documented()
        .into_iter()
        .flat_map(|(_, e)| e)
        .filter(|e| e.skipped().is_none())
        .collect();
    for script in std::fs::read_dir(root.join("bench"))
        .expect("bench/")
        .flatten()
    {
        let name = script.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".sh") {
            continue;
        }
        let path = format!("bench/{name}");
        assert!(
            run_here.iter().any(|e| e.program().as_ref() == Some(&path)),
            "{path}: no documented command runs it in CI (document its quick mode in docs/benchmarks.md)"
        );
    }
}

/// The commands and flags of the README's command table (`dossier serve [--db F] …`).
fn command_table() -> Vec<(Vec<String>, Vec<String>)> {
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("README.md");
    let mut out = Vec::new();
    for row in readme.lines().filter(|l| l.starts_with("| `")) {
        let first = row[2..].split(" | ").next().unwrap_or("");
        for (i, span) in first.split('`').enumerate() {
            if i % 2 == 0 || span.trim().is_empty() {
                continue;
            }
            let words: Vec<&str> = span.split_whitespace().collect();
            let words = match words.first() {
                Some(&"dossier") => &words[1..],
                _ => &words[..],
            };
            let command = words
                .iter()
                .take_while(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
                .take_while(|w| !w.starts_with('-'))
                .map(|w| w.to_string())
                .collect();
            let flags = words
                .iter()
                .map(|w| w.trim_matches(|c| c == '[' || c == ']'))
                .filter(|w| w.starts_with("--"))
                .map(|w| w.split('=').next().unwrap_or(w).to_owned())
                .collect();
            out.push((command, flags));
        }
    }
    out
}

fn help(args: &[&str]) -> String {
    let out = std::process::Command::new(BIN)
        .args(args)
        .arg("--help")
        .output()
        .expect("run dossier --help");
    assert!(
        out.status.success(),
        "`dossier {} --help` failed: {out:?}",
        args.join(" ")
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_readme_command_table_matches_the_command_line() {
    let table = command_table();
    assert!(table.len() >= 8, "the README's command table: {table:?}");
    for (command, flags) in &table {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let help = help(&args);
        for flag in flags {
            let listed = help.match_indices(flag.as_str()).any(|(i, _)| {
                !help[i + flag.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
            });
            assert!(
                listed,
                "README: `dossier {}` takes {flag}, but its --help does not list it:\n{help}",
                command.join(" ")
            );
        }
    }
    // And every command the binary has is in the table.
    let top = help(&[]);
    let commands = top
        .split("Commands:")
        .nth(1)
        .and_then(|s| s.split("\n\n").next())
        .expect("dossier --help lists its commands");
    for name in commands.lines().filter_map(|l| l.split_whitespace().next()) {
        if name == "help" {
            continue;
        }
        assert!(
            table
                .iter()
                .any(|(c, _)| c.first().map(String::as_str) == Some(name)),
            "`dossier {name}` is missing from the README's command table"
        );
    }
}

#[test]
fn shell_blocks_are_read_as_commands_with_their_output() {
    let block = Block {
        file: "x.md".into(),
        line: 10,
        lang: "console".into(),
        text: "$ dossier verify\nhash chain intact …\n$ dossier token list\n".into(),
    };
    let got = examples(&block);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].at, "x.md:11");
    assert_eq!(got[0].expected.as_deref(), Some("hash chain intact …\n"));
    let block = Block {
        lang: "sh".into(),
        text: "# comment\nQUICK=1 bash bench/api-load.sh\ncargo bench -p p --bench b -- \\\n  --events 10  # not run in CI: minutes\ncargo run --release -- serve --demo\ncargo test --workspace\n".into(),
        ..block
    };
    let got = examples(&block);
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].program().as_deref(), Some("bench/api-load.sh"));
    assert_eq!(got[0].skipped(), None);
    assert_eq!(got[1].program().as_deref(), Some("--bench b"));
    assert!(got[1].skipped().is_some());
    assert_eq!(
        got[2].dossier_args(),
        Some(vec!["serve".to_owned(), "--demo".to_owned()])
    );
    assert_eq!(got[2].program().as_deref(), Some("dossier serve"));
    assert!(got[3].skipped().is_some());
    // A benchmark's quick mode is built, not run again; anything else runs as written.
    let block = Block {
        text: "cargo test -p p --bench b   # quick mode\ncargo test --workspace --bench b -- --quick\ncargo bench -p p --bench b\n".into(),
        ..block
    };
    let got = examples(&block);
    assert_eq!(
        got[0].checked_line().as_deref(),
        Some("cargo test -p p --bench b --no-run")
    );
    assert_eq!(
        got[1].checked_line().as_deref(),
        Some("cargo test --workspace --bench b --no-run -- --quick")
    );
    assert_eq!(got[2].checked_line(), None);
    // The README's test command runs this test (and the browser tests): never from here.
    let block = Block {
        text: "bash scripts/test.sh\nbash scripts/web-check.sh\n".into(),
        ..block
    };
    let got = examples(&block);
    assert_eq!(got[0].skipped(), Some("the command running this test"));
    assert_eq!(got[1].skipped(), None);
}
