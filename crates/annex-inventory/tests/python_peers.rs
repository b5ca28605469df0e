//! The Python parsers on the peers' fixtures in `shared/data/lockfiles`: osv-scalibr's and
//! Trivy's test tables (`expected.json`), and cyclonedx-python's SBOM snapshots. Our
//! (name, version) sets must equal theirs, except for the disagreements listed (with the
//! reason) in each test.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use annex_inventory::Subject;
use annex_inventory::parse::{ParseError, python};
use serde_json::Value;

fn lockfiles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/lockfiles")
}

fn pep503(n: &str) -> String {
    let mut out = String::new();
    let mut sep = false;
    for c in n.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

struct Case {
    name: String,
    base: PathBuf,
    rel: String,
    path: PathBuf,
    want_err: bool,
    /// (normalised name, version) of the packages with a version.
    pkgs: BTreeSet<(String, String)>,
}

/// Both shapes: osv-scalibr's `{ "<file>_test.go": [cases] }` and Trivy's `[cases]`.
fn cases(dir: &str) -> Vec<Case> {
    let base = lockfiles().join(dir);
    let text = std::fs::read_to_string(base.join("expected.json")).expect("expected.json");
    let v: Value = serde_json::from_str(&text).expect("json");
    let list: Vec<&Value> = match &v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(m) => m
            .values()
            .flat_map(|x| x.as_array().into_iter().flatten())
            .collect(),
        _ => Vec::new(),
    };
    list.into_iter()
        .filter_map(|c| {
            let path = c.get("path")?.as_str()?;
            Some(Case {
                name: c
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                base: base.clone(),
                rel: path.to_string(),
                path: base.join(path),
                want_err: c.get("want_err").and_then(Value::as_bool).unwrap_or(false),
                pkgs: c
                    .get("packages")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|p| {
                        let v = p.get("version")?.as_str()?;
                        let n = p.get("name")?.as_str()?;
                        (!v.is_empty()).then(|| (pep503(n), v.to_string()))
                    })
                    .collect(),
            })
        })
        .collect()
}

fn ours(s: &Subject) -> BTreeSet<(String, String)> {
    s.components
        .iter()
        .map(|c| (pep503(&c.name), c.version.clone()))
        .collect()
}

/// `(directory of expected.json, path relative to it, text)`.
type Parser<'a> = &'a dyn Fn(&Path, &str, &str) -> Result<Subject, ParseError>;

type ParseFn = fn(&str, &str) -> Result<Subject, ParseError>;

fn plain(f: ParseFn) -> impl Fn(&Path, &str, &str) -> Result<Subject, ParseError> {
    move |_, rel, text| f(rel, text)
}

/// Runs every case; returns the disagreements as `case → detail`, and the agreement count.
fn check(dir: &str, parse: Parser<'_>) -> (usize, BTreeMap<String, String>) {
    let mut agree = 0;
    let mut diff = BTreeMap::new();
    let cs = cases(dir);
    assert!(!cs.is_empty(), "no cases in {dir}");
    for c in cs {
        let key = format!(
            "{} ({})",
            c.name,
            c.path.file_name().unwrap_or_default().to_string_lossy()
        );
        let Ok(bytes) = std::fs::read(&c.path) else {
            diff.insert(key, "missing file".into());
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        match (parse(&c.base, &c.rel, &text), c.want_err) {
            (Err(_), true) => agree += 1,
            (Err(e), false) => {
                diff.insert(key, format!("we fail: {e}"));
            }
            (Ok(s), want_err) => {
                let mut got = ours(&s);
                let root = s
                    .root
                    .as_ref()
                    .map(|r| (pep503(&r.name), r.version.clone()));
                if let Some(r) = &root
                    && c.pkgs.contains(r)
                {
                    got.insert(r.clone());
                }
                if got == c.pkgs && !want_err {
                    agree += 1;
                } else if want_err && c.pkgs.is_empty() {
                    diff.insert(key, format!("peer fails, we read {} components", got.len()));
                } else {
                    let missing: Vec<_> = c.pkgs.difference(&got).collect();
                    let extra: Vec<_> = got.difference(&c.pkgs).collect();
                    diff.insert(key, format!("missing {missing:?} extra {extra:?}"));
                }
            }
        }
    }
    (agree, diff)
}

fn assert_known(dir: &str, parse: Parser<'_>, known: &[(&str, &str)]) -> usize {
    let (agree, diff) = check(dir, parse);
    let got: BTreeSet<&str> = diff.keys().map(String::as_str).collect();
    let want: BTreeSet<&str> = known.iter().map(|(k, _)| *k).collect();
    if std::env::var_os("ANNEX_PEER_DUMP").is_some() {
        println!("{dir}: {agree} agree; {diff:#?}");
        return agree;
    }
    assert_eq!(got, want, "{dir}: disagreements changed: {diff:#?}");
    println!("{dir}: {agree} agree, {} known disagreements", diff.len());
    agree
}

#[test]
fn poetry_peers() {
    let n = assert_known("poetry/scalibr-poetrylock", &plain(python::poetry), &[]);
    let m = assert_known("poetry/trivy-python-poetry", &plain(python::poetry), &[]);
    assert!(n + m >= 13);
}

#[test]
fn uv_peers() {
    assert_known("uv/scalibr-uvlock", &plain(python::uv), &[]);
    assert_known(
        "uv/trivy-python-uv",
        &plain(python::uv),
        &[
            // Trivy refuses a uv.lock without exactly one root project; we read the
            // packages (scope by reachability needs a root, so they default to required).
            (
                "lockfile without root (uv_without_root.lock)",
                "peer refuses",
            ),
            ("multiple roots (uv_multiple_roots.lock)", "peer refuses"),
        ],
    );
}

#[test]
fn pdm_peers() {
    assert_known("pdm/scalibr-pdmlock", &plain(python::pdm), &[]);
}

#[test]
fn pipfile_peers() {
    assert_known("pipfile/scalibr-pipfilelock", &plain(python::pipfile), &[]);
    assert_known("pipfile/trivy-python-pipenv", &plain(python::pipfile), &[]);
}

#[test]
fn pylock_peers() {
    assert_known("pylock/scalibr-pylock", &plain(python::pylock), &[]);
}

#[test]
fn requirements_peers() {
    // `-r` includes are read relative to the case directory.
    let with_includes = |base: &Path, rel: &str, text: &str| {
        let base = base.to_path_buf();
        python::requirements_with(rel, text, &mut |p| {
            std::fs::read_to_string(base.join(p)).ok()
        })
    };
    // The peers take the lower bound of `>=`, `~=`, `<=` as the version; we report such
    // lines as unresolved, never guessed.
    let guessed = "peer guesses a version from a range";
    assert_known(
        "pip-requirements/scalibr-requirements",
        &with_includes,
        &[
            ("pip_example (example.txt)", guessed),
            ("with_version (with_versions.txt)", guessed),
            // `foo7==1.0 unexpected_text …`: pip refuses the line; so do we (unresolved).
            (
                "per_requirement_options (per_req_options.txt)",
                "invalid line",
            ),
        ],
    );
    assert_known(
        "pip-requirements/trivy-python-pip",
        &with_includes,
        &[
            ("compatible versions (requirements_compatible.txt)", guessed),
            // `Jinja2==3.0.0#comment`: pip needs whitespace before `#`, so the version is
            // `3.0.0#comment`, which pip refuses; unresolved here.
            (
                "happy path with comments (requirements_comments.txt)",
                "invalid line",
            ),
            // UTF-16 text: `parse_file` takes UTF-8 only (pip sniffs a BOM).
            (
                "happy path. File uses utf16le (requirements_utf16le.txt)",
                "UTF-16",
            ),
        ],
    );
}

// ---- cyclonedx-python's SBOM snapshots -------------------------------------------------

fn cdx_components(path: &Path) -> (BTreeSet<(String, String)>, BTreeSet<String>) {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("snapshot")).expect("json");
    let mut pinned = BTreeSet::new();
    let mut unpinned = BTreeSet::new();
    let mut stack: Vec<&Value> = v
        .get("components")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    while let Some(c) = stack.pop() {
        stack.extend(
            c.get("components")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
        let Some(name) = c.get("name").and_then(Value::as_str) else {
            continue;
        };
        match c.get("version").and_then(Value::as_str) {
            Some(ver) if !ver.is_empty() => {
                pinned.insert((pep503(name), ver.to_string()));
            }
            _ => {
                unpinned.insert(pep503(name));
            }
        }
    }
    (pinned, unpinned)
}

/// Which of our scopes a snapshot covers.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Filter {
    All,
    NoOptional,
    RequiredOnly,
    RequiredAndDev,
}

impl Filter {
    fn keeps(self, s: annex_inventory::Scope) -> bool {
        use annex_inventory::Scope::*;
        match self {
            Filter::All => true,
            Filter::NoOptional => s != Optional,
            Filter::RequiredOnly => s == Required,
            Filter::RequiredAndDev => matches!(s, Required | Dev),
        }
    }
}

/// (snapshot file, lockfile) pairs with the scopes the snapshot covers.
fn cdx_report(
    pairs: &[(PathBuf, PathBuf, Filter)],
    parse: Parser<'_>,
) -> (usize, BTreeMap<String, String>) {
    let mut agree = 0;
    let mut diff = BTreeMap::new();
    for (snap, lock, filter) in pairs {
        let key = snap
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let dir = lock.parent().unwrap_or(Path::new("."));
        let mut text = String::from_utf8_lossy(&std::fs::read(lock).expect("lockfile")).to_string();
        // A git symlink checked out as a file: its text names the real file beside it.
        if !text.contains('\n') && dir.join(text.trim()).is_file() {
            text = std::fs::read_to_string(dir.join(text.trim())).expect("symlink target");
        }
        let rel = lock
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let (want, want_unpinned) = cdx_components(snap);
        match parse(dir, &rel, &text) {
            Err(e) => {
                diff.insert(key, format!("we fail: {e}"));
            }
            Ok(s) => {
                let got: BTreeSet<(String, String)> = s
                    .components
                    .iter()
                    .filter(|c| filter.keeps(c.scope))
                    .map(|c| (pep503(&c.name), c.version.clone()))
                    .collect();
                let got_unres: BTreeSet<String> =
                    s.unresolved.iter().map(|u| pep503(&u.name)).collect();
                if got == want && want_unpinned.is_subset(&got_unres) {
                    agree += 1;
                } else {
                    let missing: Vec<_> = want.difference(&got).collect();
                    let extra: Vec<_> = got.difference(&want).collect();
                    let unres: Vec<_> = want_unpinned.difference(&got_unres).collect();
                    diff.insert(
                        key,
                        format!(
                            "missing {missing:?} extra {extra:?} unpinned-not-unresolved {unres:?}"
                        ),
                    );
                }
            }
        }
    }
    (agree, diff)
}

fn cdx_dir() -> PathBuf {
    lockfiles().join("cdx-python-e2e")
}

fn cdx_assert(
    what: &str,
    pairs: &[(PathBuf, PathBuf, Filter)],
    parse: Parser<'_>,
    known: &[(&str, &str)],
) -> usize {
    assert!(!pairs.is_empty(), "{what}: no snapshots");
    let (agree, diff) = cdx_report(pairs, parse);
    if std::env::var_os("ANNEX_PEER_DUMP").is_some() {
        println!("{what}: {agree} agree; {diff:#?}");
        return agree;
    }
    let got: BTreeSet<&str> = diff.keys().map(String::as_str).collect();
    let want: BTreeSet<&str> = known.iter().map(|(k, _)| *k).collect();
    assert_eq!(got, want, "{what}: disagreements changed: {diff:#?}");
    println!("{what}: {agree} agree, {} known disagreements", diff.len());
    agree
}

#[test]
fn cdx_poetry_snapshots() {
    let snaps = cdx_dir().join("poetry/snapshots-1.6-json");
    let mut pairs = Vec::new();
    for e in std::fs::read_dir(&snaps).expect("snapshots").flatten() {
        let f = e.file_name().to_string_lossy().to_string();
        // plain_<case>_lockNN_1.6.json, all-extras_<case>_lockNN_1.6.json
        let (filter, rest) = if let Some(r) = f.strip_prefix("plain_") {
            (Filter::NoOptional, r)
        } else if let Some(r) = f.strip_prefix("all-extras_") {
            (Filter::All, r)
        } else {
            continue;
        };
        let Some(rest) = rest.strip_suffix("_1.6.json") else {
            continue;
        };
        let Some((case, lock)) = rest.rsplit_once('_') else {
            continue;
        };
        let lockfile = cdx_dir()
            .join("poetry/infiles")
            .join(case)
            .join(lock)
            .join("poetry.lock");
        if lockfile.exists() {
            pairs.push((e.path(), lockfile, filter));
        }
    }
    pairs.sort();
    // The peer reads pyproject.toml too; a lockfile alone cannot tell an optional group
    // from a default one, nor which extras the project asks for.
    let optional_group = "colorama is in an optional group (pyproject), dev for us";
    let extras = "packages of unrequested extras, not optional in the lock";
    cdx_assert(
        "cdx poetry",
        &pairs,
        &plain(python::poetry),
        &[
            ("plain_group-deps_lock11_1.6.json", optional_group),
            ("plain_group-deps_lock20_1.6.json", optional_group),
            ("plain_group-deps_lock21_1.6.json", optional_group),
            ("plain_regression-issue702_lock10_1.6.json", extras),
            ("plain_regression-issue702_lock11_1.6.json", extras),
        ],
    );
}

#[test]
fn cdx_pipenv_snapshots() {
    let snaps = cdx_dir().join("pipenv/snapshots-1.6-json");
    let mut pairs = Vec::new();
    for e in std::fs::read_dir(&snaps).expect("snapshots").flatten() {
        let f = e.file_name().to_string_lossy().to_string();
        let Some(rest) = f
            .strip_prefix("with-dev_")
            .or_else(|| f.strip_prefix("plain_"))
        else {
            continue;
        };
        let Some(case) = rest.strip_suffix("_1.6.json") else {
            continue;
        };
        let lockfile = cdx_dir()
            .join("pipenv/infiles")
            .join(case)
            .join("Pipfile.lock");
        if lockfile.exists() {
            let filter = if f.starts_with("with-dev_") {
                Filter::RequiredAndDev
            } else {
                Filter::RequiredOnly
            };
            pairs.push((e.path(), lockfile, filter));
        }
    }
    pairs.sort();
    // `plain` covers `default` only (our required), `with-dev` adds `develop`.
    cdx_assert("cdx pipenv", &pairs, &plain(python::pipfile), &[]);
}

#[test]
fn cdx_requirements_snapshots() {
    let snaps = cdx_dir().join("requirements/snapshots-1.6-json");
    let mut pairs = Vec::new();
    for e in std::fs::read_dir(&snaps).expect("snapshots").flatten() {
        let f = e.file_name().to_string_lossy().to_string();
        let Some(rest) = f.strip_prefix("file_") else {
            continue;
        };
        let Some(case) = rest.strip_suffix("_1.6.json") else {
            continue;
        };
        let infile = if case.ends_with(".txt") {
            cdx_dir()
                .join("requirements/infiles")
                .join(format!("{case}.bin"))
        } else {
            cdx_dir()
                .join("requirements/infiles")
                .join(format!("{case}.txt"))
        };
        if infile.exists() {
            pairs.push((e.path(), infile, Filter::All));
        }
    }
    pairs.sort();
    let with_includes = |base: &Path, rel: &str, text: &str| {
        let base = base.to_path_buf();
        python::requirements_with(rel, text, &mut |p| {
            std::fs::read_to_string(base.join(p)).ok()
        })
    };
    // The peer names an unnamed local path or URL `unknown`; we name it by its file.
    let unnamed = "unnamed path requirement";
    cdx_assert(
        "cdx requirements",
        &pairs,
        &with_includes,
        &[
            ("file_local_1.6.json", unnamed),
            ("file_with-urls_1.6.json", unnamed),
        ],
    );
}
