//! The RustSec advisory-db layout read directly: Markdown files whose front matter is a
//! ```` ```toml ```` fence (`[advisory]`, `[affected]`, `[versions]`), followed by `# title` and
//! the description. Converted to OSV the way RustSec's own OSV export does it: `patched` and
//! `unaffected` requirements are the complement of the affected SEMVER ranges.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use semver::{Comparator, Op, Prerelease, Version, VersionReq};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::osv::{Advisory, Affected, Event, Package, Range, RangeType, Reference, Severity};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawFile {
    advisory: RawAdvisory,
    #[serde(default)]
    affected: Option<RawAffected>,
    #[serde(default)]
    versions: RawVersions,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawAdvisory {
    id: String,
    package: String,
    date: toml::Value,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    cvss: Option<String>,
    #[serde(default)]
    informational: Option<String>,
    #[serde(default)]
    withdrawn: Option<toml::Value>,
    #[serde(default)]
    license: Option<String>,
    /// Legacy V1 fields, still accepted by the `rustsec` crate.
    #[serde(default)]
    patched_versions: Vec<String>,
    #[serde(default)]
    unaffected_versions: Vec<String>,
    /// Old advisories may carry the title and description in the TOML.
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RawAffected {
    #[serde(default)]
    arch: Vec<String>,
    #[serde(default)]
    os: Vec<String>,
    #[serde(default)]
    functions: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
struct RawVersions {
    #[serde(default)]
    patched: Vec<String>,
    #[serde(default)]
    unaffected: Vec<String>,
}

/// Whether a Markdown file looks like a RustSec advisory (starts with a TOML fence).
pub(crate) fn looks_like_advisory(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with("```toml")
}

/// Parses one RustSec Markdown advisory into OSV.
pub(crate) fn parse(text: &str) -> Result<Advisory, String> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let rest = text
        .strip_prefix("```toml")
        .ok_or("does not start with a ```toml front-matter fence")?;
    let (front, body) = split_fence(rest).ok_or("the ```toml front matter is not closed")?;
    let raw: RawFile = toml::from_str(front).map_err(|e| format!("front matter: {e}"))?;
    let (title, description) = split_body(body);
    let a = raw.advisory;
    if a.id.trim().is_empty() || a.package.trim().is_empty() {
        return Err("`[advisory]` needs `id` and `package`".into());
    }
    let date = date_only(&a.date)?;
    let withdrawn = a.withdrawn.as_ref().map(date_only).transpose()?;

    let mut patched = raw.versions.patched;
    patched.extend(a.patched_versions);
    let mut unaffected = raw.versions.unaffected;
    unaffected.extend(a.unaffected_versions);
    let events = affected_events(&unaffected, &patched)?;

    let mut severity = Vec::new();
    if let Some(cvss) = &a.cvss {
        let kind = if cvss.starts_with("CVSS:4") {
            crate::osv::SeverityType::CvssV4
        } else {
            crate::osv::SeverityType::CvssV3
        };
        severity.push(Severity {
            kind,
            score: cvss.clone(),
        });
    }

    let mut urls = vec![
        format!("https://crates.io/crates/{}", a.package),
        format!("https://rustsec.org/advisories/{}.html", a.id),
    ];
    urls.extend(a.url.clone());
    urls.extend(a.references.iter().cloned());
    let references = urls
        .into_iter()
        .map(|url| Reference {
            kind: guess_reference_kind(&url).to_string(),
            url,
        })
        .collect();

    let affected_raw = raw.affected.unwrap_or_default();
    let functions: Vec<&String> = affected_raw.functions.keys().collect();
    let published = format!("{date}T12:00:00Z");
    let modified = match &withdrawn {
        Some(w) if w.as_str() > date.as_str() => format!("{w}T12:00:00Z"),
        _ => published.clone(),
    };
    Ok(Advisory {
        schema_version: None,
        id: a.id.clone(),
        modified,
        published: Some(published),
        withdrawn: withdrawn.map(|w| format!("{w}T12:00:00Z")),
        aliases: a.aliases,
        related: a.related,
        upstream: Vec::new(),
        summary: title.or(a.title),
        details: description.or(a.description),
        severity,
        affected: vec![Affected {
            package: Some(Package {
                ecosystem: annex_types::ecosystem::CRATES_IO.into(),
                name: a.package.clone(),
                purl: Some(annex_types::purl::purl(
                    annex_types::ecosystem::CRATES_IO,
                    None,
                    &a.package,
                    "",
                    &[],
                )),
            }),
            severity: Vec::new(),
            ranges: vec![Range {
                kind: RangeType::Semver,
                repo: None,
                events,
                database_specific: None,
            }],
            versions: Vec::new(),
            ecosystem_specific: Some(json!({
                "affects": {
                    "arch": affected_raw.arch,
                    "os": affected_raw.os,
                    "functions": functions,
                }
            })),
            database_specific: Some(json!({
                "categories": a.categories,
                "cvss": a.cvss,
                "informational": a.informational,
                "keywords": a.keywords,
            })),
        }],
        references,
        credits: Vec::new(),
        database_specific: Some(Value::Object(
            [(
                "license".to_string(),
                Value::String(a.license.unwrap_or_else(|| "CC0-1.0".into())),
            )]
            .into_iter()
            .collect(),
        )),
    })
}

fn split_fence(rest: &str) -> Option<(&str, &str)> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if offset > 0 && line.trim_end() == "```" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

fn split_body(body: &str) -> (Option<String>, Option<String>) {
    let body = body.trim();
    if body.is_empty() {
        return (None, None);
    }
    let (first, rest) = body.split_once('\n').unwrap_or((body, ""));
    match first.strip_prefix("# ") {
        Some(title) => {
            let rest = rest.trim();
            (
                Some(title.trim().to_string()),
                (!rest.is_empty()).then(|| rest.to_string()),
            )
        }
        None => (None, Some(body.to_string())),
    }
}

/// A RustSec date (`"2024-01-31"`, or a bare TOML date) as `YYYY-MM-DD`.
fn date_only(d: &toml::Value) -> Result<String, String> {
    match d {
        toml::Value::String(s) => chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(|d| d.format("%Y-%m-%d").to_string())
            .map_err(|_| format!("date {s:?} is not YYYY-MM-DD")),
        toml::Value::Datetime(dt) => match &dt.date {
            Some(date) => Ok(format!(
                "{:04}-{:02}-{:02}",
                date.year, date.month, date.day
            )),
            None => Err(format!("`{dt}` is not a date")),
        },
        other => Err(format!("date `{other}` is not a date")),
    }
}

fn guess_reference_kind(url: &str) -> &'static str {
    if (url.contains("://github.com/") || url.contains("://gitlab.")) && url.contains("/issues/") {
        "REPORT"
    } else if url.contains("/advisories/") || url.contains("://cve.mitre.org/") {
        "ADVISORY"
    } else if url.contains("://crates.io/crates/") {
        "PACKAGE"
    } else {
        "WEB"
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Bound {
    Unbounded,
    Exclusive(Version),
    Inclusive(Version),
}

impl Bound {
    fn version(&self) -> Option<&Version> {
        match self {
            Bound::Unbounded => None,
            Bound::Exclusive(v) | Bound::Inclusive(v) => Some(v),
        }
    }
}

/// Whether the start bound `start` lies at or below the end bound `end`.
fn start_le_end(start: &Bound, end: &Bound) -> bool {
    match (start.version(), end.version()) {
        (None, _) | (_, None) => true,
        (Some(s), Some(e)) => match s.cmp_precedence(e) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => {
                matches!((start, end), (Bound::Inclusive(_), Bound::Inclusive(_)))
            }
        },
    }
}

/// A range of versions that are *not* affected.
#[derive(Debug, Clone)]
struct Unaffected {
    start: Bound,
    end: Bound,
}

fn comparator_version(c: &Comparator) -> Version {
    Version {
        major: c.major,
        minor: c.minor.unwrap_or(0),
        patch: c.patch.unwrap_or(0),
        pre: c.pre.clone(),
        build: semver::BuildMetadata::EMPTY,
    }
}

fn lowest_pre(mut v: Version) -> Version {
    v.pre = Prerelease::new("0").expect("`0` is a valid pre-release");
    v
}

fn unaffected_range(req_text: &str) -> Result<Unaffected, String> {
    let req = VersionReq::parse(req_text)
        .map_err(|e| format!("version requirement {req_text:?}: {e}"))?;
    if req.comparators.len() > 2 {
        return Err(format!("too many comparators in {req_text:?}"));
    }
    let alone = |what: &str| {
        if req.comparators.len() != 1 {
            Err(format!(
                "{what} must be alone in its requirement: {req_text:?}"
            ))
        } else {
            Ok(())
        }
    };
    let mut start = Bound::Unbounded;
    let mut end = Bound::Unbounded;
    for c in &req.comparators {
        let v = comparator_version(c);
        match c.op {
            Op::Greater | Op::GreaterEq => {
                if start != Bound::Unbounded {
                    return Err(format!("two lower bounds in {req_text:?}"));
                }
                start = if c.op == Op::Greater {
                    Bound::Exclusive(v)
                } else {
                    Bound::Inclusive(v)
                };
            }
            Op::Less | Op::LessEq => {
                if end != Bound::Unbounded {
                    return Err(format!("two upper bounds in {req_text:?}"));
                }
                end = if c.op == Op::Less {
                    Bound::Exclusive(v)
                } else {
                    Bound::Inclusive(v)
                };
            }
            Op::Exact => {
                alone("an exact version")?;
                start = Bound::Inclusive(v.clone());
                end = Bound::Inclusive(v);
            }
            Op::Caret => {
                alone("a caret requirement")?;
                let upper = if c.major == 0 {
                    match (c.minor, c.patch) {
                        (Some(0), Some(patch)) => Version::new(0, 0, patch + 1),
                        (Some(minor), _) => Version::new(0, minor + 1, 0),
                        (None, _) => Version::new(1, 0, 0),
                    }
                } else {
                    Version::new(c.major + 1, 0, 0)
                };
                start = Bound::Inclusive(v);
                end = Bound::Exclusive(lowest_pre(upper));
            }
            Op::Tilde => {
                alone("a tilde requirement")?;
                let upper = match c.minor {
                    None => Version::new(c.major + 1, 0, 0),
                    Some(minor) => Version::new(c.major, minor + 1, 0),
                };
                start = Bound::Inclusive(v);
                end = Bound::Exclusive(lowest_pre(upper));
            }
            _ => return Err(format!("unsupported operator in {req_text:?}")),
        }
    }
    if !start_le_end(&start, &end) {
        return Err(format!("empty range {req_text:?}"));
    }
    Ok(Unaffected { start, end })
}

/// The lowest version above `v` under SemVer precedence (`1.2.3` → `1.2.4-0`,
/// `1.2.3-rc.1` → `1.2.3-rc.1.0`).
fn next_version(v: &Version) -> Version {
    let mut v = v.clone();
    v.build = semver::BuildMetadata::EMPTY;
    if v.pre.is_empty() {
        v.patch += 1;
        v.pre = Prerelease::new("0").expect("valid");
    } else {
        v.pre = Prerelease::new(&format!("{}.0", v.pre)).expect("valid");
    }
    v
}

/// The affected SEMVER events: the complement of the `unaffected` and `patched` ranges.
fn affected_events(unaffected: &[String], patched: &[String]) -> Result<Vec<Event>, String> {
    let mut ranges = Vec::new();
    for r in unaffected.iter().chain(patched) {
        ranges.push(unaffected_range(r)?);
    }
    let zero = "0.0.0-0".to_string();
    if ranges.is_empty() {
        return Ok(vec![Event::Introduced(zero)]);
    }
    for (i, a) in ranges.iter().enumerate() {
        for b in &ranges[i + 1..] {
            if start_le_end(&a.start, &b.end) && start_le_end(&b.start, &a.end) {
                return Err("overlapping `patched`/`unaffected` version ranges".into());
            }
        }
    }
    ranges.sort_by(|a, b| match (a.start.version(), b.start.version()) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(x), Some(y)) => x.cmp_precedence(y),
    });
    // Affected intervals [introduced, fixed) between the unaffected ones.
    let mut out: Vec<(Option<Version>, Option<Version>)> = Vec::new();
    match &ranges[0].start {
        Bound::Unbounded => {}
        Bound::Exclusive(v) => out.push((None, Some(next_version(v)))),
        Bound::Inclusive(v) => out.push((None, Some(v.clone()))),
    }
    for w in ranges.windows(2) {
        let from = match &w[0].end {
            Bound::Unbounded => return Err("unbounded range in the middle".into()),
            Bound::Exclusive(v) => v.clone(),
            Bound::Inclusive(v) => next_version(v),
        };
        let to = match &w[1].start {
            Bound::Unbounded => return Err("unbounded range in the middle".into()),
            Bound::Exclusive(v) => next_version(v),
            Bound::Inclusive(v) => v.clone(),
        };
        out.push((Some(from), Some(to)));
    }
    match &ranges[ranges.len() - 1].end {
        Bound::Unbounded => {}
        Bound::Exclusive(v) => out.push((Some(v.clone()), None)),
        Bound::Inclusive(v) => out.push((Some(next_version(v)), None)),
    }
    if out.is_empty() {
        // Everything is patched or unaffected: a range that can never match.
        return Ok(vec![Event::Introduced(zero.clone()), Event::Fixed(zero)]);
    }
    let mut events = Vec::new();
    for (introduced, fixed) in out {
        events.push(Event::Introduced(
            introduced.map_or_else(|| zero.clone(), |v| v.to_string()),
        ));
        if let Some(f) = fixed {
            events.push(Event::Fixed(f.to_string()));
        }
    }
    Ok(events)
}
