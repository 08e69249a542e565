//! Parsed query documents kept by query text, filled only by authenticated requests whose document passed validation.

use async_graphql::{BatchResponse, Response as GqlResponse, parser::types::ExecutableDocument};

/// Parsed query documents by query text. Front ends send the same few query texts over and
/// over (values travel in variables), so each text is parsed once; the schema still checks
/// depth, complexity and the other limits on every request. Only documents of authenticated
/// requests that passed validation are kept (an anonymous caller or a stream of invalid texts
/// cannot fill the cache), and the cache starts over when full.
#[derive(Default)]
pub(crate) struct Documents {
    parsed: std::sync::Mutex<rustc_hash::FxHashMap<String, ExecutableDocument>>,
}

/// Most query texts kept at once.
const DOCUMENT_CACHE: usize = 512;

/// A document parsed for a request, to keep once the request shows it valid.
pub(crate) struct Fresh {
    query: String,
    document: ExecutableDocument,
}

impl Documents {
    /// Give `request` its parsed document from the cache. When it is not there and the caller
    /// is authenticated, the document parsed now is returned, to [`Documents::remember`] if
    /// the request passes validation. A text that does not parse is left for execution to
    /// report.
    pub(crate) fn prepare(
        &self,
        request: &mut async_graphql::Request,
        authenticated: bool,
    ) -> Option<Fresh> {
        let cached = self
            .parsed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&request.query)
            .cloned();
        if let Some(doc) = cached {
            request.set_parsed_query(doc);
            return None;
        }
        if !authenticated {
            return None;
        }
        let document = request.parsed_query().ok()?.clone();
        Some(Fresh {
            query: request.query.clone(),
            document,
        })
    }

    /// Keep `fresh` if `response` shows its document passed validation (it executed).
    pub(crate) fn remember(&self, fresh: Option<Fresh>, response: &GqlResponse) {
        let Some(fresh) = fresh else { return };
        if failed_before_execution(response) {
            return;
        }
        let mut parsed = self.parsed.lock().unwrap_or_else(|p| p.into_inner());
        if parsed.len() >= DOCUMENT_CACHE {
            parsed.clear();
        }
        parsed.insert(fresh.query, fresh.document);
    }

    pub(crate) fn remember_all(&self, fresh: Vec<Option<Fresh>>, response: &BatchResponse) {
        match response {
            BatchResponse::Single(r) => {
                if let Some(f) = fresh.into_iter().next() {
                    self.remember(f, r);
                }
            }
            BatchResponse::Batch(rs) => {
                for (f, r) in fresh.into_iter().zip(rs) {
                    self.remember(f, r);
                }
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.parsed.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// Did this response fail before execution (parse, validation, a limit)? Such a response has
/// no data and only errors that point at no field.
pub(crate) fn failed_before_execution(response: &GqlResponse) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

#[cfg(test)]
mod tests {
    use async_graphql::{Request, ServerError, Value};

    use super::*;

    fn executed() -> GqlResponse {
        GqlResponse::new(Value::Null)
    }

    fn refused() -> GqlResponse {
        GqlResponse::from_errors(vec![ServerError::new("Unknown field", None)])
    }

    #[test]
    fn an_authenticated_valid_document_is_kept_and_then_served_from_the_cache() {
        let docs = Documents::default();
        let mut r = Request::new("{ me { id } }");
        let fresh = docs.prepare(&mut r, true);
        assert!(fresh.is_some());
        docs.remember(fresh, &executed());
        assert_eq!(docs.len(), 1);
        assert!(
            docs.prepare(&mut Request::new("{ me { id } }"), true)
                .is_none()
        );
    }

    #[test]
    fn an_anonymous_request_fills_nothing() {
        let docs = Documents::default();
        let fresh = docs.prepare(&mut Request::new("{ me { id } }"), false);
        docs.remember(fresh, &executed());
        assert_eq!(docs.len(), 0);
    }

    #[test]
    fn a_document_that_failed_validation_is_not_kept() {
        let docs = Documents::default();
        let fresh = docs.prepare(&mut Request::new("{ nosuchField }"), true);
        docs.remember(fresh, &refused());
        assert_eq!(docs.len(), 0);
        let fresh = docs.prepare(&mut Request::new("{ broken "), true);
        assert!(fresh.is_none());
    }
}
