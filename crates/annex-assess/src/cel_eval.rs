//! Compiling and running the rules' CEL expressions over the evidence.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Arc;

use cel::common::ast::{CallExpr, EntryExpr, Expr, IdedEntryExpr};
use cel::parser::Expression;
use cel::{Context, ExecutionError, ResolveResult, Value};

/// Nesting bound for converting JSON into CEL values; evidence is shallow, this is a guard.
const MAX_DEPTH: usize = 64;

/// JSON → CEL, with integers as CEL `int` so rules can compare against literals like `14`.
pub fn to_cel(v: &serde_json::Value) -> Value {
    to_cel_at(v, 0)
}

fn to_cel_at(v: &serde_json::Value, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::String(Arc::new(s.clone())),
        serde_json::Value::Array(a) => Value::List(Arc::new(
            a.iter().map(|x| to_cel_at(x, depth + 1)).collect(),
        )),
        serde_json::Value::Object(o) => {
            let map: HashMap<String, Value> = o
                .iter()
                .map(|(k, x)| (k.clone(), to_cel_at(x, depth + 1)))
                .collect();
            Value::Map(map.into())
        }
    }
}

/// Most comprehension steps (elements iterated by `all`, `exists`, `map`, `filter`…,
/// summed over every comprehension and every time it runs) one evaluation may take.
pub const MAX_STEPS: u64 = 1_000_000;

/// The function that counts the steps: wrapped around every comprehension's range.
const BUDGET_FN: &str = "@annex_budget";

thread_local! {
    /// Steps taken by the evaluation running on this thread (one rule at a time).
    static STEPS: Cell<u64> = const { Cell::new(0) };
}

/// A compiled expression whose comprehensions count their steps against [`MAX_STEPS`].
pub struct Compiled(Expression);

/// Compile within the size and depth bounds of `annex_spec::cel_limits`, then wrap each
/// comprehension's range in the step counter.
pub fn compile(expr: &str) -> Result<Compiled, String> {
    let program = annex_spec::cel_limits::compile(expr)?;
    let mut tree = program.expression().clone();
    budget_ranges(&mut tree);
    Ok(Compiled(tree))
}

/// Wrap every comprehension's range `r` as `@annex_budget(r)`. The tree is within
/// `MAX_CEL_DEPTH`, so this recursion is bounded.
fn budget_ranges(e: &mut Expression) {
    match &mut e.expr {
        Expr::Comprehension(c) => {
            for x in [
                &mut c.accu_init,
                &mut c.loop_cond,
                &mut c.loop_step,
                &mut c.result,
                &mut c.iter_range,
            ] {
                budget_ranges(x);
            }
            let range = std::mem::take(&mut c.iter_range);
            c.iter_range = Expression {
                id: range.id,
                expr: Expr::Call(CallExpr {
                    func_name: BUDGET_FN.to_string(),
                    target: None,
                    args: vec![range],
                }),
            };
        }
        Expr::Call(c) => {
            if let Some(t) = c.target.as_deref_mut() {
                budget_ranges(t);
            }
            c.args.iter_mut().for_each(budget_ranges);
        }
        Expr::List(l) => l.elements.iter_mut().for_each(budget_ranges),
        Expr::Map(m) => m.entries.iter_mut().for_each(budget_entry),
        Expr::Struct(s) => s.entries.iter_mut().for_each(budget_entry),
        Expr::Select(s) => budget_ranges(&mut s.operand),
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}

fn budget_entry(e: &mut IdedEntryExpr) {
    match &mut e.expr {
        EntryExpr::MapEntry(m) => {
            budget_ranges(&mut m.key);
            budget_ranges(&mut m.value);
        }
        EntryExpr::StructField(f) => budget_ranges(&mut f.value),
    }
}

/// Count a range's elements against the budget, and pass it through.
fn spend(range: Value) -> Result<Value, ExecutionError> {
    let n = match &range {
        Value::List(l) => l.len(),
        Value::Map(m) => m.map.len(),
        _ => 0,
    } as u64;
    let spent = STEPS.with(|s| {
        let v = s.get().saturating_add(n);
        s.set(v);
        v
    });
    if spent > MAX_STEPS {
        return Err(ExecutionError::function_error(
            BUDGET_FN,
            format!("evaluation takes more than {MAX_STEPS} comprehension steps"),
        ));
    }
    Ok(range)
}

/// Evaluate with a fresh step budget.
pub fn execute(program: &Compiled, ctx: &Context) -> ResolveResult {
    STEPS.with(|s| s.set(0));
    Value::resolve(&program.0, ctx).map_err(|e| match e {
        ExecutionError::FunctionError { function, message } if function == BUDGET_FN => {
            ExecutionError::function_error("budget", message)
        }
        other => other,
    })
}

/// Evaluate to a boolean; anything else is an error the caller reports as `unknown`.
pub fn eval_bool(program: &Compiled, ctx: &Context) -> Result<bool, String> {
    match execute(program, ctx) {
        Ok(Value::Bool(b)) => Ok(b),
        Ok(other) => Err(format!(
            "rule returned {:?}, expected a boolean",
            other.type_of()
        )),
        Err(e) => Err(e.to_string()),
    }
}

pub fn context(vars: &[(&str, &serde_json::Value)]) -> Context<'static, 'static> {
    let mut ctx = Context::default();
    for (name, value) in vars {
        ctx.add_variable_from_value(*name, to_cel(value));
    }
    // The name cannot be written in CEL source; only the wrapped ranges call it.
    let _ = ctx.add_function(BUDGET_FN, spend);
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx_with_list(n: usize) -> Context<'static, 'static> {
        let list = serde_json::Value::Array((0..n).map(|i| serde_json::json!(i)).collect());
        context(&[("xs", &list)])
    }

    /// Issue 16 item 12: a comprehension of 10^8 steps ran for 33 s. It now stops at the
    /// budget with an error that says so.
    #[test]
    fn comprehension_steps_are_bounded() {
        let ctx = ctx_with_list(1_100);
        let p = compile("xs.all(a, xs.all(b, a >= 0))").expect("compiles");
        let e = eval_bool(&p, &ctx).expect_err("over budget");
        assert!(e.contains("comprehension steps"), "{e}");
        // The budget is per evaluation: a small rule afterwards runs.
        let small = compile("xs.exists(a, a == 1099) && xs.map(a, a + 1).size() == 1100")
            .expect("compiles");
        assert_eq!(eval_bool(&small, &ctx), Ok(true));
    }

    #[test]
    fn nested_comprehensions_within_the_budget_give_the_same_answers() {
        let ctx = ctx_with_list(100);
        for (expr, want) in [
            ("xs.all(a, xs.exists(b, b == a))", true),
            ("xs.filter(a, a % 2 == 0).size() == 50", true),
            ("{'k': xs.exists(a, a > 98)}.k", true),
            ("xs.exists_one(a, a == 7)", true),
            ("[xs.all(a, a < 50)][0]", false),
        ] {
            let p = compile(expr).expect(expr);
            assert_eq!(eval_bool(&p, &ctx), Ok(want), "{expr}");
        }
    }
}
