//! What only the PostgreSQL log has to prove: several writers (separate handles, as separate processes are) share one gapless, ordered chain; followers see every commit of every writer; the database itself refuses to change the log; a log moves between SQLite and PostgreSQL with identical positions and hashes.

mod common;

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::time::Duration;

use common::{ev, meta};
use dossier_store::{
    CommandOrigin, ExpectedVersion, ImportedEvent, Store, StoreOptions, VerifyReport,
};

async fn open(url: &str) -> Store {
    open_with(url, StoreOptions::default()).await
}

async fn open_with(url: &str, options: StoreOptions) -> Store {
    Store::open(url, options)
        .await
        .expect("open the PostgreSQL log")
}

/// Every event of `store` as an import batch (what `dossier export` writes).
async fn exported(store: &Store) -> Vec<ImportedEvent> {
    let mut out = Vec::new();
    store
        .scan(0, |e| {
            out.push(ImportedEvent::copy_of(e).expect("a sound log"));
            ControlFlow::Continue(())
        })
        .await
        .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_on_four_handles_get_gapless_positions_in_commit_order() {
    four_handles_race(StoreOptions::default()).await;
}

/// The same race with each group first tried in two round trips (the head lock only when
/// another handle moved the head meanwhile).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_on_four_handles_get_gapless_positions_when_groups_go_in_two_round_trips()
 {
    four_handles_race(StoreOptions {
        optimistic_groups: true,
        ..StoreOptions::default()
    })
    .await;
}

async fn four_handles_race(options: StoreOptions) {
    let db = common::scratch().await;
    let mut handles = Vec::new();
    for _ in 0..4 {
        handles.push(open_with(db.url(), options.clone()).await);
    }
    // A follower on a fifth handle, started before any write.
    let follower = open(db.url()).await;
    let mut sub = follower.subscribe(0);
    let mut tasks = Vec::new();
    for (h, store) in handles.iter().enumerate() {
        for w in 0..16 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let mut acked = Vec::new();
                for i in 0..10u64 {
                    let r = store
                        .append(
                            &format!("h{h}-w{w}"),
                            ExpectedVersion::Exact(i),
                            vec![ev("A", i)],
                            meta(),
                        )
                        .await
                        .expect("append");
                    acked.push(r.first_position);
                }
                acked
            }));
        }
    }
    let mut acked = Vec::new();
    for t in tasks {
        acked.extend(t.await.unwrap());
    }
    let total = 4 * 16 * 10;
    acked.sort_unstable();
    assert_eq!(
        acked,
        (1..=total).collect::<Vec<u64>>(),
        "every acknowledged position once, no gap"
    );
    // The follower sees 1..=total in order, each once, although it wrote nothing itself.
    let mut seen = Vec::new();
    while seen.len() < total as usize {
        let e = tokio::time::timeout(Duration::from_secs(20), sub.next())
            .await
            .expect("the follower is woken by other handles' commits")
            .unwrap()
            .unwrap();
        seen.push(e.position);
    }
    assert_eq!(seen, (1..=total).collect::<Vec<u64>>());
    assert_eq!(
        follower.verify().await.unwrap(),
        VerifyReport::Ok { checked: total }
    );
    // Per stream, versions follow positions (commit order is position order).
    let all = follower.read_all(0, 10_000).await.unwrap();
    let mut last: std::collections::HashMap<String, (u64, u64)> = Default::default();
    for e in &all {
        if let Some((v, p)) = last.get(&e.stream_id) {
            assert_eq!(e.stream_version, v + 1);
            assert!(e.position > *p);
        }
        last.insert(e.stream_id.clone(), (e.stream_version, e.position));
    }
    for s in handles {
        s.close().await;
    }
    follower.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_racing_writers_on_two_handles_exactly_one_wins_each_version() {
    let db = common::scratch().await;
    let a = open(db.url()).await;
    let b = open(db.url()).await;
    let mut tasks = Vec::new();
    for i in 0..40u64 {
        let s = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            s.append("race", ExpectedVersion::Exact(0), vec![ev("A", i)], meta())
                .await
        }));
    }
    let mut wins = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => wins += 1,
            Err(e) => assert_eq!(e.code(), "conflict"),
        }
    }
    assert_eq!(wins, 1);
    assert_eq!(a.head().await.unwrap(), 1);
    a.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_id_is_answered_once_across_handles() {
    let db = common::scratch().await;
    let a = open(db.url()).await;
    let b = open(db.url()).await;
    let origin = CommandOrigin::new("clerk/1", b"input");
    let write = |s: &str| {
        vec![dossier_store::StreamWrite {
            stream_id: s.to_string(),
            expected: ExpectedVersion::Any,
            events: vec![ev("A", 1)],
        }]
    };
    let first = a
        .append_multi_from(
            write("s"),
            meta().with_command_id("cmd-1"),
            Some(origin.clone()),
        )
        .await
        .unwrap();
    let again = b
        .append_multi_from(
            write("s"),
            meta().with_command_id("cmd-1"),
            Some(origin.clone()),
        )
        .await
        .unwrap();
    assert!(again[0].deduplicated);
    assert_eq!(again[0].first_position, first[0].first_position);
    let other = b
        .append_multi_from(
            write("s"),
            meta().with_command_id("cmd-1"),
            Some(CommandOrigin::new("clerk/2", b"input")),
        )
        .await
        .unwrap_err();
    assert_eq!(other.code(), "idempotency_key_reused");
    assert_eq!(b.head().await.unwrap(), 1, "nothing appended twice");
    a.close().await;
    b.close().await;
}

#[tokio::test]
async fn the_database_refuses_to_update_delete_or_truncate_the_log() {
    let db = common::scratch().await;
    let store = open(db.url()).await;
    store
        .append(
            "s",
            ExpectedVersion::Any,
            vec![ev("A", 1), ev("A", 2)],
            meta(),
        )
        .await
        .unwrap();
    let pool = sqlx::PgPool::connect(db.url()).await.unwrap();
    for sql in [
        "UPDATE events SET payload = '{\"n\":9}' WHERE position = 1",
        "DELETE FROM events WHERE position = 2",
        "TRUNCATE events",
        "UPDATE log_head SET position = 0",
        "DELETE FROM log_head",
    ] {
        let err = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(
            err.to_string().contains("append_only"),
            "{sql} refused by the database: {err}"
        );
    }
    assert_eq!(
        store.verify().await.unwrap(),
        VerifyReport::Ok { checked: 2 }
    );
    pool.close().await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_moves_from_sqlite_to_postgresql_and_back_with_identical_positions_and_hashes() {
    let (_dir, sqlite) = common::fresh_sqlite().await;
    for i in 0..300u64 {
        let mut m = meta().with_command_id(format!("c-{i}"));
        m.basis = Some("决定书".into());
        sqlite
            .append(
                &format!("cadre-{}", i % 17),
                ExpectedVersion::Any,
                vec![ev("cadre.Registered", i)],
                m,
            )
            .await
            .unwrap();
    }
    let anchor = sqlite.anchor().await.unwrap().unwrap();
    let events = exported(&sqlite).await;

    let db = common::scratch().await;
    let pg = open(db.url()).await;
    for batch in events.chunks(128) {
        pg.import(batch.to_vec()).await.unwrap();
    }
    assert_eq!(
        pg.verify().await.unwrap(),
        VerifyReport::Ok { checked: 300 }
    );
    assert_eq!(pg.anchor().await.unwrap(), Some(anchor.clone()));
    assert_eq!(
        pg.check_anchor(anchor.0, &anchor.1).await.unwrap(),
        dossier_store::AnchorCheck::Matches
    );
    assert_eq!(
        pg.read_all(0, 1000).await.unwrap(),
        sqlite.read_all(0, 1000).await.unwrap()
    );
    // The chain continues on PostgreSQL as it would have on SQLite.
    let next = pg
        .append("cadre-1", ExpectedVersion::Any, vec![ev("A", 1)], meta())
        .await
        .unwrap();
    assert_eq!(next.first_position, 301);

    // And back: PostgreSQL → a new SQLite file.
    let (_back_dir, back) = common::fresh_sqlite().await;
    let events = exported(&pg).await;
    back.import(events).await.unwrap();
    assert_eq!(
        back.verify().await.unwrap(),
        VerifyReport::Ok { checked: 301 }
    );
    assert_eq!(back.anchor().await.unwrap(), pg.anchor().await.unwrap());
    let ids: HashSet<_> = back
        .read_all(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event_id)
        .collect();
    assert_eq!(ids.len(), 301);
    pg.close().await;
    sqlite.close().await;
    back.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_whose_connections_are_killed_resumes_from_its_checkpoint() {
    let db = common::scratch().await;
    let writer = open(db.url()).await;
    let follower = open(db.url()).await;
    let mut sub = follower.subscribe(0);
    for i in 0..5u64 {
        writer
            .append("s", ExpectedVersion::Any, vec![ev("A", i)], meta())
            .await
            .unwrap();
    }
    for p in 1..=5 {
        assert_eq!(sub.next().await.unwrap().unwrap().position, p);
    }
    // Kill every connection to the database (the follower's LISTEN connection among them).
    let admin = sqlx::PgPool::connect(&common::server_url()).await.unwrap();
    let name = db.url().rsplit('/').next().unwrap().to_string();
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind(&name)
    .execute(&admin)
    .await
    .unwrap();
    // Writes may fail while connections are replaced; each is retried with its command id.
    for i in 5..10u64 {
        let m = meta().with_command_id(format!("after-kill-{i}"));
        let mut tries = 0;
        loop {
            match writer
                .append("s", ExpectedVersion::Any, vec![ev("A", i)], m.clone())
                .await
            {
                Ok(_) => break,
                Err(e) if e.is_fault() && tries < 20 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("append after the kill: {e}"),
            }
        }
    }
    for p in 6..=10 {
        let e = tokio::time::timeout(Duration::from_secs(20), sub.next())
            .await
            .expect("the follower resumes")
            .unwrap()
            .unwrap();
        assert_eq!(e.position, p);
    }
    assert_eq!(
        follower.verify().await.unwrap(),
        VerifyReport::Ok { checked: 10 }
    );
    admin.close().await;
    writer.close().await;
    follower.close().await;
}

/// Given two processes (two handles) each deciding a command under a cross-stream rule on the
/// same facts, when both append at once, then the head lock lets exactly one commit: the other
/// is refused with `exclusive_moved` and nothing of it is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_guarded_appends_on_two_handles_decided_on_the_same_facts_exactly_one_commits() {
    use dossier_store::{ExclusiveGuard, StreamWrite};
    let db = common::scratch().await;
    let a = open(db.url()).await;
    let b = open(db.url()).await;
    for round in 0..10u64 {
        let h = a.head().await.unwrap();
        let mut tasks = Vec::new();
        for (i, s) in [a.clone(), b.clone()].into_iter().enumerate() {
            tasks.push(tokio::spawn(async move {
                s.append_guarded(
                    vec![StreamWrite {
                        stream_id: format!("cadre-{round}-{i}"),
                        expected: ExpectedVersion::NoStream,
                        events: vec![ev("Registered", round)],
                    }],
                    meta(),
                    None,
                    Some(ExclusiveGuard::new(h)),
                )
                .await
            }));
        }
        let mut won = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => won += 1,
                Err(e) => assert_eq!(e.code(), "exclusive_moved", "{e}"),
            }
        }
        assert_eq!(won, 1, "round {round}");
        assert_eq!(a.head().await.unwrap(), h + 1, "round {round}");
    }
    a.close().await;
    b.close().await;
}
