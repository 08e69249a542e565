//! The demo district through GraphQL: who may become 三级主任科员 on 2027-01-01, with every kind of obstacle the demo records blocking
//! the right cadre and the figures explained; and its selection cases (one per step reached) and reserve pool.

mod support;

use serde_json::Value;
use support::Server;

const CANDIDATES: &str = r#"{ promotionCandidates(toRank: PRINCIPAL_CLERK_3, on: "2027-01-01", first: 100) {
  eligibleCount notEligibleCount
  edges { cursor node { cadreId eligible eligibleFrom obstacles { code liftsOn }
    timeCounted { countedMonths requiredMonths summary years { year counted note } }
    training { level required hours met summary } } } } }"#;

fn nodes(data: &Value) -> Vec<Value> {
    data["promotionCandidates"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

fn codes(node: &Value) -> Vec<&str> {
    node["obstacles"]
        .as_array()
        .expect("obstacles")
        .iter()
        .map(|o| o["code"].as_str().expect("code"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_s_next_principal_clerks_3_and_what_stands_in_the_way_of_the_others() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(&["serve".into(), "--demo".into()], dir.path());

    // All pages of the list (first: 100 each).
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let query = match &after {
            None => CANDIDATES.to_owned(),
            Some(c) => CANDIDATES.replace("first: 100", &format!("first: 100, after: \"{c}\"")),
        };
        let data = server.gql(&query, "promotionCandidates").await;
        let page = nodes(&data);
        let done = page.len() < 100;
        after = page.last().map(|_| {
            data["promotionCandidates"]["edges"]
                .as_array()
                .and_then(|e| e.last())
                .and_then(|e| e["cursor"].as_str())
                .unwrap_or_default()
                .to_owned()
        });
        all.extend(page);
        if done || after.as_deref() == Some("") {
            break;
        }
    }
    assert!(all.len() > 20, "the demo's feeder ranks: {}", all.len());

    // Every cadre with a completed 公示 and nothing else in the way is eligible.
    let eligible: Vec<&Value> = all.iter().filter(|n| n["eligible"] == true).collect();
    assert!(!eligible.is_empty(), "someone may be promoted");
    for n in &eligible {
        assert_eq!(n["eligibleFrom"], "2027-01-01");
        assert!(
            n["timeCounted"]["summary"]
                .as_str()
                .is_some_and(|s| s.ends_with("已满足")),
            "{n:#}"
        );
    }
    // Each kind of obstacle the demo records blocks a cadre, lifted by time only where time can.
    for (kind, lifts) in [
        ("PROMOTION_SANCTION_PERIOD", true),
        ("PROMOTION_ADMONITION_PERIOD", true),
        ("PROMOTION_UNDER_INVESTIGATION", false),
        ("PROMOTION_INCOMPETENT_YEAR", false),
    ] {
        let blocked: Vec<&Value> = all.iter().filter(|n| codes(n).contains(&kind)).collect();
        assert!(!blocked.is_empty(), "{kind}");
        for n in blocked {
            let o = n["obstacles"]
                .as_array()
                .and_then(|os| os.iter().find(|o| o["code"] == kind))
                .expect("the obstacle");
            assert_eq!(o["liftsOn"].is_string(), lifts, "{kind}: {n:#}");
        }
    }
    // The 公示 is missing for most; time served is short for the cadre promoted in 2026.
    assert!(
        all.iter()
            .filter(|n| codes(n).contains(&"PROMOTION_PUBLIC_NOTICE"))
            .count()
            > 10
    );
    let recent: Vec<&Value> = all
        .iter()
        .filter(|n| codes(n).contains(&"PROMOTION_MIN_YEARS"))
        .collect();
    assert!(!recent.is_empty(), "a cadre too recently at the rank");
    let junior = recent
        .iter()
        .find(|n| n["timeCounted"]["countedMonths"] == 7)
        .unwrap_or_else(|| panic!("the cadre promoted in May 2026: {recent:#?}"));
    assert!(
        junior["timeCounted"]["summary"]
            .as_str()
            .is_some_and(|s| s.contains("尚差 17 个月")),
        "{junior:#}"
    );
    // Training hours are explained against the 乡科级 requirement.
    assert!(
        all.iter()
            .all(|n| n["training"]["level"] == "TOWNSHIP" && n["training"]["required"] == 90.0),
        "{:#}",
        all[0]
    );

    // The selection cases: one per step reached, the cancelled one's pool back in the reserve.
    let board = server
        .gql(
            r#"{ selectionDashboard(asOf: "2026-11-20") { byStage { stage cases } }
                 reservePool(asOf: "2026-11-20") { inPool byStatus { band count } byAgeBand { band count } byEducation { band count } } }"#,
            "selectionDashboard",
        )
        .await;
    let stages: Vec<(String, u64)> = board["selectionDashboard"]["byStage"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| {
            (
                s["stage"].as_str().unwrap_or_default().to_owned(),
                s["cases"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            ("INSPECTION".to_owned(), 1),
            ("NOTICE".to_owned(), 1),
            ("APPOINTED".to_owned(), 1)
        ]
    );
    let pool = &board["reservePool"];
    let status = |band: &str| {
        pool["byStatus"]
            .as_array()
            .and_then(|b| b.iter().find(|s| s["band"] == band))
            .and_then(|s| s["count"].as_u64())
            .unwrap_or(0)
    };
    assert_eq!(status("已使用"), 1, "{pool:#}");
    assert!(
        status("在库") >= 2,
        "the cancelled case's pool is back: {pool:#}"
    );
    // Every pool cadre's education is on record (none counts as 未登记).
    let education: Vec<&str> = pool["byEducation"]
        .as_array()
        .expect("byEducation")
        .iter()
        .filter(|b| b["count"].as_u64() > Some(0))
        .filter_map(|b| b["band"].as_str())
        .collect();
    assert!(
        !education.is_empty() && !education.contains(&"未登记"),
        "{pool:#}"
    );
    let case = server
        .gql(
            r#"{ selectionCase(caseId: "xr-2026-01") { stage candidates { status probationUntil } } }"#,
            "selectionCase",
        )
        .await;
    assert_eq!(case["selectionCase"]["stage"], "APPOINTED");
    assert_eq!(
        case["selectionCase"]["candidates"][0]["probationUntil"],
        "2027-04-20"
    );
    server.stop();
}
