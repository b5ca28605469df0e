//! Recognising a VEX document's format by its content, and reading files within a size
//! budget.

use std::path::Path;

use crate::reader::parse_json;
use crate::statement::{ReadMode, VexDocument, VexError};
use crate::{csaf, cyclonedx, openvex};

/// Largest VEX document [`read_path`] reads.
pub const MAX_DOCUMENT_SIZE: u64 = 64 << 20;

/// Reads a VEX document of any supported format (recognised by its content). `document` names
/// it in statements' sources and in errors.
pub fn read(bytes: &[u8], document: &str, mode: ReadMode) -> Result<VexDocument, VexError> {
    let value = parse_json(bytes, document)?;
    if openvex::is_openvex(&value) {
        openvex::read_value(&value, document, mode)
    } else if cyclonedx::is_cyclonedx(&value) {
        cyclonedx::read_value(&value, document, mode)
    } else if csaf::is_csaf(&value) {
        csaf::read_value(&value, document, mode)
    } else {
        Err(VexError::UnknownFormat {
            document: document.to_string(),
            message: "no OpenVEX `@context`, CycloneDX `bomFormat` or CSAF `document.csaf_version`"
                .into(),
        })
    }
}

/// Reads a VEX file (at most [`MAX_DOCUMENT_SIZE`] bytes).
pub fn read_path(path: &Path, mode: ReadMode) -> Result<VexDocument, VexError> {
    use std::io::Read;
    let io = |source| VexError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_DOCUMENT_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let document = path.display().to_string();
    if bytes.len() as u64 > MAX_DOCUMENT_SIZE {
        return Err(VexError::TooLarge {
            document,
            size: bytes.len() as u64,
            limit: MAX_DOCUMENT_SIZE,
        });
    }
    read(&bytes, &document, mode)
}
