//! CSAF 2.0: reading VEX statements from CSAF documents (any profile; `product_status` is what
//! counts), a cheap subset of the specification's mandatory tests (section 6.1), and writing
//! the `csaf_security_advisory` and `csaf_vex` profiles for the project's own product.
//!
//! # Reading
//!
//! Each product of each `vulnerabilities[].product_status` list gives one [`VexStatement`]:
//! `known_not_affected` → `not_affected`; `known_affected`, `first_affected`, `last_affected` →
//! `affected`; `fixed`, `first_fixed` → `fixed`; `under_investigation` →
//! `under_investigation` (`recommended` is not a VEX status and is skipped). The ids are the
//! `cve` and `ids[].text`. The justification is the `flags[].label` naming the product (directly
//! or through a product group), the impact statement the `threats[]` of category `impact`, the
//! action statement the `remediations[]`. Product ids are resolved through the product tree to
//! `product_identification_helper.purl` (see [`crate::vex`] for relationships).
//!
//! # Mandatory tests
//!
//! [`mandatory_tests`] runs 6.1.1–6.1.7, 6.1.13, 6.1.14, 6.1.16–6.1.18, 6.1.21, 6.1.22 and the
//! profile tests 6.1.27.1–6.1.27.11. Reading reports their failures as problems (errors in
//! strict mode); writing checks its own output with them.
//!
//! # Writing
//!
//! [`security_advisory`] and [`vex`] describe one product (a [`CsafProduct`] the caller fills):
//! the product is a `vendor → product_name → product_version` branch; each vulnerable package
//! is a `full_product_names` entry with its purl, and a `default_component_of` relationship
//! makes "package as a component of the product" the product id the statuses name. Findings
//! sharing any id (advisory id or alias) are one vulnerability, so a CVE appears once.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::cvss::{CvssVersion, Rating};
use crate::matching::{Finding, FindingSeverity};
use crate::osv::{SeverityType, id_prefix};
use crate::triage::TriagedFinding;
use crate::vex::{
    Justification, ReadMode, Reader, Timestamp, VexDocument, VexError, VexFormat, VexProduct,
    VexStatement, VexStatus, default_action, finding_purl, is_purl, parse_json, push_unique,
    written,
};

pub const CSAF_VERSION: &str = "2.0";

// ---------------------------------------------------------------------------------------------
// Reading

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

fn arr(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn strs(v: Option<&Value>) -> impl Iterator<Item = &str> {
    arr(v).iter().filter_map(Value::as_str)
}

/// Product groups: group id → product ids.
fn groups(doc: &Value) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for g in arr(doc
        .get("product_tree")
        .and_then(|t| t.get("product_groups")))
    {
        if let Some(id) = g.get("group_id").and_then(Value::as_str) {
            out.insert(
                id.to_string(),
                strs(g.get("product_ids")).map(str::to_string).collect(),
            );
        }
    }
    out
}

/// Whether an item (flag, threat, remediation) names the product, directly or by group.
fn covers(item: &Value, pid: &str, groups: &BTreeMap<String, Vec<String>>) -> bool {
    strs(item.get("product_ids")).any(|p| p == pid)
        || strs(item.get("group_ids"))
            .any(|g| groups.get(g).is_some_and(|ps| ps.iter().any(|p| p == pid)))
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

// ---------------------------------------------------------------------------------------------
// Mandatory tests

/// A failed mandatory test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestFailure {
    /// The section of the CSAF 2.0 specification (`6.1.1`, `6.1.27.9`, …).
    pub test: &'static str,
    /// JSON pointer of the offending value.
    pub pointer: String,
    pub message: String,
}

/// Runs the implemented mandatory tests (see the module documentation) on a CSAF document.
pub fn mandatory_tests(doc: &Value) -> Vec<TestFailure> {
    let mut out = Vec::new();
    let mut fail = |test: &'static str, pointer: String, message: String| {
        out.push(TestFailure {
            test,
            pointer,
            message,
        });
    };
    let tree = doc.get("product_tree");
    let vulns = arr(doc.get("vulnerabilities"));

    // Definitions.
    let mut defined: BTreeMap<String, String> = BTreeMap::new();
    let mut definitions: Vec<(String, String)> = Vec::new();
    fn walk(v: &Value, at: &str, out: &mut Vec<(String, String)>, depth: usize) {
        if depth > 64 {
            return;
        }
        if let Some(id) = v
            .get("product")
            .and_then(|p| p.get("product_id"))
            .and_then(Value::as_str)
        {
            out.push((id.to_string(), format!("{at}/product/product_id")));
        }
        for (i, b) in arr(v.get("branches")).iter().enumerate() {
            walk(b, &format!("{at}/branches/{i}"), out, depth + 1);
        }
    }
    if let Some(t) = tree {
        walk(t, "/product_tree", &mut definitions, 0);
        for (i, p) in arr(t.get("full_product_names")).iter().enumerate() {
            if let Some(id) = p.get("product_id").and_then(Value::as_str) {
                definitions.push((
                    id.to_string(),
                    format!("/product_tree/full_product_names/{i}/product_id"),
                ));
            }
        }
        for (i, r) in arr(t.get("relationships")).iter().enumerate() {
            if let Some(id) = r
                .get("full_product_name")
                .and_then(|p| p.get("product_id"))
                .and_then(Value::as_str)
            {
                definitions.push((
                    id.to_string(),
                    format!("/product_tree/relationships/{i}/full_product_name/product_id"),
                ));
            }
        }
    }
    for (id, at) in definitions {
        match defined.entry(id) {
            std::collections::btree_map::Entry::Occupied(e) => fail(
                "6.1.2",
                at,
                format!("product id {:?} is defined more than once", e.key()),
            ),
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(at);
            }
        }
    }

    // References to product ids.
    let mut refs: Vec<(String, String)> = Vec::new();
    let push_refs = |v: Option<&Value>, at: String, refs: &mut Vec<(String, String)>| {
        for (i, x) in arr(v).iter().enumerate() {
            if let Some(s) = x.as_str() {
                refs.push((s.to_string(), format!("{at}/{i}")));
            }
        }
    };
    if let Some(t) = tree {
        for (i, g) in arr(t.get("product_groups")).iter().enumerate() {
            push_refs(
                g.get("product_ids"),
                format!("/product_tree/product_groups/{i}/product_ids"),
                &mut refs,
            );
        }
        for (i, r) in arr(t.get("relationships")).iter().enumerate() {
            for key in ["product_reference", "relates_to_product_reference"] {
                if let Some(s) = r.get(key).and_then(Value::as_str) {
                    refs.push((
                        s.to_string(),
                        format!("/product_tree/relationships/{i}/{key}"),
                    ));
                }
            }
        }
    }
    let mut group_refs: Vec<(String, String)> = Vec::new();
    for (i, v) in vulns.iter().enumerate() {
        let at = format!("/vulnerabilities/{i}");
        if let Some(ps) = v.get("product_status").and_then(Value::as_object) {
            for (k, list) in ps {
                push_refs(Some(list), format!("{at}/product_status/{k}"), &mut refs);
            }
        }
        for (key, ids) in [
            ("remediations", "product_ids"),
            ("scores", "products"),
            ("threats", "product_ids"),
            ("flags", "product_ids"),
        ] {
            for (j, x) in arr(v.get(key)).iter().enumerate() {
                push_refs(x.get(ids), format!("{at}/{key}/{j}/{ids}"), &mut refs);
                if key != "scores" {
                    for (k, g) in arr(x.get("group_ids")).iter().enumerate() {
                        if let Some(g) = g.as_str() {
                            group_refs
                                .push((g.to_string(), format!("{at}/{key}/{j}/group_ids/{k}")));
                        }
                    }
                }
            }
        }
    }
    for (id, at) in &refs {
        if !defined.contains_key(id) {
            fail(
                "6.1.1",
                at.clone(),
                format!("product id {id:?} is not defined"),
            );
        }
    }

    // 6.1.3 circular definitions.
    if let Some(t) = tree {
        let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
        for r in arr(t.get("relationships")) {
            if let Some(id) = r
                .get("full_product_name")
                .and_then(|p| p.get("product_id"))
                .and_then(Value::as_str)
            {
                for key in ["product_reference", "relates_to_product_reference"] {
                    if let Some(s) = r.get(key).and_then(Value::as_str) {
                        edges.entry(id).or_default().push(s);
                    }
                }
            }
        }
        for (i, r) in arr(t.get("relationships")).iter().enumerate() {
            let Some(id) = r
                .get("full_product_name")
                .and_then(|p| p.get("product_id"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let mut stack: Vec<&str> = edges.get(id).cloned().unwrap_or_default();
            let mut seen = BTreeSet::new();
            while let Some(n) = stack.pop() {
                if n == id {
                    fail(
                        "6.1.3",
                        format!("/product_tree/relationships/{i}/full_product_name/product_id"),
                        format!("product id {id:?} is defined through itself"),
                    );
                    break;
                }
                if seen.insert(n)
                    && let Some(next) = edges.get(n)
                {
                    stack.extend(next.iter().copied());
                }
            }
        }
    }

    // 6.1.4 / 6.1.5 product groups.
    let mut group_ids = BTreeSet::new();
    if let Some(t) = tree {
        for (i, g) in arr(t.get("product_groups")).iter().enumerate() {
            if let Some(id) = g.get("group_id").and_then(Value::as_str)
                && !group_ids.insert(id.to_string())
            {
                fail(
                    "6.1.5",
                    format!("/product_tree/product_groups/{i}/group_id"),
                    format!("product group id {id:?} is defined more than once"),
                );
            }
        }
    }
    for (g, at) in group_refs {
        if !group_ids.contains(&g) {
            fail(
                "6.1.4",
                at,
                format!("product group id {g:?} is not defined"),
            );
        }
    }

    // 6.1.6 contradicting product status; 6.1.7 multiple scores per product and version.
    for (i, v) in vulns.iter().enumerate() {
        let at = format!("/vulnerabilities/{i}");
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        if let Some(ps) = v.get("product_status").and_then(Value::as_object) {
            for (k, list) in ps {
                let group = match k.as_str() {
                    "first_affected" | "known_affected" | "last_affected" => "affected",
                    "known_not_affected" => "not affected",
                    "first_fixed" | "fixed" => "fixed",
                    "under_investigation" => "under investigation",
                    _ => continue,
                };
                for (j, p) in arr(Some(list)).iter().enumerate() {
                    let Some(p) = p.as_str() else { continue };
                    match seen.get(p) {
                        Some(g) if *g != group => fail(
                            "6.1.6",
                            format!("{at}/product_status/{k}/{j}"),
                            format!("product {p:?} is both {g} and {group}"),
                        ),
                        _ => {
                            seen.insert(p, group);
                        }
                    }
                }
            }
        }
        let mut scored: BTreeSet<(String, String)> = BTreeSet::new();
        for (j, s) in arr(v.get("scores")).iter().enumerate() {
            for key in ["cvss_v2", "cvss_v3"] {
                let Some(version) = s
                    .get(key)
                    .and_then(|c| c.get("version"))
                    .and_then(Value::as_str)
                else {
                    continue;
                };
                for p in strs(s.get("products")) {
                    if !scored.insert((p.to_string(), version.to_string())) {
                        fail(
                            "6.1.7",
                            format!("{at}/scores/{j}"),
                            format!("product {p:?} has more than one CVSS {version} score"),
                        );
                    }
                }
            }
        }
    }

    // 6.1.13 purls.
    let mut helpers: Vec<(String, &Value)> = Vec::new();
    fn branch_products<'a>(
        v: &'a Value,
        at: &str,
        out: &mut Vec<(String, &'a Value)>,
        depth: usize,
    ) {
        if depth > 64 {
            return;
        }
        if let Some(p) = v.get("product") {
            out.push((format!("{at}/product"), p));
        }
        for (i, b) in arr(v.get("branches")).iter().enumerate() {
            branch_products(b, &format!("{at}/branches/{i}"), out, depth + 1);
        }
    }
    if let Some(t) = tree {
        branch_products(t, "/product_tree", &mut helpers, 0);
        for (i, p) in arr(t.get("full_product_names")).iter().enumerate() {
            helpers.push((format!("/product_tree/full_product_names/{i}"), p));
        }
        for (i, r) in arr(t.get("relationships")).iter().enumerate() {
            if let Some(p) = r.get("full_product_name") {
                helpers.push((
                    format!("/product_tree/relationships/{i}/full_product_name"),
                    p,
                ));
            }
        }
    }
    for (at, p) in helpers {
        if let Some(purl) = p
            .get("product_identification_helper")
            .and_then(|h| h.get("purl"))
            .and_then(Value::as_str)
            && !is_purl(purl)
        {
            fail(
                "6.1.13",
                format!("{at}/product_identification_helper/purl"),
                format!("{purl:?} is not a valid purl"),
            );
        }
    }

    revision_tests(doc, &mut fail);
    profile_tests(doc, &mut fail);
    out
}

/// A document version: an integer or a semantic version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum DocVersion {
    Int(u64),
    Sem(semver::Version),
}

impl DocVersion {
    fn parse(s: &str) -> Option<DocVersion> {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return s.parse().ok().map(DocVersion::Int);
        }
        semver::Version::parse(s).ok().map(DocVersion::Sem)
    }

    fn major(&self) -> u64 {
        match self {
            DocVersion::Int(n) => *n,
            DocVersion::Sem(v) => v.major,
        }
    }

    fn is_prerelease(&self) -> bool {
        matches!(self, DocVersion::Sem(v) if !v.pre.is_empty())
    }

    /// Without build metadata (and without the pre-release part when `drop_pre`).
    fn comparable(&self, drop_pre: bool) -> DocVersion {
        match self {
            DocVersion::Int(n) => DocVersion::Int(*n),
            DocVersion::Sem(v) => {
                let mut v = v.clone();
                v.build = semver::BuildMetadata::EMPTY;
                if drop_pre {
                    v.pre = semver::Prerelease::EMPTY;
                }
                DocVersion::Sem(v)
            }
        }
    }
}

fn revision_tests(doc: &Value, fail: &mut dyn FnMut(&'static str, String, String)) {
    let Some(tracking) = doc.get("document").and_then(|d| d.get("tracking")) else {
        return;
    };
    let status = tracking.get("status").and_then(Value::as_str).unwrap_or("");
    let version = tracking.get("version").and_then(Value::as_str);
    type Item<'a> = (usize, Option<DateTime<Utc>>, Option<DocVersion>, &'a str);
    let items: Vec<Item<'_>> = arr(tracking.get("revision_history"))
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let date = r
                .get("date")
                .and_then(Value::as_str)
                .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                .map(|d| d.with_timezone(&Utc));
            let num = r.get("number").and_then(Value::as_str).unwrap_or("");
            (i, date, DocVersion::parse(num), num)
        })
        .collect();
    let rh = "/document/tracking/revision_history";
    // 6.1.22 multiple definition in revision history.
    let mut numbers = BTreeSet::new();
    for (i, _, _, num) in &items {
        if !numbers.insert(*num) {
            fail(
                "6.1.22",
                format!("{rh}/{i}/number"),
                format!("revision number {num:?} appears more than once"),
            );
        }
    }
    let parsed: Vec<(usize, DateTime<Utc>, DocVersion)> = items
        .iter()
        .filter_map(|(i, d, v, _)| Some((*i, (*d)?, v.clone()?)))
        .collect();
    let complete = parsed.len() == items.len() && !items.is_empty();
    // 6.1.14 sorted revision history: ordered by date, the numbers must increase.
    if complete {
        let mut by_date = parsed.clone();
        by_date.sort_by(|a, b| a.1.cmp(&b.1).then(a.2.cmp(&b.2)));
        for w in by_date.windows(2) {
            if w[1].2 < w[0].2 {
                fail(
                    "6.1.14",
                    format!("{rh}/{}/number", w[1].0),
                    "ordered by date, the revision numbers do not increase".into(),
                );
                break;
            }
        }
        // 6.1.16 latest document version.
        let latest = by_date.last().expect("non-empty");
        if let Some(v) = version.and_then(DocVersion::parse) {
            let drop_pre = status == "draft";
            if v.comparable(drop_pre) != latest.2.comparable(drop_pre) {
                fail(
                    "6.1.16",
                    "/document/tracking/version".into(),
                    format!(
                        "version {:?} is not the number of the latest revision ({:?})",
                        version.unwrap_or_default(),
                        items[latest.0].3
                    ),
                );
            }
        }
        // 6.1.21 missing item in revision history.
        let mut majors: Vec<u64> = parsed.iter().map(|p| p.2.major()).collect();
        majors.sort_unstable();
        majors.dedup();
        let integers = parsed.iter().all(|p| matches!(p.2, DocVersion::Int(_)));
        let first_ok = majors.first().is_some_and(|m| *m <= 1);
        let gaps = majors.windows(2).any(|w| w[1] - w[0] > 1);
        if !first_ok || gaps || (integers && majors.len() != parsed.len()) {
            fail(
                "6.1.21",
                rh.into(),
                "the revision history has a missing item (numbers must start at 0 or 1 without gaps)"
                    .into(),
            );
        }
    }
    // 6.1.17 document status draft.
    if let Some(v) = version.and_then(DocVersion::parse)
        && (v.major() == 0 || v.is_prerelease())
        && status != "draft"
    {
        fail(
            "6.1.17",
            "/document/tracking/status".into(),
            format!(
                "version {:?} requires status \"draft\"",
                version.unwrap_or_default()
            ),
        );
    }
    // 6.1.18 released revision history.
    if status == "final" || status == "interim" {
        for (i, _, v, num) in &items {
            if v.as_ref().is_some_and(|v| v.major() == 0) {
                fail(
                    "6.1.18",
                    format!("{rh}/{i}/number"),
                    format!("a {status} document has revision {num:?} (major version 0)"),
                );
            }
        }
    }
}

fn profile_tests(doc: &Value, fail: &mut dyn FnMut(&'static str, String, String)) {
    let d = doc.get("document");
    let category = d
        .and_then(|d| d.get("category"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let vulns = doc.get("vulnerabilities").and_then(Value::as_array);
    let informational = matches!(
        category,
        "csaf_informational_advisory" | "csaf_security_incident_response"
    );
    let advisory = category == "csaf_security_advisory";
    let is_vex = category == "csaf_vex";
    if informational {
        let ok = arr(d.and_then(|d| d.get("notes"))).iter().any(|n| {
            matches!(
                n.get("category").and_then(Value::as_str),
                Some("description" | "details" | "general" | "summary")
            )
        });
        if !ok {
            fail(
                "6.1.27.1",
                "/document/notes".into(),
                format!(
                    "{category} needs a note of category description, details, general or summary"
                ),
            );
        }
        let ok = arr(d.and_then(|d| d.get("references")))
            .iter()
            .any(|r| r.get("category").and_then(Value::as_str) == Some("external"));
        if !ok {
            fail(
                "6.1.27.2",
                "/document/references".into(),
                format!("{category} needs a reference of category external"),
            );
        }
    }
    if category == "csaf_informational_advisory" && vulns.is_some() {
        fail(
            "6.1.27.3",
            "/vulnerabilities".into(),
            "an informational advisory has no vulnerabilities".into(),
        );
    }
    if (advisory || is_vex) && doc.get("product_tree").is_none() {
        fail(
            "6.1.27.4",
            "/product_tree".into(),
            format!("{category} needs a product tree"),
        );
    }
    if (advisory || is_vex) && vulns.is_none() {
        fail(
            "6.1.27.11",
            "/vulnerabilities".into(),
            format!("{category} needs vulnerabilities"),
        );
    }
    if !(advisory || is_vex) {
        return;
    }
    let groups = groups(doc);
    for (i, v) in vulns.map_or(&[][..], Vec::as_slice).iter().enumerate() {
        let at = format!("/vulnerabilities/{i}");
        if v.get("notes").is_none() {
            fail(
                "6.1.27.5",
                format!("{at}/notes"),
                "the vulnerability has no notes".into(),
            );
        }
        let status = v.get("product_status");
        if advisory && status.is_none() {
            fail(
                "6.1.27.6",
                format!("{at}/product_status"),
                "the vulnerability has no product status".into(),
            );
        }
        if !is_vex {
            continue;
        }
        let vex_lists = [
            "fixed",
            "known_affected",
            "known_not_affected",
            "under_investigation",
        ];
        if !vex_lists
            .iter()
            .any(|k| status.and_then(|s| s.get(*k)).is_some())
        {
            fail(
                "6.1.27.7",
                format!("{at}/product_status"),
                "needs one of fixed, known_affected, known_not_affected, under_investigation"
                    .into(),
            );
        }
        if v.get("cve").is_none() && v.get("ids").is_none() {
            fail(
                "6.1.27.8",
                at.clone(),
                "the vulnerability has neither cve nor ids".into(),
            );
        }
        let flags = arr(v.get("flags"));
        let threats = arr(v.get("threats"));
        for (j, p) in strs(status.and_then(|s| s.get("known_not_affected"))).enumerate() {
            let flagged = flags.iter().any(|f| covers(f, p, &groups));
            let impact = threats.iter().any(|t| {
                t.get("category").and_then(Value::as_str) == Some("impact") && covers(t, p, &groups)
            });
            if !flagged && !impact {
                fail(
                    "6.1.27.9",
                    format!("{at}/product_status/known_not_affected/{j}"),
                    format!(
                        "product {p:?} is known not affected without an impact statement (flag or impact threat)"
                    ),
                );
            }
        }
        let remediations = arr(v.get("remediations"));
        for (j, p) in strs(status.and_then(|s| s.get("known_affected"))).enumerate() {
            if !remediations.iter().any(|r| covers(r, p, &groups)) {
                fail(
                    "6.1.27.10",
                    format!("{at}/product_status/known_affected/{j}"),
                    format!(
                        "product {p:?} is known affected without an action statement (remediation)"
                    ),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

/// `document.tracking.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrackingStatus {
    Draft,
    Interim,
    #[default]
    Final,
}

impl TrackingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TrackingStatus::Draft => "draft",
            TrackingStatus::Interim => "interim",
            TrackingStatus::Final => "final",
        }
    }
}

/// One entry of `document.tracking.revision_history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub date: DateTime<Utc>,
    /// An integer or a semantic version.
    pub number: String,
    pub summary: String,
}

/// The project's own product, as the caller knows it (from `annex.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsafProduct {
    pub name: String,
    pub version: String,
    /// The publisher (`document.publisher.name`) and the product tree's vendor branch.
    pub vendor: String,
    /// `document.publisher.namespace`: a URL of the vendor.
    pub vendor_namespace: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// `document.tracking.id`.
    pub tracking_id: String,
    pub initial_release_date: DateTime<Utc>,
    pub current_release_date: DateTime<Utc>,
    /// At least one entry; `tracking.version` is the number of the newest.
    pub revision_history: Vec<Revision>,
    #[serde(default)]
    pub status: TrackingStatus,
    /// BCP 47 (`en`).
    pub lang: String,
    /// `document.title`; a default naming the product is used when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl CsafProduct {
    /// A product released once, at `date`: revision "1", status final, English.
    pub fn new(
        name: impl Into<String>,
        version: impl Into<String>,
        vendor: impl Into<String>,
        vendor_namespace: impl Into<String>,
        tracking_id: impl Into<String>,
        date: DateTime<Utc>,
    ) -> CsafProduct {
        CsafProduct {
            name: name.into(),
            version: version.into(),
            vendor: vendor.into(),
            vendor_namespace: vendor_namespace.into(),
            purl: None,
            tracking_id: tracking_id.into(),
            initial_release_date: date,
            current_release_date: date,
            revision_history: vec![Revision {
                date,
                number: "1".into(),
                summary: "Initial version.".into(),
            }],
            status: TrackingStatus::Final,
            lang: "en".into(),
            title: None,
        }
    }
}

/// Options for [`security_advisory`] and [`vex`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsafOptions {
    /// `tracking.generator.date`.
    pub timestamp: Timestamp,
    /// The status of findings no statement triaged; `None` takes the profile's default
    /// (`affected` in an advisory, `under_investigation` in a VEX document).
    pub untriaged: Option<VexStatus>,
}

impl Default for CsafOptions {
    fn default() -> Self {
        CsafOptions {
            timestamp: Timestamp::Deterministic,
            untriaged: None,
        }
    }
}

/// Why a CSAF document cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsafError {
    #[error("CSAF product: {field} {message}")]
    InvalidProduct {
        field: &'static str,
        message: String,
    },
    #[error("a {0} document needs at least one finding")]
    NoFindings(&'static str),
    #[error("the CSAF document written fails mandatory tests: {}", .0.iter().map(|f| format!("{} {}: {}", f.test, f.pointer, f.message)).collect::<Vec<_>>().join("; "))]
    MandatoryTests(Vec<TestFailure>),
}

fn rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn check_product(p: &CsafProduct) -> Result<(), CsafError> {
    let bad = |field, message: &str| {
        Err(CsafError::InvalidProduct {
            field,
            message: message.into(),
        })
    };
    let trimmed = |s: &str| !s.is_empty() && s.trim() == s;
    if !trimmed(&p.name) {
        return bad("name", "must be non-empty without surrounding spaces");
    }
    if p.version.trim().is_empty() {
        return bad("version", "must not be empty");
    }
    if !trimmed(&p.vendor) {
        return bad("vendor", "must be non-empty without surrounding spaces");
    }
    let ns = p.vendor_namespace.as_str();
    if !(ns.starts_with("https://") || ns.starts_with("http://"))
        || ns.len() <= "https://".len()
        || ns.chars().any(char::is_whitespace)
    {
        return bad("vendor_namespace", "must be an http(s) URL");
    }
    if !trimmed(&p.tracking_id) {
        return bad(
            "tracking_id",
            "must be non-empty without surrounding spaces",
        );
    }
    if let Some(purl) = &p.purl
        && !is_purl(purl)
    {
        return bad("purl", "is not a valid purl");
    }
    let lang_ok = !p.lang.is_empty()
        && p.lang
            .split('-')
            .all(|s| !s.is_empty() && s.len() <= 8 && s.chars().all(|c| c.is_ascii_alphanumeric()))
        && p.lang.split('-').next().is_some_and(|s| {
            (2..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphabetic())
        });
    if !lang_ok {
        return bad("lang", "must be a BCP 47 language tag such as \"en\"");
    }
    if p.revision_history.is_empty() {
        return bad("revision_history", "needs at least one entry");
    }
    for r in &p.revision_history {
        if DocVersion::parse(&r.number).is_none() {
            return bad(
                "revision_history",
                &format!(
                    "number {:?} is neither an integer nor a semantic version",
                    r.number
                ),
            );
        }
        if r.summary.trim().is_empty() {
            return bad("revision_history", "every entry needs a summary");
        }
    }
    if p.current_release_date < p.initial_release_date {
        return bad("current_release_date", "is before the initial release date");
    }
    Ok(())
}

/// The CSAF `security_advisory` profile (`csaf_security_advisory`) for the product: every
/// triaged finding's package as a component of it, with its status (untriaged: `affected`).
pub fn security_advisory(
    product: &CsafProduct,
    triaged: &[TriagedFinding],
    options: &CsafOptions,
) -> Result<Value, CsafError> {
    build(product, triaged, options, "csaf_security_advisory")
}

/// The CSAF `csaf_vex` profile for the product (untriaged findings: `under_investigation`).
pub fn vex(
    product: &CsafProduct,
    triaged: &[TriagedFinding],
    options: &CsafOptions,
) -> Result<Value, CsafError> {
    build(product, triaged, options, "csaf_vex")
}

/// A vulnerability's findings with one product id per package.
struct Group<'a> {
    ids: Vec<String>,
    /// product id → (status, the triaged finding deciding it).
    products: BTreeMap<String, (VexStatus, &'a TriagedFinding)>,
    summary: Option<String>,
}

fn status_rank(s: VexStatus) -> u8 {
    match s {
        VexStatus::Affected => 3,
        VexStatus::UnderInvestigation => 2,
        VexStatus::Fixed => 1,
        VexStatus::NotAffected => 0,
    }
}

fn build(
    product: &CsafProduct,
    triaged: &[TriagedFinding],
    options: &CsafOptions,
    category: &'static str,
) -> Result<Value, CsafError> {
    check_product(product)?;
    let is_vex = category == "csaf_vex";
    if triaged.is_empty() {
        return Err(CsafError::NoFindings(if is_vex {
            "csaf_vex"
        } else {
            "csaf_security_advisory"
        }));
    }
    let untriaged = options.untriaged.unwrap_or(if is_vex {
        VexStatus::UnderInvestigation
    } else {
        VexStatus::Affected
    });
    const PRODUCT_ID: &str = "CSAFPID-0001";
    let product_full_name = format!("{} {}", product.name, product.version);

    // Components, numbered in purl order.
    let purls: BTreeSet<String> = triaged.iter().map(|t| finding_purl(&t.finding)).collect();
    let component_ids: BTreeMap<&str, (String, String)> = purls
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let n = i + 1;
            (
                p.as_str(),
                (format!("CSAFPID-C{n:04}"), format!("CSAFPID-0001-C{n:04}")),
            )
        })
        .collect();

    // Group findings sharing any id.
    let mut parent: Vec<usize> = (0..triaged.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (i, t) in triaged.iter().enumerate() {
        for id in std::iter::once(&t.finding.id).chain(&t.finding.aliases) {
            let key = id.to_ascii_uppercase();
            match by_id.get(&key) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
                None => {
                    by_id.insert(key, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Group<'_>> = BTreeMap::new();
    for (i, t) in triaged.iter().enumerate() {
        let root = find(&mut parent, i);
        let g = groups.entry(root).or_insert_with(|| Group {
            ids: Vec::new(),
            products: BTreeMap::new(),
            summary: None,
        });
        for id in std::iter::once(&t.finding.id).chain(&t.finding.aliases) {
            if !g.ids.iter().any(|x| x.eq_ignore_ascii_case(id)) {
                g.ids.push(id.clone());
            }
        }
        if g.summary.is_none() {
            g.summary = t.finding.summary.clone();
        }
        let status = t.vex.as_ref().map_or(untriaged, |v| v.status);
        let pid = component_ids[finding_purl(&t.finding).as_str()].1.clone();
        match g.products.get(&pid) {
            Some((s, _)) if status_rank(*s) >= status_rank(status) => {}
            _ => {
                g.products.insert(pid, (status, t));
            }
        }
    }

    let mut vulnerabilities = Vec::new();
    for g in groups.values() {
        vulnerabilities.push(vulnerability(g, untriaged));
    }

    // Product tree.
    let mut own = Map::new();
    own.insert("name".into(), json!(product_full_name));
    own.insert("product_id".into(), json!(PRODUCT_ID));
    if let Some(p) = &product.purl {
        own.insert("product_identification_helper".into(), json!({ "purl": p }));
    }
    let mut full_product_names = Vec::new();
    let mut relationships = Vec::new();
    for (purl, (cid, rid)) in &component_ids {
        let f = &triaged
            .iter()
            .find(|t| finding_purl(&t.finding) == *purl)
            .expect("every purl comes from a finding")
            .finding;
        let cname = if f.package.version.is_empty() {
            f.package.name.clone()
        } else {
            format!("{} {}", f.package.name, f.package.version)
        };
        full_product_names.push(json!({
            "name": cname,
            "product_id": cid,
            "product_identification_helper": { "purl": purl },
        }));
        relationships.push(json!({
            "category": "default_component_of",
            "full_product_name": {
                "name": format!("{cname} as a component of {product_full_name}"),
                "product_id": rid,
            },
            "product_reference": cid,
            "relates_to_product_reference": PRODUCT_ID,
        }));
    }
    let mut tree = Map::new();
    tree.insert(
        "branches".into(),
        json!([{
            "category": "vendor",
            "name": product.vendor,
            "branches": [{
                "category": "product_name",
                "name": product.name,
                "branches": [{
                    "category": "product_version",
                    "name": product.version,
                    "product": Value::Object(own),
                }],
            }],
        }]),
    );
    tree.insert(
        "full_product_names".into(),
        Value::Array(full_product_names),
    );
    tree.insert("relationships".into(), Value::Array(relationships));

    // Document.
    let mut history = product.revision_history.clone();
    history.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| DocVersion::parse(&a.number).cmp(&DocVersion::parse(&b.number)))
    });
    let version = history.last().expect("checked non-empty").number.clone();
    let title = product.title.clone().unwrap_or_else(|| {
        if is_vex {
            format!("{product_full_name}: vulnerability exploitability (VEX)")
        } else {
            format!("{product_full_name}: vulnerabilities in dependencies")
        }
    });
    let affected = vulnerabilities.len();
    let summary = if is_vex {
        format!(
            "The exploitability of {affected} known {} in the components of {product_full_name}.",
            if affected == 1 {
                "vulnerability"
            } else {
                "vulnerabilities"
            }
        )
    } else {
        format!(
            "{affected} known {} in the components of {product_full_name}.",
            if affected == 1 {
                "vulnerability"
            } else {
                "vulnerabilities"
            }
        )
    };
    let document = json!({
        "category": category,
        "csaf_version": CSAF_VERSION,
        "lang": product.lang,
        "notes": [{ "category": "summary", "title": "Summary", "text": summary }],
        "publisher": {
            "category": "vendor",
            "name": product.vendor,
            "namespace": product.vendor_namespace,
        },
        "title": title,
        "tracking": {
            "current_release_date": rfc3339(&product.current_release_date),
            "generator": {
                "date": options.timestamp.rfc3339(),
                "engine": { "name": "annex", "version": env!("CARGO_PKG_VERSION") },
            },
            "id": product.tracking_id,
            "initial_release_date": rfc3339(&product.initial_release_date),
            "revision_history": history.iter().map(|r| json!({
                "date": rfc3339(&r.date),
                "number": r.number,
                "summary": r.summary,
            })).collect::<Vec<_>>(),
            "status": product.status.as_str(),
            "version": version,
        },
    });
    let mut doc = Map::new();
    doc.insert("document".into(), document);
    doc.insert("product_tree".into(), Value::Object(tree));
    doc.insert("vulnerabilities".into(), Value::Array(vulnerabilities));
    let doc = Value::Object(doc);
    let failures = mandatory_tests(&doc);
    if !failures.is_empty() {
        return Err(CsafError::MandatoryTests(failures));
    }
    Ok(doc)
}

fn is_cve(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("CVE-") else {
        return false;
    };
    let Some((year, num)) = rest.split_once('-') else {
        return false;
    };
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && num.len() >= 4
        && num.bytes().all(|b| b.is_ascii_digit())
}

fn vulnerability(g: &Group<'_>, untriaged: VexStatus) -> Value {
    let mut v = Map::new();
    let cve = g.ids.iter().find(|i| is_cve(i));
    if let Some(c) = cve {
        v.insert("cve".into(), json!(c));
    }
    let ids: Vec<Value> = g
        .ids
        .iter()
        .filter(|i| Some(*i) != cve)
        .map(|i| json!({ "system_name": id_prefix(i), "text": i }))
        .collect();
    if !ids.is_empty() {
        v.insert("ids".into(), Value::Array(ids));
    }
    let text = g
        .summary
        .clone()
        .unwrap_or_else(|| format!("{} affects components of this product.", g.ids[0]));
    v.insert(
        "notes".into(),
        json!([{ "category": "description", "title": "Summary", "text": text }]),
    );
    let mut status: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut flags: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut threats: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut remediations: BTreeMap<(&str, String), Vec<&str>> = BTreeMap::new();
    let mut scores: Vec<Value> = Vec::new();
    for (pid, (st, t)) in &g.products {
        let pid = pid.as_str();
        let list = match st {
            VexStatus::NotAffected => "known_not_affected",
            VexStatus::Affected => "known_affected",
            VexStatus::Fixed => "fixed",
            VexStatus::UnderInvestigation => "under_investigation",
        };
        status.entry(list).or_default().push(pid);
        let mut t2 = (*t).clone();
        if let Some(v) = t2.vex.as_mut() {
            v.status = *st;
        }
        let w = written(&t2, untriaged);
        match st {
            VexStatus::NotAffected => {
                if let Some(j) = w.justification {
                    flags.entry(j.as_str()).or_default().push(pid);
                }
                if let Some(i) = w.impact {
                    threats.entry(i).or_default().push(pid);
                }
            }
            VexStatus::Affected => {
                let category = if t.finding.nearest_fix.is_some() {
                    "vendor_fix"
                } else {
                    "none_available"
                };
                let details = w.action.unwrap_or_else(|| default_action(&t.finding));
                remediations
                    .entry((category, details))
                    .or_default()
                    .push(pid);
            }
            _ => {}
        }
        if let Some(s) = csaf_score(&t.finding, pid) {
            scores.push(s);
        }
    }
    let mut ps = Map::new();
    for (k, ids) in status {
        ps.insert(k.into(), json!(ids));
    }
    v.insert("product_status".into(), Value::Object(ps));
    if !flags.is_empty() {
        v.insert(
            "flags".into(),
            Value::Array(
                flags
                    .into_iter()
                    .map(|(l, ids)| json!({ "label": l, "product_ids": ids }))
                    .collect(),
            ),
        );
    }
    if !threats.is_empty() {
        v.insert(
            "threats".into(),
            Value::Array(
                threats
                    .into_iter()
                    .map(|(d, ids)| json!({ "category": "impact", "details": d, "product_ids": ids }))
                    .collect(),
            ),
        );
    }
    if !remediations.is_empty() {
        v.insert(
            "remediations".into(),
            Value::Array(
                remediations
                    .into_iter()
                    .map(|((c, d), ids)| json!({ "category": c, "details": d, "product_ids": ids }))
                    .collect(),
            ),
        );
    }
    if !scores.is_empty() {
        v.insert("scores".into(), Value::Array(scores));
    }
    let references: Vec<Value> = g
        .ids
        .iter()
        .map(|i| {
            let (_, url) = crate::vex::advisory_source(i);
            json!({ "category": "external", "summary": i, "url": url })
        })
        .collect();
    v.insert("references".into(), Value::Array(references));
    Value::Object(v)
}

/// The finding's preferred CVSS v3 score (else v2) as a CSAF score for one product. CSAF 2.0
/// knows no CVSS v4.
fn csaf_score(f: &Finding, pid: &str) -> Option<Value> {
    let pick = |want: &[CvssVersion]| -> Option<&FindingSeverity> {
        f.severity
            .iter()
            .chain(&f.severities)
            .find(|s| s.cvss_version.is_some_and(|v| want.contains(&v)) && s.score.is_some())
    };
    if let Some(s) = pick(&[CvssVersion::V3_1, CvssVersion::V3_0]) {
        let version = s.cvss_version?.as_str();
        let prefix = format!("CVSS:{version}/");
        if !s.vector.starts_with(&prefix) || !matches!(s.kind, SeverityType::CvssV3) {
            return None;
        }
        let severity = match s.rating? {
            Rating::None => "NONE",
            Rating::Low => "LOW",
            Rating::Medium => "MEDIUM",
            Rating::High => "HIGH",
            Rating::Critical => "CRITICAL",
        };
        return Some(json!({
            "products": [pid],
            "cvss_v3": {
                "version": version,
                "vectorString": s.vector,
                "baseScore": s.score?,
                "baseSeverity": severity,
            },
        }));
    }
    if let Some(s) = pick(&[CvssVersion::V2]) {
        let vector = s
            .vector
            .trim()
            .trim_start_matches("CVSS:2.0/")
            .trim_start_matches('(')
            .trim_end_matches(')');
        return Some(json!({
            "products": [pid],
            "cvss_v2": { "version": "2.0", "vectorString": vector, "baseScore": s.score? },
        }));
    }
    None
}
