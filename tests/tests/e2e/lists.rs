//! The case lists (appeals, leads, bulletins, training classes, forum cycles) as Relay connections: paged forward with `first`/`after` and backward with `last`/`before` through to the end, `totalCount`, cursors that stay put as items are added, bad paging refused, and each list's role rules (a cadre's own appeals only; leads and bulletins for supervisors only, every page read recorded with its ids).

use dossier_domain::Role;
use dossier_tests::{TestApp, id_number, spawn_app};
use serde_json::{Value, json};

use crate::flow::setup;

/// A district with 5 appeals (3 of c001, 2 of c002), 3 leads, 3 bulletins, 3 classes, 3 forums.
async fn world() -> TestApp {
    let app = spawn_app().await;
    setup(&app).await;
    let ok = |reply: dossier_tests::Reply| {
        reply.ok();
    };
    ok(app.admin(
        "mutation($id: String!) { registerCadre(input: {cadreId: \"c002\", name: \"李华\", idNumber: $id, unitId: \"sw\"}, meta: {effective: \"2021-01-01\"}) { streamVersion } }",
        json!({"id": id_number("1988-08-08", 2)}),
    ).await);
    for (appeal, cadre) in [
        ("a1", "c001"),
        ("a2", "c002"),
        ("a3", "c001"),
        ("a4", "c002"),
        ("a5", "c001"),
    ] {
        ok(app.admin(
            "mutation($a: String!, $c: String!) { fileAppeal(input: {appealId: $a, cadreId: $c, level: DISTRICT, summary: \"待遇未落实\"}, meta: {effective: \"2025-07-01\"}) { streamVersion } }",
            json!({"a": appeal, "c": cadre}),
        ).await);
    }
    for lead in ["l1", "l2", "l3"] {
        ok(app.admin(
            "mutation($l: String!) { transferLead(input: {leadId: $l, cadreId: \"c001\", agency: POLICE, category: JUDICIAL, summary: \"交通违法记录\"}, meta: {effective: \"2025-04-01\"}) { streamVersion } }",
            json!({"l": lead}),
        ).await);
    }
    for month in ["2025-01", "2025-02", "2025-03"] {
        ok(app
            .admin(
                "mutation($m: String!) { openBulletin(month: $m) { streamVersion } }",
                json!({"m": month}),
            )
            .await);
    }
    for class in ["cls1", "cls2", "cls3"] {
        ok(app.admin(
            "mutation($c: String!) { scheduleClass(input: {classId: $c, name: \"特训营\", kind: THEMATIC, theme: \"招商引资\", startDate: \"2025-03-01\", endDate: \"2025-03-05\", scheduledHours: 40}, meta: {effective: \"2025-02-20\"}) { streamVersion } }",
            json!({"c": class}),
        ).await);
    }
    for (forum, month) in [("f1", 1), ("f2", 3), ("f3", 5)] {
        ok(app.admin(
            "mutation($f: String!, $m: Int!) { openForum(input: {forumId: $f, topic: \"营商环境\", year: 2025, month: $m}, meta: {effective: \"2025-01-01\"}) { streamVersion } }",
            json!({"f": forum, "m": month}),
        ).await);
    }
    app
}

/// Every list: (field, id field of a node).
const LISTS: [(&str, &str); 5] = [
    ("appeals", "appealId"),
    ("leads", "leadId"),
    ("bulletins", "bulletinId"),
    ("trainingClasses", "classId"),
    ("forums", "forumId"),
];

fn page_query(field: &str, id: &str) -> String {
    format!(
        "query($first: Int, $after: String, $last: Int, $before: String) {{ {field}(first: $first, after: $after, last: $last, before: $before) {{ totalCount edges {{ cursor node {{ {id} }} }} pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}"
    )
}

/// The ids of `field` read page by page of `size` as `token`: forward (`first`/`after` with
/// each `endCursor`) or backward (`last`/`before` with each `startCursor`), with the
/// `totalCount` every page gave.
async fn walk(
    app: &TestApp,
    token: &str,
    (field, id): (&str, &str),
    size: i64,
    forward: bool,
) -> (Vec<String>, Vec<i64>) {
    let q = page_query(field, id);
    let (mut ids, mut totals) = (Vec::new(), Vec::new());
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let vars = if forward {
            json!({"first": size, "after": cursor})
        } else {
            json!({"last": size, "before": cursor})
        };
        let reply = app.gql(Some(token), &q, vars).await;
        reply.ok();
        let c = reply.data(field).clone();
        totals.push(c["totalCount"].as_i64().unwrap());
        let mut page: Vec<String> = c["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                assert_eq!(e["cursor"], e["node"][id], "an item's cursor is its id");
                e["node"][id].as_str().unwrap().to_owned()
            })
            .collect();
        let info = &c["pageInfo"];
        if forward {
            ids.append(&mut page);
            if info["hasNextPage"] != true {
                break;
            }
            cursor = info["endCursor"].as_str().map(str::to_owned);
        } else {
            page.append(&mut ids);
            ids = page;
            if info["hasPreviousPage"] != true {
                break;
            }
            cursor = info["startCursor"].as_str().map(str::to_owned);
        }
    }
    (ids, totals)
}

#[tokio::test]
async fn every_list_pages_forward_and_backward_by_cursor_to_the_end() {
    let app = world().await;
    let expected: [&[&str]; 5] = [
        &["a1", "a2", "a3", "a4", "a5"],
        &["l1", "l2", "l3"],
        &["2025-01", "2025-02", "2025-03"],
        &["cls1", "cls2", "cls3"],
        &["f1", "f2", "f3"],
    ];
    for (list, want) in LISTS.into_iter().zip(expected) {
        for forward in [true, false] {
            let (ids, totals) = walk(&app, &app.admin, list, 2, forward).await;
            assert_eq!(ids, want, "{} forward={forward}", list.0);
            assert!(
                totals.iter().all(|t| *t == want.len() as i64),
                "{}: totalCount on every page is the whole list: {totals:?}",
                list.0
            );
        }
    }
    // Between two cursors: the items strictly between them.
    let reply = app
        .admin(
            &page_query("appeals", "appealId"),
            json!({"after": "a1", "before": "a4"}),
        )
        .await;
    let ids: Vec<&str> = reply
        .data("appeals.edges")
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["appealId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a2", "a3"]);
}

#[tokio::test]
async fn a_cursor_stays_put_when_items_are_added_before_it() {
    let app = world().await;
    let q = page_query("appeals", "appealId");
    let reply = app.admin(&q, json!({"first": 2})).await;
    let end = reply
        .data("appeals.pageInfo.endCursor")
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(end, "a2");
    // An appeal filed meanwhile that sorts before the cursor does not shift the next page.
    app.admin(
        "mutation { fileAppeal(input: {appealId: \"a0\", cadreId: \"c001\", level: DISTRICT, summary: \"新诉求\"}, meta: {effective: \"2025-07-02\"}) { streamVersion } }",
        json!({}),
    )
    .await
    .ok();
    let reply = app.admin(&q, json!({"first": 2, "after": end})).await;
    let ids: Vec<&str> = reply
        .data("appeals.edges")
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["appealId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a3", "a4"]);
    assert_eq!(reply.data("appeals.totalCount"), 6);
    assert_eq!(reply.data("appeals.pageInfo.hasPreviousPage"), true);
}

#[tokio::test]
async fn bad_paging_is_refused_in_chinese_and_the_rest_answers() {
    let app = world().await;
    let q = page_query("trainingClasses", "classId");
    for (vars, says) in [
        (json!({"after": "cls9"}), "游标「cls9」无效"),
        (json!({"first": 2, "last": 2}), "不能同时给出"),
        (json!({"first": 101}), "101"),
        (json!({"last": -1}), "-1"),
    ] {
        let reply = app.admin(&q, vars.clone()).await;
        assert_eq!(reply.codes(), ["VALIDATION"], "{vars}: {:#}", reply.body);
        let message = reply.first_error()["message"].as_str().unwrap();
        assert!(message.contains(says), "{vars}: {message}");
        assert!(reply.body["data"]["trainingClasses"].is_null());
    }
    // Without `first` or `last` a page of 20 is served.
    let reply = app.admin(&q, json!({})).await;
    assert_eq!(
        reply
            .data("trainingClasses.edges")
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn a_cadre_pages_through_their_own_appeals_only() {
    let app = world().await;
    let cadre = app.token(Role::Cadre, Some("c001")).await;
    let (ids, totals) = walk(&app, &cadre, LISTS[0], 2, true).await;
    assert_eq!(ids, ["a1", "a3", "a5"]);
    assert!(totals.iter().all(|t| *t == 3), "{totals:?}");
    // Another cadre's appeal is no cursor for them: nothing about it is told.
    let reply = app
        .gql(
            Some(&cadre),
            &page_query("appeals", "appealId"),
            json!({"after": "a2"}),
        )
        .await;
    assert_eq!(reply.codes(), ["VALIDATION"], "{:#}", reply.body);
    // Classes and forums are not for a cadre; for the analyst, appeals are not.
    for field in ["trainingClasses", "forums"] {
        let reply = app
            .gql(
                Some(&cadre),
                &format!("{{ {field} {{ totalCount }} }}"),
                json!({}),
            )
            .await;
        assert_eq!(reply.codes(), ["FORBIDDEN"], "{field}: {:#}", reply.body);
    }
    let analyst = app.token(Role::Analyst, None).await;
    let reply = app
        .gql(
            Some(&analyst),
            "{ appeals { totalCount } trainingClasses { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(reply.codes(), ["FORBIDDEN"]);
    assert!(reply.body["data"]["appeals"].is_null());
    assert_eq!(reply.data("trainingClasses.totalCount"), 3);
}

/// The `access.Read` entries of the access log: (what, ids).
async fn access_reads(app: &TestApp) -> Vec<(String, Value)> {
    app.store
        .read_stream("access-log", Default::default())
        .await
        .unwrap()
        .iter()
        .map(|e| {
            let p: Value = serde_json::from_str(&e.payload).unwrap();
            (
                p["what"].as_str().unwrap_or_default().to_owned(),
                p["ids"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn leads_and_bulletins_are_for_supervisors_and_each_page_read_is_recorded_with_its_ids() {
    let app = world().await;
    for role in [Role::Auditor, Role::Analyst] {
        let token = app.token(role, None).await;
        let reply = app
            .gql(
                Some(&token),
                "{ leads { totalCount } bulletins { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(
            reply.codes(),
            ["FORBIDDEN", "FORBIDDEN"],
            "{role:?}: {:#}",
            reply.body
        );
    }
    assert!(
        access_reads(&app).await.is_empty(),
        "a refused read records nothing"
    );
    let inspector = app.token(Role::DisciplineInspector, None).await;
    let (ids, _) = walk(&app, &inspector, LISTS[1], 2, true).await;
    assert_eq!(ids, ["l1", "l2", "l3"]);
    let (ids, _) = walk(&app, &inspector, LISTS[2], 2, false).await;
    assert_eq!(ids, ["2025-01", "2025-02", "2025-03"]);
    assert_eq!(
        access_reads(&app).await,
        [
            ("leads".to_owned(), json!(["lead-l1", "lead-l2"])),
            ("leads".to_owned(), json!(["lead-l3"])),
            (
                "bulletins".to_owned(),
                json!(["bulletin-2025-02", "bulletin-2025-03"])
            ),
            ("bulletins".to_owned(), json!(["bulletin-2025-01"])),
        ]
    );
}
