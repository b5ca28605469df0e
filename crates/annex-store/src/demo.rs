//! Demo and load data. [`write_demo_checkouts`] writes small checkouts that differ in what
//! they hold, so a real scan of them fills a dashboard; [`seed_copies`] stores many
//! projects with runs varied from one real report (for the 1,000-project tests and
//! benchmarks: every run is labelled as a copy).

use std::path::{Path, PathBuf};

use annex_assess::{Coverage, Status};
use annex_core::fleet::{CraRow, FindingRow, RUN_REPORT_SCHEMA, ResultRow, RunReport, SbomSummary};

use crate::{NewProject, Outcome, Store, StoreError};

/// The files of the demo checkouts, added stage by stage: a project at stage `n` has the
/// first `n` of them.
const STAGES: [(&str, &str); 6] = [
    (
        "README.md",
        "# demo\n\nA demo project of the annex fleet dashboard.\n",
    ),
    (
        "LICENSE",
        "Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n",
    ),
    (
        "SECURITY.md",
        "# Security policy\n\nReport vulnerabilities privately to security@example.org.\nWe answer within 14 days.\n",
    ),
    (
        "CONTRIBUTING.md",
        "# Contributing\n\nOpen a pull request; every change is reviewed by a maintainer.\n",
    ),
    (
        "Cargo.lock",
        "version = 4\n\n[[package]]\nname = \"demo\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    ),
    (
        ".github/workflows/ci.yml",
        "name: ci\non: [push]\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@08eba0b27e820071cde6df949e0beb9ba4906955\n",
    ),
];

/// Names and tags of the demo projects.
pub const DEMO_PROJECTS: [(&str, &str); 6] = [
    ("aurora", "web"),
    ("basalt", "crypto"),
    ("cirrus", "web"),
    ("dune", "tools"),
    ("ember", "crypto"),
    ("fjord", "tools"),
];

/// Write demo project `index` at `stage` (0..=6 files) under `dir`; returns its path.
pub fn write_demo_checkout(dir: &Path, index: usize, stage: usize) -> std::io::Result<PathBuf> {
    let (name, _) = DEMO_PROJECTS[index % DEMO_PROJECTS.len()];
    let root = dir.join(name);
    std::fs::create_dir_all(&root)?;
    for (i, (path, text)) in STAGES.iter().enumerate() {
        let file = root.join(path);
        if i < stage {
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&file, text)?;
        } else if file.exists() {
            std::fs::remove_file(&file)?;
        }
    }
    Ok(root)
}

/// The demo's projects, with their checkouts under `dir`.
pub fn demo_projects(dir: &Path) -> Vec<NewProject> {
    DEMO_PROJECTS
        .iter()
        .map(|(name, tag)| NewProject {
            name: (*name).to_string(),
            location: dir.join(name).display().to_string(),
            profile: None,
            tags: vec!["demo".to_string(), (*tag).to_string()],
        })
        .collect()
}

/// Stage of demo project `index` at round `round`: each project improves at its own pace.
pub fn demo_stage(index: usize, round: usize) -> usize {
    (1 + index % 3 + round * (1 + index % 2)).min(STAGES.len())
}

/// A cheap deterministic generator (no randomness source in a library).
fn mix(a: u64, b: u64) -> u64 {
    let mut x = a
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(b.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    x ^= x >> 31;
    x.wrapping_mul(0x94D0_49BB_1331_11EB)
}

/// Store `projects` copies of `template` (named `copy-00001`…), each with `runs` runs
/// spaced a day apart ending at `now`: a failed requirement of the template passes in
/// some copies and runs (marked in its reason), so trends and sorts differ.
pub async fn seed_copies(
    store: &Store,
    template: &RunReport,
    projects: usize,
    runs: usize,
    now: i64,
) -> Result<(), StoreError> {
    for p in 0..projects {
        let name = format!("copy-{p:05}");
        let tag = ["alpha", "beta", "gamma"][p % 3];
        let row = store
            .add_project(
                &NewProject {
                    name: name.clone(),
                    location: format!("file:///demo/{name}.git"),
                    profile: None,
                    tags: vec!["copy".into(), tag.into()],
                },
                now,
            )
            .await?;
        for r in 0..runs {
            let mut report = template.clone();
            for (i, res) in report.results.iter_mut().enumerate() {
                let roll = mix(p as u64, i as u64) % (runs as u64 + 2);
                if res.status == Status::Fail && roll < r as u64 {
                    res.status = Status::Pass;
                    res.reason = format!("copy of a real run, varied: {}", res.reason);
                }
            }
            report.summary = annex_core::fleet::summary_of(&report.results);
            let at = now - ((runs - 1 - r) as i64) * 86_400;
            store
                .save_run(
                    row.id,
                    at,
                    &report.annex_version.clone(),
                    Outcome::Ok(&report),
                )
                .await?;
        }
    }
    Ok(())
}

/// A made-up report (for tests and load): requirements with these statuses, three CRA
/// items (covered, not covered, not applicable), findings `(advisory, severity,
/// suppressed)` on one package.
pub fn synthetic_report(statuses: &[(&str, Status)], findings: &[(&str, &str, bool)]) -> RunReport {
    let results: Vec<ResultRow> = statuses
        .iter()
        .map(|(id, st)| ResultRow {
            requirement: (*id).to_string(),
            title: format!("title of {id}"),
            status: *st,
            reason: format!("because {id}"),
            remediation: (*st == Status::Fail).then(|| format!("fix {id}")),
        })
        .collect();
    let cra = |id: &str, coverage| CraRow {
        requirement: id.into(),
        title: format!("item {id}"),
        coverage,
    };
    RunReport {
        schema: RUN_REPORT_SCHEMA.into(),
        commit: Some("0123456789abcdef".into()),
        annex_version: "0.1.0".into(),
        profile: "osps-l1".into(),
        catalogs: vec!["osps@2026.02.19".into(), "cra@2024".into()],
        duration_ms: 42,
        summary: annex_core::fleet::summary_of(&results),
        results,
        cra: vec![
            cra("CRA-A", Coverage::Covered),
            cra("CRA-B", Coverage::NotCovered),
            cra("CRA-C", Coverage::NotApplicable),
        ],
        findings: findings
            .iter()
            .map(|(id, sev, suppressed)| FindingRow {
                advisory: (*id).into(),
                ecosystem: "crates.io".into(),
                package: "smallvec".into(),
                version: "1.6.0".into(),
                severity: (*sev).into(),
                score: Some(9.8),
                vex: suppressed.then(|| "not_affected".into()),
                suppressed: *suppressed,
            })
            .collect(),
        vulns_unchecked: None,
        sbom: SbomSummary {
            subjects: 1,
            components: 2,
            by_ecosystem: [("crates.io".to_string(), 2)].into(),
        },
    }
}
