//! The limits a query document is held to before it runs (parse, parser recursion, aliases), which documents are introspection only, and the limit refusals in Chinese with their codes.

use async_graphql::{
    ErrorExtensionValues, Request, ServerError,
    parser::{
        Error as ParserError, parse_query,
        types::{ExecutableDocument, Selection, SelectionSet},
    },
};

/// Deepest nesting an introspection-only document may have. graphql-js's standard
/// introspection query (`getIntrospectionQuery()`, sent by GraphiQL, codegen and schema
/// tools) nests 15 deep: `__schema › types › fields › args › type` and nine `ofType`.
pub const INTROSPECTION_DEPTH: usize = 20;
/// Largest complexity an introspection-only document may have (the standard query is
/// about 300).
pub const INTROSPECTION_COMPLEXITY: usize = 5_000;
/// How deep the parser itself nests selection sets before giving up (async-graphql-parser).
const PARSER_DEPTH: usize = 64;

/// A GraphQL error with this `extensions.code`.
pub fn coded(message: impl Into<String>, code: &str) -> ServerError {
    let mut err = ServerError::new(message, None);
    let mut ext = ErrorExtensionValues::default();
    ext.set("code", code);
    err.extensions = Some(ext);
    err
}

/// Give `request` its parsed document, or the refusal of a text that does not parse: the
/// place of a syntax error, never the query text (the parser's own message quotes it), and
/// the parser's nesting limit as `QUERY_TOO_DEEP`.
pub fn parse(request: &mut Request) -> Result<(), ServerError> {
    if request.parsed_query().is_ok() {
        return Ok(());
    }
    // The document did not parse: parse again for the parser's own error, which
    // `Request::parsed_query` flattens into a message.
    let err = match parse_query(&request.query) {
        Ok(doc) => {
            request.set_parsed_query(doc);
            return Ok(());
        }
        Err(err) => err,
    };
    Err(match err {
        ParserError::RecursionLimitExceeded => coded(
            format!("查询嵌套超过解析上限 {PARSER_DEPTH} 层（query nested too deep）"),
            "QUERY_TOO_DEEP",
        ),
        ParserError::Syntax { start, .. } => {
            let mut e = coded(
                format!(
                    "查询语法错误：第 {} 行第 {} 列无法解析（GraphQL syntax error）",
                    start.line, start.column
                ),
                "GRAPHQL_VALIDATION_FAILED",
            );
            e.locations = vec![start];
            e
        }
        other => coded(
            format!(
                "查询文档不合法：{}（GraphQL document invalid）",
                short(&other)
            ),
            "GRAPHQL_VALIDATION_FAILED",
        ),
    })
}

/// The first line of a parser error, at most 120 characters (never the query text).
fn short(err: &ParserError) -> String {
    let text = err.to_string();
    text.lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(120)
        .collect()
}

/// Is every operation of `doc` made only of introspection fields (`__schema`, `__type`,
/// `__typename`)? Such documents are held to the introspection limits.
pub fn introspection_only(doc: &ExecutableDocument) -> bool {
    fn only(doc: &ExecutableDocument, set: &SelectionSet, hops: usize) -> bool {
        hops < 8
            && set.items.iter().all(|item| match &item.node {
                Selection::Field(f) => f.node.name.node.starts_with("__"),
                Selection::InlineFragment(f) => only(doc, &f.node.selection_set.node, hops + 1),
                Selection::FragmentSpread(s) => doc
                    .fragments
                    .get(&s.node.fragment_name.node)
                    .is_some_and(|f| only(doc, &f.node.selection_set.node, hops + 1)),
            })
    }
    let mut ops = doc.operations.iter().peekable();
    ops.peek().is_some() && ops.all(|(_, op)| only(doc, &op.node.selection_set.node, 0))
}

fn count_aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(f) => {
                usize::from(f.node.alias.is_some()) + count_aliases(&f.node.selection_set.node)
            }
            Selection::InlineFragment(f) => count_aliases(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

/// The refusal of a document using more than `max` aliases.
pub fn too_many_aliases(doc: &ExecutableDocument, max: usize) -> Option<ServerError> {
    let aliases: usize = doc
        .operations
        .iter()
        .map(|(_, op)| count_aliases(&op.node.selection_set.node))
        .chain(
            doc.fragments
                .values()
                .map(|f| count_aliases(&f.node.selection_set.node)),
        )
        .sum();
    (aliases > max).then(|| {
        coded(
            format!("查询使用了 {aliases} 个别名，超过上限 {max}（query uses too many aliases）"),
            "QUERY_TOO_MANY_ALIASES",
        )
    })
}

/// The limits a document was checked against, to name them in refusals.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub depth: usize,
    pub complexity: usize,
}

impl Limits {
    /// Rewrite async-graphql's own limit refusals (English, uncoded) into Chinese ones with
    /// their code; any other error is left as it is.
    pub fn translate(&self, err: &mut ServerError) {
        let message = err.message.as_str();
        let (text, code) = if message == "Query is nested too deep." {
            (
                format!(
                    "查询嵌套过深，超过上限 {} 层（query nested too deep）",
                    self.depth
                ),
                "QUERY_TOO_DEEP",
            )
        } else if message == "Query is too complex." {
            (
                format!(
                    "查询过于复杂，超过复杂度上限 {}（query too complex）",
                    self.complexity
                ),
                "QUERY_TOO_COMPLEX",
            )
        } else if let Some(rest) =
            message.strip_prefix("The recursion depth of the query cannot be greater than ")
        {
            (
                format!(
                    "查询（含片段）嵌套超过上限 {} 层（query nested too deep）",
                    rest.trim_matches('`')
                ),
                "QUERY_TOO_DEEP",
            )
        } else if message.starts_with("The number of directives on the field") {
            (
                "字段上的指令过多（too many directives on a field）".to_owned(),
                "QUERY_TOO_COMPLEX",
            )
        } else {
            return;
        };
        err.message = text;
        let mut ext = err.extensions.take().unwrap_or_default();
        ext.set("code", code);
        err.extensions = Some(ext);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_names_its_place_and_not_the_query() {
        let mut r = Request::new("{ me { secretFieldName ");
        let err = parse(&mut r).unwrap_err();
        assert!(!err.message.contains("secretFieldName"), "{}", err.message);
        assert!(err.message.contains("第 1 行"), "{}", err.message);
    }

    #[test]
    fn the_parsers_nesting_limit_is_query_too_deep() {
        let q = format!("{}{}", "{ a ".repeat(100), "}".repeat(100));
        let err = parse(&mut Request::new(q)).unwrap_err();
        assert_eq!(
            err.extensions.as_ref().and_then(|e| e.get("code")),
            Some(&"QUERY_TOO_DEEP".into())
        );
    }

    #[test]
    fn introspection_only_documents_are_told_apart() {
        let doc = |q: &str| parse_query(q).unwrap();
        assert!(introspection_only(&doc(
            "query Q { __schema { types { name } } } "
        )));
        assert!(introspection_only(&doc(
            "{ ...F } fragment F on QueryRoot { __typename __type(name: \"X\") { name } }"
        )));
        assert!(!introspection_only(&doc(
            "{ __schema { types { name } } me { id } }"
        )));
        assert!(!introspection_only(&doc(
            "{ ...F } fragment F on QueryRoot { me { id } }"
        )));
    }
}
