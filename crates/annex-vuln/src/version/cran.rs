//! CRAN (and Bioconductor): R's `package_version`: non-negative numbers separated by `.`
//! or `-` (the two are equivalent), compared number by number, a version sorting after its
//! own prefix (`1.8` < `1.8.0`).

use annex_types::version::num::{Num, is_digits};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct CranVersion(Vec<Num>);

pub(super) fn parse(s: &str) -> Result<CranVersion, &'static str> {
    s.split(['.', '-'])
        .map(|part| {
            if is_digits(part) {
                Ok(Num::new(part))
            } else {
                Err("must be numbers separated by `.` or `-`")
            }
        })
        .collect::<Result<_, _>>()
        .map(CranVersion)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_version_order() {
        let v = |s| parse(s).unwrap();
        assert_eq!(v("0.01.0"), v("0.1-0"));
        assert!(v("0.9") < v("0.75"));
        assert!(v("1.8") < v("1.8.0"));
        assert!(v("0.3.2.0") > v("0.3.2"));
        assert!(parse("1.0a").is_err());
    }
}
