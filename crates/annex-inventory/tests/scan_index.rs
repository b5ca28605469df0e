//! The scan over the checkout's file index: git-tracked files a `.gitignore` matches,
//! `skipped[]` with its reasons, default excludes that can be turned off, and `--lockfile`
//! classifying like the directory scan.

#[path = "scan_shared.rs"]
mod shared;

use std::path::{Path, PathBuf};

use annex_checkout::{SkipReason, Skipped};
use annex_inventory::Scope;
use annex_inventory::scan::{ScanOptions, ScanResult, scan, scan_files};
use annex_testkit::{git, write};

fn copy_fixture(from: &str, root: &Path, to: &str) {
    let text = std::fs::read_to_string(shared::fixtures().join(from)).expect(from);
    write(root, to, &text);
}

fn paths(r: &ScanResult) -> Vec<&str> {
    r.inventory
        .subjects
        .iter()
        .map(|s| s.path.as_str())
        .collect()
}

fn skipped<'a>(r: &'a ScanResult, path: &str) -> &'a Skipped {
    r.skipped
        .iter()
        .find(|s| s.path == path)
        .unwrap_or_else(|| panic!("{path} not in skipped: {:?}", r.skipped))
}

fn opts() -> ScanOptions {
    ScanOptions {
        include_dev: true,
        ..ScanOptions::default()
    }
}

#[test]
fn a_tracked_lockfile_matched_by_gitignore_is_read() {
    let t = tempfile::tempdir().expect("tempdir");
    let r = t.path();
    for f in ["Cargo.lock", "Cargo.toml", "member/Cargo.toml"] {
        copy_fixture(&format!("cargo/v4/{f}"), r, f);
    }
    // The common workspace story: `/Cargo.lock` ignored, the lock later committed with -f.
    write(r, ".gitignore", "/Cargo.lock\n");
    git(r, &["init", "-q"]);
    git(r, &["add", ".gitignore", "Cargo.toml", "member/Cargo.toml"]);
    git(r, &["add", "-f", "Cargo.lock"]);
    let res = scan(r, &opts()).expect("scan");
    assert_eq!(paths(&res), vec!["Cargo.lock"]);
    assert!(res.inventory.subjects[0].components.len() > 20);
    assert!(res.skipped.is_empty(), "{:?}", res.skipped);

    // Untracked and ignored: not part of the repository, not read.
    let u = tempfile::tempdir().expect("tempdir");
    copy_fixture("cargo/v4/Cargo.lock", u.path(), "Cargo.lock");
    write(u.path(), ".gitignore", "/Cargo.lock\n");
    git(u.path(), &["init", "-q"]);
    git(u.path(), &["add", ".gitignore"]);
    assert!(paths(&scan(u.path(), &opts()).expect("scan")).is_empty());
}

#[test]
fn requirements_beside_uv_lock_is_reported_shadowed() {
    let t = tempfile::tempdir().expect("tempdir");
    let r = t.path();
    copy_fixture("uv/requests-pytest/uv.lock", r, "uv.lock");
    write(r, "requirements.txt", "requests==2.32.3\n");
    let res = scan(r, &opts()).expect("scan");
    assert_eq!(paths(&res), vec!["uv.lock"]);
    let s = skipped(&res, "requirements.txt");
    assert_eq!(s.reason, SkipReason::Shadowed);
    assert_eq!(s.detail, "uv.lock is read instead");
}

#[test]
fn a_tracked_lockfile_under_examples_is_default_excluded_until_asked_for() {
    let t = tempfile::tempdir().expect("tempdir");
    let r = t.path();
    copy_fixture("go/basic/go.mod", r, "go.mod");
    copy_fixture("go/basic/go.mod", r, "examples/demo/go.mod");
    git(r, &["init", "-q"]);
    git(r, &["add", "go.mod", "examples/demo/go.mod"]);
    let res = scan(r, &opts()).expect("scan");
    assert_eq!(paths(&res), vec!["go.mod"]);
    let s = skipped(&res, "examples/demo/go.mod");
    assert_eq!(s.reason, SkipReason::DefaultExcluded);
    assert_eq!(
        s.detail,
        "default exclude examples/; --no-default-excludes reads it"
    );
    // In a git repository only tracked files are listed, not the directory.
    assert_eq!(res.skipped.len(), 1, "{:?}", res.skipped);

    let all = ScanOptions {
        default_excludes: false,
        ..opts()
    };
    let res = scan(r, &all).expect("scan");
    assert_eq!(paths(&res), vec!["examples/demo/go.mod", "go.mod"]);
    assert!(res.skipped.is_empty(), "{:?}", res.skipped);

    // An `--exclude` pattern says so.
    let excluded = ScanOptions {
        exclude: vec!["examples/".into()],
        default_excludes: false,
        ..opts()
    };
    let res = scan(r, &excluded).expect("scan");
    let s = skipped(&res, "examples/demo/go.mod");
    assert_eq!(s.reason, SkipReason::Excluded);
    assert_eq!(s.detail, "--exclude examples/");
}

#[test]
fn without_git_a_default_excluded_directory_is_listed_itself() {
    let t = tempfile::tempdir().expect("tempdir");
    let r = t.path();
    copy_fixture("go/basic/go.mod", r, "examples/demo/go.mod");
    let res = scan(r, &opts()).expect("scan");
    assert!(paths(&res).is_empty());
    let s = skipped(&res, "examples/");
    assert_eq!(s.reason, SkipReason::DefaultExcluded);
    assert_eq!(
        s.detail,
        "default exclude examples/; --no-default-excludes reads it"
    );
}

#[test]
fn unsupported_lockfiles_are_reported() {
    let t = tempfile::tempdir().expect("tempdir");
    let r = t.path();
    write(r, "app/bun.lockb", "\0binary");
    write(
        r,
        "app/package.json",
        r#"{"name": "app", "version": "1.0.0"}"#,
    );
    write(r, "mobile/pubspec.lock", "packages: {}\n");
    copy_fixture("bun/basic/bun.lock", r, "web/bun.lock");
    copy_fixture("bun/basic/package.json", r, "web/package.json");
    write(r, "web/bun.lockb", "\0binary");
    // Without keep_going: a skipped format does not stop the scan.
    let res = scan(r, &ScanOptions::default()).expect("scan");
    assert_eq!(paths(&res), vec!["app/package.json", "web/bun.lock"]);
    let reasons: Vec<(&str, SkipReason)> = res
        .skipped
        .iter()
        .map(|s| (s.path.as_str(), s.reason))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("app/bun.lockb", SkipReason::Unsupported),
            ("mobile/pubspec.lock", SkipReason::Unsupported),
            ("web/bun.lockb", SkipReason::Shadowed),
        ]
    );
    assert!(skipped(&res, "mobile/pubspec.lock").detail.contains("Dart"));
    assert_eq!(
        skipped(&res, "web/bun.lockb").detail,
        "web/bun.lock is read instead"
    );
}

#[test]
fn a_broken_lockfile_with_keep_going_is_unreadable() {
    let t = tempfile::tempdir().expect("tempdir");
    let r = t.path();
    write(r, "Cargo.lock", "version = 4\n[[package]\n");
    copy_fixture("go/basic/go.mod", r, "svc/go.mod");
    let keep = ScanOptions {
        keep_going: true,
        ..opts()
    };
    let res = scan(r, &keep).expect("keep going");
    assert_eq!(paths(&res), vec!["svc/go.mod"]);
    let s = skipped(&res, "Cargo.lock");
    assert_eq!(s.reason, SkipReason::Unreadable);
    assert!(s.detail.starts_with("Cargo.lock:2:"), "{}", s.detail);
    assert_eq!(res.warnings.len(), 1);
    assert!(scan(r, &opts()).is_err());
}

/// Issue 16 item 8: two directories whose names are not UTF-8 keep distinct labels, and
/// the lockfiles in them are read through their real names, not dropped or refused.
#[cfg(unix)]
#[test]
fn lockfiles_under_names_that_are_not_utf8_are_read() {
    use std::os::unix::ffi::OsStrExt;
    let t = tempfile::tempdir().expect("tempdir");
    let r = t.path();
    for (byte, version) in [(0xffu8, "1.0.0"), (0xfe, "2.0.0")] {
        let dir = r.join(std::ffi::OsStr::from_bytes(&[b'a', byte]));
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(
            dir.join("Cargo.lock"),
            format!(
                "version = 4\n\n[[package]]\nname = \"itoa\"\nversion = \"{version}\"\n\
                 source = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
            ),
        )
        .unwrap();
    }
    let res = scan(r, &opts()).expect("scan");
    assert_eq!(paths(&res), vec!["a\\xfe/Cargo.lock", "a\\xff/Cargo.lock"]);
    let versions: Vec<&str> = res
        .inventory
        .subjects
        .iter()
        .flat_map(|s| s.components.iter().map(|c| c.version.as_str()))
        .collect();
    assert_eq!(versions, vec!["2.0.0", "1.0.0"]);
}

/// Issue 16 item 10: each lockfile is capped, and so is their sum, before any is read
/// (sparse files: the sizes are real, the disk is not used), even with keep_going.
#[test]
fn lockfiles_over_the_scan_limit_stop_before_reading() {
    let t = tempfile::tempdir().expect("tempdir");
    let r = t.path();
    for i in 0..5 {
        let dir = r.join(format!("app{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let f = std::fs::File::create(dir.join("package-lock.json")).unwrap();
        f.set_len(250 * 1024 * 1024).unwrap();
    }
    let keep = ScanOptions {
        keep_going: true,
        ..opts()
    };
    let e = scan(r, &keep).expect_err("over the limit");
    let text = e.to_string();
    assert!(text.contains("total 1310720000 bytes"), "{text}");
    assert!(text.contains("--exclude or --lockfile"), "{text}");
}

/// A virtual workspace whose `tool` member has a dev-only dependency (`oorandom`).
fn workspace(r: &Path) {
    write(
        r,
        "Cargo.toml",
        "[workspace]\nmembers = [\"app\", \"tool\"]\nresolver = \"2\"\n",
    );
    write(
        r,
        "app/Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nitoa = \"1\"\n",
    );
    write(
        r,
        "tool/Cargo.toml",
        "[package]\nname = \"tool\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\napp = { path = \"../app\" }\n\n[dev-dependencies]\noorandom = \"11\"\n",
    );
    let sum = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
    write(
        r,
        "Cargo.lock",
        &format!(
            "version = 4\n\n\
             [[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"itoa\",\n]\n\n\
             [[package]]\nname = \"itoa\"\nversion = \"1.0.15\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{sum}\"\n\n\
             [[package]]\nname = \"oorandom\"\nversion = \"11.1.5\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{sum}\"\n\n\
             [[package]]\nname = \"tool\"\nversion = \"0.1.0\"\ndependencies = [\n \"app\",\n \"oorandom\",\n]\n"
        ),
    );
}

fn scope_of(r: &ScanResult, name: &str) -> Option<Scope> {
    r.inventory.subjects[0]
        .components
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.scope)
}

#[test]
fn lockfile_option_classifies_like_the_directory_scan() {
    let t = tempfile::tempdir().expect("tempdir");
    let r = t.path();
    workspace(r);
    let by_scan = scan(r, &opts()).expect("scan");
    assert_eq!(paths(&by_scan), vec!["Cargo.lock"]);
    let lock: PathBuf = r.join("Cargo.lock");
    let by_file = scan_files(&[lock], &opts()).expect("scan_files");
    assert_eq!(by_file.inventory.subjects.len(), 1);
    assert_eq!(scope_of(&by_scan, "oorandom"), Some(Scope::Dev));
    assert_eq!(scope_of(&by_file, "oorandom"), Some(Scope::Dev));
    assert_eq!(scope_of(&by_file, "itoa"), Some(Scope::Required));
    // Without dev dependencies neither lists it.
    let prod = ScanOptions::default();
    assert_eq!(scope_of(&scan(r, &prod).expect("scan"), "oorandom"), None);
    let lock = r.join("Cargo.lock");
    assert_eq!(
        scope_of(&scan_files(&[lock], &prod).expect("scan_files"), "oorandom"),
        None
    );
}
