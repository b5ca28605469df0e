//! The data model shared by catalogs, mapping sets, rule packs and profiles.
//!
//! Field names follow Gemara's YAML (kebab-case); annex's own keys are documented in
//! docs/formats.md. Ids that users type are `Spanned` so errors can point at them.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

pub type Id = Spanned<String>;

/// Published files leave some keys empty (`reference-id:` with no value): read as empty.
fn null_as_empty<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Where a document came from: a built-in name (`builtin:catalogs/osps.yaml`) or a path.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Origin(pub String);

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct Group {
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub enum CatalogKind {
    #[default]
    ControlCatalog,
    GuidanceCatalog,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct CatalogMetadata {
    #[serde(default)]
    pub id: String,
    #[serde(rename = "type", default)]
    pub kind: CatalogKind,
    #[serde(default)]
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(default)]
    pub applicability_groups: Vec<Group>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub enum Lifecycle {
    #[default]
    Active,
    Draft,
    Deprecated,
    Retired,
}

impl Lifecycle {
    pub fn is_default(&self) -> bool {
        *self == Lifecycle::Active
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct MappingEntry {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub reference_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// Gemara `MultiEntryMapping`: references to another framework, kept verbatim.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct MultiEntryMapping {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub reference_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub entries: Vec<MappingEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct Requirement {
    pub id: Id,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub applicability: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    #[serde(default, skip_serializing_if = "Lifecycle::is_default")]
    pub state: Lifecycle,
    /// annex extension: the exact legal reference (CRA catalog).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// annex extension: parameters the requirement's text depends on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<String>,
    /// annex extension: what kind of duty the requirement is, which decides what evidence
    /// can cover it (CRA catalog).
    #[serde(default, skip_serializing_if = "RequirementKind::is_default")]
    pub kind: RequirementKind,
}

/// What a requirement asks for, and so what can show it is met.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum RequirementKind {
    /// A property of the product or the content of a document: evidence in the checkout can
    /// show it.
    #[default]
    Obligation,
    /// A process that must be put in place and enforced, or an action that must be taken
    /// (Annex I, Part II): a document that *says* so only supports it. It is covered by an
    /// attestation, or by its own rule when a fact in the repository proves the action.
    Process,
    /// A permission or a Commission power (Art. 13(10), 13(11), Article 25): nothing to
    /// meet, so it never fails and is never counted as not covered.
    Informative,
}

impl RequirementKind {
    pub fn is_default(&self) -> bool {
        *self == RequirementKind::Obligation
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            RequirementKind::Obligation => "obligation",
            RequirementKind::Process => "process",
            RequirementKind::Informative => "informative",
        }
    }
    pub fn parse(s: &str) -> Option<RequirementKind> {
        [
            RequirementKind::Obligation,
            RequirementKind::Process,
            RequirementKind::Informative,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct Control {
    pub id: Id,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub objective: String,
    #[serde(default)]
    pub group: String,
    #[serde(
        default,
        alias = "guideline-mappings",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub guidelines: Vec<MultiEntryMapping>,
    #[serde(default, skip_serializing_if = "Lifecycle::is_default")]
    pub state: Lifecycle,
    #[serde(default)]
    pub assessment_requirements: Vec<Requirement>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct Catalog {
    #[serde(default)]
    pub title: String,
    pub metadata: CatalogMetadata,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub controls: Vec<Control>,
    #[serde(skip)]
    pub origin: Origin,
}

impl Catalog {
    pub fn requirements(&self) -> impl Iterator<Item = (&Control, &Requirement)> {
        self.controls
            .iter()
            .flat_map(|c| c.assessment_requirements.iter().map(move |r| (c, r)))
    }

    pub fn requirement(&self, id: &str) -> Option<(&Control, &Requirement)> {
        self.requirements().find(|(_, r)| r.id.value == id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Relationship {
    Implements,
    Supports,
    Equivalent,
    Subsumes,
    RelatesTo,
}

impl Relationship {
    pub fn as_str(&self) -> &'static str {
        match self {
            Relationship::Implements => "implements",
            Relationship::Supports => "supports",
            Relationship::Equivalent => "equivalent",
            Relationship::Subsumes => "subsumes",
            Relationship::RelatesTo => "relates-to",
        }
    }

    /// Whether a passing source requirement fully covers the target on its own.
    pub fn is_full(&self) -> bool {
        matches!(
            self,
            Relationship::Implements | Relationship::Equivalent | Relationship::Subsumes
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct Mapping {
    pub source: Id,
    pub target: Id,
    pub relationship: Relationship,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rationale: String,
}

/// A link this mapping set leaves out, and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct Omission {
    pub source: Id,
    pub target: Id,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct MappingSetMetadata {
    pub id: String,
    pub source_catalog: String,
    pub target_catalog: String,
    #[serde(default)]
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct MappingSet {
    pub metadata: MappingSetMetadata,
    #[serde(default)]
    pub mappings: Vec<Mapping>,
    /// annex extension: links another set makes that this one deliberately leaves out, each
    /// with the reason, so a difference from a published mapping is stated, not silent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub omitted: Vec<Omission>,
    #[serde(skip)]
    pub origin: Origin,
}

/// Where the evidence for a requirement comes from.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceSource {
    #[default]
    Local,
    Forge,
    Attestation,
    /// The CRA document `annex docs` writes for the item, read back: its section is filled,
    /// still carries a TODO, or the document is missing (Annexes II, V, VI, VII).
    Document,
}

impl EvidenceSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            EvidenceSource::Local => "local",
            EvidenceSource::Forge => "forge",
            EvidenceSource::Attestation => "attestation",
            EvidenceSource::Document => "document",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct Rule {
    pub requirement: Id,
    #[serde(default)]
    pub source: EvidenceSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_when: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_when: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Evidence facts (`{value, status, reason}`) that must have status `ok` for the rule to
    /// run; otherwise the result is not-run with the fact's reason (forge permissions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct RulePackMetadata {
    pub id: String,
    pub catalog: String,
    #[serde(default)]
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct RulePack {
    pub metadata: RulePackMetadata,
    #[serde(default)]
    pub rules: Vec<Rule>,
    #[serde(skip)]
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct Author {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct ProfileMetadata {
    pub id: String,
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default)]
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<Author>,
    /// The published policy this profile encodes (URL), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// One URL or several.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum SourceRef {
    One(String),
    Many(Vec<String>),
}

impl SourceRef {
    pub fn urls(&self) -> Vec<&str> {
        match self {
            SourceRef::One(s) => vec![s.as_str()],
            SourceRef::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum ModificationType {
    Add,
    Modify,
    Remove,
    Replace,
    Override,
}

/// Gemara `AssessmentRequirementModifier`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct Modification {
    #[serde(default)]
    pub id: String,
    pub target_id: Id,
    pub modification_type: ModificationType,
    #[serde(default)]
    pub modification_rationale: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicability: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct Constraint {
    pub id: String,
    pub target_id: Id,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct CatalogImport {
    pub reference_id: Id,
    /// annex extension: the catalog version this profile was written against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessment_requirement_modifications: Vec<Modification>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct Imports {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub catalogs: Vec<CatalogImport>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guidance: Vec<CatalogImport>,
}

impl Imports {
    pub fn all(&self) -> impl Iterator<Item = &CatalogImport> {
        self.catalogs.iter().chain(self.guidance.iter())
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum CraRole {
    Manufacturer,
    Steward,
}

impl CraRole {
    pub fn as_str(&self) -> &'static str {
        match self {
            CraRole::Manufacturer => "manufacturer",
            CraRole::Steward => "steward",
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub enum ProductClass {
    #[serde(rename = "default")]
    Default,
    #[serde(rename = "important-I")]
    ImportantI,
    #[serde(rename = "important-II")]
    ImportantII,
    #[serde(rename = "critical")]
    Critical,
}

impl ProductClass {
    pub fn as_str(&self) -> &'static str {
        match self {
            ProductClass::Default => "default",
            ProductClass::ImportantI => "important-I",
            ProductClass::ImportantII => "important-II",
            ProductClass::Critical => "critical",
        }
    }

    /// The CRA catalog's applicability group for this class.
    pub fn group(&self) -> String {
        format!("class-{}", self.as_str())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct MapTarget {
    pub target: Id,
    pub relationship: Relationship,
}

/// A requirement a profile adds, with its rule inline.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct AddedRequirement {
    pub id: Id,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maps: Vec<MapTarget>,
    #[serde(default)]
    pub source: EvidenceSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_when: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_when: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Evidence facts (`{value, status, reason}`) that must have status `ok` for the rule to
    /// run; otherwise the result is not-run with the fact's reason (forge permissions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
}

impl Rule {
    /// A rule with nothing but its requirement: decided by attestation.
    pub fn empty(requirement: Id) -> Self {
        Rule {
            requirement,
            source: EvidenceSource::Attestation,
            applies_when: None,
            rule: None,
            review_when: None,
            evidence: Vec::new(),
            requires: Vec::new(),
            pass: None,
            fail: None,
            review: None,
            remediation: None,
            generator: None,
        }
    }
}

impl AddedRequirement {
    pub fn to_rule(&self) -> Rule {
        Rule {
            requirement: self.id.clone(),
            source: self.source,
            applies_when: self.applies_when.clone(),
            rule: self.rule.clone(),
            review_when: self.review_when.clone(),
            evidence: self.evidence.clone(),
            requires: self.requires.clone(),
            pass: self.pass.clone(),
            fail: self.fail.clone(),
            review: self.review.clone(),
            remediation: self.remediation.clone(),
            generator: self.generator.clone(),
        }
    }
}

/// A partial rule that replaces fields of an imported rule.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct RuleOverride {
    pub requirement: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<EvidenceSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_when: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_when: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
}

/// A parameter value: scalars and lists of scalars.
pub type ParamValue = serde_json::Value;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct ProfileExtension {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicability: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cra_role: Option<CraRole>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_class: Option<ProductClass>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<Id>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, ParamValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<AddedRequirement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleOverride>,
    /// What the profile asserts that none of its cited sources states (e.g. the CRA role
    /// of a foundation): each must be confirmed by whoever the profile speaks for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct Profile {
    #[serde(default)]
    pub title: String,
    pub metadata: ProfileMetadata,
    /// Gemara RACI contacts and scope, kept as written.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub contacts: serde_json::Value,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub scope: serde_json::Value,
    #[serde(default)]
    pub imports: Imports,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub adherence: serde_json::Value,
    #[serde(default)]
    pub annex: ProfileExtension,
    #[serde(skip)]
    pub origin: Origin,
}
