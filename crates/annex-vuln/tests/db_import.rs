//! Importing the real advisory sets in shared/data/osv: counts, timings, incremental
//! re-import, zip archives, RustSec's native layout against its own OSV export, and stats.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use annex_vuln::db::{Db, ImportSummary, IssueKind, canonical_ecosystem, normalize_name};
use annex_vuln::osv::Advisory;

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/osv")
        .join(rel)
}

fn import(sources: &[PathBuf]) -> (tempfile::TempDir, Db, ImportSummary) {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_or_create(dir.path()).unwrap();
    let t = Instant::now();
    let summary = db.import(sources).unwrap();
    eprintln!(
        "import {:?}: {:?}; files {} records {} added {} unchanged {} skipped {} ignored {} warnings {}",
        sources,
        t.elapsed(),
        summary.files,
        summary.records,
        summary.added,
        summary.unchanged,
        summary.skipped,
        summary.ignored,
        summary.warnings
    );
    (dir, db, summary)
}

fn ids(db: &Db, eco: &str, name: &str) -> Vec<String> {
    db.advisories_for(eco, name)
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect()
}

#[test]
fn rustsec_osv_export() {
    let (_d, db, s) = import(&[data("rustsec")]);
    assert_eq!((s.files, s.records, s.added), (1206, 1206, 1206));
    assert_eq!((s.skipped, s.ignored, s.unchanged), (0, 0, 0));
    assert_eq!(s.by_source, BTreeMap::from([("RUSTSEC".to_string(), 1206)]));
    let stats = db.stats().unwrap();
    assert_eq!(stats.advisories, 1206);
    assert_eq!(stats.withdrawn, 13);
    assert_eq!(stats.by_ecosystem["crates.io"].advisories, 1206);
    assert!(ids(&db, "crates.io", "lz4_flex").contains(&"RUSTSEC-2026-0041".to_string()));
    // crates.io names: case and `-`/`_` do not matter.
    assert_eq!(
        ids(&db, "crates.io", "LZ4-Flex"),
        ids(&db, "crates.io", "lz4_flex")
    );
    assert_eq!(
        ids(&db, "cargo", "lz4_flex"),
        ids(&db, "crates.io", "lz4_flex")
    );
    // Other ecosystems never see crates.io's names.
    assert!(ids(&db, "npm", "lz4_flex").is_empty());
    assert!(ids(&db, "crates.io", "no-such-crate-here").is_empty());
    let a = db.get("RUSTSEC-2026-0041").unwrap().unwrap();
    assert_eq!(a.aliases, ["CVE-2026-32829", "GHSA-vvp9-7p8x-rfvv"]);
}

#[test]
fn go_vulndb() {
    let (_d, db, s) = import(&[data("go")]);
    assert_eq!(
        (s.files, s.records, s.added, s.skipped),
        (4291, 4291, 4291, 0)
    );
    let stats = db.stats().unwrap();
    assert_eq!(stats.by_source["GO"], 4291);
    assert_eq!(stats.withdrawn, 17);
    assert_eq!(stats.by_ecosystem["Go"].advisories, 4291);
    assert!(!ids(&db, "Go", "stdlib").is_empty());
    // Go module paths are case-sensitive.
    assert!(ids(&db, "Go", "STDLIB").is_empty());
}

#[test]
fn pypa_yaml() {
    let (_d, db, s) = import(&[data("pypa")]);
    // 2661 advisories under vulns/, plus triage/false_positives.yaml, which is not an OSV
    // record; .github/ is hidden and not walked.
    assert_eq!((s.files, s.records, s.added), (2662, 2661, 2661));
    assert_eq!(s.skipped, 1);
    let skipped: Vec<_> = s
        .issues
        .iter()
        .filter(|i| i.kind == IssueKind::Skipped)
        .collect();
    assert!(skipped[0].path.ends_with("triage/false_positives.yaml"));
    assert!(
        skipped[0].message.contains("missing field `id`"),
        "{skipped:?}"
    );
    // Seven upstream records break the schema only in GIT ranges (abbreviated commit ids,
    // `.patch` suffixes): kept, with a warning naming the file.
    let warnings: Vec<_> = s
        .issues
        .iter()
        .filter(|i| i.kind == IssueKind::Warning)
        .collect();
    assert_eq!(warnings.len(), 7, "{warnings:#?}");
    assert_eq!(s.warnings, 7);
    assert!(
        warnings
            .iter()
            .any(|w| w.path.ends_with("matrix-synapse/PYSEC-2021-424.yaml"))
    );
    let stats = db.stats().unwrap();
    assert_eq!(stats.by_source["PYSEC"], 2661);
    // PEP 503 names.
    assert_eq!(ids(&db, "PyPI", "Zstd"), ids(&db, "PyPI", "zstd"));
    assert!(ids(&db, "PyPI", "zstd").contains(&"PYSEC-2023-121".to_string()));
    assert_eq!(
        ids(&db, "pypi", "matrix_synapse"),
        ids(&db, "PyPI", "Matrix.Synapse")
    );
}

#[test]
fn rustsec_native_layout() {
    let (_d, db, s) = import(&[data("rustsec-source")]);
    // crates/: 1205 advisories; rust/: 20 toolchain advisories with no OSV ecosystem.
    assert_eq!((s.files, s.records, s.added), (1225, 1205, 1205));
    assert_eq!((s.skipped, s.ignored), (0, 20));
    assert!(
        s.issues
            .iter()
            .filter(|i| i.kind == IssueKind::Ignored)
            .all(|i| i.path.contains("/rust/") && i.message.contains("toolchain"))
    );
    let a = db.get("RUSTSEC-2026-0041").unwrap().unwrap();
    assert_eq!(a.published.as_deref(), Some("2026-03-17T12:00:00Z"));
    assert_eq!(
        a.summary.as_deref(),
        Some(
            "Decompressing invalid data can leak information from uninitialized memory or reused output buffer"
        )
    );
}

/// The native-layout conversion agrees with RustSec's own OSV export on every advisory.
#[test]
fn rustsec_native_layout_agrees_with_the_osv_export() {
    let (_a, native, _) = import(&[data("rustsec-source")]);
    let mut exported = BTreeMap::new();
    for entry in fs::read_dir(data("rustsec/crates")).unwrap() {
        let path = entry.unwrap().path();
        let adv = Advisory::from_json(&fs::read(&path).unwrap()).unwrap();
        exported.insert(adv.id.clone(), adv);
    }
    let mut compared = 0;
    let mut differences = Vec::new();
    for (id, osv) in &exported {
        let Some(mine) = native.get(id).unwrap() else {
            continue;
        };
        compared += 1;
        let events = |a: &Advisory| {
            a.affected
                .iter()
                .map(|x| (x.package.clone(), x.ranges.clone()))
                .collect::<Vec<_>>()
        };
        if events(&mine) != events(osv) {
            differences.push(format!(
                "{id}: ranges {:?} vs {:?}",
                events(&mine),
                events(osv)
            ));
        }
        if mine.aliases != osv.aliases || mine.related != osv.related {
            differences.push(format!("{id}: aliases/related"));
        }
        if mine.withdrawn != osv.withdrawn || mine.published != osv.published {
            differences.push(format!("{id}: withdrawn/published"));
        }
        // The export keeps the space of `#  Title`; the native reader trims it.
        if mine.summary.as_deref().map(str::trim) != osv.summary.as_deref().map(str::trim) {
            differences.push(format!(
                "{id}: summary {:?} vs {:?}",
                mine.summary, osv.summary
            ));
        }
        if mine.severity != osv.severity {
            differences.push(format!(
                "{id}: severity {:?} vs {:?}",
                mine.severity, osv.severity
            ));
        }
        if mine.details.as_deref().map(str::trim) != osv.details.as_deref().map(str::trim) {
            differences.push(format!("{id}: details"));
        }
    }
    eprintln!(
        "RustSec native vs OSV export: {compared} compared, {} differences",
        differences.len()
    );
    assert_eq!(compared, 1205);
    assert!(differences.is_empty(), "{differences:#?}");
}

#[test]
fn reimport_is_incremental() {
    let src = tempfile::tempdir().unwrap();
    let dst = tempfile::tempdir().unwrap();
    // A small copy of the RustSec export to edit.
    let mut names: Vec<_> = fs::read_dir(data("rustsec/crates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in names.iter().take(50) {
        fs::copy(p, src.path().join(p.file_name().unwrap())).unwrap();
    }
    let mut db = Db::open_or_create(dst.path()).unwrap();
    let s = db.import(&[src.path()]).unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (50, 0, 0));
    let eco_dir = dst.path().join("eco/crates.io");
    let listing = |d: &Path| {
        let mut v: Vec<_> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    };
    let before = listing(&eco_dir);

    // Same data again: nothing rewritten.
    let s = db.import(&[src.path()]).unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (0, 0, 50));
    assert_eq!(listing(&eco_dir), before);

    // One advisory modified later, one with an older `modified`, one new.
    let first = &names[0];
    let mut a: serde_json::Value = serde_json::from_slice(&fs::read(first).unwrap()).unwrap();
    let id = a["id"].as_str().unwrap().to_string();
    a["modified"] = "2099-01-01T00:00:00Z".into();
    a["summary"] = "edited".into();
    fs::write(
        src.path().join(first.file_name().unwrap()),
        serde_json::to_vec(&a).unwrap(),
    )
    .unwrap();
    let second = &names[1];
    let mut b: serde_json::Value = serde_json::from_slice(&fs::read(second).unwrap()).unwrap();
    let id_b = b["id"].as_str().unwrap().to_string();
    b["modified"] = "2000-01-01T00:00:00Z".into();
    b["summary"] = "older copy".into();
    fs::write(
        src.path().join(second.file_name().unwrap()),
        serde_json::to_vec(&b).unwrap(),
    )
    .unwrap();
    // Same `modified`, different content (Go's vulndb stamps every record 0001-01-01):
    // the import's copy is taken.
    let third = &names[2];
    let mut c: serde_json::Value = serde_json::from_slice(&fs::read(third).unwrap()).unwrap();
    let id_c = c["id"].as_str().unwrap().to_string();
    c["summary"] = "same timestamp, new text".into();
    fs::write(
        src.path().join(third.file_name().unwrap()),
        serde_json::to_vec(&c).unwrap(),
    )
    .unwrap();
    fs::copy(&names[60], src.path().join(names[60].file_name().unwrap())).unwrap();
    let s = db.import(&[src.path()]).unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (1, 2, 48));
    assert_eq!(
        db.get(&id_c).unwrap().unwrap().summary.as_deref(),
        Some("same timestamp, new text")
    );
    assert_eq!(
        db.get(&id).unwrap().unwrap().summary.as_deref(),
        Some("edited")
    );
    assert_ne!(
        db.get(&id_b).unwrap().unwrap().summary.as_deref(),
        Some("older copy")
    );
    assert_ne!(listing(&eco_dir), before);
    // The old generation is gone: one data file and one index file.
    assert_eq!(listing(&eco_dir).len(), 2);

    // A fresh handle reads the same state.
    let db2 = Db::open(dst.path()).unwrap();
    assert_eq!(db2.stats().unwrap().advisories, 51);
    assert_eq!(db2.stats().unwrap().imports.len(), 3);
}

#[test]
fn native_and_exported_rustsec_together_keep_the_newest() {
    let (_d, db, s) = import(&[data("rustsec-source"), data("rustsec")]);
    // Both copies are valid records; the export's `modified` (git time) is newer than the
    // native date, so it wins, and each id is stored once.
    assert_eq!(s.records, 1205 + 1206);
    assert_eq!(s.added, 1206);
    assert_eq!(s.unchanged, 1205);
    let a = db.get("RUSTSEC-2026-0041").unwrap().unwrap();
    assert_eq!(a.modified, "2026-03-17T16:08:45Z");
    assert_eq!(db.stats().unwrap().advisories, 1206);
}

#[test]
fn osv_dev_style_zip() {
    // osv.dev's per-ecosystem all.zip: a flat archive of `<ID>.json`.
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("all.zip");
    let mut w = zip::ZipWriter::new(fs::File::create(&zip_path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut n = 0;
    for e in fs::read_dir(data("go/data/osv")).unwrap() {
        let p = e.unwrap().path();
        w.start_file(p.file_name().unwrap().to_str().unwrap(), opts)
            .unwrap();
        w.write_all(&fs::read(&p).unwrap()).unwrap();
        n += 1;
    }
    w.finish().unwrap();
    let (_d, db, s) = import(&[zip_path]);
    assert_eq!((s.files, s.added, s.skipped), (n, 4291, 0));
    assert_eq!(db.stats().unwrap().by_source["GO"], 4291);
}

#[test]
fn stats_across_sources() {
    let (_d, db, s) = import(&[data("rustsec"), data("go"), data("pypa")]);
    assert_eq!(s.added, 1206 + 4291 + 2661);
    let st = db.stats().unwrap();
    assert_eq!(st.advisories, 1206 + 4291 + 2661);
    assert_eq!(
        st.by_source,
        BTreeMap::from([
            ("GO".to_string(), 4291),
            ("PYSEC".to_string(), 2661),
            ("RUSTSEC".to_string(), 1206)
        ])
    );
    assert_eq!(
        st.by_ecosystem.keys().collect::<Vec<_>>(),
        ["Go", "PyPI", "crates.io"]
    );
    assert_eq!(st.imports.len(), 1);
    assert_eq!(st.withdrawn, 13 + 17 + 10);
    // The stats document is serialisable.
    let json = serde_json::to_string(&st).unwrap();
    assert!(json.contains("\"by_ecosystem\""));
}

#[test]
fn names_and_ecosystems() {
    assert_eq!(
        normalize_name("PyPI", "Foo.Bar__baz--Qux"),
        "foo-bar-baz-qux"
    );
    assert_eq!(normalize_name("PyPI", "zope.interface"), "zope-interface");
    assert_eq!(normalize_name("crates.io", "Serde_JSON"), "serde-json");
    assert_eq!(normalize_name("npm", "JSONStream"), "JSONStream");
    assert_eq!(normalize_name("npm", "@Scope/pkg"), "@Scope/pkg");
    assert_eq!(
        normalize_name("Go", "github.com/BurntSushi/toml"),
        "github.com/BurntSushi/toml"
    );
    assert_eq!(
        normalize_name("NuGet", "Newtonsoft.Json"),
        "newtonsoft.json"
    );
    assert_eq!(
        normalize_name("Packagist", "Symfony/HTTP-Kernel"),
        "symfony/http-kernel"
    );
    assert_eq!(
        normalize_name("Maven", "org.apache.logging.log4j:log4j-core"),
        "org.apache.logging.log4j:log4j-core"
    );
    assert_eq!(
        normalize_name("Maven", "org.apache.logging.log4j/log4j-core"),
        "org.apache.logging.log4j:log4j-core"
    );
    assert_eq!(normalize_name("Debian:12", "OpenSSL"), "OpenSSL");
    assert_eq!(canonical_ecosystem("pypi"), "PyPI");
    assert_eq!(canonical_ecosystem("CARGO"), "crates.io");
    assert_eq!(canonical_ecosystem("golang"), "Go");
    assert_eq!(canonical_ecosystem("debian:12"), "Debian:12");
    assert_eq!(canonical_ecosystem("SomethingNew"), "SomethingNew");
}

/// Issue 16 item 15: an `npm\0`-style ecosystem or a control character in a name is not
/// stored as a key no lockfile matches: the entry is ignored with a message.
#[test]
fn junk_ecosystems_and_names_are_ignored_with_a_message() {
    let src = tempfile::tempdir().unwrap();
    let adv = r#"{"schema_version":"1.6.0","id":"GHSA-junk-0000-0000","modified":"2025-01-01T00:00:00Z",
      "affected":[
        {"package":{"ecosystem":"npm\u0000","name":"left-pad"},"versions":["1.0.0"]},
        {"package":{"ecosystem":"npm","name":"left\u001b[2Jpad"},"versions":["1.0.0"]},
        {"package":{"ecosystem":"npm","name":"right-pad"},"versions":["1.0.0"]}]}"#;
    fs::write(src.path().join("GHSA-junk-0000-0000.json"), adv).unwrap();
    let (_d, db, s) = import(&[src.path().to_path_buf()]);
    let ignored: Vec<_> = s
        .issues
        .iter()
        .filter(|i| i.kind == IssueKind::Ignored)
        .collect();
    assert_eq!(ignored.len(), 2, "{ignored:#?}");
    assert!(ignored[0].message.contains("`npm\\u{0}`"), "{ignored:#?}");
    assert!(
        ignored
            .iter()
            .all(|i| !i.message.chars().any(char::is_control)),
        "{ignored:#?}"
    );
    assert_eq!(ids(&db, "npm", "right-pad"), vec!["GHSA-junk-0000-0000"]);
    assert_eq!(db.ecosystems(), vec!["npm".to_string()]);
}
