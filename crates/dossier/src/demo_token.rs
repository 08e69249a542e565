//! The demo's admin token: minted once when `serve --demo` loads the district, kept beside the database (owner-only) and shown again while it is valid.
//!
//! `serve --demo` on a database that already holds the district does not mint another
//! permanent admin token at every restart: it shows the one kept in `<db>.demo-token` if that
//! token is still valid (not revoked, not expired), and otherwise says how to create one. A
//! district built by `dossier demo` has no kept token: the first `serve --demo` mints it once.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use dossier_api::tokens;
use dossier_store::Store;

/// Where the demo's admin token is kept: beside the database.
pub fn path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".demo-token");
    PathBuf::from(name)
}

/// Mint the demo's admin token and keep it beside `db` (readable by its owner only).
pub async fn mint(store: &Store, db: &Path) -> anyhow::Result<String> {
    let token = tokens::create(store, dossier_domain::Role::OrgAdmin, None, "demo admin")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let file = path(db);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options
        .open(&file)
        .with_context(|| format!("无法写入 {}", file.display()))?;
    writeln!(f, "{token}").with_context(|| format!("无法写入 {}", file.display()))?;
    Ok(token)
}

/// The kept demo token, if there is one and the store still accepts it.
pub async fn kept(store: &Store, db: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path(db)).ok()?;
    let token = text.trim().to_owned();
    let record = store.find_token(&tokens::hash(&token)).await.ok()??;
    let valid =
        record.revoked_at.is_none() && record.expires_at.is_none_or(|at| at > chrono::Utc::now());
    valid.then_some(token)
}
