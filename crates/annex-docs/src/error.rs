//! Errors of annex-docs: every one says which file, line, column and field it is about
//! when it comes from a file.

use annex_spec::CraRole;

#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// A file (annex.toml, an incident record) is malformed or holds an invalid value.
    #[error("{file}:{line}:{column}: {}{message}", field_prefix(.field))]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        /// Dotted key path (`support.end`); empty for a syntax error outside any key.
        field: String,
        message: String,
    },
    /// A value given without a file (answers to `annex init`) is invalid.
    #[error("{field}: {message}")]
    Value { field: String, message: String },
    /// Several of the above, one per line.
    #[error("{}", join_lines(.0))]
    Many(Vec<DocsError>),
    /// annex.toml does not exist.
    #[error("{path} not found: run `annex init` to write it")]
    NoMetadata { path: String },
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The document does not exist for this CRA role.
    #[error("no {document} for {}: {why}", role_name(*.role))]
    NotForRole {
        document: String,
        role: CraRole,
        why: String,
    },
    /// A file exists and overwriting it was not asked for.
    #[error("{path} exists: not overwritten (use --force to replace it)")]
    Exists { path: String },
    #[error("unknown document kind `{name}`; known: {known}")]
    UnknownKind { name: String, known: String },
    #[error("unknown generator `{name}`; known: {known}")]
    UnknownGenerator { name: String, known: String },
    #[error("no incident `{id}` under {dir}")]
    NoIncident { id: String, dir: String },
    /// An incident id that is not a plain name (`../x`, `a/b`): never a path.
    #[error(
        "`{id}` is not an incident id (letters, digits, `-`, `_`, `.`; starting with a letter or digit)"
    )]
    BadIncidentId { id: String },
    /// A file of the checkout was not read (a symlink, not a regular file, too large).
    #[error(transparent)]
    Read(#[from] annex_checkout::ReadError),
    /// A file was not written (a symlink on the way, or it exists without --force).
    #[error(transparent)]
    Write(#[from] annex_checkout::WriteError),
    /// A combination that makes no sense (e.g. a final report with no clock).
    #[error("{0}")]
    Unsupported(String),
    #[error("the built-in CRA catalog cannot be loaded: {0}")]
    Catalog(String),
    /// A CSAF document (the user notice) fails the writer's checks or mandatory tests.
    #[error("CSAF: {0}")]
    Csaf(#[source] annex_vex::csaf::CsafError),
}

fn field_prefix(field: &str) -> String {
    if field.is_empty() {
        String::new()
    } else {
        format!("{field}: ")
    }
}

fn join_lines(errors: &[DocsError]) -> String {
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn role_name(role: CraRole) -> &'static str {
    match role {
        CraRole::Manufacturer => "a manufacturer",
        CraRole::Steward => "an open-source software steward",
    }
}

impl DocsError {
    pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        DocsError::Io {
            action,
            path: path.display().to_string(),
            source,
        }
    }

    /// Collapse a list: none → Ok, one → that error, several → `Many`.
    pub(crate) fn from_list(mut errors: Vec<DocsError>) -> Result<(), DocsError> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(DocsError::Many(errors)),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset; the `\r` of a `\r\n` line
/// break does not count, as an editor shows it.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let (line, col) = annex_types::LineIndex::new(text).line_col_ignoring_cr(offset);
    (line as usize, col as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let t = "a = 1\nbb = 2\r\nccc";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 6), (2, 1));
        assert_eq!(line_col(t, 9), (2, 4));
        assert_eq!(line_col(t, 14), (3, 1));
    }
}
