//! The embedded specifications load, lint without errors and every profile resolves.
use annex_spec::lint::{Severity, lint};
use annex_spec::{Document, Library, Lifecycle, ResolveOptions, parse_document, resolve};

fn lib() -> Library {
    Library::builtin().unwrap_or_else(|e| panic!("builtin specs load:\n{e}"))
}

#[test]
fn builtin_documents_lint_clean() {
    let lib = lib();
    let mut errors = Vec::new();
    for (name, text) in annex_spec::builtin_files() {
        let doc = parse_document(text, &format!("builtin:{name}")).unwrap();
        for p in lint(&doc, &lib) {
            if p.severity == Severity::Error {
                errors.push(p.to_string());
            }
        }
    }
    assert!(errors.is_empty(), "lint errors:\n{}", errors.join("\n"));
}

#[test]
fn osps_catalog_has_64_active_requirements_with_published_levels() {
    let lib = lib();
    let osps = &lib.catalogs["osps"];
    let active: Vec<_> = osps
        .requirements()
        .filter(|(_, r)| r.state == Lifecycle::Active)
        .collect();
    assert_eq!(active.len(), 64);
    // Levels are sets, as published.
    for id in ["OSPS-BR-07.01", "OSPS-VM-02.01"] {
        assert_eq!(
            osps.requirement(id).unwrap().1.applicability,
            vec!["maturity-1"],
            "{id}"
        );
    }
    // Same ids and applicability as the official release.
    let official =
        annex_spec::import_paths(&["../../../shared/data/osps-baseline/v2026.02.19"]).unwrap();
    let off = official
        .documents
        .iter()
        .find_map(|d| match d {
            Document::Catalog(c) => Some(c),
            _ => None,
        })
        .expect("the release directory holds a catalog");
    for (_, r) in off.requirements() {
        let (_, ours) = osps
            .requirement(&r.id.value)
            .unwrap_or_else(|| panic!("{} missing", r.id.value));
        assert_eq!(ours.state, r.state, "{}", r.id.value);
        // The release marks its retired requirement with `applicability: [retired]` only.
        if r.state == Lifecycle::Active {
            assert_eq!(ours.applicability, r.applicability, "{}", r.id.value);
        }
    }
}

#[test]
fn every_active_osps_requirement_has_a_rule_and_a_cra_mapping() {
    let lib = lib();
    for (_, r) in lib.catalogs["osps"]
        .requirements()
        .filter(|(_, r)| r.state == Lifecycle::Active)
    {
        assert!(
            lib.rule_for(&r.id.value).is_some(),
            "no rule for {}",
            r.id.value
        );
        let maps = lib.mappings_from(&r.id.value);
        assert!(!maps.is_empty(), "no CRA mapping for {}", r.id.value);
        for (_, m) in maps {
            assert!(
                lib.catalogs["cra"].requirement(&m.target.value).is_some(),
                "{} → {}",
                r.id.value,
                m.target.value
            );
        }
    }
}

#[test]
fn cra_catalog_covers_annex_i() {
    let lib = lib();
    let cra = &lib.catalogs["cra"];
    for letter in 'a'..='m' {
        let id = format!("CRA-AI-1.2{letter}");
        let (_, r) = cra.requirement(&id).unwrap_or_else(|| panic!("{id}"));
        assert!(
            r.anchor
                .as_deref()
                .unwrap_or("")
                .contains(&format!("(2)({letter})")),
            "{id} anchor"
        );
    }
    for n in 1..=8 {
        assert!(
            cra.requirement(&format!("CRA-AI-2.{n}")).is_some(),
            "CRA-AI-2.{n}"
        );
    }
    for id in [
        "CRA-AI-1.1",
        "CRA-ART14.2a",
        "CRA-ART14.2b",
        "CRA-ART14.2c",
        "CRA-ART24.1",
    ] {
        assert!(cra.requirement(id).is_some(), "{id}");
    }
}

#[test]
fn every_profile_resolves() {
    let lib = lib();
    for id in [
        "osps-l1",
        "osps-l2",
        "osps-l3",
        "cra-manufacturer",
        "cra-steward",
        "apache",
        "blender",
        "openssl",
        "php",
        "psf",
        "rust",
        "eclipse",
    ] {
        let p =
            resolve(&lib, id, &ResolveOptions::default()).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(!p.requirements.is_empty(), "{id} selects nothing");
    }
}

#[test]
fn levels_select_the_published_sets() {
    let lib = lib();
    let count = |id: &str, level: Option<u8>| {
        resolve(&lib, id, &ResolveOptions { max_level: level })
            .unwrap()
            .requirements
            .len()
    };
    let l1 = lib.catalogs["osps"]
        .requirements()
        .filter(|(_, r)| {
            r.state == Lifecycle::Active && r.applicability.iter().any(|a| a == "maturity-1")
        })
        .count();
    assert_eq!(count("osps-l1", None), l1);
    assert_eq!(count("osps-l3", None), 64);
    assert_eq!(count("osps-l3", Some(1)), l1);
    assert!(count("osps-l2", None) > l1);
}

#[test]
fn steward_profile_leaves_out_manufacturer_only_items() {
    let lib = lib();
    let p = resolve(&lib, "cra-steward", &ResolveOptions::default()).unwrap();
    assert!(p.requirement("CRA-ART24.1").is_some());
    assert!(
        p.requirement("CRA-AV.1").is_none(),
        "stewards issue no declaration of conformity"
    );
    let m = resolve(&lib, "cra-manufacturer", &ResolveOptions::default()).unwrap();
    assert!(m.requirement("CRA-AV.1").is_some());
    assert!(m.requirement("CRA-ART24.1").is_none());
}

/// Issue 10: what kind of duty each CRA item is. Annex I, Part II (4) and (5) are a process
/// or action (never covered by text); Art. 13(10), 13(11) and Article 25 are permissions or
/// Commission powers (informative).
#[test]
fn cra_kinds_follow_the_regulation() {
    let lib = lib();
    let cra = &lib.catalogs["cra"];
    let kind = |id: &str| cra.requirement(id).unwrap().1.kind;
    for id in ["CRA-AI-2.4", "CRA-AI-2.5", "CRA-AI-2.2", "CRA-AI-2.8"] {
        assert_eq!(kind(id), annex_spec::RequirementKind::Process, "{id}");
    }
    for id in [
        "CRA-ART13.10",
        "CRA-ART13.11",
        "CRA-ART13.24",
        "CRA-ART25.1",
    ] {
        assert_eq!(kind(id), annex_spec::RequirementKind::Informative, "{id}");
    }
    assert_eq!(kind("CRA-AI-2.6"), annex_spec::RequirementKind::Obligation);
}

/// Article 24(3) limits Art. 14(3) and (8) for stewards to severe incidents affecting the
/// network and information systems they provide for development: the unlimited items are
/// the manufacturer's; the steward's limited duty is CRA-ART24.3.
#[test]
fn stewards_bear_article_14_3_and_8_only_through_article_24_3() {
    let lib = lib();
    let cra = &lib.catalogs["cra"];
    for id in [
        "CRA-ART14.3",
        "CRA-ART14.4a",
        "CRA-ART14.4b",
        "CRA-ART14.4c",
        "CRA-ART14.8",
    ] {
        let r = cra.requirement(id).unwrap().1;
        assert_eq!(r.applicability, vec!["manufacturer"], "{id}");
    }
    let r = cra.requirement("CRA-ART24.3").unwrap().1;
    assert!(r.text.contains("network and information systems"));
    let steward = resolve(&lib, "cra-steward", &ResolveOptions::default()).unwrap();
    assert!(steward.requirement("CRA-ART14.3").is_none());
    assert!(steward.requirement("CRA-ART24.3").is_some());
}

/// Wording the review found wrong: Annex I, Part I (2)(e) ("at rest or in transit by state of
/// the art mechanisms, and by using other technical means") and Art. 13(17) (the user's
/// choice of means of communication).
#[test]
fn cra_wording_follows_annex_i_2e_and_article_13_17() {
    let lib = lib();
    let cra = &lib.catalogs["cra"];
    let text = |id: &str| cra.requirement(id).unwrap().1.text.replace('\n', " ");
    assert!(text("CRA-AI-1.2e").contains(
        "at rest or in transit by state of the art mechanisms, and by using other technical means"
    ));
    assert!(text("CRA-ART13.17").contains("choose their preferred means of communication"));
}

/// Issue 10: a foundation profile asserts only what its cited sources say. No source says
/// any of the seven foundations is a CRA steward (Art. 3(14), Art. 24), so each lists that
/// as an assumption to confirm; PHP's `cna: true` had no source; PEP 602 gives five years
/// of support, not five years of security fixes.
#[test]
fn foundation_profiles_mark_unsourced_claims_as_assumptions() {
    let lib = lib();
    for id in [
        "apache", "blender", "eclipse", "openssl", "php", "psf", "rust",
    ] {
        let p = &lib.profiles[id];
        assert!(p.metadata.source.is_some(), "{id} cites no source");
        if p.annex.cra_role.is_some() {
            assert!(
                p.annex
                    .assumptions
                    .iter()
                    .any(|a| a.starts_with("cra-role")),
                "{id}: the CRA role is claimed without a source or an assumption"
            );
            assert!(
                !p.metadata
                    .description
                    .contains("acts as open-source steward"),
                "{id}"
            );
        }
        let resolved = resolve(&lib, id, &ResolveOptions::default()).unwrap();
        assert_eq!(resolved.assumptions, p.annex.assumptions, "{id}");
    }
    assert!(!lib.profiles["php"].annex.parameters.contains_key("cna"));
    let psf = &lib.profiles["psf"].metadata.description;
    assert!(!psf.contains("five years of security"), "{psf}");
    assert!(psf.contains("supported for five"), "{psf}");
}
