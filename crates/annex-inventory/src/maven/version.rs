//! Version ranges (`[1.0,2.0)`, `[1.5,)`, `(,1.0],[1.2,)`, `[1.0]`), picked against the
//! versions available with Maven's own ordering (`annex_types::version::maven`, the one
//! annex-vuln matches advisories with).

use std::cmp::Ordering;

use annex_types::version::maven;

/// Maven's order of two versions; a string that is not a Maven version (never seen in a
/// repository's metadata) sorts by its text, so the order stays total.
pub fn compare(a: &str, b: &str) -> Ordering {
    match (maven::parse(a), maven::parse(b)) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// Whether a version string is a range rather than a soft requirement.
pub fn is_range(v: &str) -> bool {
    v.starts_with('[') || v.starts_with('(')
}

/// One `[lo,hi)` interval.
struct Interval {
    lo: Option<(String, bool)>,
    hi: Option<(String, bool)>,
}

fn parse_ranges(spec: &str) -> Option<Vec<Interval>> {
    let mut out = Vec::new();
    let mut rest = spec.trim();
    while !rest.is_empty() {
        let open = rest.chars().next()?;
        if open != '[' && open != '(' {
            return None;
        }
        let end = rest.find([']', ')'])?;
        let close = rest[end..].chars().next()?;
        let body = &rest[1..end];
        let iv = match body.split_once(',') {
            None => {
                // `[1.0]`: exactly that version.
                let v = body.trim().to_string();
                Interval {
                    lo: Some((v.clone(), true)),
                    hi: Some((v, true)),
                }
            }
            Some((lo, hi)) => Interval {
                lo: (!lo.trim().is_empty()).then(|| (lo.trim().to_string(), open == '[')),
                hi: (!hi.trim().is_empty()).then(|| (hi.trim().to_string(), close == ']')),
            },
        };
        out.push(iv);
        rest = rest[end + 1..]
            .trim_start()
            .trim_start_matches(',')
            .trim_start();
    }
    (!out.is_empty()).then_some(out)
}

fn contains(iv: &Interval, v: &str) -> bool {
    let lo_ok = iv.lo.as_ref().is_none_or(|(l, inc)| match compare(v, l) {
        Ordering::Greater => true,
        Ordering::Equal => *inc,
        Ordering::Less => false,
    });
    let hi_ok = iv.hi.as_ref().is_none_or(|(h, inc)| match compare(v, h) {
        Ordering::Less => true,
        Ordering::Equal => *inc,
        Ordering::Greater => false,
    });
    lo_ok && hi_ok
}

/// The highest of `available` inside the range `spec`; `None` when none is, or the range
/// does not parse.
pub fn pick<'a>(spec: &str, available: &'a [String]) -> Option<&'a String> {
    let ivs = parse_ranges(spec)?;
    available
        .iter()
        .filter(|v| ivs.iter().any(|iv| contains(iv, v)))
        .max_by(|a, b| compare(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_ranges() {
        assert_eq!(compare("1.10", "1.9"), Ordering::Greater);
        assert_eq!(compare("1.0", "1"), Ordering::Equal);
        assert_eq!(compare("1.0-rc1", "1.0"), Ordering::Less);
        assert_eq!(compare("1.0-SNAPSHOT", "1.0-rc1"), Ordering::Greater);
        assert_eq!(compare("1.0-sp1", "1.0"), Ordering::Greater);
        assert_eq!(compare("1.0.1", "1.0-sp"), Ordering::Greater);
        let av: Vec<String> = ["1.0", "1.5", "2.0", "2.1"].map(String::from).to_vec();
        assert_eq!(pick("[1.0,2.0)", &av).map(String::as_str), Some("1.5"));
        assert_eq!(pick("[1.0,2.0]", &av).map(String::as_str), Some("2.0"));
        assert_eq!(pick("[1.6,)", &av).map(String::as_str), Some("2.1"));
        assert_eq!(pick("(,1.0]", &av).map(String::as_str), Some("1.0"));
        assert_eq!(pick("[1.5]", &av).map(String::as_str), Some("1.5"));
        assert_eq!(
            pick("(,1.0),[2.0,2.0]", &av).map(String::as_str),
            Some("2.0")
        );
        assert_eq!(pick("[3,4)", &av), None);
        assert_eq!(pick("[3", &av), None);
    }
}
