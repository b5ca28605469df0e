//! The work queue: one job per project to assess. A worker claims a job under a lease
//! (PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent workers never take the same
//! row; SQLite has one writer at a time), renews it with heartbeats, and completes it by
//! storing the run in the same transaction that checks it still holds the lease. A job
//! whose worker died is claimed again once its lease has expired; a worker that lost its
//! lease stores nothing, so every job's run is stored once. A failed attempt is retried
//! after an exponential backoff, up to `max_attempts`.

use serde::Serialize;
use sqlx::Row;

use crate::runs::save_run_in;
use crate::{Backend, Outcome, Store, StoreError};

/// Seconds before the first retry; doubled for each further attempt.
pub const BACKOFF_BASE: i64 = 30;

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Job {
    pub id: i64,
    pub project_id: i64,
    /// This attempt's number, from 1.
    pub attempt: i64,
}

/// How many jobs are in each state.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QueueCounts {
    pub queued: i64,
    pub running: i64,
    pub done: i64,
    pub failed: i64,
}

/// The delay before retry number `attempt` (1-based) is tried again.
pub fn backoff(attempt: i64) -> i64 {
    BACKOFF_BASE.saturating_mul(1 << attempt.clamp(1, 20).saturating_sub(1))
}

impl Store {
    /// Queue a job for each project id; returns their ids.
    pub async fn enqueue(
        &self,
        project_ids: &[i64],
        max_attempts: i64,
        now: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::new();
        for p in project_ids {
            let row = sqlx::query(
                "INSERT INTO jobs (project_id, state, max_attempts, run_after, created_at) \
                 VALUES ($1, 'queued', $2, $3, $3) RETURNING id",
            )
            .bind(p)
            .bind(max_attempts.max(1))
            .bind(now)
            .fetch_one(&self.pool)
            .await?;
            ids.push(row.try_get("id")?);
        }
        Ok(ids)
    }

    /// Claim the oldest job that is due, or whose lease expired, for `worker` until
    /// `now + lease`.
    pub async fn claim(
        &self,
        worker: &str,
        now: i64,
        lease: i64,
    ) -> Result<Option<Job>, StoreError> {
        let sql = match self.backend {
            Backend::Postgres => {
                "UPDATE jobs SET state = 'running', worker = $1, lease_until = $2, \
                 attempts = attempts + 1 WHERE id = (SELECT id FROM jobs WHERE \
                 (state = 'queued' AND run_after <= $3) OR (state = 'running' AND lease_until < $3) \
                 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) \
                 RETURNING id, project_id, attempts"
            }
            // One writer at a time: the subquery and the update are one atomic statement.
            Backend::Sqlite => {
                "UPDATE jobs SET state = 'running', worker = $1, lease_until = $2, \
                 attempts = attempts + 1 WHERE id = (SELECT id FROM jobs WHERE \
                 (state = 'queued' AND run_after <= $3) OR (state = 'running' AND lease_until < $3) \
                 ORDER BY id LIMIT 1) \
                 RETURNING id, project_id, attempts"
            }
        };
        let row = sqlx::query(sql)
            .bind(worker)
            .bind(now.saturating_add(lease))
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .map(|r| -> Result<Job, sqlx::Error> {
                Ok(Job {
                    id: r.try_get("id")?,
                    project_id: r.try_get("project_id")?,
                    attempt: r.try_get("attempts")?,
                })
            })
            .transpose()?)
    }

    /// Renew the lease; false when `worker` no longer holds the job (it was taken over).
    pub async fn heartbeat(
        &self,
        job: i64,
        worker: &str,
        lease_until: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE jobs SET lease_until = $1 WHERE id = $2 AND worker = $3 AND state = 'running'",
        )
        .bind(lease_until)
        .bind(job)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Finish a job: store its run and mark it done, together, only while `worker` still
    /// holds it. Returns the run id, or `None` when the lease was lost (nothing stored).
    pub async fn complete(
        &self,
        job: &Job,
        worker: &str,
        started_at: i64,
        annex_version: &str,
        outcome: Outcome<'_>,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Writes first: the row lock (PostgreSQL) or the write lock (SQLite) is taken here,
        // so a takeover cannot slip in between the check and the store.
        let held = sqlx::query(
            "UPDATE jobs SET state = 'done', lease_until = NULL WHERE id = $1 AND worker = $2 \
             AND state = 'running'",
        )
        .bind(job.id)
        .bind(worker)
        .execute(&mut *tx)
        .await?;
        if held.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(None);
        }
        let run_id =
            save_run_in(&mut tx, job.project_id, started_at, annex_version, outcome).await?;
        sqlx::query("UPDATE jobs SET run_id = $1 WHERE id = $2")
            .bind(run_id)
            .bind(job.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(run_id))
    }

    /// An attempt failed: queue the job again after the backoff, or, after its last
    /// attempt, mark it failed with the reason. False when `worker` no longer held it.
    pub async fn fail(
        &self,
        job: &Job,
        worker: &str,
        error: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'failed' \
             ELSE 'queued' END, run_after = $1, error = $2, lease_until = NULL, worker = NULL \
             WHERE id = $3 AND worker = $4 AND state = 'running'",
        )
        .bind(now.saturating_add(backoff(job.attempt)))
        .bind(error)
        .bind(job.id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// How many jobs are in each state.
    pub async fn queue_counts(&self) -> Result<QueueCounts, StoreError> {
        let mut c = QueueCounts::default();
        for row in sqlx::query("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state")
            .fetch_all(&self.pool)
            .await?
        {
            let n: i64 = row.try_get("n")?;
            match row.try_get::<String, _>("state")?.as_str() {
                "queued" => c.queued = n,
                "running" => c.running = n,
                "done" => c.done = n,
                _ => c.failed += n,
            }
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles() {
        assert_eq!(super::backoff(1), 30);
        assert_eq!(super::backoff(2), 60);
        assert_eq!(super::backoff(4), 240);
        assert_eq!(super::backoff(100), super::backoff(20));
    }
}
