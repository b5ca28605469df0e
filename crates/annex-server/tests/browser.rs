//! Each page of a seeded fleet in headless Chromium through chromedriver (WebDriver):
//! assertions on the DOM, screenshots under target/tmp. Skipped, with the reason printed,
//! when chromium or chromedriver is not installed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use annex_assess::Status;
use annex_core::{AssessRequest, ProjectOptions, VulnSource};
use annex_store::Store;
use annex_store::fleet::ScanOptions;
use fantoccini::{ClientBuilder, Locator};

fn which(names: &[&str]) -> Option<PathBuf> {
    names.iter().find_map(|n| {
        let out = Command::new("sh")
            .args(["-c", &format!("command -v {n}")])
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
    })
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real scan of the demo checkouts (two rounds, so there is a trend), and one made-up
/// project with findings.
async fn seed(store: &Store, dir: &Path) {
    use annex_store::demo;
    for p in demo::demo_projects(dir) {
        store.add_project(&p, 1_800_000_000).await.unwrap();
    }
    let opts = ScanOptions {
        jobs: 2,
        cache: dir.join("cache"),
        project: ProjectOptions {
            threads: 1,
            now: 1_800_000_000,
            ..ProjectOptions::default()
        },
        request: AssessRequest {
            profile: None,
            default_profile: "osps-l1".into(),
            level: None,
            spec: vec![],
            vulns: VulnSource::Off,
            forge: None,
            today: chrono::NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(),
        },
        annex_version: "0.1.0".into(),
        clock: Arc::new(|| 1_800_000_000_000),
    };
    let projects = store.projects(Some("demo")).await.unwrap();
    for round in 0..2 {
        for i in 0..demo::DEMO_PROJECTS.len() {
            demo::write_demo_checkout(dir, i, demo::demo_stage(i, round)).unwrap();
        }
        let summary = store.scan(projects.clone(), &opts, |_| {}).await.unwrap();
        assert_eq!(summary.failures().count(), 0, "{summary:?}");
    }
    let p = store
        .add_project(
            &annex_store::NewProject {
                name: "vulnerable".into(),
                location: "https://example.org/vulnerable.git".into(),
                profile: None,
                tags: vec!["web".into()],
            },
            1,
        )
        .await
        .unwrap();
    let r = annex_store::demo::synthetic_report(
        &[
            ("OSPS-VM-05.02", Status::Fail),
            ("OSPS-DO-02.01", Status::Pass),
        ],
        &[
            ("GHSA-demo-crit", "critical", false),
            ("GHSA-demo-vex", "high", true),
        ],
    );
    store
        .save_run(p.id, 1_800_000_000, "0.1.0", annex_store::Outcome::Ok(&r))
        .await
        .unwrap();
}

async fn text(c: &fantoccini::Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn count(c: &fantoccini::Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.unwrap().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_renders_in_chromium() {
    let (Some(chromium), Some(chromedriver)) = (
        which(&["chromium", "chromium-browser"]),
        which(&["chromedriver"]),
    ) else {
        eprintln!(
            "skipped: browser test: chromium and chromedriver are needed (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fleet-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("fleet.db").display().to_string())
        .await
        .unwrap();
    seed(&store, &dir.path().join("repos")).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = annex_server::ServerConfig {
        store: store.clone(),
        private: false,
        max_body: annex_server::DEFAULT_MAX_BODY,
        clock: Arc::new(|| 1_800_000_000_000),
    };
    tokio::spawn(annex_server::serve(
        listener,
        config,
        std::future::pending(),
    ));

    let port = free_port();
    let _driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let mut client = None;
    for _ in 0..50 {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let c = client.expect("chromedriver did not answer");

    let shot = |name: &'static str| {
        let c = c.clone();
        let path = shots.join(format!("{name}.png"));
        async move {
            let png = c.screenshot().await.unwrap();
            std::fs::write(&path, png).unwrap();
            eprintln!("screenshot: {}", path.display());
        }
    };

    // Overview: every project, counts, sparklines; sorting by a header link.
    c.goto(&format!("{base}/")).await.unwrap();
    assert_eq!(count(&c, "#projects tbody tr").await, 7);
    assert_eq!(text(&c, "#count-projects").await, "7");
    assert!(count(&c, "svg.spark polyline").await > 0);
    // The demo runs had no advisory database: said, not shown as zero findings.
    assert_eq!(
        text(&c, "#findings-unchecked").await,
        "6 projects not checked (no advisory database)"
    );
    shot("overview").await;
    c.find(Locator::LinkText("fail"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("sort=fail")
    );
    // The filter form works without script: a GET.
    c.goto(&format!("{base}/?tag=crypto")).await.unwrap();
    let mut names = Vec::new();
    for e in c
        .find_all(Locator::Css("#projects tbody tr"))
        .await
        .unwrap()
    {
        names.push(e.attr("data-project").await.unwrap().unwrap_or_default());
    }
    assert_eq!(names, ["basalt", "ember"]);

    // Project page: results with reasons, the history chart, the CRA rollup.
    c.goto(&format!("{base}/projects/aurora")).await.unwrap();
    assert_eq!(text(&c, "h1").await, "aurora");
    assert!(count(&c, "#results tbody tr").await > 5);
    assert_eq!(count(&c, "svg.history polyline.pass").await, 1);
    assert_eq!(count(&c, "#runs tbody tr").await, 2);
    assert!(count(&c, "#cra tbody tr").await > 0);
    let unchecked = text(&c, "#vulns-unchecked").await;
    assert!(unchecked.contains("no advisory database"), "{unchecked}");
    shot("project").await;

    // A requirement, then a CRA item, across the fleet, each reached by its link.
    for (link, table, page) in [
        (
            "#results tbody tr td a",
            "#requirement-projects tbody tr",
            "requirement",
        ),
        ("#cra tbody tr td a", "#cra-projects tbody tr", "cra-item"),
    ] {
        c.goto(&format!("{base}/projects/aurora")).await.unwrap();
        let a = c.find(Locator::Css(link)).await.unwrap();
        let id = a.text().await.unwrap();
        a.click().await.unwrap();
        assert_eq!(text(&c, "h1").await, id);
        assert_eq!(count(&c, table).await, 6, "every demo project has {id}");
        shot(page).await;
    }

    // Findings with VEX status.
    c.goto(&format!("{base}/projects/vulnerable"))
        .await
        .unwrap();
    let findings = text(&c, "#findings").await;
    assert!(findings.contains("GHSA-demo-crit") && findings.contains("not_affected"));
    shot("project-findings").await;

    c.close().await.unwrap();
}
