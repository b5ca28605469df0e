//! CycloneDX XML reader (any 1.x namespace): the same packages the JSON reader gives.
//!
//! Components counted are those on the paths `bom/components/component`,
//! `bom/metadata/component` (the root) and their nested `components/component`; tools,
//! pedigree and evidence components are not packages of the BOM. Direct children read:
//! `group`, `name`, `version`, `purl`, `scope`, `properties/property[@name]`, and the
//! `bom-ref` attribute.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::cyclonedx::cdx_to_package;
use super::model::{ReadError, SbomDocument, SbomFormat, SbomPackage};

/// Deepest element nesting accepted.
const MAX_DEPTH: usize = 512;

#[derive(Default)]
struct Comp {
    depth: usize,
    slot: usize,
    root: bool,
    bom_ref: Option<String>,
    group: Option<String>,
    name: Option<String>,
    version: Option<String>,
    purl: Option<String>,
    scope: Option<String>,
    props: Vec<(String, String)>,
}

/// What the text being read belongs to.
enum Field {
    Group,
    Name,
    Version,
    Purl,
    Scope,
    Property(String),
}

fn syntax(bytes: &[u8], pos: u64, message: String) -> ReadError {
    // Columns in bytes, as the XML reader counts positions.
    let (line, column) = annex_types::LineIndex::from_bytes(bytes)
        .line_byte_col(usize::try_from(pos).unwrap_or(usize::MAX));
    let (line, column) = (line as usize, column as usize);
    ReadError::Syntax {
        line,
        column,
        message,
    }
}

fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

/// Whether the element path (ending in `component`) is a component of the BOM.
fn is_bom_component(path: &[String]) -> bool {
    if path.first().map(String::as_str) != Some("bom") || path.len() < 3 {
        return false;
    }
    let rest = &path[1..];
    let tail = match rest[0].as_str() {
        "metadata" => {
            if rest[1] != "component" {
                return false;
            }
            &rest[2..]
        }
        "components" => {
            if rest[1] != "component" {
                return false;
            }
            &rest[2..]
        }
        _ => return false,
    };
    tail.chunks(2)
        .all(|c| c.len() == 2 && c[0] == "components" && c[1] == "component")
}

pub(super) fn read_cyclonedx_xml(bytes: &[u8]) -> Result<SbomDocument, ReadError> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut open: Vec<Comp> = Vec::new();
    let mut slots: Vec<Option<(bool, SbomPackage)>> = Vec::new();
    let mut field: Option<(usize, Field)> = None;
    let mut text = String::new();
    let mut version: Option<String> = None;

    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| syntax(bytes, reader.error_position(), e.to_string()))?;
        let (start, empty) = match &ev {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = local(&e);
            if path.is_empty() {
                if name != "bom" {
                    return Err(ReadError::UnknownFormat);
                }
                let ns = attr(&e, "xmlns").unwrap_or_default();
                let v = ns
                    .strip_prefix("http://cyclonedx.org/schema/bom/")
                    .ok_or(ReadError::UnknownFormat)?;
                if !v.starts_with("1.") {
                    return Err(ReadError::UnsupportedVersion {
                        format: "CycloneDX".into(),
                        version: v.to_string(),
                    });
                }
                version = Some(v.to_string());
            }
            path.push(name.clone());
            if path.len() > MAX_DEPTH {
                return Err(syntax(
                    bytes,
                    reader.buffer_position(),
                    format!("nested more than {MAX_DEPTH} elements deep"),
                ));
            }
            let depth = path.len();
            if name == "component" && is_bom_component(&path) {
                slots.push(None);
                open.push(Comp {
                    depth,
                    slot: slots.len() - 1,
                    root: path.get(1).map(String::as_str) == Some("metadata") && depth == 3,
                    bom_ref: attr(&e, "bom-ref"),
                    ..Comp::default()
                });
            } else if let Some(c) = open.last() {
                let f = if depth == c.depth + 1 {
                    match name.as_str() {
                        "group" => Some(Field::Group),
                        "name" => Some(Field::Name),
                        "version" => Some(Field::Version),
                        "purl" => Some(Field::Purl),
                        "scope" => Some(Field::Scope),
                        _ => None,
                    }
                } else if depth == c.depth + 2
                    && name == "property"
                    && path[depth - 2] == "properties"
                {
                    attr(&e, "name").map(Field::Property)
                } else {
                    None
                };
                if let Some(f) = f {
                    field = Some((depth, f));
                    text.clear();
                }
            }
            if !empty {
                buf.clear();
                continue;
            }
        }
        match ev {
            Event::Text(t) if field.is_some() => text.push_str(&t.xml10_content()),
            Event::CData(t) if field.is_some() => text.push_str(&t.into_inner()),
            Event::GeneralRef(r) if field.is_some() => {
                let name: String = r.as_ref().to_string();
                let c = match name.as_str() {
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "amp" => Some('&'),
                    "apos" => Some('\''),
                    "quot" => Some('"'),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                match c {
                    Some(c) => text.push(c),
                    // A DTD entity (`&xxe;`) is never expanded; dropping it would change a
                    // name or version without a word.
                    None => {
                        return Err(syntax(
                            bytes,
                            reader.buffer_position(),
                            format!(
                                "a character reference or one of XML's five entities, not `&{};` \
                                 (annex does not expand DTD entities)",
                                name.chars().take(64).collect::<String>()
                            ),
                        ));
                    }
                }
            }
            Event::End(_) | Event::Empty(_) => {
                let depth = path.len();
                if let Some((d, _)) = &field
                    && *d == depth
                    && let Some((_, f)) = field.take()
                    && let Some(c) = open.last_mut()
                {
                    let v = std::mem::take(&mut text);
                    match f {
                        Field::Group => c.group = Some(v),
                        Field::Name => c.name = Some(v),
                        Field::Version => c.version = Some(v),
                        Field::Purl => c.purl = Some(v.trim().to_string()),
                        Field::Scope => c.scope = Some(v),
                        Field::Property(n) => c.props.push((n, v)),
                    }
                }
                if open.last().is_some_and(|c| c.depth == depth)
                    && let Some(c) = open.pop()
                {
                    let props: Vec<(&str, &str)> = c
                        .props
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    let p = cdx_to_package(
                        c.bom_ref,
                        c.group.as_deref(),
                        c.name.as_deref(),
                        c.version,
                        c.purl,
                        c.scope.as_deref(),
                        &props,
                    );
                    slots[c.slot] = Some((c.root, p));
                }
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !path.is_empty() {
        return Err(syntax(
            bytes,
            reader.buffer_position(),
            format!("unexpected end of input inside <{}>", path.join("/")),
        ));
    }
    let Some(version) = version else {
        return Err(ReadError::UnknownFormat);
    };
    let mut roots: Vec<SbomPackage> = Vec::new();
    let mut packages = Vec::new();
    for (root, p) in slots.into_iter().flatten() {
        if root {
            roots.push(p);
        } else {
            packages.push(p);
        }
    }
    Ok(SbomDocument {
        format: SbomFormat::CycloneDx,
        spec_version: version,
        roots,
        packages,
    })
}
