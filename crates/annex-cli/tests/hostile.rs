//! Hostile use of the command line (issue 16): concurrent database writers and readers,
//! symlinks and special files in the checkout, imports that read nothing.
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use tempfile::TempDir;

mod common;
use common::{annex, json_of};

/// The built binary as a plain process, for running several at once.
fn spawn(args: &[&str], db: &Path) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("annex"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("ANNEX_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn stats(db: &Path) -> Value {
    json_of(
        annex()
            .args(["db", "stats", "--format", "json", "--db"])
            .arg(db),
    )
}

#[test]
fn concurrent_imports_into_one_database_lose_nothing() {
    let go = "../../../shared/data/osv/go";
    let rustsec = "../../../shared/data/osv/rustsec";
    let expected = TempDir::new().unwrap();
    annex()
        .args(["db", "import", go, rustsec, "--db"])
        .arg(expected.path())
        .assert()
        .success();
    let db = TempDir::new().unwrap();
    let a = spawn(&["db", "import", go], db.path());
    let b = spawn(&["db", "import", rustsec], db.path());
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (got, want) = (stats(db.path()), stats(expected.path()));
    assert_eq!(got["advisories"], want["advisories"]);
    assert_eq!(got["by_ecosystem"], want["by_ecosystem"]);
}

/// `count` npm advisories, all stamped `modified`, so each round rewrites the ecosystem.
fn npm_round(dir: &Path, count: usize, modified: &str) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..count {
        std::fs::write(
            dir.join(format!("GHSA-{i:04}.json")),
            format!(
                r#"{{"id":"GHSA-{i:04}-xxxx-xxxx","modified":"{modified}","affected":[{{"package":{{"ecosystem":"npm","name":"p{i}"}},"ranges":[{{"type":"SEMVER","events":[{{"introduced":"0"}},{{"fixed":"1.0.0"}}]}}]}}]}}"#
            ),
        )
        .unwrap();
    }
}

#[test]
fn readers_during_imports_always_see_a_complete_generation() {
    let src = TempDir::new().unwrap();
    let db = TempDir::new().unwrap();
    let rounds: Vec<_> = (1..=6)
        .map(|r| {
            let dir = src.path().join(format!("r{r}"));
            npm_round(&dir, 1500, &format!("2024-01-0{r}T00:00:00Z"));
            dir
        })
        .collect();
    annex()
        .args(["db", "import"])
        .arg(&rounds[0])
        .arg("--db")
        .arg(db.path())
        .assert()
        .success();
    let writer = {
        let db = db.path().to_path_buf();
        let rounds = rounds[1..].to_vec();
        std::thread::spawn(move || {
            for r in rounds {
                let out = spawn(&["db", "import", r.to_str().unwrap()], &db)
                    .wait_with_output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        })
    };
    let mut reads = 0;
    while !writer.is_finished() {
        let out = spawn(&["db", "stats", "--format", "json"], db.path())
            .wait_with_output()
            .unwrap();
        assert!(
            out.status.success(),
            "a reader failed during an import: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        reads += 1;
    }
    writer.join().unwrap();
    assert!(reads > 0);
    assert_eq!(stats(db.path())["advisories"], 1500);
}

#[test]
fn a_writer_waiting_for_the_lock_says_who_holds_it() {
    let db = TempDir::new().unwrap();
    // Hold the lock as another writer would, from this process.
    let mut held = annex_vuln::db::Db::open_or_create(db.path()).unwrap();
    held.lock(false).unwrap();
    let mut child = spawn(
        &["db", "import", "../../../shared/data/osv/rustsec"],
        db.path(),
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the second writer did not wait"
    );
    held.unlock().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("locked by pid {}", std::process::id())),
        "{stderr}"
    );
}

#[test]
fn an_import_that_reads_nothing_fails() {
    let db = TempDir::new().unwrap();
    let empty = TempDir::new().unwrap();
    annex()
        .args(["db", "import"])
        .arg(empty.path())
        .arg("--db")
        .arg(db.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no advisory was imported"));
}

/// A checkout with annex.toml (written by `init`), and a directory outside it.
#[cfg(unix)]
fn checkout_and_outside() -> (TempDir, TempDir) {
    let repo = TempDir::new().unwrap();
    std::fs::write(repo.path().join("README.md"), "# demo\n").unwrap();
    let mut cmd = annex();
    cmd.arg("init")
        .arg(repo.path())
        .args(["--yes", "--today", "2026-11-25"]);
    for kv in [
        "role=manufacturer",
        "product.class=default",
        "product.name=demo",
        "product.version=1.0.0",
        "product.type=library",
        "party.name=Demo Org",
        "party.website=https://demo.example",
        "security.contact=security@demo.example",
        "support.end=2031-12",
    ] {
        cmd.args(["--set", kv]);
    }
    cmd.assert().success();
    (repo, TempDir::new().unwrap())
}

/// Runs annex, which must refuse with a message naming a symlink.
#[cfg(unix)]
fn refuses_symlink(cmd: &mut assert_cmd::Command) {
    cmd.assert()
        .code(2)
        .stderr(predicates::str::contains("symlink"));
}

#[cfg(unix)]
#[test]
fn writers_never_follow_symlinks_out_of_the_checkout() {
    use std::os::unix::fs::symlink;
    let (repo, outside) = checkout_and_outside();
    let r = repo.path();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "keep").unwrap();

    // fix: a dangling SECURITY.md link is not created through; --force does not overwrite.
    symlink(outside.path().join("created"), r.join("SECURITY.md")).unwrap();
    refuses_symlink(
        annex()
            .arg("fix")
            .arg(r)
            .args(["--no-vulns", "--only", "security-md"]),
    );
    assert!(!outside.path().join("created").exists());
    std::fs::remove_file(r.join("SECURITY.md")).unwrap();
    symlink(&victim, r.join("SECURITY.md")).unwrap();
    refuses_symlink(annex().arg("fix").arg(r).args([
        "--no-vulns",
        "--only",
        "security-md",
        "--force",
    ]));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");

    // docs: a .well-known directory link leads outside.
    symlink(outside.path(), r.join(".well-known")).unwrap();
    refuses_symlink(annex().arg("docs").arg(r).args([
        "--kind",
        "security-txt",
        "--no-vulns",
        "--force",
    ]));
    assert!(!outside.path().join("security.txt").exists());

    // init: annex.toml as a dangling link.
    let fresh = TempDir::new().unwrap();
    symlink(
        outside.path().join("annex.toml"),
        fresh.path().join("annex.toml"),
    )
    .unwrap();
    refuses_symlink(annex().arg("init").arg(fresh.path()).args([
        "--yes",
        "--set",
        "role=manufacturer",
        "--set",
        "product.class=default",
        "--set",
        "product.name=x",
        "--set",
        "product.version=1",
        "--set",
        "product.type=library",
        "--set",
        "party.name=x",
        "--set",
        "party.website=https://x.example",
        "--set",
        "security.contact=s@x.example",
        "--set",
        "support.end=2031-12",
    ]));
    assert!(!outside.path().join("annex.toml").exists());

    // incident new: the incidents directory is a link.
    std::fs::create_dir_all(r.join(".annex")).unwrap();
    symlink(outside.path(), r.join(".annex/incidents")).unwrap();
    refuses_symlink(
        annex()
            .args("incident new --kind vulnerability --summary x --path".split(' '))
            .arg(r),
    );
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 1);
}

#[test]
fn outputs_are_replaced_only_with_force_and_never_over_an_input() {
    let repo = TempDir::new().unwrap();
    let lock = repo.path().join("requirements.txt");
    std::fs::write(&lock, "idna==3.7\n").unwrap();
    let out = repo.path().join("sbom.json");
    let sbom = |force: bool, to: &Path| {
        let mut cmd = annex();
        cmd.arg("sbom").arg(repo.path()).arg("-o").arg(to);
        if force {
            cmd.arg("--force");
        }
        cmd.assert()
    };
    sbom(false, &out).success();
    sbom(false, &out)
        .code(2)
        .stderr(predicates::str::contains("--force"));
    sbom(true, &out).success();
    // The lockfile it reads is never the output, --force or not.
    sbom(true, &lock)
        .code(2)
        .stderr(predicates::str::contains("lockfile"));
    assert_eq!(std::fs::read_to_string(&lock).unwrap(), "idna==3.7\n");
    // A device or pipe is written to, not replaced: `-o /dev/null` needs no --force.
    #[cfg(unix)]
    {
        sbom(false, Path::new("/dev/null")).success();
        let out = annex()
            .arg("sbom")
            .arg(repo.path())
            .args(["-o", "/dev/stdout"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("\"bomFormat\""));
        // A symlink to a device that is not the process's own descriptor is still refused.
        let link = repo.path().join("null-link.json");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        sbom(true, &link)
            .code(2)
            .stderr(predicates::str::contains("symlink"));
    }
}

#[cfg(unix)]
#[test]
fn readers_refuse_fifos_and_links_instead_of_hanging() {
    use std::os::unix::fs::symlink;
    let (repo, outside) = checkout_and_outside();
    let r = repo.path();
    // init proposes from Cargo.toml: a FIFO there must not block it.
    let fresh = TempDir::new().unwrap();
    let fifo = fresh.path().join("Cargo.toml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let mut init = annex();
    init.arg("init")
        .arg(fresh.path())
        .args(["--yes", "--set", "role=manufacturer"])
        .timeout(std::time::Duration::from_secs(30));
    // Required answers are missing (nothing could be proposed): an error, not a hang.
    init.assert().code(2);

    // annex.toml as a FIFO: docs says so and stops.
    std::fs::rename(r.join("annex.toml"), outside.path().join("annex.toml")).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(r.join("annex.toml"))
            .status()
            .unwrap()
            .success()
    );
    annex()
        .arg("docs")
        .arg(r)
        .args(["--kind", "security-md", "--no-vulns"])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a regular file"));

    // An incident record that links to a record outside is not read.
    std::fs::remove_file(r.join("annex.toml")).unwrap();
    std::fs::rename(outside.path().join("annex.toml"), r.join("annex.toml")).unwrap();
    let record = "id = \"2026-11-25-x\"\nkind = \"vulnerability\"\naware_at = \"2026-11-25T10:00:00Z\"\nsummary = \"x\"\n";
    std::fs::write(outside.path().join("2026-11-25-x.toml"), record).unwrap();
    std::fs::create_dir_all(r.join(".annex/incidents")).unwrap();
    symlink(
        outside.path().join("2026-11-25-x.toml"),
        r.join(".annex/incidents/2026-11-25-x.toml"),
    )
    .unwrap();
    refuses_symlink(
        annex()
            .args([
                "incident",
                "draft",
                "2026-11-25-x",
                "--stage",
                "early-warning",
            ])
            .arg("--path")
            .arg(r),
    );
}

#[test]
fn incident_ids_are_names_not_paths() {
    let repo = TempDir::new().unwrap();
    for id in ["../../etc/passwd", "a/b", ".hidden", ""] {
        annex()
            .args(["incident", "fix", id, "--path"])
            .arg(repo.path())
            .assert()
            .code(2)
            .stderr(predicates::str::contains("is not an incident id"));
    }
}

#[test]
fn a_missing_keyring_is_an_error() {
    let repo = TempDir::new().unwrap();
    for flag in ["--keyring", "--allowed-signers"] {
        annex()
            .args(["evidence", flag, "/nonexistent/keys.asc"])
            .arg(repo.path())
            .assert()
            .code(2)
            .stderr(predicates::str::contains(flag));
    }
    // A token variable with nothing to use it for is an error, not silently ignored.
    for cmd in ["docs", "fix"] {
        annex()
            .args([cmd, "--token-env", "SOME_TOKEN"])
            .arg(repo.path())
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "--token-env names the token of --forge",
            ));
    }
}

#[test]
fn annex_db_in_the_environment_does_not_break_no_vulns() {
    let repo = TempDir::new().unwrap();
    std::fs::write(repo.path().join("README.md"), "# demo\n").unwrap();
    annex()
        .env("ANNEX_DB", "/nonexistent/db")
        .args(["check", "--no-vulns", "--fail-on", "never"])
        .arg(repo.path())
        .assert()
        .success();
}
