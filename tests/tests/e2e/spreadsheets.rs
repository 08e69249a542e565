//! Excel over GraphQL: `importRoster` enters a 花名册's rows through the commands (a dry run lists
//! the refused rows and writes nothing, a second import enters nothing twice, a bad file changes
//! nothing), and `xlsx` gives the cadre list, the dashboards or the alerts as a workbook as of a
//! date, within the caller's role.

use base64::Engine as _;
use calamine::{Reader as _, Xlsx};
use dossier_domain::Role;
use dossier_tests::{TestApp, id_number, spawn_app};
use serde_json::{Value, json};

const IMPORT: &str = "mutation($content: String!, $dry: Boolean!, $mapping: RosterMappingInput) { importRoster(input: {fileName: \"花名册.xlsx\", contentBase64: $content, mapping: $mapping, effective: \"2024-03-01\", dryRun: $dry}) { rows created alreadyImported refused { row reason } } }";
const EXPORT: &str = "query($kind: XlsxKind!, $asOf: Date!, $unit: String) { xlsx(kind: $kind, asOf: $asOf, unitId: $unit) { fileName rows contentBase64 } }";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A roster: headings, then one row per (name, ID number, unit, rank).
fn roster(headings: &[&str], rows: &[[&str; 4]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in headings.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
        sheet.write_string(r as u32 + 1, 4, "2021.06").unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// The rows of a returned workbook's first sheet, as text.
fn sheet(reply: &Value) -> Vec<Vec<String>> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(reply["contentBase64"].as_str().expect("content"))
        .expect("base64");
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    let range = book.worksheet_range_at(0).expect("a sheet").expect("read");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

async fn district(app: &TestApp) {
    for (id, name) in [("u01", "姜堰区行政审批局"), ("u02", "姜堰区商务局")] {
        app.admin(
            "mutation($id: ID!, $name: String!) { registerUnit(input: {unitId: $id, name: $name}, meta: {effective: \"2020-01-01\"}) { streamVersion } }",
            json!({"id": id, "name": name}),
        )
        .await
        .ok();
    }
}

#[tokio::test]
async fn a_roster_imports_its_good_rows_once_and_lists_the_refused_ones() {
    let app = spawn_app().await;
    district(&app).await;
    let good = [
        id_number("1980-05-01", 11),
        id_number("1982-07-15", 12),
        id_number("1990-01-20", 13),
    ];
    let mut wrong_digit = id_number("1985-04-12", 14);
    let last = if wrong_digit.ends_with('0') { '1' } else { '0' };
    wrong_digit.pop();
    wrong_digit.push(last);
    let rows = [
        ["王一", good[0].as_str(), "姜堰区行政审批局", "一级主任科员"],
        ["王二", good[1].as_str(), "姜堰区商务局", "二级主任科员"],
        ["王三", wrong_digit.as_str(), "姜堰区商务局", ""],
        ["王四", good[2].as_str(), "姜堰区不存在局", ""],
    ];
    let file = roster(&["姓名", "身份证号", "单位", "职级", "任职时间"], &rows);
    let before = app.head().await;

    let dry = app
        .admin(IMPORT, json!({"content": b64(&file), "dry": true}))
        .await;
    dry.ok();
    assert_eq!(dry.data("importRoster.rows"), &json!(4));
    assert_eq!(dry.data("importRoster.created"), &json!(2));
    let refused = dry.data("importRoster.refused").as_array().unwrap().clone();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert_eq!(refused[0]["row"], 4);
    assert!(refused[0]["reason"].as_str().unwrap().contains("身份证号"));
    assert_eq!(refused[1]["row"], 5);
    assert!(
        refused[1]["reason"]
            .as_str()
            .unwrap()
            .contains("单位“姜堰区不存在局”未登记")
    );
    assert_eq!(app.head().await, before, "a dry run writes nothing");

    let done = app
        .admin(IMPORT, json!({"content": b64(&file), "dry": false}))
        .await;
    done.ok();
    assert_eq!(done.data("importRoster.created"), &json!(2));
    assert!(app.head().await > before);
    let list = app
        .admin(
            "{ cadres(first: 10, nameContains: \"王\") { edges { node { name unitId rank } } } }",
            json!({}),
        )
        .await;
    list.ok();
    let names: Vec<&str> = list
        .data("cadres.edges")
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"王一") && names.contains(&"王二"));

    let after = app.head().await;
    let again = app
        .admin(IMPORT, json!({"content": b64(&file), "dry": false}))
        .await;
    again.ok();
    assert_eq!(again.data("importRoster.created"), &json!(0));
    assert_eq!(again.data("importRoster.alreadyImported"), &json!(2));
    assert_eq!(app.head().await, after, "nothing entered twice");

    // Other headings, mapped: the same people are already there.
    let mapped = roster(
        &["名字", "公民身份号码", "工作单位", "现职级", "任职时间"],
        &rows[..2],
    );
    let reply = app
        .admin(
            IMPORT,
            json!({"content": b64(&mapped), "dry": true, "mapping": {"name": "名字", "idNumber": "公民身份号码", "unit": "工作单位", "rank": "现职级"}}),
        )
        .await;
    reply.ok();
    assert_eq!(reply.data("importRoster.rows"), &json!(2));
    assert_eq!(
        reply.data("importRoster.refused").as_array().unwrap().len(),
        2,
        "already registered ID numbers are refused"
    );
}

#[tokio::test]
async fn a_bad_roster_or_a_role_that_may_not_import_changes_nothing() {
    let app = spawn_app().await;
    district(&app).await;
    let before = app.head().await;
    for (content, rule) in [
        ("%%% not base64".to_owned(), "ROSTER_MALFORMED"),
        (b64(b"PK not really a zip"), "ROSTER_MALFORMED"),
        (
            b64(&roster(
                &["姓名", "单位"],
                &[["王五", "", "姜堰区商务局", ""]],
            )),
            "ROSTER_COLUMN_MISSING",
        ),
    ] {
        let reply = app
            .admin(IMPORT, json!({"content": content, "dry": false}))
            .await;
        assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
        assert_eq!(
            reply.first_error()["extensions"]["rule"],
            rule,
            "{:#}",
            reply.body
        );
    }
    let head = app.token(Role::UnitHead, Some("u01")).await;
    let file = roster(
        &["姓名", "身份证号", "单位", "职级", "任职时间"],
        &[["王六", &id_number("1980-05-01", 21), "姜堰区行政审批局", ""]],
    );
    let reply = app
        .gql(
            Some(&head),
            IMPORT,
            json!({"content": b64(&file), "dry": false}),
        )
        .await;
    assert_eq!(reply.codes(), ["FORBIDDEN"], "{:#}", reply.body);
    assert_eq!(app.head().await, before);
}

#[tokio::test]
async fn the_list_dashboards_and_alerts_export_as_workbooks_as_of_a_date_within_the_role() {
    let app = spawn_app().await;
    district(&app).await;
    let file = roster(
        &["姓名", "身份证号", "单位", "职级", "任职时间"],
        &[
            [
                "李一",
                &id_number("1980-05-01", 31),
                "姜堰区行政审批局",
                "一级主任科员",
            ],
            ["李二", &id_number("1981-05-01", 32), "姜堰区商务局", ""],
        ],
    );
    app.admin(IMPORT, json!({"content": b64(&file), "dry": false}))
        .await
        .ok();

    let reply = app
        .admin(EXPORT, json!({"kind": "CADRES", "asOf": "2024-06-30"}))
        .await;
    reply.ok();
    let out = reply.data("xlsx");
    assert_eq!(out["fileName"], "干部名册-2024-06-30.xlsx");
    assert_eq!(out["rows"], 2);
    let rows = sheet(out);
    assert_eq!(rows[0][0], "截至 2024-06-30");
    assert_eq!(rows[1][1], "姓名");
    let names: Vec<&str> = rows[2..].iter().map(|r| r[1].as_str()).collect();
    assert!(
        names.contains(&"李一") && names.contains(&"李二"),
        "{names:?}"
    );
    let li_yi = rows[2..].iter().find(|r| r[1] == "李一").unwrap();
    assert_eq!(li_yi[6], "一级主任科员");

    // Before the registrations took effect the list is empty.
    let early = app
        .admin(EXPORT, json!({"kind": "CADRES", "asOf": "2024-02-29"}))
        .await;
    assert_eq!(early.data("xlsx.rows"), &json!(0));

    // A unit head exports their own unit's list only.
    let head = app.token(Role::UnitHead, Some("u02")).await;
    let own = app
        .gql(
            Some(&head),
            EXPORT,
            json!({"kind": "CADRES", "asOf": "2024-06-30"}),
        )
        .await;
    own.ok();
    let rows = sheet(own.data("xlsx"));
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[2][1], "李二");
    let other = app
        .gql(
            Some(&head),
            EXPORT,
            json!({"kind": "CADRES", "asOf": "2024-06-30", "unit": "u01"}),
        )
        .await;
    assert_eq!(other.codes(), ["FORBIDDEN"], "{:#}", other.body);
    assert!(other.body["data"]["xlsx"].is_null());

    // The analyst reads figures, not people.
    let analyst = app.token(Role::Analyst, None).await;
    let figures = app
        .gql(
            Some(&analyst),
            EXPORT,
            json!({"kind": "DASHBOARDS", "asOf": "2024-06-30"}),
        )
        .await;
    figures.ok();
    let rows = sheet(figures.data("xlsx"));
    assert_eq!(rows[1], ["看板", "指标", "分项", "数值"]);
    assert!(rows.len() > 2);
    let people = app
        .gql(
            Some(&analyst),
            EXPORT,
            json!({"kind": "CADRES", "asOf": "2024-06-30"}),
        )
        .await;
    assert_eq!(people.codes(), ["FORBIDDEN"]);
    let alerts = app
        .admin(EXPORT, json!({"kind": "ALERTS", "asOf": "2024-06-30"}))
        .await;
    alerts.ok();
    assert_eq!(sheet(alerts.data("xlsx"))[1][0], "预警类型");
}
