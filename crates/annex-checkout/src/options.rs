//! How the index is built: the exclude list and where each pattern came from.

use serde::Serialize;

/// Directories (and files) left out by default, in gitignore syntax: installed and vendored
/// dependencies, build output, virtual environments and caches, test data and examples.
/// None of them is the project's own source or its dependency declaration; each pruned one
/// is reported, and `default_excludes: false` (`--no-default-excludes`) reads them.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    "node_modules/",
    "bower_components/",
    "jspm_packages/",
    ".pnpm-store/",
    ".yarn/",
    "vendor/",
    "vendored/",
    "third_party/",
    "third-party/",
    "thirdparty/",
    "3rdparty/",
    "Pods/",
    "target/",
    ".venv/",
    "venv/",
    ".tox/",
    ".nox/",
    "__pycache__/",
    "site-packages/",
    ".mypy_cache/",
    ".gradle/",
    "testdata/",
    "test-data/",
    // Test data by convention: Python projects' `tests/data` (pip keeps deliberately broken
    // lockfiles there), Maven/Gradle test resources.
    "**/tests/data/",
    "**/test/data/",
    "**/src/test/resources/",
    "fixtures/",
    "__fixtures__/",
    "examples/",
    "example/",
];

/// Version-control directories: never part of the checkout's content, whatever the options.
pub const ALWAYS_EXCLUDED: &[&str] = &[".git/", ".hg/", ".svn/"];

/// How to build the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexOptions {
    /// Apply [`DEFAULT_EXCLUDES`].
    pub default_excludes: bool,
    /// Exclusion globs given on the command line (`--exclude`), gitignore syntax.
    pub exclude: Vec<String>,
    /// Exclusion globs from `annex.toml`'s `[scope] exclude`, gitignore syntax.
    pub scope_exclude: Vec<String>,
    /// Walker threads; 0 chooses one per core. See [`choose_threads`] for the cap.
    pub threads: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            default_excludes: true,
            exclude: Vec::new(),
            scope_exclude: Vec::new(),
            threads: 0,
        }
    }
}

/// Where an exclusion pattern came from.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ExcludeOrigin {
    /// [`DEFAULT_EXCLUDES`].
    Default,
    /// `--exclude` on the command line.
    Option,
    /// `annex.toml` `[scope] exclude`.
    Scope,
}

impl ExcludeOrigin {
    /// How a user would name it.
    pub fn describe(self) -> &'static str {
        match self {
            ExcludeOrigin::Default => "default exclude",
            ExcludeOrigin::Option => "--exclude",
            ExcludeOrigin::Scope => "annex.toml [scope] exclude",
        }
    }
}
