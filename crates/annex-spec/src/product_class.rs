//! The product categories of Annex III (important products, classes I and II) and Annex IV
//! (critical products) of Regulation (EU) 2024/2847, as data: `annex init` shows them when
//! it asks for the product class. A product is in a class when its core functionality is one
//! of these categories (Article 7(1)); otherwise it is `default`. Wording is a short
//! paraphrase; the binding list is the Official Journal text.

use crate::model::ProductClass;

/// One category of Annex III or IV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductCategory {
    pub class: ProductClass,
    /// `Annex III, Class I, point 3`.
    pub anchor: &'static str,
    pub category: &'static str,
}

const fn c(class: ProductClass, anchor: &'static str, category: &'static str) -> ProductCategory {
    ProductCategory {
        class,
        anchor,
        category,
    }
}

use ProductClass::{Critical, ImportantI, ImportantII};

const CATEGORIES: &[ProductCategory] = &[
    c(
        ImportantI,
        "Annex III, Class I, point 1",
        "identity management systems and privileged access management software and hardware, including authentication and access control readers (biometric readers too)",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 2",
        "standalone and embedded browsers",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 3",
        "password managers",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 4",
        "software that searches for, removes or quarantines malicious software",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 5",
        "products with the function of a virtual private network (VPN)",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 6",
        "network management systems",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 7",
        "security information and event management (SIEM) systems",
    ),
    c(ImportantI, "Annex III, Class I, point 8", "boot managers"),
    c(
        ImportantI,
        "Annex III, Class I, point 9",
        "public key infrastructure and digital certificate issuance software",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 10",
        "physical and virtual network interfaces",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 11",
        "operating systems",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 12",
        "routers, modems for connecting to the internet, and switches",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 13",
        "microprocessors with security-related functionalities",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 14",
        "microcontrollers with security-related functionalities",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 15",
        "application-specific integrated circuits (ASIC) and field-programmable gate arrays (FPGA) with security-related functionalities",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 16",
        "smart home general-purpose virtual assistants",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 17",
        "smart home products with security functionalities (smart door locks, security cameras, baby monitors, alarm systems)",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 18",
        "internet-connected toys with social interactive or location-tracking features",
    ),
    c(
        ImportantI,
        "Annex III, Class I, point 19",
        "personal wearables with a health-monitoring purpose outside the medical device regulations, or wearables for children",
    ),
    c(
        ImportantII,
        "Annex III, Class II, point 1",
        "hypervisors and container runtime systems that support virtualised execution of operating systems and similar environments",
    ),
    c(
        ImportantII,
        "Annex III, Class II, point 2",
        "firewalls, intrusion detection and intrusion prevention systems",
    ),
    c(
        ImportantII,
        "Annex III, Class II, point 3",
        "tamper-resistant microprocessors",
    ),
    c(
        ImportantII,
        "Annex III, Class II, point 4",
        "tamper-resistant microcontrollers",
    ),
    c(
        Critical,
        "Annex IV, point 1",
        "hardware devices with security boxes",
    ),
    c(
        Critical,
        "Annex IV, point 2",
        "smart meter gateways within smart metering systems and other devices for advanced security purposes, including secure cryptoprocessing",
    ),
    c(
        Critical,
        "Annex IV, point 3",
        "smartcards or similar devices, including secure elements",
    ),
];

/// Every category of Annex III and Annex IV, in the order of the Annexes.
pub fn product_categories() -> &'static [ProductCategory] {
    CATEGORIES
}

/// The categories as lines for a person choosing a class: `important-I (Annex III, Class I,
/// point 3): password managers`, then a line for `default`.
pub fn product_class_choices() -> Vec<String> {
    let mut lines: Vec<String> = CATEGORIES
        .iter()
        .map(|c| format!("{} ({}): {}", c.class.as_str(), c.anchor, c.category))
        .collect();
    lines.push("default: the core functionality is none of the above (Article 7(1))".to_string());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Annex III has 19 class I and 4 class II categories; Annex IV has 3.
    #[test]
    fn annex_iii_and_iv_counts() {
        let count = |k| CATEGORIES.iter().filter(|c| c.class == k).count();
        assert_eq!(count(ImportantI), 19);
        assert_eq!(count(ImportantII), 4);
        assert_eq!(count(Critical), 3);
        assert!(
            product_class_choices()
                .last()
                .unwrap()
                .starts_with("default")
        );
    }
}
