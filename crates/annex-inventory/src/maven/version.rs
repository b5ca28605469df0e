//! Version ranges (`[1.0,2.0)`, `[1.5,)`, `(,1.0],[1.2,)`, `[1.0]`) and the ordering they
//! need to pick the highest version available. The ordering is Maven's `ComparableVersion`
//! in its common cases (numbers numerically; `alpha` < `beta` < `milestone` < `rc` <
//! `snapshot` < release < `sp` < other words; trailing zeros ignored). annex-vuln holds the
//! complete ordering for matching; inventory sits below it and only needs range picks.

use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Num(String),
    Word(u8, String),
}

fn word(s: &str) -> Tok {
    let s = s.to_ascii_lowercase();
    let s = match s.as_str() {
        "a" => "alpha".to_string(),
        "b" => "beta".to_string(),
        "m" => "milestone".to_string(),
        "cr" => "rc".to_string(),
        "ga" | "final" | "release" => String::new(),
        _ => s,
    };
    let rank = match s.as_str() {
        "alpha" => 0,
        "beta" => 1,
        "milestone" => 2,
        "rc" => 3,
        "snapshot" => 4,
        "" => 5,
        "sp" => 6,
        _ => 7,
    };
    Tok::Word(rank, s)
}

fn toks(v: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut digits = false;
    let flush = |cur: &mut String, digits: bool, out: &mut Vec<Tok>| {
        if !cur.is_empty() {
            out.push(if digits {
                Tok::Num(cur.trim_start_matches('0').to_string())
            } else {
                word(cur)
            });
            cur.clear();
        }
    };
    for c in v.chars() {
        if c == '.' || c == '-' || c == '_' {
            flush(&mut cur, digits, &mut out);
        } else {
            let d = c.is_ascii_digit();
            if !cur.is_empty() && d != digits {
                flush(&mut cur, digits, &mut out);
            }
            digits = d;
            cur.push(c);
        }
    }
    flush(&mut cur, digits, &mut out);
    while matches!(out.last(), Some(Tok::Num(n)) if n.is_empty())
        || matches!(out.last(), Some(Tok::Word(5, _)))
    {
        out.pop();
    }
    out
}

fn cmp_tok(a: Option<&Tok>, b: Option<&Tok>) -> Ordering {
    let zero = Tok::Num(String::new());
    let (a, b) = (a.unwrap_or(&zero), b.unwrap_or(&zero));
    match (a, b) {
        (Tok::Num(x), Tok::Num(y)) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
        (Tok::Num(x), Tok::Word(r, _)) => {
            if x.is_empty() && *r >= 5 {
                if *r == 5 {
                    Ordering::Equal
                } else {
                    Ordering::Less
                }
            } else {
                Ordering::Greater
            }
        }
        (Tok::Word(..), Tok::Num(_)) => cmp_tok(Some(b), Some(a)).reverse(),
        (Tok::Word(r, x), Tok::Word(s, y)) => r.cmp(s).then_with(|| x.cmp(y)),
    }
}

/// Maven's order of two versions (common cases).
pub fn compare(a: &str, b: &str) -> Ordering {
    let (x, y) = (toks(a), toks(b));
    for i in 0..x.len().max(y.len()) {
        let o = cmp_tok(x.get(i), y.get(i));
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
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
