//! TOML read with the byte span of every value (for line numbers); toml's own parser
//! bounds the nesting depth.

use annex_types::location::LineIndex;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{ParseError, check_size, invalid};

pub(crate) type TTable<'i> = DeTable<'i>;
pub(crate) type TValue<'i> = Spanned<DeValue<'i>>;

pub(crate) fn parse_toml<'i>(path: &str, text: &'i str) -> Result<TTable<'i>, ParseError> {
    check_size(path, text)?;
    DeTable::parse(text)
        .map(Spanned::into_inner)
        .map_err(|e| ParseError::from_toml(path, text, &e))
}

pub(crate) fn t_str<'a>(t: &'a TTable<'_>, key: &str) -> Option<&'a str> {
    t.get(key).and_then(|v| v.get_ref().as_str())
}

pub(crate) fn t_bool(t: &TTable<'_>, key: &str) -> Option<bool> {
    t.get(key).and_then(|v| v.get_ref().as_bool())
}

pub(crate) fn t_table<'a, 'i>(t: &'a TTable<'i>, key: &str) -> Option<&'a TTable<'i>> {
    t.get(key).and_then(|v| v.get_ref().as_table())
}

pub(crate) fn t_array<'a, 'i>(t: &'a TTable<'i>, key: &str) -> Option<&'a [TValue<'i>]> {
    t.get(key)
        .and_then(|v| v.get_ref().as_array())
        .map(|a| &a[..])
}

/// A scalar as text (strings as is, numbers and booleans as written).
pub(crate) fn t_scalar(v: &DeValue<'_>) -> Option<String> {
    match v {
        DeValue::String(s) => Some(s.to_string()),
        DeValue::Integer(i) => Some(i.as_str().to_string()),
        DeValue::Float(f) => Some(f.as_str().to_string()),
        DeValue::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Tables of an array of tables (other items are ignored), with the byte offset of each
/// (for `[[x]]` tables: the header).
pub(crate) fn t_tables<'a, 'i>(t: &'a TTable<'i>, key: &str) -> Vec<(usize, &'a TTable<'i>)> {
    t_array(t, key)
        .unwrap_or(&[])
        .iter()
        .filter_map(|v| v.get_ref().as_table().map(|tb| (v.span().start, tb)))
        .collect()
}

/// Requires a string field of a table entry that starts at `at`, or an `Invalid` error.
pub(crate) fn t_need_str<'a>(
    path: &str,
    lines: &LineIndex<'_>,
    t: &'a TTable<'_>,
    at: usize,
    key: &str,
    what: &str,
) -> Result<&'a str, ParseError> {
    match t.get(key) {
        Some(v) => v.get_ref().as_str().ok_or_else(|| {
            let (l, c) = lines.line_col(v.span().start);
            invalid(path, l, c, format!("`{key}` of {what} must be a string"))
        }),
        None => {
            let (l, c) = lines.line_col(at);
            Err(invalid(path, l, c, format!("{what} without `{key}`")))
        }
    }
}
