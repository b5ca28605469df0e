//! `annex.toml`, read once per run through the checkout's safe read, and the parts of it
//! the pipeline uses: `[scope]` (what the inventory leaves out, whether dev dependencies
//! count) and `[[vex]]` (triage). The product metadata is parsed by `annex-docs` from the
//! same text when a command needs it.

use std::path::Path;

use annex_inventory::scan::ScopeConfig;

use crate::CoreError;

/// The file's name at the checkout's root.
pub const ANNEX_TOML: &str = "annex.toml";

/// annex.toml is a hand-written file of a few KiB; a larger one is refused rather than
/// loaded (a hostile checkout could hold gigabytes).
pub const MAX_CONFIG_FILE: u64 = 1024 * 1024;

/// What annex.toml holds, read once.
#[derive(Debug, Clone, Default)]
pub struct ProjectConfig {
    /// The file's text; `None` when the checkout has no annex.toml.
    pub text: Option<String>,
    /// `[scope]`, defaults when absent.
    pub scope: ScopeConfig,
}

impl ProjectConfig {
    /// Read `root/annex.toml` (absent is fine; a symlink, special file or oversized file is
    /// an error) and parse `[scope]`.
    pub fn load(root: &Path) -> Result<ProjectConfig, CoreError> {
        let text = match annex_checkout::read_text(root, ANNEX_TOML, MAX_CONFIG_FILE) {
            Ok(t) => t,
            Err(e) if e.is_not_found() => return Ok(ProjectConfig::default()),
            Err(source) => {
                return Err(CoreError::Read {
                    path: ANNEX_TOML.to_string(),
                    source,
                });
            }
        };
        let scope = ScopeConfig::from_annex_toml(&text, ANNEX_TOML)?;
        Ok(ProjectConfig {
            text: Some(text),
            scope,
        })
    }

    /// The `[[vex]]` statements, in file order.
    pub fn vex_statements(&self) -> Result<Vec<annex_vex::VexStatement>, CoreError> {
        match &self.text {
            None => Ok(Vec::new()),
            Some(text) => annex_vuln::triage::parse_annex_toml(text, ANNEX_TOML)
                .map_err(|e| CoreError::Config(e.to_string())),
        }
    }
}
