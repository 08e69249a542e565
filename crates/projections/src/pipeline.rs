//! The replay pipeline: the store's scan copies rows into batches, decoder threads turn them into
//! domain events, one folder thread applies them to the models in log order.
//!
//! Decoding JSON is the largest cost of a rebuild; it runs on as many threads as the machine
//! offers while the scan and the fold each keep one.

use std::{
    collections::BTreeMap,
    ops::{ControlFlow, Range},
    sync::{Arc, Mutex, mpsc},
    thread,
};

use chrono::NaiveDate;
use dossier_store::{ReplayRef, Store};

use crate::{
    ProjectionError,
    asof::AsOf,
    envelope::{Envelope, parse_date},
    models::Models,
    runner,
};

/// Rows per batch handed between threads.
const BATCH: usize = 2048;

/// One row, its text fields as ranges into the batch's arena.
struct Row {
    position: u64,
    stream_version: u64,
    schema_version: u32,
    effective: NaiveDate,
    stream_id: Range<usize>,
    event_type: Range<usize>,
    payload: Range<usize>,
}

/// Rows copied out of the scan, sharing one text arena.
#[derive(Default)]
struct RawBatch {
    text: String,
    rows: Vec<Row>,
}

impl RawBatch {
    fn with_capacity() -> Self {
        RawBatch {
            text: String::with_capacity(BATCH * 256),
            rows: Vec::with_capacity(BATCH),
        }
    }

    fn put(&mut self, s: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(s);
        start..self.text.len()
    }

    fn push(&mut self, e: &ReplayRef<'_>) {
        let stream_id = self.put(e.stream_id);
        let event_type = self.put(e.event_type);
        let payload = self.put(e.payload);
        self.rows.push(Row {
            position: e.position,
            stream_version: e.stream_version,
            schema_version: e.schema_version,
            effective: parse_date(e.effective_at).unwrap_or_default(),
            stream_id,
            event_type,
            payload,
        });
    }

    fn str(&self, r: &Range<usize>) -> &str {
        self.text.get(r.clone()).unwrap_or_default()
    }
}

/// A batch with its rows decoded: each an event to fold, one no read model folds (the access
/// log, passed over) or one this build cannot read (counted).
struct Decoded {
    raw: RawBatch,
    events: Vec<runner::Decoded>,
}

fn decode_batch(raw: RawBatch) -> Decoded {
    let events = raw
        .rows
        .iter()
        .map(|r| {
            runner::decode(
                r.position,
                raw.str(&r.event_type),
                r.schema_version,
                raw.str(&r.payload),
            )
        })
        .collect();
    Decoded { raw, events }
}

/// Fold the log after `models`' lowest checkpoint into `models` with the store's fast scan,
/// decoding on `decoders` threads. Returns (events replayed, events skipped as undecodable).
pub async fn replay_parallel(
    store: &Store,
    models: &mut Models,
    decoders: usize,
) -> Result<(u64, u64), ProjectionError> {
    replay_bounded(store, models, decoders, AsOf::default()).await
}

/// [`replay_parallel`] limited to a slice of history: events recorded at or before
/// `bounds.known_at` (the scan stops there) and effective on or before `bounds.effective`
/// (the others are skipped before decoding). The bitemporal dashboards fold the log this way,
/// through the same fold as the live models. Returns (events folded, events skipped as undecodable).
pub async fn replay_bounded(
    store: &Store,
    models: &mut Models,
    decoders: usize,
    bounds: AsOf,
) -> Result<(u64, u64), ProjectionError> {
    let from = models.position();
    let until = bounds.known_at.unwrap_or(u64::MAX);
    let owned = std::mem::take(models);
    let (work_tx, work_rx) = mpsc::sync_channel::<(u64, RawBatch)>(decoders * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = mpsc::sync_channel::<(u64, Decoded)>(decoders * 2 + 2);

    let workers: Vec<_> = (0..decoders.max(1))
        .map(|_| {
            let rx = work_rx.clone();
            let tx = done_tx.clone();
            thread::spawn(move || {
                loop {
                    let next = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, raw)) = next else { return };
                    if tx.send((seq, decode_batch(raw))).is_err() {
                        return;
                    }
                }
            })
        })
        .collect();
    drop(done_tx);

    let folder = thread::spawn(move || {
        let mut models = owned;
        let mut undecodable = 0u64;
        let mut waiting: BTreeMap<u64, Decoded> = BTreeMap::new();
        let mut next = 0u64;
        for (seq, batch) in done_rx {
            waiting.insert(seq, batch);
            while let Some(batch) = waiting.remove(&next) {
                for (row, event) in batch.raw.rows.iter().zip(&batch.events) {
                    match event {
                        runner::Decoded::Event(event) => models.apply(&Envelope {
                            position: row.position,
                            stream_id: batch.raw.str(&row.stream_id),
                            stream_version: row.stream_version,
                            effective: row.effective,
                            event,
                        }),
                        runner::Decoded::Unfolded => {}
                        runner::Decoded::Undecodable => undecodable += 1,
                    }
                    models.advance(row.position);
                }
                next += 1;
            }
        }
        (models, undecodable)
    });

    let mut replayed = 0u64;
    let mut seq = 0u64;
    let mut batch = RawBatch::with_capacity();
    let send = |batch: RawBatch, seq: &mut u64| -> bool {
        let ok = work_tx.send((*seq, batch)).is_ok();
        *seq += 1;
        ok
    };
    let scanned = store
        .scan_replay(from, |e| {
            if e.position > until {
                return ControlFlow::Break(());
            }
            if let Some(last) = bounds.effective
                && parse_date(e.effective_at).unwrap_or_default() > last
            {
                return ControlFlow::Continue(());
            }
            replayed += 1;
            batch.push(&e);
            if batch.rows.len() >= BATCH
                && !send(
                    std::mem::replace(&mut batch, RawBatch::with_capacity()),
                    &mut seq,
                )
            {
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        })
        .await;
    if !batch.rows.is_empty() {
        send(batch, &mut seq);
    }
    drop(work_tx);
    for w in workers {
        let _ = w.join();
    }
    let (folded, undecodable) = folder.join().map_err(|_| ProjectionError::Stopped)?;
    *models = folded;
    scanned?;
    Ok((replayed, undecodable))
}
