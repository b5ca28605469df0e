//! CVSS scores: known vectors, the reference implementation's scores for every v2/v3 base
//! vector and a sample of v4 vectors, every vector found in the shared advisories, and
//! malformed vectors.

use annex_vuln::cvss::{self, CvssError, CvssVersion, Rating};
use proptest::prelude::*;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cvss");

fn s(v: &str) -> f64 {
    cvss::score(v).unwrap_or_else(|e| panic!("{v}: {e}")).score
}

#[test]
fn specification_and_calculator_examples() {
    // v3.1 specification, section 3.1/user guide examples.
    assert_eq!(s("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
    assert_eq!(s("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0);
    assert_eq!(s("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1); // CVE-2013-1937
    assert_eq!(s("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"), 5.5);
    assert_eq!(s("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"), 5.9);
    assert_eq!(s("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N"), 0.0);
    // Temporal/environmental metrics are accepted; the base score is unchanged.
    assert_eq!(
        s("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C/CR:H/MAV:L"),
        9.8
    );
    // v2 guide examples (CVE-2002-0392, CVE-2003-0818).
    assert_eq!(s("AV:N/AC:L/Au:N/C:N/I:N/A:C"), 7.8);
    assert_eq!(s("AV:N/AC:L/Au:N/C:C/I:C/A:C"), 10.0);
    assert_eq!(s("(AV:N/AC:L/Au:N/C:P/I:P/A:P)"), 7.5);
    // v4.0: FIRST/Red Hat calculator and reference implementation examples.
    assert_eq!(
        s("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:N"),
        9.9
    );
    assert_eq!(
        s("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N"),
        6.9
    );
    assert_eq!(
        s("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N/E:A/MAV:A"),
        8.7
    );
    assert_eq!(
        s("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H"),
        10.0
    );
    assert_eq!(
        s("CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N"),
        0.0
    );
    assert_eq!(
        s("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N/E:U"),
        0.1
    );
    // RUSTSEC-2026-0041 (lz4_flex).
    assert_eq!(
        s("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N"),
        8.2
    );
}

#[test]
fn versions_and_ratings() {
    let c = cvss::score("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N").unwrap();
    assert_eq!(c.version, CvssVersion::V4_0);
    assert_eq!(c.rating, Rating::High);
    let c = cvss::score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
    assert_eq!((c.version, c.rating), (CvssVersion::V3_0, Rating::Critical));
    let c = cvss::score("AV:N/AC:L/Au:N/C:P/I:P/A:P").unwrap();
    assert_eq!((c.version, c.rating), (CvssVersion::V2, Rating::High));
    assert_eq!(cvss::rating(0.0), Rating::None);
    assert_eq!(cvss::rating(3.9), Rating::Low);
    assert_eq!(cvss::rating(4.0), Rating::Medium);
    assert_eq!(cvss::rating(8.9), Rating::High);
    assert_eq!(cvss::rating(9.0), Rating::Critical);
}

fn reference(name: &str) -> Vec<String> {
    std::fs::read_to_string(format!("{DATA}/{name}"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Every v3.0, v3.1 and v2 base vector, in the order of `v3-v2-enumerated.txt`.
fn enumerate_v3_v2() -> Vec<String> {
    let mut out = Vec::new();
    for ver in ["3.0", "3.1"] {
        for av in ["N", "A", "L", "P"] {
            for ac in ["L", "H"] {
                for pr in ["N", "L", "H"] {
                    for ui in ["N", "R"] {
                        for sc in ["U", "C"] {
                            for c in ["H", "L", "N"] {
                                for i in ["H", "L", "N"] {
                                    for a in ["H", "L", "N"] {
                                        out.push(format!(
                                            "CVSS:{ver}/AV:{av}/AC:{ac}/PR:{pr}/UI:{ui}/S:{sc}/C:{c}/I:{i}/A:{a}"
                                        ));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    for av in ["L", "A", "N"] {
        for ac in ["H", "M", "L"] {
            for au in ["M", "S", "N"] {
                for c in ["N", "P", "C"] {
                    for i in ["N", "P", "C"] {
                        for a in ["N", "P", "C"] {
                            out.push(format!("AV:{av}/AC:{ac}/Au:{au}/C:{c}/I:{i}/A:{a}"));
                        }
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_v3_and_v2_base_vector_matches_the_reference() {
    let expected = reference("v3-v2-enumerated.txt");
    let vectors = enumerate_v3_v2();
    assert_eq!(vectors.len(), 2 * 2592 + 729);
    assert_eq!(expected.len(), vectors.len());
    let mut wrong = Vec::new();
    for (v, e) in vectors.iter().zip(&expected) {
        let got = format!("{:.1}", s(v));
        if &got != e {
            wrong.push(format!("{v}: {got}, expected {e}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

fn check_pairs(name: &str) -> usize {
    let mut wrong = Vec::new();
    let rows = reference(name);
    for line in &rows {
        let (v, e) = line.rsplit_once(' ').unwrap();
        let got = format!("{:.1}", s(v));
        if got != e {
            wrong.push(format!("{v}: {got}, expected {e}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    rows.len()
}

#[test]
fn v4_sample_matches_the_reference() {
    assert!(check_pairs("v4-sample.txt") > 800);
}

#[test]
fn vectors_of_real_advisories_match_the_reference() {
    assert!(check_pairs("real-advisories.txt") > 150);
}

#[test]
fn malformed_vectors_are_refused() {
    assert!(matches!(
        cvss::score("garbage"),
        Err(CvssError::UnknownVersion(_))
    ));
    assert!(matches!(
        cvss::score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"),
        Err(CvssError::Missing(m)) if m == "A"
    ));
    assert!(matches!(
        cvss::score("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        Err(CvssError::Duplicate(_))
    ));
    assert!(matches!(
        cvss::score("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        Err(CvssError::InvalidValue { .. })
    ));
    assert!(matches!(
        cvss::score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/ZZ:1"),
        Err(CvssError::UnknownMetric(_))
    ));
    assert!(matches!(
        cvss::score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/"),
        Err(CvssError::Malformed(_))
    ));
    assert!(cvss::score("CVSS:5.0/AV:N").is_err());
    assert!(cvss::score("").is_err());
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic(v in ".{0,200}") {
        let _ = cvss::score(&v);
    }

    #[test]
    fn vector_like_strings_never_panic(
        prefix in prop::sample::select(vec!["CVSS:4.0/", "CVSS:3.1/", "CVSS:3.0/", ""]),
        parts in prop::collection::vec("(AV|AC|AT|PR|UI|VC|VI|VA|SC|SI|SA|S|C|I|A|Au|E|MSI|CR):[A-Z]{0,2}", 0..16),
    ) {
        let v = format!("{prefix}{}", parts.join("/"));
        if let Ok(c) = cvss::score(&v) {
            prop_assert!((0.0..=10.0).contains(&c.score));
        }
    }
}
