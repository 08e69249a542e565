//! Scratch PostgreSQL databases for tests and benchmarks: one uniquely named database created on a server, dropped when the handle goes.

use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::error::StoreError;

/// A database created for one test or benchmark run; dropped (with its connections) on drop.
#[derive(Debug)]
pub struct ScratchDatabase {
    admin: String,
    name: String,
    url: String,
}

/// `url` with its database replaced by `database` (query parameters kept).
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let head = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{head}/{database}?{q}"),
        None => format!("{head}/{database}"),
    }
}

impl ScratchDatabase {
    /// Create a database named `prefix_<random>` through the server at `admin_url` (a
    /// database that exists there, with the right to create databases). Fails with a message
    /// naming the URL when no server answers.
    pub async fn create(admin_url: &str, prefix: &str) -> Result<ScratchDatabase, StoreError> {
        let options = PgConnectOptions::from_str(admin_url).map_err(crate::pg::error)?;
        let mut conn = options.connect().await.map_err(|e| StoreError::Unreachable {
            message: format!(
                "PostgreSQL 服务器 {} 无应答（{e}）：测试需要一个 PostgreSQL 服务器，以 DATABASE_URL 指定",
                crate::pg::redact(admin_url)
            ),
        })?;
        let name = format!(
            "{prefix}_{}",
            // The random tail of a UUIDv7.
            uuid::Uuid::now_v7()
                .simple()
                .to_string()
                .get(16..)
                .unwrap_or("0")
        );
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut conn)
            .await
            .map_err(crate::pg::error)?;
        let _ = conn.close().await;
        Ok(ScratchDatabase {
            url: with_database(admin_url, &name),
            admin: admin_url.to_string(),
            name,
        })
    }

    /// The new database's URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        // Drop may run inside or outside a runtime: do the work on a thread of its own.
        let done = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                let Ok(options) = PgConnectOptions::from_str(&admin) else {
                    return;
                };
                if let Ok(mut conn) = options.connect().await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    )))
                    .execute(&mut conn)
                    .await;
                    let _ = conn.close().await;
                }
            });
        });
        let _ = done.join();
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_the_database_of_a_url() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u:p@h/test?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
    }
}
