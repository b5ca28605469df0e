//! `annex fleet scan`: assess many projects on a few threads and store every run. A project
//! that fails (clone, unreadable checkout, even a panic) is stored as a failed run with the
//! reason, and the others go on.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use annex_core::fleet::RunReport;
use annex_core::{AssessRequest, ProjectOptions};
use serde::Serialize;

use crate::{Outcome, ProjectRow, Store, StoreError};

/// The caller's clock, in milliseconds since the epoch (the library reads none).
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// How to scan.
#[derive(Clone)]
pub struct ScanOptions {
    /// Projects assessed at once (at least 1).
    pub jobs: usize,
    /// Where repositories given by URL are cloned.
    pub cache: PathBuf,
    /// How checkouts are read (threads per project: keep it low when `jobs` is high).
    pub project: ProjectOptions,
    /// What to assess against; a project's own profile replaces `profile`.
    pub request: AssessRequest,
    pub annex_version: String,
    pub clock: Clock,
}

/// What happened to one project.
#[derive(Debug, Clone, Serialize)]
pub struct Scanned {
    pub project: String,
    pub run_id: i64,
    /// The counts, or why the run failed.
    pub result: Result<annex_assess::Summary, String>,
}

/// All projects' outcomes, by name.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanSummary {
    pub scanned: Vec<Scanned>,
}

impl ScanSummary {
    /// The failed projects and why.
    pub fn failures(&self) -> impl Iterator<Item = (&str, &str)> {
        self.scanned.iter().filter_map(|s| match &s.result {
            Err(e) => Some((s.project.as_str(), e.as_str())),
            Ok(_) => None,
        })
    }
}

/// An error with its causes, one line: what a stored failed run says.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Fetch and assess one project: its report, or why there is none.
pub(crate) fn run_one(p: &ProjectRow, opts: &ScanOptions) -> Result<RunReport, String> {
    let start = (opts.clock)();
    let mut request = opts.request.clone();
    if let Some(profile) = &p.profile {
        request.profile = Some(profile.clone());
    }
    let clock = opts.clock.clone();
    let elapsed = move || u64::try_from(clock() - start).unwrap_or(0);
    let work = || {
        let path = annex_core::fleet::checkout(&p.location, &opts.cache)?;
        annex_core::fleet::assess_path(
            &path,
            opts.project.clone(),
            &request,
            &opts.annex_version,
            &elapsed,
        )
    };
    // A bug in one project's run must not take the others down.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(Ok(report)) => Ok(report),
        Ok(Err(e)) => Err(chain(&e)),
        Err(_) => Err("annex stopped on this project (a bug): see the logs".to_string()),
    }
}

/// The profile a project is assessed against.
pub(crate) fn profile_of(p: &ProjectRow, opts: &ScanOptions) -> String {
    p.profile
        .clone()
        .or_else(|| opts.request.profile.clone())
        .unwrap_or_else(|| opts.request.default_profile.clone())
}

impl Store {
    /// Assess `projects` on `opts.jobs` threads and store a run for each; `on_done` is
    /// called as each finishes (for progress). Store errors stop the scan; project errors
    /// are stored and summarised.
    pub async fn scan(
        &self,
        projects: Vec<ProjectRow>,
        opts: &ScanOptions,
        mut on_done: impl FnMut(&Scanned),
    ) -> Result<ScanSummary, StoreError> {
        let projects = Arc::new(projects);
        let next = Arc::new(AtomicUsize::new(0));
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let jobs = opts.jobs.clamp(1, 64).min(projects.len().max(1));
        let mut threads = Vec::new();
        for _ in 0..jobs {
            let (projects, next, tx, opts) =
                (projects.clone(), next.clone(), tx.clone(), opts.clone());
            threads.push(std::thread::spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(p) = projects.get(i) else { break };
                    let started = (opts.clock)() / 1000;
                    let result = run_one(p, &opts);
                    if tx.send((i, started, result)).is_err() {
                        break;
                    }
                }
            }));
        }
        drop(tx);
        let mut summary = ScanSummary::default();
        while let Some((i, started, result)) = rx.recv().await {
            let Some(p) = projects.get(i) else { continue };
            let profile = profile_of(p, opts);
            let outcome = match &result {
                Ok(r) => Outcome::Ok(r),
                Err(message) => Outcome::Error {
                    message,
                    profile: &profile,
                },
            };
            let run_id = self
                .save_run(p.id, started, &opts.annex_version, outcome)
                .await?;
            let done = Scanned {
                project: p.name.clone(),
                run_id,
                result: result.map(|r| r.summary),
            };
            on_done(&done);
            summary.scanned.push(done);
        }
        for t in threads {
            // A thread that panicked outside `catch_unwind` has already lost its project;
            // the summary shows which ones are missing by their absence.
            let _ = t.join();
        }
        summary.scanned.sort_by(|a, b| a.project.cmp(&b.project));
        Ok(summary)
    }
}
