//! The server on loopback over a SQLite store (and PostgreSQL for the load test): tokens,
//! uploads, limits, JSON errors, the pages, and an overview of 1,000 projects.

use std::sync::Arc;
use std::time::Instant;

use annex_assess::Status;
use annex_store::Store;
use annex_store::demo::synthetic_report;

struct Server {
    base: String,
    store: Store,
    rt: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

const TOKEN_BYTES: [u8; 32] = [42; 32];

fn token() -> String {
    annex_store::tokens::token_from_bytes(&TOKEN_BYTES)
}

fn start(private: bool, max_body: usize) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fleet.db").display().to_string();
    start_on(&path, dir, private, max_body)
}

/// A server over the store `value` (a path or URL); `dir` lives as long as the server.
fn start_on(value: &str, dir: tempfile::TempDir, private: bool, max_body: usize) -> Server {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (store, listener) = rt.block_on(async {
        let store = Store::open(value).await.unwrap();
        store.add_token("test", &token(), 1).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        (store, listener)
    });
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = annex_server::ServerConfig {
        store: store.clone(),
        private,
        max_body,
        clock: Arc::new(|| 1_800_000_000_000),
    };
    rt.spawn(annex_server::serve(
        listener,
        config,
        std::future::pending(),
    ));
    Server {
        base,
        store,
        rt,
        _dir: dir,
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .into()
}

/// Status and body of a request.
fn call(method: &str, url: &str, token: Option<&str>, body: Option<&str>) -> (u16, String) {
    let a = agent();
    let mut resp = match (method, body) {
        ("GET", _) => {
            let mut r = a.get(url);
            if let Some(t) = token {
                r = r.header("authorization", format!("Bearer {t}"));
            }
            r.call().unwrap()
        }
        (_, b) => {
            let mut r = a.post(url).header("content-type", "application/json");
            if let Some(t) = token {
                r = r.header("authorization", format!("Bearer {t}"));
            }
            r.send(b.unwrap_or("").to_string()).unwrap()
        }
    };
    let status = resp.status().as_u16();
    let text = resp
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .unwrap();
    (status, text)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

const PROJECT: &str =
    r#"{"name":"alpha","location":"https://example.org/alpha.git","tags":["web"]}"#;

#[test]
fn writes_need_a_valid_token_and_errors_are_json() {
    let s = start(false, 1024 * 1024);
    let url = format!("{}/api/projects", s.base);
    for t in [None, Some("annex_wrong"), Some("")] {
        let (status, body) = call("POST", &url, t, Some(PROJECT));
        assert_eq!(status, 401, "{t:?}: {body}");
        assert!(json(&body)["error"].as_str().unwrap().contains("token"));
    }
    let upload = format!("{}/api/projects/alpha/runs", s.base);
    assert_eq!(call("POST", &upload, None, Some("{}")).0, 401);
    let enqueue = format!("{}/api/projects/alpha/enqueue", s.base);
    assert_eq!(call("POST", &enqueue, None, None).0, 401);
    let (status, body) = call("POST", &url, Some(&token()), Some(PROJECT));
    assert_eq!(status, 201, "{body}");
    assert_eq!(json(&body)["name"], "alpha");
    // Queued for a worker.
    let (status, body) = call("POST", &enqueue, Some(&token()), None);
    assert_eq!(status, 202, "{body}");
    assert!(json(&body)["job_id"].as_i64().unwrap() > 0);
    let counts = s.rt.block_on(s.store.queue_counts()).unwrap();
    assert_eq!(counts.queued, 1);
    // The same name again: a conflict, said in JSON.
    let (status, body) = call("POST", &url, Some(&token()), Some(PROJECT));
    assert_eq!(status, 409);
    assert!(json(&body)["error"].as_str().unwrap().contains("already"));
    // Malformed and invalid bodies.
    let (status, body) = call("POST", &url, Some(&token()), Some("{not json"));
    assert_eq!(status, 400);
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .starts_with("invalid JSON")
    );
    let bad = r#"{"name":"../x","location":"/x"}"#;
    assert_eq!(call("POST", &url, Some(&token()), Some(bad)).0, 422);
    let (status, body) = call("GET", &format!("{}/api/nothing", s.base), None, None);
    assert_eq!(status, 404);
    assert!(json(&body)["error"].is_string());
    // Reads are public by default.
    assert_eq!(
        call("GET", &format!("{}/api/overview", s.base), None, None).0,
        200
    );
}

#[test]
fn bodies_over_the_limit_are_refused() {
    let s = start(false, 2048);
    let url = format!("{}/api/projects", s.base);
    let big = format!(r#"{{"name":"alpha","location":"{}"}}"#, "x".repeat(4096));
    let (status, body) = call("POST", &url, Some(&token()), Some(&big));
    assert_eq!(status, 413, "{body}");
    assert!(json(&body)["error"].is_string());
    // Under the limit it goes through.
    assert_eq!(call("POST", &url, Some(&token()), Some(PROJECT)).0, 201);
}

#[test]
fn a_private_server_needs_a_token_to_read() {
    let s = start(true, 1024 * 1024);
    for path in ["/", "/api/overview", "/api/openapi.json"] {
        let url = format!("{}{path}", s.base);
        assert_eq!(call("GET", &url, None, None).0, 401, "{path}");
        assert_eq!(call("GET", &url, Some(&token()), None).0, 200, "{path}");
    }
}

/// Add project alpha through the API.
fn add_alpha(s: &Server) {
    let url = format!("{}/api/projects", s.base);
    assert_eq!(call("POST", &url, Some(&token()), Some(PROJECT)).0, 201);
}

#[test]
fn an_upload_round_trips_to_the_api_and_the_pages() {
    let s = start(false, 1024 * 1024);
    let t = token();
    add_alpha(&s);
    let mut report = synthetic_report(
        &[
            ("R-1", Status::Fail),
            ("R-2", Status::Pass),
            ("R-3", Status::Unknown),
        ],
        &[("GHSA-open", "critical", false), ("GHSA-vex", "high", true)],
    );
    report.results[0].reason = "<script>alert(1)</script> missing".into();
    let body = serde_json::to_string(&report).unwrap();
    let upload = format!("{}/api/projects/alpha/runs", s.base);
    let (status, answer) = call("POST", &upload, Some(&t), Some(&body));
    assert_eq!(status, 201, "{answer}");
    assert!(json(&answer)["run_id"].as_i64().unwrap() > 0);
    // Unknown project, wrong schema.
    let other = format!("{}/api/projects/nope/runs", s.base);
    assert_eq!(call("POST", &other, Some(&t), Some(&body)).0, 404);
    let mut wrong = report.clone();
    wrong.schema = "annex/run/v0".into();
    let wrong = serde_json::to_string(&wrong).unwrap();
    assert_eq!(call("POST", &upload, Some(&t), Some(&wrong)).0, 422);

    let (status, text) = call("GET", &format!("{}/api/projects/alpha", s.base), None, None);
    assert_eq!(status, 200);
    let v = json(&text);
    assert_eq!(v["latest"]["run"]["summary"]["fail"], 1);
    assert_eq!(v["latest"]["run"]["started_at"], 1_800_000_000);
    assert_eq!(
        v["latest"]["results"][0]["reason"],
        report.results[0].reason
    );
    assert_eq!(v["history"].as_array().unwrap().len(), 1);

    let (_, overview) = call(
        "GET",
        &format!("{}/api/overview?status=failing", s.base),
        None,
        None,
    );
    let rows = json(&overview);
    assert_eq!(rows[0]["findings"]["critical"], 1);
    assert!(
        rows[0]["findings"].get("high").is_none(),
        "VEX-suppressed is not open"
    );
    let (_, none) = call(
        "GET",
        &format!("{}/api/overview?status=passing", s.base),
        None,
        None,
    );
    assert_eq!(json(&none).as_array().unwrap().len(), 0);

    let (status, html) = call("GET", &format!("{}/projects/alpha", s.base), None, None);
    assert_eq!(status, 200);
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped"
    );
    assert!(!html.contains("<script>"), "no script on the page");
    assert!(html.contains("<svg class=\"history\""));
    assert!(html.contains("GHSA-open"));
    let (status, html) = call("GET", &format!("{}/requirements/R-1", s.base), None, None);
    assert_eq!(status, 200);
    assert!(html.contains("st-fail") && html.contains("/projects/alpha"));
    let (status, html) = call("GET", &format!("{}/cra/CRA-B", s.base), None, None);
    assert_eq!(status, 200);
    assert!(html.contains("not-covered"));
    assert_eq!(
        call("GET", &format!("{}/cra/NOPE", s.base), None, None).0,
        404
    );
    let (status, spec) = call("GET", &format!("{}/api/openapi.json", s.base), None, None);
    assert_eq!(status, 200);
    let spec = json(&spec);
    for path in [
        "/api/overview",
        "/api/projects/{name}/runs",
        "/api/cra/{id}",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path}");
    }
}

/// A report of 12 requirements, every third failing, with one open finding.
fn template() -> annex_core::fleet::RunReport {
    let ids: Vec<String> = (0..12).map(|i| format!("R-{i:02}")).collect();
    let statuses: Vec<(&str, Status)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let st = if i % 3 == 0 {
                Status::Fail
            } else {
                Status::Pass
            };
            (id.as_str(), st)
        })
        .collect();
    synthetic_report(&statuses, &[("GHSA-1", "high", false)])
}

#[test]
fn an_overview_of_1000_projects_renders() {
    let s = start(false, 1024 * 1024);
    let template = template();
    let seeded = Instant::now();
    s.rt.block_on(annex_store::demo::seed_copies(
        &s.store,
        &template,
        1000,
        2,
        1_800_000_000,
    ))
    .unwrap();
    eprintln!("seeded 1000 projects x 2 runs in {:?}", seeded.elapsed());
    let mut times = Vec::new();
    let mut html = String::new();
    for _ in 0..5 {
        let t = Instant::now();
        let (status, body) = call(
            "GET",
            &format!("{}/?sort=fail&order=desc", s.base),
            None,
            None,
        );
        times.push(t.elapsed());
        assert_eq!(status, 200);
        html = body;
    }
    times.sort();
    eprintln!(
        "overview of 1000 projects: median {:?}, max {:?}",
        times[2], times[4]
    );
    assert_eq!(html.matches("<tr data-project=").count(), 1000);
    assert!(html.contains("<b id=\"count-projects\">1000</b>"));
    // Filtered by tag: a third of them.
    let (_, body) = call("GET", &format!("{}/?tag=alpha", s.base), None, None);
    assert_eq!(body.matches("<tr data-project=").count(), 334);
}

#[test]
fn concurrent_uploads_are_all_stored_once() {
    uploads_under_load(start(false, 1024 * 1024));
}

#[test]
fn concurrent_uploads_on_postgres_are_all_stored_once() {
    let pgdir = tempfile::tempdir().unwrap();
    let pg = match annex_testkit::postgres::Postgres::start(pgdir.path()) {
        Ok(pg) => pg,
        Err(why) => {
            eprintln!("skipped: load test on PostgreSQL: {why}");
            return;
        }
    };
    pg.create_db("load");
    let s = start_on(
        &pg.url("load"),
        tempfile::tempdir().unwrap(),
        false,
        1024 * 1024,
    );
    uploads_under_load(s);
    drop(pg);
}

/// 50 clients × 20 uploads: no 5xx, none lost or stored twice; writes without a token 401.
fn uploads_under_load(s: Server) {
    let t = token();
    add_alpha(&s);
    let body = serde_json::to_string(&synthetic_report(
        &[("R-1", Status::Fail), ("R-2", Status::Pass)],
        &[("GHSA-x", "low", false)],
    ))
    .unwrap();
    let url = format!("{}/api/projects/alpha/runs", s.base);
    let (clients, each) = (50, 20);
    let started = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|i| {
            let (url, body, t) = (url.clone(), body.clone(), t.clone());
            std::thread::spawn(move || {
                let mut ids = Vec::new();
                for j in 0..each {
                    // Every fifth client also tries without a token: always 401.
                    if i % 5 == 0 && j % 4 == 0 {
                        assert_eq!(call("POST", &url, None, Some(&body)).0, 401);
                    }
                    let (status, answer) = call("POST", &url, Some(&t), Some(&body));
                    assert_eq!(status, 201, "{answer}");
                    ids.push(json(&answer)["run_id"].as_i64().unwrap());
                }
                ids
            })
        })
        .collect();
    let mut ids: Vec<i64> = threads
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    eprintln!(
        "{} uploads from {clients} clients in {:?}",
        ids.len(),
        started.elapsed()
    );
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), clients * each, "no run lost or given twice");
    let stored = s.rt.block_on(s.store.history("alpha", 10_000)).unwrap();
    assert_eq!(stored.len(), clients * each);
}

/// `scripts/bench-fleet`: the overview's latency over BENCH_PROJECTS × BENCH_RUNS.
#[test]
#[ignore = "benchmark: scripts/bench-fleet"]
fn bench_overview() {
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (projects, runs) = (env("BENCH_PROJECTS", 1000), env("BENCH_RUNS", 100));
    let s = start(false, 1024 * 1024);
    let template = template();
    let t = Instant::now();
    s.rt.block_on(annex_store::demo::seed_copies(
        &s.store,
        &template,
        projects,
        runs,
        1_800_000_000,
    ))
    .unwrap();
    eprintln!(
        "seeded {projects} projects x {runs} runs in {:?}",
        t.elapsed()
    );
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let (status, _) = call("GET", &format!("{}/", s.base), None, None);
        times.push(t.elapsed());
        assert_eq!(status, 200);
    }
    times.sort();
    eprintln!(
        "overview: median {:?}, p95 {:?} ({} requests)",
        times[times.len() / 2],
        times[times.len() * 95 / 100],
        times.len()
    );
}
