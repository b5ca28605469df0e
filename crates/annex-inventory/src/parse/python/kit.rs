//! Small helpers shared by the Python, PHP, Ruby, Java, .NET and C/C++ parsers on top of
//! the ones in [`crate::parse`]: TOML access with spans, PEP 503 names, prefixed hashes, and
//! [`Part`] → [`Component`]. (It lives here only because of how the work on the parsers was
//! split; nothing in it is specific to Python.)

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::model::{Component, Hash, Scope};
pub(crate) use crate::parse::{Builder, LineIndex as Lines, ParseError};

pub(crate) fn unsupported(
    path: &str,
    line: u64,
    format: &str,
    version: impl Into<String>,
) -> ParseError {
    ParseError::unsupported(path, line, format, version)
}

pub(crate) fn invalid(path: &str, line: u64, col: u64, message: impl Into<String>) -> ParseError {
    ParseError::invalid(path, line, col, message)
}

/// The text without a leading byte-order mark (callers other than `parse_file` may pass one).
pub(crate) fn no_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

pub(crate) fn check_size(path: &str, text: &str) -> Result<(), ParseError> {
    if text.len() as u64 > crate::parse::MAX_FILE_SIZE {
        return Err(ParseError::TooLarge {
            path: path.to_string(),
            size: text.len() as u64,
        });
    }
    Ok(())
}

/// PEP 503 name normalisation for purls and keys: lowercase, runs of `-`, `_`, `.` become
/// one `-`; unlike the matcher's ([`annex_types::ecosystem::normalize_name`]), separators at
/// either end are dropped, as the parsers have always written them.
pub(crate) fn pep503(name: &str) -> String {
    annex_types::ecosystem::pep503(name.trim())
        .trim_matches('-')
        .to_string()
}

/// `sha256:abcd…` (or `sha256=…`) → a [`Hash`] with lowercase hex; `None` for other shapes.
pub(crate) fn hash_from_prefixed(s: &str) -> Option<Hash> {
    let (alg, value) = s.split_once([':', '='])?;
    hash_of(alg, value)
}

/// A hex digest of a known algorithm (`sha256`, `SHA-512`, …); `None` if it is not one.
pub(crate) fn hash_of(alg: &str, value: &str) -> Option<Hash> {
    let alg = alg.trim().to_ascii_lowercase().replace('-', "");
    let value = value.trim().to_ascii_lowercase();
    let want = match alg.as_str() {
        "md5" => 32,
        "sha1" => 40,
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return None,
    };
    crate::parse::is_hex(&value, want).then_some(Hash { alg, value })
}

/// What a parser knows about one component.
pub(crate) struct Part<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub purl: String,
    pub scope: Scope,
    pub direct: bool,
    pub line: u64,
}

/// A component at `path` (registry source, no hashes or licences yet).
pub(crate) fn make(b: &Builder, p: Part<'_>) -> Component {
    let mut c = crate::parse::component(&b.ecosystem, p.name, p.version, p.purl, &b.path, p.line);
    c.scope = p.scope;
    c.direct = p.direct;
    c
}

// ---------------------------------------------------------------------------------------
// TOML with spans (toml's own parser bounds nesting depth).

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
    lines: &Lines<'_>,
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
