//! The mandatory tests of CSAF 2.0 (section 6.1) that annex implements: 6.1.1–6.1.7, 6.1.13,
//! 6.1.14, 6.1.16–6.1.18, 6.1.21, 6.1.22 and the profile tests 6.1.27.1–6.1.27.11.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::doc_version::DocVersion;
use super::lookup::{arr, covers, groups, strs};
use crate::purl::is_purl;

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
        // A document without revisions has no latest one to compare (6.1.16 does not apply).
        if let Some(latest) = by_date.last()
            && let Some(v) = version.and_then(DocVersion::parse)
        {
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
