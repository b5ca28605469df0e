//! Hashes as lockfiles write them (Subresource Integrity, `alg:hex`), as lowercase hex.

use crate::model::Hash;
use annex_types::digest::{base64_decode, hex, is_hex};

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

/// `sha256:abcd…` (or `sha256=…`) → a [`Hash`] with lowercase hex; `None` for other shapes.
pub(crate) fn hash_from_prefixed(s: &str) -> Option<Hash> {
    let (alg, value) = s.split_once([':', '='])?;
    hash_of(alg, value)
}

/// A hex digest of a known algorithm (`sha256`, `SHA-512`, …); `None` if it is not one.
pub(crate) fn hash_of(alg: &str, value: &str) -> Option<Hash> {
    let alg = alg.trim().to_ascii_lowercase().replace('-', "");
    let value = value.trim().to_ascii_lowercase();
    let want = match alg.as_str() {
        "md5" => 32,
        "sha1" => 40,
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return None,
    };
    is_hex(&value, want).then_some(Hash { alg, value })
}
