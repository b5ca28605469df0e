//! `annex check` and `annex evidence`.

use crate::{ColorChoice, emit};
use annex_assess::{Attestations, Inputs, Status};
use annex_spec::{Library, ResolveOptions};
use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    Text,
    Json,
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// Exit 1 when a requirement fails.
    Fail,
    /// Exit 1 when a requirement fails or needs review.
    NeedsReview,
    /// Always exit 0 once the assessment ran.
    Never,
}

#[derive(Args, Debug, Clone)]
pub struct WalkArgs {
    /// Extra paths to leave out of the walk (gitignore-style globs), added to the defaults
    /// (vendor/, node_modules/, third_party/, test fixtures, examples…).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are counted but not read.
    #[arg(long, value_name = "BYTES", default_value_t = 4 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Threads for the walk (0: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Verify SSH-signed commits and tags against this OpenSSH allowed_signers file.
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: Option<PathBuf>,
    /// Verify OpenPGP-signed commits and tags against these public keys (armored or binary).
    #[arg(long, value_name = "FILE")]
    pub keyring: Option<PathBuf>,
}

/// What an assessment is computed from; shared by `check`, `docs` and `fix`.
#[derive(Args, Debug, Clone)]
pub struct AssessArgs {
    /// The checkout to assess.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Profile id (see `annex spec list`) or path to a profile file (default: osps-l1 for
    /// check and fix; cra-manufacturer or cra-steward, by annex.toml's role, for docs).
    #[arg(long, short)]
    pub profile: Option<String>,
    /// Keep only OSPS maturity levels 1..=N of the profile.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub level: Option<u8>,
    /// Extra catalogs, rule packs, mapping sets or profiles to load (files or directories).
    #[arg(long = "spec", value_name = "PATH")]
    pub spec: Vec<PathBuf>,
    /// The advisory database for the known-vulnerability requirements (default: the user
    /// cache dir when it holds one; see `annex db import`).
    #[arg(long, value_name = "DIR", env = "ANNEX_DB")]
    pub db: Option<PathBuf>,
    /// Do not match dependencies against advisories (those requirements then need review).
    #[arg(long, conflicts_with = "db")]
    pub no_vulns: bool,
    /// The date attestations' expiry is checked against (YYYY-MM-DD; default today).
    #[arg(long, hide = true)]
    pub today: Option<chrono::NaiveDate>,
    /// Also ask the forge's API for what a checkout cannot show (branch protection, 2FA,
    /// private vulnerability reporting …). Off by default; the repository comes from the
    /// origin remote. A setting the token may not see gives not-run, never fail.
    #[arg(long, value_enum)]
    pub forge: Option<ForgeArg>,
    /// Environment variable holding the API token for --forge.
    #[arg(
        long,
        value_name = "VAR",
        default_value = "GITHUB_TOKEN",
        requires = "forge"
    )]
    pub token_env: String,
    /// The forge API root (default: the public GitHub or GitLab API).
    #[arg(long, value_name = "URL", requires = "forge", hide = true)]
    pub forge_api: Option<String>,
    #[command(flatten)]
    pub walk: WalkArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForgeArg {
    Github,
    Gitlab,
}

/// Forge facts for the evidence's `forge` key, from the origin remote.
fn forge_evidence(
    a: &AssessArgs,
    kind: ForgeArg,
    evidence: &serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
    let remote = evidence["project"]["remote_url"]
        .as_str()
        .context("--forge needs the repository's origin remote, and this checkout has none")?;
    let (found, owner, repo) = annex_forge::parse_remote(remote).with_context(|| {
        format!("--forge: cannot tell the forge repository from the remote {remote}")
    })?;
    let kind = match kind {
        ForgeArg::Github => annex_forge::ForgeKind::GitHub,
        ForgeArg::Gitlab => annex_forge::ForgeKind::GitLab,
    };
    if found != kind {
        bail!(
            "--forge {}: the origin remote {remote} is on {}",
            kind.as_str(),
            found.as_str()
        );
    }
    let mut opts = annex_forge::ForgeOptions::new(kind, owner, repo);
    opts.token = std::env::var(&a.token_env).ok().filter(|t| !t.is_empty());
    if let Some(api) = &a.forge_api {
        opts.api_base = api.clone();
    }
    Ok(serde_json::to_value(annex_forge::collect(&opts))?)
}

impl AssessArgs {
    pub fn today(&self) -> chrono::NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub assess: AssessArgs,
    #[arg(long, short, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Write the report here instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Which results make the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Fail)]
    pub fail_on: FailOn,
    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Also print each requirement's text.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Args, Debug)]
pub struct EvidenceArgs {
    /// The checkout to read.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Only JSON exists; the flag is accepted for symmetry with other commands.
    #[arg(long, short, value_parser = ["json"], default_value = "json")]
    pub format: String,
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub walk: WalkArgs,
}

#[derive(Args, Debug)]
pub struct ScorecardArgs {
    /// The checkout to score.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    #[arg(long, short, value_enum, default_value_t = ScoreFormat::Text)]
    pub format: ScoreFormat,
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub walk: WalkArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreFormat {
    Text,
    Json,
}

pub fn run_scorecard(args: ScorecardArgs) -> anyhow::Result<u8> {
    let pack = annex_assess::scorecard::builtin()?;
    let evidence = collect(&args.path, &args.walk, args.format == ScoreFormat::Json)?;
    let result = annex_assess::scorecard::evaluate(&pack, &evidence, None);
    let text = match args.format {
        ScoreFormat::Json => {
            let mut s = serde_json::to_string_pretty(&result)?;
            s.push('\n');
            s
        }
        ScoreFormat::Text => annex_report::scorecard_text(&result),
    };
    emit(args.output.as_ref(), &text)?;
    Ok(0)
}

pub fn library_with(extra: &[PathBuf]) -> anyhow::Result<Library> {
    let mut lib = Library::builtin().context("the built-in specifications do not load")?;
    if !extra.is_empty() {
        let imported = annex_spec::import_paths(extra)?;
        for w in &imported.warnings {
            eprintln!("warning: {w}");
        }
        for doc in imported.documents {
            lib.add(doc);
        }
    }
    Ok(lib)
}

fn collect(
    path: &std::path::Path,
    walk: &WalkArgs,
    quiet: bool,
) -> anyhow::Result<serde_json::Value> {
    if !path.exists() {
        bail!("{}: no such file or directory", path.display());
    }
    if !path.is_dir() {
        bail!(
            "{}: not a directory (annex reads a checkout)",
            path.display()
        );
    }
    let spinner = crate::spinner(!quiet, format!("reading {}", path.display()));
    let options = annex_evidence::Options {
        exclude: walk.exclude.clone(),
        max_file_size: walk.max_file_size,
        threads: walk.threads,
        signers: (walk.allowed_signers.is_some() || walk.keyring.is_some()).then(|| {
            annex_evidence::Signers {
                allowed_signers: walk.allowed_signers.clone(),
                keyring: walk.keyring.clone(),
            }
        }),
        ..annex_evidence::Options::default()
    };
    let evidence = annex_evidence::collect(path, &options);
    if let Some(pb) = spinner {
        pb.finish_and_clear();
    }
    let evidence = evidence.with_context(|| format!("cannot read {}", path.display()))?;
    Ok(serde_json::to_value(&evidence)?)
}

/// Match the checkout's lockfiles against the advisory database, for the rules about
/// known vulnerabilities. No database is not an error: those rules then need review.
fn vulnerability_input(args: &AssessArgs) -> anyhow::Result<serde_json::Value> {
    use annex_assess::findings_input;
    if args.no_vulns {
        return Ok(findings_input(
            Err("vulnerability matching was turned off (--no-vulns)".into()),
            vec![],
            vec![],
        ));
    }
    let dir = match &args.db {
        Some(d) => d.clone(),
        None => match annex_vuln::db::default_dir() {
            Ok(d) if d.join("manifest.json").is_file() => d,
            _ => {
                return Ok(findings_input(
                    Err("no advisory database: run `annex db import …` or pass --db".into()),
                    vec![],
                    vec![],
                ));
            }
        },
    };
    let db = annex_vuln::db::Db::open(&dir)
        .with_context(|| format!("cannot open the advisory database at {}", dir.display()))?;
    let opts = annex_inventory::scan::ScanOptions {
        include_dev: false,
        exclude: args.walk.exclude.clone(),
        keep_going: true,
        threads: args.walk.threads,
        default_excludes: true,
    };
    let scanned =
        annex_inventory::scan::scan(&args.path, &opts).map_err(|e| anyhow::anyhow!("{e}"))?;
    for w in &scanned.warnings {
        eprintln!("warning: {w} (its packages were not checked for vulnerabilities)");
    }
    let queries = annex_vuln::matching::queries_from_inventory(&scanned.inventory);
    let found = annex_vuln::matching::match_packages(&db, &queries)?;
    let statements = crate::vuln_cmd::vex_statements(&[], &args.path.join("annex.toml"))?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let triaged = annex_vuln::triage::apply(&found, &statements, today);
    Ok(annex_assess::findings_from_triaged(
        dir.display().to_string(),
        queries.len(),
        triaged,
    ))
}

pub fn run_evidence(args: EvidenceArgs) -> anyhow::Result<u8> {
    let ev = collect(&args.path, &args.walk, true)?;
    let mut text = serde_json::to_string_pretty(&ev)?;
    text.push('\n');
    emit(args.output.as_ref(), &text)?;
    Ok(0)
}

/// Resolve the profile, read the checkout and evaluate: what `check`, `docs` and `fix` share.
pub fn assess(
    a: &AssessArgs,
    default_profile: &str,
    quiet: bool,
) -> anyhow::Result<(annex_spec::ResolvedProfile, annex_assess::Assessment)> {
    let mut lib = library_with(&a.spec)?;
    let profile_id = lib.profile_or_file(a.profile.as_deref().unwrap_or(default_profile))?;
    let resolved = annex_spec::resolve(&lib, &profile_id, &ResolveOptions { max_level: a.level })?;
    let attestations = Attestations::load_from_repo(&a.path, &lib)?;
    let mut evidence = collect(&a.path, &a.walk, quiet)?;
    if let Some(kind) = a.forge {
        let forge = forge_evidence(a, kind, &evidence)?;
        evidence["forge"] = forge;
    }
    let findings = vulnerability_input(a)?;
    let assessment = annex_assess::evaluate(&Inputs {
        library: &lib,
        profile: &resolved,
        evidence: &evidence,
        attestations: &attestations,
        today: a.today(),
        subject: a.path.display().to_string(),
        forge: a.forge.is_some(),
        findings: &findings,
    });
    Ok((resolved, assessment))
}

pub fn run_check(args: CheckArgs) -> anyhow::Result<u8> {
    let (_, assessment) = assess(&args.assess, "osps-l1", args.format == CheckFormat::Json)?;
    let text = match args.format {
        CheckFormat::Json => annex_report::json(&assessment),
        CheckFormat::Markdown => annex_report::markdown(&assessment),
        CheckFormat::Text => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    args.output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none()
                }
            };
            annex_report::text(&assessment, color, args.verbose)
        }
    };
    emit(args.output.as_ref(), &text)?;
    if args.output.is_some() {
        eprintln!("{}", annex_report::summary_line(&assessment));
    }
    let failing = match args.fail_on {
        FailOn::Never => false,
        FailOn::Fail => assessment.summary.count(Status::Fail) > 0,
        FailOn::NeedsReview => {
            assessment.summary.count(Status::Fail) + assessment.summary.count(Status::NeedsReview)
                > 0
        }
    };
    Ok(if failing { 1 } else { 0 })
}
