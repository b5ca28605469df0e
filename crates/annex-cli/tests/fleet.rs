//! `annex fleet` end to end: local checkouts and a local bare repository cloned by URL, one
//! broken project that must not stop the others, history, import, and `annex check
//! --upload` to `annex serve` on loopback.

mod common;

use std::path::Path;

use annex_testkit::{git, write};
use common::annex;

fn checkout(root: &Path, security: bool) {
    write(root, "README.md", "# x\n");
    write(
        root,
        "LICENSE",
        "Apache License\nVersion 2.0, January 2004\n",
    );
    if security {
        write(
            root,
            "SECURITY.md",
            "# Security\n\nReport privately to security@example.org.\n",
        );
    }
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

/// `annex fleet history NAME --format json`.
fn history(store: &str, name: &str) -> serde_json::Value {
    let out = annex()
        .args([
            "fleet", "history", name, "--store", store, "--format", "json",
        ])
        .output()
        .unwrap();
    json(&out.stdout)
}

#[test]
fn a_fleet_scan_stores_every_project_and_survives_a_broken_one() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("state/fleet.db");
    let store = store.to_str().unwrap();
    let (a, b) = (tmp.path().join("alpha"), tmp.path().join("beta"));
    checkout(&a, true);
    checkout(&b, false);
    // A repository reached by URL: a bare repository with one commit.
    let src = tmp.path().join("src-gamma");
    checkout(&src, true);
    git(&src, &["init", "-q"]);
    git(&src, &["add", "."]);
    git(&src, &["commit", "-q", "-m", "init"]);
    let bare = tmp.path().join("gamma.git");
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            "--bare",
            src.to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
    );
    let head = git(&src, &["rev-parse", "HEAD"]);
    let url = format!("file://{}", bare.display());
    let missing = format!("file://{}/missing.git", tmp.path().display());

    annex()
        .args(["fleet", "add", "--store", store, "--tag", "local"])
        .arg(&a)
        .arg(&b)
        .assert()
        .success();
    annex()
        .args([
            "fleet", "add", "--store", store, "--tag", "remote", &url, &missing,
        ])
        .assert()
        .success();
    // A name taken twice is refused, the rest of the store untouched.
    annex()
        .args(["fleet", "add", "--store", store])
        .arg(&a)
        .assert()
        .code(2);
    let list = annex()
        .args(["fleet", "list", "--store", store, "--format", "json"])
        .output()
        .unwrap();
    let list = json(&list.stdout);
    assert_eq!(list.as_array().unwrap().len(), 4);

    let cache = tmp.path().join("cache");
    let scan = annex()
        .args([
            "fleet",
            "scan",
            "--store",
            store,
            "--jobs",
            "2",
            "--no-vulns",
            "--cache",
        ])
        .arg(&cache)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&scan.stderr);
    assert_eq!(scan.status.code(), Some(1), "one project failed: {stderr}");
    assert!(stderr.contains("scanned 4 projects, 1 failed"), "{stderr}");
    assert!(stderr.contains("missing: git clone"), "{stderr}");

    let status = annex()
        .args(["fleet", "status", "--store", store, "--format", "json"])
        .output()
        .unwrap();
    let rows = json(&status.stdout);
    let by_name = |n: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["project"]["name"] == n)
            .unwrap()
            .clone()
    };
    let alpha = by_name("alpha");
    let beta = by_name("beta");
    assert_eq!(alpha["last_run"]["outcome"], "ok");
    // The same assessment as `annex check`: SECURITY.md makes a difference.
    assert!(
        alpha["last_run"]["summary"]["pass"].as_u64()
            > beta["last_run"]["summary"]["pass"].as_u64()
    );
    assert!(
        alpha["last_run"]["vulns_unchecked"].is_string(),
        "no database: said, not hidden"
    );
    let gamma = by_name("gamma");
    assert_eq!(gamma["last_run"]["commit"], head.as_str());
    assert_eq!(by_name("missing")["last_run"]["outcome"], "error");

    // Only one tag, a second run: history grows, the clone is fetched not re-cloned.
    annex()
        .args([
            "fleet",
            "scan",
            "--store",
            store,
            "--no-vulns",
            "--only",
            "remote",
            "--cache",
        ])
        .arg(&cache)
        .assert()
        .code(1);
    let hist = history(store, "gamma");
    assert_eq!(hist.as_array().unwrap().len(), 2);
    let hist = history(store, "alpha");
    assert_eq!(hist.as_array().unwrap().len(), 1, "--only left alpha alone");
    let text = annex()
        .args(["fleet", "history", "gamma", "--store", store])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains(&head[..12]));

    // Retention.
    annex()
        .args(["fleet", "prune", "--keep", "1", "--store", store])
        .assert()
        .success();
    let hist = history(store, "gamma");
    assert_eq!(hist.as_array().unwrap().len(), 1);
}

#[test]
fn import_reads_csv_and_yaml_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("fleet.db");
    let store = store.to_str().unwrap();
    write(
        tmp.path(),
        "list.csv",
        "name,location,profile,tags\nkafka,https://example.org/kafka.git,osps-l2,apache;jvm\n",
    );
    write(
        tmp.path(),
        "list.yaml",
        "projects:\n  - location: repos/tomcat\n    tags: [apache]\n",
    );
    annex()
        .args(["fleet", "import", "--store", store])
        .arg(tmp.path().join("list.csv"))
        .assert()
        .success();
    annex()
        .args(["fleet", "import", "--store", store])
        .arg(tmp.path().join("list.yaml"))
        .assert()
        .success();
    let list = annex()
        .args(["fleet", "list", "--store", store, "--format", "json"])
        .output()
        .unwrap();
    let list = json(&list.stdout);
    assert_eq!(list[0]["name"], "kafka");
    assert_eq!(list[0]["profile"], "osps-l2");
    assert_eq!(list[0]["tags"], serde_json::json!(["apache", "jvm"]));
    assert_eq!(list[1]["name"], "tomcat");
    assert!(
        list[1]["location"]
            .as_str()
            .unwrap()
            .ends_with("repos/tomcat")
    );
    // A list without locations is bad input.
    write(tmp.path(), "bad.csv", "name\nx\n");
    annex()
        .args(["fleet", "import", "--store", store])
        .arg(tmp.path().join("bad.csv"))
        .assert()
        .code(2);
}

/// Kills the server on drop.
struct Serve(std::process::Child);
impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn check_uploads_to_the_fleet_server() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("fleet.db");
    let store = store.to_str().unwrap();
    let proj = tmp.path().join("delta");
    checkout(&proj, true);
    annex()
        .args(["fleet", "add", "--store", store])
        .arg(&proj)
        .assert()
        .success();
    let token = annex()
        .args(["serve", "token", "create", "--name", "ci", "--store", store])
        .output()
        .unwrap();
    assert!(token.status.success());
    let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("annex_") && token.len() > 40);

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bin = assert_cmd::cargo::cargo_bin("annex");
    let _server = Serve(
        std::process::Command::new(bin)
            .args([
                "serve",
                "--store",
                store,
                "--bind",
                &format!("127.0.0.1:{port}"),
            ])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let url = format!("http://127.0.0.1:{port}");
    // Wait for the listener.
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // Without a token: refused, and said why.
    let out = annex()
        .args([
            "check",
            "--no-vulns",
            "--fail-on",
            "never",
            "--upload",
            &url,
        ])
        .arg(&proj)
        .env_remove("ANNEX_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ANNEX_TOKEN"));
    let out = annex()
        .args([
            "check",
            "--no-vulns",
            "--fail-on",
            "never",
            "--upload",
            &url,
            "--token-env",
            "MY_TOKEN",
        ])
        .arg(&proj)
        .env("MY_TOKEN", "annex_wrong_token_wrong_token_wrong_token")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("HTTP 401"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = annex()
        .args([
            "check",
            "--no-vulns",
            "--fail-on",
            "never",
            "--upload",
            &url,
        ])
        .arg(&proj)
        .env("ANNEX_TOKEN", &token)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let runs = history(store, "delta");
    assert_eq!(runs.as_array().unwrap().len(), 1);
    assert_eq!(runs[0]["outcome"], "ok");
    assert_eq!(runs[0]["profile"], "osps-l1");
}

#[test]
fn workers_share_a_queue_and_take_over_a_dead_ones_job() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("fleet.db");
    let store = store.to_str().unwrap();
    let mut dirs = Vec::new();
    for i in 0..6 {
        let d = tmp.path().join(format!("p{i}"));
        checkout(&d, i % 2 == 0);
        dirs.push(d);
    }
    enqueue(store, &dirs);
    // A worker that claimed a job and died (kill -9): it holds the job for one second.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dead = rt.block_on(async {
        let s = annex_store::Store::open(store).await.unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let job = s.claim("dead", now, 1).await.unwrap().unwrap();
        s.close().await;
        job
    });
    std::thread::sleep(std::time::Duration::from_millis(2100));
    // Two workers on one queue, at once.
    let bin = assert_cmd::cargo::cargo_bin("annex");
    let spawn = |name: &str| {
        std::process::Command::new(&bin)
            .args([
                "worker",
                "--once",
                "--no-vulns",
                "--name",
                name,
                "--store",
                store,
            ])
            .env("XDG_CACHE_HOME", tmp.path().join("cache"))
            .output()
    };
    let (a, b) = std::thread::scope(|sc| {
        let a = sc.spawn(|| spawn("w1").unwrap());
        let b = sc.spawn(|| spawn("w2").unwrap());
        (a.join().unwrap(), b.join().unwrap())
    });
    for o in [&a, &b] {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // Every project assessed exactly once, the dead worker's one included.
    for i in 0..6 {
        let runs = history(store, &format!("p{i}"));
        assert_eq!(runs.as_array().unwrap().len(), 1, "p{i}");
    }
    let counts = rt.block_on(async {
        let s = annex_store::Store::open(store).await.unwrap();
        // The dead worker, back from the grave, may not store its result any more.
        let late = s.complete(
            &dead,
            "dead",
            0,
            "0.1.0",
            annex_store::Outcome::Error {
                message: "late",
                profile: "osps-l1",
            },
        );
        assert_eq!(late.await.unwrap(), None);
        s.queue_counts().await.unwrap()
    });
    assert_eq!(
        (counts.done, counts.queued, counts.running, counts.failed),
        (6, 0, 0, 0)
    );
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    assert_eq!(log.matches(": pass ").count(), 6, "{log}");
}

/// Add the checkouts `dirs` to the fleet and queue a job for each.
fn enqueue(store: &str, dirs: &[std::path::PathBuf]) {
    annex()
        .args(["fleet", "add", "--store", store])
        .args(dirs)
        .assert()
        .success();
    annex()
        .args(["fleet", "scan", "--enqueue", "--store", store])
        .assert()
        .success();
}

/// The store's job counts, read through the library.
fn counts(store: &str) -> annex_store::queue::QueueCounts {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let s = annex_store::Store::open(store).await.unwrap();
        let c = s.queue_counts().await.unwrap();
        s.close().await;
        c
    })
}

#[test]
fn a_worker_killed_mid_job_is_taken_over_on_postgres() {
    let pgdir = tempfile::tempdir().unwrap();
    let pg = match annex_testkit::postgres::Postgres::start(pgdir.path()) {
        Ok(pg) => pg,
        Err(why) => {
            eprintln!("skipped: kill -9 test on PostgreSQL: {why}");
            return;
        }
    };
    pg.create_db("fleet");
    let url = pg.url("fleet");
    let store = url.as_str();
    let tmp = tempfile::tempdir().unwrap();
    // The first job is slow (many files), so the worker is killed in the middle of it.
    let big = tmp.path().join("big");
    checkout(&big, true);
    for i in 0..6000 {
        write(&big, &format!("src/m{}/f{i}.txt", i % 60), "x\n");
    }
    let mut dirs = vec![big];
    for i in 0..4 {
        let d = tmp.path().join(format!("p{i}"));
        checkout(&d, true);
        dirs.push(d);
    }
    enqueue(store, &dirs);
    let bin = assert_cmd::cargo::cargo_bin("annex");
    let worker = |name: &str, once: bool| {
        let mut c = std::process::Command::new(&bin);
        c.args([
            "worker",
            "--no-vulns",
            "--lease",
            "3",
            "--name",
            name,
            "--store",
            store,
        ])
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
        if once {
            c.arg("--once");
        }
        c
    };
    let mut a = worker("a", false).spawn().unwrap();
    let mut seen = false;
    for _ in 0..400 {
        if counts(store).running == 1 {
            seen = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert!(seen, "worker a never claimed a job");
    a.kill().unwrap(); // SIGKILL: no cleanup, no release
    a.wait().unwrap();
    let after = counts(store);
    assert_eq!(after.running, 1, "a died holding its job: {after:?}");
    // Past the lease, two workers share the rest and take the dead one's job over.
    std::thread::sleep(std::time::Duration::from_millis(4000));
    let (b, c) = std::thread::scope(|sc| {
        let b = sc.spawn(|| worker("b", true).output().unwrap());
        let c = sc.spawn(|| worker("c", true).output().unwrap());
        (b.join().unwrap(), c.join().unwrap())
    });
    for o in [&b, &c] {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let end = counts(store);
    assert_eq!(
        (end.done, end.running, end.queued, end.failed),
        (5, 0, 0, 0),
        "{end:?}"
    );
    for name in ["big", "p0", "p1", "p2", "p3"] {
        assert_eq!(
            history(store, name).as_array().unwrap().len(),
            1,
            "{name}: exactly once"
        );
    }
}

/// The README's one command: `annex serve --demo` seeds a demo fleet, serves the overview with
/// its projects, and on Ctrl-C (SIGINT) stops and removes its temporary store and checkouts.
#[cfg(unix)]
#[test]
fn serve_demo_serves_a_populated_overview_and_cleans_up_on_ctrl_c() {
    use std::io::{BufRead, BufReader, Read, Write};
    let bin = assert_cmd::cargo::cargo_bin("annex");
    let mut child = std::process::Command::new(bin)
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .env(
            "XDG_DATA_HOME",
            std::env::temp_dir().join("annex-tests-no-data"),
        )
        .env(
            "XDG_CACHE_HOME",
            std::env::temp_dir().join("annex-tests-no-cache"),
        )
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let banner = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.contains("dashboard on http://"))
        .expect("the server says where it listens");
    let addr = banner
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    let store = banner
        .split("(store ")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .unwrap()
        .to_string();
    let demo_dir = Path::new(&store).parent().unwrap().to_path_buf();
    assert!(demo_dir.is_dir(), "{store}");
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    assert!(
        page.starts_with("HTTP/1.1 200"),
        "{}",
        &page[..page.len().min(200)]
    );
    for name in ["aurora", "basalt", "cirrus"] {
        assert!(page.contains(name), "{name} not on the overview");
    }
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(!demo_dir.exists(), "{} left behind", demo_dir.display());
}
