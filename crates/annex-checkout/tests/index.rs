//! The file index on small checkouts made by the test: git-tracked ignored files, the
//! exclude list and its origins, symlinks, safe reads.

use annex_checkout::{ExcludeOrigin, FileIndex, GitIndexState, IndexOptions, ReadError};
use annex_testkit::{git, write};
use std::path::Path;

fn rels(index: &FileIndex) -> Vec<&str> {
    index.files.iter().map(|f| f.rel.as_str()).collect()
}

#[test]
fn a_tracked_file_that_gitignore_matches_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", "/Cargo.lock\nbuild/\n");
    write(root, "Cargo.toml", "[package]\nname = \"x\"\n");
    write(root, "Cargo.lock", "version = 4\n");
    write(root, "build/keep.lock", "x");
    write(root, "build/untracked.txt", "x");
    write(root, "untracked-ignored.log", "x");
    git(root, &["init", "-q"]);
    git(root, &["add", ".gitignore", "Cargo.toml"]);
    git(root, &["add", "-f", "Cargo.lock", "build/keep.lock"]);
    git(root, &["commit", "-q", "-m", "init"]);
    std::fs::write(root.join(".gitignore"), "/Cargo.lock\nbuild/\n*.log\n").unwrap();

    let index = FileIndex::build(root, &IndexOptions::default()).unwrap();
    assert_eq!(
        rels(&index),
        [".gitignore", "Cargo.lock", "Cargo.toml", "build/keep.lock"]
    );
    let lock = index.files.iter().find(|f| f.rel == "Cargo.lock").unwrap();
    assert!(lock.tracked_ignored);
    assert!(!index.files[0].tracked_ignored);
    assert_eq!(index.git, GitIndexState::Read { tracked: 4 });
}

#[test]
fn excluded_paths_are_recorded_with_their_origin_and_tracked_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "package-lock.json", "{}");
    write(root, "examples/demo/package-lock.json", "{}");
    write(root, "tools/gen/Cargo.lock", "");
    write(root, "docs/site/yarn.lock", "");
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "init"]);

    let options = IndexOptions {
        exclude: vec!["tools/".into()],
        scope_exclude: vec!["docs/site".into()],
        ..IndexOptions::default()
    };
    let index = FileIndex::build(root, &options).unwrap();
    assert_eq!(rels(&index), ["package-lock.json"]);
    let pruned: Vec<(&str, &str, ExcludeOrigin, Vec<String>)> = index
        .pruned
        .iter()
        .map(|p| {
            (
                p.path.as_str(),
                p.pattern.as_str(),
                p.origin,
                p.tracked.clone(),
            )
        })
        .collect();
    assert_eq!(
        pruned,
        [
            (
                "docs/site/",
                "docs/site",
                ExcludeOrigin::Scope,
                vec!["docs/site/yarn.lock".to_string()]
            ),
            (
                "examples/",
                "examples/",
                ExcludeOrigin::Default,
                vec!["examples/demo/package-lock.json".to_string()]
            ),
            (
                "tools/",
                "tools/",
                ExcludeOrigin::Option,
                vec!["tools/gen/Cargo.lock".to_string()]
            ),
        ]
    );
    assert!(index.excluded.contains(&"examples/".to_string()));
    assert!(index.excluded.contains(&"tools/".to_string()));

    let all = FileIndex::build(
        root,
        &IndexOptions {
            default_excludes: false,
            ..IndexOptions::default()
        },
    )
    .unwrap();
    assert!(all.contains("examples/demo/package-lock.json"));
    assert!(!all.excluded.contains(&"examples/".to_string()));
}

#[test]
fn negated_and_empty_patterns_are_refused_with_their_origin() {
    let dir = tempfile::tempdir().unwrap();
    let err = FileIndex::build(
        dir.path(),
        &IndexOptions {
            scope_exclude: vec!["!keep".into()],
            ..IndexOptions::default()
        },
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("!keep") && text.contains("annex.toml"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_counted_never_followed_nor_read() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.txt", "outside");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "a.txt", "a");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), root.join("link.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("linkdir")).unwrap();
    let index = FileIndex::build(root, &IndexOptions::default()).unwrap();
    assert_eq!(rels(&index), ["a.txt"]);
    assert_eq!(index.symlinks, 2);
    assert!(matches!(
        index.read("link.txt", 100),
        Err(ReadError::Symlink { .. })
    ));
    assert!(matches!(
        index.read("linkdir/secret.txt", 100),
        Err(ReadError::Symlink { .. })
    ));
    assert!(matches!(
        index.read("../x", 100),
        Err(ReadError::OutsideRoot { .. })
    ));
    assert!(matches!(
        index.read("a.txt", 0),
        Err(ReadError::TooLarge {
            size: 1,
            limit: 0,
            ..
        })
    ));
    assert_eq!(index.read("a.txt", 10).unwrap(), b"a");
}

#[test]
fn a_missing_root_is_an_error_naming_it() {
    let err = FileIndex::build(Path::new("/no/such/dir"), &IndexOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "/no/such/dir: no such file or directory");
}

#[test]
fn the_safe_write_refuses_escapes_and_replaces_only_with_force() {
    use annex_checkout::{WriteError, write_file};
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    // Which error a forced write of `rel` gives, by name.
    let refusal = |rel: &str| match write_file(r, rel, b"x", true) {
        Err(WriteError::OutsideRoot { .. }) => "outside",
        Err(WriteError::Symlink { .. }) => "symlink",
        other => panic!("{rel}: {other:?}"),
    };
    for rel in ["../x", "/etc/x", "a/../../x", ""] {
        assert_eq!(refusal(rel), "outside", "{rel}");
    }
    let p = write_file(r, "a/b/c.txt", b"one", false).unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), b"one");
    assert!(matches!(
        write_file(r, "a/b/c.txt", b"two", false),
        Err(WriteError::Exists { .. })
    ));
    write_file(r, "a/b/c.txt", b"two", true).unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), b"two");
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        symlink(&victim, r.join("link")).unwrap();
        symlink(outside.path().join("new"), r.join("dangling")).unwrap();
        symlink(outside.path(), r.join("dir")).unwrap();
        for rel in ["link", "dangling", "dir/new", "dir/sub/new"] {
            assert_eq!(refusal(rel), "symlink", "{rel}");
        }
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 1);
    }
}

/// Issue 16 item 8: two directories whose names are not UTF-8 (`a\xff/`, `a\xfe/`) got the
/// same label and one lockfile was dropped. Labels keep the bytes; the path still opens.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_keep_distinct_labels() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    for (byte, text) in [(0xffu8, "one"), (0xfe, "two")] {
        let d = dir.path().join(OsStr::from_bytes(&[b'a', byte]));
        std::fs::create_dir(&d).unwrap();
        std::fs::write(d.join("package-lock.json"), text).unwrap();
    }
    let index = FileIndex::build(dir.path(), &IndexOptions::default()).unwrap();
    assert_eq!(
        rels(&index),
        vec!["a\\xfe/package-lock.json", "a\\xff/package-lock.json"]
    );
    let texts: Vec<String> = index
        .files
        .iter()
        .map(|f| std::fs::read_to_string(index.path_of(f)).unwrap())
        .collect();
    assert_eq!(texts, vec!["two", "one"]);
}
