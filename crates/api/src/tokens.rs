//! Bearer tokens: random secrets handed out once, stored only as SHA-256 hashes with a role and a scope.

use chrono::{DateTime, Utc};
use dossier_domain::{Actor, Role};
use dossier_store::{Store, TokenRecord};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// Prefix of every plaintext token, so a leaked one is recognisable.
pub const TOKEN_PREFIX: &str = "dos_";

/// The SHA-256 (hex) of a plaintext token: the only form the store keeps.
pub fn hash(plaintext: &str) -> String {
    hex::encode(Sha256::digest(plaintext.as_bytes()))
}

/// The role's wire name (`org_admin`, `discipline_inspector`, …).
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::OrgAdmin => "org_admin",
        Role::DisciplineInspector => "discipline_inspector",
        Role::UnitHead => "unit_head",
        Role::Cadre => "cadre",
        Role::Auditor => "auditor",
        Role::Analyst => "analyst",
        Role::System => "system",
    }
}

/// Parse a role's wire name, in any case (`org_admin`, or `ORG_ADMIN` as the API prints it).
pub fn parse_role(name: &str) -> Option<Role> {
    let name = name.trim();
    [
        Role::OrgAdmin,
        Role::DisciplineInspector,
        Role::UnitHead,
        Role::Cadre,
        Role::Auditor,
        Role::Analyst,
        Role::System,
    ]
    .into_iter()
    .find(|r| role_name(*r).eq_ignore_ascii_case(name))
}

/// Check a token's scope against the log: a cadre's token must name a registered cadre, a
/// unit head's a registered unit.
pub async fn check_scope(store: &Store, role: Role, scope: Option<&str>) -> Result<(), ApiError> {
    let Some(scope) = scope.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(());
    };
    let (stream, what) = match role {
        Role::Cadre => (format!("cadre-{scope}"), "已登记的干部编号"),
        Role::UnitHead => (format!("unit-{scope}"), "已登记的单位编号"),
        _ => return Ok(()),
    };
    let version = store
        .stream_version(&stream)
        .await
        .map_err(ApiError::internal)?;
    if version == 0 {
        return Err(ApiError::validation(format!(
            "令牌范围「{scope}」不是{what}：角色「{}」的令牌须指向{what}",
            role.zh()
        )));
    }
    Ok(())
}

/// Create a token for `role` (scoped to a unit id for unit heads, a cadre id for
/// cadres) and return its plaintext — the only time it exists outside the caller.
pub async fn create(
    store: &Store,
    role: Role,
    scope: Option<String>,
    label: &str,
) -> Result<String, ApiError> {
    create_until(store, role, scope, label, None).await
}

/// [`create`], the token working until `expires_at` (`None`: until revoked).
pub async fn create_until(
    store: &Store,
    role: Role,
    scope: Option<String>,
    label: &str,
    expires_at: Option<DateTime<Utc>>,
) -> Result<String, ApiError> {
    if let Some(at) = expires_at
        && at <= Utc::now()
    {
        return Err(ApiError::validation(format!(
            "令牌到期时间 {} 已过",
            at.format("%Y-%m-%d %H:%M:%S UTC")
        )));
    }
    let needs_scope = matches!(role, Role::UnitHead | Role::Cadre);
    let scope = scope.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    if needs_scope && scope.is_none() {
        return Err(ApiError::validation(format!(
            "角色「{}」的令牌必须指定范围（单位负责人填单位编号，干部本人填干部编号）",
            role.zh()
        )));
    }
    if !needs_scope && scope.is_some() {
        return Err(ApiError::validation(format!(
            "角色「{}」的令牌不带范围",
            role.zh()
        )));
    }
    if label.trim().is_empty() {
        return Err(ApiError::validation("令牌必须有一个说明（持有人或用途）"));
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let plaintext = format!("{TOKEN_PREFIX}{}", hex::encode(secret));
    let record = TokenRecord {
        hash: hash(&plaintext),
        role: role_name(role).to_owned(),
        scope,
        label: Some(label.trim().to_owned()),
        created_at: Utc::now(),
        revoked_at: None,
        expires_at,
    };
    store.put_token(record).await.map_err(ApiError::internal)?;
    Ok(plaintext)
}

/// Revoke a token given as itself (`dos_…`), by its hash or by a unique prefix of the hash
/// (at least 8 hex digits). Returns whether a token was revoked (false: none matched or it
/// was already revoked).
pub async fn revoke(store: &Store, hash_or_prefix: &str) -> Result<bool, ApiError> {
    let key = hash_or_prefix.trim();
    let hashed;
    let key = if key.starts_with(TOKEN_PREFIX) {
        hashed = hash(key);
        hashed.as_str()
    } else {
        key
    };
    if key.len() < 8 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ApiError::validation(
            "吊销令牌需给出其哈希或至少 8 位十六进制前缀",
        ));
    }
    match store.revoke_token(&key.to_ascii_lowercase()).await {
        Ok(revoked) => Ok(revoked),
        Err(dossier_store::StoreError::AmbiguousTokenPrefix { prefix, matches }) => {
            Err(ApiError::validation(format!(
                "前缀 {prefix} 匹配了 {matches} 个令牌，请给出更长的前缀"
            )))
        }
        Err(e) => Err(ApiError::internal(e)),
    }
}

/// Every token the store knows (hashes only; no plaintext exists).
pub async fn list(store: &Store) -> Result<Vec<TokenRecord>, ApiError> {
    store.list_tokens().await.map_err(ApiError::internal)
}

fn unknown() -> ApiError {
    ApiError::Unauthenticated("令牌无效或已吊销".into())
}

/// The stored hash of a well-formed token; anything else is refused before any lookup.
fn digest_of(plaintext: &str) -> Result<String, ApiError> {
    if !plaintext.starts_with(TOKEN_PREFIX) || plaintext.len() > 200 {
        return Err(unknown());
    }
    Ok(hash(plaintext))
}

/// Who presents the token with this hash, and until when, read from the store, if it is
/// known, not revoked and not expired.
async fn lookup(store: &Store, digest: &str) -> Result<(Actor, Option<DateTime<Utc>>), ApiError> {
    let Some(record) = store.find_token(digest).await.map_err(ApiError::internal)? else {
        return Err(unknown());
    };
    if record.revoked_at.is_some() || record.expires_at.is_some_and(|at| at <= Utc::now()) {
        return Err(unknown());
    }
    let role = parse_role(&record.role)
        .ok_or_else(|| ApiError::internal(format!("token with unknown role {}", record.role)))?;
    let label = record.label.unwrap_or_default();
    Ok((
        Actor {
            id: format!("{label}#{}", &digest[..12]),
            role,
            scope: record.scope,
        },
        record.expires_at,
    ))
}

/// Tokens recently found valid, so that a request does not read the token table.
///
/// An entry is used while it is younger than the time to live and no token has been created
/// or revoked through this server's store since it was made ([`Store::token_generation`]):
/// a revocation through the API applies to the very next request, one made with
/// `dossier token revoke` from another process within the time to live. Unknown and revoked
/// tokens are never kept.
#[derive(Debug)]
pub struct TokenCache {
    ttl: std::time::Duration,
    entries: std::sync::Mutex<rustc_hash::FxHashMap<String, Known>>,
}

#[derive(Debug)]
struct Known {
    actor: Actor,
    since: std::time::Instant,
    generation: u64,
    expires_at: Option<DateTime<Utc>>,
}

/// Most tokens kept at once; the cache starts over when full.
const CACHE_CAPACITY: usize = 10_000;

impl TokenCache {
    /// A cache whose entries live at most `ttl` (zero: every request reads the store).
    pub fn new(ttl: std::time::Duration) -> Self {
        TokenCache {
            ttl,
            entries: Default::default(),
        }
    }

    /// Who presents this bearer token, if it is known and not revoked: answered from memory
    /// when the cache holds a fresh entry, else read from the store.
    pub async fn authenticate(&self, store: &Store, plaintext: &str) -> Result<Actor, ApiError> {
        let digest = digest_of(plaintext)?;
        let generation = store.token_generation();
        {
            let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(known) = entries.get(&digest)
                && known.generation == generation
                && known.since.elapsed() < self.ttl
                && known.expires_at.is_none_or(|at| at > Utc::now())
            {
                return Ok(known.actor.clone());
            }
        }
        self.read_through(store, digest, generation).await
    }

    /// Who presents this bearer token, read from the store whatever the cache holds (the
    /// cache is refreshed, or the entry dropped). An open WebSocket session re-checks its
    /// token this way once per time to live, so a token revoked from another process ends
    /// the session within that time.
    pub async fn recheck(&self, store: &Store, plaintext: &str) -> Result<Actor, ApiError> {
        let digest = digest_of(plaintext)?;
        let generation = store.token_generation();
        self.read_through(store, digest, generation).await
    }

    async fn read_through(
        &self,
        store: &Store,
        digest: String,
        generation: u64,
    ) -> Result<Actor, ApiError> {
        let found = lookup(store, &digest).await;
        let (actor, expires_at) = match found {
            Ok((actor, expires_at)) => (Ok(actor), expires_at),
            Err(e) => (Err(e), None),
        };
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match &actor {
            Ok(actor) if !self.ttl.is_zero() => {
                if entries.len() >= CACHE_CAPACITY {
                    entries.clear();
                }
                entries.insert(
                    digest,
                    Known {
                        actor: actor.clone(),
                        since: std::time::Instant::now(),
                        generation,
                        expires_at,
                    },
                );
            }
            _ => {
                entries.remove(&digest);
            }
        }
        actor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_name_parses_back_to_its_role() {
        for role in [
            Role::OrgAdmin,
            Role::DisciplineInspector,
            Role::UnitHead,
            Role::Cadre,
            Role::Auditor,
            Role::Analyst,
            Role::System,
        ] {
            assert_eq!(parse_role(role_name(role)), Some(role));
        }
        assert_eq!(parse_role("superuser"), None);
        assert_eq!(parse_role("ORG_ADMIN"), Some(Role::OrgAdmin));
        assert_eq!(parse_role(" Unit_Head "), Some(Role::UnitHead));
    }

    #[test]
    fn the_stored_hash_is_sha256_hex_and_never_the_token() {
        let h = hash("dos_secret");
        assert_eq!(h.len(), 64);
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(h, hash("dos_secret"));
        assert_ne!(h, hash("dos_secreT"));
        assert!(!h.contains("secret"));
    }
}
