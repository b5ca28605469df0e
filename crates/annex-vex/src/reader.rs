//! What the readers share: JSON parsing with positions, the reading state that collects
//! deviations (problems) or turns them into errors, and small syntax checks.

use std::fmt;

use chrono::DateTime;
use serde_json::{Map, Value};

use crate::statement::{ReadMode, VexDocument, VexError, VexFormat, VexSource, VexStatement};

pub(crate) fn parse_json(bytes: &[u8], document: &str) -> Result<Value, VexError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| VexError::Json {
        document: document.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// Reading state shared by the readers: the document, the mode and the problems so far.
pub(crate) struct Reader<'a> {
    pub document: &'a str,
    pub format: VexFormat,
    pub problems: Vec<String>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(document: &'a str, format: VexFormat) -> Reader<'a> {
        Reader {
            document,
            format,
            problems: Vec::new(),
        }
    }

    pub(crate) fn problem(&mut self, pointer: &str, message: impl fmt::Display) {
        let p = if pointer.is_empty() { "/" } else { pointer };
        self.problems.push(format!("{p}: {message}"));
    }

    pub(crate) fn invalid(&self, pointer: &str, message: impl Into<String>) -> VexError {
        VexError::Invalid {
            document: self.document.to_string(),
            pointer: if pointer.is_empty() {
                "/".into()
            } else {
                pointer.into()
            },
            message: message.into(),
        }
    }

    pub(crate) fn source(&self, pointer: &str) -> VexSource {
        VexSource {
            format: self.format,
            document: self.document.to_string(),
            line: None,
            pointer: Some(pointer.to_string()),
        }
    }

    /// An optional string member; a value of another type is a problem.
    pub(crate) fn opt_str(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        at: &str,
    ) -> Option<String> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.problem(&format!("{at}/{key}"), "should be a string");
                None
            }
        }
    }

    /// An optional RFC 3339 timestamp; one that does not parse is a problem (and kept).
    pub(crate) fn opt_time(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        at: &str,
    ) -> Option<String> {
        let t = self.opt_str(obj, key, at)?;
        if DateTime::parse_from_rfc3339(&t).is_err() {
            self.problem(
                &format!("{at}/{key}"),
                format!("{t:?} is not an RFC 3339 date-time"),
            );
        }
        Some(t)
    }

    pub(crate) fn unknown_keys(&mut self, obj: &Map<String, Value>, known: &[&str], at: &str) {
        for k in obj.keys() {
            if !known.contains(&k.as_str()) {
                self.problem(at, format!("unexpected member {k:?}"));
            }
        }
    }

    pub(crate) fn finish(
        self,
        mode: ReadMode,
        id: Option<String>,
        author: Option<String>,
        timestamp: Option<String>,
        statements: Vec<VexStatement>,
    ) -> Result<VexDocument, VexError> {
        if mode == ReadMode::Strict && !self.problems.is_empty() {
            return Err(VexError::Nonconforming {
                document: self.document.to_string(),
                format: self.format,
                problems: self.problems,
            });
        }
        Ok(VexDocument {
            format: self.format,
            id,
            author,
            timestamp,
            statements,
            problems: self.problems,
        })
    }
}

pub(crate) fn as_object<'v>(
    r: &Reader<'_>,
    v: &'v Value,
    at: &str,
) -> Result<&'v Map<String, Value>, VexError> {
    v.as_object()
        .ok_or_else(|| r.invalid(at, "expected a JSON object"))
}

/// Whether `s` is an IRI as far as its syntax goes: a scheme, a colon, and no characters that
/// IRIs never contain.
pub(crate) fn is_iri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
}

pub(crate) fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

pub(crate) fn push_unique_str(v: &mut Vec<String>, x: &str) {
    if !x.is_empty() && !v.iter().any(|y| y.eq_ignore_ascii_case(x)) {
        v.push(x.to_string());
    }
}
