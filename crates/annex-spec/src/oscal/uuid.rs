//! Document uuids derived from content, so the same input gives the same document.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// A version-5-shaped uuid from the SHA-256 of `data`.
pub(super) fn uuid_of(data: &[u8]) -> String {
    let h = Sha256::digest(data);
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

pub(super) fn content_uuid<T: Serialize>(kind: &str, doc: &T) -> String {
    let mut data = format!("annex-oscal-{kind}\0").into_bytes();
    data.extend(serde_json::to_vec(doc).unwrap_or_default());
    uuid_of(&data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_v5_shaped() {
        let u = uuid_of(b"x");
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "5");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    }
}
