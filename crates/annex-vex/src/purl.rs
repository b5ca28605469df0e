//! Package URLs, as far as VEX needs them: recognising and parsing one (to resolve products)
//! and formatting one from its parts. Which purl type an ecosystem has is the caller's
//! knowledge.

/// A parsed package URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purl {
    pub ty: String,
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
}

/// Whether `s` parses as a purl.
pub fn is_purl(s: &str) -> bool {
    parse_purl(s).is_some()
}

/// Parses `pkg:type/namespace/name@version?qualifiers#subpath` (components percent-decoded;
/// qualifiers and subpath dropped).
pub fn parse_purl(s: &str) -> Option<Purl> {
    let s = s.trim();
    let rest = s
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("pkg:"))
        .map(|_| &s[4..])?;
    let rest = rest.trim_start_matches('/');
    let rest = rest.split_once('#').map_or(rest, |(a, _)| a);
    let rest = rest.split_once('?').map_or(rest, |(a, _)| a);
    let (ty, rest) = rest.split_once('/')?;
    if ty.is_empty()
        || !ty
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
    {
        return None;
    }
    let rest = rest.trim_end_matches('/');
    let last_slash = rest.rfind('/');
    let (path, version) = match rest.rfind('@') {
        Some(at) if last_slash.is_none_or(|sl| at > sl) => (&rest[..at], Some(&rest[at + 1..])),
        _ => (rest, None),
    };
    let (namespace, name) = match path.rsplit_once('/') {
        Some((ns, n)) => (Some(ns), n),
        None => (None, path),
    };
    if name.is_empty() {
        return None;
    }
    Some(Purl {
        ty: ty.to_ascii_lowercase(),
        namespace: namespace.filter(|n| !n.is_empty()).map(|n| {
            n.split('/')
                .map(percent_decode)
                .collect::<Vec<_>>()
                .join("/")
        }),
        name: percent_decode(name),
        version: version.filter(|v| !v.is_empty()).map(percent_decode),
    })
}

/// Decodes `%XX` escapes (invalid ones are kept as they are): the one decoder in
/// `annex-types`.
pub use annex_types::purl::decode_lossy as percent_decode;

/// Encodes every byte but ASCII alphanumerics, `._-~` and those in `keep` as `%XX`.
pub fn percent_encode(s: &str, keep: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"._-~".contains(&b) || keep.as_bytes().contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Formats a purl from its parts (namespace segments, name and version percent-encoded).
pub fn format_purl(ty: &str, namespace: Option<&str>, name: &str, version: &str) -> String {
    let mut out = format!("pkg:{ty}/");
    if let Some(ns) = namespace {
        let enc: Vec<String> = ns.split('/').map(|s| percent_encode(s, "")).collect();
        out.push_str(&enc.join("/"));
        out.push('/');
    }
    out.push_str(&percent_encode(name, ""));
    if !version.is_empty() {
        out.push('@');
        out.push_str(&percent_encode(version, "+"));
    }
    out
}
