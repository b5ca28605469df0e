//! annex-report: render assessments (text for a terminal, Markdown, JSON, HTML, SARIF,
//! JUnit XML, OSCAL assessment results, an SVG badge) and specifications (catalogs and
//! resolved profiles as Markdown). Rendering only: no decisions, and no I/O except reading an
//! OSCAL assessment-results file back ([`oscal::import`]). Every format is deterministic: the
//! same assessment gives the same bytes.

pub mod badge;
pub mod findings;
pub mod html;
pub mod junit;
pub mod oscal;
pub mod sarif;
mod status;

pub use status::summary_line;
use status::{by_group, label};

use annex_assess::{Assessment, Coverage, Status};
use annex_spec::{Catalog, ResolvedProfile};
use annex_types::escape_control;
use anstyle::{AnsiColor, Style};
use std::fmt::Write;

pub fn json(assessment: &Assessment) -> String {
    let mut s = serde_json::to_string_pretty(assessment)
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

fn style(status: Status) -> Style {
    let c = match status {
        Status::Pass => AnsiColor::Green,
        Status::Fail => AnsiColor::Red,
        Status::NeedsReview => AnsiColor::Yellow,
        Status::NotApplicable => AnsiColor::BrightBlack,
        Status::NotRun => AnsiColor::Blue,
        Status::Unknown => AnsiColor::Magenta,
    };
    Style::new().fg_color(Some(c.into())).bold()
}

/// Terminal text. `color` adds ANSI styles; `verbose` also lists passing requirements' reasons.
pub fn text(a: &Assessment, color: bool, verbose: bool) -> String {
    let paint = |st: Style, s: &str| {
        if color {
            format!("{st}{s}{st:#}")
        } else {
            s.to_string()
        }
    };
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} — profile {} {}",
        paint(bold, "annex check"),
        escape_control(&a.subject),
        a.profile.id,
        a.profile.version
    );
    for (group, title, results) in by_group(&a.results) {
        let _ = writeln!(out, "\n{}", paint(bold, &format!("{group} {title}")));
        for r in results {
            let _ = writeln!(
                out,
                "  {:<8} {}  {}",
                paint(style(r.status), label(r.status)),
                escape_control(&r.requirement),
                escape_control(&r.reason)
            );
            let show_fix = !matches!(r.status, Status::Pass | Status::NotApplicable);
            if show_fix && let Some(fix) = &r.remediation {
                let fix = fix.split_whitespace().collect::<Vec<_>>().join(" ");
                let _ = writeln!(
                    out,
                    "           {} {}",
                    paint(dim, "fix:"),
                    escape_control(&fix)
                );
            }
            if show_fix && let Some(g) = &r.generator {
                let _ = writeln!(
                    out,
                    "           {} annex fix --only {g}",
                    paint(dim, "run:")
                );
            }
            if verbose {
                let _ = writeln!(out, "           {}", paint(dim, &r.text));
            }
        }
    }
    if !a.cra.is_empty() {
        let _ = writeln!(out, "\n{}", paint(bold, "CRA rollup"));
        // "not covered" when the profile's requirements that map here do not pass; "not
        // assessed" when none of them maps here at all.
        let bucket = |c: &annex_assess::CraItem| match c.coverage {
            Coverage::Covered => "covered",
            Coverage::Partly => "partly",
            Coverage::NotCovered if c.decided_by.is_empty() => "not assessed",
            Coverage::NotCovered => "not covered",
            Coverage::NotApplicable => "n/a",
            Coverage::Informative => "informative",
        };
        for name in [
            "covered",
            "partly",
            "not covered",
            "not assessed",
            "informative",
        ] {
            let items: Vec<&str> = a
                .cra
                .iter()
                .filter(|c| bucket(c) == name)
                .map(|c| c.requirement.as_str())
                .collect();
            if items.is_empty() {
                continue;
            }
            let shown = if name == "not assessed" {
                "no requirement of this profile maps to these; see --format json, or a cra-* profile".to_string()
            } else {
                items.join(" ")
            };
            let _ = writeln!(out, "  {:<13} {:>3}  {}", name, items.len(), shown);
        }
    }
    let _ = writeln!(out, "\n{}", summary_line(a));
    out
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn markdown(a: &Assessment) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# annex assessment: {}\n", a.subject);
    let _ = writeln!(
        out,
        "Profile **{}** ({}) version {}. {}\n",
        a.profile.id,
        md_escape(&a.profile.title),
        a.profile.version,
        summary_line(a)
    );
    for (group, title, results) in by_group(&a.results) {
        let _ = writeln!(out, "## {group} {}\n", md_escape(title));
        let _ = writeln!(
            out,
            "| status | requirement | reason | fix |\n|---|---|---|---|"
        );
        for r in results {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                r.status.as_str(),
                r.requirement,
                md_escape(&r.reason),
                md_escape(&match (&r.remediation, &r.generator) {
                    (Some(fix), Some(g))
                        if !matches!(r.status, Status::Pass | Status::NotApplicable) =>
                    {
                        format!("{fix} (`annex fix --only {g}`)")
                    }
                    (Some(fix), _) => fix.clone(),
                    (None, _) => String::new(),
                })
            );
        }
        out.push('\n');
    }
    if !a.cra.is_empty() {
        let _ = writeln!(
            out,
            "## CRA rollup\n\n| CRA requirement | coverage | decided by |\n|---|---|---|"
        );
        for c in &a.cra {
            let by = c
                .decided_by
                .iter()
                .map(|d| {
                    format!(
                        "{} ({}, {})",
                        d.requirement,
                        d.relationship,
                        d.status.as_str()
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                c.requirement,
                c.coverage.as_str(),
                md_escape(&by)
            );
        }
    }
    out
}

/// A catalog as Markdown: groups, controls and requirements with applicability and anchors.
pub fn catalog_markdown(cat: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} ({} {})\n",
        cat.title, cat.metadata.id, cat.metadata.version
    );
    if !cat.metadata.description.is_empty() {
        let _ = writeln!(out, "{}\n", cat.metadata.description.trim());
    }
    for g in &cat.groups {
        let _ = writeln!(out, "## {} {}\n", g.id, g.title);
        for c in cat.controls.iter().filter(|c| c.group == g.id) {
            let _ = writeln!(out, "### {} {}\n", c.id.value, c.title);
            if !c.objective.is_empty() {
                let _ = writeln!(out, "{}\n", c.objective);
            }
            for r in &c.assessment_requirements {
                let mut meta = vec![r.applicability.join(", ")];
                if let Some(a) = &r.anchor {
                    meta.push(a.clone());
                }
                if r.state != annex_spec::Lifecycle::Active {
                    meta.push(format!("{:?}", r.state));
                }
                let _ = writeln!(
                    out,
                    "- **{}** {} _({})_",
                    r.id.value,
                    r.text.trim(),
                    meta.join("; ")
                );
            }
            out.push('\n');
        }
    }
    out
}

/// A resolved profile as Markdown.
pub fn profile_markdown(p: &ResolvedProfile) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} ({} {})\n", p.title, p.id, p.version);
    if !p.description.is_empty() {
        let _ = writeln!(out, "{}\n", p.description);
    }
    for s in &p.sources {
        let _ = writeln!(out, "Source: <{s}>\n");
    }
    if !p.extends.is_empty() {
        let _ = writeln!(out, "Extends: {}\n", p.extends.join(" → "));
    }
    let cats: Vec<String> = p
        .catalogs
        .iter()
        .map(|c| format!("{} {}", c.id, c.version))
        .collect();
    let _ = writeln!(
        out,
        "Catalogs: {}. Applicability: {}.\n",
        cats.join(", "),
        p.applicability.join(", ")
    );
    if !p.parameters.is_empty() {
        let _ = writeln!(out, "## Parameters\n\n| parameter | value |\n|---|---|");
        for (k, v) in &p.parameters {
            let _ = writeln!(out, "| {k} | {} |", md_escape(&v.to_string()));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Requirements ({})\n", p.requirements.len());
    let _ = writeln!(
        out,
        "| id | requirement | decided by | maps to |\n|---|---|---|---|"
    );
    for r in &p.requirements {
        let source = r
            .rule
            .as_ref()
            .map(|x| x.source.as_str())
            .unwrap_or("attestation");
        let maps: Vec<String> = r
            .maps
            .iter()
            .map(|m| format!("{} ({})", m.target, m.relationship.as_str()))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            r.id,
            md_escape(&r.text),
            source,
            maps.join(", ")
        );
    }
    if !p.excluded.is_empty() {
        let _ = writeln!(out, "\nExcluded: {}", p.excluded.join(", "));
    }
    out
}

/// Scorecard-style scores as a table: check, risk, score out of 10, reason.
pub fn scorecard_text(s: &annex_assess::scorecard::ScorecardResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<24} {:<9} {:>5}  reason", "check", "risk", "score");
    for c in &s.checks {
        let score = if c.score < 0 {
            "?".to_string()
        } else {
            format!("{}/10", c.score)
        };
        let _ = writeln!(
            out,
            "{:<24} {:<9} {:>5}  {}",
            c.name,
            c.risk,
            score,
            escape_control(&c.reason)
        );
    }
    match s.aggregate {
        Some(a) => {
            let _ = writeln!(
                out,
                "\naggregate (risk-weighted, as Scorecard computes it): {a:.1}/10"
            );
        }
        None => {
            let _ = writeln!(out, "\naggregate: inconclusive (no check could be scored)");
        }
    }
    let _ = writeln!(
        out,
        "Scorecard's other nine checks need the forge's API and are not scored offline."
    );
    out
}

/// Deepest indentation of the inventory tree; deeper levels are numbered instead.
pub const MAX_TREE_INDENT: usize = 32;

/// An inventory as text: each lockfile, then its dependency tree from the direct
/// dependencies down (a repeated subtree is shown once, then marked `(*)`); a flat list when
/// the format records no edges.
pub fn inventory_tree(inv: &annex_inventory::Inventory) -> String {
    use std::collections::{BTreeMap, BTreeSet};
    let mut out = String::new();
    let mut total = 0;
    for s in &inv.subjects {
        total += s.components.len();
        let _ = writeln!(
            out,
            "{} ({}, {}): {} components",
            escape_control(&s.path),
            escape_control(&s.format),
            s.ecosystem,
            s.components.len()
        );
        let by_id: BTreeMap<&str, &annex_inventory::Component> =
            s.components.iter().map(|c| (c.id.as_str(), c)).collect();
        let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for e in &s.edges {
            children
                .entry(e.from.as_str())
                .or_default()
                .push(e.to.as_str());
        }
        let label = |c: &annex_inventory::Component| {
            let scope = match c.scope {
                annex_inventory::Scope::Required => "",
                annex_inventory::Scope::Dev => " [dev]",
                annex_inventory::Scope::Optional => " [optional]",
                annex_inventory::Scope::Build => " [build]",
            };
            // Names and versions come from the lockfile: escaped.
            format!(
                "{} {}{scope}",
                escape_control(&c.name),
                escape_control(&c.version)
            )
        };
        let roots: Vec<&str> = s
            .components
            .iter()
            .filter(|c| c.direct)
            .map(|c| c.id.as_str())
            .collect();
        if s.edges.is_empty() || roots.is_empty() {
            for c in &s.components {
                let _ = writeln!(out, "  {}", label(c));
            }
        } else {
            let mut shown: BTreeSet<&str> = BTreeSet::new();
            // Iterative depth-first walk; depth is bounded by the number of components.
            let mut stack: Vec<(&str, usize, bool)> =
                roots.iter().rev().map(|r| (*r, 1, true)).collect();
            while let Some((id, depth, _)) = stack.pop() {
                let Some(c) = by_id.get(id) else { continue };
                let seen = !shown.insert(id);
                let kids = children.get(id).map(Vec::as_slice).unwrap_or(&[]);
                let mark = if seen && !kids.is_empty() { " (*)" } else { "" };
                // Indentation stops at MAX_TREE_INDENT (the level is printed beyond it), so
                // a long chain prints in linear, not quadratic, space.
                let indent = "  ".repeat(depth.min(MAX_TREE_INDENT));
                let level = if depth > MAX_TREE_INDENT {
                    format!("[{depth}] ")
                } else {
                    String::new()
                };
                let _ = writeln!(out, "{indent}{level}{}{mark}", label(c));
                if !seen {
                    for k in kids.iter().rev() {
                        stack.push((k, depth + 1, false));
                    }
                }
            }
            let unreached: Vec<&&annex_inventory::Component> = by_id
                .values()
                .filter(|c| !shown.contains(c.id.as_str()))
                .collect();
            if !unreached.is_empty() {
                let _ = writeln!(out, "  not reached from a direct dependency:");
                for c in unreached {
                    let _ = writeln!(out, "    {}", label(c));
                }
            }
        }
        for u in &s.unresolved {
            let _ = writeln!(
                out,
                "  unresolved: {}",
                escape_control(&format!(
                    "{} {} ({}:{})",
                    u.name, u.requirement, u.location.path, u.location.line
                ))
            );
        }
    }
    let _ = writeln!(
        out,
        "{} lockfile(s), {total} components",
        inv.subjects.len()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn npm_lock(packages: &[(&str, &str, &[&str])]) -> annex_inventory::Inventory {
        let mut map = serde_json::Map::new();
        map.insert(
            String::new(),
            serde_json::json!({"name": "root", "version": "1.0.0",
            "dependencies": {packages[0].0: packages[0].1}}),
        );
        for (name, version, deps) in packages {
            let deps: serde_json::Map<String, serde_json::Value> =
                deps.iter().map(|d| (d.to_string(), "*".into())).collect();
            map.insert(
                format!("node_modules/{name}"),
                serde_json::json!({"version": version, "dependencies": deps}),
            );
        }
        let doc = serde_json::json!({"name": "root", "lockfileVersion": 3, "packages": map});
        let text = serde_json::to_string(&doc).expect("json");
        let subject =
            annex_inventory::parse::npm::package_lock("package-lock.json", &text).expect("parses");
        annex_inventory::Inventory {
            schema: String::new(),
            subjects: vec![subject],
        }
    }

    /// Issue 16 item 14: names from a lockfile cannot put control characters on the
    /// terminal.
    #[test]
    fn tree_escapes_names_and_versions() {
        let inv = npm_lock(&[("evil\u{1b}[2J", "1.0.0\r\nall clear", &[])]);
        let text = inventory_tree(&inv);
        assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text:?}");
        assert!(
            text.contains("evil\\u{1b}[2J 1.0.0\\u{d}\\u{a}all clear"),
            "{text}"
        );
    }

    /// Issue 16 item 10: a chain of N dependencies printed O(N²) indentation (a 650 KB
    /// lockfile gave 25 MB). Indentation now stops at MAX_TREE_INDENT: linear output.
    #[test]
    fn deep_chains_print_in_linear_space() {
        let n = 2_000;
        let names: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
        let deps: Vec<[&str; 1]> = (0..n)
            .map(|i| [names.get(i + 1).map_or("", String::as_str)])
            .collect();
        let packages: Vec<(&str, &str, &[&str])> = (0..n)
            .map(|i| {
                let d: &[&str] = if i + 1 < n { &deps[i] } else { &[] };
                (names[i].as_str(), "1.0.0", d)
            })
            .collect();
        let text = inventory_tree(&npm_lock(&packages));
        assert!(
            text.contains(&format!("[{n}] p{}", n - 1)),
            "deepest level numbered"
        );
        let widest = text.lines().map(str::len).max().unwrap_or(0);
        assert!(
            widest <= 2 * MAX_TREE_INDENT + 40,
            "a line of {widest} bytes"
        );
    }
}
