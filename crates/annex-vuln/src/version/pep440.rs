//! PyPI: PEP 440 as the `packaging` library orders it, with `packaging`'s legacy ordering
//! (before version 22) for strings that are not PEP 440; those sort before every PEP 440
//! version, as pip did.
//!
//! PEP 440: case-insensitive, surrounding whitespace and a leading `v` allowed;
//! `epoch!release[{a|b|rc}N][.postN][.devN][+local]` with the spellings PEP 440 normalises
//! (`alpha`, `c`, `pre`, `preview`, `rev`, `r`, `1.0-1`, optional separators and numbers).
//! Order: epoch; release without trailing zeros; a dev release of a final before its
//! pre-releases, pre-releases (a < b < rc) before the final; post releases after; dev
//! releases before their non-dev form; no local label before any local label, whose parts
//! compare numbers numerically after words.
//!
//! Legacy (setuptools' `parse_version`): runs of digits, runs of letters, `-` and other
//! characters become parts, with `pre`/`preview`/`rc` read as `c`, `dev` as `@` and `-` as
//! `final-`; zeros before a word are dropped; the parts compare as a list, words before
//! numbers. (Legacy numbers compare numerically at any length; setuptools padded them to 8
//! characters and compared strings.)

use annex_types::version::num::{Num, is_digits, split_digits};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum PyPiVersion {
    Legacy(Vec<LegacyPart>),
    Pep440(Pep440),
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum LegacyPart {
    Word(Box<str>),
    Number(Num),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Alpha,
    Beta,
    Rc,
}

/// Where a version sits around its release: a bare dev release first, then pre-releases,
/// then everything else.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    DevOfFinal,
    Prerelease(Phase, Num),
    Final,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Dev {
    Dev(Num),
    NotDev,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum LocalPart {
    Word(Box<str>),
    Number(Num),
}

/// The sort key of a PEP 440 version; the derived order is the version order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Pep440 {
    epoch: Num,
    release: Vec<Num>,
    stage: Stage,
    post: Option<Num>,
    dev: Dev,
    local: Option<Vec<LocalPart>>,
}

pub(super) fn parse(s: &str) -> Result<PyPiVersion, &'static str> {
    let lower = s.to_lowercase();
    Ok(match pep440(&lower) {
        Some(v) => PyPiVersion::Pep440(v),
        None => PyPiVersion::Legacy(legacy(&lower)),
    })
}

// ---------------------------------------------------------------------------------------------
// PEP 440: `packaging`'s VERSION_PATTERN, matched with the regex's priorities (greedy
// optional parts, alternatives in order) so ambiguous spellings read the same way.

/// What an optional group matched: where it ends and its value.
type Candidates<T> = Vec<(usize, Option<T>)>;

fn pep440(s: &str) -> Option<Pep440> {
    let b = s.as_bytes();
    let mut p = usize::from(b.first() == Some(&b'v'));
    let mut epoch = Num::zero();
    let (digits, rest) = split_digits(&s[p..]);
    if !digits.is_empty() && rest.starts_with('!') {
        epoch = Num::new(digits);
        p += digits.len() + 1;
    }
    let (digits, _) = split_digits(&s[p..]);
    if digits.is_empty() {
        return None;
    }
    let mut release = vec![Num::new(digits)];
    p += digits.len();
    while b.get(p) == Some(&b'.') {
        let (digits, _) = split_digits(&s[p + 1..]);
        if digits.is_empty() {
            break;
        }
        release.push(Num::new(digits));
        p += 1 + digits.len();
    }
    while release.last().is_some_and(Num::is_zero) {
        release.pop();
    }
    for (p1, pre) in pre_candidates(s, p) {
        for (p2, post) in post_candidates(s, p1) {
            for (p3, dev) in dev_candidates(s, p2) {
                for (p4, local) in local_candidates(s, p3) {
                    if p4 != s.len() {
                        continue;
                    }
                    let stage = match (pre, &post, &dev) {
                        (Some((phase, n)), _, _) => Stage::Prerelease(phase, n),
                        (None, None, Some(_)) => Stage::DevOfFinal,
                        (None, _, _) => Stage::Final,
                    };
                    return Some(Pep440 {
                        epoch,
                        release,
                        stage,
                        post,
                        dev: dev.map_or(Dev::NotDev, Dev::Dev),
                        local,
                    });
                }
            }
        }
    }
    None
}

fn is_sep(b: Option<&u8>) -> bool {
    matches!(b, Some(b'-' | b'_' | b'.'))
}

/// `[-_.]?LABEL[-_.]?[0-9]*`, for each label (in order) that matches: the ends and values.
fn labelled<T: Copy>(s: &str, p: usize, labels: &[(&str, T)]) -> Vec<(usize, T, Option<Num>)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let starts: &[usize] = if is_sep(b.get(p)) { &[1, 0] } else { &[0] };
    for &skip in starts {
        let q = p + skip;
        for &(label, value) in labels {
            if !s[q..].starts_with(label) {
                continue;
            }
            let r = q + label.len();
            let seps: &[usize] = if is_sep(b.get(r)) { &[1, 0] } else { &[0] };
            for &sep in seps {
                let (digits, _) = split_digits(&s[r + sep..]);
                if !digits.is_empty() {
                    out.push((r + sep + digits.len(), value, Some(Num::new(digits))));
                }
                out.push((r + sep, value, None));
            }
        }
    }
    out
}

fn pre_candidates(s: &str, p: usize) -> Candidates<(Phase, Num)> {
    const LABELS: [(&str, Phase); 8] = [
        ("alpha", Phase::Alpha),
        ("a", Phase::Alpha),
        ("beta", Phase::Beta),
        ("b", Phase::Beta),
        ("preview", Phase::Rc),
        ("pre", Phase::Rc),
        ("c", Phase::Rc),
        ("rc", Phase::Rc),
    ];
    let mut out: Candidates<_> = labelled(s, p, &LABELS)
        .into_iter()
        .map(|(end, phase, n)| (end, Some((phase, n.unwrap_or_default()))))
        .collect();
    out.push((p, None));
    out
}

fn post_candidates(s: &str, p: usize) -> Candidates<Num> {
    let mut out = Vec::new();
    if let Some(after) = s[p..].strip_prefix('-') {
        let (digits, _) = split_digits(after);
        if !digits.is_empty() {
            out.push((p + 1 + digits.len(), Some(Num::new(digits))));
        }
    }
    const LABELS: [(&str, ()); 3] = [("post", ()), ("rev", ()), ("r", ())];
    out.extend(
        labelled(s, p, &LABELS)
            .into_iter()
            .map(|(end, (), n)| (end, Some(n.unwrap_or_default()))),
    );
    out.push((p, None));
    out
}

fn dev_candidates(s: &str, p: usize) -> Candidates<Num> {
    let mut out: Candidates<_> = labelled(s, p, &[("dev", ())])
        .into_iter()
        .map(|(end, (), n)| (end, Some(n.unwrap_or_default())))
        .collect();
    out.push((p, None));
    out
}

/// `(\+[a-z0-9]+([-_.][a-z0-9]+)*)?`: the whole rest, or nothing.
fn local_candidates(s: &str, p: usize) -> Candidates<Vec<LocalPart>> {
    let mut out = Vec::new();
    if let Some(local) = s[p..].strip_prefix('+') {
        let parts: Vec<&str> = local.split(['-', '_', '.']).collect();
        let valid = parts.iter().all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
        });
        if valid {
            let parts = parts
                .into_iter()
                .map(|part| {
                    if is_digits(part) {
                        LocalPart::Number(Num::new(part))
                    } else {
                        LocalPart::Word(part.into())
                    }
                })
                .collect();
            out.push((s.len(), Some(parts)));
        }
    }
    out.push((p, None));
    out
}

// ---------------------------------------------------------------------------------------------
// Legacy

fn legacy(s: &str) -> Vec<LegacyPart> {
    let mut parts: Vec<LegacyPart> = Vec::new();
    let mut push = |part: LegacyPart| {
        if let LegacyPart::Word(word) = &part {
            if **word < *"final" {
                while matches!(parts.last(), Some(LegacyPart::Word(w)) if &**w == "final-") {
                    parts.pop();
                }
            }
            while matches!(parts.last(), Some(LegacyPart::Number(n)) if n.is_zero()) {
                parts.pop();
            }
        }
        parts.push(part);
    };
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let len = if c.is_ascii_digit() {
            let (digits, _) = split_digits(rest);
            push(LegacyPart::Number(Num::new(digits)));
            digits.len()
        } else if c.is_ascii_lowercase() {
            let end = rest
                .bytes()
                .position(|b| !b.is_ascii_lowercase())
                .unwrap_or(rest.len());
            let word = match &rest[..end] {
                "pre" | "preview" | "rc" => "c",
                "dev" => "@",
                word => word,
            };
            push(LegacyPart::Word(word.into()));
            end
        } else if c == '-' {
            push(LegacyPart::Word("final-".into()));
            1
        } else if c == '.' {
            1
        } else {
            // A run of other characters is one part, as `re.split` leaves it.
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    c.is_ascii_digit() || c.is_ascii_lowercase() || c == '-' || c == '.'
                })
                .map_or(rest.len(), |(i, _)| i);
            push(LegacyPart::Word(rest[..end].into()));
            end
        };
        rest = &rest[len..];
    }
    push(LegacyPart::Word("final".into()));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::{self, *};

    fn cmp(a: &str, b: &str) -> Ordering {
        parse(a).unwrap().cmp(&parse(b).unwrap())
    }

    #[test]
    fn pep440_order() {
        let chain = [
            "1.0.dev0",
            "1.0a0",
            "1.0a1.dev1",
            "1.0a1",
            "1.0b2.post3.dev4",
            "1.0b2.post3",
            "1.0rc1",
            "1.0",
            "1.0+abc",
            "1.0+abc.5",
            "1.0+5",
            "1.0.post1.dev1",
            "1.0.post1",
            "1.1.dev1",
            "1!0.1",
        ];
        for pair in chain.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Less, "{pair:?}");
        }
    }

    #[test]
    fn pep440_spellings() {
        assert_eq!(cmp("1.0", "1.0.0"), Equal);
        assert_eq!(cmp("v1.0ALPHA1", "1.0a1"), Equal);
        assert_eq!(cmp("1.0-1", "1.0.post1"), Equal);
        assert_eq!(cmp("1.0r", "1.0.post0"), Equal);
        assert_eq!(cmp("1.0c1", "1.0rc1"), Equal);
        assert_eq!(cmp("1.0-preview_2", "1.0rc2"), Equal);
        assert_eq!(cmp("1.0a-1", "1.0a1"), Equal);
        assert!(matches!(parse("1.0.x").unwrap(), PyPiVersion::Legacy(_)));
        assert!(matches!(parse("1.0-").unwrap(), PyPiVersion::Legacy(_)));
    }

    #[test]
    fn legacy_order() {
        assert_eq!(cmp("1.3.1-STAGING", "0.0.1"), Less);
        assert_eq!(cmp("0.1-bulbasaur", "0.1-charmander"), Less);
        assert_eq!(cmp("0.9-ivysaur", "1.0"), Less);
        assert_eq!(
            cmp("2013-01-21T20:33:09+0100", "2013-01-23T17:11:52+0100"),
            Less
        );
        assert_eq!(cmp("2014-01-12T15-52-10", "0.2016.3.21"), Less);
    }
}
