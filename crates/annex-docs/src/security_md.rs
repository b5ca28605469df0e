//! SECURITY.md: the coordinated vulnerability disclosure policy, with the timeline taken
//! from the profile's parameters.

use crate::inputs::Inputs;
use crate::markup::{Doc, b, link, t, url};
use crate::prose::{and_list, contact_inline, language_name};
use annex_spec::CraRole;

pub(crate) fn build(inputs: &Inputs) -> Doc {
    let m = inputs.metadata;
    let p = &m.product;
    let s = &m.security;
    let mut d = Doc::default();
    d.h(1, format!("Security policy of {}", p.name));
    let mut intro = vec![t(format!(
        "This policy says how to report a vulnerability in {}, what happens after you report it, which versions receive security updates and how fixed vulnerabilities are disclosed. ",
        p.name
    ))];
    intro.push(t(format!(
        "{} is the {} of {} under the EU Cyber Resilience Act (Regulation (EU) 2024/2847).",
        m.party.name,
        m.role_title(),
        p.name
    )));
    d.p(intro);

    d.h(2, "Reporting a vulnerability");
    d.p(vec![
        b("Report vulnerabilities privately."),
        t(" Do not open a public issue, pull request or discussion about a suspected vulnerability."),
    ]);
    let mut channels = vec![vec![t("Security contact: "), contact_inline(&s.contact)]];
    let mut seen = vec![s.contact.trim().trim_start_matches("mailto:").to_string()];
    for (key, label) in [
        ("vuln-report-url", "Private reporting form: "),
        ("vuln-report-contact", "Also: "),
        ("vuln-report-email", "Also by e-mail: "),
    ] {
        if let Some(v) = inputs.param_str(key) {
            let bare = v.trim_start_matches("mailto:").to_string();
            if !seen.contains(&bare) {
                channels.push(vec![t(label), url(&v)]);
                seen.push(bare);
            }
        }
    }
    if let Some(k) = &s.encryption {
        channels.push(vec![t("Encryption key for reports: "), link(k, k)]);
    }
    d.list(channels);
    let langs: Vec<String> = p.languages.iter().map(|l| language_name(l)).collect();
    d.text(format!(
        "Reports can be written in {}. Reports about vulnerabilities in third-party components that {} uses are welcome too; we pass them on to the component's maintainers.",
        and_list(&langs),
        p.name
    ));

    d.h(2, "What a report should contain");
    d.list(vec![
        vec![t(
            "the version of the product affected, and the platform or configuration;",
        )],
        vec![t("a description of the vulnerability and of its impact;")],
        vec![t("the steps, or a proof of concept, to reproduce it;")],
        vec![t("whether you know it to be exploited;")],
        vec![t("how you wish to be credited, if at all.")],
    ]);

    d.h(2, "What happens next");
    let mut steps = Vec::new();
    match inputs.param_u64("vuln-response-days") {
        Some(n) => steps.push(vec![t(format!(
            "We acknowledge your report within {n} {}.",
            if n == 1 { "day" } else { "days" }
        ))]),
        None => d.todo(
            "Timeline",
            "state how soon reports are acknowledged (\"within N days\"): set the profile parameter vuln-response-days, or write it here",
        ),
    }
    steps.push(vec![t(
        "We confirm whether the issue is a vulnerability, assess its severity and keep you informed of our progress.",
    )]);
    if let Some(n) = inputs.param_u64("vuln-fix-days") {
        steps.push(vec![t(format!(
            "We aim to release a fix for medium and high severity vulnerabilities within {n} days."
        ))]);
    }
    steps.push(vec![t(match inputs.param_u64("disclosure-days") {
        Some(n) => format!(
            "We publish an advisory when the fix is released, and disclose at the latest {n} days after your report, on a date agreed with you."
        ),
        None => "We publish an advisory when the fix is released, on a date agreed with you.".to_string(),
    })]);
    d.list(steps);

    d.h(2, "Actively exploited vulnerabilities");
    // Article 14(8) (inform users) binds a steward only for severe incidents affecting the
    // systems it provides for development (Article 24(3)): a steward's policy promises no
    // more than that.
    let (scope, users) = match m.role {
        CraRole::Manufacturer => (String::new(), " — and we inform the affected users"),
        CraRole::Steward => (
            " to the extent we are involved in its development (Article 24(3))".to_string(),
            "",
        ),
    };
    d.text(format!(
        "When we learn that a vulnerability in {} is actively exploited, we notify it{scope} to the coordinating CSIRT and to ENISA as Article 14 of the Cyber Resilience Act requires — an early warning within 24 hours, a notification within 72 hours and a final report within 14 days after a fix is available{users}.",
        p.name
    ));

    d.h(2, "Supported versions");
    match (&m.support.end, &m.support.versions) {
        (Some(end), versions) => {
            let line = versions.clone().unwrap_or_else(|| {
                format!("{} (current release)", p.version)
            });
            d.table(
                &["Version", "Security updates"],
                vec![vec![vec![t(line)], vec![t(format!("until the end of {}", end.long()))]]],
            );
            if let Some(k) = &m.support.kind {
                d.text(k.clone());
            }
        }
        (None, Some(versions)) => d.table(
            &["Version", "Security updates"],
            vec![vec![vec![t(versions.clone())], vec![t("yes")]]],
        ),
        (None, None) => d.todo(
            "Supported versions",
            "state which versions receive security updates and until when (support.versions, support.end in annex.toml)",
        ),
    }

    d.h(2, "Disclosure and CVE identifiers");
    let mut items = Vec::new();
    let advisories = s
        .advisories
        .clone()
        .or_else(|| inputs.param_str("advisories-url"));
    match &advisories {
        Some(a) => items.push(vec![
            t("Advisories for fixed vulnerabilities are published at "),
            link(a, a),
            t("."),
        ]),
        None => d.todo(
            "Disclosure",
            "say where advisories are published (security.advisories in annex.toml)",
        ),
    }
    if let Some(c) = &s.csaf {
        items.push(vec![
            t("Machine-readable advisories (CSAF 2.0): "),
            link(c, c),
            t("."),
        ]);
    }
    match inputs.param_bool("cna") {
        Some(true) => items.push(vec![t(format!(
            "{} is a CVE Numbering Authority and assigns CVE identifiers to the vulnerabilities it fixes.",
            m.party.name
        ))]),
        Some(false) => items.push(vec![t(
            "CVE identifiers are requested from a CVE Numbering Authority for the vulnerabilities we fix.",
        )]),
        None => d.todo(
            "CVE",
            "say how CVE identifiers are obtained (set the profile parameter cna: true if you are a CNA)",
        ),
    }
    let mut credit = vec![t(
        "We credit reporters in the advisory unless they prefer not to be named",
    )];
    if let Some(a) = &s.acknowledgments {
        credit.push(t(" and list them at "));
        credit.push(link(a, a));
    }
    credit.push(t("."));
    items.push(credit);
    d.list(items);
    if let Some(pol) = &s.policy {
        d.p(vec![
            t("This policy is published at "),
            link(pol, pol),
            t("."),
        ]);
    }
    d
}
