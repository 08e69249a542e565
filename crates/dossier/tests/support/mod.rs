//! What the binary's tests share: the binary under test and how to run and stop it (and `serve` with its token), the workspace's markdown files and their fenced code blocks.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The binary under test: `dossier` in examples, and what `cargo run [--release] --` builds.
pub const BIN: &str = env!("CARGO_BIN_EXE_dossier");

/// Run `dossier ARGS` to completion, untouched by the caller's `DOSSIER_DB` / `DOSSIER_LISTEN`.
pub fn dossier(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_LISTEN")
        .output()
        .expect("run dossier")
}

/// A process's output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A path as the `&str` an argument list takes.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// SIGTERM `child` and wait for it to exit, failing the test after `within`.
pub fn terminate(child: &mut Child, within: Duration) -> ExitStatus {
    let pid = child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The workspace root (the folder of README.md).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/dossier sits two levels below the workspace")
        .to_path_buf()
}

/// Every user-facing markdown file: README.md and everything under docs/, in a stable order.
pub fn doc_files() -> Vec<PathBuf> {
    let root = workspace();
    let mut files = vec![root.join("README.md")];
    let mut dirs = vec![root.join("docs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read docs/").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files[1..].sort();
    files
}

/// A fenced code block of a markdown file.
#[derive(Debug, Clone)]
pub struct Block {
    /// The file, relative to the workspace root.
    pub file: String,
    /// The line of the opening fence (1-based).
    pub line: usize,
    /// The info string's first word (`sh`, `graphql`, `text`, …), empty when there is none.
    pub lang: String,
    /// The block's lines, with the fence's indentation removed.
    pub text: String,
}

impl Block {
    /// Where the block is, for messages: `README.md:42`.
    pub fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// The fenced code blocks of a markdown file, in order (fences may be indented, as in list items).
pub fn blocks(path: &Path) -> Vec<Block> {
    let source = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let file = path
        .strip_prefix(workspace())
        .unwrap_or(path)
        .display()
        .to_string();
    let mut out = Vec::new();
    let mut open: Option<(usize, usize, String, Vec<&str>)> = None; // line, indent, lang, lines
    for (i, line) in source.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match open.as_mut() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    let lang = info.split_whitespace().next().unwrap_or("").to_owned();
                    open = Some((i + 1, indent, lang, Vec::new()));
                }
            }
            Some((start, fence_indent, lang, lines)) => {
                if trimmed.starts_with("```") {
                    out.push(Block {
                        file: file.clone(),
                        line: *start,
                        lang: std::mem::take(lang),
                        text: lines.join("\n"),
                    });
                    open = None;
                } else {
                    let cut = (*fence_indent).min(indent);
                    lines.push(&line[cut..]);
                }
            }
        }
    }
    out
}

/// The text of a markdown file between a line starting with `start` and the next code fence.
pub fn prose_after(path: &Path, start: &str) -> String {
    let source = std::fs::read_to_string(path).expect("read markdown");
    let mut lines = source
        .lines()
        .skip_while(|l| !l.trim_start().starts_with(start));
    let mut text = String::new();
    for line in lines.by_ref() {
        if line.trim_start().starts_with("```") {
            break;
        }
        text.push_str(line.trim());
        text.push(' ');
    }
    text
}

/// The README's elisions as snapbox wildcards: `dos_3f9c…` (an example's first digits, then `…`)
/// stands for any token, `dos_[..]`.
pub fn wildcards(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('…').enumerate() {
        if i > 0 {
            let kept = out.trim_end_matches(|c: char| c.is_ascii_hexdigit()).len();
            out.truncate(kept);
            out.push_str("[..]");
        }
        out.push_str(part);
    }
    out
}

/// `dossier serve ARGS` in its own folder (so `./dossier.db` is fresh), on a free port, with the admin
/// token it prints.
pub struct Server {
    child: Child,
    pub addr: String,
    pub token: String,
    /// What it printed up to the admin token, the listening port written as the README's 8080.
    pub printed: String,
}

impl Server {
    pub fn start(args: &[String], dir: &Path) -> Server {
        let mut child = Command::new(BIN)
            .args(args)
            // A free port: the operating system picks it, the server prints it.
            .args(["--listen", "127.0.0.1:0"])
            .current_dir(dir)
            .env_remove("DOSSIER_DB")
            .env_remove("DOSSIER_LISTEN")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn dossier serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let (mut addr, mut token, mut printed) = (None, None, Vec::new());
        let deadline = Instant::now() + Duration::from_secs(300);
        while token.is_none() {
            assert!(Instant::now() < deadline, "serve did not start");
            let line = match lines.next() {
                Some(Ok(line)) => line,
                _ => panic!("serve ended before printing its token: {printed:?}"),
            };
            if let Some(rest) = line.strip_prefix("Dossier listening on http://") {
                addr = rest.split_whitespace().next().map(String::from);
            }
            if let Some(rest) = line.strip_prefix("admin token (org_admin): ") {
                token = Some(rest.trim().to_owned());
            }
            printed.push(line);
        }
        std::thread::spawn(move || lines.for_each(drop));
        let addr = addr.expect("serve printed its address");
        let printed = printed.join("\n").replace(&addr, "127.0.0.1:8080");
        Server {
            child,
            addr,
            token: token.unwrap_or_default(),
            printed,
        }
    }

    /// `data` of a query's reply, which must answer without errors (`at` names the query).
    pub async fn gql(&self, query: &str, at: &str) -> Value {
        let reply: Value = reqwest::Client::new()
            .post(format!("http://{}/graphql", self.addr))
            .bearer_auth(&self.token)
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{at}: request failed: {e:?}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{at}: reply is not JSON: {e:?}"));
        assert!(
            reply.get("errors").is_none(),
            "{at}: the query answers with errors: {reply}"
        );
        reply["data"].clone()
    }

    /// SIGTERM (as the tour says), then a clean exit.
    pub fn stop(mut self) -> std::process::ExitStatus {
        terminate(&mut self.child, Duration::from_secs(60))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
