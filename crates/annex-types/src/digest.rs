//! Digests and encodings: SHA-256, lowercase hex, content-derived UUIDs, base64.
//!
//! Everything here is deterministic: the same bytes give the same digest and the same
//! UUID, with no clock and no randomness, so documents that carry them are reproducible.

use sha2::{Digest, Sha256};

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// SHA-256 of `data` as lowercase hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&sha256(data))
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[usize::from(b >> 4)] as char);
        s.push(HEX[usize::from(b & 0xf)] as char);
    }
    s
}

/// Whether `s` is `len` hex digits (either case).
pub fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A UUID shaped like version 5 (RFC 9562: version nibble 5, variant `10`) whose bits are
/// the first 128 bits of SHA-256 over `data`, lowercase with hyphens: the same content
/// gives the same UUID.
pub fn content_uuid(data: &[u8]) -> String {
    let d = sha256(data);
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Decode standard or URL-safe base64 (padding optional, surrounding spaces ignored).
/// `None` on any other character or a dangling sextet.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A single leftover sextet cannot encode a byte.
    if bits >= 6 {
        return None;
    }
    Some(out)
}

/// Base64 (as [`base64_decode`] reads it) to lowercase hex.
pub fn base64_to_hex(s: &str) -> Option<String> {
    base64_decode(s).map(|b| hex(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_and_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(hex(&[0x00, 0xab, 0xff]), "00abff");
        assert!(is_hex("00AbfF", 6));
        assert!(!is_hex("00abfg", 6));
        assert!(!is_hex("00ab", 6));
    }

    #[test]
    fn uuid_shape() {
        let u = content_uuid(b"abc");
        assert_eq!(u, "ba7816bf-8f01-5fea-8141-40de5dae2223");
        assert_eq!(u.len(), 36);
        assert_eq!(u, content_uuid(b"abc"));
        assert_ne!(u, content_uuid(b"abd"));
    }

    #[test]
    fn base64() {
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode(" aGVsbG8 ").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("-_8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(base64_decode("+/8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(base64_decode("a"), None);
        assert_eq!(base64_decode("a*b="), None);
        assert_eq!(base64_decode("").as_deref(), Some(&[][..]));
        assert_eq!(base64_to_hex("AAE=").as_deref(), Some("0001"));
    }
}
