//! CycloneDX 1.6 / 1.7 writer: an own serde model of the parts annex writes, rendered as
//! JSON (serde) and XML (quick-xml, element order of the XSD).
//!
//! Mapping from the inventory:
//! - `metadata.timestamp` from [`Timestamp`](crate::Timestamp); `metadata.lifecycles` one
//!   phase ([`Lifecycle`](crate::Lifecycle)); `metadata.tools.components` annex with its
//!   version; `metadata.manufacturer` the [`Creator`](crate::Creator) when given;
//!   `metadata.component` the product (type `application`); `metadata.properties`
//!   `annex:unresolved` for each requirement without a pinned version.
//! - `components[]`: type `library` (subject roots `application`), `bom-ref` the component
//!   id (suffixed `|<subject path>` when two subjects share it), `group` the purl
//!   namespace for `npm` and `maven` with `name` the purl name, `version`, `purl`,
//!   `scope` (`required` → `required`, `optional` → `optional`, `dev` and `build` →
//!   `excluded`: CycloneDX defines excluded as "not part of the runtime"), `hashes` with
//!   the spec's names (`SHA-256`, `SHA-512`, …; values of the wrong length dropped),
//!   `licenses` one SPDX expression with `acknowledgement: declared` (several licences
//!   joined with `AND`; free text as named licences instead), `externalReferences` `vcs`
//!   for git sources (the revision in the comment) and `distribution` for URL sources,
//!   `properties` `annex:direct`, `annex:scope` (the exact inventory scope),
//!   `annex:source-file`, `annex:source-line`, and `annex:source-path` for path sources.
//! - `dependencies[]`: one entry per node whose dependency list is known (an empty
//!   `dependsOn` states a leaf); the product depends on the subject roots or, without a
//!   root, on the direct components.
//! - `compositions[]`: one per aggregate (`complete` when the subject's format records
//!   the whole graph and nothing is unresolved, `incomplete` when some edges are known,
//!   `unknown` when none are), listing the nodes in `dependencies`.
//! - `serialNumber`: `urn:uuid:` + `content_uuid` (SHA-256 of the body, shaped as a UUID) of the compact JSON
//!   body written with an empty serial number, so the same inventory and options give
//!   the same serial number in JSON and XML.

use std::collections::BTreeMap;

use annex_inventory::{Scope, Source};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use serde::{Deserialize, Serialize};

use crate::conform;
use crate::error::Error;
use crate::graph::{self, Completeness, Graph, Node, NodeKind};
use crate::licence::{self, Licence};
use crate::options::Options;
use annex_inventory::Inventory;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bom {
    #[serde(rename = "$schema")]
    pub schema: String,
    pub bom_format: String,
    pub spec_version: String,
    pub serial_number: String,
    pub version: u32,
    pub metadata: Metadata,
    pub components: Vec<CdxComponent>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compositions: Vec<Composition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub timestamp: String,
    pub lifecycles: Vec<LifecyclePhase>,
    pub tools: Tools,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<OrganizationalEntity>,
    pub component: CdxComponent,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecyclePhase {
    pub phase: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tools {
    pub components: Vec<CdxComponent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationalEntity {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub url: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact: Vec<OrganizationalContact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationalContact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CdxComponent {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(rename = "bom-ref", default, skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<CdxHash>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<LicenseChoice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_references: Vec<ExternalReference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CdxHash {
    pub alg: String,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LicenseChoice {
    Expression {
        expression: String,
        acknowledgement: String,
    },
    License {
        license: NamedLicense,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedLicense {
    pub name: String,
    pub acknowledgement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalReference {
    #[serde(rename = "type")]
    pub ty: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dependency {
    #[serde(rename = "ref")]
    pub reference: String,
    pub depends_on: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Composition {
    pub aggregate: String,
    pub dependencies: Vec<String>,
}

/// The CycloneDX model of `inv` (serial number filled in).
pub fn bom(inv: &Inventory, opts: &Options) -> Result<Bom, Error> {
    let g = graph::build(inv, opts);
    let timestamp = opts.timestamp.resolve(opts.build_time)?;
    let mut bom = build(&g, opts, timestamp);
    let body = serde_json::to_vec(&bom)?;
    bom.serial_number = format!("urn:uuid:{}", conform::content_uuid(&body));
    Ok(bom)
}

/// CycloneDX JSON (pretty, two-space indent, trailing newline).
pub fn to_json(inv: &Inventory, opts: &Options) -> Result<String, Error> {
    let bom = bom(inv, opts)?;
    let mut s = serde_json::to_string_pretty(&bom)?;
    s.push('\n');
    Ok(s)
}

/// CycloneDX XML.
pub fn to_xml(inv: &Inventory, opts: &Options) -> Result<String, Error> {
    let bom = bom(inv, opts)?;
    write_xml(&bom).map_err(|e| Error::Xml(e.to_string()))
}

fn build(g: &Graph, opts: &Options, timestamp: String) -> Bom {
    let v = opts.cyclonedx_version.as_str();
    let metadata = Metadata {
        timestamp,
        lifecycles: vec![LifecyclePhase {
            phase: opts.lifecycle.cyclonedx().to_string(),
        }],
        tools: Tools {
            components: vec![CdxComponent {
                ty: "application".to_string(),
                bom_ref: None,
                group: None,
                name: opts.tool.name.clone(),
                version: Some(opts.tool.version.clone()),
                scope: None,
                hashes: Vec::new(),
                licenses: Vec::new(),
                purl: None,
                external_references: Vec::new(),
                properties: Vec::new(),
            }],
        },
        manufacturer: opts.creator.as_ref().map(|c| OrganizationalEntity {
            name: c.name.clone(),
            url: c.url.iter().map(|u| conform::clean_url(u)).collect(),
            contact: c
                .email
                .iter()
                .map(|e| OrganizationalContact {
                    name: None,
                    email: Some(e.clone()),
                })
                .collect(),
        }),
        component: component(&g.root),
        properties: g
            .unresolved
            .iter()
            .map(|(_, u)| Property {
                name: "annex:unresolved".to_string(),
                value: format!(
                    "{} {} ({}:{})",
                    u.name, u.requirement, u.location.path, u.location.line
                ),
            })
            .collect(),
    };
    let components: Vec<CdxComponent> = g.nodes.iter().map(component).collect();
    let dependencies = g
        .deps
        .iter()
        .map(|(r, to)| Dependency {
            reference: r.clone(),
            depends_on: to.iter().cloned().collect(),
        })
        .collect();
    let mut by_agg: BTreeMap<Completeness, Vec<String>> = BTreeMap::new();
    for n in g.all() {
        by_agg
            .entry(n.completeness)
            .or_default()
            .push(n.bom_ref.clone());
    }
    let compositions = by_agg
        .into_iter()
        .map(|(c, mut refs)| {
            refs.sort();
            Composition {
                aggregate: c.cyclonedx().to_string(),
                dependencies: refs,
            }
        })
        .collect();
    Bom {
        schema: format!("http://cyclonedx.org/schema/bom-{v}.schema.json"),
        bom_format: "CycloneDX".to_string(),
        spec_version: v.to_string(),
        serial_number: String::new(),
        version: 1,
        metadata,
        components,
        dependencies,
        compositions,
    }
}

/// `group`/`name` for a node: the purl namespace and name for npm and Maven.
fn group_name(n: &Node) -> (Option<String>, String) {
    if let Some(p) = n.purl.as_deref()
        && let Some(pp) = annex_types::purl::parse_lenient(p)
        && matches!(pp.ty.as_str(), "npm" | "maven")
        && let Some(ns) = pp.namespace
    {
        return (Some(ns), pp.name);
    }
    (None, n.name.clone())
}

fn component(n: &Node) -> CdxComponent {
    let (group, name) = group_name(n);
    let mut hashes: Vec<CdxHash> = n
        .hashes
        .iter()
        .filter_map(|h| {
            let (alg, _, _, len) = conform::hash_alg(&h.alg)?;
            conform::is_hex(&h.value, len).then(|| CdxHash {
                alg: alg.to_string(),
                content: h.value.to_ascii_lowercase(),
            })
        })
        .collect();
    hashes.sort();
    hashes.dedup();

    let licences: Vec<Licence> = n
        .licenses
        .iter()
        .map(|l| licence::classify_licence(l))
        .collect();
    let licenses = match licence::combined_expression(&licences) {
        Some(e) => vec![LicenseChoice::Expression {
            expression: e,
            acknowledgement: "declared".to_string(),
        }],
        None => {
            let mut names: Vec<String> = licences
                .into_iter()
                .map(|l| match l {
                    Licence::Spdx(s) | Licence::Other(s) => s,
                })
                .collect();
            names.sort();
            names.dedup();
            names
                .into_iter()
                .map(|name| LicenseChoice::License {
                    license: NamedLicense {
                        name,
                        acknowledgement: "declared".to_string(),
                    },
                })
                .collect()
        }
    };

    let mut external_references = Vec::new();
    // Only valid IRIs: a source that is not one (a test lockfile's placeholder) has no
    // reference rather than an invalid document.
    match &n.source {
        Some(Source::Git { url, rev }) => {
            if let Some(url) = conform::iri(url) {
                external_references.push(ExternalReference {
                    ty: "vcs".to_string(),
                    url,
                    comment: rev.as_ref().map(|r| format!("revision {r}")),
                });
            }
        }
        Some(Source::Url { url }) => {
            if let Some(url) = conform::iri(url) {
                external_references.push(ExternalReference {
                    ty: "distribution".to_string(),
                    url,
                    comment: None,
                });
            }
        }
        Some(Source::Path { .. } | Source::Registry { .. }) | None => {}
    }
    let properties = n
        .annex_properties()
        .into_iter()
        .map(|(name, value)| Property {
            name: name.to_string(),
            value,
        })
        .collect();

    CdxComponent {
        ty: if n.kind == NodeKind::Component {
            "library"
        } else {
            "application"
        }
        .to_string(),
        bom_ref: Some(n.bom_ref.clone()),
        group,
        name,
        version: n.version.clone(),
        scope: (n.kind == NodeKind::Component).then(|| {
            match n.scope {
                Scope::Required => "required",
                Scope::Optional => "optional",
                Scope::Dev | Scope::Build => "excluded",
            }
            .to_string()
        }),
        hashes,
        licenses,
        purl: n.purl.clone(),
        external_references,
        properties,
    }
}

// ---- XML -------------------------------------------------------------------------------

type W = Writer<Vec<u8>>;
type R = std::io::Result<()>;

fn text_el(w: &mut W, name: &str, text: &str) -> R {
    w.create_element(name)
        .write_text_content(BytesText::new(&conform::xml_safe(text)))?;
    Ok(())
}

/// Render a [`Bom`] as CycloneDX XML of its `spec_version`, in the XSD's element order.
pub fn write_xml(bom: &Bom) -> std::io::Result<String> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let ns = format!("http://cyclonedx.org/schema/bom/{}", bom.spec_version);
    let version = bom.version.to_string();
    w.create_element("bom")
        .with_attribute(("xmlns", ns.as_str()))
        .with_attribute(("serialNumber", bom.serial_number.as_str()))
        .with_attribute(("version", version.as_str()))
        .write_inner_content(|w| {
            let m = &bom.metadata;
            w.create_element("metadata").write_inner_content(|w| {
                text_el(w, "timestamp", &m.timestamp)?;
                w.create_element("lifecycles").write_inner_content(|w| {
                    for l in &m.lifecycles {
                        w.create_element("lifecycle")
                            .write_inner_content(|w| text_el(w, "phase", &l.phase))?;
                    }
                    Ok(())
                })?;
                w.create_element("tools").write_inner_content(|w| {
                    w.create_element("components").write_inner_content(|w| {
                        for c in &m.tools.components {
                            xml_component(w, c)?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
                xml_component(w, &m.component)?;
                if let Some(mf) = &m.manufacturer {
                    w.create_element("manufacturer").write_inner_content(|w| {
                        text_el(w, "name", &mf.name)?;
                        for u in &mf.url {
                            text_el(w, "url", u)?;
                        }
                        for c in &mf.contact {
                            w.create_element("contact").write_inner_content(|w| {
                                if let Some(n) = &c.name {
                                    text_el(w, "name", n)?;
                                }
                                if let Some(e) = &c.email {
                                    text_el(w, "email", e)?;
                                }
                                Ok(())
                            })?;
                        }
                        Ok(())
                    })?;
                }
                xml_properties(w, &m.properties)?;
                Ok(())
            })?;
            w.create_element("components").write_inner_content(|w| {
                for c in &bom.components {
                    xml_component(w, c)?;
                }
                Ok(())
            })?;
            if !bom.dependencies.is_empty() {
                w.create_element("dependencies").write_inner_content(|w| {
                    for d in &bom.dependencies {
                        let el = w
                            .create_element("dependency")
                            .with_attribute(("ref", d.reference.as_str()));
                        if d.depends_on.is_empty() {
                            el.write_empty()?;
                        } else {
                            el.write_inner_content(|w| {
                                for t in &d.depends_on {
                                    w.create_element("dependency")
                                        .with_attribute(("ref", t.as_str()))
                                        .write_empty()?;
                                }
                                Ok(())
                            })?;
                        }
                    }
                    Ok(())
                })?;
            }
            if !bom.compositions.is_empty() {
                w.create_element("compositions").write_inner_content(|w| {
                    for c in &bom.compositions {
                        w.create_element("composition").write_inner_content(|w| {
                            text_el(w, "aggregate", &c.aggregate)?;
                            w.create_element("dependencies").write_inner_content(|w| {
                                for r in &c.dependencies {
                                    w.create_element("dependency")
                                        .with_attribute(("ref", r.as_str()))
                                        .write_empty()?;
                                }
                                Ok(())
                            })?;
                            Ok(())
                        })?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    let mut s = String::from_utf8(w.into_inner()).map_err(std::io::Error::other)?;
    s.push('\n');
    Ok(s)
}

fn xml_properties(w: &mut W, props: &[Property]) -> R {
    if props.is_empty() {
        return Ok(());
    }
    w.create_element("properties").write_inner_content(|w| {
        for p in props {
            w.create_element("property")
                .with_attribute(("name", conform::xml_safe(&p.name).as_ref()))
                .write_text_content(BytesText::new(&conform::xml_safe(&p.value)))?;
        }
        Ok(())
    })?;
    Ok(())
}

fn xml_component(w: &mut W, c: &CdxComponent) -> R {
    let mut el = w
        .create_element("component")
        .with_attribute(("type", c.ty.as_str()));
    let bom_ref = c.bom_ref.as_deref().map(conform::xml_safe);
    if let Some(r) = &bom_ref {
        el = el.with_attribute(("bom-ref", r.as_ref()));
    }
    el.write_inner_content(|w| {
        if let Some(g) = &c.group {
            text_el(w, "group", g)?;
        }
        text_el(w, "name", &c.name)?;
        if let Some(v) = &c.version {
            text_el(w, "version", v)?;
        }
        if let Some(s) = &c.scope {
            text_el(w, "scope", s)?;
        }
        if !c.hashes.is_empty() {
            w.create_element("hashes").write_inner_content(|w| {
                for h in &c.hashes {
                    w.create_element("hash")
                        .with_attribute(("alg", h.alg.as_str()))
                        .write_text_content(BytesText::new(&h.content))?;
                }
                Ok(())
            })?;
        }
        if !c.licenses.is_empty() {
            w.create_element("licenses").write_inner_content(|w| {
                for l in &c.licenses {
                    match l {
                        LicenseChoice::Expression {
                            expression,
                            acknowledgement,
                        } => {
                            w.create_element("expression")
                                .with_attribute(("acknowledgement", acknowledgement.as_str()))
                                .write_text_content(BytesText::new(&conform::xml_safe(
                                    expression,
                                )))?;
                        }
                        LicenseChoice::License { license } => {
                            w.create_element("license")
                                .with_attribute((
                                    "acknowledgement",
                                    license.acknowledgement.as_str(),
                                ))
                                .write_inner_content(|w| text_el(w, "name", &license.name))?;
                        }
                    }
                }
                Ok(())
            })?;
        }
        if let Some(p) = &c.purl {
            text_el(w, "purl", p)?;
        }
        if !c.external_references.is_empty() {
            w.create_element("externalReferences")
                .write_inner_content(|w| {
                    for r in &c.external_references {
                        w.create_element("reference")
                            .with_attribute(("type", r.ty.as_str()))
                            .write_inner_content(|w| {
                                text_el(w, "url", &r.url)?;
                                if let Some(cm) = &r.comment {
                                    text_el(w, "comment", cm)?;
                                }
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
        }
        xml_properties(w, &c.properties)?;
        Ok(())
    })?;
    Ok(())
}
