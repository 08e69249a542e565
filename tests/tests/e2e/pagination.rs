//! The cadre list pages as Relay clients use it: `endCursor` fed back as `after` continues where the page ended, through to the last page; a cursor the server never served is refused.

use dossier_tests::{id_number, spawn_app};
use serde_json::json;

use crate::flow::setup;

const PAGE: &str = "query($after: String) { cadres(first: 2, after: $after) { edges { cursor node { cadreId } } pageInfo { hasNextPage endCursor } } }";

#[tokio::test]
async fn end_cursor_fed_back_as_after_walks_every_page_once() {
    let app = spawn_app().await;
    setup(&app).await;
    for n in 2..=6 {
        app.admin(
            "mutation($id: String!, $cadre: String!) { registerCadre(input: {cadreId: $cadre, name: \"李华\", idNumber: $id, unitId: \"fgw\"}, meta: {effective: \"2021-01-01\"}) { streamVersion } }",
            json!({"id": id_number("1988-08-08", n), "cadre": format!("c{n:03}")}),
        )
        .await
        .ok();
    }
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..10 {
        let reply = app.admin(PAGE, json!({ "after": after })).await;
        reply.ok();
        let connection = reply.data("cadres");
        for edge in connection["edges"].as_array().unwrap() {
            seen.push(edge["node"]["cadreId"].as_str().unwrap().to_owned());
        }
        if connection["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = connection["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
    }
    assert_eq!(
        seen,
        ["c001", "c002", "c003", "c004", "c005", "c006"],
        "pages overlapped or stopped early"
    );
    // A cursor of an edge continues after that edge too.
    let reply = app.admin(PAGE, json!({ "after": null })).await;
    let first_cursor = reply
        .data("cadres.edges.0.cursor")
        .as_str()
        .unwrap()
        .to_owned();
    let reply = app.admin(PAGE, json!({ "after": first_cursor })).await;
    assert_eq!(reply.data("cadres.edges.0.node.cadreId"), "c002");
    // A cursor never served is refused, not read as "from the start".
    let reply = app.admin(PAGE, json!({ "after": "c0020" })).await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
}
