//! Alpine (and Wolfi, Chainguard, MinimOS): apk-tools'
//! `number{.number}[letter]{_suffix[number]}[~hash][-r<number>]`.
//!
//! Fields compare in that order. Numbers: the first numerically; a later one starting with
//! `0` compares as a string (so `1.02` < `1.1`), and before any number without one; a
//! version with more numbers sorts after its prefix. A letter sorts after no letter.
//! Suffixes `_alpha` < `_beta` < `_pre` < `_rc` < (none) < `_cvs` < `_svn` < `_git` < `_hg`
//! < `_p`, then their numbers. A commit hash sorts after none. The `-r` revision defaults
//! to 0.
//!
//! Versions apk would reject keep the fields read before the first malformed character,
//! and sort before the well-formed version with the same fields; among themselves they
//! compare by that malformed rest (digit runs numerically), except that anything after the
//! `-` of the revision is ignored (`1-ruff2` = `1--ruff1`), as in the osv-scalibr vectors.

use std::cmp::Ordering;

use annex_types::version::num::{Num, split_digits, split_while};

/// A number after the first; leading-zero ones compare as strings, before all others.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Component {
    LeadingZero(Box<str>),
    Number(Num),
}

const SUFFIXES: [(&str, u8); 9] = [
    ("alpha", 0),
    ("beta", 1),
    ("pre", 2),
    ("rc", 3),
    ("cvs", 5),
    ("svn", 6),
    ("git", 7),
    ("hg", 8),
    ("p", 9),
];
/// The rank of "no suffix", between the pre-release and the post-release ones.
const NO_SUFFIX: u8 = 4;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Suffix {
    rank: u8,
    number: Num,
}

/// A piece of a malformed rest: a byte below `0`, a run of digits, or a byte above `9`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Garbage {
    Below(u8),
    Number(Num),
    Above(u8),
}

/// Malformed versions sort before well-formed ones.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rest {
    Malformed(Vec<Garbage>),
    WellFormed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct AlpineVersion {
    components: Vec<Component>,
    letter: Option<u8>,
    suffixes: Vec<Suffix>,
    hash: Option<Box<str>>,
    revision: Num,
    rest: Rest,
}

pub(super) fn parse(s: &str) -> Result<AlpineVersion, &'static str> {
    let mut v = AlpineVersion {
        components: Vec::new(),
        letter: None,
        suffixes: Vec::new(),
        hash: None,
        revision: Num::zero(),
        rest: Rest::WellFormed,
    };
    let (first, mut rest) = split_digits(s);
    if !first.is_empty() {
        v.components.push(Component::Number(Num::new(first)));
        while let Some(after) = rest.strip_prefix('.') {
            let (digits, tail) = split_digits(after);
            if digits.is_empty() {
                break;
            }
            v.components.push(if digits.starts_with('0') {
                Component::LeadingZero(digits.into())
            } else {
                Component::Number(Num::new(digits))
            });
            rest = tail;
        }
    }
    if let Some(&c) = rest.as_bytes().first().filter(|c| c.is_ascii_lowercase()) {
        v.letter = Some(c);
        rest = &rest[1..];
    }
    while let Some(after) = rest.strip_prefix('_') {
        let (name, tail) = split_while(after, |b| b.is_ascii_lowercase());
        let Some(&(_, rank)) = SUFFIXES.iter().find(|(n, _)| *n == name) else {
            break;
        };
        let (digits, tail) = split_digits(tail);
        v.suffixes.push(Suffix {
            rank,
            number: Num::new(digits),
        });
        rest = tail;
    }
    if let Some(after) = rest.strip_prefix('~') {
        let (hash, tail) = split_while(after, |b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !hash.is_empty() {
            v.hash = Some(hash.into());
            rest = tail;
        }
    }
    if let Some(after) = rest.strip_prefix('-') {
        // The revision part: a malformed rest here is not compared.
        if let Some(after) = after.strip_prefix('r') {
            let (digits, tail) = split_digits(after);
            v.revision = Num::new(digits);
            if !tail.is_empty() {
                v.rest = Rest::Malformed(Vec::new());
            }
        } else {
            v.rest = Rest::Malformed(Vec::new());
        }
    } else if !rest.is_empty() {
        v.rest = Rest::Malformed(garbage(rest));
    }
    Ok(v)
}

fn garbage(mut s: &str) -> Vec<Garbage> {
    let mut out = Vec::new();
    while let Some(&b) = s.as_bytes().first() {
        if b.is_ascii_digit() {
            let (digits, tail) = split_digits(s);
            out.push(Garbage::Number(Num::new(digits)));
            s = tail;
        } else {
            let c = s.chars().next().map_or(1, char::len_utf8);
            out.extend(s.as_bytes()[..c].iter().map(|&b| {
                if b < b'0' {
                    Garbage::Below(b)
                } else {
                    Garbage::Above(b)
                }
            }));
            s = &s[c..];
        }
    }
    out
}

fn cmp_suffixes(a: &[Suffix], b: &[Suffix]) -> Ordering {
    for k in 0..a.len().max(b.len()) {
        let order = match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) => x.rank.cmp(&y.rank).then_with(|| x.number.cmp(&y.number)),
            (Some(x), None) => x.rank.cmp(&NO_SUFFIX),
            (None, Some(y)) => NO_SUFFIX.cmp(&y.rank),
            (None, None) => Ordering::Equal,
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

impl Ord for AlpineVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.components
            .cmp(&other.components)
            .then_with(|| self.letter.cmp(&other.letter))
            .then_with(|| cmp_suffixes(&self.suffixes, &other.suffixes))
            .then_with(|| self.hash.cmp(&other.hash))
            .then_with(|| self.revision.cmp(&other.revision))
            .then_with(|| self.rest.cmp(&other.rest))
    }
}

partial_ord_from_ord!(AlpineVersion);

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        parse(a).unwrap().cmp(&parse(b).unwrap())
    }

    #[test]
    fn apk_order() {
        let chain = [
            "1.2_alpha",
            "1.2_alpha2",
            "1.2_beta",
            "1.2_pre1",
            "1.2_rc1",
            "1.2",
            "1.2-r1",
            "1.2_cvs1",
            "1.2_git1",
            "1.2_p1",
            "1.2a",
            "1.2.1",
        ];
        for pair in chain.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Less, "{pair:?}");
        }
        assert_eq!(cmp("1.02", "1.1"), Less);
        assert_eq!(cmp("1.0", "1"), Greater);
        assert_eq!(cmp("1-r1", "1-r01"), Equal);
        assert_eq!(cmp("1-r", "1-r0"), Equal);
        assert_eq!(cmp("1.0~abc123-r1", "1.0-r1"), Greater);
    }

    #[test]
    fn malformed_versions() {
        assert_eq!(cmp("1.0", "1.0bc"), Less);
        assert_eq!(cmp("1.2.0A", "1.2.0d"), Less);
        assert_eq!(cmp("1", "1-ruff"), Greater);
        assert_eq!(cmp("1-ruff2", "1--ruff1"), Equal);
        assert_eq!(cmp("1-r-0", "1-r0"), Less);
        assert_eq!(cmp("+2-n:1", "+1-n:1"), Greater);
        assert_eq!(cmp("0..8", "0...8"), Greater);
        assert_eq!(cmp("6.6.2p10", "6.6.2p9"), Greater);
    }
}
