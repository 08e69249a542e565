//! Subscriptions: catch up from a position, then follow live commits, each event exactly once.
//!
//! The writer publishes the committed head on a `watch` channel. A subscription remembers the
//! last position it handed out and, whenever the head is ahead of it, reads the next page from
//! the database after that position. Reading by position from the database (not from an
//! in-memory broadcast) is what makes the seam between catch-up and live exact, and what
//! keeps a slow subscriber from ever holding up the writer: it only falls behind.

use std::collections::VecDeque;

use futures::Stream;
use tokio::sync::watch;

use crate::{RecordedEvent, Store, StoreError};

const PAGE: usize = 1024;

/// A live, ordered feed of the log from a position on. See [`Store::subscribe`].
pub struct Subscription {
    store: Store,
    head: watch::Receiver<u64>,
    last: u64,
    buffer: VecDeque<RecordedEvent>,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("last", &self.last)
            .finish_non_exhaustive()
    }
}

impl Subscription {
    pub(crate) fn new(store: Store, head: watch::Receiver<u64>, after: u64) -> Self {
        Subscription {
            store,
            head,
            last: after,
            buffer: VecDeque::new(),
        }
    }

    /// The position of the last event handed out (or the starting position).
    pub fn position(&self) -> u64 {
        self.last
    }

    /// The next event; waits for one to be committed. `None` once the store is closed and
    /// every committed event has been handed out.
    pub async fn next(&mut self) -> Option<Result<RecordedEvent, StoreError>> {
        loop {
            if let Some(e) = self.buffer.pop_front() {
                self.last = e.position;
                return Some(Ok(e));
            }
            // Mark the current head as seen *before* reading, so no commit can slip between.
            let head = *self.head.borrow_and_update();
            if head > self.last {
                match self.store.read_all(self.last, PAGE).await {
                    Ok(page) if !page.is_empty() => {
                        self.buffer.extend(page);
                        continue;
                    }
                    Ok(_) => {}
                    Err(e) => return Some(Err(e)),
                }
            }
            if self.head.changed().await.is_err() {
                // The writer is gone: hand out whatever was committed, then end.
                return match self.store.read_all(self.last, PAGE).await {
                    Ok(page) if !page.is_empty() => {
                        self.buffer.extend(page);
                        continue;
                    }
                    Ok(_) => None,
                    Err(StoreError::Closed) => None,
                    Err(e) => Some(Err(e)),
                };
            }
        }
    }

    /// This subscription as a `futures::Stream`.
    pub fn into_stream(self) -> impl Stream<Item = Result<RecordedEvent, StoreError>> + Send {
        futures::stream::unfold(self, |mut s| async move { s.next().await.map(|e| (e, s)) })
    }
}
