//! The annex pipeline as a library. A [`Project`] reads the checkout, its file index and
//! `annex.toml` once, and produces evidence, inventory, findings (with VEX triage) and the
//! assessment as typed values; every command, the fleet workers and the server call it. It
//! is the only place that chains the engines, and the only place (with `annex-forge`) where
//! network actions live, each behind an explicit option.
//!
//! ```text
//! Project::open(path, options)      the file index (one walk) and annex.toml, read once
//!   .evidence()                      annex-evidence over the index
//!   .inventory()                     annex-inventory over the same index, with skipped[]
//!   .findings(&db, vex files)        annex-vuln matching + VEX triage (annex.toml wins)
//!   .assess(&AssessRequest)          annex-assess over evidence, attestations, findings
//! ```
//!
//! Nothing here prints, exits or reads the environment or the clock: the caller passes the
//! day, the time, tokens and paths in, and gets warnings back as values.

mod assess;
mod build_time;
mod config;
pub mod db_update;
mod error;
mod findings;
pub mod fleet;
mod project;

pub use annex_checkout::{
    DEFAULT_EXCLUDES, ExcludeOrigin, FileIndex, GitIndexState, SkipReason, Skipped, ThreadChoice,
    choose_threads,
};
pub use assess::{
    AssessRequest, Assessed, ForgeRequest, VulnSource, load_library, oscal_links, unread_warnings,
};
pub use build_time::{build_time, head_commit_time};
pub use config::{ANNEX_TOML, MAX_CONFIG_FILE, ProjectConfig};
pub use error::CoreError;
pub use findings::{Findings, findings_for_queries, queries_from_sbom, skipped_of};
pub use project::{Project, ProjectOptions, inventory_of_files};
