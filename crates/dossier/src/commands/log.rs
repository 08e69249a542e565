//! The log's own subcommands: verify (with an anchor), rebuild, replay, export and import.

use super::*;

pub(super) async fn verify(db: &DbArg, anchor: Option<&str>) -> anyhow::Result<ExitCode> {
    let expected = match anchor {
        None => None,
        Some(a) => match transfer::parse_anchor(a) {
            Some(pair) => Some(pair),
            None => bail!(
                "[ANCHOR_MALFORMED] 锚点应为「位置:64 位十六进制哈希」，如 verify 所打印；收到「{a}」"
            ),
        },
    };
    let store = open_existing(db, true).await?;
    let report = store.verify().await.context("校验失败");
    let head = store.anchor().await.context("读取锚点失败");
    let checked_anchor = match &expected {
        Some((p, h)) => Some(store.check_anchor(*p, h).await.context("核对锚点失败")),
        None => None,
    };
    let side = store
        .verify_side_tables()
        .await
        .context("核对快照与命令表失败");
    store.close().await;
    let (report, head, side) = (report?, head?, side?);
    // A failed anchor means the log is not the one recorded: say so, and nothing "intact".
    let anchor_broken = match checked_anchor.transpose()? {
        None | Some(AnchorCheck::Matches) => None,
        Some(AnchorCheck::Missing { position }) => Some(format!(
            "anchor broken: the log no longer reaches position {position}; events were cut off its end (锚点不符：日志已不含位置 {position}，末尾事件被删除)"
        )),
        Some(AnchorCheck::Differs { position, stored }) => Some(format!(
            "anchor broken: position {position} now has hash {stored}; the log was rewritten (锚点不符：位置 {position} 的哈希已变，日志被改写)"
        )),
    };
    let mut code = ExitCode::SUCCESS;
    match report {
        VerifyReport::Ok { checked } if anchor_broken.is_none() => {
            println!(
                "ok: {checked} events checked, hash chain intact (已校验 {checked} 个事件，哈希链完整)"
            );
            if let Some((p, _)) = &expected {
                println!("anchor {p} matches (锚点相符)");
            }
            if let Some((position, hash)) = head {
                println!("anchor: {position}:{hash} (锚点：请记录，日后以 --anchor 核对)");
            }
        }
        VerifyReport::Ok { checked } => {
            println!("{checked} events checked (已校验 {checked} 个事件)");
            code = ExitCode::from(2);
        }
        VerifyReport::Broken {
            position,
            reason,
            checked,
        } => {
            println!(
                "broken at position {position}: {reason} ({checked} events before it intact) (哈希链在位置 {position} 断裂)"
            );
            code = ExitCode::from(2);
        }
    }
    if let Some(line) = anchor_broken {
        println!("{line}");
    }
    for problem in &side {
        println!("{problem}");
        code = ExitCode::from(2);
    }
    Ok(code)
}

pub(super) async fn rebuild(db: &DbArg) -> anyhow::Result<ExitCode> {
    let store = open_existing(db, false).await?;
    let head = store.head().await.context("读取事件日志失败")?;
    store.delete_snapshots().await.context("删除旧快照失败")?;
    let started = Instant::now();
    let options = ProjectionOptions {
        use_snapshots: false,
        ..ProjectionOptions::default()
    };
    let (projections, runner) = Projections::start(store.clone(), options);
    let bar = progress::bar(head, "rebuild");
    loop {
        let reached = projections.position();
        bar.set_position(reached.min(head));
        if reached >= head {
            break;
        }
        if runner.is_finished() {
            break;
        }
        if projections
            .wait_for(head, Duration::from_millis(200))
            .await
            .is_ok()
        {
            bar.set_position(head);
            break;
        }
    }
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    let status = projections.status();
    let saved = projections.snapshot().await;
    stop(store, projections, runner).await?;
    let saved = saved.context("保存快照失败")?;
    let secs = elapsed.as_secs_f64().max(1e-9);
    println!(
        "rebuilt every read model from {head} events in {:.2}s ({:.0} events/s); {} events replayed, {} undecodable; snapshots saved at position {saved}",
        secs,
        head as f64 / secs,
        status.replayed,
        status.undecodable
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn replay(
    db: &DbArg,
    stream: &str,
    as_of: &str,
    known_at: Option<u64>,
) -> anyhow::Result<ExitCode> {
    let effective = parse_date(as_of, "--as-of")?;
    let store = open_existing(db, false).await?;
    let version = store
        .stream_version(stream)
        .await
        .context("读取事件日志失败")?;
    if version == 0 {
        store.close().await;
        bail!("[STREAM_NOT_FOUND] 流「{stream}」不存在（例如 cadre-c0001、unit-u01）");
    }
    let (projections, runner) = start_projections(&store).await?;
    let result = replay_json(&projections, stream, effective, known_at).await;
    stop(store, projections, runner).await?;
    let json = result?;
    println!("{}", serde_json::to_string_pretty(&json)?);
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn replay_json(
    projections: &Projections,
    stream: &str,
    effective: NaiveDate,
    known_at: Option<u64>,
) -> anyhow::Result<serde_json::Value> {
    let trail = projections
        .audit_trail(stream)
        .await
        .context("读取流失败")?;
    let events: Vec<serde_json::Value> = serde_json::to_value(&trail)?
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| {
            let eff = e
                .get("effective_at")
                .and_then(|v| v.as_str())
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
            let pos = e.get("position").and_then(serde_json::Value::as_u64);
            eff.is_none_or(|d| d <= effective)
                && known_at.is_none_or(|k| pos.is_none_or(|p| p <= k))
        })
        .collect();
    let state = if let Some(cadre_id) = stream.strip_prefix("cadre-") {
        let profile = projections
            .profile_as_of(cadre_id, effective, known_at)
            .await
            .context("回放失败")?;
        serde_json::to_value(profile)?
    } else if let Some(unit_id) = stream.strip_prefix("unit-") {
        let unit = projections
            .unit_as_of(unit_id, effective, known_at)
            .await
            .context("回放失败")?;
        serde_json::to_value(unit)?
    } else {
        serde_json::Value::Null
    };
    Ok(serde_json::json!({
        "stream": stream,
        "as_of": effective,
        "known_at": known_at,
        "state": state,
        "events": events,
    }))
}

pub(super) async fn export(db: &DbArg, out: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db, true).await?;
    let written = match transfer::open_output(out, force) {
        Ok(w) => transfer::export(&store, w).await,
        Err(e) => Err(e),
    };
    store.close().await;
    let (written, anchor) = written?;
    // On standard output the file is the output: the summary goes to standard error.
    let summary = format!(
        "exported {written} events to {} (已导出 {written} 个事件)\nanchor: {anchor} (锚点，导入时以 --anchor 核对)",
        out.display()
    );
    if out.as_os_str() == "-" {
        eprintln!("{summary}");
    } else {
        println!("{summary}");
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn import(
    db: &DbArg,
    input: &Path,
    anchor: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let _lock = lock_database(&db.db, "import")?;
    let anchor = match anchor {
        None => None,
        Some(a) => Some(transfer::parse_anchor(a).ok_or_else(|| {
            anyhow::anyhow!(
                "[ANCHOR_MALFORMED] 锚点应为「位置:64 位十六进制哈希」，如 verify 所打印；收到「{a}」"
            )
        })?),
    };
    let count = transfer::verify_file(input, anchor.as_ref())?;
    let postgres = dossier_store::postgres_url(&db.db).is_some();
    if !postgres && db.db.exists() {
        let store = open_existing(db, true).await?;
        let head = store.head().await.context("读取目标数据库失败")?;
        store.close().await;
        if head != 0 {
            bail!(
                "[IMPORT_TARGET_NOT_EMPTY] 目标数据库 {} 已有 {head} 个事件：只能导入到空数据库",
                db.db.display()
            );
        }
    }
    let store = open_writable(&db.db, Durability::Normal).await?;
    if postgres {
        let head = store.head().await.context("读取目标数据库失败")?;
        if head != 0 {
            store.close().await;
            bail!(
                "[IMPORT_TARGET_NOT_EMPTY] 目标数据库 {} 已有 {head} 个事件：只能导入到空数据库",
                shown(&db.db)
            );
        }
    }
    let result = transfer::import(&store, input, count).await;
    let verified = store.verify().await;
    store.close().await;
    let appended = result?;
    match verified.context("校验失败")? {
        VerifyReport::Ok { checked } => println!(
            "imported {appended} events from {} (chain verified: {checked} events) (已导入 {appended} 个事件)",
            input.display()
        ),
        VerifyReport::Broken {
            position, reason, ..
        } => {
            bail!("[IMPORT_CHAIN_BROKEN] 导入后哈希链在位置 {position} 断裂：{reason}")
        }
    }
    Ok(ExitCode::SUCCESS)
}
