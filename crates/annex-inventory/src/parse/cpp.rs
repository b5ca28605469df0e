//! C and C++: `conan.lock` and `vcpkg.json`.
//!
//! `conan.lock` version 0.4 (Conan 1: `graph_lock.nodes`, node `0` is the consumer) and 0.5
//! (Conan 2: `requires`, `build_requires`, `python_requires`, `config_requires` lists of
//! `name/version[@user/channel][#rrev][%timestamp]`). Requires → required; build, python and
//! config requires (and Conan 1 nodes in the `build` context) → build. The Conan 2 lock
//! records no graph: no edges.
//!
//! `vcpkg.json` is a manifest — vcpkg has no lockfile (versions come from the registry
//! baseline at install time). A dependency gets a version only from an `overrides` entry
//! (exact) or its own `version>=` (the minimum the manifest asks for; the baseline may
//! raise it at install time); otherwise it is unresolved. `host` dependencies → build.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::builder::{Builder, Part, ROOT, make};
use super::error::{ParseError, check_size, invalid, unsupported};
use super::json;
use super::text::no_bom;
use crate::model::{Scope, Source, Subject};

const CONAN: &str = "ConanCenter";
const VCPKG: &str = "vcpkg";

struct ConanRef<'a> {
    name: &'a str,
    version: &'a str,
    user: Option<&'a str>,
    channel: Option<&'a str>,
    rrev: Option<&'a str>,
}

fn conan_ref(s: &str) -> Option<ConanRef<'_>> {
    let s = s.split('%').next()?; // timestamp
    let (s, rrev) = match s.split_once('#') {
        Some((a, r)) => (a, Some(r).filter(|r| !r.is_empty())),
        None => (s, None),
    };
    let (nv, uc) = match s.split_once('@') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let (name, version) = nv.split_once('/')?;
    let (user, channel) = match uc {
        Some(uc) => match uc.split_once('/') {
            Some((u, c)) => (Some(u), Some(c)),
            None => (Some(uc), None),
        },
        None => (None, None),
    };
    let valid = |x: &str| !x.is_empty() && !x.contains(char::is_whitespace);
    (valid(name) && valid(version)).then_some(ConanRef {
        name,
        version,
        user: user.filter(|u| !u.is_empty() && *u != "_"),
        channel: channel.filter(|c| !c.is_empty() && *c != "_"),
        rrev,
    })
}

fn conan_part<'a>(r: &ConanRef<'a>, scope: Scope, line: u64) -> Part<'a> {
    let mut q: Vec<(&str, &str)> = Vec::new();
    if let Some(u) = r.user {
        q.push(("user", u));
    }
    if let Some(c) = r.channel {
        q.push(("channel", c));
    }
    if let Some(rr) = r.rrev {
        q.push(("rrev", rr));
    }
    Part {
        name: r.name,
        version: r.version,
        purl: crate::purl::purl(CONAN, None, r.name, r.version, &q),
        scope,
        direct: false,
        line,
    }
}

/// `conan.lock`, versions 0.4 and 0.5.
pub fn conan_lock(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let text = no_bom(text);
    check_size(rel_path, text)?;
    let doc = json::object(rel_path, json::parse(rel_path, text)?, "conan.lock")?;
    let Some(v) = doc.get("version") else {
        return Err(invalid(
            rel_path,
            doc.line,
            doc.col,
            "conan.lock without `version`",
        ));
    };
    let version = v.as_str().unwrap_or("");
    let mut b = Builder::new(rel_path, CONAN, format!("conan.lock v{version}"));
    match version {
        "0.5" => {
            for (key, scope) in [
                ("requires", Scope::Required),
                ("build_requires", Scope::Build),
                ("python_requires", Scope::Build),
                ("config_requires", Scope::Build),
            ] {
                for item in doc.get(key).map(|x| x.items()).unwrap_or(&[]) {
                    let Some(s) = item.as_str() else {
                        return Err(invalid(
                            rel_path,
                            item.line,
                            item.col,
                            format!("`{key}` entries are strings"),
                        ));
                    };
                    let Some(r) = conan_ref(s) else {
                        return Err(ParseError::syntax(
                            rel_path,
                            item.line,
                            item.col,
                            "a reference `name/version[@user/channel][#rrev]`",
                        ));
                    };
                    let c = make(&b, conan_part(&r, scope, item.line));
                    b.push(c);
                }
            }
        }
        "0.4" => conan_v1(&mut b, rel_path, &doc)?,
        other => {
            let shown = if other.is_empty() { "?" } else { other };
            return Err(unsupported(rel_path, v.line, "conan.lock", shown));
        }
    }
    Ok(b.finish())
}

fn conan_v1(b: &mut Builder, rel_path: &str, doc: &json::Node) -> Result<(), ParseError> {
    let nodes = doc.get("graph_lock").and_then(|g| g.get("nodes"));
    let Some(nodes) = nodes.filter(|n| n.is_object()) else {
        return Err(invalid(
            rel_path,
            doc.line,
            doc.col,
            "conan.lock v0.4 without `graph_lock.nodes`",
        ));
    };
    let ids = |n: &json::Node, key: &str| -> Vec<String> {
        n.get(key)
            .map(|x| x.items())
            .unwrap_or(&[])
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect()
    };
    // Scope by reachability from the consumer (node "0", or the node without a ref).
    let root_id = if nodes.get("0").is_some() {
        "0".to_string()
    } else {
        nodes
            .members()
            .iter()
            .find(|m| m.value.str("ref").is_none())
            .map(|m| m.key.clone())
            .unwrap_or_default()
    };
    let mut scope: BTreeMap<String, Scope> = BTreeMap::new();
    let mut queue: VecDeque<(String, Scope)> = VecDeque::new();
    if let Some(root) = nodes.get(&root_id) {
        for id in ids(root, "requires") {
            queue.push_back((id, Scope::Required));
        }
        for key in ["build_requires", "python_requires"] {
            for id in ids(root, key) {
                queue.push_back((id, Scope::Build));
            }
        }
    }
    let mut seen: BTreeSet<(String, Scope)> = BTreeSet::new();
    while let Some((id, sc)) = queue.pop_front() {
        if !seen.insert((id.clone(), sc)) {
            continue;
        }
        let cur = scope.entry(id.clone()).or_insert(sc);
        if sc == Scope::Required {
            *cur = Scope::Required;
        }
        if let Some(n) = nodes.get(&id) {
            for next in ids(n, "requires") {
                queue.push_back((next, sc));
            }
            for key in ["build_requires", "python_requires"] {
                for next in ids(n, key) {
                    queue.push_back((next, Scope::Build));
                }
            }
        }
    }
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut root_deps: Vec<String> = Vec::new();
    for m in nodes.members() {
        if m.key == root_id {
            root_deps = ids(&m.value, "requires");
            root_deps.extend(ids(&m.value, "build_requires"));
            continue;
        }
        let Some(r) = m.value.str("ref") else {
            continue;
        };
        let Some(cref) = conan_ref(r) else {
            return Err(ParseError::syntax(
                rel_path,
                m.line,
                m.col,
                "a reference `name/version[@user/channel][#rrev]`",
            ));
        };
        let mut sc = scope.get(&m.key).copied().unwrap_or(Scope::Required);
        if m.value.str("context") == Some("build") {
            sc = Scope::Build;
        }
        let mut c = make(b, conan_part(&cref, sc, m.line));
        if let Some(p) = m.value.str("path") {
            c.source = Source::Path {
                path: p.to_string(),
            };
        }
        index.insert(m.key.clone(), b.push(c));
    }
    for id in &root_deps {
        if let Some(&i) = index.get(id)
            && let Some(c) = b.get_mut(i)
        {
            c.direct = true;
        }
    }
    for m in nodes.members() {
        let Some(&from) = index.get(&m.key) else {
            continue;
        };
        for key in ["requires", "build_requires", "python_requires"] {
            for id in ids(&m.value, key) {
                if let Some(&to) = index.get(&id) {
                    b.edge(from, to);
                }
            }
        }
    }
    b.edges_complete = true;
    Ok(())
}

/// `vcpkg.json` (manifest mode).
pub fn vcpkg(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let text = no_bom(text);
    check_size(rel_path, text)?;
    // vcpkg accepts comments in its JSON files ($-prefixed keys are the documented way, but
    // the tool's parser takes `//` comments too).
    let doc = json::object(rel_path, json::parse_jsonc(rel_path, text)?, "vcpkg.json")?;
    let mut b = Builder::new(rel_path, VCPKG, "vcpkg.json (manifest)");
    let own_version = [
        "version",
        "version-semver",
        "version-date",
        "version-string",
    ]
    .iter()
    .find_map(|k| doc.str(k));
    if let Some(name) = doc.str("name") {
        let v = own_version.unwrap_or("");
        let mut c = make(
            &b,
            Part {
                name,
                version: v,
                purl: crate::purl::purl(VCPKG, None, name, v, &[]),
                scope: Scope::Required,
                direct: false,
                line: doc.line,
            },
        );
        c.source = Source::Path {
            path: rel_path.to_string(),
        };
        b.root = Some(c);
    }
    let mut overrides: BTreeMap<String, String> = BTreeMap::new();
    for o in doc.get("overrides").map(|x| x.items()).unwrap_or(&[]) {
        let version = [
            "version",
            "version-semver",
            "version-date",
            "version-string",
        ]
        .iter()
        .find_map(|k| o.str(k));
        if let (Some(n), Some(v)) = (o.str("name"), version) {
            overrides.insert(n.to_ascii_lowercase(), v.to_string());
        }
    }
    for d in doc.get("dependencies").map(|x| x.items()).unwrap_or(&[]) {
        let (name, min, host) = match &d.value {
            json::Value::String(s) => (s.as_str(), None, false),
            json::Value::Object(_) => {
                let Some(n) = d.str("name") else {
                    return Err(invalid(
                        rel_path,
                        d.line,
                        d.col,
                        "a dependency without `name`",
                    ));
                };
                (n, d.str("version>="), d.flag("host"))
            }
            _ => {
                return Err(invalid(
                    rel_path,
                    d.line,
                    d.col,
                    "a dependency is a name or an object",
                ));
            }
        };
        let version = overrides
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
            .or(min);
        let Some(version) = version else {
            b.unresolved(name, "(version from the registry baseline)", d.line);
            continue;
        };
        let c = make(
            &b,
            Part {
                name,
                version,
                purl: crate::purl::purl(VCPKG, None, name, version, &[]),
                scope: if host { Scope::Build } else { Scope::Required },
                direct: true,
                line: d.line,
            },
        );
        let i = b.push(c);
        if b.root.is_some() {
            b.edge(ROOT, i);
        }
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs() {
        let r = conan_ref("zlib/1.2.11@user/stable#abc%123.4").unwrap();
        assert_eq!(
            (r.name, r.version, r.user, r.channel, r.rrev),
            ("zlib", "1.2.11", Some("user"), Some("stable"), Some("abc"))
        );
        let r = conan_ref("fmt/10.1.1").unwrap();
        assert_eq!((r.user, r.rrev), (None, None));
        assert!(conan_ref("nothing").is_none());
    }
}
