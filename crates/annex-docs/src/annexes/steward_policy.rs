//! Article 24: the open-source software steward's cybersecurity policy.

use super::blocks::*;
use crate::catalog::{self, Item};
use crate::document::Kind;
use crate::error::DocsError;
use crate::inputs::Inputs;
use crate::markup::{Doc, link, t};
use crate::prose::contact_inline;

pub(crate) fn steward_policy(inputs: &Inputs) -> Result<Doc, DocsError> {
    let m = inputs.metadata;
    let mut d = Doc::default();
    header(&mut d, inputs, Kind::StewardPolicy);
    d.text(format!(
        "{} supports the development of {} as open-source software steward (Article 3(14) of the Cyber Resilience Act). This policy is what Article 24 asks of a steward; a steward draws up no EU declaration of conformity and no technical documentation.",
        m.party.name, m.product.name
    ));
    for item in catalog::items("CRA-ART24")? {
        section(&mut d, &item, false);
        fill_art24(&mut d, &item, inputs);
    }
    Ok(d)
}

fn fill_art24(d: &mut Doc, item: &Item, inputs: &Inputs) {
    let m = inputs.metadata;
    let s = &m.security;
    match item.id.as_str() {
        "CRA-ART24.1" => {
            d.h(3, "Secure development");
            d.p(vec![
                t("Contributions are reviewed and tested as "),
                root_link("CONTRIBUTING.md"),
                t(" describes."),
            ]);
            if let Some(a) = inputs.assessment {
                d.text(summary_line(a));
            }
            d.h(3, "Vulnerability handling");
            let mut lines = vec![vec![
                t("Vulnerabilities are reported privately to "),
                contact_inline(&s.contact),
                t(", and handled as "),
                root_link("SECURITY.md"),
                t(" describes: documented, addressed and remediated."),
            ]];
            match &s.policy {
                Some(p) => lines.push(vec![t("The disclosure policy is published at "), link(p, p), t(".")]),
                None => todo(d, item, "give the address of the published disclosure policy (security.policy)"),
            }
            match &s.advisories {
                Some(a) => lines.push(vec![
                    t("Information about vulnerabilities is shared with the open-source community in advisories at "),
                    link(a, a),
                    t("."),
                ]),
                None => todo(
                    d,
                    item,
                    "say where information about fixed vulnerabilities is shared with the community (security.advisories)",
                ),
            }
            lines.push(vec![t(
                "Developers of the project are encouraged to report vulnerabilities and incidents voluntarily under Article 15.",
            )]);
            d.list(lines);
        }
        "CRA-ART24.2" => {
            d.text(format!(
                "{} cooperates with market surveillance authorities, at their request, to mitigate the cybersecurity risks of {}, and provides this policy on a reasoned request.",
                m.party.name, m.product.name
            ));
            match &m.party.email {
                Some(e) => d.p(vec![t("Contact for authorities: "), contact_inline(e), t(".")]),
                None => todo(d, item, "give the contact for market surveillance authorities (steward email)"),
            }
        }
        "CRA-ART24.3" => d.text(format!(
            "To the extent {} is involved in the development of {}, it notifies actively exploited vulnerabilities under Article 14(1); it notifies severe incidents affecting the network and information systems it provides for the development under Article 14(3), and informs the users concerned under Article 14(8). Reports are sent through the single reporting platform: an early warning within 24 hours, a notification within 72 hours, and a final report.",
            m.party.name, m.product.name
        )),
        _ => unknown_item(d, item),
    }
}
