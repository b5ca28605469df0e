//! purl helpers for the readers: a parse that accepts what other tools write, and the
//! OSV ecosystem and package name a purl stands for.

use annex_inventory::purl::{ParsedPurl, parse_purl};

/// [`annex_inventory::purl::parse_purl`] (normalising), falling back to a plain split for
/// purls it refuses (a Maven purl without namespace, unknown qualifiers spelled oddly…).
pub(crate) fn parse_lenient(s: &str) -> Option<ParsedPurl> {
    if let Ok(p) = parse_purl(s) {
        return Some(p);
    }
    let rest = s.trim().strip_prefix("pkg:")?.trim_start_matches('/');
    let rest = rest.split('#').next().unwrap_or(rest);
    let rest = rest.split('?').next().unwrap_or(rest);
    let (ty, path) = rest.split_once('/')?;
    let (path, version) = match path.rsplit_once('@') {
        Some((p, v)) if !p.is_empty() && !p.ends_with('/') => (p, Some(decode(v))),
        _ => (path, None),
    };
    let path = path.trim_matches('/');
    let (namespace, name) = match path.rsplit_once('/') {
        Some((ns, n)) => (
            Some(ns.split('/').map(decode).collect::<Vec<_>>().join("/")),
            decode(n),
        ),
        None => (None, decode(path)),
    };
    if ty.is_empty() || name.is_empty() {
        return None;
    }
    Some(ParsedPurl {
        ty: ty.to_ascii_lowercase(),
        namespace,
        name,
        version,
        qualifiers: Vec::new(),
        subpath: None,
    })
}

fn hexval(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hexval(b[i + 1]), hexval(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The OSV ecosystem of a purl type (`cargo` → `crates.io`); distributions by namespace
/// (`deb` with `debian` → `Debian`). `None` when OSV has no such ecosystem.
pub(crate) fn ecosystem(p: &ParsedPurl) -> Option<String> {
    let ns = p.namespace.as_deref().unwrap_or("").to_ascii_lowercase();
    Some(
        match p.ty.as_str() {
            "cargo" => "crates.io",
            "npm" => "npm",
            "pypi" => "PyPI",
            "maven" => "Maven",
            "golang" => "Go",
            "composer" => "Packagist",
            "gem" => "RubyGems",
            "nuget" => "NuGet",
            "pub" => "Pub",
            "hex" => "Hex",
            "swift" => "SwiftURL",
            "conan" => "ConanCenter",
            "cran" => "CRAN",
            "hackage" => "Hackage",
            "julia" => "Julia",
            "opam" => "opam",
            "bitnami" => "Bitnami",
            "deb" => match ns.as_str() {
                "debian" => "Debian",
                "ubuntu" => "Ubuntu",
                _ => return None,
            },
            "apk" => match ns.as_str() {
                "alpine" => "Alpine",
                "wolfi" => "Wolfi",
                "chainguard" => "Chainguard",
                _ => return None,
            },
            _ => return None,
        }
        .to_string(),
    )
}

/// The package name OSV uses for a purl: `@scope/name` (npm), `group:artifact` (Maven),
/// `namespace/name` for other types with a namespace, else the name.
pub(crate) fn osv_name(p: &ParsedPurl) -> String {
    match (&p.namespace, p.ty.as_str()) {
        (Some(ns), "maven") => format!("{ns}:{}", p.name),
        (Some(_), "deb" | "apk" | "rpm" | "alpm") => p.name.clone(),
        (Some(ns), _) => format!("{ns}/{}", p.name),
        (None, _) => p.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let p = parse_lenient("pkg:npm/%40babel/core@7.24.0").unwrap();
        assert_eq!(osv_name(&p), "@babel/core");
        assert_eq!(ecosystem(&p).as_deref(), Some("npm"));
        let p = parse_lenient("pkg:maven/org.apache/commons-lang3@3.0").unwrap();
        assert_eq!(osv_name(&p), "org.apache:commons-lang3");
        let p = parse_lenient("pkg:golang/github.com/google/uuid@v1.6.0").unwrap();
        assert_eq!(osv_name(&p), "github.com/google/uuid");
        assert_eq!(p.version.as_deref(), Some("v1.6.0"));
        let p = parse_lenient("pkg:deb/debian/curl@7.0?arch=amd64").unwrap();
        assert_eq!(
            (osv_name(&p).as_str(), ecosystem(&p).as_deref()),
            ("curl", Some("Debian"))
        );
        // Refused by the strict parser (Maven needs a namespace), still read.
        let p = parse_lenient("pkg:maven/junit@4.12").unwrap();
        assert_eq!(p.name, "junit");
        assert!(parse_lenient("not a purl").is_none());
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("a%2Fb"), "a/b");
    }
}
