//! Helpers shared by the tests of several crates: writing a checkout's files and running
//! git in it with a configuration of its own (no user or system config, no signing), so a
//! test gives the same repository on every machine. Test-only: a dev-dependency, never
//! published.

pub mod postgres;

use std::path::Path;
use std::process::Command;

/// Write `text` to `root/rel`, creating the directories on the way.
///
/// # Panics
/// When the file cannot be written: a test fixture that cannot be made is a broken test.
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir {parent:?}: {e}"));
    }
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {path:?}: {e}"));
}

/// Run `git ARGS` in `root` with an isolated configuration and return its standard output,
/// trimmed.
///
/// # Panics
/// When git cannot be run or exits non-zero (with git's standard error in the message).
pub fn git(root: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=annex-test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
        ])
        .args(args)
        .current_dir(root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap_or_else(|e| panic!("git {args:?} cannot run: {e}"));
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
