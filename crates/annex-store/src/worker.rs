//! `annex worker`: take jobs from the queue, assess, store; heartbeats keep the lease while
//! a project runs. Several workers (processes or machines) can share one PostgreSQL store.

use std::time::Duration;

use crate::fleet::{ScanOptions, Scanned, run_one};
use crate::{Outcome, Store, StoreError};

/// How a worker runs.
#[derive(Clone)]
pub struct WorkerOptions {
    /// This worker's name in the queue (unique per worker).
    pub name: String,
    /// Seconds a claim holds without a heartbeat.
    pub lease: i64,
    /// Wait between polls of an empty queue.
    pub poll: Duration,
    /// Stop when the queue has nothing due instead of waiting.
    pub once: bool,
    pub scan: ScanOptions,
}

/// Work until the queue is empty (`once`) or forever; returns the jobs finished.
pub async fn work(
    store: &Store,
    opts: &WorkerOptions,
    mut on_done: impl FnMut(&Scanned),
) -> Result<usize, StoreError> {
    let now = || (opts.scan.clock)() / 1000;
    let mut finished = 0;
    loop {
        let Some(job) = store.claim(&opts.name, now(), opts.lease).await? else {
            if opts.once {
                return Ok(finished);
            }
            tokio::time::sleep(opts.poll).await;
            continue;
        };
        let Some(project) = store.project_by_id(job.project_id).await? else {
            store
                .fail(&job, &opts.name, "the project was removed", now())
                .await?;
            continue;
        };
        let started = now();
        let (p, scan) = (project.clone(), opts.scan.clone());
        let mut task = tokio::task::spawn_blocking(move || run_one(&p, &scan));
        // Renew the lease at a third of its length while the project runs.
        let beat = Duration::from_secs(u64::try_from(opts.lease / 3).unwrap_or(1).max(1));
        let result = loop {
            tokio::select! {
                r = &mut task => break r.unwrap_or_else(|_| Err("the assessment stopped (a bug)".into())),
                _ = tokio::time::sleep(beat) => {
                    // A lost lease is noticed at completion: nothing is stored then.
                    store.heartbeat(job.id, &opts.name, now().saturating_add(opts.lease)).await?;
                }
            }
        };
        let done = match &result {
            Ok(report) => {
                let version = opts.scan.annex_version.as_str();
                let stored = store
                    .complete(&job, &opts.name, started, version, Outcome::Ok(report))
                    .await?;
                // None: the lease was lost and another worker runs the job; nothing stored.
                stored.map(|run_id| Scanned {
                    project: project.name.clone(),
                    run_id,
                    result: Ok(report.summary.clone()),
                })
            }
            Err(message) => {
                // Queued again after the backoff, or failed after the last attempt; the
                // job keeps the reason.
                store.fail(&job, &opts.name, message, now()).await?;
                Some(Scanned {
                    project: project.name.clone(),
                    run_id: 0,
                    result: Err(message.clone()),
                })
            }
        };
        if let Some(done) = done {
            finished += 1;
            on_done(&done);
        }
    }
}
