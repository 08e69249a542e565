//! The cadre index: for each cadre, the positions of every event about them (delta-varint packed) and the streams they lie in.

use serde::{Deserialize, Serialize};

use crate::{
    concern::{for_each_cadre, stream_owned_by_cadre},
    envelope::Envelope,
    intern::{Interner, Sym},
    model::ReadModel,
};

/// Positions in ascending order, packed as LEB128 deltas (about 2–3 bytes each).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackedPositions {
    bytes: Vec<u8>,
    last: u64,
    count: u32,
}

impl PackedPositions {
    /// Append a position greater than the last one (others are ignored: the log only grows).
    pub fn push(&mut self, position: u64) {
        if position <= self.last && self.count > 0 {
            return;
        }
        let mut delta = position - self.last;
        loop {
            let byte = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                self.bytes.push(byte);
                break;
            }
            self.bytes.push(byte | 0x80);
        }
        self.last = position;
        self.count += 1;
    }

    /// The positions, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        let mut at = 0usize;
        let mut current = 0u64;
        std::iter::from_fn(move || {
            if at >= self.bytes.len() {
                return None;
            }
            let mut delta = 0u64;
            let mut shift = 0;
            while let Some(&b) = self.bytes.get(at) {
                at += 1;
                delta |= u64::from(b & 0x7f) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    break;
                }
            }
            current += delta;
            Some(current)
        })
    }

    pub fn len(&self) -> usize {
        self.count as usize
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
    }

    fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
    }
}

/// One cadre's entry in the index.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadreEntry {
    pub positions: PackedPositions,
    /// Streams (interned in [`CadreIndex::streams`]) holding events about the cadre.
    pub streams: Vec<Sym>,
}

/// Cadre id → where the events about them are. The timeline and the as-of views read the log through it.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct CadreIndex {
    pub cadres: Interner,
    pub streams: Interner,
    pub entries: Vec<CadreEntry>,
    /// Streams whose every event concerns one cadre (appeals…): stream → cadre.
    pub owners: rustc_hash::FxHashMap<Sym, Sym>,
}

impl ReadModel for CadreIndex {
    const NAME: &'static str = "cadre_index";
    const VERSION: u32 = 1;

    fn apply(&mut self, env: &Envelope<'_>) {
        let mut stream: Option<Sym> = None;
        let owned = stream_owned_by_cadre(env.stream_id);
        let mut named = false;
        for_each_cadre(env, |cadre| {
            named = true;
            let c = self.cadres.intern(cadre);
            let s = *stream.get_or_insert_with(|| self.streams.intern(env.stream_id));
            if owned {
                self.owners.entry(s).or_insert(c);
            }
            self.record(c, s, env.position);
        });
        if owned
            && !named
            && let Some(s) = self.streams.get(env.stream_id)
            && let Some(&c) = self.owners.get(&s)
        {
            self.record(c, s, env.position);
        }
    }
}

impl CadreIndex {
    fn record(&mut self, cadre: Sym, stream: Sym, position: u64) {
        let c = cadre as usize;
        if c >= self.entries.len() {
            self.entries.resize_with(c + 1, CadreEntry::default);
        }
        let entry = &mut self.entries[c];
        entry.positions.push(position);
        if !entry.streams.contains(&stream) {
            entry.streams.push(stream);
        }
    }

    /// The entry of a cadre, if any event concerns them.
    pub fn entry(&self, cadre_id: &str) -> Option<&CadreEntry> {
        self.cadres
            .get(cadre_id)
            .and_then(|c| self.entries.get(c as usize))
    }

    /// The streams holding events about a cadre.
    pub fn streams_of(&self, cadre_id: &str) -> Vec<String> {
        self.entry(cadre_id)
            .map(|e| {
                e.streams
                    .iter()
                    .map(|s| self.streams.resolve(*s).to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Release spare capacity (after a bulk replay).
    pub fn shrink(&mut self) {
        for e in &mut self.entries {
            e.positions.shrink();
            e.streams.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_positions_round_trip_and_ignore_going_backwards() {
        let mut p = PackedPositions::default();
        for pos in [1u64, 2, 130, 20_000, 10_000_000, 10_000_001] {
            p.push(pos);
        }
        p.push(5);
        assert_eq!(
            p.iter().collect::<Vec<_>>(),
            vec![1, 2, 130, 20_000, 10_000_000, 10_000_001]
        );
        assert_eq!(p.len(), 6);
        assert!(p.heap_bytes() < 6 * 8);
    }
}
