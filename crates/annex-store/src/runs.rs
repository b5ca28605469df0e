//! Runs: every assessment of a project kept (history), with its results, CRA rollup,
//! findings and SBOM summary; retention deletes the oldest.

use annex_core::fleet::{CraRow, FindingRow, ResultRow, RunReport, SbomSummary};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError};

/// Longest error message kept for a failed run.
const MAX_ERROR: usize = 4096;

/// One run, as listed in a history.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RunRow {
    pub id: i64,
    pub project_id: i64,
    pub started_at: i64,
    pub commit: Option<String>,
    pub annex_version: String,
    pub profile: String,
    pub catalogs: Vec<String>,
    pub duration_ms: i64,
    /// `ok`, or `error` (then `error` says why).
    pub outcome: String,
    pub error: Option<String>,
    pub summary: annex_assess::Summary,
    pub vulns_unchecked: Option<String>,
    pub sbom: SbomSummary,
}

/// A run with everything it found.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RunDetail {
    pub run: RunRow,
    pub results: Vec<ResultRow>,
    pub cra: Vec<CraRow>,
    pub findings: Vec<FindingRow>,
}

/// A stored status or coverage word, read back as its enum.
fn word<T: serde::de::DeserializeOwned>(row: &AnyRow, col: &str) -> Result<T, StoreError> {
    let s: String = row.try_get(col)?;
    Ok(serde_json::from_value(serde_json::Value::String(s))?)
}

fn count(row: &AnyRow, col: &str) -> Result<usize, sqlx::Error> {
    Ok(usize::try_from(row.try_get::<i64, _>(col)?).unwrap_or(0))
}

pub(crate) fn run_of(row: &AnyRow) -> Result<RunRow, StoreError> {
    let catalogs: String = row.try_get("catalogs")?;
    let ecosystems: String = row.try_get("sbom_ecosystems")?;
    let mut summary = annex_assess::Summary {
        pass: count(row, "pass")?,
        fail: count(row, "fail")?,
        needs_review: count(row, "needs_review")?,
        not_applicable: count(row, "not_applicable")?,
        not_run: count(row, "not_run")?,
        unknown: count(row, "unknown")?,
        total: 0,
    };
    summary.total = summary.pass
        + summary.fail
        + summary.needs_review
        + summary.not_applicable
        + summary.not_run
        + summary.unknown;
    Ok(RunRow {
        id: row.try_get("id")?,
        project_id: row.try_get("project_id")?,
        started_at: row.try_get("started_at")?,
        commit: row.try_get("commit_id")?,
        annex_version: row.try_get("annex_version")?,
        profile: row.try_get("profile")?,
        catalogs: catalogs
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect(),
        duration_ms: row.try_get("duration_ms")?,
        outcome: row.try_get("outcome")?,
        error: row.try_get("error")?,
        summary,
        vulns_unchecked: row.try_get("vulns_unchecked")?,
        sbom: SbomSummary {
            subjects: count(row, "sbom_subjects")?,
            components: count(row, "sbom_components")?,
            by_ecosystem: serde_json::from_str(&ecosystems)?,
        },
    })
}

pub(crate) const RUN_COLUMNS: &str = "id, project_id, started_at, commit_id, annex_version, \
    profile, catalogs, duration_ms, outcome, error, pass, fail, needs_review, not_applicable, \
    not_run, unknown, vulns_unchecked, sbom_subjects, sbom_components, sbom_ecosystems";

fn i64_of(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// What a run produced: a report, or the reason it could not be made.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    Ok(&'a RunReport),
    Error { message: &'a str, profile: &'a str },
}

impl Store {
    /// Store one run of `project_id` and make it the project's latest. All or nothing.
    pub async fn save_run(
        &self,
        project_id: i64,
        started_at: i64,
        annex_version: &str,
        outcome: Outcome<'_>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let run_id = save_run_in(&mut tx, project_id, started_at, annex_version, outcome).await?;
        tx.commit().await?;
        Ok(run_id)
    }
}

/// [`Store::save_run`] inside the caller's transaction (the queue completes a job and stores
/// its run together).
pub(crate) async fn save_run_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    project_id: i64,
    started_at: i64,
    annex_version: &str,
    outcome: Outcome<'_>,
) -> Result<i64, StoreError> {
    // The first statement writes, so SQLite takes the write lock at once (no upgrade).
    let run_id: i64 = match outcome {
        Outcome::Ok(r) => {
            if r.results.len() > 100_000 || r.findings.len() > 1_000_000 {
                return Err(StoreError::Invalid {
                    what: "run",
                    why: "too many results or findings".into(),
                });
            }
            let row = sqlx::query(
                "INSERT INTO runs (project_id, started_at, commit_id, annex_version, profile, \
                 catalogs, duration_ms, outcome, error, pass, fail, needs_review, \
                 not_applicable, not_run, unknown, vulns_unchecked, sbom_subjects, \
                 sbom_components, sbom_ecosystems) VALUES ($1, $2, $3, $4, $5, $6, $7, 'ok', \
                 NULL, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
            )
            .bind(project_id)
            .bind(started_at)
            .bind(r.commit.as_deref())
            .bind(&r.annex_version)
            .bind(&r.profile)
            .bind(r.catalogs.join(","))
            .bind(i64::try_from(r.duration_ms).unwrap_or(i64::MAX))
            .bind(i64_of(r.summary.pass))
            .bind(i64_of(r.summary.fail))
            .bind(i64_of(r.summary.needs_review))
            .bind(i64_of(r.summary.not_applicable))
            .bind(i64_of(r.summary.not_run))
            .bind(i64_of(r.summary.unknown))
            .bind(r.vulns_unchecked.as_deref())
            .bind(i64_of(r.sbom.subjects))
            .bind(i64_of(r.sbom.components))
            .bind(serde_json::to_string(&r.sbom.by_ecosystem)?)
            .fetch_one(&mut **tx)
            .await?;
            let id: i64 = row.try_get("id")?;
            for x in &r.results {
                sqlx::query(
                    "INSERT INTO results (run_id, requirement, title, status, reason, \
                     remediation) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(&x.requirement)
                .bind(&x.title)
                .bind(x.status.as_str())
                .bind(&x.reason)
                .bind(x.remediation.as_deref())
                .execute(&mut **tx)
                .await?;
            }
            for c in &r.cra {
                sqlx::query(
                    "INSERT INTO cra (run_id, requirement, title, coverage) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(&c.requirement)
                .bind(&c.title)
                .bind(c.coverage.as_str())
                .execute(&mut **tx)
                .await?;
            }
            for f in &r.findings {
                sqlx::query(
                    "INSERT INTO findings (run_id, advisory, ecosystem, package, version, \
                     severity, score, vex, suppressed) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(id)
                .bind(&f.advisory)
                .bind(&f.ecosystem)
                .bind(&f.package)
                .bind(&f.version)
                .bind(&f.severity)
                .bind(f.score)
                .bind(f.vex.as_deref())
                .bind(i64::from(f.suppressed))
                .execute(&mut **tx)
                .await?;
            }
            id
        }
        Outcome::Error { message, profile } => {
            let message: String = message.chars().take(MAX_ERROR).collect();
            let row = sqlx::query(
                "INSERT INTO runs (project_id, started_at, annex_version, profile, catalogs, \
                 duration_ms, outcome, error) VALUES ($1, $2, $3, $4, '', 0, 'error', $5) \
                 RETURNING id",
            )
            .bind(project_id)
            .bind(started_at)
            .bind(annex_version)
            .bind(profile)
            .bind(message)
            .fetch_one(&mut **tx)
            .await?;
            row.try_get("id")?
        }
    };
    sqlx::query("UPDATE projects SET last_run_id = $1 WHERE id = $2")
        .bind(run_id)
        .bind(project_id)
        .execute(&mut **tx)
        .await?;
    Ok(run_id)
}

impl Store {
    /// The runs of project `name`, newest first, at most `limit`.
    pub async fn history(&self, name: &str, limit: i64) -> Result<Vec<RunRow>, StoreError> {
        let project = self
            .project(name)
            .await?
            .ok_or_else(|| StoreError::NoProject(name.to_string()))?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RUN_COLUMNS} FROM runs WHERE project_id = $1 ORDER BY id DESC LIMIT $2"
        )))
        .bind(project.id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(run_of).collect()
    }

    /// A run with its results, CRA rollup and findings.
    pub async fn run_detail(&self, run_id: i64) -> Result<Option<RunDetail>, StoreError> {
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RUN_COLUMNS} FROM runs WHERE id = $1"
        )))
        .bind(run_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let run = run_of(&row)?;
        let results = sqlx::query(
            "SELECT requirement, title, status, reason, remediation FROM results \
             WHERE run_id = $1 ORDER BY requirement",
        )
        .bind(run_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ResultRow {
                requirement: r.try_get("requirement")?,
                title: r.try_get("title")?,
                status: word(r, "status")?,
                reason: r.try_get("reason")?,
                remediation: r.try_get("remediation")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let cra = sqlx::query(
            "SELECT requirement, title, coverage FROM cra WHERE run_id = $1 ORDER BY requirement",
        )
        .bind(run_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(CraRow {
                requirement: r.try_get("requirement")?,
                title: r.try_get("title")?,
                coverage: word(r, "coverage")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let findings = sqlx::query(
            "SELECT advisory, ecosystem, package, version, severity, score, vex, suppressed \
             FROM findings WHERE run_id = $1 ORDER BY advisory, package, version",
        )
        .bind(run_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(FindingRow {
                advisory: r.try_get("advisory")?,
                ecosystem: r.try_get("ecosystem")?,
                package: r.try_get("package")?,
                version: r.try_get("version")?,
                severity: r.try_get("severity")?,
                score: r.try_get("score")?,
                vex: r.try_get("vex")?,
                suppressed: r.try_get::<i64, _>("suppressed")? != 0,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(Some(RunDetail {
            run,
            results,
            cra,
            findings,
        }))
    }

    /// Retention: keep the newest `keep` runs of each project (at least one), delete the
    /// rest with what they found. Returns how many runs were deleted.
    pub async fn prune(&self, keep: usize) -> Result<u64, StoreError> {
        let keep = i64_of(keep.max(1));
        let mut tx = self.pool.begin().await?;
        let old = "SELECT id FROM (SELECT id, ROW_NUMBER() OVER \
                   (PARTITION BY project_id ORDER BY id DESC) AS n FROM runs) ranked WHERE n > $1";
        for table in ["results", "cra", "findings"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE run_id IN ({old})"
            )))
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        }
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM runs WHERE id IN ({old})"
        )))
        .bind(keep)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}
