//! The committed SDL (docs/schema.graphql) is the server's schema.

use dossier_tests::spawn_app;

#[tokio::test]
async fn committed_sdl_matches_the_served_schema() {
    let app = spawn_app().await;
    let served = app
        .client
        .get(app.url("/schema.graphql"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/schema.graphql");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &served).expect("write docs/schema.graphql");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != served {
        let diff: Vec<String> = diffs(&committed, &served);
        panic!(
            "docs/schema.graphql differs from the server's schema ({} lines differ):\n{}\n\n\
             Regenerate it with: UPDATE_SCHEMA=1 cargo test -p dossier-tests committed_sdl",
            diff.len(),
            diff.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
        );
    }
}

/// Lines only in one side (a small, order-aware diff good enough to point at the change).
fn diffs(old: &str, new: &str) -> Vec<String> {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let mut out = Vec::new();
    for l in &old {
        if !new.contains(l) {
            out.push(format!("- {l}"));
        }
    }
    for l in &new {
        if !old.contains(l) {
            out.push(format!("+ {l}"));
        }
    }
    out
}
