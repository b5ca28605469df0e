//! `collect` against a loopback HTTP server serving recorded response shapes.
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use annex_forge::{FactStatus, ForgeEvidence, ForgeKind, ForgeOptions, collect, parse_remote};
use serde_json::{Value, json};

/// Requests served at most, and how long the server lives.
const MAX_REQUESTS: usize = 32;
const LIFETIME: Duration = Duration::from_secs(20);

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    auth: Option<String>,
}

/// Routes: path → (status, fixture file).
type Routes = BTreeMap<String, (u16, &'static str)>;

struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// A one-request-per-connection HTTP/1.1 server on 127.0.0.1. `needs_auth` paths answer
/// 401 without an `Authorization`/`PRIVATE-TOKEN` header; unknown paths 404. Stops after
/// MAX_REQUESTS, LIFETIME, or when dropped.
fn serve(routes: Routes, needs_auth: Vec<&'static str>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let (seen2, stop2) = (seen.clone(), stop.clone());
    thread::spawn(move || {
        let start = Instant::now();
        let mut served = 0;
        while served < MAX_REQUESTS && start.elapsed() < LIFETIME && !stop2.load(Ordering::SeqCst) {
            let (stream, _) = match listener.accept() {
                Ok(s) => s,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    thread::sleep(Duration::from_millis(2));
                    continue;
                }
                Err(_) => break,
            };
            served += 1;
            stream.set_nonblocking(false).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            let mut auth = None;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                    break;
                }
                let (k, v) = h.split_once(':').unwrap_or((&h, ""));
                let k = k.trim().to_ascii_lowercase();
                if k == "authorization" || k == "private-token" {
                    auth = Some(v.trim().to_string());
                }
            }
            seen2.lock().unwrap().push(Seen {
                path: path.clone(),
                auth: auth.clone(),
            });
            let (status, file) = if auth.is_none() && needs_auth.iter().any(|p| *p == path) {
                (401, "github/error_401.json")
            } else {
                routes
                    .get(&path)
                    .copied()
                    .unwrap_or((404, "github/error_404.json"))
            };
            let body = fixture(file);
            let reason = match status {
                200 => "OK",
                401 => "Unauthorized",
                403 => "Forbidden",
                _ => "Not Found",
            };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json; charset=utf-8\r\nx-ratelimit-remaining: 4999\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.flush();
        }
    });
    Server { base, seen, stop }
}

fn github_routes() -> Routes {
    let mut r = Routes::new();
    let p = "/repos/acme/widget";
    r.insert(p.into(), (200, "github/repo.json"));
    r.insert(
        format!("{p}/branches/main/protection"),
        (200, "github/protection.json"),
    );
    r.insert(
        format!("{p}/rules/branches/main"),
        (200, "github/rules_branch.json"),
    );
    r.insert(
        format!("{p}/private-vulnerability-reporting"),
        (200, "github/private_vulnerability_reporting.json"),
    );
    r.insert(
        format!("{p}/actions/permissions/workflow"),
        (200, "github/actions_workflow_permissions.json"),
    );
    r.insert("/orgs/acme".into(), (200, "github/org_owner.json"));
    r
}

fn opts(kind: ForgeKind, base: &str, token: Option<&str>, owner: &str, repo: &str) -> ForgeOptions {
    ForgeOptions {
        api_base: base.to_string(),
        token: token.map(str::to_string),
        timeout: Duration::from_secs(5),
        ..ForgeOptions::new(kind, owner, repo)
    }
}

fn facts(ev: &ForgeEvidence) -> Value {
    serde_json::to_value(ev).unwrap()["facts"].clone()
}

#[test]
fn full_permission_token_gives_every_fact() {
    let srv = serve(github_routes(), vec![]);
    let ev = collect(&opts(
        ForgeKind::GitHub,
        &srv.base,
        Some("ghp_test"),
        "acme",
        "widget",
    ));
    let f = facts(&ev);
    for (name, fact) in f.as_object().unwrap() {
        assert_eq!(fact["status"], "ok", "{name}: {fact}");
    }
    assert_eq!(f["default_branch"]["value"], "main");
    assert_eq!(f["repository_visibility"]["value"], "public");
    assert_eq!(f["issues_enabled"]["value"], true);
    assert_eq!(f["org_two_factor_required"]["value"], true);
    assert_eq!(f["collaborators_default_permission"]["value"], "read");
    assert_eq!(f["private_vulnerability_reporting"]["value"], true);
    assert_eq!(f["actions_default_workflow_permissions"]["value"], "read");
    // Classic protection and rulesets merged.
    assert_eq!(
        f["branch_protection"]["value"],
        json!({
            "protected": true,
            "sources": ["classic", "rulesets"],
            "requires_pull_request": true,
            "required_reviews": 2,
            "dismiss_stale": true,
            "require_code_owner": true,
            "enforce_admins": true,
            "required_status_checks": ["ci / test", "lint"],
            "allow_force_pushes": false,
            "allow_deletions": false,
        })
    );
    let v = serde_json::to_value(&ev).unwrap();
    assert_eq!(v["kind"], "github");
    assert_eq!(v["repository"], "acme/widget");
    assert_eq!(v["authenticated"], true);
    let seen = srv.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 6, "{seen:?}");
    assert!(
        seen.iter()
            .all(|s| s.auth.as_deref() == Some("Bearer ghp_test"))
    );
}

#[test]
fn token_without_admin_or_org_owner_gives_forbidden_facts() {
    let mut routes = github_routes();
    routes.insert(
        "/repos/acme/widget/branches/main/protection".into(),
        (403, "github/error_403_admin.json"),
    );
    routes.insert("/orgs/acme".into(), (403, "github/error_403_admin.json"));
    let srv = serve(routes, vec![]);
    let ev = collect(&opts(
        ForgeKind::GitHub,
        &srv.base,
        Some("ghp_x"),
        "acme",
        "widget",
    ));
    let f = facts(&ev);
    for name in [
        "branch_protection",
        "org_two_factor_required",
        "collaborators_default_permission",
    ] {
        assert_eq!(f[name]["status"], "forbidden", "{name}");
        assert_eq!(f[name]["value"], Value::Null, "{name}");
        let reason = f[name]["reason"].as_str().unwrap();
        assert!(reason.contains("403"), "{name}: {reason}");
        assert!(reason.contains("the token needs"), "{name}: {reason}");
    }
    assert!(
        f["branch_protection"]["reason"]
            .as_str()
            .unwrap()
            .contains("Administration: read"),
        "{}",
        f["branch_protection"]["reason"]
    );
    for name in [
        "default_branch",
        "repository_visibility",
        "issues_enabled",
        "private_vulnerability_reporting",
        "actions_default_workflow_permissions",
    ] {
        assert_eq!(f[name]["status"], "ok", "{name}");
    }
}

#[test]
fn org_settings_hidden_from_non_owners_are_forbidden() {
    let mut routes = github_routes();
    routes.insert("/orgs/acme".into(), (200, "github/org_member.json"));
    let srv = serve(routes, vec![]);
    let ev = collect(&opts(
        ForgeKind::GitHub,
        &srv.base,
        Some("t"),
        "acme",
        "widget",
    ));
    let two_fa = &ev.facts.org_two_factor_required;
    assert_eq!(two_fa.status, FactStatus::Forbidden);
    assert_eq!(two_fa.value, Value::Null);
    let reason = two_fa.reason.as_deref().unwrap();
    assert!(reason.contains("only to organisation owners"), "{reason}");
    assert_eq!(
        ev.facts.collaborators_default_permission.status,
        FactStatus::Forbidden
    );
}

#[test]
fn not_protected_branch_is_a_value_not_an_error() {
    let mut routes = github_routes();
    routes.insert(
        "/repos/acme/widget/branches/main/protection".into(),
        (404, "github/error_404_not_protected.json"),
    );
    routes.insert(
        "/repos/acme/widget/rules/branches/main".into(),
        (200, "github/rules_branch_empty.json"),
    );
    let srv = serve(routes, vec![]);
    let ev = collect(&opts(
        ForgeKind::GitHub,
        &srv.base,
        Some("t"),
        "acme",
        "widget",
    ));
    let bp = &ev.facts.branch_protection;
    assert_eq!(bp.status, FactStatus::Ok, "{bp:?}");
    assert_eq!(
        bp.value,
        json!({
            "protected": false,
            "sources": [],
            "requires_pull_request": false,
            "required_reviews": 0,
            "dismiss_stale": false,
            "require_code_owner": false,
            "enforce_admins": false,
            "required_status_checks": [],
            "allow_force_pushes": true,
            "allow_deletions": true,
        })
    );
}

#[test]
fn rulesets_alone_protect_the_branch() {
    let mut routes = github_routes();
    routes.insert(
        "/repos/acme/widget/branches/main/protection".into(),
        (404, "github/error_404_not_protected.json"),
    );
    let srv = serve(routes, vec![]);
    let ev = collect(&opts(
        ForgeKind::GitHub,
        &srv.base,
        Some("t"),
        "acme",
        "widget",
    ));
    let v = &ev.facts.branch_protection.value;
    assert_eq!(v["protected"], true);
    assert_eq!(v["sources"], json!(["rulesets"]));
    assert_eq!(v["required_reviews"], 2);
    assert_eq!(v["allow_deletions"], false);
    assert_eq!(v["enforce_admins"], false);
}

#[test]
fn no_token_gives_unauthenticated_reasons() {
    let p = "/repos/acme/widget";
    let needs_auth = vec![
        "/repos/acme/widget/branches/main/protection",
        "/repos/acme/widget/private-vulnerability-reporting",
        "/repos/acme/widget/actions/permissions/workflow",
    ];
    let mut routes = github_routes();
    // Unauthenticated, GitHub hides the owner-only organisation fields.
    routes.insert("/orgs/acme".into(), (200, "github/org_member.json"));
    let srv = serve(routes, needs_auth);
    let ev = collect(&opts(ForgeKind::GitHub, &srv.base, None, "acme", "widget"));
    let f = facts(&ev);
    for name in [
        "branch_protection",
        "private_vulnerability_reporting",
        "actions_default_workflow_permissions",
    ] {
        assert_eq!(f[name]["status"], "forbidden", "{name}");
        let reason = f[name]["reason"].as_str().unwrap();
        assert!(reason.contains("needs authentication"), "{name}: {reason}");
        assert!(reason.contains("401 unauthenticated"), "{name}: {reason}");
    }
    assert_eq!(f["org_two_factor_required"]["status"], "forbidden");
    assert_eq!(f["default_branch"]["status"], "ok");
    assert_eq!(f["repository_visibility"]["status"], "ok");
    assert_eq!(serde_json::to_value(&ev).unwrap()["authenticated"], false);
    let seen = srv.seen.lock().unwrap().clone();
    assert!(seen.iter().all(|s| s.auth.is_none()), "{seen:?}");
    assert!(seen.iter().any(|s| s.path == p));
}

#[test]
fn missing_repository_marks_every_fact_not_found() {
    let srv = serve(Routes::new(), vec![]);
    let ev = collect(&opts(
        ForgeKind::GitHub,
        &srv.base,
        Some("t"),
        "acme",
        "gone",
    ));
    let f = facts(&ev);
    for (name, fact) in f.as_object().unwrap() {
        assert_eq!(fact["status"], "not-found", "{name}");
        assert_eq!(fact["value"], Value::Null, "{name}");
    }
    assert_eq!(srv.seen.lock().unwrap().len(), 1);
}

#[test]
fn unreachable_forge_is_an_error_per_fact() {
    // Bind then drop: nothing listens on the port.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let ev = collect(&opts(ForgeKind::GitHub, &base, Some("t"), "acme", "widget"));
    assert_eq!(ev.facts.default_branch.status, FactStatus::Error);
    assert_eq!(ev.facts.branch_protection.status, FactStatus::Error);
}

#[test]
fn gitlab_project_in_nested_group() {
    let mut r = Routes::new();
    let p = "/projects/acme%2Ftools%2Fwidget";
    r.insert(p.into(), (200, "gitlab/project.json"));
    r.insert(
        format!("{p}/protected_branches/main"),
        (200, "gitlab/protected_branch.json"),
    );
    r.insert(format!("{p}/approvals"), (200, "gitlab/approvals.json"));
    r.insert("/groups/acme%2Ftools".into(), (200, "gitlab/group.json"));
    let srv = serve(r, vec![]);
    let ev = collect(&opts(
        ForgeKind::GitLab,
        &srv.base,
        Some("glpat-x"),
        "acme/tools",
        "widget",
    ));
    let f = facts(&ev);
    assert_eq!(f["default_branch"]["value"], "main");
    assert_eq!(f["repository_visibility"]["value"], "public");
    assert_eq!(f["org_two_factor_required"]["value"], true);
    assert_eq!(f["collaborators_default_permission"]["status"], "ok");
    assert_eq!(f["private_vulnerability_reporting"]["status"], "not-found");
    let bp = &f["branch_protection"];
    assert_eq!(bp["status"], "ok", "{bp}");
    assert_eq!(bp["value"]["requires_pull_request"], true);
    assert_eq!(bp["value"]["required_reviews"], 1);
    assert_eq!(bp["value"]["dismiss_stale"], true);
    assert_eq!(bp["value"]["required_status_checks"], json!(["pipeline"]));
    assert_eq!(bp["value"]["allow_force_pushes"], false);
    assert_eq!(bp["value"]["allow_deletions"], false);
    let seen = srv.seen.lock().unwrap().clone();
    assert!(
        seen.iter().all(|s| s.auth.as_deref() == Some("glpat-x")),
        "{seen:?}"
    );
}

#[test]
fn parses_remotes() {
    let gh = |o: &str, r: &str| Some((ForgeKind::GitHub, o.to_string(), r.to_string()));
    let gl = |o: &str, r: &str| Some((ForgeKind::GitLab, o.to_string(), r.to_string()));
    assert_eq!(
        parse_remote("https://github.com/acme/widget"),
        gh("acme", "widget")
    );
    assert_eq!(
        parse_remote("https://github.com/acme/widget.git"),
        gh("acme", "widget")
    );
    assert_eq!(
        parse_remote("https://github.com/acme/widget/"),
        gh("acme", "widget")
    );
    assert_eq!(
        parse_remote("https://user:tok@github.com/acme/widget.git"),
        gh("acme", "widget")
    );
    assert_eq!(
        parse_remote("git@github.com:acme/widget.git"),
        gh("acme", "widget")
    );
    assert_eq!(
        parse_remote("ssh://git@github.com/acme/widget.git"),
        gh("acme", "widget")
    );
    assert_eq!(
        parse_remote("ssh://git@github.com:22/acme/widget"),
        gh("acme", "widget")
    );
    assert_eq!(
        parse_remote("git://github.com/acme/widget.git"),
        gh("acme", "widget")
    );
    assert_eq!(
        parse_remote("https://gitlab.com/acme/widget.git"),
        gl("acme", "widget")
    );
    assert_eq!(
        parse_remote("git@gitlab.com:acme/tools/widget.git"),
        gl("acme/tools", "widget")
    );
    assert_eq!(
        parse_remote("https://gitlab.example.org/acme/tools/widget/-/tree/main"),
        gl("acme/tools", "widget")
    );
    assert_eq!(parse_remote("https://github.com/acme"), None);
    assert_eq!(
        parse_remote("https://github.com/acme/widget/tree/main"),
        None
    );
    assert_eq!(parse_remote("https://codeberg.org/acme/widget"), None);
    assert_eq!(parse_remote("/srv/git/widget.git"), None);
    assert_eq!(parse_remote("file:///srv/git/widget.git"), None);
    assert_eq!(parse_remote(""), None);
}
