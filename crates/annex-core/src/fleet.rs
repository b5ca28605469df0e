//! One project of a fleet: fetch it (a local path is read in place, a repository URL is
//! cloned or fetched into a cache with `git`), assess it, and summarise the run as a
//! [`RunReport`] a store keeps and a server receives. Only chains the calls every command
//! makes (`Project::open`, `assess`, `inventory`), so a fleet run and `annex check` agree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::{AssessRequest, Assessed, CoreError, Project, ProjectOptions};

/// The schema id of [`RunReport`] documents (`annex check --upload` bodies).
pub const RUN_REPORT_SCHEMA: &str = "annex/run/v1";

/// A run's result, summarised for history: counts, each requirement's status and reason,
/// the CRA rollup, the open and suppressed findings, and what the inventory held.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RunReport {
    pub schema: String,
    /// HEAD's commit id, when the checkout is a git repository with a commit.
    pub commit: Option<String>,
    pub annex_version: String,
    pub profile: String,
    /// `id@version` of each catalog the profile drew on.
    pub catalogs: Vec<String>,
    pub duration_ms: u64,
    pub summary: annex_assess::Summary,
    pub results: Vec<ResultRow>,
    pub cra: Vec<CraRow>,
    pub findings: Vec<FindingRow>,
    /// Why no finding was looked for, when none was (no database, matching off): "no
    /// finding" then means "not checked".
    pub vulns_unchecked: Option<String>,
    pub sbom: SbomSummary,
}

/// One requirement's outcome.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ResultRow {
    pub requirement: String,
    pub title: String,
    pub status: annex_assess::Status,
    pub reason: String,
    pub remediation: Option<String>,
}

/// The counts of `results` (as [`annex_assess::Summary::of`] counts an assessment's).
pub fn summary_of(results: &[ResultRow]) -> annex_assess::Summary {
    let mut s = annex_assess::Summary {
        total: results.len(),
        ..annex_assess::Summary::default()
    };
    for r in results {
        use annex_assess::Status;
        match r.status {
            Status::Pass => s.pass += 1,
            Status::Fail => s.fail += 1,
            Status::NeedsReview => s.needs_review += 1,
            Status::NotApplicable => s.not_applicable += 1,
            Status::NotRun => s.not_run += 1,
            Status::Unknown => s.unknown += 1,
        }
    }
    s
}

/// One CRA item of the rollup.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CraRow {
    pub requirement: String,
    pub title: String,
    pub coverage: annex_assess::Coverage,
}

/// One finding, flattened for a table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FindingRow {
    pub advisory: String,
    pub ecosystem: String,
    pub package: String,
    pub version: String,
    /// `critical`, `high`, `medium`, `low`, `none`, or `unknown` when no score was given.
    pub severity: String,
    pub score: Option<f64>,
    /// VEX status when triaged.
    pub vex: Option<String>,
    /// VEX says not affected or fixed.
    pub suppressed: bool,
}

/// What the inventory held: lockfiles read, components per ecosystem.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SbomSummary {
    pub subjects: usize,
    pub components: usize,
    pub by_ecosystem: BTreeMap<String, usize>,
}

/// Errors of a fleet run of one project.
#[derive(thiserror::Error, Debug)]
pub enum FleetError {
    #[error(transparent)]
    Core(#[from] CoreError),
    /// `git` could not be started.
    #[error("cannot run git")]
    GitSpawn(#[source] std::io::Error),
    /// `git` ran and failed; `stderr` is its last line.
    #[error("git {action} {location} failed: {stderr}")]
    Git {
        action: &'static str,
        location: String,
        stderr: String,
    },
    /// The server refused or could not be reached.
    #[error("upload to {url} failed: {message}")]
    Upload { url: String, message: String },
    #[error("cannot create the clone cache {}", path.display())]
    Cache {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Whether `location` names a remote repository (cloned) rather than a local path.
pub fn is_remote(location: &str) -> bool {
    location.contains("://") || location.starts_with("git@")
}

/// The project name a location gives: the last path segment, without `.git`.
pub fn name_of(location: &str) -> String {
    let trimmed = location.trim_end_matches(['/', '\\']);
    let last = trimmed.rsplit(['/', '\\', ':']).next().unwrap_or(trimmed);
    let name = last.strip_suffix(".git").unwrap_or(last);
    if name.is_empty() {
        "project".to_string()
    } else {
        name.to_string()
    }
}

/// The checkout to read for `location`: a local path as is; a URL cloned (or, when the
/// cache already holds it, fetched and reset to the remote's HEAD) under `cache`.
pub fn checkout(location: &str, cache: &Path) -> Result<PathBuf, FleetError> {
    if !is_remote(location) {
        return Ok(PathBuf::from(location));
    }
    std::fs::create_dir_all(cache).map_err(|source| FleetError::Cache {
        path: cache.to_path_buf(),
        source,
    })?;
    // Readable and collision-free: the name, then a digest of the whole URL.
    let digest = annex_types::digest::sha256_hex(location.as_bytes());
    let dir = cache.join(format!("{}-{}", name_of(location), &digest[..12]));
    if dir.join(".git").is_dir() {
        git(
            &dir,
            &["fetch", "--quiet", "origin", "HEAD"],
            "fetch",
            location,
        )?;
        git(
            &dir,
            &["reset", "--quiet", "--hard", "FETCH_HEAD"],
            "reset",
            location,
        )?;
    } else {
        let target = dir.display().to_string();
        git(
            cache,
            &["clone", "--quiet", "--", location, &target],
            "clone",
            location,
        )?;
    }
    Ok(dir)
}

/// Run git non-interactively (no prompt for credentials, no pager).
fn git(cwd: &Path, args: &[&str], action: &'static str, location: &str) -> Result<(), FleetError> {
    let out = Command::new("git")
        .current_dir(cwd)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_PAGER", "cat")
        .args(args)
        .output()
        .map_err(FleetError::GitSpawn)?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(FleetError::Git {
        action,
        location: location.to_string(),
        stderr: stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message")
            .to_string(),
    })
}

/// HEAD's commit id of the repository `root` is in, read with gix (no global config).
pub fn head_commit_id(root: &Path) -> Option<String> {
    let repo = crate::build_time::discover_isolated(root)?;
    let id = repo.head_id().ok()?;
    Some(id.to_string())
}

/// Assess the checkout at `path` as `annex check` does and summarise the run.
/// `elapsed_ms` is called at the end (the library reads no clock).
pub fn assess_path(
    path: &Path,
    options: ProjectOptions,
    request: &AssessRequest,
    annex_version: &str,
    elapsed_ms: &dyn Fn() -> u64,
) -> Result<RunReport, FleetError> {
    let project = Project::open(path, options)?;
    let assessed = project.assess(request)?;
    let scanned = project.inventory()?;
    let mut report = report_of(&assessed, &scanned.inventory, annex_version);
    report.commit = head_commit_id(path);
    report.duration_ms = elapsed_ms();
    Ok(report)
}

/// The summary of an assessment and the inventory it read.
pub fn report_of(
    assessed: &Assessed,
    inventory: &annex_inventory::Inventory,
    annex_version: &str,
) -> RunReport {
    let a = &assessed.assessment;
    let results = a
        .results
        .iter()
        .map(|r| ResultRow {
            requirement: r.requirement.clone(),
            title: r.title.clone(),
            status: r.status,
            reason: r.reason.clone(),
            remediation: r.remediation.clone(),
        })
        .collect();
    let cra = a
        .cra
        .iter()
        .map(|c| CraRow {
            requirement: c.requirement.clone(),
            title: c.title.clone(),
            coverage: c.coverage,
        })
        .collect();
    let findings = assessed
        .findings
        .as_ref()
        .map(|f| f.findings.iter().map(finding_row).collect())
        .unwrap_or_default();
    let vulns_unchecked = assessed.findings.is_none().then(|| {
        "no advisory database was used: no finding does not mean no vulnerability".to_string()
    });
    let mut sbom = SbomSummary {
        subjects: inventory.subjects.len(),
        ..SbomSummary::default()
    };
    for s in &inventory.subjects {
        sbom.components += s.components.len();
        *sbom.by_ecosystem.entry(s.ecosystem.clone()).or_default() += s.components.len();
    }
    RunReport {
        schema: RUN_REPORT_SCHEMA.to_string(),
        commit: None,
        annex_version: annex_version.to_string(),
        profile: a.profile.id.clone(),
        catalogs: a
            .catalogs
            .iter()
            .map(|c| format!("{}@{}", c.id, c.version))
            .collect(),
        duration_ms: 0,
        summary: a.summary.clone(),
        results,
        cra,
        findings,
        vulns_unchecked,
        sbom,
    }
}

fn finding_row(t: &annex_vuln::triage::TriagedFinding) -> FindingRow {
    let f = &t.finding;
    let score = f.severity.as_ref().and_then(|s| s.score);
    let severity = score
        .map(annex_vuln::cvss::rating)
        .and_then(|r| serde_json::to_value(r).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "unknown".to_string());
    FindingRow {
        advisory: f.id.clone(),
        ecosystem: f.package.ecosystem.clone(),
        package: f.package.name.clone(),
        version: f.package.version.clone(),
        severity,
        score,
        vex: t.vex.as_ref().map(|v| v.status.as_str().to_string()),
        suppressed: t.suppressed,
    }
}

/// Largest answer read from a fleet server.
const MAX_ANSWER: u64 = 64 * 1024;

/// Post `report` as a run of project `name` to the fleet server at `base` (`annex check
/// --upload`); returns the server's answer (`{"run_id": …}`).
pub fn upload(
    base: &str,
    name: &str,
    token: &str,
    report: &RunReport,
) -> Result<String, FleetError> {
    let mut segment = String::new();
    annex_types::percent::encode_where(&mut segment, name, |c| {
        !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
    });
    let url = format!("{}/api/projects/{segment}/runs", base.trim_end_matches('/'));
    let fail = |message: String| FleetError::Upload {
        url: url.clone(),
        message,
    };
    let body = serde_json::to_string(report).map_err(|e| fail(e.to_string()))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(60)))
        .user_agent(format!("annex/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent
        .post(&url)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .send(body)
        .map_err(|e| fail(e.to_string()))?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER)
        .read_to_string()
        .unwrap_or_default();
    if (200..300).contains(&status) {
        return Ok(text);
    }
    // The server's JSON error message when it sent one.
    let message = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_string))
        .unwrap_or(text);
    Err(fail(format!("HTTP {status}: {message}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_remoteness() {
        assert!(is_remote("file:///srv/git/a.git"));
        assert!(is_remote("git@example.org:o/r.git"));
        assert!(!is_remote("../checkouts/a"));
        assert_eq!(name_of("https://example.org/o/repo.git"), "repo");
        assert_eq!(name_of("git@example.org:o/r.git"), "r");
        assert_eq!(name_of("/srv/x/"), "x");
    }

    #[test]
    fn a_local_path_is_read_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let got = checkout("some/where", dir.path()).unwrap();
        assert_eq!(got, PathBuf::from("some/where"));
    }
}
