//! `import-lrmx` (files or folders of 任免审批表, each person entered as a cadre through the
//! commands, all or nothing) and `export-lrmx` (a cadre's 审批表 as of a date).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use dossier_api::exchange::{self, FileProblem, LrmxEntry};
use dossier_api::service::EntryResult;

use super::{Session, operator};
use crate::commands::{api_error, open_existing, parse_date};
use crate::{DbArg, progress};

/// How many persons one call of the command service enters.
const CHUNK: usize = 1000;

/// Every `.lrmx` file under the paths (folders walked in name order, files as given).
pub fn collect(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("[PATH_UNREADABLE] 无法读取文件夹 {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            for entry in entries {
                if entry.is_dir() {
                    out.extend(collect(&[entry])?);
                } else if entry
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("lrmx"))
                {
                    out.push(entry);
                }
            }
        } else if path.exists() {
            out.push(path.clone());
        } else {
            bail!("[PATH_NOT_FOUND] {} 不存在", path.display());
        }
    }
    Ok(out)
}

/// Read and check every file: the entries, or every problem of every file.
pub fn read_all(files: &[PathBuf], unit_id: &str) -> (Vec<LrmxEntry>, Vec<FileProblem>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let name = file.display().to_string();
        let content = match std::fs::read(file) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(s) => s,
                Err(_) => {
                    problems.push(FileProblem {
                        file: name,
                        field: "Person".into(),
                        code: "LRMX_NOT_UTF8",
                        message: "文件不是 UTF-8 编码的任免审批表".into(),
                    });
                    continue;
                }
            },
            Err(e) => {
                problems.push(FileProblem {
                    file: name,
                    field: "Person".into(),
                    code: "LRMX_UNREADABLE",
                    message: format!("无法读取文件：{e}"),
                });
                continue;
            }
        };
        match exchange::lrmx_entry(&name, &content, unit_id) {
            Ok(entry) => entries.push(entry),
            Err(mut p) => problems.append(&mut p),
        }
    }
    (entries, problems)
}

pub async fn import(
    db: &DbArg,
    paths: &[PathBuf],
    unit_id: &str,
    on: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let files = collect(paths)?;
    if files.is_empty() {
        bail!("[LRMX_NO_FILES] 没有找到 .lrmx 文件");
    }
    let (entries, mut problems) = read_all(&files, unit_id);
    let session = Session::open(&db.db, "import-lrmx").await?;
    let effective = match on {
        Some(d) => parse_date(d, "--on")?,
        None => session.service.today(),
    };
    let result = run(&session, entries, &mut problems, effective, dry_run).await;
    session.close().await?;
    let created = result?;
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("[{}] {p}", p.code);
        }
        eprintln!(
            "import-lrmx: {} 个文件中有 {} 处问题，未写入任何内容 (nothing written)",
            files.len(),
            problems.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    if dry_run {
        println!(
            "import-lrmx --dry-run: {} 个文件，将登记 {created} 名干部；未写入任何内容 (nothing written)",
            files.len()
        );
    } else {
        println!("import-lrmx: {} 个文件，登记 {created} 名干部", files.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// Check every entry against the record (a dry run of the commands); unless `dry_run` and
/// when nothing is wrong anywhere, enter them. The count of cadres entered (or to be).
async fn run(
    session: &Session,
    entries: Vec<LrmxEntry>,
    problems: &mut Vec<FileProblem>,
    effective: NaiveDate,
    dry_run: bool,
) -> anyhow::Result<usize> {
    let actor = operator();
    let mut seen = std::collections::HashMap::new();
    for e in &entries {
        let file = e.entry.basis.trim_start_matches("任免审批表 ").to_owned();
        if let Some(first) = seen.insert(e.cadre_id.clone(), file.clone()) {
            problems.push(FileProblem {
                file,
                field: "ShenFenZheng".into(),
                code: "LRMX_DUPLICATE_PERSON",
                message: format!("身份证号 {} 与 {first} 是同一人", e.form.id_number),
            });
        }
    }
    let mut checked = Vec::with_capacity(entries.len());
    for chunk in entries.chunks(CHUNK) {
        let results = session
            .service
            .enter_cadres(
                &actor,
                effective,
                chunk.iter().map(|e| e.entry.clone()).collect(),
                true,
            )
            .await
            .map_err(api_error)?;
        checked.extend(chunk.iter().zip(results));
    }
    let mut to_enter = Vec::new();
    for (entry, result) in checked {
        let file = entry
            .entry
            .basis
            .trim_start_matches("任免审批表 ")
            .to_owned();
        match result {
            EntryResult::Entered { cadre_id, events } => {
                println!(
                    "{file}: {}登记 {} 为干部 {cadre_id}（家庭成员 {} 人，{events} 个事件）",
                    if dry_run { "将" } else { "" },
                    entry.form.name,
                    entry.form.family.len()
                );
                to_enter.push(entry.entry.clone());
            }
            EntryResult::AlreadyEntered { cadre_id } => {
                println!("{file}: 已导入过（干部 {cadre_id}），跳过");
            }
            EntryResult::Refused { error, .. } => problems.push(FileProblem {
                file,
                field: "Person".into(),
                code: error.rule().unwrap_or(error.code()),
                message: error.to_string(),
            }),
        }
    }
    let count = to_enter.len();
    if dry_run || !problems.is_empty() || to_enter.is_empty() {
        return Ok(count);
    }
    let bar = progress::bar(count as u64, "import-lrmx");
    for chunk in to_enter.chunks(CHUNK) {
        let results = session
            .service
            .enter_cadres(&actor, effective, chunk.to_vec(), false)
            .await
            .map_err(api_error)?;
        for r in results {
            if let EntryResult::Refused { cadre_id, error } = r {
                bail!("[{}] 干部 {cadre_id} 登记失败：{error}", error.code());
            }
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    Ok(count)
}

pub async fn export(
    db: &DbArg,
    cadre_id: &str,
    as_of: &str,
    out: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let as_of = parse_date(as_of, "--as-of")?;
    let store = open_existing(db, true).await?;
    let xml = exchange::lrmx_as_of(&store, cadre_id, as_of).await;
    store.close().await;
    let xml = xml.map_err(api_error)?;
    match out {
        None => print!("{xml}"),
        Some(path) => {
            std::fs::write(path, xml.as_bytes())
                .with_context(|| format!("[WRITE_FAILED] 无法写入 {}", path.display()))?;
            eprintln!(
                "export-lrmx: 干部 {cadre_id} 的任免审批表（{as_of}）已写入 {}",
                path.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
