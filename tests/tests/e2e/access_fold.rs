//! The access log the API writes for every audited read is passed over by the read models: it is not counted as undecodable, live or in a rebuild.

use std::time::Duration;

use dossier_tests::spawn_app;
use serde_json::json;

use crate::flow::setup;

#[tokio::test]
async fn audited_reads_are_not_counted_as_undecodable_events() {
    let app = spawn_app().await;
    setup(&app).await;
    let before = app.head().await;
    for _ in 0..3 {
        app.admin(
            "{ supervisionRecords(cadreId: \"c001\") { type } }",
            json!({}),
        )
        .await
        .ok();
    }
    let head = app.head().await;
    assert_eq!(
        head,
        before + 3,
        "each audited read appends one access.Read"
    );
    let events = app
        .admin(
            "query($a: Position!) { eventLog(after: $a) { events { streamId type } } }",
            json!({"a": before}),
        )
        .await;
    assert_eq!(
        events.data("eventLog.events.0"),
        &json!({"streamId": "access-log", "type": "access.Read"})
    );
    app.projections
        .wait_for(head, Duration::from_secs(10))
        .await
        .expect("followed");
    assert_eq!(app.projections.status().undecodable, 0, "live follow");
    app.projections.rebuild().await.expect("rebuilt");
    assert_eq!(app.projections.status().undecodable, 0, "replay");
}
