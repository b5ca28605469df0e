//! The pipeline's error: which stage failed, with that stage's own error as the source.

use std::path::PathBuf;

/// Errors of the pipeline. Each wraps the typed error of the stage that failed, which
/// carries the file and position.
#[derive(thiserror::Error, Debug)]
pub enum CoreError {
    /// The checkout could not be indexed (missing root, bad exclude pattern).
    #[error(transparent)]
    Checkout(#[from] annex_checkout::CheckoutError),
    /// A file of the checkout that annex needs (annex.toml, attestations) could not be read.
    #[error("cannot read {path}")]
    Read {
        path: String,
        #[source]
        source: annex_checkout::ReadError,
    },
    /// `annex.toml` is malformed (the message carries `annex.toml:line:col`).
    #[error("{0}")]
    Config(String),
    /// A lockfile or manifest could not be parsed (without `keep_going`).
    #[error(transparent)]
    Inventory(#[from] annex_inventory::parse::ParseError),
    /// Specifications (profile, catalog, rule pack) failed to load or resolve.
    #[error(transparent)]
    Spec(#[from] annex_spec::SpecError),
    /// Attestations failed to load.
    #[error(transparent)]
    Assess(#[from] annex_assess::AssessError),
    /// The advisory database failed.
    #[error("advisory database {}", dir.display())]
    Db {
        dir: PathBuf,
        #[source]
        source: annex_vuln::db::DbError,
    },
    /// A VEX document could not be read.
    #[error("{path}: {message}")]
    Vex { path: String, message: String },
    /// An SBOM given for matching could not be read.
    #[error("{path}: {message}")]
    Sbom { path: String, message: String },
    /// `--forge` was asked for but cannot be honoured (no remote, other forge).
    #[error("{0}")]
    Forge(String),
}
