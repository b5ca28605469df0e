//! The `git` evidence over repositories built here with the `git` CLI (the library itself
//! reads them with gix): activity, authors, DCO, SSH-signed commits and tags, release
//! tags, remote and forge; shallow clones, empty repositories and corrupt object stores.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use annex_evidence::{Evidence, Options, collect};

/// 2025-06-15T15:06:40Z.
const NOW: i64 = 1_750_000_000;
const DAY: i64 = 86_400;

fn have(tool: &str, arg: &str) -> bool {
    Command::new(tool).arg(arg).output().is_ok()
}

struct Repo {
    dir: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Repo {
    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str], at: i64) -> String {
        git_in(self.path(), self.home.path(), args, at)
    }

    fn commit(&self, file: &str, email: &str, at: i64, extra: &[&str]) {
        fs::write(self.path().join(file), format!("{file} {at}\n")).unwrap();
        self.git(&["add", file], at);
        let author = format!("Someone <{email}>");
        let mut args = vec!["commit", "-q", "--author", &author, "-m", file];
        args.extend_from_slice(extra);
        self.git(&args, at);
    }

    fn evidence(&self) -> Evidence {
        evidence_at(self.path())
    }
}

fn git_in(dir: &Path, home: &Path, args: &[&str], at: i64) -> String {
    let date = format!("@{at} +0000");
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Tester",
            "-c",
            "user.email=tester@example.org",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn evidence_at(path: &Path) -> Evidence {
    let options = Options {
        now: Some(NOW),
        ..Options::default()
    };
    collect(path, &options).expect("collect never fails on a readable directory")
}

fn new_repo() -> Repo {
    let r = Repo {
        dir: tempfile::tempdir().unwrap(),
        home: tempfile::tempdir().unwrap(),
    };
    r.git(&["init", "-q"], NOW);
    r
}

/// An SSH signing key made for the test, or `None` when ssh-keygen is missing.
fn signing_key(home: &Path) -> Option<PathBuf> {
    if !have("ssh-keygen", "-?") {
        return None;
    }
    let key = home.join("id_ed25519");
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "annex-test", "-f"])
        .arg(&key)
        .status()
        .ok()?;
    status.success().then_some(key)
}

/// Four commits over 400 days by two authors (one e-mail in two cases), three signed
/// off, one SSH-signed; tags v1.0.0 (lightweight), v1.1.0 (annotated), v1.2.0 (signed)
/// and `nightly`; an origin on GitHub with credentials in the URL.
fn history_repo() -> (Repo, bool) {
    let r = new_repo();
    let key = signing_key(r.home.path());
    let signed = key.is_some();
    r.commit("a", "a@example.org", NOW - 400 * DAY, &["-s"]);
    r.commit("b", "b@example.org", NOW - 200 * DAY, &[]);
    r.git(&["tag", "v1.0.0"], NOW - 200 * DAY);
    let sign_args: Vec<String> = match &key {
        Some(k) => vec![
            "-c".into(),
            "gpg.format=ssh".into(),
            "-c".into(),
            format!("user.signingkey={}", k.display()),
        ],
        None => Vec::new(),
    };
    let with_sign = |rest: &[&str]| -> Vec<String> {
        sign_args
            .iter()
            .cloned()
            .chain(rest.iter().map(|s| s.to_string()))
            .collect()
    };
    fs::write(r.path().join("c"), "c\n").unwrap();
    r.git(&["add", "c"], NOW - 50 * DAY);
    let mut commit_c = with_sign(&[
        "commit",
        "-q",
        "-s",
        "--author",
        "Someone <A@Example.org>",
        "-m",
        "c",
    ]);
    if signed {
        commit_c.push("-S".into());
    }
    let args: Vec<&str> = commit_c.iter().map(String::as_str).collect();
    r.git(&args, NOW - 50 * DAY);
    r.git(
        &["tag", "-a", "v1.1.0", "-m", "release 1.1.0"],
        NOW - 50 * DAY,
    );
    r.commit("d", "b@example.org", NOW - 10 * DAY, &["-s"]);
    if signed {
        let tag = with_sign(&["tag", "-s", "v1.2.0", "-m", "release 1.2.0"]);
        let args: Vec<&str> = tag.iter().map(String::as_str).collect();
        r.git(&args, NOW - 10 * DAY);
    } else {
        r.git(
            &["tag", "-a", "v1.2.0", "-m", "release 1.2.0"],
            NOW - 10 * DAY,
        );
    }
    r.git(&["tag", "nightly"], NOW - 10 * DAY);
    r.git(
        &[
            "remote",
            "add",
            "origin",
            "https://user:secret@github.com/example/project.git",
        ],
        NOW,
    );
    (r, signed)
}

#[test]
fn activity_authors_dco_signatures_tags_and_remote() {
    let (r, signed) = history_repo();
    let g = r.evidence().git;
    assert!(g.present);
    assert_eq!(g.reason, None);
    assert!(!g.shallow);
    assert_eq!(g.walk.commits, 4);
    assert_eq!((g.walk.max_commits, g.walk.max_days), (10_000, 365));
    assert_eq!(g.commits_90d, Some(2));
    assert_eq!(g.commits_365d, Some(3));
    assert_eq!(g.authors_90d, Some(2), "a@ and A@ are one author");
    assert_eq!(g.authors_365d, Some(2));
    let dco = g.dco.expect("dco");
    assert_eq!((dco.count, dco.total), (3, 4));
    assert!((dco.share - 0.75).abs() < 1e-9);
    assert_eq!(g.last_commit_days, Some(10));
    let s = g.signed_commits.expect("signatures");
    assert_eq!(s.verified, None, "signatures are detected, not verified");
    assert!(!s.head_signed);
    let tags = g.tags.expect("tags");
    assert_eq!(tags.count, 4);
    assert_eq!(tags.release, 3, "nightly is not a release");
    assert_eq!(tags.semver, 3);
    assert_eq!(tags.annotated, 2);
    assert_eq!(tags.verified, None);
    let latest = tags.latest.expect("latest release");
    assert_eq!(latest.name, "v1.2.0");
    assert_eq!(latest.days, Some(10));
    assert!(latest.annotated && latest.semver);
    assert_eq!(g.last_release_days, Some(10));
    if signed {
        assert_eq!((s.signed, s.total), (1, 4));
        assert_eq!(s.kinds, vec!["ssh"]);
        assert_eq!(tags.signed, 1);
        assert_eq!(tags.kinds, vec!["ssh"]);
        assert!(latest.signed);
        assert_eq!(latest.kind.as_deref(), Some("ssh"));
    } else {
        eprintln!("ssh-keygen not available: signature checks skipped");
    }
    assert_eq!(
        g.remote_url.as_deref(),
        Some("https://github.com/example/project.git")
    );
    assert_eq!(g.forge.as_deref(), Some("github"));
}

#[test]
fn now_is_injectable() {
    let (r, _) = history_repo();
    let later = Options {
        now: Some(NOW + 100 * DAY),
        ..Options::default()
    };
    let g = collect(r.path(), &later).unwrap().git;
    assert_eq!(g.last_commit_days, Some(110));
    assert_eq!(g.commits_90d, Some(0));
    assert_eq!(g.last_release_days, Some(110));
}

#[test]
fn shallow_clone_gives_unknown_counts_with_a_reason() {
    let (r, _) = history_repo();
    let home = tempfile::tempdir().unwrap();
    let parent = tempfile::tempdir().unwrap();
    let url = format!("file://{}", r.path().display());
    git_in(
        parent.path(),
        home.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
        NOW,
    );
    let g = evidence_at(&parent.path().join("shallow")).git;
    assert!(g.present);
    assert!(g.shallow);
    assert_eq!(g.commits_90d, None);
    assert_eq!(g.commits_365d, None);
    assert_eq!(g.authors_90d, None);
    assert_eq!(g.dco, None);
    assert_eq!(g.signed_commits, None);
    assert!(
        g.reason.as_deref().is_some_and(|r| r.contains("shallow")),
        "{:?}",
        g.reason
    );
    // What the head commit alone tells is still known.
    assert_eq!(g.last_commit_days, Some(10));
    let v = serde_json::to_value(&g).unwrap();
    assert_eq!(v["commits_90d"], serde_json::Value::Null);
}

#[test]
fn repository_without_commits() {
    let r = new_repo();
    let g = r.evidence().git;
    assert!(g.present);
    assert_eq!(g.head, None);
    assert_eq!(g.commits_90d, None);
    assert_eq!(g.last_commit_days, None);
    assert_eq!(g.dco, None);
    assert!(
        g.reason
            .as_deref()
            .is_some_and(|r| r.contains("no commits")),
        "{:?}",
        g.reason
    );
}

#[test]
fn not_a_repository() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("README.md"), "# x\n").unwrap();
    let e = evidence_at(dir.path());
    assert!(!e.git.present);
    assert!(
        e.git
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("not a git"))
    );
    let v = serde_json::to_value(&e).unwrap();
    for key in [
        "present",
        "reason",
        "head",
        "shallow",
        "walk",
        "commits_90d",
        "commits_365d",
        "authors_90d",
        "authors_365d",
        "dco",
        "signed_commits",
        "last_commit_days",
        "tags",
        "last_release_days",
        "remote_url",
        "forge",
    ] {
        assert!(v["git"].get(key).is_some(), "git.{key} missing");
    }
    assert_eq!(v["git"]["tags"], serde_json::Value::Null);
}

/// The loose object file of a commit.
fn object_file(repo: &Path, id: &str) -> PathBuf {
    repo.join(".git/objects").join(&id[..2]).join(&id[2..])
}

/// The loose object file of a commit, made writable (git writes them read-only) so a test
/// can damage it.
fn writable_object_file(repo: &Path, id: &str) -> PathBuf {
    let file = object_file(repo, id);
    let mut perms = fs::metadata(&file).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(&file, perms).unwrap();
    file
}

#[test]
fn missing_object_in_history_gives_null_with_reason() {
    let (r, _) = history_repo();
    let second = r.git(&["rev-parse", "HEAD~2"], NOW);
    fs::remove_file(object_file(r.path(), &second)).unwrap();
    let g = r.evidence().git;
    assert!(g.present);
    assert_eq!(g.commits_90d, None);
    assert_eq!(g.dco, None);
    assert!(
        g.reason
            .as_deref()
            .is_some_and(|m| m.contains("could not be read")),
        "{:?}",
        g.reason
    );
    // The head commit was readable.
    assert_eq!(g.last_commit_days, Some(10));
}

#[test]
fn garbled_head_object_gives_null_with_reason() {
    let (r, _) = history_repo();
    let head = r.git(&["rev-parse", "HEAD"], NOW);
    let file = writable_object_file(r.path(), &head);
    fs::write(&file, b"this is not a zlib stream at all").unwrap();
    let e = r.evidence();
    let g = e.git;
    assert!(g.present);
    assert_eq!(g.commits_90d, None);
    assert_eq!(g.last_commit_days, None);
    assert_eq!(g.signed_commits, None);
    assert!(
        g.reason
            .as_deref()
            .is_some_and(|m| m.contains("object store")),
        "{:?}",
        g.reason
    );
}

/// Issue 16 item 10: a 28-byte loose object whose header claims 8 GB. gix would allocate
/// what the header states; annex reads the header alone and refuses, with the reason.
#[test]
fn an_object_claiming_gigabytes_is_refused_from_its_header() {
    let (r, _) = history_repo();
    let head = r.git(&["rev-parse", "HEAD"], NOW);
    let file = writable_object_file(r.path(), &head);
    // zlib("commit 8000000000\0tree ") made by Python's zlib, the format git writes.
    let made = Command::new("python3")
        .args([
            "-c",
            "import sys, zlib; sys.stdout.buffer.write(zlib.compress(b'commit 8000000000\\x00tree '))",
        ])
        .output()
        .expect("python3");
    assert!(made.status.success());
    assert!(made.stdout.len() < 64, "{} bytes", made.stdout.len());
    fs::write(&file, &made.stdout).unwrap();
    let g = r.evidence().git;
    assert!(g.present);
    assert_eq!(g.last_commit_days, None);
    assert!(
        g.reason
            .as_deref()
            .is_some_and(|m| m.contains("claims 8000000000 bytes")),
        "{:?}",
        g.reason
    );
}

/// Issue 16 item 15: the latest release tag is chosen by time, not by day (two releases an
/// hour apart the same day), and a tag list cut at the limit says so.
#[test]
fn latest_tag_by_time_and_a_cut_tag_list_says_so() {
    let r = new_repo();
    let day = NOW - 10 * DAY;
    r.commit("a", "a@example.org", day, &[]);
    r.git(&["tag", "v1.0"], day);
    r.commit("b", "a@example.org", day + 3600, &[]);
    r.git(&["tag", "v2.0"], day + 3600);
    let tags = r.evidence().git.tags.expect("tags");
    assert_eq!(tags.latest.expect("latest").name, "v2.0");

    let head = r.git(&["rev-parse", "HEAD"], NOW);
    let mut packed = String::from("# pack-refs with: peeled fully-peeled sorted \n");
    for i in 0..10_001 {
        packed.push_str(&format!("{head} refs/tags/t{i:05}\n"));
    }
    fs::write(r.path().join(".git/packed-refs"), packed).unwrap();
    let g = r.evidence().git;
    assert_eq!(g.tags.expect("tags").count, 10_000);
    assert!(
        g.reason
            .as_deref()
            .is_some_and(|m| m.contains("only the first 10000 tags were read")),
        "{:?}",
        g.reason
    );
}
