use std::fmt;

/// A position in a source file; line and column are 1-based, 0 when unknown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Pos {
    pub file: String,
    pub line: u64,
    pub col: u64,
}

impl Pos {
    pub fn new(file: impl Into<String>, line: u64, col: u64) -> Self {
        Pos {
            file: file.into(),
            line,
            col,
        }
    }

    pub fn of<T>(file: &str, spanned: &serde_saphyr::Spanned<T>) -> Self {
        Pos::new(file, spanned.referenced.line(), spanned.referenced.column())
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.col) {
            (0, _) => write!(f, "{}", self.file),
            (l, 0) => write!(f, "{}:{l}", self.file),
            (l, c) => write!(f, "{}:{l}:{c}", self.file),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("{pos}: {message}")]
    Parse { pos: Pos, message: String },
    #[error("{pos}: {message}")]
    Invalid { pos: Pos, message: String },
    #[error("{pos}: unknown {what} `{id}`{}", hint(.suggestion))]
    UnknownId {
        pos: Pos,
        what: &'static str,
        id: String,
        suggestion: Option<String>,
    },
    #[error("unknown {what} `{id}`{}", hint(.suggestion))]
    NotFound {
        what: &'static str,
        id: String,
        suggestion: Option<String>,
    },
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{count} problem(s) found:\n{}", .problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
    Many {
        count: usize,
        problems: Vec<SpecError>,
    },
}

fn hint(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

impl SpecError {
    pub fn invalid(pos: Pos, message: impl Into<String>) -> Self {
        SpecError::Invalid {
            pos,
            message: message.into(),
        }
    }

    pub fn from_yaml(file: &str, err: &serde_saphyr::Error) -> Self {
        let (line, col) = err
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let message = yaml_message(err);
        SpecError::Parse {
            pos: Pos::new(file, line, col),
            message,
        }
    }

    pub fn many(mut problems: Vec<SpecError>) -> Self {
        if problems.len() == 1 {
            return problems.remove(0);
        }
        SpecError::Many {
            count: problems.len(),
            problems,
        }
    }
}

/// serde-saphyr's Display renders a snippet; keep only the first line, the message itself.
fn yaml_message(err: &serde_saphyr::Error) -> String {
    let full = err.to_string();
    let first = full.lines().next().unwrap_or("invalid YAML").trim();
    // Drop a leading "line X column Y: " style prefix if present: we print our own position.
    let mut msg = first.strip_prefix("error: ").unwrap_or(first).trim();
    // serde-saphyr starts with "line L column C: "; we print our own position.
    if let Some(rest) = msg.strip_prefix("line ")
        && let Some((_, after)) = rest.split_once(": ")
        && rest
            .split_once(": ")
            .is_some_and(|(pos, _)| pos.contains("column"))
    {
        msg = after;
    }
    let msg = msg.to_string();
    if msg.is_empty() {
        "invalid YAML".to_string()
    } else {
        msg
    }
}

/// The closest id among `known` to `id`, if any is reasonably close.
pub fn nearest<'a>(id: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for k in known {
        let score = strsim::jaro_winkler(&id.to_ascii_lowercase(), &k.to_ascii_lowercase());
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, k));
        }
    }
    best.filter(|(s, _)| *s >= 0.8).map(|(_, k)| k.to_string())
}
