//! Binary detection by magic bytes (never by extension alone).

use crate::model::BinaryKind;

/// How many bytes of a file over the size cap are read to sniff it: enough for the PE
/// header offset check, far less than the file.
pub(crate) const LARGE_HEAD: usize = 1024;

/// Zip containers that are documents rather than shipped code.
const DOCUMENT_ZIPS: &[&str] = &[
    "docx", "xlsx", "pptx", "odt", "ods", "odp", "odg", "epub", "key", "pages", "numbers",
];

const JAR_EXTS: &[&str] = &["jar", "war", "ear", "aar"];

/// Identify an executable, class file, module or archive from the first bytes of a file.
/// `ext` is the lowercase extension, used only to name a zip (`jar` vs `archive`).
pub(crate) fn sniff(head: &[u8], ext: &str) -> Option<BinaryKind> {
    let magic4: [u8; 4] = head.get(..4)?.try_into().ok()?;
    match magic4 {
        [0x7f, b'E', b'L', b'F'] => Some(BinaryKind::Elf),
        [0xfe, 0xed, 0xfa, 0xce | 0xcf] | [0xce | 0xcf, 0xfa, 0xed, 0xfe] => {
            Some(BinaryKind::Macho)
        }
        [0xca, 0xfe, 0xba, 0xbf] => Some(BinaryKind::Macho),
        [0xca, 0xfe, 0xba, 0xbe] => {
            // Mach-O universal binaries and Java class files share the magic. After it, a
            // fat header has a big-endian architecture count (small), a class file its
            // minor and major version (major >= 45), read together as one u32.
            let next: [u8; 4] = head.get(4..8)?.try_into().ok()?;
            let n = u32::from_be_bytes(next);
            if n == 0 {
                None
            } else if n < 45 {
                Some(BinaryKind::Macho)
            } else {
                Some(BinaryKind::JavaClass)
            }
        }
        [0x00, b'a', b's', b'm'] => Some(BinaryKind::Wasm),
        [b'P', b'K', 0x03, 0x04] | [b'P', b'K', 0x05, 0x06] => {
            if JAR_EXTS.contains(&ext) {
                Some(BinaryKind::Jar)
            } else if DOCUMENT_ZIPS.contains(&ext) {
                None
            } else {
                Some(BinaryKind::Archive)
            }
        }
        [b'M', b'Z', ..] => is_pe(head).then_some(BinaryKind::Pe),
        [0x1f, 0x8b, 0x08, _] => Some(BinaryKind::Archive),
        [0x28, 0xb5, 0x2f, 0xfd] => Some(BinaryKind::Archive),
        [0xfd, b'7', b'z', b'X'] if head.get(4..6) == Some(b"Z\0") => Some(BinaryKind::Archive),
        [b'7', b'z', 0xbc, 0xaf] if head.get(4..6) == Some(&[0x27, 0x1c]) => {
            Some(BinaryKind::Archive)
        }
        [b'R', b'a', b'r', b'!'] if head.get(4..6) == Some(&[0x1a, 0x07]) => {
            Some(BinaryKind::Archive)
        }
        [b'B', b'Z', b'h', b'1'..=b'9']
            if head.get(4..10) == Some(&[0x31, 0x41, 0x59, 0x26, 0x53, 0x59]) =>
        {
            Some(BinaryKind::Archive)
        }
        _ => None,
    }
}

/// `MZ` followed by a valid offset (at 0x3c) to a `PE\0\0` signature.
fn is_pe(head: &[u8]) -> bool {
    let Some(off) = head.get(0x3c..0x40) else {
        return false;
    };
    let Ok(off) = <[u8; 4]>::try_from(off) else {
        return false;
    };
    let off = u32::from_le_bytes(off) as usize;
    off >= 0x40
        && off
            .checked_add(4)
            .and_then(|end| head.get(off..end))
            .is_some_and(|sig| sig == b"PE\0\0")
}

/// Whether the sniffed head looks like text (no binary magic and no NUL byte).
pub(crate) fn looks_textual(head: &[u8]) -> bool {
    !head.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pe() -> Vec<u8> {
        let mut v = vec![0u8; 0x100];
        v[0] = b'M';
        v[1] = b'Z';
        v[0x3c..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        v[0x80..0x84].copy_from_slice(b"PE\0\0");
        v
    }

    #[test]
    fn magics() {
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0", ""), Some(BinaryKind::Elf));
        assert_eq!(sniff(&pe(), "dll"), Some(BinaryKind::Pe));
        assert_eq!(sniff(b"MZ is a text that starts oddly", "txt"), None);
        assert_eq!(
            sniff(b"\xcf\xfa\xed\xfe\x07\0\0\x01", ""),
            Some(BinaryKind::Macho)
        );
        assert_eq!(
            sniff(b"\xca\xfe\xba\xbe\0\0\0\x02", ""),
            Some(BinaryKind::Macho)
        );
        assert_eq!(
            sniff(b"\xca\xfe\xba\xbe\0\0\0\x34", "class"),
            Some(BinaryKind::JavaClass)
        );
        assert_eq!(sniff(b"\0asm\x01\0\0\0", ""), Some(BinaryKind::Wasm));
        assert_eq!(sniff(b"PK\x03\x04\x14\0", "jar"), Some(BinaryKind::Jar));
        assert_eq!(sniff(b"PK\x03\x04\x14\0", "whl"), Some(BinaryKind::Archive));
        assert_eq!(sniff(b"PK\x03\x04\x14\0", "docx"), None);
        assert_eq!(sniff(b"\x1f\x8b\x08\0", "gz"), Some(BinaryKind::Archive));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n", "png"), None);
        assert_eq!(sniff(b"ELF", ""), None);
        assert_eq!(sniff(b"", ""), None);
    }

    #[test]
    fn pe_offset_out_of_range_is_not_pe() {
        let mut v = pe();
        v[0x3c..0x40].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(sniff(&v, "exe"), None);
    }
}
