//! Reads at a position: `X-Dossier-At-Least: N` makes a request wait until this server's read models have applied position N (bounded), else a retryable `STALE`; every GraphQL answer says the position it was read at (`X-Dossier-Position`).
//!
//! A mutation answers with the position of its events. With several replicas on one log, a
//! client that wrote through one replica and reads through another sends that position: the
//! reading replica answers only once its read models have applied it (read-your-writes across
//! replicas). The wait is bounded by [`ApiConfig::at_least_timeout`](crate::config::ApiConfig);
//! past it the answer is HTTP 503 with `Retry-After` and a GraphQL error with
//! `extensions.code = "STALE"`, `retryable: true`, the position asked for and the one reached,
//! and nothing of the request ran.

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use dossier_projections::ProjectionError;

use crate::{error_body::error_response, state::AppState};

/// The request header naming the position a read must see at least.
pub const AT_LEAST: &str = "x-dossier-at-least";
/// The response header giving the position the read models had applied when the answer was made.
pub const POSITION: &str = "x-dossier-position";

/// The position `headers` asks for: `None` without the header; a refusal (400) when it is not a
/// whole number.
pub fn asked(headers: &HeaderMap) -> Result<Option<u64>, Box<Response>> {
    let Some(value) = headers.get(AT_LEAST) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    match text.parse::<u64>() {
        Ok(p) => Ok(Some(p)),
        Err(_) => Err(Box::new(error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            format!(
                "请求头 X-Dossier-At-Least 的值 {text:?} 不是日志位置（应为不小于 0 的整数，即变更返回的 position）"
            ),
            None,
        ))),
    }
}

/// Wait until the read models have applied `position`, up to the configured bound.
pub async fn reach(state: &AppState, position: u64) -> Result<(), Box<Response>> {
    let limit = state.config.at_least_timeout;
    match state.projections.wait_for(position, limit).await {
        Ok(_) => Ok(()),
        Err(ProjectionError::Timeout { position, reached }) => {
            let mut response = error(
                StatusCode::SERVICE_UNAVAILABLE,
                "STALE",
                format!(
                    "本服务器的读模型尚未到达日志位置 {position}（已到 {reached}，等待 {} 毫秒未到），请求未执行，请稍后重试或换一台服务器",
                    limit.as_millis()
                ),
                Some((position, reached)),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            Err(Box::new(response))
        }
        Err(e) => Err(Box::new(error(
            StatusCode::SERVICE_UNAVAILABLE,
            "UNAVAILABLE",
            format!("读模型运行器不可用（{e}），请求未执行，请稍后重试"),
            None,
        ))),
    }
}

/// Say in `response` which position the read models had applied.
pub fn stamp(state: &AppState, response: Response) -> Response {
    stamp_at(state.projections.position(), response)
}

/// Say in `response` that it was read at `position` (an answer kept for that position).
pub fn stamp_at(position: u64, mut response: Response) -> Response {
    if let Ok(v) = HeaderValue::from_str(&position.to_string()) {
        response.headers_mut().insert(POSITION, v);
    }
    response
}

fn error(
    status: StatusCode,
    code: &str,
    message: String,
    positions: Option<(u64, u64)>,
) -> Response {
    error_response(status, code, message, |ext| {
        if status == StatusCode::SERVICE_UNAVAILABLE {
            ext.set("retryable", true);
        }
        if let Some((asked, reached)) = positions {
            ext.set("atLeast", asked);
            ext.set("reached", reached);
        }
    })
}
