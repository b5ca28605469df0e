//! CVSS base scores computed from vectors: v2, v3.0/v3.1 (the specification's formulas,
//! including v3.1's `Roundup`) and v4.0 (MacroVector lookup and interpolation).
//!
//! Sources:
//! - CVSS v3.1 specification, section 7 and appendix A (`Roundup`),
//!   <https://www.first.org/cvss/v3.1/specification-document>; v3.0 section 8.
//! - CVSS v4.0 specification, section 8, <https://www.first.org/cvss/v4.0/specification-document>,
//!   and FIRST's reference calculator <https://github.com/FIRSTdotorg/cvss-v4-calculator>
//!   (`cvss_lookup.js`, `max_composed.js`, `max_severity.js`, `cvss_score.js`), the same data
//!   as `CVSS_LOOKUP_GLOBAL`, `MAX_COMPOSED` and `MAX_SEVERITY` in Red Hat's `cvss` Python
//!   package 3.4 (`cvss/constants4.py`), whose final rounding (round half up after adding
//!   10⁻⁶) is followed here.
//! - CVSS v2 guide, section 3.2.1, <https://www.first.org/cvss/v2/guide>.
//!
//! Only the v4.0 score takes threat and environmental metrics into account (as the
//! calculator does, which is what a vector that carries them means); v2 and v3 give the base
//! score, and their temporal/environmental metrics are validated but not applied.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Why a vector cannot be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CvssError {
    #[error(
        "not a CVSS vector (expected `CVSS:3.x/…`, `CVSS:4.0/…` or a v2 `AV:…/Au:…` vector): {0:?}"
    )]
    UnknownVersion(String),
    #[error("malformed CVSS component {0:?}")]
    Malformed(String),
    #[error("unknown CVSS metric {0:?}")]
    UnknownMetric(String),
    #[error("invalid value {value:?} for CVSS metric {metric}")]
    InvalidValue { metric: String, value: String },
    #[error("CVSS metric {0} appears twice")]
    Duplicate(String),
    #[error("CVSS base metric {0} is missing")]
    Missing(String),
}

// The version and rating enums are shared with the VEX/CSAF writers, which annex-vuln feeds.
pub use annex_vex::{CvssVersion, Rating};

/// A computed score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CvssScore {
    pub version: CvssVersion,
    /// 0.0–10.0, one decimal.
    pub score: f64,
    pub rating: Rating,
}

/// Scores any supported vector, recognising the version from its prefix
/// (`CVSS:4.0/`, `CVSS:3.1/`, `CVSS:3.0/`; v2 vectors have none, or `CVSS:2.0/`, or parentheses).
pub fn score(vector: &str) -> Result<CvssScore, CvssError> {
    let v = vector.trim();
    if v.starts_with("CVSS:4.0/") {
        v4_score(v)
    } else if v.starts_with("CVSS:3.0/") || v.starts_with("CVSS:3.1/") {
        v3_base_score(v)
    } else if v.starts_with("CVSS:2.0/") || v.contains("Au:") {
        v2_base_score(v)
    } else {
        Err(CvssError::UnknownVersion(v.to_string()))
    }
}

/// The rating for a v3/v4 score.
pub fn rating(score: f64) -> Rating {
    if score <= 0.0 {
        Rating::None
    } else if score < 4.0 {
        Rating::Low
    } else if score < 7.0 {
        Rating::Medium
    } else if score < 9.0 {
        Rating::High
    } else {
        Rating::Critical
    }
}

/// Splits `A:B/C:D` into metric → value, checking names and values against `allowed`.
fn parse_metrics<'a>(
    body: &'a str,
    allowed: &[(&str, &[&str])],
) -> Result<BTreeMap<&'a str, &'a str>, CvssError> {
    let mut out = BTreeMap::new();
    for part in body.split('/') {
        let (k, v) = part
            .split_once(':')
            .ok_or_else(|| CvssError::Malformed(part.to_string()))?;
        let (_, values) = allowed
            .iter()
            .find(|(m, _)| *m == k)
            .ok_or_else(|| CvssError::UnknownMetric(k.to_string()))?;
        if !values.contains(&v) {
            return Err(CvssError::InvalidValue {
                metric: k.to_string(),
                value: v.to_string(),
            });
        }
        if out.insert(k, v).is_some() {
            return Err(CvssError::Duplicate(k.to_string()));
        }
    }
    Ok(out)
}

fn require(m: &BTreeMap<&str, &str>, names: &[&str]) -> Result<(), CvssError> {
    match names.iter().find(|n| !m.contains_key(*n)) {
        Some(n) => Err(CvssError::Missing(n.to_string())),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// v3.0 / v3.1

const V3_METRICS: &[(&str, &[&str])] = &[
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "R"]),
    ("S", &["U", "C"]),
    ("C", &["H", "L", "N"]),
    ("I", &["H", "L", "N"]),
    ("A", &["H", "L", "N"]),
    ("E", &["X", "U", "P", "F", "H"]),
    ("RL", &["X", "O", "T", "W", "U"]),
    ("RC", &["X", "U", "R", "C"]),
    ("CR", &["X", "L", "M", "H"]),
    ("IR", &["X", "L", "M", "H"]),
    ("AR", &["X", "L", "M", "H"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "R"]),
    ("MS", &["X", "U", "C"]),
    ("MC", &["X", "N", "L", "H"]),
    ("MI", &["X", "N", "L", "H"]),
    ("MA", &["X", "N", "L", "H"]),
];

/// v3.1 `Roundup` (specification appendix A): the smallest one-decimal number ≥ the input,
/// computed on integers so that floating-point noise (4.000000000000001) does not round up.
fn roundup_v31(x: f64) -> f64 {
    let int_input = (x * 100_000.0).round() as i64;
    if int_input % 10_000 == 0 {
        int_input as f64 / 100_000.0
    } else {
        ((int_input / 10_000) + 1) as f64 / 10.0
    }
}

/// The base score of a `CVSS:3.0/…` or `CVSS:3.1/…` vector. Both versions use the same
/// formula; v3.1's integer `Roundup` is used for both, since it is the exact "smallest number,
/// to one decimal place, equal to or higher than its input" that v3.0 defines.
pub fn v3_base_score(vector: &str) -> Result<CvssScore, CvssError> {
    let (version, body) = if let Some(b) = vector.strip_prefix("CVSS:3.1/") {
        (CvssVersion::V3_1, b)
    } else if let Some(b) = vector.strip_prefix("CVSS:3.0/") {
        (CvssVersion::V3_0, b)
    } else {
        return Err(CvssError::UnknownVersion(vector.to_string()));
    };
    let m = parse_metrics(body, V3_METRICS)?;
    require(&m, &["AV", "AC", "PR", "UI", "S", "C", "I", "A"])?;
    let changed = m["S"] == "C";
    let av = match m["AV"] {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        _ => 0.2,
    };
    let ac = if m["AC"] == "L" { 0.77 } else { 0.44 };
    let pr = match (m["PR"], changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        _ => 0.5,
    };
    let ui = if m["UI"] == "N" { 0.85 } else { 0.62 };
    let cia = |k: &str| match m[k] {
        "H" => 0.56,
        "L" => 0.22,
        _ => 0.0,
    };
    let iss = 1.0 - ((1.0 - cia("C")) * (1.0 - cia("I")) * (1.0 - cia("A")));
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02f64).powi(15)
    } else {
        6.42 * iss
    };
    let exploitability = 8.22 * av * ac * pr * ui;
    let score = if impact <= 0.0 {
        0.0
    } else if changed {
        roundup_v31((1.08 * (impact + exploitability)).min(10.0))
    } else {
        roundup_v31((impact + exploitability).min(10.0))
    };
    Ok(CvssScore {
        version,
        score,
        rating: rating(score),
    })
}

// ---------------------------------------------------------------------------------------------
// v2

const V2_METRICS: &[(&str, &[&str])] = &[
    ("AV", &["L", "A", "N"]),
    ("AC", &["H", "M", "L"]),
    ("Au", &["M", "S", "N"]),
    ("C", &["N", "P", "C"]),
    ("I", &["N", "P", "C"]),
    ("A", &["N", "P", "C"]),
    ("E", &["U", "POC", "F", "H", "ND"]),
    ("RL", &["OF", "TF", "W", "U", "ND"]),
    ("RC", &["UC", "UR", "C", "ND"]),
    ("CDP", &["N", "L", "LM", "MH", "H", "ND"]),
    ("TD", &["N", "L", "M", "H", "ND"]),
    ("CR", &["L", "M", "H", "ND"]),
    ("IR", &["L", "M", "H", "ND"]),
    ("AR", &["L", "M", "H", "ND"]),
];

/// Rounds half up to one decimal, on the decimal value nearest the binary one.
fn round1_half_up(x: f64) -> f64 {
    // Nudge by a relative epsilon so that 4.35 stored as 4.3499999… still rounds up.
    ((x * 10.0) + 1e-9).round() / 10.0
}

/// The base score of a v2 vector (`AV:N/AC:L/Au:N/C:P/I:P/A:P`).
pub fn v2_base_score(vector: &str) -> Result<CvssScore, CvssError> {
    let body = vector.trim();
    let body = body.strip_prefix("CVSS:2.0/").unwrap_or(body);
    let body = body
        .strip_prefix('(')
        .and_then(|b| b.strip_suffix(')'))
        .unwrap_or(body);
    let m = parse_metrics(body, V2_METRICS)?;
    require(&m, &["AV", "AC", "Au", "C", "I", "A"])?;
    let av = match m["AV"] {
        "L" => 0.395,
        "A" => 0.646,
        _ => 1.0,
    };
    let ac = match m["AC"] {
        "H" => 0.35,
        "M" => 0.61,
        _ => 0.71,
    };
    let au = match m["Au"] {
        "M" => 0.45,
        "S" => 0.56,
        _ => 0.704,
    };
    let cia = |k: &str| match m[k] {
        "N" => 0.0,
        "P" => 0.275,
        _ => 0.660,
    };
    let impact = 10.41 * (1.0 - (1.0 - cia("C")) * (1.0 - cia("I")) * (1.0 - cia("A")));
    let exploitability = 20.0 * av * ac * au;
    let f = if impact == 0.0 { 0.0 } else { 1.176 };
    let score = round1_half_up(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f).max(0.0);
    let rating = if score < 4.0 {
        Rating::Low
    } else if score < 7.0 {
        Rating::Medium
    } else {
        Rating::High
    };
    Ok(CvssScore {
        version: CvssVersion::V2,
        score,
        rating,
    })
}

// ---------------------------------------------------------------------------------------------
// v4.0

const V4_METRICS: &[(&str, &[&str])] = &[
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("AT", &["N", "P"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "P", "A"]),
    ("VC", &["H", "L", "N"]),
    ("VI", &["H", "L", "N"]),
    ("VA", &["H", "L", "N"]),
    ("SC", &["H", "L", "N"]),
    ("SI", &["H", "L", "N"]),
    ("SA", &["H", "L", "N"]),
    ("E", &["X", "A", "P", "U"]),
    ("CR", &["X", "H", "M", "L"]),
    ("IR", &["X", "H", "M", "L"]),
    ("AR", &["X", "H", "M", "L"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MAT", &["X", "N", "P"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "P", "A"]),
    ("MVC", &["X", "H", "L", "N"]),
    ("MVI", &["X", "H", "L", "N"]),
    ("MVA", &["X", "H", "L", "N"]),
    ("MSC", &["X", "H", "L", "N"]),
    ("MSI", &["X", "S", "H", "L", "N"]),
    ("MSA", &["X", "S", "H", "L", "N"]),
    ("S", &["X", "N", "P"]),
    ("AU", &["X", "N", "Y"]),
    ("R", &["X", "A", "U", "I"]),
    ("V", &["X", "D", "C"]),
    ("RE", &["X", "L", "M", "H"]),
    ("U", &["X", "Clear", "Green", "Amber", "Red"]),
];

/// The MacroVector scores: EQ1..EQ6 levels → score of the highest-severity vector in that
/// MacroVector. 270 entries, from FIRST's CVSS v4.0 calculator (`cvss_lookup.js`,
/// <https://github.com/FIRSTdotorg/cvss-v4-calculator>), identical to `CVSS_LOOKUP_GLOBAL` in
/// Red Hat's `cvss` 3.4 (`constants4.py`).
#[rustfmt::skip]
const LOOKUP: [(&str, f64); 270] = [
    ("000000", 10.0), ("000001", 9.9), ("000010", 9.8), ("000011", 9.5), ("000020", 9.5), ("000021", 9.2),
    ("000100", 10.0), ("000101", 9.6), ("000110", 9.3), ("000111", 8.7), ("000120", 9.1), ("000121", 8.1),
    ("000200", 9.3), ("000201", 9.0), ("000210", 8.9), ("000211", 8.0), ("000220", 8.1), ("000221", 6.8),
    ("001000", 9.8), ("001001", 9.5), ("001010", 9.5), ("001011", 9.2), ("001020", 9.0), ("001021", 8.4),
    ("001100", 9.3), ("001101", 9.2), ("001110", 8.9), ("001111", 8.1), ("001120", 8.1), ("001121", 6.5),
    ("001200", 8.8), ("001201", 8.0), ("001210", 7.8), ("001211", 7.0), ("001220", 6.9), ("001221", 4.8),
    ("002001", 9.2), ("002011", 8.2), ("002021", 7.2), ("002101", 7.9), ("002111", 6.9), ("002121", 5.0),
    ("002201", 6.9), ("002211", 5.5), ("002221", 2.7), ("010000", 9.9), ("010001", 9.7), ("010010", 9.5),
    ("010011", 9.2), ("010020", 9.2), ("010021", 8.5), ("010100", 9.5), ("010101", 9.1), ("010110", 9.0),
    ("010111", 8.3), ("010120", 8.4), ("010121", 7.1), ("010200", 9.2), ("010201", 8.1), ("010210", 8.2),
    ("010211", 7.1), ("010220", 7.2), ("010221", 5.3), ("011000", 9.5), ("011001", 9.3), ("011010", 9.2),
    ("011011", 8.5), ("011020", 8.5), ("011021", 7.3), ("011100", 9.2), ("011101", 8.2), ("011110", 8.0),
    ("011111", 7.2), ("011120", 7.0), ("011121", 5.9), ("011200", 8.4), ("011201", 7.0), ("011210", 7.1),
    ("011211", 5.2), ("011220", 5.0), ("011221", 3.0), ("012001", 8.6), ("012011", 7.5), ("012021", 5.2),
    ("012101", 7.1), ("012111", 5.2), ("012121", 2.9), ("012201", 6.3), ("012211", 2.9), ("012221", 1.7),
    ("100000", 9.8), ("100001", 9.5), ("100010", 9.4), ("100011", 8.7), ("100020", 9.1), ("100021", 8.1),
    ("100100", 9.4), ("100101", 8.9), ("100110", 8.6), ("100111", 7.4), ("100120", 7.7), ("100121", 6.4),
    ("100200", 8.7), ("100201", 7.5), ("100210", 7.4), ("100211", 6.3), ("100220", 6.3), ("100221", 4.9),
    ("101000", 9.4), ("101001", 8.9), ("101010", 8.8), ("101011", 7.7), ("101020", 7.6), ("101021", 6.7),
    ("101100", 8.6), ("101101", 7.6), ("101110", 7.4), ("101111", 5.8), ("101120", 5.9), ("101121", 5.0),
    ("101200", 7.2), ("101201", 5.7), ("101210", 5.7), ("101211", 5.2), ("101220", 5.2), ("101221", 2.5),
    ("102001", 8.3), ("102011", 7.0), ("102021", 5.4), ("102101", 6.5), ("102111", 5.8), ("102121", 2.6),
    ("102201", 5.3), ("102211", 2.1), ("102221", 1.3), ("110000", 9.5), ("110001", 9.0), ("110010", 8.8),
    ("110011", 7.6), ("110020", 7.6), ("110021", 7.0), ("110100", 9.0), ("110101", 7.7), ("110110", 7.5),
    ("110111", 6.2), ("110120", 6.1), ("110121", 5.3), ("110200", 7.7), ("110201", 6.6), ("110210", 6.8),
    ("110211", 5.9), ("110220", 5.2), ("110221", 3.0), ("111000", 8.9), ("111001", 7.8), ("111010", 7.6),
    ("111011", 6.7), ("111020", 6.2), ("111021", 5.8), ("111100", 7.4), ("111101", 5.9), ("111110", 5.7),
    ("111111", 5.7), ("111120", 4.7), ("111121", 2.3), ("111200", 6.1), ("111201", 5.2), ("111210", 5.7),
    ("111211", 2.9), ("111220", 2.4), ("111221", 1.6), ("112001", 7.1), ("112011", 5.9), ("112021", 3.0),
    ("112101", 5.8), ("112111", 2.6), ("112121", 1.5), ("112201", 2.3), ("112211", 1.3), ("112221", 0.6),
    ("200000", 9.3), ("200001", 8.7), ("200010", 8.6), ("200011", 7.2), ("200020", 7.5), ("200021", 5.8),
    ("200100", 8.6), ("200101", 7.4), ("200110", 7.4), ("200111", 6.1), ("200120", 5.6), ("200121", 3.4),
    ("200200", 7.0), ("200201", 5.4), ("200210", 5.2), ("200211", 4.0), ("200220", 4.0), ("200221", 2.2),
    ("201000", 8.5), ("201001", 7.5), ("201010", 7.4), ("201011", 5.5), ("201020", 6.2), ("201021", 5.1),
    ("201100", 7.2), ("201101", 5.7), ("201110", 5.5), ("201111", 4.1), ("201120", 4.6), ("201121", 1.9),
    ("201200", 5.3), ("201201", 3.6), ("201210", 3.4), ("201211", 1.9), ("201220", 1.9), ("201221", 0.8),
    ("202001", 6.4), ("202011", 5.1), ("202021", 2.0), ("202101", 4.7), ("202111", 2.1), ("202121", 1.1),
    ("202201", 2.4), ("202211", 0.9), ("202221", 0.4), ("210000", 8.8), ("210001", 7.5), ("210010", 7.3),
    ("210011", 5.3), ("210020", 6.0), ("210021", 5.0), ("210100", 7.3), ("210101", 5.5), ("210110", 5.9),
    ("210111", 4.0), ("210120", 4.1), ("210121", 2.0), ("210200", 5.4), ("210201", 4.3), ("210210", 4.5),
    ("210211", 2.2), ("210220", 2.0), ("210221", 1.1), ("211000", 7.5), ("211001", 5.5), ("211010", 5.8),
    ("211011", 4.5), ("211020", 4.0), ("211021", 2.1), ("211100", 6.1), ("211101", 5.1), ("211110", 4.8),
    ("211111", 1.8), ("211120", 2.0), ("211121", 0.9), ("211200", 4.6), ("211201", 1.8), ("211210", 1.7),
    ("211211", 0.7), ("211220", 0.8), ("211221", 0.2), ("212001", 5.3), ("212011", 2.4), ("212021", 1.4),
    ("212101", 2.4), ("212111", 1.2), ("212121", 0.5), ("212201", 1.0), ("212211", 0.3), ("212221", 0.1),
];

fn lookup(macro_vector: &[u8; 6]) -> Option<f64> {
    let key: String = macro_vector.iter().map(|d| char::from(b'0' + d)).collect();
    LOOKUP.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The highest-severity vectors of each EQ level (`max_composed.js`): EQ1, EQ2, EQ3+EQ6
/// (indexed by EQ3 then EQ6), EQ4, EQ5.
const MAX_EQ1: [&[&str]; 3] = [
    &["AV:N/PR:N/UI:N"],
    &["AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"],
    &["AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"],
];
const MAX_EQ2: [&[&str]; 2] = [&["AC:L/AT:N"], &["AC:H/AT:N", "AC:L/AT:P"]];
const MAX_EQ3_EQ6: [[&[&str]; 2]; 3] = [
    [
        &["VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"],
        &[
            "VC:H/VI:H/VA:L/CR:M/IR:M/AR:H",
            "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M",
        ],
    ],
    [
        &[
            "VC:L/VI:H/VA:H/CR:H/IR:H/AR:H",
            "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H",
        ],
        &[
            "VC:L/VI:H/VA:L/CR:H/IR:M/AR:H",
            "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
            "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M",
            "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
            "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M",
        ],
    ],
    [&[], &["VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"]],
];
const MAX_EQ4: [&[&str]; 3] = [
    &["SC:H/SI:S/SA:S"],
    &["SC:H/SI:H/SA:H"],
    &["SC:L/SI:L/SA:L"],
];
const MAX_EQ5: [&[&str]; 3] = [&["E:A"], &["E:P"], &["E:U"]];

/// Depth of each MacroVector in severity-distance steps (`max_severity.js`).
const MAX_SEVERITY_EQ1: [u32; 3] = [1, 4, 5];
const MAX_SEVERITY_EQ2: [u32; 2] = [1, 2];
const MAX_SEVERITY_EQ3_EQ6: [[u32; 2]; 3] = [[7, 6], [8, 8], [0, 10]];
const MAX_SEVERITY_EQ4: [u32; 3] = [6, 5, 4];

/// Severity level of a metric value (0.0 = most severe), per the calculator.
fn level(metric: &str, value: &str) -> f64 {
    match (metric, value) {
        ("AV", "N") | ("PR", "N") | ("UI", "N") | ("AC", "L") | ("AT", "N") => 0.0,
        ("AV", "A") | ("PR", "L") | ("UI", "P") | ("AC", "H") | ("AT", "P") => 0.1,
        ("AV", "L") | ("PR", "H") | ("UI", "A") => 0.2,
        ("AV", "P") => 0.3,
        ("VC" | "VI" | "VA" | "CR" | "IR" | "AR", "H") => 0.0,
        ("VC" | "VI" | "VA", "L") | ("CR" | "IR" | "AR", "M") => 0.1,
        ("VC" | "VI" | "VA", "N") | ("CR" | "IR" | "AR", "L") => 0.2,
        ("SI" | "SA", "S") => 0.0,
        ("SC" | "SI" | "SA", "H") => 0.1,
        ("SC" | "SI" | "SA", "L") => 0.2,
        ("SC" | "SI" | "SA", "N") => 0.3,
        _ => 0.0,
    }
}

struct V4<'a> {
    m: BTreeMap<&'a str, &'a str>,
}

impl V4<'_> {
    /// The effective value of a metric: threat/environmental defaults to the worst case when
    /// not defined, modified base metrics override base metrics.
    fn get(&self, metric: &str) -> &str {
        let selected = self.m.get(metric).copied().unwrap_or("X");
        match (metric, selected) {
            ("E", "X") => return "A",
            ("CR" | "IR" | "AR", "X") => return "H",
            _ => {}
        }
        let modified = format!("M{metric}");
        match self.m.get(modified.as_str()) {
            Some(v) if *v != "X" => v,
            _ => selected,
        }
    }

    fn macro_vector(&self) -> [u8; 6] {
        let g = |k| self.get(k);
        let (av, pr, ui) = (g("AV"), g("PR"), g("UI"));
        let eq1 = if av == "N" && pr == "N" && ui == "N" {
            0
        } else if (av == "N" || pr == "N" || ui == "N") && av != "P" {
            1
        } else {
            2
        };
        let eq2 = if g("AC") == "L" && g("AT") == "N" {
            0
        } else {
            1
        };
        let (vc, vi, va) = (g("VC"), g("VI"), g("VA"));
        let eq3 = if vc == "H" && vi == "H" {
            0
        } else if vc == "H" || vi == "H" || va == "H" {
            1
        } else {
            2
        };
        let eq4 = if g("MSI") == "S" || g("MSA") == "S" {
            0
        } else if g("SC") == "H" || g("SI") == "H" || g("SA") == "H" {
            1
        } else {
            2
        };
        let eq5 = match g("E") {
            "A" => 0,
            "P" => 1,
            _ => 2,
        };
        let eq6 = if (g("CR") == "H" && vc == "H")
            || (g("IR") == "H" && vi == "H")
            || (g("AR") == "H" && va == "H")
        {
            0
        } else {
            1
        };
        [eq1, eq2, eq3, eq4, eq5, eq6]
    }
}

/// The score of a `CVSS:4.0/…` vector (CVSS-B, or CVSS-BT/BE/BTE when threat or environmental
/// metrics are present), following the reference calculator step by step so that the
/// floating-point results, and therefore the rounding, are the same.
pub fn v4_score(vector: &str) -> Result<CvssScore, CvssError> {
    let body = vector
        .strip_prefix("CVSS:4.0/")
        .ok_or_else(|| CvssError::UnknownVersion(vector.to_string()))?;
    let m = parse_metrics(body, V4_METRICS)?;
    require(
        &m,
        &[
            "AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA",
        ],
    )?;
    let v = V4 { m };
    let score = v4_value(&v);
    Ok(CvssScore {
        version: CvssVersion::V4_0,
        score,
        rating: rating(score),
    })
}

fn v4_value(v: &V4<'_>) -> f64 {
    if ["VC", "VI", "VA", "SC", "SI", "SA"]
        .iter()
        .all(|k| v.get(k) == "N")
    {
        return 0.0;
    }
    let mv = v.macro_vector();
    let value = lookup(&mv).expect("every reachable MacroVector is in the table");
    let [eq1, eq2, eq3, eq4, eq5, eq6] = mv;
    let with = |i: usize, d: u8, j: Option<usize>| {
        let mut x = mv;
        x[i] += d;
        if let Some(j) = j {
            x[j] += 1;
        }
        lookup(&x)
    };
    let lower_eq1 = with(0, 1, None);
    let lower_eq2 = with(1, 1, None);
    let lower_eq3_eq6 = match (eq3, eq6) {
        (1, 1) | (0, 1) => with(2, 1, None),
        (1, 0) => with(5, 1, None),
        (0, 0) => {
            // Two paths down; take the higher score (NaN-aware like Python's max()).
            match (with(5, 1, None), with(2, 1, None)) {
                (Some(l), Some(r)) => Some(if l > r { l } else { r }),
                (l, r) => l.or(r),
            }
        }
        _ => with(2, 1, Some(5)),
    };
    let lower_eq4 = with(3, 1, None);
    let lower_eq5 = with(4, 1, None);

    // The highest-severity vectors of this MacroVector, in the calculator's order.
    let mut max_vectors = Vec::new();
    for a in MAX_EQ1[eq1 as usize] {
        for b in MAX_EQ2[eq2 as usize] {
            for c in MAX_EQ3_EQ6[eq3 as usize][eq6 as usize] {
                for d in MAX_EQ4[eq4 as usize] {
                    for e in MAX_EQ5[eq5 as usize] {
                        max_vectors.push([*a, *b, *c, *d, *e].join("/"));
                    }
                }
            }
        }
    }
    const DIST_METRICS: [&str; 14] = [
        "AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA", "CR", "IR", "AR",
    ];
    let mut distances = [0.0f64; 14];
    for max in &max_vectors {
        let max_of = |metric: &str| {
            max.split('/')
                .find_map(|p| p.strip_prefix(metric).and_then(|r| r.strip_prefix(':')))
                .unwrap_or("X")
        };
        for (i, metric) in DIST_METRICS.iter().enumerate() {
            distances[i] = level(metric, v.get(metric)) - level(metric, max_of(metric));
        }
        if distances.iter().all(|d| *d >= 0.0) {
            break;
        }
    }
    let [av, pr, ui, ac, at, vc, vi, va, sc, si, sa, cr, ir, ar] = distances;
    let current_eq1 = av + pr + ui;
    let current_eq2 = ac + at;
    let current_eq3_eq6 = vc + vi + va + cr + ir + ar;
    let current_eq4 = sc + si + sa;

    let step = 0.1;
    let max_eq1 = f64::from(MAX_SEVERITY_EQ1[eq1 as usize]) * step;
    let max_eq2 = f64::from(MAX_SEVERITY_EQ2[eq2 as usize]) * step;
    let max_eq3_eq6 = f64::from(MAX_SEVERITY_EQ3_EQ6[eq3 as usize][eq6 as usize]) * step;
    let max_eq4 = f64::from(MAX_SEVERITY_EQ4[eq4 as usize]) * step;

    // A lower MacroVector counts when it exists and is not above the current one.
    let mut n = 0u32;
    let mut part = |lower: Option<f64>, current: f64, max: f64| -> f64 {
        match lower {
            Some(l) if value - l >= 0.0 => {
                n += 1;
                (value - l) * (current / max)
            }
            _ => 0.0,
        }
    };
    let n1 = part(lower_eq1, current_eq1, max_eq1);
    let n2 = part(lower_eq2, current_eq2, max_eq2);
    let n3 = part(lower_eq3_eq6, current_eq3_eq6, max_eq3_eq6);
    let n4 = part(lower_eq4, current_eq4, max_eq4);
    // EQ5's proportion is always 0, but the MacroVector below still counts in the mean.
    let n5 = part(lower_eq5, 0.0, 1.0);
    let mean = if n == 0 {
        0.0
    } else {
        (n1 + n2 + n3 + n4 + n5) / f64::from(n)
    };
    let value = (value - mean).clamp(0.0, 10.0);
    round_v4(value)
}

/// Round half up to one decimal after adding 10⁻⁶ (the reference implementation's
/// `final_rounding`, which rounds the exact decimal value of the double).
fn round_v4(x: f64) -> f64 {
    round1_half_up_exact(x + 1e-6)
}

/// Rounds a non-negative double half up to one decimal, deciding on its exact decimal value.
fn round1_half_up_exact(y: f64) -> f64 {
    // 40 decimals are exact enough: a double in [0, 16) has at most 52 fractional bits, and
    // only a value within 1e-40 of a midpoint could be misjudged, which no double is unless
    // it is the midpoint itself (then it is printed exactly).
    let s = format!("{:.40}", y.max(0.0));
    let (int, frac) = s.split_once('.').unwrap_or((&s, "0"));
    let mut digits = frac.bytes().map(|b| i64::from(b - b'0'));
    let first = digits.next().unwrap_or(0);
    let round_up = digits.next().is_some_and(|d| d >= 5);
    let tenths = int.parse::<i64>().unwrap_or(0) * 10 + first + i64::from(round_up);
    tenths as f64 / 10.0
}
