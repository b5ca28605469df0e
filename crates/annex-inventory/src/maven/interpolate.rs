//! `${…}` substitution as Maven's model interpolation does it: a key is looked up, its value
//! substituted recursively; an unknown key stays as written. A key met again while its own
//! value is being expanded is a [`MavenError::SelfReference`]; nesting and the total work
//! are bounded so that no input hangs (`a=${b}${b}`, `b=${c}${c}`, …).

use super::error::MavenError;

/// Deepest chain of properties expanding one another.
pub const MAX_NESTING: usize = 32;
/// Most substitutions for one value.
const MAX_SUBSTITUTIONS: usize = 4_096;
/// Longest value produced.
const MAX_LEN: usize = 64 * 1024;

/// A property value and where it is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prop {
    pub value: String,
    pub path: String,
    pub line: u64,
}

/// Expand `s`; `lookup` gives a key's raw value.
pub fn interpolate<'a>(
    s: &str,
    lookup: &dyn Fn(&str) -> Option<&'a Prop>,
) -> Result<String, MavenError> {
    if !s.contains("${") {
        return Ok(s.to_string());
    }
    let mut stack: Vec<&str> = Vec::new();
    let mut budget = MAX_SUBSTITUTIONS;
    expand(s, lookup, &mut stack, &mut budget)
}

fn expand<'a, 'k>(
    s: &'k str,
    lookup: &dyn Fn(&str) -> Option<&'a Prop>,
    stack: &mut Vec<&'k str>,
    budget: &mut usize,
) -> Result<String, MavenError>
where
    'a: 'k,
{
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(j) = after.find('}') else {
            out.push_str(&rest[i..]);
            return Ok(out);
        };
        let key = &after[..j];
        match lookup(key) {
            Some(p) => {
                if stack.contains(&key) {
                    let mut chain: Vec<String> =
                        stack.iter().map(|k| format!("${{{k}}}")).collect();
                    chain.push(format!("${{{key}}}"));
                    return Err(MavenError::SelfReference {
                        path: p.path.clone(),
                        line: p.line,
                        name: key.to_string(),
                        chain: chain.join(" → "),
                    });
                }
                if stack.len() >= MAX_NESTING || *budget == 0 {
                    return Err(MavenError::TooDeep {
                        path: p.path.clone(),
                        line: p.line,
                        what: "property substitutions",
                        limit: MAX_NESTING,
                    });
                }
                *budget -= 1;
                stack.push(key);
                let v = expand(&p.value, lookup, stack, budget)?;
                stack.pop();
                out.push_str(&v);
                if out.len() > MAX_LEN {
                    return Err(MavenError::TooDeep {
                        path: p.path.clone(),
                        line: p.line,
                        what: "property values",
                        limit: MAX_LEN,
                    });
                }
            }
            None => out.push_str(&rest[i..i + 3 + j]),
        }
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn props(kv: &[(&str, &str)]) -> BTreeMap<String, Prop> {
        kv.iter()
            .enumerate()
            .map(|(i, (k, v))| {
                (
                    k.to_string(),
                    Prop {
                        value: v.to_string(),
                        path: "pom.xml".into(),
                        line: i as u64 + 1,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn substitutes_keeps_unknown_and_stops_cycles() {
        let p = props(&[("a", "1.${b}"), ("b", "2"), ("x", "${y}"), ("y", "${x}")]);
        let look = |k: &str| p.get(k);
        assert_eq!(interpolate("v${a}-${zz}", &look).unwrap(), "v1.2-${zz}");
        assert_eq!(interpolate("${a", &look).unwrap(), "${a");
        let e = interpolate("${x}", &look).unwrap_err();
        assert!(
            matches!(e, MavenError::SelfReference { line: 3 | 4, .. }),
            "{e}"
        );
        // Exponential growth is cut, not computed.
        let mut kv: Vec<(String, String)> = (0..40)
            .map(|i| (format!("p{i}"), format!("${{p{}}}${{p{}}}", i + 1, i + 1)))
            .collect();
        kv.push(("p40".into(), "x".into()));
        let refs: Vec<(&str, &str)> = kv.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let p = props(&refs);
        let look = |k: &str| p.get(k);
        assert!(interpolate("${p0}", &look).is_err());
    }
}
