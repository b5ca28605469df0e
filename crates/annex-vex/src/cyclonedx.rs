//! CycloneDX VEX: reading the `vulnerabilities` of a JSON BOM (1.4–1.7) and writing a 1.6 BOM
//! carrying VEX.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::entry::{
    CvssVersion, EntrySeverity, Rating, SeverityKind, VexEntry, advisory_source, default_action,
    written,
};
use crate::purl::{is_purl, percent_decode};
use crate::reader::{Reader, as_object, parse_json, push_unique, push_unique_str};
use crate::statement::{ReadMode, VexDocument, VexError, VexFormat, VexProduct, VexStatement};
use crate::status::{
    CYCLONEDX_JUSTIFICATIONS, CYCLONEDX_RESPONSES, CYCLONEDX_STATES, Justification, VexStatus,
};
use crate::timestamp::Timestamp;

/// Reads the `vulnerabilities` of a CycloneDX JSON BOM (1.4–1.7).
pub fn read(bytes: &[u8], document: &str, mode: ReadMode) -> Result<VexDocument, VexError> {
    read_value(&parse_json(bytes, document)?, document, mode)
}

pub(crate) fn is_cyclonedx(v: &Value) -> bool {
    v.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX")
}

pub(crate) fn read_value(
    v: &Value,
    document: &str,
    mode: ReadMode,
) -> Result<VexDocument, VexError> {
    let mut r = Reader::new(document, VexFormat::CycloneDx);
    let top = as_object(&r, v, "")?;
    if top.get("bomFormat").and_then(Value::as_str) != Some("CycloneDX") {
        return Err(r.invalid("/bomFormat", "not a CycloneDX BOM"));
    }
    match top.get("specVersion").and_then(Value::as_str) {
        Some("1.4" | "1.5" | "1.6" | "1.7") => {}
        Some(s) => r.problem(
            "/specVersion",
            format!("CycloneDX {s}: VEX is read from specifications 1.4 to 1.7"),
        ),
        None => r.problem("", "missing required \"specVersion\""),
    }
    let id = r.opt_str(top, "serialNumber", "");
    let metadata = top.get("metadata").and_then(Value::as_object);
    let doc_time = metadata.and_then(|m| r.opt_time(m, "timestamp", "/metadata"));
    // bom-ref → purl, through metadata.component and every (nested) component.
    let mut refs: BTreeMap<String, Option<String>> = BTreeMap::new();
    fn collect(c: &Value, refs: &mut BTreeMap<String, Option<String>>) {
        if let Some(r) = c.get("bom-ref").and_then(Value::as_str) {
            let purl = c.get("purl").and_then(Value::as_str).map(str::to_string);
            refs.insert(r.to_string(), purl);
        }
        if let Some(cs) = c.get("components").and_then(Value::as_array) {
            for c in cs {
                collect(c, refs);
            }
        }
    }
    if let Some(c) = metadata.and_then(|m| m.get("component")) {
        collect(c, &mut refs);
    }
    if let Some(cs) = top.get("components").and_then(Value::as_array) {
        for c in cs {
            collect(c, &mut refs);
        }
    }
    let vulns = match top.get("vulnerabilities") {
        None | Some(Value::Null) => {
            r.problem("", "no \"vulnerabilities\": not a VEX document");
            &Vec::new()
        }
        Some(Value::Array(a)) => a,
        Some(_) => return Err(r.invalid("/vulnerabilities", "expected an array")),
    };
    let mut out = Vec::new();
    for (i, vuln) in vulns.iter().enumerate() {
        let at = format!("/vulnerabilities/{i}");
        let obj = as_object(&r, vuln, &at)?;
        let mut ids = Vec::new();
        match r.opt_str(obj, "id", &at) {
            Some(x) if !x.trim().is_empty() => ids.push(x.trim().to_string()),
            _ => return Err(r.invalid(&at, "the vulnerability has no \"id\"")),
        }
        if let Some(refs) = obj.get("references").and_then(Value::as_array) {
            for x in refs {
                if let Some(x) = x.get("id").and_then(Value::as_str) {
                    push_unique_str(&mut ids, x.trim());
                }
            }
        }
        let aat = format!("{at}/analysis");
        let analysis = obj.get("analysis").and_then(Value::as_object);
        let state = analysis.and_then(|a| r.opt_str(a, "state", &aat));
        let status = match state.as_deref() {
            // A vulnerability listed without analysis: the BOM says the component is affected
            // (a vulnerability disclosure report).
            None => VexStatus::Affected,
            Some("not_affected" | "false_positive") => VexStatus::NotAffected,
            Some("exploitable") => VexStatus::Affected,
            Some("resolved" | "resolved_with_pedigree") => VexStatus::Fixed,
            Some("in_triage") => VexStatus::UnderInvestigation,
            Some(s) => {
                return Err(r.invalid(
                    &format!("{aat}/state"),
                    format!(
                        "unknown analysis state {s:?}; expected one of: {}",
                        CYCLONEDX_STATES.join(", ")
                    ),
                ));
            }
        };
        let source_justification = analysis.and_then(|a| r.opt_str(a, "justification", &aat));
        let justification = match source_justification.as_deref() {
            None => None,
            Some(s) => Some(Justification::from_cyclonedx(s).ok_or_else(|| {
                r.invalid(
                    &format!("{aat}/justification"),
                    format!(
                        "unknown justification {s:?}; expected one of: {}",
                        CYCLONEDX_JUSTIFICATIONS.join(", ")
                    ),
                )
            })?),
        };
        let mut responses = Vec::new();
        if let Some(rs) = analysis.and_then(|a| a.get("response")) {
            match rs.as_array() {
                Some(rs) => {
                    for (j, x) in rs.iter().enumerate() {
                        match x.as_str() {
                            Some(x) if CYCLONEDX_RESPONSES.contains(&x) => {
                                responses.push(x.to_string())
                            }
                            _ => r.problem(
                                &format!("{aat}/response/{j}"),
                                format!("expected one of: {}", CYCLONEDX_RESPONSES.join(", ")),
                            ),
                        }
                    }
                }
                None => r.problem(&format!("{aat}/response"), "should be an array"),
            }
        }
        let detail = analysis.and_then(|a| r.opt_str(a, "detail", &aat));
        let recommendation = r.opt_str(obj, "recommendation", &at);
        let workaround = r.opt_str(obj, "workaround", &at);
        let (mut impact_statement, mut action_statement, mut status_notes) = (None, None, None);
        match status {
            VexStatus::NotAffected => impact_statement = detail,
            VexStatus::Affected => action_statement = detail,
            _ => status_notes = detail,
        }
        if action_statement.is_none() && status == VexStatus::Affected {
            action_statement = recommendation.or(workaround);
        }
        if state.as_deref() == Some("false_positive") && impact_statement.is_none() {
            impact_statement = Some("false positive".into());
        }
        let timestamp = analysis
            .and_then(|a| {
                r.opt_time(a, "lastUpdated", &aat)
                    .or_else(|| r.opt_time(a, "firstIssued", &aat))
            })
            .or_else(|| r.opt_time(obj, "updated", &at))
            .or_else(|| r.opt_time(obj, "published", &at))
            .or_else(|| doc_time.clone());
        let mut products = Vec::new();
        match obj.get("affects") {
            None | Some(Value::Null) => {
                r.problem(&at, "no \"affects\": the statement names no product")
            }
            Some(Value::Array(a)) => {
                for (j, x) in a.iter().enumerate() {
                    match x.get("ref").and_then(Value::as_str) {
                        Some(rf) => push_unique(&mut products, resolve_cdx_ref(rf, &refs)),
                        None => r.problem(&format!("{at}/affects/{j}"), "missing \"ref\""),
                    }
                }
            }
            Some(_) => r.problem(&format!("{at}/affects"), "should be an array"),
        }
        out.push(VexStatement {
            vulnerabilities: ids,
            products,
            parents: Vec::new(),
            status,
            justification,
            source_justification,
            impact_statement,
            action_statement,
            status_notes,
            responses,
            source: r.source(&at),
            timestamp,
            expires: None,
        });
    }
    r.finish(mode, id, None, doc_time, out)
}

/// A CycloneDX `affects[].ref`: a purl, a bom-ref, or a BOM-Link (`urn:cdx:…#ref`).
fn resolve_cdx_ref(rf: &str, refs: &BTreeMap<String, Option<String>>) -> VexProduct {
    let key = if rf.starts_with("urn:cdx:") {
        match rf.split_once('#') {
            Some((_, frag)) => percent_decode(frag),
            None => rf.to_string(),
        }
    } else {
        rf.to_string()
    };
    let purl = match refs.get(&key) {
        Some(p) => p.clone(),
        None => None,
    }
    .or_else(|| is_purl(&key).then(|| key.clone()));
    VexProduct {
        purl,
        name: None,
        id: Some(rf.to_string()),
    }
}

/// The product a CycloneDX VEX BOM describes (`metadata.component`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BomProduct {
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
}

/// Options for [`write`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycloneDxVexOptions {
    pub product: Option<BomProduct>,
    pub timestamp: Timestamp,
    /// The status of findings no statement triaged.
    pub untriaged: VexStatus,
}

impl Default for CycloneDxVexOptions {
    fn default() -> Self {
        CycloneDxVexOptions {
            product: None,
            timestamp: Timestamp::default(),
            untriaged: VexStatus::UnderInvestigation,
        }
    }
}

/// The CycloneDX analysis state for a status.
pub fn cyclonedx_state(status: VexStatus) -> &'static str {
    match status {
        VexStatus::NotAffected => "not_affected",
        VexStatus::Affected => "exploitable",
        VexStatus::Fixed => "resolved",
        VexStatus::UnderInvestigation => "in_triage",
    }
}

fn cdx_rating(s: &EntrySeverity) -> Option<Value> {
    let (name, url) = advisory_source(&s.advisory);
    let mut r = Map::new();
    r.insert("source".into(), json!({ "name": name, "url": url }));
    match s.kind {
        SeverityKind::CvssV2 | SeverityKind::CvssV3 | SeverityKind::CvssV4 => {
            let method = match s.cvss_version? {
                CvssVersion::V2 => "CVSSv2",
                CvssVersion::V3_0 => "CVSSv3",
                CvssVersion::V3_1 => "CVSSv31",
                CvssVersion::V4_0 => "CVSSv4",
            };
            if let Some(score) = s.score {
                r.insert("score".into(), json!(score));
            }
            if let Some(rating) = s.rating {
                r.insert("severity".into(), json!(rating_word(rating)));
            }
            r.insert("method".into(), json!(method));
            r.insert("vector".into(), json!(s.vector));
        }
        SeverityKind::Ubuntu => {
            let sev = match s.vector.to_ascii_lowercase().as_str() {
                "negligible" => "info",
                "low" => "low",
                "medium" => "medium",
                "high" => "high",
                "critical" => "critical",
                _ => "unknown",
            };
            r.insert("severity".into(), json!(sev));
            r.insert("method".into(), json!("other"));
        }
        SeverityKind::Other => return None,
    }
    Some(Value::Object(r))
}

fn rating_word(r: Rating) -> &'static str {
    match r {
        Rating::None => "none",
        Rating::Low => "low",
        Rating::Medium => "medium",
        Rating::High => "high",
        Rating::Critical => "critical",
    }
}

/// A UUID-shaped string (version 5 layout) from a digest, for deterministic serial numbers.
fn uuid_from(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// A CycloneDX 1.6 JSON BOM carrying VEX: the vulnerable packages as components (bom-ref = purl)
/// and one vulnerability per entry (identical ones once) with ratings from its CVSS
/// vectors, `affects` and `analysis`.
pub fn write(entries: &[VexEntry], options: &CycloneDxVexOptions) -> Value {
    let timestamp = options.timestamp.rfc3339();
    let mut components: Vec<Value> = Vec::new();
    let mut component_refs = BTreeSet::new();
    let mut vulns: Vec<Value> = Vec::new();
    let mut vuln_refs = BTreeSet::new();
    for t in entries {
        let f = t;
        let purl = f.package.purl.clone();
        if component_refs.insert(purl.clone()) {
            let mut c = Map::new();
            c.insert("type".into(), json!("library"));
            c.insert("bom-ref".into(), json!(purl));
            c.insert("name".into(), json!(f.package.name));
            if !f.package.version.is_empty() {
                c.insert("version".into(), json!(f.package.version));
            }
            c.insert("purl".into(), json!(purl));
            components.push(Value::Object(c));
        }
        let w = written(t, options.untriaged);
        let mut v = Map::new();
        let base_ref = format!("{}/{}", f.id, purl);
        let mut bom_ref = base_ref.clone();
        let mut n = 2;
        while vuln_refs.contains(&bom_ref) {
            bom_ref = format!("{base_ref}#{n}");
            n += 1;
        }
        v.insert("bom-ref".into(), json!(bom_ref));
        v.insert("id".into(), json!(f.id));
        let (name, url) = advisory_source(&f.id);
        v.insert("source".into(), json!({ "name": name, "url": url }));
        let refs: Vec<Value> = f
            .aliases
            .iter()
            .filter(|a| *a != &f.id)
            .map(|a| {
                let (name, url) = advisory_source(a);
                json!({ "id": a, "source": { "name": name, "url": url } })
            })
            .collect();
        let mut refs_unique = Vec::new();
        for r in refs {
            push_unique(&mut refs_unique, r);
        }
        if !refs_unique.is_empty() {
            v.insert("references".into(), Value::Array(refs_unique));
        }
        let mut ratings = Vec::new();
        for s in &f.severities {
            if let Some(r) = cdx_rating(s) {
                push_unique(&mut ratings, r);
            }
        }
        if ratings.is_empty()
            && let Some(r) = f.severity.as_ref().and_then(cdx_rating)
        {
            ratings.push(r);
        }
        if !ratings.is_empty() {
            v.insert("ratings".into(), Value::Array(ratings));
        }
        if let Some(s) = &f.summary {
            v.insert("description".into(), json!(s));
        }
        if w.status != VexStatus::NotAffected && w.status != VexStatus::Fixed {
            v.insert("recommendation".into(), json!(default_action(f)));
        }
        let mut analysis = Map::new();
        analysis.insert("state".into(), json!(cyclonedx_state(w.status)));
        if let Some(j) = w
            .justification
            .filter(|_| w.status == VexStatus::NotAffected)
        {
            analysis.insert("justification".into(), json!(j.to_cyclonedx()));
        }
        let mut responses = w.responses.clone();
        if responses.is_empty() && w.status == VexStatus::Affected && f.nearest_fix.is_some() {
            responses.push("update".into());
        }
        if !responses.is_empty() {
            analysis.insert("response".into(), json!(responses));
        }
        let detail = match w.status {
            VexStatus::NotAffected => w.impact.or(w.notes),
            VexStatus::Affected => w.action.or(w.notes),
            _ => w.notes,
        };
        if let Some(d) = detail {
            analysis.insert("detail".into(), json!(d));
        }
        v.insert("analysis".into(), Value::Object(analysis));
        let mut affect = Map::new();
        affect.insert("ref".into(), json!(purl));
        if !f.package.version.is_empty() {
            // The version lies in the advisory's affected range (that is how it was
            // matched) until a statement says otherwise; exploitability is the analysis
            // state's to say, not this.
            let st = match w.status {
                VexStatus::NotAffected | VexStatus::Fixed => "unaffected",
                VexStatus::Affected | VexStatus::UnderInvestigation => "affected",
            };
            affect.insert(
                "versions".into(),
                json!([{ "version": f.package.version, "status": st }]),
            );
        }
        v.insert("affects".into(), json!([Value::Object(affect)]));
        // Identical vulnerabilities (same finding from two lockfiles) are written once.
        let mut probe = v.clone();
        probe.remove("bom-ref");
        let duplicate = vulns.iter().any(|x| {
            let mut x = x.as_object().cloned().unwrap_or_default();
            x.remove("bom-ref");
            x == probe
        });
        if !duplicate {
            vuln_refs.insert(bom_ref);
            vulns.push(Value::Object(v));
        }
    }
    let mut metadata = Map::new();
    metadata.insert("timestamp".into(), json!(timestamp));
    metadata.insert(
        "tools".into(),
        json!({ "components": [{
            "type": "application",
            "name": "annex",
            "version": env!("CARGO_PKG_VERSION"),
        }] }),
    );
    if let Some(p) = &options.product {
        let mut c = Map::new();
        c.insert("type".into(), json!("application"));
        let bom_ref = p.purl.clone().unwrap_or_else(|| match &p.version {
            Some(v) => format!("{}@{v}", p.name),
            None => p.name.clone(),
        });
        if !component_refs.contains(&bom_ref) {
            c.insert("bom-ref".into(), json!(bom_ref));
        }
        c.insert("name".into(), json!(p.name));
        if let Some(v) = &p.version {
            c.insert("version".into(), json!(v));
        }
        if let Some(purl) = &p.purl {
            c.insert("purl".into(), json!(purl));
        }
        metadata.insert("component".into(), Value::Object(c));
    }
    let mut bom = Map::new();
    bom.insert(
        "$schema".into(),
        json!("http://cyclonedx.org/schema/bom-1.6.schema.json"),
    );
    bom.insert("bomFormat".into(), json!("CycloneDX"));
    bom.insert("specVersion".into(), json!("1.6"));
    bom.insert("serialNumber".into(), json!(""));
    bom.insert("version".into(), json!(1));
    bom.insert("metadata".into(), Value::Object(metadata));
    if !components.is_empty() {
        bom.insert("components".into(), Value::Array(components));
    }
    bom.insert("vulnerabilities".into(), Value::Array(vulns));
    let serial = uuid_from(Value::Object(bom.clone()).to_string().as_bytes());
    bom.insert("serialNumber".into(), json!(format!("urn:uuid:{serial}")));
    Value::Object(bom)
}
