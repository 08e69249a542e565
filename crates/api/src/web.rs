//! The workbench: the built front end (`web/dist`, committed) embedded in the binary and served at `/`, with history fallback and long-lived caching of hashed assets.

use axum::{
    Router,
    body::Body,
    http::{HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
    routing::get,
};
use rust_embed::Embed;
use tower_http::compression::CompressionLayer;

/// The files `npm run build` wrote to `web/dist` (checked against a fresh build by
/// `scripts/web-check.sh`).
#[derive(Embed)]
#[folder = "../../web/dist"]
struct Dist;

/// Files under `assets/` carry a content hash in their name: cached for a year, never revalidated.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The page itself names the current assets: always revalidated.
const REVALIDATE: &str = "no-cache";

/// The workbench's routes: `/`, `/assets/…` (gzip when the browser accepts it); every other GET that is not the API falls back to
/// the page (the front end's router reads the path).
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(index))
        .route("/assets/{*file}", get(asset))
        .layer(CompressionLayer::new())
}

/// The page, for any path the API does not answer (history fallback); 404 for other methods,
/// for missing assets and under `/graphql`.
pub async fn fallback(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    let api = path == "/graphql" || path.starts_with("/graphql/") || path.starts_with("/assets/");
    if (method == Method::GET || method == Method::HEAD) && !api {
        return index().await;
    }
    (StatusCode::NOT_FOUND, "not found").into_response()
}

async fn index() -> Response {
    file("index.html", REVALIDATE)
}

async fn asset(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    file(&format!("assets/{name}"), IMMUTABLE)
}

fn file(path: &str, cache: &'static str) -> Response {
    let Some(content) = Dist::get(path) else {
        return (StatusCode::NOT_FOUND, "no such file").into_response();
    };
    let mut response = Body::from(content.data.into_owned()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media_type(path)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The media type of a built file, by its extension.
fn media_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_page_is_embedded_and_names_only_local_assets() {
        let page = Dist::get("index.html").expect("web/dist/index.html is committed");
        let text = std::str::from_utf8(&page.data).expect("utf-8");
        assert!(text.contains("/assets/index-"), "{text}");
        assert!(
            !text.contains("http://") && !text.contains("https://"),
            "{text}"
        );
        assert_eq!(
            media_type("assets/x-1.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(media_type("assets/x-1.css"), "text/css; charset=utf-8");
    }
}
