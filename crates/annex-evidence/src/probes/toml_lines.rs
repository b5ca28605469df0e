//! A line-oriented reader of the simple TOML that manifests use for the keys we need
//! (`license = "MIT"` in `[package]`). It gives line numbers, never fails, and ignores
//! what it does not understand (multi-line strings and arrays).

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    String(String),
    /// `{ key = "string", … }`: only string entries are kept.
    InlineTable(Vec<(String, String)>),
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The table header (`package`, `tool.poetry`), `""` before any header.
    pub section: String,
    pub key: String,
    pub value: Value,
    pub line: u64,
}

pub(crate) fn entries(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut in_multiline: Option<&str> = None;
    for (raw, n) in text.lines().zip(1u64..) {
        let line = raw.trim();
        if let Some(delim) = in_multiline {
            if line.contains(delim) {
                in_multiline = None;
            }
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            if header.starts_with('[') {
                // array of tables: its keys belong to no section we read
                section = "[[]]".to_string();
            } else if let Some(end) = header.find(']') {
                section = header[..end]
                    .split('.')
                    .map(|p| p.trim().trim_matches('"'))
                    .collect::<Vec<_>>()
                    .join(".");
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches('"').trim_matches('\'').to_string();
        let value = value.trim();
        for delim in ["\"\"\"", "'''"] {
            if let Some(rest) = value.strip_prefix(delim)
                && !rest.contains(delim)
            {
                in_multiline = Some(delim);
            }
        }
        if in_multiline.is_some() {
            continue;
        }
        out.push(Entry {
            section: section.clone(),
            key,
            value: parse_value(value),
            line: n,
        });
    }
    out
}

fn parse_value(value: &str) -> Value {
    if let Some((s, _)) = string(value) {
        return Value::String(s);
    }
    if let Some(inner) = value.strip_prefix('{') {
        let inner = inner.rsplit_once('}').map_or(inner, |(i, _)| i);
        let mut pairs = Vec::new();
        let mut rest = inner;
        while let Some((k, after)) = rest.split_once('=') {
            let k = k.trim().trim_start_matches(',').trim().trim_matches('"');
            let after = after.trim_start();
            match string(after) {
                Some((v, tail)) => {
                    pairs.push((k.to_string(), v));
                    rest = tail;
                }
                None => {
                    rest = after.split_once(',').map_or("", |(_, t)| t);
                }
            }
        }
        return Value::InlineTable(pairs);
    }
    Value::Other
}

/// A basic (`"…"`, with escapes) or literal (`'…'`) string at the start of `s`; returns the
/// string and what follows it.
fn string(s: &str) -> Option<(String, &str)> {
    let mut chars = s.char_indices();
    let (_, quote) = chars.next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let mut out = String::new();
    let mut escaped = false;
    for (i, c) in chars {
        if escaped {
            out.push(match c {
                'n' => '\n',
                't' => '\t',
                other => other,
            });
            escaped = false;
        } else if c == '\\' && quote == '"' {
            escaped = true;
        } else if c == quote {
            return Some((out, &s[i + c.len_utf8()..]));
        } else {
            out.push(c);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_and_values() {
        let text = "name = 'top'\n[package]\nlicense = \"MIT\" # c\ndescription = \"\"\"\nlicense = \"no\"\n\"\"\"\n[ tool . \"poetry\" ]\nlicense={text=\"BSD\", file = 'L'}\n[[bin]]\nlicense = \"x\"\nbad = \"unterminated\n";
        let e = entries(text);
        let find = |s: &str, k: &str| {
            e.iter()
                .filter(|x| x.section == s && x.key == k)
                .map(|x| (x.line, x.value.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(find("", "name"), vec![(1, Value::String("top".into()))]);
        assert_eq!(
            find("package", "license"),
            vec![(3, Value::String("MIT".into()))]
        );
        assert_eq!(
            find("tool.poetry", "license"),
            vec![(
                8,
                Value::InlineTable(vec![
                    ("text".into(), "BSD".into()),
                    ("file".into(), "L".into())
                ])
            )]
        );
        assert_eq!(find("[[]]", "bad"), vec![(11, Value::Other)]);
    }
}
