//! A refused field is nullable: the refusal nulls that field alone (with its FORBIDDEN error) and the response keeps the schema's shape for every role.

use dossier_domain::Role;
use dossier_tests::{TestApp, spawn_app};
use serde_json::{Value, json};

use crate::flow::setup;

/// Every role that may read the object, with a token.
async fn readers(app: &TestApp) -> Vec<(&'static str, String)> {
    vec![
        ("org_admin", app.admin.clone()),
        (
            "discipline",
            app.token(Role::DisciplineInspector, None).await,
        ),
        (
            "unit_head_fgw",
            app.token(Role::UnitHead, Some("fgw")).await,
        ),
        ("cadre_c001", app.token(Role::Cadre, Some("c001")).await),
        ("auditor", app.token(Role::Auditor, None).await),
        ("analyst", app.token(Role::Analyst, None).await),
    ]
}

/// Assert `object` is an object holding every one of `keys` (null or not).
#[track_caller]
fn has_keys(who: &str, object: &Value, keys: &[&str], body: &Value) {
    let map = object
        .as_object()
        .unwrap_or_else(|| panic!("{who}: not an object: {body:#}"));
    for key in keys {
        assert!(map.contains_key(*key), "{who}: `{key}` missing: {body:#}");
    }
}

#[tokio::test]
async fn responses_for_every_role_keep_the_schemas_shape() {
    let app = spawn_app().await;
    setup(&app).await;
    let profile = "{ cadre(id: \"c001\") { name rank supervision { count } accountability } }";
    let care = "{ dashboards(asOf: \"2025-12-31\") { care { appeals typicalCases overdue { appealId } } } }";
    for (who, token) in readers(&app).await {
        let reply = app.gql(Some(&token), profile, json!({})).await;
        let supervisor = matches!(who, "org_admin" | "discipline");
        if who != "analyst" {
            has_keys(
                who,
                &reply.body["data"]["cadre"],
                &["name", "rank", "supervision", "accountability"],
                &reply.body,
            );
            let cadre = &reply.body["data"]["cadre"];
            assert_eq!(cadre["name"], "张明", "{who}: {:#}", reply.body);
            assert_eq!(
                cadre["supervision"].is_null(),
                !supervisor,
                "{who}: {:#}",
                reply.body
            );
            assert_eq!(
                cadre["accountability"].is_null(),
                !supervisor,
                "{who}: {:#}",
                reply.body
            );
            let forbidden = reply.codes().iter().filter(|c| *c == "FORBIDDEN").count();
            assert_eq!(
                forbidden,
                if supervisor { 0 } else { 2 },
                "{who}: {:#}",
                reply.body
            );
        }
        if matches!(who, "org_admin" | "discipline" | "auditor" | "analyst") {
            let reply = app.gql(Some(&token), care, json!({})).await;
            let care = &reply.body["data"]["dashboards"]["care"];
            has_keys(
                who,
                care,
                &["appeals", "typicalCases", "overdue"],
                &reply.body,
            );
            assert_eq!(
                care["overdue"].is_null(),
                who == "analyst",
                "{who}: {:#}",
                reply.body
            );
        }
    }
}

#[tokio::test]
async fn a_refused_root_field_is_null_alone_and_the_other_root_fields_answer() {
    let app = spawn_app().await;
    setup(&app).await;
    let analyst = app.token(Role::Analyst, None).await;
    let reply = app
        .gql(
            Some(&analyst),
            "{ dashboards { figures { value } } leads { nodes { leadId } } eventLog { head } }",
            json!({}),
        )
        .await;
    assert!(
        reply.body["data"]["dashboards"]["figures"].is_array(),
        "{:#}",
        reply.body
    );
    for refused in ["leads", "eventLog"] {
        assert!(
            reply.body["data"]
                .as_object()
                .is_some_and(|d| d.contains_key(refused) && d[refused].is_null()),
            "`{refused}` is present and null: {:#}",
            reply.body
        );
    }
    assert_eq!(
        reply.codes(),
        ["FORBIDDEN", "FORBIDDEN"],
        "{:#}",
        reply.body
    );
    let paths: Vec<&Value> = reply.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["path"])
        .collect();
    assert!(paths.contains(&&json!(["leads"])), "{paths:?}");
    assert!(paths.contains(&&json!(["eventLog"])), "{paths:?}");
}
