//! YAML helpers for serde-saphyr: the budget and a mapping that keeps each key's position.

use std::fmt;

use serde::Deserialize;

use super::error::MAX_FILE_SIZE;

/// Options for serde-saphyr: the default budget (aliases, anchors) with room for large
/// monorepo lockfiles, and [`MAX_DEPTH`](super::MAX_DEPTH).
pub fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 50_000_000;
    budget.max_nodes = 20_000_000;
    budget.max_total_scalar_bytes = MAX_FILE_SIZE as usize;
    budget.max_depth = 64;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// A YAML mapping read in document order, with the position of each key (serde-saphyr's
/// `Spanned` on the key).
#[derive(Debug)]
pub struct YamlEntries<V>(pub Vec<(serde_saphyr::Spanned<String>, V)>);

impl<V> Default for YamlEntries<V> {
    fn default() -> Self {
        YamlEntries(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for YamlEntries<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Visit<V> {
            type Value = YamlEntries<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(YamlEntries(Vec::new()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = map.next_key::<serde_saphyr::Spanned<String>>()? {
                    v.push((k, map.next_value()?));
                }
                Ok(YamlEntries(v))
            }
        }
        d.deserialize_any(Visit(std::marker::PhantomData))
    }
}
