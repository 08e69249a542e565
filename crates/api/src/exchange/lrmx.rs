//! 任免审批表 (.lrmx) at the API: a file read into the cadre commands that enter its person, and a
//! cadre's record written out as one as of a date.

use super::{FileProblem, cadre_id_for, digest};
use crate::{error::ApiError, service::Entry};
use chrono::NaiveDate;
use dossier_domain::{
    Aggregate as _, EventSet as _, cadre,
    lrmx::{self, Lrmx},
    lrmx_map,
};
use dossier_store::{Store, StreamRange};

/// A read form and the entry that registers its person in `unit_id`.
#[derive(Debug, Clone)]
pub struct LrmxEntry {
    pub form: Lrmx,
    pub cadre_id: String,
    pub entry: Entry,
}

/// Read one .lrmx file (`file` names it in problems and in the events' basis): the entry
/// (登记, 家庭成员, 基本情况) or every problem found, by field.
pub fn lrmx_entry(file: &str, content: &str, unit_id: &str) -> Result<LrmxEntry, Vec<FileProblem>> {
    let problem = |field: &str, code: &'static str, message: String| FileProblem {
        file: file.to_owned(),
        field: field.to_owned(),
        code,
        message,
    };
    let form = lrmx::parse(content)
        .map_err(|e| vec![problem("Person", e.code(), e.message().to_owned())])?;
    let cadre_id = cadre_id_for(&form.id_number);
    let plan = lrmx_map::plan(&form, &cadre_id, unit_id).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| problem(&p.field, p.code, p.message))
            .collect::<Vec<_>>()
    })?;
    let mut commands = vec![cadre::Command::Register(plan.register)];
    commands.extend(plan.family.into_iter().map(cadre::Command::AddFamilyMember));
    commands.push(cadre::Command::RecordParticulars(plan.particulars));
    Ok(LrmxEntry {
        form,
        cadre_id,
        entry: Entry {
            commands,
            command_id: format!("lrmx-{}", &digest(content.as_bytes())[..32]),
            basis: format!("任免审批表 {file}"),
        },
    })
}

/// A cadre's record folded from the events effective on or before `as_of`.
pub async fn cadre_as_of(
    store: &Store,
    cadre_id: &str,
    as_of: NaiveDate,
) -> Result<cadre::State, ApiError> {
    let stream_id = cadre::Aggregate::stream_id(cadre_id);
    let range = StreamRange {
        from_version: 0,
        to_position: None,
        effective_until: Some(as_of),
    };
    let recorded = store
        .read_stream(&stream_id, range)
        .await
        .map_err(ApiError::internal)?;
    let mut state = cadre::State::default();
    for e in &recorded {
        let event = cadre::Event::decode(&e.event_type, e.schema_version, &e.payload)
            .map_err(ApiError::internal)?;
        cadre::Aggregate::evolve(&mut state, &event);
    }
    if !state.registered {
        return Err(ApiError::NotFound {
            rule: Some("CADRE_NOT_FOUND"),
            message: format!("干部「{cadre_id}」在 {as_of} 尚未登记"),
        });
    }
    Ok(state)
}

/// The 任免审批表 of a cadre as of a date, as the .lrmx file's text.
pub async fn lrmx_as_of(
    store: &Store,
    cadre_id: &str,
    as_of: NaiveDate,
) -> Result<String, ApiError> {
    let state = cadre_as_of(store, cadre_id, as_of).await?;
    Ok(lrmx::emit(&lrmx_map::fill(&state, as_of)))
}
