//! Server-rendered pages. Every value from the store is escaped; sorting and filtering are
//! links and a GET form, so no script is needed.

use std::fmt::Write;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use annex_store::{OverviewRow, RunRow};
use annex_types::xml::escape as esc;

use crate::api::{OverviewQuery, SORTS, project_view, select};
use crate::state::{ApiError, AppState};
use crate::svg;

const CSS: &str = include_str!("style.css");

const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "unknown"];

/// A path segment, percent-encoded.
fn seg(s: &str) -> String {
    let mut out = String::new();
    annex_types::percent::encode_where(&mut out, s, |c| {
        !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'))
    });
    out
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t} · annex fleet</title><style>{CSS}</style></head><body>\
         <header><a href=\"/\">annex fleet</a></header><main>{body}</main></body></html>",
        t = esc(title)
    ))
}

/// A page saying what was not found, with status 404.
pub(crate) fn not_found(message: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        page(
            "not found",
            &format!("<h1>Not found</h1><p>{}</p>", esc(message)),
        ),
    )
        .into_response()
}

fn error_page(e: ApiError) -> Response {
    if e.status == StatusCode::NOT_FOUND {
        return not_found(&e.message);
    }
    (
        e.status,
        page(
            "error",
            &format!("<h1>Error</h1><p>{}</p>", esc(&e.message)),
        ),
    )
        .into_response()
}

/// UTC date and time of a Unix time.
fn when(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| "?".into())
}

fn status_badge(status: &str) -> String {
    format!(
        "<span class=\"st st-{c}\">{s}</span>",
        c = esc(status),
        s = esc(status)
    )
}

fn overview_link(q: &OverviewQuery, sort: &str) -> String {
    let mut url = format!("/?sort={}", seg(sort));
    let desc = q.sort.as_deref() == Some(sort) && q.order.as_deref() != Some("desc");
    if desc {
        url.push_str("&amp;order=desc");
    }
    for (k, v) in [
        ("tag", &q.tag),
        ("profile", &q.profile),
        ("status", &q.status),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            let _ = write!(url, "&amp;{k}={}", seg(v));
        }
    }
    url
}

fn run_counts(run: &RunRow) -> String {
    let s = &run.summary;
    format!(
        "<td class=\"n pass\">{}</td><td class=\"n fail\">{}</td><td class=\"n review\">{}</td>\
         <td class=\"n unknown\">{}</td>",
        s.pass,
        s.fail,
        s.needs_review,
        s.unknown + s.not_run
    )
}

fn overview_row(out: &mut String, r: &OverviewRow) {
    let p = &r.project;
    let _ = write!(
        out,
        "<tr data-project=\"{n}\"><td><a href=\"/projects/{u}\">{n}</a><div class=\"tags\">{tags}</div></td>",
        n = esc(&p.name),
        u = seg(&p.name),
        tags = p
            .tags
            .iter()
            .map(|t| format!("<a class=\"tag\" href=\"/?tag={}\">{}</a>", seg(t), esc(t)))
            .collect::<String>()
    );
    match &r.last_run {
        Some(run) if run.outcome == "ok" => {
            let _ = write!(out, "<td>{}</td>{}", esc(&run.profile), run_counts(run));
        }
        Some(run) => {
            let _ = write!(
                out,
                "<td>{}</td><td colspan=\"4\" class=\"err\">failed: {}</td>",
                esc(&run.profile),
                esc(run.error.as_deref().unwrap_or(""))
            );
        }
        None => out.push_str("<td></td><td colspan=\"4\" class=\"muted\">never run</td>"),
    }
    let cov = if r.cra_applicable == 0 {
        "–".to_string()
    } else {
        format!(
            "{}/{} ({}%)",
            r.cra_covered,
            r.cra_applicable,
            r.cra_covered * 100 / r.cra_applicable
        )
    };
    let _ = write!(out, "<td class=\"n\">{cov}</td>");
    let unchecked = r
        .last_run
        .as_ref()
        .and_then(|x| x.vulns_unchecked.as_deref());
    match unchecked {
        Some(why) => {
            let _ = write!(
                out,
                "<td class=\"muted\" title=\"{}\">not checked</td>",
                esc(why)
            );
        }
        None => {
            out.push_str("<td class=\"sev\">");
            for s in SEVERITIES {
                if let Some(n) = r.findings.get(s) {
                    let _ = write!(out, "<span class=\"sev-{s}\">{n} {s}</span> ");
                }
            }
            if r.findings.is_empty() && r.last_run.is_some() {
                out.push_str("<span class=\"muted\">none</span>");
            }
            out.push_str("</td>");
        }
    }
    let _ = write!(
        out,
        "<td>{}</td><td>{}</td></tr>",
        svg::sparkline(
            &r.trend,
            &format!("passing requirements, last {} runs", r.trend.len())
        ),
        r.last_run
            .as_ref()
            .map(|x| when(x.started_at))
            .unwrap_or_default()
    );
}

pub(crate) async fn overview(
    State(state): State<AppState>,
    Query(q): Query<OverviewQuery>,
) -> Response {
    let all = match state.store.overview().await {
        Ok(rows) => rows,
        Err(e) => return error_page(e.into()),
    };
    let total = all.len();
    let mut profiles: Vec<String> = all
        .iter()
        .filter_map(|r| r.last_run.as_ref().map(|x| x.profile.clone()))
        .collect();
    profiles.sort();
    profiles.dedup();
    let mut tags: Vec<String> = all.iter().flat_map(|r| r.project.tags.clone()).collect();
    tags.sort();
    tags.dedup();
    let rows = select(all, &q);
    let failing = rows
        .iter()
        .filter(|r| r.last_run.as_ref().is_some_and(|x| x.summary.fail > 0))
        .count();
    let (covered, applicable) = rows.iter().fold((0, 0), |(c, a), r| {
        (c + r.cra_covered, a + r.cra_applicable)
    });
    let mut by_sev = std::collections::BTreeMap::<&str, usize>::new();
    for r in &rows {
        for (s, n) in &r.findings {
            *by_sev.entry(s.as_str()).or_default() += n;
        }
    }
    let mut body = format!(
        "<h1>Fleet</h1><section class=\"cards\">\
         <div class=\"card\"><b id=\"count-projects\">{shown}</b> of {total} projects</div>\
         <div class=\"card\"><b id=\"count-failing\">{failing}</b> failing a requirement</div>\
         <div class=\"card\"><b id=\"cra-coverage\">{cov}%</b> of applicable CRA items covered</div>\
         <div class=\"card\" id=\"findings-by-severity\">",
        shown = rows.len(),
        cov = (covered * 100).checked_div(applicable).unwrap_or(0),
    );
    for s in SEVERITIES {
        let _ = write!(
            body,
            "<span class=\"sev-{s}\">{} {s}</span> ",
            by_sev.get(s).copied().unwrap_or(0)
        );
    }
    body.push_str("open findings");
    // Zero findings from projects nobody checked would read as "no vulnerability".
    let unchecked = rows
        .iter()
        .filter(|r| {
            r.last_run
                .as_ref()
                .is_some_and(|x| x.vulns_unchecked.is_some())
        })
        .count();
    if unchecked > 0 {
        let _ = write!(
            body,
            "<div class=\"muted\" id=\"findings-unchecked\">{unchecked} projects not checked \
             (no advisory database)</div>"
        );
    }
    body.push_str("</div></section>");
    // The filter form: a plain GET, works without script.
    let option = |v: &str, cur: &Option<String>| {
        format!(
            "<option value=\"{v}\"{sel}>{v}</option>",
            v = esc(v),
            sel = if cur.as_deref() == Some(v) {
                " selected"
            } else {
                ""
            }
        )
    };
    let _ = write!(
        body,
        "<form method=\"get\" action=\"/\" class=\"filters\">\
         <label>tag <select name=\"tag\"><option value=\"\">any</option>{}</select></label> \
         <label>profile <select name=\"profile\"><option value=\"\">any</option>{}</select></label> \
         <label>status <select name=\"status\"><option value=\"\">any</option>{}</select></label> \
         <input type=\"hidden\" name=\"sort\" value=\"{}\"><button>filter</button></form>",
        tags.iter().map(|t| option(t, &q.tag)).collect::<String>(),
        profiles
            .iter()
            .map(|p| option(p, &q.profile))
            .collect::<String>(),
        ["failing", "passing", "error", "never-run"]
            .iter()
            .map(|s| option(s, &q.status))
            .collect::<String>(),
        esc(q.sort.as_deref().unwrap_or("name")),
    );
    body.push_str("<table id=\"projects\"><thead><tr>");
    for (label, sort) in [
        ("project", Some("name")),
        ("profile", None),
        ("pass", Some("pass")),
        ("fail", Some("fail")),
        ("review", None),
        ("unknown / not run", None),
        ("CRA coverage", Some("coverage")),
        ("open findings", Some("findings")),
        ("trend", None),
        ("last run", Some("last-run")),
    ] {
        match sort {
            Some(s) if SORTS.contains(&s) => {
                let _ = write!(
                    body,
                    "<th><a href=\"{}\">{label}</a></th>",
                    overview_link(&q, s)
                );
            }
            _ => {
                let _ = write!(body, "<th>{label}</th>");
            }
        }
    }
    body.push_str("</tr></thead><tbody>");
    for r in &rows {
        overview_row(&mut body, r);
    }
    body.push_str("</tbody></table>");
    page("overview", &body).into_response()
}

pub(crate) async fn project(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let view = match project_view(&state, &name).await {
        Ok(v) => v,
        Err(e) => return error_page(e),
    };
    let p = &view.project;
    let mut body = format!(
        "<h1>{n}</h1><p class=\"meta\">{loc} · profile {prof} · tags {tags}</p>",
        n = esc(&p.name),
        loc = esc(&p.location),
        prof = esc(p.profile.as_deref().unwrap_or("the scan's default")),
        tags = esc(&p.tags.join(", ")),
    );
    let ok: Vec<&RunRow> = view
        .history
        .iter()
        .rev()
        .filter(|r| r.outcome == "ok")
        .collect();
    body.push_str("<h2>History</h2>");
    body.push_str(&svg::history(
        &ok.iter().map(|r| r.summary.pass).collect::<Vec<_>>(),
        &ok.iter().map(|r| r.summary.fail).collect::<Vec<_>>(),
    ));
    match &view.latest {
        None => body.push_str("<p class=\"muted\">Never run.</p>"),
        Some(d) => {
            let run = &d.run;
            let _ = write!(
                body,
                "<h2>Latest run</h2><p id=\"latest\">{when} · commit {commit} · annex {ver} · \
                 {ms} ms · catalogs {cat}</p>",
                when = when(run.started_at),
                commit = esc(run.commit.as_deref().unwrap_or("–")),
                ver = esc(&run.annex_version),
                ms = run.duration_ms,
                cat = esc(&run.catalogs.join(", ")),
            );
            if let Some(e) = &run.error {
                let _ = write!(body, "<p class=\"err\">failed: {}</p>", esc(e));
            }
            body.push_str(
                "<table id=\"results\"><thead><tr><th>requirement</th><th>status</th>\
                 <th>reason</th><th>fix</th></tr></thead><tbody>",
            );
            for r in &d.results {
                let _ = write!(
                    body,
                    "<tr><td><a href=\"/requirements/{u}\">{id}</a><div class=\"muted\">{t}</div></td>\
                     <td>{st}</td><td>{why}</td><td>{fix}</td></tr>",
                    u = seg(&r.requirement),
                    id = esc(&r.requirement),
                    t = esc(&r.title),
                    st = status_badge(r.status.as_str()),
                    why = esc(&r.reason),
                    fix = esc(r.remediation.as_deref().unwrap_or("")),
                );
            }
            body.push_str("</tbody></table><h2>Findings</h2>");
            if let Some(why) = &run.vulns_unchecked {
                let _ = write!(
                    body,
                    "<p class=\"muted\" id=\"vulns-unchecked\">{}</p>",
                    esc(why)
                );
            } else if d.findings.is_empty() {
                body.push_str("<p>No known vulnerability in the dependencies read.</p>");
            } else {
                body.push_str(
                    "<table id=\"findings\"><thead><tr><th>advisory</th><th>package</th>\
                     <th>severity</th><th>VEX</th></tr></thead><tbody>",
                );
                for f in &d.findings {
                    let _ = write!(
                        body,
                        "<tr{cls}><td>{a}</td><td>{e} {p} {v}</td><td class=\"sev-{s}\">{s}</td><td>{x}</td></tr>",
                        cls = if f.suppressed {
                            " class=\"suppressed\""
                        } else {
                            ""
                        },
                        a = esc(&f.advisory),
                        e = esc(&f.ecosystem),
                        p = esc(&f.package),
                        v = esc(&f.version),
                        s = esc(&f.severity),
                        x = esc(f.vex.as_deref().unwrap_or("untriaged")),
                    );
                }
                body.push_str("</tbody></table>");
            }
            let _ = write!(
                body,
                "<h2>Dependencies</h2><p id=\"sbom\">{} components from {} lockfiles or manifests",
                run.sbom.components, run.sbom.subjects
            );
            for (eco, n) in &run.sbom.by_ecosystem {
                let _ = write!(body, " · {} {}", esc(eco), n);
            }
            body.push_str("</p><h2>CRA rollup</h2><table id=\"cra\"><tbody>");
            for c in &d.cra {
                let _ = write!(
                    body,
                    "<tr><td><a href=\"/cra/{u}\">{id}</a></td><td>{t}</td><td>{cov}</td></tr>",
                    u = seg(&c.requirement),
                    id = esc(&c.requirement),
                    t = esc(&c.title),
                    cov = status_badge(c.coverage.as_str()),
                );
            }
            body.push_str("</tbody></table>");
        }
    }
    body.push_str(
        "<h2>Runs</h2><table id=\"runs\"><thead><tr><th>time</th><th>commit</th><th>outcome</th>\
         <th>pass</th><th>fail</th><th>review</th><th>unknown / not run</th></tr></thead><tbody>",
    );
    for r in &view.history {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            when(r.started_at),
            esc(&r
                .commit
                .as_deref()
                .map(|c| c.chars().take(12).collect::<String>())
                .unwrap_or_else(|| "–".into())),
            esc(&r.outcome)
        );
        body.push_str(&run_counts(r));
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table>");
    page(&p.name, &body).into_response()
}

/// A table of projects and one status-like column, with counts per value above it.
fn fleet_table(id: &str, rows: &[(String, String, String)], head: &str) -> String {
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for (_, s, _) in rows {
        *counts.entry(s.as_str()).or_default() += 1;
    }
    let mut out = String::from("<p id=\"counts\">");
    for (s, n) in &counts {
        let _ = write!(out, "{} {} · ", status_badge(s), n);
    }
    let _ = write!(
        out,
        "{} projects</p><table id=\"{id}\"><thead><tr><th>project</th><th>{head}</th>\
         <th>why</th></tr></thead><tbody>",
        rows.len()
    );
    for (project, s, why) in rows {
        let _ = write!(
            out,
            "<tr><td><a href=\"/projects/{u}\">{p}</a></td><td>{st}</td><td>{w}</td></tr>",
            u = seg(project),
            p = esc(project),
            st = status_badge(s),
            w = esc(why)
        );
    }
    out.push_str("</tbody></table>");
    out
}

pub(crate) async fn requirement(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let rows = match state.store.requirement(&id).await {
        Ok(r) => r,
        Err(e) => return error_page(e.into()),
    };
    if rows.is_empty() {
        return not_found(&format!("no project's latest run has {id}"));
    }
    let mut body = format!("<h1>{}</h1><p>{}</p>", esc(&id), esc(&rows[0].title));
    // Failing projects first: that is what the page is for.
    let mut table: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (r.project.clone(), r.status.clone(), r.reason.clone()))
        .collect();
    table.sort_by(|a, b| (a.1 != "fail", &a.0).cmp(&(b.1 != "fail", &b.0)));
    body.push_str(&fleet_table("requirement-projects", &table, "status"));
    page(&id, &body).into_response()
}

pub(crate) async fn cra_item(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let rows = match state.store.cra_item(&id).await {
        Ok(r) => r,
        Err(e) => return error_page(e.into()),
    };
    if rows.is_empty() {
        return not_found(&format!("no project's latest run has {id}"));
    }
    let mut body = format!("<h1>{}</h1><p>{}</p>", esc(&id), esc(&rows[0].title));
    let table: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (r.project.clone(), r.coverage.clone(), String::new()))
        .collect();
    body.push_str(&fleet_table("cra-projects", &table, "coverage"));
    page(&id, &body).into_response()
}
