//! What an extractor reads from: the [`Context`] of one subject (its planned companions,
//! the files it refers to, the problems met) over a [`Source`] the scan implements.

use crate::parse::ParseError;

/// What an extractor reads from: the planned companions of its subject and, by reference,
/// other files of the checkout. Implemented by the scan.
pub trait Source: Sync {
    /// Read a planned companion (by the path the subject is labelled with).
    fn read_text(&self, path: &str) -> Result<String, ParseError>;
    /// Read a file the subject refers to, by checkout-relative `/`-separated path; `None`
    /// when it is missing, leaves the checkout or may not be read.
    fn read_reference(&self, path: &str) -> Option<String>;
    /// The local Maven repository POMs and checksums may be read from.
    fn maven_repo(&self) -> Option<&std::path::Path> {
        None
    }
}

/// A [`Source`] with nothing in it: a file extracted alone.
struct Nothing;

impl Source for Nothing {
    fn read_text(&self, path: &str) -> Result<String, ParseError> {
        Err(ParseError::Io {
            path: path.to_string(),
            message: "not available".to_string(),
        })
    }
    fn read_reference(&self, _: &str) -> Option<String> {
        None
    }
}

/// The companions of one subject and the problems met reading them.
pub struct Context<'a> {
    companions: &'a [String],
    source: &'a dyn Source,
    problems: Vec<ParseError>,
}

impl<'a> Context<'a> {
    /// `companions`: the paths of the planned companions, nearest first.
    pub fn new(companions: &'a [String], source: &'a dyn Source) -> Self {
        Context {
            companions,
            source,
            problems: Vec::new(),
        }
    }

    /// A context without companions: the subject is read alone.
    pub fn alone() -> Context<'static> {
        Context::new(&[], &Nothing)
    }

    /// The planned companions (the one beside the subject first, then by path).
    pub fn companions(&self) -> &'a [String] {
        self.companions
    }

    /// Read a planned companion.
    pub fn read(&self, path: &str) -> Result<String, ParseError> {
        self.source.read_text(path)
    }

    /// The first planned companion (the one beside the subject), read and parsed by
    /// `parse(path, text)`; `None` when there is none, or when it cannot be read or parsed,
    /// which is then recorded as a problem and the subject is extracted without it.
    pub fn first_companion<T>(
        &mut self,
        parse: impl FnOnce(&str, &str) -> Result<T, ParseError>,
    ) -> Option<T> {
        let path = self.companions.first()?;
        match self.read(path).and_then(|t| parse(path, &t)) {
            Ok(v) => Some(v),
            Err(e) => {
                self.problem(e);
                None
            }
        }
    }

    /// Read a file the subject refers to (see [`Source::read_reference`]).
    pub fn read_reference(&self, path: &str) -> Option<String> {
        self.source.read_reference(path)
    }

    /// The local Maven repository, if the scan was given one.
    pub fn maven_repo(&self) -> Option<&std::path::Path> {
        self.source.maven_repo()
    }

    /// A companion that could not be read: reported, and the subject is still extracted
    /// with what remains.
    pub fn problem(&mut self, error: ParseError) {
        self.problems.push(error);
    }

    /// The problems recorded, in the order met.
    pub fn into_problems(self) -> Vec<ParseError> {
        self.problems
    }
}

/// The content as text for an extractor (see [`crate::parse::text`]).
pub(super) fn text(path: &str, content: &[u8]) -> Result<String, ParseError> {
    crate::parse::text(path, content).map(std::borrow::Cow::into_owned)
}
