//! What a document is: its kind (and who has it), its output format, the rendered text and
//! the TODOs it leaves.

use crate::error::DocsError;
use annex_spec::CraRole;
use serde::{Deserialize, Serialize};

/// Output format of a document. security.txt is plain text whatever the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    #[default]
    Markdown,
    /// A self-contained HTML page.
    Html,
}

/// Something a document needs and annex does not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Todo {
    /// The item it belongs to, with its number: `Annex II, point 5`, `Timeline`.
    pub item: String,
    /// What to supply, and the annex.toml key that supplies it.
    pub what: String,
}

/// A rendered document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Suggested path relative to the repository root (`SECURITY.md`,
    /// `.well-known/security.txt`, `docs/cra/technical-documentation.md`); for incident
    /// drafts a bare file name.
    pub file_name: String,
    pub content: String,
    pub todos: Vec<Todo>,
}

/// The documents `render` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// RFC 9116 security.txt.
    SecurityTxt,
    /// SECURITY.md: the coordinated vulnerability disclosure policy.
    SecurityMd,
    /// CONTRIBUTING.md.
    Contributing,
    /// Annex II: information and instructions to the user (manufacturer).
    UserInformation,
    /// Annex V: EU declaration of conformity (manufacturer).
    Declaration,
    /// Annex VI: simplified EU declaration of conformity (manufacturer).
    SimplifiedDeclaration,
    /// Annex VII: technical documentation (manufacturer).
    TechnicalDocumentation,
    /// Article 24: the steward's cybersecurity policy (steward).
    StewardPolicy,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::SecurityTxt,
        Kind::SecurityMd,
        Kind::Contributing,
        Kind::UserInformation,
        Kind::Declaration,
        Kind::SimplifiedDeclaration,
        Kind::TechnicalDocumentation,
        Kind::StewardPolicy,
    ];

    /// The name on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::SecurityTxt => "security-txt",
            Kind::SecurityMd => "security-md",
            Kind::Contributing => "contributing",
            Kind::UserInformation => "user-information",
            Kind::Declaration => "declaration",
            Kind::SimplifiedDeclaration => "simplified-declaration",
            Kind::TechnicalDocumentation => "technical-documentation",
            Kind::StewardPolicy => "steward-policy",
        }
    }

    /// Other accepted names.
    pub fn aliases(&self) -> &'static [&'static str] {
        match self {
            Kind::SecurityTxt => &["security.txt"],
            Kind::SecurityMd => &["SECURITY.md", "security-policy"],
            Kind::Contributing => &["CONTRIBUTING.md"],
            Kind::UserInformation => &["annex-ii"],
            Kind::Declaration => &["annex-v", "declaration-of-conformity"],
            Kind::SimplifiedDeclaration => &["annex-vi"],
            Kind::TechnicalDocumentation => &["annex-vii"],
            Kind::StewardPolicy => &["article-24", "cybersecurity-policy"],
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Kind::SecurityTxt => "security.txt (RFC 9116)",
            Kind::SecurityMd => "Security policy (SECURITY.md)",
            Kind::Contributing => "Contribution guide (CONTRIBUTING.md)",
            Kind::UserInformation => "Information and instructions to the user (Annex II)",
            Kind::Declaration => "EU declaration of conformity (Annex V)",
            Kind::SimplifiedDeclaration => "Simplified EU declaration of conformity (Annex VI)",
            Kind::TechnicalDocumentation => "Technical documentation (Annex VII)",
            Kind::StewardPolicy => {
                "Cybersecurity policy of the open-source software steward (Article 24)"
            }
        }
    }

    /// Whether the role has this document.
    pub fn applies_to(&self, role: CraRole) -> bool {
        match self {
            Kind::SecurityTxt | Kind::SecurityMd | Kind::Contributing => true,
            Kind::UserInformation
            | Kind::Declaration
            | Kind::SimplifiedDeclaration
            | Kind::TechnicalDocumentation => role == CraRole::Manufacturer,
            Kind::StewardPolicy => role == CraRole::Steward,
        }
    }

    /// The documents of a role, in the order `annex docs --all` writes them.
    pub fn for_role(role: CraRole) -> Vec<Kind> {
        Kind::ALL
            .into_iter()
            .filter(|k| k.applies_to(role))
            .collect()
    }

    fn base_name(&self) -> &'static str {
        match self {
            Kind::SecurityTxt => ".well-known/security.txt",
            Kind::SecurityMd => "SECURITY",
            Kind::Contributing => "CONTRIBUTING",
            Kind::UserInformation => "docs/cra/user-information",
            Kind::Declaration => "docs/cra/eu-declaration-of-conformity",
            Kind::SimplifiedDeclaration => "docs/cra/simplified-eu-declaration-of-conformity",
            Kind::TechnicalDocumentation => "docs/cra/technical-documentation",
            Kind::StewardPolicy => "docs/cra/cybersecurity-policy",
        }
    }

    /// The suggested path of the document in this format.
    pub fn file_name(&self, format: Format) -> String {
        match (self, format) {
            (Kind::SecurityTxt, _) => self.base_name().to_string(),
            (_, Format::Markdown) => format!("{}.md", self.base_name()),
            (_, Format::Html) => format!("{}.html", self.base_name()),
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Kind {
    type Err = DocsError;
    fn from_str(s: &str) -> Result<Kind, DocsError> {
        Kind::ALL
            .into_iter()
            .find(|k| {
                k.name().eq_ignore_ascii_case(s)
                    || k.aliases().iter().any(|a| a.eq_ignore_ascii_case(s))
            })
            .ok_or_else(|| DocsError::UnknownKind {
                name: s.to_string(),
                known: Kind::ALL.map(|k| k.name()).join(", "),
            })
    }
}
