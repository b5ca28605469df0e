//! annex-docs: the CRA documents of a product, written from `annex.toml` (product
//! metadata), the latest assessment, the SBOM and the vulnerability findings —
//! security.txt (RFC 9116, with a parser to check it), SECURITY.md, CONTRIBUTING.md, the
//! Annex II user information, the Annex V EU declaration of conformity, the Annex VI
//! simplified declaration, the Annex VII technical documentation, a steward's Article 24
//! cybersecurity policy — plus `annex init` proposals, the Article 14 reporting clocks and
//! report drafts (Markdown, JSON, CSAF 2.0), and the generators `annex fix` runs.
//!
//! The Annex documents follow the built-in CRA catalog (annex-spec): every catalog item
//! of the Annex appears with its number and legal anchor; what annex does not know is a
//! TODO naming the item, never invented. Library code never prints or exits.

mod annexes;
pub mod catalog;
mod contributing;
mod csaf;
mod document;
pub mod error;
pub mod fix;
pub mod incident;
pub mod init;
mod inputs;
mod markup;
pub mod metadata;
mod prose;
pub mod readback;
mod security_md;
pub mod security_txt;

pub use annex_spec::{CraRole, ProductClass};
pub use csaf::csaf_product;
pub use document::{Document, Format, Kind, Todo};
pub use error::DocsError;
pub use inputs::{FindingBrief, FindingsSummary, Inputs, SbomSummary};
pub use metadata::{
    Declaration, Documentation, METADATA_FILE, Metadata, NotifiedBody, Party, Product, Security,
    Signatory, Support, YearMonth,
};

/// Write one document. Errors: the document does not exist for the metadata's CRA role
/// (`DocsError::NotForRole`, saying why), or the built-in catalog cannot be read.
pub fn render(kind: Kind, inputs: &Inputs, format: Format) -> Result<Document, DocsError> {
    let m = inputs.metadata;
    if !kind.applies_to(m.role) {
        return Err(DocsError::NotForRole {
            document: kind.title().to_string(),
            role: m.role,
            why: not_for_role_reason(kind).to_string(),
        });
    }
    if kind == Kind::SecurityTxt {
        return Ok(security_txt::generate(inputs));
    }
    let doc = match kind {
        Kind::SecurityMd => security_md::build(inputs),
        Kind::Contributing => contributing::build(inputs),
        Kind::UserInformation => annexes::user_information(inputs)?,
        Kind::Declaration => annexes::declaration(inputs)?,
        Kind::SimplifiedDeclaration => annexes::simplified_declaration(inputs)?,
        Kind::TechnicalDocumentation => annexes::technical_documentation(inputs)?,
        Kind::StewardPolicy => annexes::steward_policy(inputs)?,
        Kind::SecurityTxt => unreachable!("handled above"),
    };
    Ok(finish(
        kind.file_name(format),
        doc,
        format,
        &title_of(kind, m),
        m.language(),
    ))
}

/// Write a document under `root` at its `file_name` through the one safe write
/// ([`annex_checkout::write_file`]): directories created without following symlinks, never
/// through a symlink. An existing file is replaced only with `force` (otherwise
/// `DocsError::Exists`). Returns the path.
pub fn write_document(
    root: &std::path::Path,
    doc: &Document,
    force: bool,
) -> Result<std::path::PathBuf, DocsError> {
    annex_checkout::write_file(root, &doc.file_name, doc.content.as_bytes(), force).map_err(|e| {
        match e {
            annex_checkout::WriteError::Exists { path } => DocsError::Exists { path },
            other => DocsError::Write(other),
        }
    })
}

fn title_of(kind: Kind, m: &Metadata) -> String {
    format!(
        "{} — {} {}",
        kind.title(),
        m.product.name,
        m.product.version
    )
}

pub(crate) fn finish(
    file_name: String,
    doc: markup::Doc,
    format: Format,
    title: &str,
    lang: &str,
) -> Document {
    let content = match format {
        Format::Markdown => markup::to_markdown(&doc),
        Format::Html => markup::to_html(&doc, title, lang),
    };
    Document {
        file_name,
        content,
        todos: doc.todos(),
    }
}

fn not_for_role_reason(kind: Kind) -> &'static str {
    match kind {
        Kind::Declaration | Kind::SimplifiedDeclaration => {
            "the EU declaration of conformity is drawn up by the manufacturer once a conformity assessment has shown that the product meets Annex I (Articles 13(12) and 28); an open-source software steward places no product on the market, undergoes no conformity assessment and declares nothing — its obligations are those of Article 24 (see `steward-policy`)"
        }
        Kind::TechnicalDocumentation => {
            "the Annex VII technical documentation is drawn up by the manufacturer before placing the product on the market (Articles 13(12) and 31); an open-source software steward's obligations are those of Article 24 (see `steward-policy`)"
        }
        Kind::UserInformation => {
            "the Annex II information and instructions accompany a product its manufacturer places on the market (Article 13(18)); an open-source software steward's obligations are those of Article 24 (see `steward-policy`, SECURITY.md and security.txt)"
        }
        Kind::StewardPolicy => {
            "the Article 24 cybersecurity policy is the obligation of an open-source software steward; a manufacturer describes its vulnerability handling in SECURITY.md and in the technical documentation (Annex VII, point 2(b))"
        }
        Kind::SecurityTxt | Kind::SecurityMd | Kind::Contributing => "",
    }
}
