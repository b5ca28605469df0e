//! Signature verification in the `git` evidence: repositories built here with the `git`
//! CLI, signed with keys made here (ssh-keygen; gpg when installed), verified by the library
//! in pure Rust against an allowed_signers file or an OpenPGP keyring.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use annex_evidence::{Evidence, Options, Signers, Verification, collect};

/// 2025-06-15T15:06:40Z.
const NOW: i64 = 1_750_000_000;
const DAY: i64 = 86_400;

fn have(tool: &str, arg: &str) -> bool {
    Command::new(tool).arg(arg).output().is_ok()
}

struct Repo {
    dir: tempfile::TempDir,
    home: tempfile::TempDir,
    /// GNUPGHOME for the gpg tests.
    gnupg: Option<PathBuf>,
}

impl Repo {
    fn new() -> Repo {
        let r = Repo {
            dir: tempfile::tempdir().unwrap(),
            home: tempfile::tempdir().unwrap(),
            gnupg: None,
        };
        r.git(&[], &["init", "-q"], NOW);
        r
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, cmd: &str, args: &[&str], at: i64, stdin: Option<&[u8]>) -> Vec<u8> {
        use std::io::Write;
        let date = format!("@{at} +0000");
        let mut c = Command::new(cmd);
        c.args(args)
            .current_dir(self.path())
            .env("HOME", self.home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        if let Some(g) = &self.gnupg {
            c.env("GNUPGHOME", g);
        }
        let mut child = c.spawn().expect("runs");
        if let Some(input) = stdin {
            child.stdin.take().unwrap().write_all(input).unwrap();
        }
        drop(child.stdin.take());
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{cmd} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// `git -c …config args`, at the date `at`.
    fn git(&self, config: &[String], args: &[&str], at: i64) -> String {
        let mut all: Vec<&str> = vec![
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
        ];
        for c in config {
            all.extend(["-c", c]);
        }
        all.extend_from_slice(args);
        String::from_utf8_lossy(&self.run("git", &all, at, None))
            .trim()
            .to_string()
    }

    /// A commit at `at`, signed with `sign` (git `-c` settings) when given.
    fn commit(&self, file: &str, at: i64, sign: Option<&[String]>) {
        fs::write(self.path().join(file), format!("{file} {at}\n")).unwrap();
        self.git(&[], &["add", file], at);
        match sign {
            Some(cfg) => self.git(cfg, &["commit", "-q", "-S", "-m", file], at),
            None => self.git(&[], &["commit", "-q", "-m", file], at),
        };
    }

    fn tag(&self, name: &str, at: i64, sign: &[String]) {
        self.git(sign, &["tag", "-s", name, "-m", name], at);
    }

    fn evidence(&self, signers: Option<Signers>) -> Evidence {
        let options = Options {
            now: Some(NOW),
            signers,
            ..Options::default()
        };
        collect(self.path(), &options).expect("collect")
    }
}

fn counts(checked: u64, valid: u64, invalid: u64, unknown_key: u64) -> Option<Verification> {
    Some(Verification {
        checked,
        valid,
        invalid,
        unknown_key,
    })
}

/// An ed25519 SSH key pair in `dir`: (private key path, public key line).
fn ssh_key(dir: &Path, name: &str) -> (PathBuf, String) {
    let key = dir.join(name);
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&key)
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success());
    let public = fs::read_to_string(key.with_extension("pub")).unwrap();
    (key, public.trim().to_string())
}

fn ssh_config(key: &Path) -> Vec<String> {
    vec![
        "gpg.format=ssh".into(),
        format!("user.signingkey={}", key.display()),
    ]
}

/// Commits: unsigned, signed by A twice, signed by B (not allowed). Tags: v1.0.0 by B,
/// v1.1.0 by A (the latest).
fn ssh_repo() -> Option<(Repo, PathBuf)> {
    if !have("ssh-keygen", "-?") {
        eprintln!("ssh-keygen not available: SSH verification tests skipped");
        return None;
    }
    let r = Repo::new();
    let keys = r.home.path().to_path_buf();
    let (a, a_pub) = ssh_key(&keys, "a");
    let (b, _) = ssh_key(&keys, "b");
    let (sa, sb) = (ssh_config(&a), ssh_config(&b));
    r.commit("one", NOW - 40 * DAY, None);
    r.commit("two", NOW - 30 * DAY, Some(&sa));
    r.commit("three", NOW - 20 * DAY, Some(&sb));
    r.tag("v1.0.0", NOW - 20 * DAY, &sb);
    r.commit("four", NOW - 10 * DAY, Some(&sa));
    r.tag("v1.1.0", NOW - 10 * DAY, &sa);
    let allowed = keys.join("allowed_signers");
    fs::write(
        &allowed,
        format!(
            "# trusted\n\"tester@example.org,other@example.org\" namespaces=\"git\" {a_pub}\n\
             elsewhere@example.org namespaces=\"file\" {}\n",
            a_pub
        ),
    )
    .unwrap();
    Some((r, allowed))
}

#[test]
fn ssh_signatures_verified_against_allowed_signers() {
    let Some((r, allowed)) = ssh_repo() else {
        return;
    };
    let e = r.evidence(Some(Signers {
        allowed_signers: Some(allowed.clone()),
        keyring: None,
    }));
    let g = &e.git;
    assert_eq!(g.reason, None);
    let s = g.signed_commits.as_ref().unwrap();
    assert_eq!((s.signed, s.total), (3, 4));
    assert_eq!(s.verified, counts(3, 2, 0, 1));
    let tags = g.tags.as_ref().unwrap();
    assert_eq!(tags.signed, 2);
    assert_eq!(tags.verified, counts(2, 1, 0, 1));
    let latest = tags.latest.as_ref().unwrap();
    assert_eq!(latest.name, "v1.1.0");
    assert_eq!(latest.verified, Some(true));

    // JSON shape.
    let json = serde_json::to_value(&e.git).unwrap();
    assert_eq!(
        json["signed_commits"]["verified"],
        serde_json::json!({"checked": 3, "valid": 2, "invalid": 0, "unknown_key": 1})
    );
    assert_eq!(json["tags"]["latest"]["verified"], serde_json::json!(true));

    // The key of B allowed instead: the verdicts swap.
    let b_pub = fs::read_to_string(allowed.with_file_name("b.pub")).unwrap();
    let only_b = allowed.with_file_name("only_b");
    fs::write(&only_b, format!("tester@example.org {}", b_pub.trim())).unwrap();
    let e = r.evidence(Some(Signers {
        allowed_signers: Some(only_b),
        keyring: None,
    }));
    let s = e.git.signed_commits.unwrap();
    assert_eq!(s.verified, counts(3, 1, 0, 2));
    let tags = e.git.tags.unwrap();
    assert_eq!(tags.verified, counts(2, 1, 0, 1));
    assert_eq!(tags.latest.unwrap().verified, Some(false));
}

#[test]
fn without_signers_or_keys_of_the_kind_nothing_is_checked() {
    let Some((r, allowed)) = ssh_repo() else {
        return;
    };
    // No signers: null as before.
    let g = r.evidence(None).git;
    assert_eq!(g.signed_commits.unwrap().verified, None);
    let tags = g.tags.unwrap();
    assert_eq!(tags.verified, None);
    assert_eq!(tags.latest.unwrap().verified, None);

    // Only a keyring (no allowed_signers): SSH signatures are not checked.
    let keyring = allowed.with_file_name("empty.asc");
    fs::write(&keyring, "").unwrap();
    let g = r
        .evidence(Some(Signers {
            allowed_signers: None,
            keyring: Some(keyring),
        }))
        .git;
    assert!(
        g.reason
            .as_deref()
            .is_some_and(|r| r.contains("cannot read the OpenPGP keyring")),
        "{:?}",
        g.reason
    );
    assert_eq!(g.signed_commits.unwrap().verified, counts(0, 0, 0, 0));
    let tags = g.tags.unwrap();
    assert_eq!(tags.verified, counts(0, 0, 0, 0));
    assert_eq!(tags.latest.unwrap().verified, None);

    // A missing allowed_signers file: a reason, nothing checked.
    let g = r
        .evidence(Some(Signers {
            allowed_signers: Some(allowed.with_file_name("missing")),
            keyring: None,
        }))
        .git;
    assert!(
        g.reason
            .as_deref()
            .is_some_and(|r| r.contains("cannot read the allowed signers file")),
        "{:?}",
        g.reason
    );
    assert_eq!(g.signed_commits.unwrap().verified, counts(0, 0, 0, 0));
}

/// A signed commit rewritten with another message but the same signature header.
#[test]
fn ssh_altered_payload_is_invalid() {
    let Some((r, allowed)) = ssh_repo() else {
        return;
    };
    let raw = r.run("git", &["cat-file", "commit", "HEAD"], NOW, None);
    let text = String::from_utf8(raw).unwrap();
    assert!(text.contains("-----BEGIN SSH SIGNATURE-----"));
    let altered = text.replacen("\n\nfour", "\n\nfour, altered", 1);
    assert_ne!(altered, text);
    let id = String::from_utf8(r.run(
        "git",
        &["hash-object", "-t", "commit", "-w", "--stdin"],
        NOW,
        Some(altered.as_bytes()),
    ))
    .unwrap();
    r.git(&[], &["update-ref", "refs/heads/main", id.trim()], NOW);
    let g = r
        .evidence(Some(Signers {
            allowed_signers: Some(allowed),
            keyring: None,
        }))
        .git;
    assert_eq!(g.head.as_deref(), Some(id.trim()));
    assert_eq!(g.signed_commits.unwrap().verified, counts(3, 1, 1, 1));
}

/// gpg in batch mode with its home in a temporary directory; `None` when gpg is missing.
fn gpg_home() -> Option<tempfile::TempDir> {
    if !have("gpg", "--version") {
        return None;
    }
    // Short path: gpg-agent's socket lives there.
    let home = tempfile::Builder::new()
        .prefix("g")
        .tempdir_in("/tmp")
        .ok()?;
    Some(home)
}

/// Generate a key without passphrase; its fingerprint.
fn gpg_key(r: &Repo, uid: &str, algo: &str) -> String {
    r.run(
        "gpg",
        &[
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--quick-gen-key",
            uid,
            algo,
            "sign",
            "never",
        ],
        NOW,
        None,
    );
    let out = String::from_utf8(r.run(
        "gpg",
        &["--batch", "--with-colons", "--list-secret-keys", uid],
        NOW,
        None,
    ))
    .unwrap();
    out.lines()
        .find(|l| l.starts_with("fpr:"))
        .and_then(|l| l.split(':').nth(9))
        .expect("fingerprint")
        .to_string()
}

#[test]
fn gpg_signatures_verified_against_a_keyring() {
    let Some(gnupg) = gpg_home() else {
        eprintln!("gpg not available: OpenPGP verification test skipped");
        return;
    };
    let mut r = Repo::new();
    r.gnupg = Some(gnupg.path().to_path_buf());
    let ed = gpg_key(&r, "Ed <ed@example.org>", "ed25519");
    let rsa = gpg_key(&r, "Rsa <rsa@example.org>", "rsa2048");
    let other = gpg_key(&r, "Other <other@example.org>", "ed25519");
    let cfg = |fpr: &str| {
        vec![
            "gpg.format=openpgp".to_string(),
            "gpg.program=gpg".to_string(),
            format!("user.signingkey={fpr}"),
        ]
    };
    r.commit("one", NOW - 40 * DAY, Some(&cfg(&ed)));
    r.commit("two", NOW - 30 * DAY, Some(&cfg(&rsa)));
    r.commit("three", NOW - 20 * DAY, Some(&cfg(&other)));
    r.tag("v1.0.0", NOW - 20 * DAY, &cfg(&other));
    r.commit("four", NOW - 10 * DAY, None);
    r.tag("v1.1.0", NOW - 10 * DAY, &cfg(&rsa));

    let armored = gnupg.path().join("keyring.asc");
    let out = r.run(
        "gpg",
        &["--batch", "--armor", "--export", &ed, &rsa],
        NOW,
        None,
    );
    fs::write(&armored, out).unwrap();
    let binary = gnupg.path().join("keyring.gpg");
    let out = r.run("gpg", &["--batch", "--export", &ed, &rsa], NOW, None);
    fs::write(&binary, out).unwrap();

    for keyring in [armored, binary] {
        let g = r
            .evidence(Some(Signers {
                allowed_signers: None,
                keyring: Some(keyring.clone()),
            }))
            .git;
        assert_eq!(g.reason, None, "{}", keyring.display());
        let s = g.signed_commits.unwrap();
        assert_eq!(s.kinds, vec!["gpg"]);
        assert_eq!(s.verified, counts(3, 2, 0, 1), "{}", keyring.display());
        let tags = g.tags.unwrap();
        assert_eq!(tags.verified, counts(2, 1, 0, 1));
        let latest = tags.latest.unwrap();
        assert_eq!(latest.name, "v1.1.0");
        assert_eq!(latest.verified, Some(true));
    }

    // Stop the agent this test started.
    let _ = r.run("gpgconf", &["--kill", "gpg-agent"], NOW, None);
}
