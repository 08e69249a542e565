//! Award batches and single awards, appeals, supervision entries and selection policy values through GraphQL: each bad input refused with its rule, the log unchanged.

use dossier_tests::{TestApp, spawn_app};
use serde_json::{Value, json};

use crate::flow::setup;

/// Send `query` as the admin; assert the error code and rule, an unchanged log; the message.
async fn refused(app: &TestApp, query: &str, variables: Value, code: &str, rule: &str) -> String {
    let before = app.head().await;
    let reply = app.admin(query, variables).await;
    assert_eq!(reply.codes(), [code], "{query}: {:#}", reply.body);
    let err = reply.first_error();
    assert_eq!(err["extensions"]["rule"], rule, "{query}: {:#}", reply.body);
    assert_eq!(app.head().await, before, "{query}: the log changed");
    err["message"].as_str().unwrap_or_default().to_owned()
}

async fn accepted(app: &TestApp, query: &str, variables: Value) {
    app.admin(query, variables).await.ok();
}

const GRANT: &str = "mutation($i: GrantAwardInput!) { grantAward(input: $i, meta: {effective: \"2025-12-01\"}) { streamVersion } }";
const STEED: &str = "mutation($i: SteedBatchInput!) { announceSteedBatch(input: $i, meta: {effective: \"2025-12-01\"}) { streamVersion } }";
const THREE_GOOD: &str = "mutation($y: Int!, $w: [ThreeGoodWinnerInput!]!) { announceThreeGood(batchId: \"three-good-2025\", year: $y, winners: $w, meta: {effective: \"2025-12-20\"}) { streamVersion } }";

fn steed(batch: &str, ordinal: i64) -> Value {
    json!({"i": {"batchId": batch, "ordinal": ordinal, "year": 2025, "title": "骏马奖",
        "awardees": [{"cadreId": "c001", "citation": "招商引资一线实绩突出"}]}})
}

#[tokio::test]
async fn steed_and_three_good_come_only_from_their_batches_numbered_once_a_year() {
    let app = spawn_app().await;
    setup(&app).await;
    for (kind, source) in [
        ("STEED", None),
        ("THREE_GOOD", None),
        ("STEED", Some("award-s9")),
    ] {
        let message = refused(
            &app,
            GRANT,
            json!({"i": {"cadreId": "c001", "awardId": "s9", "kind": kind, "title": "骏马奖", "year": 2025, "source": source}}),
            "RULE_REFUSED",
            "AWARD_KIND_BY_BATCH_ONLY",
        )
        .await;
        assert!(
            message.contains("announce"),
            "names the batch command: {message}"
        );
    }
    // c001 was born in 1980.
    let message = refused(
        &app,
        GRANT,
        json!({"i": {"cadreId": "c001", "awardId": "m1", "kind": "MERIT", "title": "三等功", "year": 1900}}),
        "VALIDATION",
        "AWARD_YEAR_INVALID",
    )
    .await;
    assert!(
        message.contains("张明（c001）") && message.contains("1980"),
        "{message}"
    );
    accepted(
        &app,
        GRANT,
        json!({"i": {"cadreId": "c001", "awardId": "m1", "kind": "MERIT", "title": "三等功", "year": 2025}}),
    )
    .await;

    refused(
        &app,
        STEED,
        steed("steed-1", 0),
        "VALIDATION",
        "AWARD_ORDINAL_INVALID",
    )
    .await;
    accepted(&app, STEED, steed("steed-1", 1)).await;
    let message = refused(
        &app,
        STEED,
        steed("steed-2", 1),
        "RULE_REFUSED",
        "AWARD_ORDINAL_USED",
    )
    .await;
    assert!(message.contains("steed-1"), "{message}");
    accepted(&app, STEED, steed("steed-2", 2)).await;

    let team = json!([{"category": "TEAM", "unitId": "sw", "citation": "班子团结"}]);
    refused(
        &app,
        THREE_GOOD,
        json!({"y": 1950, "w": team}),
        "VALIDATION",
        "AWARD_YEAR_INVALID",
    )
    .await;
    // c001 heads fgw, not sw.
    let head_of = |unit: &str| json!([{"category": "LEADER", "unitId": unit, "cadreId": "c001", "citation": "带队伍成效突出"}]);
    let message = refused(
        &app,
        THREE_GOOD,
        json!({"y": 2025, "w": head_of("sw")}),
        "RULE_REFUSED",
        "THREE_GOOD_NOT_UNIT_LEADER",
    )
    .await;
    assert!(
        message.contains("张明（c001）") && message.contains("区商务局（sw）"),
        "{message}"
    );
    accepted(&app, THREE_GOOD, json!({"y": 2025, "w": head_of("fgw")})).await;
}

const FILE: &str = "mutation($i: FileAppealInput!, $m: CommandMeta) { fileAppeal(input: $i, meta: $m) { streamVersion } }";

#[tokio::test]
async fn an_appeal_names_registered_units_and_its_steps_keep_their_order() {
    let app = spawn_app().await;
    setup(&app).await;
    accepted(
        &app,
        "mutation { registerUnit(input: {unitId: \"u25\", name: \"溱潼镇\"}, meta: {effective: \"2020-01-01\"}) { streamVersion } }",
        json!({}),
    )
    .await;
    let town = |town: &str, effective: &str| {
        json!({"i": {"appealId": "a1", "cadreId": "c001", "level": "TOWN", "town": town, "summary": "职级待遇未落实"},
               "m": {"effective": effective}})
    };
    let message = refused(
        &app,
        FILE,
        town("火星镇", "2025-07-01"),
        "NOT_FOUND",
        "UNIT_NOT_FOUND",
    )
    .await;
    assert!(
        message.contains("火星镇") && message.contains("溱潼镇"),
        "{message}"
    );
    refused(
        &app,
        FILE,
        town("溱潼镇", "1901-01-01"),
        "VALIDATION",
        "INPUT_OUT_OF_RANGE",
    )
    .await;
    accepted(&app, FILE, town("溱潼镇", "2025-07-01")).await;

    let step = |q: &str, on: &str| (q.to_owned(), json!({"m": {"effective": on}}));
    let (list_u99, vars) = step(
        "mutation($m: CommandMeta) { listAppeal(appealId: \"a1\", assigneeUnitId: \"u99\", meta: $m) { streamVersion } }",
        "2025-07-02",
    );
    refused(&app, &list_u99, vars, "NOT_FOUND", "UNIT_NOT_FOUND").await;
    for (q, on) in [
        (
            "mutation($m: CommandMeta) { listAppeal(appealId: \"a1\", assigneeUnitId: \"sw\", meta: $m) { streamVersion } }",
            "2025-07-02",
        ),
        (
            "mutation($m: CommandMeta) { claimAppeal(appealId: \"a1\", handler: \"商务局办公室\", meta: $m) { streamVersion } }",
            "2025-07-03",
        ),
    ] {
        let (q, vars) = step(q, on);
        accepted(&app, &q, vars).await;
    }
    let coordinate = "mutation($u: [String!]!, $m: CommandMeta) { coordinateAppeal(appealId: \"a1\", participantUnitIds: $u, outcome: \"明确责任\", meta: $m) { streamVersion } }";
    let on = json!({"effective": "2025-07-08"});
    refused(
        &app,
        coordinate,
        json!({"u": [], "m": on}),
        "VALIDATION",
        "APPEAL_NO_PARTICIPANTS",
    )
    .await;
    refused(
        &app,
        coordinate,
        json!({"u": ["zz-nonexistent"], "m": on}),
        "NOT_FOUND",
        "UNIT_NOT_FOUND",
    )
    .await;
    accepted(&app, coordinate, json!({"u": ["sw", "u25"], "m": on})).await;
    let typical = "mutation($m: CommandMeta) { markAppealTypical(appealId: \"a1\", reason: \"典型\", meta: $m) { streamVersion } }";
    refused(
        &app,
        typical,
        json!({"m": {"effective": "2025-07-05"}}),
        "VALIDATION",
        "DATE_BEFORE_PREVIOUS_STEP",
    )
    .await;
    accepted(&app, typical, json!({"m": {"effective": "2025-07-08"}})).await;
}

#[tokio::test]
async fn a_supervision_entry_is_retracted_after_it_was_recorded_never_before_the_records_begin() {
    let app = spawn_app().await;
    setup(&app).await;
    let record = "mutation($on: Date!, $m: CommandMeta) { recordSupervision(input: {entryId: \"s1\", cadreId: \"c001\", source: ORG_SECTION, sourceName: \"干部监督科\", channel: MEETING, kind: DAILY_CONDUCT, tone: NEUTRAL, content: \"列席民主生活会\", observedOn: $on}, meta: $m) { streamVersion } }";
    refused(
        &app,
        record,
        json!({"on": "1901-03-01", "m": {"effective": "2025-12-01"}}),
        "VALIDATION",
        "INPUT_OUT_OF_RANGE",
    )
    .await;
    accepted(
        &app,
        record,
        json!({"on": "2025-11-30", "m": {"effective": "2025-12-01"}}),
    )
    .await;
    let retract = "mutation($m: CommandMeta) { retractSupervision(entryId: \"s1\", reason: \"记错对象\", meta: $m) { streamVersion } }";
    refused(
        &app,
        retract,
        json!({"m": {"effective": "2025-11-02"}}),
        "VALIDATION",
        "DATE_BEFORE_PREVIOUS_STEP",
    )
    .await;
    accepted(&app, retract, json!({"m": {"effective": "2025-12-02"}})).await;
}

/// The national policy as `publishPolicy` takes it, with the selection values.
async fn national_policy(app: &TestApp) -> Value {
    let fields = "promotion { ladder { to from equivalent minMonths } excellentReductionMonths publicNoticeWorkingDays }
        assessment { excellentSharePercent excellentShareMaxPercent meritAfterExcellentYears admonitionMonths dismissalAfterIncompetentYears }
        sanctions { effectMonths { sanction months } admonitionEffectMonths }
        points { gradePoints { grade points } awardPoints { kind points } sanctionPoints { sanction points } seniorityPointsPerYear countedYears frontLineMultiplier { field multiplier } }
        quota { frontLinePerYear }
        training { townshipHoursPerYear countyHoursPerWindow countyWindowYears makeupMonths completionAttendancePercent }
        tenure { leadershipSamePostYears sensitivePostYears maxTermsSamePost maxYearsSameLevel sensitiveCategories termYears avoidanceCategories }
        appeal { listDays assignDays claimDays coordinateDays trackDays }
        reminders { endDateDaysAhead downReviewDueDays }
        selection { minExtraCandidates maxCandidatesPerPost noticeWorkingDays probationMonths }";
    let reply = app
        .admin(
            &format!("{{ policy(asOf: \"2025-06-30\") {{ {fields} }} }}"),
            json!({}),
        )
        .await;
    reply.ok();
    reply.data("policy").clone()
}

#[tokio::test]
async fn a_selection_policy_is_refused_value_by_value_and_when_no_round_could_pass() {
    let app = spawn_app().await;
    let national = national_policy(&app).await;
    let publish = "mutation($p: PolicyInput!) { publishPolicy(title: \"选任补充规定\", effectiveFrom: \"2026-01-01\", policy: $p, meta: {effective: \"2025-12-01\", basis: \"姜组〔2025〕31号\"}) { streamVersion } }";
    let with = |change: &[(&str, i64)]| {
        let mut p = national.clone();
        for (k, v) in change {
            p["selection"][*k] = json!(v);
        }
        json!({ "p": p })
    };
    let message = refused(
        &app,
        publish,
        with(&[("maxCandidatesPerPost", 0)]),
        "VALIDATION",
        "POLICY_INVALID_VALUE",
    )
    .await;
    assert!(
        message.contains("maxCandidatesPerPost") && message.contains("为 0"),
        "{message}"
    );
    let message = refused(
        &app,
        publish,
        with(&[("probationMonths", 600)]),
        "VALIDATION",
        "POLICY_INVALID_VALUE",
    )
    .await;
    assert!(
        message.contains("probationMonths") && message.contains("600"),
        "{message}"
    );
    refused(
        &app,
        publish,
        with(&[("minExtraCandidates", 5), ("maxCandidatesPerPost", 2)]),
        "VALIDATION",
        "POLICY_SELECTION_CONTRADICTORY",
    )
    .await;
    accepted(
        &app,
        publish,
        with(&[("minExtraCandidates", 2), ("maxCandidatesPerPost", 3)]),
    )
    .await;
}
