//! The questions `annex init` asks, in order, with their help and choices.

use serde::{Deserialize, Serialize};

/// When a question matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Need {
    /// An answer is required.
    Required,
    /// Required when the role is manufacturer; skip the question for a steward.
    Manufacturer,
    /// Required when the role is steward; skip the question for a manufacturer.
    Steward,
    /// May be left empty (the documents then carry a TODO).
    Optional,
}

/// One question of `annex init`, in the order to ask them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Question {
    /// The answer key (`product.name`; `party.*` is the `[manufacturer]` or `[steward]`
    /// table, `role` chooses which).
    pub key: &'static str,
    pub prompt: &'static str,
    pub help: &'static str,
    pub need: Need,
    /// Allowed answers, when fixed.
    pub choices: &'static [&'static str],
}

const QUESTIONS: &[Question] = &[
    Question {
        key: "role",
        prompt: "CRA role",
        help: "manufacturer: you place the product on the EU market under your name (Article 3(13)); steward: a legal person that supports free and open-source software meant for commercial use without being its manufacturer (Article 3(14))",
        need: Need::Required,
        choices: &["manufacturer", "steward"],
    },
    Question {
        key: "product.name",
        prompt: "Product name",
        help: "as users know it",
        need: Need::Required,
        choices: &[],
    },
    Question {
        key: "product.version",
        prompt: "Product version",
        help: "the release the documents are about",
        need: Need::Required,
        choices: &[],
    },
    Question {
        key: "product.type",
        prompt: "Product type",
        help: "e.g. library, command-line tool, web application, firmware",
        need: Need::Required,
        choices: &[],
    },
    Question {
        key: "product.description",
        prompt: "Intended purpose (one or two sentences)",
        help: "Annex II point 4 and Annex VII point 1(a)",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "product.class",
        prompt: "Product class",
        help: "important-I or important-II when the core functionality is a category of Annex III, critical when of Annex IV, else default (Article 7); the categories are listed when asked",
        need: Need::Manufacturer,
        choices: &["default", "important-I", "important-II", "critical"],
    },
    Question {
        key: "product.repository",
        prompt: "Source repository URL",
        help: "https://…",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "product.license",
        prompt: "Licence (SPDX expression)",
        help: "e.g. Apache-2.0, MIT OR Apache-2.0",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "product.languages",
        prompt: "Languages of documentation and reports",
        help: "BCP 47 tags separated by commas, preferred first, e.g. en, de",
        need: Need::Required,
        choices: &[],
    },
    Question {
        key: "party.name",
        prompt: "Name of the manufacturer or steward",
        help: "name, registered trade name or trademark (Annex II point 1)",
        need: Need::Required,
        choices: &[],
    },
    Question {
        key: "party.legal-person",
        prompt: "Is the steward a legal person (a foundation, association or company)?",
        help: "Article 3(14): only a legal person can be an open-source software steward; a group of individuals (\"the X developers\") is not one — name the legal entity, or choose the role that applies",
        need: Need::Steward,
        choices: &["yes", "no"],
    },
    Question {
        key: "party.address",
        prompt: "Postal address",
        help: "one line, parts separated by commas",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "party.email",
        prompt: "E-mail address of the manufacturer or steward",
        help: "general contact (the security contact is asked separately)",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "party.website",
        prompt: "Website",
        help: "https://…",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "support.end",
        prompt: "End of the support period (YYYY-MM)",
        help: "at least five years unless the product is used for less (Article 13(8)); stated as month and year (Article 13(19))",
        need: Need::Manufacturer,
        choices: &[],
    },
    Question {
        key: "support.reason",
        prompt: "Why this support period",
        help: "required when shorter than five years; recorded in Annex VII point 4",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "support.kind",
        prompt: "Kind of security support",
        help: "e.g. security fixes as patch releases of the latest minor version (Annex II point 7)",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "security.contact",
        prompt: "Security contact (single point of contact)",
        help: "an e-mail address or https URL where vulnerabilities are reported (Article 13(17))",
        need: Need::Required,
        choices: &[],
    },
    Question {
        key: "security.policy",
        prompt: "URL of the vulnerability disclosure policy",
        help: "e.g. the SECURITY.md page on the forge",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "security.advisories",
        prompt: "URL where advisories are published",
        help: "https://…",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "security.sbom",
        prompt: "URL where users can get the SBOM",
        help: "leave empty if the SBOM is not made available to users (Annex II point 9)",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "security.csaf",
        prompt: "CSAF provider-metadata.json URL",
        help: "only if you publish CSAF advisories",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "security.canonical",
        prompt: "URL where security.txt will be published",
        help: "https://<site>/.well-known/security.txt",
        need: Need::Optional,
        choices: &[],
    },
];

/// The questions `annex init` asks, in order. The CLI skips `Need::Manufacturer`
/// questions once `role` is `steward`, and `Need::Steward` ones otherwise.
pub fn questions() -> &'static [Question] {
    QUESTIONS
}
