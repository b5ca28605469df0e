//! Looking things up in a CSAF JSON document: arrays that may be absent, product groups, and
//! whether an item (flag, threat, remediation) names a product.

use std::collections::BTreeMap;

use serde_json::Value;

pub(crate) fn arr(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

pub(crate) fn strs(v: Option<&Value>) -> impl Iterator<Item = &str> {
    arr(v).iter().filter_map(Value::as_str)
}

/// Product groups: group id → product ids.
pub(crate) fn groups(doc: &Value) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for g in arr(doc
        .get("product_tree")
        .and_then(|t| t.get("product_groups")))
    {
        if let Some(id) = g.get("group_id").and_then(Value::as_str) {
            out.insert(
                id.to_string(),
                strs(g.get("product_ids")).map(str::to_string).collect(),
            );
        }
    }
    out
}

/// Whether an item (flag, threat, remediation) names the product, directly or by group.
pub(crate) fn covers(item: &Value, pid: &str, groups: &BTreeMap<String, Vec<String>>) -> bool {
    strs(item.get("product_ids")).any(|p| p == pid)
        || strs(item.get("group_ids"))
            .any(|g| groups.get(g).is_some_and(|ps| ps.iter().any(|p| p == pid)))
}
