//! Following other processes' commits on PostgreSQL: LISTEN/NOTIFY wakes subscriptions at once, a slow poll of the head is the fallback.
//!
//! Every commit notifies [`super::LOG_CHANNEL`] with its new head position; the follower moves
//! this process's head (the `watch` every [`crate::Subscription`] waits on) forward, and the
//! subscriptions read `position > checkpoint` from the database, so nothing is lost if a
//! notification is: after a lost connection the follower reads the head again (notifications
//! are not durable) and the subscriptions re-read from their checkpoints. Whatever happens to
//! the listening connection, the head is also polled every [`POLL`]. A token created or
//! revoked anywhere notifies [`super::TOKEN_CHANNEL`]: the token generation is bumped, so the
//! caches of valid tokens on every replica drop what they hold.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use tokio::sync::{oneshot, watch};

use super::{LOG_CHANNEL, TOKEN_CHANNEL, head_position};

/// How often the head is read when no notification arrives (the fallback).
pub(crate) const POLL: Duration = Duration::from_secs(1);

fn advance(head: &watch::Sender<u64>, position: u64) {
    head.send_if_modified(|h| {
        if position > *h {
            *h = position;
            true
        } else {
            false
        }
    });
}

/// Read the head from the database and move ours forward to it.
async fn resync(pool: &PgPool, head: &watch::Sender<u64>) {
    match head_position(pool).await {
        Ok(p) => advance(head, p),
        Err(e) => tracing::debug!(error = %e, "log head not read; retried at the next poll"),
    }
}

/// Follow the log until `stop` fires (or its sender, the writer, is gone).
pub(crate) async fn follow(
    connect: PgConnectOptions,
    pool: PgPool,
    head: Arc<watch::Sender<u64>>,
    tokens: Arc<AtomicU64>,
    mut stop: oneshot::Receiver<()>,
) {
    let listening = tokio::spawn(listen(connect, pool.clone(), head.clone(), tokens.clone()));
    loop {
        tokio::select! {
            _ = &mut stop => break,
            () = tokio::time::sleep(POLL) => resync(&pool, &head).await,
        }
    }
    listening.abort();
    let _ = listening.await;
}

async fn listen(
    connect: PgConnectOptions,
    pool: PgPool,
    head: Arc<watch::Sender<u64>>,
    tokens: Arc<AtomicU64>,
) {
    let own = PgPoolOptions::new()
        .max_connections(1)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(10))
        .connect_lazy_with(connect);
    loop {
        let mut listener = match PgListener::connect_with(&own).await {
            Ok(l) => l,
            Err(e) => {
                tracing::debug!(error = %e, "cannot listen for commits; polling meanwhile");
                tokio::time::sleep(POLL).await;
                continue;
            }
        };
        if let Err(e) = listener.listen_all([LOG_CHANNEL, TOKEN_CHANNEL]).await {
            tracing::debug!(error = %e, "LISTEN failed; polling meanwhile");
            tokio::time::sleep(POLL).await;
            continue;
        }
        // Whatever was committed before we listened is read now.
        resync(&pool, &head).await;
        tokens.fetch_add(1, Ordering::AcqRel);
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) if n.channel() == LOG_CHANNEL => match n.payload().parse::<u64>() {
                    Ok(p) => advance(&head, p),
                    Err(_) => resync(&pool, &head).await,
                },
                Ok(Some(_)) => {
                    tokens.fetch_add(1, Ordering::AcqRel);
                }
                Ok(None) => {
                    // The connection was lost (it is reopened by the next call): notifications
                    // sent meanwhile are gone, so read the head and let every cache refresh.
                    tracing::warn!("lost the LISTEN connection; re-reading the log head");
                    resync(&pool, &head).await;
                    tokens.fetch_add(1, Ordering::AcqRel);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "LISTEN connection failed; reconnecting");
                    tokio::time::sleep(POLL).await;
                    break;
                }
            }
        }
    }
}
