//! `docs.security_policy` (SECURITY.md and friends) and `docs.security_txt` (RFC 9116).

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{
    Contact, ContactKind, Fact, PolicyText, ResponseDays, SecurityPolicy, SecurityTxt,
};
use crate::probes::names::{DocKind, doc_kind, doc_location_rank, is_security_txt};
use crate::record::FileRecord;
use crate::text::{compile, headings, numbered_lines};

struct Rules {
    email: Regex,
    url: Regex,
    url_context: Regex,
    private: Regex,
    response: Regex,
    disclosure: Regex,
    supported_heading: Regex,
    supported_table: Regex,
    sc_url: Regex,
    sc_email: Regex,
    sc_hint: Regex,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| Rules {
    email: compile(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b"),
    url: compile(r#"https?://[^\s<>()\[\]{}"'`|]+"#),
    url_context: compile(
        r"(?i)report|contact|disclos|vulnerab|security|advisor|e-?mail|send|submit|hackerone|bugcrowd|huntr|intigriti|yeswehack|\bform\b",
    ),
    private: compile(
        r"(?i)\bprivate(?:ly)?\b|\bconfidential(?:ly)?\b|security advisor(?:y|ies)|report a vulnerability|/security/advisories|do not (?:open|file|create|submit|report|post)\b[^.]*\bpublic",
    ),
    response: compile(
        r"(?i)\b(?:within|in under|in less than|no later than|no more than)\s+(?:a\s+maximum\s+of\s+|at\s+most\s+)?(\d{1,4}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty|thirty|sixty|ninety)(?:\s*(?:-|–|to|or)\s*(\d{1,4}))?(?:\s*\(\d{1,4}\))?\s*(business\s+|working\s+|calendar\s+)?(hours?|hrs?|h|days?|weeks?|months?)\b",
    ),
    disclosure: compile(r"(?i)disclos|embargo|\bCVEs?\b|\badvisor(?:y|ies)\b"),
    supported_heading: compile(
        r"(?i)supported\s+versions?|version\s+support|supported\s+releases|supported\s+branches|security\s+updates",
    ),
    supported_table: compile(
        r"(?i)^\s*\|?\s*(?:versions?|releases?|branch(?:es)?)\s*\|\s*supported",
    ),
    // Scorecard's own three patterns, byte for byte in effect (Go's `\b` is ASCII).
    sc_url: compile(r"(?-u)(http|https)://[a-zA-Z0-9./?=_%:-]*"),
    sc_email: compile(r"(?-u)\b[A-Za-z0-9._%+-]+(@|\\?\[at\\?\])[A-Za-z0-9.-]+\.[A-Za-z]{2,6}\b"),
    sc_hint: compile(r"(?i-u)[0-9]{1,4}\b|Disclos|Vuln"),
});

/// The policy file: SECURITY* in the root, `.github/` or `docs/` (root first). A
/// lowercase `security.txt` at the root that is an RFC 9116 file is not a policy.
pub(crate) fn security_policy(files: &[FileRecord]) -> Option<SecurityPolicy> {
    let rec = files
        .iter()
        .filter(|f| doc_kind(&f.rel) == Some(DocKind::Security))
        .filter(|f| !(f.rel == "security.txt" && looks_like_rfc9116(f)))
        .min_by_key(|f| (doc_location_rank(&f.rel), f.rel.as_str()))?;
    let mut policy = SecurityPolicy {
        path: rec.rel.clone(),
        line: 1,
        digest: rec.digest.clone(),
        contacts: Vec::new(),
        private_reporting: None,
        response_days: None,
        disclosure: None,
        supported_versions: None,
        text: PolicyText {
            size: rec.size,
            ..PolicyText::default()
        },
    };
    let Some(text) = rec.text() else {
        return Some(policy);
    };
    parse_policy(&rec.rel, &text, &mut policy);
    policy.text = policy_text(rec.size, &text);
    Some(policy)
}

/// Scorecard's measure of a policy's text: distinct links (URLs and e-mail addresses,
/// each kind deduplicated on its own), their length, and every hint.
fn policy_text(size: u64, text: &str) -> PolicyText {
    let rules = &*RULES;
    let mut out = PolicyText {
        size,
        ..PolicyText::default()
    };
    for re in [&rules.sc_url, &rules.sc_email] {
        let distinct: HashSet<&str> = re.find_iter(text).map(|m| m.as_str()).collect();
        out.links += distinct.len() as u64;
        out.linked_chars += distinct.iter().map(|m| m.len() as u64).sum::<u64>();
    }
    out.hints = rules.sc_hint.find_iter(text).count() as u64;
    out
}

fn parse_policy(path: &str, text: &str, policy: &mut SecurityPolicy) {
    let rules = &*RULES;
    let at = |line: u64| Fact {
        path: path.to_string(),
        line,
        digest: None,
    };
    let mut contacts = Contacts::default();
    for (n, line) in numbered_lines(text) {
        for m in rules.email.find_iter(line) {
            contacts.push(ContactKind::Email, m.as_str(), n);
        }
        if rules.url_context.is_match(line) {
            for m in rules.url.find_iter(line) {
                let url = m
                    .as_str()
                    .trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_']);
                if is_contact_url(url) {
                    contacts.push(ContactKind::Url, url, n);
                }
            }
        }
        if policy.private_reporting.is_none() && rules.private.is_match(line) {
            policy.private_reporting = Some(at(n));
        }
        if policy.response_days.is_none()
            && let Some(days) = response_days(line)
        {
            policy.response_days = Some(ResponseDays { days, line: n });
        }
        if policy.disclosure.is_none() && rules.disclosure.is_match(line) {
            policy.disclosure = Some(at(n));
        }
        if policy.supported_versions.is_none() && rules.supported_table.is_match(line) {
            policy.supported_versions = Some(at(n));
        }
    }
    if let Some((n, _)) = headings(text)
        .into_iter()
        .find(|(_, h)| rules.supported_heading.is_match(h))
        && policy
            .supported_versions
            .as_ref()
            .is_none_or(|f| n < f.line)
    {
        policy.supported_versions = Some(at(n));
    }
    let mut contacts = contacts.list;
    contacts.sort_by(|a, b| (a.line, a.kind, &a.value).cmp(&(b.line, b.kind, &b.value)));
    policy.contacts = contacts;
}

/// At most this many contacts are kept from one policy.
const MAX_CONTACTS: usize = 100;

/// Contacts in the order found, the first occurrence of each value only.
#[derive(Default)]
struct Contacts {
    list: Vec<Contact>,
    seen: HashSet<(ContactKind, String)>,
}

impl Contacts {
    fn push(&mut self, kind: ContactKind, value: &str, line: u64) {
        if value.is_empty()
            || self.list.len() >= MAX_CONTACTS
            || !self.seen.insert((kind, value.to_ascii_lowercase()))
        {
            return;
        }
        self.list.push(Contact {
            kind,
            value: value.to_string(),
            line,
        });
    }
}

/// Badge and image links are not contacts.
fn is_contact_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let host_end = lower.find("://").map_or(0, |i| i + 3);
    lower.len() > host_end
        && !lower.contains("shields.io")
        && ![".png", ".svg", ".jpg", ".jpeg", ".gif"]
            .iter()
            .any(|e| lower.ends_with(e))
}

/// A response time promised on this line ("within 14 days", "within 2 business days",
/// "within 48 hours", "within a week"), converted to calendar days.
pub(crate) fn response_days(line: &str) -> Option<u64> {
    let caps = RULES.response.captures(line)?;
    let first = number(caps.get(1)?.as_str())?;
    let n = caps
        .get(2)
        .and_then(|m| m.as_str().parse::<u64>().ok())
        .map_or(first, |upper| upper.max(first));
    let business = caps.get(3).is_some_and(|m| {
        let m = m.as_str().to_ascii_lowercase();
        m.starts_with("business") || m.starts_with("working")
    });
    let unit = caps.get(4)?.as_str().to_ascii_lowercase();
    let days = if unit.starts_with('h') {
        n.div_ceil(24)
    } else if unit.starts_with('d') {
        if business { (n * 7).div_ceil(5) } else { n }
    } else if unit.starts_with('w') {
        n * 7
    } else {
        n * 30
    };
    Some(days)
}

fn number(word: &str) -> Option<u64> {
    if let Ok(n) = word.parse::<u64>() {
        return Some(n);
    }
    let n = match word.to_ascii_lowercase().as_str() {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "twenty" => 20,
        "thirty" => 30,
        "sixty" => 60,
        "ninety" => 90,
        _ => return None,
    };
    Some(n)
}

/// The RFC 9116 file: `.well-known/security.txt`, else `security.txt` at the root when it
/// has RFC 9116 fields.
pub(crate) fn security_txt(files: &[FileRecord]) -> Option<SecurityTxt> {
    let rec = files
        .iter()
        .filter(|f| is_security_txt(&f.rel))
        .filter(|f| f.rel.starts_with(".well-known/") || looks_like_rfc9116(f))
        .min_by_key(|f| (!f.rel.starts_with(".well-known/"), f.rel.as_str()))?;
    let mut out = SecurityTxt {
        path: rec.rel.clone(),
        line: 1,
        digest: rec.digest.clone(),
        contacts: Vec::new(),
        expires: None,
    };
    if let Some(text) = rec.text() {
        let mut seen = HashSet::new();
        for (key, value) in rfc9116_fields(&text) {
            if key.eq_ignore_ascii_case("contact") {
                if out.contacts.len() < MAX_CONTACTS && seen.insert(value) {
                    out.contacts.push(value.to_string());
                }
            } else if key.eq_ignore_ascii_case("expires") && out.expires.is_none() {
                out.expires = Some(value.to_string());
            }
        }
    }
    out.contacts.sort();
    Some(out)
}

fn looks_like_rfc9116(rec: &FileRecord) -> bool {
    rec.text().is_some_and(|t| {
        rfc9116_fields(&t)
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("contact"))
    })
}

/// `Field: value` lines, skipping comments and PGP armour; dash-escaped lines of a
/// cleartext signature (`- Contact: …`) are unescaped.
fn rfc9116_fields(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let line = line.strip_prefix("- ").unwrap_or(line);
        if line.starts_with('#') || line.starts_with("-----") {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim();
        let value = value.trim();
        if !key.is_empty()
            && !value.is_empty()
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            out.push((key, value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_times() {
        assert_eq!(response_days("We reply within 14 days."), Some(14));
        assert_eq!(response_days("within 10 business days"), Some(14));
        assert_eq!(response_days("within 48 hours"), Some(2));
        assert_eq!(response_days("Within 48h"), Some(2));
        assert_eq!(response_days("within two weeks"), Some(14));
        assert_eq!(response_days("within a week"), Some(7));
        assert_eq!(response_days("within seven (7) days"), Some(7));
        assert_eq!(response_days("within 24-72 hours"), Some(3));
        assert_eq!(response_days("within 3 months"), Some(90));
        assert_eq!(response_days("within the team"), None);
        assert_eq!(response_days("14 days"), None);
    }

    #[test]
    fn policy_lines() {
        let text = "# Security Policy\n\n## Supported Versions\n\n| Version | Supported |\n\nPlease report privately to security@example.org.\nSee https://example.org/security for our process.\nWe respond within 5 business days.\nCoordinated disclosure after 90 days.\n![badge](https://img.shields.io/x.svg)\n";
        let mut p = SecurityPolicy {
            path: "SECURITY.md".into(),
            line: 1,
            digest: None,
            contacts: Vec::new(),
            private_reporting: None,
            response_days: None,
            disclosure: None,
            supported_versions: None,
            text: PolicyText::default(),
        };
        parse_policy("SECURITY.md", text, &mut p);
        assert_eq!(
            p.contacts,
            vec![
                Contact {
                    kind: ContactKind::Email,
                    value: "security@example.org".into(),
                    line: 7
                },
                Contact {
                    kind: ContactKind::Url,
                    value: "https://example.org/security".into(),
                    line: 8
                },
            ]
        );
        assert_eq!(p.private_reporting.map(|f| f.line), Some(7));
        assert_eq!(p.response_days, Some(ResponseDays { days: 7, line: 9 }));
        assert_eq!(p.disclosure.map(|f| f.line), Some(10));
        assert_eq!(p.supported_versions.map(|f| f.line), Some(3));
    }

    #[test]
    fn rfc9116() {
        let f = rfc9116_fields(
            "-----BEGIN PGP SIGNED MESSAGE-----\n# comment\nContact: mailto:s@x.org\n- Contact: https://x.org/report\nExpires: 2027-01-01T00:00:00Z\n",
        );
        assert_eq!(
            f,
            vec![
                ("Contact", "mailto:s@x.org"),
                ("Contact", "https://x.org/report"),
                ("Expires", "2027-01-01T00:00:00Z"),
            ]
        );
    }

    /// Scorecard's counts on a policy shaped like requests' .github/SECURITY.md: a link,
    /// an address (each counted once however often repeated), text, numbers and words.
    #[test]
    fn scorecard_policy_text() {
        let text = "# Vulnerability Disclosure\n\nEmail security@example.org or see https://example.org/sec.\nAgain: security@example.org within 90 days.\n";
        let t = policy_text(text.len() as u64, text);
        assert_eq!(t.links, 2);
        assert_eq!(
            t.linked_chars,
            ("security@example.org".len() + "https://example.org/sec.".len()) as u64
        );
        // "Vulnerability", "Disclosure", "90".
        assert_eq!(t.hints, 3);
        assert_eq!(policy_text(0, "").hints, 0);
        // Go's \\b is ASCII: a number glued to a non-ASCII letter still counts.
        assert_eq!(policy_text(4, "7é").hints, 1);
    }
}
