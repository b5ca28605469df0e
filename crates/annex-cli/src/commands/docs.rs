//! `annex init`, `annex docs`, `annex incident …` and `annex fix`.

use crate::output::{Exit, emit};
use crate::project_args::{AssessArgs, report_skipped};
use annex_docs::incident::{self, IncidentKind, NewIncident, ReportFormat, Stage};
use annex_docs::init::{self, Need};
use annex_docs::{DocsError, Format, Inputs, Kind, Metadata};
use anyhow::{Context, bail};
use chrono::{DateTime, FixedOffset};
use clap::{Args, Subcommand, ValueEnum};
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The repository to describe.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Answer a question without asking: `--set product.name=demo` (repeatable). Keys are
    /// shown in brackets by the prompts.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Take the proposed values without asking (for scripts and CI).
    #[arg(long, short)]
    pub yes: bool,
    /// Overwrite an existing annex.toml.
    #[arg(long)]
    pub force: bool,
    #[arg(long, hide = true)]
    pub today: Option<chrono::NaiveDate>,
}

pub fn run_init(args: InitArgs) -> anyhow::Result<u8> {
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    if args.path.join(annex_docs::METADATA_FILE).exists() && !args.force {
        bail!(
            "{} already exists (use --force to replace it)",
            args.path.join(annex_docs::METADATA_FILE).display()
        );
    }
    let mut answers: BTreeMap<String, String> = BTreeMap::new();
    for kv in &args.set {
        let Some((k, v)) = kv.split_once('=') else {
            bail!("--set {kv}: expected KEY=VALUE");
        };
        if !init::questions().iter().any(|q| q.key == k.trim()) {
            let keys: Vec<&str> = init::questions().iter().map(|q| q.key).collect();
            bail!(
                "--set {kv}: unknown key `{}` (keys: {})",
                k.trim(),
                keys.join(", ")
            );
        }
        answers.insert(k.trim().to_string(), v.trim().to_string());
    }
    let proposal = init::propose(&args.path, today);
    let interactive = !args.yes && std::io::stdin().is_terminal();
    if !args.yes && !interactive {
        let missing: Vec<&str> = init::questions()
            .iter()
            .filter(|q| {
                q.need == Need::Required
                    && !answers.contains_key(q.key)
                    && proposal.get(q.key).is_none()
            })
            .map(|q| q.key)
            .collect();
        if !missing.is_empty() {
            bail!(
                "not a terminal: answer with --set KEY=VALUE ({}) or take the proposals with --yes",
                missing.join(", ")
            );
        }
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    for q in init::questions() {
        if answers.contains_key(q.key) {
            continue;
        }
        let steward = answers.get("role").map(String::as_str) == Some("steward");
        if (q.need == Need::Manufacturer && steward) || (q.need == Need::Steward && !steward) {
            continue;
        }
        let proposed = proposal.values.get(q.key);
        let default = proposed.map(|p| p.value.clone()).unwrap_or_default();
        let answer = if interactive {
            let mut err = std::io::stderr();
            if q.key == "product.class" {
                // Annex III and IV, so the answer is a choice from the list, not a guess.
                for line in annex_spec::product_class_choices() {
                    let _ = writeln!(err, "  {line}");
                }
            }
            let choices = if q.choices.is_empty() {
                String::new()
            } else {
                format!(" ({})", q.choices.join("|"))
            };
            let from = proposed
                .map(|p| format!(" [{}, from {}]", p.value, p.source))
                .unwrap_or_default();
            let _ = write!(err, "{}{choices}{from} [{}]: ", q.prompt, q.key);
            let _ = err.flush();
            match lines.next() {
                Some(Ok(l)) if !l.trim().is_empty() => l.trim().to_string(),
                _ => default,
            }
        } else {
            default
        };
        if !answer.is_empty() {
            answers.insert(q.key.to_string(), answer);
        }
    }
    let metadata = init::build(&answers, today).map_err(|e| anyhow::anyhow!("{e}"))?;
    let doc = init::document(&metadata);
    let path = annex_docs::write_document(&args.path, &doc, args.force)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    eprintln!("wrote {}", path.display());
    Ok(0)
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocFormat {
    Markdown,
    Html,
}

#[derive(Args, Debug)]
pub struct DocsArgs {
    #[command(flatten)]
    pub assess: AssessArgs,
    /// Which documents: security-txt, security-md, contributing, user-info (Annex II),
    /// declaration (Annex V), simplified-declaration (Annex VI), technical-file (Annex VII),
    /// steward-policy (Article 24), or all (those the role in annex.toml needs).
    #[arg(long, short, value_delimiter = ',', default_value = "all")]
    pub kind: Vec<String>,
    #[arg(long, short, value_enum, default_value_t = DocFormat::Markdown)]
    pub format: DocFormat,
    /// Directory to write into (default: the repository, at each document's usual place).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// An SBOM to describe (CycloneDX or SPDX JSON); default: the one annex would write.
    #[arg(long, value_name = "FILE")]
    pub sbom: Option<PathBuf>,
    /// An `annex vulns --format json` document to summarise.
    #[arg(long, value_name = "FILE")]
    pub findings: Option<PathBuf>,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
}

fn kind_of(name: &str) -> anyhow::Result<Kind> {
    let alias = match name {
        "user-info" => "user-information",
        "technical-file" => "technical-documentation",
        other => other,
    };
    alias
        .parse::<Kind>()
        .map_err(|e| anyhow::anyhow!("--kind {name}: {e}"))
}

fn load_metadata(root: &Path, today: chrono::NaiveDate) -> anyhow::Result<Metadata> {
    Metadata::load(root, today).map_err(|e| anyhow::anyhow!("{e}"))
}

pub fn run_docs(args: DocsArgs, build_time: annex_types::BuildTime) -> anyhow::Result<u8> {
    args.assess.token_env_needs_forge()?;
    let today = args.assess.today();
    let root = args.assess.path.clone();
    let meta = load_metadata(&root, today)?;
    let default_profile = format!("cra-{}", meta.role.as_str());
    let (project, assessed) = args.assess.assess(&default_profile)?;
    report_skipped(&assessed.assessment.skipped, assessed.subjects);
    let (profile, assessment) = (assessed.profile, assessed.assessment);
    let sbom = match &args.sbom {
        Some(f) => {
            let json: serde_json::Value = serde_json::from_slice(&read_named(f)?)
                .with_context(|| format!("{}: not JSON", f.display()))?;
            annex_docs::SbomSummary::from_json(&json, f.to_str())
        }
        None => {
            // The SBOM annex would write for the same files the assessment read.
            let inv = project.inventory()?.inventory;
            let opts = annex_sbom::Options {
                build_time,
                ..annex_sbom::Options::default()
            };
            let bom = annex_sbom::cyclonedx::bom(&inv, &opts)?;
            Some(annex_docs::SbomSummary::from_cyclonedx(&bom))
        }
    };
    let findings = match &args.findings {
        Some(f) => {
            let json: serde_json::Value = serde_json::from_slice(&read_named(f)?)
                .with_context(|| format!("{}: not JSON", f.display()))?;
            Some(annex_docs::FindingsSummary::from_json(&json))
        }
        None => None,
    };
    let mut inputs = Inputs::new(&meta, today)
        .with_assessment(&assessment)
        .with_params(profile.parameters.clone());
    if let Some(s) = &sbom {
        inputs = inputs.with_sbom(s);
    }
    if let Some(f) = &findings {
        inputs = inputs.with_findings(f);
    }
    let kinds: Vec<Kind> = if args.kind.iter().any(|k| k == "all") {
        Kind::for_role(meta.role)
    } else {
        args.kind
            .iter()
            .map(|k| kind_of(k))
            .collect::<Result<_, _>>()?
    };
    let format = match args.format {
        DocFormat::Markdown => Format::Markdown,
        DocFormat::Html => Format::Html,
    };
    let out_root = args.output.clone().unwrap_or(root);
    let mut problems = 0;
    for kind in kinds {
        let doc = match annex_docs::render(kind, &inputs, format) {
            Ok(d) => d,
            Err(e @ DocsError::NotForRole { .. }) => {
                eprintln!("error: {e}");
                problems += 1;
                continue;
            }
            Err(e) => return Err(anyhow::anyhow!("{e}")),
        };
        match annex_docs::write_document(&out_root, &doc, args.force) {
            Ok(p) => eprintln!("wrote {} ({} TODO)", p.display(), doc.todos.len()),
            Err(e @ DocsError::Exists { .. }) => {
                eprintln!("skipped: {e} (use --force to replace it)");
                continue;
            }
            Err(e) => return Err(anyhow::anyhow!("{e}")),
        }
        for t in &doc.todos {
            eprintln!("  TODO {}: {}", t.item, t.what);
        }
    }
    if problems > 0 {
        return Err(Exit(2).into());
    }
    Ok(0)
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Vulnerability,
    SevereIncident,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageArg {
    EarlyWarning,
    Notification,
    Final,
    UserNotice,
}

impl StageArg {
    fn stage(self) -> Stage {
        match self {
            StageArg::EarlyWarning => Stage::EarlyWarning,
            StageArg::Notification => Stage::Notification,
            StageArg::Final => Stage::Final,
            StageArg::UserNotice => Stage::UserNotice,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormatArg {
    Markdown,
    Json,
}

fn parse_time(s: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(s).map_err(|e| {
        format!("expected RFC 3339 with an offset, e.g. 2026-11-25T10:17:00+01:00: {e}")
    })
}

fn now_local() -> DateTime<FixedOffset> {
    chrono::Local::now().fixed_offset()
}

#[derive(Subcommand, Debug)]
pub enum IncidentCommand {
    /// Record an event under .annex/incidents/: an actively exploited vulnerability or a
    /// severe incident starts the Article 14 clocks (24 h, 72 h, final report).
    New {
        #[arg(long, value_enum)]
        kind: EventKind,
        /// When you became aware (RFC 3339 with offset; default now).
        #[arg(long, value_parser = parse_time)]
        aware_at: Option<DateTime<FixedOffset>>,
        /// Advisory or CVE id (repeatable).
        #[arg(long = "id")]
        ids: Vec<String>,
        /// Affected version or range (repeatable).
        #[arg(long = "affected")]
        affected: Vec<String>,
        /// The vulnerability is actively exploited (only then do the clocks run).
        #[arg(long)]
        exploited: bool,
        #[arg(long)]
        summary: String,
        #[arg(long, default_value = ".")]
        path: PathBuf,
    },
    /// Record that a fix or mitigation is available (starts the final report's 14 days).
    Fix {
        id: String,
        #[arg(long, value_parser = parse_time)]
        fixed_at: Option<DateTime<FixedOffset>>,
        /// The version that fixes it.
        #[arg(long)]
        version: Option<String>,
        #[arg(long, default_value = ".")]
        path: PathBuf,
    },
    /// Record that a report was submitted.
    Submitted {
        id: String,
        #[arg(long, value_enum)]
        stage: StageArg,
        #[arg(long, value_parser = parse_time)]
        at: Option<DateTime<FixedOffset>>,
        #[arg(long, default_value = ".")]
        path: PathBuf,
    },
    /// Each clock with the time left, or how long overdue. Exit 1 when one is overdue.
    Status {
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long, value_parser = parse_time, hide = true)]
        now: Option<DateTime<FixedOffset>>,
        #[arg(long, short, value_enum, default_value_t = ReportFormatArg::Markdown)]
        format: ReportFormatArg,
    },
    /// Write a report draft with the fields Article 14(2)/(4) ask for (Markdown or JSON);
    /// the user notice of 14(8) as CSAF 2.0 with --stage user-notice --format json.
    Draft {
        id: String,
        #[arg(long, value_enum)]
        stage: StageArg,
        #[arg(long, short, value_enum, default_value_t = ReportFormatArg::Markdown)]
        format: ReportFormatArg,
        /// Directory to write into (default: stdout).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Replace an existing draft in the --output directory.
        #[arg(long)]
        force: bool,
        #[arg(long, default_value = ".")]
        path: PathBuf,
        #[arg(long, value_parser = parse_time, hide = true)]
        now: Option<DateTime<FixedOffset>>,
    },
}

pub fn run_incident(cmd: IncidentCommand) -> anyhow::Result<u8> {
    let err = |e: DocsError| anyhow::anyhow!("{e}");
    match cmd {
        IncidentCommand::New {
            kind,
            aware_at,
            ids,
            affected,
            exploited,
            summary,
            path,
        } => {
            let kind = match kind {
                EventKind::Vulnerability => IncidentKind::Vulnerability,
                EventKind::SevereIncident => IncidentKind::SevereIncident,
            };
            let mut n = NewIncident::new(kind, aware_at.unwrap_or_else(now_local), summary);
            n.ids = ids;
            n.affected_versions = affected;
            n.actively_exploited = exploited;
            let inc = incident::new(&path, n).map_err(err)?;
            eprintln!("recorded {}", inc.id);
            for c in incident::clocks(&inc, now_local()) {
                eprintln!("  {}", c.describe());
            }
            emit(None, &format!("{}\n", inc.id))?;
            Ok(0)
        }
        IncidentCommand::Fix {
            id,
            fixed_at,
            version,
            path,
        } => {
            let inc = incident::record_fix(
                &path,
                &id,
                fixed_at.unwrap_or_else(now_local),
                version.as_deref(),
            )
            .map_err(err)?;
            for c in incident::clocks(&inc, now_local()) {
                eprintln!("  {}", c.describe());
            }
            Ok(0)
        }
        IncidentCommand::Submitted {
            id,
            stage,
            at,
            path,
        } => {
            incident::record_submitted(&path, &id, stage.stage(), at.unwrap_or_else(now_local))
                .map_err(err)?;
            Ok(0)
        }
        IncidentCommand::Status { path, now, format } => {
            let clocks = incident::status(&path, now.unwrap_or_else(now_local)).map_err(err)?;
            let overdue = clocks
                .iter()
                .any(|c| c.state == incident::ClockState::Overdue);
            let text = match format {
                ReportFormatArg::Json => serde_json::to_string_pretty(&clocks)? + "\n",
                ReportFormatArg::Markdown => {
                    let mut s = String::new();
                    for c in &clocks {
                        s.push_str(&format!("{}: {}\n", c.incident, c.describe()));
                    }
                    if clocks.is_empty() {
                        s.push_str("no incidents recorded (annex incident new …)\n");
                    }
                    s
                }
            };
            emit(None, &text)?;
            Ok(if overdue { 1 } else { 0 })
        }
        IncidentCommand::Draft {
            id,
            stage,
            format,
            output,
            force,
            path,
            now,
        } => {
            let today = chrono::Local::now().date_naive();
            let meta = load_metadata(&path, today)?;
            let inc = incident::load(&path, &id).map_err(err)?;
            let f = match format {
                ReportFormatArg::Markdown => ReportFormat::Markdown,
                ReportFormatArg::Json => ReportFormat::Json,
            };
            let doc = incident::draft(&meta, &inc, stage.stage(), f, now.unwrap_or_else(now_local))
                .map_err(err)?;
            match output {
                Some(dir) => {
                    let p = annex_docs::write_document(&dir, &doc, force).map_err(err)?;
                    eprintln!("wrote {}", p.display());
                }
                None => emit(None, &doc.content)?,
            }
            Ok(0)
        }
    }
}

#[derive(Args, Debug)]
pub struct FixArgs {
    #[command(flatten)]
    pub assess: AssessArgs,
    /// Only these generators (comma-separated): security-md, security-txt, contributing.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Replace files that exist (default: leave them and say so).
    #[arg(long)]
    pub force: bool,
}

pub fn run_fix(args: FixArgs) -> anyhow::Result<u8> {
    args.assess.token_env_needs_forge()?;
    let known = annex_docs::fix::generators();
    let unknown: Vec<&str> = args
        .only
        .iter()
        .map(String::as_str)
        .filter(|g| !known.contains(g))
        .collect();
    if !unknown.is_empty() {
        bail!(
            "unknown generator(s): {} (known: {})",
            unknown.join(", "),
            known.join(", ")
        );
    }
    let today = args.assess.today();
    let root = args.assess.path.clone();
    let meta = load_metadata(&root, today)?;
    let (_, assessed) = args.assess.assess("osps-l1")?;
    let (profile, assessment) = (assessed.profile, assessed.assessment);
    let (planned, unknown) = annex_docs::fix::plan(&assessment, &args.only);
    if !unknown.is_empty() {
        bail!(
            "unknown generator(s): {} (known: {})",
            unknown.join(", "),
            annex_docs::fix::generators().join(", ")
        );
    }
    if planned.is_empty() {
        eprintln!("nothing to write: no failing requirement names a generator");
        return Ok(0);
    }
    let inputs = Inputs::new(&meta, today)
        .with_assessment(&assessment)
        .with_params(profile.parameters.clone());
    for p in planned {
        let doc =
            annex_docs::fix::generate(&p.generator, &inputs).map_err(|e| anyhow::anyhow!("{e}"))?;
        match annex_docs::write_document(&root, &doc, args.force) {
            Ok(path) => eprintln!(
                "wrote {} (for {})",
                path.display(),
                p.requirements.join(", ")
            ),
            Err(DocsError::Exists { path }) => eprintln!(
                "skipped: {path} exists (use --force to replace it); see the remediation of {}",
                p.requirements.join(", ")
            ),
            Err(e) => return Err(anyhow::anyhow!("{e}")),
        }
    }
    Ok(0)
}

/// The most annex reads of an SBOM or findings document named with `--sbom`/`--findings`.
const MAX_NAMED_DOCUMENT: u64 = 256 * 1024 * 1024;

fn read_named(f: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    annex_checkout::read_given(f, MAX_NAMED_DOCUMENT)
        .with_context(|| format!("cannot read {}", f.display()))
}
