//! annex.toml: every reader of it (`[scope]`, `[[vex]]`, the product metadata) gives a
//! value or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = annex_inventory::scan::ScopeConfig::from_annex_toml(text, "annex.toml");
    let _ = annex_vuln::triage::parse_annex_toml(text, "annex.toml");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let _ = annex_docs::Metadata::parse(text, "annex.toml", today);
});
