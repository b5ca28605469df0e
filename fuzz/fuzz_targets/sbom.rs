//! SBOM readers (CycloneDX JSON/XML, SPDX 2.3 JSON/tag-value, SPDX 3.0.1) behind `read`:
//! a document or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = annex_sbom::read::read(data, &annex_sbom::ReadOptions::default());
});
