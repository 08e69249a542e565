//! The side tables beside the log, through the `Store` API: the read models' snapshots and the bearer tokens.

use super::*;

impl Store {
    async fn side(&self, op: SideOp) -> Result<bool, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.inner
            .writer
            .send(Request::Side { op, reply })
            .await
            .map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Save (replace) the snapshot called `name`.
    pub async fn save_snapshot(
        &self,
        name: &str,
        version: u32,
        position: u64,
        data: &[u8],
    ) -> Result<(), StoreError> {
        self.side(SideOp::SaveSnapshot(Snapshot {
            name: name.to_string(),
            version,
            position,
            data: data.to_vec(),
        }))
        .await
        .map(|_| ())
    }

    /// The snapshot called `name`, if any that fits the log: one taken at a position past the
    /// log's head, or whose recorded chain hash is not the log's hash at its position (a
    /// snapshot edited, or left from another log), is not returned (the read model is rebuilt
    /// from the log) and a warning is logged.
    pub async fn load_snapshot(&self, name: &str) -> Result<Option<Snapshot>, StoreError> {
        let readers = sqlite_or!(self, pg => pg.load_snapshot(name).await);
        type Row = (String, i64, i64, Vec<u8>, Option<Vec<u8>>, Option<Vec<u8>>);
        let row: Option<Row> = sqlx::query_as(
            "SELECT s.name, s.version, s.position, s.data, s.chain_hash, e.hash FROM snapshots AS s \
             LEFT JOIN events AS e ON e.position = s.position WHERE s.name = ?1",
        )
        .bind(name)
        .fetch_optional(readers)
        .await?;
        let Some((name, version, position, data, recorded, actual)) = row else {
            return Ok(None);
        };
        if let Some(reason) =
            audit::snapshot_mismatch(position, recorded.as_deref(), actual.as_deref())
        {
            tracing::warn!(snapshot = %name, %reason, "snapshot does not fit the log; discarded, the read model is rebuilt from the log");
            return Ok(None);
        }
        let row = Some((name, version, position, data));
        Ok(row.map(|(name, version, position, data)| Snapshot {
            name,
            version: u32::try_from(version).unwrap_or(0),
            position: u64::try_from(position).unwrap_or(0),
            data,
        }))
    }

    /// Delete every snapshot (they are rebuilt from the log).
    pub async fn delete_snapshots(&self) -> Result<(), StoreError> {
        self.side(SideOp::DeleteSnapshots).await.map(|_| ())
    }

    /// Insert or replace a token record.
    pub async fn put_token(&self, token: TokenRecord) -> Result<(), StoreError> {
        let result = self.side(SideOp::PutToken(token)).await.map(|_| ());
        self.bump_token_generation();
        result
    }

    /// A number that changes whenever a token is created or revoked through this handle (or
    /// its clones). Caches of authenticated tokens compare it to drop what they hold at once;
    /// changes made by another process are not seen here.
    pub fn token_generation(&self) -> u64 {
        self.inner
            .token_generation
            .load(std::sync::atomic::Ordering::Acquire)
    }

    fn bump_token_generation(&self) {
        self.inner
            .token_generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// The token with this hash, revoked or not.
    pub async fn find_token(&self, hash: &str) -> Result<Option<TokenRecord>, StoreError> {
        let readers = sqlite_or!(self, pg => pg.find_token(hash).await);
        let row = sqlx::query(
            "SELECT hash, role, scope, label, created_at, revoked_at, expires_at FROM tokens WHERE hash = ?1",
        )
        .bind(hash)
        .fetch_optional(readers)
        .await?;
        row.as_ref().map(decode_token).transpose()
    }

    /// Revoke the token whose hash is `hash_or_prefix` or, failing that, the only one starting
    /// with it. `Ok(true)` if a token was revoked now, `Ok(false)` if none matched or it
    /// already was; more than one match is refused.
    pub async fn revoke_token(&self, hash_or_prefix: &str) -> Result<bool, StoreError> {
        if hash_or_prefix.is_empty() {
            return Err(StoreError::EmptyTokenPrefix);
        }
        let result = self
            .side(SideOp::RevokeToken(hash_or_prefix.to_string()))
            .await;
        self.bump_token_generation();
        result
    }

    /// Every token record, oldest first.
    pub async fn list_tokens(&self) -> Result<Vec<TokenRecord>, StoreError> {
        let readers = sqlite_or!(self, pg => pg.list_tokens().await);
        let rows = sqlx::query(
            "SELECT hash, role, scope, label, created_at, revoked_at, expires_at FROM tokens ORDER BY created_at, hash",
        )
        .fetch_all(readers)
        .await?;
        rows.iter().map(decode_token).collect()
    }
}

fn decode_token(row: &SqliteRow) -> Result<TokenRecord, StoreError> {
    let created_at: String = row.try_get(4)?;
    let revoked_at: Option<String> = row.try_get(5)?;
    let expires_at: Option<String> = row.try_get(6)?;
    Ok(TokenRecord {
        hash: row.try_get(0)?,
        role: row.try_get(1)?,
        scope: row.try_get(2)?,
        label: row.try_get(3)?,
        created_at: time::parse(&created_at)
            .ok_or_else(|| corrupt(0, format!("令牌创建时间无法解析：{created_at}")))?,
        revoked_at: match revoked_at {
            None => None,
            Some(s) => Some(
                time::parse(&s).ok_or_else(|| corrupt(0, format!("令牌撤销时间无法解析：{s}")))?,
            ),
        },
        expires_at: match expires_at {
            None => None,
            Some(s) => Some(
                time::parse(&s).ok_or_else(|| corrupt(0, format!("令牌到期时间无法解析：{s}")))?,
            ),
        },
    })
}
