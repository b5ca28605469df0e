//! [`ParseError`], the one error type of every parser, and the input limits it reports.

use serde::{Deserialize, Serialize};

use annex_types::location::LineIndex;

/// Files larger than this are refused ([`ParseError::TooLarge`]).
pub const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;
/// Deepest nesting of JSON/YAML accepted.
pub const MAX_DEPTH: usize = 256;

/// Why a file could not be read. `Display` is `path:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ParseError {
    /// Malformed or truncated input.
    #[error("{path}:{line}:{col}: expected {expected}")]
    Syntax {
        path: String,
        line: u64,
        col: u64,
        expected: String,
    },
    /// A format version this parser does not know. `line` is where the version is written
    /// (0 when the file does not say).
    #[error("{path}:{line}: unsupported {format} version `{version}`")]
    UnsupportedVersion {
        path: String,
        line: u64,
        format: String,
        version: String,
    },
    #[error("{path}: {size} bytes, more than the limit of {} bytes", MAX_FILE_SIZE)]
    TooLarge { path: String, size: u64 },
    #[error("{path}:{line}:{col}: nested more than {limit} levels deep")]
    TooDeep {
        path: String,
        line: u64,
        col: u64,
        limit: usize,
    },
    /// Well-formed syntax with content that does not fit the format (a required field
    /// missing, a value of the wrong type).
    #[error("{path}:{line}:{col}: {message}")]
    Invalid {
        path: String,
        line: u64,
        col: u64,
        message: String,
    },
    /// The file could not be read (only from `scan`).
    #[error("{path}: {message}")]
    Io { path: String, message: String },
}

impl ParseError {
    pub fn syntax(path: &str, line: u64, col: u64, expected: impl Into<String>) -> Self {
        ParseError::Syntax {
            path: path.to_string(),
            line,
            col,
            expected: expected.into(),
        }
    }

    pub fn unsupported(
        path: &str,
        line: u64,
        format: impl Into<String>,
        version: impl Into<String>,
    ) -> Self {
        ParseError::UnsupportedVersion {
            path: path.to_string(),
            line,
            format: format.into(),
            version: version.into(),
        }
    }

    pub fn invalid(path: &str, line: u64, col: u64, message: impl Into<String>) -> Self {
        ParseError::Invalid {
            path: path.to_string(),
            line,
            col,
            message: message.into(),
        }
    }

    /// The file the error is about.
    pub fn path(&self) -> &str {
        match self {
            ParseError::Syntax { path, .. }
            | ParseError::UnsupportedVersion { path, .. }
            | ParseError::TooLarge { path, .. }
            | ParseError::TooDeep { path, .. }
            | ParseError::Invalid { path, .. }
            | ParseError::Io { path, .. } => path,
        }
    }

    /// From a `toml` error; `text` is the document, to turn the byte span into line:col.
    pub fn from_toml(path: &str, text: &str, err: &toml::de::Error) -> Self {
        let (line, col) = err
            .span()
            .map(|s| LineIndex::new(text).line_col(s.start))
            .unwrap_or((1, 1));
        let msg = err.message().trim();
        // A bare word where a value belongs (`key = invalid-value`) reads to the TOML parser
        // as a misspelt `inf`: say what a value may be instead.
        let at = err.span().map_or("", |s| text.get(s.start..).unwrap_or(""));
        let word: String = at
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .take(40)
            .collect();
        if (msg.starts_with("invalid float") || msg.starts_with("invalid integer"))
            && word.starts_with(|c: char| c.is_alphabetic())
        {
            return ParseError::syntax(
                path,
                line,
                col,
                format!(
                    "a value (a \"quoted string\", a number, true or false, a date, an [array] \
                     or an {{inline table}}), found the bare word `{word}`"
                ),
            );
        }
        match msg
            .split_once(", expected ")
            .or_else(|| msg.strip_prefix("expected ").map(|e| ("", e)))
        {
            Some(("", expected)) => ParseError::syntax(path, line, col, expected),
            Some((what, expected)) => {
                ParseError::syntax(path, line, col, format!("{expected} ({what})"))
            }
            None => ParseError::invalid(path, line, col, msg),
        }
    }

    /// From a serde-saphyr error.
    pub fn from_yaml(path: &str, err: &serde_saphyr::Error) -> Self {
        let (line, col) = err
            .location()
            .map(|l| (l.line().max(1), l.column().max(1)))
            .unwrap_or((1, 1));
        let full = err.to_string();
        let first = full.lines().next().unwrap_or("invalid YAML").trim();
        let mut msg = first.strip_prefix("error: ").unwrap_or(first).trim();
        if let Some(rest) = msg.strip_prefix("line ")
            && let Some((pos, after)) = rest.split_once(": ")
            && pos.contains("column")
        {
            msg = after;
        }
        if msg.contains("budget") || msg.contains("depth") {
            return ParseError::TooDeep {
                path: path.to_string(),
                line,
                col,
                limit: MAX_DEPTH,
            };
        }
        match msg.strip_prefix("expected ") {
            Some(e) => ParseError::syntax(path, line, col, e),
            None if msg.contains("invalid type") || msg.contains("missing field") => {
                ParseError::invalid(path, line, col, msg)
            }
            None => ParseError::syntax(path, line, col, format!("valid YAML ({msg})")),
        }
    }
}

/// Shorthand for [`ParseError::unsupported`].
pub(crate) fn unsupported(
    path: &str,
    line: u64,
    format: &str,
    version: impl Into<String>,
) -> ParseError {
    ParseError::unsupported(path, line, format, version)
}

/// Shorthand for [`ParseError::invalid`].
pub(crate) fn invalid(path: &str, line: u64, col: u64, message: impl Into<String>) -> ParseError {
    ParseError::invalid(path, line, col, message)
}

/// Refuses text over [`MAX_FILE_SIZE`] (callers other than the scan may pass any size).
pub(crate) fn check_size(path: &str, text: &str) -> Result<(), ParseError> {
    if text.len() as u64 > MAX_FILE_SIZE {
        return Err(ParseError::TooLarge {
            path: path.to_string(),
            size: text.len() as u64,
        });
    }
    Ok(())
}
