//! OSCAL 1.1.2 assessment results: the assessment as the standard machine-readable output,
//! linked by uuid to the catalog and profile `annex spec export` writes, and read back.
//!
//! | annex | OSCAL assessment-results |
//! |---|---|
//! | subject, profile id/title/version/applicability/role/class, generator | `metadata.props` (namespace [`ANNEX_NS`]) |
//! | the exported profile and catalogs | back-matter resources whose `uuid` is the exported document's `uuid` (also in `document-ids`); `import-ap.href` = `#` + the profile's |
//! | requirement result | one observation (method `TEST`, reason, `relevant-evidence` per `path:line`) and one finding whose `target` is the requirement's OSCAL control id (`objective-id`) |
//! | status | `target.status.state`: `satisfied` only for pass, else `not-satisfied` (reason `fail` or `other`); the exact status in prop `status` |
//! | reason, remediation | finding `description`, `remarks` |
//! | the other result fields, mappings | finding props (`mapping`: value target, class relationship) |
//! | CRA rollup, skipped files | one back-matter resource (prop `annex-extensions` = `assessment`), base64 JSON |
//!
//! Uuids are derived from the content; the timestamp is `SOURCE_DATE_EPOCH` or the
//! profile version's date, never the clock.

use annex_assess::{
    ASSESSMENT_SCHEMA, Assessment, CatalogVersion, Confidence, CraItem, EvidenceRef, Generator,
    MapOut, ProfileInfo, RequirementResult, Status, Summary,
};
use annex_spec::oscal::{
    ANNEX_NS, OSCAL_VERSION, OscalLinks, base64_encode, control_id, document_timestamp,
    prop_decode, prop_encode,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::path::Path;

/// Files larger than this are not read back (an assessment of a few hundred requirements is
/// well under 1 MiB).
pub const MAX_IMPORT_SIZE: u64 = 32 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ArError {
    #[error("cannot read {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: larger than {MAX_IMPORT_SIZE} bytes")]
    TooLarge { path: String },
    #[error("{path}: not valid OSCAL assessment results: {message}")]
    Invalid { path: String, message: String },
}

fn prop(name: &str, value: &str) -> Value {
    json!({"name": name, "ns": ANNEX_NS, "value": prop_encode(value)})
}

fn uuid(parts: &[&str]) -> String {
    annex_types::digest::content_uuid(parts.join("\0").as_bytes())
}

#[derive(Serialize, Deserialize)]
struct Extensions {
    cra: Vec<CraItem>,
    skipped: Vec<annex_checkout::Skipped>,
}

fn finding_props(r: &RequirementResult) -> Vec<Value> {
    let mut props = vec![
        prop("requirement", &r.requirement),
        prop("status", r.status.as_str()),
        prop("catalog", &r.catalog),
        prop("control", &r.control),
        prop("title", &r.title),
        prop("group", &r.group),
        prop("group-title", &r.group_title),
        prop("text", &r.text),
        prop("confidence", &enum_str(&r.confidence)),
        prop("source", &r.source),
    ];
    if let Some(g) = &r.generator {
        props.push(prop("generator", g));
    }
    if let Some(a) = &r.attestation {
        props.push(prop("attestation", a));
    }
    for m in &r.maps {
        let mut p = prop("mapping", &m.target);
        p["class"] = json!(control_id(&m.relationship));
        p["remarks"] = json!(m.relationship);
        props.push(p);
    }
    props
}

fn enum_str<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The assessment as an OSCAL 1.1.2 assessment-results document
/// (`{"assessment-results": {...}}`). `links` names the exported profile and catalogs.
pub fn assessment_results(
    a: &Assessment,
    links: &OscalLinks,
    build_time: annex_types::BuildTime,
) -> Value {
    let ts = document_timestamp(build_time, &a.profile.version);
    let mut meta_props = vec![
        prop("subject", &a.subject),
        prop("profile-id", &a.profile.id),
        prop("profile-title", &a.profile.title),
        prop("profile-version", &a.profile.version),
        prop("generator-name", &a.generator.name),
        prop("generator-version", &a.generator.version),
    ];
    meta_props.extend(
        a.profile
            .applicability
            .iter()
            .map(|x| prop("applicability", x)),
    );
    if let Some(r) = &a.profile.cra_role {
        meta_props.push(prop("cra-role", r));
    }
    if let Some(c) = &a.profile.product_class {
        meta_props.push(prop("product-class", c));
    }
    for c in &a.catalogs {
        let mut p = prop("catalog", &c.id);
        p["remarks"] = json!(c.version);
        meta_props.push(p);
    }

    let mut resources = Vec::new();
    let mut doc_resource = |kind: &str, r: &annex_spec::oscal::DocumentRef| {
        resources.push(json!({
            "uuid": r.uuid,
            "title": format!("OSCAL {kind} {} {}", r.id, r.version),
            "description": format!("The OSCAL {kind} `annex spec export {}` writes.", r.id),
            "props": [prop(&format!("{kind}-id"), &r.id)],
            "document-ids": [{"scheme": "http://www.ietf.org/rfc/rfc4122", "identifier": r.uuid}],
        }));
    };
    if let Some(p) = &links.profile {
        doc_resource("profile", p);
    }
    for c in &links.catalogs {
        doc_resource("catalog", c);
    }
    let ext = Extensions {
        cra: a.cra.clone(),
        skipped: a.skipped.clone(),
    };
    let ext_json = serde_json::to_vec(&ext).unwrap_or_default();
    resources.push(json!({
        "uuid": uuid(&["annex-ar-extensions", &a.subject, &a.profile.id]),
        "title": "annex assessment extensions",
        "description": "The CRA rollup and the files this run did not read, as JSON.",
        "props": [prop("annex-extensions", "assessment")],
        "base64": {"filename": "annex-assessment-extensions.json", "media-type": "application/json",
            "value": base64_encode(&ext_json)},
    }));
    // The assessment plan is the profile: annex writes no separate plan.
    let plan = match &links.profile {
        Some(p) => format!("#{}", p.uuid),
        None => format!("#{}", uuid(&["annex-ar-plan", &a.profile.id])),
    };
    if links.profile.is_none() {
        resources.push(json!({
            "uuid": uuid(&["annex-ar-plan", &a.profile.id]),
            "title": format!("annex profile {}", a.profile.id),
            "props": [prop("profile-id", &a.profile.id)],
        }));
    }

    let mut observations = Vec::new();
    let mut findings = Vec::new();
    for r in &a.results {
        let obs_uuid = uuid(&["annex-ar-observation", &a.subject, &r.requirement]);
        let mut obs = json!({
            "uuid": obs_uuid,
            "title": r.requirement,
            "description": r.reason,
            "methods": ["TEST"],
            "collected": ts,
        });
        if !r.evidence.is_empty() {
            obs["relevant-evidence"] = Value::Array(
                r.evidence
                    .iter()
                    .map(|e| json!({"description": e.to_string()}))
                    .collect(),
            );
        }
        observations.push(obs);
        let (state, reason) = match r.status {
            Status::Pass => ("satisfied", "pass"),
            Status::Fail => ("not-satisfied", "fail"),
            _ => ("not-satisfied", "other"),
        };
        let mut finding = json!({
            "uuid": uuid(&["annex-ar-finding", &a.subject, &r.requirement]),
            "title": format!("{} {}", r.requirement, r.title),
            "description": r.reason,
            "props": finding_props(r),
            "target": {"type": "objective-id", "target-id": control_id(&r.requirement),
                "status": {"state": state, "reason": reason}},
            "related-observations": [{"observation-uuid": obs_uuid}],
        });
        if let Some(fix) = &r.remediation {
            finding["remarks"] = json!(fix);
        }
        findings.push(finding);
    }
    let selected: Vec<Value> = a
        .results
        .iter()
        .map(|r| json!({"control-id": control_id(&r.requirement)}))
        .collect();
    let mut result = json!({
        "uuid": uuid(&["annex-ar-result", &a.subject, &a.profile.id]),
        "title": format!("annex check {}", a.profile.id),
        "description": crate::summary_line(a),
        "start": ts,
        "reviewed-controls": {"control-selections": [
            if selected.is_empty() { json!({"include-all": {}}) } else { json!({"include-controls": selected}) }
        ]},
    });
    if !observations.is_empty() {
        result["observations"] = Value::Array(observations);
        result["findings"] = Value::Array(findings);
    }
    let mut doc = json!({
        "uuid": "",
        "metadata": {
            "title": format!("annex assessment of {} against {}", a.subject, a.profile.title),
            "last-modified": ts,
            "version": a.profile.version.clone(),
            "oscal-version": OSCAL_VERSION,
            "props": meta_props,
        },
        "import-ap": {"href": plan},
        "results": [result],
        "back-matter": {"resources": resources},
    });
    if a.profile.version.is_empty() {
        doc["metadata"]["version"] = json!("0");
    }
    let id = annex_types::digest::content_uuid(
        format!("annex-oscal-assessment-results\0{doc}").as_bytes(),
    );
    doc["uuid"] = json!(id);
    json!({ "assessment-results": doc })
}

/// Whether `text` is an OSCAL assessment-results document (JSON with that top-level key).
pub fn is_assessment_results(text: &str) -> bool {
    text.trim_start().starts_with('{')
        && serde_json::from_str::<Value>(text)
            .map(|v| v.get("assessment-results").is_some())
            .unwrap_or(false)
}

/// Props of namespace [`ANNEX_NS`], decoded, as (name, value, the prop).
fn annex_props(v: &Value) -> Vec<(&str, String, &Value)> {
    v["props"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["ns"].as_str() == Some(ANNEX_NS))
        .filter_map(|p| Some((p["name"].as_str()?, prop_decode(p["value"].as_str()?), p)))
        .collect()
}

fn one(props: &[(&str, String, &Value)], name: &str) -> Option<String> {
    props
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, v, _)| v.clone())
}

fn parse_enum<T: for<'de> Deserialize<'de>>(s: &str) -> Option<T> {
    serde_json::from_value(Value::String(s.to_string())).ok()
}

/// An assessment from OSCAL assessment results that annex wrote. `origin` names the input
/// in errors.
pub fn assessment_from_oscal(text: &str, origin: &str) -> Result<Assessment, ArError> {
    let invalid = |message: String| ArError::Invalid {
        path: origin.to_string(),
        message,
    };
    let top: Value = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
    let ar = top
        .get("assessment-results")
        .ok_or_else(|| invalid("no `assessment-results`".into()))?;
    let meta = annex_props(&ar["metadata"]);
    let need = |name: &str| {
        one(&meta, name).ok_or_else(|| invalid(format!("metadata has no annex prop `{name}`")))
    };
    let profile = ProfileInfo {
        id: need("profile-id")?,
        title: need("profile-title")?,
        version: need("profile-version")?,
        applicability: meta
            .iter()
            .filter(|(n, _, _)| *n == "applicability")
            .map(|(_, v, _)| v.clone())
            .collect(),
        cra_role: one(&meta, "cra-role"),
        product_class: one(&meta, "product-class"),
    };
    let catalogs = meta
        .iter()
        .filter(|(n, _, _)| *n == "catalog")
        .map(|(_, id, p)| CatalogVersion {
            id: id.clone(),
            version: p["remarks"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    let result = ar["results"]
        .get(0)
        .ok_or_else(|| invalid("no result".into()))?;
    let observations: Vec<&Value> = result["observations"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let mut results = Vec::new();
    for f in result["findings"].as_array().into_iter().flatten() {
        let p = annex_props(f);
        let req = one(&p, "requirement")
            .ok_or_else(|| invalid("a finding has no annex prop `requirement`".into()))?;
        let field = |name: &str| {
            one(&p, name).ok_or_else(|| invalid(format!("finding {req}: no annex prop `{name}`")))
        };
        let status_s = field("status")?;
        let status: Status = parse_enum(&status_s)
            .ok_or_else(|| invalid(format!("finding {req}: unknown status `{status_s}`")))?;
        let confidence: Confidence = parse_enum(&field("confidence")?)
            .ok_or_else(|| invalid(format!("finding {req}: unknown confidence")))?;
        let obs_uuid = f["related-observations"][0]["observation-uuid"].as_str();
        let evidence = observations
            .iter()
            .find(|o| o["uuid"].as_str().is_some() && o["uuid"].as_str() == obs_uuid)
            .and_then(|o| o["relevant-evidence"].as_array())
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let (path, line) = e["description"].as_str()?.rsplit_once(':')?;
                Some(EvidenceRef {
                    path: path.to_string(),
                    line: line.parse().ok()?,
                })
            })
            .collect();
        let maps = p
            .iter()
            .filter(|(n, _, _)| *n == "mapping")
            .map(|(_, target, raw)| MapOut {
                target: target.clone(),
                relationship: raw["remarks"].as_str().unwrap_or_default().to_string(),
            })
            .collect();
        results.push(RequirementResult {
            requirement: req.clone(),
            catalog: field("catalog")?,
            control: field("control")?,
            title: field("title")?,
            group: field("group")?,
            group_title: field("group-title")?,
            text: field("text")?,
            status,
            confidence,
            source: field("source")?,
            reason: f["description"].as_str().unwrap_or_default().to_string(),
            evidence,
            remediation: f["remarks"].as_str().map(str::to_string),
            generator: one(&p, "generator"),
            attestation: one(&p, "attestation"),
            maps,
        });
    }
    let ext = ar["back-matter"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| one(&annex_props(r), "annex-extensions").as_deref() == Some("assessment"))
        .and_then(|r| r["base64"]["value"].as_str())
        .map(|b| {
            annex_types::digest::base64_decode(b)
                .and_then(|bytes| serde_json::from_slice::<Extensions>(&bytes).ok())
                .ok_or_else(|| invalid("the annex extensions resource is not valid".into()))
        })
        .transpose()?;
    let summary = Summary::of(&results);
    let (cra, skipped) = ext.map(|e| (e.cra, e.skipped)).unwrap_or_default();
    Ok(Assessment {
        schema: ASSESSMENT_SCHEMA.to_string(),
        generator: Generator {
            name: need("generator-name")?,
            version: need("generator-version")?,
        },
        subject: need("subject")?,
        profile,
        catalogs,
        summary,
        results,
        cra,
        skipped,
    })
}

/// Read `path` back as an assessment when it is OSCAL assessment results; `Ok(None)` when it
/// is some other file.
pub fn import(path: &Path) -> Result<Option<Assessment>, ArError> {
    let shown = path.display().to_string();
    let io = |source| ArError::Io {
        path: shown.clone(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_IMPORT_SIZE {
        return Err(ArError::TooLarge { path: shown });
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
    if !is_assessment_results(&text) {
        return Ok(None);
    }
    assessment_from_oscal(&text, &shown).map(Some)
}
