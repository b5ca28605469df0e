//! `annex inventory` and `annex sbom`.

use crate::output::{emit, emit_to};
use crate::project_args::{DepFlags, ProbeArgs, WalkArgs, open_project, report_skipped};
use annex_inventory::scan::ScanResult;
use anyhow::Context;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Args, Debug, Clone)]
pub struct ScanArgs {
    /// The checkout to scan (every lockfile and manifest in it, each its own subject).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Read only these lockfiles or manifests instead of scanning PATH (each with the
    /// manifests beside and below it that the scan would give it); a relative FILE is
    /// relative to PATH.
    #[arg(long = "lockfile", value_name = "FILE")]
    pub lockfiles: Vec<PathBuf>,
    /// Keep development-only dependencies (annex.toml's `[scope] include-dev` does too).
    #[arg(long)]
    pub include_dev: bool,
    /// A lockfile that cannot be read is reported as skipped and the others are still
    /// processed (default: stop with exit 2 and the file:line of the problem).
    #[arg(long)]
    pub keep_going: bool,
    #[command(flatten)]
    pub walk: WalkArgs,
}

/// What a scan read, and the project when a directory was scanned.
pub struct Scanned {
    pub result: ScanResult,
    pub project: Option<annex_core::Project>,
}

impl ScanArgs {
    pub fn run(&self, quiet: bool) -> anyhow::Result<Scanned> {
        let spinner = crate::output::spinner(
            !quiet,
            format!("reading lockfiles in {}", self.path.display()),
        );
        let scanned = if self.lockfiles.is_empty() {
            open_project(
                &self.path,
                &self.walk,
                &ProbeArgs::default(),
                DepFlags {
                    include_dev: self.include_dev,
                    keep_going: self.keep_going,
                },
            )
            .and_then(|project| {
                let result = project.inventory()?;
                Ok(Scanned {
                    result,
                    project: Some(project),
                })
            })
        } else {
            // A relative --lockfile is relative to PATH, like everything else the scan
            // reads (PATH defaults to the current directory).
            let lockfiles: Vec<PathBuf> = self
                .lockfiles
                .iter()
                .map(|l| {
                    if l.is_relative() && self.path != std::path::Path::new(".") {
                        self.path.join(l)
                    } else {
                        l.clone()
                    }
                })
                .collect();
            annex_core::inventory_of_files(
                &lockfiles,
                self.include_dev,
                self.keep_going,
                self.walk.threads,
                self.walk.maven_repo(),
            )
            .map(|result| Scanned {
                result,
                project: None,
            })
            .map_err(Into::into)
        };
        if let Some(pb) = spinner {
            pb.finish_and_clear();
        }
        let scanned = scanned.map_err(|e| with_way_on(e, self.lockfiles.is_empty()))?;
        report_skipped(
            &annex_core::skipped_of(&scanned.result),
            scanned.result.inventory.subjects.len(),
        );
        Ok(scanned)
    }
}

/// A file that stops the scan: say how to go on without it (test trees often hold
/// deliberately broken manifests).
fn with_way_on(err: anyhow::Error, scanning_a_directory: bool) -> anyhow::Error {
    if !matches!(
        err.downcast_ref::<annex_core::CoreError>(),
        Some(annex_core::CoreError::Inventory(_))
    ) {
        return err;
    }
    let exclude = if scanning_a_directory {
        "; `--exclude DIR` leaves its directory out (a test-data tree, say)"
    } else {
        ""
    };
    anyhow::anyhow!(
        "{err}\nto go on without it: `--keep-going` reports it as unread and reads the rest{exclude}"
    )
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InventoryFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct InventoryArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    #[arg(long, short, value_enum, default_value_t = InventoryFormat::Text)]
    pub format: InventoryFormat,
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run_inventory(args: InventoryArgs) -> anyhow::Result<u8> {
    let result = args.scan.run(args.format == InventoryFormat::Json)?.result;
    let text = match args.format {
        InventoryFormat::Json => {
            /// The inventory document with the files the scan did not read.
            #[derive(serde::Serialize)]
            struct Document<'a> {
                #[serde(flatten)]
                inventory: &'a annex_inventory::Inventory,
                skipped: &'a [annex_core::Skipped],
            }
            serde_json::to_string_pretty(&Document {
                inventory: &result.inventory,
                skipped: &result.skipped,
            })? + "\n"
        }
        InventoryFormat::Text => annex_report::inventory_tree(&result.inventory),
    };
    emit(args.output.as_ref(), &text)?;
    Ok(0)
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SbomFormat {
    CyclonedxJson,
    CyclonedxXml,
    SpdxJson,
    SpdxTag,
    Spdx3Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SbomCheck {
    /// BSI TR-03183-2 v2.1: what the SBOM lacks for that profile.
    Bsi,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampChoice {
    /// The current time (the SBOM is then no longer reproducible).
    Now,
}

#[derive(Args, Debug)]
pub struct SbomArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    #[arg(long, short, value_enum, default_value_t = SbomFormat::CyclonedxJson)]
    pub format: SbomFormat,
    /// CycloneDX version: 1.6 or 1.7 (SPDX versions follow the format).
    #[arg(long, value_name = "V", value_parser = ["1.6", "1.7"])]
    pub spec_version: Option<String>,
    /// Write the SBOM here instead of stdout (never over a lockfile it reads; an existing
    /// file only with --force).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Replace an existing --output file.
    #[arg(long)]
    pub force: bool,
    /// Timestamp: SOURCE_DATE_EPOCH if set, else the commit time of HEAD (the same commit
    /// gives the same bytes), else the current time; `--timestamp now` stamps the current
    /// time.
    #[arg(long, value_enum)]
    pub timestamp: Option<TimestampChoice>,
    /// Instead of writing an SBOM, list what one lacks for a profile. With PATH a file,
    /// that SBOM is checked (CycloneDX or SPDX JSON); with a directory, the SBOM annex
    /// would write for it. Exit 1 when a required field is missing.
    #[arg(long, value_enum)]
    pub check: Option<SbomCheck>,
}

pub fn run_sbom(
    args: SbomArgs,
    build_time: Result<annex_sbom::BuildTime, annex_sbom::BuildTimeError>,
) -> anyhow::Result<u8> {
    if let Some(SbomCheck::Bsi) = args.check {
        let json = if args.scan.path.is_file() {
            // The SBOM reader's own cap.
            annex_checkout::read_given(
                &args.scan.path,
                annex_sbom::ReadOptions::default().max_bytes,
            )
            .with_context(|| format!("cannot read {}", args.scan.path.display()))?
        } else {
            let inv = args.scan.run(true)?.result.inventory;
            annex_sbom::write(
                &inv,
                annex_sbom::Format::CycloneDxJson,
                &sbom_options(&args, &build_time)?,
            )?
            .into_bytes()
        };
        let gaps = annex_sbom::check_bsi(&json)
            .map_err(|e| anyhow::anyhow!("{}: {e}", args.scan.path.display()))?;
        let required = gaps
            .iter()
            .filter(|g| g.level == annex_sbom::GapLevel::Required)
            .count();
        let text = bsi_text(&gaps, required);
        emit(args.output.as_ref(), &text)?;
        return Ok(if required > 0 { 1 } else { 0 });
    }
    let inv = args.scan.run(args.output.is_none())?.result.inventory;
    let format = match args.format {
        SbomFormat::CyclonedxJson => annex_sbom::Format::CycloneDxJson,
        SbomFormat::CyclonedxXml => annex_sbom::Format::CycloneDxXml,
        SbomFormat::SpdxJson => annex_sbom::Format::Spdx23Json,
        SbomFormat::SpdxTag => annex_sbom::Format::Spdx23TagValue,
        SbomFormat::Spdx3Json => annex_sbom::Format::Spdx3JsonLd,
    };
    let text = annex_sbom::write(&inv, format, &sbom_options(&args, &build_time)?)?;
    if let Some(out) = &args.output {
        let inputs = args
            .scan
            .lockfiles
            .iter()
            .cloned()
            .chain(inv.subjects.iter().map(|s| args.scan.path.join(&s.path)));
        refuse_input_as_output(out, inputs)?;
    }
    emit_to(args.output.as_ref(), &text, args.force)?;
    if let Some(out) = &args.output {
        eprintln!(
            "wrote {} ({})",
            out.display(),
            annex_inventory::extract::counts(&inv)
        );
    }
    Ok(0)
}

/// Document-level gaps one per line; component gaps grouped by field with a count.
fn bsi_text(gaps: &[annex_sbom::Gap], required: usize) -> String {
    use std::collections::BTreeMap;
    let level = |l: annex_sbom::GapLevel| match l {
        annex_sbom::GapLevel::Required => "required",
        annex_sbom::GapLevel::Additional => "if known",
    };
    let mut out = String::new();
    let mut grouped: BTreeMap<(&str, &str, annex_sbom::GapLevel), Vec<&str>> = BTreeMap::new();
    for g in gaps {
        match &g.component {
            None => out.push_str(&format!(
                "{:<8} §{} {}: {}\n",
                level(g.level),
                g.section,
                g.field,
                g.message
            )),
            Some(c) => grouped
                .entry((&g.section, &g.field, g.level))
                .or_default()
                .push(c),
        }
    }
    for ((section, field, l), comps) in &grouped {
        let sample: Vec<&str> = comps.iter().take(3).copied().collect();
        let more = if comps.len() > 3 {
            format!(", … {} more", comps.len() - 3)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{:<8} §{section} {field}: missing on {} component(s) ({}{more})\n",
            level(*l),
            comps.len(),
            sample.join(", ")
        ));
    }
    out.push_str(&format!(
        "{} gap(s), {required} of them required by BSI TR-03183-2 v2.1\n",
        gaps.len()
    ));
    out
}

/// The writer options. `build_time` is `SOURCE_DATE_EPOCH` as main read it (else HEAD's
/// commit time, else the clock): a malformed
/// value fails here, after the scan, unless the SBOM is stamped with the clock.
fn sbom_options(
    args: &SbomArgs,
    build_time: &Result<annex_sbom::BuildTime, annex_sbom::BuildTimeError>,
) -> anyhow::Result<annex_sbom::Options> {
    let mut opts = annex_sbom::Options::default();
    if args.timestamp == Some(TimestampChoice::Now) {
        opts.timestamp = annex_sbom::Timestamp::Now;
        opts.build_time = annex_sbom::BuildTime::now(chrono::Utc::now().timestamp());
    } else {
        opts.build_time = build_time.clone()?;
    }
    if let Some(v) = &args.spec_version {
        opts.cyclonedx_version = match v.as_str() {
            "1.7" => annex_sbom::CycloneDxVersion::V1_7,
            _ => annex_sbom::CycloneDxVersion::V1_6,
        };
    }
    Ok(opts)
}

/// The SBOM must not replace a file it was made from, --force or not.
fn refuse_input_as_output(
    output: &std::path::Path,
    inputs: impl Iterator<Item = PathBuf>,
) -> anyhow::Result<()> {
    // A file that does not exist yet is no input; identity is judged on resolved paths.
    let Ok(out) = std::fs::canonicalize(output) else {
        return Ok(());
    };
    for input in inputs {
        if std::fs::canonicalize(&input).is_ok_and(|i| i == out) {
            anyhow::bail!(
                "{}: is a lockfile this SBOM is made from; not overwritten",
                output.display()
            );
        }
    }
    Ok(())
}
