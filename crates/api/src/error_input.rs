//! Input values GraphQL could not parse (a negative `Int` where only counts are taken, an empty or overlong string): answered in Chinese, naming the field and the value, with `extensions.rule` `INPUT_OUT_OF_RANGE` and the parser's English text in `extensions.detail`.

use async_graphql::{
    Name, ServerError, Value as ConstValue, Variables,
    parser::{
        Positioned,
        types::{ExecutableDocument, Field, Selection, SelectionSet},
    },
};
use dossier_domain::bounds;

type GqlValue = ConstValue;

/// What a request sent, kept to explain its parse failures: the query text and the variables.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub query: String,
    pub variables: Variables,
}

/// What the parser said was wrong with a value.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    /// `Invalid number`: a number the type does not hold (a negative count, a fraction…).
    Number,
    /// A string of `len` bytes shorter than `min`.
    TooShort { len: usize, min: usize },
    /// A string of `len` bytes longer than `max`.
    TooLong { len: usize, max: usize },
}

/// The parser's message `Failed to parse "T": detail (occurred while parsing "U")` split into
/// the type and the detail.
fn parse_failure(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix("Failed to parse \"")?;
    let (ty, rest) = rest.split_once("\": ")?;
    let detail = rest
        .find(" (occurred while parsing")
        .map_or(rest, |at| &rest[..at]);
    Some((ty, detail))
}

fn fault_of(detail: &str) -> Option<Fault> {
    if detail == "Invalid number" {
        return Some(Fault::Number);
    }
    let rest = detail.strip_prefix("the string length is ")?;
    let (len, rest) = rest.split_once(", must be ")?;
    let len = len.parse().ok()?;
    if let Some(min) = rest.strip_prefix("greater than or equal to ") {
        return Some(Fault::TooShort {
            len,
            min: min.trim().parse().ok()?,
        });
    }
    let max = rest.strip_prefix("less than or equal to ")?;
    Some(Fault::TooLong {
        len,
        max: max.trim().parse().ok()?,
    })
}

/// Whether `value` is one the fault describes.
fn matches(fault: Fault, value: &ConstValue) -> bool {
    match (fault, value) {
        (Fault::Number, ConstValue::Number(n)) => match n.as_i64() {
            Some(i) => i < 0 || i > i64::from(u32::MAX),
            None => n.as_u64().is_none_or(|u| u > u64::from(u32::MAX)),
        },
        (Fault::TooShort { len, .. } | Fault::TooLong { len, .. }, ConstValue::String(s)) => {
            s.len() == len
        }
        _ => false,
    }
}

/// The first value under `value` the fault describes, with its path (`input.ordinal`) and key.
fn culprit<'v>(
    fault: &dyn Fn(&ConstValue) -> bool,
    path: &mut Vec<String>,
    value: &'v ConstValue,
) -> Option<(String, String, &'v ConstValue)> {
    match value {
        ConstValue::Object(fields) => fields.iter().find_map(|(k, v)| {
            path.push(k.to_string());
            let found = culprit(fault, path, v);
            path.pop();
            found
        }),
        ConstValue::List(items) => items.iter().find_map(|v| culprit(fault, path, v)),
        v if fault(v) => {
            let key = path.last().cloned().unwrap_or_default();
            Some((path.join("."), key, v))
        }
        _ => None,
    }
}

/// The argument whose value the parser reported at `at`, resolved with the variables.
fn argument_at(
    doc: &ExecutableDocument,
    variables: &Variables,
    at: async_graphql::Pos,
) -> Option<(Name, ConstValue)> {
    type Found = Option<(Name, ConstValue)>;
    fn in_set(set: &SelectionSet, vars: &Variables, at: async_graphql::Pos) -> Found {
        set.items.iter().find_map(|item| match &item.node {
            Selection::Field(field) => in_field(field, vars, at),
            Selection::InlineFragment(f) => in_set(&f.node.selection_set.node, vars, at),
            Selection::FragmentSpread(_) => None,
        })
    }
    fn in_field(field: &Positioned<Field>, vars: &Variables, at: async_graphql::Pos) -> Found {
        field
            .node
            .arguments
            .iter()
            .find(|(_, v)| v.pos == at)
            .and_then(|(n, v)| {
                let value = v
                    .node
                    .clone()
                    .into_const_with(|var| vars.get(&var).cloned().ok_or(()))
                    .ok()?;
                Some((n.node.clone(), value))
            })
            .or_else(|| in_set(&field.node.selection_set.node, vars, at))
    }
    doc.operations
        .iter()
        .find_map(|(_, op)| in_set(&op.node.selection_set.node, variables, at))
        .or_else(|| {
            doc.fragments
                .values()
                .find_map(|f| in_set(&f.node.selection_set.node, variables, at))
        })
}

/// A value as the message shows it: strings quoted and cut at 20 characters.
fn shown(value: &ConstValue) -> String {
    match value {
        ConstValue::String(s) if s.chars().count() > 20 => {
            format!("\"{}…\"", s.chars().take(20).collect::<String>())
        }
        other => other.to_string(),
    }
}

/// When `err` is a value GraphQL could not parse: its message in Chinese naming the field
/// (`input.improveMonths`, with the Chinese name when known) and the value, with
/// `extensions.code` `VALIDATION`, `extensions.rule` `INPUT_OUT_OF_RANGE` (`INPUT_MALFORMED`
/// for a value of the wrong form), `extensions.field` the field's path and
/// `extensions.detail` the parser's own text. Returns whether it did.
pub fn explain(err: &mut ServerError, inputs: Option<&Inputs>) -> bool {
    let Some((ty, detail)) = parse_failure(&err.message) else {
        return false;
    };
    let (ty, detail) = (ty.to_owned(), detail.to_owned());
    let fault = fault_of(&detail);
    let located = inputs
        .zip(err.locations.first().copied())
        .and_then(|(inputs, at)| {
            let doc = async_graphql::parser::parse_query(&inputs.query).ok()?;
            let (name, value) = argument_at(&doc, &inputs.variables, at)?;
            let mut path = vec![name.to_string()];
            let found = match fault {
                Some(fault) => culprit(&|v| matches(fault, v), &mut path, &value),
                // The detail quotes the value (our scalars do): the field holding it.
                None => culprit(
                    &|v| matches!(v, ConstValue::String(s) if !s.is_empty() && detail.contains(s.as_str())),
                    &mut path,
                    &value,
                ),
            };
            Some(match found {
                Some((path, key, v)) => (path, key, fault.map(|_| shown(v))),
                None => (name.to_string(), name.to_string(), None),
            })
        });
    let (field, what, value) = match &located {
        Some((path, key, value)) => (
            Some(path.clone()),
            match field_label(key) {
                Some(zh) => format!("「{zh}」{path}"),
                None => path.clone(),
            },
            value.clone(),
        ),
        None => (None, "输入值".to_owned(), None),
    };
    let value = value.map(|v| format!(" {v}")).unwrap_or_default();
    let (rule, message) = match fault {
        Some(Fault::Number) => (
            bounds::RULE,
            format!(
                "{what}{value} {}：须为不小于 0 的整数（不超过 {}）",
                bounds::OUT_OF_RANGE,
                u32::MAX
            ),
        ),
        Some(Fault::TooShort { min, .. }) => (
            bounds::RULE,
            format!(
                "{what}{value} {}：不能为空，长度须至少为 {min}",
                bounds::OUT_OF_RANGE
            ),
        ),
        Some(Fault::TooLong { len, max }) => (
            bounds::RULE,
            format!(
                "{what}{value} {}：长度 {len} 超过上限 {max}",
                bounds::OUT_OF_RANGE
            ),
        ),
        // A scalar of ours already says what is wrong in Chinese (a date out of range…).
        None if detail.contains(bounds::OUT_OF_RANGE) => {
            (bounds::RULE, format!("{what}：{detail}"))
        }
        None if !detail.is_ascii() => ("INPUT_MALFORMED", format!("{what}：{detail}")),
        None => ("INPUT_MALFORMED", format!("{what}不是有效的「{ty}」值")),
    };
    let mut ext = err.extensions.take().unwrap_or_default();
    ext.set("code", "VALIDATION");
    ext.set("rule", rule);
    if let Some(field) = field {
        ext.set("field", field);
    }
    ext.set("detail", GqlValue::from(err.message.as_str()));
    err.extensions = Some(ext);
    err.message = message;
    true
}

/// The Chinese name of a field, when known (`bounds::field_name` gives 中文名（key）).
fn field_label(key: &str) -> Option<String> {
    let named = bounds::field_name(key);
    let suffix = format!("（{}）", bounds::camel_case(key));
    named.strip_suffix(&suffix).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `err` as the parser reports it at the value starting with `at` in the one-line `query`.
    fn explained(
        query: &str,
        variables: serde_json::Value,
        message: &str,
        at: &str,
    ) -> ServerError {
        let column = query.find(at).expect("the value is in the query") + 1;
        let mut err = ServerError::new(message, Some(async_graphql::Pos { line: 1, column }));
        let inputs = Inputs {
            query: query.to_owned(),
            variables: Variables::from_json(variables),
        };
        assert!(explain(&mut err, Some(&inputs)));
        err
    }

    fn ext<'a>(err: &'a ServerError, key: &str) -> Option<&'a GqlValue> {
        err.extensions.as_ref().and_then(|e| e.get(key))
    }

    #[test]
    fn a_negative_count_is_named_by_field_and_value() {
        let query = "mutation { issueAdmonition(input: {cadreId: \"c1\", improveMonths: -3}) { streamVersion } }";
        let err = explained(
            query,
            serde_json::json!({}),
            "Failed to parse \"Int\": Invalid number (occurred while parsing \"IssueAdmonitionInput\")",
            "{cadreId",
        );
        assert_eq!(
            err.message,
            "「整改期限（月）」input.improveMonths -3 超出范围：须为不小于 0 的整数（不超过 4294967295）"
        );
        assert_eq!(
            ext(&err, "rule"),
            Some(&GqlValue::from("INPUT_OUT_OF_RANGE"))
        );
        assert_eq!(ext(&err, "code"), Some(&GqlValue::from("VALIDATION")));
        assert_eq!(
            ext(&err, "field"),
            Some(&GqlValue::from("input.improveMonths"))
        );
        assert!(ext(&err, "detail").is_some());
    }

    #[test]
    fn a_value_in_a_variable_and_an_empty_string_are_found() {
        let query =
            "mutation($i: RegisterUnitInput!) { registerUnit(input: $i) { streamVersion } }";
        let err = explained(
            query,
            serde_json::json!({"i": {"unitId": "u1", "name": ""}}),
            "Failed to parse \"String\": the string length is 0, must be greater than or equal to 1 (occurred while parsing \"RegisterUnitInput\")",
            "$i)",
        );
        assert_eq!(
            err.message,
            "「名称」input.name \"\" 超出范围：不能为空，长度须至少为 1"
        );
        let query = "mutation { announceSteedBatch(ordinal: -1) { x } }";
        let err = explained(
            query,
            serde_json::json!({}),
            "Failed to parse \"Int\": Invalid number",
            "-1)",
        );
        assert_eq!(ext(&err, "field"), Some(&GqlValue::from("ordinal")));
        assert!(
            err.message.starts_with("「批次序号」ordinal -1 超出范围"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_date_of_ours_keeps_its_chinese_text_and_names_the_field() {
        let query = "mutation { openQuota(year: 2026, size: 4, meta: {effective: \"+262142-12-31\"}) { x } }";
        let err = explained(
            query,
            serde_json::json!({}),
            "Failed to parse \"Date\": 日期 +262142-12-31 超出范围：日期须在 1900-01-01 至 2100-12-31 之间 (occurred while parsing \"CommandMeta\")",
            "{effective",
        );
        assert_eq!(
            ext(&err, "rule"),
            Some(&GqlValue::from("INPUT_OUT_OF_RANGE"))
        );
        assert_eq!(ext(&err, "field"), Some(&GqlValue::from("meta.effective")));
        assert!(
            err.message
                .starts_with("「生效日期」meta.effective：日期 +262142-12-31 超出范围"),
            "{}",
            err.message
        );
    }

    #[test]
    fn other_errors_are_left_alone() {
        let mut err = ServerError::new("something else", None);
        assert!(!explain(&mut err, None));
        assert_eq!(err.message, "something else");
    }
}
