//! End-to-end suite support: `spawn_app()` starts Dossier's router on port 0 with a fresh database file, and a small GraphQL client.

use std::net::SocketAddr;

use dossier_api::{ApiConfig, AppState, tokens};
use dossier_domain::Role;
use dossier_projections::{ProjectionOptions, Projections};
use dossier_store::{Store, StoreOptions};
use serde_json::{Value, json};

/// A running Dossier API on a fresh database.
pub struct TestApp {
    pub addr: SocketAddr,
    pub store: Store,
    pub projections: Projections,
    pub client: reqwest::Client,
    /// A 组织部 admin token.
    pub admin: String,
    _dir: tempfile::TempDir,
}

/// Start the API with default settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(ApiConfig::default()).await
}

/// Start the API with these settings on port 0, over a new database file in a temporary directory.
pub async fn spawn_app_with(config: ApiConfig) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open(dir.path().join("dossier.db"), StoreOptions::default())
        .await
        .expect("open store");
    let (projections, _runner) = Projections::start(store.clone(), ProjectionOptions::default());
    let state = AppState::new(store.clone(), projections.clone(), config.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind port 0");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        dossier_api::serve(
            listener,
            dossier_api::app(state),
            &config,
            std::future::pending(),
        )
        .await
        .expect("serve");
    });
    let admin = tokens::create(&store, Role::OrgAdmin, None, "组织部测试管理员")
        .await
        .expect("admin token");
    TestApp {
        addr,
        store,
        projections,
        client: reqwest::Client::new(),
        admin,
        _dir: dir,
    }
}

/// A GraphQL reply: HTTP status and JSON body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Value,
}

impl Reply {
    /// `data` at a dotted path (e.g. `"registerCadre.streamVersion"`).
    pub fn data(&self, path: &str) -> &Value {
        let mut v = &self.body["data"];
        for part in path.split('.') {
            v = match part.parse::<usize>() {
                Ok(i) => &v[i],
                Err(_) => &v[part],
            };
        }
        v
    }

    /// The `extensions.code` of every error, in order.
    pub fn codes(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errs| {
                errs.iter()
                    .map(|e| {
                        e["extensions"]["code"]
                            .as_str()
                            .unwrap_or("<none>")
                            .to_owned()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The first error's `extensions`.
    pub fn first_error(&self) -> &Value {
        &self.body["errors"][0]
    }

    /// Panic with the body unless there are no errors.
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {:#}",
            self.body
        );
        self
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/graphql/ws", self.addr)
    }

    /// POST a GraphQL operation with a bearer token (or none).
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Reply {
        self.post_json(token, &json!({ "query": query, "variables": variables }))
            .await
    }

    /// POST any JSON body to /graphql.
    pub async fn post_json(&self, token: Option<&str>, body: &Value) -> Reply {
        self.post_raw(token, "application/json", body.to_string())
            .await
    }

    /// POST raw bytes to /graphql with a content type.
    pub async fn post_raw(&self, token: Option<&str>, content_type: &str, body: String) -> Reply {
        let mut req = self
            .client
            .post(self.url("/graphql"))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = resp.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            content_type,
            body,
        }
    }

    /// As the admin.
    pub async fn admin(&self, query: &str, variables: Value) -> Reply {
        self.gql(Some(&self.admin), query, variables).await
    }

    /// A new token for a role (scoped to a unit or cadre where the role needs one).
    pub async fn token(&self, role: Role, scope: Option<&str>) -> String {
        tokens::create(
            &self.store,
            role,
            scope.map(str::to_owned),
            &format!("测试 {}", role.zh()),
        )
        .await
        .expect("token")
    }

    /// The log's head position.
    pub async fn head(&self) -> u64 {
        self.store.head().await.expect("head")
    }
}

/// A valid 18-digit resident ID number (GB 11643 check digit) for a birth date and a sequence number.
pub fn id_number(birth: &str, seq: u32) -> String {
    let body = format!("320412{}{:03}", birth.replace('-', ""), seq % 1000);
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{body}{check}")
}

impl TestApp {
    /// Run a mutation as `token`, panicking with the errors if it fails; returns `data.<field>`.
    #[track_caller]
    pub fn expect_ok(reply: Reply, field: &str) -> Value {
        assert!(
            reply.body.get("errors").is_none(),
            "{field} failed: {:#}",
            reply.body
        );
        reply.body["data"][field].clone()
    }
}
