//! The workbench served by the router: the page at `/`, hashed assets cached for a year and gzipped, history fallback, GraphiQL still at `/graphql`.

use dossier_tests::spawn_app;

/// The first `/assets/…` file the page names with the given extension.
fn asset_in(page: &str, ext: &str) -> String {
    page.split('"')
        .find(|s| s.starts_with("/assets/") && s.ends_with(ext))
        .unwrap_or_else(|| panic!("the page names no {ext} asset: {page}"))
        .to_owned()
}

#[tokio::test]
async fn the_workbench_is_served_at_the_root_with_cached_assets_and_history_fallback() {
    let app = spawn_app().await;
    let root = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(root.status(), 200);
    assert_eq!(
        root.headers()["content-type"],
        "text/html; charset=utf-8",
        "the page is HTML"
    );
    assert_eq!(root.headers()["cache-control"], "no-cache");
    let page = root.text().await.unwrap();
    assert!(page.contains(r#"<div id="app">"#), "{page}");
    assert!(page.contains("干部工作台"), "{page}");

    // A hashed asset: long-lived caching, the right media type, gzip when asked.
    let script = asset_in(&page, ".js");
    let plain = app.client.get(app.url(&script)).send().await.unwrap();
    assert_eq!(plain.status(), 200, "{script}");
    assert_eq!(
        plain.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        plain.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    let plain_len = plain.bytes().await.unwrap().len();
    assert!(plain_len > 1_000, "{script} is {plain_len} bytes");
    let gzipped = app
        .client
        .get(app.url(&script))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    let gz_len = gzipped.bytes().await.unwrap().len();
    assert!(gz_len < plain_len, "gzip {gz_len} ≥ plain {plain_len}");
    let style = asset_in(&page, ".css");
    let css = app.client.get(app.url(&style)).send().await.unwrap();
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");

    // History fallback: a path of the front end's router gets the page.
    for path in ["/cadres/c0004", "/dashboards", "/login?next=%2Faudit"] {
        let resp = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(resp.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(resp.text().await.unwrap(), page, "{path}");
    }
    // Not the page: a missing asset, an unknown API path, a POST elsewhere.
    let missing = app
        .client
        .get(app.url("/assets/missing-0000.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let api = app
        .client
        .get(app.url("/graphql/nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 404);
    let post = app.client.post(app.url("/cadres")).send().await.unwrap();
    assert_eq!(post.status(), 404);

    // GraphiQL stays at /graphql.
    let graphiql = app.client.get(app.url("/graphql")).send().await.unwrap();
    assert_eq!(graphiql.status(), 200);
    let text = graphiql.text().await.unwrap();
    assert!(text.contains("/graphql/assets/graphiql.min.js"), "{text}");
}
