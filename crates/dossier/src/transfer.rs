//! Export of the event log as NDJSON and import of such a file into an empty database, checking its hash chain line by line.
//!
//! One line per event, in position order:
//!
//! ```text
//! {"position":1,"stream_id":"unit-u01","stream_version":1,"event_id":"…","event_type":"unit.Registered",
//!  "schema_version":1,"payload":{…},"metadata":{…},"recorded_at":"2026-…Z","effective_at":"2018-01-02",
//!  "hash":"<64 hex digits>"}
//! ```
//!
//! `payload` and `metadata` are the stored JSON texts, byte for byte, so an auditor can
//! recompute every hash from the file alone with the encoding documented in
//! `dossier_store::hash`. Import recomputes the chain over the whole file first and refuses
//! it, naming the line, before anything is written; the events are then appended in order
//! (each original command's events together), and the new log gets its own hash chain.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::ops::ControlFlow;
use std::path::Path;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use dossier_store::{ExpectedVersion, Metadata, NewEvent, Store, StreamWrite, hash::GENESIS};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::progress;

/// One exported event as written.
#[derive(Serialize)]
struct OutLine<'a> {
    position: u64,
    stream_id: &'a str,
    stream_version: u64,
    event_id: String,
    event_type: &'a str,
    schema_version: u32,
    payload: &'a RawValue,
    metadata: &'a RawValue,
    recorded_at: &'a str,
    effective_at: &'a str,
    hash: String,
}

/// One exported event as read back (JSON texts borrowed exactly as they appear in the line).
#[derive(Deserialize)]
struct InLine<'a> {
    position: u64,
    #[serde(borrow)]
    stream_id: std::borrow::Cow<'a, str>,
    stream_version: u64,
    event_id: Uuid,
    #[serde(borrow)]
    event_type: std::borrow::Cow<'a, str>,
    schema_version: u32,
    #[serde(borrow)]
    payload: &'a RawValue,
    #[serde(borrow)]
    metadata: &'a RawValue,
    #[serde(borrow)]
    recorded_at: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    effective_at: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    hash: std::borrow::Cow<'a, str>,
}

/// The chain hash of one event (the encoding of `dossier_store::hash`, version 1).
#[allow(clippy::too_many_arguments)]
fn chain_hash(
    prev: &[u8; 32],
    position: u64,
    stream_id: &str,
    stream_version: u64,
    event_id: &[u8],
    event_type: &str,
    schema_version: u32,
    payload: &str,
    metadata: &str,
    recorded_at: &str,
    effective_at: &str,
) -> [u8; 32] {
    fn bytes(h: &mut Sha256, b: &[u8]) {
        h.update((b.len() as u64).to_be_bytes());
        h.update(b);
    }
    let mut h = Sha256::new();
    h.update(prev);
    h.update(position.to_be_bytes());
    bytes(&mut h, stream_id.as_bytes());
    h.update(stream_version.to_be_bytes());
    bytes(&mut h, event_id);
    bytes(&mut h, event_type.as_bytes());
    h.update(schema_version.to_be_bytes());
    bytes(&mut h, payload.as_bytes());
    bytes(&mut h, metadata.as_bytes());
    bytes(&mut h, recorded_at.as_bytes());
    bytes(&mut h, effective_at.as_bytes());
    h.finalize().into()
}

/// Write every event of `store` to `out`. Returns the number of events written.
pub async fn export(store: &Store, out: &Path) -> anyhow::Result<u64> {
    let head = store.head().await.context("读取事件日志失败")?;
    let file = File::create(out).with_context(|| format!("无法创建 {}", out.display()))?;
    let mut w = BufWriter::new(file);
    let bar = progress::bar(head, "export");
    let mut written = 0u64;
    let mut failure: Option<anyhow::Error> = None;
    store
        .scan(0, |e| {
            let line = (|| -> anyhow::Result<()> {
                let payload: &RawValue = serde_json::from_str(e.payload)
                    .with_context(|| format!("位置 {} 的事件内容不是 JSON", e.position))?;
                let metadata: &RawValue = serde_json::from_str(e.metadata)
                    .with_context(|| format!("位置 {} 的元数据不是 JSON", e.position))?;
                let line = OutLine {
                    position: e.position,
                    stream_id: e.stream_id,
                    stream_version: e.stream_version,
                    event_id: e
                        .event_uuid()
                        .map(|u| u.to_string())
                        .unwrap_or_else(|| hex::encode(e.event_id)),
                    event_type: e.event_type,
                    schema_version: e.schema_version,
                    payload,
                    metadata,
                    recorded_at: e.recorded_at,
                    effective_at: e.effective_at,
                    hash: hex::encode(e.hash),
                };
                serde_json::to_writer(&mut w, &line)?;
                w.write_all(b"\n")?;
                Ok(())
            })();
            match line {
                Ok(()) => {
                    written += 1;
                    bar.inc(1);
                    ControlFlow::Continue(())
                }
                Err(err) => {
                    failure = Some(err);
                    ControlFlow::Break(())
                }
            }
        })
        .await
        .context("读取事件日志失败")?;
    bar.finish_and_clear();
    if let Some(err) = failure {
        return Err(err);
    }
    w.flush()
        .with_context(|| format!("写入 {} 失败", out.display()))?;
    Ok(written)
}

/// Check the whole file: every line parses, positions run 1, 2, 3, … and every hash matches
/// the chain. Returns the number of events, or the refusal naming the first bad line.
pub fn verify_file(input: &Path) -> anyhow::Result<u64> {
    let file = File::open(input).with_context(|| format!("无法打开 {}", input.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = progress::bar(size, "verify");
    let mut reader = BufReader::new(file);
    let mut prev = GENESIS;
    let mut count = 0u64;
    let mut buf = String::new();
    let mut line_no = 0u64;
    loop {
        buf.clear();
        let n = reader
            .read_line(&mut buf)
            .with_context(|| format!("读取 {} 失败", input.display()))?;
        if n == 0 {
            break;
        }
        bar.inc(n as u64);
        line_no += 1;
        let text = buf.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        let e: InLine<'_> = serde_json::from_str(text).map_err(|err| {
            anyhow::anyhow!("[IMPORT_BAD_LINE] 第 {line_no} 行不是有效的事件记录：{err}")
        })?;
        let expected_position = count + 1;
        if e.position != expected_position {
            bail!(
                "[IMPORT_POSITION_GAP] 第 {line_no} 行的位置是 {}，应为 {expected_position}：文件缺行、重排或被篡改",
                e.position
            );
        }
        let computed = chain_hash(
            &prev,
            e.position,
            &e.stream_id,
            e.stream_version,
            e.event_id.as_bytes(),
            &e.event_type,
            e.schema_version,
            e.payload.get(),
            e.metadata.get(),
            &e.recorded_at,
            &e.effective_at,
        );
        if hex::encode(computed) != e.hash.to_ascii_lowercase() {
            bail!(
                "[IMPORT_HASH_MISMATCH] 第 {line_no} 行（位置 {}，流 {}）的哈希与哈希链不符：文件被篡改，拒绝导入，数据库未作任何改动",
                e.position,
                e.stream_id
            );
        }
        prev = computed;
        count += 1;
    }
    bar.finish_and_clear();
    Ok(count)
}

/// One original append, rebuilt from consecutive lines sharing the same metadata.
struct Group {
    metadata_text: String,
    metadata: Metadata,
    writes: Vec<StreamWrite>,
}

impl Group {
    fn has_stream(&self, stream_id: &str) -> bool {
        self.writes.iter().any(|w| w.stream_id == stream_id)
    }
}

/// Append the verified file `input` to `store`, which must be empty. Returns the events appended.
pub async fn import(store: &Store, input: &Path, total: u64) -> anyhow::Result<u64> {
    let head = store.head().await.context("读取目标数据库失败")?;
    if head != 0 {
        bail!(
            "[IMPORT_TARGET_NOT_EMPTY] 目标数据库已有 {head} 个事件：只能导入到空数据库（请指定新的 --db 文件）"
        );
    }
    let file = File::open(input).with_context(|| format!("无法打开 {}", input.display()))?;
    let mut reader = BufReader::new(file);
    let bar = progress::bar(total, "import");
    let mut buf = String::new();
    let mut line_no = 0u64;
    let mut group: Option<Group> = None;
    let mut appended = 0u64;
    loop {
        buf.clear();
        let n = reader
            .read_line(&mut buf)
            .with_context(|| format!("读取 {} 失败", input.display()))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let text = buf.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        let e: InLine<'_> = serde_json::from_str(text)
            .map_err(|err| anyhow::anyhow!("[IMPORT_BAD_LINE] 第 {line_no} 行：{err}"))?;
        let effective_at =
            NaiveDate::parse_from_str(&e.effective_at, "%Y-%m-%d").map_err(|_| {
                anyhow::anyhow!(
                    "[IMPORT_BAD_LINE] 第 {line_no} 行的生效日期 {} 无效",
                    e.effective_at
                )
            })?;
        let metadata_text = e.metadata.get();
        let same_command = group.as_ref().is_some_and(|g| {
            g.metadata_text == metadata_text
                && (g.writes.last().map(|w| w.stream_id.as_str()) == Some(&*e.stream_id)
                    || !g.has_stream(&e.stream_id))
        });
        if !same_command {
            if let Some(done) = group.take() {
                appended += flush(store, done).await?;
                bar.set_position(appended);
            }
            let metadata: Metadata = serde_json::from_str(metadata_text).map_err(|err| {
                anyhow::anyhow!("[IMPORT_BAD_LINE] 第 {line_no} 行的元数据无效：{err}")
            })?;
            group = Some(Group {
                metadata_text: metadata_text.to_owned(),
                metadata,
                writes: Vec::new(),
            });
        }
        let Some(g) = group.as_mut() else {
            continue;
        };
        let event = NewEvent {
            event_id: Some(e.event_id),
            event_type: e.event_type.into_owned(),
            schema_version: e.schema_version,
            payload: e.payload.get().to_owned(),
            effective_at,
        };
        match g.writes.last_mut() {
            Some(w) if w.stream_id == e.stream_id => w.events.push(event),
            _ => {
                let before = e.stream_version.saturating_sub(1);
                g.writes.push(StreamWrite {
                    stream_id: e.stream_id.into_owned(),
                    expected: if before == 0 {
                        ExpectedVersion::NoStream
                    } else {
                        ExpectedVersion::Exact(before)
                    },
                    events: vec![event],
                });
            }
        }
    }
    if let Some(done) = group.take() {
        appended += flush(store, done).await?;
    }
    bar.finish_and_clear();
    Ok(appended)
}

async fn flush(store: &Store, group: Group) -> anyhow::Result<u64> {
    let count: usize = group.writes.iter().map(|w| w.events.len()).sum();
    let first = group
        .writes
        .first()
        .map(|w| w.stream_id.clone())
        .unwrap_or_default();
    store
        .append_multi(group.writes, group.metadata)
        .await
        .with_context(|| format!("导入流 {first} 的事件失败"))?;
    Ok(count as u64)
}
