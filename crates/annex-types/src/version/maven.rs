//! Maven: `ComparableVersion` of maven-artifact 3.8 (the version the peer's generated
//! vectors come from), made a total order.
//!
//! Parsing is Maven's: lower-cased; split at `.`, at `-` (which opens a sub-list) and at
//! every switch between digits and other characters (which also opens a sub-list); an
//! empty part is `0`; `a`, `b`, `m` directly followed by a digit mean `alpha`, `beta`,
//! `milestone`; `ga`, `final` and `release` mean the empty qualifier and `cr` means `rc`;
//! each list then drops its trailing "null" items (`0`, the empty qualifier, empty lists),
//! including those just before a sub-list. As the Maven specification (pom.xml "Version
//! Order Specification") says, a sub-list left holding only another sub-list is the same
//! as that sub-list (`1-ga-1` = `1-1`).
//!
//! Qualifiers order `alpha` < `beta` < `milestone` < `rc` < `snapshot` < (release) < `sp`
//! < any other word (alphabetically). Lists compare item by item, the shorter padded with
//! "null".
//!
//! Maven's own comparator is not transitive: `0` equals "null" yet sorts after every
//! sub-list, while "null" sorts before a sub-list that is newer than a release, so
//! `5-1` < `5.0.0.RC1` < `5` < `5-1`. A total order must break such cycles somewhere;
//! this one gives every item a class, with "nothing" (the end of a shorter list) in the
//! middle, and orders classes first:
//!
//! 1. a pre-release qualifier; 2. a sub-list older than a release; 3. a null item followed
//!    by something older than a release; 4. nothing; 5. a `sp` or other qualifier;
//! 6. a sub-list newer than a release; 7. a null item followed by something newer;
//! 8. a non-zero number.
//!
//! This agrees with Maven 3.8 except when a number-led part that is older than a release
//! (`.0.0.RC1`) meets a newer sub-list (`-1`, `-gradle…`) at the same position: Maven says
//! the number wins; here it sorts with "older than the release" (`2.9.0-1` >
//! `2.9.0.RC1`).

use std::cmp::Ordering;

use super::num::Num;

/// A parsed item, before keying.
enum Raw {
    Int(Num),
    Str(Box<str>),
    List(Vec<Raw>),
}

impl Raw {
    fn is_null(&self) -> bool {
        match self {
            Raw::Int(n) => n.is_zero(),
            Raw::Str(s) => s.is_empty(),
            Raw::List(l) => l.is_empty(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    PreQualifier,
    OlderList,
    NullBeforeOlder,
    Nothing,
    NewerQualifier,
    NewerList,
    NullBeforeNewer,
    Number,
}

/// A qualifier: its rank among the known ones, or 7 and its text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Qualifier {
    rank: u8,
    text: Box<str>,
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_RANK: u8 = 5;

#[derive(Clone, Debug)]
enum Value {
    Null,
    Number(Num),
    Qualifier(Qualifier),
    List(Vec<Item>),
}

#[derive(Clone, Debug)]
struct Item {
    class: Class,
    value: Value,
}

#[derive(Clone, Debug)]
/// A parsed Maven version, ordered as Maven's `ComparableVersion` orders them.
pub struct MavenVersion(Vec<Item>);

/// Parse a Maven version; the error says why it is not one.
pub fn parse(s: &str) -> Result<MavenVersion, &'static str> {
    let (items, _) = key(parse_raw(s));
    Ok(MavenVersion(items))
}

fn string_item(s: &[u8], followed_by_digit: bool) -> Raw {
    let text = match (s, followed_by_digit) {
        (b"a", true) => "alpha".into(),
        (b"b", true) => "beta".into(),
        (b"m", true) => "milestone".into(),
        (b"ga" | b"final" | b"release", _) => "".into(),
        (b"cr", _) => "rc".into(),
        _ => String::from_utf8_lossy(s).into(),
    };
    Raw::Str(text)
}

fn item(is_digit: bool, s: &[u8]) -> Raw {
    if is_digit {
        Raw::Int(Num::new(&String::from_utf8_lossy(s)))
    } else {
        string_item(s, false)
    }
}

/// Maven's `ComparableVersion.parseVersion`, then normalisation.
fn parse_raw(s: &str) -> Vec<Raw> {
    let v = s.to_ascii_lowercase().into_bytes();
    // The open lists, outermost first; each new list is the last item of the one before.
    let mut stack: Vec<Vec<Raw>> = vec![Vec::new()];
    let mut is_digit = false;
    let mut start = 0;
    for (i, &c) in v.iter().enumerate() {
        let top = stack.len() - 1;
        if c == b'.' || c == b'-' {
            let it = if i == start {
                Raw::Int(Num::zero())
            } else {
                item(is_digit, &v[start..i])
            };
            stack[top].push(it);
            start = i + 1;
            if c == b'-' {
                stack.push(Vec::new());
            }
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                stack[top].push(string_item(&v[start..i], true));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                stack[top].push(item(true, &v[start..i]));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = false;
        }
    }
    if v.len() > start {
        let top = stack.len() - 1;
        stack[top].push(item(is_digit, &v[start..]));
    }
    while stack.len() > 1 {
        let mut inner = stack.pop().unwrap_or_default();
        normalize(&mut inner);
        while inner.len() == 1 && matches!(inner[0], Raw::List(_)) {
            let Some(Raw::List(only)) = inner.pop() else {
                break;
            };
            inner = only;
        }
        if let Some(parent) = stack.last_mut() {
            parent.push(Raw::List(inner));
        }
    }
    let mut root = stack.pop().unwrap_or_default();
    normalize(&mut root);
    root
}

/// Drops trailing null items, looking past (non-null) sub-lists.
fn normalize(list: &mut Vec<Raw>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if list[i].is_null() {
            list.remove(i);
        } else if !matches!(list[i], Raw::List(_)) {
            break;
        }
    }
}

/// Gives each item its class; returns the items and the list's direction relative to a
/// release (-1 older, 0 equal, 1 newer), which is that of its first non-null item.
fn key(list: Vec<Raw>) -> (Vec<Item>, i8) {
    let mut items = Vec::with_capacity(list.len());
    let mut after: i8 = 0;
    for raw in list.into_iter().rev() {
        let (class, value, direction) = match raw {
            Raw::Int(n) if n.is_zero() => (null_class(after), Value::Null, after),
            Raw::Int(n) => (Class::Number, Value::Number(n), 1),
            Raw::Str(s) if s.is_empty() => (null_class(after), Value::Null, after),
            Raw::Str(s) => {
                let rank = QUALIFIERS
                    .iter()
                    .position(|q| **q == *s)
                    .map_or(QUALIFIERS.len() as u8, |p| p as u8);
                let text = if usize::from(rank) == QUALIFIERS.len() {
                    s
                } else {
                    "".into()
                };
                if rank < RELEASE_RANK {
                    (
                        Class::PreQualifier,
                        Value::Qualifier(Qualifier { rank, text }),
                        -1,
                    )
                } else {
                    (
                        Class::NewerQualifier,
                        Value::Qualifier(Qualifier { rank, text }),
                        1,
                    )
                }
            }
            Raw::List(l) => match key(l) {
                (sub, -1) => (Class::OlderList, Value::List(sub), -1),
                (sub, 1) => (Class::NewerList, Value::List(sub), 1),
                _ => (null_class(after), Value::Null, after),
            },
        };
        items.push(Item { class, value });
        after = direction;
    }
    items.reverse();
    (items, after)
}

fn null_class(after: i8) -> Class {
    match after {
        -1 => Class::NullBeforeOlder,
        1 => Class::NullBeforeNewer,
        _ => Class::Nothing,
    }
}

fn cmp_items(a: &[Item], b: &[Item]) -> Ordering {
    for k in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(k), b.get(k));
        let class = |i: Option<&Item>| i.map_or(Class::Nothing, |i| i.class);
        let order = class(x).cmp(&class(y)).then_with(|| {
            match (x.map(|i| &i.value), y.map(|i| &i.value)) {
                (Some(Value::Number(m)), Some(Value::Number(n))) => m.cmp(n),
                (Some(Value::Qualifier(p)), Some(Value::Qualifier(q))) => p.cmp(q),
                (Some(Value::List(l)), Some(Value::List(m))) => cmp_items(l, m),
                _ => Ordering::Equal,
            }
        });
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_items(&self.0, &other.0)
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for MavenVersion {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        parse(a).unwrap().cmp(&parse(b).unwrap())
    }

    #[test]
    fn comparable_version_order() {
        let chain = [
            "1-alpha-1-snapshot",
            "1-alpha-1",
            "1-alpha-2",
            "1-beta-1",
            "1-milestone-1",
            "1-rc-1",
            "1-snapshot",
            "1",
            "1-sp",
            "1-xyz",
            "1-1",
            "1-2",
            "1.0.1",
            "1.1",
        ];
        for pair in chain.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Less, "{pair:?}");
        }
    }

    #[test]
    fn spellings() {
        for (a, b) in [
            ("1", "1.0.0"),
            ("1", "1-0"),
            ("1.0", "1.0-0"),
            ("1a1", "1-alpha-1"),
            ("1m3", "1MILESTONE3"),
            ("1cr", "1rc"),
            ("1ga", "1"),
            ("1.final", "1"),
            ("1.1", "1.01"),
            ("1-1", "1-ga-1"),
            ("1-1.foo-bar-1-baz-0.1", "1-1.foo-bar1baz-.1"),
            ("5.0.0.Final", "5.0.0"),
        ] {
            assert_eq!(cmp(a, b), Equal, "{a} = {b}");
        }
    }

    #[test]
    fn real_world_shapes() {
        assert_eq!(cmp("5.0.0.Beta9", "5.0.0.Final"), Less);
        assert_eq!(cmp("2.0-1", "2.0.1"), Less);
        assert_eq!(cmp("1.0.0.RC8-beta", "1.0.0"), Less);
        assert_eq!(cmp("20190126.230843", "1234567890.12345"), Less);
        assert_eq!(cmp("0.0.0-2021-05-17T01-01-51-5ec03a8b", "20.0.0"), Less);
        // Where Maven's comparator is not transitive (see the module documentation).
        assert_eq!(cmp("2.9.0-1", "2.9.0.RC1"), Greater);
    }
}
