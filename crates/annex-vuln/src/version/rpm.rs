//! RPM (Red Hat, AlmaLinux, Rocky Linux, SUSE, openSUSE, …): `[epoch:]version[-release]`
//! compared with `rpmvercmp` (rpm 4.15 and later, with `~` and `^`).
//!
//! The epoch is the run of digits before a `:` at the start (default 0); the release is what
//! follows the last `-`. Each part is read as a sequence of tokens, separators (anything but
//! ASCII letters, digits, `~` and `^`) skipped: `~` sorts before everything including the
//! end of the string, `^` after the end but before anything else, letters (compared as
//! strings) before numbers (compared numerically). A version without a release sorts before
//! the same version with one.

use std::cmp::Ordering;

use annex_types::version::num::{Num, split_digits, split_letters};

/// Tokens in their order; the end of the string sorts between `Tilde` and `Caret`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Token {
    Tilde,
    Caret,
    Alpha(Box<str>),
    Number(Num),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RpmVersion {
    epoch: Num,
    version: Vec<Token>,
    release: Option<Vec<Token>>,
}

pub(super) fn parse(s: &str) -> Result<RpmVersion, &'static str> {
    let (digits, after) = split_digits(s);
    let (epoch, rest) = match after.strip_prefix(':') {
        Some(rest) => (Num::new(digits), rest),
        None => (Num::zero(), s),
    };
    let (version, release) = match rest.rsplit_once('-') {
        Some((version, release)) => (version, Some(tokens(release))),
        None => (rest, None),
    };
    Ok(RpmVersion {
        epoch,
        version: tokens(version),
        release,
    })
}

fn tokens(mut s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    while let Some(c) = s.chars().next() {
        if c.is_ascii_digit() {
            let (run, rest) = split_digits(s);
            out.push(Token::Number(Num::new(run)));
            s = rest;
        } else if c.is_ascii_alphabetic() {
            let (run, rest) = split_letters(s);
            out.push(Token::Alpha(run.into()));
            s = rest;
        } else {
            match c {
                '~' => out.push(Token::Tilde),
                '^' => out.push(Token::Caret),
                _ => {}
            }
            s = &s[c.len_utf8()..];
        }
    }
    out
}

fn cmp_tokens(a: &[Token], b: &[Token]) -> Ordering {
    for k in 0..a.len().max(b.len()) {
        let order = match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(x), None) => end_vs(x).reverse(),
            (None, Some(y)) => end_vs(y),
            (None, None) => Ordering::Equal,
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

/// The end of a string compared with a token.
fn end_vs(token: &Token) -> Ordering {
    if *token == Token::Tilde {
        Ordering::Greater
    } else {
        Ordering::Less
    }
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| cmp_tokens(&self.version, &other.version))
            .then_with(|| match (&self.release, &other.release) {
                (Some(a), Some(b)) => cmp_tokens(a, b),
                (a, b) => a.is_some().cmp(&b.is_some()),
            })
    }
}

partial_ord_from_ord!(RpmVersion);

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        parse(a).unwrap().cmp(&parse(b).unwrap())
    }

    #[test]
    fn rpmvercmp_order() {
        assert_eq!(cmp("1.0~rc1", "1.0"), Less);
        assert_eq!(cmp("1.0~rc1~git123", "1.0~rc1"), Less);
        assert_eq!(cmp("1.0^git1", "1.0"), Greater);
        assert_eq!(cmp("1.0^git1", "1.01"), Less);
        assert_eq!(cmp("1.0^git1~pre", "1.0^git1"), Less);
        assert_eq!(cmp("10.0001", "10.1"), Equal);
        assert_eq!(cmp("2_0", "2.0"), Equal);
        assert_eq!(cmp("1.0a", "1.0aa"), Less);
        assert_eq!(cmp("xyz.4", "8"), Less);
        assert_eq!(cmp("1.1.α", "1.1.a"), Less);
    }

    #[test]
    fn epoch_and_release() {
        assert_eq!(cmp("1~1", "1:2"), Less);
        assert_eq!(cmp("01:2", "1:2"), Equal);
        assert_eq!(cmp("b~1:1", "a1:1"), Greater);
        assert_eq!(cmp("1", "1-0"), Less);
        assert_eq!(cmp("1-1.", "1-1"), Equal);
        assert_eq!(cmp("0:3.10.0-229.el7", "0:3.10.0-229.1.2.ael7b"), Less);
        assert_eq!(cmp("1.2-3-4", "1.2-3-5"), Less);
    }
}
