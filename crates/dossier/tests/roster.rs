//! `import-roster` on a generated 10,000-row 花名册 (.xlsx written here): the dry run lists exactly
//! the rows that would be refused and why and writes nothing, the import enters every other row,
//! and running it again enters nothing twice.

use std::path::{Path, PathBuf};

use dossier_domain::idcard;
use rust_xlsxwriter::Workbook;

mod support;

use support::{dossier, s, text};

const ROWS: usize = 10_000;
const UNITS: &[&str] = &["姜堰区行政审批局", "姜堰区商务局", "中共姜堰区委办公室"];

/// Row `i`'s ID number: region 110101, a birth date and a sequence number unique to the row.
fn id_number(i: usize) -> String {
    let birth =
        chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Days::new((i / 500) as u64);
    let first17 = format!("110101{}{:03}", birth.format("%Y%m%d"), i % 500);
    let check = idcard::check_digit(&first17).unwrap();
    format!("{first17}{check}")
}

/// The roster, and the rows (1-based, heading included) that must be refused, with a word of why.
fn write_roster(path: &Path) -> Vec<(usize, &'static str)> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let headings = [
        "序号",
        "姓名",
        "性别",
        "出生年月",
        "民族",
        "籍贯",
        "身份证号",
        "单位",
        "职务",
        "职级",
        "任职时间",
        "学历",
    ];
    for (c, h) in headings.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let mut bad = Vec::new();
    for i in 0..ROWS {
        let r = (i + 1) as u32;
        let mut id = id_number(i);
        let birth = format!("{}.{}", &id[6..10], &id[10..12]);
        let gender = if (id.as_bytes()[16] - b'0') % 2 == 1 {
            "男"
        } else {
            "女"
        };
        let mut unit = UNITS[i % UNITS.len()];
        let mut birth_cell = birth.clone();
        match i % 1000 {
            7 => {
                let last = if id.ends_with('0') { '1' } else { '0' };
                id.pop();
                id.push(last);
                bad.push((i + 2, "身份证号"));
            }
            13 => {
                unit = "姜堰区不存在局";
                bad.push((i + 2, "单位“姜堰区不存在局”未登记"));
            }
            21 => {
                birth_cell = "1985年4月".into();
                bad.push((i + 2, "出生年月“1985年4月”格式不正确"));
            }
            _ => {}
        }
        let cells = [
            (i + 1).to_string(),
            format!("测试{i}"),
            gender.into(),
            birth_cell,
            "汉族".into(),
            "江苏泰州".into(),
            id,
            unit.into(),
            "科员".into(),
            "一级科员".into(),
            "2015.07".into(),
            "大学".into(),
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(r, c as u16, v).unwrap();
        }
    }
    book.save(path).unwrap();
    bad
}

fn demo(dir: &Path) -> PathBuf {
    let db = dir.join("roster.db");
    let out = dossier(&["demo", "--db", s(&db)]);
    assert!(out.status.success(), "demo: {}", text(&out.stderr));
    db
}

fn events(db: &Path) -> String {
    let out = dossier(&["verify", "--db", s(db)]);
    assert!(out.status.success(), "verify: {}", text(&out.stderr));
    text(&out.stdout)
}

fn roster(db: &Path, file: &Path, dry: bool) -> String {
    let mut args = vec![
        "import-roster",
        "--db",
        s(db),
        "--on",
        "2025-07-01",
        s(file),
    ];
    if dry {
        args.push("--dry-run");
    }
    let out = dossier(&args);
    assert!(out.status.success(), "import-roster: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn a_ten_thousand_row_roster_imports_with_its_refusals_listed_and_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("花名册.xlsx");
    let bad = write_roster(&file);
    assert_eq!(bad.len(), 30);
    let db = demo(dir.path());
    let before = events(&db);

    let dry = roster(&db, &file, true);
    let listed: Vec<&str> = dry.lines().filter(|l| l.starts_with("第 ")).collect();
    assert_eq!(listed.len(), bad.len(), "{dry}");
    for ((row, why), line) in bad.iter().zip(&listed) {
        assert!(line.starts_with(&format!("第 {row} 行：")), "{line}");
        assert!(line.contains(why), "row {row}: {why} in {line}");
    }
    assert!(dry.contains("将登记 9970 名干部，拒绝 30 行"), "{dry}");
    assert_eq!(events(&db), before, "a dry run writes nothing");

    let done = roster(&db, &file, false);
    assert!(
        done.contains("登记 9970 名干部，拒绝 30 行，已导入过 0 行"),
        "{done}"
    );
    let after = events(&db);
    assert_ne!(after, before);

    let again = roster(&db, &file, false);
    assert!(
        again.contains("登记 0 名干部，拒绝 30 行，已导入过 9970 行"),
        "{again}"
    );
    assert_eq!(events(&db), after, "nothing entered twice");
}

#[test]
fn a_roster_without_a_required_column_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    book.save(&file).unwrap();
    let db = dir.path().join("empty.db");
    let out = dossier(&["import-roster", "--db", s(&db), s(&file)]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("ROSTER_COLUMN_MISSING"),
        "{}",
        text(&out.stderr)
    );
    // A mapping file names other headings.
    let mapping = dir.path().join("map.toml");
    std::fs::write(&mapping, "[columns]\nid_number = \"证件号码\"\n").unwrap();
    let out = dossier(&[
        "import-roster",
        "--db",
        s(&db),
        "--mapping",
        s(&mapping),
        s(&file),
    ]);
    assert!(
        text(&out.stderr).contains("证件号码"),
        "{}",
        text(&out.stderr)
    );
}
