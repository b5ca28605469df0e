//! The advisory database: import from OSV JSON/YAML directories, osv.dev `all.zip` archives,
//! the RustSec advisory-db layout and single files, into a compact on-disk index.
//!
//! # On-disk format (`annex/osv-db/v1`)
//!
//! ```text
//! DIR/manifest.json                      schema, last update, per-ecosystem index file, import log
//! DIR/eco/<ecosystem>/data-<gen>.jsonl   one advisory per line (minified OSV JSON), sorted by id
//! DIR/eco/<ecosystem>/index-<gen>.json   id → {modified, withdrawn, byte offset and length, names}
//! ```
//!
//! An advisory affecting packages of several ecosystems is stored once per ecosystem. Names in
//! the index are normalised per ecosystem ([`normalize_name`]); a lookup reads the small index
//! and then only the lines of the matching advisories. An import writes a new generation of
//! each ecosystem it changes, then swaps `manifest.json` atomically (write + rename), so a
//! crash leaves the previous state readable; ecosystems it does not change are not touched.
//! Re-import is incremental: an advisory whose `modified` is older than the stored one, or equal
//! to it with the same content, is not rewritten. (Equal timestamps with different content are
//! taken from the import: the Go vulndb repository, for one, stamps every record
//! `0001-01-01T00:00:00Z`, so the timestamp alone would freeze its records forever.)
//!
//! # Concurrency
//!
//! One writer at a time: a writer holds an exclusive lock on `DIR/lock` (which names its pid)
//! and re-reads the manifest under it, so two imports never start from the same state.
//! Readers hold a shared lock on `DIR/readers` from before they read the manifest until they
//! are dropped; the files a new generation no longer needs are listed in the manifest as
//! retired and deleted only by a writer that can lock `DIR/readers` exclusively, i.e. when no
//! reader can still be using them. A reader therefore always sees one complete generation.
//!
//! # Trust
//!
//! The directory may come from a cache someone else filled. Every name in it is data: file and
//! directory names from the manifest and indexes must be single plain components, nothing is
//! opened through a symlink, directories are not followed when they are symlinks, files are
//! created fresh (never written through what was at the name), and reads are size-capped.

mod import;
mod limits;
mod rustsec;
mod summary;

pub use limits::Limits;
pub use summary::{ImportIssue, ImportSummary, IssueKind};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use annex_checkout::nofollow;
use serde::{Deserialize, Serialize};

use crate::osv::{Advisory, base_ecosystem, id_prefix, parse_timestamp};

pub const DB_SCHEMA: &str = "annex/osv-db/v1";
const INDEX_SCHEMA: &str = "annex/osv-index/v1";
const MANIFEST: &str = "manifest.json";
const LOCK: &str = "lock";
const READERS: &str = "readers";
/// The manifest holds no advisories; anything larger is not ours.
const MAX_MANIFEST: u64 = 64 << 20;
/// An index maps ids to byte ranges: large for all of osv.dev, never this large.
const MAX_INDEX: u64 = 4 << 30;
const IMPORT_LOG_LEN: usize = 20;

/// Errors that stop an operation on the database itself. Problems with the advisories being
/// imported are not errors: they are [`ImportIssue`]s in the summary.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: not a usable annex advisory database: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
    #[error("{}: no advisory database here (import advisories first)", .0.display())]
    NotFound(PathBuf),
    #[error("{}: import source does not exist", .0.display())]
    SourceNotFound(PathBuf),
    #[error("{}: the database is locked by {}", path.display(), match pid { Some(p) => format!("pid {p}"), None => "another process".to_string() })]
    Locked { path: PathBuf, pid: Option<u32> },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> DbError + '_ {
    move |source| DbError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One import, as remembered in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLog {
    pub at: String,
    pub sources: Vec<String>,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
}

/// Counts per ecosystem.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EcosystemStats {
    pub advisories: usize,
    pub withdrawn: usize,
    pub packages: usize,
}

/// What the database holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub schema: String,
    /// Distinct advisory ids.
    pub advisories: usize,
    pub withdrawn: usize,
    /// Distinct ids by database (id prefix).
    pub by_source: BTreeMap<String, usize>,
    pub by_ecosystem: BTreeMap<String, EcosystemStats>,
    pub updated: Option<String>,
    pub imports: Vec<ImportLog>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Manifest {
    schema: String,
    #[serde(default)]
    updated: Option<String>,
    #[serde(default)]
    generation: u64,
    #[serde(default)]
    ecosystems: BTreeMap<String, EcoMeta>,
    #[serde(default)]
    imports: Vec<ImportLog>,
    /// Files (`dir/name` under `eco/`) no current generation uses, left for a writer to delete
    /// once no reader holds an older generation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    retired: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct EcoMeta {
    /// Directory under `eco/`.
    dir: String,
    /// Index file name inside `dir`.
    index: String,
    advisories: usize,
    packages: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct IndexFile {
    schema: String,
    ecosystem: String,
    /// Data file name (same directory).
    data: String,
    advisories: BTreeMap<String, IndexEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct IndexEntry {
    modified: String,
    /// FNV-1a 64 of the stored line, to tell equal timestamps with different content apart.
    #[serde(default)]
    hash: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    withdrawn: bool,
    offset: u64,
    len: u64,
    /// Normalised package names this advisory affects in this ecosystem.
    names: Vec<String>,
}

struct EcoIndex {
    data_path: PathBuf,
    file: IndexFile,
    /// Normalised name → advisory ids.
    packages: HashMap<String, Vec<String>>,
}

/// The advisory database in a directory.
pub struct Db {
    dir: PathBuf,
    manifest: Manifest,
    limits: Limits,
    cache: Mutex<HashMap<String, Arc<EcoIndex>>>,
    /// The shared lock on `readers` that keeps this generation's files from being deleted.
    reader: Option<File>,
    /// The exclusive writer lock on `lock`, while held.
    writer: Option<File>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("dir", &self.dir)
            .field("ecosystems", &self.manifest.ecosystems.keys())
            .finish()
    }
}

impl Db {
    /// Opens an existing database for reading: the generation current now stays readable
    /// for as long as the returned value lives, whatever writers do meanwhile.
    pub fn open(dir: impl AsRef<Path>) -> Result<Db, DbError> {
        let dir = dir.as_ref().to_path_buf();
        // Locked before the manifest is read, so a writer cannot retire what it names.
        let reader = lock_readers(&dir)?;
        let manifest = read_manifest(&dir)?;
        Ok(Db {
            dir,
            manifest,
            limits: Limits::default(),
            cache: Mutex::new(HashMap::new()),
            reader,
            writer: None,
        })
    }

    /// Opens the database in `dir`, creating an empty one if there is none.
    pub fn open_or_create(dir: impl AsRef<Path>) -> Result<Db, DbError> {
        let dir = dir.as_ref();
        if manifest_exists(dir)? {
            return Db::open(dir);
        }
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        let mut db = Db {
            dir: dir.to_path_buf(),
            manifest: Manifest::default(),
            limits: Limits::default(),
            cache: Mutex::new(HashMap::new()),
            reader: None,
            writer: None,
        };
        // Another process may be creating it too: decide under the writer lock.
        db.lock(true)?;
        if !manifest_exists(dir)? {
            db.manifest = Manifest {
                schema: DB_SCHEMA.into(),
                ..Manifest::default()
            };
            write_json_atomic(&db.dir.join(MANIFEST), &db.manifest)?;
        }
        db.unlock()?;
        Ok(db)
    }

    /// Takes the writer lock, waiting for it when `wait`, else failing with
    /// [`DbError::Locked`] naming the holder. Under the lock the manifest is read again, so
    /// the import starts from the newest generation. Held until [`Db::unlock`] or drop;
    /// [`Db::import`] takes it by itself when not held.
    pub fn lock(&mut self, wait: bool) -> Result<(), DbError> {
        if self.writer.is_some() {
            return Ok(());
        }
        let path = self.dir.join(LOCK);
        let mut file = nofollow::open_lock_file(&path).map_err(io_err(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) if wait => file.lock().map_err(io_err(&path))?,
            Err(fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = Read::by_ref(&mut file).take(32).read_to_string(&mut text);
                return Err(DbError::Locked {
                    path: self.dir.clone(),
                    pid: text.trim().parse().ok(),
                });
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_err(&path)(e)),
        }
        // Best effort: the pid only makes the "locked by" message precise.
        let _ = file.set_len(0);
        let _ = write!(file, "{}", std::process::id());
        self.writer = Some(file);
        // Make sure readers have a lock file to hold before anything gets retired.
        let readers = self.dir.join(READERS);
        drop(nofollow::open_lock_file(&readers).map_err(io_err(&readers))?);
        if manifest_exists(&self.dir)? {
            self.manifest = read_manifest(&self.dir)?;
        }
        self.cache().clear();
        Ok(())
    }

    /// Whether this value holds the writer lock.
    pub fn holds_lock(&self) -> bool {
        self.writer.is_some()
    }

    /// Releases the writer lock.
    pub fn unlock(&mut self) -> Result<(), DbError> {
        if let Some(file) = self.writer.take() {
            file.unlock().map_err(io_err(&self.dir.join(LOCK)))?;
        }
        Ok(())
    }

    /// Replaces the import limits.
    pub fn with_limits(mut self, limits: Limits) -> Db {
        self.limits = limits;
        self
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The ecosystems with at least one advisory.
    pub fn ecosystems(&self) -> Vec<String> {
        self.manifest.ecosystems.keys().cloned().collect()
    }

    /// Whether the database holds any advisory for `ecosystem` (spelled as for
    /// [`Db::advisories_for`]). A package of an ecosystem it does not cover was not checked.
    pub fn covers(&self, ecosystem: &str) -> bool {
        self.manifest
            .ecosystems
            .contains_key(&canonical_ecosystem(base_ecosystem(ecosystem)))
    }

    /// When the database was last changed (RFC 3339).
    pub fn updated(&self) -> Option<&str> {
        self.manifest.updated.as_deref()
    }

    /// Imports advisories from each source: a directory (walked recursively; `.json`, `.yaml`,
    /// `.yml`, RustSec `.md` and `.zip` files), an osv.dev `all.zip`, or a single file.
    /// Malformed inputs are skipped and reported in the summary; only problems with the sources'
    /// existence or with the database directory are errors.
    pub fn import<P: AsRef<Path>>(&mut self, sources: &[P]) -> Result<ImportSummary, DbError> {
        let labels = sources
            .iter()
            .map(|s| s.as_ref().display().to_string())
            .collect();
        self.import_labelled(sources, labels)
    }

    /// [`Db::import`], naming the sources `labels` in the import log (a download is imported
    /// from a temporary file, and the log should name its URL).
    pub fn import_labelled<P: AsRef<Path>>(
        &mut self,
        sources: &[P],
        labels: Vec<String>,
    ) -> Result<ImportSummary, DbError> {
        let held = self.writer.is_some();
        self.lock(true)?;
        let result = self.import_locked(sources, labels);
        if !held {
            self.unlock()?;
        }
        result
    }

    fn import_locked<P: AsRef<Path>>(
        &mut self,
        sources: &[P],
        labels: Vec<String>,
    ) -> Result<ImportSummary, DbError> {
        let mut summary = ImportSummary::default();
        let existing = self.existing()?;
        let mut staged: HashMap<String, Staged> = HashMap::new();
        for src in sources {
            let src = src.as_ref();
            if fs::symlink_metadata(src).is_err() {
                return Err(DbError::SourceNotFound(src.to_path_buf()));
            }
            import::read_source(
                src,
                &self.limits,
                &mut summary,
                &mut |origin, adv, summary| stage(adv, origin, &existing, &mut staged, summary),
            );
        }
        self.write(staged, &existing, &mut summary)?;
        self.manifest.imports.push(ImportLog {
            at: now(),
            sources: labels,
            added: summary.added,
            updated: summary.updated,
            unchanged: summary.unchanged,
            skipped: summary.skipped,
        });
        let excess = self.manifest.imports.len().saturating_sub(IMPORT_LOG_LEN);
        self.manifest.imports.drain(..excess);
        write_json_atomic(&self.dir.join(MANIFEST), &self.manifest)?;
        self.collect_retired()?;
        Ok(summary)
    }

    /// Deletes retired files if no reader holds an older generation; otherwise leaves them
    /// for a later writer. Called with the writer lock held, after publishing.
    fn collect_retired(&mut self) -> Result<(), DbError> {
        if self.manifest.retired.is_empty() {
            return Ok(());
        }
        // Our own shared lock would stand in the way, and we read the new manifest anyway.
        self.reader = None;
        let path = self.dir.join(READERS);
        let file = nofollow::open_lock_file(&path).map_err(io_err(&path))?;
        let free = file.try_lock().is_ok();
        if free {
            let eco = self.dir.join("eco");
            for rel in std::mem::take(&mut self.manifest.retired) {
                // A name that is not `dir/file` of plain components is not ours to delete.
                if let Some((d, f)) = rel.split_once('/')
                    && plain_name(d)
                    && plain_name(f)
                    && is_real_dir(&eco)
                    && is_real_dir(&eco.join(d))
                {
                    let _ = fs::remove_file(eco.join(d).join(f));
                }
            }
            write_json_atomic(&self.dir.join(MANIFEST), &self.manifest)?;
            let _ = file.unlock();
        }
        self.reader = lock_readers(&self.dir)?;
        Ok(())
    }

    /// Counts per source (id prefix) and ecosystem.
    pub fn stats(&self) -> Result<Stats, DbError> {
        let mut stats = Stats {
            schema: DB_SCHEMA.into(),
            updated: self.manifest.updated.clone(),
            imports: self.manifest.imports.clone(),
            ..Stats::default()
        };
        let mut ids: BTreeMap<String, bool> = BTreeMap::new();
        for eco in self.manifest.ecosystems.keys() {
            let index = self.index(eco)?;
            let s = stats.by_ecosystem.entry(eco.clone()).or_default();
            s.advisories = index.file.advisories.len();
            s.packages = index.packages.len();
            for (id, e) in &index.file.advisories {
                s.withdrawn += usize::from(e.withdrawn);
                ids.insert(id.clone(), e.withdrawn);
            }
        }
        stats.advisories = ids.len();
        stats.withdrawn = ids.values().filter(|w| **w).count();
        for id in ids.keys() {
            *stats
                .by_source
                .entry(id_prefix(id).to_string())
                .or_default() += 1;
        }
        Ok(stats)
    }

    /// The advisories affecting `name` in `ecosystem` (an OSV ecosystem name, optionally with a
    /// `:suffix`; names are compared after [`normalize_name`]). Withdrawn advisories are
    /// included; matching drops them.
    pub fn advisories_for(&self, ecosystem: &str, name: &str) -> Result<Vec<Advisory>, DbError> {
        let eco = canonical_ecosystem(base_ecosystem(ecosystem));
        if !self.manifest.ecosystems.contains_key(&eco) {
            return Ok(Vec::new());
        }
        let index = self.index(&eco)?;
        let key = normalize_name(&eco, name);
        let Some(ids) = index.packages.get(&key) else {
            return Ok(Vec::new());
        };
        let mut file =
            nofollow::open_regular(&index.data_path).map_err(io_err(&index.data_path))?;
        ids.iter()
            .map(|id| read_record(&mut file, &index.data_path, &index.file.advisories[id]))
            .collect()
    }

    /// The advisory with this id, from whichever ecosystem holds it.
    pub fn get(&self, id: &str) -> Result<Option<Advisory>, DbError> {
        for eco in self.manifest.ecosystems.keys() {
            let index = self.index(eco)?;
            if let Some(e) = index.file.advisories.get(id) {
                let mut file =
                    nofollow::open_regular(&index.data_path).map_err(io_err(&index.data_path))?;
                return read_record(&mut file, &index.data_path, e).map(Some);
            }
        }
        Ok(None)
    }

    fn eco_dir(&self, meta: &EcoMeta) -> Result<PathBuf, DbError> {
        let eco = self.dir.join("eco");
        let dir = eco.join(&meta.dir);
        if !is_real_dir(&eco) || !is_real_dir(&dir) {
            return Err(DbError::Corrupt {
                path: dir,
                message: "not a directory (a symlink is not followed)".into(),
            });
        }
        Ok(dir)
    }

    /// The index cache; a panic while it was held cannot leave it inconsistent (inserts and
    /// removals are single calls), so a poisoned lock is taken over.
    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<EcoIndex>>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn index(&self, eco: &str) -> Result<Arc<EcoIndex>, DbError> {
        if let Some(i) = self.cache().get(eco) {
            return Ok(i.clone());
        }
        let meta = &self.manifest.ecosystems[eco];
        let dir = self.eco_dir(meta)?;
        let path = dir.join(&meta.index);
        let file: IndexFile = read_json(&path, MAX_INDEX)?;
        if file.schema != INDEX_SCHEMA || file.ecosystem != eco {
            return Err(DbError::Corrupt {
                path,
                message: format!("index of {:?} ({:?})", file.ecosystem, file.schema),
            });
        }
        if !plain_name(&file.data) {
            return Err(DbError::Corrupt {
                path,
                message: format!("data file name {:?} is not a plain file name", file.data),
            });
        }
        let mut packages: HashMap<String, Vec<String>> = HashMap::new();
        for (id, e) in &file.advisories {
            for n in &e.names {
                packages.entry(n.clone()).or_default().push(id.clone());
            }
        }
        let index = Arc::new(EcoIndex {
            data_path: dir.join(&file.data),
            file,
            packages,
        });
        self.cache().insert(eco.to_string(), index.clone());
        Ok(index)
    }

    /// Every stored id with its `modified` and the ecosystems holding it.
    fn existing(&self) -> Result<HashMap<String, Existing>, DbError> {
        let mut out: HashMap<String, Existing> = HashMap::new();
        for eco in self.manifest.ecosystems.keys() {
            let index = self.index(eco)?;
            for (id, e) in &index.file.advisories {
                let x = out.entry(id.clone()).or_insert_with(|| Existing {
                    modified: parse_timestamp(&e.modified),
                    hash: e.hash.clone(),
                    ecosystems: BTreeSet::new(),
                });
                x.ecosystems.insert(eco.clone());
            }
        }
        Ok(out)
    }

    fn write(
        &mut self,
        staged: HashMap<String, Staged>,
        existing: &HashMap<String, Existing>,
        summary: &mut ImportSummary,
    ) -> Result<(), DbError> {
        if staged.is_empty() {
            return Ok(());
        }
        // Ecosystems to rewrite: those receiving a staged record, and those holding an older
        // version of one (which may have moved away).
        let mut touched: BTreeSet<String> = BTreeSet::new();
        for (id, s) in &staged {
            touched.extend(s.names.keys().cloned());
            if let Some(x) = existing.get(id) {
                touched.extend(x.ecosystems.iter().cloned());
                summary.updated += 1;
            } else {
                summary.added += 1;
            }
        }
        self.manifest.generation += 1;
        let generation = self.manifest.generation;
        // `dir/file` names under eco/ that the new generation no longer uses.
        let mut obsolete: Vec<String> = Vec::new();
        let eco_root = self.dir.join("eco");
        nofollow::ensure_dir(&eco_root).map_err(io_err(&eco_root))?;
        for eco in touched {
            let old = match self.manifest.ecosystems.get(&eco) {
                Some(_) => Some(self.index(&eco)?),
                None => None,
            };
            let dir_name = match self.manifest.ecosystems.get(&eco) {
                Some(m) => m.dir.clone(),
                None => self.new_eco_dir(&eco),
            };
            let dir = eco_root.join(&dir_name);
            nofollow::ensure_dir(&dir).map_err(io_err(&dir))?;
            let data_name = format!("data-{generation}.jsonl");
            let index_name = format!("index-{generation}.json");
            let data_path = dir.join(&data_name);

            // id → where its line comes from.
            enum Line<'a> {
                Old(&'a IndexEntry),
                New(&'a Staged, &'a BTreeSet<String>),
            }
            let mut lines: BTreeMap<&str, Line<'_>> = BTreeMap::new();
            if let Some(old) = &old {
                for (id, e) in &old.file.advisories {
                    if !staged.contains_key(id) {
                        lines.insert(id, Line::Old(e));
                    }
                }
            }
            for (id, s) in &staged {
                if let Some(names) = s.names.get(&eco) {
                    lines.insert(id, Line::New(s, names));
                }
            }
            // A leftover of a crashed import, or a planted symlink, is replaced, not followed.
            let mut out =
                BufWriter::new(nofollow::replace_new(&data_path).map_err(io_err(&data_path))?);
            let mut old_data = match &old {
                Some(o) => {
                    Some(nofollow::open_regular(&o.data_path).map_err(io_err(&o.data_path))?)
                }
                None => None,
            };
            let mut entries = BTreeMap::new();
            let mut offset = 0u64;
            let mut buf = Vec::new();
            for (id, line) in lines {
                let (bytes, modified, hash, withdrawn, names): (&[u8], _, _, _, Vec<String>) =
                    match line {
                        Line::Old(e) => {
                            let (f, o) = (
                                old_data.as_mut().expect("old data file"),
                                old.as_ref().expect("old index"),
                            );
                            read_range(f, &o.data_path, e.offset, e.len, &mut buf)?;
                            let hash = if e.hash.is_empty() {
                                fnv1a(&buf)
                            } else {
                                e.hash.clone()
                            };
                            (&buf, e.modified.clone(), hash, e.withdrawn, e.names.clone())
                        }
                        Line::New(s, names) => (
                            s.json.as_bytes(),
                            s.modified.clone(),
                            s.hash.clone(),
                            s.withdrawn,
                            names.iter().cloned().collect(),
                        ),
                    };
                out.write_all(bytes).map_err(io_err(&data_path))?;
                out.write_all(b"\n").map_err(io_err(&data_path))?;
                let len = bytes.len() as u64;
                entries.insert(
                    id.to_string(),
                    IndexEntry {
                        modified,
                        hash,
                        withdrawn,
                        offset,
                        len,
                        names,
                    },
                );
                offset += len + 1;
            }
            out.into_inner()
                .map_err(|e| io_err(&data_path)(e.into_error()))?
                .sync_all()
                .map_err(io_err(&data_path))?;
            let packages: BTreeSet<&String> = entries.values().flat_map(|e| &e.names).collect();
            let meta = EcoMeta {
                dir: dir_name.clone(),
                index: index_name.clone(),
                advisories: entries.len(),
                packages: packages.len(),
            };
            let index = IndexFile {
                schema: INDEX_SCHEMA.into(),
                ecosystem: eco.clone(),
                data: data_name,
                advisories: entries,
            };
            write_json_atomic(&dir.join(&index_name), &index)?;
            if let Some(o) = &old {
                obsolete.push(format!("{dir_name}/{}", o.file.data));
                if let Some(m) = self.manifest.ecosystems.get(&eco) {
                    obsolete.push(format!("{dir_name}/{}", m.index));
                }
            }
            self.cache().remove(&eco);
            if meta.advisories == 0 {
                self.manifest.ecosystems.remove(&eco);
                obsolete.push(format!("{dir_name}/{}", meta.index));
                obsolete.push(format!("{dir_name}/{}", index.data));
            } else {
                self.manifest.ecosystems.insert(eco, meta);
            }
        }
        self.manifest.updated = Some(now());
        // Readers of the previous generation may still need these: deleted only when safe.
        self.manifest.retired.extend(obsolete);
        self.manifest.retired.sort();
        self.manifest.retired.dedup();
        Ok(())
    }

    fn new_eco_dir(&self, eco: &str) -> String {
        let slug: String = eco
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let slug = if slug.starts_with('.') {
            format!("_{slug}")
        } else {
            slug
        };
        let taken: BTreeSet<String> = self
            .manifest
            .ecosystems
            .values()
            .map(|m| m.dir.to_ascii_lowercase())
            .collect();
        let mut candidate = slug.clone();
        let mut n = 2;
        while taken.contains(&candidate.to_ascii_lowercase()) {
            candidate = format!("{slug}-{n}");
            n += 1;
        }
        candidate
    }
}

struct Existing {
    modified: Option<chrono::DateTime<chrono::Utc>>,
    hash: String,
    ecosystems: BTreeSet<String>,
}

/// A record accepted by this import, waiting to be written.
struct Staged {
    json: String,
    hash: String,
    modified: String,
    modified_at: chrono::DateTime<chrono::Utc>,
    withdrawn: bool,
    /// Ecosystem → normalised names.
    names: BTreeMap<String, BTreeSet<String>>,
}

fn stage(
    adv: Advisory,
    origin: &str,
    existing: &HashMap<String, Existing>,
    staged: &mut HashMap<String, Staged>,
    summary: &mut ImportSummary,
) {
    let mut names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for a in &adv.affected {
        if let Some(p) = &a.package {
            // `npm\0` or an empty name would make a key no lockfile ever matches: say so.
            let junk = |s: &str| s.trim().is_empty() || s.chars().any(char::is_control);
            if junk(&p.ecosystem) || junk(&p.name) {
                summary.issue(
                    origin,
                    IssueKind::Ignored,
                    format!(
                        "{}: affected package `{}` in ecosystem `{}` is not a valid name; that \
                         entry is ignored",
                        annex_types::escape_control(&adv.id),
                        annex_types::escape_control(&p.name),
                        annex_types::escape_control(&p.ecosystem)
                    ),
                );
                continue;
            }
            let eco = canonical_ecosystem(p.base_ecosystem());
            let name = normalize_name(&eco, &p.name);
            names.entry(eco).or_default().insert(name);
        }
    }
    if names.is_empty() {
        summary.issue(
            origin,
            IssueKind::Ignored,
            format!("{}: affects no package, nothing to match against", adv.id),
        );
        return;
    }
    summary.records += 1;
    *summary
        .by_source
        .entry(adv.id_prefix().to_string())
        .or_default() += 1;
    for eco in names.keys() {
        *summary.by_ecosystem.entry(eco.clone()).or_default() += 1;
    }
    let modified_at = adv
        .modified_at()
        .expect("validated records have a timestamp");
    let json = serde_json::to_string(&adv).expect("an advisory always serialises");
    let hash = fnv1a(json.as_bytes());
    // Keep what we have when it is newer, or as new and identical.
    let keep = |have: Option<chrono::DateTime<chrono::Utc>>, have_hash: &str| match have {
        Some(m) if m > modified_at => true,
        Some(m) if m == modified_at => have_hash == hash,
        _ => false,
    };
    if let Some(x) = existing.get(&adv.id)
        && keep(x.modified, &x.hash)
    {
        summary.unchanged += 1;
        return;
    }
    if let Some(s) = staged.get(&adv.id)
        && keep(Some(s.modified_at), &s.hash)
    {
        summary.unchanged += 1;
        return;
    }
    let replaced = staged.insert(
        adv.id.clone(),
        Staged {
            json,
            hash,
            modified: adv.modified.clone(),
            modified_at,
            withdrawn: adv.is_withdrawn(),
            names,
        },
    );
    if replaced.is_some() {
        // The older copy seen earlier in this import is superseded.
        summary.unchanged += 1;
    }
}

fn read_record(file: &mut File, path: &Path, e: &IndexEntry) -> Result<Advisory, DbError> {
    let mut buf = Vec::new();
    read_range(file, path, e.offset, e.len, &mut buf)?;
    serde_json::from_slice(&buf).map_err(|err| DbError::Corrupt {
        path: path.to_path_buf(),
        message: format!("record at byte {}: {err}", e.offset),
    })
}

fn read_range(
    file: &mut File,
    path: &Path,
    offset: u64,
    len: u64,
    buf: &mut Vec<u8>,
) -> Result<(), DbError> {
    buf.clear();
    file.seek(SeekFrom::Start(offset)).map_err(io_err(path))?;
    file.take(len).read_to_end(buf).map_err(io_err(path))?;
    if buf.len() as u64 != len {
        return Err(DbError::Corrupt {
            path: path.to_path_buf(),
            message: format!("record at byte {offset} is truncated"),
        });
    }
    Ok(())
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path, limit: u64) -> Result<T, DbError> {
    let bytes = nofollow::read_regular(path, limit).map_err(io_err(path))?;
    serde_json::from_slice(&bytes).map_err(|e| DbError::Corrupt {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Writes a temporary file of a name no other process uses, flushes it, renames it over
/// `path` and flushes the directory: readers see the old file or the new, never a part.
fn write_json_atomic<T: Serialize>(path: &Path, value: &T) -> Result<(), DbError> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    {
        let mut f = BufWriter::new(nofollow::replace_new(&tmp).map_err(io_err(&tmp))?);
        serde_json::to_writer(&mut f, value).map_err(|e| io_err(&tmp)(e.into()))?;
        f.write_all(b"\n").map_err(io_err(&tmp))?;
        f.into_inner()
            .map_err(|e| io_err(&tmp)(e.into_error()))?
            .sync_all()
            .map_err(io_err(&tmp))?;
    }
    fs::rename(&tmp, path).map_err(io_err(path))?;
    if let Some(dir) = path.parent() {
        nofollow::sync_dir(dir).map_err(io_err(dir))?;
    }
    Ok(())
}

fn manifest_exists(dir: &Path) -> Result<bool, DbError> {
    let path = dir.join(MANIFEST);
    match fs::symlink_metadata(&path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_err(&path)(e)),
    }
}

fn read_manifest(dir: &Path) -> Result<Manifest, DbError> {
    let path = dir.join(MANIFEST);
    if !manifest_exists(dir)? {
        return Err(DbError::NotFound(dir.to_path_buf()));
    }
    let manifest = read_json::<Manifest>(&path, MAX_MANIFEST)?;
    if manifest.schema != DB_SCHEMA {
        return Err(DbError::Corrupt {
            path,
            message: format!("schema {:?}, expected {DB_SCHEMA:?}", manifest.schema),
        });
    }
    for (eco, m) in &manifest.ecosystems {
        if !plain_name(&m.dir) || !plain_name(&m.index) {
            return Err(DbError::Corrupt {
                path,
                message: format!(
                    "ecosystem {eco:?}: {:?}/{:?} is not a plain directory and file name",
                    m.dir, m.index
                ),
            });
        }
    }
    Ok(manifest)
}

/// The shared lock a reader holds; `None` when the database has no `readers` file (made by
/// an older annex, or read-only and never written by this one): then nothing gets retired.
fn lock_readers(dir: &Path) -> Result<Option<File>, DbError> {
    let path = dir.join(READERS);
    let file = match nofollow::open_regular(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err(&path)(e)),
    };
    file.lock_shared().map_err(io_err(&path))?;
    Ok(Some(file))
}

/// A single file or directory name of the database's own making: letters, digits, `.`, `-`,
/// `_`, not starting with a dot. Anything else in a manifest or index is tampering.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_dir())
}

/// FNV-1a, 64 bits, as 16 hex digits: change detection, not security.
fn fnv1a(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

// Ecosystem spelling and per-ecosystem name comparison come from the one ecosystem table.
pub use annex_types::ecosystem::{canonical_ecosystem, normalize_name};
