//! The execution time limit, end to end: a request that runs past it is cut off with TIMEOUT and HTTP 504.

use std::time::Duration;

use dossier_api::ApiConfig;
use dossier_store::{ExpectedVersion, Metadata, NewEvent};
use dossier_tests::spawn_app_with;
use serde_json::json;

/// Events in the log: more than two chunks of the store's scan, so verifying them takes
/// many milliseconds and yields between chunks.
const EVENTS: u64 = 40_000;

#[tokio::test]
async fn a_query_running_past_the_time_limit_is_cut_off_with_timeout() {
    let app = spawn_app_with(ApiConfig {
        timeout: Duration::from_millis(1),
        ..ApiConfig::default()
    })
    .await;
    // A long log, written the way the API records reads of supervision details.
    let on = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    for batch in 0..EVENTS / 1_000 {
        let events = (0..1_000)
            .map(|i| {
                NewEvent::new(
                    "access.Read",
                    1,
                    json!({"actor": "审计", "role": "auditor", "what": "test", "ids": [format!("r{batch}-{i}")]})
                        .to_string(),
                    on,
                )
            })
            .collect();
        app.store
            .append(
                "access-log",
                ExpectedVersion::Any,
                events,
                Metadata::new("test", "system"),
            )
            .await
            .expect("append");
    }
    assert_eq!(app.head().await, EVENTS);

    // Re-hashing 40,000 events takes far longer than 1 ms.
    let reply = app.admin("{ verifyLog { ok checked } }", json!({})).await;
    assert_eq!(reply.status, 504, "{:#}", reply.body);
    assert_eq!(reply.codes(), ["TIMEOUT"], "{:#}", reply.body);
    let message = reply.first_error()["message"].as_str().unwrap();
    assert!(message.contains("1 毫秒"), "{message}");
    assert_eq!(
        app.head().await,
        EVENTS,
        "a timed-out request writes nothing"
    );
}
