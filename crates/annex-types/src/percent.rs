//! Percent-encoding (RFC 3986, section 2.1) of the characters a caller picks.

/// Appends `s` to `out`, writing each character `encode` picks as `%XX` for every byte of its
/// UTF-8 form (upper-case hex) and every other character as it is.
pub fn encode_where(out: &mut String, s: &str, encode: impl Fn(char) -> bool) {
    for c in s.chars() {
        if encode(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_only_what_is_picked() {
        let mut out = String::from(">");
        encode_where(&mut out, "a b%é", |c| c == ' ' || c == 'é');
        assert_eq!(out, ">a%20b%%C3%A9");
    }
}
