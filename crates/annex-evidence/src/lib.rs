//! Walk a checkout once and collect evidence: facts about its documents, licences,
//! dependencies, CI (including a YAML-aware analysis of workflows), tests, fuzzing, SAST,
//! binaries, secrets, release tooling and git history, each with the file and line it came
//! from, as the `annex/evidence/v1` document
//! (`docs/evidence.md`).
//!
//! Nothing is executed and nothing touches the network; symlinks are never followed and
//! nothing outside the root is read. The library never prints and never exits.

mod git;
mod git_verify;
mod model;
mod probes;
mod secrets;
mod sniff;
mod text;
mod walk;

use std::path::{Path, PathBuf};

pub use annex_inventory::detect::Kind as DepKind;
pub use model::*;

/// Default for [`Options::max_file_size`]: 4 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// How to walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Extra exclusion globs (gitignore syntax), added to
    /// [`annex_checkout::DEFAULT_EXCLUDES`] by [`collect`]. Negated (`!`) patterns are
    /// rejected. [`collect_indexed`] takes the index as built and ignores this.
    pub exclude: Vec<String>,
    /// Files larger than this are counted in `walk.skipped_large` and not read, except for
    /// their first bytes (at most 1 KiB) to recognise binaries.
    pub max_file_size: u64,
    /// Reader threads; 0 chooses one per core (capped at four per core).
    pub threads: usize,
    /// "Now" in Unix seconds, for the ages in `git` (days since the last commit, the last
    /// release); `None` takes the system clock. Tests inject it.
    pub now: Option<i64>,
    /// Keys to verify commit and tag signatures with; `None` leaves `verified` `null`.
    pub signers: Option<Signers>,
}

/// Keys the user trusts to sign commits and tags (docs/evidence.md, "Git history").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signers {
    /// An OpenSSH allowed_signers file (`principals [options] keytype base64 [comment]`),
    /// for `ssh` signatures.
    pub allowed_signers: Option<PathBuf>,
    /// ASCII-armored or binary OpenPGP public keys, for `gpg` signatures.
    pub keyring: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            exclude: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            threads: 0,
            now: None,
            signers: None,
        }
    }
}

#[derive(thiserror::Error, Debug)]
pub enum EvidenceError {
    /// The checkout could not be indexed (missing root, invalid exclude pattern).
    #[error(transparent)]
    Checkout(#[from] annex_checkout::CheckoutError),
}

/// Index `root` (the default excludes plus [`Options::exclude`]) and run every probe.
///
/// Errors only when the root itself cannot be walked (missing, not a directory,
/// unreadable) or an exclusion pattern is invalid; unreadable files below the root are
/// skipped.
pub fn collect(root: &Path, options: &Options) -> Result<Evidence, EvidenceError> {
    let index = annex_checkout::FileIndex::build(
        root,
        &annex_checkout::IndexOptions {
            exclude: options.exclude.clone(),
            threads: options.threads,
            ..annex_checkout::IndexOptions::default()
        },
    )?;
    Ok(collect_indexed(&index, options))
}

/// Run every probe over the files of an index built once by the caller (the pipeline
/// shares it with the inventory, so both see the same files).
pub fn collect_indexed(index: &annex_checkout::FileIndex, options: &Options) -> Evidence {
    let root = index.root.clone();
    let excluded = index.excluded.clone();
    let walked = walk::read_all(index, options);
    let files = &walked.files;
    let mut bytes_read = walked.bytes_read;
    let project = probes::project::probe(&root, files, &mut bytes_read);
    let now = options.now.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    });
    let git = git::probe(
        &root,
        now,
        project.remote_url.as_deref(),
        options.signers.as_ref(),
    );

    Evidence {
        schema: SCHEMA.to_string(),
        generator: Generator {
            name: "annex".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        root: root.to_string_lossy().into_owned(),
        walk: Walk {
            files: files.len() as u64,
            dirs: walked.dirs,
            bytes_read,
            skipped_large: walked.skipped_large,
            skipped_symlinks: walked.skipped_symlinks,
            excluded,
        },
        project,
        docs: probes::docs::probe(files),
        license: probes::license::probe(files),
        deps: probes::deps::probe(files),
        ci: probes::ci::probe(files),
        tests: probes::misc::tests(files),
        fuzzing: probes::tools::fuzzing(files),
        sast: probes::tools::sast(files),
        binaries: probes::misc::binaries(files),
        secrets: probes::misc::secrets(&root, files),
        insights: probes::misc::insights(files),
        sbom: probes::misc::sbom(files),
        release: probes::tools::release(files),
        git,
    }
}
