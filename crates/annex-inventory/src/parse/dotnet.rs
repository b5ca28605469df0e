//! NuGet `packages.lock.json`, version 1 and 2 (2 adds `CentralTransitive` for central
//! package management). One section per target framework: a package locked for several
//! frameworks at one version is one component (first line), at several versions one per
//! version. `Direct` → direct; `Project` entries are projects of the same solution, not
//! packages. `contentHash` is the base64 SHA-512 of the `.nupkg`, reported in hex. The lock
//! does not record development-only packages: every package is required.

use std::collections::BTreeMap;

use annex_types::digest::{base64_decode, hex};

use super::builder::{Builder, Part, make};
use super::error::{ParseError, check_size, invalid, unsupported};
use super::json;
use super::text::no_bom;
use crate::model::{Hash, Scope, Subject};

const ECO: &str = annex_types::ecosystem::NUGET;

/// `packages.lock.json`.
pub fn packages_lock(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let text = no_bom(text);
    check_size(rel_path, text)?;
    let doc = json::object(rel_path, json::parse(rel_path, text)?, "packages.lock.json")?;
    let format = match doc.get("version") {
        Some(v) => match v.as_u64() {
            Some(n @ (1 | 2)) => format!("packages.lock.json v{n}"),
            _ => {
                let shown = match &v.value {
                    json::Value::Number(n) | json::Value::String(n) => n.clone(),
                    _ => "?".to_string(),
                };
                return Err(unsupported(rel_path, v.line, "packages.lock.json", shown));
            }
        },
        None => {
            return Err(invalid(
                rel_path,
                doc.line,
                doc.col,
                "packages.lock.json without `version`",
            ));
        }
    };
    let mut b = Builder::new(rel_path, ECO, format);
    for tfm in doc.get("dependencies").map(|d| d.members()).unwrap_or(&[]) {
        // name (lowercase) → index, within this framework.
        let mut here: BTreeMap<String, usize> = BTreeMap::new();
        let mut deps: Vec<(usize, Vec<String>)> = Vec::new();
        for m in tfm.value.members() {
            let e = &m.value;
            let kind = e.str("type").unwrap_or("");
            if kind.eq_ignore_ascii_case("project") {
                continue;
            }
            let Some(version) = e.str("resolved").filter(|v| !v.is_empty()) else {
                b.unresolved(&m.key, e.str("requested").unwrap_or(""), m.line);
                continue;
            };
            let mut c = make(
                &b,
                Part {
                    name: &m.key,
                    version,
                    purl: crate::purl::purl(ECO, None, &m.key, version, &[]),
                    scope: Scope::Required,
                    direct: kind.eq_ignore_ascii_case("direct"),
                    line: m.line,
                },
            );
            if let Some(h) = e.str("contentHash").and_then(base64_decode)
                && h.len() == 64
            {
                c.hashes.push(Hash {
                    alg: "sha512".to_string(),
                    value: hex(&h),
                });
            }
            let i = b.push(c);
            here.insert(m.key.to_ascii_lowercase(), i);
            let names = e.get("dependencies").map(|d| d.members()).unwrap_or(&[]);
            deps.push((
                i,
                names.iter().map(|d| d.key.to_ascii_lowercase()).collect(),
            ));
        }
        for (from, names) in deps {
            for n in names {
                if let Some(&to) = here.get(&n) {
                    b.edge(from, to);
                }
            }
        }
    }
    b.edges_complete = true;
    Ok(b.finish())
}
