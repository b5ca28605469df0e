//! Triaged findings as annex-vex's writer input: what the OpenVEX, CycloneDX VEX and CSAF
//! writers say about each finding. Purls, CVSS versions and ratings are converted here, so
//! annex-vex needs no OSV or CVSS knowledge.

use annex_vex::{EntryPackage, EntrySeverity, SeverityKind, VexEntry};

use crate::matching::FindingSeverity;
use crate::osv::SeverityType;
use crate::purl::finding_purl;
use crate::triage::TriagedFinding;

/// The writer input for one triaged finding.
pub fn entry(t: &TriagedFinding) -> VexEntry {
    let f = &t.finding;
    VexEntry {
        id: f.id.clone(),
        aliases: f.aliases.clone(),
        package: EntryPackage {
            name: f.package.name.clone(),
            version: f.package.version.clone(),
            purl: finding_purl(f),
        },
        fixed: f.fixed.clone(),
        nearest_fix: f.nearest_fix.clone(),
        severity: f.severity.as_ref().map(severity),
        severities: f.severities.iter().map(severity).collect(),
        summary: f.summary.clone(),
        vex: t.vex.clone(),
    }
}

/// The writer input for each triaged finding, in order.
pub fn entries(triaged: &[TriagedFinding]) -> Vec<VexEntry> {
    triaged.iter().map(entry).collect()
}

fn severity(s: &FindingSeverity) -> EntrySeverity {
    EntrySeverity {
        advisory: s.advisory.clone(),
        kind: match s.kind {
            SeverityType::CvssV2 => SeverityKind::CvssV2,
            SeverityType::CvssV3 => SeverityKind::CvssV3,
            SeverityType::CvssV4 => SeverityKind::CvssV4,
            SeverityType::Ubuntu => SeverityKind::Ubuntu,
            SeverityType::Other(_) => SeverityKind::Other,
        },
        vector: s.vector.clone(),
        cvss_version: s.cvss_version,
        score: s.score,
        rating: s.rating,
    }
}
