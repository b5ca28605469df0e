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
//! `0001-01-01T00:00:00Z`, so the timestamp alone would freeze its records forever.) One writer
//! at a time.

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

use serde::{Deserialize, Serialize};

use crate::osv::{Advisory, base_ecosystem, id_prefix, parse_timestamp};

pub const DB_SCHEMA: &str = "annex/osv-db/v1";
const INDEX_SCHEMA: &str = "annex/osv-index/v1";
const MANIFEST: &str = "manifest.json";
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
    /// Opens an existing database.
    pub fn open(dir: impl AsRef<Path>) -> Result<Db, DbError> {
        let dir = dir.as_ref().to_path_buf();
        let path = dir.join(MANIFEST);
        if !path.is_file() {
            return Err(DbError::NotFound(dir));
        }
        let manifest = read_json::<Manifest>(&path)?;
        if manifest.schema != DB_SCHEMA {
            return Err(DbError::Corrupt {
                path,
                message: format!("schema {:?}, expected {DB_SCHEMA:?}", manifest.schema),
            });
        }
        Ok(Db {
            dir,
            manifest,
            limits: Limits::default(),
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// Opens the database in `dir`, creating an empty one if there is none.
    pub fn open_or_create(dir: impl AsRef<Path>) -> Result<Db, DbError> {
        let dir = dir.as_ref();
        if dir.join(MANIFEST).is_file() {
            return Db::open(dir);
        }
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        let db = Db {
            dir: dir.to_path_buf(),
            manifest: Manifest {
                schema: DB_SCHEMA.into(),
                ..Manifest::default()
            },
            limits: Limits::default(),
            cache: Mutex::new(HashMap::new()),
        };
        write_json_atomic(&db.dir.join(MANIFEST), &db.manifest)?;
        Ok(db)
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

    /// When the database was last changed (RFC 3339).
    pub fn updated(&self) -> Option<&str> {
        self.manifest.updated.as_deref()
    }

    /// Imports advisories from each source: a directory (walked recursively; `.json`, `.yaml`,
    /// `.yml`, RustSec `.md` and `.zip` files), an osv.dev `all.zip`, or a single file.
    /// Malformed inputs are skipped and reported in the summary; only problems with the sources'
    /// existence or with the database directory are errors.
    pub fn import<P: AsRef<Path>>(&mut self, sources: &[P]) -> Result<ImportSummary, DbError> {
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
            sources: sources
                .iter()
                .map(|s| s.as_ref().display().to_string())
                .collect(),
            added: summary.added,
            updated: summary.updated,
            unchanged: summary.unchanged,
            skipped: summary.skipped,
        });
        let excess = self.manifest.imports.len().saturating_sub(IMPORT_LOG_LEN);
        self.manifest.imports.drain(..excess);
        write_json_atomic(&self.dir.join(MANIFEST), &self.manifest)?;
        Ok(summary)
    }

    /// Names the sources of the last import in the import log (a download is imported from a
    /// temporary file).
    pub fn relabel_last_import(&mut self, sources: Vec<String>) -> Result<(), DbError> {
        if let Some(last) = self.manifest.imports.last_mut() {
            last.sources = sources;
        }
        write_json_atomic(&self.dir.join(MANIFEST), &self.manifest)
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
        let mut file = File::open(&index.data_path).map_err(io_err(&index.data_path))?;
        ids.iter()
            .map(|id| read_record(&mut file, &index.data_path, &index.file.advisories[id]))
            .collect()
    }

    /// The advisory with this id, from whichever ecosystem holds it.
    pub fn get(&self, id: &str) -> Result<Option<Advisory>, DbError> {
        for eco in self.manifest.ecosystems.keys() {
            let index = self.index(eco)?;
            if let Some(e) = index.file.advisories.get(id) {
                let mut file = File::open(&index.data_path).map_err(io_err(&index.data_path))?;
                return read_record(&mut file, &index.data_path, e).map(Some);
            }
        }
        Ok(None)
    }

    fn eco_dir(&self, meta: &EcoMeta) -> PathBuf {
        self.dir.join("eco").join(&meta.dir)
    }

    fn index(&self, eco: &str) -> Result<Arc<EcoIndex>, DbError> {
        if let Some(i) = self.cache.lock().expect("index cache lock").get(eco) {
            return Ok(i.clone());
        }
        let meta = &self.manifest.ecosystems[eco];
        let dir = self.eco_dir(meta);
        let path = dir.join(&meta.index);
        let file: IndexFile = read_json(&path)?;
        if file.schema != INDEX_SCHEMA || file.ecosystem != eco {
            return Err(DbError::Corrupt {
                path,
                message: format!("index of {:?} ({:?})", file.ecosystem, file.schema),
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
        self.cache
            .lock()
            .expect("index cache lock")
            .insert(eco.to_string(), index.clone());
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
        let mut obsolete: Vec<PathBuf> = Vec::new();
        for eco in touched {
            let old = match self.manifest.ecosystems.get(&eco) {
                Some(_) => Some(self.index(&eco)?),
                None => None,
            };
            let dir_name = match self.manifest.ecosystems.get(&eco) {
                Some(m) => m.dir.clone(),
                None => self.new_eco_dir(&eco),
            };
            let dir = self.dir.join("eco").join(&dir_name);
            fs::create_dir_all(&dir).map_err(io_err(&dir))?;
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
            let mut out = BufWriter::new(File::create(&data_path).map_err(io_err(&data_path))?);
            let mut old_data = match &old {
                Some(o) => Some(File::open(&o.data_path).map_err(io_err(&o.data_path))?),
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
                dir: dir_name,
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
                obsolete.push(o.data_path.clone());
                if let Some(m) = self.manifest.ecosystems.get(&eco) {
                    obsolete.push(dir.join(&m.index));
                }
            }
            self.cache.lock().expect("index cache lock").remove(&eco);
            if meta.advisories == 0 {
                self.manifest.ecosystems.remove(&eco);
                obsolete.push(dir.join(&meta.index));
                obsolete.push(data_path);
            } else {
                self.manifest.ecosystems.insert(eco, meta);
            }
        }
        self.manifest.updated = Some(now());
        write_json_atomic(&self.dir.join(MANIFEST), &self.manifest)?;
        for p in obsolete {
            // Best effort: a leftover file of an old generation is harmless.
            let _ = fs::remove_file(p);
        }
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

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, DbError> {
    let bytes = fs::read(path).map_err(io_err(path))?;
    serde_json::from_slice(&bytes).map_err(|e| DbError::Corrupt {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

fn write_json_atomic<T: Serialize>(path: &Path, value: &T) -> Result<(), DbError> {
    let tmp = path.with_extension("tmp");
    {
        let mut f = BufWriter::new(File::create(&tmp).map_err(io_err(&tmp))?);
        serde_json::to_writer(&mut f, value).map_err(|e| io_err(&tmp)(e.into()))?;
        f.write_all(b"\n").map_err(io_err(&tmp))?;
        f.into_inner()
            .map_err(|e| io_err(&tmp)(e.into_error()))?
            .sync_all()
            .map_err(io_err(&tmp))?;
    }
    fs::rename(&tmp, path).map_err(io_err(path))
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
