//! The CRA catalog items the documents follow, read from annex-spec's built-in catalog.

use crate::error::DocsError;
use annex_spec::Library;
use std::sync::OnceLock;

/// One numbered item of an Annex (or paragraph of an Article), as the catalog states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Catalog id: `CRA-AII.8a`.
    pub id: String,
    /// The catalog's short paraphrase of what the item asks.
    pub text: String,
    /// The exact legal reference: `Regulation (EU) 2024/2847, Annex II, point 8(a)`.
    pub anchor: String,
    /// The anchor without the Regulation: `Annex II, point 8(a)`.
    pub label: String,
    /// The item's number within its Annex: `8(a)`; for Annex VI, which has no numbered
    /// points, the id's suffix (`1`, `2`).
    pub number: String,
    pub applicability: Vec<String>,
}

/// Items by control id, or why the catalog could not be read.
type Items = Result<Vec<(String, Vec<Item>)>, String>;

static CATALOG: OnceLock<Items> = OnceLock::new();

fn load() -> Items {
    let lib = Library::builtin().map_err(|e| e.to_string())?;
    let cra = lib
        .catalogs
        .get("cra")
        .ok_or_else(|| "no catalog with id `cra`".to_string())?;
    Ok(cra
        .controls
        .iter()
        .map(|c| {
            let items = c
                .assessment_requirements
                .iter()
                .map(|r| {
                    let id = r.id.value.clone();
                    let anchor = r.anchor.clone().unwrap_or_else(|| id.clone());
                    let label = anchor
                        .strip_prefix("Regulation (EU) 2024/2847, ")
                        .unwrap_or(&anchor)
                        .to_string();
                    let number = match label.split_once(", point ") {
                        Some((_, n)) => n.to_string(),
                        None => id.rsplit('.').next().unwrap_or(&id).to_string(),
                    };
                    Item {
                        text: r.text.split_whitespace().collect::<Vec<_>>().join(" "),
                        id,
                        anchor,
                        label,
                        number,
                        applicability: r.applicability.clone(),
                    }
                })
                .collect();
            (c.id.value.clone(), items)
        })
        .collect())
}

/// The items of one catalog control (`CRA-AII`, `CRA-AV`, `CRA-AVI`, `CRA-AVII`,
/// `CRA-ART14`, `CRA-ART24`), in catalog order.
pub fn items(control: &str) -> Result<Vec<Item>, DocsError> {
    let all = CATALOG
        .get_or_init(load)
        .as_ref()
        .map_err(|e| DocsError::Catalog(e.clone()))?;
    all.iter()
        .find(|(id, _)| id == control)
        .map(|(_, items)| items.clone())
        .ok_or_else(|| DocsError::Catalog(format!("the catalog has no control {control}")))
}

/// One item by id.
pub fn item(id: &str) -> Result<Item, DocsError> {
    let control = id.split('.').next().unwrap_or(id);
    items(control)?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or_else(|| DocsError::Catalog(format!("the catalog has no item {id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_labels() {
        let i = item("CRA-AII.8a").unwrap();
        assert_eq!(i.label, "Annex II, point 8(a)");
        assert_eq!(i.number, "8(a)");
        let v = item("CRA-AVI.2").unwrap();
        assert_eq!(v.number, "2");
        assert!(v.label.starts_with("Annex VI"));
        assert_eq!(
            item("CRA-ART14.2a").unwrap().label,
            "Article 14(2), point (a)"
        );
    }
}
