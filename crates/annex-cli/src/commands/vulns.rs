//! `annex db …` (the advisory database) and `annex vulns` (matching).

use crate::output::{emit, spinner};
use crate::project_args::warn_all;
use annex_vuln::db::{Db, DbError, ImportSummary, IssueKind};
use annex_vuln::matching::FindingKind;
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryFormat {
    Text,
    Json,
}

#[derive(Args, Debug, Clone)]
pub struct DbArg {
    /// The advisory database directory (default: the user cache dir, e.g.
    /// ~/.cache/annex/db).
    #[arg(long, value_name = "DIR", env = "ANNEX_DB")]
    pub db: Option<PathBuf>,
}

impl DbArg {
    pub fn dir(&self) -> anyhow::Result<PathBuf> {
        match &self.db {
            Some(d) => Ok(d.clone()),
            None => crate::project_args::default_db_dir().context(
                "no cache directory (neither XDG_CACHE_HOME nor HOME is set); pass --db DIR",
            ),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Import advisories: directories of OSV JSON or YAML (recursive), osv.dev's
    /// per-ecosystem all.zip, the RustSec advisory-db checkout, or single files.
    ///
    /// Re-importing is incremental: an advisory is rewritten only when its `modified` is
    /// newer or its content changed. A malformed advisory is skipped with a warning naming
    /// the file and counted; it never aborts the import.
    ///
    /// Example: annex db import ~/advisory-db ~/Downloads/PyPI-all.zip
    Import {
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArg,
        #[arg(long, short, value_enum, default_value_t = SummaryFormat::Text)]
        format: SummaryFormat,
        /// List every skipped, ignored or warned-about record.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Show what the database holds: advisories per source and ecosystem, past imports.
    Stats {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, short, value_enum, default_value_t = SummaryFormat::Text)]
        format: SummaryFormat,
    },
    /// Download advisories (an osv.dev-style all.zip or one OSV JSON file) and import them.
    ///
    /// This is annex's only online command, and it runs only when asked. The download is
    /// bounded in size and time and goes through a temporary file.
    ///
    /// Example: annex db update --url https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip
    Update {
        #[arg(long, required = true)]
        url: Vec<String>,
        #[command(flatten)]
        db: DbArg,
        #[arg(long, short, value_enum, default_value_t = SummaryFormat::Text)]
        format: SummaryFormat,
        #[arg(long, short)]
        verbose: bool,
    },
}

pub fn run_db(cmd: DbCommand) -> anyhow::Result<u8> {
    match cmd {
        DbCommand::Import {
            sources,
            db,
            format,
            verbose,
        } => {
            let dir = db.dir()?;
            let mut database = open_for_write(&dir)?;
            let label = format!("importing into {}", dir.display());
            let summary = import_step(&mut database, format, verbose, label, |d| {
                Ok(d.import(&sources)?)
            })?;
            nothing_imported_code(&[summary])
        }
        DbCommand::Update {
            url,
            db,
            format,
            verbose,
        } => {
            let dir = db.dir()?;
            let mut database = open_for_write(&dir)?;
            let mut summaries = Vec::new();
            for u in &url {
                summaries.push(import_step(
                    &mut database,
                    format,
                    verbose,
                    format!("downloading {u}"),
                    |d| {
                        Ok(annex_core::db_update::download(
                            u,
                            d,
                            &annex_core::db_update::DownloadLimits::default(),
                        )?)
                    },
                )?);
            }
            nothing_imported_code(&summaries)
        }
        DbCommand::Stats { db, format } => {
            let dir = db.dir()?;
            let database = Db::open(&dir).with_context(|| {
                format!(
                    "no advisory database at {} (run `annex db import` first)",
                    dir.display()
                )
            })?;
            let stats = database.stats()?;
            match format {
                SummaryFormat::Json => emit(None, &(serde_json::to_string_pretty(&stats)? + "\n"))?,
                SummaryFormat::Text => {
                    let mut s = format!(
                        "{}: {} advisories ({} withdrawn)\n",
                        dir.display(),
                        stats.advisories,
                        stats.withdrawn
                    );
                    if let Some(u) = &stats.updated {
                        let _ = writeln!(s, "last import: {u}");
                    }
                    let _ = writeln!(s, "by source:");
                    for (k, v) in &stats.by_source {
                        let _ = writeln!(s, "  {k:<12} {v:>7}");
                    }
                    let _ = writeln!(s, "by ecosystem:");
                    for (k, v) in &stats.by_ecosystem {
                        let _ = writeln!(
                            s,
                            "  {k:<12} {:>7} advisories, {:>6} packages, {} withdrawn",
                            v.advisories, v.packages, v.withdrawn
                        );
                    }
                    emit(None, &s)?;
                }
            }
            Ok(0)
        }
    }
}

/// Opens (or creates) the database and takes its writer lock, saying on stderr when another
/// process holds it and this one waits.
fn open_for_write(dir: &std::path::Path) -> anyhow::Result<Db> {
    let mut database = Db::open_or_create(dir)
        .with_context(|| format!("cannot open the database at {}", dir.display()))?;
    match database.lock(false) {
        Err(e @ DbError::Locked { .. }) => {
            eprintln!("{e}; waiting for it to finish");
            database.lock(true)?;
        }
        other => other?,
    }
    Ok(database)
}

/// One import (from files or a download) with its spinner, then its summary on stdout.
fn import_step(
    database: &mut Db,
    format: SummaryFormat,
    verbose: bool,
    label: String,
    step: impl FnOnce(&mut Db) -> anyhow::Result<ImportSummary>,
) -> anyhow::Result<ImportSummary> {
    let spinner = spinner(format == SummaryFormat::Text, label);
    let summary = step(database);
    if let Some(pb) = spinner {
        pb.finish_and_clear();
    }
    let summary = summary?;
    match format {
        SummaryFormat::Json => emit(None, &(serde_json::to_string_pretty(&summary)? + "\n"))?,
        SummaryFormat::Text => emit(None, &import_text(&summary, database.dir(), verbose))?,
    }
    Ok(summary)
}

/// An import that read no valid advisory at all fails (exit 2) after its summary: an empty
/// import must not look like an update.
fn nothing_imported_code(summaries: &[ImportSummary]) -> anyhow::Result<u8> {
    if summaries.iter().any(|s| s.records == 0) {
        anyhow::bail!("no advisory was imported: nothing valid was read");
    }
    Ok(0)
}

fn import_text(s: &ImportSummary, dir: &std::path::Path, verbose: bool) -> String {
    let mut out = format!(
        "imported into {}: {} read, {} valid; {} added, {} updated, {} unchanged; {} skipped, {} ignored, {} with warnings\n",
        dir.display(),
        s.files,
        s.records,
        s.added,
        s.updated,
        s.unchanged,
        s.skipped,
        s.ignored,
        s.warnings
    );
    for (eco, n) in &s.by_ecosystem {
        let _ = writeln!(out, "  {eco:<12} {n:>7}");
    }
    let shown: Vec<_> = s
        .issues
        .iter()
        .filter(|i| verbose || i.kind == IssueKind::Skipped)
        .collect();
    for i in shown.iter().take(if verbose { usize::MAX } else { 20 }) {
        let kind = match i.kind {
            IssueKind::Skipped => "skipped",
            IssueKind::Ignored => "ignored",
            IssueKind::Warning => "warning",
        };
        let _ = writeln!(out, "{kind}: {}: {}", i.path, i.message);
    }
    if !verbose && shown.len() > 20 {
        let _ = writeln!(
            out,
            "… {} more (--verbose lists them all)",
            shown.len() - 20
        );
    }
    out
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum VulnFormat {
    Text,
    Json,
    Sarif,
    /// OpenVEX v0.2.0: one statement per finding (untriaged ones under_investigation).
    Openvex,
    /// CycloneDX 1.6 VEX.
    CyclonedxVex,
    /// CSAF 2.0 VEX profile for the project's own product (from annex.toml).
    Csaf,
    /// CSAF 2.0 security advisory profile for the project's own product (from annex.toml).
    CsafAdvisory,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Threshold {
    /// Any open finding, including those without a severity.
    Any,
    Low,
    Medium,
    High,
    Critical,
    /// Never exit 1 for findings.
    Never,
}

/// A finding kind, for `--fail-on-kind`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindArg {
    Vulnerability,
    Malicious,
    Unsound,
    Unmaintained,
    Notice,
}

impl KindArg {
    fn kind(self) -> FindingKind {
        match self {
            KindArg::Vulnerability => FindingKind::Vulnerability,
            KindArg::Malicious => FindingKind::Malicious,
            KindArg::Unsound => FindingKind::Unsound,
            KindArg::Unmaintained => FindingKind::Unmaintained,
            KindArg::Notice => FindingKind::Notice,
        }
    }
}

#[derive(Args, Debug)]
pub struct VulnsArgs {
    #[command(flatten)]
    pub scan: crate::commands::inventory::ScanArgs,
    /// Match the packages of this SBOM (CycloneDX or SPDX JSON, CycloneDX XML) instead of
    /// scanning lockfiles.
    #[arg(long, value_name = "FILE", conflicts_with = "lockfiles")]
    pub sbom: Option<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, short, value_enum, default_value_t = VulnFormat::Text)]
    pub format: VulnFormat,
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Exit 1 when an open (not suppressed) finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = Threshold::Any)]
    pub fail_on: Threshold,
    /// The finding kinds --fail-on applies to (comma-separated). Unsound, unmaintained and
    /// notice findings are reported but fail the run only when named here; a malicious
    /// package fails it whatever its severity (unless --fail-on never).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_values_t = [KindArg::Vulnerability, KindArg::Malicious]
    )]
    pub fail_on_kind: Vec<KindArg>,
    /// Show which range or version entry of each advisory matched, and why.
    #[arg(long)]
    pub explain: bool,
    /// VEX documents (OpenVEX, CycloneDX VEX, CSAF VEX) whose statements triage the
    /// findings; `[[vex]]` entries in PATH/annex.toml are applied too, and win.
    #[arg(long = "vex", value_name = "FILE")]
    pub vex: Vec<PathBuf>,
    /// Author named in written VEX documents.
    #[arg(long, default_value = "annex")]
    pub vex_author: String,
    /// The date VEX expiry is checked against (YYYY-MM-DD; default today).
    #[arg(long, hide = true)]
    pub today: Option<chrono::NaiveDate>,
}

pub fn run_vulns(args: VulnsArgs, build_time: annex_types::BuildTime) -> anyhow::Result<u8> {
    let dir = args.db.dir()?;
    let db = Db::open(&dir).with_context(|| {
        format!(
            "no advisory database at {} (import one with `annex db import`, or pass --db)",
            dir.display()
        )
    })?;
    let quiet = args.format != VulnFormat::Text;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let (subject, found) = match &args.sbom {
        Some(path) => {
            // VEX entries and `[scope] include-dev` come from the annex.toml of the current
            // directory, as before.
            let config = annex_core::ProjectConfig::load(std::path::Path::new("."))?;
            let include_dev = args.scan.include_dev || config.scope.include_dev;
            let (queries, warnings) = annex_core::queries_from_sbom(path, include_dev)?;
            warn_all(&warnings);
            let found =
                annex_core::findings_for_queries(&db, &queries, &args.vex, Some(&config), today)?;
            (path.display().to_string(), found)
        }
        None => {
            let scanned = args.scan.run(quiet)?;
            let found = match &scanned.project {
                Some(project) => project.findings_of(&scanned.result, &db, &args.vex, today)?,
                None => {
                    let queries =
                        annex_vuln::matching::queries_from_inventory(&scanned.result.inventory);
                    let config = annex_core::ProjectConfig::load(&args.scan.path)?;
                    let mut found = annex_core::findings_for_queries(
                        &db,
                        &queries,
                        &args.vex,
                        Some(&config),
                        today,
                    )?;
                    found.skipped = annex_core::skipped_of(&scanned.result);
                    found
                }
            };
            (args.scan.path.display().to_string(), found)
        }
    };
    warn_all(&found.warnings);
    let root = if args.sbom.is_some() {
        PathBuf::from(".")
    } else {
        args.scan.path.clone()
    };
    let stats = db.stats()?;
    let doc = annex_report::findings::FindingsDoc {
        schema: annex_report::findings::FINDINGS_SCHEMA.to_string(),
        subject,
        database: annex_report::findings::DbSnapshot {
            path: dir.display().to_string(),
            updated: stats.updated.clone(),
            advisories: stats.advisories,
        },
        packages: found.packages,
        findings: found.findings,
        skipped: found.skipped,
    };
    let text = match args.format {
        VulnFormat::Text => annex_report::findings::findings_text(&doc, args.explain),
        VulnFormat::Json => serde_json::to_string_pretty(&doc)? + "\n",
        VulnFormat::Sarif => {
            serde_json::to_string_pretty(&annex_report::findings::findings_sarif(&doc))? + "\n"
        }
        VulnFormat::Openvex => {
            let mut opts = annex_vex::openvex::OpenVexOptions::new(args.vex_author.clone());
            opts.timestamp = annex_vex::Timestamp::Build(build_time);
            let entries = annex_vuln::to_vex::entries(&doc.findings);
            serde_json::to_string_pretty(&annex_vex::openvex::write(&entries, &opts))? + "\n"
        }
        VulnFormat::CyclonedxVex => {
            let opts = annex_vex::cyclonedx::CycloneDxVexOptions {
                timestamp: annex_vex::Timestamp::Build(build_time),
                ..Default::default()
            };
            let entries = annex_vuln::to_vex::entries(&doc.findings);
            serde_json::to_string_pretty(&annex_vex::cyclonedx::write(&entries, &opts))? + "\n"
        }
        VulnFormat::Csaf | VulnFormat::CsafAdvisory => {
            let meta = annex_docs::Metadata::load(&root, today)
                .map_err(|e| anyhow::anyhow!("CSAF needs the product from annex.toml: {e}"))?;
            let product = annex_docs::csaf_product(&meta, today, build_time, &doc.findings)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let opts = annex_vex::csaf::CsafOptions {
                timestamp: annex_vex::Timestamp::Build(build_time),
                ..Default::default()
            };
            let entries = annex_vuln::to_vex::entries(&doc.findings);
            let written = if args.format == VulnFormat::Csaf {
                annex_vex::csaf::vex(&product, &entries, &opts)
            } else {
                annex_vex::csaf::security_advisory(&product, &entries, &opts)
            };
            serde_json::to_string_pretty(&written.map_err(|e| anyhow::anyhow!("{e}"))?)? + "\n"
        }
    };
    emit(args.output.as_ref(), &text)?;
    let kinds: Vec<FindingKind> = args.fail_on_kind.iter().map(|k| k.kind()).collect();
    let failing = doc
        .findings
        .iter()
        .filter(|r| !r.suppressed && kinds.contains(&r.finding.kind))
        .any(|r| {
            meets(&r.finding, args.fail_on)
                || (r.finding.kind == FindingKind::Malicious && args.fail_on != Threshold::Never)
        });
    Ok(if failing { 1 } else { 0 })
}

/// Whether a finding is at or above the threshold; unknown severity meets only `any`.
fn meets(f: &annex_vuln::matching::Finding, threshold: Threshold) -> bool {
    let score = f.severity.as_ref().and_then(|s| s.score);
    match threshold {
        Threshold::Never => false,
        Threshold::Any => true,
        t => score.is_some_and(|s| {
            s >= match t {
                Threshold::Low => 0.1,
                Threshold::Medium => 4.0,
                Threshold::High => 7.0,
                _ => 9.0,
            }
        }),
    }
}
