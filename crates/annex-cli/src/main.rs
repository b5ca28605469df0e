//! The `annex` command line: argument parsing, progress, output and exit codes. The work is
//! done by the library crates.

mod commands;
mod output;
mod project_args;

use commands::{
    check, docs as docs_cmd, fleet, inventory as inventory_cmd, shell, spec as spec_cmd,
    vulns as vuln_cmd,
};
use output::Exit;

use clap::{CommandFactory, Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

/// annex: the EU Cyber Resilience Act and the OpenSSF OSPS Baseline as code.
///
/// Start with `annex check .` in a checkout: it reads the files (never runs the project's
/// code, never touches the network), evaluates a profile's requirements, and says for each
/// one pass / fail / needs-review / not-run / not-applicable / unknown, why (file:line),
/// and how to fix it, then rolls the results up to the CRA's requirements.
#[derive(Parser, Debug)]
#[command(name = "annex", version, about, long_about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Assess a checkout against a profile (default: osps-l1) and roll the results up to the CRA.
    ///
    /// Exit status: 0 when nothing selected fails, 1 when something does (see --fail-on),
    /// 2 on bad usage or bad input.
    ///
    /// Examples:
    ///   annex check .
    ///   annex check . --profile apache --format markdown --output report.md
    ///   annex check ../proj --profile osps-l3 --level 2 --format json
    Check(check::CheckArgs),
    /// Print the evidence document (annex/evidence/v1) that `check` evaluates rules over.
    ///
    /// Every fact names the file and line it comes from.
    Evidence(check::EvidenceArgs),
    /// Score a checkout on OpenSSF Scorecard's eleven checks that need no forge API.
    ///
    /// Each check gets 0–10 (or ? when inconclusive) as Scorecard scores it, and the
    /// risk-weighted aggregate (Critical 10, High 7.5, Medium 5, Low 2.5), so results can be
    /// compared with Scorecard's. Offline: nothing is fetched.
    Scorecard(check::ScorecardArgs),
    /// List the dependencies every lockfile and manifest pins, as a tree (or JSON).
    ///
    /// Reads Cargo, npm/yarn/pnpm/bun, Python (poetry, uv, pdm, Pipfile, pylock,
    /// requirements), Go, Maven/Gradle, Composer, Bundler, NuGet and Conan files without
    /// running any package manager.
    Inventory(inventory_cmd::InventoryArgs),
    /// Write an SBOM (CycloneDX 1.6/1.7, SPDX 2.3, SPDX 3.0.1) from the lockfiles, or check
    /// one against BSI TR-03183-2 (--check bsi).
    ///
    /// The output is reproducible: the same input gives the same bytes (timestamp from
    /// SOURCE_DATE_EPOCH, serial numbers from the content).
    Sbom(inventory_cmd::SbomArgs),
    /// Match the dependencies (lockfiles, or an SBOM with --sbom) against the offline
    /// advisory database and explain each finding.
    ///
    /// Exit 1 when an open finding is at or above --fail-on (default: any finding).
    ///
    /// Examples:
    ///   annex db import ~/osv/PyPI-all.zip && annex vulns .
    ///   annex vulns --sbom bom.cdx.json --format sarif --output vulns.sarif
    Vulns(vuln_cmd::VulnsArgs),
    /// Write annex.toml: the product, its manufacturer or steward, support period and
    /// security contact, proposed from the repository and asked on a terminal.
    Init(docs_cmd::InitArgs),
    /// Write the CRA documents from annex.toml and the assessment: security.txt,
    /// SECURITY.md, Annex II user information, Annex V/VI declarations, Annex VII technical
    /// documentation. What annex does not know is listed as a TODO, never invented.
    Docs(docs_cmd::DocsArgs),
    /// Article 14 reporting: record events, watch the 24 h / 72 h / final-report clocks,
    /// draft the reports.
    #[command(subcommand)]
    Incident(docs_cmd::IncidentCommand),
    /// Write the files that failed requirements' remediations name (SECURITY.md,
    /// security.txt, CONTRIBUTING.md); never overwrites without --force.
    Fix(docs_cmd::FixArgs),
    /// Work with specifications: catalogs, mappings, rule packs and profiles.
    #[command(subcommand)]
    Spec(spec_cmd::SpecCommand),
    /// The offline advisory database (OSV): import advisories, show what it holds.
    #[command(subcommand)]
    Db(vuln_cmd::DbCommand),
    /// A fleet of projects: add them, scan them all, follow their history.
    #[command(subcommand)]
    Fleet(fleet::FleetCommand),
    /// The fleet dashboard and JSON API (`annex serve --demo` shows a demo fleet).
    Serve(fleet::ServeArgs),
    /// Assess queued fleet projects (`annex fleet scan --enqueue`); several workers can
    /// share a PostgreSQL store.
    Worker(fleet::WorkerArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    ///
    /// Examples:
    ///   annex completions bash > /etc/bash_completion.d/annex
    ///   annex completions zsh > "${fpath[1]}/_annex"
    Completions(shell::CompletionsArgs),
    /// Print the man page (roff), generated from these definitions.
    ///
    /// Example: annex man --output /usr/local/share/man/man1/annex.1
    Man(shell::ManArgs),
}

/// `SOURCE_DATE_EPOCH` (reproducible-builds.org), read once here; the libraries take the
/// parsed value. A malformed value is an error only for the documents that must follow it
/// (SBOMs); the others treat it as unset, as they always have.
pub fn source_date_epoch() -> Result<annex_types::BuildTime, annex_types::BuildTimeError> {
    let value = std::env::var("SOURCE_DATE_EPOCH").ok();
    annex_types::BuildTime::from_source_date_epoch(value.as_deref())
}

/// One line for a panic (a bug in annex, or a resource the system refused), with a hint,
/// instead of Rust's message and backtrace note. With `RUST_BACKTRACE` set (not `0`) the
/// default report, backtrace included, follows it.
fn install_panic_hook() {
    let default = std::panic::take_hook();
    let backtrace = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned());
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()));
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            panic_line(message.as_deref(), location.as_deref(), backtrace)
        );
        if backtrace {
            default(info);
        }
    }));
}

/// The line [`install_panic_hook`] prints: what failed, where, and what to do.
fn panic_line(message: Option<&str>, location: Option<&str>, backtrace: bool) -> String {
    let message = message.unwrap_or("unknown cause");
    let first = message.lines().next().unwrap_or_default();
    let message = annex_types::escape_control(first);
    let at = location.map(|l| format!(" at {l}")).unwrap_or_default();
    let hint = if backtrace {
        ""
    } else {
        "; this is a bug or a resource limit (memory, threads): try a smaller input or \
         --threads 1, and report it with RUST_BACKTRACE=1"
    };
    format!("error: annex stopped: {message}{at}{hint}")
}

/// The time of documents a person reads about the checkout at `path` (SBOM, VEX, CSAF, CRA
/// documents): `SOURCE_DATE_EPOCH`, else the commit time of HEAD (reproducible), else now;
/// never 1970. The environment and the clock are read here, the repository by annex-core.
pub fn document_time(
    path: &std::path::Path,
) -> Result<annex_types::BuildTime, annex_types::BuildTimeError> {
    let value = std::env::var("SOURCE_DATE_EPOCH").ok();
    annex_core::build_time(path, value.as_deref(), chrono::Utc::now().timestamp())
}

/// [`document_time`] for documents that treat a malformed `SOURCE_DATE_EPOCH` as unset.
fn document_time_lenient(path: &std::path::Path) -> annex_types::BuildTime {
    document_time(path).unwrap_or_else(|_| {
        annex_core::build_time(path, None, chrono::Utc::now().timestamp()).unwrap_or_default()
    })
}

fn main() -> ExitCode {
    install_panic_hook();
    let cli = Cli::parse();
    let build_time = source_date_epoch();
    let result = match cli.command {
        Command::Check(args) => check::run_check(args, build_time.unwrap_or_default()),
        Command::Evidence(args) => check::run_evidence(args),
        Command::Scorecard(args) => check::run_scorecard(args),
        Command::Spec(cmd) => spec_cmd::run(cmd, build_time.unwrap_or_default()),
        Command::Db(cmd) => vuln_cmd::run_db(cmd),
        Command::Vulns(args) => {
            let time = document_time_lenient(&args.scan.path);
            vuln_cmd::run_vulns(args, time)
        }
        Command::Init(args) => docs_cmd::run_init(args),
        Command::Docs(args) => {
            let time = document_time_lenient(&args.assess.path);
            docs_cmd::run_docs(args, time)
        }
        Command::Incident(cmd) => docs_cmd::run_incident(cmd),
        Command::Fix(args) => docs_cmd::run_fix(args),
        Command::Inventory(args) => inventory_cmd::run_inventory(args),
        Command::Sbom(args) => {
            let time = document_time(&args.scan.path);
            inventory_cmd::run_sbom(args, time)
        }
        Command::Fleet(cmd) => fleet::run(cmd),
        Command::Serve(args) => fleet::run_serve(args),
        Command::Worker(args) => fleet::run_worker(args),
        Command::Completions(args) => shell::run_completions(args, Cli::command()),
        Command::Man(args) => shell::run_man(args, Cli::command()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if let Some(Exit(code)) = err.downcast_ref::<Exit>() {
                return ExitCode::from(*code);
            }
            let mut stderr = anstream::stderr();
            for line in error_lines(&err) {
                let _ = writeln!(stderr, "{line}");
            }
            ExitCode::from(2)
        }
    }
}

/// The longest message of one error in the chain annex prints; input quoted in errors (a
/// 10 KB number, a garbage ref) is cut there.
const MAX_ERROR_MESSAGE: usize = 1000;

/// The lines printed for an error: `error: …`, then each cause the line before does not
/// already say (thiserror messages often embed their source), escaped and bounded.
fn error_lines(err: &anyhow::Error) -> Vec<String> {
    let mut out = Vec::new();
    let mut previous = String::new();
    for (i, cause) in err.chain().enumerate() {
        let text = cause.to_string();
        if i > 0 && (text.is_empty() || previous.contains(&text)) {
            continue;
        }
        let shown = match text.char_indices().nth(MAX_ERROR_MESSAGE) {
            Some((cut, _)) => format!("{}… ({} more bytes)", &text[..cut], text.len() - cut),
            None => text.clone(),
        };
        let label = if i == 0 { "error: " } else { "  caused by: " };
        out.push(format!(
            "{label}{}",
            annex_types::escape_control_lines(&shown)
        ));
        previous = text;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{error_lines, panic_line};

    #[test]
    fn causes_already_said_are_not_repeated_and_long_input_is_cut() {
        /// An error whose message embeds its source, as thiserror's `{source}` does.
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "cannot read x.toml: {}", self.0)
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let io = std::io::Error::other("permission denied");
        let err = anyhow::Error::new(Outer(io)).context("loading the profile");
        assert_eq!(
            error_lines(&err),
            vec![
                "error: loading the profile".to_string(),
                "  caused by: cannot read x.toml: permission denied".to_string(),
            ]
        );
        let long = anyhow::anyhow!("bad number {}", "9".repeat(10_000));
        let lines = error_lines(&long);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].len() < 1100, "{}", lines[0].len());
        assert!(lines[0].ends_with("… (9011 more bytes)"), "{}", lines[0]);
    }

    #[test]
    fn a_panic_is_one_line_with_a_hint() {
        let line = panic_line(
            Some("capacity overflow\nsecond line \u{1b}[2J"),
            Some("src/x.rs:3"),
            false,
        );
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(line.starts_with("error: annex stopped: capacity overflow at src/x.rs:3; "));
        assert!(line.contains("RUST_BACKTRACE=1"));
        let quiet = panic_line(Some("\u{1b}[2Jboom"), None, true);
        assert_eq!(quiet, "error: annex stopped: \\u{1b}[2Jboom");
    }
}
