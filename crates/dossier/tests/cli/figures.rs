//! The demo's published figures through GraphQL: today's dashboards, and each figure as of the day it was reached.

use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn demo_dashboards_show_the_published_figures_through_graphql() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let server = Server::start(&db);
    let figures = figures_on(&server, "2026-11-20", None).await;
    // 9 main classes and 13 thematic classes.
    assert_eq!(figure(&figures, "training", "classes", "main"), 9.0);
    assert_eq!(figure(&figures, "training", "classes", "thematic"), 13.0);
    // The three-good contest held 4 years running.
    assert_eq!(figure(&figures, "awards", "three_good_years", ""), 4.0);
    // 5 Steed Award batches, 37 awardees, over 3 years.
    assert_eq!(figure(&figures, "awards", "steed_batches", ""), 5.0);
    assert_eq!(figure(&figures, "awards", "steed_awardees", ""), 37.0);
    assert_eq!(figure(&figures, "awards", "steed_years", ""), 3.0);
    // 20 front-line promotion quotas a year, allocated and never exceeded.
    for year in ["2024", "2025", "2026"] {
        assert_eq!(figure(&figures, "promotion", "quota", year), 20.0);
        assert_eq!(figure(&figures, "promotion", "quota_used", year), 20.0);
    }
    // 8 cadres moved down by committee decision.
    assert_eq!(figure(&figures, "down", "cadres_moved_down", ""), 8.0);
    // 56 hot-post heads in 8 business-facing units rotated this year.
    assert_eq!(
        figure(&figures, "rotation", "hot_post_heads_rotated", "2026"),
        56.0
    );
    assert_eq!(figure(&figures, "rotation", "hot_post_units", "2026"), 8.0);
    // 85 typical appeal cases compiled.
    assert_eq!(figure(&figures, "care", "typical_cases", ""), 85.0);

    // A cadre's profile is there too.
    let reply = server.gql(r#"{ cadre(id: "c0001") { name } }"#).await;
    assert!(
        reply["data"]["cadre"]["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );

    let status = server.stop();
    assert!(status.success(), "serve exited with {status}");
    let out = dossier(&["verify", "--db", s(&db)]);
    assert!(out.status.success(), "{}", text(&out.stdout));
}

/// The figure, or 0 when the dashboard has no such line on that date.
fn figure_or_zero(figures: &[Value], dashboard: &str, metric: &str, key: &str) -> f64 {
    figures
        .iter()
        .find(|f| f["dashboard"] == dashboard && f["metric"] == metric && f["key"] == key)
        .and_then(|f| f["value"].as_f64())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_dashboards_show_each_published_figure_as_of_the_day_it_was_reached() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let server = Server::start(&db);
    let classes = |f: &[Value]| {
        (
            figure_or_zero(f, "training", "classes", "main"),
            figure_or_zero(f, "training", "classes", "thematic"),
        )
    };

    // The 22nd class was scheduled on 2026-08-03: 9 main and 13 thematic from that day.
    let f = figures_on(&server, "2026-08-03", None).await;
    assert_eq!(classes(&f), (9.0, 13.0));
    // The 8th “down” decision was taken on 2026-08-05.
    let f = figures_on(&server, "2026-08-05", None).await;
    assert_eq!(figure(&f, "down", "cadres_moved_down", ""), 8.0);
    let f = figures_on(&server, "2026-08-04", None).await;
    assert_eq!(figure(&f, "down", "cadres_moved_down", ""), 7.0);
    // The 56th hot-post head was rotated on 2026-10-08, the 8th unit by then.
    let f = figures_on(&server, "2026-10-08", None).await;
    assert_eq!(
        figure(&f, "rotation", "hot_post_heads_rotated", "2026"),
        56.0
    );
    assert_eq!(figure(&f, "rotation", "hot_post_units", "2026"), 8.0);
    let f = figures_on(&server, "2026-10-07", None).await;
    assert_eq!(
        figure(&f, "rotation", "hot_post_heads_rotated", "2026"),
        55.0
    );
    // The 5th Steed Award batch was announced on 2026-11-05: 37 awardees over 3 years.
    let f = figures_on(&server, "2026-11-05", None).await;
    assert_eq!(figure(&f, "awards", "steed_batches", ""), 5.0);
    assert_eq!(figure(&f, "awards", "steed_awardees", ""), 37.0);
    assert_eq!(figure(&f, "awards", "steed_years", ""), 3.0);
    let f = figures_on(&server, "2026-11-04", None).await;
    assert_eq!(figure(&f, "awards", "steed_batches", ""), 4.0);
    // The three-good contest of 2026, its 4th year running, was announced on 2026-11-10.
    let f = figures_on(&server, "2026-11-10", None).await;
    assert_eq!(figure(&f, "awards", "three_good_years", ""), 4.0);
    let f = figures_on(&server, "2026-11-09", None).await;
    assert_eq!(figure(&f, "awards", "three_good_years", ""), 3.0);
    // The 2026 front-line quota was allocated on 2026-11-12: 20 a year, each year.
    let f = figures_on(&server, "2026-11-12", None).await;
    for year in ["2024", "2025", "2026"] {
        assert_eq!(figure(&f, "promotion", "quota", year), 20.0);
        assert_eq!(figure(&f, "promotion", "quota_used", year), 20.0);
    }
    let f = figures_on(&server, "2026-11-11", None).await;
    assert!(figure_or_zero(&f, "promotion", "quota_used", "2026") < 20.0);
    // On the day of the report, 85 typical appeal cases.
    let f = figures_on(&server, "2026-11-20", None).await;
    assert_eq!(figure(&f, "care", "typical_cases", ""), 85.0);
    // Before the first class, none; as the log knew it at its first position, one event.
    let f = figures_on(&server, "2022-12-31", None).await;
    assert_eq!(classes(&f), (0.0, 0.0));
    let f = figures_on(&server, "2026-11-20", Some(1)).await;
    assert_eq!(figure(&f, "log", "events", ""), 1.0);
    assert_eq!(classes(&f), (0.0, 0.0));

    let status = server.stop();
    assert!(status.success(), "serve exited with {status}");
}
