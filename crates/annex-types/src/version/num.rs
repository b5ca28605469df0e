//! Non-negative integers of any length, compared as digit strings, and small scanning
//! helpers shared by the schemes.

use std::cmp::Ordering;

/// A non-negative integer of any length, kept as its decimal digits without leading zeros
/// (empty for zero). It orders by number of digits, then digit by digit, so it never
/// overflows and never allocates more than the input it was read from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Num(Box<str>);

impl Num {
    /// From a run of ASCII digits; anything else in `digits` is ignored.
    pub fn new(digits: &str) -> Num {
        let digits = digits.trim_start_matches('0');
        if digits.bytes().all(|b| b.is_ascii_digit()) {
            Num(digits.into())
        } else {
            Num(digits.chars().filter(char::is_ascii_digit).collect())
        }
    }

    /// Zero.
    pub fn zero() -> Num {
        Num::default()
    }

    /// Whether it is zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Num) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Num) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Splits `s` after its leading run of ASCII digits.
pub fn split_digits(s: &str) -> (&str, &str) {
    split_while(s, |b| b.is_ascii_digit())
}

/// Splits `s` after its leading run of ASCII letters.
pub fn split_letters(s: &str) -> (&str, &str) {
    split_while(s, |b| b.is_ascii_alphabetic())
}

/// Splits `s` after its leading run of ASCII bytes matching `keep` (always a char boundary).
pub fn split_while(s: &str, keep: impl Fn(u8) -> bool) -> (&str, &str) {
    let end = s
        .bytes()
        .position(|b| !(b.is_ascii() && keep(b)))
        .unwrap_or(s.len());
    s.split_at(end)
}

/// Whether `s` is a non-empty run of ASCII digits.
pub fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_by_value_at_any_length() {
        assert_eq!(Num::new("007"), Num::new("7"));
        assert_eq!(Num::new("000"), Num::zero());
        assert!(Num::new("10") > Num::new("9"));
        assert!(
            Num::new("999999999999999999999999999991") < Num::new("999999999999999999999999999999")
        );
        assert!(
            Num::new("1000000000000000000000000000000")
                > Num::new("999999999999999999999999999999")
        );
    }

    #[test]
    fn splits() {
        assert_eq!(split_digits("12ab"), ("12", "ab"));
        assert_eq!(split_letters("ab12"), ("ab", "12"));
        assert_eq!(split_digits("é1"), ("", "é1"));
        assert!(is_digits("0123") && !is_digits("") && !is_digits("1a"));
    }
}
