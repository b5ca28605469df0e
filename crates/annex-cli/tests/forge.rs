//! `annex check --forge github` against a GitHub-shaped server on loopback.
use assert_cmd::Command;
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use tempfile::TempDir;

const FIXTURES: &str = "../annex-forge/tests/fixtures/github";

/// Serves `path → (status, fixture)` for a bounded number of requests, then stops.
fn serve(
    routes: HashMap<&'static str, (u16, &'static str)>,
) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(false).unwrap();
    let handle = std::thread::spawn(move || {
        for _ in 0..16 {
            let Ok((mut conn, _)) = listener.accept() else {
                return;
            };
            conn.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .ok();
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // Drain headers.
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
                    break;
                }
            }
            let path = line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .split('?')
                .next()
                .unwrap_or("/")
                .to_string();
            let (status, body) = match routes.get(path.as_str()) {
                Some((s, f)) => (
                    *s,
                    std::fs::read_to_string(format!("{FIXTURES}/{f}")).unwrap(),
                ),
                None => (404, "{\"message\": \"Not Found\"}".to_string()),
            };
            let reason = if status == 200 {
                "OK"
            } else if status == 403 {
                "Forbidden"
            } else {
                "Not Found"
            };
            let _ = write!(
                conn,
                "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (base, handle)
}

fn checkout() -> TempDir {
    let dir = TempDir::new().unwrap();
    let ok = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(ok.success());
    std::process::Command::new("git")
        .args([
            "remote",
            "add",
            "origin",
            "https://github.com/acme/widget.git",
        ])
        .current_dir(dir.path())
        .status()
        .unwrap();
    std::fs::write(dir.path().join("README.md"), "# widget\n").unwrap();
    dir
}

fn check(dir: &TempDir, api: &str) -> Value {
    let out = Command::cargo_bin("annex")
        .unwrap()
        .env(
            "XDG_CACHE_HOME",
            std::env::temp_dir().join("annex-tests-no-cache"),
        )
        .env("ANNEX_TEST_TOKEN", "t0ken")
        .args([
            "check",
            "--profile",
            "osps-l1",
            "--no-vulns",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--forge",
            "github",
            "--token-env",
            "ANNEX_TEST_TOKEN",
            "--forge-api",
            api,
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn result(a: &Value, id: &str) -> (String, String) {
    let r = a["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"] == id)
        .unwrap();
    (
        r["status"].as_str().unwrap().to_string(),
        r["reason"].as_str().unwrap().to_string(),
    )
}

#[test]
fn forge_settings_decide_forge_rules() {
    let p = "/repos/acme/widget";
    let routes: HashMap<&str, (u16, &str)> = HashMap::from([
        (p, (200, "repo.json")),
        (
            "/repos/acme/widget/branches/main/protection",
            (200, "protection.json"),
        ),
        (
            "/repos/acme/widget/rules/branches/main",
            (200, "rules_branch.json"),
        ),
        (
            "/repos/acme/widget/private-vulnerability-reporting",
            (200, "private_vulnerability_reporting.json"),
        ),
        (
            "/repos/acme/widget/actions/permissions/workflow",
            (200, "actions_workflow_permissions.json"),
        ),
        ("/orgs/acme", (200, "org_owner.json")),
    ]);
    let (api, server) = serve(routes);
    let dir = checkout();
    let a = check(&dir, &api);
    drop(server);
    for id in [
        "OSPS-AC-01.01",
        "OSPS-AC-03.01",
        "OSPS-AC-03.02",
        "OSPS-GV-02.01",
    ] {
        let (status, reason) = result(&a, id);
        assert_eq!(status, "pass", "{id}: {reason}");
    }
    // The unprotected case: protection 404 means no protection, a decided fail.
    let routes: HashMap<&str, (u16, &str)> = HashMap::from([
        (p, (200, "repo.json")),
        (
            "/repos/acme/widget/branches/main/protection",
            (404, "error_404_not_protected.json"),
        ),
        (
            "/repos/acme/widget/rules/branches/main",
            (200, "rules_branch_empty.json"),
        ),
        ("/orgs/acme", (200, "org_owner.json")),
    ]);
    let (api, server) = serve(routes);
    let a = check(&dir, &api);
    drop(server);
    assert_eq!(result(&a, "OSPS-AC-03.01").0, "fail");
    assert_eq!(result(&a, "OSPS-AC-03.02").0, "fail");
}

#[test]
fn a_token_that_may_not_see_a_setting_gives_not_run() {
    let routes: HashMap<&str, (u16, &str)> = HashMap::from([
        ("/repos/acme/widget", (200, "repo.json")),
        (
            "/repos/acme/widget/branches/main/protection",
            (403, "error_403_admin.json"),
        ),
        (
            "/repos/acme/widget/rules/branches/main",
            (403, "error_403_admin.json"),
        ),
        ("/orgs/acme", (403, "error_403_admin.json")),
    ]);
    let (api, server) = serve(routes);
    let dir = checkout();
    let a = check(&dir, &api);
    drop(server);
    for id in ["OSPS-AC-01.01", "OSPS-AC-03.01", "OSPS-AC-03.02"] {
        let (status, reason) = result(&a, id);
        assert_eq!(status, "not-run", "{id}: {reason}");
        assert!(reason.contains("unavailable"), "{id}: {reason}");
    }
}
