//! 任免审批表 over GraphQL: `importLrmx` enters the person through the commands (dry run first,
//! a bad file refused by field with nothing written), `lrmx` gives the form back as of a date.

use dossier_domain::{Role, lrmx};
use dossier_tests::spawn_app;
use serde_json::json;

const IMPORT: &str = "mutation($content: String!, $dry: Boolean!) { importLrmx(input: {unitId: \"u01\", fileName: \"li-hua.lrmx\", content: $content, effective: \"2025-07-01\", dryRun: $dry}) { cadreId name created alreadyImported events problems { file field code message } } }";

fn example() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples/lrmx/li-hua.lrmx"),
    )
    .expect("example file")
}

#[tokio::test]
async fn an_imported_form_is_entered_once_and_read_back_as_of_a_date() {
    let app = spawn_app().await;
    app.admin(
        "mutation { registerUnit(input: {unitId: \"u01\", name: \"姜堰区行政审批局\"}, meta: {effective: \"2020-01-01\"}) { streamVersion } }",
        json!({}),
    )
    .await
    .ok();
    let content = example();
    let before = app.head().await;
    let dry = app
        .admin(IMPORT, json!({"content": content, "dry": true}))
        .await;
    dry.ok();
    assert_eq!(dry.data("importLrmx.created"), &json!(false));
    assert_eq!(dry.data("importLrmx.events"), &json!(5));
    assert_eq!(app.head().await, before, "a dry run writes nothing");

    let bad = content.replace("321204198504121235", "321204198504121236");
    let reply = app
        .admin(IMPORT, json!({"content": bad, "dry": true}))
        .await;
    assert_eq!(
        reply.data("importLrmx.problems.0.field"),
        &json!("ShenFenZheng")
    );
    let reply = app
        .admin(IMPORT, json!({"content": bad, "dry": false}))
        .await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
    assert_eq!(
        reply.first_error()["extensions"]["rule"],
        "ID_NUMBER_CHECK_DIGIT"
    );
    assert_eq!(app.head().await, before, "a bad file writes nothing");

    let done = app
        .admin(IMPORT, json!({"content": content, "dry": false}))
        .await;
    done.ok();
    assert_eq!(done.data("importLrmx.created"), &json!(true));
    let cadre = done.data("importLrmx.cadreId").as_str().unwrap().to_owned();
    let again = app
        .admin(IMPORT, json!({"content": content, "dry": false}))
        .await;
    assert_eq!(again.data("importLrmx.alreadyImported"), &json!(true));

    let query = "query($id: ID!, $on: Date!) { lrmx(cadreId: $id, asOf: $on) }";
    let form = app
        .admin(query, json!({"id": cadre, "on": "2025-07-01"}))
        .await;
    form.ok();
    let back = lrmx::parse(form.data("lrmx").as_str().unwrap()).unwrap();
    let mut original = lrmx::parse(&content).unwrap();
    original.extra.retain(|_, v| !v.is_empty());
    let mut back_kept = back.clone();
    back_kept.extra.retain(|_, v| !v.is_empty());
    assert_eq!(back_kept, original);
    let early = app
        .admin(query, json!({"id": cadre, "on": "2025-06-30"}))
        .await;
    assert_eq!(early.codes(), ["NOT_FOUND"], "{:#}", early.body);

    let analyst = app.token(Role::Analyst, None).await;
    let refused = app
        .gql(
            Some(&analyst),
            query,
            json!({"id": cadre, "on": "2025-07-01"}),
        )
        .await;
    assert_eq!(refused.codes(), ["FORBIDDEN"], "{:#}", refused.body);
}
