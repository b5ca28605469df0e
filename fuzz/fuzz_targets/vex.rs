//! VEX readers: the sniffing reader, then each format's own (OpenVEX, CycloneDX, CSAF), in
//! both modes. The first byte picks the reader.
#![no_main]
use annex_vex::statement::ReadMode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, doc)) = data.split_first() else {
        return;
    };
    let mode = if pick & 1 == 0 {
        ReadMode::Lenient
    } else {
        ReadMode::Strict
    };
    let _ = match (pick >> 1) % 4 {
        0 => annex_vex::read(doc, "fuzz.json", mode),
        1 => annex_vex::openvex::read(doc, "fuzz.json", mode),
        2 => annex_vex::cyclonedx::read(doc, "fuzz.json", mode),
        _ => annex_vex::csaf::read(doc, "fuzz.json", mode),
    };
});
