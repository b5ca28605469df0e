//! OpenVEX 0.2.0: reading (conforming documents strictly, older or deviating ones leniently)
//! and writing one statement per entry.

use std::collections::BTreeSet;

use chrono::DateTime;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::entry::{VexEntry, written};
use crate::purl::is_purl;
use crate::reader::{Reader, as_object, is_iri, parse_json, push_unique, push_unique_str};
use crate::statement::{ReadMode, VexDocument, VexError, VexFormat, VexProduct, VexStatement};
use crate::status::{Justification, VexStatus};
use crate::timestamp::Timestamp;

/// The OpenVEX context written and expected.
pub const OPENVEX_CONTEXT: &str = "https://openvex.dev/ns/v0.2.0";

/// Reads an OpenVEX document.
pub fn read(bytes: &[u8], document: &str, mode: ReadMode) -> Result<VexDocument, VexError> {
    read_value(&parse_json(bytes, document)?, document, mode)
}

pub(crate) fn is_openvex(v: &Value) -> bool {
    v.get("@context")
        .and_then(Value::as_str)
        .is_some_and(|c| c.contains("openvex"))
}

const OPENVEX_TOP: &[&str] = &[
    "@context",
    "@id",
    "author",
    "role",
    "timestamp",
    "last_updated",
    "version",
    "statements",
    "tooling",
];
const OPENVEX_STATEMENT: &[&str] = &[
    "@id",
    "action_statement",
    "action_statement_timestamp",
    "impact_statement",
    "justification",
    "last_updated",
    "products",
    "status",
    "status_notes",
    "supplier",
    "timestamp",
    "version",
    "vulnerability",
];
const OPENVEX_COMPONENT: &[&str] = &["@id", "hashes", "identifiers", "subcomponents"];

pub(crate) fn read_value(
    v: &Value,
    document: &str,
    mode: ReadMode,
) -> Result<VexDocument, VexError> {
    let mut r = Reader::new(document, VexFormat::OpenVex);
    let top = as_object(&r, v, "")?;
    r.unknown_keys(top, OPENVEX_TOP, "");
    match top.get("@context").and_then(Value::as_str) {
        Some(c) if c.starts_with("https://openvex.dev/ns") => {}
        Some(c) => r.problem("/@context", format!("{c:?} is not an OpenVEX context")),
        None => r.problem("/@context", "missing"),
    }
    let id = r.opt_str(top, "@id", "");
    match &id {
        None => r.problem("", "missing required \"@id\""),
        Some(i) if !is_iri(i) => r.problem("/@id", format!("{i:?} is not an IRI")),
        Some(_) => {}
    }
    let author = r.opt_str(top, "author", "");
    if author.is_none() {
        r.problem("", "missing required \"author\"");
    }
    let timestamp = r.opt_time(top, "timestamp", "");
    if timestamp.is_none() {
        r.problem("", "missing required \"timestamp\"");
    }
    r.opt_time(top, "last_updated", "");
    match top.get("version") {
        Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n >= 1) => {}
        Some(_) => r.problem("/version", "should be an integer of at least 1"),
        None => r.problem("", "missing required \"version\""),
    }
    let statements = match top.get("statements") {
        Some(Value::Array(a)) => a,
        Some(_) => return Err(r.invalid("/statements", "expected an array of statements")),
        None => return Err(r.invalid("", "missing required \"statements\"")),
    };
    if statements.is_empty() {
        r.problem(
            "/statements",
            "an OpenVEX document needs at least one statement",
        );
    }
    let mut out = Vec::with_capacity(statements.len());
    let mut seen = BTreeSet::new();
    for (i, s) in statements.iter().enumerate() {
        let at = format!("/statements/{i}");
        if !seen.insert(s.to_string()) {
            r.problem(&at, "duplicate statement (statements must be unique)");
        }
        out.push(openvex_statement(&mut r, s, &at, timestamp.as_deref())?);
    }
    r.finish(mode, id, author, timestamp, out)
}

fn openvex_statement(
    r: &mut Reader<'_>,
    s: &Value,
    at: &str,
    doc_time: Option<&str>,
) -> Result<VexStatement, VexError> {
    let obj = as_object(r, s, at)?;
    r.unknown_keys(obj, OPENVEX_STATEMENT, at);
    if let Some(i) = r.opt_str(obj, "@id", at)
        && !is_iri(&i)
    {
        r.problem(&format!("{at}/@id"), format!("{i:?} is not an IRI"));
    }
    // Vulnerability.
    let vat = format!("{at}/vulnerability");
    let mut vulnerabilities = Vec::new();
    match obj.get("vulnerability") {
        Some(Value::Object(v)) => {
            r.unknown_keys(v, &["name", "@id", "aliases", "description"], &vat);
            let vid = r.opt_str(v, "@id", &vat);
            if let Some(i) = &vid
                && !is_iri(i)
            {
                r.problem(&format!("{vat}/@id"), format!("{i:?} is not an IRI"));
            }
            match r.opt_str(v, "name", &vat) {
                Some(n) if !n.trim().is_empty() => vulnerabilities.push(n.trim().to_string()),
                _ => {
                    r.problem(&vat, "missing required \"name\"");
                    // A bare id such as `CVE-2022-23628` in `@id` still names it.
                    match vid {
                        Some(i) if !i.trim().is_empty() => {
                            vulnerabilities.push(i.trim().to_string())
                        }
                        _ => return Err(r.invalid(&vat, "the vulnerability has no name")),
                    }
                }
            }
            match v.get("aliases") {
                None | Some(Value::Null) => {}
                Some(Value::Array(a)) => {
                    for (j, x) in a.iter().enumerate() {
                        match x.as_str() {
                            Some(x) => push_unique_str(&mut vulnerabilities, x.trim()),
                            None => r.problem(&format!("{vat}/aliases/{j}"), "should be a string"),
                        }
                    }
                }
                Some(_) => r.problem(&format!("{vat}/aliases"), "should be an array of strings"),
            }
        }
        Some(Value::String(n)) if !n.trim().is_empty() => {
            r.problem(
                &vat,
                "should be an object with a \"name\" (OpenVEX 0.0.x form)",
            );
            vulnerabilities.push(n.trim().to_string());
        }
        Some(_) => return Err(r.invalid(&vat, "expected an object with a \"name\"")),
        None => return Err(r.invalid(at, "missing required \"vulnerability\"")),
    }
    // Status and justification.
    let status = match obj.get("status") {
        Some(Value::String(s)) => VexStatus::parse(s).ok_or_else(|| {
            r.invalid(
                &format!("{at}/status"),
                format!(
                    "unknown status {s:?}; expected one of: {}",
                    VexStatus::allowed()
                ),
            )
        })?,
        Some(_) => return Err(r.invalid(&format!("{at}/status"), "expected a string")),
        None => return Err(r.invalid(at, "missing required \"status\"")),
    };
    let justification = match obj.get("justification") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(Justification::parse(s).ok_or_else(|| {
            r.invalid(
                &format!("{at}/justification"),
                format!(
                    "unknown justification {s:?}; expected one of: {}",
                    Justification::allowed()
                ),
            )
        })?),
        Some(_) => return Err(r.invalid(&format!("{at}/justification"), "expected a string")),
    };
    let impact_statement = r.opt_str(obj, "impact_statement", at);
    let action_statement = r.opt_str(obj, "action_statement", at);
    let status_notes = r.opt_str(obj, "status_notes", at);
    r.opt_str(obj, "supplier", at);
    for key in ["last_updated", "action_statement_timestamp"] {
        r.opt_time(obj, key, at);
    }
    if status == VexStatus::NotAffected && justification.is_none() && impact_statement.is_none() {
        r.problem(
            at,
            "a not_affected statement needs a justification or an impact_statement",
        );
    }
    if status == VexStatus::Affected && action_statement.is_none() {
        r.problem(at, "an affected statement needs an action_statement");
    }
    if let Some(v) = obj.get("version")
        && v.as_u64().is_none_or(|n| n < 1)
    {
        r.problem(
            &format!("{at}/version"),
            "should be an integer of at least 1",
        );
    }
    let timestamp = r
        .opt_time(obj, "timestamp", at)
        .or_else(|| doc_time.map(str::to_string));
    // Products.
    let mut products = Vec::new();
    let mut parents = Vec::new();
    match obj.get("products") {
        None | Some(Value::Null) => {}
        Some(Value::Array(a)) => {
            for (j, p) in a.iter().enumerate() {
                let pat = format!("{at}/products/{j}");
                let product = openvex_component(r, p, &pat, true)?;
                let subs = match p.get("subcomponents") {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Array(subs)) => {
                        let mut out = Vec::new();
                        for (k, s) in subs.iter().enumerate() {
                            let sat = format!("{pat}/subcomponents/{k}");
                            out.push(openvex_component(r, s, &sat, false)?);
                        }
                        out
                    }
                    Some(_) => {
                        r.problem(&format!("{pat}/subcomponents"), "should be an array");
                        Vec::new()
                    }
                };
                if subs.is_empty() {
                    push_unique(&mut products, product);
                } else {
                    push_unique(&mut parents, product);
                    for s in subs {
                        push_unique(&mut products, s);
                    }
                }
            }
        }
        Some(_) => r.problem(&format!("{at}/products"), "should be an array"),
    }
    Ok(VexStatement {
        vulnerabilities,
        products,
        parents,
        status,
        justification,
        source_justification: None,
        impact_statement,
        action_statement,
        status_notes,
        responses: Vec::new(),
        source: r.source(at),
        timestamp,
        expires: None,
    })
}

fn openvex_component(
    r: &mut Reader<'_>,
    p: &Value,
    at: &str,
    top: bool,
) -> Result<VexProduct, VexError> {
    let obj = match p {
        Value::Object(o) => o,
        Value::String(s) => {
            r.problem(at, "should be an object with \"@id\" (OpenVEX 0.0.x form)");
            return Ok(product_from_iri(s));
        }
        _ => return Err(r.invalid(at, "expected an object with \"@id\" or \"identifiers\"")),
    };
    let known: &[&str] = if top {
        OPENVEX_COMPONENT
    } else {
        &OPENVEX_COMPONENT[..3]
    };
    r.unknown_keys(obj, known, at);
    let id = r.opt_str(obj, "@id", at);
    if let Some(i) = &id
        && !is_iri(i)
    {
        r.problem(&format!("{at}/@id"), format!("{i:?} is not an IRI"));
    }
    let mut purl = None;
    match obj.get("identifiers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(ids)) => {
            let iat = format!("{at}/identifiers");
            r.unknown_keys(ids, &["purl", "cpe22", "cpe23"], &iat);
            purl = r.opt_str(ids, "purl", &iat);
            if ids.is_empty() {
                r.problem(&iat, "needs one of purl, cpe22, cpe23");
            }
        }
        Some(_) => r.problem(&format!("{at}/identifiers"), "should be an object"),
    }
    if id.is_none() && !obj.contains_key("identifiers") {
        r.problem(at, "a component needs \"@id\" or \"identifiers\"");
    }
    let purl = purl.or_else(|| id.clone().filter(|i| is_purl(i)));
    Ok(VexProduct {
        purl,
        name: None,
        id,
    })
}

fn product_from_iri(s: &str) -> VexProduct {
    VexProduct {
        purl: is_purl(s).then(|| s.to_string()),
        name: None,
        id: Some(s.to_string()),
    }
}

/// Options for [`write`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenVexOptions {
    /// The document's author (required by OpenVEX).
    pub author: String,
    pub role: Option<String>,
    /// The purl of the product the findings belong to; when given, each statement names it as
    /// the product and the vulnerable package as its subcomponent.
    pub product: Option<String>,
    /// Written as `tooling`.
    pub tooling: Option<String>,
    /// Prefix of the document's `@id`, followed by a SHA-256 of the content.
    pub id_prefix: String,
    pub timestamp: Timestamp,
    /// The status of findings no statement triaged.
    pub untriaged: VexStatus,
}

impl OpenVexOptions {
    pub fn new(author: impl Into<String>) -> OpenVexOptions {
        OpenVexOptions {
            author: author.into(),
            role: None,
            product: None,
            tooling: Some(format!("annex {}", env!("CARGO_PKG_VERSION"))),
            id_prefix: "urn:annex:openvex:".into(),
            timestamp: Timestamp::default(),
            untriaged: VexStatus::UnderInvestigation,
        }
    }
}

fn hex_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An OpenVEX 0.2.0 document: one statement per entry (identical statements once).
/// The `@id` is derived from the content; the timestamp from `options.timestamp`.
pub fn write(entries: &[VexEntry], options: &OpenVexOptions) -> Value {
    let timestamp = options.timestamp.rfc3339();
    let mut statements: Vec<Value> = Vec::new();
    for t in entries {
        let w = written(t, options.untriaged);
        let purl = &t.package.purl;
        let mut vuln = Map::new();
        vuln.insert("name".into(), json!(t.id));
        let mut aliases = Vec::new();
        for a in &t.aliases {
            if a != &t.id {
                push_unique(&mut aliases, a.clone());
            }
        }
        if !aliases.is_empty() {
            vuln.insert("aliases".into(), json!(aliases));
        }
        let component = json!({ "@id": purl, "identifiers": { "purl": purl } });
        let product = match &options.product {
            Some(p) => json!({
                "@id": p,
                "identifiers": { "purl": p },
                "subcomponents": [component],
            }),
            None => component,
        };
        let mut s = Map::new();
        s.insert("vulnerability".into(), Value::Object(vuln));
        s.insert("products".into(), json!([product]));
        s.insert("status".into(), json!(w.status.as_str()));
        if let Some(j) = w
            .justification
            .filter(|_| w.status == VexStatus::NotAffected)
        {
            s.insert("justification".into(), json!(j.as_str()));
        }
        if let Some(i) = w.impact.filter(|_| w.status == VexStatus::NotAffected) {
            s.insert("impact_statement".into(), json!(i));
        }
        if let Some(a) = w.action.filter(|_| w.status == VexStatus::Affected) {
            s.insert("action_statement".into(), json!(a));
        }
        if let Some(n) = w.notes {
            s.insert("status_notes".into(), json!(n));
        }
        if let Some(ts) = t.vex.as_ref().and_then(|v| v.timestamp.as_deref())
            && DateTime::parse_from_rfc3339(ts).is_ok()
        {
            s.insert("timestamp".into(), json!(ts));
        }
        let s = Value::Object(s);
        if !statements.contains(&s) {
            statements.push(s);
        }
    }
    let mut doc = Map::new();
    doc.insert("@context".into(), json!(OPENVEX_CONTEXT));
    doc.insert("@id".into(), json!(""));
    doc.insert("author".into(), json!(options.author));
    if let Some(r) = &options.role {
        doc.insert("role".into(), json!(r));
    }
    doc.insert("timestamp".into(), json!(timestamp));
    doc.insert("version".into(), json!(1));
    if let Some(t) = &options.tooling {
        doc.insert("tooling".into(), json!(t));
    }
    doc.insert("statements".into(), Value::Array(statements));
    let digest = hex_digest(Value::Object(doc.clone()).to_string().as_bytes());
    doc.insert(
        "@id".into(),
        json!(format!("{}{digest}", options.id_prefix)),
    );
    Value::Object(doc)
}
