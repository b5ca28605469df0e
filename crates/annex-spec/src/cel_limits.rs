//! Bounds on the CEL expressions of rule and score packs, which may come from users
//! (`--spec`): checked before and right after parsing, so that a hostile expression is an
//! error rather than a stack overflow in the parser, the evaluator or the drop of its tree.

use cel::Program;
use cel::common::ast::{EntryExpr, Expr};
use cel::parser::Expression;

/// Longest expression accepted, in bytes (the longest built-in rule is about 1 KiB).
pub const MAX_CEL_BYTES: usize = 16 * 1024;
/// Most operators, selections and brackets accepted, counted in the text before parsing:
/// it bounds how deep the parser can recurse and the tree can nest (the built-in rules
/// have at most about 150).
pub const MAX_CEL_OPERATORS: usize = 1024;
/// Deepest expression tree accepted (operators, calls, selections and literals nested in
/// one another; the built-in rules stay below 20).
pub const MAX_CEL_DEPTH: usize = 64;

/// Compile `expr` within [`MAX_CEL_BYTES`] and [`MAX_CEL_DEPTH`]; the error is one line.
pub fn compile(expr: &str) -> Result<Program, String> {
    if expr.len() > MAX_CEL_BYTES {
        return Err(format!(
            "expression of {} bytes, more than the limit of {MAX_CEL_BYTES}",
            expr.len()
        ));
    }
    let operators = operators(expr);
    if operators > MAX_CEL_OPERATORS {
        return Err(format!(
            "expression of {operators} operators, more than the limit of {MAX_CEL_OPERATORS}"
        ));
    }
    let program = Program::compile(expr).map_err(|e| {
        e.to_string()
            .lines()
            .next()
            .unwrap_or("syntax error")
            .to_string()
    })?;
    if too_deep(program.expression(), 0) {
        // The tree is as deep as the text is long at most (16 Ki levels): dropping it on a
        // thread of its own keeps that recursion off the caller's stack.
        let _ = std::thread::Builder::new()
            .stack_size(64 * 1024 * 1024)
            .spawn(move || drop(program))
            .map(|h| h.join());
        return Err(format!(
            "expression nested more than {MAX_CEL_DEPTH} levels deep"
        ));
    }
    Ok(program)
}

/// Operator, selection and bracket characters outside string literals: an upper bound on
/// the nodes that nest in the parsed tree.
fn operators(expr: &str) -> usize {
    let mut count = 0;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for &b in expr.as_bytes() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'+' | b'-' | b'*' | b'/' | b'%' | b'!' | b'<' | b'>' | b'=' | b'&' | b'|'
                | b'?' | b':' | b'.' | b'(' | b'[' | b'{' | b',' => count += 1,
                _ => {}
            },
        }
    }
    count
}

/// Whether the tree below `e` is deeper than [`MAX_CEL_DEPTH`]; the walk stops there, so
/// its own recursion is bounded.
fn too_deep(e: &Expression, depth: usize) -> bool {
    if depth > MAX_CEL_DEPTH {
        return true;
    }
    let d = depth + 1;
    match &e.expr {
        Expr::Call(c) => {
            c.target.as_deref().is_some_and(|t| too_deep(t, d))
                || c.args.iter().any(|a| too_deep(a, d))
        }
        Expr::Comprehension(c) => [
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ]
        .into_iter()
        .any(|x| too_deep(x, d)),
        Expr::List(l) => l.elements.iter().any(|x| too_deep(x, d)),
        Expr::Map(m) => m.entries.iter().any(|x| match &x.expr {
            EntryExpr::MapEntry(en) => too_deep(&en.key, d) || too_deep(&en.value, d),
            EntryExpr::StructField(f) => too_deep(&f.value, d),
        }),
        Expr::Struct(s) => s.entries.iter().any(|x| match &x.expr {
            EntryExpr::MapEntry(en) => too_deep(&en.key, d) || too_deep(&en.value, d),
            EntryExpr::StructField(f) => too_deep(&f.value, d),
        }),
        Expr::Select(s) => too_deep(&s.operand, d),
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 16 item 12: a 10,000-term expression overflowed the stack (SIGABRT). Every
    /// shape of deep expression within the byte limit is an error, on a test thread's
    /// small stack.
    #[test]
    fn deep_expressions_are_errors_not_crashes() {
        let terms = MAX_CEL_BYTES / 2 - 1;
        for (what, expr) in [
            ("sum", format!("1{}", "+1".repeat(terms))),
            ("and", format!("true{}", "&&a".repeat(terms / 3))),
            ("not", format!("{}true", "!".repeat(MAX_CEL_BYTES - 4))),
            ("select", format!("a{}", ".b".repeat(terms))),
            (
                "parens",
                format!("{}1{}", "(".repeat(5000), ")".repeat(5000)),
            ),
            (
                "lists",
                format!("{}1{}", "[".repeat(5000), "]".repeat(5000)),
            ),
            (
                "ternary",
                format!("{}1", "a ? 1 : ".repeat(MAX_CEL_BYTES / 9)),
            ),
        ] {
            assert!(expr.len() <= MAX_CEL_BYTES, "{what}");
            assert!(compile(&expr).is_err(), "{what} compiled");
        }
        // Just within the operator count: parsed, then refused for depth.
        let n = MAX_CEL_OPERATORS;
        for (what, expr) in [
            ("sum", format!("1{}", "+1".repeat(n))),
            ("select", format!("a{}", ".b".repeat(n))),
            ("parens", format!("{}1{}", "(".repeat(n), ")".repeat(n))),
            ("lists", format!("{}1{}", "[".repeat(n), "]".repeat(n))),
            ("calls", format!("{}1{}", "f(".repeat(n), ")".repeat(n))),
            ("ternary", format!("{}1", "a ? 1 : ".repeat(n / 2))),
            (
                "maps",
                format!("{}1{}", "{1:".repeat(n / 2), "}".repeat(n / 2)),
            ),
        ] {
            assert!(operators(&expr) <= n, "{what}");
            let e = compile(&expr).expect_err(what);
            assert!(
                e.contains("levels deep") || e.contains("Recursion limit"),
                "{what}: {e}"
            );
        }
        // The parser folds repeated negation: no error, and no crash.
        let _ = compile(&format!("{}true", "!".repeat(n)));
        let e = compile(&"1+".repeat(MAX_CEL_BYTES)).expect_err("too long");
        assert!(e.contains("bytes"), "{e}");
    }

    #[test]
    fn ordinary_rules_compile() {
        assert!(compile("evidence.ci.providers.exists(p, p == 'gitlab') && size(x) > 2").is_ok());
        assert!(compile(&format!("1{}", "+1".repeat(40))).is_ok());
    }
}
