//! Which streams may exist: a Bloom filter over stream ids, so a command on a brand-new stream needs no read.
//!
//! The filter is filled in the background from the log when the store opens, and by the writer
//! after every commit. Until it is filled, or once it holds too many ids for its size, it
//! answers "may exist" for every stream, which only costs the read it would have saved. A
//! wrong "does not exist" cannot happen by construction; were it to, the writer's version
//! check would still refuse the append as a conflict.

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Bits set per stream id.
const K: u64 = 6;
/// Below this many bits per id the false-positive rate climbs past about 2%: stop trusting it.
const MIN_BITS_PER_ID: u64 = 8;

#[derive(Debug)]
pub(crate) struct StreamFilter {
    bits: Box<[AtomicU64]>,
    mask: u64,
    inserted: AtomicU64,
    ready: AtomicBool,
}

impl StreamFilter {
    /// A filter sized for a log of `events` events (at most one new stream per event), at
    /// least 2^20 bits.
    pub(crate) fn for_events(events: u64) -> Self {
        let bits = (events.saturating_mul(16))
            .clamp(1 << 20, 1 << 34)
            .next_power_of_two();
        let words = usize::try_from(bits / 64).unwrap_or(1 << 14);
        StreamFilter {
            bits: (0..words).map(|_| AtomicU64::new(0)).collect(),
            mask: bits - 1,
            inserted: AtomicU64::new(0),
            ready: AtomicBool::new(false),
        }
    }

    fn probes(&self, stream_id: &str) -> impl Iterator<Item = u64> + use<> {
        let h1 = {
            let mut h = std::hash::DefaultHasher::new();
            h.write(stream_id.as_bytes());
            h.finish()
        };
        let h2 = rustc_hash::FxBuildHasher.hash_one(stream_id) | 1;
        let mask = self.mask;
        (0..K).map(move |i| h1.wrapping_add(i.wrapping_mul(h2)) & mask)
    }

    /// Note that `stream_id` exists (call once per stream: each call counts towards the fill).
    pub(crate) fn insert(&self, stream_id: &str) {
        for bit in self.probes(stream_id) {
            self.bits[(bit / 64) as usize].fetch_or(1u64 << (bit % 64), Ordering::AcqRel);
        }
        self.inserted.fetch_add(1, Ordering::Relaxed);
    }

    /// Every stream of the log at open has been inserted.
    pub(crate) fn mark_filled(&self) {
        self.ready.store(true, Ordering::Release);
    }

    /// False only if `stream_id` certainly has no event.
    pub(crate) fn may_exist(&self, stream_id: &str) -> bool {
        if !self.ready.load(Ordering::Acquire)
            || self.inserted.load(Ordering::Relaxed) * MIN_BITS_PER_ID > self.mask + 1
        {
            return true;
        }
        self.probes(stream_id).all(|bit| {
            self.bits[(bit / 64) as usize].load(Ordering::Acquire) & (1u64 << (bit % 64)) != 0
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_it_is_filled_every_stream_may_exist() {
        let f = StreamFilter::for_events(0);
        assert!(f.may_exist("cadre-c1"));
        f.mark_filled();
        assert!(!f.may_exist("cadre-c1"));
    }

    #[test]
    fn an_inserted_stream_always_may_exist_and_few_others_do() {
        let f = StreamFilter::for_events(100_000);
        f.mark_filled();
        for i in 0..100_000 {
            f.insert(&format!("supervision-e{i}"));
        }
        assert!((0..100_000).all(|i| f.may_exist(&format!("supervision-e{i}"))));
        let false_positives = (0..100_000)
            .filter(|i| f.may_exist(&format!("appeal-a{i}")))
            .count();
        assert!(
            false_positives < 100,
            "{false_positives} false positives in 100,000"
        );
    }

    #[test]
    fn an_overfull_filter_answers_may_exist_for_everything() {
        let f = StreamFilter::for_events(0);
        f.mark_filled();
        for i in 0..(1u64 << 20) / MIN_BITS_PER_ID + 1 {
            f.insert(&format!("s{i}"));
        }
        assert!(f.may_exist("never-written"));
    }
}
