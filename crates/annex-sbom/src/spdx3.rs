//! SPDX 3.0.1 JSON-LD writer (core, software, simpleLicensing and extension profiles).
//!
//! The `@graph` holds, in this order:
//! - `CreationInfo` (blank node `_:creationinfo`, `specVersion` 3.0.1, `created` from
//!   [`Timestamp`](crate::Timestamp), `createdBy` the [`Creator`](crate::Creator) as an
//!   `Organization` with its e-mail as `externalIdentifier` — or, without one, a
//!   `SoftwareAgent` named after the tool — and `createdUsing` a `Tool`);
//! - the agent and the tool elements;
//! - `SpdxDocument` (its `spdxId` is the namespace itself, `comment` the unpinned
//!   requirements as in SPDX 2.3, `dataLicense` CC0-1.0,
//!   `rootElement` the SBOM, `element` everything else);
//! - `software_Sbom` (`software_sbomType` from [`Lifecycle`](crate::Lifecycle),
//!   `rootElement` the product);
//! - one `software_Package` per node (product first): `name`, `software_packageVersion`,
//!   `software_packageUrl` and the same purl as `externalIdentifier` `packageUrl`,
//!   `software_downloadLocation` for git and URL sources, `externalRef` `vcs` for git,
//!   `software_primaryPurpose` `library` (`application` for the product and subject
//!   roots), `verifiedUsing` `Hash` (`sha256`, `sha512`, …), and an
//!   `extension_CdxPropertiesExtension` with the annex facts (`annex:scope`,
//!   `annex:source-file`, …, the names CycloneDX uses);
//! - one `simplelicensing_LicenseExpression` per distinct declared expression (free text
//!   becomes a `LicenseRef-…` mapped by `simplelicensing_customIdToUri` to a
//!   `simplelicensing_SimpleLicensingText` holding it), and per package a
//!   `hasDeclaredLicense` relationship;
//! - dependencies as `LifecycleScopedRelationship`, one per (package, kind of target):
//!   `dependsOn` with `scope` `runtime` (required), `development` (dev), `build` (build),
//!   `hasOptionalDependency` with `scope` `runtime` (optional); `completeness` `complete`
//!   when the subject's format records the whole graph, `incomplete` when some edges are
//!   known, `noAssertion` otherwise; a node with a known empty list `dependsOn`
//!   `NoneElement` with completeness `complete`; components nothing depends on are held by
//!   `contains` from their subject root or the product.
//!
//! IRIs: the namespace `<base>/<name>-<uuid>` (UUID from the body written with an empty
//! namespace), elements `<namespace>#<SPDXRef-…>`, `#license-N`, `#rel-N`, `#sbom`,
//! `#tool`, `#agent`.

use std::collections::BTreeMap;

use annex_inventory::{Inventory, Scope, Source};
use serde_json::{Value, json};

use crate::conform;
use crate::error::Error;
use crate::graph::{self, Completeness, Graph, NodeKind};
use crate::licence::{self, Licence};
use crate::options::Options;
use crate::spdx2;

pub const CONTEXT: &str = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";

/// The SPDX 3.0.1 document of `inv` as a JSON value.
pub fn document(inv: &Inventory, opts: &Options) -> Result<Value, Error> {
    let g = graph::build(inv, opts);
    let ts = opts.timestamp.resolve(opts.build_time)?;
    let draft = build(&g, opts, &ts, "");
    let uuid = conform::content_uuid(&serde_json::to_vec(&draft)?);
    let ns = format!(
        "{}/{}-{}",
        opts.spdx_namespace_base.trim_end_matches('/'),
        conform::sanitize_id(&g.root.name),
        uuid
    );
    Ok(build(&g, opts, &ts, &ns))
}

/// SPDX 3.0.1 JSON-LD (pretty, trailing newline).
pub fn to_json_ld(inv: &Inventory, opts: &Options) -> Result<String, Error> {
    let mut s = serde_json::to_string_pretty(&document(inv, opts)?)?;
    s.push('\n');
    Ok(s)
}

fn build(g: &Graph, opts: &Options, created: &str, ns: &str) -> Value {
    let ids = spdx2::spdx_ids(g);
    let iri = |local: &str| format!("{ns}#{local}");
    let ci = "_:creationinfo";
    let tool_iri = iri("tool");
    let agent_iri = iri("agent");

    let mut graph_out: Vec<Value> = Vec::new();
    let mut elements: Vec<String> = Vec::new();

    graph_out.push(json!({
        "type": "CreationInfo",
        "@id": ci,
        "specVersion": "3.0.1",
        "created": created,
        "createdBy": [agent_iri],
        "createdUsing": [tool_iri],
    }));
    match &opts.creator {
        Some(c) => {
            let mut a = json!({
                "type": "Organization",
                "spdxId": agent_iri,
                "creationInfo": ci,
                "name": c.name,
            });
            if let Some(e) = &c.email {
                a["externalIdentifier"] = json!([{
                    "type": "ExternalIdentifier",
                    "externalIdentifierType": "email",
                    "identifier": e,
                }]);
            }
            if let Some(u) = &c.url {
                a["externalRef"] = json!([{
                    "type": "ExternalRef",
                    "externalRefType": "altWebPage",
                    "locator": [conform::clean_url(u)],
                }]);
            }
            graph_out.push(a);
        }
        None => graph_out.push(json!({
            "type": "SoftwareAgent",
            "spdxId": agent_iri,
            "creationInfo": ci,
            "name": opts.tool.name,
        })),
    }
    graph_out.push(json!({
        "type": "Tool",
        "spdxId": tool_iri,
        "creationInfo": ci,
        "name": format!("{}-{}", opts.tool.name, opts.tool.version),
    }));
    elements.push(agent_iri.clone());
    elements.push(tool_iri.clone());

    // Packages.
    let mut packages: Vec<Value> = Vec::new();
    let mut sbom_elements: Vec<String> = Vec::new();
    // Declared licence of each package, as (expression, custom texts).
    let mut declared: Vec<(String, String)> = Vec::new();
    let mut custom_texts: BTreeMap<String, String> = BTreeMap::new();
    for n in g.all() {
        let id = iri(&ids[&n.bom_ref]);
        let mut p = json!({
            "type": "software_Package",
            "spdxId": id,
            "creationInfo": ci,
            "name": n.name,
        });
        if let Some(v) = &n.version {
            p["software_packageVersion"] = json!(v);
        }
        if let Some(u) = &n.purl {
            p["software_packageUrl"] = json!(u);
            p["externalIdentifier"] = json!([{
                "type": "ExternalIdentifier",
                "externalIdentifierType": "packageUrl",
                "identifier": u,
            }]);
        }
        let dl = spdx2::download_location(n);
        if dl != "NOASSERTION" {
            p["software_downloadLocation"] = json!(dl);
        }
        if let Some(Source::Git { url, .. }) = &n.source
            && let Some(url) = conform::iri(url)
        {
            p["externalRef"] = json!([{
                "type": "ExternalRef",
                "externalRefType": "vcs",
                "locator": [url],
            }]);
        }
        p["software_primaryPurpose"] = json!(if n.kind == NodeKind::Component {
            "library"
        } else {
            "application"
        });
        let mut hashes: Vec<(String, String)> = n
            .hashes
            .iter()
            .filter_map(|h| {
                let (_, _, alg, len) = conform::hash_alg(&h.alg)?;
                conform::is_hex(&h.value, len)
                    .then(|| (alg.to_string(), h.value.to_ascii_lowercase()))
            })
            .collect();
        hashes.sort();
        hashes.dedup();
        if !hashes.is_empty() {
            p["verifiedUsing"] = Value::Array(
                hashes
                    .into_iter()
                    .map(|(a, v)| json!({"type": "Hash", "algorithm": a, "hashValue": v}))
                    .collect(),
            );
        }
        let props = n.annex_properties();
        if !props.is_empty() {
            p["extension"] = json!([{
                "type": "extension_CdxPropertiesExtension",
                "extension_cdxProperty": props
                    .iter()
                    .map(|(k, v)| json!({
                        "type": "extension_CdxPropertyEntry",
                        "extension_cdxPropName": k,
                        "extension_cdxPropValue": v,
                    }))
                    .collect::<Vec<_>>(),
            }]);
        }
        let licences: Vec<Licence> = n
            .licenses
            .iter()
            .map(|l| match licence::classify_licence(l) {
                Licence::Other(t) => {
                    let r = licence::licence_ref(&t);
                    custom_texts.insert(r.clone(), t);
                    Licence::Spdx(r)
                }
                s => s,
            })
            .collect();
        if let Some(e) = licence::combined_expression(&licences) {
            declared.push((id.clone(), e));
        }
        sbom_elements.push(id);
        packages.push(p);
    }

    // Licences: custom texts, then one expression element per distinct expression.
    let mut licence_elements: Vec<Value> = Vec::new();
    let mut text_iri: BTreeMap<String, String> = BTreeMap::new();
    for (i, (r, t)) in custom_texts.iter().enumerate() {
        let tid = iri(&format!("licence-text-{}", i + 1));
        licence_elements.push(json!({
            "type": "simplelicensing_SimpleLicensingText",
            "spdxId": tid,
            "creationInfo": ci,
            "name": r,
            "simplelicensing_licenseText": t,
        }));
        text_iri.insert(r.clone(), tid.clone());
        sbom_elements.push(tid);
    }
    let mut expressions: Vec<String> = declared.iter().map(|(_, e)| e.clone()).collect();
    expressions.sort();
    expressions.dedup();
    let mut expr_iri: BTreeMap<String, String> = BTreeMap::new();
    for (i, e) in expressions.iter().enumerate() {
        let lid = iri(&format!("license-{}", i + 1));
        let mut l = json!({
            "type": "simplelicensing_LicenseExpression",
            "spdxId": lid,
            "creationInfo": ci,
            "simplelicensing_licenseExpression": e,
        });
        let custom: Vec<Value> = text_iri
            .iter()
            .filter(|(r, _)| e.split([' ', '(', ')']).any(|t| t == r.as_str()))
            .map(|(r, t)| json!({"type": "DictionaryEntry", "key": r, "value": t}))
            .collect();
        if !custom.is_empty() {
            l["simplelicensing_customIdToUri"] = Value::Array(custom);
        }
        licence_elements.push(l);
        expr_iri.insert(e.clone(), lid.clone());
        sbom_elements.push(lid);
    }

    // Relationships.
    let mut rels: Vec<Value> = Vec::new();
    let mut next = 0usize;
    let mut rel_iri = || {
        next += 1;
        iri(&format!("rel-{next}"))
    };
    for (pkg, e) in &declared {
        rels.push(json!({
            "type": "Relationship",
            "spdxId": rel_iri(),
            "creationInfo": ci,
            "from": pkg,
            "relationshipType": "hasDeclaredLicense",
            "to": [expr_iri[e]],
        }));
    }
    for (from, tos) in &g.deps {
        let f = iri(&ids[from]);
        let compl = match g
            .node(from)
            .map_or(Completeness::Unknown, |n| n.completeness)
        {
            Completeness::Complete => "complete",
            Completeness::Incomplete => "incomplete",
            Completeness::Unknown => "noAssertion",
        };
        if tos.is_empty() {
            rels.push(json!({
                "type": "Relationship",
                "spdxId": rel_iri(),
                "creationInfo": ci,
                "from": f,
                "relationshipType": "dependsOn",
                "to": ["NoneElement"],
                "completeness": "complete",
            }));
            continue;
        }
        // (relationship type, scope) → targets
        let mut groups: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
        for t in tos {
            let key = match g.node(t).map_or(Scope::Required, |n| n.scope) {
                Scope::Required => ("dependsOn", "runtime"),
                Scope::Dev => ("dependsOn", "development"),
                Scope::Build => ("dependsOn", "build"),
                Scope::Optional => ("hasOptionalDependency", "runtime"),
            };
            groups.entry(key).or_default().push(iri(&ids[t]));
        }
        for ((ty, scope), to) in groups {
            rels.push(json!({
                "type": "LifecycleScopedRelationship",
                "spdxId": rel_iri(),
                "creationInfo": ci,
                "from": f,
                "relationshipType": ty,
                "to": to,
                "completeness": compl,
                "scope": scope,
            }));
        }
    }
    for (holder, members) in &g.contained {
        rels.push(json!({
            "type": "Relationship",
            "spdxId": rel_iri(),
            "creationInfo": ci,
            "from": iri(&ids[holder]),
            "relationshipType": "contains",
            "to": members.iter().map(|m| iri(&ids[m])).collect::<Vec<_>>(),
        }));
    }
    for r in &rels {
        if let Some(id) = r["spdxId"].as_str() {
            sbom_elements.push(id.to_string());
        }
    }

    let sbom_iri = iri("sbom");
    elements.push(sbom_iri.clone());
    elements.extend(sbom_elements.iter().cloned());
    let mut document = json!({
        "type": "SpdxDocument",
        "spdxId": ns,
        "creationInfo": ci,
        "name": g.root.name,
    });
    if let Some(c) = spdx2::unresolved_comment(g) {
        document["comment"] = json!(c);
    }
    document["dataLicense"] = json!("https://spdx.org/licenses/CC0-1.0");
    document["profileConformance"] = json!(["core", "software", "simpleLicensing", "extension"]);
    document["rootElement"] = json!([sbom_iri]);
    document["element"] = json!(elements);
    graph_out.push(document);
    graph_out.push(json!({
        "type": "software_Sbom",
        "spdxId": sbom_iri,
        "creationInfo": ci,
        "software_sbomType": [opts.lifecycle.spdx3()],
        "rootElement": [iri(&ids[&g.root.bom_ref])],
        "element": sbom_elements,
    }));
    graph_out.extend(packages);
    graph_out.extend(licence_elements);
    graph_out.extend(rels);

    json!({
        "@context": CONTEXT,
        "@graph": graph_out,
    })
}
