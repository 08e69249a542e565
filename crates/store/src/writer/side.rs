//! Writes to the side tables (snapshots, tokens), serialized through the writer's connection.

use chrono::Utc;
use sqlx::{Row, SqliteConnection};

use super::SideOp;
use super::statements::to_i64;
use crate::error::StoreError;

pub(super) async fn side_op(conn: &mut SqliteConnection, op: SideOp) -> Result<bool, StoreError> {
    let now = crate::time::format(&Utc::now());
    match op {
        SideOp::SaveSnapshot(s) => {
            sqlx::query(
                "INSERT INTO snapshots (name, version, position, data, saved_at, chain_hash) \
                 VALUES (?1, ?2, ?3, ?4, ?5, (SELECT hash FROM events WHERE position = ?3)) \
                 ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, \
                 data = excluded.data, saved_at = excluded.saved_at, chain_hash = excluded.chain_hash",
            )
            .bind(s.name)
            .bind(i64::from(s.version))
            .bind(to_i64(s.position))
            .bind(s.data)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            Ok(true)
        }
        SideOp::DeleteSnapshots => {
            sqlx::query("DELETE FROM snapshots")
                .execute(&mut *conn)
                .await?;
            Ok(true)
        }
        SideOp::PutToken(t) => {
            sqlx::query(
                "INSERT INTO tokens (hash, role, scope, label, created_at, revoked_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (hash) DO UPDATE SET role = excluded.role, scope = excluded.scope, \
                 label = excluded.label, created_at = excluded.created_at, revoked_at = excluded.revoked_at, \
                 expires_at = excluded.expires_at",
            )
            .bind(t.hash)
            .bind(t.role)
            .bind(t.scope)
            .bind(t.label)
            .bind(crate::time::format(&t.created_at))
            .bind(t.revoked_at.as_ref().map(crate::time::format))
            .bind(t.expires_at.as_ref().map(crate::time::format))
            .execute(&mut *conn)
            .await?;
            Ok(true)
        }
        SideOp::RevokeToken(prefix) => {
            let rows = sqlx::query(
                "SELECT hash, revoked_at FROM tokens WHERE substr(hash, 1, length(?1)) = ?1",
            )
            .bind(prefix.as_str())
            .fetch_all(&mut *conn)
            .await?;
            let mut matches: Vec<(String, Option<String>)> = Vec::with_capacity(rows.len());
            for r in rows {
                matches.push((r.try_get(0)?, r.try_get(1)?));
            }
            let target = if let Some(exact) = matches.iter().find(|(h, _)| *h == prefix) {
                exact.clone()
            } else {
                match matches.as_slice() {
                    [] => return Ok(false),
                    [one] => one.clone(),
                    many => {
                        return Err(StoreError::AmbiguousTokenPrefix {
                            prefix,
                            matches: many.len(),
                        });
                    }
                }
            };
            if target.1.is_some() {
                return Ok(false);
            }
            sqlx::query("UPDATE tokens SET revoked_at = ?1 WHERE hash = ?2")
                .bind(now)
                .bind(target.0)
                .execute(&mut *conn)
                .await?;
            Ok(true)
        }
    }
}
