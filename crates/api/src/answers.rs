//! Answers kept: the JSON of a read-only query over the read models, served again to the same principal for the same request body while the models stay at the position it was read at (and the day has not turned).
//!
//! A dashboard front end polls the same few queries; each answer is a pure function of the
//! read models at a position, the caller (role and scope decide what they may read), the
//! request's bytes (query and variables) and today's date (a query without `asOf` reads
//! today). Only queries whose every root field is in [`KEPT_FIELDS`] are kept: fields that
//! read no personal record, record no access and depend on nothing else. Any applied event
//! moves the position, so an answer is never served for a state it was not read from.

use std::sync::Mutex;

use async_graphql::parser::types::{DocumentOperations, OperationType, Selection};
use axum::body::Bytes;
use chrono::NaiveDate;
use rustc_hash::FxHashMap;

/// Root fields whose answers may be kept: aggregates and lists read from the read models, the
/// same for every caller of one principal, and recording nothing (no access log).
pub const KEPT_FIELDS: &[&str] = &[
    "dashboards",
    "reservePool",
    "selectionDashboard",
    "promotionCandidates",
    "quotaRanking",
    "units",
    "__typename",
];

/// Most answers kept at once (the set starts over when full).
const ANSWERS_KEPT: usize = 128;
/// The largest answer kept, in bytes.
const LARGEST_KEPT: usize = 1 << 20;

/// What an answer is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnswerKey {
    /// The caller (role, scope and id), as the principal's debug form.
    principal: String,
    /// The request body as sent (query, variables, operation name).
    body: Bytes,
    /// Answered as `application/graphql-response+json`.
    graphql_json: bool,
    /// The read models' applied position and today's date when the request was read.
    position: u64,
    today: NaiveDate,
}

impl AnswerKey {
    pub fn new(
        principal: String,
        body: Bytes,
        graphql_json: bool,
        position: u64,
        today: NaiveDate,
    ) -> Self {
        AnswerKey {
            principal,
            body,
            graphql_json,
            position,
            today,
        }
    }

    /// The read models' position the answer is for.
    pub fn position(&self) -> u64 {
        self.position
    }
}

/// Answers kept by [`AnswerKey`].
#[derive(Default)]
pub struct Answers {
    kept: Mutex<FxHashMap<AnswerKey, Bytes>>,
}

impl Answers {
    /// The answer kept for `key`.
    pub fn get(&self, key: &AnswerKey) -> Option<Bytes> {
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .cloned()
    }

    /// Keep `body` as the answer for `key` (unless it is too large); answers of older positions
    /// are dropped first, then everything when the set is full.
    pub fn keep(&self, key: AnswerKey, body: Bytes) {
        if body.len() > LARGEST_KEPT {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() >= ANSWERS_KEPT {
            kept.retain(|k, _| k.position >= key.position && k.today == key.today);
            if kept.len() >= ANSWERS_KEPT {
                kept.clear();
            }
        }
        kept.insert(key, body);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.kept.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// May the answer to `request` be kept? Its document parses, the operation it runs is a query,
/// and every root selection is a field of [`KEPT_FIELDS`] (no fragments at the root).
pub fn keepable(request: &mut async_graphql::Request) -> bool {
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return false;
    };
    let operation = match (&document.operations, name.as_deref()) {
        (DocumentOperations::Single(op), _) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => match ops.get(name) {
            Some(op) => op,
            None => return false,
        },
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => match ops.values().next() {
            Some(op) => op,
            None => return false,
        },
        (DocumentOperations::Multiple(_), None) => return false,
    };
    operation.node.ty == OperationType::Query
        && operation.node.selection_set.node.items.iter().all(|s| {
            matches!(&s.node, Selection::Field(f)
                if KEPT_FIELDS.contains(&f.node.name.node.as_str()))
        })
}

#[cfg(test)]
mod tests {
    use async_graphql::Request;

    use super::*;

    fn key(position: u64, principal: &str) -> AnswerKey {
        AnswerKey::new(
            principal.into(),
            Bytes::from_static(b"{\"query\":\"{ dashboards { position } }\"}"),
            false,
            position,
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        )
    }

    #[test]
    fn an_answer_is_served_for_its_position_and_principal_only() {
        let answers = Answers::default();
        answers.keep(key(7, "analyst"), Bytes::from_static(b"{\"data\":1}"));
        assert_eq!(
            answers.get(&key(7, "analyst")),
            Some(Bytes::from_static(b"{\"data\":1}"))
        );
        assert_eq!(answers.get(&key(8, "analyst")), None, "a later position");
        assert_eq!(answers.get(&key(7, "unit head")), None, "another principal");
    }

    #[test]
    fn a_full_set_drops_older_positions_first() {
        let answers = Answers::default();
        for i in 0..ANSWERS_KEPT {
            answers.keep(key(1, &format!("p{i}")), Bytes::new());
        }
        answers.keep(key(2, "p"), Bytes::new());
        assert_eq!(answers.len(), 1);
        assert!(answers.get(&key(2, "p")).is_some());
    }

    #[test]
    fn only_queries_of_kept_fields_are_keepable() {
        for (query, name, want) in [
            ("{ dashboards { position } }", None, true),
            (
                "query D { dashboards { position } units { unitId } }",
                None,
                true,
            ),
            (
                "query A { dashboards { position } } query B { cadre(id: \"x\") { name } }",
                Some("A"),
                true,
            ),
            (
                "query A { dashboards { position } } query B { cadre(id: \"x\") { name } }",
                Some("B"),
                false,
            ),
            (
                "query A { dashboards { position } } query B { units { unitId } }",
                None,
                false,
            ),
            ("{ cadre(id: \"x\") { name } }", None, false),
            (
                "{ dashboards { position } leads { totalCount } }",
                None,
                false,
            ),
            (
                "{ ...F } fragment F on QueryRoot { dashboards { position } }",
                None,
                false,
            ),
            (
                "mutation { revokeToken(hashPrefix: \"abcdef12\") }",
                None,
                false,
            ),
            ("{ broken ", None, false),
        ] {
            let mut r = Request::new(query);
            r.operation_name = name.map(str::to_owned);
            assert_eq!(keepable(&mut r), want, "{query} ({name:?})");
        }
    }
}
