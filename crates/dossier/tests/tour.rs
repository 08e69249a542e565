//! The README's 5-minute tour, end to end: its `serve --demo` command on a fresh database and a free port, the start-up lines it shows, every GraphQL example it gives, and the figures it states.

mod support;

use std::process::Command;

use serde_json::Value;
use support::{BIN, Block, Server, blocks, prose_after, wildcards, workspace};

/// The README's tour: its blocks in order, and where its prose is read from.
struct Tour {
    blocks: Vec<Block>,
}

impl Tour {
    fn read() -> Tour {
        Tour {
            blocks: blocks(&workspace().join("README.md")),
        }
    }

    /// The tour's start command (`cargo run --release -- serve --demo`) as the binary's arguments.
    fn serve_args(&self) -> Vec<String> {
        let line = self
            .blocks
            .iter()
            .filter(|b| b.lang == "sh")
            .flat_map(|b| b.text.lines())
            .find(|l| l.contains(" serve"))
            .expect("README gives a serve command");
        let args = line
            .split_once(" -- ")
            .map_or(line, |(_, args)| args)
            .trim_start_matches("dossier ");
        args.split_whitespace().map(String::from).collect()
    }

    /// The start-up lines the tour shows (the first `text` block).
    fn startup_text(&self) -> &str {
        &self
            .blocks
            .iter()
            .find(|b| b.lang == "text")
            .expect("README shows what serve prints")
            .text
    }

    fn graphql(&self) -> Vec<&Block> {
        self.blocks.iter().filter(|b| b.lang == "graphql").collect()
    }
}

#[test]
fn an_elided_example_value_becomes_a_wildcard() {
    assert_eq!(
        wildcards("admin token (org_admin): dos_3f9c…\nport 8080"),
        "admin token (org_admin): dos_[..]\nport 8080"
    );
}

/// A figure the README states: `dashboard/metric` has `value`, for `key` (or for every key if none).
#[derive(Debug, PartialEq)]
struct Claim {
    dashboard: String,
    metric: String,
    key: Option<String>,
    value: f64,
}

/// Reads the figures a sentence states, written as the tour writes them:
/// `` `training/classes` main 9 and thematic 13 `` (keys before values), `` `awards/steed_batches` 5
/// with `steed_awardees` 37 `` (another metric of the same dashboard), `` `promotion/quota` 20 a year ``
/// (a value straight after the metric: every key), `` … 8 (2026) `` (a year in brackets: the key of
/// the figures stated since the last dashboard).
fn claims(text: &str) -> Vec<Claim> {
    let mut out: Vec<Claim> = Vec::new();
    let (mut dashboard, mut metric) = (String::new(), String::new());
    let mut key: Option<String> = None;
    let mut since_dashboard = 0;
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`') {
            let (code, tail) = after.split_once('`').unwrap_or((after, ""));
            match code.split_once('/') {
                Some((d, m)) => {
                    (dashboard, metric) = (d.to_owned(), m.to_owned());
                    since_dashboard = out.len();
                }
                None => metric = code.to_owned(),
            }
            key = None;
            rest = tail;
            continue;
        }
        let word_end = rest
            .find(|c: char| c.is_whitespace() || c == '`' || c == ':')
            .unwrap_or(rest.len())
            .max(rest.chars().next().map_or(1, char::len_utf8));
        let (word, tail) = rest.split_at(word_end);
        rest = tail.trim_start_matches(|c: char| c.is_whitespace() || c == ':');
        let bare = word.trim_matches(|c: char| c == ',' || c == '.' || c == ';');
        if metric.is_empty() || bare.is_empty() {
            continue;
        }
        if let Some(year) = bare.strip_prefix('(').and_then(|w| w.strip_suffix(')')) {
            for claim in &mut out[since_dashboard..] {
                claim.key.get_or_insert_with(|| year.to_owned());
            }
        } else if let Ok(value) = bare.replace(',', "").parse::<f64>() {
            out.push(Claim {
                dashboard: dashboard.clone(),
                metric: metric.clone(),
                key: key.take(),
                value,
            });
        } else if bare.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            key = Some(bare.to_owned());
        }
    }
    // Keys are only the words right before a value: "a year", "with", "over", "in" are not keys.
    out
}

#[test]
fn the_tour_sentence_is_read_as_the_figures_it_states() {
    let got = claims(
        "among them: `training/classes` main 9 and thematic 13, `awards/three_good_years` 4, \
         `awards/steed_batches` 5 with `steed_awardees` 37, `promotion/quota` 20 a year, \
         `rotation/hot_post_heads_rotated` 56 in `hot_post_units` 8 (2026):",
    );
    let c = |d: &str, m: &str, k: Option<&str>, v: f64| Claim {
        dashboard: d.into(),
        metric: m.into(),
        key: k.map(String::from),
        value: v,
    };
    assert_eq!(
        got,
        vec![
            c("training", "classes", Some("main"), 9.0),
            c("training", "classes", Some("thematic"), 13.0),
            c("awards", "three_good_years", None, 4.0),
            c("awards", "steed_batches", None, 5.0),
            c("awards", "steed_awardees", None, 37.0),
            c("promotion", "quota", None, 20.0),
            c("rotation", "hot_post_heads_rotated", Some("2026"), 56.0),
            c("rotation", "hot_post_units", Some("2026"), 8.0),
        ]
    );
}

/// The number written just before `word` in `text` (`about 4,700 events` → 4700).
fn number_before(text: &str, word: &str) -> f64 {
    let at = text
        .find(&format!(" {word}"))
        .unwrap_or_else(|| panic!("the README no longer says how many {word}"));
    text[..at]
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("no number before {word:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_tour_runs_as_written_and_shows_the_figures_it_states() {
    let readme = workspace().join("README.md");
    let tour = Tour::read();
    let dir = tempfile::tempdir().expect("temp dir");

    // 1. Start, on an empty database: the demo district is built, then the lines the README shows.
    let server = Server::start(&tour.serve_args(), dir.path());
    let expected = wildcards(tour.startup_text());
    snapbox::assert_data_eq!(server.printed.clone(), expected);
    assert!(dir.path().join("dossier.db").exists(), "./dossier.db");

    let start = prose_after(&readme, "1. **Start**");
    let head = server.gql("{ head }", "head").await["head"]
        .as_f64()
        .expect("head");
    let events = number_before(&start, "events");
    assert!(
        (head - events).abs() <= events * 0.05,
        "the README says about {events} events; the demo has {head}"
    );
    let units = server.gql("{ units { unitId name } }", "units").await["units"].clone();
    let units = units.as_array().expect("units");
    assert_eq!(units.len() as f64, number_before(&start, "units"));

    // 3.–7. Every GraphQL example, in order, answers without errors.
    let examples = tour.graphql();
    assert_eq!(examples.len(), 5, "the tour's GraphQL steps: {examples:?}");
    let mut data = Vec::new();
    for block in &examples {
        data.push(server.gql(&block.text, &block.at()).await);
    }

    // 3. The head of a hot post in the unit the README names, rotated out of it this year, with
    // grades, awards and points.
    let profile_prose = prose_after(&readme, "3. **A cadre's profile**");
    let cadre = &data[0]["cadre"];
    let unit_name = |id: &Value| {
        units
            .iter()
            .find(|u| u["unitId"] == *id)
            .and_then(|u| u["name"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let rotations = cadre["rotations"].as_array().expect("rotations");
    let rotated_from: Vec<String> = rotations
        .iter()
        .filter(|r| r["on"].as_str().is_some_and(|on| on.starts_with("2026")))
        .map(|r| unit_name(&r["fromUnitId"]))
        .collect();
    // "… in the 行政审批局, rotated this year": the README names the unit without the district's prefix.
    let named = profile_prose
        .split(" in the ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .expect("the README names the cadre's unit");
    assert!(
        rotated_from.iter().any(|u| u.contains(named)),
        "the README says the cadre rotated this year out of {named}; rotated from {rotated_from:?}"
    );
    for list in ["posts", "grades", "awards"] {
        assert!(
            cadre[list].as_array().is_some_and(|l| !l.is_empty()),
            "{list}: {cadre}"
        );
    }
    assert!(cadre["points"]["total"].as_f64().is_some_and(|t| t > 0.0));

    // 4. The same cadre on an earlier date: same name, none of the later rotations.
    let then = &data[1]["cadre"];
    assert_eq!(then["name"], cadre["name"]);
    let as_of = examples[1]
        .text
        .split("asOf: \"")
        .nth(1)
        .and_then(|s| s.get(..10))
        .expect("an asOf date");
    let then_rotations = then["rotations"].as_array().expect("rotations then");
    assert!(then_rotations.len() < rotations.len());
    assert!(
        then_rotations
            .iter()
            .all(|r| r["on"].as_str().is_some_and(|on| on <= as_of))
    );

    // 5. The dashboards: every figure the README states.
    let figures = data[2]["dashboards"]["figures"]
        .as_array()
        .expect("figures")
        .clone();
    let stated = claims(&prose_after(&readme, "5. **The dashboards**"));
    assert!(
        stated.len() >= 10,
        "figures read from the README: {stated:?}"
    );
    for claim in &stated {
        let matching: Vec<&Value> = figures
            .iter()
            .filter(|f| {
                f["dashboard"] == claim.dashboard.as_str()
                    && f["metric"] == claim.metric.as_str()
                    && claim.key.as_ref().is_none_or(|k| f["key"] == k.as_str())
            })
            .collect();
        assert!(!matching.is_empty(), "no figure for {claim:?}");
        for f in matching {
            assert_eq!(f["value"].as_f64(), Some(claim.value), "{claim:?}: {f}");
        }
    }

    // 6. The audit trail: chained, in order, each with its hash.
    let trail = data[3]["auditTrail"].as_array().expect("audit trail");
    assert!(!trail.is_empty());
    let positions: Vec<u64> = trail
        .iter()
        .filter_map(|e| e["position"].as_u64())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    for e in trail {
        let hash = e["hash"].as_str().unwrap_or_default();
        assert!(hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()));
    }

    // 7. The mutation is recorded, after everything else.
    let recorded = &data[4]["recordSupervision"];
    assert!(recorded["position"].as_f64().is_some_and(|p| p > head));
    assert!(
        recorded["events"][0]["type"]
            .as_str()
            .is_some_and(|t| t.starts_with("supervision.")),
        "{recorded}"
    );

    // Stopped with SIGTERM, the server exits cleanly and the log verifies.
    let status = server.stop();
    assert!(status.success(), "serve exited with {status}");
    let verify = Command::new(BIN)
        .args(["verify"])
        .current_dir(dir.path())
        .env_remove("DOSSIER_DB")
        .output()
        .expect("run verify");
    assert!(verify.status.success(), "{verify:?}");
}
