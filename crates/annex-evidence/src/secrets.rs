//! High-confidence secret patterns. Only token formats with a fixed, distinctive prefix are
//! matched, so a finding is almost never a false positive; the value itself is never kept.

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
        let idx = index.get_or_insert_with(|| LineIndex::new(text));
        out.push((PATTERNS[group - 1].0, idx.line(m.start())));
        if out.len() >= MAX_PER_FILE {
            break;
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile_and_match() {
        let gh = format!("gh{}_{}", "p", "a".repeat(36));
        let aws = format!("AKIA{}", "Q".repeat(16));
        let key = format!("-----BEGIN {}PRIVATE KEY-----", "OPENSSH ");
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
}
