//! Packagist: PHP's `version_compare`, which Composer uses, on the version with one leading
//! `v`/`V` removed.
//!
//! The version splits into runs of digits and runs of ASCII letters; everything else
//! (`.`, `-`, `_`, `+`, `#`, …) only separates them. Letter runs are special forms matched
//! by prefix, case-sensitively as PHP does: `dev` < `alpha`/`a` < `beta`/`b` < `RC`/`rc` <
//! `pl`/`p` (so `pre…` and `patch` count as `p`), any other word before `dev`. Parts
//! compare pairwise; a number sorts after `rc` and before `p`; where one version ends, the
//! other is newer if it continues with a number or `p`, older otherwise
//! (`1.0-dev` < `1.0` < `1.0.0` < `1.0pl1`).
//!
//! PHP's own function is not transitive in one corner: it treats its internal `#` marker
//! as equal to every number, so `1.2.3.#` equals both `1.2.3` and `1.2.3.1`. Here `#` is a
//! separator, so `1.2.3.#` = `1.2.3` < `1.2.3.1`.

use std::cmp::Ordering;

use annex_types::version::num::{Num, split_digits, split_letters};

/// Parts in their order; the end of the version sorts between `Rc` and `Number`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Unknown,
    Dev,
    Alpha,
    Beta,
    Rc,
    Number(Num),
    Patch,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PackagistVersion(Vec<Part>);

pub(super) fn parse(s: &str) -> Result<PackagistVersion, &'static str> {
    let mut rest = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let mut parts = Vec::new();
    while !rest.is_empty() {
        let (digits, tail) = split_digits(rest);
        if !digits.is_empty() {
            parts.push(Part::Number(Num::new(digits)));
            rest = tail;
            continue;
        }
        let (word, tail) = split_letters(rest);
        if !word.is_empty() {
            parts.push(special(word));
            rest = tail;
            continue;
        }
        rest = &rest[rest.chars().next().map_or(1, char::len_utf8)..];
    }
    if parts.is_empty() {
        return Err("has no number or word");
    }
    Ok(PackagistVersion(parts))
}

fn special(word: &str) -> Part {
    const FORMS: [(&str, Part); 9] = [
        ("dev", Part::Dev),
        ("alpha", Part::Alpha),
        ("a", Part::Alpha),
        ("beta", Part::Beta),
        ("b", Part::Beta),
        ("RC", Part::Rc),
        ("rc", Part::Rc),
        ("pl", Part::Patch),
        ("p", Part::Patch),
    ];
    FORMS
        .into_iter()
        .find(|(prefix, _)| word.starts_with(prefix))
        .map_or(Part::Unknown, |(_, part)| part)
}

/// The end of a version compared with a part.
fn end_vs(part: &Part) -> Ordering {
    match part {
        Part::Number(_) | Part::Patch => Ordering::Less,
        _ => Ordering::Greater,
    }
}

impl Ord for PackagistVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        for k in 0..self.0.len().max(other.0.len()) {
            let order = match (self.0.get(k), other.0.get(k)) {
                (Some(a), Some(b)) => a.cmp(b),
                (Some(a), None) => end_vs(a).reverse(),
                (None, Some(b)) => end_vs(b),
                (None, None) => Ordering::Equal,
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        Ordering::Equal
    }
}

partial_ord_from_ord!(PackagistVersion);

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        parse(a).unwrap().cmp(&parse(b).unwrap())
    }

    #[test]
    fn version_compare_order() {
        let chain = [
            "1.0-dev", "1.0a1", "1.0b1", "1.0RC1", "1.0", "1.0.0", "1.0pl1",
        ];
        for pair in chain.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Less, "{pair:?}");
        }
        assert_eq!(cmp("1.0RC1", "1.0rc1"), Equal);
        assert_eq!(cmp("1.25.0-beta2.1", "1.25.0-b.2.1"), Equal);
        assert_eq!(cmp("dev-foo", "1.26.0"), Less);
        assert_eq!(cmp("v1.0.0", "V1.0.0"), Equal);
        assert_eq!(cmp("4.3-2RC2", "4.3-2beta5"), Greater);
        assert_eq!(cmp("1.2.3.#", "1.2.3"), Equal);
        assert_eq!(cmp("1.2.3.#.beta", "1.2.3"), Less);
        assert!(parse("v").is_err());
    }
}
