//! OSCAL 1.1.2 export and import of catalogs and profiles.
//!
//! annex writes a catalog (with the mapping sets whose source it is) as an OSCAL catalog and
//! a profile (with its resolved selection) as an OSCAL profile. Both validate against NIST's
//! JSON schemas, and both read back into the same annex data: unlike a plain Gemara→OSCAL
//! conversion, applicability sets (levels), lifecycle states, legal anchors, guideline
//! mappings and typed mapping relationships survive the trip. annex's own data travels in
//! properties of the namespace [`ANNEX_NS`]; OSCAL readers that do not know it still see a
//! well-formed catalog of groups, controls and statements.
//!
//! | annex | OSCAL catalog |
//! |---|---|
//! | catalog title, version, description | `metadata.title`, `metadata.version`, `metadata.remarks` |
//! | catalog id, type | `metadata.props` `catalog-id`, `catalog-type` |
//! | source URL | `metadata.links` (`rel: source`), or prop `source` when not a plain URL |
//! | applicability group | `metadata.props` `applicability-group` (value id, remarks description) + `applicability-group-title`, paired by prop `group` `ag-N` |
//! | mapping set | `metadata.props` `mapping-set` (value id, remarks description) + `mapping-set-target`, `mapping-set-version`, paired by prop `group` `ms-N` |
//! | group | `groups[]`: id = lowercased token, `title`, prop `label` = original id, part `overview` = description |
//! | control | `controls[]` inside its group (top level when ungrouped): id = token of the id, `title`, prop `label` = original id, part `statement` = objective, annex prop `state`, prop `group` when the group is not defined |
//! | guideline (Gemara MultiEntryMapping) | control props `guideline` (reference id) + `guideline-entry` (entry id, remarks = entry remarks), paired by prop `group` `gl-N` |
//! | assessment requirement | nested `controls[]` of its control: id = token of the id, `title` = the id, prop `label`, part `statement` = text, part `guidance` = recommendation |
//! | applicability, state, anchor, parameters | requirement props `applicability` (one per group), `state`, `anchor`, `parameter`; parameters are also declared in the catalog's `params` |
//! | mapping | prop `mapping` on the source requirement: value = target id, `class` = relationship, `group` = its set's `ms-N`, `remarks` = rationale |
//!
//! | annex | OSCAL profile |
//! |---|---|
//! | title, version, description | `metadata.title`, `metadata.version`, `metadata.remarks` |
//! | id, type, source, extends, applicability, cra-role, product-class, include | `metadata.props` `profile-id`, `profile-type`, `source`, `extends`, `applicability`, `cra-role`, `product-class`, `include` |
//! | catalog / guidance import | `imports[]`: `href` = `#uuid` of a back-matter resource with props `catalog-id`, `catalog-version`, `import-kind` (catalogs \| guidance), `import-version`; `include-controls.with-ids` = the resolved selection from that catalog; `exclude-controls.with-ids` = exclusions |
//! | imports inherited through `extends` | `imports[]` whose resource has no `import-kind` (the selection is complete; import skips them) |
//! | parameters | `modify.set-parameters` (`param-id` token, `values`, annex prop `value-type`; `class: inherited` for values that come from an extended profile) |
//! | author, contacts, scope, adherence, constraints, modifications, own requirements, rule overrides | one back-matter resource (annex prop `annex-extensions`) holding them as base64 JSON |
//!
//! Prop values must be non-empty strings without surrounding whitespace; a value that is not
//! (an empty reference id, a multi-line anchor) is written `pct:` + percent-encoding and
//! decoded on import. Timestamps are deterministic: `SOURCE_DATE_EPOCH` when set, else the
//! date in the version (`v2026.02.19`), else 1970-01-01. Document uuids are SHA-256 of the
//! content, shaped as version-5 uuids. Ids are OSCAL tokens: control and requirement ids are
//! kept as they are when already valid tokens (OSPS and CRA ids are), so profiles and other
//! OSCAL documents can name them with [`control_id`].
//!
//! Import also reads catalogs and profiles that annex did not write (NIST SP 800-53 style):
//! top-level controls become controls, their statement a requirement of the same id, and
//! nested controls (enhancements) requirements; groups nest flat. A foreign profile's
//! `with-ids` become `annex.include`.

use crate::error::{Pos, SpecError};
use crate::model::*;
use crate::resolve::ResolvedProfile;
use annex_types::BuildTime;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};
use serde_saphyr::{Location, Spanned};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The OSCAL version annex writes.
pub const OSCAL_VERSION: &str = "1.1.2";
/// The namespace of annex's own OSCAL properties.
pub const ANNEX_NS: &str = "https://annex.dev/ns/oscal";
const NIST_NS: &str = "http://csrc.nist.gov/ns/oscal";
const PCT: &str = "pct:";
const FIXED_EPOCH: &str = "1970-01-01T00:00:00Z";

// ------------------------------------------------------------------------------------------
// The OSCAL subset, for writing and (leniently) reading.

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Prop {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ns: Option<String>,
    value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Link {
    href: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Part {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ns: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    prose: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    parts: Vec<Part>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Param {
    id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct OControl {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    class: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    parts: Vec<Part>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    controls: Vec<OControl>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct OGroup {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    class: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    parts: Vec<Part>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    groups: Vec<OGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    controls: Vec<OControl>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Metadata {
    #[serde(default)]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(default)]
    last_modified: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    oscal_version: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Base64 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    filename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    media_type: Option<String>,
    value: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Resource {
    #[serde(default)]
    uuid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base64: Option<Base64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct BackMatter {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    resources: Vec<Resource>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct OCatalog {
    #[serde(default)]
    uuid: String,
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    params: Vec<Param>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    groups: Vec<OGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    controls: Vec<OControl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    back_matter: Option<BackMatter>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SelectById {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    with_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct IncludeAll {}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Import {
    #[serde(default)]
    href: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    include_all: Option<IncludeAll>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    include_controls: Vec<SelectById>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    exclude_controls: Vec<SelectById>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Merge {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    as_is: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SetParameter {
    #[serde(default)]
    param_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    class: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    values: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Modify {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    set_parameters: Vec<SetParameter>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct OProfile {
    #[serde(default)]
    uuid: String,
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default)]
    imports: Vec<Import>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    merge: Option<Merge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    modify: Option<Modify>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    back_matter: Option<BackMatter>,
}

#[derive(Debug, Deserialize)]
struct CatalogDoc {
    #[serde(default)]
    catalog: Option<OCatalog>,
    #[serde(default)]
    profile: Option<IgnoredAny>,
}

#[derive(Debug, Deserialize)]
struct ProfileDoc {
    #[serde(default)]
    profile: Option<OProfile>,
    #[serde(default)]
    catalog: Option<IgnoredAny>,
}

/// What a profile carries that has no OSCAL place: kept as JSON in one back-matter resource.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ProfileExtra {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    author: Option<Author>,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    contacts: serde_json::Value,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    scope: serde_json::Value,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    adherence: serde_json::Value,
    /// Aligned with `imports.catalogs` / `imports.guidance`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    catalogs: Vec<ImportExtra>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    guidance: Vec<ImportExtra>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    requirements: Vec<AddedRequirement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rules: Vec<RuleOverride>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ImportExtra {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    constraints: Vec<Constraint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    assessment_requirement_modifications: Vec<Modification>,
}

impl ImportExtra {
    fn of(imp: &CatalogImport) -> Self {
        ImportExtra {
            constraints: imp.constraints.clone(),
            assessment_requirement_modifications: imp.assessment_requirement_modifications.clone(),
        }
    }

    fn is_empty(&self) -> bool {
        self.constraints.is_empty() && self.assessment_requirement_modifications.is_empty()
    }
}

impl ProfileExtra {
    fn is_empty(&self) -> bool {
        self.author.is_none()
            && self.contacts.is_null()
            && self.scope.is_null()
            && self.adherence.is_null()
            && self.catalogs.iter().all(ImportExtra::is_empty)
            && self.guidance.iter().all(ImportExtra::is_empty)
            && self.requirements.is_empty()
            && self.rules.is_empty()
    }
}

// ------------------------------------------------------------------------------------------
// Small helpers: props, value encoding, tokens, uuids, timestamps, base64.

impl Prop {
    fn annex(name: &str, value: &str) -> Prop {
        Prop {
            name: name.to_string(),
            ns: Some(ANNEX_NS.to_string()),
            value: enc(value),
            ..Prop::default()
        }
    }

    fn nist(name: &str, value: &str) -> Prop {
        Prop {
            name: name.to_string(),
            value: enc(value),
            ..Prop::default()
        }
    }

    fn group(mut self, g: &str) -> Self {
        self.group = Some(g.to_string());
        self
    }

    fn class(mut self, c: &str) -> Self {
        self.class = Some(c.to_string());
        self
    }

    fn remarks(mut self, r: Option<&str>) -> Self {
        self.remarks = r.map(str::to_string);
        self
    }

    fn is_annex(&self, name: &str) -> bool {
        self.ns.as_deref() == Some(ANNEX_NS) && self.name == name
    }

    fn is_nist(&self, name: &str) -> bool {
        matches!(self.ns.as_deref(), None | Some(NIST_NS)) && self.name == name
    }

    fn decoded(&self) -> String {
        dec(&self.value)
    }
}

fn annex_values<'a>(props: &'a [Prop], name: &'a str) -> impl Iterator<Item = String> + 'a {
    props
        .iter()
        .filter(move |p| p.is_annex(name))
        .map(Prop::decoded)
}

fn annex_value(props: &[Prop], name: &str) -> Option<String> {
    annex_values(props, name).next()
}

/// The original id kept in a `label` prop: the first without a class, else the first.
fn label(props: &[Prop]) -> Option<String> {
    let labels: Vec<&Prop> = props.iter().filter(|p| p.is_nist("label")).collect();
    labels
        .iter()
        .find(|p| p.class.is_none())
        .or(labels.first())
        .map(|p| p.decoded())
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// Whether `s` is a valid OSCAL StringDatatype value that cannot be mistaken for an encoded one.
fn is_clean(s: &str) -> bool {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().last()) else {
        return false;
    };
    !first.is_whitespace()
        && !last.is_whitespace()
        && !s.chars().any(char::is_control)
        && !s.starts_with(PCT)
}

/// A prop value: `s` itself when valid, else `pct:` + percent-encoding of `s`.
fn enc(s: &str) -> String {
    if is_clean(s) {
        return s.to_string();
    }
    let mut out = String::from(PCT);
    for c in s.chars() {
        if c == '%' || c.is_control() || c.is_whitespace() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn dec(s: &str) -> String {
    let Some(rest) = s.strip_prefix(PCT) else {
        return s.to_string();
    };
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = rest
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

/// The OSCAL token annex uses for a control or requirement id (and a parameter name): the id
/// itself when it is a valid token, else the id with other characters replaced by `_` and a
/// leading `_` when it does not start with a letter. OSPS and CRA ids are kept as they are.
pub fn control_id(id: &str) -> String {
    let mut out: String = id
        .chars()
        .map(|c| if token_char(c) { c } else { '_' })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// The OSCAL token for a group id: lowercased, like NIST's `ac`, `vm`.
fn group_token(id: &str) -> String {
    control_id(&id.to_lowercase())
}

/// Allocates unique tokens within one document.
#[derive(Default)]
struct Tokens(BTreeSet<String>);

impl Tokens {
    fn take(&mut self, base: String) -> String {
        if self.0.insert(base.clone()) {
            return base;
        }
        let mut n = 2u64;
        loop {
            let candidate = format!("{base}-{n}");
            if self.0.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// A version-5-shaped uuid from the SHA-256 of `data`.
fn uuid_of(data: &[u8]) -> String {
    let h = Sha256::digest(data);
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The date a version names (`v2026.02.19`, `2026-02`), if any.
fn version_date(version: &str) -> Option<(i64, i64, i64)> {
    let start = version.find(|c: char| c.is_ascii_digit())?;
    let runs: Vec<&str> = version[start..]
        .split(['.', '-', '/'])
        .take(3)
        .map(|r| {
            let end = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
            &r[..end]
        })
        .collect();
    let year = runs.first().filter(|r| r.len() == 4)?.parse::<i64>().ok()?;
    let month = runs
        .get(1)
        .filter(|r| !r.is_empty() && r.len() <= 2)?
        .parse::<i64>()
        .ok()?;
    if !(1900..=2999).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    let day = runs
        .get(2)
        .filter(|r| !r.is_empty() && r.len() <= 2)
        .and_then(|r| r.parse::<i64>().ok())
        .filter(|d| (1..=days_in_month(year, month)).contains(d))
        .unwrap_or(1);
    Some((year, month, day))
}

/// The document timestamp: `SOURCE_DATE_EPOCH` (as the caller passed it in `build_time`)
/// when it is a date the schema allows, else the version's date, else 1970-01-01.
fn timestamp(build_time: BuildTime, version: &str) -> String {
    // Up to 2999-12-31: the schema's date-time pattern allows years 1900 to 2999.
    if let Some(secs) = build_time
        .source_date_epoch()
        .filter(|s| (0..32_503_680_000).contains(s))
    {
        let (y, m, d) = civil(secs.div_euclid(86_400));
        let t = secs.rem_euclid(86_400);
        if (1900..=2999).contains(&y) {
            return format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
                t / 3600,
                t % 3600 / 60,
                t % 60
            );
        }
    }
    match version_date(version) {
        Some((y, m, d)) => format!("{y:04}-{m:02}-{d:02}T00:00:00Z"),
        None => FIXED_EPOCH.to_string(),
    }
}

/// [`timestamp`] for the raw variable, as the CLI reads it (an unusable value counts as
/// unset).
#[cfg(test)]
fn timestamp_from(source_date_epoch: Option<&str>, version: &str) -> String {
    timestamp(
        BuildTime::from_source_date_epoch(source_date_epoch).unwrap_or_default(),
        version,
    )
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk.len();
        let v = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= n {
                out.push(B64[(v >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = B64.iter().position(|&x| x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits & 0xff) as u8);
        }
    }
    Some(out)
}

fn spanned(v: &str) -> Id {
    Spanned::new(v.to_string(), Location::UNKNOWN, Location::UNKNOWN)
}

fn lifecycle_str(l: Lifecycle) -> &'static str {
    match l {
        Lifecycle::Active => "Active",
        Lifecycle::Draft => "Draft",
        Lifecycle::Deprecated => "Deprecated",
        Lifecycle::Retired => "Retired",
    }
}

fn kind_str(k: CatalogKind) -> &'static str {
    match k {
        CatalogKind::ControlCatalog => "ControlCatalog",
        CatalogKind::GuidanceCatalog => "GuidanceCatalog",
    }
}

/// A plain http(s) URL that the schema's `uri-reference` format accepts as it is.
fn is_plain_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > 8
        && s.chars().all(|c| {
            c.is_ascii_graphic()
                && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
        })
}

fn to_json<T: Serialize>(v: &T) -> serde_json::Value {
    // Our structs hold only strings, vectors and maps with string keys: this cannot fail.
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

// ------------------------------------------------------------------------------------------
// Catalog export.

struct MapIndex<'a> {
    /// source id → (mapping set group token, mapping)
    by_source: BTreeMap<&'a str, Vec<(String, &'a Mapping)>>,
}

fn mapping_props(maps: &MapIndex, source: &str) -> Vec<Prop> {
    maps.by_source
        .get(source)
        .into_iter()
        .flatten()
        .map(|(grp, m)| {
            Prop::annex("mapping", &m.target.value)
                .class(m.relationship.as_str())
                .group(grp)
                .remarks(non_empty(&m.rationale))
        })
        .collect()
}

fn guideline_props(guidelines: &[MultiEntryMapping]) -> Vec<Prop> {
    let mut props = Vec::new();
    for (i, g) in guidelines.iter().enumerate() {
        let grp = format!("gl-{}", i + 1);
        props.push(Prop::annex("guideline", &g.reference_id).group(&grp));
        for e in &g.entries {
            props.push(
                Prop::annex("guideline-entry", &e.reference_id)
                    .group(&grp)
                    .remarks(e.remarks.as_deref()),
            );
        }
    }
    props
}

fn statement(prose: &str) -> Part {
    Part {
        name: "statement".into(),
        prose: Some(prose.to_string()),
        ..Part::default()
    }
}

fn requirement_out(r: &Requirement, tokens: &mut Tokens, maps: &MapIndex) -> OControl {
    let mut props = vec![Prop::nist("label", &r.id.value)];
    props.extend(
        r.applicability
            .iter()
            .map(|a| Prop::annex("applicability", a)),
    );
    if r.state != Lifecycle::Active {
        props.push(Prop::annex("state", lifecycle_str(r.state)));
    }
    if r.state == Lifecycle::Retired {
        props.push(Prop::nist("status", "withdrawn"));
    }
    if let Some(a) = &r.anchor {
        props.push(Prop::annex("anchor", a));
    }
    props.extend(r.parameters.iter().map(|p| Prop::annex("parameter", p)));
    props.extend(mapping_props(maps, &r.id.value));
    let mut parts = Vec::new();
    if !r.text.is_empty() {
        parts.push(statement(&r.text));
    }
    if let Some(rec) = &r.recommendation {
        parts.push(Part {
            name: "guidance".into(),
            prose: Some(rec.clone()),
            ..Part::default()
        });
    }
    OControl {
        id: Some(tokens.take(control_id(&r.id.value))),
        class: None,
        title: Some(r.id.value.clone()),
        props,
        links: Vec::new(),
        parts,
        controls: Vec::new(),
    }
}

fn control_out(c: &Control, tokens: &mut Tokens, maps: &MapIndex, group_prop: bool) -> OControl {
    let mut props = vec![Prop::nist("label", &c.id.value)];
    if group_prop && !c.group.is_empty() {
        props.push(Prop::annex("group", &c.group));
    }
    if c.state != Lifecycle::Active {
        props.push(Prop::annex("state", lifecycle_str(c.state)));
    }
    if c.state == Lifecycle::Retired {
        props.push(Prop::nist("status", "withdrawn"));
    }
    props.extend(guideline_props(&c.guidelines));
    props.extend(mapping_props(maps, &c.id.value));
    let id = tokens.take(control_id(&c.id.value));
    OControl {
        id: Some(id),
        class: None,
        title: Some(c.title.clone()),
        props,
        links: Vec::new(),
        parts: if c.objective.is_empty() {
            Vec::new()
        } else {
            vec![statement(&c.objective)]
        },
        controls: c
            .assessment_requirements
            .iter()
            .map(|r| requirement_out(r, tokens, maps))
            .collect(),
    }
}

/// The catalog as an OSCAL 1.1.2 catalog document (`{"catalog": {...}}`), with the mappings
/// of every set in `mappings` whose source catalog is this one.
pub fn catalog_to_oscal(
    cat: &Catalog,
    mappings: &[&MappingSet],
    build_time: BuildTime,
) -> serde_json::Value {
    let sets: Vec<&MappingSet> = mappings
        .iter()
        .copied()
        .filter(|s| s.metadata.source_catalog == cat.metadata.id)
        .collect();
    let meta = &cat.metadata;
    let mut props = vec![
        Prop::annex("catalog-id", &meta.id),
        Prop::annex("catalog-type", kind_str(meta.kind)),
    ];
    let mut links = Vec::new();
    if is_plain_url(&meta.source) {
        links.push(Link {
            href: meta.source.clone(),
            rel: Some("source".into()),
            text: None,
        });
    } else if !meta.source.is_empty() {
        props.push(Prop::annex("source", &meta.source));
    }
    for (i, g) in meta.applicability_groups.iter().enumerate() {
        let grp = format!("ag-{}", i + 1);
        props.push(
            Prop::annex("applicability-group", &g.id)
                .group(&grp)
                .remarks(non_empty(&g.description)),
        );
        props.push(Prop::annex("applicability-group-title", &g.title).group(&grp));
    }
    let mut index = MapIndex {
        by_source: BTreeMap::new(),
    };
    for (i, s) in sets.iter().enumerate() {
        let grp = format!("ms-{}", i + 1);
        props.push(
            Prop::annex("mapping-set", &s.metadata.id)
                .group(&grp)
                .remarks(non_empty(&s.metadata.description)),
        );
        props.push(Prop::annex("mapping-set-target", &s.metadata.target_catalog).group(&grp));
        if !s.metadata.version.is_empty() {
            props.push(Prop::annex("mapping-set-version", &s.metadata.version).group(&grp));
        }
        for m in &s.mappings {
            index
                .by_source
                .entry(m.source.value.as_str())
                .or_default()
                .push((grp.clone(), m));
        }
    }

    // Parameters the requirements use, in order of first use.
    let mut params = Vec::new();
    let mut seen_params = BTreeSet::new();
    let mut param_tokens = Tokens::default();
    for (_, r) in cat.requirements() {
        for p in &r.parameters {
            if seen_params.insert(p.as_str()) {
                params.push(Param {
                    id: param_tokens.take(control_id(p)),
                    props: Vec::new(),
                    label: Some(p.clone()),
                });
            }
        }
    }

    let mut tokens = Tokens::default();
    let mut groups = Vec::new();
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    for g in &cat.groups {
        let first = placed.insert(g.id.as_str());
        let controls = if first {
            cat.controls
                .iter()
                .filter(|c| c.group == g.id)
                .map(|c| control_out(c, &mut tokens, &index, false))
                .collect()
        } else {
            Vec::new()
        };
        groups.push(OGroup {
            id: Some(tokens.take(group_token(&g.id))),
            class: None,
            title: Some(g.title.clone()),
            props: vec![Prop::nist("label", &g.id)],
            parts: match non_empty(&g.description) {
                Some(d) => vec![Part {
                    name: "overview".into(),
                    prose: Some(d.to_string()),
                    ..Part::default()
                }],
                None => Vec::new(),
            },
            groups: Vec::new(),
            controls,
        });
    }
    let controls: Vec<OControl> = cat
        .controls
        .iter()
        .filter(|c| !placed.contains(c.group.as_str()))
        .map(|c| control_out(c, &mut tokens, &index, true))
        .collect();

    let stamp = timestamp(build_time, &meta.version);
    let mut doc = OCatalog {
        uuid: String::new(),
        metadata: Some(Metadata {
            title: Some(cat.title.clone()),
            published: Some(stamp.clone()),
            last_modified: Some(stamp),
            version: Some(enc(&meta.version)),
            oscal_version: Some(OSCAL_VERSION.into()),
            props,
            links,
            remarks: non_empty(&meta.description).map(str::to_string),
        }),
        params,
        groups,
        controls,
        back_matter: None,
    };
    doc.uuid = content_uuid("catalog", &doc);
    serde_json::json!({ "catalog": to_json(&doc) })
}

fn content_uuid<T: Serialize>(kind: &str, doc: &T) -> String {
    let mut data = format!("annex-oscal-{kind}\0").into_bytes();
    data.extend(serde_json::to_vec(doc).unwrap_or_default());
    uuid_of(&data)
}

// ------------------------------------------------------------------------------------------
// Import: shared.

fn parse_json<T: DeserializeOwned>(json: &str, origin: &str) -> Result<T, SpecError> {
    serde_json::from_str(json).map_err(|e| {
        let pos = Pos::new(origin, e.line() as u64, e.column() as u64);
        let full = e.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        match e.classify() {
            serde_json::error::Category::Data => SpecError::Invalid {
                pos,
                message: format!("not a valid OSCAL document: {message}"),
            },
            _ => SpecError::Parse {
                pos,
                message: format!("malformed JSON: {message}"),
            },
        }
    })
}

struct Cx<'a> {
    origin: &'a str,
}

impl Cx<'_> {
    fn invalid(&self, message: impl Into<String>) -> SpecError {
        SpecError::invalid(Pos::new(self.origin, 0, 0), message)
    }
}

fn lifecycle_in(props: &[Prop], path: &str, cx: &Cx) -> Result<Lifecycle, SpecError> {
    match annex_value(props, "state").as_deref() {
        None | Some("Active") => Ok(Lifecycle::Active),
        Some("Draft") => Ok(Lifecycle::Draft),
        Some("Deprecated") => Ok(Lifecycle::Deprecated),
        Some("Retired") => Ok(Lifecycle::Retired),
        Some(other) => Err(cx.invalid(format!(
            "{path}: unknown state `{other}` (expected Active, Draft, Deprecated or Retired)"
        ))),
    }
}

fn relationship_in(s: &str) -> Option<Relationship> {
    Some(match s {
        "implements" => Relationship::Implements,
        "supports" => Relationship::Supports,
        "equivalent" => Relationship::Equivalent,
        "subsumes" => Relationship::Subsumes,
        "relates-to" => Relationship::RelatesTo,
        _ => return None,
    })
}

/// A part's prose with its sub-parts' prose (NIST statements list items as sub-parts).
fn flat_prose(part: &Part) -> String {
    let mut lines = Vec::new();
    if let Some(p) = &part.prose {
        lines.push(p.clone());
    }
    for sub in &part.parts {
        let text = flat_prose(sub);
        if text.is_empty() {
            continue;
        }
        match label(&sub.props) {
            Some(l) => lines.push(format!("{l} {text}")),
            None => lines.push(text),
        }
    }
    lines.join("\n")
}

fn part_prose(parts: &[Part], names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| parts.iter().find(|p| p.name == *n))
        .map(flat_prose)
}

/// A short id from a title for documents annex did not write.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

// ------------------------------------------------------------------------------------------
// Catalog import.

struct CatalogCx<'a> {
    cx: Cx<'a>,
    /// Whether annex wrote the document (its annex props are then authoritative).
    annex: bool,
    sets: Vec<MappingSet>,
    set_by_group: BTreeMap<String, usize>,
}

impl CatalogCx<'_> {
    fn mappings(&mut self, source: &str, props: &[Prop], path: &str) -> Result<(), SpecError> {
        for p in props.iter().filter(|p| p.is_annex("mapping")) {
            let target = p.decoded();
            let rel = p.class.as_deref().unwrap_or("");
            let relationship = relationship_in(rel).ok_or_else(|| {
                self.cx.invalid(format!(
                    "{path}: mapping to `{target}` has relationship `{rel}` in its class \
                     (expected implements, supports, equivalent, subsumes or relates-to)"
                ))
            })?;
            let grp = p.group.as_deref().unwrap_or("");
            let &i = self.set_by_group.get(grp).ok_or_else(|| {
                self.cx.invalid(format!(
                    "{path}: mapping to `{target}` names mapping set group `{grp}`, which \
                     metadata does not declare with a `mapping-set` prop"
                ))
            })?;
            self.sets[i].mappings.push(Mapping {
                source: spanned(source),
                target: spanned(&target),
                relationship,
                rationale: p.remarks.clone().unwrap_or_default(),
            });
        }
        Ok(())
    }

    fn requirement(
        &mut self,
        c: &OControl,
        path: &str,
        out: &mut Vec<Requirement>,
    ) -> Result<(), SpecError> {
        let id = label(&c.props).or_else(|| c.id.clone()).ok_or_else(|| {
            self.cx
                .invalid(format!("{path}: control has neither an id nor a label"))
        })?;
        self.mappings(&id, &c.props, path)?;
        out.push(Requirement {
            id: spanned(&id),
            text: part_prose(&c.parts, &["statement"]).unwrap_or_default(),
            applicability: annex_values(&c.props, "applicability").collect(),
            recommendation: part_prose(&c.parts, &["guidance"]),
            state: lifecycle_in(&c.props, path, &self.cx)?,
            anchor: annex_value(&c.props, "anchor"),
            parameters: annex_values(&c.props, "parameter").collect(),
        });
        // Deeper nesting (an enhancement's enhancement) flattens into the same control.
        for (i, sub) in c.controls.iter().enumerate() {
            self.requirement(sub, &format!("{path}.controls[{i}]"), out)?;
        }
        Ok(())
    }

    fn control(
        &mut self,
        c: &OControl,
        path: &str,
        group: Option<&str>,
    ) -> Result<Control, SpecError> {
        let id = label(&c.props).or_else(|| c.id.clone()).ok_or_else(|| {
            self.cx
                .invalid(format!("{path}: control has neither an id nor a label"))
        })?;
        let group = match group {
            Some(g) => g.to_string(),
            None => annex_value(&c.props, "group").unwrap_or_default(),
        };
        self.mappings(&id, &c.props, path)?;
        let mut guidelines: Vec<MultiEntryMapping> = Vec::new();
        let mut guideline_by_group: BTreeMap<String, usize> = BTreeMap::new();
        for p in &c.props {
            if p.is_annex("guideline") {
                guideline_by_group.insert(p.group.clone().unwrap_or_default(), guidelines.len());
                guidelines.push(MultiEntryMapping {
                    reference_id: p.decoded(),
                    entries: Vec::new(),
                });
            } else if p.is_annex("guideline-entry") {
                let grp = p.group.clone().unwrap_or_default();
                let &i = guideline_by_group.get(&grp).ok_or_else(|| {
                    self.cx.invalid(format!(
                        "{path}: guideline-entry `{}` names group `{grp}` with no guideline before it",
                        p.decoded()
                    ))
                })?;
                guidelines[i].entries.push(MappingEntry {
                    reference_id: p.decoded(),
                    remarks: p.remarks.clone(),
                });
            }
        }
        let objective =
            part_prose(&c.parts, &["statement", "objective", "overview"]).unwrap_or_default();
        let mut requirements = Vec::new();
        if !self.annex && c.parts.iter().any(|p| p.name == "statement") {
            // A foreign control's own statement is a requirement of the same id.
            requirements.push(Requirement {
                id: spanned(&id),
                text: objective.clone(),
                applicability: Vec::new(),
                recommendation: part_prose(&c.parts, &["guidance"]),
                state: Lifecycle::Active,
                anchor: None,
                parameters: Vec::new(),
            });
        }
        for (i, sub) in c.controls.iter().enumerate() {
            self.requirement(sub, &format!("{path}.controls[{i}]"), &mut requirements)?;
        }
        let withdrawn = c
            .props
            .iter()
            .any(|p| p.is_nist("status") && p.value.eq_ignore_ascii_case("withdrawn"));
        let mut state = lifecycle_in(&c.props, path, &self.cx)?;
        if !self.annex && withdrawn {
            state = Lifecycle::Retired;
        }
        Ok(Control {
            id: spanned(&id),
            title: c.title.clone().unwrap_or_default(),
            objective,
            group,
            guidelines,
            state,
            assessment_requirements: requirements,
        })
    }

    fn group(
        &mut self,
        g: &OGroup,
        path: &str,
        groups: &mut Vec<Group>,
        controls: &mut Vec<Control>,
    ) -> Result<(), SpecError> {
        let title = g.title.clone().unwrap_or_default();
        let id = label(&g.props)
            .or_else(|| g.id.clone())
            .unwrap_or_else(|| slug(&title));
        groups.push(Group {
            id: id.clone(),
            title,
            description: part_prose(&g.parts, &["overview"]).unwrap_or_default(),
        });
        for (i, c) in g.controls.iter().enumerate() {
            controls.push(self.control(c, &format!("{path}.controls[{i}]"), Some(&id))?);
        }
        for (i, sub) in g.groups.iter().enumerate() {
            self.group(sub, &format!("{path}.groups[{i}]"), groups, controls)?;
        }
        Ok(())
    }
}

/// Read an OSCAL catalog: the annex catalog and the mapping sets it carries (source = this
/// catalog). Malformed JSON gives [`SpecError::Parse`] at its line and column; a document
/// that is not a usable catalog gives [`SpecError::Invalid`].
pub fn catalog_from_oscal(
    json: &str,
    origin: &str,
) -> Result<(Catalog, Vec<MappingSet>), SpecError> {
    let doc: CatalogDoc = parse_json(json, origin)?;
    let cx = Cx { origin };
    let Some(oc) = doc.catalog else {
        return Err(cx.invalid(if doc.profile.is_some() {
            "this is an OSCAL profile, not a catalog (import it as a profile)"
        } else {
            "not an OSCAL catalog: no top-level `catalog` object"
        }));
    };
    let Some(meta) = oc.metadata else {
        return Err(cx.invalid(
            "catalog.metadata is missing: an OSCAL catalog needs metadata with a title and version",
        ));
    };
    let annex = meta.props.iter().any(|p| p.is_annex("catalog-id"));
    let title = meta.title.clone().unwrap_or_default();
    let id = annex_value(&meta.props, "catalog-id")
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| match slug(&title) {
            s if s.is_empty() => "oscal-catalog".to_string(),
            s => s,
        });
    let kind = match annex_value(&meta.props, "catalog-type").as_deref() {
        None | Some("ControlCatalog") => CatalogKind::ControlCatalog,
        Some("GuidanceCatalog") => CatalogKind::GuidanceCatalog,
        Some(other) => {
            return Err(cx.invalid(format!(
                "catalog.metadata: unknown catalog-type `{other}` (expected ControlCatalog or GuidanceCatalog)"
            )));
        }
    };
    let source = annex_value(&meta.props, "source")
        .or_else(|| {
            meta.links
                .iter()
                .find(|l| l.rel.as_deref() == Some("source"))
                .map(|l| l.href.clone())
        })
        .unwrap_or_default();

    let mut applicability_groups = Vec::new();
    let mut sets = Vec::new();
    let mut set_by_group = BTreeMap::new();
    for p in &meta.props {
        let grp = p.group.as_deref();
        let paired = |name: &str| {
            meta.props
                .iter()
                .find(|q| q.is_annex(name) && q.group.is_some() && q.group.as_deref() == grp)
                .map(Prop::decoded)
        };
        if p.is_annex("applicability-group") {
            applicability_groups.push(Group {
                id: p.decoded(),
                title: paired("applicability-group-title").unwrap_or_default(),
                description: p.remarks.clone().unwrap_or_default(),
            });
        } else if p.is_annex("mapping-set") {
            let Some(g) = grp else {
                return Err(cx.invalid(format!(
                    "catalog.metadata: mapping-set `{}` has no group to pair it with its mappings",
                    p.decoded()
                )));
            };
            set_by_group.insert(g.to_string(), sets.len());
            sets.push(MappingSet {
                metadata: MappingSetMetadata {
                    id: p.decoded(),
                    source_catalog: id.clone(),
                    target_catalog: paired("mapping-set-target").unwrap_or_default(),
                    version: paired("mapping-set-version").unwrap_or_default(),
                    description: p.remarks.clone().unwrap_or_default(),
                },
                mappings: Vec::new(),
                origin: Origin(origin.to_string()),
            });
        }
    }

    let mut ccx = CatalogCx {
        cx,
        annex,
        sets,
        set_by_group,
    };
    let mut groups = Vec::new();
    let mut controls = Vec::new();
    for (i, g) in oc.groups.iter().enumerate() {
        ccx.group(
            g,
            &format!("catalog.groups[{i}]"),
            &mut groups,
            &mut controls,
        )?;
    }
    for (i, c) in oc.controls.iter().enumerate() {
        controls.push(ccx.control(c, &format!("catalog.controls[{i}]"), None)?);
    }
    let catalog = Catalog {
        title,
        metadata: CatalogMetadata {
            id,
            kind,
            version: meta.version.as_deref().map(dec).unwrap_or_default(),
            description: meta.remarks.clone().unwrap_or_default(),
            source,
            applicability_groups,
        },
        groups,
        controls,
        origin: Origin(origin.to_string()),
    };
    Ok((catalog, ccx.sets))
}

// ------------------------------------------------------------------------------------------
// Profile export.

fn list_props(props: &mut Vec<Prop>, name: &str, values: &[String], mark_list: bool) {
    if values.is_empty() {
        props.push(Prop::annex(name, "").class("empty-list"));
    }
    for v in values {
        let p = Prop::annex(name, v);
        props.push(if mark_list { p.class("list") } else { p });
    }
}

fn param_out(name: &str, value: &ParamValue, inherited: bool) -> SetParameter {
    use serde_json::Value;
    let (kind, values): (&str, Vec<String>) = match value {
        Value::String(s) => ("string", vec![enc(s)]),
        Value::Bool(b) => ("boolean", vec![b.to_string()]),
        Value::Number(n) => ("number", vec![n.to_string()]),
        Value::Array(items) if items.iter().all(Value::is_string) => (
            "list",
            items.iter().filter_map(Value::as_str).map(enc).collect(),
        ),
        other => (
            "json",
            vec![enc(&serde_json::to_string(other).unwrap_or_default())],
        ),
    };
    let token = control_id(name);
    let mut props = Vec::new();
    if token != name {
        props.push(Prop::annex("param-name", name));
    }
    props.push(Prop::annex("value-type", kind));
    SetParameter {
        param_id: Some(token),
        class: inherited.then(|| "inherited".to_string()),
        props,
        values,
    }
}

/// The profile as an OSCAL 1.1.2 profile document (`{"profile": {...}}`). `resolved` is the
/// profile resolved against the library: its selection fills `include-controls` and its
/// parameter values `set-parameters`; the profile's own declarations travel as annex props.
pub fn profile_to_oscal(
    profile: &Profile,
    resolved: &ResolvedProfile,
    build_time: BuildTime,
) -> serde_json::Value {
    let meta = &profile.metadata;
    let ext = &profile.annex;
    let mut props = vec![Prop::annex("profile-id", &meta.id)];
    if !meta.kind.is_empty() {
        props.push(Prop::annex("profile-type", &meta.kind));
    }
    match &meta.source {
        Some(SourceRef::One(s)) => props.push(Prop::annex("source", s)),
        Some(SourceRef::Many(v)) => list_props(&mut props, "source", v, true),
        None => {}
    }
    if let Some(e) = &ext.extends {
        props.push(Prop::annex("extends", &e.value));
    }
    if let Some(a) = &ext.applicability {
        list_props(&mut props, "applicability", a, false);
    }
    if let Some(r) = ext.cra_role {
        props.push(Prop::annex("cra-role", r.as_str()));
    }
    if let Some(c) = ext.product_class {
        props.push(Prop::annex("product-class", c.as_str()));
    }
    props.extend(ext.include.iter().map(|i| Prop::annex("include", &i.value)));

    // One OSCAL import per declared import, then one per catalog inherited through `extends`.
    let mut plans: Vec<(Option<&str>, &str, Option<&CatalogImport>)> = Vec::new();
    for imp in &profile.imports.catalogs {
        plans.push((Some("catalogs"), &imp.reference_id.value, Some(imp)));
    }
    for imp in &profile.imports.guidance {
        plans.push((Some("guidance"), &imp.reference_id.value, Some(imp)));
    }
    let declared: BTreeSet<&str> = profile
        .imports
        .all()
        .map(|i| i.reference_id.value.as_str())
        .collect();
    for c in &resolved.catalogs {
        if !declared.contains(c.id.as_str()) {
            plans.push((None, &c.id, None));
        }
    }
    let mut imports = Vec::new();
    let mut resources = Vec::new();
    for (i, (kind, cat, imp)) in plans.iter().enumerate() {
        let uuid =
            uuid_of(format!("annex-oscal-profile-import\0{}\0{i}\0{cat}", meta.id).as_bytes());
        let version = resolved
            .catalogs
            .iter()
            .find(|c| c.id == *cat)
            .map(|c| c.version.as_str())
            .unwrap_or("");
        let mut rprops = vec![Prop::annex("catalog-id", cat)];
        if !version.is_empty() {
            rprops.push(Prop::annex("catalog-version", version));
        }
        if let Some(k) = kind {
            rprops.push(Prop::annex("import-kind", k));
        }
        if let Some(v) = imp.and_then(|i| i.version.as_deref()) {
            rprops.push(Prop::annex("import-version", v));
        }
        resources.push(Resource {
            uuid: uuid.clone(),
            title: Some(format!("annex catalog {cat}")),
            description: Some(if version.is_empty() {
                format!("The annex catalog `{cat}`.")
            } else {
                format!("The annex catalog `{cat}`, version {version}.")
            }),
            props: rprops,
            base64: None,
        });
        let with_ids: Vec<String> = resolved
            .requirements
            .iter()
            .filter(|r| r.catalog == *cat)
            .map(|r| control_id(&r.id))
            .collect();
        let excluded: Vec<String> = imp
            .map(|i| i.exclusions.iter().map(|e| control_id(&e.value)).collect())
            .unwrap_or_default();
        imports.push(Import {
            href: Some(format!("#{uuid}")),
            include_all: None,
            include_controls: if with_ids.is_empty() {
                Vec::new()
            } else {
                vec![SelectById { with_ids }]
            },
            exclude_controls: if excluded.is_empty() {
                Vec::new()
            } else {
                vec![SelectById { with_ids: excluded }]
            },
        });
    }

    let mut names: BTreeSet<&str> = resolved.parameters.keys().map(String::as_str).collect();
    names.extend(ext.parameters.keys().map(String::as_str));
    let set_parameters: Vec<SetParameter> = names
        .into_iter()
        .filter_map(|n| match ext.parameters.get(n) {
            Some(v) => Some(param_out(n, v, false)),
            None => resolved.parameters.get(n).map(|v| param_out(n, v, true)),
        })
        .collect();

    let extra = ProfileExtra {
        author: meta.author.clone(),
        contacts: profile.contacts.clone(),
        scope: profile.scope.clone(),
        adherence: profile.adherence.clone(),
        catalogs: profile
            .imports
            .catalogs
            .iter()
            .map(ImportExtra::of)
            .collect(),
        guidance: profile
            .imports
            .guidance
            .iter()
            .map(ImportExtra::of)
            .collect(),
        requirements: ext.requirements.clone(),
        rules: ext.rules.clone(),
    };
    if !extra.is_empty() {
        let json = serde_json::to_vec(&extra).unwrap_or_default();
        resources.push(Resource {
            uuid: uuid_of(format!("annex-oscal-profile-extensions\0{}", meta.id).as_bytes()),
            title: Some("annex profile extensions".into()),
            description: Some(
                "What the annex profile declares that OSCAL has no place for: author, contacts, \
                 scope, adherence, constraints, requirement modifications, the profile's own \
                 requirements and rule overrides, as JSON (docs/formats.md)."
                    .into(),
            ),
            props: vec![Prop::annex("annex-extensions", "profile")],
            base64: Some(Base64 {
                filename: Some("annex-profile-extensions.json".into()),
                media_type: Some("application/json".into()),
                value: b64_encode(&json),
            }),
        });
    }

    let stamp = timestamp(build_time, &meta.version);
    let mut doc = OProfile {
        uuid: String::new(),
        metadata: Some(Metadata {
            title: Some(profile.title.clone()),
            published: Some(stamp.clone()),
            last_modified: Some(stamp),
            version: Some(enc(&meta.version)),
            oscal_version: Some(OSCAL_VERSION.into()),
            props,
            links: Vec::new(),
            remarks: non_empty(&meta.description).map(str::to_string),
        }),
        imports,
        merge: Some(Merge { as_is: Some(true) }),
        modify: (!set_parameters.is_empty()).then_some(Modify { set_parameters }),
        back_matter: (!resources.is_empty()).then_some(BackMatter { resources }),
    };
    doc.uuid = content_uuid("profile", &doc);
    serde_json::json!({ "profile": to_json(&doc) })
}

// ------------------------------------------------------------------------------------------
// Profile import.

fn param_in(sp: &SetParameter, path: &str, cx: &Cx) -> Result<(String, ParamValue), SpecError> {
    use serde_json::Value;
    let token = sp
        .param_id
        .clone()
        .ok_or_else(|| cx.invalid(format!("{path}: set-parameter has no param-id")))?;
    let name = annex_value(&sp.props, "param-name").unwrap_or(token);
    let first = || sp.values.first().map(|v| dec(v)).unwrap_or_default();
    let bad = |what: &str| {
        cx.invalid(format!(
            "{path}: parameter `{name}` has value-type {what} but value `{}`",
            first()
        ))
    };
    let value = match annex_value(&sp.props, "value-type").as_deref() {
        Some("string") => Value::String(first()),
        Some("boolean") => match first().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(bad("boolean")),
        },
        Some("number") => Value::Number(serde_json::from_str(&first()).map_err(|_| bad("number"))?),
        Some("list") => Value::Array(sp.values.iter().map(|v| Value::String(dec(v))).collect()),
        Some("json") => serde_json::from_str(&first()).map_err(|_| bad("json"))?,
        Some(other) => {
            return Err(cx.invalid(format!(
                "{path}: parameter `{name}` has unknown value-type `{other}` \
                 (expected string, boolean, number, list or json)"
            )));
        }
        None if sp.values.len() == 1 => Value::String(first()),
        None => Value::Array(sp.values.iter().map(|v| Value::String(dec(v))).collect()),
    };
    Ok((name, value))
}

fn list_in(props: &[Prop], name: &str) -> Option<(Vec<String>, bool)> {
    let found: Vec<&Prop> = props.iter().filter(|p| p.is_annex(name)).collect();
    if found.is_empty() {
        return None;
    }
    let marked = found
        .iter()
        .any(|p| matches!(p.class.as_deref(), Some("list" | "empty-list")));
    let values = found
        .iter()
        .filter(|p| p.class.as_deref() != Some("empty-list"))
        .map(|p| p.decoded())
        .collect();
    Some((values, marked))
}

/// The id a foreign import's href points at: the file name without its extension.
fn href_stem(href: &str) -> String {
    let path = href.split(['#', '?']).next().unwrap_or("");
    let name = path.rsplit('/').next().unwrap_or("");
    name.split('.').next().unwrap_or("").to_string()
}

/// Read an OSCAL profile back into an annex profile. A profile annex wrote comes back as it
/// was declared (extends, applicability, inclusions, imports, parameters, extensions); for
/// any other profile, each import becomes a catalog import and its `with-ids` inclusions.
pub fn profile_from_oscal(json: &str, origin: &str) -> Result<Profile, SpecError> {
    let doc: ProfileDoc = parse_json(json, origin)?;
    let cx = Cx { origin };
    let Some(op) = doc.profile else {
        return Err(cx.invalid(if doc.catalog.is_some() {
            "this is an OSCAL catalog, not a profile (import it as a catalog)"
        } else {
            "not an OSCAL profile: no top-level `profile` object"
        }));
    };
    let Some(meta) = op.metadata else {
        return Err(cx.invalid(
            "profile.metadata is missing: an OSCAL profile needs metadata with a title and version",
        ));
    };
    if op.imports.is_empty() {
        return Err(cx.invalid(
            "profile.imports is missing or empty: an OSCAL profile imports at least one catalog",
        ));
    }
    let annex = meta.props.iter().any(|p| p.is_annex("profile-id"));
    let title = meta.title.clone().unwrap_or_default();
    let resources: Vec<Resource> = op.back_matter.map(|b| b.resources).unwrap_or_default();

    let mut extra = ProfileExtra::default();
    if let Some(r) = resources
        .iter()
        .find(|r| r.props.iter().any(|p| p.is_annex("annex-extensions")))
    {
        let what = format!("back-matter resource {}: annex extensions", r.uuid);
        let b64 = r
            .base64
            .as_ref()
            .ok_or_else(|| cx.invalid(format!("{what} have no base64 content")))?;
        let bytes = b64_decode(&b64.value)
            .ok_or_else(|| cx.invalid(format!("{what} are not valid base64")))?;
        extra = serde_json::from_slice(&bytes)
            .map_err(|e| cx.invalid(format!("{what} are not valid: {e}")))?;
    }

    let mut imports = Imports::default();
    let mut include: Vec<Id> = Vec::new();
    for (i, imp) in op.imports.iter().enumerate() {
        let path = format!("profile.imports[{i}]");
        let href = imp
            .href
            .as_deref()
            .ok_or_else(|| cx.invalid(format!("{path}: import has no href")))?;
        let resource = href
            .strip_prefix('#')
            .and_then(|u| resources.iter().find(|r| r.uuid == u));
        if href.starts_with('#') && resource.is_none() {
            return Err(cx.invalid(format!(
                "{path}: href `{href}` names no back-matter resource"
            )));
        }
        let reference = resource
            .and_then(|r| annex_value(&r.props, "catalog-id"))
            .or_else(|| resource.and_then(|r| r.title.as_deref()).map(slug))
            .unwrap_or_else(|| href_stem(href));
        if reference.is_empty() {
            return Err(cx.invalid(format!("{path}: cannot tell which catalog `{href}` is")));
        }
        let kind = resource.and_then(|r| annex_value(&r.props, "import-kind"));
        let list = match kind.as_deref() {
            Some("catalogs") => &mut imports.catalogs,
            Some("guidance") => &mut imports.guidance,
            Some(other) => {
                return Err(cx.invalid(format!(
                    "{path}: unknown import-kind `{other}` (expected catalogs or guidance)"
                )));
            }
            // Inherited through `extends`: the parent declares it.
            None if annex => continue,
            None => &mut imports.catalogs,
        };
        if !annex {
            for id in imp.include_controls.iter().flat_map(|s| &s.with_ids) {
                if !include.iter().any(|x| x.value == *id) {
                    include.push(spanned(id));
                }
            }
        }
        list.push(CatalogImport {
            reference_id: spanned(&reference),
            version: resource.and_then(|r| annex_value(&r.props, "import-version")),
            exclusions: imp
                .exclude_controls
                .iter()
                .flat_map(|s| &s.with_ids)
                .map(|id| spanned(id))
                .collect(),
            constraints: Vec::new(),
            assessment_requirement_modifications: Vec::new(),
        });
    }
    for (list, extras) in [
        (&mut imports.catalogs, &extra.catalogs),
        (&mut imports.guidance, &extra.guidance),
    ] {
        for (imp, x) in list.iter_mut().zip(extras) {
            imp.constraints = x.constraints.clone();
            imp.assessment_requirement_modifications =
                x.assessment_requirement_modifications.clone();
        }
    }

    let mut parameters = BTreeMap::new();
    for (i, sp) in op.modify.iter().flat_map(|m| &m.set_parameters).enumerate() {
        if annex && sp.class.as_deref() == Some("inherited") {
            continue;
        }
        let (name, value) = param_in(sp, &format!("profile.modify.set-parameters[{i}]"), &cx)?;
        parameters.insert(name, value);
    }

    let cra_role = match annex_value(&meta.props, "cra-role").as_deref() {
        None => None,
        Some("manufacturer") => Some(CraRole::Manufacturer),
        Some("steward") => Some(CraRole::Steward),
        Some(other) => {
            return Err(cx.invalid(format!(
                "profile.metadata: unknown cra-role `{other}` (expected manufacturer or steward)"
            )));
        }
    };
    let product_class = match annex_value(&meta.props, "product-class").as_deref() {
        None => None,
        Some("default") => Some(ProductClass::Default),
        Some("important-I") => Some(ProductClass::ImportantI),
        Some("important-II") => Some(ProductClass::ImportantII),
        Some("critical") => Some(ProductClass::Critical),
        Some(other) => {
            return Err(cx.invalid(format!(
                "profile.metadata: unknown product-class `{other}` \
                 (expected default, important-I, important-II or critical)"
            )));
        }
    };
    if annex {
        include = annex_values(&meta.props, "include")
            .map(|s| spanned(&s))
            .collect();
    }
    let source = list_in(&meta.props, "source").map(|(v, marked)| {
        if !marked && v.len() == 1 {
            SourceRef::One(v[0].clone())
        } else {
            SourceRef::Many(v)
        }
    });
    let id = annex_value(&meta.props, "profile-id")
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| match slug(&title) {
            s if s.is_empty() => "oscal-profile".to_string(),
            s => s,
        });
    Ok(Profile {
        title,
        metadata: ProfileMetadata {
            id,
            kind: annex_value(&meta.props, "profile-type").unwrap_or_else(|| {
                if annex {
                    String::new()
                } else {
                    "Policy".into()
                }
            }),
            version: meta.version.as_deref().map(dec).unwrap_or_default(),
            description: meta.remarks.clone().unwrap_or_default(),
            author: extra.author,
            source,
        },
        contacts: extra.contacts,
        scope: extra.scope,
        imports,
        adherence: extra.adherence,
        annex: ProfileExtension {
            extends: annex_value(&meta.props, "extends").map(|s| spanned(&s)),
            applicability: list_in(&meta.props, "applicability").map(|(v, _)| v),
            cra_role,
            product_class,
            include,
            parameters,
            requirements: extra.requirements,
            rules: extra.rules,
        },
        origin: Origin(origin.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips() {
        for s in [
            "", " a", "a ", "x\ny", "50%", "pct:x", "plain", "é ü", "\t", "%41",
        ] {
            let e = enc(s);
            // Either a valid value as it is, or an encoded one without any whitespace.
            assert!(
                (is_clean(&e) && e == s)
                    || (e.starts_with(PCT) && !e.contains(char::is_whitespace)),
                "{e:?}"
            );
            assert_eq!(dec(&e), s);
        }
        assert_eq!(enc("OSPS-AC-01"), "OSPS-AC-01");
        assert_eq!(dec("pct:%zz%4"), "%zz%4");
    }

    #[test]
    fn tokens() {
        assert_eq!(control_id("OSPS-AC-01.01"), "OSPS-AC-01.01");
        assert_eq!(control_id("CRA-AI-1.2a"), "CRA-AI-1.2a");
        assert_eq!(control_id("1.2c"), "_1.2c");
        assert_eq!(control_id("a b/c"), "a_b_c");
        assert_eq!(control_id(""), "_");
        assert_eq!(group_token("VM"), "vm");
    }

    #[test]
    fn uuids_are_v5_shaped() {
        let u = uuid_of(b"x");
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "5");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn dates() {
        assert_eq!(version_date("v2026.02.19"), Some((2026, 2, 19)));
        assert_eq!(version_date("2026.11"), Some((2026, 11, 1)));
        assert_eq!(version_date("2024/2847"), None);
        assert_eq!(version_date("1.2.3"), None);
        assert_eq!(version_date("2023-02-29"), Some((2023, 2, 1)));
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(20_503), (2026, 2, 19));
        assert_eq!(timestamp_from(None, "v2026.02.19"), "2026-02-19T00:00:00Z");
        assert_eq!(timestamp_from(None, "2024/2847"), FIXED_EPOCH);
        assert_eq!(
            timestamp_from(Some("1771504496"), "v2026.02.19"),
            "2026-02-19T12:34:56Z"
        );
        assert_eq!(
            timestamp_from(Some("junk"), "2026.11"),
            "2026-11-01T00:00:00Z"
        );
        assert_eq!(timestamp_from(Some("-5"), ""), FIXED_EPOCH);
        assert_eq!(timestamp_from(Some("99999999999"), ""), FIXED_EPOCH);
    }

    #[test]
    fn base64() {
        for s in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            let e = b64_encode(s.as_bytes());
            assert_eq!(b64_decode(&e).unwrap(), s.as_bytes());
        }
        assert_eq!(b64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(b64_encode(b"fo"), "Zm8=");
        assert!(b64_decode("Zm9v!").is_none());
    }
}
