//! Debian (and Ubuntu): dpkg's `[epoch:]upstream[-revision]` (deb-version(7)).
//!
//! The epoch (digits before the first `:`, default 0) compares numerically; then the
//! upstream version and the revision (after the last `-`, default empty, which equals
//! `0`) each compare with dpkg's `verrevcmp`: alternately a run of non-digits, character by
//! character with `~` before everything (even the end), then letters, then other
//! characters; and a run of digits, numerically.

use std::cmp::Ordering;

use annex_types::version::num::{Num, is_digits};

#[derive(Clone, Debug)]
pub(super) struct DebianVersion {
    epoch: Num,
    upstream: Box<str>,
    revision: Box<str>,
}

pub(super) fn parse(s: &str) -> Result<DebianVersion, &'static str> {
    let (epoch, rest) = match s.split_once(':') {
        Some((epoch, rest)) if is_digits(epoch) => (Num::new(epoch), rest),
        Some(_) => return Err("the epoch (before `:`) is not a number"),
        None => (Num::zero(), s),
    };
    let (upstream, revision) = rest.rsplit_once('-').unwrap_or((rest, ""));
    if upstream.is_empty() {
        return Err("the upstream version is empty");
    }
    if rest.len() > upstream.len() && revision.is_empty() {
        return Err("the revision (after the last `-`) is empty");
    }
    let allowed = |s: &str, extra: &[u8]| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
    };
    if !allowed(upstream, b".+~-:") || !allowed(revision, b".+~") {
        return Err("contains a character dpkg does not allow in versions");
    }
    Ok(DebianVersion {
        epoch,
        upstream: upstream.into(),
        revision: revision.into(),
    })
}

impl Ord for DebianVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(self.upstream.as_bytes(), other.upstream.as_bytes()))
            .then_with(|| verrevcmp(self.revision.as_bytes(), other.revision.as_bytes()))
    }
}

partial_ord_from_ord!(DebianVersion);

impl PartialEq for DebianVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for DebianVersion {}

/// The weight of a character in a non-digit run; the end of the string and the start of a
/// digit run weigh 0.
fn weight(c: Option<&u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(*c),
        Some(b'~') => -1,
        Some(c) => i32::from(*c) + 256,
    }
}

fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while a.get(i).is_some_and(|c| !c.is_ascii_digit())
            || b.get(j).is_some_and(|c| !c.is_ascii_digit())
        {
            let (wa, wb) = (weight(a.get(i)), weight(b.get(j)));
            if wa != wb {
                return wa.cmp(&wb);
            }
            // Equal non-zero weights: both are the same non-digit character.
            i += 1;
            j += 1;
        }
        let digits = |s: &[u8], k: &mut usize| {
            let start = *k;
            while s.get(*k).is_some_and(u8::is_ascii_digit) {
                *k += 1;
            }
            let run = &s[start..*k];
            let first = run.iter().position(|&d| d != b'0').unwrap_or(run.len());
            run[first..].to_vec()
        };
        let (da, db) = (digits(a, &mut i), digits(b, &mut j));
        match da.len().cmp(&db.len()).then_with(|| da.cmp(&db)) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        parse(a).unwrap().cmp(&parse(b).unwrap())
    }

    #[test]
    fn dpkg_order() {
        assert_eq!(cmp("1.2.3-1~deb7u1", "1.2.3-1"), Less);
        assert_eq!(cmp("1.0~rc1", "1.0"), Less);
        assert_eq!(cmp("1.0", "1.0+b1"), Less);
        assert_eq!(cmp("1.0a", "1.0+"), Less);
        assert_eq!(cmp("0.0.0", "0.0.0-0"), Equal);
        assert_eq!(cmp("0.0.0", "0:0.0.0-00"), Equal);
        assert_eq!(cmp("1:0.1", "2.0"), Greater);
        assert_eq!(
            cmp("99999999999999999999999:1", "99999999999999999999998:9"),
            Greater
        );
        assert_eq!(cmp("2:0.0.44-1", "2:0.0.44-nobin"), Less);
    }

    #[test]
    fn rejects_what_dpkg_rejects() {
        assert!(parse("1.2.3-not-a-debian:version!@#$").is_err());
        assert!(parse("a:1.0").is_err());
        assert!(parse("1.0-").is_err());
        assert!(parse("-1").is_err());
        assert!(parse("1.0 beta").is_err());
    }
}
