//! annex-vex: VEX and CSAF formats (being moved here from annex-vuln).
