//! Reading the VEX statements of a CSAF document (any profile; `product_status` is what
//! counts).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::lookup::{arr, covers, groups, strs};
use super::validate::mandatory_tests;
use crate::reader::{Reader, parse_json, push_unique};
use crate::statement::{ReadMode, VexDocument, VexError, VexFormat, VexProduct, VexStatement};
use crate::status::{Justification, VexStatus};

pub(crate) fn is_csaf(v: &Value) -> bool {
    v.get("document")
        .and_then(|d| d.get("csaf_version"))
        .is_some()
}

/// Reads the VEX statements of a CSAF 2.0 document.
pub fn read(bytes: &[u8], document: &str, mode: ReadMode) -> Result<VexDocument, VexError> {
    read_value(&parse_json(bytes, document)?, document, mode)
}

/// A product as the product tree defines it.
#[derive(Debug, Clone, Default)]
struct ProductDef {
    purl: Option<String>,
    /// For a relationship: the component and the product it relates to.
    component: Option<String>,
    parent: Option<String>,
}

fn collect_branch_products(v: &Value, defs: &mut BTreeMap<String, ProductDef>, depth: usize) {
    if depth > 64 {
        return;
    }
    if let Some(p) = v.get("product") {
        add_full_product_name(p, defs);
    }
    if let Some(bs) = v.get("branches").and_then(Value::as_array) {
        for b in bs {
            collect_branch_products(b, defs, depth + 1);
        }
    }
}

fn add_full_product_name(p: &Value, defs: &mut BTreeMap<String, ProductDef>) -> Option<String> {
    let id = p.get("product_id").and_then(Value::as_str)?.to_string();
    let purl = p
        .get("product_identification_helper")
        .and_then(|h| h.get("purl"))
        .and_then(Value::as_str)
        .map(str::to_string);
    defs.entry(id.clone()).or_insert(ProductDef {
        purl,
        ..ProductDef::default()
    });
    Some(id)
}

fn product_defs(tree: Option<&Value>) -> BTreeMap<String, ProductDef> {
    let mut defs = BTreeMap::new();
    let Some(tree) = tree else {
        return defs;
    };
    collect_branch_products(tree, &mut defs, 0);
    for p in arr(tree.get("full_product_names")) {
        add_full_product_name(p, &mut defs);
    }
    for r in arr(tree.get("relationships")) {
        if let Some(id) = r
            .get("full_product_name")
            .and_then(|p| add_full_product_name(p, &mut defs))
            && let Some(d) = defs.get_mut(&id)
        {
            d.component = r
                .get("product_reference")
                .and_then(Value::as_str)
                .map(str::to_string);
            d.parent = r
                .get("relates_to_product_reference")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
    }
    defs
}

/// The package a product id stands for, and the products containing it.
fn resolve_product(id: &str, defs: &BTreeMap<String, ProductDef>) -> (VexProduct, Vec<VexProduct>) {
    let mut parents = Vec::new();
    let mut current = id.to_string();
    let mut seen = BTreeSet::new();
    while let Some(d) = defs.get(&current) {
        if !seen.insert(current.clone()) || d.purl.is_some() {
            break;
        }
        let Some(component) = &d.component else {
            break;
        };
        if let Some(p) = &d.parent {
            let purl = defs.get(p).and_then(|x| x.purl.clone());
            parents.push(VexProduct {
                purl,
                name: None,
                id: Some(p.clone()),
            });
        }
        current = component.clone();
    }
    let purl = defs.get(&current).and_then(|d| d.purl.clone());
    (
        VexProduct {
            purl,
            name: None,
            id: Some(id.to_string()),
        },
        parents,
    )
}

const STATUS_LISTS: [(&str, Option<VexStatus>); 8] = [
    ("known_not_affected", Some(VexStatus::NotAffected)),
    ("known_affected", Some(VexStatus::Affected)),
    ("first_affected", Some(VexStatus::Affected)),
    ("last_affected", Some(VexStatus::Affected)),
    ("fixed", Some(VexStatus::Fixed)),
    ("first_fixed", Some(VexStatus::Fixed)),
    ("under_investigation", Some(VexStatus::UnderInvestigation)),
    ("recommended", None),
];

pub(crate) fn read_value(
    doc: &Value,
    document: &str,
    mode: ReadMode,
) -> Result<VexDocument, VexError> {
    let mut r = Reader::new(document, VexFormat::Csaf);
    let top = doc
        .as_object()
        .ok_or_else(|| r.invalid("", "expected a JSON object"))?;
    let d = top
        .get("document")
        .and_then(Value::as_object)
        .ok_or_else(|| r.invalid("/document", "expected an object"))?;
    match d.get("csaf_version").and_then(Value::as_str) {
        Some("2.0" | "2.1") => {}
        Some(v) => r.problem(
            "/document/csaf_version",
            format!("CSAF {v:?}: expected \"2.0\""),
        ),
        None => r.problem("/document/csaf_version", "should be a string"),
    }
    for key in ["category", "publisher", "title", "tracking"] {
        if !d.contains_key(key) {
            r.problem("/document", format!("missing required {key:?}"));
        }
    }
    for f in mandatory_tests(doc) {
        r.problem(
            &f.pointer,
            format!("mandatory test {}: {}", f.test, f.message),
        );
    }
    let tracking = d.get("tracking").and_then(Value::as_object);
    let id = tracking.and_then(|t| r.opt_str(t, "id", "/document/tracking"));
    let timestamp =
        tracking.and_then(|t| r.opt_time(t, "current_release_date", "/document/tracking"));
    let author = d
        .get("publisher")
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let defs = product_defs(top.get("product_tree"));
    let groups = groups(doc);
    let vulns = match top.get("vulnerabilities") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(r.invalid("/vulnerabilities", "expected an array")),
    };
    let mut out = Vec::new();
    for (i, v) in vulns.iter().enumerate() {
        let at = format!("/vulnerabilities/{i}");
        let Some(obj) = v.as_object() else {
            return Err(r.invalid(&at, "expected an object"));
        };
        let mut ids = Vec::new();
        if let Some(cve) = r.opt_str(obj, "cve", &at) {
            ids.push(cve.trim().to_string());
        }
        for x in arr(obj.get("ids")) {
            if let Some(t) = x.get("text").and_then(Value::as_str) {
                let t = t.trim().to_string();
                if !t.is_empty() {
                    push_unique(&mut ids, t);
                }
            }
        }
        let Some(status) = obj.get("product_status") else {
            continue;
        };
        if ids.is_empty() {
            r.problem(
                &at,
                "no \"cve\" or \"ids\": the statements name no vulnerability",
            );
            continue;
        }
        let flags = arr(obj.get("flags"));
        let threats = arr(obj.get("threats"));
        let remediations = arr(obj.get("remediations"));
        let vuln_time = r
            .opt_time(obj, "release_date", &at)
            .or_else(|| timestamp.clone());
        for (list, st) in STATUS_LISTS {
            let Some(st) = st else { continue };
            for (j, pid) in strs(status.get(list)).enumerate() {
                let pat = format!("{at}/product_status/{list}/{j}");
                let mut justification = None;
                for f in flags.iter().filter(|f| covers(f, pid, &groups)) {
                    match f.get("label").and_then(Value::as_str) {
                        Some(l) => match Justification::parse(l) {
                            Some(j) => justification = justification.or(Some(j)),
                            None => {
                                return Err(r.invalid(
                                    &format!("{at}/flags"),
                                    format!(
                                        "unknown flag label {l:?}; expected one of: {}",
                                        Justification::allowed()
                                    ),
                                ));
                            }
                        },
                        None => r.problem(&format!("{at}/flags"), "a flag without \"label\""),
                    }
                }
                let join = |items: &[Value], pred: &dyn Fn(&Value) -> bool| -> Option<String> {
                    let texts: Vec<&str> = items
                        .iter()
                        .filter(|x| pred(x) && covers(x, pid, &groups))
                        .filter_map(|x| x.get("details").and_then(Value::as_str))
                        .collect();
                    (!texts.is_empty()).then(|| texts.join("\n"))
                };
                let impact = join(threats, &|t| {
                    t.get("category").and_then(Value::as_str) == Some("impact")
                });
                let action = join(remediations, &|_| true);
                let (product, parents) = resolve_product(pid, &defs);
                let (impact_statement, action_statement, status_notes) = match st {
                    VexStatus::NotAffected => (impact, None, None),
                    VexStatus::Affected => (None, action, None),
                    _ => (None, None, action),
                };
                out.push(VexStatement {
                    vulnerabilities: ids.clone(),
                    products: vec![product],
                    parents,
                    status: st,
                    justification: justification.filter(|_| st == VexStatus::NotAffected),
                    source_justification: None,
                    impact_statement,
                    action_statement,
                    status_notes,
                    responses: Vec::new(),
                    source: r.source(&pat),
                    timestamp: vuln_time.clone(),
                    expires: None,
                });
            }
        }
    }
    r.finish(mode, id, author, timestamp, out)
}
