//! `annex.toml`: the product metadata the CRA documents are filled from.
//!
//! The schema is described in the crate README. annex-docs reads only its own sections
//! (`[product]`, `[manufacturer]` or `[steward]`, `[support]`, `[security]`,
//! `[declaration]`, `[documentation]`); other top-level keys (`[scope]`, `[[vex]]`, …)
//! belong to other crates and are ignored, but inside its sections an unknown key is an
//! error. Every error names `annex.toml:line:column` and the field.

use crate::error::{DocsError, line_col};
use annex_spec::{CraRole, ProductClass};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::path::Path;

/// The file name, relative to the checkout's root.
pub const METADATA_FILE: &str = "annex.toml";

/// A month of a year (`2031-12`): the CRA states the end of support by month and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }
    /// The last day of the month: support lasts until the end of the month named.
    pub fn last_day(&self) -> NaiveDate {
        self.first_day()
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .expect("date in range")
    }
    /// Whole months from `self` to `other` (`2026-11` → `2031-11` is 60).
    pub fn months_until(&self, other: YearMonth) -> i64 {
        (other.year as i64 - self.year as i64) * 12 + other.month as i64 - self.month as i64
    }
    /// `December 2031`.
    pub fn long(&self) -> String {
        format!("{} {}", MONTHS[(self.month - 1) as usize], self.year)
    }
}

pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for YearMonth {
    type Err = String;
    /// `YYYY-MM`, or a full date `YYYY-MM-DD` of which the month is kept.
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(YearMonth::of(d));
        }
        let bad = || format!("`{s}` is not a month: write YYYY-MM, e.g. 2031-12");
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        YearMonth::new(year, month).ok_or_else(bad)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = toml::Value::deserialize(d)?;
        match v {
            toml::Value::String(s) => s.parse().map_err(serde::de::Error::custom),
            toml::Value::Datetime(dt) => dt.to_string().parse().map_err(serde::de::Error::custom),
            other => Err(serde::de::Error::custom(format!(
                "expected a month as a string (\"2031-12\"), found a {}",
                other.type_str()
            ))),
        }
    }
}

/// The text of a TOML date/time or string value; anything else is an error saying
/// "expected {expected}, found a …".
pub(crate) fn toml_date_text<'de, D: Deserializer<'de>>(
    d: D,
    expected: &str,
) -> Result<String, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::String(s) => Ok(s),
        toml::Value::Datetime(dt) => Ok(dt.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected {expected}, found a {}",
            other.type_str()
        ))),
    }
}

/// A calendar date written as a TOML date (`2027-06-30`) or a string.
fn de_opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let s = toml_date_text(d, "a date (2027-06-30)")?;
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("`{s}` is not a date: write YYYY-MM-DD")))
}

fn default_class() -> ProductClass {
    ProductClass::Default
}
fn is_default_class(c: &ProductClass) -> bool {
    *c == ProductClass::Default
}
fn default_languages() -> Vec<String> {
    vec!["en".to_string()]
}
fn is_false(b: &bool) -> bool {
    !*b
}

/// `[product]`: what is placed on the market.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Product {
    pub name: String,
    /// The version the documents are about (Article 13(15), Annex II point 3).
    pub version: String,
    /// The kind of product: `library`, `command-line tool`, `web application`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The intended purpose (Annex II point 4, Annex VII point 1(a)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// default | important-I | important-II | critical (Annexes III and IV).
    #[serde(default = "default_class", skip_serializing_if = "is_default_class")]
    pub class: ProductClass,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
    /// SPDX licence expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// Languages of the documentation and of security reports (BCP 47 tags), first preferred.
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    /// Whether the product has hardware (Annex VII point 1(c)); software only by default.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hardware: bool,
}

/// `[manufacturer]` or `[steward]`: who answers for the product (Article 13(16), Annex II
/// point 1, Annex V point 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Party {
    /// Name, registered trade name or trademark.
    pub name: String,
    /// Postal address, one string (lines separated by commas or newlines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

/// `[support]`: the support period (Article 13(8) and (19), Annex II point 7).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Support {
    /// Month and year the support period ends (required for a manufacturer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<YearMonth>,
    /// When the support period starts (placing on the market); the current month if unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<YearMonth>,
    /// Why this period (Annex VII point 4); required when shorter than five years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The kind of security support (Annex II point 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Which releases get security updates (`1.4.x and later`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<String>,
}

/// `[security]`: contacts and published security information.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Security {
    /// The single point of contact for vulnerability reports (Article 13(17)): an e-mail
    /// address or an https URL.
    pub contact: String,
    /// The coordinated vulnerability disclosure policy (URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Where advisories are published (URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisories: Option<String>,
    /// Where users find the SBOM (URL), if it is made available (Annex II point 9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbom: Option<String>,
    /// CSAF provider-metadata.json URL (security.txt `CSAF:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csaf: Option<String>,
    /// Where security.txt is published (its `Canonical:` URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// Hall of fame (security.txt `Acknowledgments:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledgments: Option<String>,
    /// Encryption key for reports (security.txt `Encryption:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<String>,
    /// security.txt `Expires:`; at most a year ahead; computed from today when unset.
    #[serde(
        default,
        deserialize_with = "de_opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires: Option<NaiveDate>,
}

/// Annex V point 7: the notified body, when one took part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct NotifiedBody {
    pub name: String,
    pub number: String,
    /// The conformity assessment procedure performed (module B+C, H, …).
    pub procedure: String,
    pub certificate: String,
}

/// Annex V point 8: who signs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Signatory {
    pub name: String,
    pub function: String,
}

/// `[declaration]`: the EU declaration of conformity (Annexes V and VI).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Declaration {
    /// Where the full declaration is published (Annex II point 6, Annex VI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Harmonised standards, common specifications or certifications applied (Annex V
    /// point 6, Annex VII point 5). Unset: unknown (a TODO). `[]`: none applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standards: Option<Vec<String>>,
    /// Other Union harmonisation legislation the product conforms to (Annex V point 5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legislation: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified_body: Option<NotifiedBody>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signatory: Option<Signatory>,
    /// Place of issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// `[documentation]`: where (URL) or what (text) each remaining Annex II / VII item is.
/// Every key is optional; what is missing becomes a TODO in the documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Documentation {
    /// Annex II 4: the essential functions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub essential_functions: Option<String>,
    /// Annex II 4: security properties and the security environment provided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_properties: Option<String>,
    /// Annex II 5: known or foreseeable circumstances leading to significant risks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risks: Option<String>,
    /// Annex II 8: the user instructions as a whole (URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_instructions: Option<String>,
    /// Annex II 8(a): secure commissioning and use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_use: Option<String>,
    /// Annex II 8(b): how changes to the product affect the security of data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_changes: Option<String>,
    /// Annex II 8(c): how to install security updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updates: Option<String>,
    /// Annex II 8(d): secure decommissioning and removal of user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decommissioning: Option<String>,
    /// Annex II 8(e): turning off automatic security updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic_updates: Option<String>,
    /// Annex II 8(f): information for integrators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrators: Option<String>,
    /// Annex VII 2(a): design, development and architecture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    /// Annex VII 2(b): how updates are distributed securely.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_distribution: Option<String>,
    /// Annex VII 2(c): production and monitoring processes and their validation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production: Option<String>,
    /// Annex VII 3, Article 13(2)-(4): the cybersecurity risk assessment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_assessment: Option<String>,
    /// Annex VII 6: test reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_reports: Option<String>,
}

/// annex.toml is a hand-written file of a few KiB (the same cap as annex-core's reader): a
/// larger one is refused rather than loaded.
pub const MAX_METADATA_FILE: u64 = 1024 * 1024;

/// The validated content of annex.toml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Metadata {
    pub product: Product,
    /// manufacturer | steward: which of `[manufacturer]` / `[steward]` the file has.
    pub role: CraRole,
    /// The manufacturer or steward.
    pub party: Party,
    #[serde(default)]
    pub support: Support,
    pub security: Security,
    #[serde(default)]
    pub declaration: Declaration,
    #[serde(default)]
    pub documentation: Documentation,
}

/// The file as written: top-level keys annex-docs does not own are ignored.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct FileRepr {
    product: Option<Product>,
    manufacturer: Option<Party>,
    steward: Option<Party>,
    #[serde(default)]
    support: Support,
    security: Option<Security>,
    #[serde(default)]
    declaration: Declaration,
    #[serde(default)]
    documentation: Documentation,
}

impl Metadata {
    pub fn is_steward(&self) -> bool {
        self.role == CraRole::Steward
    }

    /// `manufacturer` or `open-source software steward`.
    pub fn role_title(&self) -> &'static str {
        match self.role {
            CraRole::Manufacturer => "manufacturer",
            CraRole::Steward => "open-source software steward",
        }
    }

    /// The first language, `en` by default.
    pub fn language(&self) -> &str {
        self.product
            .languages
            .first()
            .map(String::as_str)
            .unwrap_or("en")
    }

    /// Read `<root>/annex.toml`. `today` is the day past dates are checked against.
    pub fn load(root: &Path, today: NaiveDate) -> Result<Metadata, DocsError> {
        let path = root.join(METADATA_FILE);
        let text = match annex_checkout::read_text(root, METADATA_FILE, MAX_METADATA_FILE) {
            Ok(t) => t,
            Err(e) if e.is_not_found() => {
                return Err(DocsError::NoMetadata {
                    path: path.display().to_string(),
                });
            }
            Err(e) => return Err(DocsError::Read(e)),
        };
        Metadata::parse(&text, METADATA_FILE, today)
    }

    /// Parse annex.toml text; `file` is the name errors carry.
    pub fn parse(text: &str, file: &str, today: NaiveDate) -> Result<Metadata, DocsError> {
        let repr: FileRepr = toml::from_str(text).map_err(|e| toml_error(text, file, &e))?;
        let at = |path: &[&str], message: String| located(text, file, path, message);
        let product = repr.product.ok_or_else(|| {
            at(
                &[],
                "missing [product] table (name, version, type)".to_string(),
            )
        })?;
        let (role, party) = match (repr.manufacturer, repr.steward) {
            (Some(p), None) => (CraRole::Manufacturer, p),
            (None, Some(p)) => (CraRole::Steward, p),
            (Some(_), Some(_)) => {
                return Err(at(
                    &["steward"],
                    "both [manufacturer] and [steward]: keep the one that is your CRA role"
                        .to_string(),
                ));
            }
            (None, None) => {
                return Err(at(
                    &[],
                    "missing [manufacturer] or [steward] table: the section name is the CRA role"
                        .to_string(),
                ));
            }
        };
        let security = repr.security.ok_or_else(|| {
            at(
                &[],
                "missing [security] table (contact is required)".to_string(),
            )
        })?;
        let meta = Metadata {
            product,
            role,
            party,
            support: repr.support,
            security,
            declaration: repr.declaration,
            documentation: repr.documentation,
        };
        let problems = validate(&meta, today);
        let errors = problems
            .into_iter()
            .map(|(field, message)| {
                let mut path: Vec<&str> = field.split('.').collect();
                if path.first() == Some(&"party") {
                    path[0] = if role == CraRole::Steward {
                        "steward"
                    } else {
                        "manufacturer"
                    };
                }
                located(text, file, &path, message)
            })
            .collect();
        DocsError::from_list(errors)?;
        Ok(meta)
    }

    /// Check values built without a file (the answers of `annex init`).
    pub fn check(&self, today: NaiveDate) -> Result<(), DocsError> {
        let errors = validate(self, today)
            .into_iter()
            .map(|(field, message)| DocsError::Value {
                field: field.replace(
                    "party.",
                    if self.is_steward() {
                        "steward."
                    } else {
                        "manufacturer."
                    },
                ),
                message,
            })
            .collect();
        DocsError::from_list(errors)
    }
}

pub(crate) fn is_email(s: &str) -> bool {
    let s = s.strip_prefix("mailto:").unwrap_or(s);
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

pub(crate) fn is_https(s: &str) -> bool {
    s.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !s.contains(char::is_whitespace))
}

fn is_web(s: &str) -> bool {
    is_https(s)
        || s.strip_prefix("http://")
            .is_some_and(|rest| !rest.is_empty() && !s.contains(char::is_whitespace))
}

fn is_language_tag(s: &str) -> bool {
    !s.is_empty()
        && s.split('-')
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && s.split('-')
            .next()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Semantic checks; each problem is (dotted field, message).
fn validate(m: &Metadata, today: NaiveDate) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut bad = |field: &str, msg: String| out.push((field.to_string(), msg));
    for (field, value) in [
        ("product.name", &m.product.name),
        ("product.version", &m.product.version),
        ("product.type", &m.product.kind),
        ("party.name", &m.party.name),
        ("security.contact", &m.security.contact),
    ] {
        if value.trim().is_empty() {
            bad(field, "must not be empty".to_string());
        }
    }
    if m.product.languages.is_empty() {
        bad(
            "product.languages",
            "give at least one language (e.g. [\"en\"])".to_string(),
        );
    }
    for l in &m.product.languages {
        if !is_language_tag(l) {
            bad(
                "product.languages",
                format!("`{l}` is not a language tag (BCP 47, e.g. en, de, pt-BR)"),
            );
        }
    }
    for (field, value) in [
        ("product.repository", &m.product.repository),
        ("product.homepage", &m.product.homepage),
        ("party.website", &m.party.website),
    ] {
        if let Some(v) = value
            && !is_web(v)
        {
            bad(field, format!("`{v}` is not a web address (https://…)"));
        }
    }
    if let Some(e) = &m.party.email
        && !is_email(e)
    {
        bad("party.email", format!("`{e}` is not an e-mail address"));
    }
    let c = m.security.contact.trim();
    if !(c.is_empty() || is_email(c) || is_https(c) || c.starts_with("tel:")) {
        bad(
            "security.contact",
            format!(
                "`{c}` is neither an e-mail address nor an https:// URL (RFC 9116 forbids http://)"
            ),
        );
    }
    for (field, value) in [
        ("security.policy", &m.security.policy),
        ("security.advisories", &m.security.advisories),
        ("security.sbom", &m.security.sbom),
        ("security.csaf", &m.security.csaf),
        ("security.canonical", &m.security.canonical),
        ("security.acknowledgments", &m.security.acknowledgments),
        ("security.encryption", &m.security.encryption),
        ("declaration.url", &m.declaration.url),
    ] {
        if let Some(v) = value
            && !is_https(v)
        {
            bad(field, format!("`{v}` must be an https:// URL"));
        }
    }
    if let Some(exp) = m.security.expires {
        if exp <= today {
            bad(
                "security.expires",
                format!(
                    "{exp} is not in the future (today is {today}); security.txt must not have expired: set a date within the next year or remove the key to compute one"
                ),
            );
        } else if exp > today.checked_add_months(Months::new(12)).unwrap_or(exp) {
            bad(
                "security.expires",
                format!(
                    "{exp} is more than a year after today ({today}); RFC 9116 asks for less than a year"
                ),
            );
        }
    }
    let this_month = YearMonth::of(today);
    match m.support.end {
        None if m.role == CraRole::Manufacturer => bad(
            "support.end",
            "a manufacturer must state when the support period ends (month and year, e.g. \"2031-12\"; Article 13(19))"
                .to_string(),
        ),
        None => {}
        Some(end) if end.last_day() < today => bad(
            "support.end",
            format!(
                "{end} is in the past (today is {today}); the support period must end in the future"
            ),
        ),
        Some(end) => {
            let start = m.support.start.unwrap_or(this_month);
            if end < start {
                bad(
                    "support.end",
                    format!("ends ({end}) before it starts (support.start = {start})"),
                );
            } else if m.role == CraRole::Manufacturer
                && start.months_until(end) < 60
                && m.support
                    .reason
                    .as_deref()
                    .is_none_or(|r| r.trim().is_empty())
            {
                bad(
                    "support.end",
                    format!(
                        "the support period {start} to {end} is shorter than five years: Article 13(8) allows that only when the product is expected to be used for a shorter time; state why in support.reason"
                    ),
                );
            }
        }
    }
    if let Some(nb) = &m.declaration.notified_body {
        for (k, v) in [
            ("name", &nb.name),
            ("number", &nb.number),
            ("procedure", &nb.procedure),
            ("certificate", &nb.certificate),
        ] {
            if v.trim().is_empty() {
                bad(
                    &format!("declaration.notified-body.{k}"),
                    "must not be empty".to_string(),
                );
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Spans

/// An error at the value of a dotted key path, or at the deepest part of it that exists.
pub(crate) fn located(text: &str, file: &str, path: &[&str], message: String) -> DocsError {
    let offset = span_of(text, path).map(|s| s.start).unwrap_or(0);
    let (line, column) = line_col(text, offset);
    DocsError::Invalid {
        file: file.to_string(),
        line,
        column,
        field: path.join("."),
        message,
    }
}

/// The span of the value at `path` (or of the deepest existing prefix).
pub(crate) fn span_of(text: &str, path: &[&str]) -> Option<std::ops::Range<usize>> {
    let doc = toml::de::DeTable::parse(text).ok()?;
    let mut table = doc.get_ref();
    let mut best = None;
    for (i, key) in path.iter().enumerate() {
        let (k, v) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *key)?;
        let span = v.span();
        // A table header's value span may be empty; fall back to the key.
        best = Some(if span.is_empty() { k.span() } else { span });
        if i + 1 < path.len() {
            table = v.get_ref().as_table()?;
        }
    }
    best
}

/// The dotted key path of the smallest entry (key and value) containing `offset`.
fn path_at(text: &str, offset: usize) -> String {
    fn walk(
        table: &toml::de::DeTable<'_>,
        prefix: &mut Vec<String>,
        offset: usize,
        best: &mut Option<(usize, String)>,
    ) {
        for (k, v) in table.iter() {
            prefix.push(k.get_ref().to_string());
            let (ks, vs) = (k.span(), v.span());
            for span in [ks.start.min(vs.start)..ks.end.max(vs.end), ks.clone()] {
                let hit = span.contains(&offset) || (span.is_empty() && span.start == offset);
                let len = span.end - span.start;
                if hit && best.as_ref().is_none_or(|(l, _)| len <= *l) {
                    *best = Some((len, prefix.join(".")));
                }
            }
            if let Some(t) = v.get_ref().as_table() {
                walk(t, prefix, offset, best);
            }
            prefix.pop();
        }
    }
    let Ok(doc) = toml::de::DeTable::parse(text) else {
        return String::new();
    };
    let mut best = None;
    walk(doc.get_ref(), &mut Vec::new(), offset, &mut best);
    best.map(|(_, p)| p).unwrap_or_default()
}

pub(crate) fn toml_error(text: &str, file: &str, e: &toml::de::Error) -> DocsError {
    let offset = e.span().map(|s| s.start).unwrap_or(0);
    let (line, column) = line_col(text, offset);
    DocsError::Invalid {
        file: file.to_string(),
        line,
        column,
        field: path_at(text, offset),
        message: e.message().trim().to_string(),
    }
}
