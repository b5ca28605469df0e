//! RubyGems: `Gem::Version#<=>`.
//!
//! A `-` reads as `.pre.`; the version splits into runs of digits (numbers) and of letters
//! (strings, case-sensitive); trailing zeros are dropped from the leading numbers and from
//! the rest (Gem's `canonical_segments`); then segments compare pairwise, missing ones
//! counting as 0, a string before any number (so `1.0.a` < `1.0`, `1.0.b1` < `1.0`).
//! Like the peer's vectors (`1beta`), a letter may follow a digit without a dot; the
//! version must start with a digit and use only letters, digits, `.` and `-`.

use std::cmp::Ordering;

use annex_types::version::num::{Num, split_digits, split_letters};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Segment {
    Text(Box<str>),
    Number(Num),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RubyGemsVersion(Vec<Segment>);

pub(super) fn parse(s: &str) -> Result<RubyGemsVersion, &'static str> {
    if !s.starts_with(|c: char| c.is_ascii_digit()) {
        return Err("does not start with a number");
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    {
        return Err("may only contain letters, digits, `.` and `-`");
    }
    // Gem::Version reads `-` as `.pre.`; dots and the digit/letter boundaries split segments.
    let mut numbers = Vec::new();
    let mut others = Vec::new();
    for segment in runs(&s.replace('-', ".pre.")) {
        if others.is_empty() && matches!(segment, Segment::Number(_)) {
            numbers.push(segment);
        } else {
            others.push(segment);
        }
    }
    trim_zeros(&mut numbers);
    trim_zeros(&mut others);
    numbers.extend(others);
    Ok(RubyGemsVersion(numbers))
}

/// Runs of digits and of letters; anything else separates them.
fn runs(mut s: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    while !s.is_empty() {
        let (digits, rest) = split_digits(s);
        if !digits.is_empty() {
            out.push(Segment::Number(Num::new(digits)));
            s = rest;
            continue;
        }
        let (letters, rest) = split_letters(s);
        if !letters.is_empty() {
            out.push(Segment::Text(letters.into()));
            s = rest;
            continue;
        }
        s = &s[s.chars().next().map_or(1, char::len_utf8)..];
    }
    out
}

fn trim_zeros(segments: &mut Vec<Segment>) {
    while matches!(segments.last(), Some(Segment::Number(n)) if n.is_zero()) {
        segments.pop();
    }
}

impl Ord for RubyGemsVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Number(Num::zero());
        for k in 0..self.0.len().max(other.0.len()) {
            let a = self.0.get(k).unwrap_or(&zero);
            let b = other.0.get(k).unwrap_or(&zero);
            match a.cmp(b) {
                Ordering::Equal => {}
                order => return order,
            }
        }
        Ordering::Equal
    }
}

partial_ord_from_ord!(RubyGemsVersion);

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        parse(a).unwrap().cmp(&parse(b).unwrap())
    }

    #[test]
    fn gem_version_order() {
        assert_eq!(cmp("3.10", "3.2"), Greater);
        assert_eq!(cmp("1.2.4.beta", "1.2.4"), Less);
        assert_eq!(cmp("1.0.a10", "1.0.a9"), Greater);
        assert_eq!(cmp("1.0.a2", "1.0.a.2"), Equal);
        assert_eq!(cmp("1.0.b1", "1.0.a.2"), Greater);
        assert_eq!(cmp("1.0.0", "1"), Equal);
        assert_eq!(cmp("1.0.a.0", "1.a"), Equal);
        assert_eq!(cmp("1", "1beta"), Greater);
        assert_eq!(cmp("1.0-beta", "1.0.pre.beta"), Equal);
        assert_eq!(cmp("1.0-beta", "1.0"), Less);
    }

    #[test]
    fn rejects_non_gem_versions() {
        assert!(parse("beta").is_err());
        assert!(parse("1.0_rc1").is_err());
        assert!(parse("1 0").is_err());
    }
}
