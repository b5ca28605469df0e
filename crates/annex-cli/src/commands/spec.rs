//! `annex spec …`: list, show, lint, resolve, diff, crosswalk, render, export, import.

use crate::output::{Exit, emit, pretty};
use crate::project_args::library_with;
use annex_spec::lint::{Severity, lint, problems_of};
use annex_spec::{Document, Library, ResolveOptions, compare, resolve};
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Args, Debug)]
pub struct Common {
    /// Extra catalogs, rule packs, mapping sets or profiles to load (files or directories).
    #[arg(long = "spec", value_name = "PATH", global = true)]
    pub spec: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum SpecCommand {
    /// List the catalogs, mapping sets, rule packs and profiles annex knows.
    List {
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        #[command(flatten)]
        common: Common,
    },
    /// Show one catalog, control, requirement, profile, rule pack or mapping set by id.
    ///
    /// Example: annex spec show OSPS-VM-02.01
    Show {
        id: String,
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        #[command(flatten)]
        common: Common,
    },
    /// Check specification files: annex's own and official Gemara files alike.
    ///
    /// Prints `file:line:col: error|warning: message`; exit 2 when any error is found.
    /// Directories are read as one split catalog (the OSPS Baseline layouts).
    Lint {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Resolve a profile: the requirements it selects, with rules, parameters and mappings.
    Resolve {
        profile: String,
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=3))]
        level: Option<u8>,
        #[arg(long, short, value_enum, default_value_t = DocFormat::Text)]
        format: DocFormat,
        #[command(flatten)]
        common: Common,
    },
    /// Compare two profiles: requirements only in one, changed texts or rules, parameters.
    Diff {
        a: String,
        b: String,
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        #[command(flatten)]
        common: Common,
    },
    /// For each CRA requirement, which requirements of each profile cover it, and which
    /// CRA items nobody covers.
    Crosswalk {
        /// The framework catalog to crosswalk to.
        #[arg(long, default_value = "cra")]
        framework: String,
        /// Profiles to include (default: every known profile).
        #[arg(long = "profile", short)]
        profiles: Vec<String>,
        /// Instead, compare two mapping sets link by link (e.g. `osps-cra-official osps-cra`):
        /// both sets per framework item, the links kept, left out (with the reason the
        /// second set gives) and added (with its rationale).
        #[arg(long, num_args = 2, value_names = ["FROM", "TO"], conflicts_with = "profiles")]
        compare_mappings: Option<Vec<String>>,
        #[arg(long, short, value_enum, default_value_t = DocFormat::Text)]
        format: DocFormat,
        #[command(flatten)]
        common: Common,
    },
    /// Render a catalog or a profile as Markdown.
    Render {
        id: String,
        #[arg(long, short, value_parser = ["markdown"], default_value = "markdown")]
        format: String,
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Export a catalog (with its mappings) or a resolved profile as NIST OSCAL 1.1.2 JSON.
    ///
    /// `annex spec import` reads the result back without losing applicability sets or
    /// mappings. Timestamps come from SOURCE_DATE_EPOCH or the version, never the clock.
    Export {
        id: String,
        #[arg(long, short, value_parser = ["oscal"], default_value = "oscal")]
        format: String,
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Read specification files (e.g. the official OSPS Baseline directory, or OSCAL JSON), report what they
    /// hold, and optionally write them out as one normalised annex catalog.
    ///
    /// OSCAL assessment results (`annex check --format oscal`) are read back as an
    /// assessment; `--output` writes it as annex/assessment/v1 JSON.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Write the imported catalog(s) as annex YAML (one document; JSON with --format json).
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
}

pub fn run(cmd: SpecCommand, build_time: annex_types::BuildTime) -> anyhow::Result<u8> {
    match cmd {
        SpecCommand::List { format, common } => list(&library_with(&common.spec)?, format),
        SpecCommand::Show { id, format, common } => show(&library_with(&common.spec)?, &id, format),
        SpecCommand::Lint { files, format } => lint_files(&files, format),
        SpecCommand::Resolve {
            profile,
            level,
            format,
            common,
        } => {
            let mut lib = library_with(&common.spec)?;
            let id = lib.profile_or_file(&profile)?;
            let resolved = resolve(&lib, &id, &ResolveOptions { max_level: level })?;
            let text = match format {
                DocFormat::Json => pretty(&resolved)?,
                DocFormat::Markdown => annex_report::profile_markdown(&resolved),
                DocFormat::Text => {
                    let mut s = format!(
                        "{} {} — {} requirements from {}\n",
                        resolved.id,
                        resolved.version,
                        resolved.requirements.len(),
                        resolved
                            .catalogs
                            .iter()
                            .map(|c| format!("{} {}", c.id, c.version))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    for r in &resolved.requirements {
                        let source = r
                            .rule
                            .as_ref()
                            .map(|x| x.source.as_str())
                            .unwrap_or("attestation");
                        let _ =
                            writeln!(s, "  {:<16} {:<11} {}", r.id, source, first_line(&r.text));
                    }
                    if !resolved.parameters.is_empty() {
                        let _ = writeln!(s, "parameters:");
                        for (k, v) in &resolved.parameters {
                            let _ = writeln!(s, "  {k} = {v}");
                        }
                    }
                    s
                }
            };
            emit(None, &text)?;
            Ok(0)
        }
        SpecCommand::Diff {
            a,
            b,
            format,
            common,
        } => {
            let mut lib = library_with(&common.spec)?;
            let ia = lib.profile_or_file(&a)?;
            let ib = lib.profile_or_file(&b)?;
            let ra = resolve(&lib, &ia, &ResolveOptions::default())?;
            let rb = resolve(&lib, &ib, &ResolveOptions::default())?;
            let d = compare::diff(&ra, &rb);
            let text = match format {
                ListFormat::Json => pretty(&d)?,
                ListFormat::Text => {
                    let mut s = format!("{} → {}: {} requirements the same\n", d.a, d.b, d.same);
                    for id in &d.only_in_a {
                        let _ = writeln!(s, "- {id}");
                    }
                    for id in &d.only_in_b {
                        let _ = writeln!(s, "+ {id}");
                    }
                    for c in &d.changed {
                        let _ = writeln!(s, "~ {} ({})", c.requirement, c.fields.join(", "));
                    }
                    for p in &d.parameters {
                        let show = |v: &Option<serde_json::Value>| {
                            v.as_ref()
                                .map(|x| x.to_string())
                                .unwrap_or_else(|| "(unset)".into())
                        };
                        let _ = writeln!(
                            s,
                            "~ parameter {}: {} → {}",
                            p.parameter,
                            show(&p.a),
                            show(&p.b)
                        );
                    }
                    s
                }
            };
            emit(None, &text)?;
            Ok(0)
        }
        SpecCommand::Crosswalk {
            compare_mappings: Some(pair),
            format,
            common,
            ..
        } => {
            let lib = library_with(&common.spec)?;
            let Some(diff) = compare::mapping_diff(&lib, &pair[0], &pair[1]) else {
                let known: Vec<&str> = lib
                    .mapping_sets
                    .iter()
                    .map(|s| s.metadata.id.as_str())
                    .collect();
                bail!(
                    "unknown mapping set `{}` or `{}` (known: {})",
                    pair[0],
                    pair[1],
                    known.join(", ")
                );
            };
            let text = match format {
                DocFormat::Json => pretty(&diff)?,
                DocFormat::Markdown | DocFormat::Text => mapping_diff_text(&diff),
            };
            emit(None, &text)?;
            Ok(0)
        }
        SpecCommand::Crosswalk {
            framework,
            profiles,
            format,
            common,
            ..
        } => {
            let mut lib = library_with(&common.spec)?;
            let ids: Vec<String> = if profiles.is_empty() {
                lib.profiles.keys().cloned().collect()
            } else {
                profiles
                    .iter()
                    .map(|p| lib.profile_or_file(p))
                    .collect::<Result<_, _>>()?
            };
            let resolved = ids
                .iter()
                .map(|id| resolve(&lib, id, &ResolveOptions::default()))
                .collect::<Result<Vec<_>, _>>()?;
            let Some(cw) = compare::crosswalk(&lib, &framework, &resolved) else {
                bail!(
                    "unknown framework catalog `{framework}` (known: {})",
                    lib.catalogs.keys().cloned().collect::<Vec<_>>().join(", ")
                );
            };
            let text = match format {
                DocFormat::Json => pretty(&cw)?,
                DocFormat::Markdown => {
                    let mut s = format!(
                        "# Crosswalk to {}\n\n| {} | {} |\n|---|{}\n",
                        cw.framework,
                        cw.framework,
                        cw.profiles.join(" | "),
                        "---|".repeat(cw.profiles.len())
                    );
                    for row in &cw.rows {
                        let cells: Vec<String> = cw
                            .profiles
                            .iter()
                            .map(|p| {
                                row.covered_by
                                    .get(p)
                                    .map(|c| {
                                        c.iter()
                                            .map(|x| x.requirement.clone())
                                            .collect::<Vec<_>>()
                                            .join(", ")
                                    })
                                    .unwrap_or_default()
                            })
                            .collect();
                        let _ = writeln!(s, "| {} | {} |", row.requirement, cells.join(" | "));
                    }
                    let _ = writeln!(
                        s,
                        "\nNot covered by any profile: {}",
                        cw.uncovered.join(", ")
                    );
                    s
                }
                DocFormat::Text => {
                    let mut s = format!(
                        "crosswalk to {} over {}\n",
                        cw.framework,
                        cw.profiles.join(", ")
                    );
                    for row in &cw.rows {
                        let n: usize = row.covered_by.values().map(Vec::len).sum();
                        let profs: Vec<String> = row
                            .covered_by
                            .iter()
                            .map(|(p, c)| format!("{p}:{}", c.len()))
                            .collect();
                        let _ =
                            writeln!(s, "  {:<14} {:>3}  {}", row.requirement, n, profs.join(" "));
                    }
                    let _ = writeln!(
                        s,
                        "{} of {} {} items covered by no profile: {}",
                        cw.uncovered.len(),
                        cw.rows.len(),
                        cw.framework,
                        cw.uncovered.join(" ")
                    );
                    s
                }
            };
            emit(None, &text)?;
            Ok(0)
        }
        SpecCommand::Render {
            id, output, common, ..
        } => {
            let mut lib = library_with(&common.spec)?;
            let text = if let Some(cat) = lib.catalogs.get(&id) {
                annex_report::catalog_markdown(cat)
            } else {
                let pid = lib
                    .profile_or_file(&id)
                    .with_context(|| format!("`{id}` is neither a catalog nor a profile"))?;
                annex_report::profile_markdown(&resolve(&lib, &pid, &ResolveOptions::default())?)
            };
            emit(output.as_ref(), &text)?;
            Ok(0)
        }
        SpecCommand::Export {
            id, output, common, ..
        } => {
            let mut lib = library_with(&common.spec)?;
            let doc = match annex_spec::oscal::catalog_export(&lib, &id, build_time) {
                Some(doc) => doc,
                None => {
                    let pid = lib
                        .profile_or_file(&id)
                        .with_context(|| format!("`{id}` is neither a catalog nor a profile"))?;
                    annex_spec::oscal::profile_export(&lib, &pid, build_time)?
                }
            };
            emit(output.as_ref(), &pretty(&doc)?)?;
            Ok(0)
        }
        SpecCommand::Import {
            files,
            output,
            format,
        } => import(&files, output.as_ref(), format),
    }
}

/// `annex spec import` of OSCAL assessment results: a summary of each, and with `--output`
/// the one assessment as annex JSON (annex/assessment/v1, what `annex check --format json`
/// writes).
fn import_assessments(
    assessments: &[annex_assess::Assessment],
    others: &[PathBuf],
    output: Option<&PathBuf>,
    format: ListFormat,
) -> anyhow::Result<u8> {
    if !others.is_empty() {
        bail!(
            "import assessment results and specification files separately ({} is not an assessment)",
            others[0].display()
        );
    }
    if let Some(out) = output {
        let [one] = assessments else {
            bail!(
                "{} assessments imported; --output writes one (import them one at a time)",
                assessments.len()
            );
        };
        emit(Some(out), &annex_report::json(one))?;
    }
    let summary: Vec<serde_json::Value> = assessments
        .iter()
        .map(|a| {
            serde_json::json!({"kind": "assessment-results", "id": a.profile.id,
                "detail": format!("{}: {}", a.subject, annex_report::summary_line(a))})
        })
        .collect();
    if format == ListFormat::Json && output.is_none() {
        emit(None, &pretty(&summary)?)?;
    } else {
        for v in &summary {
            eprintln!(
                "{} {}: {}",
                v["kind"].as_str().unwrap_or(""),
                v["id"].as_str().unwrap_or(""),
                v["detail"].as_str().unwrap_or("")
            );
        }
    }
    Ok(0)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

fn list(lib: &Library, format: ListFormat) -> anyhow::Result<u8> {
    if format == ListFormat::Json {
        let v = serde_json::json!({
            "catalogs": lib.catalogs.values().map(|c| serde_json::json!({
                "id": c.metadata.id, "title": c.title, "version": c.metadata.version,
                "kind": c.metadata.kind, "requirements": c.requirements().count(), "origin": c.origin.0,
            })).collect::<Vec<_>>(),
            "mapping_sets": lib.mapping_sets.iter().map(|m| serde_json::json!({
                "id": m.metadata.id, "source": m.metadata.source_catalog, "target": m.metadata.target_catalog,
                "mappings": m.mappings.len(), "origin": m.origin.0,
            })).collect::<Vec<_>>(),
            "rule_packs": lib.rule_packs.iter().map(|r| serde_json::json!({
                "id": r.metadata.id, "catalog": r.metadata.catalog, "rules": r.rules.len(), "origin": r.origin.0,
            })).collect::<Vec<_>>(),
            "profiles": lib.profiles.values().map(|p| serde_json::json!({
                "id": p.metadata.id, "title": p.title, "version": p.metadata.version,
                "extends": p.annex.extends.as_ref().map(|e| e.value.clone()), "origin": p.origin.0,
            })).collect::<Vec<_>>(),
        });
        emit(None, &pretty(&v)?)?;
        return Ok(0);
    }
    let mut s = String::from("catalogs:\n");
    for c in lib.catalogs.values() {
        let _ = writeln!(
            s,
            "  {:<16} {:<12} {:>4} requirements  {}",
            c.metadata.id,
            c.metadata.version,
            c.requirements().count(),
            c.title
        );
    }
    s.push_str("mapping sets:\n");
    for m in &lib.mapping_sets {
        let _ = writeln!(
            s,
            "  {:<16} {} → {}, {} mappings",
            m.metadata.id,
            m.metadata.source_catalog,
            m.metadata.target_catalog,
            m.mappings.len()
        );
    }
    s.push_str("rule packs:\n");
    for r in &lib.rule_packs {
        let _ = writeln!(
            s,
            "  {:<16} for {}, {} rules",
            r.metadata.id,
            r.metadata.catalog,
            r.rules.len()
        );
    }
    s.push_str("profiles:\n");
    for p in lib.profiles.values() {
        let _ = writeln!(s, "  {:<16} {}", p.metadata.id, p.title);
    }
    emit(None, &s)?;
    Ok(0)
}

fn show(lib: &Library, id: &str, format: ListFormat) -> anyhow::Result<u8> {
    let json = |v: serde_json::Value| -> anyhow::Result<u8> {
        emit(None, &pretty(&v)?)?;
        Ok(0)
    };
    if let Some((cat, control, req)) = lib.requirement(id) {
        let rule = lib.rule_for(id);
        let maps: Vec<_> = lib
            .mappings_from(id)
            .into_iter()
            .map(|(_, m)| m.clone())
            .collect();
        if format == ListFormat::Json {
            return json(serde_json::json!({
                "kind": "requirement", "catalog": cat.metadata.id, "control": control.id.value,
                "control_title": control.title, "requirement": req, "rule": rule, "maps": maps,
            }));
        }
        let mut s = format!(
            "{} ({} {}, control {} {})\n\n{}\n",
            req.id.value,
            cat.metadata.id,
            cat.metadata.version,
            control.id.value,
            control.title,
            req.text.trim()
        );
        let _ = writeln!(s, "\napplicability: {}", req.applicability.join(", "));
        if let Some(a) = &req.anchor {
            let _ = writeln!(s, "anchor: {a}");
        }
        if let Some(r) = &req.recommendation {
            let _ = writeln!(s, "recommendation: {}", r.trim());
        }
        if let Some(r) = rule {
            let _ = writeln!(s, "decided by: {}", r.source.as_str());
            if let Some(e) = &r.rule {
                let _ = writeln!(s, "rule: {}", e.value.trim());
            }
            if let Some(fix) = &r.remediation {
                let _ = writeln!(s, "fix: {}", fix.trim());
            }
        }
        for m in maps {
            let _ = writeln!(
                s,
                "{} {} {}",
                m.source.value,
                m.relationship.as_str(),
                m.target.value
            );
        }
        emit(None, &s)?;
        return Ok(0);
    }
    if let Some(cat) = lib.catalogs.get(id) {
        if format == ListFormat::Json {
            return json(serde_json::to_value(cat)?);
        }
        emit(None, &annex_report::catalog_markdown(cat))?;
        return Ok(0);
    }
    for cat in lib.catalogs.values() {
        if let Some(c) = cat.controls.iter().find(|c| c.id.value == id) {
            if format == ListFormat::Json {
                return json(serde_json::to_value(c)?);
            }
            let mut s = format!(
                "{} {} ({})\n{}\n",
                c.id.value, c.title, cat.metadata.id, c.objective
            );
            for r in &c.assessment_requirements {
                let _ = writeln!(
                    s,
                    "  {:<16} [{}] {}",
                    r.id.value,
                    r.applicability.join(","),
                    first_line(&r.text)
                );
            }
            emit(None, &s)?;
            return Ok(0);
        }
    }
    if let Some(p) = lib.profiles.get(id) {
        if format == ListFormat::Json {
            return json(serde_json::to_value(p)?);
        }
        let resolved = resolve(lib, id, &ResolveOptions::default())?;
        emit(None, &annex_report::profile_markdown(&resolved))?;
        return Ok(0);
    }
    if let Some(r) = lib.rule_packs.iter().find(|r| r.metadata.id == id) {
        return json(serde_json::to_value(r)?);
    }
    if let Some(m) = lib.mapping_sets.iter().find(|m| m.metadata.id == id) {
        return json(serde_json::to_value(m)?);
    }
    let known = lib
        .requirement_ids()
        .chain(lib.catalogs.keys().map(String::as_str))
        .chain(lib.profiles.keys().map(String::as_str));
    let hint = annex_spec::error::nearest(id, known)
        .map(|n| format!(" (did you mean `{n}`?)"))
        .unwrap_or_default();
    bail!("unknown id `{id}`{hint}")
}

fn lint_files(files: &[PathBuf], format: ListFormat) -> anyhow::Result<u8> {
    let mut lib = Library::builtin().context("the built-in specifications do not load")?;
    let mut problems = Vec::new();
    let mut docs = Vec::new();
    for f in files {
        match annex_spec::import_paths(std::slice::from_ref(f)) {
            Ok(imported) => {
                for w in &imported.warnings {
                    problems.extend(problems_of(w).into_iter().map(|mut p| {
                        p.severity = Severity::Warning;
                        p
                    }));
                }
                docs.extend(imported.documents);
            }
            Err(e) => problems.extend(problems_of(&e)),
        }
    }
    // Lint against the built-ins plus everything given, so files may refer to each other.
    for d in &docs {
        lib.add(d.clone());
    }
    for d in &docs {
        problems.extend(lint(d, &lib));
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    if format == ListFormat::Json {
        emit(
            None,
            &pretty(
                &serde_json::json!({"documents": docs.len(), "errors": errors, "warnings": warnings, "problems": problems}),
            )?,
        )?;
    } else {
        let mut s = String::new();
        for p in &problems {
            let _ = writeln!(s, "{p}");
        }
        let _ = writeln!(
            s,
            "{} document(s): {errors} error(s), {warnings} warning(s)",
            docs.len()
        );
        emit(None, &s)?;
    }
    if errors > 0 {
        return Err(Exit(2).into());
    }
    Ok(0)
}

fn import(files: &[PathBuf], output: Option<&PathBuf>, format: ListFormat) -> anyhow::Result<u8> {
    // OSCAL assessment results read back as assessments; every other file is a specification.
    let mut assessments = Vec::new();
    let mut spec_files = Vec::new();
    for f in files {
        match f
            .is_file()
            .then(|| annex_report::oscal::import(f))
            .transpose()?
        {
            Some(Some(a)) => assessments.push(a),
            _ => spec_files.push(f.clone()),
        }
    }
    if !assessments.is_empty() {
        return import_assessments(&assessments, &spec_files, output, format);
    }
    let imported = annex_spec::import_paths(files)?;
    let warnings: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
    crate::project_args::warn_all(&warnings);
    let mut summary = Vec::new();
    let mut catalogs = Vec::new();
    for d in &imported.documents {
        let (id, detail) = match d {
            Document::Catalog(c) => {
                catalogs.push(c);
                let active = c
                    .requirements()
                    .filter(|(_, r)| r.state == annex_spec::Lifecycle::Active)
                    .count();
                let groups: Vec<&str> = c
                    .metadata
                    .applicability_groups
                    .iter()
                    .map(|g| g.id.as_str())
                    .collect();
                (
                    c.metadata.id.clone(),
                    format!(
                        "{} {}: {} groups, {} controls, {} requirements ({} active), applicability {}",
                        c.title,
                        c.metadata.version,
                        c.groups.len(),
                        c.controls.len(),
                        c.requirements().count(),
                        active,
                        groups.join(", ")
                    ),
                )
            }
            Document::MappingSet(m) => (
                m.metadata.id.clone(),
                format!("{} mappings", m.mappings.len()),
            ),
            Document::RulePack(r) => (r.metadata.id.clone(), format!("{} rules", r.rules.len())),
            Document::Profile(p) => (p.metadata.id.clone(), p.title.clone()),
            Document::Part(p) => (p.origin.0.clone(), String::new()),
            Document::Ignored { origin, .. } => (origin.0.clone(), "skipped".into()),
        };
        summary.push(serde_json::json!({"kind": d.kind(), "id": id, "detail": detail}));
    }
    if let Some(out) = output {
        let text = match (format, catalogs.as_slice()) {
            (_, []) => bail!("nothing to write: no catalog among the imported files"),
            (ListFormat::Json, [one]) => pretty(one)?,
            (ListFormat::Text, [one]) => {
                serde_saphyr::to_string(one).context("cannot write YAML")?
            }
            (_, _) => bail!(
                "{} catalogs imported; --output writes one (import them one at a time)",
                catalogs.len()
            ),
        };
        emit(Some(out), &text)?;
    }
    if format == ListFormat::Json && output.is_none() {
        emit(None, &pretty(&summary)?)?;
    } else {
        let mut s = String::new();
        for v in &summary {
            let _ = writeln!(
                s,
                "{} {}: {}",
                v["kind"].as_str().unwrap_or(""),
                v["id"].as_str().unwrap_or(""),
                v["detail"].as_str().unwrap_or("")
            );
        }
        eprint!("{s}");
    }
    Ok(0)
}

/// The comparison of two mapping sets as text: the summary, both sets per framework item,
/// then each difference with its stated reason or rationale.
fn mapping_diff_text(d: &compare::MappingDiff) -> String {
    let mut s = format!(
        "{} keeps {} of the {} links of {}, leaves out {} and adds {} (sources at control level)\n\n",
        d.to,
        d.kept.len(),
        d.from_links,
        d.from,
        d.dropped.len(),
        d.added.len()
    );
    let _ = writeln!(s, "{:<14} {} | {}", "item", d.from, d.to);
    for r in &d.rows {
        let _ = writeln!(
            s,
            "{:<14} {} | {}",
            r.target,
            if r.from.is_empty() {
                "-".to_string()
            } else {
                r.from.join(" ")
            },
            if r.to.is_empty() {
                "-".to_string()
            } else {
                r.to.join(" ")
            }
        );
    }
    for (title, links) in [
        (format!("left out by {} (reason)", d.to), &d.dropped),
        (format!("added by {} (rationale)", d.to), &d.added),
    ] {
        let _ = writeln!(s, "\n{title}:");
        for l in links {
            let _ = writeln!(s, "  {} -> {}: {}", l.source, l.target, l.note);
        }
    }
    s
}
