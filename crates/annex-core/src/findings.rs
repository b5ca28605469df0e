//! Known vulnerabilities: the inventory's packages (or an SBOM's) matched against the
//! offline advisory database, then triaged with VEX statements (annex.toml's last, so they
//! win).

use std::path::{Path, PathBuf};

use annex_checkout::Skipped;
use annex_vuln::db::Db;
use annex_vuln::matching::Query;
use annex_vuln::triage::TriagedFinding;
use chrono::NaiveDate;

use crate::{CoreError, Project};

/// The findings of one run, before rendering.
#[derive(Debug, Clone)]
pub struct Findings {
    /// Packages looked up.
    pub packages: usize,
    /// Each finding with its triage, in match order.
    pub findings: Vec<TriagedFinding>,
    /// Lockfiles and manifests whose packages were not looked up, and why.
    pub skipped: Vec<Skipped>,
    /// Warnings for the user (problems in VEX documents, packages without an ecosystem).
    pub warnings: Vec<String>,
    /// What the database could not answer: it is empty, or holds nothing for an ecosystem
    /// of the packages. "No finding" means nothing while any is listed.
    pub gaps: Vec<String>,
}

impl Project {
    /// Match the inventory against `db` and triage with the statements of `vex_files`, then
    /// annex.toml's `[[vex]]` entries.
    pub fn findings(
        &self,
        db: &Db,
        vex_files: &[PathBuf],
        today: NaiveDate,
    ) -> Result<Findings, CoreError> {
        let scanned = self.inventory()?;
        self.findings_of(&scanned, db, vex_files, today)
    }

    /// [`Project::findings`] over an inventory already scanned.
    pub fn findings_of(
        &self,
        scanned: &annex_inventory::scan::ScanResult,
        db: &Db,
        vex_files: &[PathBuf],
        today: NaiveDate,
    ) -> Result<Findings, CoreError> {
        let queries = annex_vuln::matching::queries_from_inventory(&scanned.inventory);
        let mut statements = Vec::new();
        let mut warnings = Vec::new();
        read_vex_files(vex_files, &mut statements, &mut warnings)?;
        statements.extend(self.config.vex_statements()?);
        let mut out = match_and_triage(db, &queries, &statements, today)?;
        out.skipped = skipped_of(scanned);
        out.gaps.extend(unresolved_gap(&scanned.inventory));
        warnings.extend(out.gaps.iter().cloned());
        out.warnings = warnings;
        Ok(out)
    }
}

/// What the inventory did not read, and why.
pub fn skipped_of(scanned: &annex_inventory::scan::ScanResult) -> Vec<Skipped> {
    scanned.skipped.clone()
}

fn read_vex_files(
    files: &[PathBuf],
    statements: &mut Vec<annex_vex::VexStatement>,
    warnings: &mut Vec<String>,
) -> Result<(), CoreError> {
    for f in files {
        let doc =
            annex_vex::read_path(f, annex_vex::ReadMode::Lenient).map_err(|e| CoreError::Vex {
                path: f.display().to_string(),
                message: e.to_string(),
            })?;
        warnings.extend(doc.problems.iter().map(|p| format!("{}: {p}", f.display())));
        statements.extend(doc.statements);
    }
    Ok(())
}

fn match_and_triage(
    db: &Db,
    queries: &[Query],
    statements: &[annex_vex::VexStatement],
    today: NaiveDate,
) -> Result<Findings, CoreError> {
    let found =
        annex_vuln::matching::match_packages(db, queries).map_err(|source| CoreError::Db {
            dir: db.dir().to_path_buf(),
            source,
        })?;
    Ok(Findings {
        packages: queries.len(),
        findings: annex_vuln::triage::apply(&found, statements, today),
        skipped: Vec::new(),
        warnings: Vec::new(),
        gaps: coverage_gaps(db, queries),
    })
}

/// The packages the database cannot speak for: all of them when it is empty (a failed or
/// empty import leaves one), else those of each ecosystem it holds no advisory for.
fn coverage_gaps(db: &Db, queries: &[Query]) -> Vec<String> {
    if db.ecosystems().is_empty() {
        return vec![format!(
            "the advisory database at {} holds no advisories (an empty or failed import?); \
             no package was checked",
            db.dir().display()
        )];
    }
    let mut uncovered: std::collections::BTreeMap<&str, usize> = Default::default();
    for q in queries.iter().filter(|q| !db.covers(&q.ecosystem)) {
        *uncovered.entry(q.ecosystem.as_str()).or_default() += 1;
    }
    uncovered
        .into_iter()
        .map(|(eco, n)| {
            format!(
                "the advisory database has no advisories for ecosystem {eco}; \
                 its {n} package(s) were not checked"
            )
        })
        .collect()
}

/// Dependencies named without a resolved version (a range in requirements.txt, package.json
/// without its lock, a Maven version managed outside the repository) cannot be looked up:
/// "no finding" says nothing about them.
fn unresolved_gap(inventory: &annex_inventory::Inventory) -> Option<String> {
    let unresolved: Vec<String> = inventory
        .subjects
        .iter()
        .flat_map(|s| &s.unresolved)
        .map(|u| {
            // The requirement as written usually starts with the name (`urllib3>=1.24`).
            let what = if u.requirement.starts_with(&u.name) {
                u.requirement.clone()
            } else {
                format!("{} {}", u.name, u.requirement)
            };
            format!("{what} ({}:{})", u.location.path, u.location.line)
        })
        .collect();
    let first = unresolved.first()?;
    let more = match unresolved.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Some(format!(
        "{} dependenc{} without a resolved version could not be looked up: {first}{more} \
         (a lockfile pins them)",
        unresolved.len(),
        if unresolved.len() == 1 { "y" } else { "ies" },
    ))
}

/// The packages of an SBOM (CycloneDX or SPDX JSON, CycloneDX XML) as queries, and a
/// warning for those that cannot be matched (no ecosystem or no version): they are not
/// reported as safe, they are reported as not looked up. Development-only packages are
/// left out unless `include_dev`, as a scan leaves them out of the lockfiles.
pub fn queries_from_sbom(
    path: &Path,
    include_dev: bool,
) -> Result<(Vec<Query>, Vec<String>), CoreError> {
    let doc =
        annex_sbom::read::read_file(path, &annex_sbom::ReadOptions::default()).map_err(|e| {
            CoreError::Sbom {
                path: path.display().to_string(),
                message: e.to_string(),
            }
        })?;
    let mut queries = Vec::new();
    let mut unmatched = 0usize;
    for p in doc.packages.iter().chain(doc.roots.iter()) {
        if !include_dev && p.scope == annex_inventory::Scope::Dev {
            continue;
        }
        match (&p.ecosystem, &p.version) {
            (Some(eco), Some(v)) => queries.push(Query {
                ecosystem: eco.clone(),
                name: p.name.clone(),
                version: v.clone(),
                purl: p.purl.clone(),
                scope: Some(p.scope),
                source: None,
                name_only: false,
            }),
            _ => unmatched += 1,
        }
    }
    let mut warnings = Vec::new();
    if unmatched > 0 {
        warnings.push(format!(
            "{unmatched} package(s) in {} have no purl ecosystem or version and were not matched",
            path.display()
        ));
    }
    Ok((queries, warnings))
}

/// Match given queries (from an SBOM) and triage with the given VEX files and, when
/// `annex_toml` is given, that file's `[[vex]]` entries.
pub fn findings_for_queries(
    db: &Db,
    queries: &[Query],
    vex_files: &[PathBuf],
    config: Option<&crate::ProjectConfig>,
    today: NaiveDate,
) -> Result<Findings, CoreError> {
    let mut statements = Vec::new();
    let mut warnings = Vec::new();
    read_vex_files(vex_files, &mut statements, &mut warnings)?;
    if let Some(c) = config {
        statements.extend(c.vex_statements()?);
    }
    let mut out = match_and_triage(db, queries, &statements, today)?;
    warnings.extend(out.gaps.iter().cloned());
    out.warnings = warnings;
    Ok(out)
}
