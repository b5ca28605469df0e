//! Licences as the writers see them: SPDX expressions (canonicalised where possible) or
//! free text, combined per component, and `LicenseRef-` ids for the free text.

use crate::conform::sanitize_id;

/// A licence as the inventory records it, classified for the writers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Licence {
    /// A valid SPDX expression (possibly canonicalised: `MIT/Apache-2.0` →
    /// `MIT OR Apache-2.0`; deprecated identifiers are kept).
    Spdx(String),
    /// Free text that is no SPDX expression (`Apache Software License`).
    Other(String),
}

pub(crate) fn classify_licence(raw: &str) -> Licence {
    let raw = raw.trim();
    let strict_deprecated = spdx::ParseMode {
        allow_deprecated: true,
        ..spdx::ParseMode::STRICT
    };
    if spdx::Expression::parse_mode(raw, strict_deprecated).is_ok() {
        return Licence::Spdx(raw.to_string());
    }
    if let Ok(Some(c)) = spdx::Expression::canonicalize(raw)
        && spdx::Expression::parse_mode(&c, strict_deprecated).is_ok()
    {
        return Licence::Spdx(c);
    }
    Licence::Other(raw.to_string())
}

/// The licences of one component as one expression when every one is SPDX: a single one
/// as is, several joined with `AND` (each applies), compound parts parenthesised.
pub(crate) fn combined_expression(licences: &[Licence]) -> Option<String> {
    if licences.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    for l in licences {
        match l {
            Licence::Spdx(e) => parts.push(e.clone()),
            Licence::Other(_) => return None,
        }
    }
    parts.sort();
    parts.dedup();
    if parts.len() == 1 {
        return parts.pop();
    }
    Some(
        parts
            .iter()
            .map(|p| {
                if p.contains(' ') {
                    format!("({p})")
                } else {
                    p.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" AND "),
    )
}

/// `LicenseRef-` identifier for free licence text (SPDX idstring: `[A-Za-z0-9.-]`).
pub(crate) fn licence_ref(text: &str) -> String {
    format!("LicenseRef-{}", sanitize_id(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences() {
        assert_eq!(classify_licence("MIT"), Licence::Spdx("MIT".into()));
        assert_eq!(
            classify_licence("MIT/Apache-2.0"),
            Licence::Spdx("MIT OR Apache-2.0".into())
        );
        assert_eq!(classify_licence("GPL-2.0"), Licence::Spdx("GPL-2.0".into()));
        assert_eq!(
            classify_licence("Apache Software License"),
            Licence::Other("Apache Software License".into())
        );
        assert_eq!(
            combined_expression(&[
                Licence::Spdx("MIT OR Apache-2.0".into()),
                Licence::Spdx("BSD-3-Clause".into())
            ]),
            Some("BSD-3-Clause AND (MIT OR Apache-2.0)".into())
        );
    }
}
