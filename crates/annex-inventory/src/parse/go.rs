//! Go: `go.mod` (the main module's requirements; with Go's minimal version selection these
//! are the versions built) and `go.sum` (checksums).
//!
//! - `require` lines (single or block); `// indirect` marks a transitive requirement;
//! - `replace old [v] => new [v]`: the component is the replacement (its module path and
//!   version); a local directory replacement keeps the original path with a path source and
//!   no version; `exclude`, `retract`, `tool`, `godebug`, `ignore` and unknown directives are
//!   read and skipped;
//! - a `stdlib` component for the Go standard library (OSV's Go ecosystem names it so) at
//!   the `toolchain` version. Without a `toolchain` line the version that builds the module
//!   is not known: the `go` line is only the minimum (1.21 and later) or the language
//!   version (before), so `stdlib` is an unresolved entry (`>= go1.x`), never a guessed
//!   version that would report the old release's vulnerabilities;
//! - versions as written (`v1.2.3`, pseudo-versions, `+incompatible`);
//! - `go.sum`: `h1:` hashes with the algorithm `go-h1`: SHA-256 over the module's dirhash
//!   listing, not over any file, so an SBOM does not write them as SHA-256. Alone, a
//!   go.sum gives one component per module path: the highest version whose content (not
//!   only its go.mod) is listed. Beside a go.mod ([`go_mod_with_sum`]) it adds hashes, and
//!   for `go` < 1.17 — whose go.mod does not list every module built — the modules go.sum
//!   has content hashes for and go.mod does not mention.

use std::collections::{BTreeMap, HashMap};

use super::builder::{Builder, ROOT, component};
use super::error::ParseError;
use crate::model::{Hash, Source, Subject};
use crate::purl::purl;
use annex_types::digest::base64_to_hex;
use annex_types::ecosystem::GO;

/// A parsed `go.mod`.
#[derive(Debug, Default, Clone)]
pub struct GoMod {
    pub module: Option<(String, u64)>,
    pub go: Option<(String, u64)>,
    pub toolchain: Option<(String, u64)>,
    pub requires: Vec<Require>,
    pub replaces: Vec<Replace>,
    pub excludes: Vec<(String, String, u64)>,
}

#[derive(Debug, Clone)]
pub struct Require {
    pub path: String,
    pub version: String,
    pub indirect: bool,
    pub line: u64,
}

#[derive(Debug, Clone)]
pub struct Replace {
    pub old: String,
    pub old_version: Option<String>,
    pub new: String,
    pub new_version: Option<String>,
    pub line: u64,
}

/// Tokens of one line: (text, column), quoted strings unquoted; the comment, if any.
/// A line's tokens with their columns, and its comment.
type Tokens = (Vec<(String, u64)>, Option<String>);

fn tokens(line: &str) -> Result<Tokens, (u64, &'static str)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (off, c) = chars[i];
        let col = i as u64 + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if line[off..].starts_with("//") {
            return Ok((out, Some(line[off + 2..].trim().to_string())));
        }
        if c == '"' || c == '`' {
            let mut s = String::new();
            let mut j = i + 1;
            let mut closed = false;
            while j < chars.len() {
                let ch = chars[j].1;
                if ch == c {
                    closed = true;
                    break;
                }
                if c == '"' && ch == '\\' && j + 1 < chars.len() {
                    j += 1;
                    s.push(chars[j].1);
                } else {
                    s.push(ch);
                }
                j += 1;
            }
            if !closed {
                return Err((col, "a closing quote"));
            }
            out.push((s, col));
            i = j + 1;
            continue;
        }
        let start = off;
        let mut j = i;
        while j < chars.len() && !chars[j].1.is_whitespace() {
            if line[chars[j].0..].starts_with("//") {
                break;
            }
            j += 1;
        }
        let end = chars.get(j).map_or(line.len(), |(o, _)| *o);
        out.push((line[start..end].to_string(), col));
        i = j;
    }
    Ok((out, None))
}

fn is_version(v: &str) -> bool {
    v.starts_with('v') && v.len() > 1 && v[1..].starts_with(|c: char| c.is_ascii_digit())
}

fn is_local_path(p: &str) -> bool {
    p.starts_with("./")
        || p.starts_with("../")
        || p.starts_with('/')
        || p == "."
        || p == ".."
        || p.starts_with(".\\")
        || p.starts_with("..\\")
        || (p.len() > 2 && p.as_bytes()[1] == b':')
}

/// Read a `go.mod`.
pub fn read_go_mod(rel_path: &str, text: &str) -> Result<GoMod, ParseError> {
    let mut m = GoMod::default();
    let mut block: Option<(String, u64)> = None;
    for (n, raw) in text.lines().enumerate() {
        let ln = n as u64 + 1;
        let (toks, comment) =
            tokens(raw).map_err(|(col, what)| ParseError::syntax(rel_path, ln, col, what))?;
        if toks.is_empty() {
            continue;
        }
        let indirect = comment
            .as_deref()
            .is_some_and(|c| c == "indirect" || c.starts_with("indirect;"));
        let (verb, args): (String, &[(String, u64)]) = match &block {
            Some((verb, _)) => {
                if toks.len() == 1 && toks[0].0 == ")" {
                    block = None;
                    continue;
                }
                (verb.clone(), &toks[..])
            }
            None => {
                let verb = toks[0].0.clone();
                if toks.len() == 2 && toks[1].0 == "(" {
                    block = Some((verb, ln));
                    continue;
                }
                if toks.len() == 2 && toks[1].0 == "()" {
                    continue;
                }
                (verb, &toks[1..])
            }
        };
        let col_end = || raw.chars().count() as u64 + 1;
        let need = |k: usize, what: &str| -> Result<(), ParseError> {
            if args.len() < k {
                let col = args.last().map_or(col_end(), |(_, c)| *c);
                Err(ParseError::syntax(rel_path, ln, col, what.to_string()))
            } else {
                Ok(())
            }
        };
        match verb.as_str() {
            "module" => {
                need(1, "a module path")?;
                m.module = Some((args[0].0.clone(), ln));
            }
            "go" => {
                need(1, "a Go version")?;
                m.go = Some((args[0].0.clone(), ln));
            }
            "toolchain" => {
                need(1, "a toolchain name")?;
                m.toolchain = Some((args[0].0.clone(), ln));
            }
            "require" => {
                need(2, "a module path and a version")?;
                if !is_version(&args[1].0) {
                    return Err(ParseError::syntax(
                        rel_path,
                        ln,
                        args[1].1,
                        format!("a version like v1.2.3, found `{}`", args[1].0),
                    ));
                }
                m.requires.push(Require {
                    path: args[0].0.clone(),
                    version: args[1].0.clone(),
                    indirect,
                    line: ln,
                });
            }
            "exclude" => {
                need(2, "a module path and a version")?;
                m.excludes.push((args[0].0.clone(), args[1].0.clone(), ln));
            }
            "replace" => {
                let arrow = args.iter().position(|(t, _)| t == "=>").ok_or_else(|| {
                    ParseError::syntax(rel_path, ln, col_end(), "`=>` in the replace directive")
                })?;
                let (lhs, rhs) = (&args[..arrow], &args[arrow + 1..]);
                if lhs.is_empty() || lhs.len() > 2 || rhs.is_empty() || rhs.len() > 2 {
                    let col = args.first().map_or(1, |(_, c)| *c);
                    return Err(ParseError::syntax(
                        rel_path,
                        ln,
                        col,
                        "`old [version] => new [version]`",
                    ));
                }
                if rhs.len() == 1 && !is_local_path(&rhs[0].0) {
                    return Err(ParseError::syntax(
                        rel_path,
                        ln,
                        rhs[0].1,
                        "a version after the replacement module path (or a local directory)",
                    ));
                }
                m.replaces.push(Replace {
                    old: lhs[0].0.clone(),
                    old_version: lhs.get(1).map(|t| t.0.clone()),
                    new: rhs[0].0.clone(),
                    new_version: rhs.get(1).map(|t| t.0.clone()),
                    line: ln,
                });
            }
            // retract, tool, godebug, ignore and future directives do not change the build
            // list.
            _ => {}
        }
    }
    if let Some((verb, line)) = block {
        let last = text.lines().count() as u64 + 1;
        return Err(ParseError::syntax(
            rel_path,
            last,
            1,
            format!("`)` closing the `{verb} (` block of line {line}"),
        ));
    }
    Ok(m)
}

/// Go toolchain name (`go1.23.6`, `go1.23.6+auto`, `1.22`) → `v1.23.6`.
fn stdlib_version(v: &str) -> Option<String> {
    let v = v.strip_prefix("go").unwrap_or(v);
    let v = v.split(['+', '-', ' ']).next().unwrap_or(v);
    (!v.is_empty() && v.starts_with(|c: char| c.is_ascii_digit())).then(|| format!("v{v}"))
}

/// Go `go` directive "1.16" → (1, 16).
fn go_minor(v: &str) -> Option<(u64, u64)> {
    let mut it = v.split('.');
    let major = it.next()?.parse().ok()?;
    let minor = it.next().unwrap_or("0").parse().ok()?;
    Some((major, minor))
}

/// The go.mod subject.
pub fn go_mod(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    go_mod_with_sum(rel_path, text, None)
}

/// A go.mod with the go.sum beside it (`sum`: its path and its lines, from
/// [`read_go_sum`]; a go.sum that does not parse is the go.sum's own error).
pub fn go_mod_with_sum(
    rel_path: &str,
    text: &str,
    sum: Option<(&str, &[SumLine])>,
) -> Result<Subject, ParseError> {
    let m = read_go_mod(rel_path, text)?;
    let sums: &[SumLine] = sum.map_or(&[], |(_, s)| s);
    let mut hashes: HashMap<(&str, &str), Vec<Hash>> = HashMap::new();
    for s in sums {
        if !s.go_mod_only {
            hashes
                .entry((s.path.as_str(), s.version.as_str()))
                .or_default()
                .push(s.hash.clone());
        }
    }
    let mut b = Builder::new(rel_path, GO, "go.mod");
    if let Some((path, line)) = &m.module {
        let mut root = component(GO, path, "", purl(GO, None, path, "", &[]), rel_path, *line);
        root.source = Source::Path {
            path: ".".to_string(),
        };
        b.root = Some(root);
    }
    let replacement = |path: &str, version: &str| -> Option<&Replace> {
        // A versioned replace wins over an unversioned one.
        m.replaces
            .iter()
            .rev()
            .find(|r| r.old == path && r.old_version.as_deref() == Some(version))
            .or_else(|| {
                m.replaces
                    .iter()
                    .rev()
                    .find(|r| r.old == path && r.old_version.is_none())
            })
    };
    let mut mentioned: Vec<&str> = Vec::new();
    for r in &m.requires {
        mentioned.push(&r.path);
        let (name, version, source) = match replacement(&r.path, &r.version) {
            Some(rep) if rep.new_version.is_none() => (
                r.path.as_str(),
                String::new(),
                Source::Path {
                    path: rep.new.clone(),
                },
            ),
            Some(rep) => {
                mentioned.push(&rep.new);
                (
                    rep.new.as_str(),
                    rep.new_version.clone().unwrap_or_default(),
                    Source::Registry { url: None },
                )
            }
            None => (
                r.path.as_str(),
                r.version.clone(),
                Source::Registry { url: None },
            ),
        };
        let mut c = component(
            GO,
            name,
            &version,
            purl(GO, None, name, &version, &[]),
            rel_path,
            r.line,
        );
        c.direct = !r.indirect;
        c.source = source;
        if let Some(h) = hashes.get(&(name, version.as_str())) {
            c.hashes = h.clone();
        }
        let i = b.push(c);
        if !r.indirect {
            b.edge(ROOT, i);
        }
    }
    let go_version = m.go.as_ref().map(|(v, _)| v.as_str());
    let std = m
        .toolchain
        .as_ref()
        .and_then(|(v, l)| stdlib_version(v).map(|v| (v, *l)))
        .or_else(|| {
            m.go.as_ref()
                .and_then(|(v, l)| stdlib_version(v).map(|v| (v, *l)))
        });
    let toolchain_known = m.toolchain.is_some();
    if let (false, Some((v, line))) = (toolchain_known, &std) {
        b.unresolved(
            "stdlib",
            &format!(">= {v} (the go line; no toolchain directive)"),
            *line,
        );
    }
    if let Some((v, line)) = std.filter(|_| toolchain_known) {
        let mut c = component(
            GO,
            "stdlib",
            &v,
            purl(GO, None, "stdlib", &v, &[]),
            rel_path,
            line,
        );
        c.direct = true;
        let i = b.push(c);
        b.edge(ROOT, i);
    }
    // Before Go 1.17 go.mod lists only some of the modules built: take the others from
    // go.sum (modules with a content hash, highest version per path).
    let old = go_version.and_then(go_minor).is_some_and(|v| v < (1, 17));
    if old {
        for (path, (version, line, hs)) in best_per_path(sums) {
            if mentioned.contains(&path) {
                continue;
            }
            let sum_path = sum.map_or("go.sum", |(p, _)| p);
            let mut c = component(
                GO,
                path,
                version,
                purl(GO, None, path, version, &[]),
                sum_path,
                line,
            );
            c.hashes = hs;
            b.push(c);
        }
    }
    b.edges_complete = false;
    Ok(b.finish())
}

/// One `go.sum` line.
#[derive(Debug, Clone)]
pub struct SumLine {
    pub path: String,
    pub version: String,
    /// The line checks only the module's go.mod (`v1.2.3/go.mod`).
    pub go_mod_only: bool,
    pub hash: Hash,
    pub line: u64,
}

/// Read a `go.sum`. Hash kinds other than `h1:` are kept out (none exist today).
pub fn read_go_sum(rel_path: &str, text: &str) -> Result<Vec<SumLine>, ParseError> {
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let ln = n as u64 + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.len() != 3 {
            let col = raw.chars().count() as u64 + 1;
            return Err(ParseError::syntax(
                rel_path,
                ln,
                col.min(raw.len() as u64 + 1),
                "`<module> <version>[/go.mod] h1:<hash>`",
            ));
        }
        let (version, go_mod_only) = match parts[1].strip_suffix("/go.mod") {
            Some(v) => (v, true),
            None => (parts[1], false),
        };
        if !is_version(version) {
            let col = raw.find(parts[1]).map_or(1, |i| i as u64 + 1);
            return Err(ParseError::syntax(
                rel_path,
                ln,
                col,
                format!("a version like v1.2.3, found `{}`", parts[1]),
            ));
        }
        let Some(b64) = parts[2].strip_prefix("h1:") else {
            continue;
        };
        let value = base64_to_hex(b64)
            .filter(|h| h.len() == 64)
            .ok_or_else(|| {
                let col = raw.find(parts[2]).map_or(1, |i| i as u64 + 1);
                ParseError::syntax(rel_path, ln, col, "a base64 SHA-256 after `h1:`")
            })?;
        out.push(SumLine {
            path: parts[0].to_string(),
            version: version.to_string(),
            go_mod_only,
            hash: Hash {
                alg: "go-h1".to_string(),
                value,
            },
            line: ln,
        });
    }
    Ok(out)
}

/// Compare Go module versions (semver with a `v`; pre-releases before releases).
fn semver_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn split(v: &str) -> (Vec<u64>, Option<&str>) {
        let v = v.trim_start_matches('v');
        let v = v.split('+').next().unwrap_or(v);
        let (core, pre) = match v.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (v, None),
        };
        (
            core.split('.').map(|x| x.parse().unwrap_or(0)).collect(),
            pre,
        )
    }
    let (ca, pa) = split(a);
    let (cb, pb) = split(b);
    ca.cmp(&cb).then_with(|| match (pa, pb) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        (Some(x), Some(y)) => {
            let xs: Vec<&str> = x.split('.').collect();
            let ys: Vec<&str> = y.split('.').collect();
            for (p, q) in xs.iter().zip(&ys) {
                let o = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    (Ok(_), Err(_)) => std::cmp::Ordering::Less,
                    (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
                    _ => p.cmp(q),
                };
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            xs.len().cmp(&ys.len())
        }
    })
}

/// Per module path, the highest version with a content hash: (version, line, hashes).
fn best_per_path(sums: &[SumLine]) -> BTreeMap<&str, (&str, u64, Vec<Hash>)> {
    let mut best: BTreeMap<&str, (&str, u64, Vec<Hash>)> = BTreeMap::new();
    for s in sums.iter().filter(|s| !s.go_mod_only) {
        let e = best
            .entry(&s.path)
            .or_insert((&s.version, s.line, Vec::new()));
        match semver_cmp(&s.version, e.0) {
            std::cmp::Ordering::Greater => *e = (&s.version, s.line, vec![s.hash.clone()]),
            std::cmp::Ordering::Equal => {
                if !e.2.contains(&s.hash) {
                    e.2.push(s.hash.clone());
                }
            }
            std::cmp::Ordering::Less => {}
        }
    }
    best
}

/// A go.sum alone.
pub fn go_sum(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let sums = read_go_sum(rel_path, text)?;
    let mut b = Builder::new(rel_path, GO, "go.sum");
    for (path, (version, line, hashes)) in best_per_path(&sums) {
        let mut c = component(
            GO,
            path,
            version,
            purl(GO, None, path, version, &[]),
            rel_path,
            line,
        );
        c.hashes = hashes;
        b.push(c);
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_order() {
        use std::cmp::Ordering::*;
        assert_eq!(semver_cmp("v1.2.3", "v1.10.0"), Less);
        assert_eq!(semver_cmp("v1.0.0-rc.1", "v1.0.0"), Less);
        assert_eq!(
            semver_cmp("v0.0.0-20200101-abc", "v0.0.0-20210101-abc"),
            Less
        );
        assert_eq!(semver_cmp("v2.0.0+incompatible", "v2.0.0"), Equal);
    }

    #[test]
    fn unterminated_block() {
        let e = go_mod("go.mod", "module x\n\nrequire (\n\ta v1.0.0\n").expect_err("truncated");
        assert!(e.to_string().starts_with("go.mod:5:1: expected `)`"), "{e}");
    }
}
