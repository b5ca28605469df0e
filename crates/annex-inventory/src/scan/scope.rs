//! The `[scope]` table of `annex.toml`.

use serde::Deserialize;

use crate::parse::ParseError;

/// The `[scope]` table of a repository's `annex.toml`: which paths the inventory leaves out
/// and whether development dependencies count. Other tables belong to other parts of annex.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ScopeConfig {
    /// Globs (gitignore syntax, relative to the root) to leave out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Whether development-only dependencies count (default false).
    #[serde(default)]
    pub include_dev: bool,
}

impl ScopeConfig {
    /// Read `[scope]` from annex.toml text; absent table → defaults. Errors name the file,
    /// line and column.
    pub fn from_annex_toml(text: &str, path: &str) -> Result<ScopeConfig, ParseError> {
        #[derive(Deserialize)]
        struct File {
            #[serde(default)]
            scope: Option<toml::Spanned<toml::Value>>,
        }
        let index = crate::parse::LineIndex::new(text);
        let at = |offset: usize| index.line_col(offset);
        let file: File = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |s| at(s.start));
            ParseError::invalid(path, line, col, e.message().to_string())
        })?;
        let Some(scope) = file.scope else {
            return Ok(ScopeConfig::default());
        };
        let (line, col) = at(scope.span().start);
        scope.into_inner().try_into().map_err(|e: toml::de::Error| {
            ParseError::invalid(path, line, col, format!("[scope]: {}", e.message()))
        })
    }
}
