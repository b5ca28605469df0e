//! Drafts of the early warning, the notification and the final report (Markdown and JSON).

use super::clocks::{anchor, due};
use super::model::*;
use crate::catalog;
use crate::markup::{Doc, Inline, b, code, em, link, t};
use crate::metadata::Metadata;
use crate::security_txt::contact_uri;
use crate::{Document, Todo};
use chrono::{DateTime, FixedOffset};
use serde_json::{Value as Json, json};

/// The schema id of the JSON report drafts.
pub const REPORT_SCHEMA: &str = "annex/art14-report/v1";

struct Field {
    key: &'static str,
    label: &'static str,
    value: Option<Json>,
    /// What to supply when missing (a TODO); None: optional, no TODO.
    todo: Option<&'static str>,
}

fn f_str(key: &'static str, label: &'static str, v: &Option<String>, todo: &'static str) -> Field {
    Field {
        key,
        label,
        value: v
            .as_ref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| json!(s)),
        todo: Some(todo),
    }
}

/// The content fields Article 14 asks for at a stage.
fn stage_fields(i: &Incident, stage: Stage) -> Vec<Field> {
    let d = &i.details;
    let states = Field {
        key: "member-states",
        label: "Member States where the product is available",
        value: (!d.member_states.is_empty()).then(|| json!(d.member_states)),
        todo: Some(
            "name the Member States where you know the product is made available, where applicable (details.member-states)",
        ),
    };
    let fix = {
        let mut parts = Vec::new();
        if let Some(v) = &i.fixed_in {
            parts.push(format!("fixed in version {v}"));
        }
        if let Some(at) = &i.fixed_at {
            parts.push(format!("available since {}", show_time(at)));
        }
        if let Some(m) = &d.measures_taken {
            parts.push(m.clone());
        }
        if let Some(u) = &d.advisory_url {
            parts.push(format!("advisory: {u}"));
        }
        (!parts.is_empty()).then(|| json!(parts))
    };
    // Both notifications (Article 14(2)(b) and (4)(b)) end with the same three fields.
    let measures_taken = f_str(
        "measures-taken",
        "Corrective or mitigating measures taken",
        &d.measures_taken,
        "describe the corrective or mitigating measures taken (details.measures-taken)",
    );
    let user_measures = f_str(
        "user-measures",
        "Corrective or mitigating measures users can take",
        &d.user_measures,
        "describe what users can do (details.user-measures)",
    );
    let sensitivity = f_str(
        "sensitivity",
        "How sensitive the information is",
        &d.sensitivity,
        "say how sensitive you deem the information, e.g. TLP:AMBER (details.sensitivity)",
    );
    match (i.kind, stage) {
        (IncidentKind::Vulnerability, Stage::EarlyWarning) => vec![states],
        (IncidentKind::SevereIncident, Stage::EarlyWarning) => vec![
            Field {
                key: "suspected-malicious",
                label: "Suspected to be caused by unlawful or malicious acts",
                value: d.suspected_malicious.map(|b| json!(b)),
                todo: Some(
                    "say whether the incident is suspected to be caused by unlawful or malicious acts (details.suspected-malicious)",
                ),
            },
            states,
        ],
        (IncidentKind::Vulnerability, Stage::Notification) => vec![
            f_str(
                "exploit",
                "General nature of the exploit and of the vulnerability",
                &d.exploit,
                "describe the general nature of the exploit and of the vulnerability (details.exploit)",
            ),
            measures_taken,
            user_measures,
            sensitivity,
        ],
        (IncidentKind::SevereIncident, Stage::Notification) => vec![
            f_str(
                "nature",
                "Nature of the incident",
                &d.nature,
                "describe the nature of the incident (details.nature)",
            ),
            f_str(
                "initial-assessment",
                "Initial assessment",
                &d.initial_assessment,
                "give an initial assessment of the incident (details.initial-assessment)",
            ),
            measures_taken,
            user_measures,
            sensitivity,
        ],
        (IncidentKind::Vulnerability, Stage::Final) => vec![
            f_str(
                "description",
                "Description of the vulnerability",
                &d.description,
                "describe the vulnerability (details.description)",
            ),
            f_str(
                "severity",
                "Severity",
                &d.severity,
                "give the severity, e.g. a CVSS vector and score (details.severity)",
            ),
            f_str(
                "impact",
                "Impact",
                &d.impact,
                "describe the impact (details.impact)",
            ),
            f_str(
                "malicious-actor",
                "Malicious actor that exploited or is exploiting it",
                &d.malicious_actor,
                "give what is known about the malicious actor, or say that nothing is (details.malicious-actor)",
            ),
            Field {
                key: "security-update",
                label: "Security update or other corrective measures made available",
                value: fix,
                todo: Some(
                    "give the security update or corrective measures made available (annex incident fix … --version, details.measures-taken)",
                ),
            },
        ],
        (IncidentKind::SevereIncident, Stage::Final) => vec![
            f_str(
                "description",
                "Detailed description of the incident",
                &d.description,
                "describe the incident in detail (details.description)",
            ),
            f_str(
                "severity",
                "Severity",
                &d.severity,
                "give the severity (details.severity)",
            ),
            f_str(
                "impact",
                "Impact",
                &d.impact,
                "describe the impact (details.impact)",
            ),
            f_str(
                "root-cause",
                "Type of threat or root cause likely to have triggered it",
                &d.root_cause,
                "give the type of threat or root cause likely to have triggered it (details.root-cause)",
            ),
            f_str(
                "mitigation",
                "Applied and ongoing mitigation measures",
                &d.mitigation,
                "describe the applied and ongoing mitigation measures (details.mitigation)",
            ),
        ],
        (_, Stage::UserNotice) => vec![],
    }
}

fn reporter_json(m: &Metadata) -> Json {
    json!({
        "role": m.role.as_str(),
        "name": m.party.name,
        "address": m.party.address,
        "email": m.party.email,
        "website": m.party.website,
        "contact": contact_uri(&m.security.contact),
    })
}

fn product_json(m: &Metadata, i: &Incident) -> Json {
    json!({
        "name": m.product.name,
        "type": m.product.kind,
        "version": m.product.version,
        "affected-versions": i.affected_versions,
        "repository": m.product.repository,
    })
}

fn report_file(i: &Incident, stage: Stage, ext: &str) -> String {
    format!("{}-{}.{ext}", i.id, stage.as_str())
}

pub(super) fn report_json(
    m: &Metadata,
    i: &Incident,
    stage: Stage,
    now: DateTime<FixedOffset>,
) -> Document {
    let fields = stage_fields(i, stage);
    let mut todos = Vec::new();
    let label = anchor(i.kind, stage);
    let mut content = serde_json::Map::new();
    for f in &fields {
        if f.value.is_none()
            && let Some(what) = f.todo
        {
            todos.push(Todo {
                item: label.clone(),
                what: what.to_string(),
            });
        }
        content.insert(f.key.to_string(), f.value.clone().unwrap_or(Json::Null));
    }
    let doc = json!({
        "schema": REPORT_SCHEMA,
        "stage": stage.as_str(),
        "article": label,
        "catalog-item": stage.catalog_id(i.kind),
        "incident": i.id,
        "kind": i.kind.as_str(),
        "prepared-at": rfc3339(&now),
        "due": due(i, stage).map(|d| rfc3339(&d)),
        "reporter": reporter_json(m),
        "submit-to": {
            "coordinator": "the CSIRT designated as coordinator of the Member State of the main establishment in the Union, through the single reporting platform; ENISA at the same time (Article 14(7))",
            "without-main-establishment": COORDINATOR_FALLBACK,
            "steward-scope": m.is_steward().then(|| steward_scope(i.kind).trim()),
        },
        "product": product_json(m, i),
        "event": {
            "ids": i.ids,
            "summary": i.summary,
            "aware-at": rfc3339(&i.aware_at),
            "actively-exploited": i.actively_exploited,
        },
        "content": content,
        "todos": todos,
    });
    Document {
        file_name: report_file(i, stage, "json"),
        // A `serde_json::Value` prints itself pretty (`{:#}`) without a fallible step.
        content: format!("{doc:#}\n"),
        todos,
    }
}

/// Article 14(7), second subparagraph: who coordinates when there is no main establishment
/// in the Union.
pub(super) const COORDINATOR_FALLBACK: &str = "Without a main establishment in the Union, the coordinator is the CSIRT of the Member State where your authorised representative is established; without one, where the importer is; without one, where the distributor is; without any of these, where most of the product's users are (Article 14(7)).";

/// Article 69(3) with Article 71(2): reporting is not limited to products placed on the
/// market after the Regulation applies.
pub(super) const ALREADY_ON_THE_MARKET: &str = " Article 14 applies from 11 September 2026 (Article 71(2)) also to products placed on the market before 11 December 2027 (Article 69(3)).";

/// Article 24(3): a steward reports an exploited vulnerability to the extent it is involved
/// in development, and a severe incident only when it affects the network and information
/// systems the steward provides for development. The two tests differ.
pub(super) fn steward_scope(kind: IncidentKind) -> &'static str {
    match kind {
        IncidentKind::Vulnerability => {
            " As open-source software steward, report this actively exploited vulnerability to the extent you are involved in the product's development (Article 24(3), Article 14(1))."
        }
        IncidentKind::SevereIncident => {
            " As open-source software steward, report this severe incident only to the extent it affects the network and information systems you provide for the product's development (Article 24(3), Article 14(3)); otherwise no report is due from you."
        }
    }
}

pub(super) fn report_markdown(
    m: &Metadata,
    i: &Incident,
    stage: Stage,
    now: DateTime<FixedOffset>,
) -> Document {
    let mut d = Doc::default();
    let item = catalog::item(stage.catalog_id(i.kind)).ok();
    let label = anchor(i.kind, stage);
    d.h(
        1,
        format!("{} — {}: {}", stage.title(), what_happened(i), i.summary),
    );
    if let Some(item) = &item {
        d.comment(format!("{} · {}", item.id, item.anchor));
        d.p(vec![em(format!("{}: {}", item.label, item.text))]);
    }
    let mut intro = vec![t(format!(
        "Draft prepared by annex on {} for {}. Submit it through the single reporting platform to the CSIRT designated as coordinator of the Member State of your main establishment in the Union; ENISA receives it at the same time. {}",
        show_time(&now),
        i.id,
        COORDINATOR_FALLBACK
    ))];
    if m.is_steward() {
        intro.push(t(steward_scope(i.kind)));
    }
    intro.push(t(ALREADY_ON_THE_MARKET));
    d.p(intro);
    match due(i, stage) {
        Some(due) => {
            let left = (due - now).num_seconds();
            d.p(vec![
                b("Deadline: "),
                t(show_time(&due)),
                t(if left > 0 {
                    format!(" — {} left.", show_duration(left))
                } else {
                    format!(" — overdue by {}.", show_duration(left))
                }),
            ]);
        }
        None => d.p(vec![
            b("Deadline: "),
            t("not started yet — ".to_string()
                + match i.kind {
                    IncidentKind::Vulnerability => {
                        "14 days after a corrective or mitigating measure is available."
                    }
                    IncidentKind::SevereIncident => {
                        "one month after the incident notification is submitted."
                    }
                }),
        ]),
    }

    d.h(2, capitalise_first(m.role_title()));
    let mut who = vec![vec![b("Name: "), t(m.party.name.clone())]];
    if let Some(a) = &m.party.address {
        who.push(vec![b("Address: "), t(a.clone())]);
    }
    if let Some(e) = &m.party.email {
        who.push(vec![b("E-mail: "), crate::markup::url(e)]);
    }
    if let Some(w) = &m.party.website {
        who.push(vec![b("Website: "), link(w, w)]);
    }
    who.push(vec![
        b("Security contact: "),
        crate::markup::url(&m.security.contact),
    ]);
    d.list(who);

    d.h(2, "Product");
    let mut prod = vec![
        vec![b("Name: "), t(m.product.name.clone())],
        vec![b("Type: "), t(m.product.kind.clone())],
    ];
    if i.affected_versions.is_empty() {
        d.todo(
            label.clone(),
            "list the affected versions (affected-versions in the record)",
        );
    } else {
        prod.push(vec![
            b("Affected versions: "),
            t(i.affected_versions.join("; ")),
        ]);
    }
    if let Some(r) = &m.product.repository {
        prod.push(vec![b("Source: "), link(r, r)]);
    }
    d.list(prod);

    d.h(
        2,
        match i.kind {
            IncidentKind::Vulnerability => "Vulnerability",
            IncidentKind::SevereIncident => "Incident",
        },
    );
    let mut ev: Vec<Vec<Inline>> = Vec::new();
    if !i.ids.is_empty() {
        ev.push(vec![b("Identifiers: "), t(i.ids.join(", "))]);
    }
    ev.push(vec![b("Summary: "), t(i.summary.clone())]);
    ev.push(vec![b("Became aware: "), t(show_time(&i.aware_at))]);
    if i.kind == IncidentKind::Vulnerability {
        ev.push(vec![b("Actively exploited: "), t("yes")]);
    }
    d.list(ev);

    d.h(2, format!("What {} asks for", label));
    for f in stage_fields(i, stage) {
        d.h(3, f.label);
        match &f.value {
            Some(Json::String(s)) => d.text(s.clone()),
            Some(Json::Bool(v)) => d.text(if *v { "Yes." } else { "No." }),
            Some(Json::Array(a)) => d.list(
                a.iter()
                    .map(|x| vec![t(x.as_str().unwrap_or_default().to_string())])
                    .collect(),
            ),
            Some(other) => d.p(vec![code(other.to_string())]),
            None => match f.todo {
                Some(what) => d.todo(label.clone(), what),
                None => d.text("Not known."),
            },
        }
    }
    let title = format!("{} — {}", stage.title(), i.id);
    crate::finish(
        report_file(i, stage, "md"),
        d,
        crate::Format::Markdown,
        &title,
        m.language(),
    )
}

fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
