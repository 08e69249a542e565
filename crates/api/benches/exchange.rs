//! Benchmark program: exchange through the command service: .lrmx files read, checked and entered
//! as cadres, roster rows entered as cadres, and 审批表 written out as of a date. Prints figures.
//!
//! Run: `cargo bench -p dossier-api --bench exchange` (optionally `-- 10000 100000 10000` for
//! files, roster rows and exports). Quick mode (200 files, 1,000 rows, 200 exports):
//! `cargo test -p dossier-api --bench exchange` (cargo test runs it without `--bench`) or `-- --quick`.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use dossier_api::{
    ApiConfig, AppState, CommandEnvelope,
    exchange::{self, roster},
    service::{Entry, EntryResult},
};
use dossier_domain::{Actor, Role, idcard, unit};
use dossier_projections::{ProjectionOptions, Projections};
use dossier_store::{Store, StoreOptions};

/// The allocator the `dossier` binary runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CHUNK: usize = 1000;

/// Person `i`'s ID number: region `region`, a birth date and a sequence number unique to `i`.
fn id_number(region: &str, i: usize) -> String {
    let birth = NaiveDate::from_ymd_opt(1965, 1, 1).unwrap() + chrono::Days::new((i / 900) as u64);
    let first17 = format!("{region}{}{:03}", birth.format("%Y%m%d"), i % 900);
    format!("{first17}{}", idcard::check_digit(&first17).unwrap())
}

/// A 任免审批表 in the newer layout, with family rows and a resume with a 其间 item.
fn form(i: usize) -> String {
    let id = id_number("321204", i);
    let gender = if (id.as_bytes()[16] - b'0') % 2 == 1 {
        "男"
    } else {
        "女"
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Person>\n  <XingMing>干部{i}</XingMing>\n  <XingBie>{gender}</XingBie>\n  <ChuShengNianYue>{}</ChuShengNianYue>\n  <MinZu>汉族</MinZu>\n  <JiGuan>江苏泰州</JiGuan>\n  <ChuShengDi>江苏姜堰</ChuShengDi>\n  <RuDangShiJian>200706</RuDangShiJian>\n  <CanJiaGongZuoShiJian>200808</CanJiaGongZuoShiJian>\n  <JianKangZhuangKuang>健康</JianKangZhuangKuang>\n  <QuanRiZhiJiaoYu_XueLi>大学</QuanRiZhiJiaoYu_XueLi>\n  <QuanRiZhiJiaoYu_XueWei>工学学士</QuanRiZhiJiaoYu_XueWei>\n  <XianRenZhiWu>区发改委副主任</XianRenZhiWu>\n  <JianLi>2004.09--2008.07  南京大学学习\r\n2008.08--2015.03  区发改委科员\r\n                  （其间：2010.09--2012.07 在职研究生学习）\r\n2015.03--         区发改委副主任</JianLi>\n  <NianDuKaoHeJieGuo>2024年度称职</NianDuKaoHeJieGuo>\n  <JiaTingChengYuan>\n    <Item>\n      <ChengWei>妻子</ChengWei>\n      <XingMing>配偶{i}</XingMing>\n      <ChuShengRiQi>198702</ChuShengRiQi>\n      <ZhengZhiMianMao>群众</ZhengZhiMianMao>\n      <GongZuoDanWeiJiZhiWu>教师</GongZuoDanWeiJiZhiWu>\n    </Item>\n    <Item>\n      <ChengWei>父亲</ChengWei>\n      <XingMing>父亲{i}</XingMing>\n      <ChuShengRiQi>195803</ChuShengRiQi>\n      <ZhengZhiMianMao>中共党员</ZhengZhiMianMao>\n      <GongZuoDanWeiJiZhiWu>退休</GongZuoDanWeiJiZhiWu>\n    </Item>\n  </JiaTingChengYuan>\n  <ChengBaoDanWei>区委组织部</ChengBaoDanWei>\n  <ShenFenZheng>{id}</ShenFenZheng>\n  <Version>2.0</Version>\n  <GaiGeQianRenZhiNianLingJieXian></GaiGeQianRenZhiNianLingJieXian>\n  <DaoLingNianYue>204504</DaoLingNianYue>\n</Person>\n",
        &id[6..12]
    )
}

/// A 花名册 of `rows` people in unit 区发改委, as the .xlsx bytes an office would send.
fn roster_workbook(rows: usize) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["姓名", "身份证号", "单位", "籍贯", "职务"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).expect("heading");
    }
    for i in 0..rows {
        let r = i as u32 + 1;
        let id = id_number("110101", i);
        for (c, v) in [
            format!("花名册{i}"),
            id,
            "区发改委".into(),
            "江苏泰州".into(),
            "科员".into(),
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(r, c as u16, v).expect("cell");
        }
    }
    book.save_to_buffer().expect("workbook")
}

fn report(what: &str, n: usize, unit: &str, mut chunks: Vec<Duration>, wall: Duration) {
    chunks.sort();
    let pct = |p: f64| chunks[((chunks.len() as f64 * p) as usize).min(chunks.len() - 1)];
    println!(
        "{what:<40} {n:>7} {unit}  {:>8.0} {unit}/s  per {CHUNK}: p50 {:>9.2?}  p99 {:>9.2?}",
        n as f64 / wall.as_secs_f64(),
        pct(0.50),
        pct(0.99)
    );
}

/// Enter entries in chunks; every one must be entered.
async fn enter(
    service: &dossier_api::Service,
    actor: &Actor,
    entries: Vec<Entry>,
) -> Vec<Duration> {
    let on = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    let mut times = Vec::new();
    for chunk in entries.chunks(CHUNK) {
        let t = Instant::now();
        let results = service
            .enter_cadres(actor, on, chunk.to_vec(), false)
            .await
            .expect("enter");
        times.push(t.elapsed());
        for r in results {
            assert!(matches!(r, EntryResult::Entered { .. }), "{r:?}");
        }
    }
    times
}

#[tokio::main]
async fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let quick = argv.iter().any(|a| a == "--quick") || !argv.iter().any(|a| a == "--bench");
    let args: Vec<usize> = argv.iter().filter_map(|a| a.parse().ok()).collect();
    let (files, rows, exports) = if quick {
        (200, 1_000, 200)
    } else {
        (10_000, 100_000, 10_000)
    };
    let files = args.first().copied().unwrap_or(files);
    let rows = args.get(1).copied().unwrap_or(rows);
    let exports = args.get(2).copied().unwrap_or(exports).min(files);

    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path().join("bench.db"), StoreOptions::default())
        .await
        .expect("store");
    let (projections, _runner) = Projections::start(store.clone(), ProjectionOptions::default());
    let state = AppState::new(store.clone(), projections, ApiConfig::default());
    let service = state.service.clone();
    let actor = Actor::new("组织部干部科", Role::OrgAdmin);
    let register_unit = unit::Command::Register(unit::Register {
        unit_id: "u1".into(),
        name: "区发改委".into(),
        parent_unit_id: None,
        business_facing: false,
    });
    service
        .execute::<unit::Aggregate>(
            &actor,
            CommandEnvelope::new(register_unit, NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()),
        )
        .await
        .expect("unit");

    // .lrmx files on disk: read, parsed, checked field by field, entered through the commands.
    let folder = dir.path().join("lrmx");
    std::fs::create_dir(&folder).expect("folder");
    for i in 0..files {
        std::fs::write(folder.join(format!("{i:06}.lrmx")), form(i)).expect("write form");
    }
    let start = Instant::now();
    let mut entries = Vec::with_capacity(files);
    let mut cadre_ids = Vec::with_capacity(files);
    for i in 0..files {
        let name = format!("{i:06}.lrmx");
        let content = std::fs::read_to_string(folder.join(&name)).expect("read form");
        let e = exchange::lrmx_entry(&name, &content, "u1").expect("a good form");
        cadre_ids.push(e.cadre_id.clone());
        entries.push(e.entry);
    }
    let times = enter(&service, &actor, entries).await;
    report(
        "import .lrmx files (read+check+enter)",
        files,
        "cadres",
        times,
        start.elapsed(),
    );

    // A roster workbook: read with calamine, every row checked, entered through the commands
    // (the path `import-roster` and `importRoster` take).
    let workbook = roster_workbook(rows);
    let start = Instant::now();
    let units = roster::units_by_name(&service).await.expect("units");
    let read = roster::Sheet::open("bench.xlsx", &workbook, &roster::Mapping::default())
        .expect("a good roster")
        .rows(&units);
    assert!(read.refused.is_empty(), "{:?}", &read.refused[..1]);
    let read_time = start.elapsed();
    let mut times = Vec::new();
    let mut t = Instant::now();
    let on = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    let outcome = roster::enter(&service, &actor, on, read, false, |_| {
        times.push(t.elapsed());
        t = Instant::now();
    })
    .await
    .expect("enter");
    assert_eq!(outcome.created, rows, "{:?}", outcome.refused.first());
    report(
        "import roster .xlsx (read+check+enter)",
        rows,
        "cadres",
        times,
        start.elapsed(),
    );
    println!("  of which reading and checking the workbook: {read_time:.2?}");

    // 审批表 out, as of a date.
    let on = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    let start = Instant::now();
    let mut times = Vec::new();
    let mut t = Instant::now();
    for (n, id) in cadre_ids.iter().take(exports).enumerate() {
        let xml = exchange::lrmx_as_of(&store, id, on).await.expect("export");
        assert!(xml.contains("<JianLi>"));
        if (n + 1) % CHUNK == 0 || n + 1 == exports {
            times.push(t.elapsed());
            t = Instant::now();
        }
    }
    report(
        "export-lrmx (fold as of + emit)",
        exports,
        "forms",
        times,
        start.elapsed(),
    );
}
