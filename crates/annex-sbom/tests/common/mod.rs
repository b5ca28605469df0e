//! Hand-built inventories (a Rust project, an npm project with scoped packages and dev
//! dependencies, a PyPI project with sha256 hashes and an unpinned requirement, a Go
//! module) and the schema validators the tests call.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use annex_inventory::{
    Component, Edge, Hash, INVENTORY_SCHEMA, Inventory, Location, Scope, Source, Subject,
    Unresolved,
};
use annex_sbom::{Options, Timestamp, ToolInfo};
use sha2::{Digest, Sha256, Sha512};

pub fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn hexdigest<D: Digest>(s: &str) -> String {
    D::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn sha256(s: &str) -> Hash {
    Hash {
        alg: "sha256".into(),
        value: hexdigest::<Sha256>(s),
    }
}

pub fn sha512(s: &str) -> Hash {
    Hash {
        alg: "sha512".into(),
        value: hexdigest::<Sha512>(s),
    }
}

#[allow(clippy::too_many_arguments)]
pub fn comp(
    ecosystem: &str,
    name: &str,
    version: &str,
    purl: &str,
    scope: Scope,
    direct: bool,
    file: &str,
    line: u64,
) -> Component {
    Component {
        id: purl.to_string(),
        ecosystem: ecosystem.to_string(),
        name: name.to_string(),
        version: version.to_string(),
        purl: purl.to_string(),
        scope,
        direct,
        hashes: Vec::new(),
        licenses: Vec::new(),
        source: Source::Registry { url: None },
        location: Location {
            path: file.to_string(),
            line,
        },
    }
}

pub fn edge(from: &str, to: &str) -> Edge {
    Edge {
        from: from.to_string(),
        to: to.to_string(),
        scope: Scope::Required,
    }
}

fn sorted(mut s: Subject) -> Subject {
    s.components
        .sort_by(|a, b| (&a.name, &a.version, &a.purl).cmp(&(&b.name, &b.version, &b.purl)));
    s.edges.sort();
    s
}

/// Cargo.lock: myapp 0.1.0 → serde, quote (git); serde → serde_derive → proc-macro2,
/// quote; quote → proc-macro2 → unicode-ident.
pub fn rust_subject() -> Subject {
    let f = "Cargo.lock";
    let crates_io = Some("https://github.com/rust-lang/crates.io-index".to_string());
    let mk = |name: &str, v: &str, direct: bool, line: u64| {
        let mut c = comp(
            "crates.io",
            name,
            v,
            &format!("pkg:cargo/{name}@{v}"),
            Scope::Required,
            direct,
            f,
            line,
        );
        c.hashes = vec![sha256(&format!("{name}-{v}.crate"))];
        c.source = Source::Registry {
            url: crates_io.clone(),
        };
        c
    };
    let serde = mk("serde", "1.0.200", true, 40);
    let serde_derive = mk("serde_derive", "1.0.200", false, 48);
    let proc_macro2 = mk("proc-macro2", "1.0.80", false, 20);
    let unicode_ident = mk("unicode-ident", "1.0.12", false, 60);
    let mut quote = mk("quote", "1.0.36", true, 30);
    quote.hashes.clear();
    quote.source = Source::Git {
        url: "https://github.com/dtolnay/quote".into(),
        rev: Some("8d5b8ff2c1a3c4b5e6f708192a3b4c5d6e7f8091".into()),
    };
    quote.purl = "pkg:cargo/quote@1.0.36?vcs_url=git%2Bhttps://github.com/dtolnay/quote".into();
    quote.id = quote.purl.clone();
    let mut root = comp(
        "crates.io",
        "myapp",
        "0.1.0",
        "pkg:cargo/myapp@0.1.0",
        Scope::Required,
        false,
        f,
        10,
    );
    root.source = Source::Path { path: ".".into() };
    root.licenses = vec!["MIT OR Apache-2.0".into()];
    let edges = vec![
        edge(&root.id, &serde.id),
        edge(&root.id, &quote.id),
        edge(&serde.id, &serde_derive.id),
        edge(&serde_derive.id, &proc_macro2.id),
        edge(&serde_derive.id, &quote.id),
        edge(&quote.id, &proc_macro2.id),
        edge(&proc_macro2.id, &unicode_ident.id),
    ];
    sorted(Subject {
        path: f.into(),
        ecosystem: "crates.io".into(),
        format: "Cargo.lock v4".into(),
        root: Some(root),
        components: vec![serde, serde_derive, proc_macro2, unicode_ident, quote],
        edges,
        edges_complete: true,
        unresolved: Vec::new(),
    })
}

/// web/package-lock.json v3: react (direct) → loose-envify (transitive); @babel/core
/// (dev, direct) → @babel/helper-plugin-utils (dev); fsevents (optional).
pub fn npm_subject() -> Subject {
    let f = "web/package-lock.json";
    let mk = |name: &str, purl_name: &str, v: &str, scope: Scope, direct: bool, line: u64| {
        let mut c = comp(
            "npm",
            name,
            v,
            &format!("pkg:npm/{purl_name}@{v}"),
            scope,
            direct,
            f,
            line,
        );
        c.hashes = vec![sha512(&format!("{name}-{v}.tgz"))];
        c.licenses = vec!["MIT".into()];
        c.source = Source::Url {
            url: format!(
                "https://registry.npmjs.org/{name}/-/{}-{v}.tgz",
                name.rsplit('/').next().unwrap()
            ),
        };
        c
    };
    let react = mk("react", "react", "18.2.0", Scope::Required, true, 12);
    let loose = mk(
        "loose-envify",
        "loose-envify",
        "1.4.0",
        Scope::Required,
        false,
        30,
    );
    let babel = mk(
        "@babel/core",
        "%40babel/core",
        "7.24.0",
        Scope::Dev,
        true,
        40,
    );
    let helper = mk(
        "@babel/helper-plugin-utils",
        "%40babel/helper-plugin-utils",
        "7.24.0",
        Scope::Dev,
        false,
        55,
    );
    let mut fsevents = mk("fsevents", "fsevents", "2.3.3", Scope::Optional, true, 70);
    fsevents.licenses = vec!["MIT".into(), "Apache-2.0".into()];
    let mut root = comp(
        "npm",
        "web-app",
        "1.2.0",
        "pkg:npm/web-app@1.2.0",
        Scope::Required,
        false,
        f,
        5,
    );
    root.source = Source::Path { path: "web".into() };
    let edges = vec![
        edge(&root.id, &react.id),
        edge(&root.id, &babel.id),
        edge(&root.id, &fsevents.id),
        edge(&react.id, &loose.id),
        edge(&babel.id, &helper.id),
    ];
    sorted(Subject {
        path: f.into(),
        ecosystem: "npm".into(),
        format: "package-lock.json v3".into(),
        root: Some(root),
        components: vec![react, loose, babel, helper, fsevents],
        edges,
        edges_complete: true,
        unresolved: Vec::new(),
    })
}

/// requirements.txt: pinned with sha256 hashes (two for requests), no edges, one
/// unpinned requirement; a licence that is no SPDX expression.
pub fn pypi_subject() -> Subject {
    let f = "requirements.txt";
    let mk = |name: &str, v: &str, lic: &str, line: u64| {
        let mut c = comp(
            "PyPI",
            name,
            v,
            &format!("pkg:pypi/{name}@{v}"),
            Scope::Required,
            true,
            f,
            line,
        );
        c.hashes = vec![sha256(&format!("{name}-{v}-py3-none-any.whl"))];
        c.licenses = vec![lic.to_string()];
        c
    };
    let mut requests = mk("requests", "2.31.0", "Apache-2.0", 1);
    requests.hashes.push(sha256("requests-2.31.0.tar.gz"));
    let urllib3 = mk("urllib3", "2.2.1", "MIT", 4);
    let certifi = mk("certifi", "2024.2.2", "MPL-2.0", 6);
    let idna = mk("idna", "3.6", "BSD-3-Clause", 8);
    let charset = mk("charset-normalizer", "3.3.2", "Apache Software License", 10);
    sorted(Subject {
        path: f.into(),
        ecosystem: "PyPI".into(),
        format: "requirements.txt".into(),
        root: None,
        components: vec![requests, urllib3, certifi, idna, charset],
        edges: Vec::new(),
        edges_complete: false,
        unresolved: vec![Unresolved {
            name: "flask".into(),
            requirement: ">=2.0".into(),
            location: Location {
                path: f.into(),
                line: 12,
            },
        }],
    })
}

/// go.mod: the module's direct requirements only (edges incomplete), one replaced by a
/// local path.
pub fn go_subject() -> Subject {
    let f = "svc/go.mod";
    let mut text = comp(
        "Go",
        "golang.org/x/text",
        "v0.14.0",
        "pkg:golang/golang.org/x/text@v0.14.0",
        Scope::Required,
        true,
        f,
        6,
    );
    text.hashes = vec![sha256("golang.org/x/text@v0.14.0")];
    let uuid = comp(
        "Go",
        "github.com/google/uuid",
        "v1.6.0",
        "pkg:golang/github.com/google/uuid@v1.6.0",
        Scope::Required,
        true,
        f,
        7,
    );
    let mut internal = comp(
        "Go",
        "example.com/internal/lib",
        "v0.0.0-00010101000000-000000000000",
        "pkg:golang/example.com/internal/lib@v0.0.0-00010101000000-000000000000",
        Scope::Required,
        true,
        f,
        8,
    );
    internal.source = Source::Path {
        path: "../lib".into(),
    };
    let root = comp(
        "Go",
        "github.com/example/svc",
        "",
        "pkg:golang/github.com/example/svc",
        Scope::Required,
        false,
        f,
        1,
    );
    let edges = vec![
        edge(&root.id, &text.id),
        edge(&root.id, &uuid.id),
        edge(&root.id, &internal.id),
    ];
    sorted(Subject {
        path: f.into(),
        ecosystem: "Go".into(),
        format: "go.mod".into(),
        root: Some(root),
        components: vec![text, uuid, internal],
        edges,
        edges_complete: false,
        unresolved: Vec::new(),
    })
}

pub fn inventory(subjects: Vec<Subject>) -> Inventory {
    let mut subjects = subjects;
    subjects.sort_by(|a, b| a.path.cmp(&b.path));
    Inventory {
        schema: INVENTORY_SCHEMA.to_string(),
        subjects,
    }
}

/// All four ecosystems in one inventory.
pub fn mixed() -> Inventory {
    inventory(vec![
        rust_subject(),
        npm_subject(),
        pypi_subject(),
        go_subject(),
    ])
}

/// Options with a fixed timestamp and tool version, so snapshots do not move.
pub fn opts() -> Options {
    Options {
        timestamp: Timestamp::Fixed(1_714_564_800),
        tool: ToolInfo {
            name: "annex".into(),
            version: "0.0.0-test".into(),
        },
        ..Options::default()
    }
}

// ---- validators ------------------------------------------------------------------------

fn run(cmd: &mut Command, what: &str) -> (bool, String) {
    match cmd.output() {
        Ok(o) => (
            o.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        ),
        Err(e) => panic!(
            "cannot run {what}: {e}. The schema validation tests need it installed \
             (python3 with `pip install 'jsonschema[format-nongpl]>=4.18' spdx-tools`, \
             xmllint from `apt-get install libxml2-utils`)"
        ),
    }
}

fn write_temp(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// `validate_doc.py KIND FILE` (JSON schemas of the shared corpus). Panics with the
/// validator's output when the document is invalid or the validator cannot run.
pub fn validate_json(kind: &str, text: &str) {
    validate_json_many(kind, &[text.to_string()]);
}

/// [`validate_json`] for several documents in one validator run.
pub fn validate_json_many(kind: &str, texts: &[String]) {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| write_temp(&dir, &format!("doc{i}.json"), t))
        .collect();
    let tool = shared().join("tools/validate_doc.py");
    let (ok, out) = run(
        Command::new("python3").arg(&tool).arg(kind).args(&paths),
        "python3 validate_doc.py",
    );
    if out.contains("ModuleNotFoundError") {
        panic!(
            "validate_doc.py needs jsonschema: pip install 'jsonschema[format-nongpl]>=4.18'\n{out}"
        );
    }
    assert!(ok, "{kind} schema validation failed:\n{out}");
}

/// `xmllint --schema bom-<v>.xsd` with the corpus' XML catalogue (no network).
pub fn validate_cdx_xml(version: &str, text: &str) {
    let dir = tempfile::tempdir().unwrap();
    let p = write_temp(&dir, "bom.xml", text);
    let schemas = shared().join("data/schemas/cyclonedx/schema");
    let (ok, out) = run(
        Command::new("xmllint")
            .env("XML_CATALOG_FILES", schemas.join("xmlcatalog.xml"))
            .arg("--nonet")
            .arg("--noout")
            .arg("--schema")
            .arg(schemas.join(format!("bom-{version}.xsd")))
            .arg(&p),
        "xmllint (apt-get install libxml2-utils)",
    );
    assert!(ok, "CycloneDX {version} XSD validation failed:\n{out}");
}

/// The official SPDX tools (`pyspdxtools`, pip package `spdx-tools`): parse and validate
/// an SPDX 2.3 document (`.json` or `.spdx` tag-value by `name`), and convert it to JSON.
/// Returns the converted JSON.
pub fn validate_spdx2_tools(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = write_temp(&dir, name, text);
    let out_json = dir.path().join("converted.json");
    let (ok, out) = run(
        Command::new("pyspdxtools")
            .arg("-i")
            .arg(&p)
            .arg("-o")
            .arg(&out_json),
        "pyspdxtools (pip install spdx-tools)",
    );
    assert!(
        ok && !out.contains("ERROR") && !out.to_lowercase().contains("validation"),
        "pyspdxtools rejected {name}:\n{out}"
    );
    std::fs::read_to_string(out_json).unwrap()
}
