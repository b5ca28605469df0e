//! Reading every lockfile and manifest of a checkout into one [`Inventory`].
//!
//! The scan reads the checkout's one file index (`annex_checkout::FileIndex`: git-aware,
//! one exclude list) and never walks the tree itself. Which file is read, and with which
//! others, comes from the extractor registry ([`crate::extract`]):
//! - each file a registered extractor claims is a candidate;
//! - a companion (the `Cargo.toml` files beside and below a `Cargo.lock`, the
//!   `package.json` files of a JS lockfile, the `go.sum` beside a `go.mod`) is handed to
//!   the nearest subject that declares it, not read on its own; a `Cargo.toml` below a
//!   `Cargo.lock` that is not one of its workspace's members is a subject of its own;
//! - a file that another subject in the same directory shadows (a manifest beside a
//!   lockfile of its ecosystem, `package-lock.json` beside `npm-shrinkwrap.json`,
//!   `bun.lockb` beside `bun.lock`) is skipped, and so is a format annex does not read;
//! - everything else is a subject.
//!
//! [`ScanResult::skipped`] lists, sorted, each lockfile or manifest not read and why: kept
//! out by the exclude list (tracked files below pruned directories; the pruned
//! directories themselves when the checkout is not a git repository), shadowed,
//! unsupported, or (with `keep_going`) unreadable.
//!
//! Subjects are sorted by path. With `keep_going`, a file that fails to parse becomes a
//! warning and the scan goes on; without it the first error (in path order) is returned.

mod plan;
mod scope;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use annex_checkout::{
    CheckoutError, ExcludeOrigin, FileIndex, IndexOptions, ReadError, SkipReason, Skipped,
    choose_threads,
};
use serde::{Deserialize, Serialize};

use crate::extract::{self, Context, Extractor, Source};
use crate::model::{INVENTORY_SCHEMA, Inventory, Scope, Subject};
use crate::parse::{MAX_FILE_SIZE, ParseError};
use plan::Candidate;

pub use scope::ScopeConfig;

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanOptions {
    /// Keep development-only components (scope `dev`).
    pub include_dev: bool,
    /// Glob patterns (gitignore syntax, relative to the root) of paths to leave out.
    pub exclude: Vec<String>,
    /// A file that fails to parse is a warning, not the end of the scan.
    pub keep_going: bool,
    /// Walker and parser threads; 0 chooses one per core, and the count is capped
    /// (`annex_checkout::choose_threads`).
    #[serde(default)]
    pub threads: usize,
    /// Leave out the default-excluded trees (`annex_checkout::DEFAULT_EXCLUDES`:
    /// installed packages, build output, test data, examples). Each one left out is
    /// reported in [`ScanResult::skipped`].
    #[serde(default = "yes")]
    pub default_excludes: bool,
    /// The local Maven repository POMs are resolved from (`~/.m2/repository` layout).
    #[serde(default)]
    pub maven_repo: Option<PathBuf>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            include_dev: false,
            exclude: Vec::new(),
            keep_going: false,
            threads: 0,
            default_excludes: true,
            maven_repo: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanResult {
    pub inventory: Inventory,
    /// Files that could not be read (only with `keep_going`), in path order.
    pub warnings: Vec<ParseError>,
    /// Lockfiles and manifests not read, and why; sorted.
    #[serde(default, skip_deserializing)]
    pub skipped: Vec<Skipped>,
}

/// Build the checkout's file index and scan it.
pub fn scan(root: &Path, opts: &ScanOptions) -> Result<ScanResult, ParseError> {
    let index = FileIndex::build(root, &index_options(opts))
        .map_err(|e| checkout_error(&root.display().to_string(), e))?;
    scan_index(&index, opts)
}

fn index_options(opts: &ScanOptions) -> IndexOptions {
    IndexOptions {
        default_excludes: opts.default_excludes,
        exclude: opts.exclude.clone(),
        scope_exclude: Vec::new(),
        threads: opts.threads,
    }
}

/// The most lockfile and manifest bytes one scan of a checkout reads (each file is also
/// capped at [`crate::parse::MAX_FILE_SIZE`]).
pub const MAX_SCAN_BYTES: u64 = 1024 * 1024 * 1024;

/// Scan what the file index holds. `opts.exclude` and `opts.default_excludes` were the
/// index's to apply; here only `include_dev`, `keep_going` and `threads` count.
pub fn scan_index(index: &FileIndex, opts: &ScanOptions) -> Result<ScanResult, ParseError> {
    let root_label = index.root.display().to_string();
    let walk_errors: Vec<ParseError> = index
        .errors
        .iter()
        .map(|e| ParseError::Io {
            path: root_label.clone(),
            message: e.clone(),
        })
        .collect();
    if let Some(e) = walk_errors.first()
        && !opts.keep_going
    {
        return Err(e.clone());
    }
    let cands = candidates(index);
    // Each file is capped, but a checkout can hold any number of them: cap their sum, since
    // the inventory takes several times the bytes it reads.
    let total: u64 = cands
        .iter()
        .map(|c| {
            index
                .files
                .binary_search_by(|f| f.rel.as_str().cmp(&c.path))
                .map_or(0, |i| index.files[i].size)
        })
        .sum();
    if total > MAX_SCAN_BYTES {
        return Err(ParseError::Io {
            path: root_label,
            message: format!(
                "the lockfiles and manifests to read total {total} bytes, over the \
                 {MAX_SCAN_BYTES}-byte limit of one scan: narrow it with --exclude or --lockfile"
            ),
        });
    }
    let (jobs, mut skipped) = plan::plan(&cands);
    let files = Files {
        root: index.root.clone(),
        prefix: String::new(),
        references: Some(index.root.clone()),
        raw: raw_names(index),
        maven_repo: opts.maven_repo.clone(),
    };
    let work: Vec<Work> = jobs
        .iter()
        .map(|j| Work {
            files: 0,
            path: cands[j.subject].path.clone(),
            extractor: cands[j.subject].extractor,
            companions: j
                .companions
                .iter()
                .map(|&k| cands[k].path.clone())
                .collect(),
        })
        .collect();
    let mut result = run(&work, &[files], opts)?;
    skipped.extend(excluded(index));
    let mut warnings = walk_errors;
    warnings.append(&mut result.warnings);
    result.warnings = warnings;
    result.skipped.append(&mut skipped);
    result.skipped.sort();
    Ok(result)
}

/// The files of the index some extractor claims.
fn candidates(index: &FileIndex) -> Vec<Candidate> {
    index
        .files
        .iter()
        .filter_map(|f| {
            let parent = f.dir().rsplit_once('/').map_or(f.dir(), |(_, p)| p);
            extract::find(f.name(), parent).map(|extractor| Candidate {
                path: f.rel.clone(),
                extractor,
            })
        })
        .collect()
}

/// What a scan of the index would read (the number of subjects planned) and skip, without
/// reading any lockfile: for runs that need the list but not the packages. Files that fail
/// to parse are not known here (only a scan finds them).
pub fn plan_index(index: &FileIndex) -> (usize, Vec<Skipped>) {
    let cands = candidates(index);
    let (jobs, mut skipped) = plan::plan(&cands);
    skipped.extend(excluded(index));
    skipped.sort();
    (jobs.len(), skipped)
}

/// The claimed files the exclude list kept out, and (when git cannot say what a pruned
/// directory holds) the pruned directories themselves.
fn excluded(index: &FileIndex) -> Vec<Skipped> {
    let skip = |path: &str, p: &annex_checkout::Pruned| Skipped {
        path: path.to_string(),
        reason: match p.origin {
            ExcludeOrigin::Default => SkipReason::DefaultExcluded,
            ExcludeOrigin::Option | ExcludeOrigin::Scope => SkipReason::Excluded,
        },
        detail: match p.origin {
            ExcludeOrigin::Default => format!(
                "{} {}; --no-default-excludes reads it",
                p.origin.describe(),
                p.pattern
            ),
            _ => format!("{} {}", p.origin.describe(), p.pattern),
        },
    };
    let mut out: Vec<Skipped> = index
        .pruned_files()
        .filter(|(f, _)| extract::find_path(f).is_some())
        .map(|(f, p)| skip(f, p))
        .collect();
    if !matches!(index.git, annex_checkout::GitIndexState::Read { .. }) {
        out.extend(
            index
                .pruned
                .iter()
                .filter(|p| p.path.ends_with('/'))
                .map(|p| skip(&p.path, p)),
        );
    }
    out
}

/// Parse the given files (`--lockfile FILE…`), each as a subject with the companions the
/// directory scan would give it (its directory is indexed for them). Paths are reported
/// as given.
pub fn scan_files(paths: &[PathBuf], opts: &ScanOptions) -> Result<ScanResult, ParseError> {
    let mut unknown = Vec::new();
    let mut sources = Vec::new();
    let mut work = Vec::new();
    for p in paths {
        let label = path_label(p);
        let Some(extractor) = extract::find_path(&label) else {
            unknown.push(ParseError::invalid(
                &label,
                0,
                0,
                "not a lockfile or manifest annex reads (by its file name)",
            ));
            continue;
        };
        let (prefix, name) = label.rsplit_once('/').unwrap_or(("", &label));
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
        let index = match FileIndex::build(dir.unwrap_or(Path::new(".")), &index_options(opts)) {
            Ok(i) => i,
            Err(e) => {
                unknown.push(checkout_error(&label, e));
                continue;
            }
        };
        let with_prefix = |rel: &str| match prefix {
            "" => rel.to_string(),
            _ => format!("{prefix}/{rel}"),
        };
        // The given file is the subject even where the directory scan would shadow it,
        // read it as a companion, or not index it (git-ignored).
        let mut cands: Vec<Candidate> = index
            .files
            .iter()
            .filter(|f| f.rel != name)
            .filter_map(|f| {
                let parent = f.dir().rsplit_once('/').map_or(f.dir(), |(_, p)| p);
                extract::find(f.name(), parent).map(|extractor| Candidate {
                    path: with_prefix(&f.rel),
                    extractor,
                })
            })
            .collect();
        cands.push(Candidate {
            path: label.clone(),
            extractor,
        });
        let s = cands.len() - 1;
        let companions = plan::companions_for(&cands, s)
            .into_iter()
            .map(|k| cands[k].path.clone())
            .collect();
        // `-r` includes and parent POMs: relative to where the path is relative to, as
        // before (an absolute path reads none).
        let references = p
            .ancestors()
            .nth(label.split('/').count())
            .map(Path::to_path_buf);
        work.push(Work {
            files: sources.len(),
            path: label.clone(),
            extractor,
            companions,
        });
        sources.push(Files {
            root: index.root.clone(),
            prefix: prefix.to_string(),
            references,
            raw: raw_names(&index),
            maven_repo: opts.maven_repo.clone(),
        });
    }
    if let Some(e) = unknown.first()
        && !opts.keep_going
    {
        return Err(e.clone());
    }
    // A given file that is another given file's companion is read as that (`Cargo.lock`
    // and its `Cargo.toml` give one subject).
    let companions: BTreeSet<String> = work
        .iter()
        .flat_map(|w| w.companions.iter().cloned())
        .collect();
    work.retain(|w| !companions.contains(&w.path));
    work.sort_by(|a, b| a.path.cmp(&b.path));
    work.dedup_by(|a, b| a.path == b.path);
    let mut result = run(&work, &sources, opts)?;
    unknown.append(&mut result.warnings);
    result.warnings = unknown;
    result.skipped.sort();
    Ok(result)
}

/// A given path as a `/`-separated label: `/home/x/Cargo.lock` for an absolute one (the
/// root is the empty first segment, not a `/` of its own, which gave `//home/...`).
fn path_label(p: &Path) -> String {
    p.components()
        .map(|c| match c {
            std::path::Component::RootDir => std::borrow::Cow::Borrowed(""),
            c => c.as_os_str().to_string_lossy(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Where the files of one scan are: an indexed directory, and the label its paths carry.
struct Files {
    /// The indexed directory.
    root: PathBuf,
    /// The label of `root` in subject paths (`""` for a checkout scan).
    prefix: String,
    /// The directory referenced files are relative to, if any may be read.
    references: Option<PathBuf>,
    /// Files whose names are not UTF-8, by label: read through the name the system knows.
    raw: BTreeMap<String, annex_checkout::IndexedFile>,
    /// The local Maven repository, if any.
    maven_repo: Option<PathBuf>,
}

/// The index's files whose label is not their name (not UTF-8).
fn raw_names(index: &FileIndex) -> BTreeMap<String, annex_checkout::IndexedFile> {
    index
        .files
        .iter()
        .filter(|f| f.raw.is_some())
        .map(|f| (f.rel.clone(), f.clone()))
        .collect()
}

impl Files {
    fn rel<'a>(&self, path: &'a str) -> &'a str {
        if self.prefix.is_empty() {
            return path;
        }
        path.strip_prefix(self.prefix.as_str())
            .and_then(|p| p.strip_prefix('/'))
            .unwrap_or(path)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, ParseError> {
        let rel = self.rel(path);
        match self.raw.get(rel) {
            Some(file) => annex_checkout::read_indexed(&self.root, file, MAX_FILE_SIZE),
            None => annex_checkout::read_file(&self.root, rel, MAX_FILE_SIZE),
        }
        .map_err(|e| read_error(path, e))
    }
}

impl Source for Files {
    fn read_text(&self, path: &str) -> Result<String, ParseError> {
        let bytes = self.read(path)?;
        crate::parse::text(path, &bytes).map(std::borrow::Cow::into_owned)
    }

    fn read_reference(&self, path: &str) -> Option<String> {
        // Checkout-relative only: never through `..`, an absolute path or a symlink.
        if path.starts_with('/') || path.split('/').any(|c| c == ".." || c.is_empty()) {
            return None;
        }
        let root = self.references.as_deref()?;
        let bytes = annex_checkout::read_file(root, path, MAX_FILE_SIZE).ok()?;
        crate::parse::text(path, &bytes)
            .ok()
            .map(std::borrow::Cow::into_owned)
    }

    fn maven_repo(&self) -> Option<&Path> {
        self.maven_repo.as_deref()
    }
}

fn read_error(path: &str, e: ReadError) -> ParseError {
    let message = match e {
        ReadError::TooLarge { size, .. } => {
            return ParseError::TooLarge {
                path: path.to_string(),
                size,
            };
        }
        ReadError::Io { source, .. } => source.to_string(),
        ReadError::OutsideRoot { .. } => "not a path inside the checkout".to_string(),
        ReadError::Symlink { .. } => "a symlink (annex does not follow symlinks)".to_string(),
        ReadError::NotAFile { .. } => "not a regular file".to_string(),
        ReadError::NotText { .. } => "not UTF-8 text".to_string(),
    };
    ParseError::Io {
        path: path.to_string(),
        message,
    }
}

fn checkout_error(path: &str, e: CheckoutError) -> ParseError {
    let message = match e {
        CheckoutError::NotFound { .. } => "no such file or directory".to_string(),
        CheckoutError::NotADirectory { .. } => "not a directory".to_string(),
        CheckoutError::Io { source, .. } => source.to_string(),
        CheckoutError::InvalidExclude {
            pattern, message, ..
        } => format!("exclude pattern `{pattern}`: {message}"),
    };
    ParseError::Io {
        path: path.to_string(),
        message,
    }
}

/// One subject to extract: its file, its extractor, its companions (by label).
struct Work {
    /// Index into the [`Files`] it is read from.
    files: usize,
    path: String,
    extractor: &'static dyn Extractor,
    companions: Vec<String>,
}

/// What one job yields: subjects, or errors (file by file).
type JobOutput = Vec<Result<Subject, ParseError>>;

fn run_one(w: &Work, files: &Files) -> JobOutput {
    let content = match files.read(&w.path) {
        Ok(c) => c,
        Err(e) => return vec![Err(e)],
    };
    let mut ctx = Context::new(&w.companions, files);
    let extracted = w.extractor.extract(&w.path, &content, &mut ctx);
    let mut out: JobOutput = ctx.into_problems().into_iter().map(Err).collect();
    match extracted {
        Ok(subjects) => out.extend(subjects.into_iter().map(Ok)),
        Err(e) => out.push(Err(e)),
    }
    out
}

/// Extract the planned subjects on the capped number of threads; assemble, filter and
/// sort. Each error also lists its file as `unreadable` (only seen with `keep_going`).
fn run(work: &[Work], files: &[Files], opts: &ScanOptions) -> Result<ScanResult, ParseError> {
    let threads = choose_threads(opts.threads).threads.min(work.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, JobOutput)>> = Mutex::new(Vec::new());
    annex_checkout::run_workers(threads, || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(w) = work.get(i) else { break };
            let Some(f) = files.get(w.files) else {
                continue;
            };
            let out = run_one(w, f);
            if let Ok(mut r) = results.lock() {
                r.push((i, out));
            }
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
    let skipped = errors
        .iter()
        .map(|e| Skipped {
            path: e.path().to_string(),
            reason: SkipReason::Unreadable,
            detail: e.to_string(),
        })
        .collect();
    Ok(ScanResult {
        inventory: Inventory {
            schema: INVENTORY_SCHEMA.to_string(),
            subjects,
        },
        warnings: errors,
        skipped,
    })
}

/// Remove development-only components, development-only edges (a root's
/// devDependencies that are also needed at run time through another package) and the
/// edges that touch a removed component. A component that only such edges from the root
/// or a local package made direct is no longer direct.
fn drop_dev(s: &mut Subject) {
    let dev: BTreeSet<String> = s
        .components
        .iter()
        .filter(|c| c.scope == Scope::Dev)
        .map(|c| c.id.clone())
        .collect();
    if dev.is_empty() && s.edges.iter().all(|e| e.scope != Scope::Dev) {
        return;
    }
    s.components.retain(|c| !dev.contains(&c.id));
    // The nodes whose dependencies are direct ones: the root and the local packages.
    let mut holders: BTreeSet<&str> = s
        .components
        .iter()
        .filter(|c| matches!(c.source, crate::model::Source::Path { .. }))
        .map(|c| c.id.as_str())
        .collect();
    if let Some(r) = &s.root {
        holders.insert(r.id.as_str());
    }
    let dev_direct: BTreeSet<String> = s
        .edges
        .iter()
        .filter(|e| e.scope == Scope::Dev && holders.contains(e.from.as_str()))
        .map(|e| e.to.clone())
        .collect();
    let still_direct: BTreeSet<String> = s
        .edges
        .iter()
        .filter(|e| e.scope != Scope::Dev && holders.contains(e.from.as_str()))
        .map(|e| e.to.clone())
        .collect();
    for c in &mut s.components {
        if dev_direct.contains(&c.id) && !still_direct.contains(&c.id) {
            c.direct = false;
        }
    }
    s.edges
        .retain(|e| e.scope != Scope::Dev && !dev.contains(&e.from) && !dev.contains(&e.to));
}
