//! What the dashboard shows, read from each project's latest run: the fleet overview, one
//! requirement across the fleet, one CRA item across the fleet.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::runs::{RUN_COLUMNS, RunRow, run_of};
use crate::{ProjectRow, Store, StoreError};

/// Runs shown in an overview's trend sparkline.
pub const TREND_RUNS: i64 = 20;

/// One project in the fleet overview.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OverviewRow {
    pub project: ProjectRow,
    /// The latest run, when there is one.
    pub last_run: Option<RunRow>,
    /// CRA items covered, and those that apply (not `not-applicable` nor `informative`).
    pub cra_covered: usize,
    pub cra_applicable: usize,
    /// Open (not VEX-suppressed) findings of the latest run, by severity.
    pub findings: BTreeMap<String, usize>,
    /// Passing requirements of the last successful runs, oldest first.
    pub trend: Vec<usize>,
}

/// One project's result for a requirement.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RequirementRow {
    pub project: String,
    pub title: String,
    pub status: String,
    pub reason: String,
    pub remediation: Option<String>,
}

/// One project's coverage of a CRA item.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CraCoverageRow {
    pub project: String,
    pub title: String,
    pub coverage: String,
}

fn usize_of(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

impl Store {
    /// Every project with its latest run, CRA coverage, open findings and trend, by name.
    pub async fn overview(&self) -> Result<Vec<OverviewRow>, StoreError> {
        let projects = self.projects(None).await?;
        let mut last: BTreeMap<i64, RunRow> = BTreeMap::new();
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM runs r JOIN projects p ON p.last_run_id = r.id",
            RUN_COLUMNS
                .split(", ")
                .map(|c| format!("r.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        )))
        .fetch_all(&self.pool)
        .await?;
        for row in &rows {
            let run = run_of(row)?;
            last.insert(run.project_id, run);
        }
        let mut cra: BTreeMap<i64, (usize, usize)> = BTreeMap::new();
        for row in sqlx::query(
            "SELECT p.id AS pid, c.coverage AS coverage, COUNT(*) AS n FROM cra c \
             JOIN projects p ON p.last_run_id = c.run_id GROUP BY p.id, c.coverage",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let pid: i64 = row.try_get("pid")?;
            let coverage: String = row.try_get("coverage")?;
            let n = usize_of(row.try_get("n")?);
            let e = cra.entry(pid).or_default();
            match coverage.as_str() {
                "covered" => {
                    e.0 += n;
                    e.1 += n;
                }
                "partly" | "not-covered" => e.1 += n,
                _ => {}
            }
        }
        let mut findings: BTreeMap<i64, BTreeMap<String, usize>> = BTreeMap::new();
        for row in sqlx::query(
            "SELECT p.id AS pid, f.severity AS severity, COUNT(*) AS n FROM findings f \
             JOIN projects p ON p.last_run_id = f.run_id WHERE f.suppressed = 0 \
             GROUP BY p.id, f.severity",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let pid: i64 = row.try_get("pid")?;
            findings
                .entry(pid)
                .or_default()
                .insert(row.try_get("severity")?, usize_of(row.try_get("n")?));
        }
        let mut trend: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
        for row in sqlx::query(
            "SELECT project_id, pass FROM (SELECT project_id, id, pass, ROW_NUMBER() OVER \
             (PARTITION BY project_id ORDER BY id DESC) AS n FROM runs WHERE outcome = 'ok') \
             ranked WHERE n <= $1 ORDER BY project_id, id",
        )
        .bind(TREND_RUNS)
        .fetch_all(&self.pool)
        .await?
        {
            let pid: i64 = row.try_get("project_id")?;
            trend
                .entry(pid)
                .or_default()
                .push(usize_of(row.try_get("pass")?));
        }
        Ok(projects
            .into_iter()
            .map(|p| {
                let (cra_covered, cra_applicable) = cra.get(&p.id).copied().unwrap_or_default();
                OverviewRow {
                    last_run: last.remove(&p.id),
                    cra_covered,
                    cra_applicable,
                    findings: findings.remove(&p.id).unwrap_or_default(),
                    trend: trend.remove(&p.id).unwrap_or_default(),
                    project: p,
                }
            })
            .collect())
    }

    /// Each project's latest result for `requirement`, by project name.
    pub async fn requirement(&self, requirement: &str) -> Result<Vec<RequirementRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.name AS project, r.title AS title, r.status AS status, r.reason AS reason, \
             r.remediation AS remediation FROM results r JOIN projects p \
             ON p.last_run_id = r.run_id WHERE r.requirement = $1 ORDER BY p.name",
        )
        .bind(requirement)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(RequirementRow {
                    project: r.try_get("project")?,
                    title: r.try_get("title")?,
                    status: r.try_get("status")?,
                    reason: r.try_get("reason")?,
                    remediation: r.try_get("remediation")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// Each project's latest coverage of the CRA item `requirement`, by project name.
    pub async fn cra_item(&self, requirement: &str) -> Result<Vec<CraCoverageRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.name AS project, c.title AS title, c.coverage AS coverage FROM cra c \
             JOIN projects p ON p.last_run_id = c.run_id WHERE c.requirement = $1 \
             ORDER BY p.name",
        )
        .bind(requirement)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(CraCoverageRow {
                    project: r.try_get("project")?,
                    title: r.try_get("title")?,
                    coverage: r.try_get("coverage")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }
}
