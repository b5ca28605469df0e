//! [`MavenError`]: why a POM's model could not be built. Each variant names the file and
//! line it comes from.

use crate::parse::ParseError;

/// Why building a POM's effective model failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MavenError {
    /// The POM (or one it needs) is not well-formed or not a POM.
    #[error(transparent)]
    Malformed(#[from] ParseError),
    /// The parent chain comes back to a POM already in it.
    #[error("{path}:{line}: cyclic parent chain: {chain}")]
    ParentCycle {
        path: String,
        line: u64,
        chain: String,
    },
    /// The parent is neither at `relativePath` nor in the local repository.
    #[error("{path}:{line}: parent {coords} not found ({looked})")]
    MissingParent {
        path: String,
        line: u64,
        coords: String,
        looked: String,
    },
    /// A property whose value refers back to itself.
    #[error("{path}:{line}: property `{name}` refers to itself ({chain})")]
    SelfReference {
        path: String,
        line: u64,
        name: String,
        chain: String,
    },
    /// A BOM that imports, directly or not, itself.
    #[error("{path}:{line}: cyclic BOM import: {chain}")]
    ImportCycle {
        path: String,
        line: u64,
        chain: String,
    },
    /// Parents, imports or substitutions nested beyond the bound.
    #[error("{path}:{line}: {what} nested more than {limit} deep")]
    TooDeep {
        path: String,
        line: u64,
        what: &'static str,
        limit: usize,
    },
}

impl MavenError {
    /// As the parsers' error (file:line kept in the message).
    pub fn into_parse_error(self) -> ParseError {
        match self {
            MavenError::Malformed(e) => e,
            MavenError::ParentCycle { ref path, line, .. }
            | MavenError::MissingParent { ref path, line, .. }
            | MavenError::SelfReference { ref path, line, .. }
            | MavenError::ImportCycle { ref path, line, .. }
            | MavenError::TooDeep { ref path, line, .. } => {
                let message = self.to_string();
                let prefix = format!("{path}:{line}: ");
                let message = message
                    .strip_prefix(&prefix)
                    .unwrap_or(&message)
                    .to_string();
                ParseError::invalid(path, line, 1, message)
            }
        }
    }
}
