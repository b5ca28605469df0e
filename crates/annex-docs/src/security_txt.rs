//! security.txt (RFC 9116): the generator, and a parser used to check what is written
//! (and any security.txt a project already has).
//!
//! The parser follows RFC 9116 section 4: field names are case-insensitive; `Contact` is
//! required (one or more), `Expires` is required exactly once and is an RFC 3339 date and
//! time; `Preferred-Languages` may appear at most once; web URIs must use https; comments
//! (`#`) and blank lines are allowed; unknown fields are kept; lines end in LF or CRLF; an
//! OpenPGP cleartext-signed file is read through its signature armour.

use crate::document::{Document, Format, Kind, Todo};
use crate::error::DocsError;
use crate::inputs::Inputs;
use crate::metadata::is_email;
use chrono::{DateTime, FixedOffset, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The `Expires` value written: one day short of a year after `today` (or
/// `security.expires` when set), at midnight UTC.
pub fn expires_for(inputs: &Inputs) -> NaiveDate {
    inputs.metadata.security.expires.unwrap_or_else(|| {
        inputs
            .today
            .checked_add_months(Months::new(12))
            .and_then(|d| d.pred_opt())
            .unwrap_or(inputs.today)
    })
}

/// `security.contact` as a URI: an e-mail address becomes `mailto:`.
pub(crate) fn contact_uri(contact: &str) -> String {
    let c = contact.trim();
    if is_email(c) && !c.starts_with("mailto:") {
        format!("mailto:{c}")
    } else {
        c.to_string()
    }
}

pub(crate) fn generate(inputs: &Inputs) -> Document {
    let m = inputs.metadata;
    let s = &m.security;
    let expires = expires_for(inputs);
    let mut out = String::new();
    out.push_str(&format!(
        "# security.txt of {} (RFC 9116), written by annex from annex.toml on {}.\n",
        m.product.name, inputs.today
    ));
    out.push_str(&format!(
        "# It expires on {expires}: write it again (`annex docs security-txt`) before then.\n"
    ));
    out.push_str(&format!("Contact: {}\n", contact_uri(&s.contact)));
    out.push_str(&format!("Expires: {expires}T00:00:00Z\n"));
    let mut field = |name: &str, value: &Option<String>| {
        if let Some(v) = value {
            out.push_str(&format!("{name}: {v}\n"));
        }
    };
    field("Encryption", &s.encryption);
    field("Acknowledgments", &s.acknowledgments);
    field(
        "Preferred-Languages",
        &Some(m.product.languages.join(", ")).filter(|l| !l.is_empty()),
    );
    field("Canonical", &s.canonical);
    field("Policy", &s.policy);
    field("CSAF", &s.csaf);
    let mut todos = Vec::new();
    if s.canonical.is_none() {
        todos.push(Todo {
            item: "Canonical".into(),
            what: "set security.canonical to the https URL where this file is published (https://<your site>/.well-known/security.txt), so readers can tell a copy from the original".into(),
        });
    }
    if s.policy.is_none() {
        todos.push(Todo {
            item: "Policy".into(),
            what: "set security.policy to the URL of the vulnerability disclosure policy (e.g. SECURITY.md on the forge)".into(),
        });
    }
    Document {
        file_name: Kind::SecurityTxt.file_name(Format::Markdown),
        content: out,
        todos,
    }
}

// ---------------------------------------------------------------------------------------
// Parser

/// One `Name: value` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// As written (case kept).
    pub name: String,
    pub value: String,
    pub line: usize,
}

/// A parsed security.txt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityTxt {
    /// Every field, in order, unknown ones included.
    pub fields: Vec<Field>,
    pub expires: DateTime<FixedOffset>,
    /// Whether the file was OpenPGP cleartext-signed (the signature is not verified).
    pub signed: bool,
    /// SHOULD-level problems (Expires more than a year ahead, no Canonical in a signed file).
    pub warnings: Vec<String>,
}

impl SecurityTxt {
    /// The values of a field, matched case-insensitively.
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|f| f.name.eq_ignore_ascii_case(name))
            .map(|f| f.value.as_str())
            .collect()
    }
    pub fn contacts(&self) -> Vec<&str> {
        self.values("Contact")
    }
    pub fn preferred_languages(&self) -> Vec<String> {
        self.values("Preferred-Languages")
            .first()
            .map(|v| {
                v.split(',')
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
    pub fn is_expired(&self, now: DateTime<FixedOffset>) -> bool {
        self.expires <= now
    }
}

/// Fields whose values are URIs.
const URI_FIELDS: [&str; 7] = [
    "contact",
    "encryption",
    "acknowledgments",
    "canonical",
    "policy",
    "hiring",
    "csaf",
];

/// Parse security.txt text. Errors carry `security.txt:line:1` and the field name.
pub fn parse(text: &str) -> Result<SecurityTxt, DocsError> {
    parse_named(text, "security.txt")
}

/// As `parse`, with the file name errors should carry.
pub fn parse_named(text: &str, file: &str) -> Result<SecurityTxt, DocsError> {
    let mut errors = Vec::new();
    let err = |line: usize, field: &str, message: String| DocsError::Invalid {
        file: file.to_string(),
        line,
        column: 1,
        field: field.to_string(),
        message,
    };
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    // Strip OpenPGP cleartext armour, keeping original line numbers.
    let mut signed = false;
    let mut body: Vec<(usize, String)> = Vec::new();
    let first_content = lines.iter().position(|l| !l.trim().is_empty());
    if first_content.is_some_and(|i| lines[i].trim() == "-----BEGIN PGP SIGNED MESSAGE-----") {
        signed = true;
        let mut i = first_content.unwrap_or(0) + 1;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1; // armour headers (Hash: …)
        }
        i += 1;
        let mut ended = false;
        while i < lines.len() {
            let l = lines[i];
            if l.trim() == "-----BEGIN PGP SIGNATURE-----" {
                ended = true;
                break;
            }
            body.push((i + 1, l.strip_prefix("- ").unwrap_or(l).to_string()));
            i += 1;
        }
        if !ended {
            errors.push(err(
                lines.len(),
                "",
                "signed message without -----BEGIN PGP SIGNATURE-----".into(),
            ));
        }
    } else {
        body = lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i + 1, l.to_string()))
            .collect();
    }
    let mut fields = Vec::new();
    for (n, line) in &body {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            errors.push(err(
                *n,
                "",
                format!("`{trimmed}` is neither a field (Name: value), a comment (#) nor blank"),
            ));
            continue;
        };
        let valid_name = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_name {
            errors.push(err(*n, "", format!("`{name}` is not a field name")));
            continue;
        }
        let value = value.trim().to_string();
        if value.is_empty() {
            errors.push(err(*n, name, "has no value".into()));
            continue;
        }
        fields.push(Field {
            name: name.to_string(),
            value,
            line: *n,
        });
    }
    let named = |want: &str| -> Vec<&Field> {
        fields
            .iter()
            .filter(|f| f.name.eq_ignore_ascii_case(want))
            .collect()
    };
    if named("contact").is_empty() {
        errors.push(err(
            1,
            "Contact",
            "required field missing (RFC 9116 section 2.5.3)".into(),
        ));
    }
    for f in &fields {
        let lname = f.name.to_ascii_lowercase();
        if !URI_FIELDS.contains(&lname.as_str()) {
            continue;
        }
        let v = f.value.as_str();
        if v.to_ascii_lowercase().starts_with("http://") {
            errors.push(err(
                f.line,
                &f.name,
                format!("`{v}`: web URIs must begin with https:// (RFC 9116 section 2.5)"),
            ));
        } else if !has_scheme(v) {
            errors.push(err(
                f.line,
                &f.name,
                format!("`{v}` is not a URI (write mailto:, tel: or https://)"),
            ));
        }
    }
    let expires_fields = named("expires");
    let mut expires = None;
    match expires_fields.len() {
        0 => errors.push(err(
            1,
            "Expires",
            "required field missing (RFC 9116 section 2.5.5)".into(),
        )),
        1 => match DateTime::parse_from_rfc3339(&expires_fields[0].value) {
            Ok(d) => expires = Some(d),
            Err(e) => errors.push(err(
                expires_fields[0].line,
                &expires_fields[0].name,
                format!(
                    "`{}` is not an RFC 3339 date and time such as 2027-01-31T00:00:00Z ({e})",
                    expires_fields[0].value
                ),
            )),
        },
        _ => errors.push(err(
            expires_fields[1].line,
            &expires_fields[1].name,
            "must appear only once".into(),
        )),
    }
    let langs = named("preferred-languages");
    if langs.len() > 1 {
        errors.push(err(
            langs[1].line,
            &langs[1].name,
            "must appear only once".into(),
        ));
    }
    DocsError::from_list(errors)?;
    let expires = expires.expect("checked above");
    let mut warnings = Vec::new();
    if signed && named("canonical").is_empty() {
        warnings.push("a signed file should name its Canonical URL".to_string());
    }
    Ok(SecurityTxt {
        fields,
        expires,
        signed,
        warnings,
    })
}

fn has_scheme(v: &str) -> bool {
    match v.split_once(':') {
        Some((scheme, rest)) => {
            !rest.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Add the SHOULD-level warning about an Expires more than a year after `now`.
pub fn check_expiry(txt: &mut SecurityTxt, now: DateTime<FixedOffset>) {
    if let Some(limit) = now.checked_add_months(Months::new(12))
        && txt.expires > limit
    {
        txt.warnings
            .push("Expires is more than a year ahead (RFC 9116 section 2.5.5)".into());
    }
    if txt.is_expired(now) {
        txt.warnings.push("the file has expired".into());
    }
}
