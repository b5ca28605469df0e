//! annex-vuln: offline vulnerability matching. The OSV model, an advisory database
//! imported from OSV JSON/YAML, osv.dev zips and the RustSec layout, version ordering per
//! ecosystem, matching an inventory against it with explained findings, CVSS scores, and
//! VEX (OpenVEX, CycloneDX) and CSAF documents, triage from `annex.toml`, and the one online
//! path: downloading an osv.dev archive into the database (`update`).

#[path = "../../annex-vex/src/csaf.rs"]
pub mod csaf;
pub mod cvss;
pub mod db;
pub mod matching;
pub mod osv;
pub mod triage;
#[path = "../../annex-core/src/db_update.rs"]
pub mod update;
pub mod version;
#[path = "../../annex-vex/src/vex.rs"]
pub mod vex;
