//! A JSON (and JSONC: comments, trailing commas) parser that keeps the line and column of
//! every value and key. Bounded nesting ([`MAX_DEPTH`]); errors are [`ParseError::Syntax`].
//! Positions come from one [`LineIndex`] built per document, so a minified file costs the
//! same per value as a pretty-printed one (never a recount from the line start).

use annex_types::location::LineIndex;

use super::error::{MAX_DEPTH, ParseError, invalid};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number as written.
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u64,
    pub col: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub line: u64,
    pub col: u64,
    pub value: Node,
}

impl Node {
    /// The member `key` of an object (the last one when repeated, as JSON parsers do).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Object(m) => m.iter().rev().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }
    pub fn member(&self, key: &str) -> Option<&Member> {
        match &self.value {
            Value::Object(m) => m.iter().rev().find(|m| m.key == key),
            _ => None,
        }
    }
    pub fn members(&self) -> &[Member] {
        match &self.value {
            Value::Object(m) => m,
            _ => &[],
        }
    }
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Array(a) => a,
            _ => &[],
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Node::as_bool).unwrap_or(false)
    }
    pub fn is_object(&self) -> bool {
        matches!(self.value, Value::Object(_))
    }
    /// The number as an integer, when it is one.
    pub fn as_u64(&self) -> Option<u64> {
        match &self.value {
            Value::Number(n) => n.parse().ok(),
            _ => None,
        }
    }
}

/// Parse strict JSON.
pub fn parse(path: &str, text: &str) -> Result<Node, ParseError> {
    Parser::new(path, text, false).document()
}

/// Parse JSONC: `//` and `/* */` comments and trailing commas allowed.
pub fn parse_jsonc(path: &str, text: &str) -> Result<Node, ParseError> {
    Parser::new(path, text, true).document()
}

/// `doc` when it is an object; else an error at its position: "`what` must be a JSON object".
pub(crate) fn object(path: &str, doc: Node, what: &str) -> Result<Node, ParseError> {
    if doc.is_object() {
        Ok(doc)
    } else {
        Err(invalid(
            path,
            doc.line,
            doc.col,
            format!("{what} must be a JSON object"),
        ))
    }
}

struct Parser<'a> {
    path: &'a str,
    b: &'a [u8],
    text: &'a str,
    pos: usize,
    lines: LineIndex<'a>,
    jsonc: bool,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn new(path: &'a str, text: &'a str, jsonc: bool) -> Self {
        Parser {
            path,
            b: text.as_bytes(),
            text,
            pos: 0,
            lines: LineIndex::new(text),
            jsonc,
            depth: 0,
        }
    }

    /// 1-based line and column of the current position.
    fn here(&self) -> (u64, u64) {
        self.lines.line_col(self.pos)
    }

    fn err(&self, expected: &str) -> ParseError {
        let what = match self.b.get(self.pos) {
            None => "end of file".to_string(),
            Some(_) => {
                let c = self.text.get(self.pos..).and_then(|s| s.chars().next());
                match c {
                    Some(c) if !c.is_control() => format!("`{c}`"),
                    Some(c) => format!("{:?}", c),
                    None => "invalid byte".to_string(),
                }
            }
        };
        let (line, col) = self.here();
        ParseError::syntax(self.path, line, col, format!("{expected}, found {what}"))
    }

    fn document(mut self) -> Result<Node, ParseError> {
        self.ws()?;
        let v = self.value()?;
        self.ws()?;
        if self.pos < self.b.len() {
            return Err(self.err("end of document"));
        }
        Ok(v)
    }

    fn ws(&mut self) -> Result<(), ParseError> {
        while let Some(&c) = self.b.get(self.pos) {
            match c {
                b' ' | b'\t' | b'\r' | b'\n' => self.pos += 1,
                b'/' if self.jsonc => match self.b.get(self.pos + 1) {
                    Some(b'/') => {
                        while let Some(&c) = self.b.get(self.pos) {
                            if c == b'\n' {
                                break;
                            }
                            self.pos += 1;
                        }
                    }
                    Some(b'*') => {
                        self.pos += 2;
                        loop {
                            match self.b.get(self.pos) {
                                None => return Err(self.err("`*/` closing the comment")),
                                Some(b'*') if self.b.get(self.pos + 1) == Some(&b'/') => {
                                    self.pos += 2;
                                    break;
                                }
                                Some(_) => self.pos += 1,
                            }
                        }
                    }
                    _ => return Ok(()),
                },
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    fn value(&mut self) -> Result<Node, ParseError> {
        let (line, col) = self.here();
        let value = match self.b.get(self.pos) {
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.word("true", Value::Bool(true))?,
            Some(b'f') => self.word("false", Value::Bool(false))?,
            Some(b'n') => self.word("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.err("a JSON value")),
        };
        Ok(Node { value, line, col })
    }

    fn word(&mut self, w: &str, v: Value) -> Result<Value, ParseError> {
        if self.b[self.pos..].starts_with(w.as_bytes()) {
            self.pos += w.len();
            Ok(v)
        } else {
            Err(self.err(&format!("`{w}`")))
        }
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        if self.b.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.pos;
            while p.b.get(p.pos).is_some_and(u8::is_ascii_digit) {
                p.pos += 1;
            }
            p.pos > s
        };
        if !digits(self) {
            return Err(self.err("a digit"));
        }
        if self.b.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.err("a digit after `.`"));
            }
        }
        if matches!(self.b.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.b.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.err("a digit in the exponent"));
            }
        }
        Ok(Value::Number(self.text[start..self.pos].to_string()))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let h = self
            .b
            .get(self.pos..self.pos + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.err("four hex digits after `\\u`"))?;
        self.pos += 4;
        Ok(h)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(&c) = self.b.get(self.pos) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[start..self.pos]);
            match self.b.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = self
                        .b
                        .get(self.pos)
                        .copied()
                        .ok_or_else(|| self.err("an escape character"))?;
                    self.pos += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi)
                                && self.b.get(self.pos..self.pos + 2) == Some(b"\\u")
                            {
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    0xFFFD
                                }
                            } else {
                                hi
                            };
                            out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        }
                        _ => {
                            self.pos -= 1;
                            return Err(
                                self.err("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)")
                            );
                        }
                    }
                }
                _ => return Err(self.err("`\"` closing the string")),
            }
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let (line, col) = self.here();
            return Err(ParseError::TooDeep {
                path: self.path.to_string(),
                line,
                col,
                limit: MAX_DEPTH,
            });
        }
        Ok(())
    }

    fn array(&mut self) -> Result<Value, ParseError> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.ws()?;
        if self.b.get(self.pos) == Some(&b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.ws()?;
            if self.jsonc && !items.is_empty() && self.b.get(self.pos) == Some(&b']') {
                self.pos += 1;
                break;
            }
            items.push(self.value()?);
            self.ws()?;
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.err("`,` or `]`")),
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    fn object(&mut self) -> Result<Value, ParseError> {
        self.enter()?;
        self.pos += 1;
        let mut members = Vec::new();
        self.ws()?;
        if self.b.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.ws()?;
            if self.jsonc && !members.is_empty() && self.b.get(self.pos) == Some(&b'}') {
                self.pos += 1;
                break;
            }
            if self.b.get(self.pos) != Some(&b'"') {
                return Err(self.err("`\"` starting a key"));
            }
            let (line, col) = self.here();
            let key = self.string()?;
            self.ws()?;
            if self.b.get(self.pos) != Some(&b':') {
                return Err(self.err("`:` after the key"));
            }
            self.pos += 1;
            self.ws()?;
            let value = self.value()?;
            members.push(Member {
                key,
                line,
                col,
                value,
            });
            self.ws()?;
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.err("`,` or `}`")),
            }
        }
        self.depth -= 1;
        Ok(Value::Object(members))
    }
}
