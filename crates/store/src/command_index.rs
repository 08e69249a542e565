//! Where each recorded command id lies in the SQLite `commands` table, kept in memory: the table is in insertion order and has no index on the id.
//!
//! Client-chosen command ids are scattered: a table (or an index) keyed by them makes every group
//! commit write one page per id. The `commands` table is therefore kept in the order ids were
//! recorded (`seq`, the rowid), so a group's records land on a few consecutive pages, and this
//! index answers which rows may hold an id. It maps a keyed hash of the id (not one a client can
//! aim at) to the row's `seq`; the row itself says whether it holds that id, so a collision
//! costs a read and never a wrong answer. It is filled from the table when the store opens
//! (in the background; a lookup waits for it) and by the writer after each commit.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::RwLock;

use sqlx::{SqliteConnection, SqlitePool};
use tokio::sync::watch;

use crate::commands::Prior;

/// How far the index is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// Rows of the file as it was opened are still being read.
    Filling,
    /// Every recorded id is in the index.
    Ready,
    /// The table could not be read: every lookup searches it.
    Failed,
}

/// What a lookup of an id found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Candidates {
    /// The rows (by `seq`) that may hold the id; none: it was never recorded.
    Rows(Vec<i64>),
    /// The index is not usable: search the table by id.
    Search,
}

#[derive(Debug, Default)]
struct Rows {
    /// One row per hash, the usual case.
    first: HashMap<u64, i64, rustc_hash::FxBuildHasher>,
    /// Further rows of a hash shared by several ids.
    more: HashMap<u64, Vec<i64>, rustc_hash::FxBuildHasher>,
}

/// The in-memory index of the `commands` table (SQLite only).
#[derive(Debug)]
pub(crate) struct CommandIndex {
    keys: std::collections::hash_map::RandomState,
    rows: RwLock<Rows>,
    fill: watch::Sender<Fill>,
}

impl Default for CommandIndex {
    fn default() -> Self {
        CommandIndex {
            keys: std::collections::hash_map::RandomState::new(),
            rows: RwLock::new(Rows::default()),
            fill: watch::Sender::new(Fill::Filling),
        }
    }
}

impl CommandIndex {
    fn hash(&self, id: &str) -> u64 {
        self.keys.hash_one(id)
    }

    /// Note that row `seq` holds command id `id`.
    pub(crate) fn insert(&self, id: &str, seq: i64) {
        let h = self.hash(id);
        let mut rows = self
            .rows
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&first) = rows.first.get(&h) {
            let more = rows.more.entry(h).or_default();
            if first != seq && !more.contains(&seq) {
                more.push(seq);
            }
        } else {
            rows.first.insert(h, seq);
        }
    }

    /// Every row of the file as opened has been inserted.
    pub(crate) fn mark_filled(&self) {
        self.fill.send_replace(Fill::Ready);
    }

    /// The table could not be read at open: lookups search it instead.
    pub(crate) fn mark_failed(&self) {
        self.fill.send_replace(Fill::Failed);
    }

    /// The rows that may hold `id`, once the index is filled.
    pub(crate) async fn candidates(&self, id: &str) -> Candidates {
        let mut fill = self.fill.subscribe();
        let state = match fill.wait_for(|f| *f != Fill::Filling).await {
            Ok(f) => *f,
            Err(_) => Fill::Failed,
        };
        if state == Fill::Failed {
            return Candidates::Search;
        }
        let h = self.hash(id);
        let rows = self
            .rows
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut out: Vec<i64> = rows.first.get(&h).copied().into_iter().collect();
        if let Some(more) = rows.more.get(&h) {
            out.extend(more);
        }
        Candidates::Rows(out)
    }
}

/// Whether `id` may have been recorded (false: certainly never, and no row need be read).
pub(crate) async fn may_hold(index: &CommandIndex, id: &str) -> bool {
    index.candidates(id).await != Candidates::Rows(Vec::new())
}

/// The recorded first result and origin of command id `id`, if any: read from the rows the
/// index names, and from the rows at or after `since` (those written by the transaction in
/// progress, which the index learns only once it commits).
pub(crate) async fn find(
    conn: &mut SqliteConnection,
    index: &CommandIndex,
    id: &str,
    since: Option<i64>,
) -> Result<Option<Prior>, sqlx::Error> {
    type Row = (String, Option<String>, Option<String>);
    let seqs = match index.candidates(id).await {
        Candidates::Search => {
            let row: Option<Row> = sqlx::query_as(
                "SELECT result, principal, digest FROM commands WHERE command_id = ?1 \
                 ORDER BY seq LIMIT 1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            return Ok(row.map(prior));
        }
        Candidates::Rows(seqs) => seqs,
    };
    for seq in seqs {
        let row: Option<Row> = sqlx::query_as(
            "SELECT result, principal, digest FROM commands WHERE seq = ?1 AND command_id = ?2",
        )
        .bind(seq)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(row) = row {
            return Ok(Some(prior(row)));
        }
    }
    let Some(since) = since else { return Ok(None) };
    let row: Option<Row> = sqlx::query_as(
        "SELECT result, principal, digest FROM commands WHERE seq >= ?1 AND command_id = ?2 \
         ORDER BY seq LIMIT 1",
    )
    .bind(since)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(prior))
}

fn prior((result, principal, digest): (String, Option<String>, Option<String>)) -> Prior {
    Prior {
        result,
        principal,
        digest,
    }
}

/// Fill `index` with every row of the `commands` table below `below` (the rows the file held
/// when it opened; the writer notes the later ones), then mark it filled.
pub(crate) async fn fill(readers: SqlitePool, index: std::sync::Arc<CommandIndex>, below: i64) {
    use futures::StreamExt;
    let mut rows =
        sqlx::query_as::<_, (i64, String)>("SELECT seq, command_id FROM commands WHERE seq < ?1")
            .bind(below)
            .fetch(&readers);
    loop {
        match rows.next().await {
            Some(Ok((seq, id))) => {
                index.insert(&id, seq);
                if readers.is_closed() {
                    index.mark_failed();
                    return; // the store is closing: let its connections go
                }
            }
            Some(Err(e)) => {
                tracing::warn!(error = %e, "command ids not indexed; each lookup searches the table");
                index.mark_failed();
                return;
            }
            None => break,
        }
    }
    index.mark_filled();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_id_is_found_at_every_row_that_holds_it_and_nowhere_else() {
        let index = CommandIndex::default();
        index.insert("a", 1);
        index.insert("b", 2);
        index.insert("a", 7);
        index.insert("a", 7);
        index.mark_filled();
        assert_eq!(index.candidates("a").await, Candidates::Rows(vec![1, 7]));
        assert_eq!(index.candidates("b").await, Candidates::Rows(vec![2]));
        assert_eq!(index.candidates("c").await, Candidates::Rows(vec![]));
    }

    #[tokio::test]
    async fn a_lookup_waits_for_the_fill_and_searches_when_it_failed() {
        let index = std::sync::Arc::new(CommandIndex::default());
        let waiting = tokio::spawn({
            let index = index.clone();
            async move { index.candidates("a").await }
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished(), "a lookup before the fill waits");
        index.mark_failed();
        assert_eq!(waiting.await.expect("lookup"), Candidates::Search);
    }
}
