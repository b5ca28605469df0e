//! Making inventory values fit what the SBOM formats allow: content-derived UUIDs,
//! identifiers in the SPDX character set, hash algorithm names and lengths, IRI-safe URLs,
//! XML-safe text.

// Content-derived UUIDs and hex checks are the shared digests of annex-types.
pub(crate) use annex_types::digest::{content_uuid, is_hex};

/// `[A-Za-z0-9.-]` kept, everything else `-`, runs of `-` collapsed: the character set
/// SPDX 2.3 allows after `SPDXRef-`, also safe in IRI fragments.
pub(crate) fn sanitize_id(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '.' {
            c
        } else {
            '-'
        };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let t = out.trim_matches('-');
    if t.is_empty() {
        "x".to_string()
    } else {
        t.to_string()
    }
}

/// Inventory hash algorithm (`sha256`) → (CycloneDX name, SPDX 2.3 name, SPDX 3 name,
/// hex length). `None` for algorithms a format cannot carry.
pub(crate) fn hash_alg(alg: &str) -> Option<(&'static str, &'static str, &'static str, usize)> {
    Some(
        match alg.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "md5" => ("MD5", "MD5", "md5", 32),
            "sha1" => ("SHA-1", "SHA1", "sha1", 40),
            "sha256" => ("SHA-256", "SHA256", "sha256", 64),
            "sha384" => ("SHA-384", "SHA384", "sha384", 96),
            "sha512" => ("SHA-512", "SHA512", "sha512", 128),
            "sha3256" => ("SHA3-256", "SHA3-256", "sha3_256", 64),
            "sha3384" => ("SHA3-384", "SHA3-384", "sha3_384", 96),
            "sha3512" => ("SHA3-512", "SHA3-512", "sha3_512", 128),
            _ => return None,
        },
    )
}

/// Make a URL acceptable as an IRI reference: scp-like git remotes
/// (`git@host:path`) become `ssh://git@host/path`; characters outside RFC 3987 (space,
/// `<>"{}|\^` and backtick, controls) are percent-encoded.
pub(crate) fn clean_url(url: &str) -> String {
    let url = url.trim();
    let url = if !url.contains("://")
        && let Some((user_host, path)) = url.split_once(':')
        && user_host.contains('@')
        && !user_host.contains('/')
    {
        format!("ssh://{user_host}/{}", path.trim_start_matches('/'))
    } else {
        url.to_string()
    };
    let mut out = String::with_capacity(url.len());
    annex_types::percent::encode_where(&mut out, &url, |c| {
        c.is_control()
            || matches!(
                c,
                ' ' | '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`'
            )
    });
    out
}

/// [`clean_url`] when the result is an absolute IRI (a scheme, then `:`), with `[` and `]`
/// percent-encoded outside the authority (where only an IP literal may use them); `None`
/// for anything else, such as the `[..]` placeholder of test lockfiles, which the
/// CycloneDX `iri-reference` format and the SPDX download-location grammar both reject.
pub(crate) fn iri(url: &str) -> Option<String> {
    let url = clean_url(url);
    let (scheme, rest) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() {
        return None;
    }
    // The authority runs from `//` to the next `/`, `?` or `#`.
    let (authority, tail) = match rest.strip_prefix("//") {
        Some(r) => {
            let end = r.find(['/', '?', '#']).unwrap_or(r.len());
            (&r[..end], &r[end..])
        }
        None => ("", rest),
    };
    if authority.is_empty() && rest.starts_with("//") {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    out.push_str(scheme);
    out.push(':');
    if rest.starts_with("//") {
        out.push_str("//");
        out.push_str(authority);
    }
    annex_types::percent::encode_where(&mut out, tail, |c| matches!(c, '[' | ']'));
    Some(out)
}

/// Characters XML 1.0 cannot carry (most C0 controls, lone surrogates cannot occur in
/// `str`, U+FFFE/U+FFFF) replaced by U+FFFD.
pub(crate) fn xml_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
    };
    if s.chars().any(bad) {
        std::borrow::Cow::Owned(
            s.chars()
                .map(|c| if bad(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_shape() {
        let u = content_uuid(b"abc");
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "5");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(u, content_uuid(b"abc"));
        assert_ne!(u, content_uuid(b"abd"));
    }

    #[test]
    fn sanitize() {
        assert_eq!(
            sanitize_id("pkg:npm/%40babel/core@7.24.0"),
            "pkg-npm-40babel-core-7.24.0"
        );
        assert_eq!(sanitize_id("///"), "x");
    }

    #[test]
    fn urls() {
        assert_eq!(
            clean_url("git@github.com:org/repo.git"),
            "ssh://git@github.com/org/repo.git"
        );
        assert_eq!(clean_url("https://x.org/a b"), "https://x.org/a%20b");
        assert_eq!(clean_url("git+https://x.org/a"), "git+https://x.org/a");
        assert_eq!(iri("[..]"), None);
        assert_eq!(iri("1abc:x"), None);
        assert_eq!(iri("https://"), None);
        assert_eq!(
            iri("git@github.com:org/repo.git").as_deref(),
            Some("ssh://git@github.com/org/repo.git")
        );
        assert_eq!(
            iri("https://[::1]:8080/a[1]").as_deref(),
            Some("https://[::1]:8080/a%5B1%5D")
        );
    }
}
