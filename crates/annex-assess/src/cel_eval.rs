//! Compiling and running the rules' CEL expressions over the evidence.

use cel::{Context, Program, Value};
use std::collections::HashMap;
use std::sync::Arc;

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

pub fn compile(expr: &str) -> Result<Program, String> {
    Program::compile(expr).map_err(|e| {
        e.to_string()
            .lines()
            .next()
            .unwrap_or("syntax error")
            .to_string()
    })
}

/// Evaluate to a boolean; anything else is an error the caller reports as `unknown`.
pub fn eval_bool(program: &Program, ctx: &Context) -> Result<bool, String> {
    match program.execute(ctx) {
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
    ctx
}
