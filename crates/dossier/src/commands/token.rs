//! The `token` subcommand: create (with scope and expiry), list and revoke bearer tokens.

use super::*;

pub(super) async fn token(db: &DbArg, action: TokenAction) -> anyhow::Result<ExitCode> {
    match action {
        TokenAction::Create {
            role,
            scope,
            label,
            expires,
        } => {
            let expires_at = match expires.as_deref() {
                None => None,
                Some(text) => Some(parse_expiry(text, chrono::Utc::now())?),
            };
            let Some(parsed) = tokens::parse_role(role.trim()) else {
                bail!(
                    "[UNKNOWN_ROLE] 角色「{role}」不存在：可选 org_admin, discipline_inspector, unit_head, cadre, auditor, analyst"
                );
            };
            if parsed == dossier_domain::Role::System {
                bail!("[ROLE_NOT_ISSUABLE] 不能为“系统”角色签发令牌");
            }
            // Like every command but serve and demo: a mistyped path is refused, not created.
            let store = open_existing(db, false).await?;
            let created = match tokens::check_scope(&store, parsed, scope.as_deref()).await {
                Ok(()) => tokens::create_until(&store, parsed, scope, &label, expires_at).await,
                Err(e) => Err(e),
            };
            store.close().await;
            let plaintext = created.map_err(api_error)?;
            println!("{plaintext}");
            eprintln!(
                "token created for role {} (hash prefix {}); it is shown this once only",
                tokens::role_name(parsed),
                &tokens::hash(&plaintext)[..12]
            );
        }
        TokenAction::Revoke { prefix } => {
            let store = open_existing(db, false).await?;
            let revoked = tokens::revoke(&store, &prefix).await;
            store.close().await;
            if revoked.map_err(api_error)? {
                println!("revoked (已吊销)");
            } else {
                bail!("[TOKEN_NOT_FOUND] 没有与「{prefix}」匹配的有效令牌（或已吊销）");
            }
        }
        TokenAction::List => {
            let store = open_existing(db, true).await?;
            let list = tokens::list(&store).await;
            store.close().await;
            let list = list.map_err(api_error)?;
            println!(
                "{:<14} {:<22} {:<12} {:<20} {:<20} {:<20} revoked",
                "hash", "role", "scope", "label", "created", "expires"
            );
            for t in list {
                println!(
                    "{:<14} {:<22} {:<12} {:<20} {:<20} {:<20} {}",
                    &t.hash[..t.hash.len().min(12)],
                    t.role,
                    t.scope.as_deref().unwrap_or("-"),
                    t.label.as_deref().unwrap_or("-"),
                    t.created_at.format("%Y-%m-%d %H:%M:%S"),
                    t.expires_at.map_or_else(
                        || "-".to_owned(),
                        |e| e.format("%Y-%m-%d %H:%M:%S").to_string()
                    ),
                    t.revoked_at.map_or_else(
                        || "-".to_owned(),
                        |r| r.format("%Y-%m-%d %H:%M:%S").to_string()
                    )
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// When a token created at `now` with `--expires text` stops working: `90d`, `12h`, `4w`, or a
/// date (the end of that day, UTC).
pub(super) fn parse_expiry(
    text: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    let t = text.trim();
    let malformed = || {
        anyhow::anyhow!(
            "[EXPIRES_MALFORMED] 有效期应为天数、小时或周数（如 90d、12h、4w）或日期（如 2027-03-31）；收到「{text}」"
        )
    };
    let unit = t.chars().last().ok_or_else(malformed)?;
    let hours_per = match unit {
        'h' => Some(1),
        'd' => Some(24),
        'w' => Some(24 * 7),
        _ => None,
    };
    if let Some(per) = hours_per {
        let n: i64 = t[..t.len() - 1].parse().map_err(|_| malformed())?;
        if !(1..=365 * 100).contains(&(n * per / 24).max(1)) || n <= 0 {
            return Err(malformed());
        }
        return Ok(now + chrono::Duration::hours(n * per));
    }
    let day = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| malformed())?;
    let end = day.and_hms_opt(23, 59, 59).ok_or_else(malformed)?.and_utc();
    if end <= now {
        bail!("[EXPIRES_IN_PAST] 有效期 {text} 已过");
    }
    Ok(end)
}
