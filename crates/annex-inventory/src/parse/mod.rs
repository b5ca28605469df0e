//! Lockfile and manifest parsers: one function per format, each
//! `fn(rel_path: &str, text: &str) -> Result<Subject, ParseError>`, routed by file name in
//! [`parse_file`].
//!
//! Rules every parser follows:
//! - no package manager runs and nothing touches the network;
//! - every component carries the file and the 1-based line its entry starts on;
//! - an unknown format version is [`ParseError::UnsupportedVersion`], never a guess;
//!   malformed input is [`ParseError::Syntax`] with `path:line:col` and what was expected;
//! - untrusted input: files over [`MAX_FILE_SIZE`] are refused, nesting is bounded
//!   ([`MAX_DEPTH`]), nothing panics;
//! - entries without a pinned version go to [`Subject::unresolved`], never guessed.
//!
//! Shared helpers for the parsers: [`Builder`] (collects components and edges, merges
//! duplicates, assigns ids, sorts), [`component`], [`sri_hashes`], [`base64_to_hex`],
//! [`LineIndex`], [`json`] (a JSON/JSONC parser that keeps line numbers),
//! [`YamlEntries`] (a YAML mapping with the line of each key), [`yaml_options`],
//! [`ParseError::from_toml`], [`ParseError::from_yaml`].

pub mod bun;
pub mod cargo;
pub mod go;
pub mod npm;
pub mod pnpm;
pub mod yarn;

// ---- Parsers of the other ecosystems (python*.rs, php.rs, ruby.rs, java*.rs, dotnet.rs,
// cpp.rs). Uncomment each `pub mod` when its file exists, and the matching arms in
// `parse_file` below. Every function: `fn(rel_path: &str, text: &str) -> Result<Subject,
// ParseError>`.
pub mod cpp;
pub mod dotnet;
pub mod java;
pub mod php;
pub mod python;
pub mod ruby;

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::detect::{self, Kind};
// The shared vocabulary, re-exported so the parsers keep their short paths.
use crate::model::{Component, Edge, Hash, Location, Scope, Source, Subject, Unresolved};
pub use annex_types::digest::{base64_decode, base64_to_hex, hex, is_hex};
pub use annex_types::location::LineIndex;

/// Files larger than this are refused ([`ParseError::TooLarge`]).
pub const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;
/// Deepest nesting of JSON/YAML accepted.
pub const MAX_DEPTH: usize = 256;

/// Why a file could not be read. `Display` is `path:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ParseError {
    /// Malformed or truncated input.
    #[error("{path}:{line}:{col}: expected {expected}")]
    Syntax {
        path: String,
        line: u64,
        col: u64,
        expected: String,
    },
    /// A format version this parser does not know. `line` is where the version is written
    /// (0 when the file does not say).
    #[error("{path}:{line}: unsupported {format} version `{version}`")]
    UnsupportedVersion {
        path: String,
        line: u64,
        format: String,
        version: String,
    },
    #[error("{path}: {size} bytes, more than the limit of {} bytes", MAX_FILE_SIZE)]
    TooLarge { path: String, size: u64 },
    #[error("{path}:{line}:{col}: nested more than {limit} levels deep")]
    TooDeep {
        path: String,
        line: u64,
        col: u64,
        limit: usize,
    },
    /// Well-formed syntax with content that does not fit the format (a required field
    /// missing, a value of the wrong type).
    #[error("{path}:{line}:{col}: {message}")]
    Invalid {
        path: String,
        line: u64,
        col: u64,
        message: String,
    },
    /// The file could not be read (only from `scan`).
    #[error("{path}: {message}")]
    Io { path: String, message: String },
}

impl ParseError {
    pub fn syntax(path: &str, line: u64, col: u64, expected: impl Into<String>) -> Self {
        ParseError::Syntax {
            path: path.to_string(),
            line,
            col,
            expected: expected.into(),
        }
    }

    pub fn unsupported(
        path: &str,
        line: u64,
        format: impl Into<String>,
        version: impl Into<String>,
    ) -> Self {
        ParseError::UnsupportedVersion {
            path: path.to_string(),
            line,
            format: format.into(),
            version: version.into(),
        }
    }

    pub fn invalid(path: &str, line: u64, col: u64, message: impl Into<String>) -> Self {
        ParseError::Invalid {
            path: path.to_string(),
            line,
            col,
            message: message.into(),
        }
    }

    /// The file the error is about.
    pub fn path(&self) -> &str {
        match self {
            ParseError::Syntax { path, .. }
            | ParseError::UnsupportedVersion { path, .. }
            | ParseError::TooLarge { path, .. }
            | ParseError::TooDeep { path, .. }
            | ParseError::Invalid { path, .. }
            | ParseError::Io { path, .. } => path,
        }
    }

    /// From a `toml` error; `text` is the document, to turn the byte span into line:col.
    pub fn from_toml(path: &str, text: &str, err: &toml::de::Error) -> Self {
        let (line, col) = err
            .span()
            .map(|s| LineIndex::new(text).line_col(s.start))
            .unwrap_or((1, 1));
        let msg = err.message().trim();
        let expected = msg
            .split_once("expected ")
            .map(|(_, e)| e.to_string())
            .unwrap_or_else(|| format!("valid TOML ({msg})"));
        if msg.contains("expected") {
            ParseError::syntax(path, line, col, expected)
        } else {
            ParseError::invalid(path, line, col, msg)
        }
    }

    /// From a serde-saphyr error.
    pub fn from_yaml(path: &str, err: &serde_saphyr::Error) -> Self {
        let (line, col) = err
            .location()
            .map(|l| (l.line().max(1), l.column().max(1)))
            .unwrap_or((1, 1));
        let full = err.to_string();
        let first = full.lines().next().unwrap_or("invalid YAML").trim();
        let mut msg = first.strip_prefix("error: ").unwrap_or(first).trim();
        if let Some(rest) = msg.strip_prefix("line ")
            && let Some((pos, after)) = rest.split_once(": ")
            && pos.contains("column")
        {
            msg = after;
        }
        if msg.contains("budget") || msg.contains("depth") {
            return ParseError::TooDeep {
                path: path.to_string(),
                line,
                col,
                limit: MAX_DEPTH,
            };
        }
        match msg.strip_prefix("expected ") {
            Some(e) => ParseError::syntax(path, line, col, e),
            None if msg.contains("invalid type") || msg.contains("missing field") => {
                ParseError::invalid(path, line, col, msg)
            }
            None => ParseError::syntax(path, line, col, format!("valid YAML ({msg})")),
        }
    }
}

/// Options for serde-saphyr: the default budget (aliases, anchors) with room for large
/// monorepo lockfiles, and [`MAX_DEPTH`].
pub fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 50_000_000;
    budget.max_nodes = 20_000_000;
    budget.max_total_scalar_bytes = MAX_FILE_SIZE as usize;
    budget.max_depth = 64;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// Parse one lockfile or manifest, routed by its file name ([`detect::classify`]).
///
/// `Ok(None)`: a file this crate does not parse (not a dependency file, or a format not
/// implemented yet). `bun.lockb` (binary) is `UnsupportedVersion`.
pub fn parse_file(rel_path: &str, content: &[u8]) -> Result<Option<Subject>, ParseError> {
    let size = content.len() as u64;
    if size > MAX_FILE_SIZE {
        return Err(ParseError::TooLarge {
            path: rel_path.to_string(),
            size,
        });
    }
    let path = Path::new(rel_path);
    let Some(detected) = detect::classify(path) else {
        return Ok(None);
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name == "bun.lockb" {
        return Err(ParseError::unsupported(rel_path, 0, "bun.lockb", "binary"));
    }
    let text = text(rel_path, content)?;
    let text: &str = &text;
    let subject = match name {
        "Cargo.lock" => cargo::lockfile(rel_path, text)?,
        "Cargo.toml" => cargo::manifest(rel_path, text)?,
        "package-lock.json" | "npm-shrinkwrap.json" => npm::package_lock(rel_path, text)?,
        "package.json" => npm::package_json(rel_path, text)?,
        "yarn.lock" => yarn::lockfile(rel_path, text)?,
        "pnpm-lock.yaml" => pnpm::lockfile(rel_path, text)?,
        "bun.lock" => bun::lockfile(rel_path, text)?,
        "go.mod" => go::go_mod(rel_path, text)?,
        "go.sum" => go::go_sum(rel_path, text)?,

        // ---- Other ecosystems (see the `pub mod` lines above). Uncomment with the module.
        "poetry.lock" => python::poetry(rel_path, text)?,
        "uv.lock" => python::uv(rel_path, text)?,
        "pdm.lock" => python::pdm(rel_path, text)?,
        "Pipfile.lock" => python::pipfile(rel_path, text)?,
        "composer.lock" => php::composer(rel_path, text)?,
        "Gemfile.lock" | "gems.locked" => ruby::gemfile_lock(rel_path, text)?,
        "pom.xml" => java::pom(rel_path, text)?,
        "gradle.lockfile" => java::gradle_lockfile(rel_path, text)?,
        "verification-metadata.xml" => java::gradle_verification(rel_path, text)?,
        "packages.lock.json" => dotnet::packages_lock(rel_path, text)?,
        "conan.lock" => cpp::conan_lock(rel_path, text)?,
        "vcpkg.json" => cpp::vcpkg(rel_path, text)?,
        _ => match (detected.ecosystem, detected.kind) {
            // pylock.toml and pylock.<name>.toml (PEP 751)
            (detect::PYPI, Kind::Lockfile) => python::pylock(rel_path, text)?,
            // requirements*.txt and requirements/*.txt
            (detect::PYPI, Kind::Manifest) if name.ends_with(".txt") => {
                python::requirements(rel_path, text)?
            }
            (_, Kind::Lockfile | Kind::Manifest) => return Ok(None),
        },
    };
    Ok(Some(subject))
}

/// The content as text without a byte-order mark: UTF-8, or UTF-16 when it starts with a
/// UTF-16 byte-order mark (pip accepts such requirements files). Invalid UTF-8 is a syntax
/// error at the first bad byte.
pub fn text<'a>(path: &str, content: &'a [u8]) -> Result<std::borrow::Cow<'a, str>, ParseError> {
    let utf16 = |le: bool| -> Result<std::borrow::Cow<'a, str>, ParseError> {
        let units = content[2..].chunks(2).map(|c| {
            let pair = [c[0], c.get(1).copied().unwrap_or(0)];
            if le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        let mut out = String::with_capacity(content.len() / 2);
        for ch in char::decode_utf16(units) {
            match ch {
                Ok(c) => out.push(c),
                Err(_) => {
                    let (line, col) = LineIndex::new(&out).line_col(out.len());
                    return Err(ParseError::syntax(path, line, col, "UTF-16 text"));
                }
            }
        }
        Ok(std::borrow::Cow::Owned(out))
    };
    if content.starts_with(b"\xFF\xFE") {
        return utf16(true);
    }
    if content.starts_with(b"\xFE\xFF") {
        return utf16(false);
    }
    let content = content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content);
    match std::str::from_utf8(content) {
        Ok(t) => Ok(std::borrow::Cow::Borrowed(t)),
        Err(e) => {
            let good = e.valid_up_to();
            // The prefix is valid UTF-8 by construction.
            let prefix = std::str::from_utf8(&content[..good]).unwrap_or("");
            let (line, col) = LineIndex::new(prefix).line_col(good);
            Err(ParseError::syntax(path, line, col, "UTF-8 text"))
        }
    }
}

/// A component with the defaults: required scope, not direct, no hashes or licences,
/// registry source.
pub fn component(
    ecosystem: &str,
    name: &str,
    version: &str,
    purl: String,
    path: &str,
    line: u64,
) -> Component {
    Component {
        id: String::new(),
        ecosystem: ecosystem.to_string(),
        name: name.to_string(),
        version: version.to_string(),
        purl,
        scope: Scope::Required,
        direct: false,
        hashes: Vec::new(),
        licenses: Vec::new(),
        source: Source::Registry { url: None },
        location: Location {
            path: path.to_string(),
            line,
        },
    }
}

/// Index of the root component in [`Builder::edge`].
pub const ROOT: usize = usize::MAX;

/// Collects a subject's components and edges; [`Builder::finish`] merges duplicates (same
/// purl and source: strongest scope, `direct` if any, hashes united, first location),
/// assigns ids (the purl; `~2`, `~3`, … when a purl repeats with another source), and sorts.
pub struct Builder {
    pub path: String,
    pub ecosystem: String,
    pub format: String,
    pub root: Option<Component>,
    pub edges_complete: bool,
    pub unresolved: Vec<Unresolved>,
    components: Vec<Component>,
    edges: Vec<(usize, usize)>,
}

/// Rank for merging: a package needed at run time outranks one needed to build, which
/// outranks an optional one, which outranks a development-only one.
fn scope_rank(s: Scope) -> u8 {
    match s {
        Scope::Required => 3,
        Scope::Build => 2,
        Scope::Optional => 1,
        Scope::Dev => 0,
    }
}

/// The stronger of two scopes (see [`Builder`]).
pub fn stronger(a: Scope, b: Scope) -> Scope {
    if scope_rank(a) >= scope_rank(b) { a } else { b }
}

impl Builder {
    pub fn new(path: &str, ecosystem: &str, format: impl Into<String>) -> Self {
        Builder {
            path: path.to_string(),
            ecosystem: ecosystem.to_string(),
            format: format.into(),
            root: None,
            edges_complete: false,
            unresolved: Vec::new(),
            components: Vec::new(),
            edges: Vec::new(),
        }
    }

    /// Add a component; returns its index for [`Builder::edge`].
    pub fn push(&mut self, c: Component) -> usize {
        self.components.push(c);
        self.components.len() - 1
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut Component> {
        self.components.get_mut(i)
    }

    pub fn components(&self) -> &[Component] {
        &self.components
    }

    /// An edge between two indices from [`Builder::push`] ([`ROOT`] for the root).
    pub fn edge(&mut self, from: usize, to: usize) {
        self.edges.push((from, to));
    }

    /// Scopes and `direct` from the roots (`(index, scope of that dependency)`): the roots
    /// are direct; every component reachable from a root gets the strongest scope among the
    /// roots reaching it (see [`stronger`]). Components no root reaches keep theirs.
    pub fn propagate_scopes(&mut self, roots: &[(usize, Scope)]) {
        let n = self.components.len();
        let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &(f, t) in &self.edges {
            if f < n && t < n {
                adjacency[f].push(t);
            }
        }
        let mut best: Vec<Option<Scope>> = vec![None; n];
        let mut queue: Vec<(usize, Scope)> = Vec::new();
        for &(i, s) in roots {
            if let Some(c) = self.components.get_mut(i) {
                c.direct = true;
                queue.push((i, s));
            }
        }
        while let Some((i, s)) = queue.pop() {
            let better = best[i].is_none_or(|old| stronger(old, s) != old);
            if !better {
                continue;
            }
            best[i] = Some(s);
            for &t in &adjacency[i] {
                queue.push((t, s));
            }
        }
        for (c, s) in self.components.iter_mut().zip(best) {
            if let Some(s) = s {
                c.scope = s;
            }
        }
    }

    pub fn unresolved(&mut self, name: &str, requirement: &str, line: u64) {
        self.unresolved.push(Unresolved {
            name: name.to_string(),
            requirement: requirement.to_string(),
            location: Location {
                path: self.path.clone(),
                line,
            },
        });
    }

    pub fn finish(self) -> Subject {
        let Builder {
            path,
            ecosystem,
            format,
            mut root,
            edges_complete,
            mut unresolved,
            components,
            edges,
        } = self;
        // Merge duplicates.
        let mut merged: Vec<Component> = Vec::with_capacity(components.len());
        let mut by_key: std::collections::HashMap<(String, Source), usize> =
            std::collections::HashMap::with_capacity(components.len());
        let mut remap = Vec::with_capacity(components.len());
        for c in components {
            let key = (c.purl.clone(), c.source.clone());
            match by_key.get(&key) {
                Some(&i) => {
                    let m = &mut merged[i];
                    m.scope = stronger(m.scope, c.scope);
                    m.direct |= c.direct;
                    for h in c.hashes {
                        if !m.hashes.contains(&h) {
                            m.hashes.push(h);
                        }
                    }
                    for l in c.licenses {
                        if !m.licenses.contains(&l) {
                            m.licenses.push(l);
                        }
                    }
                    if c.location.line < m.location.line {
                        m.location = c.location;
                    }
                    remap.push(i);
                }
                None => {
                    by_key.insert(key, merged.len());
                    remap.push(merged.len());
                    merged.push(c);
                }
            }
        }
        // Sort and assign ids.
        let mut order: Vec<usize> = (0..merged.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&merged[a], &merged[b]);
            (&x.name, &x.version, &x.purl, &x.source, &x.location).cmp(&(
                &y.name,
                &y.version,
                &y.purl,
                &y.source,
                &y.location,
            ))
        });
        let mut ids = vec![String::new(); merged.len()];
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for &i in &order {
            let n = seen.entry(merged[i].purl.as_str()).or_insert(0);
            *n += 1;
            ids[i] = if *n == 1 {
                merged[i].purl.clone()
            } else {
                format!("{}~{}", merged[i].purl, n)
            };
        }
        if let Some(r) = root.as_mut()
            && r.id.is_empty()
        {
            r.id = r.purl.clone();
        }
        let root_id = root.as_ref().map(|r| r.id.clone());
        let id_of = |i: usize| -> Option<String> {
            if i == ROOT {
                root_id.clone()
            } else {
                remap.get(i).map(|&m| ids[m].clone())
            }
        };
        let mut out_edges: Vec<Edge> = edges
            .into_iter()
            .filter_map(|(f, t)| {
                Some(Edge {
                    from: id_of(f)?,
                    to: id_of(t)?,
                })
            })
            .filter(|e| e.from != e.to)
            .collect();
        out_edges.sort();
        out_edges.dedup();
        let mut out: Vec<Component> = Vec::with_capacity(merged.len());
        let mut slots: Vec<Option<Component>> = merged.into_iter().map(Some).collect();
        for &i in &order {
            if let Some(mut c) = slots[i].take() {
                c.id = std::mem::take(&mut ids[i]);
                c.hashes.sort();
                out.push(c);
            }
        }
        unresolved.sort();
        unresolved.dedup();
        Subject {
            path,
            ecosystem,
            format,
            root,
            components: out,
            edges: out_edges,
            edges_complete,
            unresolved,
        }
    }
}

/// Hashes from a Subresource-Integrity string (`sha512-<base64> sha1-<base64>`), as
/// lowercase hex. Unknown algorithms and undecodable values are skipped.
pub fn sri_hashes(integrity: &str) -> Vec<Hash> {
    integrity
        .split_whitespace()
        .filter_map(|part| {
            let (alg, b64) = part.split_once('-')?;
            let alg = alg.to_ascii_lowercase();
            let len = match alg.as_str() {
                "sha1" => 20,
                "sha256" => 32,
                "sha384" => 48,
                "sha512" => 64,
                "md5" => 16,
                _ => return None,
            };
            // An SRI value may carry `?options` after the digest.
            let b64 = b64.split('?').next().unwrap_or(b64);
            let bytes = base64_decode(b64)?;
            (bytes.len() == len).then(|| Hash {
                alg,
                value: hex(&bytes),
            })
        })
        .collect()
}

/// A YAML mapping read in document order, with the position of each key (serde-saphyr's
/// `Spanned` on the key).
#[derive(Debug)]
pub struct YamlEntries<V>(pub Vec<(serde_saphyr::Spanned<String>, V)>);

impl<V> Default for YamlEntries<V> {
    fn default() -> Self {
        YamlEntries(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for YamlEntries<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Visit<V> {
            type Value = YamlEntries<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(YamlEntries(Vec::new()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = map.next_key::<serde_saphyr::Spanned<String>>()? {
                    v.push((k, map.next_value()?));
                }
                Ok(YamlEntries(v))
            }
        }
        d.deserialize_any(Visit(std::marker::PhantomData))
    }
}

/// A JSON (and JSONC: comments, trailing commas) parser that keeps the line and column of
/// every value and key. Bounded nesting ([`MAX_DEPTH`]); errors are [`ParseError::Syntax`].
pub mod json {
    use super::{MAX_DEPTH, ParseError};

    #[derive(Debug, Clone, PartialEq)]
    pub enum Value {
        Null,
        Bool(bool),
        /// The number as written.
        Number(String),
        String(String),
        Array(Vec<Node>),
        Object(Vec<Member>),
    }

    #[derive(Debug, Clone, PartialEq)]
    pub struct Node {
        pub value: Value,
        pub line: u64,
        pub col: u64,
    }

    #[derive(Debug, Clone, PartialEq)]
    pub struct Member {
        pub key: String,
        pub line: u64,
        pub col: u64,
        pub value: Node,
    }

    impl Node {
        /// The member `key` of an object (the last one when repeated, as JSON parsers do).
        pub fn get(&self, key: &str) -> Option<&Node> {
            match &self.value {
                Value::Object(m) => m.iter().rev().find(|m| m.key == key).map(|m| &m.value),
                _ => None,
            }
        }
        pub fn member(&self, key: &str) -> Option<&Member> {
            match &self.value {
                Value::Object(m) => m.iter().rev().find(|m| m.key == key),
                _ => None,
            }
        }
        pub fn members(&self) -> &[Member] {
            match &self.value {
                Value::Object(m) => m,
                _ => &[],
            }
        }
        pub fn items(&self) -> &[Node] {
            match &self.value {
                Value::Array(a) => a,
                _ => &[],
            }
        }
        pub fn as_str(&self) -> Option<&str> {
            match &self.value {
                Value::String(s) => Some(s),
                _ => None,
            }
        }
        pub fn str(&self, key: &str) -> Option<&str> {
            self.get(key).and_then(Node::as_str)
        }
        pub fn as_bool(&self) -> Option<bool> {
            match &self.value {
                Value::Bool(b) => Some(*b),
                _ => None,
            }
        }
        pub fn flag(&self, key: &str) -> bool {
            self.get(key).and_then(Node::as_bool).unwrap_or(false)
        }
        pub fn is_object(&self) -> bool {
            matches!(self.value, Value::Object(_))
        }
        /// The number as an integer, when it is one.
        pub fn as_u64(&self) -> Option<u64> {
            match &self.value {
                Value::Number(n) => n.parse().ok(),
                _ => None,
            }
        }
    }

    /// Parse strict JSON.
    pub fn parse(path: &str, text: &str) -> Result<Node, ParseError> {
        Parser::new(path, text, false).document()
    }

    /// Parse JSONC: `//` and `/* */` comments and trailing commas allowed.
    pub fn parse_jsonc(path: &str, text: &str) -> Result<Node, ParseError> {
        Parser::new(path, text, true).document()
    }

    struct Parser<'a> {
        path: &'a str,
        b: &'a [u8],
        text: &'a str,
        pos: usize,
        line: u64,
        line_start: usize,
        jsonc: bool,
        depth: usize,
    }

    impl<'a> Parser<'a> {
        fn new(path: &'a str, text: &'a str, jsonc: bool) -> Self {
            Parser {
                path,
                b: text.as_bytes(),
                text,
                pos: 0,
                line: 1,
                line_start: 0,
                jsonc,
                depth: 0,
            }
        }

        fn col(&self) -> u64 {
            let start = self.line_start.min(self.pos);
            self.text
                .get(start..self.pos)
                .map_or(self.pos - start, |s| s.chars().count()) as u64
                + 1
        }

        fn err(&self, expected: &str) -> ParseError {
            let what = match self.b.get(self.pos) {
                None => "end of file".to_string(),
                Some(_) => {
                    let c = self.text.get(self.pos..).and_then(|s| s.chars().next());
                    match c {
                        Some(c) if !c.is_control() => format!("`{c}`"),
                        Some(c) => format!("{:?}", c),
                        None => "invalid byte".to_string(),
                    }
                }
            };
            ParseError::syntax(
                self.path,
                self.line,
                self.col(),
                format!("{expected}, found {what}"),
            )
        }

        fn document(mut self) -> Result<Node, ParseError> {
            self.ws()?;
            let v = self.value()?;
            self.ws()?;
            if self.pos < self.b.len() {
                return Err(self.err("end of document"));
            }
            Ok(v)
        }

        fn ws(&mut self) -> Result<(), ParseError> {
            while let Some(&c) = self.b.get(self.pos) {
                match c {
                    b' ' | b'\t' | b'\r' => self.pos += 1,
                    b'\n' => {
                        self.pos += 1;
                        self.line += 1;
                        self.line_start = self.pos;
                    }
                    b'/' if self.jsonc => match self.b.get(self.pos + 1) {
                        Some(b'/') => {
                            while let Some(&c) = self.b.get(self.pos) {
                                if c == b'\n' {
                                    break;
                                }
                                self.pos += 1;
                            }
                        }
                        Some(b'*') => {
                            self.pos += 2;
                            loop {
                                match self.b.get(self.pos) {
                                    None => return Err(self.err("`*/` closing the comment")),
                                    Some(b'*') if self.b.get(self.pos + 1) == Some(&b'/') => {
                                        self.pos += 2;
                                        break;
                                    }
                                    Some(b'\n') => {
                                        self.pos += 1;
                                        self.line += 1;
                                        self.line_start = self.pos;
                                    }
                                    Some(_) => self.pos += 1,
                                }
                            }
                        }
                        _ => return Ok(()),
                    },
                    _ => return Ok(()),
                }
            }
            Ok(())
        }

        fn value(&mut self) -> Result<Node, ParseError> {
            let (line, col) = (self.line, self.col());
            let value = match self.b.get(self.pos) {
                Some(b'{') => self.object()?,
                Some(b'[') => self.array()?,
                Some(b'"') => Value::String(self.string()?),
                Some(b't') => self.word("true", Value::Bool(true))?,
                Some(b'f') => self.word("false", Value::Bool(false))?,
                Some(b'n') => self.word("null", Value::Null)?,
                Some(b'-' | b'0'..=b'9') => self.number()?,
                _ => return Err(self.err("a JSON value")),
            };
            Ok(Node { value, line, col })
        }

        fn word(&mut self, w: &str, v: Value) -> Result<Value, ParseError> {
            if self.b[self.pos..].starts_with(w.as_bytes()) {
                self.pos += w.len();
                Ok(v)
            } else {
                Err(self.err(&format!("`{w}`")))
            }
        }

        fn number(&mut self) -> Result<Value, ParseError> {
            let start = self.pos;
            if self.b.get(self.pos) == Some(&b'-') {
                self.pos += 1;
            }
            let digits = |p: &mut Self| {
                let s = p.pos;
                while p.b.get(p.pos).is_some_and(u8::is_ascii_digit) {
                    p.pos += 1;
                }
                p.pos > s
            };
            if !digits(self) {
                return Err(self.err("a digit"));
            }
            if self.b.get(self.pos) == Some(&b'.') {
                self.pos += 1;
                if !digits(self) {
                    return Err(self.err("a digit after `.`"));
                }
            }
            if matches!(self.b.get(self.pos), Some(b'e' | b'E')) {
                self.pos += 1;
                if matches!(self.b.get(self.pos), Some(b'+' | b'-')) {
                    self.pos += 1;
                }
                if !digits(self) {
                    return Err(self.err("a digit in the exponent"));
                }
            }
            Ok(Value::Number(self.text[start..self.pos].to_string()))
        }

        fn hex4(&mut self) -> Result<u32, ParseError> {
            let h = self
                .b
                .get(self.pos..self.pos + 4)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .ok_or_else(|| self.err("four hex digits after `\\u`"))?;
            self.pos += 4;
            Ok(h)
        }

        fn string(&mut self) -> Result<String, ParseError> {
            self.pos += 1; // opening quote
            let mut out = String::new();
            loop {
                let start = self.pos;
                while let Some(&c) = self.b.get(self.pos) {
                    if c == b'"' || c == b'\\' || c < 0x20 {
                        break;
                    }
                    self.pos += 1;
                }
                out.push_str(&self.text[start..self.pos]);
                match self.b.get(self.pos) {
                    Some(b'"') => {
                        self.pos += 1;
                        return Ok(out);
                    }
                    Some(b'\\') => {
                        self.pos += 1;
                        let c = self
                            .b
                            .get(self.pos)
                            .copied()
                            .ok_or_else(|| self.err("an escape character"))?;
                        self.pos += 1;
                        match c {
                            b'"' => out.push('"'),
                            b'\\' => out.push('\\'),
                            b'/' => out.push('/'),
                            b'b' => out.push('\u{8}'),
                            b'f' => out.push('\u{c}'),
                            b'n' => out.push('\n'),
                            b'r' => out.push('\r'),
                            b't' => out.push('\t'),
                            b'u' => {
                                let hi = self.hex4()?;
                                let cp = if (0xD800..0xDC00).contains(&hi)
                                    && self.b.get(self.pos..self.pos + 2) == Some(b"\\u")
                                {
                                    self.pos += 2;
                                    let lo = self.hex4()?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                    } else {
                                        0xFFFD
                                    }
                                } else {
                                    hi
                                };
                                out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                            }
                            _ => {
                                self.pos -= 1;
                                return Err(self.err(
                                    "a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)",
                                ));
                            }
                        }
                    }
                    _ => return Err(self.err("`\"` closing the string")),
                }
            }
        }

        fn enter(&mut self) -> Result<(), ParseError> {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(ParseError::TooDeep {
                    path: self.path.to_string(),
                    line: self.line,
                    col: self.col(),
                    limit: MAX_DEPTH,
                });
            }
            Ok(())
        }

        fn array(&mut self) -> Result<Value, ParseError> {
            self.enter()?;
            self.pos += 1;
            let mut items = Vec::new();
            self.ws()?;
            if self.b.get(self.pos) == Some(&b']') {
                self.pos += 1;
                self.depth -= 1;
                return Ok(Value::Array(items));
            }
            loop {
                self.ws()?;
                if self.jsonc && !items.is_empty() && self.b.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    break;
                }
                items.push(self.value()?);
                self.ws()?;
                match self.b.get(self.pos) {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.err("`,` or `]`")),
                }
            }
            self.depth -= 1;
            Ok(Value::Array(items))
        }

        fn object(&mut self) -> Result<Value, ParseError> {
            self.enter()?;
            self.pos += 1;
            let mut members = Vec::new();
            self.ws()?;
            if self.b.get(self.pos) == Some(&b'}') {
                self.pos += 1;
                self.depth -= 1;
                return Ok(Value::Object(members));
            }
            loop {
                self.ws()?;
                if self.jsonc && !members.is_empty() && self.b.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    break;
                }
                if self.b.get(self.pos) != Some(&b'"') {
                    return Err(self.err("`\"` starting a key"));
                }
                let (line, col) = (self.line, self.col());
                let key = self.string()?;
                self.ws()?;
                if self.b.get(self.pos) != Some(&b':') {
                    return Err(self.err("`:` after the key"));
                }
                self.pos += 1;
                self.ws()?;
                let value = self.value()?;
                members.push(Member {
                    key,
                    line,
                    col,
                    value,
                });
                self.ws()?;
                match self.b.get(self.pos) {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.err("`,` or `}`")),
                }
            }
            self.depth -= 1;
            Ok(Value::Object(members))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sri_decodes_to_hex() {
        let h = sri_hashes("sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].alg, "sha1");
        assert_eq!(h[0].value, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert!(sri_hashes("sha512-!!!").is_empty());
        assert!(sri_hashes("").is_empty());
    }

    #[test]
    fn json_lines_and_errors() {
        let n = json::parse(
            "x.json",
            "{\n  \"a\": [1, 2],\n  \"b\": {\"c\": \"\\u00e9\"}\n}",
        )
        .expect("parses");
        assert_eq!(n.get("b").map(|b| b.line), Some(3));
        assert_eq!(n.member("a").map(|m| m.line), Some(2));
        assert_eq!(n.get("b").and_then(|b| b.str("c")), Some("é"));
        let e = json::parse("x.json", "{\n  \"a\": [1, 2\n").expect_err("truncated");
        assert_eq!(
            e.to_string(),
            "x.json:3:1: expected `,` or `]`, found end of file"
        );
        assert!(json::parse("x.json", "{\"a\":1,}").is_err());
        assert!(json::parse_jsonc("x.json", "{\"a\":1, // c\n}").is_ok());
        let deep = "[".repeat(10_000);
        assert!(matches!(
            json::parse("x.json", &deep),
            Err(ParseError::TooDeep { .. })
        ));
    }

    #[test]
    fn invalid_utf8_has_a_position() {
        let e = text("f", b"ab\ncd\xff").expect_err("invalid");
        assert_eq!(e.to_string(), "f:2:3: expected UTF-8 text");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a==1\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(text("f", &utf16).expect("utf-16").as_ref(), "a==1\n");
    }
}
