//! Exchange over GraphQL: a 任免审批表 (.lrmx) file's content imported (`importLrmx`), and a
//! cadre's 审批表 as of a date (`lrmx`).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use crate::{
    auth::{self, ORG},
    error::ApiError,
    exchange,
    schema::scalars::Date,
    service::{EntryResult, Service},
};

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
                return Err(auth::forbidden(actor, "导出任免审批表").into_gql());
            }
            Ok(dossier_domain::lrmx::emit(&dossier_domain::lrmx_map::fill(
                &state, as_of.0,
            )))
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
}
