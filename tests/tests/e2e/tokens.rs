//! Tokens: issued once in plaintext, stored as hashes, scoped by role, revocable.

use dossier_domain::Role;
use dossier_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn an_admin_issues_a_token_that_then_authenticates() {
    let app = spawn_app().await;
    crate::flow::setup(&app).await;
    let reply = app
        .admin(
            "mutation { createToken(role: UNIT_HEAD, scope: \"fgw\", label: \"发改委负责人\") }",
            json!({}),
        )
        .await;
    reply.ok();
    let token = reply.data("createToken").as_str().unwrap().to_owned();
    assert!(
        token.starts_with("dos_") && token.len() == 4 + 64,
        "{token}"
    );
    let me = app
        .gql(Some(&token), "{ me { role scope } }", json!({}))
        .await;
    me.ok();
    assert_eq!(me.data("me.role"), "UNIT_HEAD");
    assert_eq!(me.data("me.scope"), "fgw");
    // Only the hash is stored.
    let stored = app.store.list_tokens().await.unwrap();
    assert!(
        stored
            .iter()
            .all(|t| t.hash != token && !t.hash.contains(&token[4..]))
    );
    let listed = app
        .admin("{ tokens { hash role scope label revoked } }", json!({}))
        .await;
    listed.ok();
    let text = listed.body.to_string();
    assert!(
        text.contains("发改委负责人") && !text.contains(&token[4..]),
        "{text}"
    );
    // Each token's role is the role enum `createToken` took.
    let issued = listed
        .data("tokens")
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["label"] == "发改委负责人")
        .cloned()
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        (&issued["role"], &issued["scope"], &issued["revoked"]),
        (&json!("UNIT_HEAD"), &json!("fgw"), &json!(false))
    );
}

#[tokio::test]
async fn a_websocket_with_an_unknown_token_is_refused() {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};
    let app = spawn_app().await;
    let mut request = app.ws_url().into_client_request().unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let fake = format!("Bearer dos_{}", "cd".repeat(32));
    ws.send(Message::text(
        json!({"type": "connection_init", "payload": {"Authorization": fake}}).to_string(),
    ))
    .await
    .unwrap();
    let closed = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while let Some(msg) = ws.next().await {
            match msg {
                Ok(Message::Close(frame)) => return frame.map(|f| u16::from(f.code)),
                Ok(Message::Text(t)) => assert!(
                    !t.contains("connection_ack"),
                    "acknowledged an unknown token: {t}"
                ),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        None
    })
    .await
    .expect("the server closes the connection");
    // Closed without an acknowledgement (async-graphql closes with a protocol-error code).
    assert!(
        closed.is_some_and(|code| code != 1000),
        "closed as refused: {closed:?}"
    );
}

#[tokio::test]
async fn a_revoked_token_no_longer_authenticates() {
    let app = spawn_app().await;
    let token = app.token(Role::Auditor, None).await;
    app.gql(Some(&token), "{ me { role } }", json!({}))
        .await
        .ok();
    let hash = dossier_api::tokens::hash(&token);
    let reply = app
        .admin(
            "mutation($h: String!) { revokeToken(hashPrefix: $h) }",
            json!({"h": &hash[..16]}),
        )
        .await;
    reply.ok();
    assert_eq!(reply.data("revokeToken"), true);
    let after = app.gql(Some(&token), "{ me { role } }", json!({})).await;
    assert_eq!(after.status, 401);
    assert_eq!(after.codes(), ["UNAUTHENTICATED"]);
}

/// What `dossier token revoke` run beside the server does: its own handle on the same file.
async fn revoke_from_another_process(app: &dossier_tests::TestApp, token: &str) {
    let other = dossier_store::Store::open(app.store.path(), Default::default())
        .await
        .unwrap();
    let hash = dossier_api::tokens::hash(token);
    assert!(dossier_api::tokens::revoke(&other, &hash).await.unwrap());
    other.close().await;
}

#[tokio::test]
async fn a_token_revoked_from_another_process_stops_working_within_the_cache_lifetime() {
    let ttl = std::time::Duration::from_millis(300);
    let app = dossier_tests::spawn_app_with(dossier_api::ApiConfig {
        token_cache_ttl: ttl,
        ..Default::default()
    })
    .await;
    let token = app.token(Role::Auditor, None).await;
    app.gql(Some(&token), "{ me { role } }", json!({}))
        .await
        .ok();
    revoke_from_another_process(&app, &token).await;
    tokio::time::sleep(ttl + std::time::Duration::from_millis(100)).await;
    let after = app.gql(Some(&token), "{ me { role } }", json!({})).await;
    assert_eq!(after.status, 401, "{:#}", after.body);
    assert_eq!(after.codes(), ["UNAUTHENTICATED"]);
}

#[tokio::test]
async fn with_no_token_cache_a_revocation_from_another_process_applies_at_once() {
    let app = dossier_tests::spawn_app_with(dossier_api::ApiConfig {
        token_cache_ttl: std::time::Duration::ZERO,
        ..Default::default()
    })
    .await;
    let token = app.token(Role::Analyst, None).await;
    app.gql(Some(&token), "{ me { role } }", json!({}))
        .await
        .ok();
    revoke_from_another_process(&app, &token).await;
    let after = app.gql(Some(&token), "{ me { role } }", json!({})).await;
    assert_eq!(after.codes(), ["UNAUTHENTICATED"]);
}

#[tokio::test]
async fn only_the_organization_department_issues_tokens() {
    let app = spawn_app().await;
    for role in [Role::DisciplineInspector, Role::Auditor, Role::Analyst] {
        let token = app.token(role, None).await;
        let reply = app
            .gql(
                Some(&token),
                "mutation { createToken(role: ORG_ADMIN, label: \"x\") }",
                json!({}),
            )
            .await;
        assert_eq!(reply.codes(), ["FORBIDDEN"], "{role:?}: {:#}", reply.body);
    }
}

#[tokio::test]
async fn scoped_roles_need_a_scope() {
    let app = spawn_app().await;
    let reply = app
        .admin(
            "mutation { createToken(role: CADRE, label: \"无范围\") }",
            json!({}),
        )
        .await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
}

#[tokio::test]
async fn an_expired_token_is_unauthenticated_even_while_cached() {
    let app = dossier_tests::spawn_app().await;
    let plaintext = "dos_expiring-token-for-the-test";
    app.store
        .put_token(dossier_store::TokenRecord {
            hash: dossier_api::tokens::hash(plaintext),
            role: "auditor".into(),
            scope: None,
            label: Some("到期".into()),
            created_at: chrono::Utc::now(),
            revoked_at: None,
            expires_at: Some(chrono::Utc::now() + chrono::Duration::milliseconds(1500)),
        })
        .await
        .unwrap();
    app.gql(Some(plaintext), "{ me { role } }", json!({}))
        .await
        .ok();
    // Past its expiry, within the token cache's lifetime.
    tokio::time::sleep(std::time::Duration::from_millis(1700)).await;
    let after = app.gql(Some(plaintext), "{ me { role } }", json!({})).await;
    assert_eq!(after.status, 401, "{:#}", after.body);
    assert_eq!(after.codes(), ["UNAUTHENTICATED"]);
}

#[tokio::test]
async fn a_token_scoped_to_an_unregistered_cadre_or_unit_is_refused() {
    let app = spawn_app().await;
    crate::flow::setup(&app).await;
    for (role, scope) in [
        ("CADRE", "nobody"),
        ("UNIT_HEAD", "no-such-unit"),
        ("UNIT_HEAD", "c001"),
    ] {
        let before = app.store.list_tokens().await.unwrap().len();
        let reply = app
            .admin(
                "mutation($r: RoleName!, $s: String) { createToken(role: $r, scope: $s, label: \"x\") }",
                json!({"r": role, "s": scope}),
            )
            .await;
        assert_eq!(
            reply.codes(),
            ["VALIDATION"],
            "{role} {scope}: {:#}",
            reply.body
        );
        assert!(
            reply.body.to_string().contains(scope),
            "the refusal names the scope: {:#}",
            reply.body
        );
        assert_eq!(app.store.list_tokens().await.unwrap().len(), before);
    }
    let reply = app
        .admin(
            "mutation { createToken(role: CADRE, scope: \"c001\", label: \"本人\") }",
            json!({}),
        )
        .await;
    reply.ok();
}
