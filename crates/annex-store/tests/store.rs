//! The same store tests on SQLite and on PostgreSQL (a throwaway cluster started here with
//! Debian's initdb/pg_ctl on a free loopback port, stopped at the end; skipped with the
//! reason printed when PostgreSQL is not installed).

use annex_assess::Status;
use annex_store::{NewProject, Outcome, Store, StoreError};
use annex_testkit::postgres::Postgres;

use annex_store::demo::synthetic_report as report;

fn new(name: &str, tags: &[&str]) -> NewProject {
    NewProject {
        name: name.into(),
        location: format!("/srv/{name}"),
        profile: None,
        tags: tags.iter().map(|t| (*t).to_string()).collect(),
    }
}

/// Projects: add, duplicates refused, validation, tag filter.
async fn projects(store: &Store) {
    let a = store
        .add_project(&new("alpha", &["web", "apache"]), 100)
        .await
        .unwrap();
    store
        .add_project(&new("beta", &["tools"]), 100)
        .await
        .unwrap();
    assert_eq!(a.tags, ["apache", "web"]);
    assert!(matches!(
        store.add_project(&new("alpha", &[]), 1).await,
        Err(StoreError::Duplicate(_))
    ));
    assert!(matches!(
        store.add_project(&new("../etc", &[]), 1).await,
        Err(StoreError::Invalid { .. })
    ));
    let web: Vec<_> = store.projects(Some("web")).await.unwrap();
    assert_eq!(web.len(), 1);
    assert_eq!(web[0].name, "alpha");
    // "we" is not a tag: the filter matches whole tags only.
    assert!(store.projects(Some("we")).await.unwrap().is_empty());
    assert_eq!(store.projects(None).await.unwrap().len(), 2);
}

/// Runs round trip; the latest is what the views show; history keeps every run.
async fn runs_and_views(store: &Store) {
    let a = store
        .add_project(&new("alpha", &["web"]), 100)
        .await
        .unwrap();
    let b = store.add_project(&new("beta", &[]), 100).await.unwrap();
    let first = report(&[("R-1", Status::Fail), ("R-2", Status::Pass)], &[]);
    let second = report(
        &[("R-1", Status::Pass), ("R-2", Status::Pass)],
        &[("GHSA-x", "critical", false), ("GHSA-y", "high", true)],
    );
    store
        .save_run(a.id, 1000, "0.1.0", Outcome::Ok(&first))
        .await
        .unwrap();
    let latest = store
        .save_run(a.id, 2000, "0.1.0", Outcome::Ok(&second))
        .await
        .unwrap();
    store
        .save_run(
            b.id,
            1500,
            "0.1.0",
            Outcome::Error {
                message: "git clone failed: no such repo",
                profile: "osps-l1",
            },
        )
        .await
        .unwrap();

    let detail = store.run_detail(latest).await.unwrap().unwrap();
    assert_eq!(detail.run.summary, second.summary);
    assert_eq!(detail.run.commit.as_deref(), Some("0123456789abcdef"));
    assert_eq!(detail.run.catalogs, second.catalogs);
    assert_eq!(detail.run.sbom, second.sbom);
    // Typed values back, as they went in.
    assert_eq!(detail.results, second.results);
    assert_eq!(detail.findings, second.findings);
    assert_eq!(detail.cra, second.cra);
    assert!(
        detail
            .findings
            .iter()
            .any(|f| f.suppressed && f.vex.as_deref() == Some("not_affected"))
    );

    let history = store.history("alpha", 10).await.unwrap();
    assert_eq!(
        history.iter().map(|r| r.started_at).collect::<Vec<_>>(),
        [2000, 1000]
    );
    assert!(matches!(
        store.history("nope", 10).await,
        Err(StoreError::NoProject(_))
    ));

    let overview = store.overview().await.unwrap();
    let alpha = overview.iter().find(|r| r.project.name == "alpha").unwrap();
    assert_eq!(alpha.trend, [1, 2], "pass counts oldest first");
    assert_eq!((alpha.cra_covered, alpha.cra_applicable), (1, 2));
    // Only the open finding counts; the VEX-suppressed one does not.
    assert_eq!(alpha.findings.get("critical"), Some(&1));
    assert_eq!(alpha.findings.get("high"), None);
    let beta = overview.iter().find(|r| r.project.name == "beta").unwrap();
    let run = beta.last_run.as_ref().unwrap();
    assert_eq!(run.outcome, "error");
    assert!(run.error.as_deref().unwrap().contains("no such repo"));
    assert!(beta.trend.is_empty());

    let req = store.requirement("R-1").await.unwrap();
    assert_eq!(req.len(), 1);
    assert_eq!(
        (req[0].project.as_str(), req[0].status.as_str()),
        ("alpha", "pass")
    );
    let cra = store.cra_item("CRA-B").await.unwrap();
    assert_eq!(cra[0].coverage, "not-covered");
}

/// Retention keeps the newest runs and what they found.
async fn retention(store: &Store) {
    let a = store.add_project(&new("alpha", &[]), 100).await.unwrap();
    let r = report(&[("R-1", Status::Fail)], &[("GHSA-x", "low", false)]);
    for t in 0..5 {
        store
            .save_run(a.id, t, "0.1.0", Outcome::Ok(&r))
            .await
            .unwrap();
    }
    assert_eq!(store.prune(2).await.unwrap(), 3);
    let left = store.history("alpha", 10).await.unwrap();
    assert_eq!(
        left.iter().map(|r| r.started_at).collect::<Vec<_>>(),
        [4, 3]
    );
    assert_eq!(
        store
            .run_detail(left[0].id)
            .await
            .unwrap()
            .unwrap()
            .findings
            .len(),
        1
    );
    assert_eq!(
        store.overview().await.unwrap()[0].findings.get("low"),
        Some(&1)
    );
}

/// Tokens: only the hash is stored, a wrong token is no token.
async fn tokens(store: &Store) {
    let t = annex_store::tokens::token_from_bytes(&[7u8; 32]);
    store.add_token("ci", &t, 1).await.unwrap();
    assert_eq!(store.token_name(&t).await.unwrap().as_deref(), Some("ci"));
    assert_eq!(store.token_name("annex_wrong").await.unwrap(), None);
    assert!(store.add_token("short", "abc", 1).await.is_err());
}

/// Writers at once: every run is stored exactly once.
async fn concurrent_writes(store: &Store) {
    let a = store.add_project(&new("alpha", &[]), 100).await.unwrap();
    let r = report(&[("R-1", Status::Pass)], &[]);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (store, r) = (store.clone(), r.clone());
        tasks.push(tokio::spawn(async move {
            store.save_run(a.id, i, "0.1.0", Outcome::Ok(&r)).await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let mut times: Vec<i64> = store
        .history("alpha", 100)
        .await
        .unwrap()
        .iter()
        .map(|r| r.started_at)
        .collect();
    times.sort();
    assert_eq!(times, (0..40).collect::<Vec<_>>());
}

/// The queue: claims never overlap, a lost lease stores nothing, a dead worker's job is
/// taken over, failures back off and end as failed.
async fn queue(store: &Store) {
    use annex_store::queue::backoff;
    let a = store.add_project(&new("alpha", &[]), 1).await.unwrap();
    let b = store.add_project(&new("beta", &[]), 1).await.unwrap();
    let ids = store.enqueue(&[a.id, b.id], 2, 100).await.unwrap();
    assert_eq!(ids.len(), 2);
    let j1 = store.claim("w1", 100, 60).await.unwrap().unwrap();
    let j2 = store.claim("w2", 100, 60).await.unwrap().unwrap();
    assert_ne!(j1.id, j2.id);
    assert!(
        store.claim("w3", 100, 60).await.unwrap().is_none(),
        "nothing left"
    );
    assert!(store.heartbeat(j1.id, "w1", 200).await.unwrap());
    assert!(
        !store.heartbeat(j1.id, "w2", 200).await.unwrap(),
        "not w2's job"
    );
    // w2 dies; after its lease (until 160) w3 takes the job over; w2's late result is dropped.
    assert!(
        store.claim("w3", 150, 60).await.unwrap().is_none(),
        "lease still runs"
    );
    let taken = store.claim("w3", 161, 60).await.unwrap().unwrap();
    assert_eq!((taken.id, taken.attempt), (j2.id, 2));
    let r = report(&[("R-1", Status::Pass)], &[]);
    assert_eq!(
        store
            .complete(&j2, "w2", 150, "0.1.0", Outcome::Ok(&r))
            .await
            .unwrap(),
        None
    );
    assert!(
        store
            .complete(&taken, "w3", 170, "0.1.0", Outcome::Ok(&r))
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        store.history("beta", 10).await.unwrap().len(),
        1,
        "stored once"
    );
    // w1 fails: queued again after the backoff, then failed after its last attempt.
    assert!(store.fail(&j1, "w1", "clone failed", 200).await.unwrap());
    assert!(
        store
            .claim("w1", 200 + backoff(1) - 1, 60)
            .await
            .unwrap()
            .is_none()
    );
    let again = store
        .claim("w1", 200 + backoff(1), 60)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((again.id, again.attempt), (j1.id, 2));
    assert!(store.fail(&again, "w1", "clone failed", 300).await.unwrap());
    assert!(
        store.claim("w1", 1_000_000, 60).await.unwrap().is_none(),
        "no third attempt"
    );
    let counts = store.queue_counts().await.unwrap();
    assert_eq!(
        (counts.done, counts.failed, counts.queued, counts.running),
        (1, 1, 0, 0)
    );
    assert!(store.history("alpha", 10).await.unwrap().is_empty());
}

/// Concurrent claimers: every job claimed exactly once.
async fn concurrent_claims(store: &Store) {
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            store
                .add_project(&new(&format!("p{i}"), &[]), 1)
                .await
                .unwrap()
                .id,
        );
    }
    let jobs: Vec<i64> = ids.iter().cycle().take(40).copied().collect();
    store.enqueue(&jobs, 1, 10).await.unwrap();
    let mut tasks = Vec::new();
    for w in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            while let Some(j) = store.claim(&format!("w{w}"), 10, 600).await.unwrap() {
                got.push(j.id);
            }
            got
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    let n = all.len();
    all.dedup();
    assert_eq!((n, all.len()), (40, 40), "no job claimed twice, none lost");
}

type Scenario =
    for<'a> fn(&'a Store) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>;

fn scenarios() -> Vec<(&'static str, Scenario)> {
    vec![
        ("projects", |s| Box::pin(projects(s))),
        ("runs_and_views", |s| Box::pin(runs_and_views(s))),
        ("retention", |s| Box::pin(retention(s))),
        ("tokens", |s| Box::pin(tokens(s))),
        ("concurrent_writes", |s| Box::pin(concurrent_writes(s))),
        ("queue", |s| Box::pin(queue(s))),
        ("concurrent_claims", |s| Box::pin(concurrent_claims(s))),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_store() {
    for (name, run) in scenarios() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/fleet.db");
        let store = Store::open(&path.display().to_string()).await.unwrap();
        eprintln!("sqlite: {name}");
        run(&store).await;
        store.close().await;
        // Reopening runs no migration twice and keeps the data.
        let again = Store::open(&path.display().to_string()).await.unwrap();
        assert!(again.projects(None).await.is_ok());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_store() {
    let dir = tempfile::tempdir().unwrap();
    let pg = match Postgres::start(dir.path()) {
        Ok(pg) => pg,
        Err(why) => {
            eprintln!("skipped: PostgreSQL store tests: {why}");
            return;
        }
    };
    for (i, (name, run)) in scenarios().into_iter().enumerate() {
        let db = format!("t{i}");
        pg.create_db(&db);
        eprintln!("postgres: {name}");
        let store = Store::open(&pg.url(&db)).await.unwrap();
        assert_eq!(store.backend(), annex_store::Backend::Postgres);
        run(&store).await;
        store.close().await;
        let again = Store::open(&pg.url(&db)).await.unwrap();
        assert!(again.projects(None).await.is_ok());
        again.close().await;
    }
}
