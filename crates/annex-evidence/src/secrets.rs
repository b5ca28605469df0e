//! High-confidence secret patterns. Only token formats with a fixed, distinctive prefix are
//! matched, so a finding is almost never a false positive; the value itself is never kept.
//! A PEM private key counts only when its body decodes to a key structure (a DER
//! SEQUENCE whose length is the body's, an OpenSSH or OpenPGP secret key): documentation
//! that shows a header over a truncated (`...`) or placeholder body is not a key.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::SecretKind;
use crate::text::{LineIndex, compile};

/// At most this many findings are reported per file.
const MAX_PER_FILE: usize = 100;

const PATTERNS: &[(SecretKind, &str)] = &[
    (
        SecretKind::PrivateKey,
        r"-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----",
    ),
    (SecretKind::AwsAccessKey, r"\bAKIA[0-9A-Z]{16}\b"),
    (SecretKind::GithubToken, r"\bgh[pousr]_[0-9A-Za-z]{36}\b"),
    (
        SecretKind::GithubToken,
        r"\bgithub_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}\b",
    ),
    (SecretKind::GitlabToken, r"\bglpat-[0-9A-Za-z_-]{20,}"),
    (
        SecretKind::SlackToken,
        r"\bxox[baprs]-[0-9]{10,13}-[0-9A-Za-z-]{10,}",
    ),
    (SecretKind::GoogleApiKey, r"\bAIza[0-9A-Za-z_-]{35}"),
    (SecretKind::StripeKey, r"\b[sr]k_live_[0-9A-Za-z]{24,}"),
    (SecretKind::NpmToken, r"\bnpm_[0-9A-Za-z]{36}\b"),
    (
        SecretKind::PypiToken,
        r"\bpypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{50,}",
    ),
];

/// All patterns as one alternation, one capture group each: a single pass over the text
/// with the regex engine's literal prefilter, instead of one pass per pattern.
static COMBINED: LazyLock<Regex> = LazyLock::new(|| {
    let alternation: Vec<String> = PATTERNS.iter().map(|(_, p)| format!("({p})")).collect();
    compile(&alternation.join("|"))
});

/// Scan a text for secrets; returns (kind, 1-based line), sorted and deduplicated.
pub(crate) fn scan(text: &str) -> Vec<(SecretKind, u64)> {
    let mut index: Option<LineIndex> = None;
    let mut out = Vec::new();
    for caps in COMBINED.captures_iter(text) {
        let Some((group, m)) = caps
            .iter()
            .enumerate()
            .skip(1)
            .find_map(|(i, g)| g.map(|g| (i, g)))
        else {
            continue;
        };
        // The documentation placeholders (AKIAIOSFODNN7EXAMPLE) are not secrets.
        if m.as_str().contains("EXAMPLE") {
            continue;
        }
        let kind = PATTERNS[group - 1].0;
        if kind == SecretKind::PrivateKey && !pem_key(&text[m.start()..]) {
            continue;
        }
        let idx = index.get_or_insert_with(|| LineIndex::new(text));
        out.push((kind, idx.line(m.start())));
        if out.len() >= MAX_PER_FILE {
            break;
        }
    }
    out.sort();
    out.dedup();
    out
}

/// How far after its header a PEM block's end is looked for (a 16 kbit RSA key is ~12 KiB).
const MAX_PEM: usize = 16 * 1024;

/// Whether the PEM block at the start of `from` (its `-----BEGIN … PRIVATE KEY…-----`
/// line) holds a key: the body, taken out of string quoting (`"…\n" +`), must be base64
/// only and decode to a key structure. No end line, a truncated or placeholder body
/// (`...`, `<your key>`), or bytes that are not a key: not a key.
fn pem_key(from: &str) -> bool {
    let Some(header_end) = from
        .find("-----")
        .and_then(|a| from[a + 5..].find("-----").map(|b| a + 5 + b + 5))
    else {
        return false;
    };
    let label = from[..header_end]
        .trim_matches('-')
        .trim_start_matches("BEGIN ");
    let mut cut = from.len().min(header_end + MAX_PEM);
    while !from.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &from[header_end..cut];
    let end_marker = format!("-----END {label}-----");
    let Some(end) = window.find(&end_marker) else {
        return false;
    };
    // Keys embedded in source strings carry escaped newlines and quoting.
    let body = window[..end].replace("\\r", "").replace("\\n", "\n");
    let mut b64 = String::new();
    let mut encrypted = false;
    for line in body.lines() {
        let line = unquote(line);
        if line.is_empty() {
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            // RFC 1421 and OpenPGP armour headers.
            encrypted |= name.trim() == "Proc-Type" && value.contains("ENCRYPTED");
            continue;
        }
        // The OpenPGP armour checksum (`=AbCd`).
        if label.contains("PGP") && line.len() == 5 && line.starts_with('=') {
            continue;
        }
        b64.push_str(line);
    }
    let Some(der) = annex_types::digest::base64_decode(&b64) else {
        return false;
    };
    if der.len() < 32 {
        return false;
    }
    if label.contains("OPENSSH") {
        return der.starts_with(b"openssh-key-v1\0");
    }
    if label.contains("PGP") {
        return pgp_secret_key(&der);
    }
    // Legacy encrypted PEM: the body is ciphertext in cipher blocks.
    if encrypted {
        return der.len() % 8 == 0;
    }
    der_sequence(&der)
}

/// A body line without the string quoting around it in source code: `"MIIE…\n" +`,
/// `+ 'MIIE…'`, ` * MIIE…` in a comment. A `+` inside the base64 stays.
fn unquote(line: &str) -> &str {
    const QUOTES: [char; 3] = ['"', '\'', '`'];
    let mut l = line.trim();
    if let Some(x) = l.strip_suffix('+')
        && x.trim_end().ends_with(QUOTES)
    {
        l = x.trim_end();
    }
    if let Some(x) = l.strip_prefix('+')
        && x.trim_start().starts_with(QUOTES)
    {
        l = x.trim_start();
    }
    l.trim_matches(|c: char| {
        c.is_whitespace() || QUOTES.contains(&c) || matches!(c, ',' | ';' | '\\' | '*' | '#')
    })
}

/// A DER SEQUENCE spanning exactly these bytes, whose first element is an INTEGER
/// (PKCS#1, SEC 1, PKCS#8 version) or a SEQUENCE (encrypted PKCS#8's algorithm).
fn der_sequence(der: &[u8]) -> bool {
    let [0x30, first, rest @ ..] = der else {
        return false;
    };
    let (len, body) = if *first < 0x80 {
        (usize::from(*first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return false;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    len == body.len() && matches!(body.first(), Some(0x02 | 0x30))
}

/// An OpenPGP packet stream that starts with a secret-key packet (tag 5).
fn pgp_secret_key(bytes: &[u8]) -> bool {
    let Some(&b) = bytes.first() else {
        return false;
    };
    if b & 0x80 == 0 {
        return false;
    }
    let tag = if b & 0x40 != 0 {
        b & 0x3f
    } else {
        (b >> 2) & 0x0f
    };
    tag == 5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile_and_match() {
        let gh = format!("gh{}_{}", "p", "a".repeat(36));
        let aws = format!("AKIA{}", "Q".repeat(16));
        let key = format!(
            "-----BEGIN {0}PRIVATE KEY-----\n{1}\n-----END {0}PRIVATE KEY-----",
            "OPENSSH ", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAARub25lAAAABG5vbmU="
        );
        let text = format!("x\n{gh}\nfoo {aws} bar\n\n{key}\nAKIAIOSFODNN7EXAMPLE\n");
        assert_eq!(
            scan(&text),
            vec![
                (SecretKind::PrivateKey, 5),
                (SecretKind::AwsAccessKey, 3),
                (SecretKind::GithubToken, 2),
            ]
        );
        assert!(scan("ghp_short AKIA1234").is_empty());
    }

    /// Runs a key generator; `None` when the tool is not installed (the test then checks
    /// the shapes it can).
    fn generated(cmd: &str, args: &[&str], out: Option<&std::path::Path>) -> Option<String> {
        let o = std::process::Command::new(cmd).args(args).output().ok()?;
        if !o.status.success() {
            return None;
        }
        match out {
            Some(p) => std::fs::read_to_string(p).ok(),
            None => String::from_utf8(o.stdout).ok(),
        }
    }

    fn keys(text: &str) -> Vec<u64> {
        scan(text)
            .into_iter()
            .filter(|(k, _)| *k == SecretKind::PrivateKey)
            .map(|(_, l)| l)
            .collect()
    }

    /// A real key, generated here, is found in every shape it is committed in: a PEM
    /// file, a source string with escaped newlines, concatenated string lines, and the
    /// OpenSSH format; an encrypted PKCS#8 key too.
    #[test]
    fn generated_keys_are_found() {
        const EC: &[&str] = &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ];
        let Some(pkcs8) = generated("openssl", EC, None) else {
            return;
        };
        assert_eq!(keys(&format!("x\n{pkcs8}")), vec![2]);
        let escaped = pkcs8.trim_end().replace('\n', "\\n");
        assert_eq!(keys(&format!("const KEY = \"{escaped}\";\n")), vec![1]);
        let joined: Vec<String> = pkcs8.lines().map(|l| format!("    \"{l}\\n\" +")).collect();
        assert_eq!(
            keys(&format!("key =\n{}\n    \"\";\n", joined.join("\n"))),
            vec![2]
        );
        let rsa = generated("openssl", &["genrsa", "-traditional", "1024"], None)
            .or_else(|| generated("openssl", &["genrsa", "1024"], None))
            .unwrap();
        assert_eq!(keys(&rsa), vec![1]);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("id");
        let p = path.to_str().unwrap();
        if let Some(ssh) = generated(
            "ssh-keygen",
            &["-q", "-t", "ed25519", "-N", "", "-f", p],
            Some(&path),
        ) {
            assert_eq!(keys(&ssh), vec![1]);
        }
        let encrypted = [EC, &["-aes256", "-pass", "pass:x"]].concat();
        if let Some(enc) = generated("openssl", &encrypted, None) {
            assert!(enc.contains("ENCRYPTED PRIVATE KEY"));
            assert_eq!(keys(&enc), vec![1]);
        }
    }

    /// Documentation shapes seen in real repositories are not keys: a javadoc block whose
    /// body is cut with `...`, a service-account JSON with a truncated key, a header over a
    /// placeholder, a header without an end, random base64 that is no key structure.
    #[test]
    fn truncated_and_placeholder_keys_are_not_keys() {
        let b = "-----BEGIN ";
        let e = "-----END ";
        let javadoc = format!(
            "/**\n * <pre>\n * {b}PRIVATE KEY-----\n * MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n * ...\n * K5xVb1qTu2w3=\n * {e}PRIVATE KEY-----\n * </pre>\n */\n"
        );
        assert!(keys(&javadoc).is_empty());
        let service_account = format!(
            "```json\n{{\n  \"type\": \"service_account\",\n  \"private_key\": \"{b}PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\\n{e}PRIVATE KEY-----\\n\"\n}}\n```\n"
        );
        assert!(keys(&service_account).is_empty());
        let placeholder =
            format!("{b}RSA PRIVATE KEY-----\n<your key here>\n{e}RSA PRIVATE KEY-----\n");
        assert!(keys(&placeholder).is_empty());
        assert!(keys(&format!("{b}OPENSSH PRIVATE KEY-----\n")).is_empty());
        // Valid base64, but not a DER SEQUENCE of its own length.
        let noise = format!(
            "{b}PRIVATE KEY-----\n{}\n{e}PRIVATE KEY-----\n",
            "QUJD".repeat(20)
        );
        assert!(keys(&noise).is_empty());
    }

    #[test]
    fn der_shapes() {
        // SEQUENCE { INTEGER 0 } padded to a long-form length.
        let mut der = vec![0x30, 0x81, 0x83, 0x02, 0x01, 0x00];
        der.resize(3 + 0x83, 0x05);
        assert!(der_sequence(&der));
        der.pop();
        assert!(!der_sequence(&der), "length longer than the bytes");
        assert!(!der_sequence(&[0x31, 0x03, 0x02, 0x01, 0x00]));
        assert!(pgp_secret_key(&[0x95, 0x01]) && pgp_secret_key(&[0xc5, 0x01]));
        assert!(!pgp_secret_key(&[0x99, 0x01]), "a public key packet");
    }
}
