//! Exchange over GraphQL: a 任免审批表 (.lrmx) file's content imported (`importLrmx`), a 花名册
//! (.xlsx) imported (`importRoster`), a cadre's 审批表 as of a date (`lrmx`), and the cadre list,
//! the dashboards or the alerts as an Excel workbook as of a date (`xlsx`).

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use base64::Engine as _;
use dossier_domain::Role;
use dossier_projections::profile::ProfileFilter;

use crate::{
    AppState,
    auth::{self, DASHBOARDS, ORG},
    error::ApiError,
    exchange::{self, roster, xlsx},
    schema::{people::Rank, scalars::Date},
    service::{EntryResult, Service},
};

/// Those who read the cadre list and the alerts (unit heads: their own unit's).
const LISTS: &[Role] = &[
    Role::OrgAdmin,
    Role::DisciplineInspector,
    Role::Auditor,
    Role::UnitHead,
    Role::System,
];

fn base64_of(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A 花名册 to import: an .xlsx workbook whose first sheet has one heading row.
#[derive(InputObject)]
pub struct ImportRosterInput {
    /// The file's name: named in messages and recorded in every event's basis with the row.
    pub file_name: String,
    /// The workbook's bytes, base64.
    pub content_base64: String,
    /// The heading of each field's column, where it differs from the common headings.
    pub mapping: Option<RosterMappingInput>,
    /// The date the registrations take effect (default: today).
    pub effective: Option<Date>,
    /// Check only: list every row that would be refused and why, write nothing.
    #[graphql(default)]
    pub dry_run: bool,
}

/// Column headings of a roster; a field left out keeps the common heading (姓名, 性别, 出生年月,
/// 民族, 籍贯, 身份证号, 单位, 职务, 职级, 任职时间, 学历).
#[derive(InputObject, Default)]
pub struct RosterMappingInput {
    pub name: Option<String>,
    pub gender: Option<String>,
    pub birth_month: Option<String>,
    pub ethnicity: Option<String>,
    pub native_place: Option<String>,
    pub id_number: Option<String>,
    pub unit: Option<String>,
    pub post: Option<String>,
    pub rank: Option<String>,
    pub post_since: Option<String>,
    pub education: Option<String>,
}

impl From<RosterMappingInput> for roster::Mapping {
    fn from(m: RosterMappingInput) -> Self {
        let d = roster::Mapping::default();
        roster::Mapping {
            name: m.name.unwrap_or(d.name),
            gender: m.gender.unwrap_or(d.gender),
            birth_month: m.birth_month.unwrap_or(d.birth_month),
            ethnicity: m.ethnicity.unwrap_or(d.ethnicity),
            native_place: m.native_place.unwrap_or(d.native_place),
            id_number: m.id_number.unwrap_or(d.id_number),
            unit: m.unit.unwrap_or(d.unit),
            post: m.post.unwrap_or(d.post),
            rank: m.rank.unwrap_or(d.rank),
            post_since: m.post_since.unwrap_or(d.post_since),
            education: m.education.unwrap_or(d.education),
        }
    }
}

/// A roster row refused, with every reason.
#[derive(SimpleObject)]
pub struct RosterRefusal {
    /// The row as Excel numbers it (the heading row is 1).
    pub row: i32,
    pub reason: String,
}

/// What importing a roster did (or, in a dry run, would do).
#[derive(SimpleObject)]
pub struct RosterImport {
    /// Non-empty rows read.
    pub rows: i32,
    /// Cadres entered now (in a dry run: that would be).
    pub created: i32,
    /// Rows entered by an earlier import of the same file: not entered again.
    pub already_imported: i32,
    /// Rows refused, in row order.
    pub refused: Vec<RosterRefusal>,
}

/// What an Excel export holds.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum XlsxKind {
    /// 干部名册
    Cadres,
    /// 统计看板
    Dashboards,
    /// 预警提醒
    Alerts,
}

/// An Excel workbook.
#[derive(SimpleObject)]
pub struct XlsxFile {
    /// A file name to save it under (sheet and date).
    pub file_name: String,
    /// Data rows (below the date and heading rows).
    pub rows: i32,
    /// The workbook's bytes, base64.
    pub content_base64: String,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A 任免审批表 to import.
#[derive(InputObject)]
pub struct ImportLrmxInput {
    /// The unit the cadre is registered in.
    pub unit_id: ID,
    /// The file's name: named in problems and recorded as the events' basis.
    pub file_name: String,
    /// The file's content (UTF-8 XML).
    pub content: String,
    /// The date the registration takes effect (default: today).
    pub effective: Option<Date>,
    /// Check only: report what would be created and every problem, write nothing.
    #[graphql(default)]
    pub dry_run: bool,
}

/// One problem of an imported file.
#[derive(SimpleObject)]
pub struct LrmxProblem {
    pub file: String,
    /// The field's tag (`ShenFenZheng`, `JiaTingChengYuan/Item[2]/ChengWei` …).
    pub field: String,
    /// The rule (English code).
    pub code: String,
    /// What is wrong, in Chinese.
    pub message: String,
}

/// What importing a 任免审批表 did (or, in a dry run, would do).
#[derive(SimpleObject)]
pub struct LrmxImport {
    /// The cadre the person is (or would be) registered as.
    pub cadre_id: Option<ID>,
    /// The person's name on the form.
    pub name: Option<String>,
    /// True when the cadre was entered now (never in a dry run).
    pub created: bool,
    /// True when this file had been imported before: nothing entered again.
    pub already_imported: bool,
    /// Events appended (or, in a dry run, that would be).
    pub events: i32,
    /// Every problem found; in a real import any problem is an error instead.
    pub problems: Vec<LrmxProblem>,
}

#[derive(Default)]
pub struct ExchangeQuery;

#[Object]
impl ExchangeQuery {
    /// A cadre's 任免审批表 (.lrmx file content) as the record stood on `asOf`.
    async fn lrmx(
        &self,
        ctx: &Context<'_>,
        cadre_id: ID,
        as_of: Date,
    ) -> async_graphql::Result<Option<String>> {
        crate::auth::nullable(ctx, async move {
            let actor = auth::actor(ctx).map_err(ApiError::into_gql)?;
            let service = ctx.data_unchecked::<Service>();
            let state = exchange::cadre_as_of(service.store(), &cadre_id, as_of.0)
                .await
                .map_err(ApiError::into_gql)?;
            if !auth::may_read_cadre(actor, &cadre_id, Some(&state.unit_id)) {
                return Err(auth::cadre_out_of_scope(
                    auth::names(ctx),
                    actor,
                    &cadre_id,
                    Some(&state.unit_id),
                    "导出该干部的任免审批表",
                )
                .into_gql());
            }
            Ok(dossier_domain::lrmx::emit(&dossier_domain::lrmx_map::fill(
                &state, as_of.0,
            )))
        })
        .await
    }

    /// The cadre list (filtered as `cadres` is), the dashboards or the alerts as an Excel
    /// workbook with Chinese headings, as the record stood on `asOf`. Unit heads export their own
    /// unit's list and alerts; the dashboards are for those who read dashboards.
    #[allow(clippy::too_many_arguments)]
    async fn xlsx(
        &self,
        ctx: &Context<'_>,
        kind: XlsxKind,
        as_of: Date,
        unit_id: Option<String>,
        rank: Option<Rank>,
        leader: Option<bool>,
        name_contains: Option<String>,
    ) -> async_graphql::Result<Option<XlsxFile>> {
        crate::auth::nullable(ctx, async move {
            let projections = &ctx.data_unchecked::<AppState>().projections;
            let table = match kind {
                XlsxKind::Dashboards => {
                    auth::require(ctx, DASHBOARDS, "导出统计看板")?;
                    xlsx::dashboards(projections, as_of.0).await?
                }
                XlsxKind::Cadres | XlsxKind::Alerts => {
                    let actor = auth::require(ctx, LISTS, "导出名册或预警")?;
                    let scope = (actor.role == Role::UnitHead).then(|| actor.scope.clone());
                    if let Some(scope) = &scope
                        && unit_id.as_ref().is_some_and(|u| Some(u) != scope.as_ref())
                    {
                        return Err(auth::unit_out_of_scope(
                            auth::names(ctx),
                            actor,
                            unit_id.as_deref().unwrap_or_default(),
                            "导出其他单位的名册",
                        )
                        .into_gql());
                    }
                    let unit = scope.flatten().or(unit_id);
                    if kind == XlsxKind::Alerts {
                        xlsx::alerts(projections, as_of.0, unit.as_deref()).await?
                    } else {
                        let filter = ProfileFilter {
                            unit_id: unit,
                            rank: rank.map(Into::into),
                            leader,
                            name_contains,
                        };
                        xlsx::cadres(projections, &filter, as_of.0).await?
                    }
                }
            };
            let bytes = xlsx::workbook(&table, as_of.0)?;
            Ok(XlsxFile {
                file_name: format!("{}-{}.xlsx", table.sheet, as_of.0),
                rows: count(table.rows.len()),
                content_base64: base64_of(&bytes),
            })
        })
        .await
    }
}

#[derive(Default)]
pub struct ExchangeMutation;

#[Object]
impl ExchangeMutation {
    /// Import a 任免审批表: the person becomes a cadre through the ordinary commands (登记, 家庭成员,
    /// 基本情况), with the file as the basis of every event. A file imported before is not
    /// entered twice. Any problem (named by field) refuses the file and writes nothing.
    async fn import_lrmx(
        &self,
        ctx: &Context<'_>,
        input: ImportLrmxInput,
    ) -> async_graphql::Result<LrmxImport> {
        let actor = auth::require(ctx, ORG, "导入任免审批表").map_err(ApiError::into_gql)?;
        let service = ctx.data_unchecked::<Service>();
        let problems = |list: Vec<exchange::FileProblem>| -> async_graphql::Result<LrmxImport> {
            if !input.dry_run {
                let first = list.first().map_or("LRMX_MALFORMED", |p| p.code);
                let message = list
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("；");
                return Err(ApiError::Validation {
                    rule: Some(first),
                    message,
                }
                .into_gql());
            }
            Ok(LrmxImport {
                cadre_id: None,
                name: None,
                created: false,
                already_imported: false,
                events: 0,
                problems: list
                    .into_iter()
                    .map(|p| LrmxProblem {
                        file: p.file,
                        field: p.field,
                        code: p.code.to_owned(),
                        message: p.message,
                    })
                    .collect(),
            })
        };
        let entry = match exchange::lrmx_entry(&input.file_name, &input.content, &input.unit_id) {
            Ok(e) => e,
            Err(list) => return problems(list),
        };
        let effective = input.effective.map_or_else(|| service.today(), |d| d.0);
        let results = service
            .enter_cadres(actor, effective, vec![entry.entry.clone()], input.dry_run)
            .await
            .map_err(ApiError::into_gql)?;
        let mut out = LrmxImport {
            cadre_id: Some(ID(entry.cadre_id.clone())),
            name: Some(entry.form.name.clone()),
            created: false,
            already_imported: false,
            events: 0,
            problems: vec![],
        };
        match results.into_iter().next() {
            Some(EntryResult::Entered { events, .. }) => {
                out.created = !input.dry_run;
                out.events = i32::try_from(events).unwrap_or(i32::MAX);
            }
            Some(EntryResult::AlreadyEntered { .. }) => out.already_imported = true,
            Some(EntryResult::Refused { error, .. }) => {
                if !input.dry_run {
                    return Err(error.into_gql());
                }
                return problems(vec![exchange::FileProblem {
                    file: input.file_name.clone(),
                    field: "Person".into(),
                    code: error.rule().unwrap_or(error.code()),
                    message: error.to_string(),
                }]);
            }
            None => return Err(ApiError::internal("no result for the entry").into_gql()),
        }
        Ok(out)
    }

    /// Import a 花名册 (.xlsx): each row becomes a cadre through the ordinary commands (登记,
    /// 基本情况), with the file and row as the basis. Refused rows are listed with every reason
    /// and change nothing; the others are entered. Importing the same file again enters nothing
    /// twice, so an interrupted import is finished by sending it again.
    async fn import_roster(
        &self,
        ctx: &Context<'_>,
        input: ImportRosterInput,
    ) -> async_graphql::Result<RosterImport> {
        let actor = auth::require(ctx, ORG, "导入花名册").map_err(ApiError::into_gql)?;
        let service = ctx.data_unchecked::<Service>();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(input.content_base64.trim())
            .map_err(|e| {
                ApiError::Validation {
                    rule: Some("ROSTER_MALFORMED"),
                    message: format!("{} 的内容不是有效的 base64：{e}", input.file_name),
                }
                .into_gql()
            })?;
        let mapping = input.mapping.unwrap_or_default().into();
        let sheet =
            roster::Sheet::open(&input.file_name, &bytes, &mapping).map_err(ApiError::into_gql)?;
        let units = roster::units_by_name(service)
            .await
            .map_err(ApiError::into_gql)?;
        let rows = sheet.rows(&units);
        let effective = input.effective.map_or_else(|| service.today(), |d| d.0);
        let outcome = roster::enter(service, actor, effective, rows, input.dry_run, |_| {})
            .await
            .map_err(ApiError::into_gql)?;
        Ok(RosterImport {
            rows: count(outcome.rows),
            created: count(outcome.created),
            already_imported: count(outcome.already_entered),
            refused: outcome
                .refused
                .into_iter()
                .map(|(row, reason)| RosterRefusal {
                    row: count(row),
                    reason,
                })
                .collect(),
        })
    }
}
