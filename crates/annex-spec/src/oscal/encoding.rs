//! Prop values: OSCAL wants non-empty strings without surrounding whitespace, so any other
//! value travels as `pct:` + percent-encoding.

pub(super) const PCT: &str = "pct:";

/// Whether `s` is a valid OSCAL StringDatatype value that cannot be mistaken for an encoded one.
pub(super) fn is_clean(s: &str) -> bool {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().last()) else {
        return false;
    };
    !first.is_whitespace()
        && !last.is_whitespace()
        && !s.chars().any(char::is_control)
        && !s.starts_with(PCT)
}

/// A prop value: `s` itself when valid, else `pct:` + percent-encoding of `s`.
pub fn enc(s: &str) -> String {
    if is_clean(s) {
        return s.to_string();
    }
    let mut out = String::from(PCT);
    annex_types::percent::encode_where(&mut out, s, |c| {
        c == '%' || c.is_control() || c.is_whitespace()
    });
    out
}

pub fn dec(s: &str) -> String {
    let Some(rest) = s.strip_prefix(PCT) else {
        return s.to_string();
    };
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = rest
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips() {
        for s in [
            "", " a", "a ", "x\ny", "50%", "pct:x", "plain", "é ü", "\t", "%41",
        ] {
            let e = enc(s);
            // Either a valid value as it is, or an encoded one without any whitespace.
            assert!(
                (is_clean(&e) && e == s)
                    || (e.starts_with(PCT) && !e.contains(char::is_whitespace)),
                "{e:?}"
            );
            assert_eq!(dec(&e), s);
        }
        assert_eq!(enc("OSPS-AC-01"), "OSPS-AC-01");
        assert_eq!(dec("pct:%zz%4"), "%zz%4");
    }
}
