//! SemVer 2.0 precedence, read leniently, shared by three schemes:
//!
//! - `SemVer` (npm, crates.io, Go, Hex, …): prerelease identifiers compared as the SemVer
//!   specification says (numbers numerically, others in ASCII order, numbers first, a
//!   longer list after its prefix); build metadata ignored.
//! - `NuGet`: the same, with prerelease labels compared case-insensitively (NuGet's
//!   `VersionComparer`); a fourth number (`1.0.0.1`) is just another release number.
//! - `Pub`: Dart's `pub_semver`: build metadata takes part in the order, after the
//!   prerelease: no build sorts before any build, then identifiers compare like prerelease
//!   ones.
//!
//! Leniency (as OSV data needs): surrounding whitespace, a leading `v`/`V`, any number of
//! release numbers (missing ones are zeros, so `1` = `1.0.0`), numbers of any length, and a
//! prerelease without its hyphen (`1.2.3beta`). The version must start with a number.

use annex_types::version::num::{Num, is_digits, split_digits};

/// How the three flavours differ.
#[derive(Clone, Copy, Debug)]
pub(super) struct Flavour {
    /// Compare prerelease and build identifiers case-insensitively (NuGet).
    pub fold_case: bool,
    /// Build metadata takes part in the order (Pub); otherwise it is ignored.
    pub order_build: bool,
}

pub(super) const SEMVER: Flavour = Flavour {
    fold_case: false,
    order_build: false,
};
pub(super) const NUGET: Flavour = Flavour {
    fold_case: true,
    order_build: false,
};
pub(super) const PUB: Flavour = Flavour {
    fold_case: false,
    order_build: true,
};

/// A dot-separated identifier: numeric ones sort before the others.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ident {
    Num(Num),
    Text(Box<str>),
}

/// A prerelease sorts before the release it leads to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Prerelease(Vec<Ident>),
    Release,
}

/// The sort key; the derived order is the version order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct SemVer {
    /// Release numbers without trailing zeros.
    release: Vec<Num>,
    stage: Stage,
    /// Empty unless the flavour orders builds.
    build: Vec<Ident>,
}

pub(super) fn parse(s: &str, flavour: Flavour) -> Result<SemVer, &'static str> {
    if s.bytes().any(|b| !b.is_ascii_graphic()) {
        return Err("contains a character that is not printable ASCII");
    }
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let (first, mut rest) = split_digits(s);
    if first.is_empty() {
        return Err("does not start with a number");
    }
    let mut release = vec![Num::new(first)];
    while let Some(after) = rest.strip_prefix('.') {
        let (digits, tail) = split_digits(after);
        if digits.is_empty() {
            break;
        }
        release.push(Num::new(digits));
        rest = tail;
    }
    while release.last().is_some_and(Num::is_zero) {
        release.pop();
    }
    let (pre, build) = match rest.split_once('+') {
        Some((pre, build)) => (pre, build),
        None => (rest, ""),
    };
    let pre = pre.strip_prefix(['-', '.']).unwrap_or(pre);
    let stage = if pre.is_empty() {
        Stage::Release
    } else {
        Stage::Prerelease(idents(pre, flavour))
    };
    let build = if flavour.order_build && !build.is_empty() {
        idents(build, flavour)
    } else {
        Vec::new()
    };
    Ok(SemVer {
        release,
        stage,
        build,
    })
}

fn idents(s: &str, flavour: Flavour) -> Vec<Ident> {
    s.split('.')
        .map(|part| {
            if is_digits(part) {
                Ident::Num(Num::new(part))
            } else if flavour.fold_case {
                Ident::Text(part.to_ascii_lowercase().into())
            } else {
                Ident::Text(part.into())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::{self, *};

    fn cmp(flavour: Flavour, a: &str, b: &str) -> Ordering {
        parse(a, flavour).unwrap().cmp(&parse(b, flavour).unwrap())
    }

    #[test]
    fn semver_precedence() {
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0",
        ];
        for pair in chain.windows(2) {
            assert_eq!(cmp(SEMVER, pair[0], pair[1]), Less, "{pair:?}");
        }
    }

    #[test]
    fn semver_leniency() {
        assert_eq!(cmp(SEMVER, "v1.2.3", "1.2.3"), Equal);
        assert_eq!(cmp(SEMVER, "1", "1.0.0"), Equal);
        assert_eq!(cmp(SEMVER, "1.2.3+build", "1.2.3+other"), Equal);
        assert_eq!(cmp(SEMVER, "1.2.3beta", "1.2.3-beta"), Equal);
        assert_eq!(cmp(SEMVER, "1.2.3-r100", "1.2.3-r2"), Less);
        assert_eq!(cmp(SEMVER, "1.2.3.1", "1.2.3"), Greater);
        assert!(parse("latest", SEMVER).is_err());
        assert!(parse("1.2 3", SEMVER).is_err());
    }

    #[test]
    fn nuget_folds_case_and_ignores_build() {
        assert_eq!(cmp(NUGET, "1.0.0-BETA", "1.0.0-beta"), Equal);
        assert_eq!(cmp(NUGET, "1.0.01", "1.0.1.0"), Equal);
        assert_eq!(cmp(NUGET, "1.0.0-pre", "1.0.0.1-alpha"), Less);
        assert_eq!(cmp(NUGET, "1.0.0+AA", "1.0.0-beta+aa"), Greater);
    }

    #[test]
    fn pub_orders_build_metadata() {
        let chain = [
            "1.0.0-pre",
            "1.0.0-pre+build",
            "1.0.0",
            "1.0.0+1",
            "1.0.0+2",
            "1.0.0+a",
        ];
        for pair in chain.windows(2) {
            assert_eq!(cmp(PUB, pair[0], pair[1]), Less, "{pair:?}");
        }
        assert_eq!(cmp(PUB, "1.2.3+9a", "1.2.3+1z"), Greater);
    }
}
