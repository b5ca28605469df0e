//! Python names: the PEP 503 normalised form, the name in a PEP 508 requirement, the
//! purl, and the words that mark a group or file as development-only. Shared by the
//! lockfile parsers and the requirements-file parser.

pub(crate) const ECO: &str = annex_types::ecosystem::PYPI;

/// PEP 503 name normalisation for purls and keys: lowercase, runs of `-`, `_`, `.` become
/// one `-`; unlike the matcher's ([`annex_types::ecosystem::normalize_name`]), separators at
/// either end are dropped, as the parsers have always written them.
pub(crate) fn pep503(name: &str) -> String {
    annex_types::ecosystem::pep503(name.trim())
        .trim_matches('-')
        .to_string()
}

pub(crate) fn py_purl(name: &str, version: &str) -> String {
    crate::purl::purl(ECO, None, &pep503(name), version, &[])
}

/// The name part of a PEP 508 requirement string (`requests[socks]>=2 ; …` → `requests`).
pub(crate) fn pep508_name(req: &str) -> &str {
    let req = req.trim_start();
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    &req[..end]
}

const DEV_WORDS: &[&str] = &[
    "dev",
    "devel",
    "develop",
    "development",
    "test",
    "tests",
    "testing",
    "lint",
    "linting",
    "doc",
    "docs",
    "typing",
    "ci",
    "style",
    "mypy",
    "bench",
    "benchmark",
];

/// Whether a file or group name marks development-only requirements.
pub(crate) fn devish(name: &str) -> bool {
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|t| DEV_WORDS.contains(&t))
}
