//! `annex check` and `annex evidence`.

use crate::output::{ColorChoice, emit, pretty};
use crate::project_args::{
    AssessArgs, DepFlags, ProbeArgs as EvidenceFlags, WalkArgs, open_project, report_skipped,
};
use annex_assess::Status;
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    Text,
    Json,
    Markdown,
    /// One self-contained page (inline CSS and SVG; filters work without JavaScript).
    Html,
    /// SARIF 2.1.0: one rule per requirement, results at the evidence locations.
    Sarif,
    /// JUnit XML: requirements as test cases, families as test suites.
    Junit,
    /// OSCAL 1.1.2 assessment results, linked by uuid to `annex spec export`'s documents.
    Oscal,
    /// An SVG badge: the profile and how many applicable requirements pass.
    Badge,
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
    /// Post the run to a fleet server (`annex serve`) at this URL; the token is read from
    /// the variable --token-env names (default ANNEX_TOKEN).
    #[arg(long, value_name = "URL")]
    pub upload: Option<String>,
    /// The project's name on the fleet server (default: the checkout directory's name).
    #[arg(long, value_name = "NAME", requires = "upload")]
    pub project: Option<String>,
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
    #[command(flatten)]
    pub evidence: EvidenceFlags,
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
    #[command(flatten)]
    pub evidence: EvidenceFlags,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreFormat {
    Text,
    Json,
}

pub fn run_scorecard(args: ScorecardArgs) -> anyhow::Result<u8> {
    let pack = annex_assess::scorecard::builtin()?;
    let evidence = collect(
        &args.path,
        &args.walk,
        &args.evidence,
        args.format == ScoreFormat::Json,
    )?;
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

/// The evidence document of a checkout, as JSON.
fn collect(
    path: &std::path::Path,
    walk: &WalkArgs,
    evidence: &EvidenceFlags,
    quiet: bool,
) -> anyhow::Result<serde_json::Value> {
    let spinner = crate::output::spinner(!quiet, format!("reading {}", path.display()));
    // Lockfiles that fail to parse are listed in deps.skipped, not fatal.
    let deps = DepFlags {
        include_dev: false,
        keep_going: true,
    };
    let project = open_project(path, walk, evidence, deps);
    let evidence = project.and_then(|p| {
        let scanned = p.inventory()?;
        report_skipped(
            &annex_core::skipped_of(&scanned),
            scanned.inventory.subjects.len(),
        );
        let evidence = p.evidence_of(&scanned);
        crate::project_args::warn_all(&annex_core::unread_warnings(&evidence));
        Ok(evidence)
    });
    if let Some(pb) = spinner {
        pb.finish_and_clear();
    }
    Ok(serde_json::to_value(&evidence?)?)
}

pub fn run_evidence(args: EvidenceArgs) -> anyhow::Result<u8> {
    let ev = collect(&args.path, &args.walk, &args.evidence, true)?;
    let mut text = serde_json::to_string_pretty(&ev)?;
    text.push('\n');
    emit(args.output.as_ref(), &text)?;
    Ok(0)
}

pub fn run_check(args: CheckArgs, build_time: annex_types::BuildTime) -> anyhow::Result<u8> {
    // Progress only on a terminal run whose stdout is text a person reads.
    let spinner = crate::output::spinner(
        matches!(args.format, CheckFormat::Text | CheckFormat::Markdown),
        format!("assessing {}", args.assess.path.display()),
    );
    let assessed = args.assess.assess("osps-l1");
    if let Some(pb) = spinner {
        pb.finish_and_clear();
    }
    let (project, assessed) = assessed?;
    report_skipped(&assessed.assessment.skipped, assessed.subjects);
    anyhow::ensure!(
        args.assess.token_env.is_none() || args.assess.forge.is_some() || args.upload.is_some(),
        "--token-env names the token of --forge or --upload; neither was given"
    );
    anyhow::ensure!(
        args.assess.forge.is_none() || args.upload.is_none() || args.assess.token_env.is_none(),
        "--token-env with both --forge and --upload: which token it names is ambiguous"
    );
    // Prepared (and the token read) before the report, sent after it is written.
    let upload = match &args.upload {
        Some(url) => Some(crate::commands::fleet::prepare_upload(
            url,
            args.project.as_deref(),
            args.assess.token_env.as_deref(),
            &project,
            &assessed,
        )?),
        None => None,
    };
    let assessment = assessed.assessment;
    let text = match args.format {
        CheckFormat::Json => annex_report::json(&assessment),
        CheckFormat::Markdown => annex_report::markdown(&assessment),
        CheckFormat::Html => annex_report::html::html(
            &assessment,
            &annex_report::html::HtmlOptions {
                source_base: assessed
                    .remote_url
                    .as_deref()
                    .and_then(annex_forge::file_url_base),
            },
        ),
        CheckFormat::Sarif => pretty(&annex_report::sarif::check_sarif(&assessment))?,
        CheckFormat::Junit => annex_report::junit::junit(&assessment),
        CheckFormat::Badge => annex_report::badge::badge(&assessment),
        CheckFormat::Oscal => {
            let profile = args.assess.profile.as_deref().unwrap_or("osps-l1");
            let links = annex_core::oscal_links(&args.assess.spec, profile, build_time)?;
            pretty(&annex_report::oscal::assessment_results(
                &assessment,
                &links,
                build_time,
            ))?
        }
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
    if let Some(upload) = upload {
        upload.send()?;
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
