//! GraphQL-shaped error responses made outside execution (refused requests, reads at a position): a JSON body `{"errors": [...]}` with `extensions.code` and any further extensions.

use async_graphql::{ErrorExtensionValues, ServerError};
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// A response of `status` whose body is one GraphQL error with `code` and the extensions
/// `extend` sets.
pub fn error_response(
    status: StatusCode,
    code: &str,
    message: impl Into<String>,
    extend: impl FnOnce(&mut ErrorExtensionValues),
) -> Response {
    let mut err = ServerError::new(message, None);
    let mut ext = ErrorExtensionValues::default();
    ext.set("code", code);
    extend(&mut ext);
    err.extensions = Some(ext);
    let body = serde_json::json!({ "errors": [err] });
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
