//! Walking a checkout and parsing every lockfile and manifest found into one [`Inventory`].
//!
//! The walk (`ignore`, parallel) follows no symlinks, honours only the checkout's own
//! `.gitignore` files (a git-ignored file is not part of the repository), and skips the
//! directories package managers and builds fill ([`DEFAULT_EXCLUDES`]: `node_modules/`,
//! `vendor/`, `target/`, virtual environments, …) plus the caller's exclude globs.
//! Lockfiles are found at any depth otherwise.
//!
//! Each lockfile is one subject. A manifest next to (or, for workspaces, below) a lockfile
//! of its ecosystem is not a subject of its own: it is handed to that lockfile's parser to
//! add what the lockfile does not record —
//! - `Cargo.toml` files (the one beside `Cargo.lock` and those of the workspace members
//!   below it) give the root and the dependency kinds (scopes) to `Cargo.lock`;
//! - `package.json` files (beside the JS lockfile and below it) give direct dependencies
//!   and dev/optional scopes to `yarn.lock` and npm v1 lockfiles, and the root and
//!   workspace names and versions to `pnpm-lock.yaml`;
//! - `go.sum` beside `go.mod` adds the hashes (and, before Go 1.17, the modules go.mod
//!   omits) to the go.mod subject.
//!
//! A manifest no lockfile claims is a subject of its own (its dependencies unresolved). npm
//! reads `npm-shrinkwrap.json` instead of a `package-lock.json` beside it, and so does the
//! scan; `bun.lockb` beside `bun.lock` is skipped. For the other ecosystems a manifest in
//! the directory of a lockfile of the same ecosystem is left out.
//!
//! Subjects are sorted by path. With `keep_going`, a file that fails to parse becomes a
//! warning and the scan goes on; without it the first error (in path order) is returned.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};
use serde::{Deserialize, Serialize};

use crate::detect::{self, Kind};
use crate::model::{INVENTORY_SCHEMA, Inventory, Scope, Subject};
use crate::parse::{self, MAX_FILE_SIZE, ParseError, cargo, go, npm, pnpm, yarn};

/// Directory names never entered: installed packages, build output, caches, and test data
/// (fixture lockfiles are not the project's dependencies; `annex-evidence` skips the same).
pub const DEFAULT_EXCLUDES: &[&str] = &[
    "fixtures",
    "__fixtures__",
    "testdata",
    "test-data",
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "bower_components",
    "jspm_packages",
    ".pnpm-store",
    ".yarn",
    "vendor",
    "target",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "__pycache__",
    "site-packages",
    ".mypy_cache",
    ".gradle",
];

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ScanOptions {
    /// Keep development-only components (scope `dev`).
    pub include_dev: bool,
    /// Glob patterns (gitignore syntax, relative to the root) of paths to leave out.
    pub exclude: Vec<String>,
    /// A file that fails to parse is a warning, not the end of the scan.
    pub keep_going: bool,
    /// Walker threads; 0 lets `ignore` choose.
    #[serde(default)]
    pub threads: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanResult {
    pub inventory: Inventory,
    /// Files that could not be read (only with `keep_going`), in path order.
    pub warnings: Vec<ParseError>,
}

/// Relative, `/`-separated path.
fn relative(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Walk `root` and parse what it holds.
pub fn scan(root: &Path, opts: &ScanOptions) -> Result<ScanResult, ParseError> {
    let root_label = root.display().to_string();
    let mut overrides = OverrideBuilder::new(root);
    for pattern in &opts.exclude {
        overrides
            .add(&format!("!{}", pattern.trim_start_matches('!')))
            .map_err(|e| ParseError::Io {
                path: root_label.clone(),
                message: format!("exclude pattern `{pattern}`: {e}"),
            })?;
    }
    let overrides = overrides.build().map_err(|e| ParseError::Io {
        path: root_label.clone(),
        message: format!("exclude patterns: {e}"),
    })?;
    let mut builder = WalkBuilder::new(root);
    builder
        .standard_filters(false)
        .hidden(false)
        .parents(false)
        .ignore(false)
        .git_global(false)
        .git_ignore(true)
        .git_exclude(false)
        .require_git(false)
        .follow_links(false)
        .overrides(overrides)
        .threads(opts.threads)
        .filter_entry(|e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(is_dir
                && e.depth() > 0
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| DEFAULT_EXCLUDES.contains(&n)))
        });
    let found: Mutex<Vec<(String, PathBuf)>> = Mutex::new(Vec::new());
    let walk_errors: Mutex<Vec<ParseError>> = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let found = &found;
        let walk_errors = &walk_errors;
        let root_label = &root_label;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    if let Ok(mut w) = walk_errors.lock() {
                        w.push(ParseError::Io {
                            path: root_label.to_string(),
                            message: e.to_string(),
                        });
                    }
                    return WalkState::Continue;
                }
            };
            if entry.file_type().is_some_and(|t| t.is_file())
                && detect::classify(entry.path()).is_some()
                && let Ok(mut f) = found.lock()
            {
                f.push((relative(root, entry.path()), entry.into_path()));
            }
            WalkState::Continue
        })
    });
    let mut files = found.into_inner().unwrap_or_default();
    files.sort();
    let mut walk_errors = walk_errors.into_inner().unwrap_or_default();
    if !walk_errors.is_empty() && !opts.keep_going {
        return Err(walk_errors.remove(0));
    }
    let mut result = run(&files, opts, opts.threads)?;
    walk_errors.append(&mut result.warnings);
    result.warnings = walk_errors;
    Ok(result)
}

/// Parse the given files (`--lockfile FILE…`), each with the manifests or checksums
/// beside it, as the scan would. Paths are reported as given.
pub fn scan_files(paths: &[PathBuf], opts: &ScanOptions) -> Result<ScanResult, ParseError> {
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let mut unknown = Vec::new();
    for p in paths {
        let label = p
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let Some(d) = detect::classify(p) else {
            unknown.push(ParseError::invalid(
                &label,
                0,
                0,
                "not a lockfile or manifest annex reads (by its file name)",
            ));
            continue;
        };
        files.push((label.clone(), p.clone()));
        // Companions the scan would have used.
        let dir = p.parent().unwrap_or(Path::new(""));
        let sibling = |name: &str| -> Option<(String, PathBuf)> {
            let q = dir.join(name);
            q.is_file().then(|| {
                let l = match label.rsplit_once('/') {
                    Some((d, _)) => format!("{d}/{name}"),
                    None => name.to_string(),
                };
                (l, q)
            })
        };
        let companions: &[&str] = match (d.ecosystem, p.file_name().and_then(|n| n.to_str())) {
            (_, Some("Cargo.lock")) => &["Cargo.toml"],
            (_, Some("go.mod")) => &["go.sum"],
            (detect::NPM, Some(n)) if n != "package.json" => &["package.json"],
            _ => &[],
        };
        for c in companions {
            if let Some(s) = sibling(c) {
                files.push(s);
            }
        }
    }
    if let Some(e) = unknown.first()
        && !opts.keep_going
    {
        return Err(e.clone());
    }
    files.sort();
    files.dedup();
    let mut result = run(&files, opts, opts.threads)?;
    unknown.append(&mut result.warnings);
    result.warnings = unknown;
    Ok(result)
}

/// One unit of parsing work: a file and the companions it needs.
#[derive(Debug)]
enum Job {
    /// Cargo.lock with candidate Cargo.toml files (the one beside it first).
    Cargo { lock: usize, manifests: Vec<usize> },
    /// A JS lockfile with the package.json files it claims (the one beside it first).
    Js { lock: usize, manifests: Vec<usize> },
    /// go.mod with the go.sum beside it.
    GoMod { gomod: usize, gosum: Option<usize> },
    /// Any other file, alone.
    Alone(usize),
}

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn name_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, n)| n)
}

/// Whether `dir` is `ancestor` or below it.
fn within(dir: &str, ancestor: &str) -> bool {
    ancestor.is_empty()
        || dir == ancestor
        || (dir.starts_with(ancestor) && dir.as_bytes().get(ancestor.len()) == Some(&b'/'))
}

/// The nearest directory among `dirs` that is `dir` or an ancestor of it.
fn nearest<'a>(dir: &str, dirs: &'a BTreeSet<&'a str>) -> Option<&'a str> {
    dirs.iter()
        .filter(|d| within(dir, d))
        .max_by_key(|d| d.len())
        .copied()
}

const JS_LOCKS: &[&str] = &[
    "npm-shrinkwrap.json",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "bun.lockb",
];

fn plan(files: &[(String, PathBuf)]) -> Vec<Job> {
    let mut by_dir: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (i, (rel, _)) in files.iter().enumerate() {
        by_dir
            .entry(dir_of(rel))
            .or_default()
            .insert(name_of(rel), i);
    }
    let has = |dir: &str, name: &str| by_dir.get(dir).and_then(|m| m.get(name)).copied();
    let cargo_lock_dirs: BTreeSet<&str> = by_dir
        .iter()
        .filter(|(_, m)| m.contains_key("Cargo.lock"))
        .map(|(d, _)| *d)
        .collect();
    let js_lock_dirs: BTreeSet<&str> = by_dir
        .iter()
        .filter(|(_, m)| JS_LOCKS.iter().any(|l| m.contains_key(l)))
        .map(|(d, _)| *d)
        .collect();
    let mut jobs = Vec::new();
    let mut cargo_claims: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut js_claims: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (rel, _)) in files.iter().enumerate() {
        let (dir, name) = (dir_of(rel), name_of(rel));
        match name {
            "Cargo.toml" => match nearest(dir, &cargo_lock_dirs) {
                Some(d) => cargo_claims.entry(d).or_default().push(i),
                None => jobs.push(Job::Alone(i)),
            },
            "package.json" => match nearest(dir, &js_lock_dirs) {
                Some(d) => js_claims.entry(d).or_default().push(i),
                None => jobs.push(Job::Alone(i)),
            },
            "go.sum" if has(dir, "go.mod").is_some() => {}
            "go.mod" => jobs.push(Job::GoMod {
                gomod: i,
                gosum: has(dir, "go.sum"),
            }),
            "Cargo.lock"
            | "package-lock.json"
            | "npm-shrinkwrap.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
            | "bun.lock"
            | "bun.lockb" => {}
            _ => {
                // Other ecosystems: a manifest beside a lockfile of its ecosystem is left
                // to the lockfile.
                let d = detect::classify(Path::new(rel));
                let shadowed = d.is_some_and(|d| {
                    d.kind == Kind::Manifest
                        && by_dir.get(dir).is_some_and(|m| {
                            m.keys().any(|n| {
                                detect::classify(Path::new(n)).is_some_and(|o| {
                                    o.kind == Kind::Lockfile && o.ecosystem == d.ecosystem
                                })
                            })
                        })
                });
                if !shadowed {
                    jobs.push(Job::Alone(i));
                }
            }
        }
    }
    for d in &cargo_lock_dirs {
        let Some(lock) = has(d, "Cargo.lock") else {
            continue;
        };
        let mut manifests = cargo_claims.remove(d).unwrap_or_default();
        // The Cargo.toml beside the lockfile first.
        manifests.sort_by_key(|&i| (dir_of(&files[i].0) != *d, i));
        jobs.push(Job::Cargo { lock, manifests });
    }
    for d in &js_lock_dirs {
        let mut manifests = js_claims.remove(d).unwrap_or_default();
        manifests.sort_by_key(|&i| (dir_of(&files[i].0) != *d, i));
        let shrinkwrap = has(d, "npm-shrinkwrap.json").is_some();
        for lock in JS_LOCKS {
            let Some(i) = has(d, lock) else { continue };
            if (*lock == "package-lock.json" && shrinkwrap)
                || (*lock == "bun.lockb" && has(d, "bun.lock").is_some())
            {
                continue;
            }
            jobs.push(Job::Js {
                lock: i,
                manifests: manifests.clone(),
            });
        }
    }
    jobs
}

fn read(rel: &str, abs: &Path) -> Result<Vec<u8>, ParseError> {
    let io = |e: std::io::Error| ParseError::Io {
        path: rel.to_string(),
        message: e.to_string(),
    };
    let size = std::fs::metadata(abs).map_err(io)?.len();
    if size > MAX_FILE_SIZE {
        return Err(ParseError::TooLarge {
            path: rel.to_string(),
            size,
        });
    }
    std::fs::read(abs).map_err(io)
}

fn read_text(rel: &str, abs: &Path) -> Result<String, ParseError> {
    let bytes = read(rel, abs)?;
    parse::text(rel, &bytes).map(std::borrow::Cow::into_owned)
}

/// What one job yields: subjects, or errors (file by file).
type JobOutput = Vec<Result<Subject, ParseError>>;

/// Run one job.
fn run_job(files: &[(String, PathBuf)], job: &Job) -> JobOutput {
    let file = |i: usize| (files[i].0.as_str(), files[i].1.as_path());
    match job {
        Job::Alone(i) => {
            let (rel, abs) = file(*i);
            // requirements `-r` includes and parent POMs are read from the same checkout,
            // by repository-relative path, never through `..` or a symlink.
            let root = abs.ancestors().nth(rel.split('/').count());
            let mut reader = |p: &str| -> Option<String> {
                let root = root?;
                if p.starts_with('/') || p.split('/').any(|c| c == ".." || c.is_empty()) {
                    return None;
                }
                let path = root.join(p);
                if path.symlink_metadata().ok()?.file_type().is_symlink() {
                    return None;
                }
                read_text(p, &path).ok()
            };
            let name = name_of(rel);
            let with_reader = if name == "pom.xml" {
                Some(read_text(rel, abs).and_then(|t| parse::java::pom_with(rel, &t, &mut reader)))
            } else if crate::detect::classify(Path::new(rel))
                .is_some_and(|d| d.ecosystem == crate::detect::PYPI && d.kind == Kind::Manifest)
                && name.ends_with(".txt")
            {
                Some(
                    read_text(rel, abs)
                        .and_then(|t| parse::python::requirements_with(rel, &t, &mut reader)),
                )
            } else {
                None
            };
            if let Some(parsed) = with_reader {
                return vec![parsed];
            }
            match read(rel, abs).and_then(|b| parse::parse_file(rel, &b)) {
                Ok(Some(s)) => vec![Ok(s)],
                Ok(None) => Vec::new(),
                Err(e) => vec![Err(e)],
            }
        }
        Job::GoMod { gomod, gosum } => {
            let (rel, abs) = file(*gomod);
            let mut out = Vec::new();
            let sums = gosum.map(|s| {
                let (srel, sabs) = file(s);
                (
                    srel,
                    read_text(srel, sabs).and_then(|t| go::read_go_sum(srel, &t)),
                )
            });
            let sum_lines = match &sums {
                Some((srel, Ok(lines))) => Some((*srel, lines.as_slice())),
                Some((_, Err(e))) => {
                    out.push(Err(e.clone()));
                    None
                }
                None => None,
            };
            out.push(read_text(rel, abs).and_then(|t| go::go_mod_with_sum(rel, &t, sum_lines)));
            out
        }
        Job::Cargo { lock, manifests } => {
            let (rel, abs) = file(*lock);
            let text = match read_text(rel, abs) {
                Ok(t) => t,
                Err(e) => return vec![Err(e)],
            };
            let alone = match cargo::lockfile(rel, &text) {
                Ok(s) => s,
                Err(e) => return vec![Err(e)],
            };
            let path_names: BTreeSet<&str> = alone
                .components
                .iter()
                .filter(|c| matches!(c.source, crate::model::Source::Path { .. }))
                .map(|c| c.name.as_str())
                .chain(alone.root.iter().map(|r| r.name.as_str()))
                .collect();
            let mut out = Vec::new();
            let mut used = Vec::new();
            for &m in manifests {
                let (mrel, mabs) = file(m);
                match read_text(mrel, mabs).and_then(|t| cargo::read_manifest(mrel, &t)) {
                    Ok(mf) => {
                        let beside = dir_of(mrel) == dir_of(rel);
                        let member = mf
                            .package
                            .as_ref()
                            .is_some_and(|p| path_names.contains(p.name.as_str()));
                        if beside || member {
                            used.push((mrel.to_string(), mf));
                        } else {
                            // Not part of this lockfile's workspace: a subject of its own.
                            out.push(read_text(mrel, mabs).and_then(|t| cargo::manifest(mrel, &t)));
                        }
                    }
                    Err(e) => out.push(Err(e)),
                }
            }
            if used.is_empty() {
                out.push(Ok(alone));
            } else {
                out.push(cargo::lockfile_with_manifests(rel, &text, &used));
            }
            out
        }
        Job::Js { lock, manifests } => {
            let (rel, abs) = file(*lock);
            let mut out = Vec::new();
            let mut pkgs = Vec::new();
            for &m in manifests {
                let (mrel, mabs) = file(m);
                match read_text(mrel, mabs).and_then(|t| npm::read_package_json(mrel, &t)) {
                    Ok(p) => pkgs.push(p),
                    Err(e) => out.push(Err(e)),
                }
            }
            let name = name_of(rel);
            let parsed = match name {
                "bun.lockb" => Err(ParseError::unsupported(rel, 0, "bun.lockb", "binary")),
                _ => read_text(rel, abs).and_then(|text| match name {
                    "yarn.lock" => yarn::lockfile_with_manifests(rel, &text, &pkgs),
                    "pnpm-lock.yaml" => pnpm::lockfile_with_manifests(rel, &text, &pkgs),
                    "package-lock.json" | "npm-shrinkwrap.json" => {
                        let root = npm::manifest_in(&pkgs, rel, ".");
                        npm::package_lock_with_manifest(rel, &text, root)
                    }
                    _ => parse::parse_file(rel, text.as_bytes()).and_then(|s| {
                        s.ok_or_else(|| ParseError::invalid(rel, 0, 0, "not a lockfile"))
                    }),
                }),
            };
            out.push(parsed);
            out
        }
    }
}

fn job_order(files: &[(String, PathBuf)], job: &Job) -> usize {
    match job {
        Job::Alone(i) | Job::Cargo { lock: i, .. } | Job::Js { lock: i, .. } => *i,
        Job::GoMod { gomod, .. } => *gomod,
    }
    .min(files.len())
}

/// Parse the planned jobs on `threads` threads; assemble, filter and sort.
fn run(
    files: &[(String, PathBuf)],
    opts: &ScanOptions,
    threads: usize,
) -> Result<ScanResult, ParseError> {
    let mut jobs = plan(files);
    jobs.sort_by_key(|j| job_order(files, j));
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        threads
    }
    .clamp(1, 64)
    .min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, JobOutput)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let out = run_job(files, job);
                    if let Ok(mut r) = results.lock() {
                        r.push((i, out));
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _)| *i);
    let mut subjects = Vec::new();
    let mut errors = Vec::new();
    for (_, out) in results {
        for r in out {
            match r {
                Ok(s) => subjects.push(s),
                Err(e) => errors.push(e),
            }
        }
    }
    errors.sort_by(|a, b| a.path().cmp(b.path()));
    if let Some(e) = errors.first()
        && !opts.keep_going
    {
        return Err(e.clone());
    }
    if !opts.include_dev {
        for s in &mut subjects {
            drop_dev(s);
        }
    }
    subjects.sort_by(|a, b| a.path.cmp(&b.path));
    subjects.dedup_by(|a, b| a.path == b.path);
    Ok(ScanResult {
        inventory: Inventory {
            schema: INVENTORY_SCHEMA.to_string(),
            subjects,
        },
        warnings: errors,
    })
}

/// Remove development-only components and the edges that touch them.
fn drop_dev(s: &mut Subject) {
    let dev: BTreeSet<String> = s
        .components
        .iter()
        .filter(|c| c.scope == Scope::Dev)
        .map(|c| c.id.clone())
        .collect();
    if dev.is_empty() {
        return;
    }
    s.components.retain(|c| !dev.contains(&c.id));
    s.edges
        .retain(|e| !dev.contains(&e.from) && !dev.contains(&e.to));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_ancestor() {
        let dirs: BTreeSet<&str> = ["", "a", "a/b"].into_iter().collect();
        assert_eq!(nearest("a/b/c", &dirs), Some("a/b"));
        assert_eq!(nearest("ab", &dirs), Some(""));
        assert_eq!(nearest("a", &dirs), Some("a"));
        assert!(!within("ab", "a"));
    }
}

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
