//! HTML: one self-contained page (inline CSS and SVG, no script, no network) that a
//! maintainer attaches to a release: a summary chart, the CRA rollup with coverage bars, and
//! each requirement with its status, reason, evidence (linked to the forge when the remote
//! is known) and fix.
//!
//! Filters work without JavaScript: each filter is an empty element with an id, and
//! `:target` rules hide the requirements that do not match (`report.html#st-fail`,
//! `report.html#fam-AC`). Printing shows the page without the filter bar.

use crate::status::{by_group, fix_of, label, passed_of_applicable, profile_label, summary_line};
use annex_assess::{Assessment, Coverage, CraItem, Status};
use annex_types::xml::escape as esc;
use std::fmt::Write;

/// Where evidence links point.
#[derive(Debug, Clone, Default)]
pub struct HtmlOptions {
    /// The forge's URL prefix for a file, e.g. `https://github.com/o/r/blob/HEAD/`; evidence
    /// `path:line` links to `{prefix}{path}#L{line}`. `None`: evidence is plain text.
    pub source_base: Option<String>,
}

fn color(status: Status) -> &'static str {
    match status {
        Status::Pass => "#1a7f37",
        Status::Fail => "#cf222e",
        Status::NeedsReview => "#bf8700",
        Status::NotApplicable => "#8c959f",
        Status::NotRun => "#0969da",
        Status::Unknown => "#8250df",
    }
}

/// An id and class safe in CSS selectors and URL fragments.
fn css_token(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn style(a: &Assessment) -> String {
    let mut css = String::from(
        "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:68rem;padding:1rem 1.5rem;color:#1f2328;background:#fff}\
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eaeef2;vertical-align:top}\
code{font:13px ui-monospace,monospace}.muted{color:#59636e}\
.st{display:inline-block;min-width:5.5rem;text-align:center;color:#fff;border-radius:3px;font:600 12px ui-monospace,monospace;padding:1px 4px}\
.req{border-left:4px solid #d0d7de;padding:.3rem .8rem;margin:.5rem 0}.req p{margin:.25rem 0}\
nav{position:sticky;top:0;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.4rem .7rem;margin:1rem 0}\
nav a{margin-right:.6rem;text-decoration:none}.flt{display:none}.legend span{margin-right:1rem;white-space:nowrap}\
@media print{nav{display:none}.req{break-inside:avoid}a{color:inherit;text-decoration:none}details{display:block}}\n",
    );
    for s in Status::ALL {
        let c = css_token(s.as_str());
        let _ = writeln!(
            css,
            ".st-{c} .st,.st.st-{c}{{background:{col}}}.req.st-{c}{{border-left-color:{col}}}\
#st-{c}:target~main .req:not(.st-{c}),#st-{c}:target~main .fam:not(:has(.st-{c})){{display:none}}\
#st-{c}:target~nav a[href=\"#st-{c}\"]{{font-weight:700}}",
            col = color(s)
        );
    }
    for (group, _, _) in by_group(&a.results) {
        let g = css_token(group);
        let _ = writeln!(
            css,
            "#fam-{g}:target~main .fam:not(.fam-{g}){{display:none}}#fam-{g}:target~nav a[href=\"#fam-{g}\"]{{font-weight:700}}"
        );
    }
    css
}

/// The summary as a stacked bar with a legend.
fn chart(a: &Assessment) -> String {
    let total = a.summary.total.max(1) as f64;
    let mut bar = String::new();
    let mut legend = String::new();
    let mut x = 0.0;
    for s in Status::ALL {
        let n = a.summary.count(s);
        if n == 0 {
            continue;
        }
        let w = 600.0 * n as f64 / total;
        let _ = write!(
            bar,
            "<rect x=\"{x:.1}\" width=\"{w:.1}\" height=\"24\" fill=\"{}\"><title>{}: {n}</title></rect>",
            color(s),
            label(s)
        );
        x += w;
        let _ = write!(
            legend,
            "<span><span class=\"st st-{}\">{}</span> {n}</span>",
            css_token(s.as_str()),
            label(s)
        );
    }
    format!(
        "<svg role=\"img\" aria-label=\"{}\" width=\"600\" height=\"24\" viewBox=\"0 0 600 24\"><rect width=\"600\" height=\"24\" fill=\"#eaeef2\"/>{bar}</svg>\n<p class=\"legend\">{legend}</p>\n",
        esc(&summary_line(a))
    )
}

/// How much of a CRA requirement's deciders pass, as a bar.
fn coverage_bar(c: &CraItem) -> String {
    let total = c.decided_by.len();
    let pass = c
        .decided_by
        .iter()
        .filter(|d| d.status == Status::Pass)
        .count();
    let w = (100 * pass).checked_div(total).unwrap_or(0);
    let fill = match c.coverage {
        Coverage::Covered => "#1a7f37",
        Coverage::Partly => "#bf8700",
        Coverage::NotCovered | Coverage::NotApplicable => "#cf222e",
        Coverage::Informative => "#6e7781",
    };
    format!(
        "<svg width=\"100\" height=\"10\" role=\"img\" aria-label=\"{pass} of {total} pass\"><rect width=\"100\" height=\"10\" fill=\"#eaeef2\"/><rect width=\"{w}\" height=\"10\" fill=\"{fill}\"/></svg> {pass}/{total}"
    )
}

fn evidence_link(opts: &HtmlOptions, path: &str, line: u64) -> String {
    let shown = format!("<code>{}:{line}</code>", esc(path));
    match &opts.source_base {
        Some(base) => {
            let mut url = esc(base);
            annex_types::percent::encode_where(&mut url, path, |c| {
                !(c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~'))
            });
            format!("<a href=\"{url}#L{line}\">{shown}</a>")
        }
        None => shown,
    }
}

/// The assessment as one HTML page.
pub fn html(a: &Assessment, opts: &HtmlOptions) -> String {
    let groups = by_group(&a.results);
    let mut out = String::new();
    let title = format!("annex: {} — {}", a.subject, a.profile.id);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n\
<link rel=\"icon\" href=\"data:,\">\n<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n",
        esc(&title),
        style(a)
    );
    // Filter targets first: `:target ~ main` needs them as earlier siblings.
    for s in Status::ALL {
        let _ = writeln!(
            out,
            "<span class=\"flt\" id=\"st-{}\"></span>",
            css_token(s.as_str())
        );
    }
    for (group, _, _) in &groups {
        let _ = writeln!(
            out,
            "<span class=\"flt\" id=\"fam-{}\"></span>",
            css_token(group)
        );
    }
    let (passed, applicable) = passed_of_applicable(a);
    let _ = write!(
        out,
        "<header>\n<h1>annex assessment: {}</h1>\n<p>Profile <strong>{}</strong> ({}) version {} — {}: {passed}/{applicable} applicable requirements pass.</p>\n</header>\n",
        esc(&a.subject),
        esc(&a.profile.id),
        esc(&a.profile.title),
        esc(&a.profile.version),
        esc(&profile_label(&a.profile.id))
    );
    out.push_str("<nav aria-label=\"filters\">Status: <a href=\"#\">all</a>");
    for s in Status::ALL {
        if a.summary.count(s) > 0 {
            let _ = write!(
                out,
                "<a href=\"#st-{}\">{} ({})</a>",
                css_token(s.as_str()),
                s.as_str(),
                a.summary.count(s)
            );
        }
    }
    out.push_str("<br>Family: ");
    for (group, title, _) in &groups {
        let _ = write!(
            out,
            "<a href=\"#fam-{}\" title=\"{}\">{}</a>",
            css_token(group),
            esc(title),
            esc(group)
        );
    }
    out.push_str("</nav>\n<main>\n<section id=\"summary\">\n<h2>Summary</h2>\n");
    out.push_str(&chart(a));
    out.push_str("</section>\n");

    if !a.cra.is_empty() {
        out.push_str("<section id=\"cra\">\n<h2>CRA rollup</h2>\n<table>\n<thead><tr><th>CRA requirement</th><th>coverage</th><th>passing deciders</th><th>decided by</th></tr></thead>\n<tbody>\n");
        for c in &a.cra {
            let by: Vec<String> = c
                .decided_by
                .iter()
                .map(|d| {
                    format!(
                        "{} <span class=\"muted\">({}, {})</span>",
                        esc(&d.requirement),
                        esc(&d.relationship),
                        d.status.as_str()
                    )
                })
                .collect();
            let anchor = c
                .anchor
                .as_deref()
                .map(|x| format!(" <span class=\"muted\">{}</span>", esc(x)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<tr><td><strong>{}</strong> {}{anchor}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&c.requirement),
                esc(&c.title),
                // As the text report says it: no requirement of this profile decides it.
                if c.decided_by.is_empty() {
                    "not assessed"
                } else {
                    c.coverage.as_str()
                },
                coverage_bar(c),
                by.join(", ")
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }

    out.push_str("<section id=\"requirements\">\n<h2>Requirements</h2>\n");
    for (group, title, results) in &groups {
        let _ = writeln!(
            out,
            "<div class=\"fam fam-{}\">\n<h3>{} {}</h3>",
            css_token(group),
            esc(group),
            esc(title)
        );
        for r in results {
            let st = css_token(r.status.as_str());
            let _ = writeln!(
                out,
                "<div class=\"req st-{st}\" id=\"req-{}\">\n<p><span class=\"st\">{}</span> <strong>{}</strong> {}</p>\n<p>{}</p>",
                css_token(&r.requirement),
                label(r.status),
                esc(&r.requirement),
                esc(&r.title),
                esc(&r.reason)
            );
            if !r.evidence.is_empty() {
                let links: Vec<String> = r
                    .evidence
                    .iter()
                    .map(|e| evidence_link(opts, &e.path, e.line))
                    .collect();
                let _ = writeln!(out, "<p>Evidence: {}</p>", links.join(", "));
            }
            if let Some(fix) = fix_of(r) {
                let _ = writeln!(out, "<p><strong>Fix:</strong> {}</p>", esc(&fix));
            }
            let _ = writeln!(
                out,
                "<details><summary>Requirement text</summary><p>{}</p><p class=\"muted\">{} · confidence {} · decided by {}</p></details>\n</div>",
                esc(&r.text),
                esc(&r.catalog),
                serde_json::to_value(r.confidence)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                esc(&r.source)
            );
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
    if !a.skipped.is_empty() {
        out.push_str("<section id=\"skipped\">\n<h2>Files not read</h2>\n<p>Lockfiles and manifests this run did not read, and why.</p>\n<ul>\n");
        for s in &a.skipped {
            let _ = writeln!(out, "<li><code>{}</code></li>", esc(&s.to_string()));
        }
        out.push_str("</ul>\n</section>\n");
    }
    let _ = write!(
        out,
        "</main>\n<footer class=\"muted\"><p>{} {} · {}</p></footer>\n</body>\n</html>\n",
        esc(&a.generator.name),
        esc(&a.generator.version),
        esc(&summary_line(a))
    );
    out
}
