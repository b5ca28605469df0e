//! The VEX vocabulary: statuses and justifications (OpenVEX's, which CSAF's flags share) and
//! the CycloneDX words mapped onto them (see the crate documentation for the tables).

use std::fmt;

use serde::{Deserialize, Serialize};

/// The status of a vulnerability for a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VexStatus {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

impl VexStatus {
    pub const ALL: [VexStatus; 4] = [
        VexStatus::NotAffected,
        VexStatus::Affected,
        VexStatus::Fixed,
        VexStatus::UnderInvestigation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::Affected => "affected",
            VexStatus::Fixed => "fixed",
            VexStatus::UnderInvestigation => "under_investigation",
        }
    }

    /// The status with this OpenVEX name.
    pub fn parse(s: &str) -> Option<VexStatus> {
        VexStatus::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Whether a finding with this status is suppressed (`not_affected`, `fixed`).
    pub fn suppresses(self) -> bool {
        matches!(self, VexStatus::NotAffected | VexStatus::Fixed)
    }

    /// The allowed names, comma-separated (for error messages).
    pub fn allowed() -> String {
        VexStatus::ALL.map(VexStatus::as_str).join(", ")
    }
}

impl fmt::Display for VexStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a product is not affected (OpenVEX and CSAF flag labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Justification {
    ComponentNotPresent,
    VulnerableCodeNotPresent,
    VulnerableCodeNotInExecutePath,
    VulnerableCodeCannotBeControlledByAdversary,
    InlineMitigationsAlreadyExist,
}

impl Justification {
    pub const ALL: [Justification; 5] = [
        Justification::ComponentNotPresent,
        Justification::VulnerableCodeNotPresent,
        Justification::VulnerableCodeNotInExecutePath,
        Justification::VulnerableCodeCannotBeControlledByAdversary,
        Justification::InlineMitigationsAlreadyExist,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Justification::ComponentNotPresent => "component_not_present",
            Justification::VulnerableCodeNotPresent => "vulnerable_code_not_present",
            Justification::VulnerableCodeNotInExecutePath => "vulnerable_code_not_in_execute_path",
            Justification::VulnerableCodeCannotBeControlledByAdversary => {
                "vulnerable_code_cannot_be_controlled_by_adversary"
            }
            Justification::InlineMitigationsAlreadyExist => "inline_mitigations_already_exist",
        }
    }

    /// The justification with this OpenVEX (or CSAF flag) name.
    pub fn parse(s: &str) -> Option<Justification> {
        Justification::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The allowed names, comma-separated (for error messages).
    pub fn allowed() -> String {
        Justification::ALL.map(Justification::as_str).join(", ")
    }

    /// The justification for a CycloneDX `analysis.justification` (see the module table).
    pub fn from_cyclonedx(s: &str) -> Option<Justification> {
        Some(match s {
            "code_not_present" => Justification::VulnerableCodeNotPresent,
            "code_not_reachable" => Justification::VulnerableCodeNotInExecutePath,
            "requires_dependency" => Justification::ComponentNotPresent,
            "requires_configuration" | "requires_environment" => {
                Justification::VulnerableCodeCannotBeControlledByAdversary
            }
            "protected_by_compiler"
            | "protected_at_runtime"
            | "protected_at_perimeter"
            | "protected_by_mitigating_control" => Justification::InlineMitigationsAlreadyExist,
            _ => return None,
        })
    }

    /// The closest CycloneDX `analysis.justification`.
    pub fn to_cyclonedx(self) -> &'static str {
        match self {
            Justification::ComponentNotPresent => "requires_dependency",
            Justification::VulnerableCodeNotPresent => "code_not_present",
            Justification::VulnerableCodeNotInExecutePath => "code_not_reachable",
            Justification::VulnerableCodeCannotBeControlledByAdversary => "requires_environment",
            Justification::InlineMitigationsAlreadyExist => "protected_by_mitigating_control",
        }
    }
}

impl fmt::Display for Justification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// CycloneDX `analysis.justification` values (1.4–1.7).
pub const CYCLONEDX_JUSTIFICATIONS: [&str; 9] = [
    "code_not_present",
    "code_not_reachable",
    "requires_configuration",
    "requires_dependency",
    "requires_environment",
    "protected_by_compiler",
    "protected_at_runtime",
    "protected_at_perimeter",
    "protected_by_mitigating_control",
];
/// CycloneDX `analysis.state` values.
pub const CYCLONEDX_STATES: [&str; 6] = [
    "resolved",
    "resolved_with_pedigree",
    "exploitable",
    "in_triage",
    "false_positive",
    "not_affected",
];
/// CycloneDX `analysis.response` values.
pub const CYCLONEDX_RESPONSES: [&str; 5] = [
    "can_not_fix",
    "will_not_fix",
    "update",
    "rollback",
    "workaround_available",
];
