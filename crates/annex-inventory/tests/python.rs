//! The Python parsers on lockfiles written by the real tools (`scripts/make-fixtures`),
//! compared with each tool's own resolved list stored beside the lockfile: `uv export`,
//! `poetry export`/`poetry show`, `pdm export`, `pipenv requirements`, and pip's
//! `install --dry-run --report`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use annex_inventory::parse::{ParseError, python};
use annex_inventory::{Scope, Source, Subject};
use proptest::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
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

type Set = BTreeSet<(String, String)>;

/// `name==version` lines of a requirements export (comments, options and markers ignored).
fn export_set(rel: &str) -> Set {
    read(rel)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('-'))
        .filter_map(|l| {
            let l = l.split(';').next()?.trim();
            let (n, v) = l.split_once("==")?;
            Some((
                pep503(n),
                v.trim().trim_end_matches('\\').trim().to_string(),
            ))
        })
        .collect()
}

/// `poetry show` lines: `name (!) version description`.
fn show_set(rel: &str) -> Set {
    read(rel)
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace().filter(|w| *w != "(!)");
            Some((pep503(w.next()?), w.next()?.to_string()))
        })
        .collect()
}

/// pip's `--report` (trimmed to name and version by the fixture script).
fn report_set(rel: &str) -> Set {
    let v: serde_json::Value = serde_json::from_str(&read(rel)).expect("report");
    v["install"]
        .as_array()
        .expect("install")
        .iter()
        .map(|i| {
            (
                pep503(i["name"].as_str().expect("name")),
                i["version"].as_str().expect("version").to_string(),
            )
        })
        .collect()
}

fn comps(s: &Subject) -> Set {
    s.components
        .iter()
        .map(|c| (pep503(&c.name), c.version.clone()))
        .collect()
}

fn scopes(s: &Subject) -> BTreeMap<(String, String), Scope> {
    s.components
        .iter()
        .map(|c| ((pep503(&c.name), c.version.clone()), c.scope))
        .collect()
}

fn parse(f: fn(&str, &str) -> Result<Subject, ParseError>, rel: &str) -> Subject {
    let s = f(rel, &read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    // Every component says where it came from, and ids are unique.
    let ids: BTreeSet<&str> = s.components.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), s.components.len(), "{rel}: duplicate ids");
    for c in &s.components {
        assert!(c.location.line >= 1, "{rel}: {} has no line", c.name);
        assert!(c.purl.starts_with("pkg:pypi/"), "{}", c.purl);
        assert_eq!(c.ecosystem, "PyPI");
    }
    for e in &s.edges {
        assert!(ids.contains(e.from.as_str()) || s.root.as_ref().is_some_and(|r| r.id == e.from));
        assert!(ids.contains(e.to.as_str()), "{rel}: dangling edge {e:?}");
    }
    s
}

#[test]
fn uv_matches_uv_export() {
    let s = parse(python::uv, "uv/requests-pytest/uv.lock");
    assert!(s.format.starts_with("uv.lock v1"), "{}", s.format);
    assert_eq!(
        s.root.as_ref().map(|r| r.name.as_str()),
        Some("fixture-app")
    );
    let all = export_set("uv/requests-pytest/export-all.txt");
    let prod = export_set("uv/requests-pytest/export-prod.txt");
    let extras = export_set("uv/requests-pytest/export-extras.txt");
    assert_eq!(comps(&s), all);
    for (k, scope) in scopes(&s) {
        let want = if prod.contains(&k) {
            Scope::Required
        } else if extras.contains(&k) {
            Scope::Optional
        } else {
            Scope::Dev
        };
        assert_eq!(scope, want, "{k:?}");
    }
    // Direct: what pyproject.toml names; hashes from sdist and wheels; edges from the root.
    let direct: BTreeSet<&str> = s
        .components
        .iter()
        .filter(|c| c.direct)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        direct,
        BTreeSet::from(["click", "pysocks", "pytest", "requests"])
    );
    assert!(
        s.components
            .iter()
            .all(|c| c.hashes.iter().any(|h| h.alg == "sha256"))
    );
    assert!(s.edges_complete);
    let root = &s.root.as_ref().expect("root").id;
    assert!(
        s.edges
            .iter()
            .any(|e| &e.from == root && e.to.starts_with("pkg:pypi/requests@"))
    );
    assert!(
        s.edges
            .iter()
            .any(|e| e.from.starts_with("pkg:pypi/requests@")
                && e.to.starts_with("pkg:pypi/urllib3@"))
    );
}

#[test]
fn poetry2_matches_poetry_export() {
    let s = parse(python::poetry, "poetry/requests-pytest/poetry.lock");
    assert_eq!(s.format, "poetry.lock v2.1");
    let all = export_set("poetry/requests-pytest/export-all.txt");
    let main = export_set("poetry/requests-pytest/export-main.txt");
    assert_eq!(comps(&s), all);
    // `show` lists what applies to this interpreter: a subset.
    assert!(show_set("poetry/requests-pytest/show-all.txt").is_subset(&comps(&s)));
    for (k, scope) in scopes(&s) {
        let want = if main.contains(&k) {
            Scope::Required
        } else if k.0 == "pysocks" {
            Scope::Optional // only through the `socks` extra
        } else {
            Scope::Dev
        };
        assert_eq!(scope, want, "{k:?}");
    }
    let requests = s
        .components
        .iter()
        .find(|c| c.name == "requests")
        .expect("requests");
    assert!(!requests.hashes.is_empty());
    assert!(
        matches!(&requests.source, Source::Registry { url: Some(u) } if u.contains("pypi.org/simple"))
    );
    assert!(
        s.edges
            .iter()
            .any(|e| e.from == requests.id && e.to.starts_with("pkg:pypi/urllib3@"))
    );
}

#[test]
fn poetry18_matches_poetry_export() {
    let s = parse(python::poetry, "poetry/poetry18-flask/poetry.lock");
    assert_eq!(s.format, "poetry.lock v2.0");
    assert_eq!(
        comps(&s),
        export_set("poetry/poetry18-flask/export-all.txt")
    );
    assert!(show_set("poetry/poetry18-flask/show-all.txt").is_subset(&comps(&s)));
    // lock-version 2.0 records no groups: everything is required.
    assert!(s.components.iter().all(|c| c.scope == Scope::Required));
}

#[test]
fn pdm_matches_pdm_export() {
    let s = parse(python::pdm, "pdm/requests-pytest/pdm.lock");
    assert!(s.format.starts_with("pdm.lock v4."), "{}", s.format);
    let all = export_set("pdm/requests-pytest/export-all.txt");
    let prod = export_set("pdm/requests-pytest/export-prod.txt");
    assert_eq!(comps(&s), all);
    for (k, scope) in scopes(&s) {
        let want = if prod.contains(&k) {
            Scope::Required
        } else if k.0 == "pysocks" {
            Scope::Optional // group `socks`, an extra
        } else {
            Scope::Dev
        };
        assert_eq!(scope, want, "{k:?}");
    }
}

#[test]
fn pipfile_matches_pipenv_requirements() {
    let s = parse(python::pipfile, "pipenv/requests-pytest/Pipfile.lock");
    assert_eq!(s.format, "Pipfile.lock spec 6");
    let default = export_set("pipenv/requests-pytest/requirements-default.txt");
    let dev = export_set("pipenv/requests-pytest/requirements-dev.txt");
    assert_eq!(comps(&s), default.union(&dev).cloned().collect());
    for (k, scope) in scopes(&s) {
        let want = if default.contains(&k) {
            Scope::Required
        } else {
            Scope::Dev
        };
        assert_eq!(scope, want, "{k:?}");
    }
    assert!(s.components.iter().all(|c| !c.hashes.is_empty()));
}

#[test]
fn pylock_from_uv_matches_uv_export() {
    let s = parse(python::pylock, "pylock/uv-export/pylock.toml");
    assert_eq!(s.format, "pylock.toml v1.0");
    assert_eq!(comps(&s), export_set("pylock/uv-export/export-all.txt"));
    assert!(s.components.iter().all(|c| !c.hashes.is_empty()));
}

#[test]
fn pylock_from_pip_matches_pip_report() {
    let s = parse(python::pylock, "pylock/pip-lock/pylock.toml");
    assert_eq!(comps(&s), report_set("pylock/pip-lock/report.json"));
}

#[test]
fn requirements_with_include_matches_pip_report() {
    let top = "requirements/hashed-include/requirements-dev.txt";
    let mut read_rel = |p: &str| std::fs::read_to_string(fixtures().join(p)).ok();
    let s = python::requirements_with(top, &read(top), &mut read_rel).expect("parses");
    let ours = comps(&s);
    let pip = report_set("requirements/hashed-include/report.json");
    // pip evaluates markers for this interpreter; we keep every line. What pip leaves out
    // must be exactly the lines with a marker.
    assert!(
        pip.is_subset(&ours),
        "pip installs {:?} we miss",
        pip.difference(&ours)
    );
    let texts = read(top) + &read("requirements/hashed-include/base.txt");
    for (name, version) in ours.difference(&pip) {
        let line = texts
            .lines()
            .find(|l| {
                pep503(l.split("==").next().unwrap_or("")) == *name
                    && l.contains(&format!("=={version}"))
            })
            .unwrap_or_else(|| panic!("{name}: no line"));
        assert!(
            line.contains(';'),
            "{name}=={version} is not behind a marker: {line}"
        );
    }
    assert!(s.unresolved.is_empty(), "{:?}", s.unresolved);
    for c in &s.components {
        assert!(!c.hashes.is_empty(), "{} has no hash", c.name);
        assert!(c.direct);
        let from_base = c.location.path.ends_with("base.txt");
        assert_eq!(
            c.scope,
            if from_base {
                Scope::Required
            } else {
                Scope::Dev
            },
            "{}",
            c.name
        );
    }
    // Alone, the include is reported, not followed.
    let alone = python::requirements(top, &read(top)).expect("parses");
    assert!(
        alone
            .unresolved
            .iter()
            .any(|u| u.requirement.starts_with("-r base.txt"))
    );
}

#[test]
fn requirements_lines() {
    let text = "\
# comment
Django==4.2.1 ; python_version >= \"3.8\" --hash=sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
requests[socks] == 2.31.0 \\
    --hash=sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
flask>=2
six~=1.16
numpy==1.*
attrs==${ATTRS_VERSION}
-e git+https://github.com/psf/black.git#egg=black
name @ https://example.com/name-1.0.tar.gz
./wheels/Some_Pkg-2.0.1-py3-none-any.whl
-r missing.txt
-c constraints.txt
--index-url https://example.invalid/simple
Zope.Interface===5.0
";
    let s = python::requirements("sub/requirements.txt", text).expect("parses");
    let got: Vec<(&str, &str, u64)> = s
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.version.as_str(), c.location.line))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Django", "4.2.1", 2),
            ("Some_Pkg", "2.0.1", 11),
            ("Zope.Interface", "5.0", 15),
            ("requests", "2.31.0", 3),
        ]
    );
    let zope = &s.components[2];
    assert_eq!(zope.purl, "pkg:pypi/zope-interface@5.0");
    assert_eq!(s.components[0].hashes[0].value, "a".repeat(64));
    let unresolved: Vec<(&str, u64)> = s
        .unresolved
        .iter()
        .map(|u| (u.name.as_str(), u.location.line))
        .collect();
    assert_eq!(
        unresolved,
        vec![
            ("attrs", 8),
            ("black", 9),
            ("flask", 5),
            ("missing.txt", 12),
            ("name", 10),
            ("numpy", 7),
            ("six", 6),
        ]
    );
}

#[test]
fn requirements_include_cycle_and_depth() {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    files.insert("a.txt".into(), "-r b.txt\nx==1\n".into());
    files.insert("b.txt".into(), "-r a.txt\ny==2\n-r ../outside.txt\n".into());
    let mut rd = |p: &str| files.get(p).cloned();
    let s = python::requirements_with("a.txt", "-r b.txt\nx==1\n", &mut rd).expect("parses");
    let names: Vec<&str> = s.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["x", "y"]);
    assert_eq!(s.components[1].location.path, "b.txt");
    assert_eq!(
        s.unresolved.len(),
        1,
        "include leaving the repository: {:?}",
        s.unresolved
    );
    // A chain deeper than the bound stops with an unresolved entry.
    let mut chain = |p: &str| {
        let n: usize = p
            .trim_start_matches('f')
            .trim_end_matches(".txt")
            .parse()
            .ok()?;
        Some(format!("-r f{}.txt\np{n}==1\n", n + 1))
    };
    let s = python::requirements_with("f0.txt", "-r f1.txt\n", &mut chain).expect("parses");
    assert_eq!(s.components.len(), python::MAX_INCLUDE_DEPTH);
    assert!(s.unresolved[0].requirement.contains("depth"));
}

#[test]
fn versions_and_errors() {
    let e = python::poetry("poetry.lock", "[metadata]\nlock-version = \"3.0\"\n").unwrap_err();
    assert!(
        matches!(e, ParseError::UnsupportedVersion { line: 2, .. }),
        "{e}"
    );
    let e = python::uv("uv.lock", "version = 2\n").unwrap_err();
    assert!(matches!(e, ParseError::UnsupportedVersion { .. }), "{e}");
    let e = python::pdm("pdm.lock", "[metadata]\nlock_version = \"5.0\"\n").unwrap_err();
    assert!(matches!(e, ParseError::UnsupportedVersion { .. }), "{e}");
    let e = python::pylock("pylock.toml", "lock-version = \"2.0\"\n").unwrap_err();
    assert!(matches!(e, ParseError::UnsupportedVersion { .. }), "{e}");
    let e = python::pipfile("Pipfile.lock", "{\"_meta\": {\"pipfile-spec\": 7}}").unwrap_err();
    assert!(
        matches!(e, ParseError::UnsupportedVersion { line: 1, .. }),
        "{e}"
    );
    // Truncated: path, line and column of the problem.
    let lock = read("uv/requests-pytest/uv.lock");
    let cut = &lock[..lock.len() / 2];
    let cut = &cut[..cut.rfind("hash = \"").map_or(cut.len(), |i| i + 10)];
    let e = python::uv("x/uv.lock", cut).unwrap_err();
    let ParseError::Syntax { path, line, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(path, "x/uv.lock");
    assert_eq!(*line as usize, cut.lines().count());
    let e = python::pipfile("Pipfile.lock", "{\"default\": {\"a\": }").unwrap_err();
    assert!(e.to_string().starts_with("Pipfile.lock:1:19:"), "{e}");
    let e = python::poetry("poetry.lock", "[[package]]\nversion = \"1\"\n").unwrap_err();
    assert!(matches!(e, ParseError::Invalid { line: 1, .. }), "{e}");
}

type ParseFn = fn(&str, &str) -> Result<Subject, ParseError>;

fn real_lockfiles() -> Vec<(ParseFn, String)> {
    vec![
        (python::uv as ParseFn, read("uv/requests-pytest/uv.lock")),
        (python::poetry, read("poetry/requests-pytest/poetry.lock")),
        (python::pdm, read("pdm/requests-pytest/pdm.lock")),
        (python::pipfile, read("pipenv/requests-pytest/Pipfile.lock")),
        (python::pylock, read("pylock/uv-export/pylock.toml")),
        (
            python::requirements,
            read("requirements/hashed-include/base.txt"),
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(s in "\\PC{0,400}") {
        for f in [python::uv, python::poetry, python::pdm, python::pipfile, python::pylock, python::requirements] {
            let _ = f("x", &s);
        }
    }

    #[test]
    fn random_bytes_through_the_dispatcher(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for name in [
            "poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock", "pylock.toml", "requirements.txt",
            "composer.lock", "Gemfile.lock", "pom.xml", "gradle.lockfile", "packages.lock.json",
            "conan.lock", "vcpkg.json",
        ] {
            let _ = annex_inventory::parse::parse_file(name, &bytes);
        }
    }

    #[test]
    fn mutated_lockfiles_never_panic(pick in 0usize..6, at in 0usize..100_000, len in 0usize..64, junk in "\\PC{0,8}") {
        let files = real_lockfiles();
        let (f, text) = &files[pick % files.len()];
        let mut cut = at % (text.len() + 1);
        while !text.is_char_boundary(cut) { cut -= 1; }
        let mut end = (cut + len).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        let mutated = format!("{}{}{}", &text[..cut], junk, &text[end..]);
        let _ = f("x", &mutated);
        let _ = f("x", &text[..cut]);
    }
}
