//! The SQL the writer runs again and again: multi-row `INSERT` statements built once and the
//! chunk sizes they come in, and the integer conversions of positions.

use std::sync::LazyLock;

const COLUMNS: usize = 11;

/// `INSERT` statements for 1..=256 rows, built once (the statement cache keys on the text).
pub(super) static INSERT_SQL: LazyLock<Vec<String>> = LazyLock::new(|| {
    (0..=256)
        .map(|n| {
            let row = format!("({})", ["?"; COLUMNS].join(","));
            format!(
                "INSERT INTO events (position, stream_id, stream_version, event_id, event_type, \
                 schema_version, payload, metadata, recorded_at, effective_at, hash) VALUES {}",
                vec![row; n.max(1)].join(",")
            )
        })
        .collect()
});

/// `INSERT` statements into the command-id table for 1..=256 rows, built once.
pub(super) static COMMAND_SQL: LazyLock<Vec<String>> = LazyLock::new(|| {
    (0..=256)
        .map(|n| {
            format!(
                "INSERT INTO commands (seq, command_id, result, principal, digest) VALUES {}",
                vec!["(?,?,?,?,?)"; n.max(1)].join(",")
            )
        })
        .collect()
});

/// Split `n` rows into statement sizes: 256s, then 64s, then 16s, then one of 1..=15,
/// so that at most 18 distinct statements are ever prepared.
pub(super) fn chunk_sizes(mut n: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for size in [256, 64, 16] {
        while n >= size {
            out.push(size);
            n -= size;
        }
    }
    if n > 0 {
        out.push(n);
    }
    out
}

pub(super) fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

pub(super) fn from_i64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::chunk_sizes;

    #[test]
    fn chunk_sizes_cover_every_row_once() {
        for n in 0..2000 {
            let sizes = chunk_sizes(n);
            assert_eq!(sizes.iter().sum::<usize>(), n);
            assert!(sizes.iter().all(|s| (1..=256).contains(s)));
        }
        assert_eq!(chunk_sizes(1), vec![1]);
        assert_eq!(chunk_sizes(15), vec![15]);
        assert_eq!(chunk_sizes(300), vec![256, 16, 16, 12]);
    }
}
