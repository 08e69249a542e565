//! The server's settings: `dossier.toml` (or `--config PATH`), overridden by `DOSSIER_…` environment variables, then by command-line flags (figment).

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use dossier_api::ApiConfig;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// The file read when `--config` is not given (if it exists).
pub const DEFAULT_FILE: &str = "dossier.toml";

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines (colour only on a terminal).
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Commit durability, as in `serve --durability`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DurabilitySetting {
    Normal,
    #[default]
    Full,
}

/// Every setting of `dossier serve`. Unknown keys are refused (a mistyped key must not be
/// silently ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Commit durability.
    pub durability: DurabilitySetting,
    /// Log format.
    pub log_format: LogFormat,
    /// Warn (log, `/metrics`, `/readyz`) when free disk space falls below this many MiB; 0 = never.
    pub disk_warn_free_mib: u64,
    /// The GraphQL endpoint's limits and switches.
    pub api: ApiSettings,
}

/// `[api]`: the limits and switches of [`ApiConfig`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiSettings {
    pub introspection: bool,
    pub graphiql: bool,
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    pub max_batch: usize,
    pub max_body_bytes: usize,
    /// Longest a request may run, in seconds.
    pub request_timeout_secs: f64,
    /// Longest a command waits for the read models to apply its events, in seconds.
    pub settle_timeout_secs: f64,
    /// Longest a read with `X-Dossier-At-Least` waits for that position, in seconds (then `STALE`).
    pub at_least_timeout_secs: f64,
    /// How long a token found valid is trusted without reading the token table, in seconds.
    pub token_cache_ttl_secs: f64,
}

impl Default for Settings {
    fn default() -> Self {
        let api = ApiConfig::default();
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            durability: DurabilitySetting::Full,
            log_format: LogFormat::Text,
            disk_warn_free_mib: api.disk_warn_free_bytes / (1024 * 1024),
            api: ApiSettings::default(),
        }
    }
}

impl Default for ApiSettings {
    fn default() -> Self {
        let d = ApiConfig::default();
        ApiSettings {
            introspection: d.introspection,
            graphiql: d.graphiql,
            max_depth: d.max_depth,
            max_complexity: d.max_complexity,
            max_aliases: d.max_aliases,
            max_batch: d.max_batch,
            max_body_bytes: d.max_body_bytes,
            request_timeout_secs: d.timeout.as_secs_f64(),
            settle_timeout_secs: d.settle_timeout.as_secs_f64(),
            at_least_timeout_secs: d.at_least_timeout.as_secs_f64(),
            token_cache_ttl_secs: d.token_cache_ttl.as_secs_f64(),
        }
    }
}

fn seconds(value: f64, key: &str) -> anyhow::Result<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        anyhow::anyhow!(
            "[CONFIG_INVALID] 配置项 {key} = {value} 不是有效的秒数（应为不小于 0 的数）"
        )
    })
}

impl Settings {
    /// The API's configuration from these settings (every other field keeps its default).
    // The struct update keeps fields added to `ApiConfig` later at their defaults.
    #[allow(clippy::needless_update)]
    pub fn api_config(&self) -> anyhow::Result<ApiConfig> {
        let a = &self.api;
        for (key, value) in [
            ("api.max_depth", a.max_depth),
            ("api.max_complexity", a.max_complexity),
            ("api.max_batch", a.max_batch),
            ("api.max_body_bytes", a.max_body_bytes),
        ] {
            if value == 0 {
                anyhow::bail!("[CONFIG_INVALID] 配置项 {key} 不能为 0");
            }
        }
        Ok(ApiConfig {
            introspection: a.introspection,
            graphiql: a.graphiql,
            max_depth: a.max_depth,
            max_complexity: a.max_complexity,
            max_aliases: a.max_aliases,
            max_batch: a.max_batch,
            max_body_bytes: a.max_body_bytes,
            timeout: seconds(a.request_timeout_secs, "api.request_timeout_secs")?,
            settle_timeout: seconds(a.settle_timeout_secs, "api.settle_timeout_secs")?,
            at_least_timeout: seconds(a.at_least_timeout_secs, "api.at_least_timeout_secs")?,
            token_cache_ttl: seconds(a.token_cache_ttl_secs, "api.token_cache_ttl_secs")?,
            disk_warn_free_bytes: self.disk_warn_free_mib.saturating_mul(1024 * 1024),
            ..ApiConfig::default()
        })
    }
}

/// Top-level keys the environment may set (`DOSSIER_LISTEN`, `DOSSIER_API__MAX_DEPTH`…);
/// other `DOSSIER_` variables (such as `DOSSIER_DB`, read by the command line) are not settings.
const ENV_KEYS: &[&str] = &[
    "listen",
    "durability",
    "log_format",
    "disk_warn_free_mib",
    "api",
];

/// Defaults, then the file (`path`, which must exist, or `dossier.toml` if present), then
/// `DOSSIER_…` variables (`__` separates a section from its key).
pub fn load(path: Option<&Path>) -> anyhow::Result<Settings> {
    load_from(path, Env::prefixed("DOSSIER_"))
}

fn load_from(path: Option<&Path>, env: Env) -> anyhow::Result<Settings> {
    let mut figment = Figment::from(Serialized::defaults(Settings::default()));
    match path {
        Some(p) => {
            if !p.exists() {
                anyhow::bail!("[CONFIG_NOT_FOUND] 配置文件 {} 不存在", p.display());
            }
            figment = figment.merge(Toml::file_exact(p));
        }
        None if Path::new(DEFAULT_FILE).exists() => {
            figment = figment.merge(Toml::file_exact(DEFAULT_FILE));
        }
        None => {}
    }
    let env = env
        .filter(|k| {
            let top = k.as_str().split("__").next().unwrap_or_default();
            ENV_KEYS.iter().any(|known| top.eq_ignore_ascii_case(known))
        })
        .split("__");
    figment
        .merge(env)
        .extract::<Settings>()
        .map_err(|e| anyhow::anyhow!("[CONFIG_INVALID] 配置有误：{e}"))
        .context("读取配置失败（dossier.toml、--config 或 DOSSIER_… 环境变量）")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dossier.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's own test harness returns its error type
    fn the_file_sets_limits_and_the_environment_overrides_it() {
        let (_dir, path) = file(
            "listen = \"0.0.0.0:9000\"\nlog_format = \"json\"\ndisk_warn_free_mib = 2048\n\
             [api]\nmax_depth = 20\nintrospection = false\nrequest_timeout_secs = 7.5\n",
        );
        figment::Jail::expect_with(|jail| {
            jail.set_env("DOSSIER_API__MAX_DEPTH", "25");
            jail.set_env("DOSSIER_DB", "elsewhere.db");
            let s = load(Some(&path)).map_err(|e| e.to_string())?;
            assert_eq!(s.listen, "0.0.0.0:9000".parse().unwrap());
            assert_eq!(s.log_format, LogFormat::Json);
            let api = s.api_config().map_err(|e| e.to_string())?;
            assert_eq!(api.max_depth, 25, "the environment wins over the file");
            assert!(!api.introspection);
            assert_eq!(api.timeout, Duration::from_millis(7500));
            assert_eq!(api.disk_warn_free_bytes, 2048 * 1024 * 1024);
            assert_eq!(api.max_batch, ApiConfig::default().max_batch);
            Ok(())
        });
    }

    #[test]
    fn a_mistyped_key_or_a_missing_file_is_refused() {
        let (_dir, path) = file("[api]\nmax_dept = 20\n");
        let err = load_from(Some(&path), Env::prefixed("DOSSIER_TEST_NONE_")).unwrap_err();
        assert!(format!("{err:#}").contains("max_dept"), "{err:#}");
        let err = load_from(
            Some(Path::new("/nonexistent/dossier.toml")),
            Env::prefixed("DOSSIER_TEST_NONE_"),
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("CONFIG_NOT_FOUND"), "{err:#}");
        let (_dir, path) = file("[api]\nrequest_timeout_secs = -1\n");
        let s = load_from(Some(&path), Env::prefixed("DOSSIER_TEST_NONE_")).unwrap();
        assert!(s.api_config().is_err());
    }
}
