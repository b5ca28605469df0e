//! BSI TR-03183-2 v2.1.0 ("Cyber Resilience Requirements for Manufacturers and Products,
//! Part 2: Software Bill of Materials", 2025-08-20): what a JSON SBOM lacks.
//!
//! Sources of the field list and sections: the TR's v2.1.0 chapters as summarised by the
//! BSI CycloneDX property taxonomy (`bsi:component:*`, github.com/BSI-Bund) and the
//! field-to-format mapping of interlynk-io/sbomqs (`docs/reference/compliance-standards.md`,
//! `pkg/compliance/bsiV21.go`). The TR text itself was not available offline; section
//! numbers follow v2.1.0's layout as those sources give it:
//!
//! | § | field (`Gap::field`) | CycloneDX | SPDX 3 |
//! |---|---|---|---|
//! | 3.1 | `vulnerabilities` (MUST NOT be present) | `vulnerabilities[]` | `security_Vulnerability` |
//! | 4 | `format` | `specVersion` ≥ 1.6 | `specVersion` ≥ 3.0.1 (SPDX 2 not allowed) |
//! | 5.1 | `primary-component` | `metadata.component` | `software_Sbom.rootElement` |
//! | 5.2.1 | `sbom-creator` (e-mail or URL) | `metadata.manufacturer` `url` or `contact[].email`, `authors[].email` (not `supplier`) | `CreationInfo.createdBy` agent with an `email`/`urlScheme` identifier or an `externalRef` |
//! | 5.2.1 | `timestamp` (a real time, not the Unix epoch) | `metadata.timestamp` | `CreationInfo.created` |
//! | 5.2.2 | `creator` (e-mail or URL) | `manufacturer` `url` or `contact[].email`, `authors[].email` (not `supplier`) | `originatedBy` / `suppliedBy` |
//! | 5.2.2 | `name`, `version` | `name`, `version` | `name`, `software_packageVersion` |
//! | 5.2.2 | `filename` | property `bsi:component:filename` | `hasDistributionArtifact` → `software_File.name` |
//! | 5.2.2 | `dependencies`, `dependencies-completeness` | an entry in `dependencies[]` and the ref in a `compositions[].dependencies` or `compositions[].assemblies` (§8.2, Table 9) with an aggregate other than `not_specified` | an outgoing `dependsOn`/`contains` (leaves: to `NoneElement`) with `completeness` |
//! | 5.2.2 | `distribution-licences` | `licenses[]` with `acknowledgement: concluded` | `hasConcludedLicense` |
//! | 5.2.2 | `hash` (SHA-512 of the deployable form) | `hashes[]` or `externalReferences[distribution*].hashes[]` with `SHA-512` | `verifiedUsing` `sha512` on the package or its distribution artifact |
//! | 5.2.2 | `executable`, `archive`, `structured` | properties `bsi:component:executable` (`executable`/`non-executable`), `bsi:component:archive` (`archive`/`no archive`), `bsi:component:structured` (`structured`/`unstructured`) | a `hasDistributionArtifact` `software_File` (its purposes tell) |
//! | 5.2.3 | `sbom-uri` | `serialNumber` | the `SpdxDocument` `spdxId` |
//! | 5.2.4 | `source-code-uri` | `externalReferences[vcs \| source-distribution]` | `externalRef` `vcs` / `sourceArtifact` |
//! | 5.2.4 | `deployable-uri` | `externalReferences[distribution \| distribution-intake]` | `software_downloadLocation`, `externalRef` `binaryArtifact` |
//! | 5.2.4 | `other-identifiers` | `purl`, `cpe`, `swid`, `omniborId`, `swhid` | `software_packageUrl`, `externalIdentifier` |
//! | 5.2.4 | `original-licences` | `licenses[]` with `acknowledgement: declared` | `hasDeclaredLicense` |
//!
//! §5.2.1/§5.2.2 fields are MUST ([`GapLevel::Required`]); §5.2.3/§5.2.4 fields MUST be
//! given when they exist ([`GapLevel::Additional`]: absent may be fine when the
//! information does not exist). Optional fields (§5.2.5) are not reported. The primary
//! component is checked like every other component.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::read::{DEFAULT_MAX_BYTES, ReadError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GapLevel {
    /// A MUST field is missing (or a MUST NOT is present).
    Required,
    /// A field that MUST be given when it exists is missing.
    Additional,
}

/// One thing the SBOM lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    /// Section of TR-03183-2 v2.1.0 (`5.2.2`).
    pub section: String,
    /// Data field (`hash`, `filename`, …; see the module table).
    pub field: String,
    /// `bom-ref` / SPDX id of the component; `None` for document-level gaps. A component
    /// without an id is named `name@version`.
    pub component: Option<String>,
    pub level: GapLevel,
    pub message: String,
}

fn gap(
    section: &str,
    field: &str,
    component: Option<&str>,
    level: GapLevel,
    message: String,
) -> Gap {
    Gap {
        section: section.to_string(),
        field: field.to_string(),
        component: component.map(str::to_string),
        level,
        message,
    }
}

/// Check a CycloneDX or SPDX JSON document against TR-03183-2 v2.1.0. Documents are
/// refused like [`crate::read::read`] refuses them (size, syntax, unknown format).
pub fn check_bsi(document_json: impl AsRef<[u8]>) -> Result<Vec<Gap>, ReadError> {
    let bytes = document_json.as_ref();
    if bytes.len() as u64 > DEFAULT_MAX_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: DEFAULT_MAX_BYTES,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(bytes)?;
    if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        return Ok(check_cyclonedx(&doc));
    }
    if let Some(v) = doc.get("spdxVersion") {
        return Ok(vec![gap(
            "4",
            "format",
            None,
            GapLevel::Required,
            format!(
                "{}: TR-03183-2 v2.1 accepts CycloneDX 1.6 or later and SPDX 3.0.1 or later, not SPDX 2",
                v.as_str().unwrap_or("SPDX 2")
            ),
        )]);
    }
    if doc.get("@context").is_some() {
        return Ok(check_spdx3(&doc));
    }
    Err(ReadError::UnknownFormat)
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

fn arr<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn version_at_least(v: &str, min: &[u64]) -> bool {
    let parts: Vec<u64> = v
        .split('.')
        .map(|p| p.trim().parse::<u64>().unwrap_or(0))
        .collect();
    for (i, m) in min.iter().enumerate() {
        let p = parts.get(i).copied().unwrap_or(0);
        if p != *m {
            return p > *m;
        }
    }
    true
}

fn looks_like_url(u: &str) -> bool {
    let u = u.trim();
    u.contains("://") || u.starts_with("mailto:")
}

fn looks_like_email(e: &str) -> bool {
    let e = e.trim();
    e.contains('@') && !e.starts_with('@') && !e.ends_with('@')
}

/// RFC 3339 date-time, loosely: `YYYY-MM-DDTHH:MM:SS` then a zone.
fn looks_like_rfc3339(t: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(t.trim()).is_ok()
}

/// An organisational entity (`manufacturer`, `supplier`) with a URL or contact e-mail.
fn cdx_entity_has_contact(e: &Value) -> bool {
    let urls = match e.get("url") {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(looks_like_url),
        Some(Value::String(u)) => looks_like_url(u),
        _ => false,
    };
    urls || arr(e, "contact")
        .iter()
        .any(|c| s(c, "email").is_some_and(looks_like_email))
}

/// §5.2.1 / §5.2.2: the creator is the manufacturer (`manufacturer`; `manufacture`, its
/// CycloneDX 1.5 name, in `metadata`) or the authors, never the supplier, who only
/// distributes what someone else made.
fn cdx_has_creator(c: &Value) -> bool {
    ["manufacturer", "manufacture"]
        .iter()
        .filter_map(|k| c.get(*k))
        .any(cdx_entity_has_contact)
        || arr(c, "authors")
            .iter()
            .any(|a| s(a, "email").is_some_and(looks_like_email))
}

/// §5.2.1: the timestamp is when the SBOM was made. The Unix epoch is what tools write when
/// they know no time (`SOURCE_DATE_EPOCH=0`, a default): it is not a real time.
fn is_epoch_placeholder(t: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(t.trim()).is_ok_and(|d| d.timestamp() <= 0)
}

fn cdx_components<'a>(list: &'a [Value], out: &mut Vec<&'a Value>) {
    for c in list {
        out.push(c);
        cdx_components(arr(c, "components"), out);
    }
}

fn cdx_check_component(
    c: &Value,
    deps: &BTreeSet<&str>,
    composed: &BTreeSet<&str>,
    out: &mut Vec<Gap>,
) {
    let name = s(c, "name").unwrap_or("");
    let label = s(c, "bom-ref")
        .map(str::to_string)
        .unwrap_or_else(|| format!("{name}@{}", s(c, "version").unwrap_or("")));
    let id = Some(label.as_str());
    let req = GapLevel::Required;
    let add = GapLevel::Additional;
    let props: HashMap<&str, &str> = arr(c, "properties")
        .iter()
        .filter_map(|p| Some((s(p, "name")?, p.get("value")?.as_str()?)))
        .collect();
    let ext = arr(c, "externalReferences");
    let ext_of = |types: &[&str]| -> Vec<&Value> {
        ext.iter()
            .filter(|r| s(r, "type").is_some_and(|t| types.contains(&t)))
            .collect()
    };
    let licences = arr(c, "licenses");
    let ack = |want: &str| {
        licences.iter().any(|l| {
            let a = l
                .get("acknowledgement")
                .or_else(|| l.get("license").and_then(|x| x.get("acknowledgement")));
            a.and_then(Value::as_str) == Some(want)
        })
    };

    if !cdx_has_creator(c) {
        out.push(gap("5.2.2", "creator", id, req, "no component creator with an e-mail address or URL (manufacturer or authors; a supplier is not the creator)".into()));
    }
    if name.is_empty() {
        out.push(gap("5.2.2", "name", id, req, "no component name".into()));
    }
    if s(c, "version").is_none() {
        out.push(gap(
            "5.2.2",
            "version",
            id,
            req,
            "no component version".into(),
        ));
    }
    if props
        .get("bsi:component:filename")
        .is_none_or(|f| f.trim().is_empty())
    {
        out.push(gap(
            "5.2.2",
            "filename",
            id,
            req,
            "no property bsi:component:filename with the file name of the component".into(),
        ));
    }
    let r = s(c, "bom-ref").unwrap_or("");
    if !deps.contains(r) {
        out.push(gap("5.2.2", "dependencies", id, req, "no entry in dependencies[] (a component without dependencies needs one with an empty dependsOn)".into()));
    }
    if !composed.contains(r) {
        out.push(gap(
            "5.2.2",
            "dependencies-completeness",
            id,
            req,
            "the completeness of its dependencies is not stated (no compositions[] entry lists it)"
                .into(),
        ));
    }
    if !ack("concluded") {
        out.push(gap("5.2.2", "distribution-licences", id, req, "no licence with acknowledgement `concluded` (the licence(s) under which the component is distributed)".into()));
    }
    let sha512 = |hs: &[Value]| {
        hs.iter().any(|h| {
            s(h, "alg").is_some_and(|a| a.eq_ignore_ascii_case("SHA-512"))
                && s(h, "content").is_some()
        })
    };
    let dist = ext_of(&["distribution", "distribution-intake"]);
    if !sha512(arr(c, "hashes")) && !dist.iter().any(|r| sha512(arr(r, "hashes"))) {
        // Say what is there: a SHA-256 is a hash, but not the one the TR asks for.
        let others: BTreeSet<&str> = arr(c, "hashes")
            .iter()
            .chain(dist.iter().flat_map(|r| arr(r, "hashes").iter()))
            .filter_map(|h| s(h, "alg"))
            .collect();
        let message = if others.is_empty() {
            "no SHA-512 hash of the deployable form of the component".to_string()
        } else {
            format!(
                "SHA-512 required: the deployable form has only {}",
                others.into_iter().collect::<Vec<_>>().join(", ")
            )
        };
        out.push(gap("5.2.2", "hash", id, req, message));
    }
    for (field, allowed) in [
        ("executable", &["executable", "non-executable"][..]),
        ("archive", &["archive", "no archive"][..]),
        ("structured", &["structured", "unstructured"][..]),
    ] {
        let key = format!("bsi:component:{field}");
        match props.get(key.as_str()) {
            Some(v) if allowed.contains(v) => {}
            Some(v) => out.push(gap(
                "5.2.2",
                field,
                id,
                req,
                format!("property {key} is `{v}`, expected one of {allowed:?}"),
            )),
            None => out.push(gap(
                "5.2.2",
                field,
                id,
                req,
                format!("no property {key} ({})", allowed.join(" / ")),
            )),
        }
    }
    if ext_of(&["vcs", "source-distribution"]).is_empty() {
        out.push(gap(
            "5.2.4",
            "source-code-uri",
            id,
            add,
            "no externalReferences of type vcs or source-distribution".into(),
        ));
    }
    if dist.is_empty() {
        out.push(gap(
            "5.2.4",
            "deployable-uri",
            id,
            add,
            "no externalReferences of type distribution or distribution-intake".into(),
        ));
    }
    let has_id = ["purl", "cpe", "omniborId", "swhid"]
        .iter()
        .any(|k| c.get(*k).is_some_and(|v| !v.is_null()))
        || c.get("swid").is_some();
    if !has_id {
        out.push(gap(
            "5.2.4",
            "other-identifiers",
            id,
            add,
            "no purl, CPE, SWID, OmniBOR or SWHID identifier".into(),
        ));
    }
    if !ack("declared") {
        out.push(gap(
            "5.2.4",
            "original-licences",
            id,
            add,
            "no licence with acknowledgement `declared`".into(),
        ));
    }
}

fn check_cyclonedx(doc: &Value) -> Vec<Gap> {
    let mut out = Vec::new();
    let req = GapLevel::Required;
    let v = s(doc, "specVersion").unwrap_or("");
    if !version_at_least(v, &[1, 6]) {
        out.push(gap(
            "4",
            "format",
            None,
            req,
            format!("CycloneDX {v}: TR-03183-2 v2.1 requires CycloneDX 1.6 or later"),
        ));
    }
    if !arr(doc, "vulnerabilities").is_empty() {
        out.push(gap("3.1", "vulnerabilities", None, req, "the SBOM contains vulnerability information, which TR-03183-2 excludes (publish it as CSAF or VEX)".into()));
    }
    let meta = doc.get("metadata").cloned().unwrap_or(Value::Null);
    if !cdx_has_creator(&meta) {
        out.push(gap("5.2.1", "sbom-creator", None, req, "no SBOM creator with an e-mail address or URL (metadata.manufacturer or metadata.authors; metadata.supplier is not the creator)".into()));
    }
    match s(&meta, "timestamp") {
        Some(t) if is_epoch_placeholder(t) => out.push(gap(
            "5.2.1",
            "timestamp",
            None,
            req,
            format!("metadata.timestamp `{t}` is the Unix epoch, not the time the SBOM was made"),
        )),
        Some(t) if looks_like_rfc3339(t) => {}
        Some(t) => out.push(gap(
            "5.2.1",
            "timestamp",
            None,
            req,
            format!("metadata.timestamp `{t}` is not an RFC 3339 date-time"),
        )),
        None => out.push(gap(
            "5.2.1",
            "timestamp",
            None,
            req,
            "no metadata.timestamp".into(),
        )),
    }
    if s(doc, "serialNumber").is_none() {
        out.push(gap(
            "5.2.3",
            "sbom-uri",
            None,
            GapLevel::Additional,
            "no serialNumber (the SBOM-URI is urn:cdx:<serialNumber>/<version>)".into(),
        ));
    }
    let deps: BTreeSet<&str> = arr(doc, "dependencies")
        .iter()
        .filter_map(|d| s(d, "ref"))
        .collect();
    // §8.2, Table 9: completeness may be stated for a component's dependencies or for the
    // assembly it is part of: `compositions[].dependencies` and `.assemblies` both count.
    let composed: BTreeSet<&str> = arr(doc, "compositions")
        .iter()
        .filter(|c| s(c, "aggregate").is_some_and(|a| a != "not_specified"))
        .flat_map(|c| arr(c, "dependencies").iter().chain(arr(c, "assemblies")))
        .filter_map(|d| d.as_str().or_else(|| s(d, "ref")))
        .collect();
    let mut comps = Vec::new();
    match meta.get("component") {
        Some(root) => comps.push(root),
        None => out.push(gap(
            "5.1",
            "primary-component",
            None,
            req,
            "no metadata.component describing the primary component".into(),
        )),
    }
    cdx_components(arr(doc, "components"), &mut comps);
    for c in comps {
        cdx_check_component(c, &deps, &composed, &mut out);
    }
    out
}

fn strs(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn check_spdx3(doc: &Value) -> Vec<Gap> {
    let mut out = Vec::new();
    let req = GapLevel::Required;
    let add = GapLevel::Additional;
    let items: Vec<&Value> = match doc.get("@graph") {
        Some(Value::Array(a)) => a.iter().collect(),
        _ => vec![doc],
    };
    let ty = |v: &Value| {
        s(v, "type")
            .or_else(|| s(v, "@type"))
            .unwrap_or("")
            .to_string()
    };
    let by_id: HashMap<&str, &Value> = items
        .iter()
        .filter_map(|v| Some((s(v, "spdxId").or_else(|| s(v, "@id"))?, *v)))
        .collect();
    // CreationInfo: a blank node in the graph, or nested.
    let ci: Option<&Value> = items
        .iter()
        .copied()
        .find(|v| ty(v) == "CreationInfo")
        .or_else(|| {
            items
                .iter()
                .find_map(|v| v.get("creationInfo").filter(|c| c.is_object()))
        });
    let v = ci.and_then(|c| s(c, "specVersion")).unwrap_or("");
    if !version_at_least(v, &[3, 0, 1]) {
        out.push(gap(
            "4",
            "format",
            None,
            req,
            format!("SPDX {v}: TR-03183-2 v2.1 requires SPDX 3.0.1 or later"),
        ));
    }
    if items.iter().any(|i| ty(i) == "security_Vulnerability") {
        out.push(gap("3.1", "vulnerabilities", None, req, "the SBOM contains vulnerability information, which TR-03183-2 excludes (publish it as CSAF or VEX)".into()));
    }
    let agent_has_contact = |a: &Value| {
        arr(a, "externalIdentifier").iter().any(|e| {
            matches!(s(e, "externalIdentifierType"), Some("email" | "urlScheme"))
                && s(e, "identifier").is_some()
        }) || arr(a, "externalRef")
            .iter()
            .any(|r| strs(r.get("locator")).iter().any(|l| looks_like_url(l)))
    };
    let creator_ok = ci.is_some_and(|c| {
        strs(c.get("createdBy"))
            .iter()
            .any(|a| by_id.get(a).is_some_and(|a| agent_has_contact(a)))
    });
    if !creator_ok {
        out.push(gap(
            "5.2.1",
            "sbom-creator",
            None,
            req,
            "CreationInfo.createdBy names no agent with an e-mail address or URL".into(),
        ));
    }
    match ci.and_then(|c| s(c, "created")) {
        Some(t) if is_epoch_placeholder(t) => out.push(gap(
            "5.2.1",
            "timestamp",
            None,
            req,
            format!("CreationInfo.created `{t}` is the Unix epoch, not the time the SBOM was made"),
        )),
        Some(t) if looks_like_rfc3339(t) => {}
        _ => out.push(gap(
            "5.2.1",
            "timestamp",
            None,
            req,
            "no valid CreationInfo.created".into(),
        )),
    }
    if !items
        .iter()
        .any(|i| ty(i) == "SpdxDocument" && s(i, "spdxId").is_some())
    {
        out.push(gap(
            "5.2.3",
            "sbom-uri",
            None,
            add,
            "no SpdxDocument with an spdxId".into(),
        ));
    }
    let roots: BTreeSet<&str> = items
        .iter()
        .filter(|i| ty(i) == "software_Sbom")
        .flat_map(|i| strs(i.get("rootElement")))
        .collect();
    if roots.is_empty() {
        out.push(gap(
            "5.1",
            "primary-component",
            None,
            req,
            "no software_Sbom with a rootElement".into(),
        ));
    }

    // Relationships by `from`.
    let mut rels: HashMap<&str, Vec<&Value>> = HashMap::new();
    for i in &items {
        if matches!(
            ty(i).as_str(),
            "Relationship" | "LifecycleScopedRelationship"
        ) && let Some(f) = s(i, "from")
        {
            rels.entry(f).or_default().push(i);
        }
    }
    let rel = |from: &str, rt: &[&str]| -> Vec<&Value> {
        rels.get(from)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|r| s(r, "relationshipType").is_some_and(|t| rt.contains(&t)))
                    .collect()
            })
            .unwrap_or_default()
    };
    for p in items.iter().filter(|i| ty(i) == "software_Package") {
        let pid = s(p, "spdxId").unwrap_or("");
        let label = if pid.is_empty() {
            format!(
                "{}@{}",
                s(p, "name").unwrap_or(""),
                s(p, "software_packageVersion").unwrap_or("")
            )
        } else {
            pid.to_string()
        };
        let id = Some(label.as_str());
        if strs(p.get("originatedBy")).is_empty() && s(p, "suppliedBy").is_none() {
            out.push(gap(
                "5.2.2",
                "creator",
                id,
                req,
                "no originatedBy or suppliedBy agent".into(),
            ));
        }
        if s(p, "name").is_none() {
            out.push(gap("5.2.2", "name", id, req, "no name".into()));
        }
        if s(p, "software_packageVersion").is_none() {
            out.push(gap(
                "5.2.2",
                "version",
                id,
                req,
                "no software_packageVersion".into(),
            ));
        }
        let files: Vec<&Value> = rel(pid, &["hasDistributionArtifact"])
            .iter()
            .flat_map(|r| strs(r.get("to")))
            .filter_map(|t| by_id.get(t).copied())
            .filter(|f| ty(f) == "software_File")
            .collect();
        if !files.iter().any(|f| s(f, "name").is_some()) {
            out.push(gap(
                "5.2.2",
                "filename",
                id,
                req,
                "no hasDistributionArtifact software_File with a name".into(),
            ));
        }
        let deps = rel(pid, &["dependsOn", "contains", "hasOptionalDependency"]);
        if deps.is_empty() {
            out.push(gap("5.2.2", "dependencies", id, req, "no dependsOn/contains relationship from the package (a leaf needs one to NoneElement)".into()));
        } else if !deps.iter().any(|r| s(r, "completeness").is_some()) {
            out.push(gap(
                "5.2.2",
                "dependencies-completeness",
                id,
                req,
                "its dependency relationships state no completeness".into(),
            ));
        }
        if rel(pid, &["hasConcludedLicense"]).is_empty() {
            out.push(gap(
                "5.2.2",
                "distribution-licences",
                id,
                req,
                "no hasConcludedLicense relationship".into(),
            ));
        }
        let sha512 = |v: &Value| {
            arr(v, "verifiedUsing")
                .iter()
                .any(|h| s(h, "algorithm") == Some("sha512") && s(h, "hashValue").is_some())
        };
        if !sha512(p) && !files.iter().any(|f| sha512(f)) {
            out.push(gap(
                "5.2.2",
                "hash",
                id,
                req,
                "no sha512 hash of the deployable form".into(),
            ));
        }
        if files.is_empty() {
            for f in ["executable", "archive", "structured"] {
                out.push(gap("5.2.2", f, id, req, format!("no distribution artifact (software_File) whose purposes state whether it is {f}")));
            }
        }
        let ext_types: Vec<&str> = arr(p, "externalRef")
            .iter()
            .filter_map(|r| s(r, "externalRefType"))
            .collect();
        if !ext_types
            .iter()
            .any(|t| matches!(*t, "vcs" | "sourceArtifact"))
        {
            out.push(gap(
                "5.2.4",
                "source-code-uri",
                id,
                add,
                "no externalRef of type vcs or sourceArtifact".into(),
            ));
        }
        if s(p, "software_downloadLocation").is_none() && !ext_types.contains(&"binaryArtifact") {
            out.push(gap(
                "5.2.4",
                "deployable-uri",
                id,
                add,
                "no software_downloadLocation or externalRef binaryArtifact".into(),
            ));
        }
        if s(p, "software_packageUrl").is_none() && arr(p, "externalIdentifier").is_empty() {
            out.push(gap(
                "5.2.4",
                "other-identifiers",
                id,
                add,
                "no software_packageUrl or externalIdentifier".into(),
            ));
        }
        if rel(pid, &["hasDeclaredLicense"]).is_empty() {
            out.push(gap(
                "5.2.4",
                "original-licences",
                id,
                add,
                "no hasDeclaredLicense relationship".into(),
            ));
        }
    }
    out
}
