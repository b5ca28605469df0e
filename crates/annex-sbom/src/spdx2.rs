//! SPDX 2.3 writer: an own serde model rendered as JSON and as tag-value.
//!
//! Mapping from the inventory:
//! - document: `SPDXRef-DOCUMENT`, `name` the product name, `comment` one
//!   `annex:unresolved=<name> <requirement> (<file>:<line>)` line per requirement without
//!   a pinned version, `documentNamespace`
//!   `<base>/<name>-<uuid>` with the UUID derived from the JSON body written with an empty
//!   namespace (`content_uuid` (SHA-256 of the body, shaped as a UUID)), `creationInfo.creators` `Tool: annex-<v>`
//!   and `Organization: <name> (<email>)` for the [`Creator`](crate::Creator),
//!   `creationInfo.created` from [`Timestamp`](crate::Timestamp).
//! - packages (the product first, then by reference): `SPDXID` `SPDXRef-` + the sanitised
//!   reference (`[A-Za-z0-9.-]`, a numeric suffix on collision), `name`, `versionInfo`,
//!   `downloadLocation` (git sources in the SPDX VCS form `git+<url>@<rev>`, URL sources
//!   as is, else `NOASSERTION`), `filesAnalyzed: false`, `checksums` (`SHA256`, …),
//!   `licenseConcluded: NOASSERTION`, `licenseDeclared` one expression (several licences
//!   joined with `AND`; free text as `LicenseRef-…` with its text in
//!   `hasExtractedLicensingInfos`; none: `NOASSERTION`), `externalRefs`
//!   `PACKAGE-MANAGER purl`, `primaryPackagePurpose` `LIBRARY` (the product and subject
//!   roots `APPLICATION`), and one annotation by `Tool: annex-<v>` whose comment carries
//!   the annex facts as `name=value` lines (`annex:scope=dev`, `annex:source-file=…`).
//! - relationships: `SPDXRef-DOCUMENT DESCRIBES` the product; per dependency edge by the
//!   target's scope `A DEPENDS_ON B` (required), `B DEV_DEPENDENCY_OF A`,
//!   `B OPTIONAL_DEPENDENCY_OF A`, `B BUILD_DEPENDENCY_OF A`; a node whose list is known
//!   to be empty `DEPENDS_ON NONE`; components nothing depends on are held by their
//!   subject root (or the product) with `CONTAINS`.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use annex_inventory::{Inventory, Scope, Source};
use serde::{Deserialize, Serialize};

use crate::conform;
use crate::error::Error;
use crate::graph::{self, Graph, Node, NodeKind};
use crate::licence::{self, Licence};
use crate::options::Options;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpdxDocument {
    #[serde(rename = "spdxVersion")]
    pub spdx_version: String,
    #[serde(rename = "dataLicense")]
    pub data_license: String,
    #[serde(rename = "SPDXID")]
    pub spdx_id: String,
    pub name: String,
    /// `annex:unresolved=<name> <requirement> (<file>:<line>)` lines, one per requirement
    /// without a pinned version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(rename = "documentNamespace")]
    pub document_namespace: String,
    #[serde(rename = "creationInfo")]
    pub creation_info: CreationInfo,
    pub packages: Vec<Package>,
    pub relationships: Vec<Relationship>,
    #[serde(
        rename = "hasExtractedLicensingInfos",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub has_extracted_licensing_infos: Vec<ExtractedLicensingInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreationInfo {
    pub created: String,
    pub creators: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Package {
    #[serde(rename = "SPDXID")]
    pub spdx_id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_info: Option<String>,
    pub download_location: String,
    pub files_analyzed: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checksums: Vec<Checksum>,
    pub license_concluded: String,
    pub license_declared: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_refs: Vec<ExternalRef>,
    pub primary_package_purpose: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Checksum {
    pub algorithm: String,
    pub checksum_value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalRef {
    pub reference_category: String,
    pub reference_type: String,
    pub reference_locator: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotation {
    pub annotation_date: String,
    pub annotation_type: String,
    pub annotator: String,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Relationship {
    pub spdx_element_id: String,
    pub relationship_type: String,
    pub related_spdx_element: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtractedLicensingInfo {
    pub license_id: String,
    pub extracted_text: String,
    pub name: String,
}

/// The SPDX 2.3 model of `inv` (namespace filled in).
pub fn document(inv: &Inventory, opts: &Options) -> Result<SpdxDocument, Error> {
    let g = graph::build(inv, opts);
    let ts = opts.timestamp.resolve(opts.build_time)?;
    let mut doc = build(&g, opts, ts);
    let body = serde_json::to_vec(&doc)?;
    doc.document_namespace = format!(
        "{}/{}-{}",
        opts.spdx_namespace_base.trim_end_matches('/'),
        conform::sanitize_id(&doc.name),
        conform::content_uuid(&body)
    );
    Ok(doc)
}

/// SPDX 2.3 JSON (pretty, trailing newline).
pub fn to_json(inv: &Inventory, opts: &Options) -> Result<String, Error> {
    let mut s = serde_json::to_string_pretty(&document(inv, opts)?)?;
    s.push('\n');
    Ok(s)
}

/// SPDX 2.3 tag-value.
pub fn to_tag_value(inv: &Inventory, opts: &Options) -> Result<String, Error> {
    Ok(write_tag_value(&document(inv, opts)?))
}

/// `SPDXRef-…` for every node reference, unique.
pub(crate) fn spdx_ids(g: &Graph) -> BTreeMap<String, String> {
    let mut used: HashSet<String> = HashSet::from(["SPDXRef-DOCUMENT".to_string()]);
    let mut out = BTreeMap::new();
    for n in g.all() {
        let base = format!("SPDXRef-{}", conform::sanitize_id(&n.bom_ref));
        let mut id = base.clone();
        let mut i = 2;
        while used.contains(&id) {
            id = format!("{base}-{i}");
            i += 1;
        }
        used.insert(id.clone());
        out.insert(n.bom_ref.clone(), id);
    }
    out
}

pub(crate) fn download_location(n: &Node) -> String {
    match &n.source {
        Some(Source::Git { url, rev }) => {
            // Outside the SPDX grammar (no `scheme://`): not asserted.
            let Some(u) = conform::iri(url).filter(|u| u.contains("://")) else {
                return "NOASSERTION".to_string();
            };
            let mut u = if u.starts_with("git+") || u.starts_with("git://") {
                u
            } else {
                format!("git+{u}")
            };
            if let Some(r) = rev {
                u.push('@');
                u.push_str(r);
            }
            u
        }
        Some(Source::Url { url }) => conform::iri(url).unwrap_or_else(|| "NOASSERTION".to_string()),
        _ => "NOASSERTION".to_string(),
    }
}

fn build(g: &Graph, opts: &Options, created: String) -> SpdxDocument {
    let ids = spdx_ids(g);
    let tool = format!("Tool: {}-{}", opts.tool.name, opts.tool.version);
    let mut creators = vec![tool.clone()];
    if let Some(c) = &opts.creator {
        creators.push(format!(
            "Organization: {} ({})",
            c.name.replace(['(', ')'], ""),
            c.email.as_deref().unwrap_or("")
        ));
    }
    let mut extracted: BTreeSet<ExtractedLicensingInfo> = BTreeSet::new();
    let mut packages = Vec::new();
    for n in g.all() {
        let licences: Vec<Licence> = n
            .licenses
            .iter()
            .map(|l| licence::classify_licence(l))
            .collect();
        let as_spdx: Vec<Licence> = licences
            .iter()
            .map(|l| match l {
                Licence::Spdx(e) => Licence::Spdx(e.clone()),
                Licence::Other(t) => {
                    let id = licence::licence_ref(t);
                    extracted.insert(ExtractedLicensingInfo {
                        license_id: id.clone(),
                        extracted_text: t.clone(),
                        name: t.clone(),
                    });
                    Licence::Spdx(id)
                }
            })
            .collect();
        let declared =
            licence::combined_expression(&as_spdx).unwrap_or_else(|| "NOASSERTION".into());
        let mut checksums: Vec<Checksum> = n
            .hashes
            .iter()
            .filter_map(|h| {
                let (_, alg, _, len) = conform::hash_alg(&h.alg)?;
                conform::is_hex(&h.value, len).then(|| Checksum {
                    algorithm: alg.to_string(),
                    checksum_value: h.value.to_ascii_lowercase(),
                })
            })
            .collect();
        checksums.sort();
        checksums.dedup();
        let props = n.annex_properties();
        packages.push(Package {
            spdx_id: ids[&n.bom_ref].clone(),
            name: n.name.clone(),
            version_info: n.version.clone(),
            download_location: download_location(n),
            files_analyzed: false,
            checksums,
            license_concluded: "NOASSERTION".to_string(),
            license_declared: declared,
            external_refs: n
                .purl
                .iter()
                .map(|p| ExternalRef {
                    reference_category: "PACKAGE-MANAGER".to_string(),
                    reference_type: "purl".to_string(),
                    reference_locator: p.clone(),
                })
                .collect(),
            primary_package_purpose: if n.kind == NodeKind::Component {
                "LIBRARY"
            } else {
                "APPLICATION"
            }
            .to_string(),
            annotations: if props.is_empty() {
                Vec::new()
            } else {
                vec![Annotation {
                    annotation_date: created.clone(),
                    annotation_type: "OTHER".to_string(),
                    annotator: tool.clone(),
                    comment: props
                        .iter()
                        .map(|(k, v)| format!("{k}={}", v.replace('\n', " ")))
                        .collect::<Vec<_>>()
                        .join("\n"),
                }]
            },
        });
    }

    let mut relationships = vec![Relationship {
        spdx_element_id: "SPDXRef-DOCUMENT".to_string(),
        relationship_type: "DESCRIBES".to_string(),
        related_spdx_element: ids[&g.root.bom_ref].clone(),
    }];
    for (from, tos) in &g.deps {
        let f = &ids[from];
        if tos.is_empty() {
            relationships.push(Relationship {
                spdx_element_id: f.clone(),
                relationship_type: "DEPENDS_ON".to_string(),
                related_spdx_element: "NONE".to_string(),
            });
        }
        for to in tos {
            let t = &ids[to];
            let scope = g.node(to).map_or(Scope::Required, |n| n.scope);
            let (a, ty, b) = match scope {
                Scope::Required => (f, "DEPENDS_ON", t),
                Scope::Dev => (t, "DEV_DEPENDENCY_OF", f),
                Scope::Optional => (t, "OPTIONAL_DEPENDENCY_OF", f),
                Scope::Build => (t, "BUILD_DEPENDENCY_OF", f),
            };
            relationships.push(Relationship {
                spdx_element_id: a.clone(),
                relationship_type: ty.to_string(),
                related_spdx_element: b.clone(),
            });
        }
    }
    for (holder, members) in &g.contained {
        for m in members {
            relationships.push(Relationship {
                spdx_element_id: ids[holder].clone(),
                relationship_type: "CONTAINS".to_string(),
                related_spdx_element: ids[m].clone(),
            });
        }
    }

    SpdxDocument {
        spdx_version: "SPDX-2.3".to_string(),
        data_license: "CC0-1.0".to_string(),
        spdx_id: "SPDXRef-DOCUMENT".to_string(),
        name: g.root.name.clone(),
        comment: unresolved_comment(g),
        document_namespace: String::new(),
        creation_info: CreationInfo { created, creators },
        packages,
        relationships,
        has_extracted_licensing_infos: extracted.into_iter().collect(),
    }
}

pub(crate) fn unresolved_comment(g: &Graph) -> Option<String> {
    (!g.unresolved.is_empty()).then(|| {
        g.unresolved
            .iter()
            .map(|(_, u)| {
                format!(
                    "annex:unresolved={} {} ({}:{})",
                    u.name, u.requirement, u.location.path, u.location.line
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

// ---- tag-value -------------------------------------------------------------------------

fn line(v: &str) -> String {
    v.replace(['\r', '\n'], " ")
}

fn text(v: &str) -> String {
    format!("<text>{}</text>", v.replace("</text>", "< /text>"))
}

/// Render a [`SpdxDocument`] as SPDX 2.3 tag-value.
pub fn write_tag_value(doc: &SpdxDocument) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(o, "SPDXVersion: {}", doc.spdx_version);
    let _ = writeln!(o, "DataLicense: {}", doc.data_license);
    let _ = writeln!(o, "SPDXID: {}", doc.spdx_id);
    let _ = writeln!(o, "DocumentName: {}", line(&doc.name));
    let _ = writeln!(o, "DocumentNamespace: {}", doc.document_namespace);
    if let Some(c) = &doc.comment {
        let _ = writeln!(o, "DocumentComment: {}", text(c));
    }
    let _ = writeln!(o, "\n## Creation Information");
    for c in &doc.creation_info.creators {
        let _ = writeln!(o, "Creator: {}", line(c));
    }
    let _ = writeln!(o, "Created: {}", doc.creation_info.created);
    for p in &doc.packages {
        let _ = writeln!(o, "\n## Package");
        let _ = writeln!(o, "PackageName: {}", line(&p.name));
        let _ = writeln!(o, "SPDXID: {}", p.spdx_id);
        if let Some(v) = &p.version_info {
            let _ = writeln!(o, "PackageVersion: {}", line(v));
        }
        let _ = writeln!(o, "PackageDownloadLocation: {}", p.download_location);
        let _ = writeln!(o, "FilesAnalyzed: {}", p.files_analyzed);
        for c in &p.checksums {
            let _ = writeln!(o, "PackageChecksum: {}: {}", c.algorithm, c.checksum_value);
        }
        let _ = writeln!(o, "PackageLicenseConcluded: {}", p.license_concluded);
        let _ = writeln!(o, "PackageLicenseDeclared: {}", p.license_declared);
        for r in &p.external_refs {
            let _ = writeln!(
                o,
                "ExternalRef: {} {} {}",
                r.reference_category, r.reference_type, r.reference_locator
            );
        }
        let _ = writeln!(o, "PrimaryPackagePurpose: {}", p.primary_package_purpose);
        for a in &p.annotations {
            let _ = writeln!(o, "Annotator: {}", line(&a.annotator));
            let _ = writeln!(o, "AnnotationDate: {}", a.annotation_date);
            let _ = writeln!(o, "AnnotationType: {}", a.annotation_type);
            let _ = writeln!(o, "SPDXREF: {}", p.spdx_id);
            let _ = writeln!(o, "AnnotationComment: {}", text(&a.comment));
        }
    }
    let _ = writeln!(o, "\n## Relationships");
    for r in &doc.relationships {
        let _ = writeln!(
            o,
            "Relationship: {} {} {}",
            r.spdx_element_id, r.relationship_type, r.related_spdx_element
        );
    }
    if !doc.has_extracted_licensing_infos.is_empty() {
        let _ = writeln!(o, "\n## Other Licensing Information");
        for l in &doc.has_extracted_licensing_infos {
            let _ = writeln!(o, "LicenseID: {}", l.license_id);
            let _ = writeln!(o, "ExtractedText: {}", text(&l.extracted_text));
            let _ = writeln!(o, "LicenseName: {}", line(&l.name));
        }
    }
    o
}
