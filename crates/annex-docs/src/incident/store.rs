//! Records on disk: one TOML file per event under `.annex/incidents/`.

use super::model::*;
use crate::error::DocsError;
use crate::metadata::{located, toml_error};
use chrono::{DateTime, FixedOffset, Utc};
use std::path::{Path, PathBuf};

fn dir(root: &Path) -> PathBuf {
    root.join(INCIDENTS_DIR)
}

/// A record is a hand-written page of TOML; anything larger is not one.
const MAX_RECORD: u64 = 1024 * 1024;

/// The record's path relative to the checkout, once `id` is known to be a plain name.
fn record_rel(id: &str) -> Result<String, DocsError> {
    let plain = !id.is_empty()
        && id.len() <= 128
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !plain {
        return Err(DocsError::BadIncidentId { id: id.to_string() });
    }
    Ok(format!("{INCIDENTS_DIR}/{id}.toml"))
}

/// [`annex_types::slug::slug`], cut to 48 characters for a file name.
fn slug(s: &str) -> String {
    let mut out: String = annex_types::slug::slug(s).chars().take(48).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The id of an event: the UTC date of awareness and its first id (a CVE preferred),
/// or the first words of the summary: `2026-11-25-cve-2026-1234`.
pub fn incident_id(n: &NewIncident) -> String {
    let date = n.aware_at.with_timezone(&Utc).date_naive();
    let name = n
        .ids
        .iter()
        .find(|i| is_cve(i))
        .or_else(|| n.ids.first())
        .map(|i| slug(i))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            let words: Vec<&str> = n.summary.split_whitespace().take(6).collect();
            let s = slug(&words.join(" "));
            if s.is_empty() {
                n.kind.as_str().to_string()
            } else {
                s
            }
        });
    format!("{date}-{name}")
}

/// Record an event under `.annex/incidents/<id>.toml`. Recording the same event again
/// returns the existing record; a different event with the same id gets `-2`, `-3`, ….
pub fn new(root: &Path, n: NewIncident) -> Result<Incident, DocsError> {
    if n.summary.trim().is_empty() {
        return Err(DocsError::Value {
            field: "summary".into(),
            message: "describe the event in a sentence".into(),
        });
    }
    let base = incident_id(&n);
    let mut incident = Incident {
        id: base.clone(),
        kind: n.kind,
        aware_at: n.aware_at,
        actively_exploited: n.actively_exploited,
        ids: n.ids,
        affected_versions: n.affected_versions,
        summary: n.summary.trim().to_string(),
        fixed_at: None,
        fixed_in: None,
        submitted: Submitted::default(),
        details: n.details,
    };
    let dir = dir(root);
    for i in 1.. {
        let id = if i == 1 {
            base.clone()
        } else {
            format!("{base}-{i}")
        };
        let path = dir.join(format!("{id}.toml"));
        if std::fs::symlink_metadata(&path).is_ok() {
            let existing = load_path(root, &id)?;
            if existing.kind == incident.kind
                && existing.aware_at == incident.aware_at
                && existing.ids == incident.ids
                && existing.summary == incident.summary
            {
                return Ok(existing);
            }
            continue;
        }
        incident.id = id;
        save(root, &incident)?;
        break;
    }
    Ok(incident)
}

/// Write a record (overwriting it), never through a symlink.
pub fn save(root: &Path, incident: &Incident) -> Result<PathBuf, DocsError> {
    let rel = record_rel(&incident.id)?;
    Ok(annex_checkout::write_file(
        root,
        &rel,
        render_record(incident).as_bytes(),
        true,
    )?)
}

/// Reads the record of `id` through the one safe read (no symlinks, regular files only,
/// [`MAX_RECORD`] bytes at most).
fn load_path(root: &Path, id: &str) -> Result<Incident, DocsError> {
    let rel = record_rel(id)?;
    let text = annex_checkout::read_text(root, &rel, MAX_RECORD)?;
    let path = root.join(&rel);
    let name = path.display().to_string();
    let inc = parse_record(&text, &name)?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if inc.id != stem {
        return Err(located(
            &text,
            &name,
            &["id"],
            format!("`{}` does not match the file name `{stem}.toml`", inc.id),
        ));
    }
    Ok(inc)
}

/// Parse a record's text; errors carry `file:line:col` and the field.
pub fn parse_record(text: &str, file: &str) -> Result<Incident, DocsError> {
    toml::from_str(text).map_err(|e| toml_error(text, file, &e))
}

/// Read one record.
pub fn load(root: &Path, id: &str) -> Result<Incident, DocsError> {
    match load_path(root, id) {
        Err(DocsError::Read(e)) if e.is_not_found() => Err(DocsError::NoIncident {
            id: id.to_string(),
            dir: dir(root).display().to_string(),
        }),
        other => other,
    }
}

/// Every record, by time of awareness.
pub fn list(root: &Path) -> Result<Vec<Incident>, DocsError> {
    let dir = dir(root);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(DocsError::io("read", &dir, e)),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let id = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        match load_path(root, id) {
            Ok(i) => out.push(i),
            Err(e) => errors.push(e),
        }
    }
    DocsError::from_list(errors)?;
    out.sort_by(|a, b| a.aware_at.cmp(&b.aware_at).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// Record that a corrective or mitigating measure is available (starts the 14-day clock
/// of a vulnerability's final report).
pub fn record_fix(
    root: &Path,
    id: &str,
    fixed_at: DateTime<FixedOffset>,
    fixed_in: Option<&str>,
) -> Result<Incident, DocsError> {
    let mut inc = load(root, id)?;
    inc.fixed_at = Some(fixed_at);
    if let Some(v) = fixed_in.map(str::trim).filter(|v| !v.is_empty()) {
        inc.fixed_in = Some(v.to_string());
    }
    save(root, &inc)?;
    Ok(inc)
}

/// Record when a report (or the user notice) was submitted.
pub fn record_submitted(
    root: &Path,
    id: &str,
    stage: Stage,
    at: DateTime<FixedOffset>,
) -> Result<Incident, DocsError> {
    let mut inc = load(root, id)?;
    inc.submitted.set(stage, at);
    save(root, &inc)?;
    Ok(inc)
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn toml_list(v: &[String]) -> String {
    toml::Value::Array(v.iter().map(|s| toml::Value::String(s.clone())).collect()).to_string()
}

/// The record as commented TOML.
pub fn render_record(i: &Incident) -> String {
    let mut o = String::new();
    o.push_str(
        "# Article 14 record kept by annex (`annex incident`). Fill in [details] as you learn\n",
    );
    o.push_str("# more: the report drafts (`annex incident draft`) are written from this file.\n");
    o.push_str(&format!("id = {}\n", toml_string(&i.id)));
    o.push_str(&format!(
        "kind = {}  # vulnerability | severe-incident\n",
        toml_string(i.kind.as_str())
    ));
    o.push_str(&format!(
        "aware-at = {}  # when you became aware\n",
        rfc3339(&i.aware_at)
    ));
    o.push_str(&format!(
        "actively-exploited = {}  # vulnerabilities: only an actively exploited one is reported\n",
        i.actively_exploited
    ));
    o.push_str(&format!("ids = {}\n", toml_list(&i.ids)));
    o.push_str(&format!(
        "affected-versions = {}\n",
        toml_list(&i.affected_versions)
    ));
    o.push_str(&format!("summary = {}\n", toml_string(&i.summary)));
    match &i.fixed_at {
        Some(f) => o.push_str(&format!(
            "fixed-at = {}  # a fix or mitigation became available\n",
            rfc3339(f)
        )),
        None => o.push_str(
            "# fixed-at = 2026-12-01T12:00:00+01:00  # when a fix or mitigation became available\n",
        ),
    }
    match &i.fixed_in {
        Some(v) => o.push_str(&format!("fixed-in = {}\n", toml_string(v))),
        None => o.push_str("# fixed-in = \"1.4.2\"\n"),
    }
    o.push_str("\n# When each report was submitted.\n[submitted]\n");
    for stage in Stage::ALL {
        let key = stage.as_str();
        match i.submitted.get(stage) {
            Some(at) => o.push_str(&format!("{key} = {}\n", rfc3339(&at))),
            None => o.push_str(&format!("# {key} = 2026-11-25T18:00:00+01:00\n")),
        }
    }
    o.push_str("\n[details]\n");
    let d = &i.details;
    o.push_str(&format!(
        "member-states = {}  # where the product is available, where known\n",
        toml_list(&d.member_states)
    ));
    match d.suspected_malicious {
        Some(v) => o.push_str(&format!("suspected-malicious = {v}\n")),
        None => o.push_str("# suspected-malicious = true  # severe incidents: unlawful or malicious acts suspected?\n"),
    }
    match d.early_warning_complete {
        Some(v) => o.push_str(&format!("early-warning-complete = {v}\n")),
        None => o.push_str("# early-warning-complete = true  # severe incidents: the early warning held all the notification's information (Article 14(4)(b))\n"),
    }
    for (key, v, what) in [
        (
            "exploit",
            &d.exploit,
            "vulnerability: general nature of the exploit and the vulnerability",
        ),
        ("nature", &d.nature, "incident: nature of the incident"),
        (
            "initial-assessment",
            &d.initial_assessment,
            "incident: initial assessment",
        ),
        (
            "measures-taken",
            &d.measures_taken,
            "corrective or mitigating measures taken",
        ),
        ("user-measures", &d.user_measures, "measures users can take"),
        (
            "sensitivity",
            &d.sensitivity,
            "how sensitive the information is, e.g. TLP:AMBER",
        ),
        ("description", &d.description, "final report: description"),
        (
            "severity",
            &d.severity,
            "final report: severity, e.g. CVSS vector and score",
        ),
        ("impact", &d.impact, "final report: impact"),
        (
            "malicious-actor",
            &d.malicious_actor,
            "vulnerability: malicious actor, where known",
        ),
        (
            "root-cause",
            &d.root_cause,
            "incident: likely type of threat or root cause",
        ),
        (
            "mitigation",
            &d.mitigation,
            "incident: applied and ongoing mitigation",
        ),
        ("advisory-url", &d.advisory_url, "the public advisory"),
    ] {
        match v {
            Some(v) => o.push_str(&format!("{key} = {}\n", toml_string(v))),
            None => o.push_str(&format!("# {key} = \"\"  # {what}\n")),
        }
    }
    o
}
