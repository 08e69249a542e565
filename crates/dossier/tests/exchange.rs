//! `import-lrmx` and `export-lrmx` run as a child process on copies of the demo district: the
//! example 任免审批表 round trip field for field, an export imports into a fresh database as the same
//! profile, and every bad file is refused by file and field with nothing written.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dossier_domain::lrmx::{self, Lrmx};

mod support;

use support::{dossier, s, text, workspace};

/// A database holding the demo district, built once per test run by `dossier demo`.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("demo.db");
        let out = dossier(&["demo", "--db", s(&db)]);
        assert!(out.status.success(), "demo failed: {}", text(&out.stderr));
        (dir, db)
    });
    path
}

fn demo_copy(dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    std::fs::copy(template(), &db).expect("copy demo db");
    db
}

fn examples() -> PathBuf {
    workspace().join("docs/examples/lrmx")
}

/// The example files and the cadre id each person is entered under.
const PEOPLE: &[(&str, &str)] = &[
    ("li-hua.lrmx", "p6c48d2d432f03b2d"),
    ("wang-jianguo-older.lrmx", "pc5ed3c9ad1044f1e"),
    ("zhao-min.lrmx", "p2dfb1e258c06da76"),
];

const ON: &str = "2025-07-01";

fn import(db: &Path, paths: &[&Path], extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import-lrmx", "--db", s(db), "--unit", "u01", "--on", ON];
    args.extend(extra);
    args.extend(paths.iter().map(|p| s(p)));
    dossier(&args)
}

fn export(db: &Path, cadre: &str) -> String {
    let out = dossier(&[
        "export-lrmx",
        "--db",
        s(db),
        "--cadre",
        cadre,
        "--as-of",
        ON,
    ]);
    assert!(out.status.success(), "export: {}", text(&out.stderr));
    text(&out.stdout)
}

/// The events in the log (the count `verify` checked).
fn events(db: &Path) -> String {
    let out = dossier(&["verify", "--db", s(db)]);
    assert!(out.status.success(), "verify: {}", text(&out.stderr));
    text(&out.stdout)
}

/// A form as read, with what import normalizes on the way in (whitespace-only values are empty).
fn read(xml: &str) -> Lrmx {
    let mut form = lrmx::parse(xml).expect("parse");
    form.extra.retain(|_, v| !v.is_empty());
    form
}

#[test]
fn imported_forms_export_back_with_every_field_and_unknown_tag() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path(), "a.db");
    let out = import(&db, &[&examples()], &[]);
    assert!(out.status.success(), "import: {}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("登记 3 名干部"),
        "{}",
        text(&out.stdout)
    );
    for (file, cadre) in PEOPLE {
        let original = std::fs::read_to_string(examples().join(file)).unwrap();
        let exported = export(&db, cadre);
        let (mut before, after) = (read(&original), read(&exported));
        before.extra.retain(|_, v| !v.is_empty());
        let mut after_kept = after.clone();
        after_kept.extra.retain(|_, v| !v.is_empty());
        assert_eq!(after_kept, before, "{file}");
        // The resume keeps its CRLF lines, its open end and its 其间 items.
        assert!(exported.contains("\r\n"), "{file}: CRLF in the resume");
        assert!(
            exported.contains("--         "),
            "{file}: open end as spaces"
        );
    }
    let li = export(&db, "p6c48d2d432f03b2d");
    assert!(li.contains("<ZiDingYiZiDuan>区级补充信息</ZiDingYiZiDuan>"));
    assert!(li.contains("（其间：2013.03--2014.03 挂任姜堰镇党委委员）"));
    assert!(li.contains("<DaoLingNianYue>204504</DaoLingNianYue>"));
    let wang = export(&db, "pc5ed3c9ad1044f1e");
    assert!(
        !wang.contains("DaoLingNianYue"),
        "the older layout stays older"
    );
    assert!(wang.contains("<BeiZhu>原审批表由县级软件导出</BeiZhu>"));
    // Before the registrations took effect there is no such cadre.
    let out = dossier(&[
        "export-lrmx",
        "--db",
        s(&db),
        "--cadre",
        "p6c48d2d432f03b2d",
        "--as-of",
        "2025-06-30",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("CADRE_NOT_FOUND"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_exported_form_imports_into_a_fresh_database_as_the_same_profile() {
    let dir = tempfile::tempdir().unwrap();
    let first = demo_copy(dir.path(), "first.db");
    assert!(import(&first, &[&examples()], &[]).status.success());
    let exported = dir.path().join("out");
    std::fs::create_dir(&exported).unwrap();
    for (_, cadre) in PEOPLE {
        std::fs::write(
            exported.join(format!("{cadre}.lrmx")),
            export(&first, cadre),
        )
        .unwrap();
    }
    let second = demo_copy(dir.path(), "second.db");
    let out = import(&second, &[&exported], &[]);
    assert!(out.status.success(), "import: {}", text(&out.stderr));
    for (_, cadre) in PEOPLE {
        assert_eq!(export(&second, cadre), export(&first, cadre), "{cadre}");
    }
}

#[test]
fn a_file_imported_before_is_skipped_and_a_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path(), "a.db");
    let before = events(&db);
    let out = import(&db, &[&examples()], &["--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("将登记 李华"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(events(&db), before, "a dry run writes nothing");
    assert!(import(&db, &[&examples()], &[]).status.success());
    let after = events(&db);
    let again = import(&db, &[&examples().join("li-hua.lrmx")], &[]);
    assert!(again.status.success());
    assert!(
        text(&again.stdout).contains("已导入过"),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(events(&db), after, "nothing entered twice");
}

#[test]
fn every_bad_file_is_refused_by_file_and_field_and_nothing_is_written() {
    let li = std::fs::read_to_string(examples().join("li-hua.lrmx")).unwrap();
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "truncated",
            li[..li.len() / 2].to_owned(),
            "Person",
            "LRMX_MALFORMED",
        ),
        (
            "wrong-date",
            li.replace(
                "<CanJiaGongZuoShiJian>200808",
                "<CanJiaGongZuoShiJian>200813",
            ),
            "CanJiaGongZuoShiJian",
            "LRMX_DATE",
        ),
        (
            "wrong-check-digit",
            li.replace("321204198504121235", "321204198504121236"),
            "ShenFenZheng",
            "ID_NUMBER_CHECK_DIGIT",
        ),
        (
            "unknown-code",
            li.replace("<MinZu>汉族</MinZu>", "<MinZu>火星族</MinZu>"),
            "MinZu",
            "LRMX_UNKNOWN_CODE",
        ),
        (
            "family-date",
            li.replace("<ChuShengRiQi>198702", "<ChuShengRiQi>1987"),
            "JiaTingChengYuan/Item[1]/ChuShengRiQi",
            "LRMX_DATE",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path(), "a.db");
    let before = events(&db);
    for (name, content, field, code) in cases {
        let folder = dir.path().join(name);
        std::fs::create_dir(&folder).unwrap();
        // A good file beside the bad one: it is not entered either (all or nothing).
        std::fs::copy(examples().join("zhao-min.lrmx"), folder.join("a-good.lrmx")).unwrap();
        let bad = folder.join(format!("{name}.lrmx"));
        std::fs::write(&bad, content).unwrap();
        let out = import(&db, &[&folder], &[]);
        let err = text(&out.stderr);
        assert!(!out.status.success(), "{name}: refused");
        assert!(
            err.contains(&format!("{name}.lrmx")),
            "{name}: names the file: {err}"
        );
        assert!(
            err.contains(&format!("字段 {field} ")),
            "{name}: names {field}: {err}"
        );
        assert!(err.contains(code), "{name}: {code}: {err}");
        assert!(err.contains("未写入任何内容"), "{name}: {err}");
        assert_eq!(events(&db), before, "{name}: nothing written");
    }
}

#[test]
fn the_same_person_twice_or_an_unknown_unit_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path(), "a.db");
    let before = events(&db);
    let copy = dir.path().join("copy.lrmx");
    std::fs::copy(examples().join("li-hua.lrmx"), &copy).unwrap();
    let out = import(&db, &[&examples(), &copy], &[]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("LRMX_DUPLICATE_PERSON"),
        "{}",
        text(&out.stderr)
    );
    let out = dossier(&[
        "import-lrmx",
        "--db",
        s(&db),
        "--unit",
        "u99",
        "--on",
        ON,
        s(&examples()),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("UNIT_NOT_FOUND"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(events(&db), before);
}

#[test]
fn an_import_into_a_mistyped_database_path_is_refused_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("mistyped.db");
    let roster = examples().join("../roster.xlsx");
    for args in [
        vec![
            "import-lrmx",
            "--db",
            s(&missing),
            "--unit",
            "u01",
            "--dry-run",
            s(&examples()),
        ],
        vec![
            "import-lrmx",
            "--db",
            s(&missing),
            "--unit",
            "u01",
            s(&examples()),
        ],
        vec!["import-roster", "--db", s(&missing), s(&roster)],
    ] {
        let out = dossier(&args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            text(&out.stderr).contains("DATABASE_NOT_FOUND"),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(!missing.exists(), "{args:?} created the database file");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("mistyped"))
            .collect();
        assert!(leftovers.is_empty(), "{args:?} left {leftovers:?}");
    }
}

/// The rows of a workbook's first sheet, as text.
fn sheet_rows(path: &Path) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).expect("open workbook");
    let range = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("read sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn the_cadre_list_dashboards_and_alerts_export_as_workbooks_as_of_a_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path(), "a.db");
    assert!(import(&db, &[&examples()], &[]).status.success());
    let xlsx = |sheet: &str, on: &str, name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut args = vec![
            "export-xlsx",
            "--db",
            s(&db),
            "--sheet",
            sheet,
            "--as-of",
            on,
            "--out",
            s(&out),
        ];
        args.extend(extra);
        let run = dossier(&args);
        assert!(run.status.success(), "{sheet}: {}", text(&run.stderr));
        sheet_rows(&out)
    };
    let now = xlsx("cadres", ON, "now.xlsx", &["--unit", "u01"]);
    assert_eq!(now[0][0], format!("截至 {ON}"));
    assert_eq!(now[1][..3], ["干部编号", "姓名", "性别"]);
    assert!(
        now.iter().any(|r| r[1] == "李华" && r[4] == "u01"),
        "{now:?}"
    );
    assert!(
        now.iter().skip(2).all(|r| r[4] == "u01"),
        "only the unit asked"
    );
    let before = xlsx("cadres", "2025-06-30", "before.xlsx", &["--unit", "u01"]);
    assert!(
        !before.iter().any(|r| r[1] == "李华"),
        "not yet registered then"
    );
    assert_eq!(before.len() + 3, now.len(), "the three imported cadres");
    let dashboards = xlsx("dashboards", ON, "d.xlsx", &[]);
    assert_eq!(dashboards[1], ["看板", "指标", "分项", "数值"]);
    assert!(dashboards.len() > 10);
    let alerts = xlsx("alerts", ON, "a.xlsx", &[]);
    assert_eq!(
        alerts[1],
        ["预警类型", "干部编号", "单位", "到期日", "说明"]
    );
    // An existing workbook is not overwritten.
    let out = dossier(&[
        "export-xlsx",
        "--db",
        s(&db),
        "--sheet",
        "alerts",
        "--as-of",
        ON,
        "--out",
        s(&dir.path().join("a.xlsx")),
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("OUTPUT_EXISTS"));
}
