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
//! The last line is the log's anchor, as `dossier verify` prints it (last position and its chain
//! hash; `0:` and the genesis hash for an empty log):
//!
//! ```text
//! {"anchor":"4712:<64 hex digits>"}
//! ```
//!
//! A file without it, or whose anchor is not the chain of its lines, was cut short or edited:
//! import refuses it.
//!
//! `payload` and `metadata` are the stored JSON texts, byte for byte, so an auditor can
//! recompute every hash from the file alone with the encoding documented in
//! `dossier_store::hash` (whose `chain_hash` this module uses). Import recomputes the chain
//! over the whole file first and refuses it, naming the line, before anything is written;
//! the events are then written as they are, every field kept, through `Store::import` (which
//! checks the chain again), so the imported database's events are byte for byte the exported
//! ones: same positions, event ids, `recorded_at` and hashes, and its export is the same file.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::ops::ControlFlow;
use std::path::Path;

use anyhow::{Context, bail};
use dossier_store::hash::{Canonical, GENESIS, chain_hash};
use dossier_store::{ImportedEvent, Store};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
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

/// The last line of an export.
#[derive(Serialize, Deserialize)]
struct AnchorLine {
    anchor: String,
}

/// Where an export goes: a file (refused if it exists, unless `force`) or standard output (`-`).
pub fn open_output(out: &Path, force: bool) -> anyhow::Result<Box<dyn Write + Send>> {
    if out.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdout()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    match options.open(out) {
        Ok(file) => Ok(Box::new(file)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "[EXPORT_FILE_EXISTS] 文件 {} 已存在，未覆盖：请换一个文件名，或加 --force 覆盖",
            out.display()
        ),
        Err(e) => Err(e).with_context(|| format!("无法创建 {}", out.display())),
    }
}

/// Write every event of `store` to `out`, then the anchor line. Returns the number of events
/// written and the anchor (`POSITION:HASH`).
pub async fn export(store: &Store, out: Box<dyn Write + Send>) -> anyhow::Result<(u64, String)> {
    let head = store.head().await.context("读取事件日志失败")?;
    let mut w = BufWriter::new(out);
    let bar = progress::bar(head, "export");
    let mut written = 0u64;
    let mut last = (0u64, GENESIS.to_vec());
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
                last = (e.position, e.hash.to_vec());
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
    let anchor = format!("{}:{}", last.0, hex::encode(&last.1));
    serde_json::to_writer(
        &mut w,
        &AnchorLine {
            anchor: anchor.clone(),
        },
    )?;
    w.write_all(b"\n")?;
    w.flush().context("写入导出文件失败")?;
    Ok((written, anchor))
}

/// The anchor of an anchor line, `None` for an event line.
fn anchor_line(text: &str) -> Option<anyhow::Result<(u64, String)>> {
    if !text.trim_start().starts_with("{\"anchor\"") {
        return None;
    }
    Some(
        serde_json::from_str::<AnchorLine>(text)
            .ok()
            .and_then(|a| parse_anchor(&a.anchor))
            .ok_or_else(|| {
                anyhow::anyhow!("[IMPORT_BAD_LINE] 锚点行不是「位置:64 位十六进制哈希」：{text}")
            }),
    )
}

/// `POSITION:HASH` (64 hex digits), as `verify` prints it; the hash in lower case.
pub fn parse_anchor(text: &str) -> Option<(u64, String)> {
    let (p, h) = text.trim().split_once(':')?;
    let p: u64 = p.trim().parse().ok()?;
    let h = h.trim();
    (h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit())).then(|| (p, h.to_ascii_lowercase()))
}

/// Check the whole file: every line parses, positions run 1, 2, 3, … every hash matches the
/// chain, and the file ends with its anchor line, which matches the chain. With `anchor` (one
/// written down earlier), the file must also reach that position with that hash. Returns the
/// number of events, or the refusal naming the first bad line.
pub fn verify_file(input: &Path, anchor: Option<&(u64, String)>) -> anyhow::Result<u64> {
    let file = File::open(input).with_context(|| format!("无法打开 {}", input.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = progress::bar(size, "verify");
    let mut reader = BufReader::new(file);
    let mut prev = GENESIS;
    let mut count = 0u64;
    let mut buf = String::new();
    let mut line_no = 0u64;
    let mut file_anchor: Option<(u64, (u64, String))> = None;
    let mut at_given: Option<String> = None;
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
        if let Some((anchor_at, _)) = &file_anchor {
            bail!(
                "[IMPORT_BAD_LINE] 第 {line_no} 行在第 {anchor_at} 行的锚点之后：锚点必须是最后一行"
            );
        }
        if let Some(parsed) = anchor_line(text) {
            file_anchor = Some((line_no, parsed?));
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
            &Canonical {
                position: e.position,
                stream_id: &e.stream_id,
                stream_version: e.stream_version,
                event_id: e.event_id.as_bytes(),
                event_type: &e.event_type,
                schema_version: e.schema_version,
                payload: e.payload.get(),
                metadata: e.metadata.get(),
                recorded_at: &e.recorded_at,
                effective_at: &e.effective_at,
            },
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
        if anchor.is_some_and(|(p, _)| *p == count) {
            at_given = Some(hex::encode(computed));
        }
    }
    bar.finish_and_clear();
    let chain = (count, hex::encode(prev));
    match file_anchor {
        None => bail!(
            "[IMPORT_ANCHOR_MISSING] 文件末尾没有锚点行（{{\"anchor\":\"位置:哈希\"}}）：文件不完整（可能被截断），拒绝导入，数据库未作任何改动"
        ),
        Some((line, stated)) if stated != chain => bail!(
            "[IMPORT_ANCHOR_MISMATCH] 第 {line} 行的锚点为 {}:{}，而文件的事件到位置 {} 为止、哈希 {}：文件不完整或被篡改，拒绝导入，数据库未作任何改动",
            stated.0,
            stated.1,
            chain.0,
            chain.1
        ),
        Some(_) => {}
    }
    if let Some((position, hash)) = anchor {
        match at_given {
            None => bail!(
                "[ANCHOR_MISSING] 文件只含 {count} 个事件，达不到锚点的位置 {position}：事件被截去，拒绝导入"
            ),
            Some(found) if found != *hash => bail!(
                "[ANCHOR_MISMATCH] 文件中位置 {position} 的哈希为 {found}，与锚点 {hash} 不符：日志被改写，拒绝导入"
            ),
            Some(_) => {}
        }
    }
    Ok(count)
}

/// Events handed to the store per import transaction.
const IMPORT_BATCH: usize = 4096;

/// Import the verified file `input` into `store`, which must be empty, keeping every field:
/// the imported log has the file's positions, event ids, `recorded_at` and hashes, so its
/// export is the file itself. Returns the events imported.
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
    let mut batch: Vec<ImportedEvent> = Vec::with_capacity(IMPORT_BATCH);
    let mut first_line = 1u64;
    let mut imported = 0u64;
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
        if text.trim().is_empty() || anchor_line(text).is_some() {
            continue;
        }
        let e: InLine<'_> = serde_json::from_str(text)
            .map_err(|err| anyhow::anyhow!("[IMPORT_BAD_LINE] 第 {line_no} 行：{err}"))?;
        let mut hash = [0u8; 32];
        hex::decode_to_slice(&*e.hash, &mut hash).map_err(|_| {
            anyhow::anyhow!(
                "[IMPORT_BAD_LINE] 第 {line_no} 行的哈希 {} 不是 64 位十六进制数",
                e.hash
            )
        })?;
        if batch.is_empty() {
            first_line = line_no;
        }
        batch.push(ImportedEvent {
            position: e.position,
            stream_id: e.stream_id.into_owned(),
            stream_version: e.stream_version,
            event_id: e.event_id,
            event_type: e.event_type.into_owned(),
            schema_version: e.schema_version,
            payload: e.payload.get().to_owned(),
            metadata: e.metadata.get().to_owned(),
            recorded_at: e.recorded_at.into_owned(),
            effective_at: e.effective_at.into_owned(),
            hash,
        });
        if batch.len() >= IMPORT_BATCH {
            imported += flush(store, &mut batch, first_line, line_no).await?;
            bar.set_position(imported);
        }
    }
    if !batch.is_empty() {
        imported += flush(store, &mut batch, first_line, line_no).await?;
    }
    bar.finish_and_clear();
    Ok(imported)
}

/// Import one batch (lines `first_line` to `last_line`); the store refuses it whole, naming the position.
async fn flush(
    store: &Store,
    batch: &mut Vec<ImportedEvent>,
    first_line: u64,
    last_line: u64,
) -> anyhow::Result<u64> {
    let events = std::mem::replace(batch, Vec::with_capacity(IMPORT_BATCH));
    store
        .import(events)
        .await
        .with_context(|| format!("导入第 {first_line}–{last_line} 行的事件失败"))
}
