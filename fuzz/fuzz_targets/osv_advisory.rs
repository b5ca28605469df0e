//! One OSV advisory record (JSON): an advisory or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = annex_vuln::osv::Advisory::from_json(data);
});
