//! Hashes as lockfiles write them (Subresource Integrity), as lowercase hex.

use crate::model::Hash;
use annex_types::digest::{base64_decode, hex};

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
