//! Hackage: Haskell's `Data.Version` as Cabal uses it: dot-separated non-negative numbers
//! compared as lists, number by number, a list sorting after its own prefix
//! (`1.0` < `1.0.0`).

use annex_types::version::num::{Num, is_digits};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct HackageVersion(Vec<Num>);

pub(super) fn parse(s: &str) -> Result<HackageVersion, &'static str> {
    s.split('.')
        .map(|part| {
            if is_digits(part) {
                Ok(Num::new(part))
            } else {
                Err("must be dot-separated numbers")
            }
        })
        .collect::<Result<_, _>>()
        .map(HackageVersion)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_order() {
        let v = |s| parse(s).unwrap();
        assert!(v("1.0") < v("1.0.0"));
        assert!(v("1.0.0") < v("1.1"));
        assert!(v("0.11.3.0") < v("1.0"));
        assert_eq!(v("1.01"), v("1.1"));
        assert!(parse("1.0-rc1").is_err());
        assert!(parse("1..0").is_err());
    }
}
