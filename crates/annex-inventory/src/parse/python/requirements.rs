//! `requirements*.txt` as pip reads it: continuation lines joined, comments dropped,
//! per-requirement options (`--hash`, `--config-settings`, …) split off, `-r`/`--requirement`
//! includes followed relative to the including file (depth-bounded, cycles skipped).
//!
//! Only exact pins (`name==1.2.3`, `name===1.2.3`, extras and markers allowed) become
//! components; anything else (ranges, `~=`, wildcards, URLs, paths, editables, `${VAR}`,
//! lines pip would refuse) is reported as [`Unresolved`](crate::model::Unresolved) with the
//! requirement as written. Every line counts as a direct requirement; the scope comes from
//! the name of the file it is in (`requirements-dev.txt`, `test-requirements.txt`, … → dev).

use std::collections::BTreeSet;

use super::names::{ECO, devish, pep508_name, py_purl};
use crate::model::{Scope, Source, Subject};
use crate::parse::builder::{Builder, Part, make};
use crate::parse::error::{MAX_FILE_SIZE, ParseError, check_size};
use crate::parse::hashes::hash_from_prefixed;
use crate::parse::relative::push_segments;
use crate::parse::text::no_bom;

/// Deepest chain of `-r` includes followed.
pub const MAX_INCLUDE_DEPTH: usize = 8;

/// A requirements file alone: `-r` includes are reported as unresolved entries.
pub fn requirements(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    requirements_with(rel_path, text, &mut |_| None)
}

/// A requirements file with its `-r` includes: `read` is given the repository-relative,
/// `/`-separated path of an included file and returns its text (or `None` when it does not
/// exist or may not be read). Includes that leave the repository are not followed.
pub fn requirements_with(
    rel_path: &str,
    text: &str,
    read: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<Subject, ParseError> {
    let text = no_bom(text);
    check_size(rel_path, text)?;
    let mut b = Builder::new(rel_path, ECO, "requirements.txt");
    let mut visited = BTreeSet::new();
    visited.insert(normalize(rel_path).unwrap_or_else(|| rel_path.to_string()));
    let mut total = text.len();
    one_file(&mut b, rel_path, text, 0, &mut visited, &mut total, read)?;
    // The same pin reached twice (a file and its include) is merged by `finish`.
    Ok(b.finish())
}

/// `a/b/../c` → `a/c`; `None` when it climbs above the root or is absolute.
fn normalize(p: &str) -> Option<String> {
    if p.starts_with('/') || p.contains(':') && p.contains("://") {
        return None;
    }
    let mut out: Vec<&str> = Vec::new();
    push_segments(&mut out, p.split(['/', '\\']))?;
    Some(out.join("/"))
}

fn parent(p: &str) -> &str {
    match p.rfind('/') {
        Some(i) => &p[..i],
        None => "",
    }
}

fn file_scope(path: &str) -> Scope {
    let base = path.rsplit('/').next().unwrap_or(path);
    let stem = base
        .strip_suffix(".txt")
        .or_else(|| base.strip_suffix(".in"))
        .unwrap_or(base);
    if devish(stem) {
        Scope::Dev
    } else {
        Scope::Required
    }
}

/// pip's `join_lines` + `ignore_comments`: (first physical line, logical line).
fn logical_lines(text: &str) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(u64, String)> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let no = n as u64 + 1;
        let is_comment = is_comment_line(line);
        if !line.ends_with('\\') || is_comment {
            let line = if is_comment {
                format!(" {line}")
            } else {
                line.to_string()
            };
            match cur.take() {
                Some((first, mut acc)) => {
                    acc.push_str(&line);
                    out.push((first, acc));
                }
                None => out.push((no, line)),
            }
        } else {
            let body = line.trim_matches('\\');
            match &mut cur {
                Some((_, acc)) => acc.push_str(body),
                None => cur = Some((no, body.to_string())),
            }
        }
    }
    if let Some(c) = cur {
        out.push(c);
    }
    out.into_iter()
        .map(|(n, l)| (n, strip_comment(&l).trim().to_string()))
        .filter(|(_, l)| !l.is_empty())
        .collect()
}

fn is_comment_line(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// `(^|\s+)#.*$` removed.
fn strip_comment(line: &str) -> &str {
    let b = line.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'#' && (i == 0 || b[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

#[allow(clippy::too_many_arguments)]
fn one_file(
    b: &mut Builder,
    path: &str,
    text: &str,
    depth: usize,
    visited: &mut BTreeSet<String>,
    total: &mut usize,
    read: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<(), ParseError> {
    let text = no_bom(text);
    let scope = file_scope(path);
    for (line_no, line) in logical_lines(text) {
        if line.starts_with('-') {
            option_line(b, path, &line, line_no, depth, visited, total, read)?;
            continue;
        }
        requirement_line(b, path, &line, line_no, scope)?;
    }
    Ok(())
}

/// Splits `-r file`, `--requirement=file`, `-rfile` into (option, value).
fn split_option(line: &str) -> (&str, &str) {
    if let Some(rest) = line.strip_prefix("--") {
        let end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let opt = &line[..end + 2];
        let val = line[end + 2..].trim_start_matches(|c: char| c == '=' || c.is_whitespace());
        (opt, val.trim())
    } else {
        // `-x` plus the rest; the cut must fall on a character boundary (`-é…`).
        let cut = line.char_indices().nth(2).map_or(line.len(), |(i, _)| i);
        let (opt, val) = line.split_at(cut);
        let val = val.trim_start_matches(|c: char| c == '=' || c.is_whitespace());
        (opt, val.trim())
    }
}

#[allow(clippy::too_many_arguments)]
fn option_line(
    b: &mut Builder,
    path: &str,
    line: &str,
    line_no: u64,
    depth: usize,
    visited: &mut BTreeSet<String>,
    total: &mut usize,
    read: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<(), ParseError> {
    let (opt, val) = split_option(line);
    match opt {
        "-r" | "--requirement" => {
            let target = val.split_whitespace().next().unwrap_or("");
            let joined = if parent(path).is_empty() {
                target.to_string()
            } else {
                format!("{}/{}", parent(path), target)
            };
            let Some(norm) = normalize(&joined).filter(|_| !target.contains("://")) else {
                return unresolved_at(b, path, target, line, line_no);
            };
            if visited.contains(&norm) {
                return Ok(()); // a cycle, or already read
            }
            if depth + 1 > MAX_INCLUDE_DEPTH {
                return unresolved_at(
                    b,
                    path,
                    target,
                    &format!("{line} (include depth limit)"),
                    line_no,
                );
            }
            let Some(content) = read(&norm) else {
                return unresolved_at(b, path, target, line, line_no);
            };
            *total += content.len();
            if *total as u64 > MAX_FILE_SIZE {
                return Err(ParseError::TooLarge {
                    path: norm,
                    size: *total as u64,
                });
            }
            visited.insert(norm.clone());
            one_file(b, &norm, &content, depth + 1, visited, total, read)
        }
        "-e" | "--editable" => {
            let name = egg_name(val).unwrap_or(val);
            unresolved_at(b, path, name, line, line_no)
        }
        // Constraints restrict versions without installing anything; index and build
        // options do not name packages.
        _ => Ok(()),
    }
}

fn unresolved_at(
    b: &mut Builder,
    path: &str,
    name: &str,
    req: &str,
    line: u64,
) -> Result<(), ParseError> {
    b.unresolved(name, req, line);
    if let Some(u) = b.unresolved.last_mut() {
        u.location.path = path.to_string();
    }
    Ok(())
}

fn egg_name(s: &str) -> Option<&str> {
    let frag = s.split_once("#egg=")?.1;
    let end = frag.find(['&', ' ', '[']).unwrap_or(frag.len());
    Some(&frag[..end]).filter(|n| !n.is_empty())
}

fn is_url_or_path(s: &str) -> bool {
    s.contains("://")
        || s.starts_with('.')
        || s.starts_with('/')
        || s.starts_with('~')
        || s.starts_with("file:")
        || [".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"]
            .iter()
            .any(|e| s.ends_with(e))
}

fn requirement_line(
    b: &mut Builder,
    path: &str,
    line: &str,
    line_no: u64,
    scope: Scope,
) -> Result<(), ParseError> {
    // pip's break_args_options: requirement words until the first `-option` word.
    let mut words = line.split(' ').filter(|w| !w.is_empty()).peekable();
    let mut req_words = Vec::new();
    while let Some(w) = words.peek() {
        if w.starts_with('-') && !req_words.is_empty() {
            break;
        }
        req_words.push(*w);
        words.next();
    }
    let req = req_words.join(" ");
    let mut hashes = Vec::new();
    let mut rest: Vec<&str> = words.collect();
    let mut k = 0;
    while k < rest.len() {
        let w = rest[k];
        if let Some(h) = w.strip_prefix("--hash=") {
            hashes.extend(hash_from_prefixed(h));
        } else if w == "--hash" && k + 1 < rest.len() {
            hashes.extend(hash_from_prefixed(rest[k + 1]));
            k += 1;
        }
        k += 1;
    }
    rest.clear();

    // `name @ url` first: the name is known.
    let named = pep508_name(&req);
    if !named.is_empty() && !is_url_or_path(named) {
        let after = req[named.len()..].trim_start();
        let after = match after.strip_prefix('[') {
            Some(r) => r.split_once(']').map_or("", |(_, a)| a.trim_start()),
            None => after,
        };
        if after.starts_with('@') {
            return unresolved_at(b, path, named, &req, line_no);
        }
    }
    if is_url_or_path(&req) {
        let file = req.split(['#', '?']).next().unwrap_or(&req);
        let file = file.rsplit('/').next().unwrap_or(file);
        // A wheel's file name states its name and exact version (PEP 427).
        if let Some((name, version)) = wheel_name_version(file) {
            let mut c = make(
                b,
                Part {
                    name,
                    version,
                    purl: py_purl(name, version),
                    scope,
                    direct: true,
                    line: line_no,
                },
            );
            c.hashes = hashes;
            c.location.path = path.to_string();
            c.source = if req.contains("://") && !req.starts_with("file:") {
                Source::Url { url: req.clone() }
            } else {
                Source::Path { path: req.clone() }
            };
            b.push(c);
            return Ok(());
        }
        let name = egg_name(&req).unwrap_or(file);
        return unresolved_at(b, path, name, &req, line_no);
    }
    let name = pep508_name(&req);
    if name.is_empty() {
        return unresolved_at(b, path, &req, &req, line_no);
    }
    let mut after = req[name.len()..].trim_start();
    if let Some(r) = after.strip_prefix('[') {
        match r.find(']') {
            Some(e) => after = r[e + 1..].trim_start(),
            None => return unresolved_at(b, path, name, &req, line_no),
        }
    }
    if after.starts_with('@') {
        return unresolved_at(b, path, name, &req, line_no);
    }
    let spec = after.split(';').next().unwrap_or("").trim();
    let spec = spec
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(spec)
        .trim();
    match pinned_version(spec) {
        Some(v) => {
            let mut c = make(
                b,
                Part {
                    name,
                    version: v,
                    purl: py_purl(name, v),
                    scope,
                    direct: true,
                    line: line_no,
                },
            );
            c.hashes = hashes;
            c.location.path = path.to_string();
            b.push(c);
            Ok(())
        }
        None => unresolved_at(b, path, name, &req, line_no),
    }
}

/// `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl` → (name, version).
fn wheel_name_version(file: &str) -> Option<(&str, &str)> {
    let stem = file.strip_suffix(".whl")?;
    let parts: Vec<&str> = stem.split('-').collect();
    if !(5..=6).contains(&parts.len()) || parts[0].is_empty() || parts[1].is_empty() {
        return None;
    }
    let ok = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '!'))
    };
    (ok(parts[0]) && ok(parts[1])).then_some((parts[0], parts[1]))
}

/// The version of an exact pin (`==1.2`, `=== 1.2`), or `None`.
fn pinned_version(spec: &str) -> Option<&str> {
    if spec.contains(',') {
        return None;
    }
    let v = spec
        .strip_prefix("===")
        .or_else(|| spec.strip_prefix("=="))?
        .trim();
    let ok = !v.is_empty()
        && !v.contains('*')
        && !v.contains("${")
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+' | '!'));
    ok.then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_strips() {
        let l = logical_lines("a==1 \\\n  --hash=sha256:x\n# c\nb==2 # note\n\\\n");
        assert_eq!(l[0], (1, "a==1   --hash=sha256:x".to_string()));
        assert_eq!(l[1], (4, "b==2".to_string()));
    }

    #[test]
    fn pins() {
        assert_eq!(pinned_version("==1.0"), Some("1.0"));
        assert_eq!(pinned_version("===1.0"), Some("1.0"));
        assert_eq!(pinned_version("== 1.0"), Some("1.0"));
        assert_eq!(pinned_version(">=1.0"), None);
        assert_eq!(pinned_version("==1.*"), None);
        assert_eq!(pinned_version("==1,<2"), None);
        assert_eq!(pinned_version("==${V}"), None);
        assert_eq!(normalize("a/../b/./c"), Some("b/c".to_string()));
        assert_eq!(normalize("../x"), None);
        assert!(
            devish("requirements-dev") && devish("test-requirements") && !devish("requirements")
        );
        assert!(!devish("precision"));
    }
}
