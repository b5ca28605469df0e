//! annex-vuln: offline vulnerability matching. The OSV model, an advisory database
//! imported from OSV JSON/YAML, osv.dev zips and the RustSec layout, version ordering per
//! ecosystem, matching an inventory against it with explained findings, CVSS scores, triage
//! of findings by VEX statements (annex-vex's model; `[[vex]]` in `annex.toml`), and the
//! conversion of triaged findings into annex-vex's writer input ([`to_vex`]). It never
//! touches the network: downloading an archive is annex-core's job, which hands the file to
//! [`db::Db::import`].

pub mod cvss;
pub mod db;
pub mod matching;
pub mod osv;
pub mod purl;
pub mod to_vex;
pub mod triage;
pub mod version;
