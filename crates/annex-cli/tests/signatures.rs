//! `annex evidence --allowed-signers`: SSH-signed commits are verified, not just detected.
use assert_cmd::Command;
use std::process::Command as Cmd;

fn git(dir: &std::path::Path, args: &[&str]) {
    let ok = Cmd::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .unwrap();
    assert!(ok.success(), "git {args:?}");
}

#[test]
fn ssh_signed_commits_are_verified_with_allowed_signers() {
    let dir = tempfile::TempDir::new().unwrap();
    let r = dir.path();
    let key = r.join("key");
    let ok = Cmd::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "dev@example.org",
            "-f",
        ])
        .arg(&key)
        .status()
        .expect("ssh-keygen (openssh-client) is installed");
    assert!(ok.success());
    let repo = r.join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("README.md"), "# x\n").unwrap();
    git(&repo, &["add", "."]);
    let signing = format!("user.signingkey={}", key.display());
    git(
        &repo,
        &[
            "-c",
            "user.name=Dev",
            "-c",
            "user.email=dev@example.org",
            "-c",
            "gpg.format=ssh",
            "-c",
            &signing,
            "commit",
            "-q",
            "-S",
            "-m",
            "signed",
        ],
    );
    let public = std::fs::read_to_string(r.join("key.pub")).unwrap();
    std::fs::write(
        r.join("allowed_signers"),
        format!("dev@example.org {public}"),
    )
    .unwrap();
    let out = Command::cargo_bin("annex")
        .unwrap()
        .arg("evidence")
        .arg(&repo)
        .arg("--allowed-signers")
        .arg(r.join("allowed_signers"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ev: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = &ev["git"]["signed_commits"]["verified"];
    assert_eq!(v["valid"], 1, "{}", ev["git"]);
    assert_eq!(v["checked"], 1);
}
