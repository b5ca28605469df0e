//! [`Project`]: one checkout, indexed once, with its annex.toml.

use std::path::{Path, PathBuf};

use annex_checkout::{FileIndex, GitIndexState, IndexOptions};
use annex_inventory::scan::{ScanOptions, ScanResult};

use crate::{CoreError, ProjectConfig};

/// How to read a checkout. The caller (the CLI, a worker) fills it from its flags.
#[derive(Debug, Clone)]
pub struct ProjectOptions {
    /// Extra exclusion globs (`--exclude`), added to the defaults and `[scope] exclude`.
    pub exclude: Vec<String>,
    /// Apply the default excludes (`--no-default-excludes` turns them off).
    pub default_excludes: bool,
    /// Threads for the walk, the reads and the parsers (0: one per core; capped).
    pub threads: usize,
    /// Files larger than this are counted but not read by the evidence probes.
    pub max_file_size: u64,
    /// Count development-only dependencies (`--include-dev`; `[scope] include-dev` also
    /// turns it on).
    pub include_dev: bool,
    /// A lockfile that cannot be parsed is reported as skipped instead of stopping the run.
    pub keep_going: bool,
    /// "Now" in Unix seconds, for the ages in the git evidence.
    pub now: i64,
    /// Keys to verify commit and tag signatures with.
    pub signers: Option<annex_evidence::Signers>,
    /// The local Maven repository `pom.xml` files are resolved from (`--maven-repo`).
    pub maven_repo: Option<PathBuf>,
}

impl Default for ProjectOptions {
    fn default() -> Self {
        ProjectOptions {
            exclude: Vec::new(),
            default_excludes: true,
            threads: 0,
            max_file_size: annex_evidence::DEFAULT_MAX_FILE_SIZE,
            include_dev: false,
            keep_going: false,
            now: 0,
            signers: None,
            maven_repo: None,
        }
    }
}

/// A checkout, read once: its file index and annex.toml. Every stage reads this index, so
/// every command sees the same files.
#[derive(Debug)]
pub struct Project {
    /// The path as the user gave it (for messages and document subjects).
    pub path: PathBuf,
    pub options: ProjectOptions,
    pub config: ProjectConfig,
    pub index: FileIndex,
    /// Things the user should know that do not stop the run (a capped thread count, an
    /// unreadable git index), in the order they arose.
    pub warnings: Vec<String>,
}

impl Project {
    /// Read annex.toml and index the checkout at `path`.
    pub fn open(path: &Path, options: ProjectOptions) -> Result<Project, CoreError> {
        let mut warnings = Vec::new();
        let threads = annex_checkout::choose_threads(options.threads);
        if let Some(asked) = threads.capped_from {
            warnings.push(format!(
                "--threads {asked} is more than this machine can use; using {} (four per core)",
                threads.threads
            ));
        }
        // The root must exist before annex.toml is looked for inside it.
        if !path.exists() {
            return Err(annex_checkout::CheckoutError::NotFound {
                path: path.to_path_buf(),
            }
            .into());
        }
        if !path.is_dir() {
            return Err(annex_checkout::CheckoutError::NotADirectory {
                path: path.to_path_buf(),
            }
            .into());
        }
        let config = ProjectConfig::load(path)?;
        let index = FileIndex::build(
            path,
            &IndexOptions {
                default_excludes: options.default_excludes,
                exclude: options.exclude.clone(),
                scope_exclude: config.scope.exclude.clone(),
                threads: threads.threads,
            },
        )?;
        if let GitIndexState::Unreadable { reason } = &index.git {
            warnings.push(format!(
                "{reason}: files git tracks but .gitignore matches may be missing"
            ));
        }
        for e in &index.errors {
            warnings.push(format!("not read: {e}"));
        }
        let mut options = options;
        options.threads = threads.threads;
        Ok(Project {
            path: path.to_path_buf(),
            options,
            config,
            index,
            warnings,
        })
    }

    /// The evidence document over the index, with `deps.skipped` from the inventory.
    pub fn evidence(&self) -> Result<annex_evidence::Evidence, CoreError> {
        let scanned = self.inventory()?;
        Ok(self.evidence_of(&scanned))
    }

    /// [`Project::evidence`] with the inventory already scanned.
    pub fn evidence_of(&self, scanned: &ScanResult) -> annex_evidence::Evidence {
        self.evidence_with(crate::findings::skipped_of(scanned))
    }

    /// The evidence document with this `deps.skipped` list.
    pub fn evidence_with(&self, skipped: Vec<annex_checkout::Skipped>) -> annex_evidence::Evidence {
        let mut evidence = annex_evidence::collect_indexed(
            &self.index,
            &annex_evidence::Options {
                exclude: self.options.exclude.clone(),
                max_file_size: self.options.max_file_size,
                threads: self.options.threads,
                now: Some(self.options.now),
                signers: self.options.signers.clone(),
            },
        );
        evidence.deps.skipped = skipped;
        evidence
    }

    /// Whether development-only dependencies count (the option or `[scope] include-dev`).
    pub fn include_dev(&self) -> bool {
        self.options.include_dev || self.config.scope.include_dev
    }

    /// Every lockfile and manifest of the index, parsed; `skipped` lists the ones not read
    /// and why.
    pub fn inventory(&self) -> Result<ScanResult, CoreError> {
        let opts = ScanOptions {
            include_dev: self.include_dev(),
            exclude: Vec::new(),
            keep_going: self.options.keep_going,
            threads: self.options.threads,
            default_excludes: self.options.default_excludes,
            maven_repo: self.options.maven_repo.clone(),
        };
        Ok(annex_inventory::scan::scan_index(&self.index, &opts)?)
    }
}

/// The inventory of the given lockfiles or manifests (`--lockfile FILE…`), each with the
/// companions the directory scan would give it.
pub fn inventory_of_files(
    files: &[PathBuf],
    include_dev: bool,
    keep_going: bool,
    threads: usize,
    maven_repo: Option<PathBuf>,
) -> Result<ScanResult, CoreError> {
    let opts = ScanOptions {
        include_dev,
        exclude: Vec::new(),
        keep_going,
        threads: annex_checkout::choose_threads(threads).threads,
        default_excludes: true,
        maven_repo,
    };
    Ok(annex_inventory::scan::scan_files(files, &opts)?)
}
