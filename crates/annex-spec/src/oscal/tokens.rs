//! OSCAL tokens for control, requirement, group and parameter ids.

use std::collections::BTreeSet;

pub(super) fn token_char(c: char) -> bool {
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
pub(super) fn group_token(id: &str) -> String {
    control_id(&id.to_lowercase())
}

/// Allocates unique tokens within one document.
#[derive(Default)]
pub(super) struct Tokens(BTreeSet<String>);

impl Tokens {
    pub(super) fn take(&mut self, base: String) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert_eq!(control_id("OSPS-AC-01.01"), "OSPS-AC-01.01");
        assert_eq!(control_id("CRA-AI-1.2a"), "CRA-AI-1.2a");
        assert_eq!(control_id("1.2c"), "_1.2c");
        assert_eq!(control_id("a b/c"), "a_b_c");
        assert_eq!(control_id(""), "_");
        assert_eq!(group_token("VM"), "vm");
    }
}
