//! Reading the log through the `Store` API: a stream, the whole log in pages, the fast scans a fold reads, stream versions and lists, the anchor and the verification of the hash chain.

use super::*;

impl Store {
    /// The events of one stream in version order, within `range`.
    pub async fn read_stream(
        &self,
        stream_id: &str,
        range: StreamRange,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let readers = sqlite_or!(self, pg => pg.read_stream(stream_id, range).await);
        let sql = format!(
            "{SELECT_EVENT} WHERE stream_id = ?1 AND stream_version >= ?2 \
             AND position <= ?3 AND effective_at <= ?4 ORDER BY stream_version"
        );
        let until = match range.effective_until {
            Some(d) => time::format_date(&d).unwrap_or_else(|| "9999-12-31".into()),
            None => "9999-12-31".into(),
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(stream_id)
            .bind(i64::try_from(range.from_version).unwrap_or(i64::MAX))
            .bind(
                range
                    .to_position
                    .map(|p| i64::try_from(p).unwrap_or(i64::MAX))
                    .unwrap_or(i64::MAX),
            )
            .bind(until)
            .fetch_all(readers)
            .await?;
        rows.iter().map(decode_event).collect()
    }

    /// Up to `limit` events after `after_position`, in position order (one page).
    ///
    /// Pages are read through the same raw scan as [`Store::scan`] (several times faster
    /// than sqlx rows), so subscriptions and catch-ups are cheap.
    pub async fn read_all(
        &self,
        after_position: u64,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let limit = u64::try_from(limit).unwrap_or(u64::MAX);
        let mut out = Vec::with_capacity(usize::try_from(limit.min(4096)).unwrap_or(0));
        let mut failed = None;
        self.scan_limited(after_position, limit, |e| match recorded(&e) {
            Ok(event) => {
                out.push(event);
                ControlFlow::Continue(())
            }
            Err(err) => {
                failed = Some(err);
                ControlFlow::Break(())
            }
        })
        .await?;
        match failed {
            Some(err) => Err(err),
            None => Ok(out),
        }
    }

    /// Fast full scan in position order (rebuilds, exports): calls `f` with each event after
    /// `after_position`, borrowed; `f` returns `ControlFlow::Break(())` to stop. Returns the
    /// position of the last event handed to `f` (`after_position` if none).
    pub async fn scan(
        &self,
        after_position: u64,
        f: impl FnMut(EventRef<'_>) -> ControlFlow<()> + Send,
    ) -> Result<u64, StoreError> {
        self.scan_limited(after_position, u64::MAX, f).await
    }

    /// [`Store::scan`] reading only the columns a fold needs ([`ReplayRef`]): position,
    /// stream, version, type, schema version, payload and effective date. Rebuilds use it.
    pub async fn scan_replay(
        &self,
        after_position: u64,
        f: impl FnMut(ReplayRef<'_>) -> ControlFlow<()> + Send,
    ) -> Result<u64, StoreError> {
        self.scan_shaped::<raw::Replay>(after_position, u64::MAX, f)
            .await
    }

    /// [`Store::scan`], handing out at most `max` events.
    async fn scan_limited(
        &self,
        after_position: u64,
        max: u64,
        f: impl FnMut(EventRef<'_>) -> ControlFlow<()> + Send,
    ) -> Result<u64, StoreError> {
        self.scan_shaped::<raw::Full>(after_position, max, f).await
    }

    /// Scan at most `max` events after `after_position`, reading the columns of shape `S`.
    async fn scan_shaped<S: raw::Shape + pg::PgShape>(
        &self,
        after_position: u64,
        max: u64,
        mut f: impl FnMut(S::Row<'_>) -> ControlFlow<()> + Send,
    ) -> Result<u64, StoreError> {
        let readers = sqlite_or!(self, pg => pg.scan::<S>(after_position, max, f).await);
        let mut conn = readers.acquire().await?;
        let mut last = after_position;
        let mut remaining = max;
        while remaining > 0 {
            let want = remaining.min(SCAN_CHUNK);
            let chunk = {
                let mut handle = conn.lock_handle().await?;
                let db = handle.as_raw_handle();
                let mut run = || raw::scan_chunk::<S>(db, last, want, &mut f);
                if tokio::runtime::Handle::current().runtime_flavor()
                    == tokio::runtime::RuntimeFlavor::MultiThread
                {
                    tokio::task::block_in_place(run)?
                } else {
                    run()?
                }
            };
            last = chunk.last_position;
            remaining -= chunk.rows;
            if chunk.stopped || chunk.rows < want {
                break;
            }
            tokio::task::yield_now().await;
        }
        Ok(last)
    }

    /// The stream's current version (0 if it does not exist).
    pub async fn stream_version(&self, stream_id: &str) -> Result<u64, StoreError> {
        let readers = sqlite_or!(self, pg => pg.stream_version(stream_id).await);
        let v: Option<i64> =
            sqlx::query_scalar("SELECT MAX(stream_version) FROM events WHERE stream_id = ?1")
                .bind(stream_id)
                .fetch_one(readers)
                .await?;
        Ok(v.and_then(|v| u64::try_from(v).ok()).unwrap_or(0))
    }

    /// Stream ids starting with `prefix` (all if empty), sorted, with their versions.
    pub async fn list_streams(&self, prefix: &str) -> Result<Vec<(String, u64)>, StoreError> {
        let readers = sqlite_or!(self, pg => pg.list_streams(prefix).await);
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT stream_id, MAX(stream_version) FROM events \
             WHERE stream_id >= ?1 AND substr(stream_id, 1, length(?1)) = ?1 \
             GROUP BY stream_id ORDER BY stream_id",
        )
        .bind(prefix)
        .fetch_all(readers)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(s, v)| (s, u64::try_from(v).unwrap_or(0)))
            .collect())
    }

    /// The log's anchor: the last position and its chain hash (hex), `None` for an empty log.
    ///
    /// The hash of the last event commits to every event before it. An auditor who writes
    /// the anchor down can later check it with [`Store::check_anchor`], which detects what a
    /// chain recomputed from the file alone cannot: events cut off the end of the log.
    pub async fn anchor(&self) -> Result<Option<(u64, String)>, StoreError> {
        let readers = sqlite_or!(self, pg => pg.anchor().await);
        let row: Option<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
                .fetch_optional(readers)
                .await?;
        Ok(row.map(|(p, h)| (u64::try_from(p).unwrap_or(0), hex::encode(&h))))
    }

    /// Check a recorded anchor against the log: the event at `position` must still be there
    /// with the chain hash `hash` (hex, any case). Together with [`Store::verify`] (the chain
    /// is intact up to the head) this proves the log up to the anchor is the one recorded.
    pub async fn check_anchor(&self, position: u64, hash: &str) -> Result<AnchorCheck, StoreError> {
        let readers = sqlite_or!(self, pg => pg.check_anchor(position, hash).await);
        let row: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT hash FROM events WHERE position = ?1")
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .fetch_optional(readers)
                .await?;
        Ok(match row {
            None => AnchorCheck::Missing { position },
            Some(stored) if hex::encode(&stored).eq_ignore_ascii_case(hash.trim()) => {
                AnchorCheck::Matches
            }
            Some(stored) => AnchorCheck::Differs {
                position,
                stored: hex::encode(&stored),
            },
        })
    }

    /// Recompute the hash chain from the first event; report how many matched or the first
    /// position that does not (a changed, removed, or out-of-order row).
    pub async fn verify(&self) -> Result<VerifyReport, StoreError> {
        let mut prev = hash::GENESIS;
        let mut checked = 0u64;
        let mut broken: Option<(u64, String)> = None;
        let scanned = self
            .scan(0, |e| {
                let expected = checked + 1;
                if e.position != expected {
                    broken = Some((
                        expected,
                        format!(
                            "位置 {expected} 缺失或顺序被打乱（下一个为位置 {}）",
                            e.position
                        ),
                    ));
                    return ControlFlow::Break(());
                }
                let h = hash::chain_hash(&prev, &hash::Canonical::from(&e));
                if h[..] != *e.hash {
                    broken = Some((
                        e.position,
                        format!(
                            "位置 {} 的哈希与链不符：内容被改动，或前序事件被改动",
                            e.position
                        ),
                    ));
                    return ControlFlow::Break(());
                }
                prev = h;
                checked += 1;
                ControlFlow::Continue(())
            })
            .await;
        match scanned {
            Err(StoreError::Corrupt { position, reason }) => Ok(VerifyReport::Broken {
                position,
                reason,
                checked,
            }),
            Err(e) => Err(e),
            Ok(_) => Ok(match broken {
                Some((position, reason)) => VerifyReport::Broken {
                    position,
                    reason,
                    checked,
                },
                None => VerifyReport::Ok { checked },
            }),
        }
    }
}
