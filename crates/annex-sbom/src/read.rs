//! SBOM readers: the packages a CycloneDX or SPDX document lists, in the shape
//! vulnerability matching needs ([`SbomPackage`]: OSV ecosystem and name from the purl,
//! version, purl, scope).
//!
//! Accepted: CycloneDX JSON (`bomFormat: CycloneDX`, spec 1.x; 1.4–1.7 tested) and XML
//! (namespace `http://cyclonedx.org/schema/bom/1.x`), SPDX 2.x JSON (`spdxVersion`; 2.3
//! tested), SPDX 3.x JSON-LD (`@context` of spdx.org/rdf/3). Input starting with `<` is
//! read as XML.
//! Unknown fields are ignored; nested CycloneDX components are flattened; the described
//! product (CycloneDX `metadata.component`, SPDX `DESCRIBES` / `rootElement`) is kept apart
//! in [`SbomDocument::roots`]. Malformed JSON and fields of the wrong type are
//! [`ReadError::Syntax`] with line and column; input over [`ReadOptions::max_bytes`] is
//! refused before parsing; nesting deeper than 128 levels is an error (serde_json's
//! recursion limit).
//!
//! Scope: the `annex:scope` property (CycloneDX `properties`, SPDX 2.3 annotation line,
//! SPDX 3 `extension_cdxProperty`) when annex wrote it; else CycloneDX `scope`
//! (`excluded` → dev) or `cdx:npm:package:development`; SPDX 2 relationships
//! (`DEV_DEPENDENCY_OF` → dev, `BUILD_DEPENDENCY_OF` → build, `OPTIONAL_DEPENDENCY_OF` →
//! optional, `DEPENDS_ON`/`CONTAINS` → required; any required edge wins); SPDX 3
//! `LifecycleScopedRelationship.scope` (`development`/`test` → dev, `build` → build) and
//! `hasOptionalDependency` → optional. Nothing known: required.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;

use annex_inventory::Scope;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::graph::scope_from_name;
use annex_types::purl;

/// Default [`ReadOptions::max_bytes`]: 256 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadOptions {
    /// Larger input is refused with [`ReadError::TooLarge`].
    pub max_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReadError {
    #[error("{size} bytes, more than the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// Malformed JSON, or a field of the wrong type. Line and column are 1-based.
    #[error("{line}:{column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "not a CycloneDX or SPDX document (no bomFormat, spdxVersion, SPDX 3 @context or CycloneDX XML namespace)"
    )]
    UnknownFormat,
    #[error("unsupported {format} version `{version}`")]
    UnsupportedVersion { format: String, version: String },
}

impl From<serde_json::Error> for ReadError {
    fn from(e: serde_json::Error) -> Self {
        let msg = e.to_string();
        // serde_json appends " at line L column C"; keep the message alone.
        let message = match msg.rfind(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        ReadError::Syntax {
            line: e.line(),
            column: e.column(),
            message,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SbomFormat {
    CycloneDx,
    Spdx2,
    Spdx3,
}

/// What a document lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SbomDocument {
    pub format: SbomFormat,
    /// As written: `1.6`, `SPDX-2.3`, `3.0.1`.
    pub spec_version: String,
    /// The described product(s).
    pub roots: Vec<SbomPackage>,
    /// Every other package, in document order.
    pub packages: Vec<SbomPackage>,
}

/// One package of an SBOM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SbomPackage {
    /// `bom-ref`, `SPDXID` or `spdxId`.
    pub id: Option<String>,
    /// OSV ecosystem from the purl type (`crates.io`, `npm`, `PyPI`, …); `None` without a
    /// purl or for a purl type OSV has no ecosystem for.
    pub ecosystem: Option<String>,
    /// The OSV package name when a purl is present (`@scope/name`, `group:artifact`, Go
    /// module path), else the document's name (`group/name` for CycloneDX with a group).
    pub name: String,
    /// The document's version, else the purl's.
    pub version: Option<String>,
    pub purl: Option<String>,
    pub scope: Scope,
}

/// Read a document from bytes.
pub fn read(bytes: &[u8], opts: &ReadOptions) -> Result<SbomDocument, ReadError> {
    if bytes.len() as u64 > opts.max_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: opts.max_bytes,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<') {
        return crate::read_xml::read_cyclonedx_xml(bytes);
    }
    let probe: Probe = serde_json::from_slice(bytes)?;
    if let Some(f) = probe.bom_format.as_ref().and_then(Value::as_str) {
        if f != "CycloneDX" {
            return Err(ReadError::UnknownFormat);
        }
        return read_cyclonedx(bytes);
    }
    if probe.spdx_version.is_some() {
        return read_spdx2(bytes);
    }
    if probe.context.as_ref().is_some_and(is_spdx3_context) {
        return read_spdx3(bytes);
    }
    Err(ReadError::UnknownFormat)
}

/// Read a document from a file, refusing files over the limit before reading them.
pub fn read_file(path: &Path, opts: &ReadOptions) -> Result<SbomDocument, ReadError> {
    let io = |e: std::io::Error| ReadError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    if len > opts.max_bytes {
        return Err(ReadError::TooLarge {
            size: len,
            limit: opts.max_bytes,
        });
    }
    let mut buf = Vec::with_capacity(len as usize);
    f.take(opts.max_bytes + 1)
        .read_to_end(&mut buf)
        .map_err(io)?;
    read(&buf, opts)
}

#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "bomFormat")]
    bom_format: Option<Value>,
    #[serde(rename = "spdxVersion")]
    spdx_version: Option<Value>,
    #[serde(rename = "@context")]
    context: Option<Value>,
}

fn is_spdx3_context(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains("spdx.org/rdf/3"),
        Value::Array(a) => a.iter().any(is_spdx3_context),
        _ => false,
    }
}

pub(crate) fn package(
    id: Option<String>,
    doc_name: String,
    version: Option<String>,
    purl_s: Option<String>,
    scope: Scope,
) -> SbomPackage {
    let purl_s = purl_s.filter(|p| !p.trim().is_empty());
    let parsed = purl_s.as_deref().and_then(purl::parse_lenient);
    let (ecosystem, name) = match &parsed {
        Some(p) => (p.osv_ecosystem().map(str::to_string), p.osv_name()),
        None => (None, doc_name),
    };
    let version = version
        .filter(|v| !v.is_empty())
        .or_else(|| parsed.and_then(|p| p.version));
    SbomPackage {
        id,
        ecosystem,
        name,
        version,
        purl: purl_s,
        scope,
    }
}

// ---- CycloneDX -------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CdxDoc {
    spec_version: Option<String>,
    metadata: Option<CdxMeta>,
    #[serde(default)]
    components: Vec<CdxComp>,
}

#[derive(Deserialize)]
struct CdxMeta {
    component: Option<CdxComp>,
}

#[derive(Deserialize)]
struct CdxComp {
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    group: Option<String>,
    name: Option<String>,
    version: Option<String>,
    purl: Option<String>,
    scope: Option<String>,
    #[serde(default)]
    properties: Vec<CdxProp>,
    #[serde(default)]
    components: Vec<CdxComp>,
}

#[derive(Deserialize)]
struct CdxProp {
    name: Option<String>,
    value: Option<String>,
}

fn read_cyclonedx(bytes: &[u8]) -> Result<SbomDocument, ReadError> {
    let doc: CdxDoc = serde_json::from_slice(bytes)?;
    let version = doc.spec_version.unwrap_or_default();
    if !version.is_empty() && !version.starts_with("1.") {
        return Err(ReadError::UnsupportedVersion {
            format: "CycloneDX".into(),
            version,
        });
    }
    let mut roots = Vec::new();
    let mut packages = Vec::new();
    if let Some(c) = doc.metadata.and_then(|m| m.component) {
        roots.push(cdx_package(&c));
        for s in c.components {
            flatten(s, &mut packages);
        }
    }
    for c in doc.components {
        flatten(c, &mut packages);
    }
    Ok(SbomDocument {
        format: SbomFormat::CycloneDx,
        spec_version: version,
        roots,
        packages,
    })
}

fn flatten(c: CdxComp, out: &mut Vec<SbomPackage>) {
    out.push(cdx_package(&c));
    for s in c.components {
        flatten(s, out);
    }
}

fn cdx_package(c: &CdxComp) -> SbomPackage {
    let props: Vec<(&str, &str)> = c
        .properties
        .iter()
        .filter_map(|p| Some((p.name.as_deref()?, p.value.as_deref()?)))
        .collect();
    cdx_to_package(
        c.bom_ref.clone(),
        c.group.as_deref(),
        c.name.as_deref(),
        c.version.clone(),
        c.purl.clone(),
        c.scope.as_deref(),
        &props,
    )
}

/// A CycloneDX component (JSON or XML) as a package.
pub(crate) fn cdx_to_package(
    bom_ref: Option<String>,
    group: Option<&str>,
    name: Option<&str>,
    version: Option<String>,
    purl_s: Option<String>,
    cdx_scope: Option<&str>,
    props: &[(&str, &str)],
) -> SbomPackage {
    let prop = |n: &str| props.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
    let scope = prop("annex:scope")
        .and_then(scope_from_name)
        .or_else(|| (prop("cdx:npm:package:development") == Some("true")).then_some(Scope::Dev))
        .unwrap_or(match cdx_scope.map(str::trim) {
            Some("optional") => Scope::Optional,
            Some("excluded") => Scope::Dev,
            _ => Scope::Required,
        });
    let name = name.unwrap_or_default();
    let doc_name = match group.filter(|g| !g.is_empty()) {
        Some(g) => format!("{g}/{name}"),
        None => name.to_string(),
    };
    package(bom_ref, doc_name, version, purl_s, scope)
}

// ---- SPDX 2 ----------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Spdx2Doc {
    spdx_version: Option<String>,
    #[serde(default)]
    document_describes: Vec<String>,
    #[serde(default)]
    packages: Vec<Spdx2Pkg>,
    #[serde(default)]
    relationships: Vec<Spdx2Rel>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Spdx2Pkg {
    #[serde(rename = "SPDXID")]
    spdx_id: Option<String>,
    name: Option<String>,
    version_info: Option<String>,
    #[serde(default)]
    external_refs: Vec<Spdx2Ref>,
    #[serde(default)]
    annotations: Vec<Spdx2Annotation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Spdx2Ref {
    reference_category: Option<String>,
    reference_type: Option<String>,
    reference_locator: Option<String>,
}

#[derive(Deserialize)]
struct Spdx2Annotation {
    comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Spdx2Rel {
    spdx_element_id: Option<String>,
    relationship_type: Option<String>,
    related_spdx_element: Option<String>,
}

/// Combine the scopes edges give a package: any required edge wins, then optional, build,
/// dev.
fn combine(scopes: &BTreeSet<Scope>) -> Scope {
    for s in [Scope::Required, Scope::Optional, Scope::Build, Scope::Dev] {
        if scopes.contains(&s) {
            return s;
        }
    }
    Scope::Required
}

fn read_spdx2(bytes: &[u8]) -> Result<SbomDocument, ReadError> {
    let doc: Spdx2Doc = serde_json::from_slice(bytes)?;
    let version = doc.spdx_version.unwrap_or_default();
    if !version.starts_with("SPDX-2.") {
        return Err(ReadError::UnsupportedVersion {
            format: "SPDX".into(),
            version,
        });
    }
    let mut described: BTreeSet<String> = doc.document_describes.into_iter().collect();
    let mut edge_scopes: HashMap<String, BTreeSet<Scope>> = HashMap::new();
    for r in &doc.relationships {
        let (Some(a), Some(t), Some(b)) = (
            r.spdx_element_id.as_deref(),
            r.relationship_type.as_deref(),
            r.related_spdx_element.as_deref(),
        ) else {
            continue;
        };
        let t = t.to_ascii_uppercase();
        if t == "DESCRIBES" && a == "SPDXRef-DOCUMENT" {
            described.insert(b.to_string());
            continue;
        }
        if t == "DESCRIBED_BY" && b == "SPDXRef-DOCUMENT" {
            described.insert(a.to_string());
            continue;
        }
        let (target, scope) = match t.as_str() {
            "DEPENDS_ON" | "CONTAINS" | "HAS_PREREQUISITE" | "STATIC_LINK" | "DYNAMIC_LINK" => {
                (b, Scope::Required)
            }
            "DEPENDENCY_OF"
            | "RUNTIME_DEPENDENCY_OF"
            | "CONTAINED_BY"
            | "PROVIDED_DEPENDENCY_OF"
            | "PREREQUISITE_FOR" => (a, Scope::Required),
            "DEV_DEPENDENCY_OF" | "DEV_TOOL_OF" | "TEST_DEPENDENCY_OF" | "TEST_TOOL_OF" => {
                (a, Scope::Dev)
            }
            "BUILD_DEPENDENCY_OF" | "BUILD_TOOL_OF" => (a, Scope::Build),
            "OPTIONAL_DEPENDENCY_OF" | "OPTIONAL_COMPONENT_OF" => (a, Scope::Optional),
            _ => continue,
        };
        edge_scopes
            .entry(target.to_string())
            .or_default()
            .insert(scope);
    }
    let mut roots = Vec::new();
    let mut packages = Vec::new();
    for p in doc.packages {
        let purl_s = p
            .external_refs
            .iter()
            .find(|r| {
                r.reference_type.as_deref() == Some("purl")
                    && r.reference_category
                        .as_deref()
                        .is_none_or(|c| c.replace('_', "-") == "PACKAGE-MANAGER")
            })
            .and_then(|r| r.reference_locator.clone());
        let annex_scope = p
            .annotations
            .iter()
            .filter_map(|a| a.comment.as_deref())
            .flat_map(str::lines)
            .find_map(|l| l.trim().strip_prefix("annex:scope="))
            .and_then(|s| scope_from_name(s.trim()));
        let id = p.spdx_id.clone();
        let scope = annex_scope.unwrap_or_else(|| {
            id.as_ref()
                .and_then(|i| edge_scopes.get(i))
                .map_or(Scope::Required, combine)
        });
        let pkg = package(
            id.clone(),
            p.name.unwrap_or_default(),
            p.version_info,
            purl_s,
            scope,
        );
        if id.as_ref().is_some_and(|i| described.contains(i)) {
            roots.push(pkg);
        } else {
            packages.push(pkg);
        }
    }
    Ok(SbomDocument {
        format: SbomFormat::Spdx2,
        spec_version: version,
        roots,
        packages,
    })
}

// ---- SPDX 3 ----------------------------------------------------------------------------

fn strs(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn type_of(v: &Value) -> &str {
    let t = v.get("type").or_else(|| v.get("@type"));
    let t = t.and_then(|t| strs(t).first().copied()).unwrap_or("");
    // Full IRIs: keep the part after the last `/` with its profile prefix.
    match t.rsplit_once("/terms/") {
        Some((_, rest)) => match rest.split_once('/') {
            Some(("Core", n)) => n,
            Some((_, "Package")) => "software_Package",
            Some((_, n)) => n,
            None => rest,
        },
        None => t,
    }
}

fn id_of(v: &Value) -> Option<&str> {
    v.get("spdxId")
        .or_else(|| v.get("@id"))
        .and_then(Value::as_str)
}

fn read_spdx3(bytes: &[u8]) -> Result<SbomDocument, ReadError> {
    let doc: Value = serde_json::from_slice(bytes)?;
    let items: Vec<&Value> = match doc.get("@graph") {
        Some(Value::Array(a)) => a.iter().collect(),
        _ => vec![&doc],
    };
    let mut version = String::new();
    let mut roots_ids: BTreeSet<String> = BTreeSet::new();
    let mut doc_roots: BTreeSet<String> = BTreeSet::new();
    let mut edge_scopes: HashMap<String, BTreeSet<Scope>> = HashMap::new();
    let mut pkgs: Vec<&Value> = Vec::new();
    for it in &items {
        match type_of(it) {
            "CreationInfo" => {
                if version.is_empty()
                    && let Some(v) = it.get("specVersion").and_then(Value::as_str)
                {
                    version = v.to_string();
                }
            }
            "software_Sbom" => {
                for r in it.get("rootElement").map(strs).unwrap_or_default() {
                    roots_ids.insert(r.to_string());
                }
            }
            "SpdxDocument" => {
                for r in it.get("rootElement").map(strs).unwrap_or_default() {
                    doc_roots.insert(r.to_string());
                }
            }
            "software_Package" => pkgs.push(it),
            "Relationship" | "LifecycleScopedRelationship" => {
                let rt = it
                    .get("relationshipType")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let rt = rt.rsplit('/').next().unwrap_or(rt);
                let sc = it.get("scope").and_then(Value::as_str).unwrap_or("");
                let sc = sc.rsplit('/').next().unwrap_or(sc);
                let scope = match (rt, sc) {
                    ("hasOptionalDependency", _) => Scope::Optional,
                    (
                        "dependsOn"
                        | "contains"
                        | "hasStaticLink"
                        | "hasDynamicLink"
                        | "hasProvidedDependency",
                        "development" | "test",
                    ) => Scope::Dev,
                    (
                        "dependsOn"
                        | "contains"
                        | "hasStaticLink"
                        | "hasDynamicLink"
                        | "hasProvidedDependency",
                        "build",
                    ) => Scope::Build,
                    (
                        "dependsOn"
                        | "contains"
                        | "hasStaticLink"
                        | "hasDynamicLink"
                        | "hasProvidedDependency",
                        _,
                    ) => Scope::Required,
                    _ => continue,
                };
                for t in it.get("to").map(strs).unwrap_or_default() {
                    edge_scopes.entry(t.to_string()).or_default().insert(scope);
                }
            }
            _ => {}
        }
        // A nested CreationInfo object (not a blank-node reference).
        if version.is_empty()
            && let Some(ci) = it.get("creationInfo")
            && let Some(v) = ci.get("specVersion").and_then(Value::as_str)
        {
            version = v.to_string();
        }
    }
    if !version.is_empty() && !version.starts_with("3.") {
        return Err(ReadError::UnsupportedVersion {
            format: "SPDX".into(),
            version,
        });
    }
    if roots_ids.is_empty() {
        roots_ids = doc_roots;
    }
    let mut roots = Vec::new();
    let mut packages = Vec::new();
    for p in pkgs {
        let id = id_of(p).map(str::to_string);
        let purl_s = p
            .get("software_packageUrl")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| {
                p.get("externalIdentifier")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .find(|e| {
                        e.get("externalIdentifierType").and_then(Value::as_str)
                            == Some("packageUrl")
                    })
                    .and_then(|e| e.get("identifier").and_then(Value::as_str))
                    .map(str::to_string)
            });
        let props: BTreeMap<&str, &str> = p
            .get("extension")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| e.get("extension_cdxProperty").and_then(Value::as_array))
            .flatten()
            .filter_map(|e| {
                Some((
                    e.get("extension_cdxPropName")?.as_str()?,
                    e.get("extension_cdxPropValue")?.as_str()?,
                ))
            })
            .collect();
        let scope = props
            .get("annex:scope")
            .and_then(|s| scope_from_name(s))
            .unwrap_or_else(|| {
                id.as_ref()
                    .and_then(|i| edge_scopes.get(i))
                    .map_or(Scope::Required, combine)
            });
        let pkg = package(
            id.clone(),
            p.get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            p.get("software_packageVersion")
                .and_then(Value::as_str)
                .map(str::to_string),
            purl_s,
            scope,
        );
        if id.as_ref().is_some_and(|i| roots_ids.contains(i)) {
            roots.push(pkg);
        } else {
            packages.push(pkg);
        }
    }
    Ok(SbomDocument {
        format: SbomFormat::Spdx3,
        spec_version: version,
        roots,
        packages,
    })
}
